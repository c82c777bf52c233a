#!/usr/bin/env bash
# t0007-config: where the store is (--db beats VIGIL_DB beats `db =` in the
# config file beats the default), which config file is read (--config beats
# VIGIL_CONF beats /etc/vigil/vigil.conf), config errors (exit 2, file:line),
# unknown settings (a warning), the time zone setting and flag, and stores
# that are not vigil's.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

# One store per place the location can come from, each holding a unit named
# after that place, so `unit list` tells which store was opened.
test_expect_success 'setup: a store for each source of the location' '
    for src in flag env conf conf2; do
        vigil -q --db "$TRASH/$src.db" init &&
        vigil -q --db "$TRASH/$src.db" unit add "from-$src" || return 1
    done &&
    printf "%s\n" "# the store" "db = $TRASH/conf.db" >conf.conf &&
    printf "%s\n" "db = $TRASH/conf2.db" >conf2.conf
'

# opened: the unit list names the store that was opened.
opened() {
    run_expect 0 "$@" unit list --json &&
    json_get out "d[0][\"name\"]"
}

test_expect_success '--db beats VIGIL_DB and the config file' '
    check_eq from-flag "$(VIGIL_DB="$TRASH/env.db" VIGIL_CONF=conf.conf opened vigil --db "$TRASH/flag.db")" "store opened"
'
test_expect_success 'VIGIL_DB beats the config file' '
    check_eq from-env "$(VIGIL_DB="$TRASH/env.db" VIGIL_CONF=conf.conf opened vigil)" "store opened"
'
test_expect_success '`db =` in the config file (VIGIL_CONF) beats the default' '
    check_eq from-conf "$(unset VIGIL_DB; VIGIL_CONF=conf.conf opened vigil)" "store opened"
'
test_expect_success 'an empty VIGIL_DB counts as unset' '
    check_eq from-conf "$(VIGIL_DB= VIGIL_CONF=conf.conf opened vigil)" "store opened"
'
test_expect_success '--config beats VIGIL_CONF' '
    check_eq from-conf2 "$(unset VIGIL_DB; VIGIL_CONF=conf.conf opened vigil --config conf2.conf)" "store opened" &&
    check_eq from-conf2 "$(unset VIGIL_DB; VIGIL_CONF=conf.conf opened vigil --config=conf2.conf)" "store opened"
'
test_expect_success '--db and --config after the command name work the same' '
    run_expect 0 env VIGIL_DB="$TRASH/env.db" "$VIGIL" unit list --json --db "$TRASH/flag.db" &&
    check_json out "d[0][\"name\"] == \"from-flag\"" &&
    run_expect 0 env -u VIGIL_DB "$VIGIL" unit list --json --config conf2.conf &&
    check_json out "d[0][\"name\"] == \"from-conf2\""
'
test_expect_success 'a quoted db value keeps its spaces' '
    printf "db = \"%s\"\n" "$TRASH/with space.db" >quoted.conf &&
    run_expect 0 env -u VIGIL_DB VIGIL_CONF=quoted.conf "$VIGIL" init &&
    test -s "$TRASH/with space.db"
'

# ---- the default location ---------------------------------------------------------

# as_user CMD...: run CMD as an ordinary user (nobody when we are root).
as_user() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    else
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    fi
}

test_expect_success 'default for root: /var/lib/vigil/vigil.db (looked up, not created)' '
    if [ "$(id -u)" -ne 0 ]; then
        say "not root: nothing to check here"
    elif [ -e /var/lib/vigil/vigil.db ]; then
        say "/var/lib/vigil/vigil.db exists on this machine: not touching it"
    else
        run_expect 2 env -u VIGIL_DB "$VIGIL" status &&
        check_grep -F "no store at '"'"'/var/lib/vigil/vigil.db'"'"'" err &&
        test ! -e /var/lib/vigil/vigil.db
    fi
'
# user_init HOME XDG_DATA_HOME: `vigil init` as an ordinary user, with no
# VIGIL_DB and an empty config; XDG_DATA_HOME "-" leaves it unset.
user_init() {
    local xdg=(XDG_DATA_HOME="$2")
    [ "$2" = - ] && xdg=(-u XDG_DATA_HOME)
    as_user env -u VIGIL_DB "${xdg[@]}" HOME="$1" VIGIL_CONF=/dev/null "$VIGIL" init >out 2>err ||
        { say "vigil init as $(as_user id -un) failed:"; cat err; return 1; }
}
test_expect_success 'default for other users: $XDG_DATA_HOME/vigil/vigil.db, else ~/.local/share' '
    if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
        say "root without setpriv: cannot run as another user; skipped"
    else
        home=$(mktemp -d /tmp/vigil-e2e-home.XXXXXX) &&
        chmod 777 "$home" &&
        (
            cd "$home" &&
            user_init "$home/h" "$home/xdg" &&
            test -s "$home/xdg/vigil/vigil.db" &&
            check_grep -F "$home/xdg/vigil/vigil.db" out &&
            user_init "$home/h" - &&
            test -s "$home/h/.local/share/vigil/vigil.db" &&
            user_init "$home/h2" relative/path &&
            test -s "$home/h2/.local/share/vigil/vigil.db" &&
            test ! -e relative
        )
        rc=$?
        rm -rf "$home"
        return $rc
    fi
'
test_expect_success 'with no config file at all (none given, none installed) vigil works' '
    if [ -e /etc/vigil/vigil.conf ]; then
        say "/etc/vigil/vigil.conf exists on this machine: skipped"
    else
        run_expect 0 env -u VIGIL_CONF "$VIGIL" unit list --db "$TRASH/flag.db"
    fi
'

# ---- config errors ----------------------------------------------------------------

test_expect_success 'a config file with a syntax error exits 2 naming file:line' '
    printf "%s\n" "# vigil.conf" "db = $TRASH/conf.db" "this line is wrong" "log_level = warn" >bad.conf &&
    run_expect 2 env VIGIL_CONF=bad.conf "$VIGIL" status &&
    check_grep -F "vigil: error: bad.conf:3: " err &&
    check_empty out
'
test_expect_success 'a bad section header exits 2 naming file:line' '
    printf "%s\n" "db = $TRASH/conf.db" "" "[store" >bad2.conf &&
    run_expect 2 vigil --config bad2.conf unit list &&
    check_grep -F "bad2.conf:3: " err
'
test_expect_success 'a bad value exits 2 naming file:line' '
    printf "%s\n" "db = $TRASH/conf.db" "log_level = loud" >bad3.conf &&
    run_expect 2 vigil --config bad3.conf unit list &&
    check_grep -F "bad3.conf:2: " err &&
    check_grep -F "loud" err
'
test_expect_success 'a config file that is not UTF-8 exits 2 naming the file' '
    printf "db = /tmp/caf\351.db\n" >latin1.conf &&
    run_expect 2 vigil --config latin1.conf unit list &&
    check_grep -F "latin1.conf" err
'
test_expect_success 'a config file that does not exist, when named, exits 2' '
    run_expect 2 vigil --config no-such.conf unit list &&
    check_grep -F "no-such.conf" err &&
    run_expect 2 env VIGIL_CONF=no-such.conf "$VIGIL" unit list &&
    check_grep -F "no-such.conf" err
'
test_expect_success 'an unknown setting warns (file:line) but works' '
    printf "%s\n" "db = $TRASH/conf.db" "colour = blue" >unknown.conf &&
    run_expect 0 env -u VIGIL_DB VIGIL_CONF=unknown.conf "$VIGIL" unit list --json &&
    check_json out "d[0][\"name\"] == \"from-conf\"" &&
    check_grep -F "unknown.conf:2: unknown setting '"'"'colour'"'"'" err &&
    check_grep "warning" err
'
test_expect_success 'the installed etc/vigil.conf parses without warnings' '
    sed "s|^db = .*|db = $TRASH/conf.db|" "$VG_SRC/etc/vigil.conf" >installed.conf &&
    run_expect 0 env -u VIGIL_DB "$VIGIL" --config installed.conf unit list --json &&
    check_json out "d[0][\"name\"] == \"from-conf\"" &&
    check_empty err
'

# ---- time zone: TZ / --timezone / timezone = ----------------------------------------

# shift_from ARGS...: the UTC start of a shift typed as 2030-01-01 08:00.
shift_from() {
    "$@" --db "$TRASH/flag.db" duty add tz-probe --from "2030-01-01 08:00" --to "2030-01-01 09:00" --json |
        python3 -c "import json, sys; print(json.load(sys.stdin)[\"from\"])"
}
test_expect_success 'setup: a contact for time zone probes' '
    vigil -q --db "$TRASH/flag.db" contact add tz-probe
'
test_expect_success 'times typed are local to TZ (Asia/Ho_Chi_Minh: UTC+7)' '
    check_eq 2030-01-01T01:00:00Z "$(shift_from vigil)" "shift start"
'
test_expect_success '--timezone beats TZ' '
    check_eq 2030-01-01T08:00:00Z "$(shift_from vigil --timezone UTC)" "shift start" &&
    check_eq 2029-12-31T23:00:00Z "$(shift_from vigil --timezone Asia/Tokyo)" "shift start"
'
test_expect_success '`timezone =` in the config file applies when TZ is unset' '
    printf "%s\n" "timezone = Asia/Tokyo" >tz.conf &&
    check_eq 2029-12-31T23:00:00Z "$(shift_from env -u TZ VIGIL_CONF=tz.conf "$VIGIL")" "shift start" &&
    check_eq 2030-01-01T01:00:00Z "$(shift_from env VIGIL_CONF=tz.conf "$VIGIL")" "shift start (TZ set)"
'

# ---- stores that are not vigil's ----------------------------------------------------

test_expect_success '--db naming a folder exits 2 and says so' '
    mkdir -p adir &&
    run_expect 2 vigil --db adir status &&
    check_grep -F "adir" err
'
test_expect_success '--db naming a file that is not a store: exit 2, file untouched' '
    printf "not a database, just a file someone cares about\n" >precious.txt &&
    cp precious.txt precious.orig &&
    run_expect 2 vigil --db precious.txt status &&
    run_expect 2 vigil --db precious.txt init &&
    check_output precious.orig precious.txt &&
    test ! -e precious.txt-wal
'
test_expect_success '--db naming a file that is not a store: the message names it' '
    run_expect 2 vigil --db precious.txt status &&
    check_grep -F "precious.txt" err
'

test_done
