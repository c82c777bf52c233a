/*
 * import.c - CSV imports of the inventory: the shared machinery and the
 * importers of units, contacts, netblocks and the duty roster (hosts are in
 * import_host.c). Every import is one transaction: validate everything,
 * then write, then audit, then commit.
 */
#include "inventory/import_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/json.h"
#include "core/log.h"
#include "core/str.h"
#include "core/banned.h"

#define IMPORT_MAX_BYTES ((size_t)1 << 30)

const char *vg_inv_kind_name(int kind)
{
    switch (kind) {
    case VG_INV_UNITS:
        return "units";
    case VG_INV_CONTACTS:
        return "contacts";
    case VG_INV_NETBLOCKS:
        return "netblocks";
    case VG_INV_HOSTS:
        return "hosts";
    case VG_INV_DUTY:
        return "duty";
    }
    return "?";
}

void vg_import_result_init(struct vg_import_result *r)
{
    memset(r, 0, sizeof *r);
    vg_arena_init(&r->arena);
}

void vg_import_result_release(struct vg_import_result *r)
{
    free(r->issues);
    free(r->ignored);
    vg_arena_release(&r->arena);
    vg_import_result_init(r);
}

size_t imp_key2(char *buf, size_t size, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 2 > size)
        return 0;
    memcpy(buf, a, la);
    buf[la] = '\0';
    memcpy(buf + la + 1, b, lb);
    buf[la + 1 + lb] = '\0';
    return la + 1 + lb;
}

static void add_issue(struct imp *m, size_t line, const char *col, const char *why)
{
    struct vg_import_result *r = m->r;
    struct vg_import_issue *n = realloc(r->issues, (r->nissues + 1) * sizeof *n);
    if (!n)
        return;
    r->issues = n;
    n[r->nissues].line = line;
    n[r->nissues].column = vg_arena_strdup(&r->arena, col);
    n[r->nissues].reason = vg_arena_strdup(&r->arena, why);
    r->nissues++;
}

int imp_reject(struct imp *m, size_t line, const char *col, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (m->o->skip_bad) {
        add_issue(m, line, col, why);
        m->r->skipped++;
        return IMP_SKIP;
    }
    return vg_error_at(m->err, VG_EPARSE, m->file, line, col, "%s", why);
}

void imp_note(struct imp *m, size_t line, const char *col, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    add_issue(m, line, col, why);
}

static int match_col(const struct imp_col *c, const char *folded)
{
    char key[64];
    const char *p = c->aliases;
    if (strcmp(folded, c->key) == 0)
        return 1;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n < sizeof key) {
            memcpy(key, p, n);
            key[n] = '\0';
            if (strcmp(folded, key) == 0)
                return 1;
        }
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

int imp_open(struct imp *m, struct vg_store *s, struct vg_buf *text, const char *display,
             const struct imp_col *cols, size_t ncols, const struct vg_import_opts *o,
             struct vg_import_result *r, struct vg_error *err)
{
    int rc;
    const char *enc = NULL;
    memset(m, 0, sizeof *m);
    m->s = s;
    m->file = display ? display : "<input>";
    m->o = o;
    m->r = r;
    m->err = err;
    m->cols = cols;
    m->ncols = ncols;
    vg_buf_init(&m->text, 0);
    vg_arena_init(&m->a);
    vg_map_init(&m->units);
    vg_csv_init(&m->csv, "", 0, ',', m->file);
    m->text = *text;
    vg_buf_init(text, text->max);
    vg_sha256_hex(m->text.data, m->text.len, r->sha256);
    if ((rc = vg_text_decode(&m->text, o->encoding, m->file, &enc, err)))
        return rc;
    r->encoding = enc;
    if (m->text.len == 0 || vg_str_blank(m->text.data))
        return vg_error_at(err, VG_EPARSE, m->file, 0, NULL,
                           "the file is empty: expected a header row naming the columns");
    vg_csv_release(&m->csv);
    vg_csv_init(&m->csv, m->text.data, m->text.len, o->delimiter, m->file);
    r->delimiter = m->csv.delim;
    rc = vg_csv_next(&m->csv, &m->row, err);
    if (rc == VG_ENOTFOUND)
        return vg_error_at(err, VG_EPARSE, m->file, 0, NULL, "the file has no header row");
    if (rc)
        return rc;
    for (size_t c = 0; c < ncols; c++)
        m->idx[c] = -1;
    for (size_t f = 0; f < m->row.n; f++) {
        char folded[128];
        bool known = false;
        if (!vg_str_fold(m->row.f[f], folded, sizeof folded) || !folded[0]) {
            if (m->row.f[f][0])
                imp_note(m, m->row.line, NULL, "column %zu: header is too long; ignored", f + 1);
            continue;
        }
        for (size_t c = 0; c < ncols; c++) {
            if (match_col(&cols[c], folded)) {
                if (m->idx[c] >= 0)
                    return vg_error_at(err, VG_EPARSE, m->file, m->row.line, cols[c].key,
                                       "appears twice in the header (fields %d and %zu)",
                                       m->idx[c] + 1, f + 1);
                m->idx[c] = (int)f;
                known = true;
                break;
            }
        }
        if (!known) {
            const char **n = realloc(r->ignored, (r->nignored + 1) * sizeof *n);
            if (!n)
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            r->ignored = n;
            n[r->nignored++] = vg_arena_strdup(&r->arena, m->row.f[f]);
        }
    }
    char missing[256] = "";
    size_t nmissing = 0, off = 0;
    for (size_t c = 0; c < ncols; c++) {
        if (cols[c].required && m->idx[c] < 0) {
            int w = snprintf(missing + off, sizeof missing - off, "%s\"%s\"", nmissing ? ", " : "",
                             cols[c].key);
            if (w > 0 && (size_t)w < sizeof missing - off)
                off += (size_t)w;
            nmissing++;
        }
    }
    if (nmissing) {
        char found[256] = "";
        off = 0;
        for (size_t f = 0; f < m->row.n && off < sizeof found; f++) {
            int w =
                snprintf(found + off, sizeof found - off, "%s\"%s\"", f ? ", " : "", m->row.f[f]);
            if (w > 0)
                off += (size_t)w;
        }
        return vg_error_at(err, VG_EPARSE, m->file, m->row.line, NULL,
                           "missing column%s %s (the header has %s; delimiter '%s')",
                           nmissing > 1 ? "s" : "", missing, found,
                           m->csv.delim == '\t'  ? "\\t"
                           : m->csv.delim == ';' ? ";"
                                                 : ",");
    }
    return VG_OK;
}

void imp_close(struct imp *m)
{
    vg_csv_release(&m->csv);
    vg_buf_release(&m->text);
    vg_arena_release(&m->a);
    vg_map_release(&m->units);
}

int imp_next(struct imp *m)
{
    int rc = vg_csv_next(&m->csv, &m->row, m->err);
    if (rc == VG_OK) {
        m->r->records++;
        return VG_OK;
    }
    if (rc == VG_ENOTFOUND)
        return rc;
    m->r->records++;
    /* Name the column when the reader could tell which field was bad. */
    const char *col = NULL;
    if (m->csv.err_field) {
        for (size_t c = 0; c < m->ncols; c++)
            if (m->idx[c] == (int)m->csv.err_field - 1)
                col = m->cols[c].key;
    }
    bool recoverable = rc == VG_ETOOBIG || m->csv.pos < m->csv.len;
    if (m->o->skip_bad && recoverable)
        return imp_reject(m, m->csv.err_line, col, "%s", m->csv.err_reason);
    if (col || m->csv.err_field)
        return vg_error_at(m->err, rc, m->file, m->csv.err_line, col ? col : NULL, "%s%s",
                           col ? "" : "", m->csv.err_reason);
    return rc;
}

char *imp_cell(struct imp *m, int col)
{
    int f = m->idx[col];
    char *c;
    if (f < 0 || (size_t)f >= m->row.n)
        return NULL;
    c = vg_arena_strdup(&m->a, m->row.f[f]);
    if (!c)
        return NULL;
    c = vg_str_trim(c);
    return *c ? c : NULL;
}

int imp_load_units(struct imp *m)
{
    struct vg_rows rows;
    int rc;
    vg_rows_init(&rows);
    rc = vg_store_unit_list(m->s, &rows, m->err);
    for (size_t i = 0; rc == VG_OK && i < rows.n; i++) {
        struct vg_unit *u = VG_ROW(&rows, struct vg_unit, i);
        union vg_map_val *v = vg_map_puts(&m->units, u->name, NULL);
        if (!v)
            rc = vg_error_set(m->err, VG_ENOMEM, "out of memory");
        else
            v->i = u->id;
    }
    vg_rows_release(&rows);
    return rc;
}

int imp_unit_id(struct imp *m, const char *name, int64_t *id)
{
    bool created;
    union vg_map_val *v = vg_map_puts(&m->units, name, &created);
    if (!v)
        return vg_error_set(m->err, VG_ENOMEM, "out of memory");
    if (created) {
        struct vg_unit u = {.name = name};
        int rc = vg_store_unit_add(m->s, &u, m->err);
        if (rc)
            return rc;
        v = vg_map_puts(&m->units, name, NULL);
        v->i = u.id;
        m->r->units_created++;
    }
    *id = v->i;
    return VG_OK;
}

int imp_begin(struct imp *m)
{
    return vg_store_begin(m->s, m->err);
}

int imp_finish(struct imp *m, const char *action)
{
    struct vg_import_result *r = m->r;
    json_t *d = json_object();
    char *text;
    int rc;
    vg_json_set(d, "file", vg_json_str(m->file));
    vg_json_set(d, "sha256", json_string(r->sha256));
    vg_json_set(d, "records", vg_json_int((int64_t)r->records));
    vg_json_set(d, "added", vg_json_int((int64_t)r->added));
    vg_json_set(d, "updated", vg_json_int((int64_t)r->updated));
    vg_json_set(d, "unchanged", vg_json_int((int64_t)r->unchanged));
    vg_json_set(d, "skipped", vg_json_int((int64_t)r->skipped));
    vg_json_set(d, "units_created", vg_json_int((int64_t)r->units_created));
    vg_json_set(d, "systems_created", vg_json_int((int64_t)r->systems_created));
    vg_json_set(d, "systems_updated", vg_json_int((int64_t)r->systems_updated));
    text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(d);
    if (!text) {
        vg_store_rollback(m->s);
        return vg_error_set(m->err, VG_ENOMEM, "out of memory");
    }
    rc = vg_store_audit(m->s, action, m->file, text, m->err);
    free(text);
    if (rc) {
        vg_store_rollback(m->s);
        return rc;
    }
    if (m->o->dry_run) {
        vg_store_rollback(m->s);
        return VG_OK;
    }
    return vg_store_commit(m->s, m->err);
}

/* ---- fingerprints: what a re-import compares ----------------------------- */

static uint64_t fp_fields(const char *const *f, size_t n)
{
    struct vg_buf b;
    uint64_t h;
    vg_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        vg_buf_adds(&b, f[i] ? f[i] : "\x01");
        vg_buf_addc(&b, '\x1f');
    }
    h = vg_hash(b.data, b.len);
    vg_buf_release(&b);
    return h;
}

struct seen {
    uint64_t fp;
    size_t line;
    int64_t id; /* in the store, 0 if new */
    uint64_t stored_fp;
    bool skip;
};

/* Record key in the file; returns IMP_SKIP/error for a conflicting duplicate, 1 for an identical
 * one. */
static int seen_in_file(struct imp *m, struct vg_map *file, const char *key, size_t klen,
                        uint64_t fp, size_t line, const char *what)
{
    bool created;
    union vg_map_val *v = vg_map_put(file, key, klen, &created);
    struct seen *s;
    if (!v)
        return vg_error_set(m->err, VG_ENOMEM, "out of memory");
    if (created) {
        s = vg_arena_alloc(&m->a, sizeof *s);
        if (!s)
            return vg_error_set(m->err, VG_ENOMEM, "out of memory");
        s->fp = fp;
        s->line = line;
        v->p = s;
        return VG_OK;
    }
    s = v->p;
    if (s->fp == fp)
        return 1;
    return imp_reject(m, line, NULL, "%s appears again with different data (first on line %zu)",
                      what, s->line);
}

/* ---- units ------------------------------------------------------------------ */

enum { U_NAME, U_FULL, U_PARENT, U_NOTE };
static const struct imp_col unit_cols[] = {
    {"name", "unit|short_name|ma_don_vi|mã_đơn_vị|đơn_vị", true},
    {"full_name", "fullname|full|ten_day_du|tên_đầy_đủ|tên_đơn_vị|description", false},
    {"parent", "parent_unit|cấp_trên|đơn_vị_cấp_trên|don_vi_cap_tren|cap_tren", false},
    {"note", "notes|comment|ghi_chú|ghi_chu", false},
};

struct urow {
    size_t line;
    char *name, *full, *parent, *note;
};

int vg_inv_import_units(struct imp *m)
{
    struct vg_rows rows, stored;
    struct vg_map file, parents;
    int rc;
    char why[160];
    vg_rows_init(&rows);
    vg_rows_init(&stored);
    vg_map_init(&file);
    vg_map_init(&parents);
    VG_TRY(vg_store_unit_list(m->s, &stored, m->err));
    for (size_t i = 0; i < stored.n; i++) {
        struct vg_unit *u = VG_ROW(&stored, struct vg_unit, i);
        union vg_map_val *v = vg_map_puts(&parents, u->name, NULL);
        if (!v)
            goto nomem;
        v->p = (void *)(u->parent ? u->parent : "");
    }
    while ((rc = imp_next(m)) != VG_ENOTFOUND) {
        struct urow *u;
        const char *fields[4];
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        size_t line = m->row.line;
        char *name = imp_cell(m, U_NAME), *full = imp_cell(m, U_FULL),
             *parent = imp_cell(m, U_PARENT), *note = imp_cell(m, U_NOTE);
        if (!name || vg_inv_check_name(name, why)) {
            rc = imp_reject(m, line, "name", "%s", name ? why : "is empty");
            goto next;
        }
        if (full && vg_str_has_ctl(full, strlen(full))) {
            rc = imp_reject(m, line, "full_name", "contains control characters");
            goto next;
        }
        if (note && vg_inv_check_text(note, why)) {
            rc = imp_reject(m, line, "note", "%s", why);
            goto next;
        }
        if (parent && vg_inv_check_name(parent, why)) {
            rc = imp_reject(m, line, "parent", "%s", why);
            goto next;
        }
        if (parent && strcmp(parent, name) == 0) {
            rc = imp_reject(m, line, "parent", "a unit cannot be its own parent");
            goto next;
        }
        fields[0] = full, fields[1] = parent, fields[2] = note, fields[3] = NULL;
        rc = seen_in_file(m, &file, name, strlen(name), fp_fields(fields, 3), line, "unit");
        if (rc == 1)
            continue;
    next:
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        u = vg_rows_push(&rows, sizeof *u);
        if (!u)
            goto nomem;
        *u = (struct urow){line, name, full, parent, note};
        union vg_map_val *v = vg_map_puts(&parents, name, NULL);
        if (!v)
            goto nomem;
        /* Without a parent column a stored unit keeps its parent. */
        if (m->idx[U_PARENT] >= 0 || !v->p)
            v->p = parent ? parent : (char *)"";
    }
    /* Parents must exist (in the store or the file) and never form a cycle. */
    for (size_t i = 0; i < rows.n; i++) {
        struct urow *u = VG_ROW(&rows, struct urow, i);
        const char *p = u->parent;
        size_t depth = 0;
        if (!p)
            continue;
        if (!vg_map_gets(&parents, p)) {
            rc = imp_reject(m, u->line, "parent", "no unit \"%s\" in the store or in this file", p);
            goto rejected;
        }
        while (p && *p && depth++ <= parents.len) {
            if (strcmp(p, u->name) == 0) {
                rc = imp_reject(m, u->line, "parent", "\"%s\" is below \"%s\": that is a cycle",
                                u->parent, u->name);
                goto rejected;
            }
            union vg_map_val *v = vg_map_gets(&parents, p);
            p = v ? v->p : NULL;
        }
        continue;
    rejected:
        if (rc != IMP_SKIP)
            goto out;
        u->name = NULL; /* skipped */
    }
    VG_TRY(imp_begin(m));
    VG_TRY(imp_load_units(m));
    /* Pass 1: every unit of the file exists, so parents can refer to any of them. */
    for (size_t i = 0; i < rows.n; i++) {
        struct urow *u = VG_ROW(&rows, struct urow, i);
        int64_t id;
        if (!u->name || vg_map_gets(&m->units, u->name))
            continue;
        VG_TRY(imp_unit_id(m, u->name, &id));
        m->r->units_created--; /* counted as added */
        m->r->added++;
    }
    /* Pass 2: fields and parents, compared with what was stored before. */
    for (size_t i = 0; i < rows.n; i++) {
        struct urow *u = VG_ROW(&rows, struct urow, i);
        struct vg_unit *was = NULL, nu;
        const char *now[3];
        int64_t pid = 0;
        if (!u->name)
            continue;
        for (size_t j = 0; j < stored.n && !was; j++)
            if (strcmp(VG_ROW(&stored, struct vg_unit, j)->name, u->name) == 0)
                was = VG_ROW(&stored, struct vg_unit, j);
        if (was) {
            /* A column the file does not have leaves the stored value as it is. */
            if (m->idx[U_FULL] < 0)
                u->full = (char *)was->full_name;
            if (m->idx[U_PARENT] < 0)
                u->parent = (char *)was->parent;
            if (m->idx[U_NOTE] < 0)
                u->note = (char *)was->note;
        }
        now[0] = u->full, now[1] = u->parent, now[2] = u->note;
        if (was) {
            const char *old[3] = {was->full_name, was->parent, was->note};
            if (fp_fields(old, 3) == fp_fields(now, 3)) {
                m->r->unchanged++;
                continue;
            }
            m->r->updated++;
        } else if (!u->full && !u->parent && !u->note) {
            continue;
        }
        if (u->parent)
            VG_TRY(imp_unit_id(m, u->parent, &pid));
        union vg_map_val *v = vg_map_gets(&m->units, u->name);
        nu = (struct vg_unit){
            .id = v->i, .name = u->name, .full_name = u->full, .parent_id = pid, .note = u->note};
        VG_TRY(vg_store_unit_update(m->s, &nu, m->err));
    }
    rc = imp_finish(m, "unit.import");
    goto done;
nomem:
    rc = vg_error_set(m->err, VG_ENOMEM, "out of memory");
out:
    if (vg_store_in_tx(m->s))
        vg_store_rollback(m->s);
done:
    vg_map_release(&file);
    vg_map_release(&parents);
    vg_rows_release(&rows);
    vg_rows_release(&stored);
    return rc;
}

/* ---- contacts ------------------------------------------------------------------ */

enum { C_NAME, C_UNIT, C_ROLE, C_PHONE, C_EMAIL, C_ESC, C_NOTE };
static const struct imp_col contact_cols[] = {
    {"name", "contact|full_name|họ_tên|họ_và_tên|ho_ten|tên", true},
    {"unit", "đơn_vị|don_vi|agency", false},
    {"role", "title|position|chức_vụ|chuc_vu|vai_trò", false},
    {"phone", "tel|telephone|mobile|điện_thoại|dien_thoai|sđt|số_điện_thoại", false},
    {"email", "e_mail|mail|thư_điện_tử", false},
    {"escalation", "escalation_order|order|thứ_tự|thu_tu|thứ_tự_liên_hệ", false},
    {"note", "notes|comment|ghi_chú|ghi_chu", false},
};

struct crow {
    size_t line;
    struct vg_contact c;
    uint64_t fp;
};

static uint64_t contact_fp(const struct vg_contact *c)
{
    char esc[16];
    snprintf(esc, sizeof esc, "%d", c->escalation);
    const char *f[7] = {c->unit, c->role, c->phone, c->email, esc, c->note, NULL};
    return fp_fields(f, 6);
}

int vg_inv_import_contacts(struct imp *m)
{
    struct vg_rows rows, stored;
    struct vg_map file, old;
    int rc;
    char why[160];
    vg_rows_init(&rows);
    vg_rows_init(&stored);
    vg_map_init(&file);
    vg_map_init(&old);
    VG_TRY(vg_store_contact_list(m->s, NULL, &stored, m->err));
    for (size_t i = 0; i < stored.n; i++) {
        struct vg_contact *c = VG_ROW(&stored, struct vg_contact, i);
        union vg_map_val *v = vg_map_puts(&old, c->name, NULL);
        if (!v)
            goto nomem;
        v->p = c;
    }
    while ((rc = imp_next(m)) != VG_ENOTFOUND) {
        struct vg_contact c = {0};
        int64_t esc = 0;
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        size_t line = m->row.line;
        char *esc_s = imp_cell(m, C_ESC);
        c.name = imp_cell(m, C_NAME);
        c.unit = imp_cell(m, C_UNIT);
        c.role = imp_cell(m, C_ROLE);
        c.phone = imp_cell(m, C_PHONE);
        c.email = imp_cell(m, C_EMAIL);
        c.note = imp_cell(m, C_NOTE);
        if (!c.name || vg_inv_check_name(c.name, why))
            rc = imp_reject(m, line, "name", "%s", c.name ? why : "is empty");
        else if (c.unit && vg_inv_check_name(c.unit, why))
            rc = imp_reject(m, line, "unit", "%s", why);
        else if (c.role && vg_str_has_ctl(c.role, strlen(c.role)))
            rc = imp_reject(m, line, "role", "contains control characters");
        else if (c.phone && vg_inv_check_phone(c.phone, why))
            rc = imp_reject(m, line, "phone", "%s", why);
        else if (c.email && vg_inv_check_email(c.email, why))
            rc = imp_reject(m, line, "email", "%s", why);
        else if (esc_s && vg_parse_i64(esc_s, strlen(esc_s), 0, 99, &esc))
            rc = imp_reject(m, line, "escalation", "\"%s\" is not an order (0 to 99)", esc_s);
        else if (c.note && vg_inv_check_text(c.note, why))
            rc = imp_reject(m, line, "note", "%s", why);
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        c.escalation = (int)esc;
        uint64_t fp = contact_fp(&c);
        rc = seen_in_file(m, &file, c.name, strlen(c.name), fp, line, "contact");
        if (rc == 1 || rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        struct crow *r = vg_rows_push(&rows, sizeof *r);
        if (!r)
            goto nomem;
        r->line = line;
        r->c = c;
        r->fp = fp;
    }
    VG_TRY(imp_begin(m));
    VG_TRY(imp_load_units(m));
    for (size_t i = 0; i < rows.n; i++) {
        struct crow *r = VG_ROW(&rows, struct crow, i);
        union vg_map_val *v = vg_map_gets(&old, r->c.name);
        struct vg_contact *was = v ? v->p : NULL;
        if (was) {
            /* A column the file does not have leaves the stored value as it is. */
            if (m->idx[C_UNIT] < 0)
                r->c.unit = was->unit;
            if (m->idx[C_ROLE] < 0)
                r->c.role = was->role;
            if (m->idx[C_PHONE] < 0)
                r->c.phone = was->phone;
            if (m->idx[C_EMAIL] < 0)
                r->c.email = was->email;
            if (m->idx[C_ESC] < 0)
                r->c.escalation = was->escalation;
            if (m->idx[C_NOTE] < 0)
                r->c.note = was->note;
            r->fp = contact_fp(&r->c);
        }
        if (r->c.unit)
            VG_TRY(imp_unit_id(m, r->c.unit, &r->c.unit_id));
        if (!was) {
            VG_TRY(vg_store_contact_add(m->s, &r->c, m->err));
            m->r->added++;
            continue;
        }
        if (contact_fp(was) == r->fp) {
            m->r->unchanged++;
            continue;
        }
        r->c.id = was->id;
        VG_TRY(vg_store_contact_update(m->s, &r->c, m->err));
        m->r->updated++;
    }
    rc = imp_finish(m, "contact.import");
    goto done;
nomem:
    rc = vg_error_set(m->err, VG_ENOMEM, "out of memory");
out:
    if (vg_store_in_tx(m->s))
        vg_store_rollback(m->s);
done:
    vg_map_release(&file);
    vg_map_release(&old);
    vg_rows_release(&rows);
    vg_rows_release(&stored);
    return rc;
}

/* ---- netblocks ------------------------------------------------------------------ */

enum { N_UNIT, N_PREFIX, N_PUBLIC, N_NOTE };
static const struct imp_col netblock_cols[] = {
    {"unit", "đơn_vị|don_vi|agency", true},
    {"prefix", "cidr|network|range|netblock|subnet|address|ip|dải_ip|dai_ip|địa_chỉ", true},
    {"public", "is_public|type|loại|công_khai", false},
    {"note", "notes|comment|ghi_chú|ghi_chu", false},
};

struct nrow {
    size_t line;
    struct vg_netblock nb;
    char key[300];
    size_t klen;
};

int vg_inv_import_netblocks(struct imp *m)
{
    struct vg_rows rows, stored;
    struct vg_map file, old;
    int rc;
    char why[160], text[VG_PREFIX_STRLEN];
    vg_rows_init(&rows);
    vg_rows_init(&stored);
    vg_map_init(&file);
    vg_map_init(&old);
    VG_TRY(vg_store_netblock_list(m->s, NULL, &stored, m->err));
    for (size_t i = 0; i < stored.n; i++) {
        struct vg_netblock *nb = VG_ROW(&stored, struct vg_netblock, i);
        char key[300];
        size_t kl = imp_key2(key, sizeof key, nb->unit, vg_prefix_format(&nb->prefix, text));
        union vg_map_val *v = kl ? vg_map_put(&old, key, kl, NULL) : NULL;
        if (!v)
            goto nomem;
        v->p = nb;
    }
    while ((rc = imp_next(m)) != VG_ENOTFOUND) {
        struct vg_netblock nb = {0};
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        size_t line = m->row.line;
        char *unit = imp_cell(m, N_UNIT), *prefix = imp_cell(m, N_PREFIX),
             *pub = imp_cell(m, N_PUBLIC);
        nb.note = imp_cell(m, N_NOTE);
        nb.unit = unit;
        if (!unit || vg_inv_check_name(unit, why)) {
            rc = imp_reject(m, line, "unit", "%s", unit ? why : "is empty");
        } else if (!prefix) {
            rc = imp_reject(m, line, "prefix", "is empty");
        } else {
            int pr = vg_prefix_parse(prefix, strlen(prefix), VG_PREFIX_STRICT, &nb.prefix);
            if (pr == VG_EINVAL) {
                vg_prefix_parse(prefix, strlen(prefix), 0, &nb.prefix);
                rc = imp_reject(m, line, "prefix", "\"%s\" has host bits set (did you mean %s?)",
                                prefix, vg_prefix_format(&nb.prefix, text));
            } else if (pr) {
                rc = imp_reject(m, line, "prefix", "\"%s\" is not an IP address or CIDR prefix",
                                prefix);
            } else if (pub) {
                bool b = false;
                if (vg_inv_parse_bool(pub, &b, why))
                    rc = imp_reject(m, line, "public", "%s", why);
                nb.public = b;
            } else {
                nb.public = vg_ip_is_public(&nb.prefix.ip);
            }
        }
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        struct nrow *r = vg_rows_push(&rows, sizeof *r);
        if (!r)
            goto nomem;
        r->line = line;
        r->nb = nb;
        r->klen = imp_key2(r->key, sizeof r->key, unit, vg_prefix_format(&nb.prefix, text));
        const char *f[2] = {nb.public ? "1" : "0", nb.note};
        rc = seen_in_file(m, &file, r->key, r->klen, fp_fields(f, 2), line, "netblock");
        if (rc == 1 || rc == IMP_SKIP) {
            rows.n--;
            continue;
        }
        if (rc)
            goto out;
    }
    VG_TRY(imp_begin(m));
    VG_TRY(imp_load_units(m));
    for (size_t i = 0; i < rows.n; i++) {
        struct nrow *r = VG_ROW(&rows, struct nrow, i);
        union vg_map_val *v = vg_map_get(&old, r->key, r->klen);
        if (!v) {
            VG_TRY(imp_unit_id(m, r->nb.unit, &r->nb.unit_id));
            VG_TRY(vg_store_netblock_add(m->s, &r->nb, m->err));
            m->r->added++;
            continue;
        }
        struct vg_netblock *was = v->p;
        if (m->idx[N_PUBLIC] < 0)
            r->nb.public = was->public;
        if (m->idx[N_NOTE] < 0)
            r->nb.note = was->note;
        const char *a[2] = {was->public ? "1" : "0", was->note};
        const char *b[2] = {r->nb.public ? "1" : "0", r->nb.note};
        if (fp_fields(a, 2) == fp_fields(b, 2)) {
            m->r->unchanged++;
            continue;
        }
        r->nb.id = was->id;
        VG_TRY(vg_store_netblock_update(m->s, &r->nb, m->err));
        m->r->updated++;
    }
    rc = imp_finish(m, "netblock.import");
    goto done;
nomem:
    rc = vg_error_set(m->err, VG_ENOMEM, "out of memory");
out:
    if (vg_store_in_tx(m->s))
        vg_store_rollback(m->s);
done:
    vg_map_release(&file);
    vg_map_release(&old);
    vg_rows_release(&rows);
    vg_rows_release(&stored);
    return rc;
}

/* ---- duty roster ------------------------------------------------------------------ */

enum { D_CONTACT, D_FROM, D_TO, D_NOTE };
static const struct imp_col duty_cols[] = {
    {"contact", "name|who|người_trực|nguoi_truc|họ_tên|cán_bộ_trực", true},
    {"from", "start|starts|starts_at|begin|từ|tu|bắt_đầu|bat_dau", true},
    {"to", "end|ends|ends_at|until|đến|den|kết_thúc|ket_thuc", true},
    {"note", "notes|comment|ghi_chú|ghi_chu", false},
};

struct drow {
    size_t line;
    struct vg_duty d;
    char key[300];
    size_t klen;
};

int vg_inv_import_duty(struct imp *m)
{
    struct vg_rows rows, stored, contacts;
    struct vg_map file, old, cmap;
    int rc;
    vg_rows_init(&rows);
    vg_rows_init(&stored);
    vg_rows_init(&contacts);
    vg_map_init(&file);
    vg_map_init(&old);
    vg_map_init(&cmap);
    VG_TRY(vg_store_contact_list(m->s, NULL, &contacts, m->err));
    for (size_t i = 0; i < contacts.n; i++) {
        struct vg_contact *c = VG_ROW(&contacts, struct vg_contact, i);
        union vg_map_val *v = vg_map_puts(&cmap, c->name, NULL);
        if (!v)
            goto nomem;
        v->i = c->id;
    }
    VG_TRY(vg_store_duty_list(m->s, 0, 0, &stored, m->err));
    for (size_t i = 0; i < stored.n; i++) {
        struct vg_duty *d = VG_ROW(&stored, struct vg_duty, i);
        char when[64], key[300];
        snprintf(when, sizeof when, "%lld-%lld", (long long)d->starts_at, (long long)d->ends_at);
        size_t kl = imp_key2(key, sizeof key, d->contact, when);
        union vg_map_val *v = kl ? vg_map_put(&old, key, kl, NULL) : NULL;
        if (!v)
            goto nomem;
        v->p = d;
    }
    while ((rc = imp_next(m)) != VG_ENOTFOUND) {
        struct vg_duty d = {0};
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        size_t line = m->row.line;
        char *who = imp_cell(m, D_CONTACT), *from = imp_cell(m, D_FROM), *to = imp_cell(m, D_TO);
        union vg_map_val *cv = who ? vg_map_gets(&cmap, who) : NULL;
        d.note = imp_cell(m, D_NOTE);
        d.contact = who;
        if (!who)
            rc = imp_reject(m, line, "contact", "is empty");
        else if (!cv)
            rc = imp_reject(m, line, "contact",
                            "no contact \"%s\" (import contacts first, or 'vigil contact add')",
                            who);
        else if (!from || vg_time_parse(from, strlen(from), &d.starts_at))
            rc = imp_reject(m, line, "from", "\"%s\" is not a time (YYYY-MM-DD HH:MM)",
                            from ? from : "");
        else if (!to || vg_time_parse(to, strlen(to), &d.ends_at))
            rc = imp_reject(m, line, "to", "\"%s\" is not a time (YYYY-MM-DD HH:MM)", to ? to : "");
        else if (d.ends_at <= d.starts_at)
            rc = imp_reject(m, line, "to", "\"%s\" is not after \"%s\"", to, from);
        if (rc == IMP_SKIP)
            continue;
        if (rc)
            goto out;
        d.contact_id = cv->i;
        struct drow *r = vg_rows_push(&rows, sizeof *r);
        if (!r)
            goto nomem;
        char when[64];
        snprintf(when, sizeof when, "%lld-%lld", (long long)d.starts_at, (long long)d.ends_at);
        r->line = line;
        r->d = d;
        r->klen = imp_key2(r->key, sizeof r->key, who, when);
        const char *f[1] = {d.note};
        rc = seen_in_file(m, &file, r->key, r->klen, fp_fields(f, 1), line, "shift");
        if (rc == 1 || rc == IMP_SKIP) {
            rows.n--;
            continue;
        }
        if (rc)
            goto out;
    }
    VG_TRY(imp_begin(m));
    for (size_t i = 0; i < rows.n; i++) {
        struct drow *r = VG_ROW(&rows, struct drow, i);
        union vg_map_val *v = vg_map_get(&old, r->key, r->klen);
        if (!v) {
            VG_TRY(vg_store_duty_add(m->s, &r->d, m->err));
            m->r->added++;
            continue;
        }
        struct vg_duty *was = v->p;
        if (m->idx[D_NOTE] < 0)
            r->d.note = was->note;
        const char *a[1] = {was->note}, *b[1] = {r->d.note};
        if (fp_fields(a, 1) == fp_fields(b, 1)) {
            m->r->unchanged++;
            continue;
        }
        r->d.id = was->id;
        VG_TRY(vg_store_duty_update(m->s, &r->d, m->err));
        m->r->updated++;
    }
    rc = imp_finish(m, "duty.import");
    goto done;
nomem:
    rc = vg_error_set(m->err, VG_ENOMEM, "out of memory");
out:
    if (vg_store_in_tx(m->s))
        vg_store_rollback(m->s);
done:
    vg_map_release(&file);
    vg_map_release(&old);
    vg_map_release(&cmap);
    vg_rows_release(&rows);
    vg_rows_release(&stored);
    vg_rows_release(&contacts);
    return rc;
}

/* ---- entry point ------------------------------------------------------------------ */

/* Run the importer of kind on text (moved in). */
static int import_text(struct vg_store *s, int kind, struct vg_buf *text, const char *display,
                       const struct vg_import_opts *o, struct vg_import_result *r,
                       struct vg_error *err)
{
    struct imp m;
    const struct imp_col *cols;
    size_t ncols;
    int (*run)(struct imp *);
    int rc;
    switch (kind) {
    case VG_INV_UNITS:
        cols = unit_cols, ncols = sizeof unit_cols / sizeof *unit_cols;
        run = vg_inv_import_units;
        break;
    case VG_INV_CONTACTS:
        cols = contact_cols, ncols = sizeof contact_cols / sizeof *contact_cols;
        run = vg_inv_import_contacts;
        break;
    case VG_INV_NETBLOCKS:
        cols = netblock_cols, ncols = sizeof netblock_cols / sizeof *netblock_cols;
        run = vg_inv_import_netblocks;
        break;
    case VG_INV_HOSTS:
        cols = vg_host_cols, ncols = vg_host_ncols;
        run = vg_inv_import_hosts;
        break;
    case VG_INV_DUTY:
        cols = duty_cols, ncols = sizeof duty_cols / sizeof *duty_cols;
        run = vg_inv_import_duty;
        break;
    default:
        vg_buf_release(text);
        return vg_error_set(err, VG_EINVAL, "unknown import kind %d", kind);
    }
    r->kind = vg_inv_kind_name(kind);
    r->noun = kind == VG_INV_DUTY        ? "shift"
              : kind == VG_INV_UNITS     ? "unit"
              : kind == VG_INV_CONTACTS  ? "contact"
              : kind == VG_INV_NETBLOCKS ? "netblock"
                                         : "host";
    if (vg_store_in_tx(s)) {
        vg_buf_release(text);
        return vg_error_set(err, VG_EINVAL, "an import needs a transaction of its own");
    }
    rc = imp_open(&m, s, text, display, cols, ncols, o, r, err);
    if (rc == VG_OK)
        rc = run(&m);
    if (vg_store_in_tx(s))
        vg_store_rollback(s);
    imp_close(&m);
    return rc;
}

int vg_inv_import(struct vg_store *s, int kind, const char *path, const char *display,
                  const struct vg_import_opts *o, struct vg_import_result *r, struct vg_error *err)
{
    static const struct vg_import_opts defaults;
    struct vg_buf text;
    int rc;
    if (!o)
        o = &defaults;
    vg_buf_init(&text, 0);
    rc = vg_file_read(path, o->max_bytes ? o->max_bytes : IMPORT_MAX_BYTES, &text, err);
    if (rc) {
        vg_buf_release(&text);
        return rc;
    }
    return import_text(s, kind, &text, display ? display : path, o, r, err);
}

int vg_inv_import_mem(struct vg_store *s, int kind, const void *data, size_t len,
                      const char *display, const struct vg_import_opts *o,
                      struct vg_import_result *r, struct vg_error *err)
{
    static const struct vg_import_opts defaults;
    struct vg_buf text;
    if (!o)
        o = &defaults;
    size_t max = o->max_bytes ? o->max_bytes : IMPORT_MAX_BYTES;
    if (len > max)
        return vg_error_set(err, VG_ETOOBIG, "%s: larger than %zu bytes",
                            display ? display : "<input>", max);
    vg_buf_init(&text, 0);
    if (vg_buf_add(&text, data, len)) {
        vg_buf_release(&text);
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    return import_text(s, kind, &text, display, o, r, err);
}
