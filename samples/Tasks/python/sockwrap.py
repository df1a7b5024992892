# sockwrap.py
#
# A socket wrapper whose methods are subroutines for tasks: each waits, then makes
# the call, so a task reads like ordinary socket code with a yield in front
# (Beazley, "A Curious Course on Coroutines and Concurrency", Part 8: trampolining;
# written for Python 3)

from pyos8 import ReadWait, WriteWait

class Socket(object):
    def __init__(self,sock):
        self.sock = sock
    def accept(self):
        yield ReadWait(self.sock)
        client,addr = self.sock.accept()
        yield Socket(client),addr
    def send(self,buffer):
        while buffer:
            yield WriteWait(self.sock)
            len = self.sock.send(buffer)
            buffer = buffer[len:]
    def recv(self, maxbytes):
        yield ReadWait(self.sock)
        yield self.sock.recv(maxbytes)
    def close(self):
        yield self.sock.close()
