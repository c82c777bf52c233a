/*
 * fuzz_addr.c - libFuzzer target for the strict parsers of core/parse.h:
 * the whole input is given to vg_ip_parse, vg_prefix_parse (with and
 * without VG_PREFIX_STRICT), vg_time_parse and vg_parse_i64, and what they
 * accept must keep the promises the rest of vigil relies on (abort() when
 * not):
 *
 *   - accepted text holds only the characters of its grammar (so no junk,
 *     and no NUL byte, was skipped);
 *   - an address formats to text that parses to the same address, and a
 *     dotted quad formats to exactly its input (the grammar has one spelling);
 *   - a prefix contains its own network address and last address, and not
 *     the address just past it; its text re-parses with VG_PREFIX_STRICT;
 *     STRICT fails only for host bits, and only where the default succeeds;
 *   - a time inside 1970..9999 round-trips through vg_time_rfc3339;
 *   - an integer round-trips through its decimal text, and a range only
 *     narrows what is accepted.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/parse.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_addr.c:%d: invariant failed: %s\n", __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* s[0..n) holds only bytes from set (and no NUL). */
static bool only(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0' || !strchr(set, s[i]))
            return false;
    return true;
}

static unsigned bits_of(const struct vg_ip *ip)
{
    return ip->family == 4 ? 32 : 128;
}

static void set_bit(struct vg_ip *ip, unsigned bit, bool on)
{
    uint8_t m = (uint8_t)(0x80 >> (bit % 8));
    if (on)
        ip->a[bit / 8] |= m;
    else
        ip->a[bit / 8] &= (uint8_t)~m;
}

static bool get_bit(const struct vg_ip *ip, unsigned bit)
{
    return ip->a[bit / 8] & (0x80 >> (bit % 8));
}

static void check_ip(const char *s, size_t n)
{
    struct vg_ip ip, again;
    char buf[VG_IP_STRLEN], buf2[VG_IP_STRLEN];
    int rc = vg_ip_parse(s, n, &ip), cls;
    CHECK(rc == VG_OK || rc == VG_EPARSE);
    if (rc != VG_OK)
        return;
    CHECK(only(s, n, "0123456789abcdefABCDEF.:"));
    CHECK(ip.family == 4 || ip.family == 6);
    if (ip.family == 4)
        for (int i = 4; i < 16; i++)
            CHECK(ip.a[i] == 0);
    vg_ip_format(&ip, buf);
    CHECK(buf[0] != '\0' && strlen(buf) < VG_IP_STRLEN);
    CHECK(vg_ip_parse(buf, strlen(buf), &again) == VG_OK);
    CHECK(vg_ip_eq(&ip, &again));
    CHECK(strcmp(vg_ip_format(&again, buf2), buf) == 0);
    if (!memchr(s, ':', n))
        CHECK(ip.family == 4 && strlen(buf) == n && memcmp(buf, s, n) == 0);
    cls = vg_ip_class(&ip);
    CHECK(cls >= VG_IP_PUBLIC && cls <= VG_IP_RESERVED);
    CHECK(vg_ip_is_public(&ip) == (cls == VG_IP_PUBLIC));
    CHECK(vg_ip_class_name(cls) != NULL);
}

static void check_prefix(const char *s, size_t n)
{
    struct vg_prefix loose, strict, again;
    struct vg_ip last;
    char buf[VG_PREFIX_STRLEN];
    int rl = vg_prefix_parse(s, n, 0, &loose);
    int rs = vg_prefix_parse(s, n, VG_PREFIX_STRICT, &strict);
    CHECK(rl == VG_OK || rl == VG_EPARSE);
    CHECK(rs == VG_OK || rs == VG_EPARSE || rs == VG_EINVAL);
    /* STRICT refuses host bits only, so it never accepts what the default refuses. */
    CHECK(rl == VG_OK || rs == VG_EPARSE);
    CHECK(rs != VG_EINVAL || rl == VG_OK);
    if (rs == VG_OK)
        CHECK(rl == VG_OK && strict.len == loose.len && vg_ip_eq(&strict.ip, &loose.ip));
    if (rl != VG_OK)
        return;
    CHECK(only(s, n, "0123456789abcdefABCDEF.:/"));
    CHECK(loose.ip.family == 4 || loose.ip.family == 6);
    CHECK(loose.len <= bits_of(&loose.ip));
    for (unsigned b = loose.len; b < bits_of(&loose.ip); b++)
        CHECK(!get_bit(&loose.ip, b));
    CHECK(vg_prefix_contains(&loose, &loose.ip));
    last = loose.ip;
    for (unsigned b = loose.len; b < bits_of(&last); b++)
        set_bit(&last, b, true);
    CHECK(vg_prefix_contains(&loose, &last));
    if (loose.len > 0) {
        set_bit(&last, loose.len - 1, !get_bit(&last, loose.len - 1));
        CHECK(!vg_prefix_contains(&loose, &last));
    }
    vg_prefix_format(&loose, buf);
    CHECK(strlen(buf) < VG_PREFIX_STRLEN);
    CHECK(vg_prefix_parse(buf, strlen(buf), VG_PREFIX_STRICT, &again) == VG_OK);
    CHECK(again.len == loose.len && vg_ip_eq(&again.ip, &loose.ip));
}

static void check_time(const char *s, size_t n)
{
    time_t t, t2;
    char buf[32];
    int rc = vg_time_parse(s, n, &t);
    CHECK(rc == VG_OK || rc == VG_EPARSE);
    if (rc != VG_OK)
        return;
    CHECK(only(s, n, "0123456789-:+.,TtZz "));
    if (t >= 0 && t < (time_t)253402300800LL) {
        vg_time_rfc3339(t, buf);
        CHECK(vg_time_parse(buf, strlen(buf), &t2) == VG_OK && t2 == t);
    }
}

static void check_i64(const char *s, size_t n)
{
    int64_t v = 0, w = 0, again = 0;
    char buf[32];
    int rc = vg_parse_i64(s, n, INT64_MIN, INT64_MAX, &v);
    int rr = vg_parse_i64(s, n, 0, 65535, &w);
    CHECK(rc == VG_OK || rc == VG_EPARSE || rc == VG_EINVAL);
    if (rc != VG_OK) {
        CHECK(rr == rc);
        return;
    }
    CHECK(only(s, n, "+-0123456789"));
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    CHECK(vg_parse_i64(buf, strlen(buf), INT64_MIN, INT64_MAX, &again) == VG_OK && again == v);
    if (v >= 0 && v <= 65535)
        CHECK(rr == VG_OK && w == v);
    else
        CHECK(rr == VG_EINVAL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Times without a zone are local: fix the zone so runs reproduce. */
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    if (size > 256)
        return 0; /* nothing longer can parse; keep the fuzzer on short inputs */
    check_ip(s, size);
    check_prefix(s, size);
    check_time(s, size);
    check_i64(s, size);
    return 0;
}
