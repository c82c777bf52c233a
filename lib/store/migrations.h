/*
 * migrations.h - the numbered, forward-only schema migrations (internal to
 * lib/store/).
 */
#ifndef VG_STORE_MIGRATIONS_H
#define VG_STORE_MIGRATIONS_H

#include <stddef.h>

struct vg_migration {
    int version;
    const char *what;
    const char *sql;
};

/* In order of version, starting at 1, without gaps. */
extern const struct vg_migration vg_migrations[];
extern const size_t vg_nmigrations;

#endif
