/*
 * contact.c - contacts (people and hotlines, with an escalation order) and
 * the duty roster.
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

#define CONTACT_COLS                                                                               \
    "c.id, c.name, c.unit_id, u.name, c.role, c.phone, c.email, c.escalation, c.note, "            \
    "c.created_at, c.updated_at FROM contact c LEFT JOIN unit u ON u.id = c.unit_id "

static void read_contact(sqlite3_stmt *st, void *item, struct vg_arena *a)
{
    struct vg_contact *c = item;
    c->id = sqlite3_column_int64(st, 0);
    c->name = vg_col_text(st, 1, a);
    c->unit_id = sqlite3_column_int64(st, 2);
    c->unit = vg_col_text(st, 3, a);
    c->role = vg_col_text(st, 4, a);
    c->phone = vg_col_text(st, 5, a);
    c->email = vg_col_text(st, 6, a);
    c->escalation = sqlite3_column_int(st, 7);
    c->note = vg_col_text(st, 8, a);
    c->created_at = (time_t)sqlite3_column_int64(st, 9);
    c->updated_at = (time_t)sqlite3_column_int64(st, 10);
}

static void bind_contact(sqlite3_stmt *st, const struct vg_contact *c)
{
    vg_bind_text(st, 1, c->name);
    vg_bind_id(st, 2, c->unit_id);
    vg_bind_text(st, 3, c->role);
    vg_bind_text(st, 4, c->phone);
    vg_bind_text(st, 5, c->email);
    sqlite3_bind_int(st, 6, c->escalation);
    vg_bind_text(st, 7, c->note);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
}

int vg_store_contact_add(struct vg_store *s, struct vg_contact *c, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "INSERT INTO contact (name, unit_id, role, phone, email, "
                              "escalation, note, created_at, updated_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    bind_contact(st, c);
    int rc = vg_sql_exec_stmt(s, st, err, "cannot add the contact");
    if (rc == VG_EEXIST)
        return vg_error_set(err, rc, "contact '%s' already exists", c->name);
    if (rc == VG_OK)
        c->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int vg_store_contact_update(struct vg_store *s, const struct vg_contact *c, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "UPDATE contact SET name = ?1, unit_id = ?2, role = ?3, phone = ?4, "
                              "email = ?5, escalation = ?6, note = ?7, updated_at = ?8 "
                              "WHERE id = ?9 AND deleted_at IS NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    bind_contact(st, c);
    sqlite3_bind_int64(st, 9, c->id);
    return vg_sql_update(s, st, err, "cannot update the contact");
}

int vg_store_contact_get(struct vg_store *s, const char *name, struct vg_contact *out,
                         struct vg_arena *a, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s, "SELECT " CONTACT_COLS "WHERE c.name = ? AND c.deleted_at IS NULL", err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, name);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_contact(st, out, a);
        sqlite3_reset(st);
        return VG_OK;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the contact");
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOTFOUND, "no contact '%s' (see 'vigil contact list')", name);
}

int vg_store_contact_list(struct vg_store *s, const struct vg_contact_filter *f,
                          struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT " CONTACT_COLS
                              "WHERE c.deleted_at IS NULL AND (?1 IS NULL OR c.unit_id = ?1) "
                              "AND (?2 = 0 OR c.escalation > 0) "
                              "ORDER BY c.escalation = 0, c.escalation, c.name",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_id(st, 1, f ? f->unit_id : 0);
    sqlite3_bind_int(st, 2, f && f->escalation_only);
    return vg_sql_rows(s, st, out, sizeof(struct vg_contact), read_contact, "cannot list contacts",
                       err);
}

int vg_store_contact_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(s,
                          "UPDATE contact SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                          id, "cannot remove the contact", err);
}

int vg_store_duty_add(struct vg_store *s, struct vg_duty *d, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "INSERT INTO duty (contact_id, starts_at, ends_at, note, created_at) "
                              "VALUES (?, ?, ?, ?, ?)",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, d->contact_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)d->starts_at);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)d->ends_at);
    vg_bind_text(st, 4, d->note);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    int rc = vg_sql_exec_stmt(s, st, err, "cannot add the duty shift");
    if (rc == VG_OK)
        d->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int vg_store_duty_update(struct vg_store *s, const struct vg_duty *d, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s, "UPDATE duty SET note = ? WHERE id = ? AND deleted_at IS NULL", err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, d->note);
    sqlite3_bind_int64(st, 2, d->id);
    return vg_sql_update(s, st, err, "cannot update the duty shift");
}

int vg_store_duty_list(struct vg_store *s, time_t from, time_t to, struct vg_rows *out,
                       struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT d.id, d.contact_id, c.name, c.phone, c.role, u.name, "
                              "d.starts_at, d.ends_at, d.note FROM duty d "
                              "JOIN contact c ON c.id = d.contact_id "
                              "LEFT JOIN unit u ON u.id = c.unit_id "
                              "WHERE d.deleted_at IS NULL AND c.deleted_at IS NULL "
                              "AND d.ends_at > ?1 "
                              "AND (?2 = 0 OR d.starts_at < ?2) "
                              "ORDER BY d.starts_at, c.escalation = 0, c.escalation, c.name",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_duty *d = vg_rows_push(out, sizeof *d);
        if (!d) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        d->id = sqlite3_column_int64(st, 0);
        d->contact_id = sqlite3_column_int64(st, 1);
        d->contact = vg_col_text(st, 2, &out->arena);
        d->phone = vg_col_text(st, 3, &out->arena);
        d->role = vg_col_text(st, 4, &out->arena);
        d->unit = vg_col_text(st, 5, &out->arena);
        d->starts_at = (time_t)sqlite3_column_int64(st, 6);
        d->ends_at = (time_t)sqlite3_column_int64(st, 7);
        d->note = vg_col_text(st, 8, &out->arena);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list duty shifts");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_duty_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(s, "UPDATE duty SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                          id, "cannot remove the duty shift", err);
}
