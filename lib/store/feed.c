/*
 * feed.c - threat-intel feed sources, their versions, the files that went
 * into each version, and the indicators.
 */
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#include "core/banned.h"

/* A source with its current (newest) version, if any. */
#define SOURCE_COLS                                                                                \
    "s.id, s.name, s.kind, s.format, s.csv_map, s.created_at, coalesce(f.id, 0), "                 \
    "coalesce(f.issued_at, 0), coalesce(f.imported_at, 0), coalesce(f.indicators, 0), "            \
    "coalesce(f.ignored, 0), (SELECT count(*) FROM feed v WHERE v.source_id = s.id) "              \
    "FROM feed_source s LEFT JOIN feed f ON f.id = (SELECT v.id FROM feed v WHERE "                \
    "v.source_id = s.id ORDER BY v.imported_at DESC, v.id DESC LIMIT 1) "

static void read_source(sqlite3_stmt *st, void *item, struct vg_arena *a)
{
    struct vg_feed_source *f = item;
    f->id = sqlite3_column_int64(st, 0);
    f->name = vg_col_text(st, 1, a);
    f->kind = vg_col_text(st, 2, a);
    f->format = vg_col_text(st, 3, a);
    f->csv_map = vg_col_text(st, 4, a);
    f->created_at = (time_t)sqlite3_column_int64(st, 5);
    f->current = sqlite3_column_int64(st, 6);
    f->issued_at = (time_t)sqlite3_column_int64(st, 7);
    f->imported_at = (time_t)sqlite3_column_int64(st, 8);
    f->indicators = sqlite3_column_int64(st, 9);
    f->ignored = sqlite3_column_int64(st, 10);
    f->versions = sqlite3_column_int64(st, 11);
}

int vg_store_feed_source_add(struct vg_store *s, struct vg_feed_source *src, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "INSERT INTO feed_source (name, kind, format, csv_map, created_at) "
                              "VALUES (?, ?, ?, ?, ?)",
                              err);
    int rc;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, src->name);
    vg_bind_text(st, 2, src->kind);
    vg_bind_text(st, 3, src->format);
    vg_bind_text(st, 4, src->csv_map);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    rc = vg_sql_exec_stmt(s, st, err, "cannot add the feed source");
    if (rc == VG_EEXIST)
        return vg_error_set(err, rc, "feed source '%s' already exists", src->name);
    if (rc == VG_OK)
        src->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int vg_store_feed_source_update(struct vg_store *s, const struct vg_feed_source *src,
                                struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(
        s, "UPDATE feed_source SET format = ?, csv_map = ? WHERE id = ? AND deleted_at IS NULL",
        err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, src->format);
    vg_bind_text(st, 2, src->csv_map);
    sqlite3_bind_int64(st, 3, src->id);
    return vg_sql_update(s, st, err, "cannot update the feed source");
}

int vg_store_feed_source_get(struct vg_store *s, const char *name, struct vg_feed_source *out,
                             struct vg_arena *a, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s, "SELECT " SOURCE_COLS "WHERE s.name = ? AND s.deleted_at IS NULL", err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, name);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        read_source(st, out, a);
        sqlite3_reset(st);
        return VG_OK;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the feed source");
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOTFOUND, "no feed source '%s' (see 'vigil feed list')", name);
}

int vg_store_feed_source_list(struct vg_store *s, struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s, "SELECT " SOURCE_COLS "WHERE s.deleted_at IS NULL ORDER BY s.name", err);
    if (!st)
        return err ? err->code : VG_EDB;
    return vg_sql_rows(s, st, out, sizeof(struct vg_feed_source), read_source,
                       "cannot list feed sources", err);
}

int vg_store_feed_source_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(
        s, "UPDATE feed_source SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", id,
        "cannot remove the feed source", err);
}

int vg_store_feed_version_add(struct vg_store *s, struct vg_feed_version *v, struct vg_error *err)
{
    bool own;
    int rc = vg_wtx_begin(s, &own, err);
    sqlite3_stmt *st;
    if (rc)
        return rc;
    v->imported_at = time(NULL);
    st = vg_sql(s,
                "INSERT INTO feed (source_id, issued_at, imported_at, format, sha256, file, "
                "indicators, ignored) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                err);
    if (!st) {
        rc = err ? err->code : VG_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, v->source_id);
    if (v->issued_at)
        sqlite3_bind_int64(st, 2, (sqlite3_int64)v->issued_at);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)v->imported_at);
    vg_bind_text(st, 4, v->format);
    vg_bind_text(st, 5, v->sha256);
    vg_bind_text(st, 6, v->file);
    sqlite3_bind_int64(st, 7, v->indicators);
    sqlite3_bind_int64(st, 8, v->ignored);
    if ((rc = vg_sql_exec_stmt(s, st, err, "cannot add the feed version")))
        goto out;
    v->id = sqlite3_last_insert_rowid(s->db);
    rc = vg_store_feed_file_add(s, v->id, v->sha256, v->file, err);
out:
    return vg_wtx_end(s, own, rc, err);
}

int vg_store_feed_version_count(struct vg_store *s, int64_t id, int64_t indicators, int64_t ignored,
                                struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(
        s, "UPDATE feed SET indicators = indicators + ?, ignored = ignored + ? WHERE id = ?", err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, indicators);
    sqlite3_bind_int64(st, 2, ignored);
    sqlite3_bind_int64(st, 3, id);
    return vg_sql_update(s, st, err, "cannot count the feed version's indicators");
}

int vg_store_feed_version_list(struct vg_store *s, int64_t source_id, struct vg_rows *out,
                               struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT id, source_id, coalesce(issued_at, 0), imported_at, format, "
                              "sha256, file, indicators, ignored FROM feed WHERE source_id = ? "
                              "ORDER BY imported_at DESC, id DESC",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, source_id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_feed_version *v = vg_rows_push(out, sizeof *v);
        if (!v) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        v->id = sqlite3_column_int64(st, 0);
        v->source_id = sqlite3_column_int64(st, 1);
        v->issued_at = (time_t)sqlite3_column_int64(st, 2);
        v->imported_at = (time_t)sqlite3_column_int64(st, 3);
        v->format = vg_col_text(st, 4, &out->arena);
        v->sha256 = vg_col_text(st, 5, &out->arena);
        v->file = vg_col_text(st, 6, &out->arena);
        v->indicators = sqlite3_column_int64(st, 7);
        v->ignored = sqlite3_column_int64(st, 8);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list feed versions");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_feed_file_add(struct vg_store *s, int64_t id, const char *sha256, const char *file,
                           struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "INSERT OR IGNORE INTO feed_file (feed_id, sha256, file, imported_at) "
               "VALUES (?, ?, ?, ?)",
               err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, id);
    vg_bind_text(st, 2, sha256);
    vg_bind_text(st, 3, file);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
    return vg_sql_exec_stmt(s, st, err, "cannot record the feed file");
}

int vg_store_feed_file_find(struct vg_store *s, int64_t source_id, const char *sha256,
                            int64_t *version, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT f.id FROM feed_file ff JOIN feed f ON f.id = ff.feed_id "
                              "WHERE f.source_id = ? AND ff.sha256 = ? ORDER BY f.id DESC LIMIT 1",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, source_id);
    vg_bind_text(st, 2, sha256);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return VG_OK;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot look the feed file up");
    sqlite3_reset(st);
    return vg_error_set(err, VG_ENOTFOUND, "no such feed file");
}

int vg_store_ioc_add(struct vg_store *s, const struct vg_ioc_row *r, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "INSERT INTO indicator (feed_id, type, value, family, category, "
                              "score, port, size, first_seen, last_seen, comment, line, ignored) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, r->feed_id);
    vg_bind_text(st, 2, r->type);
    vg_bind_text(st, 3, r->value);
    vg_bind_text(st, 4, r->family);
    vg_bind_text(st, 5, r->category);
    sqlite3_bind_int(st, 6, r->score);
    sqlite3_bind_int(st, 7, r->port);
    sqlite3_bind_int64(st, 8, r->size);
    if (r->first_seen)
        sqlite3_bind_int64(st, 9, (sqlite3_int64)r->first_seen);
    if (r->last_seen)
        sqlite3_bind_int64(st, 10, (sqlite3_int64)r->last_seen);
    vg_bind_text(st, 11, r->comment);
    sqlite3_bind_int64(st, 12, r->line);
    sqlite3_bind_int(st, 13, r->ignored);
    return vg_sql_exec_stmt(s, st, err, "cannot add the indicator");
}

int vg_store_ioc_list(struct vg_store *s, int64_t feed_id, struct vg_rows *out,
                      struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT id, feed_id, type, value, family, category, comment, score, "
                              "port, size, coalesce(first_seen, 0), coalesce(last_seen, 0), line, "
                              "ignored FROM indicator WHERE feed_id = ? ORDER BY type, value, id",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, feed_id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_ioc_row *x = vg_rows_push(out, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        x->id = sqlite3_column_int64(st, 0);
        x->feed_id = sqlite3_column_int64(st, 1);
        x->type = vg_col_text(st, 2, &out->arena);
        x->value = vg_col_text(st, 3, &out->arena);
        x->family = vg_col_text(st, 4, &out->arena);
        x->category = vg_col_text(st, 5, &out->arena);
        x->comment = vg_col_text(st, 6, &out->arena);
        x->score = sqlite3_column_int(st, 7);
        x->port = sqlite3_column_int(st, 8);
        x->size = sqlite3_column_int64(st, 9);
        x->first_seen = (time_t)sqlite3_column_int64(st, 10);
        x->last_seen = (time_t)sqlite3_column_int64(st, 11);
        x->line = sqlite3_column_int64(st, 12);
        x->ignored = sqlite3_column_int(st, 13) != 0;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list indicators");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_ioc_current(struct vg_store *s, const char *type,
                         int (*fn)(void *ctx, const struct vg_ioc_row *r, const char *source,
                                   const char *kind, time_t issued),
                         void *ctx, struct vg_error *err)
{
    /* The current versions first (a few rows), then each one's indicators through
     * the (feed_id, type, value) index: no sort, few columns. */
    struct cur {
        int64_t feed_id;
        char *name, *kind;
        time_t issued;
    } *v = NULL;
    size_t n = 0, cap = 0;
    int r, rc = VG_OK;
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT f.id, s.name, s.kind, coalesce(f.issued_at, f.imported_at) "
                              "FROM feed_source s JOIN feed f ON f.id = (SELECT v.id FROM feed v "
                              "WHERE v.source_id = s.id ORDER BY v.imported_at DESC, v.id DESC "
                              "LIMIT 1) WHERE s.deleted_at IS NULL ORDER BY s.name",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct cur *nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = VG_ENOMEM;
                break;
            }
            v = nv;
            cap = ncap;
        }
        v[n].feed_id = sqlite3_column_int64(st, 0);
        v[n].name = vg_strdup((const char *)sqlite3_column_text(st, 1));
        v[n].kind = vg_strdup((const char *)sqlite3_column_text(st, 2));
        v[n].issued = (time_t)sqlite3_column_int64(st, 3);
        n++;
        if (!v[n - 1].name || !v[n - 1].kind) {
            rc = VG_ENOMEM;
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = vg_sql_fail(s, err, "cannot read the current feeds");
    sqlite3_reset(st);
    if (rc == VG_ENOMEM)
        vg_error_set(err, rc, "out of memory");
    st = rc ? NULL
            : vg_sql(s,
                     "SELECT value, family, size, coalesce(first_seen, 0), coalesce(last_seen, 0) "
                     "FROM indicator INDEXED BY indicator_feed WHERE feed_id = ? AND type = ? "
                     "AND ignored = 0 ORDER BY value",
                     err);
    if (!rc && !st)
        rc = err ? err->code : VG_EDB;
    for (size_t k = 0; rc == VG_OK && k < n; k++) {
        sqlite3_bind_int64(st, 1, v[k].feed_id);
        vg_bind_text(st, 2, type);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            struct vg_ioc_row x = {0};
            x.feed_id = v[k].feed_id;
            x.type = type;
            x.value = (const char *)sqlite3_column_text(st, 0);
            x.family = (const char *)sqlite3_column_text(st, 1);
            x.size = sqlite3_column_int64(st, 2);
            x.first_seen = (time_t)sqlite3_column_int64(st, 3);
            x.last_seen = (time_t)sqlite3_column_int64(st, 4);
            if ((rc = fn(ctx, &x, v[k].name, v[k].kind, v[k].issued)))
                break;
        }
        if (!rc && r != SQLITE_DONE)
            rc = vg_sql_fail(s, err, "cannot read the current indicators");
        sqlite3_reset(st);
    }
    for (size_t k = 0; k < n; k++) {
        free(v[k].name);
        free(v[k].kind);
    }
    free(v);
    return rc;
}
