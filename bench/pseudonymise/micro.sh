#!/usr/bin/env bash
# Benchmark (not a test): plain-Java, single-thread ns/row of Spark's sha2 per-row work, idw's
# HMAC path, and one bare SHA-256 compression (see HmacMicroBench.java). Run it under
# flock /work/helpers/heavy.lock on a shared machine.
#   bench/pseudonymise/micro.sh [rows-per-pass] [passes] [extra JVM options...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/idw" --version >/dev/null   # builds idw if needed
CP="$ROOT/pseudonymise/target/classes:$ROOT/core/target/classes:$(cat "$ROOT/cli/target/idw.classpath")"
CLASSES="$(mktemp -d)"
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "$CP" "$ROOT/bench/pseudonymise/HmacMicroBench.java"
ROWS="${1:-1000000}"; PASSES="${2:-15}"; shift $(( $# < 2 ? $# : 2 ))
java -Xmx1g "$@" -cp "$CLASSES:$CP" HmacMicroBench "$ROWS" "$PASSES"
