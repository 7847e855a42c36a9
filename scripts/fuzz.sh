#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/) for a bounded time each; not part of the test suite.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 s each, every target)
#
# Builds the clang fuzz build in $CELERITY_FUZZ_BUILD_DIR (default ./build-fuzz) when needed,
# makes the seed corpora from the golden folder ($CELERITY_GOLDEN_DIR, default
# ../shared/golden) into build-fuzz/corpus/<target>/ (kept between runs: it grows), and
# saves any crashing input to build-fuzz/findings/<target>/. Prints executions, coverage and
# findings per target, also written to build-fuzz/fuzz-summary.md. Exit status 1 when a
# target found something. Replay a finding: build-fuzz/fuzz/<target> <file>.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CELERITY_FUZZ_BUILD_DIR:-$root/build-fuzz}"
golden="${CELERITY_GOLDEN_DIR:-$root/../shared/golden}"
seconds="${1:-60}"
shift || true
all_targets=(fuzz_safetensors fuzz_pt_reader fuzz_pickle fuzz_prompt fuzz_infotext fuzz_png_text
             fuzz_lora_keys fuzz_lora_file)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ is missing (apt-get install clang)" >&2
  exit 2
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCELERITY_FUZZ=ON -DCELERITY_BUILD_GUI=OFF -DCELERITY_BUILD_TESTS=OFF >/dev/null
fi
nice -n 10 ninja -C "$build" -j "${CELERITY_JOBS:-1}" "${targets[@]}"

python3 "$root/fuzz/make_seeds.py" "$golden" "$build/corpus" >/dev/null

# Undefined behaviour stops the run like a crash; leaks of an input count as findings.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
summary="$build/fuzz-summary.md"
{
  echo "| target | seconds | executions | exec/s | coverage (edges) | corpus | findings |"
  echo "|---|---|---|---|---|---|---|"
} >"$summary"
status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"
  findings="$build/findings/$target"
  mkdir -p "$corpus" "$findings"
  log="$build/fuzz-$target.log"
  rc=0
  "$build/fuzz/$target" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=20 \
    -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1 || rc=$?
  runs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)"
  speed="$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)"
  cov="$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)"
  found="$(find "$findings" -type f | wc -l)"
  [ "$rc" -eq 0 ] || status=1
  [ "$found" -eq 0 ] || status=1
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$seconds" "${runs:-?}" "${speed:-?}" \
    "${cov:-?}" "$(find "$corpus" -type f | wc -l)" "$found" >>"$summary"
  if [ "$rc" -ne 0 ]; then
    echo "fuzz: $target stopped with status $rc; see $log" >&2
    grep -E 'ERROR|SUMMARY|invariant|escaped' "$log" | head -5 >&2 || true
  fi
done
cat "$summary"
exit "$status"
