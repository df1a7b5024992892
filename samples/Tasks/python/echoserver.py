# echoserver.py
#
# A concurrent echo server written as ordinary socket code: Accept(), Recv() and
# Send() of pyos8.py are subroutines that wait and then make the call, and the
# task calls them by yielding them (trampolining)
# (Beazley, "A Curious Course on Coroutines and Concurrency", Part 8: trampolining;
# written for Python 3)
#
# Adapted, as in every echo server of this sample: it listens at 127.0.0.1 on
# --port and prints where, and with --connections N it stops accepting after N
# connections (see serverargs.py).  Beazley's file also defines alive() without
# starting it; it is left out.

from pyos8 import *
from socket import *
from serverargs import args

def handle_client(client,addr):
    print("Connection from", addr)
    while True:
        data = yield Recv(client,65536)
        if not data:
            break
        yield Send(client,data)
    print("Client closed")
    client.close()

def server(port,connections):
    print("Server starting")
    sock = socket(AF_INET,SOCK_STREAM)
    sock.bind(("127.0.0.1",port))
    sock.listen(5)
    print("Listening on %s:%d" % sock.getsockname())
    accepted = 0
    while connections is None or accepted < connections:
        client,addr = yield Accept(sock)
        yield NewTask(handle_client(client,addr))
        accepted += 1
    sock.close()

sched = Scheduler()
sched.new(server(args.port,args.connections))
sched.mainloop()
