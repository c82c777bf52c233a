/*
 * cmd_audit.c - `vigil audit`: who changed what, and when.
 */
#include "cli.h"

#include <string.h>

#include "core/json.h"
#include "core/parse.h"
#include "core/banned.h"

struct args {
    struct cli *c;
    struct vg_audit_filter f;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    long long v;
    switch (opt) {
    case 's':
        if (vg_time_parse(arg, strlen(arg), &a->f.since)) {
            cli_failf(a->c, "--since: '%s' is not a time (YYYY-MM-DD [HH:MM])", arg);
            return -1;
        }
        return 0;
    case 'a':
        a->f.action = arg;
        return 0;
    case 'l':
        if (cli_int(a->c, "--limit", arg, 0, INT64_MAX, &v))
            return -1;
        a->f.limit = v;
        return 0;
    }
    return -1;
}

int cmd_audit(struct cli *c)
{
    static const struct option lo[] = {{"since", required_argument, NULL, 's'},
                                       {"action", required_argument, NULL, 'a'},
                                       {"limit", required_argument, NULL, 'l'},
                                       {NULL, 0, NULL, 0}};
    struct args a = {.c = c, .f = {.limit = 50}};
    struct vg_rows rows;
    struct vg_error err;
    int rc, first = cli_getopt(c, 1, "audit", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first < c->argc)
        return cli_usage_error(c, "audit", "audit takes no arguments");
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_audit_list(c->store, &a.f, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++) {
            struct vg_audit *x = VG_ROW(&rows, struct vg_audit, i);
            json_t *j = json_object(), *d = NULL;
            vg_json_set(j, "id", vg_json_int(x->id));
            vg_json_set(j, "at", vg_json_time(x->at));
            vg_json_set(j, "actor", vg_json_str(x->actor));
            vg_json_set(j, "action", vg_json_str(x->action));
            vg_json_set(j, "object", vg_json_str(x->object));
            if (x->detail)
                d = json_loads(x->detail, 0, NULL);
            vg_json_set(j, "detail", d ? d : json_null());
            json_array_append_new(arr, j);
        }
        cli_json(c, arr);
    } else {
        const char *h[] = {"id", "at", "actor", "action", "object", "detail"};
        struct vg_table *t = vg_table_new(6, h);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_audit *x = VG_ROW(&rows, struct vg_audit, i);
            char id[24], at[32];
            snprintf(id, sizeof id, "%lld", (long long)x->id);
            const char *cells[] = {id,        cli_time(x->at, at), x->actor,
                                   x->action, x->object,           x->detail};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}
