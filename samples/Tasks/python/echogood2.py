# echogood2.py
#
# A working concurrent echo server: before each accept(), recv() and send() the
# task waits, with ReadWait or WriteWait, until the call will not block
# (Beazley, "A Curious Course on Coroutines and Concurrency": the operating system
# of coroutine tasks; written for Python 3)
#
# Adapted, as in every echo server of this sample: it listens at 127.0.0.1 on
# --port and prints where, and with --connections N it stops accepting after N
# connections (see serverargs.py).

from socket import *
from pyos7 import *
from serverargs import args

def handle_client(client,addr):
    print("Connection from", addr)
    while True:
        yield ReadWait(client)
        data = client.recv(65536)
        if not data:
            break
        yield WriteWait(client)
        client.send(data)
    client.close()
    print("Client closed")

def server(port,connections):
    print("Server starting")
    sock = socket(AF_INET,SOCK_STREAM)
    sock.setsockopt(SOL_SOCKET,SO_REUSEADDR,1)
    sock.bind(("127.0.0.1",port))
    sock.listen(1024)
    print("Listening on %s:%d" % sock.getsockname())
    accepted = 0
    while connections is None or accepted < connections:
        yield ReadWait(sock)
        client,addr = sock.accept()
        yield NewTask(handle_client(client,addr))
        accepted += 1
    sock.close()

sched = Scheduler()
sched.new(server(args.port,args.connections))
sched.mainloop()
