# buses.py
#
# Beazley, "A Curious Course on Coroutines and Concurrency", Part 3: where is my bus? The SAX events of the bus
# tracker feed (cosax.py) go through a pipeline of coroutines:
#
#     EventHandler -> buses_to_dicts -> filter_on_field(route) -> filter_on_field(direction) -> bus_locations
#
# buses_to_dicts is a state machine whose state is where it waits: at the first (yield) it looks for the start of
# a <bus>; at the second it collects the text of each element inside it and, at </bus>, sends on a dict of them.
#
# Written for Python 3: print() is a function. The course's program parses allroutes.xml, the feed it was given,
# for route 22 going north; this one parses ../buses.xml (a made-up feed in the same layout, see
# make_buses_xml.py) by default and takes the file, the route and the direction as optional arguments:
#
#     python3 buses.py [FILE [ROUTE [DIRECTION]]]

import os
import sys
import xml.sax

from coroutine import coroutine
from cosax import EventHandler


@coroutine
def buses_to_dicts(target):
    while True:
        event, value = (yield)
        # State A: waiting for a <bus>
        if event == 'start' and value[0] == 'bus':
            busdict = {}
            fragments = []
            # State B: inside it, the text of each element goes into the dict under the element's name
            while True:
                event, value = (yield)
                if event == 'start':
                    fragments = []
                elif event == 'text':
                    fragments.append(value)
                elif event == 'end':
                    if value != 'bus':
                        busdict[value] = ''.join(fragments)
                    else:
                        target.send(busdict)
                        break


@coroutine
def filter_on_field(fieldname, value, target):
    while True:
        d = (yield)
        if d.get(fieldname) == value:
            target.send(d)


@coroutine
def bus_locations():
    while True:
        bus = (yield)
        print('%(route)s,%(id)s,"%(direction)s",%(latitude)s,%(longitude)s' % bus)


def arguments():
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'buses.xml')
    args = sys.argv[1:] + [None] * 3
    return args[0] or default, args[1] or '22', args[2] or 'North Bound'


if __name__ == '__main__':
    path, route, direction = arguments()
    xml.sax.parse(path,
                  EventHandler(
                      buses_to_dicts(
                          filter_on_field('route', route,
                                          filter_on_field('direction', direction,
                                                          bus_locations())))))
