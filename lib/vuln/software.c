/*
 * software.c - parsers for software inventories (see software.h).
 *
 * The text is never modified nor assumed NUL-terminated: fields are slices
 * of it, copied into small capped buffers just before the callback.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/str.h"
#include "vuln/software.h"
#include "vuln/version.h"

#include "core/banned.h"

#define SW_FIELD_MAX 4096 /* longest name, version, ... passed on */

struct slice {
    const char *p;
    size_t n;
    size_t line; /* where it was read; 0 if absent */
};

/* NUL-terminated copies of the fields of one package. */
enum { F_NAME, F_VER, F_ARCH, F_SRC, F_SRCVER, F_PURL, F_PUB, F_ECO, F_COUNT };

struct emit {
    struct vg_buf b[F_COUNT];
};

static void emit_init(struct emit *e)
{
    for (int i = 0; i < F_COUNT; i++)
        vg_buf_init(&e->b[i], SW_FIELD_MAX);
}

static void emit_release(struct emit *e)
{
    for (int i = 0; i < F_COUNT; i++)
        vg_buf_release(&e->b[i]);
}

/* Copy s into field i; NULL (absent) when s is empty. */
static const char *emit_set(struct emit *e, int i, const char *p, size_t n)
{
    vg_buf_reset(&e->b[i]);
    if (!p || n == 0)
        return NULL;
    if (n > SW_FIELD_MAX)
        n = SW_FIELD_MAX; /* callers check lengths first; this only keeps the cap */
    if (vg_buf_add(&e->b[i], p, n) != 0)
        return NULL;
    return e->b[i].data;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **p, size_t *n)
{
    while (*n > 0 && (is_blank(**p) || **p == '\r'))
        (*p)++, (*n)--;
    while (*n > 0 && (is_blank((*p)[*n - 1]) || (*p)[*n - 1] == '\r'))
        (*n)--;
}

/* Next line of text from *pos: [*lp, *lp + *ln) without its '\n'. */
static bool next_line(const char *text, size_t n, size_t *pos, const char **lp, size_t *ln)
{
    if (*pos >= n)
        return false;
    const char *s = text + *pos;
    const char *nl = memchr(s, '\n', n - *pos);
    size_t len = nl ? (size_t)(nl - s) : n - *pos;
    *lp = s;
    *ln = len;
    *pos += len + (nl ? 1 : 0);
    return true;
}

static bool eq_ci(const char *p, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++) {
        char a = p[i], b = lit[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

/* A package name, architecture or similar token: non-empty, no blanks, no control bytes. */
static bool token_ok(const char *p, size_t n)
{
    if (n == 0 || n > SW_FIELD_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

static int bad_token(struct vg_error *err, const char *display, size_t line, const char *what,
                     const char *p, size_t n)
{
    char esc[96];
    if (n == 0)
        return vg_error_at(err, VG_EPARSE, display, line, NULL, "empty %s", what);
    vg_str_escape_ctl(esc, sizeof esc, p, n);
    return vg_error_at(err, VG_EPARSE, display, line, NULL,
                       "%s '%s' is empty, too long or has blanks or control characters", what, esc);
}

/* Check a version under scheme; on failure the message names display:line. */
static int check_version(int scheme, const char *display, size_t line, const char *what,
                         const char *p, size_t n, struct vg_error *err)
{
    struct vg_error e;
    vg_error_clear(&e);
    if (n > SW_FIELD_MAX)
        return vg_error_at(err, VG_EPARSE, display, line, NULL, "%s is too long (%zu bytes)", what,
                           n);
    if (vg_version_check(scheme, p, n, &e) != VG_OK)
        return vg_error_at(err, VG_EPARSE, display, line, NULL, "%s: %s", what, e.msg);
    return VG_OK;
}

/* ---- dpkg status -------------------------------------------------------- */

struct stanza {
    size_t line; /* first line */
    struct slice pkg, ver, arch, src, status;
};

/* "src" or "src (ver)" into name and version slices. */
static int split_source(const struct slice *s, struct slice *name, struct slice *ver,
                        const char *display, struct vg_error *err)
{
    const char *p = s->p;
    size_t n = s->n;
    size_t i = 0;
    while (i < n && !is_blank(p[i]) && p[i] != '(')
        i++;
    *name = (struct slice){p, i, s->line};
    *ver = (struct slice){NULL, 0, 0};
    while (i < n && is_blank(p[i]))
        i++;
    if (i == n)
        return VG_OK;
    if (p[i] != '(' || p[n - 1] != ')')
        return vg_error_at(err, VG_EPARSE, display, s->line, NULL,
                           "Source: expected 'name' or 'name (version)'");
    const char *v = p + i + 1;
    size_t vn = n - i - 2;
    trim(&v, &vn);
    *ver = (struct slice){v, vn, s->line};
    if (vn == 0)
        return vg_error_at(err, VG_EPARSE, display, s->line, NULL, "Source: empty version");
    return VG_OK;
}

/* Whether a Status value says the package is installed. */
static bool status_installed(const struct slice *s)
{
    const char *w[3];
    size_t wn[3];
    size_t k = 0, i = 0;
    while (i < s->n) {
        while (i < s->n && is_blank(s->p[i]))
            i++;
        if (i == s->n)
            break;
        size_t st = i;
        while (i < s->n && !is_blank(s->p[i]))
            i++;
        if (k == 3)
            return false;
        w[k] = s->p + st;
        wn[k] = i - st;
        k++;
    }
    return k == 3 && (eq_ci(w[0], wn[0], "install") || eq_ci(w[0], wn[0], "hold")) &&
           eq_ci(w[1], wn[1], "ok") && eq_ci(w[2], wn[2], "installed");
}

static int stanza_end(struct stanza *st, const char *display, struct emit *e, vg_pkg_fn fn,
                      void *ctx, struct vg_error *err)
{
    struct slice sname, sver;
    int rc;
    if (!st->status.line || !status_installed(&st->status))
        return VG_OK;
    if (!st->pkg.line)
        return vg_error_at(err, VG_EPARSE, display, st->line, NULL,
                           "installed package without a Package field");
    if (!token_ok(st->pkg.p, st->pkg.n))
        return bad_token(err, display, st->pkg.line, "package name", st->pkg.p, st->pkg.n);
    if (!st->ver.line)
        return vg_error_at(err, VG_EPARSE, display, st->line, NULL,
                           "installed package without a Version field");
    rc = check_version(VG_VS_DPKG, display, st->ver.line, "Version", st->ver.p, st->ver.n, err);
    if (rc)
        return rc;
    if (st->arch.line && !token_ok(st->arch.p, st->arch.n))
        return bad_token(err, display, st->arch.line, "architecture", st->arch.p, st->arch.n);
    sname = st->pkg;
    sver = st->ver;
    if (st->src.line) {
        struct slice v;
        rc = split_source(&st->src, &sname, &v, display, err);
        if (rc)
            return rc;
        if (!token_ok(sname.p, sname.n))
            return bad_token(err, display, st->src.line, "source name", sname.p, sname.n);
        if (v.p) {
            rc = check_version(VG_VS_DPKG, display, st->src.line, "Source version", v.p, v.n, err);
            if (rc)
                return rc;
            sver = v;
        }
    }
    struct vg_pkg p = {
        .name = emit_set(e, F_NAME, st->pkg.p, st->pkg.n),
        .version = emit_set(e, F_VER, st->ver.p, st->ver.n),
        .arch = emit_set(e, F_ARCH, st->arch.p, st->arch.n),
        .source = emit_set(e, F_SRC, sname.p, sname.n),
        .source_version = emit_set(e, F_SRCVER, sver.p, sver.n),
        .ecosystem = "deb",
        .line = st->line,
    };
    if (!p.name || !p.version)
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    return fn(ctx, &p);
}

static int parse_dpkg_status(const char *text, size_t n, const char *display, struct emit *e,
                             vg_pkg_fn fn, void *ctx, struct vg_error *err)
{
    struct stanza st;
    size_t pos = 0, lineno = 0;
    const char *lp;
    size_t ln;
    int rc;
    bool in = false;

    memset(&st, 0, sizeof st);
    while (next_line(text, n, &pos, &lp, &ln)) {
        lineno++;
        if (memchr(lp, '\0', ln))
            return vg_error_at(err, VG_EPARSE, display, lineno, NULL, "NUL byte in the text");
        const char *t = lp;
        size_t tn = ln;
        trim(&t, &tn);
        if (tn == 0) { /* a blank line ends the stanza */
            if (in) {
                rc = stanza_end(&st, display, e, fn, ctx, err);
                if (rc)
                    return rc;
            }
            memset(&st, 0, sizeof st);
            in = false;
            continue;
        }
        if (is_blank(lp[0])) { /* continuation of the previous field */
            if (!in)
                return vg_error_at(err, VG_EPARSE, display, lineno, NULL,
                                   "continuation line without a field");
            continue;
        }
        const char *colon = memchr(lp, ':', ln);
        if (!colon || colon == lp) {
            char esc[64];
            vg_str_escape_ctl(esc, sizeof esc, lp, ln);
            return vg_error_at(err, VG_EPARSE, display, lineno, NULL,
                               "expected 'Field: value', got '%s'", esc);
        }
        size_t fn_len = (size_t)(colon - lp);
        for (size_t i = 0; i < fn_len; i++)
            if (is_blank(lp[i]) || (unsigned char)lp[i] < 0x20)
                return vg_error_at(err, VG_EPARSE, display, lineno, NULL,
                                   "field name with blanks or control characters");
        if (!in) {
            in = true;
            st.line = lineno;
        }
        const char *v = colon + 1;
        size_t vn = ln - fn_len - 1;
        trim(&v, &vn);
        struct slice *dst = NULL;
        const char *fname = NULL;
        if (eq_ci(lp, fn_len, "Package"))
            dst = &st.pkg, fname = "Package";
        else if (eq_ci(lp, fn_len, "Version"))
            dst = &st.ver, fname = "Version";
        else if (eq_ci(lp, fn_len, "Architecture"))
            dst = &st.arch, fname = "Architecture";
        else if (eq_ci(lp, fn_len, "Source"))
            dst = &st.src, fname = "Source";
        else if (eq_ci(lp, fn_len, "Status"))
            dst = &st.status, fname = "Status";
        if (dst) {
            if (dst->line)
                return vg_error_at(err, VG_EPARSE, display, lineno, NULL,
                                   "duplicate field %s (first on line %zu)", fname, dst->line);
            *dst = (struct slice){v, vn, lineno};
        }
    }
    if (in)
        return stanza_end(&st, display, e, fn, ctx, err);
    return VG_OK;
}

/* ---- line formats: dpkg-query, rpm -qa ----------------------------------- */

/* Split a line at tabs into at most max columns; returns the count (max + 1 if more). */
static size_t split_tabs(const char *p, size_t n, struct slice *col, size_t max, size_t line)
{
    size_t k = 0, st = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || p[i] == '\t') {
            if (k == max)
                return max + 1;
            col[k++] = (struct slice){p + st, i - st, line};
            st = i + 1;
        }
    }
    return k;
}

static int parse_dpkg_query(const char *text, size_t n, const char *display, struct emit *e,
                            vg_pkg_fn fn, void *ctx, struct vg_error *err)
{
    size_t pos = 0, lineno = 0;
    const char *lp;
    size_t ln;
    int rc;

    while (next_line(text, n, &pos, &lp, &ln)) {
        struct slice c[5];
        lineno++;
        if (ln > 0 && lp[ln - 1] == '\r')
            ln--;
        if (ln == 0)
            continue;
        if (memchr(lp, '\0', ln))
            return vg_error_at(err, VG_EPARSE, display, lineno, NULL, "NUL byte in the text");
        size_t k = split_tabs(lp, ln, c, 5, lineno);
        if (k != 2 && k != 5)
            return vg_error_at(err, VG_EPARSE, display, lineno, NULL,
                               "expected 2 or 5 tab-separated columns, got %zu%s", k,
                               k > 5 ? " or more" : "");
        struct slice name = c[0], arch = {NULL, 0, 0}, src = {NULL, 0, 0}, srcver = {NULL, 0, 0};
        if (c[1].n == 0)
            continue; /* known to dpkg, not installed */
        if (k == 2) {
            const char *colon = memchr(name.p, ':', name.n);
            if (colon) { /* multiarch: name:arch */
                arch = (struct slice){colon + 1, name.n - (size_t)(colon - name.p) - 1, lineno};
                name.n = (size_t)(colon - name.p);
                if (!token_ok(arch.p, arch.n))
                    return bad_token(err, display, lineno, "architecture", arch.p, arch.n);
            }
        } else {
            arch = c[2];
            src = c[3];
            srcver = c[4];
            if (arch.n && !token_ok(arch.p, arch.n))
                return bad_token(err, display, lineno, "architecture", arch.p, arch.n);
            if (src.n && !token_ok(src.p, src.n))
                return bad_token(err, display, lineno, "source name", src.p, src.n);
        }
        if (!token_ok(name.p, name.n))
            return bad_token(err, display, lineno, "package name", name.p, name.n);
        rc = check_version(VG_VS_DPKG, display, lineno, "version", c[1].p, c[1].n, err);
        if (rc)
            return rc;
        if (srcver.n) {
            rc = check_version(VG_VS_DPKG, display, lineno, "source version", srcver.p, srcver.n,
                               err);
            if (rc)
                return rc;
        }
        if (!src.n)
            src = name;
        if (!srcver.n)
            srcver = c[1];
        struct vg_pkg p = {
            .name = emit_set(e, F_NAME, name.p, name.n),
            .version = emit_set(e, F_VER, c[1].p, c[1].n),
            .arch = emit_set(e, F_ARCH, arch.p, arch.n),
            .source = emit_set(e, F_SRC, src.p, src.n),
            .source_version = emit_set(e, F_SRCVER, srcver.p, srcver.n),
            .ecosystem = "deb",
            .line = lineno,
        };
        if (!p.name || !p.version)
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        rc = fn(ctx, &p);
        if (rc)
            return rc;
    }
    return VG_OK;
}

static const char *memrchr_(const char *p, size_t n, char c)
{
    while (n > 0) {
        n--;
        if (p[n] == c)
            return p + n;
    }
    return NULL;
}

/*
 * name-[epoch:]version-release[.arch] as rpm prints it, split from the
 * right: arch after the last '.' when that comes after the last '-',
 * release after the last '-', version after the '-' before it.
 */
static int split_nvra(const char *p, size_t n, struct slice *name, struct slice *evr,
                      struct slice *arch, const char *display, size_t line, struct vg_error *err)
{
    const char *dash_r = memrchr_(p, n, '-');
    const char *dot = memrchr_(p, n, '.');
    size_t end = n;
    *arch = (struct slice){NULL, 0, 0};
    if (dot && dash_r && dot > dash_r) {
        *arch = (struct slice){dot + 1, n - (size_t)(dot - p) - 1, line};
        end = (size_t)(dot - p);
    }
    const char *dash_v = dash_r ? memrchr_(p, (size_t)(dash_r - p), '-') : NULL;
    if (!dash_r || !dash_v || dash_v == p || dash_r == dash_v + 1 ||
        (size_t)(dash_r - p) + 1 == end) {
        char esc[96];
        vg_str_escape_ctl(esc, sizeof esc, p, n);
        return vg_error_at(err, VG_EPARSE, display, line, NULL,
                           "'%s' is not name-version-release[.arch]", esc);
    }
    *name = (struct slice){p, (size_t)(dash_v - p), line};
    *evr = (struct slice){dash_v + 1, end - (size_t)(dash_v - p) - 1, line};
    return VG_OK;
}

static int parse_rpm_qa(const char *text, size_t n, const char *display, struct emit *e,
                        vg_pkg_fn fn, void *ctx, struct vg_error *err)
{
    size_t pos = 0, lineno = 0;
    const char *lp;
    size_t ln;
    int rc;

    while (next_line(text, n, &pos, &lp, &ln)) {
        struct slice c[3], name, evr, arch;
        lineno++;
        trim(&lp, &ln);
        if (ln == 0)
            continue;
        if (memchr(lp, '\0', ln))
            return vg_error_at(err, VG_EPARSE, display, lineno, NULL, "NUL byte in the text");
        if (memchr(lp, '\t', ln)) {
            size_t k = split_tabs(lp, ln, c, 3, lineno);
            if (k != 3)
                return vg_error_at(err, VG_EPARSE, display, lineno, NULL,
                                   "expected 3 tab-separated columns (name, "
                                   "epoch:version-release, arch), got %zu%s",
                                   k, k > 3 ? " or more" : "");
            name = c[0];
            evr = c[1];
            arch = c[2];
            if (eq_ci(arch.p, arch.n, "(none)"))
                arch.n = 0;
        } else {
            rc = split_nvra(lp, ln, &name, &evr, &arch, display, lineno, err);
            if (rc)
                return rc;
        }
        if (!token_ok(name.p, name.n))
            return bad_token(err, display, lineno, "package name", name.p, name.n);
        if (arch.n && !token_ok(arch.p, arch.n))
            return bad_token(err, display, lineno, "architecture", arch.p, arch.n);
        rc = check_version(VG_VS_RPM, display, lineno, "version", evr.p, evr.n, err);
        if (rc)
            return rc;
        struct vg_pkg p = {
            .name = emit_set(e, F_NAME, name.p, name.n),
            .version = emit_set(e, F_VER, evr.p, evr.n),
            .arch = emit_set(e, F_ARCH, arch.p, arch.n),
            .ecosystem = "rpm",
            .line = lineno,
        };
        if (!p.name || !p.version)
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        rc = fn(ctx, &p);
        if (rc)
            return rc;
    }
    return VG_OK;
}

/* ---- Windows CSV --------------------------------------------------------- */

static int parse_windows_csv(const char *text, size_t n, const char *display, struct emit *e,
                             vg_pkg_fn fn, void *ctx, struct vg_error *err)
{
    struct vg_csv c;
    struct vg_csv_row row;
    size_t cname = 0, cver = 0, cpub = 0; /* 1-based; 0 absent */
    bool header = false;
    int rc;

    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, n -= 3;
    vg_csv_init(&c, text, n, 0, display ? display : "<input>");
    for (;;) {
        rc = vg_csv_next(&c, &row, err);
        if (rc == VG_ENOTFOUND) {
            rc = VG_OK;
            if (!header)
                rc = vg_error_at(err, VG_EPARSE, display, 0, NULL,
                                 "no header line with a DisplayName column");
            break;
        }
        if (rc)
            break;
        if (!header) {
            if (row.n == 1 && strncmp(row.f[0], "#TYPE", 5) == 0)
                continue;
            for (size_t i = 0; i < row.n; i++) {
                if (vg_str_ieq(row.f[i], "DisplayName"))
                    cname = i + 1;
                else if (vg_str_ieq(row.f[i], "DisplayVersion"))
                    cver = i + 1;
                else if (vg_str_ieq(row.f[i], "Publisher"))
                    cpub = i + 1;
            }
            if (!cname) {
                rc = vg_error_at(err, VG_EPARSE, display, row.line, NULL,
                                 "header has no DisplayName column");
                break;
            }
            header = true;
            continue;
        }
        const char *nm = cname <= row.n ? row.f[cname - 1] : "";
        const char *ver = cver && cver <= row.n ? row.f[cver - 1] : "";
        const char *pub = cpub && cpub <= row.n ? row.f[cpub - 1] : "";
        size_t nn = strlen(nm), vn = strlen(ver), pn = strlen(pub);
        trim(&nm, &nn);
        trim(&ver, &vn);
        trim(&pub, &pn);
        if (nn == 0)
            continue; /* components and updates without a name */
        if (nn > SW_FIELD_MAX || vn > SW_FIELD_MAX || pn > SW_FIELD_MAX) {
            rc = vg_error_at(err, VG_EPARSE, display, row.line, NULL, "field too long");
            break;
        }
        if (vg_str_has_ctl(nm, nn) || vg_str_has_ctl(ver, vn)) {
            rc = vg_error_at(err, VG_EPARSE, display, row.line, NULL,
                             "control characters in DisplayName or DisplayVersion");
            break;
        }
        struct vg_pkg p = {
            .name = emit_set(e, F_NAME, nm, nn),
            .version = emit_set(e, F_VER, ver, vn),
            .publisher = emit_set(e, F_PUB, pub, pn),
            .ecosystem = "windows",
            .line = row.line,
        };
        if (!p.name) {
            rc = vg_error_set(err, VG_ENOMEM, "out of memory");
            break;
        }
        rc = fn(ctx, &p);
        if (rc)
            break;
    }
    vg_csv_release(&c);
    return rc;
}

/* ---- CycloneDX ----------------------------------------------------------- */

#define CDX_MAX_DEPTH 16

static int cdx_string(json_t *comp, const char *key, const char *path, bool required,
                      const char **out, size_t *outn, struct vg_error *err)
{
    json_t *v = json_object_get(comp, key);
    *out = NULL;
    *outn = 0;
    if (!v || json_is_null(v)) {
        if (required)
            return vg_error_set(err, VG_EPARSE, "%s.%s: missing", path, key);
        return VG_OK;
    }
    if (!json_is_string(v))
        return vg_error_set(err, VG_EPARSE, "%s.%s: not a string", path, key);
    *out = json_string_value(v);
    *outn = json_string_length(v);
    if (*outn > SW_FIELD_MAX || vg_str_has_ctl(*out, *outn) || memchr(*out, '\0', *outn))
        return vg_error_set(err, VG_EPARSE, "%s.%s: too long or has control characters", path, key);
    if (required && *outn == 0)
        return vg_error_set(err, VG_EPARSE, "%s.%s: empty", path, key);
    return VG_OK;
}

static int cdx_components(json_t *arr, const char *prefix, int depth, const char *display,
                          struct emit *e, vg_pkg_fn fn, void *ctx, struct vg_error *err)
{
    size_t i;
    json_t *comp;
    int rc;

    if (!json_is_array(arr))
        return vg_error_set(err, VG_EPARSE, "%s: %scomponents: not an array",
                            display ? display : "<input>", prefix);
    if (depth > CDX_MAX_DEPTH)
        return vg_error_set(err, VG_EPARSE, "%s: %scomponents: nested too deep",
                            display ? display : "<input>", prefix);
    json_array_foreach(arr, i, comp)
    {
        char path[256];
        const char *name, *ver, *purl;
        size_t nn, vn, pn;
        char eco[32] = "";

        snprintf(path, sizeof path, "%s: %scomponents[%zu]", display ? display : "<input>", prefix,
                 i);
        if (!json_is_object(comp))
            return vg_error_set(err, VG_EPARSE, "%s: not an object", path);
        VG_TRY(cdx_string(comp, "name", path, true, &name, &nn, err));
        VG_TRY(cdx_string(comp, "version", path, false, &ver, &vn, err));
        VG_TRY(cdx_string(comp, "purl", path, false, &purl, &pn, err));
        if (purl) {
            const char *slash = memchr(purl, '/', pn);
            if (pn < 5 || memcmp(purl, "pkg:", 4) != 0 || !slash || slash == purl + 4 ||
                (size_t)(slash - purl - 4) >= sizeof eco)
                return vg_error_set(err, VG_EPARSE, "%s.purl: not a package URL (pkg:type/...)",
                                    path);
            memcpy(eco, purl + 4, (size_t)(slash - purl - 4));
            eco[slash - purl - 4] = '\0';
            vg_str_lower(eco);
        }
        if (ver && vn > 0) {
            int scheme = strcmp(eco, "deb") == 0   ? VG_VS_DPKG
                         : strcmp(eco, "rpm") == 0 ? VG_VS_RPM
                                                   : VG_VS_NONE;
            struct vg_error ve;
            vg_error_clear(&ve);
            if (scheme && vg_version_check(scheme, ver, vn, &ve) != VG_OK)
                return vg_error_set(err, VG_EPARSE, "%s.version: %s", path, ve.msg);
        }
        struct vg_pkg p = {
            .name = emit_set(e, F_NAME, name, nn),
            .version = emit_set(e, F_VER, ver, vn),
            .purl = emit_set(e, F_PURL, purl, pn),
            .ecosystem = emit_set(e, F_ECO, eco, strlen(eco)),
        };
        if (!p.name)
            return vg_error_set(err, VG_ENOMEM, "out of memory");
        rc = fn(ctx, &p);
        if (rc)
            return rc;
        json_t *sub = json_object_get(comp, "components");
        if (sub) {
            char pre[256];
            snprintf(pre, sizeof pre, "%scomponents[%zu].", prefix, i);
            VG_TRY(cdx_components(sub, pre, depth + 1, display, e, fn, ctx, err));
        }
    }
    rc = VG_OK;
out:
    return rc;
}

static int parse_cyclonedx(const char *text, size_t n, const char *display, struct emit *e,
                           vg_pkg_fn fn, void *ctx, struct vg_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    int rc;
    if (!root)
        return vg_error_at(err, VG_EPARSE, display, (size_t)(je.line > 0 ? je.line : 0), NULL,
                           "invalid JSON: %s", je.text);
    if (!json_is_object(root)) {
        rc = vg_error_set(err, VG_EPARSE, "%s: not a JSON object", display ? display : "<input>");
    } else {
        json_t *comps = json_object_get(root, "components");
        rc = comps ? cdx_components(comps, "", 0, display, e, fn, ctx, err) : VG_OK;
    }
    json_decref(root);
    return rc;
}

/* ---- entry points -------------------------------------------------------- */

int vg_software_parse(const char *text, size_t n, const char *display, int format, vg_pkg_fn fn,
                      void *ctx, struct vg_error *err)
{
    struct emit e;
    int rc;

    if ((!text && n) || !fn)
        return vg_error_set(err, VG_EINVAL, "vg_software_parse: no text or no callback");
    if (!text)
        text = "";
    emit_init(&e);
    switch (format) {
    case VG_SW_DPKG_STATUS:
        rc = parse_dpkg_status(text, n, display, &e, fn, ctx, err);
        break;
    case VG_SW_DPKG_QUERY:
        rc = parse_dpkg_query(text, n, display, &e, fn, ctx, err);
        break;
    case VG_SW_RPM_QA:
        rc = parse_rpm_qa(text, n, display, &e, fn, ctx, err);
        break;
    case VG_SW_WINDOWS_CSV:
        rc = parse_windows_csv(text, n, display, &e, fn, ctx, err);
        break;
    case VG_SW_CYCLONEDX:
        rc = parse_cyclonedx(text, n, display, &e, fn, ctx, err);
        break;
    default:
        rc = vg_error_set(err, VG_EINVAL, "unknown software inventory format %d", format);
        break;
    }
    emit_release(&e);
    return rc;
}

static bool has_prefix_ci(const char *p, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    return n >= m && eq_ci(p, m, lit);
}

int vg_software_detect(const char *text, size_t n)
{
    size_t pos = 0;
    const char *lp;
    size_t ln;

    if (!text)
        return 0;
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, n -= 3;
    while (next_line(text, n, &pos, &lp, &ln)) {
        const char *t = lp;
        size_t tn = ln;
        trim(&t, &tn);
        if (tn == 0)
            continue;
        if (t[0] == '{')
            return VG_SW_CYCLONEDX;
        if (has_prefix_ci(t, tn, "#TYPE"))
            continue;
        if (has_prefix_ci(t, tn, "Package:") || has_prefix_ci(t, tn, "Status:"))
            return VG_SW_DPKG_STATUS;
        for (size_t i = 0; i + 11 <= tn; i++)
            if (eq_ci(t + i, 11, "DisplayName"))
                return VG_SW_WINDOWS_CSV;
        if (memchr(t, '\t', tn)) {
            struct slice c[5];
            size_t k = split_tabs(t, tn, c, 5, 1);
            if (k == 3)
                return VG_SW_RPM_QA;
            if (k == 2 || k == 5)
                return VG_SW_DPKG_QUERY;
            return 0;
        }
        struct slice nm, evr, arch;
        if (split_nvra(t, tn, &nm, &evr, &arch, NULL, 0, NULL) == VG_OK && token_ok(t, tn))
            return VG_SW_RPM_QA;
        return 0;
    }
    return 0;
}

const char *vg_software_format_name(int format)
{
    switch (format) {
    case VG_SW_DPKG_STATUS:
        return "dpkg-status";
    case VG_SW_DPKG_QUERY:
        return "dpkg-query";
    case VG_SW_RPM_QA:
        return "rpm-qa";
    case VG_SW_WINDOWS_CSV:
        return "windows-csv";
    case VG_SW_CYCLONEDX:
        return "cyclonedx";
    default:
        return NULL;
    }
}
