/*
 * inventory.h - the site's inventory: units (agencies), their netblocks,
 * information systems with their security level, hosts with addresses,
 * contacts with an escalation order, and the duty roster.
 *
 * This module validates what people and spreadsheets give it, resolves
 * names to the store's ids, writes through store.h and records every change
 * in the audit table. Imports are all or nothing: one transaction, and a bad
 * record aborts with `file:line: column "x": reason` unless skip_bad is set,
 * in which case the rest is imported and every skipped record is listed.
 */
#ifndef VG_INVENTORY_INVENTORY_H
#define VG_INVENTORY_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/err.h"
#include "store/store.h"

/* ---- validation (exposed for the fronts and for tests) ----------------- */

#define VG_NAME_MAX 200
#define VG_HOSTNAME_MAX 253

/*
 * Each returns VG_OK or VG_EINVAL with a reason (no position) in why[160],
 * which the caller places behind `file:line: column "x": `.
 */
int vg_inv_check_name(const char *s, char *why);
/* Free text (notes): line breaks and tabs are fine, other control characters not; 4 KiB at most. */
int vg_inv_check_text(const char *s, char *why);
/* Lower-cases host names in place (DNS names are case-insensitive). */
int vg_inv_check_hostname(char *s, char *why);
/* "server" / "workstation" (also: srv, ws, pc, máy chủ, máy trạm); *out is static. */
int vg_inv_parse_role(const char *s, const char **out, char *why);
/* 1..5; "3", "cấp độ 3", "level 3". */
int vg_inv_parse_level(const char *s, int *out, char *why);
int vg_inv_check_email(const char *s, char *why);
int vg_inv_check_phone(const char *s, char *why);
/* yes/no, true/false, 1/0, public/private, có/không. */
int vg_inv_parse_bool(const char *s, bool *out, char *why);
/*
 * Split "Windows Server 2019" into a lower-case name ("windows server") and
 * release ("2019"): the release starts at the last word that begins with a
 * digit. Both are malloc'd (release may be NULL; both are NULL when s is
 * blank); the caller frees them.
 */
int vg_inv_split_os(const char *s, char **name, char **release);

/* ---- edits (one record each, audited) ---------------------------------- */

/*
 * The struct's reference names are resolved: unit->parent, contact->unit,
 * system->unit, host->unit, host->owner, host->systems[].name (in host's
 * unit), netblock->unit, duty->contact. Ids are filled on success. A host
 * name is stored in lower case; h->hostname is left as the caller gave it.
 */
int vg_inv_unit_add(struct vg_store *s, struct vg_unit *u, struct vg_error *err);
int vg_inv_contact_add(struct vg_store *s, struct vg_contact *c, struct vg_error *err);
int vg_inv_system_add(struct vg_store *s, struct vg_system *y, struct vg_error *err);
int vg_inv_host_add(struct vg_store *s, struct vg_host *h, struct vg_error *err);
int vg_inv_netblock_add(struct vg_store *s, struct vg_netblock *nb, struct vg_error *err);
int vg_inv_duty_add(struct vg_store *s, struct vg_duty *d, struct vg_error *err);

/*
 * Soft removal, audited. A unit that still has live systems, hosts,
 * netblocks, contacts or child units is refused with the counts.
 */
int vg_inv_unit_rm(struct vg_store *s, const char *name, struct vg_error *err);
int vg_inv_contact_rm(struct vg_store *s, const char *name, struct vg_error *err);
int vg_inv_system_rm(struct vg_store *s, const char *unit, const char *name, struct vg_error *err);
int vg_inv_host_rm(struct vg_store *s, const char *unit, const char *hostname,
                   struct vg_error *err);
int vg_inv_netblock_rm(struct vg_store *s, const char *unit, const char *prefix,
                       struct vg_error *err);
int vg_inv_duty_rm(struct vg_store *s, int64_t id, struct vg_error *err);

/*
 * Find a live host by name. With unit NULL the host name must be unique
 * across units (VG_ECONFLICT names the units otherwise).
 */
int vg_inv_host_find(struct vg_store *s, const char *unit, const char *hostname,
                     struct vg_host *out, struct vg_arena *a, struct vg_error *err);

/* ---- imports ------------------------------------------------------------ */

enum vg_inv_kind {
    VG_INV_UNITS,
    VG_INV_CONTACTS,
    VG_INV_NETBLOCKS,
    VG_INV_HOSTS,
    VG_INV_DUTY,
};

/* "units", "contacts", ... */
const char *vg_inv_kind_name(int kind);

struct vg_import_opts {
    const char *encoding; /* NULL: detect (UTF-8, UTF-8 BOM, UTF-16) */
    char delimiter;       /* 0: detect */
    bool skip_bad;        /* import the good records, list the bad */
    bool dry_run;         /* validate and count, then roll back */
    size_t max_bytes;     /* 0: 1 GiB */
    /*
     * Called now and then during long imports (NULL: never): phase is
     * "checking" (done/total are bytes of the file) or "writing" (records).
     */
    void (*progress)(void *ctx, const char *phase, size_t done, size_t total);
    void *progress_ctx;
};

struct vg_import_issue {
    size_t line;        /* 0: the file as a whole */
    const char *column; /* NULL: the record as a whole */
    const char *reason;
};

struct vg_import_result {
    const char *kind;     /* static: "hosts", "units", ... */
    const char *noun;     /* static: "host", "unit", ..., for messages */
    const char *encoding; /* static or borrowed from opts */
    char delimiter;
    char sha256[65];
    size_t records; /* data records read (header excluded) */
    size_t added, updated, unchanged, skipped;
    size_t units_created, systems_created, systems_updated;
    /* Columns present in the file that were not recognised (ignored). */
    size_t nignored;
    const char **ignored;
    /* Records skipped (skip_bad) and why; also warnings with line 0. */
    size_t nissues;
    struct vg_import_issue *issues;
    struct vg_arena arena;
};

void vg_import_result_init(struct vg_import_result *r);
void vg_import_result_release(struct vg_import_result *r);

/*
 * Import path ("-" for standard input) as records of kind. display names
 * the file in messages (NULL: path). On any error nothing is written.
 */
int vg_inv_import(struct vg_store *s, int kind, const char *path, const char *display,
                  const struct vg_import_opts *o, struct vg_import_result *r, struct vg_error *err);

/* The same on bytes in memory (an upload); display names them in messages. */
int vg_inv_import_mem(struct vg_store *s, int kind, const void *data, size_t len,
                      const char *display, const struct vg_import_opts *o,
                      struct vg_import_result *r, struct vg_error *err);

/* ---- overview ------------------------------------------------------------ */

struct vg_overview {
    struct vg_counts counts;
    struct vg_rows on_duty;    /* struct vg_duty: shifts covering now */
    struct vg_rows next_duty;  /* struct vg_duty: the next shift(s) to start */
    struct vg_rows escalation; /* struct vg_contact: escalation order */
    time_t at;
};

/* Fill o as of time now; release with vg_overview_release. */
int vg_inv_overview(struct vg_store *s, time_t now, struct vg_overview *o, struct vg_error *err);
void vg_overview_release(struct vg_overview *o);

#endif
