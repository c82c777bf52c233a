/*
 * extract.c - the log-line token extractor (vg_extract_line): finds IPv4 and
 * IPv6 addresses, domain names and URLs in one line of any text log.
 *
 * Every token except a bare one-label word holds a '.' or a ':', so the line
 * is scanned (16 bytes at a time with SSE2) for those two "anchor" bytes
 * only; from each anchor the code widens left and right to the token's
 * bounds with a byte class table and validates in place. Scanning resumes
 * after whatever a token (or a rejected run of name characters) covered, so
 * tokens come out left to right and never overlap, except that a URL's host
 * is reported after the URL, inside it. Nothing is copied or allocated;
 * only IPv6 candidates that pass a cheap shape test reach vg_ip_parse.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sweep/sweep.h"
#include "sweep/cls.h"

#include "core/banned.h"


/* Generated from the definitions above; bytes >= 0x80 are in no class. */
const uint8_t vg_sweep_cls[256] = {
    0,   0,   0,   0,   0,   0,   0,   0,   0,   32,  32,  32,  32,  32,  0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   32,  0,   32,  0,   0,   128,
    0,   32,  0,   0,   0,   192, 0,   200, 208, 0,   219, 219, 219, 219, 219, 219, 219, 219, 219,
    219, 16,  0,   32,  0,   32,  0,   0,   222, 222, 222, 222, 222, 222, 204, 204, 204, 204, 204,
    204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 0,   0,   0,   0,
    136, 0,   222, 222, 222, 222, 222, 222, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204, 204,
    204, 204, 204, 204, 204, 204, 204, 204, 204, 0,   0,   0,   0,   0,
};

#define cls vg_sweep_cls
#define IS(c, k) ((cls[(unsigned char)(c)] & (k)) != 0)

struct ex {
    const char *line;
    size_t n;
    int mask;
    vg_token_fn fn;
    void *ctx;
    size_t count;
    bool stop;
};

/* Hand one token to the callback if its type is wanted. */
static void emit(struct ex *x, struct vg_token *t)
{
    if (!(x->mask & t->type) || x->stop)
        return;
    x->count++;
    if (x->fn && x->fn(x->ctx, t) != 0)
        x->stop = true;
}

static void emit_ip(struct ex *x, size_t a, size_t b, const struct vg_ip *ip)
{
    struct vg_token t;
    t.type = ip->family == 4 ? VG_TOK_IPV4 : VG_TOK_IPV6;
    t.p = x->line + a;
    t.n = b - a;
    t.col = a;
    t.ip = *ip;
    t.host = NULL;
    t.host_n = 0;
    emit(x, &t);
}

static void emit_domain(struct ex *x, size_t a, size_t b)
{
    struct vg_token t;
    memset(&t, 0, sizeof t);
    t.type = VG_TOK_DOMAIN;
    t.p = x->line + a;
    t.n = b - a;
    t.col = a;
    emit(x, &t);
}

/* The next '.' or ':' at or after i, or n. */
static inline size_t next_anchor(const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
    const __m128i dot = _mm_set1_epi8('.');
    const __m128i colon = _mm_set1_epi8(':');
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, colon)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    for (; i < n; i++)
        if (s[i] == '.' || s[i] == ':')
            return i;
    return n;
}

/* Exactly a dotted quad of decimal octets 0-255 without leading zeros. */
static inline bool parse4(const char *p, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        unsigned v;
        if (i >= n || !IS(p[i], C_DIGIT))
            return false;
        v = (unsigned)(p[i++] - '0');
        if (v != 0) {
            while (i < n && IS(p[i], C_DIGIT)) {
                v = v * 10 + (unsigned)(p[i++] - '0');
                if (v > 255)
                    return false;
            }
        } else if (i < n && IS(p[i], C_DIGIT)) {
            return false;
        }
        out[k] = (uint8_t)v;
        if (k < 3) {
            if (i >= n || p[i] != '.')
                return false;
            i++;
        }
    }
    return i == n;
}

static bool ip4_text(const char *p, size_t n, struct vg_ip *ip)
{
    memset(ip, 0, sizeof *ip);
    ip->family = 4;
    return parse4(p, n, ip->a);
}

/*
 * s[a..b) (no trailing dot) is a domain: at most 253 bytes of labels of
 * C_WORD bytes, two or more, none empty, the last starting with a letter.
 */
static bool is_domain(const char *s, size_t a, size_t b)
{
    size_t last = SIZE_MAX;
    if (b <= a || b - a > 253 || s[a] == '.' || s[b - 1] == '.')
        return false;
    for (size_t i = a; i < b; i++) {
        if (s[i] == '.') {
            if (s[i - 1] == '.')
                return false;
            last = i;
        } else if (!IS(s[i], C_WORD)) {
            return false;
        }
    }
    return last != SIZE_MAX && IS(s[last + 1], C_ALPHA);
}

/* Bytes from b up to an '@' are an e-mail local part: s[..b) is not a domain. */
static bool before_at(const char *s, size_t b, size_t n)
{
    while (b < n && IS(s[b], C_LOCAL))
        b++;
    return b < n && s[b] == '@';
}

/*
 * A '.' at i: the run of name bytes and dots around it, s[a..b) with a >=
 * pos, is a domain, or else holds IPv4 addresses as runs of digits and dots.
 * Returns b: the whole run is consumed either way.
 */
static size_t at_dot(struct ex *x, size_t i, size_t pos)
{
    const char *s = x->line;
    size_t n = x->n, a = i, b = i + 1, te;
    bool digits = true;
    struct vg_ip ip;

    while (a > pos && IS(s[a - 1], C_WORD)) {
        digits &= IS(s[a - 1], C_DIGIT);
        a--;
    }
    while (b < n && (IS(s[b], C_WORD) || s[b] == '.')) {
        digits &= IS(s[b], C_DIGIT) || s[b] == '.';
        b++;
    }
    te = s[b - 1] == '.' ? b - 1 : b;
    if (digits) {
        if (ip4_text(s + a, te - a, &ip))
            emit_ip(x, a, te, &ip);
        return b;
    }
    if (is_domain(s, a, te)) {
        if (!before_at(s, b, n))
            emit_domain(x, a, te);
        return b;
    }
    /* Letters inside: each maximal run of digits and dots may be an address. */
    for (size_t r = a; r < b && !x->stop;) {
        size_t e;
        if (!IS(s[r], C_DIGIT) && s[r] != '.') {
            r++;
            continue;
        }
        for (e = r; e < b && (IS(s[e], C_DIGIT) || s[e] == '.'); e++)
            ;
        te = e == b && s[e - 1] == '.' ? e - 1 : e;
        if (te > r && ip4_text(s + r, te - r, &ip))
            emit_ip(x, r, te, &ip);
        r = e;
    }
    return b;
}

/* A host from a URL, s[a..b): report it as an address or a domain if it is one. */
static void url_host(struct ex *x, size_t a, size_t b, bool bracket)
{
    const char *s = x->line;
    struct vg_ip ip;
    bool digits = true;
    if (bracket) {
        if (vg_ip_parse(s + a, b - a, &ip) == 0 && memchr(s + a, ':', b - a))
            emit_ip(x, a, b, &ip);
        return;
    }
    if (b > a && s[b - 1] == '.')
        b--;
    for (size_t i = a; i < b; i++)
        digits &= IS(s[i], C_DIGIT) || s[i] == '.';
    if (digits) {
        if (ip4_text(s + a, b - a, &ip))
            emit_ip(x, a, b, &ip);
    } else if (is_domain(s, a, b)) {
        emit_domain(x, a, b);
    }
}

static bool scheme_is(const char *p, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((p[i] | 0x20) != name[i])
            return false;
    return true;
}

/*
 * A ':' at i followed by "//": a URL if http, https or ftp (any case) ends
 * at i, starts at or after pos and does not follow a scheme byte. Returns
 * the URL's end, or 0 if there is none.
 */
static size_t at_url(struct ex *x, size_t i, size_t pos)
{
    const char *s = x->line;
    size_t n = x->n, a, k, auth, h, he;
    bool bracket = false, closed = false;
    struct vg_token t;

    if (i >= 5 && i - 5 >= pos && scheme_is(s + i - 5, "https", 5))
        a = i - 5;
    else if (i >= 4 && i - 4 >= pos && scheme_is(s + i - 4, "http", 4))
        a = i - 4;
    else if (i >= 3 && i - 3 >= pos && scheme_is(s + i - 3, "ftp", 3))
        a = i - 3;
    else
        return 0;
    if (a > 0 && IS(s[a - 1], C_SCHEME))
        return 0;
    for (k = i + 3; k < n && !IS(s[k], C_URLEND); k++)
        ;
    for (auth = i + 3; auth < k && s[auth] != '/' && s[auth] != '?' && s[auth] != '#'; auth++)
        ;
    h = i + 3;
    for (size_t j = h; j < auth; j++)
        if (s[j] == '@')
            h = j + 1;
    if (h < auth && s[h] == '[') {
        const char *rb = memchr(s + h, ']', auth - h);
        h++;
        he = rb ? (size_t)(rb - s) : auth;
        bracket = true;
        closed = rb != NULL;
    } else {
        const char *c = memchr(s + h, ':', auth - h);
        he = c ? (size_t)(c - s) : auth;
    }
    if (he <= h)
        return 0;
    memset(&t, 0, sizeof t);
    t.type = VG_TOK_URL;
    t.p = s + a;
    t.n = k - a;
    t.col = a;
    t.host = s + h;
    t.host_n = he - h;
    emit(x, &t);
    if (!bracket || closed)
        url_host(x, h, he, bracket);
    return k;
}

/*
 * A ':' at i that is not a URL's: the IPv6 candidate around it. Returns
 * the end of what the address covers (its zone included), or 0.
 */
static size_t at_colon(struct ex *x, size_t i, size_t pos)
{
    const char *s = x->line;
    size_t n = x->n, a = i, b = i + 1, te, end, colons = 1;
    bool dbl = false;
    struct vg_ip ip;

    if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
        end = at_url(x, i, pos);
        if (end)
            return end;
    }
    while (a > 0 && IS(s[a - 1], C_HEX))
        a--;
    if (a < pos || (a > 0 && (IS(s[a - 1], C_WORD | C_V6) && s[a - 1] != '-')))
        return 0;
    while (b < n && IS(s[b], C_V6)) {
        if (s[b] == ':') {
            colons++;
            dbl |= s[b - 1] == ':';
        }
        b++;
    }
    te = b;
    end = b;
    if (s[b - 1] == '.') {
        te = b - 1;
        if (b < n && IS(s[b], C_WORD))
            return 0;
    } else if (b + 1 < n && s[b] == '%' && IS(s[b + 1], C_WORD)) {
        for (end = b + 1; end < n && IS(s[end], C_WORD); end++)
            ;
    } else if (b < n && IS(s[b], C_WORD) && s[b] != '-') {
        return 0;
    }
    /* Shape: "::" somewhere, or 8 groups, or 6 and an IPv4 tail. */
    if ((!dbl && colons < 6) || te - a > 45)
        return 0;
    if (vg_ip_parse(s + a, te - a, &ip) != 0)
        return 0;
    emit_ip(x, a, te, &ip);
    return end;
}

size_t vg_extract_line(const char *line, size_t n, int mask, vg_token_fn fn, void *ctx)
{
    struct ex x = {line, n, mask, fn, ctx, 0, false};
    size_t i = 0, pos = 0;

    if (!line || !(mask & VG_TOK_ALL))
        return 0;
    for (;;) {
        size_t end;
        i = next_anchor(line, i, n);
        if (i >= n)
            break;
        end = line[i] == '.' ? at_dot(&x, i, pos) : at_colon(&x, i, pos);
        if (x.stop)
            break;
        if (end > i) {
            pos = end;
            i = end;
        } else {
            i++;
        }
    }
    return x.count;
}
