/*
 * err.h - the one error enum of libvigil and the context that carries the
 * human message (file, line and field at fault).
 *
 * Every fallible function returns an int from enum vg_err and, when given a
 * non-NULL struct vg_error *, fills it with a message that says what failed,
 * lower-case, no full stop: `hosts.csv:12: column "ip": "10.0.0.300" is not
 * an IP address`.
 *
 * Always add new codes last, never renumber or remove any: scripts and the
 * store may keep these numbers.
 */
#ifndef VG_CORE_ERR_H
#define VG_CORE_ERR_H

#include <stddef.h>

enum vg_err {
    VG_OK = 0,         /* success */
    VG_ENOMEM = 1,     /* out of memory */
    VG_EIO = 2,        /* read or write failed */
    VG_EPARSE = 3,     /* input is malformed */
    VG_ENOTFOUND = 4,  /* no such object */
    VG_EEXIST = 5,     /* object already exists */
    VG_EINVAL = 6,     /* invalid argument */
    VG_EDB = 7,        /* store error */
    VG_ETOOBIG = 8,    /* input exceeds a size limit */
    VG_EBUSY = 9,      /* resource busy (store locked) */
    VG_EPERM = 10,     /* permission denied */
    VG_ESCHEMA = 11,   /* store schema is newer than this program */
    VG_ECONFLICT = 12, /* input contradicts itself or the store */
    VG_ERR_LAST_       /* not an error; keep last */
};

#define VG_ERROR_MSG_MAX 512

struct vg_error {
    int code;
    char msg[VG_ERROR_MSG_MAX];
};

/* A static, never-NULL description of code ("out of memory"). */
const char *vg_strerror(int code);

/* Clear e (may be NULL). */
void vg_error_clear(struct vg_error *e);

/*
 * Set e->code and format e->msg (e may be NULL). Returns code, so that
 * `return vg_error_set(err, VG_EINVAL, "...")` reads naturally.
 */
int vg_error_set(struct vg_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Like vg_error_set, with the position prepended: `file:line: column "field": `.
 * file may be NULL ("<input>"), line 0 leaves the line out, field NULL leaves
 * the column out.
 */
int vg_error_at(struct vg_error *e, int code, const char *file, size_t line, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Prepend context to an existing message: "cannot import 'x': " + old msg.
 * Keeps e->code. No-op when e is NULL.
 */
void vg_error_prefix(struct vg_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The message of e, or vg_strerror(code) when e is NULL or has no message. */
const char *vg_error_msg(const struct vg_error *e, int code);

/* Run expression; on failure jump to `out` with rc set (YARA's GOTO_EXIT_ON_ERROR). */
#define VG_TRY(expr)                                                                               \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != VG_OK)                                                                           \
            goto out;                                                                              \
    } while (0)

#endif
