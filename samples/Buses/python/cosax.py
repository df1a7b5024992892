# cosax.py
#
# Beazley, "A Curious Course on Coroutines and Concurrency", Part 3 (event dispatching): a SAX content handler
# that does nothing but forward the parser's callbacks into a coroutine, as messages
#
#     ('start', (name, attrs))    ('text', text)    ('end', name)
#
# Written for Python 3. The course's handler passes attrs._attrs, the private dict inside xml.sax's
# AttributesImpl; this one passes dict(attrs.items()), the same dict through the public interface. Run as a
# program, it prints every event of a file (default: ../buses.xml), which shows how SAX splits text: the line
# break and the indentation between two elements arrive as separate 'text' events.

import os
import sys
import xml.sax

from coroutine import coroutine


class EventHandler(xml.sax.ContentHandler):
    def __init__(self, target):
        self.target = target

    def startElement(self, name, attrs):
        self.target.send(('start', (name, dict(attrs.items()))))

    def characters(self, text):
        self.target.send(('text', text))

    def endElement(self, name):
        self.target.send(('end', name))


if __name__ == '__main__':
    @coroutine
    def printer():
        while True:
            event = (yield)
            print(event)

    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'buses.xml')
    xml.sax.parse(sys.argv[1] if len(sys.argv) > 1 else default, EventHandler(printer()))
