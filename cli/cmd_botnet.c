/*
 * cmd_botnet.c - `vigil botnet`: the hosts and units on the current IP
 * feeds, in the order to sweep them. Exit 1 when any is listed.
 */
#include "cli.h"

#include <string.h>

#include "core/json.h"
#include "intel/intel.h"
#include "core/banned.h"

static int on_opt(int opt, const char *arg, void *ctx)
{
    (void)arg;
    if (opt == 'n') {
        *(bool *)ctx = true;
        return 0;
    }
    return -1;
}

int cmd_botnet(struct cli *c)
{
    static const struct option lo[] = {{"dry-run", no_argument, NULL, 'n'}, {NULL, 0, NULL, 0}};
    struct vg_rows hits;
    struct vg_error err;
    bool dry = false;
    int rc, first = cli_getopt(c, 1, "botnet", lo, "", on_opt, &dry);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first < c->argc)
        return cli_usage_error(c, "botnet", "botnet takes no arguments");
    vg_rows_init(&hits);
    vg_error_clear(&err);
    if ((rc = vg_botnet_run(c->store, dry, &hits, &err))) {
        vg_rows_release(&hits);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < hits.n; i++) {
            struct vg_botnet_hit *h = VG_ROW(&hits, struct vg_botnet_hit, i);
            char ip[VG_IP_STRLEN];
            json_t *o = json_object(), *sw = json_array();
            vg_json_set(o, "level", h->level ? vg_json_int(h->level) : json_null());
            vg_json_set(o, "target", json_string(h->on_unit ? "unit" : "host"));
            vg_json_set(o, "unit", vg_json_str(h->unit));
            vg_json_set(o, "host", vg_json_str(h->host));
            vg_json_set(o, "address", json_string(vg_ip_format(&h->addr, ip)));
            vg_json_set(o, "indicator", vg_json_str(h->indicator));
            vg_json_set(o, "feed", vg_json_str(h->source));
            vg_json_set(o, "family", vg_json_str(h->family));
            vg_json_set(o, "issued", vg_json_time(h->issued));
            vg_json_set(o, "seen", vg_json_time(h->seen));
            vg_json_set(o, "finding", vg_json_int(h->finding_id));
            vg_json_set(o, "new", json_boolean(h->new_finding));
            vg_json_set(o, "first_seen", vg_json_time(h->first_seen));
            for (size_t j = 0; h->on_unit && j < h->nsweep && j < 20; j++)
                json_array_append_new(sw, vg_json_str(h->sweep[j]));
            vg_json_set(o, "sweep", sw);
            vg_json_set(o, "sweep_total", vg_json_int((int64_t)h->nsweep));
            json_array_append_new(arr, o);
        }
        cli_json(c, arr);
    } else {
        const char *hd[] = {"level", "unit",   "host", "address", "listed as",
                            "feed",  "family", "seen", "new"};
        struct vg_table *t = vg_table_new(9, hd);
        for (size_t i = 0; t && i < hits.n; i++) {
            struct vg_botnet_hit *h = VG_ROW(&hits, struct vg_botnet_hit, i);
            char lvl[8] = "", ip[VG_IP_STRLEN], when[32], who[256];
            if (h->level)
                snprintf(lvl, sizeof lvl, "%d", h->level);
            if (h->on_unit)
                snprintf(who, sizeof who, "(unit: sweep %zu host%s)", h->nsweep,
                         h->nsweep == 1 ? "" : "s");
            const char *cells[] = {lvl,
                                   h->unit,
                                   h->on_unit ? who : h->host,
                                   vg_ip_format(&h->addr, ip),
                                   h->indicator,
                                   h->source,
                                   h->family,
                                   cli_time(h->seen, when),
                                   h->new_finding ? "new" : ""};
            vg_table_add(t, cells);
        }
        if (t && hits.n)
            cli_table(c, t);
        vg_table_free(t);
        if (!c->csv) {
            for (size_t i = 0; i < hits.n; i++) {
                struct vg_botnet_hit *h = VG_ROW(&hits, struct vg_botnet_hit, i);
                char ip[VG_IP_STRLEN];
                if (!h->on_unit || !h->nsweep)
                    continue;
                printf("\nunit %s sits behind %s: sweep its hosts, servers and higher levels "
                       "first:\n ",
                       h->unit, vg_ip_format(&h->addr, ip));
                for (size_t j = 0; j < h->nsweep && j < 20; j++)
                    printf(" %s", h->sweep[j]);
                if (h->nsweep > 20)
                    printf(" ... (%zu more: vigil host list --unit %s)", h->nsweep - 20, h->unit);
                putchar('\n');
            }
            if (!c->quiet)
                fprintf(stderr, "vigil: %zu host%s or unit%s on the current feeds%s\n", hits.n,
                        hits.n == 1 ? "" : "s", hits.n == 1 ? "" : "s",
                        dry ? " (dry run: no finding recorded)" : "");
        }
    }
    size_t n = hits.n;
    vg_rows_release(&hits);
    return n ? VG_EXIT_FOUND : VG_EXIT_OK;
}
