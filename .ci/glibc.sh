#!/usr/bin/env bash
# CI: every shared library shipped in the built jars loads on glibc 2.28 (docs/portability.md): fails when
# `objdump -T` shows a newer GLIBC symbol version. Run after the Maven build.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for jar in java/core/target/hungarian4j-*.jar java/cli/target/hungarian4j-cli.jar; do
  case $jar in *-sources.jar|*-javadoc.jar) continue;; esac
  [[ -f $jar ]] || { echo "glibc check: $jar not built" >&2; exit 2; }
  d="$tmp/$(basename "$jar" .jar)"
  mkdir -p "$d"
  (cd "$d" && unzip -q -o "$OLDPWD/$jar" '*.so')
  while IFS= read -r so; do
    bash native/tools/check_glibc.sh --max 2.28 "$so"
    n=$((n + 1))
  done < <(find "$d" -name '*.so' | sort)
done
(( n >= 4 )) || { echo "glibc check: expected the native libraries in both jars, found $n" >&2; exit 1; }
