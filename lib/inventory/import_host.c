/*
 * import_host.c - `vigil host import`: hosts from a spreadsheet export, with
 * their units, information systems (and security levels) and addresses.
 *
 * Everything is checked before anything is written: each cell, then the
 * file against itself (a host twice with different data, a system given two
 * levels, an address given to two hosts of one unit), then the file against
 * the store (an address that a host not in this file already holds). Then
 * one transaction writes what changed; hosts are keyed by (unit, hostname).
 */
#include "inventory/import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/str.h"
#include "core/banned.h"

enum { H_UNIT, H_HOSTNAME, H_ROLE, H_SYSTEM, H_LEVEL, H_OS, H_RELEASE, H_IP, H_OWNER, H_NOTE };

const struct imp_col vg_host_cols[] = {
    {"unit", "đơn_vị|don_vi|agency|ma_don_vi|mã_đơn_vị", true},
    {"hostname", "host|host_name|name|computer_name|tên_máy|ten_may|tên_máy_chủ", true},
    {"role", "type|kind|vai_trò|vai_tro|loại|loại_máy", true},
    {"system", "systems|information_system|hệ_thống|he_thong|hệ_thống_thông_tin|httt", false},
    {"level", "security_level|cấp_độ|cap_do|cấp_độ_an_toàn|cấp", false},
    {"os", "operating_system|hệ_điều_hành|he_dieu_hanh|hđh", false},
    {"os_release", "release|os_version|phiên_bản", false},
    {"ip", "ips|ip_address|ip_addresses|address|addresses|địa_chỉ_ip|dia_chi_ip|địa_chỉ", false},
    {"owner", "owner_contact|người_phụ_trách|nguoi_phu_trach|phụ_trách|quản_lý", false},
    {"note", "notes|comment|description|ghi_chú|ghi_chu|mô_tả", false},
};
const size_t vg_host_ncols = sizeof vg_host_cols / sizeof *vg_host_cols;

struct hrow {
    size_t line;
    bool skip;
    char *unit;
    struct vg_host h; /* names only until the write phase */
    uint64_t fp;
};

/* A system's level as first seen (store or file). */
struct syslevel {
    int64_t id; /* in the store; 0 if new */
    int level;
    size_t line; /* first line of the file that named it; 0: from the store */
};

struct addr_owner {
    const char *hostname;
    size_t line; /* 0: held in the store */
};

struct stored_host {
    int64_t id;
    uint64_t fp;
    bool in_file;
    const struct vg_host *h;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What a re-import compares: every field the file can set. */
static uint64_t host_fp(const struct vg_host *h)
{
    struct vg_buf b;
    const char *names[64];
    char ips[64][VG_IP_STRLEN];
    const char *ipp[64];
    size_t ns = h->nsystems < 64 ? h->nsystems : 64, na = h->naddrs < 64 ? h->naddrs : 64;
    uint64_t fp;
    vg_buf_init(&b, 0);
    const char *f[] = {h->role, h->os, h->os_release, h->owner, h->note};
    for (size_t i = 0; i < 5; i++) {
        vg_buf_adds(&b, f[i] ? f[i] : "\x01");
        vg_buf_addc(&b, '\x1f');
    }
    for (size_t i = 0; i < ns; i++)
        names[i] = h->systems[i].name;
    qsort(names, ns, sizeof *names, cmp_str);
    for (size_t i = 0; i < ns; i++) {
        vg_buf_adds(&b, names[i]);
        vg_buf_addc(&b, '\x1e');
    }
    vg_buf_addc(&b, '\x1f');
    for (size_t i = 0; i < na; i++)
        ipp[i] = vg_ip_format(&h->addrs[i].ip, ips[i]);
    qsort(ipp, na, sizeof *ipp, cmp_str);
    for (size_t i = 0; i < na; i++) {
        vg_buf_adds(&b, ipp[i]);
        vg_buf_addc(&b, '\x1e');
    }
    fp = vg_hash(b.data, b.len);
    vg_buf_release(&b);
    return fp;
}

static size_t key2(char *buf, size_t size, const char *a, const char *b)
{
    return imp_key2(buf, size, a, b);
}

/* Parse the current record into r; IMP_SKIP / error when it is bad. */
static int parse_row(struct imp *m, struct hrow *r, struct vg_map *sys, struct vg_map *contacts)
{
    char why[160];
    size_t line = m->row.line;
    struct vg_host *h = &r->h;
    char *unit = imp_cell(m, H_UNIT), *host = imp_cell(m, H_HOSTNAME), *role = imp_cell(m, H_ROLE),
         *systems = imp_cell(m, H_SYSTEM), *level = imp_cell(m, H_LEVEL), *os = imp_cell(m, H_OS),
         *rel = imp_cell(m, H_RELEASE), *ip = imp_cell(m, H_IP), *owner = imp_cell(m, H_OWNER);
    r->line = line;
    r->unit = unit;
    h->note = imp_cell(m, H_NOTE);
    if (!unit)
        return imp_reject(m, line, "unit", "is empty");
    if (vg_inv_check_name(unit, why))
        return imp_reject(m, line, "unit", "%s", why);
    if (!host)
        return imp_reject(m, line, "hostname", "is empty");
    if (vg_inv_check_hostname(host, why))
        return imp_reject(m, line, "hostname", "%s", why);
    h->hostname = host;
    h->unit = unit;
    if (!role)
        return imp_reject(m, line, "role", "is empty (server or workstation)");
    if (vg_inv_parse_role(role, &h->role, why))
        return imp_reject(m, line, "role", "%s", why);
    if (h->note && vg_inv_check_text(h->note, why))
        return imp_reject(m, line, "note", "%s", why);
    /* Operating system: "debian 12" -> os "debian", release "12". */
    if (os) {
        char *name, *release;
        if (vg_str_has_ctl(os, strlen(os)) || strlen(os) > 100)
            return imp_reject(m, line, "os", "\"%s\" is not an operating system name", os);
        if (vg_inv_split_os(os, &name, &release))
            return vg_error_set(m->err, VG_ENOMEM, "out of memory");
        h->os = vg_arena_strdup(&m->a, name);
        h->os_release = vg_arena_strdup(&m->a, release);
        free(name);
        free(release);
    }
    if (rel) {
        if (vg_str_has_ctl(rel, strlen(rel)) || strlen(rel) > 100)
            return imp_reject(m, line, "os_release", "\"%s\" is not a release", rel);
        h->os_release = vg_str_lower(rel);
    }
    if (owner) {
        if (!vg_map_gets(contacts, owner))
            return imp_reject(m, line, "owner",
                              "no contact \"%s\" (import contacts first, or 'vigil contact add')",
                              owner);
        h->owner = owner;
    }
    /* Addresses: separated by ';', ',' or spaces. */
    if (ip) {
        size_t cap = 1;
        for (const char *p = ip; *p; p++)
            cap += *p == ';' || *p == ',' || *p == ' ';
        h->addrs = vg_arena_alloc(&m->a, cap * sizeof *h->addrs);
        if (!h->addrs)
            return vg_error_set(m->err, VG_ENOMEM, "out of memory");
        for (char *p = ip; *p;) {
            size_t n = strcspn(p, ";, \t");
            if (n) {
                struct vg_ip a;
                bool dup = false;
                if (vg_ip_parse(p, n, &a)) {
                    char bad[64];
                    vg_strlcpy(bad, p, n + 1 < sizeof bad ? n + 1 : sizeof bad);
                    if (memchr(p, '/', n))
                        return imp_reject(m, line, "ip",
                                          "\"%s\" is a range, not an address (ranges belong in "
                                          "'vigil netblock')",
                                          bad);
                    return imp_reject(m, line, "ip", "\"%s\" is not an IP address", bad);
                }
                for (size_t i = 0; i < h->naddrs; i++)
                    dup |= vg_ip_eq(&h->addrs[i].ip, &a);
                if (!dup) {
                    h->addrs[h->naddrs].ip = a;
                    h->addrs[h->naddrs].public = vg_ip_is_public(&a);
                    h->naddrs++;
                }
            }
            p += n;
            while (*p == ';' || *p == ',' || *p == ' ' || *p == '\t')
                p++;
        }
    }
    /* Systems, with one level for all or one level each. */
    if (systems) {
        size_t cap = 1, nlev = 0;
        int levels[64];
        for (const char *p = systems; *p; p++)
            cap += *p == ';';
        if (cap > 64)
            return imp_reject(m, line, "system", "more than 64 systems");
        if (level) {
            const char *p = level, *it;
            size_t n;
            while (vg_str_next_item(&p, ';', &it, &n)) {
                char one[32];
                if (nlev == 64 || n >= sizeof one)
                    return imp_reject(m, line, "level", "\"%s\" is not a security level", level);
                memcpy(one, it, n);
                one[n] = '\0';
                if (vg_inv_parse_level(one, &levels[nlev], why))
                    return imp_reject(m, line, "level", "%s", why);
                nlev++;
            }
        }
        h->systems = vg_arena_alloc(&m->a, cap * sizeof *h->systems);
        if (!h->systems)
            return vg_error_set(m->err, VG_ENOMEM, "out of memory");
        const char *p = systems, *it;
        size_t n;
        while (vg_str_next_item(&p, ';', &it, &n)) {
            struct vg_host_sys *y = &h->systems[h->nsystems];
            char key[512];
            y->name = vg_arena_strndup(&m->a, it, n);
            if (!y->name)
                return vg_error_set(m->err, VG_ENOMEM, "out of memory");
            if (vg_inv_check_name(y->name, why))
                return imp_reject(m, line, "system", "%s", why);
            if (nlev == 1)
                y->level = levels[0];
            else if (nlev > 1 && nlev == cap)
                y->level = levels[h->nsystems];
            else if (nlev > 1)
                return imp_reject(m, line, "level",
                                  "%zu levels for %zu systems: give one level, or one per system",
                                  nlev, cap);
            size_t kl = key2(key, sizeof key, unit, y->name);
            if (!kl)
                return imp_reject(m, line, "system", "name too long");
            bool created;
            union vg_map_val *v = vg_map_put(sys, key, kl, &created);
            if (!v)
                return vg_error_set(m->err, VG_ENOMEM, "out of memory");
            struct syslevel *sl = v->p;
            if (created) {
                if (!y->level) {
                    /* The entry stays with no level until a line gives one. */
                    return imp_reject(m, line, "level",
                                      "is empty, and system \"%s\" of unit \"%s\" is new: give its "
                                      "security level (1 to 5)",
                                      y->name, unit);
                }
                sl = vg_arena_alloc(&m->a, sizeof *sl);
                if (!sl)
                    return vg_error_set(m->err, VG_ENOMEM, "out of memory");
                sl->level = y->level;
                sl->line = line;
                v->p = sl;
            } else if (!sl) {
                if (!y->level)
                    return imp_reject(m, line, "level",
                                      "is empty, and system \"%s\" of unit \"%s\" is new: give "
                                      "its security level (1 to 5)",
                                      y->name, unit);
                sl = vg_arena_alloc(&m->a, sizeof *sl);
                if (!sl)
                    return vg_error_set(m->err, VG_ENOMEM, "out of memory");
                sl->level = y->level;
                sl->line = line;
                v->p = sl;
            } else if (!y->level) {
                y->level = sl->level;
            } else if (sl->level == y->level && sl->line == 0) {
                /* The first line that states the stored level: later lines must agree. */
                sl->line = line;
            } else if (sl->level != y->level) {
                if (sl->line == 0) {
                    /* The file changes a stored level: the first line that says so wins. */
                    sl->level = y->level;
                    sl->line = line;
                } else {
                    return imp_reject(m, line, "level",
                                      "system \"%s\" of unit \"%s\" has level %d here but level "
                                      "%d on line %zu",
                                      y->name, unit, y->level, sl->level, sl->line);
                }
            }
            h->nsystems++;
        }
    }
    return VG_OK;
}

/* Fill the fields whose column is absent from the stored host; true if any was. */
static bool keep_absent(struct imp *m, struct vg_host *h, const struct vg_host *was)
{
    bool any = false;
    if (m->idx[H_OS] < 0 && m->idx[H_RELEASE] < 0) {
        h->os = was->os;
        h->os_release = was->os_release;
        any = true;
    }
    if (m->idx[H_IP] < 0) {
        h->addrs = was->addrs;
        h->naddrs = was->naddrs;
        any = true;
    }
    if (m->idx[H_SYSTEM] < 0) {
        h->systems = was->systems;
        h->nsystems = was->nsystems;
        any = true;
    }
    if (m->idx[H_OWNER] < 0) {
        h->owner = was->owner;
        h->owner_id = was->owner_id;
        any = true;
    }
    if (m->idx[H_NOTE] < 0) {
        h->note = was->note;
        any = true;
    }
    return any;
}

int vg_inv_import_hosts(struct imp *m)
{
    struct vg_rows rows, stored, systems, contacts;
    struct vg_map sys, hosts_file, addrs, hosts_store, cmap;
    int rc = VG_OK;
    char key[600];
    size_t kl;
    vg_rows_init(&rows);
    vg_rows_init(&stored);
    vg_rows_init(&systems);
    vg_rows_init(&contacts);
    vg_map_init(&sys);
    vg_map_init(&hosts_file);
    vg_map_init(&addrs);
    vg_map_init(&hosts_store);
    vg_map_init(&cmap);

    double t0 = now_s();
    /* What the store holds now: systems and their levels, contacts, hosts and addresses. */
    VG_TRY(vg_store_system_list(m->s, NULL, &systems, m->err));
    for (size_t i = 0; i < systems.n; i++) {
        struct vg_system *y = VG_ROW(&systems, struct vg_system, i);
        struct syslevel *sl = vg_arena_alloc(&m->a, sizeof *sl);
        kl = key2(key, sizeof key, y->unit, y->name);
        union vg_map_val *v = kl && sl ? vg_map_put(&sys, key, kl, NULL) : NULL;
        if (!v)
            goto nomem;
        sl->id = y->id;
        sl->level = y->level;
        v->p = sl;
    }
    VG_TRY(vg_store_contact_list(m->s, NULL, &contacts, m->err));
    for (size_t i = 0; i < contacts.n; i++) {
        struct vg_contact *c = VG_ROW(&contacts, struct vg_contact, i);
        union vg_map_val *v = vg_map_puts(&cmap, c->name, NULL);
        if (!v)
            goto nomem;
        v->i = c->id;
    }
    VG_TRY(vg_store_host_list(m->s, NULL, &stored, m->err));
    for (size_t i = 0; i < stored.n; i++) {
        struct vg_host *h = VG_ROW(&stored, struct vg_host, i);
        struct stored_host *sh = vg_arena_alloc(&m->a, sizeof *sh);
        kl = key2(key, sizeof key, h->unit, h->hostname);
        union vg_map_val *v = kl && sh ? vg_map_put(&hosts_store, key, kl, NULL) : NULL;
        if (!v)
            goto nomem;
        sh->id = h->id;
        sh->fp = host_fp(h);
        sh->h = h;
        v->p = sh;
    }

    vg_debug("host import: loaded %zu hosts from the store in %.2f s", stored.n, now_s() - t0);
    t0 = now_s();
    /* Pass 1: every record, checked against itself and the file so far. */
    while ((rc = imp_next(m)) != VG_ENOTFOUND) {
        struct hrow *r;
        if (m->o->progress && m->r->records % 10000 == 0)
            m->o->progress(m->o->progress_ctx, "checking", m->csv.pos, m->csv.len);
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        r = vg_rows_push(&rows, sizeof *r);
        if (!r)
            goto nomem;
        rc = parse_row(m, r, &sys, &cmap);
        if (rc == IMP_SKIP) {
            rows.n--;
            continue;
        }
        if (rc)
            goto out;
        r->fp = host_fp(&r->h);
        kl = key2(key, sizeof key, r->unit, r->h.hostname);
        bool created;
        union vg_map_val *v = vg_map_put(&hosts_file, key, kl, &created);
        if (!v)
            goto nomem;
        if (!created) {
            struct hrow *first = VG_ROW(&rows, struct hrow, (size_t)v->i);
            rows.n--;
            if (first->fp == r->fp)
                continue; /* the same row twice: nothing to do */
            rc = imp_reject(m, m->row.line, "hostname",
                            "host \"%s\" of unit \"%s\" appears again with different data (first "
                            "on line %zu)",
                            first->h.hostname, first->unit, first->line);
            if (rc == IMP_SKIP)
                continue;
            goto out;
        }
        v->i = (int64_t)(rows.n - 1);
        /* An address belongs to one host of a unit. */
        for (size_t i = 0; i < r->h.naddrs; i++) {
            char ip[VG_IP_STRLEN];
            kl = key2(key, sizeof key, r->unit, vg_ip_format(&r->h.addrs[i].ip, ip));
            union vg_map_val *av = vg_map_put(&addrs, key, kl, &created);
            if (!av)
                goto nomem;
            if (created) {
                struct addr_owner *o = vg_arena_alloc(&m->a, sizeof *o);
                if (!o)
                    goto nomem;
                o->hostname = r->h.hostname;
                o->line = r->line;
                av->p = o;
                continue;
            }
            struct addr_owner *o = av->p;
            rc = imp_reject(m, r->line, "ip",
                            "address %s is also given to host \"%s\" of unit \"%s\" on line %zu",
                            ip, o->hostname, r->unit, o->line);
            /* Undo this row's claims so a skipped row leaves no trace. */
            for (size_t j = 0; j < i; j++) {
                char ip2[VG_IP_STRLEN];
                size_t k2 = key2(key, sizeof key, r->unit, vg_ip_format(&r->h.addrs[j].ip, ip2));
                union vg_map_val *x = vg_map_get(&addrs, key, k2);
                if (x && x->p && ((struct addr_owner *)x->p)->line == r->line)
                    ((struct addr_owner *)x->p)->hostname = "";
            }
            if (rc != IMP_SKIP)
                goto out;
            r->skip = true;
            break;
        }
    }

    /* Pass 2: addresses held in the store by hosts that this file does not mention. */
    for (size_t i = 0; i < stored.n; i++) {
        struct vg_host *h = VG_ROW(&stored, struct vg_host, i);
        kl = key2(key, sizeof key, h->unit, h->hostname);
        if (vg_map_get(&hosts_file, key, kl))
            continue;
        for (size_t j = 0; j < h->naddrs; j++) {
            char ip[VG_IP_STRLEN];
            kl = key2(key, sizeof key, h->unit, vg_ip_format(&h->addrs[j].ip, ip));
            union vg_map_val *av = vg_map_get(&addrs, key, kl);
            struct addr_owner *o;
            if (!av || !(o = av->p) || !o->hostname[0])
                continue;
            rc = imp_reject(m, o->line, "ip",
                            "address %s already belongs to host \"%s\" of unit \"%s\" in the "
                            "store (change or remove that host first)",
                            ip, h->hostname, h->unit);
            if (rc != IMP_SKIP)
                goto out;
            union vg_map_val *hv =
                vg_map_get(&hosts_file, key, key2(key, sizeof key, h->unit, o->hostname));
            if (hv)
                VG_ROW(&rows, struct hrow, (size_t)hv->i)->skip = true;
            o->hostname = "";
        }
    }

    vg_debug("host import: checked %zu records in %.2f s", rows.n, now_s() - t0);
    t0 = now_s();
    /* Write: one transaction. */
    VG_TRY(imp_begin(m));
    VG_TRY(imp_load_units(m));
    for (size_t i = 0; i < rows.n; i++) {
        struct hrow *r = VG_ROW(&rows, struct hrow, i);
        struct vg_host *h = &r->h;
        if (m->o->progress && i % 10000 == 0)
            m->o->progress(m->o->progress_ctx, "writing", i, rows.n);
        if (r->skip)
            continue;
        VG_TRY(imp_unit_id(m, r->unit, &h->unit_id));
        for (size_t j = 0; j < h->nsystems; j++) {
            struct vg_host_sys *y = &h->systems[j];
            kl = key2(key, sizeof key, r->unit, y->name);
            union vg_map_val *v = vg_map_get(&sys, key, kl);
            struct syslevel *sl = v->p;
            if (!sl->id) {
                struct vg_system ns = {.unit_id = h->unit_id, .name = y->name, .level = sl->level};
                VG_TRY(vg_store_system_add(m->s, &ns, m->err));
                sl->id = ns.id;
                m->r->systems_created++;
            } else if (sl->line && sl->line == r->line) {
                /* This line changes a stored system's level. */
                struct vg_system us;
                struct vg_arena a;
                vg_arena_init(&a);
                rc = vg_store_system_get(m->s, h->unit_id, y->name, &us, &a, m->err);
                if (rc == VG_OK && us.level != sl->level) {
                    int was = us.level;
                    us.level = sl->level;
                    rc = vg_store_system_update(m->s, &us, m->err);
                    m->r->systems_updated++;
                    imp_note(m, r->line, "level",
                             "system \"%s\" of unit \"%s\" changes from level %d to %d", y->name,
                             r->unit, was, us.level);
                }
                vg_arena_release(&a);
                if (rc)
                    goto out;
            }
            y->id = sl->id;
        }
        if (h->owner)
            h->owner_id = vg_map_gets(&cmap, h->owner)->i;
        kl = key2(key, sizeof key, r->unit, h->hostname);
        union vg_map_val *sv = vg_map_get(&hosts_store, key, kl);
        if (sv) {
            struct stored_host *sh = sv->p;
            /* A column the file does not have leaves the stored value as it is. */
            if (keep_absent(m, h, sh->h))
                r->fp = host_fp(h);
            if (sh->fp == r->fp) {
                m->r->unchanged++;
                continue;
            }
            h->id = sh->id;
            VG_TRY(vg_store_host_put(m->s, h, m->err));
            m->r->updated++;
        } else {
            VG_TRY(vg_store_host_put(m->s, h, m->err));
            m->r->added++;
        }
    }
    /* The rule holds after the writes too (a safety net for what pass 2 checks). */
    if (m->r->added || m->r->updated) {
        struct vg_rows conf;
        vg_rows_init(&conf);
        rc = vg_store_addr_conflicts(m->s, &conf, m->err);
        if (rc == VG_OK && conf.n) {
            struct vg_addr_conflict *c = VG_ROW(&conf, struct vg_addr_conflict, 0);
            char ip[VG_IP_STRLEN];
            rc = vg_error_at(m->err, VG_ECONFLICT, m->file, 0, "ip",
                             "address %s would belong to hosts \"%s\" and \"%s\" of unit \"%s\"",
                             vg_ip_format(&c->ip, ip), c->host_a, c->host_b, c->unit);
        }
        vg_rows_release(&conf);
        if (rc)
            goto out;
    }
    vg_debug("host import: wrote in %.2f s", now_s() - t0);
    rc = imp_finish(m, "host.import");
    goto done;
nomem:
    rc = vg_error_set(m->err, VG_ENOMEM, "out of memory");
out:
    if (vg_store_in_tx(m->s))
        vg_store_rollback(m->s);
done:
    vg_map_release(&sys);
    vg_map_release(&hosts_file);
    vg_map_release(&addrs);
    vg_map_release(&hosts_store);
    vg_map_release(&cmap);
    vg_rows_release(&rows);
    vg_rows_release(&stored);
    vg_rows_release(&systems);
    vg_rows_release(&contacts);
    return rc;
}
