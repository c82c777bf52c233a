/*
 * feed.c - the entry point of the feed parsers: format names, dispatch, and
 * the machinery every format shares (bad records, emitting indicators and
 * address ranges, the line reader, one indicator from its text).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "intel/feed_int.h"
#include "intel/intel.h"
#include "core/banned.h"

static const char *const format_names[] = {
    [VG_FEED_AUTO] = "auto",
    [VG_FEED_PLAIN] = "plain",
    [VG_FEED_CSV] = "csv",
    [VG_FEED_FIREHOL] = "firehol",
    [VG_FEED_FEODO_CSV] = "feodo-csv",
    [VG_FEED_FEODO_JSON] = "feodo-json",
    [VG_FEED_IPREP] = "iprep",
    [VG_FEED_ZEEK] = "zeek",
    [VG_FEED_STIX] = "stix",
    [VG_FEED_MISP] = "misp",
    [VG_FEED_HASHES] = "hashes",
    [VG_FEED_HDB] = "hdb",
    [VG_FEED_HSB] = "hsb",
};
#define NFORMATS (sizeof format_names / sizeof format_names[0])

const char *vg_feed_format_name(int format)
{
    if (format < 0 || (size_t)format >= NFORMATS)
        return "";
    return format_names[format];
}

int vg_feed_format_parse(const char *s)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < NFORMATS; i++)
        if (vg_str_ieq(s, format_names[i]))
            return (int)i;
    return -1;
}

/* ---- bad records and emitting ------------------------------------------ */

int feed_bad(struct feed *f, size_t line, const char *fmt, ...)
{
    char why[VG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (!f->skip_bad)
        return vg_error_at(f->err, VG_EPARSE, f->file, line, NULL, "%s", why);
    f->info->bad++;
    if (f->on_bad)
        f->on_bad(f->ctx, line, why);
    return VG_OK;
}

const char *feed_quote(char *out, size_t size, const char *s, size_t n)
{
    char esc[FEED_QUOTE_MAX];
    vg_str_escape_ctl(esc, sizeof esc, s, n);
    snprintf(out, size, "\"%s\"", esc);
    return out;
}

int feed_emit(struct feed *f, struct vg_indicator *ind)
{
    char text[VG_PREFIX_STRLEN];
    if (ind->type == VG_IOC_IP) {
        unsigned full = ind->prefix.ip.family == 4 ? 32 : 128;
        if (ind->prefix.len == full)
            vg_ip_format(&ind->prefix.ip, text);
        else
            vg_prefix_format(&ind->prefix, text);
        ind->value = text;
    }
    f->info->indicators++;
    return f->emit(f->ctx, ind);
}

/* 128-bit unsigned arithmetic on addresses (IPv4 in the low 32 bits). */
struct u128 {
    uint64_t hi, lo;
};

static struct u128 ip_to_u128(const struct vg_ip *ip)
{
    struct u128 v = {0, 0};
    if (ip->family == 4) {
        for (int i = 0; i < 4; i++)
            v.lo = v.lo << 8 | ip->a[i];
        return v;
    }
    for (int i = 0; i < 8; i++)
        v.hi = v.hi << 8 | ip->a[i];
    for (int i = 8; i < 16; i++)
        v.lo = v.lo << 8 | ip->a[i];
    return v;
}

static void u128_to_ip(struct u128 v, int family, struct vg_ip *ip)
{
    memset(ip, 0, sizeof *ip);
    ip->family = (uint8_t)family;
    if (family == 4) {
        for (int i = 3; i >= 0; i--, v.lo >>= 8)
            ip->a[i] = (uint8_t)v.lo;
        return;
    }
    for (int i = 15; i >= 8; i--, v.lo >>= 8)
        ip->a[i] = (uint8_t)v.lo;
    for (int i = 7; i >= 0; i--, v.hi >>= 8)
        ip->a[i] = (uint8_t)v.hi;
}

static int u128_cmp(struct u128 a, struct u128 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* 2^k - 1 */
static struct u128 u128_mask(unsigned k)
{
    struct u128 m;
    m.lo = k >= 64 ? UINT64_MAX : (((uint64_t)1 << k) - 1);
    m.hi = k <= 64 ? 0 : k >= 128 ? UINT64_MAX : (((uint64_t)1 << (k - 64)) - 1);
    return m;
}

static struct u128 u128_or(struct u128 a, struct u128 b)
{
    return (struct u128){a.hi | b.hi, a.lo | b.lo};
}

static bool u128_is_zero_under(struct u128 a, unsigned k)
{
    struct u128 m = u128_mask(k);
    return (a.hi & m.hi) == 0 && (a.lo & m.lo) == 0;
}

int feed_emit_range(struct feed *f, const struct vg_ip *lo, const struct vg_ip *hi,
                    const struct vg_indicator *tmpl)
{
    unsigned bits = lo->family == 4 ? 32 : 128;
    struct u128 a = ip_to_u128(lo), b = ip_to_u128(hi);
    for (;;) {
        struct vg_indicator ind = *tmpl;
        struct u128 top;
        unsigned k = bits;
        /* The largest aligned block at a that ends at or before b. */
        while (k > 0 && !(u128_is_zero_under(a, k) && u128_cmp(u128_or(a, u128_mask(k)), b) <= 0))
            k--;
        ind.type = VG_IOC_IP;
        u128_to_ip(a, lo->family, &ind.prefix.ip);
        ind.prefix.len = (uint8_t)(bits - k);
        int rc = feed_emit(f, &ind);
        if (rc)
            return rc;
        top = u128_or(a, u128_mask(k));
        if (u128_cmp(top, b) >= 0)
            return VG_OK;
        /* a = top + 1 (no overflow: top < b) */
        a = top;
        if (++a.lo == 0)
            a.hi++;
    }
}

/* ---- one indicator from text ------------------------------------------- */

static bool ip_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == ':' || c == '/' ||
              (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

static bool looks_ip(const char *s, size_t n)
{
    bool dotted = true;
    if (memchr(s, ':', n) || memchr(s, '/', n))
        return ip_chars(s, n);
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
            dotted = false;
    return dotted;
}

void feed_value_release(struct feed_value *v)
{
    free(v->url);
    v->url = NULL;
}

int feed_value_parse(const char *s, size_t n, int allowed, struct feed_value *v, char *why,
                     size_t whysize)
{
    char q[FEED_QUOTE_MAX + 8];
    const char *dash;
    int ht;

    memset(&v->ind, 0, sizeof v->ind);
    v->range = false;
    v->url = NULL;
    v->buf[0] = '\0';
    feed_trim(&s, &n);
    if (n == 0) {
        snprintf(why, whysize, "empty indicator");
        return VG_EPARSE;
    }
    /* A range "a - b" or "a-b" (addresses hold no '-'). */
    dash = (allowed & FEED_T_IP) ? memchr(s, '-', n) : NULL;
    if (dash) {
        const char *l = s, *r = dash + 1;
        size_t ln = (size_t)(dash - s), rn = n - ln - 1;
        feed_trim(&l, &ln);
        feed_trim(&r, &rn);
        if (ln > 0 && looks_ip(l, ln)) {
            if (vg_ip_parse(l, ln, &v->lo) != VG_OK) {
                snprintf(why, whysize, "%s is not an IP address", feed_quote(q, sizeof q, l, ln));
                return VG_EPARSE;
            }
            if (rn == 0 || vg_ip_parse(r, rn, &v->hi) != VG_OK) {
                snprintf(why, whysize, "%s is not an IP address", feed_quote(q, sizeof q, r, rn));
                return VG_EPARSE;
            }
            if (v->lo.family != v->hi.family) {
                snprintf(why, whysize, "range %s mixes IPv4 and IPv6",
                         feed_quote(q, sizeof q, s, n));
                return VG_EPARSE;
            }
            if (memcmp(v->lo.a, v->hi.a, 16) > 0) {
                snprintf(why, whysize, "range %s ends before it starts",
                         feed_quote(q, sizeof q, s, n));
                return VG_EPARSE;
            }
            v->range = true;
            v->ind.type = VG_IOC_IP;
            return VG_OK;
        }
    }
    ht = vg_hash_type(s, n);
    if (ht != VG_IOC_NONE && (allowed & FEED_T_HASH)) {
        for (size_t i = 0; i < n; i++)
            v->buf[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
        v->buf[n] = '\0';
        v->ind.type = ht;
        v->ind.value = v->buf;
        return VG_OK;
    }
    if ((allowed & FEED_T_URL) && n > 3 && memmem(s, n, "://", 3)) {
        int rc = vg_url_normalize(s, n, &v->url);
        if (rc == VG_ENOMEM)
            return rc;
        if (rc) {
            snprintf(why, whysize, "%s is not a URL", feed_quote(q, sizeof q, s, n));
            return VG_EPARSE;
        }
        v->ind.type = VG_IOC_URL;
        v->ind.value = v->url;
        return VG_OK;
    }
    if ((allowed & FEED_T_IP) && (looks_ip(s, n) || !(allowed & FEED_T_DOMAIN))) {
        if (vg_prefix_parse(s, n, 0, &v->ind.prefix) != VG_OK) {
            snprintf(why, whysize, "%s is not an IP address%s", feed_quote(q, sizeof q, s, n),
                     memchr(s, '/', n) ? " or prefix" : "");
            return VG_EPARSE;
        }
        v->ind.type = VG_IOC_IP;
        return VG_OK;
    }
    if (allowed & FEED_T_DOMAIN) {
        if (vg_domain_normalize(s, n, v->buf) != VG_OK) {
            snprintf(why, whysize, "%s is not a domain name", feed_quote(q, sizeof q, s, n));
            return VG_EPARSE;
        }
        v->ind.type = VG_IOC_DOMAIN;
        v->ind.value = v->buf;
        return VG_OK;
    }
    if (allowed == FEED_T_HASH)
        snprintf(why, whysize, "%s is not an MD5, SHA-1 or SHA-256 digest",
                 feed_quote(q, sizeof q, s, n));
    else
        snprintf(why, whysize, "%s is not an indicator", feed_quote(q, sizeof q, s, n));
    return VG_EPARSE;
}

int feed_value_emit(struct feed *f, struct feed_value *v, const struct vg_indicator *ctx)
{
    struct vg_indicator ind = *ctx;
    if (v->range)
        return feed_emit_range(f, &v->lo, &v->hi, ctx);
    ind.type = v->ind.type;
    ind.prefix = v->ind.prefix;
    ind.value = v->ind.value;
    return feed_emit(f, &ind);
}

/* ---- lines --------------------------------------------------------------- */

void feed_lines_init(struct feed_lines *r, const char *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
    r->line = 0;
}

bool feed_lines_next(struct feed_lines *r, const char **s, size_t *n)
{
    size_t start = r->pos, i = r->pos;
    if (r->pos >= r->len)
        return false;
    while (i < r->len && r->data[i] != '\n' && r->data[i] != '\r')
        i++;
    *s = r->data + start;
    *n = i - start;
    if (i < r->len) {
        if (r->data[i] == '\r' && i + 1 < r->len && r->data[i + 1] == '\n')
            i++;
        i++;
    }
    r->pos = i;
    r->line++;
    return true;
}

void feed_trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    while (len > 0 && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    *s = p;
    *n = len;
}

void feed_strip_comment(const char **s, size_t *n, bool *had_comment)
{
    const char *p = *s;
    size_t len = *n;
    *had_comment = false;
    for (size_t i = 0; i < len; i++) {
        if ((p[i] == '#' || p[i] == ';') && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t')) {
            len = i;
            *had_comment = true;
            break;
        }
    }
    *s = p;
    *n = len;
    feed_trim(s, n);
}

int feed_check_line(struct feed *f, size_t line, const char *s, size_t n, bool *ok)
{
    size_t bad;
    *ok = false;
    if (n > f->max_record)
        return feed_bad(f, line, "record longer than %zu bytes", f->max_record);
    if (memchr(s, '\0', n))
        return feed_bad(f, line, "contains a NUL byte");
    if (!vg_utf8_valid(s, n, &bad))
        return feed_bad(f, line, "invalid UTF-8 at byte %zu", bad + 1);
    *ok = true;
    return VG_OK;
}

int feed_time_parse(const char *s, size_t n, time_t *out)
{
    char tmp[64];
    bool zone = false;
    if (n < 10 || n > 40)
        return VG_EPARSE;
    /* A zone is "Z" or a sign after the date ("2026-11-20" has dashes of its own). */
    if (s[n - 1] == 'Z' || s[n - 1] == 'z')
        zone = true;
    for (size_t i = 10; i < n; i++)
        if (s[i] == '+' || s[i] == '-')
            zone = true;
    memcpy(tmp, s, n);
    if (!zone && n == 10) {
        memcpy(tmp + n, "T00:00", 6);
        n += 6;
    }
    if (!zone)
        tmp[n++] = 'Z';
    return vg_time_parse(tmp, n, out);
}

/* ---- dispatch ------------------------------------------------------------ */

static int parse_format(struct feed *f, int format)
{
    switch (format) {
    case VG_FEED_PLAIN:
        return feed_parse_plain(f, false);
    case VG_FEED_FIREHOL:
        return feed_parse_plain(f, true);
    case VG_FEED_CSV:
        return feed_parse_csv(f, false);
    case VG_FEED_FEODO_CSV:
        return feed_parse_csv(f, true);
    case VG_FEED_FEODO_JSON:
        return feed_parse_feodo_json(f);
    case VG_FEED_IPREP:
        return feed_parse_iprep(f);
    case VG_FEED_ZEEK:
        return feed_parse_zeek(f);
    case VG_FEED_STIX:
        return feed_parse_stix(f);
    case VG_FEED_MISP:
        return feed_parse_misp(f);
    case VG_FEED_HASHES:
        return feed_parse_hashes(f);
    case VG_FEED_HDB:
        return feed_parse_clamav(f, false);
    case VG_FEED_HSB:
        return feed_parse_clamav(f, true);
    default:
        return vg_error_set(f->err, VG_EINVAL, "unknown feed format %d", format);
    }
}

int vg_feed_parse(const char *data, size_t len, const struct vg_feed_opts *o, vg_feed_emit emit,
                  vg_feed_bad on_bad, void *ctx, struct vg_feed_info *info, struct vg_error *err)
{
    static const struct vg_feed_opts defaults;
    struct vg_feed_info local;
    struct feed f;
    int format;

    if (!o)
        o = &defaults;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    vg_error_clear(err);
    if ((!data && len) || !emit)
        return vg_error_set(err, VG_EINVAL, "vg_feed_parse: no input or no callback");
    if (!data)
        data = "";
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    memset(&f, 0, sizeof f);
    f.data = data;
    f.len = len;
    f.file = o->file ? o->file : "<input>";
    f.max_record = o->max_record ? o->max_record : ((size_t)1 << 20);
    f.skip_bad = o->skip_bad;
    f.csv = o->csv;
    f.emit = emit;
    f.on_bad = on_bad;
    f.ctx = ctx;
    f.info = info;
    f.err = err;
    format = o->format;
    if (format == VG_FEED_AUTO) {
        format = vg_feed_detect(data, len, o->file);
        if (format == VG_FEED_AUTO)
            return vg_error_set(err, VG_EPARSE,
                                "%s: cannot tell the feed's format (give it with --format)",
                                f.file);
    }
    if (format <= VG_FEED_AUTO || (size_t)format >= NFORMATS)
        return vg_error_set(err, VG_EINVAL, "unknown feed format %d", format);
    info->format = format;
    return parse_format(&f, format);
}
