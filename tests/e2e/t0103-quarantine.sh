#!/usr/bin/env bash
# t0103-quarantine: `vigil quarantine` add, list, show, restore (to the
# original path and --to), the refusals (overwrite, symbolic links, the
# vault's size limit), purge with and without --force, verify (a corrupted
# entry fails), the audit trail, and kill -9 during `add` of a large file at
# several moments: after each kill the original is still there with its
# hash, or a complete vault entry with that hash is recorded (and `verify
# --all` passes); never neither.
# The vault is "<folder of the store>/vault", here $TRASH/vault.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

VAULT=$TRASH/vault
BIG_MB=${VG_QUARANTINE_MB:-50}   # size of the file whose quarantine is killed
KILLS=${VG_QUARANTINE_KILLS:-10}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# The EICAR test string, put together here so that this script is no match itself.
eicar() { printf '%s%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-' 'STANDARD-ANTIVIRUS-' 'TEST-FILE!$H+H*'; }

# entry_field ID KEY: a field of `vigil quarantine show ID --json`.
entry_field() {
    vigil quarantine show "$1" --json >"$TRASH/.show.json" &&
    json_get "$TRASH/.show.json" "d[\"$2\"]"
}

test_expect_success 'setup: a store and some files to quarantine' '
    vigil -q init &&
    mkdir -p srv/www &&
    eicar >srv/www/eicar.com &&
    head -c 200000 /dev/urandom >srv/www/shell.php &&
    chmod 0750 srv/www/shell.php &&
    touch -m -d "2024-03-01 10:20:30.123456789" srv/www/shell.php &&
    touch -a -d "2025-01-02 03:04:05.5" srv/www/shell.php &&
    SHELL_SHA=$(sha srv/www/shell.php) &&
    SHELL_MTIME=$(stat -c %y srv/www/shell.php) &&
    SHELL_ATIME=$(stat -c %x srv/www/shell.php) &&
    EICAR_SHA=$(sha srv/www/eicar.com)
'

test_expect_success 'add: the file moves into the vault, recorded and audited' '
    run_expect 0 vigil quarantine add srv/www/shell.php --detection "PHP.Webshell" &&
    check_grep "^quarantined $TRASH/srv/www/shell.php as entry 1 \(200000 bytes, sha256 $SHELL_SHA\)" out &&
    test ! -e srv/www/shell.php &&
    test -d "$VAULT" &&
    check_eq 1 "$(find "$VAULT" -type f | wc -l)" "files in the vault" &&
    run_expect 0 vigil audit --action quarantine. --json &&
    check_json out "d[0][\"action\"] == \"quarantine.add\" and d[0][\"object\"] == \"quarantine:1\" and d[0][\"detail\"][\"sha256\"] == \"$SHELL_SHA\""
'

test_expect_success 'add --json: the entry; the content is neutered and mode 0600' '
    run_expect 0 vigil quarantine add srv/www/eicar.com --json &&
    check_json out "len(d) == 1 and d[0][\"id\"] == 2 and d[0][\"sha256\"] == \"$EICAR_SHA\" and d[0][\"detection\"] == \"manual\" and d[0][\"state\"] == \"held\"" &&
    VF=$(json_get out "d[0][\"vault_file\"]") &&
    test -f "$VF" &&
    check_eq 600 "$(stat -c %a "$VF")" "mode of the vault file" &&
    check_eq "$(( $(eicar | wc -c) + 64 ))" "$(stat -c %s "$VF")" "size of the vault file" &&
    check_eq VIGILQ1 "$(head -c 7 "$VF")" "magic" &&
    ! grep -q -a -F "EICAR" "$VF" &&
    ! grep -q -a -F "X5O!P" "$VF" &&
    ! grep -r -q -a -F "$(eicar)" "$VAULT"
'

test_expect_success 'list --json: both entries, newest first' '
    run_expect 0 vigil quarantine list --json &&
    check_json out "[x[\"id\"] for x in d] == [2, 1] and all(x[\"state\"] == \"held\" for x in d) and d[1][\"path\"] == \"$TRASH/srv/www/shell.php\" and d[1][\"size\"] == 200000 and d[1][\"mode\"] == \"0750\" and d[1][\"detection\"] == \"PHP.Webshell\" and d[1][\"host\"]"
'

test_expect_success 'list: a table with id, when, host, path, size, detection, state' '
    run_expect 0 vigil quarantine list &&
    check_grep "^ID +WHEN +HOST +PATH +SIZE +DETECTION +STATE" out &&
    check_grep "shell.php +200000 +PHP.Webshell +held" out
'

test_expect_success 'show: all the metadata' '
    run_expect 0 vigil quarantine show 1 &&
    check_grep "^entry +1 \(held\)" out &&
    check_grep "^sha256 +$SHELL_SHA" out &&
    check_grep "^mode +0750" out &&
    check_grep "^owner +" out &&
    check_grep "^modified +2024-03-01 10:20:30.123456789" out &&
    check_grep "^vault file +$VAULT/" out &&
    run_expect 0 vigil quarantine show 1 --json &&
    check_json out "d[\"id\"] == 1 and d[\"mtime_ns\"] % 1000000000 == 123456789 and d[\"uid\"] == $(id -u) and d[\"vault_name\"] and d[\"restored_at\"] is None"
'

test_expect_success 'verify: entries read back to their SHA-256' '
    run_expect 0 vigil quarantine verify --all &&
    check_grep "^entry 1: ok" out &&
    check_grep "2 entries checked, 0 corrupted" out
'

test_expect_success 'restore: the exact bytes, mode and times at the original path' '
    run_expect 0 vigil quarantine restore 1 &&
    check_grep "^restored entry 1 to $TRASH/srv/www/shell.php" out &&
    check_eq "$SHELL_MTIME" "$(stat -c %y srv/www/shell.php)" "mtime" &&
    check_eq "$SHELL_ATIME" "$(stat -c %x srv/www/shell.php)" "atime" &&
    check_eq 750 "$(stat -c %a srv/www/shell.php)" "mode" &&
    check_eq "$SHELL_SHA" "$(sha srv/www/shell.php)" "sha256" &&
    check_eq restored "$(entry_field 1 state)" "state" &&
    run_expect 0 vigil audit --action quarantine.restore --json &&
    check_json out "d[0][\"object\"] == \"quarantine:1\""
'

test_expect_success 'restore of an entry restored already is refused' '
    run_expect 2 vigil quarantine restore 1 &&
    check_grep -F "already" err
'

test_expect_success 'restore --to another path' '
    run_expect 0 vigil quarantine add srv/www/shell.php &&
    check_grep "as entry 3 " out &&
    mkdir -p evidence &&
    run_expect 0 vigil quarantine restore 3 --to evidence/shell.php.sample --json &&
    check_json out "d[\"state\"] == \"restored\" and d[\"restored_to\"] == \"$TRASH/evidence/shell.php.sample\"" &&
    check_eq "$SHELL_SHA" "$(sha evidence/shell.php.sample)" "sha256" &&
    test ! -e srv/www/shell.php
'

test_expect_success 'restore never overwrites a file (exit 2, says what to do)' '
    echo "a new, innocent file" >srv/www/eicar.com &&
    run_expect 2 vigil quarantine restore 2 &&
    check_grep -F "exists" err &&
    check_grep -F "never overwrites" err &&
    check_grep -F "give --to" err &&
    check_eq "a new, innocent file" "$(cat srv/www/eicar.com)" "the file in the way" &&
    run_expect 2 vigil quarantine restore 2 --to evidence/shell.php.sample &&
    check_eq "$SHELL_SHA" "$(sha evidence/shell.php.sample)" "sha256" &&
    check_eq held "$(entry_field 2 state)" "state"
'

test_expect_success 'restore never writes through a symbolic link' '
    mkdir -p real &&
    ln -s real linked &&
    run_expect 2 vigil quarantine restore 2 --to linked/eicar.com &&
    check_grep -F "symbolic link" err &&
    test ! -e real/eicar.com &&
    ln -s real/target real/final &&
    run_expect 2 vigil quarantine restore 2 --to real/final &&
    check_grep -F "symbolic link" err &&
    test ! -e real/target &&
    check_eq held "$(entry_field 2 state)" "state"
'

test_expect_success 'add refuses a symbolic link, a folder, a missing file' '
    echo data >real/file &&
    ln -s file real/link &&
    run_expect 2 vigil quarantine add real/link &&
    check_grep -F "symbolic link" err &&
    test -e real/file && test -L real/link &&
    run_expect 2 vigil quarantine add real &&
    check_grep -F "a folder" err &&
    run_expect 2 vigil quarantine add real/nothing &&
    check_grep -F "no such file" err
'

test_expect_success 'add --vault-max: a full vault refuses, and says so (restored entries count until purged)' '
    head -c 300000 /dev/urandom >big1 &&
    run_expect 2 vigil quarantine add big1 --vault-max 100K &&
    check_grep -F "the vault is full: $((200000 + $(eicar | wc -c) + 200000)) of 102400 bytes used; purge entries or raise --vault-max" err &&
    test -e big1 &&
    run_expect 2 vigil quarantine add big1 --vault-max 12Q &&
    check_grep -F "is not a size" err &&
    run_expect 0 vigil quarantine add big1 --vault-max 700K
'

test_expect_success 'purge without --force refuses; with --force deletes the content, keeps the record' '
    VF=$(entry_field 2 vault_file) &&
    test -f "$VF" &&
    run_expect 2 vigil quarantine purge 2 &&
    check_grep -F "give --force" err &&
    test -f "$VF" &&
    run_expect 0 vigil quarantine purge 2 --force &&
    test ! -e "$VF" &&
    check_eq purged "$(entry_field 2 state)" "state" &&
    check_eq "$EICAR_SHA" "$(entry_field 2 sha256)" "the record keeps the hash" &&
    run_expect 0 vigil audit --action quarantine.purge --json &&
    check_json out "d[0][\"object\"] == \"quarantine:2\"" &&
    run_expect 2 vigil quarantine restore 2 &&
    check_grep -F "purged" err
'

test_expect_success 'verify: a corrupted entry is reported clearly, exit 2' '
    VF=$(entry_field 4 vault_file) &&
    python3 -c "import sys; f=open(sys.argv[1], \"r+b\"); f.seek(1000); b=f.read(1); f.seek(1000); f.write(bytes([b[0] ^ 1]))" "$VF" &&
    run_expect 2 vigil quarantine verify 4 &&
    check_grep -F "quarantine entry 4" err &&
    check_grep -F "is corrupted" err &&
    run_expect 2 vigil quarantine verify --all &&
    check_grep "^entry 1: ok" out &&
    check_grep "1 corrupted or missing" out &&
    run_expect 2 vigil quarantine restore 4 &&
    check_grep -F "is corrupted" err &&
    test ! -e big1 &&
    run_expect 0 vigil quarantine purge 4 --force &&
    run_expect 0 vigil quarantine verify --all
'

test_expect_success 'usage errors' '
    run_expect 2 vigil quarantine &&
    check_grep -F "say what to do" err &&
    run_expect 2 vigil quarantine show nope &&
    run_expect 2 vigil quarantine show 99 &&
    check_grep -F "no quarantine entry 99" err &&
    run_expect 2 vigil quarantine verify &&
    run_expect 0 vigil quarantine -h &&
    check_grep -F "usage: vigil quarantine add" out
'

# ---- kill -9 at exact points, where strace can inject it --------------------------
#
# strace -e inject=SYSCALL:signal=SIGKILL kills vigil when it makes that system
# call: fsync (the first one is the copy's: before the commit), renameat2 (the
# copy's rename: after the commit), unlinkat (the original's removal: after the
# rename). Skipped where strace is missing or may not trace.

if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true >/dev/null 2>&1; then
    HAVE_STRACE=1
else
    HAVE_STRACE=
    say "# strace is not available: the kills at exact points are skipped"
fi

# kill_at SYSCALL FILE: quarantine FILE, killed by SIGKILL at its first SYSCALL.
kill_at() {
    strace -f -o /dev/null -e trace="$1" -e inject="$1":signal=SIGKILL \
        "$VIGIL" quarantine add "$2" >"$TRASH/out" 2>"$TRASH/err"
    local rc=$?
    if [ "$rc" -eq 0 ]; then
        say "vigil was not killed at $1 (exit 0)"
        return 1
    fi
    return 0
}

# held_ids FILE: ids of held entries of FILE (JSON list).
held_ids() {
    vigil quarantine list --json >"$TRASH/.list.json" &&
    json_get "$TRASH/.list.json" "[x[\"id\"] for x in d if x[\"path\"] == \"$TRASH/$1\" and x[\"state\"] == \"held\"]"
}

if [ -n "$HAVE_STRACE" ]; then
test_expect_success 'kill -9 before the commit: the original stays; the unfinished copy is removed' '
    head -c 3000000 /dev/urandom >k1.bin && K1_SHA=$(sha k1.bin) &&
    kill_at fsync k1.bin &&
    check_eq "$K1_SHA" "$(sha k1.bin)" "the original" &&
    check_eq "[]" "$(held_ids k1.bin)" "entries of k1.bin" &&
    check_eq 1 "$(find "$VAULT" -name ".tmp-*" | wc -l)" "unfinished copies" &&
    run_expect 0 vigil quarantine verify --all &&
    check_grep -F "an unfinished copy left by an interrupted quarantine" err &&
    check_eq 0 "$(find "$VAULT" -name ".tmp-*" | wc -l)" "unfinished copies"
'

test_expect_success 'kill -9 after the commit, before the rename: the next operation finishes the entry' '
    head -c 3000000 /dev/urandom >k2.bin && K2_SHA=$(sha k2.bin) &&
    kill_at renameat2 k2.bin &&
    check_eq "$K2_SHA" "$(sha k2.bin)" "the original" &&
    K2=$(held_ids k2.bin) && test "$K2" != "[]" &&
    check_eq 1 "$(find "$VAULT" -name ".tmp-*" | wc -l)" "copies under a temporary name" &&
    run_expect 0 vigil quarantine verify --all &&
    check_grep -F "finished quarantine entry" err &&
    check_eq 0 "$(find "$VAULT" -name ".tmp-*" | wc -l)" "copies under a temporary name" &&
    run_expect 0 vigil quarantine add k2.bin --json &&
    check_json out "[d[0][\"id\"]] == $K2" &&
    check_grep -F "already quarantined as entry" err &&
    test ! -e k2.bin
'

test_expect_success 'kill -9 after the rename, before the unlink: both exist; add again finishes the move' '
    head -c 3000000 /dev/urandom >k3.bin && K3_SHA=$(sha k3.bin) &&
    kill_at unlinkat k3.bin &&
    check_eq "$K3_SHA" "$(sha k3.bin)" "the original" &&
    K3=$(held_ids k3.bin) && test "$K3" != "[]" &&
    run_expect 0 vigil quarantine verify --all &&
    run_expect 0 vigil quarantine add k3.bin --json &&
    check_json out "[d[0][\"id\"]] == $K3 and d[0][\"sha256\"] == \"$K3_SHA\"" &&
    test ! -e k3.bin &&
    check_eq "$K3" "$(held_ids k3.bin)" "still one entry" &&
    run_expect 0 vigil audit --action quarantine.add --json &&
    check_json out "d[0][\"detail\"].get(\"resumed\") is True" &&
    K3ID=${K3//[^0-9]/} &&
    run_expect 0 vigil quarantine restore "$K3ID" &&
    check_eq "$K3_SHA" "$(sha k3.bin)" "the restored file"
'
fi

# ---- kill -9 at random moments ---------------------------------------------------

test_expect_success "setup: a file of $BIG_MB MB, and how long its quarantine takes" '
    head -c $((BIG_MB << 20)) /dev/urandom >master.bin &&
    BIG_SHA=$(sha master.bin) &&
    cp master.bin timing.bin &&
    t0=$(date +%s%N) &&
    run_expect 0 vigil quarantine add timing.bin --json &&
    t1=$(date +%s%N) &&
    DUR_MS=$(( (t1 - t0) / 1000000 )) &&
    TID=$(json_get out "d[0][\"id\"]") &&
    check_eq "$BIG_SHA" "$(json_get out "d[0][\"sha256\"]")" "sha256" &&
    run_expect 0 vigil quarantine purge "$TID" --force &&
    say "one quarantine of $BIG_MB MB takes $DUR_MS ms"
'

# check_after_kill N: the original of victim-N.bin, or a complete recorded entry
# of it, or both; never neither. Cleans up for the next round.
check_after_kill() {
    local n=$1 path="$TRASH/victim-$1.bin" orig=no entry=no ids="" id="" vf="" tmps=0
    if [ -e "$path" ]; then
        check_eq "$BIG_SHA" "$(sha "$path")" "sha256 of the original after the kill" || return 1
        orig=yes
    fi
    tmps=$(find "$VAULT" -name ".tmp-*" | wc -l)
    # `verify --all` runs the vault's tidying first (an unfinished copy removed, a committed
    # entry under its temporary name put in place), then checks every entry.
    run_expect 0 vigil quarantine verify --all || return 1
    check_eq 0 "$(find "$VAULT" -name ".tmp-*" | wc -l)" "temporary files left in the vault" || return 1
    run_expect 0 vigil quarantine list --json || return 1
    ids=$(json_get "$TRASH/out" "[x[\"id\"] for x in d if x[\"path\"] == \"$path\" and x[\"state\"] == \"held\" and x[\"sha256\"] == \"$BIG_SHA\"]") || return 1
    [ "$ids" != "[]" ] && entry=yes
    say "kill $n: original $orig, entry $entry $ids, temporary files before tidying $tmps"
    if [ "$orig" = no ] && [ "$entry" = no ]; then
        say "NEITHER the original nor a recorded entry of $path survived the kill"
        return 1
    fi
    if [ "$entry" = yes ]; then
        id=${ids//[^0-9]/}
        vf=$(entry_field "$id" vault_file) || return 1
        if [ ! -f "$vf" ]; then
            say "entry $id has no vault file"
            return 1
        fi
        if [ "$orig" = yes ]; then
            # Killed after the record, before the unlink: adding it again finishes the move.
            run_expect 0 vigil quarantine add "$path" --json || return 1
            check_eq "$id" "$(json_get "$TRASH/out" "d[0][\"id\"]")" "entry of the resumed add" || return 1
            check_grep -F "already quarantined as entry $id" "$TRASH/err" || return 1
            test ! -e "$path" || return 1
        fi
        run_expect 0 vigil quarantine purge "$id" --force || return 1
    fi
    rm -f "$path"
    echo "$orig/$entry" >>"$TRASH/outcomes"
}

test_expect_success "kill -9 during add, $KILLS times at different moments: never neither" '
    : >outcomes &&
    for n in $(seq 1 "$KILLS"); do
        cp master.bin "victim-$n.bin" || return 1
        # Spread the kills over the whole run: round n lands in its own slice of it.
        ms=$(( DUR_MS * (n - 1) / KILLS + RANDOM % (DUR_MS / KILLS + 1) ))
        "$VIGIL" quarantine add "victim-$n.bin" --detection kill-test >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf "%d.%03d" $((ms / 1000)) $((ms % 1000)))"
        kill -9 "$pid" 2>/dev/null
        wait "$pid"
        say "round $n: killed after ~$ms ms (exit $?)"
        check_after_kill "$n" || return 1
    done &&
    say "outcomes (original/entry): $(sort outcomes | uniq -c | tr -s " \n" " ")" &&
    check_eq "$KILLS" "$(wc -l <outcomes)" "rounds checked"
'

test_expect_success 'after the kills: the store is sound and vigil works' '
    check_eq ok "$(sqlite3 "$VIGIL_DB" "PRAGMA integrity_check")" "integrity_check" &&
    run_expect 0 vigil quarantine verify --all &&
    cp master.bin last.bin &&
    run_expect 0 vigil quarantine add last.bin --json &&
    check_json out "d[0][\"sha256\"] == \"$BIG_SHA\"" &&
    test ! -e last.bin &&
    check_eq 0 "$(find "$VAULT" -name ".tmp-*" | wc -l)" "temporary files left in the vault"
'

test_done
