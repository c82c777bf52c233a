# scan-gen.py - the data of bench/scan: a corpus of files in nested folders,
# about 200 YARA rules and a 100,000-entry SHA-256 hash list (ClamAV .hsb),
# with a few planted detections. Deterministic for a given seed.
#
#   python3 bench/scan-gen.py OUT MB FILES [SEED]
#
# Writes, under OUT:
#   corpus/            FILES files, about MB MiB: ~70% small text (configs,
#                      scripts, logs, JSON, HTML...), ~29% medium binaries
#                      (PE with an MZ header, ELF, media/database-like data)
#                      and text, and a few large files up to 50 MiB
#   rules/bench.yar    the rules: text strings (ascii, wide, nocase), hex
#                      strings with wildcards and jumps, a few regexes;
#                      conditions with filesize, uint16(0) == 0x5A4D, "any of
#                      them", "2 of them"...
#   hsb/bench.hsb      sha256:size:name:73, the planted files' real hashes and
#                      the rest random (random sizes)
#   files.list         the corpus's files, relative paths, shuffled, NUL-separated
#   manifest.tsv       path, size, sha256 of every file
#   expected.tsv       the planted detections: kind (yara|hash), path, rule or name
#
# Random bytes come from AES-128-CTR over zeros (openssl enc), keyed by the
# seed: deterministic and much faster than Python's generator. The strings of
# the rules carry random tokens that occur nowhere else, so nothing but the
# planted files matches (the benchmark checks this against every tool).
import hashlib
import math
import os
import random
import subprocess
import sys

WORDS = """able access account action admin agent alert alpha apache app archive audit auth
backup balance batch beta billing blue board bridge buffer build bundle cache calendar
camera card catalog center chart check client cloud cluster code config connect console
contact content context control core credit cron customer daemon dash data debug default
delta deploy desk device digest direct disk docs domain draft driver edge editor email
engine entry error event export factory feature field filter finance firewall folder form
frame gateway global graph group guest handler header health help history home host hub
image import index info input install invoice item job journal kernel key label layer
ledger legacy level library license link list local lock log mail main manager map master
media memory menu message meta metric mirror mobile model module monitor mount network
node note notify office order output owner package page panel parser partner patch path
payment peer pilot plan policy pool portal post power print private profile project proxy
public queue quota radio range record redis region release remote report request reset
resource review role root route rule runtime sales sample scan schema scope screen script
search secure sensor server service session setup share shell signal site snapshot socket
source spool stage staff state static status storage store stream study style submit
summary support switch sync system table target task team template tenant test theme
ticket timer token tool topic trace track traffic train update upload user utility vault
vendor version video view volume watch web widget window worker zone""".split()

DIRWORDS = """bin lib src include docs config logs cache data backup build dist assets static
templates scripts tools tests vendor modules plugins themes images uploads reports exports
archive old new tmp work share local conf sites www html api web app apps services users
Documents Downloads Desktop Projects Pictures Music releases tasks jobs queue spool mail
incoming outgoing private public common shared legacy current v1 v2 v3 2024 2025 2026""".split()

TLDS = ["com", "net", "org", "top", "xyz", "info", "biz", "ru", "cn", "io"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
APIS = """LoadLibraryA LoadLibraryW GetProcAddress VirtualAlloc VirtualProtect CreateFileW
ReadFile WriteFile CloseHandle CreateThread WaitForSingleObject GetModuleHandleW
GetLastError SetLastError HeapAlloc HeapFree GetCurrentProcess ExitProcess RegOpenKeyExW
RegQueryValueExW RegCloseKey InternetOpenW InternetConnectW HttpSendRequestW
GetSystemTimeAsFileTime QueryPerformanceCounter GetTickCount Sleep MultiByteToWideChar
WideCharToMultiByte lstrlenW CreateMutexW OpenProcess TerminateProcess GetCommandLineW
FindFirstFileW FindNextFileW FindClose GetFileSize SetFilePointer DeleteFileW MoveFileExW
CryptAcquireContextW CryptGenRandom CoInitializeEx CoCreateInstance SysAllocString""".split()
DLLS = """KERNEL32.dll USER32.dll ADVAPI32.dll WININET.dll ole32.dll OLEAUT32.dll SHELL32.dll
msvcrt.dll ntdll.dll WS2_32.dll CRYPT32.dll VCRUNTIME140.dll api-ms-win-crt-runtime-l1-1-0.dll""".split()
SYMS = """malloc free memcpy memset strlen strcmp strncpy printf fprintf snprintf fopen fclose
fread fwrite pthread_create pthread_join pthread_mutex_lock pthread_mutex_unlock socket
connect send recv bind listen accept getaddrinfo freeaddrinfo open close read write mmap
munmap __libc_start_main __cxa_finalize __stack_chk_fail GLIBC_2.2.5 GLIBC_2.34 libc.so.6
libpthread.so.0 libssl.so.3 libcrypto.so.3 libz.so.1 _ITM_deregisterTMCloneTable""".split()


class Stream:
    """Deterministic random bytes: AES-128-CTR of zeros, keyed by the seed."""

    def __init__(self, seed):
        k = hashlib.sha256(b"vigil bench/scan %d" % seed).hexdigest()
        self.p = subprocess.Popen(
            ["openssl", "enc", "-aes-128-ctr", "-nosalt", "-K", k[:32], "-iv", k[32:64], "-in", "/dev/zero"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=1 << 20)

    def read(self, n):
        b = self.p.stdout.read(n)
        if len(b) != n:
            sys.exit("scan-gen: openssl enc stopped early")
        return b

    def close(self):
        self.p.kill()
        self.p.wait()


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: scan-gen.py OUT MB FILES [SEED]")
    out, mb, nfiles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    if nfiles < 100 or mb < 64:
        sys.exit("scan-gen: at least 100 files and 64 MB")
    r = random.Random(seed)
    rnd = Stream(seed)

    def tok(n, alpha="abcdefghijklmnopqrstuvwxyz0123456789"):
        return "".join(r.choice(alpha) for _ in range(n))

    def ip():  # private and documentation ranges only: the rules use others
        return r.choice(["10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255)),
                         "192.168.%d.%d" % (r.randrange(256), r.randrange(1, 255)),
                         "203.0.113.%d" % r.randrange(1, 255)])

    w = lambda: r.choice(WORDS)  # noqa: E731

    # ---- text: pools of lines per kind, pre-encoded -------------------------------------
    def ts():
        return "2026-%02d-%02dT%02d:%02d:%02dZ" % (r.randrange(1, 13), r.randrange(1, 29), r.randrange(24),
                                                  r.randrange(60), r.randrange(60))

    gens = {
        "log": lambda: r.choice([
            "%s %2d %02d:%02d:%02d %s-%02d %s[%d]: %s %s from %s port %d\n" % (
                r.choice(MONTHS), r.randrange(1, 29), r.randrange(24), r.randrange(60), r.randrange(60),
                w(), r.randrange(40), r.choice(["sshd", "cron", "nginx", "postfix/smtpd", "systemd", "sudo"]),
                r.randrange(100, 65000), r.choice(["Accepted publickey for", "Failed password for", "session opened for",
                                                   "connection closed by", "disconnect from"]),
                w(), ip(), r.randrange(1024, 65535)),
            '%s - - [%02d/%s/2026:%02d:%02d:%02d +0700] "%s /%s/%s.%s?id=%d HTTP/1.1" %d %d "-" "%s"\n' % (
                ip(), r.randrange(1, 29), r.choice(MONTHS), r.randrange(24), r.randrange(60), r.randrange(60),
                r.choice(["GET", "GET", "POST", "HEAD"]), w(), w(), r.choice(["php", "html", "js", "css", "png"]),
                r.randrange(100000), r.choice([200, 200, 200, 301, 304, 404, 500]), r.randrange(100, 90000),
                r.choice(["Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "curl/7.88.1", "python-requests/2.31"])),
            "%s level=%s component=%s msg=\"%s %s %s\" duration_ms=%d\n" % (
                ts(), r.choice(["info", "info", "warn", "error", "debug"]), w(), w(), w(), w(), r.randrange(5000)),
        ]),
        "conf": lambda: r.choice([
            "%s_%s = %s\n" % (w(), w(), r.choice([str(r.randrange(10000)), w(), "/var/lib/%s/%s" % (w(), w()),
                                                  "true", "false", ip()])),
            "[%s]\n" % w(), "# %s %s %s %s\n" % (w(), w(), w(), w()), "\n"]),
        "yaml": lambda: "%s%s: %s\n" % ("  " * r.randrange(4), w(),
                                        r.choice([str(r.randrange(1000)), w(), '"%s %s"' % (w(), w()), "", "- " + w()])),
        "json": lambda: '{"id": %d, "%s": "%s %s", "%s": %d, "ts": "%s", "ok": %s}\n' % (
            r.randrange(10 ** 7), w(), w(), w(), w(), r.randrange(1000), ts(), r.choice(["true", "false"])),
        "py": lambda: r.choice([
            "def %s_%s(%s, %s):\n" % (w(), w(), w(), w()), "    return %s.%s(%d)\n" % (w(), w(), r.randrange(100)),
            "    %s = %s.get(\"%s\", %s)\n" % (w(), w(), w(), r.choice(["None", "0", "[]"])),
            "import %s\n" % w(), "class %s%s:\n" % (w().title(), w().title()), "    # %s %s %s\n" % (w(), w(), w()),
            "    if not %s:\n        raise ValueError(\"%s %s\")\n" % (w(), w(), w())]),
        "sh": lambda: r.choice([
            "if [ -f /etc/%s/%s.conf ]; then\n" % (w(), w()), "    %s=\"${%s:-%s}\"\n" % (w().upper(), w().upper(), w()),
            "fi\n", "%s --%s %s >>/var/log/%s.log 2>&1\n" % (w(), w(), w(), w()), "# %s %s %s\n" % (w(), w(), w()),
            "for f in /srv/%s/*.%s; do cp \"$f\" /backup/%s/; done\n" % (w(), w(), w())]),
        "html": lambda: r.choice([
            '<div class="%s-%s"><a href="/%s/%s.html">%s %s</a></div>\n' % (w(), w(), w(), w(), w(), w()),
            "<p>%s %s %s %s %s.</p>\n" % (w().title(), w(), w(), w(), w()),
            '<script src="/static/%s.%s.js"></script>\n' % (w(), tok(8)), "<li>%s</li>\n" % w()]),
        "csv": lambda: "%d,%s,%s,%s,%d.%02d,%s\n" % (r.randrange(10 ** 6), w(), w(), ip(), r.randrange(10000),
                                                   r.randrange(100), ts()),
        "xml": lambda: '  <%s id="%d" name="%s">%s %s</%s>\n' % ("item", r.randrange(10 ** 5), w(), w(), w(), "item"),
        "md": lambda: r.choice(["## %s %s\n" % (w().title(), w()), "- %s %s %s\n" % (w(), w(), w()),
                                "%s %s %s %s %s %s.\n" % (w().title(), w(), w(), w(), w(), w()), "\n"]),
    }
    pools = {k: [g().encode() for _ in range(3000)] for k, g in gens.items()}
    avg = {k: sum(map(len, v)) / len(v) for k, v in pools.items()}
    text_exts = {"log": ["log", "txt"], "conf": ["conf", "ini", "cfg"], "yaml": ["yaml", "yml"], "json": ["json"],
                 "py": ["py"], "sh": ["sh"], "html": ["html"], "csv": ["csv"], "xml": ["xml"], "md": ["md"]}

    def text(kind, n):
        b = b"".join(r.choices(pools[kind], k=int(n / avg[kind]) + 2))
        while len(b) < n:
            b += b"".join(r.choices(pools[kind], k=64))
        return b[:n]

    # ---- binaries: headers, then blocks of code-like random bytes, zeros, strings -------
    def pe_header():
        dos = bytearray(0x80)
        dos[0:2] = b"MZ"
        dos[2:16] = b"\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        dos[0x18] = 0x40
        dos[0x3C:0x40] = (0x80).to_bytes(4, "little")
        stub = b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
        dos[0x40:0x40 + len(stub)] = stub
        coff = b"PE\x00\x00" + (0x8664).to_bytes(2, "little") + (4).to_bytes(2, "little") + \
            r.randrange(1 << 30, 1 << 31).to_bytes(4, "little") + bytes(8) + (0xF0).to_bytes(2, "little") + \
            (0x22).to_bytes(2, "little")
        opt = bytearray(0xF0)
        opt[0:2] = (0x20B).to_bytes(2, "little")
        secs = b"".join(n.ljust(8, b"\x00") + bytes(32) for n in (b".text", b".rdata", b".data", b".rsrc"))
        h = bytes(dos) + coff + bytes(opt) + secs
        return h + bytes(0x400 - len(h))

    def elf_header():
        h = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x03\x00\x3e\x00\x01\x00\x00\x00" + bytes(40)
        return h + bytes(0x1000 - len(h))

    def strings_block(names, n):
        b = b"".join(x.encode() + b"\x00" for x in r.choices(names, k=n // 12 + 1))
        return b[:n]

    def binary(header, names, n):
        parts, size = [header], len(header)
        while size < n:
            bs = r.choice([4096, 8192, 16384, 32768, 65536])
            t = r.random()
            if t < 0.60:
                p = rnd.read(bs)
            elif t < 0.72:
                p = bytes(bs)
            elif t < 0.90:
                p = strings_block(names, bs)
            else:
                p = text("md", bs // 2).decode().encode("utf-16-le")
            parts.append(p)
            size += len(p)
        return b"".join(parts)[:n]

    def data(n, ext):
        h = {
            "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01",
            "db": b"SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20",
            "wav": b"RIFF" + n.to_bytes(4, "little") + b"WAVEfmt ",
        }.get(ext, b"DAT1\x00\x01\x00\x00")
        if ext == "db":
            return binary(h + bytes(100 - len(h)), WORDS, n)
        return (h + rnd.read(n))[:n]

    # ---- sizes and kinds ---------------------------------------------------------------------
    target = mb << 20
    nlarge = max(3, nfiles // 500)
    nsmall = int(nfiles * 0.70)
    nmed = nfiles - nlarge - nsmall
    logu = lambda lo, hi: int(math.exp(r.uniform(math.log(lo), math.log(hi))))  # noqa: E731
    small = [logu(150, 32 << 10) for _ in range(nsmall)]
    large = [logu(4 << 20, 50 << 20) for _ in range(nlarge)]
    large[0] = 50 << 20
    room = target - sum(small)
    if sum(large) > room // 2:  # a small corpus: the large files take at most half
        f = room / 2 / sum(large)
        large = [max(1 << 20, int(x * f)) for x in large]
    med = [logu(16 << 10, 2 << 20) for _ in range(nmed)]
    f = (room - sum(large)) / sum(med)
    med = [min(32 << 20, max(4096, int(x * f))) for x in med]

    files = []  # [kind, size, ext]
    for n in small:
        k = r.choice(["log", "conf", "conf", "yaml", "json", "py", "sh", "html", "csv", "xml", "md"])
        files.append([k, n, r.choice(text_exts[k])])
    for n in med:
        t = r.random()
        if t < 0.40:
            files.append(["pe", n, r.choice(["exe", "dll", "dll", "sys"])])
        elif t < 0.55:
            files.append(["elf", n, r.choice(["so", "", "bin"])])
        elif t < 0.75:
            files.append(["data", n, r.choice(["png", "jpg", "db", "wav", "dat"])])
        else:
            k = r.choice(["log", "csv", "json", "html"])
            files.append([k, n, r.choice(text_exts[k])])
    for i, n in enumerate(large):
        k = ["log", "data", "pe"][i % 3]
        files.append([k, n, {"log": "log", "data": "dat", "pe": "exe"}[k]])
    r.shuffle(files)

    # ---- folders and names ---------------------------------------------------------------------
    dirs = ["home/" + u for u in ("alice", "bob", "carol", "dinh", "svc-backup")] + \
        ["etc", "var/log", "var/lib", "opt", "srv/www", "usr/share", "usr/lib", "data", "tmp/build"]
    seen = set(dirs)
    while len(dirs) < max(40, nfiles // 25):
        p = r.choice(dirs)
        if p.count("/") >= 7:
            continue
        d = p + "/" + r.choice(DIRWORDS) + (str(r.randrange(100)) if r.random() < 0.25 else "")
        if d not in seen:
            seen.add(d)
            dirs.append(d)
    names = set()
    for f in files:
        while True:
            second = r.choice([w(), str(r.randrange(1000)), ""])
            base = w() + (r.choice(["", "_", "-", "."]) + second if second else "")
            p = "%s/%s%s" % (r.choice(dirs), base, "." + f[2] if f[2] else "")
            if p not in names:
                names.add(p)
                f.append(p)
                break

    # ---- rules ------------------------------------------------------------------------------
    def esc(s):
        return s.replace("\\", "\\\\").replace('"', '\\"')

    def ioc():
        return r.choice([
            lambda: "%s-%s.%s%d.%s" % (w(), tok(6), w(), r.randrange(10, 999), r.choice(TLDS)),
            lambda: "Global\\" + tok(12, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"),
            lambda: "C:\\Users\\Public\\%s.exe" % tok(8),
            lambda: "D:\\work\\%s\\Release\\%s.pdb" % (tok(8), tok(6)),
            lambda: "Mozilla/4.0 (compatible; MSIE 6.0; %s)" % tok(10),
            lambda: "Software\\Microsoft\\Windows\\CurrentVersion\\Run\\%s" % tok(8),
            lambda: "http://%s.%s/%s/%s.php" % (tok(9), r.choice(TLDS), w(), tok(6)),
            lambda: "185.%d.%d.%d:%d" % (r.randrange(256), r.randrange(256), r.randrange(256), r.randrange(1024, 65535)),
            lambda: "\\\\.\\pipe\\%s" % tok(10),
            lambda: "%s_%s_%s" % (tok(5), w(), tok(5)),
        ])()

    def hexpat():
        """A hex string with wildcards and jumps, and the bytes that match it."""
        spec, b = [], b""
        for i in range(r.randrange(3, 5)):
            if i:
                t = r.random()
                if t < 0.5:
                    k = r.randrange(1, 3)
                    spec.append(" ".join(["??"] * k))
                    b += rnd.read(k)
                elif t < 0.8:
                    lo = r.randrange(1, 4)
                    hi = lo + r.randrange(1, 5)
                    spec.append("[%d-%d]" % (lo, hi))
                    b += rnd.read(lo + 1)
                else:
                    x, y = rnd.read(2)
                    spec.append("( %02X | %02X )" % (x, y))
                    b += bytes([x])
            fixed = bytes(c or 0x90 for c in rnd.read(r.randrange(4, 8)))
            spec.append(" ".join("%02X" % c for c in fixed))
            b += fixed
        return "{ " + " ".join(spec) + " }", b

    rules, nrules = [], 200
    families = ["agenttesla", "asyncrat", "cobaltstrike", "emotet", "formbook", "icedid", "lockbit", "mimikatz",
                "njrat", "plugx", "qakbot", "redline", "remcos", "shadowpad", "sliver", "trickbot", "webshell"]

    def rule(name, strs, cond, tags=""):
        meta = '        description = "%s %s %s"\n        author = "bench/scan"\n        date = "2026-%02d-%02d"\n' % (
            w(), w(), w(), r.randrange(1, 13), r.randrange(1, 29))
        body = "".join("        $%s = %s\n" % (k, v) for k, v in strs)
        rules.append("rule %s%s\n{\n    meta:\n%s    strings:\n%s    condition:\n        %s\n}\n" % (
            name, " : " + tags if tags else "", meta, body, cond))

    plants = {}  # planted rule name -> list of (bytes to write)

    # The planted ones, among the others at random places.
    pos = sorted(r.sample(range(nrules), 5))
    for i in range(nrules):
        fam = r.choice(families)
        name = "ioc_%s_%03d" % (fam, i)
        if i == pos[0]:  # PE, two of three text strings, filesize
            s = [ioc() for _ in range(3)]
            rule(name, [("s%d" % j, '"%s"' % esc(x)) for j, x in enumerate(s)],
                 "uint16(0) == 0x5A4D and filesize < 10MB and 2 of ($s*)", "apt")
            plants[name] = ("pe", [s[0].encode(), s[2].encode()])
        elif i == pos[1]:  # nocase, planted in mixed case in a script
            s = "powershell -nop -w hidden -enc " + tok(24, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
            rule(name, [("a", '"%s" nocase' % esc(s)), ("b", '"%s" nocase' % esc(ioc()))], "any of them")
            mixed = "".join(c.upper() if r.random() < 0.5 else c.lower() for c in s)
            plants[name] = ("sh", [mixed.encode()])
        elif i == pos[2]:  # hex with wildcards and jumps, in a data file
            spec, b = hexpat()
            rule(name, [("h", spec), ("t", '"%s"' % esc(ioc()))], "$h or ($t and filesize < 1MB)")
            plants[name] = ("data", [b])
        elif i == pos[3]:  # ascii wide, as UTF-16LE in a PE
            s = ioc()
            rule(name, [("w", '"%s" ascii wide' % esc(s)), ("x", '"%s" ascii wide' % esc(ioc()))],
                 "uint16(0) == 0x5A4D and any of them")
            plants[name] = ("pe", [s.encode("utf-16-le")])
        elif i == pos[4]:  # a regex, near the end of a file of about 4 MB
            pre = tok(7, "abcdefghijklmnopqrstuvwxyz")
            rule(name, [("r", r"/%s-[a-z0-9]{8}\.cdn-[0-9]{3}\.(top|xyz)/" % pre)], "any of them")
            plants[name] = ("big", [("%s-%s.cdn-%03d.top" % (pre, tok(8), r.randrange(1000))).encode()])
        else:
            t = r.random()
            if t < 0.40:
                k = r.randrange(1, 5)
                mods = r.choice(["", "", " ascii wide", " nocase", " fullword"])
                strs = [("s%d" % j, '"%s"%s' % (esc(ioc()), mods)) for j in range(k)]
                cond = r.choice(["any of them", "all of them"] + (["2 of them"] if k > 1 else []))
                if r.random() < 0.3:
                    cond = "filesize < %dMB and %s" % (r.choice([1, 2, 5, 20]), cond)
            elif t < 0.65:
                k = r.randrange(2, 6)
                strs = [("s%d" % j, '"%s"' % esc(ioc())) for j in range(k)]
                cond = "uint16(0) == 0x5A4D and filesize < %dMB and %s" % (
                    r.choice([2, 5, 10]), r.choice(["any of ($s*)", "2 of ($s*)"]))
            elif t < 0.85:
                strs = [("h%d" % j, hexpat()[0]) for j in range(r.randrange(1, 4))]
                cond = r.choice(["any of them", "uint16(0) == 0x5A4D and any of them",
                                 "uint32(0) == 0x464C457F and any of them"])
            elif t < 0.95:
                strs = [("h0", hexpat()[0]), ("s0", '"%s"' % esc(ioc())), ("s1", '"%s" wide' % esc(ioc()))]
                cond = r.choice(["$h0 and any of ($s*)", "any of them", "$h0 or all of ($s*)"])
            else:
                pre = tok(7, "abcdefghijklmnopqrstuvwxyz")
                strs = [("r", r"/%s-[a-z0-9]{8}\.%s\.(com|net|org)/" % (pre, tok(5)))]
                cond = "any of them"
            rule(name, strs, cond, r.choice(["", "", "malware", "apt", "hacktool"]))

    # ---- which files carry the plants ---------------------------------------------------------
    order = list(range(len(files)))
    r.shuffle(order)
    taken = set()

    def pick(ok):
        for i in order:
            if i not in taken and ok(files[i]):
                taken.add(i)
                return i
        sys.exit("scan-gen: no file fits a plant; give more files")

    planted_at = {}  # file index -> list of payloads
    expected = []  # (kind, index, name)
    # The regex goes near the end of the smallest file of at least 4 MiB (past the
    # first reads), not in the largest: the cached scan re-reads files with detections.
    top = max(f[1] for f in files)
    big = min((i for i in range(len(files)) if files[i][1] >= min(4 << 20, top)), key=lambda i: files[i][1])
    taken.add(big)
    for name, (where, payloads) in plants.items():
        if where == "pe":
            i = pick(lambda f: f[0] == "pe" and 64 << 10 <= f[1] < 8 << 20)
        elif where == "sh":
            i = pick(lambda f: f[0] == "sh" and f[1] >= 1024)
        elif where == "data":
            i = pick(lambda f: f[0] == "data" and f[1] >= 64 << 10)
        else:
            i = big
        planted_at[i] = payloads
        expected.append(("yara", i, name))
    hash_files = [expected[0][1],  # the PE of the first rule: one file, two detections
                  pick(lambda f: f[0] == "conf"), pick(lambda f: f[0] == "elf" and f[1] >= 64 << 10),
                  pick(lambda f: f[0] == "data" and f[2] != "db" and f[1] >= 256 << 10),
                  pick(lambda f: f[0] == "log" and f[1] < 32 << 10)]
    # (not a .db: clamscan skips SQLite databases, hashes and all: a file type it ignores)

    # ---- write the corpus ------------------------------------------------------------------
    corpus = os.path.join(out, "corpus")
    os.makedirs(corpus)
    for d in dirs:
        os.makedirs(os.path.join(corpus, d), exist_ok=True)
    digests = []
    for i, (kind, n, _ext, path) in enumerate(files):
        if kind == "pe":
            b = binary(pe_header(), APIS + DLLS, n)
        elif kind == "elf":
            b = binary(elf_header(), SYMS, n)
        elif kind == "data":
            b = data(n, _ext)
        else:
            b = text(kind, n)
        if i in planted_at:
            b = bytearray(b)
            ps = planted_at[i]
            for j, p in enumerate(ps):
                if i == big:
                    at = n - 4096 - len(p)
                else:  # spread over the file, past any header
                    lo = min(0x1000, n // 4)
                    at = lo + (n - lo - len(p) - 64) * (j + 1) // (len(ps) + 1)
                b[at:at + len(p)] = p
            b = bytes(b)
        with open(os.path.join(corpus, path), "wb") as fh:
            fh.write(b)
        digests.append(hashlib.sha256(b).hexdigest())
    rnd.close()

    # ---- the hash list: the planted files' real hashes among random ones ---------------------
    entries = []
    for j, i in enumerate(hash_files):
        name = "Vigil.Bench.Planted-%d" % (j + 1)
        entries.append("%s:%d:%s:73" % (digests[i], files[i][1], name))
        expected.append(("hash", i, name))
    while len(entries) < 100000:
        entries.append("%064x:%d:Vigil.Bench.Random-%06d:73" % (r.getrandbits(256), logu(1024, 20 << 20), len(entries)))
    r.shuffle(entries)
    planted_digests = {digests[i] for i in hash_files}
    for i, d in enumerate(digests):  # no other file may share a planted file's bytes
        if d in planted_digests and i not in hash_files:
            sys.exit("scan-gen: %s has the same bytes as a planted file" % files[i][3])

    os.makedirs(os.path.join(out, "rules"))
    os.makedirs(os.path.join(out, "hsb"))
    with open(os.path.join(out, "rules", "bench.yar"), "w") as fh:
        fh.write("// bench/scan: %d generated IOC rules (seed %d); only the planted files match.\n\n" % (len(rules), seed))
        fh.write("\n".join(rules))
    with open(os.path.join(out, "hsb", "bench.hsb"), "w") as fh:
        fh.write("\n".join(entries) + "\n")
    with open(os.path.join(out, "manifest.tsv"), "w") as fh:
        for (kind, n, _ext, path), d in zip(files, digests):
            fh.write("%s\t%d\t%s\n" % (path, n, d))
    with open(os.path.join(out, "expected.tsv"), "w") as fh:
        for kind, i, name in expected:
            fh.write("%s\t%s\t%s\n" % (kind, files[i][3], name))
    paths = [f[3] for f in files]
    r.shuffle(paths)
    with open(os.path.join(out, "files.list"), "wb") as fh:
        fh.write(b"".join(p.encode() + b"\x00" for p in paths))


if __name__ == "__main__":
    main()
