/*
 * ipset.c - sets of IPv4 and IPv6 prefixes with a value each, built once and
 * then looked up by many threads without locks (the hot path of a log sweep).
 *
 * Prefixes are staged as added; vg_ipset_build sorts them and sweeps them
 * into disjoint ranges, each carrying the value of the most specific prefix
 * that covers it. IPv4 lookups go through a first-level index on the top 16
 * bits of the address and a short branchless search, so a lookup touches a
 * few cache lines; IPv6 lookups binary-search the sorted ranges.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"

#include "core/banned.h"

__extension__ typedef unsigned __int128 u128;

/* Staged IPv4 prefix: network address in host byte order. */
struct pfx4 {
    uint32_t lo;
    uint32_t value;
    uint8_t len;
};

/* Staged IPv6 prefix; seq keeps the order of adds, so the last of duplicates wins. */
struct pfx6 {
    u128 lo;
    uint32_t value;
    uint32_t seq;
    uint8_t len;
};

/* The upper end and value of a built IPv4 range (its lower end is in lo4). */
struct hv4 {
    uint32_t hi;
    uint32_t value;
};

#define IDX4_SIZE ((size_t)65536 + 1)

/*
 * Invariants once built: lo4[0..n4) are the lower ends of disjoint ranges in
 * increasing order, hv4[i] the upper end (>= lo4[i], < lo4[i + 1]) and value
 * of range i; adjacent ranges have different values. idx4[h] is the number of
 * ranges whose lower end is below h << 16 (so idx4[65536] == n4). The same
 * holds for lo6/hi6/val6 without an index. Staging arrays are freed by build.
 */
struct vg_ipset {
    bool built;
    size_t count; /* successful adds */

    struct pfx4 *st4;
    size_t st4_len, st4_cap;
    struct pfx6 *st6;
    size_t st6_len, st6_cap;

    uint32_t *lo4;
    struct hv4 *hv4;
    uint32_t *idx4;
    size_t n4;

    u128 *lo6, *hi6;
    uint32_t *val6;
    size_t n6;
};

static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static uint32_t load32(const uint8_t *a)
{
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static u128 load128(const uint8_t *a)
{
    u128 v = 0;
    for (int i = 0; i < 16; i++)
        v = v << 8 | a[i];
    return v;
}

static void store32(uint32_t v, uint8_t *a)
{
    a[0] = (uint8_t)(v >> 24);
    a[1] = (uint8_t)(v >> 16);
    a[2] = (uint8_t)(v >> 8);
    a[3] = (uint8_t)v;
}

static void store128(u128 v, uint8_t *a)
{
    for (int i = 15; i >= 0; i--) {
        a[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Host-bit mask of a prefix of len bits out of 32 or 128. */
static uint32_t host4(unsigned len)
{
    return len == 0 ? UINT32_MAX : len >= 32 ? 0 : UINT32_MAX >> len;
}

static u128 host6(unsigned len)
{
    return len == 0 ? ~(u128)0 : len >= 128 ? 0 : ~(u128)0 >> len;
}

struct vg_ipset *vg_ipset_new(void)
{
    return calloc(1, sizeof(struct vg_ipset));
}

static void free_staging(struct vg_ipset *s)
{
    free(s->st4);
    free(s->st6);
    s->st4 = NULL;
    s->st6 = NULL;
    s->st4_len = s->st4_cap = s->st6_len = s->st6_cap = 0;
}

static void free_built(struct vg_ipset *s)
{
    free(s->lo4);
    free(s->hv4);
    free(s->idx4);
    free(s->lo6);
    free(s->hi6);
    free(s->val6);
    s->lo4 = NULL;
    s->hv4 = NULL;
    s->idx4 = NULL;
    s->lo6 = s->hi6 = NULL;
    s->val6 = NULL;
    s->n4 = s->n6 = 0;
}

void vg_ipset_free(struct vg_ipset *s)
{
    if (!s)
        return;
    free_staging(s);
    free_built(s);
    free(s);
}

/* Make room for one more element in *arr (capacity *cap, element size sz). */
static int grow(void **arr, size_t *cap, size_t len, size_t sz)
{
    size_t ncap;
    void *p;
    if (len < *cap)
        return VG_OK;
    ncap = *cap ? *cap * 2 : 1024;
    if (ncap > SIZE_MAX / sz)
        return VG_ENOMEM;
    p = realloc(*arr, ncap * sz);
    if (!p)
        return VG_ENOMEM;
    *arr = p;
    *cap = ncap;
    return VG_OK;
}

static int add4(struct vg_ipset *s, uint32_t lo, unsigned len, uint32_t value)
{
    void *arr = s->st4;
    int rc = grow(&arr, &s->st4_cap, s->st4_len, sizeof(struct pfx4));
    s->st4 = arr;
    if (rc)
        return rc;
    s->st4[s->st4_len++] = (struct pfx4){lo & ~host4(len), value, (uint8_t)len};
    return VG_OK;
}

static int add6(struct vg_ipset *s, u128 lo, unsigned len, uint32_t value)
{
    void *arr = s->st6;
    int rc = grow(&arr, &s->st6_cap, s->st6_len, sizeof(struct pfx6));
    s->st6 = arr;
    if (rc)
        return rc;
    if (s->st6_len >= UINT32_MAX)
        return VG_ENOMEM;
    s->st6[s->st6_len] = (struct pfx6){lo & ~host6(len), value, (uint32_t)s->st6_len, (uint8_t)len};
    s->st6_len++;
    return VG_OK;
}

/*
 * IPv4-mapped IPv6 addresses are IPv4: a /96 or longer prefix inside
 * ::ffff:0:0/96 becomes the IPv4 prefix it names, and an IPv6 prefix that
 * covers all of ::ffff:0:0/96 (::/0 to ::/80) also covers every IPv4
 * address, so it is added to the IPv4 side as 0.0.0.0/0 as well.
 */
int vg_ipset_add(struct vg_ipset *s, const struct vg_prefix *p, uint32_t value)
{
    int rc;
    if (!s || !p)
        return VG_EINVAL;
    if (s->built)
        return VG_EINVAL;
    if (p->ip.family == 4) {
        if (p->len > 32)
            return VG_EINVAL;
        rc = add4(s, load32(p->ip.a), p->len, value);
    } else if (p->ip.family == 6) {
        if (p->len > 128)
            return VG_EINVAL;
        if (p->len >= 96 && memcmp(p->ip.a, mapped_prefix, 12) == 0) {
            rc = add4(s, load32(p->ip.a + 12), p->len - 96u, value);
        } else {
            static const uint8_t mapped_net[16] = {[10] = 0xff, [11] = 0xff};
            u128 lo = load128(p->ip.a), mapped = load128(mapped_net);
            rc = add6(s, lo, p->len, value);
            if (rc == VG_OK && p->len <= 80 && ((lo ^ mapped) & ~host6(p->len)) == 0)
                rc = add4(s, 0, 0, value);
        }
    } else {
        return VG_EINVAL;
    }
    if (rc == VG_OK)
        s->count++;
    return rc;
}

/* ---- build ---------------------------------------------------------------- */

/*
 * Stable LSD radix sort of the IPv4 prefixes by (address, length), one byte
 * per pass, skipping passes where every key has the same byte. Stability
 * keeps duplicates in the order they were added.
 */
static int sort4(struct vg_ipset *s)
{
    size_t n = s->st4_len;
    struct pfx4 *src = s->st4, *dst;
    size_t count[5][256];
    if (n < 2)
        return VG_OK;
    dst = malloc(n * sizeof *dst);
    if (!dst)
        return VG_ENOMEM;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        count[0][src[i].len]++;
        count[1][src[i].lo & 0xff]++;
        count[2][src[i].lo >> 8 & 0xff]++;
        count[3][src[i].lo >> 16 & 0xff]++;
        count[4][src[i].lo >> 24]++;
    }
    for (int pass = 0; pass < 5; pass++) {
        size_t *c = count[pass], sum = 0;
        unsigned shift = pass == 0 ? 0 : 8u * (unsigned)(pass - 1);
        bool trivial = false;
        for (int b = 0; b < 256; b++) {
            size_t t = c[b];
            if (t == n)
                trivial = true;
            c[b] = sum;
            sum += t;
        }
        if (trivial)
            continue;
        for (size_t i = 0; i < n; i++) {
            unsigned key = pass == 0 ? src[i].len : src[i].lo >> shift & 0xff;
            dst[c[key]++] = src[i];
        }
        struct pfx4 *t = src;
        src = dst;
        dst = t;
    }
    s->st4 = src;
    free(dst);
    return VG_OK;
}

static int cmp6(const void *a, const void *b)
{
    const struct pfx6 *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Range sink of the sweep: merges adjacent ranges of equal value, then either
 * only counts them (fill false) or also writes them to the family's arrays.
 */
struct sink {
    struct vg_ipset *s;
    int family;
    bool fill;
    bool have;
    u128 lo, hi;
    uint32_t value;
    size_t n;
};

static void sink_flush(struct sink *k)
{
    if (!k->have)
        return;
    if (k->fill) {
        if (k->family == 4) {
            k->s->lo4[k->n] = (uint32_t)k->lo;
            k->s->hv4[k->n] = (struct hv4){(uint32_t)k->hi, k->value};
        } else {
            k->s->lo6[k->n] = k->lo;
            k->s->hi6[k->n] = k->hi;
            k->s->val6[k->n] = k->value;
        }
    }
    k->n++;
    k->have = false;
}

static void sink_put(struct sink *k, u128 lo, u128 hi, uint32_t value)
{
    if (k->have && k->value == value && k->hi + 1 == lo) {
        k->hi = hi;
        return;
    }
    sink_flush(k);
    k->have = true;
    k->lo = lo;
    k->hi = hi;
    k->value = value;
}

struct open_pfx {
    u128 hi;
    uint32_t value;
    u128 lo;
    uint8_t len;
};

/*
 * Sweep the sorted prefixes of one family into disjoint ranges. Prefixes
 * either nest or are disjoint, and sorted by (address, length) a container
 * comes before what it contains, so a stack of the open prefixes (at most
 * one per length) tells which one covers each stretch: the innermost. cur is
 * the first address not yet given to the sink.
 */
static size_t sweep(struct vg_ipset *s, int family, bool fill)
{
    struct sink k = {.s = s, .family = family, .fill = fill};
    struct open_pfx stack[129];
    unsigned bits = family == 4 ? 32 : 128;
    size_t n = family == 4 ? s->st4_len : s->st6_len, depth = 0;
    u128 cur = 0, top = family == 4 ? UINT32_MAX : ~(u128)0;
    bool done = false; /* cur went past the last address */

    for (size_t i = 0; i <= n; i++) {
        u128 lo = 0, hi = 0;
        uint32_t value = 0;
        unsigned len = 0;
        if (i < n) {
            if (family == 4) {
                lo = s->st4[i].lo;
                len = s->st4[i].len;
                value = s->st4[i].value;
                hi = lo | host4(len);
            } else {
                lo = s->st6[i].lo;
                len = s->st6[i].len;
                value = s->st6[i].value;
                hi = lo | host6(len);
            }
        }
        /* Close the open prefixes that end before this one (all of them at the end). */
        while (depth > 0 && (i == n || stack[depth - 1].hi < lo)) {
            struct open_pfx *o = &stack[--depth];
            if (!done && cur <= o->hi)
                sink_put(&k, cur, o->hi, o->value);
            if (o->hi == top)
                done = true;
            else if (!done && cur <= o->hi)
                cur = o->hi + 1;
        }
        if (i == n)
            break;
        if (depth > 0) {
            struct open_pfx *o = &stack[depth - 1];
            if (o->lo == lo && o->len == len) {
                o->value = value; /* a duplicate: the last added wins */
                continue;
            }
            if (cur < lo)
                sink_put(&k, cur, lo - 1, o->value);
        }
        cur = lo;
        if (depth <= bits)
            stack[depth++] = (struct open_pfx){hi, value, lo, (uint8_t)len};
    }
    sink_flush(&k);
    return k.n;
}

static int build4(struct vg_ipset *s)
{
    size_t n;
    int rc = sort4(s);
    if (rc)
        return rc;
    n = sweep(s, 4, false);
    s->idx4 = calloc(IDX4_SIZE, sizeof *s->idx4);
    if (!s->idx4)
        return VG_ENOMEM;
    if (n) {
        s->lo4 = malloc(n * sizeof *s->lo4);
        s->hv4 = malloc(n * sizeof *s->hv4);
        if (!s->lo4 || !s->hv4)
            return VG_ENOMEM;
        sweep(s, 4, true);
    }
    s->n4 = n;
    /* idx4[h] = number of ranges with lo < h << 16. */
    size_t r = 0;
    for (size_t h = 0; h < IDX4_SIZE; h++) {
        while (r < n && (s->lo4[r] >> 16) < h)
            r++;
        s->idx4[h] = (uint32_t)r;
    }
    return VG_OK;
}

static int build6(struct vg_ipset *s)
{
    size_t n;
    if (s->st6_len > 1)
        qsort(s->st6, s->st6_len, sizeof *s->st6, cmp6);
    n = sweep(s, 6, false);
    if (n) {
        s->lo6 = malloc(n * sizeof *s->lo6);
        s->hi6 = malloc(n * sizeof *s->hi6);
        s->val6 = malloc(n * sizeof *s->val6);
        if (!s->lo6 || !s->hi6 || !s->val6)
            return VG_ENOMEM;
        sweep(s, 6, true);
    }
    s->n6 = n;
    return VG_OK;
}

/* Building again is a no-op. On failure the set stays unbuilt, as it was before the call. */
int vg_ipset_build(struct vg_ipset *s)
{
    int rc;
    if (!s)
        return VG_EINVAL;
    if (s->built)
        return VG_OK;
    /* idx4 indexes with uint32_t. */
    if (s->st4_len > UINT32_MAX / 2 - 1)
        return VG_ENOMEM;
    rc = build4(s);
    if (rc == VG_OK)
        rc = build6(s);
    if (rc) {
        free_built(s);
        return rc;
    }
    free_staging(s);
    s->built = true;
    return VG_OK;
}

/* ---- lookup --------------------------------------------------------------- */

static bool lookup4(const struct vg_ipset *s, uint32_t ip, uint32_t *value)
{
    uint32_t h = ip >> 16;
    size_t b = s->idx4[h], e = s->idx4[h + 1], k;
    /* Ranges before b start below ip, those from e on above it: find the
     * first in [b, e) starting above ip (branchless upper bound). */
    if (b == e) {
        k = b;
    } else {
        const uint32_t *p = s->lo4 + b;
        size_t n = e - b;
        while (n > 1) {
            size_t half = n / 2;
            p = p[half] <= ip ? p + half : p;
            n -= half;
        }
        k = (size_t)(p - s->lo4) + (*p <= ip);
    }
    if (k == 0 || ip > s->hv4[k - 1].hi)
        return false;
    if (value)
        *value = s->hv4[k - 1].value;
    return true;
}

static bool lookup6(const struct vg_ipset *s, u128 ip, uint32_t *value)
{
    const u128 *p = s->lo6;
    size_t n = s->n6, k;
    if (n == 0)
        return false;
    while (n > 1) {
        size_t half = n / 2;
        p = p[half] <= ip ? p + half : p;
        n -= half;
    }
    k = (size_t)(p - s->lo6) + (*p <= ip);
    if (k == 0 || ip > s->hi6[k - 1])
        return false;
    if (value)
        *value = s->val6[k - 1];
    return true;
}

bool vg_ipset_lookup(const struct vg_ipset *s, const struct vg_ip *ip, uint32_t *value)
{
    if (!s || !ip || !s->built)
        return false;
    if (ip->family == 4)
        return lookup4(s, load32(ip->a), value);
    if (ip->family != 6)
        return false;
    if (memcmp(ip->a, mapped_prefix, 12) == 0)
        return lookup4(s, load32(ip->a + 12), value);
    return lookup6(s, load128(ip->a), value);
}

size_t vg_ipset_count(const struct vg_ipset *s)
{
    return s ? s->count : 0;
}

size_t vg_ipset_memory(const struct vg_ipset *s)
{
    if (!s)
        return 0;
    return sizeof *s + s->st4_cap * sizeof *s->st4 + s->st6_cap * sizeof *s->st6 +
           (s->idx4 ? IDX4_SIZE * sizeof *s->idx4 : 0) + s->n4 * (sizeof *s->lo4 + sizeof *s->hv4) +
           s->n6 * (sizeof *s->lo6 + sizeof *s->hi6 + sizeof *s->val6);
}

void vg_ipset_ranges(const struct vg_ipset *s,
                     void (*fn)(void *ctx, const struct vg_ip *lo, const struct vg_ip *hi),
                     void *ctx)
{
    struct vg_ip lo = {.family = 4}, hi = {.family = 4};
    if (!s || !s->built || !fn)
        return;
    for (size_t i = 0; i < s->n4;) {
        uint32_t a = s->lo4[i], z = s->hv4[i].hi;
        for (i++; i < s->n4 && z != UINT32_MAX && s->lo4[i] == z + 1; i++)
            z = s->hv4[i].hi;
        store32(a, lo.a);
        store32(z, hi.a);
        fn(ctx, &lo, &hi);
    }
    lo.family = hi.family = 6;
    for (size_t i = 0; i < s->n6;) {
        u128 a = s->lo6[i], z = s->hi6[i];
        for (i++; i < s->n6 && z != ~(u128)0 && s->lo6[i] == z + 1; i++)
            z = s->hi6[i];
        store128(a, lo.a);
        store128(z, hi.a);
        fn(ctx, &lo, &hi);
    }
}
