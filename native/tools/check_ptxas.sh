#!/usr/bin/env bash
# hungarian4j — resource check of every CUDA kernel: compiles each native/cuda/*.cu for one
# architecture with `-Xptxas -v` and fails when any kernel reports spill stores / loads, a
# non-zero stack frame or local memory (lmem / cumulative stack size).
#
# usage: native/tools/check_ptxas.sh [NVCC] [ARCHS] [AUCTION_PROBE]   (defaults: nvcc on PATH, sm_90)
#   ARCHS: one architecture or a comma-separated list, e.g. sm_90,sm_75
#   AUCTION_PROBE: test_auction_launch; when given, auction_kernel's static shared memory ("bytes
#   smem") must equal `AUCTION_PROBE --static-smem`, sizeof(BlockShared), the figure the launch
#   arithmetic (auction_launch.h) subtracts from the opt-in limit
# Prints one line per kernel: registers, stack, spills, shared memory; exit 0 = all clean.
set -u
NVCC="${1:-nvcc}"
ARCHS="${2:-sm_90}"
PROBE="${3:-}"
want_smem=""
if [ -n "$PROBE" ]; then
  want_smem="$("$PROBE" --static-smem)" || { echo "check_ptxas: $PROBE --static-smem failed" >&2; exit 1; }
fi
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

if ! command -v "$NVCC" >/dev/null 2>&1 && [ ! -x "$NVCC" ]; then
  echo "check_ptxas: nvcc not found ($NVCC)" >&2
  exit 2
fi

status=0
kernels=0
for ARCH in ${ARCHS//,/ }; do
for src in "$ROOT"/native/cuda/*.cu; do
  name="$(basename "$src")"
  log="$TMP/$name.$ARCH.log"
  if ! "$NVCC" -arch="$ARCH" -std=c++17 --expt-relaxed-constexpr -DH4J_WITH_CUDA=1 \
       -I"$ROOT/native/include" -Xptxas -v -c "$src" -o "$TMP/$name.o" >"$log" 2>&1; then
    echo "FAIL $name: does not compile" >&2
    cat "$log" >&2
    status=1
    continue
  fi
  # ptxas prints, per entry function:
  #   Compiling entry function 'F' for 'sm_90'
  #   Function properties for F
  #       S bytes stack frame, SS bytes spill stores, SL bytes spill loads
  #   Used R registers, [N bytes lmem,] ... [K bytes cumulative stack size,] ... smem
  out="$(awk -v file="$name" -v arch="$ARCH" '
    /Compiling entry function/ { fn = $0; sub(/.*function .\047?/, "", fn); sub(/\047.*/, "", fn); next }
    /bytes stack frame/ {
      split($0, a, ","); stack = a[1] + 0; st = a[2]; sl = a[3];
      gsub(/[^0-9]/, "", st); gsub(/[^0-9]/, "", sl); stores = st + 0; loads = sl + 0; next }
    /Used [0-9]+ registers/ && fn != "" {
      regs = $0; sub(/.*Used /, "", regs); regs = regs + 0
      lmem = 0; if (match($0, /[0-9]+ bytes lmem/)) lmem = substr($0, RSTART, RLENGTH) + 0
      cum = 0; if (match($0, /[0-9]+ bytes cumulative stack size/)) cum = substr($0, RSTART, RLENGTH) + 0
      smem = 0; if (match($0, /[0-9]+ bytes smem/)) smem = substr($0, RSTART, RLENGTH) + 0
      bad = (stack > 0 || stores > 0 || loads > 0 || lmem > 0 || cum > 0)
      printf "%s %s %s %s: %d registers, %d B stack, %d B spill stores, %d B spill loads, %d B lmem, %d B smem\n",
             bad ? "FAIL" : "ok  ", arch, file, fn, regs, stack, stores, loads, lmem, smem
      fn = ""; stack = stores = loads = 0
    }' "$log")"
  if [ -n "$want_smem" ] && [ "$name" = auction_kernel.cu ]; then
    got="$(printf '%s\n' "$out" | grep 'auction_kernel' | sed -n 's/.* \([0-9][0-9]*\) B smem$/\1/p' | head -1)"
    if [ "$got" = "$want_smem" ]; then
      echo "ok   $ARCH auction_kernel: ptxas static smem $got B == sizeof(BlockShared) $want_smem B"
    else
      echo "FAIL $ARCH auction_kernel: ptxas static smem '$got' B != sizeof(BlockShared) $want_smem B" >&2
      status=1
    fi
  fi
  if [ -n "$out" ]; then
    echo "$out"
    kernels=$((kernels + $(printf '%s\n' "$out" | wc -l)))
    if printf '%s\n' "$out" | grep -q '^FAIL'; then status=1; fi
  fi
done
done
echo "check_ptxas: $kernels kernel builds checked for $ARCHS; $([ $status -eq 0 ] && echo 'no spills, no stack, no local memory' || echo 'FAILED')"
exit $status
