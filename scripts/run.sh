#!/usr/bin/env bash
# The run command: installs what is missing, builds, starts the studio window.
# Without a display it starts offscreen (QT_QPA_PLATFORM=offscreen) so the command still works.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
fi
exec "${CELERITY_BUILD_DIR:-$root/build}/app/celerity" "$@"
