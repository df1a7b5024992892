# echoserver2.py
#
# The concurrent echo server on sockwrap.py's Socket: the task code reads like
# ordinary socket code, with a yield in front of each call
# (Beazley, "A Curious Course on Coroutines and Concurrency", Part 8: trampolining;
# written for Python 3)
#
# Adapted, as in every echo server of this sample: it listens at 127.0.0.1 on
# --port and prints where, and with --connections N it stops accepting after N
# connections (see serverargs.py).

from pyos8 import *
from socket import *
from sockwrap import Socket
from serverargs import args

def handle_client(client,addr):
    print("Connection from", addr)
    while True:
        data = yield client.recv(65536)
        if not data:
            break
        yield client.send(data)
    print("Client closed")
    yield client.close()

def server(port,connections):
    print("Server starting")
    rawsock = socket(AF_INET,SOCK_STREAM)
    rawsock.setsockopt(SOL_SOCKET,SO_REUSEADDR,1)
    rawsock.bind(("127.0.0.1",port))
    rawsock.listen(1024)
    print("Listening on %s:%d" % rawsock.getsockname())

    sock = Socket(rawsock)
    accepted = 0
    while connections is None or accepted < connections:
        client,addr = yield sock.accept()
        yield NewTask(handle_client(client,addr))
        accepted += 1
    yield sock.close()

sched = Scheduler()
sched.new(server(args.port,args.connections))
sched.mainloop()
