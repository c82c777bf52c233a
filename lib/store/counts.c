/*
 * counts.c - the aggregate numbers of the site overview.
 */
#include "store/internal.h"

#include <string.h>

#include "core/banned.h"

static int scalar_rows(struct vg_store *s, const char *sql, int64_t *dst, size_t ndst,
                       struct vg_error *err)
{
    /* Each row is (index, count); index outside [0, ndst) is ignored. */
    sqlite3_stmt *st = vg_sql(s, sql, err);
    int r;
    if (!st)
        return err ? err->code : VG_EDB;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t i = sqlite3_column_int64(st, 0);
        if (i >= 0 && (size_t)i < ndst)
            dst[i] = sqlite3_column_int64(st, 1);
    }
    if (r != SQLITE_DONE)
        return vg_sql_fail(s, err, "cannot count");
    sqlite3_reset(st);
    return VG_OK;
}

int vg_store_counts(struct vg_store *s, struct vg_counts *out, struct vg_error *err)
{
    int64_t v[10] = {0};
    int rc;
    memset(out, 0, sizeof *out);
    rc = scalar_rows(
        s,
        "SELECT 0, count(*) FROM unit WHERE deleted_at IS NULL UNION ALL "
        "SELECT 1, count(*) FROM contact WHERE deleted_at IS NULL UNION ALL "
        "SELECT 2, count(*) FROM netblock WHERE deleted_at IS NULL UNION ALL "
        "SELECT 3, count(*) FROM system WHERE deleted_at IS NULL UNION ALL "
        "SELECT 4, count(*) FROM host WHERE deleted_at IS NULL UNION ALL "
        "SELECT 5, count(*) FROM host WHERE deleted_at IS NULL AND role = 'server' UNION ALL "
        "SELECT 6, count(*) FROM host WHERE deleted_at IS NULL AND role = 'workstation' "
        "UNION ALL SELECT 7, count(*) FROM host_addr a JOIN host h ON h.id = a.host_id "
        "AND h.deleted_at IS NULL UNION ALL "
        "SELECT 8, count(*) FROM host_addr a JOIN host h ON h.id = a.host_id "
        "AND h.deleted_at IS NULL WHERE a.public = 1",
        v, 10, err);
    if (rc)
        return rc;
    out->units = v[0];
    out->contacts = v[1];
    out->netblocks = v[2];
    out->systems = v[3];
    out->hosts = v[4];
    out->servers = v[5];
    out->workstations = v[6];
    out->addrs = v[7];
    out->public_addrs = v[8];
    rc =
        scalar_rows(s, "SELECT level, count(*) FROM system WHERE deleted_at IS NULL GROUP BY level",
                    out->systems_by_level, 6, err);
    if (rc)
        return rc;
    return scalar_rows(s,
                       "SELECT lvl, count(*) FROM (SELECT coalesce((SELECT max(y.level) FROM "
                       "host_system hs JOIN system y ON y.id = hs.system_id AND y.deleted_at IS "
                       "NULL WHERE hs.host_id = h.id), 0) AS lvl FROM host h WHERE h.deleted_at "
                       "IS NULL) GROUP BY lvl",
                       out->hosts_by_level, 6, err);
}
