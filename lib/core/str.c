/*
 * str.c - string helpers for hostile text.
 */
#include "core/str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
#include <uniwidth.h>

#include "core/banned.h"

size_t vg_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return n;
}

char *vg_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *vg_strdup(const char *s)
{
    return s ? vg_strndup(s, strlen(s)) : NULL;
}

static bool is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

char *vg_str_trim(char *s)
{
    size_t n;
    while (is_sp(*s))
        s++;
    n = strlen(s);
    while (n && is_sp(s[n - 1]))
        s[--n] = '\0';
    return s;
}

char *vg_str_lower(char *s)
{
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return s;
}

bool vg_str_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
        if (!x)
            return true;
    }
}

bool vg_str_blank(const char *s)
{
    if (!s)
        return true;
    while (*s)
        if (!is_sp(*s++))
            return false;
    return true;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0) /* overlong */
            return 0;
        if (c == 0xED && s[1] >= 0xA0) /* surrogate */
            return 0;
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        *cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    return 0;
}

bool vg_utf8_valid(const char *s, size_t n, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(p + i, n - i, &cp);
        if (!k) {
            if (bad)
                *bad = i;
            return false;
        }
        i += k;
    }
    return true;
}

static bool cp_is_ctl(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool vg_str_has_ctl(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_seq(p + i, n - i, &cp);
        if (!k || cp_is_ctl(cp))
            return true;
        i += k;
    }
    return false;
}

char *vg_str_escape_ctl(char *dst, size_t size, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0, bounds[4] = {0}, nb = 0; /* the last output character boundaries */
    if (!size)
        return dst;
    while (i < n) {
        char tmp[16];
        size_t tn;
        uint32_t cp;
        size_t k = utf8_seq(p + i, n - i, &cp);
        if (k && !cp_is_ctl(cp)) {
            memcpy(tmp, p + i, k);
            tn = k;
        } else if (k == 1 && cp == '\n') {
            memcpy(tmp, "\\n", 2), tn = 2;
        } else if (k == 1 && cp == '\t') {
            memcpy(tmp, "\\t", 2), tn = 2;
        } else if (k == 1 && cp == '\r') {
            memcpy(tmp, "\\r", 2), tn = 2;
        } else if (k > 1) {
            tn = (size_t)snprintf(tmp, sizeof tmp, "\\u%04X", (unsigned)cp);
        } else {
            tn = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", p[i]);
            k = 1;
        }
        if (o + tn + 1 > size) {
            /* Does not fit: end with "..." after a whole character or escape. */
            if (size >= 4) {
                size_t back = 0;
                while (o + 4 > size && back < nb && back < 4)
                    o = bounds[(nb - 1 - back++) % 4];
                if (o + 4 > size)
                    o = 0;
                memcpy(dst + o, "...", 3);
                o += 3;
            }
            break;
        }
        bounds[nb++ % 4] = o; /* o before this character */
        memcpy(dst + o, tmp, tn);
        o += tn;
        i += k;
    }
    dst[o < size ? o : size - 1] = '\0';
    return dst;
}

size_t vg_str_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, w = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_seq(p + i, n - i, &cp);
        if (!k) {
            w++;
            i++;
            continue;
        }
        if (cp < 0x80) {
            w++;
        } else {
            int cw = uc_width(cp, "UTF-8");
            w += cw > 0 ? (size_t)cw : 0;
        }
        i += k;
    }
    return w;
}

bool vg_str_next_item(const char **pp, char sep, const char **item, size_t *n)
{
    const char *p = *pp;
    while (p && *p) {
        const char *e = strchr(p, sep);
        const char *end = e ? e : p + strlen(p);
        const char *b = p;
        while (b < end && is_sp(*b))
            b++;
        const char *t = end;
        while (t > b && is_sp(t[-1]))
            t--;
        p = e ? e + 1 : end;
        if (t > b) {
            *item = b;
            *n = (size_t)(t - b);
            *pp = p;
            return true;
        }
    }
    *pp = p;
    return false;
}

bool vg_str_fold(const char *s, char *out, size_t size)
{
    size_t n = strlen(s), len = 0, o = 0;
    uint8_t *low;
    bool sep = false;
    if (!size || !vg_utf8_valid(s, n, NULL))
        return false;
    low = u8_tolower((const uint8_t *)s, n, NULL, UNINORM_NFC, NULL, &len);
    if (!low)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = (char)low[i];
        if (c == ' ' || c == '-' || c == '_' || c == '\t' || c == '\r' || c == '\n') {
            sep = o > 0;
            continue;
        }
        if (sep) {
            if (o + 1 >= size)
                goto toolong;
            out[o++] = '_';
            sep = false;
        }
        if (o + 1 >= size)
            goto toolong;
        out[o++] = c;
    }
    out[o] = '\0';
    free(low);
    return true;
toolong:
    free(low);
    out[0] = '\0';
    return false;
}

bool vg_str_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}
