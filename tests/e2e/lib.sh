# shellcheck shell=bash disable=SC2034  # variables here are used by the test scripts
# lib.sh - a small framework for vigil's end-to-end tests, in the spirit of
# git's t/test-lib.sh. A test script sources it, runs test_* helpers and ends
# with test_done:
#
#     . "$(dirname "$0")/lib.sh"
#     test_expect_success 'init creates the store' '
#         vigil init >out &&
#         check_grep "created store" out
#     '
#     test_expect_code 2 'status needs a store' vigil --db nowhere.db status
#     test_done
#
# Environment (ctest sets the first three; see CMakeLists.txt):
#   VIGIL     the vigil binary (default: $VG_BUILD/vigil)
#   VG_SRC    the source tree (default: two folders above this file)
#   VG_BUILD  the build tree (default: $VG_SRC/build)
#   VG_KEEP_TMP=1   keep the scratch folder even when every test passed
#   VG_VERBOSE=1    show the output of passing tests too
#
# Each script gets a fresh scratch folder ($TRASH, also the working
# directory) with its own store (VIGIL_DB) and an empty config file
# (VIGIL_CONF), so neither /etc/vigil/vigil.conf nor the user's store ever
# matters, and TZ=Asia/Ho_Chi_Minh so that local times are known.
#
# Test bodies run in the script's own shell (variables they set are seen by
# later tests); chain commands with && so the first failure fails the test;
# `return N` ends a body with status N.
# Helpers that check something print what was expected and what came, and
# return non-zero.

set -u

VG_SRC=${VG_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
VG_BUILD=${VG_BUILD:-$VG_SRC/build}
VIGIL=${VIGIL:-$VG_BUILD/vigil}
VG_DATA=$VG_SRC/tests/data
export VG_SRC VG_BUILD VIGIL VG_DATA

if [ ! -x "$VIGIL" ]; then
    echo "error: no vigil binary at '$VIGIL' (build it, or set VIGIL)" >&2
    exit 2
fi
for _tool in python3 sqlite3; do
    command -v "$_tool" >/dev/null || { echo "error: $_tool is needed by the e2e tests" >&2; exit 2; }
done

test_script=$(basename "$0" .sh)
mkdir -p "$VG_BUILD/tmp" 2>/dev/null
TRASH=$(mktemp -d "$VG_BUILD/tmp/e2e-$test_script.XXXXXX" 2>/dev/null || mktemp -d)
TRASH=$(cd "$TRASH" && pwd)
export TRASH

# The environment every vigil run sees.
: >"$TRASH/empty.conf"
export VIGIL_DB="$TRASH/vigil.db"
export VIGIL_CONF="$TRASH/empty.conf"
export TZ=Asia/Ho_Chi_Minh
export HOME="$TRASH/home"
export XDG_DATA_HOME="$TRASH/home/.local/share"
export LC_ALL=C.UTF-8
unset SUDO_USER
mkdir -p "$HOME"
cd "$TRASH" || exit 2

# The account vigil records as the actor of a change (cli/main.c: set_actor).
VG_ACTOR=$(id -un)

test_count=0
test_passed=0
test_failed=0
test_failures=""
test_done_called=

_test_on_exit() {
    local rc=$?
    if [ -z "$test_done_called" ]; then
        echo "FATAL: $test_script ended before test_done (exit $rc): an unset variable or an" \
             "'exit' in a test body? scratch folder kept: $TRASH" >&2
        echo "$test_passed passed, $((test_failed + 1)) failed"
        exit 1
    fi
}
trap _test_on_exit EXIT

say() { printf '%s\n' "$*"; }

# Run vigil (the binary under test).
vigil() { "$VIGIL" "$@"; }

# _eval_body BODY: a function of its own, so that `return` in a body ends the
# body (as in git's test-lib), not the framework.
_eval_body() {
    eval "$1"
}

# _run_body TITLE BODY: eval BODY with its output in a log; pass or fail.
_run_body() {
    local title=$1 body=$2 log rc here
    test_count=$((test_count + 1))
    log="$TRASH/.log.$test_count"
    here=$PWD
    _eval_body "$body" >"$log" 2>&1 </dev/null
    rc=$?
    cd "$here" || cd "$TRASH" || exit 2
    if [ "$rc" -eq 0 ]; then
        test_passed=$((test_passed + 1))
        say "ok $test_count - $title"
        if [ -n "${VG_VERBOSE:-}" ] && [ -s "$log" ]; then
            sed 's/^/    /' "$log"
        fi
    else
        test_failed=$((test_failed + 1))
        test_failures="$test_failures $test_count"
        say "not ok $test_count - $title"
        say "    (the test body returned $rc; its output follows)"
        # Long outputs (a 10 MB line...) are cut to keep the report readable.
        head -c 6000 "$log" | sed 's/^/    /'
        [ "$(wc -c <"$log")" -gt 6000 ] && say "    ... (output cut; full log: $log)"
    fi
    return 0
}

# test_expect_success 'title' 'commands': the commands must all succeed.
test_expect_success() {
    if [ $# -ne 2 ]; then
        echo "error: test_expect_success takes a title and a body" >&2
        exit 2
    fi
    _run_body "$1" "$2"
}

# test_expect_code N 'title' cmd [args...]: cmd must exit with N. Its stdout
# and stderr are left in $TRASH/out and $TRASH/err for the tests that follow.
test_expect_code() {
    local code=$1 title=$2
    shift 2
    _vg_cmd=("$@")
    _run_body "$title" "run_expect $code \"\${_vg_cmd[@]}\""
}

# Inside a body: run_expect N cmd [args...] runs cmd with stdout in out and
# stderr in err (in $TRASH) and checks its exit code is N.
run_expect() {
    local want=$1 got
    shift
    "$@" >"$TRASH/out" 2>"$TRASH/err"
    got=$?
    if [ "$got" != "$want" ]; then
        say "command:  $*"
        say "expected: exit code $want"
        say "got:      exit code $got"
        _show_file stdout "$TRASH/out"
        _show_file stderr "$TRASH/err"
        return 1
    fi
    return 0
}

_show_file() {
    local what=$1 f=$2
    if [ ! -e "$f" ]; then
        say "($what: no file '$f')"
    elif [ ! -s "$f" ]; then
        say "($what was empty)"
    else
        say "--- $what:"
        head -c 3000 "$f"
        [ "$(wc -c <"$f")" -gt 3000 ] && say "... (cut)"
        say "---"
    fi
}

# check_eq EXPECTED ACTUAL [WHAT]
check_eq() {
    if [ "$1" != "$2" ]; then
        say "${3:-value}: expected '$1'"
        say "${3:-value}: got      '$2'"
        return 1
    fi
}

# check_output EXPECTED_FILE ACTUAL_FILE: the files must be equal (diff -u).
check_output() {
    if ! cmp -s "$1" "$2"; then
        say "expected (-) and got (+) differ:"
        diff -u "$1" "$2" | head -c 4000
        return 1
    fi
}

# check_grep [-F] PATTERN FILE: FILE must contain a line matching PATTERN
# (an extended regex, or a fixed string with -F).
check_grep() {
    local opt=-E
    [ "$1" = -F ] && { opt=-F; shift; }
    if ! grep -q $opt -e "$1" "$2"; then
        say "expected a line matching '$1' in $(basename -- "$2")"
        _show_file "$(basename -- "$2")" "$2"
        return 1
    fi
}

# check_no_grep [-F] PATTERN FILE: no line of FILE may match PATTERN.
check_no_grep() {
    local opt=-E
    [ "$1" = -F ] && { opt=-F; shift; }
    if grep -q $opt -e "$1" "$2"; then
        say "expected no line matching '$1' in $(basename -- "$2"), got:"
        grep $opt -e "$1" "$2" | head -c 2000
        return 1
    fi
}

# check_empty FILE
check_empty() {
    if [ -s "$1" ]; then
        say "expected $(basename -- "$1") to be empty"
        _show_file "$(basename -- "$1")" "$1"
        return 1
    fi
}

# check_json FILE 'PYTHON EXPRESSION': FILE must parse as JSON (d) and the
# expression must be true; on failure, prints the expression and the value.
check_json() {
    python3 - "$1" "$2" <<'EOF'
import json, re, sys
path, expr = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
except Exception as e:
    print("%s is not JSON: %s" % (path, e))
    print(open(path, encoding="utf-8", errors="replace").read()[:2000])
    sys.exit(1)
try:
    ok = eval(expr, {"json": json, "re": re, "d": d})
except Exception as e:
    print("expression: %s\nraised: %r" % (expr, e))
    ok = False
if not ok:
    print("expected true: %s" % expr)
    print("in: " + json.dumps(d, ensure_ascii=False, indent=1)[:3000])
    sys.exit(1)
EOF
}

# json_get FILE 'PYTHON EXPRESSION': print the expression's value (strings
# bare, everything else as JSON).
json_get() {
    python3 - "$1" "$2" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2], {"json": json, "re": re, "d": d})
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
EOF
}

# check_json_valid FILE: FILE parses as one JSON document.
check_json_valid() {
    if ! python3 -m json.tool "$1" >/dev/null 2>"$TRASH/.json-err"; then
        say "$(basename -- "$1") is not valid JSON: $(cat "$TRASH/.json-err")"
        _show_file "$(basename -- "$1")" "$1"
        return 1
    fi
}

# store_dump FILE: the whole store as SQL text (sqlite3 .dump), to compare.
store_dump() {
    sqlite3 "${2:-$VIGIL_DB}" .dump >"$1"
}

# store_restore DUMP: replace the store by the one DUMP describes (after a
# test caught vigil changing what it should not have, so that the tests that
# follow start from the intended state).
store_restore() {
    rm -f "$VIGIL_DB" "$VIGIL_DB-wal" "$VIGIL_DB-shm" &&
    sqlite3 "$VIGIL_DB" <"$1" &&
    sqlite3 "$VIGIL_DB" "PRAGMA journal_mode = WAL" >/dev/null
}

# check_store_unchanged BEFORE_DUMP: the store must dump exactly as before.
check_store_unchanged() {
    store_dump "$TRASH/.dump-now" || return 1
    if ! cmp -s "$1" "$TRASH/.dump-now"; then
        say "the store changed; dump before (-) and now (+):"
        diff -u "$1" "$TRASH/.dump-now" | head -c 4000
        return 1
    fi
}

# host_list_norm FILE: `vigil host list --json` without the times and ids,
# sorted, so that two stores filled the same way compare equal.
host_list_norm() {
    vigil host list --json >"$TRASH/.hl.json" || return 1
    python3 - "$TRASH/.hl.json" >"$1" <<'EOF'
import json, sys
hosts = json.load(open(sys.argv[1], encoding="utf-8"))
for h in hosts:
    for k in ("id", "created_at", "updated_at"):
        h.pop(k, None)
hosts.sort(key=lambda h: (h["unit"], h["hostname"]))
print(json.dumps(hosts, ensure_ascii=False, indent=1, sort_keys=True))
EOF
}

# test_done: the summary line; exit non-zero if any test failed.
test_done() {
    test_done_called=1
    say "# $test_script: $test_count tests${test_failures:+; failed:$test_failures}"
    say "$test_passed passed, $test_failed failed"
    if [ "$test_failed" -eq 0 ] && [ -z "${VG_KEEP_TMP:-}" ]; then
        cd / && rm -rf "$TRASH"
        exit 0
    fi
    [ "$test_failed" -ne 0 ] && say "# scratch folder kept: $TRASH"
    [ "$test_failed" -eq 0 ]
    exit $?
}
