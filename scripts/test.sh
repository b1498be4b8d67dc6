#!/usr/bin/env bash
# Builds the headless tree (core + app, no GUI library) and the full tree, and runs every
# test of both with ctest. Each ctest run starts and stops its own PostgreSQL cluster.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

echo "== headless build (GAPLESS_HEADLESS=ON) =="
bash "$root/scripts/build.sh" "$root/build-headless" -DGAPLESS_HEADLESS=ON
(cd "$root/build-headless" && ctest --output-on-failure -j "$jobs")

echo "== full build =="
bash "$root/scripts/build.sh" "$root/build"
cd "$root/build" && ctest --output-on-failure -j "$jobs"
