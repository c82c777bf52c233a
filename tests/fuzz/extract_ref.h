/*
 * extract_ref.h - a slow reference for vg_extract_line, shared by
 * tests/unit/test_sweep_extract.c and tests/fuzz/fuzz_extract.c: the token
 * rules of lib/sweep/sweep.h written out byte by byte with plain character
 * tests and vg_ip_parse for every address, no class table, no SIMD and no
 * shortcuts, so that the fast extractor can be checked against it.
 *
 * It walks the line the same way the rules are stated: at each '.' or ':'
 * not yet covered, the run of name bytes and dots around a '.' is a domain
 * or holds IPv4 runs; a ':' starts a URL (scheme "://") or is inside an
 * IPv6 candidate. Include after core/parse.h and sweep/sweep.h.
 */
#ifndef VG_EXTRACT_REF_H
#define VG_EXTRACT_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct ref_tok {
    int type;
    size_t col, n;
    struct vg_ip ip;
    size_t host_col, host_n; /* URL only */
};

struct ref_out {
    struct ref_tok *t;
    size_t n, max;
};

static inline bool ref_digit(char c)
{
    return c >= '0' && c <= '9';
}
static inline bool ref_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool ref_hex(char c)
{
    return ref_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline bool ref_word(char c)
{
    return ref_digit(c) || ref_alpha(c) || c == '-' || c == '_';
}
/* c is one of the bytes of set (never NUL, unlike strchr). */
static inline bool ref_in(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static inline void ref_add(struct ref_out *o, int type, size_t col, size_t n,
                           const struct vg_ip *ip)
{
    if (o->n == o->max)
        return;
    memset(&o->t[o->n], 0, sizeof o->t[o->n]);
    o->t[o->n].type = type;
    o->t[o->n].col = col;
    o->t[o->n].n = n;
    if (ip)
        o->t[o->n].ip = *ip;
    o->n++;
}

/* s[0..n) is an IPv4 dotted quad (by vg_ip_parse; no ':' so no IPv6 form). */
static inline bool ref_ip4(const char *s, size_t n, struct vg_ip *ip)
{
    if (n == 0 || memchr(s, ':', n))
        return false;
    return vg_ip_parse(s, n, ip) == 0 && ip->family == 4;
}

static inline bool ref_domain(const char *s, size_t n)
{
    size_t labels = 0, len = 0, last = 0;
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (len == 0)
                return false;
            labels++;
            last = i - len;
            len = 0;
        } else if (ref_word(s[i])) {
            len++;
        } else {
            return false;
        }
    }
    return labels >= 2 && ref_alpha(s[last]);
}

static inline size_t ref_dot(const char *s, size_t n, size_t i, size_t pos, struct ref_out *o)
{
    size_t a = i, b = i + 1, te;
    bool digits = true;
    struct vg_ip ip;
    while (a > pos && ref_word(s[a - 1]))
        a--;
    while (b < n && (ref_word(s[b]) || s[b] == '.'))
        b++;
    for (size_t k = a; k < b; k++)
        if (!ref_digit(s[k]) && s[k] != '.')
            digits = false;
    te = s[b - 1] == '.' ? b - 1 : b;
    if (digits) {
        if (ref_ip4(s + a, te - a, &ip))
            ref_add(o, VG_TOK_IPV4, a, te - a, &ip);
        return b;
    }
    if (ref_domain(s + a, te - a)) {
        size_t k = b;
        while (k < n && (ref_word(s[k]) || s[k] == '.' || s[k] == '%' || s[k] == '+'))
            k++;
        if (!(k < n && s[k] == '@'))
            ref_add(o, VG_TOK_DOMAIN, a, te - a, NULL);
        return b;
    }
    for (size_t r = a; r < b;) {
        size_t e = r;
        while (e < b && (ref_digit(s[e]) || s[e] == '.'))
            e++;
        if (e == r) {
            r++;
            continue;
        }
        te = (e == b && s[e - 1] == '.') ? e - 1 : e;
        if (ref_ip4(s + r, te - r, &ip))
            ref_add(o, VG_TOK_IPV4, r, te - r, &ip);
        r = e;
    }
    return b;
}

static inline bool ref_ci(const char *s, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[i])
            return false;
    }
    return true;
}

static inline size_t ref_url(const char *s, size_t n, size_t i, size_t pos, struct ref_out *o)
{
    static const char *const schemes[] = {"https", "http", "ftp"};
    size_t a = SIZE_MAX, k, auth, h, he;
    bool bracket = false, closed = false;
    struct vg_ip ip;
    for (size_t j = 0; j < 3 && a == SIZE_MAX; j++) {
        size_t l = strlen(schemes[j]);
        if (i >= l && i - l >= pos && ref_ci(s + i - l, schemes[j], l))
            a = i - l;
    }
    if (a == SIZE_MAX)
        return 0;
    if (a > 0 && (ref_digit(s[a - 1]) || ref_alpha(s[a - 1]) || ref_in(s[a - 1], "+-.")))
        return 0;
    for (k = i + 3; k < n && !ref_in(s[k], " \t\n\r\v\f\"'<>"); k++)
        ;
    for (auth = i + 3; auth < k && !ref_in(s[auth], "/?#"); auth++)
        ;
    h = i + 3;
    for (size_t j = i + 3; j < auth; j++)
        if (s[j] == '@')
            h = j + 1;
    if (h < auth && s[h] == '[') {
        bracket = true;
        h++;
        for (he = h; he < auth && s[he] != ']'; he++)
            ;
        closed = he < auth;
    } else {
        for (he = h; he < auth && s[he] != ':'; he++)
            ;
    }
    if (he <= h)
        return 0;
    ref_add(o, VG_TOK_URL, a, k - a, NULL);
    if (o->n) {
        o->t[o->n - 1].host_col = h;
        o->t[o->n - 1].host_n = he - h;
    }
    if (bracket) {
        if (closed && memchr(s + h, ':', he - h) && vg_ip_parse(s + h, he - h, &ip) == 0)
            ref_add(o, ip.family == 4 ? VG_TOK_IPV4 : VG_TOK_IPV6, h, he - h, &ip);
        return k;
    }
    if (s[he - 1] == '.')
        he--;
    if (ref_ip4(s + h, he - h, &ip))
        ref_add(o, VG_TOK_IPV4, h, he - h, &ip);
    else if (he > h && ref_domain(s + h, he - h))
        ref_add(o, VG_TOK_DOMAIN, h, he - h, NULL);
    return k;
}

static inline size_t ref_colon(const char *s, size_t n, size_t i, size_t pos, struct ref_out *o)
{
    size_t a = i, b = i + 1, te, end;
    struct vg_ip ip;
    if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
        end = ref_url(s, n, i, pos, o);
        if (end)
            return end;
    }
    while (a > 0 && ref_hex(s[a - 1]))
        a--;
    if (a < pos)
        return 0;
    if (a > 0 && s[a - 1] != '-' && (ref_word(s[a - 1]) || s[a - 1] == ':' || s[a - 1] == '.'))
        return 0;
    while (b < n && (ref_hex(s[b]) || s[b] == ':' || s[b] == '.'))
        b++;
    te = end = b;
    if (s[b - 1] == '.') {
        te = b - 1;
        if (b < n && ref_word(s[b]))
            return 0;
    } else if (b + 1 < n && s[b] == '%' && ref_word(s[b + 1])) {
        end = b + 1;
        while (end < n && ref_word(s[end]))
            end++;
    } else if (b < n && ref_word(s[b]) && s[b] != '-') {
        return 0;
    }
    if (vg_ip_parse(s + a, te - a, &ip) != 0 || !memchr(s + a, ':', te - a))
        return 0;
    ref_add(o, ip.family == 4 ? VG_TOK_IPV4 : VG_TOK_IPV6, a, te - a, &ip);
    return end;
}

/* All tokens of line[0..n) into o (up to o->max); returns o->n. */
static inline size_t ref_extract(const char *s, size_t n, struct ref_out *o)
{
    size_t pos = 0;
    o->n = 0;
    for (size_t i = 0; i < n;) {
        size_t end;
        if (s[i] != '.' && s[i] != ':') {
            i++;
            continue;
        }
        end = s[i] == '.' ? ref_dot(s, n, i, pos, o) : ref_colon(s, n, i, pos, o);
        if (end > i)
            pos = i = end;
        else
            i++;
    }
    return o->n;
}

#endif
