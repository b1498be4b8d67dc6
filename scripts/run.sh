#!/usr/bin/env bash
# Builds Gapless and runs it on the bundled sample: imports the SSE Composite 1-minute file
# into a SQLite store and prints every gap in it (the chart UI comes with a later release).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" "$root/build" >/dev/null
gapless="$root/build/app/gapless"
db=${GAPLESS_DEMO_DB:-$root/build/demo.db}
sample="$root/resources/data/sse_000001_1m.csv"
"$gapless" --version | head -1
echo "== import $sample into $db"
"$gapless" import "$sample" --series file:cn:000001.SH:1m --db "$db" --no-progress 2>/dev/null || [ $? -eq 3 ]
echo "== gaps"
"$gapless" gaps --series file:cn:000001.SH:1m --db "$db"
