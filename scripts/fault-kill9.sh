#!/usr/bin/env bash
# Crash-safety check: kill -9 an idw job while it writes a Delta table, then show that
#   1. the table stays at its previous version, with its previous content;
#   2. a re-run completes;
#   3. the result equals an uninterrupted run of the same job on a copy of the same warehouse:
#      same rows and checksums per table, no duplicate rows.
#
#   scripts/fault-kill9.sh --warehouse WH --watch ZONE/TABLE [--exclude-column GLOB]...
#                          [--partial-ok] -- IDW_ARGS...
#
# IDW_ARGS is the job, e.g. `ingest --source ae_attendances --month 2021-05 --warehouse WH ...`;
# it must write to WH (the script runs the reference on a copy, replacing WH in the arguments).
# The kill comes as soon as the first new data file appears in the watched table, i.e. before its
# commit. --partial-ok: the job writes several tables and the watched one is not its first, so
# tables written before it may have committed; check 2 is then reported, not failed, and what
# counts is that the re-run converges to the uninterrupted result. Exit 0 when all checks pass, 1 when one fails, 3 when the job committed before the kill
# could land (try a bigger input). Prints one line per check, and the figures.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IDW="$ROOT/idw"
WH=""; WATCH=""; EXCLUDES=(); PARTIAL_OK=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --warehouse) WH="$2"; shift 2 ;;
    --watch) WATCH="$2"; shift 2 ;;
    --exclude-column|--exclude-table) EXCLUDES+=("$1" "$2"); shift 2 ;;
    --partial-ok) PARTIAL_OK=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fault-kill9: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n "$WH" && -n "$WATCH" && $# -gt 0 ]] || { echo "fault-kill9: need --warehouse, --watch and the job (see --help)" >&2; exit 2; }
WH="$(cd "$WH" && pwd)"
TABLE_DIR="$WH/$WATCH"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/idw-kill9.XXXXXX")"
FAILED=0
check() { if [[ "$1" == ok ]]; then echo "  PASS $2"; else echo "  FAIL $2"; FAILED=1; fi; }
latest_version() { ls "$TABLE_DIR/_delta_log" 2>/dev/null | grep -E '^[0-9]{20}\.json$' | sort | tail -1 | sed 's/\.json$//;s/^0*//;s/^$/0/'; }
fingerprint() { "$IDW" warehouse fingerprint --warehouse "$1" "${EXCLUDES[@]}" --json "$2" >"$2.log" 2>&1; }

echo "fault-kill9: job: idw $*"
echo "fault-kill9: watching $WATCH in $WH"
# The reference: the same job, uninterrupted, on a copy of the warehouse as it is now.
REF="$WORK/reference"
cp -a "$WH" "$REF"
ref_args=(); for a in "$@"; do ref_args+=("${a//$WH/$REF}"); done
"$IDW" "${ref_args[@]}" >"$WORK/reference.log" 2>&1 || { echo "fault-kill9: the uninterrupted run failed; see $WORK/reference.log" >&2; exit 1; }
fingerprint "$REF" "$WORK/reference.json" || { echo "fault-kill9: fingerprint failed, see $WORK/reference.json.log" >&2; exit 1; }

before_version="$(latest_version)"; before_version="${before_version:-none}"
fingerprint "$WH" "$WORK/before.json"

# The crash: start the job, kill -9 at its first new data file in the watched table.
marker="$WORK/marker"; touch "$marker"; sleep 1
setsid "$IDW" "$@" >"$WORK/killed.log" 2>&1 < /dev/null &
pid=$!
t0=$SECONDS; killed=0
while kill -0 "$pid" 2>/dev/null; do
  if [[ -d "$TABLE_DIR" ]] && [[ -n "$(find "$TABLE_DIR" -name '*.parquet' -newer "$marker" -print -quit 2>/dev/null)" ]]; then
    kill -KILL -- "-$pid" 2>/dev/null; killed=1; break
  fi
  ((SECONDS - t0 > 1800)) && { kill -KILL -- "-$pid"; echo "fault-kill9: job wrote nothing to $WATCH in 30 min" >&2; exit 1; }
  sleep 0.05
done
wait "$pid" 2>/dev/null
after_version="$(latest_version)"; after_version="${after_version:-none}"
if [[ $killed == 0 || "$after_version" != "$before_version" ]]; then
  echo "fault-kill9: the job committed $WATCH (version $before_version -> $after_version) before the kill landed; use a bigger input" >&2
  exit 3
fi
echo "fault-kill9: killed -9 after $((SECONDS - t0)) s with $(find "$TABLE_DIR" -name '*.parquet' -newer "$marker" | wc -l) uncommitted data file(s) in $WATCH"

fingerprint "$WH" "$WORK/after-kill.json"
"$IDW" warehouse fingerprint --warehouse "$WH" "${EXCLUDES[@]}" --compare "$WORK/before.json" >"$WORK/after-kill.cmp" 2>&1
check "$([[ "$after_version" == "$before_version" ]] && echo ok)" "$WATCH stayed at version $before_version"
if grep -q '^same content' "$WORK/after-kill.cmp"; then
  check ok "every table reads as before the crash"
elif [[ $PARTIAL_OK == 1 ]]; then
  echo "  INFO tables the job wrote before $WATCH committed (expected with --partial-ok):"
  grep -vE '^same content|^[a-z_]+\.[a-z0-9_]+ +version' "$WORK/after-kill.cmp" | sed 's/^/    /' | head -10
else
  check no "every table reads as before the crash"; sed 's/^/    /' "$WORK/after-kill.cmp" | head -10
fi

"$IDW" "$@" >"$WORK/rerun.log" 2>&1
check "$([[ $? == 0 ]] && echo ok)" "the re-run completed (log: $WORK/rerun.log)"
"$IDW" warehouse fingerprint --warehouse "$WH" "${EXCLUDES[@]}" --json "$WORK/after-rerun.json" \
  --compare "$WORK/reference.json" >"$WORK/after-rerun.cmp" 2>&1
check "$(grep -q '^same content' "$WORK/after-rerun.cmp" && echo ok)" "the result equals the uninterrupted run (rows and checksums of every table)"
dups=$(grep -E ' rows [0-9]+ +distinct [0-9]+' "$WORK/after-rerun.cmp" | awk '{ for (i=1;i<=NF;i++) { if ($i=="rows") r=$(i+1); if ($i=="distinct") d=$(i+1) } if (r!=d) print $1 }')
check "$([[ -z "$dups" ]] && echo ok)" "no duplicate rows${dups:+ (duplicates in: $dups)}"
grep -E '^[a-z_]+\.[a-z0-9_]+ ' "$WORK/after-rerun.cmp" | sed 's/^/    /'
[[ $FAILED == 0 ]] || { echo "fault-kill9: FAILED; files in $WORK" >&2; sed 's/^/    /' "$WORK/after-rerun.cmp" >&2; exit 1; }
echo "fault-kill9: all checks passed"
rm -rf "$WORK"
