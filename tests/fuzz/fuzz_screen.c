/*
 * fuzz_screen.c - libFuzzer target for the sweep's screen (vg_screen_find and
 * vg_screen_find_portable, lib/sweep/screen.c) against the full path.
 *
 * The input is both the indicators and the log. Every token that
 * vg_extract_line finds on the first line (up to 32) becomes an indicator:
 * an address as a prefix whose length a byte from the end of the input picks
 * (IPv4 /8 to /32, IPv6 /0 to /128), a domain normalised (or its parent), a
 * URL normalised; now and then one goes on the allow-list instead. Then the
 * whole input, taken as lines ("\n"; a "\r" before it is not part of the
 * line), is screened the way the sweep does it: from a line start, and on an
 * answer x < end from the start of the line after the one holding x. No
 * store, no files: a matcher is built and freed per input.
 *
 * Invariants (abort() when broken), for both screens:
 *   - every answer x lies in [from, end];
 *   - every line on which the full path (vg_extract_line, then
 *     vg_matcher_ip / _domain / _url on each token) finds a hit is flagged;
 *   - the same when the input stands after a filler line of 0..63 bytes and
 *     before one of 0..191 bytes (picked by the first bytes), so that the
 *     64-byte blocks and the tail the AVX2 code leaves to the portable code
 *     fall elsewhere.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "intel/intel.h"
#include "sweep/sweep.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_screen.c:%d: invariant failed: %s\n", __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAXIND 32
#define MAXSIZE (1u << 16)

typedef size_t (*screen_fn)(const struct vg_matcher *m, const char *buf, size_t from, size_t end);

static const struct {
    const char *name;
    screen_fn fn;
} screens[] = {
    {"vg_screen_find", vg_screen_find},
    {"vg_screen_find_portable", vg_screen_find_portable},
};

/* ---- indicators from the first line --------------------------------------------- */

struct build {
    struct vg_matcher *m;
    const uint8_t *data;
    size_t size, k; /* tokens taken */
};

/* A byte for the k-th token's choices, from the end of the input. */
static uint8_t ctl(const struct build *b)
{
    return b->data[b->size - 1 - b->k % b->size];
}

static void add(struct build *b, const char *type, const char *value, bool allow)
{
    CHECK(vg_matcher_add(b->m, type, value, allow ? "allow" : "fuzz", allow) == VG_OK);
}

static int take(void *ctx, const struct vg_token *t)
{
    struct build *b = ctx;
    uint8_t c = ctl(b);
    bool allow = c % 8 == 7;
    b->k++;
    if (t->type == VG_TOK_IPV4 || t->type == VG_TOK_IPV6) {
        struct vg_prefix p;
        char ip[VG_IP_STRLEN], text[VG_PREFIX_STRLEN + 8];
        unsigned len =
            t->ip.family == 4 ? (c & 0x80 ? 32 : 8 + c % 25) : (c & 0x80 ? 128 : c % 129);
        snprintf(text, sizeof text, "%s/%u", vg_ip_format(&t->ip, ip), len);
        CHECK(vg_prefix_parse(text, strlen(text), 0, &p) == VG_OK);
        add(b, "ip", vg_prefix_format(&p, text), allow);
    } else if (t->type == VG_TOK_DOMAIN) {
        char norm[VG_DOMAIN_MAX + 1];
        const char *dot = memchr(t->p, '.', t->n);
        /* The parent domain instead, when it is a name. */
        if ((c & 0x40) && dot &&
            vg_domain_normalize(dot + 1, t->n - (size_t)(dot + 1 - t->p), norm) == VG_OK)
            add(b, "domain", norm, allow);
        else if (vg_domain_normalize(t->p, t->n, norm) == VG_OK)
            add(b, "domain", norm, allow);
    } else if (t->type == VG_TOK_URL) {
        char *norm = NULL;
        if (vg_url_normalize(t->p, t->n, &norm) == VG_OK)
            add(b, "url", norm, allow);
        free(norm);
    }
    return b->k >= MAXIND;
}

/* ---- the full path ------------------------------------------------------------------ */

struct judge {
    const struct vg_matcher *m;
    bool hit;
};

static int hit_fn(void *ctx, const struct vg_token *t)
{
    struct judge *j = ctx;
    const struct vg_matcher *m = j->m;
    const struct vg_listing *l = NULL;
    if (t->type == VG_TOK_IPV4 || t->type == VG_TOK_IPV6)
        l = vg_matcher_ip(m, &t->ip);
    else if (t->type == VG_TOK_DOMAIN)
        l = vg_matcher_domain(m, t->p, t->n);
    else if (t->type == VG_TOK_URL)
        l = vg_matcher_url(m, t->p, t->n);
    j->hit |= l != NULL;
    return j->hit; /* one hit is enough */
}

/* ---- lines ---------------------------------------------------------------------------- */

struct lines {
    size_t n;
    size_t *start, *len, *next;
    unsigned char *hit, *flag;
};

/* Cut buf[0..size) into lines and judge each with the full path. */
static void cut(struct lines *L, const struct vg_matcher *m, const char *buf, size_t size)
{
    size_t s = 0;
    L->n = 0;
    while (s < size) {
        const char *nl = memchr(buf + s, '\n', size - s);
        size_t e = nl ? (size_t)(nl - buf) : size, n = e - s;
        if (nl && n && buf[e - 1] == '\r')
            n--;
        L->start[L->n] = s;
        L->len[L->n] = n;
        L->next[L->n] = nl ? e + 1 : size;
        struct judge j = {m, false};
        vg_extract_line(buf + s, n, VG_TOK_ALL, hit_fn, &j);
        L->hit[L->n] = j.hit;
        L->n++;
        s = nl ? e + 1 : size;
    }
}

static void print_quoted(const char *s, size_t n)
{
    fputc('"', stderr);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02X", c);
    }
    fputs("\"\n", stderr);
}

/* The contract over buf[0..size), whose lines are L. */
static void contract(const struct vg_matcher *m, const char *buf, size_t size, struct lines *L)
{
    for (size_t si = 0; si < sizeof screens / sizeof screens[0]; si++) {
        size_t from = 0, k = 0;
        memset(L->flag, 0, L->n);
        while (from < size) {
            size_t x = screens[si].fn(m, buf, from, size);
            CHECK(x >= from && x <= size);
            if (x == size)
                break;
            while (L->next[k] <= x)
                k++;
            L->flag[k] = 1;
            from = L->next[k];
        }
        for (k = 0; k < L->n; k++) {
            if (L->hit[k] && !L->flag[k]) {
                fprintf(stderr, "%s missed line %zu of %zu (bytes %zu..%zu of %zu):\n    ",
                        screens[si].name, k + 1, L->n, L->start[k], L->start[k] + L->len[k], size);
                print_quoted(buf + L->start[k], L->len[k]);
                CHECK(!"the screen missed a line that the full path hits");
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *nl;
    struct build b = {NULL, data, size, 0};
    struct lines L;
    size_t first, pad1, pad2, n2;
    char *buf2;

    if (size == 0 || size > MAXSIZE)
        return 0;
    nl = memchr(text, '\n', size);
    first = nl ? (size_t)(nl - text) : size;
    CHECK(vg_matcher_empty(&b.m) == VG_OK);
    vg_extract_line(text, first, VG_TOK_ALL, take, &b);
    CHECK(vg_matcher_build(b.m) == VG_OK);

    /* At most one line per byte, plus the two filler lines. */
    L.start = malloc((size + 3) * sizeof(size_t));
    L.len = malloc((size + 3) * sizeof(size_t));
    L.next = malloc((size + 3) * sizeof(size_t));
    L.hit = malloc(size + 3);
    L.flag = malloc(size + 3);
    CHECK(L.start && L.len && L.next && L.hit && L.flag);

    cut(&L, b.m, text, size);
    contract(b.m, text, size, &L);

    /* Between filler lines. */
    pad1 = data[0] % 64;
    pad2 = size > 1 ? data[1] % 192 : 0;
    buf2 = malloc(pad1 + size + 1 + pad2 + 1);
    CHECK(buf2 != NULL);
    n2 = 0;
    if (pad1) {
        memset(buf2, 'a', pad1 - 1);
        buf2[pad1 - 1] = '\n';
        n2 = pad1;
    }
    memcpy(buf2 + n2, text, size);
    n2 += size;
    if (pad2) {
        if (data[size - 1] != '\n')
            buf2[n2++] = '\n';
        memset(buf2 + n2, ' ', pad2 - 1);
        buf2[n2 + pad2 - 1] = '\n';
        n2 += pad2;
    }
    cut(&L, b.m, buf2, n2);
    contract(b.m, buf2, n2, &L);

    free(buf2);
    free(L.start);
    free(L.len);
    free(L.next);
    free(L.hit);
    free(L.flag);
    vg_matcher_free(b.m);
    return 0;
}
