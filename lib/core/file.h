/*
 * file.h - reading whole input files with a size cap, decoding their text
 * encoding to UTF-8, and hashing them.
 */
#ifndef VG_CORE_FILE_H
#define VG_CORE_FILE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

/*
 * Read path ("-" for standard input) into out (reset first), failing with
 * VG_ETOOBIG past max bytes. Messages name the path.
 */
int vg_file_read(const char *path, size_t max, struct vg_buf *out, struct vg_error *err);

/*
 * Turn the bytes in b into UTF-8 text in place. With encoding NULL the
 * encoding is detected: a UTF-8 byte-order mark is dropped; UTF-16 with a
 * byte-order mark (as Excel writes "Unicode text"), or without one when NUL
 * bytes show it, is converted. Otherwise the text is taken as UTF-8 and left
 * for the parser to validate (so it can name the line). With an encoding
 * name (anything iconv knows, e.g. "windows-1258", "latin1") the text is
 * converted from it. file names the input in messages. *detected (may be
 * NULL) is set to a static name of what was found ("utf-8", "utf-16le", ...).
 */
int vg_text_decode(struct vg_buf *b, const char *encoding, const char *file, const char **detected,
                   struct vg_error *err);

/* p[0..n) as lower-case hex into out[2 * n + 1]. */
void vg_hex_encode(const void *p, size_t n, char *out);

/* Lower-case hex SHA-256 of p[0..n) into hex[65]. */
void vg_sha256_hex(const void *p, size_t n, char *hex);

#endif
