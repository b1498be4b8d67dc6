#!/usr/bin/env bash
# Builds Gapless and runs it on the bundled sample: imports it into a SQLite store and
# prints its gaps.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" "$root/build" >/dev/null
"$root/build/app/gapless" --version
