/*
 * feed_text.c - the line-oriented feed formats: plain lists (with ranges,
 * IPsum counts and hosts-file lines), FireHOL .ipset/.netset, Suricata
 * iprep, Zeek intel TSV, hash lists and ClamAV .hdb/.hsb signatures.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/str.h"
#include "intel/feed_int.h"
#include "core/banned.h"

#define WHY_MAX 320

static size_t token_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++;
    return i;
}

static bool is_sink_address(const char *s, size_t n)
{
    return (n == 7 && memcmp(s, "0.0.0.0", 7) == 0) || (n == 9 && memcmp(s, "127.0.0.1", 9) == 0) ||
           (n == 2 && memcmp(s, "::", 2) == 0) || (n == 3 && memcmp(s, "::1", 3) == 0);
}

/*
 * The indicator of one plain line (comments already stripped, not empty):
 * "value", "ip<TAB>count" (IPsum), "0.0.0.0 domain" (hosts file) or a range.
 */
static int plain_value(const char *s, size_t n, bool ip_only, struct feed_value *v, int *score,
                       char *why, size_t whysize)
{
    size_t tn = token_len(s, n);
    const char *rest = s + tn;
    size_t rn = n - tn;
    int allowed = ip_only ? FEED_T_IP : FEED_ANY;
    char q[FEED_QUOTE_MAX + 8];

    *score = 0;
    feed_trim(&rest, &rn);
    if (rn == 0)
        return feed_value_parse(s, n, allowed, v, why, whysize);
    if (vg_str_digits(rest, rn)) {
        int64_t c;
        int rc = feed_value_parse(s, tn, FEED_T_IP, v, why, whysize);
        if (rc)
            return rc;
        if (vg_parse_i64(rest, rn, 0, INT_MAX, &c) != VG_OK) {
            feed_value_release(v);
            snprintf(why, whysize, "count %s is out of range", feed_quote(q, sizeof q, rest, rn));
            return VG_EPARSE;
        }
        *score = (int)c;
        return VG_OK;
    }
    if (!ip_only && is_sink_address(s, tn) && token_len(rest, rn) == rn)
        return feed_value_parse(rest, rn, FEED_T_DOMAIN, v, why, whysize);
    if (memchr(s, '-', n))
        return feed_value_parse(s, n, allowed, v, why, whysize);
    {
        char q2[FEED_QUOTE_MAX + 8];
        snprintf(why, whysize, "unexpected text %s after %s", feed_quote(q, sizeof q, rest, rn),
                 feed_quote(q2, sizeof q2, s, tn));
    }
    return VG_EPARSE;
}

/* "Sat Nov 21 10:13:25 UTC 2026" (date(1) in UTC) as a time, or 0. */
static time_t ctime_utc(const char *s, size_t n)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const char *tok[6];
    size_t tl[6], nt = 0;
    struct tm tm;
    int64_t day, year, h, m, sec;
    const char *mp;

    while (n > 0 && nt < 6) {
        feed_trim(&s, &n);
        if (n == 0)
            break;
        tok[nt] = s;
        tl[nt] = token_len(s, n);
        s += tl[nt];
        n -= tl[nt];
        nt++;
    }
    feed_trim(&s, &n);
    if (nt != 6 || n != 0 || tl[1] != 3 || tl[3] != 8)
        return 0;
    if (!((tl[4] == 3 && (memcmp(tok[4], "UTC", 3) == 0 || memcmp(tok[4], "GMT", 3) == 0))))
        return 0;
    mp = NULL;
    for (int i = 0; i < 12; i++)
        if (memcmp(months + 3 * i, tok[1], 3) == 0)
            mp = months + 3 * i;
    if (!mp || vg_parse_i64(tok[2], tl[2], 1, 31, &day) ||
        vg_parse_i64(tok[5], tl[5], 1970, 9999, &year) || tok[3][2] != ':' || tok[3][5] != ':' ||
        vg_parse_i64(tok[3], 2, 0, 23, &h) || vg_parse_i64(tok[3] + 3, 2, 0, 59, &m) ||
        vg_parse_i64(tok[3] + 6, 2, 0, 60, &sec))
        return 0;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = (int)year - 1900;
    tm.tm_mon = (int)((mp - months) / 3);
    tm.tm_mday = (int)day;
    tm.tm_hour = (int)h;
    tm.tm_min = (int)m;
    tm.tm_sec = (int)sec;
    return timegm(&tm);
}

/* "# Key : value" in a FireHOL header: value if the key matches. */
static bool header_field(const char *s, size_t n, const char *key, const char **val, size_t *vn)
{
    size_t kl = strlen(key);
    while (n > 0 && (*s == '#' || *s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n < kl || strncasecmp(s, key, kl) != 0)
        return false;
    s += kl;
    n -= kl;
    feed_trim(&s, &n);
    if (n == 0 || *s != ':')
        return false;
    s++;
    n--;
    feed_trim(&s, &n);
    *val = s;
    *vn = n;
    return true;
}

int feed_parse_plain(struct feed *f, bool firehol)
{
    struct feed_lines r;
    const char *s;
    size_t n;
    time_t source_date = 0, file_date = 0;
    char category[64] = "";
    int rc = VG_OK;

    feed_lines_init(&r, f->data, f->len);
    while (feed_lines_next(&r, &s, &n)) {
        struct feed_value v;
        struct vg_indicator ctx;
        char why[WHY_MAX];
        bool ok, comment;
        int score;
        const char *val;
        size_t vn;

        if (n > 0 && s[0] == '#' && firehol && n <= 512) {
            if (header_field(s, n, "Source File Date", &val, &vn))
                source_date = ctime_utc(val, vn);
            else if (header_field(s, n, "This File Date", &val, &vn))
                file_date = ctime_utc(val, vn);
            else if (header_field(s, n, "Category", &val, &vn) && vn < sizeof category &&
                     !memchr(val, '\0', vn) && vg_utf8_valid(val, vn, NULL)) {
                memcpy(category, val, vn);
                category[vn] = '\0';
            }
            continue;
        }
        rc = feed_check_line(f, r.line, s, n, &ok);
        if (rc || !ok) {
            if (rc)
                return rc;
            f->info->records++;
            continue;
        }
        feed_strip_comment(&s, &n, &comment);
        if (n == 0)
            continue;
        f->info->records++;
        rc = plain_value(s, n, firehol, &v, &score, why, sizeof why);
        if (rc == VG_ENOMEM)
            return vg_error_set(f->err, rc, "out of memory");
        if (rc) {
            rc = feed_bad(f, r.line, "%s", why);
            if (rc)
                return rc;
            continue;
        }
        memset(&ctx, 0, sizeof ctx);
        ctx.line = r.line;
        ctx.score = score;
        ctx.category = category[0] ? category : NULL;
        rc = feed_value_emit(f, &v, &ctx);
        feed_value_release(&v);
        if (rc)
            return rc;
    }
    f->info->issued = source_date ? source_date : file_date;
    return VG_OK;
}

/* Split s[0..n) at sep into at most max fields; returns the count (max + 1 if more). */
static size_t split(const char *s, size_t n, char sep, const char **fs, size_t *fl, size_t max)
{
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == sep) {
            if (nf == max)
                return max + 1;
            fs[nf] = s + start;
            fl[nf] = i - start;
            nf++;
            start = i + 1;
        }
    }
    return nf;
}

static int iprep_fields(const char *s, size_t n, struct feed_value *v, int64_t *cat, int64_t *score,
                        char *why, size_t whysize)
{
    const char *fs[3];
    size_t fl[3];
    char q[FEED_QUOTE_MAX + 8];
    if (split(s, n, ',', fs, fl, 3) != 3) {
        snprintf(why, whysize, "expected ip,category,score");
        return VG_EPARSE;
    }
    for (int i = 0; i < 3; i++)
        feed_trim(&fs[i], &fl[i]);
    if (!vg_str_digits(fs[1], fl[1]) || vg_parse_i64(fs[1], fl[1], 0, 255, cat)) {
        snprintf(why, whysize, "category %s is not a number from 0 to 255",
                 feed_quote(q, sizeof q, fs[1], fl[1]));
        return VG_EPARSE;
    }
    if (!vg_str_digits(fs[2], fl[2]) || vg_parse_i64(fs[2], fl[2], 0, 127, score)) {
        snprintf(why, whysize, "score %s is not a number from 0 to 127",
                 feed_quote(q, sizeof q, fs[2], fl[2]));
        return VG_EPARSE;
    }
    if (memchr(fs[0], '-', fl[0])) {
        snprintf(why, whysize, "%s is not an IP address or prefix",
                 feed_quote(q, sizeof q, fs[0], fl[0]));
        return VG_EPARSE;
    }
    return feed_value_parse(fs[0], fl[0], FEED_T_IP, v, why, whysize);
}

int feed_parse_iprep(struct feed *f)
{
    struct feed_lines r;
    const char *s;
    size_t n;
    int rc;

    feed_lines_init(&r, f->data, f->len);
    while (feed_lines_next(&r, &s, &n)) {
        struct feed_value v;
        struct vg_indicator ctx;
        char why[WHY_MAX], cat[8];
        int64_t c, sc;
        bool ok, comment;
        rc = feed_check_line(f, r.line, s, n, &ok);
        if (rc)
            return rc;
        if (!ok) {
            f->info->records++;
            continue;
        }
        feed_strip_comment(&s, &n, &comment);
        if (n == 0)
            continue;
        f->info->records++;
        rc = iprep_fields(s, n, &v, &c, &sc, why, sizeof why);
        if (rc) {
            rc = feed_bad(f, r.line, "%s", why);
            if (rc)
                return rc;
            continue;
        }
        memset(&ctx, 0, sizeof ctx);
        snprintf(cat, sizeof cat, "%d", (int)c);
        ctx.category = cat;
        ctx.score = (int)sc;
        ctx.line = r.line;
        rc = feed_value_emit(f, &v, &ctx);
        feed_value_release(&v);
        if (rc)
            return rc;
    }
    return VG_OK;
}

/* ---- Zeek intel ---------------------------------------------------------- */

#define ZEEK_MAXF 64

struct zeek {
    char sep;
    int ind, type, source, desc, url; /* field indexes, -1 if absent */
    size_t nfields;
};

/* "\x09" or a literal character after "#separator ". */
static char zeek_sep(const char *s, size_t n)
{
    feed_trim(&s, &n);
    if (n == 4 && s[0] == '\\' && s[1] == 'x') {
        char hex[3] = {s[2], s[3], 0};
        char *end;
        long v = strtol(hex, &end, 16);
        if (*end == '\0' && v > 0 && v < 128 && v != '\n' && v != '\r')
            return (char)v;
    } else if (n == 1 && s[0] != '\n' && s[0] != '\r') {
        return s[0];
    }
    return 0;
}

static bool zeek_unset(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '-') || (n == 7 && memcmp(s, "(empty)", 7) == 0);
}

static int zeek_type(const char *t, size_t n)
{
    static const struct {
        const char *name;
        int allowed;
    } types[] = {
        {"Intel::ADDR", FEED_T_IP},        {"Intel::SUBNET", FEED_T_IP},
        {"Intel::DOMAIN", FEED_T_DOMAIN},  {"Intel::URL", FEED_T_URL},
        {"Intel::FILE_HASH", FEED_T_HASH},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i].name) == n && memcmp(types[i].name, t, n) == 0)
            return types[i].allowed;
    return 0;
}

static int zeek_record(struct feed *f, struct zeek *z, size_t line, const char *s, size_t n)
{
    const char *fs[ZEEK_MAXF];
    size_t fl[ZEEK_MAXF], nf;
    struct feed_value v;
    struct vg_indicator ctx;
    char why[WHY_MAX], q[FEED_QUOTE_MAX + 8], *urlbuf = NULL, *comment = NULL;
    const char *val;
    size_t vn;
    int allowed, rc;

    nf = split(s, n, z->sep, fs, fl, ZEEK_MAXF);
    if (nf < z->nfields || nf > ZEEK_MAXF)
        return feed_bad(f, line, "expected %zu fields separated by the #separator, found %zu",
                        z->nfields, nf);
    allowed = zeek_type(fs[z->type], fl[z->type]);
    if (!allowed) {
        if (fl[z->type] > 7 && memcmp(fs[z->type], "Intel::", 7) == 0)
            return VG_OK; /* a type vigil does not match (EMAIL, USER_NAME, ...) */
        return feed_bad(f, line, "indicator_type %s is not an Intel:: type",
                        feed_quote(q, sizeof q, fs[z->type], fl[z->type]));
    }
    val = fs[z->ind];
    vn = fl[z->ind];
    /* Zeek writes URLs without their scheme. */
    if (allowed == FEED_T_URL && vn > 0 && !memmem(val, vn, "://", 3)) {
        urlbuf = malloc(vn + 8);
        if (!urlbuf)
            return vg_error_set(f->err, VG_ENOMEM, "out of memory");
        memcpy(urlbuf, "http://", 7);
        memcpy(urlbuf + 7, val, vn);
        val = urlbuf;
        vn += 7;
    }
    rc = feed_value_parse(val, vn, allowed, &v, why, sizeof why);
    free(urlbuf);
    if (rc == VG_OK && v.range) {
        feed_value_release(&v);
        snprintf(why, sizeof why, "%s is not an IP address or prefix",
                 feed_quote(q, sizeof q, fs[z->ind], fl[z->ind]));
        rc = VG_EPARSE;
    }
    if (rc)
        return rc == VG_ENOMEM ? vg_error_set(f->err, rc, "out of memory")
                               : feed_bad(f, line, "%s", why);
    memset(&ctx, 0, sizeof ctx);
    ctx.line = line;
    if (z->desc >= 0 && !zeek_unset(fs[z->desc], fl[z->desc]))
        comment = vg_strndup(fs[z->desc], fl[z->desc]);
    else if (z->source >= 0 && !zeek_unset(fs[z->source], fl[z->source]))
        comment = vg_strndup(fs[z->source], fl[z->source]);
    ctx.comment = comment;
    rc = feed_value_emit(f, &v, &ctx);
    free(comment);
    feed_value_release(&v);
    return rc;
}

int feed_parse_zeek(struct feed *f)
{
    struct feed_lines r;
    struct zeek z = {'\t', -1, -1, -1, -1, -1, 0};
    const char *s;
    size_t n;
    int rc;

    feed_lines_init(&r, f->data, f->len);
    while (feed_lines_next(&r, &s, &n)) {
        bool ok;
        rc = feed_check_line(f, r.line, s, n, &ok);
        if (rc)
            return rc;
        if (!ok) {
            f->info->records++;
            continue;
        }
        if (n >= 10 && memcmp(s, "#separator", 10) == 0 && (n == 10 || s[10] == ' ')) {
            char c = zeek_sep(s + 10, n - 10);
            if (!c)
                return vg_error_at(f->err, VG_EPARSE, f->file, r.line, NULL,
                                   "#separator is not a character or \\xNN");
            z.sep = c;
            continue;
        }
        if (n >= 7 && memcmp(s, "#fields", 7) == 0) {
            const char *fs[ZEEK_MAXF];
            size_t fl[ZEEK_MAXF];
            size_t nf = split(s, n, z.sep, fs, fl, ZEEK_MAXF);
            if (nf > ZEEK_MAXF)
                return vg_error_at(f->err, VG_EPARSE, f->file, r.line, NULL,
                                   "#fields names more than %d fields", ZEEK_MAXF - 1);
            z.ind = z.type = z.source = z.desc = z.url = -1;
            for (size_t i = 1; i < nf; i++) {
                int *slot = NULL;
                if (fl[i] == 9 && memcmp(fs[i], "indicator", 9) == 0)
                    slot = &z.ind;
                else if (fl[i] == 14 && memcmp(fs[i], "indicator_type", 14) == 0)
                    slot = &z.type;
                else if (fl[i] == 11 && memcmp(fs[i], "meta.source", 11) == 0)
                    slot = &z.source;
                else if (fl[i] == 9 && memcmp(fs[i], "meta.desc", 9) == 0)
                    slot = &z.desc;
                if (slot && *slot < 0)
                    *slot = (int)i - 1;
            }
            if (z.ind < 0 || z.type < 0)
                return vg_error_at(f->err, VG_EPARSE, f->file, r.line, NULL,
                                   "#fields has no indicator or no indicator_type");
            z.nfields = nf - 1;
            continue;
        }
        if (n == 0 || s[0] == '#')
            continue;
        f->info->records++;
        if (z.nfields == 0) {
            rc = feed_bad(f, r.line, "data before the #fields header");
        } else {
            rc = zeek_record(f, &z, r.line, s, n);
        }
        if (rc)
            return rc;
    }
    return VG_OK;
}

/* ---- hashes and ClamAV ---------------------------------------------------- */

int feed_parse_hashes(struct feed *f)
{
    struct feed_lines r;
    const char *s;
    size_t n;
    int rc;

    feed_lines_init(&r, f->data, f->len);
    while (feed_lines_next(&r, &s, &n)) {
        struct feed_value v;
        struct vg_indicator ctx;
        char why[WHY_MAX], *name = NULL;
        bool ok, comment;
        size_t tn;
        const char *rest;
        size_t rn;
        rc = feed_check_line(f, r.line, s, n, &ok);
        if (rc)
            return rc;
        if (!ok) {
            f->info->records++;
            continue;
        }
        feed_strip_comment(&s, &n, &comment);
        if (n == 0)
            continue;
        f->info->records++;
        /* "digest" or "digest  name" as sha256sum writes it ('*' marks binary mode). */
        tn = token_len(s, n);
        rest = s + tn;
        rn = n - tn;
        feed_trim(&rest, &rn);
        if (rn > 0 && *rest == '*') {
            rest++;
            rn--;
        }
        rc = feed_value_parse(s, tn, FEED_T_HASH, &v, why, sizeof why);
        if (rc) {
            rc = feed_bad(f, r.line, "%s", why);
            if (rc)
                return rc;
            continue;
        }
        memset(&ctx, 0, sizeof ctx);
        ctx.line = r.line;
        if (rn > 0) {
            name = vg_strndup(rest, rn);
            if (!name)
                return vg_error_set(f->err, VG_ENOMEM, "out of memory");
            ctx.comment = name;
        }
        rc = feed_value_emit(f, &v, &ctx);
        free(name);
        if (rc)
            return rc;
    }
    return VG_OK;
}

static int clamav_record(struct feed *f, bool hsb, size_t line, const char *s, size_t n)
{
    const char *fs[5];
    size_t fl[5], nf;
    int64_t size = 0;
    int ht;
    struct vg_indicator ind;
    char q[FEED_QUOTE_MAX + 8], hex[65], *name;
    int rc;

    nf = split(s, n, ':', fs, fl, 4);
    if (nf < 3)
        return feed_bad(f, line, "expected %s:size:name", hsb ? "hash" : "md5");
    if (nf > 4) /* a name with ':' in it: take the rest as the name */
        fl[2] = n - (size_t)(fs[2] - s);
    ht = vg_hash_type(fs[0], fl[0]);
    if (hsb ? (ht != VG_IOC_SHA1 && ht != VG_IOC_SHA256) : ht != VG_IOC_MD5)
        return feed_bad(f, line, "%s is not %s", feed_quote(q, sizeof q, fs[0], fl[0]),
                        hsb ? "a SHA-1 or SHA-256 digest" : "an MD5 digest");
    if (!(fl[1] == 1 && fs[1][0] == '*') &&
        (!vg_str_digits(fs[1], fl[1]) || vg_parse_i64(fs[1], fl[1], 0, INT64_MAX, &size)))
        return feed_bad(f, line, "size %s is not a number or '*'",
                        feed_quote(q, sizeof q, fs[1], fl[1]));
    if (fl[2] == 0)
        return feed_bad(f, line, "the signature has no name");
    for (size_t i = 0; i < fl[0]; i++)
        hex[i] = (fs[0][i] >= 'A' && fs[0][i] <= 'F') ? (char)(fs[0][i] - 'A' + 'a') : fs[0][i];
    hex[fl[0]] = '\0';
    name = vg_strndup(fs[2], fl[2]);
    if (!name)
        return vg_error_set(f->err, VG_ENOMEM, "out of memory");
    memset(&ind, 0, sizeof ind);
    ind.type = ht;
    ind.value = hex;
    ind.size = (uint64_t)size;
    ind.family = name;
    ind.line = line;
    rc = feed_emit(f, &ind);
    free(name);
    return rc;
}

int feed_parse_clamav(struct feed *f, bool hsb)
{
    struct feed_lines r;
    const char *s;
    size_t n;
    int rc;

    feed_lines_init(&r, f->data, f->len);
    while (feed_lines_next(&r, &s, &n)) {
        bool ok;
        rc = feed_check_line(f, r.line, s, n, &ok);
        if (rc)
            return rc;
        if (ok) {
            feed_trim(&s, &n);
            if (n == 0 || s[0] == '#')
                continue;
        }
        f->info->records++;
        if (ok && (rc = clamav_record(f, hsb, r.line, s, n)) != VG_OK)
            return rc;
    }
    return VG_OK;
}

/* ---- detection's view of a line ------------------------------------------ */

int feed_text_line_class(const char *s, size_t n)
{
    const char *fs[4];
    size_t fl[4], nf;
    struct feed_value v;
    char why[WHY_MAX];
    int score;
    int64_t a, b;

    nf = split(s, n, ':', fs, fl, 3);
    if (nf >= 3 &&
        (fl[1] > 0 && (vg_str_digits(fs[1], fl[1]) || (fl[1] == 1 && fs[1][0] == '*')))) {
        int ht = vg_hash_type(fs[0], fl[0]);
        if (ht == VG_IOC_MD5)
            return FEED_L_HDB;
        if (ht == VG_IOC_SHA1 || ht == VG_IOC_SHA256)
            return FEED_L_HSB;
    }
    if (vg_hash_type(s, token_len(s, n)) != VG_IOC_NONE)
        return FEED_L_HASH;
    if (iprep_fields(s, n, &v, &a, &b, why, sizeof why) == VG_OK) {
        feed_value_release(&v);
        return FEED_L_IPREP;
    }
    if (plain_value(s, n, false, &v, &score, why, sizeof why) == VG_OK) {
        feed_value_release(&v);
        return FEED_L_PLAIN;
    }
    return FEED_L_OTHER;
}
