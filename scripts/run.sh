#!/usr/bin/env bash
# The run command: installs what is missing, builds, generates an image, opens the studio.
#
#   scripts/run.sh [generate options...]
#
# The model is $CELERITY_MODEL (default: the tiny SD 1.x checkpoint of the shared golden
# folder, which runs in seconds on a CPU); images go to ./outputs as NNNNN-SEED.png with
# A1111 `parameters` metadata. With a display, the studio window opens afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CELERITY_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"

model="${CELERITY_MODEL:-$root/../shared/golden/sd15_tiny.safetensors}"
if [ -f "$model" ]; then
  if [ $# -eq 0 ]; then
    set -- --prompt "a photo of a cat, (watercolor:1.2)" --negative "blurry" \
           --steps 8 --width 128 --height 128 --seed 42 --sampler "DPM++ 2M" --scheduler karras
  fi
  "$build/app/cli/celerity-cli" generate --model "$model" --out "$root/outputs" "$@"
else
  echo "run: no model at $model (set CELERITY_MODEL to a .safetensors checkpoint)" >&2
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/app/celerity"
fi
echo "run: no display; start the studio with $build/app/celerity" >&2
