/*
 * fuzz_extract.c - libFuzzer target for the log-line token extractor
 * (vg_extract_line). The input is one line (line ends included: the
 * extractor treats them as ordinary boundaries).
 *
 * Invariants (abort() when broken):
 *   - every token lies inside the line, has a known type and is non-empty;
 *   - tokens come in increasing col order and do not overlap, except that a
 *     URL's host token lies inside that URL (host pointer and length agree);
 *   - IP tokens re-parse with vg_ip_parse to the same address, and the type
 *     follows the family (an IPv4-mapped IPv6 text is an IPv4 token);
 *   - domain tokens follow the domain rules (labels, length, last label);
 *   - each mask gives exactly the tokens of VG_TOK_ALL of those types, and a
 *     callback that stops after k tokens gets exactly k;
 *   - the slow reference in extract_ref.h finds the same tokens, all types.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "sweep/sweep.h"

#include "extract_ref.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_extract.c:%d: invariant failed: %s\n", __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAXTOK 4096

struct seen {
    struct vg_token t[MAXTOK];
    size_t n;
    size_t stop_after;
};

static int collect(void *ctx, const struct vg_token *t)
{
    struct seen *s = ctx;
    if (s->n < MAXTOK)
        s->t[s->n] = *t;
    s->n++;
    return s->stop_after && s->n == s->stop_after;
}

static struct seen all, sub;
static struct ref_tok ref_t[MAXTOK];

static void check_domain(const char *p, size_t n)
{
    size_t last = 0, labels = 1;
    CHECK(n >= 3 && n <= 253 && p[0] != '.' && p[n - 1] != '.');
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '.') {
            CHECK(p[i + 1] != '.');
            labels++;
            last = i + 1;
        } else {
            CHECK(ref_word(p[i]));
        }
    }
    CHECK(labels >= 2 && ref_alpha(p[last]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    size_t count, prev_end = 0;
    const struct vg_token *url = NULL;
    struct ref_out o = {ref_t, 0, MAXTOK};

    if (size > (1u << 16))
        return 0;
    all.n = 0;
    all.stop_after = 0;
    count = vg_extract_line(line, size, VG_TOK_ALL, collect, &all);
    CHECK(count == all.n);
    if (all.n > MAXTOK)
        return 0;
    for (size_t i = 0; i < all.n; i++) {
        const struct vg_token *t = &all.t[i];
        struct vg_ip ip;
        CHECK(t->p == line + t->col && t->n > 0 && t->col + t->n <= size);
        if (url && t->col >= url->col && t->col + t->n <= url->col + url->n) {
            /* The host of the URL just before. */
            CHECK(t->p == url->host && (t->n == url->host_n || t->n + 1 == url->host_n));
            CHECK(t->type != VG_TOK_URL);
            url = NULL;
            continue;
        }
        CHECK(t->col >= prev_end);
        prev_end = t->col + t->n;
        url = NULL;
        switch (t->type) {
        case VG_TOK_IPV4:
        case VG_TOK_IPV6:
            CHECK(vg_ip_parse(t->p, t->n, &ip) == 0);
            CHECK(vg_ip_eq(&ip, &t->ip));
            CHECK(t->type == (ip.family == 4 ? VG_TOK_IPV4 : VG_TOK_IPV6));
            CHECK(t->host == NULL && t->host_n == 0);
            break;
        case VG_TOK_DOMAIN:
            check_domain(t->p, t->n);
            break;
        case VG_TOK_URL:
            CHECK(t->host > t->p && t->host + t->host_n <= t->p + t->n && t->host_n > 0);
            CHECK(memcmp(t->p + (t->p[4] == ':' ? 4 : t->p[3] == ':' ? 3 : 5), "://", 3) == 0);
            url = t;
            break;
        default:
            CHECK(!"unknown token type");
        }
    }
    /* The reference agrees on everything. */
    ref_extract(line, size, &o);
    CHECK(o.n == all.n);
    for (size_t i = 0; i < o.n; i++) {
        CHECK(o.t[i].type == all.t[i].type);
        CHECK(o.t[i].col == all.t[i].col && o.t[i].n == all.t[i].n);
        if (o.t[i].type & (VG_TOK_IPV4 | VG_TOK_IPV6))
            CHECK(vg_ip_eq(&o.t[i].ip, &all.t[i].ip));
        if (o.t[i].type == VG_TOK_URL)
            CHECK(all.t[i].host == line + o.t[i].host_col && all.t[i].host_n == o.t[i].host_n);
    }
    /* Masks filter, nothing else. */
    for (int mask = 1; mask < VG_TOK_ALL; mask++) {
        size_t k = 0;
        sub.n = 0;
        sub.stop_after = 0;
        CHECK(vg_extract_line(line, size, mask, collect, &sub) == sub.n);
        for (size_t i = 0; i < all.n; i++) {
            if (!(all.t[i].type & mask))
                continue;
            CHECK(k < sub.n && sub.t[k].col == all.t[i].col && sub.t[k].n == all.t[i].n &&
                  sub.t[k].type == all.t[i].type);
            k++;
        }
        CHECK(k == sub.n);
    }
    /* Stopping after k tokens. */
    if (all.n) {
        sub.n = 0;
        sub.stop_after = 1 + size % all.n;
        CHECK(vg_extract_line(line, size, VG_TOK_ALL, collect, &sub) == sub.stop_after);
        CHECK(sub.n == sub.stop_after);
    }
    return 0;
}
