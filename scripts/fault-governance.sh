#!/usr/bin/env bash
# Corrupted or edited governance files:
#   policy (agreement): truncated, unknown key, binary garbage → `idw policy validate` refuses
#     (exit 2); edited but still valid → valid under a new sha256, and once the original is approved
#     in a warehouse (`idw policy approve`) the edited file is reported NOT approved there (a governed
#     session under it is refused and audited: AgreementApprovalsTest covers the session itself).
#   audit log: an edited, a deleted and a reordered record → `idw audit verify` and
#     `idw warehouse status` report CHAIN BROKEN (exit 1), and `idw policy approvals` refuses
#     (exit 2): approvals in a tampered log are not trusted.
#
#   scripts/fault-governance.sh [--work DIR]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IDW="$ROOT/idw"
WORK=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fault-governance: unknown option $1" >&2; exit 2 ;;
  esac
done
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/idw-gov.XXXXXX")}"; mkdir -p "$WORK"
export IDW_HEAP="${IDW_HEAP:-1g}"
POLICY="$ROOT/governance/src/test/resources/agreements/test-agreement.yaml"
FAILED=0
row() { printf '%-26s %-5s %-8s %s\n' "$@"; }
judge() { # judge NAME EXPECTED_EXIT LOG
  local rc=$2 want=$3 log=$4 verdict=ok
  [[ $rc == "$want" ]] || verdict="FAIL"
  grep -qE $'\tat |Exception in thread' "$log" && verdict="FAIL(trace)"
  [[ $verdict == ok ]] || FAILED=1
  row "$1" "$rc" "$verdict" "$(grep -v '^idw: building' "$log" | grep -m1 -E 'error|BROKEN|valid agreement|approved|^idw: ' | cut -c1-140)"
}
row case exit verdict message

"$IDW" policy validate --at 2026-01-01 "$POLICY" >"$WORK/valid.log" 2>&1; judge policy_valid $? 0 "$WORK/valid.log"
head -c $(( $(wc -c < "$POLICY") / 2 )) "$POLICY" > "$WORK/truncated.yaml"
"$IDW" policy validate --at 2026-01-01 "$WORK/truncated.yaml" >"$WORK/truncated.log" 2>&1; judge policy_truncated $? 2 "$WORK/truncated.log"
{ cat "$POLICY"; echo "allowEverything: true"; } > "$WORK/unknown-key.yaml"
"$IDW" policy validate --at 2026-01-01 "$WORK/unknown-key.yaml" >"$WORK/unknown.log" 2>&1; judge policy_unknown_key $? 2 "$WORK/unknown.log"
head -c 4000 /dev/urandom > "$WORK/garbage.yaml"
"$IDW" policy validate --at 2026-01-01 "$WORK/garbage.yaml" >"$WORK/garbage.log" 2>&1; judge policy_garbage $? 2 "$WORK/garbage.log"
sed 's/Evaluate whether the community falls service/Evaluate whether ANY service/' "$POLICY" > "$WORK/edited.yaml"
"$IDW" policy validate --at 2026-01-01 "$WORK/edited.yaml" >"$WORK/edited.log" 2>&1; judge policy_edited_valid $? 0 "$WORK/edited.log"
h1=$(grep -o 'sha256 [0-9a-f]*' "$WORK/valid.log"); h2=$(grep -o 'sha256 [0-9a-f]*' "$WORK/edited.log")
if [[ -n "$h1" && "$h1" != "$h2" ]]; then echo "  edited policy: ${h1#sha256 } -> ${h2#sha256 } (new hash recorded with every read)"; else echo "  FAIL edited policy keeps its hash"; FAILED=1; fi

WH="$WORK/wh"; rm -rf "$WH"
"$IDW" warehouse init --warehouse "$WH" >/dev/null 2>&1
"$IDW" warehouse init --warehouse "$WH" >/dev/null 2>&1   # a second record
"$IDW" warehouse init --warehouse "$WH" >/dev/null 2>&1   # a third
"$IDW" policy approve --at 2026-01-01 --warehouse "$WH" --by fault-script "$POLICY" >"$WORK/approve.log" 2>&1; judge policy_approve $? 0 "$WORK/approve.log"
"$IDW" policy validate --at 2026-01-01 --warehouse "$WH" "$WORK/edited.yaml" >"$WORK/edited-wh.log" 2>&1
judge edited_vs_approved $? 0 "$WORK/edited-wh.log"
if grep -q '^NOT approved in .*edited after approval' "$WORK/edited-wh.log"; then echo "  edited policy: reported NOT approved in the warehouse"; else echo "  FAIL edited policy not reported as unapproved"; FAILED=1; fi
LOG="$WH/audit/audit-log.jsonl"; cp "$LOG" "$WORK/audit.orig"
"$IDW" audit verify --warehouse "$WH" >"$WORK/a0.log" 2>&1; judge audit_intact $? 0 "$WORK/a0.log"
sed '2s/warehouse.init/warehouse.INIT/' "$WORK/audit.orig" > "$LOG"
"$IDW" audit verify --warehouse "$WH" >"$WORK/a1.log" 2>&1; judge audit_edited $? 1 "$WORK/a1.log"
"$IDW" warehouse status --warehouse "$WH" >"$WORK/a1s.log" 2>&1; judge status_on_edited $? 1 "$WORK/a1s.log"
sed '2d' "$WORK/audit.orig" > "$LOG"
"$IDW" policy approvals --warehouse "$WH" >"$WORK/a1p.log" 2>&1; judge approvals_on_edited $? 2 "$WORK/a1p.log"
"$IDW" audit verify --warehouse "$WH" >"$WORK/a2.log" 2>&1; judge audit_deleted $? 1 "$WORK/a2.log"
{ sed -n 2p "$WORK/audit.orig"; sed -n 1p "$WORK/audit.orig"; sed -n '3,$p' "$WORK/audit.orig"; } > "$LOG"
"$IDW" audit verify --warehouse "$WH" >"$WORK/a3.log" 2>&1; judge audit_reordered $? 1 "$WORK/a3.log"
cp "$WORK/audit.orig" "$LOG"
echo "fault-governance: logs in $WORK"
[[ $FAILED == 0 ]] && echo "fault-governance: all cases handled" || { echo "fault-governance: FAILURES above"; exit 1; }
