/*
 * arena.h - a bump allocator for results that are freed together (the rows
 * of a list and their strings). Individual allocations are never freed.
 */
#ifndef VG_CORE_ARENA_H
#define VG_CORE_ARENA_H

#include <stddef.h>

struct vg_arena_block;

struct vg_arena {
    struct vg_arena_block *head;
};

void vg_arena_init(struct vg_arena *a);
/* Free every block; a is left empty and reusable. */
void vg_arena_release(struct vg_arena *a);

/* n bytes aligned for any type, zeroed; NULL when out of memory. */
void *vg_arena_alloc(struct vg_arena *a, size_t n);
/* Copies into the arena; NULL in gives NULL out. */
char *vg_arena_strdup(struct vg_arena *a, const char *s);
char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n);

#endif
