/*
 * sweep.c - `vigil sweep`: every line of every log given is cut into tokens
 * (addresses, domains, URLs: lib/sweep/extract.c) and each token is looked
 * up in the current indicator sets, built once from the store. A hit names
 * the file, the line, the indicator and its feed, and the inventory host
 * that the line's other address belongs to.
 *
 * Files are shared among threads; each file's hits are collected and handed
 * to the caller in the order the files were given, by the calling thread.
 */
#include "sweep/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/arena.h"
#include "core/map.h"
#include "core/str.h"
#include "intel/intel.h"
#include "store/store.h"
#include "core/banned.h"

#define CHUNK (8u << 20) /* read size; a longer line is cut there */
#define LINE_TOKENS 256  /* tokens looked at per line */

struct invhost {
    const char *host, *unit;
    int64_t host_id, unit_id;
    int count;
};

struct vg_sweeper {
    struct vg_matcher *m;
    bool full; /* every line through the full extraction, no screen */
    struct vg_map inv; /* family byte + 16 address bytes -> invhost index */
    struct invhost *hosts;
    size_t nhosts;
    struct vg_arena a;
};

static size_t inv_key(const struct vg_ip *ip, unsigned char *key)
{
    key[0] = ip->family;
    memcpy(key + 1, ip->a, 16);
    return 17;
}

int vg_sweeper_new(struct vg_store *s, struct vg_sweeper **out, struct vg_error *err)
{
    struct vg_sweeper *w = calloc(1, sizeof *w);
    struct vg_rows hosts;
    int rc = VG_OK;
    *out = NULL;
    vg_rows_init(&hosts);
    if (!w)
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    vg_arena_init(&w->a);
    vg_map_init(&w->inv);
    VG_TRY(vg_matcher_new(s, VG_MATCH_IP | VG_MATCH_DOMAIN | VG_MATCH_URL, &w->m, err));
    /* The inventory's addresses, to name the internal host of a line. */
    VG_TRY(vg_store_host_list(s, NULL, &hosts, err));
    size_t naddrs = 0;
    for (size_t i = 0; i < hosts.n; i++)
        naddrs += VG_ROW(&hosts, struct vg_host, i)->naddrs;
    w->hosts = calloc(naddrs + 1, sizeof *w->hosts);
    if (!w->hosts) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < hosts.n; i++) {
        struct vg_host *h = VG_ROW(&hosts, struct vg_host, i);
        for (size_t j = 0; j < h->naddrs; j++) {
            unsigned char key[17];
            bool created;
            union vg_map_val *v = vg_map_put(&w->inv, key, inv_key(&h->addrs[j].ip, key), &created);
            if (!v) {
                rc = vg_error_set(err, VG_ENOMEM, "out of memory");
                goto out;
            }
            if (!created) {
                w->hosts[v->i].count++; /* the same private address in another unit */
                continue;
            }
            struct invhost *ih = &w->hosts[w->nhosts];
            ih->host = vg_arena_strdup(&w->a, h->hostname);
            ih->unit = vg_arena_strdup(&w->a, h->unit);
            ih->host_id = h->id;
            ih->unit_id = h->unit_id;
            ih->count = 1;
            v->i = (int64_t)w->nhosts++;
        }
    }
out:
    vg_rows_release(&hosts);
    if (rc) {
        vg_sweeper_free(w);
        return rc;
    }
    *out = w;
    return VG_OK;
}

void vg_sweeper_free(struct vg_sweeper *w)
{
    if (!w)
        return;
    vg_matcher_free(w->m);
    vg_map_release(&w->inv);
    free(w->hosts);
    vg_arena_release(&w->a);
    free(w);
}

void vg_sweeper_set_full(struct vg_sweeper *w, bool full)
{
    w->full = full;
}

void vg_sweeper_counts(const struct vg_sweeper *w, size_t *ips, size_t *domains, size_t *urls)
{
    vg_matcher_counts(w->m, ips, domains, urls);
}

/* ---- one file ------------------------------------------------------------- */

/* The hits of one file, kept until it is its turn to be handed out. */
struct file_result {
    struct vg_rows hits; /* struct vg_sweep_hit, strings in hits.arena */
    char *skip_reason;
    uint64_t bytes, lines;
    bool done;
};

struct line_ctx {
    struct vg_token toks[LINE_TOKENS];
    size_t n;
};

static int take_token(void *ctx, const struct vg_token *t)
{
    struct line_ctx *l = ctx;
    if (l->n < LINE_TOKENS)
        l->toks[l->n++] = *t;
    return 0;
}

/* The listing that matches token t, or NULL (allow-lists win). */
static const struct vg_listing *match(const struct vg_sweeper *w, const struct vg_token *t)
{
    switch (t->type) {
    case VG_TOK_IPV4:
    case VG_TOK_IPV6:
        return vg_matcher_ip(w->m, &t->ip);
    case VG_TOK_DOMAIN:
        return vg_matcher_domain(w->m, t->p, t->n);
    case VG_TOK_URL:
        return vg_matcher_url(w->m, t->p, t->n);
    }
    return NULL;
}

static int sweep_line(const struct vg_sweeper *w, const char *file, size_t lineno, const char *p,
                      size_t n, struct file_result *res)
{
    struct line_ctx l;
    l.n = 0;
    vg_extract_line(p, n, VG_TOK_ALL, take_token, &l);
    for (size_t i = 0; i < l.n; i++) {
        const struct vg_token *t = &l.toks[i];
        const struct vg_listing *m = match(w, t);
        if (!m)
            continue;
        struct vg_sweep_hit *h = vg_rows_push(&res->hits, sizeof *h);
        if (!h)
            return VG_ENOMEM;
        h->file = file;
        h->line = lineno;
        h->type = t->type;
        h->token = vg_arena_strndup(&res->hits.arena, t->p, t->n);
        h->indicator = m->value;
        h->source = m->source;
        h->family = m->family;
        /* The internal host: another address of the line that the inventory knows. */
        for (size_t k = 0; k < l.n; k++) {
            const struct vg_token *o = &l.toks[k];
            unsigned char key[17];
            union vg_map_val *v;
            if (k == i || (o->type != VG_TOK_IPV4 && o->type != VG_TOK_IPV6))
                continue;
            if (vg_ip_eq(&o->ip, &t->ip) && t->type != VG_TOK_DOMAIN && t->type != VG_TOK_URL)
                continue;
            v = vg_map_get(&w->inv, key, inv_key(&o->ip, key));
            if (!v)
                continue;
            const struct invhost *ih = &w->hosts[v->i];
            h->host = ih->host;
            h->unit = ih->unit;
            h->host_id = ih->host_id;
            h->unit_id = ih->unit_id;
            h->hosts = ih->count;
            break;
        }
    }
    return VG_OK;
}

/* The number of '\n' in p[0..n). */
static size_t count_nl(const char *p, size_t n)
{
    size_t c = 0, i = 0;
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');
    while (i + 16 <= n) {
        /* Byte counters (each compare adds 0 or -1), summed before they can wrap. */
        __m128i acc = _mm_setzero_si128();
        for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16)
            acc = _mm_sub_epi8(
                acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), nl));
        __m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
        c += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
    }
#endif
    for (; i < n; i++)
        c += p[i] == '\n';
    return c;
}

/* Reading: a plain descriptor or zlib. */
struct reader {
    int fd;
    gzFile gz;
};

static ssize_t rd(struct reader *r, char *buf, size_t n)
{
    if (r->gz) {
        int got = gzread(r->gz, buf, (unsigned)(n > (1u << 30) ? (1u << 30) : n));
        return got < 0 ? -1 : got;
    }
    for (;;) {
        ssize_t got = read(r->fd, buf, n);
        if (got < 0 && errno == EINTR)
            continue;
        return got;
    }
}

/*
 * Sweep path, or only bytes [off, off + len) of it when len >= 0 (a part of a
 * large plain file that starts and ends at line boundaries). Line numbers in
 * res are then counted from the part's start.
 */
static void sweep_file(const struct vg_sweeper *w, const char *path, off_t off, off_t len,
                       struct file_result *res)
{
    struct reader r = {.fd = -1};
    char *buf = NULL;
    size_t have = 0, lineno = 1;
    uint64_t left = len >= 0 ? (uint64_t)len : UINT64_MAX;
    int rc = VG_OK;
    bool is_stdin = strcmp(path, "-") == 0;
    unsigned char magic[2];
    r.fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (r.fd < 0) {
        res->skip_reason = vg_strdup(strerror(errno));
        return;
    }
    if (len >= 0) {
        if (lseek(r.fd, off, SEEK_SET) != off) {
            res->skip_reason = vg_strdup(strerror(errno));
            close(r.fd);
            return;
        }
    } else if (!is_stdin && pread(r.fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        /* gzip by its magic bytes, not its name. */
        r.gz = gzdopen(r.fd, "rb");
        if (!r.gz) {
            close(r.fd);
            res->skip_reason = vg_strdup("cannot open the gzip stream");
            return;
        }
        r.fd = -1;
        gzbuffer(r.gz, 1u << 20);
    }
    buf = malloc(CHUNK + 1);
    if (!buf) {
        res->skip_reason = vg_strdup("out of memory");
        goto out;
    }
    for (;;) {
        size_t want = CHUNK - have;
        if (want > left)
            want = (size_t)left;
        ssize_t got = want ? rd(&r, buf + have, want) : 0;
        if (got < 0) {
            free(res->skip_reason);
            res->skip_reason = vg_strdup(r.gz ? "corrupt gzip data" : strerror(errno));
            break;
        }
        res->bytes += (uint64_t)got;
        have += (size_t)got;
        left -= (uint64_t)got;
        bool eof = got == 0;
        size_t start = 0;
        if (w->full) {
            for (;;) {
                char *nl = memchr(buf + start, '\n', have - start);
                if (!nl)
                    break;
                size_t end = (size_t)(nl - buf), n = end - start;
                if (n && buf[end - 1] == '\r')
                    n--;
                if ((rc = sweep_line(w, path, lineno, buf + start, n, res)))
                    break;
                lineno++;
                start = end + 1;
            }
        } else {
            /* The complete lines: the screen finds the few that need a full look. */
            const char *last = have ? memrchr(buf, '\n', have) : NULL;
            size_t lim = last ? (size_t)(last - buf) + 1 : 0, counted = 0;
            while (start < lim) {
                size_t f = vg_screen_find(w->m, buf, start, lim);
                if (f >= lim)
                    break;
                const char *ls = memrchr(buf + start, '\n', f - start);
                size_t lstart = ls ? (size_t)(ls - buf) + 1 : start;
                size_t lend = (size_t)((const char *)memchr(buf + f, '\n', lim - f) - buf);
                size_t n = lend - lstart;
                lineno += count_nl(buf + counted, lstart - counted);
                counted = lstart;
                if (n && buf[lend - 1] == '\r')
                    n--;
                if ((rc = sweep_line(w, path, lineno, buf + lstart, n, res)))
                    break;
                start = lend + 1;
            }
            lineno += count_nl(buf + counted, lim - counted);
            start = lim;
        }
        if (rc)
            break;
        /* What is left is a partial line: keep it, unless it fills the buffer or the input ended.
         */
        if (start < have && (eof || (start == 0 && have == CHUNK))) {
            rc = sweep_line(w, path, lineno, buf + start, have - start, res);
            if (eof)
                lineno++;
            start = have;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (eof || rc)
            break;
    }
    res->lines = lineno - 1;
    if (rc && !res->skip_reason)
        res->skip_reason = vg_strdup("out of memory");
out:
    free(buf);
    if (r.gz)
        gzclose(r.gz);
    if (r.fd >= 0)
        close(r.fd);
}

/* ---- the files, the threads ------------------------------------------------- */

/* A unit of work: a whole file, or a part of a large plain file. */
struct item {
    size_t file;
    off_t off, len; /* len < 0: the whole file */
};

struct job {
    const struct vg_sweeper *w;
    char **files;
    struct item *items;
    size_t nitems;
    struct file_result *res; /* one per item */
    size_t next;             /* next item to take */
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void *worker(void *arg)
{
    struct job *j = arg;
    for (;;) {
        size_t i;
        pthread_mutex_lock(&j->mu);
        i = j->next < j->nitems ? j->next++ : j->nitems;
        pthread_mutex_unlock(&j->mu);
        if (i >= j->nitems)
            return NULL;
        const struct item *it = &j->items[i];
        sweep_file(j->w, j->files[it->file], it->off, it->len, &j->res[i]);
        pthread_mutex_lock(&j->mu);
        j->res[i].done = true;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    }
}

struct list {
    char **v;
    size_t n, cap;
};

static int push(struct list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **n = realloc(l->v, ncap * sizeof *n);
        if (!n)
            return VG_ENOMEM;
        l->v = n;
        l->cap = ncap;
    }
    if (!(l->v[l->n] = vg_strdup(s)))
        return VG_ENOMEM;
    l->n++;
    return VG_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under dir, depth first, in name order; links are not followed. */
static int walk(const char *dir, struct list *files, vg_sweep_skip_fn skip, void *ctx,
                struct vg_sweep_stats *st, int depth)
{
    DIR *d;
    struct dirent *e;
    struct list names = {0};
    int rc = VG_OK;
    if (depth > 64) {
        if (skip)
            skip(ctx, dir, "too deep");
        st->skipped++;
        return VG_OK;
    }
    d = opendir(dir);
    if (!d) {
        if (skip)
            skip(ctx, dir, strerror(errno));
        st->skipped++;
        return VG_OK;
    }
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((rc = push(&names, e->d_name)))
            break;
    }
    closedir(d);
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_name);
    for (size_t i = 0; rc == VG_OK && i < names.n; i++) {
        struct stat sb;
        size_t len = strlen(dir) + strlen(names.v[i]) + 2;
        char *full = malloc(len);
        if (!full) {
            rc = VG_ENOMEM;
            break;
        }
        snprintf(full, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
        if (lstat(full, &sb) != 0) {
            if (skip)
                skip(ctx, full, strerror(errno));
            st->skipped++;
        } else if (S_ISDIR(sb.st_mode)) {
            rc = walk(full, files, skip, ctx, st, depth + 1);
        } else if (S_ISREG(sb.st_mode)) {
            rc = push(files, full);
        } /* links, devices, sockets: not followed, not read */
        free(full);
    }
    for (size_t i = 0; i < names.n; i++)
        free(names.v[i]);
    free(names.v);
    return rc;
}

#define PART_SIZE ((off_t)32 << 20) /* default smallest part of a large file */

/* The offset just past the first line end at or after pos (size if none). */
static off_t next_line(int fd, off_t pos, off_t size)
{
    char win[65536];
    while (pos < size) {
        ssize_t n = pread(fd, win, sizeof win, pos);
        if (n <= 0)
            return size;
        char *nl = memchr(win, '\n', (size_t)n);
        if (nl)
            return pos + (nl - win) + 1;
        pos += n;
    }
    return size;
}

/* Items for file f: parts of about equal size cut at line ends, or the whole file. */
static int plan(struct item **items, size_t *n, size_t *cap, size_t f, const char *path,
                int threads, off_t part)
{
    struct stat sb;
    unsigned char magic[2];
    int fd = -1;
    size_t parts = 1;
    if (threads > 1 && strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
        sb.st_size >= 2 * part && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 &&
        !(pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)) {
        parts = (size_t)(sb.st_size / part);
        if (parts > (size_t)threads * 4)
            parts = (size_t)threads * 4;
    }
    if (*n + parts > *cap) {
        size_t ncap = (*cap + parts) * 2;
        struct item *ni = realloc(*items, ncap * sizeof *ni);
        if (!ni) {
            if (fd >= 0)
                close(fd);
            return VG_ENOMEM;
        }
        *items = ni;
        *cap = ncap;
    }
    if (parts == 1) {
        (*items)[(*n)++] = (struct item){f, 0, -1};
    } else {
        off_t start = 0;
        for (size_t k = 1; k <= parts && start < sb.st_size; k++) {
            off_t end = k == parts
                            ? sb.st_size
                            : next_line(fd, (off_t)((double)sb.st_size * k / parts), sb.st_size);
            if (end <= start)
                continue;
            (*items)[(*n)++] = (struct item){f, start, end - start};
            start = end;
        }
    }
    if (fd >= 0)
        close(fd);
    return VG_OK;
}

int vg_sweep_paths(const struct vg_sweeper *w, char *const *paths, size_t npaths, int threads,
                   uint64_t part_size, vg_sweep_hit_fn hit, vg_sweep_skip_fn skip, void *ctx,
                   struct vg_sweep_stats *st, struct vg_error *err)
{
    off_t part = part_size ? (off_t)part_size : PART_SIZE;
    struct list files = {0};
    struct job j;
    pthread_t tid[64];
    int nt = 0, rc = VG_OK;
    memset(st, 0, sizeof *st);
    for (size_t i = 0; rc == VG_OK && i < npaths; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") == 0) {
            rc = push(&files, "-");
        } else if (stat(paths[i], &sb) != 0) {
            if (skip)
                skip(ctx, paths[i], strerror(errno));
            st->skipped++;
        } else if (S_ISDIR(sb.st_mode)) {
            rc = walk(paths[i], &files, skip, ctx, st, 0);
        } else {
            rc = push(&files, paths[i]);
        }
    }
    if (rc) {
        rc = vg_error_set(err, rc, "cannot list the files to sweep: %s", vg_strerror(rc));
        goto out;
    }
    memset(&j, 0, sizeof j);
    j.w = w;
    j.files = files.v;
    if (threads <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (int)c : 1;
    }
    if (threads > 64)
        threads = 64;
    size_t cap = 0;
    for (size_t i = 0; rc == VG_OK && i < files.n; i++)
        rc = plan(&j.items, &j.nitems, &cap, i, files.v[i], threads, part);
    j.res = rc ? NULL : calloc(j.nitems + 1, sizeof *j.res);
    if (!j.res) {
        free(j.items);
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < j.nitems; i++)
        vg_rows_init(&j.res[i].hits);
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.cv, NULL);
    if ((size_t)threads > j.nitems)
        threads = j.nitems ? (int)j.nitems : 1;
    for (nt = 0; nt < threads; nt++)
        if (pthread_create(&tid[nt], NULL, worker, &j) != 0)
            break;
    if (nt == 0) {
        worker(&j); /* no thread could start: do it here */
    }
    /* Hand the hits out in the order the files were given, parts in order. */
    size_t base = 0; /* lines of the file's earlier parts */
    for (size_t i = 0; i < j.nitems; i++) {
        struct file_result *res = &j.res[i];
        const struct item *it = &j.items[i];
        bool first = it->off == 0;
        pthread_mutex_lock(&j.mu);
        while (!res->done)
            pthread_cond_wait(&j.cv, &j.mu);
        pthread_mutex_unlock(&j.mu);
        if (first)
            base = 0;
        if (res->skip_reason) {
            if (skip)
                skip(ctx, files.v[it->file], res->skip_reason);
            st->skipped++;
        }
        st->files += first;
        st->bytes += res->bytes;
        st->lines += res->lines;
        for (size_t k = 0; k < res->hits.n && rc == VG_OK; k++) {
            struct vg_sweep_hit h = *VG_ROW(&res->hits, struct vg_sweep_hit, k);
            h.line += base;
            st->hits++;
            if (hit && hit(ctx, &h))
                rc = VG_ECONFLICT; /* the caller asked to stop */
        }
        base += res->lines;
        vg_rows_release(&res->hits);
        free(res->skip_reason);
        res->skip_reason = NULL;
    }
    for (int t = 0; t < nt; t++)
        pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&j.mu);
    pthread_cond_destroy(&j.cv);
    free(j.res);
    free(j.items);
    if (rc == VG_ECONFLICT)
        rc = VG_OK;
out:
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    return rc;
}
