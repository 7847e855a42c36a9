#!/usr/bin/env bash
# The GPU run of issue 9: ONE prepared script for the device machine (bench/README.md).
#
#   bash bench/device-check.sh [OUT_DIR] [--cpu-smoke] [--budget S] [--build-dir D] [--no-build]
#
# Builds celerity-cli against the CUDA LibTorch of the machine's Python PyTorch, runs the
# self-test, makes full-size random checkpoints, runs the benchmarks and writes into OUT_DIR
# (default $OUT): summary.json (the keys of bench/results/), device-check.log, and
# results.tar.gz (every log, report JSON and trace). Every step has a time limit and the whole
# script stops starting steps when its budget (default 540 s) is spent, so it ends inside the
# device tool's 10-minute command limit; a failed step leaves nulls, not a failed run.
#
# --cpu-smoke: the same logic on the development machine, on the CPU, with the golden tiny
# checkpoint and tiny sizes (a few minutes on an existing build: --build-dir build-gpu).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# ---- arguments -------------------------------------------------------------------------
out_dir="${OUT:-}"
mode=gpu
budget_s=540
build_dir=""
do_build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu-smoke) mode=cpu ;;
    --budget) budget_s="$2"; shift ;;
    --build-dir) build_dir="$2"; shift ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "device-check: unknown option $1" >&2; exit 2 ;;
    *) out_dir="$1" ;;
  esac
  shift
done
if [ -z "$out_dir" ]; then
  echo "device-check: no output folder (argument or \$OUT)" >&2
  exit 2
fi
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
: "${build_dir:=$root/build-device}"
case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac

start_s=$(date +%s)
deadline_s=$((start_s + budget_s))
reserve_s=25  # kept for packing the results
work="$(mktemp -d /tmp/celerity-device-check.XXXXXX)"
mkdir -p "$work/logs" "$work/json" "$work/traces"
exec > >(tee -a "$out_dir/device-check.log") 2>&1
tee_pid=$!
steps_tsv="$work/steps.tsv"  # name, status, rc, seconds, limit
: >"$steps_tsv"
note() { echo "[$(($(date +%s) - start_s))s] $*"; }

# run_step NAME LIMIT_S CMD... : runs CMD with its output in logs/NAME.log under a limit
# clipped to the budget left; records the outcome. Returns CMD's status (124: time limit).
run_step() {
  local name="$1" limit="$2"
  shift 2
  local left=$((deadline_s - reserve_s - $(date +%s)))
  if [ "$left" -lt 15 ]; then
    note "skip $name: budget spent"
    printf '%s\tskipped\t\t0\t%s\n' "$name" "$limit" >>"$steps_tsv"
    return 125
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  note "step $name (limit ${limit}s): $*"
  local t0=$(date +%s%N) rc
  timeout --kill-after=10 "$limit" "$@" >"$work/logs/$name.log" 2>&1
  rc=$?
  local secs
  secs=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  local status=ok
  [ "$rc" -ne 0 ] && status=failed
  [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && status=timeout
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$status" "$rc" "$secs" "$limit" >>"$steps_tsv"
  note "  $name: $status (rc $rc, ${secs}s)"
  [ "$rc" -ne 0 ] && tail -n 15 "$work/logs/$name.log" | sed 's/^/    | /'
  return "$rc"
}
skip_step() {  # NAME REASON
  note "skip $1: $2"
  printf '%s\tskipped: %s\t\t0\t0\n' "$1" "$2" >>"$steps_tsv"
}

# ---- the machine -----------------------------------------------------------------------
{
  echo "mode: $mode"
  echo "date: $(date -u +%FT%TZ)"
  cat /etc/os-release 2>/dev/null | grep -E '^(PRETTY_NAME|VERSION_ID)='
  echo "cores: $(nproc)"
  echo "c++: $(c++ --version 2>&1 | head -1)"
  echo "cmake: $(cmake --version 2>&1 | head -1)"
  echo "ninja: $(ninja --version 2>&1)"
  echo "nvcc: $(nvcc --version 2>&1 | tail -1)"
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader 2>&1 | sed 's/^/gpu: /'
  python3 -c 'import torch, os; print("python torch:", torch.__version__, "cuda", torch.version.cuda); print("torch include:", " ".join(sorted(os.listdir(os.path.join(os.path.dirname(torch.__file__), "include")))))' 2>&1
} >"$work/logs/machine.txt" 2>&1
cat "$work/logs/machine.txt"

commit="${CELERITY_COMMIT:-$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)}"
if git -C "$root" rev-parse HEAD >/dev/null 2>&1 && [ -n "$(git -C "$root" status --porcelain 2>/dev/null | head -1)" ]; then
  commit="$commit+dirty"
fi
if [ "$mode" = gpu ]; then
  device_arg=cuda
  device_name="$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)"
  : "${device_name:=unknown GPU}"
else
  device_arg=cpu
  device_name="cpu ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
fi

# ---- build -----------------------------------------------------------------------------
deps="$root/third_party/device/usr"
vocab="$root/third_party/device/clip/bpe_simple_vocab_16e6.txt.gz"
[ -f "$vocab" ] || vocab="${CELERITY_CLIP_VOCAB:-$root/../shared/data/clip/bpe_simple_vocab_16e6.txt.gz}"
export CELERITY_CLIP_VOCAB="$vocab"
cli="$build_dir/app/cli/celerity-cli"

configure_args=(-S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
                -DCELERITY_BUILD_GUI=OFF -DCELERITY_BUILD_TESTS=OFF -DCELERITY_WITH_OPENCV=OFF
                -DCMAKE_DISABLE_FIND_PACKAGE_ICU=ON "-DCELERITY_CLIP_VOCAB=$vocab")
[ -d "$deps/include" ] && configure_args+=("-DCELERITY_DEPS_PREFIX=$deps")
if [ "$mode" = gpu ] && [ "$do_build" = 1 ]; then
  torch_prefix="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')"
  torch_version="$(python3 -c 'import torch; print(torch.__version__.split("+")[0])')"
  configure_args+=("-DCMAKE_PREFIX_PATH=$torch_prefix")
  # LibTorch >= 2.14 rejects C++17.
  if python3 -c "import sys; v = tuple(map(int, '$torch_version'.split('.')[:2])); sys.exit(0 if v >= (2, 14) else 1)"; then
    configure_args+=(-DCMAKE_CXX_STANDARD=20)
  fi
  # The CUDA LibTorch enables CMake's CUDA language: it needs nvcc; no GPU-arch probing.
  if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
    export PATH="/usr/local/cuda/bin:$PATH"
  fi
  export TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}"
fi

build_ok=0
if [ "$do_build" = 1 ]; then
  if [ ! -d "$deps/include" ]; then
    note "WARNING: $deps missing (run scripts/fetch-device-deps.sh here and carry third_party/device)"
  fi
  if run_step configure 120 cmake "${configure_args[@]}" &&
     run_step build 420 ninja -C "$build_dir" -j "$(nproc)" celerity-cli; then
    build_ok=1
  fi
  cp "$build_dir/CMakeCache.txt" "$work/logs/CMakeCache.txt" 2>/dev/null
else
  skip_step build "--no-build"
fi
if [ -x "$cli" ] && { [ "$build_ok" = 1 ] || [ "$do_build" = 0 ]; }; then
  "$cli" --version
  "$cli" --help >"$work/logs/help.txt" 2>&1
else
  note "no celerity-cli: nothing else to run"
fi

have_command() { [ -f "$work/logs/help.txt" ] && grep -qE "^  $1( |$)" "$work/logs/help.txt"; }

# ---- self-test -------------------------------------------------------------------------
if have_command selftest; then
  selftest_args=(selftest --device "$device_arg")
  "$cli" selftest --help 2>&1 | grep -q -- '--json' && selftest_args+=(--json "$work/json/selftest.json")
  run_step selftest 120 "$cli" "${selftest_args[@]}"
  echo $? >"$work/selftest.rc"
elif [ -x "$cli" ]; then
  skip_step selftest "celerity-cli has no selftest command"
fi

# ---- inputs ----------------------------------------------------------------------------
ckpt="$work/checkpoints"
mkdir -p "$ckpt"
if [ "$mode" = gpu ]; then
  size=full
  sd15="$ckpt/sd15.safetensors"
  sdxl="$ckpt/sdxl.safetensors"
else
  size=tiny
  golden="${CELERITY_GOLDEN_DIR:-$root/../shared/golden}"
  sd15="$golden/sd15_tiny.safetensors"
  sdxl="$ckpt/sdxl_tiny.safetensors"
fi
if [ -x "$cli" ] && have_command make-checkpoint; then
  [ -f "$sd15" ] || run_step make_sd15 90 "$cli" make-checkpoint --arch sd15 --size "$size" --dtype fp16 --seed 1 "$sd15"
  [ -f "$sdxl" ] || run_step make_sdxl 150 "$cli" make-checkpoint --arch sdxl --size "$size" --dtype fp16 --seed 2 "$sdxl"
fi

# ---- benchmarks ------------------------------------------------------------------------
# bench_step NAME LIMIT ARGS... : `celerity-cli bench` with a JSON report (and traces for
# the main workloads) on the chosen device.
bench_step() {
  local name="$1" limit="$2"
  shift 2
  run_step "$name" "$limit" "$cli" bench --device "$device_arg" --prompt "a lighthouse on a cliff at dawn" \
    --negative "blurry" --seed 42 --json "$work/json/$name.json" "$@"
}

if [ "$mode" = gpu ]; then
  sd15_size=(--width 512 --height 512 --steps 20 --cfg 7)
  sdxl_size=(--width 1024 --height 1024 --steps 20 --cfg 7)
  ab_size=(--width 512 --height 512 --steps 10 --cfg 7)
  main_runs=(--repeat 3 --warmup 1)
  ab_runs=(--repeat 2 --warmup 1)
else
  sd15_size=(--width 64 --height 64 --steps 2 --cfg 7)
  sdxl_size=(--width 64 --height 64 --steps 2 --cfg 7)
  ab_size=(--width 64 --height 64 --steps 2 --cfg 7)
  main_runs=(--repeat 2 --warmup 1)
  ab_runs=(--repeat 1 --warmup 0)
fi

if [ -x "$cli" ] && [ -f "$sd15" ]; then
  # (b) SD 1.5 512² UNet it/s with CFG.
  bench_step sd15_512 120 --model "$sd15" "${sd15_size[@]}" "${main_runs[@]}" --trace "$work/traces/sd15_512"
fi
if [ -x "$cli" ] && [ -f "$sdxl" ]; then
  # (a, b, c) SDXL 1024², 20 steps: A = cache.keep_loaded off (every run loads the checkpoint
  # from the page cache: the seed's cycle without ADetailer, and the cold load), B = on (warm:
  # the UNet it/s).
  bench_step sdxl_1024 200 --model "$sdxl" "${sdxl_size[@]}" "${main_runs[@]}" --ab cache.keep_loaded \
    --trace "$work/traces/sdxl_1024"
fi

# ---- diffusers side by side ------------------------------------------------------------
diffusers_src="$root/third_party/device/python"
if [ "$mode" != gpu ]; then
  skip_step diffusers "CPU smoke run"
elif [ ! -d "$diffusers_src/diffusers" ]; then
  skip_step diffusers "diffusers source not carried (third_party/device/python/diffusers)"
else
  run_step diffusers 150 env PYTHONPATH="$diffusers_src${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 \
    python3 "$root/bench/diffusers_unet_bench.py" --json "$work/json/diffusers.json"
fi

# ---- one A/B per toggle ----------------------------------------------------------------
if [ -x "$cli" ] && [ -f "$sd15" ]; then
  "$cli" opts --device "$device_arg" >"$work/logs/opts.txt" 2>&1
  # id <tab> stages <tab> unavailable reason (empty when available)
  awk '/^[^ ]/ { if (id != "") print id "\t" st "\t" un; id = $1; st = ""; un = "" }
       /^    stages:/ { sub(/^    stages: */, ""); st = $0 }
       /^    unavailable:/ { sub(/^    unavailable: */, ""); un = $0 }
       END { if (id != "") print id "\t" st "\t" un }' "$work/logs/opts.txt" >"$work/toggles.tsv"
  while IFS=$'\t' read -r id stages unavailable; do
    name="ab_${id//./_}"
    if [ -n "$unavailable" ]; then
      skip_step "$name" "unavailable: $unavailable"
      continue
    fi
    case " $stages " in
      *" detail."*) skip_step "$name" "needs ADetailer detector models (none on the device machine)"; continue ;;
      *" lora."*) skip_step "$name" "needs a LoRA file"; continue ;;
    esac
    extra=()
    # Loading toggles: every run loads (otherwise only the warm-up would).
    case " $stages " in *" load.checkpoint "*) [ "$id" != cache.keep_loaded ] && extra+=(--opt cache.keep_loaded=off) ;; esac
    bench_step "$name" 60 --model "$sd15" "${ab_size[@]}" "${ab_runs[@]}" --ab "$id" "${extra[@]}"
  done <"$work/toggles.tsv"
fi

# ---- summary ---------------------------------------------------------------------------
note "summary"
python3 "$root/bench/device_summary.py" --work "$work" --device "$device_name" --commit "$commit" \
  --mode "$mode" --out "$out_dir/summary.json" || note "summary failed"
cp "$out_dir/summary.json" "$work/json/summary.json" 2>/dev/null
# At most a few files come back from the device tool: everything else goes into one archive.
rm -rf "$ckpt"
tar -czf "$out_dir/results.tar.gz" -C "$work" . 2>/dev/null
if [ "$(stat -c %s "$out_dir/results.tar.gz")" -gt $((15 * 1024 * 1024)) ]; then
  note "results over 15 MiB: traces left out"
  tar -czf "$out_dir/results.tar.gz" -C "$work" --exclude=./traces .
fi
rm -rf "$work"
note "done in $(($(date +%s) - start_s))s: $out_dir/summary.json, results.tar.gz, device-check.log"
cat "$out_dir/summary.json" 2>/dev/null
exec >&- 2>&-
wait "$tee_pid" 2>/dev/null  # the log is complete when the script returns
exit 0
