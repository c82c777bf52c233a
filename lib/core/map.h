/*
 * map.h - a hash map from byte-string keys to a 64-bit value or a pointer.
 *
 * Open addressing with linear probing; keys are copied into the map, values
 * are not owned. Used for the in-memory indexes that keep hot paths off
 * per-item SQL (unit and system names during an import, duplicate rows).
 */
#ifndef VG_CORE_MAP_H
#define VG_CORE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

union vg_map_val {
    int64_t i;
    void *p;
};

struct vg_map_ent {
    char *key; /* NULL: empty slot */
    size_t klen;
    uint64_t hash;
    union vg_map_val val;
};

struct vg_map {
    struct vg_map_ent *ents;
    size_t cap; /* power of two, or 0 */
    size_t len;
};

void vg_map_init(struct vg_map *m);
/* Free the keys and the table (not the values). */
void vg_map_release(struct vg_map *m);

/* Lookup; returns a pointer to the stored value (valid until the next put), or NULL. */
union vg_map_val *vg_map_get(const struct vg_map *m, const void *key, size_t klen);

/*
 * Insert or find key. *created tells whether it was new (its value is then
 * zero). Returns a pointer to the value slot, or NULL when out of memory.
 */
union vg_map_val *vg_map_put(struct vg_map *m, const void *key, size_t klen, bool *created);

/* Convenience for NUL-terminated keys. */
union vg_map_val *vg_map_gets(const struct vg_map *m, const char *key);
union vg_map_val *vg_map_puts(struct vg_map *m, const char *key, bool *created);

/* 64-bit FNV-1a-style hash with a final mix; stable across runs. */
uint64_t vg_hash(const void *p, size_t n);

#endif
