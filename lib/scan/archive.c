/*
 * archive.c - the archive walker of the malware scanner: every regular member
 * of a zip, tar, 7z, rar, cab, cpio, ar or ISO image (plain or inside a gzip,
 * bzip2, xz, lzma or zstd stream), and the content of a bare compressed
 * stream, is read into memory through libarchive and handed to the scanner,
 * archives inside archives too, within limits that stop zip bombs, quines and
 * floods of members early and without allocating what they claim.
 *
 * What libarchive is allowed to do. The formats and filters are enabled one
 * by one, not with the *_all helpers: format_all includes mtree, whose reader
 * opens files on the local disk that the (hostile) archive names and returns
 * their bytes as members; filter_all includes lrzip and grzip, which always
 * run an external program, and uu/rpm, which make text and packages look like
 * archives. The raw format (one member: the decompressed stream) is enabled
 * only when buf starts with a compression magic, or every file would be an
 * archive of itself.
 *
 * Names. In the C locale libarchive returns no name at all for zip and 7z
 * members whose names are not ASCII (it cannot convert them to the locale's
 * charset), so the walking thread runs libarchive under a C.UTF-8 LC_CTYPE
 * (uselocale, per thread, restored around each callback and at the end).
 * Names are hostile: control characters (C0, DEL, C1) and bidirectional
 * controls are dropped, bytes that are not UTF-8 become '?', and a name is cut
 * at NAME_MAX_BYTES. '/' separators are kept; so is '!', which means a path
 * can hold more '!' than its depth.
 *
 * Limits (struct vg_archive_limits; a field <= 0 takes its default):
 *   - a member is read in BLOCK-sized pieces into a buffer that grows to at
 *     most max_member + 1 bytes; a member declared or found to be larger is
 *     reported ("limit: member over N bytes") and the walk goes on with the
 *     next one;
 *   - every byte unpacked, at any level, counts against max_total, and every
 *     entry read (directories and links too) against max_members; past
 *     either, the problem is reported and the whole walk ends;
 *   - a member that has unpacked more than BOMB_MIN bytes and more than
 *     max_ratio times the packed bytes consumed for it, or an archive whose
 *     members together unpack to more than max_ratio times its own size, is
 *     a bomb: "zip bomb: ..." is reported and the rest of that archive is not
 *     read (its other members are likely parts of the same bomb, and skipping
 *     past one in a compressed stream means inflating it); the walk goes on
 *     in the archives around it;
 *   - nesting: a member that sniffs as an archive is handed out itself and
 *     then walked, up to max_depth levels (at most DEPTH_CAP: the walker
 *     recurses, and a quine would otherwise nest until the total limit).
 * A member is handed out only when read whole: an encrypted member, one over
 * a limit, or one whose data is corrupt goes to the problem callback instead.
 *
 * No globals: every walk owns its libarchive objects, buffers and locale, so
 * the scanner can walk many files at once.
 */
#include "scan/scan.h"

#include <archive.h>
#include <archive_entry.h>
#include <inttypes.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/banned.h"

#define BLOCK (64u << 10)     /* bytes asked of libarchive at a time */
#define FIRST_CAP (64u << 10) /* first size of a member buffer */
#define BOMB_MIN (1u << 20)   /* unpacked bytes before the ratio is judged */
#define NAME_MAX_BYTES 4096   /* of one member name, before "..." */
#define REASON_MAX 512        /* of a problem's reason */
#define LIBMSG_MAX 300        /* of libarchive's message inside a reason */
#define HEADER_FAILS 16       /* unreadable headers in a row before giving up */
#define DEPTH_CAP 64          /* largest max_depth honoured */

void vg_archive_defaults(struct vg_archive_limits *l)
{
    l->max_depth = 16; /* ClamAV opens 17 levels */
    l->max_member = 256ull << 20;
    l->max_total = 1ull << 30;
    l->max_ratio = 250.0;
    l->max_members = 100000;
}

/* ---- sniffing ------------------------------------------------------------- */

static bool at(const unsigned char *b, size_t n, size_t off, const void *magic, size_t mn)
{
    return n >= off + mn && memcmp(b + off, magic, mn) == 0;
}

/* A raw LZMA ("lzma_alone") header, as libarchive's lzma bidder accepts it:
 * properties 0x5d, a dictionary of 2^16..2^30 bytes (or the MiB multiples xz
 * falls back to), a plausible uncompressed size, and the range coder's
 * first byte, which is always 0. */
static bool lzma_alone(const unsigned char *b, size_t n)
{
    uint32_t dict;
    uint64_t size = 0;
    bool pow2;
    if (n < 14 || b[0] != 0x5d || b[1] != 0 || b[2] != 0 || b[13] != 0)
        return false;
    dict = (uint32_t)b[1] | (uint32_t)b[2] << 8 | (uint32_t)b[3] << 16 | (uint32_t)b[4] << 24;
    pow2 = dict >= (1u << 16) && dict <= (1u << 30) && (dict & (dict - 1)) == 0;
    if (!pow2 && !(dict >= 0x00300000 && dict <= 0x03F00000 && (dict & 0xFFFFF) == 0))
        return false;
    for (int i = 12; i >= 5; i--)
        size = size << 8 | b[i];
    return size == UINT64_MAX || size < (1ull << 48);
}

/* Whether b starts with a compressed stream that the raw format may unpack. */
static bool compressed_stream(const unsigned char *b, size_t n)
{
    return at(b, n, 0, "\x1f\x8b\x08", 3) ||                                 /* gzip */
           (at(b, n, 0, "BZh", 3) && n > 3 && b[3] >= '1' && b[3] <= '9') || /* bzip2 */
           at(b, n, 0, "\xfd\x37\x7a\x58\x5a\x00", 6) ||                     /* xz */
           at(b, n, 0, "\x28\xb5\x2f\xfd", 4) ||                             /* zstd */
           lzma_alone(b, n);
}

bool vg_archive_sniff(const unsigned char *buf, size_t n)
{
    if (!buf)
        return false;
    return at(buf, n, 0, "PK\x03\x04", 4) || at(buf, n, 0, "PK\x05\x06", 4) ||
           at(buf, n, 0, "PK\x07\x08", 4) || compressed_stream(buf, n) ||
           at(buf, n, 0, "7z\xbc\xaf\x27\x1c", 6) || at(buf, n, 0, "Rar!\x1a\x07", 6) ||
           at(buf, n, 0, "MSCF\0\0\0\0", 8) || at(buf, n, 0, "!<arch>\n", 8) ||
           at(buf, n, 0, "070701", 6) || at(buf, n, 0, "070702", 6) || at(buf, n, 0, "070707", 6) ||
           at(buf, n, 0, "\x71\xc7", 2) || at(buf, n, 0, "\xc7\x71", 2) || /* binary cpio */
           at(buf, n, 257, "ustar", 5) || at(buf, n, 32769, "CD001", 5);
}

/* ---- hostile text ----------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s[0..n) and its code point, or
 * 0 when the bytes there are not one. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        *cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        *cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (i > 1 && (s[i] < 0x80 || s[i] > 0xBF))
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3F);
    }
    return len;
}

/* Control characters, and the bidirectional controls that make "exe.txt"
 * of "txt.exe" on a screen. */
static bool dropped(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Append s[0..n) to b: dropped characters left out, bytes that are not UTF-8
 * as '?', at most max bytes (then "..."). Returns what vg_buf_add returned.
 */
static int add_clean(struct vg_buf *b, const char *s, size_t n, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, added = 0;
    int rc = VG_OK;
    while (i < n && rc == VG_OK) {
        uint32_t cp;
        size_t len = utf8_seq(p + i, n - i, &cp);
        if (len == 0) {
            if (added + 1 > max)
                break;
            rc = vg_buf_addc(b, '?');
            added++;
            i++;
            continue;
        }
        if (!dropped(cp)) {
            if (added + len > max)
                break;
            rc = vg_buf_add(b, p + i, len);
            added += len;
        }
        i += len;
    }
    if (rc == VG_OK && i < n)
        rc = vg_buf_adds(b, "...");
    return rc;
}

/* libarchive's message for a, cleaned, into out[size]. */
static const char *libmsg(struct archive *a, char *out, size_t size)
{
    const char *m = archive_error_string(a);
    struct vg_buf b;
    vg_buf_init(&b, VG_BUF_NOLIMIT);
    if (!m || !*m)
        m = "unreadable data (truncated or damaged)"; /* e.g. cpio cut inside a header */
    if (add_clean(&b, m, strlen(m), size > 4 ? size - 4 : 0) == VG_OK)
        vg_strlcpy(out, b.data, size);
    else
        vg_strlcpy(out, "unknown error", size);
    vg_buf_release(&b);
    return out;
}

/* ---- walking ------------------------------------------------------------- */

struct walker {
    struct vg_archive_limits lim;
    vg_member_fn fn;
    vg_archive_problem_fn problem;
    void *ctx;
    locale_t utf8;          /* LC_CTYPE for libarchive; 0 when C.UTF-8 is missing */
    locale_t caller;        /* the thread's locale on entry, for the callbacks */
    struct vg_buf path;     /* what is being read: "outer.zip!dir/x.tar!y" */
    uint64_t total;         /* bytes unpacked, all levels, kept or drained */
    uint64_t members;       /* entries read, all levels */
    bool stop;              /* a limit of the whole walk was reached */
    unsigned char *scratch; /* BLOCK bytes for data read only to get past it */
    char why[LIBMSG_MAX];   /* why the last archive could not be opened */
};

/* One archive being walked: a level of nesting. */
struct level {
    const unsigned char *buf;
    size_t n;
    int depth;           /* of its members */
    size_t base;         /* w->path.len of the archive's own path */
    size_t name_off;     /* where the archive's own name starts in w->path */
    unsigned char *data; /* the member buffer, reused from member to member */
    size_t cap;
    uint64_t unpacked; /* bytes of its members */
};

/* How reading a member's data ended. */
enum got { GOT, SKIP, END_LEVEL, END_WALK };

static void utf8_on(struct walker *w)
{
    if (w->utf8)
        uselocale(w->utf8);
}

static void utf8_off(struct walker *w)
{
    if (w->utf8)
        uselocale(w->caller);
}

static void report(struct walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hand w->path and a reason to the problem callback, in the caller's locale. */
static void report(struct walker *w, const char *fmt, ...)
{
    char reason[REASON_MAX];
    va_list ap;
    if (!w->problem)
        return;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    utf8_off(w);
    w->problem(w->ctx, w->path.data, reason);
    utf8_on(w);
}

static void report_error(struct walker *w, struct archive *a)
{
    char m[LIBMSG_MAX];
    report(w, "error: %s", libmsg(a, m, sizeof m));
}

/* The filters read: those of vg_archive_sniff's compressed streams. */
static int (*const filters[])(struct archive *) = {
    archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
    archive_read_support_filter_xz,   archive_read_support_filter_lzma,
    archive_read_support_filter_zstd,
};

static struct archive *reader_new(bool formats, bool raw)
{
    unsigned without = 0;
    for (;;) {
        struct archive *a = archive_read_new();
        unsigned warned = 0;
        if (!a)
            return NULL;
        /* ARCHIVE_WARN: libarchive was built without the library and would
         * run an external program instead (gzip -d, xz -d, ...). Not from a
         * scanner's threads, on hostile input: that filter is left out. */
        for (unsigned i = 0; i < sizeof filters / sizeof filters[0]; i++)
            if (!(without & 1u << i) && filters[i](a) == ARCHIVE_WARN)
                warned |= 1u << i;
        if (warned) {
            archive_read_free(a);
            without |= warned;
            continue;
        }
        if (formats) {
            archive_read_support_format_7zip(a);
            archive_read_support_format_ar(a);
            archive_read_support_format_cab(a);
            archive_read_support_format_cpio(a);
            archive_read_support_format_iso9660(a);
            archive_read_support_format_rar(a);
            archive_read_support_format_rar5(a);
            archive_read_support_format_tar(a);
            archive_read_support_format_zip(a);
        }
        if (raw)
            archive_read_support_format_raw(a);
        return a;
    }
}

/* A bare stream's member is named after the stream: "x.txt.gz" -> "x.txt". */
static const char *const stream_suffixes[][2] = {
    {".gz", ""},      {".gzip", ""},    {".z", ""},        {".bz2", ""},     {".bz", ""},
    {".xz", ""},      {".lzma", ""},    {".zst", ""},      {".zstd", ""},    {".tgz", ".tar"},
    {".taz", ".tar"}, {".tbz", ".tar"}, {".tbz2", ".tar"}, {".txz", ".tar"}, {".tzst", ".tar"},
};

static int add_stream_name(struct walker *w, const struct level *lv)
{
    char stem[NAME_MAX_BYTES + 8];
    const char *s = w->path.data + lv->name_off;
    size_t n = lv->base - lv->name_off;
    const char *slash = memrchr(s, '/', n);
    if (slash) {
        n -= (size_t)(slash + 1 - s);
        s = slash + 1;
    }
    for (size_t i = 0; i < sizeof stream_suffixes / sizeof stream_suffixes[0]; i++) {
        size_t k = strlen(stream_suffixes[i][0]);
        if (n > k && n < sizeof stem - 8 && strncasecmp(s + n - k, stream_suffixes[i][0], k) == 0) {
            /* Copied first: adding to w->path may move it. */
            memcpy(stem, s, n - k);
            vg_strlcpy(stem + n - k, stream_suffixes[i][1], 8);
            return vg_buf_adds(&w->path, stem);
        }
    }
    return vg_buf_adds(&w->path, "data");
}

/* Make w->path the path of entry e of lv: "<archive>!<clean name>". */
static int member_path(struct walker *w, const struct level *lv, struct archive *a,
                       struct archive_entry *e)
{
    const char *name;
    size_t before;
    int rc;
    vg_buf_truncate(&w->path, lv->base);
    if ((rc = vg_buf_addc(&w->path, '!')) != VG_OK)
        return rc;
    if (archive_format(a) == ARCHIVE_FORMAT_RAW)
        return add_stream_name(w, lv);
    name = archive_entry_pathname(e);
    if (!name)
        name = archive_entry_pathname_utf8(e);
    before = w->path.len;
    if (name && (rc = add_clean(&w->path, name, strlen(name), NAME_MAX_BYTES)) != VG_OK)
        return rc;
    return w->path.len == before ? vg_buf_addc(&w->path, '?') : VG_OK;
}

/* Regular files only, and entries of no known type: extractors write those
 * out as files (GNU ar in deterministic mode records the mode "644", with no
 * type bits), so skipping them would hide their data. A hard link to a file
 * already read carries no data of its own (tar); one that does (cpio puts the
 * data on the last link) counts. */
static bool is_member(struct archive_entry *e)
{
    if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != 0)
        return false;
    return !archive_entry_hardlink(e) ||
           (archive_entry_size_is_set(e) && archive_entry_size(e) > 0);
}

/* Whether libarchive gets past e's data without unpacking it: stored formats
 * and zip (whose packed size is known with the size), and no filter around
 * them. Anywhere else skipping means inflating, so the walker does it itself,
 * with the bomb checks. */
static bool skip_is_cheap(struct archive *a, struct archive_entry *e)
{
    int f = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
    if (archive_filter_count(a) != 1 || !archive_entry_size_is_set(e))
        return false;
    return f == ARCHIVE_FORMAT_TAR || f == ARCHIVE_FORMAT_CPIO || f == ARCHIVE_FORMAT_AR ||
           f == ARCHIVE_FORMAT_ISO9660 || f == ARCHIVE_FORMAT_ZIP;
}

static int grow(struct level *lv, size_t need, size_t max)
{
    size_t cap = lv->cap ? lv->cap : FIRST_CAP;
    unsigned char *p;
    while (cap < need)
        cap = cap > max / 2 ? max : cap * 2;
    if (cap > max)
        cap = max;
    p = realloc(lv->data, cap);
    if (!p)
        return VG_ENOMEM;
    lv->data = p;
    lv->cap = cap;
    return VG_OK;
}

/*
 * Read the current entry's data. With keep, into lv->data (*len bytes) up to
 * the member limit; past it (or without keep) the data is only read through,
 * so that the ratio and total limits still watch it, unless cheap, when
 * libarchive may skip it. Every problem is reported here; *got says how it
 * ended.
 */
static int read_data(struct walker *w, struct level *lv, struct archive *a, bool keep, bool cheap,
                     size_t *len, enum got *got)
{
    const struct vg_archive_limits *l = &w->lim;
    int64_t start = archive_filter_bytes(a, -1), last = start;
    uint64_t seen = 0; /* bytes of this member unpacked, kept or not */
    bool seeked = false;
    int rc;

    *len = 0;
    for (;;) {
        unsigned char *dst;
        size_t want = BLOCK;
        la_ssize_t k;
        if (l->max_total + 1 - w->total < want)
            want = (size_t)(l->max_total + 1 - w->total);
        if (keep) {
            if (l->max_member + 1 - *len < want)
                want = (size_t)(l->max_member + 1 - *len);
            if (lv->cap - *len < want &&
                (rc = grow(lv, *len + want, (size_t)l->max_member + 1)) != VG_OK)
                return rc;
            dst = lv->data + *len;
        } else {
            if (!w->scratch && !(w->scratch = malloc(BLOCK)))
                return VG_ENOMEM;
            dst = w->scratch;
        }
        k = archive_read_data(a, dst, want);
        if (k < 0) {
            /* A member already reported over the limit needs no second word. */
            if (keep)
                report_error(w, a);
            *got = k <= ARCHIVE_FATAL ? END_LEVEL : SKIP;
            return VG_OK;
        }
        if (k == 0) {
            *got = keep ? GOT : SKIP;
            return VG_OK;
        }
        seen += (uint64_t)k;
        w->total += (uint64_t)k;
        lv->unpacked += (uint64_t)k;
        if (keep) {
            *len += (size_t)k;
            if (*len > l->max_member) {
                report(w, "limit: member over %" PRIu64 " bytes", l->max_member);
                if (cheap) {
                    *got = SKIP;
                    return VG_OK;
                }
                keep = false;
            }
        }
        if (w->total > l->max_total) {
            report(w, "limit: over %" PRIu64 " bytes unpacked in total", l->max_total);
            w->stop = true;
            *got = END_WALK;
            return VG_OK;
        }
        /* Packed bytes: what libarchive consumed of the input since the
         * header. 7z seeks back from its header to the data; then, and
         * before anything was consumed, the whole input stands for it. */
        int64_t pos = archive_filter_bytes(a, -1);
        if (pos < last)
            seeked = true;
        last = pos;
        uint64_t packed = seeked || pos <= start ? (uint64_t)lv->n : (uint64_t)(pos - start);
        if (seen > BOMB_MIN && (double)seen > l->max_ratio * (double)packed) {
            report(w,
                   "zip bomb: over %g times its packed size (%" PRIu64 " bytes from %" PRIu64 ")",
                   l->max_ratio, seen, packed);
            *got = END_LEVEL;
            return VG_OK;
        }
        if (lv->unpacked > BOMB_MIN && (double)lv->unpacked > l->max_ratio * (double)lv->n) {
            report(w,
                   "zip bomb: the archive unpacks to over %g times its size (%" PRIu64
                   " bytes from %zu)",
                   l->max_ratio, lv->unpacked, lv->n);
            *got = END_LEVEL;
            return VG_OK;
        }
    }
}

static int walk_level(struct walker *w, const unsigned char *buf, size_t n, size_t name_off,
                      int depth, bool raw_only, bool *opened);

/* Hand the member just read to fn, then walk it if it is an archive. */
static int hand_out(struct walker *w, struct level *lv, size_t len)
{
    const unsigned char *data = lv->data ? lv->data : (const unsigned char *)"";
    bool opened;
    int rc;
    if (w->fn) {
        utf8_off(w);
        rc = w->fn(w->ctx, w->path.data, data, len, lv->depth);
        utf8_on(w);
        if (rc != VG_OK)
            return rc;
    }
    if (!vg_archive_sniff(data, len))
        return VG_OK;
    if (lv->depth >= w->lim.max_depth) {
        report(w, "limit: nested deeper than %d levels", w->lim.max_depth);
        return VG_OK;
    }
    rc = walk_level(w, data, len, lv->base + 1, lv->depth + 1, false, &opened);
    if (rc == VG_OK && !opened)
        report(w, "error: %s", w->why);
    return rc;
}

/*
 * Walk buf[0..n), whose path is w->path (its own name starting at name_off),
 * handing out its members at depth. *opened is false when libarchive found no
 * format in it (w->why says what it said). raw_only reads a compressed stream
 * as one member whatever it holds.
 */
static int walk_level(struct walker *w, const unsigned char *buf, size_t n, size_t name_off,
                      int depth, bool raw_only, bool *opened)
{
    struct level lv = {buf, n, depth, w->path.len, name_off, NULL, 0, 0};
    bool compressed = compressed_stream(buf, n), eof = false;
    uint64_t entries = 0;
    int fails = 0, rc = VG_OK;
    struct archive *a = reader_new(!raw_only, raw_only || compressed);

    *opened = false;
    if (!a)
        return VG_ENOMEM;
    if (archive_read_open_memory(a, buf, n) != ARCHIVE_OK) {
        libmsg(a, w->why, sizeof w->why);
        goto out;
    }
    *opened = true;
    while (!w->stop) {
        struct archive_entry *e;
        size_t len;
        enum got got;
        int r = archive_read_next_header(a, &e);
        vg_buf_truncate(&w->path, lv.base);
        if (r == ARCHIVE_EOF) {
            eof = true;
            break;
        }
        if (r == ARCHIVE_FATAL) {
            report_error(w, a);
            break;
        }
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) { /* this header is lost, the next may not be */
            if (r == ARCHIVE_FAILED)
                report_error(w, a);
            if (++fails >= HEADER_FAILS) {
                report(w, "error: %d unreadable entries in a row, the rest is not read",
                       HEADER_FAILS);
                break;
            }
            continue;
        }
        if (entries == 0 && archive_format(a) == ARCHIVE_FORMAT_RAW &&
            archive_filter_count(a) < 2) {
            /* The raw format took bytes that no filter decompressed: a
             * compression magic followed by something else. */
            vg_strlcpy(w->why, "not a compressed stream that libarchive reads", sizeof w->why);
            *opened = false;
            goto out;
        }
        fails = 0;
        entries++;
        if (++w->members > w->lim.max_members) {
            VG_TRY(member_path(w, &lv, a, e));
            report(w, "limit: over %" PRIu64 " members", w->lim.max_members);
            w->stop = true;
            break;
        }
        if (!is_member(e))
            continue;
        VG_TRY(member_path(w, &lv, a, e));
        if (archive_entry_is_encrypted(e)) {
            report(w, "encrypted");
            continue;
        }
        bool cheap = skip_is_cheap(a, e);
        bool keep = true;
        if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0 &&
            (uint64_t)archive_entry_size(e) > w->lim.max_member) {
            report(w, "limit: member over %" PRIu64 " bytes", w->lim.max_member);
            if (cheap)
                continue;
            keep = false;
        }
        VG_TRY(read_data(w, &lv, a, keep, cheap, &len, &got));
        if (got == END_LEVEL || got == END_WALK)
            break;
        if (got == GOT)
            VG_TRY(hand_out(w, &lv, len));
    }
    /* A compressed stream in which a format found nothing at all (a gzip of
     * zeros reads as an empty tar): what it holds is still scanned, as one
     * member, so that a run of zero blocks cannot hide a payload. */
    if (eof && entries == 0 && fails == 0 && compressed && !raw_only &&
        archive_format(a) != ARCHIVE_FORMAT_RAW) {
        bool again;
        archive_read_free(a);
        a = NULL;
        vg_buf_truncate(&w->path, lv.base);
        rc = walk_level(w, buf, n, name_off, depth, true, &again);
    }
out:
    vg_buf_truncate(&w->path, lv.base);
    free(lv.data);
    archive_read_free(a);
    return rc;
}

int vg_archive_walk(const unsigned char *buf, size_t n, const char *display,
                    const struct vg_archive_limits *lim, vg_member_fn fn,
                    vg_archive_problem_fn problem, void *ctx)
{
    struct walker w;
    bool opened = false;
    int rc;

    if (!buf || n == 0)
        return VG_EPARSE;
    memset(&w, 0, sizeof w);
    vg_archive_defaults(&w.lim);
    if (lim) {
        /* A field <= 0 keeps its default; the caps keep the arithmetic and
         * the recursion in range. */
        const uint64_t cap = 1ull << 62;
        if (lim->max_depth > 0)
            w.lim.max_depth = lim->max_depth < DEPTH_CAP ? lim->max_depth : DEPTH_CAP;
        if (lim->max_member > 0)
            w.lim.max_member = lim->max_member < cap ? lim->max_member : cap;
        if (lim->max_total > 0)
            w.lim.max_total = lim->max_total < cap ? lim->max_total : cap;
        if (lim->max_ratio > 0)
            w.lim.max_ratio = lim->max_ratio;
        if (lim->max_members > 0)
            w.lim.max_members = lim->max_members < cap ? lim->max_members : cap;
    }
    w.fn = fn;
    w.problem = problem;
    w.ctx = ctx;
    vg_buf_init(&w.path, VG_BUF_NOLIMIT);
    rc = vg_buf_adds(&w.path, display ? display : "archive");
    if (rc != VG_OK)
        return rc;
    w.utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (w.utf8)
        w.caller = uselocale(w.utf8);

    rc = walk_level(&w, buf, n, 0, 1, false, &opened);
    if (rc == VG_OK && !opened) {
        /* Not an archive libarchive reads; if it looked like one, say why. */
        if (vg_archive_sniff(buf, n))
            report(&w, "error: %s", w.why);
        rc = VG_EPARSE;
    }

    if (w.utf8) {
        uselocale(w.caller);
        freelocale(w.utf8);
    }
    free(w.scratch);
    vg_buf_release(&w.path);
    return rc;
}
