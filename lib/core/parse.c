/*
 * parse.c - strict parsers for numbers, addresses and times.
 */
#include "core/parse.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/banned.h"

int vg_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0, lim;
    if (n == 0)
        return VG_EPARSE;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (n == 1)
            return VG_EPARSE;
    }
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < n; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9')
            return VG_EPARSE;
        d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            return VG_EINVAL;
        v = v * 10 + d;
    }
    int64_t r = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    if (r < min || r > max)
        return VG_EINVAL;
    *out = r;
    return VG_OK;
}

static int parse_ip4(const char *s, size_t n, uint8_t *a)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        unsigned v = 0;
        size_t digits = 0;
        if (part) {
            if (i >= n || s[i] != '.')
                return VG_EPARSE;
            i++;
        }
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (digits && v == 0) /* leading zero: ambiguous (octal in inet_aton) */
                return VG_EPARSE;
            v = v * 10 + (unsigned)(s[i] - '0');
            if (v > 255)
                return VG_EPARSE;
            digits++;
            i++;
        }
        if (!digits)
            return VG_EPARSE;
        a[part] = (uint8_t)v;
    }
    return i == n ? VG_OK : VG_EPARSE;
}

int vg_ip_parse(const char *s, size_t n, struct vg_ip *out)
{
    char tmp[VG_IP_STRLEN];
    memset(out, 0, sizeof *out);
    if (n == 0 || memchr(s, '\0', n))
        return VG_EPARSE;
    if (memchr(s, ':', n) == NULL) {
        out->family = 4;
        return parse_ip4(s, n, out->a);
    }
    if (n >= sizeof tmp)
        return VG_EPARSE;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (inet_pton(AF_INET6, tmp, out->a) != 1)
        return VG_EPARSE;
    out->family = 6;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(out->a, mapped, 12) == 0) {
        memmove(out->a, out->a + 12, 4);
        memset(out->a + 4, 0, 12);
        out->family = 4;
    }
    return VG_OK;
}

static unsigned ip_bits(const struct vg_ip *ip)
{
    return ip->family == 4 ? 32 : 128;
}

/* Does ip have any bit set past the first len bits? Clear them if fix. */
static bool host_bits(struct vg_ip *ip, unsigned len, bool fix)
{
    bool any = false;
    unsigned bytes = ip_bits(ip) / 8;
    for (unsigned i = 0; i < bytes; i++) {
        unsigned lo = i * 8;
        uint8_t keep;
        if (lo + 8 <= len)
            continue;
        keep = lo >= len ? 0 : (uint8_t)(0xFF << (8 - (len - lo)));
        if (ip->a[i] & (uint8_t)~keep) {
            any = true;
            if (fix)
                ip->a[i] &= keep;
        }
    }
    return any;
}

int vg_prefix_parse(const char *s, size_t n, int flags, struct vg_prefix *out)
{
    const char *slash = memchr(s, '/', n);
    size_t alen = slash ? (size_t)(slash - s) : n;
    int rc = vg_ip_parse(s, alen, &out->ip);
    if (rc)
        return rc;
    out->len = (uint8_t)ip_bits(&out->ip);
    if (slash) {
        int64_t len;
        size_t ln = n - alen - 1;
        if (ln == 0 || ln > 3 || (ln > 1 && slash[1] == '0'))
            return VG_EPARSE;
        if (vg_parse_i64(slash + 1, ln, 0, 128, &len) || slash[1] == '+' || slash[1] == '-')
            return VG_EPARSE;
        /* A v4-mapped address given with a /96+ IPv6 length. */
        if (out->ip.family == 4 && memchr(s, ':', alen)) {
            if (len < 96)
                return VG_EPARSE;
            len -= 96;
        }
        if ((unsigned)len > ip_bits(&out->ip))
            return VG_EPARSE;
        out->len = (uint8_t)len;
    }
    if (host_bits(&out->ip, out->len, !(flags & VG_PREFIX_STRICT)) && (flags & VG_PREFIX_STRICT))
        return VG_EINVAL;
    return VG_OK;
}

char *vg_ip_format(const struct vg_ip *ip, char *buf)
{
    if (ip->family == 4)
        snprintf(buf, VG_IP_STRLEN, "%u.%u.%u.%u", ip->a[0], ip->a[1], ip->a[2], ip->a[3]);
    else if (!inet_ntop(AF_INET6, ip->a, buf, VG_IP_STRLEN))
        buf[0] = '\0';
    return buf;
}

char *vg_prefix_format(const struct vg_prefix *p, char *buf)
{
    char ip[VG_IP_STRLEN];
    snprintf(buf, VG_PREFIX_STRLEN, "%s/%u", vg_ip_format(&p->ip, ip), p->len);
    return buf;
}

bool vg_ip_eq(const struct vg_ip *a, const struct vg_ip *b)
{
    return a->family == b->family && memcmp(a->a, b->a, a->family == 4 ? 4 : 16) == 0;
}

bool vg_prefix_contains(const struct vg_prefix *p, const struct vg_ip *ip)
{
    unsigned full, rem;
    if (p->ip.family != ip->family)
        return false;
    full = p->len / 8;
    rem = p->len % 8;
    if (memcmp(p->ip.a, ip->a, full) != 0)
        return false;
    if (rem) {
        uint8_t mask = (uint8_t)(0xFF << (8 - rem));
        if ((p->ip.a[full] & mask) != (ip->a[full] & mask))
            return false;
    }
    return true;
}

struct range {
    uint8_t family;
    uint8_t a[16];
    uint8_t len;
    int cls;
};

/* Special-purpose ranges (IANA registries, RFC 6890 and successors). */
static const struct range special[] = {
    {4, {0}, 8, VG_IP_RESERVED},             /* "this network" */
    {4, {10}, 8, VG_IP_PRIVATE},             /* RFC 1918 */
    {4, {100, 64}, 10, VG_IP_PRIVATE},       /* RFC 6598 shared (CGNAT) */
    {4, {127}, 8, VG_IP_LOOPBACK},           /* */
    {4, {169, 254}, 16, VG_IP_LINKLOCAL},    /* */
    {4, {172, 16}, 12, VG_IP_PRIVATE},       /* RFC 1918 */
    {4, {192, 0, 0}, 24, VG_IP_RESERVED},    /* IETF protocol assignments */
    {4, {192, 0, 2}, 24, VG_IP_RESERVED},    /* TEST-NET-1 */
    {4, {192, 88, 99}, 24, VG_IP_RESERVED},  /* 6to4 relay anycast */
    {4, {192, 168}, 16, VG_IP_PRIVATE},      /* RFC 1918 */
    {4, {198, 18}, 15, VG_IP_RESERVED},      /* benchmarking */
    {4, {198, 51, 100}, 24, VG_IP_RESERVED}, /* TEST-NET-2 */
    {4, {203, 0, 113}, 24, VG_IP_RESERVED},  /* TEST-NET-3 */
    {4, {224}, 4, VG_IP_RESERVED},           /* multicast */
    {4, {240}, 4, VG_IP_RESERVED},           /* class E + broadcast */
    {6, {0}, 128, VG_IP_RESERVED},           /* :: unspecified */
    {6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, VG_IP_LOOPBACK},
    {6, {0, 0x64, 0xff, 0x9b}, 96, VG_IP_RESERVED},    /* NAT64 */
    {6, {0x01, 0x00}, 64, VG_IP_RESERVED},             /* discard-only */
    {6, {0x20, 0x01, 0x0d, 0xb8}, 32, VG_IP_RESERVED}, /* documentation */
    {6, {0x20, 0x02}, 16, VG_IP_RESERVED},             /* 6to4 */
    {6, {0xfc}, 7, VG_IP_PRIVATE},                     /* unique local */
    {6, {0xfe, 0x80}, 10, VG_IP_LINKLOCAL},            /* */
    {6, {0xff}, 8, VG_IP_RESERVED},                    /* multicast */
};

int vg_ip_class(const struct vg_ip *ip)
{
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        struct vg_prefix p;
        p.ip.family = special[i].family;
        memcpy(p.ip.a, special[i].a, 16);
        p.len = special[i].len;
        if (vg_prefix_contains(&p, ip))
            return special[i].cls;
    }
    return VG_IP_PUBLIC;
}

bool vg_prefix_is_public(const struct vg_prefix *p)
{
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        struct vg_prefix sp;
        if (special[i].family != p->ip.family)
            continue;
        sp.ip.family = special[i].family;
        memcpy(sp.ip.a, special[i].a, 16);
        sp.len = special[i].len;
        /* Two prefixes overlap when one contains the other's network address. */
        if (vg_prefix_contains(&sp, &p->ip) || vg_prefix_contains(p, &sp.ip))
            return false;
    }
    return true;
}

const char *vg_ip_class_name(int cls)
{
    switch (cls) {
    case VG_IP_PUBLIC:
        return "public";
    case VG_IP_PRIVATE:
        return "private";
    case VG_IP_LOOPBACK:
        return "loopback";
    case VG_IP_LINKLOCAL:
        return "link-local";
    default:
        return "reserved";
    }
}

bool vg_ip_is_public(const struct vg_ip *ip)
{
    return vg_ip_class(ip) == VG_IP_PUBLIC;
}

/* Fixed-width unsigned decimal field. */
static int digits(const char *s, size_t n, size_t at, size_t w, int *out)
{
    int v = 0;
    if (at + w > n)
        return VG_EPARSE;
    for (size_t i = at; i < at + w; i++) {
        if (s[i] < '0' || s[i] > '9')
            return VG_EPARSE;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return VG_OK;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int vg_time_parse(const char *s, size_t n, time_t *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    bool zone = false;
    size_t i;
    struct tm tm;
    if (digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' || digits(s, n, 5, 2, &mo) || s[7] != '-' ||
        digits(s, n, 8, 2, &d))
        return VG_EPARSE;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return VG_EPARSE;
    i = 10;
    if (i < n && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) {
        i++;
        if (digits(s, n, i, 2, &h) || i + 2 >= n || s[i + 2] != ':' || digits(s, n, i + 3, 2, &mi))
            return VG_EPARSE;
        i += 5;
        if (i < n && s[i] == ':') {
            if (digits(s, n, i + 1, 2, &sec))
                return VG_EPARSE;
            i += 3;
            if (i < n && (s[i] == '.' || s[i] == ',')) {
                size_t f = ++i;
                while (i < n && s[i] >= '0' && s[i] <= '9')
                    i++;
                if (i == f)
                    return VG_EPARSE;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return VG_EPARSE;
    }
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        zone = true;
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int oh, om, sign = s[i] == '-' ? -1 : 1;
        if (digits(s, n, i + 1, 2, &oh))
            return VG_EPARSE;
        i += 3;
        if (i < n && s[i] == ':')
            i++;
        if (digits(s, n, i, 2, &om))
            return VG_EPARSE;
        i += 2;
        if (oh > 23 || om > 59)
            return VG_EPARSE;
        off = sign * (oh * 3600 + om * 60);
        zone = true;
    }
    if (i != n)
        return VG_EPARSE;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    if (zone) {
        *out = timegm(&tm) - off;
    } else {
        tm.tm_isdst = -1;
        tm.tm_wday = -1; /* mktime sets it on success: -1 is also a valid time */
        *out = mktime(&tm);
        if (tm.tm_wday < 0)
            return VG_EPARSE;
    }
    return VG_OK;
}

char *vg_time_rfc3339(time_t t, char *buf)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        buf[0] = '\0';
    return buf;
}

char *vg_time_local(time_t t, char *buf)
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%d %H:%M", &tm))
        buf[0] = '\0';
    return buf;
}
