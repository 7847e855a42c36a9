#!/usr/bin/env bash
# Builds the packages: a Debian package and a relocatable .tar.gz, into build/packages/.
#
#   scripts/package.sh            (then: sudo apt install ./build/packages/celerity_*.deb)
#
# Uses the build folder of scripts/build.sh ($CELERITY_BUILD_DIR, default ./build, Release).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CELERITY_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
cpack --config "$build/CPackConfig.cmake" -G "DEB;TGZ" -B "$build/packages"
ls -l "$build"/packages/*.deb "$build"/packages/*.tar.gz
