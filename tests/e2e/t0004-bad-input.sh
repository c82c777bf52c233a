#!/usr/bin/env bash
# t0004-bad-input: imports are all or nothing. Each bad sheet must exit 2,
# print a message naming the file, the line and the column, and leave the
# store exactly as it was (sqlite3 .dump before and after). --skip-bad
# imports the good rows and lists every bad one with its line and column.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

H='Đơn vị,Hệ thống,Cấp độ,Tên máy,Vai trò,Hệ điều hành,Địa chỉ IP,Ghi chú'

test_expect_success 'setup: a store holding a small inventory' '
    vigil -q init &&
    vigil -q host import "$VG_DATA/hosts-small.csv" &&
    vigil -q contact import "$VG_DATA/contacts-small.csv" &&
    store_dump initial.sql
'

# refused FILE LINE COLUMN [IMPORT-COMMAND]: importing FILE exits 2 with
# "vigil: error: FILE:LINE: column "COLUMN": ..." and the store is unchanged.
refused() {
    local file=$1 line=$2 col=$3 kind=${4:-host} rc=0
    store_dump before.sql || return 1
    run_expect 2 vigil "$kind" import "$file" &&
    check_empty out &&
    check_grep -F "vigil: error: $file:$line: column \"$col\": " err &&
    check_grep -F "nothing was imported; the store is unchanged" err || rc=1
    if ! check_store_unchanged before.sql; then
        # Put the store back so that the tests that follow start where they should.
        store_restore before.sql
        rc=1
    fi
    return $rc
}

test_expect_success 'a sheet without a required column: exit 2, names the column' '
    printf "%s\n" "Đơn vị,Hệ thống,Cấp độ,Tên máy,Hệ điều hành,Địa chỉ IP" \
        "so-tttt,,,new01,Debian 12,10.20.9.1" >missing-col.csv &&
    store_dump before.sql &&
    run_expect 2 vigil host import missing-col.csv &&
    check_grep -F "vigil: error: missing-col.csv:1: missing column \"role\"" err &&
    check_store_unchanged before.sql
'
test_expect_success 'a sheet without two required columns names both' '
    printf "%s\n" "Hệ thống,Cấp độ,Tên máy" "x,3,new01" >missing-cols.csv &&
    store_dump before.sql &&
    run_expect 2 vigil host import missing-cols.csv &&
    check_grep -F "missing-cols.csv:1: missing columns \"unit\", \"role\"" err &&
    check_store_unchanged before.sql
'
test_expect_success 'an invalid IP (10.0.0.300) after 300 good rows' '
    {
        printf "%s\n" "$H"
        for i in $(seq 0 299); do
            printf "so-tttt,,,new%03d,server,Debian 12,10.20.%d.%d,\n" "$i" "$((100 + i / 250))" "$((i % 250 + 1))"
        done
        printf "%s\n" "so-tttt,,,bad01,server,Debian 12,10.0.0.300,"
    } >bad-ip.csv &&
    refused bad-ip.csv 302 ip &&
    check_grep -F "\"10.0.0.300\" is not an IP address" err
'
test_expect_success 'security level 7' '
    printf "%s\n" "$H" "so-tttt,Hệ thống mới,3,new01,server,,10.20.9.1," \
        "so-tttt,Hệ thống khác,7,new02,server,,10.20.9.2," >level7.csv &&
    refused level7.csv 3 level &&
    check_grep -F "7 is not a security level" err
'
test_expect_success 'the same host twice with different data names both lines' '
    printf "%s\n" "$H" "so-tttt,,,NEW01,server,Debian 12,10.20.9.1," \
        "so-tttt,,,new02,server,Debian 12,10.20.9.2," \
        "so-tttt,,,new01,server,Debian 11,10.20.9.1," >dup-host.csv &&
    refused dup-host.csv 4 hostname &&
    check_grep -F "new01" err &&
    check_grep -F "line 2" err
'
test_expect_success 'the same host twice with the same data is fine' '
    printf "%s\n" "$H" "so-tttt,,,NEW01,server,Debian 12,10.20.9.1," \
        "so-tttt,,, new01 ,server,debian 12,10.20.9.1," >same-host.csv &&
    run_expect 0 vigil host import same-host.csv --dry-run &&
    check_grep "2 host records .*: 1 added" out
'
test_expect_success 'a system given two different levels names both lines' '
    printf "%s\n" "$H" "so-tttt,Hệ thống mới,3,new01,server,,10.20.9.1," \
        "so-tttt,,,new02,server,,10.20.9.2," \
        "so-tttt,Hệ thống mới,4,new03,server,,10.20.9.3," >two-levels.csv &&
    refused two-levels.csv 4 level &&
    check_grep -F "Hệ thống mới" err &&
    check_grep -F "line 2" err
'
test_expect_success 'a stored system given two levels in one sheet names both lines' '
    # "Cổng thông tin điện tử" of so-tttt is stored at level 3: the sheet says
    # 3 on line 2 and 4 on line 3, which contradicts itself whatever is stored.
    printf "%s\n" "$H" "so-tttt,Cổng thông tin điện tử,3,new01,server,,10.20.9.1," \
        "so-tttt,Cổng thông tin điện tử,4,new02,server,,10.20.9.2," >two-levels-stored.csv &&
    refused two-levels-stored.csv 3 level &&
    check_grep -F "line 2" err
'
test_expect_success 'one address for two hosts of one unit names both lines' '
    printf "%s\n" "$H" "so-tc,,,new01,server,,10.4.0.1," "so-tc,,,new02,server,,10.4.0.2;10.4.0.1," >dup-addr.csv &&
    refused dup-addr.csv 3 ip &&
    check_grep -F "10.4.0.1" err &&
    check_grep -F "line 2" err
'
test_expect_success 'an address that a host not in the sheet holds is refused' '
    printf "%s\n" "$H" "so-tttt,,,new01,server,,10.20.1.11," >taken-addr.csv &&
    refused taken-addr.csv 2 ip &&
    check_grep -F "10.20.1.11" err &&
    check_grep -F "web02" err
'
test_expect_success 'invalid UTF-8 (a Latin-1 byte \xE9 in a cell)' '
    { printf "%s\n" "$H" "so-tttt,,,new01,server,,10.20.9.1,"; printf "so-tttt,H\351 th\364ng,3,new02,server,,10.20.9.2,\n"; } >latin1.csv &&
    refused latin1.csv 3 system &&
    check_grep -F "invalid UTF-8" err &&
    check_grep -F "--encoding" err
'
test_expect_success 'a 10 MB line: exit 2, file and line named' '
    python3 -c "
import sys
with open(\"huge.csv\", \"w\", encoding=\"utf-8\") as f:
    f.write(sys.argv[1] + \"\n\")
    f.write(\"so-tttt,,,new01,server,,10.20.9.1,ok\n\")
    f.write(\"so-tttt,,,new02,server,,10.20.9.2,\" + \"x\" * (10 * 1024 * 1024) + \"\n\")
    f.write(\"so-tttt,,,new03,server,,10.20.9.3,ok\n\")
" "$H" &&
    test "$(wc -c <huge.csv)" -gt 10485760 &&
    store_dump before.sql &&
    run_expect 2 vigil host import huge.csv &&
    check_grep -F "vigil: error: huge.csv:3: " err &&
    check_store_unchanged before.sql
'
test_expect_success 'a 10 MB line: the message names the column too' '
    check_grep "huge\.csv:3: (column \"note\"|field 8)" err
'
test_expect_success 'an empty file: exit 2, names the file' '
    : >empty.csv &&
    store_dump before.sql &&
    run_expect 2 vigil host import empty.csv &&
    check_grep -F "vigil: error: empty.csv" err &&
    check_grep -F "empty" err &&
    check_store_unchanged before.sql
'
test_expect_success 'a file of blank lines is empty too' '
    printf "\n\r\n  \n" >blank.csv &&
    store_dump before.sql &&
    run_expect 2 vigil host import blank.csv &&
    check_grep -F "blank.csv" err &&
    check_store_unchanged before.sql
'
test_expect_success 'a file with only a header is fine: 0 records, exit 0' '
    printf "%s\r\n" "$H" >header-only.csv &&
    host_list_norm before.json &&
    run_expect 0 vigil host import header-only.csv --json &&
    check_json out "(d[\"records\"], d[\"added\"], d[\"updated\"], d[\"unchanged\"], d[\"skipped\"]) == (0, 0, 0, 0, 0)" &&
    host_list_norm after.json &&
    check_output before.json after.json
'
test_expect_success 'a binary file (/bin/ls): exit 2, file, line and field named' '
    cp /bin/ls binary.csv &&
    store_dump before.sql &&
    run_expect 2 vigil host import binary.csv &&
    check_grep "vigil: error: binary\.csv:1: (column \"[a-z_]+\"|field [0-9]+): " err &&
    check_store_unchanged before.sql
'
test_expect_success 'a quoted cell that is never closed names its line' '
    printf "%s\n" "$H" "so-tttt,,,new01,server,,10.20.9.1,ok" "so-tttt,,,new02,server,,10.20.9.2,\"never closed" \
        "so-tttt,,,new03,server,,10.20.9.3,ok" >unclosed.csv &&
    refused unclosed.csv 3 note &&
    check_grep -F "never closed" err
'
test_expect_success 'text after a closing quote names its line and column' '
    printf "%s\n" "$H" "so-tttt,,,new01,server,\"Debian\" 12,10.20.9.1," >after-quote.csv &&
    refused after-quote.csv 2 os
'
test_expect_success 'a file that does not exist, or a folder: exit 2, named' '
    store_dump before.sql &&
    run_expect 2 vigil host import no-such-file.csv &&
    check_grep -F "no-such-file.csv" err &&
    mkdir -p adir &&
    run_expect 2 vigil host import adir &&
    check_grep -F "adir" err &&
    check_store_unchanged before.sql
'
# ---- the other imports are all or nothing too ----------------------------------------

test_expect_success 'contact import: a bad e-mail on line 3' '
    printf "%s\n" "name,unit,role,phone,email,escalation" "Phạm Văn Dũng,ttdl,,0900 000 009,dung@example.vn,4" \
        "Hoàng Thị E,ttdl,,0900 000 010,not-an-email,5" >bad-contacts.csv &&
    refused bad-contacts.csv 3 email contact
'
test_expect_success 'netblock import: host bits set, with a did-you-mean hint' '
    printf "%s\n" "unit,prefix" "so-tttt,10.21.0.0/16" "so-tttt,10.22.3.4/16" >bad-netblocks.csv &&
    refused bad-netblocks.csv 3 prefix netblock &&
    check_grep -F "did you mean 10.22.0.0/16" err
'
test_expect_success 'duty import: an unknown contact, a shift that ends before it starts' '
    printf "%s\n" "contact,from,to" "Nguyễn Văn An,2026-02-01 07:30,2026-02-01 19:30" \
        "Không Có Ai,2026-02-01 19:30,2026-02-02 07:30" >bad-duty1.csv &&
    refused bad-duty1.csv 3 contact duty &&
    printf "%s\n" "contact,from,to" "Nguyễn Văn An,2026-02-01 07:30,2026-02-01 19:30" \
        "Trần Thị Bình,2026-02-01 19:30,2026-02-01 07:30" >bad-duty2.csv &&
    refused bad-duty2.csv 3 to duty
'
test_expect_success 'unit import: an unknown parent' '
    printf "%s\n" "name,parent" "so-moi,ubnd-tinh-khong-co" >bad-units.csv &&
    store_dump before.sql &&
    run_expect 2 vigil unit import bad-units.csv &&
    check_grep -F "bad-units.csv:2: column \"parent\"" err &&
    check_store_unchanged before.sql
'

# ---- --skip-bad --------------------------------------------------------------------------

test_expect_success '--skip-bad on a sheet mixing good and bad rows: exit 0, good rows in' '
    {
        printf "%s\n" "$H"
        printf "%s\n" "so-xd,Quản lý cấp phép,2,good01,server,Debian 12,10.11.0.1,"
        printf "%s\n" "so-xd,,,bad01,server,,10.11.0.300,"
        printf "%s\n" "so-xd,,,good02,máy trạm,Windows 11,10.11.0.2,"
        printf "%s\n" "so-xd,Quản lý cấp phép,7,bad02,server,,10.11.0.3,"
        printf "%s\n" "so-xd,,,bad03,robot,,10.11.0.4,"
        printf "%s\n" "so-xd,Quản lý cấp phép,2,good03,server,Rocky Linux 9,10.11.0.5,"
        printf "so-xd,H\351 th\364ng,2,bad04,server,,10.11.0.6,\n"
        printf "%s\n" "so-xd,Quản lý cấp phép,2,GOOD01,server,Debian 11,10.11.0.1,"
        printf "%s\n" "so-xd,,,bad06,server,,10.11.0.2,"
        printf "%s\n" "so-xd,,,good04,server,,10.11.0.7,\"a note, with a comma\""
    } >mixed.csv &&
    run_expect 0 vigil host import mixed.csv --skip-bad &&
    check_grep "10 host records .*: 4 added, 0 updated, 0 unchanged, 6 skipped" out
'
test_expect_success '--skip-bad: each bad row is listed on stderr with line and column' '
    check_grep -F "mixed.csv:3: column \"ip\": \"10.11.0.300\" is not an IP address (skipped)" err &&
    check_grep -F "mixed.csv:5: column \"level\": " err &&
    check_grep -F "mixed.csv:6: column \"role\": " err &&
    check_grep -F "mixed.csv:8: column \"system\": " err &&
    check_grep -F "mixed.csv:9: column \"hostname\": " err &&
    check_grep -F "mixed.csv:10: column \"ip\": " err &&
    check_eq 6 "$(grep -c "(skipped)\$" err)" "rows listed as skipped"
'
test_expect_success '--skip-bad: the good rows are in the store, the bad ones are not' '
    run_expect 0 vigil host show good01 --unit so-xd --json &&
    check_json out "d[\"os_release\"] == \"12\" and d[\"systems\"] == [{\"name\": \"Quản lý cấp phép\", \"level\": 2}]" &&
    run_expect 0 vigil host show good04 --unit so-xd --json &&
    check_json out "d[\"note\"] == \"a note, with a comma\"" &&
    for h in good02 good03; do run_expect 0 vigil host show "$h" --unit so-xd || return 1; done &&
    for h in bad01 bad02 bad03 bad04 bad06; do run_expect 2 vigil host show "$h" --unit so-xd || return 1; done
'
test_expect_success '--skip-bad --json: issues list line, column and reason' '
    run_expect 0 vigil host import mixed.csv --skip-bad --json &&
    check_json out "d[\"skipped\"] == 6 and d[\"unchanged\"] == 4" &&
    check_json out "[(i[\"line\"], i[\"column\"]) for i in d[\"issues\"]] == [(3, \"ip\"), (5, \"level\"), (6, \"role\"), (8, \"system\"), (9, \"hostname\"), (10, \"ip\")]" &&
    check_json out "all(i[\"reason\"] for i in d[\"issues\"])"
'
test_expect_success '--skip-bad on a sheet of bad rows only imports nothing, exit 0' '
    printf "%s\n" "$H" "so-xd,,,bad01,server,,10.11.0.300," >all-bad.csv &&
    run_expect 0 vigil host import all-bad.csv --skip-bad &&
    check_grep ": 0 added, 0 updated, 0 unchanged, 1 skipped" out &&
    check_grep -F "all-bad.csv:2: column \"ip\"" err
'

test_done
