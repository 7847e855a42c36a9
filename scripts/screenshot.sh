#!/usr/bin/env bash
# Makes the README's screenshot: starts the studio on a virtual display (Xvfb, or Qt's
# offscreen platform when xvfb-run is missing), generates one small image (256×256, 8 steps:
# seconds on a CPU) with the tiny checkpoint and saves the window — finished job, profiler
# overlay visible — as a PNG.
#
#   scripts/screenshot.sh [OUT.png]        (default: docs/screenshot.png)
#
# Environment: CELERITY_BUILD_DIR (default ./build), CELERITY_MODEL (default: the shared
# golden tiny SD 1.x checkpoint; made on the spot with `celerity-cli make-checkpoint` when
# absent), CELERITY_SCREENSHOT_TIMEOUT (seconds, default 300).
#
# It relies on the studio's hidden options for this purpose:
#   celerity --settings INI --model FILE --auto-generate --screenshot OUT.png
# (select FILE, press Generate once at 256×256 / 8 steps, and when the job has finished and the
# overlay shows its profile, grab the main window into OUT.png and quit; a non-zero exit
# status on failure).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CELERITY_BUILD_DIR:-$root/build}"
out="${1:-$root/docs/screenshot.png}"
timeout_s="${CELERITY_SCREENSHOT_TIMEOUT:-300}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

if [ ! -x "$build/app/celerity" ] || [ ! -x "$build/app/cli/celerity-cli" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${CELERITY_BUILD_TYPE:-Release}" >/dev/null
  cmake --build "$build" --target celerity celerity-cli
fi

# A scratch home: the screenshot must not depend on (or change) the user's saved settings,
# and the image it generates goes there, not into the user's outputs.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home"

model="${CELERITY_MODEL:-$root/../shared/golden/sd15_tiny.safetensors}"
if [ ! -f "$model" ]; then
  model="$scratch/demo_sd15_tiny.safetensors"
  echo "screenshot: no checkpoint found; making a tiny random one at $model" >&2
  "$build/app/cli/celerity-cli" make-checkpoint --arch sd15 --size tiny --seed 42 "$model"
fi
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"

rm -f "$out"
command=("$build/app/celerity" --settings "$scratch/celerity.ini" --model "$model" --auto-generate --screenshot "$out")
export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
export LC_ALL="${LC_ALL:-C.UTF-8}"
cd "$scratch"
status=0
if command -v xvfb-run >/dev/null 2>&1; then
  # A real X server renders fonts and styles exactly as a desktop would.
  timeout "$timeout_s" xvfb-run -a -s "-screen 0 1600x1000x24" \
    env QT_QPA_PLATFORM=xcb "${command[@]}" || status=$?
else
  timeout "$timeout_s" env QT_QPA_PLATFORM=offscreen "${command[@]}" || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "screenshot: the studio failed (exit status $status; 124 = timed out after ${timeout_s} s)" >&2
  exit "$status"
fi

if [ ! -s "$out" ]; then
  echo "screenshot: the studio exited without writing $out" >&2
  exit 1
fi
echo "screenshot: wrote $out"
