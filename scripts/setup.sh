#!/usr/bin/env bash
# Installs every Debian package Celerity needs to build, test and run.
# Idempotent and quiet; runs `apt-get update` only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-pthread
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libgl-dev
  libopencv-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev
  libpcre2-dev zlib1g-dev libpng-dev libcli11-dev libicu-dev
  opencv-data xvfb xauth
  librsvg2-bin dpkg-dev appstream   # packages: icons, .deb dependencies, metainfo check
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
