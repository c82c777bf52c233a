/*
 * domainset.c - sets of domain names, where a listed domain matches itself
 * and every name below it. A hash of the normalised names; a lookup hashes
 * the name, then each parent domain, so the most specific listed one wins.
 * Read-only after the adds, so lookups need no locks.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "intel/intel.h"

#include "core/banned.h"

struct vg_domainset {
    struct vg_map names; /* normalised name -> value */
};

struct vg_domainset *vg_domainset_new(void)
{
    struct vg_domainset *s = calloc(1, sizeof *s);
    if (s)
        vg_map_init(&s->names);
    return s;
}

void vg_domainset_free(struct vg_domainset *s)
{
    if (!s)
        return;
    vg_map_release(&s->names);
    free(s);
}

/*
 * Lower-case name[0..n) into out[VG_DOMAIN_MAX + 1] without a trailing dot.
 * Returns the length, or 0 if nothing is left or the name is too long.
 */
static size_t fold(const char *name, size_t n, char *out)
{
    if (n > 0 && name[n - 1] == '.')
        n--;
    if (n == 0 || n > VG_DOMAIN_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    out[n] = '\0';
    return n;
}

/*
 * VG_OK, VG_EINVAL for an empty or over-long name, or VG_ENOMEM. Names are
 * meant to come normalised; they are lower-cased and a trailing dot dropped
 * here as well, so that what was added is what a lookup finds. Adding a name
 * again replaces its value.
 */
int vg_domainset_add(struct vg_domainset *s, const char *domain, uint32_t value)
{
    char key[VG_DOMAIN_MAX + 1];
    size_t n;
    bool created;
    union vg_map_val *v;
    if (!s || !domain)
        return VG_EINVAL;
    n = fold(domain, strlen(domain), key);
    if (n == 0)
        return VG_EINVAL;
    v = vg_map_put(&s->names, key, n, &created);
    if (!v)
        return VG_ENOMEM;
    v->i = value;
    return VG_OK;
}

bool vg_domainset_lookup(const struct vg_domainset *s, const char *name, size_t n, uint32_t *value)
{
    char buf[VG_DOMAIN_MAX + 1];
    if (!s || !name || s->names.len == 0)
        return false;
    n = fold(name, n, buf);
    if (n == 0)
        return false;
    for (size_t i = 0; i < n;) {
        union vg_map_val *v = vg_map_get(&s->names, buf + i, n - i);
        if (v) {
            if (value)
                *value = (uint32_t)v->i;
            return true;
        }
        const char *dot = memchr(buf + i, '.', n - i);
        if (!dot)
            break;
        i = (size_t)(dot - buf) + 1;
    }
    return false;
}

/* The number of distinct names held (adding a name again does not count). */
size_t vg_domainset_count(const struct vg_domainset *s)
{
    return s ? s->names.len : 0;
}
