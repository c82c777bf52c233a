#!/usr/bin/env bash
# t0104-scan: vigil scan with hash lists and YARA rules. EICAR as a file and
# inside zip and tar.gz; ClamAV's harmless test files with one hash of their
# test program; an oracle: on a generated corpus with a generated rule set,
# vigil's (file, rule) matches equal those of the yara command-line tool.
# Also: links never followed, FIFOs and devices skipped, empty files, a rule
# file that does not compile (and --strict), the cache, --output and
# `scan import`, coverage, exit codes.
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

eicar() {
    # Built from pieces so that this script is not itself a detection.
    printf '%s%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$' 'EICAR-STANDARD-ANTIVIRUS' '-TEST-FILE!$H+H*'
}

test_expect_success 'setup: EICAR as a file, in a zip, in a tar.gz; a hash list; a rule' '
    vigil -q init &&
    mkdir -p t/sub t/deep/er &&
    eicar >t/eicar.com &&
    eicar >t/sub/renamed.txt &&
    (cd t && python3 -c "
import zipfile, tarfile, io
z = zipfile.ZipFile(\"bundle.zip\", \"w\", zipfile.ZIP_DEFLATED)
z.write(\"eicar.com\", \"dir/x.exe\")
z.close()
with tarfile.open(\"deep/er/pack.tar.gz\", \"w:gz\") as t:
    t.add(\"bundle.zip\", \"inner/bundle.zip\")
") &&
    echo hello >t/clean.txt &&
    : >t/empty &&
    printf "%s:%s:Eicar-Test-Signature\n" "$(eicar | md5sum | cut -d" " -f1)" \
        "$(eicar | wc -c)" >eicar.hdb &&
    printf "rule eicar_string { strings: \$a = \"EICAR-STANDARD-ANTIVIRUS\" condition: \$a }\n" \
        >eicar.yar
'

test_expect_code 1 'scan: EICAR found by hash and by rule, inside archives too (exit 1)' \
    vigil --json scan --hashes eicar.hdb --rules eicar.yar t

test_expect_success 'scan: the detections name the member of an archive' '
    python3 - <<PY
import json
hits = set()
summary = None
for line in open("out"):
    d = json.loads(line)
    if d.get("type") == "summary":
        summary = d
    elif "type" not in d:
        hits.add((d["path"].split("/t/", 1)[1], d["rule"], d["kind"]))
want = set()
for p in ["eicar.com", "sub/renamed.txt", "bundle.zip!dir/x.exe",
          "deep/er/pack.tar.gz!inner/bundle.zip!dir/x.exe"]:
    want.add((p, "Eicar-Test-Signature", "hash"))
    want.add((p, "eicar_string", "yara"))
missing = want - hits
assert not missing, ("missing", sorted(missing), "got", sorted(hits))
assert not [h for h in hits if h[0] in ("clean.txt", "empty")], hits
assert summary["files"] == 6 and summary["errors"] == 0, summary
assert summary["detections"] == len(hits), (summary, len(hits))
PY
'

test_expect_success 'scan: the scan and its findings are in the store' '
    test "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM scan")" = 1 &&
    test "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM finding WHERE kind = '\''malware'\''")" -ge 8 &&
    test "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM scan_detection")" -ge 8 &&
    test "$(sqlite3 "$VIGIL_DB" "SELECT count(*) FROM audit WHERE action = '\''scan.run'\''")" = 1
'

test_expect_success 'scan: symbolic links are not followed (file or folder), FIFOs skipped' '
    mkdir -p outside l &&
    eicar >outside/evil.com &&
    ln -s "$TRASH/outside/evil.com" l/link.com &&
    ln -s "$TRASH/outside" l/dirlink &&
    mkfifo l/fifo &&
    echo fine >l/ok.txt &&
    run_expect 0 vigil --json scan --hashes eicar.hdb l &&
    ! grep -q evil out &&
    grep -q "\"type\":\"skipped\".*fifo" out
'

test_expect_success 'scan: a device file is skipped, not read' '
    if [ "$(id -u)" -ne 0 ]; then echo "(not root: no device node to make)"; return 0; fi
    mkdir -p dev && mknod dev/null c 1 3 &&
    run_expect 0 vigil --json scan --hashes eicar.hdb dev &&
    grep -q "character device" out
'

test_expect_success 'scan: a file that cannot be opened, or vanishes, is listed; the rest is scanned (exit 1)' '
    command -v strace >/dev/null || { echo "strace is missing (scripts/install-deps)"; return 1; }
    mkdir -p u && eicar >u/1.com && eicar >u/2.com && eicar >u/3.com &&
    # As root every file is readable: make the kernel refuse the second open, then make the
    # third file vanish (ENOENT) between the walk and the read. (LeakSanitizer cannot run
    # under ptrace: off for these two runs in the sanitizer build.)
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
        strace -f -qq -o /dev/null -e trace=openat2 -e inject=openat2:error=EACCES:when=2 \
        "$VIGIL" --json scan -j 1 --no-cache --hashes eicar.hdb u >out 2>err; rc=$? &&
    test "$rc" = 1 &&
    grep -q "\"type\":\"error\".*Permission denied" out &&
    grep -q "\"errors\":1,\"detections\":2" out &&
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
        strace -f -qq -o /dev/null -e trace=openat2 -e inject=openat2:error=ENOENT:when=3 \
        "$VIGIL" --json scan -j 1 --no-cache --hashes eicar.hdb u >out 2>err; rc=$? &&
    test "$rc" = 1 &&
    grep -q "vanished during the scan" out &&
    grep -q "\"errors\":1,\"detections\":2" out &&
    grep -q "cannot read" err
'

test_expect_success 'scan: the store folder (vault, caches) is never scanned' '
    run_expect 0 vigil --json scan --hashes eicar.hdb "$TRASH" --exclude "$TRASH/t" \
        --exclude "$TRASH/outside" --exclude "$TRASH/l" --exclude "$TRASH/dev" &&
    grep -q "store.s own folder" out
'

test_expect_success 'scan: a rule file that does not compile is named with its line; the rest load' '
    printf "rule ok_rule { condition: true }\n" >good.yar &&
    printf "rule a { condition: true }\n\nrule broken { strings: \$a = \"x\" condition: \$b }\n" \
        >bad.yar &&
    mkdir -p rules && cp good.yar bad.yar eicar.yar rules/ &&
    run_expect 1 vigil scan --rules rules t/clean.txt &&
    grep -q "bad.yar:3:" err &&
    grep -q "ok_rule" out
'

test_expect_code 2 'scan --strict: a rule file that does not compile is fatal' \
    vigil scan --strict --rules rules t/clean.txt

test_expect_code 2 'scan: nothing to scan with' vigil scan t

test_expect_success 'scan: a second scan of an unchanged tree reads only what was not clean' '
    mkdir -p c && for i in 1 2 3 4 5; do echo "file $i" >c/f$i; done && eicar >c/bad.com &&
    run_expect 1 vigil --json scan --rules eicar.yar c &&
    grep -q "\"cached\":0" out &&
    run_expect 1 vigil --json scan --rules eicar.yar c &&
    grep -q "\"cached\":5" out &&
    echo changed >>c/f1 &&
    run_expect 1 vigil --json scan --rules eicar.yar c &&
    grep -q "\"cached\":4" out &&
    run_expect 1 vigil --json scan --no-cache --rules eicar.yar c &&
    grep -q "\"cached\":0" out
'

test_expect_success 'scan --output, then scan import on another store; importing again changes nothing' '
    run_expect 1 vigil scan --hashes eicar.hdb --output result.jsonl t &&
    head -1 result.jsonl | grep -q "\"format\":\"vigil-scan-1\"" &&
    tail -1 result.jsonl | grep -q "\"type\":\"summary\"" &&
    VIGIL_DB=central.db vigil -q init &&
    VIGIL_DB=central.db run_expect 0 vigil scan import result.jsonl &&
    grep -q "imported scan" out &&
    VIGIL_DB=central.db run_expect 0 vigil scan import result.jsonl &&
    grep -q "imported already" out &&
    test "$(sqlite3 central.db "SELECT count(*) FROM scan")" = 1 &&
    test "$(sqlite3 central.db "SELECT count(*) FROM scan_detection")" -ge 4
'

test_expect_code 2 'scan import: a cut result file is refused' \
    sh -c 'head -2 result.jsonl >cut.jsonl && VIGIL_DB=central.db "$VIGIL" scan import cut.jsonl'

test_expect_success 'scan coverage and --plan: inventory hosts, botnet-listed first' '
    printf "%s\n" "unit,system,level,hostname,role,ip" "so-a,Portal,4,web-01,server,10.1.0.5" \
        "so-a,,,pc-07,workstation,10.1.0.77" >hosts.csv &&
    vigil -q host import hosts.csv &&
    run_expect 1 vigil scan --host web-01 --hashes eicar.hdb t/eicar.com &&
    run_expect 0 vigil --json scan coverage &&
    python3 -c "
import json
rows = json.load(open(\"out\"))
names = [r[\"host\"] for r in rows]
assert \"web-01\" in names and \"pc-07\" in names, names
w = [r for r in rows if r[\"host\"] == \"web-01\"][0]
assert w[\"scans\"] == 1 and w[\"last_detections\"] >= 1, w
p = [r for r in rows if r[\"host\"] == \"pc-07\"][0]
assert p[\"scans\"] == 0 and p[\"last_scan\"] is None, p
" &&
    run_expect 0 vigil scan --plan &&
    grep -q "web-01" out
'

test_expect_success 'oracle: on a generated corpus and rule set, vigil matches what the yara tool matches' '
    command -v yara >/dev/null || { echo "yara is missing (scripts/install-deps)"; return 1; }
    python3 - <<PY
import os, random
r = random.Random(11)
words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
         "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa"]
os.makedirs("corpus/a/b", exist_ok=True)
for i in range(300):
    d = r.choice(["corpus", "corpus/a", "corpus/a/b"])
    body = bytearray(os.urandom(r.randrange(0, 4000)))
    for _ in range(r.randrange(0, 4)):
        w = r.choice(words).encode()
        if r.random() < 0.3:
            w = w.upper()
        pos = r.randrange(0, len(body) + 1)
        body[pos:pos] = w
    if r.random() < 0.1:
        body[0:0] = b"MZ"
    open("%s/f%03d.%s" % (d, i, r.choice(["bin", "txt", "dat", "exe"])), "wb").write(body)
rules = []
for i in range(40):
    ws = r.sample(words, r.randrange(1, 4))
    strs = []
    for k, w in enumerate(ws):
        mod = r.choice(["", " nocase", " ascii wide", ""])
        strs.append("\$s%d = \"%s\"%s" % (k, w, mod))
    cond = r.choice(["any of them", "all of them", "\$s0 and any of them",
                     "\$s0 and filesize < 2KB and any of them",
                     "(uint16(0) == 0x5A4D or \$s0) and any of them",
                     "#s0 >= 1 and filesize > 100 and any of them"])
    rules.append("rule r%02d {\n strings:\n  %s\n condition:\n  %s\n}\n" % (i, "\n  ".join(strs), cond))
rules.append("rule hexy { strings: \$h = { 4D 5A ?? } condition: \$h at 0 }\n")
open("gen.yar", "w").write("\n".join(rules))
PY
    yara -r gen.yar corpus | sort >yara.txt &&
    { vigil --json scan --no-cache --no-archives --rules gen.yar corpus >out 2>err; test $? -le 1; } &&
    python3 -c "
import json, os
v = set()
for line in open(\"out\"):
    d = json.loads(line)
    if \"type\" not in d:
        v.add((d[\"rule\"], os.path.relpath(d[\"path\"])))
y = set()
for line in open(\"yara.txt\"):
    rule, path = line.split(\" \", 1)
    y.add((rule, os.path.relpath(path.strip())))
assert len(y) > 50, len(y)
assert v == y, (\"only vigil\", sorted(v - y)[:10], \"only yara\", sorted(y - v)[:10])
print(len(v), \"matches agree\")
"
'

test_expect_success 'clamav-testfiles: every file whose container libarchive opens is found by one hash' '
    t=/usr/share/clamav-testfiles
    if [ ! -d $t ]; then echo "clamav-testfiles is missing (scripts/install-deps)"; return 1; fi
    printf "%s:%s:ClamAV-Test-File\n" "$(md5sum <$t/clam.exe | cut -d" " -f1)" \
        "$(stat -c %s $t/clam.exe)" >clam.hdb &&
    run_expect 1 vigil --json scan --no-cache --hashes clam.hdb $t &&
    python3 - "$t" <<PY
import json, os, sys
t = sys.argv[1]
found, problems = set(), {}
for line in open("out"):
    d = json.loads(line)
    if "type" not in d:
        found.add(os.path.basename(d["file"]))
    elif d["type"] in ("skipped", "error"):
        problems.setdefault(d["path"].split("/")[-1].split("!")[0], d["reason"])
allf = sorted(os.listdir(t))
print("found %d of %d:" % (len(found), len(allf)), " ".join(sorted(found)))
why = [("clam-", "a PE packer: needs unpacking"), (".ea0", "AutoIt compiled script"),
       ("binhex", "BinHex encoding"), ("mbox", "mail with an encoded attachment"),
       (".mail", "mail with an encoded attachment"), (".tnef", "TNEF (winmail.dat)"),
       (".html", "script/encoded data in HTML"), (".rtf", "object embedded in RTF"),
       (".szdd", "SZDD (MS compress.exe)"), (".chm", "CHM help file"),
       (".ole", "OLE2 document"), (".ppt", "OLE2 document"), (".pdf", "PDF stream"),
       (".sis", "Symbian installer"), (".arj", "ARJ (libarchive has no ARJ reader)"),
       ("_IScab", "InstallShield cabinet"), ("_ISmsi", "InstallShield MSI")]
for f in allf:
    if f not in found:
        reason = problems.get(f) or next((r for k, r in why if k in f), "not opened")
        print("  not found: %-24s %s" % (f, reason))
print("ClamAV finds all %d; these are the gap to close later" % len(allf))
must = {"clam.exe", "clam.zip", "clam.tar.gz", "clam.7z", "clam.bz2.zip", "clam.exe.bz2",
        "clam.cab", "clam.newc.cpio", "clam.odc.cpio", "clam.bin-be.cpio", "clam.bin-le.cpio",
        "clam_cache_emax.tgz"}
assert must <= found, sorted(must - found)
PY
'

test_done
