/*
 * audit.c - the audit table: who changed what, when. Rows are only ever added.
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

int vg_store_audit(struct vg_store *s, const char *action, const char *object, const char *detail,
                   struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(
        s, "INSERT INTO audit (at, actor, action, object, detail) VALUES (?, ?, ?, ?, ?)", err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    vg_bind_text(st, 2, s->actor);
    vg_bind_text(st, 3, action);
    vg_bind_text(st, 4, object);
    vg_bind_text(st, 5, detail);
    return vg_sql_exec_stmt(s, st, err, "cannot write the audit record");
}

int vg_store_audit_list(struct vg_store *s, const struct vg_audit_filter *f, struct vg_rows *out,
                        struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "SELECT id, at, actor, action, object, detail FROM audit "
               "WHERE at >= ?1 AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2) "
               "ORDER BY id DESC LIMIT ?3",
               err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, f && f->since ? (sqlite3_int64)f->since : 0);
    vg_bind_text(st, 2, f ? f->action : NULL);
    sqlite3_bind_int64(st, 3, f && f->limit > 0 ? f->limit : -1);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_audit *a = vg_rows_push(out, sizeof *a);
        if (!a)
            goto nomem;
        a->id = sqlite3_column_int64(st, 0);
        a->at = (time_t)sqlite3_column_int64(st, 1);
        a->actor = vg_col_text(st, 2, &out->arena);
        a->action = vg_col_text(st, 3, &out->arena);
        a->object = vg_col_text(st, 4, &out->arena);
        a->detail = vg_col_text(st, 5, &out->arena);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list the audit records");
    sqlite3_reset(st);
    return VG_OK;
nomem:
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOMEM, "out of memory");
}
