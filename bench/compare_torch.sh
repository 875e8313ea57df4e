#!/usr/bin/env bash
# hungarian4j's whole call vs DETR's PyTorch CPU pipeline (bench/detr_torch.py: cross-image cost matrix, scipy per
# image, criterion + autograd backward), same sizes, measured together. First a parity check on the same batch
# (bench/torch_parity.py: matchings, loss terms and gradients against torch in float64; a failure stops here).
# Then each round runs `bin/hungarian4j bench --json` and bench/torch_detr_pipeline.py one after the other; the
# summary takes the median over rounds of each side's median per stage and prints torch/ours (above 1: ours is
# faster). Both sides get THREADS cores (default: every core): torch.set_num_threads, our bench --threads.
# Build first: mvn -B -ntp install -DskipTests (or bin/test). Needs torch and scipy for some python3
# (Debian: apt-get install python3-torch python3-scipy gives them to /usr/bin/python3, which is tried last).
#
#   bench/compare_torch.sh                         # the four DETR sizes, native, 3 rounds
#   SIZES=8x100x91x10 ROUNDS=1 ITER=5 WARMUP=2 TORCH_ITER=3 TORCH_WARMUP=1 bench/compare_torch.sh
#   BACKEND=jvm bench/compare_torch.sh             # or native, cuda
#   LAYERS=6 QUERY_GROUPS=11 SIZES=2x3300x91x10 bench/compare_torch.sh   # DETR's aux-loss loop x Group-DETR's groups
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100}"
ROUNDS="${ROUNDS:-3}"
ITER="${ITER:-50}"                 # ours: timed runs and warm-up runs per stage (the JIT needs the warm-up)
WARMUP="${WARMUP:-30}"
TORCH_ITER="${TORCH_ITER:-20}"     # torch: 64x100x91x20 takes ~0.3 s per step on 2 cores, so fewer runs
TORCH_WARMUP="${TORCH_WARMUP:-5}"
BACKEND="${BACKEND:-native}"
THREADS="${THREADS:-$(nproc)}"
LAYERS="${LAYERS:-1}"              # decoder layers (DETR: 6), both sides; the parity check too
QUERY_GROUPS="${QUERY_GROUPS:-1}"  # query groups (Group-DETR: 11), both sides (bash reserves GROUPS)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

py=""
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import torch, scipy' 2>/dev/null; then py="$p"; break; fi
done
[[ -n $py ]] || { echo "compare_torch: no python3 with torch and scipy (Debian: apt-get install python3-torch python3-scipy)" >&2; exit 1; }
echo "compare_torch: $py, torch $("$py" -c 'import torch; print(torch.__version__)'), $THREADS thread(s)" >&2

"$py" "$here/bench/torch_parity.py" --sizes "$SIZES" --backend "$BACKEND" --layers "$LAYERS" --groups "$QUERY_GROUPS" | tee "$work/parity.jsonl" >&2
for r in $(seq 1 "$ROUNDS"); do
  echo "compare_torch: round $r/$ROUNDS" >&2
  "$here/bin/hungarian4j" bench --sizes "$SIZES" --backend "$BACKEND" --iterations "$ITER" --warmup "$WARMUP" \
    --threads "$THREADS" --layers "$LAYERS" --groups "$QUERY_GROUPS" --json 2>/dev/null >"$work/ours.$r.json"
  "$py" "$here/bench/torch_detr_pipeline.py" --sizes "$SIZES" --runs "$TORCH_ITER" --warmup "$TORCH_WARMUP" \
    --threads "$THREADS" --layers "$LAYERS" --groups "$QUERY_GROUPS" >"$work/torch.$r.jsonl"
done

"$py" - "$work" "$ROUNDS" "$LAYERS" "$QUERY_GROUPS" <<'PYEOF'
import json, statistics, sys, platform
work, rounds = sys.argv[1], int(sys.argv[2])
stages = ("cost", "match", "loss", "total")
ours, theirs, ver, threads = {}, {}, "", 0
def key(o):
    return f'{o["batch"]}x{o["queries"]}x{o["classes"]}x{o["targets"]}'
for r in range(1, rounds + 1):
    res = json.load(open(f"{work}/ours.{r}.json"))
    for o in (res if isinstance(res, list) else [res]):
        backend = o["backend"]
        for s in stages:
            ours.setdefault((key(o), s), []).append(o["median_us"][s])
    for line in open(f"{work}/torch.{r}.jsonl"):
        t = json.loads(line)
        ver, threads = t["torch"], t["threads"]
        for s in stages:
            theirs.setdefault((key(t), s), []).append(t["median_us"][s])
parity = {p["size"]: p for p in map(json.loads, open(f"{work}/parity.jsonl"))}
print(f"us per whole batch ({sys.argv[3]} layer(s), {sys.argv[4]} query group(s)), median over {rounds} round(s) "
      f"of each side's median; ours = {backend}, "
      f"torch {ver} on the CPU with {threads} thread(s), python {platform.python_version()}")
print(f'{"BxQxKxM":>14} {"stage":>6} {"ours_us":>10} {"torch_us":>10} {"torch/ours":>11}')
for (size, s), v in ours.items():
    o, t = statistics.median(v), statistics.median(theirs[(size, s)])
    print(f"{size:>14} {s:>6} {o:10.1f} {t:10.1f} {t / o:11.1f}")
print("parity with torch (float64) on one seeded batch per size: "
      + "; ".join(f'{k}: match {p["same_match"]}, loss rel {p["loss_rel"]:.1e}, grad rel {p["grad_rel"]:.1e}'
                  for k, p in parity.items()))
PYEOF
