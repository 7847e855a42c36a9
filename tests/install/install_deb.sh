#!/usr/bin/env bash
# The .deb works where it is unpacked, with nothing of the build tree: cpack builds it from
# this build folder, `dpkg -x` unpacks it into a scratch root, and the programs run from
# there with a clean environment (a scratch HOME, no CELERITY_* variables).
#
#   tests/install/install_deb.sh BUILD_DIR [CLIP_VOCAB]
#
# Checks: the package's Depends name the Debian packages of LibTorch and Qt; the layout
# (binaries, translations, desktop entry, icons, metainfo); `celerity-cli --version`,
# `make-checkpoint` + `inspect`; that the CLIP vocabulary is not found through any path of
# the build machine (the first-run message), and is found in the installed tree's own
# share/celerity/clip and in the user's data folder.
set -euo pipefail
build="$(cd "$1" && pwd)"
vocab="${2:-}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "install test: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/packages" >"$scratch/cpack.log" 2>&1 \
  || { cat "$scratch/cpack.log" >&2; fail "cpack failed"; }
deb="$(ls "$scratch"/packages/*.deb)"
depends="$(dpkg-deb --field "$deb" Depends)"
echo "Depends: $depends"
for needed in libtorch libc6; do
  [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed"
done
if [ -f "$build/app/celerity" ]; then
  [[ "$depends" == *libqt6widgets6* ]] || fail "Depends lacks libqt6widgets6"
fi

root="$scratch/root"
dpkg -x "$deb" "$root"
prefix="$root/usr"
cli="$prefix/bin/celerity-cli"
[ -x "$cli" ] || fail "no usr/bin/celerity-cli in the package"
if [ -f "$build/app/celerity" ]; then
  for file in bin/celerity share/applications/io.github.celerity.Celerity.desktop \
              share/metainfo/io.github.celerity.Celerity.metainfo.xml \
              share/icons/hicolor/scalable/apps/io.github.celerity.Celerity.svg \
              share/icons/hicolor/48x48/apps/io.github.celerity.Celerity.png \
              share/icons/hicolor/256x256/apps/io.github.celerity.Celerity.png; do
    [ -s "$prefix/$file" ] || fail "missing $file"
  done
  # One .qm for every translations/celerity_<lang>.ts of the sources.
  for ts in "$(dirname "${BASH_SOURCE[0]}")"/../../translations/*.ts; do
    [ -e "$ts" ] || continue
    qm="share/celerity/translations/$(basename "${ts%.ts}").qm"
    [ -s "$prefix/$qm" ] || fail "missing $qm"
  done
fi

# A clean environment: nothing points back at the build tree or the user's setup.
mkdir -p "$scratch/home" "$scratch/work"
run() { (cd "$scratch/work" && env -i HOME="$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"); }

version="$(run "$cli" --version)"
echo "$version"
[[ "$version" == "celerity-cli "* ]] || fail "unexpected --version output: $version"

run "$cli" make-checkpoint --arch sd15 --size tiny --seed 3 "$scratch/work/tiny.safetensors" >/dev/null
inspect="$(run "$cli" inspect "$scratch/work/tiny.safetensors")"
echo "$inspect" | head -5
[[ "$inspect" == *"SD 1"* ]] || fail "inspect did not recognise the tiny SD 1.x checkpoint"

# No path of the build machine finds the vocabulary: the first-run message instead.
if run "$cli" tokenize "a cat" >"$scratch/tok.out" 2>"$scratch/tok.err"; then
  fail "tokenize found a CLIP vocabulary in a clean environment: $(cat "$scratch/tok.out")"
fi
grep -q "download bpe_simple_vocab_16e6.txt.gz" "$scratch/tok.err" \
  || { cat "$scratch/tok.err" >&2; fail "no first-run message for the missing vocabulary"; }

if [ -n "$vocab" ] && [ -e "$vocab" ]; then
  # Beside the program: <prefix>/share/celerity/clip of the unpacked tree.
  mkdir -p "$prefix/share/celerity/clip"
  cp -L "$vocab" "$prefix/share/celerity/clip/bpe_simple_vocab_16e6.txt.gz"
  run "$cli" tokenize "a cat" | grep -q . || fail "vocabulary beside the program not found"
  rm -r "$prefix/share/celerity/clip"
  # The user's data folder.
  mkdir -p "$scratch/home/.local/share/celerity/clip"
  cp -L "$vocab" "$scratch/home/.local/share/celerity/clip/bpe_simple_vocab_16e6.txt.gz"
  run "$cli" tokenize "a cat" | grep -q . || fail "vocabulary in ~/.local/share/celerity/clip not found"
fi
echo "install test: ok ($(basename "$deb"), $(du -h "$deb" | cut -f1))"
