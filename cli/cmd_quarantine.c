/*
 * cmd_quarantine.c - `vigil quarantine`: move files into the vault next to
 * the store (neutered, recorded, audited), list and show the entries,
 * restore one, purge one's content, verify them.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/parse.h"
#include "core/str.h"
#include "scan/scan.h"
#include "core/banned.h"

static const char *q_state(const struct vg_quarantine_row *r)
{
    return r->purged_at ? "purged" : r->restored_at ? "restored" : "held";
}

/* A time in nanoseconds as RFC 3339 (whole seconds). */
static json_t *ns_time(int64_t ns)
{
    return vg_json_time((time_t)(ns / 1000000000 - (ns % 1000000000 < 0)));
}

static json_t *q_json(const struct vg_quarantine_row *r, const char *vault_dir)
{
    json_t *j = json_object();
    char mode[16];
    snprintf(mode, sizeof mode, "%04llo", (unsigned long long)(r->mode & 07777));
    vg_json_set(j, "id", vg_json_int(r->id));
    vg_json_set(j, "state", json_string(q_state(r)));
    vg_json_set(j, "host", vg_json_str(r->hostname));
    vg_json_set(j, "host_id", r->host_id ? vg_json_int(r->host_id) : json_null());
    vg_json_set(j, "path", vg_json_str(r->original_path));
    vg_json_set(j, "size", vg_json_int(r->size));
    vg_json_set(j, "sha256", vg_json_str(r->sha256));
    vg_json_set(j, "detection", vg_json_str(r->detection));
    vg_json_set(j, "owner", vg_json_str(r->owner));
    vg_json_set(j, "group", vg_json_str(r->group));
    vg_json_set(j, "uid", vg_json_int(r->uid));
    vg_json_set(j, "gid", vg_json_int(r->gid));
    vg_json_set(j, "mode", json_string(mode));
    vg_json_set(j, "mtime", ns_time(r->mtime_ns));
    vg_json_set(j, "mtime_ns", vg_json_int(r->mtime_ns));
    vg_json_set(j, "atime", ns_time(r->atime_ns));
    vg_json_set(j, "atime_ns", vg_json_int(r->atime_ns));
    vg_json_set(j, "quarantined_at", vg_json_time(r->quarantined_at));
    vg_json_set(j, "restored_at", vg_json_time(r->restored_at));
    vg_json_set(j, "restored_to", vg_json_str(r->restored_to));
    vg_json_set(j, "purged_at", vg_json_time(r->purged_at));
    vg_json_set(j, "vault_name", vg_json_str(r->vault_name));
    if (vault_dir) {
        char f[4200];
        snprintf(f, sizeof f, "%s/%s", vault_dir, r->vault_name ? r->vault_name : "");
        vg_json_set(j, "vault_file", r->purged_at ? json_null() : vg_json_str(f));
    }
    vg_json_set(j, "finding_id", r->finding_id ? vg_json_int(r->finding_id) : json_null());
    return j;
}

/* The record of entry id into rows; prints the error. */
static int q_get(struct cli *c, int64_t id, struct vg_rows *rows,
                 const struct vg_quarantine_row **out)
{
    struct vg_error err;
    int rc;
    vg_error_clear(&err);
    if ((rc = vg_store_quarantine_get(c->store, id, rows, &err)))
        return cli_fail(c, rc, &err), rc;
    *out = VG_ROW(rows, struct vg_quarantine_row, rows->n - 1);
    return VG_OK;
}

static int q_id(struct cli *c, const char *s, int64_t *id)
{
    long long v;
    if (cli_int(c, "ID", s, 1, INT64_MAX, &v) != 0)
        return -1;
    *id = v;
    return 0;
}

/*
 * A size: a whole number of bytes with an optional K, M, G or T (powers of
 * 1024; "KB", "KiB" and lower case work too): 500M, 10G, 1048576.
 */
static int parse_size(const char *s, int64_t *out)
{
    size_t n = strlen(s), digits = 0;
    int64_t v, mul = 1;
    while (digits < n && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (!digits)
        return -1;
    const char *u = s + digits;
    if (*u) {
        static const char units[] = "KMGT";
        const char *k = strchr(units, *u & ~0x20);
        if (!k)
            return -1;
        for (const char *x = units; x <= k; x++)
            mul *= 1024;
        u++;
        if (vg_str_ieq(u, "ib"))
            u += 2;
        else if (vg_str_ieq(u, "b"))
            u++;
        if (*u)
            return -1;
    }
    if (vg_parse_i64(s, digits, 0, INT64_MAX / mul, &v) != VG_OK)
        return -1;
    *out = v * mul;
    return 0;
}

static void vault_dir(struct cli *c, char *buf, size_t n)
{
    if (vg_vault_dir(c->store, buf, n, NULL) != VG_OK)
        buf[0] = '\0';
}

/* ---- add ---------------------------------------------------------------------------- */

struct add_args {
    struct cli *c;
    struct vg_vault_opts o;
    bool bad;
};

static int add_opt(int opt, const char *arg, void *ctx)
{
    struct add_args *a = ctx;
    switch (opt) {
    case 'd':
        a->o.detection = arg;
        return 0;
    case 'f':
        a->o.force = true;
        return 0;
    case 'm':
        if (parse_size(arg, &a->o.vault_max) != 0) {
            cli_failf(a->c, "--vault-max: '%s' is not a size (e.g. 500M, 10G, or bytes)", arg);
            return -1;
        }
        return 0;
    }
    return -1;
}

static int q_add(struct cli *c)
{
    static const struct option lo[] = {{"detection", required_argument, NULL, 'd'},
                                       {"force", no_argument, NULL, 'f'},
                                       {"vault-max", required_argument, NULL, 'm'},
                                       {NULL, 0, NULL, 0}};
    struct add_args a = {.c = c};
    char vdir[4096];
    int first = cli_getopt(c, 2, "quarantine", lo, "", add_opt, &a), failed = 0;
    json_t *arr;
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first < 1)
        return cli_usage_error(c, "quarantine", "quarantine add takes one or more PATHs");
    vault_dir(c, vdir, sizeof vdir);
    arr = c->json ? json_array() : NULL;
    for (int i = first; i < c->argc; i++) {
        struct vg_quarantine_row q;
        struct vg_rows rows;
        const struct vg_quarantine_row *r;
        struct vg_error err;
        int rc;
        vg_error_clear(&err);
        rc = vg_vault_put(c->store, c->argv[i], &a.o, &q, &err);
        if (rc) {
            cli_fail(c, rc, &err);
            failed++;
            continue;
        }
        vg_rows_init(&rows);
        if (q_get(c, q.id, &rows, &r) == VG_OK) {
            if (arr) {
                json_array_append_new(arr, q_json(r, vdir));
            } else if (!c->quiet) {
                char safe[4200];
                vg_str_escape_ctl(safe, sizeof safe, r->original_path, strlen(r->original_path));
                printf("quarantined %s as entry %lld (%lld bytes, sha256 %s)\n", safe,
                       (long long)r->id, (long long)r->size, r->sha256);
            }
        } else {
            failed++;
        }
        vg_rows_release(&rows);
    }
    if (arr)
        cli_json(c, arr);
    if (failed && !c->quiet && c->argc - first > 1)
        fprintf(stderr, "vigil: %d of %d files were not quarantined (see above)\n", failed,
                c->argc - first);
    return failed ? VG_EXIT_FAIL : VG_EXIT_OK;
}

/* ---- list and show ------------------------------------------------------------------ */

static int q_list(struct cli *c)
{
    struct vg_rows rows;
    struct vg_error err;
    char vdir[4096];
    int rc;
    if (c->argc > 2)
        return cli_usage_error(c, "quarantine", "quarantine list takes no arguments");
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_quarantine_list(c->store, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        vault_dir(c, vdir, sizeof vdir);
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, q_json(VG_ROW(&rows, struct vg_quarantine_row, i), vdir));
        cli_json(c, arr);
    } else {
        const char *h[] = {"id", "when", "host", "path", "size", "detection", "state"};
        struct vg_table *t = vg_table_new(7, h);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_quarantine_row *r = VG_ROW(&rows, struct vg_quarantine_row, i);
            char id[24], size[24], t1[32];
            snprintf(id, sizeof id, "%lld", (long long)r->id);
            snprintf(size, sizeof size, "%lld", (long long)r->size);
            const char *cells[] = {id,          cli_time(r->quarantined_at, t1),
                                   r->hostname, r->original_path,
                                   size,        r->detection,
                                   q_state(r)};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

/* One "key  value" line of `show`, the value made safe for a terminal. */
static void kv(const char *key, const char *value)
{
    char safe[4200];
    if (!value)
        value = "";
    vg_str_escape_ctl(safe, sizeof safe, value, strlen(value));
    printf("%-12s %s\n", key, safe);
}

static void ns_local(int64_t ns, char *buf, size_t n)
{
    char t[32];
    time_t sec = (time_t)(ns / 1000000000 - (ns % 1000000000 < 0));
    long frac = (long)(ns - (int64_t)sec * 1000000000);
    struct tm tm;
    if (!localtime_r(&sec, &tm) || !strftime(t, sizeof t, "%Y-%m-%d %H:%M:%S", &tm)) {
        snprintf(buf, n, "%lld ns", (long long)ns);
        return;
    }
    snprintf(buf, n, "%s.%09ld", t, frac);
}

static int q_show(struct cli *c)
{
    struct vg_rows rows;
    const struct vg_quarantine_row *r;
    char vdir[4096], buf[4400], t1[32];
    int64_t id;
    if (c->argc != 3)
        return cli_usage_error(c, "quarantine", "quarantine show takes one ID");
    if (q_id(c, c->argv[2], &id) != 0)
        return VG_EXIT_FAIL;
    vg_rows_init(&rows);
    if (q_get(c, id, &rows, &r) != VG_OK) {
        vg_rows_release(&rows);
        return VG_EXIT_FAIL;
    }
    vault_dir(c, vdir, sizeof vdir);
    if (c->json) {
        cli_json(c, q_json(r, vdir));
    } else {
        snprintf(buf, sizeof buf, "%lld (%s)", (long long)r->id, q_state(r));
        kv("entry", buf);
        kv("path", r->original_path);
        kv("host", r->hostname);
        snprintf(buf, sizeof buf, "%lld bytes", (long long)r->size);
        kv("size", buf);
        kv("sha256", r->sha256);
        kv("detection", r->detection);
        snprintf(buf, sizeof buf, "%s (uid %lld), group %s (gid %lld)", r->owner ? r->owner : "?",
                 (long long)r->uid, r->group ? r->group : "?", (long long)r->gid);
        kv("owner", buf);
        snprintf(buf, sizeof buf, "%04llo", (unsigned long long)(r->mode & 07777));
        kv("mode", buf);
        ns_local(r->mtime_ns, buf, sizeof buf);
        kv("modified", buf);
        ns_local(r->atime_ns, buf, sizeof buf);
        kv("accessed", buf);
        kv("quarantined", cli_time(r->quarantined_at, t1));
        if (r->restored_at) {
            snprintf(buf, sizeof buf, "%s to %s", cli_time(r->restored_at, t1),
                     r->restored_to ? r->restored_to : "?");
            kv("restored", buf);
        }
        if (r->purged_at)
            kv("purged", cli_time(r->purged_at, t1));
        else {
            snprintf(buf, sizeof buf, "%s/%s", vdir, r->vault_name ? r->vault_name : "");
            kv("vault file", buf);
        }
        if (r->finding_id) {
            snprintf(buf, sizeof buf, "%lld", (long long)r->finding_id);
            kv("finding", buf);
        }
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

/* ---- restore, purge, verify ------------------------------------------------------------ */

static int to_opt(int opt, const char *arg, void *ctx)
{
    if (opt != 't')
        return -1;
    *(const char **)ctx = arg;
    return 0;
}

static int q_restore(struct cli *c)
{
    static const struct option lo[] = {{"to", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
    const char *to = NULL;
    struct vg_rows rows;
    const struct vg_quarantine_row *r;
    struct vg_error err;
    int64_t id;
    int rc, first = cli_getopt(c, 2, "quarantine", lo, "", to_opt, &to);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "quarantine", "quarantine restore takes one ID");
    if (q_id(c, c->argv[first], &id) != 0)
        return VG_EXIT_FAIL;
    vg_error_clear(&err);
    if ((rc = vg_vault_restore(c->store, id, to, &err)))
        return cli_fail(c, rc, &err);
    vg_rows_init(&rows);
    if (q_get(c, id, &rows, &r) != VG_OK) {
        vg_rows_release(&rows);
        return VG_EXIT_FAIL;
    }
    if (c->json) {
        char vdir[4096];
        vault_dir(c, vdir, sizeof vdir);
        cli_json(c, q_json(r, vdir));
    } else if (!c->quiet) {
        char safe[4200];
        vg_str_escape_ctl(safe, sizeof safe, r->restored_to ? r->restored_to : "",
                          r->restored_to ? strlen(r->restored_to) : 0);
        printf("restored entry %lld to %s (sha256 %s verified); the vault keeps a copy until "
               "'vigil quarantine purge %lld --force'\n",
               (long long)id, safe, r->sha256, (long long)id);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int force_opt(int opt, const char *arg, void *ctx)
{
    (void)arg;
    if (opt != 'f')
        return -1;
    *(bool *)ctx = true;
    return 0;
}

static int q_purge(struct cli *c)
{
    static const struct option lo[] = {{"force", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    bool force = false;
    struct vg_rows rows;
    const struct vg_quarantine_row *r;
    struct vg_error err;
    int64_t id;
    int rc, first = cli_getopt(c, 2, "quarantine", lo, "", force_opt, &force);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "quarantine", "quarantine purge takes one ID");
    if (q_id(c, c->argv[first], &id) != 0)
        return VG_EXIT_FAIL;
    vg_rows_init(&rows);
    rc = q_get(c, id, &rows, &r);
    if (rc == VG_OK && !force && !r->purged_at)
        rc = cli_failf(c,
                       "purging entry %lld deletes its content for good (the record and the audit "
                       "stay); give --force to purge it",
                       (long long)id);
    vg_rows_release(&rows);
    if (rc)
        return VG_EXIT_FAIL;
    vg_error_clear(&err);
    if ((rc = vg_vault_purge(c->store, id, &err)))
        return cli_fail(c, rc, &err);
    if (c->json) {
        json_t *j = json_object();
        vg_json_set(j, "purged", vg_json_int(id));
        cli_json(c, j);
    } else if (!c->quiet) {
        printf("purged entry %lld: its content is deleted; the record and the audit stay\n",
               (long long)id);
    }
    return VG_EXIT_OK;
}

static int q_verify(struct cli *c)
{
    static const struct option lo[] = {{"all", no_argument, NULL, 'f'}, {NULL, 0, NULL, 0}};
    bool all = false;
    struct vg_rows rows;
    struct vg_error err;
    int64_t *ids = NULL;
    size_t n = 0, failed = 0, checked = 0;
    json_t *arr;
    int rc = VG_OK, first = cli_getopt(c, 2, "quarantine", lo, "", force_opt, &all);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (all == (c->argc - first > 0))
        return cli_usage_error(c, "quarantine", "quarantine verify takes IDs, or --all");
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if (all) {
        if ((rc = vg_store_quarantine_list(c->store, &rows, &err))) {
            vg_rows_release(&rows);
            return cli_fail(c, rc, &err);
        }
        ids = calloc(rows.n + 1, sizeof *ids);
        for (size_t i = rows.n; ids && i-- > 0;) { /* oldest first */
            const struct vg_quarantine_row *r = VG_ROW(&rows, struct vg_quarantine_row, i);
            if (!r->purged_at)
                ids[n++] = r->id;
        }
    } else {
        ids = calloc((size_t)(c->argc - first), sizeof *ids);
        for (int i = first; ids && i < c->argc; i++)
            if (q_id(c, c->argv[i], &ids[n++]) != 0) {
                free(ids);
                vg_rows_release(&rows);
                return VG_EXIT_FAIL;
            }
    }
    vg_rows_release(&rows);
    if (!ids)
        return cli_failf(c, "out of memory");
    arr = c->json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        vg_error_clear(&err);
        rc = vg_vault_verify(c->store, ids[i], &err);
        checked++;
        if (rc)
            failed++;
        if (arr) {
            json_t *o = json_object();
            vg_json_set(o, "id", vg_json_int(ids[i]));
            vg_json_set(o, "ok", json_boolean(rc == VG_OK));
            vg_json_set(o, "error", rc ? vg_json_str(vg_error_msg(&err, rc)) : json_null());
            json_array_append_new(arr, o);
            if (rc)
                cli_fail(c, rc, &err);
        } else if (rc) {
            cli_fail(c, rc, &err);
        } else if (!c->quiet) {
            printf("entry %lld: ok\n", (long long)ids[i]);
        }
    }
    free(ids);
    if (arr)
        cli_json(c, arr);
    else if (!c->quiet && all)
        printf("%zu entries checked, %zu corrupted or missing\n", checked, failed);
    return failed ? VG_EXIT_FAIL : VG_EXIT_OK;
}

int cmd_quarantine(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", q_add},     {"list", q_list},     {"show", q_show}, {"restore", q_restore},
        {"purge", q_purge}, {"verify", q_verify}, {NULL, NULL},
    };
    return cli_dispatch(c, "quarantine", subs);
}
