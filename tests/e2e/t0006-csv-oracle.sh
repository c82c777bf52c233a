#!/usr/bin/env bash
# t0006-csv-oracle: Python's csv module as the oracle for `vigil host import`.
# csv-oracle.py writes 2,000 random host rows with awkward but valid values
# (quotes, delimiters inside cells, Vietnamese text, spaces around values,
# CRLF line ends, IPv6 spellings, the same host again spelt differently),
# vigil imports them, and what `vigil host list --json` holds must agree
# exactly with what csv.reader reads back after the documented normalisation.
# The seed is fixed (VG_ORACLE_SEED to try others).
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

ORACLE="$VG_SRC/tests/e2e/csv-oracle.py"
SEED=${VG_ORACLE_SEED:-vigil-csv-oracle-1}
ROWS=2000

# oracle_round NAME [gen options]: generate NAME.csv, import it into a fresh
# store, and compare the host list with the oracle's reading.
oracle_round() {
    local name=$1 delim=,
    shift
    [ "${1:-}" = --delimiter ] && delim=$2
    rm -f "$VIGIL_DB" "$VIGIL_DB-wal" "$VIGIL_DB-shm" &&
    vigil -q init &&
    python3 "$ORACLE" gen "$name.csv" --rows "$ROWS" --seed "$SEED-$name" "$@" >/dev/null &&
    read -r nrec nhosts < <(python3 "$ORACLE" check "$name.csv" --count --delimiter "$delim") &&
    check_eq "$ROWS" "$nrec" "records in $name.csv" &&
    run_expect 0 vigil host import "$name.csv" &&
    check_grep "$ROWS host records .*: $nhosts added, 0 updated, 0 unchanged, 0 skipped" out &&
    vigil host list --json >"$name.json" &&
    python3 "$ORACLE" check "$name.csv" "$name.json" --delimiter "$delim"
}

test_expect_success 'comma-separated, CRLF: vigil agrees with csv.reader on every host' '
    oracle_round plain
'
test_expect_success 're-importing the same sheet changes nothing (every host unchanged)' '
    run_expect 0 vigil host import plain.csv --json &&
    check_json out "d[\"added\"] == 0 and d[\"updated\"] == 0 and d[\"unchanged\"] == $(json_get plain.json "len(d)")" &&
    vigil host list --json >again.json &&
    python3 "$ORACLE" check plain.csv again.json
'
test_expect_success 'semicolon-separated: vigil agrees with csv.reader' '
    oracle_round semicolon --delimiter ";"
'
test_expect_success 'tab-separated: vigil agrees with csv.reader' '
    oracle_round tab --delimiter tab
'
test_expect_success 'line breaks inside quoted notes: vigil agrees with csv.reader' '
    oracle_round newlines --newlines
'

test_done
