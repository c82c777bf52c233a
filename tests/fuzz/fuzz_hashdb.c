/*
 * fuzz_hashdb.c - libFuzzer target for the ClamAV .hdb/.hsb parser of the
 * hash-indicator set (vg_hashdb_parse_clamav). The input is the file's text.
 *
 * A slow reference parser below reads the same grammar line by line. The
 * invariants (abort() when broken):
 *   - without skip_bad the parse succeeds exactly when the reference finds
 *     no bad line; on failure the message names the reference's first bad
 *     line ("fuzz.hsb:N: ") and nothing was added (the set still holds only
 *     the entry it had before);
 *   - with skip_bad the parse succeeds, skips as many lines as the
 *     reference finds bad, and adds one entry per distinct (type, digest,
 *     size) among the good lines;
 *   - once built, every good line is found: a lookup at its size (or of
 *     unknown size for "*") gives an entry of that size named as the first
 *     line with that key, from the file, and wants() agrees;
 *   - the version is the same before and after the build, and the strict
 *     and the skip_bad sets agree when the input has no bad line;
 *   - everything is freed (the sanitizers check).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/map.h"
#include "core/str.h"
#include "scan/scan.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_hashdb.c:%d: invariant failed: %s\n", __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define DISPLAY "fuzz.hsb"

/* ---- the reference parser -------------------------------------------------------- */

struct ref_sig {
    int type;
    unsigned char d[32];
    int64_t size;
    const char *name;
    size_t nlen;
    size_t line;
};

struct ref {
    struct ref_sig *sig;
    size_t n;
    size_t bad, first_bad; /* bad lines, and the number of the first (0: none) */
};

static bool ref_space(char c)
{
    return c == ' ' || c == '\t';
}

static void ref_trim(const char **s, size_t *n)
{
    while (*n > 0 && ref_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && (ref_space((*s)[*n - 1]) || (*s)[*n - 1] == '\r'))
        (*n)--;
}

static int ref_hex(char c)
{
    const char *digits = "0123456789abcdef0123456789ABCDEF";
    const char *p = c ? strchr(digits, c) : NULL;
    return p ? (int)((p - digits) % 16) : -1;
}

/* Decimal digits only, value at most max. */
static bool ref_number(const char *s, size_t n, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (v > (max - (uint64_t)(s[i] - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* One line (without its '\n'): false when it is bad; *g->name NULL when it holds nothing. */
static bool ref_line(const char *s, size_t n, struct ref_sig *g)
{
    const char *f[8];
    size_t fl[8], nf = 0, start = 0;
    uint64_t v;
    g->name = NULL;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if (n > 65536)
        return false;
    ref_trim(&s, &n);
    if (n == 0 || s[0] == '#')
        return true;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == ':') {
            if (nf == 5)
                return false;
            f[nf] = s + start;
            fl[nf] = i - start;
            ref_trim(&f[nf], &fl[nf]);
            nf++;
            start = i + 1;
        }
    }
    if (nf < 3)
        return false;
    if (fl[0] != 32 && fl[0] != 40 && fl[0] != 64)
        return false;
    for (size_t i = 0; i < fl[0]; i++)
        if (ref_hex(f[0][i]) < 0)
            return false;
    g->type = fl[0] == 32 ? VG_HASH_MD5 : fl[0] == 40 ? VG_HASH_SHA1 : VG_HASH_SHA256;
    for (size_t i = 0; i < fl[0] / 2; i++)
        g->d[i] = (unsigned char)(ref_hex(f[0][2 * i]) * 16 + ref_hex(f[0][2 * i + 1]));
    if (fl[1] == 1 && f[1][0] == '*')
        g->size = -1;
    else if (ref_number(f[1], fl[1], INT64_MAX, &v))
        g->size = (int64_t)v;
    else
        return false;
    if (fl[2] == 0 || !vg_utf8_valid(f[2], fl[2], NULL))
        return false;
    for (size_t i = 0; i < fl[2]; i++)
        if ((unsigned char)f[2][i] < 0x20 || f[2][i] == 0x7f)
            return false;
    for (size_t k = 3; k < nf; k++)
        if (fl[k] > 0 && !ref_number(f[k], fl[k], INT32_MAX, &v))
            return false;
    g->name = f[2];
    g->nlen = fl[2];
    return true;
}

static void ref_parse(const char *text, size_t n, struct ref *r)
{
    const char *p = text, *end = text + n;
    size_t line = 0;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        struct ref_sig g;
        line++;
        if (!ref_line(p, len, &g)) {
            if (!r->bad++)
                r->first_bad = line;
        } else if (g.name) {
            g.line = line;
            r->sig[r->n++] = g;
        }
        p = nl ? nl + 1 : end;
    }
}

/* ---- the target ------------------------------------------------------------------- */

static const size_t dlen[3] = {16, 20, 32};

/* (type, digest, size) as a map key. */
static size_t sig_key(const struct ref_sig *g, unsigned char *key)
{
    key[0] = (unsigned char)g->type;
    memcpy(key + 1, g->d, dlen[g->type]);
    memcpy(key + 1 + dlen[g->type], &g->size, 8);
    return 1 + dlen[g->type] + 8;
}

/* A set holding one entry before the parse, to show that a failed parse leaves it alone. */
static struct vg_hashdb *preloaded(void)
{
    static const unsigned char d[16] = {0xde, 0xad, 0xbe, 0xef};
    struct vg_hashdb *db = vg_hashdb_new();
    CHECK(db);
    CHECK(vg_hashdb_add(db, VG_HASH_MD5, d, 12345, "Pre.Loaded", "pre") == VG_OK);
    return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct ref r = {0};
    struct vg_map first; /* key -> index of the first good line with it */
    struct vg_hashdb *strict, *lax;
    struct vg_error e;
    size_t added = 0, skipped = 0, distinct = 0;
    char v1[65], v2[65], want[64];
    int rc;

    if (size > (1u << 20))
        return 0;
    r.sig = malloc((size / 2 + 1) * sizeof *r.sig);
    CHECK(r.sig);
    ref_parse(text, size, &r);
    vg_map_init(&first);
    for (size_t i = 0; i < r.n; i++) {
        unsigned char key[48];
        bool created;
        union vg_map_val *v = vg_map_put(&first, key, sig_key(&r.sig[i], key), &created);
        CHECK(v);
        if (created) {
            v->i = (int64_t)i;
            distinct++;
        }
    }

    /* All or nothing. */
    strict = preloaded();
    rc = vg_hashdb_parse_clamav(strict, text, size, DISPLAY, false, &added, &skipped, &e);
    if (r.bad) {
        CHECK(rc == VG_EPARSE && e.code == VG_EPARSE);
        snprintf(want, sizeof want, DISPLAY ":%zu: ", r.first_bad);
        CHECK(strncmp(e.msg, want, strlen(want)) == 0);
        CHECK(added == 0 && skipped == 0);
        CHECK(vg_hashdb_count(strict) == 1);
    } else {
        CHECK(rc == VG_OK && e.code == VG_OK && e.msg[0] == '\0');
        CHECK(added == distinct && skipped == 0);
        CHECK(vg_hashdb_count(strict) == 1 + distinct);
    }

    /* The rest, with skip_bad. */
    lax = preloaded();
    rc = vg_hashdb_parse_clamav(lax, text, size, DISPLAY, true, &added, &skipped, &e);
    CHECK(rc == VG_OK && e.code == VG_OK);
    CHECK(skipped == r.bad && added == distinct);
    CHECK((e.msg[0] != '\0') == (r.bad > 0));
    CHECK(vg_hashdb_count(lax) == 1 + distinct);
    vg_hashdb_version(lax, v1);
    CHECK(strlen(v1) == 64);
    CHECK(vg_hashdb_build(lax) == VG_OK);
    vg_hashdb_version(lax, v2);
    CHECK(strcmp(v1, v2) == 0);
    CHECK(vg_hashdb_parse_clamav(lax, text, size, DISPLAY, true, NULL, NULL, NULL) == VG_EINVAL);

    for (size_t i = 0; i < r.n; i++) {
        const struct ref_sig *g = &r.sig[i];
        unsigned char key[48];
        const struct ref_sig *f = &r.sig[vg_map_get(&first, key, sig_key(g, key))->i];
        const struct vg_hash_entry *ent = vg_hashdb_lookup(lax, g->type, g->d, g->size);
        CHECK(ent && ent->size == g->size);
        CHECK(strlen(ent->name) == f->nlen && memcmp(ent->name, f->name, f->nlen) == 0);
        CHECK(strcmp(ent->source, DISPLAY) == 0);
        CHECK(vg_hashdb_wants(lax, g->type, g->size < 0 ? 0 : g->size));
        if (g->size >= 0 && g->size < INT64_MAX) {
            /* Another size finds only an any-size entry. */
            ent = vg_hashdb_lookup(lax, g->type, g->d, g->size + 1);
            CHECK(!ent || ent->size == g->size + 1 || ent->size == -1);
        }
    }

    if (!r.bad) {
        CHECK(vg_hashdb_build(strict) == VG_OK);
        vg_hashdb_version(strict, v1);
        CHECK(strcmp(v1, v2) == 0);
    }
    vg_hashdb_free(strict);
    vg_hashdb_free(lax);
    vg_map_release(&first);
    free(r.sig);
    return 0;
}
