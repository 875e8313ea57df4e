#!/usr/bin/env bash
# The GPU verification kit, in one call of under 8 minutes on the GPU machine (repository root):
#   bash bench/gpu/run.sh          needs dist/gpu-kit.tgz (bench/gpu/assemble.sh) and a CUDA device
#   bash bench/gpu/run.sh --dry    here, without a GPU: every step but the GPU parts
# Full logs go under $OUT (default ./gpu-out); a short table is printed last (and kept in $OUT/summary.txt).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
dry=0
[[ "${1:-}" == "--dry" ]] && dry=1
out="${OUT:-$root/gpu-out}"
logs="$out/logs"
mkdir -p "$logs"
kit=$(mktemp -d)
trap 'rm -rf "$kit"' EXIT
tar xzf dist/gpu-kit.tgz -C "$kit" || { echo "error: dist/gpu-kit.tgz missing or broken (run bench/gpu/assemble.sh)"; exit 2; }
kit="$kit/gpu-kit"
export LD_LIBRARY_PATH="$kit/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export JAVACPP_CACHE="$kit/javacpp-cache"
java=("$kit/jre/bin/java" "-Djava.awt.headless=true" "-Dorg.bytedeco.javacpp.cachedir=$kit/javacpp-cache"
      "--enable-native-access=ALL-UNNAMED" -jar "$kit/hungarian4j-cli.jar")
backend=cuda
(( dry )) && backend=native
summary=()
fails=0
passes=0
skips=0
record() { # name status detail
  summary+=("$(printf '%-34s %-8s %s' "$1" "$2" "$3")")
  case $2 in
    FAIL) fails=$((fails + 1)) ;;
    skipped) skips=$((skips + 1)) ;;
    *) passes=$((passes + 1)) ;;
  esac
  return 0
}

echo "== kit $(cat "$kit/COMMIT"), mode $([[ $dry == 1 ]] && echo dry || echo gpu), output $out"
{ nvidia-smi || echo "nvidia-smi unavailable"; } > "$logs/nvidia-smi.txt" 2>&1
"${java[@]}" info > "$logs/info.txt" 2>&1
info_rc=$?
cat "$logs/info.txt"
cuda_line=$(grep -E '^ +cuda ' "$logs/info.txt" | head -1 | tr -s ' ' | cut -c1-90)
if (( dry )); then
  [[ $info_rc == 0 && $cuda_line == *unavailable* ]] && record "info (cuda unavailable here)" ok "$cuda_line" \
    || record "info" FAIL "rc $info_rc: $cuda_line"
else
  [[ $info_rc == 0 && $cuda_line == *" available "* ]] && record "info (cuda usable)" ok "$cuda_line" \
    || record "info (cuda usable)" FAIL "rc $info_rc: $cuda_line"
fi

# 1. C++ tests: every CUDA entry point against its CPU twin on seeded batches (poisoned outputs)
for t in test_cuda test_auction test_api; do
  exe="$kit/bin/$t"
  if [[ ! -x $exe ]]; then record "c++ $t" FAIL "missing from the kit"; continue; fi
  H4J_VECTORS="$kit/vectors" timeout 240 "$exe" > "$logs/$t.txt" 2>&1
  rc=$?
  last=$(grep -E 'passed|SKIPPED' "$logs/$t.txt" | tail -1)
  if [[ $rc == 0 ]]; then record "c++ $t" ok "$last"
  elif [[ $rc == 77 && $dry == 1 ]]; then record "c++ $t" skipped "$last (dry run)"
  else record "c++ $t" FAIL "rc $rc: $last"; fi
done

# 2. the CLI on every reference vector (contract §1 cases), each matcher, checked independently
for matcher in default exact auction; do
  dir="$logs/vectors-$backend-$matcher"
  mkdir -p "$dir"
  mflag=()
  [[ $matcher != default ]] && mflag=(--matcher "$matcher")
  for f in "$kit"/vectors/*.json; do
    n=$(basename "$f" .json)
    case $n in *.expected|ext_*) continue ;; esac
    "${java[@]}" loss --grad --backend "$backend" "${mflag[@]}" --input "$f" > "$dir/$n.out.json" 2> "$dir/$n.err"
  done
  if python3 bench/gpu/check_vectors.py "$kit/vectors" "$dir" > "$dir/check.txt" 2>&1; then
    record "vectors --backend $backend ($matcher)" ok "$(tail -1 "$dir/check.txt")"
  else
    record "vectors --backend $backend ($matcher)" FAIL "$(tail -1 "$dir/check.txt")"
  fi
done

# 3. benchmarks: kernels timed with CUDA events, then the whole Java call per backend
sizes=8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100,64x300x91x100
if (( dry )); then
  record "gpu bench" skipped "dry run"
else
  if [[ -x $kit/bin/h4j_gpu_bench ]]; then
    timeout 180 "$kit/bin/h4j_gpu_bench" > "$out/gpu_bench.txt" 2>&1 && record "gpu bench (cuda events)" ok "see gpu_bench.txt" \
      || record "gpu bench (cuda events)" FAIL "see gpu_bench.txt"
  else
    record "gpu bench (cuda events)" FAIL "h4j_gpu_bench missing from the kit"
  fi
fi
timeout 240 "${java[@]}" bench --sizes "$sizes" --backend all --iterations $((dry ? 3 : 30)) > "$out/cli_bench.txt" 2> "$logs/cli_bench.err" \
  && record "bench --backend all" ok "see cli_bench.txt" || record "bench --backend all" FAIL "see logs/cli_bench.err"

# 4. the DETR-style PyTorch pipeline, 5. parity with it (torch autograd in float64, through the CLI); torch where
# installed: python3, else Debian's /usr/bin/python3. A dry run keeps to small sizes: CPU torch needs ~0.3 s per
# 64x100x91x20 step on 2 cores, and minutes at 64x300x91x100 (a 19,200 x 6,400 cross-image matrix).
py=python3
if ! python3 -c 'import torch, scipy' 2>/dev/null && [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import torch, scipy' 2>/dev/null; then
  py=/usr/bin/python3
fi
py_step() { # name seconds output-file script args...
  local name=$1 secs=$2 file=$3
  shift 3
  if ! timeout "$secs" "$py" "$@" > "$out/$file" 2>&1; then
    record "$name" FAIL "see $file"
  elif grep -q 'skipped:' "$out/$file"; then
    record "$name" skipped "$(grep -o 'skipped:.*' "$out/$file" | cut -c1-60)"
  else
    record "$name" ok "see $file"
  fi
}
detr_sizes=8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100
if (( dry )); then
  py_step "pytorch pipeline (cpu)" 120 torch_cpu.txt bench/torch_detr_pipeline.py --device cpu --sizes 8x100x91x10 \
    --runs 3 --warmup 1
else
  py_step "pytorch pipeline (cpu)" 180 torch_cpu.txt bench/torch_detr_pipeline.py --device cpu --sizes "$detr_sizes" \
    --runs 10 --warmup 2
  py_step "pytorch pipeline (cuda)" 180 torch_cuda.txt bench/torch_detr_pipeline.py --device cuda --sizes "$sizes"
fi
parity_sizes=$detr_sizes
(( dry )) && parity_sizes=8x100x91x10,16x300x91x50
for matcher in exact auction; do
  py_step "torch parity ($backend, $matcher)" 120 "torch_parity_$matcher.txt" bench/torch_parity.py \
    --backend "$backend" --matcher "$matcher" --sizes "$parity_sizes" --cli "${java[*]}"
done

{
  echo
  echo "== summary ($([[ $dry == 1 ]] && echo dry run || echo GPU run), kit $(cat "$kit/COMMIT"))"
  printf '%s\n' "${summary[@]}"
  [[ -f $out/gpu_bench.txt ]] && { echo; tail -n 20 "$out/gpu_bench.txt"; }
  [[ -f $out/cli_bench.txt ]] && { echo; cat "$out/cli_bench.txt"; }
  echo "kit: $passes passed, $fails failed, $skips skipped"
} | tee "$out/summary.txt"
(( fails == 0 ))
