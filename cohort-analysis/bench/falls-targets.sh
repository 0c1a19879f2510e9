#!/usr/bin/env bash
# The falls-service ITS targets on generated sample data:
#   cohort-analysis/bench/falls-targets.sh [people] [months]
# generates two samples (no planted falls effect; the default planted level −20% and slope −1%/month),
# builds the two series with the KID FallsSeries steps and fits the controlled ITS, printing the
# estimates against truth/effects.json. Needs ./idw to have built once (it builds on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEOPLE="${1:-100000}"; MONTHS="${2:-48}"
OUT="${IDW_BENCH_DIR:-$(mktemp -d)}"
"$ROOT/idw" generate --people "$PEOPLE" --months "$MONTHS" --start 2019-04 --seed 7 --falls-level 0 --falls-slope 0 --out "$OUT/no_effect"
"$ROOT/idw" generate --people "$PEOPLE" --months "$MONTHS" --start 2019-04 --seed 7 --out "$OUT/planted"
CP="$ROOT/cli/target/classes"
for m in core sample-data pseudonymise governance linkage cohort-analysis; do CP="$CP:$ROOT/$m/target/classes"; done
CP="$CP:$(cat "$ROOT/cli/target/idw.classpath")"
java -Xmx3g --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  -cp "$CP" "$ROOT/cohort-analysis/bench/FallsItsTargets.java" "$OUT/no_effect" "$OUT/planted"
