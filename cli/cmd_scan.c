/*
 * cmd_scan.c - `vigil scan PATH...` (hashes, YARA rules, archives; exit 1 on
 * detections), `vigil scan import FILE` (a result written elsewhere with
 * --output), `vigil scan coverage` and `vigil scan --plan` (which hosts to
 * sweep first).
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/file.h"
#include "core/json.h"
#include "core/log.h"
#include "core/str.h"
#include "core/table.h"
#include "scan/rules.h"
#include "scan/scan.h"
#include "store/store.h"
#include "core/banned.h"

#define RESULT_MAX ((size_t)256 << 20)

/* "10G", "500M", "64K", "1024": bytes. */
static int parse_size(struct cli *c, const char *opt, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (end == s || errno || s[0] == '-')
        goto bad;
    if (*end) {
        switch (*end | 0x20) {
        case 'k':
            shift = 10;
            break;
        case 'm':
            shift = 20;
            break;
        case 'g':
            shift = 30;
            break;
        case 't':
            shift = 40;
            break;
        default:
            goto bad;
        }
        if (end[1] && !((end[1] | 0x20) == 'b' && !end[2]) &&
            !((end[1] | 0x20) == 'i' && end[2] && (end[2] | 0x20) == 'b' && !end[3]))
            goto bad;
    }
    if (shift && v > (~0ull >> shift))
        goto bad;
    *out = (uint64_t)v << shift;
    return 0;
bad:
    cli_failf(c, "%s: '%s' is not a size (examples: 500M, 10G, 4096)", opt, s);
    return -1;
}

/* ---- the host a scan belongs to ------------------------------------------------------ */

/* Inventory hosts named name (in unit, when given; case does not matter): the
 * last one's id, its name as the inventory spells it (into canon[cn], when given),
 * and how many there are. */
static int find_host(struct cli *c, const char *unit, const char *name, int64_t *id, int *matches,
                     char *canon, size_t cn, struct vg_error *err)
{
    struct vg_rows hosts;
    int rc;
    *id = 0;
    *matches = 0;
    vg_rows_init(&hosts);
    if ((rc = vg_store_host_list(c->store, NULL, &hosts, err)) == VG_OK)
        for (size_t i = 0; i < hosts.n; i++) {
            const struct vg_host *h = VG_ROW(&hosts, struct vg_host, i);
            if (strcasecmp(h->hostname, name) != 0 || (unit && strcasecmp(h->unit, unit) != 0))
                continue;
            (*matches)++;
            *id = h->id;
            if (canon)
                snprintf(canon, cn, "%s", h->hostname);
        }
    vg_rows_release(&hosts);
    return rc;
}

/* --host NAME or UNIT/NAME, else this machine's hostname, in the inventory. */
static int resolve_host(struct cli *c, const char *want, int64_t *host_id, char *name, size_t n)
{
    struct vg_error err;
    char self[256] = "", ubuf[256];
    const char *unit = NULL, *host = want;
    int matches;
    if (!want) {
        if (gethostname(self, sizeof self - 1) != 0)
            snprintf(self, sizeof self, "localhost");
        host = self;
    } else if (strchr(want, '/')) {
        snprintf(ubuf, sizeof ubuf, "%.*s", (int)(strchr(want, '/') - want), want);
        unit = ubuf;
        host = strchr(want, '/') + 1;
    }
    snprintf(name, n, "%s", host);
    vg_error_clear(&err);
    if (find_host(c, unit, host, host_id, &matches, name, n, &err))
        return cli_fail(c, err.code, &err);
    if (matches > 1)
        return cli_failf(c, "the host '%s' is in several units: say which with --host UNIT/%s",
                         host, host);
    if (matches == 0 && want)
        return cli_failf(c,
                         "no host '%s' in the inventory ('vigil host list'; add it with "
                         "'vigil host add')",
                         want);
    if (matches == 0)
        vg_warn("this machine ('%s') is not in the inventory: the scan is recorded under its name "
                "as an unassigned host ('vigil host add' it, or give --host)",
                host);
    return 0;
}

/* ---- a scan ------------------------------------------------------------------------ */

struct scan_ctx {
    struct cli *c;
    FILE *out; /* --output, or NULL */
    bool progress;
    struct vg_scan_result res; /* the detections (res.d, res.n), strings in res.a */
    const char **files;        /* the file on disk of each detection */
    int oom;
    double t0;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static json_t *hit_json(const struct vg_scan_hit *h)
{
    json_t *j = json_object();
    vg_json_set(j, "path", vg_json_str(h->path));
    vg_json_set(j, "file", vg_json_str(h->file));
    vg_json_set(j, "sha256", vg_json_str(h->sha256));
    vg_json_set(j, "rule", vg_json_str(h->rule));
    vg_json_set(j, "kind", vg_json_str(h->kind));
    vg_json_set(j, "source", vg_json_str(h->source));
    return j;
}

static void clear_progress(struct scan_ctx *x)
{
    if (x->progress)
        fputs("\r\033[K", stderr);
}

static void on_hit(void *ctx, const struct vg_scan_hit *h)
{
    struct scan_ctx *x = ctx;
    struct cli *c = x->c;
    clear_progress(x);
    if (x->out) {
        json_t *j = hit_json(h);
        vg_json_print_line(x->out, j);
        json_decref(j);
    }
    if (c->json) {
        json_t *j = hit_json(h);
        vg_json_print_line(stdout, j);
        json_decref(j);
    }
    struct vg_scan_result *r = &x->res;
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 64;
        struct vg_scan_detection *nd = realloc(r->d, ncap * sizeof *nd);
        const char **nf = realloc(x->files, ncap * sizeof *nf);
        if (nd)
            r->d = nd;
        if (nf)
            x->files = nf;
        if (!nd || !nf) {
            x->oom = 1;
            return;
        }
        r->cap = ncap;
    }
    struct vg_scan_detection *d = &r->d[r->n];
    memset(d, 0, sizeof *d);
    d->path = vg_arena_strdup(&r->a, h->path);
    d->sha256 = vg_arena_strdup(&r->a, h->sha256);
    d->rule = vg_arena_strdup(&r->a, h->rule);
    d->kind = vg_arena_strdup(&r->a, h->kind);
    d->feed = h->source ? vg_arena_strdup(&r->a, h->source) : NULL;
    x->files[r->n] = vg_arena_strdup(&r->a, h->file);
    if (!d->path || !d->sha256 || !d->rule || !d->kind || !x->files[r->n])
        x->oom = 1;
    else
        r->n++;
}

static void on_skip(void *ctx, const char *path, const char *reason, bool error)
{
    struct scan_ctx *x = ctx;
    struct cli *c = x->c;
    json_t *j;
    clear_progress(x);
    if (x->out || c->json) {
        j = json_object();
        vg_json_set(j, "type", json_string(error ? "error" : "skipped"));
        vg_json_set(j, "path", vg_json_str(path));
        vg_json_set(j, "reason", vg_json_str(reason));
        if (x->out)
            vg_json_print_line(x->out, j);
        if (c->json)
            vg_json_print_line(stdout, j);
        json_decref(j);
    }
    if (error)
        vg_warn("cannot read '%s': %s", path, reason);
    else
        vg_info("skipped '%s': %s", path, reason);
}

static void on_progress(void *ctx, const struct vg_scan_stats *st, const char *current)
{
    struct scan_ctx *x = ctx;
    double t = mono() - x->t0;
    char safe[60];
    size_t len = strlen(current);
    if (!x->progress)
        return;
    vg_str_escape_ctl(safe, sizeof safe, len > 50 ? current + len - 50 : current,
                      len > 50 ? 50 : len);
    fprintf(stderr, "\r\033[K%llu files, %.0f MB, %.0f MB/s, %llu found  %s%s",
            (unsigned long long)st->files, (double)st->bytes / 1e6,
            t > 0 ? (double)st->bytes / 1e6 / t : 0.0, (unsigned long long)st->detections,
            len > 50 ? "..." : "", safe);
    fflush(stderr);
}

static void on_rule_error(void *ctx, const char *file, int line, const char *msg, bool warning)
{
    (void)ctx;
    if (warning)
        vg_info("%s:%d: rule warning: %s", file, line, msg);
    else
        vg_warn("%s:%d: %s (this rule file is left out)", file, line, msg);
}

struct args {
    struct cli *c;
    long long threads;
    bool one_fs, strict, no_cache, no_archives, plan, quarantine, force;
    uint64_t max_filesize, vault_max;
    const char *host, *output;
    char *excludes[64], *rules[64], *hashes[64];
    size_t nex, nrules, nhashes;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    switch (opt) {
    case 'j':
        return cli_int(a->c, "-j", arg, 1, 64, &a->threads);
    case 'x':
        return a->one_fs = true, 0;
    case 'S':
        return a->strict = true, 0;
    case 'C':
        return a->no_cache = true, 0;
    case 'A':
        return a->no_archives = true, 0;
    case 'P':
        return a->plan = true, 0;
    case 'Q':
        return a->quarantine = true, 0;
    case 'F':
        return a->force = true, 0;
    case 'm':
        return parse_size(a->c, "--max-filesize", arg, &a->max_filesize);
    case 'V':
        return parse_size(a->c, "--vault-max", arg, &a->vault_max);
    case 'H':
        return a->host = arg, 0;
    case 'o':
        return a->output = arg, 0;
    case 'e':
    case 'r':
    case 'h' + 256: {
        char **v = opt == 'e' ? a->excludes : opt == 'r' ? a->rules : a->hashes;
        size_t *n = opt == 'e' ? &a->nex : opt == 'r' ? &a->nrules : &a->nhashes;
        if (*n == 64) {
            cli_failf(a->c, "too many %s options (64 at most)",
                      opt == 'e'   ? "--exclude"
                      : opt == 'r' ? "--rules"
                                   : "--hashes");
            return -1;
        }
        v[(*n)++] = (char *)arg;
        return 0;
    }
    }
    return -1;
}

/* The folder that holds the store: never scanned. */
static void store_dir(struct cli *c, char *out, size_t n)
{
    const char *p = vg_store_path(c->store);
    const char *slash = p ? strrchr(p, '/') : NULL;
    if (!slash)
        snprintf(out, n, ".");
    else
        snprintf(out, n, "%.*s", (int)(slash - p), p);
}

static void free_dets(struct scan_ctx *x)
{
    vg_scan_result_release(&x->res);
    free(x->files);
}

/* Scan record, detections and findings, in one transaction. */
static int record(struct cli *c, struct vg_scan_row *row, const struct vg_scan_detection *d,
                  size_t n, struct vg_error *err)
{
    int rc;
    if ((rc = vg_store_begin(c->store, err)))
        return rc;
    if ((rc = vg_store_scan_add(c->store, row, err)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        char key[8192], *detail;
        json_t *j = json_object();
        struct vg_finding f = {0};
        struct vg_scan_detection sd = {0};
        bool created;
        snprintf(key, sizeof key, "%s:%s:%s:%s", row->host_id ? "host" : "name",
                 row->host_id ? "" : row->hostname, d[i].path, d[i].rule);
        if (row->host_id)
            snprintf(key, sizeof key, "host:%lld:%s:%s", (long long)row->host_id, d[i].path,
                     d[i].rule);
        vg_json_set(j, "path", vg_json_str(d[i].path));
        vg_json_set(j, "sha256", vg_json_str(d[i].sha256));
        vg_json_set(j, "rule", vg_json_str(d[i].rule));
        vg_json_set(j, "kind", vg_json_str(d[i].kind));
        vg_json_set(j, "source", vg_json_str(d[i].feed));
        vg_json_set(j, "hostname", vg_json_str(row->hostname));
        vg_json_set(j, "scan_id", vg_json_int(row->id));
        detail = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        f.kind = "malware";
        f.key = key;
        f.host_id = row->host_id;
        f.detail = detail;
        rc = vg_store_finding_upsert(c->store, &f, &created, err);
        free(detail);
        if (rc)
            goto out;
        sd = d[i];
        sd.scan_id = row->id;
        sd.finding_id = f.id;
        if ((rc = vg_store_scan_detection_add(c->store, &sd, err)))
            goto out;
    }
    {
        char detail[256];
        snprintf(detail, sizeof detail,
                 "{\"scan_id\":%lld,\"files\":%lld,\"detections\":%lld,\"imported\":%s}",
                 (long long)row->id, (long long)row->files, (long long)row->detections,
                 row->import_sha256 ? "true" : "false");
        rc = vg_store_audit(c->store, row->import_sha256 ? "scan.import" : "scan.run",
                            row->hostname, detail, err);
    }
out:
    if (rc) {
        vg_store_rollback(c->store);
        return rc;
    }
    return vg_store_commit(c->store, err);
}

static int quarantine_found(struct cli *c, struct args *a, struct scan_ctx *x, int64_t host_id,
                            const char *hostname)
{
    int bad = 0;
    for (size_t i = 0; i < x->res.n; i++) {
        struct vg_vault_opts o = {0};
        struct vg_quarantine_row q = {0};
        struct vg_error err;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if (strcmp(x->files[k], x->files[i]) == 0)
                seen = true;
        if (seen)
            continue;
        o.detection = x->res.d[i].rule;
        o.host_id = host_id;
        o.hostname = hostname;
        o.force = a->force;
        o.vault_max = (int64_t)a->vault_max;
        vg_error_clear(&err);
        if (vg_vault_put(c->store, x->files[i], &o, &q, &err) != VG_OK) {
            vg_warn("not quarantined: %s", err.msg);
            bad++;
        } else if (!c->json && !c->quiet) {
            printf("quarantined %s (entry %lld)\n", x->files[i], (long long)q.id);
        }
    }
    return bad;
}

static int run_scan(struct cli *c, struct args *a, char **paths, size_t npaths)
{
    struct vg_rules *rules = NULL;
    struct vg_hashdb *db = NULL;
    struct vg_scan_opts o;
    struct vg_scan_cb cb;
    struct vg_scan_stats st;
    struct vg_scan_row row;
    struct scan_ctx x;
    struct vg_error err;
    char dir[4096], cachedir[4200], cachefile[4300], hostname[256], version[65], hv[65] = "";
    char tmpout[4200] = "";
    int64_t host_id = 0;
    size_t feeds = 0, total_hashes = 0;
    int rc, exit_code = VG_EXIT_OK;
    json_t *roots = NULL;

    memset(&x, 0, sizeof x);
    memset(&row, 0, sizeof row);
    vg_error_clear(&err);
    if (resolve_host(c, a->host, &host_id, hostname, sizeof hostname))
        return VG_EXIT_FAIL;
    store_dir(c, dir, sizeof dir);
    snprintf(cachedir, sizeof cachedir, "%s/cache", dir);
    mkdir(cachedir, 0770);
    if (a->nrules) {
        struct vg_rules_opts ro = {a->strict, cachedir, a->no_cache};
        if ((rc = vg_rules_load(a->rules, a->nrules, &ro, on_rule_error, NULL, &rules, &err)))
            return cli_fail(c, rc, &err);
    }
    if (!(db = vg_hashdb_new())) {
        rc = vg_error_set(&err, VG_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = vg_hashdb_load_feeds(db, c->store, &feeds, &err)))
        goto fail;
    for (size_t i = 0; i < a->nhashes; i++) {
        size_t added = 0;
        if ((rc = vg_hashdb_load_clamav(db, a->hashes[i], false, &added, NULL, &err)))
            goto fail;
    }
    if ((rc = vg_hashdb_build(db))) {
        vg_error_set(&err, rc, "cannot build the hash set");
        goto fail;
    }
    total_hashes = vg_hashdb_count(db);
    if (!rules && total_hashes == 0) {
        rc = vg_error_set(&err, VG_EINVAL,
                          "nothing to scan with: give --rules FILE|DIR or --hashes FILE.hdb|.hsb, "
                          "or import a hash feed ('vigil feed import')");
        goto fail;
    }
    memset(&o, 0, sizeof o);
    o.threads = (int)a->threads;
    o.one_fs = a->one_fs;
    o.excludes = a->excludes;
    o.nexcludes = a->nex;
    o.max_filesize = a->max_filesize ? a->max_filesize : ((uint64_t)1 << 30);
    o.rules = rules;
    o.hashes = total_hashes ? db : NULL;
    o.archives = !a->no_archives;
    vg_archive_defaults(&o.lim);
    o.avoid = dir;
    if (!a->no_cache) {
        char self[200] = "host";
        gethostname(self, sizeof self - 1);
        snprintf(cachefile, sizeof cachefile, "%s/scan-%s.db", cachedir, self);
        o.cache_path = cachefile;
    }
    vg_scan_version(&o, version);
    if (o.hashes)
        vg_hashdb_version(db, hv);
    if (!(roots = json_array())) {
        rc = vg_error_set(&err, VG_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < npaths; i++)
        json_array_append_new(roots, vg_json_str(paths[i]));
    row.host_id = host_id;
    row.hostname = hostname;
    row.roots = NULL;
    row.started_at = time(NULL);
    row.rules_version = rules ? vg_rules_version(rules) : NULL;
    row.feeds_version = o.hashes ? hv : NULL;
    if (a->output) {
        snprintf(tmpout, sizeof tmpout, "%s.tmp", a->output);
        if (!(x.out = fopen(tmpout, "wx"))) {
            rc = vg_error_set(&err, VG_EIO, "cannot write '%s': %s", tmpout, strerror(errno));
            goto fail;
        }
        json_t *h = json_object();
        char ts[40];
        vg_json_set(h, "type", json_string("header"));
        vg_json_set(h, "format", json_string(VG_SCAN_RESULT_FORMAT));
        vg_json_set(h, "host", vg_json_str(hostname));
        vg_json_set(h, "started", json_string(vg_time_rfc3339(row.started_at, ts)));
        vg_json_set(h, "roots", json_incref(roots));
        vg_json_set(h, "rules_version", vg_json_str(row.rules_version));
        vg_json_set(h, "rules", vg_json_int(rules ? vg_rules_count(rules) : 0));
        vg_json_set(h, "feeds_version", vg_json_str(row.feeds_version));
        vg_json_set(h, "hashes", vg_json_int((int64_t)total_hashes));
        vg_json_set(h, "vigil", json_string(VG_VERSION));
        vg_json_print_line(x.out, h);
        json_decref(h);
    }
    x.c = c;
    x.progress = isatty(STDERR_FILENO) && !c->quiet && !c->json;
    x.t0 = mono();
    cb.hit = on_hit;
    cb.skip = on_skip;
    cb.progress = on_progress;
    cb.ctx = &x;
    if (!c->quiet && !c->json)
        vg_info("scanning with %u rules and %zu hashes (%zu from feeds)",
                rules ? vg_rules_count(rules) : 0, total_hashes, feeds);
    rc = vg_scan_run(paths, npaths, &o, &cb, &st, &err);
    clear_progress(&x);
    if (rc)
        goto fail;
    if (x.oom) {
        rc = vg_error_set(&err, VG_ENOMEM, "out of memory");
        goto fail;
    }
    row.finished_at = time(NULL);
    row.files = (int64_t)st.files;
    row.bytes = (int64_t)st.bytes;
    row.skipped = (int64_t)st.skipped;
    row.errors = (int64_t)st.errors;
    row.detections = (int64_t)st.detections;
    {
        char *r = json_dumps(roots, JSON_COMPACT);
        row.roots = r;
        rc = record(c, &row, x.res.d, x.res.n, &err);
        free(r);
        row.roots = NULL;
        if (rc)
            goto fail;
    }
    if (x.out) {
        json_t *s = json_object();
        char ts[40];
        vg_json_set(s, "type", json_string("summary"));
        vg_json_set(s, "finished", json_string(vg_time_rfc3339(row.finished_at, ts)));
        vg_json_set(s, "files", vg_json_int(row.files));
        vg_json_set(s, "bytes", vg_json_int(row.bytes));
        vg_json_set(s, "skipped", vg_json_int(row.skipped));
        vg_json_set(s, "errors", vg_json_int(row.errors));
        vg_json_set(s, "detections", vg_json_int(row.detections));
        vg_json_print_line(x.out, s);
        json_decref(s);
        if (fflush(x.out) != 0 || fsync(fileno(x.out)) != 0 || fclose(x.out) != 0) {
            x.out = NULL;
            rc = vg_error_set(&err, VG_EIO, "cannot write '%s': %s", tmpout, strerror(errno));
            goto fail;
        }
        x.out = NULL;
        if (link(tmpout, a->output) != 0) {
            rc = vg_error_set(&err, VG_EEXIST, "cannot write '%s': %s (the result is in '%s')",
                              a->output, strerror(errno), tmpout);
            goto fail;
        }
        unlink(tmpout);
        tmpout[0] = '\0';
    }
    if (a->quarantine && x.res.n && quarantine_found(c, a, &x, host_id, hostname))
        exit_code = VG_EXIT_FAIL;
    {
        double t = mono() - x.t0;
        if (c->json) {
            json_t *s = json_object();
            vg_json_set(s, "type", json_string("summary"));
            vg_json_set(s, "scan_id", vg_json_int(row.id));
            vg_json_set(s, "host", vg_json_str(hostname));
            vg_json_set(s, "files", vg_json_int(row.files));
            vg_json_set(s, "cached", vg_json_int((int64_t)st.cached));
            vg_json_set(s, "bytes", vg_json_int(row.bytes));
            vg_json_set(s, "skipped", vg_json_int(row.skipped));
            vg_json_set(s, "errors", vg_json_int(row.errors));
            vg_json_set(s, "detections", vg_json_int(row.detections));
            vg_json_set(s, "infected_files", vg_json_int((int64_t)st.infected));
            vg_json_set(s, "seconds", json_real(t));
            vg_json_print_line(stdout, s);
            json_decref(s);
        } else if (!c->quiet) {
            if (x.res.n) {
                static const char *const hd[] = {"path", "rule", "kind", "source", "sha256"};
                struct vg_table *tab = vg_table_new(5, hd);
                for (size_t i = 0; tab && i < x.res.n; i++) {
                    const struct vg_scan_detection *d = &x.res.d[i];
                    const char *cells[] = {d->path, d->rule, d->kind, d->feed ? d->feed : "-",
                                           d->sha256};
                    vg_table_add(tab, cells);
                }
                if (tab)
                    cli_table(c, tab);
                vg_table_free(tab);
            }
            printf("%sscan %lld of %s: %llu files (%llu unchanged since a clean scan), %.1f MB in "
                   "%.1f s; %llu skipped, %llu unreadable; %llu detections in %llu files\n",
                   x.res.n ? "\n" : "", (long long)row.id, hostname, (unsigned long long)st.files,
                   (unsigned long long)st.cached, (double)st.bytes / 1e6, t,
                   (unsigned long long)st.skipped, (unsigned long long)st.errors,
                   (unsigned long long)st.detections, (unsigned long long)st.infected);
        }
    }
    if (exit_code == VG_EXIT_OK && st.detections)
        exit_code = VG_EXIT_FOUND;
    free_dets(&x);
    json_decref(roots);
    vg_hashdb_free(db);
    vg_rules_free(rules);
    return exit_code;
fail:
    if (x.out)
        fclose(x.out);
    if (tmpout[0])
        unlink(tmpout);
    free_dets(&x);
    json_decref(roots);
    vg_hashdb_free(db);
    vg_rules_free(rules);
    return cli_fail(c, rc, &err);
}

/* ---- import ------------------------------------------------------------------------ */

static int scan_import(struct cli *c)
{
    struct vg_buf b;
    struct vg_error err;
    struct vg_scan_result r;
    char sha[65];
    int64_t existing;
    int rc, matches;
    const char *path;

    if (c->argc != 3)
        return cli_usage_error(c, "scan", "scan import needs one result file (from scan --output)");
    path = c->argv[2];
    vg_buf_init(&b, RESULT_MAX);
    vg_error_clear(&err);
    if ((rc = vg_file_read(path, RESULT_MAX, &b, &err))) {
        vg_buf_release(&b);
        return cli_fail(c, rc, &err);
    }
    vg_sha256_hex(b.data ? b.data : "", b.len, sha);
    if (vg_store_scan_by_import(c->store, sha, &existing, &err) == VG_OK) {
        if (!c->quiet)
            printf("'%s' was imported already (scan %lld): nothing changed\n", path,
                   (long long)existing);
        vg_buf_release(&b);
        return VG_EXIT_OK;
    }
    rc = vg_scan_result_parse(b.data ? b.data : "", b.len, path, &r, &err);
    vg_buf_release(&b);
    if (rc)
        return cli_fail(c, rc, &err);
    if ((rc = find_host(c, NULL, r.host, &r.row.host_id, &matches, NULL, 0, &err)))
        goto out;
    if (matches != 1) {
        if (matches > 1)
            vg_warn("the host '%s' is in several units: the scan is recorded under its name",
                    r.host);
        else
            vg_warn("the host '%s' is not in the inventory: the scan is recorded under its "
                    "name as an unassigned host",
                    r.host);
        r.row.host_id = 0;
    }
    r.row.import_sha256 = sha;
    if ((rc = record(c, &r.row, r.d, r.n, &err)))
        goto out;
    if (c->json) {
        json_t *j = json_object();
        vg_json_set(j, "scan_id", vg_json_int(r.row.id));
        vg_json_set(j, "host", vg_json_str(r.host));
        vg_json_set(j, "detections", vg_json_int((int64_t)r.n));
        cli_json(c, j);
    } else if (!c->quiet) {
        printf("imported scan %lld of %s: %lld files, %zu detections\n", (long long)r.row.id,
               r.host, (long long)r.row.files, r.n);
    }
out:
    vg_scan_result_release(&r);
    return rc ? cli_fail(c, rc, &err) : VG_EXIT_OK;
}

/* ---- coverage and the plan ------------------------------------------------------- */

static int coverage(struct cli *c, bool plan)
{
    struct vg_rows rows;
    struct vg_error err;
    int rc;
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_scan_coverage(c->store, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++) {
            const struct vg_scan_coverage *x = VG_ROW(&rows, struct vg_scan_coverage, i);
            json_t *j = json_object();
            if (plan)
                vg_json_set(j, "order", vg_json_int((int64_t)i + 1));
            vg_json_set(j, "host", vg_json_str(x->hostname));
            vg_json_set(j, "unit", vg_json_str(x->unit));
            vg_json_set(j, "role", vg_json_str(x->role));
            vg_json_set(j, "level", vg_json_int(x->level));
            vg_json_set(j, "botnet", json_boolean(x->botnet));
            vg_json_set(j, "scans", vg_json_int(x->scans));
            vg_json_set(j, "last_scan", vg_json_time(x->last_scan));
            vg_json_set(j, "last_files", vg_json_int(x->last_files));
            vg_json_set(j, "last_detections", vg_json_int(x->last_detections));
            json_array_append_new(arr, j);
        }
        cli_json(c, arr);
    } else {
        static const char *const hp[] = {"#",     "host", "unit",      "botnet",
                                         "level", "role", "last scan", "detections"};
        static const char *const hc[] = {"host",  "unit",      "botnet", "level",     "role",
                                         "scans", "last scan", "files",  "detections"};
        struct vg_table *t = plan ? vg_table_new(8, hp) : vg_table_new(9, hc);
        if (!t) {
            vg_rows_release(&rows);
            return cli_failf(c, "out of memory");
        }
        for (size_t i = 0; i < rows.n; i++) {
            const struct vg_scan_coverage *x = VG_ROW(&rows, struct vg_scan_coverage, i);
            char ord[24], lvl[8], scans[24], files[24], dets[24], when[32];
            snprintf(ord, sizeof ord, "%zu", i + 1);
            snprintf(lvl, sizeof lvl, "%d", x->level);
            snprintf(scans, sizeof scans, "%lld", (long long)x->scans);
            snprintf(files, sizeof files, "%lld", (long long)x->last_files);
            snprintf(dets, sizeof dets, "%lld", (long long)x->last_detections);
            cli_time(x->last_scan, when);
            const char *unit = x->unit ? x->unit : "(unassigned)";
            const char *bot = x->botnet ? "listed" : "";
            const char *level = x->level ? lvl : "-", *role = x->role ? x->role : "-";
            const char *last = x->last_scan ? when : "never";
            if (plan) {
                const char *cells[] = {ord,   x->hostname, unit, bot,
                                       level, role,        last, x->last_scan ? dets : "-"};
                vg_table_add(t, cells);
            } else {
                const char *cells[] = {x->hostname,
                                       unit,
                                       bot,
                                       level,
                                       role,
                                       scans,
                                       last,
                                       x->last_scan ? files : "-",
                                       x->last_scan ? dets : "-"};
                vg_table_add(t, cells);
            }
        }
        cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int scan_coverage(struct cli *c)
{
    if (c->argc > 2)
        return cli_usage_error(c, "scan", "scan coverage takes no arguments");
    return coverage(c, false);
}

int cmd_scan(struct cli *c)
{
    static const struct option lo[] = {
        {"jobs", required_argument, NULL, 'j'},    {"one-file-system", no_argument, NULL, 'x'},
        {"exclude", required_argument, NULL, 'e'}, {"max-filesize", required_argument, NULL, 'm'},
        {"rules", required_argument, NULL, 'r'},   {"hashes", required_argument, NULL, 'h' + 256},
        {"strict", no_argument, NULL, 'S'},        {"no-cache", no_argument, NULL, 'C'},
        {"no-archives", no_argument, NULL, 'A'},   {"host", required_argument, NULL, 'H'},
        {"output", required_argument, NULL, 'o'},  {"quarantine", no_argument, NULL, 'Q'},
        {"force", no_argument, NULL, 'F'},         {"vault-max", required_argument, NULL, 'V'},
        {"plan", no_argument, NULL, 'P'},          {NULL, 0, NULL, 0}};
    struct args a;
    int first;
    if (c->argc >= 2 && strcmp(c->argv[1], "import") == 0)
        return scan_import(c);
    if (c->argc >= 2 && strcmp(c->argv[1], "coverage") == 0)
        return scan_coverage(c);
    memset(&a, 0, sizeof a);
    a.c = c;
    first = cli_getopt(c, 1, "scan", lo, "j:r:o:", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (a.plan) {
        if (first < c->argc)
            return cli_usage_error(c, "scan", "scan --plan takes no paths");
        return coverage(c, true);
    }
    if (first >= c->argc)
        return cli_usage_error(c, "scan", "scan needs a file or a folder");
    return run_scan(c, &a, c->argv + first, (size_t)(c->argc - first));
}
