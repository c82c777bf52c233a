/*
 * test_store.c - unit tests for lib/store (the SQLite backend): opening and
 * migrating, schema versions, transactions, and every table of the
 * inventory through store.h (units, contacts, duty, netblocks, systems,
 * hosts), address conflicts, counts, the audit table and the integrity check.
 *
 * Stores are ":memory:" unless a test needs a file; files go under
 * $VG_TEST_TMP (ctest sets it) or /tmp, in a directory made with mkdtemp and
 * removed at the end. Where a test must reach under the API (a schema
 * version from the future, audit rows from the past) it opens the file with
 * the sqlite3 API directly while vigil has it closed.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/parse.h"
#include "store/store.h"

#include "test.h"

#include "core/banned.h"

/* ---- temporary files ---------------------------------------------------- */

static char tmp_dir[PATH_MAX];

static const char *tmp_path(void)
{
    if (!tmp_dir[0]) {
        const char *base = getenv("VG_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        if (mkdir(base, 0700) != 0 && errno != EEXIST)
            base = "/tmp";
        snprintf(tmp_dir, sizeof tmp_dir, "%s/test_store.XXXXXX", base);
        if (!mkdtemp(tmp_dir)) {
            fprintf(stderr, "cannot create a temporary directory under %s: %s\n", base,
                    strerror(errno));
            exit(2);
        }
    }
    return tmp_dir;
}

/* The path of name in the temporary directory, in buf[PATH_MAX]. */
static char *tmp_file(char *buf, const char *name)
{
    snprintf(buf, PATH_MAX, "%s/%s", tmp_path(), name);
    return buf;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void tmp_cleanup(void)
{
    if (tmp_dir[0])
        nftw(tmp_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Run sql on the SQLite file at path, behind vigil's back. */
static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    int r = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (r == SQLITE_OK)
        r = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (r != SQLITE_OK)
        fprintf(stderr, "raw_exec(%s): %s\n", path, msg ? msg : sqlite3_errstr(r));
    sqlite3_free(msg);
    sqlite3_close(db);
    return r;
}

/* ---- helpers -------------------------------------------------------------- */

static struct vg_store *open_mem(void)
{
    struct vg_store *s = NULL;
    struct vg_error e = {0};
    int rc = vg_store_open(":memory:", 0, "tester", &s, &e);
    if (!CHECK_EQ_INT(rc, VG_OK) || !s) {
        fprintf(stderr, "cannot open a store in memory: %s\n", e.msg);
        exit(2);
    }
    return s;
}

static struct vg_ip ip(const char *text)
{
    struct vg_ip a;
    memset(&a, 0, sizeof a);
    if (vg_ip_parse(text, strlen(text), &a) != VG_OK) {
        fprintf(stderr, "bad address in a test: %s\n", text);
        exit(2);
    }
    return a;
}

static struct vg_prefix prefix(const char *text)
{
    struct vg_prefix p;
    memset(&p, 0, sizeof p);
    if (vg_prefix_parse(text, strlen(text), VG_PREFIX_STRICT, &p) != VG_OK) {
        fprintf(stderr, "bad prefix in a test: %s\n", text);
        exit(2);
    }
    return p;
}

static int64_t add_unit(struct vg_store *s, const char *name, int64_t parent)
{
    struct vg_unit u = {.name = name, .parent_id = parent};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
    return u.id;
}

static int64_t add_contact(struct vg_store *s, const char *name, int64_t unit, int escalation)
{
    struct vg_contact c = {.name = name, .unit_id = unit, .escalation = escalation};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_store_contact_add(s, &c, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
    return c.id;
}

static int64_t add_system(struct vg_store *s, int64_t unit, const char *name, int level)
{
    struct vg_system y = {.unit_id = unit, .name = name, .level = level};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_store_system_add(s, &y, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
    return y.id;
}

/*
 * Insert a host: addrs is a space-separated list of addresses (a leading '+'
 * marks a public one), systems up to 8 ids ending with 0.
 */
static int64_t add_host(struct vg_store *s, int64_t unit, const char *hostname, const char *role,
                        const char *addrs, const int64_t *systems)
{
    struct vg_host_addr a[8];
    struct vg_host_sys y[8];
    struct vg_host h = {.unit_id = unit, .hostname = hostname, .role = role};
    struct vg_error e = {0};
    char list[256];
    memset(a, 0, sizeof a);
    memset(y, 0, sizeof y);
    snprintf(list, sizeof list, "%s", addrs ? addrs : "");
    for (char *p = list; *p && h.naddrs < 8;) {
        size_t n = strcspn(p, " ");
        bool pub = *p == '+';
        if (n) {
            char one[64];
            snprintf(one, sizeof one, "%.*s", (int)(n - pub), p + pub);
            a[h.naddrs].ip = ip(one);
            a[h.naddrs].public = pub;
            h.naddrs++;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    for (size_t i = 0; systems && systems[i] && i < 8; i++)
        y[h.nsystems++].id = systems[i];
    h.addrs = a;
    h.systems = y;
    if (!CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
    return h.id;
}

/* Audit rows whose action starts with prefix (NULL: all). */
static size_t audit_count(struct vg_store *s, const char *prefix_)
{
    struct vg_audit_filter f = {.action = prefix_};
    struct vg_rows rows;
    size_t n;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_audit_list(s, &f, &rows, NULL), VG_OK);
    n = rows.n;
    vg_rows_release(&rows);
    return n;
}

static size_t unit_count(struct vg_store *s)
{
    struct vg_rows rows;
    size_t n;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_unit_list(s, &rows, NULL), VG_OK);
    n = rows.n;
    vg_rows_release(&rows);
    return n;
}

static bool contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* ---- opening and schema ---------------------------------------------------- */

static void test_open_memory(void)
{
    struct vg_store *s = NULL;
    struct vg_error e = {0};

    CHECK(vg_store_latest_schema() >= 1);
    CHECK_EQ_INT(vg_store_open(":memory:", 0, NULL, &s, &e), VG_OK);
    if (!s)
        return;
    CHECK_EQ_STR(vg_store_path(s), ":memory:");
    CHECK_EQ_INT(vg_store_schema_version(s), vg_store_latest_schema());
    CHECK(vg_store_was_created(s));
    CHECK(!vg_store_in_tx(s));
    /* No actor given: "unknown"; set_actor copies. */
    CHECK_EQ_STR(vg_store_actor(s), "unknown");
    {
        char who[16];
        snprintf(who, sizeof who, "alice");
        vg_store_set_actor(s, who);
        who[0] = 'X';
        CHECK_EQ_STR(vg_store_actor(s), "alice");
    }
    vg_store_set_actor(s, "");
    CHECK_EQ_STR(vg_store_actor(s), "unknown");
    vg_store_set_actor(s, NULL);
    CHECK_EQ_STR(vg_store_actor(s), "unknown");
    /* One migration row per migration, all by the actor given at open. */
    CHECK_EQ_INT(audit_count(s, "store.migrate"), vg_store_latest_schema());
    CHECK_EQ_INT(vg_store_check(s, &e), VG_OK);
    vg_store_close(s);
    vg_store_close(NULL);
}

static void test_open_file(void)
{
    char path[PATH_MAX], dir[PATH_MAX];
    struct vg_store *s = NULL;
    struct vg_error e = {0};
    struct vg_rows rows;
    struct stat st;

    /* VG_STORE_CREATE makes the missing folders too. */
    snprintf(dir, sizeof dir, "%s/nested/deeper", tmp_path());
    snprintf(path, sizeof path, "%s/vigil.db", dir);
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, "installer", &s, &e), VG_OK);
    if (!s) {
        fprintf(stderr, "    %s\n", e.msg);
        return;
    }
    CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat(path, &st) == 0 && S_ISREG(st.st_mode));
    CHECK_EQ_STR(vg_store_path(s), path);
    CHECK(vg_store_was_created(s));
    CHECK_EQ_INT(vg_store_schema_version(s), vg_store_latest_schema());
    CHECK_EQ_INT(audit_count(s, "store.migrate"), vg_store_latest_schema());
    add_unit(s, "so-tttt", 0);
    vg_store_close(s);

    /* Reopening finds the schema current: nothing is migrated again. */
    s = NULL;
    CHECK_EQ_INT(vg_store_open(path, 0, "officer", &s, &e), VG_OK);
    if (!s)
        return;
    CHECK(!vg_store_was_created(s));
    CHECK_EQ_INT(vg_store_schema_version(s), vg_store_latest_schema());
    CHECK_EQ_INT(audit_count(s, "store.migrate"), vg_store_latest_schema());
    CHECK_EQ_INT(unit_count(s), 1);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_audit_list(s, NULL, &rows, &e), VG_OK);
    if (CHECK(rows.n >= 1)) {
        struct vg_audit *a = VG_ROW(&rows, struct vg_audit, rows.n - 1);
        CHECK_EQ_STR(a->action, "store.migrate");
        CHECK_EQ_STR(a->actor, "installer");
        CHECK_EQ_STR(a->object, "store");
    }
    vg_rows_release(&rows);
    /* Creating an existing store is opening it. */
    vg_store_close(s);
    s = NULL;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, "officer", &s, &e), VG_OK);
    CHECK(s && !vg_store_was_created(s));
    CHECK_EQ_INT(audit_count(s, "store.migrate"), vg_store_latest_schema());
    vg_store_close(s);

    /* Read-only: reads work, writes are refused. */
    s = NULL;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_READONLY, "reader", &s, &e), VG_OK);
    if (s) {
        struct vg_unit u = {.name = "new-unit"};
        CHECK_EQ_INT(unit_count(s), 1);
        CHECK(vg_store_unit_add(s, &u, &e) != VG_OK);
        CHECK_EQ_INT(unit_count(s), 1);
        vg_store_close(s);
    }

    /* A folder is not a store. */
    s = (struct vg_store *)&e; /* must be reset to NULL */
    CHECK_EQ_INT(vg_store_open(dir, 0, NULL, &s, &e), VG_EINVAL);
    CHECK(s == NULL);
}

static void test_open_missing(void)
{
    char path[PATH_MAX];
    struct vg_store *s = (struct vg_store *)&path; /* must be reset to NULL */
    struct vg_error e = {0};
    struct stat st;

    tmp_file(path, "missing.db");
    CHECK_EQ_INT(vg_store_open(path, 0, NULL, &s, &e), VG_ENOTFOUND);
    CHECK(s == NULL);
    CHECK_EQ_INT(e.code, VG_ENOTFOUND);
    CHECK(contains(e.msg, "vigil init"));
    CHECK(contains(e.msg, path));
    /* Nothing was created on the way. */
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
    /* Neither is a read-only open of a missing store allowed to create it. */
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_READONLY, NULL, &s, &e), VG_ENOTFOUND);
    CHECK(stat(path, &st) != 0 && errno == ENOENT);
}

static void test_open_newer_schema(void)
{
    char path[PATH_MAX], sql[256];
    struct vg_store *s = NULL;
    struct vg_error e = {0};
    int future = vg_store_latest_schema() + 1;

    tmp_file(path, "future.db");
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, NULL, &s, &e), VG_OK);
    vg_store_close(s);
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_version (version, applied_at, what) VALUES (%d, 0, 'future')",
             future);
    CHECK_EQ_INT(raw_exec(path, sql), SQLITE_OK);

    s = (struct vg_store *)&e;
    CHECK_EQ_INT(vg_store_open(path, 0, NULL, &s, &e), VG_ESCHEMA);
    CHECK(s == NULL);
    CHECK(contains(e.msg, "upgrade vigil"));
    s = (struct vg_store *)&e;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_READONLY, NULL, &s, &e), VG_ESCHEMA);
    CHECK(s == NULL);
    s = (struct vg_store *)&e;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, NULL, &s, &e), VG_ESCHEMA);
    CHECK(s == NULL);
}

static void test_open_garbage(void)
{
    char path[PATH_MAX], junk[8192];
    struct vg_store *s = NULL;
    struct vg_error e = {0};

    /* Text that is long enough to be read as a database header, and is not one. */
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = "this is not a database, it is a spreadsheet export\n"[i % 51];
    tmp_file(path, "garbage.db");
    write_file(path, junk, sizeof junk);
    s = (struct vg_store *)&e;
    CHECK_EQ_INT(vg_store_open(path, 0, NULL, &s, &e), VG_EDB);
    CHECK(s == NULL);
    CHECK_EQ_INT(e.code, VG_EDB);
    CHECK(e.msg[0] != '\0');
    s = (struct vg_store *)&e;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, NULL, &s, &e), VG_EDB);
    CHECK(s == NULL);
    s = (struct vg_store *)&e;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_READONLY, NULL, &s, &e), VG_EDB);
    CHECK(s == NULL);

    /* Random bytes after a real SQLite header are no better. */
    memcpy(junk, "SQLite format 3", 16);
    for (size_t i = 16; i < sizeof junk; i++)
        junk[i] = (char)(i * 131 + 7);
    tmp_file(path, "garbage2.db");
    write_file(path, junk, sizeof junk);
    s = (struct vg_store *)&e;
    CHECK(vg_store_open(path, 0, NULL, &s, &e) != VG_OK);
    CHECK(s == NULL);
}

/* ---- transactions ------------------------------------------------------------ */

static void test_transactions(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_unit u = {.name = "rolled-back"}, got;
    struct vg_arena a;
    size_t audits = audit_count(s, NULL);

    vg_arena_init(&a);
    /* begin, write, rollback: nothing is left. */
    CHECK_EQ_INT(vg_store_begin(s, &e), VG_OK);
    CHECK(vg_store_in_tx(s));
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK);
    CHECK_EQ_INT(vg_store_audit(s, "unit.add", "unit:rolled-back", NULL, &e), VG_OK);
    CHECK_EQ_INT(unit_count(s), 1);
    vg_store_rollback(s);
    CHECK(!vg_store_in_tx(s));
    CHECK_EQ_INT(vg_store_unit_get(s, "rolled-back", &got, &a, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(unit_count(s), 0);
    CHECK_EQ_INT(audit_count(s, NULL), audits);
    /* Rollback outside a transaction does nothing. */
    vg_store_rollback(s);
    CHECK(!vg_store_in_tx(s));

    /* Nesting is an error, and leaves the open transaction as it was. */
    CHECK_EQ_INT(vg_store_begin(s, &e), VG_OK);
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_begin(s, &e), VG_EINVAL);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK(e.msg[0] != '\0');
    CHECK(vg_store_in_tx(s));
    u = (struct vg_unit){.name = "kept"};
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK);
    CHECK_EQ_INT(vg_store_commit(s, &e), VG_OK);
    CHECK(!vg_store_in_tx(s));
    CHECK_EQ_INT(vg_store_unit_get(s, "kept", &got, &a, &e), VG_OK);

    /* Commit without begin is an error. */
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_commit(s, &e), VG_EINVAL);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK(!vg_store_in_tx(s));

    /* A failed write inside a transaction leaves the transaction usable. */
    CHECK_EQ_INT(vg_store_begin(s, &e), VG_OK);
    u = (struct vg_unit){.name = "kept"};
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_EEXIST);
    CHECK(vg_store_in_tx(s));
    u = (struct vg_unit){.name = "second"};
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK);
    CHECK_EQ_INT(vg_store_commit(s, &e), VG_OK);
    CHECK_EQ_INT(unit_count(s), 2);

    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_close_rolls_back(void)
{
    char path[PATH_MAX];
    struct vg_store *s = NULL;
    struct vg_error e = {0};

    tmp_file(path, "close-tx.db");
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, NULL, &s, &e), VG_OK);
    if (!s)
        return;
    add_unit(s, "committed", 0);
    CHECK_EQ_INT(vg_store_begin(s, &e), VG_OK);
    add_unit(s, "uncommitted", 0);
    vg_store_close(s);
    s = NULL;
    CHECK_EQ_INT(vg_store_open(path, 0, NULL, &s, &e), VG_OK);
    if (!s)
        return;
    CHECK_EQ_INT(unit_count(s), 1);
    vg_store_close(s);
}

/* ---- units ---------------------------------------------------------------------- */

static void test_units(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_rows rows;
    struct vg_unit u, got;
    struct vg_unit_usage use;
    time_t t0 = time(NULL);
    int64_t parent, child, other;

    vg_arena_init(&a);
    u = (struct vg_unit){
        .name = "so-tttt", .full_name = "Sở Thông tin và Truyền thông", .note = "tầng 3"};
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK);
    CHECK(u.id > 0);
    parent = u.id;

    /* A live name is unique. */
    u = (struct vg_unit){.name = "so-tttt"};
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_EEXIST);
    CHECK(contains(e.msg, "so-tttt"));

    u = (struct vg_unit){.name = "ttcntt", .full_name = "Trung tâm CNTT", .parent_id = parent};
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK);
    child = u.id;
    CHECK(child != parent);

    /* get */
    CHECK_EQ_INT(vg_store_unit_get(s, "so-tttt", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, parent);
    CHECK_EQ_STR(got.name, "so-tttt");
    CHECK_EQ_STR(got.full_name, "Sở Thông tin và Truyền thông");
    CHECK_EQ_STR(got.note, "tầng 3");
    CHECK_EQ_INT(got.parent_id, 0);
    CHECK(got.parent == NULL);
    CHECK(got.created_at >= t0 && got.created_at <= time(NULL));
    CHECK_EQ_INT(got.updated_at, got.created_at);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.parent_id, parent);
    CHECK_EQ_STR(got.parent, "so-tttt");
    CHECK(got.note == NULL);
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_unit_get(s, "nowhere", &got, &a, &e), VG_ENOTFOUND);
    CHECK(contains(e.msg, "nowhere"));
    /* Names are case-sensitive. */
    CHECK_EQ_INT(vg_store_unit_get(s, "SO-TTTT", &got, &a, NULL), VG_ENOTFOUND);

    /* update: every field, and the parent can be cleared. */
    u = (struct vg_unit){.id = child,
                         .name = "ttcntt",
                         .full_name = "Trung tâm Công nghệ",
                         .parent_id = 0,
                         .note = "đã đổi tên"};
    CHECK_EQ_INT(vg_store_unit_update(s, &u, &e), VG_OK);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.full_name, "Trung tâm Công nghệ");
    CHECK_EQ_STR(got.note, "đã đổi tên");
    CHECK_EQ_INT(got.parent_id, 0);
    CHECK(got.parent == NULL);
    u.parent_id = parent;
    CHECK_EQ_INT(vg_store_unit_update(s, &u, &e), VG_OK);
    /* Renaming onto a live name is refused. */
    u.name = "so-tttt";
    CHECK_EQ_INT(vg_store_unit_update(s, &u, &e), VG_EEXIST);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.parent, "so-tttt");

    /* list: by name. */
    other = add_unit(s, "b-phong", 0);
    add_unit(s, "a-phong", child);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_unit_list(s, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 4)) {
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 0)->name, "a-phong");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 0)->parent, "ttcntt");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 1)->name, "b-phong");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 2)->name, "so-tttt");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 3)->name, "ttcntt");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 3)->full_name, "Trung tâm Công nghệ");
    }
    vg_rows_release(&rows);

    /* usage: what refers to a unit, live rows only. */
    CHECK_EQ_INT(vg_store_unit_usage(s, parent, &use, &e), VG_OK);
    CHECK_EQ_INT(use.children, 1);
    CHECK_EQ_INT(use.systems + use.hosts + use.contacts + use.netblocks, 0);
    {
        int64_t sys = add_system(s, parent, "portal", 3);
        int64_t sys2 = add_system(s, parent, "mail", 2);
        int64_t ids[] = {sys, 0};
        struct vg_netblock nb = {.unit_id = parent, .prefix = prefix("10.1.0.0/16")};
        add_host(s, parent, "web01", "server", "10.1.0.1", ids);
        int64_t gone = add_host(s, parent, "web02", "server", NULL, NULL);
        add_contact(s, "Nguyễn Văn A", parent, 1);
        add_contact(s, "Trần Thị B", parent, 0);
        add_contact(s, "Lê C", child, 0);
        CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
        CHECK_EQ_INT(vg_store_host_rm(s, gone, &e), VG_OK);
        CHECK_EQ_INT(vg_store_system_rm(s, sys2, &e), VG_OK);
    }
    CHECK_EQ_INT(vg_store_unit_usage(s, parent, &use, &e), VG_OK);
    CHECK_EQ_INT(use.children, 1);
    CHECK_EQ_INT(use.systems, 1);
    CHECK_EQ_INT(use.hosts, 1);
    CHECK_EQ_INT(use.contacts, 2);
    CHECK_EQ_INT(use.netblocks, 1);
    CHECK_EQ_INT(vg_store_unit_usage(s, child, &use, &e), VG_OK);
    CHECK_EQ_INT(use.children, 1);
    CHECK_EQ_INT(use.contacts, 1);
    CHECK_EQ_INT(use.systems + use.hosts + use.netblocks, 0);

    /* Soft removal: gone from get and list, and the name is free again. */
    CHECK_EQ_INT(vg_store_unit_rm(s, other, &e), VG_OK);
    CHECK_EQ_INT(vg_store_unit_get(s, "b-phong", &got, &a, NULL), VG_ENOTFOUND);
    CHECK_EQ_INT(unit_count(s), 3);
    CHECK_EQ_INT(vg_store_unit_rm(s, other, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_store_unit_rm(s, 9999, &e), VG_ENOTFOUND);
    /* An update of the removed row does not bring it back (its return is not checked here). */
    u = (struct vg_unit){.id = other, .name = "b-phong", .note = "ghost"};
    vg_store_unit_update(s, &u, NULL);
    CHECK_EQ_INT(vg_store_unit_get(s, "b-phong", &got, &a, NULL), VG_ENOTFOUND);
    u = (struct vg_unit){.name = "b-phong"};
    CHECK_EQ_INT(vg_store_unit_add(s, &u, &e), VG_OK);
    CHECK(u.id != other);
    CHECK_EQ_INT(vg_store_unit_get(s, "b-phong", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, u.id);
    CHECK(got.note == NULL);
    CHECK_EQ_INT(unit_count(s), 4);
    /* A removed child no longer counts. */
    CHECK_EQ_INT(vg_store_unit_get(s, "a-phong", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(vg_store_unit_rm(s, got.id, &e), VG_OK);
    CHECK_EQ_INT(vg_store_unit_usage(s, child, &use, &e), VG_OK);
    CHECK_EQ_INT(use.children, 0);

    /* Lists longer than the first allocation of rows. */
    for (int i = 0; i < 70; i++) {
        char name[32];
        snprintf(name, sizeof name, "bulk-%02d", i);
        add_unit(s, name, parent);
    }
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_unit_list(s, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 73)) {
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 1)->name, "bulk-00");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 70)->name, "bulk-69");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_unit, 70)->parent, "so-tttt");
    }
    vg_rows_release(&rows);

    vg_arena_release(&a);
    vg_store_close(s);
}

/* ---- contacts and duty -------------------------------------------------------------- */

static void test_contacts(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_rows rows;
    struct vg_contact c, got;
    struct vg_contact_filter f = {0};
    int64_t u1 = add_unit(s, "so-tttt", 0), u2 = add_unit(s, "ttcntt", 0);
    int64_t tran, le;

    vg_arena_init(&a);
    c = (struct vg_contact){.name = "Trần Thị B",
                            .unit_id = u1,
                            .role = "Kỹ thuật viên",
                            .phone = "0987 654 321",
                            .email = "b@stttt.gov.vn",
                            .escalation = 2,
                            .note = "ca đêm"};
    CHECK_EQ_INT(vg_store_contact_add(s, &c, &e), VG_OK);
    CHECK(c.id > 0);
    tran = c.id;
    add_contact(s, "Nguyễn Văn A", u1, 1);
    le = add_contact(s, "Lê C", u2, 0);
    add_contact(s, "Hotline NCSC", 0, 3);
    add_contact(s, "An Đ", u2, 0);

    c = (struct vg_contact){.name = "Lê C"};
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_contact_add(s, &c, &e), VG_EEXIST);
    CHECK(contains(e.msg, "Lê C"));
    /* The store keeps the order non-negative too. */
    c = (struct vg_contact){.name = "Negative", .escalation = -1};
    CHECK(vg_store_contact_add(s, &c, &e) != VG_OK);

    CHECK_EQ_INT(vg_store_contact_get(s, "Trần Thị B", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, tran);
    CHECK_EQ_INT(got.unit_id, u1);
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_STR(got.role, "Kỹ thuật viên");
    CHECK_EQ_STR(got.phone, "0987 654 321");
    CHECK_EQ_STR(got.email, "b@stttt.gov.vn");
    CHECK_EQ_INT(got.escalation, 2);
    CHECK_EQ_STR(got.note, "ca đêm");
    CHECK_EQ_INT(vg_store_contact_get(s, "Hotline NCSC", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.unit_id, 0);
    CHECK(got.unit == NULL);
    CHECK_EQ_INT(vg_store_contact_get(s, "nobody", &got, &a, &e), VG_ENOTFOUND);

    /* All: escalating contacts in their order, then the others by name. */
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, NULL, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 5)) {
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 0)->name, "Nguyễn Văn A");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 1)->name, "Trần Thị B");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 2)->name, "Hotline NCSC");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 3)->name, "An Đ");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 4)->name, "Lê C");
    }
    vg_rows_release(&rows);
    f.escalation_only = true;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, &f, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 3)) {
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_contact, 0)->escalation, 1);
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_contact, 1)->escalation, 2);
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_contact, 2)->escalation, 3);
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 2)->name, "Hotline NCSC");
    }
    vg_rows_release(&rows);
    f = (struct vg_contact_filter){.unit_id = u2};
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, &f, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 2)) {
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 0)->name, "An Đ");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 0)->unit, "ttcntt");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 1)->name, "Lê C");
    }
    vg_rows_release(&rows);
    f = (struct vg_contact_filter){.unit_id = u2, .escalation_only = true};
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, &f, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 0);
    vg_rows_release(&rows);

    /* update moves Lê C to the head of the escalation order. */
    c = (struct vg_contact){
        .id = le, .name = "Lê C", .unit_id = u2, .phone = "113", .escalation = 1};
    CHECK_EQ_INT(vg_store_contact_update(s, &c, &e), VG_OK);
    f = (struct vg_contact_filter){.escalation_only = true};
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, &f, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 4)) {
        /* Two with order 1: by name. */
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 0)->name, "Lê C");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 0)->phone, "113");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 1)->name, "Nguyễn Văn A");
    }
    vg_rows_release(&rows);

    /* Soft removal. */
    CHECK_EQ_INT(vg_store_contact_rm(s, tran, &e), VG_OK);
    CHECK_EQ_INT(vg_store_contact_rm(s, tran, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_store_contact_get(s, "Trần Thị B", &got, &a, NULL), VG_ENOTFOUND);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, NULL, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 4);
    for (size_t i = 0; i < rows.n; i++)
        CHECK(strcmp(VG_ROW(&rows, struct vg_contact, i)->name, "Trần Thị B") != 0);
    vg_rows_release(&rows);
    c = (struct vg_contact){.name = "Trần Thị B"};
    CHECK_EQ_INT(vg_store_contact_add(s, &c, &e), VG_OK);
    CHECK(c.id != tran);

    vg_arena_release(&a);
    vg_store_close(s);
}

/* The ids of the shifts in rows, as a string "id,id,...", for compact checks. */
static const char *duty_ids(struct vg_rows *rows, const int64_t *ids, size_t nids, char *buf,
                            size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < rows->n; i++) {
        int64_t id = VG_ROW(rows, struct vg_duty, i)->id;
        char name = '?';
        for (size_t j = 0; j < nids; j++)
            if (ids[j] == id)
                name = (char)('a' + j);
        if (off + 2 < size) {
            buf[off++] = name;
            buf[off] = '\0';
        }
    }
    return buf;
}

static const char *duty_between(struct vg_store *s, time_t from, time_t to, const int64_t *ids,
                                size_t nids, char *buf, size_t size)
{
    struct vg_rows rows;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_duty_list(s, from, to, &rows, NULL), VG_OK);
    duty_ids(&rows, ids, nids, buf, size);
    vg_rows_release(&rows);
    return buf;
}

static void test_duty(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_rows rows;
    char buf[32];
    int64_t u1 = add_unit(s, "so-tttt", 0);
    int64_t ca = add_contact(s, "Nguyễn Văn A", u1, 1), cb = add_contact(s, "Trần Thị B", 0, 2);
    struct vg_contact c = {.id = ca,
                           .name = "Nguyễn Văn A",
                           .unit_id = u1,
                           .phone = "0912345678",
                           .role = "trực ban",
                           .escalation = 1};
    int64_t ids[4];
    const time_t a = 1767225600; /* 2026-01-01T00:00:00Z */
    const time_t b = a + 12 * 3600;

    CHECK_EQ_INT(vg_store_contact_update(s, &c, &e), VG_OK);
    /* ids[0] = [a, b), ids[1] = [b, b + 12h) by B, ids[2] = [b + 1d, b + 2d), ids[3] = [a, b) by B
     */
    struct vg_duty d = {.contact_id = ca, .starts_at = a, .ends_at = b, .note = "ca ngày"};
    CHECK_EQ_INT(vg_store_duty_add(s, &d, &e), VG_OK);
    ids[0] = d.id;
    d = (struct vg_duty){.contact_id = cb, .starts_at = b, .ends_at = b + 12 * 3600};
    CHECK_EQ_INT(vg_store_duty_add(s, &d, &e), VG_OK);
    ids[1] = d.id;
    d = (struct vg_duty){.contact_id = ca, .starts_at = b + 86400, .ends_at = b + 2 * 86400};
    CHECK_EQ_INT(vg_store_duty_add(s, &d, &e), VG_OK);
    ids[2] = d.id;
    d = (struct vg_duty){.contact_id = cb, .starts_at = a, .ends_at = b};
    CHECK_EQ_INT(vg_store_duty_add(s, &d, &e), VG_OK);
    ids[3] = d.id;
    CHECK(ids[0] > 0 && ids[1] > ids[0] && ids[2] > ids[1]);

    /* A shift that ends before it starts, or at its start, is refused by the store. */
    d = (struct vg_duty){.contact_id = ca, .starts_at = b, .ends_at = a};
    CHECK(vg_store_duty_add(s, &d, &e) != VG_OK);
    d = (struct vg_duty){.contact_id = ca, .starts_at = b, .ends_at = b};
    CHECK(vg_store_duty_add(s, &d, &e) != VG_OK);
    /* So is a contact that does not exist. */
    d = (struct vg_duty){.contact_id = 9999, .starts_at = a, .ends_at = b};
    CHECK(vg_store_duty_add(s, &d, &e) != VG_OK);

    /* Overlap of [from, to) with [start, end): by start, then escalation order. */
    CHECK_EQ_STR(duty_between(s, 0, 0, ids, 4, buf, sizeof buf), "adbc");
    CHECK_EQ_STR(duty_between(s, b - 1, 0, ids, 4, buf, sizeof buf), "adbc");
    CHECK_EQ_STR(duty_between(s, b, 0, ids, 4, buf, sizeof buf), "bc");
    CHECK_EQ_STR(duty_between(s, b - 1, b, ids, 4, buf, sizeof buf), "ad");
    CHECK_EQ_STR(duty_between(s, b, b + 1, ids, 4, buf, sizeof buf), "b");
    CHECK_EQ_STR(duty_between(s, a - 100, a, ids, 4, buf, sizeof buf), "");
    CHECK_EQ_STR(duty_between(s, a - 100, a + 1, ids, 4, buf, sizeof buf), "ad");
    CHECK_EQ_STR(duty_between(s, b + 12 * 3600, b + 86400, ids, 4, buf, sizeof buf), "");
    CHECK_EQ_STR(duty_between(s, b + 2 * 86400, 0, ids, 4, buf, sizeof buf), "");
    CHECK_EQ_STR(duty_between(s, b + 2 * 86400 - 1, 0, ids, 4, buf, sizeof buf), "c");

    /* The contact's fields come with the shift. */
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_duty_list(s, a, a + 1, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 2)) {
        struct vg_duty *x = VG_ROW(&rows, struct vg_duty, 0);
        CHECK_EQ_INT(x->id, ids[0]);
        CHECK_EQ_INT(x->contact_id, ca);
        CHECK_EQ_STR(x->contact, "Nguyễn Văn A");
        CHECK_EQ_STR(x->phone, "0912345678");
        CHECK_EQ_STR(x->role, "trực ban");
        CHECK_EQ_STR(x->unit, "so-tttt");
        CHECK_EQ_INT(x->starts_at, a);
        CHECK_EQ_INT(x->ends_at, b);
        CHECK_EQ_STR(x->note, "ca ngày");
        x = VG_ROW(&rows, struct vg_duty, 1);
        CHECK_EQ_STR(x->contact, "Trần Thị B");
        CHECK(x->unit == NULL);
        CHECK(x->note == NULL);
    }
    vg_rows_release(&rows);

    /* update changes the note only. */
    d = (struct vg_duty){.id = ids[1], .note = "thay ca", .starts_at = 1, .ends_at = 2};
    CHECK_EQ_INT(vg_store_duty_update(s, &d, &e), VG_OK);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_duty_list(s, b, b + 1, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 1)) {
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_duty, 0)->note, "thay ca");
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_duty, 0)->starts_at, b);
    }
    vg_rows_release(&rows);

    /* rm */
    CHECK_EQ_INT(vg_store_duty_rm(s, ids[0], &e), VG_OK);
    CHECK_EQ_INT(vg_store_duty_rm(s, ids[0], &e), VG_ENOTFOUND);
    CHECK_EQ_STR(duty_between(s, 0, 0, ids, 4, buf, sizeof buf), "dbc");

    vg_store_close(s);
}

/* ---- netblocks ---------------------------------------------------------------------- */

static void test_netblocks(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_rows rows;
    struct vg_netblock_filter f = {0};
    char text[VG_PREFIX_STRLEN];
    int64_t u1 = add_unit(s, "so-tttt", 0), u2 = add_unit(s, "ttcntt", 0), id, lan;

    struct vg_netblock nb = {.unit_id = u1, .prefix = prefix("10.1.0.0/16"), .note = "LAN"};
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
    CHECK(nb.id > 0);
    lan = nb.id;
    nb = (struct vg_netblock){
        .unit_id = u1, .prefix = prefix("203.113.130.0/28"), .public = true, .note = "NAT"};
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
    nb = (struct vg_netblock){.unit_id = u1, .prefix = prefix("2001:db8:10::/48")};
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
    /* Private ranges repeat across units. */
    nb = (struct vg_netblock){.unit_id = u2, .prefix = prefix("10.1.0.0/16")};
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
    /* Not twice in one unit. */
    nb = (struct vg_netblock){.unit_id = u1, .prefix = prefix("10.1.0.0/16"), .public = true};
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_EEXIST);
    CHECK(contains(e.msg, "10.1.0.0/16"));
    /* A single address is a /32. */
    nb = (struct vg_netblock){.unit_id = u2, .prefix = prefix("203.113.131.7"), .public = true};
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);

    /* find */
    {
        struct vg_prefix p = prefix("10.1.0.0/16");
        CHECK_EQ_INT(vg_store_netblock_find(s, u1, &p, &id, &e), VG_OK);
        CHECK_EQ_INT(id, lan);
        p = prefix("10.1.0.0/24");
        CHECK_EQ_INT(vg_store_netblock_find(s, u1, &p, &id, &e), VG_ENOTFOUND);
        p = prefix("203.113.130.0/28");
        CHECK_EQ_INT(vg_store_netblock_find(s, u2, &p, &id, &e), VG_ENOTFOUND);
        p = prefix("2001:db8:10::/48");
        CHECK_EQ_INT(vg_store_netblock_find(s, u1, &p, &id, &e), VG_OK);
    }

    /* update: public and note. */
    nb = (struct vg_netblock){.id = lan, .public = true, .note = "đổi"};
    CHECK_EQ_INT(vg_store_netblock_update(s, &nb, &e), VG_OK);
    nb = (struct vg_netblock){.id = lan, .public = false, .note = "LAN tầng 2"};
    CHECK_EQ_INT(vg_store_netblock_update(s, &nb, &e), VG_OK);

    /* list: all, and by unit (public ones first within a unit). */
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_netblock_list(s, NULL, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 5);
    vg_rows_release(&rows);
    f.unit_id = u1;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_netblock_list(s, &f, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 3)) {
        struct vg_netblock *x = VG_ROW(&rows, struct vg_netblock, 0);
        CHECK_EQ_STR(vg_prefix_format(&x->prefix, text), "203.113.130.0/28");
        CHECK(x->public);
        CHECK_EQ_STR(x->unit, "so-tttt");
        CHECK_EQ_STR(x->note, "NAT");
        CHECK_EQ_INT(x->unit_id, u1);
        for (size_t i = 1; i < rows.n; i++) {
            x = VG_ROW(&rows, struct vg_netblock, i);
            CHECK(!x->public);
            if (x->id == lan) {
                CHECK_EQ_STR(vg_prefix_format(&x->prefix, text), "10.1.0.0/16");
                CHECK_EQ_STR(x->note, "LAN tầng 2");
            } else {
                CHECK_EQ_STR(vg_prefix_format(&x->prefix, text), "2001:db8:10::/48");
                CHECK_EQ_INT(x->prefix.ip.family, 6);
                CHECK_EQ_INT(x->prefix.len, 48);
            }
        }
    }
    vg_rows_release(&rows);
    f.unit_id = u2;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_netblock_list(s, &f, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 2)) {
        CHECK_EQ_STR(vg_prefix_format(&VG_ROW(&rows, struct vg_netblock, 0)->prefix, text),
                     "203.113.131.7/32");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_netblock, 1)->unit, "ttcntt");
    }
    vg_rows_release(&rows);

    /* rm: gone from find and list; the prefix can be added again. */
    CHECK_EQ_INT(vg_store_netblock_rm(s, lan, &e), VG_OK);
    CHECK_EQ_INT(vg_store_netblock_rm(s, lan, &e), VG_ENOTFOUND);
    {
        struct vg_prefix p = prefix("10.1.0.0/16");
        CHECK_EQ_INT(vg_store_netblock_find(s, u1, &p, &id, &e), VG_ENOTFOUND);
    }
    f.unit_id = u1;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_netblock_list(s, &f, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 2);
    vg_rows_release(&rows);
    nb = (struct vg_netblock){.unit_id = u1, .prefix = prefix("10.1.0.0/16")};
    CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
    CHECK(nb.id != lan);

    vg_store_close(s);
}

/* ---- systems -------------------------------------------------------------------------- */

static void test_systems(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_rows rows;
    struct vg_system y, got;
    struct vg_system_filter f = {0};
    int64_t u1 = add_unit(s, "so-tttt", 0), u2 = add_unit(s, "a-ttcntt", 0);
    int64_t portal, mail, hsm;

    vg_arena_init(&a);
    /* The store itself rejects levels outside 1..5. */
    y = (struct vg_system){.unit_id = u1, .name = "zero", .level = 0};
    CHECK_EQ_INT(vg_store_system_add(s, &y, &e), VG_EINVAL);
    y = (struct vg_system){.unit_id = u1, .name = "six", .level = 6};
    CHECK_EQ_INT(vg_store_system_add(s, &y, &e), VG_EINVAL);
    y = (struct vg_system){.unit_id = u1, .name = "minus", .level = -3};
    CHECK_EQ_INT(vg_store_system_add(s, &y, &e), VG_EINVAL);

    y = (struct vg_system){
        .unit_id = u1, .name = "Cổng TTĐT", .level = 3, .description = "cổng thông tin điện tử"};
    CHECK_EQ_INT(vg_store_system_add(s, &y, &e), VG_OK);
    portal = y.id;
    mail = add_system(s, u1, "Thư điện tử", 2);
    hsm = add_system(s, u1, "Chữ ký số", 5);
    add_system(s, u2, "Một cửa", 4);
    add_system(s, u2, "Cổng TTĐT", 3); /* the same name in another unit */
    add_system(s, u1, "Họp trực tuyến", 1);
    y = (struct vg_system){.unit_id = u1, .name = "Cổng TTĐT", .level = 2};
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_system_add(s, &y, &e), VG_EEXIST);
    CHECK(contains(e.msg, "Cổng TTĐT"));

    /* list: level from 5 down, then unit, then name. */
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_system_list(s, NULL, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 6)) {
        static const int levels[] = {5, 4, 3, 3, 2, 1};
        for (size_t i = 0; i < 6; i++)
            CHECK_EQ_INT(VG_ROW(&rows, struct vg_system, i)->level, levels[i]);
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_system, 0)->name, "Chữ ký số");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_system, 2)->unit, "a-ttcntt");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_system, 3)->unit, "so-tttt");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_system, 3)->description, "cổng thông tin điện tử");
    }
    vg_rows_release(&rows);
    f = (struct vg_system_filter){.unit_id = u2};
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_system_list(s, &f, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 2);
    vg_rows_release(&rows);
    /* min_level: that level or higher (5, 4, 3, 3). */
    f = (struct vg_system_filter){.min_level = 3};
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_system_list(s, &f, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 4);
    vg_rows_release(&rows);
    f = (struct vg_system_filter){.unit_id = u1, .min_level = 3};
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_system_list(s, &f, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 2)) {
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_system, 0)->id, hsm);
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_system, 1)->id, portal);
    }
    vg_rows_release(&rows);

    /* hosts: live hosts that serve the system. */
    {
        int64_t both[] = {portal, mail, 0}, one[] = {portal, 0};
        add_host(s, u1, "web01", "server", NULL, both);
        add_host(s, u1, "web02", "server", NULL, one);
        int64_t gone = add_host(s, u1, "web03", "server", NULL, one);
        CHECK_EQ_INT(vg_store_host_rm(s, gone, &e), VG_OK);
    }
    CHECK_EQ_INT(vg_store_system_get(s, u1, "Cổng TTĐT", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, portal);
    CHECK_EQ_INT(got.unit_id, u1);
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_INT(got.level, 3);
    CHECK_EQ_INT(got.hosts, 2);
    CHECK_EQ_STR(got.description, "cổng thông tin điện tử");
    CHECK_EQ_INT(vg_store_system_get(s, u1, "Thư điện tử", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.hosts, 1);
    CHECK_EQ_INT(vg_store_system_get(s, u2, "Cổng TTĐT", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.hosts, 0);
    CHECK_EQ_INT(vg_store_system_get(s, u2, "Thư điện tử", &got, &a, &e), VG_ENOTFOUND);

    /* update: level and description, still within 1..5. */
    y = (struct vg_system){.id = mail, .unit_id = u1, .name = "Thư điện tử", .level = 4};
    CHECK_EQ_INT(vg_store_system_update(s, &y, &e), VG_OK);
    CHECK_EQ_INT(vg_store_system_get(s, u1, "Thư điện tử", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.level, 4);
    CHECK(got.description == NULL);
    y.level = 6;
    CHECK_EQ_INT(vg_store_system_update(s, &y, &e), VG_EINVAL);
    y.level = 0;
    CHECK_EQ_INT(vg_store_system_update(s, &y, &e), VG_EINVAL);
    CHECK_EQ_INT(vg_store_system_get(s, u1, "Thư điện tử", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.level, 4);

    /* rm */
    CHECK_EQ_INT(vg_store_system_rm(s, hsm, &e), VG_OK);
    CHECK_EQ_INT(vg_store_system_rm(s, hsm, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_store_system_get(s, u1, "Chữ ký số", &got, &a, &e), VG_ENOTFOUND);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_system_list(s, NULL, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 5))
        CHECK_EQ_INT(VG_ROW(&rows, struct vg_system, 0)->level, 4);
    vg_rows_release(&rows);
    CHECK_EQ_INT(add_system(s, u1, "Chữ ký số", 5) != hsm, 1);

    vg_arena_release(&a);
    vg_store_close(s);
}

/* ---- hosts ------------------------------------------------------------------------------ */

/* The host names of rows, comma-separated, into buf. */
static const char *host_names(struct vg_rows *rows, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < rows->n; i++) {
        int w = snprintf(buf + off, size - off, "%s%s", i ? "," : "",
                         VG_ROW(rows, struct vg_host, i)->hostname);
        if (w < 0 || (size_t)w >= size - off)
            break;
        off += (size_t)w;
    }
    return buf;
}

static const char *hosts_where(struct vg_store *s, const struct vg_host_filter *f, char *buf,
                               size_t size)
{
    struct vg_rows rows;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_host_list(s, f, &rows, NULL), VG_OK);
    host_names(&rows, buf, size);
    vg_rows_release(&rows);
    return buf;
}

static void test_hosts(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_rows rows;
    struct vg_host h, got;
    struct vg_host_filter f;
    struct vg_host_addr addrs[3];
    struct vg_host_sys sys[3];
    char text[VG_IP_STRLEN], buf[256];
    time_t t0 = time(NULL);
    int64_t u1 = add_unit(s, "so-tttt", 0), u2 = add_unit(s, "a-ttcntt", 0);
    int64_t owner = add_contact(s, "Nguyễn Văn A", u1, 1);
    int64_t portal = add_system(s, u1, "portal", 3), mail = add_system(s, u1, "mail", 2);
    int64_t hsm = add_system(s, u1, "hsm", 5), erp = add_system(s, u2, "erp", 4);
    int64_t web;

    vg_arena_init(&a);
    memset(addrs, 0, sizeof addrs);
    memset(sys, 0, sizeof sys);
    addrs[0] = (struct vg_host_addr){.ip = ip("203.113.130.3"), .public = true};
    addrs[1] = (struct vg_host_addr){.ip = ip("10.1.0.10")};
    addrs[2] = (struct vg_host_addr){.ip = ip("2001:db8::10")};
    sys[0].id = mail;
    sys[1].id = portal;
    h = (struct vg_host){.unit_id = u1,
                         .hostname = "web01",
                         .role = "server",
                         .os = "debian",
                         .os_release = "12",
                         .owner_id = owner,
                         .note = "cổng chính",
                         .naddrs = 3,
                         .addrs = addrs,
                         .nsystems = 2,
                         .systems = sys};
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_OK);
    CHECK(h.id > 0);
    web = h.id;

    /* get: every field, addresses (IPv4 first) and systems (highest level first). */
    CHECK_EQ_INT(vg_store_host_get(s, u1, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, web);
    CHECK_EQ_INT(got.unit_id, u1);
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_STR(got.hostname, "web01");
    CHECK_EQ_STR(got.role, "server");
    CHECK_EQ_STR(got.os, "debian");
    CHECK_EQ_STR(got.os_release, "12");
    CHECK_EQ_INT(got.owner_id, owner);
    CHECK_EQ_STR(got.owner, "Nguyễn Văn A");
    CHECK_EQ_STR(got.note, "cổng chính");
    CHECK_EQ_INT(got.level, 3);
    CHECK(got.created_at >= t0 && got.updated_at >= got.created_at);
    if (CHECK_EQ_INT(got.naddrs, 3)) {
        CHECK_EQ_STR(vg_ip_format(&got.addrs[0].ip, text), "10.1.0.10");
        CHECK(!got.addrs[0].public);
        CHECK_EQ_STR(vg_ip_format(&got.addrs[1].ip, text), "203.113.130.3");
        CHECK(got.addrs[1].public);
        CHECK_EQ_STR(vg_ip_format(&got.addrs[2].ip, text), "2001:db8::10");
        CHECK_EQ_INT(got.addrs[2].ip.family, 6);
    }
    if (CHECK_EQ_INT(got.nsystems, 2)) {
        CHECK_EQ_INT(got.systems[0].id, portal);
        CHECK_EQ_STR(got.systems[0].name, "portal");
        CHECK_EQ_INT(got.systems[0].level, 3);
        CHECK_EQ_INT(got.systems[1].id, mail);
        CHECK_EQ_STR(got.systems[1].name, "mail");
        CHECK_EQ_INT(got.systems[1].level, 2);
    }
    CHECK_EQ_INT(vg_store_host_get(s, u2, "web01", &got, &a, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_store_host_get(s, u1, "nope", &got, &a, &e), VG_ENOTFOUND);

    /* put with an id updates, replacing addresses and systems. */
    addrs[0] = (struct vg_host_addr){.ip = ip("10.1.0.11")};
    sys[0].id = hsm;
    h = (struct vg_host){.id = web,
                         .unit_id = u1,
                         .hostname = "web01",
                         .role = "server",
                         .os = "debian",
                         .os_release = "13",
                         .naddrs = 1,
                         .addrs = addrs,
                         .nsystems = 1,
                         .systems = sys};
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_OK);
    CHECK_EQ_INT(h.id, web);
    CHECK_EQ_INT(vg_store_host_get(s, u1, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, web);
    CHECK_EQ_STR(got.os_release, "13");
    CHECK_EQ_INT(got.owner_id, 0);
    CHECK(got.owner == NULL);
    CHECK(got.note == NULL);
    CHECK_EQ_INT(got.level, 5);
    if (CHECK_EQ_INT(got.naddrs, 1))
        CHECK_EQ_STR(vg_ip_format(&got.addrs[0].ip, text), "10.1.0.11");
    if (CHECK_EQ_INT(got.nsystems, 1))
        CHECK_EQ_STR(got.systems[0].name, "hsm");
    /* The same address twice in one put is kept once. */
    addrs[1] = addrs[0];
    h.naddrs = 2;
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_OK);
    CHECK_EQ_INT(vg_store_host_get(s, u1, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.naddrs, 1);
    /* ...and an update to no addresses and no systems leaves none. */
    h.naddrs = 0;
    h.nsystems = 0;
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_OK);
    CHECK_EQ_INT(vg_store_host_get(s, u1, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.naddrs, 0);
    CHECK_EQ_INT(got.nsystems, 0);
    CHECK_EQ_INT(got.level, 0);
    /* Back to portal + mail, with one address. */
    addrs[0] = (struct vg_host_addr){.ip = ip("10.1.0.10")};
    sys[0].id = portal;
    sys[1].id = mail;
    h.naddrs = 1;
    h.nsystems = 2;
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_OK);

    /* A role other than server or workstation is refused by the store. */
    h = (struct vg_host){.unit_id = u1, .hostname = "rt01", .role = "router"};
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_EINVAL);
    /* A host name is unique within its unit, not across units. */
    h = (struct vg_host){.unit_id = u1, .hostname = "web01", .role = "server"};
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_EEXIST);
    CHECK(contains(e.msg, "web01"));
    {
        int64_t e1[] = {erp, 0}, h1[] = {hsm, mail, 0}, p1[] = {portal, 0};
        add_host(s, u2, "web01", "server", "10.1.0.10", e1);
        add_host(s, u1, "db01", "server", "10.1.0.20 +203.113.130.4", h1);
        add_host(s, u1, "ws01", "workstation", "10.1.2.21", NULL);
        add_host(s, u1, "app01", "server", "10.1.0.30", p1);
        add_host(s, u2, "ws02", "workstation", "10.1.0.30", NULL);
    }
    /* Update of a host that is not there. */
    h = (struct vg_host){.id = 9999, .unit_id = u1, .hostname = "ghost", .role = "server"};
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_ENOTFOUND);

    /* list: highest level first, then unit, then host name. */
    CHECK_EQ_STR(hosts_where(s, NULL, buf, sizeof buf), "db01,web01,app01,web01,ws02,ws01");
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_host_list(s, NULL, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 6)) {
        static const int levels[] = {5, 4, 3, 3, 0, 0};
        for (size_t i = 0; i < rows.n; i++)
            CHECK_EQ_INT(VG_ROW(&rows, struct vg_host, i)->level, levels[i]);
        struct vg_host *x = VG_ROW(&rows, struct vg_host, 0);
        CHECK_EQ_STR(x->unit, "so-tttt");
        if (CHECK_EQ_INT(x->naddrs, 2)) {
            CHECK_EQ_STR(vg_ip_format(&x->addrs[0].ip, text), "10.1.0.20");
            CHECK(x->addrs[1].public);
        }
        if (CHECK_EQ_INT(x->nsystems, 2)) {
            CHECK_EQ_STR(x->systems[0].name, "hsm");
            CHECK_EQ_STR(x->systems[1].name, "mail");
        }
        x = VG_ROW(&rows, struct vg_host, 1);
        CHECK_EQ_STR(x->unit, "a-ttcntt");
        CHECK_EQ_INT(x->nsystems, 1);
        x = VG_ROW(&rows, struct vg_host, 3);
        CHECK_EQ_STR(x->unit, "so-tttt");
        CHECK_EQ_INT(x->naddrs, 1);
        CHECK_EQ_INT(x->nsystems, 2);
        x = VG_ROW(&rows, struct vg_host, 5);
        CHECK_EQ_INT(x->nsystems, 0);
        CHECK(x->systems == NULL);
    }
    vg_rows_release(&rows);

    /* filters */
    f = (struct vg_host_filter){.unit_id = u2};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "web01,ws02");
    f = (struct vg_host_filter){.system_id = portal};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "app01,web01");
    f = (struct vg_host_filter){.system_id = mail};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01,web01");
    f = (struct vg_host_filter){.role = "workstation"};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "ws02,ws01");
    f = (struct vg_host_filter){.role = "server", .unit_id = u1};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01,app01,web01");
    {
        struct vg_ip x = ip("10.1.0.10");
        f = (struct vg_host_filter){.ip = &x};
        CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "web01,web01");
        f.unit_id = u1;
        CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "web01");
        x = ip("203.113.130.4");
        f = (struct vg_host_filter){.ip = &x};
        CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01");
        x = ip("10.9.9.9");
        CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "");
        /* The filter matches one address; the host comes with all of its own. */
        x = ip("10.1.0.20");
        vg_rows_init(&rows);
        CHECK_EQ_INT(vg_store_host_list(s, &f, &rows, &e), VG_OK);
        if (CHECK_EQ_INT(rows.n, 1))
            CHECK_EQ_INT(VG_ROW(&rows, struct vg_host, 0)->naddrs, 2);
        vg_rows_release(&rows);
    }
    f = (struct vg_host_filter){.min_level = 3};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01,web01,app01,web01");
    f = (struct vg_host_filter){.min_level = 4};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01,web01");
    f = (struct vg_host_filter){.min_level = 5};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01");
    f = (struct vg_host_filter){.min_level = 4, .unit_id = u1};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "db01");

    /* A host's level is the highest of its live systems. */
    CHECK_EQ_INT(vg_store_system_rm(s, hsm, &e), VG_OK);
    CHECK_EQ_INT(vg_store_host_get(s, u1, "db01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.level, 2);
    if (CHECK_EQ_INT(got.nsystems, 1))
        CHECK_EQ_STR(got.systems[0].name, "mail");
    f = (struct vg_host_filter){.min_level = 5};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "");
    CHECK_EQ_STR(hosts_where(s, NULL, buf, sizeof buf), "web01,app01,web01,db01,ws02,ws01");
    {
        struct vg_system y = {.id = mail, .name = "mail", .level = 5};
        CHECK_EQ_INT(vg_store_system_update(s, &y, &e), VG_OK);
        CHECK_EQ_INT(vg_store_host_get(s, u1, "web01", &got, &a, &e), VG_OK);
        CHECK_EQ_INT(got.level, 5);
    }

    /* rm: gone from get and list; the name is free again. */
    CHECK_EQ_INT(vg_store_host_get(s, u1, "ws01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(vg_store_host_rm(s, got.id, &e), VG_OK);
    CHECK_EQ_INT(vg_store_host_rm(s, got.id, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_store_host_get(s, u1, "ws01", &got, &a, &e), VG_ENOTFOUND);
    f = (struct vg_host_filter){.role = "workstation"};
    CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "ws02");
    {
        struct vg_ip x = ip("10.1.2.21");
        f = (struct vg_host_filter){.ip = &x};
        CHECK_EQ_STR(hosts_where(s, &f, buf, sizeof buf), "");
    }
    CHECK(add_host(s, u1, "ws01", "workstation", "10.1.2.21", NULL) > 0);
    /* A removed host can no longer be updated. */
    h = (struct vg_host){.id = web, .unit_id = u1, .hostname = "web01", .role = "server"};
    CHECK_EQ_INT(vg_store_host_rm(s, web, &e), VG_OK);
    CHECK_EQ_INT(vg_store_host_put(s, &h, &e), VG_ENOTFOUND);
    {
        struct vg_system y;
        CHECK_EQ_INT(vg_store_system_get(s, u1, "portal", &y, &a, &e), VG_OK);
        CHECK_EQ_INT(y.hosts, 1);
    }

    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_addr_conflicts(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_rows rows;
    char text[VG_IP_STRLEN];
    int64_t u1 = add_unit(s, "so-tttt", 0), u2 = add_unit(s, "ttcntt", 0), b;

    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_addr_conflicts(s, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 0);
    vg_rows_release(&rows);

    /* The same private address in two units is normal. */
    add_host(s, u1, "pc-a", "workstation", "192.168.1.10", NULL);
    add_host(s, u2, "pc-c", "workstation", "192.168.1.10", NULL);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_addr_conflicts(s, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 0);
    vg_rows_release(&rows);

    /* Two hosts of one unit sharing an address are a conflict. */
    b = add_host(s, u1, "pc-b", "workstation", "192.168.1.11 192.168.1.10", NULL);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_addr_conflicts(s, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 1)) {
        struct vg_addr_conflict *c = VG_ROW(&rows, struct vg_addr_conflict, 0);
        CHECK_EQ_STR(c->unit, "so-tttt");
        CHECK_EQ_STR(vg_ip_format(&c->ip, text), "192.168.1.10");
        CHECK_EQ_STR(c->host_a, "pc-a");
        CHECK_EQ_STR(c->host_b, "pc-b");
    }
    vg_rows_release(&rows);

    /* Removing one of them ends it. */
    CHECK_EQ_INT(vg_store_host_rm(s, b, &e), VG_OK);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_addr_conflicts(s, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 0);
    vg_rows_release(&rows);

    vg_store_close(s);
}

/* ---- counts -------------------------------------------------------------------------- */

static void test_counts(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_counts c;
    int64_t u1, u2, gone_unit, gone_contact, l1, l3a, l3b, l5, l4;

    memset(&c, 0x55, sizeof c);
    CHECK_EQ_INT(vg_store_counts(s, &c, &e), VG_OK);
    CHECK_EQ_INT(c.units + c.contacts + c.netblocks + c.systems + c.hosts, 0);
    CHECK_EQ_INT(c.servers + c.workstations + c.addrs + c.public_addrs, 0);
    for (int i = 0; i < 6; i++) {
        CHECK_EQ_INT(c.systems_by_level[i], 0);
        CHECK_EQ_INT(c.hosts_by_level[i], 0);
    }

    u1 = add_unit(s, "so-tttt", 0);
    u2 = add_unit(s, "ttcntt", u1);
    gone_unit = add_unit(s, "old", 0);
    add_contact(s, "A", u1, 1);
    add_contact(s, "B", 0, 0);
    gone_contact = add_contact(s, "C", u2, 0);
    {
        const char *blocks[] = {"10.1.0.0/16", "203.113.130.0/28", "10.2.0.0/16", "10.3.0.0/16"};
        for (size_t i = 0; i < 4; i++) {
            struct vg_netblock nb = {
                .unit_id = i == 2 ? u2 : u1, .prefix = prefix(blocks[i]), .public = i == 1};
            CHECK_EQ_INT(vg_store_netblock_add(s, &nb, &e), VG_OK);
            if (i == 3)
                CHECK_EQ_INT(vg_store_netblock_rm(s, nb.id, &e), VG_OK);
        }
    }
    l1 = add_system(s, u1, "meeting", 1);
    l3a = add_system(s, u1, "portal", 3);
    l3b = add_system(s, u2, "one-stop", 3);
    l5 = add_system(s, u1, "pki", 5);
    l4 = add_system(s, u2, "erp", 4);
    {
        int64_t h1[] = {l5, l3a, 0}, h2[] = {l3b, 0}, h4[] = {l1, 0}, h5[] = {l4, 0};
        int64_t h6[] = {l4, 0};
        add_host(s, u1, "h1", "server", "10.1.0.1 +203.113.130.1 +2001:db8::1", h1);
        add_host(s, u2, "h2", "server", "10.2.0.2", h2);
        add_host(s, u1, "h3", "workstation", NULL, NULL);
        add_host(s, u1, "h4", "workstation", "10.1.1.4", h4);
        int64_t gone = add_host(s, u2, "h5", "server", "10.2.0.5 +203.113.130.5", h5);
        /* h6's only system is removed below: it serves no level. */
        add_host(s, u2, "h6", "workstation", "10.2.1.6", h6);
        CHECK_EQ_INT(vg_store_host_rm(s, gone, &e), VG_OK);
    }
    CHECK_EQ_INT(vg_store_system_rm(s, l4, &e), VG_OK);
    CHECK_EQ_INT(vg_store_contact_rm(s, gone_contact, &e), VG_OK);
    CHECK_EQ_INT(vg_store_unit_rm(s, gone_unit, &e), VG_OK);

    CHECK_EQ_INT(vg_store_counts(s, &c, &e), VG_OK);
    CHECK_EQ_INT(c.units, 2);
    CHECK_EQ_INT(c.contacts, 2);
    CHECK_EQ_INT(c.netblocks, 3);
    CHECK_EQ_INT(c.systems, 4);
    CHECK_EQ_INT(c.systems_by_level[0], 0);
    CHECK_EQ_INT(c.systems_by_level[1], 1);
    CHECK_EQ_INT(c.systems_by_level[2], 0);
    CHECK_EQ_INT(c.systems_by_level[3], 2);
    CHECK_EQ_INT(c.systems_by_level[4], 0);
    CHECK_EQ_INT(c.systems_by_level[5], 1);
    CHECK_EQ_INT(c.hosts, 5);
    CHECK_EQ_INT(c.hosts_by_level[0], 2); /* h3, h6 */
    CHECK_EQ_INT(c.hosts_by_level[1], 1); /* h4 */
    CHECK_EQ_INT(c.hosts_by_level[2], 0);
    CHECK_EQ_INT(c.hosts_by_level[3], 1); /* h2 */
    CHECK_EQ_INT(c.hosts_by_level[4], 0);
    CHECK_EQ_INT(c.hosts_by_level[5], 1); /* h1 */
    CHECK_EQ_INT(c.servers, 2);
    CHECK_EQ_INT(c.workstations, 3);
    CHECK_EQ_INT(c.addrs, 6);
    CHECK_EQ_INT(c.public_addrs, 2);

    vg_store_close(s);
}

/* ---- audit ------------------------------------------------------------------------------ */

static const char *audit_actions(struct vg_store *s, const struct vg_audit_filter *f, char *buf,
                                 size_t size)
{
    struct vg_rows rows;
    size_t off = 0;
    buf[0] = '\0';
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_audit_list(s, f, &rows, NULL), VG_OK);
    for (size_t i = 0; i < rows.n; i++) {
        int w = snprintf(buf + off, size - off, "%s%s", i ? "," : "",
                         VG_ROW(&rows, struct vg_audit, i)->action);
        if (w < 0 || (size_t)w >= size - off)
            break;
        off += (size_t)w;
    }
    vg_rows_release(&rows);
    return buf;
}

static void test_audit(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_rows rows;
    struct vg_audit_filter f;
    char buf[512];
    time_t t0 = time(NULL);

    vg_store_set_actor(s, "alice");
    CHECK_EQ_INT(vg_store_audit(s, "unit.add", "unit:so-tttt", "{\"parent\":null}", &e), VG_OK);
    CHECK_EQ_INT(vg_store_audit(s, "host.add", "host:so-tttt/web01", NULL, &e), VG_OK);
    vg_store_set_actor(s, "bob");
    CHECK_EQ_INT(vg_store_audit(s, "hostile.thing", NULL, NULL, &e), VG_OK);
    CHECK_EQ_INT(vg_store_audit(s, "host.rm", "host:so-tttt/web01", NULL, &e), VG_OK);

    /* Newest first, the migrations last (one record each). */
    char all[512];
    int nmig = vg_store_latest_schema();
    snprintf(all, sizeof all, "host.rm,hostile.thing,host.add,unit.add");
    for (int i = 0; i < nmig; i++)
        snprintf(all + strlen(all), sizeof all - strlen(all), ",store.migrate");
    CHECK_EQ_STR(audit_actions(s, NULL, buf, sizeof buf), all);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_audit_list(s, NULL, &rows, &e), VG_OK);
    if (CHECK_EQ_INT(rows.n, 4 + (size_t)nmig)) {
        struct vg_audit *x = VG_ROW(&rows, struct vg_audit, 0);
        CHECK_EQ_STR(x->actor, "bob");
        CHECK_EQ_STR(x->object, "host:so-tttt/web01");
        CHECK(x->detail == NULL);
        CHECK(x->at >= t0 && x->at <= time(NULL));
        for (size_t i = 1; i < rows.n; i++)
            CHECK(VG_ROW(&rows, struct vg_audit, i)->id <
                  VG_ROW(&rows, struct vg_audit, i - 1)->id);
        x = VG_ROW(&rows, struct vg_audit, 2);
        CHECK_EQ_STR(x->actor, "alice");
        x = VG_ROW(&rows, struct vg_audit, 3);
        CHECK_EQ_STR(x->detail, "{\"parent\":null}");
        CHECK_EQ_STR(x->object, "unit:so-tttt");
        x = VG_ROW(&rows, struct vg_audit, 1);
        CHECK(x->object == NULL);
        x = VG_ROW(&rows, struct vg_audit, 4);
        CHECK_EQ_STR(x->actor, "tester");
    }
    vg_rows_release(&rows);

    /* Action prefix. */
    f = (struct vg_audit_filter){.action = "host."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "host.rm,host.add");
    f = (struct vg_audit_filter){.action = "host"};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "host.rm,hostile.thing,host.add");
    f = (struct vg_audit_filter){.action = "unit.add"};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "unit.add");
    f = (struct vg_audit_filter){.action = "nothing."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "");
    f = (struct vg_audit_filter){.action = "%"};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "");
    f = (struct vg_audit_filter){.action = "_ost."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "");

    /* Limit: the newest n. */
    f = (struct vg_audit_filter){.limit = 2};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "host.rm,hostile.thing");
    f = (struct vg_audit_filter){.limit = 1, .action = "host."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "host.rm");
    f = (struct vg_audit_filter){.limit = 100};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), all);

    /* Since: rows at or after it. */
    f = (struct vg_audit_filter){.since = t0 + 3600};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "");
    f = (struct vg_audit_filter){.since = t0 - 3600, .action = "unit."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "unit.add");

    vg_store_close(s);
}

/* Audit rows with times from the past, written behind vigil's back, against since. */
static void test_audit_since(void)
{
    char path[PATH_MAX], buf[256];
    struct vg_store *s = NULL;
    struct vg_error e = {0};
    struct vg_audit_filter f;

    tmp_file(path, "audit.db");
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, "tester", &s, &e), VG_OK);
    vg_store_close(s);
    CHECK_EQ_INT(raw_exec(path, "INSERT INTO audit (at, actor, action, object) VALUES "
                                "(1000, 'x', 'old.a', 'o'), (2000, 'x', 'old.b', 'o'), "
                                "(3000, 'x', 'old.c', 'o')"),
                 SQLITE_OK);
    s = NULL;
    CHECK_EQ_INT(vg_store_open(path, 0, "tester", &s, &e), VG_OK);
    if (!s)
        return;
    CHECK_EQ_INT(vg_store_audit(s, "new.d", NULL, NULL, &e), VG_OK);
    /* The migrations' records come after the old rows (ids) whatever their time. */
    f = (struct vg_audit_filter){.since = 1500, .action = "store."};
    CHECK_EQ_INT(strlen(audit_actions(s, &f, buf, sizeof buf)),
                 strlen("store.migrate") * (size_t)vg_store_latest_schema() +
                     (size_t)vg_store_latest_schema() - 1);
    f = (struct vg_audit_filter){.since = 1500, .action = "old."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "old.c,old.b");
    f = (struct vg_audit_filter){.since = 1500, .action = "new."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "new.d");
    f = (struct vg_audit_filter){.since = 2000, .action = "old."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "old.c,old.b");
    f = (struct vg_audit_filter){.since = 2001, .action = "old."};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "old.c");
    f = (struct vg_audit_filter){.since = 1, .action = "old.", .limit = 2};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "old.c,old.b");
    f = (struct vg_audit_filter){.since = 0, .action = "o"};
    CHECK_EQ_STR(audit_actions(s, &f, buf, sizeof buf), "old.c,old.b,old.a");
    vg_store_close(s);
}

/* ---- integrity check ------------------------------------------------------------------- */

static void test_check(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    char path[PATH_MAX];
    int64_t u = add_unit(s, "so-tttt", 0), y = add_system(s, u, "portal", 3);
    int64_t ids[] = {y, 0};

    add_host(s, u, "web01", "server", "10.0.0.1", ids);
    CHECK_EQ_INT(vg_store_check(s, &e), VG_OK);
    vg_store_close(s);

    tmp_file(path, "check.db");
    s = NULL;
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, NULL, &s, &e), VG_OK);
    if (!s)
        return;
    u = add_unit(s, "so-tttt", 0);
    add_contact(s, "A", u, 1);
    CHECK_EQ_INT(vg_store_check(s, &e), VG_OK);
    vg_store_close(s);
}

static const struct test_case tests[] = {
    {"open_memory", test_open_memory},
    {"open_file", test_open_file},
    {"open_missing", test_open_missing},
    {"open_newer_schema", test_open_newer_schema},
    {"open_garbage", test_open_garbage},
    {"transactions", test_transactions},
    {"close_rolls_back", test_close_rolls_back},
    {"units", test_units},
    {"contacts", test_contacts},
    {"duty", test_duty},
    {"netblocks", test_netblocks},
    {"systems", test_systems},
    {"hosts", test_hosts},
    {"addr_conflicts", test_addr_conflicts},
    {"counts", test_counts},
    {"audit", test_audit},
    {"audit_since", test_audit_since},
    {"check", test_check},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc = test_main(argc, argv, tests);
    tmp_cleanup();
    return rc;
}
