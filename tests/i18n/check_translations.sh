#!/usr/bin/env bash
# Checks that translations/celerity_ru.ts is complete and up to date: lupdate runs over the
# current sources (ui/ and app/ without the English-only app/cli, as the celerity_lupdate
# target does) into a temporary copy, and the check fails when a message there is
# unfinished, empty, new, or when the committed file holds messages the sources no longer
# have. lrelease then builds the copy and must report no unfinished or untranslated text.
#
#   check_translations.sh [--update] <source root> [lupdate] [lrelease]
#
# --update writes lupdate's result into the committed file instead (the way to refresh it
# after editing tr() strings; then translate what it marks unfinished).
set -euo pipefail

update=0
if [[ "${1:-}" == "--update" ]]; then
  update=1
  shift
fi
root="$(cd "${1:?usage: check_translations.sh [--update] <source root> [lupdate] [lrelease]}" && pwd)"
lupdate="${2:-lupdate}"
lrelease="${3:-lrelease}"
committed="$root/translations/celerity_ru.ts"

if [[ $update -eq 0 && ! -f "$committed" ]]; then
  echo "FAIL: $committed does not exist" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
copy="$work/celerity_ru.ts"
if [[ -f "$committed" ]]; then cp "$committed" "$copy"; fi

# From the root, so that lupdate sees the same relative file names wherever it runs.
cd "$root"
mapfile -t sources < <(find ui app \( -name '*.cpp' -o -name '*.h' \) -not -path 'app/cli/*' | LC_ALL=C sort)
"$lupdate" -silent -no-obsolete -locations none -source-language en -target-language ru \
  "${sources[@]}" -ts "$copy"

if [[ $update -eq 1 ]]; then
  cp "$copy" "$committed"
  echo "updated $committed"
fi

# One record per <message>: report those lupdate marks unfinished (new ones included) or
# whose translation (or a plural form) is empty, with their context and source text.
problems="$(awk 'BEGIN { RS = "</message>" }
  {
    block = $0
    at = index(block, "<message")
    if (match(block, /<name>[^<]*<\/name>/) && (at == 0 || RSTART < at)) context = substr(block, RSTART + 6, RLENGTH - 13)
    if (at == 0) next
    src = block
    sub(/.*<source>/, "", src); sub(/<\/source>.*/, "", src); gsub(/\n/, "\\n", src)
    bad = ""
    if (block ~ /type="unfinished"/) bad = "unfinished"
    else if (block ~ /type="(vanished|obsolete)"/) bad = "obsolete"
    else if (block ~ /<translation><\/translation>|<translation\/>|<numerusform><\/numerusform>|<numerusform\/>/) bad = "empty"
    if (bad != "") printf "  [%s] %s: \"%s\"\n", bad, context, src
  }' "$copy")"

# Messages the committed file has but the sources no longer produce (lupdate dropped them).
stale="$(diff <(grep -v '<location' "$committed") "$copy" | grep '^< ' | grep -E '<source>|<comment>' || true)"

status=0
if [[ -n "$problems" ]]; then
  echo "FAIL: messages without a finished Russian translation (translate them in $committed;"
  echo "      refresh it first with: tests/i18n/check_translations.sh --update .):"
  echo "$problems"
  status=1
fi
if [[ $update -eq 0 ]] && ! diff -q <(grep -v '<location' "$committed") "$copy" >/dev/null; then
  echo "FAIL: $committed is not what lupdate writes for the current sources"
  echo "      (refresh it with: tests/i18n/check_translations.sh --update .)"
  if [[ -n "$stale" ]]; then
    echo "  messages the sources no longer have:"
    echo "$stale" | sed 's/^< */    /'
  fi
  diff -u <(grep -v '<location' "$committed") "$copy" | head -40 | sed 's/^/    /'  || true
  status=1
fi

# lrelease must take every message: no unfinished ones, no ignored untranslated ones.
release_log="$("$lrelease" "$copy" -qm "$work/celerity_ru.qm" 2>&1)"
echo "$release_log"
if grep -Eq 'untranslated|[1-9][0-9]* unfinished' <<<"$release_log"; then
  echo "FAIL: lrelease reports unfinished or untranslated messages"
  status=1
fi
if [[ ! -s "$work/celerity_ru.qm" ]]; then
  echo "FAIL: lrelease wrote no .qm file"
  status=1
fi

total="$(grep -c '<message' "$copy" || true)"
if [[ $status -eq 0 ]]; then
  echo "OK: $total messages, all translated into Russian, file up to date with the sources"
fi
exit $status
