#!/usr/bin/env python3
"""Times the DETR reference pipeline in PyTorch: HungarianMatcher + SetCriterion (labels, boxes) + backward.

Written after the logic of DETR's models/matcher.py and models/detr.py (not copied):
  cost:  softmax over the flattened (B*Q) x (K+1) logits, the cross-image (B*Q) x sum(M) cost matrix
         C = cost_bbox * cdist_L1 - cost_class * prob[:, tgt_ids] - cost_giou * GIoU, moved to the CPU;
  match: scipy.optimize.linear_sum_assignment on each image's Q x M_b slice of C (as DETR does);
  loss:  weighted cross-entropy with eos_coef on the no-object class, L1 and 1 - diag(GIoU) over the matched
         pairs divided by num_boxes, weights 1 / 5 / 2, then backward() to the logits and boxes;
  total: all of it, as one training step's criterion call.
Batches are synthetic (seeded, DETR-like shapes: K+1 logits, cxcywh boxes), not hungarian4j's bytes; the shapes
are the bench sizes BxQxKxM. Prints one JSON object per size, like `bin/hungarian4j bench --json` (median and p90
microseconds per whole batch), with "backend": "torch-<device>".

It needs PyTorch (not installed on the CPU development machine; the GPU machine has it): without torch it says so
and exits 0.

Usage: python3 bench/torch_detr_pipeline.py [--sizes 8x100x91x10,...] [--device cpu|cuda] [--runs N]
       [--warmup N] [--threads N]
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
    args = ap.parse_args()
    try:
        import torch
        import torch.nn.functional as F
        from scipy.optimize import linear_sum_assignment
    except ImportError as e:
        print(f"torch_detr_pipeline: skipped: {e.name or e} is not installed here; run it on the GPU machine "
              "(PyTorch 2.11, scipy) to time DETR's PyTorch pipeline", file=sys.stderr)
        return 0
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        print("torch_detr_pipeline: skipped: --device cuda but torch sees no GPU", file=sys.stderr)
        return 0

    cost_class_w, cost_bbox_w, cost_giou_w = 1.0, 5.0, 2.0
    w_ce, w_bbox, w_giou, eos_coef = 1.0, 5.0, 2.0, 0.1

    def cxcywh_to_xyxy(b):
        cx, cy, w, h = b.unbind(-1)
        return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=-1)

    def pairwise_giou(a, b):
        area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
        area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
        wh = (torch.min(a[:, None, 2:], b[None, :, 2:]) - torch.max(a[:, None, :2], b[None, :, :2])).clamp(min=0)
        inter = wh[..., 0] * wh[..., 1]
        union = area_a[:, None] + area_b[None, :] - inter
        wh_c = (torch.max(a[:, None, 2:], b[None, :, 2:]) - torch.min(a[:, None, :2], b[None, :, :2])).clamp(min=0)
        enclosing = wh_c[..., 0] * wh_c[..., 1]
        return inter / union - (enclosing - union) / enclosing

    @torch.no_grad()
    def cost_matrix(logits, boxes, tgt_ids, tgt_boxes):
        bsz, nq = logits.shape[:2]
        prob = logits.flatten(0, 1).softmax(-1)
        out_bbox = boxes.flatten(0, 1)
        c = (cost_bbox_w * torch.cdist(out_bbox, tgt_boxes, p=1) - cost_class_w * prob[:, tgt_ids]
             - cost_giou_w * pairwise_giou(cxcywh_to_xyxy(out_bbox), cxcywh_to_xyxy(tgt_boxes)))
        return c.view(bsz, nq, -1).cpu()

    def match(c, sizes):
        return [linear_sum_assignment(block[i]) for i, block in enumerate(c.split(sizes, -1))]

    def criterion(logits, boxes, labels, tboxes, indices, num_classes):
        idx_b = torch.cat([torch.full((len(src),), i, dtype=torch.int64) for i, (src, _) in enumerate(indices)])
        idx_q = torch.cat([torch.as_tensor(src, dtype=torch.int64) for src, _ in indices])
        tgt_j = [torch.as_tensor(j, dtype=torch.int64) for _, j in indices]
        idx_b, idx_q = idx_b.to(dev), idx_q.to(dev)
        target_classes = torch.full(logits.shape[:2], num_classes, dtype=torch.int64, device=dev)
        target_classes[idx_b, idx_q] = torch.cat([lab[j.to(dev)] for lab, j in zip(labels, tgt_j)])
        empty_weight = torch.ones(num_classes + 1, device=dev)
        empty_weight[-1] = eos_coef
        loss_ce = F.cross_entropy(logits.transpose(1, 2), target_classes, empty_weight)
        num_boxes = max(1.0, float(sum(len(t) for t in labels)))
        src_boxes = boxes[idx_b, idx_q]
        target_boxes = torch.cat([tb[j.to(dev)] for tb, j in zip(tboxes, tgt_j)], dim=0)
        loss_bbox = F.l1_loss(src_boxes, target_boxes, reduction="none").sum() / num_boxes
        loss_giou = (1 - torch.diag(pairwise_giou(cxcywh_to_xyxy(src_boxes), cxcywh_to_xyxy(target_boxes)))).sum() \
            / num_boxes
        return w_ce * loss_ce + w_bbox * loss_bbox + w_giou * loss_giou

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
        g = torch.Generator().manual_seed(args.seed)
        logits = torch.randn(bsz, nq, k + 1, generator=g).to(dev).requires_grad_()
        boxes = torch.cat([torch.rand(bsz, nq, 2, generator=g) * 0.8 + 0.1,
                           torch.rand(bsz, nq, 2, generator=g) * 0.25 + 0.05], -1).to(dev).requires_grad_()
        labels = [torch.randint(0, k, (m,), generator=g).to(dev) for _ in range(bsz)]
        tboxes = [torch.cat([torch.rand(m, 2, generator=g) * 0.8 + 0.1, torch.rand(m, 2, generator=g) * 0.25 + 0.05],
                            -1).to(dev) for _ in range(bsz)]
        tgt_ids, tgt_boxes, sizes = torch.cat(labels), torch.cat(tboxes), [m] * bsz
        c = cost_matrix(logits, boxes, tgt_ids, tgt_boxes)
        indices = match(c, sizes)

        def loss_step():
            logits.grad = boxes.grad = None
            criterion(logits, boxes, labels, tboxes, indices, k).backward()

        def total_step():
            logits.grad = boxes.grad = None
            ind = match(cost_matrix(logits, boxes, tgt_ids, tgt_boxes), sizes)
            criterion(logits, boxes, labels, tboxes, ind, k).backward()

        stages = {"cost": lambda: cost_matrix(logits, boxes, tgt_ids, tgt_boxes), "match": lambda: match(c, sizes),
                  "loss": loss_step, "total": total_step}
        med, p90 = {}, {}
        for name, fn in stages.items():
            med[name], p90[name] = timed(fn)
        print(json.dumps({"backend": f"torch-{dev.type}", "torch": torch.__version__,
                          "threads": torch.get_num_threads(), "batch": bsz, "queries": nq, "classes": k,
                          "targets": m, "median_us": med, "p90_us": p90}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
