#!/usr/bin/env python3
"""Times scipy.optimize.linear_sum_assignment on the cost blocks that `bin/hungarian4j bench` times.

Input: the file written by `bin/hungarian4j bench --dump-costs FILE` (little-endian):
  "H4JCOST1", int32 records, then per record: int32 B, Q, K, M; int32 offsets[B+1];
  float32 costs[Q*offsets[B]] (block b, Q x M_b row-major, at Q*offsets[b]); float64 optimal[B].

For each record it times one whole batch: linear_sum_assignment on each of the B float32 blocks, as DETR's
HungarianMatcher calls it per image (scipy converts to float64 inside the call; that is part of the time).
It prints one JSON object per record: {"size": "BxQxKxM", "scipy_match_us": {"median":..., "p90":...}, "runs": N,
"max_cost_diff": ...}, where max_cost_diff is the largest |scipy's optimal cost - hungarian4j's| over the images
(a parity check: both solve the same problems exactly; above 1e-6 relative it exits 1 after printing).

Usage: python3 bench/scipy_lsap.py COSTS.bin [--runs N] [--warmup N]
"""
import argparse
import json
import struct
import sys
import time

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def read_dump(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"H4JCOST1":
        sys.exit(f"error: {path} is not a hungarian4j cost dump (bad magic)")
    (n,) = struct.unpack_from("<i", data, 8)
    pos = 12
    records = []
    for _ in range(n):
        b, q, k, m = struct.unpack_from("<4i", data, pos)
        pos += 16
        offsets = np.frombuffer(data, dtype="<i4", count=b + 1, offset=pos)
        pos += 4 * (b + 1)
        total = int(offsets[-1])
        costs = np.frombuffer(data, dtype="<f4", count=q * total, offset=pos)
        pos += 4 * q * total
        optimal = np.frombuffer(data, dtype="<f8", count=b, offset=pos)
        pos += 8 * b
        blocks = [costs[q * offsets[i]: q * offsets[i + 1]].reshape(q, offsets[i + 1] - offsets[i])
                  for i in range(b)]
        records.append(((b, q, k, m), blocks, optimal))
    if pos != len(data):
        sys.exit(f"error: {path} has {len(data) - pos} trailing bytes")
    return records


def match_batch(blocks):
    return [linear_sum_assignment(c) for c in blocks]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--runs", type=int, default=50, help="timed runs per size (default 50)")
    ap.add_argument("--warmup", type=int, default=10, help="untimed runs first (default 10)")
    args = ap.parse_args()
    failed = []
    for (b, q, k, m), blocks, optimal in read_dump(args.dump):
        # parity: the same optimum as hungarian4j's exact matcher, summed in float64 from the float32 costs
        diff = 0.0
        for i, (c, (rows, cols), ours) in enumerate(zip(blocks, match_batch(blocks), optimal)):
            theirs = float(c.astype(np.float64)[rows, cols].sum())
            diff = max(diff, abs(theirs - float(ours)))
            if abs(theirs - float(ours)) > 1e-6 * (1 + abs(float(ours))):
                failed.append(f"{b}x{q}x{k}x{m} image {i}: scipy {theirs!r}, hungarian4j {float(ours)!r}")
        for _ in range(args.warmup):
            match_batch(blocks)
        ns = []
        for _ in range(args.runs):
            t0 = time.perf_counter_ns()
            match_batch(blocks)
            ns.append(time.perf_counter_ns() - t0)
        ns.sort()
        med = float(np.median(ns)) / 1e3
        p90 = ns[max(0, -(-9 * len(ns) // 10) - 1)] / 1e3
        print(json.dumps({"size": f"{b}x{q}x{k}x{m}", "scipy": scipy.__version__,
                          "scipy_match_us": {"median": round(med, 1), "p90": round(p90, 1)},
                          "runs": args.runs, "max_cost_diff": diff}), flush=True)
    if failed:
        sys.exit("error: optimal costs differ: " + "; ".join(failed[:5]))


if __name__ == "__main__":
    main()
