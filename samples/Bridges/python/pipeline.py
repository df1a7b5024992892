# pipeline.py
#
# The access-log pipeline with no bridge, all in one thread (buses.py in the
# course): the other demos must print exactly this.

import os, sys
from logstages import *

if __name__ == '__main__':
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "data", "access-log")
    with open(path) as f:
        follow_lines(f, log_to_dicts(not_found_gets()))
