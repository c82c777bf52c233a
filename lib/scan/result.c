/*
 * result.c - reading a scan result written by `vigil scan --output` (JSON
 * Lines: a header, detections and skips, a summary) on another machine, for
 * `vigil scan import`. The file is outside input: each line is checked, and
 * a cut or foreign file is refused.
 */
#include "scan/scan.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "store/store.h"
#include "core/banned.h"

void vg_scan_result_release(struct vg_scan_result *r)
{
    free(r->d);
    vg_arena_release(&r->a);
    memset(r, 0, sizeof *r);
}

static const char *jstr(json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

/* One detection line into r->d. */
static int add_detection(struct vg_scan_result *r, json_t *j, const char *display, size_t lineno,
                         struct vg_error *err)
{
    const char *path = jstr(j, "path"), *sha = jstr(j, "sha256"), *rule = jstr(j, "rule");
    const char *kind = jstr(j, "kind"), *source = jstr(j, "source");
    struct vg_scan_detection *x;
    if (!path || !sha || !rule || !kind || (strcmp(kind, "yara") != 0 && strcmp(kind, "hash") != 0))
        return vg_error_set(err, VG_EPARSE,
                            "%s:%zu: a detection needs path, sha256, rule and kind "
                            "(\"yara\" or \"hash\")",
                            display, lineno);
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 64;
        struct vg_scan_detection *nd = realloc(r->d, ncap * sizeof *nd);
        if (!nd)
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        r->d = nd;
        r->cap = ncap;
    }
    x = &r->d[r->n];
    memset(x, 0, sizeof *x);
    x->path = vg_arena_strdup(&r->a, path);
    x->sha256 = vg_arena_strdup(&r->a, sha);
    x->rule = vg_arena_strdup(&r->a, rule);
    x->kind = vg_arena_strdup(&r->a, kind);
    x->feed = source ? vg_arena_strdup(&r->a, source) : NULL;
    if (!x->path || !x->sha256 || !x->rule || !x->kind || (source && !x->feed))
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    r->n++;
    return VG_OK;
}

int vg_scan_result_parse(const char *text, size_t len, const char *display,
                         struct vg_scan_result *r, struct vg_error *err)
{
    const char *p = text, *end = text + len;
    size_t lineno = 0;
    bool header = false, summary = false;
    int rc = VG_OK;

    memset(r, 0, sizeof *r);
    vg_arena_init(&r->a);
    while (rc == VG_OK && p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_error_t je;
        json_t *j;
        const char *type;
        lineno++;
        if (n == 0) {
            p = nl ? nl + 1 : end;
            continue;
        }
        j = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
        p = nl ? nl + 1 : end;
        if (!j || !json_is_object(j)) {
            rc = vg_error_set(err, VG_EPARSE, "%s:%zu: not a JSON object (%s)", display, lineno,
                              j ? "not an object" : je.text);
            json_decref(j);
            break;
        }
        type = jstr(j, "type");
        if (!header) {
            const char *fmt = jstr(j, "format"), *h = jstr(j, "host");
            const char *started = jstr(j, "started");
            if (!type || strcmp(type, "header") != 0 || !fmt ||
                strcmp(fmt, VG_SCAN_RESULT_FORMAT) != 0 || !h || !h[0] ||
                strlen(h) >= sizeof r->host || !started ||
                vg_time_parse(started, strlen(started), &r->row.started_at)) {
                rc = vg_error_set(err, VG_EPARSE,
                                  "%s:%zu: not a vigil scan result (the first line must be its "
                                  "header, format \"%s\", with host and started)",
                                  display, lineno, VG_SCAN_RESULT_FORMAT);
            } else {
                char *roots = json_dumps(json_object_get(j, "roots"), JSON_COMPACT);
                memcpy(r->host, h, strlen(h) + 1);
                r->row.rules_version = vg_arena_strdup(&r->a, jstr(j, "rules_version"));
                r->row.feeds_version = vg_arena_strdup(&r->a, jstr(j, "feeds_version"));
                r->row.roots = vg_arena_strdup(&r->a, roots ? roots : "[]");
                free(roots);
                header = true;
            }
        } else if (type && strcmp(type, "summary") == 0) {
            const char *fin = jstr(j, "finished");
            r->row.files = json_integer_value(json_object_get(j, "files"));
            r->row.bytes = json_integer_value(json_object_get(j, "bytes"));
            r->row.skipped = json_integer_value(json_object_get(j, "skipped"));
            r->row.errors = json_integer_value(json_object_get(j, "errors"));
            if (fin)
                vg_time_parse(fin, strlen(fin), &r->row.finished_at);
            summary = true;
        } else if (!type) {
            rc = add_detection(r, j, display, lineno, err);
        } /* skips and errors ("type": "error"/"skipped") are for people */
        json_decref(j);
    }
    if (rc == VG_OK && (!header || !summary))
        rc = vg_error_set(err, VG_EPARSE,
                          "%s: %s (an unfinished or cut result; scan again with --output)", display,
                          header ? "no summary line" : "empty");
    if (rc) {
        vg_scan_result_release(r);
        return rc;
    }
    r->row.hostname = r->host;
    r->row.detections = (int64_t)r->n;
    return VG_OK;
}
