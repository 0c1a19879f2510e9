#!/usr/bin/env bash
# Benchmark (not a test): keyed pseudonymisation (idw's HMAC-SHA256, 128-bit) of a 10M-row
# identifier column against Spark's own unkeyed sha2(col, 256), same data, same run, noop sink.
# Prints the ratio time(sha2)/time(keyed); target >= 1.0.
#   bench/pseudonymise/ratio.sh [--rows N] [--rounds R] [--out FILE.json] [--people N (ignored)]
# Uses the ./idw launcher's build and classpath; IDW_HEAP sets the heap (default 3g).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROWS=10000000; ROUNDS=5; OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) ROWS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --people) shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ratio.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
"$ROOT/idw" --version >/dev/null   # builds idw if needed, outside the measurement
CP="$ROOT/cli/target/classes"
for m in core sample-data pseudonymise governance linkage cohort-analysis; do CP="$CP:$ROOT/$m/target/classes"; done
CP="$CP:$(cat "$ROOT/cli/target/idw.classpath")"
# compiled, not run as a single source file: Spark cannot deserialise lambdas from the source launcher's class loader
CLASSES="$(mktemp -d)"
javac -d "$CLASSES" -cp "$CP" "$ROOT/bench/pseudonymise/PseudonymBench.java"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
java "-Xmx${IDW_HEAP:-3g}" -XX:+IgnoreUnrecognizedVMOptions \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$CLASSES:$CP" PseudonymBench "$ROWS" "$ROUNDS" ${OUT:+"$OUT"}
rc=$?; rm -rf "$CLASSES"; exit $rc
