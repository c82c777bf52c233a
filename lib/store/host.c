/*
 * host.c - hosts (servers and workstations), their addresses and the
 * information systems they serve.
 */
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* A host's level is the highest of its live systems': one grouped pass, not a subquery per host. */
#define HOST_COLS                                                                                  \
    "h.id, h.unit_id, u.name, h.hostname, h.role, h.os, h.os_release, h.owner_id, c.name, "        \
    "h.note, h.created_at, h.updated_at, coalesce(l.lvl, 0) AS lvl "                               \
    "FROM host h JOIN unit u ON u.id = h.unit_id LEFT JOIN contact c ON c.id = h.owner_id AND "    \
    "c.deleted_at IS NULL "                                                                        \
    "LEFT JOIN (SELECT hs.host_id AS host_id, max(y.level) AS lvl FROM host_system hs "            \
    " JOIN system y ON y.id = hs.system_id AND y.deleted_at IS NULL GROUP BY hs.host_id) l "       \
    " ON l.host_id = h.id "

/* The same columns for one host: a correlated subquery reads only its own systems. */
#define HOST_COLS_ONE                                                                              \
    "h.id, h.unit_id, u.name, h.hostname, h.role, h.os, h.os_release, h.owner_id, c.name, "        \
    "h.note, h.created_at, h.updated_at, "                                                         \
    "coalesce((SELECT max(y.level) FROM host_system hs JOIN system y ON y.id = hs.system_id "      \
    " AND y.deleted_at IS NULL WHERE hs.host_id = h.id), 0) AS lvl "                               \
    "FROM host h JOIN unit u ON u.id = h.unit_id LEFT JOIN contact c ON c.id = h.owner_id AND "    \
    "c.deleted_at IS NULL "

static void read_host(sqlite3_stmt *st, struct vg_host *h, struct vg_arena *a)
{
    h->id = sqlite3_column_int64(st, 0);
    h->unit_id = sqlite3_column_int64(st, 1);
    h->unit = vg_col_text(st, 2, a);
    h->hostname = vg_col_text(st, 3, a);
    h->role = vg_col_text(st, 4, a);
    h->os = vg_col_text(st, 5, a);
    h->os_release = vg_col_text(st, 6, a);
    h->owner_id = sqlite3_column_int64(st, 7);
    h->owner = vg_col_text(st, 8, a);
    h->note = vg_col_text(st, 9, a);
    h->created_at = (time_t)sqlite3_column_int64(st, 10);
    h->updated_at = (time_t)sqlite3_column_int64(st, 11);
    h->level = sqlite3_column_int(st, 12);
}

int vg_store_host_put(struct vg_store *s, struct vg_host *h, struct vg_error *err)
{
    bool own;
    int rc = vg_wtx_begin(s, &own, err);
    sqlite3_stmt *st;
    sqlite3_int64 now = (sqlite3_int64)time(NULL);
    if (rc)
        return rc;
    if (!h->id) {
        st = vg_sql(s,
                    "INSERT INTO host (unit_id, hostname, role, os, os_release, owner_id, note, "
                    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    err);
    } else {
        st = vg_sql(s,
                    "UPDATE host SET unit_id = ?1, hostname = ?2, role = ?3, os = ?4, "
                    "os_release = ?5, owner_id = ?6, note = ?7, updated_at = ?8 "
                    "WHERE id = ?9 AND deleted_at IS NULL",
                    err);
    }
    if (!st) {
        rc = err ? err->code : VG_EDB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, h->unit_id);
    vg_bind_text(st, 2, h->hostname);
    vg_bind_text(st, 3, h->role);
    vg_bind_text(st, 4, h->os);
    vg_bind_text(st, 5, h->os_release);
    vg_bind_id(st, 6, h->owner_id);
    vg_bind_text(st, 7, h->note);
    sqlite3_bind_int64(st, 8, now);
    if (h->id)
        sqlite3_bind_int64(st, 9, h->id);
    rc = vg_sql_exec_stmt(s, st, err, "cannot write the host");
    if (rc == VG_EEXIST) {
        rc = vg_error_set(err, rc, "host '%s' already exists in that unit", h->hostname);
        goto out;
    }
    if (rc)
        goto out;
    if (!h->id) {
        h->id = sqlite3_last_insert_rowid(s->db);
    } else {
        if (sqlite3_changes(s->db) == 0) {
            rc = vg_error_set(err, VG_ENOTFOUND, "host %lld is gone", (long long)h->id);
            goto out;
        }
        st = vg_sql(s, "DELETE FROM host_addr WHERE host_id = ?", err);
        if (!st) {
            rc = err ? err->code : VG_EDB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, h->id);
        if ((rc = vg_sql_exec_stmt(s, st, err, "cannot replace the host's addresses")))
            goto out;
        st = vg_sql(s, "DELETE FROM host_system WHERE host_id = ?", err);
        if (!st) {
            rc = err ? err->code : VG_EDB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, h->id);
        if ((rc = vg_sql_exec_stmt(s, st, err, "cannot replace the host's systems")))
            goto out;
    }
    for (size_t i = 0; i < h->naddrs; i++) {
        char text[VG_IP_STRLEN];
        st = vg_sql(s,
                    "INSERT OR IGNORE INTO host_addr (host_id, addr, family, public) "
                    "VALUES (?, ?, ?, ?)",
                    err);
        if (!st) {
            rc = err ? err->code : VG_EDB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, h->id);
        vg_bind_text(st, 2, vg_ip_format(&h->addrs[i].ip, text));
        sqlite3_bind_int(st, 3, h->addrs[i].ip.family);
        sqlite3_bind_int(st, 4, h->addrs[i].public);
        if ((rc = vg_sql_exec_stmt(s, st, err, "cannot add the host's address")))
            goto out;
    }
    for (size_t i = 0; i < h->nsystems; i++) {
        st = vg_sql(s, "INSERT OR IGNORE INTO host_system (host_id, system_id) VALUES (?, ?)", err);
        if (!st) {
            rc = err ? err->code : VG_EDB;
            goto out;
        }
        sqlite3_bind_int64(st, 1, h->id);
        sqlite3_bind_int64(st, 2, h->systems[i].id);
        if ((rc = vg_sql_exec_stmt(s, st, err, "cannot link the host to its system")))
            goto out;
    }
out:
    return vg_wtx_end(s, own, rc, err);
}

/* Addresses and systems of the hosts in out (indexed by id through idx). */
static int attach(struct vg_store *s, struct vg_rows *out, struct vg_map *idx, int64_t only,
                  struct vg_error *err)
{
    sqlite3_stmt *st;
    int r;
    /* Addresses, grouped by host. */
    /* One host's rows through the primary key, or every live host's. */
    if (only)
        st = vg_sql(s,
                    "SELECT host_id, addr, public FROM host_addr WHERE host_id = ?1 "
                    "ORDER BY family, addr",
                    err);
    else
        st = vg_sql(s,
                    "SELECT a.host_id, a.addr, a.public FROM host_addr a JOIN host h ON h.id = "
                    "a.host_id AND h.deleted_at IS NULL ORDER BY a.host_id, a.family, a.addr",
                    err);
    if (!st)
        return err ? err->code : VG_EDB;
    if (only)
        sqlite3_bind_int64(st, 1, only);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t hid = sqlite3_column_int64(st, 0);
        union vg_map_val *v = vg_map_get(idx, &hid, sizeof hid);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        struct vg_host *h;
        if (!v || !t)
            continue;
        h = VG_ROW(out, struct vg_host, v->i);
        /* Grow by doubling inside the arena: counts are small. */
        if ((h->naddrs & (h->naddrs - 1)) == 0) {
            size_t ncap = h->naddrs ? h->naddrs * 2 : 2;
            struct vg_host_addr *na = vg_arena_alloc(&out->arena, ncap * sizeof *na);
            if (!na) {
                sqlite3_reset(st);
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
            if (h->naddrs)
                memcpy(na, h->addrs, h->naddrs * sizeof *na);
            h->addrs = na;
        }
        struct vg_host_addr *a = &h->addrs[h->naddrs];
        if (vg_ip_parse(t, strlen(t), &a->ip) != VG_OK)
            continue;
        a->public = sqlite3_column_int(st, 2) != 0;
        h->naddrs++;
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list host addresses");
    sqlite3_reset(st);
    /* Systems. */
    if (only)
        st = vg_sql(s,
                    "SELECT hs.host_id, y.id, y.name, y.level FROM host_system hs "
                    "JOIN system y ON y.id = hs.system_id AND y.deleted_at IS NULL "
                    "WHERE hs.host_id = ?1 ORDER BY y.level DESC, y.name",
                    err);
    else
        st = vg_sql(s,
                    "SELECT hs.host_id, y.id, y.name, y.level FROM host_system hs "
                    "JOIN system y ON y.id = hs.system_id AND y.deleted_at IS NULL "
                    "JOIN host h ON h.id = hs.host_id AND h.deleted_at IS NULL "
                    "ORDER BY hs.host_id, y.level DESC, y.name",
                    err);
    if (!st)
        return err ? err->code : VG_EDB;
    if (only)
        sqlite3_bind_int64(st, 1, only);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t hid = sqlite3_column_int64(st, 0);
        union vg_map_val *v = vg_map_get(idx, &hid, sizeof hid);
        struct vg_host *h;
        if (!v)
            continue;
        h = VG_ROW(out, struct vg_host, v->i);
        if ((h->nsystems & (h->nsystems - 1)) == 0) {
            size_t ncap = h->nsystems ? h->nsystems * 2 : 2;
            struct vg_host_sys *ns = vg_arena_alloc(&out->arena, ncap * sizeof *ns);
            if (!ns) {
                sqlite3_reset(st);
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
            if (h->nsystems)
                memcpy(ns, h->systems, h->nsystems * sizeof *ns);
            h->systems = ns;
        }
        struct vg_host_sys *y = &h->systems[h->nsystems++];
        y->id = sqlite3_column_int64(st, 1);
        y->name = vg_col_text(st, 2, &out->arena);
        y->level = sqlite3_column_int(st, 3);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot list host systems");
    sqlite3_reset(st);
    return VG_OK;
}

/* Addresses in numeric order: IPv4 first, then IPv6, by their bytes. */
static int cmp_addr(const void *a, const void *b)
{
    const struct vg_host_addr *x = a, *y = b;
    if (x->ip.family != y->ip.family)
        return x->ip.family < y->ip.family ? -1 : 1;
    return memcmp(x->ip.a, y->ip.a, sizeof x->ip.a);
}

static int collect(struct vg_store *s, sqlite3_stmt *st, struct vg_rows *out, int64_t only,
                   struct vg_error *err)
{
    struct vg_map idx;
    int r, rc = VG_OK;
    size_t first = out->n;
    vg_map_init(&idx);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_host *h = vg_rows_push(out, sizeof *h);
        union vg_map_val *v;
        if (!h)
            goto nomem;
        read_host(st, h, &out->arena);
        v = vg_map_put(&idx, &h->id, sizeof h->id, NULL);
        if (!v)
            goto nomem;
        v->i = (int64_t)(out->n - 1);
    }
    if (r != SQLITE_DONE) {
        rc = vg_sql_fail(s, err, "cannot list hosts");
        goto out;
    }
    sqlite3_reset(st);
    if (out->n > first)
        rc = attach(s, out, &idx, only, err);
    for (size_t i = first; rc == VG_OK && i < out->n; i++) {
        struct vg_host *h = VG_ROW(out, struct vg_host, i);
        if (h->naddrs > 1)
            qsort(h->addrs, h->naddrs, sizeof *h->addrs, cmp_addr);
    }
out:
    vg_map_release(&idx);
    return rc;
nomem:
    sqlite3_reset(st);
    vg_map_release(&idx);
    return vg_error_set(err, VG_ENOMEM, "out of memory");
}

int vg_store_host_get(struct vg_store *s, int64_t unit_id, const char *hostname,
                      struct vg_host *out, struct vg_arena *a, struct vg_error *err)
{
    struct vg_rows rows;
    int rc;
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT " HOST_COLS_ONE
                              "WHERE h.unit_id = ? AND h.hostname = ? AND h.deleted_at IS NULL",
                              err);
    if (!st)
        return err ? err->code : VG_EDB;
    sqlite3_bind_int64(st, 1, unit_id);
    vg_bind_text(st, 2, hostname);
    vg_rows_init(&rows);
    /* Look the id up first so attach() reads only this host's rows. */
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW) {
        sqlite3_reset(st);
        vg_rows_release(&rows);
        if (r != SQLITE_DONE)
            return vg_sql_fail(s, err, "cannot read the host");
        return vg_error_set(err, VG_ENOTFOUND, "no host '%s' in that unit (see 'vigil host list')",
                            hostname);
    }
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    rc = collect(s, st, &rows, id, err);
    if (rc == VG_OK && rows.n == 1) {
        /* Move the strings into the caller's arena. */
        struct vg_host *h = VG_ROW(&rows, struct vg_host, 0);
        *out = *h;
        out->unit = vg_arena_strdup(a, h->unit);
        out->hostname = vg_arena_strdup(a, h->hostname);
        out->role = vg_arena_strdup(a, h->role);
        out->os = vg_arena_strdup(a, h->os);
        out->os_release = vg_arena_strdup(a, h->os_release);
        out->owner = vg_arena_strdup(a, h->owner);
        out->note = vg_arena_strdup(a, h->note);
        out->addrs = NULL;
        out->systems = NULL;
        if (h->naddrs) {
            out->addrs = vg_arena_alloc(a, h->naddrs * sizeof *out->addrs);
            if (out->addrs)
                memcpy(out->addrs, h->addrs, h->naddrs * sizeof *out->addrs);
        }
        if (h->nsystems) {
            out->systems = vg_arena_alloc(a, h->nsystems * sizeof *out->systems);
            if (out->systems)
                for (size_t i = 0; i < h->nsystems; i++) {
                    out->systems[i] = h->systems[i];
                    out->systems[i].name = vg_arena_strdup(a, h->systems[i].name);
                }
        }
    } else if (rc == VG_OK) {
        rc = vg_error_set(err, VG_ENOTFOUND, "no host '%s' in that unit", hostname);
    }
    vg_rows_release(&rows);
    return rc;
}

int vg_store_host_list(struct vg_store *s, const struct vg_host_filter *f, struct vg_rows *out,
                       struct vg_error *err)
{
    char ip[VG_IP_STRLEN];
    sqlite3_stmt *st = vg_sql(
        s,
        "SELECT " HOST_COLS "WHERE h.deleted_at IS NULL AND (?1 IS NULL OR h.unit_id = ?1) "
        "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM host_system hs WHERE hs.host_id = h.id AND "
        "hs.system_id = ?2)) AND (?3 IS NULL OR h.role = ?3) "
        "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM host_addr a WHERE a.host_id = h.id AND "
        "a.addr = ?4)) AND coalesce(l.lvl, 0) >= ?5 "
        "ORDER BY coalesce(l.lvl, 0) DESC, u.name, h.hostname",
        err);
    if (!st)
        return err ? err->code : VG_EDB;
    vg_bind_id(st, 1, f ? f->unit_id : 0);
    vg_bind_id(st, 2, f ? f->system_id : 0);
    vg_bind_text(st, 3, f ? f->role : NULL);
    vg_bind_text(st, 4, f && f->ip ? vg_ip_format(f->ip, ip) : NULL);
    sqlite3_bind_int(st, 5, f ? f->min_level : 0);
    return collect(s, st, out, 0, err);
}

int vg_store_host_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    return vg_soft_delete(s, "UPDATE host SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                          id, "cannot remove the host", err);
}

int vg_store_addr_conflicts(struct vg_store *s, struct vg_rows *out, struct vg_error *err)
{
    sqlite3_stmt *st = vg_sql(s,
                              "SELECT u.name, a.addr, min(h.hostname), max(h.hostname) "
                              "FROM host_addr a JOIN host h ON h.id = a.host_id "
                              "AND h.deleted_at IS NULL JOIN unit u ON u.id = h.unit_id "
                              "GROUP BY h.unit_id, a.addr HAVING count(*) > 1 "
                              "ORDER BY u.name, a.addr",
                              err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct vg_addr_conflict *c = vg_rows_push(out, sizeof *c);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (!c) {
            sqlite3_reset(st);
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        c->unit = vg_col_text(st, 0, &out->arena);
        if (t)
            vg_ip_parse(t, strlen(t), &c->ip);
        c->host_a = vg_col_text(st, 2, &out->arena);
        c->host_b = vg_col_text(st, 3, &out->arena);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot check addresses");
    sqlite3_reset(st);
    return VG_OK;
}
