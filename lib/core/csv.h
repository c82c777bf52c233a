/*
 * csv.h - a reader for CSV as spreadsheets export it (RFC 4180 plus the
 * usual variations): ',' ';' or tab as delimiter, fields quoted with '"'
 * and '""' inside quotes, CRLF, LF or CR line ends, line breaks inside
 * quoted fields. Reads from UTF-8 text in memory (see vg_text_decode) and
 * validates it, so every error can name the line and the column.
 *
 * A record may not exceed max_record bytes nor VG_CSV_MAX_FIELDS fields; past
 * either the reader reports VG_ETOOBIG for that record, skips to its end, and
 * can go on with the next one.
 */
#ifndef VG_CORE_CSV_H
#define VG_CORE_CSV_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define VG_CSV_MAX_FIELDS 512
#define VG_CSV_MAX_RECORD (1u << 20) /* 1 MiB */

struct vg_csv {
    const char *data; /* borrowed: the whole text */
    size_t len;
    size_t pos;
    size_t line; /* line number at pos, 1-based */
    char delim;
    const char *file; /* borrowed, for messages */
    size_t max_record;
    struct vg_buf rec;              /* unescaped fields, each NUL-terminated */
    size_t offs[VG_CSV_MAX_FIELDS]; /* field starts in rec */
    /* After an error: the field at fault (1-based, 0 for the whole record),
     * its line, and the reason without position, so a caller that knows the
     * header can say `column "ip"` instead of the field number. */
    size_t err_field;
    size_t err_line;
    char err_reason[160];
};

struct vg_csv_row {
    size_t line;                      /* line the record starts on */
    size_t n;                         /* number of fields */
    const char *f[VG_CSV_MAX_FIELDS]; /* borrowed: valid until the next vg_csv_next */
};

/* Guess the delimiter from the first record: the most frequent of ',' ';' '\t' outside quotes. */
char vg_csv_sniff(const char *data, size_t len);

/* Set up a reader over data[0..len); delim 0 means sniff it. */
void vg_csv_init(struct vg_csv *c, const char *data, size_t len, char delim, const char *file);
void vg_csv_release(struct vg_csv *c);

/*
 * Read the next non-blank record into row. Returns VG_OK, VG_ENOTFOUND at
 * the end of input, or an error with a message naming file:line (VG_EPARSE:
 * unterminated quote, text after a closing quote, invalid UTF-8 or a NUL
 * byte; VG_ETOOBIG). After VG_EPARSE for invalid text or VG_ETOOBIG the
 * reader has moved past that record; after an unterminated quote it is at
 * the end.
 */
int vg_csv_next(struct vg_csv *c, struct vg_csv_row *row, struct vg_error *err);

#endif
