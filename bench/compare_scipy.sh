#!/usr/bin/env bash
# hungarian4j's exact matcher vs scipy.optimize.linear_sum_assignment, on the same cost blocks, measured together.
# Each round runs `bin/hungarian4j bench` (which also dumps the seeded batches' cost blocks) and then
# bench/scipy_lsap.py on that dump; the summary takes the median over rounds of each side's median and prints
# ours/scipy per size (below 1: ours is faster). Build first: mvn -B -ntp install -DskipTests (or bin/test).
#
#   bench/compare_scipy.sh                         # the four DETR sizes, native, 3 rounds
#   SIZES=8x100x91x10 ROUNDS=1 ITER=20 bench/compare_scipy.sh
#   BACKEND=jvm bench/compare_scipy.sh             # or native, cuda, all
#   THREADS=1 bench/compare_scipy.sh               # ours on one core too, as scipy (default: every core)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100}"
ROUNDS="${ROUNDS:-3}"
ITER="${ITER:-50}"
WARMUP="${WARMUP:-10}"
BACKEND="${BACKEND:-native}"
MATCHER="${MATCHER:-exact}"
THREADS="${THREADS:-}"
PYTHON="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -c 'import scipy, numpy' 2>/dev/null || { echo "compare_scipy: python3 with scipy and numpy is needed" >&2; exit 1; }
for r in $(seq 1 "$ROUNDS"); do
  echo "compare_scipy: round $r/$ROUNDS" >&2
  dump=()
  [[ $r == 1 ]] && dump=(--dump-costs "$work/costs.bin")
  [[ -n $THREADS ]] && dump+=(--threads "$THREADS")
  "$here/bin/hungarian4j" bench --sizes "$SIZES" --backend "$BACKEND" --matcher "$MATCHER" --iterations "$ITER" \
    --warmup "$WARMUP" --json "${dump[@]}" 2>/dev/null >"$work/ours.$r.json"
  "$PYTHON" "$here/bench/scipy_lsap.py" "$work/costs.bin" --runs "$ITER" --warmup "$WARMUP" >"$work/scipy.$r.jsonl"
done

"$PYTHON" - "$work" "$ROUNDS" <<'EOF'
import json, statistics, sys, platform
work, rounds = sys.argv[1], int(sys.argv[2])
ours, theirs, diff, ver = {}, {}, {}, ""
for r in range(1, rounds + 1):
    res = json.load(open(f"{work}/ours.{r}.json"))
    for o in (res if isinstance(res, list) else [res]):
        key = (o["backend"], f'{o["batch"]}x{o["queries"]}x{o["classes"]}x{o["targets"]}')
        ours.setdefault(key, []).append(o["median_us"]["match"])
    for line in open(f"{work}/scipy.{r}.jsonl"):
        s = json.loads(line)
        theirs.setdefault(s["size"], []).append(s["scipy_match_us"]["median"])
        diff[s["size"]] = s["max_cost_diff"]
        ver = s["scipy"]
print(f"match stage per whole batch, us: median over {rounds} round(s) of each side's median; "
      f"scipy {ver}, python {platform.python_version()}")
print(f'{"backend":8} {"BxQxKxM":>14} {"ours_us":>10} {"scipy_us":>10} {"ours/scipy":>11} {"max|cost diff|":>15}')
for (backend, size), v in ours.items():
    o, s = statistics.median(v), statistics.median(theirs[size])
    print(f"{backend:8} {size:>14} {o:10.1f} {s:10.1f} {o / s:11.3f} {diff[size]:15.2e}")
EOF
