/*
 * feed_detect.c - recognising a feed's format from its first bytes (and
 * the file name's extension where that decides), so that `vigil feed
 * import` rarely needs --format. When the content fits no format clearly,
 * the answer is VG_FEED_AUTO and the caller asks.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/str.h"
#include "intel/feed_int.h"
#include "core/banned.h"

#define SAMPLE_MAX (64u << 10) /* bytes looked at */
#define SAMPLE_LINES 1000

static bool contains(const char *s, size_t n, const char *needle)
{
    return memmem(s, n, needle, strlen(needle)) != NULL;
}

static bool ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* "key" : "value" somewhere in s (whitespace allowed around the colon). */
static bool has_kv(const char *s, size_t n, const char *key, const char *value)
{
    size_t kl = strlen(key), vl = strlen(value);
    const char *end = s + n, *p = s;
    while ((p = memmem(p, (size_t)(end - p), key, kl)) != NULL) {
        const char *q = skip_ws(p + kl, end);
        p += kl;
        if (q < end && *q == ':') {
            q = skip_ws(q + 1, end);
            if (!value || ((size_t)(end - q) >= vl && memcmp(q, value, vl) == 0))
                return true;
        }
    }
    return false;
}

static int detect_json(const char *s, size_t n)
{
    if (s[0] == '{') {
        if (has_kv(s, n, "\"type\"", "\"bundle\""))
            return VG_FEED_STIX;
        if (has_kv(s, n, "\"Event\"", "{"))
            return VG_FEED_MISP;
        return VG_FEED_AUTO;
    }
    if (contains(s, n, "\"ip_address\""))
        return VG_FEED_FEODO_JSON;
    return VG_FEED_AUTO;
}

/* A CSV header naming an indicator column (folded names, see feed_csv.c). */
static bool csv_header(const char *s, size_t n)
{
    struct vg_csv *c = malloc(sizeof *c);
    struct vg_csv_row *row = malloc(sizeof *row);
    bool found = false;
    if (!c || !row) {
        free(c);
        free(row);
        return false;
    }
    vg_csv_init(c, s, n, 0, NULL);
    if (vg_csv_next(c, row, NULL) == VG_OK) {
        for (size_t i = 0; i < row->n && !found; i++) {
            char nm[64], folded[128];
            int col;
            vg_strlcpy(nm, row->f[i], sizeof nm);
            if (!vg_str_fold(vg_str_trim(nm), folded, sizeof folded))
                continue;
            col = feed_csv_guess_col(folded);
            found = col == FC_IP || col == FC_DOMAIN || col == FC_URL || col == FC_HASH;
        }
    }
    vg_csv_release(c);
    free(c);
    free(row);
    return found;
}

int vg_feed_detect(const char *data, size_t len, const char *name)
{
    struct feed_lines r;
    const char *s, *p;
    size_t n, counts[FEED_L_HSB + 1] = {0}, total = 0;
    bool firehol = false, comment_header = false, first = true;

    if (!data)
        return VG_FEED_AUTO;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (len > SAMPLE_MAX) {
        /* Whole lines only. */
        size_t cut = SAMPLE_MAX;
        while (cut > 0 && data[cut - 1] != '\n')
            cut--;
        len = cut ? cut : SAMPLE_MAX;
    }
    p = skip_ws(data, data + len);
    if (p < data + len && (*p == '{' || *p == '['))
        return detect_json(p, (size_t)(data + len - p));
    if (name) {
        if (ends_with(name, ".hdb"))
            return VG_FEED_HDB;
        if (ends_with(name, ".hsb"))
            return VG_FEED_HSB;
        if (ends_with(name, ".ipset") || ends_with(name, ".netset"))
            return VG_FEED_FIREHOL;
    }
    feed_lines_init(&r, data, len);
    while (r.line < SAMPLE_LINES && feed_lines_next(&r, &s, &n)) {
        bool comment;
        feed_trim(&s, &n);
        if (n == 0)
            continue;
        if (s[0] == '#') {
            if (n >= 7 && memcmp(s, "#fields", 7) == 0 && contains(s, n, "indicator"))
                return VG_FEED_ZEEK;
            if (contains(s, n, "first_seen_utc") && contains(s, n, "dst_ip"))
                return VG_FEED_FEODO_CSV;
            if (contains(s, n, "Source File Date") || contains(s, n, "This File Date") ||
                contains(s, n, "FireHOL") || contains(s, n, "iplists.firehol.org"))
                firehol = true;
            /* A commented CSV header (URLhaus); not IPsum's "# IP<TAB>number of lists". */
            if (first && (memchr(s, ',', n) || memchr(s, ';', n)))
                comment_header = csv_header(s + 1, n - 1);
            continue;
        }
        if (first) {
            first = false;
            if (contains(s, n, "first_seen_utc") && contains(s, n, "dst_ip"))
                return VG_FEED_FEODO_CSV;
            if (csv_header(s, n))
                return VG_FEED_CSV;
            if (comment_header && !firehol)
                return VG_FEED_CSV;
        }
        feed_strip_comment(&s, &n, &comment);
        if (n == 0)
            continue;
        counts[feed_text_line_class(s, n)]++;
        total++;
    }
    if (firehol && counts[FEED_L_PLAIN] + counts[FEED_L_OTHER] == total)
        return VG_FEED_FIREHOL;
    if (total == 0)
        return VG_FEED_AUTO;
    if (counts[FEED_L_HDB] == total)
        return VG_FEED_HDB;
    if (counts[FEED_L_HSB] == total)
        return VG_FEED_HSB;
    if (counts[FEED_L_IPREP] == total)
        return VG_FEED_IPREP;
    if (counts[FEED_L_HASH] == total)
        return VG_FEED_HASHES;
    /* Mostly indicators one per line: a few bad lines are for the parser to name. */
    if (counts[FEED_L_PLAIN] > 0 && (counts[FEED_L_PLAIN] + counts[FEED_L_HASH]) * 5 >= total * 4)
        return VG_FEED_PLAIN;
    return VG_FEED_AUTO;
}
