/*
 * err.c - error codes and the error context.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

const char *vg_strerror(int code)
{
    switch (code) {
    case VG_OK:
        return "success";
    case VG_ENOMEM:
        return "out of memory";
    case VG_EIO:
        return "input/output error";
    case VG_EPARSE:
        return "malformed input";
    case VG_ENOTFOUND:
        return "not found";
    case VG_EEXIST:
        return "already exists";
    case VG_EINVAL:
        return "invalid argument";
    case VG_EDB:
        return "store error";
    case VG_ETOOBIG:
        return "input too large";
    case VG_EBUSY:
        return "store is busy";
    case VG_EPERM:
        return "permission denied";
    case VG_ESCHEMA:
        return "store schema is newer than this program";
    case VG_ECONFLICT:
        return "conflicting input";
    }
    return "unknown error";
}

void vg_error_clear(struct vg_error *e)
{
    if (e) {
        e->code = VG_OK;
        e->msg[0] = '\0';
    }
}

int vg_error_set(struct vg_error *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

int vg_error_at(struct vg_error *e, int code, const char *file, size_t line, const char *field,
                const char *fmt, ...)
{
    if (e) {
        size_t n = 0;
        int w;
        va_list ap;
        e->code = code;
        if (line)
            w = snprintf(e->msg, sizeof e->msg, "%s:%zu: ", file ? file : "<input>", line);
        else
            w = snprintf(e->msg, sizeof e->msg, "%s: ", file ? file : "<input>");
        n = w > 0 ? (size_t)w : 0;
        if (field && n < sizeof e->msg) {
            w = snprintf(e->msg + n, sizeof e->msg - n, "column \"%s\": ", field);
            n += w > 0 ? (size_t)w : 0;
        }
        if (n < sizeof e->msg) {
            va_start(ap, fmt);
            vsnprintf(e->msg + n, sizeof e->msg - n, fmt, ap);
            va_end(ap);
        }
    }
    return code;
}

void vg_error_prefix(struct vg_error *e, const char *fmt, ...)
{
    char head[VG_ERROR_MSG_MAX], old[VG_ERROR_MSG_MAX];
    va_list ap;
    if (!e)
        return;
    memcpy(old, e->msg, sizeof old);
    old[sizeof old - 1] = '\0';
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    snprintf(e->msg, sizeof e->msg, "%s%s", head, old[0] ? old : vg_strerror(e->code));
}

const char *vg_error_msg(const struct vg_error *e, int code)
{
    if (e && e->msg[0])
        return e->msg;
    return vg_strerror(code);
}
