#!/usr/bin/env bash
# Runs every benchmark at full size (PERF-0) with a throwaway PostgreSQL server and prints
# the BENCH lines; record them in docs/BENCHMARKS.md with machine, date and commit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-headless}
[ -d "$build" ] || bash "$root/scripts/build.sh" "$build" -DGAPLESS_HEADLESS=ON
cmake --build "$build" --parallel "$(nproc)" >/dev/null
state=$(mktemp -d)
trap 'bash "$root/tests/pg/pgserver.sh" stop "$state" >/dev/null; rm -rf "$state"' EXIT
bash "$root/tests/pg/pgserver.sh" start "$state" >/dev/null
export GAPLESS_TEST_BACKEND=postgresql GAPLESS_TEST_PG_FILE="$state/url" GAPLESS_TEST_DATA="$root/tests/data"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for b in "$build"/tests/bench/bench_*; do
    [ -f "$b" ] && [ -x "$b" ] && "$b" "$@"
done
