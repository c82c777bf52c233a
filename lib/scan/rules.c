/*
 * rules.c - YARA rule sets through libyara: the rule files of --rules (a
 * file or a folder of .yar/.yara files) compiled once into one rule set,
 * each file in its own namespace (its name), with the externals that common
 * rule sets use (filename, filepath, extension, filetype, owner) defined.
 *
 * A file that does not compile is reported with file:line and left out; the
 * rest load (strict makes it fatal). libyara's compiler cannot go on after an
 * error, so each file is first tried in a compiler of its own. The compiled
 * set is cached under the content hash of all files (names and bytes), so
 * the next run with the same rules loads it instead of compiling.
 */
#include "scan/rules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/str.h"
#include "core/banned.h"

#define RULE_FILE_MAX (64u << 20)

struct vg_rules {
    YR_RULES *rules;
    char version[65];
    size_t files, failed;
    unsigned count;
};

static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static int init_refs;

static int yara_up(void)
{
    int rc = ERROR_SUCCESS;
    pthread_mutex_lock(&init_mu);
    if (init_refs++ == 0)
        rc = yr_initialize();
    if (rc != ERROR_SUCCESS)
        init_refs--;
    pthread_mutex_unlock(&init_mu);
    return rc == ERROR_SUCCESS ? VG_OK : VG_ENOMEM;
}

static void yara_down(void)
{
    pthread_mutex_lock(&init_mu);
    if (init_refs > 0 && --init_refs == 0)
        yr_finalize();
    pthread_mutex_unlock(&init_mu);
}

/* The externals, with empty values until a scanner sets them per file. */
static const char *const externals[] = {"filename", "filepath", "extension", "filetype", "owner"};

static int define_externals(YR_COMPILER *c)
{
    for (size_t i = 0; i < sizeof externals / sizeof externals[0]; i++)
        if (yr_compiler_define_string_variable(c, externals[i], "") != ERROR_SUCCESS)
            return VG_ENOMEM;
    return VG_OK;
}

struct list {
    char **v;
    size_t n, cap;
};

static int push(struct list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        char **nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return VG_ENOMEM;
        l->v = nv;
        l->cap = ncap;
    }
    if (!(l->v[l->n] = vg_strdup(s)))
        return VG_ENOMEM;
    l->n++;
    return VG_OK;
}

static void list_free(struct list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool rule_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".yar") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".yara") == 0);
}

/* Rule files under dir (recursively, links not followed), by name. */
static int collect(const char *dir, struct list *out, int depth, struct vg_error *err)
{
    DIR *d;
    struct dirent *e;
    int rc = VG_OK;
    if (depth > 32)
        return VG_OK;
    if (!(d = opendir(dir)))
        return vg_error_set(err, VG_EIO, "cannot read the rules folder '%s': %s", dir,
                            strerror(errno));
    while (rc == VG_OK && (e = readdir(d))) {
        struct stat sb;
        char path[4096];
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            continue;
        if (lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            rc = collect(path, out, depth + 1, err);
        else if (S_ISREG(sb.st_mode) && rule_name(e->d_name))
            rc = push(out, path);
    }
    closedir(d);
    return rc;
}

struct cctx {
    vg_rules_err_fn fn;
    void *ctx;
    const char *file;
    size_t errors;
};

static void on_compile(int level, const char *file, int line, const YR_RULE *rule, const char *msg,
                       void *user)
{
    struct cctx *c = user;
    (void)rule;
    if (level == YARA_ERROR_LEVEL_ERROR)
        c->errors++;
    if (c->fn)
        c->fn(c->ctx, file ? file : c->file, line, msg, level != YARA_ERROR_LEVEL_ERROR);
}

/* The namespace of a rule file: its base name without the extension. */
static void ns_of(const char *path, char *ns, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(ns, n, "%s", b);
    char *dot = strrchr(ns, '.');
    if (dot && dot != ns)
        *dot = '\0';
}

static int add_file(YR_COMPILER *c, const char *path, struct cctx *cc)
{
    char ns[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    ns_of(path, ns, sizeof ns);
    cc->file = path;
    int errors = yr_compiler_add_file(c, f, ns, path);
    fclose(f);
    return errors;
}

static int cache_path(const char *dir, const char *version, char *out, size_t n)
{
    return (size_t)snprintf(out, n, "%s/yara-%s.yarc", dir, version) < n ? VG_OK : VG_EINVAL;
}

int vg_rules_load(char *const *paths, size_t npaths, const struct vg_rules_opts *o,
                  vg_rules_err_fn fn, void *ctx, struct vg_rules **out, struct vg_error *err)
{
    struct vg_rules *r = calloc(1, sizeof *r);
    struct list files = {0};
    struct vg_buf b;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char digest[32];
    unsigned dlen = 0;
    YR_COMPILER *c = NULL;
    bool *good = NULL;
    int rc = VG_OK;
    char cpath[4096];

    *out = NULL;
    vg_buf_init(&b, RULE_FILE_MAX);
    if (!r || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = yara_up())) {
        rc = vg_error_set(err, rc, "cannot start libyara");
        free(r);
        r = NULL;
        EVP_MD_CTX_free(md);
        return rc;
    }
    for (size_t i = 0; i < npaths && rc == VG_OK; i++) {
        struct stat sb;
        size_t before = files.n;
        if (stat(paths[i], &sb) != 0) {
            rc = vg_error_set(err, VG_ENOTFOUND, "cannot read the rules '%s': %s", paths[i],
                              strerror(errno));
        } else if (S_ISDIR(sb.st_mode)) {
            rc = collect(paths[i], &files, 0, err);
            if (rc == VG_OK && files.n == before)
                rc = vg_error_set(err, VG_ENOTFOUND,
                                  "no rule files (*.yar, *.yara) in the folder '%s'", paths[i]);
        } else {
            rc = push(&files, paths[i]);
        }
        if (rc == VG_OK && files.n - before > 1)
            qsort(files.v + before, files.n - before, sizeof *files.v, cmp_str);
    }
    if (rc)
        goto out;
    /* The version: every file's name and bytes. */
    for (size_t i = 0; i < files.n; i++) {
        if ((rc = vg_file_read(files.v[i], RULE_FILE_MAX, &b, err)))
            goto out;
        EVP_DigestUpdate(md, files.v[i], strlen(files.v[i]) + 1);
        EVP_DigestUpdate(md, b.data ? b.data : "", b.len);
        EVP_DigestUpdate(md, "\n", 1);
    }
    EVP_DigestFinal_ex(md, digest, &dlen);
    vg_hex_encode(digest, 32, r->version);
    r->files = files.n;
    if (o && o->cache_dir && !o->no_cache &&
        cache_path(o->cache_dir, r->version, cpath, sizeof cpath) == VG_OK &&
        access(cpath, R_OK) == 0 && yr_rules_load(cpath, &r->rules) == ERROR_SUCCESS) {
        /* A cached set holds only what compiled: the failures are not reported again. */
        YR_RULE *rule;
        yr_rules_foreach(r->rules, rule) r->count++;
        goto out;
    }
    /* Each file alone first: libyara's compiler stops at the first file in error. */
    good = calloc(files.n + 1, sizeof *good);
    if (!good) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < files.n; i++) {
        struct cctx cc = {fn, ctx, files.v[i], 0};
        YR_COMPILER *t;
        if (yr_compiler_create(&t) != ERROR_SUCCESS || define_externals(t) != VG_OK) {
            rc = vg_error_set(err, VG_ENOMEM, "out of memory");
            goto out;
        }
        yr_compiler_set_callback(t, on_compile, &cc);
        int e = add_file(t, files.v[i], &cc);
        yr_compiler_destroy(t);
        if (e < 0) {
            if (fn)
                fn(ctx, files.v[i], 0, strerror(errno), false);
            cc.errors++;
        }
        good[i] = e == 0 && cc.errors == 0;
        if (!good[i]) {
            r->failed++;
            if (o && o->strict) {
                rc = vg_error_set(err, VG_EPARSE,
                                  "the rule file '%s' does not compile (--strict); fix it or leave "
                                  "out --strict to load the rest",
                                  files.v[i]);
                goto out;
            }
        }
    }
    if (yr_compiler_create(&c) != ERROR_SUCCESS || define_externals(c) != VG_OK) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    {
        struct cctx cc = {NULL, NULL, NULL, 0};
        yr_compiler_set_callback(c, on_compile, &cc);
        for (size_t i = 0; i < files.n; i++)
            if (good[i] && add_file(c, files.v[i], &cc) != 0) {
                rc = vg_error_set(err, VG_EPARSE,
                                  "the rule file '%s' did not compile with the rest", files.v[i]);
                goto out;
            }
    }
    if (r->failed == files.n) {
        rc = vg_error_set(err, VG_EPARSE, "no rule file compiled (%zu tried)", files.n);
        goto out;
    }
    if (yr_compiler_get_rules(c, &r->rules) != ERROR_SUCCESS) {
        rc = vg_error_set(err, VG_ENOMEM, "cannot build the rule set");
        goto out;
    }
    {
        YR_RULE *rule;
        yr_rules_foreach(r->rules, rule) r->count++;
    }
    /* Cache what compiled (failures are shown each time they are compiled, so a
     * set with failures is not cached). */
    if (o && o->cache_dir && !o->no_cache && r->failed == 0 &&
        cache_path(o->cache_dir, r->version, cpath, sizeof cpath) == VG_OK) {
        char tmp[4200];
        mkdir(o->cache_dir, 0770);
        snprintf(tmp, sizeof tmp, "%s.%ld.tmp", cpath, (long)getpid());
        if (yr_rules_save(r->rules, tmp) == ERROR_SUCCESS && rename(tmp, cpath) == 0)
            ;
        else
            unlink(tmp);
    }
out:
    if (c)
        yr_compiler_destroy(c);
    free(good);
    list_free(&files);
    vg_buf_release(&b);
    EVP_MD_CTX_free(md);
    if (rc) {
        vg_rules_free(r);
        return rc;
    }
    *out = r;
    return VG_OK;
}

void vg_rules_free(struct vg_rules *r)
{
    if (!r)
        return;
    if (r->rules)
        yr_rules_destroy(r->rules);
    free(r);
    yara_down();
}

const char *vg_rules_version(const struct vg_rules *r)
{
    return r->version;
}

unsigned vg_rules_count(const struct vg_rules *r)
{
    return r->count;
}

size_t vg_rules_failed(const struct vg_rules *r)
{
    return r->failed;
}

/* ---- scanning ----------------------------------------------------------------- */

struct vg_rules_scanner {
    YR_SCANNER *sc;
    vg_rule_match_fn fn;
    void *ctx;
};

static int on_scan(YR_SCAN_CONTEXT *context, int message, void *data, void *user)
{
    struct vg_rules_scanner *s = user;
    (void)context;
    if (message == CALLBACK_MSG_RULE_MATCHING) {
        const YR_RULE *rule = data;
        if (s->fn && s->fn(s->ctx, rule->identifier, rule->ns ? rule->ns->name : NULL) != 0)
            return CALLBACK_ABORT;
    }
    return CALLBACK_CONTINUE;
}

int vg_rules_scanner_new(const struct vg_rules *r, struct vg_rules_scanner **out)
{
    struct vg_rules_scanner *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return VG_ENOMEM;
    if (yr_scanner_create(r->rules, &s->sc) != ERROR_SUCCESS) {
        free(s);
        return VG_ENOMEM;
    }
    yr_scanner_set_callback(s->sc, on_scan, s);
    yr_scanner_set_timeout(s->sc, 60);
    *out = s;
    return VG_OK;
}

void vg_rules_scanner_free(struct vg_rules_scanner *s)
{
    if (!s)
        return;
    yr_scanner_destroy(s->sc);
    free(s);
}

int vg_rules_scan(struct vg_rules_scanner *s, const unsigned char *buf, size_t n, const char *path,
                  vg_rule_match_fn fn, void *ctx)
{
    const char *base = strrchr(path, '/'), *ext;
    int r;
    base = base ? base + 1 : path;
    ext = strrchr(base, '.');
    ext = ext && ext != base ? ext + 1 : "";
    s->fn = fn;
    s->ctx = ctx;
    yr_scanner_define_string_variable(s->sc, "filename", base);
    yr_scanner_define_string_variable(s->sc, "filepath", path);
    yr_scanner_define_string_variable(s->sc, "extension", ext);
    r = yr_scanner_scan_mem(s->sc, buf, n);
    if (r == ERROR_SUCCESS || r == ERROR_CALLBACK_ERROR)
        return VG_OK;
    if (r == ERROR_SCAN_TIMEOUT)
        return VG_EBUSY;
    if (r == ERROR_TOO_MANY_MATCHES)
        return VG_OK;
    return VG_EIO;
}
