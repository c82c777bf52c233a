/*
 * cmd_system.c - `vigil system`: information systems and their security level.
 */
#include "cli.h"

#include <string.h>

#include "core/json.h"
#include "inventory/inventory.h"
#include "core/banned.h"

static json_t *system_json(const struct vg_system *y)
{
    json_t *j = json_object();
    vg_json_set(j, "id", vg_json_int(y->id));
    vg_json_set(j, "unit", vg_json_str(y->unit));
    vg_json_set(j, "name", vg_json_str(y->name));
    vg_json_set(j, "level", vg_json_int(y->level));
    vg_json_set(j, "description", vg_json_str(y->description));
    vg_json_set(j, "hosts", vg_json_int(y->hosts));
    return j;
}

struct args {
    struct cli *c;
    struct vg_system y;
    int level;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    char why[160];
    switch (opt) {
    case 'u':
        a->y.unit = arg;
        return 0;
    case 'l':
        if (vg_inv_parse_level(arg, &a->level, why)) {
            cli_failf(a->c, "--level: %s", why);
            return -1;
        }
        a->y.level = a->level;
        return 0;
    case 'd':
        a->y.description = arg;
        return 0;
    }
    return -1;
}

static const struct option lo[] = {{"unit", required_argument, NULL, 'u'},
                                   {"level", required_argument, NULL, 'l'},
                                   {"description", required_argument, NULL, 'd'},
                                   {NULL, 0, NULL, 0}};

static int parse(struct cli *c, struct args *a, int want, const char *what)
{
    int first = cli_getopt(c, 2, "system", lo, "", on_opt, a);
    if (first < 0)
        return first;
    if (c->argc - first != want) {
        cli_usage_error(c, "system", "system %s takes %s", c->argv[1], what);
        return -2;
    }
    return first;
}

static int system_add(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_error err;
    int first = parse(c, &a, 1, "one NAME");
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (!a.y.unit)
        return cli_usage_error(c, "system", "system add needs --unit");
    if (!a.level)
        return cli_usage_error(c, "system", "system add needs --level (1 to 5)");
    a.y.name = c->argv[first];
    vg_error_clear(&err);
    int rc = vg_inv_system_add(c->store, &a.y, &err);
    if (rc)
        return cli_fail(c, rc, &err);
    if (c->json)
        cli_json(c, system_json(&a.y));
    else if (!c->quiet)
        printf("added system %s of %s at level %d\n", a.y.name, a.y.unit, a.y.level);
    return VG_EXIT_OK;
}

static int system_list(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_system_filter f = {0};
    struct vg_rows rows;
    struct vg_error err;
    int rc, first = parse(c, &a, 0, "no NAME");
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (cli_unit_id(c, a.y.unit, &f.unit_id))
        return VG_EXIT_FAIL;
    f.min_level = a.level;
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_system_list(c->store, &f, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, system_json(VG_ROW(&rows, struct vg_system, i)));
        cli_json(c, arr);
    } else {
        const char *h[] = {"level", "unit", "system", "hosts"};
        struct vg_table *t = vg_table_new(4, h);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_system *y = VG_ROW(&rows, struct vg_system, i);
            char lvl[8], hosts[24];
            snprintf(lvl, sizeof lvl, "%d", y->level);
            snprintf(hosts, sizeof hosts, "%lld", (long long)y->hosts);
            const char *cells[] = {lvl, y->unit, y->name, hosts};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int system_show(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_system y;
    struct vg_arena ar;
    struct vg_error err;
    int64_t uid;
    int rc, first = parse(c, &a, 1, "one NAME");
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (!a.y.unit)
        return cli_usage_error(c, "system", "system show needs --unit");
    if (cli_unit_id(c, a.y.unit, &uid))
        return VG_EXIT_FAIL;
    vg_arena_init(&ar);
    vg_error_clear(&err);
    if ((rc = vg_store_system_get(c->store, uid, c->argv[first], &y, &ar, &err))) {
        vg_arena_release(&ar);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        cli_json(c, system_json(&y));
    } else {
        printf("system       %s\n", y.name);
        printf("unit         %s\n", y.unit);
        printf("level        %d\n", y.level);
        printf("hosts        %lld\n", (long long)y.hosts);
        if (y.description)
            printf("description  %s\n", y.description);
    }
    vg_arena_release(&ar);
    return VG_EXIT_OK;
}

static int system_rm(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_error err;
    int rc, first = parse(c, &a, 1, "one NAME");
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (!a.y.unit)
        return cli_usage_error(c, "system", "system rm needs --unit");
    vg_error_clear(&err);
    if ((rc = vg_inv_system_rm(c->store, a.y.unit, c->argv[first], &err)))
        return cli_fail(c, rc, &err);
    cli_removed(c, "system", c->argv[first], a.y.unit);
    return VG_EXIT_OK;
}

int cmd_system(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", system_add}, {"list", system_list}, {"show", system_show},
        {"rm", system_rm},   {NULL, NULL},
    };
    return cli_dispatch(c, "system", subs);
}
