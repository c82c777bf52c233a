/*
 * fuzz_vercmp.c - libFuzzer target for the version comparators
 * (vg_version_cmp / vg_version_check, every scheme). The input is a scheme
 * byte, a split byte, then the bytes of two versions: a is the first
 * (split % (rest + 1)) bytes of the rest, b the remainder.
 *
 * Invariants (abort() when broken):
 *   - no crash, no read outside the versions (ASan: they are exact copies);
 *   - cmp succeeds exactly when check accepts both versions, and fails with
 *     VG_EPARSE otherwise, leaving *out alone;
 *   - cmp returns -1, 0 or 1; cmp(a, a) == 0; cmp(a, b) == -cmp(b, a);
 *   - dpkg: a slow reference written from dpkg 1.21's parseversion and
 *     verrevcmp on NUL-terminated copies (strtol, strrchr, signed char)
 *     agrees on validity and on the result.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "vuln/version.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_vercmp.c:%d: invariant failed: %s\n", __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* ---- dpkg reference: dpkg's own code shape, on C strings ---------------- */

struct ref_ver {
    long epoch;
    char *version, *revision;
};

static bool ref_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool ref_isdigit(int c)
{
    return c >= '0' && c <= '9';
}

static bool ref_isalpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 0 valid, -1 error; s is modified. */
static int ref_parse(struct ref_ver *rv, char *string)
{
    char *hyphen, *colon, *eepochcolon, *end, *ptr;
    while (*string && ref_blank(*string))
        string++;
    if (*string == '\0')
        return -1;
    end = string;
    while (*end && !ref_blank(*end))
        end++;
    ptr = end;
    while (*ptr && ref_blank(*ptr))
        ptr++;
    if (*ptr)
        return -1;
    *end = '\0';
    colon = strchr(string, ':');
    if (colon) {
        long epoch;
        errno = 0;
        epoch = strtol(string, &eepochcolon, 10);
        if (string == eepochcolon)
            return -1;
        if (colon != eepochcolon)
            return -1;
        if (epoch < 0)
            return -1;
        if (epoch > INT_MAX || errno == ERANGE)
            return -1;
        if (!*++colon)
            return -1;
        string = colon;
        rv->epoch = epoch;
    } else {
        rv->epoch = 0;
    }
    rv->version = string;
    hyphen = strrchr(rv->version, '-');
    if (hyphen) {
        *hyphen++ = '\0';
        if (*hyphen == '\0')
            return -1;
    }
    rv->revision = hyphen ? hyphen : (char *)"";
    if (!*rv->version)
        return -1;
    return 0;
}

static int ref_order(int c)
{
    if (ref_isdigit(c))
        return 0;
    else if (ref_isalpha(c))
        return c;
    else if (c == '~')
        return -1;
    else if (c)
        return c + 256;
    else
        return 0;
}

static int ref_verrevcmp(const char *a, const char *b)
{
    while (*a || *b) {
        int first_diff = 0;
        while ((*a && !ref_isdigit(*a)) || (*b && !ref_isdigit(*b))) {
            int ac = ref_order((signed char)*a);
            int bc = ref_order((signed char)*b);
            if (ac != bc)
                return ac - bc;
            a++;
            b++;
        }
        while (*a == '0')
            a++;
        while (*b == '0')
            b++;
        while (ref_isdigit(*a) && ref_isdigit(*b)) {
            if (!first_diff)
                first_diff = *a - *b;
            a++;
            b++;
        }
        if (ref_isdigit(*a))
            return 1;
        if (ref_isdigit(*b))
            return -1;
        if (first_diff)
            return first_diff;
    }
    return 0;
}

static int ref_cmp(const struct ref_ver *a, const struct ref_ver *b)
{
    if (a->epoch > b->epoch)
        return 1;
    if (a->epoch < b->epoch)
        return -1;
    int r = ref_verrevcmp(a->version, b->version);
    if (r)
        return r;
    return ref_verrevcmp(a->revision, b->revision);
}

static char *dup_n(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static int norm(int r)
{
    return (r > 0) - (r < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 4096)
        return 0;
    int scheme = VG_VS_DPKG + data[0] % (VG_VS_GENERIC - VG_VS_DPKG + 1);
    size_t rest = size - 2, an = data[1] % (rest + 1), bn = rest - an;
    /* exact heap copies, so ASan sees a read past either end */
    char *a = malloc(an ? an : 1), *b = malloc(bn ? bn : 1);
    CHECK(a && b);
    memcpy(a, data + 2, an);
    memcpy(b, data + 2 + an, bn);

    struct vg_error err;
    int va = vg_version_check(scheme, a, an, &err) == VG_OK;
    int vb = vg_version_check(scheme, b, bn, &err) == VG_OK;
    int r = 42, r2 = 42;
    int rc = vg_version_cmp(scheme, a, an, b, bn, &r, &err);
    if (va && vb) {
        CHECK(rc == VG_OK);
        CHECK(r == -1 || r == 0 || r == 1);
        CHECK(vg_version_cmp(scheme, b, bn, a, an, &r2, &err) == VG_OK);
        CHECK(r2 == -r);
    } else {
        CHECK(rc == VG_EPARSE);
        CHECK(r == 42);
        CHECK(err.msg[0] != '\0');
    }
    if (va) {
        CHECK(vg_version_cmp(scheme, a, an, a, an, &r2, &err) == VG_OK);
        CHECK(r2 == 0);
    }

    if (scheme == VG_VS_DPKG) {
        bool nul_a = memchr(a, '\0', an) != NULL, nul_b = memchr(b, '\0', bn) != NULL;
        struct ref_ver ra, rb;
        char *ca = dup_n(data + 2, an), *cb = dup_n(data + 2 + an, bn);
        int oka = !nul_a && ref_parse(&ra, ca) == 0;
        int okb = !nul_b && ref_parse(&rb, cb) == 0;
        CHECK(oka == va);
        CHECK(okb == vb);
        if (oka && okb)
            CHECK(norm(ref_cmp(&ra, &rb)) == r);
        free(ca);
        free(cb);
    }
    free(a);
    free(b);
    return 0;
}
