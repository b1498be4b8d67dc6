#!/usr/bin/env bash
# Installs every package Gapless needs to build, test and run (Debian 12, as root).
set -euo pipefail
packages=(
    cmake ninja-build g++ git
    qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libgl-dev libxkbcommon-dev libvulkan-dev
    qt6-charts-dev qt6-websockets-dev libqt6sql6-sqlite libqt6sql6-psql qt6-qpa-plugins
    libsqlite3-dev zlib1g-dev postgresql xvfb xauth imagemagick fonts-dejavu-core bsdutils
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing ${missing[*]}; expected to run as root to install them" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
