/*
 * feed_import.c - `vigil feed import`: a feed file becomes a version of its
 * source in the store (or is appended to the current version), with every
 * indicator and its context. Parse and check everything first, then write
 * in one transaction, then audit.
 */
#include "intel/intel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "core/map.h"
#include "store/store.h"
#include "core/banned.h"

#define FEED_MAX_BYTES ((size_t)1 << 30)

void vg_feed_import_result_init(struct vg_feed_import_result *r)
{
    memset(r, 0, sizeof *r);
    vg_arena_init(&r->arena);
}

void vg_feed_import_result_release(struct vg_feed_import_result *r)
{
    free(r->notes);
    vg_arena_release(&r->arena);
    vg_feed_import_result_init(r);
}

/* "type\0value": the key that makes an indicator unique within a version. */
static int ioc_key(struct vg_buf *b, const char *type, const char *value)
{
    vg_buf_reset(b);
    if (vg_buf_add(b, type, strlen(type) + 1) || vg_buf_adds(b, value))
        return VG_ENOMEM;
    return VG_OK;
}

struct collect {
    struct vg_buf key;
    struct vg_feed_import_result *r;
    const struct vg_feed_import_opts *o;
    struct vg_rows rows; /* struct vg_ioc_row, strings in rows.arena */
    struct vg_map seen;  /* "type\0value" -> 1 */
    int err;
};

static void note(struct vg_feed_import_result *r, size_t line, const char *value,
                 const char *reason)
{
    struct vg_feed_note *n = realloc(r->notes, (r->nnotes + 1) * sizeof *n);
    if (!n)
        return;
    r->notes = n;
    n[r->nnotes].line = line;
    n[r->nnotes].value = vg_arena_strdup(&r->arena, value);
    n[r->nnotes].reason = vg_arena_strdup(&r->arena, reason);
    r->nnotes++;
}

static void on_bad(void *ctx, size_t line, const char *reason)
{
    struct collect *c = ctx;
    note(c->r, line, NULL, reason);
}

static char *dup(struct vg_arena *a, const char *s)
{
    return s ? vg_arena_strdup(a, s) : NULL;
}

static int on_ioc(void *ctx, const struct vg_indicator *in)
{
    struct collect *c = ctx;
    struct vg_ioc_row *row;
    char text[VG_PREFIX_STRLEN];
    const char *value = in->value;
    const char *type = vg_ioc_type_name(in->type);
    bool created;
    if (in->type == VG_IOC_IP)
        value = vg_prefix_format(&in->prefix, text);
    if (!value || !*type)
        return 0;
    if (ioc_key(&c->key, type, value) || !vg_map_put(&c->seen, c->key.data, c->key.len, &created)) {
        c->err = VG_ENOMEM;
        return VG_ENOMEM;
    }
    if (!created) {
        c->r->duplicates++;
        return 0;
    }
    row = vg_rows_push(&c->rows, sizeof *row);
    if (!row) {
        c->err = VG_ENOMEM;
        return VG_ENOMEM;
    }
    row->type = type;
    row->value = vg_arena_strdup(&c->rows.arena, value);
    row->family = dup(&c->rows.arena, in->family);
    row->category = dup(&c->rows.arena, in->category);
    row->comment = dup(&c->rows.arena, in->comment);
    row->score = in->score;
    row->port = in->port;
    row->size = (int64_t)in->size;
    row->first_seen = in->first_seen;
    row->last_seen = in->last_seen;
    row->line = (int64_t)in->line;
    if (in->type == VG_IOC_IP && !vg_prefix_is_public(&in->prefix)) {
        char why[160];
        int cls = vg_ip_class(&in->prefix.ip);
        snprintf(why, sizeof why, "%s space: %s",
                 cls == VG_IP_PUBLIC ? "covers private or reserved" : vg_ip_class_name(cls),
                 c->o->allow_private ? "kept for matching (--allow-private)"
                                     : "not matched (give --allow-private to match it)");
        row->ignored = !c->o->allow_private;
        note(c->r, in->line, value, why);
    }
    c->r->by_type[in->type]++;
    return 0;
}

/* The JSON text of a CSV map, for the source to remember. NULL if none. */
static char *map_json(const struct vg_feed_csv_map *m)
{
    json_t *j;
    char *s;
    if (!m)
        return NULL;
    j = json_object();
    vg_json_set(j, "ip", vg_json_str(m->ip_col));
    vg_json_set(j, "domain", vg_json_str(m->domain_col));
    vg_json_set(j, "url", vg_json_str(m->url_col));
    vg_json_set(j, "hash", vg_json_str(m->hash_col));
    vg_json_set(j, "time", vg_json_str(m->time_col));
    vg_json_set(j, "family", vg_json_str(m->family_col));
    vg_json_set(j, "port", vg_json_str(m->port_col));
    vg_json_set(j, "comment", vg_json_str(m->comment_col));
    s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    return s;
}

/* A remembered map back into m (strings borrowed from the arena). */
static bool map_load(const char *text, struct vg_feed_csv_map *m, struct vg_arena *a)
{
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        return false;
    }
#define GET(key, field)                                                                            \
    do {                                                                                           \
        const char *v = json_string_value(json_object_get(j, key));                                \
        m->field = v ? vg_arena_strdup(a, v) : NULL;                                               \
    } while (0)
    GET("ip", ip_col);
    GET("domain", domain_col);
    GET("url", url_col);
    GET("hash", hash_col);
    GET("time", time_col);
    GET("family", family_col);
    GET("port", port_col);
    GET("comment", comment_col);
#undef GET
    json_decref(j);
    return true;
}

static int audit(struct vg_store *s, const char *file, const struct vg_feed_import_result *r,
                 const char *source, struct vg_error *err)
{
    json_t *d = json_object();
    char obj[300], *text;
    int rc;
    vg_json_set(d, "file", vg_json_str(file));
    vg_json_set(d, "sha256", json_string(r->sha256));
    vg_json_set(d, "version", vg_json_int(r->version));
    vg_json_set(d, "appended", json_boolean(r->appended));
    vg_json_set(d, "format", json_string(vg_feed_format_name(r->format)));
    vg_json_set(d, "indicators", vg_json_int((int64_t)r->indicators));
    vg_json_set(d, "ignored", vg_json_int((int64_t)r->ignored));
    vg_json_set(d, "bad", vg_json_int((int64_t)r->bad));
    text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(d);
    snprintf(obj, sizeof obj, "feed:%s", source);
    rc = vg_store_audit(s, "feed.import", obj, text, err);
    free(text);
    return rc;
}

int vg_feed_import(struct vg_store *s, const char *path, const char *display,
                   const struct vg_feed_import_opts *o, struct vg_feed_import_result *r,
                   struct vg_error *err)
{
    struct vg_buf text;
    struct collect c;
    struct vg_feed_source src;
    struct vg_feed_csv_map remembered;
    struct vg_arena a;
    struct vg_feed_opts po = {0};
    struct vg_feed_info info;
    const char *file = display ? display : path;
    char *mapjs = NULL;
    int rc;
    vg_buf_init(&text, 0);
    vg_arena_init(&a);
    memset(&c, 0, sizeof c);
    vg_rows_init(&c.rows);
    vg_map_init(&c.seen);
    vg_buf_init(&c.key, 0);
    c.r = r;
    c.o = o;
    if (!o || !o->source || !*o->source) {
        rc = vg_error_set(err, VG_EINVAL, "a feed import needs its source's name (--source)");
        goto out;
    }
    VG_TRY(vg_file_read(path, FEED_MAX_BYTES, &text, err));
    vg_sha256_hex(text.data, text.len, r->sha256);
    VG_TRY(vg_text_decode(&text, NULL, file, NULL, err));
    VG_TRY(vg_store_begin(s, err));

    /* The source: found, or made (the one named "allow" is an allow-list). */
    rc = vg_store_feed_source_get(s, o->source, &src, &a, err);
    if (rc == VG_ENOTFOUND) {
        src = (struct vg_feed_source){.name = o->source,
                                      .kind = strcmp(o->source, "allow") == 0 ? "allow" : "block"};
        VG_TRY(vg_store_feed_source_add(s, &src, err));
        r->created_source = true;
    } else if (rc) {
        goto out;
    }
    r->source_id = src.id;
    /* The same file again changes nothing. */
    if (!r->created_source) {
        int64_t v;
        rc = vg_store_feed_file_find(s, src.id, r->sha256, &v, NULL);
        if (rc == VG_OK) {
            r->unchanged = true;
            r->version = v;
            vg_store_rollback(s);
            goto out;
        }
    }
    if (o->append && !src.current) {
        rc = vg_error_set(err, VG_EINVAL,
                          "feed source '%s' has no list to append to: import it without --append "
                          "first",
                          o->source);
        goto out;
    }

    /* Parse everything. */
    po.format = o->format;
    /* Column options only make sense for CSV: they say what the format is. */
    if (po.format == VG_FEED_AUTO && o->csv)
        po.format = VG_FEED_CSV;
    po.file = file;
    po.skip_bad = o->skip_bad;
    po.csv = o->csv;
    if (!po.csv && map_load(src.csv_map, &remembered, &a))
        po.csv = &remembered;
    memset(&info, 0, sizeof info);
    rc = vg_feed_parse(text.data, text.len, &po, on_ioc, on_bad, &c, &info, err);
    if (c.err)
        rc = vg_error_set(err, c.err, "out of memory");
    if (rc)
        goto out;
    r->format = info.format;
    r->records = info.records;
    r->bad = info.bad;
    r->indicators = c.rows.n;
    for (size_t i = 0; i < c.rows.n; i++)
        r->ignored += VG_ROW(&c.rows, struct vg_ioc_row, i)->ignored;
    snprintf(r->csv_mapping, sizeof r->csv_mapping, "%s", info.csv_mapping);
    r->issued = o->issued ? o->issued : info.issued ? info.issued : time(NULL);
    if (o->understood)
        o->understood(o->ctx, r);

    /* Write: a new version, or into the current one. */
    int64_t version;
    struct vg_map have;
    vg_map_init(&have);
    if (o->append) {
        struct vg_rows cur;
        version = src.current;
        vg_rows_init(&cur);
        rc = vg_store_ioc_list(s, version, &cur, err);
        for (size_t i = 0; rc == VG_OK && i < cur.n; i++) {
            struct vg_ioc_row *x = VG_ROW(&cur, struct vg_ioc_row, i);
            if (ioc_key(&c.key, x->type, x->value) ||
                !vg_map_put(&have, c.key.data, c.key.len, NULL))
                rc = vg_error_set(err, VG_ENOMEM, "out of memory");
        }
        vg_rows_release(&cur);
        if (rc == VG_OK)
            rc = vg_store_feed_file_add(s, version, r->sha256, file, err);
        r->appended = true;
    } else {
        struct vg_feed_version v = {.source_id = src.id,
                                    .issued_at = r->issued,
                                    .format = vg_feed_format_name(info.format),
                                    .sha256 = r->sha256,
                                    .file = file};
        rc = vg_store_feed_version_add(s, &v, err);
        version = v.id;
    }
    size_t added = 0, ignored = 0;
    for (size_t i = 0; rc == VG_OK && i < c.rows.n; i++) {
        struct vg_ioc_row *x = VG_ROW(&c.rows, struct vg_ioc_row, i);
        if (o->append) {
            if (ioc_key(&c.key, x->type, x->value)) {
                rc = vg_error_set(err, VG_ENOMEM, "out of memory");
                break;
            }
            if (vg_map_get(&have, c.key.data, c.key.len)) {
                r->duplicates++; /* already in the current version */
                continue;
            }
        }
        x->feed_id = version;
        rc = vg_store_ioc_add(s, x, err);
        added++;
        ignored += x->ignored;
    }
    vg_map_release(&have);
    if (rc)
        goto out;
    r->version = version;
    r->indicators = added;
    r->ignored = ignored;
    VG_TRY(vg_store_feed_version_count(s, version, (int64_t)added, (int64_t)ignored, err));
    /* Remember the format and the CSV map for the next import of this source. */
    mapjs = info.format == VG_FEED_CSV ? map_json(o->csv) : NULL;
    src.format = vg_feed_format_name(info.format);
    if (mapjs)
        src.csv_map = mapjs;
    VG_TRY(vg_store_feed_source_update(s, &src, err));
    VG_TRY(audit(s, file, r, o->source, err));
    if (o->dry_run)
        vg_store_rollback(s);
    else
        VG_TRY(vg_store_commit(s, err));
out:
    if (vg_store_in_tx(s))
        vg_store_rollback(s);
    free(mapjs);
    vg_map_release(&c.seen);
    vg_buf_release(&c.key);
    vg_rows_release(&c.rows);
    vg_arena_release(&a);
    vg_buf_release(&text);
    return rc;
}
