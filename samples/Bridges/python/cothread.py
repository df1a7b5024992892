# cothread.py
#
# A thread object that runs a coroutine inside it (Beazley's cothread.py): the
# filters and the printer run on a worker thread, fed through a queue.

import os, sys
from queue import Queue
from threading import Thread
from logstages import *

@coroutine
def threaded(target):
    messages = Queue()
    def run_target():
        while True:
            item = messages.get()
            if item is GeneratorExit:
                target.close()
                return
            else:
                target.send(item)
    Thread(target=run_target).start()
    try:
        while True:
            item = (yield)
            messages.put(item)
    except GeneratorExit:
        messages.put(GeneratorExit)

if __name__ == '__main__':
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "access-log")
    bridge = threaded(not_found_gets())
    with open(path) as f:
        follow_lines(f, log_to_dicts(bridge))
    # log_to_dicts does not pass the close on, so close the bridge here (the
    # course's demo never closes it and relies on CPython collecting it)
    bridge.close()
