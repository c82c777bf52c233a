/*
 * cmd_host.c - `vigil host`: servers and workstations.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "inventory/inventory.h"
#include "core/banned.h"

static json_t *host_json(const struct vg_host *h)
{
    json_t *j = json_object(), *ips = json_array(), *sys = json_array();
    vg_json_set(j, "id", vg_json_int(h->id));
    vg_json_set(j, "unit", vg_json_str(h->unit));
    vg_json_set(j, "hostname", vg_json_str(h->hostname));
    vg_json_set(j, "role", vg_json_str(h->role));
    vg_json_set(j, "os", vg_json_str(h->os));
    vg_json_set(j, "os_release", vg_json_str(h->os_release));
    vg_json_set(j, "level", h->level ? vg_json_int(h->level) : json_null());
    for (size_t i = 0; i < h->naddrs; i++) {
        char ip[VG_IP_STRLEN];
        json_t *a = json_object();
        vg_json_set(a, "ip", json_string(vg_ip_format(&h->addrs[i].ip, ip)));
        vg_json_set(a, "public", json_boolean(h->addrs[i].public));
        json_array_append_new(ips, a);
    }
    vg_json_set(j, "addresses", ips);
    for (size_t i = 0; i < h->nsystems; i++) {
        json_t *y = json_object();
        vg_json_set(y, "name", vg_json_str(h->systems[i].name));
        vg_json_set(y, "level", vg_json_int(h->systems[i].level));
        json_array_append_new(sys, y);
    }
    vg_json_set(j, "systems", sys);
    vg_json_set(j, "owner", vg_json_str(h->owner));
    vg_json_set(j, "note", vg_json_str(h->note));
    vg_json_set(j, "created_at", vg_json_time(h->created_at));
    vg_json_set(j, "updated_at", vg_json_time(h->updated_at));
    return j;
}

#define MAX_MULTI 64

struct args {
    struct cli *c;
    const char *unit, *role, *os, *owner, *note, *system, *ip;
    int level;
    size_t nips, nsys;
    struct vg_host_addr ips[MAX_MULTI];
    const char *sys[MAX_MULTI];
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    char why[160];
    switch (opt) {
    case 'u':
        a->unit = arg;
        return 0;
    case 'r':
        a->role = arg;
        return 0;
    case 'o':
        a->os = arg;
        return 0;
    case 'w':
        a->owner = arg;
        return 0;
    case 'n':
        a->note = arg;
        return 0;
    case 'l':
        if (vg_inv_parse_level(arg, &a->level, why)) {
            cli_failf(a->c, "--level: %s", why);
            return -1;
        }
        return 0;
    case 's':
        a->system = arg;
        if (a->nsys == MAX_MULTI) {
            cli_failf(a->c, "too many --system options (at most %d)", MAX_MULTI);
            return -1;
        }
        a->sys[a->nsys++] = arg;
        return 0;
    case 'i':
        a->ip = arg;
        if (a->nips == MAX_MULTI) {
            cli_failf(a->c, "too many --ip options (at most %d)", MAX_MULTI);
            return -1;
        }
        if (vg_ip_parse(arg, strlen(arg), &a->ips[a->nips].ip)) {
            cli_failf(a->c, "--ip: '%s' is not an IP address", arg);
            return -1;
        }
        a->nips++;
        return 0;
    }
    return -1;
}

static const struct option lo[] = {{"unit", required_argument, NULL, 'u'},
                                   {"role", required_argument, NULL, 'r'},
                                   {"os", required_argument, NULL, 'o'},
                                   {"owner", required_argument, NULL, 'w'},
                                   {"note", required_argument, NULL, 'n'},
                                   {"system", required_argument, NULL, 's'},
                                   {"ip", required_argument, NULL, 'i'},
                                   {"level", required_argument, NULL, 'l'},
                                   {NULL, 0, NULL, 0}};

static int host_add(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_host h = {0};
    struct vg_host_sys sys[MAX_MULTI];
    struct vg_error err;
    char *os = NULL, *rel = NULL;
    int rc, first = cli_getopt(c, 2, "host", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "host", "host add takes one HOSTNAME");
    if (!a.unit || !a.role)
        return cli_usage_error(c, "host", "host add needs --unit and --role");
    h.hostname = vg_str_lower(c->argv[first]);
    h.unit = a.unit;
    h.role = a.role;
    h.owner = a.owner;
    h.note = a.note;
    if (a.os) {
        if (vg_inv_split_os(a.os, &os, &rel))
            return cli_failf(c, "out of memory");
        h.os = os;
        h.os_release = rel;
    }
    h.addrs = a.ips;
    h.naddrs = a.nips;
    for (size_t i = 0; i < a.nsys; i++)
        sys[i] = (struct vg_host_sys){.name = a.sys[i]};
    h.systems = sys;
    h.nsystems = a.nsys;
    vg_error_clear(&err);
    rc = vg_inv_host_add(c->store, &h, &err);
    if (rc) {
        free(os);
        free(rel);
        return cli_fail(c, rc, &err);
    }
    if (c->json)
        cli_json(c, host_json(&h));
    else if (!c->quiet)
        printf("added %s %s to %s\n", h.role, h.hostname, h.unit);
    free(os);
    free(rel);
    return VG_EXIT_OK;
}

static void join_addrs(const struct vg_host *h, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < h->naddrs && off + 1 < size; i++) {
        char ip[VG_IP_STRLEN];
        int w = snprintf(buf + off, size - off, "%s%s", i ? " " : "",
                         vg_ip_format(&h->addrs[i].ip, ip));
        if (w < 0 || (size_t)w >= size - off)
            break;
        off += (size_t)w;
    }
}

static void join_systems(const struct vg_host *h, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < h->nsystems && off + 1 < size; i++) {
        int w = snprintf(buf + off, size - off, "%s%s", i ? "; " : "", h->systems[i].name);
        if (w < 0 || (size_t)w >= size - off)
            break;
        off += (size_t)w;
    }
}

static int host_list(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_host_filter f = {0};
    struct vg_rows rows;
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "host", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first < c->argc)
        return cli_usage_error(c, "host", "host list takes no HOSTNAME (use host show)");
    if (cli_unit_id(c, a.unit, &f.unit_id))
        return VG_EXIT_FAIL;
    if (a.nsys > 1 || a.nips > 1)
        return cli_usage_error(c, "host", "host list takes one --system and one --ip");
    vg_error_clear(&err);
    if (a.system) {
        struct vg_system y;
        struct vg_arena ar;
        if (!f.unit_id)
            return cli_usage_error(c, "host", "--system needs --unit (system names are per unit)");
        vg_arena_init(&ar);
        rc = vg_store_system_get(c->store, f.unit_id, a.system, &y, &ar, &err);
        vg_arena_release(&ar);
        if (rc)
            return cli_fail(c, rc, &err);
        f.system_id = y.id;
    }
    if (a.role) {
        char why[160];
        if (vg_inv_parse_role(a.role, &f.role, why))
            return cli_failf(c, "--role: %s", why);
    }
    if (a.nips)
        f.ip = &a.ips[0].ip;
    f.min_level = a.level;
    vg_rows_init(&rows);
    if ((rc = vg_store_host_list(c->store, &f, &rows, &err))) {
        vg_rows_release(&rows);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < rows.n; i++)
            json_array_append_new(arr, host_json(VG_ROW(&rows, struct vg_host, i)));
        cli_json(c, arr);
    } else {
        const char *hd[] = {"level", "unit", "hostname", "role", "os", "addresses", "systems"};
        struct vg_table *t = vg_table_new(7, hd);
        for (size_t i = 0; t && i < rows.n; i++) {
            struct vg_host *h = VG_ROW(&rows, struct vg_host, i);
            char lvl[8] = "", os[256], addrs[512], sys[512];
            if (h->level)
                snprintf(lvl, sizeof lvl, "%d", h->level);
            snprintf(os, sizeof os, "%s%s%s", h->os ? h->os : "", h->os_release ? " " : "",
                     h->os_release ? h->os_release : "");
            join_addrs(h, addrs, sizeof addrs);
            join_systems(h, sys, sizeof sys);
            const char *cells[] = {lvl, h->unit, h->hostname, h->role, os, addrs, sys};
            vg_table_add(t, cells);
        }
        if (t)
            cli_table(c, t);
        vg_table_free(t);
    }
    vg_rows_release(&rows);
    return VG_EXIT_OK;
}

static int host_show(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_host h;
    struct vg_arena ar;
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "host", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "host", "host show takes one HOSTNAME");
    vg_arena_init(&ar);
    vg_error_clear(&err);
    if ((rc = vg_inv_host_find(c->store, a.unit, c->argv[first], &h, &ar, &err))) {
        vg_arena_release(&ar);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        cli_json(c, host_json(&h));
    } else {
        char t1[32], t2[32];
        printf("host       %s\n", h.hostname);
        printf("unit       %s\n", h.unit);
        printf("role       %s\n", h.role);
        printf("os         %s%s%s\n", h.os ? h.os : "", h.os_release ? " " : "",
               h.os_release ? h.os_release : "");
        if (h.level)
            printf("level      %d\n", h.level);
        else
            printf("level      (serves no information system)\n");
        for (size_t i = 0; i < h.nsystems; i++)
            printf("system     %s (level %d)\n", h.systems[i].name, h.systems[i].level);
        for (size_t i = 0; i < h.naddrs; i++) {
            char ip[VG_IP_STRLEN];
            printf("address    %s (%s)\n", vg_ip_format(&h.addrs[i].ip, ip),
                   vg_ip_class_name(vg_ip_class(&h.addrs[i].ip)));
        }
        if (h.owner)
            printf("owner      %s\n", h.owner);
        if (h.note)
            printf("note       %s\n", h.note);
        printf("created    %s\n", cli_time(h.created_at, t1));
        printf("updated    %s\n", cli_time(h.updated_at, t2));
    }
    vg_arena_release(&ar);
    return VG_EXIT_OK;
}

static int host_rm(struct cli *c)
{
    struct args a = {.c = c};
    struct vg_error err;
    int rc, first = cli_getopt(c, 2, "host", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (c->argc - first != 1)
        return cli_usage_error(c, "host", "host rm takes one HOSTNAME");
    vg_error_clear(&err);
    if ((rc = vg_inv_host_rm(c->store, a.unit, c->argv[first], &err)))
        return cli_fail(c, rc, &err);
    cli_removed(c, "host", c->argv[first], a.unit);
    return VG_EXIT_OK;
}

static int host_import(struct cli *c)
{
    return cli_import(c, VG_INV_HOSTS, "host");
}

int cmd_host(struct cli *c)
{
    static const struct subcmd subs[] = {
        {"add", host_add}, {"list", host_list},     {"show", host_show},
        {"rm", host_rm},   {"import", host_import}, {NULL, NULL},
    };
    return cli_dispatch(c, "host", subs);
}
