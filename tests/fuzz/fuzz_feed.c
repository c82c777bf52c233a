/*
 * fuzz_feed.c - libFuzzer target for vg_feed_parse. The first byte chooses
 * the format (its low 6 bits modulo the number of formats, 0 being AUTO),
 * skip_bad (bit 7) and a 64-byte record cap (bit 6); the rest is the feed.
 *
 * Invariants (abort() when broken):
 *   - every IP indicator's prefix has no host bits set, a valid family and
 *     length, and its value is the prefix's canonical text;
 *   - every domain passes vg_domain_normalize again unchanged, every URL
 *     vg_url_normalize; hashes are lower-case hex of their type's length;
 *   - context strings are valid UTF-8 without control characters that
 *     could not be escaped;
 *   - lines are 1-based and within the input's line count (JSON formats,
 *     where a line is an object's index + 1: within the number of '{');
 *   - the counts in info match the callbacks; without skip_bad nothing is
 *     counted bad; every failure has a message naming the file.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "intel/intel.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct state {
    size_t emitted, bad, max_line, lines, braces;
};

static void check_text(const char *s)
{
    if (s)
        CHECK(vg_utf8_valid(s, strlen(s), NULL));
}

static int on_ind(void *ctx, const struct vg_indicator *ind)
{
    struct state *st = ctx;
    char buf[VG_DOMAIN_MAX + 1];
    st->emitted++;
    CHECK(ind->value != NULL);
    CHECK(ind->line >= 1);
    if (ind->line > st->max_line)
        st->max_line = ind->line;
    switch (ind->type) {
    case VG_IOC_IP: {
        const struct vg_prefix *p = &ind->prefix;
        unsigned bits = p->ip.family == 4 ? 32 : 128;
        struct vg_prefix q;
        CHECK(p->ip.family == 4 || p->ip.family == 6);
        CHECK(p->len <= bits);
        for (unsigned b = p->len; b < bits; b++)
            CHECK(!(p->ip.a[b / 8] & (0x80 >> (b % 8))));
        if (p->ip.family == 4)
            for (int i = 4; i < 16; i++)
                CHECK(p->ip.a[i] == 0);
        CHECK(vg_prefix_parse(ind->value, strlen(ind->value), VG_PREFIX_STRICT, &q) == VG_OK);
        CHECK(q.len == p->len && vg_ip_eq(&q.ip, &p->ip));
        break;
    }
    case VG_IOC_DOMAIN:
        CHECK(vg_domain_normalize(ind->value, strlen(ind->value), buf) == VG_OK);
        CHECK(strcmp(buf, ind->value) == 0);
        break;
    case VG_IOC_URL: {
        char *u = NULL;
        CHECK(vg_url_normalize(ind->value, strlen(ind->value), &u) == VG_OK);
        CHECK(strcmp(u, ind->value) == 0);
        free(u);
        break;
    }
    case VG_IOC_MD5:
    case VG_IOC_SHA1:
    case VG_IOC_SHA256: {
        size_t n = strlen(ind->value);
        CHECK(n == (ind->type == VG_IOC_MD5 ? 32u : ind->type == VG_IOC_SHA1 ? 40u : 64u));
        for (size_t i = 0; i < n; i++)
            CHECK((ind->value[i] >= '0' && ind->value[i] <= '9') ||
                  (ind->value[i] >= 'a' && ind->value[i] <= 'f'));
        break;
    }
    default:
        CHECK(!"unknown indicator type");
    }
    CHECK(ind->port >= 0 && ind->port <= 65535);
    CHECK(ind->score >= 0);
    check_text(ind->family);
    check_text(ind->category);
    check_text(ind->comment);
    return 0;
}

static void on_bad(void *ctx, size_t line, const char *reason)
{
    struct state *st = ctx;
    st->bad++;
    CHECK(reason && reason[0]);
    (void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_feed_opts o;
    struct vg_feed_info info;
    struct vg_error err;
    struct state st = {0, 0, 0, 1, 0};
    const char *text;
    size_t len;
    int rc;

    if (size < 1 || size > (1u << 16))
        return 0;
    memset(&o, 0, sizeof o);
    o.format = (data[0] & 0x3f) % (VG_FEED_HSB + 1);
    o.skip_bad = (data[0] & 0x80) != 0;
    o.max_record = (data[0] & 0x40) ? 64 : 0;
    o.file = "fuzz.feed";
    text = (const char *)data + 1;
    len = size - 1;
    for (size_t i = 0; i < len; i++)
        st.braces += text[i] == '{';
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < len && text[i + 1] == '\n')))
            st.lines++;
    rc = vg_feed_parse(text, len, &o, on_ind, on_bad, &st, &info, &err);
    CHECK(info.indicators == st.emitted);
    CHECK(info.bad == st.bad);
    if (!o.skip_bad)
        CHECK(st.bad == 0);
    if (rc != VG_OK) {
        CHECK(rc == VG_EPARSE || rc == VG_ETOOBIG || rc == VG_ENOMEM);
        CHECK(err.code == rc);
        CHECK(strncmp(err.msg, "fuzz.feed", 9) == 0);
    } else {
        CHECK(info.format > VG_FEED_AUTO && info.format <= VG_FEED_HSB);
        if (o.format != VG_FEED_AUTO)
            CHECK(info.format == o.format);
    }
    if (info.format == VG_FEED_FEODO_JSON || info.format == VG_FEED_STIX ||
        info.format == VG_FEED_MISP)
        CHECK(st.max_line <= st.braces);
    else
        CHECK(st.max_line <= st.lines);
    CHECK(info.records >= info.bad);
    CHECK(strlen(info.csv_mapping) < sizeof info.csv_mapping);
    (void)vg_feed_detect(text, len, NULL);
    return 0;
}
