#!/usr/bin/env python3
"""csv-oracle.py - Python's csv module as the oracle for `vigil host import`.

    csv-oracle.py gen FILE [--rows N] [--seed S] [--newlines] [--delimiter C]
    csv-oracle.py check FILE HOSTS.json [--delimiter C]
    csv-oracle.py check FILE --count [--delimiter C]

gen writes N random host rows with awkward but valid values: quotes and
delimiters inside cells, Vietnamese text, spaces around values, a shuffled
header with Vietnamese and odd-case names, role and level spellings people
use, IPv6 in long, upper-case and IPv4-mapped forms, repeated rows (the same
host again, spelt differently), CRLF line ends (csv.writer's default). With
--newlines, some notes also hold line breaks (inside quotes).

check reads FILE back with csv.reader, applies the documented normalisation
(README "Importing spreadsheets", vigil help host, docs/json.md) and compares
it with HOSTS.json (`vigil host list --json`): hostname, unit, role, os,
os_release, addresses, systems with their levels, note. Exit 0 if they agree
exactly, 1 (listing the differences) if not.

The normalisation, written from the documentation and not from vigil's code:
- every cell is trimmed of spaces, tabs and line ends at both ends;
  an empty cell is absent (null);
- hostnames are stored in lower case;
- role: server (also srv, máy chủ) or workstation (also ws, pc, máy trạm),
  any case;
- system: names separated by ';'; level: one for all the row's systems or one
  per system separated by ';', written 3 or cấp độ 3; a system named again
  later without a level keeps its level;
- os: lower-cased, split into name and release; the release starts at the
  last word that starts with a digit;
- ip: addresses separated by ';', ',' or spaces, in canonical form (RFC 5952
  for IPv6; IPv4-mapped IPv6 shown as IPv4).
"""
import argparse
import csv
import ipaddress
import json
import random
import sys

SPACE = " \t\r\n\v\f"

HEADER = {  # column -> how the header spells it (checked case-insensitively by vigil)
    "unit": " Đơn vị ",
    "hostname": "Tên máy",
    "role": "ROLE",
    "system": "Hệ thống",
    "level": "Cấp độ",
    "os": "OS",
    "ip": "Địa chỉ IP",
    "note": "Ghi chú",
}

UNITS = [
    "so-tttt",
    "Sở Y tế",
    'ttdl "kho" dữ liệu, tỉnh',
    "UBND huyện Sơn Lâm; phòng VH-TT",
    "bv-đa-khoa",
    "Công an tỉnh (PA05)",
]

SYSTEM_NAMES = [
    "Cổng dịch vụ công",
    'Cổng "một cửa", tỉnh',
    "Hệ thống quản lý văn bản, điều hành",
    "Thư điện tử công vụ",
    "CSDL dân cư 'quốc gia'",
    "LGSP",
    "Hệ thống họp trực tuyến",
    "Phần mềm kế toán = MISA",
]

ROLES = {
    "server": ["server", "Server", "SERVER", "srv", "máy chủ", "Máy chủ"],
    "workstation": ["workstation", "Workstation", "ws", "pc", "PC", "máy trạm", "Máy trạm"],
}

OSES = [
    "Debian 12", "debian 12", "DEBIAN 11", "Ubuntu 22.04.3 LTS", "Windows Server 2019 Datacenter",
    "Windows 10 Pro 22H2", "CentOS Linux 7.9.2009", "Red Hat Enterprise Linux 8.6",
    "Windows Server 2016, 64-bit", "VMware ESXi 7.0 U3", "Kali GNU/Linux Rolling",
    'Debian "bookworm" 12', "MikroTik RouterOS 6.49.10", "Windows  Server 2022", "FreeBSD 13.2-RELEASE",
    "Windows 11", "", "Oracle Linux Server 8",
]

WORDS = ["máy", "chủ", "phòng", "máy chủ ảo", "đặt tại", "tầng 3", "tủ rack A2", "sao lưu",
         "hằng đêm", "không tắt", "liên hệ", "anh Bình", "VLAN 20", "UPS", "Hòa Lâm", "ứng dụng"]
PUNCT = [",", ";", '"', "'", " - ", ": ", "=", "@", "(", ")", "/", "\\"]


def pad(r, s):
    """s with random spaces around it."""
    return r.choice(["", "", " ", "  "]) + s + r.choice(["", "", " ", "   "])


def note_text(r, newlines):
    if r.random() < 0.2:
        return r.choice(["", "   "])
    parts = []
    for _ in range(r.randint(1, 8)):
        parts.append(r.choice(WORDS) if r.random() < 0.7 else r.choice(PUNCT))
    text = " ".join(parts)
    if r.random() < 0.1:
        text = '"' + text + '"'
    if newlines and r.random() < 0.15:
        cut = r.randint(0, len(text))
        text = text[:cut] + r.choice(["\n", "\r\n", "\n\n"]) + text[cut:]
        text = text.strip(SPACE) or "x"
    return pad(r, text)


def hostname(r):
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    labels = []
    for _ in range(r.randint(1, 3)):
        n = r.randint(1, 12)
        mid = "".join(r.choice(alnum + "-_") for _ in range(max(0, n - 2)))
        label = r.choice(alnum) + mid + (r.choice(alnum) if n > 1 else "")
        labels.append(label)
    return ".".join(labels)


def address(r, unit_no, used):
    """A new address for a unit (canonical form) and how the sheet spells it."""
    while True:
        kind = r.random()
        if kind < 0.6:
            ip = ipaddress.ip_address("10.%d.%d.%d" % (unit_no, r.randint(0, 255), r.randint(1, 254)))
            text = str(ip)
        elif kind < 0.7:
            ip = ipaddress.ip_address("192.168.1.%d" % r.randint(1, 254))  # repeats across units
            text = str(ip)
        elif kind < 0.8:
            ip = ipaddress.ip_address("10.%d.%d.%d" % (unit_no, r.randint(0, 255), r.randint(1, 254)))
            text = "::ffff:" + str(ip)  # IPv4-mapped: shown as IPv4
        else:
            ip = ipaddress.ip_address("2001:db8:%x::%x" % (unit_no, r.randint(1, 0xFFFF)))
            text = r.choice([str(ip), str(ip).upper(), ip.exploded, ip.exploded.upper()])
        if str(ip) not in used:
            used.add(str(ip))
            return text


def gen(path, rows, seed, newlines, delimiter):
    r = random.Random(seed)
    cols = list(HEADER)
    r.shuffle(cols)
    unit_systems = {u: {} for u in UNITS}  # unit -> {system: level}
    for u in UNITS:
        for name in r.sample(SYSTEM_NAMES, 4):
            unit_systems[u][name] = r.randint(1, 5)
    used_addr = {u: set() for u in UNITS}
    used_host = {u: set() for u in UNITS}
    introduced = set()  # (unit, system) already given a level in the file
    written = []
    out = []
    while len(out) < rows:
        if written and r.random() < 0.03:
            # The same host again, spelt differently: same data after normalisation.
            row = dict(r.choice(written))
            row["hostname"] = pad(r, "".join(c.upper() if r.random() < 0.5 else c.lower()
                                             for c in row["hostname"].strip()))
            row["unit"] = pad(r, row["unit"].strip())
            row["role"] = pad(r, r.choice(ROLES[row["_role"]]))
            out.append(row)
            continue
        ui = r.randrange(len(UNITS))
        unit = UNITS[ui]
        while True:
            h = hostname(r)
            if h.lower() not in used_host[unit]:
                used_host[unit].add(h.lower())
                break
        role = r.choice(list(ROLES))
        systems = r.sample(list(unit_systems[unit]), r.randint(1, 3))
        levels = [unit_systems[unit][s] for s in systems]
        if all((unit, s) in introduced for s in systems) and r.random() < 0.3:
            level = ""
        elif len(set(levels)) == 1 and r.random() < 0.6:
            level = r.choice(["%d", " %d ", "cấp độ %d", "Cấp độ %d"]) % levels[0]
        else:
            level = r.choice([";", "; ", " ;"]).join(str(x) for x in levels)
        introduced.update((unit, s) for s in systems)
        ips = [address(r, ui, used_addr[unit]) for _ in range(r.randint(0, 3))]
        row = {
            "unit": pad(r, unit),
            "hostname": pad(r, h),
            "role": pad(r, r.choice(ROLES[role])),
            "_role": role,
            "system": r.choice([";", " ; ", "; "]).join(pad(r, s) for s in systems),
            "level": level,
            "os": pad(r, r.choice(OSES)),
            "ip": r.choice([";", "; ", ", ", " ", ","]).join(ips),
            "note": note_text(r, newlines),
        }
        written.append(row)
        out.append(row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter)  # QUOTE_MINIMAL, lineterminator "\r\n"
        w.writerow([HEADER[c] for c in cols])
        for row in out:
            w.writerow([row[c] for c in cols])
    print("%s: %d rows" % (path, len(out)))


# ---- the oracle: read back with csv.reader and normalise ------------------------------

def cell(v):
    v = v.strip(SPACE)
    return v or None


def norm_role(v):
    low = v.lower()
    for role, names in ROLES.items():
        if low in {n.lower() for n in names}:
            return role
    raise ValueError("role %r" % v)


def norm_level(v):
    v = v.strip(SPACE)
    for prefix in ("cấp độ",):
        if v.lower().startswith(prefix):
            v = v[len(prefix):].strip(SPACE)
    n = int(v)
    assert 1 <= n <= 5
    return n


def norm_os(v):
    """(name, release): lower case; the release from the last word starting with a digit."""
    if v is None:
        return None, None
    t = v.lower()
    cut = None
    for i in range(1, len(t)):
        if t[i - 1] == " " and t[i].isdigit():
            cut = i
    if cut is None:
        return t, None
    return t[:cut - 1].strip(SPACE), t[cut:]


def norm_ip(text):
    ip = ipaddress.ip_address(text)
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def expected(path, delimiter):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        rows = []
        start = 1
        for rec in reader:
            rows.append((start, rec))  # (the line the record starts on, its cells)
            start = reader.line_num + 1
    fold = {v.strip().lower(): k for k, v in HEADER.items()}
    cols = [fold[h.strip().lower()] for h in rows[0][1]]
    levels = {}
    hosts = {}
    for line, rec in rows[1:]:
        c = dict(zip(cols, rec))
        unit = cell(c["unit"])
        name = cell(c["hostname"]).lower()
        systems = [s.strip(SPACE) for s in c["system"].split(";") if s.strip(SPACE)]
        lv = cell(c["level"])
        if lv is None:
            lvls = [levels[(unit, s)] for s in systems]
        else:
            items = [x for x in lv.split(";") if x.strip(SPACE)]
            lvls = [norm_level(x) for x in items]
            if len(lvls) == 1:
                lvls = lvls * len(systems)
        for s, l in zip(systems, lvls):
            levels.setdefault((unit, s), l)
        os_name, release = norm_os(cell(c["os"]))
        ips = [p for p in c["ip"].replace(";", " ").replace(",", " ").split() if p]
        h = {
            "unit": unit,
            "hostname": name,
            "role": norm_role(cell(c["role"])),
            "os": os_name,
            "os_release": release,
            "addresses": sorted({norm_ip(p) for p in ips}),
            "systems": sorted((s, levels[(unit, s)]) for s in systems),
            "note": cell(c["note"]),
        }
        key = (unit, name)
        if key in hosts and hosts[key][1] != h:
            raise SystemExit("the generator wrote %s twice with different data (line %d)" % (key, line))
        hosts.setdefault(key, (line, h))
    return len(rows) - 1, hosts


def check(path, hosts_json, delimiter):
    nrec, want = expected(path, delimiter)
    with open(hosts_json, encoding="utf-8") as f:
        got_list = json.load(f)
    got = {}
    for o in got_list:
        got[(o["unit"], o["hostname"])] = {
            "unit": o["unit"],
            "hostname": o["hostname"],
            "role": o["role"],
            "os": o["os"],
            "os_release": o["os_release"],
            "addresses": sorted(a["ip"] for a in o["addresses"]),
            "systems": sorted((s["name"], s["level"]) for s in o["systems"]),
            "note": o["note"],
        }
    problems = []
    for key in sorted(set(want) - set(got)):
        problems.append("missing from vigil: %s (line %d)" % (key, want[key][0]))
    for key in sorted(set(got) - set(want)):
        problems.append("not in the sheet: %s" % (key,))
    for key in sorted(set(want) & set(got)):
        line, w = want[key]
        g = got[key]
        for field in w:
            if w[field] != g[field]:
                problems.append("%s line %d, %s: csv module says %r, vigil says %r"
                                % (key, line, field, w[field], g[field]))
    print("%d records, %d hosts in the sheet, %d in vigil, %d differences"
          % (nrec, len(want), len(got), len(problems)))
    for p in problems[:25]:
        print("  " + p)
    if len(problems) > 25:
        print("  ... and %d more" % (len(problems) - 25))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("file")
    g.add_argument("--rows", type=int, default=2000)
    g.add_argument("--seed", default="vigil-csv-oracle")
    g.add_argument("--newlines", action="store_true")
    g.add_argument("--delimiter", default=",")
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("hosts_json", nargs="?")
    c.add_argument("--count", action="store_true", help="print records and hosts, nothing else")
    c.add_argument("--delimiter", default=",")
    a = ap.parse_args()
    if a.cmd == "gen":
        gen(a.file, a.rows, a.seed, a.newlines, "\t" if a.delimiter == "tab" else a.delimiter)
        return 0
    delim = "\t" if a.delimiter == "tab" else a.delimiter
    if a.count:
        nrec, want = expected(a.file, delim)
        print(nrec, len(want))
        return 0
    return check(a.file, a.hosts_json, delim)


if __name__ == "__main__":
    sys.exit(main())
