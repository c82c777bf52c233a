/*
 * netblock.c - a unit's address ranges: its private ranges and the public
 * addresses its offices sit behind (what the CERT's botnet list names).
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

int vg_store_netblock_add(struct vg_store *s, struct vg_netblock *nb, struct vg_error *err)
{
    char text[VG_PREFIX_STRLEN];
    sqlite3_stmt *st = vg_sql(s,
                              "INSERT INTO netblock (unit_id, prefix, public, note, created_at) "
                              "VALUES (?, ?, ?, ?, ?)",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_prefix_format(&nb->prefix, text);
    sqlite3_bind_int64(st, 1, nb->unit_id);
    vg_bind_text(st, 2, text);
    sqlite3_bind_int(st, 3, nb->public);
    vg_bind_text(st, 4, nb->note);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    int rc = vg_sql_exec_stmt(s, st, err, "cannot add the netblock");
    if (rc == VG_EEXIST)
        return vg_error_set(err, rc, "the unit already has netblock %s", text);
    if (rc == VG_OK)
        nb->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int vg_store_netblock_update(struct vg_store *s, const struct vg_netblock *nb, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(
        s, "UPDATE netblock SET public = ?, note = ? WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int(st, 1, nb->public);
    vg_bind_text(st, 2, nb->note);
    sqlite3_bind_int64(st, 3, nb->id);
    return vg_sql_update(s, st, err, "cannot update the netblock");
}

int vg_store_netblock_list(struct vg_store *s, const struct vg_netblock_filter *f,
                           struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT n.id, n.unit_id, u.name, n.prefix, n.public, n.note, "
                              "n.created_at FROM netblock n JOIN unit u ON u.id = n.unit_id "
                              "WHERE n.deleted_at IS NULL AND (?1 IS NULL OR n.unit_id = ?1) "
                              "ORDER BY u.name, n.public DESC, n.prefix",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_id(st, 1, f ? f->unit_id : 0);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_netblock *nb = vg_rows_push(out, sizeof *nb);
        const char *p = (const char *)sqlite3_column_text(st, 3);
        if (!nb) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        nb->id = sqlite3_column_int64(st, 0);
        nb->unit_id = sqlite3_column_int64(st, 1);
        nb->unit = vg_col_text(st, 2, &out->arena);
        if (!p || vg_prefix_parse(p, strlen(p), 0, &nb->prefix) != VG_OK) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_EDB, "netblock %lld holds a bad prefix '%s'",
                                (long long)nb->id, p ? p : "");
        }
        nb->public = sqlite3_column_int(st, 4) != 0;
        nb->note = vg_col_text(st, 5, &out->arena);
        nb->created_at = (time_t)sqlite3_column_int64(st, 6);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list netblocks");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_netblock_find(struct vg_store *s, int64_t unit_id, const struct vg_prefix *p,
                           int64_t *id, struct vg_error *err)
{
    char text[VG_PREFIX_STRLEN];
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT id FROM netblock WHERE unit_id = ? AND prefix = ? "
                              "AND deleted_at IS NULL",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, unit_id);
    vg_bind_text(st, 2, vg_prefix_format(p, text));
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return VG_OK;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the netblock");
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOTFOUND, "no netblock %s in that unit", text);
}

int vg_store_netblock_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(s,
                          "UPDATE netblock SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                          id, "cannot remove the netblock", err);
}
