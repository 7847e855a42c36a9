#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (unit and golden).
# Golden vectors come from $CELERITY_GOLDEN_DIR (default ../shared/golden).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
cd "${CELERITY_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "$(nproc)" "$@"
