#!/usr/bin/env bash
# Runs `idw demo` twice on the same seed, once in embedded local[2] Spark and once submitted to a
# real standalone cluster of 2 workers (scripts/spark-cluster.sh), then checks the results are the
# same: the generated extracts byte for byte, and every warehouse table's rows and content
# content row by row (idw warehouse fingerprint --compare-warehouse), leaving out only columns that
# legitimately differ per run (run ids and load times) and the audit zone's run records. Strings,
# integers, pseudonyms and person ids must be identical; doubles (sums and fits whose last bits
# follow Spark's partitioning) agree within a relative 1e-9; the JSON run summaries (result_json,
# training_json) are compared parsed, numbers within 1e-9, their time and wall-second keys left out.
# --compare-only re-runs only the comparison on the warehouses of an earlier --run-dir.
#
#   scripts/cluster-vs-local.sh [--people N] [--workers N] [--run-dir DIR] [--compare-only]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEOPLE=1000; WORKERS=2; RUN=""; COMPARE_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --people) PEOPLE="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --run-dir) RUN="$2"; shift 2 ;;
    --compare-only) COMPARE_ONLY=1; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster-vs-local: unknown option $1" >&2; exit 2 ;;
  esac
done
RUN="${RUN:-$(mktemp -d "${TMPDIR:-/tmp}/idw-cvl.XXXXXX")}"; mkdir -p "$RUN"; RUN="$(cd "$RUN" && pwd)"
# Columns and tables that differ between any two runs by design.
VOLATILE=(--exclude-column '*_run' --exclude-column '*_run_id' --exclude-column 'run_id'
  --exclude-column '*_at' --exclude-column '*_time' --exclude-column '*_seconds' --exclude-table 'audit.*')
# JSON run summaries: compared parsed, with times left out and numbers within the tolerance
JSON_COLUMNS=(--json-column result_json --json-column training_json)
export IDW_HEAP="${IDW_HEAP:-3g}"

if [[ $COMPARE_ONLY == 0 ]]; then
t0=$SECONDS
"$ROOT/idw" demo --people "$PEOPLE" --master local[2] --warehouse "$RUN/local" >"$RUN/local.log" 2>&1 \
  || { echo "cluster-vs-local: the local demo failed; see $RUN/local.log" >&2; exit 1; }
local_s=$((SECONDS - t0)); t0=$SECONDS
# Both runs pseudonymise under the same key set, as two runs of one warehouse would: the demo reuses
# a key set it finds in its work folder (a fresh key set would change every pseudonym and person id).
mkdir -p "$RUN/cluster-work" && cp -r "$RUN/local-work/keys" "$RUN/cluster-work/keys"
"$ROOT/scripts/spark-cluster.sh" --workers "$WORKERS" --run-dir "$RUN/cluster-run" -- \
  demo --people "$PEOPLE" --warehouse "$RUN/cluster" >"$RUN/cluster.log" 2>&1 \
  || { echo "cluster-vs-local: the cluster demo failed; see $RUN/cluster.log" >&2; exit 1; }
cluster_s=$((SECONDS - t0))
echo "cluster-vs-local: demo --people $PEOPLE: local[2] ${local_s} s, cluster of $WORKERS workers ${cluster_s} s (incl. cluster start)"
fi

rc=0
# Work files: byte-identical, or (JSON results) equal up to the last bits of floating-point sums
# whose order depends on partitioning, leaving out creation times; demo-timings.json is wall time.
if python3 "$ROOT/scripts/compare-work.py" "$RUN/local-work" "$RUN/cluster-work" > "$RUN/work-compare.log"; then
  echo "  PASS the demo's work files are the same: $(tail -1 "$RUN/work-compare.log")"
else
  echo "  FAIL work files differ:"; head -30 "$RUN/work-compare.log" | sed 's/^/    /'; rc=1
fi
"$ROOT/idw" warehouse fingerprint --warehouse "$RUN/cluster" "${VOLATILE[@]}" "${JSON_COLUMNS[@]}" \
  --compare-warehouse "$RUN/local" >"$RUN/compare.log" 2>&1
if grep -q '^same content' "$RUN/compare.log"; then
  echo "  PASS every warehouse table has the same content: $(grep '^same content' "$RUN/compare.log" | sed 's/.*(\(.*\))/\1/')"
else
  echo "  FAIL warehouse tables differ:"; sed 's/^/    /' "$RUN/compare.log"; rc=1
fi
grep ' version ' "$RUN/compare.log" | sed 's/^/    /'
echo "cluster-vs-local: files in $RUN"
exit $rc
