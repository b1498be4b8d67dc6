#!/usr/bin/env bash
# Builds Gapless and opens the GUI demo (`gapless demo`, BF-24): a local replay exchange
# streams the bundled SSE Composite 1-minute sample as DEMO/USDT with an outage every minute,
# so gaps appear and heal, and the sample itself is imported as file:cn:000001.SH:1m. The
# demo's store is temporary unless GAPLESS_DEMO_DB names one. Without a display (no DISPLAY
# or WAYLAND_DISPLAY) it runs under xvfb-run. Close the window (or Ctrl+C) to stop.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" "$root/build" >/dev/null
gapless="$root/build/app/gapless"
args=(demo)
[ -n "${GAPLESS_DEMO_DB:-}" ] && args=(--db "$GAPLESS_DEMO_DB" demo)
"$gapless" --version | head -1
echo "== gapless ${args[*]}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "   no display: running under xvfb-run (a picture of the window: gapless --db DB --screenshot shot.png)"
    exec xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb "$gapless" "${args[@]}"
fi
exec "$gapless" "${args[@]}"
