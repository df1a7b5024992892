#!/usr/bin/env python3
"""Tables for docs/performance.md from a folder written by benchmarks/run.sh (BenchmarkDotNet CSV reports of the
Default and NoPGO jobs, python.json from benchmarks/python/coroutines.py, env.txt, loadavg.log).

Usage: python3 benchmarks/report.py [--chart-only] benchmarks/results/<run>
Prints report.md to standard output and writes ratios.svg into the folder (the ratios to hand-written, drawn by
chart.py); with --chart-only, only the chart (for folders whose report.md is kept as it was written).
Per-message figures are BenchmarkDotNet's medians (OperationsPerInvoke = the messages of one invocation); ratios
are medians divided by the hand-written baseline's median in the same job; "x CPython" is CPython's ns/message
divided by this implementation's. The "Async" section appears when the folder has the async benchmarks
(AsyncSend, AsyncAwaits, AsyncPipelines).
"""
import csv
import glob
import json
import os
import re
import statistics
import sys

import chart

UNITS = {"ns": 1.0, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
IMPLS = ["HandWritten", "Generated", "Prototype", "ProtoFinally", "ProtoCore", "ProtoCoreFlag", "PullIterators", "RxNet",
         "AsyncBuilder"]
LABEL = {
    "HandWritten": "hand-written (baseline)",
    "Generated": "**generated**",
    "Prototype": "prototype emission (hand-made control)",
    "ProtoFinally": "prototype handler-free, finally only (helper for every target)",
    "ProtoCore": "prototype handler-free, finally + core",
    "ProtoCoreFlag": "prototype handler-free, finally + core decided at creation",
    "PullIterators": "pull iterators",
    "RxNet": "Rx.NET Subject",
    "AsyncBuilder": "async builder",
}


# BenchmarkDotNet [Params] properties that make a case: W1PassThrough's K ("W1PassThrough k=4"), AsyncAwaits'
# YieldEvery ("AsyncAwaits yieldevery=100").
PARAMS = ("K", "YieldEvery")


def ns(text):
    text = text.strip().replace(",", "")
    if not text or text in ("NA", "-"):
        return None
    value, unit = text.split()
    return float(value) * UNITS[unit]


def size(text):
    text = text.strip().replace(",", "")
    if not text or text in ("NA", "-"):
        return 0.0
    value, unit = text.split()
    return float(value) * {"B": 1, "KB": 1024, "MB": 1024 ** 2}[unit]


def load(folder):
    rows = {}
    for path in glob.glob(os.path.join(folder, "bdn", "results", "*-report.csv")):
        bench = os.path.basename(path)[: -len("-report.csv")].split(".")[-1]
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                job = r["Job"].replace("-quick", "")
                case = bench + "".join(f" {p.lower()}={r[p]}" for p in PARAMS if r.get(p))
                rows[(case, job, r["Method"])] = {
                    "median": ns(r["Median"]), "mean": ns(r["Mean"]), "min": ns(r.get("Min", "")),
                    "alloc": size(r.get("Allocated", "")),
                }
    return rows


def fmt_times(x):
    """A "× faster" figure: whole numbers from 10 up, one decimal below (0.3 means slower)."""
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def fmt(x, digits=2):
    if x is None:
        return "–"
    return f"{x:.{digits}f}" if x < 100 else f"{x:,.0f}"


def load_python(folder):
    path = os.path.join(folder, "python.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def load_send_path(folder):
    """{(label, job): bytes per message} from send-path.txt ("send-path allocations: W1, generated k=4 (TieredPGO=0): 0.0000 B/message ...")."""
    found = {}
    path = os.path.join(folder, "send-path.txt")
    if not os.path.exists(path):
        return found
    with open(path) as f:
        for line in f:
            m = re.match(r"send-path allocations: (.*?)( \(TieredPGO=0\))?: (-?[\d.]+) B/message", line.strip())
            if m:
                found[(m.group(1), "NoPGO" if m.group(2) else "PGO")] = float(m.group(3))
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    chart_only = "--chart-only" in sys.argv[1:]
    if len(args) != 1:
        sys.exit("usage: python3 benchmarks/report.py [--chart-only] benchmarks/results/<run>")
    folder = args[0]
    rows = load(folder)
    py = load_python(folder)
    svg = chart.write(folder, rows, py)
    if chart_only:
        print(f"wrote {svg}" if svg else f"no ratios to chart in {folder}")
        return
    if os.path.exists(os.path.join(folder, "env.txt")):
        with open(os.path.join(folder, "env.txt")) as f:
            print("```\n" + f.read().strip() + "\n```\n")
    if os.path.exists(os.path.join(folder, "loadavg.log")):
        with open(os.path.join(folder, "loadavg.log")) as f:
            loads = [float(line.split()[1]) for line in f if len(line.split()) > 1]
        if loads:
            print(f"1-minute load average during the run (every 10 s): min {min(loads):.2f}, median "
                  f"{statistics.median(loads):.2f}, max {max(loads):.2f} ({len(loads)} samples)\n")

    cases = [("W1PassThrough k=1", "W1k1"), ("W1PassThrough k=4", "W1k4"), ("W2Grep", "W2"), ("W3Broadcast", "W3")]
    py_ns = {r["workload"]: r["ns_per_message"] for r in py["results"]} if py else {}
    if any(case in {c for c, _ in cases} for case, _, _ in rows):
        send_tables(rows, cases, py, py_ns)
    if any(case in ("Create", "Close") for case, _, _ in rows):
        lifecycle_table(rows, py)
    if any(case.startswith(ASYNC_CLASSES) for case, _, _ in rows):
        async_section(rows, py_ns, py, load_send_path(folder))

    if os.path.exists(os.path.join(folder, "send-path.txt")):
        with open(os.path.join(folder, "send-path.txt")) as f:
            lines = [line.strip() for line in f if line.strip()]
        if lines:
            print("\nSend-path allocations (each benchmark process, after its warm-up):\n")
            print("```\n" + "\n".join(sorted(set(lines))) + "\n```")
    if svg:
        print("\n![Ratios to hand-written, log scale](ratios.svg)")


def send_tables(rows, cases, py, py_ns):
    print("| workload | implementation | ns/msg | × hand-written | B/msg | ns/msg (TieredPGO=0) | × hand-written (TieredPGO=0) | × faster than CPython |")
    print("|---|---|---|---|---|---|---|---|")
    for case, short in cases:
        base = rows.get((case, "PGO", "HandWritten"))
        base0 = rows.get((case, "NoPGO", "HandWritten"))
        for impl in IMPLS:
            r = rows.get((case, "PGO", impl))
            r0 = rows.get((case, "NoPGO", impl))
            if r is None and r0 is None:
                continue
            ratio = r["median"] / base["median"] if r and base and r.get("median") and base.get("median") else None
            ratio0 = r0["median"] / base0["median"] if r0 and base0 and r0.get("median") and base0.get("median") else None
            vs_py = py_ns[short] / r["median"] if r and short in py_ns else None
            alloc = f"{r['alloc']:.0f}" if r else "–"
            print(f"| {short} | {LABEL[impl]} | {fmt(r and r['median'])} | {fmt(ratio)} | {alloc} | "
                  f"{fmt(r0 and r0['median'])} | {fmt(ratio0)} | {fmt(vs_py, 0) if vs_py else '–'} |")
        if short in py_ns:
            print(f"| {short} | CPython {py['python']} generators | {py_ns[short]:.1f} | "
                  f"{fmt(py_ns[short] / base['median']) if base else '–'} | – | – | – | 1 |")



def lifecycle_table(rows, py):
    print("\n| lifecycle | implementation | ns | × hand-written | B allocated | ns (TieredPGO=0) |")
    print("|---|---|---|---|---|---|")
    for case, what in (("Create", "create + prime one stage"), ("Close", "Close() of a primed stage")):
        base = rows.get((case, "PGO", "HandWritten"))
        for impl in ("HandWritten", "Generated", "Prototype", "ProtoFinally", "ProtoCore", "ProtoCoreFlag", "AsyncBuilder"):
            r = rows.get((case, "PGO", impl))
            r0 = rows.get((case, "NoPGO", impl))
            if r is None:
                continue
            print(f"| {what} | {LABEL[impl]} | {fmt(r['median'])} | {fmt(r['median'] / base['median']) if base else '–'} | "
                  f"{r['alloc']:.0f} | {fmt(r0 and r0['median'])} |")
        if py:
            key = "create_ns" if case == "Create" else "close_ns"
            print(f"| {what} | CPython {py['python']} generators | {py[key]:.0f} | – | – | – |")


# ---------------------------------------------------------------------------------------------------------------
# Async (benchmarks/CoroutineGen.Benchmarks/Workloads/AsyncBenchmarks.cs, workload A4 = three pass-through stages
# and a summing sink)
# ---------------------------------------------------------------------------------------------------------------
ASYNC_CLASSES = ("AsyncSend", "AsyncAwaits", "AsyncPipelines")

# (case, method) -> (label, the implementation's name in send-path.txt, CPython workload or None)
ASYNC_ROWS = {
    "AsyncSend": [
        ("SyncHandWritten", "hand-written, sync `Send`", "hand-written (sync Send)"),
        ("SyncGenerated", "**generated, sync `Send`** (reference of the 2× target)", "generated (sync Send)"),
        ("HandWritten", "hand-written async (baseline)", "hand-written async"),
        ("Generated", "**generated async `SendAsync`**", "generated async"),
    ],
    "AsyncAwaits": [
        ("HandWritten", "hand-written async, `Task.Yield()` every {y}", "hand-written async, Task.Yield every {y}"),
        ("Generated", "**generated async, `Task.Yield()` every {y}**", "generated async, Task.Yield every {y}"),
    ],
    "AsyncPipelines": [
        ("Generated", "**generated async `SendAsync`** (this class's baseline)", "generated async"),
        ("Channels64", "`Channel<T>` ×4, bounded 64, four consumer tasks", "Channel<T> bounded 64"),
        ("Channels1024", "`Channel<T>` ×4, bounded 1,024, four consumer tasks", "Channel<T> bounded 1024"),
        ("DataflowUnbounded", "TPL Dataflow, 3 TransformBlock + ActionBlock, unbounded", "TPL Dataflow unbounded"),
        ("Dataflow1024", "TPL Dataflow, 3 TransformBlock + ActionBlock, bounded 1,024", "TPL Dataflow bounded 1024"),
        ("AsyncEnumerable", "`IAsyncEnumerable` async iterators, `await foreach`", "IAsyncEnumerable (async iterators)"),
    ],
}


def async_cases(rows):
    """The async cases present, in report order: AsyncSend, AsyncAwaits by YieldEvery descending, AsyncPipelines."""
    present = sorted({case for case, _, _ in rows if case.startswith(ASYNC_CLASSES)})

    def key(case):
        cls = case.split()[0]
        m = re.search(r"yieldevery=(\d+)", case)
        return (ASYNC_CLASSES.index(cls), -int(m.group(1)) if m else 0)

    return sorted(present, key=key)


def async_section(rows, py_ns, py, send_path):
    """The "Async" table of report.md, and its targets."""
    print("\n## Async\n")
    print("Workload A4: a `for` loop pushes ints through three pass-through stages and a summing sink (four stages), "
          "everything awaited to completion inside the invocation; figures per message (BenchmarkDotNet medians). "
          "× sync generated: over the synchronous generated chain (`AsyncSend.SyncGenerated`); × hand-written "
          "async: over the hand-written `IAsyncCoroutine` chain with the same awaits (`AsyncSend.HandWritten`, or "
          "`AsyncAwaits.HandWritten` of the same `YieldEvery`); B/msg: the send path measured on every thread after "
          "the warm-up (`send-path.txt`), and BenchmarkDotNet's allocated bytes per message (pipeline included).\n")
    sync = {job: rows.get(("AsyncSend", job, "SyncGenerated")) for job in ("PGO", "NoPGO")}
    hand_send = {job: rows.get(("AsyncSend", job, "HandWritten")) for job in ("PGO", "NoPGO")}
    py_name = f"CPython {py['python']}" if py else "CPython"

    def ratio(r, base):
        return r["median"] / base["median"] if r and base and r.get("median") and base.get("median") else None

    print("| case | implementation | ns/msg | × sync generated | × hand-written async | B/msg (send path) | "
          "B/msg (BDN) | ns/msg (TieredPGO=0) | × sync generated (TieredPGO=0) | × hand-written async (TieredPGO=0) | "
          "× faster than CPython |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for case in async_cases(rows):
        cls = case.split()[0]
        m = re.search(r"yieldevery=(\d+)", case)
        y = m.group(1) if m else None
        title = {"AsyncSend": "A4, no real await", "AsyncPipelines": "A4 pipelines"}.get(cls) or (
            "A4, `Task.Yield()` every message" if y == "1" else f"A4, `Task.Yield()` every {y} messages")
        hand = {job: rows.get((case, job, "HandWritten")) for job in ("PGO", "NoPGO")} if cls == "AsyncAwaits" else hand_send
        for method, label, sp_name in ASYNC_ROWS[cls]:
            r, r0 = rows.get((case, "PGO", method)), rows.get((case, "NoPGO", method))
            if r is None and r0 is None:
                continue
            label, sp_name = label.format(y=y), sp_name.format(y=y)
            sp = [send_path.get((f"{cls}, {sp_name}", job)) for job in ("PGO", "NoPGO")]
            sp_text = " / ".join(f"{v:.4f}" if v is not None else "–" for v in sp) if any(v is not None for v in sp) else "–"
            py_key = "A4" if cls != "AsyncAwaits" else f"A4y{y}"
            vs_py = py_ns[py_key] / r["median"] if r and py_key in py_ns else None
            print(f"| {title} | {label} | {fmt(r and r['median'])} | {fmt(ratio(r, sync['PGO']))} | "
                  f"{fmt(ratio(r, hand['PGO']))} | {sp_text} | {fmt(r and r['alloc'], 0)} | {fmt(r0 and r0['median'])} | "
                  f"{fmt(ratio(r0, sync['NoPGO']))} | {fmt(ratio(r0, hand['NoPGO']))} | {fmt_times(vs_py)} |")
        py_key = "A4" if cls == "AsyncSend" else (f"A4y{y}" if cls == "AsyncAwaits" else None)
        if py_key and py_key in py_ns:
            what = {"A4": "async generators, `await target.asend(x)` (asyncio)",
                    "A4y1": "async generators, `await asyncio.sleep(0)` every message",
                    "A4y100": "async generators, `await asyncio.sleep(0)` every 100"}[py_key]
            base = sync["PGO"]
            print(f"| {title} | {py_name} {what} | {fmt(py_ns[py_key])} | "
                  f"{fmt(py_ns[py_key] / base['median']) if base else '–'} | "
                  f"{fmt(py_ns[py_key] / hand['PGO']['median']) if hand['PGO'] else '–'} | – | – | – | – | – | 1 |")
    print("\nIn \"× sync generated\" and \"× hand-written async\", less is better; B/msg (send path): default settings / "
          "`TieredPGO=0`.")
    async_targets(rows, send_path)


def async_targets(rows, send_path):
    print("\n| async target | default settings | TieredPGO=0 | met? |")
    print("|---|---|---|---|")

    def med(case, job, method):
        r = rows.get((case, job, method))
        return r["median"] if r else None

    def verdict(values, ok):
        known = [v for v in values if v is not None]
        if not known:
            return "not measured"
        if len(known) < len(values):
            return ("met" if all(ok(v) for v in known) else "**not met**") + " (one job missing)"
        return "met" if all(ok(v) for v in known) else "**not met**"

    # SendAsync <= 2x sync Send, nothing awaiting
    ratios = []
    for job in ("PGO", "NoPGO"):
        a, b = med("AsyncSend", job, "Generated"), med("AsyncSend", job, "SyncGenerated")
        ratios.append(a / b if a and b else None)
    times = [f"{fmt(v)}×" if v else "–" for v in ratios]
    print(f"| generated `SendAsync` ≤ 2× generated sync `Send` (no real await) | {times[0]} | {times[1]} | "
          f"{verdict(ratios, lambda v: v <= 2.0)} |")

    # 0 B per message when nothing awaits
    zero = [send_path.get(("AsyncSend, generated async", job)) for job in ("PGO", "NoPGO")]
    print(f"| 0 B per message when nothing awaits (send path, every thread) | "
          f"{'–' if zero[0] is None else f'{zero[0]:.4f} B'} | {'–' if zero[1] is None else f'{zero[1]:.4f} B'} | "
          f"{verdict(zero, lambda v: round(v, 4) == 0)} |")

    # >= 10x faster than Channels and Dataflow
    for what, methods in (("`Channel<T>` (bounded 64 and 1,024)", ("Channels64", "Channels1024")),
                          ("TPL Dataflow (unbounded and bounded 1,024)", ("DataflowUnbounded", "Dataflow1024"))):
        cells = []
        worst = []
        for job in ("PGO", "NoPGO"):
            g = med("AsyncPipelines", job, "Generated")
            fs = [med("AsyncPipelines", job, m) / g if g and med("AsyncPipelines", job, m) else None for m in methods]
            cells.append(" / ".join(f"{fmt(f)}×" if f else "–" for f in fs))
            known = [f for f in fs if f]
            worst.append(min(known) if len(known) == len(fs) else None)
        print(f"| generated async ≥ 10× faster per message than {what} | {cells[0]} | {cells[1]} | "
              f"{verdict(worst, lambda v: v >= 10)} |")


if __name__ == "__main__":
    main()
