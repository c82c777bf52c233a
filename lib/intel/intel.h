/*
 * intel.h - threat intelligence: indicators (IP addresses and prefixes,
 * domains, URLs, file hashes) as the feeds carry them, the parsers of the
 * feed formats, and the in-memory sets that match against them.
 *
 * Parsers read bytes (a whole feed file) and hand each indicator to a
 * callback; they never touch the store. Sets are built once from indicators
 * and then answer lookups from many threads without locks (read-only).
 */
#ifndef VG_INTEL_INTEL_H
#define VG_INTEL_INTEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/parse.h"
#include "store/store.h"

/* ---- indicators -------------------------------------------------------- */

enum vg_ioc_type {
    VG_IOC_NONE = 0,
    VG_IOC_IP,     /* an address or a prefix: prefix.len 32/128 for one address */
    VG_IOC_DOMAIN, /* normalised: lower case, no trailing dot, IDN as punycode (xn--) */
    VG_IOC_URL,    /* normalised: see vg_url_normalize */
    VG_IOC_MD5,    /* lower-case hex */
    VG_IOC_SHA1,
    VG_IOC_SHA256,
};

/* "ip", "domain", "url", "md5", "sha1", "sha256"; "" for NONE. */
const char *vg_ioc_type_name(int type);

/*
 * One indicator with its context, as a parser saw it. Strings are borrowed
 * from the parser and valid only during the callback; copy what you keep.
 * An address range "a - b" arrives as the prefixes that cover it exactly,
 * one callback each.
 */
struct vg_indicator {
    int type;
    struct vg_prefix prefix;      /* VG_IOC_IP */
    const char *value;            /* the normalised text of every other type (and of IP) */
    const char *family;           /* malware family / threat name, or NULL */
    const char *category;         /* e.g. Suricata iprep category, MISP category, or NULL */
    int score;                    /* 0-127 (iprep), IPsum count, ...; 0 if none */
    int port;                     /* 0 if none */
    uint64_t size;                /* file size for hashes (ClamAV .hdb/.hsb), 0 if unknown */
    time_t first_seen, last_seen; /* 0 if unknown */
    const char *comment;          /* anything else worth keeping (ASN, unit, ...), or NULL */
    size_t line;                  /* 1-based line (or array index + 1 for JSON) in the feed */
};

/* ---- normalisation ------------------------------------------------------ */

#define VG_DOMAIN_MAX 253

/*
 * Domain text to its normalised form in out[VG_DOMAIN_MAX + 1]: lower case,
 * no trailing dot, Unicode labels to punycode (libidn2). VG_EPARSE if it is
 * not a domain name (needs at least one dot; labels of letters, digits, '-'
 * and '_', 1-63 bytes; a last label of digits only is refused, so a bad
 * dotted quad is never taken for a name). On failure out is "".
 */
int vg_domain_normalize(const char *s, size_t n, char *out);

/*
 * URL text to a normalised malloc'd string (the caller frees it): scheme
 * and host lower-cased, default ports (:80 for http, :443 for https)
 * dropped, the host normalised as a domain or an address, an empty path made
 * "/", the fragment dropped. VG_EPARSE if it is not an http(s)/ftp URL
 * (whitespace, control characters, over 64 KiB), VG_ENOMEM.
 */
int vg_url_normalize(const char *s, size_t n, char **out);

/* Hex digest of 32, 40 or 64 digits: its type (MD5, SHA1, SHA256) or VG_IOC_NONE. */
int vg_hash_type(const char *s, size_t n);

/* ---- sets ---------------------------------------------------------------- */

/*
 * A set of IPv4 and IPv6 prefixes of any length, each with a 32-bit value
 * (e.g. the index of the indicator it came from). Add everything, build,
 * then look up. When prefixes overlap, a lookup answers with the most
 * specific one (longest prefix) that contains the address. IPv4-mapped IPv6
 * addresses are IPv4 (vg_ip_parse already stores them so).
 */
struct vg_ipset;

/*
 * Adding the same prefix again keeps the last value. A prefix with host bits
 * set is masked. An IPv6 prefix that covers ::ffff:0:0/96 (::/0 to ::/80)
 * also covers all of IPv4, and family-6 input inside ::ffff:0:0/96 is taken
 * as IPv4. Lookups before vg_ipset_build find nothing; building twice is a
 * no-op.
 */
struct vg_ipset *vg_ipset_new(void);
void vg_ipset_free(struct vg_ipset *s);
/* VG_OK or VG_ENOMEM. Adding after vg_ipset_build is VG_EINVAL. */
int vg_ipset_add(struct vg_ipset *s, const struct vg_prefix *p, uint32_t value);
/* Make the set ready for lookups (sorts, resolves overlaps). */
int vg_ipset_build(struct vg_ipset *s);
/* true if ip is in the set; *value (may be NULL) gets the most specific prefix's value. */
bool vg_ipset_lookup(const struct vg_ipset *s, const struct vg_ip *ip, uint32_t *value);
/* Number of prefixes added; bytes of memory held. */
size_t vg_ipset_count(const struct vg_ipset *s);
size_t vg_ipset_memory(const struct vg_ipset *s);
/*
 * The built set as disjoint ranges, in order, for set operations and their
 * oracle tests: calls fn for each maximal run of addresses [lo, hi] of one
 * family (IPv4 in a[0..3]).
 */
void vg_ipset_ranges(const struct vg_ipset *s,
                     void (*fn)(void *ctx, const struct vg_ip *lo, const struct vg_ip *hi),
                     void *ctx);

/*
 * A set of domains: a listed domain matches itself and every name below it
 * (evil.example matches a.b.evil.example, not notevil.example). Names are
 * given normalised (vg_domain_normalize).
 */
struct vg_domainset;

struct vg_domainset *vg_domainset_new(void);
void vg_domainset_free(struct vg_domainset *s);
/*
 * Lower-cases the name and drops a trailing dot; VG_EINVAL for an empty name
 * or one over 253 bytes. Adding a name again keeps the last value. The set
 * is read-only once lookups start (then safe from many threads).
 */
int vg_domainset_add(struct vg_domainset *s, const char *domain, uint32_t value);
/* Looks the name up, then each parent domain: the most specific listed one wins. */
bool vg_domainset_lookup(const struct vg_domainset *s, const char *name, size_t n, uint32_t *value);
size_t vg_domainset_count(const struct vg_domainset *s);

/* ---- feed formats ------------------------------------------------------ */

enum vg_feed_format {
    VG_FEED_AUTO = 0,
    VG_FEED_PLAIN,      /* one IP, CIDR, range "a - b", domain, URL or hash per line;
                           '#' and ';' comments; "ip<TAB>count" (IPsum) */
    VG_FEED_CSV,        /* CSV with a header; columns by name (struct vg_feed_csv_map) */
    VG_FEED_FIREHOL,    /* FireHOL .ipset / .netset (header comments give the date) */
    VG_FEED_FEODO_CSV,  /* abuse.ch Feodo Tracker ipblocklist CSV */
    VG_FEED_FEODO_JSON, /* abuse.ch Feodo Tracker ipblocklist JSON */
    VG_FEED_IPREP,      /* Suricata iprep: ip,category,score */
    VG_FEED_ZEEK,       /* Zeek intel framework TSV (#fields indicator indicator_type ...) */
    VG_FEED_STIX,       /* STIX 2.1 bundle of indicator objects */
    VG_FEED_MISP,       /* MISP event JSON (Event.Attribute[] and Object[].Attribute[]) */
    VG_FEED_HASHES,     /* plain MD5 / SHA-1 / SHA-256 list */
    VG_FEED_HDB,        /* ClamAV .hdb: md5:size:name */
    VG_FEED_HSB,        /* ClamAV .hsb: sha1|sha256:size:name */
};

/* "plain", "csv", "firehol", "feodo-csv", "feodo-json", "iprep", "zeek", "stix", "misp",
 * "hashes", "hdb", "hsb"; "auto" for VG_FEED_AUTO. */
const char *vg_feed_format_name(int format);
/* The format named s, or -1. */
int vg_feed_format_parse(const char *s);

/*
 * Recognise the format from the content (and the file name's extension
 * where it decides, e.g. .hdb/.hsb/.netset/.ipset; name may be NULL).
 * Returns the format, or VG_FEED_AUTO when it cannot tell (the caller then
 * asks for --format).
 */
int vg_feed_detect(const char *data, size_t len, const char *name);

/* Column names for VG_FEED_CSV (NULL: recognised from usual header names). */
struct vg_feed_csv_map {
    const char *ip_col, *domain_col, *url_col, *hash_col;
    const char *time_col, *family_col, *port_col, *comment_col;
};

struct vg_feed_opts {
    int format;                        /* VG_FEED_AUTO: vg_feed_detect */
    const struct vg_feed_csv_map *csv; /* VG_FEED_CSV only; NULL: guess */
    const char *file;                  /* names the input in messages */
    bool skip_bad;                     /* report bad records through on_bad and go on */
    size_t max_record;                 /* 0: 1 MiB; longer lines/records are bad records */
};

struct vg_feed_info {
    int format;        /* what was parsed */
    time_t issued;     /* date the feed states for itself (FireHOL header, STIX/MISP), or 0 */
    size_t records;    /* lines / objects read (comments and blanks excluded) */
    size_t indicators; /* callbacks made */
    size_t bad;        /* bad records (with skip_bad) */
    /* VG_FEED_CSV: which column became which field, e.g. "ip=IP Address, time=First seen". */
    char csv_mapping[256];
};

/* Receives each indicator; return non-zero to stop (that value is returned). */
typedef int (*vg_feed_emit)(void *ctx, const struct vg_indicator *ind);
/* Receives each bad record when skip_bad is set: line (1-based) and reason. */
typedef void (*vg_feed_bad)(void *ctx, size_t line, const char *reason);

/*
 * Parse a whole feed in data[0..len) (UTF-8; a BOM is skipped; CRLF is
 * fine). Without skip_bad the first bad record fails the parse with
 * VG_EPARSE and `file:line: reason`; with it, bad records go to on_bad (may
 * be NULL) and are counted in info->bad. Formats that carry no indicators
 * of a type vigil matches (e.g. a MISP attribute of type "email") skip them
 * silently; indicators flagged not for detection (MISP to_ids false) are
 * skipped too. With VG_FEED_AUTO and a format vg_feed_detect cannot tell,
 * VG_EPARSE asks for --format. Times without a zone are UTC in the formats
 * of abuse.ch, FireHOL and the JSON formats, and local time (TZ) in a generic
 * CSV, which a CERT or a colleague writes in their own time zone. For JSON formats `line` is the
 * position of the object or attribute (1-based, document order) and messages name the JSON path. A
 * STIX bundle's issued time is its newest `modified`.
 */
int vg_feed_parse(const char *data, size_t len, const struct vg_feed_opts *o, vg_feed_emit emit,
                  vg_feed_bad on_bad, void *ctx, struct vg_feed_info *info, struct vg_error *err);

/* ---- importing feeds into the store ------------------------------------ */

struct vg_feed_import_result;

struct vg_feed_import_opts {
    const char *source;                /* required: the feed's name (--source) */
    time_t issued;                     /* 0: the date the feed states, else now */
    int format;                        /* VG_FEED_AUTO: detected */
    const struct vg_feed_csv_map *csv; /* NULL: the source's remembered map, else guessed */
    bool append;        /* add to the source's current version instead of a new one */
    bool allow_private; /* keep private/loopback/reserved entries for matching */
    bool skip_bad;      /* import the good records, list the bad */
    bool dry_run;       /* parse and count, write nothing */
    /* Called once everything is parsed and checked, before the commit (NULL: not). */
    void (*understood)(void *ctx, const struct vg_feed_import_result *r);
    void *ctx;
};

/* One entry set aside at import: a bad record or an ignored indicator. */
struct vg_feed_note {
    size_t line;
    const char *value; /* the indicator, or NULL for a bad record */
    const char *reason;
};

struct vg_feed_import_result {
    int64_t source_id, version;
    bool created_source; /* the source was new */
    bool unchanged;      /* this file is already in the source: nothing was done */
    bool appended;
    int format;
    time_t issued;
    char sha256[65];
    char csv_mapping[256];
    size_t records, indicators, duplicates, ignored, bad;
    size_t by_type[7]; /* indexed by enum vg_ioc_type */
    size_t nnotes;     /* bad records and ignored entries, in line order of discovery */
    struct vg_feed_note *notes;
    struct vg_arena arena;
};

void vg_feed_import_result_init(struct vg_feed_import_result *r);
void vg_feed_import_result_release(struct vg_feed_import_result *r);

/*
 * Import a feed file (path, "-" for standard input; display names it in
 * messages) as a new version of its source, or (append) into the current
 * version. All or nothing: a bad record aborts with file:line: reason unless
 * skip_bad. Importing a file the source already has changes nothing
 * (r->unchanged). The source named "allow" is an allow-list. Entries in
 * private, loopback or reserved space are kept but marked ignored (not
 * matched) unless allow_private, and listed in r->notes. Audited.
 */
int vg_feed_import(struct vg_store *s, const char *path, const char *display,
                   const struct vg_feed_import_opts *o, struct vg_feed_import_result *r,
                   struct vg_error *err);

/* ---- the current lists, for matching --------------------------------------- */

/* A listed indicator with its feed, as the matcher answers it. */
struct vg_listing {
    const char *value; /* as stored: "45.9.148.0/28", "evil.example", a URL */
    const char *source, *family;
    time_t issued; /* of the feed's current version */
    time_t seen;   /* when the feed saw it (last, else first seen), else issued */
};

/*
 * The current indicators of every live source (the newest version of each,
 * ignored entries left out) as sets in memory, with the allow-lists apart:
 * built once from the store, then read-only and safe from many threads.
 */
struct vg_matcher;

enum vg_match_kinds { VG_MATCH_IP = 1, VG_MATCH_DOMAIN = 2, VG_MATCH_URL = 4 };

/* Load the kinds in mask (VG_MATCH_*). Free with vg_matcher_free. */
int vg_matcher_new(struct vg_store *s, int mask, struct vg_matcher **out, struct vg_error *err);
void vg_matcher_free(struct vg_matcher *m);
/* Block-list indicators loaded, by kind. */
void vg_matcher_counts(const struct vg_matcher *m, size_t *ips, size_t *domains, size_t *urls);
/* The listing that matches, or NULL (not listed, or allow-listed). Borrowed from m. */
const struct vg_listing *vg_matcher_ip(const struct vg_matcher *m, const struct vg_ip *ip);
const struct vg_listing *vg_matcher_domain(const struct vg_matcher *m, const char *name, size_t n);
/* url is normalised here (vg_url_normalize) before the lookup. */
const struct vg_listing *vg_matcher_url(const struct vg_matcher *m, const char *url, size_t n);

/* An empty matcher, filled with vg_matcher_add (type "ip", "domain" or "url";
 * values normalised as the store holds them) and then vg_matcher_build. */
int vg_matcher_empty(struct vg_matcher **out);
int vg_matcher_add(struct vg_matcher *m, const char *type, const char *value, const char *source,
                   bool allow);
int vg_matcher_build(struct vg_matcher *m);

/*
 * The screen: a quick, one-sided test for sweeping. A token it rejects is
 * not listed; one it passes may be (then the exact lookups decide).
 *   - v4: a bit per IPv4 /24 (a.b.c) that holds a listed address, or the
 *     address of a listed URL's host; v4l1 the same per /20 (128 KiB: it
 *     stays in the cache, and rejects most addresses before v4 is read);
 *   - dom: a bit per vg_tail_hash of the last two labels ("evil.example") of
 *     a listed domain or a listed URL's host name (of the only label when
 *     there is one: dom1);
 *   - dom_dash: a listed name has a label that begins with '-';
 *   - v6: IPv6 prefixes (or URL hosts) are listed; url: URLs are listed;
 *     url_odd: a listed URL's host is a name whose last label does not start
 *     with a letter (the extractor does not take it as a domain of its own).
 */
#define VG_SCREEN_DOM_BITS (1u << 20)

struct vg_screen {
    const uint64_t *v4, *v4l1, *dom;
    bool any_v4, any_dom, dom1, dom_dash, v6, url, url_odd;
};

const struct vg_screen *vg_matcher_screen(const struct vg_matcher *m);
/* The exact checks behind the screen: listed (and not allowed), or the host of a listed URL. */
bool vg_matcher_maybe_ip(const struct vg_matcher *m, const struct vg_ip *ip);
bool vg_matcher_maybe_name(const struct vg_matcher *m, const char *name, size_t n);

static inline bool vg_screen_bit(const uint64_t *b, uint64_t i)
{
    return (b[i >> 6] >> (i & 63)) & 1;
}

/* A hash of the ASCII name p[0..n), letters folded to lower case (OR 0x20: also
 * maps '_' to 0x7f, which no other name byte becomes). */
static inline uint64_t vg_tail_hash(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ (w | 0x2020202020202020u)) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0;
        for (size_t k = 0; i + k < n; k++)
            w |= (uint64_t)((unsigned char)p[i + k] | 0x20) << (8 * k);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 32;
    return h;
}

/* ---- botnet exposure of the inventory ------------------------------------- */

/*
 * A host address or a unit's netblock address that a current IP feed lists
 * (exactly or inside a listed prefix). A listed public address of a unit that
 * no host of the unit holds is a finding on the unit, with the unit's hosts
 * to sweep.
 */
struct vg_botnet_hit {
    bool on_unit; /* the finding is on the unit (host == NULL) */
    int64_t unit_id, host_id;
    const char *unit, *host;
    struct vg_ip addr;
    const char *indicator; /* as listed: "45.9.148.0/28" */
    const char *source, *family;
    time_t issued; /* of the listing feed's current version */
    time_t seen;   /* when the feed saw it (last, else first seen), else issued */
    int level;     /* the host's highest security level, or the unit's */
    int64_t finding_id;
    bool new_finding;
    time_t first_seen;
    size_t nsweep; /* unit findings: hosts to sweep (servers, highest level first) */
    const char **sweep;
};

/*
 * Match every live host address and unit netblock against the current IP
 * feeds (allow-list entries win), record each match as a finding (kind
 * botnet; a re-run updates last_seen, findings that left the list keep
 * their history) and the run in the audit. out gets struct vg_botnet_hit
 * items in the order to sweep: security level from 5 down, then the most
 * recent listing first (the feed's last/first seen, else its issued date). With dry_run nothing is
 * written.
 */
int vg_botnet_run(struct vg_store *s, bool dry_run, struct vg_rows *out, struct vg_error *err);

/* Hosts and units on the list at the last run (and when it was; 0: never). */
int vg_botnet_count(struct vg_store *s, int64_t *listed, time_t *at, struct vg_error *err);

#endif
