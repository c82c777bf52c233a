/*
 * map.c - open-addressing hash map with copied byte-string keys.
 */
#include "core/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

uint64_t vg_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void vg_map_init(struct vg_map *m)
{
    m->ents = NULL;
    m->cap = 0;
    m->len = 0;
}

void vg_map_release(struct vg_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->ents[i].key);
    free(m->ents);
    vg_map_init(m);
}

static struct vg_map_ent *find(const struct vg_map *m, const void *key, size_t klen, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    for (;;) {
        struct vg_map_ent *e = &m->ents[i];
        if (!e->key || (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0))
            return e;
        i = (i + 1) & mask;
    }
}

union vg_map_val *vg_map_get(const struct vg_map *m, const void *key, size_t klen)
{
    struct vg_map_ent *e;
    if (!m->cap)
        return NULL;
    e = find(m, key, klen, vg_hash(key, klen));
    return e->key ? &e->val : NULL;
}

static int grow(struct vg_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    struct vg_map_ent *old = m->ents, *ne = calloc(ncap, sizeof *ne);
    size_t ocap = m->cap;
    if (!ne)
        return -1;
    m->ents = ne;
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i].key) {
            struct vg_map_ent *e = find(m, old[i].key, old[i].klen, old[i].hash);
            *e = old[i];
        }
    }
    free(old);
    return 0;
}

union vg_map_val *vg_map_put(struct vg_map *m, const void *key, size_t klen, bool *created)
{
    uint64_t h = vg_hash(key, klen);
    struct vg_map_ent *e;
    if ((m->len + 1) * 4 > m->cap * 3 && grow(m))
        return NULL;
    e = find(m, key, klen, h);
    if (e->key) {
        if (created)
            *created = false;
        return &e->val;
    }
    e->key = malloc(klen + 1);
    if (!e->key)
        return NULL;
    memcpy(e->key, key, klen);
    e->key[klen] = '\0';
    e->klen = klen;
    e->hash = h;
    e->val.i = 0;
    m->len++;
    if (created)
        *created = true;
    return &e->val;
}

union vg_map_val *vg_map_gets(const struct vg_map *m, const char *key)
{
    return vg_map_get(m, key, strlen(key));
}

union vg_map_val *vg_map_puts(struct vg_map *m, const char *key, bool *created)
{
    return vg_map_put(m, key, strlen(key), created);
}
