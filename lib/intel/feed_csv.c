/*
 * feed_csv.c - feeds as CSV with a header: columns chosen by name (given, or
 * recognised from the names feeds usually use), and abuse.ch's Feodo Tracker
 * blocklist CSV, which is the same with fixed names. '#' comment lines are
 * skipped; a commented header ("# id,dateadded,url,...") is used when the
 * first record names no indicator column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/str.h"
#include "intel/feed_int.h"
#include "core/banned.h"

static const struct {
    const char *name; /* folded (vg_str_fold) */
    int col;
} known_cols[] = {
    {"ip", FC_IP},
    {"ip_address", FC_IP},
    {"ipaddress", FC_IP},
    {"address", FC_IP},
    {"dst_ip", FC_IP},
    {"ip_addr", FC_IP},
    {"ipv4", FC_IP},
    {"domain", FC_DOMAIN},
    {"hostname", FC_DOMAIN},
    {"domain_name", FC_DOMAIN},
    {"url", FC_URL},
    {"sha256", FC_HASH},
    {"sha256_hash", FC_HASH},
    {"sha1", FC_HASH},
    {"sha1_hash", FC_HASH},
    {"md5", FC_HASH},
    {"md5_hash", FC_HASH},
    {"hash", FC_HASH},
    {"first_seen", FC_TIME},
    {"first_seen_utc", FC_TIME},
    {"time", FC_TIME},
    {"date", FC_TIME},
    {"timestamp", FC_TIME},
    {"dateadded", FC_TIME},
    {"date_added", FC_TIME},
    {"malware", FC_FAMILY},
    {"family", FC_FAMILY},
    {"malware_family", FC_FAMILY},
    {"threat", FC_FAMILY},
    {"port", FC_PORT},
    {"dst_port", FC_PORT},
    {"asn", FC_COMMENT},
    {"isp", FC_COMMENT},
    {"unit", FC_COMMENT},
    {"comment", FC_COMMENT},
    {"last_online", FC_LAST},
    {"last_seen", FC_LAST},
    {"c2_status", FC_STATUS},
    /* English variants seen in CERT exports. */
    {"src_ip", FC_IP},
    {"source_ip", FC_IP},
    {"ip_nguon", FC_IP},
    {"infected_ip", FC_IP},
    {"bot_ip", FC_IP},
    {"as_name", FC_COMMENT},
    {"organization", FC_COMMENT},
    /* Vietnamese headers of the national CERT's lists and local sheets. */
    {"địa_chỉ_ip", FC_IP},
    {"dia_chi_ip", FC_IP},
    {"ip_nguồn", FC_IP},
    {"địa_chỉ", FC_IP},
    {"tên_miền", FC_DOMAIN},
    {"ten_mien", FC_DOMAIN},
    {"đường_dẫn", FC_URL},
    {"mã_băm", FC_HASH},
    {"thời_gian", FC_TIME},
    {"thoi_gian", FC_TIME},
    {"thời_điểm", FC_TIME},
    {"ngày", FC_TIME},
    {"ngày_phát_hiện", FC_TIME},
    {"loại_mã_độc", FC_FAMILY},
    {"loai_ma_doc", FC_FAMILY},
    {"mã_độc", FC_FAMILY},
    {"tên_mã_độc", FC_FAMILY},
    {"họ_mã_độc", FC_FAMILY},
    {"botnet", FC_FAMILY},
    {"cổng", FC_PORT},
    {"đơn_vị", FC_COMMENT},
    {"don_vi", FC_COMMENT},
    {"đơn_vị_quản_lý", FC_COMMENT},
    {"nhà_mạng", FC_COMMENT},
    {"isp_asn", FC_COMMENT},
    {"ghi_chú", FC_COMMENT},
};

static const char *const col_keys[FC_NCOLS] = {
    "ip", "domain", "url", "hash", "time", "family", "port", "comment", "last_seen", "status",
};

int feed_csv_guess_col(const char *folded)
{
    for (size_t i = 0; i < sizeof known_cols / sizeof known_cols[0]; i++)
        if (strcmp(folded, known_cols[i].name) == 0)
            return known_cols[i].col;
    return -1;
}

struct csvp {
    struct feed *f;
    int col[FC_NCOLS];       /* field index, -1 if absent */
    char name[FC_NCOLS][64]; /* header text of each, for messages */
    struct vg_csv_row row;   /* the record being read */
    bool local;              /* times without a zone are local (a CERT's sheet), not UTC */
};

/* The header cell's name trimmed (a commented header may start with spaces). */
static void cell_name(const char *cell, char *out, size_t size)
{
    char tmp[256];
    vg_strlcpy(tmp, cell, sizeof tmp);
    vg_strlcpy(out, vg_str_trim(tmp), size);
}

static bool has_indicator_col(const struct csvp *p)
{
    return p->col[FC_IP] >= 0 || p->col[FC_DOMAIN] >= 0 || p->col[FC_URL] >= 0 ||
           p->col[FC_HASH] >= 0;
}

/* Map the header row's cells; with a given map, every column it names must exist. */
static int map_header(struct csvp *p, const struct vg_csv_row *row, size_t line)
{
    const struct vg_feed_csv_map *m = p->f->csv;
    for (int i = 0; i < FC_NCOLS; i++) {
        p->col[i] = -1;
        p->name[i][0] = '\0';
    }
    if (m) {
        const char *want[FC_NCOLS] = {m->ip_col,   m->domain_col, m->url_col,  m->hash_col,
                                      m->time_col, m->family_col, m->port_col, m->comment_col,
                                      NULL,        NULL};
        for (int i = 0; i < FC_NCOLS; i++) {
            char want_f[128], cell_f[128], nm[64];
            if (!want[i] || !*want[i])
                continue;
            if (!vg_str_fold(want[i], want_f, sizeof want_f))
                want_f[0] = '\0';
            for (size_t k = 0; k < row->n && p->col[i] < 0; k++) {
                cell_name(row->f[k], nm, sizeof nm);
                if (vg_str_ieq(nm, want[i]) ||
                    (want_f[0] && vg_str_fold(nm, cell_f, sizeof cell_f) &&
                     strcmp(cell_f, want_f) == 0)) {
                    p->col[i] = (int)k;
                    vg_strlcpy(p->name[i], nm, sizeof p->name[i]);
                }
            }
            if (p->col[i] < 0) {
                char q[FEED_QUOTE_MAX + 8];
                return vg_error_at(p->f->err, VG_EPARSE, p->f->file, line, NULL,
                                   "no column %s in the header",
                                   feed_quote(q, sizeof q, want[i], strlen(want[i])));
            }
        }
        return VG_OK;
    }
    for (size_t k = 0; k < row->n && k < 4096; k++) {
        char nm[64], folded[128];
        int c;
        cell_name(row->f[k], nm, sizeof nm);
        if (!vg_str_fold(nm, folded, sizeof folded))
            continue;
        c = feed_csv_guess_col(folded);
        if (c >= 0 && p->col[c] < 0) {
            p->col[c] = (int)k;
            vg_strlcpy(p->name[c], nm, sizeof p->name[c]);
        } else if (c == FC_HASH && p->col[c] >= 0 && strncmp(folded, "sha256", 6) == 0) {
            /* Several digests per row: SHA-256 is the one to keep. */
            p->col[c] = (int)k;
            vg_strlcpy(p->name[c], nm, sizeof p->name[c]);
        }
    }
    return VG_OK;
}

static void describe_mapping(const struct csvp *p, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < FC_NCOLS; i++) {
        int w;
        if (p->col[i] < 0)
            continue;
        w = snprintf(out + len, size - len, "%s%s=%s", len ? ", " : "", col_keys[i], p->name[i]);
        if (w < 0 || (size_t)w >= size - len) {
            out[len] = '\0';
            return;
        }
        len += (size_t)w;
    }
}

/*
 * A copy of the text with '#' comment lines emptied (their line ends kept,
 * so line numbers stay). *hdr and *hdr_len get the last comment before the
 * first record, a candidate header.
 */
static int strip_comments(struct feed *f, struct vg_buf *out, const char **hdr, size_t *hdr_len)
{
    bool inq = false, seen_data = false;
    size_t i = 0;
    *hdr = NULL;
    *hdr_len = 0;
    vg_buf_init(out, VG_BUF_NOLIMIT);
    if (vg_buf_grow(out, f->len + 1))
        return vg_error_set(f->err, VG_ENOMEM, "out of memory");
    while (i < f->len) {
        size_t start = i, end;
        while (i < f->len && f->data[i] != '\n' && f->data[i] != '\r')
            i++;
        end = i;
        if (i < f->len) {
            if (f->data[i] == '\r' && i + 1 < f->len && f->data[i + 1] == '\n')
                i++;
            i++;
        }
        if (!inq) {
            size_t k = start;
            while (k < end && (f->data[k] == ' ' || f->data[k] == '\t'))
                k++;
            if (k < end && f->data[k] == '#') {
                if (!seen_data) {
                    *hdr = f->data + k + 1;
                    *hdr_len = end - k - 1;
                }
                vg_buf_add(out, f->data + end, i - end);
                continue;
            }
            if (k < end)
                seen_data = true;
        }
        for (size_t k = start; k < end; k++)
            if (f->data[k] == '"')
                inq = !inq;
        vg_buf_add(out, f->data + start, i - start);
    }
    return VG_OK;
}

static int csv_time(const char *s, time_t *t, bool local)
{
    size_t n = strlen(s);
    int64_t v;
    if (n >= 9 && n <= 11 && vg_parse_i64(s, n, 0, INT64_C(253402300799), &v) == VG_OK &&
        s[0] != '+' && s[0] != '-') {
        *t = (time_t)v;
        return VG_OK;
    }
    if (local && vg_time_parse(s, n, t) == VG_OK)
        return VG_OK;
    return feed_time_parse(s, n, t);
}

static const char *cell(const struct vg_csv_row *row, int col)
{
    if (col < 0 || (size_t)col >= row->n)
        return NULL;
    const char *s = row->f[col];
    while (*s == ' ' || *s == '\t')
        s++;
    return *s ? s : NULL;
}

/* One data row: context, then every indicator cell; all parsed before any is emitted. */
static int csv_row(struct csvp *p, const struct vg_csv_row *row)
{
    static const int ind_cols[4] = {FC_IP, FC_DOMAIN, FC_URL, FC_HASH};
    static const int allowed[4] = {FEED_T_IP, FEED_T_DOMAIN | FEED_T_IP, FEED_T_URL, FEED_T_HASH};
    struct feed *f = p->f;
    struct feed_value v[4];
    bool have[4] = {false, false, false, false};
    struct vg_indicator ctx;
    char q[FEED_QUOTE_MAX + 8], why[320];
    const char *s;
    int rc = VG_OK;

    memset(&ctx, 0, sizeof ctx);
    ctx.line = row->line;
    if ((s = cell(row, p->col[FC_TIME])) && csv_time(s, &ctx.first_seen, p->local) != VG_OK)
        return feed_bad(f, row->line, "column \"%s\": %s is not a time", p->name[FC_TIME],
                        feed_quote(q, sizeof q, s, strlen(s)));
    if ((s = cell(row, p->col[FC_LAST])) && csv_time(s, &ctx.last_seen, p->local) != VG_OK)
        return feed_bad(f, row->line, "column \"%s\": %s is not a time", p->name[FC_LAST],
                        feed_quote(q, sizeof q, s, strlen(s)));
    if ((s = cell(row, p->col[FC_PORT]))) {
        int64_t port;
        size_t n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (vg_parse_i64(s, n, 0, 65535, &port) != VG_OK || s[0] == '+' || s[0] == '-')
            return feed_bad(f, row->line, "column \"%s\": %s is not a port number",
                            p->name[FC_PORT], feed_quote(q, sizeof q, s, strlen(s)));
        ctx.port = (int)port;
    }
    ctx.family = cell(row, p->col[FC_FAMILY]);
    ctx.comment = cell(row, p->col[FC_COMMENT]);
    if (!ctx.comment)
        ctx.comment = cell(row, p->col[FC_STATUS]);
    for (int i = 0; i < 4; i++) {
        int c = ind_cols[i];
        if (!(s = cell(row, p->col[c])))
            continue;
        rc = feed_value_parse(s, strlen(s), allowed[i], &v[i], why, sizeof why);
        if (rc == VG_ENOMEM) {
            rc = vg_error_set(f->err, rc, "out of memory");
            goto out;
        }
        if (rc) {
            rc = feed_bad(f, row->line, "column \"%s\": %s", p->name[c], why);
            goto out;
        }
        have[i] = true;
    }
    for (int i = 0; i < 4 && rc == VG_OK; i++)
        if (have[i])
            rc = feed_value_emit(f, &v[i], &ctx);
out:
    for (int i = 0; i < 4; i++)
        if (have[i])
            feed_value_release(&v[i]);
    return rc;
}

/* A record the CSV reader rejected: a bad record, named by column when it can be. */
static int csv_reader_bad(struct csvp *p, const struct vg_csv *c)
{
    size_t fld = c->err_field;
    for (int i = 0; fld > 0 && i < FC_NCOLS; i++)
        if (p->col[i] >= 0 && (size_t)p->col[i] == fld - 1)
            return feed_bad(p->f, c->err_line, "column \"%s\": %s", p->name[i], c->err_reason);
    if (fld > 0)
        return feed_bad(p->f, c->err_line, "field %zu: %s", fld, c->err_reason);
    return feed_bad(p->f, c->err_line, "%s", c->err_reason);
}

int feed_parse_csv(struct feed *f, bool feodo)
{
    struct csvp p;
    struct vg_buf text;
    struct vg_csv c;
    struct vg_error e;
    const char *chdr;
    size_t chdr_len, hdr_line = 0;
    bool header_is_comment = false;
    int rc;

    memset(&p, 0, sizeof p);
    p.f = f;
    /* abuse.ch writes UTC; a sheet from a person or a CERT uses its local time (TZ). */
    p.local = !feodo;
    for (int i = 0; i < FC_NCOLS; i++)
        p.col[i] = -1;
    if (feodo)
        f->csv = NULL; /* fixed names, recognised as usual ones */
    rc = strip_comments(f, &text, &chdr, &chdr_len);
    if (rc)
        return rc;
    vg_csv_init(&c, text.data, text.len, 0, f->file);
    c.max_record = f->max_record;

    /* The header: the first record, or a commented one before it. */
    rc = vg_csv_next(&c, &p.row, &e);
    if (rc == VG_OK) {
        hdr_line = p.row.line;
        rc = map_header(&p, &p.row, p.row.line);
        if (rc)
            goto out;
    } else if (rc != VG_ENOTFOUND) {
        if (f->err)
            *f->err = e;
        goto out;
    }
    if (!has_indicator_col(&p) && chdr && !f->csv) {
        struct vg_csv hc;
        struct csvp save = p;
        vg_csv_init(&hc, chdr, chdr_len, c.delim, f->file);
        if (vg_csv_next(&hc, &p.row, NULL) == VG_OK) {
            map_header(&p, &p.row, 0);
            header_is_comment = has_indicator_col(&p);
        }
        vg_csv_release(&hc);
        if (!header_is_comment)
            p = save;
    }
    if (rc == VG_ENOTFOUND && !header_is_comment) {
        rc = VG_OK; /* nothing but comments: an empty feed */
        goto out;
    }
    if (!has_indicator_col(&p)) {
        rc = vg_error_at(f->err, VG_EPARSE, f->file, hdr_line, NULL, "%s",
                         feodo ? "no dst_ip column in the header (is this Feodo Tracker's CSV?)"
                               : "no column in the header holds an IP address, domain, URL or "
                                 "hash (name them with a column map)");
        goto out;
    }
    describe_mapping(&p, f->info->csv_mapping, sizeof f->info->csv_mapping);
    if (header_is_comment && rc == VG_OK) {
        /* The first record was data: read it again. */
        char delim = c.delim;
        vg_csv_release(&c);
        vg_csv_init(&c, text.data, text.len, delim, f->file);
        c.max_record = f->max_record;
    }
    for (;;) {
        rc = vg_csv_next(&c, &p.row, &e);
        if (rc == VG_ENOTFOUND) {
            rc = VG_OK;
            break;
        }
        f->info->records++;
        if (rc == VG_OK)
            rc = csv_row(&p, &p.row);
        else if (rc == VG_EPARSE || rc == VG_ETOOBIG)
            rc = csv_reader_bad(&p, &c);
        else if (f->err)
            *f->err = e;
        if (rc)
            break;
    }
out:
    vg_csv_release(&c);
    vg_buf_release(&text);
    return rc;
}
