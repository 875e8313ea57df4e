#!/usr/bin/env bash
# Builds and runs native/bench/auction_model.cpp: the auction's rounds counted on the CPU twin, the bytes its scans
# read in the original and the two-layout cost order, and a modelled GPU time (bench/README.md). About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
"${CXX:-g++}" -std=c++17 -O2 -Inative/include native/bench/auction_model.cpp -o build/auction_model
build/auction_model
