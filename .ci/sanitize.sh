#!/usr/bin/env bash
# CI: the shared auction rounds under AddressSanitizer and UndefinedBehaviorSanitizer, on the
# inputs that used to index out of bounds (NaN / inf costs, the empty scan marker), plus the
# launch arithmetic. Header-only tests: about 20 s to build and run on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/ci-sanitize
mkdir -p "$out"
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
       -Wall -Wextra -Inative/include -Inative/src -Inative/tests)
for t in test_auction_robust test_auction_launch; do
  "${CXX:-g++}" "${flags[@]}" "native/tests/$t.cpp" -o "$out/$t"
  echo "-- $t (ASan + UBSan)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 timeout 300 "$out/$t" | tail -n 3
done
