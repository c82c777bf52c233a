#!/usr/bin/env bash
# t0000-framework: the test framework itself (lib.sh) can fail. Small test
# scripts with known outcomes run as child processes; their report and exit
# code are checked, as git's t0000-basic checks its test-lib.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

# run_child NAME: run the script NAME.sh (written in $TRASH) like ctest does;
# its stdout lands in NAME.out and its exit code in $child_rc. Its scratch
# folder is removed afterwards.
run_child() {
    local kept
    bash "$TRASH/$1.sh" >"$1.out" 2>"$1.err"
    child_rc=$?
    kept=$(sed -n 's/.*scratch folder kept: //p' "$1.out" "$1.err" | head -n 1)
    case "$kept" in
    "$VG_BUILD"/tmp/e2e-* | /tmp/*) rm -rf "$kept" ;;
    esac
    return 0
}

# child NAME BODY: write NAME.sh, a test script sourcing lib.sh.
child() {
    {
        printf '%s\n' '#!/usr/bin/env bash' ". \"$VG_SRC/tests/e2e/lib.sh\""
        printf '%s\n' "$2"
    } >"$TRASH/$1.sh"
}

test_expect_success 'a script whose tests pass exits 0 and says so' '
    child passing "
test_expect_success \"true\" \"true\"
test_expect_code 0 \"vigil help\" vigil help
test_done" &&
    run_child passing &&
    check_eq 0 "$child_rc" "exit code" &&
    check_grep "^ok 1 - true$" passing.out &&
    check_grep "^ok 2 - vigil help$" passing.out &&
    check_grep "^2 passed, 0 failed$" passing.out
'
test_expect_success 'failing tests are reported with what was expected and what came' '
    child failing "
test_expect_success \"passes\" \"true\"
test_expect_success \"false fails\" \"false\"
test_expect_code 0 \"wrong exit code fails\" vigil frobnicate
test_expect_success \"check_grep fails\" \"echo hello >f && check_grep bye f\"
test_expect_success \"check_output fails\" \"echo a >x && echo b >y && check_output x y\"
test_expect_success \"check_json fails\" \"echo [1] >j && check_json j \\\"d == [2]\\\"\"
test_expect_success \"return ends a body\" \"return 3; true\"
test_expect_success \"later tests still run\" \"true\"
test_done" &&
    run_child failing &&
    check_eq 1 "$child_rc" "exit code" &&
    check_grep "^2 passed, 6 failed$" failing.out
'
test_expect_success '... each failure names what was expected' '
    check_grep "^not ok 2 - false fails$" failing.out &&
    check_grep "^not ok 3 - wrong exit code fails$" failing.out &&
    check_grep "expected: exit code 0" failing.out &&
    check_grep "got: +exit code 2" failing.out &&
    check_grep "expected a line matching .bye." failing.out &&
    check_grep "^ +\+b$" failing.out &&
    check_grep "expected true: d == \[2\]" failing.out &&
    check_grep "^not ok 7 - return ends a body$" failing.out &&
    check_grep "returned 3" failing.out &&
    check_grep "^ok 8 - later tests still run$" failing.out &&
    check_grep "^2 passed, 6 failed$" failing.out
'
test_expect_success 'a script that dies before test_done fails' '
    child dying "
test_expect_success \"passes\" \"true\"
echo \"\$no_such_variable\"
test_done" &&
    run_child dying &&
    test "$child_rc" -ne 0 &&
    check_grep "ended before test_done" dying.err &&
    check_grep "^1 passed, 1 failed$" dying.out
'
test_expect_success 'check_store_unchanged sees a change to the store' '
    child store "
test_expect_success \"setup\" \"vigil -q init && store_dump before.sql\"
test_expect_success \"unchanged\" \"check_store_unchanged before.sql\"
test_expect_success \"changed\" \"vigil -q unit add x && check_store_unchanged before.sql\"
test_done" &&
    run_child store &&
    check_eq 1 "$child_rc" "exit code" &&
    check_grep "^ok 2 - unchanged$" store.out &&
    check_grep "^not ok 3 - changed$" store.out &&
    check_grep "INSERT INTO unit" store.out
'
test_expect_success 'each script has its own store, config and time zone' '
    child env "
test_expect_success \"env\" \"
    case \\\"\\\$VIGIL_DB\\\" in \\\"\\\$TRASH\\\"/*) ;; *) false ;; esac &&
    test -f \\\"\\\$VIGIL_CONF\\\" && test ! -s \\\"\\\$VIGIL_CONF\\\" &&
    test \\\"\\\$TZ\\\" = Asia/Ho_Chi_Minh && test \\\"\\\$PWD\\\" = \\\"\\\$TRASH\\\"\"
test_done" &&
    run_child env &&
    check_eq 0 "$child_rc" "exit code" &&
    check_grep "^1 passed, 0 failed$" env.out
'

test_done
