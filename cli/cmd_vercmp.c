/*
 * cmd_vercmp.c - `vigil vercmp`: compare two versions the way an ecosystem
 * does (dpkg, rpm, apk, semver, PEP 440, Maven, generic), in the style of
 * `dpkg --compare-versions`, plus a batch mode for many pairs.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "vuln/version.h"
#include "core/banned.h"

struct args {
    bool batch;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct args *a = ctx;
    (void)arg;
    if (opt == 'b') {
        a->batch = true;
        return 0;
    }
    return -1;
}

static const char *result_str(int r)
{
    return r < 0 ? "<" : r > 0 ? ">" : "=";
}

/* The operator's truth for a comparison result r; -1 when op is unknown. */
static int op_holds(const char *op, int r)
{
    static const struct {
        const char *name;
        int lt, eq, gt;
    } ops[] = {
        {"lt", 1, 0, 0}, {"<<", 1, 0, 0}, {"le", 1, 1, 0}, {"<=", 1, 1, 0}, {"eq", 0, 1, 0},
        {"=", 0, 1, 0},  {"==", 0, 1, 0}, {"ne", 1, 0, 1}, {"!=", 1, 0, 1}, {"ge", 0, 1, 1},
        {">=", 0, 1, 1}, {"gt", 0, 0, 1}, {">>", 0, 0, 1},
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (strcmp(op, ops[k].name) == 0)
            return r < 0 ? ops[k].lt : r > 0 ? ops[k].gt : ops[k].eq;
    return -1;
}

/* Compare a and b; on an invalid version, err says which one ("first"/"second") and why. */
static int compare(int scheme, const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err)
{
    int rc = vg_version_check(scheme, a, an, err);
    if (rc) {
        vg_error_prefix(err, "first version (A): ");
        return rc;
    }
    rc = vg_version_check(scheme, b, bn, err);
    if (rc) {
        vg_error_prefix(err, "second version (B): ");
        return rc;
    }
    return vg_version_cmp(scheme, a, an, b, bn, out, err);
}

static json_t *result_json(const char *eco, const char *a, size_t an, const char *b, size_t bn,
                           int r)
{
    json_t *j = json_object();
    vg_json_set(j, "ecosystem", vg_json_str(eco));
    vg_json_set(j, "a", json_stringn(a, an));
    vg_json_set(j, "b", json_stringn(b, bn));
    vg_json_set(j, "result", vg_json_str(result_str(r)));
    return j;
}

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* --batch: "A B" per line on stdin, one result per line on stdout. */
static int run_batch(struct cli *c, const char *eco, int scheme)
{
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    int status = VG_EXIT_OK;
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        size_t n = (size_t)len, i = 0;
        lineno++;
        if (n && line[n - 1] == '\n')
            n--;
        while (i < n && is_ws(line[i]))
            i++;
        size_t a0 = i;
        while (i < n && !is_ws(line[i]))
            i++;
        size_t a1 = i;
        while (i < n && is_ws(line[i]))
            i++;
        size_t b0 = i;
        while (i < n && !is_ws(line[i]))
            i++;
        size_t b1 = i;
        while (i < n && is_ws(line[i]))
            i++;
        struct vg_error err;
        int r = 0, rc;
        vg_error_clear(&err);
        if (a1 == a0 || b1 == b0 || i != n)
            rc = vg_error_set(&err, VG_EPARSE, "expected two versions separated by a space");
        else
            rc = compare(scheme, line + a0, a1 - a0, line + b0, b1 - b0, &r, &err);
        if (rc) {
            vg_error_prefix(&err, "<stdin>:%zu: ", lineno);
            cli_fail(c, rc, &err);
            status = VG_EXIT_FAIL;
            if (c->json) {
                json_t *j = json_object();
                vg_json_set(j, "line", vg_json_int((int64_t)lineno));
                vg_json_set(j, "error", vg_json_str(vg_error_msg(&err, rc)));
                vg_json_print_line(stdout, j);
                json_decref(j);
            } else {
                puts("?");
            }
            continue;
        }
        if (c->json) {
            json_t *j = result_json(eco, line + a0, a1 - a0, line + b0, b1 - b0, r);
            vg_json_print_line(stdout, j);
            json_decref(j);
        } else {
            puts(result_str(r));
        }
    }
    free(line);
    if (ferror(stdin))
        return cli_failf(c, "cannot read standard input");
    return status;
}

int cmd_vercmp(struct cli *c)
{
    static const struct option lo[] = {{"batch", no_argument, NULL, 'b'}, {NULL, 0, NULL, 0}};
    struct args a = {false};
    struct vg_error err;
    int first = cli_getopt(c, 1, "vercmp", lo, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    int npos = c->argc - first;
    if (npos < 1)
        return cli_usage_error(c, "vercmp", "say which ecosystem (e.g. Debian, rpm, PyPI)");
    const char *eco = c->argv[first];
    int scheme = vg_vscheme_of(eco);
    if (scheme == VG_VS_NONE)
        return cli_usage_error(c, "vercmp", "unknown ecosystem '%s'", eco);
    if (a.batch) {
        if (npos != 1)
            return cli_usage_error(c, "vercmp", "--batch reads the versions from standard input");
        return run_batch(c, eco, scheme);
    }
    if (npos != 3 && npos != 4)
        return cli_usage_error(c, "vercmp", "expected ECOSYSTEM A B or ECOSYSTEM A OP B");
    const char *va = c->argv[first + 1];
    const char *vb = c->argv[first + (npos == 4 ? 3 : 2)];
    const char *op = npos == 4 ? c->argv[first + 2] : NULL;
    if (op && op_holds(op, 0) < 0)
        return cli_usage_error(c, "vercmp",
                               "unknown operator '%s' (lt le eq ne ge gt, << <= = != >= >>)", op);
    int r = 0, rc;
    vg_error_clear(&err);
    if ((rc = compare(scheme, va, strlen(va), vb, strlen(vb), &r, &err)))
        return cli_fail(c, rc, &err);
    if (c->json) {
        json_t *j = result_json(eco, va, strlen(va), vb, strlen(vb), r);
        if (op) {
            vg_json_set(j, "op", vg_json_str(op));
            vg_json_set(j, "holds", json_boolean(op_holds(op, r)));
        }
        cli_json(c, j);
    } else if (!op) {
        puts(result_str(r));
    }
    if (op)
        return op_holds(op, r) ? VG_EXIT_OK : VG_EXIT_FOUND;
    return VG_EXIT_OK;
}
