#!/usr/bin/env bash
# CI: `cmake --install` of the C++-only build gives a usable CMake package: examples/cpp-consumer is configured
# with find_package(hungarian4j) against the installed tree only, built and run. Takes ~20 s.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci-nocuda}
prefix=$PWD/build/ci-install
rm -rf "$prefix" build/ci-consumer
cmake --install "$build" --prefix "$prefix" >/dev/null
find "$prefix" -type f | sed "s|^$prefix/|installed: |" | sort
cmake -S examples/cpp-consumer -B build/ci-consumer -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/ci-consumer >/dev/null
build/ci-consumer/h4j_consumer
