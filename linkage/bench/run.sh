#!/usr/bin/env bash
# Linkage benchmarks. Needs ./idw to have built once (it builds on first use).
#   linkage/bench/run.sh scale [N]   probabilistic linkage of N (default 1,000,000) encoded records:
#                                    seconds per stage, comparisons per blocking rule, P/R/F1 vs planted truth
#   linkage/bench/run.sh kid [PEOPLE] [MONTHS]  the KID linkage job on seeded sample data (default 5,000 people,
#                                    36 months): seconds per phase, fire-visit precision/recall vs the truth
#   linkage/bench/run.sh accuracy    FEBRL dataset 3 and Splink fake_1000 through './idw link' (encoded fields only)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$ROOT/../shared/data"
OUT="${IDW_BENCH_DIR:-$ROOT/linkage/target/bench}"
mkdir -p "$OUT"
case "${1:-scale}" in
  accuracy)
    "$ROOT/idw" link --settings "$ROOT/linkage/settings/febrl.yaml" --input "$DATA/febrl/febrl_dataset3.csv" --out "$OUT/febrl3"
    "$ROOT/idw" link --settings "$ROOT/linkage/settings/fake_1000.yaml" --input "$DATA/splink/fake_1000.csv" --out "$OUT/fake_1000"
    ;;
  scale|kid)
    "$ROOT/idw" --version >/dev/null
    CP="$ROOT/cli/target/classes"
    for m in core sample-data pseudonymise governance linkage cohort-analysis; do CP="$CP:$ROOT/$m/target/classes"; done
    CP="$CP:$(cat "$ROOT/cli/target/idw.classpath")"
    # compiled (not the source launcher), so Spark can load any closure classes
    CLS="$ROOT/linkage/target/bench-classes"
    mkdir -p "$CLS"
    javac -d "$CLS" -cp "$CP" "$ROOT/linkage/bench/LinkageBench.java" "$ROOT/linkage/bench/KidLinkageBench.java"
    if [[ "$1" == scale ]]; then ARGS=(LinkageBench "${2:-1000000}" "$OUT"); else ARGS=(KidLinkageBench "${2:-5000}" "${3:-36}" "$OUT"); fi
    echo "load before: $(uptime)"
    java -Xmx${IDW_BENCH_HEAP:-6g} -XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
      --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
      --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
      --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
      -cp "$CP:$CLS" "${ARGS[@]}"
    echo "load after: $(uptime)"
    ;;
  *) echo "usage: $0 scale [N] | kid [PEOPLE] [MONTHS] | accuracy" >&2; exit 2 ;;
esac
