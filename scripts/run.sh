#!/usr/bin/env bash
# Builds Gapless and opens the GUI demo: the bundled SSE Composite 1-minute sample imported
# into a SQLite store, shown by `gapless` with its embedded core. Without a display (no
# DISPLAY or WAYLAND_DISPLAY) it runs under xvfb-run. Close the window (or Ctrl+C) to stop.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" "$root/build" >/dev/null
gapless="$root/build/app/gapless"
db=${GAPLESS_DEMO_DB:-$root/build/demo.db}
sample="$root/resources/data/sse_000001_1m.csv"
"$gapless" --version | head -1
if [ ! -e "$db" ]; then
    echo "== import $sample into $db"
    "$gapless" import "$sample" --series file:cn:000001.SH:1m --db "$db" --no-progress 2>/dev/null || [ $? -eq 3 ]
fi
echo "== gapless --db $db"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "   no display: running under xvfb-run (take a picture with: gapless --db $db --screenshot shot.png)"
    exec xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb "$gapless" --db "$db" "$@"
fi
exec "$gapless" --db "$db" "$@"
