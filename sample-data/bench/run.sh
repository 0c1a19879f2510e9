#!/usr/bin/env bash
# Benchmark of the synthetic KID generator: wall time, peak memory (RSS of the whole JVM, Spark
# included) and rows written, for N people over M months (default 1,500,000 x 36).
#   sample-data/bench/run.sh [people] [months] [out-dir]
# Uses the ./idw launcher (which builds idw if needed) and embedded local[*] Spark.
# IDW_HEAP sets the heap (default here 3g). The output directory is deleted afterwards unless given.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEOPLE="${1:-1500000}"
MONTHS="${2:-36}"
KEEP=1
OUT="${3:-}"
if [[ -z "$OUT" ]]; then OUT="$(mktemp -d)/sample"; KEEP=0; fi
export IDW_HEAP="${IDW_HEAP:-3g}"
"$ROOT/idw" --version >/dev/null   # build first, outside the measurement
echo "bench: $PEOPLE people x $MONTHS months into $OUT (heap $IDW_HEAP, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
TIMEF="$(mktemp)"
start=$(date +%s.%N)
/usr/bin/time -f "%M %e %U %S" -o "$TIMEF" "$ROOT/idw" generate --people "$PEOPLE" --months "$MONTHS" --seed 1 --out "$OUT"
end=$(date +%s.%N)
read -r rss_kb wall user sys < "$TIMEF"
bytes=$(du -sb "$OUT" | cut -f1)
printf 'bench: wall %.1f s (user %.1f s, sys %.1f s), peak RSS %.0f MiB, output %.2f GiB, load after %s\n' \
  "$wall" "$user" "$sys" "$((rss_kb / 1024))" "$(echo "$bytes / 1073741824" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
rm -f "$TIMEF"
if [[ $KEEP == 0 ]]; then rm -rf "$(dirname "$OUT")"; fi
