/*
 * cmd_sweep.c - `vigil sweep PATH...`: find the current feeds' addresses,
 * domains and URLs in any text log, and name the internal host that talked
 * to them. Exit 1 on hits.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/log.h"
#include "core/map.h"
#include "core/str.h"
#include "intel/intel.h"
#include "sweep/sweep.h"
#include "core/banned.h"

struct tally {
    const char *name; /* indicator, or unit/host */
    const char *source, *family;
    uint64_t hits;
};

struct sweep_ctx {
    struct cli *c;
    bool record;
    struct vg_map by_ioc, by_host; /* name -> struct tally * */
    struct vg_arena a;
    uint64_t recorded, unattributed;
    int rc;
    struct vg_error err;
};

static const char *tok_type(int t)
{
    return t == VG_TOK_IPV4 || t == VG_TOK_IPV6 ? "ip" : t == VG_TOK_DOMAIN ? "domain" : "url";
}

static struct tally *count(struct sweep_ctx *x, struct vg_map *m, const char *name)
{
    bool created;
    union vg_map_val *v = vg_map_puts(m, name, &created);
    if (!v)
        return NULL;
    if (created) {
        struct tally *t = vg_arena_alloc(&x->a, sizeof *t);
        if (!t)
            return NULL;
        t->name = vg_arena_strdup(&x->a, name);
        v->p = t;
    }
    return v->p;
}

static int on_hit(void *ctx, const struct vg_sweep_hit *h)
{
    struct sweep_ctx *x = ctx;
    struct cli *c = x->c;
    char who[300] = "";
    if (h->host)
        snprintf(who, sizeof who, "%s/%s", h->unit, h->host);
    if (c->json) {
        json_t *j = json_object();
        vg_json_set(j, "path", vg_json_str(h->file));
        vg_json_set(j, "line", vg_json_int((int64_t)h->line));
        vg_json_set(j, "type", json_string(tok_type(h->type)));
        vg_json_set(j, "token", vg_json_str(h->token));
        vg_json_set(j, "indicator", vg_json_str(h->indicator));
        vg_json_set(j, "feed", vg_json_str(h->source));
        vg_json_set(j, "family", vg_json_str(h->family));
        vg_json_set(j, "unit", vg_json_str(h->unit));
        vg_json_set(j, "host", vg_json_str(h->host));
        vg_json_set(j, "host_candidates", vg_json_int(h->host ? h->hosts : 0));
        vg_json_print_line(stdout, j);
        json_decref(j);
    } else if (!c->quiet) {
        char safe[512];
        vg_str_escape_ctl(safe, sizeof safe, h->token, strlen(h->token));
        printf("%s:%zu: %s listed by %s%s%s%s as %s%s%s%s\n", h->file, h->line, safe, h->source,
               h->family ? " (" : "", h->family ? h->family : "", h->family ? ")" : "",
               h->indicator, h->host ? "; host " : "", who,
               h->host && h->hosts > 1 ? " (the address is in several units)" : "");
    }
    struct tally *t = count(x, &x->by_ioc, h->indicator);
    if (!t)
        return -1;
    t->hits++;
    t->source = h->source;
    t->family = h->family;
    if (h->host) {
        struct tally *th = count(x, &x->by_host, who);
        if (!th)
            return -1;
        th->hits++;
    } else {
        x->unattributed++;
    }
    if (x->record) {
        char key[1024], *detail;
        json_t *d = json_object();
        struct vg_finding f = {0};
        bool created;
        if (h->host && h->hosts == 1)
            snprintf(key, sizeof key, "host:%lld:%s", (long long)h->host_id, h->indicator);
        else
            snprintf(key, sizeof key, "log:%s:%s", h->file, h->indicator);
        vg_json_set(d, "indicator", vg_json_str(h->indicator));
        vg_json_set(d, "feed", vg_json_str(h->source));
        vg_json_set(d, "family", vg_json_str(h->family));
        vg_json_set(d, "path", vg_json_str(h->file));
        vg_json_set(d, "line", vg_json_int((int64_t)h->line));
        vg_json_set(d, "token", vg_json_str(h->token));
        detail = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(d);
        f.kind = "ioc";
        f.key = key;
        f.unit_id = h->host && h->hosts == 1 ? h->unit_id : 0;
        f.host_id = h->host && h->hosts == 1 ? h->host_id : 0;
        f.detail = detail;
        x->rc = vg_store_finding_upsert(c->store, &f, &created, &x->err);
        free(detail);
        if (x->rc)
            return -1;
        x->recorded += created;
    }
    return 0;
}

static void on_skip(void *ctx, const char *path, const char *reason)
{
    (void)ctx;
    vg_warn("cannot read '%s': %s (skipped)", path, reason);
}

static int cmp_tally(const void *a, const void *b)
{
    const struct tally *x = *(const struct tally *const *)a, *y = *(const struct tally *const *)b;
    if (x->hits != y->hits)
        return x->hits > y->hits ? -1 : 1;
    return strcmp(x->name, y->name);
}

static struct tally **sorted(struct vg_map *m, size_t *n)
{
    struct tally **v = malloc((m->len + 1) * sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < m->cap; i++)
        if (m->ents[i].key)
            v[(*n)++] = m->ents[i].val.p;
    if (*n > 1)
        qsort(v, *n, sizeof *v, cmp_tally);
    return v;
}

struct args {
    struct cli *c;
    long long threads, part_mb;
    bool record, full;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    if (opt == 'j')
        return cli_int(a->c, "-j", arg, 1, 64, &a->threads);
    if (opt == 'r') {
        a->record = true;
        return 0;
    }
    if (opt == 'p')
        return cli_int(a->c, "--part-size", arg, 1, 1 << 20, &a->part_mb);
    if (opt == 'F') {
        a->full = true;
        return 0;
    }
    return -1;
}

int cmd_sweep(struct cli *c)
{
    static const struct option lo[] = {{"jobs", required_argument, NULL, 'j'},
                                       {"record", no_argument, NULL, 'r'},
                                       {"part-size", required_argument, NULL, 'p'},
                                       {"no-screen", no_argument, NULL, 'F'},
                                       {NULL, 0, NULL, 0}};
    struct args a = {.c = c};
    struct sweep_ctx x;
    struct vg_sweeper *w = NULL;
    struct vg_sweep_stats st;
    struct vg_error err;
    size_t nips, ndom, nurl;
    int rc, first = cli_getopt(c, 1, "sweep", lo, "j:", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first >= c->argc)
        return cli_usage_error(c, "sweep", "sweep needs a file, a folder or - (standard input)");
    memset(&x, 0, sizeof x);
    x.c = c;
    x.record = a.record;
    vg_map_init(&x.by_ioc);
    vg_map_init(&x.by_host);
    vg_arena_init(&x.a);
    vg_error_clear(&err);
    vg_error_clear(&x.err);
    if ((rc = vg_sweeper_new(c->store, &w, &err)))
        return cli_fail(c, rc, &err);
    vg_sweeper_set_full(w, a.full);
    vg_sweeper_counts(w, &nips, &ndom, &nurl);
    if (nips + ndom + nurl == 0)
        vg_warn("no current indicators: import a feed first ('vigil feed import')");
    if (a.record && (rc = vg_store_begin(c->store, &err))) {
        vg_sweeper_free(w);
        return cli_fail(c, rc, &err);
    }
    rc = vg_sweep_paths(w, c->argv + first, (size_t)(c->argc - first), (int)a.threads,
                        (uint64_t)a.part_mb << 20, on_hit, on_skip, &x, &st, &err);
    if (rc == VG_OK && x.rc)
        rc = x.rc, err = x.err;
    if (rc == VG_OK && a.record) {
        char detail[160];
        snprintf(detail, sizeof detail, "{\"files\":%llu,\"hits\":%llu}",
                 (unsigned long long)st.files, (unsigned long long)st.hits);
        rc = vg_store_audit(c->store, "sweep.record", "logs", detail, &err);
        if (rc == VG_OK)
            rc = vg_store_commit(c->store, &err);
    }
    if (vg_store_in_tx(c->store))
        vg_store_rollback(c->store);
    if (rc) {
        vg_sweeper_free(w);
        vg_map_release(&x.by_ioc);
        vg_map_release(&x.by_host);
        vg_arena_release(&x.a);
        return cli_fail(c, rc, &err);
    }
    size_t ni, nh;
    struct tally **ti = sorted(&x.by_ioc, &ni), **th = sorted(&x.by_host, &nh);
    if (c->json) {
        json_t *j = json_object(), *ai = json_array(), *ah = json_array();
        vg_json_set(j, "type", json_string("summary"));
        vg_json_set(j, "files", vg_json_int((int64_t)st.files));
        vg_json_set(j, "bytes", vg_json_int((int64_t)st.bytes));
        vg_json_set(j, "lines", vg_json_int((int64_t)st.lines));
        vg_json_set(j, "hits", vg_json_int((int64_t)st.hits));
        vg_json_set(j, "skipped", vg_json_int((int64_t)st.skipped));
        for (size_t i = 0; ti && i < ni; i++) {
            json_t *o = json_object();
            vg_json_set(o, "indicator", vg_json_str(ti[i]->name));
            vg_json_set(o, "feed", vg_json_str(ti[i]->source));
            vg_json_set(o, "family", vg_json_str(ti[i]->family));
            vg_json_set(o, "hits", vg_json_int((int64_t)ti[i]->hits));
            json_array_append_new(ai, o);
        }
        for (size_t i = 0; th && i < nh; i++) {
            json_t *o = json_object();
            vg_json_set(o, "host", vg_json_str(th[i]->name));
            vg_json_set(o, "hits", vg_json_int((int64_t)th[i]->hits));
            json_array_append_new(ah, o);
        }
        vg_json_set(j, "by_indicator", ai);
        vg_json_set(j, "by_host", ah);
        vg_json_print_line(stdout, j);
        json_decref(j);
    } else if (!c->quiet) {
        if (st.hits) {
            printf("\nby indicator:\n");
            for (size_t i = 0; ti && i < ni; i++)
                printf("  %8llu  %s (%s%s%s)\n", (unsigned long long)ti[i]->hits, ti[i]->name,
                       ti[i]->source, ti[i]->family ? ", " : "",
                       ti[i]->family ? ti[i]->family : "");
            printf("by internal host:\n");
            for (size_t i = 0; th && i < nh; i++)
                printf("  %8llu  %s\n", (unsigned long long)th[i]->hits, th[i]->name);
            if (x.unattributed)
                printf("  %8llu  (no inventory address on the line)\n",
                       (unsigned long long)x.unattributed);
        }
        fprintf(stderr, "vigil: swept %llu file%s, %llu lines, %.1f MB: %llu hit%s%s%s\n",
                (unsigned long long)st.files, st.files == 1 ? "" : "s",
                (unsigned long long)st.lines, (double)st.bytes / 1e6, (unsigned long long)st.hits,
                st.hits == 1 ? "" : "s",
                st.skipped ? "; some inputs could not be read (see above)" : "",
                a.record ? "; recorded as findings" : "");
    }
    free(ti);
    free(th);
    vg_sweeper_free(w);
    vg_map_release(&x.by_ioc);
    vg_map_release(&x.by_host);
    vg_arena_release(&x.a);
    return st.hits ? VG_EXIT_FOUND : VG_EXIT_OK;
}
