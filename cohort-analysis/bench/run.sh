#!/usr/bin/env bash
# Matched-cohort benchmark: 10,000 treated vs a 1,500,000 pool in exact strata (see
# MatchedCohortBench.java). Usage: cohort-analysis/bench/run.sh [pool] [treated]
# Builds idw through the ./idw launcher (which writes the classpath), compiles the bench class and
# runs it with IDW_HEAP (default 6g) and -Didw.matched.timing=true (per-phase seconds on stderr).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/idw" --version >/dev/null
CP="$ROOT/cli/target/classes"
for m in core sample-data pseudonymise governance linkage cohort-analysis; do CP="$CP:$ROOT/$m/target/classes"; done
CP="$CP:$(cat "$ROOT/cli/target/idw.classpath")"
OUT="$ROOT/cohort-analysis/target/bench"
mkdir -p "$OUT"
javac -d "$OUT" -cp "$CP" "$ROOT/cohort-analysis/bench/MatchedCohortBench.java"
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
  -Didw.matched.timing=true -cp "$OUT:$CP" MatchedCohortBench "$@" 2>&1 | grep -v WARN || true
