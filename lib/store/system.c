/*
 * system.c - information systems (hệ thống thông tin) with their security
 * level (cấp độ 1-5).
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

#define SYSTEM_COLS                                                                                \
    "s.id, s.unit_id, u.name, s.name, s.level, s.description, "                                    \
    "(SELECT count(*) FROM host_system hs JOIN host h ON h.id = hs.host_id "                       \
    " AND h.deleted_at IS NULL WHERE hs.system_id = s.id), s.created_at, s.updated_at "            \
    "FROM system s JOIN unit u ON u.id = s.unit_id "

static void read_system(sqlite3_stmt *st, void *item, struct vg_arena *a)
{
    struct vg_system *y = item;
    y->id = sqlite3_column_int64(st, 0);
    y->unit_id = sqlite3_column_int64(st, 1);
    y->unit = vg_col_text(st, 2, a);
    y->name = vg_col_text(st, 3, a);
    y->level = sqlite3_column_int(st, 4);
    y->description = vg_col_text(st, 5, a);
    y->hosts = sqlite3_column_int64(st, 6);
    y->created_at = (time_t)sqlite3_column_int64(st, 7);
    y->updated_at = (time_t)sqlite3_column_int64(st, 8);
}

int vg_store_system_add(struct vg_store *s, struct vg_system *y, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "INSERT INTO system (unit_id, name, level, description, created_at, "
                              "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, y->unit_id);
    vg_bind_text(st, 2, y->name);
    sqlite3_bind_int(st, 3, y->level);
    vg_bind_text(st, 4, y->description);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    int rc = vg_sql_exec_stmt(s, st, err, "cannot add the system");
    if (rc == VG_EEXIST)
        return vg_error_set(err, rc, "system '%s' already exists in that unit", y->name);
    if (rc == VG_OK)
        y->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int vg_store_system_update(struct vg_store *s, const struct vg_system *y, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "UPDATE system SET name = ?1, level = ?2, description = ?3, "
                              "updated_at = ?4 WHERE id = ?5 AND deleted_at IS NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, y->name);
    sqlite3_bind_int(st, 2, y->level);
    vg_bind_text(st, 3, y->description);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    sqlite3_bind_int64(st, 5, y->id);
    return vg_sql_update(s, st, err, "cannot update the system");
}

int vg_store_system_get(struct vg_store *s, int64_t unit_id, const char *name,
                        struct vg_system *out, struct vg_arena *a, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(
        s, "SELECT " SYSTEM_COLS "WHERE s.unit_id = ? AND s.name = ? AND s.deleted_at IS NULL",
        err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, unit_id);
    vg_bind_text(st, 2, name);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_system(st, out, a);
        sqlite3_reset(st);
        return VG_OK;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the system");
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOTFOUND, "no system '%s' in that unit (see 'vigil system list')",
                        name);
}

int vg_store_system_list(struct vg_store *s, const struct vg_system_filter *f, struct vg_rows *out,
                         struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT " SYSTEM_COLS
                              "WHERE s.deleted_at IS NULL AND (?1 IS NULL OR s.unit_id = ?1) "
                              "AND s.level >= ?2 ORDER BY s.level DESC, u.name, s.name",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_id(st, 1, f ? f->unit_id : 0);
    sqlite3_bind_int(st, 2, f ? f->min_level : 0);
    return vg_sql_rows(s, st, out, sizeof(struct vg_system), read_system, "cannot list systems",
                       err);
}

int vg_store_system_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(s, "UPDATE system SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                          id, "cannot remove the system", err);
}
