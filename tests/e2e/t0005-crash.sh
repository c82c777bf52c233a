#!/usr/bin/env bash
# t0005-crash: kill -9 in the middle of a large host import. The store must
# be exactly what it was before the import: the first import's hosts, an
# intact database, a working vigil.
#
# The import validates the whole sheet in memory, then writes in one
# transaction; pages that do not fit in SQLite's cache spill into the WAL
# before the commit. So the WAL growing past a few MB means the write is in
# flight and not committed: that is when the process is killed. The sheet
# (200,000 rows, ~80 MB, notes of ~250 bytes so the transaction outgrows the
# 64 MB page cache) is sized for a 2-core machine; measured there: the sheet
# is checked in ~2.2 s, the WAL starts growing ~3.7 s in, passes 8 MB ~0.3 s
# later, and the commit comes ~1.9 s after that (~6.6 s for the whole import).
# So the kill lands well before the commit. If the import ends before it
# could be killed, the test fails and says so rather than passing vacuously.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

FIRST=300            # hosts in the first import
BIG=${VG_CRASH_ROWS:-200000}   # rows of the sheet whose import is killed
WAL_MB=8             # kill when the WAL is this big

# gen_hosts START N NOTE_WORDS: N host rows from START, valid and distinct
# (40 units; addresses unique within each unit; a system's level is fixed).
gen_hosts() {
    python3 - "$@" <<'EOF'
import csv, sys
start, n, words = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
w = csv.writer(sys.stdout, lineterminator="\r\n")
w.writerow(["Đơn vị", "Hệ thống", "Cấp độ", "Tên máy", "Vai trò", "Hệ điều hành", "Địa chỉ IP", "Ghi chú"])
filler = "dữ liệu kiểm thử, " * words
for i in range(start, start + n):
    u, k = i % 40, i // 40
    w.writerow(["unit-%02d" % u, "system-%d" % (i % 7), str(i % 7 % 5 + 1), "host-%07d" % i,
                "máy chủ" if i % 4 == 0 else "máy trạm",
                "Debian 12" if i % 3 else "Windows Server 2019",
                "10.%d.%d.%d" % (u, k // 250, k % 250 + 1), ("ghi chú %d " % i) + filler])
EOF
}

test_expect_success 'setup: a store with a first import of a few hundred hosts' '
    vigil -q init &&
    gen_hosts 0 "$FIRST" 0 >first.csv &&
    run_expect 0 vigil host import first.csv &&
    check_grep ": $FIRST added" out &&
    store_dump before.sql &&
    check_eq "$FIRST" "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM host WHERE deleted_at IS NULL")" "hosts"
'
test_expect_success "setup: a sheet of $BIG more hosts" '
    gen_hosts "$FIRST" "$BIG" 12 >big.csv &&
    check_eq "$((BIG + 1))" "$(python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding=\"utf-8\", newline=\"\"))))" big.csv)" "rows in big.csv" &&
    say "big.csv: $(du -h big.csv | cut -f1)"
'
test_expect_success 'kill -9 the import while its writes are in flight' '
    python3 - "$VIGIL" "$VIGIL_DB" big.csv "$WAL_MB" >kill.log 2>&1 <<'"'"'EOF'"'"'
import os, signal, subprocess, sys, time
vigil, db, sheet, wal_mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
wal = db + "-wal"
def wal_size():
    try:
        return os.stat(wal).st_size
    except FileNotFoundError:
        return 0
base = wal_size()
t0 = time.monotonic()
p = subprocess.Popen([vigil, "host", "import", sheet], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
while True:
    size = wal_size()
    if size - base > wal_mb << 20:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        print("killed after %.2f s with a WAL of %.1f MB (it was %.1f MB)" % (time.monotonic() - t0, size / 1048576, base / 1048576))
        print("rc", p.returncode)
        sys.exit(0)
    if p.poll() is not None:
        print("the import ended (exit %d) after %.2f s before it could be killed; WAL %.1f MB" % (p.returncode, time.monotonic() - t0, size / 1048576))
        print(p.stdout.read().decode(errors="replace")[:2000])
        print("make the sheet bigger (VG_CRASH_ROWS) so that the test kills it mid-write")
        sys.exit(1)
    if time.monotonic() - t0 > 120:
        p.kill()
        print("the import neither grew the WAL past %d MB nor ended in 120 s" % wal_mb)
        sys.exit(1)
    time.sleep(0.002)
EOF
    rc=$?
    cat kill.log
    test "$rc" -eq 0 && check_grep "^rc -9$" kill.log
'
test_expect_success 'the WAL holds uncommitted pages (the kill came mid-write)' '
    test -s "$VIGIL_DB-wal"
'
test_expect_success 'after the crash the store is exactly as before the import' '
    check_store_unchanged before.sql
'
test_expect_success 'host count equals the first import'"'"'s' '
    check_eq "$FIRST" "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM host")" "hosts in the store" &&
    check_eq 0 "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM audit WHERE action = '"'"'host.import'"'"' AND object = '"'"'big.csv'"'"'")" "audit records of the killed import"
'
test_expect_success 'PRAGMA integrity_check says ok' '
    check_eq ok "$(sqlite3 "$VIGIL_DB" "PRAGMA integrity_check")" "integrity_check" &&
    check_eq "" "$(sqlite3 "$VIGIL_DB" "PRAGMA foreign_key_check")" "foreign_key_check"
'
test_expect_success 'vigil status works and counts the first import only' '
    run_expect 0 vigil status --json &&
    check_json out "d[\"hosts\"][\"total\"] == $FIRST and d[\"units\"] == 40"
'
test_expect_success 'vigil can write to the store again' '
    run_expect 0 vigil host import first.csv &&
    check_grep ": 0 added, 0 updated, $FIRST unchanged" out &&
    run_expect 0 vigil unit add after-crash &&
    run_expect 0 vigil unit show after-crash
'

test_done
