/*
 * test_scan_vault.c - unit tests for the quarantine vault (lib/scan/vault.c):
 * the round trip (bytes, mode, owner when root, times, hash), refusals
 * (overwrite, symbolic links on either side, files of installed packages,
 * the vault's size limit), the neutered content, corruption, purge, the
 * tidying after a crash and the resumption of a move that stopped before
 * removing the original.
 *
 * Every test gets its own store file (and so its own vault) in a folder made
 * with mkdtemp under $VG_TEST_TMP (ctest sets it) or /tmp, removed at the
 * end. The dpkg test only asks about /usr/bin/true; it never moves it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "core/file.h"
#include "core/log.h"
#include "scan/scan.h"
#include "store/store.h"

#include "test.h"

#include "core/banned.h"

/* ---- temporary files ---------------------------------------------------------- */

static char tmp_dir[PATH_MAX];

static const char *tmp_path(void)
{
    if (!tmp_dir[0]) {
        const char *base = getenv("VG_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        if (mkdir(base, 0700) != 0 && errno != EEXIST)
            base = "/tmp";
        snprintf(tmp_dir, sizeof tmp_dir, "%s/test_scan_vault.XXXXXX", base);
        if (!mkdtemp(tmp_dir)) {
            fprintf(stderr, "cannot create a temporary directory under %s: %s\n", base,
                    strerror(errno));
            exit(2);
        }
        /* The vault refuses to live under a world-writable folder of its own; the test
         * folder itself is ours. */
        char real[PATH_MAX];
        if (realpath(tmp_dir, real))
            snprintf(tmp_dir, sizeof tmp_dir, "%s", real);
    }
    return tmp_dir;
}

/* "<tmp>/<fmt...>" into buf[PATH_MAX]. */
static char *tmpf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *tmpf(char *buf, const char *fmt, ...)
{
    char rel[PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    snprintf(buf, PATH_MAX, "%s/%s", tmp_path(), rel);
    return buf;
}

static void mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

/* The whole file, malloc'd (NULL if it cannot be read); *n its size. */
static char *read_file(const char *path, size_t *n)
{
    struct vg_buf b;
    vg_buf_init(&b, (size_t)1 << 30);
    if (vg_file_read(path, b.max, &b, NULL) != VG_OK) {
        vg_buf_release(&b);
        *n = 0;
        return NULL;
    }
    return vg_buf_detach(&b, n);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
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

/* Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
static void fill(unsigned char *p, size_t n, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (unsigned char)x;
    }
}

/* The EICAR test string, put together at run time so that this source file is not
 * itself a match for a scanner. */
static const char *eicar(void)
{
    static char s[80];
    if (!s[0])
        snprintf(s, sizeof s, "%s%s%s%s", "X5O!P%@AP[4\\PZX54(P^)7CC)7}", "$EICAR-",
                 "STANDARD-ANTIVIRUS-", "TEST-FILE!$H+H*");
    return s;
}

/* ---- warnings from the library, captured --------------------------------------------- */

static char warnings[16384];

static void sink(int level, const char *msg, void *ctx)
{
    size_t n = strlen(warnings);
    (void)level;
    (void)ctx;
    snprintf(warnings + n, sizeof warnings - n, "%s\n", msg);
}

/* ---- a store of one's own ----------------------------------------------------------- */

struct fx {
    struct vg_store *s;
    char dir[PATH_MAX]; /* the test's folder */
    char vault[PATH_MAX];
};

static void fx_open(struct fx *f, const char *name)
{
    char db[PATH_MAX];
    struct vg_error e = {0};
    int rc;
    memset(f, 0, sizeof *f);
    tmpf(f->dir, "%s", name);
    mkdir_p(f->dir);
    snprintf(db, sizeof db, "%s/store/vigil.db", f->dir);
    rc = vg_store_open(db, VG_STORE_CREATE, "tester", &f->s, &e);
    if (rc != VG_OK) {
        fprintf(stderr, "cannot open a store at %s: %s\n", db, e.msg);
        exit(2);
    }
    rc = vg_vault_dir(f->s, f->vault, sizeof f->vault, &e);
    CHECK_EQ_INT(rc, VG_OK);
    warnings[0] = '\0';
}

static void fx_close(struct fx *f)
{
    vg_store_close(f->s);
    f->s = NULL;
}

/* "<test folder>/<rel>" into buf. */
static char *fpath(const struct fx *f, char *buf, const char *rel)
{
    snprintf(buf, PATH_MAX, "%s/%s", f->dir, rel);
    return buf;
}

/* The vault file of an entry. */
static char *vfile(const struct fx *f, char *buf, const char *name)
{
    snprintf(buf, PATH_MAX, "%s/%s", f->vault, name);
    return buf;
}

static size_t count_entries(struct fx *f)
{
    struct vg_rows rows;
    size_t n;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_quarantine_list(f->s, &rows, NULL), VG_OK);
    n = rows.n;
    vg_rows_release(&rows);
    return n;
}

/* The record of id into *out, its strings in rows (the caller releases rows). */
static bool get_entry(struct fx *f, int64_t id, struct vg_quarantine_row *out, struct vg_rows *rows)
{
    vg_rows_init(rows);
    if (!CHECK_EQ_INT(vg_store_quarantine_get(f->s, id, rows, NULL), VG_OK))
        return false;
    *out = *VG_ROW(rows, struct vg_quarantine_row, 0);
    return true;
}

/* Files in the vault whose names start with prefix ("": all of them). */
static int vault_files(struct fx *f, const char *prefix)
{
    DIR *d = opendir(f->vault);
    struct dirent *de;
    int n = 0;
    if (!d)
        return 0;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/* An audit record of action whose detail contains needle (NULL: any). */
static bool audited(struct fx *f, const char *action, const char *needle)
{
    struct vg_rows rows;
    struct vg_audit_filter flt = {.action = action};
    bool found = false;
    vg_rows_init(&rows);
    if (vg_store_audit_list(f->s, &flt, &rows, NULL) == VG_OK)
        for (size_t i = 0; i < rows.n && !found; i++) {
            struct vg_audit *a = VG_ROW(&rows, struct vg_audit, i);
            found = strcmp(a->action, action) == 0 &&
                    (!needle || (a->detail && strstr(a->detail, needle)));
        }
    vg_rows_release(&rows);
    return found;
}

/* Put a file of n pseudo-random bytes at rel; returns its SHA-256 in hex. */
static void make_file(const struct fx *f, const char *rel, size_t n, uint64_t seed, char hex[65])
{
    char p[PATH_MAX];
    unsigned char *b = malloc(n ? n : 1);
    fill(b, n, seed);
    write_file(fpath(f, p, rel), b, n);
    vg_sha256_hex(b, n, hex);
    free(b);
}

static int64_t put(struct fx *f, const char *rel, const struct vg_vault_opts *o, struct vg_error *e)
{
    char p[PATH_MAX];
    struct vg_quarantine_row q;
    memset(&q, 0, sizeof q);
    vg_error_clear(e);
    if (vg_vault_put(f->s, fpath(f, p, rel), o, &q, e) != VG_OK)
        return 0;
    return q.id;
}

/* ---- the tests -------------------------------------------------------------------------- */

static void test_vault_dir(void)
{
    struct fx f;
    struct vg_store *mem = NULL;
    struct vg_error e = {0};
    char want[PATH_MAX], dir[PATH_MAX], src[PATH_MAX], h[65];
    struct stat st, sst;
    fx_open(&f, "dir");
    snprintf(want, sizeof want, "%s/store/vault", f.dir);
    CHECK_EQ_STR(f.vault, want);
    CHECK(!exists(f.vault)); /* made by the first operation that needs it */
    make_file(&f, "a", 10, 1, h);
    CHECK(put(&f, "a", NULL, &e) > 0);
    CHECK(stat(f.vault, &st) == 0 && S_ISDIR(st.st_mode));
    snprintf(dir, sizeof dir, "%s/store", f.dir);
    CHECK(stat(dir, &sst) == 0);
    /* 0700, plus the group access the store's folder gives; never anything for others. */
    CHECK_EQ_INT(st.st_mode & 0777, 0700 | (sst.st_mode & 0070));
    CHECK_EQ_INT(st.st_mode & 0007, 0);
    fx_close(&f);

    /* A store in memory has no folder. */
    CHECK_EQ_INT(vg_store_open(":memory:", 0, "tester", &mem, &e), VG_OK);
    CHECK_EQ_INT(vg_vault_dir(mem, dir, sizeof dir, &e), VG_EINVAL);
    CHECK(strstr(e.msg, "in memory") != NULL);
    tmpf(src, "dir/a2");
    write_file(src, "x", 1);
    CHECK(vg_vault_put(mem, src, NULL, NULL, &e) != VG_OK);
    CHECK(exists(src));
    vg_store_close(mem);

    /* A vault that others may write to is refused. */
    fx_open(&f, "dir-open");
    make_file(&f, "a", 10, 1, h);
    mkdir(f.vault, 0700);
    chmod(f.vault, 0777);
    CHECK_EQ_INT(put(&f, "a", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_EPERM);
    CHECK(strstr(e.msg, "chmod o-rwx") != NULL);
    CHECK(exists(fpath(&f, src, "a")));
    chmod(f.vault, 0700);
    CHECK(put(&f, "a", NULL, &e) > 0);
    fx_close(&f);
}

static void test_round_trip(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q, r;
    struct vg_rows rows;
    char p[PATH_MAX], v[PATH_MAX], hex[65], hex2[65];
    const size_t n = 300000;
    unsigned char *orig = malloc(n);
    struct stat st;
    bool root = geteuid() == 0;
    /* Times with nanoseconds, far from now. */
    struct timespec ts[2] = {{1600000000, 123456789}, {1500000000, 987654321}};

    fx_open(&f, "round");
    fill(orig, n, 42);
    memcpy(orig + 1000, eicar(), strlen(eicar()));
    vg_sha256_hex(orig, n, hex);
    fpath(&f, p, "malware.bin");
    write_file(p, orig, n);
    chmod(p, 0754);
    if (root)
        CHECK_EQ_INT(chown(p, 1234, 4321), 0);
    CHECK_EQ_INT(utimensat(AT_FDCWD, p, ts, 0), 0);

    struct vg_vault_opts o = {.detection = "EICAR-Test-File", .hostname = "web01"};
    memset(&q, 0, sizeof q);
    CHECK_EQ_INT(vg_vault_put(f.s, p, &o, &q, &e), VG_OK);
    CHECK(q.id > 0);
    CHECK_EQ_STR(q.original_path, p);
    CHECK_EQ_STR(q.sha256, hex);
    CHECK_EQ_STR(q.detection, "EICAR-Test-File");
    CHECK_EQ_STR(q.hostname, "web01");
    CHECK_EQ_INT(q.size, n);
    CHECK_EQ_INT(q.mode & 07777, 0754);
    CHECK(S_ISREG((mode_t)q.mode));
    CHECK_EQ_INT(q.mtime_ns, 1500000000987654321LL);
    CHECK_EQ_INT(q.atime_ns, 1600000000123456789LL);
    if (root) {
        CHECK_EQ_INT(q.uid, 1234);
        CHECK_EQ_INT(q.gid, 4321);
    }
    CHECK(q.vault_name && strlen(q.vault_name) == 32);
    /* Moved: the original is gone, the entry is in the vault, recorded and audited. */
    CHECK(!exists(p));
    CHECK(stat(vfile(&f, v, q.vault_name), &st) == 0 && st.st_size == (off_t)n + 64);
    CHECK_EQ_INT(vault_files(&f, ".tmp-"), 0);
    CHECK(audited(&f, "quarantine.add", q.vault_name));
    if (get_entry(&f, q.id, &r, &rows)) {
        CHECK_EQ_STR(r.original_path, p);
        CHECK_EQ_STR(r.sha256, hex);
        CHECK_EQ_INT(r.restored_at, 0);
        CHECK_EQ_INT(r.purged_at, 0);
    }
    vg_rows_release(&rows);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);

    /* Back where it was: bytes, mode, owner, times (looked at before reading the file
     * changes its access time). */
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, NULL, &e), VG_OK);
    CHECK(lstat(p, &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ_INT(st.st_mode & 07777, 0754);
    CHECK_EQ_INT(st.st_mtim.tv_sec, 1500000000);
    CHECK_EQ_INT(st.st_mtim.tv_nsec, 987654321);
    CHECK_EQ_INT(st.st_atim.tv_sec, 1600000000);
    CHECK_EQ_INT(st.st_atim.tv_nsec, 123456789);
    if (root) {
        CHECK_EQ_INT(st.st_uid, 1234);
        CHECK_EQ_INT(st.st_gid, 4321);
    }
    size_t got_n = 0;
    char *got = read_file(p, &got_n);
    CHECK(got != NULL);
    CHECK(got && got_n == n && memcmp(got, orig, n) == 0);
    if (got) {
        vg_sha256_hex(got, got_n, hex2);
        CHECK_EQ_STR(hex2, hex);
    }
    free(got);
    if (get_entry(&f, q.id, &r, &rows)) {
        CHECK(r.restored_at > 0);
        CHECK_EQ_STR(r.restored_to, p);
    }
    vg_rows_release(&rows);
    CHECK(audited(&f, "quarantine.restore", p));
    /* The vault keeps the content until it is purged; a second restore is refused. */
    CHECK(exists(v));
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, NULL, &e), VG_ECONFLICT);
    CHECK(strstr(e.msg, "restored to") != NULL);
    /* No temporary file left in the destination folder. */
    {
        DIR *d = opendir(f.dir);
        struct dirent *de;
        int tmps = 0;
        while (d && (de = readdir(d)))
            tmps += strncmp(de->d_name, ".vigil-restore-", 15) == 0;
        if (d)
            closedir(d);
        CHECK_EQ_INT(tmps, 0);
    }
    free(orig);
    fx_close(&f);
}

static void test_restore_to(void)
{
    struct fx f;
    struct vg_error e = {0};
    char p[PATH_MAX], to[PATH_MAX], hex[65], hex2[65];
    int64_t id;
    fx_open(&f, "to");
    make_file(&f, "x.exe", 5000, 7, hex);
    id = put(&f, "x.exe", NULL, &e);
    CHECK(id > 0);
    mkdir_p(fpath(&f, to, "restored"));
    /* A folder that does not exist. */
    CHECK_EQ_INT(vg_vault_restore(f.s, id, fpath(&f, to, "missing/x.exe"), &e), VG_ENOTFOUND);
    CHECK(strstr(e.msg, "does not exist") != NULL);
    /* A folder, not a file. */
    CHECK(vg_vault_restore(f.s, id, fpath(&f, to, "restored/"), &e) != VG_OK);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, fpath(&f, to, "restored/x.copy"), &e), VG_OK);
    size_t n;
    char *b = read_file(to, &n);
    CHECK(b != NULL);
    if (b) {
        vg_sha256_hex(b, n, hex2);
        CHECK_EQ_STR(hex2, hex);
    }
    free(b);
    CHECK(!exists(fpath(&f, p, "x.exe")));
    struct vg_quarantine_row r;
    struct vg_rows rows;
    if (get_entry(&f, id, &r, &rows))
        CHECK_EQ_STR(r.restored_to, to);
    vg_rows_release(&rows);
    fx_close(&f);
}

static void test_refuse_overwrite(void)
{
    struct fx f;
    struct vg_error e = {0};
    char p[PATH_MAX], other[PATH_MAX], hex[65];
    int64_t id;
    size_t n;
    fx_open(&f, "overwrite");
    make_file(&f, "evil", 4096, 3, hex);
    id = put(&f, "evil", NULL, &e);
    CHECK(id > 0);
    /* Something new at the original path: never overwritten. */
    write_file(fpath(&f, p, "evil"), "innocent", 8);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, NULL, &e), VG_EEXIST);
    CHECK(strstr(e.msg, "never overwrites") != NULL);
    char *b = read_file(p, &n);
    CHECK(b && n == 8 && memcmp(b, "innocent", 8) == 0);
    free(b);
    /* The same with --to an existing file. */
    write_file(fpath(&f, other, "other"), "keep me", 7);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, other, &e), VG_EEXIST);
    b = read_file(other, &n);
    CHECK(b && n == 7 && memcmp(b, "keep me", 7) == 0);
    free(b);
    /* The entry is still held, and restores once the way is clear. */
    struct vg_quarantine_row r;
    struct vg_rows rows;
    if (get_entry(&f, id, &r, &rows))
        CHECK_EQ_INT(r.restored_at, 0);
    vg_rows_release(&rows);
    unlink(p);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, NULL, &e), VG_OK);
    fx_close(&f);
}

static void test_symlink_dest(void)
{
    struct fx f;
    struct vg_error e = {0};
    char real[PATH_MAX], link[PATH_MAX], to[PATH_MAX], target[PATH_MAX], hex[65];
    int64_t id;
    fx_open(&f, "symdest");
    make_file(&f, "bad", 1000, 5, hex);
    id = put(&f, "bad", NULL, &e);
    CHECK(id > 0);
    mkdir_p(fpath(&f, real, "real/sub"));
    fpath(&f, real, "real");
    CHECK_EQ_INT(symlink(real, fpath(&f, link, "link")), 0);

    /* A link in the middle of the path. */
    snprintf(to, sizeof to, "%s/x", link);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, to, &e), VG_EPERM);
    CHECK(strstr(e.msg, "symbolic link") != NULL);
    CHECK(!exists(fpath(&f, target, "real/x")));
    snprintf(to, sizeof to, "%s/sub/x", link);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, to, &e), VG_EPERM);
    CHECK(!exists(fpath(&f, target, "real/sub/x")));

    /* A link as the last component: dangling (its target would be created) ... */
    fpath(&f, target, "real/target");
    CHECK_EQ_INT(symlink(target, fpath(&f, to, "real/final")), 0);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, to, &e), VG_EEXIST);
    CHECK(strstr(e.msg, "symbolic link") != NULL);
    CHECK(!exists(target));
    /* ... or to a folder. */
    CHECK_EQ_INT(symlink(real, fpath(&f, to, "dirlink")), 0);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, to, &e), VG_EEXIST);
    snprintf(to, sizeof to, "%s/dirlink/y", f.dir);
    CHECK_EQ_INT(vg_vault_restore(f.s, id, to, &e), VG_EPERM);
    CHECK(!exists(fpath(&f, target, "real/y")));

    /* Still held; a real path works. */
    CHECK_EQ_INT(vg_vault_restore(f.s, id, fpath(&f, to, "real/sub/ok"), &e), VG_OK);
    fx_close(&f);
}

static void test_symlink_source(void)
{
    struct fx f;
    struct vg_error e = {0};
    char p[PATH_MAX], t[PATH_MAX], hex[65];
    int64_t id;
    fx_open(&f, "symsrc");
    make_file(&f, "target", 100, 9, hex);
    CHECK_EQ_INT(symlink(fpath(&f, t, "target"), fpath(&f, p, "lnk")), 0);
    CHECK_EQ_INT(put(&f, "lnk", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK(strstr(e.msg, "symbolic link") != NULL);
    CHECK(exists(t));
    CHECK(exists(p));
    CHECK_EQ_INT(count_entries(&f), 0);

    /* A folder, a named pipe (which must not block the open), a missing file. */
    mkdir_p(fpath(&f, p, "folder"));
    CHECK_EQ_INT(put(&f, "folder", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK(strstr(e.msg, "a folder") != NULL);
    CHECK_EQ_INT(mkfifo(fpath(&f, p, "fifo"), 0600), 0);
    CHECK_EQ_INT(put(&f, "fifo", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK(strstr(e.msg, "named pipe") != NULL);
    CHECK_EQ_INT(put(&f, "nothing-here", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_ENOTFOUND);
    CHECK_EQ_INT(put(&f, "folder/", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK_EQ_INT(count_entries(&f), 0);
    CHECK_EQ_INT(vault_files(&f, ".tmp-"), 0);
    /* The store itself. */
    snprintf(t, sizeof t, "%s/store/vigil.db", f.dir);
    CHECK_EQ_INT(vg_vault_put(f.s, t, NULL, NULL, &e), VG_EINVAL);
    CHECK(strstr(e.msg, "own store") != NULL);
    CHECK(exists(t));
    CHECK_EQ_INT(vg_store_check(f.s, NULL), VG_OK);

    /* A folder on the way may be a link: the record names the real path. */
    mkdir_p(fpath(&f, p, "realdir"));
    CHECK_EQ_INT(symlink(p, fpath(&f, t, "dirlink")), 0);
    make_file(&f, "realdir/f", 10, 11, hex);
    struct vg_quarantine_row q;
    snprintf(t, sizeof t, "%s/dirlink/f", f.dir);
    CHECK_EQ_INT(vg_vault_put(f.s, t, NULL, &q, &e), VG_OK);
    id = q.id;
    CHECK(id > 0);
    snprintf(t, sizeof t, "%s/realdir/f", f.dir);
    CHECK_EQ_STR(q.original_path, t);
    CHECK(!exists(t));
    fx_close(&f);
}

static void test_dpkg(void)
{
    static const char *candidates[] = {"/usr/bin/true", "/bin/true"};
    struct fx f;
    struct vg_error e = {0};
    struct vg_vault_opts o = {0};
    struct vg_quarantine_row q;
    const char *path = NULL;
    struct stat before, after;
    char p[PATH_MAX], hex[65];
    size_t n = 0;
    char *list = read_file("/var/lib/dpkg/info/coreutils.list", &n);
    if (!list) {
        fprintf(stderr, "dpkg: no /var/lib/dpkg/info/coreutils.list; test skipped\n");
        return;
    }
    /* A path the list names that exists here. */
    for (size_t i = 0; i < 2 && !path; i++) {
        const char *name = candidates[i];
        char line[64];
        snprintf(line, sizeof line, "\n%s\n", name);
        if (strstr(list, line) && stat(name, &before) == 0 && S_ISREG(before.st_mode))
            path = name;
    }
    free(list);
    if (!CHECK(path != NULL))
        return;
    CHECK(vg_dpkg_owned(path));
    /* Both names of a /usr-merged file. */
    CHECK(vg_dpkg_owned("/usr/bin/true"));
    CHECK(vg_dpkg_owned("/bin/true"));
    CHECK(!vg_dpkg_owned("/usr/bin/surely-not-a-packaged-file"));
    CHECK(!vg_dpkg_owned("relative/path"));

    fx_open(&f, "dpkg");
    make_file(&f, "mine", 10, 1, hex);
    CHECK(!vg_dpkg_owned(fpath(&f, p, "mine")));
    CHECK_EQ_INT(lstat(path, &before), 0);
    memset(&q, 0, sizeof q);
    int rc = vg_vault_put(f.s, path, &o, &q, &e);
    CHECK_EQ_INT(rc, VG_EPERM);
    if (rc == VG_OK) {
        /* It must never happen; if it does, put the system's file back at once. */
        fprintf(stderr, "dpkg: %s was quarantined by mistake; restoring it\n", path);
        vg_vault_restore(f.s, q.id, NULL, &e);
    }
    CHECK(strstr(e.msg, "--force") != NULL);
    CHECK(strstr(e.msg, "coreutils") != NULL);
    CHECK_EQ_INT(lstat(path, &after), 0);
    CHECK(before.st_ino == after.st_ino && before.st_dev == after.st_dev);
    CHECK_EQ_INT(count_entries(&f), 0);
    CHECK(!exists(f.vault) || vault_files(&f, "") == 0);
    fx_close(&f);
}

static void test_vault_max(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_vault_opts o = {0};
    char p[PATH_MAX], hex[65];
    int64_t used = 0;
    fx_open(&f, "max");
    make_file(&f, "one", 1000, 1, hex);
    make_file(&f, "two", 600, 2, hex);
    make_file(&f, "three", 400, 3, hex);
    o.vault_max = 1500;
    CHECK(put(&f, "one", &o, &e) > 0);
    CHECK_EQ_INT(put(&f, "two", &o, &e), 0);
    CHECK_EQ_INT(e.code, VG_ETOOBIG);
    CHECK(strstr(e.msg, "the vault is full: 1000 of 1500 bytes used; purge entries or raise "
                        "--vault-max") != NULL);
    CHECK(exists(fpath(&f, p, "two")));
    CHECK_EQ_INT(count_entries(&f), 1);
    CHECK_EQ_INT(vault_files(&f, ".tmp-"), 0);
    /* What fits still goes in (exactly up to the limit). */
    o.vault_max = 1400;
    CHECK(put(&f, "three", &o, &e) > 0);
    CHECK_EQ_INT(vg_store_quarantine_bytes(f.s, &used, NULL), VG_OK);
    CHECK_EQ_INT(used, 1400);
    /* A restored entry keeps its content in the vault until purged: it still counts. */
    int64_t one = 1;
    CHECK_EQ_INT(vg_vault_restore(f.s, one, fpath(&f, p, "one.back"), &e), VG_OK);
    o.vault_max = 1900;
    CHECK_EQ_INT(put(&f, "two", &o, &e), 0);
    CHECK_EQ_INT(e.code, VG_ETOOBIG);
    CHECK(strstr(e.msg, "1400 of 1900 bytes used") != NULL);
    CHECK_EQ_INT(vg_vault_purge(f.s, one, &e), VG_OK);
    CHECK(put(&f, "two", &o, &e) > 0);
    /* No limit. */
    o.vault_max = 0;
    make_file(&f, "four", 5000, 4, hex);
    CHECK(put(&f, "four", &o, &e) > 0);
    fx_close(&f);
}

static void test_neutered(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q;
    char p[PATH_MAX], v[PATH_MAX], hex[65], vhex[65];
    const char *ei = eicar();
    size_t n = 0, len = strlen(ei);
    struct stat st;
    fx_open(&f, "neuter");
    /* The EICAR file exactly as scanners know it, and an ELF-looking one. */
    fpath(&f, p, "eicar.com");
    write_file(p, ei, len);
    memset(&q, 0, sizeof q);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q, &e), VG_OK);
    vfile(&f, v, q.vault_name);
    CHECK(stat(v, &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ_INT(st.st_mode & 07777, 0600);
    char *b = read_file(v, &n);
    CHECK(b != NULL);
    if (b) {
        CHECK_EQ_INT(n, len + 64);
        CHECK(memcmp(b, "VIGILQ1\n", 8) == 0);
        CHECK(memmem(b, n, ei, len) == NULL);
        CHECK(memmem(b, n, "EICAR", 5) == NULL);
        CHECK(memmem(b, n, "X5O!P", 5) == NULL);
        vg_sha256_hex(b + 64, n - 64, vhex);
        CHECK(strcmp(vhex, q.sha256) != 0);
        /* Nothing of the original metadata in the header either. */
        CHECK(memmem(b, n, "eicar.com", 9) == NULL);
    }
    free(b);

    unsigned char elf[4096];
    fill(elf, sizeof elf, 77);
    memcpy(elf, "\177ELF\2\1\1", 7);
    memcpy(elf + 100, "#!/bin/sh\n", 10);
    write_file(fpath(&f, p, "prog"), elf, sizeof elf);
    chmod(p, 0755);
    vg_sha256_hex(elf, sizeof elf, hex);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q, &e), VG_OK);
    b = read_file(vfile(&f, v, q.vault_name), &n);
    CHECK(b != NULL);
    if (b) {
        CHECK(memmem(b, n, "\177ELF", 4) == NULL);
        CHECK(memmem(b, n, elf + 200, 64) == NULL);
        CHECK(memmem(b, n, "#!/bin/sh", 9) == NULL);
    }
    free(b);
    CHECK(stat(v, &st) == 0 && (st.st_mode & 0111) == 0);
    CHECK_EQ_INT(st.st_mode & 07777, 0600);
    CHECK_EQ_STR(q.sha256, hex);
    /* Two entries of the same bytes are neutered differently (per-entry key). */
    write_file(fpath(&f, p, "eicar2.com"), ei, len);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q, &e), VG_OK);
    size_t n2 = 0;
    char *b2 = read_file(vfile(&f, v, q.vault_name), &n2);
    CHECK(b2 && memmem(b2, n2, ei, len) == NULL);
    free(b2);
    fx_close(&f);
}

/* Change one byte of a file in place. */
static void flip(const char *path, off_t at)
{
    int fd = open(path, O_RDWR);
    unsigned char c = 0;
    if (fd < 0 || pread(fd, &c, 1, at) != 1) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    c ^= 0x40;
    if (pwrite(fd, &c, 1, at) != 1) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
    close(fd);
}

static void test_corrupt(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q;
    char p[PATH_MAX], v[PATH_MAX], to[PATH_MAX], hex[65];
    fx_open(&f, "corrupt");
    make_file(&f, "trojan", 70000, 13, hex);
    fpath(&f, p, "trojan");
    memset(&q, 0, sizeof q);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q, &e), VG_OK);
    vfile(&f, v, q.vault_name);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);

    /* One flipped byte of the content. */
    flip(v, 64 + 5000);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_EIO);
    CHECK(strstr(e.msg, "is corrupted") != NULL);
    CHECK(strstr(e.msg, "SHA-256") != NULL);
    CHECK(vg_vault_restore(f.s, q.id, NULL, &e) != VG_OK);
    CHECK(strstr(e.msg, "is corrupted") != NULL);
    CHECK(!exists(p));
    CHECK(vg_vault_restore(f.s, q.id, fpath(&f, to, "elsewhere"), &e) != VG_OK);
    CHECK(!exists(to));
    flip(v, 64 + 5000);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);

    /* A damaged header. */
    flip(v, 3);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_EIO);
    CHECK(strstr(e.msg, "header") != NULL);
    flip(v, 3);

    /* Cut short. */
    CHECK_EQ_INT(truncate(v, 64 + 69999), 0);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_EIO);
    CHECK(strstr(e.msg, "69999 bytes where 70000 were recorded") != NULL);
    CHECK(vg_vault_restore(f.s, q.id, NULL, &e) != VG_OK);
    CHECK(!exists(p));

    /* Gone. */
    CHECK_EQ_INT(unlink(v), 0);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_ENOTFOUND);
    CHECK(strstr(e.msg, "lost its content") != NULL);
    CHECK_EQ_INT(vg_vault_verify(f.s, 999, &e), VG_ENOTFOUND);
    fx_close(&f);
}

static void test_purge(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q, r;
    struct vg_rows rows;
    char p[PATH_MAX], v[PATH_MAX], hex[65];
    int64_t used = -1;
    fx_open(&f, "purge");
    make_file(&f, "worm", 2000, 17, hex);
    fpath(&f, p, "worm");
    memset(&q, 0, sizeof q);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q, &e), VG_OK);
    vfile(&f, v, q.vault_name);
    CHECK(exists(v));
    CHECK_EQ_INT(vg_vault_purge(f.s, q.id, &e), VG_OK);
    CHECK(!exists(v));
    /* The record stays, marked. */
    if (get_entry(&f, q.id, &r, &rows)) {
        CHECK(r.purged_at > 0);
        CHECK_EQ_STR(r.sha256, hex);
        CHECK_EQ_STR(r.original_path, p);
    }
    vg_rows_release(&rows);
    CHECK_EQ_INT(count_entries(&f), 1);
    CHECK(audited(&f, "quarantine.purge", hex));
    CHECK_EQ_INT(vg_store_quarantine_bytes(f.s, &used, NULL), VG_OK);
    CHECK_EQ_INT(used, 0);
    /* Nothing left to verify, restore or purge. */
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_ENOTFOUND);
    CHECK(strstr(e.msg, "purged") != NULL);
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, NULL, &e), VG_ECONFLICT);
    CHECK(strstr(e.msg, "purged") != NULL);
    CHECK(!exists(p));
    CHECK_EQ_INT(vg_vault_purge(f.s, q.id, &e), VG_ECONFLICT);
    CHECK_EQ_INT(vg_vault_purge(f.s, 12345, &e), VG_ENOTFOUND);
    /* A restored entry can be purged too. */
    make_file(&f, "worm2", 100, 18, hex);
    CHECK_EQ_INT(vg_vault_put(f.s, fpath(&f, p, "worm2"), NULL, &q, &e), VG_OK);
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, NULL, &e), VG_OK);
    CHECK_EQ_INT(vg_vault_purge(f.s, q.id, &e), VG_OK);
    CHECK(!exists(vfile(&f, v, q.vault_name)));
    CHECK(exists(p));
    fx_close(&f);
}

static void test_tidy(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q, q2;
    char p[PATH_MAX], v[PATH_MAX], t[PATH_MAX], hex[65], name1[65], name2[65];
    fx_open(&f, "tidy");
    vg_log_set_sink(sink, NULL);
    make_file(&f, "a", 3000, 21, hex);
    make_file(&f, "b", 3000, 22, hex);
    /* out's strings live until the next vg_vault_put of this thread: keep the names. */
    CHECK_EQ_INT(vg_vault_put(f.s, fpath(&f, p, "a"), NULL, &q, &e), VG_OK);
    snprintf(name1, sizeof name1, "%s", q.vault_name);
    CHECK_EQ_INT(vg_vault_put(f.s, fpath(&f, p, "b"), NULL, &q2, &e), VG_OK);
    snprintf(name2, sizeof name2, "%s", q2.vault_name);
    CHECK(strcmp(name1, name2) != 0);

    /* 1. An unfinished copy that no record names (a crash before the commit): removed. */
    snprintf(t, sizeof t, "%s/.tmp-0123456789abcdef0123456789abcdef", f.vault);
    write_file(t, "partial", 7);
    warnings[0] = '\0';
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);
    CHECK(!exists(t));
    CHECK(strstr(warnings, "unfinished copy") != NULL);

    /* 2. A committed entry still under its temporary name (a crash before the rename):
     * put in place, and whole. */
    vfile(&f, v, name2);
    snprintf(t, sizeof t, "%s/.tmp-%s", f.vault, name2);
    CHECK_EQ_INT(rename(v, t), 0);
    warnings[0] = '\0';
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);
    CHECK(exists(v));
    CHECK(!exists(t));
    CHECK(strstr(warnings, "finished quarantine entry") != NULL);
    CHECK_EQ_INT(vg_vault_verify(f.s, q2.id, &e), VG_OK);

    /* 3. A purged entry whose file is still there (a crash before the unlink): deleted. */
    CHECK_EQ_INT(vg_vault_purge(f.s, q.id, &e), VG_OK);
    vfile(&f, v, name1);
    write_file(v, "leftover", 8);
    CHECK_EQ_INT(vg_vault_verify(f.s, q2.id, &e), VG_OK);
    CHECK(!exists(v));

    /* 4. A file that no record names: reported, never deleted (it may be the only copy). */
    snprintf(t, sizeof t, "%s/fedcba9876543210fedcba9876543210", f.vault);
    write_file(t, "unknown", 7);
    CHECK_EQ_INT(vg_vault_verify(f.s, q2.id, &e), VG_OK);
    CHECK(exists(t));
    vg_log_set_sink(NULL, NULL);
    fx_close(&f);
}

static void test_resume(void)
{
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q, q2;
    char p[PATH_MAX], v[PATH_MAX];
    unsigned char b[5000];
    struct timespec ts[2] = {{1700000000, 5}, {1690000000, 7}};
    fx_open(&f, "resume");
    vg_log_set_sink(sink, NULL);
    fill(b, sizeof b, 31);
    fpath(&f, p, "dropper");
    write_file(p, b, sizeof b);
    chmod(p, 0640);
    utimensat(AT_FDCWD, p, ts, 0);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q, &e), VG_OK);
    CHECK(!exists(p));

    /* As if the process had died after the record, before removing the original: the
     * same file at the same path. */
    write_file(p, b, sizeof b);
    chmod(p, 0640);
    utimensat(AT_FDCWD, p, ts, 0);
    warnings[0] = '\0';
    memset(&q2, 0, sizeof q2);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q2, &e), VG_OK);
    CHECK_EQ_INT(q2.id, q.id);
    CHECK(!exists(p));
    CHECK_EQ_INT(count_entries(&f), 1);
    CHECK(strstr(warnings, "already quarantined as entry") != NULL);
    CHECK(audited(&f, "quarantine.add", "\"resumed\":true"));
    CHECK(exists(vfile(&f, v, q.vault_name)));

    /* Another file at that path (other times, or other bytes) is a new entry. */
    write_file(p, b, sizeof b);
    chmod(p, 0640);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q2, &e), VG_OK);
    CHECK(q2.id != q.id);
    b[10] ^= 1;
    write_file(p, b, sizeof b);
    chmod(p, 0640);
    utimensat(AT_FDCWD, p, ts, 0);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q2, &e), VG_OK);
    CHECK(q2.id != q.id);
    CHECK_EQ_INT(count_entries(&f), 3);
    /* Once restored, an entry is not resumed: the same file again is a new entry. */
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, fpath(&f, v, "back"), &e), VG_OK);
    fill(b, sizeof b, 31);
    write_file(p, b, sizeof b);
    chmod(p, 0640);
    utimensat(AT_FDCWD, p, ts, 0);
    CHECK_EQ_INT(vg_vault_put(f.s, p, NULL, &q2, &e), VG_OK);
    CHECK(q2.id != q.id);
    CHECK_EQ_INT(count_entries(&f), 4);
    vg_log_set_sink(NULL, NULL);
    fx_close(&f);
}

static void test_in_tx(void)
{
    struct fx f;
    struct vg_error e = {0};
    char p[PATH_MAX], hex[65];
    fx_open(&f, "tx");
    make_file(&f, "a", 10, 1, hex);
    CHECK_EQ_INT(vg_store_begin(f.s, &e), VG_OK);
    CHECK_EQ_INT(put(&f, "a", NULL, &e), 0);
    CHECK_EQ_INT(e.code, VG_EINVAL);
    CHECK(strstr(e.msg, "transaction") != NULL);
    vg_store_rollback(f.s);
    CHECK(exists(fpath(&f, p, "a")));
    fx_close(&f);
}

static void test_large(void)
{
    /* Bigger than the copy buffer, and not a multiple of the key or of the buffer. */
    struct fx f;
    struct vg_error e = {0};
    struct vg_quarantine_row q;
    char p[PATH_MAX], hex[65], hex2[65];
    const size_t n = (3u << 20) + 12345;
    size_t got = 0;
    fx_open(&f, "large");
    make_file(&f, "big", n, 55, hex);
    CHECK_EQ_INT(vg_vault_put(f.s, fpath(&f, p, "big"), NULL, &q, &e), VG_OK);
    CHECK_EQ_STR(q.sha256, hex);
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, NULL, &e), VG_OK);
    char *b = read_file(p, &got);
    CHECK(b && got == n);
    if (b) {
        vg_sha256_hex(b, got, hex2);
        CHECK_EQ_STR(hex2, hex);
    }
    free(b);
    /* An empty file goes in and out too. */
    make_file(&f, "empty", 0, 0, hex);
    CHECK_EQ_INT(vg_vault_put(f.s, fpath(&f, p, "empty"), NULL, &q, &e), VG_OK);
    CHECK_EQ_INT(vg_vault_verify(f.s, q.id, &e), VG_OK);
    CHECK_EQ_INT(vg_vault_restore(f.s, q.id, NULL, &e), VG_OK);
    struct stat st;
    CHECK(stat(p, &st) == 0 && st.st_size == 0);
    fx_close(&f);
}

static const struct test_case tests[] = {
    {"vault_dir", test_vault_dir},
    {"round_trip", test_round_trip},
    {"restore_to", test_restore_to},
    {"refuse_overwrite", test_refuse_overwrite},
    {"symlink_dest", test_symlink_dest},
    {"symlink_source", test_symlink_source},
    {"dpkg", test_dpkg},
    {"vault_max", test_vault_max},
    {"neutered", test_neutered},
    {"corrupt", test_corrupt},
    {"purge", test_purge},
    {"tidy", test_tidy},
    {"resume", test_resume},
    {"in_tx", test_in_tx},
    {"large", test_large},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc = test_main(argc, argv, tests);
    tmp_cleanup();
    return rc;
}
