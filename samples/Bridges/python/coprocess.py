# coprocess.py
#
# Sends the dicts to a child process (logproc.py), one JSON line each (Beazley's
# coprocess.py sends pickles). The child runs the filters and the printer.

import json, os, subprocess, sys
from logstages import *

# A sink that writes each item to a file, one JSON line each, and closes the
# file when it is closed (the course's sendto catches StopIteration there, where
# it means GeneratorExit, and never closes the file)
@coroutine
def sendto(f):
    try:
        while True:
            item = (yield)
            f.write((json.dumps(item) + "\n").encode("utf-8"))
            f.flush()
    except GeneratorExit:
        f.close()

if __name__ == '__main__':
    here = os.path.dirname(__file__)
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "access-log")
    child = subprocess.Popen([sys.executable, os.path.join(here, "logproc.py")], stdin=subprocess.PIPE)
    sink = sendto(child.stdin)
    with open(path) as f:
        follow_lines(f, log_to_dicts(sink))
    sink.close()        # the child sees the end of its input
    sys.exit(child.wait())
