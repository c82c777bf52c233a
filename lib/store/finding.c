/*
 * finding.c - findings (what every module found, on a host or a unit) and
 * their status history.
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

int vg_store_finding_upsert(struct vg_store *s, struct vg_finding *f, bool *created,
                            struct vg_error *err)
{
    bool own;
    int rc = vg_wtx_begin(s, &own, err), r;
    sqlite3_stmt *st;
    sqlite3_int64 now = (sqlite3_int64)(f->last_seen ? f->last_seen : time(NULL));
    *created = false;
    if (rc)
        return rc;
    st = vg_sql(s, "SELECT id, first_seen, status FROM finding WHERE kind = ? AND key = ?", err);
    if (!st) {
        rc = err ? err->code : VG_EDB;
        goto out;
    }
    vg_bind_text(st, 1, f->kind);
    vg_bind_text(st, 2, f->key);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        f->id = sqlite3_column_int64(st, 0);
        f->first_seen = (time_t)sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        st = vg_sql(s,
                    "UPDATE finding SET unit_id = ?, host_id = ?, detail = ?, last_seen = ? "
                    "WHERE id = ?",
                    err);
        if (!st) {
            rc = err ? err->code : VG_EDB;
            goto out;
        }
        vg_bind_id(st, 1, f->unit_id);
        vg_bind_id(st, 2, f->host_id);
        vg_bind_text(st, 3, f->detail);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, f->id);
        rc = vg_sql_exec_stmt(s, st, err, "cannot update the finding");
        goto out;
    }
    sqlite3_reset(st);
    if (r != SQLITE_DONE) {
        rc = vg_sql_fail(s, err, "cannot read the finding");
        goto out;
    }
    st = vg_sql(s,
                "INSERT INTO finding (kind, key, unit_id, host_id, detail, status, first_seen, "
                "last_seen) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?6)",
                err);
    if (!st) {
        rc = err ? err->code : VG_EDB;
        goto out;
    }
    vg_bind_text(st, 1, f->kind);
    vg_bind_text(st, 2, f->key);
    vg_bind_id(st, 3, f->unit_id);
    vg_bind_id(st, 4, f->host_id);
    vg_bind_text(st, 5, f->detail);
    sqlite3_bind_int64(st, 6, now);
    if ((rc = vg_sql_exec_stmt(s, st, err, "cannot add the finding")))
        goto out;
    f->id = sqlite3_last_insert_rowid(s->db);
    f->first_seen = (time_t)now;
    f->status = "open";
    *created = true;
    st = vg_sql(s,
                "INSERT INTO finding_event (finding_id, at, actor, status, note) "
                "VALUES (?, ?, ?, 'open', 'found')",
                err);
    if (!st) {
        rc = err ? err->code : VG_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, f->id);
    sqlite3_bind_int64(st, 2, now);
    vg_bind_text(st, 3, s->actor);
    rc = vg_sql_exec_stmt(s, st, err, "cannot record the finding's event");
out:
    return vg_wtx_end(s, own, rc, err);
}

int vg_store_finding_list(struct vg_store *s, const struct vg_finding_filter *f,
                          struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT x.id, x.kind, x.key, coalesce(x.unit_id, 0), "
                              "coalesce(x.host_id, 0), u.name, h.hostname, x.detail, x.status, "
                              "x.first_seen, x.last_seen FROM finding x "
                              "LEFT JOIN unit u ON u.id = x.unit_id "
                              "LEFT JOIN host h ON h.id = x.host_id "
                              "WHERE (?1 IS NULL OR x.kind = ?1) AND x.last_seen >= ?2 "
                              "ORDER BY x.last_seen DESC, x.id",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, f ? f->kind : NULL);
    sqlite3_bind_int64(st, 2, f ? (sqlite3_int64)f->seen_since : 0);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_finding *x = vg_rows_push(out, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        x->id = sqlite3_column_int64(st, 0);
        x->kind = vg_col_text(st, 1, &out->arena);
        x->key = vg_col_text(st, 2, &out->arena);
        x->unit_id = sqlite3_column_int64(st, 3);
        x->host_id = sqlite3_column_int64(st, 4);
        x->unit = vg_col_text(st, 5, &out->arena);
        x->host = vg_col_text(st, 6, &out->arena);
        x->detail = vg_col_text(st, 7, &out->arena);
        x->status = vg_col_text(st, 8, &out->arena);
        x->first_seen = (time_t)sqlite3_column_int64(st, 9);
        x->last_seen = (time_t)sqlite3_column_int64(st, 10);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list findings");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_finding_count(struct vg_store *s, const struct vg_finding_filter *f, int64_t *out,
                           struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT count(*) FROM finding WHERE (?1 IS NULL OR kind = ?1) "
                              "AND last_seen >= ?2",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, f ? f->kind : NULL);
    sqlite3_bind_int64(st, 2, f ? (sqlite3_int64)f->seen_since : 0);
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = vg_sql_fail(s, err, "cannot count findings");
        sqlite3_reset(st);
        return rc;
    }
    *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_audit_last(struct vg_store *s, const char *action, time_t *at, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s, "SELECT coalesce(max(at), 0) FROM audit WHERE action = ?", err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, action);
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = vg_sql_fail(s, err, "cannot read the audit");
        sqlite3_reset(st);
        return rc;
    }
    *at = (time_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return VG_OK;
}
