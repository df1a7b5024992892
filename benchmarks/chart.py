#!/usr/bin/env python3
"""ratios.svg for a folder written by benchmarks/run.sh: the ratio of every implementation to the hand-written
baseline, per workload, as horizontal bars on a log scale anchored at 1× (bars to the right are slower than
hand-written), with the project's target lines at 1.10× and 1.5×. Plain SVG, no third-party packages.

Used by report.py (which writes it next to report.md); alone: python3 benchmarks/chart.py benchmarks/results/<run>
"""
import math
import os
import sys
from xml.sax.saxutils import escape

# (case in the BenchmarkDotNet reports, group title, case of the baseline, baseline method, CPython workload)
GROUPS = [
    ("W1PassThrough k=1", "W1, k = 1 pass-through stage", None, "HandWritten", "W1k1"),
    ("W1PassThrough k=4", "W1, k = 4 pass-through stages", None, "HandWritten", "W1k4"),
    ("W2Grep", "W2 grep", None, "HandWritten", "W2"),
    ("W3Broadcast", "W3 broadcast", None, "HandWritten", "W3"),
    ("Create", "create + prime one stage", None, "HandWritten", None),
    ("Close", "Close() of a primed stage", None, "HandWritten", None),
    ("AsyncSend", "A4 async, no real await", None, "HandWritten", "A4"),
    ("AsyncAwaits yieldevery=100", "A4 async, Task.Yield every 100", None, "HandWritten", "A4y100"),
    ("AsyncAwaits yieldevery=1", "A4 async, Task.Yield every message", None, "HandWritten", "A4y1"),
    ("AsyncPipelines", "A4 async pipelines", "AsyncSend", "HandWritten", None),
]

# method -> (label, colour); the baseline methods are not drawn (they are 1×)
IMPLS = {
    "Generated": ("generated", "#1f77b4"),
    "Prototype": ("prototype emission", "#aec7e8"),
    "ProtoFinally": ("proto. handler-free, finally only", "#c5b0d5"),
    "ProtoCore": ("proto. handler-free, core", "#9edae5"),
    "ProtoCoreFlag": ("proto. handler-free, core at creation", "#dbdb8d"),
    "PullIterators": ("pull iterators", "#2ca02c"),
    "RxNet": ("Rx.NET Subject", "#d62728"),
    "AsyncBuilder": ("async builder", "#9467bd"),
    "SyncGenerated": ("generated, sync Send", "#1f77b4"),
    "SyncHandWritten": ("hand-written, sync Send", "#98df8a"),
    "Channels64": ("Channel<T> bounded 64", "#ff7f0e"),
    "Channels1024": ("Channel<T> bounded 1,024", "#ffbb78"),
    "DataflowUnbounded": ("TPL Dataflow unbounded", "#8c564b"),
    "Dataflow1024": ("TPL Dataflow bounded 1,024", "#c49c94"),
    "AsyncEnumerable": ("IAsyncEnumerable iterators", "#e377c2"),
}
ASYNC_LABEL = {"Generated": "generated async"}
CPYTHON_COLOUR = "#7f7f7f"
TARGETS = [(1.10, "1.10× (W2; goal everywhere)"), (1.5, "1.5× (W1 k = 4, W3)")]

ROW, BAR, BAR0, HEAD, GAP = 17, 9, 4, 20, 6
LEFT, PLOT, RIGHT = 290, 470, 130
TOP = 100


def bars(rows, py):
    """[(group title, [(label, colour, ratio default, ratio TieredPGO=0 or None)])] for what the folder has."""
    py_ns = {r["workload"]: r["ns_per_message"] for r in py["results"]} if py else {}
    groups = []
    for case, title, base_case, base_method, py_key in GROUPS:
        base = {job: rows.get((base_case or case, job, base_method)) for job in ("PGO", "NoPGO")}
        if not base["PGO"] and not base["NoPGO"]:
            continue
        items = []
        for method, (label, colour) in IMPLS.items():
            if method == base_method and base_case is None:
                continue
            r = {job: rows.get((case, job, method)) for job in ("PGO", "NoPGO")}
            # A case without a median (it failed, or was stopped) has no bar.
            ratio = {job: r[job]["median"] / base[job]["median"]
                     if r[job] and base[job] and r[job].get("median") and base[job].get("median") else None
                     for job in ("PGO", "NoPGO")}
            if ratio["PGO"] is None and ratio["NoPGO"] is None:
                continue
            if case.startswith("Async"):
                label = ASYNC_LABEL.get(method, label)
            items.append((label, colour, ratio["PGO"], ratio["NoPGO"]))
        if py_key in py_ns and base["PGO"]:
            items.append((f"CPython {py['python']}" + (" async generators" if py_key.startswith("A4") else " generators"),
                          CPYTHON_COLOUR, py_ns[py_key] / base["PGO"]["median"], None))
        if items:
            groups.append((title, items))
    return groups


def svg(groups, title):
    values = [v for _, items in groups for _, _, a, b in items for v in (a, b) if v]
    lo = min([0.5] + [v / 1.15 for v in values])
    hi = max([2.0] + [v * 1.15 for v in values])
    lo_log, hi_log = math.log10(lo), math.log10(hi)

    def x(v):
        return LEFT + (math.log10(v) - lo_log) / (hi_log - lo_log) * PLOT

    height = TOP + sum(HEAD + len(items) * ROW + GAP for _, items in groups) + 40
    width = LEFT + PLOT + RIGHT
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
           f'<text x="10" y="34" fill="#444">Median ns per message (per operation for create and close) over the '
           f'hand-written baseline\'s median in the same job.</text>',
           f'<text x="10" y="48" fill="#444">Log scale; bars start at 1× (hand-written): further right is slower, '
           f'left of the black line faster.</text>',
           f'<text x="10" y="62" fill="#444">A4 (async) groups: over the hand-written async chain with the same '
           f'awaits.</text>',
           f'<rect x="10" y="70" width="14" height="{BAR}" fill="#555"/>'
           f'<text x="28" y="78">default settings (dynamic PGO)</text>',
           f'<rect x="220" y="73" width="14" height="{BAR0}" fill="#555" fill-opacity="0.45"/>'
           f'<text x="238" y="78">DOTNET_TieredPGO=0</text>',
           f'<text x="{LEFT + PLOT + RIGHT - 6}" y="78" text-anchor="end" fill="#444">default / TieredPGO=0</text>']
    plot_top, plot_bottom = TOP, height - 40

    # decade and half-decade grid lines with labels
    ticks = []
    for e in range(math.floor(lo_log) - 1, math.ceil(hi_log) + 1):
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo <= v <= hi:
                ticks.append(v)
    for v in ticks:
        xv = x(v)
        label = f"{v:g}×"
        out.append(f'<line x1="{xv:.1f}" y1="{plot_top}" x2="{xv:.1f}" y2="{plot_bottom}" stroke="#ddd"/>')
        out.append(f'<text x="{xv:.1f}" y="{plot_bottom + 14}" text-anchor="middle" fill="#444">{label}</text>')
    out.append(f'<line x1="{x(1):.1f}" y1="{plot_top}" x2="{x(1):.1f}" y2="{plot_bottom}" stroke="#000"/>')

    y = TOP
    for title_g, items in groups:
        out.append(f'<text x="10" y="{y + 14}" font-weight="bold">{escape(title_g)}</text>')
        y += HEAD
        for label, colour, ratio, ratio0 in items:
            out.append(f'<text x="{LEFT - 6}" y="{y + BAR}" text-anchor="end">{escape(label)}</text>')
            for value, top, h, opacity in ((ratio, y + 1, BAR, 1.0), (ratio0, y + BAR + 2, BAR0, 0.45)):
                if not value:
                    continue
                x0, x1 = sorted((x(1), x(value)))
                out.append(f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 1):.1f}" height="{h}" '
                           f'fill="{colour}" fill-opacity="{opacity}"><title>{escape(label)}: {value:.2f}×</title></rect>')
            text = " / ".join(f"{v:.2f}×" if v else "–" for v in (ratio, ratio0))
            out.append(f'<text x="{LEFT + PLOT + RIGHT - 6}" y="{y + BAR}" text-anchor="end" fill="#222">{text}</text>')
            y += ROW
        y += GAP

    for value, label in TARGETS:
        if lo < value < hi:
            xv = x(value)
            out.append(f'<line x1="{xv:.1f}" y1="{plot_top}" x2="{xv:.1f}" y2="{plot_bottom}" stroke="#c00" '
                       f'stroke-dasharray="4,3"/>')
            anchor = "end" if value < 1.3 else "start"  # the two labels side by side, not on top of each other
            out.append(f'<text x="{xv:.1f}" y="{plot_top - 4}" text-anchor="{anchor}" fill="#c00" font-size="9">'
                       f'{value:g}×</text>')
    labels = [f"target {label}" for value, label in TARGETS if lo < value < hi]
    out.append(f'<text x="{LEFT}" y="{plot_bottom + 30}" fill="#c00">dashed: {escape("; ".join(labels))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write(folder, rows, py):
    """Writes folder/ratios.svg; returns its path, or None when the folder has no ratio to draw."""
    groups = bars(rows, py)
    if not groups:
        return None
    path = os.path.join(folder, "ratios.svg")
    name = os.path.basename(os.path.normpath(folder))
    with open(path, "w") as f:
        f.write(svg(groups, f"Ratio to hand-written, {name}"))
    return path


if __name__ == "__main__":
    import report

    folder = sys.argv[1]
    print(write(folder, report.load(folder), report.load_python(folder)) or "nothing to draw")
