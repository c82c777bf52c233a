/*
 * cmd_contact.c - `vigil contact`: people and hotlines, with escalation order.
 */
#include "cli.h"

#include <string.h>

#include "core/json.h"
#include "inventory/inventory.h"
#include "core/banned.h"

static json_t *contact_json(const struct vg_contact *x)
{
    json_t *j = json_object();
    vg_json_set(j, "id", vg_json_int(x->id));
    vg_json_set(j, "name", vg_json_str(x->name));
    vg_json_set(j, "unit", vg_json_str(x->unit));
    vg_json_set(j, "role", vg_json_str(x->role));
    vg_json_set(j, "phone", vg_json_str(x->phone));
    vg_json_set(j, "email", vg_json_str(x->email));
    vg_json_set(j, "escalation", vg_json_int(x->escalation));
    vg_json_set(j, "note", vg_json_str(x->note));
    return j;
}

struct args {
    struct cli *c;
    struct vg_contact x;
    const char *unit;
    bool escalation_only;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    long long v;
    switch (opt) {
    case 'u':
        a->x.unit = arg;
        a->unit = arg;
        return 0;
    case 'r':
        a->x.role = arg;
        return 0;
    case 'p':
        a->x.phone = arg;
        return 0;
    case 'm':
        a->x.email = arg;
        return 0;
    case 'e':
        if (cli_int(a->c, "--escalation", arg, 0, 99, &v))
            return -1;
        a->x.escalation = (int)v;
        return 0;
    case 'E':
        a->escalation_only = true;
        return 0;
    case 'n':
        a->x.note = arg;
        return 0;
    }
    return -1;
}

static int contact_add(struct cli *c)
{
    static const struct option lo[] = {{"unit", required_argument, NULL, 'u'},
                                       {"role", required_argument, NULL, 'r'},
                                       {"phone", required_argument, NULL, 'p'},
                                       {"email", required_argument, NULL, 'm'},
                                       {"escalation", required_argument, NULL, 'e'},
                                       {"note", required_argument, NULL, 'n'},
                                       {NULL, 0, NULL, 0}};
    struct args a = {.c = c};
    struct vg_error err;
    int first = cli_getopt(c, 2, "contact", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "contact",
                               "contact add takes one NAME (quote names with spaces)");
    a.x.name = c->argv[first];
    vg_error_clear(&err);
    int rc = vg_inv_contact_add(c->store, &a.x, &err);
    if (rc)
        return cli_fail(c, rc, &err);
    if (c->json)
        cli_json(c, contact_json(&a.x));
    else if (!c->quiet)
        printf("added contact %s\n", a.x.name);
    return VG_EXIT_OK;
}

static int contact_list(struct cli *c)
{
    static const struct option lo[] = {{"unit", required_argument, NULL, 'u'},
                                       {"escalation", no_argument, NULL, 'E'},
                                       {NULL, 0, NULL, 0}};
    struct args a = {.c = c};
    struct vg_contact_filter f = {0};
    struct vg_rows rows;
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "contact", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first < c->argc)
        return cli_usage_error(c, "contact", "contact list takes no NAME");
    if (cli_unit_id(c, a.unit, &f.unit_id))
        return VG_EXIT_FAIL;
    f.escalation_only = a.escalation_only;
    vg_rows_init(&rows);
    vg_error_clear(&err);
    if ((rc = vg_store_contact_list(c->store, &f, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, contact_json(VG_ROW(&rows, struct vg_contact, i)));
        cli_json(c, arr);
    } else {
        const char *h[] = {"esc", "name", "role", "unit", "phone", "email"};
        struct vg_table *t = vg_table_new(6, h);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_contact *x = VG_ROW(&rows, struct vg_contact, i);
            char esc[16] = "";
            if (x->escalation)
                snprintf(esc, sizeof esc, "%d", x->escalation);
            const char *cells[] = {esc, x->name, x->role, x->unit, x->phone, x->email};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int contact_show(struct cli *c)
{
    struct vg_contact x;
    struct vg_arena a;
    struct vg_error err;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "contact", "contact show takes one NAME");
    vg_arena_init(&a);
    vg_error_clear(&err);
    if ((rc = vg_store_contact_get(c->store, c->argv[2], &x, &a, &err))) {
        vg_arena_release(&a);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        cli_json(c, contact_json(&x));
    } else {
        printf("contact     %s\n", x.name);
        printf("role        %s\n", x.role ? x.role : "");
        printf("unit        %s\n", x.unit ? x.unit : "");
        printf("phone       %s\n", x.phone ? x.phone : "");
        printf("email       %s\n", x.email ? x.email : "");
        if (x.escalation)
            printf("escalation  %d\n", x.escalation);
        else
            printf("escalation  (not in the escalation order)\n");
        if (x.note)
            printf("note        %s\n", x.note);
    }
    vg_arena_release(&a);
    return VG_EXIT_OK;
}

static int contact_rm(struct cli *c)
{
    struct vg_error err;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "contact", "contact rm takes one NAME");
    vg_error_clear(&err);
    if ((rc = vg_inv_contact_rm(c->store, c->argv[2], &err)))
        return cli_fail(c, rc, &err);
    cli_removed(c, "contact", c->argv[2], NULL);
    return VG_EXIT_OK;
}

static int contact_import(struct cli *c)
{
    return cli_import(c, VG_INV_CONTACTS, "contact");
}

int cmd_contact(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", contact_add}, {"list", contact_list},     {"show", contact_show},
        {"rm", contact_rm},   {"import", contact_import}, {NULL, NULL},
    };
    return cli_dispatch(c, "contact", subs);
}
