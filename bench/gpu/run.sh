#!/usr/bin/env bash
# The GPU verification kit, in one call on the GPU machine (repository root), within a fixed budget:
#   bash bench/gpu/run.sh          needs dist/gpu-kit.tgz (bench/gpu/assemble.sh) and a CUDA device
#   bash bench/gpu/run.sh --dry    here, without a GPU: every step but the GPU parts
# Budget: the whole run ends within KIT_BUDGET seconds (default 330, under 6 minutes with unpacking and the
# summary) even when every step hangs or fails: each step's timeout is the smaller of its own budget and what is
# left; a step that no longer fits is skipped visibly. A dry run (a CPU machine, often shared: every JVM start and
# every CPU benchmark is slower there) has 600 s and step budgets 2.5 times as long, and drops the largest sizes. Steps run in order of importance, each result is printed as
# it ends and $OUT/summary.txt is rewritten after every step (a run cut short still leaves its table).
# Full logs go under $OUT (default ./gpu-out).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
dry=0
[[ "${1:-}" == "--dry" ]] && dry=1
budget=${KIT_BUDGET:-$((dry ? 600 : 330))}
scale=$((dry ? 5 : 2))   # step budgets x scale/2
t0=$SECONDS
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
mode=$([[ $dry == 1 ]] && echo "dry run" || echo "GPU run")
summary=()
fails=0
passes=0
skips=0

write_summary() {
  {
    echo "== summary ($mode, kit $(cat "$kit/COMMIT"), $((SECONDS - t0)) s of $budget s)"
    printf '%s\n' "${summary[@]}"
    echo "kit: $passes passed, $fails failed, $skips skipped"
  } > "$out/summary.txt"
}
record() { # name status detail
  local line
  line="$(printf '%-36s %-8s %s' "$1" "$2" "$3")"
  summary+=("$line")
  case $2 in
    FAIL) fails=$((fails + 1)) ;;
    skipped) skips=$((skips + 1)) ;;
    *) passes=$((passes + 1)) ;;
  esac
  printf '[%3d s] %s\n' "$((SECONDS - t0))" "$line"
  write_summary
  return 0
}
# Seconds a step may take: its own budget, capped by what is left (5 s kept for the summary); 0 = skip it.
allow() { # step-budget
  local left=$((budget - (SECONDS - t0) - 5)) want=$(($1 * scale / 2))
  (( left < 5 )) && { echo 0; return; }
  (( want < left )) && echo "$want" || echo "$left"
}
run_timed() { # seconds command...   (killed 3 s after the timeout if it ignores SIGTERM)
  timeout -k 3 "$@"
}
over_budget() { record "$1" skipped "no time left in the ${budget} s budget"; }

echo "== kit $(cat "$kit/COMMIT"), mode $mode, budget $budget s, output $out"
{ timeout 10 nvidia-smi || echo "nvidia-smi unavailable"; } > "$logs/nvidia-smi.txt" 2>&1
s=$(allow 30)
run_timed "$s" "${java[@]}" info > "$logs/info.txt" 2>&1
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
cxx_test() { # name step-budget [env...]
  local t=$1 b=$2 exe="$kit/bin/$1" s rc last
  shift 2
  if [[ ! -x $exe ]]; then record "c++ $t" FAIL "missing from the kit"; return; fi
  s=$(allow "$b")
  (( s == 0 )) && { over_budget "c++ $t"; return; }
  env H4J_VECTORS="$kit/vectors" "$@" timeout -k 3 "$s" "$exe" > "$logs/$t.txt" 2>&1
  rc=$?
  last=$(grep -E 'passed|SKIPPED' "$logs/$t.txt" | tail -1)
  if [[ $rc == 0 ]]; then record "c++ $t" ok "$last"
  elif [[ $rc == 77 && $dry == 1 ]]; then record "c++ $t" skipped "$last (dry run)"
  elif [[ $rc == 124 || $rc == 137 ]]; then record "c++ $t" FAIL "timed out after $s s"
  else record "c++ $t" FAIL "rc $rc: $last"; fi
}
cxx_test test_cuda 60

# 2. compute-sanitizer on a short test_cuda run (H4J_TEST_CUDA_SHORT: two scenarios and the defect checks)
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
for tool in memcheck racecheck; do
  name="compute-sanitizer $tool"
  if (( dry )); then record "$name" skipped "dry run"; continue; fi
  if [[ -z $sanitizer ]]; then record "$name" skipped "compute-sanitizer not installed"; continue; fi
  s=$(allow 45)
  (( s == 0 )) && { over_budget "$name"; continue; }
  H4J_TEST_CUDA_SHORT=1 H4J_VECTORS="$kit/vectors" timeout -k 3 "$s" "$sanitizer" --tool "$tool" --error-exitcode 9 \
    "$kit/bin/test_cuda" > "$logs/sanitizer-$tool.txt" 2>&1
  rc=$?
  last=$(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' "$logs/sanitizer-$tool.txt" | tail -1)
  case $rc in
    0) record "$name" ok "${last:-clean}" ;;
    124|137) record "$name" FAIL "timed out after $s s" ;;
    *) record "$name" FAIL "rc $rc: ${last:-see logs/sanitizer-$tool.txt}" ;;
  esac
done

# 3. kernels timed with CUDA events (the figures bench/README.md compares with its model)
if (( dry )); then
  record "gpu bench (cuda events)" skipped "dry run"
elif [[ ! -x $kit/bin/h4j_gpu_bench ]]; then
  record "gpu bench (cuda events)" FAIL "h4j_gpu_bench missing from the kit"
else
  s=$(allow 50)
  if (( s == 0 )); then over_budget "gpu bench (cuda events)"
  elif run_timed "$s" "$kit/bin/h4j_gpu_bench" > "$out/gpu_bench.txt" 2>&1; then
    record "gpu bench (cuda events)" ok "see gpu_bench.txt"
  else
    record "gpu bench (cuda events)" FAIL "rc $? (see gpu_bench.txt)"
  fi
fi

# 4. the CLI on every reference vector (contract §1 cases), each matcher, checked independently
have_scipy=0
python3 -c 'import scipy, numpy' 2>/dev/null && have_scipy=1
for matcher in default auction exact; do
  name="vectors --backend $backend ($matcher)"
  if (( ! have_scipy )); then record "$name" skipped "python3 lacks scipy/numpy (check_vectors.py)"; continue; fi
  s=$(allow 40)
  (( s == 0 )) && { over_budget "$name"; continue; }
  dir="$logs/vectors-$backend-$matcher"
  mkdir -p "$dir"
  mflag=()
  [[ $matcher != default ]] && mflag=(--matcher "$matcher")
  end=$((SECONDS + s))
  cut=0
  for f in "$kit"/vectors/*.json; do
    n=$(basename "$f" .json)
    case $n in *.expected|ext_*) continue ;; esac
    left=$((end - SECONDS))
    (( left < 2 )) && { cut=1; break; }
    timeout -k 2 "$left" "${java[@]}" loss --grad --backend "$backend" "${mflag[@]}" --input "$f" \
      > "$dir/$n.out.json" 2> "$dir/$n.err"
  done
  if (( cut )); then
    record "$name" FAIL "timed out after $s s (not every vector ran)"
  elif timeout -k 2 30 python3 bench/gpu/check_vectors.py "$kit/vectors" "$dir" > "$dir/check.txt" 2>&1; then
    record "$name" ok "$(tail -1 "$dir/check.txt")"
  else
    record "$name" FAIL "$(tail -1 "$dir/check.txt")"
  fi
done

# 4b. the contract.md section 3 vectors (aux layers, query groups, num_boxes, focal) through the CLI, each matcher,
# checked against their expected files (plain python: no scipy needed)
for matcher in default exact; do
  name="ext vectors --backend $backend ($matcher)"
  s=$(allow 30)
  (( s == 0 )) && { over_budget "$name"; continue; }
  dir="$logs/ext-vectors-$backend-$matcher"
  mkdir -p "$dir"
  mflag=()
  [[ $matcher != default ]] && mflag=(--matcher "$matcher")
  end=$((SECONDS + s))
  cut=0
  for f in "$kit"/vectors/ext_*.json; do
    n=$(basename "$f" .json)
    case $n in *.expected) continue ;; esac
    left=$((end - SECONDS))
    (( left < 2 )) && { cut=1; break; }
    timeout -k 2 "$left" "${java[@]}" loss --grad --backend "$backend" "${mflag[@]}" --input "$f" \
      > "$dir/$n.out.json" 2> "$dir/$n.err"
  done
  if (( cut )); then
    record "$name" FAIL "timed out after $s s (not every vector ran)"
  elif timeout -k 2 30 python3 bench/gpu/check_ext_vectors.py "$kit/vectors" "$dir" > "$dir/check.txt" 2>&1; then
    record "$name" ok "$(tail -1 "$dir/check.txt")"
  else
    record "$name" FAIL "$(grep -m1 FAIL "$dir/check.txt" | cut -c1-80)"
  fi
done

# 5. the rest of the C++ tests
cxx_test test_auction 45
cxx_test test_api 25

# 6. the whole Java call per backend, the DETR sizes and the dense scene (SKU-110K-like)
sizes=8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100,64x300x91x100,16x900x1x400
bench_sizes=$sizes
(( dry )) && bench_sizes=8x100x91x10,64x100x91x20,16x300x91x50
s=$(allow 60)
if (( s == 0 )); then over_budget "bench --backend all"
# --warmup-time 100 (the CLI's default is 1000 ms per stage, and its JIT wait is capped at ten times it): the
# step's budget holds 6 sizes x 3 backends x 5 stages
elif run_timed "$s" "${java[@]}" bench --sizes "$bench_sizes" --backend all --iterations $((dry ? 3 : 20)) --warmup-time 100 \
     > "$out/cli_bench.txt" 2> "$logs/cli_bench.err"; then
  record "bench --backend all" ok "see cli_bench.txt"
else
  record "bench --backend all" FAIL "rc $? (see logs/cli_bench.err)"
fi

# 6b. the DETR family in one call per backend (contract.md section 3): DETR's 6 decoder layers, and Group-DETR's
# 6 layers x 11 groups of 300 queries with the focal loss
fam_runs=("--sizes 8x100x91x10,64x100x91x20 --layers 6" "--sizes 8x3300x91x20 --layers 6 --groups 11 --focal")
(( dry )) && fam_runs=("--sizes 8x100x91x10 --layers 6" "--sizes 2x660x91x20 --layers 6 --groups 11 --focal")
for i in 0 1; do
  name="bench family ($(echo "${fam_runs[$i]}" | sed 's/--sizes [^ ]* //'))"
  s=$(allow 40)
  if (( s == 0 )); then over_budget "$name"; continue; fi
  # shellcheck disable=SC2086
  if run_timed "$s" "${java[@]}" bench ${fam_runs[$i]} --backend all --iterations $((dry ? 3 : 20)) --warmup-time 100 \
       > "$out/cli_bench_family_$i.txt" 2> "$logs/cli_bench_family_$i.err"; then
    record "$name" ok "see cli_bench_family_$i.txt"
  else
    record "$name" FAIL "rc $? (see logs/cli_bench_family_$i.err)"
  fi
done

# 7. the DETR-style PyTorch pipeline and parity with it (torch autograd in float64, through the CLI); torch where
# installed: python3, else Debian's /usr/bin/python3; skipped visibly without torch and scipy.
py=""
if (( $(allow 10) > 0 )); then   # importing torch alone takes seconds: not when no time is left
  for p in python3 /usr/bin/python3; do
    if timeout 20 "$p" -c 'import torch, scipy' 2>/dev/null; then py=$p; break; fi
  done
fi
py_step() { # name step-budget output-file script args...
  local name=$1 b=$2 file=$3 s
  shift 3
  s=$(allow "$b")
  (( s == 0 )) && { over_budget "$name"; return; }
  if [[ -z $py ]]; then record "$name" skipped "no python3 with torch and scipy"; return; fi
  if ! timeout -k 3 "$s" "$py" "$@" > "$out/$file" 2>&1; then
    record "$name" FAIL "see $file"
  elif grep -q 'skipped:' "$out/$file"; then
    record "$name" skipped "$(grep -o 'skipped:.*' "$out/$file" | cut -c1-60)"
  else
    record "$name" ok "see $file"
  fi
}
detr_sizes=8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100
parity_sizes=$detr_sizes
(( dry )) && parity_sizes=8x100x91x10
for matcher in auction exact; do
  py_step "torch parity ($backend, $matcher)" 40 "torch_parity_$matcher.txt" bench/torch_parity.py \
    --backend "$backend" --matcher "$matcher" --sizes "$parity_sizes" --cli "${java[*]}"
done
if (( dry )); then
  py_step "pytorch pipeline (cpu)" 30 torch_cpu.txt bench/torch_detr_pipeline.py --device cpu --sizes 8x100x91x10 \
    --runs 3 --warmup 1
else
  py_step "pytorch pipeline (cuda)" 40 torch_cuda.txt bench/torch_detr_pipeline.py --device cuda --sizes "$sizes"
  py_step "pytorch pipeline (cpu)" 40 torch_cpu.txt bench/torch_detr_pipeline.py --device cpu --sizes "$detr_sizes" \
    --runs 5 --warmup 1
fi

write_summary
{
  echo
  cat "$out/summary.txt"
  [[ -f $out/gpu_bench.txt ]] && { echo; tail -n 20 "$out/gpu_bench.txt"; }
  [[ -f $out/cli_bench.txt ]] && { echo; cat "$out/cli_bench.txt"; }
  for f in "$out"/cli_bench_family_*.txt; do [[ -f $f ]] && { echo; cat "$f"; }; done
} | tee "$out/report.txt"
(( fails == 0 ))
