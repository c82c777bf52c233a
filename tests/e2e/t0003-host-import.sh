#!/usr/bin/env bash
# t0003-host-import: a realistic host sheet with Vietnamese headers in every
# shape spreadsheets export it (comma, semicolon, tab; UTF-8 with and without
# BOM, UTF-16LE with BOM, CRLF) gives the same inventory; re-import, update,
# --dry-run and the JSON summary; unit, contact, netblock and duty imports.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

SHEET=$VG_DATA/hosts-small.csv
NHOSTS=10

# fresh_store: an empty store in place of the current one.
fresh_store() {
    rm -f "$VIGIL_DB" "$VIGIL_DB-wal" "$VIGIL_DB-shm" &&
    vigil -q init
}

# import_variant FILE NAME: import FILE into a fresh store; the host list,
# normalised, lands in NAME.json.
import_variant() {
    fresh_store &&
    run_expect 0 vigil host import "$1" &&
    check_grep "$NHOSTS host records .*: $NHOSTS added, 0 updated, 0 unchanged, 0 skipped" out &&
    host_list_norm "$2.json"
}

test_expect_success 'the comma-separated UTF-8 sheet imports' '
    import_variant "$SHEET" comma &&
    check_grep -F "(utf-8, '"','"')" out &&
    check_grep -F "created 4 units and 5 systems" out
'
test_expect_success 'it gives the expected inventory (tests/data/hosts-small.expected.json)' '
    check_output "$VG_DATA/hosts-small.expected.json" comma.json
'
test_expect_success 'status counts what the sheet holds' '
    run_expect 0 vigil status --json &&
    check_json out "d[\"units\"] == 4 and d[\"hosts\"][\"total\"] == $NHOSTS and d[\"systems\"][\"total\"] == 5" &&
    check_json out "d[\"hosts\"][\"servers\"] == 7 and d[\"hosts\"][\"workstations\"] == 3" &&
    check_json out "d[\"addresses\"] == 12 and d[\"public_addresses\"] == 2"
'
test_expect_success 'semicolon-delimited variant gives the same host list' '
    import_variant "$VG_DATA/hosts-small-semicolon.csv" semicolon &&
    check_grep -F "(utf-8, '"';'"')" out &&
    check_output comma.json semicolon.json
'
test_expect_success 'TAB-delimited variant gives the same host list' '
    import_variant "$VG_DATA/hosts-small-tab.txt" tab &&
    check_grep -F "(utf-8, '"'tab'"')" out &&
    check_output comma.json tab.json
'
test_expect_success 'UTF-8 with BOM variant gives the same host list' '
    { printf "\357\273\277"; cat "$SHEET"; } >bom.csv &&
    import_variant bom.csv bom &&
    check_output comma.json bom.json
'
test_expect_success 'UTF-16LE with BOM variant (iconv -t utf-16) gives the same host list' '
    iconv -f utf-8 -t utf-16 "$SHEET" >utf16.csv &&
    test "$(head -c 2 utf16.csv | od -An -tx1 | tr -d " ")" = fffe &&
    import_variant utf16.csv utf16 &&
    check_grep -F "(utf-16le, " out &&
    check_output comma.json utf16.json
'
test_expect_success 'UTF-16LE tab-delimited (Excel "Unicode text") gives the same host list' '
    iconv -f utf-8 -t utf-16 "$VG_DATA/hosts-small-tab.txt" >utf16.txt &&
    import_variant utf16.txt utf16tab &&
    check_output comma.json utf16tab.json
'
test_expect_success 'CRLF line ends give the same host list' '
    sed "s/\$/\r/" "$SHEET" >crlf.csv &&
    import_variant crlf.csv crlf &&
    check_output comma.json crlf.json
'
test_expect_success 'the sheet read from standard input gives the same host list' '
    fresh_store &&
    vigil host import - <"$SHEET" >out 2>err &&
    host_list_norm stdin.json &&
    check_output comma.json stdin.json
'

# ---- re-import -------------------------------------------------------------------

test_expect_success 're-import reports 0 added and N unchanged, changes nothing' '
    fresh_store && vigil -q host import "$SHEET" &&
    host_list_norm first.json &&
    run_expect 0 vigil host import "$SHEET" &&
    check_grep ": 0 added, 0 updated, $NHOSTS unchanged, 0 skipped" out &&
    check_no_grep "created" out &&
    host_list_norm again.json &&
    check_output first.json again.json
'
test_expect_success 'import --json: the summary has the documented keys' '
    run_expect 0 vigil host import "$SHEET" --json &&
    check_json out "set(\"file kind sha256 encoding delimiter dry_run records added updated unchanged skipped units_created systems_created systems_updated ignored_columns issues\".split()) <= set(d)" &&
    check_json out "(d[\"records\"], d[\"added\"], d[\"updated\"], d[\"unchanged\"], d[\"skipped\"]) == ($NHOSTS, 0, 0, $NHOSTS, 0)" &&
    check_json out "d[\"issues\"] == [] and d[\"ignored_columns\"] == [] and d[\"dry_run\"] is False" &&
    check_json out "d[\"kind\"] == \"hosts\" and d[\"encoding\"] == \"utf-8\" and d[\"delimiter\"] == \",\"" &&
    check_eq "$(sha256sum <"$SHEET" | cut -d" " -f1)" "$(json_get out "d[\"sha256\"]")" "sha256 of the sheet"
'
test_expect_success 'changing one row'"'"'s OS re-imports as 1 updated' '
    sed "s/^ttdl,Cổng dịch vụ công,3,dvc-db01,server,Oracle Linux 8,/ttdl,Cổng dịch vụ công,3,dvc-db01,server,Oracle Linux 9.3,/" \
        "$SHEET" >changed.csv &&
    ! cmp -s "$SHEET" changed.csv &&
    store_dump before.sql &&
    run_expect 0 vigil host import changed.csv --dry-run --json &&
    check_json out "(d[\"added\"], d[\"updated\"], d[\"unchanged\"], d[\"dry_run\"]) == (0, 1, $((NHOSTS - 1)), True)" &&
    check_store_unchanged before.sql &&
    run_expect 0 vigil host import changed.csv --json &&
    check_json out "(d[\"added\"], d[\"updated\"], d[\"unchanged\"]) == (0, 1, $((NHOSTS - 1)))" &&
    run_expect 0 vigil host show dvc-db01 --json &&
    check_json out "(d[\"os\"], d[\"os_release\"]) == (\"oracle linux\", \"9.3\")"
'
test_expect_success 'the audit records the import with its actor and counts' '
    run_expect 0 vigil audit --json --action host.import &&
    check_json out "d[0][\"actor\"] == \"$VG_ACTOR\" and d[0][\"object\"] == \"changed.csv\"" &&
    check_json out "d[0][\"detail\"][\"updated\"] == 1 and d[0][\"detail\"][\"records\"] == $NHOSTS"
'
test_expect_success '--dry-run of a new sheet changes nothing and says so' '
    fresh_store &&
    store_dump before.sql &&
    run_expect 0 vigil host import "$SHEET" --dry-run &&
    check_grep "^dry run, nothing written: .*$NHOSTS added" out &&
    check_store_unchanged before.sql &&
    run_expect 0 vigil status --json &&
    check_json out "d[\"hosts\"][\"total\"] == 0 and d[\"units\"] == 0"
'
test_expect_success 'a changed level updates the system and says so' '
    vigil -q host import "$SHEET" &&
    sed "s/^so-tc,Quản lý ngân sách,2,/so-tc,Quản lý ngân sách,3,/" "$SHEET" >level.csv &&
    run_expect 0 vigil host import level.csv &&
    check_grep "changed the level of 1 system" out &&
    check_grep -F "Quản lý ngân sách" err &&
    run_expect 0 vigil system show "Quản lý ngân sách" --unit so-tc --json &&
    check_json out "d[\"level\"] == 3"
'
test_expect_success 'a column the sheet lacks keeps the stored value; an empty cell clears it' '
    printf "unit,hostname,role\nso-tttt,web01,server\n" >no-os.csv &&
    run_expect 0 vigil host import no-os.csv &&
    check_grep ": 0 added, 0 updated, 1 unchanged" out &&
    run_expect 0 vigil host show web01 --unit so-tttt --json &&
    check_json out "d[\"os\"] == \"debian\" and len(d[\"addresses\"]) == 2 and len(d[\"systems\"]) == 2" &&
    printf "unit,hostname,role,os\nso-tttt,web01,server,\n" >empty-os.csv &&
    run_expect 0 vigil host import empty-os.csv &&
    check_grep ": 0 added, 1 updated, 0 unchanged" out &&
    run_expect 0 vigil host show web01 --unit so-tttt --json &&
    check_json out "d[\"os\"] is None and d[\"os_release\"] is None and len(d[\"addresses\"]) == 2"
'
test_expect_success 'an unknown column is reported and ignored' '
    printf "unit,hostname,role,Màu sắc\nso-tttt,web09,server,xanh\n" >extra.csv &&
    run_expect 0 vigil host import extra.csv --json &&
    check_json out "d[\"ignored_columns\"] == [\"Màu sắc\"] and d[\"added\"] == 1" &&
    check_grep -F "Màu sắc" err
'
test_expect_success '--delimiter and --encoding override the detection' '
    fresh_store &&
    iconv -f utf-8 -t windows-1258 "$VG_DATA/hosts-small-semicolon.csv" >cp1258.csv &&
    run_expect 0 vigil host import cp1258.csv --encoding windows-1258 --delimiter ";" &&
    host_list_norm cp1258.json &&
    check_output comma.json cp1258.json
'

test_expect_success 'a quoted note with a line break imports, as host add takes it' '
    run_expect 0 vigil host add typed01 --unit so-tttt --role server --note "$(printf "tầng 3\ntủ A2")" &&
    run_expect 0 vigil host show typed01 --unit so-tttt --json &&
    check_json out "d[\"note\"] == \"tầng 3\\ntủ A2\"" &&
    printf "unit,hostname,role,note\r\nso-tttt,sheet01,server,\"tầng 3\r\ntủ A2\"\r\nso-tttt,sheet02,server,\"một dòng\"\r\n" >multiline.csv &&
    run_expect 0 vigil host import multiline.csv &&
    check_grep "2 host records .*: 2 added" out &&
    run_expect 0 vigil host show sheet01 --unit so-tttt --json &&
    check_json out "d[\"note\"] == \"tầng 3\\r\\ntủ A2\""
'

# ---- the other imports ---------------------------------------------------------------------

test_expect_success 'unit import (Vietnamese headers, a child before its parent)' '
    fresh_store &&
    run_expect 0 vigil unit import "$VG_DATA/units-small.csv" --json &&
    check_json out "(d[\"records\"], d[\"added\"], d[\"kind\"]) == (5, 5, \"units\")" &&
    run_expect 0 vigil unit list --json &&
    check_json out "sorted((o[\"name\"], o[\"parent\"]) for o in d) == [(\"so-tc\", \"ubnd-tinh\"), (\"so-tttt\", \"ubnd-tinh\"), (\"so-yt\", \"ubnd-tinh\"), (\"ttdl\", \"so-tttt\"), (\"ubnd-tinh\", None)]" &&
    check_json out "[o[\"note\"] for o in d if o[\"name\"] == \"ttdl\"] == [\"Vận hành hạ tầng dùng chung, LGSP; trực 24/7\"]" &&
    run_expect 0 vigil unit import "$VG_DATA/units-small.csv" &&
    check_grep ": 0 added, 0 updated, 5 unchanged" out
'
test_expect_success 'contact import, and the escalation order it sets' '
    run_expect 0 vigil contact import "$VG_DATA/contacts-small.csv" &&
    check_grep "4 contact records .*: 4 added" out &&
    run_expect 0 vigil contact list --escalation --json &&
    check_json out "[(o[\"escalation\"], o[\"name\"]) for o in d] == [(1, \"Nguyễn Văn An\"), (2, \"Trần Thị Bình\"), (3, \"Trung tâm VNCERT/CC\")]" &&
    run_expect 0 vigil contact show "Trung tâm VNCERT/CC" --json &&
    check_json out "d[\"note\"] == \"gọi khi có sự cố \\\"nghiêm trọng\\\"\" and d[\"phone\"] == \"+84 24 0000 0000\" and d[\"unit\"] is None" &&
    run_expect 0 vigil contact import "$VG_DATA/contacts-small.csv" &&
    check_grep ": 0 added, 0 updated, 4 unchanged" out
'
test_expect_success 'netblock import: public taken from the address unless given' '
    run_expect 0 vigil netblock import "$VG_DATA/netblocks-small.csv" &&
    check_grep "7 netblock records .*: 7 added" out &&
    run_expect 0 vigil netblock list --json &&
    check_json out "sorted((o[\"unit\"], o[\"prefix\"], o[\"public\"]) for o in d) == sorted([(\"so-tttt\", \"10.20.0.0/16\", False), (\"so-tttt\", \"113.160.1.10/32\", True), (\"ttdl\", \"10.3.0.0/16\", False), (\"ttdl\", \"203.113.147.0/26\", True), (\"ttdl\", \"2001:ee0:4f41::/48\", True), (\"so-tc\", \"192.168.1.0/24\", False), (\"so-yt\", \"192.168.1.0/24\", False)])" &&
    run_expect 0 vigil netblock show 192.168.1.77 --json &&
    check_json out "sorted(o[\"unit\"] for o in d) == [\"so-tc\", \"so-yt\"]" &&
    run_expect 0 vigil netblock import "$VG_DATA/netblocks-small.csv" &&
    check_grep ": 0 added, 0 updated, 7 unchanged" out
'
test_expect_success 'duty import: local times (UTC+7) and RFC 3339 times' '
    run_expect 0 vigil duty import "$VG_DATA/duty-small.csv" &&
    check_grep "3 shift records .*: 3 added" out &&
    run_expect 0 vigil duty list --all --json &&
    check_json out "[(o[\"contact\"], o[\"from\"], o[\"to\"]) for o in d] == [(\"Nguyễn Văn An\", \"2026-01-05T00:30:00Z\", \"2026-01-05T12:30:00Z\"), (\"Trần Thị Bình\", \"2026-01-05T12:30:00Z\", \"2026-01-06T00:30:00Z\"), (\"Nguyễn Văn An\", \"2026-01-06T00:30:00Z\", \"2026-01-06T12:30:00Z\")]" &&
    check_json out "[o[\"note\"] for o in d] == [\"ca ngày\", \"ca đêm\", None]" &&
    run_expect 0 vigil duty import "$VG_DATA/duty-small.csv" &&
    check_grep ": 0 added, 0 updated, 3 unchanged" out
'
test_expect_success 'host import after the others: owners and units are found' '
    printf "unit,hostname,role,owner\nttdl,dvc-app01,server,Nguyễn Văn An\n" >owned.csv &&
    run_expect 0 vigil host import owned.csv &&
    check_no_grep "created" out &&
    run_expect 0 vigil host show dvc-app01 --json &&
    check_json out "d[\"owner\"] == \"Nguyễn Văn An\" and d[\"unit\"] == \"ttdl\""
'

test_done
