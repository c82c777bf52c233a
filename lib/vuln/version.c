/*
 * version.c - version comparison for the distribution schemes (dpkg, rpm,
 * apk) and the generic fallback, and the dispatch of vg_version_cmp /
 * vg_version_check to every scheme (semver, PEP 440 and Maven live in
 * version_lang.c).
 *
 * Versions come from feeds and inventories, so they are hostile: everything
 * here works on (pointer, length) without NUL and without allocating, never
 * converts a digit run to an integer (numbers are compared as digit strings
 * with leading zeros stripped: longer is larger, then bytewise), and a NUL
 * byte anywhere makes a version invalid in every scheme.
 *
 * dpkg (dpkg 1.21, lib/dpkg/parsehelp.c parseversion + lib/dpkg/version.c
 * verrevcmp): [epoch:]upstream[-revision]. Invalid is exactly what
 * parseversion rejects as an error: empty, embedded blanks, an epoch that is
 * empty, not a number, negative or above INT_MAX (read as strtol does:
 * leading white space and a sign are allowed), nothing after the colon, an
 * empty upstream version or an empty revision. Leading and trailing blanks
 * are ignored. What dpkg only warns about is accepted, as `dpkg
 * --compare-versions` does: an upstream version not starting with a digit
 * ("a" lt "1" is true) and characters outside [A-Za-z0-9.+~:-]. Bytes above
 * 0x7f order as on amd64 (signed char): after the letters, before ASCII
 * punctuation. The empty string, which `dpkg --compare-versions` treats as
 * "no version", is invalid here.
 *
 * rpm (rpm 4.18, rpmio/rpmvercmp.c and rpmio/rpmver.c, i.e. rpm.vercmp and
 * labelCompare): EVR split as parseEVR does (epoch = leading digits before
 * ':', release after the last '-'), missing epoch = "0", epochs compared
 * with rpmvercmp; a release is compared when both have one, and a version
 * with a release is newer than the same version without. rpm itself accepts
 * any non-empty string; vigil also rejects control characters and spaces,
 * an empty epoch (":1"), an empty version ("1:", "-1") and an empty release
 * ("1.0-").
 *
 * apk (apk-tools 2.14 / 3, src/version.c: "digit{.digit}...{letter}
 * {_suf{#}}...{~hash}{-r#}"): digits with dots, one letter, suffixes _alpha
 * _beta _pre _rc (before the release) and _cvs _svn _git _hg _p (after), each
 * with an optional number, a ~commit hash (lowercase hex), then -rN. Invalid
 * is what apk_version_validate rejects (so also the empty string and a
 * version not starting with a digit). Numbers compare numerically, except a
 * number after a dot with a leading zero on either side, which compares as
 * a string (1.01 > 1.001, 1.0 < 1.00), as apk does. apk reads digit runs
 * into a uint64_t; vigil compares them at any length (they differ only past
 * 20 digits, where apk wraps).
 *
 * generic (the fallback for ecosystems without a scheme of their own, e.g.
 * NuGet, RubyGems, Packagist): the version is cut into runs of ASCII digits
 * and runs of letters (bytes above 0x7f count as letters); every other
 * byte only separates runs ("1.0-2" = "1_0+2" = "1:0~2"). Runs are compared
 * in turn, each ranked as
 *   pre-release word < end of version < other word < number,
 * where the pre-release words are dev < alpha < beta < pre < rc (in that
 * order, whatever the case), other words compare case-insensitively
 * bytewise and numbers numerically ("01" = "1"). So 1.0rc1 < 1.0 < 1.0a <
 * 1.0.0 < 1.0.1, and 2.0 > 1.99. Empty versions and versions with control
 * characters or spaces are invalid.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "vuln/version.h"
#include "vuln/version_int.h"

#include "core/banned.h"

/* ---- shared ------------------------------------------------------------- */

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

/* Compare two digit strings as numbers (any length, leading zeros ignored). */
static int num_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    while (an && *a == '0')
        a++, an--;
    while (bn && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    return sign(an ? memcmp(a, b, an) : 0);
}

/* Fill err with "'<v>' is not a <scheme> version: <why>" (v escaped, cut). */
static int bad_version(struct vg_error *err, const char *scheme, const char *v, size_t n,
                       const char *why)
{
    char q[96];
    vg_str_escape_ctl(q, sizeof q, v, n);
    return vg_error_set(err, VG_EPARSE, "'%s' is not %s %s version: %s", q,
                        scheme[0] == 'a' ? "an" : "a", scheme, why);
}

/* ---- dpkg --------------------------------------------------------------- */

struct dpkg_ver {
    long epoch;
    const char *ver; /* upstream version */
    size_t vn;
    const char *rev; /* revision ("" when none) */
    size_t rn;
};

static bool dpkg_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static bool c_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* parseversion: returns NULL when valid, else the reason dpkg gives. */
static const char *dpkg_parse(const char *s, size_t n, struct dpkg_ver *v)
{
    if (memchr(s, '\0', n))
        return "contains a NUL byte";
    size_t i = 0, end;
    while (i < n && dpkg_blank((unsigned char)s[i]))
        i++;
    if (i == n)
        return "version string is empty";
    end = i;
    while (end < n && !dpkg_blank((unsigned char)s[end]))
        end++;
    for (size_t k = end; k < n; k++)
        if (!dpkg_blank((unsigned char)s[k]))
            return "version string has embedded spaces";
    const char *str = s + i, *colon = memchr(str, ':', end - i);
    size_t len = end - i;
    v->epoch = 0;
    if (colon) {
        /* strtol(str, &endp, 10): white space, sign, digits. */
        size_t k = 0;
        bool neg = false;
        unsigned long long mag = 0;
        while (str + k < colon && c_space((unsigned char)str[k]))
            k++;
        if (str + k < colon && (str[k] == '+' || str[k] == '-'))
            neg = str[k++] == '-';
        size_t d0 = k;
        while (str + k < colon + 1 && is_digit((unsigned char)str[k])) {
            if (mag <= (unsigned long long)INT_MAX + 1)
                mag = mag * 10 + (unsigned)(str[k] - '0');
            k++;
        }
        if (k == d0)
            return "epoch in version is empty";
        if (str + k != colon)
            return "epoch in version is not number";
        if (neg && mag > 0)
            return "epoch in version is negative";
        if (mag > INT_MAX)
            return "epoch in version is too big";
        if ((size_t)(colon + 1 - str) == len)
            return "nothing after colon in version number";
        v->epoch = (long)mag;
        len -= (size_t)(colon + 1 - str);
        str = colon + 1;
    }
    const char *hyphen = NULL;
    for (size_t k = len; k-- > 0;)
        if (str[k] == '-') {
            hyphen = str + k;
            break;
        }
    v->ver = str;
    v->vn = len;
    v->rev = "";
    v->rn = 0;
    if (hyphen) {
        v->vn = (size_t)(hyphen - str);
        v->rev = hyphen + 1;
        v->rn = len - v->vn - 1;
        if (v->rn == 0)
            return "revision number is empty";
    }
    if (v->vn == 0)
        return "version number is empty";
    return NULL;
}

/* dpkg's order(): '~' first, then end/digits, letters, bytes above 0x7f, other ASCII. */
static int dpkg_order(int c)
{
    if (c < 0)
        return 0; /* end of string */
    if (is_digit((unsigned char)c))
        return 0;
    if (is_alpha((unsigned char)c))
        return c;
    if (c == '~')
        return -1;
    if (c >= 0x80)
        return c; /* (signed char)c + 256 */
    return c + 256;
}

static int at(const char *s, size_t n, size_t i)
{
    return i < n ? (unsigned char)s[i] : -1;
}

static int dpkg_verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    while (i < an || j < bn) {
        int first_diff = 0;
        while ((i < an && !is_digit((unsigned char)a[i])) ||
               (j < bn && !is_digit((unsigned char)b[j]))) {
            int ac = dpkg_order(at(a, an, i)), bc = dpkg_order(at(b, bn, j));
            if (ac != bc)
                return sign(ac - bc);
            i++, j++;
        }
        while (i < an && a[i] == '0')
            i++;
        while (j < bn && b[j] == '0')
            j++;
        while (i < an && j < bn && is_digit((unsigned char)a[i]) && is_digit((unsigned char)b[j])) {
            if (!first_diff)
                first_diff = a[i] - b[j];
            i++, j++;
        }
        if (i < an && is_digit((unsigned char)a[i]))
            return 1;
        if (j < bn && is_digit((unsigned char)b[j]))
            return -1;
        if (first_diff)
            return sign(first_diff);
    }
    return 0;
}

static int dpkg_cmp(const struct dpkg_ver *a, const struct dpkg_ver *b)
{
    if (a->epoch != b->epoch)
        return a->epoch < b->epoch ? -1 : 1;
    int r = dpkg_verrevcmp(a->ver, a->vn, b->ver, b->vn);
    if (r)
        return r;
    return dpkg_verrevcmp(a->rev, a->rn, b->rev, b->rn);
}

/* ---- rpm ---------------------------------------------------------------- */

struct rpm_ver {
    const char *e, *v, *r; /* e: "0" when missing; r: NULL when missing */
    size_t en, vn, rn;
};

static const char *rpm_parse(const char *s, size_t n, struct rpm_ver *v)
{
    if (n == 0)
        return "empty";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\0')
            return "contains a NUL byte";
        if (c <= ' ' || c == 0x7f)
            return "contains a space or control character";
    }
    size_t d = 0;
    while (d < n && is_digit((unsigned char)s[d]))
        d++;
    const char *se = NULL;
    for (size_t k = n; k-- > d;)
        if (s[k] == '-') {
            se = s + k;
            break;
        }
    size_t vstart = 0;
    v->e = "0";
    v->en = 1;
    if (d < n && s[d] == ':') {
        if (d == 0)
            return "empty epoch";
        v->e = s;
        v->en = d;
        vstart = d + 1;
    }
    v->v = s + vstart;
    v->vn = (se ? (size_t)(se - s) : n) - vstart;
    v->r = NULL;
    v->rn = 0;
    if (se) {
        v->r = se + 1;
        v->rn = n - (size_t)(se + 1 - s);
        if (v->rn == 0)
            return "empty release after '-'";
    }
    if (v->vn == 0)
        return "empty version";
    return NULL;
}

/* rpmvercmp (rpm 4.18) on two byte strings. */
static int rpm_vercmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    if (an == bn && memcmp(a, b, an) == 0)
        return 0;
    while (i < an || j < bn) {
        while (i < an && !is_digit((unsigned char)a[i]) && !is_alpha((unsigned char)a[i]) &&
               a[i] != '~' && a[i] != '^')
            i++;
        while (j < bn && !is_digit((unsigned char)b[j]) && !is_alpha((unsigned char)b[j]) &&
               b[j] != '~' && b[j] != '^')
            j++;
        int ca = at(a, an, i), cb = at(b, bn, j);
        /* '~' sorts before everything, even the end. */
        if (ca == '~' || cb == '~') {
            if (ca != '~')
                return 1;
            if (cb != '~')
                return -1;
            i++, j++;
            continue;
        }
        /* '^' sorts after the end but before anything else. */
        if (ca == '^' || cb == '^') {
            if (ca < 0)
                return -1;
            if (cb < 0)
                return 1;
            if (ca != '^')
                return 1;
            if (cb != '^')
                return -1;
            i++, j++;
            continue;
        }
        if (ca < 0 || cb < 0)
            break;
        size_t i0 = i, j0 = j;
        bool isnum = is_digit((unsigned char)a[i]);
        if (isnum) {
            while (i < an && is_digit((unsigned char)a[i]))
                i++;
            while (j < bn && is_digit((unsigned char)b[j]))
                j++;
        } else {
            while (i < an && is_alpha((unsigned char)a[i]))
                i++;
            while (j < bn && is_alpha((unsigned char)b[j]))
                j++;
        }
        /* Different kinds: a number is newer than letters. */
        if (j == j0)
            return isnum ? 1 : -1;
        int rc;
        if (isnum) {
            rc = num_cmp(a + i0, i - i0, b + j0, j - j0);
        } else {
            size_t la = i - i0, lb = j - j0, m = la < lb ? la : lb;
            rc = sign(memcmp(a + i0, b + j0, m));
            if (!rc && la != lb)
                rc = la < lb ? -1 : 1;
        }
        if (rc)
            return rc;
    }
    if (i >= an && j >= bn)
        return 0;
    return i >= an ? -1 : 1;
}

static int rpm_cmp(const struct rpm_ver *a, const struct rpm_ver *b)
{
    int rc = rpm_vercmp(a->e, a->en, b->e, b->en);
    if (!rc)
        rc = rpm_vercmp(a->v, a->vn, b->v, b->vn);
    if (!rc) {
        if (a->r && b->r)
            rc = rpm_vercmp(a->r, a->rn, b->r, b->rn);
        else if (a->r || b->r)
            rc = a->r ? 1 : -1;
    }
    return rc;
}

/* ---- apk ---------------------------------------------------------------- */

/* Token kinds in the order apk-tools allows them (a later kind may not precede an earlier one). */
enum apk_tok {
    APK_INITIAL_DIGIT,
    APK_DIGIT,
    APK_LETTER,
    APK_SUFFIX,
    APK_SUFFIX_NO,
    APK_COMMIT_HASH,
    APK_REVISION_NO,
    APK_END,
    APK_INVALID,
};

/* Suffix order: pre-release suffixes below APK_SUF_NONE, post-release above. */
enum { APK_SUF_INVALID, APK_SUF_ALPHA, APK_SUF_BETA, APK_SUF_PRE, APK_SUF_RC, APK_SUF_NONE };

struct apk_tok_state {
    int token;
    int suffix;
    const char *v; /* the token's text (digits, letter, suffix word, hash) */
    size_t vn;
};

struct apk_blob {
    const char *p;
    size_t n;
};

static int apk_suffix_value(const char *p, size_t n)
{
    static const char *const words[] = {"",    "alpha", "beta", "pre", "rc", "",
                                        "cvs", "svn",   "git",  "hg",  "p"};
    for (int k = 1; k < (int)(sizeof words / sizeof *words); k++)
        if (k != APK_SUF_NONE && strlen(words[k]) == n && memcmp(words[k], p, n) == 0)
            return k;
    return APK_SUF_INVALID;
}

static void apk_digits(struct apk_tok_state *t, struct apk_blob *b)
{
    size_t i = 0;
    while (i < b->n && is_digit((unsigned char)b->p[i]))
        i++;
    t->v = b->p;
    t->vn = i;
    b->p += i, b->n -= i;
    if (i == 0)
        t->token = APK_INVALID;
}

static void apk_first(struct apk_tok_state *t, struct apk_blob *b)
{
    t->token = APK_INITIAL_DIGIT;
    t->suffix = 0;
    apk_digits(t, b);
}

static void apk_next(struct apk_tok_state *t, struct apk_blob *b)
{
    if (b->n == 0) {
        t->token = APK_END;
        return;
    }
    unsigned char c = (unsigned char)b->p[0];
    size_t i;
    if (c >= 'a' && c <= 'z') {
        if (t->token > APK_DIGIT)
            goto invalid;
        t->v = b->p;
        t->vn = 1;
        t->token = APK_LETTER;
        b->p++, b->n--;
        return;
    }
    if (c == '.' || is_digit(c)) {
        if (c == '.') {
            if (t->token > APK_DIGIT)
                goto invalid;
            b->p++, b->n--;
        }
        if (t->token == APK_INITIAL_DIGIT || t->token == APK_DIGIT)
            t->token = APK_DIGIT;
        else if (t->token == APK_SUFFIX)
            t->token = APK_SUFFIX_NO;
        else
            goto invalid;
        apk_digits(t, b);
        return;
    }
    switch (c) {
    case '_':
        if (t->token > APK_SUFFIX_NO)
            goto invalid;
        b->p++, b->n--;
        for (i = 0; i < b->n && b->p[i] >= 'a' && b->p[i] <= 'z'; i++)
            ;
        t->v = b->p;
        t->vn = i;
        b->p += i, b->n -= i;
        t->suffix = apk_suffix_value(t->v, t->vn);
        if (t->suffix == APK_SUF_INVALID)
            goto invalid;
        t->token = APK_SUFFIX;
        return;
    case '~':
        if (t->token >= APK_COMMIT_HASH)
            goto invalid;
        b->p++, b->n--;
        for (i = 0;
             i < b->n && (is_digit((unsigned char)b->p[i]) || (b->p[i] >= 'a' && b->p[i] <= 'f'));
             i++)
            ;
        t->v = b->p;
        t->vn = i;
        b->p += i, b->n -= i;
        if (i == 0)
            goto invalid;
        t->token = APK_COMMIT_HASH;
        return;
    case '-':
        if (t->token >= APK_REVISION_NO || b->n < 2 || b->p[1] != 'r')
            goto invalid;
        b->p += 2, b->n -= 2;
        t->token = APK_REVISION_NO;
        apk_digits(t, b);
        return;
    }
invalid:
    t->token = APK_INVALID;
}

/* apk_blob_sort: bytewise, then the shorter first. */
static int blob_sort(const char *a, size_t an, const char *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    int r = m ? memcmp(a, b, m) : 0;
    if (r)
        return sign(r);
    return an < bn ? -1 : an > bn;
}

static int apk_token_cmp(const struct apk_tok_state *a, const struct apk_tok_state *b)
{
    switch (a->token) {
    case APK_DIGIT:
        /* A leading zero on either side: compare as strings (Gentoo's rule). */
        if (a->v[0] == '0' || b->v[0] == '0')
            return blob_sort(a->v, a->vn, b->v, b->vn);
        /* fall through */
    case APK_INITIAL_DIGIT:
    case APK_SUFFIX_NO:
    case APK_REVISION_NO:
        return num_cmp(a->v, a->vn, b->v, b->vn);
    case APK_LETTER:
        return sign((unsigned char)a->v[0] - (unsigned char)b->v[0]);
    case APK_SUFFIX:
        return a->suffix < b->suffix ? -1 : a->suffix > b->suffix;
    default:
        return blob_sort(a->v, a->vn, b->v, b->vn);
    }
}

static const char *apk_check(const char *s, size_t n)
{
    if (n == 0)
        return "empty";
    if (memchr(s, '\0', n))
        return "contains a NUL byte";
    struct apk_blob b = {s, n};
    struct apk_tok_state t;
    for (apk_first(&t, &b); t.token < APK_END; apk_next(&t, &b))
        ;
    if (t.token != APK_END) {
        size_t at_ = (size_t)(b.p - s);
        if (at_ == 0)
            return "does not start with a digit";
        return "expected digits with dots, one letter, _alpha/_beta/_pre/_rc/_cvs/_svn/_git/"
               "_hg/_p suffixes with optional numbers, ~commit and -rN, in that order";
    }
    return NULL;
}

/* apk_version_compare on two valid versions. */
static int apk_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct apk_blob ba = {a, an}, bb = {b, bn};
    struct apk_tok_state ta, tb;
    for (apk_first(&ta, &ba), apk_first(&tb, &bb); ta.token == tb.token && ta.token < APK_END;
         apk_next(&ta, &ba), apk_next(&tb, &bb)) {
        int r = apk_token_cmp(&ta, &tb);
        if (r)
            return r;
    }
    if (ta.token == tb.token)
        return 0;
    /* Equal so far: the longer is newer unless what follows is a pre-release suffix. */
    if (ta.token == APK_SUFFIX && ta.suffix < APK_SUF_NONE)
        return -1;
    if (tb.token == APK_SUFFIX && tb.suffix < APK_SUF_NONE)
        return 1;
    return ta.token > tb.token ? -1 : ta.token < tb.token;
}

/* ---- generic ------------------------------------------------------------ */

enum { G_PRE = 0, G_END = 1, G_WORD = 2, G_NUM = 3 };

struct g_run {
    int rank;
    int pre; /* order among pre-release words */
    const char *p;
    size_t n;
};

static bool g_alpha(unsigned char c)
{
    return is_alpha(c) || c >= 0x80;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    if (strlen(w) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)p[i]) != (unsigned char)w[i])
            return false;
    return true;
}

/* The run starting at or after *i (separators skipped); rank G_END at the end. */
static void g_next(const char *s, size_t n, size_t *i, struct g_run *r)
{
    static const char *const pre[] = {"dev", "alpha", "beta", "pre", "rc"};
    while (*i < n && !is_digit((unsigned char)s[*i]) && !g_alpha((unsigned char)s[*i]))
        (*i)++;
    r->p = s + *i;
    r->n = 0;
    r->pre = 0;
    if (*i == n) {
        r->rank = G_END;
        return;
    }
    size_t k = *i;
    if (is_digit((unsigned char)s[k])) {
        while (k < n && is_digit((unsigned char)s[k]))
            k++;
        r->rank = G_NUM;
    } else {
        while (k < n && g_alpha((unsigned char)s[k]))
            k++;
        r->rank = G_WORD;
    }
    r->n = k - *i;
    *i = k;
    if (r->rank == G_WORD)
        for (int w = 0; w < 5; w++)
            if (word_is(r->p, r->n, pre[w])) {
                r->rank = G_PRE;
                r->pre = w;
            }
}

static const char *generic_check(const char *s, size_t n)
{
    if (n == 0)
        return "empty";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f)
            return "contains a space or control character";
    }
    return NULL;
}

static int generic_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        struct g_run ra, rb;
        g_next(a, an, &i, &ra);
        g_next(b, bn, &j, &rb);
        if (ra.rank != rb.rank)
            return ra.rank < rb.rank ? -1 : 1;
        int c = 0;
        switch (ra.rank) {
        case G_END:
            return 0;
        case G_PRE:
            c = ra.pre < rb.pre ? -1 : ra.pre > rb.pre;
            break;
        case G_NUM:
            c = num_cmp(ra.p, ra.n, rb.p, rb.n);
            break;
        default: {
            size_t m = ra.n < rb.n ? ra.n : rb.n;
            for (size_t k = 0; k < m && !c; k++) {
                unsigned char x = lower((unsigned char)ra.p[k]), y = lower((unsigned char)rb.p[k]);
                c = x < y ? -1 : x > y;
            }
            if (!c && ra.n != rb.n)
                c = ra.n < rb.n ? -1 : 1;
        }
        }
        if (c)
            return c;
    }
}

/* ---- scheme names ------------------------------------------------------- */

static const struct {
    const char *name;
    int scheme;
} scheme_names[] = {
    /* the schemes' own names */
    {"dpkg", VG_VS_DPKG},
    {"deb", VG_VS_DPKG},
    {"rpm", VG_VS_RPM},
    {"apk", VG_VS_APK},
    {"semver", VG_VS_SEMVER},
    {"pep440", VG_VS_PEP440},
    {"maven", VG_VS_MAVEN},
    {"generic", VG_VS_GENERIC},
    /* OSV ecosystems (the part before the first ':') */
    {"debian", VG_VS_DPKG},
    {"ubuntu", VG_VS_DPKG},
    {"red hat", VG_VS_RPM},
    {"redhat", VG_VS_RPM},
    {"rocky linux", VG_VS_RPM},
    {"almalinux", VG_VS_RPM},
    {"opensuse", VG_VS_RPM},
    {"suse", VG_VS_RPM},
    {"photon os", VG_VS_RPM},
    {"mageia", VG_VS_RPM},
    {"openeuler", VG_VS_RPM},
    {"fedora", VG_VS_RPM},
    {"alpine", VG_VS_APK},
    {"wolfi", VG_VS_APK},
    {"chainguard", VG_VS_APK},
    {"npm", VG_VS_SEMVER},
    {"go", VG_VS_SEMVER},
    {"crates.io", VG_VS_SEMVER},
    {"hex", VG_VS_SEMVER},
    {"pub", VG_VS_SEMVER},
    {"pypi", VG_VS_PEP440},
    /* NuGet allows four numbers and legacy forms that are not semver. */
    {"nuget", VG_VS_GENERIC},
    {"rubygems", VG_VS_GENERIC},
    {"packagist", VG_VS_GENERIC},
};

int vg_vscheme_of(const char *name)
{
    if (!name)
        return VG_VS_NONE;
    const char *colon = strchr(name, ':');
    size_t n = colon ? (size_t)(colon - name) : strlen(name);
    for (size_t k = 0; k < sizeof scheme_names / sizeof *scheme_names; k++)
        if (word_is(name, n, scheme_names[k].name))
            return scheme_names[k].scheme;
    return VG_VS_NONE;
}

const char *vg_vscheme_name(int scheme)
{
    switch (scheme) {
    case VG_VS_DPKG:
        return "dpkg";
    case VG_VS_RPM:
        return "rpm";
    case VG_VS_APK:
        return "apk";
    case VG_VS_SEMVER:
        return "semver";
    case VG_VS_PEP440:
        return "pep440";
    case VG_VS_MAVEN:
        return "maven";
    case VG_VS_GENERIC:
        return "generic";
    }
    return "none";
}

/* ---- dispatch ----------------------------------------------------------- */

/* Check v under one of the schemes of this file; NULL reason when valid. */
static const char *local_check(int scheme, const char *v, size_t n, struct dpkg_ver *dv,
                               struct rpm_ver *rv)
{
    switch (scheme) {
    case VG_VS_DPKG:
        return dpkg_parse(v, n, dv);
    case VG_VS_RPM:
        return rpm_parse(v, n, rv);
    case VG_VS_APK:
        return apk_check(v, n);
    default:
        return generic_check(v, n);
    }
}

int vg_version_check(int scheme, const char *v, size_t n, struct vg_error *err)
{
    struct dpkg_ver dv;
    struct rpm_ver rv;
    if (!v && n)
        return vg_error_set(err, VG_EINVAL, "no version given");
    if (!v)
        v = "";
    switch (scheme) {
    case VG_VS_SEMVER:
        return vg_vcheck_semver(v, n, err);
    case VG_VS_PEP440:
        return vg_vcheck_pep440(v, n, err);
    case VG_VS_MAVEN:
        return vg_vcheck_maven(v, n, err);
    case VG_VS_DPKG:
    case VG_VS_RPM:
    case VG_VS_APK:
    case VG_VS_GENERIC: {
        const char *why = local_check(scheme, v, n, &dv, &rv);
        return why ? bad_version(err, vg_vscheme_name(scheme), v, n, why) : VG_OK;
    }
    }
    return vg_error_set(err, VG_EINVAL, "unknown version scheme %d", scheme);
}

int vg_version_cmp(int scheme, const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err)
{
    struct dpkg_ver da, db;
    struct rpm_ver ra, rb;
    int rc = 0;
    if ((!a && an) || (!b && bn) || !out)
        return vg_error_set(err, VG_EINVAL, "no version given");
    if (!a)
        a = "";
    if (!b)
        b = "";
    switch (scheme) {
    case VG_VS_SEMVER:
        rc = vg_vcmp_semver(a, an, b, bn, out, err);
        break;
    case VG_VS_PEP440:
        rc = vg_vcmp_pep440(a, an, b, bn, out, err);
        break;
    case VG_VS_MAVEN:
        rc = vg_vcmp_maven(a, an, b, bn, out, err);
        break;
    case VG_VS_DPKG:
    case VG_VS_RPM:
    case VG_VS_APK:
    case VG_VS_GENERIC: {
        const char *why = local_check(scheme, a, an, &da, &ra);
        if (why)
            return bad_version(err, vg_vscheme_name(scheme), a, an, why);
        why = local_check(scheme, b, bn, &db, &rb);
        if (why)
            return bad_version(err, vg_vscheme_name(scheme), b, bn, why);
        if (scheme == VG_VS_DPKG)
            *out = dpkg_cmp(&da, &db);
        else if (scheme == VG_VS_RPM)
            *out = rpm_cmp(&ra, &rb);
        else if (scheme == VG_VS_APK)
            *out = apk_cmp(a, an, b, bn);
        else
            *out = generic_cmp(a, an, b, bn);
        return VG_OK;
    }
    default:
        return vg_error_set(err, VG_EINVAL, "unknown version scheme %d", scheme);
    }
    if (rc == VG_OK)
        *out = sign(*out);
    return rc;
}
