/*
 * store.c - SQLite backend: opening, migrations, the statement cache,
 * transactions and the helpers shared by the other store files.
 */
#include "store/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/str.h"
#include "store/migrations.h"
#include "core/banned.h"

#define BUSY_TIMEOUT_MS 10000

void vg_rows_init(struct vg_rows *r)
{
    r->v = NULL;
    r->n = 0;
    r->cap = 0;
    vg_arena_init(&r->arena);
}

void vg_rows_release(struct vg_rows *r)
{
    free(r->v);
    vg_arena_release(&r->arena);
    vg_rows_init(r);
}

void *vg_rows_push(struct vg_rows *r, size_t sz)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        void *nv = realloc(r->v, ncap * sz);
        if (!nv)
            return NULL;
        r->v = nv;
        r->cap = ncap;
    }
    void *p = (char *)r->v + r->n * sz;
    memset(p, 0, sz);
    r->n++;
    return p;
}

int vg_sql_fail(struct vg_store *s, struct vg_error *err, const char *what)
{
    int ext = sqlite3_extended_errcode(s->db), code;
    switch (ext & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = VG_EBUSY;
        break;
    case SQLITE_CONSTRAINT:
        code = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ? VG_EEXIST
                                                                                      : VG_EINVAL;
        break;
    case SQLITE_NOMEM:
        code = VG_ENOMEM;
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        code = VG_EPERM;
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
        code = VG_EIO;
        break;
    default:
        code = VG_EDB;
    }
    if (code == VG_EBUSY)
        return vg_error_set(err, code,
                            "%s: the store '%s' is locked by another vigil (%s); try again", what,
                            s->path, sqlite3_errmsg(s->db));
    return vg_error_set(err, code, "%s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *vg_sql(struct vg_store *s, const char *sql, struct vg_error *err)
{
    bool created;
    union vg_map_val *v = vg_map_put(&s->stmts, &sql, sizeof sql, &created);
    sqlite3_stmt *st;
    if (!v) {
        vg_error_set(err, VG_ENOMEM, "out of memory");
        return NULL;
    }
    if (!created && v->p) {
        st = v->p;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        vg_sql_fail(s, err, "cannot prepare a statement");
        v->p = NULL;
        /* Leave the slot empty so a later call retries. */
        return NULL;
    }
    v->p = st;
    return st;
}

int vg_sql_exec_stmt(struct vg_store *s, sqlite3_stmt *st, struct vg_error *err, const char *what)
{
    int r = sqlite3_step(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW) {
        int rc = vg_sql_fail(s, err, what);
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    return VG_OK;
}

int vg_sql_rows(struct vg_store *s, sqlite3_stmt *st, struct vg_rows *out, size_t size,
                void (*read)(sqlite3_stmt *st, void *item, struct vg_arena *a), const char *what,
                struct vg_error *err)
{
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        void *item = vg_rows_push(out, size);
        if (!item) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        read(st, item, &out->arena);
    }
    if (r != SQLITE_DONE) {
        int rc = vg_sql_fail(s, err, what);
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_reset(st);
    return VG_OK;
}

int vg_sql_update(struct vg_store *s, sqlite3_stmt *st, struct vg_error *err, const char *what)
{
    int rc = vg_sql_exec_stmt(s, st, err, what);
    if (rc == VG_OK && sqlite3_changes(s->db) == 0)
        rc = vg_error_set(err, VG_ENOTFOUND, "%s: no such record (was it removed?)", what);
    return rc;
}

int vg_sql_exec(struct vg_store *s, const char *sql, struct vg_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = vg_sql_fail(s, err, "store");
        sqlite3_free(msg);
        return rc;
    }
    return VG_OK;
}

int vg_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int vg_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    return id ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
}

const char *vg_col_text(sqlite3_stmt *st, int i, struct vg_arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    return vg_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int vg_wtx_begin(struct vg_store *s, bool *own, struct vg_error *err)
{
    *own = !s->in_tx;
    return *own ? vg_store_begin(s, err) : VG_OK;
}

int vg_wtx_end(struct vg_store *s, bool own, int rc, struct vg_error *err)
{
    if (!own)
        return rc;
    if (rc) {
        vg_store_rollback(s);
        return rc;
    }
    return vg_store_commit(s, err);
}

int vg_soft_delete(struct vg_store *s, const char *sql, int64_t id, const char *what,
                   struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s, sql, err);
    int rc;
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sqlite3_bind_int64(st, 2, id);
    rc = vg_sql_exec_stmt(s, st, err, what);
    if (rc == VG_OK && sqlite3_changes(s->db) == 0)
        rc = vg_error_set(err, VG_ENOTFOUND, "%s: no such record", what);
    return rc;
}

/* ---- opening --------------------------------------------------------- */

static int mkdirs(const char *path, struct vg_error *err)
{
    char tmp[4096];
    if (vg_strlcpy(tmp, path, sizeof tmp) >= sizeof tmp)
        return vg_error_set(err, VG_EINVAL, "path too long: '%s'", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0770) != 0 && errno != EEXIST)
            return vg_error_set(err, errno == EACCES ? VG_EPERM : VG_EIO,
                                "cannot create folder '%s': %s", tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0770) != 0 && errno != EEXIST)
        return vg_error_set(err, errno == EACCES ? VG_EPERM : VG_EIO,
                            "cannot create folder '%s': %s", tmp, strerror(errno));
    return VG_OK;
}

static int read_version(struct vg_store *s, int *version, struct vg_error *err)
{
    sqlite3_stmt *st;
    int r;
    *version = 0;
    st = vg_sql(s,
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                "'schema_version'",
                err);
    if (!st)
        return err ? err->code : VG_EDB;
    r = sqlite3_step(st);
    if (r != SQLITE_ROW)
        return vg_sql_fail(s, err, "cannot read the schema version");
    if (sqlite3_column_int(st, 0) == 0) {
        sqlite3_reset(st);
        return VG_OK;
    }
    sqlite3_reset(st);
    st = vg_sql(s, "SELECT coalesce(max(version), 0) FROM schema_version", err);
    if (!st)
        return err ? err->code : VG_EDB;
    r = sqlite3_step(st);
    if (r != SQLITE_ROW)
        return vg_sql_fail(s, err, "cannot read the schema version");
    *version = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return VG_OK;
}

static int migrate(struct vg_store *s, struct vg_error *err)
{
    int version, rc;
    if ((rc = read_version(s, &version, err)))
        return rc;
    int latest = vg_store_latest_schema();
    if (version > latest)
        return vg_error_set(err, VG_ESCHEMA,
                            "the store '%s' has schema version %d, newer than this vigil "
                            "understands (%d): upgrade vigil",
                            s->path, version, latest);
    if (version == latest)
        return VG_OK;
    s->created = version == 0;
    for (size_t i = 0; i < vg_nmigrations; i++) {
        const struct vg_migration *m = &vg_migrations[i];
        char detail[256];
        if (m->version <= version)
            continue;
        /* IMMEDIATE: two processes opening a new store at once must not both migrate. */
        if ((rc = vg_sql_exec(s, "BEGIN IMMEDIATE", err)))
            return rc;
        s->in_tx = true;
        int now;
        if ((rc = read_version(s, &now, err)))
            goto fail;
        if (now >= m->version) { /* another process got there first */
            vg_store_rollback(s);
            continue;
        }
        if ((rc = vg_sql_exec(s,
                              "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER "
                              "PRIMARY KEY, applied_at INTEGER NOT NULL, what TEXT NOT NULL)",
                              err)))
            goto fail;
        if ((rc = vg_sql_exec(s, m->sql, err))) {
            vg_error_prefix(err, "migration %d (%s) failed: ", m->version, m->what);
            goto fail;
        }
        sqlite3_stmt *st = vg_sql(
            s, "INSERT INTO schema_version (version, applied_at, what) VALUES (?, ?, ?)", err);
        if (!st) {
            rc = err ? err->code : VG_EDB;
            goto fail;
        }
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(st, 3, m->what, -1, SQLITE_STATIC);
        if ((rc = vg_sql_exec_stmt(s, st, err, "cannot record the schema version")))
            goto fail;
        snprintf(detail, sizeof detail, "{\"version\":%d}", m->version);
        if ((rc = vg_store_audit(s, "store.migrate", "store", detail, err)))
            goto fail;
        if ((rc = vg_store_commit(s, err)))
            return rc;
        vg_debug("store: applied migration %d (%s)", m->version, m->what);
    }
    return VG_OK;
fail:
    vg_store_rollback(s);
    return rc;
}

int vg_store_open(const char *path, int flags, const char *actor, struct vg_store **out,
                  struct vg_error *err)
{
    struct vg_store *s;
    int rc, oflags;
    bool memory = strcmp(path, ":memory:") == 0;
    struct stat st;
    *out = NULL;
    if (!memory && stat(path, &st) != 0) {
        if (errno != ENOENT)
            return vg_error_set(err, errno == EACCES ? VG_EPERM : VG_EIO,
                                "cannot open the store '%s': %s", path, strerror(errno));
        if (!(flags & VG_STORE_CREATE))
            return vg_error_set(err, VG_ENOTFOUND,
                                "no store at '%s': run 'vigil init' first (or give --db)", path);
        char dir[4096];
        vg_strlcpy(dir, path, sizeof dir);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if ((rc = mkdirs(dir, err)))
                return rc;
        }
    } else if (!memory && S_ISDIR(st.st_mode)) {
        return vg_error_set(err, VG_EINVAL, "the store '%s' is a folder, not a file", path);
    }
    s = calloc(1, sizeof *s);
    if (!s)
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    vg_map_init(&s->stmts);
    vg_store_set_actor(s, actor);
    s->path = vg_strdup(path);
    if (!s->path) {
        free(s);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    oflags = (flags & VG_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = vg_error_set(err, VG_EDB, "cannot open the store '%s': %s", path,
                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    /* Is it ours? A file that is not SQLite shows here, before any pragma touches it. */
    if (vg_sql_exec(s, "SELECT count(*) FROM sqlite_master", NULL)) {
        rc = vg_error_set(err, VG_EDB, "cannot open the store '%s': not a vigil store (%s)", path,
                          sqlite3_errmsg(s->db));
        goto fail;
    }
    if ((rc = vg_sql_exec(s, "PRAGMA foreign_keys = ON", err)))
        goto fail;
    if (!(flags & VG_STORE_READONLY) && !memory) {
        if ((rc = vg_sql_exec(s, "PRAGMA journal_mode = WAL", err)))
            goto fail;
    }
    /* NORMAL is durable across a crash of vigil (WAL); a power cut may lose the
     * last commits but never corrupts. A larger cache and mmap keep bulk reads
     * (imports load the whole inventory) off pread. */
    if ((rc = vg_sql_exec(s,
                          "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; "
                          "PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY",
                          err)))
        goto fail;
    if (flags & VG_STORE_READONLY) {
        int v;
        if ((rc = read_version(s, &v, err)))
            goto fail;
        if (v > vg_store_latest_schema()) {
            rc = vg_error_set(err, VG_ESCHEMA,
                              "the store '%s' has schema version %d, newer than this vigil: "
                              "upgrade vigil",
                              path, v);
            goto fail;
        }
    } else if ((rc = migrate(s, err))) {
        goto fail;
    }
    *out = s;
    return VG_OK;
fail:
    vg_store_close(s);
    return rc;
}

void vg_store_close(struct vg_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        vg_store_rollback(s);
    for (size_t i = 0; i < s->stmts.cap; i++)
        if (s->stmts.ents[i].key)
            sqlite3_finalize(s->stmts.ents[i].val.p);
    vg_map_release(&s->stmts);
    if (s->db)
        sqlite3_close_v2(s->db);
    free(s->path);
    free(s);
}

const char *vg_store_path(const struct vg_store *s)
{
    return s->path;
}

int vg_store_schema_version(struct vg_store *s)
{
    int v = 0;
    read_version(s, &v, NULL);
    return v;
}

int vg_store_latest_schema(void)
{
    return vg_migrations[vg_nmigrations - 1].version;
}

bool vg_store_was_created(const struct vg_store *s)
{
    return s->created;
}

void vg_store_set_actor(struct vg_store *s, const char *actor)
{
    vg_strlcpy(s->actor, actor && *actor ? actor : "unknown", sizeof s->actor);
}

const char *vg_store_actor(const struct vg_store *s)
{
    return s->actor;
}

int vg_store_begin(struct vg_store *s, struct vg_error *err)
{
    int rc;
    if (s->in_tx)
        return vg_error_set(err, VG_EINVAL, "a transaction is already open");
    /* IMMEDIATE takes the write lock now, so a busy store waits here, not mid-way. */
    rc = vg_sql_exec(s, "BEGIN IMMEDIATE", err);
    if (rc == VG_OK)
        s->in_tx = true;
    return rc;
}

int vg_store_commit(struct vg_store *s, struct vg_error *err)
{
    int rc;
    if (!s->in_tx)
        return vg_error_set(err, VG_EINVAL, "no transaction is open");
    rc = vg_sql_exec(s, "COMMIT", err);
    if (rc) {
        vg_store_rollback(s);
        return rc;
    }
    s->in_tx = false;
    return VG_OK;
}

void vg_store_rollback(struct vg_store *s)
{
    if (!s->in_tx)
        return;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
}

bool vg_store_in_tx(const struct vg_store *s)
{
    return s->in_tx;
}

int vg_store_check(struct vg_store *s, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s, "PRAGMA integrity_check", err);
    int r, rc = VG_OK;
    if (!st)
        return err ? err->code : VG_EDB;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") != 0) {
            rc = vg_error_set(err, VG_EDB, "store integrity check: %s", t);
            break;
        }
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = vg_sql_fail(s, err, "store integrity check");
    sqlite3_reset(st);
    if (rc == VG_OK) {
        st = vg_sql(s, "PRAGMA foreign_key_check", err);
        if (!st)
            return err ? err->code : VG_EDB;
        if (sqlite3_step(st) == SQLITE_ROW)
            rc = vg_error_set(err, VG_EDB,
                              "store foreign key check: table %s has a dangling reference",
                              sqlite3_column_text(st, 0));
        sqlite3_reset(st);
    }
    return rc;
}
