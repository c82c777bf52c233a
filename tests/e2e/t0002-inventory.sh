#!/usr/bin/env bash
# t0002-inventory: add, list, show and rm of units, systems, hosts,
# contacts, netblocks and duty shifts; what rm refuses; what the audit keeps;
# the address rule (unique within a unit); netblock lookups; who is on duty.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a store' '
    vigil -q init
'

# audit_has ACTION OBJECT: the newest audit record with ACTION is about
# OBJECT and names this account as the actor.
audit_has() {
    run_expect 0 vigil audit --json --limit 0 || return 1
    check_json out "[(o[\"object\"], o[\"actor\"]) for o in d if o[\"action\"] == \"$1\"][:1] == [(\"$2\", \"$VG_ACTOR\")]"
}

# ---- units ----------------------------------------------------------------------

test_expect_success 'unit add, then list and show it' '
    run_expect 0 vigil unit add so-tttt --full-name "Sở Thông tin và Truyền thông" --note "sở chủ quản" &&
    check_grep -F "added unit so-tttt" out &&
    run_expect 0 vigil unit add ttdl --parent so-tttt &&
    run_expect 0 vigil unit list --json &&
    check_json out "[(o[\"name\"], o[\"parent\"]) for o in d] == [(\"so-tttt\", None), (\"ttdl\", \"so-tttt\")]" &&
    run_expect 0 vigil unit show so-tttt --json &&
    check_json out "d[\"full_name\"] == \"Sở Thông tin và Truyền thông\" and d[\"note\"] == \"sở chủ quản\"" &&
    check_json out "(d[\"hosts\"], d[\"systems\"], d[\"child_units\"]) == (0, 0, 1)" &&
    run_expect 0 vigil unit show so-tttt &&
    check_grep "^full name +Sở Thông tin và Truyền thông$" out
'
test_expect_success 'unit add of an existing unit, or with an unknown parent, exits 2' '
    store_dump before.sql &&
    run_expect 2 vigil unit add so-tttt &&
    check_grep -F "so-tttt" err &&
    run_expect 2 vigil unit add x --parent nosuch &&
    check_grep -F "nosuch" err &&
    check_store_unchanged before.sql
'
test_expect_success 'unit rm of a unit that still has a child unit or hosts exits 2 and says why' '
    vigil -q host add web01 --unit so-tttt --role server &&
    store_dump before.sql &&
    run_expect 2 vigil unit rm so-tttt &&
    check_grep -F "so-tttt" err &&
    check_grep "still has 1 hosts?\b" err &&
    check_grep "1 child units?" err &&
    check_empty out &&
    check_store_unchanged before.sql &&
    run_expect 0 vigil unit list --json &&
    check_json out "\"so-tttt\" in [o[\"name\"] for o in d]"
'
test_expect_success 'unit rm removes a unit with nothing in it' '
    run_expect 0 vigil unit rm ttdl &&
    check_grep -F "removed unit ttdl" out &&
    run_expect 0 vigil unit list --json &&
    check_json out "[o[\"name\"] for o in d] == [\"so-tttt\"]" &&
    run_expect 2 vigil unit show ttdl &&
    check_grep -F "ttdl" err
'
test_expect_success 'the audit keeps the unit rm with its actor' '
    audit_has unit.rm unit:ttdl
'
test_expect_success 'a removed unit name can be used again' '
    run_expect 0 vigil unit add ttdl --parent so-tttt
'
test_expect_code 2 'unit rm of a unit that does not exist exits 2' vigil unit rm nosuch

# ---- systems --------------------------------------------------------------------------

test_expect_success 'system add, list (level 5 first) and show' '
    run_expect 0 vigil system add "Cổng dịch vụ công" --unit so-tttt --level 3 --description "cổng một cửa" &&
    run_expect 0 vigil system add "Thư điện tử" --unit so-tttt --level 2 &&
    run_expect 0 vigil system add "CSDL dân cư" --unit ttdl --level 4 &&
    run_expect 0 vigil system list --json &&
    check_json out "[(o[\"name\"], o[\"level\"]) for o in d] == [(\"CSDL dân cư\", 4), (\"Cổng dịch vụ công\", 3), (\"Thư điện tử\", 2)]" &&
    run_expect 0 vigil system show "Cổng dịch vụ công" --unit so-tttt --json &&
    check_json out "d[\"unit\"] == \"so-tttt\" and d[\"level\"] == 3 and d[\"description\"] == \"cổng một cửa\""
'
test_expect_success 'system add with a level outside 1-5 exits 2' '
    store_dump before.sql &&
    run_expect 2 vigil system add bad --unit so-tttt --level 7 &&
    check_grep -F "7 is not a security level" err &&
    run_expect 2 vigil system add bad --unit so-tttt --level 0 &&
    check_store_unchanged before.sql
'
test_expect_success 'system rm removes it from the list and the audit keeps it' '
    run_expect 0 vigil system rm "Thư điện tử" --unit so-tttt &&
    run_expect 0 vigil system list --json &&
    check_json out "\"Thư điện tử\" not in [o[\"name\"] for o in d]" &&
    run_expect 2 vigil system show "Thư điện tử" --unit so-tttt &&
    audit_has system.rm "system:so-tttt/Thư điện tử"
'

# ---- hosts -----------------------------------------------------------------------------------

test_expect_success 'host add stores the host name in lower case' '
    run_expect 0 vigil host add MAIL01.SO-TTTT.example --unit so-tttt --role server \
        --os "Ubuntu 22.04" --ip 10.2.0.20 --system "Cổng dịch vụ công" --note "máy chủ thư" &&
    run_expect 0 vigil host list --json --unit so-tttt &&
    check_json out "\"mail01.so-tttt.example\" in [o[\"hostname\"] for o in d]" &&
    check_json out "not any(o[\"hostname\"] != o[\"hostname\"].lower() for o in d)" &&
    run_expect 0 vigil host show Mail01.so-tttt.EXAMPLE --unit so-tttt --json &&
    check_json out "d[\"hostname\"] == \"mail01.so-tttt.example\" and d[\"os\"] == \"ubuntu\" and d[\"os_release\"] == \"22.04\"" &&
    check_json out "d[\"level\"] == 3 and d[\"note\"] == \"máy chủ thư\" and d[\"addresses\"] == [{\"ip\": \"10.2.0.20\", \"public\": False}]"
'
test_expect_success 'host add of the same name in other case exits 2' '
    run_expect 2 vigil host add Mail01.So-Tttt.Example --unit so-tttt --role server
'
test_expect_success 'host add with a bad role or address exits 2' '
    store_dump before.sql &&
    run_expect 2 vigil host add x1 --unit so-tttt --role robot &&
    check_grep -F "robot" err &&
    run_expect 2 vigil host add x1 --unit so-tttt --role server --ip 10.0.0.300 &&
    check_grep -F "10.0.0.300" err &&
    check_store_unchanged before.sql
'
test_expect_success 'a host that serves no information system is listed' '
    run_expect 0 vigil host list --json --unit so-tttt &&
    check_json out "sorted(o[\"hostname\"] for o in d) == [\"mail01.so-tttt.example\", \"web01\"]"
'
test_expect_success 'host list --ip finds a host in every unit that has the address' '
    run_expect 0 vigil host add srv-a --unit so-tttt --role server --ip 172.16.0.9 --system "Cổng dịch vụ công" &&
    run_expect 0 vigil host add srv-b --unit ttdl --role server --ip 172.16.0.9 --system "CSDL dân cư" &&
    run_expect 0 vigil host list --ip 172.16.0.9 --json &&
    check_json out "sorted((o[\"unit\"], o[\"hostname\"]) for o in d) == [(\"so-tttt\", \"srv-a\"), (\"ttdl\", \"srv-b\")]" &&
    run_expect 0 vigil host list --level 4 --json &&
    check_json out "[o[\"hostname\"] for o in d] == [\"srv-b\"]"
'
test_expect_success 'host list counts agree with status' '
    run_expect 0 vigil status --json && total=$(json_get out "d[\"hosts\"][\"total\"]") &&
    run_expect 0 vigil host list --json &&
    check_eq "$total" "$(json_get out "len(d)")" "hosts in host list (status says $total)"
'
test_expect_success 'the same private address is allowed in two units' '
    run_expect 0 vigil host add pc-a --unit so-tttt --role workstation --ip 192.168.1.10 &&
    run_expect 0 vigil host add pc-b --unit ttdl --role workstation --ip 192.168.1.10 &&
    run_expect 0 vigil host show pc-a --unit so-tttt --json &&
    check_json out "d[\"addresses\"] == [{\"ip\": \"192.168.1.10\", \"public\": False}]" &&
    run_expect 0 vigil host show pc-b --unit ttdl --json &&
    check_json out "d[\"addresses\"] == [{\"ip\": \"192.168.1.10\", \"public\": False}]"
'
test_expect_success 'the same address for two hosts of one unit is refused' '
    store_dump before.sql &&
    run_expect 2 vigil host add pc-c --unit so-tttt --role workstation --ip 192.168.1.10 &&
    check_grep -F "192.168.1.10" err &&
    check_grep -F "pc-a" err &&
    check_store_unchanged before.sql
'
test_expect_success 'host show without --unit refuses a name two units have' '
    run_expect 0 vigil host add dup --unit so-tttt --role server &&
    run_expect 0 vigil host add dup --unit ttdl --role server &&
    run_expect 2 vigil host show dup &&
    check_grep -F "--unit" err &&
    run_expect 2 vigil host rm dup &&
    run_expect 0 vigil host show dup --unit ttdl
'
test_expect_success 'host rm removes the host from the list' '
    run_expect 0 vigil host rm WEB01 --unit so-tttt &&
    check_grep -F "removed host" out &&
    run_expect 0 vigil host list --json &&
    check_json out "(\"so-tttt\", \"web01\") not in [(o[\"unit\"], o[\"hostname\"]) for o in d]" &&
    run_expect 2 vigil host show web01 --unit so-tttt
'
test_expect_success 'the audit keeps the host rm with its actor' '
    audit_has host.rm host:so-tttt/web01
'

# ---- contacts and the escalation order -----------------------------------------------------

test_expect_success 'contact add, list and show' '
    run_expect 0 vigil contact add "Trần Thị Bình" --unit ttdl --role "Trưởng phòng" --phone "0900 000 002" --escalation 2 &&
    run_expect 0 vigil contact add "Trung tâm VNCERT" --role hotline --phone "1900 1234" --email ir@vncert.example --escalation 3 &&
    run_expect 0 vigil contact add "Nguyễn Văn An" --unit ttdl --role "Cán bộ trực" --phone "0900 000 001" --escalation 1 &&
    run_expect 0 vigil contact add "Lê Văn Cường" --unit so-tttt &&
    run_expect 0 vigil contact list --json &&
    check_json out "len(d) == 4" &&
    run_expect 0 vigil contact show "Trung tâm VNCERT" --json &&
    check_json out "d[\"email\"] == \"ir@vncert.example\" and d[\"escalation\"] == 3 and d[\"unit\"] is None"
'
test_expect_success 'contact add with a bad e-mail or phone exits 2' '
    run_expect 2 vigil contact add X --email not-an-address &&
    check_grep -F "not-an-address" err &&
    run_expect 2 vigil contact add X --phone abc &&
    run_expect 2 vigil contact add X --escalation many
'
test_expect_success 'contact list --escalation shows only the order, 1 first' '
    run_expect 0 vigil contact list --escalation --json &&
    check_json out "[(o[\"escalation\"], o[\"name\"]) for o in d] == [(1, \"Nguyễn Văn An\"), (2, \"Trần Thị Bình\"), (3, \"Trung tâm VNCERT\")]" &&
    run_expect 0 vigil contact list --escalation &&
    awk "NR > 1 { print \$1 }" out >order &&
    printf "1\n2\n3\n" >expect &&
    check_output expect order &&
    check_no_grep "Lê Văn Cường" out
'

# ---- netblocks ----------------------------------------------------------------------------

test_expect_success 'netblock add: ranges and a public address' '
    run_expect 0 vigil netblock add 10.20.0.0/16 --unit so-tttt &&
    run_expect 0 vigil netblock add 10.20.1.0/24 --unit so-tttt --note "DMZ" &&
    run_expect 0 vigil netblock add 113.160.1.10 --unit so-tttt --note "NAT văn phòng" &&
    run_expect 0 vigil netblock add 192.168.1.0/24 --unit ttdl &&
    run_expect 0 vigil netblock list --json &&
    check_json out "len(d) == 4" &&
    check_json out "[o[\"public\"] for o in d if o[\"prefix\"] == \"113.160.1.10/32\"] == [True]" &&
    check_json out "[o[\"public\"] for o in d if o[\"prefix\"] == \"10.20.0.0/16\"] == [False]"
'
test_expect_success 'netblock show ADDRESS finds the netblocks that contain it' '
    run_expect 0 vigil netblock show 10.20.1.7 --json &&
    check_json out "sorted(o[\"prefix\"] for o in d) == [\"10.20.0.0/16\", \"10.20.1.0/24\"]" &&
    run_expect 0 vigil netblock show 10.20.9.9 --json &&
    check_json out "[o[\"prefix\"] for o in d] == [\"10.20.0.0/16\"]" &&
    run_expect 0 vigil netblock show 113.160.1.10 &&
    check_grep "so-tttt +113\.160\.1\.10/32 +public" out
'
test_expect_success 'netblock show of an address in no netblock says so' '
    vigil netblock show 172.16.5.5 >out 2>err
    check_grep -F "172.16.5.5" err &&
    vigil netblock show 172.16.5.5 --json >out 2>/dev/null
    check_json out "d == []"
'
test_expect_success 'a netblock with host bits set is refused with a did-you-mean hint' '
    store_dump before.sql &&
    run_expect 2 vigil netblock add 10.30.1.5/16 --unit so-tttt &&
    check_grep -F "10.30.1.5/16" err &&
    check_grep -F "did you mean 10.30.0.0/16" err &&
    check_store_unchanged before.sql
'
test_expect_success 'netblock rm removes it and the audit keeps it' '
    run_expect 0 vigil netblock rm 10.20.1.0/24 --unit so-tttt &&
    run_expect 0 vigil netblock show 10.20.1.7 --json &&
    check_json out "[o[\"prefix\"] for o in d] == [\"10.20.0.0/16\"]" &&
    audit_has netblock.rm netblock:so-tttt/10.20.1.0/24
'

# ---- duty roster ---------------------------------------------------------------------------

FROM=$(date -d '-1 hour' '+%Y-%m-%d %H:%M')
TO=$(date -d '+1 hour' '+%Y-%m-%d %H:%M')
NEXT_FROM=$(date -d '+1 hour' '+%Y-%m-%d %H:%M')
NEXT_TO=$(date -d '+13 hours' '+%Y-%m-%d %H:%M')
test_expect_success 'duty add: a shift from an hour ago to an hour ahead, and the next one' '
    run_expect 0 vigil duty add "Nguyễn Văn An" --from "$FROM" --to "$TO" --note "ca ngày" &&
    check_grep -F "Nguyễn Văn An from $FROM to $TO" out &&
    run_expect 0 vigil duty add "Trần Thị Bình" --from "$NEXT_FROM" --to "$NEXT_TO"
'
test_expect_success 'duty now shows the person whose shift covers now' '
    run_expect 0 vigil duty now &&
    sed -n "/^On duty now/,/^Next shift/{/^Next shift/!p}" out >on-duty &&
    check_grep -F "Nguyễn Văn An" on-duty &&
    check_grep -F "0900 000 001" on-duty &&
    check_no_grep -F "Trần Thị Bình" on-duty &&
    check_grep "^Next shift from .*Trần Thị Bình" out
'
test_expect_success 'duty now --json: on_duty has that contact, next the next one' '
    run_expect 0 vigil duty now --json &&
    check_json out "[o[\"contact\"] for o in d[\"on_duty\"]] == [\"Nguyễn Văn An\"]" &&
    check_json out "d[\"on_duty\"][0][\"phone\"] == \"0900 000 001\" and d[\"on_duty\"][0][\"note\"] == \"ca ngày\"" &&
    check_json out "[o[\"contact\"] for o in d[\"next\"]] == [\"Trần Thị Bình\"]" &&
    check_json out "[o[\"name\"] for o in d[\"escalation\"]] == [\"Nguyễn Văn An\", \"Trần Thị Bình\", \"Trung tâm VNCERT\"]"
'
test_expect_success 'duty times are local (TZ=Asia/Ho_Chi_Minh, UTC+7) and JSON is UTC' '
    run_expect 0 vigil duty add "Lê Văn Cường" --from "2030-01-01 08:00" --to "2030-01-01 20:00" --json &&
    check_json out "d[\"from\"] == \"2030-01-01T01:00:00Z\" and d[\"to\"] == \"2030-01-01T13:00:00Z\"" &&
    far_id=$(json_get out "d[\"id\"]") &&
    run_expect 0 vigil duty add "Lê Văn Cường" --from "2030-01-02T08:00:00+07:00" --to "2030-01-02T20:00:00Z" --json &&
    check_json out "d[\"from\"] == \"2030-01-02T01:00:00Z\" and d[\"to\"] == \"2030-01-02T20:00:00Z\""
'
test_expect_success 'duty add refuses a shift that ends before it starts, or an unknown contact' '
    store_dump before.sql &&
    run_expect 2 vigil duty add "Lê Văn Cường" --from "2030-01-01 08:00" --to "2030-01-01 07:00" &&
    run_expect 2 vigil duty add "Nobody" --from "2030-01-01 08:00" --to "2030-01-01 20:00" &&
    check_grep -F "Nobody" err &&
    run_expect 2 vigil duty add "Lê Văn Cường" --from "tomorrow" --to "2030-01-01 20:00" &&
    check_grep -F "tomorrow" err &&
    check_store_unchanged before.sql
'
test_expect_success 'duty list shows current and coming shifts; --all the far ones too' '
    run_expect 0 vigil duty list --json &&
    check_json out "[o[\"contact\"] for o in d] == [\"Nguyễn Văn An\", \"Trần Thị Bình\"]" &&
    run_expect 0 vigil duty list --all --json &&
    check_json out "len(d) == 4"
'
test_expect_success 'duty rm removes a shift and the audit keeps it' '
    run_expect 0 vigil duty rm "$far_id" &&
    run_expect 0 vigil duty list --all --json &&
    check_json out "$far_id not in [o[\"id\"] for o in d]" &&
    audit_has duty.rm "duty:$far_id" &&
    run_expect 2 vigil duty rm "$far_id"
'

# ---- contact rm --------------------------------------------------------------------------------

test_expect_success 'contact rm removes a contact from the lists and the audit keeps it' '
    run_expect 0 vigil contact rm "Trung tâm VNCERT" &&
    run_expect 0 vigil contact list --json &&
    check_json out "\"Trung tâm VNCERT\" not in [o[\"name\"] for o in d]" &&
    run_expect 0 vigil contact list --escalation --json &&
    check_json out "[o[\"name\"] for o in d] == [\"Nguyễn Văn An\", \"Trần Thị Bình\"]" &&
    audit_has contact.rm "contact:Trung tâm VNCERT"
'
test_expect_success 'a removed contact is not shown as on duty (or the rm is refused)' '
    vigil contact rm "Nguyễn Văn An" >out 2>err
    rc=$? &&
    run_expect 0 vigil duty now --json &&
    if [ "$rc" -eq 0 ]; then
        check_json out "\"Nguyễn Văn An\" not in [o[\"contact\"] for o in d[\"on_duty\"]]"
    else
        check_eq 2 "$rc" "exit code of a refused contact rm"
    fi
'

test_done
