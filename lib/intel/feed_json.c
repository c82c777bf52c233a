/*
 * feed_json.c - the JSON feed formats, read with jansson: abuse.ch Feodo
 * Tracker's blocklist (an array of objects), STIX 2.1 bundles (indicators
 * whose pattern compares observables with '=' joined by OR) and MISP
 * events (Event.Attribute[] and Event.Object[].Attribute[]).
 *
 * JSON carries no line numbers per value: an indicator's line is its
 * object's index + 1 (for MISP, the attribute's position in the event),
 * and messages name the JSON path.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "intel/feed_int.h"
#include "core/banned.h"

#define WHY_MAX 320

static int load(struct feed *f, json_t **out)
{
    json_error_t je;
    *out = NULL;
    if (f->len > FEED_JSON_MAX)
        return vg_error_at(f->err, VG_ETOOBIG, f->file, 0, NULL,
                           "JSON document larger than %zu MiB", FEED_JSON_MAX >> 20);
    *out = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &je);
    if (!*out)
        return vg_error_at(f->err, VG_EPARSE, f->file, je.line > 0 ? (size_t)je.line : 0, NULL,
                           "column %d: %s", je.column, je.text);
    return VG_OK;
}

/* A string member, or NULL (also for null, numbers are not strings). */
static const char *str(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t slen(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_length(v) : 0;
}

/* A time member: VG_OK with *t (0 if absent), or VG_EPARSE. */
static int time_member(const json_t *o, const char *key, time_t *t)
{
    const char *s = str(o, key);
    *t = 0;
    if (!s || !*s)
        return VG_OK;
    return feed_time_parse(s, strlen(s), t);
}

/* ---- Feodo Tracker JSON -------------------------------------------------- */

static int feodo_object(struct feed *f, const json_t *o, size_t idx)
{
    struct feed_value v;
    struct vg_indicator ctx;
    struct vg_buf comment;
    char why[WHY_MAX];
    const char *ip = str(o, "ip_address"), *s;
    const json_t *port = json_object_get(o, "port"), *asn;
    size_t line = idx + 1;
    int rc;

    if (!json_is_object(o))
        return feed_bad(f, line, "[%zu]: not an object", idx);
    if (!ip)
        return feed_bad(f, line, "[%zu]: no ip_address", idx);
    memset(&ctx, 0, sizeof ctx);
    ctx.line = line;
    if (time_member(o, "first_seen", &ctx.first_seen))
        return feed_bad(f, line, "[%zu].first_seen: not a time", idx);
    if (time_member(o, "last_online", &ctx.last_seen))
        return feed_bad(f, line, "[%zu].last_online: not a time", idx);
    if (json_is_integer(port)) {
        json_int_t p = json_integer_value(port);
        if (p < 0 || p > 65535)
            return feed_bad(f, line, "[%zu].port: %lld is not a port number", idx, (long long)p);
        ctx.port = (int)p;
    } else if (json_is_string(port)) {
        int64_t p;
        if (vg_parse_i64(json_string_value(port), json_string_length(port), 0, 65535, &p))
            return feed_bad(f, line, "[%zu].port: not a port number", idx);
        ctx.port = (int)p;
    } else if (port && !json_is_null(port)) {
        return feed_bad(f, line, "[%zu].port: not a port number", idx);
    }
    ctx.family = str(o, "malware");
    if (ctx.family && !*ctx.family)
        ctx.family = NULL;
    rc = feed_value_parse(ip, slen(o, "ip_address"), FEED_T_IP, &v, why, sizeof why);
    if (rc == VG_OK && v.range)
        rc = VG_EPARSE;
    if (rc)
        return feed_bad(f, line, "[%zu].ip_address: %s", idx, rc == VG_EPARSE ? why : "bad");
    /* "AS16276 OVH SAS, FR, online, host.example": what a duty officer reads. */
    vg_buf_init(&comment, 4096);
    asn = json_object_get(o, "as_number");
    if (json_is_integer(asn))
        vg_buf_addf(&comment, "AS%lld", (long long)json_integer_value(asn));
    if ((s = str(o, "as_name")) && *s)
        vg_buf_addf(&comment, "%s%s", comment.len ? " " : "", s);
    if ((s = str(o, "country")) && *s)
        vg_buf_addf(&comment, "%s%s", comment.len ? ", " : "", s);
    if ((s = str(o, "status")) && *s)
        vg_buf_addf(&comment, "%s%s", comment.len ? ", " : "", s);
    if ((s = str(o, "hostname")) && *s)
        vg_buf_addf(&comment, "%s%s", comment.len ? ", " : "", s);
    ctx.comment = comment.len ? comment.data : NULL;
    rc = feed_value_emit(f, &v, &ctx);
    vg_buf_release(&comment);
    feed_value_release(&v);
    return rc;
}

int feed_parse_feodo_json(struct feed *f)
{
    json_t *root;
    size_t i;
    json_t *o;
    int rc = load(f, &root);
    if (rc)
        return rc;
    if (!json_is_array(root)) {
        json_decref(root);
        return vg_error_at(f->err, VG_EPARSE, f->file, 0, NULL,
                           "not a JSON array (is this Feodo Tracker's ipblocklist.json?)");
    }
    json_array_foreach(root, i, o)
    {
        f->info->records++;
        rc = feodo_object(f, o, i);
        if (rc)
            break;
    }
    json_decref(root);
    return rc;
}

/* ---- STIX 2.1 ------------------------------------------------------------- */

/* One comparison "path = 'value'" of a pattern. */
struct stix_cmp {
    int allowed; /* FEED_T_*, 0: an object vigil does not match */
    int family;  /* 4 or 6 for ipv4-addr / ipv6-addr, else 0 */
    char *value; /* unescaped, malloc'd */
};

#define STIX_MAX_CMP 256

struct stix_pat {
    const char *p, *end;
    struct stix_cmp cmp[STIX_MAX_CMP];
    size_t n;
};

static void ws(struct stix_pat *sp)
{
    while (sp->p < sp->end && (*sp->p == ' ' || *sp->p == '\t' || *sp->p == '\n' || *sp->p == '\r'))
        sp->p++;
}

static bool word(struct stix_pat *sp, const char *w)
{
    size_t n = strlen(w);
    ws(sp);
    if ((size_t)(sp->end - sp->p) < n || memcmp(sp->p, w, n) != 0)
        return false;
    sp->p += n;
    return true;
}

static const struct {
    const char *path;
    int allowed, family;
} stix_paths[] = {
    {"ipv4-addr:value", FEED_T_IP, 4},         {"ipv6-addr:value", FEED_T_IP, 6},
    {"domain-name:value", FEED_T_DOMAIN, 0},   {"url:value", FEED_T_URL, 0},
    {"file:hashes.MD5", FEED_T_HASH, 0},       {"file:hashes.'MD5'", FEED_T_HASH, 0},
    {"file:hashes.'SHA-1'", FEED_T_HASH, 0},   {"file:hashes.SHA1", FEED_T_HASH, 0},
    {"file:hashes.'SHA-256'", FEED_T_HASH, 0}, {"file:hashes.SHA256", FEED_T_HASH, 0},
};

/* path '=' 'string'; false if the comparison is of another shape. */
static bool stix_comparison(struct stix_pat *sp)
{
    const char *start;
    struct stix_cmp *c;
    struct vg_buf b;
    ws(sp);
    start = sp->p;
    /* The object path: up to whitespace or '=' (quoted parts may hold neither). */
    while (sp->p < sp->end && *sp->p != ' ' && *sp->p != '\t' && *sp->p != '=' && *sp->p != ']' &&
           *sp->p != '\n' && *sp->p != '\r')
        sp->p++;
    if (sp->p == start || sp->n == STIX_MAX_CMP)
        return false;
    c = &sp->cmp[sp->n];
    c->allowed = 0;
    c->family = 0;
    c->value = NULL;
    for (size_t i = 0; i < sizeof stix_paths / sizeof stix_paths[0]; i++)
        if (strlen(stix_paths[i].path) == (size_t)(sp->p - start) &&
            memcmp(stix_paths[i].path, start, (size_t)(sp->p - start)) == 0) {
            c->allowed = stix_paths[i].allowed;
            c->family = stix_paths[i].family;
        }
    ws(sp);
    if (sp->p >= sp->end || *sp->p != '=')
        return false;
    sp->p++;
    ws(sp);
    if (sp->p >= sp->end || *sp->p != '\'')
        return false;
    sp->p++;
    vg_buf_init(&b, VG_BUF_NOLIMIT);
    for (;;) {
        if (sp->p >= sp->end) {
            vg_buf_release(&b);
            return false;
        }
        if (*sp->p == '\\' && sp->p + 1 < sp->end && (sp->p[1] == '\'' || sp->p[1] == '\\')) {
            vg_buf_addc(&b, sp->p[1]);
            sp->p += 2;
            continue;
        }
        if (*sp->p == '\'') {
            sp->p++;
            break;
        }
        vg_buf_addc(&b, *sp->p++);
    }
    c->value = vg_buf_detach(&b, NULL);
    vg_buf_release(&b);
    if (!c->value)
        return false;
    sp->n++;
    return true;
}

/*
 * pattern := obs (OR obs)*; obs := '[' cmp (OR cmp)* ']'. Anything else
 * (AND, FOLLOWEDBY, qualifiers, other operators) is a pattern vigil does not
 * turn into indicators: false.
 */
static bool stix_pattern(struct stix_pat *sp)
{
    for (;;) {
        if (!word(sp, "["))
            return false;
        for (;;) {
            if (!stix_comparison(sp))
                return false;
            if (word(sp, "]"))
                break;
            if (!word(sp, "OR"))
                return false;
        }
        ws(sp);
        if (sp->p == sp->end)
            return true;
        if (!word(sp, "OR"))
            return false;
    }
}

static void stix_free(struct stix_pat *sp)
{
    for (size_t i = 0; i < sp->n; i++)
        free(sp->cmp[i].value);
    sp->n = 0;
}

/* The family: name, else the first label. */
static const char *stix_family(const json_t *o)
{
    const char *s = str(o, "name");
    const json_t *labels = json_object_get(o, "labels");
    if (s && *s)
        return s;
    if (json_is_array(labels) && json_is_string(json_array_get(labels, 0)))
        return json_string_value(json_array_get(labels, 0));
    return NULL;
}

static int stix_indicator(struct feed *f, const json_t *o, size_t idx, struct stix_pat *sp)
{
    const char *pattern = str(o, "pattern"), *ptype = str(o, "pattern_type");
    size_t line = idx + 1;
    struct vg_indicator ctx;
    const json_t *revoked = json_object_get(o, "revoked");
    char q[FEED_QUOTE_MAX + 8];
    int rc = VG_OK;

    if (json_is_true(revoked))
        return VG_OK;
    if (ptype && strcmp(ptype, "stix") != 0)
        return VG_OK; /* snort, yara, sigma, ...: not ours */
    if (!pattern)
        return feed_bad(f, line, "objects[%zu]: indicator without a pattern", idx);
    memset(&ctx, 0, sizeof ctx);
    ctx.line = line;
    if (time_member(o, "valid_from", &ctx.first_seen))
        return feed_bad(f, line, "objects[%zu].valid_from: not a time", idx);
    if (time_member(o, "valid_until", &ctx.last_seen))
        return feed_bad(f, line, "objects[%zu].valid_until: not a time", idx);
    ctx.family = stix_family(o);
    ctx.comment = str(o, "description");
    if (ctx.comment && !*ctx.comment)
        ctx.comment = NULL;
    sp->p = pattern;
    sp->end = pattern + slen(o, "pattern");
    sp->n = 0;
    if (!stix_pattern(sp)) {
        stix_free(sp);
        return VG_OK; /* AND-joined or another shape: skipped, not an error */
    }
    /* Check every comparison first, so a bad one leaves the indicator out whole. */
    struct feed_value *vals = calloc(sp->n ? sp->n : 1, sizeof *vals);
    if (!vals) {
        stix_free(sp);
        return vg_error_set(f->err, VG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < sp->n; i++) {
        struct stix_cmp *c = &sp->cmp[i];
        char why[WHY_MAX];
        if (!c->allowed)
            continue;
        rc = feed_value_parse(c->value, strlen(c->value), c->allowed, &vals[i], why, sizeof why);
        if (rc == VG_OK && c->family &&
            (vals[i].range || vals[i].ind.prefix.ip.family != c->family)) {
            feed_value_release(&vals[i]);
            snprintf(why, sizeof why, "%s is not an IPv%d address or prefix",
                     feed_quote(q, sizeof q, c->value, strlen(c->value)), c->family);
            rc = VG_EPARSE;
        }
        if (rc) {
            rc = rc == VG_ENOMEM ? vg_error_set(f->err, rc, "out of memory")
                                 : feed_bad(f, line, "objects[%zu].pattern: %s", idx, why);
            goto out;
        }
    }
    for (size_t i = 0; i < sp->n && rc == VG_OK; i++)
        if (sp->cmp[i].allowed)
            rc = feed_value_emit(f, &vals[i], &ctx);
out:
    for (size_t i = 0; i < sp->n; i++)
        feed_value_release(&vals[i]); /* calloc'd: those never parsed hold nothing */
    free(vals);
    stix_free(sp);
    return rc;
}

int feed_parse_stix(struct feed *f)
{
    json_t *root, *objs, *o;
    struct stix_pat *sp;
    size_t i;
    int rc = load(f, &root);
    if (rc)
        return rc;
    objs = json_object_get(root, "objects");
    if (!json_is_object(root) || !json_is_string(json_object_get(root, "type")) ||
        strcmp(str(root, "type"), "bundle") != 0 || (objs && !json_is_array(objs))) {
        json_decref(root);
        return vg_error_at(f->err, VG_EPARSE, f->file, 0, NULL,
                           "not a STIX bundle (an object with \"type\": \"bundle\" and an "
                           "\"objects\" array)");
    }
    sp = malloc(sizeof *sp);
    if (!sp) {
        json_decref(root);
        return vg_error_set(f->err, VG_ENOMEM, "out of memory");
    }
    sp->n = 0;
    json_array_foreach(objs, i, o)
    {
        const char *type = str(o, "type");
        time_t mod;
        if (!json_is_object(o) || !type) {
            f->info->records++;
            rc = feed_bad(f, i + 1, "objects[%zu]: not a STIX object (no \"type\")", i);
        } else if (strcmp(type, "indicator") == 0) {
            f->info->records++;
            /* The bundle's date: its newest indicator. */
            if (time_member(o, "modified", &mod) == VG_OK && mod > f->info->issued)
                f->info->issued = mod;
            rc = stix_indicator(f, o, i, sp);
        }
        if (rc)
            break;
    }
    free(sp);
    json_decref(root);
    return rc;
}

/* ---- MISP ------------------------------------------------------------------ */

struct misp {
    struct feed *f;
    const char *info; /* Event.info */
    size_t line;      /* attributes seen */
};

static bool misp_to_ids(const json_t *v)
{
    if (!v || json_is_true(v))
        return true;
    if (json_is_false(v) || json_is_null(v))
        return false;
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        return !(strcmp(s, "0") == 0 || vg_str_ieq(s, "false") || *s == '\0');
    }
    return true;
}

/* What each MISP attribute type holds: one or two values split at '|'. */
static const struct {
    const char *type;
    int left, right; /* FEED_T_* of each side; right 0: a single value; -1: ignored (filename) */
    bool port;       /* right side is a port */
} misp_types[] = {
    {"ip-src", FEED_T_IP, 0, false},
    {"ip-dst", FEED_T_IP, 0, false},
    {"ip-src|port", FEED_T_IP, 0, true},
    {"ip-dst|port", FEED_T_IP, 0, true},
    {"domain", FEED_T_DOMAIN, 0, false},
    {"hostname", FEED_T_DOMAIN, 0, false},
    {"domain|ip", FEED_T_DOMAIN, FEED_T_IP, false},
    {"url", FEED_T_URL, 0, false},
    {"md5", FEED_T_HASH, 0, false},
    {"sha1", FEED_T_HASH, 0, false},
    {"sha256", FEED_T_HASH, 0, false},
    {"filename|md5", -1, FEED_T_HASH, false},
    {"filename|sha1", -1, FEED_T_HASH, false},
    {"filename|sha256", -1, FEED_T_HASH, false},
};

static int misp_hash_type(const char *t)
{
    const char *bar = strchr(t, '|');
    const char *h = bar ? bar + 1 : t;
    return strcmp(h, "md5") == 0    ? VG_IOC_MD5
           : strcmp(h, "sha1") == 0 ? VG_IOC_SHA1
                                    : VG_IOC_SHA256;
}

static int misp_attribute(struct misp *m, const json_t *a, const char *path)
{
    struct feed *f = m->f;
    size_t line = ++m->line, k;
    const char *type, *value, *bar, *sides[2];
    size_t lens[2];
    int allowed[2];
    struct feed_value v[2];
    bool have[2] = {false, false};
    struct vg_indicator ctx;
    char why[WHY_MAX], q[FEED_QUOTE_MAX + 8];
    int rc = VG_OK;

    f->info->records++;
    if (!json_is_object(a))
        return feed_bad(f, line, "%s: not an object", path);
    type = str(a, "type");
    value = str(a, "value");
    if (!type || !value)
        return feed_bad(f, line, "%s: attribute without a type or a value", path);
    if (json_is_true(json_object_get(a, "deleted")))
        return VG_OK;
    for (k = 0; k < sizeof misp_types / sizeof misp_types[0]; k++)
        if (strcmp(misp_types[k].type, type) == 0)
            break;
    if (k == sizeof misp_types / sizeof misp_types[0])
        return VG_OK; /* email, filename, mutex, ...: not matched by vigil */
    if (!misp_to_ids(json_object_get(a, "to_ids")))
        return VG_OK;
    memset(&ctx, 0, sizeof ctx);
    ctx.line = line;
    ctx.category = str(a, "category");
    ctx.comment = m->info;
    if (time_member(a, "first_seen", &ctx.first_seen))
        return feed_bad(f, line, "%s.first_seen: not a time", path);
    if (time_member(a, "last_seen", &ctx.last_seen))
        return feed_bad(f, line, "%s.last_seen: not a time", path);
    sides[0] = value;
    lens[0] = slen(a, "value");
    allowed[0] = misp_types[k].left;
    allowed[1] = misp_types[k].right;
    bar = memchr(value, '|', lens[0]);
    if (allowed[1] || misp_types[k].port) {
        if (!bar)
            return feed_bad(f, line, "%s.value: %s has no '|' (type %s)", path,
                            feed_quote(q, sizeof q, value, lens[0]), type);
        sides[1] = bar + 1;
        lens[1] = lens[0] - (size_t)(bar - value) - 1;
        lens[0] = (size_t)(bar - value);
    }
    if (misp_types[k].port) {
        int64_t port;
        if (vg_parse_i64(sides[1], lens[1], 0, 65535, &port) != VG_OK)
            return feed_bad(f, line, "%s.value: port %s is not a number from 0 to 65535", path,
                            feed_quote(q, sizeof q, sides[1], lens[1]));
        ctx.port = (int)port;
        allowed[1] = 0;
    }
    for (int i = 0; i < 2; i++) {
        if (allowed[i] <= 0)
            continue;
        rc = feed_value_parse(sides[i], lens[i], allowed[i], &v[i], why, sizeof why);
        if (rc == VG_OK && allowed[i] == FEED_T_HASH && v[i].ind.type != misp_hash_type(type)) {
            feed_value_release(&v[i]);
            snprintf(why, sizeof why, "%s is not a %s digest",
                     feed_quote(q, sizeof q, sides[i], lens[i]),
                     vg_ioc_type_name(misp_hash_type(type)));
            rc = VG_EPARSE;
        }
        if (rc) {
            rc = rc == VG_ENOMEM ? vg_error_set(f->err, rc, "out of memory")
                                 : feed_bad(f, line, "%s.value: %s", path, why);
            goto out;
        }
        have[i] = true;
    }
    for (int i = 0; i < 2 && rc == VG_OK; i++)
        if (have[i])
            rc = feed_value_emit(f, &v[i], &ctx);
out:
    for (int i = 0; i < 2; i++)
        if (have[i])
            feed_value_release(&v[i]);
    return rc;
}

static int misp_attributes(struct misp *m, const json_t *list, const char *prefix)
{
    size_t i;
    const json_t *a;
    char path[96];
    int rc;
    if (!list || json_is_null(list))
        return VG_OK;
    if (!json_is_array(list))
        return feed_bad(m->f, m->line + 1, "%s.Attribute: not an array", prefix);
    json_array_foreach(list, i, a)
    {
        snprintf(path, sizeof path, "%s.Attribute[%zu]", prefix, i);
        rc = misp_attribute(m, a, path);
        if (rc)
            return rc;
    }
    return VG_OK;
}

int feed_parse_misp(struct feed *f)
{
    json_t *root, *ev, *objs, *o;
    struct misp m;
    const char *date;
    size_t i;
    int rc = load(f, &root);
    if (rc)
        return rc;
    ev = json_object_get(root, "Event");
    if (!json_is_object(ev)) {
        json_decref(root);
        return vg_error_at(f->err, VG_EPARSE, f->file, 0, NULL,
                           "not a MISP event (an object with an \"Event\" object)");
    }
    m.f = f;
    m.line = 0;
    m.info = str(ev, "info");
    if (m.info && !*m.info)
        m.info = NULL;
    date = str(ev, "date");
    if (date && feed_time_parse(date, strlen(date), &f->info->issued) != VG_OK) {
        char q[FEED_QUOTE_MAX + 8];
        rc = vg_error_at(f->err, VG_EPARSE, f->file, 0, NULL, "Event.date: %s is not a date",
                         feed_quote(q, sizeof q, date, strlen(date)));
        json_decref(root);
        return rc;
    }
    rc = misp_attributes(&m, json_object_get(ev, "Attribute"), "Event");
    objs = json_object_get(ev, "Object");
    if (rc == VG_OK && objs && !json_is_null(objs)) {
        if (!json_is_array(objs)) {
            rc = feed_bad(f, m.line + 1, "Event.Object: not an array");
        } else {
            json_array_foreach(objs, i, o)
            {
                char prefix[48];
                snprintf(prefix, sizeof prefix, "Event.Object[%zu]", i);
                rc = misp_attributes(&m, json_object_get(o, "Attribute"), prefix);
                if (rc)
                    break;
            }
        }
    }
    json_decref(root);
    return rc;
}
