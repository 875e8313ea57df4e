#!/usr/bin/env bash
# The criterion step side by side in one JVM on all cores (bench/README.md, "DJL"): (a) hungarian4j-djl's loss on
# DJL tensors with backward, (b) NativeBufferLoss alone, (c) DETR's criterion in DJL NDArray ops (our exact
# matcher per image) with backward. Build first: mvn -q install -DskipTests.
# SIZES (BxQxKxM, comma-separated), ROUNDS (a and b), C_ROUNDS (c), LAYERS (decoder layers, aux included: L > 1
# times (a) on stacked (L,B,Q,.) leaves against NativeLayeredBufferLoss, without (c)), WARMUP (calls of a and b per
# size before timing) override the defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ex="$here/java/djl-examples/target"
[[ -f "$ex/classpath.txt" ]] || { echo "error: build first: (cd '$here' && mvn -q install -DskipTests)" >&2; exit 2; }
cp="$ex/classes:$here/java/djl/target/classes:$here/java/core/target/classes"
cp="$cp:$(tr ':' '\n' < "$ex/classpath.txt" | grep -v '/dev/hungarian4j/' | paste -sd:)"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$here/build/djl-cache}" ENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-${DJL_CACHE_DIR:-$here/build/djl-cache}}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" ${H4J_JAVA_OPTS:-} -Dai.djl.offline=true -Dorg.bytedeco.javacpp.cachedir="$here/build/javacpp-cache" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --enable-native-access=ALL-UNNAMED -cp "$cp" \
  dev.hungarian4j.djl.examples.CriterionBench "${SIZES:-8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100}" \
  "${ROUNDS:-30}" "${C_ROUNDS:-3}" "${LAYERS:-1}" "${WARMUP:-100}"
