/*
 * unit.c - units (agencies), with an optional parent unit.
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

#define UNIT_COLS                                                                                  \
    "u.id, u.name, u.full_name, u.parent_id, p.name, u.note, u.created_at, u.updated_at "          \
    "FROM unit u LEFT JOIN unit p ON p.id = u.parent_id "

static void read_unit(sqlite3_stmt *st, void *item, struct vg_arena *a)
{
    struct vg_unit *u = item;
    u->id = sqlite3_column_int64(st, 0);
    u->name = vg_col_text(st, 1, a);
    u->full_name = vg_col_text(st, 2, a);
    u->parent_id = sqlite3_column_int64(st, 3);
    u->parent = vg_col_text(st, 4, a);
    u->note = vg_col_text(st, 5, a);
    u->created_at = (time_t)sqlite3_column_int64(st, 6);
    u->updated_at = (time_t)sqlite3_column_int64(st, 7);
}

int vg_store_unit_add(struct vg_store *s, struct vg_unit *u, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "INSERT INTO unit (name, full_name, parent_id, note, created_at, updated_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
               err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, u->name);
    vg_bind_text(st, 2, u->full_name);
    vg_bind_id(st, 3, u->parent_id);
    vg_bind_text(st, 4, u->note);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    int rc = vg_sql_exec_stmt(s, st, err, "cannot add the unit");
    if (rc == VG_EEXIST)
        return vg_error_set(err, rc, "unit '%s' already exists", u->name);
    if (rc == VG_OK)
        u->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int vg_store_unit_update(struct vg_store *s, const struct vg_unit *u, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "UPDATE unit SET name = ?1, full_name = ?2, parent_id = ?3, "
                              "note = ?4, updated_at = ?5 WHERE id = ?6 AND deleted_at IS NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, u->name);
    vg_bind_text(st, 2, u->full_name);
    vg_bind_id(st, 3, u->parent_id);
    vg_bind_text(st, 4, u->note);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    sqlite3_bind_int64(st, 6, u->id);
    int rc = vg_sql_update(s, st, err, "cannot update the unit");
    if (rc == VG_EEXIST)
        return vg_error_set(err, rc, "unit '%s' already exists", u->name);
    return rc;
}

int vg_store_unit_get(struct vg_store *s, const char *name, struct vg_unit *out, struct vg_arena *a,
                      struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s, "SELECT " UNIT_COLS "WHERE u.name = ? AND u.deleted_at IS NULL", err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, name);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_unit(st, out, a);
        sqlite3_reset(st);
        return VG_OK;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the unit");
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOTFOUND, "no unit '%s' (see 'vigil unit list')", name);
}

int vg_store_unit_list(struct vg_store *s, struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s, "SELECT " UNIT_COLS "WHERE u.deleted_at IS NULL ORDER BY u.name", err);
    if (!st)
        return err ? err->code : VG_EDB;
    return vg_sql_rows(s, st, out, sizeof(struct vg_unit), read_unit, "cannot list units", err);
}

int vg_store_unit_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(s, "UPDATE unit SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                          id, "cannot remove the unit", err);
}

int vg_store_unit_usage(struct vg_store *s, int64_t id, struct vg_unit_usage *out,
                        struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "SELECT (SELECT count(*) FROM unit WHERE parent_id = ?1 AND deleted_at IS NULL), "
               "(SELECT count(*) FROM system WHERE unit_id = ?1 AND deleted_at IS NULL), "
               "(SELECT count(*) FROM host WHERE unit_id = ?1 AND deleted_at IS NULL), "
               "(SELECT count(*) FROM contact WHERE unit_id = ?1 AND deleted_at IS NULL), "
               "(SELECT count(*) FROM netblock WHERE unit_id = ?1 AND deleted_at IS NULL)",
               err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return vg_sql_fail(s, err, "cannot count what refers to the unit");
    out->children = sqlite3_column_int64(st, 0);
    out->systems = sqlite3_column_int64(st, 1);
    out->hosts = sqlite3_column_int64(st, 2);
    out->contacts = sqlite3_column_int64(st, 3);
    out->netblocks = sqlite3_column_int64(st, 4);
    sqlite3_reset(st);
    return VG_OK;
}
