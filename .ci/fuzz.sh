#!/usr/bin/env bash
# CI: Jazzer fuzzing (coverage-guided, JAZZER_FUZZ=1) of the JSON reader and of the Java API in front of every
# native entry point, 20 s per target and round (each @FuzzTest's maxDuration). A finding fails the run and
# leaves the crashing input (crash-*) in the module's directory. Prints each target's executions.
# A longer run: H4J_FUZZ_ROUNDS=N repeats each target N times; the rounds continue from the corpus the earlier
# ones grew (.cifuzz-corpus/), so N rounds explore like one run N times as long; executions are summed.
# Needs the artifacts installed by bin/test (runs offline).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(
  "java/core dev.hungarian4j.natives.NativeApiFuzzTest#api"
  "java/cli dev.hungarian4j.cli.JsonReaderFuzzTest#input"
)
rounds=${H4J_FUZZ_ROUNDS:-1}
mkdir -p build
failed=()
for t in "${targets[@]}"; do
  module=${t%% *}
  test=${t#* }
  log=build/fuzz-${test##*.}.log
  log=${log//#/-}
  start=$SECONDS
  total=0
  done_line=
  for ((r = 1; r <= rounds; r++)); do
    if ! JAZZER_FUZZ=1 mvn -B -ntp -o -q test -pl "$module" -Dh4j.native.skip=true -Dh4j.ctest.skip=true \
        -Dh4j.cuda=OFF -Dh4j.test.excludedGroups= -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
        >"$log" 2>&1; then
      tail -n 60 "$log"
      echo "fuzz: $test FAILED in round $r (log: $log)"
      failed+=("$test")
      break
    fi
    done_line=$(grep -ho '#[0-9]*[[:space:]]*DONE.*' "$module"/target/surefire-reports/*.txt "$log" 2>/dev/null \
      | tail -n 1 || true)
    execs=${done_line%%[[:space:]]*}
    execs=${execs#\#}
    total=$((total + ${execs:-0}))
    (( rounds == 1 )) || echo "fuzz: $test round $r/$rounds: ${done_line:-see $log}"
  done
  echo "fuzz: $test: $total executions in $rounds round(s), $((SECONDS - start)) s; last: ${done_line:-see $log}"
done
if (( ${#failed[@]} )); then
  echo "fuzz: FINDINGS in ${failed[*]}: see the logs; the crashing input is in the module's directory (crash-*)"
  exit 1
fi
