#!/usr/bin/env bash
# Assembles the GPU verification kit (dist/gpu-kit.tgz, ignored by git) on a machine with nvcc and a JDK:
# a jlinked Java runtime, the CLI jar (with libhungarian4j for sm_75..sm_120), the C++ test and benchmark
# executables built with CUDA, and the reference vectors (testdata/vectors). bench/gpu/run.sh runs it on the GPU machine, which
# has no JDK and no Maven. Usage (repository root): bash bench/gpu/assemble.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=java/core/target/cmake
vectors="${H4J_VECTORS:-$root/testdata/vectors}"

if [[ ! -f java/cli/target/hungarian4j-cli.jar || ! -f $build/CMakeCache.txt || ! -x $build/bin/test_cuda ]]; then
  mvn -q -B -ntp install -DskipTests -Dh4j.cuda=ON -Dh4j.cmake.tests=ON
fi
if ! grep -q '^H4J_CUDA:STRING=\(ON\|AUTO\)' $build/CMakeCache.txt || [[ ! -x $build/bin/test_cuda ]]; then
  echo "error: $build was not built with CUDA (rebuild: mvn install -DskipTests -Dh4j.cuda=ON)" >&2
  exit 2
fi
# the fatbin names each embedded architecture (cuobjdump is not always installed)
if ! readelf -S $build/lib/libhungarian4j.so | grep nv_fatbin >/dev/null || ! strings -a $build/lib/libhungarian4j.so | grep sm_90 >/dev/null; then
  echo "error: libhungarian4j.so holds no CUDA code for sm_90" >&2
  exit 2
fi

stage=dist/gpu-kit
rm -rf "$stage" dist/gpu-kit.tgz
mkdir -p "$stage/bin" "$stage/lib"
"${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/jlink" \
  --add-modules java.base,jdk.unsupported,java.logging,java.management \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$stage/jre"
cp java/cli/target/hungarian4j-cli.jar "$stage/"
for exe in "$build"/bin/*; do
  [[ -x $exe && -f $exe ]] && cp "$exe" "$stage/bin/"
done
cp "$build/lib/libhungarian4j.so" "$stage/lib/"
cp -r "$vectors" "$stage/vectors"
git rev-parse --short HEAD > "$stage/COMMIT" 2>/dev/null || echo unknown > "$stage/COMMIT"
tar czf dist/gpu-kit.tgz -C dist gpu-kit
size=$(stat -c %s dist/gpu-kit.tgz)
echo "dist/gpu-kit.tgz: $((size / 1024 / 1024)) MiB ($(ls "$stage/bin" | tr '\n' ' '))"
if (( size > 60 * 1024 * 1024 )); then
  echo "error: the kit must stay under 64 MiB with the repository" >&2
  exit 2
fi
