/*
 * internal.h - shared by the SQLite backend's files only: the connection,
 * the prepared-statement cache and the helpers that map SQLite's results to
 * vigil's errors. Nothing outside lib/store/ includes this.
 */
#ifndef VG_STORE_INTERNAL_H
#define VG_STORE_INTERNAL_H

#include <sqlite3.h>

#include "core/map.h"
#include "store/store.h"

struct vg_store {
    sqlite3 *db;
    char *path;
    char actor[128];
    bool in_tx;
    bool created;
    struct vg_map stmts; /* SQL text pointer -> sqlite3_stmt * */
};

/*
 * The cached statement for sql (a string literal: its address is the key),
 * reset and with bindings cleared. NULL on error (err filled).
 */
sqlite3_stmt *vg_sql(struct vg_store *s, const char *sql, struct vg_error *err);

/* Fill err from the connection's last error; what says what was being done. */
int vg_sql_fail(struct vg_store *s, struct vg_error *err, const char *what);

/* Step a statement that returns no rows. */
int vg_sql_exec_stmt(struct vg_store *s, sqlite3_stmt *st, struct vg_error *err, const char *what);

/* Step an UPDATE of one live row: VG_ENOTFOUND when it changed nothing (no such row). */
int vg_sql_update(struct vg_store *s, sqlite3_stmt *st, struct vg_error *err, const char *what);

/*
 * Step st to the end, appending one item of size bytes per row to out,
 * filled by read (strings in out's arena). what names the list in messages.
 */
int vg_sql_rows(struct vg_store *s, sqlite3_stmt *st, struct vg_rows *out, size_t size,
                void (*read)(sqlite3_stmt *st, void *item, struct vg_arena *a), const char *what,
                struct vg_error *err);

/* Run plain SQL (no parameters, schema and pragmas only). */
int vg_sql_exec(struct vg_store *s, const char *sql, struct vg_error *err);

/* Bind helpers: NULL text and 0 ids bind SQL NULL. */
int vg_bind_text(sqlite3_stmt *st, int i, const char *v);
int vg_bind_id(sqlite3_stmt *st, int i, int64_t id);

/* A text column copied into arena a (NULL stays NULL). */
const char *vg_col_text(sqlite3_stmt *st, int i, struct vg_arena *a);

/*
 * Writes that need several statements run in a transaction of their own
 * unless the caller already opened one.
 */
int vg_wtx_begin(struct vg_store *s, bool *own, struct vg_error *err);
int vg_wtx_end(struct vg_store *s, bool own, int rc, struct vg_error *err);

/* Soft-delete the live row id of table (a fixed table name from this backend). */
int vg_soft_delete(struct vg_store *s, const char *sql, int64_t id, const char *what,
                   struct vg_error *err);

#endif
