#!/usr/bin/env bash
# bench/kent-scale: the whole monthly pipeline at Kent scale (default 1.5M people x 36 months) on
# this machine, one stage per idw JVM, measuring per stage the wall time, rows processed, rows/s
# and the JVM's peak resident memory (VmHWM). Writes <out>/kent-scale.json and <out>/kent-scale.md.
# It is a benchmark, never part of `mvn verify`.
#
#   bench/kent-scale/run.sh [--people N] [--months M] [--seed S] [--out DIR] [--heap 16g]
#                           [--no-ratios] [--ratio-args "--rows 1000000 --rounds 3"] [--from STAGE]
#                           [--to STAGE]
#
# --from STAGE resumes a run in an existing --out: the stages before STAGE (generate, ingest_history,
# link_history, refresh_ingest, refresh_link, evaluate_kid, release) are not run again and are listed
# as done earlier, so a 1.5M run can be measured across sessions; their figures are in the earlier
# run's kent-scale.json. --to STAGE stops after STAGE (no ratio benchmarks unless STAGE is release),
# so a long history can be built while the refresh's code is still changing.
#
# Stages: generate; ingest of the history (months 1..M-1, every source); link of the history;
# the monthly refresh (ingest of month M + link + spine update, the 10-minute aim); evaluate
# (`idw evaluate kid`: matched cohort and ITS through a governed session); release. A stage
# whose idw command does not exist in this build is recorded as "not available", never faked. Ratio benchmarks other modules ship under bench/
# (bench/*/ratio.sh: keyed pseudonyms against sha2()), the 1M-record linkage bench and the matching
# bench (10,000 treated against a 1.5M pool) run afterwards in the same run; their figures are included.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEOPLE=1500000; MONTHS=36; SEED=42; OUT=""; HEAP="${IDW_HEAP:-16g}"; START=2021-04; RATIOS_ON=1; RATIO_ARGS=""; FROM=generate; TO=release
ORDER=(generate ingest_history link_history refresh_ingest refresh_link evaluate_kid release)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --people) PEOPLE="$2"; shift 2 ;;
    --months) MONTHS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --no-ratios) RATIOS_ON=0; shift ;;
    --ratio-args) RATIO_ARGS="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    --to) TO="$2"; shift 2 ;;
    -h|--help) sed -n "2,22p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "kent-scale: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ " ${ORDER[*]} " == *" $FROM "* ]] || { echo "kent-scale: --from $FROM is not a stage (one of: ${ORDER[*]})" >&2; exit 2; }
[[ " ${ORDER[*]} " == *" $TO "* ]] || { echo "kent-scale: --to $TO is not a stage (one of: ${ORDER[*]})" >&2; exit 2; }
[[ "$MONTHS" -ge 2 ]] || { echo "kent-scale: --months must be at least 2 (history + one refresh month)" >&2; exit 2; }
OUT="${OUT:-$ROOT/bench/kent-scale/out-$PEOPLE}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
WH="$OUT/warehouse"; DATA="$OUT/sample"; LOGS="$OUT/logs"
mkdir -p "$LOGS"
export IDW_HEAP="$HEAP"
IDW="$ROOT/idw"
month_of() { date -u -d "$START-01 +$1 month" +%Y-%m; }   # month_of 0 = START
LAST_MONTH="$(month_of $((MONTHS - 1)))"
HIST_END="$(month_of $((MONTHS - 2)))"

# has_command WORD...: this build has `idw WORD...` (the root command also answers --help with exit 0
# to an unknown word, so the subcommand's own usage line is looked for)
has_command() { "$IDW" "$@" --help 2>/dev/null | head -1 | grep -q "^Usage: idw $* "; }

# run_measured NAME CMD... : runs one idw JVM, records wall seconds and peak RSS (MiB)
declare -A WALL PEAK RC
run_measured() {
  local name="$1"; shift
  echo "kent-scale: [$name] $*" >&2
  local t0; t0=$(date +%s.%N)
  "$@" >"$LOGS/$name.log" 2>&1 &
  local pid=$! hwm=0 v
  while kill -0 "$pid" 2>/dev/null; do
    # the launcher execs java, so this is the JVM; take its high-water mark and its children's
    for p in $pid $(pgrep -P "$pid" 2>/dev/null); do
      v=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
      [[ -n "$v" && "$v" -gt "$hwm" ]] && hwm=$v
    done
    sleep 0.5
  done
  wait "$pid"; RC[$name]=$?
  WALL[$name]=$(echo "$(date +%s.%N) - $t0" | bc)
  PEAK[$name]=$((hwm / 1024))
  echo "kent-scale: [$name] exit ${RC[$name]}, ${WALL[$name]} s, peak ${PEAK[$name]} MiB" >&2
}

# rows_in ZONE... : total rows of the warehouse tables in these zones (Delta count, not timed)
rows_in() {
  [[ -d "$WH" ]] || { echo 0; return; }
  "$IDW" warehouse fingerprint --warehouse "$WH" --exclude-column '*' --json "$OUT/rows.json" >/dev/null 2>&1 || { echo 0; return; }
  local re; re="$(IFS='|'; echo "$*")"
  grep -oE "\"table\" : \"($re)\.[a-z0-9_]+\"|\"rows\" : [0-9]+" "$OUT/rows.json" \
    | paste - - | awk '{print $NF}' | paste -sd+ | bc 2>/dev/null || echo 0
}

declare -A ROWS NOTE
STAGES=()
stage() { STAGES+=("$1"); NOTE[$1]="${2:-}"; }
# skip NAME: true (and the stage listed as done earlier) when NAME comes before --from, or listed
# as not run when it comes after --to
skip() {
  local s past=0
  for s in "${ORDER[@]}"; do
    [[ "$s" == "$FROM" ]] && break
    [[ "$s" == "$1" ]] && { stage "$1" "done earlier (this run started --from $FROM)"; return 0; }
  done
  for s in "${ORDER[@]}"; do
    [[ $past == 1 && "$s" == "$1" ]] && { stage "$1" "not run (this run stopped --to $TO)"; return 0; }
    [[ "$s" == "$TO" ]] && past=1
  done
  return 1
}
if [[ "$FROM" != generate && ! -d "$WH" ]]; then
  echo "kent-scale: --from $FROM needs the earlier run's warehouse at $WH" >&2; exit 2
fi

# 1. generate
if ! skip generate; then
  stage generate
  run_measured generate "$IDW" generate --people "$PEOPLE" --months "$MONTHS" --start "$START" --seed "$SEED" --out "$DATA"
  ROWS[generate]=$(find "$DATA/raw" -name '*.csv' -exec cat {} + 2>/dev/null | wc -l)
  ROWS[generate]=$((ROWS[generate] - $(find "$DATA/raw" -name '*.csv' | wc -l)))  # less the headers
  "$IDW" warehouse init --warehouse "$WH" >/dev/null 2>&1
fi

# Keys: a test key set under a throwaway key-encryption key, outside the warehouse.
KEYS=(--keyset "$OUT/keys/idw-keyset.json" --kek-file "$OUT/keys/kek")
if has_command keys create && [[ ! -f "$OUT/keys/idw-keyset.json" ]]; then
  mkdir -p "$OUT/keys"; head -c 32 /dev/urandom | base64 > "$OUT/keys/kek"
  "$IDW" keys create --test "${KEYS[@]}" >"$LOGS/keys.log" 2>&1
fi
HIST_MONTHS=(); for i in $(seq 0 $((MONTHS - 2))); do HIST_MONTHS+=(--month "$(month_of "$i")"); done

# 2. ingest of the history, 3. link of the history, 4. the monthly refresh
if skip ingest_history; then :
elif has_command ingest; then
  stage ingest_history
  before=$(rows_in pseudonymised quarantine)
  # one ingest JVM over every source (ingest runs sources in parallel)
  run_measured ingest_history "$IDW" ingest --input "$DATA" --warehouse "$WH" "${KEYS[@]}" "${HIST_MONTHS[@]}"
  ROWS[ingest_history]=$(( $(rows_in pseudonymised quarantine) - before ))
else
  stage ingest_history "not available: no 'idw ingest' in this build"
fi
if skip link_history; then :
elif has_command link; then
  stage link_history
  run_measured link_history "$IDW" link --warehouse "$WH" --month "$HIST_END"
  ROWS[link_history]=$(rows_in linked)
else
  stage link_history "not available: no 'idw link' in this build"
fi
if skip refresh_ingest; then :
elif has_command ingest; then
  stage refresh_ingest
  before=$(rows_in pseudonymised quarantine)
  run_measured refresh_ingest "$IDW" ingest --input "$DATA" --warehouse "$WH" "${KEYS[@]}" --month "$LAST_MONTH"
  ROWS[refresh_ingest]=$(( $(rows_in pseudonymised quarantine) - before ))
fi
if skip refresh_link; then :
elif has_command link; then
  stage refresh_link
  run_measured refresh_link "$IDW" link --warehouse "$WH" --month "$LAST_MONTH"
  ROWS[refresh_link]=${ROWS[refresh_ingest]:-0}
else
  stage refresh_link "not available: no 'idw link' in this build"
fi

# 5. evaluate: the KID evaluations through a governed session under the demo agreement, approved
#    in this warehouse first (as a governance officer would); 6. release
AGREEMENT="$OUT/agreements/kid-falls-evaluation.yaml"
mkdir -p "$OUT/agreements"; cp "$ROOT/governance/src/main/resources/io/idw/governance/demo-agreement.yaml" "$AGREEMENT"
if skip evaluate_kid; then :
elif has_command evaluate kid && has_command policy approve; then
  "$IDW" policy approve "$AGREEMENT" --warehouse "$WH" --by kent-scale-bench >"$LOGS/approve.log" 2>&1
  stage evaluate_kid
  run_measured evaluate_kid "$IDW" evaluate kid --warehouse "$WH" "${KEYS[@]}" --agreement "$AGREEMENT" \
    --user analyst --purpose falls-service-evaluation --reference "$DATA/reference" \
    --opt-out "$DATA/reference/national_opt_out.csv" --out "$OUT/results"
  ROWS[evaluate_kid]=$(rows_in linked)
else
  stage evaluate_kid "not available: no 'idw evaluate kid' in this build"
fi
if skip release; then :
elif has_command release; then
  stage release
  # the agreement was approved in this warehouse before evaluate_kid (also on a --from resume)
  run_measured release "$IDW" release --warehouse "$WH" --agreement "$AGREEMENT" --results "$OUT/results" \
    --by kent-scale-bench --reports "$OUT/reports"
else
  stage release "not available: no 'idw release' in this build (the demo releases through governance.sdc)"
fi

# Ratio benchmarks shipped by other modules
RATIOS=()
[[ "$TO" == release ]] || RATIOS_ON=0
for r in "$ROOT"/bench/*/ratio.sh; do
  [[ -x "$r" ]] || continue
  name="$(basename "$(dirname "$r")")"
  [[ $RATIOS_ON == 1 ]] || continue
  if "$r" --people "$PEOPLE" ${RATIO_ARGS} --out "$OUT/ratio-$name.json" >"$LOGS/ratio-$name.log" 2>&1; then
    RATIOS+=("\"$name\": $(cat "$OUT/ratio-$name.json")")
  else
    RATIOS+=("\"$name\": {\"error\": \"see logs/ratio-$name.log\"}")
  fi
done

# The other issues' benchmarks, in the same run: linkage of 1M encoded records (aim 60 s) and
# matching 10,000 treated against a 1,500,000 pool (aim 60 s). Their logs are parsed for the figures.
if [[ $RATIOS_ON == 1 && -x "$ROOT/linkage/bench/run.sh" ]]; then
  log="$LOGS/bench-linkage-1m.log"
  if IDW_BENCH_DIR="$OUT/bench-linkage" "$ROOT/linkage/bench/run.sh" scale 1000000 >"$log" 2>&1; then
    total=$(grep -oE '= [0-9.]+ total' "$log" | grep -oE '[0-9.]+' | tail -1)
    cpu=$(grep -oE 'linkage CPU seconds.*= [0-9.]+' "$log" | grep -oE '[0-9.]+$' | tail -1)
    comps=$(grep -oE 'comparisons [0-9,]+' "$log" | head -1 | tr -dc 0-9)
    prf=$(grep -oE 'precision [0-9.]+ +recall [0-9.]+ +F1 [0-9.]+' "$log" | tail -1)
    RATIOS+=("\"linkage_1m\": {\"records\": 1000000, \"linkage_s\": ${total:-null}, \"cpu_s\": ${cpu:-null}, \"comparisons\": ${comps:-null}, \"aim_s\": 60, \"quality\": \"${prf}\"}")
  else
    RATIOS+=("\"linkage_1m\": {\"error\": \"see logs/bench-linkage-1m.log\"}")
  fi
fi
if [[ $RATIOS_ON == 1 && -x "$ROOT/cohort-analysis/bench/run.sh" ]]; then
  log="$LOGS/bench-matching-pool.log"
  if "$ROOT/cohort-analysis/bench/run.sh" 1500000 10000 >"$log" 2>&1; then
    wall=$(grep -oE 'process: wall [0-9.]+' "$log" | grep -oE '[0-9.]+$' | tail -1)
    eval1=$(grep -oE 'run 1: evaluation in [0-9.]+' "$log" | grep -oE '[0-9.]+$' | tail -1)
    RATIOS+=("\"matching_1_5m_pool\": {\"pool\": 1500000, \"treated\": 10000, \"process_s\": ${wall:-null}, \"first_evaluation_s\": ${eval1:-null}, \"aim_s\": 60}")
  else
    RATIOS+=("\"matching_1_5m_pool\": {\"error\": \"see logs/bench-matching-pool.log\"}")
  fi
fi

# Results
{
  echo "{"
  echo "  \"people\": $PEOPLE, \"months\": $MONTHS, \"seed\": $SEED, \"heap\": \"$HEAP\","
  echo "  \"machine\": {\"cores\": $(nproc), \"mem_gib\": $(awk '/MemTotal/{printf "%.1f", $2/1048576}' /proc/meminfo), \"load_avg_at_end\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"},"
  echo "  \"idw\": \"$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)\", \"when\": \"$(date -u +%FT%TZ)\","
  echo "  \"stages\": ["
  sep=""
  for s in "${STAGES[@]}"; do
    if [[ -n "${NOTE[$s]}" ]]; then
      printf '%s    {"stage": "%s", "status": "%s"}' "$sep" "$s" "${NOTE[$s]}"
    else
      rows=${ROWS[$s]:-0}; wall=${WALL[$s]}
      rps=$(echo "scale=0; $rows / ($wall + 0.0001)" | bc)
      printf '%s    {"stage": "%s", "exit": %d, "wall_s": %.1f, "rows": %d, "rows_per_s": %d, "peak_rss_mib": %d}' \
        "$sep" "$s" "${RC[$s]}" "$wall" "$rows" "$rps" "${PEAK[$s]}"
    fi
    sep=$',\n'
  done
  echo; echo "  ],"
  echo "  \"ratios\": {$(IFS=,; echo "${RATIOS[*]:-}")}"
  echo "}"
} > "$OUT/kent-scale.json"
{
  echo "# kent-scale: $PEOPLE people x $MONTHS months ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "| stage | exit | wall s | rows | rows/s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  for s in "${STAGES[@]}"; do
    if [[ -n "${NOTE[$s]}" ]]; then echo "| $s | | | | | ${NOTE[$s]} |"; continue; fi
    rows=${ROWS[$s]:-0}
    printf '| %s | %d | %.1f | %d | %d | %d |\n' "$s" "${RC[$s]}" "${WALL[$s]}" "$rows" \
      "$(echo "scale=0; $rows / (${WALL[$s]} + 0.0001)" | bc)" "${PEAK[$s]}"
  done
  if [[ -n "${WALL[refresh_ingest]:-}" && -n "${WALL[refresh_link]:-}" ]]; then
    echo
    echo "Monthly refresh (ingest + link of $LAST_MONTH): $(echo "${WALL[refresh_ingest]} + ${WALL[refresh_link]}" | bc) s (aim: 600 s)."
  fi
} > "$OUT/kent-scale.md"
cat "$OUT/kent-scale.md"
echo "kent-scale: results in $OUT/kent-scale.json and $OUT/kent-scale.md; logs in $LOGS" >&2
for s in "${STAGES[@]}"; do [[ -z "${NOTE[$s]}" && "${RC[$s]}" != 0 ]] && exit 1; done
exit 0
