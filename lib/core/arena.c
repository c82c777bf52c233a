/*
 * arena.c - bump allocator: blocks of at least 64 KiB, freed all at once.
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct vg_arena_block {
    struct vg_arena_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char mem[];
};

#define ARENA_BLOCK (64u * 1024)

void vg_arena_init(struct vg_arena *a)
{
    a->head = NULL;
}

void vg_arena_release(struct vg_arena *a)
{
    struct vg_arena_block *b = a->head;
    while (b) {
        struct vg_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

void *vg_arena_alloc(struct vg_arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    struct vg_arena_block *b = a->head;
    size_t need = (n + al - 1) & ~(al - 1);
    if (need < n)
        return NULL;
    if (!b || b->size - b->used < need) {
        size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        if (size > (size_t)-1 - sizeof *b)
            return NULL;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = size;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->mem + b->used;
    b->used += need;
    memset(p, 0, n);
    return p;
}

char *vg_arena_strndup(struct vg_arena *a, const char *s, size_t n)
{
    char *d;
    if (!s)
        return NULL;
    d = vg_arena_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *vg_arena_strdup(struct vg_arena *a, const char *s)
{
    return s ? vg_arena_strndup(a, s, strlen(s)) : NULL;
}
