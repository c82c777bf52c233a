/*
 * cmd_netblock.c - `vigil netblock`: a unit's ranges and public NAT addresses.
 */
#include "cli.h"

#include <string.h>

#include "core/json.h"
#include "inventory/inventory.h"
#include "core/banned.h"

static json_t *netblock_json(const struct vg_netblock *nb)
{
    char p[VG_PREFIX_STRLEN];
    json_t *j = json_object();
    vg_json_set(j, "id", vg_json_int(nb->id));
    vg_json_set(j, "unit", vg_json_str(nb->unit));
    vg_json_set(j, "prefix", json_string(vg_prefix_format(&nb->prefix, p)));
    vg_json_set(j, "public", json_boolean(nb->public));
    vg_json_set(j, "note", vg_json_str(nb->note));
    return j;
}

struct args {
    struct cli *c;
    const char *unit, *note;
    int pub; /* -1 unset, 0 private, 1 public */
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    switch (opt) {
    case 'u':
        a->unit = arg;
        return 0;
    case 'n':
        a->note = arg;
        return 0;
    case 'P':
        a->pub = 1;
        return 0;
    case 'R':
        a->pub = 0;
        return 0;
    }
    return -1;
}

static const struct option lo[] = {{"unit", required_argument, NULL, 'u'},
                                   {"note", required_argument, NULL, 'n'},
                                   {"public", no_argument, NULL, 'P'},
                                   {"private", no_argument, NULL, 'R'},
                                   {NULL, 0, NULL, 0}};

static void print_list(struct cli *c, struct vg_rows *rows)
{
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows->n; i++)
            json_array_append_new(arr, netblock_json(VG_ROW(rows, struct vg_netblock, i)));
        cli_json(c, arr);
        return;
    }
    const char *h[] = {"unit", "prefix", "type", "note"};
    struct vg_table *t = vg_table_new(4, h);
    for (size_t i = 0; t && i < rows->n; i++) {
        struct vg_netblock *nb = VG_ROW(rows, struct vg_netblock, i);
        char p[VG_PREFIX_STRLEN];
        const char *cells[] = {nb->unit, vg_prefix_format(&nb->prefix, p),
                               nb->public ? "public" : "private", nb->note};
        vg_table_add(t, cells);
    }
    if (t)
        cli_table(c, t);
    vg_table_free(t);
}

static int netblock_add(struct cli *c)
{
    struct args a = {.c = c, .pub = -1};
    struct vg_netblock nb = {0};
    struct vg_error err;
    char p[VG_PREFIX_STRLEN];
    int first = cli_getopt(c, 2, "netblock", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "netblock", "netblock add takes one PREFIX");
    if (!a.unit)
        return cli_usage_error(c, "netblock", "netblock add needs --unit");
    const char *s = c->argv[first];
    int r = vg_prefix_parse(s, strlen(s), VG_PREFIX_STRICT, &nb.prefix);
    if (r == VG_EINVAL) {
        vg_prefix_parse(s, strlen(s), 0, &nb.prefix);
        return cli_failf(c, "'%s' has host bits set; did you mean %s?", s,
                         vg_prefix_format(&nb.prefix, p));
    }
    if (r)
        return cli_failf(c, "'%s' is not an IP address or CIDR prefix", s);
    nb.unit = a.unit;
    nb.note = a.note;
    nb.public = a.pub >= 0 ? a.pub == 1 : vg_ip_is_public(&nb.prefix.ip);
    vg_error_clear(&err);
    if ((r = vg_inv_netblock_add(c->store, &nb, &err)))
        return cli_fail(c, r, &err);
    if (c->json)
        cli_json(c, netblock_json(&nb));
    else if (!c->quiet)
        printf("added %s netblock %s to %s\n", nb.public ? "public" : "private",
               vg_prefix_format(&nb.prefix, p), nb.unit);
    return VG_EXIT_OK;
}

static int netblock_list(struct cli *c, bool show)
{
    struct args a = {.c = c, .pub = -1};
    struct vg_netblock_filter f = {0};
    struct vg_rows rows;
    struct vg_error err;
    struct vg_ip ip;
    int rc, first = cli_getopt(c, 2, "netblock", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (show) {
        if (c->argc - first != 1)
            return cli_usage_error(c, "netblock", "netblock show takes one ADDRESS");
        const char *s = c->argv[first];
        if (vg_ip_parse(s, strlen(s), &ip))
            return cli_failf(c, "'%s' is not an IP address", s);
    } else if (first < c->argc) {
        return cli_usage_error(c, "netblock", "netblock list takes no PREFIX");
    }
    if (cli_unit_id(c, a.unit, &f.unit_id))
        return VG_EXIT_FAIL;
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_netblock_list(c->store, &f, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (show) {
        /* Keep the netblocks that contain the address. */
        size_t k = 0;
        for (size_t i = 0; i < rows.n; i++) {
            struct vg_netblock *nb = VG_ROW(&rows, struct vg_netblock, i);
            if (vg_prefix_contains(&nb->prefix, &ip))
                *VG_ROW(&rows, struct vg_netblock, k++) = *nb;
        }
        rows.n = k;
    }
    print_list(c, &rows);
    size_t n = rows.n;
    vg_rows_release(&rows);
    if (show && n == 0 && !c->json && !c->quiet)
        fprintf(stderr, "vigil: no netblock contains %s\n", c->argv[first]);
    return VG_EXIT_OK;
}

static int netblock_rm(struct cli *c)
{
    struct args a = {.c = c, .pub = -1};
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "netblock", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1 || !a.unit)
        return cli_usage_error(c, "netblock", "netblock rm takes one PREFIX and --unit");
    vg_error_clear(&err);
    if ((rc = vg_inv_netblock_rm(c->store, a.unit, c->argv[first], &err)))
        return cli_fail(c, rc, &err);
    cli_removed(c, "netblock", c->argv[first], a.unit);
    return VG_EXIT_OK;
}

static int netblock_import(struct cli *c)
{
    return cli_import(c, VG_INV_NETBLOCKS, "netblock");
}

static int netblock_ls(struct cli *c)
{
    return netblock_list(c, false);
}

static int netblock_show(struct cli *c)
{
    return netblock_list(c, true);
}

int cmd_netblock(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", netblock_add}, {"list", netblock_ls},       {"show", netblock_show},
        {"rm", netblock_rm},   {"import", netblock_import}, {NULL, NULL},
    };
    return cli_dispatch(c, "netblock", subs);
}
