#!/usr/bin/env bash
# t0100-feed: `vigil feed` import, versions, append, the same file again,
# private/reserved entries kept but not matched, all-or-nothing on bad
# records, diff between versions, list/show/rm, the audit trail.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
    vigil -q init &&
    printf "%s\n" "# CERT botnet list, November" "45.9.148.3" "45.9.148.0/28 ; C2 range" \
        "5.188.10.1 - 5.188.10.2" "10.0.0.0/8" "bad-c2.example" >nov.txt &&
    printf "%s\n" "45.9.148.3" "91.92.240.7" >dec.txt &&
    printf "%s\n" "185.220.101.4" >adhoc.txt
'

test_expect_success 'import: a new source, a first version, what it understood' '
    run_expect 0 vigil feed import nov.txt --source cert --issued 2026-11-01 &&
    check_grep "6 indicators in a new version of feed cert" out &&
    check_grep -F "understood: format plain" err &&
    check_grep -F "nov.txt:5: 10.0.0.0/8: private space: not matched" err
'

test_expect_success 'feed list --json: the current version and its counts' '
    run_expect 0 vigil feed list --json &&
    check_json out "len(d) == 1 and d[0][\"source\"] == \"cert\" and d[0][\"indicators\"] == 6 and d[0][\"ignored\"] == 1 and d[0][\"versions\"] == 1 and d[0][\"issued\"].startswith(\"2026-10-31T17:00\")"
'

test_expect_success 'the same file again changes nothing' '
    store_dump before.sql &&
    run_expect 0 vigil feed import nov.txt --source cert &&
    check_grep "already imported" out &&
    check_store_unchanged before.sql
'

test_expect_success '--append adds to the current version' '
    run_expect 0 vigil feed import adhoc.txt --source cert --append --json &&
    check_json out "d[\"appended\"] and d[\"indicators\"] == 1" &&
    run_expect 0 vigil feed show cert --json &&
    check_json out "d[\"versions\"] == 1 and d[\"indicators\"] == 7"
'

test_expect_success 'a bad record aborts the import and names file and line' '
    printf "%s\n" "45.9.148.3" "45.9.148.300" >broken.txt &&
    store_dump before.sql &&
    run_expect 2 vigil feed import broken.txt --source cert --format plain &&
    check_grep -F "broken.txt:2:" err &&
    check_grep -F "nothing was imported" err &&
    check_store_unchanged before.sql
'

test_expect_success '--skip-bad imports the rest and lists the bad line' '
    run_expect 0 vigil feed import broken.txt --source other --format plain --skip-bad --json &&
    check_json out "d[\"indicators\"] == 1 and d[\"bad\"] == 1 and d[\"notes\"][0][\"line\"] == 2"
'

test_expect_success 'a second version becomes current; diff lists new and removed' '
    run_expect 0 vigil feed import dec.txt --source cert &&
    run_expect 0 vigil feed diff cert --json &&
    check_json out "sorted((x[\"change\"], x[\"indicator\"]) for x in d) == sorted([(\"new\", \"91.92.240.7/32\"), (\"removed\", \"45.9.148.0/28\"), (\"removed\", \"5.188.10.1/32\"), (\"removed\", \"5.188.10.2/32\"), (\"removed\", \"10.0.0.0/8\"), (\"removed\", \"bad-c2.example\"), (\"removed\", \"185.220.101.4/32\")])"
'

test_expect_success 'feed show: both versions, newest first' '
    run_expect 0 vigil feed show cert --json &&
    check_json out "d[\"versions\"] == 2 and [v[\"indicators\"] for v in d[\"history\"]] == [2, 7]"
'

test_expect_success 'formats are recognised: FireHOL, MISP, STIX, ClamAV' '
    for f in firehol.netset misp.json stix.json clamav.hdb; do
        run_expect 0 vigil feed import "$VG_DATA/feeds/$f" --source "t-$f" --json || return 1
        check_json out "d[\"indicators\"] > 0" || return 1
    done &&
    run_expect 0 vigil feed list --json &&
    check_json out "{x[\"source\"]: x[\"format\"] for x in d if x[\"source\"].startswith(\"t-\")} == {\"t-firehol.netset\": \"firehol\", \"t-misp.json\": \"misp\", \"t-stix.json\": \"stix\", \"t-clamav.hdb\": \"hdb\"}"
'

test_expect_success 'feed rm: gone from the list, recorded in the audit' '
    run_expect 0 vigil feed rm other &&
    run_expect 0 vigil feed list --json &&
    check_json out "\"other\" not in [x[\"source\"] for x in d]" &&
    run_expect 0 vigil audit --action feed. --json &&
    check_json out "d[0][\"action\"] == \"feed.rm\" and d[0][\"object\"] == \"feed:other\""
'

test_expect_success 'feed import without --source is a usage error' '
    run_expect 2 vigil feed import dec.txt &&
    check_grep -F "needs --source" err
'

test_done
