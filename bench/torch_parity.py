#!/usr/bin/env python3
"""Checks `bin/hungarian4j loss --grad` against DETR's PyTorch pipeline (bench/detr_torch.py) on the same batch.

For each size BxQxKxM it makes a seeded DETR-like float32 batch, sends it to `bin/hungarian4j loss --grad`
(contract.md input JSON on stdin) and recomputes everything in float64 with DETR's code path: the cross-image
cost matrix, scipy's linear_sum_assignment per image, the criterion and autograd's backward. Reported per size:
  same_match    images whose matching is identical to scipy's (ties aside, all of them);
  cost_gap      max over images of (our matching's float64 cost - scipy's optimum) / (1 + |optimum|): 0 for an
                optimal matching, at most float32 rounding where float32 and float64 pick different optima;
  loss_rel      max relative difference of ce, bbox, giou, total (ours vs torch with our matching held fixed);
  grad_rel      max |d_ours - d_torch| / max |d_torch| over the logits and the boxes gradients.
It prints one JSON object per size and exits 1 when cost_gap > 1e-5, loss_rel > 1e-4 or grad_rel > 1e-4
(float32 arithmetic on our side; float64 on torch's), 0 otherwise. Without torch/scipy it says "skipped:" and
exits 0.

With --layers L (DETR's aux_outputs: L-1 aux layers, perturbed copies of the top layer) and --groups G (Group-DETR:
G query groups, each matched on its own, normalizer times G) the request carries `aux_outputs` and `config.groups`,
torch runs DETR's aux-loss loop (matcher and criterion per layer, the totals summed, one backward), and every
layer's matching, loss terms and gradient (`grad.aux[l]`) is checked; the figures are the worst over layers.

Usage: python3 bench/torch_parity.py [--sizes 8x100x91x10,...] [--backend native|jvm|cuda] [--matcher exact|auction]
       [--seed N] [--layers L] [--groups G] [--cli "java -jar hungarian4j-cli.jar"]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SIZES = "8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100"
TOL_COST, TOL_LOSS, TOL_GRAD = 1e-5, 1e-4, 1e-4


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=SIZES)
    ap.add_argument("--backend", default="native")
    ap.add_argument("--matcher", default="exact")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--layers", type=int, default=1, help="decoder layers: the top one and L-1 aux_outputs")
    ap.add_argument("--groups", type=int, default=1, help="query groups (Group-DETR), dividing Q")
    ap.add_argument("--cli", default=os.path.join(HERE, "..", "bin", "hungarian4j"),
                    help="the command that runs the CLI, split like a shell line (default: bin/hungarian4j)")
    args = ap.parse_args()
    try:
        import torch
        import detr_torch as detr
    except ImportError as e:
        print(f"torch_parity: skipped: {e.name or e} is not installed for {sys.executable} "
              "(Debian: apt-get install python3-torch python3-scipy)", file=sys.stderr)
        return 0

    failed = False
    for spec in args.sizes.split(","):
        bsz, nq, k, m = (int(v) for v in spec.split("x"))
        logits, boxes, labels, tboxes = detr.synthetic_batch(bsz, nq, k, m, args.seed)
        layers = [(logits, boxes)] + [detr.perturbed_layer(logits, boxes, args.seed, l)
                                      for l in range(1, args.layers)]
        request = {"pred_logits": logits.tolist(), "pred_boxes": boxes.tolist(),
                   "targets": [{"labels": lab.tolist(), "boxes": tb.tolist()} for lab, tb in zip(labels, tboxes)]}
        if args.layers > 1:
            request["aux_outputs"] = [{"pred_logits": lg.tolist(), "pred_boxes": bx.tolist()} for lg, bx in layers[1:]]
        if args.groups > 1:
            request["config"] = {"groups": args.groups}
        proc = subprocess.run(shlex.split(args.cli) + ["loss", "--grad", "--backend", args.backend, "--matcher", args.matcher,
                               "--input", "-"], input=json.dumps(request).encode(), capture_output=True)
        if proc.returncode != 0:
            print(f"torch_parity: {spec}: bin/hungarian4j exited {proc.returncode}: "
                  f"{proc.stderr.decode().strip()[:500]}", file=sys.stderr)
            return 1
        ours = json.loads(proc.stdout)
        # layer 0 is the top level of the output, layer l >= 1 its aux_* entry l-1
        ours_layers = [(ours["matches"], ours["loss"], ours["grad"])]
        for l in range(1, args.layers):
            ours_layers.append((ours["aux_matches"][l - 1], ours["aux_losses"][l - 1], ours["grad"]["aux"][l - 1]))

        # torch in float64 on the very float32 values that were sent; DETR's aux-loss loop: every layer matched
        # and lost on its own, the totals summed, one backward
        tb64 = [t.double() for t in tboxes]
        same, gap, loss_rel, grad_rel, total_all = 0, 0.0, 0.0, 0.0, 0
        leaves, theirs_terms = [], []
        for (lg32, bx32), (o_matches, o_loss, _) in zip(layers, ours_layers):
            lg = lg32.double().requires_grad_()
            bx = bx32.double().requires_grad_()
            leaves.append((lg, bx))
            c = detr.cost_matrix(lg, bx, torch.cat(labels), torch.cat(tb64))
            optimal = detr.match_groups(c, [m] * bsz, args.groups)
            blocks = c.split([m] * bsz, -1)
            ours_idx = [(torch.tensor(o["pred"], dtype=torch.int64), torch.tensor(o["target"], dtype=torch.int64))
                        for o in o_matches]
            for b, ((sp, st), (op, ot)) in enumerate(zip(optimal, ours_idx)):
                same += int(list(sp) == op.tolist() and list(st) == ot.tolist())
                best = float(blocks[b][b][list(sp), list(st)].sum())
                mine = float(blocks[b][b][op, ot].sum())
                gap = max(gap, (mine - best) / (1.0 + abs(best)))
            total, ce, bbox, giou, _ = detr.criterion(lg, bx, labels, tb64, ours_idx, k, args.groups)
            total_all = total_all + total
            theirs = {"ce": float(ce), "bbox": float(bbox), "giou": float(giou), "total": float(total)}
            loss_rel = max(loss_rel, max(abs(o_loss[key] - v) / max(abs(v), 1e-12) for key, v in theirs.items()))
        total_all.backward()
        if args.layers > 1:
            loss_rel = max(loss_rel, abs(ours["total_all_layers"] - float(total_all)) / max(abs(float(total_all)), 1e-12))
        for (lg, bx), (_, _, o_grad) in zip(leaves, ours_layers):
            for name, ref in (("pred_logits", lg.grad), ("pred_boxes", bx.grad)):
                mine = torch.tensor(o_grad[name], dtype=torch.float64)
                grad_rel = max(grad_rel, float((mine - ref).abs().max() / ref.abs().max().clamp(min=1e-30)))
        bsz = bsz * args.layers  # same_match counts (layer, image) problems
        ok = gap <= TOL_COST and loss_rel <= TOL_LOSS and grad_rel <= TOL_GRAD
        failed |= not ok
        print(json.dumps({"size": spec, "layers": args.layers, "groups": args.groups, "backend": ours["backend"],
                          "torch": torch.__version__,
                          "same_match": f"{same}/{bsz}", "cost_gap": gap, "loss_rel": loss_rel,
                          "grad_rel": grad_rel, "ok": ok}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
