#!/usr/bin/env python3
"""Times the DETR reference pipeline in PyTorch: HungarianMatcher + SetCriterion (labels, boxes) + backward.

The pipeline itself is bench/detr_torch.py (DETR's matcher and criterion, cross-image cost matrix, scipy per
image, autograd backward). Stages, each per whole batch, named like `bin/hungarian4j bench`'s:
  cost:  the cross-image cost matrix, moved to the CPU;
  match: scipy's linear_sum_assignment per image on that matrix;
  loss:  the criterion for a fixed matching and backward() to the logits and boxes;
  total: all of it, as one training step's criterion call.
Batches are synthetic (seeded, DETR-like shapes: K+1 logits, cxcywh boxes), not hungarian4j's bytes; the shapes
are the bench sizes BxQxKxM. Prints one JSON object per size, like `bin/hungarian4j bench --json` (median and p90
microseconds per whole batch), with "backend": "torch-<device>".

Without torch (or scipy) it says "skipped:" on stderr and exits 0. On Debian, `apt-get install python3-torch
python3-scipy` provides both for /usr/bin/python3; bench/compare_torch.sh finds that interpreter.

With --layers L (DETR's auxiliary decoding losses, L = 6 in DETR), the criterion runs as DETR's SetCriterion
does for aux_outputs: the matcher and the losses once per decoder layer (a loop in Python), every layer's total
summed and one backward(); each stage then covers all L layers, like `bin/hungarian4j bench --layers L`.
With --groups G (Group-DETR) the Q queries form G groups, each matched on its own to all targets (scipy per
(image, group)), and the criterion divides by G times the box count, like `bench --groups G`.

Usage: python3 bench/torch_detr_pipeline.py [--sizes 8x100x91x10,...] [--device cpu|cuda] [--runs N]
       [--warmup N] [--threads N] [--layers L] [--groups G]
"""
import argparse
import json
import sys
import time

SIZES = "8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=SIZES)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layers", type=int, default=1, help="decoder layers (the top one and L-1 aux layers)")
    ap.add_argument("--groups", type=int, default=1, help="query groups (Group-DETR), dividing Q")
    args = ap.parse_args()
    try:
        import torch
        import detr_torch as detr
    except ImportError as e:
        print(f"torch_detr_pipeline: skipped: {e.name or e} is not installed for {sys.executable} "
              "(Debian: apt-get install python3-torch python3-scipy)", file=sys.stderr)
        return 0
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        print("torch_detr_pipeline: skipped: --device cuda but torch sees no GPU", file=sys.stderr)
        return 0

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    def timed(fn):
        for _ in range(args.warmup):
            fn()
        sync()
        ns = []
        for _ in range(args.runs):
            t0 = time.perf_counter_ns()
            fn()
            sync()
            ns.append(time.perf_counter_ns() - t0)
        ns.sort()
        median = (ns[(len(ns) - 1) // 2] + ns[len(ns) // 2]) / 2e3
        return round(median, 1), round(ns[-(-9 * len(ns) // 10) - 1] / 1e3, 1)

    for spec in args.sizes.split(","):
        bsz, nq, k, m = (int(v) for v in spec.split("x"))
        layers = []
        for l in range(args.layers):  # every layer its own seeded predictions, the same targets
            lg, bx, labels, tboxes = detr.synthetic_batch(bsz, nq, k, m, args.seed)
            if l > 0:
                lg, bx = detr.perturbed_layer(lg, bx, args.seed, l)
            layers.append((lg.to(dev).requires_grad_(), bx.to(dev).requires_grad_()))
        labels, tboxes = [t.to(dev) for t in labels], [t.to(dev) for t in tboxes]
        tgt_ids, tgt_boxes, sizes = torch.cat(labels), torch.cat(tboxes), [m] * bsz
        cs = [detr.cost_matrix(lg, bx, tgt_ids, tgt_boxes) for lg, bx in layers]
        G = args.groups
        indices = [detr.match_groups(c, sizes, G) for c in cs]

        def zero_grads():
            for lg, bx in layers:
                lg.grad = bx.grad = None

        def loss_step():
            zero_grads()
            sum(detr.criterion(lg, bx, labels, tboxes, ind, k, G)[0]
                for (lg, bx), ind in zip(layers, indices)).backward()

        def total_step():  # SetCriterion.forward: top layer, then the aux_outputs loop, one backward
            zero_grads()
            total = 0
            for lg, bx in layers:
                ind = detr.match_groups(detr.cost_matrix(lg, bx, tgt_ids, tgt_boxes), sizes, G)
                total = total + detr.criterion(lg, bx, labels, tboxes, ind, k, G)[0]
            total.backward()

        stages = {"cost": lambda: [detr.cost_matrix(lg, bx, tgt_ids, tgt_boxes) for lg, bx in layers],
                  "match": lambda: [detr.match_groups(c, sizes, G) for c in cs], "loss": loss_step,
                  "total": total_step}
        med, p90 = {}, {}
        for name, fn in stages.items():
            med[name], p90[name] = timed(fn)
        print(json.dumps({"backend": f"torch-{dev.type}", "torch": torch.__version__,
                          "threads": torch.get_num_threads(), "batch": bsz, "queries": nq, "classes": k,
                          "targets": m, "layers": args.layers, "groups": G, "median_us": med, "p90_us": p90}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
