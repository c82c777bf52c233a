/*
 * feed_int.h - the machinery shared by the feed parsers (internal to
 * lib/intel/): the parse state, reporting bad records, emitting indicators
 * (an address range as the prefixes that cover it), a line reader that
 * knows comments, CRLF and the record cap, and the guess of one
 * indicator's type from its text.
 */
#ifndef VG_INTEL_FEED_INT_H
#define VG_INTEL_FEED_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "intel/intel.h"

#define FEED_JSON_MAX ((size_t)256 << 20) /* JSON documents past this are refused */
#define FEED_QUOTE_MAX 80                 /* quoted values in messages are cut here */

struct feed {
    const char *data; /* the whole text, BOM skipped */
    size_t len;
    const char *file; /* for messages, never NULL */
    size_t max_record;
    bool skip_bad;
    const struct vg_feed_csv_map *csv;
    vg_feed_emit emit;
    vg_feed_bad on_bad;
    void *ctx;
    struct vg_feed_info *info;
    struct vg_error *err;
};

/*
 * A bad record at line: with skip_bad it goes to on_bad, is counted and
 * VG_OK is returned (go on); otherwise err gets `file:line: reason` and
 * VG_EPARSE is returned.
 */
int feed_bad(struct feed *f, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* s[0..n) escaped and quoted for a message into out[size]; returns out. */
const char *feed_quote(char *out, size_t size, const char *s, size_t n);

/* Count and hand over one indicator (sets ind->value for VG_IOC_IP). */
int feed_emit(struct feed *f, struct vg_indicator *ind);

/* Emit the prefixes that cover [lo, hi] exactly, each a copy of tmpl. */
int feed_emit_range(struct feed *f, const struct vg_ip *lo, const struct vg_ip *hi,
                    const struct vg_indicator *tmpl);

/*
 * One indicator from its text: an address, a prefix, a range "a - b" or
 * "a-b" (range set, lo/hi filled), a URL, a hash or a domain. ind->type and
 * ind->prefix are set, the text lives in buf (for URLs: *url, malloc'd, the
 * caller frees it) and ind->value points at it. VG_EPARSE with a reason in
 * why[160].
 */
struct feed_value {
    struct vg_indicator ind;
    bool range;
    struct vg_ip lo, hi;
    char buf[VG_DOMAIN_MAX + 1 > 130 ? VG_DOMAIN_MAX + 1 : 130];
    char *url;
};
/* Which types the text may be; FEED_ANY for all. */
enum {
    FEED_T_IP = 1,
    FEED_T_DOMAIN = 2,
    FEED_T_URL = 4,
    FEED_T_HASH = 8,
    FEED_ANY = 15,
};
int feed_value_parse(const char *s, size_t n, int allowed, struct feed_value *v, char *why,
                     size_t whysize);
void feed_value_release(struct feed_value *v);
/* Emit v (one indicator, or the prefixes of a range) with ctx's context fields. */
int feed_value_emit(struct feed *f, struct feed_value *v, const struct vg_indicator *ctx);

/* Reads text line by line; CRLF, LF and lone CR end lines. */
struct feed_lines {
    const char *data;
    size_t len, pos;
    size_t line; /* of the line last returned, 1-based */
};
void feed_lines_init(struct feed_lines *r, const char *data, size_t len);
/* The next line without its line end; false at the end of the text. */
bool feed_lines_next(struct feed_lines *r, const char **s, size_t *n);

/*
 * The content of a text line: a '#' or ';' at its start, or after a space
 * or tab, starts a comment; the rest is trimmed. *is_comment says whether
 * the line was a comment (or held one) before its content.
 */
void feed_strip_comment(const char **s, size_t *n, bool *had_comment);

/* Trim spaces and tabs from both ends of s[0..*n). */
void feed_trim(const char **s, size_t *n);

/*
 * Checks shared by text lines: longer than max_record, a NUL byte or bad
 * UTF-8 make it a bad record. Returns VG_OK and *ok false when skipped.
 */
int feed_check_line(struct feed *f, size_t line, const char *s, size_t n, bool *ok);

/* A time as feeds write it; one without a zone is UTC. */
int feed_time_parse(const char *s, size_t n, time_t *out);

/* The column-name lists the CSV parser recognises and detection uses. */
enum feed_col {
    FC_IP,
    FC_DOMAIN,
    FC_URL,
    FC_HASH,
    FC_TIME,
    FC_FAMILY,
    FC_PORT,
    FC_COMMENT,
    FC_LAST,
    FC_STATUS,
    FC_NCOLS
};
/* The field a header cell (folded: lower case, '_' for spaces) names, or -1. */
int feed_csv_guess_col(const char *folded);

int feed_parse_plain(struct feed *f, bool firehol);
int feed_parse_iprep(struct feed *f);
int feed_parse_zeek(struct feed *f);
int feed_parse_hashes(struct feed *f);
int feed_parse_clamav(struct feed *f, bool hsb);
int feed_parse_csv(struct feed *f, bool feodo);
int feed_parse_feodo_json(struct feed *f);
int feed_parse_stix(struct feed *f);
int feed_parse_misp(struct feed *f);

/* Line classes that detection counts (feed_text.c). */
int feed_text_line_class(const char *s, size_t n);
enum {
    FEED_L_OTHER = 0,
    FEED_L_PLAIN,
    FEED_L_HASH,
    FEED_L_IPREP,
    FEED_L_HDB,
    FEED_L_HSB,
};

#endif
