#!/usr/bin/env bash
# t0102-sweep: vigil sweep on generated logs (nginx, sshd, firewall
# key=value, Zeek conn TSV). Oracles: the lines with a listed address agree
# with `grep -c -w -F -f` (an exact-token count; substring matching would
# overcount), and hits inside listed prefixes agree with Python's ipaddress
# module. Also: .gz, folders, symbolic links not followed, unreadable inputs
# reported, the internal host named, --record, exit codes.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: an inventory, generated logs and lists' '
    vigil -q init &&
    printf "%s\n" "unit,hostname,role,ip" "so-a,ws-01,workstation,10.1.0.21" \
        "so-a,srv-01,server,10.1.0.5" >hosts.csv &&
    vigil -q host import hosts.csv &&
    python3 - <<PY
import random, ipaddress
r = random.Random(7)
def pub():
    while True:
        a = ipaddress.IPv4Address(r.randrange(1 << 24, 0xDF000000))
        if a.is_global:
            return str(a)
listed = sorted({pub() for _ in range(300)})
nets = ["45.9.148.0/24", "91.92.240.0/22", "185.220.100.0/24"]
inside = [str(ipaddress.ip_network(n)[r.randrange(1, 200)]) for n in nets for _ in range(5)]
clean = [pub() for _ in range(2000)]
inv = ["10.1.0.21", "10.1.0.5"]
def ip():
    x = r.random()
    return r.choice(listed) if x < 0.05 else r.choice(inside) if x < 0.08 else r.choice(clean)
fmts = [
    lambda: "%s - - [22/Nov/2026:10:00:%02d +0700] \"GET /index.php?id=%d HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0\"" % (ip(), r.randrange(60), r.randrange(999)),
    lambda: "Nov 22 10:00:%02d srv sshd[%d]: Failed password for root from %s port %d ssh2" % (r.randrange(60), r.randrange(99999), ip(), r.randrange(1024, 65535)),
    lambda: "Nov 22 10:00:%02d fw kernel: [UFW BLOCK] IN=eth0 OUT=eth1 SRC=%s DST=%s PROTO=TCP SPT=%d DPT=443" % (r.randrange(60), r.choice(inv), ip(), r.randrange(1024, 65535)),
    lambda: "1700000000.%06d\tC%x\t%s\t%d\t%s\t443\ttcp\tssl\t0.5\t100\t200\tSF" % (r.randrange(10**6), r.randrange(1 << 40), r.choice(inv), r.randrange(1024, 65535), ip()),
]
with open("a.log", "w") as f:
    for _ in range(12000):
        f.write(r.choice(fmts)() + "\n")
with open("b.log", "w") as f:
    for _ in range(8000):
        f.write(r.choice(fmts)() + "\n")
open("ips.txt", "w").write("\n".join(listed) + "\n")
open("nets.txt", "w").write("\n".join(nets) + "\n")
PY
    mkdir -p logs/old && cp a.log logs/ && gzip -c b.log >logs/old/b.log.gz &&
    ln -s /etc logs/etc-link
'

test_expect_success 'no feed: no hit, exit 0, a warning says why' '
    run_expect 0 vigil sweep a.log &&
    check_grep "no current indicators" err
'

test_expect_success 'lines with a listed address: agree with grep -c -w -F -f' '
    vigil -q feed import ips.txt --source cert &&
    run_expect 1 vigil sweep a.log --json &&
    want=$(grep -c -w -F -f ips.txt a.log) &&
    got=$(python3 -c "import json,sys; print(len({(d[\"path\"], d[\"line\"]) for d in map(json.loads, open(sys.argv[1])) if d.get(\"type\") != \"summary\"}))" out) &&
    say "grep: $want lines, vigil: $got lines" &&
    check_eq "$want" "$got" "lines with a listed address" &&
    test "$want" -gt 100
'

test_expect_success 'addresses inside listed prefixes: agree with Python ipaddress' '
    vigil -q feed import nets.txt --source cert --append &&
    run_expect 1 vigil sweep a.log --json &&
    python3 - out <<PY
import ipaddress, json, re, sys
nets = [ipaddress.ip_network(n) for n in open("nets.txt").read().split()]
ips = set(open("ips.txt").read().split())
want = 0
for line in open("a.log"):
    for tok in re.findall(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])", line):
        a = ipaddress.ip_address(tok)
        if tok in ips or any(a in n for n in nets):
            want += 1
got = sum(1 for d in map(json.loads, open(sys.argv[1])) if d.get("type") != "summary")
print("python: %d hits, vigil: %d hits" % (want, got))
sys.exit(0 if want == got and want > 0 else 1)
PY
'

test_expect_success 'the internal host of a firewall line is named' '
    check_json_lines_host() { python3 -c "import json,sys; h=[d for d in map(json.loads, open(sys.argv[1])) if d.get(\"type\") != \"summary\" and \"SRC=\" in open(\"a.log\").readlines()[d[\"line\"]-1]]; sys.exit(0 if h and all(d[\"unit\"] == \"so-a\" and d[\"host\"] in (\"ws-01\", \"srv-01\") for d in h) else 1)" "$1"; } &&
    check_json_lines_host out
'

test_expect_success 'a folder: recursive, .gz read, links not followed; same hits as the files' '
    run_expect 1 vigil sweep logs --json &&
    python3 -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; s=d[-1]; sys.exit(0 if s[\"type\"] == \"summary\" and s[\"files\"] == 2 and not any(\"/etc\" in x.get(\"path\", \"\") for x in d) else 1)" out &&
    grep -v "\"summary\"" out | python3 -c "import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)[\"path\"].endswith(\".gz\")))" >gzhits &&
    run_expect 1 vigil sweep b.log --json &&
    check_eq "$(grep -vc "\"summary\"" out)" "$(cat gzhits)" "hits in b.log and in its .gz copy"
'

test_expect_success 'one thread or two: the same output' '
    run_expect 1 vigil sweep -j 1 a.log b.log &&
    mv out one.txt &&
    run_expect 1 vigil sweep -j 2 a.log b.log &&
    check_eq "$(md5sum <one.txt)" "$(md5sum <out)" "output"
'

test_expect_success 'a large file cut in parts: the same hits and line numbers' '
    cat a.log b.log a.log >big.log &&
    run_expect 1 vigil sweep -j 1 big.log &&
    mv out whole.txt &&
    run_expect 1 vigil sweep -j 2 --part-size 1 big.log &&
    test "$(stat -c %s big.log)" -gt 2097152 &&
    check_eq "$(md5sum <whole.txt)" "$(md5sum <out)" "output" &&
    n=$(( $(wc -l <a.log) + $(wc -l <b.log) )) &&
    max=$(sed -n "s/^big.log:\([0-9]*\):.*/\1/p" out | sort -n | tail -1) &&
    test "$max" -gt "$n" && test "$max" -le "$((n + $(wc -l <a.log)))"
'

test_expect_success 'standard input' '
    vigil sweep - <a.log >stdin.out 2>/dev/null; test $? -eq 1 &&
    check_grep "^-:[0-9]*: " stdin.out
'

test_expect_success 'an unreadable input is reported, not fatal' '
    run_expect 1 vigil sweep missing.log a.log &&
    check_grep -F "cannot read '"'"'missing.log'"'"'" err
'

test_expect_success 'a clean log: exit 0' '
    printf "%s\n" "nothing here 1.2.3" "10.1.0.21 talked to nobody" >clean.log &&
    run_expect 0 vigil sweep clean.log
'

test_expect_success '--record stores the hits as findings (kind ioc)' '
    run_expect 1 vigil sweep --record a.log &&
    test "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM finding WHERE kind = '"'"'ioc'"'"'")" -gt 0 &&
    run_expect 0 vigil audit --action sweep. --json &&
    check_json out "d[0][\"action\"] == \"sweep.record\""
'

test_expect_success 'sweep without a path is a usage error' '
    run_expect 2 vigil sweep
'

test_done
