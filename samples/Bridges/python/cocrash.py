# cocrash.py
#
# Two threaded coroutines send into one printer (Beazley's cocrash.py): sooner
# or later both worker threads are inside the printer at once, and the second
# dies with "ValueError: generator already executing".  The other thread goes
# on.  Like the course's, it may occasionally run without a crash: raise the
# count if it does.

from cothread import threaded
from logstages import coroutine

@coroutine
def grep(pattern, target):
    while True:
        line = (yield)
        if pattern in line:
            target.send(line)

@coroutine
def printer():
    while True:
        line = (yield)
        print(line)

@coroutine
def broadcast(targets):
    while True:
        item = (yield)
        for target in targets:
            target.send(item)

if __name__ == '__main__':
    p = printer()
    target = broadcast([threaded(grep("foo", p)), threaded(grep("bar", p))])
    for i in range(2000):
        target.send("foo is nice")
        target.send("bar is bad")
    for t in target.gi_frame.f_locals["targets"]:
        t.close()
