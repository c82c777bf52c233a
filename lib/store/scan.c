/*
 * scan.c - malware scans (one record per run, local or imported from a
 * result file), their detections, scan coverage of the inventory, and the
 * quarantine vault's records.
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

int vg_store_scan_add(struct vg_store *s, struct vg_scan_row *r, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "INSERT INTO scan (host_id, hostname, roots, started_at, finished_at, "
               "files, bytes, skipped, errors, detections, rules_version, "
               "feeds_version, import_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
               "?, ?, ?)",
               err);
    int rc;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_id(st, 1, r->host_id);
    vg_bind_text(st, 2, r->hostname);
    vg_bind_text(st, 3, r->roots ? r->roots : "[]");
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->started_at);
    if (r->finished_at)
        sqlite3_bind_int64(st, 5, (sqlite3_int64)r->finished_at);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_int64(st, 6, r->files);
    sqlite3_bind_int64(st, 7, r->bytes);
    sqlite3_bind_int64(st, 8, r->skipped);
    sqlite3_bind_int64(st, 9, r->errors);
    sqlite3_bind_int64(st, 10, r->detections);
    vg_bind_text(st, 11, r->rules_version);
    vg_bind_text(st, 12, r->feeds_version);
    vg_bind_text(st, 13, r->import_sha256);
    if ((rc = vg_sql_exec_stmt(s, st, err, "cannot record the scan")))
        return rc;
    r->id = sqlite3_last_insert_rowid(s->db);
    return VG_OK;
}

int vg_store_scan_finish(struct vg_store *s, const struct vg_scan_row *r, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "UPDATE scan SET finished_at = ?, files = ?, bytes = ?, skipped = ?, "
                              "errors = ?, detections = ? WHERE id = ?",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(r->finished_at ? r->finished_at : time(NULL)));
    sqlite3_bind_int64(st, 2, r->files);
    sqlite3_bind_int64(st, 3, r->bytes);
    sqlite3_bind_int64(st, 4, r->skipped);
    sqlite3_bind_int64(st, 5, r->errors);
    sqlite3_bind_int64(st, 6, r->detections);
    sqlite3_bind_int64(st, 7, r->id);
    return vg_sql_update(s, st, err, "cannot finish the scan record");
}

int vg_store_scan_by_import(struct vg_store *s, const char *sha256, int64_t *id,
                            struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s, "SELECT id FROM scan WHERE import_sha256 = ?", err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_text(st, 1, sha256);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (r == SQLITE_ROW)
        return VG_OK;
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the scans");
    return VG_ENOTFOUND;
}

int vg_store_scan_list(struct vg_store *s, int64_t host_id, int64_t limit, struct vg_rows *out,
                       struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT x.id, coalesce(x.host_id, 0), x.hostname, u.name, x.roots, "
                              "x.started_at, coalesce(x.finished_at, 0), x.files, x.bytes, "
                              "x.skipped, x.errors, x.detections, x.rules_version, "
                              "x.feeds_version, x.import_sha256 FROM scan x "
                              "LEFT JOIN host h ON h.id = x.host_id "
                              "LEFT JOIN unit u ON u.id = h.unit_id "
                              "WHERE (?1 = 0 OR x.host_id = ?1) "
                              "ORDER BY x.started_at DESC, x.id DESC LIMIT ?2",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, host_id);
    sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_scan_row *x = vg_rows_push(out, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        x->id = sqlite3_column_int64(st, 0);
        x->host_id = sqlite3_column_int64(st, 1);
        x->hostname = vg_col_text(st, 2, &out->arena);
        x->unit = vg_col_text(st, 3, &out->arena);
        x->roots = vg_col_text(st, 4, &out->arena);
        x->started_at = (time_t)sqlite3_column_int64(st, 5);
        x->finished_at = (time_t)sqlite3_column_int64(st, 6);
        x->files = sqlite3_column_int64(st, 7);
        x->bytes = sqlite3_column_int64(st, 8);
        x->skipped = sqlite3_column_int64(st, 9);
        x->errors = sqlite3_column_int64(st, 10);
        x->detections = sqlite3_column_int64(st, 11);
        x->rules_version = vg_col_text(st, 12, &out->arena);
        x->feeds_version = vg_col_text(st, 13, &out->arena);
        x->import_sha256 = vg_col_text(st, 14, &out->arena);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list the scans");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_scan_detection_add(struct vg_store *s, struct vg_scan_detection *d,
                                struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "INSERT INTO scan_detection (scan_id, path, sha256, rule, kind, feed, "
               "finding_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
               err);
    int rc;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, d->scan_id);
    vg_bind_text(st, 2, d->path);
    vg_bind_text(st, 3, d->sha256);
    vg_bind_text(st, 4, d->rule);
    vg_bind_text(st, 5, d->kind);
    vg_bind_text(st, 6, d->feed);
    vg_bind_id(st, 7, d->finding_id);
    if ((rc = vg_sql_exec_stmt(s, st, err, "cannot record the detection")))
        return rc;
    d->id = sqlite3_last_insert_rowid(s->db);
    return VG_OK;
}

int vg_store_scan_detection_list(struct vg_store *s, int64_t scan_id, struct vg_rows *out,
                                 struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT id, scan_id, path, sha256, rule, kind, feed, "
                              "coalesce(finding_id, 0) FROM scan_detection WHERE scan_id = ? "
                              "ORDER BY id",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, scan_id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_scan_detection *x = vg_rows_push(out, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        x->id = sqlite3_column_int64(st, 0);
        x->scan_id = sqlite3_column_int64(st, 1);
        x->path = vg_col_text(st, 2, &out->arena);
        x->sha256 = vg_col_text(st, 3, &out->arena);
        x->rule = vg_col_text(st, 4, &out->arena);
        x->kind = vg_col_text(st, 5, &out->arena);
        x->feed = vg_col_text(st, 6, &out->arena);
        x->finding_id = sqlite3_column_int64(st, 7);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list the detections");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_scan_coverage(struct vg_store *s, struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(
        s,
        "WITH cov AS ("
        " SELECT h.id AS host_id, h.hostname AS hostname, u.name AS unit, h.role AS role,"
        "  coalesce((SELECT max(y.level) FROM host_system hs JOIN system y ON y.id = hs.system_id"
        "   AND y.deleted_at IS NULL WHERE hs.host_id = h.id), 0) AS level,"
        "  EXISTS (SELECT 1 FROM finding f WHERE f.kind = 'botnet' AND f.host_id = h.id"
        "   AND f.status IN ('open', 'acknowledged')) AS botnet"
        " FROM host h JOIN unit u ON u.id = h.unit_id WHERE h.deleted_at IS NULL"
        " UNION ALL"
        " SELECT DISTINCT 0, x.hostname, NULL, NULL, 0, 0 FROM scan x WHERE x.host_id IS NULL)"
        "SELECT c.host_id, c.hostname, c.unit, c.role, c.level, c.botnet,"
        " (SELECT count(*) FROM scan x WHERE (c.host_id > 0 AND x.host_id = c.host_id)"
        "   OR (c.host_id = 0 AND x.host_id IS NULL AND x.hostname = c.hostname)),"
        " (SELECT x.id FROM scan x WHERE (c.host_id > 0 AND x.host_id = c.host_id)"
        "   OR (c.host_id = 0 AND x.host_id IS NULL AND x.hostname = c.hostname)"
        "   ORDER BY x.started_at DESC, x.id DESC LIMIT 1) AS last_id"
        " FROM cov c ORDER BY c.botnet DESC, c.level DESC, c.role = 'server' DESC, c.hostname,"
        " c.unit",
        err);
    sqlite3_stmt *one;
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_scan_coverage *x = vg_rows_push(out, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        x->host_id = sqlite3_column_int64(st, 0);
        x->hostname = vg_col_text(st, 1, &out->arena);
        x->unit = vg_col_text(st, 2, &out->arena);
        x->role = vg_col_text(st, 3, &out->arena);
        x->level = sqlite3_column_int(st, 4);
        x->botnet = sqlite3_column_int(st, 5) != 0;
        x->scans = sqlite3_column_int64(st, 6);
        x->last_scan = 0;
        x->last_files = x->last_detections = 0;
        if (sqlite3_column_type(st, 7) == SQLITE_NULL)
            continue;
        one = vg_sql(s, "SELECT started_at, files, detections FROM scan WHERE id = ?", err);
        if (!one) {
            sqlite3_reset(st);
            return err ? err->code : VG_EDB;
        }
        sqlite3_bind_int64(one, 1, sqlite3_column_int64(st, 7));
        if (sqlite3_step(one) == SQLITE_ROW) {
            x->last_scan = (time_t)sqlite3_column_int64(one, 0);
            x->last_files = sqlite3_column_int64(one, 1);
            x->last_detections = sqlite3_column_int64(one, 2);
        }
        sqlite3_reset(one);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the scan coverage");
    sqlite3_reset(st);
    return VG_OK;
}

/* ---- quarantine ------------------------------------------------------------ */

int vg_store_quarantine_add(struct vg_store *s, struct vg_quarantine_row *r, struct vg_error *err)
{
    sqlite3_stmt *st =
        vg_sql(s,
               "INSERT INTO quarantine (host_id, hostname, original_path, uid, gid, "
               "owner, grp, mode, size, atime_ns, mtime_ns, sha256, detection, "
               "vault_name, quarantined_at, finding_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
               "?, ?, ?, ?, ?, ?, ?, ?, ?)",
               err);
    int rc;
    if (!st)
        return err ? err->code : VG_EDB;
    if (!r->quarantined_at)
        r->quarantined_at = time(NULL);
    vg_bind_id(st, 1, r->host_id);
    vg_bind_text(st, 2, r->hostname);
    vg_bind_text(st, 3, r->original_path);
    sqlite3_bind_int64(st, 4, r->uid);
    sqlite3_bind_int64(st, 5, r->gid);
    vg_bind_text(st, 6, r->owner);
    vg_bind_text(st, 7, r->group);
    sqlite3_bind_int64(st, 8, r->mode);
    sqlite3_bind_int64(st, 9, r->size);
    sqlite3_bind_int64(st, 10, r->atime_ns);
    sqlite3_bind_int64(st, 11, r->mtime_ns);
    vg_bind_text(st, 12, r->sha256);
    vg_bind_text(st, 13, r->detection);
    vg_bind_text(st, 14, r->vault_name);
    sqlite3_bind_int64(st, 15, (sqlite3_int64)r->quarantined_at);
    vg_bind_id(st, 16, r->finding_id);
    if ((rc = vg_sql_exec_stmt(s, st, err, "cannot record the quarantine entry")))
        return rc;
    r->id = sqlite3_last_insert_rowid(s->db);
    return VG_OK;
}

#define Q_COLS                                                                                     \
    "SELECT id, coalesce(host_id, 0), hostname, original_path, uid, gid, owner, grp, mode, size, " \
    "atime_ns, mtime_ns, sha256, detection, vault_name, quarantined_at, "                          \
    "coalesce(restored_at, 0), restored_to, coalesce(purged_at, 0), coalesce(finding_id, 0) "      \
    "FROM quarantine "

static int q_rows(struct vg_store *s, sqlite3_stmt *st, struct vg_rows *out, struct vg_error *err)
{
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_quarantine_row *x = vg_rows_push(out, sizeof *x);
        if (!x) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        x->id = sqlite3_column_int64(st, 0);
        x->host_id = sqlite3_column_int64(st, 1);
        x->hostname = vg_col_text(st, 2, &out->arena);
        x->original_path = vg_col_text(st, 3, &out->arena);
        x->uid = sqlite3_column_int64(st, 4);
        x->gid = sqlite3_column_int64(st, 5);
        x->owner = vg_col_text(st, 6, &out->arena);
        x->group = vg_col_text(st, 7, &out->arena);
        x->mode = sqlite3_column_int64(st, 8);
        x->size = sqlite3_column_int64(st, 9);
        x->atime_ns = sqlite3_column_int64(st, 10);
        x->mtime_ns = sqlite3_column_int64(st, 11);
        x->sha256 = vg_col_text(st, 12, &out->arena);
        x->detection = vg_col_text(st, 13, &out->arena);
        x->vault_name = vg_col_text(st, 14, &out->arena);
        x->quarantined_at = (time_t)sqlite3_column_int64(st, 15);
        x->restored_at = (time_t)sqlite3_column_int64(st, 16);
        x->restored_to = vg_col_text(st, 17, &out->arena);
        x->purged_at = (time_t)sqlite3_column_int64(st, 18);
        x->finding_id = sqlite3_column_int64(st, 19);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot read the quarantine");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_quarantine_get(struct vg_store *s, int64_t id, struct vg_rows *out,
                            struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s, Q_COLS "WHERE id = ?", err);
    size_t before = out->n;
    int rc;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = q_rows(s, st, out, err)))
        return rc;
    if (out->n == before)
        return vg_error_set(err, VG_ENOTFOUND, "no quarantine entry %lld ('vigil quarantine list')",
                            (long long)id);
    return VG_OK;
}

int vg_store_quarantine_list(struct vg_store *s, struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s, Q_COLS "ORDER BY quarantined_at DESC, id DESC", err);
    if (!st)
        return err ? err->code : VG_EDB;
    return q_rows(s, st, out, err);
}

int vg_store_quarantine_restored(struct vg_store *s, int64_t id, const char *to, time_t at,
                                 struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "UPDATE quarantine SET restored_at = ?, restored_to = ? WHERE id = ? "
                              "AND restored_at IS NULL AND purged_at IS NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
    vg_bind_text(st, 2, to);
    sqlite3_bind_int64(st, 3, id);
    return vg_sql_update(s, st, err, "cannot mark the entry restored");
}

int vg_store_quarantine_purged(struct vg_store *s, int64_t id, time_t at, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "UPDATE quarantine SET purged_at = ? WHERE id = ? AND purged_at IS "
                              "NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)at);
    sqlite3_bind_int64(st, 2, id);
    return vg_sql_update(s, st, err, "cannot mark the entry purged");
}

int vg_store_quarantine_bytes(struct vg_store *s, int64_t *bytes, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT coalesce(sum(size), 0) FROM quarantine WHERE purged_at IS "
                              "NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        int rc = vg_sql_fail(s, err, "cannot read the quarantine");
        sqlite3_reset(st);
        return rc;
    }
    *bytes = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return VG_OK;
}
