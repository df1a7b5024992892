# logproc.py
#
# The child of coprocess.py (Beazley's busproc.py): receives the dicts on its
# standard input, one JSON line each, and runs the filters and the printer.

import json, sys
from logstages import *

# A source that reads JSON lines and sends each value, then closes the target
# at the end of the input (the course's recvfrom, with JSON instead of pickle)
def recvfrom(f, target):
    for line in f:
        target.send(json.loads(line))
    target.close()

if __name__ == '__main__':
    recvfrom(sys.stdin, not_found_gets())
