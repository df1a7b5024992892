# buses2.py
#
# A variant of buses.py from the archive of Beazley's course (it is not on the slides): a text_collector stage in
# front joins consecutive 'text' events into one, so buses_to_dicts only has to keep the last text it saw before
# each end tag. SAX may split the text of an element anywhere (at a line break, an entity, a buffer boundary);
# after text_collector it arrives whole.
#
#     EventHandler -> text_collector -> buses_to_dicts -> filter_on_field(route) -> filter_on_field(direction)
#                  -> bus_locations
#
# text_collector looks one event ahead: it only knows that a run of text is over when the next event arrives, so
# for that event it sends twice, the joined text and then the event itself.
#
# Written for Python 3, with the same arguments as buses.py:
#
#     python3 buses2.py [FILE [ROUTE [DIRECTION]]]

import xml.sax

from coroutine import coroutine
from cosax import EventHandler
from buses import filter_on_field, bus_locations, arguments


@coroutine
def text_collector(target):
    while True:
        event, value = (yield)
        if event != 'text':
            target.send((event, value))
            continue
        chunks = [value]
        while True:
            event, value = (yield)
            if event != 'text':
                break
            chunks.append(value)
        target.send(('text', ''.join(chunks)))
        target.send((event, value))


@coroutine
def buses_to_dicts(target):
    while True:
        event, value = (yield)
        if event == 'start' and value[0] == 'bus':
            busdict = {}
            while True:
                event, value = (yield)
                if event == 'text':
                    textvalue = value
                elif event == 'end':
                    if value != 'bus':
                        busdict[value] = textvalue
                    else:
                        target.send(busdict)
                        break


if __name__ == '__main__':
    path, route, direction = arguments()
    xml.sax.parse(path,
                  EventHandler(
                      text_collector(
                          buses_to_dicts(
                              filter_on_field('route', route,
                                              filter_on_field('direction', direction,
                                                              bus_locations()))))))
