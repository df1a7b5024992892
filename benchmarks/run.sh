#!/usr/bin/env bash
# Runs the whole benchmark suite and collects the results in one folder (see docs/performance.md):
#   benchmarks/run.sh [--quick] [OUT_DIR]        default OUT_DIR: benchmarks/results/<UTC date-time>
# WAIT_QUIET=1 first waits (at most 30 min) until the 1-minute load average is below QUIET_LOAD (default 1.0).
# Extra BenchmarkDotNet arguments can be given in BDN_ARGS (e.g. BDN_ARGS="--filter *W1*").
set -euo pipefail
cd "$(dirname "$0")/.."

quick=""
if [[ "${1:-}" == "--quick" ]]; then quick="--quick"; shift; fi
out="${1:-benchmarks/results/$(date -u +%Y-%m-%dT%H%MZ)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

load1() { cut -d' ' -f1 /proc/loadavg; }
if [[ "${WAIT_QUIET:-0}" == "1" ]]; then
  for _ in $(seq 180); do
    awk -v l="$(load1)" -v q="${QUIET_LOAD:-1.0}" 'BEGIN { exit !(l < q) }' && break
    sleep 10
  done
fi

# a load-average sample every 10 s while the suite runs
( while true; do echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg)"; sleep 10; done ) > "$out/loadavg.log" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT

{
  echo "date (UTC): $(date -u '+%Y-%m-%d %H:%M')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
  echo "os: $(uname -sr)"
  echo "dotnet sdk: $(dotnet --version); runtime: $(dotnet --list-runtimes | grep NETCore.App | tail -1)"
  echo "python: $(python3 --version 2>&1)"
  echo "mode: ${quick:-full}; BDN_ARGS: ${BDN_ARGS:-}"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/env.txt"

dotnet build -c Release benchmarks/CoroutineGen.Benchmarks -v q -nologo
# shellcheck disable=SC2086
dotnet run -c Release --no-build --project benchmarks/CoroutineGen.Benchmarks -- $quick --artifacts "$out/bdn" ${BDN_ARGS:-} \
  | tee "$out/bdn.txt"
echo "loadavg after C#: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"
python3 benchmarks/python/coroutines.py --json "$out/python.json" | tee "$out/python.txt"
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"

grep "send-path allocations" "$out/bdn.txt" | sed "s/^.*send-path/send-path/" | sort -u > "$out/send-path.txt" || true
# keep the reports, drop what is large or redundant (bdn.txt, the full console log, is not committed)
rm -f "$out"/bdn/results/*.html "$out"/bdn/*.log
python3 benchmarks/report.py "$out" > "$out/report.md"
echo "tables: $out/report.md"
