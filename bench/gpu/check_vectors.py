#!/usr/bin/env python3
"""Checks `hungarian4j loss --grad` outputs against testdata/vectors/*.expected.json with the tolerances
of the vectors' README. Independent of the Java and C++ code: costs, optimum (scipy) and loss in float64
numpy; where the returned matching differs from the file's (a tied optimum), the loss is recomputed for the
returned matching and its gradient by central differences.

usage: check_vectors.py VECTORS_DIR OUTPUT_DIR   (OUTPUT_DIR holds NAME.out.json for each case run)
Prints one line per case and 'N passed, N failed'; exits 1 on any failure.
"""
import json
import os
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment

DEFAULTS = dict(cost_class=1.0, cost_bbox=5.0, cost_giou=2.0, class_cost="prob", loss_ce_weight=1.0,
                loss_bbox_weight=5.0, loss_giou_weight=2.0, eos_coef=0.1, reduction="detr")


def giou(a, b):
    """GIoU of (n,4) and (m,4) cxcywh boxes -> (n,m), with the contract's floors."""
    a0 = np.stack([a[:, 0] - a[:, 2] / 2, a[:, 1] - a[:, 3] / 2, a[:, 0] + a[:, 2] / 2, a[:, 1] + a[:, 3] / 2], 1)
    b0 = np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2], 1)
    area_a = (a0[:, 2] - a0[:, 0]) * (a0[:, 3] - a0[:, 1])
    area_b = (b0[:, 2] - b0[:, 0]) * (b0[:, 3] - b0[:, 1])
    lt = np.maximum(a0[:, None, :2], b0[None, :, :2])
    rb = np.minimum(a0[:, None, 2:], b0[None, :, 2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    iou = inter / np.maximum(union, 1e-12)
    lt2 = np.minimum(a0[:, None, :2], b0[None, :, :2])
    rb2 = np.maximum(a0[:, None, 2:], b0[None, :, 2:])
    wh2 = np.clip(rb2 - lt2, 0, None)
    encl = wh2[..., 0] * wh2[..., 1]
    return iou - (encl - union) / np.maximum(encl, 1e-12)


def log_softmax(x):
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def cost_matrix(logits, boxes, labels, tboxes, cfg):
    lsm = log_softmax(logits)
    cls = -(np.exp(lsm) if cfg["class_cost"] == "prob" else lsm)[:, labels]
    l1 = np.abs(boxes[:, None, :] - tboxes[None, :, :]).sum(-1)
    return cfg["cost_class"] * cls + cfg["cost_bbox"] * l1 - cfg["cost_giou"] * giou(boxes, tboxes)


def loss_terms(logits, boxes, targets, matches, cfg):
    k = logits.shape[-1] - 1
    eos = cfg["eos_coef"]
    ce_num = ce_den = l1 = gi = 0.0
    total_m = sum(len(t["labels"]) for t in targets)
    for b in range(logits.shape[0]):
        t = np.full(logits.shape[1], k)
        pred, tgt = matches[b]
        labels = np.asarray(targets[b]["labels"], dtype=np.int64)
        tb = np.asarray(targets[b]["boxes"], dtype=np.float64).reshape(-1, 4)
        if len(pred):
            t[pred] = labels[tgt]
            l1 += np.abs(boxes[b, pred] - tb[tgt]).sum()
            gi += (1 - np.diag(giou(boxes[b, pred], tb[tgt]))).sum()
        w = np.where(t == k, eos, 1.0)
        lsm = log_softmax(logits[b])
        ce_num += (w * -lsm[np.arange(len(t)), t]).sum()
        ce_den += w.sum()
    if cfg["reduction"] == "detr":
        nb = max(1, total_m)
        ce = ce_num / ce_den if ce_den > 0 else 0.0
        l1, gi = l1 / nb, gi / nb
    else:
        ce = ce_num
    total = cfg["loss_ce_weight"] * ce + cfg["loss_bbox_weight"] * l1 + cfg["loss_giou_weight"] * gi
    return dict(ce=ce, bbox=l1, giou=gi, total=total)


def numeric_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = f()
        x[i] = old - h
        fm = f()
        x[i] = old
        g[i] = (fp - fm) / (2 * h)
    return g


def close(got, exp, abs_tol, rel):
    return abs(got - exp) <= max(abs_tol, rel * abs(exp))


def check_grad(got, exp):
    got = np.asarray(got, dtype=np.float64)
    exp = np.asarray(exp, dtype=np.float64)
    if got.shape != exp.shape:
        return "shape %s != %s" % (got.shape, exp.shape)
    scale = np.abs(exp).max()
    err = np.abs(got - exp).max() if got.size else 0.0
    if scale == 0:
        return None if err <= 1e-7 else "max error %g on an all-zero gradient" % err
    return None if err <= 1e-3 * scale else "max error %g > 1e-3 * %g" % (err, scale)


def check_case(name, inp, exp, out):
    cfg = dict(DEFAULTS, **inp.get("config", {}))
    logits = np.asarray(inp["pred_logits"], dtype=np.float32).astype(np.float64)
    boxes = np.asarray(inp["pred_boxes"], dtype=np.float32).astype(np.float64)
    targets = inp["targets"]
    B, Q = logits.shape[:2]
    problems = []
    matches = []
    same = True
    for b in range(B):
        labels = np.asarray(targets[b]["labels"], dtype=np.int64)
        tb = np.asarray(targets[b]["boxes"], dtype=np.float32).astype(np.float64).reshape(-1, 4)
        pred = list(out["matches"][b]["pred"])
        tgt = list(out["matches"][b]["target"])
        m = len(labels)
        if len(pred) != min(Q, m) or len(tgt) != len(pred):
            problems.append("image %d: %d pairs, expected %d" % (b, len(pred), min(Q, m)))
            continue
        if pred != sorted(set(pred)) or len(set(tgt)) != len(tgt) or any(not 0 <= p < Q for p in pred) \
                or any(not 0 <= t < m for t in tgt):
            problems.append("image %d: not a feasible matching with ascending pred" % b)
            continue
        if m == 0:
            if out["matching_cost"][b] != 0:
                problems.append("image %d: matching_cost %r, must be exactly 0" % (b, out["matching_cost"][b]))
            matches.append(([], []))
            continue
        c = cost_matrix(logits[b], boxes[b], labels, tb, cfg)
        r, cc = linear_sum_assignment(c)
        opt = c[r, cc].sum()
        got = c[pred, tgt].sum()
        if not close(got, opt, 1e-4, 1e-4):
            problems.append("image %d: cost %.9g, optimum %.9g" % (b, got, opt))
        if not close(out["matching_cost"][b], got, 1e-4, 1e-4):
            problems.append("image %d: matching_cost %r, cost of its matching %.9g" % (b, out["matching_cost"][b], got))
        if pred != exp["matches"][b]["pred"] or tgt != exp["matches"][b]["target"]:
            same = False
        matches.append((np.asarray(pred, dtype=np.int64), np.asarray(tgt, dtype=np.int64)))
    if problems:
        return problems
    total_m = sum(len(t["labels"]) for t in targets)
    if out.get("num_boxes") != max(1, total_m):
        problems.append("num_boxes %r, expected %d" % (out.get("num_boxes"), max(1, total_m)))
    if same:
        ref_loss, ref_gl, ref_gb = exp["loss"], exp["grad"]["pred_logits"], exp["grad"]["pred_boxes"]
    else:  # a different optimal matching: the reference is recomputed for it
        ref_loss = loss_terms(logits, boxes, targets, matches, cfg)
        if logits.size + boxes.size > 5000:
            return ["matching differs from the file's on a case too large for the finite-difference check"]
        ref_gl = numeric_grad(lambda: loss_terms(logits, boxes, targets, matches, cfg)["total"], logits)
        ref_gb = numeric_grad(lambda: loss_terms(logits, boxes, targets, matches, cfg)["total"], boxes)
    for key in ("ce", "bbox", "giou", "total"):
        if not close(out["loss"][key], ref_loss[key], 1e-6, 1e-4):
            problems.append("loss.%s %r, expected %r" % (key, out["loss"][key], ref_loss[key]))
    if "grad" not in out:
        problems.append("no grad in the output")
    else:
        for key, ref in (("pred_logits", ref_gl), ("pred_boxes", ref_gb)):
            why = check_grad(out["grad"][key], ref)
            if why:
                problems.append("grad.%s: %s" % (key, why))
    return problems


def main():
    vectors, outputs = sys.argv[1], sys.argv[2]
    passed = failed = 0
    for f in sorted(os.listdir(outputs)):
        if not f.endswith(".out.json"):
            continue
        name = f[: -len(".out.json")]
        with open(os.path.join(vectors, name + ".json")) as fh:
            inp = json.load(fh)
        with open(os.path.join(vectors, name + ".expected.json")) as fh:
            exp = json.load(fh)
        try:
            with open(os.path.join(outputs, f)) as fh:
                out = json.load(fh)
            problems = check_case(name, inp, exp, out)
        except Exception as e:  # unreadable output counts as a failure of that case
            problems = ["could not check: %r" % (e,)]
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, "; ".join(problems)))
        else:
            passed += 1
            print("ok   %s (backend %s)" % (name, out.get("backend")))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
