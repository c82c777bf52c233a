/*
 * botnet.c - `vigil botnet`: which hosts and units of the inventory are on
 * the current IP feeds (the national CERT's monthly botnet list first of
 * all), in the order the duty team should sweep them.
 *
 * The feeds become two prefix sets in memory (block and allow), built once;
 * every host address and every unit netblock is looked up; each match is a
 * finding, upserted so that re-runs only move last_seen.
 */
#include "intel/intel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/map.h"
#include "core/banned.h"

/* Sweep order: security level from 5 down, then the most recent listing, then names. */
static int cmp_hits(const void *a, const void *b)
{
    const struct vg_botnet_hit *x = a, *y = b;
    if (x->level != y->level)
        return x->level > y->level ? -1 : 1;
    if (x->seen != y->seen)
        return x->seen > y->seen ? -1 : 1;
    int d = strcmp(x->unit ? x->unit : "", y->unit ? y->unit : "");
    if (d)
        return d;
    return strcmp(x->host ? x->host : "", y->host ? y->host : "");
}

static int hit(struct vg_rows *out, const struct vg_listing *l, const struct vg_ip *ip,
               int64_t unit_id, const char *unit, int64_t host_id, const char *host, int level)
{
    struct vg_botnet_hit *h = vg_rows_push(out, sizeof *h);
    if (!h)
        return VG_ENOMEM;
    h->on_unit = host_id == 0;
    h->unit_id = unit_id;
    h->unit = vg_arena_strdup(&out->arena, unit);
    h->host_id = host_id;
    h->host = host ? vg_arena_strdup(&out->arena, host) : NULL;
    h->addr = *ip;
    h->indicator = vg_arena_strdup(&out->arena, l->value);
    h->source = vg_arena_strdup(&out->arena, l->source);
    h->family = l->family ? vg_arena_strdup(&out->arena, l->family) : NULL;
    h->issued = l->issued;
    h->seen = l->seen;
    h->level = level;
    return VG_OK;
}

static int cmp_host_priority(const void *a, const void *b)
{
    const struct vg_host *x = *(const struct vg_host *const *)a;
    const struct vg_host *y = *(const struct vg_host *const *)b;
    bool xs = strcmp(x->role, "server") == 0, ys = strcmp(y->role, "server") == 0;
    if (xs != ys)
        return xs ? -1 : 1;
    if (x->level != y->level)
        return x->level > y->level ? -1 : 1;
    return strcmp(x->hostname, y->hostname);
}

#define SWEEP_MAX 20

int vg_botnet_run(struct vg_store *s, bool dry_run, struct vg_rows *out, struct vg_error *err)
{
    struct vg_matcher *m = NULL;
    struct vg_rows hosts, nets, systems;
    struct vg_map held, unit_level; /* "unit\0ip" -> 1; unit id -> level */
    int rc = VG_OK;
    time_t now;
    vg_rows_init(&hosts);
    vg_rows_init(&nets);
    vg_rows_init(&systems);
    vg_map_init(&held);
    vg_map_init(&unit_level);
    VG_TRY(vg_matcher_new(s, VG_MATCH_IP, &m, err));
    VG_TRY(vg_store_host_list(s, NULL, &hosts, err));
    VG_TRY(vg_store_netblock_list(s, NULL, &nets, err));
    VG_TRY(vg_store_system_list(s, NULL, &systems, err));
    for (size_t i = 0; i < systems.n; i++) {
        struct vg_system *y = VG_ROW(&systems, struct vg_system, i);
        union vg_map_val *v = vg_map_put(&unit_level, &y->unit_id, sizeof y->unit_id, NULL);
        if (!v)
            goto nomem;
        if (y->level > v->i)
            v->i = y->level;
    }

    /* Hosts: each of their addresses. */
    for (size_t i = 0; i < hosts.n; i++) {
        struct vg_host *h = VG_ROW(&hosts, struct vg_host, i);
        for (size_t j = 0; j < h->naddrs; j++) {
            char key[300], ip[VG_IP_STRLEN];
            int kl = snprintf(key, sizeof key, "%lld/%s", (long long)h->unit_id,
                              vg_ip_format(&h->addrs[j].ip, ip));
            if (kl > 0 && !vg_map_put(&held, key, (size_t)kl, NULL))
                goto nomem;
            const struct vg_listing *l = vg_matcher_ip(m, &h->addrs[j].ip);
            if (l && (rc = hit(out, l, &h->addrs[j].ip, h->unit_id, h->unit, h->id, h->hostname,
                               h->level)))
                goto nomem;
        }
    }
    /* Units: the addresses of their netblocks that no host of theirs holds. */
    for (size_t i = 0; i < nets.n; i++) {
        struct vg_netblock *nb = VG_ROW(&nets, struct vg_netblock, i);
        unsigned bits = nb->prefix.ip.family == 4 ? 32 : 128;
        uint64_t count = bits - nb->prefix.len <= 8 ? (uint64_t)1 << (bits - nb->prefix.len) : 1;
        for (uint64_t k = 0; k < count; k++) {
            struct vg_ip ip = nb->prefix.ip;
            char key[300], text[VG_IP_STRLEN];
            /* Add k to the address (at most 256 of them: the low byte suffices with carry). */
            unsigned last = bits / 8 - 1, sum = ip.a[last] + (unsigned)k;
            ip.a[last] = (uint8_t)sum;
            if (sum > 255)
                ip.a[last - 1] = (uint8_t)(ip.a[last - 1] + 1);
            int kl = snprintf(key, sizeof key, "%lld/%s", (long long)nb->unit_id,
                              vg_ip_format(&ip, text));
            if (kl > 0 && vg_map_get(&held, key, (size_t)kl))
                continue; /* a host's finding says it */
            const struct vg_listing *l = vg_matcher_ip(m, &ip);
            if (!l)
                continue;
            union vg_map_val *lv = vg_map_get(&unit_level, &nb->unit_id, sizeof nb->unit_id);
            if ((rc = hit(out, l, &ip, nb->unit_id, nb->unit, 0, NULL, lv ? (int)lv->i : 0)))
                goto nomem;
            /* The unit's hosts to sweep: servers first, highest level first. */
            struct vg_botnet_hit *x = VG_ROW(out, struct vg_botnet_hit, out->n - 1);
            const struct vg_host **mine = vg_arena_alloc(&out->arena, hosts.n * sizeof *mine + 1);
            size_t nm = 0;
            if (!mine)
                goto nomem;
            for (size_t j = 0; j < hosts.n; j++)
                if (VG_ROW(&hosts, struct vg_host, j)->unit_id == nb->unit_id)
                    mine[nm++] = VG_ROW(&hosts, struct vg_host, j);
            qsort(mine, nm, sizeof *mine, cmp_host_priority);
            x->nsweep = nm;
            x->sweep =
                vg_arena_alloc(&out->arena, (nm < SWEEP_MAX ? nm : SWEEP_MAX) * sizeof(char *) + 1);
            if (!x->sweep)
                goto nomem;
            for (size_t j = 0; j < nm && j < SWEEP_MAX; j++)
                x->sweep[j] = vg_arena_strdup(&out->arena, mine[j]->hostname);
        }
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(struct vg_botnet_hit), cmp_hits);

    /* Record: the run in the audit, then each finding seen at the run's time. */
    char detail[128];
    size_t nips, ndom, nurl;
    vg_matcher_counts(m, &nips, &ndom, &nurl);
    snprintf(detail, sizeof detail, "{\"listed\":%zu,\"indicators\":%zu}", out->n, nips);
    VG_TRY(vg_store_begin(s, err));
    VG_TRY(vg_store_audit(s, "botnet.run", "inventory", detail, err));
    VG_TRY(vg_store_audit_last(s, "botnet.run", &now, err));
    for (size_t i = 0; i < out->n; i++) {
        struct vg_botnet_hit *h = VG_ROW(out, struct vg_botnet_hit, i);
        char key[320], ip[VG_IP_STRLEN], *text;
        json_t *d = json_object();
        struct vg_finding f = {0};
        bool created;
        vg_ip_format(&h->addr, ip);
        snprintf(key, sizeof key, "%s:%lld:%s", h->on_unit ? "unit" : "host",
                 (long long)(h->on_unit ? h->unit_id : h->host_id), ip);
        vg_json_set(d, "address", json_string(ip));
        vg_json_set(d, "indicator", vg_json_str(h->indicator));
        vg_json_set(d, "feed", vg_json_str(h->source));
        vg_json_set(d, "family", vg_json_str(h->family));
        vg_json_set(d, "issued", vg_json_time(h->issued));
        vg_json_set(d, "seen", vg_json_time(h->seen));
        text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(d);
        f.kind = "botnet";
        f.key = key;
        f.unit_id = h->unit_id;
        f.host_id = h->host_id;
        f.detail = text;
        f.last_seen = now;
        rc = vg_store_finding_upsert(s, &f, &created, err);
        free(text);
        if (rc)
            goto out;
        h->finding_id = f.id;
        h->new_finding = created;
        h->first_seen = f.first_seen;
    }
    if (dry_run)
        vg_store_rollback(s);
    else
        VG_TRY(vg_store_commit(s, err));
    goto out;
nomem:
    rc = vg_error_set(err, VG_ENOMEM, "out of memory");
out:
    if (vg_store_in_tx(s))
        vg_store_rollback(s);
    vg_matcher_free(m);
    vg_map_release(&held);
    vg_map_release(&unit_level);
    vg_rows_release(&hosts);
    vg_rows_release(&nets);
    vg_rows_release(&systems);
    return rc;
}

int vg_botnet_count(struct vg_store *s, int64_t *listed, time_t *at, struct vg_error *err)
{
    /* The last run wrote its count into its audit record: exact, even for runs a second apart. */
    struct vg_audit_filter f = {.action = "botnet.run", .limit = 1};
    struct vg_rows rows;
    int rc;
    *listed = 0;
    *at = 0;
    vg_rows_init(&rows);
    rc = vg_store_audit_list(s, &f, &rows, err);
    if (rc == VG_OK && rows.n) {
        struct vg_audit *a = VG_ROW(&rows, struct vg_audit, 0);
        json_t *d = a->detail ? json_loads(a->detail, 0, NULL) : NULL;
        *at = a->at;
        *listed = (int64_t)json_integer_value(json_object_get(d, "listed"));
        json_decref(d);
    }
    vg_rows_release(&rows);
    return rc;
}
