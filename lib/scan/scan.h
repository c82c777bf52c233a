/*
 * scan.h - the malware scanner: hash indicator sets (feeds and ClamAV
 * .hdb/.hsb files), archives opened through libarchive, the walker that
 * reads each file once for hashes and YARA rules, and the quarantine vault.
 */
#ifndef VG_SCAN_SCAN_H
#define VG_SCAN_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"

struct vg_store;
struct vg_quarantine_row;

/* ---- hash indicators (hashdb.c) ---------------------------------------------- */

enum vg_hash_type { VG_HASH_MD5 = 0, VG_HASH_SHA1 = 1, VG_HASH_SHA256 = 2 };

/* An entry: a digest of one type, the file size it applies to (-1: any size),
 * its name (ClamAV signature name, or the listed hash) and where it came from
 * (a feed's source name, or the .hdb/.hsb file). */
struct vg_hash_entry {
    const char *name, *source;
    int64_t size;
};

/* A set of hash indicators; read-only after vg_hashdb_build, then safe from many threads. */
struct vg_hashdb;

struct vg_hashdb *vg_hashdb_new(void);
void vg_hashdb_free(struct vg_hashdb *db);
/* digest is binary (16, 20 or 32 bytes by type). Strings are copied. Adding
 * the same (type, digest, size) again keeps the first. */
int vg_hashdb_add(struct vg_hashdb *db, int type, const unsigned char *digest, int64_t size,
                  const char *name, const char *source);
/*
 * ClamAV hash signatures, one per line: .hdb "MD5:size:name", .hsb
 * "hash:size:name[:min_flevel[:max_flevel]]" where hash is MD5, SHA-1 or
 * SHA-256 (by length) and size may be "*" (any size). Blank lines and lines
 * starting with '#' are skipped. A bad line is an error naming
 * display:line and the field, and nothing of the text is added, unless
 * skip_bad (then *skipped counts them and the rest is added). *added counts
 * entries added (either may be NULL).
 */
int vg_hashdb_parse_clamav(struct vg_hashdb *db, const char *text, size_t n, const char *display,
                           bool skip_bad, size_t *added, size_t *skipped, struct vg_error *err);
/* The same from a file (read whole, at most 1 GiB). */
int vg_hashdb_load_clamav(struct vg_hashdb *db, const char *path, bool skip_bad, size_t *added,
                          size_t *skipped, struct vg_error *err);
/* The current hash indicators of the store's feeds (md5, sha1, sha256; a
 * feed's size, when it has one, as the size). */
int vg_hashdb_load_feeds(struct vg_hashdb *db, struct vg_store *s, size_t *added,
                         struct vg_error *err);
/* Make the set ready for lookups. */
int vg_hashdb_build(struct vg_hashdb *db);
/* Whether a file of this size needs a hash of this type computed: some entry
 * of that type applies to that size (or to any size). */
bool vg_hashdb_wants(const struct vg_hashdb *db, int type, int64_t size);
/* The entry for (type, digest) that applies to size, or NULL. Borrowed from db. */
const struct vg_hash_entry *vg_hashdb_lookup(const struct vg_hashdb *db, int type,
                                             const unsigned char *digest, int64_t size);
size_t vg_hashdb_count(const struct vg_hashdb *db);
/* A hex SHA-256 over the set's contents (order-independent): the "feeds
 * version" that a scan result and the scan cache record. out[65]. */
void vg_hashdb_version(const struct vg_hashdb *db, char *out);

/* ---- archives (archive.c) ----------------------------------------------------- */

struct vg_archive_limits {
    int max_depth;        /* nesting levels opened (1: members of the file itself) */
    uint64_t max_member;  /* bytes of one member read into memory */
    uint64_t max_total;   /* bytes unpacked from one top-level file, all levels */
    double max_ratio;     /* unpacked / packed size of a member beyond which it is a bomb */
    uint64_t max_members; /* members of one top-level file, all levels */
};

/* Defaults: depth 16, member 256 MiB, total 1 GiB, ratio 250, members 100,000. A field
 * <= 0 given to vg_archive_walk takes its default; depth is capped at 64. The member
 * count includes every entry (folders too); a bomb ends the walk of the archive that
 * holds it, not of the archives around it. '!' inside a member's name is kept. */
void vg_archive_defaults(struct vg_archive_limits *l);

/* Whether buf starts like an archive or compressed stream libarchive reads
 * (zip, gzip, bzip2, xz, lzma, zstd, 7z, rar, cab, tar, cpio (also binary), ar,
 * iso9660). */
bool vg_archive_sniff(const unsigned char *buf, size_t n);

/* A member: its path "outer.zip!dir/inner.tar!x.exe", its bytes, its nesting depth (1..). */
typedef int (*vg_member_fn)(void *ctx, const char *path, const unsigned char *data, size_t n,
                            int depth);
/* Something not scanned inside (encrypted member, limit reached, bomb, corrupt). */
typedef void (*vg_archive_problem_fn)(void *ctx, const char *path, const char *reason);

/*
 * Open buf[0..n) (a file named display) as an archive and hand every regular
 * member to fn, opening nested archives up to the limits; a member that
 * exceeds a limit or looks like a bomb goes to problem instead (with
 * "zip bomb: ..." or "limit: ..." as the reason) and is not unpacked
 * further. Returns VG_OK when buf was walked (even with problems),
 * VG_EPARSE when it is not an archive libarchive reads, or what fn returned.
 */
int vg_archive_walk(const unsigned char *buf, size_t n, const char *display,
                    const struct vg_archive_limits *lim, vg_member_fn fn,
                    vg_archive_problem_fn problem, void *ctx);

/* ---- the quarantine vault (vault.c) --------------------------------------------- */

/* The vault's folder: "<folder of the store>/vault". out gets at most n bytes. */
int vg_vault_dir(struct vg_store *s, char *out, size_t n, struct vg_error *err);

/* Whether the dpkg database lists path as a file of an installed package. */
bool vg_dpkg_owned(const char *path);

struct vg_vault_opts {
    const char *detection; /* what was found */
    int64_t host_id;       /* 0: not in the inventory */
    const char *hostname;
    int64_t finding_id; /* 0: none */
    bool force;         /* move files that an installed package owns */
    int64_t vault_max;  /* bytes the vault may hold (0: no limit) */
};

/*
 * Move path into the vault: copy it neutered, fsync, verify the hash, record
 * it (out), then unlink the original; a crash at any point leaves the
 * original or a complete entry. Refuses (VG_EINVAL with a message) a path
 * that is not a regular file, and a file an installed package owns (unless
 * force), with VG_EPERM; a file that would take the vault past vault_max
 * with VG_ETOOBIG ("the vault is full"). Audited (action "quarantine.add").
 */
int vg_vault_put(struct vg_store *s, const char *path, const struct vg_vault_opts *o,
                 struct vg_quarantine_row *out, struct vg_error *err);
/* Write the entry's exact bytes, mode, owner and times back to its original
 * path or to `to`; never overwrites, never through a symbolic link. Audited. */
int vg_vault_restore(struct vg_store *s, int64_t id, const char *to, struct vg_error *err);
/* Delete the entry's content; the record and the audit stay. Audited. */
int vg_vault_purge(struct vg_store *s, int64_t id, struct vg_error *err);
/* Check an entry: its content un-neuters to the recorded SHA-256. */
int vg_vault_verify(struct vg_store *s, int64_t id, struct vg_error *err);

/* ---- the scan (scanner.c) -------------------------------------------------------- */

struct vg_rules;

struct vg_scan_opts {
    int threads;           /* 0: one per core */
    bool one_fs;           /* do not cross into other file systems under a root */
    char *const *excludes; /* globs (fnmatch) on the full path or the name */
    size_t nexcludes;
    uint64_t max_filesize;          /* larger files are skipped (0: no limit) */
    const struct vg_rules *rules;   /* may be NULL */
    const struct vg_hashdb *hashes; /* may be NULL */
    bool archives;                  /* look inside archives */
    struct vg_archive_limits lim;
    const char *avoid;      /* a folder never entered (the store's folder: vault, caches) */
    const char *cache_path; /* the incremental cache file, or NULL for none */
};

/* A detection. Strings are valid during the callback. */
struct vg_scan_hit {
    const char *path;   /* the file, or "file!member" */
    const char *file;   /* the file on disk that holds it */
    const char *sha256; /* of what matched (file or member) */
    const char *rule;   /* YARA rule identifier, or the hash entry's name */
    const char *kind;   /* "yara" or "hash" */
    const char *source; /* the rule's namespace (rule file), or the hash feed / file */
};

struct vg_scan_stats {
    uint64_t files;      /* regular files looked at (cached ones too) */
    uint64_t bytes;      /* bytes read */
    uint64_t cached;     /* files the cache showed clean and unchanged: not read */
    uint64_t skipped;    /* not scanned by choice: too large, excluded types, not regular files */
    uint64_t errors;     /* could not be read */
    uint64_t detections; /* hits */
    uint64_t infected;   /* files with at least one hit */
};

/* Callbacks run one at a time (under a lock), from the scanning threads. */
struct vg_scan_cb {
    void (*hit)(void *ctx, const struct vg_scan_hit *h);
    /* A file not scanned: error (unreadable, vanished) or skipped by choice. */
    void (*skip)(void *ctx, const char *path, const char *reason, bool error);
    /* Every ~250 ms: the figures so far and the file being read. */
    void (*progress)(void *ctx, const struct vg_scan_stats *st, const char *current);
    void *ctx;
};

/*
 * Scan the roots (files or folders; folders recursively, symbolic links never
 * followed: every path is opened relative to its root with no link in the
 * way). Each file is read once: SHA-256, MD5/SHA-1 when the hash set wants
 * them for its size, the hash set, the rules, and the members of archives.
 * Files the cache shows clean at the same rules and feeds are not read.
 * Returns VG_OK even when files could not be read (they go to skip).
 */
int vg_scan_run(char *const *roots, size_t nroots, const struct vg_scan_opts *o,
                const struct vg_scan_cb *cb, struct vg_scan_stats *st, struct vg_error *err);

/* The version a scan runs at: rules and hashes (hex, out[65]). */
void vg_scan_version(const struct vg_scan_opts *o, char *out);

/* ---- scan results from other machines (result.c) --------------------------------- */

#include "core/arena.h"
#include "store/store.h"

#define VG_SCAN_RESULT_FORMAT "vigil-scan-1"

/* A result read back: the scan's record (hostname = host) and its detections,
 * strings in a. */
struct vg_scan_result {
    struct vg_scan_row row;
    char host[256];
    struct vg_scan_detection *d;
    size_t n, cap;
    struct vg_arena a;
};

/*
 * Parse text (a file written by `vigil scan --output`, named display in
 * messages): a header line first, then detections (and skips, ignored), then
 * a summary. VG_EPARSE naming display:line when a line is not what it should
 * be, or when the header or the summary is missing (a cut file).
 */
int vg_scan_result_parse(const char *text, size_t len, const char *display,
                         struct vg_scan_result *r, struct vg_error *err);
void vg_scan_result_release(struct vg_scan_result *r);

#endif
