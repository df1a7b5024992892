#!/usr/bin/env python3
# make_buses_xml.py: writes buses.xml, the bundled input of samples/Buses.
#
# A snapshot of bus positions in the layout of the Chicago Transit Authority's bus tracker feed, as Beazley's course
# uses it: <buses> holds one <bus> per vehicle, whose child elements hold its id, route, direction, position and
# so on, and whose <finalStop> is a CDATA section. The data is made up, from a fixed seed, so running this script
# again writes the same bytes:
#
#     python3 samples/Buses/make_buses_xml.py            # rewrites samples/Buses/buses.xml
#     python3 samples/Buses/make_buses_xml.py OUT.xml    # writes OUT.xml instead
#
# The tests run it and compare its output with the committed file.

import os
import random
import sys

SEED = 2009
BUSES = 560

# Route, its colour, the two directions it runs in, its corridor (a north-south route keeps roughly one longitude
# and moves in latitude, an east-west route the other way round) and the final stops of its trips in each of the
# two directions. The street names are Chicago's.
ROUTES = [
    ("3", "#cc0033", ("North Bound", "South Bound"), ("lon", -87.6170), (["Illinois Center", "Michigan & Chicago"], ["King Drive & 95th"])),
    ("4", "#993366", ("North Bound", "South Bound"), ("lon", -87.6060), (["Michigan & Washington"], ["Cottage Grove & 115th"])),
    ("8", "#006633", ("North Bound", "South Bound"), ("lon", -87.6470), (["Halsted & Waveland"], ["Halsted & 79th", "Halsted & Cermak"])),
    ("9", "#663399", ("North Bound", "South Bound"), ("lon", -87.6660), (["Ashland & Irving Park"], ["Ashland & 95th"])),
    ("20", "#3366cc", ("East Bound", "West Bound"), ("lat", 41.8815), (["Michigan & Madison"], ["Madison & Austin", "Madison & Pulaski"])),
    ("22", "#cc3300", ("North Bound", "South Bound"), ("lon", -87.6330), (["Clark & Howard", "Clark & Arthur"], ["Harrison & Clark", "Clark & Polk"])),
    ("29", "#ff6600", ("North Bound", "South Bound"), ("lon", -87.6270), (["Navy Pier", "State & Lake"], ["State & 95th"])),
    ("36", "#0066cc", ("North Bound", "South Bound"), ("lon", -87.6450), (["Broadway & Devon"], ["Harrison & Clark"])),
    ("49", "#339966", ("North Bound", "South Bound"), ("lon", -87.6870), (["Western & Berwyn"], ["Western & 79th"])),
    ("52", "#996600", ("North Bound", "South Bound"), ("lon", -87.7060), (["Kedzie & Addison"], ["Kedzie & 31st"])),
    ("66", "#cc6699", ("East Bound", "West Bound"), ("lat", 41.8960), (["Navy Pier", "Chicago & Fairbanks"], ["Chicago & Austin"])),
    ("72", "#669933", ("East Bound", "West Bound"), ("lat", 41.9105), (["Clark & North"], ["North & Harlem"])),
    ("77", "#336699", ("East Bound", "West Bound"), ("lat", 41.9397), (["Belmont & Lake Shore"], ["Belmont & Cumberland"])),
    ("79", "#cc9900", ("East Bound", "West Bound"), ("lat", 41.7508), (["79th & Lake Shore"], ["79th & Pulaski", "Ford City"])),
    ("147", "#3300ff", ("North Bound", "South Bound"), ("lon", -87.6280), (["Howard & Paulina"], ["Congress Plaza"])),
    ("151", "#0099cc", ("North Bound", "South Bound"), ("lon", -87.6390), (["Sheridan & Devon", "Sheridan & Foster"], ["Union Station"])),
]

# How often each route appears: the busy ones more often. Route 22 is the course's example.
WEIGHTS = {"22": 3, "9": 4, "8": 4, "36": 3, "49": 3, "79": 3, "66": 3, "147": 2}

LAT_RANGE = (41.6600, 42.0190)
LON_RANGE = (-87.8050, -87.5800)


def buses(rng):
    weighted = [route for route in ROUTES for _ in range(WEIGHTS.get(route[0], 2))]
    ids = rng.sample(range(1000, 9000), BUSES)
    for vehicle in ids:
        route, color, directions, (axis, line), stops = rng.choice(weighted)
        way = rng.randrange(2)
        direction = directions[way]
        if axis == "lon":
            latitude = rng.uniform(*LAT_RANGE)
            longitude = line + rng.uniform(-0.004, 0.004)
        else:
            latitude = line + rng.uniform(-0.003, 0.003)
            longitude = rng.uniform(*LON_RANGE)
        yield [
            ("id", str(vehicle)),
            ("route", route),
            ("color", color),
            ("revenue", "true" if rng.random() < 0.96 else "false"),
            ("direction", direction),
            ("latitude", repr(latitude)),
            ("longitude", repr(longitude)),
            ("pattern", str(rng.randint(1000, 9999))),
            ("patternDirection", direction),
            ("run", rng.choice("PFNXKC") + str(rng.randint(100, 999))),
            ("finalStop", rng.choice(stops[way])),
            ("operator", str(rng.randint(10000, 99999))),
        ]


def document(rng):
    lines = ['<?xml version="1.0"?>', "<buses>"]
    for bus in buses(rng):
        lines.append("  <bus>")
        for name, value in bus:
            if name == "finalStop":
                value = "<![CDATA[" + value + "]]>"
            lines.append(f"    <{name}>{value}</{name}>")
        lines.append("  </bus>")
    lines.append("</buses>")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "buses.xml")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(document(random.Random(SEED)))
