/*
 * buf.h - a growable byte buffer with a maximum size (after git's strbuf and
 * curl's dynbuf).
 *
 * Invariants: `data` is never NULL and always NUL-terminated at data[len]
 * (so text can be used as a C string), len < cap unless cap == 0, and
 * len <= max. Growth past `max` fails with VG_ETOOBIG and leaves the buffer
 * as it was, so a parser of hostile input cannot be made to eat memory.
 */
#ifndef VG_CORE_BUF_H
#define VG_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct vg_buf {
    char *data;
    size_t len;
    size_t cap; /* allocated bytes; 0 while data points at a static "" */
    size_t max; /* largest len allowed */
};

#define VG_BUF_NOLIMIT ((size_t)-1 / 2)

/* Set up an empty buffer that may grow to max bytes. Allocates nothing. */
void vg_buf_init(struct vg_buf *b, size_t max);

/* Free the contents; b is left as after vg_buf_init with the same max. */
void vg_buf_release(struct vg_buf *b);

/* Make sure n more bytes fit. VG_ETOOBIG past max, VG_ENOMEM. */
int vg_buf_grow(struct vg_buf *b, size_t n);

int vg_buf_add(struct vg_buf *b, const void *p, size_t n);
int vg_buf_adds(struct vg_buf *b, const char *s);
int vg_buf_addc(struct vg_buf *b, char c);
int vg_buf_addf(struct vg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap);

/* Empty the buffer, keeping its memory. */
void vg_buf_reset(struct vg_buf *b);

/* Shorten to len bytes (no-op when len >= b->len). */
void vg_buf_truncate(struct vg_buf *b, size_t len);

/*
 * Take the contents as a malloc'd NUL-terminated string; the caller frees it.
 * The buffer is left empty. Returns NULL only when out of memory.
 */
char *vg_buf_detach(struct vg_buf *b, size_t *len);

#endif
