/*
 * cmd_status.c - `vigil status`: the site overview.
 */
#include "cli.h"

#include <time.h>

#include "core/json.h"
#include "intel/intel.h"
#include "inventory/inventory.h"
#include "core/banned.h"

int cmd_status(struct cli *c)
{
    struct vg_overview o;
    struct vg_error err;
    const struct vg_counts *k = &o.counts;
    int rc;
    if (c->argc > 1)
        return cli_usage_error(c, "status", "status takes no arguments");
    vg_error_clear(&err);
    if ((rc = vg_inv_overview(c->store, time(NULL), &o, &err)))
        return cli_fail(c, rc, &err);
    int64_t listed = 0;
    time_t botnet_at = 0;
    if ((rc = vg_botnet_count(c->store, &listed, &botnet_at, &err))) {
        vg_overview_release(&o);
        return cli_fail(c, rc, &err);
    }
    if (c->json) {
        json_t *j = json_object(), *sys = json_object(), *hosts = json_object();
        json_t *sl = json_object(), *hl = json_object();
        vg_json_set(j, "store", vg_json_str(vg_store_path(c->store)));
        vg_json_set(j, "schema", vg_json_int(vg_store_schema_version(c->store)));
        vg_json_set(j, "units", vg_json_int(k->units));
        for (int l = 5; l >= 1; l--) {
            char key[4];
            snprintf(key, sizeof key, "%d", l);
            vg_json_set(sl, key, vg_json_int(k->systems_by_level[l]));
            vg_json_set(hl, key, vg_json_int(k->hosts_by_level[l]));
        }
        vg_json_set(hl, "none", vg_json_int(k->hosts_by_level[0]));
        vg_json_set(sys, "total", vg_json_int(k->systems));
        vg_json_set(sys, "by_level", sl);
        vg_json_set(j, "systems", sys);
        vg_json_set(hosts, "total", vg_json_int(k->hosts));
        vg_json_set(hosts, "servers", vg_json_int(k->servers));
        vg_json_set(hosts, "workstations", vg_json_int(k->workstations));
        vg_json_set(hosts, "by_level", hl);
        vg_json_set(j, "hosts", hosts);
        vg_json_set(j, "addresses", vg_json_int(k->addrs));
        vg_json_set(j, "public_addresses", vg_json_int(k->public_addrs));
        vg_json_set(j, "netblocks", vg_json_int(k->netblocks));
        vg_json_set(j, "contacts", vg_json_int(k->contacts));
        json_t *bn = json_object();
        vg_json_set(bn, "listed", vg_json_int(listed));
        vg_json_set(bn, "checked", vg_json_time(botnet_at));
        vg_json_set(j, "botnet", bn);
        vg_json_set(j, "duty", cli_duty_now_json(&o));
        cli_json(c, j);
    } else {
        printf("vigil site overview (store %s)\n\n", vg_store_path(c->store));
        printf("  units         %6lld\n", (long long)k->units);
        printf("  systems       %6lld   by level: 5: %lld  4: %lld  3: %lld  2: %lld  1: %lld\n",
               (long long)k->systems, (long long)k->systems_by_level[5],
               (long long)k->systems_by_level[4], (long long)k->systems_by_level[3],
               (long long)k->systems_by_level[2], (long long)k->systems_by_level[1]);
        printf("  hosts         %6lld   %lld servers, %lld workstations\n", (long long)k->hosts,
               (long long)k->servers, (long long)k->workstations);
        printf("                         by highest level served: 5: %lld  4: %lld  3: %lld  "
               "2: %lld  1: %lld  none: %lld\n",
               (long long)k->hosts_by_level[5], (long long)k->hosts_by_level[4],
               (long long)k->hosts_by_level[3], (long long)k->hosts_by_level[2],
               (long long)k->hosts_by_level[1], (long long)k->hosts_by_level[0]);
        printf("  addresses     %6lld   %lld public\n", (long long)k->addrs,
               (long long)k->public_addrs);
        printf("  netblocks     %6lld\n", (long long)k->netblocks);
        printf("  contacts      %6lld\n", (long long)k->contacts);
        if (botnet_at) {
            char when[32];
            printf("  botnet        %6lld   hosts and units on the feeds at the last check (%s)\n",
                   (long long)listed, cli_time(botnet_at, when));
        } else {
            printf("  botnet             -   not checked yet: vigil botnet\n");
        }
        putchar('\n');
        cli_print_duty_now(c, &o);
    }
    vg_overview_release(&o);
    return VG_EXIT_OK;
}
