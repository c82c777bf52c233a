/*
 * csv.c - spreadsheet-export CSV reader over in-memory UTF-8 text.
 */
#include "core/csv.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/banned.h"

char vg_csv_sniff(const char *data, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int inq = 0;
    size_t i = 0;
    /* The first record: leading blank lines are skipped, as vg_csv_next does. */
    while (i < len && (data[i] == '\n' || data[i] == '\r'))
        i++;
    for (; i < len; i++) {
        char ch = data[i];
        if (ch == '"')
            inq = !inq;
        else if (!inq && (ch == '\n' || ch == '\r'))
            break;
        else if (!inq && ch == ',')
            comma++;
        else if (!inq && ch == ';')
            semi++;
        else if (!inq && ch == '\t')
            tab++;
    }
    if (tab > comma && tab >= semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

void vg_csv_init(struct vg_csv *c, const char *data, size_t len, char delim, const char *file)
{
    c->data = data;
    c->len = len;
    c->pos = 0;
    c->line = 1;
    c->delim = delim ? delim : vg_csv_sniff(data, len);
    c->file = file;
    c->max_record = VG_CSV_MAX_RECORD;
    vg_buf_init(&c->rec, 0);
}

/* Record an error: its reason and field stay on c so a caller that knows the
 * header can name the column instead of the field number. */
static int fail(struct vg_csv *c, struct vg_error *err, int code, size_t line, size_t field,
                const char *reason)
{
    c->err_field = field;
    c->err_line = line;
    vg_strlcpy(c->err_reason, reason, sizeof c->err_reason);
    if (field)
        return vg_error_at(err, code, c->file, line, NULL, "field %zu: %s", field, reason);
    return vg_error_at(err, code, c->file, line, NULL, "%s", reason);
}

void vg_csv_release(struct vg_csv *c)
{
    vg_buf_release(&c->rec);
}

/* Move past the end of the current record (line end outside quotes). */
static void skip_record(struct vg_csv *c, int inq)
{
    while (c->pos < c->len) {
        char ch = c->data[c->pos++];
        if (ch == '"') {
            inq = !inq;
        } else if (ch == '\n') {
            c->line++;
            if (!inq)
                return;
        } else if (ch == '\r') {
            if (c->pos < c->len && c->data[c->pos] == '\n')
                c->pos++;
            c->line++;
            if (!inq)
                return;
        }
    }
}

int vg_csv_next(struct vg_csv *c, struct vg_csv_row *row, struct vg_error *err)
{
    size_t nf, start_line, fstart;
    int inq;
    const char *d = c->data;
again:
    if (c->pos >= c->len)
        return VG_ENOTFOUND;
    /* Blank lines between records are skipped. */
    if (d[c->pos] == '\n' || d[c->pos] == '\r') {
        if (d[c->pos] == '\r' && c->pos + 1 < c->len && d[c->pos + 1] == '\n')
            c->pos++;
        c->pos++;
        c->line++;
        goto again;
    }
    start_line = c->line;
    row->line = start_line;
    c->err_field = 0;
    vg_buf_reset(&c->rec);
    c->rec.max = c->max_record;
    nf = 0;
    c->offs[0] = 0;
    inq = 0;
    fstart = c->pos; /* input position of the current field, for UTF-8 checks */
    for (;;) {
        char ch;
        if (c->pos >= c->len) {
            if (inq) {
                vg_buf_reset(&c->rec);
                return fail(c, err, VG_EPARSE, start_line, nf + 1, "quoted field is never closed");
            }
            break;
        }
        ch = d[c->pos];
        if (inq) {
            if (ch == '"') {
                if (c->pos + 1 < c->len && d[c->pos + 1] == '"') {
                    if (vg_buf_addc(&c->rec, '"'))
                        goto toobig;
                    c->pos += 2;
                    continue;
                }
                inq = 0;
                c->pos++;
                /* Only a delimiter or a line end may follow a closing quote. */
                if (c->pos < c->len && d[c->pos] != c->delim && d[c->pos] != '\n' &&
                    d[c->pos] != '\r') {
                    size_t line = c->line;
                    skip_record(c, 0);
                    return fail(c, err, VG_EPARSE, line, nf + 1, "text after the closing quote");
                }
                continue;
            }
            /* Add first: when the record is too big, skip_record counts this line end. */
            if (vg_buf_addc(&c->rec, ch))
                goto toobig;
            if (ch == '\n' || (ch == '\r' && !(c->pos + 1 < c->len && d[c->pos + 1] == '\n')))
                c->line++;
            c->pos++;
            continue;
        }
        if (ch == c->delim || ch == '\n' || ch == '\r') {
            /* End of a field. */
            if (vg_buf_addc(&c->rec, '\0'))
                goto toobig;
            nf++;
            c->pos++;
            if (ch == '\r' && c->pos < c->len && d[c->pos] == '\n')
                c->pos++;
            if (ch != c->delim) {
                c->line++;
                goto done;
            }
            if (nf >= VG_CSV_MAX_FIELDS) {
                size_t line = start_line;
                skip_record(c, 0);
                return fail(c, err, VG_ETOOBIG, line, 0, "more than 512 fields");
            }
            c->offs[nf] = c->rec.len;
            fstart = c->pos;
            continue;
        }
        if (ch == '"' && c->rec.len == c->offs[nf]) {
            inq = 1;
            c->pos++;
            continue;
        }
        if (vg_buf_addc(&c->rec, ch))
            goto toobig;
        c->pos++;
    }
    /* End of input ends the last field. */
    if (vg_buf_addc(&c->rec, '\0'))
        goto toobig;
    nf++;
done:
    (void)fstart;
    row->n = nf;
    for (size_t i = 0; i < nf; i++) {
        const char *f = c->rec.data + c->offs[i];
        size_t flen = strlen(f), bad;
        size_t next = i + 1 < nf ? c->offs[i + 1] - 1 : c->rec.len - 1;
        if (flen != next - c->offs[i])
            return fail(c, err, VG_EPARSE, start_line, i + 1,
                        "contains a NUL byte (is the file UTF-16? try --encoding utf-16)");
        if (!vg_utf8_valid(f, flen, &bad)) {
            char why[160];
            snprintf(why, sizeof why,
                     "invalid UTF-8 at byte %zu (give the file's encoding with --encoding, "
                     "e.g. windows-1258)",
                     bad + 1);
            return fail(c, err, VG_EPARSE, start_line, i + 1, why);
        }
        row->f[i] = f;
    }
    return VG_OK;
toobig : {
    size_t line = start_line;
    skip_record(c, inq);
    vg_buf_reset(&c->rec);
    char why[96];
    snprintf(why, sizeof why, "record longer than %zu bytes", c->max_record);
    /* The field being read when the limit was hit is the one at fault. */
    return fail(c, err, VG_ETOOBIG, line, nf + 1, why);
}
}
