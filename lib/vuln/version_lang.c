/*
 * version_lang.c - version comparison for the language ecosystems: semver 2.0
 * (npm, crates.io, Go), PEP 440 (PyPI) and Maven's ComparableVersion.
 * version.c dispatches here through version_int.h.
 *
 * Versions come from feeds and inventories, so they are hostile: every parser
 * works on (pointer, length) without NUL, caps the length at VLANG_MAX bytes,
 * never recurses on the input and never converts a digit run to an integer:
 * numbers are compared as digit strings with their leading zeros stripped
 * (shorter is smaller, then bytewise), so "99999999999999999999999" is fine.
 *
 * semver: https://semver.org/spec/v2.0.0.html. A leading "v" or "V" (Go
 * modules: v1.2.3, pseudo-versions v0.0.0-20210101000000-abcdef123456) is
 * accepted and ignored; nothing else outside the spec is (no "=", no spaces,
 * no missing MINOR/PATCH). Build metadata is validated and then ignored.
 *
 * PEP 440: the grammar of packaging.version (VERSION_PATTERN, with its
 * normalisations: case, "." "_" "-" separators, alpha/beta/c/pre/preview,
 * rev/r/-N post releases, implicit numbers, leading "v", surrounding
 * whitespace) and the order of its _cmpkey: epoch, release with trailing
 * zeros dropped, dev < pre < release < post, local after public with
 * numeric local segments above alphanumeric ones. Checked against Debian's
 * python3-packaging 23.0. Unlike Python, only ASCII is accepted (Python's
 * re.IGNORECASE and \s also match some non-ASCII characters).
 *
 * Maven: org.apache.maven.artifact.versioning.ComparableVersion as in
 * maven-artifact 3.9.x before its CombinationItem: items split on '.', '-'
 * and digit/letter switches, '-' and switches open sub-lists, a string
 * qualifier after '.' is treated as after '-' (MNG-7644: 1.0.0.X1 < 1.0.0-X2),
 * leading zeros stripped from numbers of any size (MNG-6572), aliases
 * ga/final/release = "" and cr = rc, a1/b1/m1 = alpha/beta/milestone when
 * followed by a digit, ListItem.compareTo(null) scanning every item
 * (MNG-6964: 1-0.alpha < 1). Checked against the ordered lists and equal
 * pairs of that release's ComparableVersionTest. Not followed: the
 * CombinationItem ("X-1" read as "X1") of later releases. Maven itself
 * accepts any string; vigil takes printable ASCII without spaces,
 * 1..VLANG_MAX bytes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "vuln/version_int.h"

#include "core/banned.h"

/* Longest version accepted by any of the three schemes, in bytes. */
#define VLANG_MAX 1024

/* ---- helpers -------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

/* Compare two digit runs as numbers (an empty run is 0). */
static int num_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    while (an && *a == '0') {
        a++;
        an--;
    }
    while (bn && *b == '0') {
        b++;
        bn--;
    }
    if (an != bn)
        return an < bn ? -1 : 1;
    return an ? sign(memcmp(a, b, an)) : 0;
}

/* Compare bytes, shorter prefix first (ASCII order, as Java and Python do). */
static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn, bool fold)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)(fold ? lower(a[i]) : a[i]);
        unsigned char y = (unsigned char)(fold ? lower(b[i]) : b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return an == bn ? 0 : an < bn ? -1 : 1;
}

/* s[0..n) equals the lower-case word w, ignoring case. */
static bool word_eq(const char *s, size_t n, const char *w)
{
    size_t wn = strlen(w);
    if (n != wn)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != w[i])
            return false;
    return true;
}

/* s[0..n) starts with the lower-case word w, ignoring case. */
static bool word_at(const char *s, size_t n, const char *w)
{
    size_t wn = strlen(w);
    return n >= wn && word_eq(s, wn, w);
}

/*
 * Fail with "'<version>' is not a <scheme> version: <why>". The version is
 * quoted safely: at most 64 bytes, bytes that are not printable ASCII shown
 * as '?', "..." when cut.
 */
static int fail(struct vg_error *err, const char *scheme, const char *v, size_t n, const char *why)
{
    char q[72];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 64; i++) {
        unsigned char c = (unsigned char)v[i];
        q[k++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    if (n > 64) {
        memcpy(q + k, "...", 3);
        k += 3;
    }
    q[k] = '\0';
    return vg_error_set(err, VG_EPARSE, "'%s' is not a %s version: %s", q, scheme, why);
}

/* ---- semver 2.0 ------------------------------------------------------------- */

struct semver {
    const char *num[3];
    size_t num_n[3];
    const char *pre; /* prerelease without the '-', NULL when none */
    size_t pre_n;
};

static bool sv_ident_char(char c)
{
    return is_digit(c) || is_alpha(c) || c == '-';
}

/*
 * Check the dot-separated identifiers of s[0..n) (prerelease or build):
 * non-empty, [0-9A-Za-z-]; numeric ones without leading zeros when strict.
 */
static const char *sv_idents(const char *s, size_t n, bool strict)
{
    size_t i = 0;
    if (n == 0)
        return "empty identifier list";
    for (;;) {
        size_t start = i;
        bool numeric = true;
        while (i < n && s[i] != '.') {
            if (!sv_ident_char(s[i]))
                return "identifiers may hold only [0-9A-Za-z-]";
            if (!is_digit(s[i]))
                numeric = false;
            i++;
        }
        if (i == start)
            return "empty identifier";
        if (strict && numeric && i - start > 1 && s[start] == '0')
            return "numeric prerelease identifier with a leading zero";
        if (i == n)
            return NULL;
        i++; /* '.' */
        if (i == n)
            return "empty identifier";
    }
}

static int sv_parse(const char *v, size_t n, struct semver *sv, struct vg_error *err)
{
    static const char *const names[3] = {"major", "minor", "patch"};
    size_t i = 0;
    const char *why;
    char msg[96];

    if (!v || n == 0)
        return fail(err, "semver", "", 0, "empty");
    if (n > VLANG_MAX)
        return fail(err, "semver", v, n, "longer than 1024 bytes");
    if (v[0] == 'v' || v[0] == 'V')
        i++;
    for (int k = 0; k < 3; k++) {
        size_t start = i;
        while (i < n && is_digit(v[i]))
            i++;
        if (i == start) {
            snprintf(msg, sizeof msg, "%s version is not a number", names[k]);
            return fail(err, "semver", v, n, msg);
        }
        if (i - start > 1 && v[start] == '0') {
            snprintf(msg, sizeof msg, "%s version has a leading zero", names[k]);
            return fail(err, "semver", v, n, msg);
        }
        sv->num[k] = v + start;
        sv->num_n[k] = i - start;
        if (k < 2) {
            if (i == n || v[i] != '.')
                return fail(err, "semver", v, n, "expected MAJOR.MINOR.PATCH");
            i++;
        }
    }
    sv->pre = NULL;
    sv->pre_n = 0;
    if (i < n && v[i] == '-') {
        size_t start = ++i;
        while (i < n && v[i] != '+')
            i++;
        why = sv_idents(v + start, i - start, true);
        if (why) {
            snprintf(msg, sizeof msg, "prerelease: %s", why);
            return fail(err, "semver", v, n, msg);
        }
        sv->pre = v + start;
        sv->pre_n = i - start;
    }
    if (i < n && v[i] == '+') {
        i++;
        why = sv_idents(v + i, n - i, false);
        if (why) {
            snprintf(msg, sizeof msg, "build metadata: %s", why);
            return fail(err, "semver", v, n, msg);
        }
        i = n;
    }
    if (i != n)
        return fail(err, "semver", v, n, "unexpected character after MAJOR.MINOR.PATCH");
    return VG_OK;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* semver.org section 11: identifiers left to right; numeric < alphanumeric. */
static int sv_pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        size_t ai = i, bj = j;
        int c;
        bool ad, bd;
        if (i >= an || j >= bn)
            return (i < an) - (j < bn); /* more fields win */
        while (i < an && a[i] != '.')
            i++;
        while (j < bn && b[j] != '.')
            j++;
        ad = all_digits(a + ai, i - ai);
        bd = all_digits(b + bj, j - bj);
        if (ad && bd)
            c = num_cmp(a + ai, i - ai, b + bj, j - bj);
        else if (ad != bd)
            c = ad ? -1 : 1;
        else
            c = bytes_cmp(a + ai, i - ai, b + bj, j - bj, false);
        if (c)
            return c;
        i++; /* past '.', or past the end */
        j++;
    }
}

int vg_vcheck_semver(const char *v, size_t n, struct vg_error *err)
{
    struct semver sv;
    return sv_parse(v, n, &sv, err);
}

int vg_vcmp_semver(const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err)
{
    struct semver x, y;
    int rc, c = 0;
    if ((rc = sv_parse(a, an, &x, err)) != VG_OK || (rc = sv_parse(b, bn, &y, err)) != VG_OK)
        return rc;
    for (int k = 0; k < 3 && !c; k++)
        c = num_cmp(x.num[k], x.num_n[k], y.num[k], y.num_n[k]);
    if (!c) {
        if (!x.pre || !y.pre)
            c = (x.pre == NULL) - (y.pre == NULL); /* a prerelease is lower */
        else
            c = sv_pre_cmp(x.pre, x.pre_n, y.pre, y.pre_n);
    }
    *out = c;
    return VG_OK;
}

/* ---- PEP 440 ---------------------------------------------------------------- */

/* A number that may be implicit (n == 0 means 0). */
struct span {
    const char *p;
    size_t n;
};

struct pep440 {
    struct span epoch;   /* empty: 0 */
    struct span release; /* "1.2.3", at least one number */
    int pre;             /* -1 none, 0 a, 1 b, 2 rc */
    struct span pre_n;
    bool post, dev;
    struct span post_n, dev_n;
    struct span local; /* p NULL: none */
};

static bool pep_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool pep_sep(char c)
{
    return c == '.' || c == '_' || c == '-';
}

static bool pep_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}

static size_t digits_at(const char *s, size_t i, size_t n)
{
    size_t k = i;
    while (k < n && is_digit(s[k]))
        k++;
    return k - i;
}

/*
 * After a pre, post or dev label at s[i]: an optional separator, then an
 * optional number. The separator is taken even when no number follows, as the
 * greedy regex does; nothing after a label can need it.
 */
static size_t pep_label_number(const char *s, size_t i, size_t n, struct span *num)
{
    size_t d;
    if (i < n && pep_sep(s[i]))
        i++;
    d = digits_at(s, i, n);
    num->p = s + i;
    num->n = d;
    return i + d;
}

static int pep_parse(const char *v, size_t n, struct pep440 *p, struct vg_error *err)
{
    static const struct {
        const char *w;
        int kind;
    } pre_labels[] = {{"alpha", 0},   {"a", 0},   {"beta", 1}, {"b", 1},
                      {"preview", 2}, {"pre", 2}, {"c", 2},    {"rc", 2}};
    static const char *const post_labels[] = {"post", "rev", "r"};
    size_t i = 0, e = n, d, k;

    memset(p, 0, sizeof *p);
    p->pre = -1;
    if (!v || n == 0)
        return fail(err, "PEP 440", "", 0, "empty");
    if (n > VLANG_MAX)
        return fail(err, "PEP 440", v, n, "longer than 1024 bytes");
    while (i < e && pep_space(v[i]))
        i++;
    while (e > i && pep_space(v[e - 1]))
        e--;
    if (i < e && (v[i] == 'v' || v[i] == 'V'))
        i++;
    d = digits_at(v, i, e);
    if (d == 0)
        return fail(err, "PEP 440", v, n, "expected a release number");
    if (i + d < e && v[i + d] == '!') {
        p->epoch.p = v + i;
        p->epoch.n = d;
        i += d + 1;
        d = digits_at(v, i, e);
        if (d == 0)
            return fail(err, "PEP 440", v, n, "expected a release number after the epoch");
    }
    p->release.p = v + i;
    i += d;
    while (i + 1 < e && v[i] == '.' && is_digit(v[i + 1]))
        i += 1 + digits_at(v, i + 1, e);
    p->release.n = (size_t)(v + i - p->release.p);

    /* pre-release: [-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?N? */
    k = i < e && pep_sep(v[i]) ? i + 1 : i;
    for (size_t t = 0; t < sizeof pre_labels / sizeof pre_labels[0]; t++) {
        if (word_at(v + k, e - k, pre_labels[t].w)) {
            p->pre = pre_labels[t].kind;
            i = pep_label_number(v, k + strlen(pre_labels[t].w), e, &p->pre_n);
            break;
        }
    }

    /* post-release: -N | [-_.]?(post|rev|r)[-_.]?N? */
    if (i + 1 < e && v[i] == '-' && is_digit(v[i + 1])) {
        p->post = true;
        p->post_n.p = v + i + 1;
        p->post_n.n = digits_at(v, i + 1, e);
        i += 1 + p->post_n.n;
    } else {
        k = i < e && pep_sep(v[i]) ? i + 1 : i;
        for (size_t t = 0; t < sizeof post_labels / sizeof post_labels[0]; t++) {
            if (word_at(v + k, e - k, post_labels[t])) {
                p->post = true;
                i = pep_label_number(v, k + strlen(post_labels[t]), e, &p->post_n);
                break;
            }
        }
    }

    /* development release: [-_.]?dev[-_.]?N? */
    k = i < e && pep_sep(v[i]) ? i + 1 : i;
    if (word_at(v + k, e - k, "dev")) {
        p->dev = true;
        i = pep_label_number(v, k + 3, e, &p->dev_n);
    }

    /* local version: +[a-z0-9]+([-_.][a-z0-9]+)* */
    if (i < e && v[i] == '+') {
        size_t start = ++i;
        for (;;) {
            size_t s = i;
            while (i < e && pep_alnum(v[i]))
                i++;
            if (i == s)
                return fail(err, "PEP 440", v, n, "empty local version segment");
            if (i < e && pep_sep(v[i]))
                i++;
            else
                break;
        }
        p->local.p = v + start;
        p->local.n = i - start;
    }
    if (i != e)
        return fail(err, "PEP 440", v, n, "unexpected character");
    return VG_OK;
}

/* The next dot-separated number of a release span at *pos (0 past the end). */
static struct span pep_next_num(const struct span *s, size_t *pos)
{
    struct span r = {s->p + *pos, 0};
    if (*pos >= s->n)
        return r;
    while (*pos < s->n && s->p[*pos] != '.') {
        (*pos)++;
        r.n++;
    }
    (*pos)++;
    return r;
}

/* Release numbers left to right, missing ones as 0 (so trailing zeros do not count). */
static int pep_release_cmp(const struct span *a, const struct span *b)
{
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        struct span x = pep_next_num(a, &i), y = pep_next_num(b, &j);
        int c = num_cmp(x.p, x.n, y.p, y.n);
        if (c)
            return c;
    }
    return 0;
}

/* One local segment at *pos: separators are all equivalent. */
static struct span pep_next_local(const struct span *s, size_t *pos)
{
    struct span r = {s->p + *pos, 0};
    while (*pos < s->n && !pep_sep(s->p[*pos])) {
        (*pos)++;
        r.n++;
    }
    (*pos)++;
    return r;
}

/* packaging: numeric segments as ints, above strings; strings case-folded; more segments win. */
static int pep_local_cmp(const struct span *a, const struct span *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        struct span x, y;
        bool xd, yd;
        int c;
        if (i >= a->n || j >= b->n)
            return (i < a->n) - (j < b->n);
        x = pep_next_local(a, &i);
        y = pep_next_local(b, &j);
        xd = all_digits(x.p, x.n);
        yd = all_digits(y.p, y.n);
        if (xd && yd)
            c = num_cmp(x.p, x.n, y.p, y.n);
        else if (xd != yd)
            c = xd ? 1 : -1;
        else
            c = bytes_cmp(x.p, x.n, y.p, y.n, true);
        if (c)
            return c;
    }
}

/* The rank of the pre-release part in packaging's _cmpkey: dev-only, pre, none. */
static int pep_pre_rank(const struct pep440 *p)
{
    if (p->pre >= 0)
        return 1;
    return !p->post && p->dev ? 0 : 2;
}

static int pep_cmp(const struct pep440 *x, const struct pep440 *y)
{
    int c = num_cmp(x->epoch.p, x->epoch.n, y->epoch.p, y->epoch.n);
    if (c)
        return c;
    if ((c = pep_release_cmp(&x->release, &y->release)) != 0)
        return c;
    if ((c = pep_pre_rank(x) - pep_pre_rank(y)) != 0)
        return sign(c);
    if (x->pre >= 0) {
        if ((c = x->pre - y->pre) != 0)
            return sign(c);
        if ((c = num_cmp(x->pre_n.p, x->pre_n.n, y->pre_n.p, y->pre_n.n)) != 0)
            return c;
    }
    if ((c = (int)x->post - (int)y->post) != 0)
        return c;
    if (x->post && (c = num_cmp(x->post_n.p, x->post_n.n, y->post_n.p, y->post_n.n)) != 0)
        return c;
    if ((c = (int)y->dev - (int)x->dev) != 0) /* a dev release is lower */
        return c;
    if (x->dev && (c = num_cmp(x->dev_n.p, x->dev_n.n, y->dev_n.p, y->dev_n.n)) != 0)
        return c;
    if (!x->local.p || !y->local.p)
        return (x->local.p != NULL) - (y->local.p != NULL);
    return pep_local_cmp(&x->local, &y->local);
}

int vg_vcheck_pep440(const char *v, size_t n, struct vg_error *err)
{
    struct pep440 p;
    return pep_parse(v, n, &p, err);
}

int vg_vcmp_pep440(const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err)
{
    struct pep440 x, y;
    int rc;
    if ((rc = pep_parse(a, an, &x, err)) != VG_OK || (rc = pep_parse(b, bn, &y, err)) != VG_OK)
        return rc;
    *out = pep_cmp(&x, &y);
    return VG_OK;
}

/* ---- Maven ComparableVersion ------------------------------------------------ */

/*
 * ComparableVersion's items form a chain: a list holds numbers and strings
 * and, last, at most one sub-list (opened by '-' or a digit/letter switch),
 * into which every later item goes. So a version is a run of levels, each a
 * slice of the token array plus "has a child"; comparing two chains walks
 * them side by side without recursion.
 */
enum { MV_NUM, MV_STR };

/* Qualifier ranks: alpha beta milestone rc snapshot "" sp, then any other string. */
enum { MV_RELEASE = 5, MV_OTHER = 7 };

struct mv_tok {
    uint16_t off, len; /* numbers: leading zeros stripped; strings: as written */
    uint8_t kind, rank;
};

struct mv_level {
    uint16_t start, end; /* tokens [start, end) */
    bool child;
};

struct maven {
    const char *v;
    struct mv_tok tok[VLANG_MAX + 1];
    struct mv_level lev[VLANG_MAX + 2];
    size_t ntok, nlev;
};

static void mv_add(struct maven *m, bool digit, size_t start, size_t end, bool followed_by_digit)
{
    struct mv_tok *t = &m->tok[m->ntok++];
    const char *s = m->v + start;
    size_t n = end - start;
    if (digit) {
        while (n && *s == '0') {
            s++;
            n--;
        }
        t->kind = MV_NUM;
        t->rank = 0;
    } else {
        static const char *const quals[] = {"alpha",    "beta", "milestone", "rc",
                                            "snapshot", "",     "sp"};
        const char *w = NULL;
        t->kind = MV_STR;
        t->rank = MV_OTHER;
        if (followed_by_digit && n == 1) {
            char c = lower(s[0]);
            w = c == 'a' ? "alpha" : c == 'b' ? "beta" : c == 'm' ? "milestone" : NULL;
        }
        if (!w) {
            if (word_eq(s, n, "ga") || word_eq(s, n, "final") || word_eq(s, n, "release"))
                w = "";
            else if (word_eq(s, n, "cr"))
                w = "rc";
        }
        for (size_t q = 0; q < sizeof quals / sizeof quals[0]; q++)
            if (w ? strcmp(w, quals[q]) == 0 : word_eq(s, n, quals[q]))
                t->rank = (uint8_t)q;
    }
    t->off = (uint16_t)(s - m->v);
    t->len = (uint16_t)n;
    m->lev[m->nlev - 1].end = (uint16_t)m->ntok;
}

/* A zero item, as for an empty part ("1..2", "1-", ".5"). */
static void mv_add_zero(struct maven *m)
{
    struct mv_tok *t = &m->tok[m->ntok++];
    t->off = t->len = 0;
    t->kind = MV_NUM;
    t->rank = 0;
    m->lev[m->nlev - 1].end = (uint16_t)m->ntok;
}

static void mv_open(struct maven *m)
{
    m->lev[m->nlev - 1].child = true;
    m->lev[m->nlev].start = m->lev[m->nlev].end = (uint16_t)m->ntok;
    m->lev[m->nlev].child = false;
    m->nlev++;
}

/* The list being filled (always the deepest, so it has no sub-list yet) holds items. */
static bool mv_cur_nonempty(const struct maven *m)
{
    return m->lev[m->nlev - 1].end > m->lev[m->nlev - 1].start;
}

static bool mv_tok_null(const struct mv_tok *t)
{
    return t->kind == MV_NUM ? t->len == 0 : t->rank == MV_RELEASE;
}

static int mv_parse(const char *v, size_t n, struct maven *m, struct vg_error *err)
{
    size_t start = 0;
    bool digit = false;

    if (!v || n == 0)
        return fail(err, "Maven", "", 0, "empty");
    if (n > VLANG_MAX)
        return fail(err, "Maven", v, n, "longer than 1024 bytes");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7f)
            return fail(err, "Maven", v, n, "not printable ASCII without spaces");
    m->v = v;
    m->ntok = 0;
    m->nlev = 1;
    m->lev[0].start = m->lev[0].end = 0;
    m->lev[0].child = false;
    /* ComparableVersion.parseVersion, step by step. */
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c == '.' || c == '-') {
            if (i == start)
                mv_add_zero(m);
            else
                mv_add(m, digit, start, i, false);
            start = i + 1;
            if (c == '-')
                mv_open(m);
        } else if (is_digit(c)) {
            if (!digit && i > start) {
                if (mv_cur_nonempty(m)) /* MNG-7644: ".X1" as "-X1" */
                    mv_open(m);
                mv_add(m, false, start, i, true);
                start = i;
                mv_open(m);
            }
            digit = true;
        } else {
            if (digit && i > start) {
                mv_add(m, true, start, i, false);
                start = i;
                mv_open(m);
            }
            digit = false;
        }
    }
    if (n > start) {
        if (!digit && mv_cur_nonempty(m)) /* MNG-7644: a trailing ".X" as "-X" */
            mv_open(m);
        mv_add(m, digit, start, n, false);
    }
    /* ListItem.normalize, deepest list first: drop an empty child, then trailing nulls. */
    for (size_t l = m->nlev; l-- > 0;) {
        struct mv_level *lv = &m->lev[l];
        if (lv->child && l + 1 < m->nlev && m->lev[l + 1].start == m->lev[l + 1].end &&
            !m->lev[l + 1].child) {
            lv->child = false;
            m->nlev = l + 1;
        }
        while (lv->end > lv->start && mv_tok_null(&m->tok[lv->end - 1]))
            lv->end--;
    }
    return VG_OK;
}

/* One element of a list: a token, the sub-list, or nothing left. */
enum { MV_END, MV_ITEM, MV_LIST };

static int mv_elem(const struct maven *m, size_t l, size_t i, const struct mv_tok **t)
{
    const struct mv_level *lv = &m->lev[l];
    if (lv->start + i < lv->end) {
        *t = &m->tok[lv->start + i];
        return MV_ITEM;
    }
    return lv->child && lv->start + i == lv->end ? MV_LIST : MV_END;
}

/* Item.compareTo(null) for a token: how it compares with "nothing there". */
static int mv_tok_vs_null(const struct mv_tok *t)
{
    if (t->kind == MV_NUM)
        return t->len != 0;
    return t->rank == MV_RELEASE ? 0 : t->rank < MV_RELEASE ? -1 : 1;
}

/* The elements of m from level l, index i on, each against null: first non-zero. */
static int mv_rest_vs_null(const struct maven *m, size_t l, size_t i)
{
    for (; l < m->nlev; l++, i = 0) {
        const struct mv_level *lv = &m->lev[l];
        for (size_t k = lv->start + i; k < lv->end; k++) {
            int c = mv_tok_vs_null(&m->tok[k]);
            if (c)
                return c;
        }
        if (!lv->child)
            break;
    }
    return 0;
}

static int mv_tok_cmp(const struct maven *ma, const struct mv_tok *a, const struct maven *mb,
                      const struct mv_tok *b)
{
    if (a->kind != b->kind)
        return a->kind == MV_NUM ? 1 : -1; /* 1.1 > 1-sp */
    if (a->kind == MV_NUM)
        return num_cmp(ma->v + a->off, a->len, mb->v + b->off, b->len);
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->rank != MV_OTHER)
        return 0;
    return bytes_cmp(ma->v + a->off, a->len, mb->v + b->off, b->len, true);
}

static int mv_cmp(const struct maven *a, const struct maven *b)
{
    size_t la = 0, lb = 0, i = 0;
    for (;;) {
        const struct mv_tok *ta = NULL, *tb = NULL;
        int ea = mv_elem(a, la, i, &ta), eb = mv_elem(b, lb, i, &tb), c;
        if (ea == MV_END && eb == MV_END)
            return 0;
        if (ea == MV_END)
            return -mv_rest_vs_null(b, lb, i);
        if (eb == MV_END)
            return mv_rest_vs_null(a, la, i);
        if (ea == MV_LIST && eb == MV_LIST) {
            la++;
            lb++;
            i = 0;
            continue;
        }
        if (ea == MV_LIST) /* list vs number: 1-1 < 1.0.x; list vs string: 1-1 > 1-sp */
            return tb->kind == MV_NUM ? -1 : 1;
        if (eb == MV_LIST)
            return ta->kind == MV_NUM ? 1 : -1;
        if ((c = mv_tok_cmp(a, ta, b, tb)) != 0)
            return c;
        i++;
    }
}

int vg_vcheck_maven(const char *v, size_t n, struct vg_error *err)
{
    struct maven m;
    return mv_parse(v, n, &m, err);
}

int vg_vcmp_maven(const char *a, size_t an, const char *b, size_t bn, int *out,
                  struct vg_error *err)
{
    struct maven x, y; /* about 12 KiB each */
    int rc;
    if ((rc = mv_parse(a, an, &x, err)) != VG_OK || (rc = mv_parse(b, bn, &y, err)) != VG_OK)
        return rc;
    *out = mv_cmp(&x, &y);
    return VG_OK;
}
