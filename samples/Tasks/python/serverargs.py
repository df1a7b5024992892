# serverargs.py
#
# Not Beazley's: the command line of the echo servers of this sample, the same as
# the C# program's:
#
#     python3 -u echogood2.py [--port PORT] [--connections N]
#
# --port: the port to listen on, at 127.0.0.1 (Beazley's servers listen on every
#         address at 45000, which is still the default); 0 takes any free port.
# --connections: stop accepting after N connections (Beazley's accept forever).
#
# Run the servers with -u (unbuffered): they print as they go, and a test reads
# the lines while the server runs.

import argparse

def positive(text):
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("needs a number of connections from 1 up, not %s" % text)
    return n

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=45000)
parser.add_argument("--connections", type=positive, default=None)
args = parser.parse_args()
