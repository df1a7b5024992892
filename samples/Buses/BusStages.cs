using System.Collections.Generic;
using System.IO;
using System.Text;
using CoroutineGen;

namespace CoroutineGen.Samples.Buses;

/// <summary>
/// The stages of Beazley's bus pipeline (his <c>buses.py</c> and <c>buses2.py</c>), as <c>[Coroutine]</c> templates.
/// The generator adds a factory for each: the same name without the inbox, returning the coroutine primed (his
/// <c>@coroutine</c> decorator). A bus is an <see cref="IReadOnlyDictionary{TKey, TValue}"/> from element name to
/// text, in document order, as his <c>busdict</c> is a <c>dict</c>.
/// </summary>
public static partial class BusStages
{
    // Python:  @coroutine
    //          def buses_to_dicts(target):
    //              while True:
    //                  event, value = (yield)
    //                  if event == 'start' and value[0] == 'bus':
    //                      busdict = {}
    //                      fragments = []
    //                      while True:
    //                          event, value = (yield)
    //                          if event == 'start':   fragments = []
    //                          elif event == 'text':  fragments.append(value)
    //                          elif event == 'end':
    //                              if value != 'bus': busdict[value] = "".join(fragments)
    //                              else:
    //                                  target.send(busdict)
    //                                  break
    /// <summary>
    /// Turns the events of each <c>&lt;bus&gt;</c> element into a dictionary of its child elements' text and sends
    /// it to <paramref name="target"/> at <c>&lt;/bus&gt;</c>. A state machine with two states, and the state is
    /// simply where the body waits: at the first <c>Receive</c> it looks for the start of a bus, at the second it
    /// is inside one.
    /// </summary>
    [Coroutine]
    public static void BusesToDicts(Inbox<XmlEvent> inbox, ICoroutine<IReadOnlyDictionary<string, string>> target)
    {
        while (true)
        {
            var e = inbox.Receive();                        // state A: waiting for a <bus>
            if (e is { Kind: XmlEventKind.Start, Name: "bus" })
            {
                var bus = new Dictionary<string, string>();
                var fragments = new StringBuilder();
                while (true)
                {
                    e = inbox.Receive();                    // state B: inside the <bus>
                    if (e.Kind == XmlEventKind.Start)
                    {
                        fragments.Clear();
                    }
                    else if (e.Kind == XmlEventKind.Text)
                    {
                        fragments.Append(e.Text);           // an element's text may come in several pieces
                    }
                    else if (e.Name != "bus")
                    {
                        bus[e.Name] = fragments.ToString();
                    }
                    else
                    {
                        target.Send(bus);
                        break;                              // back to state A
                    }
                }
            }
        }
    }

    // Python:  @coroutine
    //          def filter_on_field(fieldname, value, target):
    //              while True:
    //                  d = (yield)
    //                  if d.get(fieldname) == value: target.send(d)
    /// <summary>Passes on the buses whose <paramref name="field"/> is <paramref name="value"/>.</summary>
    [Coroutine]
    public static void FilterOnField(
        Inbox<IReadOnlyDictionary<string, string>> inbox, string field, string value, ICoroutine<IReadOnlyDictionary<string, string>> target)
    {
        while (true)
        {
            var bus = inbox.Receive();
            if (bus.TryGetValue(field, out var actual) && actual == value)
            {
                target.Send(bus);
            }
        }
    }

    // Python:  @coroutine
    //          def bus_locations():
    //              while True:
    //                  bus = (yield)
    //                  print('%(route)s,%(id)s,"%(direction)s",%(latitude)s,%(longitude)s' % bus)
    /// <summary>Writes <c>route,id,"direction",latitude,longitude</c> for each bus.</summary>
    /// <exception cref="InvalidDataException">A bus lacks one of the five fields (Python: <c>KeyError</c>).</exception>
    [Coroutine]
    public static void BusLocations(Inbox<IReadOnlyDictionary<string, string>> inbox, TextWriter output)
    {
        while (true)
        {
            var bus = inbox.Receive();
            output.WriteLine(
                $"{Field(bus, "route")},{Field(bus, "id")},\"{Field(bus, "direction")}\",{Field(bus, "latitude")},{Field(bus, "longitude")}");
        }
    }

    // Python (buses2.py):
    //          @coroutine
    //          def text_collector(target):
    //              while True:
    //                  event, value = (yield)
    //                  if event != 'text':
    //                      target.send((event, value))
    //                      continue
    //                  chunks = [value]
    //                  while True:
    //                      event, value = (yield)
    //                      if event != 'text': break
    //                      chunks.append(value)
    //                  target.send(('text', ''.join(chunks)))
    //                  target.send((event, value))
    /// <summary>
    /// Joins consecutive text events into one: the end of a run of text shows only when the next event arrives,
    /// so for that event it sends twice, the joined text and then the event.
    /// </summary>
    [Coroutine]
    public static void TextCollector(Inbox<XmlEvent> inbox, ICoroutine<XmlEvent> target)
    {
        while (true)
        {
            var e = inbox.Receive();
            if (e.Kind != XmlEventKind.Text)
            {
                target.Send(e);
                continue;
            }

            var chunks = new StringBuilder(e.Text);
            while (true)
            {
                e = inbox.Receive();
                if (e.Kind != XmlEventKind.Text)
                {
                    break;
                }

                chunks.Append(e.Text);
            }

            target.Send(XmlEvent.CreateText(chunks.ToString()));
            target.Send(e);
        }
    }

    // Python (buses2.py):
    //          @coroutine
    //          def buses_to_dicts(target):
    //              while True:
    //                  event, value = (yield)
    //                  if event == 'start' and value[0] == 'bus':
    //                      busdict = {}
    //                      while True:
    //                          event, value = (yield)
    //                          if event == 'text':  textvalue = value
    //                          elif event == 'end':
    //                              if value != 'bus': busdict[value] = textvalue
    //                              else:
    //                                  target.send(busdict)
    //                                  break
    /// <summary>
    /// <see cref="BusesToDicts"/> for events that went through <see cref="TextCollector"/>: each element's text
    /// arrives whole, so it keeps only the last text seen before each end tag.
    /// </summary>
    [Coroutine]
    public static void BusesToDictsOfWholeText(Inbox<XmlEvent> inbox, ICoroutine<IReadOnlyDictionary<string, string>> target)
    {
        // Python's textvalue is a local of the whole function too: an element that ends before any text was seen
        // gets the text seen before it (Python raises NameError if there was none yet; here it is empty).
        string text = "";
        while (true)
        {
            var e = inbox.Receive();
            if (e is { Kind: XmlEventKind.Start, Name: "bus" })
            {
                var bus = new Dictionary<string, string>();
                while (true)
                {
                    e = inbox.Receive();
                    if (e.Kind == XmlEventKind.Text)
                    {
                        text = e.Text;
                    }
                    else if (e.Kind == XmlEventKind.End)
                    {
                        if (e.Name != "bus")
                        {
                            bus[e.Name] = text;
                        }
                        else
                        {
                            target.Send(bus);
                            break;
                        }
                    }
                }
            }
        }
    }

    private static string Field(IReadOnlyDictionary<string, string> bus, string name) =>
        bus.TryGetValue(name, out var value)
            ? value
            : throw new InvalidDataException(
                $"a <bus> has no <{name}> element" + (bus.TryGetValue("id", out var id) ? $" (bus {id})" : string.Empty));
}
