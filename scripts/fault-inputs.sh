#!/usr/bin/env bash
# Bad input and bad keys against `idw ingest`. For one small generated month of ae_attendances it
# breaks the extract in each way below, ingests it into a fresh warehouse, and checks that idw
# either loads it with bad rows quarantined (rows in = loaded + quarantined, counted from the
# tables) or refuses with a one-line error (exit 2) writing nothing; never a stack trace.
#   truncated, wrong delimiter, missing column, extra column, wrong types, non-UTF-8 bytes,
#   enormous field, empty file, header only
# Then the key set: missing, wrong key-encryption key, corrupted keystore: each must refuse.
#
#   scripts/fault-inputs.sh [--work DIR]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IDW="$ROOT/idw"
WORK=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) WORK="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fault-inputs: unknown option $1" >&2; exit 2 ;;
  esac
done
WORK="${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/idw-faults.XXXXXX")}"; mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
export IDW_HEAP="${IDW_HEAP:-2g}"
unset IDW_KEK
SRC=ae_attendances; MONTH=2021-04
"$IDW" ingest --help >/dev/null 2>&1 || { echo "fault-inputs: this build has no 'idw ingest'" >&2; exit 2; }

if [[ ! -d "$WORK/sample/raw" ]]; then
  "$IDW" generate --people 300 --months 1 --start "$MONTH" --seed 7 --out "$WORK/sample" >"$WORK/generate.log" 2>&1 \
    || { echo "fault-inputs: generate failed, see $WORK/generate.log" >&2; exit 1; }
fi
mkdir -p "$WORK/keys"
[[ -f "$WORK/keys/kek" ]] || head -c 32 /dev/urandom | base64 > "$WORK/keys/kek"
KEYS=(--keyset "$WORK/keys/idw-keyset.json" --kek-file "$WORK/keys/kek")
[[ -f "$WORK/keys/idw-keyset.json" ]] || "$IDW" keys create --test "${KEYS[@]}" >"$WORK/keys.log" 2>&1 \
  || { echo "fault-inputs: keys create failed, see $WORK/keys.log" >&2; exit 1; }
ORIG="$(ls "$WORK/sample/raw/$SRC/$MONTH/"*.csv | head -1)"

FAILED=0
printf '%-18s %-5s %-8s %-8s %-11s %-7s %s\n' case exit rows_in loaded quarantined verdict message

data_rows() { # lines after the header, counting a last line without a newline
  local f="$1" n
  [[ -s "$f" ]] || { echo 0; return; }
  n=$(($(wc -l < "$f") - 1))
  [[ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" != '\n' ]] && n=$((n + 1))
  ((n < 0)) && n=0
  echo "$n"
}
table_rows() { # table_rows WH zone.name
  "$IDW" warehouse fingerprint --warehouse "$1" --exclude-column '*' --json "$1.rows.json" >/dev/null 2>&1 || { echo 0; return; }
  grep -oE "\"table\" : \"$2\"|\"rows\" : [0-9]+" "$1.rows.json" | grep -A1 "\"$2\"" | grep -oE '[0-9]+$' || echo 0
}

# run_case NAME EXPECT(load|refuse|either) MAKER : MAKER writes the broken file to $1 from $ORIG
run_case() {
  local name="$1" expect="$2" maker="$3"
  local case_dir="$WORK/case-$name" wh="$WORK/wh-$name"
  rm -rf "$case_dir" "$wh" "$wh.rows.json"; mkdir -p "$case_dir"
  cp -r "$WORK/sample/specs" "$case_dir/"; [[ -d "$WORK/sample/reference" ]] && cp -r "$WORK/sample/reference" "$case_dir/"
  local target="$case_dir/raw/$SRC/$MONTH/$(basename "$ORIG")"
  mkdir -p "$(dirname "$target")"
  "$maker" "$target"
  local rows_in; rows_in=$(data_rows "$target")
  "$IDW" warehouse init --warehouse "$wh" >/dev/null 2>&1
  "$IDW" ingest --input "$case_dir" --source "$SRC" --month "$MONTH" --warehouse "$wh" "${KEYS[@]}" >"$WORK/$name.log" 2>&1
  local rc=$? verdict=ok msg loaded=- quarantined=-
  msg="$(grep -m1 '^idw: ' "$WORK/$name.log" | cut -c1-150)"
  if grep -qE $'\tat |Exception in thread' "$WORK/$name.log"; then verdict="FAIL(trace)"; fi
  if [[ $rc == 0 ]]; then
    loaded=$(table_rows "$wh" "pseudonymised.$SRC"); quarantined=$(table_rows "$wh" "quarantine.$SRC")
    [[ $((loaded + quarantined)) == "$rows_in" ]] || verdict="FAIL(rows in != loaded + quarantined)"
    [[ $expect == refuse ]] && verdict="FAIL(expected a refusal)"
    msg="${msg:-$(grep -m1 -iE 'quarantin' "$WORK/$name.log" | cut -c1-150)}"
  elif [[ $rc == 2 ]]; then
    [[ -n "$msg" ]] || verdict="FAIL(no one-line idw: message)"
    [[ -d "$wh/pseudonymised/$SRC/_delta_log" ]] && verdict="FAIL(refused but wrote pseudonymised.$SRC)"
    [[ $expect == load ]] && verdict="FAIL(expected a load)"
  else
    verdict="FAIL(exit $rc)"
  fi
  [[ $verdict == ok ]] || FAILED=1
  printf '%-18s %-5s %-8s %-8s %-11s %-7s %s\n' "$name" "$rc" "$rows_in" "$loaded" "$quarantined" "$verdict" "$msg"
}

mk_control()   { cp "$ORIG" "$1"; }
mk_truncated() { head -c $(( $(wc -c < "$ORIG") * 2 / 3 )) "$ORIG" > "$1"; }
mk_delimiter() { tr ',' ';' < "$ORIG" > "$1"; }
mk_missing()   { cut -d, -f1-3,5- "$ORIG" > "$1"; }                  # drops the 4th column
mk_extra()     { awk -F, -v OFS=, 'NR==1{print $0,"extra_col"; next}{print $0,"x"NR}' "$ORIG" > "$1"; }
mk_types()     { awk -F, -v OFS=, 'NR>1 && NR%5==0{ $NF="not-a-number" } NR>1 && NR%7==0{ for(i=1;i<=NF;i++) if ($i ~ /^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) { $i="31/31/2021"; break } } {print}' "$ORIG" > "$1"; }
mk_utf8()      { awk 'NR>1 && NR%4==0{ printf "%s", substr($0,1,length($0)-2); printf "\xff\xfe"; print substr($0,length($0)-1); next }{print}' "$ORIG" > "$1"; }
mk_enormous()  { # a 20 MB value in the third column from the end of the second data row
  local f; IFS=, read -ra f <<< "$(sed -n 3p "$ORIG")"
  f[$((${#f[@]} - 3))]="$(head -c 20000000 /dev/zero | tr '\0' x)"
  { head -2 "$ORIG"; (IFS=,; echo "${f[*]}"); tail -n +4 "$ORIG"; } > "$1"; }
mk_empty()     { : > "$1"; }
mk_header()    { head -1 "$ORIG" > "$1"; }

run_case control          load   mk_control
run_case truncated        either mk_truncated
run_case wrong_delimiter  either mk_delimiter
run_case missing_column   either mk_missing
run_case extra_column     either mk_extra
run_case wrong_types      either mk_types
run_case non_utf8         either mk_utf8
run_case enormous_field   either mk_enormous
run_case empty_file       either mk_empty
run_case header_only      either mk_header

# Keys: each must refuse (exit 2, one line, nothing written).
key_case() {
  local name="$1"; shift
  local wh="$WORK/wh-$name"; rm -rf "$wh"; "$IDW" warehouse init --warehouse "$wh" >/dev/null 2>&1
  "$IDW" ingest --input "$WORK/sample" --source "$SRC" --month "$MONTH" --warehouse "$wh" "$@" >"$WORK/$name.log" 2>&1
  local rc=$? verdict=ok msg
  msg="$(grep -m1 '^idw: ' "$WORK/$name.log" | cut -c1-150)"
  [[ $rc == 2 && -n "$msg" ]] || verdict="FAIL(exit $rc)"
  grep -qE $'\tat |Exception in thread' "$WORK/$name.log" && verdict="FAIL(trace)"
  [[ -d "$wh/pseudonymised/$SRC/_delta_log" ]] && verdict="FAIL(wrote pseudonymised.$SRC)"
  grep -qF "$(cat "$WORK/keys/kek")" "$WORK/$name.log" && verdict="FAIL(key material in output)"
  [[ $verdict == ok ]] || FAILED=1
  printf '%-18s %-5s %-8s %-8s %-11s %-7s %s\n' "$name" "$rc" - - - "$verdict" "$msg"
}
key_case missing_keyset --keyset "$WORK/keys/none.json" --kek-file "$WORK/keys/kek"
head -c 32 /dev/urandom | base64 > "$WORK/keys/wrong-kek"
key_case wrong_kek --keyset "$WORK/keys/idw-keyset.json" --kek-file "$WORK/keys/wrong-kek"
cp "$WORK/keys/idw-keyset.json" "$WORK/keys/corrupt.json"
# flip characters in the middle of the encrypted key material
len=$(wc -c < "$WORK/keys/corrupt.json")
printf 'AAAAAAAA' | dd of="$WORK/keys/corrupt.json" bs=1 seek=$((len / 2)) conv=notrunc 2>/dev/null
key_case corrupt_keystore --keyset "$WORK/keys/corrupt.json" --kek-file "$WORK/keys/kek"
key_case no_kek --keyset "$WORK/keys/idw-keyset.json"

echo "fault-inputs: logs in $WORK"
[[ $FAILED == 0 ]] && echo "fault-inputs: all cases handled" || { echo "fault-inputs: FAILURES above"; exit 1; }
