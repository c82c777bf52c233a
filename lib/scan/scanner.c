/*
 * scanner.c - `vigil scan`: one thread walks the roots and queues regular
 * files; the other threads read each file once into memory and feed the same
 * bytes to SHA-256 (and MD5/SHA-1 when the hash set wants them for that
 * size), the hash set, the YARA rules and, for archives, the archive walker,
 * whose members get the same treatment.
 *
 * No symbolic link is ever followed: folders are opened with O_NOFOLLOW
 * relative to their parent's descriptor, and files are opened relative to
 * their root with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so a
 * folder swapped for a link during the scan cannot lead out of the root.
 * A file is read only if it is still the regular file the walker saw.
 */
#include "scan/scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/file.h"
#include "core/map.h"
#include "core/str.h"
#include "scan/rules.h"
#include "store/store.h"
#include "core/banned.h"

#define QUEUE_CAP 4096
#define DEFAULT_MAX ((uint64_t)4 << 30)

struct item {
    char *rel; /* relative to its root; NULL when the root is the file */
    size_t root;
    uint64_t dev, ino;
    int64_t size, mtime_ns, ctime_ns;
};

struct job {
    const struct vg_scan_opts *o;
    const struct vg_scan_cb *cb;
    struct vg_scan_stats *st;
    char **roots; /* real paths */
    int *rootfds; /* -1 when the root is a file */
    size_t nroots;
    uint64_t avoid_dev, avoid_ino;
    bool have_avoid;
    /* the queue */
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    struct item *q;
    size_t head, n;
    bool walked;
    /* the cache: dev + ino -> index into cached */
    struct vg_map cache;
    struct vg_cache_entry *cached;
    size_t ncached, capcached;
    struct vg_cache_entry *clean;
    size_t nclean, capclean;
    double last_progress;
    int rc; /* out of memory in a worker */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t ns_of(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static void cache_key(uint64_t dev, uint64_t ino, unsigned char key[16])
{
    memcpy(key, &dev, 8);
    memcpy(key + 8, &ino, 8);
}

/* ---- the walk --------------------------------------------------------------------- */

static bool excluded(const struct vg_scan_opts *o, const char *path, const char *name)
{
    for (size_t i = 0; i < o->nexcludes; i++)
        if (fnmatch(o->excludes[i], path, 0) == 0 || fnmatch(o->excludes[i], name, 0) == 0)
            return true;
    return false;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, a[0] && a[strlen(a) - 1] != '/' ? "/" : "", b);
    return p;
}

/* The path shown for an item: root + "/" + rel. */
static char *full_path(const struct job *j, const struct item *it)
{
    return it->rel ? join(j->roots[it->root], it->rel) : vg_strdup(j->roots[it->root]);
}

static void report_skip(struct job *j, const char *path, const char *reason, bool error)
{
    pthread_mutex_lock(&j->mu);
    if (error)
        j->st->errors++;
    else
        j->st->skipped++;
    if (j->cb->skip)
        j->cb->skip(j->cb->ctx, path, reason, error);
    pthread_mutex_unlock(&j->mu);
}

static int enqueue(struct job *j, struct item *it)
{
    pthread_mutex_lock(&j->mu);
    while (j->n == QUEUE_CAP)
        pthread_cond_wait(&j->room, &j->mu);
    j->q[(j->head + j->n) % QUEUE_CAP] = *it;
    j->n++;
    pthread_cond_signal(&j->more);
    pthread_mutex_unlock(&j->mu);
    return VG_OK;
}

static const char *type_name(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

/* A regular file found by the walker: skip it, or queue it. */
static int found_file(struct job *j, size_t root, const char *rel, const char *path,
                      const struct stat *sb)
{
    uint64_t max = j->o->max_filesize ? j->o->max_filesize : DEFAULT_MAX;
    struct item it;
    if ((uint64_t)sb->st_size > max) {
        char why[96];
        snprintf(why, sizeof why, "larger than the size limit (%llu bytes)",
                 (unsigned long long)max);
        report_skip(j, path, why, false);
        return VG_OK;
    }
    memset(&it, 0, sizeof it);
    if (rel && !(it.rel = vg_strdup(rel)))
        return VG_ENOMEM;
    it.root = root;
    it.dev = (uint64_t)sb->st_dev;
    it.ino = (uint64_t)sb->st_ino;
    it.size = (int64_t)sb->st_size;
    it.mtime_ns = ns_of(&sb->st_mtim);
    it.ctime_ns = ns_of(&sb->st_ctim);
    return enqueue(j, &it);
}

static int walk_dir(struct job *j, size_t root, int dfd, const char *rel, uint64_t rootdev,
                    int depth)
{
    DIR *d;
    struct dirent *e;
    int fd2, rc = VG_OK;
    if (depth > 256) {
        char *path = rel[0] ? join(j->roots[root], rel) : vg_strdup(j->roots[root]);
        report_skip(j, path ? path : rel, "folders nested too deep", true);
        free(path);
        return VG_OK;
    }
    if ((fd2 = dup(dfd)) < 0 || !(d = fdopendir(fd2))) {
        char *path = rel[0] ? join(j->roots[root], rel) : vg_strdup(j->roots[root]);
        if (fd2 >= 0)
            close(fd2);
        report_skip(j, path ? path : rel, strerror(errno), true);
        free(path);
        return VG_OK;
    }
    while (rc == VG_OK && (errno = 0, e = readdir(d))) {
        struct stat sb;
        char *crel, *path;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        crel = rel[0] ? join(rel, e->d_name) : vg_strdup(e->d_name);
        path = crel ? join(j->roots[root], crel) : NULL;
        if (!crel || !path) {
            free(crel);
            free(path);
            rc = VG_ENOMEM;
            break;
        }
        if (fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            report_skip(j, path, errno == ENOENT ? "vanished during the scan" : strerror(errno),
                        true);
        } else if (excluded(j->o, path, e->d_name)) {
            /* --exclude: not looked at, not counted */
        } else if (S_ISDIR(sb.st_mode)) {
            if (j->have_avoid && (uint64_t)sb.st_dev == j->avoid_dev &&
                (uint64_t)sb.st_ino == j->avoid_ino) {
                /* the store's folder: the vault and caches are never scanned */
            } else if (j->o->one_fs && (uint64_t)sb.st_dev != rootdev) {
                /* --one-file-system */
            } else {
                int cfd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (cfd < 0) {
                    report_skip(j, path, strerror(errno), true);
                } else {
                    rc = walk_dir(j, root, cfd, crel, rootdev, depth + 1);
                    close(cfd);
                }
            }
        } else if (S_ISREG(sb.st_mode)) {
            rc = found_file(j, root, crel, path, &sb);
        } else if (!S_ISLNK(sb.st_mode)) {
            report_skip(j, path, type_name(sb.st_mode), false);
        } /* symbolic links: never followed */
        free(crel);
        free(path);
    }
    closedir(d);
    return rc;
}

/* ---- reading and matching one file -------------------------------------------------- */

struct worker {
    struct job *j;
    struct vg_rules_scanner *rs;
    unsigned char *buf;
    size_t cap;
    /* the file being scanned */
    const char *file;
    bool hit, problem;
    char sha[65];
    const char *cur_path;
    const unsigned char *cur_p; /* the buffer being matched */
    size_t cur_n;
    char *cur_sha_buf;
    bool sha_done;
};

static void emit(struct worker *w, const char *path, const char *sha, const char *rule,
                 const char *kind, const char *source)
{
    struct vg_scan_hit h = {path, w->file, sha, rule, kind, source};
    struct job *j = w->j;
    pthread_mutex_lock(&j->mu);
    j->st->detections++;
    if (!w->hit)
        j->st->infected++;
    w->hit = true;
    if (j->cb->hit)
        j->cb->hit(j->cb->ctx, &h);
    pthread_mutex_unlock(&j->mu);
}

/* The SHA-256 of the buffer being matched, computed the first time it is needed. */
static const char *sha_of(struct worker *w)
{
    if (!w->sha_done) {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned dl = 0;
        EVP_Digest(w->cur_p, w->cur_n, d, &dl, EVP_sha256(), NULL);
        vg_hex_encode(d, dl, w->cur_sha_buf);
        w->sha_done = true;
    }
    return w->cur_sha_buf;
}

static int on_rule(void *ctx, const char *rule, const char *ns)
{
    struct worker *w = ctx;
    emit(w, w->cur_path, sha_of(w), rule, "yara", ns);
    return 0;
}

/* Hashes, the hash set and the rules over one buffer (a file or a member). */
/*
 * Hashes, the hash set and the rules over one buffer (a file or a member).
 * A digest is computed only when the hash set has entries of its kind for a
 * buffer of this size (ClamAV's lists carry the size, so most files need
 * none), and the SHA-256 also when something is found (the detection names it).
 */
static void match(struct worker *w, const char *path, const unsigned char *p, size_t n, char *sha)
{
    const struct vg_hashdb *db = w->j->o->hashes;
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    const struct vg_hash_entry *e;
    w->cur_p = p;
    w->cur_n = n;
    w->cur_sha_buf = sha;
    w->sha_done = false;
    sha[0] = '\0';
    if (db) {
        if (vg_hashdb_wants(db, VG_HASH_SHA256, (int64_t)n)) {
            EVP_Digest(p, n, d, &dl, EVP_sha256(), NULL);
            vg_hex_encode(d, dl, sha);
            w->sha_done = true;
            if ((e = vg_hashdb_lookup(db, VG_HASH_SHA256, d, (int64_t)n)))
                emit(w, path, sha, e->name, "hash", e->source);
        }
        if (vg_hashdb_wants(db, VG_HASH_MD5, (int64_t)n)) {
            unsigned char m[EVP_MAX_MD_SIZE];
            EVP_Digest(p, n, m, &dl, EVP_md5(), NULL);
            if ((e = vg_hashdb_lookup(db, VG_HASH_MD5, m, (int64_t)n)))
                emit(w, path, sha_of(w), e->name, "hash", e->source);
        }
        if (vg_hashdb_wants(db, VG_HASH_SHA1, (int64_t)n)) {
            unsigned char s1[EVP_MAX_MD_SIZE];
            EVP_Digest(p, n, s1, &dl, EVP_sha1(), NULL);
            if ((e = vg_hashdb_lookup(db, VG_HASH_SHA1, s1, (int64_t)n)))
                emit(w, path, sha_of(w), e->name, "hash", e->source);
        }
    }
    if (w->rs) {
        w->cur_path = path;
        if (vg_rules_scan(w->rs, p, n, path, on_rule, w) == VG_EBUSY) {
            report_skip(w->j, path, "the rules timed out on it (60 s)", true);
            w->problem = true;
        }
    }
}

static int on_member(void *ctx, const char *path, const unsigned char *data, size_t n, int depth)
{
    struct worker *w = ctx;
    char sha[65];
    (void)depth;
    match(w, path, data, n, sha);
    pthread_mutex_lock(&w->j->mu);
    w->j->st->bytes += n;
    pthread_mutex_unlock(&w->j->mu);
    return 0;
}

static void on_problem(void *ctx, const char *path, const char *reason)
{
    struct worker *w = ctx;
    w->problem = true;
    report_skip(w->j, path, reason, false);
}

static int open_item(struct job *j, const struct item *it)
{
    const int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    if (!it->rel)
        return open(j->roots[it->root], flags);
#ifdef SYS_openat2
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)flags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, j->rootfds[it->root], it->rel, &how, sizeof how);
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
        return (int)fd;
#endif
    return openat(j->rootfds[it->root], it->rel, flags);
}

static void scan_item(struct worker *w, const struct item *it)
{
    struct job *j = w->j;
    char *path = full_path(j, it);
    struct stat sb;
    size_t have = 0;
    uint64_t max = j->o->max_filesize ? j->o->max_filesize : DEFAULT_MAX;
    int fd;
    bool ok = true;

    if (!path) {
        j->rc = VG_ENOMEM;
        return;
    }
    w->file = path;
    w->hit = w->problem = false;
    /* Unchanged since it was found clean with the same rules and hashes? */
    if (j->ncached) {
        unsigned char key[16];
        union vg_map_val *v;
        cache_key(it->dev, it->ino, key);
        v = vg_map_get(&j->cache, key, 16);
        if (v) {
            const struct vg_cache_entry *c = &j->cached[v->i];
            if (c->size == it->size && c->mtime_ns == it->mtime_ns && c->ctime_ns == it->ctime_ns) {
                pthread_mutex_lock(&j->mu);
                j->st->files++;
                j->st->cached++;
                pthread_mutex_unlock(&j->mu);
                free(path);
                return;
            }
        }
    }
    fd = open_item(j, it);
    if (fd < 0) {
        report_skip(j, path,
                    errno == ENOENT ? "vanished during the scan"
                    : errno == ELOOP || errno == EXDEV
                        ? "a symbolic link now stands in its path (not followed)"
                        : strerror(errno),
                    true);
        free(path);
        return;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_dev != it->dev ||
        (uint64_t)sb.st_ino != it->ino) {
        report_skip(j, path, "changed during the scan (no longer the file found)", true);
        close(fd);
        free(path);
        return;
    }
    for (;;) {
        if (have == w->cap) {
            size_t ncap = w->cap ? w->cap * 2 : 1 << 20;
            while (ncap < (size_t)sb.st_size + 1)
                ncap *= 2;
            unsigned char *nb = realloc(w->buf, ncap);
            if (!nb) {
                report_skip(j, path, "out of memory", true);
                ok = false;
                break;
            }
            w->buf = nb;
            w->cap = ncap;
        }
        ssize_t got = read(fd, w->buf + have, w->cap - have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            report_skip(j, path, strerror(errno), true);
            ok = false;
            break;
        }
        if (got == 0)
            break;
        have += (size_t)got;
        if (have > max) {
            report_skip(j, path, "grew past the size limit during the scan", false);
            ok = false;
            break;
        }
    }
    close(fd);
    if (ok) {
        pthread_mutex_lock(&j->mu);
        j->st->files++;
        j->st->bytes += have;
        pthread_mutex_unlock(&j->mu);
        match(w, path, w->buf, have, w->sha);
        if (j->o->archives && vg_archive_sniff(w->buf, have)) {
            int rc = vg_archive_walk(w->buf, have, path, &j->o->lim, on_member, on_problem, w);
            if (rc != VG_OK && rc != VG_EPARSE)
                w->problem = true;
        }
        if (!w->hit && !w->problem && j->o->cache_path) {
            pthread_mutex_lock(&j->mu);
            if (j->nclean == j->capclean) {
                size_t ncap = j->capclean ? j->capclean * 2 : 1024;
                struct vg_cache_entry *nv = realloc(j->clean, ncap * sizeof *nv);
                if (nv) {
                    j->clean = nv;
                    j->capclean = ncap;
                }
            }
            if (j->nclean < j->capclean) {
                struct vg_cache_entry *c = &j->clean[j->nclean++];
                c->dev = it->dev;
                c->ino = it->ino;
                c->size = (int64_t)sb.st_size;
                c->mtime_ns = ns_of(&sb.st_mtim);
                c->ctime_ns = ns_of(&sb.st_ctim);
            }
            pthread_mutex_unlock(&j->mu);
        }
    }
    if (j->cb->progress) {
        double t = now_s();
        pthread_mutex_lock(&j->mu);
        if (t - j->last_progress >= 0.25) {
            j->last_progress = t;
            j->cb->progress(j->cb->ctx, j->st, path);
        }
        pthread_mutex_unlock(&j->mu);
    }
    free(path);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct job *j = w->j;
    for (;;) {
        struct item it;
        pthread_mutex_lock(&j->mu);
        while (j->n == 0 && !j->walked)
            pthread_cond_wait(&j->more, &j->mu);
        if (j->n == 0) {
            pthread_mutex_unlock(&j->mu);
            return NULL;
        }
        it = j->q[j->head];
        j->head = (j->head + 1) % QUEUE_CAP;
        j->n--;
        pthread_cond_signal(&j->room);
        pthread_mutex_unlock(&j->mu);
        scan_item(w, &it);
        free(it.rel);
    }
}

/* ---- the run ---------------------------------------------------------------------- */

void vg_scan_version(const struct vg_scan_opts *o, char *out)
{
    char hv[65] = "-", text[512];
    if (o->hashes)
        vg_hashdb_version(o->hashes, hv);
    snprintf(text, sizeof text, "rules=%s hashes=%s archives=%d/%d/%llu/%llu/%g/%llu max=%llu",
             o->rules ? vg_rules_version(o->rules) : "-", hv, o->archives, o->lim.max_depth,
             (unsigned long long)o->lim.max_member, (unsigned long long)o->lim.max_total,
             o->lim.max_ratio, (unsigned long long)o->lim.max_members,
             (unsigned long long)o->max_filesize);
    vg_sha256_hex(text, strlen(text), out);
}

static int load_cached(void *ctx, const struct vg_cache_entry *e)
{
    struct job *j = ctx;
    unsigned char key[16];
    bool created;
    union vg_map_val *v;
    if (j->ncached == j->capcached) {
        size_t ncap = j->capcached ? j->capcached * 2 : 4096;
        struct vg_cache_entry *nv = realloc(j->cached, ncap * sizeof *nv);
        if (!nv)
            return VG_ENOMEM;
        j->cached = nv;
        j->capcached = ncap;
    }
    cache_key(e->dev, e->ino, key);
    if (!(v = vg_map_put(&j->cache, key, 16, &created)))
        return VG_ENOMEM;
    j->cached[j->ncached] = *e;
    v->i = (int64_t)j->ncached++;
    return VG_OK;
}

int vg_scan_run(char *const *roots, size_t nroots, const struct vg_scan_opts *o,
                const struct vg_scan_cb *cb, struct vg_scan_stats *st, struct vg_error *err)
{
    struct job j;
    struct worker *ws = NULL;
    pthread_t *tids = NULL;
    int nt = o->threads, started = 0, rc = VG_OK;
    struct vg_scan_cache *cache = NULL;
    char version[65];
    struct stat sb;

    memset(st, 0, sizeof *st);
    memset(&j, 0, sizeof j);
    j.o = o;
    j.cb = cb;
    j.st = st;
    vg_map_init(&j.cache);
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.more, NULL);
    pthread_cond_init(&j.room, NULL);
    if (o->avoid && stat(o->avoid, &sb) == 0) {
        j.have_avoid = true;
        j.avoid_dev = (uint64_t)sb.st_dev;
        j.avoid_ino = (uint64_t)sb.st_ino;
    }
    if (nt <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nt = c > 0 ? (int)c : 1;
    }
    if (nt > 64)
        nt = 64;
    j.q = calloc(QUEUE_CAP, sizeof *j.q);
    j.roots = calloc(nroots + 1, sizeof *j.roots);
    j.rootfds = calloc(nroots + 1, sizeof *j.rootfds);
    ws = calloc((size_t)nt, sizeof *ws);
    tids = calloc((size_t)nt, sizeof *tids);
    if (!j.q || !j.roots || !j.rootfds || !ws || !tids) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    vg_scan_version(o, version);
    if (o->cache_path && vg_scan_cache_open(o->cache_path, &cache, NULL) == VG_OK &&
        vg_scan_cache_load(cache, version, load_cached, &j, NULL) != VG_OK) {
        /* An unreadable cache is no cache. */
        vg_map_release(&j.cache);
        vg_map_init(&j.cache);
        j.ncached = 0;
    }
    for (int i = 0; i < nt; i++) {
        ws[i].j = &j;
        if (o->rules && vg_rules_scanner_new(o->rules, &ws[i].rs) != VG_OK) {
            rc = vg_error_set(err, VG_ENOMEM, "cannot make a rule scanner: out of memory");
            goto out;
        }
    }
    for (started = 0; started < nt; started++)
        if (pthread_create(&tids[started], NULL, worker_main, &ws[started]) != 0)
            break;
    if (started == 0) {
        rc = vg_error_set(err, VG_ENOMEM, "cannot start a scanning thread");
        goto out;
    }
    /* The walk, on this thread. */
    for (size_t r = 0; r < nroots && rc == VG_OK; r++) {
        char *real = realpath(roots[r], NULL);
        j.rootfds[r] = -1;
        j.nroots = r + 1;
        if (!real || lstat(real, &sb) != 0) {
            j.roots[r] = vg_strdup(roots[r]);
            report_skip(&j, roots[r], strerror(errno), true);
            free(real);
            continue;
        }
        j.roots[r] = real;
        if (S_ISDIR(sb.st_mode)) {
            if (j.have_avoid && (uint64_t)sb.st_dev == j.avoid_dev &&
                (uint64_t)sb.st_ino == j.avoid_ino) {
                report_skip(&j, real, "the store's own folder (vault, caches) is never scanned",
                            false);
                continue;
            }
            j.rootfds[r] = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (j.rootfds[r] < 0) {
                report_skip(&j, real, strerror(errno), true);
                continue;
            }
            rc = walk_dir(&j, r, j.rootfds[r], "", (uint64_t)sb.st_dev, 0);
        } else if (S_ISREG(sb.st_mode)) {
            rc = found_file(&j, r, NULL, real, &sb);
        } else {
            report_skip(&j, real, type_name(sb.st_mode), false);
        }
    }
    pthread_mutex_lock(&j.mu);
    j.walked = true;
    pthread_cond_broadcast(&j.more);
    pthread_mutex_unlock(&j.mu);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    if (rc == VG_OK && j.rc)
        rc = j.rc;
    if (rc)
        rc = vg_error_set(err, rc, "the scan stopped: %s", vg_strerror(rc));
    if (cache && j.nclean)
        vg_scan_cache_put(cache, version, j.clean, j.nclean, NULL);
out:
    if (started == 0) {
        /* no thread ran: empty what the walk may have queued */
        for (size_t k = 0; k < j.n; k++)
            free(j.q[(j.head + k) % QUEUE_CAP].rel);
    }
    vg_scan_cache_close(cache);
    for (int i = 0; ws && i < nt; i++) {
        vg_rules_scanner_free(ws[i].rs);
        free(ws[i].buf);
    }
    for (size_t r = 0; j.roots && r < j.nroots; r++) {
        free(j.roots[r]);
        if (j.rootfds[r] >= 0)
            close(j.rootfds[r]);
    }
    free(j.roots);
    free(j.rootfds);
    free(j.q);
    free(ws);
    free(tids);
    free(j.cached);
    free(j.clean);
    vg_map_release(&j.cache);
    pthread_mutex_destroy(&j.mu);
    pthread_cond_destroy(&j.more);
    pthread_cond_destroy(&j.room);
    return rc;
}
