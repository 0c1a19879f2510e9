#!/usr/bin/env bash
# Compiles one bench class (cohort-analysis/bench/<Class>.java) against idw's build and runs it
# with the JVM options Spark needs, IDW_HEAP (default 6g), printing wall time and peak RSS.
# Used by run.sh and hsv-targets.sh:  bench-java.sh CLASS [JVM -D options...] -- [args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLASS="$1"; shift
PROPS=()
while [[ $# -gt 0 && "$1" != "--" ]]; do PROPS+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
"$ROOT/idw" --version >/dev/null
CP="$ROOT/cli/target/classes"
for m in core sample-data pseudonymise governance linkage cohort-analysis; do CP="$CP:$ROOT/$m/target/classes"; done
CP="$CP:$(cat "$ROOT/cli/target/idw.classpath")"
OUT="$ROOT/cohort-analysis/target/bench"
mkdir -p "$OUT"
javac -d "$OUT" -cp "$CP" "$ROOT/cohort-analysis/bench/$CLASS.java"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
/usr/bin/time -f "process: wall %e s, peak RSS %M KB" java "-Xmx${IDW_HEAP:-6g}" -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  "${PROPS[@]}" -cp "$OUT:$CP" "$CLASS" "$@" 2>&1 | grep -v "WARN\|^\s*at \|^$" || true
