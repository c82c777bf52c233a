/*
 * scan_cache.c - the incremental scan cache: a small SQLite file of its own
 * (one per machine that scans, in the store's folder), mapping a file's
 * (device, inode) to the size, times and rules/feeds version at which it was
 * last found clean. It is a cache: when it cannot be read it is rebuilt.
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct vg_scan_cache {
    sqlite3 *db;
};

static int fail(sqlite3 *db, struct vg_error *err, const char *what, const char *path)
{
    return vg_error_set(err, VG_EDB, "%s '%s': %s", what, path, db ? sqlite3_errmsg(db) : "?");
}

int vg_scan_cache_open(const char *path, struct vg_scan_cache **out, struct vg_error *err)
{
    struct vg_scan_cache *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    if (sqlite3_open_v2(path, &c->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(c->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                     "CREATE TABLE IF NOT EXISTS clean (dev INTEGER NOT NULL, ino INTEGER NOT "
                     "NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER "
                     "NOT NULL, version TEXT NOT NULL, PRIMARY KEY (dev, ino)) WITHOUT ROWID",
                     NULL, NULL, NULL) != SQLITE_OK) {
        int rc = fail(c->db, err, "cannot open the scan cache", path);
        vg_scan_cache_close(c);
        return rc;
    }
    sqlite3_busy_timeout(c->db, 10000);
    *out = c;
    return VG_OK;
}

void vg_scan_cache_close(struct vg_scan_cache *c)
{
    if (!c)
        return;
    sqlite3_close(c->db);
    free(c);
}

int vg_scan_cache_load(struct vg_scan_cache *c, const char *version,
                       int (*fn)(void *ctx, const struct vg_cache_entry *e), void *ctx,
                       struct vg_error *err)
{
    sqlite3_stmt *st;
    int r, rc = VG_OK;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT dev, ino, size, mtime_ns, ctime_ns FROM clean WHERE version = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(c->db, err, "cannot read the scan cache", sqlite3_db_filename(c->db, NULL));
    sqlite3_bind_text(st, 1, version, -1, SQLITE_STATIC);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_cache_entry e;
        e.dev = (uint64_t)sqlite3_column_int64(st, 0);
        e.ino = (uint64_t)sqlite3_column_int64(st, 1);
        e.size = sqlite3_column_int64(st, 2);
        e.mtime_ns = sqlite3_column_int64(st, 3);
        e.ctime_ns = sqlite3_column_int64(st, 4);
        if ((rc = fn(ctx, &e)))
            break;
    }
    if (!rc && r != SQLITE_DONE)
        rc = fail(c->db, err, "cannot read the scan cache", sqlite3_db_filename(c->db, NULL));
    sqlite3_finalize(st);
    return rc;
}

int vg_scan_cache_put(struct vg_scan_cache *c, const char *version, const struct vg_cache_entry *e,
                      size_t n, struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = VG_OK;
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db,
                           "INSERT OR REPLACE INTO clean (dev, ino, size, mtime_ns, ctime_ns, "
                           "version) VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = fail(c->db, err, "cannot write the scan cache", sqlite3_db_filename(c->db, NULL));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)e[i].dev);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)e[i].ino);
        sqlite3_bind_int64(st, 3, e[i].size);
        sqlite3_bind_int64(st, 4, e[i].mtime_ns);
        sqlite3_bind_int64(st, 5, e[i].ctime_ns);
        sqlite3_bind_text(st, 6, version, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = fail(c->db, err, "cannot write the scan cache", sqlite3_db_filename(c->db, NULL));
            goto out;
        }
        sqlite3_reset(st);
    }
    if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(c->db, err, "cannot write the scan cache", sqlite3_db_filename(c->db, NULL));
out:
    sqlite3_finalize(st);
    if (rc)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
