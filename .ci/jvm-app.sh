#!/usr/bin/env bash
# CI: a user's small application (examples/jvm-app) gets the native backend on JDK 17 and JDK 25, on the class
# path and on the module path, with no warning on stderr and no flag beyond README.md's
# (--enable-native-access=ALL-UNNAMED on the class path, =org.bytedeco.javacpp,dev.hungarian4j on the module
# path; JDK 17 accepts both).
# Run after the Maven build; takes ~15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
lib=$PWD/java/core/target/hungarian4j-$version.jar
javacpp=$(ls ~/.m2/repository/org/bytedeco/javacpp/1.5.14/javacpp-1.5.14.jar)
out=$PWD/build/jvm-app
rm -rf "$out" && mkdir -p "$out/classes"
jdks=(/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64)
"${jdks[0]}/bin/javac" --release 17 -d "$out/classes" --module-path "$lib:$javacpp" \
  $(find examples/jvm-app/src -name '*.java')
# JavaCPP's extraction cache inside this build (CI hygiene only: another build's JVM may use ~/.javacpp)
cache=-Dorg.bytedeco.javacpp.cachedir=$out/javacpp-cache
fail=0
for jdk in "${jdks[@]}"; do
  [[ -x $jdk/bin/java ]] || { echo "jvm-app: $jdk missing" >&2; fail=1; continue; }
  for mode in classpath modulepath; do
    if [[ $mode == classpath ]]; then
      cmd=("$jdk/bin/java" "$cache" --enable-native-access=ALL-UNNAMED -cp "$out/classes:$lib:$javacpp" org.example.App native)
    else
      cmd=("$jdk/bin/java" "$cache" --enable-native-access=org.bytedeco.javacpp,dev.hungarian4j -p "$out/classes:$lib:$javacpp"
           -m h4j.example/org.example.App native)
    fi
    if "${cmd[@]}" >"$out/stdout" 2>"$out/stderr" && [[ ! -s $out/stderr ]]; then
      echo "jvm-app: ok   $(cat "$out/stdout")"
    else
      echo "jvm-app: FAIL $(basename "$jdk") $mode: $(cat "$out/stdout") / stderr: $(cat "$out/stderr")" >&2
      fail=1
    fi
  done
done
exit $fail
