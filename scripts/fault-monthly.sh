#!/usr/bin/env bash
# Monthly-operation faults on a small generated sample (default 1000 people, 3 months):
#   1. kill -9 of ingest mid-write (scripts/fault-kill9.sh): the table stays at its previous
#      version, a re-run completes, the result equals an uninterrupted run, no duplicates;
#   2. the same month delivered twice: a second ingest changes no table's content;
#   3. two sources ingested concurrently into one warehouse: both succeed, the audit chain stays
#      intact, and the tables equal those of a sequential ingest;
#   4. kill -9 of link at its last write (record_links, after the linked activity tables, the
#      spine and the run row have committed), when this build has `idw link --warehouse`;
#   5. kill -9 of link earlier (while it writes linked.ae_attendances): the re-run must still
#      converge to the uninterrupted result.
#
#   scripts/fault-monthly.sh [--people N] [--work DIR] [--cases 1,2,3,4,5]
#   (case 2 runs on case 1's warehouse and case 5 on case 4's, so 2 brings 1 and 5 brings 4)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IDW="$ROOT/idw"
PEOPLE=1000; WORK=""; CASES="1,2,3,4,5"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --people) PEOPLE="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --cases) CASES="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fault-monthly: unknown option $1" >&2; exit 2 ;;
  esac
done
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/idw-monthly.XXXXXX")}"; mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
export IDW_HEAP="${IDW_HEAP:-2g}"
unset IDW_KEK
"$IDW" ingest --help >/dev/null 2>&1 || { echo "fault-monthly: this build has no 'idw ingest'" >&2; exit 2; }
# Columns that legitimately differ between two runs of the same job: run ids, times, and
# linked.linkage_runs.result_json (the run's summary, which holds its per-phase wall seconds; the
# counts it summarises are compared through the tables themselves).
VOLATILE=(--exclude-column '*_run' --exclude-column '*_run_id' --exclude-column 'run_id'
  --exclude-column '*_at' --exclude-column '*_time' --exclude-column '*_seconds' --exclude-column 'result_json'
  --exclude-table 'audit.*')
FAILED=0
want() { [[ ",$CASES," == *",$1,"* ]]; }
check() { if [[ "$1" == ok ]]; then echo "  PASS $2"; else echo "  FAIL $2"; FAILED=1; fi; }

D="$WORK/sample"
[[ -d "$D/raw" ]] || "$IDW" generate --people "$PEOPLE" --months 3 --start 2021-04 --seed 11 --out "$D" >"$WORK/generate.log" 2>&1 \
  || { echo "fault-monthly: generate failed ($WORK/generate.log)" >&2; exit 1; }
mkdir -p "$WORK/keys"; [[ -f "$WORK/keys/kek" ]] || head -c 32 /dev/urandom | base64 > "$WORK/keys/kek"
KEYS=(--keyset "$WORK/keys/idw-keyset.json" --kek-file "$WORK/keys/kek")
[[ -f "$WORK/keys/idw-keyset.json" ]] || "$IDW" keys create --test "${KEYS[@]}" >"$WORK/keys.log" 2>&1
ingest() { local wh="$1"; shift; "$IDW" ingest --input "$D" --warehouse "$wh" "${KEYS[@]}" "$@"; }

WH="$WORK/wh-kill"; rm -rf "$WH"
"$IDW" warehouse init --warehouse "$WH" >/dev/null
# 1. kill -9 of ingest: month 2 of gp_events (the biggest source) on top of month 1
if want 1 || want 2; then
echo "== kill -9 of ingest"
ingest "$WH" --source gp_events --month 2021-04 >"$WORK/base.log" 2>&1 || { echo "fault-monthly: base ingest failed ($WORK/base.log)" >&2; exit 1; }
"$ROOT/scripts/fault-kill9.sh" --warehouse "$WH" --watch pseudonymised/gp_events "${VOLATILE[@]}" -- \
  ingest --input "$D" --warehouse "$WH" "${KEYS[@]}" --source gp_events --month 2021-05
k=$?; check "$([[ $k == 0 ]] && echo ok)" "kill -9 of ingest (fault-kill9 exit $k)"

fi
# 2. the same month twice
if want 2; then
echo "== the same month delivered twice"
"$IDW" warehouse fingerprint --warehouse "$WH" "${VOLATILE[@]}" --json "$WORK/once.json" >/dev/null 2>&1
ingest "$WH" --source gp_events --month 2021-05 >"$WORK/twice.log" 2>&1
check "$([[ $? == 0 ]] && echo ok)" "a second ingest of gp_events 2021-05 completes"
"$IDW" warehouse fingerprint --warehouse "$WH" "${VOLATILE[@]}" --compare "$WORK/once.json" >"$WORK/twice.cmp" 2>&1
check "$(grep -q '^same content' "$WORK/twice.cmp" && echo ok)" "it changes no table's content"
grep -E 'pseudonymised\.gp_events' "$WORK/twice.cmp" | sed 's/^/    /'

fi
# 3. two sources concurrently
if want 3; then
echo "== two sources ingested concurrently"
C="$WORK/wh-concurrent"; S="$WORK/wh-sequential"; rm -rf "$C" "$S"
"$IDW" warehouse init --warehouse "$C" >/dev/null; "$IDW" warehouse init --warehouse "$S" >/dev/null
t0=$SECONDS
ingest "$C" --source ae_attendances >"$WORK/conc-ae.log" 2>&1 & p1=$!
ingest "$C" --source apc_admissions >"$WORK/conc-apc.log" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
echo "  concurrent: ae_attendances exit $r1, apc_admissions exit $r2, $((SECONDS - t0)) s"
check "$([[ $r1 == 0 && $r2 == 0 ]] && echo ok)" "both concurrent ingests complete"
ingest "$S" --source ae_attendances >"$WORK/seq-ae.log" 2>&1 && ingest "$S" --source apc_admissions >"$WORK/seq-apc.log" 2>&1
"$IDW" warehouse fingerprint --warehouse "$S" "${VOLATILE[@]}" --json "$WORK/seq.json" >/dev/null 2>&1
"$IDW" warehouse fingerprint --warehouse "$C" "${VOLATILE[@]}" --compare "$WORK/seq.json" >"$WORK/conc.cmp" 2>&1
check "$(grep -q '^same content' "$WORK/conc.cmp" && echo ok)" "the tables equal a sequential ingest"
"$IDW" warehouse status --warehouse "$C" >"$WORK/conc-status.log" 2>&1
check "$([[ $? == 0 ]] && grep -q 'chain intact' "$WORK/conc-status.log" && echo ok)" "the audit chain is intact ($(grep -o '[0-9]* records' "$WORK/conc-status.log"))"

fi
# 4. kill -9 of link
if ! want 4 && ! want 5; then
  :
elif "$IDW" link --help 2>/dev/null | grep -q -- '--warehouse'; then
  echo "== kill -9 of link"
  ingest "$WH" --month 2021-04 --month 2021-05 >"$WORK/all.log" 2>&1
  # link writes record_links last, so the tables before it may have committed: --partial-ok
  "$ROOT/scripts/fault-kill9.sh" --warehouse "$WH" --watch linked/record_links --partial-ok "${VOLATILE[@]}" -- \
    link --warehouse "$WH"
  k=$?; check "$([[ $k == 0 ]] && echo ok)" "kill -9 of link (fault-kill9 exit $k)"
  # 5. kill -9 of link earlier, while it writes the linked activity tables (before the spine and
  #    record_links); the re-run must still converge to the uninterrupted run
  echo "== kill -9 of link while it writes linked.ae_attendances (before record_links)"
  ingest "$WH" --month 2021-06 >"$WORK/june.log" 2>&1
  "$ROOT/scripts/fault-kill9.sh" --warehouse "$WH" --watch linked/ae_attendances --partial-ok "${VOLATILE[@]}" -- \
    link --warehouse "$WH"
  k=$?; check "$([[ $k == 0 ]] && echo ok)" "late kill -9 of link converges on re-run (fault-kill9 exit $k)"
else
  echo "== kill -9 of link: not run, this build has no 'idw link'"
fi
echo "fault-monthly: files in $WORK"
[[ $FAILED == 0 ]] && echo "fault-monthly: all checks passed" || { echo "fault-monthly: FAILURES above"; exit 1; }
