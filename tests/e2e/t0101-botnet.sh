#!/usr/bin/env bash
# t0101-botnet: hosts and units on the current IP feeds become findings, in
# the order to sweep (level from 5 down, then the most recent listing);
# allow-list entries win; private feed entries are not matched; a unit's
# listed NAT address with no host behind it names the hosts to sweep;
# re-runs keep the findings; a newer version without the address drops it
# from the report but keeps its history. Exit 1 when anything is listed.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: two units, hosts with public and private addresses' '
    vigil -q init &&
    printf "%s\n" "unit,hostname,role,system,level,ip" \
        "so-a,web-a,server,Portal A,4,10.1.0.5;45.9.148.3" \
        "so-a,db-a,server,Portal A,4,10.1.0.6" \
        "so-a,pc-a,workstation,,,10.1.0.20" \
        "so-b,web-b,server,Site B,2,91.92.240.7" \
        "so-b,mail-b,server,Mail B,3,91.92.241.9" \
        "so-b,pc-b,workstation,,,192.168.1.10" >hosts.csv &&
    vigil -q host import hosts.csv &&
    vigil -q netblock add 113.160.1.10 --unit so-a &&
    vigil -q netblock add 192.168.1.0/24 --unit so-b
'

test_expect_success 'no feed yet: nothing listed, exit 0' '
    run_expect 0 vigil botnet --json &&
    check_json out "d == []"
'

test_expect_success 'setup: a CERT list and an allow-list' '
    printf "%s\n" "Địa chỉ IP,Thời gian,Loại mã độc" \
        "45.9.148.3,2026-11-20 08:00,Mirai" \
        "91.92.240.0/22,2026-11-19 08:00,Qakbot" \
        "113.160.1.10,2026-11-18 08:00,Emotet" \
        "192.168.1.10,2026-11-18 08:00,Local" >cert.csv &&
    vigil -q feed import cert.csv --source cert-botnet &&
    printf "%s\n" "91.92.241.9" >allow.txt &&
    vigil -q feed import allow.txt --source allow
'

test_expect_success 'botnet: exit 1, the listed hosts and the unit, in sweep order' '
    run_expect 1 vigil botnet --json &&
    check_json out "[(x[\"target\"], x[\"unit\"], x[\"host\"], x[\"address\"]) for x in d] == [(\"host\", \"so-a\", \"web-a\", \"45.9.148.3\"), (\"unit\", \"so-a\", None, \"113.160.1.10\"), (\"host\", \"so-b\", \"web-b\", \"91.92.240.7\")]" &&
    check_json out "[x[\"level\"] for x in d] == [4, 4, 2] and d[0][\"family\"] == \"Mirai\" and d[2][\"indicator\"] == \"91.92.240.0/22\"" &&
    check_json out "d[1][\"sweep\"] == [\"db-a\", \"web-a\", \"pc-a\"] and d[1][\"sweep_total\"] == 3" &&
    check_json out "all(x[\"new\"] for x in d)"
'

test_expect_success 'the allow-list wins; a private feed entry matches nothing' '
    check_json out "\"mail-b\" not in [x[\"host\"] for x in d] and \"pc-b\" not in [x[\"host\"] for x in d] and \"192.168.1.10\" not in [x[\"address\"] for x in d]"
'

test_expect_success 'a re-run updates the same findings' '
    run_expect 1 vigil botnet --json &&
    check_json out "not any(x[\"new\"] for x in d) and sorted(x[\"finding\"] for x in d) == [1, 2, 3]" &&
    check_eq 3 "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM finding WHERE kind = '"'"'botnet'"'"'")" "findings"
'

test_expect_success 'status shows the count of the last check' '
    run_expect 0 vigil status --json &&
    check_json out "d[\"botnet\"][\"listed\"] == 3"
'

test_expect_success 'a table for people, CSV for spreadsheets' '
    run_expect 1 vigil botnet &&
    check_grep "web-a" out && check_grep "sweep 3 hosts" out && check_grep "sweep its hosts" out &&
    run_expect 1 vigil botnet --csv &&
    check_grep "^level,unit,host,address,listed as,feed,family,seen,new" out
'

test_expect_success 'a newer version without an address: no longer listed, history kept' '
    printf "%s\n" "45.9.148.3" >cert-dec.txt &&
    vigil -q feed import cert-dec.txt --source cert-botnet &&
    run_expect 1 vigil botnet --json &&
    check_json out "[x[\"host\"] for x in d] == [\"web-a\"]" &&
    check_eq 3 "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM finding WHERE kind = '"'"'botnet'"'"'")" "findings kept" &&
    run_expect 0 vigil status --json &&
    check_json out "d[\"botnet\"][\"listed\"] == 1"
'

test_expect_success '--dry-run records nothing' '
    store_dump before.sql &&
    run_expect 1 vigil botnet --dry-run &&
    check_store_unchanged before.sql
'

test_done
