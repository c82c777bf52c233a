/*
 * test_vuln_version_lang.c - unit tests for lib/vuln/version_lang.c: semver
 * 2.0, PEP 440 and Maven ComparableVersion, each on the published examples
 * (semver.org's precedence chain and validity rules, PEP 440's ordering and
 * normalisation examples, maven-artifact's ComparableVersionTest), invalid
 * inputs, generated properties (reflexivity, antisymmetry, transitivity on
 * thousands of triples from a fixed seed) and, for PEP 440, an oracle:
 * Debian's python3-packaging (packaging.version.Version) ranks a few thousand
 * generated versions and every pair must compare the same way here.
 *
 * The oracle runs python3 through fork/execvp with pipes; when python3 or
 * its packaging module is missing the oracle case says so and is skipped
 * (scripts/install-deps installs python3-packaging).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/err.h"
#include "vuln/version_int.h"

#include "test.h"

#include "core/banned.h"

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t, int *, struct vg_error *);
typedef int (*check_fn)(const char *, size_t, struct vg_error *);

struct scheme {
    const char *name;
    cmp_fn cmp;
    check_fn check;
};

static const struct scheme SEMVER = {"semver", vg_vcmp_semver, vg_vcheck_semver};
static const struct scheme PEP440 = {"pep440", vg_vcmp_pep440, vg_vcheck_pep440};
static const struct scheme MAVEN = {"maven", vg_vcmp_maven, vg_vcheck_maven};

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

/* sign of cmp(a, b), or 99 when either is rejected (with the message printed). */
static int cmp3(const struct scheme *s, const char *a, const char *b)
{
    struct vg_error err = {0};
    int out = 0;
    int rc = s->cmp(a, strlen(a), b, strlen(b), &out, &err);
    if (rc != VG_OK) {
        fprintf(stderr, "    %s: '%s' vs '%s': %s\n", s->name, a, b, err.msg);
        return 99;
    }
    return sgn(out);
}

/* Expect cmp(a, b) to have sign want, and cmp(b, a) the opposite. */
static void expect(const struct scheme *s, const char *a, const char *b, int want)
{
    int ab = cmp3(s, a, b), ba = cmp3(s, b, a);
    if (ab != want || ba != -want)
        fprintf(stderr, "    %s: '%s' vs '%s': got %d/%d, want %d\n", s->name, a, b, ab, ba, want);
    CHECK(ab == want && ba == -want);
}

/* Every earlier entry of an ordered list is lower than every later one. */
static void expect_order(const struct scheme *s, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        expect(s, v[i], v[i], 0);
        for (size_t j = i + 1; j < n; j++)
            expect(s, v[i], v[j], -1);
    }
}

static void expect_valid(const struct scheme *s, const char *v)
{
    struct vg_error err = {0};
    int rc = s->check(v, strlen(v), &err);
    if (rc != VG_OK)
        fprintf(stderr, "    %s: '%s' rejected: %s\n", s->name, v, err.msg);
    CHECK_EQ_INT(rc, VG_OK);
}

static bool printable(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
            return false;
    return true;
}

/* Rejected by check and by cmp (either side), with a message naming the version. */
static void expect_invalid_n(const struct scheme *s, const char *v, size_t n)
{
    struct vg_error err = {0};
    int out = 0;
    CHECK_EQ_INT(s->check(v, n, &err), VG_EPARSE);
    CHECK_EQ_INT(err.code, VG_EPARSE);
    CHECK(strstr(err.msg, "is not a") != NULL);
    if (n && n < 40 && printable(v, n))
        CHECK(strstr(err.msg, v) != NULL);
    CHECK_EQ_INT(s->cmp(v, n, "1.0.0", 5, &out, NULL), VG_EPARSE);
    CHECK_EQ_INT(s->cmp("1.0.0", 5, v, n, &out, NULL), VG_EPARSE);
}

static void expect_invalid(const struct scheme *s, const char *v)
{
    expect_invalid_n(s, v, strlen(v));
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- semver ------------------------------------------------------------ */

static void test_semver_precedence(void)
{
    /* semver.org, section 11. */
    static const char *const chain[] = {
        "1.0.0-alpha",  "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",       "1.0.0",
    };
    static const char *const core[] = {"1.0.0", "2.0.0", "2.1.0", "2.1.1"};
    static const char *const misc[] = {
        "0.0.0-0",
        "0.0.0-0.0",
        "0.0.0-1",
        "0.0.0-9",
        "0.0.0-10",
        "0.0.0--",
        "0.0.0-A",
        "0.0.0-Z",
        "0.0.0-a",
        "0.0.0-a.0",
        "0.0.0-a.b",
        "0.0.0-z",
        "0.0.0",
        "0.0.1",
        "0.1.0",
        "1.9.0",
        "1.10.0",
        "1.11.0",
        "10.0.0",
        "18446744073709551616.0.0",
        "18446744073709551617.0.0",
        "99999999999999999999999.0.0",
    };
    expect_order(&SEMVER, chain, N_OF(chain));
    expect_order(&SEMVER, core, N_OF(core));
    expect_order(&SEMVER, misc, N_OF(misc));
    /* Build metadata does not count; a leading "v" is ignored. */
    expect(&SEMVER, "1.0.0+20130313144700", "1.0.0", 0);
    expect(&SEMVER, "1.0.0-beta+exp.sha.5114f85", "1.0.0-beta", 0);
    expect(&SEMVER, "1.0.0+a", "1.0.0+b", 0);
    expect(&SEMVER, "v1.2.3", "1.2.3", 0);
    expect(&SEMVER, "V1.2.3", "v1.2.3", 0);
    /* Go pseudo-versions are prereleases. */
    expect(&SEMVER, "v0.0.0-20210101000000-abcdef123456", "v0.0.0", -1);
    expect(&SEMVER, "v0.0.0-20210101000000-abcdef123456", "v0.0.0-20210102000000-000000000000", -1);
    expect(&SEMVER, "v1.2.4-0.20210101000000-abcdef123456", "v1.2.3", 1);
    expect(&SEMVER, "v1.2.4-0.20210101000000-abcdef123456", "v1.2.4", -1);
    expect(&SEMVER, "v1.2.4-pre.0.20210101000000-abcdef123456", "v1.2.4-pre", 1);
}

static void test_semver_validity(void)
{
    static const char *const valid[] = {
        "0.0.4",
        "1.2.3",
        "10.20.30",
        "1.1.2-prerelease+meta",
        "1.1.2+meta",
        "1.1.2+meta-valid",
        "1.0.0-alpha",
        "1.0.0-beta",
        "1.0.0-alpha.beta",
        "1.0.0-alpha.beta.1",
        "1.0.0-alpha.1",
        "1.0.0-alpha0.valid",
        "1.0.0-alpha.0valid",
        "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
        "1.0.0-rc.1+build.1",
        "2.0.0-rc.1+build.123",
        "1.2.3-beta",
        "10.2.3-DEV-SNAPSHOT",
        "1.2.3-SNAPSHOT-123",
        "1.0.0",
        "2.0.0",
        "1.1.7",
        "2.0.0+build.1848",
        "2.0.1-alpha.1227",
        "1.0.0-alpha+beta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
        "1.2.3----R-S.12.9.1--.12+meta",
        "1.2.3----RC-SNAPSHOT.12.9.1--.12",
        "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
        "99999999999999999999999.999999999999999999.99999999999999999",
        "1.0.0-0A.is.legal",
        "1.0.0+001",
        "1.0.0-0",
        "v1.2.3",
        "v0.0.0-20210101000000-abcdef123456",
    };
    static const char *const invalid[] = {
        "1",
        "1.2",
        "1.2.3-0123",
        "1.2.3-0123.0123",
        "1.1.2+.123",
        "+invalid",
        "-invalid",
        "-invalid+invalid",
        "-invalid.01",
        "alpha",
        "alpha.beta",
        "alpha.beta.1",
        "alpha.1",
        "alpha+beta",
        "alpha_beta",
        "alpha.",
        "alpha..",
        "beta",
        "1.0.0-alpha_beta",
        "-alpha.",
        "1.0.0-alpha..",
        "1.0.0-alpha..1",
        "1.0.0-alpha...1",
        "1.0.0-alpha....1",
        "1.0.0-alpha.....1",
        "1.0.0-alpha......1",
        "1.0.0-alpha.......1",
        "01.1.1",
        "1.01.1",
        "1.1.01",
        "1.2",
        "1.2.3.DEV",
        "1.2-SNAPSHOT",
        "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
        "1.2-RC-SNAPSHOT",
        "-1.0.3-gamma+b7718",
        "+justmeta",
        "9.8.7+meta+meta",
        "9.8.7-whatever+meta+meta",
        "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1-----"
        "---------..12",
        "",
        "v",
        "vv1.2.3",
        "=1.2.3",
        " 1.2.3",
        "1.2.3 ",
        "1.2.3-",
        "1.2.3+",
        "1.2.3-a+",
        "1.2.3.4",
        "1.2.3-é",
    };
    char big[1100];
    for (size_t i = 0; i < N_OF(valid); i++)
        expect_valid(&SEMVER, valid[i]);
    for (size_t i = 0; i < N_OF(invalid); i++)
        expect_invalid(&SEMVER, invalid[i]);
    expect_invalid_n(&SEMVER, "1.2.3\0", 6);
    /* Too long: capped, not parsed. */
    memset(big, '1', sizeof big);
    memcpy(big, "1.2.3-", 6);
    expect_invalid_n(&SEMVER, big, sizeof big);
    expect_valid(&SEMVER, "1.2.3-a");
}

/* ---- PEP 440 ----------------------------------------------------------- */

static void test_pep440_order(void)
{
    /* PEP 440, "Summary of permitted suffixes and relative ordering". */
    static const char *const pep[] = {
        "1.dev0",
        "1.0.dev456",
        "1.0a1",
        "1.0a2.dev456",
        "1.0a12.dev456",
        "1.0a12",
        "1.0b1.dev456",
        "1.0b2",
        "1.0b2.post345.dev456",
        "1.0b2.post345",
        "1.0rc1.dev456",
        "1.0rc1",
        "1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0.post456.dev34",
        "1.0.post456",
        "1.0.15",
        "1.1.dev1",
    };
    /* Epochs, local versions, big numbers. */
    static const char *const more[] = {
        "0.9",     "1.0",   "1.0+a",  "1.0+a.b",
        "1.0+a.0", "1.0+b", "1.0+0",  "1.0+1",
        "1.0+1.a", "1.0+2", "1.0+10", "1.0.post0",
        "1.1",     "2",     "10",     "99999999999999999999",
        "1!0.1",   "1!1.0", "2!0",
    };
    expect_order(&PEP440, pep, N_OF(pep));
    expect_order(&PEP440, more, N_OF(more));
}

static void test_pep440_normalisation(void)
{
    /* PEP 440, "Normalization": each pair is the same version. */
    static const char *const same[][2] = {
        {"1.0.0", "1.0"},
        {"1.0.0.0", "1"},
        {"1.1RC1", "1.1rc1"},
        {"00", "0"},
        {"09000", "9000"},
        {"1.0+foo0100", "1.0+FOO0100"},
        {"1.1.a1", "1.1a1"},
        {"1.1-a1", "1.1a1"},
        {"1.1_a1", "1.1a1"},
        {"1.0a.1", "1.0a1"},
        {"1.1alpha1", "1.1a1"},
        {"1.1beta2", "1.1b2"},
        {"1.1c3", "1.1rc3"},
        {"1.1pre3", "1.1rc3"},
        {"1.1preview3", "1.1rc3"},
        {"1.2a", "1.2a0"},
        {"1.2-post2", "1.2.post2"},
        {"1.2_post2", "1.2.post2"},
        {"1.2post2", "1.2.post2"},
        {"1.2.post-2", "1.2.post2"},
        {"1.0-r4", "1.0.post4"},
        {"1.0-rev4", "1.0.post4"},
        {"1.2.post", "1.2.post0"},
        {"1.0-1", "1.0.post1"},
        {"1.2-dev2", "1.2.dev2"},
        {"1.2dev2", "1.2.dev2"},
        {"1.2.dev", "1.2.dev0"},
        {"1.0+ubuntu-1", "1.0+ubuntu.1"},
        {"1.0+ubuntu_1", "1.0+ubuntu.1"},
        {"v1.0", "1.0"},
        {"V1.0", "1.0"},
        {" 1.0\n", "1.0"},
        {"\t1.0 ", "1.0"},
        {"0!1.0", "1.0"},
        {"1.0+01", "1.0+1"},
        {"1.0a-", "1.0a0"},
        {"1.0.post.", "1.0.post0"},
        {"1.0a..dev", "1.0a0.dev0"},
        {"1.0a-post1", "1.0a0.post1"},
        {"1.0_dev_", "1.0.dev0"},
        {"1.0.r.", "1.0.post0"},
        {"1.0ALPHA1.POST2.DEV3+LOC", "1.0a1.post2.dev3+loc"},
    };
    for (size_t i = 0; i < N_OF(same); i++)
        expect(&PEP440, same[i][0], same[i][1], 0);
    expect(&PEP440, "1!1.0", "2.0", 1);
}

static void test_pep440_invalid(void)
{
    static const char *const invalid[] = {
        "",
        "1.0-",
        "1.0.",
        "1!",
        "a1.0",
        "1.0+",
        "1.0+a..b",
        "1.0+a_",
        "1.0 dev",
        "1.0.x",
        "1..0",
        "1.0a1a1",
        "1.0post1.post2",
        "1.0.dev1.post1",
        "vv1.0",
        "1.0.dev1.a1",
        "!1.0",
        "1.0+a+b",
        "1.0-",
        ".1",
        "1.0ab",
        "1.0.prev",
        "french toast",
        "1.0+é",
        "1.0é",
        "v",
        " ",
        "1.0-a-b",
    };
    char big[1100];
    for (size_t i = 0; i < N_OF(invalid); i++)
        expect_invalid(&PEP440, invalid[i]);
    expect_invalid_n(&PEP440, "1.0\0", 4);
    memset(big, '1', sizeof big);
    expect_invalid_n(&PEP440, big, sizeof big);
    expect_valid(&PEP440, "1.0a-");
}

/* ---- Maven ------------------------------------------------------------- */

static void test_maven_order(void)
{
    /* maven-artifact 3.9.x ComparableVersionTest: VERSIONS_QUALIFIER and VERSIONS_NUMBER. */
    static const char *const qualifier[] = {
        "1-alpha2snapshot",
        "1-alpha2",
        "1-alpha-123",
        "1-beta-2",
        "1-beta123",
        "1-m2",
        "1-m11",
        "1-rc",
        "1-cr2",
        "1-rc123",
        "1-SNAPSHOT",
        "1",
        "1-sp",
        "1-sp2",
        "1-sp123",
        "1-abc",
        "1-def",
        "1-pom-1",
        "1-1-snapshot",
        "1-1",
        "1-2",
        "1-123",
    };
    static const char *const number[] = {
        "2.0",    "2.0.a", "2-1",     "2.0.2", "2.0.123", "2.1.0", "2.1-a",  "2.1b",
        "2.1-c",  "2.1-1", "2.1.0.1", "2.2",   "2.123",   "11.a2", "11.a11", "11.b2",
        "11.b11", "11.m2", "11.m11",  "11",    "11.a",    "11b",   "11c",    "11m",
    };
    /* testMng6572: numbers past 2^31 and 2^63. */
    static const char *const big[] = {
        "20190126.230843",
        "1234567890.12345",
        "123456789012345.1H.5-beta",
        "12345678901234567890.1H.5-beta",
    };
    static const char *const pairs[][2] = {
        /* testVersionComparing */
        {"1", "2"},
        {"1.5", "2"},
        {"1", "2.5"},
        {"1.0", "1.1"},
        {"1.1", "1.2"},
        {"1.0.0", "1.1"},
        {"1.0.1", "1.1"},
        {"1.1", "1.2.0"},
        {"1.0-alpha-1", "1.0"},
        {"1.0-alpha-1", "1.0-alpha-2"},
        {"1.0-alpha-1", "1.0-beta-1"},
        {"1.0-beta-1", "1.0-SNAPSHOT"},
        {"1.0-SNAPSHOT", "1.0"},
        {"1.0-alpha-1-SNAPSHOT", "1.0-alpha-1"},
        {"1.0", "1.0-1"},
        {"1.0-1", "1.0-2"},
        {"1.0.0", "1.0-1"},
        {"2.0-1", "2.0.1"},
        {"2.0.1-klm", "2.0.1-lmn"},
        {"2.0.1", "2.0.1-xyz"},
        {"2.0.1", "2.0.1-123"},
        {"2.0.1-xyz", "2.0.1-123"},
        /* testMng5568 */
        {"6.1.0rC3", "6.1.0"},
        {"6.1.0rC3", "6.1H.5-beta"},
        {"6.1.0", "6.1H.5-beta"},
        /* testMng6964 */
        {"1-0.alpha", "1"},
        {"1-0.beta", "1"},
        {"1-0.rc", "1"},
        {"1", "1.0-0.sp"},
        /* the qualifier ladder */
        {"1-alpha", "1-beta"},
        {"1-beta", "1-milestone"},
        {"1-milestone", "1-rc"},
        {"1-rc", "1-snapshot"},
        {"1-snapshot", "1"},
        {"1", "1-sp"},
        {"1-sp", "1-aaa"},
        {"1-aaa", "1-zzz"},
    };
    static const char *const equal[][2] = {
        /* testVersionsEqual */
        {"1", "1"},
        {"1", "1.0"},
        {"1", "1.0.0"},
        {"1.0", "1.0.0"},
        {"1", "1-0"},
        {"1", "1.0-0"},
        {"1.0", "1.0-0"},
        {"1a", "1.a"},
        {"1a", "1-a"},
        {"1a", "1.0-a"},
        {"1a", "1.0.0-a"},
        {"1.0a", "1.0.a"},
        {"1.0a", "1-a"},
        {"1.0.0a", "1-a"},
        {"1.0x", "1-x"},
        {"1.0.0x", "1-x"},
        {"2-abc", "2.0.0.abc"},
        {"2.0.a", "2.0.0.a"},
        {"1.0.0a", "1.0.0.a"},
        {"1x", "1.x"},
        {"1x", "1-x"},
        {"1x", "1.0-x"},
        {"1x", "1.0.0-x"},
        {"1.0x", "1.0.x"},
        {"1.0.0x", "1.0.0.x"},
        {"1ga", "1"},
        {"1release", "1"},
        {"1final", "1"},
        {"1cr", "1rc"},
        {"1a1", "1alpha1"},
        {"1b2", "1beta2"},
        {"1m3", "1milestone3"},
        {"1X", "1x"},
        {"1A", "1a"},
        {"1B", "1b"},
        {"1M", "1m"},
        {"1Ga", "1"},
        {"1GA", "1"},
        {"1RELEASE", "1"},
        {"1release", "1"},
        {"1RELeaSE", "1"},
        {"1Final", "1"},
        {"1FinaL", "1"},
        {"1FINAL", "1"},
        {"1Cr", "1Rc"},
        {"1cR", "1rC"},
        {"1m3", "1Milestone3"},
        {"1m3", "1MileStone3"},
        {"1m3", "1MILESTONE3"},
        /* testLocaleIndependent */
        {"1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        /* testVersionEqualWithLeadingZeroes */
        {"0000000000000000001", "1"},
        {"000000000000000000001", "1"},
        {"0000000000000000000000001", "01"},
        {"1.000000000000000000000000000", "1"},
        /* testVersionZeroEqualWithLeadingZeroes */
        {"0000000000000000000", "0"},
        {"000000000000000000000000", "0"},
        {"0", "0.0"},
        /* empty parts are zeros */
        {"1..0", "1"},
        {"1-", "1"},
        {"1.0-0.0", "1"},
    };
    expect_order(&MAVEN, qualifier, N_OF(qualifier));
    expect_order(&MAVEN, number, N_OF(number));
    expect_order(&MAVEN, big, N_OF(big));
    for (size_t i = 0; i < N_OF(pairs); i++)
        expect(&MAVEN, pairs[i][0], pairs[i][1], -1);
    for (size_t i = 0; i < N_OF(equal); i++)
        expect(&MAVEN, equal[i][0], equal[i][1], 0);
}

static void test_maven_invalid(void)
{
    static const char *const invalid[] = {"", "1 0", " 1", "1\t", "1.0-é", "1\x7f"};
    char big[1100];
    for (size_t i = 0; i < N_OF(invalid); i++)
        expect_invalid(&MAVEN, invalid[i]);
    expect_invalid_n(&MAVEN, "1\0", 2);
    memset(big, '1', sizeof big);
    expect_invalid_n(&MAVEN, big, sizeof big);
    big[1024] = '\0'; /* exactly the cap */
    expect_valid(&MAVEN, big);
    expect_valid(&MAVEN, "-");
    expect_valid(&MAVEN, ".");
    expect_valid(&MAVEN, "-.-.-a-1-.");
}

/* ---- generated properties ------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    /* xorshift64*: deterministic, so a failure reproduces */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ULL) >> 33) % n;
}

static const char *pick(const char *const *v, size_t n)
{
    return v[rnd((uint32_t)n)];
}

#define PICK(a) pick((a), N_OF(a))

static void cat(char *buf, size_t cap, const char *s)
{
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "%s", s);
}

static void gen_semver(char *buf, size_t cap)
{
    static const char *const nums[] = {"0", "1", "2", "10", "11", "99999999999999999999"};
    static const char *const ids[] = {"0",     "1",    "2",  "11",
                                      "alpha", "beta", "rc", "a-b",
                                      "-",     "A",    "x1", "20210101000000-abcdef123456"};
    buf[0] = '\0';
    if (rnd(4) == 0)
        cat(buf, cap, "v");
    for (int k = 0; k < 3; k++) {
        cat(buf, cap, k ? "." : "");
        cat(buf, cap, rnd(3) ? PICK(nums) : "0");
    }
    if (rnd(2)) {
        int n = 1 + (int)rnd(3);
        cat(buf, cap, "-");
        for (int k = 0; k < n; k++) {
            cat(buf, cap, k ? "." : "");
            cat(buf, cap, PICK(ids));
        }
    }
    if (rnd(5) == 0)
        cat(buf, cap, "+build.01");
}

static void gen_pep440(char *buf, size_t cap)
{
    static const char *const nums[] = {
        "0", "1", "2", "10", "01", "00", "9", "456", "99999999999999999999"};
    static const char *const seps[] = {"", ".", "-", "_"};
    static const char *const pre[] = {"a",   "b",       "rc", "c",  "alpha", "beta",
                                      "pre", "preview", "A",  "RC", "Beta"};
    static const char *const post[] = {"post", "rev", "r", "POST", "Rev"};
    static const char *const dev[] = {"dev", "DEV", "Dev"};
    static const char *const local[] = {"abc", "5", "7", "ubuntu", "1", "01", "A", "b2", "0"};
    buf[0] = '\0';
    if (rnd(8) == 0)
        cat(buf, cap, rnd(2) ? " " : "\t");
    if (rnd(6) == 0)
        cat(buf, cap, rnd(2) ? "v" : "V");
    if (rnd(8) == 0) {
        cat(buf, cap, rnd(3) ? "1" : "0");
        cat(buf, cap, "!");
    }
    for (int k = 0, n = 1 + (int)rnd(4); k < n; k++) {
        cat(buf, cap, k ? "." : "");
        cat(buf, cap, PICK(nums));
    }
    if (rnd(3) == 0) {
        cat(buf, cap, PICK(seps));
        cat(buf, cap, PICK(pre));
        if (rnd(4)) {
            cat(buf, cap, PICK(seps));
            cat(buf, cap, PICK(nums));
        }
    }
    if (rnd(3) == 0) {
        if (rnd(4) == 0) {
            cat(buf, cap, "-");
            cat(buf, cap, PICK(nums));
        } else {
            cat(buf, cap, PICK(seps));
            cat(buf, cap, PICK(post));
            if (rnd(4)) {
                cat(buf, cap, PICK(seps));
                cat(buf, cap, PICK(nums));
            }
        }
    }
    if (rnd(3) == 0) {
        cat(buf, cap, PICK(seps));
        cat(buf, cap, PICK(dev));
        if (rnd(4)) {
            cat(buf, cap, PICK(seps));
            cat(buf, cap, PICK(nums));
        }
    }
    if (rnd(4) == 0) {
        cat(buf, cap, "+");
        for (int k = 0, n = 1 + (int)rnd(3); k < n; k++) {
            cat(buf, cap, k ? pick(seps + 1, N_OF(seps) - 1) : "");
            cat(buf, cap, PICK(local));
        }
    }
    if (rnd(10) == 0)
        cat(buf, cap, rnd(2) ? "\n" : " ");
}

static void gen_maven(char *buf, size_t cap)
{
    static const char *const parts[] = {"0",         "1",
                                        "2",         "10",
                                        "01",        "a",
                                        "b",         "m",
                                        "alpha",     "beta",
                                        "milestone", "rc",
                                        "cr",        "snapshot",
                                        "SNAPSHOT",  "ga",
                                        "final",     "release",
                                        "sp",        "x",
                                        "abc",       "99999999999999999999"};
    static const char *const seps[] = {".", "-", ""};
    buf[0] = '\0';
    for (int k = 0, n = 1 + (int)rnd(6); k < n; k++) {
        cat(buf, cap, k ? PICK(seps) : "");
        cat(buf, cap, PICK(parts));
    }
}

/*
 * Reflexivity, antisymmetry and (when transitive) transitivity on generated
 * triples. Maven's ComparableVersion is not transitive: a sub-list sorts above
 * a string but below a number, while "nothing" compares by the first item
 * inside, so cycles exist in Maven itself (checked with maven-artifact 3.8.7:
 * 0-beta-x < final < x-SNAPSHOT.milestone-x-milestone.0 < 0-beta-x); for
 * Maven only the cycles are counted.
 */
static int check_triples(const struct scheme *s, void (*gen)(char *, size_t), int count,
                         bool transitive)
{
    int cycles = 0;
    char v[3][128];
    int bad = 0, ordered = 0;
    for (int t = 0; t < count && bad < 10; t++) {
        int c[3][3], bad_before = bad;
        for (int k = 0; k < 3; k++)
            gen(v[k], sizeof v[k]);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                c[i][j] = cmp3(s, v[i], v[j]);
        for (int i = 0; i < 3; i++) {
            if (c[i][i] != 0)
                bad++;
            for (int j = 0; j < 3; j++) {
                if (c[i][j] == 99 || c[i][j] != -c[j][i])
                    bad++;
                for (int k = 0; k < 3; k++) {
                    bool broken = (c[i][j] <= 0 && c[j][k] <= 0 && c[i][k] > 0) ||
                                  (c[i][j] == 0 && c[j][k] == 0 && c[i][k] != 0);
                    if (broken && transitive)
                        bad++;
                    cycles += broken;
                }
            }
        }
        ordered += c[0][1] != 0;
        if (bad != bad_before)
            fprintf(stderr, "    %s: property broken on '%s' '%s' '%s'\n", s->name, v[0], v[1],
                    v[2]);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK(ordered > count / 2); /* the generator does produce different versions */
    return cycles;
}

static void test_properties(void)
{
    int cycles;
    rng_state = 0x9e3779b97f4a7c15ULL;
    CHECK_EQ_INT(check_triples(&SEMVER, gen_semver, 5000, true), 0);
    CHECK_EQ_INT(check_triples(&PEP440, gen_pep440, 5000, true), 0);
    cycles = check_triples(&MAVEN, gen_maven, 5000, false);
    printf("maven: %d intransitive orderings in 5000 generated triples (as in Maven)\n", cycles);
    CHECK(cycles < 5000 / 10);
}

/* ---- the PEP 440 oracle: python3-packaging ------------------------------------ */

/*
 * Reads one version per line (escaped as Python literals, so whitespace
 * survives), prints per line its rank among the valid ones (equal versions
 * share a rank) or "X" when packaging rejects it. Exit 3: no packaging.
 */
static const char ORACLE_PY[] =
    "import sys, ast\n"
    "try:\n"
    "    from packaging.version import Version, InvalidVersion\n"
    "except ImportError:\n"
    "    sys.exit(3)\n"
    "vs = [ast.literal_eval(l) for l in sys.stdin.read().splitlines()]\n"
    "parsed = []\n"
    "for s in vs:\n"
    "    try:\n"
    "        parsed.append(Version(s))\n"
    "    except InvalidVersion:\n"
    "        parsed.append(None)\n"
    "order = sorted(set(p for p in parsed if p is not None))\n"
    "rank = {p: i for i, p in enumerate(order)}\n"
    "out = [('X' if p is None else str(rank[p])) for p in parsed]\n"
    "sys.stdout.write('\\n'.join(out) + '\\n')\n";

#define ORACLE_N 2500

static char oracle_v[ORACLE_N][128];
static long oracle_rank[ORACLE_N];

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/*
 * Run python (argv) with input on stdin; its stdout into a malloc'd buffer.
 * Returns the exit status (-1 when it could not run).
 */
static int run_python(const char *py, const char *input, size_t input_n, char **out, size_t *out_n)
{
    int in[2], outp[2], st;
    pid_t pid;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf || pipe(in) != 0 || pipe(outp) != 0) {
        free(buf);
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        free(buf);
        return -1;
    }
    if (pid == 0) {
        char *argv[] = {(char *)py, (char *)"-c", (char *)ORACLE_PY, NULL};
        dup2(in[0], 0);
        dup2(outp[1], 1);
        close(in[0]);
        close(in[1]);
        close(outp[0]);
        close(outp[1]);
        execvp(py, argv);
        _exit(127);
    }
    close(in[0]);
    close(outp[1]);
    signal(SIGPIPE, SIG_IGN);
    /* The script reads all its input before writing: no deadlock. */
    write_all(in[1], input, input_n);
    close(in[1]);
    for (;;) {
        ssize_t r;
        if (len + 4096 > cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        r = read(outp[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(outp[0]);
    buf[len] = '\0';
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            free(buf);
            return -1;
        }
    *out = buf;
    *out_n = len;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* v as a Python string literal: "..." with \xNN for anything unusual. */
static void py_literal(char *dst, size_t cap, const char *v)
{
    size_t k = 0;
    dst[k++] = '"';
    for (; *v && k + 6 < cap; v++) {
        unsigned char c = (unsigned char)*v;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            dst[k++] = (char)c;
        else
            k += (size_t)snprintf(dst + k, cap - k, "\\x%02x", c);
    }
    dst[k++] = '"';
    dst[k++] = '\n';
    dst[k] = '\0';
}

/* A generated version, sometimes mutated so that validity is exercised too. */
static void gen_oracle(char *buf, size_t cap)
{
    static const char junk[] = ".-_+!abcdeilnoprstvwxyzAR0123456789 ";
    gen_pep440(buf, cap);
    if (rnd(6) == 0) {
        size_t len = strlen(buf), at = rnd((uint32_t)len + 1);
        if (rnd(2) && len > 1) {
            memmove(buf + at, buf + at + 1, len - at); /* delete (or drop the NUL: fine) */
            buf[len - 1] = '\0';
        } else if (len + 2 < cap) {
            memmove(buf + at + 1, buf + at, len - at + 1);
            buf[at] = junk[rnd(sizeof junk - 1)];
        }
    }
}

static void test_pep440_oracle(void)
{
    static const char *const pythons[] = {"/usr/bin/python3", "python3"};
    size_t cap = ORACLE_N * 520, len = 0, out_n = 0;
    char *input = malloc(cap), *out = NULL, *p;
    int st = -1;
    long valid = 0, agree = 0, disagree = 0, validity_mismatch = 0;

    rng_state = 0x2545f4914f6cdd1dULL;
    if (!CHECK(input != NULL))
        return;
    for (size_t i = 0; i < ORACLE_N; i++) {
        gen_oracle(oracle_v[i], sizeof oracle_v[i]);
        py_literal(input + len, cap - len, oracle_v[i]);
        len += strlen(input + len);
    }
    for (size_t k = 0; k < N_OF(pythons) && st != 0; k++) {
        free(out);
        out = NULL;
        st = run_python(pythons[k], input, len, &out, &out_n);
    }
    free(input);
    if (st != 0) {
        fprintf(stderr,
                "SKIP pep440_oracle: python3 with packaging not available (status %d); "
                "scripts/install-deps installs python3-packaging\n",
                st);
        free(out);
        return;
    }
    p = out;
    for (size_t i = 0; i < ORACLE_N; i++) {
        char *end;
        if (*p == 'X') {
            oracle_rank[i] = -1;
            p++;
        } else {
            oracle_rank[i] = strtol(p, &end, 10);
            if (!CHECK(end != p))
                break;
            p = end;
        }
        if (*p == '\n')
            p++;
    }
    free(out);
    for (size_t i = 0; i < ORACLE_N; i++) {
        bool ok = vg_vcheck_pep440(oracle_v[i], strlen(oracle_v[i]), NULL) == VG_OK;
        if (ok != (oracle_rank[i] >= 0)) {
            if (validity_mismatch++ < 10)
                fprintf(stderr, "    oracle: '%s': vigil %s, packaging %s\n", oracle_v[i],
                        ok ? "valid" : "invalid", ok ? "invalid" : "valid");
        }
        valid += ok;
    }
    for (size_t i = 0; i < ORACLE_N; i++) {
        if (oracle_rank[i] < 0)
            continue;
        for (size_t j = i; j < ORACLE_N; j++) {
            int c = 0, want;
            if (oracle_rank[j] < 0)
                continue;
            if (vg_vcmp_pep440(oracle_v[i], strlen(oracle_v[i]), oracle_v[j], strlen(oracle_v[j]),
                               &c, NULL) != VG_OK)
                continue; /* counted as a validity mismatch */
            want = (oracle_rank[i] > oracle_rank[j]) - (oracle_rank[i] < oracle_rank[j]);
            if (sgn(c) == want) {
                agree++;
            } else if (disagree++ < 10) {
                fprintf(stderr, "    oracle: '%s' vs '%s': vigil %d, packaging %d\n", oracle_v[i],
                        oracle_v[j], sgn(c), want);
            }
        }
    }
    printf("pep440 oracle: %d versions (%ld valid), %ld pairs agree, %ld disagree, "
           "%ld validity mismatches\n",
           ORACLE_N, valid, agree, disagree, validity_mismatch);
    CHECK_EQ_INT(validity_mismatch, 0);
    CHECK_EQ_INT(disagree, 0);
    CHECK(valid > ORACLE_N / 2 && agree > 1000000);
}

static const struct test_case tests[] = {
    {"semver_precedence", test_semver_precedence},
    {"semver_validity", test_semver_validity},
    {"pep440_order", test_pep440_order},
    {"pep440_normalisation", test_pep440_normalisation},
    {"pep440_invalid", test_pep440_invalid},
    {"maven_order", test_maven_order},
    {"maven_invalid", test_maven_invalid},
    {"properties", test_properties},
    {"pep440_oracle", test_pep440_oracle},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, tests);
}
