/*
 * import_int.h - the machinery shared by the inventory's CSV importers
 * (internal to lib/inventory/): reading and decoding the file, mapping the
 * header to known columns, rejecting records with file:line: column "x".
 */
#ifndef VG_INVENTORY_IMPORT_INT_H
#define VG_INVENTORY_IMPORT_INT_H

#include "core/buf.h"
#include "core/csv.h"
#include "core/map.h"
#include "inventory/inventory.h"

#define IMP_MAXCOLS 16
#define IMP_SKIP 1000 /* a record was rejected and skipped (skip_bad) */

struct imp_col {
    const char *key;     /* the documented column name */
    const char *aliases; /* '|'-separated folded aliases (see vg_str_fold) */
    bool required;
};

struct imp {
    struct vg_store *s;
    const char *file;
    const struct vg_import_opts *o;
    struct vg_import_result *r;
    struct vg_error *err;
    struct vg_buf text;
    struct vg_csv csv;
    const struct imp_col *cols;
    size_t ncols;
    int idx[IMP_MAXCOLS]; /* field index of each column, -1 if absent */
    struct vg_csv_row row;
    struct vg_arena a;   /* parsed records live here until the import ends */
    struct vg_map units; /* unit name -> id, store's and created ones */
};

/*
 * Take the file's bytes (text is moved into m), decode and hash them, read
 * the header and map columns. Fails (naming the missing ones) when a
 * required column is absent.
 */
int imp_open(struct imp *m, struct vg_store *s, struct vg_buf *text, const char *display,
             const struct imp_col *cols, size_t ncols, const struct vg_import_opts *o,
             struct vg_import_result *r, struct vg_error *err);
void imp_close(struct imp *m);

/*
 * Next data record into m->row: VG_OK, VG_ENOTFOUND at the end, IMP_SKIP
 * when a malformed record was skipped (skip_bad), or an error.
 */
int imp_next(struct imp *m);

/* The trimmed cell of column col in the current record, in m->a; NULL if absent or empty. */
char *imp_cell(struct imp *m, int col);

/*
 * A bad record: without skip_bad, fill err with `file:line: column "col": ...`
 * and return VG_EPARSE; with skip_bad, list it and return IMP_SKIP.
 */
int imp_reject(struct imp *m, size_t line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A note that is not an error (line may be 0). */
void imp_note(struct imp *m, size_t line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Load the live units into m->units. */
int imp_load_units(struct imp *m);
/* The id of unit name, creating it (and counting it) if it does not exist. */
int imp_unit_id(struct imp *m, const char *name, int64_t *id);

/* "a\0b" keys for maps. Returns the length; writes into buf (NUL-terminated) or fails if too long.
 */
size_t imp_key2(char *buf, size_t size, const char *a, const char *b);

/* Begin the write transaction; imp_finish audits, then commits (or rolls back on dry run). */
int imp_begin(struct imp *m);
int imp_finish(struct imp *m, const char *action);

/* The importers of each kind. */
int vg_inv_import_hosts(struct imp *m);
int vg_inv_import_units(struct imp *m);
int vg_inv_import_contacts(struct imp *m);
int vg_inv_import_netblocks(struct imp *m);
int vg_inv_import_duty(struct imp *m);

extern const struct imp_col vg_host_cols[];
extern const size_t vg_host_ncols;

#endif
