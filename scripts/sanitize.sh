#!/usr/bin/env bash
# Builds the project with sanitizers and runs its tests (docs/HARDENING.md).
#
#   scripts/sanitize.sh                      AddressSanitizer + UBSan, every test (build-asan)
#   scripts/sanitize.sh thread               ThreadSanitizer on the tests with threads: the
#                                            studio's engine thread, the LoRA panel's listing,
#                                            the engine's job queue (build-tsan);
#                                            CELERITY_TSAN_TARGETS / CELERITY_TSAN_TESTS="a|b"
#                                            choose others
#   scripts/sanitize.sh address,undefined -R tst_engine     extra arguments go to ctest
#
# LibTorch, Qt and the other Debian libraries are not instrumented: AddressSanitizer still
# sees our reads and writes into their memory, ThreadSanitizer cannot see their internal
# locking (hence the narrow suppressions in scripts/sanitizers/). Any sanitizer report stops
# the test that made it (halt_on_error), so a clean run is a passing ctest. Environment:
# CELERITY_SANITIZE_BUILD_DIR, CELERITY_SANITIZE_TARGETS, CELERITY_JOBS (default 1),
# CELERITY_GOLDEN_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sanitizers="${1:-address,undefined}"
shift || true
supp="$root/scripts/sanitizers"
case "$sanitizers" in
  thread) build="${CELERITY_SANITIZE_BUILD_DIR:-$root/build-tsan}"
          default_tests="tst_studio_controller tst_studio_window tst_lora_panel tst_thread_inbox tst_queue_stress tst_engine"
          targets=(${CELERITY_TSAN_TARGETS:-$default_tests})
          tests=(-R "^(${CELERITY_TSAN_TESTS:-${default_tests// /|}})\$") ;;
  *)      build="${CELERITY_SANITIZE_BUILD_DIR:-$root/build-asan}"
          targets=(all)
          tests=() ;;
esac
[ $# -eq 0 ] || tests=("$@")
# Only some targets (a partial run when time is short): CELERITY_SANITIZE_TARGETS="a b".
[ -z "${CELERITY_SANITIZE_TARGETS:-}" ] || read -r -a targets <<<"$CELERITY_SANITIZE_TARGETS"

if [ ! -f "$build/build.ninja" ]; then
  # Sanitized objects with LibTorch's debug info are large: compressed debug sections and
  # thin static libraries (no second copy of every object) keep the build to a few GB.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCELERITY_SANITIZE="$sanitizers" -DCMAKE_CXX_FLAGS="-gz" \
        -DCMAKE_EXE_LINKER_FLAGS="-Wl,--compress-debug-sections=zlib" \
        -DCMAKE_CXX_ARCHIVE_CREATE="<CMAKE_AR> qcT <TARGET> <LINK_FLAGS> <OBJECTS>" \
        -DCMAKE_CXX_ARCHIVE_APPEND="<CMAKE_AR> qT <TARGET> <LINK_FLAGS> <OBJECTS>" >/dev/null
fi
nice -n 10 ninja -C "$build" -j "${CELERITY_JOBS:-1}" -k 0 "${targets[@]}"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1:suppressions=$supp/asan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
# OpenMP's worker threads (LibTorch) are invisible to ThreadSanitizer; one thread is enough.
export OMP_NUM_THREADS=1
cd "$build"
ctest --output-on-failure --timeout 3000 "${tests[@]}"
