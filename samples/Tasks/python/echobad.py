# echobad.py
#
# An echo server that does not work: its tasks call accept() and recv(), which
# block, and while one task waits in them no other task runs
# (Beazley, "A Curious Course on Coroutines and Concurrency": the operating system
# of coroutine tasks; written for Python 3)
#
# Adapted, as in every echo server of this sample: it listens at 127.0.0.1 on
# --port and prints where, and with --connections N it stops accepting after N
# connections (see serverargs.py).  Then it also kills alive(), which would run
# forever (Beazley's server never stops).

from pyos6 import *
from socket import *
from serverargs import args

def handle_client(client,addr):
    print("Connection from", addr)
    while True:
        data = client.recv(65536)
        if not data:
            break
        client.send(data)
    client.close()
    print("Client closed")
    yield                           # Make the function a generator/coroutine

def server(port,connections,alive):
    print("Server starting")
    sock = socket(AF_INET,SOCK_STREAM)
    sock.bind(("127.0.0.1",port))
    sock.listen(5)
    print("Listening on %s:%d" % sock.getsockname())
    accepted = 0
    while connections is None or accepted < connections:
        client,addr = sock.accept()
        yield NewTask(handle_client(client,addr))
        accepted += 1
    sock.close()
    yield KillTask(alive)

def alive():
    while True:
        print("I'm alive!")
        yield

sched = Scheduler()
alive_tid = sched.new(alive())
sched.new(server(args.port,args.connections,alive_tid))
sched.mainloop()
