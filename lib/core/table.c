/*
 * table.c - aligned and CSV table output.
 */
#include "core/table.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "core/banned.h"

struct vg_table {
    size_t ncols;
    size_t nrows, cap;
    char **cells; /* (nrows + 1) * ncols, row 0 is the header */
};

static int add_row(struct vg_table *t, const char *const *cells, bool header)
{
    if (t->nrows + 1 >= t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 16;
        char **n = realloc(t->cells, ncap * t->ncols * sizeof *n);
        if (!n)
            return VG_ENOMEM;
        t->cells = n;
        t->cap = ncap;
    }
    size_t row = header ? 0 : t->nrows + 1;
    for (size_t i = 0; i < t->ncols; i++) {
        char *c = vg_strdup(cells[i] ? cells[i] : "");
        if (!c) {
            for (size_t j = 0; j < i; j++)
                free(t->cells[row * t->ncols + j]);
            return VG_ENOMEM;
        }
        t->cells[row * t->ncols + i] = c;
    }
    if (!header)
        t->nrows++;
    return VG_OK;
}

struct vg_table *vg_table_new(size_t ncols, const char *const *header)
{
    struct vg_table *t = calloc(1, sizeof *t);
    if (!t || !ncols)
        goto fail;
    t->ncols = ncols;
    if (add_row(t, header, true))
        goto fail;
    return t;
fail:
    if (t)
        free(t->cells);
    free(t);
    return NULL;
}

void vg_table_free(struct vg_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < (t->nrows + 1) * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

int vg_table_add(struct vg_table *t, const char *const *cells)
{
    return add_row(t, cells, false);
}

size_t vg_table_rows(const struct vg_table *t)
{
    return t->nrows;
}

/* A count or a measure, right-aligned. A leading zero (a phone number, an id
 * like 0042) is text. */
static bool is_number(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
        return false;
    int dots = 0;
    for (; *s; s++) {
        if (*s == '.' && ++dots == 1)
            continue; /* one decimal point; an address has three */
        if ((*s < '0' || *s > '9') && !(*s == '%' && !s[1]))
            return false;
    }
    return true;
}

void vg_table_print(const struct vg_table *t, FILE *f)
{
    size_t n = (t->nrows + 1) * t->ncols;
    char **safe = calloc(n, sizeof *safe);
    size_t *w = calloc(t->ncols, sizeof *w);
    bool *right = calloc(t->ncols, sizeof *right);
    if (!safe || !w || !right)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const char *c = t->cells[i];
        size_t len = strlen(c);
        if (vg_str_has_ctl(c, len)) {
            size_t sz = len * 6 + 4;
            safe[i] = malloc(sz);
            if (!safe[i])
                goto out;
            vg_str_escape_ctl(safe[i], sz, c, len);
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        right[c] = t->nrows > 0;
        for (size_t r = 0; r <= t->nrows; r++) {
            size_t i = r * t->ncols + c;
            const char *s = safe[i] ? safe[i] : t->cells[i];
            size_t sw = vg_str_width(s);
            if (sw > w[c])
                w[c] = sw;
            if (r && *s && !is_number(s))
                right[c] = false;
        }
    }
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            size_t i = r * t->ncols + c;
            const char *s = safe[i] ? safe[i] : t->cells[i];
            size_t pad = w[c] - vg_str_width(s);
            bool last = c + 1 == t->ncols;
            if (c)
                fputs("  ", f);
            if (right[c])
                fprintf(f, "%*s", (int)pad, "");
            if (r == 0) {
                for (const char *p = s; *p; p++)
                    fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, f);
            } else {
                fputs(s, f);
            }
            if (!right[c] && !last)
                fprintf(f, "%*s", (int)pad, "");
        }
        fputc('\n', f);
    }
out:
    if (safe)
        for (size_t i = 0; i < n; i++)
            free(safe[i]);
    free(safe);
    free(w);
    free(right);
}

void vg_csv_write_cell(FILE *f, const char *s)
{
    bool formula =
        s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    /* A negative number is data, not a formula. */
    if (s[0] == '-' && is_number(s)) {
        formula = false;
        quote = false;
    }
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

void vg_table_print_csv(const struct vg_table *t, FILE *f)
{
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                fputc(',', f);
            vg_csv_write_cell(f, t->cells[r * t->ncols + c]);
        }
        fputs("\r\n", f);
    }
}
