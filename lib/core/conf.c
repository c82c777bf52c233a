/*
 * conf.c - INI configuration file reader.
 */
#include "core/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/str.h"
#include "core/banned.h"

#define CONF_MAX_BYTES (1u << 20)

void vg_conf_init(struct vg_conf *c)
{
    c->path = NULL;
    c->items = NULL;
    c->n = 0;
}

void vg_conf_release(struct vg_conf *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].key);
        free(c->items[i].value);
    }
    free(c->items);
    free(c->path);
    vg_conf_init(c);
}

static int set(struct vg_conf *c, const char *key, const char *value, size_t line)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->items[i].key, key) == 0) {
            char *v = vg_strdup(value);
            if (!v)
                return VG_ENOMEM;
            free(c->items[i].value);
            c->items[i].value = v;
            c->items[i].line = line;
            return VG_OK;
        }
    }
    struct vg_conf_item *n = realloc(c->items, (c->n + 1) * sizeof *n);
    if (!n)
        return VG_ENOMEM;
    c->items = n;
    n[c->n].key = vg_strdup(key);
    n[c->n].value = vg_strdup(value);
    n[c->n].line = line;
    if (!n[c->n].key || !n[c->n].value) {
        free(n[c->n].key);
        free(n[c->n].value);
        return VG_ENOMEM;
    }
    c->n++;
    return VG_OK;
}

int vg_conf_load(struct vg_conf *c, const char *path, struct vg_error *err)
{
    struct vg_buf b;
    char section[128] = "";
    int rc;
    size_t line = 0;
    vg_buf_init(&b, CONF_MAX_BYTES);
    rc = vg_file_read(path, CONF_MAX_BYTES, &b, err);
    if (rc)
        goto out;
    if (!vg_utf8_valid(b.data, b.len, NULL)) {
        rc = vg_error_set(err, VG_EPARSE, "%s: not UTF-8 text", path);
        goto out;
    }
    free(c->path);
    c->path = vg_strdup(path);
    for (char *p = b.data; p && *p;) {
        char *nl = strchr(p, '\n'), *s, *eq;
        if (nl)
            *nl = '\0';
        line++;
        s = vg_str_trim(p);
        p = nl ? nl + 1 : NULL;
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            size_t n = strlen(s);
            if (s[n - 1] != ']' || n < 3 || n - 2 >= sizeof section) {
                rc = vg_error_at(err, VG_EPARSE, path, line, NULL, "bad section header '%s'", s);
                goto out;
            }
            memcpy(section, s + 1, n - 2);
            section[n - 2] = '\0';
            char *t = vg_str_trim(section);
            memmove(section, t, strlen(t) + 1);
            continue;
        }
        eq = strchr(s, '=');
        if (!eq) {
            rc = vg_error_at(err, VG_EPARSE, path, line, NULL, "expected 'key = value', got '%s'",
                             s);
            goto out;
        }
        *eq = '\0';
        char *key = vg_str_trim(s), *val = vg_str_trim(eq + 1);
        if (!*key) {
            rc = vg_error_at(err, VG_EPARSE, path, line, NULL, "missing key before '='");
            goto out;
        }
        /* Allow "quoted values" so leading/trailing spaces can be kept. */
        size_t vn = strlen(val);
        if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
            val[vn - 1] = '\0';
            val++;
        }
        char full[256];
        if (section[0])
            snprintf(full, sizeof full, "%s.%s", section, key);
        else
            vg_strlcpy(full, key, sizeof full);
        vg_str_lower(full);
        if ((rc = set(c, full, val, line)))
            goto out;
    }
out:
    vg_buf_release(&b);
    return rc;
}

const char *vg_conf_get(const struct vg_conf *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].key, key) == 0)
            return c->items[i].value;
    return NULL;
}

size_t vg_conf_line(const struct vg_conf *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].key, key) == 0)
            return c->items[i].line;
    return 0;
}
