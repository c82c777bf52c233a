/*
 * matcher.c - the current feeds as sets in memory (IP prefixes, domains,
 * URLs; allow-lists apart), built once from the store for `vigil botnet` and
 * `vigil sweep`, then answering lookups from many threads without locks.
 */
#include "intel/intel.h"

#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/banned.h"

struct vg_matcher {
    struct vg_ipset *ip, *ip_allow;
    struct vg_domainset *dom, *dom_allow;
    struct vg_map urls, urls_allow; /* normalised URL -> listing index */
    struct vg_listing *list;
    size_t n, cap;
    size_t nip, ndom, nurl;
    struct vg_arena a;
};

static int add_listing(struct vg_matcher *m, const struct vg_ioc_row *r, const char *source,
                       time_t issued, uint32_t *idx)
{
    if (m->n == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        struct vg_listing *nl = realloc(m->list, ncap * sizeof *nl);
        if (!nl)
            return VG_ENOMEM;
        m->list = nl;
        m->cap = ncap;
    }
    struct vg_listing *l = &m->list[m->n];
    l->value = vg_arena_strdup(&m->a, r->value);
    l->source = vg_arena_strdup(&m->a, source);
    l->family = r->family ? vg_arena_strdup(&m->a, r->family) : NULL;
    l->issued = issued;
    l->seen = r->last_seen ? r->last_seen : r->first_seen ? r->first_seen : issued;
    if (!l->value || !l->source)
        return VG_ENOMEM;
    *idx = (uint32_t)m->n++;
    return VG_OK;
}

static int load_ip(void *ctx, const struct vg_ioc_row *r, const char *source, const char *kind,
                   time_t issued)
{
    struct vg_matcher *m = ctx;
    struct vg_prefix p;
    uint32_t idx;
    int rc;
    if (!r->value || vg_prefix_parse(r->value, strlen(r->value), 0, &p) != VG_OK)
        return VG_OK; /* not an address: nothing to match */
    if (strcmp(kind, "allow") == 0)
        return vg_ipset_add(m->ip_allow, &p, 0);
    if ((rc = add_listing(m, r, source, issued, &idx)))
        return rc;
    m->nip++;
    return vg_ipset_add(m->ip, &p, idx);
}

static int load_domain(void *ctx, const struct vg_ioc_row *r, const char *source,
                       const char *kind, time_t issued)
{
    struct vg_matcher *m = ctx;
    uint32_t idx;
    int rc;
    if (strcmp(kind, "allow") == 0)
        return vg_domainset_add(m->dom_allow, r->value, 0) == VG_ENOMEM ? VG_ENOMEM : VG_OK;
    if ((rc = add_listing(m, r, source, issued, &idx)))
        return rc;
    m->ndom++;
    rc = vg_domainset_add(m->dom, r->value, idx);
    return rc == VG_ENOMEM ? rc : VG_OK;
}

static int load_url(void *ctx, const struct vg_ioc_row *r, const char *source, const char *kind,
                    time_t issued)
{
    struct vg_matcher *m = ctx;
    union vg_map_val *v;
    uint32_t idx;
    int rc;
    if (strcmp(kind, "allow") == 0)
        return vg_map_puts(&m->urls_allow, r->value, NULL) ? VG_OK : VG_ENOMEM;
    if ((rc = add_listing(m, r, source, issued, &idx)))
        return rc;
    if (!(v = vg_map_puts(&m->urls, r->value, NULL)))
        return VG_ENOMEM;
    v->i = idx;
    m->nurl++;
    return VG_OK;
}

int vg_matcher_new(struct vg_store *s, int mask, struct vg_matcher **out, struct vg_error *err)
{
    struct vg_matcher *m = calloc(1, sizeof *m);
    int rc = VG_OK;
    *out = NULL;
    if (!m)
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    vg_arena_init(&m->a);
    vg_map_init(&m->urls);
    vg_map_init(&m->urls_allow);
    m->ip = vg_ipset_new();
    m->ip_allow = vg_ipset_new();
    m->dom = vg_domainset_new();
    m->dom_allow = vg_domainset_new();
    if (!m->ip || !m->ip_allow || !m->dom || !m->dom_allow) {
        rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    if (((mask & VG_MATCH_IP) && (rc = vg_store_ioc_current(s, "ip", load_ip, m, err))) ||
        ((mask & VG_MATCH_DOMAIN) &&
         (rc = vg_store_ioc_current(s, "domain", load_domain, m, err))) ||
        ((mask & VG_MATCH_URL) && (rc = vg_store_ioc_current(s, "url", load_url, m, err)))) {
        if (err && !err->msg[0])
            vg_error_set(err, rc, "cannot load the indicators: %s", vg_strerror(rc));
        goto out;
    }
    if ((rc = vg_ipset_build(m->ip)) || (rc = vg_ipset_build(m->ip_allow)))
        rc = vg_error_set(err, rc, "cannot build the address set: %s", vg_strerror(rc));
out:
    if (rc) {
        vg_matcher_free(m);
        return rc;
    }
    *out = m;
    return VG_OK;
}

void vg_matcher_free(struct vg_matcher *m)
{
    if (!m)
        return;
    vg_ipset_free(m->ip);
    vg_ipset_free(m->ip_allow);
    vg_domainset_free(m->dom);
    vg_domainset_free(m->dom_allow);
    vg_map_release(&m->urls);
    vg_map_release(&m->urls_allow);
    free(m->list);
    vg_arena_release(&m->a);
    free(m);
}

void vg_matcher_counts(const struct vg_matcher *m, size_t *ips, size_t *domains, size_t *urls)
{
    *ips = m->nip;
    *domains = m->ndom;
    *urls = m->nurl;
}

const struct vg_listing *vg_matcher_ip(const struct vg_matcher *m, const struct vg_ip *ip)
{
    uint32_t v;
    if (!vg_ipset_lookup(m->ip, ip, &v) || vg_ipset_lookup(m->ip_allow, ip, NULL))
        return NULL;
    return &m->list[v];
}

const struct vg_listing *vg_matcher_domain(const struct vg_matcher *m, const char *name, size_t n)
{
    uint32_t v;
    if (!m->ndom || !vg_domainset_lookup(m->dom, name, n, &v) ||
        vg_domainset_lookup(m->dom_allow, name, n, NULL))
        return NULL;
    return &m->list[v];
}

const struct vg_listing *vg_matcher_url(const struct vg_matcher *m, const char *url, size_t n)
{
    char *norm = NULL;
    const struct vg_listing *l = NULL;
    if (!m->nurl || vg_url_normalize(url, n, &norm) != VG_OK)
        return NULL;
    union vg_map_val *u = vg_map_gets(&m->urls, norm);
    if (u && !vg_map_gets(&m->urls_allow, norm))
        l = &m->list[u->i];
    free(norm);
    return l;
}
