#!/usr/bin/env bash
# t0001-basics: help, unknown commands, init, where global options may
# stand, and the shape of --json and --csv output of every list command
# (docs/json.md).
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

# ---- help -----------------------------------------------------------------

test_expect_code 0 'vigil help exits 0' vigil help
test_expect_success 'vigil help shows the usage and lists every command' '
    check_grep "^usage: vigil " out &&
    for c in init status unit system host contact netblock duty audit help version; do
        check_grep "^  $c " out || return 1
    done &&
    check_empty err
'
test_expect_code 0 'vigil help host exits 0' vigil help host
test_expect_success 'vigil help host shows the usage of host' '
    check_grep "^usage: vigil host add HOSTNAME" out &&
    check_grep "vigil host import FILE.csv" out &&
    check_grep "--skip-bad" out &&
    cp out help-host.txt
'
test_expect_code 0 'vigil host -h exits 0' vigil host -h
test_expect_success 'vigil host -h prints what vigil help host prints' '
    check_output help-host.txt out
'
test_expect_success 'vigil host import -h and vigil help for every command exit 0' '
    run_expect 0 vigil host import -h && check_output help-host.txt out &&
    for c in init status unit system host contact netblock duty audit; do
        run_expect 0 vigil help "$c" && check_grep "^usage: vigil $c" out || return 1
        run_expect 0 vigil "$c" --help && check_grep "^usage: vigil $c" out || return 1
    done
'
test_expect_success 'vigil with no command exits 2 with the usage on stderr' '
    run_expect 2 vigil &&
    check_empty out &&
    check_grep "^usage: vigil " err
'
test_expect_success 'vigil version prints the version' '
    run_expect 0 vigil version &&
    check_grep "^vigil [0-9]+\.[0-9]+\.[0-9]+" out
'

# ---- unknown commands -------------------------------------------------------

test_expect_code 2 'an unknown command exits 2' vigil frobnicate
test_expect_success 'an unknown command says so on stderr, nothing on stdout' '
    check_empty out &&
    check_grep -F "vigil: error: '"'"'frobnicate'"'"' is not a vigil command" err &&
    check_grep -F "vigil help" err
'
test_expect_success 'vigil help on an unknown command exits 2' '
    run_expect 2 vigil help frobnicate &&
    check_grep -F "frobnicate" err
'

# ---- the store ----------------------------------------------------------------

test_expect_code 2 'status before init exits 2' vigil status
test_expect_success 'status before init says to run vigil init, and creates nothing' '
    check_grep -F "vigil init" err &&
    check_grep -F "$VIGIL_DB" err &&
    test ! -e "$VIGIL_DB"
'
test_expect_success 'a list command before init exits 2 too' '
    run_expect 2 vigil host list &&
    check_grep -F "vigil init" err &&
    test ! -e "$VIGIL_DB"
'
test_expect_success 'init creates the store' '
    run_expect 0 vigil init &&
    check_grep -F "created store at $VIGIL_DB" out &&
    test -s "$VIGIL_DB"
'
test_expect_success 'init twice is fine and says the store is ready' '
    store_dump before.sql &&
    run_expect 0 vigil init &&
    check_grep -F "ready: store at $VIGIL_DB" out &&
    run_expect 0 vigil init --json &&
    check_json out "d[\"created\"] is False and d[\"path\"] == \"$VIGIL_DB\" and isinstance(d[\"schema\"], int)" &&
    check_store_unchanged before.sql
'
test_expect_code 0 'status after init exits 0' vigil status

# ---- global options before and after the command ----------------------------

test_expect_success '--db before the command name' '
    run_expect 0 vigil --db "$TRASH/before.db" init &&
    test -s "$TRASH/before.db" &&
    run_expect 0 vigil --db "$TRASH/before.db" unit add only-in-before &&
    run_expect 0 vigil --db "$TRASH/before.db" unit list &&
    check_grep "^only-in-before" out
'
test_expect_success '--db after the command name' '
    run_expect 0 vigil init --db "$TRASH/after.db" &&
    test -s "$TRASH/after.db" &&
    run_expect 0 vigil unit add only-in-after --db "$TRASH/after.db" &&
    run_expect 0 vigil unit list --db "$TRASH/after.db" &&
    check_grep "^only-in-after" out &&
    check_no_grep "only-in-before" out
'
test_expect_success '--db=PATH form, and VIGIL_DB was not touched' '
    run_expect 0 vigil unit list --db="$TRASH/before.db" &&
    check_grep "^only-in-before" out &&
    run_expect 0 vigil unit list &&
    check_no_grep "only-in-" out
'
test_expect_success '--json before and after the command name give the same document' '
    run_expect 0 vigil --json --db "$TRASH/before.db" unit list && cp out j1 &&
    run_expect 0 vigil unit list --db "$TRASH/before.db" --json && cp out j2 &&
    check_output j1 j2 &&
    check_json j1 "d[0][\"name\"] == \"only-in-before\""
'

# ---- --json of every list command ----------------------------------------------

FROM=$(date -d '-1 hour' '+%Y-%m-%d %H:%M')
TO=$(date -d '+1 hour' '+%Y-%m-%d %H:%M')
test_expect_success 'fill the store with one of everything' '
    vigil -q unit add so-tttt --full-name "Sở Thông tin và Truyền thông" &&
    vigil -q unit add ttdl --parent so-tttt --note "trực 24/7" &&
    vigil -q unit add evil --full-name "=HYPERLINK(\"http://x.example\",\"y\")" &&
    vigil -q system add "Cổng dịch vụ công" --unit so-tttt --level 3 &&
    vigil -q contact add "Nguyễn Văn An" --unit ttdl --role "Cán bộ trực" \
        --phone "+84 912 345 678" --email an@ttdl.example.vn --escalation 1 &&
    vigil -q host add WEB01 --unit so-tttt --role server --os "Debian 12" \
        --ip 10.2.0.10 --ip 2001:DB8::10 --system "Cổng dịch vụ công" --owner "Nguyễn Văn An" &&
    vigil -q host add pc01 --unit ttdl --role workstation &&
    vigil -q netblock add 10.2.0.0/16 --unit so-tttt &&
    vigil -q duty add "Nguyễn Văn An" --from "$FROM" --to "$TO"
'

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
# check_list_json 'cmd args' 'key key...': the command's --json is one array
# of objects that all have (at least) these keys.
check_list_json() {
    local cmd=$1 keys=$2
    # shellcheck disable=SC2086
    run_expect 0 vigil $cmd --json || return 1
    check_json_valid out || return 1
    check_json out "isinstance(d, list) and len(d) > 0 and all(isinstance(o, dict) for o in d)" &&
    check_json out "all(set(\"$keys\".split()) <= set(o) for o in d)"
}

test_expect_success 'unit list --json: an array with the documented keys' '
    check_list_json "unit list" "id name full_name parent note created_at updated_at" &&
    check_json out "[o[\"name\"] for o in d] == [\"evil\", \"so-tttt\", \"ttdl\"]" &&
    check_json out "all(o[\"note\"] is None for o in d if o[\"name\"] == \"so-tttt\")" &&
    check_json out "all(re.match(r\"$RFC3339\", o[k]) for o in d for k in (\"created_at\", \"updated_at\"))"
'
test_expect_success 'system list --json: an array with the documented keys' '
    check_list_json "system list" "id unit name level description hosts" &&
    check_json out "d[0][\"level\"] == 3 and d[0][\"hosts\"] == 1 and d[0][\"description\"] is None"
'
test_expect_success 'host list --json: an array with the documented keys' '
    check_list_json "host list" "id unit hostname role os os_release level addresses systems owner note created_at updated_at"
'
test_expect_success 'host list --json: nested addresses and systems, canonical values' '
    run_expect 0 vigil host list --json --unit so-tttt &&
    check_json out "d[0][\"hostname\"] == \"web01\" and d[0][\"os\"] == \"debian\" and d[0][\"os_release\"] == \"12\"" &&
    check_json out "d[0][\"addresses\"] == [{\"ip\": \"10.2.0.10\", \"public\": False}, {\"ip\": \"2001:db8::10\", \"public\": False}]" &&
    check_json out "d[0][\"systems\"] == [{\"name\": \"Cổng dịch vụ công\", \"level\": 3}]" &&
    check_json out "d[0][\"level\"] == 3 and d[0][\"owner\"] == \"Nguyễn Văn An\" and d[0][\"note\"] is None"
'
test_expect_success 'contact list --json: an array with the documented keys' '
    check_list_json "contact list" "id name unit role phone email escalation note"
'
test_expect_success 'netblock list --json: an array with the documented keys' '
    check_list_json "netblock list" "id unit prefix public note" &&
    check_json out "d[0][\"prefix\"] == \"10.2.0.0/16\" and d[0][\"public\"] is False"
'
test_expect_success 'netblock show --json: an array with the documented keys' '
    check_list_json "netblock show 10.2.3.4" "id unit prefix public note"
'
test_expect_success 'duty list --json: an array with the documented keys' '
    check_list_json "duty list" "id contact role unit phone from to note" &&
    check_json out "re.match(r\"$RFC3339\", d[0][\"from\"])"
'
test_expect_success 'audit --json: an array with the documented keys, detail an object or null' '
    check_list_json "audit" "id at actor action object detail" &&
    check_json out "all(o[\"detail\"] is None or isinstance(o[\"detail\"], dict) for o in d)" &&
    check_json out "all(o[\"actor\"] == \"$VG_ACTOR\" for o in d)"
'
test_expect_success 'status --json: the documented keys' '
    run_expect 0 vigil status --json &&
    check_json out "set(\"store schema units systems hosts addresses public_addresses netblocks contacts duty\".split()) <= set(d)" &&
    check_json out "d[\"units\"] == 3 and d[\"systems\"][\"total\"] == 1 and d[\"hosts\"][\"total\"] == 2" &&
    check_json out "set(d[\"systems\"][\"by_level\"]) == set(\"54321\") and set(d[\"hosts\"][\"by_level\"]) == set(\"54321\") | {\"none\"}" &&
    check_json out "d[\"hosts\"][\"servers\"] == 1 and d[\"hosts\"][\"workstations\"] == 1 and d[\"hosts\"][\"by_level\"][\"3\"] == 1 and d[\"hosts\"][\"by_level\"][\"none\"] == 1" &&
    check_json out "set(\"at on_duty next escalation\".split()) <= set(d[\"duty\"])"
'
test_expect_success 'duty now --json: the documented keys' '
    run_expect 0 vigil duty now --json &&
    check_json out "set(\"at on_duty next escalation\".split()) <= set(d)" &&
    check_json out "set(\"name escalation role unit phone email\".split()) <= set(d[\"escalation\"][0])"
'
test_expect_success 'an empty list is [] (JSON), not nothing' '
    run_expect 0 vigil host list --json --unit evil &&
    check_json out "d == []"
'

# ---- --csv -----------------------------------------------------------------------

# check_csv 'cmd args' 'header,cells': the command's --csv parses as CSV
# whose header row is the one given.
check_csv() {
    # shellcheck disable=SC2086
    run_expect 0 vigil $1 --csv || return 1
    python3 - "$TRASH/out" "$2" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
want = sys.argv[2].split(",")
if not rows or rows[0] != want:
    print("expected header %r, got %r" % (want, rows[0] if rows else None))
    sys.exit(1)
if any(len(r) != len(want) for r in rows):
    print("rows of unequal length: %r" % rows)
    sys.exit(1)
EOF
}

test_expect_success 'unit list --csv is CSV with a header row' '
    check_csv "unit list" "name,parent,full name" &&
    check_grep -F "so-tttt,,Sở Thông tin và Truyền thông" out
'
test_expect_success '--csv defuses a cell a spreadsheet would run as a formula' '
    run_expect 0 vigil unit list --csv &&
    python3 -c "
import csv, sys
rows = list(csv.reader(open(\"out\", encoding=\"utf-8\", newline=\"\")))
cell = [r for r in rows if r[0] == \"evil\"][0][2]
if cell.startswith((\"=\", \"+\", \"-\", \"@\")):
    sys.exit(\"formula cell not defused: %r\" % cell)
" &&
    run_expect 0 vigil contact list --csv &&
    check_no_grep ",\+84 912" out
'
test_expect_success 'host, system, contact, netblock, duty, audit lists take --csv' '
    check_csv "host list" "level,unit,hostname,role,os,addresses,systems" &&
    check_grep -F "3,so-tttt,web01,server,debian 12,10.2.0.10 2001:db8::10,Cổng dịch vụ công" out &&
    check_csv "system list" "level,unit,system,hosts" &&
    check_csv "contact list" "esc,name,role,unit,phone,email" &&
    check_csv "netblock list" "unit,prefix,type,note" &&
    check_grep -F "so-tttt,10.2.0.0/16,private," out &&
    run_expect 0 vigil duty list --csv && check_grep -F "Nguyễn Văn An" out &&
    check_csv "audit" "id,at,actor,action,object,detail"
'

# ---- --json and --csv together ---------------------------------------------------------

test_expect_code 2 '--json --csv together exit 2' vigil --json --csv unit list
test_expect_success '--json --csv together say why, print nothing on stdout' '
    check_empty out &&
    check_grep -F "--json and --csv" err &&
    run_expect 2 vigil unit list --csv --json &&
    check_empty out
'

# ---- bad options and subcommands -------------------------------------------------------

test_expect_success 'an unknown subcommand exits 2 and points to the help' '
    run_expect 2 vigil host frob &&
    check_grep -F "frob" err &&
    check_grep -F "vigil help host" err
'
test_expect_success 'an unknown option exits 2 and names it' '
    run_expect 2 vigil host list --bogus &&
    check_grep -F "--bogus" err
'
test_expect_success 'an option without its value exits 2' '
    run_expect 2 vigil host add x --unit &&
    check_grep -F "--unit" err &&
    run_expect 2 vigil --db &&
    check_grep -F "--db" err
'
test_expect_success '-q silences add, not errors' '
    run_expect 0 vigil -q unit add quiet-unit &&
    check_empty out && check_empty err &&
    run_expect 2 vigil -q unit add quiet-unit &&
    check_grep -F "quiet-unit" err
'

test_done
