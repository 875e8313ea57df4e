#!/usr/bin/env bash
# CI: the DJL training run, short (README "Train with DJL"): a few dozen steps on synthetic shapes, and the loss
# must go down (--check decreased), then three rounds of the criterion benchmark at the smallest size, with one
# and with six decoder layers. Needs the build of bin/test. DJL runs offline, with the libtorch that java/djl's
# tests unpacked (no second 432 MB copy).
# About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJL_CACHE_DIR="$PWD/java/djl/target/djl-cache" ENGINE_CACHE_DIR="$PWD/java/djl/target/djl-cache"
echo "== DJL: short training run (the loss must decrease) and a criterion benchmark smoke"
bin/hungarian4j-train --steps 40 --batch 16 --held-out 64 --check decreased --plot build/ci-train-loss.png
test -s build/ci-train-loss.png
SIZES=8x100x91x10 ROUNDS=3 C_ROUNDS=1 WARMUP=3 bash bench/compare_djl.sh
SIZES=8x100x91x10 ROUNDS=3 LAYERS=6 WARMUP=3 bash bench/compare_djl.sh   # aux layers: (a) vs (b) only
