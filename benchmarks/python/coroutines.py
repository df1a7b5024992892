#!/usr/bin/env python3
"""CPython twin of benchmarks/CoroutineGen.Benchmarks: the same workloads with David Beazley's generator
coroutines ("A Curious Course on Coroutines and Concurrency", 2009).

  W1k1 / W1k4  source -> k pass-through stages -> counting sink (ints)
  W2           1,000 distinct log lines, cycled -> grep "python" (1 in 7) -> counting sink
  W3           source -> broadcast -> 3 counting sinks
  A4           asyncio: source -> 3 pass-through async generators -> summing async generator, each stage
               `await target.asend(item)` (PEP 525), nothing really awaits (the C# AsyncSend benchmarks)
  A4y1, A4y100 the same, the last pass-through stage awaiting asyncio.sleep(0) before every (every 100th) message
               (the C# AsyncAwaits benchmarks); A4y1 runs N / 10 messages

Every run's (count, sum) is checked against the expected value (the same as the C# benchmarks' checksums).
Figures are per message pushed by the source: the median over rounds of the measuring thread's CPU time
(time.thread_time_ns, immune to preemption on a shared machine), with the wall-clock median beside it.
Also: create + prime one pass-through stage, and close one primed stage.

Usage: python3 benchmarks/python/coroutines.py [--n 1000000] [--rounds 7] [--json out.json] [--workloads W1k4,A4,...]
"""
import argparse
import asyncio
import functools
import gc
import json
import platform
import random
import statistics
import sys
import time

PATTERN = "python"


def build_lines():
    levels = ["INFO", "WARN", "DEBUG", "ERROR"]
    modules = ["java", "python", "rust", "golang", "node", "dotnet", "ruby"]
    return [
        f"2024-05-{i % 28 + 1:02d} {i % 24:02d}:{i * 7 % 60:02d}:{i * 13 % 60:02d} {levels[i % 4]} "
        f"[{modules[i * 3 % 7]}] request {i * 7919 % 100000} handled in {i % 997} ms by worker-{i % 16}"
        for i in range(1000)
    ]


LINES = build_lines()


def expected(workload, n):
    tri = n * (n - 1) // 2
    if workload in ("W1k1", "W1k4", "A4", "A4y1", "A4y100"):
        return (n, tri)
    if workload == "W3":
        return (3 * n, 3 * tri)
    c = s = 0
    for i in range(n):
        line = LINES[i % len(LINES)]
        if PATTERN in line:
            c += 1
            s += len(line)
    return (c, s)


# ---------------------------------------------------------------------------------------------
# The stages, as Beazley writes them
# ---------------------------------------------------------------------------------------------
def coroutine(func):
    """Priming decorator: advance a new generator to its first (yield)."""
    @functools.wraps(func)
    def start(*args, **kwargs):
        cr = func(*args, **kwargs)
        next(cr)
        return cr
    return start


@coroutine
def passthrough(target):
    try:
        while True:
            item = (yield)
            target.send(item)
    except GeneratorExit:
        target.close()


@coroutine
def grep(pattern, target):
    try:
        while True:
            line = (yield)
            if pattern in line:
                target.send(line)
    except GeneratorExit:
        target.close()


@coroutine
def broadcast(targets):
    try:
        while True:
            item = (yield)
            for t in targets:
                t.send(item)
    except GeneratorExit:
        for t in targets:
            t.close()


@coroutine
def count(result):
    n = total = 0
    try:
        while True:
            x = (yield)
            n += 1
            total += x
    except GeneratorExit:
        result[0] += n
        result[1] += total


@coroutine
def count_str(result):
    n = total = 0
    try:
        while True:
            line = (yield)
            n += 1
            total += len(line)
    except GeneratorExit:
        result[0] += n
        result[1] += total


# ---------------------------------------------------------------------------------------------
# The A4 stages as asynchronous generators (PEP 525), driven by asend() under asyncio
# ---------------------------------------------------------------------------------------------
async def aprime(agen):
    """The async twin of @coroutine: advance a new asynchronous generator to its first (yield)."""
    await agen.asend(None)
    return agen


async def apassthrough(target):
    try:
        while True:
            item = (yield)
            await target.asend(item)
    except GeneratorExit:
        await target.aclose()


async def apassthrough_yielding(every, target):
    i = 0
    try:
        while True:
            item = (yield)
            i += 1
            if i == every:
                i = 0
                await asyncio.sleep(0)  # a real suspension: back to the event loop and resumed by it
            await target.asend(item)
    except GeneratorExit:
        await target.aclose()


async def asum(result):
    n = total = 0
    try:
        while True:
            x = (yield)
            n += 1
            total += x
    except GeneratorExit:
        result[0] += n
        result[1] += total


# ---------------------------------------------------------------------------------------------
# Workloads: build the pipeline, time the source loop and the close, return the sinks' totals
# ---------------------------------------------------------------------------------------------
def w1(k, n):
    result = [0, 0]
    head = count(result)
    for _ in range(k):
        head = passthrough(head)
    t0, u0 = time.perf_counter_ns(), time.thread_time_ns()
    for i in range(n):
        head.send(i)
    head.close()
    u1, t1 = time.thread_time_ns(), time.perf_counter_ns()
    return t1 - t0, u1 - u0, tuple(result)


def w2(n):
    result = [0, 0]
    lines = LINES
    nl = len(lines)
    head = grep(PATTERN, count_str(result))
    t0, u0 = time.perf_counter_ns(), time.thread_time_ns()
    j = 0
    for _ in range(n):
        head.send(lines[j])
        j += 1
        if j == nl:
            j = 0
    head.close()
    u1, t1 = time.thread_time_ns(), time.perf_counter_ns()
    return t1 - t0, u1 - u0, tuple(result)


def w3(n):
    result = [0, 0]
    head = broadcast([count(result), count(result), count(result)])
    t0, u0 = time.perf_counter_ns(), time.thread_time_ns()
    for i in range(n):
        head.send(i)
    head.close()
    u1, t1 = time.thread_time_ns(), time.perf_counter_ns()
    return t1 - t0, u1 - u0, tuple(result)


async def a4(n, every):
    result = [0, 0]
    head = await aprime(asum(result))
    head = await aprime(apassthrough_yielding(every, head) if every else apassthrough(head))
    for _ in range(2):
        head = await aprime(apassthrough(head))
    t0, u0 = time.perf_counter_ns(), time.thread_time_ns()
    for i in range(n):
        await head.asend(i)
    await head.aclose()
    u1, t1 = time.thread_time_ns(), time.perf_counter_ns()
    return t1 - t0, u1 - u0, tuple(result)


WORKLOADS = {"W1k1": lambda n: w1(1, n), "W1k4": lambda n: w1(4, n), "W2": w2, "W3": w3,
             "A4": lambda n: asyncio.run(a4(n, 0)), "A4y1": lambda n: asyncio.run(a4(n, 1)),
             "A4y100": lambda n: asyncio.run(a4(n, 100))}
# Messages per run as a fraction of --n: an event-loop round trip per message costs microseconds.
SCALE = {"A4y1": 10}


def run_checked(name, n):
    wall, cpu, got = WORKLOADS[name](n)
    want = expected(name, n)
    if got != want:
        raise SystemExit(f"checksum mismatch: {name} n={n}: got {got}, expected {want}")
    return wall, cpu


def create_ns(m):
    sink = count([0, 0])
    keep = [None] * m
    u0 = time.thread_time_ns()
    for i in range(m):
        keep[i] = passthrough(sink)
    return (time.thread_time_ns() - u0) / m


def close_ns(m):
    sink = count([0, 0])
    stages = [passthrough(sink) for _ in range(m)]
    u0 = time.thread_time_ns()
    for st in stages:
        st.close()
    return (time.thread_time_ns() - u0) / m


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="messages per run (default 1,000,000)")
    ap.add_argument("--rounds", type=int, default=7, help="rounds; each runs every workload once, shuffled")
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--workloads", help="comma-separated subset of " + ",".join(WORKLOADS) + " (default: all)")
    a = ap.parse_args()
    names = a.workloads.split(",") if a.workloads else list(WORKLOADS)
    unknown = [name for name in names if name not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workloads: {', '.join(unknown)}")

    print(f"# CPython {platform.python_version()} on {platform.platform()}; N = {a.n:,}, rounds = {a.rounds}")
    load_start = loadavg()
    print(f"# loadavg at start: {load_start}")
    size = {name: a.n // SCALE.get(name, 1) for name in names}
    for name in names:  # warm-up: caches, the specializing interpreter, allocator arenas
        run_checked(name, size[name] // 10)
    cpu = {name: [] for name in names}
    wall = {name: [] for name in names}
    creates, closes = [], []
    rng = random.Random(12345)
    for _ in range(a.rounds):
        order = list(names)
        rng.shuffle(order)
        for name in order:
            gc.collect()
            w, c = run_checked(name, size[name])
            wall[name].append(w / size[name])
            cpu[name].append(c / size[name])
        gc.collect()
        creates.append(create_ns(100_000))
        gc.collect()
        closes.append(close_ns(100_000))

    rows = [{"workload": name, "ns_per_message": statistics.median(cpu[name]), "min": min(cpu[name]),
             "max": max(cpu[name]), "wall_ns_per_message": statistics.median(wall[name]), "n": size[name]}
            for name in names]
    print(f"\n{'workload':<8} {'ns/message':>10} {'min':>8} {'max':>8} {'wall':>8}")
    for r in rows:
        print(f"{r['workload']:<8} {r['ns_per_message']:10.1f} {r['min']:8.1f} {r['max']:8.1f} {r['wall_ns_per_message']:8.1f}")
    print(f"{'create':<8} {statistics.median(creates):10.1f} ns per stage (create + prime)")
    print(f"{'close':<8} {statistics.median(closes):10.1f} ns per Close of a primed stage")
    load_end = loadavg()
    print(f"# loadavg at end: {load_end}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"python": platform.python_version(), "n": a.n, "rounds": a.rounds, "results": rows,
                       "create_ns": statistics.median(creates), "close_ns": statistics.median(closes),
                       "loadavg_start": load_start, "loadavg_end": load_end}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
