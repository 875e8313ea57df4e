#!/usr/bin/env bash
# Fails when a shared library needs a glibc symbol version newer than the floor (default 2.28: RHEL 8,
# Debian 10, manylinux_2_28), as `objdump -T` shows it; prints each library's newest GLIBC version.
# Usage: check_glibc.sh [--max 2.28] LIB.so...
set -euo pipefail
max=2.28
if [[ ${1:-} == --max ]]; then max=$2; shift 2; fi
(( $# > 0 )) || { echo "usage: $0 [--max X.Y] LIB.so..." >&2; exit 2; }
status=0
for lib in "$@"; do
  [[ -f $lib ]] || { echo "check_glibc: $lib: no such file" >&2; status=1; continue; }
  versions=$(objdump -T "$lib" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV)
  newest=$(tail -n 1 <<<"$versions")
  too_new=$(awk -v m="$max" 'BEGIN { split(m, b, ".") } { split($0, a, "."); if (a[1] > b[1] || (a[1] == b[1] && a[2] + 0 > b[2] + 0)) print }' <<<"$versions")
  if [[ -n $too_new ]]; then
    echo "check_glibc: FAIL $lib needs glibc $newest > $max; symbols:" >&2
    for v in $too_new; do objdump -T "$lib" | grep -F "(GLIBC_$v)" | awk '{print "  " $NF " (GLIBC_" v ")"}' v="$v" >&2; done
    status=1
  else
    echo "check_glibc: ok $lib needs glibc ${newest:-none} <= $max"
  fi
done
exit $status
