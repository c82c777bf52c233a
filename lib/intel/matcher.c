/*
 * matcher.c - the current feeds as sets in memory (IP prefixes, domains,
 * URLs; allow-lists apart), built once from the store for `vigil botnet` and
 * `vigil sweep`, then answering lookups from many threads without locks.
 *
 * For sweeping it also keeps a screen (struct vg_screen): a bit per IPv4
 * /24 that holds a listed address, and a bit per hash of the last two labels
 * of a listed domain, both also set for the hosts of listed URLs. A token
 * the screen rejects cannot be listed, which lets the sweep skip the exact
 * lookups (and the full extraction) for almost every line.
 */
#include "intel/intel.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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
    const char *last_source;
    /* The screen, and the hosts of listed URLs for its exact checks. */
    struct vg_screen screen;
    uint64_t *bits; /* one block for the three maps below, on huge pages where the kernel allows */
    size_t bits_len;
    uint64_t *v4bits, *v4l1bits, *dombits;
    struct vg_ipset *url_ip;
    struct vg_map url_host; /* lower-case host name -> 1 */
};

#define V4BITS (1u << 24)

static void setbit(uint64_t *b, uint64_t i)
{
    b[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Set bits [lo, lo + n). */
static void setrange(uint64_t *b, uint64_t lo, uint64_t n)
{
    while (n && (lo & 63)) {
        setbit(b, lo++);
        n--;
    }
    if (n >= 64) {
        memset(&b[lo >> 6], 0xff, (size_t)(n >> 6) * sizeof *b);
        lo += n & ~(uint64_t)63;
        n &= 63;
    }
    while (n--)
        setbit(b, lo++);
}

/* Screen bits for an IPv4 prefix: every /24 it covers (and every /20). */
static void screen_v4(struct vg_matcher *m, const struct vg_prefix *p)
{
    uint32_t a = (uint32_t)p->ip.a[0] << 16 | (uint32_t)p->ip.a[1] << 8 | p->ip.a[2];
    uint32_t n = p->len >= 24 ? 1 : (uint32_t)1 << (24 - p->len);
    a &= ~(n - 1);
    setrange(m->v4bits, a, n);
    setrange(m->v4l1bits, a >> 4, n >= 16 ? n >> 4 : 1);
    m->screen.any_v4 = true;
}

/*
 * An IPv6 prefix. One that covers IPv4-mapped space (::ffff:0:0/96; ::/8 of
 * a bogon list does) also lists IPv4 addresses, which are matched as IPv4.
 */
static void screen_v6(struct vg_matcher *m, const struct vg_prefix *p)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    unsigned bits = p->len < 96 ? p->len : 96;
    bool covers = true;
    m->screen.v6 = true;
    for (unsigned i = 0; i < bits && covers; i++)
        covers = ((p->ip.a[i / 8] ^ mapped[i / 8]) & (0x80 >> (i % 8))) == 0;
    if (covers) {
        struct vg_prefix v4;
        memset(&v4, 0, sizeof v4);
        v4.ip.family = 4;
        v4.len = p->len <= 96 ? 0 : (uint8_t)(p->len - 96);
        memcpy(v4.ip.a, p->ip.a + 12, 4);
        screen_v4(m, &v4);
    }
}

/* Screen bits for a domain name (lower case, no trailing dot): its last two labels. */
static void screen_name(struct vg_matcher *m, const char *name)
{
    size_t n = strlen(name), k = n, dots = 0;
    while (k > 0) {
        if (name[k - 1] == '.' && ++dots == 2)
            break;
        k--;
    }
    if (dots == 0)
        m->screen.dom1 = true;
    /* A label that starts with '-' (a name a '-' may glue to what stands before it). */
    for (size_t i = 0; i < n; i++)
        if (name[i] == '-' && (i == 0 || name[i - 1] == '.'))
            m->screen.dom_dash = true;
    setbit(m->dombits, vg_tail_hash(name + k, n - k) & (VG_SCREEN_DOM_BITS - 1));
    m->screen.any_dom = true;
}

/* The host of a normalised URL ("scheme://[userinfo@]host[:port]/..."), for the screen. */
static int screen_url(struct vg_matcher *m, const char *url)
{
    const char *h = strstr(url, "://"), *e;
    struct vg_prefix p;
    bool created;
    if (!h)
        return VG_OK;
    h += 3;
    e = h + strcspn(h, "/?#");
    for (const char *q = h; q < e; q++)
        if (*q == '@')
            h = q + 1;
    if (*h == '[') {
        const char *rb = memchr(h, ']', (size_t)(e - h));
        if (!rb || vg_prefix_parse(h + 1, (size_t)(rb - h - 1), 0, &p) != VG_OK)
            return VG_OK;
        if (p.ip.family == 4)
            screen_v4(m, &p);
        else
            screen_v6(m, &p);
        return vg_ipset_add(m->url_ip, &p, 0);
    }
    const char *c = memchr(h, ':', (size_t)(e - h));
    if (c)
        e = c;
    if (e == h)
        return VG_OK;
    if (vg_prefix_parse(h, (size_t)(e - h), 0, &p) == VG_OK) {
        if (p.ip.family == 4)
            screen_v4(m, &p);
        else
            screen_v6(m, &p);
        return vg_ipset_add(m->url_ip, &p, 0);
    }
    char name[VG_DOMAIN_MAX + 1];
    size_t n = (size_t)(e - h);
    if (n > VG_DOMAIN_MAX)
        return VG_OK;
    memcpy(name, h, n);
    name[n] = '\0';
    screen_name(m, name);
    /* The log's extractor takes a name as a domain only when its last label starts
     * with a letter; a URL is matched whatever its host: such hosts are checked at
     * each "://" of a log. */
    const char *last = strrchr(name, '.');
    last = last ? last + 1 : name;
    if (!((*last >= 'a' && *last <= 'z') || (*last >= 'A' && *last <= 'Z')))
        m->screen.url_odd = true;
    return vg_map_put(&m->url_host, name, n, &created) ? VG_OK : VG_ENOMEM;
}

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
    /* Rows come by source: one copy of each source's name. */
    if (!m->last_source || strcmp(m->last_source, source) != 0)
        m->last_source = vg_arena_strdup(&m->a, source);
    l->source = m->last_source;
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
    if (p.ip.family == 4)
        screen_v4(m, &p);
    else
        screen_v6(m, &p);
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
    rc = vg_domainset_add(m->dom, r->value, idx);
    if (rc == VG_OK) {
        m->ndom++;
        screen_name(m, r->value);
    }
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
    m->screen.url = true;
    return screen_url(m, r->value);
}

int vg_matcher_empty(struct vg_matcher **out)
{
    struct vg_matcher *m = calloc(1, sizeof *m);
    *out = NULL;
    if (!m)
        return VG_ENOMEM;
    vg_arena_init(&m->a);
    vg_map_init(&m->urls);
    vg_map_init(&m->urls_allow);
    vg_map_init(&m->url_host);
    m->ip = vg_ipset_new();
    m->ip_allow = vg_ipset_new();
    m->url_ip = vg_ipset_new();
    m->dom = vg_domainset_new();
    m->dom_allow = vg_domainset_new();
    /* The screen's maps are read at random for every address of a log: on 4 KiB pages
     * each read would also miss the TLB. */
    m->bits_len = (V4BITS + V4BITS / 16 + VG_SCREEN_DOM_BITS) / 8;
    m->bits = mmap(NULL, m->bits_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m->bits == MAP_FAILED) {
        m->bits = NULL;
    } else {
#ifdef MADV_HUGEPAGE
        madvise(m->bits, m->bits_len, MADV_HUGEPAGE);
#endif
        m->v4bits = m->bits;
        m->v4l1bits = m->v4bits + V4BITS / 64;
        m->dombits = m->v4l1bits + V4BITS / 16 / 64;
    }
    if (!m->ip || !m->ip_allow || !m->url_ip || !m->dom || !m->dom_allow || !m->bits) {
        vg_matcher_free(m);
        return VG_ENOMEM;
    }
    m->screen.v4 = m->v4bits;
    m->screen.v4l1 = m->v4l1bits;
    m->screen.dom = m->dombits;
    *out = m;
    return VG_OK;
}

int vg_matcher_add(struct vg_matcher *m, const char *type, const char *value, const char *source,
                   bool allow)
{
    struct vg_ioc_row r;
    const char *kind = allow ? "allow" : "block";
    memset(&r, 0, sizeof r);
    r.type = type;
    r.value = value;
    if (!value || !source)
        return VG_EINVAL;
    if (strcmp(type, "ip") == 0)
        return load_ip(m, &r, source, kind, 0);
    if (strcmp(type, "domain") == 0)
        return load_domain(m, &r, source, kind, 0);
    if (strcmp(type, "url") == 0)
        return load_url(m, &r, source, kind, 0);
    return VG_EINVAL;
}

int vg_matcher_build(struct vg_matcher *m)
{
    int rc;
    if ((rc = vg_ipset_build(m->ip)) || (rc = vg_ipset_build(m->ip_allow)) ||
        (rc = vg_ipset_build(m->url_ip)))
        return rc;
    return VG_OK;
}

int vg_matcher_new(struct vg_store *s, int mask, struct vg_matcher **out, struct vg_error *err)
{
    struct vg_matcher *m;
    int rc;
    *out = NULL;
    if ((rc = vg_matcher_empty(&m)))
        return vg_error_set(err, rc, "out of memory");
    if (((mask & VG_MATCH_IP) && (rc = vg_store_ioc_current(s, "ip", load_ip, m, err))) ||
        ((mask & VG_MATCH_DOMAIN) &&
         (rc = vg_store_ioc_current(s, "domain", load_domain, m, err))) ||
        ((mask & VG_MATCH_URL) && (rc = vg_store_ioc_current(s, "url", load_url, m, err)))) {
        if (err && !err->msg[0])
            vg_error_set(err, rc, "cannot load the indicators: %s", vg_strerror(rc));
        goto out;
    }
    if ((rc = vg_matcher_build(m)))
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
    vg_ipset_free(m->url_ip);
    vg_map_release(&m->url_host);
    if (m->bits)
        munmap(m->bits, m->bits_len);
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

const struct vg_screen *vg_matcher_screen(const struct vg_matcher *m)
{
    return &m->screen;
}

bool vg_matcher_maybe_ip(const struct vg_matcher *m, const struct vg_ip *ip)
{
    return vg_matcher_ip(m, ip) != NULL || vg_ipset_lookup(m->url_ip, ip, NULL);
}

bool vg_matcher_maybe_name(const struct vg_matcher *m, const char *name, size_t n)
{
    char buf[VG_DOMAIN_MAX + 1];
    if (n > 0 && name[n - 1] == '.')
        n--;
    /* A listed name is at most 253 bytes: a longer one can only match by a parent. */
    while (n > VG_DOMAIN_MAX) {
        const char *dot = memchr(name, '.', n);
        if (!dot)
            return false;
        n -= (size_t)(dot + 1 - name);
        name = dot + 1;
    }
    if (n == 0)
        return false;
    if (vg_matcher_domain(m, name, n))
        return true;
    if (!m->nurl)
        return false;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + ('a' - 'A') : name[i]);
    return vg_map_get(&m->url_host, buf, n) != NULL;
}
