/*
 * buf.c - growable, capped byte buffer.
 */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/banned.h"

static char vg_buf_empty[1];

void vg_buf_init(struct vg_buf *b, size_t max)
{
    b->data = vg_buf_empty;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : VG_BUF_NOLIMIT;
}

void vg_buf_release(struct vg_buf *b)
{
    if (b->cap)
        free(b->data);
    vg_buf_init(b, b->max);
}

int vg_buf_grow(struct vg_buf *b, size_t n)
{
    size_t need, cap;
    char *p;
    if (n > b->max - b->len)
        return VG_ETOOBIG;
    need = b->len + n + 1;
    if (need <= b->cap)
        return VG_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap < ((size_t)-1 / 4) ? cap * 2 : need;
    if (cap > b->max + 1)
        cap = b->max + 1;
    p = b->cap ? realloc(b->data, cap) : malloc(cap);
    if (!p)
        return VG_ENOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return VG_OK;
}

int vg_buf_add(struct vg_buf *b, const void *p, size_t n)
{
    int rc = vg_buf_grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return VG_OK;
}

int vg_buf_adds(struct vg_buf *b, const char *s)
{
    return vg_buf_add(b, s, strlen(s));
}

int vg_buf_addc(struct vg_buf *b, char c)
{
    return vg_buf_add(b, &c, 1);
}

int vg_buf_vaddf(struct vg_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n, rc;
    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return VG_EINVAL;
    rc = vg_buf_grow(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return VG_OK;
}

int vg_buf_addf(struct vg_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = vg_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void vg_buf_reset(struct vg_buf *b)
{
    vg_buf_truncate(b, 0);
}

void vg_buf_truncate(struct vg_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *vg_buf_detach(struct vg_buf *b, size_t *len)
{
    char *s;
    if (len)
        *len = b->len;
    if (!b->cap) {
        s = malloc(1);
        if (s)
            s[0] = '\0';
        return s;
    }
    s = b->data;
    vg_buf_init(b, b->max);
    return s;
}
