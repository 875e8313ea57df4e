#!/usr/bin/env bash
# The CLI bench's `total` against JMH's PipelineBenchmark.total on the same batches, the same statistic and the same
# thread counts, measured in alternation: both time HungarianLoss.computeInto into reused arrays (steady state), and
# both report the median of single calls (JMH in sample mode: its p0.50; its mean, the default AverageTime score, is
# printed beside it, since on a shared machine the two part). Each round runs, per thread count, the CLI as README.md
# shows it (all sizes and every usable backend in one JVM), then JMH (one fork per backend, size and thread count); the
# summary takes the median over rounds. Build first: mvn -B -ntp install -DskipTests (or bin/test).
#
#   bench/compare_cli_jmh.sh                                  # four DETR sizes, jvm and native, 1 and 2 threads
#   SIZES=8x100x91x10 THREADS=1 ROUNDS=1 bench/compare_cli_jmh.sh
#   JMH_OPTS='-f 1 -wi 3 -i 5 -w 500ms -r 500ms' ITER=50 WARMUP_MS=1000 bench/compare_cli_jmh.sh   # the defaults
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES="${SIZES:-8x100x91x10,64x100x91x20,16x300x91x50,4x900x91x100}"
BACKENDS="${BACKENDS:-jvm,native}"  # JMH's; the CLI runs --backend all (the rows are those both have)
THREADS="${THREADS:-1 2}"
ROUNDS="${ROUNDS:-2}"
ITER="${ITER:-50}"
WARMUP_MS="${WARMUP_MS:-1000}"  # the CLI bench's default --warmup-time
JMH_OPTS="${JMH_OPTS:--f 1 -wi 3 -i 5 -w 500ms -r 500ms}"
PYTHON="${PYTHON:-python3}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$here/bench/target/benchmarks.jar"
[[ -f $jar ]] || { echo "compare_cli_jmh: $jar not found; build first (mvn -B -ntp install -DskipTests)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
for r in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    echo "compare_cli_jmh: round $r/$ROUNDS, $t thread(s): CLI" >&2
    l0=$(load)
    "$here/bin/hungarian4j" bench --sizes "$SIZES" --backend all --threads "$t" --iterations "$ITER" \
      --warmup-time "$WARMUP_MS" --json 2>/dev/null >"$work/cli.$r.$t.json"
    echo "cli $r $t $l0 $(load)" >>"$work/loads"
  done
  echo "compare_cli_jmh: round $r/$ROUNDS: JMH" >&2
  l0=$(load)
  # shellcheck disable=SC2086 # JMH_OPTS is a list of options
  "$java_bin" --enable-native-access=ALL-UNNAMED -Djmh.ignoreLock=true -jar "$jar" 'PipelineBenchmark.total$' \
    -p backend="$BACKENDS" -p size="$SIZES" -p threads="$(echo $THREADS | tr ' ' ,)" -bm sample -tu us \
    $JMH_OPTS -rf json -rff "$work/jmh.$r.json" >"$work/jmh.$r.log" 2>&1 \
    || { tail -30 "$work/jmh.$r.log" >&2; exit 1; }
  echo "jmh $r $(echo $THREADS | tr " " ,) $l0 $(load)" >>"$work/loads"
done

"$PYTHON" - "$work" "$ROUNDS" "$THREADS" <<'EOF'
import json, statistics, sys
work, rounds, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
cli, med, mean, env = {}, {}, {}, ""
for r in range(1, rounds + 1):
    for t in threads:
        res = json.load(open(f"{work}/cli.{r}.{t}.json"))
        for o in (res if isinstance(res, list) else [res]):
            key = (f'{o["batch"]}x{o["queries"]}x{o["classes"]}x{o["targets"]}', int(t), o["backend"])
            cli.setdefault(key, []).append(o["median_us"]["total"])
            env = f'{o["jdk"]}; {o["cpu"]}'
    for j in json.load(open(f"{work}/jmh.{r}.json")):
        p = j["params"]
        key = (p["size"], int(p["threads"]), p["backend"])
        med.setdefault(key, []).append(j["primaryMetric"]["scorePercentiles"]["50.0"])
        mean.setdefault(key, []).append(j["primaryMetric"]["score"])
print(f"total per whole batch, us; median over {rounds} round(s); {env}")
print("load average (1 min) at start / end of each run: " + ", ".join(
    f"{w} r{r} t{t} {a}/{b}" for w, r, t, a, b in (l.split() for l in open(f"{work}/loads"))))
print(f'{"BxQxKxM":>14} {"threads":>7} {"backend":>7} {"CLI median":>11} {"JMH median":>11} {"CLI/JMH":>8} '
      f'{"JMH mean":>10} {"mean/median":>11}')
order = {s: i for i, s in enumerate(dict.fromkeys(k[0] for k in cli))}
for key in sorted(cli, key=lambda k: (order[k[0]], k[1], k[2])):
    if key not in med:
        continue
    c, m, a = (statistics.median(x[key]) for x in (cli, med, mean))
    print(f"{key[0]:>14} {key[1]:>7} {key[2]:>7} {c:11.1f} {m:11.1f} {c / m:8.2f} {a:10.1f} {a / m:11.2f}")
EOF
