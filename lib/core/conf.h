/*
 * conf.h - the INI configuration file (vigil.conf): `key = value` lines,
 * `[section]` headers (keys then read as "section.key"), `#` and `;`
 * comments on their own line. The front loads it explicitly; the library
 * never reads it behind the caller's back.
 */
#ifndef VG_CORE_CONF_H
#define VG_CORE_CONF_H

#include <stddef.h>

#include "core/err.h"

struct vg_conf_item {
    char *key;
    char *value;
    size_t line;
};

struct vg_conf {
    char *path; /* file it came from, or NULL */
    struct vg_conf_item *items;
    size_t n;
};

void vg_conf_init(struct vg_conf *c);
void vg_conf_release(struct vg_conf *c);

/*
 * Load path into c (which must be initialised). A missing file is VG_ENOTFOUND
 * with c left empty; a syntax error is VG_EPARSE naming path:line.
 * Later duplicates of a key win.
 */
int vg_conf_load(struct vg_conf *c, const char *path, struct vg_error *err);

/* The value of key, or NULL (borrowed). */
const char *vg_conf_get(const struct vg_conf *c, const char *key);

/* The line of key's setting (0 if unset), for messages. */
size_t vg_conf_line(const struct vg_conf *c, const char *key);

#endif
