/*
 * sweep.h - sweeping logs for indicators: the extractor that finds every
 * IPv4 and IPv6 address, domain name and URL in a line of any text log (no
 * per-format parser), and (later) the sweep over files that matches them
 * against the indicator sets.
 *
 * The extractor is the hot path of `vigil sweep` (target: 1 GB/s of logs on
 * one core), so it works on bytes in place, allocates nothing, and hands each
 * token to a callback with pointers into the line.
 */
#ifndef VG_SWEEP_SWEEP_H
#define VG_SWEEP_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/parse.h"

enum vg_tok_type {
    VG_TOK_IPV4 = 1,
    VG_TOK_IPV6 = 2,
    VG_TOK_DOMAIN = 4,
    VG_TOK_URL = 8,
    VG_TOK_ALL = 15,
};

struct vg_token {
    int type;      /* one of enum vg_tok_type */
    const char *p; /* the token's text in the line (not NUL-terminated) */
    size_t n;
    size_t col;      /* 0-based byte offset in the line */
    struct vg_ip ip; /* parsed address (VG_TOK_IPV4 / VG_TOK_IPV6; IPv4-mapped IPv6 is IPv4) */
    /* VG_TOK_URL: the host part inside p (a domain or an address). */
    const char *host;
    size_t host_n;
};

/* Receives each token; return non-zero to stop extraction of this line. */
typedef int (*vg_token_fn)(void *ctx, const struct vg_token *t);

/*
 * Find the tokens of the types in mask in line[0..n) (no line end inside),
 * left to right, and call fn for each. Returns the number of tokens found.
 *
 * Token rules (what an analyst would call an address in a log):
 * - IPv4: a dotted quad of decimal octets 0-255 without leading zeros, not
 *   part of a longer run of digits and dots (1.2.3.4.5 and 01.2.3.4 are not
 *   addresses; "1.2.3.4:80", "[1.2.3.4]", "src=1.2.3.4," are), optionally
 *   with a /len that is not reported;
 * - IPv6: RFC 4291 text forms (with "::" and an embedded IPv4 tail), bounded
 *   by characters that cannot belong to it; "[2001:db8::1]:443" yields the
 *   address; a bare time like 12:34:56 is not an address;
 * - domain: two or more labels of letters, digits, '-' and '_' (not all
 *   digits in the last label, which must start with a letter), at most 253
 *   bytes, not part of a longer token of such characters and dots; file
 *   names like "index.php" are candidates too: the indicator sets decide
 *   what matches; an e-mail address yields its domain part; a trailing dot
 *   is dropped;
 * - URL: scheme http, https or ftp followed by "://" up to the first
 *   whitespace, quote, '<' or '>'; its host is also reported as a domain or
 *   an address of its own (so a URL indicator and a domain indicator both
 *   match).
 */
size_t vg_extract_line(const char *line, size_t n, int mask, vg_token_fn fn, void *ctx);

/* ---- the screen ------------------------------------------------------------ */

struct vg_matcher;

/*
 * The sweep's fast path over buf[from..end) (many lines; from is a line
 * start): the offset of the first place where a token may be listed in m,
 * or end. The line holding it must then go through vg_extract_line and the
 * exact lookups; lines before it hold nothing listed. One-sided by design:
 * it never skips a token that vg_extract_line would find and m would match.
 */
size_t vg_screen_find(const struct vg_matcher *m, const char *buf, size_t from, size_t end);
/* The same without the AVX2 code (what runs on CPUs without it; for tests). */
size_t vg_screen_find_portable(const struct vg_matcher *m, const char *buf, size_t from,
                               size_t end);

/* ---- sweeping files ------------------------------------------------------ */

#include <stdint.h>
#include <time.h>

#include "core/err.h"

struct vg_store;

/*
 * The matcher: the current indicator sets (IP prefixes, domains, URLs; the
 * allow-list apart) and the inventory's addresses, built once from the store
 * and then read-only, shared by the sweep threads.
 */
struct vg_sweeper;

int vg_sweeper_new(struct vg_store *s, struct vg_sweeper **out, struct vg_error *err);
void vg_sweeper_free(struct vg_sweeper *w);
/* Look at every line with the full extraction instead of the screen (slow; for checking). */
void vg_sweeper_set_full(struct vg_sweeper *w, bool full);
/* Indicators loaded, by kind. */
void vg_sweeper_counts(const struct vg_sweeper *w, size_t *ips, size_t *domains, size_t *urls);

/* One hit: a token of a log line that a current feed lists. */
struct vg_sweep_hit {
    const char *file;      /* as given ("-" for standard input) */
    size_t line;           /* 1-based */
    int type;              /* enum vg_tok_type */
    const char *token;     /* as it stands in the line */
    const char *indicator; /* as listed */
    const char *source, *family;
    /* The inventory host that another address of the line belongs to (the internal
     * machine that talked to it), or NULL; hosts > 1 when that address is in several
     * units (private ranges repeat). */
    const char *host, *unit;
    int64_t host_id, unit_id;
    int hosts;
};

/* Receives hits in file order (each file's hits together, in line order). */
typedef int (*vg_sweep_hit_fn)(void *ctx, const struct vg_sweep_hit *h);
/* Receives inputs that could not be read (reported, not fatal). */
typedef void (*vg_sweep_skip_fn)(void *ctx, const char *path, const char *reason);

struct vg_sweep_stats {
    uint64_t files, bytes, lines, hits, skipped;
};

/*
 * Sweep paths: plain files, .gz files (read through zlib), "-" for standard
 * input, directories recursively (symbolic links are not followed). threads
 * 0 means one per core. A plain file of at least twice part_size bytes (0:
 * 32 MiB) is cut at line ends into parts that threads sweep side by side;
 * hits keep the file's own line numbers. Returns VG_OK even when some inputs could not be
 * read (they go to skip); an error only when the job cannot be done.
 */
int vg_sweep_paths(const struct vg_sweeper *w, char *const *paths, size_t npaths, int threads,
                   uint64_t part_size, vg_sweep_hit_fn hit, vg_sweep_skip_fn skip, void *ctx,
                   struct vg_sweep_stats *stats, struct vg_error *err);

#endif
