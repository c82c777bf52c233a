/*
 * cmd_duty.c - `vigil duty`: the duty roster, who is on duty now and whom
 * to call next.
 */
#include "cli.h"

#include <string.h>
#include <time.h>

#include "core/json.h"
#include "inventory/inventory.h"
#include "core/banned.h"

json_t *duty_json(const struct vg_duty *d)
{
    json_t *j = json_object();
    vg_json_set(j, "id", vg_json_int(d->id));
    vg_json_set(j, "contact", vg_json_str(d->contact));
    vg_json_set(j, "role", vg_json_str(d->role));
    vg_json_set(j, "unit", vg_json_str(d->unit));
    vg_json_set(j, "phone", vg_json_str(d->phone));
    vg_json_set(j, "from", vg_json_time(d->starts_at));
    vg_json_set(j, "to", vg_json_time(d->ends_at));
    vg_json_set(j, "note", vg_json_str(d->note));
    return j;
}

struct args {
    struct cli *c;
    const char *from, *to, *note;
    bool all;
    long long days;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    switch (opt) {
    case 'f':
        a->from = arg;
        return 0;
    case 't':
        a->to = arg;
        return 0;
    case 'n':
        a->note = arg;
        return 0;
    case 'a':
        a->all = true;
        return 0;
    case 'd':
        return cli_int(a->c, "--days", arg, 1, 3650, &a->days);
    }
    return -1;
}

static const struct option lo[] = {
    {"from", required_argument, NULL, 'f'}, {"to", required_argument, NULL, 't'},
    {"note", required_argument, NULL, 'n'}, {"all", no_argument, NULL, 'a'},
    {"days", required_argument, NULL, 'd'}, {NULL, 0, NULL, 0}};

static int parse_time(struct cli *c, const char *opt, const char *s, time_t *out)
{
    if (vg_time_parse(s, strlen(s), out)) {
        cli_failf(c, "%s: '%s' is not a time (YYYY-MM-DD HH:MM, local time)", opt, s);
        return -1;
    }
    return 0;
}

static int duty_add(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_duty d = {0};
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "duty", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "duty", "duty add takes one CONTACT");
    if (!a.from || !a.to)
        return cli_usage_error(c, "duty", "duty add needs --from and --to");
    if (parse_time(c, "--from", a.from, &d.starts_at) || parse_time(c, "--to", a.to, &d.ends_at))
        return VG_EXIT_FAIL;
    d.contact = c->argv[first];
    d.note = a.note;
    vg_error_clear(&err);
    if ((rc = vg_inv_duty_add(c->store, &d, &err)))
        return cli_fail(c, rc, &err);
    if (c->json) {
        cli_json(c, duty_json(&d));
    } else if (!c->quiet) {
        char t1[32], t2[32];
        printf("added shift %lld: %s from %s to %s\n", (long long)d.id, d.contact,
               cli_time(d.starts_at, t1), cli_time(d.ends_at, t2));
    }
    return VG_EXIT_OK;
}

static void duty_table(struct cli *c, struct vg_rows *rows, time_t now)
{
    const char *h[] = {"id", "from", "to", "contact", "role", "phone", "status"};
    struct vg_table *t = vg_table_new(7, h);
    for (size_t i = 0; t && i < rows->n; i++) {
        struct vg_duty *d = VG_ROW(rows, struct vg_duty, i);
        char id[24], t1[32], t2[32];
        snprintf(id, sizeof id, "%lld", (long long)d->id);
        const char *cells[] = {id,
                               cli_time(d->starts_at, t1),
                               cli_time(d->ends_at, t2),
                               d->contact,
                               d->role,
                               d->phone,
                               d->starts_at <= now && now < d->ends_at ? "on duty" : ""};
        vg_table_add(t, cells);
    }
    if (t)
        cli_table(c, t);
    vg_table_free(t);
}

static int duty_list(struct cli *c)
{
    struct args a = {.c = c, .days = 7};
    struct vg_rows rows;
    struct vg_error err;
    time_t now = time(NULL);
    int rc, first = cli_getopt(c, 2, "duty", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first < c->argc)
        return cli_usage_error(c, "duty", "duty list takes no arguments");
    vg_rows_init(&rows);
    vg_error_clear(&err);
    rc = vg_store_duty_list(c->store, a.all ? 0 : now, a.all ? 0 : now + a.days * 86400, &rows,
                            &err);
    if (rc) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, duty_json(VG_ROW(&rows, struct vg_duty, i)));
        cli_json(c, arr);
    } else {
        duty_table(c, &rows, now);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

void cli_print_duty_now(struct cli *c, const struct vg_overview *o)
{
    char t1[32];
    if (o->on_duty.n == 0) {
        printf("On duty now: nobody on the roster. Call the escalation order below.\n");
    } else {
        printf("On duty now:\n");
        for (size_t i = 0; i < o->on_duty.n; i++) {
            struct vg_duty *d = VG_ROW(&o->on_duty, struct vg_duty, i);
            printf("  %s%s%s  %s  until %s\n", d->contact, d->role ? ", " : "",
                   d->role ? d->role : "", d->phone ? d->phone : "(no phone)",
                   cli_time(d->ends_at, t1));
        }
    }
    if (o->next_duty.n) {
        struct vg_duty *d = VG_ROW(&o->next_duty, struct vg_duty, 0);
        printf("Next shift from %s:", cli_time(d->starts_at, t1));
        for (size_t i = 0; i < o->next_duty.n; i++) {
            d = VG_ROW(&o->next_duty, struct vg_duty, i);
            printf("%s %s%s%s", i ? "," : "", d->contact, d->phone ? " " : "",
                   d->phone ? d->phone : "");
        }
        putchar('\n');
    }
    if (o->escalation.n) {
        printf("Escalation order:\n");
        struct vg_rows *e = (struct vg_rows *)&o->escalation;
        const char *h[] = {"#", "name", "role", "unit", "phone"};
        struct vg_table *t = vg_table_new(5, h);
        for (size_t i = 0; t && i < e->n; i++) {
            struct vg_contact *x = VG_ROW(e, struct vg_contact, i);
            char n[16];
            snprintf(n, sizeof n, "%d", x->escalation);
            const char *cells[] = {n, x->name, x->role, x->unit, x->phone};
            vg_table_add(t, cells);
        }
        if (t)
            vg_table_print(t, stdout);
        vg_table_free(t);
    }
    (void)c;
}

json_t *cli_duty_now_json(const struct vg_overview *o)
{
    json_t *j = json_object(), *on = json_array(), *next = json_array(), *esc = json_array();
    for (size_t i = 0; i < o->on_duty.n; i++)
        json_array_append_new(on, duty_json(VG_ROW(&o->on_duty, struct vg_duty, i)));
    for (size_t i = 0; i < o->next_duty.n; i++)
        json_array_append_new(next, duty_json(VG_ROW(&o->next_duty, struct vg_duty, i)));
    for (size_t i = 0; i < o->escalation.n; i++) {
        struct vg_contact *x = VG_ROW(&o->escalation, struct vg_contact, i);
        json_t *e = json_object();
        vg_json_set(e, "escalation", vg_json_int(x->escalation));
        vg_json_set(e, "name", vg_json_str(x->name));
        vg_json_set(e, "role", vg_json_str(x->role));
        vg_json_set(e, "unit", vg_json_str(x->unit));
        vg_json_set(e, "phone", vg_json_str(x->phone));
        vg_json_set(e, "email", vg_json_str(x->email));
        json_array_append_new(esc, e);
    }
    vg_json_set(j, "at", vg_json_time(o->at));
    vg_json_set(j, "on_duty", on);
    vg_json_set(j, "next", next);
    vg_json_set(j, "escalation", esc);
    return j;
}

static int duty_now(struct cli *c)
{
    struct vg_overview o;
    struct vg_error err;
    int rc;
    if (c->argc > 2)
        return cli_usage_error(c, "duty", "duty now takes no arguments");
    vg_error_clear(&err);
    if ((rc = vg_inv_overview(c->store, time(NULL), &o, &err)))
        return cli_fail(c, rc, &err);
    if (c->json)
        cli_json(c, cli_duty_now_json(&o));
    else
        cli_print_duty_now(c, &o);
    vg_overview_release(&o);
    return VG_EXIT_OK;
}

static int duty_rm(struct cli *c)
{
    struct vg_error err;
    long long id;
    int rc;
    if (c->argc != 3)
        return cli_usage_error(c, "duty", "duty rm takes one shift ID (see 'vigil duty list')");
    if (cli_int(c, "ID", c->argv[2], 1, INT64_MAX, &id))
        return VG_EXIT_FAIL;
    vg_error_clear(&err);
    if ((rc = vg_inv_duty_rm(c->store, id, &err)))
        return cli_fail(c, rc, &err);
    if (c->json) {
        json_t *j = json_object();
        vg_json_set(j, "removed", vg_json_int(id));
        cli_json(c, j);
    } else if (!c->quiet) {
        printf("removed shift %lld\n", id);
    }
    return VG_EXIT_OK;
}

static int duty_import(struct cli *c)
{
    return cli_import(c, VG_INV_DUTY, "duty");
}

int cmd_duty(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", duty_add}, {"list", duty_list},     {"now", duty_now},
        {"rm", duty_rm},   {"import", duty_import}, {NULL, NULL},
    };
    return cli_dispatch(c, "duty", subs);
}
