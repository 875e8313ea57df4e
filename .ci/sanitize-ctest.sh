#!/usr/bin/env bash
# CI: the C++ tests (the CPU auction twin's test_auction, the hostile-argument test, the C API, the exact matcher, the
# vectors, the DETR family's layered calls) built with AddressSanitizer + UndefinedBehaviorSanitizer; any report fails the run. C++ only (no CUDA).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/ci-sanitize-ctest
vectors=${H4J_VECTORS:-$PWD/testdata/vectors}
start=$SECONDS
cmake -S . -B "$dir" -DH4J_SANITIZE=ON -DH4J_CUDA=OFF -DCMAKE_BUILD_TYPE=Release \
  -DH4J_VECTORS="$vectors" >/dev/null
cmake --build "$dir" --parallel 2 --target test_api test_hostile test_auction test_lsap test_loss_float test_math \
  test_vectors test_detr_family
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export H4J_VECTORS="$vectors"
export H4J_AUCTION_SCALE=0.05  # 500 of test_auction's 10,000 problems, every class: ASan is ~5x slower
for t in test_api test_hostile test_auction test_lsap test_loss_float test_math test_vectors test_detr_family; do
  "$dir/bin/$t" >"$dir/$t.log" 2>&1 || { cat "$dir/$t.log"; echo "sanitize: $t failed"; exit 1; }
  echo "sanitize: $t $(tail -n 1 "$dir/$t.log")"
done
echo "sanitize: ASan+UBSan C++ tests green in $((SECONDS - start)) s"
