/*
 * json.c - JSON output helpers on jansson.
 */
#include "core/json.h"

#include <string.h>

#include "core/buf.h"
#include "core/parse.h"
#include "core/str.h"
#include "core/banned.h"

json_t *vg_json_str(const char *s)
{
    size_t n, bad;
    struct vg_buf b;
    json_t *j;
    if (!s)
        return json_null();
    n = strlen(s);
    if (vg_utf8_valid(s, n, &bad))
        return json_stringn(s, n);
    vg_buf_init(&b, 0);
    for (size_t i = 0; i < n;) {
        size_t rest;
        if (vg_utf8_valid(s + i, n - i, &bad)) {
            vg_buf_add(&b, s + i, n - i);
            break;
        }
        vg_buf_add(&b, s + i, bad);
        vg_buf_adds(&b, "\xEF\xBF\xBD");
        rest = i + bad + 1;
        i = rest;
    }
    j = json_stringn(b.data, b.len);
    vg_buf_release(&b);
    return j;
}

json_t *vg_json_time(time_t t)
{
    char buf[32];
    if (!t)
        return json_null();
    return json_string(vg_time_rfc3339(t, buf));
}

json_t *vg_json_int(int64_t v)
{
    return json_integer((json_int_t)v);
}

int vg_json_set(json_t *obj, const char *key, json_t *v)
{
    return json_object_set_new(obj, key, v ? v : json_null());
}

int vg_json_print(FILE *f, const json_t *j)
{
    if (json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) != 0)
        return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}

int vg_json_print_line(FILE *f, const json_t *j)
{
    if (json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) != 0)
        return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}
