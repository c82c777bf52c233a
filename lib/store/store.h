/*
 * store.h - the one store API of vigil. Modules and fronts speak to the
 * database only through this header, in C structs; all SQL lives in
 * lib/store/. The first backend is SQLite (WAL, foreign keys, busy timeout);
 * a PostgreSQL backend is a second implementation of the same functions.
 *
 * Results: list functions fill a struct vg_rows whose items and strings live
 * in the rows' arena, freed together by vg_rows_release(). Single-object
 * getters take the arena to allocate strings in from the caller.
 *
 * Writes: every function that changes state may be called inside a
 * transaction opened with vg_store_begin(); outside one it is its own
 * transaction. Every state change is recorded in the audit table with the
 * store's actor (vg_store_set_actor) by the module that makes it, through
 * vg_store_audit(). Removal is soft: rows get deleted_at and drop out of
 * lists, nothing is erased.
 */
#ifndef VG_STORE_STORE_H
#define VG_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/parse.h"

struct vg_store;

/* ---- rows ------------------------------------------------------------ */

struct vg_rows {
    void *v; /* array of n items of the list's type */
    size_t n;
    size_t cap;
    struct vg_arena arena; /* holds v's strings (and v itself is malloc'd) */
};

void vg_rows_init(struct vg_rows *r);
void vg_rows_release(struct vg_rows *r);
/* Append one zeroed item of size sz (the same for every call on r); NULL when out of memory. */
void *vg_rows_push(struct vg_rows *r, size_t sz);
#define VG_ROW(rows, type, i) (&((type *)(rows)->v)[i])

/* ---- opening, schema, transactions ------------------------------------ */

enum vg_store_open_flags {
    VG_STORE_CREATE = 1,   /* create the file (and its folder) if missing */
    VG_STORE_READONLY = 2, /* open for reading only; no migration */
};

/*
 * Open the store at path (a file name; ":memory:" for tests). Migrations
 * newer than the store's schema version are applied, each in a transaction
 * of its own. Without VG_STORE_CREATE a missing store is VG_ENOTFOUND with
 * a message that says to run `vigil init`. A store written by a newer vigil
 * is VG_ESCHEMA. actor (may be NULL: "unknown") is who acts, for the audit
 * table, from the migrations on. The caller closes *out with vg_store_close.
 */
int vg_store_open(const char *path, int flags, const char *actor, struct vg_store **out,
                  struct vg_error *err);
void vg_store_close(struct vg_store *s);

/* Borrowed path the store was opened with. */
const char *vg_store_path(const struct vg_store *s);
int vg_store_schema_version(struct vg_store *s);
/* The schema version this program writes. */
int vg_store_latest_schema(void);
/* true when vg_store_open created the schema from nothing. */
bool vg_store_was_created(const struct vg_store *s);

/* Who is acting, for the audit table (copied). Default: "unknown". */
void vg_store_set_actor(struct vg_store *s, const char *actor);
const char *vg_store_actor(const struct vg_store *s);

/* Explicit transactions; nesting is an error. Rollback never fails. */
int vg_store_begin(struct vg_store *s, struct vg_error *err);
int vg_store_commit(struct vg_store *s, struct vg_error *err);
void vg_store_rollback(struct vg_store *s);
bool vg_store_in_tx(const struct vg_store *s);

/* PRAGMA integrity_check (SQLite) or equivalent: VG_OK when the store is sound. */
int vg_store_check(struct vg_store *s, struct vg_error *err);

/* ---- audit ------------------------------------------------------------ */

struct vg_audit {
    int64_t id;
    time_t at;
    const char *actor;
    const char *action; /* e.g. "unit.add", "host.import" */
    const char *object; /* what it acted on, e.g. "unit:so-tttt" */
    const char *detail; /* JSON object text, or NULL */
};

/* Record action on object now, by the store's actor. detail may be NULL. */
int vg_store_audit(struct vg_store *s, const char *action, const char *object, const char *detail,
                   struct vg_error *err);

struct vg_audit_filter {
    time_t since;       /* 0: no lower bound */
    const char *action; /* prefix match ("host." matches host.add); NULL: all */
    int64_t limit;      /* 0: no limit */
};

/* Newest first. */
int vg_store_audit_list(struct vg_store *s, const struct vg_audit_filter *f, struct vg_rows *out,
                        struct vg_error *err);

/* ---- units ------------------------------------------------------------ */

struct vg_unit {
    int64_t id;
    const char *name;      /* short name, unique among live units */
    const char *full_name; /* may be NULL */
    int64_t parent_id;     /* 0: none */
    const char *parent;    /* parent's name (lists and get) */
    const char *note;
    time_t created_at, updated_at;
};

/* Insert; u->id is set. VG_EEXIST if a live unit has that name. */
int vg_store_unit_add(struct vg_store *s, struct vg_unit *u, struct vg_error *err);
/* Update name, full name, parent, note of u->id. */
int vg_store_unit_update(struct vg_store *s, const struct vg_unit *u, struct vg_error *err);
/* Live unit by name (case-sensitive) or VG_ENOTFOUND. Strings in a. */
int vg_store_unit_get(struct vg_store *s, const char *name, struct vg_unit *out, struct vg_arena *a,
                      struct vg_error *err);
int vg_store_unit_list(struct vg_store *s, struct vg_rows *out, struct vg_error *err);
int vg_store_unit_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/* What still refers to a unit (live rows), so removal can refuse with a reason. */
struct vg_unit_usage {
    int64_t children, systems, hosts, contacts, netblocks;
};
int vg_store_unit_usage(struct vg_store *s, int64_t id, struct vg_unit_usage *out,
                        struct vg_error *err);

/* ---- contacts and duty --------------------------------------------------- */

struct vg_contact {
    int64_t id;
    const char *name; /* unique among live contacts */
    int64_t unit_id;  /* 0: none (e.g. a national hotline) */
    const char *unit;
    const char *role;
    const char *phone;
    const char *email;
    int escalation; /* 1 is called first; 0: not in the escalation order */
    const char *note;
    time_t created_at, updated_at;
};

int vg_store_contact_add(struct vg_store *s, struct vg_contact *c, struct vg_error *err);
int vg_store_contact_update(struct vg_store *s, const struct vg_contact *c, struct vg_error *err);
int vg_store_contact_get(struct vg_store *s, const char *name, struct vg_contact *out,
                         struct vg_arena *a, struct vg_error *err);

struct vg_contact_filter {
    int64_t unit_id;      /* 0: all */
    bool escalation_only; /* only contacts with escalation > 0, in that order */
};
/* By escalation order (escalating contacts first), then name. */
int vg_store_contact_list(struct vg_store *s, const struct vg_contact_filter *f,
                          struct vg_rows *out, struct vg_error *err);
int vg_store_contact_rm(struct vg_store *s, int64_t id, struct vg_error *err);

struct vg_duty {
    int64_t id;
    int64_t contact_id;
    const char *contact; /* name */
    const char *phone;
    const char *role;
    const char *unit;
    time_t starts_at, ends_at; /* [starts_at, ends_at) */
    const char *note;
};

int vg_store_duty_add(struct vg_store *s, struct vg_duty *d, struct vg_error *err);
/* Update the note of d->id. */
int vg_store_duty_update(struct vg_store *s, const struct vg_duty *d, struct vg_error *err);
/* Shifts that overlap [from, to); to 0 means open-ended. Ordered by start. */
int vg_store_duty_list(struct vg_store *s, time_t from, time_t to, struct vg_rows *out,
                       struct vg_error *err);
int vg_store_duty_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/* ---- netblocks ----------------------------------------------------------- */

struct vg_netblock {
    int64_t id;
    int64_t unit_id;
    const char *unit;
    struct vg_prefix prefix;
    bool public; /* a public address or range the unit sits behind */
    const char *note;
    time_t created_at;
};

/* VG_EEXIST if the unit already has this prefix. */
int vg_store_netblock_add(struct vg_store *s, struct vg_netblock *nb, struct vg_error *err);
struct vg_netblock_filter {
    int64_t unit_id; /* 0: all */
};
/* Update public and note of nb->id. */
int vg_store_netblock_update(struct vg_store *s, const struct vg_netblock *nb,
                             struct vg_error *err);
int vg_store_netblock_list(struct vg_store *s, const struct vg_netblock_filter *f,
                           struct vg_rows *out, struct vg_error *err);
/* Live netblock of unit_id with this prefix, or VG_ENOTFOUND. */
int vg_store_netblock_find(struct vg_store *s, int64_t unit_id, const struct vg_prefix *p,
                           int64_t *id, struct vg_error *err);
int vg_store_netblock_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/* ---- information systems ----------------------------------------------- */

struct vg_system {
    int64_t id;
    int64_t unit_id;
    const char *unit;
    const char *name; /* unique within its unit */
    int level;        /* security level (cấp độ) 1-5 */
    const char *description;
    int64_t hosts; /* live hosts serving it (lists and get) */
    time_t created_at, updated_at;
};

int vg_store_system_add(struct vg_store *s, struct vg_system *sys, struct vg_error *err);
int vg_store_system_update(struct vg_store *s, const struct vg_system *sys, struct vg_error *err);
int vg_store_system_get(struct vg_store *s, int64_t unit_id, const char *name,
                        struct vg_system *out, struct vg_arena *a, struct vg_error *err);

struct vg_system_filter {
    int64_t unit_id; /* 0: all */
    int min_level;   /* 0: all; else systems of this level or higher */
};
/* By level from 5 down, then unit, then name. */
int vg_store_system_list(struct vg_store *s, const struct vg_system_filter *f, struct vg_rows *out,
                         struct vg_error *err);
int vg_store_system_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/* ---- hosts ----------------------------------------------------------------- */

struct vg_host_addr {
    struct vg_ip ip;
    bool public;
};

struct vg_host_sys {
    int64_t id;
    const char *name;
    int level;
};

struct vg_host {
    int64_t id;
    int64_t unit_id;
    const char *unit;
    const char *hostname;   /* unique within its unit */
    const char *role;       /* "server" or "workstation" */
    const char *os;         /* e.g. "debian", "windows server"; may be NULL */
    const char *os_release; /* e.g. "12", "2019"; may be NULL */
    int64_t owner_id;       /* contact; 0: none */
    const char *owner;
    const char *note;
    size_t naddrs;
    struct vg_host_addr *addrs;
    size_t nsystems;
    struct vg_host_sys *systems; /* on put only ids are read */
    int level;                   /* highest level of its systems (lists and get); 0: none */
    time_t created_at, updated_at;
};

/*
 * Insert (h->id == 0; h->id is set) or update h->id, replacing its addresses
 * and systems with those in h.
 */
int vg_store_host_put(struct vg_store *s, struct vg_host *h, struct vg_error *err);
int vg_store_host_get(struct vg_store *s, int64_t unit_id, const char *hostname,
                      struct vg_host *out, struct vg_arena *a, struct vg_error *err);

struct vg_host_filter {
    int64_t unit_id;        /* 0: all */
    int64_t system_id;      /* 0: all */
    const char *role;       /* NULL: all */
    const struct vg_ip *ip; /* NULL: all; hosts with this address */
    int min_level;          /* 0: all; hosts serving a system of at least this level */
};
/* By highest security level from 5 down, then unit, then hostname; with addresses and systems. */
int vg_store_host_list(struct vg_store *s, const struct vg_host_filter *f, struct vg_rows *out,
                       struct vg_error *err);
int vg_store_host_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/*
 * Addresses that two live hosts of one unit share (the inventory's rule:
 * an address is unique within its unit). Fills out with struct
 * vg_addr_conflict items; n == 0 when there is none.
 */
struct vg_addr_conflict {
    const char *unit;
    struct vg_ip ip;
    const char *host_a, *host_b;
};
int vg_store_addr_conflicts(struct vg_store *s, struct vg_rows *out, struct vg_error *err);

/* ---- threat-intel feeds --------------------------------------------------- */

struct vg_feed_source {
    int64_t id;
    const char *name;    /* unique among live sources */
    const char *kind;    /* "block" or "allow" */
    const char *format;  /* the format of the last import, or NULL */
    const char *csv_map; /* remembered CSV column mapping (JSON text), or NULL */
    time_t created_at;
    /* The current (newest) version; 0s when the source has none (lists and get). */
    int64_t current;
    time_t issued_at, imported_at;
    int64_t indicators, ignored, versions;
};

/* Insert; src->id is set. VG_EEXIST if a live source has that name. */
int vg_store_feed_source_add(struct vg_store *s, struct vg_feed_source *src, struct vg_error *err);
/* Update format and csv_map of src->id. */
int vg_store_feed_source_update(struct vg_store *s, const struct vg_feed_source *src,
                                struct vg_error *err);
int vg_store_feed_source_get(struct vg_store *s, const char *name, struct vg_feed_source *out,
                             struct vg_arena *a, struct vg_error *err);
/* Live sources by name. */
int vg_store_feed_source_list(struct vg_store *s, struct vg_rows *out, struct vg_error *err);
int vg_store_feed_source_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/* One version of a source's list. */
struct vg_feed_version {
    int64_t id;
    int64_t source_id;
    time_t issued_at; /* 0: unknown */
    time_t imported_at;
    const char *format;
    const char *sha256; /* of the file that made the version */
    const char *file;
    int64_t indicators, ignored;
};

/* Insert a version (and its first file); v->id is set. */
int vg_store_feed_version_add(struct vg_store *s, struct vg_feed_version *v, struct vg_error *err);
/* Add n to its indicator and ignored counts (after an --append). */
int vg_store_feed_version_count(struct vg_store *s, int64_t id, int64_t indicators, int64_t ignored,
                                struct vg_error *err);
/* A source's versions, newest first. */
int vg_store_feed_version_list(struct vg_store *s, int64_t source_id, struct vg_rows *out,
                               struct vg_error *err);
/* Record a file that went into version id (an --append). */
int vg_store_feed_file_add(struct vg_store *s, int64_t id, const char *sha256, const char *file,
                           struct vg_error *err);
/* The version of source_id that took in a file with this SHA-256, or VG_ENOTFOUND. */
int vg_store_feed_file_find(struct vg_store *s, int64_t source_id, const char *sha256,
                            int64_t *version, struct vg_error *err);

/* An indicator as stored (type names as in intel.h's vg_ioc_type_name). */
struct vg_ioc_row {
    int64_t id;
    int64_t feed_id;
    const char *type;
    const char *value; /* normalised; IP indicators as "a.b.c.d/len" or "x::/len" */
    const char *family, *category, *comment;
    int score, port;
    int64_t size;
    time_t first_seen, last_seen;
    int64_t line;
    bool ignored;
};

/* Insert into r->feed_id (call inside a transaction for bulk loads). */
int vg_store_ioc_add(struct vg_store *s, const struct vg_ioc_row *r, struct vg_error *err);
/* The indicators of one version, by type and value. */
int vg_store_ioc_list(struct vg_store *s, int64_t feed_id, struct vg_rows *out,
                      struct vg_error *err);

/*
 * The current indicators of type (a vg_ioc_type_name) of every live source:
 * the newest version of each, ignored entries left out, by source name and
 * value. fn gets each with its source's name and kind and the version's
 * issued time (strings valid during the call); a non-zero return stops and
 * is returned. For speed (matchers load hundreds of thousands) the row
 * carries only feed_id, type, value, family, size, first_seen and last_seen.
 */
int vg_store_ioc_current(struct vg_store *s, const char *type,
                         int (*fn)(void *ctx, const struct vg_ioc_row *r, const char *source,
                                   const char *kind, time_t issued),
                         void *ctx, struct vg_error *err);

/* ---- findings ----------------------------------------------------------- */

struct vg_finding {
    int64_t id;
    const char *kind;         /* "botnet", "malware", "vuln", "config", "ioc" */
    const char *key;          /* the same finding across runs */
    int64_t unit_id, host_id; /* 0: none */
    const char *unit, *host;  /* names (lists) */
    const char *detail;       /* JSON object text */
    const char *status;
    time_t first_seen, last_seen;
};

/*
 * Insert (kind, key) as a new open finding, with an 'open' event, or update
 * the existing one's detail, unit/host and last_seen. *created tells which.
 */
int vg_store_finding_upsert(struct vg_store *s, struct vg_finding *f, bool *created,
                            struct vg_error *err);

struct vg_finding_filter {
    const char *kind;  /* NULL: all */
    time_t seen_since; /* 0: all; else last_seen >= this */
};
/* Newest last_seen first. */
int vg_store_finding_list(struct vg_store *s, const struct vg_finding_filter *f,
                          struct vg_rows *out, struct vg_error *err);
int vg_store_finding_count(struct vg_store *s, const struct vg_finding_filter *f, int64_t *out,
                           struct vg_error *err);

/* The time of the newest audit record of action, or 0. */
int vg_store_audit_last(struct vg_store *s, const char *action, time_t *at, struct vg_error *err);

/* ---- malware scans and the quarantine ----------------------------------- */

struct vg_scan_row {
    int64_t id;
    int64_t host_id;      /* 0: the machine is not in the inventory */
    const char *hostname; /* as scanned */
    const char *unit;     /* the host's unit (lists), or NULL */
    const char *roots;    /* JSON array text */
    time_t started_at, finished_at;
    int64_t files, bytes, skipped, errors, detections;
    const char *rules_version, *feeds_version; /* content hashes, or NULL */
    const char *import_sha256;                 /* of the result file it came from, or NULL */
};

/* Insert a scan (r->id set); vg_store_scan_finish writes the counts and the end. */
int vg_store_scan_add(struct vg_store *s, struct vg_scan_row *r, struct vg_error *err);
int vg_store_scan_finish(struct vg_store *s, const struct vg_scan_row *r, struct vg_error *err);
/* The scan imported from a result file with this SHA-256: VG_ENOTFOUND if none. */
int vg_store_scan_by_import(struct vg_store *s, const char *sha256, int64_t *id,
                            struct vg_error *err);
/* Newest first; host_id > 0 limits to one host. limit 0: all. */
int vg_store_scan_list(struct vg_store *s, int64_t host_id, int64_t limit, struct vg_rows *out,
                       struct vg_error *err);

struct vg_scan_detection {
    int64_t id, scan_id;
    const char *path;   /* "bundle.zip!dir/x.exe" for an archive member */
    const char *sha256; /* of the file (or member) */
    const char *rule;   /* YARA rule, or the listed hash */
    const char *kind;   /* "yara" or "hash" */
    const char *feed;   /* the rule's namespace/file, or the hash feed / .hdb file */
    int64_t finding_id; /* 0: none */
};

int vg_store_scan_detection_add(struct vg_store *s, struct vg_scan_detection *d,
                                struct vg_error *err);
int vg_store_scan_detection_list(struct vg_store *s, int64_t scan_id, struct vg_rows *out,
                                 struct vg_error *err);

/* Scan coverage: every live host of the inventory (scanned or not) and every
 * unassigned hostname that was scanned, botnet-listed hosts first (open botnet
 * finding), then security level from 5 down, then servers first, then name. */
struct vg_scan_coverage {
    int64_t host_id; /* 0: unassigned */
    const char *hostname, *unit, *role;
    int level; /* highest level of its systems, 0: none */
    bool botnet;
    int64_t scans;
    time_t last_scan; /* 0: never */
    int64_t last_files, last_detections;
};

int vg_store_scan_coverage(struct vg_store *s, struct vg_rows *out, struct vg_error *err);

struct vg_quarantine_row {
    int64_t id;
    int64_t host_id; /* 0: not in the inventory */
    const char *hostname;
    const char *original_path;
    int64_t uid, gid;
    const char *owner, *group; /* names at quarantine time, or NULL */
    int64_t mode;              /* st_mode bits (permissions and type) */
    int64_t size;
    int64_t atime_ns, mtime_ns;
    const char *sha256;     /* of the original bytes */
    const char *detection;  /* what was found: rule or indicator */
    const char *vault_name; /* the entry's file name in the vault */
    time_t quarantined_at;
    time_t restored_at; /* 0: not restored */
    const char *restored_to;
    time_t purged_at; /* 0: not purged */
    int64_t finding_id;
};

int vg_store_quarantine_add(struct vg_store *s, struct vg_quarantine_row *r,
                            struct vg_error *err);
/* VG_ENOTFOUND if there is no such entry. */
int vg_store_quarantine_get(struct vg_store *s, int64_t id, struct vg_rows *out,
                            struct vg_error *err);
/* Newest first; all entries, restored and purged ones included. */
int vg_store_quarantine_list(struct vg_store *s, struct vg_rows *out, struct vg_error *err);
int vg_store_quarantine_restored(struct vg_store *s, int64_t id, const char *to, time_t at,
                                 struct vg_error *err);
int vg_store_quarantine_purged(struct vg_store *s, int64_t id, time_t at, struct vg_error *err);
/* Bytes held in the vault: entries not purged (a restored entry keeps its content). */
int vg_store_quarantine_bytes(struct vg_store *s, int64_t *bytes, struct vg_error *err);

/* The incremental scan cache: a file of its own (see scan_cache.c). */
struct vg_scan_cache;

struct vg_cache_entry {
    uint64_t dev, ino;
    int64_t size, mtime_ns, ctime_ns;
};

int vg_scan_cache_open(const char *path, struct vg_scan_cache **out, struct vg_error *err);
void vg_scan_cache_close(struct vg_scan_cache *c);
/* The entries found clean at this version (rules and feeds). */
int vg_scan_cache_load(struct vg_scan_cache *c, const char *version,
                       int (*fn)(void *ctx, const struct vg_cache_entry *e), void *ctx,
                       struct vg_error *err);
/* Record n clean files at version, replacing what was known of them. */
int vg_scan_cache_put(struct vg_scan_cache *c, const char *version,
                      const struct vg_cache_entry *e, size_t n, struct vg_error *err);

/* ---- overview ---------------------------------------------------------- */

struct vg_counts {
    int64_t units, contacts, netblocks, systems, hosts;
    int64_t systems_by_level[6]; /* index 1..5 */
    int64_t hosts_by_level[6];   /* by the highest level they serve; [0]: none */
    int64_t servers, workstations;
    int64_t addrs, public_addrs;
};

int vg_store_counts(struct vg_store *s, struct vg_counts *out, struct vg_error *err);

#endif
