#!/usr/bin/env bash
# The home-safety-visit targets through the real pipeline (generate -> ingest -> link -> governed
# session -> KidCohortBuilder -> matched-cohort evaluation), once with no planted effect and once
# with -15% (see HsvTargets.java). A heavy run: use the shared lock.
#   flock /work/helpers/heavy.lock cohort-analysis/bench/hsv-targets.sh [people] [months] [effect]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/idw" --version >/dev/null
CP="$ROOT/cli/target/classes"
for m in core sample-data pseudonymise governance linkage cohort-analysis; do CP="$CP:$ROOT/$m/target/classes"; done
CP="$CP:$(cat "$ROOT/cli/target/idw.classpath")"
OUT="$ROOT/cohort-analysis/target/bench"
mkdir -p "$OUT"
javac -d "$OUT" -cp "$CP" "$ROOT/cohort-analysis/bench/HsvTargets.java"
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
  -cp "$OUT:$CP" HsvTargets "$@" 2>&1 | grep -v "WARN\|^\s*at \|^$" || true
