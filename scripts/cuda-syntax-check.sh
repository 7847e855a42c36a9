#!/usr/bin/env bash
# Syntax check of the CUDA-only code on a machine without a CUDA LibTorch (CI, the dev box).
#
# The CPU build never compiles engine/src/**/cuda/*.cpp (engine/CMakeLists.txt leaves them out
# unless LibTorch has CUDA) nor the `#if CELERITY_WITH_CUDA` blocks of other files, so a typo
# there would surface only on the GPU machine, where every minute counts. This runs
# `g++ -fsyntax-only` over
#   - every engine/src/**/cuda/*.cpp, and
#   - every other engine or app/cli .cpp that mentions CELERITY_WITH_CUDA,
# with CELERITY_WITH_CUDA=1, the engine's precompiled header forced in (as the build does),
# Debian's LibTorch headers (libtorch-dev ships ATen/cuda and c10/cuda) and the CUDA toolkit's
# headers (/usr/local/cuda/include, or $CUDA_HOME/include, or Debian's nvidia-cuda-dev).
# API differences of LibTorch 2.x are not seen here: that is the GPU run's build.
#
#   bash scripts/cuda-syntax-check.sh [FILE...]  # exit 1 when any file has an error
#   CELERITY_REQUIRE_CUDA_CHECK=1 ...            # also fail when no CUDA headers exist
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian's LibTorch headers (ATen/cuda, c10/cuda): from libtorch-dev.
if ! [ -f /usr/include/ATen/cuda/CUDAEvent.h ]; then
  echo "cuda-syntax-check: installing libtorch-dev"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends libtorch-dev g++ >/dev/null
fi

cuda_include=""
for dir in "${CUDA_HOME:-}/include" /usr/local/cuda/include /usr/include; do
  if [ -f "$dir/cuda_runtime_api.h" ]; then cuda_include="$dir"; break; fi
done
if [ -z "$cuda_include" ]; then
  # Debian's CUDA headers live in non-free; try them only where apt knows the package.
  if apt-cache policy nvidia-cuda-dev 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get install -y -qq --no-install-recommends nvidia-cuda-dev >/dev/null || true
    [ -f /usr/include/cuda_runtime_api.h ] && cuda_include=/usr/include
  fi
fi
if [ -z "$cuda_include" ]; then
  echo "cuda-syntax-check: SKIPPED — no CUDA headers (cuda_runtime_api.h) in \$CUDA_HOME/include," \
       "/usr/local/cuda/include or /usr/include" >&2
  [ "${CELERITY_REQUIRE_CUDA_CHECK:-0}" = 1 ] && exit 1
  exit 0
fi

if [ $# -gt 0 ]; then
  files=("$@")  # explicit files instead of the search
else
mapfile -t files < <(
  { find engine/src -path '*/cuda/*.cpp' -type f
    grep -rlE --include='*.cpp' 'CELERITY_WITH_CUDA' engine/src app/cli 2>/dev/null || true
  } | sort -u)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "cuda-syntax-check: no CUDA-only translation units"
  exit 0
fi

flags=(
  -std=c++17 -fsyntax-only -D_GLIBCXX_USE_CXX11_ABI=1
  -DCELERITY_WITH_CUDA=1 -DCELERITY_VERSION='"syntax-check"'
  -DSPDLOG_HEADER_ONLY -DSPDLOG_FMT_EXTERNAL -DFMT_HEADER_ONLY
  # Debian's c10/cuda lacks the generated cuda_cmake_macros.h (export macros only).
  -DC10_CUDA_NO_CMAKE_CONFIGURE_FILE
  -Iengine/include -Iengine/src -Iapp/cli
  -isystem /usr/include/torch/csrc/api/include -isystem "$cuda_include"
  -include engine/src/common/TorchPch.h
)
echo "cuda-syntax-check: ${#files[@]} file(s) against /usr/include/ATen/cuda and $cuda_include"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# In parallel, one job per core: the torch headers dominate (a few seconds per file).
for file in "${files[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
  out="$tmp/$(echo "$file" | tr / _)"
  ( if g++ "${flags[@]}" "$file" >"$out.log" 2>&1; then touch "$out.ok"; fi ) &
done
wait
status=0
for file in "${files[@]}"; do
  out="$tmp/$(echo "$file" | tr / _)"
  if [ -f "$out.ok" ]; then
    echo "  ok    $file"
  else
    echo "  FAIL  $file"
    cat "$out.log"
    status=1
  fi
done
exit $status
