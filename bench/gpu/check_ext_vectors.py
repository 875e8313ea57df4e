#!/usr/bin/env python3
"""Checks `hungarian4j loss --grad` outputs of the contract.md section 3 vectors (testdata/vectors/ext_*)
against their NAME.expected.json with the tolerances of the vectors' README, layer by layer (the top level and
every aux layer). Plain Python (no numpy, no scipy), so the GPU kit runs it anywhere.

Where a layer's returned matching differs from the file's, the optimum is tied (the auction may break ties
otherwise than the file's matcher): its matching costs must still equal the file's (both optimal), and its loss
and gradients, which belong to the returned matching, are not compared (reported as 'tied').

usage: check_ext_vectors.py VECTORS_DIR OUTPUT_DIR   (OUTPUT_DIR holds NAME.out.json per ext_* case run)
Prints one line per case and 'N passed, N failed'; exits 1 on any failure.
"""
import json
import os
import sys


def close(got, want, rtol=1e-4, atol=1e-6):
    return abs(got - want) <= max(atol, rtol * abs(want))


def flat(x):
    if isinstance(x, list):
        for v in x:
            yield from flat(v)
    else:
        yield float(x)


def grad_ok(got, want):
    g, w = list(flat(got)), list(flat(want))
    if len(g) != len(w):
        return False, "shape: %d vs %d values" % (len(g), len(w))
    wmax = max((abs(v) for v in w), default=0.0)
    if wmax == 0.0:
        bad = max((abs(v) for v in g), default=0.0)
        return bad <= 1e-7, "max |got| %.3g where expected is all zero" % bad
    diff = max(abs(a - b) for a, b in zip(g, w))
    return diff <= 1e-3 * wmax, "max diff %.3g vs 1e-3 * %.3g" % (diff, wmax)


def check_layer(name, got, want, out, msgs):
    """got/want: dicts with matches, matching_cost, loss (and grad) of one layer."""
    ok = True
    costs_g, costs_w = got["matching_cost"], want["matching_cost"]
    if len(costs_g) != len(costs_w):
        msgs.append("%s: %d matching costs, want %d" % (name, len(costs_g), len(costs_w)))
        return False
    for b, (cg, cw) in enumerate(zip(costs_g, costs_w)):
        if not close(cg, cw, 1e-4, 1e-4):
            msgs.append("%s image %d: matching cost %.9g, want %.9g" % (name, b, cg, cw))
            ok = False
    tied = got["matches"] != want["matches"]
    if tied:
        msgs.append("%s: tied optimum (another matching of equal cost); loss not compared" % name)
        return ok
    for k in ("ce", "bbox", "giou", "total"):
        if not close(got["loss"][k], want["loss"][k]):
            msgs.append("%s: loss.%s %.9g, want %.9g" % (name, k, got["loss"][k], want["loss"][k]))
            ok = False
    if "grad" in want:
        for k in ("pred_logits", "pred_boxes"):
            good, why = grad_ok(got["grad"][k], want["grad"][k])
            if not good:
                msgs.append("%s: grad.%s %s" % (name, k, why))
                ok = False
    return ok


def check_case(vectors, outdir, name):
    want = json.load(open(os.path.join(vectors, name + ".expected.json")))
    path = os.path.join(outdir, name + ".out.json")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return False, ["no output"]
    try:
        got = json.load(open(path))
    except ValueError as e:
        return False, ["output is not JSON: %s" % e]
    msgs = []
    ok = close(float(got["num_boxes"]), float(want["num_boxes"]), 1e-6, 1e-9)
    if not ok:
        msgs.append("num_boxes %s, want %s" % (got["num_boxes"], want["num_boxes"]))
    top_g = dict(matches=got["matches"], matching_cost=got["matching_cost"], loss=got["loss"],
                 grad={k: got["grad"][k] for k in ("pred_logits", "pred_boxes")})
    top_w = dict(matches=want["matches"], matching_cost=want["matching_cost"], loss=want["loss"],
                 grad={k: want["grad"][k] for k in ("pred_logits", "pred_boxes")})
    ok &= check_layer("top", top_g, top_w, got, msgs)
    aux_w = want.get("aux_losses", [])
    if aux_w:
        if len(got.get("aux_losses", [])) != len(aux_w):
            return False, msgs + ["%d aux layers, want %d" % (len(got.get("aux_losses", [])), len(aux_w))]
        for l in range(len(aux_w)):
            g = dict(matches=got["aux_matches"][l], matching_cost=got["aux_matching_cost"][l],
                     loss=got["aux_losses"][l], grad=got["grad"]["aux"][l])
            w = dict(matches=want["aux_matches"][l], matching_cost=want["aux_matching_cost"][l],
                     loss=want["aux_losses"][l], grad=want["grad"]["aux"][l])
            ok &= check_layer("aux %d" % l, g, w, got, msgs)
        if not close(got["total_all_layers"], want["total_all_layers"]):
            msgs.append("total_all_layers %.9g, want %.9g" % (got["total_all_layers"], want["total_all_layers"]))
            ok = False
    return ok, msgs


def main():
    vectors, outdir = sys.argv[1], sys.argv[2]
    names = sorted(f[:-5] for f in os.listdir(vectors)
                   if f.startswith("ext_") and f.endswith(".json") and not f.endswith(".expected.json"))
    passed = failed = 0
    for n in names:
        ok, msgs = check_case(vectors, outdir, n)
        print("%-4s %s%s" % ("ok" if ok else "FAIL", n, (": " + "; ".join(msgs)) if msgs else ""))
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
