/*
 * table.h - tables for people (aligned columns on a terminal) and for
 * spreadsheets (CSV). Cells are copied. Text from outside is made safe on
 * the way out: control characters are escaped in aligned output, and CSV
 * cells that a spreadsheet would run as a formula (= + - @) are defused.
 */
#ifndef VG_CORE_TABLE_H
#define VG_CORE_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct vg_table;

/* A table with ncols columns named by the header cells. NULL when out of memory. */
struct vg_table *vg_table_new(size_t ncols, const char *const *header);
void vg_table_free(struct vg_table *t);

/* Append a row of ncols cells (NULL cells print empty). VG_OK or VG_ENOMEM. */
int vg_table_add(struct vg_table *t, const char *const *cells);

size_t vg_table_rows(const struct vg_table *t);

/*
 * Aligned columns separated by two spaces, upper-case header, numeric
 * columns right-aligned, wide characters counted by display width.
 */
void vg_table_print(const struct vg_table *t, FILE *f);

/* RFC 4180 CSV with a header row; formula-like cells get a leading quote. */
void vg_table_print_csv(const struct vg_table *t, FILE *f);

/* Write one CSV cell (quoted when needed, formula-defused). */
void vg_csv_write_cell(FILE *f, const char *s);

#endif
