/*
 * vault.c - the quarantine vault: files moved out of harm's way, kept
 * neutered in "<folder of the store>/vault", recorded in the store, and
 * given back byte for byte on request.
 *
 * A vault file ("entry") is a 64-byte header followed by the original bytes
 * XOR-ed with a 32-byte key that repeats:
 *
 *     0..7   "VIGILQ1\n"    magic
 *     8      1              method: XOR with the repeating key
 *     9..63  0              reserved (the header carries no metadata)
 *     64..   byte i of the original XOR key[i % 32]
 *
 * key = SHA-256("vigil-quarantine-v1:" + the entry's name), and the name is
 * 32 random hex digits (getrandom). So the file is not executable (mode
 * 0600, and no ELF/MZ/#! magic at its start), and no byte pattern or hash
 * of the original appears in it for another scanner to match, while the
 * transformation needs nothing but the name to undo. It is neutering, not
 * secrecy: the name is in the store.
 *
 * Moving a file in (vg_vault_put), with the vault folder locked (flock) for
 * the whole operation so that vault operations of several processes take
 * turns:
 *
 *   1. open the file with O_NOFOLLOW (a link is refused), fstat: a regular file
 *   2. copy it neutered to ".tmp-NAME" in the vault, hashing as it goes;
 *      fsync the copy and the vault folder
 *   3. drop the copy from the page cache, read it back, un-neuter and hash:
 *      it must give the same SHA-256
 *   4. record it in the store, with the audit entry, in one transaction
 *   5. rename ".tmp-NAME" to "NAME" (never over anything); fsync the folder
 *   6. unlink the original if it is still the same file; fsync its folder
 *
 * The commit (4) comes before the rename (5), so that a vault file under its
 * final name always has a record: a crash before 4 leaves the original and a
 * ".tmp-" file with no record, which the next vault operation removes; a
 * crash between 4 and 5 leaves the original, a record and a complete
 * ".tmp-NAME", which the next vault operation renames into place (it was
 * verified in 3). A crash between 5 and 6 leaves both the original and a
 * complete recorded entry: a later vg_vault_put of the same path, with the
 * same content and metadata as a held entry whose vault file verifies, then
 * only removes the original (and audits that) instead of making a second
 * entry. At no point are both the original and a complete entry gone.
 *
 * Restoring (vg_vault_restore): the entry is un-neutered and its SHA-256
 * checked before anything is written; the destination's folder is opened
 * one component at a time with O_NOFOLLOW (a link anywhere on the way is
 * refused); the file is written as an unnamed O_TMPFILE in it (a
 * ".vigil-restore-" name where the file system has none), hashed once more,
 * given its owner (as root), mode and times, fsync'd, and linked into place
 * with linkat (or renameat2 RENAME_NOREPLACE), which fails rather than
 * replace anything; then the record is marked restored, with its audit entry.
 *
 * vg_vault_put's out row keeps its strings in storage of the calling
 * thread, valid until that thread's next vg_vault_put (scan.h gives no arena
 * for them).
 *
 * A restored entry keeps its content in the vault until it is purged, so it
 * counts towards vault_max (the sizes of the entries not purged).
 *
 * The next vault operation (any of put, restore, purge, verify) also
 * finishes an interrupted purge (a purged record whose file is still there)
 * and reports, but never deletes, a vault file that no record names (left
 * by a power loss that took the store's last commit, or by a second store
 * in the same folder): its content may be the only copy.
 */
#include "scan/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/log.h"
#include "core/map.h"
#include "core/parse.h"
#include "core/str.h"
#include "store/store.h"
#include "core/banned.h"

#define VQ_MAGIC "VIGILQ1\n"
#define VQ_HDR 64
#define VQ_METHOD_XOR 1
#define VQ_KEY_SALT "vigil-quarantine-v1:"
#define VQ_TMP ".tmp-"
#define VQ_NAME_BYTES 16 /* random bytes of an entry's name: 32 hex digits */
#define VQ_CHUNK ((size_t)1 << 20)
#define DPKG_INFO "/var/lib/dpkg/info"

/* ---- small helpers ----------------------------------------------------------- */

/* errno as a vigil error code. */
static int errno_code(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case EROFS:
        return VG_EPERM;
    case ENOENT:
        return VG_ENOTFOUND;
    case EEXIST:
        return VG_EEXIST;
    case ENOMEM:
        return VG_ENOMEM;
    case EFBIG:
    case ENOSPC:
    case EDQUOT:
        return VG_ETOOBIG;
    default:
        return VG_EIO;
    }
}

/* Fill err with the formatted message, ": ", and strerror(e); the code follows e. */
static int sys_fail(struct vg_error *err, int e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int sys_fail(struct vg_error *err, int e, const char *fmt, ...)
{
    char msg[VG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vg_error_set(err, errno_code(e), "%s: %s", msg, strerror(e));
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Read up to n bytes (fewer only at the end of the file); -1 on error. */
static ssize_t read_full(int fd, void *p, size_t n)
{
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, c + got, n - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* A time in nanoseconds since the epoch, from a struct timespec. */
static int64_t ts_ns(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
    struct timespec t;
    t.tv_sec = (time_t)(ns / 1000000000);
    t.tv_nsec = (long)(ns % 1000000000);
    if (t.tv_nsec < 0) {
        t.tv_nsec += 1000000000;
        t.tv_sec--;
    }
    return t;
}

/* "2026-11-22T01:28:42Z", for messages. */
static const char *when(time_t t, char *buf)
{
    return vg_time_rfc3339(t, buf);
}

/* ---- neutering ----------------------------------------------------------------- */

static void vq_key(const char *name, unsigned char key[32])
{
    unsigned char in[128];
    size_t a = strlen(VQ_KEY_SALT), b = strlen(name);
    unsigned int len = 0;
    if (b > sizeof in - a)
        b = sizeof in - a;
    memcpy(in, VQ_KEY_SALT, a);
    memcpy(in + a, name, b);
    if (!EVP_Digest(in, a + b, key, &len, EVP_sha256(), NULL) || len != 32)
        memset(key, 0xA5, 32); /* cannot happen with the default provider; still not identity */
}

/* XOR p[0..n), which sits at payload offset off, with the key. Its own inverse. */
static void vq_xor(unsigned char *p, size_t n, uint64_t off, const unsigned char key[32])
{
    size_t k = (size_t)(off & 31);
    for (size_t i = 0; i < n; i++) {
        p[i] ^= key[k];
        k = (k + 1) & 31;
    }
}

static void vq_header(unsigned char h[VQ_HDR])
{
    memset(h, 0, VQ_HDR);
    memcpy(h, VQ_MAGIC, 8);
    h[8] = VQ_METHOD_XOR;
}

static bool vq_header_ok(const unsigned char h[VQ_HDR])
{
    if (memcmp(h, VQ_MAGIC, 8) != 0 || h[8] != VQ_METHOD_XOR)
        return false;
    for (int i = 9; i < VQ_HDR; i++)
        if (h[i])
            return false;
    return true;
}

/*
 * Un-neuter the vault file open in fd (read from its start): check the
 * header and that it holds size bytes, write the original bytes to outfd
 * unless it is -1, and put their SHA-256 in hex. On failure, why says what
 * was wrong (the caller names the entry); VG_EPARSE when the file is not
 * what a vault file of that size must be, else the read/write error's code.
 */
static int vq_decode(int fd, const char *name, int64_t size, int outfd, char hex[65], char *why,
                     size_t whyn)
{
    unsigned char key[32], hdr[VQ_HDR], md[32];
    unsigned char *buf = NULL;
    EVP_MD_CTX *ctx = NULL;
    unsigned int mdlen = 0;
    uint64_t off = 0;
    struct stat st;
    int rc = VG_OK;
    ssize_t r;

    if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
        snprintf(why, whyn, "cannot read it: %s", strerror(errno));
        return errno_code(errno);
    }
    if (st.st_size != (off_t)size + VQ_HDR) {
        snprintf(why, whyn, "it holds %lld bytes where %lld were recorded (truncated or changed)",
                 (long long)st.st_size - VQ_HDR, (long long)size);
        return VG_EPARSE;
    }
    r = read_full(fd, hdr, VQ_HDR);
    if (r < 0) {
        snprintf(why, whyn, "cannot read it: %s", strerror(errno));
        return errno_code(errno);
    }
    if (r != VQ_HDR || !vq_header_ok(hdr)) {
        snprintf(why, whyn, "its header is not a vigil vault header");
        return VG_EPARSE;
    }
    buf = malloc(VQ_CHUNK);
    ctx = EVP_MD_CTX_new();
    if (!buf || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        snprintf(why, whyn, "out of memory");
        rc = VG_ENOMEM;
        goto out;
    }
    vq_key(name, key);
    for (;;) {
        r = read_full(fd, buf, VQ_CHUNK);
        if (r < 0) {
            snprintf(why, whyn, "cannot read it: %s", strerror(errno));
            rc = errno_code(errno);
            goto out;
        }
        if (r == 0)
            break;
        vq_xor(buf, (size_t)r, off, key);
        off += (uint64_t)r;
        EVP_DigestUpdate(ctx, buf, (size_t)r);
        if (outfd >= 0 && write_all(outfd, buf, (size_t)r) != 0) {
            snprintf(why, whyn, "cannot write the restored copy: %s", strerror(errno));
            rc = errno_code(errno);
            goto out;
        }
    }
    if (off != (uint64_t)size) {
        snprintf(why, whyn, "it holds %llu bytes where %lld were recorded (changed while read)",
                 (unsigned long long)off, (long long)size);
        rc = VG_EPARSE;
        goto out;
    }
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32) {
        snprintf(why, whyn, "cannot compute its SHA-256");
        rc = VG_EIO;
        goto out;
    }
    vg_hex_encode(md, 32, hex);
out:
    EVP_MD_CTX_free(ctx);
    free(buf);
    return rc;
}

/* ---- the vault folder ------------------------------------------------------------ */

int vg_vault_dir(struct vg_store *s, char *out, size_t n, struct vg_error *err)
{
    const char *sp = vg_store_path(s);
    char dir[PATH_MAX], real[PATH_MAX];
    char *slash;
    int w;
    if (!sp || !*sp || strcmp(sp, ":memory:") == 0)
        return vg_error_set(err, VG_EINVAL,
                            "the store is in memory: it has no folder to keep a quarantine vault "
                            "in; use a store file (--db)");
    if (vg_strlcpy(dir, sp, sizeof dir) >= sizeof dir)
        return vg_error_set(err, VG_EINVAL, "the store's path is too long: '%s'", sp);
    slash = strrchr(dir, '/');
    if (!slash)
        vg_strlcpy(dir, ".", sizeof dir);
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (!realpath(dir, real))
        return sys_fail(err, errno, "cannot find the store's folder '%s'", dir);
    w = snprintf(out, n, "%s/vault", strcmp(real, "/") == 0 ? "" : real);
    if (w < 0 || (size_t)w >= n)
        return vg_error_set(err, VG_EINVAL, "the vault's path is too long: '%s/vault'", real);
    return VG_OK;
}

struct vault {
    int fd; /* the vault folder, locked (flock LOCK_EX) while open */
    char dir[PATH_MAX];
};

/*
 * Open the vault folder (creating it with the store folder's group access:
 * 0700, or 0770 when the store's folder is shared with its group) and lock
 * it: vault operations of all processes take turns.
 */
static int vault_open(struct vg_store *s, struct vault *v, struct vg_error *err)
{
    struct stat st;
    int rc;
    v->fd = -1;
    if ((rc = vg_vault_dir(s, v->dir, sizeof v->dir, err)))
        return rc;
    v->fd = open(v->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (v->fd < 0 && errno == ENOENT) {
        char parent[PATH_MAX];
        mode_t mode = 0700;
        vg_strlcpy(parent, v->dir, sizeof parent);
        *strrchr(parent, '/') = '\0';
        if (stat(parent[0] ? parent : "/", &st) == 0)
            mode |= st.st_mode & 0070;
        if (mkdir(v->dir, mode) != 0 && errno != EEXIST)
            return sys_fail(err, errno, "cannot create the quarantine vault '%s'", v->dir);
        v->fd = open(v->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        /* mkdir's mode went through the umask; say it exactly (keeping a setgid bit the
         * folder inherited, so that entries keep the store's group). */
        if (v->fd >= 0 && fstat(v->fd, &st) == 0)
            fchmod(v->fd, mode | (st.st_mode & S_ISGID));
    }
    if (v->fd < 0) {
        if (errno == ELOOP || errno == ENOTDIR)
            return vg_error_set(err, VG_EINVAL,
                                "the quarantine vault '%s' is not a folder (a symbolic link?): "
                                "vigil keeps the vault only in a real folder; move it away",
                                v->dir);
        return sys_fail(err, errno, "cannot open the quarantine vault '%s'", v->dir);
    }
    if (fstat(v->fd, &st) != 0) {
        rc = sys_fail(err, errno, "cannot read the quarantine vault '%s'", v->dir);
        close_fd(&v->fd);
        return rc;
    }
    if (st.st_mode & S_IWOTH) {
        close_fd(&v->fd);
        return vg_error_set(err, VG_EPERM,
                            "the quarantine vault '%s' is writable by every user (mode %04o): "
                            "run 'chmod o-rwx %s' first",
                            v->dir, (unsigned)(st.st_mode & 07777), v->dir);
    }
    while (flock(v->fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        rc = sys_fail(err, errno, "cannot lock the quarantine vault '%s'", v->dir);
        close_fd(&v->fd);
        return rc;
    }
    return VG_OK;
}

static void vault_close(struct vault *v)
{
    close_fd(&v->fd); /* and the lock goes with it */
}

static bool unrecorded_reported; /* report unknown vault files once per process */

/*
 * Tidy up after a crash, with the vault locked (see the comment at the top):
 * ".tmp-NAME" without a live record is an unfinished copy: removed (its
 * original was never touched); with one, the entry was committed but not yet
 * renamed: renamed into place. A file of a purged record is deleted (an
 * interrupted purge). A file no record names is reported and kept.
 */
static int vault_tidy(struct vg_store *s, struct vault *v, struct vg_error *err)
{
    struct vg_rows rows;
    struct vg_map names;
    DIR *d = NULL;
    struct dirent *de;
    bool changed = false;
    int rc = VG_OK, dfd;

    vg_rows_init(&rows);
    vg_map_init(&names);
    if ((rc = vg_store_quarantine_list(s, &rows, err)))
        goto out;
    for (size_t i = 0; i < rows.n; i++) {
        struct vg_quarantine_row *r = VG_ROW(&rows, struct vg_quarantine_row, i);
        bool created;
        union vg_map_val *m;
        if (!r->vault_name)
            continue;
        if (!(m = vg_map_puts(&names, r->vault_name, &created))) {
            rc = vg_error_set(err, VG_ENOMEM, "out of memory");
            goto out;
        }
        m->p = r;
    }
    dfd = dup(v->fd);
    if (dfd < 0 || !(d = fdopendir(dfd))) {
        rc = sys_fail(err, errno, "cannot list the quarantine vault '%s'", v->dir);
        if (dfd >= 0)
            close(dfd);
        goto out;
    }
    rewinddir(d);
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        const struct vg_quarantine_row *r;
        union vg_map_val *m;
        struct stat st;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        if (fstatat(v->fd, n, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
            if (!unrecorded_reported)
                vg_warn("'%s/%s' is not a vault file; vigil leaves it alone", v->dir, n);
            continue;
        }
        if (strncmp(n, VQ_TMP, strlen(VQ_TMP)) == 0) {
            const char *final = n + strlen(VQ_TMP);
            m = vg_map_gets(&names, final);
            r = m ? m->p : NULL;
            if (r && !r->purged_at && fstatat(v->fd, final, &st, AT_SYMLINK_NOFOLLOW) != 0 &&
                errno == ENOENT) {
                if (renameat(v->fd, n, v->fd, final) == 0)
                    vg_warn("finished quarantine entry %lld ('%s'): an interrupted run left it "
                            "under a temporary name",
                            (long long)r->id, r->original_path);
                else
                    vg_warn("cannot finish quarantine entry %lld: cannot rename '%s/%s': %s",
                            (long long)r->id, v->dir, n, strerror(errno));
                changed = true;
                continue;
            }
            if (unlinkat(v->fd, n, 0) == 0)
                vg_warn("removed '%s/%s': an unfinished copy left by an interrupted quarantine "
                        "(its original was not removed)",
                        v->dir, n);
            else
                vg_warn("cannot remove the unfinished copy '%s/%s': %s", v->dir, n,
                        strerror(errno));
            changed = true;
            continue;
        }
        m = vg_map_gets(&names, n);
        if (m) {
            r = m->p;
            if (r->purged_at) {
                if (unlinkat(v->fd, n, 0) == 0)
                    vg_warn("deleted the content of purged quarantine entry %lld: an "
                            "interrupted purge left it",
                            (long long)r->id);
                else
                    vg_warn("cannot delete the content of purged quarantine entry %lld: %s",
                            (long long)r->id, strerror(errno));
                changed = true;
            }
            continue;
        }
        if (!unrecorded_reported)
            vg_warn("'%s/%s' has no record in this store (a power loss right after a quarantine, "
                    "or another store in the same folder): it is kept; look at it before "
                    "deleting it",
                    v->dir, n);
    }
    unrecorded_reported = true;
    if (changed && fsync(v->fd) != 0)
        rc = sys_fail(err, errno, "cannot sync the quarantine vault '%s'", v->dir);
out:
    if (d)
        closedir(d);
    vg_map_release(&names);
    vg_rows_release(&rows);
    return rc;
}

/* The record of entry id, into rows (which the caller releases). */
static int get_entry(struct vg_store *s, int64_t id, struct vg_rows *rows,
                     const struct vg_quarantine_row **out, struct vg_error *err)
{
    int rc = vg_store_quarantine_get(s, id, rows, err);
    if (rc)
        return rc;
    *out = VG_ROW(rows, struct vg_quarantine_row, rows->n - 1);
    if (!(*out)->vault_name || strchr((*out)->vault_name, '/') || !(*out)->sha256)
        return vg_error_set(err, VG_EPARSE, "quarantine entry %lld has a damaged record",
                            (long long)id);
    return VG_OK;
}

/*
 * Check the vault file of r: un-neuter it (into outfd unless -1) and compare
 * with the recorded SHA-256. Messages name the entry and say what to do.
 */
static int entry_check(const struct vault *v, const struct vg_quarantine_row *r, int outfd,
                       const char *doing, struct vg_error *err)
{
    char hex[65], why[256];
    int fd = openat(v->fd, r->vault_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc;
    if (fd < 0) {
        if (errno == ENOENT)
            return vg_error_set(err, VG_ENOTFOUND,
                                "%squarantine entry %lld ('%s') has lost its content: '%s/%s' is "
                                "missing; it cannot be restored (restore the vault from a backup, "
                                "or purge the entry)",
                                doing, (long long)r->id, r->original_path, v->dir, r->vault_name);
        return sys_fail(err, errno, "%scannot open '%s/%s', the content of quarantine entry %lld",
                        doing, v->dir, r->vault_name, (long long)r->id);
    }
    rc = vq_decode(fd, r->vault_name, r->size, outfd, hex, why, sizeof why);
    close(fd);
    if (rc == VG_EPARSE)
        return vg_error_set(err, VG_EIO,
                            "%squarantine entry %lld ('%s') is corrupted: '%s/%s': %s; it cannot "
                            "be restored (restore the vault from a backup, or purge the entry)",
                            doing, (long long)r->id, r->original_path, v->dir, r->vault_name, why);
    if (rc)
        return vg_error_set(err, rc, "%squarantine entry %lld ('%s/%s'): %s", doing,
                            (long long)r->id, v->dir, r->vault_name, why);
    if (strcmp(hex, r->sha256) != 0)
        return vg_error_set(err, VG_EIO,
                            "%squarantine entry %lld ('%s') is corrupted: its content does not "
                            "match the recorded SHA-256 (recorded %s, read %s); it cannot be "
                            "restored (restore the vault from a backup, or purge the entry)",
                            doing, (long long)r->id, r->original_path, r->sha256, hex);
    return VG_OK;
}

/* ---- dpkg ---------------------------------------------------------------------------- */

/* Every path that /var/lib/dpkg/info/<package>.list names -> the package, built once. */
static struct vg_map dpkg_index;
static struct vg_arena dpkg_arena;
static pthread_once_t dpkg_once = PTHREAD_ONCE_INIT;

static void dpkg_load(void)
{
    DIR *d = opendir(DPKG_INFO);
    struct dirent *de;
    struct vg_buf b;
    vg_map_init(&dpkg_index);
    vg_arena_init(&dpkg_arena);
    if (!d)
        return;
    vg_buf_init(&b, (size_t)256 << 20);
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        char path[PATH_MAX];
        const char *pkg, *p, *end;
        if (n <= 5 || strcmp(de->d_name + n - 5, ".list") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", DPKG_INFO, de->d_name);
        if (vg_file_read(path, b.max, &b, NULL) != VG_OK)
            continue;
        if (!(pkg = vg_arena_strndup(&dpkg_arena, de->d_name, n - 5)))
            break;
        for (p = b.data, end = b.data + b.len; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = (size_t)((nl ? nl : end) - p);
            bool created;
            union vg_map_val *v;
            if (len && p[0] == '/' && (v = vg_map_put(&dpkg_index, p, len, &created)) && created)
                v->p = (void *)pkg;
            p += len + 1;
        }
    }
    vg_buf_release(&b);
    closedir(d);
}

static const char *dpkg_lookup(const char *path)
{
    union vg_map_val *v = vg_map_gets(&dpkg_index, path);
    return v ? v->p : NULL;
}

/* The installed package that lists path, looking through the /usr-merge aliases; or NULL. */
static const char *dpkg_owner(const char *path)
{
    static const char *merged[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};
    char alt[PATH_MAX], parent[PATH_MAX], real[PATH_MAX];
    const char *pkg;
    pthread_once(&dpkg_once, dpkg_load);
    if (!path || path[0] != '/')
        return NULL;
    if ((pkg = dpkg_lookup(path)))
        return pkg;
    for (size_t i = 0; i < sizeof merged / sizeof *merged; i++) {
        size_t n = strlen(merged[i]);
        if (strncmp(path, merged[i], n) == 0 && path[n] == '/') {
            snprintf(alt, sizeof alt, "/usr%s", path);
            if ((pkg = dpkg_lookup(alt)))
                return pkg;
        }
        if (strncmp(path, "/usr", 4) == 0 && strncmp(path + 4, merged[i], n) == 0 &&
            path[4 + n] == '/' && (pkg = dpkg_lookup(path + 4)))
            return pkg;
    }
    /* The same file by its folder's real path (a folder reached through a link). */
    vg_strlcpy(parent, path, sizeof parent);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (realpath(parent, real) && strcmp(real, parent) != 0) {
            int w = snprintf(alt, sizeof alt, "%s/%s", real, slash + 1);
            if (w > 0 && (size_t)w < sizeof alt && strcmp(alt, path) != 0)
                return dpkg_owner(alt);
        }
    }
    return NULL;
}

bool vg_dpkg_owned(const char *path)
{
    return dpkg_owner(path) != NULL;
}

/* ---- putting a file in ----------------------------------------------------------------- */

/* Storage for the strings of vg_vault_put's out row: this thread's, reused by its next call. */
static _Thread_local struct {
    char host[256], path[PATH_MAX], owner[256], group[256], sha256[65], name[65];
    char detection[1024], restored_to[PATH_MAX];
} put_out;

static const char *keep(char *dst, size_t n, const char *s)
{
    if (!s)
        return NULL;
    vg_strlcpy(dst, s, n);
    return dst;
}

static void fill_out(struct vg_quarantine_row *out, const struct vg_quarantine_row *r)
{
    if (!out)
        return;
    *out = *r;
    out->hostname = keep(put_out.host, sizeof put_out.host, r->hostname);
    out->original_path = keep(put_out.path, sizeof put_out.path, r->original_path);
    out->owner = keep(put_out.owner, sizeof put_out.owner, r->owner);
    out->group = keep(put_out.group, sizeof put_out.group, r->group);
    out->sha256 = keep(put_out.sha256, sizeof put_out.sha256, r->sha256);
    out->vault_name = keep(put_out.name, sizeof put_out.name, r->vault_name);
    out->detection = keep(put_out.detection, sizeof put_out.detection, r->detection);
    out->restored_to = keep(put_out.restored_to, sizeof put_out.restored_to, r->restored_to);
}

/* Audit detail: a JSON object of the entry's essentials (malloc'd; NULL when out of memory). */
static char *audit_detail(const struct vg_quarantine_row *r, const char *extra_key,
                          const char *extra)
{
    json_t *j = json_object();
    char *s;
    json_object_set_new(j, "path", json_string(r->original_path));
    json_object_set_new(j, "sha256", json_string(r->sha256));
    json_object_set_new(j, "size", json_integer(r->size));
    json_object_set_new(j, "detection", json_string(r->detection));
    json_object_set_new(j, "host", json_string(r->hostname));
    json_object_set_new(j, "vault_name", json_string(r->vault_name));
    if (extra_key)
        json_object_set_new(j, extra_key, extra ? json_string(extra) : json_true());
    s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return s;
}

static int audit(struct vg_store *s, const char *action, const struct vg_quarantine_row *r,
                 const char *extra_key, const char *extra, struct vg_error *err)
{
    char obj[64];
    char *detail = audit_detail(r, extra_key, extra);
    int rc;
    snprintf(obj, sizeof obj, "quarantine:%lld", (long long)r->id);
    rc = vg_store_audit(s, action, obj, detail, err);
    free(detail);
    return rc;
}

/* Hash of the file open in fd, read from its start. */
static int hash_fd(int fd, char hex[65])
{
    unsigned char *buf = malloc(VQ_CHUNK), md[32];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned int mdlen = 0;
    int rc = -1;
    ssize_t r;
    if (!buf || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) || lseek(fd, 0, SEEK_SET) != 0)
        goto out;
    while ((r = read_full(fd, buf, VQ_CHUNK)) > 0)
        EVP_DigestUpdate(ctx, buf, (size_t)r);
    if (r == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == 32) {
        vg_hex_encode(md, 32, hex);
        rc = 0;
    }
out:
    EVP_MD_CTX_free(ctx);
    free(buf);
    return rc;
}

/* Remove the original (name in the folder dfd), if it is still the file st describes. */
static int remove_original(int dfd, const char *base, const char *abs, const struct stat *st,
                           int64_t id, struct vg_error *err)
{
    struct stat cur;
    if (fstatat(dfd, base, &cur, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return VG_OK; /* someone removed it meanwhile: the entry holds its content */
        return sys_fail(err, errno,
                        "quarantined '%s' as entry %lld, but cannot check the original before "
                        "removing it; remove it by hand",
                        abs, (long long)id);
    }
    if (cur.st_dev != st->st_dev || cur.st_ino != st->st_ino)
        return vg_error_set(err, VG_ECONFLICT,
                            "'%s' was replaced while it was being quarantined: its former content "
                            "is entry %lld; the new file at that path was left in place (look at "
                            "it, and quarantine it too if it is bad)",
                            abs, (long long)id);
    if (unlinkat(dfd, base, 0) != 0)
        return sys_fail(err, errno,
                        "quarantined '%s' as entry %lld, but cannot remove the original; remove "
                        "it by hand",
                        abs, (long long)id);
    if (fsync(dfd) != 0)
        return sys_fail(err, errno,
                        "quarantined '%s' as entry %lld and removed it, but cannot sync its folder",
                        abs, (long long)id);
    return VG_OK;
}

/* Whether st is the store's own file, or its WAL, shared-memory or journal file. */
static bool is_store_file(struct vg_store *s, const struct stat *st)
{
    static const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    const char *sp = vg_store_path(s);
    char p[PATH_MAX];
    struct stat x;
    for (size_t i = 0; sp && i < sizeof suffix / sizeof *suffix; i++) {
        int w = snprintf(p, sizeof p, "%s%s", sp, suffix[i]);
        if (w > 0 && (size_t)w < sizeof p && stat(p, &x) == 0 && x.st_dev == st->st_dev &&
            x.st_ino == st->st_ino)
            return true;
    }
    return false;
}

static const char *file_kind(mode_t m)
{
    return S_ISDIR(m)    ? "a folder"
           : S_ISLNK(m)  ? "a symbolic link"
           : S_ISFIFO(m) ? "a named pipe"
           : S_ISSOCK(m) ? "a socket"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
                         : "not a regular file";
}

/*
 * A crash between the rename and the unlink leaves both the original and its
 * entry. If a held entry has this path and the file's exact metadata and
 * content, and its vault file verifies, finish that run: remove the original
 * (audited) and report the entry, rather than keep two copies. *done says
 * whether it did.
 */
static int resume(struct vg_store *s, const struct vault *v, int fd, int dfd, const char *base,
                  const char *abs, const struct stat *st, struct vg_quarantine_row *out, bool *done,
                  struct vg_error *err)
{
    struct vg_rows rows;
    char hex[65] = "";
    int rc = VG_OK;
    *done = false;
    vg_rows_init(&rows);
    if ((rc = vg_store_quarantine_list(s, &rows, err)))
        goto out;
    for (size_t i = 0; i < rows.n; i++) {
        const struct vg_quarantine_row *r = VG_ROW(&rows, struct vg_quarantine_row, i);
        struct vg_error ignored;
        if (r->restored_at || r->purged_at || !r->original_path || !r->sha256 || !r->vault_name ||
            strcmp(r->original_path, abs) != 0 || r->size != st->st_size ||
            r->mode != (int64_t)st->st_mode || r->uid != (int64_t)st->st_uid ||
            r->gid != (int64_t)st->st_gid || r->mtime_ns != ts_ns(&st->st_mtim))
            continue;
        if (!hex[0] && hash_fd(fd, hex) != 0) {
            rc = sys_fail(err, errno, "cannot read '%s'", abs);
            goto out;
        }
        if (strcmp(hex, r->sha256) != 0 || entry_check(v, r, -1, "", &ignored) != VG_OK)
            continue;
        if ((rc = remove_original(dfd, base, abs, st, r->id, err)))
            goto out;
        vg_warn("'%s' was already quarantined as entry %lld (an earlier run stopped before "
                "removing it); removed it now",
                abs, (long long)r->id);
        if ((rc = audit(s, "quarantine.add", r, "resumed", NULL, err)))
            goto out;
        fill_out(out, r);
        *done = true;
        break;
    }
out:
    vg_rows_release(&rows);
    return rc;
}

/*
 * Bytes the vault holds: the sizes of the entries that are not purged. A
 * restored entry keeps its content until it is purged, so it counts (which
 * vg_store_quarantine_bytes, counting held entries only, would not).
 */
static int vault_used(struct vg_store *s, int64_t *used, struct vg_error *err)
{
    struct vg_rows rows;
    int rc;
    *used = 0;
    vg_rows_init(&rows);
    rc = vg_store_quarantine_list(s, &rows, err);
    for (size_t i = 0; rc == VG_OK && i < rows.n; i++) {
        const struct vg_quarantine_row *r = VG_ROW(&rows, struct vg_quarantine_row, i);
        if (!r->purged_at)
            *used += r->size;
    }
    vg_rows_release(&rows);
    return rc;
}

int vg_vault_put(struct vg_store *s, const char *path, const struct vg_vault_opts *o,
                 struct vg_quarantine_row *out, struct vg_error *err)
{
    static const struct vg_vault_opts no_opts;
    struct vault v = {.fd = -1};
    struct stat st, st2, vst, dst;
    struct vg_quarantine_row row;
    char parent[PATH_MAX], rparent[PATH_MAX], abs[PATH_MAX], name[2 * VQ_NAME_BYTES + 1];
    char tmpname[sizeof name + 8], hex[65], hex2[65], why[256], host[256] = "";
    char uname[256] = "", gname[256] = "";
    unsigned char rnd[VQ_NAME_BYTES], key[32], hdr[VQ_HDR], md[32];
    unsigned char *buf = NULL;
    EVP_MD_CTX *ctx = NULL;
    unsigned int mdlen = 0;
    const char *base, *pkg;
    int dfd = -1, fd = -1, tfd = -1, rc = VG_OK, w;
    bool tmp_made = false, done = false;
    uint64_t total = 0;
    ssize_t r;

    if (!o)
        o = &no_opts;
    if (!path || !*path)
        return vg_error_set(err, VG_EINVAL, "quarantine: no file named");
    if (vg_store_in_tx(s))
        return vg_error_set(err, VG_EINVAL,
                            "cannot quarantine '%s' inside an open store transaction: the record "
                            "must be committed before the original is removed",
                            path);
    /* The folder by its real path; the file itself is never followed. */
    if (vg_strlcpy(parent, path, sizeof parent) >= sizeof parent)
        return vg_error_set(err, VG_EINVAL, "cannot quarantine '%s': path too long", path);
    char *slash = strrchr(parent, '/');
    if (!slash) {
        base = path;
        vg_strlcpy(parent, ".", sizeof parent);
    } else {
        base = path + (slash - parent) + 1;
        if (slash == parent)
            parent[1] = '\0';
        else
            *slash = '\0';
    }
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return vg_error_set(err, VG_EINVAL,
                            "cannot quarantine '%s': it names a folder; quarantine files one by "
                            "one",
                            path);
    if (!realpath(parent, rparent))
        return sys_fail(err, errno, "cannot quarantine '%s': cannot find its folder '%s'", path,
                        parent);
    w = snprintf(abs, sizeof abs, "%s/%s", strcmp(rparent, "/") == 0 ? "" : rparent, base);
    if (w < 0 || (size_t)w >= sizeof abs)
        return vg_error_set(err, VG_EINVAL, "cannot quarantine '%s': path too long", path);

    dfd = open(rparent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': cannot open its folder", abs);
        goto out;
    }
    /* O_NOATIME keeps the original's access time as it was, where the kernel lets us. */
    fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            rc = vg_error_set(err, VG_EINVAL,
                              "cannot quarantine '%s': it is a symbolic link, and vigil never "
                              "follows one; quarantine the file it points to by its own path",
                              abs);
        else if (errno == ENOENT)
            rc = vg_error_set(err, VG_ENOTFOUND, "cannot quarantine '%s': no such file", abs);
        else
            rc = sys_fail(err, errno, "cannot quarantine '%s': cannot open it", abs);
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': cannot read its metadata", abs);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = vg_error_set(err, VG_EINVAL,
                          "cannot quarantine '%s': it is %s; only regular files are quarantined",
                          abs, file_kind(st.st_mode));
        goto out;
    }
    if (is_store_file(s, &st)) {
        rc = vg_error_set(err, VG_EINVAL, "cannot quarantine '%s': it is vigil's own store", abs);
        goto out;
    }
    /* A regular file: reads block as usual. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if ((pkg = dpkg_owner(abs))) {
        if (!o->force) {
            rc = vg_error_set(err, VG_EPERM,
                              "'%s' belongs to the installed package '%s': removing it may break "
                              "the system; check the package ('dpkg --verify %s'; reinstall it "
                              "if the file was changed), or give --force to quarantine it anyway",
                              abs, pkg, pkg);
            goto out;
        }
        vg_warn("'%s' belongs to the installed package '%s'; quarantined anyway (--force)", abs,
                pkg);
    }
    if (faccessat(dfd, ".", W_OK, AT_EACCESS) != 0) {
        rc = sys_fail(err, errno,
                      "cannot quarantine '%s': the original could not be removed from its folder "
                      "'%s'",
                      abs, rparent);
        goto out;
    }

    if ((rc = vault_open(s, &v, err)) || (rc = vault_tidy(s, &v, err)))
        goto out;
    if (fstat(v.fd, &vst) == 0 && fstat(dfd, &dst) == 0 && vst.st_dev == dst.st_dev &&
        vst.st_ino == dst.st_ino) {
        rc =
            vg_error_set(err, VG_EINVAL, "cannot quarantine '%s': it is in the vault already", abs);
        goto out;
    }
    if ((rc = resume(s, &v, fd, dfd, base, abs, &st, out, &done, err)) || done)
        goto out;
    if (o->vault_max > 0) {
        int64_t used = 0;
        if ((rc = vault_used(s, &used, err)))
            goto out;
        if (used + (int64_t)st.st_size > o->vault_max) {
            rc = vg_error_set(err, VG_ETOOBIG,
                              "cannot quarantine '%s' (%lld bytes): the vault is full: %lld of "
                              "%lld bytes used; purge entries or raise --vault-max",
                              abs, (long long)st.st_size, (long long)used, (long long)o->vault_max);
            goto out;
        }
    }

    /* 2. The neutered copy, under a temporary name. */
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': no random name for the entry", abs);
        goto out;
    }
    vg_hex_encode(rnd, sizeof rnd, name);
    snprintf(tmpname, sizeof tmpname, "%s%s", VQ_TMP, name);
    tfd = openat(v.fd, tmpname, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (tfd < 0) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': cannot create '%s/%s'", abs, v.dir,
                      tmpname);
        goto out;
    }
    tmp_made = true;
    fchmod(tfd, 0600);
    buf = malloc(VQ_CHUNK);
    ctx = EVP_MD_CTX_new();
    if (!buf || !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    vq_key(name, key);
    vq_header(hdr);
    if (lseek(fd, 0, SEEK_SET) != 0 || write_all(tfd, hdr, VQ_HDR) != 0) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': cannot copy it into the vault '%s'", abs,
                      v.dir);
        goto out;
    }
    while ((r = read_full(fd, buf, VQ_CHUNK)) > 0) {
        EVP_DigestUpdate(ctx, buf, (size_t)r);
        vq_xor(buf, (size_t)r, total, key);
        total += (uint64_t)r;
        if (write_all(tfd, buf, (size_t)r) != 0) {
            rc = sys_fail(err, errno, "cannot quarantine '%s': cannot write to the vault '%s'", abs,
                          v.dir);
            goto out;
        }
    }
    if (r < 0) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': cannot read it", abs);
        goto out;
    }
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32) {
        rc = vg_error_set(err, VG_EIO, "cannot quarantine '%s': cannot compute its SHA-256", abs);
        goto out;
    }
    vg_hex_encode(md, 32, hex);
    if (fstat(fd, &st2) != 0 || total != (uint64_t)st.st_size || st2.st_size != st.st_size ||
        ts_ns(&st2.st_mtim) != ts_ns(&st.st_mtim)) {
        rc = vg_error_set(err, VG_ECONFLICT,
                          "'%s' changed while it was being copied into the vault; nothing was "
                          "quarantined: stop what writes to it, then try again",
                          abs);
        goto out;
    }
    if (fsync(tfd) != 0 || fsync(v.fd) != 0) {
        rc = sys_fail(err, errno, "cannot quarantine '%s': cannot sync the vault '%s'", abs, v.dir);
        goto out;
    }
    /* 3. Read it back from the disk, not from the page cache, and compare. */
    posix_fadvise(tfd, 0, 0, POSIX_FADV_DONTNEED);
    rc = vq_decode(tfd, name, (int64_t)st.st_size, -1, hex2, why, sizeof why);
    if (rc || strcmp(hex, hex2) != 0) {
        rc = vg_error_set(err, VG_EIO,
                          "cannot quarantine '%s': its copy in the vault does not read back the "
                          "same (%s); nothing was quarantined: check the disk of '%s'",
                          abs, rc ? why : "another SHA-256", v.dir);
        goto out;
    }

    /* 4. The record and its audit entry, in one transaction: the commit point. */
    memset(&row, 0, sizeof row);
    row.host_id = o->host_id;
    if (o->hostname && *o->hostname)
        vg_strlcpy(host, o->hostname, sizeof host);
    else if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        vg_strlcpy(host, "localhost", sizeof host);
    row.hostname = host;
    row.original_path = abs;
    row.uid = st.st_uid;
    row.gid = st.st_gid;
    {
        struct passwd pw, *pwp = NULL;
        struct group gr, *grp = NULL;
        char pbuf[4096];
        if (getpwuid_r(st.st_uid, &pw, pbuf, sizeof pbuf, &pwp) == 0 && pwp)
            vg_strlcpy(uname, pw.pw_name, sizeof uname);
        if (getgrgid_r(st.st_gid, &gr, pbuf, sizeof pbuf, &grp) == 0 && grp)
            vg_strlcpy(gname, gr.gr_name, sizeof gname);
    }
    row.owner = uname[0] ? uname : NULL;
    row.group = gname[0] ? gname : NULL;
    row.mode = st.st_mode;
    row.size = st.st_size;
    row.atime_ns = ts_ns(&st.st_atim);
    row.mtime_ns = ts_ns(&st.st_mtim);
    row.sha256 = hex;
    row.detection = o->detection && *o->detection ? o->detection : "manual";
    row.vault_name = name;
    row.finding_id = o->finding_id;
    rc = vg_store_begin(s, err);
    if (rc == VG_OK)
        rc = vg_store_quarantine_add(s, &row, err);
    if (rc == VG_OK)
        rc = audit(s, "quarantine.add", &row, NULL, NULL, err);
    if (rc == VG_OK)
        rc = vg_store_commit(s, err);
    if (vg_store_in_tx(s))
        vg_store_rollback(s);
    if (rc) {
        vg_error_prefix(err, "cannot quarantine '%s' (nothing was changed): ", abs);
        goto out;
    }
    tmp_made = false; /* from here the temporary file is the recorded entry's content */

    /* 5. Its final name. A crash before this is finished by the next vault operation. */
    if (renameat2(v.fd, tmpname, v.fd, name, RENAME_NOREPLACE) != 0 &&
        ((errno != EINVAL && errno != ENOSYS) || renameat(v.fd, tmpname, v.fd, name) != 0)) {
        rc = sys_fail(err, errno,
                      "quarantine entry %lld of '%s' is recorded but cannot be renamed into "
                      "place in '%s' (the next vault operation tries again); the original was "
                      "left in place",
                      (long long)row.id, abs, v.dir);
        goto out;
    }
    if (fsync(v.fd) != 0) {
        rc = sys_fail(err, errno,
                      "cannot sync the vault '%s' after recording entry %lld; the original '%s' "
                      "was left in place",
                      v.dir, (long long)row.id, abs);
        goto out;
    }
    /*
     * 6. Remove the original. If the process dies here, after the commit and before the
     * unlink, the original and a complete recorded entry both exist: quarantining the same
     * path again finds that entry (resume() above) and only removes the original.
     */
    if ((rc = remove_original(dfd, base, abs, &st, row.id, err)))
        goto out;
    if (st.st_nlink > 1)
        vg_warn("'%s' had %lu other hard links: its content is still reachable through them; "
                "find them with 'find / -xdev -inum %lu' and quarantine them too",
                abs, (unsigned long)st.st_nlink - 1, (unsigned long)st.st_ino);
    fill_out(out, &row);
out:
    if (tmp_made && tfd >= 0 && unlinkat(v.fd, tmpname, 0) == 0)
        fsync(v.fd);
    EVP_MD_CTX_free(ctx);
    free(buf);
    close_fd(&tfd);
    close_fd(&fd);
    close_fd(&dfd);
    vault_close(&v);
    return rc;
}

/* ---- restoring ---------------------------------------------------------------------- */

/*
 * Open the folder dir (absolute) component by component, never through a
 * symbolic link: every component is opened relative to the one before with
 * O_NOFOLLOW and must be a real folder. *out is an O_PATH descriptor.
 */
static int walk_dir(const char *dir, int64_t id, int *out, struct vg_error *err)
{
    char buf[PATH_MAX], sofar[PATH_MAX] = "";
    char *p, *next;
    size_t sl = 0;
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    *out = -1;
    if (fd < 0)
        return sys_fail(err, errno, "cannot open '/'");
    if (vg_strlcpy(buf, dir, sizeof buf) >= sizeof buf) {
        close(fd);
        return vg_error_set(err, VG_EINVAL, "path too long: '%s'", dir);
    }
    for (p = buf; p; p = next) {
        struct stat st;
        int nfd;
        next = strchr(p, '/');
        if (next)
            *next++ = '\0';
        if (!*p || strcmp(p, ".") == 0)
            continue;
        sl += (size_t)snprintf(sofar + sl, sizeof sofar - sl, "/%s", p);
        if (sl >= sizeof sofar)
            sl = sizeof sofar - 1;
        nfd = openat(fd, p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (nfd < 0) {
            int e = errno;
            close(fd);
            if (e == ENOENT)
                return vg_error_set(err, VG_ENOTFOUND,
                                    "cannot restore entry %lld: the folder '%s' does not exist; "
                                    "create it, or give --to another path",
                                    (long long)id, sofar);
            return sys_fail(err, e, "cannot restore entry %lld: cannot open '%s'", (long long)id,
                            sofar);
        }
        if (fstat(nfd, &st) != 0)
            st.st_mode = 0;
        if (!S_ISDIR(st.st_mode)) {
            bool link = S_ISLNK(st.st_mode);
            close(nfd);
            close(fd);
            if (link)
                return vg_error_set(err, VG_EPERM,
                                    "cannot restore entry %lld: '%s' is a symbolic link, and vigil "
                                    "never writes through one; give --to a path without links",
                                    (long long)id, sofar);
            return vg_error_set(err, VG_EINVAL, "cannot restore entry %lld: '%s' is not a folder",
                                (long long)id, sofar);
        }
        close(fd);
        fd = nfd;
    }
    *out = fd;
    return VG_OK;
}

int vg_vault_restore(struct vg_store *s, int64_t id, const char *to, struct vg_error *err)
{
    struct vault v = {.fd = -1};
    struct vg_rows rows;
    const struct vg_quarantine_row *r;
    char dest[PATH_MAX], dir[PATH_MAX], tmpname[64] = "", proc[64], t1[32];
    const char *base;
    int pfd = -1, sfd = -1, ofd = -1, rc;
    bool owner_ok = true, linked = false;
    struct stat st;
    mode_t mode;

    vg_rows_init(&rows);
    if (vg_store_in_tx(s)) {
        rc = vg_error_set(err, VG_EINVAL, "cannot restore inside an open store transaction");
        goto out;
    }
    if ((rc = vault_open(s, &v, err)) || (rc = vault_tidy(s, &v, err)) ||
        (rc = get_entry(s, id, &rows, &r, err)))
        goto out;
    if (r->purged_at) {
        rc = vg_error_set(err, VG_ECONFLICT,
                          "cannot restore entry %lld: it was purged on %s and its content is gone",
                          (long long)id, when(r->purged_at, t1));
        goto out;
    }
    if (r->restored_at) {
        rc = vg_error_set(err, VG_ECONFLICT,
                          "cannot restore entry %lld: it was restored to '%s' on %s already "
                          "('vigil quarantine show %lld')",
                          (long long)id, r->restored_to ? r->restored_to : "?",
                          when(r->restored_at, t1), (long long)id);
        goto out;
    }
    /* The destination as an absolute path. */
    if (!to || !*to)
        to = r->original_path;
    if (to[0] == '/') {
        if (vg_strlcpy(dest, to, sizeof dest) >= sizeof dest)
            rc = vg_error_set(err, VG_EINVAL, "path too long: '%s'", to);
    } else {
        char cwd[PATH_MAX];
        int w = getcwd(cwd, sizeof cwd) ? snprintf(dest, sizeof dest, "%s/%s", cwd, to) : -1;
        if (w < 0 || (size_t)w >= sizeof dest)
            rc = vg_error_set(err, VG_EINVAL, "cannot make '%s' an absolute path", to);
    }
    if (rc)
        goto out;
    vg_strlcpy(dir, dest, sizeof dir);
    char *slash = strrchr(dir, '/');
    base = dest + (slash - dir) + 1;
    slash[slash == dir ? 1 : 0] = '\0';
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        rc = vg_error_set(err, VG_EINVAL,
                          "cannot restore entry %lld to '%s': give the path of a file, not a "
                          "folder",
                          (long long)id, dest);
        goto out;
    }
    if ((rc = walk_dir(dir, id, &pfd, err)))
        goto out;
    if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISDIR(st.st_mode))
            rc = vg_error_set(err, VG_EEXIST,
                              "cannot restore entry %lld: '%s' is a folder; give --to the path of "
                              "the file to create in it",
                              (long long)id, dest);
        else
            rc = vg_error_set(err, VG_EEXIST,
                              "cannot restore entry %lld: '%s' exists already%s; vigil never "
                              "overwrites a file: move it away, or give --to another path",
                              (long long)id, dest, S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
        goto out;
    }
    /* Verify before anything is written. */
    if ((rc = entry_check(&v, r, -1, "", err)))
        goto out;
    if ((sfd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        rc =
            sys_fail(err, errno, "cannot restore entry %lld: cannot open '%s'", (long long)id, dir);
        goto out;
    }
    /* An unnamed file in the destination folder (nothing left behind by a crash), else a
     * temporary name. */
    ofd = openat(sfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (ofd < 0) {
        unsigned char rnd[8];
        char h[17];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
            rc = sys_fail(err, errno, "cannot restore entry %lld: no random name", (long long)id);
            goto out;
        }
        vg_hex_encode(rnd, sizeof rnd, h);
        snprintf(tmpname, sizeof tmpname, ".vigil-restore-%s", h);
        ofd = openat(sfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (ofd < 0) {
            rc = sys_fail(err, errno, "cannot restore entry %lld: cannot create a file in '%s'",
                          (long long)id, dir);
            tmpname[0] = '\0';
            goto out;
        }
    }
    /* Write while checking the SHA-256 once more. */
    if ((rc = entry_check(&v, r, ofd, "cannot restore: ", err)))
        goto out;
    if (geteuid() == 0) {
        if (fchown(ofd, (uid_t)r->uid, (gid_t)r->gid) != 0) {
            owner_ok = false;
            vg_warn("restoring entry %lld: cannot give '%s' back to uid %lld, gid %lld: %s; it "
                    "stays root's",
                    (long long)id, dest, (long long)r->uid, (long long)r->gid, strerror(errno));
        }
    } else if ((uid_t)r->uid != geteuid() || (gid_t)r->gid != getegid()) {
        if (fchown(ofd, (uid_t)-1, (gid_t)r->gid) != 0 || (uid_t)r->uid != geteuid()) {
            owner_ok = false;
            vg_warn("restoring entry %lld: '%s' is owned by you, not by its owner %s (uid %lld, "
                    "gid %lld): only root can give it back; run 'chown' as root if needed",
                    (long long)id, dest, r->owner ? r->owner : "?", (long long)r->uid,
                    (long long)r->gid);
        }
    }
    mode = (mode_t)(r->mode & 07777);
    if (!owner_ok && (mode & (S_ISUID | S_ISGID))) {
        mode &= (mode_t) ~(S_ISUID | S_ISGID);
        vg_warn("restoring entry %lld: its set-user/group-ID bits were dropped, since its owner "
                "could not be restored",
                (long long)id);
    }
    {
        struct timespec ts[2] = {ns_ts(r->atime_ns), ns_ts(r->mtime_ns)};
        if (fchmod(ofd, mode) != 0 || futimens(ofd, ts) != 0 || fsync(ofd) != 0) {
            rc = sys_fail(err, errno, "cannot restore entry %lld to '%s'", (long long)id, dest);
            goto out;
        }
    }
    /* Into place, never over anything. */
    if (!tmpname[0]) {
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", ofd);
        if (linkat(ofd, "", sfd, base, AT_EMPTY_PATH) == 0 ||
            (errno != EEXIST && linkat(AT_FDCWD, proc, sfd, base, AT_SYMLINK_FOLLOW) == 0))
            linked = true;
    } else if (renameat2(sfd, tmpname, sfd, base, RENAME_NOREPLACE) == 0) {
        linked = true;
        tmpname[0] = '\0';
    } else if ((errno == EINVAL || errno == ENOSYS) && linkat(sfd, tmpname, sfd, base, 0) == 0) {
        linked = true;
    }
    if (!linked) {
        if (errno == EEXIST)
            rc = vg_error_set(err, VG_EEXIST,
                              "cannot restore entry %lld: '%s' appeared meanwhile; vigil never "
                              "overwrites a file: move it away, or give --to another path",
                              (long long)id, dest);
        else
            rc = sys_fail(err, errno, "cannot restore entry %lld to '%s'", (long long)id, dest);
        goto out;
    }
    if (tmpname[0] && unlinkat(sfd, tmpname, 0) == 0)
        tmpname[0] = '\0';
    if (fsync(sfd) != 0) {
        rc = sys_fail(err, errno, "restored entry %lld to '%s', but cannot sync its folder",
                      (long long)id, dest);
        goto out;
    }
    /* The record. A crash before this commit leaves the file restored and the entry held:
     * a second restore then refuses, since the file exists. */
    rc = vg_store_begin(s, err);
    if (rc == VG_OK)
        rc = vg_store_quarantine_restored(s, id, dest, time(NULL), err);
    if (rc == VG_OK)
        rc = audit(s, "quarantine.restore", r, "to", dest, err);
    if (rc == VG_OK)
        rc = vg_store_commit(s, err);
    if (vg_store_in_tx(s))
        vg_store_rollback(s);
    if (rc)
        vg_error_prefix(err, "restored entry %lld to '%s', but cannot record it: ", (long long)id,
                        dest);
out:
    if (tmpname[0] && sfd >= 0)
        unlinkat(sfd, tmpname, 0);
    close_fd(&ofd);
    close_fd(&sfd);
    close_fd(&pfd);
    vault_close(&v);
    vg_rows_release(&rows);
    return rc;
}

/* ---- purge and verify ------------------------------------------------------------------ */

int vg_vault_purge(struct vg_store *s, int64_t id, struct vg_error *err)
{
    struct vault v = {.fd = -1};
    struct vg_rows rows;
    const struct vg_quarantine_row *r;
    char t1[32];
    int rc;

    vg_rows_init(&rows);
    if (vg_store_in_tx(s)) {
        rc = vg_error_set(err, VG_EINVAL, "cannot purge inside an open store transaction");
        goto out;
    }
    if ((rc = vault_open(s, &v, err)) || (rc = vault_tidy(s, &v, err)) ||
        (rc = get_entry(s, id, &rows, &r, err)))
        goto out;
    if (r->purged_at) {
        rc = vg_error_set(err, VG_ECONFLICT, "entry %lld was purged on %s already", (long long)id,
                          when(r->purged_at, t1));
        goto out;
    }
    /* The record first: a crash before the unlink leaves a purged record whose file the next
     * vault operation deletes. */
    rc = vg_store_begin(s, err);
    if (rc == VG_OK)
        rc = vg_store_quarantine_purged(s, id, time(NULL), err);
    if (rc == VG_OK)
        rc = audit(s, "quarantine.purge", r, NULL, NULL, err);
    if (rc == VG_OK)
        rc = vg_store_commit(s, err);
    if (vg_store_in_tx(s))
        vg_store_rollback(s);
    if (rc) {
        vg_error_prefix(err, "cannot purge entry %lld (nothing was changed): ", (long long)id);
        goto out;
    }
    if (unlinkat(v.fd, r->vault_name, 0) != 0) {
        if (errno == ENOENT)
            vg_warn("purged entry %lld: its vault file '%s/%s' was missing already", (long long)id,
                    v.dir, r->vault_name);
        else
            rc = sys_fail(err, errno,
                          "entry %lld is marked purged, but its vault file '%s/%s' cannot be "
                          "deleted (the next vault operation tries again)",
                          (long long)id, v.dir, r->vault_name);
    } else if (fsync(v.fd) != 0) {
        rc = sys_fail(err, errno, "purged entry %lld, but cannot sync the vault '%s'",
                      (long long)id, v.dir);
    }
out:
    vault_close(&v);
    vg_rows_release(&rows);
    return rc;
}

int vg_vault_verify(struct vg_store *s, int64_t id, struct vg_error *err)
{
    struct vault v = {.fd = -1};
    struct vg_rows rows;
    const struct vg_quarantine_row *r;
    char t1[32];
    int rc;

    vg_rows_init(&rows);
    if ((rc = vault_open(s, &v, err)) || (rc = vault_tidy(s, &v, err)) ||
        (rc = get_entry(s, id, &rows, &r, err)))
        goto out;
    if (r->purged_at) {
        rc = vg_error_set(err, VG_ENOTFOUND,
                          "entry %lld was purged on %s: it has no content to verify", (long long)id,
                          when(r->purged_at, t1));
        goto out;
    }
    rc = entry_check(&v, r, -1, "", err);
out:
    vault_close(&v);
    vg_rows_release(&rows);
    return rc;
}
