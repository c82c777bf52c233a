/*
 * cmd_unit.c - `vigil unit`: units (agencies) of the site.
 */
#include "cli.h"

#include <string.h>

#include "core/json.h"
#include "inventory/inventory.h"
#include "core/banned.h"

static json_t *unit_json(const struct vg_unit *u)
{
    json_t *j = json_object();
    vg_json_set(j, "id", vg_json_int(u->id));
    vg_json_set(j, "name", vg_json_str(u->name));
    vg_json_set(j, "full_name", vg_json_str(u->full_name));
    vg_json_set(j, "parent", vg_json_str(u->parent));
    vg_json_set(j, "note", vg_json_str(u->note));
    vg_json_set(j, "created_at", vg_json_time(u->created_at));
    vg_json_set(j, "updated_at", vg_json_time(u->updated_at));
    return j;
}

struct add_args {
    struct cli *c;
    struct vg_unit u;
};

static int add_opt(int opt, const char *arg, void *ctx)
{
    struct add_args *a = ctx;
    switch (opt) {
    case 'f':
        a->u.full_name = arg;
        return 0;
    case 'p':
        a->u.parent = arg;
        return 0;
    case 'n':
        a->u.note = arg;
        return 0;
    }
    return -1;
}

static int unit_add(struct cli *c)
{
    static const struct option lo[] = {{"full-name", required_argument, NULL, 'f'},
                                       {"parent", required_argument, NULL, 'p'},
                                       {"note", required_argument, NULL, 'n'},
                                       {NULL, 0, NULL, 0}};
    struct add_args a = {.c = c};
    struct vg_error err;
    int first = cli_getopt(c, 2, "unit", lo, "", add_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "unit", "unit add takes one NAME");
    a.u.name = c->argv[first];
    vg_error_clear(&err);
    int rc = vg_inv_unit_add(c->store, &a.u, &err);
    if (rc)
        return cli_fail(c, rc, &err);
    if (c->json)
        cli_json(c, unit_json(&a.u));
    else if (!c->quiet)
        printf("added unit %s\n", a.u.name);
    return VG_EXIT_OK;
}

static int unit_list(struct cli *c)
{
    struct vg_rows rows;
    struct vg_error err;
    int rc;
    if (c->argc > 2)
        return cli_usage_error(c, "unit", "unit list takes no arguments");
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_unit_list(c->store, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, unit_json(VG_ROW(&rows, struct vg_unit, i)));
        cli_json(c, arr);
    } else {
        const char *h[] = {"name", "parent", "full name"};
        struct vg_table *t = vg_table_new(3, h);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_unit *u = VG_ROW(&rows, struct vg_unit, i);
            const char *cells[] = {u->name, u->parent, u->full_name};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int unit_show(struct cli *c)
{
    struct vg_unit u;
    struct vg_unit_usage use;
    struct vg_arena a;
    struct vg_error err;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "unit", "unit show takes one NAME");
    vg_arena_init(&a);
    vg_error_clear(&err);
    rc = vg_store_unit_get(c->store, c->argv[2], &u, &a, &err);
    if (rc == VG_OK)
        rc = vg_store_unit_usage(c->store, u.id, &use, &err);
    if (rc) {
        vg_arena_release(&a);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *j = unit_json(&u);
        vg_json_set(j, "hosts", vg_json_int(use.hosts));
        vg_json_set(j, "systems", vg_json_int(use.systems));
        vg_json_set(j, "netblocks", vg_json_int(use.netblocks));
        vg_json_set(j, "contacts", vg_json_int(use.contacts));
        vg_json_set(j, "child_units", vg_json_int(use.children));
        cli_json(c, j);
    } else {
        char t1[32], t2[32];
        printf("unit         %s\n", u.name);
        printf("full name    %s\n", u.full_name ? u.full_name : "");
        printf("parent       %s\n", u.parent ? u.parent : "");
        printf("hosts        %lld\n", (long long)use.hosts);
        printf("systems      %lld\n", (long long)use.systems);
        printf("netblocks    %lld\n", (long long)use.netblocks);
        printf("contacts     %lld\n", (long long)use.contacts);
        printf("child units  %lld\n", (long long)use.children);
        if (u.note)
            printf("note         %s\n", u.note);
        printf("created      %s\n", cli_time(u.created_at, t1));
        printf("updated      %s\n", cli_time(u.updated_at, t2));
    }
    vg_arena_release(&a);
    return VG_EXIT_OK;
}

static int unit_rm(struct cli *c)
{
    struct vg_error err;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "unit", "unit rm takes one NAME");
    vg_error_clear(&err);
    if ((rc = vg_inv_unit_rm(c->store, c->argv[2], &err)))
        return cli_fail(c, rc, &err);
    cli_removed(c, "unit", c->argv[2], NULL);
    return VG_EXIT_OK;
}

static int unit_import(struct cli *c)
{
    return cli_import(c, VG_INV_UNITS, "unit");
}

int cmd_unit(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", unit_add}, {"list", unit_list},     {"show", unit_show},
        {"rm", unit_rm},   {"import", unit_import}, {NULL, NULL},
    };
    return cli_dispatch(c, "unit", subs);
}
