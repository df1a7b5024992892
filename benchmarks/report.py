#!/usr/bin/env python3
"""Tables for docs/performance.md from a folder written by benchmarks/run.sh (BenchmarkDotNet CSV reports of the
Default and NoPGO jobs, python.json from benchmarks/python/coroutines.py, env.txt, loadavg.log).

Usage: python3 benchmarks/report.py benchmarks/results/<run>
Per-message figures are BenchmarkDotNet's medians (OperationsPerInvoke = 1,000,000 messages); ratios are
medians divided by the hand-written baseline's median in the same job; "x CPython" is CPython's ns/message
divided by this implementation's.
"""
import csv
import glob
import json
import os
import statistics
import sys

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
                case = bench + (f" k={r['K']}" if r.get("K") else "")
                rows[(case, job, r["Method"])] = {
                    "median": ns(r["Median"]), "mean": ns(r["Mean"]), "min": ns(r.get("Min", "")),
                    "alloc": size(r.get("Allocated", "")),
                }
    return rows


def fmt(x, digits=2):
    if x is None:
        return "–"
    return f"{x:.{digits}f}" if x < 100 else f"{x:,.0f}"


def main():
    folder = sys.argv[1]
    rows = load(folder)
    py = None
    if os.path.exists(os.path.join(folder, "python.json")):
        with open(os.path.join(folder, "python.json")) as f:
            py = json.load(f)
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
            ratio = r["median"] / base["median"] if r and base else None
            ratio0 = r0["median"] / base0["median"] if r0 and base0 else None
            vs_py = py_ns[short] / r["median"] if r and short in py_ns else None
            alloc = f"{r['alloc']:.0f}" if r else "–"
            print(f"| {short} | {LABEL[impl]} | {fmt(r and r['median'])} | {fmt(ratio)} | {alloc} | "
                  f"{fmt(r0 and r0['median'])} | {fmt(ratio0)} | {fmt(vs_py, 0) if vs_py else '–'} |")
        if short in py_ns:
            print(f"| {short} | CPython {py['python']} generators | {py_ns[short]:.1f} | "
                  f"{fmt(py_ns[short] / base['median']) if base else '–'} | – | – | – | 1 |")

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

    if os.path.exists(os.path.join(folder, "send-path.txt")):
        with open(os.path.join(folder, "send-path.txt")) as f:
            lines = [line.strip() for line in f if line.strip()]
        if lines:
            print("\nSend-path allocations (each benchmark process, after its warm-up):\n")
            print("```\n" + "\n".join(sorted(set(lines))) + "\n```")


if __name__ == "__main__":
    main()
