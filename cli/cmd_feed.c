/*
 * cmd_feed.c - `vigil feed`: threat-intel feeds (the CERT's botnet list,
 * blocklists, STIX/MISP exports, hash lists): import, list, show, diff, rm.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/json.h"
#include "core/log.h"
#include "intel/intel.h"
#include "core/banned.h"

struct import_args {
    struct cli *c;
    struct vg_feed_import_opts o;
    struct vg_feed_csv_map map;
    bool have_map;
    const char *issued;
    const char *format;
};

static int import_opt(int opt, const char *arg, void *ctx)
{
    struct import_args *a = ctx;
    switch (opt) {
    case 's':
        a->o.source = arg;
        return 0;
    case 'i':
        a->issued = arg;
        return 0;
    case 'f':
        a->format = arg;
        return 0;
    case 'a':
        a->o.append = true;
        return 0;
    case 'p':
        a->o.allow_private = true;
        return 0;
    case 'b':
        a->o.skip_bad = true;
        return 0;
    case 'n':
        a->o.dry_run = true;
        return 0;
    case 1:
        a->map.ip_col = arg;
        a->have_map = true;
        return 0;
    case 2:
        a->map.domain_col = arg;
        a->have_map = true;
        return 0;
    case 3:
        a->map.url_col = arg;
        a->have_map = true;
        return 0;
    case 4:
        a->map.hash_col = arg;
        a->have_map = true;
        return 0;
    case 5:
        a->map.time_col = arg;
        a->have_map = true;
        return 0;
    case 6:
        a->map.family_col = arg;
        a->have_map = true;
        return 0;
    case 7:
        a->map.port_col = arg;
        a->have_map = true;
        return 0;
    case 8:
        a->map.comment_col = arg;
        a->have_map = true;
        return 0;
    }
    return -1;
}

static void counts_line(const struct vg_feed_import_result *r, char *buf, size_t size)
{
    static const int types[] = {VG_IOC_IP,  VG_IOC_DOMAIN, VG_IOC_URL,
                                VG_IOC_MD5, VG_IOC_SHA1,   VG_IOC_SHA256};
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        if (!r->by_type[types[i]])
            continue;
        int w = snprintf(buf + off, size - off, "%s%zu %s", off ? ", " : "", r->by_type[types[i]],
                         vg_ioc_type_name(types[i]));
        if (w < 0 || (size_t)w >= size - off)
            break;
        off += (size_t)w;
    }
}

/* What vigil understood, printed before it commits (on stderr: it is a report). */
static void understood(void *ctx, const struct vg_feed_import_result *r)
{
    struct import_args *a = ctx;
    char counts[256], when[32];
    if (a->c->quiet || a->c->json)
        return;
    counts_line(r, counts, sizeof counts);
    fprintf(stderr, "vigil: understood: format %s", vg_feed_format_name(r->format));
    if (r->csv_mapping[0])
        fprintf(stderr, " (%s)", r->csv_mapping);
    fprintf(stderr, "; issued %s; %zu records: %s", cli_time(r->issued, when), r->records,
            counts[0] ? counts : "no indicators");
    if (r->duplicates)
        fprintf(stderr, "; %zu duplicates", r->duplicates);
    fputc('\n', stderr);
}

static int feed_import(struct cli *c)
{
    static const struct option lo[] = {
        {"source", required_argument, NULL, 's'},    {"issued", required_argument, NULL, 'i'},
        {"format", required_argument, NULL, 'f'},    {"append", no_argument, NULL, 'a'},
        {"allow-private", no_argument, NULL, 'p'},   {"skip-bad", no_argument, NULL, 'b'},
        {"dry-run", no_argument, NULL, 'n'},         {"ip-col", required_argument, NULL, 1},
        {"domain-col", required_argument, NULL, 2},  {"url-col", required_argument, NULL, 3},
        {"hash-col", required_argument, NULL, 4},    {"time-col", required_argument, NULL, 5},
        {"family-col", required_argument, NULL, 6},  {"port-col", required_argument, NULL, 7},
        {"comment-col", required_argument, NULL, 8}, {NULL, 0, NULL, 0}};
    struct import_args a = {.c = c};
    struct vg_feed_import_result r;
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "feed", lo, "", import_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "feed", "feed import takes one FILE (or - for standard input)");
    if (!a.o.source)
        return cli_usage_error(c, "feed", "feed import needs --source NAME");
    if (a.format) {
        a.o.format = vg_feed_format_parse(a.format);
        if (a.o.format < 0)
            return cli_usage_error(c, "feed", "unknown --format '%s'", a.format);
    }
    if (a.issued && vg_time_parse(a.issued, strlen(a.issued), &a.o.issued))
        return cli_failf(c, "--issued: '%s' is not a date (YYYY-MM-DD [HH:MM])", a.issued);
    if (a.have_map)
        a.o.csv = &a.map;
    a.o.understood = understood;
    a.o.ctx = &a;
    const char *path = c->argv[first];
    vg_feed_import_result_init(&r);
    vg_error_clear(&err);
    rc = vg_feed_import(c->store, path, strcmp(path, "-") == 0 ? "<stdin>" : path, &a.o, &r, &err);
    if (rc) {
        vg_feed_import_result_release(&r);
        cli_fail(c, rc, &err);
        fputs("vigil: nothing was imported; the store is unchanged\n", stderr);
        return VG_EXIT_FAIL;
    }
    if (!c->json) {
        for (size_t i = 0; i < r.nnotes; i++) {
            const struct vg_feed_note *n = &r.notes[i];
            if (n->value)
                vg_warn("%s:%zu: %s: %s", path, n->line, n->value, n->reason);
            else
                vg_warn("%s:%zu: %s (skipped)", path, n->line, n->reason);
        }
    }
    if (c->json) {
        json_t *j = json_object(), *notes = json_array(), *types = json_object();
        vg_json_set(j, "file", vg_json_str(path));
        vg_json_set(j, "source", vg_json_str(a.o.source));
        vg_json_set(j, "sha256", json_string(r.sha256));
        vg_json_set(j, "unchanged", json_boolean(r.unchanged));
        vg_json_set(j, "version", vg_json_int(r.version));
        vg_json_set(j, "appended", json_boolean(r.appended));
        vg_json_set(j, "dry_run", json_boolean(a.o.dry_run));
        vg_json_set(j, "format", json_string(vg_feed_format_name(r.format)));
        vg_json_set(j, "csv_mapping", r.csv_mapping[0] ? json_string(r.csv_mapping) : json_null());
        vg_json_set(j, "issued", vg_json_time(r.issued));
        vg_json_set(j, "records", vg_json_int((int64_t)r.records));
        vg_json_set(j, "indicators", vg_json_int((int64_t)r.indicators));
        for (int t = VG_IOC_IP; t <= VG_IOC_SHA256; t++)
            vg_json_set(types, vg_ioc_type_name(t), vg_json_int((int64_t)r.by_type[t]));
        vg_json_set(j, "by_type", types);
        vg_json_set(j, "duplicates", vg_json_int((int64_t)r.duplicates));
        vg_json_set(j, "ignored", vg_json_int((int64_t)r.ignored));
        vg_json_set(j, "bad", vg_json_int((int64_t)r.bad));
        for (size_t i = 0; i < r.nnotes; i++) {
            json_t *n = json_object();
            vg_json_set(n, "line", vg_json_int((int64_t)r.notes[i].line));
            vg_json_set(n, "value", vg_json_str(r.notes[i].value));
            vg_json_set(n, "reason", vg_json_str(r.notes[i].reason));
            json_array_append_new(notes, n);
        }
        vg_json_set(j, "notes", notes);
        cli_json(c, j);
    } else if (!c->quiet) {
        if (r.unchanged)
            printf("%s: already imported into feed %s (version %lld): nothing changed\n", path,
                   a.o.source, (long long)r.version);
        else
            printf("%s%s: %zu indicators %s feed %s (version %lld)%s%s\n",
                   a.o.dry_run ? "dry run, nothing written: " : "", path, r.indicators,
                   r.appended ? "appended to" : "in a new version of", a.o.source,
                   (long long)r.version, r.ignored ? "; not matched (private/reserved): " : "",
                   r.ignored ? "see the warnings above" : "");
    }
    vg_feed_import_result_release(&r);
    return VG_EXIT_OK;
}

static json_t *source_json(const struct vg_feed_source *f)
{
    json_t *j = json_object();
    vg_json_set(j, "id", vg_json_int(f->id));
    vg_json_set(j, "source", vg_json_str(f->name));
    vg_json_set(j, "kind", vg_json_str(f->kind));
    vg_json_set(j, "format", vg_json_str(f->format));
    vg_json_set(j, "version", f->current ? vg_json_int(f->current) : json_null());
    vg_json_set(j, "issued", vg_json_time(f->issued_at));
    vg_json_set(j, "imported", vg_json_time(f->imported_at));
    vg_json_set(j, "indicators", vg_json_int(f->indicators));
    vg_json_set(j, "ignored", vg_json_int(f->ignored));
    vg_json_set(j, "versions", vg_json_int(f->versions));
    return j;
}

static int feed_list(struct cli *c)
{
    struct vg_rows rows;
    struct vg_error err;
    int rc;
    if (c->argc > 2)
        return cli_usage_error(c, "feed", "feed list takes no arguments");
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_feed_source_list(c->store, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, source_json(VG_ROW(&rows, struct vg_feed_source, i)));
        cli_json(c, arr);
    } else {
        const char *h[] = {"source",   "kind",       "format",  "issued",
                           "imported", "indicators", "ignored", "versions"};
        struct vg_table *t = vg_table_new(8, h);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_feed_source *f = VG_ROW(&rows, struct vg_feed_source, i);
            char t1[32], t2[32], n1[24], n2[24], n3[24];
            snprintf(n1, sizeof n1, "%lld", (long long)f->indicators);
            snprintf(n2, sizeof n2, "%lld", (long long)f->ignored);
            snprintf(n3, sizeof n3, "%lld", (long long)f->versions);
            const char *cells[] = {f->name,
                                   f->kind,
                                   f->format,
                                   cli_time(f->issued_at, t1),
                                   cli_time(f->imported_at, t2),
                                   n1,
                                   n2,
                                   n3};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int feed_show(struct cli *c)
{
    struct vg_feed_source f;
    struct vg_rows versions;
    struct vg_arena a;
    struct vg_error err;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "feed", "feed show takes one SOURCE");
    vg_arena_init(&a);
    vg_rows_init(&versions);
    vg_error_clear(&err);
    rc = vg_store_feed_source_get(c->store, c->argv[2], &f, &a, &err);
    if (rc == VG_OK)
        rc = vg_store_feed_version_list(c->store, f.id, &versions, &err);
    if (rc) {
        vg_rows_release(&versions);
        vg_arena_release(&a);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *j = source_json(&f), *arr = json_array();
        for (size_t i = 0; i < versions.n; i++) {
            struct vg_feed_version *v = VG_ROW(&versions, struct vg_feed_version, i);
            json_t *o = json_object();
            vg_json_set(o, "version", vg_json_int(v->id));
            vg_json_set(o, "issued", vg_json_time(v->issued_at));
            vg_json_set(o, "imported", vg_json_time(v->imported_at));
            vg_json_set(o, "format", vg_json_str(v->format));
            vg_json_set(o, "file", vg_json_str(v->file));
            vg_json_set(o, "sha256", vg_json_str(v->sha256));
            vg_json_set(o, "indicators", vg_json_int(v->indicators));
            vg_json_set(o, "ignored", vg_json_int(v->ignored));
            json_array_append_new(arr, o);
        }
        vg_json_set(j, "history", arr);
        cli_json(c, j);
    } else {
        printf("source      %s (%s list)\n", f.name, f.kind);
        printf("format      %s\n", f.format ? f.format : "");
        printf("versions    %lld; the newest is the current list\n", (long long)f.versions);
        const char *h[] = {"version", "issued", "imported", "indicators", "ignored", "file"};
        struct vg_table *t = vg_table_new(6, h);
        for (size_t i = 0; t && i < versions.n; i++) {
            struct vg_feed_version *v = VG_ROW(&versions, struct vg_feed_version, i);
            char id[24], t1[32], t2[32], n1[24], n2[24];
            snprintf(id, sizeof id, "%lld", (long long)v->id);
            snprintf(n1, sizeof n1, "%lld", (long long)v->indicators);
            snprintf(n2, sizeof n2, "%lld", (long long)v->ignored);
            const char *cells[] = {
                id, cli_time(v->issued_at, t1), cli_time(v->imported_at, t2), n1, n2, v->file};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&versions);
    vg_arena_release(&a);
    return VG_EXIT_OK;
}

static int cmp_ioc(const struct vg_ioc_row *x, const struct vg_ioc_row *y)
{
    int d = strcmp(x->type, y->type);
    return d ? d : strcmp(x->value, y->value);
}

static int feed_diff(struct cli *c)
{
    struct vg_feed_source f;
    struct vg_rows versions, now, before;
    struct vg_arena a;
    struct vg_error err;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "feed", "feed diff takes one SOURCE");
    vg_arena_init(&a);
    vg_rows_init(&versions);
    vg_rows_init(&now);
    vg_rows_init(&before);
    vg_error_clear(&err);
    rc = vg_store_feed_source_get(c->store, c->argv[2], &f, &a, &err);
    if (rc == VG_OK)
        rc = vg_store_feed_version_list(c->store, f.id, &versions, &err);
    if (rc == VG_OK && versions.n)
        rc = vg_store_ioc_list(c->store, VG_ROW(&versions, struct vg_feed_version, 0)->id, &now,
                               &err);
    if (rc == VG_OK && versions.n > 1)
        rc = vg_store_ioc_list(c->store, VG_ROW(&versions, struct vg_feed_version, 1)->id, &before,
                               &err);
    if (rc) {
        cli_fail(c, rc, &err);
        goto out;
    }
    /* Both lists are sorted by type and value: one merge pass. */
    json_t *arr = c->json ? json_array() : NULL;
    const char *h[] = {"change", "type", "indicator", "family"};
    struct vg_table *t = c->json ? NULL : vg_table_new(4, h);
    size_t i = 0, k = 0, added = 0, removed = 0;
    while (i < now.n || k < before.n) {
        struct vg_ioc_row *x = i < now.n ? VG_ROW(&now, struct vg_ioc_row, i) : NULL;
        struct vg_ioc_row *y = k < before.n ? VG_ROW(&before, struct vg_ioc_row, k) : NULL;
        int d = !x ? 1 : !y ? -1 : cmp_ioc(x, y);
        struct vg_ioc_row *z = d < 0 ? x : y;
        const char *change = d < 0 ? "new" : "removed";
        if (d == 0) {
            i++, k++;
            continue;
        }
        if (d < 0)
            i++, added++;
        else
            k++, removed++;
        if (arr) {
            json_t *o = json_object();
            vg_json_set(o, "change", json_string(change));
            vg_json_set(o, "type", vg_json_str(z->type));
            vg_json_set(o, "indicator", vg_json_str(z->value));
            vg_json_set(o, "family", vg_json_str(z->family));
            json_array_append_new(arr, o);
        } else if (t) {
            const char *cells[] = {change, z->type, z->value, z->family};
            vg_table_add(t, cells);
        }
    }
    if (arr) {
        cli_json(c, arr);
    } else if (t) {
        if (vg_table_rows(t))
            cli_table(c, t);
        if (!c->quiet)
            fprintf(stderr, "vigil: feed %s: %zu new, %zu removed since the previous version%s\n",
                    f.name, added, removed, versions.n < 2 ? " (there is none)" : "");
    }
    vg_table_free(t);
out:
    vg_rows_release(&versions);
    vg_rows_release(&now);
    vg_rows_release(&before);
    vg_arena_release(&a);
    return rc ? VG_EXIT_FAIL : VG_EXIT_OK;
}

static int feed_rm(struct cli *c)
{
    struct vg_feed_source f;
    struct vg_arena a;
    struct vg_error err;
    char obj[300];
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "feed", "feed rm takes one SOURCE");
    vg_arena_init(&a);
    vg_error_clear(&err);
    rc = vg_store_begin(c->store, &err);
    if (rc == VG_OK)
        rc = vg_store_feed_source_get(c->store, c->argv[2], &f, &a, &err);
    if (rc == VG_OK)
        rc = vg_store_feed_source_rm(c->store, f.id, &err);
    snprintf(obj, sizeof obj, "feed:%s", c->argv[2]);
    if (rc == VG_OK)
        rc = vg_store_audit(c->store, "feed.rm", obj, NULL, &err);
    if (rc == VG_OK)
        rc = vg_store_commit(c->store, &err);
    if (vg_store_in_tx(c->store))
        vg_store_rollback(c->store);
    vg_arena_release(&a);
    if (rc)
        return cli_fail(c, rc, &err);
    cli_removed(c, "feed", c->argv[2], NULL);
    return VG_EXIT_OK;
}

int cmd_feed(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"import", feed_import}, {"list", feed_list}, {"show", feed_show},
        {"diff", feed_diff},     {"rm", feed_rm},     {NULL, NULL},
    };
    return cli_dispatch(c, "feed", subs);
}
