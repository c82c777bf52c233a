#!/usr/bin/env bash
# t0200-vercmp: `vigil vercmp` - output, operator form, --json, --batch,
# errors - and two oracles: dpkg's own comparison (`dpkg --compare-versions`)
# on thousands of pairs of real version strings from this machine's package
# lists, and rpm's (rpm.vercmp in rpm's Lua, rpm 4.18) on thousands of pairs
# of generated rpm versions (epochs, releases, ~, ^, letters, leading zeros).
# An oracle is skipped, with a message saying so, only when its tool is
# missing (scripts/install-deps installs both).
# shellcheck disable=SC2016,SC2034,SC2317  # test bodies are single-quoted, run by lib.sh
. "$(dirname "$0")/lib.sh"

# ---- the command ------------------------------------------------------------

test_expect_success 'vercmp prints <, = or > and exits 0' '
    run_expect 0 vigil vercmp Debian 1.0 1.0~rc1 && check_eq ">" "$(cat out)" &&
    run_expect 0 vigil vercmp Debian:12 1:0.9 2.0 && check_eq ">" "$(cat out)" &&
    run_expect 0 vigil vercmp rpm 1.0 1.0^git1 && check_eq "<" "$(cat out)" &&
    run_expect 0 vigil vercmp Alpine:v3.18 1.0_rc1 1.0 && check_eq "<" "$(cat out)" &&
    run_expect 0 vigil vercmp "Red Hat" 0:1.0-1 1.0-1 && check_eq "=" "$(cat out)" &&
    run_expect 0 vigil vercmp generic 1.0rc1 1.0 && check_eq "<" "$(cat out)" &&
    check_empty err
'
test_expect_success 'the operator form exits 0 when true, 1 when false, prints nothing' '
    run_expect 0 vigil vercmp dpkg 1.0~rc1 lt 1.0 && check_empty out &&
    run_expect 1 vigil vercmp dpkg 1.0~rc1 gt 1.0 && check_empty out &&
    run_expect 0 vigil vercmp dpkg 1.0 "<<" 1.1 &&
    run_expect 0 vigil vercmp dpkg 1.0 "<=" 1.0 &&
    run_expect 0 vigil vercmp dpkg 1.0 = 1.00 &&
    run_expect 1 vigil vercmp dpkg 1.0 ne 1.00 &&
    run_expect 0 vigil vercmp dpkg 2 ">=" 1 &&
    run_expect 0 vigil vercmp dpkg 2 ">>" 1 &&
    run_expect 0 vigil vercmp rpm 1.0 eq 1.0 &&
    check_empty err
'
test_expect_success 'vercmp --json prints ecosystem, a, b and result' '
    run_expect 0 vigil vercmp --json Ubuntu 1.2 1.10 &&
    check_json out "d == {\"ecosystem\": \"Ubuntu\", \"a\": \"1.2\", \"b\": \"1.10\", \"result\": \"<\"}"
'
test_expect_success 'an invalid version exits 2 naming the argument and the reason' '
    run_expect 2 vigil vercmp dpkg 1.0 "x:1" && check_empty out &&
    check_grep "second version \(B\): .x:1. is not a dpkg version: epoch in version is empty" err &&
    run_expect 2 vigil vercmp dpkg "1.0-" 1 &&
    check_grep "first version \(A\): .*revision number is empty" err &&
    run_expect 2 vigil vercmp alpine 1.0 1.0bc &&
    check_grep "second version \(B\): .1.0bc. is not an apk version" err &&
    run_expect 2 vigil vercmp dpkg 1.0 lt "1 2" && check_grep "embedded spaces" err
'
test_expect_success 'an unknown ecosystem or operator exits 2 and says so' '
    run_expect 2 vigil vercmp Plan9 1 2 && check_grep "unknown ecosystem .Plan9." err &&
    run_expect 2 vigil vercmp dpkg 1 "<" 2 && check_grep "unknown operator" err &&
    run_expect 2 vigil vercmp dpkg 1 && check_grep "expected ECOSYSTEM A B" err
'
test_expect_success 'vercmp --batch prints one result per line, ? for a bad line' '
    printf "1.0 1.1\n2:1 1:2\n1.0 1.0\nx:1 1\n1.0\n" >pairs &&
    run_expect 2 vigil vercmp --batch dpkg <pairs &&
    printf "<\n>\n=\n?\n?\n" >want && check_output want out &&
    check_grep "<stdin>:4: first version \(A\)" err &&
    check_grep "<stdin>:5: expected two versions" err &&
    printf "1 2\n" | vigil vercmp --batch --json rpm >out &&
    check_json out "d[\"result\"] == \"<\""
'
test_expect_success 'vigil help vercmp documents the forms and --batch' '
    run_expect 0 vigil help vercmp &&
    check_grep "^usage: vigil vercmp ECOSYSTEM A B" out && check_grep "[-]-batch" out
'

# ---- oracle: dpkg -------------------------------------------------------------

# Pairs of real Debian versions: random pairs across packages, pairs of
# versions of the same package, and hand-made edge cases; dpkg decides.
dpkg_pairs() {
    { apt-cache dumpavail 2>/dev/null | sed -n 's/^Package: /P /p; s/^Version: /V /p'
      dpkg-query -W -f 'P ${Package}\nV ${Version}\n' 2>/dev/null; } >pkgvers &&
    python3 - pkgvers >dpkg-pairs <<'EOF'
import random, sys
rng = random.Random(200)
by_pkg, allv, pkg = {}, set(), None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    kind, _, val = line.rstrip("\n").partition(" ")
    if kind == "P":
        pkg = val
    elif kind == "V" and val and " " not in val:
        by_pkg.setdefault(pkg, set()).add(val)
        allv.add(val)
allv = sorted(allv)
edge = ["1.0", "1.0~rc1", "1.0~~", "1.0~", "1.0+b1", "1.0-0", "1.0-1", "0:1.0", "1:0", "1:1.0~a",
        "2:0.1", "1.000001", "1.1", "1.01", "99999999999999999999999", "100000000000000000000000",
        "1.0a", "1.0A", "1.0.a", "1.0+", "1.0-1~bpo1", "1.0-1+deb12u1", "1.0-1ubuntu0.1",
        "2147483647:1", "0:0", "1.2.3+dfsg-4", "1.2.3+dfsg1-4", "7.88.1-10+deb12u5", "1a", "1.a~",
        "0.0", "0", "00", "1.0-a", "1.0-A", "1.0-~", "1-1-1", "1:2:3", "1.0:1"]
if len(allv) < 1000:
    sys.exit("only %d distinct versions found in the package lists" % len(allv))
pairs = set()
while len(pairs) < 2400:
    pairs.add((rng.choice(allv), rng.choice(allv)))
multi = [sorted(v) for v in by_pkg.values() if len(v) > 1]
for _ in range(600 if multi else 0):
    vs = rng.choice(multi)
    pairs.add((rng.choice(vs), rng.choice(vs)))
for a in edge:
    for b in edge:
        if rng.random() < 0.25 or a == b:
            pairs.add((a, b))
    pairs.add((a, rng.choice(allv)))
for a, b in sorted(pairs):
    print(a, b)
EOF
}

# dpkg_oracle PAIRS: one of <, =, > per pair, from dpkg --compare-versions;
# ? where dpkg rejects a version (exit 2), as vigil --batch prints.
dpkg_oracle() {
    python3 - "$1" <<'EOF'
import subprocess, sys
def holds(a, op, b):
    r = subprocess.run(["dpkg", "--compare-versions", a, op, b],
                       stderr=subprocess.DEVNULL)
    if r.returncode not in (0, 1, 2):
        sys.exit("dpkg --compare-versions %r %s %r: exit %d" % (a, op, b, r.returncode))
    return r.returncode
for line in open(sys.argv[1], encoding="utf-8"):
    a, b = line.split()
    lt = holds(a, "lt", b)
    print("?" if lt == 2 else "<" if lt == 0 else "=" if holds(a, "eq", b) == 0 else ">")
EOF
}

# diff_results PAIRS WANT GOT: report every pair where the results differ.
diff_results() {
    paste -d " " "$1" "$2" "$3" | awk '$3 != $4 { bad++; if (bad <= 20) print "  " $1 " vs " $2 ": oracle " $3 ", vigil " $4 } END { if (bad) { print bad " of " NR " pairs differ"; exit 1 } print NR " pairs agree" }'
}

if command -v dpkg >/dev/null && command -v apt-cache >/dev/null; then
    test_expect_success 'dpkg oracle: vigil agrees with dpkg --compare-versions on every pair' '
        dpkg_pairs && n=$(wc -l <dpkg-pairs) && test "$n" -ge 3000 &&
        dpkg_oracle dpkg-pairs >dpkg-want &&
        { vigil vercmp --batch Debian <dpkg-pairs >dpkg-got 2>dpkg-err; rc=$?; } &&
        diff_results dpkg-pairs dpkg-want dpkg-got &&
        if grep -q "?" dpkg-want; then check_eq 2 "$rc" "exit code"; else check_eq 0 "$rc"; fi
    '
else
    say "# SKIP dpkg oracle: dpkg or apt-cache is not installed"
fi

# ---- oracle: rpm --------------------------------------------------------------

# Generated rpm EVRs: epochs, releases, ~ and ^, letters, leading zeros,
# separators, and a few hand-made edge cases (rpm's tests/rpmvercmp.at).
rpm_pairs() {
    python3 - >rpm-pairs <<'EOF'
import random
rng = random.Random(201)
def seg():
    k = rng.random()
    if k < 0.5:
        return str(rng.choice([0, 1, 2, 3, 9, 10, 11, 99, 100, 2023, rng.randrange(10**6)])).zfill(
            rng.choice([1, 1, 1, 2, 3]))
    if k < 0.8:
        return "".join(rng.choice("abcxyzABZ") for _ in range(rng.randint(1, 3)))
    return rng.choice(["rc", "beta", "alpha", "git", "fc", "el", "pre", "p"]) + str(rng.randint(0, 12))
def part():
    out = seg()
    for _ in range(rng.randint(0, 4)):
        out += rng.choice([".", ".", ".", "_", "+", "~", "^", "", "~~", ".."]) + seg()
    if rng.random() < 0.1:
        out += rng.choice(["~", "^", ".", "+"])
    return out
def evr():
    v = part()
    if rng.random() < 0.3:
        v = str(rng.choice([0, 0, 1, 2, 10])).zfill(rng.choice([1, 1, 2])) + ":" + v
    if rng.random() < 0.6:
        v += "-" + part()
    return v
edge = ["1.0", "1.0~rc1", "1.0^", "1.0^git1", "1.0^git1~pre", "1.0.1", "1.0a", "1.0.a", "1.0~",
        "1.0^^", "1.0~~", "1.0-1", "1.0-0", "0:1.0", "1:1.0", "01:1.0", "1.01", "1.001", "1.0.0",
        "1..0", "1_0", "1+0", "a", "b", "1a", "1b", "a1", "1.0~rc1^git1", "1.0^git1~rc1",
        "2.0.1a", "2.0.1", "5.5p1", "5.5p2", "5.5p10", "10xyz", "10.1xyz", "xyz10", "xyz10.1",
        "1.0-1.el9", "1.0-1.fc38", "6.0.rc1", "6.0", "10b2", "10a2", "1.0aa", "1.0a",
        "1.0010", "1.9", "99999999999999999999", "100000000000000000000", "1.0-1^", "1.0-1~"]
pairs = set()
pool = [evr() for _ in range(1500)]
while len(pairs) < 2600:
    a = rng.choice(pool)
    if rng.random() < 0.3:
        # a close variant of a: the interesting comparisons are between near versions
        b = a
        for _ in range(rng.randint(1, 2)):
            i = rng.randrange(len(b) + 1)
            b = b[:i] + rng.choice(["~", "^", "1", "0", "a", ".", "-1", "z", ""]) + b[i + 1:]
        if not b or b[0] in "-:" or b.endswith("-") or b.endswith(":") or ":-" in b or b.startswith(":"):
            continue
        pairs.add((a, b))
    else:
        pairs.add((a, rng.choice(pool)))
for a in edge:
    for b in edge:
        pairs.add((a, b))
for a, b in sorted(pairs):
    print(a, b)
EOF
}

# rpm_oracle PAIRS: rpm.vercmp for every pair in one rpm process.
rpm_oracle() {
    cat >rpm-oracle.lua <<EOF
local out = io.open("$TRASH/rpm-want", "w")
for line in io.lines("$1") do
    local a, b = line:match("^(%S+) (%S+)$")
    local r = rpm.vercmp(a, b)
    out:write(r < 0 and "<" or r > 0 and ">" or "=", "\n")
end
out:close()
EOF
    rpm --eval "%{lua: dofile('$TRASH/rpm-oracle.lua')}" >/dev/null
}

if command -v rpm >/dev/null; then
    test_expect_success 'rpm oracle: vigil agrees with rpm.vercmp (rpm 4.18) on every pair' '
        rpm_pairs && n=$(wc -l <rpm-pairs) && test "$n" -ge 3000 &&
        rpm_oracle "$TRASH/rpm-pairs" && test "$(wc -l <rpm-want)" -eq "$n" &&
        vigil vercmp --batch rpm <rpm-pairs >rpm-got &&
        diff_results rpm-pairs rpm-want rpm-got
    '
else
    say "# SKIP rpm oracle: rpm is not installed (scripts/install-deps installs it)"
fi

test_done
