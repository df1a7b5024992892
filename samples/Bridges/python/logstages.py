# logstages.py
#
# The coroutine stages of the bridge demos, in the shape of Beazley's buses.py
# (Part 3 and 4 of "A Curious Course on Coroutines and Concurrency"), over an
# access log instead of the Chicago bus feed: lines are turned into dicts,
# filtered on their fields, and printed.

import re

def coroutine(func):
    def start(*args,**kwargs):
        cr = func(*args,**kwargs)
        next(cr)
        return cr
    return start

# A source: sends each line of a file (without its newline), then closes the target
def follow_lines(thefile, target):
    for line in thefile:
        target.send(line.rstrip("\n"))
    target.close()

# Turns each access-log line into a dict (buses_to_dicts' job in the course)
LOG_LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+|-)$')

@coroutine
def log_to_dicts(target):
    while True:
        line = (yield)
        m = LOG_LINE.match(line)
        if m is None:
            raise ValueError("not an access-log line: %r" % line)
        host, time, method, path, status, size = m.groups()
        target.send({"host": host, "time": time, "method": method, "path": path,
                     "status": int(status), "bytes": 0 if size == "-" else int(size)})

# Passes on the dicts whose field has the value
@coroutine
def filter_on_field(fieldname, value, target):
    while True:
        d = (yield)
        if d.get(fieldname) == value:
            target.send(d)

# Prints the requests (bus_locations in the course)
@coroutine
def request_printer():
    while True:
        d = (yield)
        print('%(host)s,"%(path)s"' % d)

# The stages that run behind each bridge: the GET requests that got a 404
def not_found_gets():
    return filter_on_field("status", 404,
           filter_on_field("method", "GET",
           request_printer()))
