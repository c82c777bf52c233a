/*
 * edit.c - single-record changes to the inventory (add, remove), each
 * validated, written and audited in one transaction.
 */
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "core/banned.h"

/* Audit action on object with a detail object (consumed). */
static int audit(struct vg_store *s, const char *action, const char *object, json_t *detail,
                 struct vg_error *err)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    int rc;
    json_decref(detail);
    rc = vg_store_audit(s, action, object, text, err);
    free(text);
    return rc;
}

static int check(int rc, const char *field, const char *why, struct vg_error *err)
{
    if (rc)
        return vg_error_set(err, VG_EINVAL, "%s %s", field, why);
    return VG_OK;
}

static int unit_id(struct vg_store *s, const char *name, int64_t *id, struct vg_error *err)
{
    struct vg_unit u;
    struct vg_arena a;
    int rc;
    vg_arena_init(&a);
    rc = vg_store_unit_get(s, name, &u, &a, err);
    if (rc == VG_OK)
        *id = u.id;
    vg_arena_release(&a);
    return rc;
}

static int contact_id(struct vg_store *s, const char *name, int64_t *id, struct vg_error *err)
{
    struct vg_contact c;
    struct vg_arena a;
    int rc;
    vg_arena_init(&a);
    rc = vg_store_contact_get(s, name, &c, &a, err);
    if (rc == VG_OK)
        *id = c.id;
    vg_arena_release(&a);
    return rc;
}

static int end(struct vg_store *s, int rc, struct vg_error *err)
{
    if (rc) {
        vg_store_rollback(s);
        return rc;
    }
    return vg_store_commit(s, err);
}

static char *object(char *buf, size_t size, const char *kind, const char *a, const char *b)
{
    if (b)
        snprintf(buf, size, "%s:%s/%s", kind, a, b);
    else
        snprintf(buf, size, "%s:%s", kind, a);
    return buf;
}

int vg_inv_unit_add(struct vg_store *s, struct vg_unit *u, struct vg_error *err)
{
    char why[160], obj[512];
    int rc;
    if ((rc = check(vg_inv_check_name(u->name ? u->name : "", why), "unit name", why, err)))
        return rc;
    if (u->full_name && vg_str_has_ctl(u->full_name, strlen(u->full_name)))
        return vg_error_set(err, VG_EINVAL, "full name contains control characters");
    if (u->note && (rc = check(vg_inv_check_text(u->note, why), "note", why, err)))
        return rc;
    if ((rc = vg_store_begin(s, err)))
        return rc;
    u->parent_id = 0;
    if (u->parent) {
        if (strcmp(u->parent, u->name) == 0) {
            rc = vg_error_set(err, VG_EINVAL, "a unit cannot be its own parent");
            goto out;
        }
        if ((rc = unit_id(s, u->parent, &u->parent_id, err)))
            goto out;
    }
    if ((rc = vg_store_unit_add(s, u, err)))
        goto out;
    json_t *d = json_object();
    vg_json_set(d, "full_name", vg_json_str(u->full_name));
    vg_json_set(d, "parent", vg_json_str(u->parent));
    rc = audit(s, "unit.add", object(obj, sizeof obj, "unit", u->name, NULL), d, err);
out:
    return end(s, rc, err);
}

int vg_inv_contact_add(struct vg_store *s, struct vg_contact *c, struct vg_error *err)
{
    char why[160], obj[512];
    int rc;
    if ((rc = check(vg_inv_check_name(c->name ? c->name : "", why), "contact name", why, err)))
        return rc;
    if (c->phone && (rc = check(vg_inv_check_phone(c->phone, why), "phone", why, err)))
        return rc;
    if (c->email && (rc = check(vg_inv_check_email(c->email, why), "e-mail", why, err)))
        return rc;
    if (c->role && vg_str_has_ctl(c->role, strlen(c->role)))
        return vg_error_set(err, VG_EINVAL, "role contains control characters");
    if (c->note && (rc = check(vg_inv_check_text(c->note, why), "note", why, err)))
        return rc;
    if (c->escalation < 0 || c->escalation > 99)
        return vg_error_set(err, VG_EINVAL, "escalation order %d is not between 0 and 99",
                            c->escalation);
    if ((rc = vg_store_begin(s, err)))
        return rc;
    c->unit_id = 0;
    if (c->unit && (rc = unit_id(s, c->unit, &c->unit_id, err)))
        goto out;
    if ((rc = vg_store_contact_add(s, c, err)))
        goto out;
    json_t *d = json_object();
    vg_json_set(d, "unit", vg_json_str(c->unit));
    vg_json_set(d, "role", vg_json_str(c->role));
    vg_json_set(d, "escalation", vg_json_int(c->escalation));
    rc = audit(s, "contact.add", object(obj, sizeof obj, "contact", c->name, NULL), d, err);
out:
    return end(s, rc, err);
}

int vg_inv_system_add(struct vg_store *s, struct vg_system *y, struct vg_error *err)
{
    char why[160], obj[512];
    int rc;
    if ((rc = check(vg_inv_check_name(y->name ? y->name : "", why), "system name", why, err)))
        return rc;
    if (y->level < 1 || y->level > 5)
        return vg_error_set(err, VG_EINVAL, "%d is not a security level (1 to 5)", y->level);
    if (!y->unit)
        return vg_error_set(err, VG_EINVAL, "a system needs its unit (--unit)");
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = unit_id(s, y->unit, &y->unit_id, err)))
        goto out;
    if ((rc = vg_store_system_add(s, y, err)))
        goto out;
    json_t *d = json_object();
    vg_json_set(d, "level", vg_json_int(y->level));
    rc = audit(s, "system.add", object(obj, sizeof obj, "system", y->unit, y->name), d, err);
out:
    return end(s, rc, err);
}

int vg_inv_host_add(struct vg_store *s, struct vg_host *h, struct vg_error *err)
{
    char why[160], obj[512], host[VG_HOSTNAME_MAX + 1];
    const char *role;
    int rc;
    struct vg_rows conf;
    if (!h->hostname || strlen(h->hostname) > VG_HOSTNAME_MAX)
        return vg_error_set(err, VG_EINVAL, "host name is missing or too long");
    vg_strlcpy(host, h->hostname, sizeof host);
    if ((rc = check(vg_inv_check_hostname(host, why), "host name", why, err)))
        return rc;
    const char *given = h->hostname;
    h->hostname = host;
    if ((rc = check(vg_inv_parse_role(h->role ? h->role : "", &role, why), "role", why, err))) {
        h->hostname = given;
        return rc;
    }
    h->role = role;
    if ((h->note && check(vg_inv_check_text(h->note, why), "note", why, err)) ||
        (h->os && vg_str_has_ctl(h->os, strlen(h->os)))) {
        h->hostname = given;
        return err && err->code ? err->code
                                : vg_error_set(err, VG_EINVAL, "os contains control characters");
    }
    if (!h->unit) {
        h->hostname = given;
        return vg_error_set(err, VG_EINVAL, "a host needs its unit (--unit)");
    }
    if ((rc = vg_store_begin(s, err))) {
        h->hostname = given;
        return rc;
    }
    if ((rc = unit_id(s, h->unit, &h->unit_id, err)))
        goto out;
    h->owner_id = 0;
    if (h->owner && (rc = contact_id(s, h->owner, &h->owner_id, err)))
        goto out;
    for (size_t i = 0; i < h->nsystems; i++) {
        struct vg_system y;
        struct vg_arena a;
        vg_arena_init(&a);
        rc = vg_store_system_get(s, h->unit_id, h->systems[i].name, &y, &a, err);
        if (rc == VG_OK)
            h->systems[i].id = y.id;
        vg_arena_release(&a);
        if (rc)
            goto out;
    }
    for (size_t i = 0; i < h->naddrs; i++)
        h->addrs[i].public = vg_ip_is_public(&h->addrs[i].ip);
    h->id = 0;
    if ((rc = vg_store_host_put(s, h, err)))
        goto out;
    vg_rows_init(&conf);
    rc = vg_store_addr_conflicts(s, &conf, err);
    if (rc == VG_OK && conf.n) {
        struct vg_addr_conflict *c = VG_ROW(&conf, struct vg_addr_conflict, 0);
        char ip[VG_IP_STRLEN];
        rc = vg_error_set(err, VG_ECONFLICT, "address %s already belongs to host '%s' of unit '%s'",
                          vg_ip_format(&c->ip, ip),
                          strcmp(c->host_a, h->hostname) ? c->host_a : c->host_b, c->unit);
    }
    vg_rows_release(&conf);
    if (rc)
        goto out;
    json_t *d = json_object();
    vg_json_set(d, "role", json_string(h->role));
    vg_json_set(d, "os", vg_json_str(h->os));
    json_t *ips = json_array();
    for (size_t i = 0; i < h->naddrs; i++) {
        char ip[VG_IP_STRLEN];
        json_array_append_new(ips, json_string(vg_ip_format(&h->addrs[i].ip, ip)));
    }
    vg_json_set(d, "ip", ips);
    rc = audit(s, "host.add", object(obj, sizeof obj, "host", h->unit, h->hostname), d, err);
out:
    /* host[] dies here: give the caller back its own string. */
    h->hostname = given;
    return end(s, rc, err);
}

int vg_inv_netblock_add(struct vg_store *s, struct vg_netblock *nb, struct vg_error *err)
{
    char obj[512], text[VG_PREFIX_STRLEN];
    int rc;
    if (!nb->unit)
        return vg_error_set(err, VG_EINVAL, "a netblock needs its unit (--unit)");
    char why[160];
    if (nb->note && vg_inv_check_text(nb->note, why))
        return vg_error_set(err, VG_EINVAL, "note %s", why);
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = unit_id(s, nb->unit, &nb->unit_id, err)))
        goto out;
    if ((rc = vg_store_netblock_add(s, nb, err)))
        goto out;
    json_t *d = json_object();
    vg_json_set(d, "public", json_boolean(nb->public));
    rc = audit(s, "netblock.add",
               object(obj, sizeof obj, "netblock", nb->unit, vg_prefix_format(&nb->prefix, text)),
               d, err);
out:
    return end(s, rc, err);
}

int vg_inv_duty_add(struct vg_store *s, struct vg_duty *d, struct vg_error *err)
{
    char obj[512], a[32], b[32];
    int rc;
    if (!d->contact)
        return vg_error_set(err, VG_EINVAL, "a shift needs its contact");
    if (d->ends_at <= d->starts_at)
        return vg_error_set(err, VG_EINVAL, "the shift ends (%s) before it starts (%s)",
                            vg_time_local(d->ends_at, a), vg_time_local(d->starts_at, b));
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = contact_id(s, d->contact, &d->contact_id, err)))
        goto out;
    if ((rc = vg_store_duty_add(s, d, err)))
        goto out;
    json_t *j = json_object();
    vg_json_set(j, "contact", vg_json_str(d->contact));
    vg_json_set(j, "from", vg_json_time(d->starts_at));
    vg_json_set(j, "to", vg_json_time(d->ends_at));
    snprintf(obj, sizeof obj, "duty:%lld", (long long)d->id);
    rc = audit(s, "duty.add", obj, j, err);
out:
    return end(s, rc, err);
}

int vg_inv_unit_rm(struct vg_store *s, const char *name, struct vg_error *err)
{
    char obj[512];
    struct vg_unit_usage use;
    int64_t id;
    int rc;
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = unit_id(s, name, &id, err)))
        goto out;
    if ((rc = vg_store_unit_usage(s, id, &use, err)))
        goto out;
    if (use.children || use.systems || use.hosts || use.contacts || use.netblocks) {
        rc = vg_error_set(err, VG_ECONFLICT,
                          "unit '%s' still has %lld hosts, %lld systems, %lld netblocks, %lld "
                          "contacts and %lld child units: remove or move them first",
                          name, (long long)use.hosts, (long long)use.systems,
                          (long long)use.netblocks, (long long)use.contacts,
                          (long long)use.children);
        goto out;
    }
    if ((rc = vg_store_unit_rm(s, id, err)))
        goto out;
    rc = audit(s, "unit.rm", object(obj, sizeof obj, "unit", name, NULL), NULL, err);
out:
    return end(s, rc, err);
}

int vg_inv_contact_rm(struct vg_store *s, const char *name, struct vg_error *err)
{
    char obj[512];
    int64_t id;
    int rc;
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = contact_id(s, name, &id, err)))
        goto out;
    if ((rc = vg_store_contact_rm(s, id, err)))
        goto out;
    rc = audit(s, "contact.rm", object(obj, sizeof obj, "contact", name, NULL), NULL, err);
out:
    return end(s, rc, err);
}

int vg_inv_system_rm(struct vg_store *s, const char *unit, const char *name, struct vg_error *err)
{
    char obj[512];
    struct vg_system y;
    struct vg_arena a;
    int64_t uid;
    int rc;
    vg_arena_init(&a);
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = unit_id(s, unit, &uid, err)))
        goto out;
    if ((rc = vg_store_system_get(s, uid, name, &y, &a, err)))
        goto out;
    if ((rc = vg_store_system_rm(s, y.id, err)))
        goto out;
    json_t *d = json_object();
    vg_json_set(d, "level", vg_json_int(y.level));
    vg_json_set(d, "hosts", vg_json_int(y.hosts));
    rc = audit(s, "system.rm", object(obj, sizeof obj, "system", unit, name), d, err);
out:
    vg_arena_release(&a);
    return end(s, rc, err);
}

int vg_inv_host_find(struct vg_store *s, const char *unit, const char *hostname,
                     struct vg_host *out, struct vg_arena *a, struct vg_error *err)
{
    char host[VG_HOSTNAME_MAX + 1], why[160];
    int64_t uid;
    int rc;
    vg_strlcpy(host, hostname, sizeof host);
    if (vg_inv_check_hostname(host, why))
        return vg_error_set(err, VG_EINVAL, "host name %s", why);
    if (unit) {
        if ((rc = unit_id(s, unit, &uid, err)))
            return rc;
        return vg_store_host_get(s, uid, host, out, a, err);
    }
    /* No unit: the name must be unique across units. */
    struct vg_rows units;
    size_t found = 0;
    char names[256] = "";
    size_t off = 0;
    vg_rows_init(&units);
    rc = vg_store_unit_list(s, &units, err);
    for (size_t i = 0; rc == VG_OK && i < units.n; i++) {
        struct vg_unit *u = VG_ROW(&units, struct vg_unit, i);
        struct vg_host h;
        int r = vg_store_host_get(s, u->id, host, &h, a, NULL);
        if (r == VG_OK) {
            if (!found)
                *out = h;
            found++;
            int w = snprintf(names + off, sizeof names - off, "%s'%s'", off ? ", " : "", u->name);
            if (w > 0 && (size_t)w < sizeof names - off)
                off += (size_t)w;
        } else if (r != VG_ENOTFOUND) {
            rc = vg_store_host_get(s, u->id, host, &h, a, err);
        }
    }
    vg_rows_release(&units);
    if (rc)
        return rc;
    if (!found)
        return vg_error_set(err, VG_ENOTFOUND, "no host '%s' (see 'vigil host list')", host);
    if (found > 1)
        return vg_error_set(err, VG_ECONFLICT,
                            "host '%s' exists in units %s: say which with --unit", host, names);
    return VG_OK;
}

int vg_inv_host_rm(struct vg_store *s, const char *unit, const char *hostname, struct vg_error *err)
{
    char obj[512];
    struct vg_host h;
    struct vg_arena a;
    int rc;
    vg_arena_init(&a);
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = vg_inv_host_find(s, unit, hostname, &h, &a, err)))
        goto out;
    if ((rc = vg_store_host_rm(s, h.id, err)))
        goto out;
    rc = audit(s, "host.rm", object(obj, sizeof obj, "host", h.unit, h.hostname), NULL, err);
out:
    vg_arena_release(&a);
    return end(s, rc, err);
}

int vg_inv_netblock_rm(struct vg_store *s, const char *unit, const char *prefix,
                       struct vg_error *err)
{
    char obj[512], text[VG_PREFIX_STRLEN];
    struct vg_prefix p;
    int64_t uid, id;
    int rc;
    if (vg_prefix_parse(prefix, strlen(prefix), 0, &p))
        return vg_error_set(err, VG_EINVAL, "'%s' is not an IP address or CIDR prefix", prefix);
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = unit_id(s, unit, &uid, err)))
        goto out;
    if ((rc = vg_store_netblock_find(s, uid, &p, &id, err)))
        goto out;
    if ((rc = vg_store_netblock_rm(s, id, err)))
        goto out;
    rc = audit(s, "netblock.rm",
               object(obj, sizeof obj, "netblock", unit, vg_prefix_format(&p, text)), NULL, err);
out:
    return end(s, rc, err);
}

int vg_inv_duty_rm(struct vg_store *s, int64_t id, struct vg_error *err)
{
    char obj[64];
    int rc;
    if ((rc = vg_store_begin(s, err)))
        return rc;
    if ((rc = vg_store_duty_rm(s, id, err)))
        goto out;
    snprintf(obj, sizeof obj, "duty:%lld", (long long)id);
    rc = audit(s, "duty.rm", obj, NULL, err);
out:
    return end(s, rc, err);
}
