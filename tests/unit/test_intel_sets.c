/*
 * test_intel_sets.c - unit tests for the threat-intel sets (lib/intel/ipset.c,
 * lib/intel/domainset.c): prefix edges, overlaps, IPv6, the most specific
 * prefix against a brute-force model, lookups from several threads, domains
 * and their parents; and an oracle test against the iprange CLI (FireHOL),
 * which must agree on the union's ranges, its size and membership.
 *
 * Temporary files go under $VG_TEST_TMP (ctest sets it) or /tmp, in a
 * directory made with mkdtemp and removed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/parse.h"
#include "intel/intel.h"

#include "test.h"

#include "core/banned.h"

/* ---- helpers ------------------------------------------------------------- */

static struct vg_prefix P(const char *s) {
    struct vg_prefix p;
    memset(&p, 0, sizeof p);
    if (vg_prefix_parse(s, strlen(s), 0, &p) != VG_OK) {
        fprintf(stderr, "bad prefix in test: %s\n", s);
        exit(2);
    }
    return p;
}

static struct vg_ip
IP(const char *s) {
    struct vg_ip ip;
    memset(&ip, 0, sizeof ip);
    if (vg_ip_parse(s, strlen(s), &ip) != VG_OK) {
        fprintf(stderr, "bad address in test: %s\n", s);
        exit(2);
    }
    return ip;
}

static int
add(struct vg_ipset *s, const char *prefix, uint32_t value)
{
    struct vg_prefix p = P(prefix);
    return vg_ipset_add(s, &p, value);
}

/* The value found for the address, or -1 when it is not in the set. */
static int64_t look(const struct vg_ipset *s, const char *addr)
{
    struct vg_ip ip = IP(addr);
    uint32_t v = 0xdeadbeef;
    if (!vg_ipset_lookup(s, &ip, &v))
        return -1;
    return v;
}

static int64_t look_ip(const struct vg_ipset *s, const struct vg_ip *ip)
{
    uint32_t v = 0;
    if (!vg_ipset_lookup(s, ip, &v))
        return -1;
    return v;
}

static unsigned ip_bytes(const struct vg_ip *ip)
{
    return ip->family == 4 ? 4 : 16;
}

/* ip + 1 (dir > 0) or ip - 1; false when it wraps around. */
static bool ip_step(struct vg_ip *ip, int dir)
{
    for (int i = (int)ip_bytes(ip) - 1; i >= 0; i--) {
        if (dir > 0 ? ip->a[i]++ != 0xff : ip->a[i]-- != 0)
            return true;
    }
    return false;
}

/* The last address of p. */
static struct vg_ip prefix_last(const struct vg_prefix *p)
{
    struct vg_ip ip = p->ip;
    for (unsigned bit = p->len; bit < ip_bytes(&ip) * 8; bit++)
        ip.a[bit / 8] |= (uint8_t)(0x80u >> (bit % 8));
    return ip;
}

/* Ranges collected from vg_ipset_ranges, formatted "lo-hi" one per line. */
struct ranges_text {
    char buf[4096];
    size_t len;
    size_t n;
};

static void collect_text(void *ctx, const struct vg_ip *lo, const struct vg_ip *hi)
{
    struct ranges_text *r = ctx;
    char a[VG_IP_STRLEN], b[VG_IP_STRLEN];
    int w = snprintf(r->buf + r->len, sizeof r->buf - r->len, "%s-%s\n", vg_ip_format(lo, a),
                     vg_ip_format(hi, b));
    if (w > 0 && (size_t)w < sizeof r->buf - r->len)
        r->len += (size_t)w;
    r->n++;
}

static const char *ranges_of(const struct vg_ipset *s, struct ranges_text *r)
{
    memset(r, 0, sizeof *r);
    vg_ipset_ranges(s, collect_text, r);
    return r->buf;
}

/* Lookups at the edges of p: its first and last address give value, the
 * addresses just outside are not in the set (the set holds only p there). */
static void check_edges(const struct vg_ipset *s, const char *prefix, uint32_t value, bool alone)
{
    struct vg_prefix p = P(prefix);
    struct vg_ip first = p.ip, last = prefix_last(&p), out;
    CHECK_EQ_INT(look_ip(s, &first), value);
    CHECK_EQ_INT(look_ip(s, &last), value);
    if (!alone)
        return;
    out = first;
    if (ip_step(&out, -1))
        CHECK_EQ_INT(look_ip(s, &out), -1);
    out = last;
    if (ip_step(&out, +1))
        CHECK_EQ_INT(look_ip(s, &out), -1);
}

/* ---- IP sets --------------------------------------------------------------- */

static void test_ipset_overlap(void)
{
    struct vg_ipset *s = vg_ipset_new();
    struct ranges_text r;
    CHECK(s != NULL);
    CHECK_EQ_INT(add(s, "10.1.2.3/32", 3), VG_OK);
    CHECK_EQ_INT(add(s, "10.0.0.0/8", 1), VG_OK);
    CHECK_EQ_INT(add(s, "10.1.0.0/16", 2), VG_OK);
    CHECK_EQ_INT(look(s, "10.1.2.3"), -1); /* not built yet */
    CHECK_EQ_INT(vg_ipset_build(s), VG_OK);
    CHECK_EQ_INT(vg_ipset_count(s), 3);

    CHECK_EQ_INT(look(s, "9.255.255.255"), -1);
    CHECK_EQ_INT(look(s, "10.0.0.0"), 1);
    CHECK_EQ_INT(look(s, "10.0.255.255"), 1);
    CHECK_EQ_INT(look(s, "10.1.0.0"), 2);
    CHECK_EQ_INT(look(s, "10.1.2.2"), 2);
    CHECK_EQ_INT(look(s, "10.1.2.3"), 3);
    CHECK_EQ_INT(look(s, "10.1.2.4"), 2);
    CHECK_EQ_INT(look(s, "10.1.255.255"), 2);
    CHECK_EQ_INT(look(s, "10.2.0.0"), 1);
    CHECK_EQ_INT(look(s, "10.255.255.255"), 1);
    CHECK_EQ_INT(look(s, "11.0.0.0"), -1);
    CHECK_EQ_INT(look(s, "2001:db8::1"), -1);
    CHECK(vg_ipset_lookup(s, &(struct vg_ip){.family = 4, .a = {10, 1, 2, 3}}, NULL));

    /* Membership only: one run, whatever the values. */
    CHECK_EQ_STR(ranges_of(s, &r), "10.0.0.0-10.255.255.255\n");
    CHECK(vg_ipset_memory(s) > 0);
    vg_ipset_free(s);
}

static void test_ipset_lengths(void)
{
    struct vg_ipset *s = vg_ipset_new();
    struct ranges_text r;

    /* /0 and full-length prefixes at both ends of the space. */
    add(s, "0.0.0.0/0", 7);
    add(s, "0.0.0.0/32", 8);
    add(s, "255.255.255.255/32", 9);
    add(s, "128.0.0.0/1", 10);
    vg_ipset_build(s);
    CHECK_EQ_INT(look(s, "0.0.0.0"), 8);
    CHECK_EQ_INT(look(s, "0.0.0.1"), 7);
    CHECK_EQ_INT(look(s, "127.255.255.255"), 7);
    CHECK_EQ_INT(look(s, "128.0.0.0"), 10);
    CHECK_EQ_INT(look(s, "255.255.255.254"), 10);
    CHECK_EQ_INT(look(s, "255.255.255.255"), 9);
    CHECK_EQ_INT(look(s, "::1"), -1);
    CHECK_EQ_STR(ranges_of(s, &r), "0.0.0.0-255.255.255.255\n");
    vg_ipset_free(s);

    /* Each alone, with the addresses just outside. */
    const char *alone[] = {"0.0.0.0/0",
                           "128.0.0.0/1",
                           "0.0.0.0/1",
                           "10.1.2.3/32",
                           "0.0.0.0/32",
                           "255.255.255.255/32",
                           "192.168.4.0/22",
                           "172.16.0.0/12",
                           "100.64.0.0/10",
                           "1.2.3.4/31",
                           "9.8.7.0/25",
                           "::/0",
                           "::/1",
                           "8000::/1",
                           "2001:db8::1/128",
                           "::/128",
                           "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
                           "2001:db8::/33",
                           "2001:db8:8000::/33",
                           "2001:db8:1::/47",
                           "2001:db8::/63",
                           "2001:db8::2/127",
                           "2001:db8::80/121",
                           "fe80::/10",
                           "2000::/3",
                           "2001:db8:0:1:8000::/65"};
    for (size_t i = 0; i < sizeof alone / sizeof alone[0]; i++) {
        s = vg_ipset_new();
        CHECK_EQ_INT(add(s, alone[i], (uint32_t)i), VG_OK);
        CHECK_EQ_INT(vg_ipset_build(s), VG_OK);
        check_edges(s, alone[i], (uint32_t)i, true);
        CHECK_EQ_INT(vg_ipset_count(s), 1);
        vg_ipset_free(s);
    }

    /* IPv6 overlaps of odd lengths. */
    s = vg_ipset_new();
    add(s, "2001:db8::/29", 1);
    add(s, "2001:db8::/33", 2);
    add(s, "2001:db8::/63", 3);
    add(s, "2001:db8::/127", 4);
    add(s, "2001:db8::1/128", 5);
    add(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124", 6);
    add(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 7);
    vg_ipset_build(s);
    CHECK_EQ_INT(look(s, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"), -1);
    CHECK_EQ_INT(look(s, "2001:db8::"), 4);
    CHECK_EQ_INT(look(s, "2001:db8::1"), 5);
    CHECK_EQ_INT(look(s, "2001:db8::2"), 3);
    CHECK_EQ_INT(look(s, "2001:db8:0:1:ffff:ffff:ffff:ffff"), 3);
    CHECK_EQ_INT(look(s, "2001:db8:0:2::"), 2);
    CHECK_EQ_INT(look(s, "2001:db8:7fff:ffff:ffff:ffff:ffff:ffff"), 2);
    CHECK_EQ_INT(look(s, "2001:db8:8000::"), 1);
    CHECK_EQ_INT(look(s, "2001:dbf:ffff:ffff:ffff:ffff:ffff:ffff"), 1);
    CHECK_EQ_INT(look(s, "2001:dc0::"), -1);
    CHECK_EQ_INT(look(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffef"), -1);
    CHECK_EQ_INT(look(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0"), 6);
    CHECK_EQ_INT(look(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), 6);
    CHECK_EQ_INT(look(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 7);
    CHECK_EQ_INT(look(s, "10.0.0.1"), -1);
    CHECK_EQ_STR(ranges_of(s, &r), "2001:db8::-2001:dbf:ffff:ffff:ffff:ffff:ffff:ffff\n"
                                   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0-"
                                   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\n");
    vg_ipset_free(s);
}

static void test_ipset_adjacent(void)
{
    struct vg_ipset *s = vg_ipset_new();
    struct ranges_text r;
    add(s, "10.0.0.0/24", 1);
    add(s, "10.0.1.0/24", 1);
    add(s, "10.0.2.0/23", 2);
    add(s, "10.0.5.0/24", 3); /* a gap at 10.0.4.0/24 */
    add(s, "2001:db8::/64", 4);
    add(s, "2001:db8:0:1::/64", 5);
    vg_ipset_build(s);
    CHECK_EQ_INT(look(s, "10.0.0.255"), 1);
    CHECK_EQ_INT(look(s, "10.0.1.0"), 1);
    CHECK_EQ_INT(look(s, "10.0.1.255"), 1);
    CHECK_EQ_INT(look(s, "10.0.2.0"), 2);
    CHECK_EQ_INT(look(s, "10.0.3.255"), 2);
    CHECK_EQ_INT(look(s, "10.0.4.0"), -1);
    CHECK_EQ_INT(look(s, "10.0.4.255"), -1);
    CHECK_EQ_INT(look(s, "10.0.5.0"), 3);
    CHECK_EQ_INT(look(s, "10.0.6.0"), -1);
    CHECK_EQ_INT(look(s, "2001:db8::ffff"), 4);
    CHECK_EQ_INT(look(s, "2001:db8:0:1::"), 5);
    CHECK_EQ_STR(ranges_of(s, &r), "10.0.0.0-10.0.3.255\n"
                                   "10.0.5.0-10.0.5.255\n"
                                   "2001:db8::-2001:db8:0:1:ffff:ffff:ffff:ffff\n");
    CHECK_EQ_INT(r.n, 3);
    vg_ipset_free(s);
}

static void test_ipset_mapped(void)
{
    struct vg_ipset *s = vg_ipset_new();
    struct vg_ip ip;
    add(s, "10.1.2.3", 1);
    add(s, "::ffff:192.168.0.0/112", 2); /* vg_prefix_parse makes it 192.168.0.0/16 */
    add(s, "2001:db8::/32", 3);
    vg_ipset_build(s);

    ip = IP("::ffff:10.1.2.3");
    CHECK_EQ_INT(ip.family, 4);
    CHECK_EQ_INT(look_ip(s, &ip), 1);
    CHECK_EQ_INT(look(s, "192.168.255.255"), 2);
    CHECK_EQ_INT(look(s, "::ffff:192.168.1.1"), 2);
    /* A mapped address handed over as IPv6 bytes is IPv4 too. */
    ip = (struct vg_ip){.family = 6, .a = {[10] = 0xff, [11] = 0xff, 10, 1, 2, 3}};
    CHECK_EQ_INT(look_ip(s, &ip), 1);
    ip.a[15] = 4;
    CHECK_EQ_INT(look_ip(s, &ip), -1);
    CHECK_EQ_INT(look(s, "::a01:203"), -1); /* IPv4-compatible is not mapped */
    vg_ipset_free(s);

    /* A mapped prefix handed over as an IPv6 prefix, and ::/0 covering IPv4. */
    s = vg_ipset_new();
    struct vg_prefix p = {.ip = {.family = 6, .a = {[10] = 0xff, [11] = 0xff, 172, 16}},
                          .len = 108};
    CHECK_EQ_INT(vg_ipset_add(s, &p, 4), VG_OK);
    vg_ipset_build(s);
    CHECK_EQ_INT(look(s, "172.31.255.255"), 4);
    CHECK_EQ_INT(look(s, "172.32.0.0"), -1);
    vg_ipset_free(s);

    s = vg_ipset_new();
    add(s, "::/0", 5);
    add(s, "10.0.0.0/8", 6);
    vg_ipset_build(s);
    CHECK_EQ_INT(look(s, "1.1.1.1"), 5);
    CHECK_EQ_INT(look(s, "10.1.1.1"), 6);
    CHECK_EQ_INT(look(s, "2001:db8::1"), 5);
    CHECK_EQ_INT(vg_ipset_count(s), 2);
    vg_ipset_free(s);
}

static void test_ipset_empty_dup_errors(void)
{
    struct vg_ipset *s = vg_ipset_new();
    struct ranges_text r;
    struct vg_prefix bad;

    /* Empty. */
    CHECK_EQ_INT(vg_ipset_build(s), VG_OK);
    CHECK_EQ_INT(vg_ipset_count(s), 0);
    CHECK_EQ_INT(look(s, "0.0.0.0"), -1);
    CHECK_EQ_INT(look(s, "255.255.255.255"), -1);
    CHECK_EQ_INT(look(s, "::"), -1);
    CHECK_EQ_STR(ranges_of(s, &r), "");
    CHECK_EQ_INT(r.n, 0);
    CHECK(vg_ipset_memory(s) > 0);
    /* Add after build; build again. */
    CHECK_EQ_INT(add(s, "10.0.0.0/8", 1), VG_EINVAL);
    CHECK_EQ_INT(add(s, "2001:db8::/32", 1), VG_EINVAL);
    CHECK_EQ_INT(vg_ipset_build(s), VG_OK);
    CHECK_EQ_INT(vg_ipset_count(s), 0);
    vg_ipset_free(s);
    vg_ipset_free(NULL);

    /* Duplicates: the last added wins; each add counts. */
    s = vg_ipset_new();
    add(s, "10.0.0.0/8", 1);
    add(s, "10.0.0.0/8", 2);
    add(s, "10.0.0.0/8", 3);
    add(s, "10.1.1.1", 4);
    add(s, "10.1.1.1", 5);
    add(s, "2001:db8::/48", 6);
    add(s, "2001:db8::/48", 7);
    vg_ipset_build(s);
    CHECK_EQ_INT(vg_ipset_count(s), 7);
    CHECK_EQ_INT(look(s, "10.0.0.0"), 3);
    CHECK_EQ_INT(look(s, "10.1.1.1"), 5);
    CHECK_EQ_INT(look(s, "10.1.1.2"), 3);
    CHECK_EQ_INT(look(s, "2001:db8::5"), 7);
    CHECK_EQ_STR(ranges_of(s, &r), "10.0.0.0-10.255.255.255\n"
                                   "2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff\n");
    CHECK_EQ_INT(add(s, "10.0.0.0/8", 1), VG_EINVAL);
    CHECK_EQ_INT(vg_ipset_count(s), 7);
    vg_ipset_free(s);

    /* Bad prefixes; host bits are masked off. */
    s = vg_ipset_new();
    memset(&bad, 0, sizeof bad);
    CHECK_EQ_INT(vg_ipset_add(s, &bad, 1), VG_EINVAL); /* family 0 */
    bad.ip.family = 4;
    bad.len = 33;
    CHECK_EQ_INT(vg_ipset_add(s, &bad, 1), VG_EINVAL);
    bad.ip.family = 6;
    bad.len = 129;
    CHECK_EQ_INT(vg_ipset_add(s, &bad, 1), VG_EINVAL);
    CHECK_EQ_INT(vg_ipset_add(NULL, &bad, 1), VG_EINVAL);
    bad = (struct vg_prefix){.ip = {.family = 4, .a = {10, 9, 8, 7}}, .len = 24};
    CHECK_EQ_INT(vg_ipset_add(s, &bad, 1), VG_OK);
    CHECK_EQ_INT(vg_ipset_count(s), 1);
    vg_ipset_build(s);
    CHECK_EQ_INT(look(s, "10.9.8.0"), 1);
    CHECK_EQ_INT(look(s, "10.9.8.255"), 1);
    CHECK_EQ_INT(look(s, "10.9.9.0"), -1);
    CHECK(!vg_ipset_lookup(NULL, &bad.ip, NULL));
    vg_ipset_free(s);
}

/* ---- the most specific prefix, against a brute-force model ------------------------------ */

/* A seeded PRNG (splitmix64), so failures reproduce. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

struct model {
    struct vg_prefix p;
    uint32_t value;
};

/* Longest containing prefix; among equal ones the last added. */
static int64_t model_look(const struct model *m, size_t n, const struct vg_ip *ip)
{
    int best = -1;
    int64_t v = -1;
    for (size_t i = 0; i < n; i++) {
        if (vg_prefix_contains(&m[i].p, ip) && (int)m[i].p.len >= best) {
            best = m[i].p.len;
            v = m[i].value;
        }
    }
    return v;
}

/* A random prefix near one of a few bases, so that prefixes nest and touch. */
static struct vg_prefix random_prefix(int family, const struct vg_ip *bases, size_t nbases)
{
    struct vg_prefix p;
    unsigned bits = family == 4 ? 32 : 128, len;
    memset(&p, 0, sizeof p);
    p.ip = bases[rng() % nbases];
    if (family == 4) {
        len = 8 + (unsigned)(rng() % 25);          /* 8..32 */
        uint32_t x = (uint32_t)rng() & 0x0003ffff; /* vary the low 18 bits */
        for (int i = 0; i < 4; i++)
            p.ip.a[3 - i] ^= (uint8_t)(x >> (8 * i));
    } else {
        len = 16 + (unsigned)(rng() % 113); /* 16..128: never covers ::ffff:0:0/96 */
        uint64_t x = rng();
        for (int i = 0; i < 8; i++)
            p.ip.a[15 - i] ^= (uint8_t)(x >> (8 * i));
        if (rng() % 4 == 0)
            p.ip.a[4] ^= (uint8_t)rng(); /* vary the middle too */
    }
    p.len = (uint8_t)len;
    for (unsigned bit = len; bit < bits; bit++)
        p.ip.a[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
    return p;
}

static void test_ipset_model(void)
{
    enum { NPFX = 400, NPROBE = 3000 };
    struct model *m = calloc(NPFX * 2, sizeof *m);
    struct vg_ip bases[6];
    size_t n = 0;
    CHECK(m != NULL);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        struct vg_ipset *s = vg_ipset_new();
        size_t bad = 0, checked = 0;
        rng_state = seed;
        n = 0;
        for (int i = 0; i < 3; i++) {
            bases[i] = (struct vg_ip){.family = 4};
            uint32_t x = (uint32_t)rng();
            for (int j = 0; j < 4; j++)
                bases[i].a[j] = (uint8_t)(x >> (8 * (3 - j)));
            bases[3 + i] = (struct vg_ip){.family = 6, .a = {0x20, 0x01, 0x0d, 0xb8}};
            for (int j = 4; j < 16; j++)
                bases[3 + i].a[j] = (uint8_t)rng();
        }
        for (size_t i = 0; i < NPFX * 2; i++) {
            m[n].p = random_prefix(i % 2 ? 6 : 4, bases + (i % 2 ? 3 : 0), 3);
            m[n].value = (uint32_t)(rng() % 50); /* repeated values: merging must not blur them */
            /* Sometimes the same prefix again with another value. */
            if (n > 0 && rng() % 10 == 0)
                m[n].p = m[rng() % n].p;
            CHECK_EQ_INT(vg_ipset_add(s, &m[n].p, m[n].value), VG_OK);
            n++;
        }
        CHECK_EQ_INT(vg_ipset_build(s), VG_OK);
        CHECK_EQ_INT(vg_ipset_count(s), n);
        /* Probes: every prefix's edges and just outside, then random addresses near the bases. */
        for (size_t i = 0; i < n + NPROBE; i++) {
            struct vg_ip probe[4];
            int np = 0;
            if (i < n) {
                probe[np++] = m[i].p.ip;
                probe[np] = m[i].p.ip;
                if (ip_step(&probe[np], -1))
                    np++;
                probe[np++] = prefix_last(&m[i].p);
                probe[np] = probe[np - 1];
                if (ip_step(&probe[np], +1))
                    np++;
            } else {
                probe[np++] = random_prefix(i % 2 ? 6 : 4, bases + (i % 2 ? 3 : 0), 3).ip;
                uint64_t x = rng();
                for (int j = 0; j < 2; j++)
                    probe[0].a[ip_bytes(&probe[0]) - 1 - (size_t)j] = (uint8_t)(x >> (8 * j));
            }
            for (int j = 0; j < np; j++) {
                int64_t want = model_look(m, n, &probe[j]), got = look_ip(s, &probe[j]);
                checked++;
                if (want != got && bad++ < 5) {
                    char buf[VG_IP_STRLEN];
                    fprintf(stderr, "seed %d: %s: model %lld, set %lld\n", (int)seed,
                            vg_ip_format(&probe[j], buf), (long long)want, (long long)got);
                }
            }
        }
        CHECK_EQ_INT(bad, 0);
        CHECK(checked > n * 3);
        vg_ipset_free(s);
    }
    free(m);
}

/* ---- lookups from several threads ------------------------------------------------------ */

enum { THREAD_PROBES = 50000 };

struct thread_job {
    const struct vg_ipset *set;
    const uint32_t *addrs;
    const int64_t *want;
    size_t wrong;
};

static void *thread_lookups(void *arg)
{
    struct thread_job *j = arg;
    for (size_t i = 0; i < THREAD_PROBES; i++) {
        struct vg_ip ip = {.family = 4};
        uint32_t v = 0;
        int64_t got;
        for (int b = 0; b < 4; b++)
            ip.a[b] = (uint8_t)(j->addrs[i] >> (8 * (3 - b)));
        got = vg_ipset_lookup(j->set, &ip, &v) ? (int64_t)v : -1;
        if (got != j->want[i])
            j->wrong++;
    }
    return NULL;
}

static void test_ipset_threads(void)
{
    struct vg_ipset *s = vg_ipset_new();
    uint32_t *addrs = calloc(THREAD_PROBES, sizeof *addrs);
    int64_t *want = calloc(THREAD_PROBES, sizeof *want);
    struct thread_job jobs[4];
    pthread_t th[4];
    rng_state = 42;
    for (uint32_t i = 0; i < 20000; i++) {
        struct vg_prefix p = {.ip = {.family = 4}, .len = (uint8_t)(12 + rng() % 21)};
        uint32_t x = (uint32_t)rng() & 0x0fffffff & ~(uint32_t)(UINT64_C(0xffffffff) >> p.len);
        for (int b = 0; b < 4; b++)
            p.ip.a[b] = (uint8_t)(x >> (8 * (3 - b)));
        vg_ipset_add(s, &p, i);
    }
    vg_ipset_build(s);
    for (size_t i = 0; i < THREAD_PROBES; i++) {
        struct vg_ip ip = {.family = 4};
        addrs[i] = (uint32_t)rng() & 0x1fffffff;
        for (int b = 0; b < 4; b++)
            ip.a[b] = (uint8_t)(addrs[i] >> (8 * (3 - b)));
        want[i] = look_ip(s, &ip);
    }
    for (int t = 0; t < 4; t++) {
        jobs[t] = (struct thread_job){s, addrs, want, 0};
        CHECK_EQ_INT(pthread_create(&th[t], NULL, thread_lookups, &jobs[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        pthread_join(th[t], NULL);
        CHECK_EQ_INT(jobs[t].wrong, 0);
    }
    free(addrs);
    free(want);
    vg_ipset_free(s);
}

/* ---- domain sets ---------------------------------------------------------------------------- */

static int64_t dlook(const struct vg_domainset *s, const char *name)
{
    uint32_t v = 0xdeadbeef;
    if (!vg_domainset_lookup(s, name, strlen(name), &v))
        return -1;
    return v;
}

static void test_domainset(void)
{
    struct vg_domainset *s = vg_domainset_new();
    char longname[300];
    CHECK(s != NULL);
    CHECK_EQ_INT(dlook(s, "evil.example"), -1); /* empty */
    CHECK_EQ_INT(vg_domainset_add(s, "evil.example", 1), VG_OK);
    CHECK_EQ_INT(vg_domainset_add(s, "sub.evil.example", 2), VG_OK);
    CHECK_EQ_INT(vg_domainset_add(s, "xn--80ak6aa92e.com", 3), VG_OK);
    CHECK_EQ_INT(vg_domainset_add(s, "bad.xn--p1ai", 4), VG_OK);
    CHECK_EQ_INT(vg_domainset_count(s), 4);

    CHECK_EQ_INT(dlook(s, "evil.example"), 1);
    CHECK_EQ_INT(dlook(s, "a.evil.example"), 1);
    CHECK_EQ_INT(dlook(s, "a.b.evil.example"), 1);
    CHECK_EQ_INT(dlook(s, "EVIL.Example."), 1);
    CHECK_EQ_INT(dlook(s, "WWW.Evil.EXAMPLE"), 1);
    CHECK_EQ_INT(dlook(s, "notevil.example"), -1);
    CHECK_EQ_INT(dlook(s, "evil.example.com"), -1);
    CHECK_EQ_INT(dlook(s, "example"), -1);
    CHECK_EQ_INT(dlook(s, "vil.example"), -1);
    CHECK_EQ_INT(dlook(s, ""), -1);
    CHECK_EQ_INT(dlook(s, "."), -1);
    CHECK_EQ_INT(dlook(s, "evil.example.."), -1);
    /* The more specific listed domain wins. */
    CHECK_EQ_INT(dlook(s, "sub.evil.example"), 2);
    CHECK_EQ_INT(dlook(s, "x.y.SUB.evil.example."), 2);
    CHECK_EQ_INT(dlook(s, "other.evil.example"), 1);
    CHECK_EQ_INT(dlook(s, "subevil.example"), -1);
    /* Punycode as given. */
    CHECK_EQ_INT(dlook(s, "xn--80ak6aa92e.com"), 3);
    CHECK_EQ_INT(dlook(s, "www.XN--80AK6AA92E.COM"), 3);
    CHECK_EQ_INT(dlook(s, "bad.xn--p1ai"), 4);
    CHECK_EQ_INT(dlook(s, "xn--p1ai"), -1);
    /* The length bounds the name; NUL is not needed. */
    CHECK(vg_domainset_lookup(s, "evil.exampleXYZ", 12, NULL));
    CHECK(!vg_domainset_lookup(s, "evil.exampleXYZ", 11, NULL));
    CHECK(!vg_domainset_lookup(s, "evil.example", 0, NULL));
    CHECK(!vg_domainset_lookup(NULL, "evil.example", 12, NULL));

    /* 253 bytes is the longest name; a trailing dot does not count. */
    memset(longname, 'a', sizeof longname);
    for (size_t i = 63; i < 240; i += 64)
        longname[i] = '.';
    memcpy(longname + 253 - 13, ".evil.example", 13);
    longname[253] = '\0';
    CHECK_EQ_INT(dlook(s, longname), 1);
    longname[253] = '.';
    longname[254] = '\0';
    CHECK_EQ_INT(dlook(s, longname), 1);
    memmove(longname + 1, longname, 254);
    longname[0] = 'b';
    longname[254] = '\0';
    CHECK_EQ_INT(strlen(longname), 254);
    CHECK_EQ_INT(dlook(s, longname), -1);
    CHECK_EQ_INT(vg_domainset_add(s, longname, 9), VG_EINVAL);

    /* Adding again replaces the value; bad names. */
    CHECK_EQ_INT(vg_domainset_add(s, "evil.example", 5), VG_OK);
    CHECK_EQ_INT(vg_domainset_count(s), 4);
    CHECK_EQ_INT(dlook(s, "a.evil.example"), 5);
    CHECK_EQ_INT(vg_domainset_add(s, "", 1), VG_EINVAL);
    CHECK_EQ_INT(vg_domainset_add(s, ".", 1), VG_EINVAL);
    CHECK_EQ_INT(vg_domainset_add(s, NULL, 1), VG_EINVAL);
    CHECK_EQ_INT(vg_domainset_count(s), 4);
    vg_domainset_free(s);
    vg_domainset_free(NULL);
}

/* ---- oracle: the iprange CLI ---------------------------------------------------------------- */

static char tmp_dir[PATH_MAX];

static const char *tmp_path(void)
{
    if (!tmp_dir[0]) {
        const char *base = getenv("VG_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        if (mkdir(base, 0700) != 0 && errno != EEXIST)
            base = "/tmp";
        snprintf(tmp_dir, sizeof tmp_dir, "%s/test_intel_sets.XXXXXX", base);
        if (!mkdtemp(tmp_dir)) {
            fprintf(stderr, "cannot create a temporary directory under %s: %s\n", base,
                    strerror(errno));
            exit(2);
        }
    }
    return tmp_dir;
}

/* iprange's full path from $PATH, or false. */
static bool find_iprange(char *out, size_t size)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *end = strchr(path, ':');
        size_t n = end ? (size_t)(end - path) : strlen(path);
        snprintf(out, size, "%.*s/iprange", (int)n, n ? path : ".");
        if (access(out, X_OK) == 0)
            return true;
        path += n + (end ? 1 : 0);
    }
    return false;
}

/*
 * Run argv (no shell) with its standard output in a pipe; the output goes to
 * a malloc'd, NUL-terminated *out. Returns the exit status, or -1.
 */
static int run_capture(char *const argv[], char **out, size_t *outlen)
{
    int fds[2], status = 0;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    *out = NULL;
    *outlen = 0;
    if (!buf || pipe(fds) != 0) {
        free(buf);
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(rc));
        close(fds[0]);
        free(buf);
        return -1;
    }
    for (;;) {
        if (cap - len < 4096) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fds[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fds[0]);
    buf[len] = '\0';
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *out = buf;
    *outlen = len;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct range4 {
    uint32_t lo, hi;
};

struct range_list {
    struct range4 *r;
    size_t n, cap;
    bool bad; /* an IPv6 range, or out of memory */
};

static void range_push(struct range_list *l, uint32_t lo, uint32_t hi)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 1024;
        struct range4 *nr = realloc(l->r, ncap * sizeof *nr);
        if (!nr) {
            l->bad = true;
            return;
        }
        l->r = nr;
        l->cap = ncap;
    }
    l->r[l->n++] = (struct range4){lo, hi};
}

static uint32_t ip4(const struct vg_ip *ip)
{
    return (uint32_t)ip->a[0] << 24 | (uint32_t)ip->a[1] << 16 | (uint32_t)ip->a[2] << 8 | ip->a[3];
}

static void collect_range(void *ctx, const struct vg_ip *lo, const struct vg_ip *hi)
{
    struct range_list *l = ctx;
    if (lo->family != 4 || hi->family != 4) {
        l->bad = true;
        return;
    }
    range_push(l, ip4(lo), ip4(hi));
}

/* Parse iprange's "a.b.c.d-e.f.g.h" lines; false on anything else. */
static bool parse_ranges(const char *text, struct range_list *l)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n'), *dash;
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        struct vg_ip lo, hi;
        dash = memchr(p, '-', n);
        if (!dash || vg_ip_parse(p, (size_t)(dash - p), &lo) != VG_OK ||
            vg_ip_parse(dash + 1, n - (size_t)(dash - p) - 1, &hi) != VG_OK || lo.family != 4 ||
            hi.family != 4) {
            fprintf(stderr, "unexpected line from iprange: %.*s\n", (int)n, p);
            return false;
        }
        range_push(l, ip4(&lo), ip4(&hi));
        p += n + (nl ? 1 : 0);
    }
    return !l->bad;
}

static bool in_ranges(const struct range_list *l, uint32_t ip)
{
    size_t a = 0, b = l->n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (l->r[mid].hi < ip)
            a = mid + 1;
        else if (l->r[mid].lo > ip)
            b = mid;
        else
            return true;
    }
    return false;
}

/*
 * Write a random list of IPv4 prefixes and single addresses to path and add
 * each line to set (value: its line number). Most entries fall in a few /8s,
 * so they overlap and touch; some carry host bits (both sides mask them).
 */
static size_t write_random_list(const char *path, uint64_t seed, unsigned minlen,
                                struct vg_ipset *set)
{
    FILE *f = fopen(path, "w");
    uint32_t hot8[6], hot16[24];
    size_t n;
    rng_state = seed;
    n = 2000 + (size_t)(rng() % 2000);
    for (int i = 0; i < 6; i++)
        hot8[i] = (uint32_t)(1 + rng() % 223) << 24;
    for (int i = 0; i < 24; i++)
        hot16[i] = (hot8[i % 6] | (uint32_t)rng()) & 0xffff0000;
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t x = (uint32_t)rng(), r = (uint32_t)(rng() % 100), where = (uint32_t)(rng() % 10);
        unsigned len;
        char line[64];
        struct vg_prefix p;
        if (where < 5)
            x = (x & 0x0000ffff) | hot16[rng() % 24]; /* crowded /16s */
        else if (where < 9)
            x = (x & 0x00ffffff) | hot8[rng() % 6];
        if (r < 50)
            len = 32;
        else if (r < 65)
            len = 28 + (unsigned)(rng() % 4);
        else if (r < 88)
            len = 20 + (unsigned)(rng() % 8);
        else if (r < 98)
            len = 16 + (unsigned)(rng() % 4);
        else
            len = minlen + (unsigned)(rng() % (20 - minlen));
        if (len < 32 && rng() % 10 < 7)
            x &= ~(UINT32_MAX >> len); /* most lines give the network address */
        int w;
        if (len == 32)
            w = snprintf(line, sizeof line, "%u.%u.%u.%u\n", x >> 24, x >> 16 & 0xff, x >> 8 & 0xff,
                         x & 0xff);
        else
            w = snprintf(line, sizeof line, "%u.%u.%u.%u/%u\n", x >> 24, x >> 16 & 0xff,
                         x >> 8 & 0xff, x & 0xff, len);
        fputs(line, f);
        if (vg_prefix_parse(line, (size_t)w - 1, 0, &p) != VG_OK ||
            vg_ipset_add(set, &p, (uint32_t)i + 1) != VG_OK) {
            fprintf(stderr, "cannot add %s", line);
            exit(2);
        }
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return n;
}

/* Compare set with `iprange files...`: ranges, unique count, membership of random probes. */
static void oracle_compare(const char *iprange, const char *name, struct vg_ipset *set,
                           char **files, int nfiles, size_t entries)
{
    char *argv[16], *out = NULL;
    size_t outlen, mismatch = 0;
    struct range_list ours = {0}, theirs = {0};
    uint64_t ours_ips = 0, theirs_ips = 0;
    int st, a = 0;

    CHECK_EQ_INT(vg_ipset_build(set), VG_OK);
    vg_ipset_ranges(set, collect_range, &ours);
    CHECK(!ours.bad);

    /* (a) the disjoint ranges of the union */
    argv[a++] = (char *)iprange;
    argv[a++] = "--print-ranges";
    for (int i = 0; i < nfiles && a < 15; i++)
        argv[a++] = files[i];
    argv[a] = NULL;
    st = run_capture(argv, &out, &outlen);
    CHECK_EQ_INT(st, 0);
    CHECK(out && parse_ranges(out, &theirs));
    free(out);
    CHECK_EQ_INT(ours.n, theirs.n);
    for (size_t i = 0; i < ours.n && i < theirs.n; i++) {
        if (ours.r[i].lo != theirs.r[i].lo || ours.r[i].hi != theirs.r[i].hi) {
            if (mismatch++ < 5)
                fprintf(stderr, "%s: range %zu: ours %08x-%08x, iprange %08x-%08x\n", name, i,
                        ours.r[i].lo, ours.r[i].hi, theirs.r[i].lo, theirs.r[i].hi);
        }
    }
    CHECK_EQ_INT(mismatch, 0);

    /* (b) the number of unique addresses (iprange counts them in 32 bits: keep below 2^32) */
    for (size_t i = 0; i < ours.n; i++)
        ours_ips += (uint64_t)ours.r[i].hi - ours.r[i].lo + 1;
    CHECK(ours_ips < ((uint64_t)1 << 32));
    argv[1] = "-C";
    st = run_capture(argv, &out, &outlen);
    CHECK_EQ_INT(st, 0);
    if (out) {
        const char *comma = strchr(out, ',');
        int64_t v = -1;
        size_t n = comma ? strcspn(comma + 1, "\n") : 0;
        CHECK(comma && vg_parse_i64(comma + 1, n, 0, INT64_MAX, &v) == VG_OK);
        theirs_ips = (uint64_t)v;
    }
    free(out);
    CHECK_EQ_INT(ours_ips, theirs_ips);

    /* (c) membership of 100,000 probes: random ones, and the edges of iprange's ranges */
    size_t disagree = 0, hits = 0;
    for (size_t i = 0; i < 100000; i++) {
        uint32_t x = (uint32_t)rng();
        if (theirs.n && i % 2 == 0) {
            const struct range4 *r = &theirs.r[rng() % theirs.n];
            uint32_t edge[4] = {r->lo - 1, r->lo, r->hi, r->hi + 1};
            x = edge[i / 2 % 4];
        } else if (theirs.n && i % 4 == 1) {
            x = (theirs.r[rng() % theirs.n].lo & 0xffff0000) | (x & 0xffff);
        }
        struct vg_ip ip = {.family = 4};
        for (int b = 0; b < 4; b++)
            ip.a[b] = (uint8_t)(x >> (8 * (3 - b)));
        bool want = in_ranges(&theirs, x), got = vg_ipset_lookup(set, &ip, NULL);
        hits += want;
        if (want != got && disagree++ < 5)
            fprintf(stderr, "%s: %08x: iprange %d, vigil %d\n", name, x, want, got);
    }
    CHECK_EQ_INT(disagree, 0);
    CHECK(hits > 1000);
    printf("oracle %s: %zu entries, %zu ranges, %llu addresses, %zu of 100000 probes inside:"
           " %s\n",
           name, entries, ours.n, (unsigned long long)ours_ips, hits,
           mismatch == 0 && ours.n == theirs.n && ours_ips == theirs_ips && disagree == 0
               ? "agree"
               : "DISAGREE");
    free(ours.r);
    free(theirs.r);
}

static void test_oracle_iprange(void)
{
    enum { NLISTS = 4 };
    char iprange[PATH_MAX], paths[NLISTS][PATH_MAX], *files[NLISTS], name[32];
    struct vg_ipset *all = vg_ipset_new();
    size_t total = 0;

    if (!find_iprange(iprange, sizeof iprange)) {
        CHECK(!"iprange is not installed (Debian package iprange; scripts/install-deps installs"
               " it): the oracle test needs it");
        vg_ipset_free(all);
        return;
    }
    for (int i = 0; i < NLISTS; i++) {
        struct vg_ipset *one = vg_ipset_new();
        snprintf(paths[i], sizeof paths[i], "%s/list%d.txt", tmp_path(), i);
        files[i] = paths[i];
        /* The last list also has a few very short prefixes (/4 to /15). */
        unsigned minlen = i == NLISTS - 1 ? 4 : 16;
        size_t n = write_random_list(paths[i], 1000 + (uint64_t)i, minlen, one);
        /* The union gets the same lines. */
        write_random_list(paths[i], 1000 + (uint64_t)i, minlen, all);
        total += n;
        snprintf(name, sizeof name, "list%d", i);
        oracle_compare(iprange, name, one, &files[i], 1, n);
        vg_ipset_free(one);
    }
    oracle_compare(iprange, "union", all, files, NLISTS, total);
    vg_ipset_free(all);
    for (int i = 0; i < NLISTS; i++)
        unlink(paths[i]);
    rmdir(tmp_dir);
}

static const struct test_case tests[] = {
    {"ipset_overlap", test_ipset_overlap},
    {"ipset_lengths", test_ipset_lengths},
    {"ipset_adjacent", test_ipset_adjacent},
    {"ipset_mapped", test_ipset_mapped},
    {"ipset_empty_dup_errors", test_ipset_empty_dup_errors},
    {"ipset_model", test_ipset_model},
    {"ipset_threads", test_ipset_threads},
    {"domainset", test_domainset},
    {"oracle_iprange", test_oracle_iprange},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, tests);
}
