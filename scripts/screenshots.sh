#!/usr/bin/env bash
# Writes docs/screenshots/*.png with `gapless --screenshot` (UI-16) on the demo data: the
# replay exchange's DEMO/USDT series (from `gapless demo`) and the imported SSE sample.
# Usage: screenshots.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
gapless="$build/app/gapless"
out="$root/docs/screenshots"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME/gapless" "$out"
db="$work/demo.db"
"$gapless" demo --headless --duration 30s --db "$db" >/dev/null
"$gapless" import "$root/resources/data/sse_000001_1m.csv" --series file:cn:000001.SH:1m --db "$db" \
    --no-progress >/dev/null 2>&1 || [ $? -eq 3 ]
# The window opens on the imported series: it has holes (lunch breaks, nights) to show.
printf '[ui]\nseries=file:cn:000001.SH:1m\n' >"$XDG_CONFIG_HOME/gapless/gapless-ui.ini"
for panel in main health compensation progress gaps review jobs flags; do
    QT_QPA_PLATFORM=offscreen "$gapless" --db "$db" --screenshot "$out/$panel.png" --panel "$panel" 2>/dev/null
    echo "screenshots: $out/$panel.png"
done
