#!/usr/bin/env bash
# Fetches the small build dependencies that the GPU machine lacks (it has LibTorch with CUDA,
# CMake, ninja and a compiler, but no -dev packages, no network) into a git-ignored folder
# that travels with the working tree (`carry`). Run it here, once, before a device run:
#
#   bash scripts/fetch-device-deps.sh [--diffusers GITDIR] [DEST]   # DEST: third_party/device
#   cmake ... -DCELERITY_DEPS_PREFIX=third_party/device/usr   # CMake then looks there first
#
# What lands in DEST/usr (Debian 12 packages, unpacked with dpkg -x, about 10 MiB):
#   include/  spdlog + fmt (used header-only), nlohmann/json, CLI11, pcre2.h, png.h, zlib.h
#   lib/      libpcre2-8.a, libpng16.a (libpng.a), libz.a — static, so nothing is needed at run
#             time and no rpath is involved
#   share/cmake/nlohmann_json/   its CMake package (header-only)
# and DEST/clip/bpe_simple_vocab_16e6.txt.gz, the CLIP vocabulary (../shared does not travel).
# --diffusers GITDIR: a clone (or bare git folder) of huggingface/diffusers: its src/diffusers,
# less the pipelines (about 9 MiB), goes to DEST/python/diffusers for the side-by-side step of
# bench/device-check.sh (the device machine has PyTorch but not diffusers, and no network).
# Idempotent: an existing DEST is replaced.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
diffusers_git=""
dest="$root/third_party/device"
while [ $# -gt 0 ]; do
  case "$1" in
    --diffusers) diffusers_git="$2"; shift ;;
    *) dest="$1" ;;
  esac
  shift
done
case "$dest" in /*) ;; *) dest="$PWD/$dest" ;; esac

packages=(libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libpcre2-dev libpng-dev zlib1g-dev)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt's _apt user writes there

download() { (cd "$work" && apt-get download -q -o APT::Sandbox::User=root "${packages[@]}" >/dev/null); }
if ! download; then  # empty or stale package lists
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  download
fi

rm -rf "$dest"
mkdir -p "$dest"
for deb in "$work"/*.deb; do
  dpkg -x "$deb" "$dest"
  dpkg-deb -f "$deb" Package Version | paste -sd' ' >>"$dest/PACKAGES.txt"
done

usr="$dest/usr"
arch_lib="$usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
# Libraries into lib/: found even by a compiler that knows no multiarch folder.
if [ -d "$arch_lib" ]; then
  mkdir -p "$usr/lib"
  find "$arch_lib" -maxdepth 1 \( -type f -o -type l \) -exec mv -t "$usr/lib" {} +
  mv "$arch_lib/cmake" "$usr/lib/" 2>/dev/null || true
  rm -rf "$arch_lib"
fi
# Keep the static libraries the engine links; drop what would pull in shared libraries the
# GPU machine may lack, and the CMake/pkg-config files that name /usr.
find "$usr/lib" -maxdepth 1 -name '*.so*' -delete
rm -f "$usr"/lib/libpcre2-{16,32,posix}.a "$usr"/lib/libfmt.a "$usr"/lib/libspdlog.a
rm -rf "$usr/lib/pkgconfig" "$usr/share/pkgconfig" "$usr/lib/cmake/spdlog" "$usr/lib/cmake/fmt" \
       "$usr/share/doc" "$usr/share/man" "$usr/share/lintian" "$usr/bin"
# Symbolic links travel as links: make every link a plain file (dangling ones go).
find "$dest" -type l | while read -r link; do
  if target="$(readlink -f "$link")" && [ -f "$target" ]; then
    cp --remove-destination "$target" "$link"
  elif target="$(readlink -f "$link")" && [ -d "$target" ]; then
    rm "$link" && cp -r "$target" "$link"
  else
    rm "$link"
  fi
done

find "$dest" -depth -type d -empty -delete

# The CLIP vocabulary: every generate/bench run tokenizes its prompt.
vocab="${CELERITY_CLIP_VOCAB:-$root/../shared/data/clip/bpe_simple_vocab_16e6.txt.gz}"
if [ -f "$vocab" ]; then
  mkdir -p "$dest/clip"
  cp "$vocab" "$dest/clip/bpe_simple_vocab_16e6.txt.gz"
else
  echo "fetch-device-deps: no CLIP vocabulary at $vocab (set CELERITY_CLIP_VOCAB)" >&2
fi

if [ -n "$diffusers_git" ]; then
  mkdir -p "$dest/python"
  git --git-dir="$(git -C "$diffusers_git" rev-parse --absolute-git-dir)" \
    archive --format=tar HEAD src/diffusers |
    tar -x -C "$dest/python" --strip-components=1 \
      --exclude='src/diffusers/pipelines' --exclude='src/diffusers/modular_pipelines' \
      --exclude='src/diffusers/commands' --exclude='src/diffusers/experimental'
  # Imported lazily, only by code the benchmark never reaches; keep an empty package.
  mkdir -p "$dest/python/diffusers/pipelines"
  touch "$dest/python/diffusers/pipelines/__init__.py"
  echo "diffusers $(git --git-dir="$(git -C "$diffusers_git" rev-parse --absolute-git-dir)" rev-parse HEAD)" >>"$dest/PACKAGES.txt"
fi

for f in spdlog/spdlog.h fmt/format.h nlohmann/json.hpp CLI/CLI.hpp pcre2.h png.h zlib.h; do
  [ -f "$usr/include/$f" ] || { echo "fetch-device-deps: $f missing from $usr/include" >&2; exit 1; }
done
for f in libpcre2-8.a libpng16.a libz.a; do
  [ -f "$usr/lib/$f" ] || { echo "fetch-device-deps: $f missing from $usr/lib" >&2; exit 1; }
done
echo "fetch-device-deps: $(du -sh "$dest" | cut -f1) in $dest (configure with -DCELERITY_DEPS_PREFIX=$usr)"
