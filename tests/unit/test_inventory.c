/*
 * test_inventory.c - unit tests for lib/inventory: the validators of what
 * people type into sheets, the single-record edits (resolution of names,
 * audit, refusals), the CSV imports of every kind (all or nothing, skip_bad,
 * dry_run, re-imports, absent versus empty columns) and the site overview
 * around a fixed "now".
 *
 * Every failing import is followed by a check that the store is unchanged.
 * Import files are written under $VG_TEST_TMP (ctest sets it) or /tmp, in a
 * directory made with mkdtemp and removed at the end; one realistic sheet
 * lives in $VG_TEST_DATA. Times in sheets are read in the local zone, so
 * main() sets TZ=UTC.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/parse.h"
#include "inventory/inventory.h"
#include "store/store.h"

#include "test.h"

#include "core/banned.h"

/* ---- temporary files ---------------------------------------------------- */

static char tmp_dir[PATH_MAX];

static const char *tmp_path(void)
{
    if (!tmp_dir[0]) {
        const char *base = getenv("VG_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        if (mkdir(base, 0700) != 0 && errno != EEXIST)
            base = "/tmp";
        snprintf(tmp_dir, sizeof tmp_dir, "%s/test_inventory.XXXXXX", base);
        if (!mkdtemp(tmp_dir)) {
            fprintf(stderr, "cannot create a temporary directory under %s: %s\n", base,
                    strerror(errno));
            exit(2);
        }
    }
    return tmp_dir;
}

/* Write text to name in the temporary directory; the path is in a static buffer. */
static const char *tmp_csv(const char *name, const char *text)
{
    static char path[PATH_MAX];
    FILE *f;
    size_t n = strlen(text);
    snprintf(path, sizeof path, "%s/%s", tmp_path(), name);
    f = fopen(path, "wb");
    if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return path;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void tmp_cleanup(void)
{
    if (tmp_dir[0])
        nftw(tmp_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- helpers -------------------------------------------------------------- */

static bool contains(const char *haystack, const char *needle)
{
    return haystack && strstr(haystack, needle) != NULL;
}

/* CHECK that msg contains needle, and print msg when it does not. */
#define CHECK_MSG(msg, needle)                                                                     \
    do {                                                                                           \
        if (!CHECK(contains((msg), (needle))))                                                     \
            fprintf(stderr, "    message: %s\n    wanted:  %s\n", (msg), (needle));                \
    } while (0)

static struct vg_store *open_mem(void)
{
    struct vg_store *s = NULL;
    struct vg_error e = {0};
    if (vg_store_open(":memory:", 0, "tester", &s, &e) != VG_OK || !s) {
        fprintf(stderr, "cannot open a store in memory: %s\n", e.msg);
        exit(2);
    }
    return s;
}

static struct vg_ip ip(const char *text)
{
    struct vg_ip a;
    memset(&a, 0, sizeof a);
    if (vg_ip_parse(text, strlen(text), &a) != VG_OK) {
        fprintf(stderr, "bad address in a test: %s\n", text);
        exit(2);
    }
    return a;
}

static time_t at(const char *text)
{
    time_t t = 0;
    if (vg_time_parse(text, strlen(text), &t) != VG_OK) {
        fprintf(stderr, "bad time in a test: %s\n", text);
        exit(2);
    }
    return t;
}

static void unit_add(struct vg_store *s, const char *name, const char *parent)
{
    struct vg_unit u = {.name = name, .parent = parent};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
}

static void contact_add(struct vg_store *s, const char *name, const char *unit, int escalation)
{
    struct vg_contact c = {.name = name, .unit = unit, .escalation = escalation};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
}

static void system_add(struct vg_store *s, const char *unit, const char *name, int level)
{
    struct vg_system y = {.unit = unit, .name = name, .level = level};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
}

static void duty_add(struct vg_store *s, const char *contact, time_t from, time_t to)
{
    struct vg_duty d = {.contact = contact, .starts_at = from, .ends_at = to};
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(vg_inv_duty_add(s, &d, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
}

static size_t audit_count(struct vg_store *s, const char *action)
{
    struct vg_audit_filter f = {.action = action};
    struct vg_rows rows;
    size_t n;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_audit_list(s, &f, &rows, NULL), VG_OK);
    n = rows.n;
    vg_rows_release(&rows);
    return n;
}

/* The newest audit row of action (or a zeroed one), strings copied into buf. */
static struct vg_audit last_audit(struct vg_store *s, const char *action, char *buf, size_t size)
{
    struct vg_audit_filter f = {.action = action, .limit = 1};
    struct vg_audit a = {0};
    struct vg_rows rows;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_audit_list(s, &f, &rows, NULL), VG_OK);
    buf[0] = '\0';
    if (rows.n) {
        struct vg_audit *x = VG_ROW(&rows, struct vg_audit, 0);
        a.id = x->id;
        a.at = x->at;
        snprintf(buf, size, "%s|%s|%s|%s", x->actor, x->action, x->object ? x->object : "",
                 x->detail ? x->detail : "");
    }
    vg_rows_release(&rows);
    return a;
}

/* What an import must leave as it was when it fails. */
struct snap {
    struct vg_counts c;
    size_t audits;
    size_t shifts;
};

static struct snap snap_take(struct vg_store *s)
{
    struct snap n;
    struct vg_rows rows;
    memset(&n, 0, sizeof n);
    CHECK_EQ_INT(vg_store_counts(s, &n.c, NULL), VG_OK);
    n.audits = audit_count(s, NULL);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_duty_list(s, 0, 0, &rows, NULL), VG_OK);
    n.shifts = rows.n;
    vg_rows_release(&rows);
    return n;
}

/* The store holds what it held at b (checked field by field, so a failure names it). */
#define CHECK_UNCHANGED(s, b)                                                                      \
    do {                                                                                           \
        struct snap now_ = snap_take(s);                                                           \
        CHECK_EQ_INT(now_.c.hosts, (b).c.hosts);                                                   \
        CHECK_EQ_INT(now_.audits, (b).audits);                                                     \
        CHECK_EQ_INT(now_.c.units, (b).c.units);                                                   \
        CHECK_EQ_INT(now_.c.systems, (b).c.systems);                                               \
        CHECK_EQ_INT(now_.c.contacts, (b).c.contacts);                                             \
        CHECK_EQ_INT(now_.c.netblocks, (b).c.netblocks);                                           \
        CHECK_EQ_INT(now_.c.addrs, (b).c.addrs);                                                   \
        CHECK_EQ_INT(now_.shifts, (b).shifts);                                                     \
        CHECK(memcmp(&now_.c, &(b).c, sizeof now_.c) == 0);                                        \
    } while (0)

/* Write text as name and import it; r is released and set up again first. */
static int import(struct vg_store *s, int kind, const char *name, const char *text,
                  const struct vg_import_opts *o, struct vg_import_result *r, struct vg_error *e)
{
    const char *path = tmp_csv(name, text);
    vg_import_result_release(r);
    vg_error_clear(e);
    return vg_inv_import(s, kind, path, name, o, r, e);
}

/*
 * Import text that must fail with code; the message must contain want1 and
 * want2 (either may be NULL), and the store must be unchanged.
 */
static void import_fails(struct vg_store *s, int kind, const char *name, const char *text,
                         const struct vg_import_opts *o, int code, const char *want1,
                         const char *want2)
{
    struct vg_import_result r;
    struct vg_error e = {0};
    struct snap before = snap_take(s);
    vg_import_result_init(&r);
    if (!CHECK_EQ_INT(import(s, kind, name, text, o, &r, &e), code))
        fprintf(stderr, "    import of %s: %s\n", name, e.msg);
    CHECK_EQ_INT(e.code, code);
    if (want1)
        CHECK_MSG(e.msg, want1);
    if (want2)
        CHECK_MSG(e.msg, want2);
    CHECK(!vg_store_in_tx(s));
    CHECK_UNCHANGED(s, before);
    vg_import_result_release(&r);
}

/* Import text that must succeed; r is filled for the caller to check and release. */
static void import_ok(struct vg_store *s, int kind, const char *name, const char *text,
                      const struct vg_import_opts *o, struct vg_import_result *r)
{
    struct vg_error e = {0};
    if (!CHECK_EQ_INT(import(s, kind, name, text, o, r, &e), VG_OK))
        fprintf(stderr, "    import of %s: %s\n", name, e.msg);
    CHECK(!vg_store_in_tx(s));
}

static void get_host(struct vg_store *s, const char *unit, const char *hostname,
                     struct vg_host *out, struct vg_arena *a)
{
    struct vg_error e = {0};
    memset(out, 0, sizeof *out);
    if (!CHECK_EQ_INT(vg_inv_host_find(s, unit, hostname, out, a, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
}

static int system_level(struct vg_store *s, const char *unit, const char *name)
{
    struct vg_arena a;
    struct vg_unit u;
    struct vg_system y = {0};
    int level = -1;
    vg_arena_init(&a);
    if (CHECK_EQ_INT(vg_store_unit_get(s, unit, &u, &a, NULL), VG_OK) &&
        CHECK_EQ_INT(vg_store_system_get(s, u.id, name, &y, &a, NULL), VG_OK))
        level = y.level;
    vg_arena_release(&a);
    return level;
}

/* ---- validators ------------------------------------------------------------ */

static void test_check_name(void)
{
    char why[160], name[VG_NAME_MAX + 2];

    CHECK_EQ_INT(vg_inv_check_name("so-tttt", why), VG_OK);
    CHECK_EQ_INT(vg_inv_check_name("Sở Thông tin và Truyền thông", why), VG_OK);
    CHECK_EQ_INT(vg_inv_check_name("Cổng TTĐT", why), VG_OK);
    CHECK_EQ_INT(vg_inv_check_name("a-b", why), VG_OK);
    CHECK_EQ_INT(vg_inv_check_name("", why), VG_EINVAL);
    CHECK_MSG(why, "empty");
    CHECK_EQ_INT(vg_inv_check_name("   ", why), VG_EINVAL);
    CHECK_EQ_INT(vg_inv_check_name("-rf", why), VG_EINVAL);
    CHECK_MSG(why, "'-'");
    CHECK_EQ_INT(vg_inv_check_name("tab\there", why), VG_EINVAL);
    CHECK_MSG(why, "control");
    CHECK_EQ_INT(vg_inv_check_name("line\nbreak", why), VG_EINVAL);
    /* The reason never carries the control characters it complains about. */
    CHECK_EQ_INT(vg_inv_check_name("red\x1b[31m", why), VG_EINVAL);
    CHECK(strchr(why, '\x1b') == NULL);
    CHECK_EQ_INT(vg_inv_check_name("bad\xff utf8", why), VG_EINVAL);
    memset(name, 'x', VG_NAME_MAX);
    name[VG_NAME_MAX] = '\0';
    CHECK_EQ_INT(vg_inv_check_name(name, why), VG_OK);
    name[VG_NAME_MAX] = 'x';
    name[VG_NAME_MAX + 1] = '\0';
    CHECK_EQ_INT(vg_inv_check_name(name, why), VG_EINVAL);
    CHECK(strlen(why) < sizeof why);
}

static void test_check_hostname(void)
{
    char why[160], h[400];

    snprintf(h, sizeof h, "Web01.Example.VN");
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_OK);
    CHECK_EQ_STR(h, "web01.example.vn");
    snprintf(h, sizeof h, "DB_01");
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_OK);
    CHECK_EQ_STR(h, "db_01");
    snprintf(h, sizeof h, "ws-kt-01");
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_OK);
    snprintf(h, sizeof h, "10-0-0-1");
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_OK);

    static const char *bad[] = {
        "",     "bad host", "a..b", ".a",     "-a",   "a-",       "a.",
        "máy1", "a/b",      "a@b",  "tab\tx", "a:80", " leading", "trailing ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(h, sizeof h, "%s", bad[i]);
        if (!CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_EINVAL))
            fprintf(stderr, "    accepted \"%s\"\n", bad[i]);
    }
    /* A label may not start or end with '-' anywhere in the name (RFC 952/1123), not only
     * at the ends of the whole name. */
    snprintf(h, sizeof h, "a.-b.c");
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_EINVAL);
    snprintf(h, sizeof h, "web-.example.vn");
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_EINVAL);
    snprintf(h, sizeof h, "a b");
    vg_inv_check_hostname(h, why);
    CHECK_MSG(why, "a b");
    snprintf(h, sizeof h, "x..y");
    vg_inv_check_hostname(h, why);
    CHECK_MSG(why, "empty label");

    /* Labels up to 63 characters, names up to 253. */
    memset(h, 'a', 63);
    h[63] = '\0';
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_OK);
    memset(h, 'a', 64);
    h[64] = '\0';
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_EINVAL);
    for (size_t i = 0; i < 253; i++)
        h[i] = i % 4 == 3 ? '.' : 'b';
    h[253] = '\0';
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_OK);
    h[253] = 'b';
    h[254] = '\0';
    CHECK_EQ_INT(vg_inv_check_hostname(h, why), VG_EINVAL);
}

static void test_parse_role(void)
{
    static const struct {
        const char *in, *out;
    } ok[] = {
        {"server", "server"},
        {"Server", "server"},
        {"SRV", "server"},
        {"máy chủ", "server"},
        {"Máy chủ", "server"},
        {"may chu", "server"},
        {"vm", "server"},
        {"workstation", "workstation"},
        {"WS", "workstation"},
        {"pc", "workstation"},
        {"Máy trạm", "workstation"},
        {"máy trạm", "workstation"},
        {"may tram", "workstation"},
        {"Laptop", "workstation"},
        {"desktop", "workstation"},
    };
    char why[160], longer[100];
    const char *role;

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        role = NULL;
        if (!CHECK_EQ_INT(vg_inv_parse_role(ok[i].in, &role, why), VG_OK))
            fprintf(stderr, "    rejected \"%s\": %s\n", ok[i].in, why);
        CHECK_EQ_STR(role, ok[i].out);
    }
    role = "unchanged";
    CHECK_EQ_INT(vg_inv_parse_role("router", &role, why), VG_EINVAL);
    CHECK_MSG(why, "router");
    CHECK_MSG(why, "server or workstation");
    CHECK_EQ_STR(role, "unchanged");
    CHECK_EQ_INT(vg_inv_parse_role("", &role, why), VG_EINVAL);
    CHECK_EQ_INT(vg_inv_parse_role("máy in", &role, why), VG_EINVAL);
    CHECK_EQ_INT(vg_inv_parse_role(" server", &role, why), VG_EINVAL);
    memset(longer, 's', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    CHECK_EQ_INT(vg_inv_parse_role(longer, &role, why), VG_EINVAL);
}

static void test_parse_level(void)
{
    static const struct {
        const char *in;
        int level;
    } ok[] = {
        {"3", 3},       {"1", 1},     {"5", 5},       {"cấp độ 3", 3}, {"Cấp độ 5", 5},
        {"cấp độ2", 2}, {"cấp 4", 4}, {"level 2", 2}, {"Level 1", 1},  {"cap do 4", 4},
    };
    static const char *bad[] = {"0",      "6",        "7",       "abc",
                                "",       "-1",       "3a",      "3.0",
                                "cấp độ", "cấp độ 0", "level 6", "99999999999999999999"};
    char why[160];
    int v;

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        v = -1;
        if (!CHECK_EQ_INT(vg_inv_parse_level(ok[i].in, &v, why), VG_OK))
            fprintf(stderr, "    rejected \"%s\": %s\n", ok[i].in, why);
        CHECK_EQ_INT(v, ok[i].level);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = 42;
        if (!CHECK_EQ_INT(vg_inv_parse_level(bad[i], &v, why), VG_EINVAL))
            fprintf(stderr, "    accepted \"%s\"\n", bad[i]);
        CHECK_EQ_INT(v, 42);
    }
    vg_inv_parse_level("7", &v, why);
    CHECK_MSG(why, "1 to 5");
    vg_inv_parse_level("abc", &v, why);
    CHECK_MSG(why, "abc");
}

static void test_check_email_phone(void)
{
    static const char *emails_ok[] = {"a@stttt.gov.vn", "nguyen.van.a+soc@example.vn", "x@y.z"};
    static const char *emails_bad[] = {"",         "a",       "a@b",      "@b.vn",
                                       "a@",       "a@@b.vn", "a@b@c.vn", "a b@c.vn",
                                       "<a@b.vn>", "a@b.vn;", "a,b@c.vn", "\"a\"@b.vn"};
    static const char *phones_ok[] = {"0912 345 678", "+84 (24) 3825-1234", "113", "0912.345.678",
                                      "+84912345678"};
    static const char *phones_bad[] = {
        "", "12", "abc", "0912x345", "0912/345", "++", "123456789012345678901234567890123"};
    char why[160], longmail[300];

    for (size_t i = 0; i < sizeof emails_ok / sizeof *emails_ok; i++)
        if (!CHECK_EQ_INT(vg_inv_check_email(emails_ok[i], why), VG_OK))
            fprintf(stderr, "    rejected \"%s\"\n", emails_ok[i]);
    for (size_t i = 0; i < sizeof emails_bad / sizeof *emails_bad; i++)
        if (!CHECK_EQ_INT(vg_inv_check_email(emails_bad[i], why), VG_EINVAL))
            fprintf(stderr, "    accepted \"%s\"\n", emails_bad[i]);
    vg_inv_check_email("a@b", why);
    CHECK_MSG(why, "e-mail");
    memset(longmail, 'a', sizeof longmail);
    memcpy(longmail + 250, "@b.vn", 6);
    CHECK_EQ_INT(vg_inv_check_email(longmail, why), VG_EINVAL);

    for (size_t i = 0; i < sizeof phones_ok / sizeof *phones_ok; i++)
        if (!CHECK_EQ_INT(vg_inv_check_phone(phones_ok[i], why), VG_OK))
            fprintf(stderr, "    rejected \"%s\"\n", phones_ok[i]);
    for (size_t i = 0; i < sizeof phones_bad / sizeof *phones_bad; i++)
        if (!CHECK_EQ_INT(vg_inv_check_phone(phones_bad[i], why), VG_EINVAL))
            fprintf(stderr, "    accepted \"%s\"\n", phones_bad[i]);
    vg_inv_check_phone("0912x345", why);
    CHECK_MSG(why, "phone");
}

static void test_parse_bool(void)
{
    static const char *yes[] = {"yes",    "Yes",    "YES", "y",  "true", "TRUE", "1",
                                "public", "Public", "có",  "co", "x",    "X"};
    static const char *no[] = {"no", "No", "n", "false", "0", "private", "không", "khong"};
    static const char *bad[] = {"",    "maybe",
                                "2",   "yes please",
                                "oui", "a very long string that is surely not a yes or a no"};
    char why[160];
    bool b;

    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        b = false;
        if (!CHECK_EQ_INT(vg_inv_parse_bool(yes[i], &b, why), VG_OK))
            fprintf(stderr, "    rejected \"%s\"\n", yes[i]);
        CHECK(b);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        b = true;
        if (!CHECK_EQ_INT(vg_inv_parse_bool(no[i], &b, why), VG_OK))
            fprintf(stderr, "    rejected \"%s\"\n", no[i]);
        CHECK(!b);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        b = true;
        if (!CHECK_EQ_INT(vg_inv_parse_bool(bad[i], &b, why), VG_EINVAL))
            fprintf(stderr, "    accepted \"%s\"\n", bad[i]);
        CHECK(b);
    }
    vg_inv_parse_bool("maybe", &b, why);
    CHECK_MSG(why, "maybe");
}

static void split_os_is(const char *in, const char *name, const char *release)
{
    char *n = (char *)"x", *r = (char *)"x";
    if (!CHECK_EQ_INT(vg_inv_split_os(in, &n, &r), VG_OK))
        return;
    if (!CHECK_EQ_STR(n, name) || !CHECK_EQ_STR(r, release))
        fprintf(stderr, "    split of \"%s\"\n", in);
    free(n);
    free(r);
}

static void test_split_os(void)
{
    split_os_is("Debian 12", "debian", "12");
    split_os_is("Windows Server 2019", "windows server", "2019");
    split_os_is("Ubuntu 22.04 LTS", "ubuntu", "22.04 lts");
    split_os_is("FreeBSD", "freebsd", NULL);
    split_os_is("2019", "2019", NULL);
    split_os_is("  Debian   12  ", "debian", "12");
    split_os_is("CentOS 7.9.2009", "centos", "7.9.2009");
    split_os_is("Windows 10 Pro", "windows", "10 pro");
    /* Nothing but spaces (a cleared cell, `--os ''`): no name, no release, and no read past
     * the end of the string. */
    split_os_is("", NULL, NULL); /* nothing given: no name */
    split_os_is("   ", NULL, NULL);
}

/* ---- edits ---------------------------------------------------------------------- */

static void test_unit_add(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_unit u, got;
    char buf[512];
    int64_t top;

    vg_arena_init(&a);
    u = (struct vg_unit){.name = "so-tttt", .full_name = "Sở Thông tin và Truyền thông"};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_OK);
    CHECK(u.id > 0);
    CHECK_EQ_INT(u.parent_id, 0);
    top = u.id;
    u = (struct vg_unit){.name = "ttcntt", .parent = "so-tttt"};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_OK);
    CHECK_EQ_INT(u.parent_id, top);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.parent_id, top);
    CHECK_EQ_STR(got.parent, "so-tttt");
    CHECK_EQ_INT(audit_count(s, "unit.add"), 2);
    last_audit(s, "unit.add", buf, sizeof buf);
    CHECK_MSG(buf, "tester|unit.add|unit:ttcntt|");
    CHECK_MSG(buf, "\"parent\":\"so-tttt\"");

    /* Refusals write nothing. */
    struct snap before = snap_take(s);
    u = (struct vg_unit){.name = "phong-a", .parent = "missing"};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_ENOTFOUND);
    CHECK_MSG(e.msg, "missing");
    CHECK_EQ_INT(vg_store_unit_get(s, "phong-a", &got, &a, NULL), VG_ENOTFOUND);
    u = (struct vg_unit){.name = ""};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_EINVAL);
    CHECK_MSG(e.msg, "unit name");
    u = (struct vg_unit){.name = NULL};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_EINVAL);
    u = (struct vg_unit){.name = "loop", .parent = "loop"};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_EINVAL);
    u = (struct vg_unit){.name = "so-tttt"};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_EEXIST);
    u = (struct vg_unit){.name = "ctl", .full_name = "bell\a"};
    CHECK_EQ_INT(vg_inv_unit_add(s, &u, &e), VG_EINVAL);
    CHECK(!vg_store_in_tx(s));
    CHECK_UNCHANGED(s, before);

    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_contact_system_add(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_contact c, got;
    struct vg_system y;

    vg_arena_init(&a);
    unit_add(s, "so-tttt", NULL);
    c = (struct vg_contact){.name = "Nguyễn Văn A",
                            .unit = "so-tttt",
                            .role = "Trưởng phòng",
                            .phone = "0912 345 678",
                            .email = "a@stttt.gov.vn",
                            .escalation = 1};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_OK);
    CHECK(c.id > 0);
    CHECK(c.unit_id > 0);
    CHECK_EQ_INT(vg_store_contact_get(s, "Nguyễn Văn A", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_INT(got.escalation, 1);
    CHECK_EQ_INT(audit_count(s, "contact.add"), 1);

    struct snap before = snap_take(s);
    c = (struct vg_contact){.name = "B", .phone = "call me"};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_EINVAL);
    CHECK_MSG(e.msg, "phone");
    c = (struct vg_contact){.name = "B", .email = "b@"};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_EINVAL);
    c = (struct vg_contact){.name = "B", .escalation = 100};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_EINVAL);
    c = (struct vg_contact){.name = "B", .escalation = -1};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_EINVAL);
    c = (struct vg_contact){.name = "B", .unit = "nowhere"};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_ENOTFOUND);
    c = (struct vg_contact){.name = "Nguyễn Văn A"};
    CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_EEXIST);

    y = (struct vg_system){.unit = "so-tttt", .name = "Cổng TTĐT", .level = 6};
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_EINVAL);
    y = (struct vg_system){.unit = "so-tttt", .name = "Cổng TTĐT", .level = 0};
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_EINVAL);
    y = (struct vg_system){.unit = NULL, .name = "Cổng TTĐT", .level = 3};
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_EINVAL);
    y = (struct vg_system){.unit = "nowhere", .name = "Cổng TTĐT", .level = 3};
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_ENOTFOUND);
    y = (struct vg_system){.unit = "so-tttt", .name = "", .level = 3};
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_EINVAL);
    CHECK_UNCHANGED(s, before);

    y = (struct vg_system){.unit = "so-tttt", .name = "Cổng TTĐT", .level = 3};
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_OK);
    CHECK(y.id > 0 && y.unit_id > 0);
    CHECK_EQ_INT(audit_count(s, "system.add"), 1);
    CHECK_EQ_INT(vg_inv_system_add(s, &y, &e), VG_EEXIST);

    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_host_add(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_host h, got;
    struct vg_host_sys sys[2];
    struct vg_host_addr addrs[2];
    struct vg_contact owner;
    struct vg_system portal;
    struct vg_unit unit;
    char text[VG_IP_STRLEN], buf[512];

    vg_arena_init(&a);
    unit_add(s, "so-tttt", NULL);
    unit_add(s, "ttcntt", "so-tttt");
    contact_add(s, "Nguyễn Văn A", "so-tttt", 1);
    system_add(s, "so-tttt", "Cổng TTĐT", 3);
    system_add(s, "so-tttt", "Một cửa", 4);
    system_add(s, "ttcntt", "Thư điện tử", 2);
    CHECK_EQ_INT(vg_store_unit_get(s, "so-tttt", &unit, &a, &e), VG_OK);
    CHECK_EQ_INT(vg_store_contact_get(s, "Nguyễn Văn A", &owner, &a, &e), VG_OK);
    CHECK_EQ_INT(vg_store_system_get(s, unit.id, "Cổng TTĐT", &portal, &a, &e), VG_OK);

    memset(sys, 0, sizeof sys);
    memset(addrs, 0, sizeof addrs);
    sys[0].name = "Cổng TTĐT";
    sys[1].name = "Một cửa";
    addrs[0].ip = ip("10.10.1.10");
    addrs[1].ip = ip("203.113.130.3");
    h = (struct vg_host){.unit = "so-tttt",
                         .hostname = "Web01",
                         .role = "máy chủ",
                         .os = "debian",
                         .os_release = "12",
                         .owner = "Nguyễn Văn A",
                         .note = "cổng chính",
                         .naddrs = 2,
                         .addrs = addrs,
                         .nsystems = 2,
                         .systems = sys};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_OK);
    CHECK(h.id > 0);
    CHECK_EQ_INT(h.unit_id, unit.id);
    CHECK_EQ_INT(h.owner_id, owner.id);
    CHECK_EQ_INT(sys[0].id, portal.id);
    CHECK(sys[1].id > 0 && sys[1].id != portal.id);
    CHECK_EQ_STR(h.hostname, "Web01"); /* the caller's string, given back */
    CHECK_EQ_STR(h.role, "server");
    CHECK(!addrs[0].public);
    CHECK(addrs[1].public);

    CHECK_EQ_INT(vg_store_host_get(s, unit.id, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_INT(got.id, h.id);
    CHECK_EQ_STR(got.hostname, "web01");
    CHECK_EQ_STR(got.role, "server");
    CHECK_EQ_STR(got.os, "debian");
    CHECK_EQ_STR(got.os_release, "12");
    CHECK_EQ_STR(got.owner, "Nguyễn Văn A");
    CHECK_EQ_STR(got.note, "cổng chính");
    CHECK_EQ_INT(got.level, 4);
    CHECK_EQ_INT(got.nsystems, 2);
    if (CHECK_EQ_INT(got.naddrs, 2)) {
        CHECK_EQ_STR(vg_ip_format(&got.addrs[1].ip, text), "203.113.130.3");
        CHECK(got.addrs[1].public);
        CHECK(!got.addrs[0].public);
    }
    CHECK_EQ_INT(audit_count(s, "host.add"), 1);
    last_audit(s, "host.add", buf, sizeof buf);
    CHECK_MSG(buf, "tester|host.add|host:so-tttt/web01|");
    CHECK_MSG(buf, "\"203.113.130.3\"");

    /* Refusals, each leaving the store as it was. */
    struct snap before = snap_take(s);
    struct vg_host_sys nosys = {.name = "Không có"};
    h = (struct vg_host){
        .unit = "so-tttt", .hostname = "web02", .role = "server", .nsystems = 1, .systems = &nosys};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_ENOTFOUND);
    CHECK_MSG(e.msg, "Không có");
    h = (struct vg_host){
        .unit = "so-tttt", .hostname = "web02", .role = "server", .owner = "Ai đó"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_ENOTFOUND);
    CHECK_MSG(e.msg, "Ai đó");
    h = (struct vg_host){.unit = "nowhere", .hostname = "web02", .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_ENOTFOUND);
    h = (struct vg_host){.unit = NULL, .hostname = "web02", .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_EINVAL);
    h = (struct vg_host){.unit = "so-tttt", .hostname = "web02", .role = "router"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_EINVAL);
    CHECK_MSG(e.msg, "router");
    h = (struct vg_host){.unit = "so-tttt", .hostname = "bad host", .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_EINVAL);
    CHECK_EQ_STR(h.hostname, "bad host");
    h = (struct vg_host){.unit = "so-tttt", .hostname = NULL, .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_EINVAL);
    /* The name is unique in its unit whatever its case. */
    h = (struct vg_host){.unit = "so-tttt", .hostname = "WEB01", .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_EEXIST);
    /* An address belongs to one host of a unit. */
    addrs[0].ip = ip("10.10.1.10");
    h = (struct vg_host){
        .unit = "so-tttt", .hostname = "web02", .role = "server", .naddrs = 1, .addrs = addrs};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_ECONFLICT);
    CHECK_MSG(e.msg, "10.10.1.10");
    CHECK_MSG(e.msg, "web01");
    CHECK_EQ_INT(vg_store_host_get(s, unit.id, "web02", &got, &a, NULL), VG_ENOTFOUND);
    CHECK(!vg_store_in_tx(s));
    CHECK_UNCHANGED(s, before);

    /* ...but the same private address in another unit is fine. */
    h = (struct vg_host){
        .unit = "ttcntt", .hostname = "web01", .role = "server", .naddrs = 1, .addrs = addrs};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_OK);

    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_host_find_rm(void)
{
    struct vg_store *s = open_mem();
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_host h, got;
    char buf[512];

    vg_arena_init(&a);
    unit_add(s, "so-tttt", NULL);
    unit_add(s, "ttcntt", "so-tttt");
    unit_add(s, "empty", NULL);
    h = (struct vg_host){.unit = "so-tttt", .hostname = "web01", .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_OK);
    h = (struct vg_host){.unit = "so-tttt", .hostname = "db01", .role = "server"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_OK);

    /* With and without the unit, in any case. */
    CHECK_EQ_INT(vg_inv_host_find(s, "so-tttt", "WEB01", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.hostname, "web01");
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_INT(vg_inv_host_find(s, NULL, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_INT(vg_inv_host_find(s, NULL, "nothere", &got, &a, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_inv_host_find(s, "ttcntt", "web01", &got, &a, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_inv_host_find(s, "nowhere", "web01", &got, &a, &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_inv_host_find(s, NULL, "bad name", &got, &a, &e), VG_EINVAL);

    /* The same name in two units: ambiguous without the unit. */
    h = (struct vg_host){.unit = "ttcntt", .hostname = "web01", .role = "workstation"};
    CHECK_EQ_INT(vg_inv_host_add(s, &h, &e), VG_OK);
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_inv_host_find(s, NULL, "web01", &got, &a, &e), VG_ECONFLICT);
    CHECK_MSG(e.msg, "'so-tttt'");
    CHECK_MSG(e.msg, "'ttcntt'");
    CHECK_EQ_INT(vg_inv_host_find(s, "ttcntt", "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.role, "workstation");
    CHECK_EQ_INT(vg_inv_host_rm(s, NULL, "web01", &e), VG_ECONFLICT);

    /* A unit with hosts (or children) is not removed. */
    struct snap before = snap_take(s);
    vg_error_clear(&e);
    CHECK_EQ_INT(vg_inv_unit_rm(s, "so-tttt", &e), VG_ECONFLICT);
    CHECK_MSG(e.msg, "2 hosts");
    CHECK_MSG(e.msg, "1 child units");
    CHECK_EQ_INT(vg_inv_unit_rm(s, "ttcntt", &e), VG_ECONFLICT);
    CHECK_MSG(e.msg, "1 hosts");
    CHECK_EQ_INT(vg_inv_unit_rm(s, "nowhere", &e), VG_ENOTFOUND);
    CHECK(!vg_store_in_tx(s));
    CHECK_UNCHANGED(s, before);

    /* An empty unit is. */
    CHECK_EQ_INT(vg_inv_unit_rm(s, "empty", &e), VG_OK);
    CHECK_EQ_INT(audit_count(s, "unit.rm"), 1);
    last_audit(s, "unit.rm", buf, sizeof buf);
    CHECK_MSG(buf, "|unit.rm|unit:empty|");
    CHECK_EQ_INT(vg_inv_unit_rm(s, "empty", &e), VG_ENOTFOUND);

    /* Once its hosts are gone, a unit can go too. */
    CHECK_EQ_INT(vg_inv_host_rm(s, "ttcntt", "WEB01", &e), VG_OK);
    last_audit(s, "host.rm", buf, sizeof buf);
    CHECK_MSG(buf, "|host.rm|host:ttcntt/web01|");
    CHECK_EQ_INT(vg_inv_host_find(s, NULL, "web01", &got, &a, &e), VG_OK);
    CHECK_EQ_STR(got.unit, "so-tttt");
    CHECK_EQ_INT(vg_inv_unit_rm(s, "ttcntt", &e), VG_OK);
    CHECK_EQ_INT(vg_inv_unit_rm(s, "so-tttt", &e), VG_ECONFLICT);
    CHECK_EQ_INT(vg_inv_host_rm(s, NULL, "web01", &e), VG_OK);
    CHECK_EQ_INT(vg_inv_host_rm(s, "so-tttt", "db01", &e), VG_OK);
    CHECK_EQ_INT(vg_inv_host_rm(s, "so-tttt", "db01", &e), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_inv_unit_rm(s, "so-tttt", &e), VG_OK);
    CHECK_EQ_INT(audit_count(s, "unit.rm"), 3);
    CHECK_EQ_INT(audit_count(s, "host.rm"), 3);

    vg_arena_release(&a);
    vg_store_close(s);
}

/* ---- imports: units, contacts, netblocks ------------------------------------------- */

static void test_import_units(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_arena a;
    struct vg_unit u;
    char buf[512];

    vg_arena_init(&a);
    vg_import_result_init(&r);
    /* Parents may be defined later in the same file. */
    import_ok(s, VG_INV_UNITS, "units.csv",
              "name,full_name,parent,note\n"
              "ttcntt,Trung tâm CNTT,so-tttt,\n"
              "so-tttt,Sở Thông tin và Truyền thông,,\n"
              "phong-ht,Phòng Hạ tầng,ttcntt,tầng 2\n",
              NULL, &r);
    CHECK_EQ_STR(r.kind, "units");
    CHECK_EQ_INT(r.records, 3);
    CHECK_EQ_INT(r.added, 3);
    CHECK_EQ_INT(r.updated, 0);
    CHECK_EQ_INT(r.unchanged, 0);
    CHECK_EQ_INT(r.units_created, 0);
    CHECK_EQ_INT(r.delimiter, ',');
    CHECK_EQ_INT(r.nissues, 0);
    CHECK_EQ_INT(strlen(r.sha256), 64);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &u, &a, NULL), VG_OK);
    CHECK_EQ_STR(u.parent, "so-tttt");
    CHECK_EQ_STR(u.full_name, "Trung tâm CNTT");
    CHECK_EQ_INT(vg_store_unit_get(s, "phong-ht", &u, &a, NULL), VG_OK);
    CHECK_EQ_STR(u.parent, "ttcntt");
    CHECK_EQ_STR(u.note, "tầng 2");
    CHECK_EQ_INT(vg_store_unit_get(s, "so-tttt", &u, &a, NULL), VG_OK);
    CHECK(u.parent == NULL);
    CHECK_EQ_INT(audit_count(s, "unit.import"), 1);
    last_audit(s, "unit.import", buf, sizeof buf);
    CHECK_MSG(buf, "tester|unit.import|units.csv|");
    CHECK_MSG(buf, "\"added\":3");

    /* The same file again changes nothing. */
    import_ok(s, VG_INV_UNITS, "units.csv",
              "name,full_name,parent,note\n"
              "ttcntt,Trung tâm CNTT,so-tttt,\n"
              "so-tttt,Sở Thông tin và Truyền thông,,\n"
              "phong-ht,Phòng Hạ tầng,ttcntt,tầng 2\n",
              NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.updated, 0);
    CHECK_EQ_INT(r.unchanged, 3);
    /* One field changed: one update. */
    import_ok(s, VG_INV_UNITS, "units.csv",
              "name,full_name,parent,note\n"
              "ttcntt,Trung tâm Công nghệ thông tin,so-tttt,\n"
              "so-tttt,Sở Thông tin và Truyền thông,,\n"
              "phong-ht,Phòng Hạ tầng,ttcntt,tầng 2\n",
              NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(r.unchanged, 2);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &u, &a, NULL), VG_OK);
    CHECK_EQ_STR(u.full_name, "Trung tâm Công nghệ thông tin");
    CHECK_EQ_STR(u.parent, "so-tttt");

    /* Vietnamese headers, ';' as Excel writes it here, a parent from the store. */
    import_ok(s, VG_INV_UNITS, "don-vi.csv",
              "Mã đơn vị;Tên đầy đủ;Đơn vị cấp trên\r\n"
              "so-yte;Sở Y tế;so-tttt\r\n"
              "bv-tinh;Bệnh viện tỉnh;so-yte\r\n",
              NULL, &r);
    CHECK_EQ_INT(r.delimiter, ';');
    CHECK_EQ_INT(r.added, 2);
    CHECK_EQ_INT(r.nignored, 0);
    CHECK_EQ_INT(vg_store_unit_get(s, "bv-tinh", &u, &a, NULL), VG_OK);
    CHECK_EQ_STR(u.parent, "so-yte");
    CHECK_EQ_STR(u.full_name, "Bệnh viện tỉnh");

    /* A cycle in the file. */
    import_fails(s, VG_INV_UNITS, "units-cycle.csv", "name,parent\na,b\nb,a\n", NULL, VG_EPARSE,
                 "units-cycle.csv:2: column \"parent\"", "cycle");
    /* A longer one through the store: so-tttt under its own grandchild. */
    import_fails(s, VG_INV_UNITS, "units-cycle2.csv", "name,parent\nso-tttt,phong-ht\n", NULL,
                 VG_EPARSE, "units-cycle2.csv:2: column \"parent\"", "cycle");
    /* A parent nowhere to be found. */
    import_fails(s, VG_INV_UNITS, "units-orphan.csv", "name,parent\nc,so-tttt\ne,nowhere\n", NULL,
                 VG_EPARSE, "units-orphan.csv:3: column \"parent\"", "\"nowhere\"");
    /* Its own parent; a bad name; one name twice with different data. */
    import_fails(s, VG_INV_UNITS, "units-self.csv", "name,parent\nx,x\n", NULL, VG_EPARSE,
                 "units-self.csv:2: column \"parent\"", NULL);
    import_fails(s, VG_INV_UNITS, "units-name.csv", "name,full_name\nok,OK\n-bad,Bad\n", NULL,
                 VG_EPARSE, "units-name.csv:3: column \"name\"", NULL);
    import_fails(s, VG_INV_UNITS, "units-twice.csv", "name,full_name\nq,One\nq,Two\n", NULL,
                 VG_EPARSE, "units-twice.csv:3:", "first on line 2");
    /* The file as a whole: no name column, empty, absent. */
    import_fails(s, VG_INV_UNITS, "units-cols.csv", "full_name,note\nX,Y\n", NULL, VG_EPARSE,
                 "missing column", "\"name\"");
    import_fails(s, VG_INV_UNITS, "units-empty.csv", "", NULL, VG_EPARSE, "units-empty.csv",
                 "empty");
    {
        struct vg_error e = {0};
        struct snap before = snap_take(s);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/no-such-file.csv", tmp_path());
        CHECK(vg_inv_import(s, VG_INV_UNITS, path, NULL, NULL, &r, &e) != VG_OK);
        CHECK_MSG(e.msg, "no-such-file.csv");
        CHECK_UNCHANGED(s, before);
    }
    /* An import inside a caller's transaction is refused. */
    {
        struct vg_error e = {0};
        CHECK_EQ_INT(vg_store_begin(s, &e), VG_OK);
        CHECK_EQ_INT(import(s, VG_INV_UNITS, "units-tx.csv", "name\nz\n", NULL, &r, &e), VG_EINVAL);
        CHECK(vg_store_in_tx(s));
        vg_store_rollback(s);
    }
    /* With skip_bad the cycle is listed and the rest imported. */
    {
        struct vg_import_opts o = {.skip_bad = true};
        import_ok(s, VG_INV_UNITS, "units-skip.csv", "name,parent\na,b\nb,a\nc,so-tttt\n", &o, &r);
        CHECK_EQ_INT(r.added, 1);
        CHECK(r.skipped >= 1);
        CHECK(r.nissues >= 1);
        if (r.nissues >= 1) {
            CHECK_EQ_INT(r.issues[0].line, 2);
            CHECK_EQ_STR(r.issues[0].column, "parent");
        }
        CHECK_EQ_INT(vg_store_unit_get(s, "c", &u, &a, NULL), VG_OK);
        CHECK_EQ_INT(vg_store_unit_get(s, "a", &u, &a, NULL), VG_ENOTFOUND);
    }

    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_import_contacts(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_contact_filter f = {.escalation_only = true};
    struct vg_rows rows;
    struct vg_arena a;
    struct vg_contact c;
    static const char sheet[] = "name,unit,role,phone,email,escalation,note\n"
                                "Nguyễn Văn A,so-tttt,Trưởng phòng,0912 345 678,a@stttt.gov.vn,1,\n"
                                "Trần Thị B,so-tttt,Kỹ thuật viên,0987654321,b@stttt.gov.vn,2,\n"
                                "Hotline NCSC,,,+84 24 3640 4421,,3,quốc gia\n"
                                "Lê C,ttcntt,,,,,\n";

    vg_arena_init(&a);
    vg_import_result_init(&r);
    unit_add(s, "so-tttt", NULL);
    import_ok(s, VG_INV_CONTACTS, "contacts.csv", sheet, NULL, &r);
    CHECK_EQ_STR(r.kind, "contacts");
    CHECK_EQ_INT(r.records, 4);
    CHECK_EQ_INT(r.added, 4);
    CHECK_EQ_INT(r.units_created, 1);
    CHECK_EQ_INT(audit_count(s, "contact.import"), 1);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_contact_list(s, &f, &rows, NULL), VG_OK);
    if (CHECK_EQ_INT(rows.n, 3)) {
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 0)->name, "Nguyễn Văn A");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 1)->name, "Trần Thị B");
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 2)->name, "Hotline NCSC");
        CHECK(VG_ROW(&rows, struct vg_contact, 2)->unit == NULL);
        CHECK_EQ_STR(VG_ROW(&rows, struct vg_contact, 2)->note, "quốc gia");
    }
    vg_rows_release(&rows);
    CHECK_EQ_INT(vg_store_contact_get(s, "Lê C", &c, &a, NULL), VG_OK);
    CHECK_EQ_INT(c.escalation, 0);
    CHECK_EQ_STR(c.unit, "ttcntt");
    CHECK_EQ_INT(vg_store_contact_get(s, "Trần Thị B", &c, &a, NULL), VG_OK);
    CHECK_EQ_STR(c.phone, "0987654321");
    CHECK_EQ_STR(c.email, "b@stttt.gov.vn");
    CHECK_EQ_STR(c.role, "Kỹ thuật viên");

    import_ok(s, VG_INV_CONTACTS, "contacts.csv", sheet, NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.updated, 0);
    CHECK_EQ_INT(r.unchanged, 4);
    CHECK_EQ_INT(r.units_created, 0);

    import_ok(s, VG_INV_CONTACTS, "contacts2.csv",
              "name,escalation,phone\nTrần Thị B,1,0987654321\n", NULL, &r);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(vg_store_contact_get(s, "Trần Thị B", &c, &a, NULL), VG_OK);
    CHECK_EQ_INT(c.escalation, 1);

    import_fails(s, VG_INV_CONTACTS, "contacts-mail.csv",
                 "name,email\nPhạm D,d@stttt.gov.vn\nVõ E,e@@stttt\n", NULL, VG_EPARSE,
                 "contacts-mail.csv:3: column \"email\"", "e@@stttt");
    import_fails(s, VG_INV_CONTACTS, "contacts-phone.csv", "name,phone\nPhạm D,gọi tôi\n", NULL,
                 VG_EPARSE, "contacts-phone.csv:2: column \"phone\"", NULL);
    import_fails(s, VG_INV_CONTACTS, "contacts-esc.csv", "name,escalation\nPhạm D,first\n", NULL,
                 VG_EPARSE, "contacts-esc.csv:2: column \"escalation\"", "first");
    import_fails(s, VG_INV_CONTACTS, "contacts-esc2.csv", "name,escalation\nPhạm D,100\n", NULL,
                 VG_EPARSE, "column \"escalation\"", NULL);
    import_fails(s, VG_INV_CONTACTS, "contacts-twice.csv",
                 "name,phone\nPhạm D,0912000000\nPhạm D,0912000001\n", NULL, VG_EPARSE,
                 "contacts-twice.csv:3:", "first on line 2");
    import_fails(s, VG_INV_CONTACTS, "contacts-noname.csv", "name,phone\n,0912000000\n", NULL,
                 VG_EPARSE, "contacts-noname.csv:2: column \"name\"", "empty");

    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_import_netblocks(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_netblock_filter f = {0};
    struct vg_rows rows;
    struct vg_arena a;
    struct vg_unit u;
    char text[VG_PREFIX_STRLEN];
    static const char sheet[] = "unit,prefix,public,note\n"
                                "so-tttt,10.10.0.0/16,,LAN\n"
                                "so-tttt,203.113.130.0/28,,NAT\n"
                                "so-tttt,100.64.1.0/24,,CGNAT\n"
                                "so-tttt,198.51.100.7,yes,gateway\n"
                                "ttcntt,10.10.0.0/16,no,\n";

    vg_arena_init(&a);
    vg_import_result_init(&r);
    unit_add(s, "so-tttt", NULL);
    import_ok(s, VG_INV_NETBLOCKS, "netblocks.csv", sheet, NULL, &r);
    CHECK_EQ_STR(r.kind, "netblocks");
    CHECK_EQ_INT(r.added, 5);
    CHECK_EQ_INT(r.units_created, 1);
    CHECK_EQ_INT(audit_count(s, "netblock.import"), 1);
    CHECK_EQ_INT(vg_store_unit_get(s, "so-tttt", &u, &a, NULL), VG_OK);
    f.unit_id = u.id;
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_netblock_list(s, &f, &rows, NULL), VG_OK);
    if (CHECK_EQ_INT(rows.n, 4)) {
        /* Public is inferred from the address unless the sheet says. */
        for (size_t i = 0; i < rows.n; i++) {
            struct vg_netblock *nb = VG_ROW(&rows, struct vg_netblock, i);
            const char *p = vg_prefix_format(&nb->prefix, text);
            if (strcmp(p, "10.10.0.0/16") == 0) {
                CHECK(!nb->public);
                CHECK_EQ_STR(nb->note, "LAN");
            } else if (strcmp(p, "203.113.130.0/28") == 0) {
                CHECK(nb->public);
            } else if (strcmp(p, "100.64.1.0/24") == 0) {
                CHECK(!nb->public);
            } else if (CHECK_EQ_STR(p, "198.51.100.7/32")) {
                CHECK(nb->public);
            }
        }
    }
    vg_rows_release(&rows);

    import_ok(s, VG_INV_NETBLOCKS, "netblocks.csv", sheet, NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.unchanged, 5);
    import_ok(s, VG_INV_NETBLOCKS, "netblocks2.csv",
              "unit,prefix,note\nso-tttt,10.10.0.0/16,LAN tầng 2\n", NULL, &r);
    CHECK_EQ_INT(r.updated, 1);

    /* Host bits set: rejected with the network it probably meant. */
    import_fails(s, VG_INV_NETBLOCKS, "netblocks-bits.csv",
                 "unit,prefix\nso-tttt,10.20.0.0/16\nso-tttt,10.30.0.1/16\n", NULL, VG_EPARSE,
                 "netblocks-bits.csv:3: column \"prefix\"", "host bits");
    import_fails(s, VG_INV_NETBLOCKS, "netblocks-bits2.csv", "unit,prefix\nso-tttt,10.30.0.1/16\n",
                 NULL, VG_EPARSE, "10.30.0.0/16", NULL);
    import_fails(s, VG_INV_NETBLOCKS, "netblocks-len.csv", "unit,prefix\nso-tttt,10.0.0.0/33\n",
                 NULL, VG_EPARSE, "netblocks-len.csv:2: column \"prefix\"", NULL);
    import_fails(s, VG_INV_NETBLOCKS, "netblocks-pub.csv",
                 "unit,prefix,public\nso-tttt,10.40.0.0/16,perhaps\n", NULL, VG_EPARSE,
                 "netblocks-pub.csv:2: column \"public\"", "perhaps");
    import_fails(s, VG_INV_NETBLOCKS, "netblocks-cols.csv", "unit,note\nso-tttt,x\n", NULL,
                 VG_EPARSE, "missing column", "\"prefix\"");

    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

/* ---- imports: hosts ------------------------------------------------------------------ */

static const char hosts_sheet[] =
    "unit,hostname,role,system,level,os,ip,owner,note\n"
    "so-tttt,WEB01,server,Cổng TTĐT,3,Debian 12,10.10.1.10; 203.113.130.3,Nguyễn Văn A,cổng "
    "chính\n"
    "so-tttt,db01,máy chủ,Cổng TTĐT;Một cửa,3;4,Ubuntu 22.04 LTS,10.10.1.11,,\n"
    "so-tttt,ws-kt-01,Máy trạm,Kế toán,1,Windows 10,10.10.2.21,,\n"
    "ttcntt,mail01,srv,Thư điện tử,cấp độ 2,,10.20.0.5,,\n";

/* A store with so-tttt, a contact, and hosts_sheet imported. */
static struct vg_store *hosts_store(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    vg_import_result_init(&r);
    unit_add(s, "so-tttt", NULL);
    contact_add(s, "Nguyễn Văn A", "so-tttt", 1);
    import_ok(s, VG_INV_HOSTS, "hosts.csv", hosts_sheet, NULL, &r);
    vg_import_result_release(&r);
    return s;
}

static void test_import_hosts(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_arena a;
    struct vg_host h;
    struct vg_counts c;
    char text[VG_IP_STRLEN], buf[1024];

    vg_arena_init(&a);
    vg_import_result_init(&r);
    unit_add(s, "so-tttt", NULL);
    contact_add(s, "Nguyễn Văn A", "so-tttt", 1);
    import_ok(s, VG_INV_HOSTS, "hosts.csv", hosts_sheet, NULL, &r);
    CHECK_EQ_STR(r.kind, "hosts");
    CHECK_EQ_STR(r.noun, "host");
    CHECK_EQ_INT(r.records, 4);
    CHECK_EQ_INT(r.added, 4);
    CHECK_EQ_INT(r.updated, 0);
    CHECK_EQ_INT(r.unchanged, 0);
    CHECK_EQ_INT(r.skipped, 0);
    CHECK_EQ_INT(r.units_created, 1);
    CHECK_EQ_INT(r.systems_created, 4);
    CHECK_EQ_INT(r.systems_updated, 0);
    CHECK_EQ_INT(r.nignored, 0);
    CHECK_EQ_INT(audit_count(s, "host.import"), 1);
    last_audit(s, "host.import", buf, sizeof buf);
    CHECK_MSG(buf, "|host.import|hosts.csv|");
    CHECK_MSG(buf, "\"added\":4");

    get_host(s, "so-tttt", "web01", &h, &a);
    CHECK_EQ_STR(h.hostname, "web01");
    CHECK_EQ_STR(h.role, "server");
    CHECK_EQ_STR(h.os, "debian");
    CHECK_EQ_STR(h.os_release, "12");
    CHECK_EQ_STR(h.owner, "Nguyễn Văn A");
    CHECK_EQ_STR(h.note, "cổng chính");
    CHECK_EQ_INT(h.level, 3);
    if (CHECK_EQ_INT(h.naddrs, 2)) {
        CHECK_EQ_STR(vg_ip_format(&h.addrs[0].ip, text), "10.10.1.10");
        CHECK(!h.addrs[0].public);
        CHECK_EQ_STR(vg_ip_format(&h.addrs[1].ip, text), "203.113.130.3");
        CHECK(h.addrs[1].public);
    }
    if (CHECK_EQ_INT(h.nsystems, 1))
        CHECK_EQ_STR(h.systems[0].name, "Cổng TTĐT");
    get_host(s, "so-tttt", "db01", &h, &a);
    CHECK_EQ_STR(h.os, "ubuntu");
    CHECK_EQ_STR(h.os_release, "22.04 lts");
    CHECK_EQ_INT(h.level, 4);
    if (CHECK_EQ_INT(h.nsystems, 2)) {
        CHECK_EQ_STR(h.systems[0].name, "Một cửa");
        CHECK_EQ_INT(h.systems[0].level, 4);
        CHECK_EQ_STR(h.systems[1].name, "Cổng TTĐT");
    }
    CHECK(h.owner == NULL);
    get_host(s, "so-tttt", "ws-kt-01", &h, &a);
    CHECK_EQ_STR(h.role, "workstation");
    CHECK_EQ_STR(h.os, "windows");
    CHECK_EQ_STR(h.os_release, "10");
    CHECK_EQ_INT(h.level, 1);
    get_host(s, "ttcntt", "mail01", &h, &a);
    CHECK_EQ_INT(h.level, 2);
    CHECK(h.os == NULL && h.os_release == NULL);
    CHECK_EQ_INT(vg_store_counts(s, &c, NULL), VG_OK);
    CHECK_EQ_INT(c.hosts, 4);
    CHECK_EQ_INT(c.units, 2);
    CHECK_EQ_INT(c.systems, 4);
    CHECK_EQ_INT(c.addrs, 5);
    CHECK_EQ_INT(c.public_addrs, 1);
    CHECK_EQ_INT(c.servers, 3);

    /* The same sheet again: nothing changes (the import is still audited). */
    import_ok(s, VG_INV_HOSTS, "hosts.csv", hosts_sheet, NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.updated, 0);
    CHECK_EQ_INT(r.unchanged, 4);
    CHECK_EQ_INT(r.units_created, 0);
    CHECK_EQ_INT(r.systems_created, 0);
    CHECK_EQ_INT(audit_count(s, "host.import"), 2);

    /* One host changed. */
    import_ok(s, VG_INV_HOSTS, "hosts-v2.csv",
              "unit,hostname,role,system,level,os,ip,owner,note\n"
              "so-tttt,WEB01,server,Cổng TTĐT,3,Debian 13,10.10.1.10; 203.113.130.3,Nguyễn Văn "
              "A,cổng chính\n"
              "so-tttt,db01,máy chủ,Cổng TTĐT;Một cửa,3;4,Ubuntu 22.04 LTS,10.10.1.11,,\n",
              NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(r.unchanged, 1);
    get_host(s, "so-tttt", "web01", &h, &a);
    CHECK_EQ_STR(h.os_release, "13");
    CHECK_EQ_INT(h.naddrs, 2);

    /* Columns the sheet does not have keep what is stored. */
    import_ok(s, VG_INV_HOSTS, "hosts-noip.csv",
              "unit,hostname,role,system,level,os\n"
              "so-tttt,web01,server,Cổng TTĐT,3,Debian 13\n",
              NULL, &r);
    CHECK_EQ_INT(r.unchanged, 1);
    CHECK_EQ_INT(r.updated, 0);
    get_host(s, "so-tttt", "web01", &h, &a);
    CHECK_EQ_INT(h.naddrs, 2);
    CHECK_EQ_STR(h.owner, "Nguyễn Văn A");
    CHECK_EQ_STR(h.note, "cổng chính");
    CHECK_EQ_INT(h.nsystems, 1);
    import_ok(s, VG_INV_HOSTS, "hosts-min.csv", "unit,hostname,role\nso-tttt,web01,server\n", NULL,
              &r);
    CHECK_EQ_INT(r.unchanged, 1);
    get_host(s, "so-tttt", "web01", &h, &a);
    CHECK_EQ_INT(h.naddrs, 2);
    CHECK_EQ_STR(h.os, "debian");
    CHECK_EQ_STR(h.os_release, "13");
    CHECK_EQ_INT(h.nsystems, 1);
    /* ...while an empty cell of a column it has clears the value. */
    import_ok(s, VG_INV_HOSTS, "hosts-clear.csv",
              "unit,hostname,role,ip,owner\nso-tttt,web01,server,,\n", NULL, &r);
    CHECK_EQ_INT(r.updated, 1);
    get_host(s, "so-tttt", "web01", &h, &a);
    CHECK_EQ_INT(h.naddrs, 0);
    CHECK(h.owner == NULL);
    CHECK_EQ_INT(h.nsystems, 1);
    CHECK_EQ_STR(h.os, "debian");
    CHECK_EQ_STR(h.note, "cổng chính");
    CHECK_EQ_INT(vg_store_counts(s, &c, NULL), VG_OK);
    CHECK_EQ_INT(c.addrs, 3);
    CHECK_EQ_INT(c.hosts, 4);

    /* A sheet may change a stored system's level: noted, and counted. */
    import_ok(s, VG_INV_HOSTS, "hosts-level.csv",
              "unit,hostname,role,system,level\nso-tttt,web01,server,Cổng TTĐT,4\n", NULL, &r);
    CHECK_EQ_INT(r.systems_updated, 1);
    CHECK_EQ_INT(r.unchanged, 1);
    if (CHECK_EQ_INT(r.nissues, 1)) {
        CHECK_EQ_INT(r.issues[0].line, 2);
        CHECK_EQ_STR(r.issues[0].column, "level");
        CHECK_MSG(r.issues[0].reason, "from level 3 to 4");
    }
    CHECK_EQ_INT(system_level(s, "so-tttt", "Cổng TTĐT"), 4);
    get_host(s, "so-tttt", "web01", &h, &a);
    CHECK_EQ_INT(h.level, 4);

    /* Unknown columns are listed, not fatal. */
    import_ok(s, VG_INV_HOSTS, "hosts-extra.csv",
              "unit,hostname,role,Serial number\nso-tttt,web01,server,SN-1\n", NULL, &r);
    if (CHECK_EQ_INT(r.nignored, 1))
        CHECK_EQ_STR(r.ignored[0], "Serial number");

    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_import_hosts_errors(void)
{
    struct vg_store *s = hosts_store();

    /* A new system given two levels in one sheet: both lines are named. */
    import_fails(s, VG_INV_HOSTS, "hosts-levels.csv",
                 "unit,hostname,role,system,level\n"
                 "so-tttt,app01,server,Hệ thống mới,2\n"
                 "so-tttt,app02,server,Hệ thống mới,3\n",
                 NULL, VG_EPARSE, "hosts-levels.csv:3: column \"level\"", "on line 2");
    /* A stored system (level 3) first changed, then contradicted. */
    import_fails(s, VG_INV_HOSTS, "hosts-levels2.csv",
                 "unit,hostname,role,system,level\n"
                 "so-tttt,app01,server,Cổng TTĐT,4\n"
                 "so-tttt,app02,server,Cổng TTĐT,3\n",
                 NULL, VG_EPARSE, "hosts-levels2.csv:3: column \"level\"", "on line 2");
    /* A new system without a level. */
    import_fails(s, VG_INV_HOSTS, "hosts-nolevel.csv",
                 "unit,hostname,role,system\nso-tttt,app01,server,Hệ thống mới\n", NULL, VG_EPARSE,
                 "hosts-nolevel.csv:2: column \"level\"", "Hệ thống mới");
    /* Levels that do not match the systems. */
    import_fails(s, VG_INV_HOSTS, "hosts-nlev.csv",
                 "unit,hostname,role,system,level\nso-tttt,app01,server,A;B;C,1;2\n", NULL,
                 VG_EPARSE, "column \"level\"", NULL);
    import_fails(s, VG_INV_HOSTS, "hosts-lev9.csv",
                 "unit,hostname,role,system,level\nso-tttt,app01,server,A,9\n", NULL, VG_EPARSE,
                 "hosts-lev9.csv:2: column \"level\"", NULL);
    /* Two hosts of one unit with one address. */
    import_fails(s, VG_INV_HOSTS, "hosts-dupip.csv",
                 "unit,hostname,role,ip\n"
                 "so-tttt,x1,server,10.10.5.1\n"
                 "so-tttt,x2,server,10.10.5.1\n",
                 NULL, VG_EPARSE, "hosts-dupip.csv:3: column \"ip\"", "\"x1\"");
    /* An address a stored host (not in the sheet) holds. */
    import_fails(s, VG_INV_HOSTS, "hosts-heldip.csv",
                 "unit,hostname,role,ip\nso-tttt,x3,server,10.10.1.11\n", NULL, VG_EPARSE,
                 "hosts-heldip.csv:2: column \"ip\"", "\"db01\"");
    /* One host twice with different data. */
    import_fails(s, VG_INV_HOSTS, "hosts-twice.csv",
                 "unit,hostname,role\nso-tttt,x4,server\nso-tttt,X4,workstation\n", NULL, VG_EPARSE,
                 "hosts-twice.csv:3: column \"hostname\"", "first on line 2");
    /* Cells. */
    import_fails(s, VG_INV_HOSTS, "hosts-owner.csv",
                 "unit,hostname,role,owner\nso-tttt,x5,server,Không Có Ai\n", NULL, VG_EPARSE,
                 "hosts-owner.csv:2: column \"owner\"", "Không Có Ai");
    import_fails(s, VG_INV_HOSTS, "hosts-range.csv",
                 "unit,hostname,role,ip\nso-tttt,x6,server,10.10.6.0/24\n", NULL, VG_EPARSE,
                 "hosts-range.csv:2: column \"ip\"", "range");
    import_fails(s, VG_INV_HOSTS, "hosts-role.csv", "unit,hostname,role\nso-tttt,x7,\n", NULL,
                 VG_EPARSE, "hosts-role.csv:2: column \"role\"", "empty");
    import_fails(s, VG_INV_HOSTS, "hosts-unit.csv", "unit,hostname,role\n,x8,server\n", NULL,
                 VG_EPARSE, "hosts-unit.csv:2: column \"unit\"", NULL);
    import_fails(s, VG_INV_HOSTS, "hosts-cols.csv", "unit,hostname,ip\nso-tttt,x9,10.1.1.1\n", NULL,
                 VG_EPARSE, "missing column", "\"role\"");
    import_fails(s, VG_INV_HOSTS, "hosts-quote.csv",
                 "unit,hostname,role\nso-tttt,x10,server\nso-tttt,\"x11,server\n", NULL, VG_EPARSE,
                 "hosts-quote.csv:3", NULL);
    import_fails(s, VG_INV_HOSTS, "hosts-utf8.csv", "unit,hostname,role\nso-tttt,x12,m\xe1y\n",
                 NULL, VG_EPARSE, "hosts-utf8.csv:2", NULL);

    /* The same address in another unit is fine. */
    {
        struct vg_import_result r;
        vg_import_result_init(&r);
        import_ok(s, VG_INV_HOSTS, "hosts-other.csv",
                  "unit,hostname,role,system,ip\nttcntt,x13,server,Thư điện tử,10.10.1.11\n", NULL,
                  &r);
        CHECK_EQ_INT(r.added, 1);
        vg_import_result_release(&r);
    }
    vg_store_close(s);
}

/*
 * A stored system at level 3; the sheet's line 2 agrees with the store and
 * line 3 says 4. The sheet contradicts itself just as when line 2 says 4 and
 * line 3 says 3, and must be refused the same way, naming both lines.
 */
static void test_import_hosts_level_contradiction(void)
{
    struct vg_store *s = hosts_store();

    CHECK_EQ_INT(system_level(s, "so-tttt", "Cổng TTĐT"), 3);
    import_fails(s, VG_INV_HOSTS, "hosts-levels3.csv",
                 "unit,hostname,role,system,level\n"
                 "so-tttt,app01,server,Cổng TTĐT,3\n"
                 "so-tttt,app02,server,Cổng TTĐT,4\n",
                 NULL, VG_EPARSE, "hosts-levels3.csv:3: column \"level\"", "on line 2");
    CHECK_EQ_INT(system_level(s, "so-tttt", "Cổng TTĐT"), 3);
    vg_store_close(s);
}

static void test_import_hosts_skip_bad(void)
{
    struct vg_store *s = hosts_store();
    struct vg_import_result r;
    struct vg_import_opts o = {.skip_bad = true};
    struct vg_arena a;
    struct vg_host h;
    struct snap before;
    static const char sheet[] = "unit,hostname,role,system,level,ip\n"
                                "so-tttt,good01,server,Cổng TTĐT,,10.10.3.1\n"
                                "so-tttt,bad host,server,Cổng TTĐT,,10.10.3.2\n"
                                "so-tttt,good02,router,Cổng TTĐT,,10.10.3.3\n"
                                "so-tttt,good03,workstation,Cổng TTĐT,,10.10.3.300\n"
                                "so-tttt,good04,workstation,Cổng TTĐT,,10.10.3.4\n";

    vg_arena_init(&a);
    vg_import_result_init(&r);
    import_fails(s, VG_INV_HOSTS, "hosts-bad.csv", sheet, NULL, VG_EPARSE,
                 "hosts-bad.csv:3: column \"hostname\"", "bad host");

    before = snap_take(s);
    import_ok(s, VG_INV_HOSTS, "hosts-bad.csv", sheet, &o, &r);
    CHECK_EQ_INT(r.records, 5);
    CHECK_EQ_INT(r.added, 2);
    CHECK_EQ_INT(r.skipped, 3);
    if (CHECK_EQ_INT(r.nissues, 3)) {
        CHECK_EQ_INT(r.issues[0].line, 3);
        CHECK_EQ_STR(r.issues[0].column, "hostname");
        CHECK_MSG(r.issues[0].reason, "bad host");
        CHECK_EQ_INT(r.issues[1].line, 4);
        CHECK_EQ_STR(r.issues[1].column, "role");
        CHECK_MSG(r.issues[1].reason, "router");
        CHECK_EQ_INT(r.issues[2].line, 5);
        CHECK_EQ_STR(r.issues[2].column, "ip");
        CHECK_MSG(r.issues[2].reason, "10.10.3.300");
    }
    get_host(s, "so-tttt", "good01", &h, &a);
    CHECK_EQ_INT(h.level, 3);
    get_host(s, "so-tttt", "good04", &h, &a);
    CHECK_EQ_STR(h.role, "workstation");
    CHECK_EQ_INT(vg_inv_host_find(s, "so-tttt", "good02", &h, &a, NULL), VG_ENOTFOUND);
    CHECK_EQ_INT(vg_inv_host_find(s, "so-tttt", "good03", &h, &a, NULL), VG_ENOTFOUND);
    {
        struct snap after = snap_take(s);
        CHECK_EQ_INT(after.c.hosts, before.c.hosts + 2);
        CHECK_EQ_INT(after.audits, before.audits + 1);
    }

    /* A record the CSV reader cannot read is skipped too. */
    import_ok(s, VG_INV_HOSTS, "hosts-bad2.csv",
              "unit,hostname,role\nso-tttt,good05,server\nso-tttt,bad\xff,server\n"
              "so-tttt,good06,server\n",
              &o, &r);
    CHECK_EQ_INT(r.added, 2);
    CHECK_EQ_INT(r.skipped, 1);
    if (CHECK_EQ_INT(r.nissues, 1))
        CHECK_EQ_INT(r.issues[0].line, 3);

    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

static void test_import_hosts_dry_run(void)
{
    struct vg_store *s = hosts_store();
    struct vg_import_result r;
    struct vg_import_opts o = {.dry_run = true};
    struct vg_arena a;
    struct vg_host h;
    struct snap before = snap_take(s);

    vg_arena_init(&a);
    vg_import_result_init(&r);
    import_ok(s, VG_INV_HOSTS, "hosts-dry.csv",
              "unit,hostname,role,system,level,os,ip\n"
              "so-tttt,new01,server,Hệ thống khác,5,,10.10.4.1\n"
              "so-moi,new02,workstation,Văn phòng,1,,10.10.4.2\n"
              "so-tttt,db01,server,Một cửa,4,Ubuntu 24.04,10.10.1.11\n",
              &o, &r);
    CHECK_EQ_INT(r.added, 2);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(r.units_created, 1);
    CHECK_EQ_INT(r.systems_created, 2);
    CHECK_UNCHANGED(s, before);
    CHECK_EQ_INT(vg_inv_host_find(s, NULL, "new01", &h, &a, NULL), VG_ENOTFOUND);
    get_host(s, "so-tttt", "db01", &h, &a);
    CHECK_EQ_STR(h.os_release, "22.04 lts");
    CHECK_EQ_INT(h.nsystems, 2);
    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

/*
 * Hosts that serve no information system (most workstations) are hosts
 * like any other: listed, and a re-import of their sheet finds them stored.
 */
static void test_hosts_without_system(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_rows rows;
    struct vg_error e = {0};
    static const char sheet[] = "unit,hostname,role,ip\n"
                                "so-tttt,ws01,workstation,10.10.9.1\n"
                                "so-tttt,ws02,workstation,10.10.9.2\n";

    vg_import_result_init(&r);
    import_ok(s, VG_INV_HOSTS, "hosts-ws.csv", sheet, NULL, &r);
    CHECK_EQ_INT(r.added, 2);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_host_list(s, NULL, &rows, &e), VG_OK);
    CHECK_EQ_INT(rows.n, 2);
    vg_rows_release(&rows);

    /* Re-importing the same sheet is not an error (DESIGN.md: imports). */
    vg_import_result_release(&r);
    if (!CHECK_EQ_INT(vg_inv_import(s, VG_INV_HOSTS, tmp_csv("hosts-ws.csv", sheet), "hosts-ws.csv",
                                    NULL, &r, &e),
                      VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
    CHECK_EQ_INT(r.unchanged, 2);

    /* A new host of the sheet with a stored workstation's address is refused. */
    import_fails(s, VG_INV_HOSTS, "hosts-ws2.csv",
                 "unit,hostname,role,ip\nso-tttt,ws03,workstation,10.10.9.1\n", NULL, VG_EPARSE,
                 "hosts-ws2.csv:2: column \"ip\"", "\"ws01\"");
    vg_import_result_release(&r);
    vg_store_close(s);
}

/* The sheet in tests/data, as Excel saves "CSV UTF-8" with Vietnamese headers. */
static void test_import_fixture(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_error e = {0};
    struct vg_arena a;
    struct vg_host h;
    char path[PATH_MAX], text[VG_IP_STRLEN];
    const char *data = getenv("VG_TEST_DATA");

    snprintf(path, sizeof path, "%s/hosts-vi.csv", data && *data ? data : "tests/data");
    vg_arena_init(&a);
    vg_import_result_init(&r);
    if (!CHECK_EQ_INT(vg_inv_import(s, VG_INV_HOSTS, path, "hosts-vi.csv", NULL, &r, &e), VG_OK))
        fprintf(stderr, "    %s\n", e.msg);
    CHECK_EQ_STR(r.encoding, "utf-8");
    CHECK_EQ_INT(r.delimiter, ';');
    CHECK_EQ_INT(r.records, 3);
    CHECK_EQ_INT(r.added, 3);
    CHECK_EQ_INT(r.units_created, 2);
    CHECK_EQ_INT(r.systems_created, 3);
    CHECK_EQ_INT(r.nignored, 0);
    get_host(s, "so-tttt", "cong-ttdt-01", &h, &a);
    CHECK_EQ_STR(h.role, "server");
    CHECK_EQ_STR(h.os, "ubuntu");
    CHECK_EQ_STR(h.os_release, "22.04 lts");
    CHECK_EQ_INT(h.level, 3);
    CHECK_EQ_STR(h.note, "Cổng thông tin điện tử tỉnh");
    if (CHECK_EQ_INT(h.naddrs, 2))
        CHECK_EQ_STR(vg_ip_format(&h.addrs[1].ip, text), "203.113.130.10");
    get_host(s, "so-tttt", "motcua-app", &h, &a);
    CHECK_EQ_STR(h.os, "windows server");
    CHECK_EQ_STR(h.os_release, "2019");
    CHECK_EQ_INT(h.level, 4);
    get_host(s, "ttcntt", "kt-pc-01", &h, &a);
    CHECK_EQ_STR(h.role, "workstation");
    CHECK_EQ_INT(h.level, 1);
    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

/*
 * Re-importing a sheet that lacks a column keeps what the store holds there,
 * as the host import does (DESIGN.md: "nothing already stored is ever lost").
 * A units sheet of names only must not unlink every parent, a contacts sheet
 * of e-mails must not drop phones and take everyone out of the escalation order.
 */
static void test_import_absent_columns(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_arena a;
    struct vg_unit u;
    struct vg_contact c;

    vg_arena_init(&a);
    vg_import_result_init(&r);
    import_ok(s, VG_INV_UNITS, "units-full.csv",
              "name,full_name,parent\nso-tttt,Sở TT&TT,\nttcntt,Trung tâm CNTT,so-tttt\n", NULL,
              &r);
    CHECK_EQ_INT(r.added, 2);
    import_ok(s, VG_INV_UNITS, "units-names.csv", "name\nso-tttt\nttcntt\n", NULL, &r);
    CHECK_EQ_INT(r.updated, 0);
    CHECK_EQ_INT(r.unchanged, 2);
    CHECK_EQ_INT(vg_store_unit_get(s, "ttcntt", &u, &a, NULL), VG_OK);
    CHECK_EQ_STR(u.full_name, "Trung tâm CNTT");
    CHECK_EQ_STR(u.parent, "so-tttt");

    import_ok(s, VG_INV_CONTACTS, "contacts-full.csv",
              "name,phone,escalation\nNguyễn Văn A,0912345678,1\n", NULL, &r);
    CHECK_EQ_INT(r.added, 1);
    import_ok(s, VG_INV_CONTACTS, "contacts-mail.csv", "name,email\nNguyễn Văn A,a@stttt.gov.vn\n",
              NULL, &r);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(vg_store_contact_get(s, "Nguyễn Văn A", &c, &a, NULL), VG_OK);
    CHECK_EQ_STR(c.email, "a@stttt.gov.vn");
    CHECK_EQ_STR(c.phone, "0912345678");
    CHECK_EQ_INT(c.escalation, 1);

    vg_import_result_release(&r);
    vg_arena_release(&a);
    vg_store_close(s);
}

/* ---- imports: duty roster --------------------------------------------------------------- */

static void test_import_duty(void)
{
    struct vg_store *s = open_mem();
    struct vg_import_result r;
    struct vg_rows rows;
    static const char sheet[] = "contact,from,to,note\n"
                                "Nguyễn Văn A,2026-01-01 08:00,2026-01-01 20:00,ca ngày\n"
                                "Trần Thị B,2026-01-01 20:00,2026-01-02 08:00,\n";

    vg_import_result_init(&r);
    contact_add(s, "Nguyễn Văn A", NULL, 1);
    contact_add(s, "Trần Thị B", NULL, 2);
    import_ok(s, VG_INV_DUTY, "duty.csv", sheet, NULL, &r);
    CHECK_EQ_STR(r.kind, "duty");
    CHECK_EQ_STR(r.noun, "shift");
    CHECK_EQ_INT(r.added, 2);
    CHECK_EQ_INT(audit_count(s, "duty.import"), 1);
    vg_rows_init(&rows);
    CHECK_EQ_INT(vg_store_duty_list(s, 0, 0, &rows, NULL), VG_OK);
    if (CHECK_EQ_INT(rows.n, 2)) {
        struct vg_duty *d = VG_ROW(&rows, struct vg_duty, 0);
        CHECK_EQ_STR(d->contact, "Nguyễn Văn A");
        CHECK_EQ_INT(d->starts_at, at("2026-01-01T08:00:00Z"));
        CHECK_EQ_INT(d->ends_at, at("2026-01-01T20:00:00Z"));
        CHECK_EQ_STR(d->note, "ca ngày");
        d = VG_ROW(&rows, struct vg_duty, 1);
        CHECK_EQ_STR(d->contact, "Trần Thị B");
        CHECK_EQ_INT(d->ends_at, at("2026-01-02T08:00:00Z"));
    }
    vg_rows_release(&rows);

    import_ok(s, VG_INV_DUTY, "duty.csv", sheet, NULL, &r);
    CHECK_EQ_INT(r.added, 0);
    CHECK_EQ_INT(r.unchanged, 2);
    import_ok(s, VG_INV_DUTY, "duty2.csv",
              "contact,from,to,note\nTrần Thị B,2026-01-01 20:00,2026-01-02 08:00,thay ca\n", NULL,
              &r);
    CHECK_EQ_INT(r.updated, 1);

    /* A contact that does not exist: the line and the name. */
    import_fails(s, VG_INV_DUTY, "duty-who.csv",
                 "contact,from,to\n"
                 "Nguyễn Văn A,2026-01-03 08:00,2026-01-03 20:00\n"
                 "Không Có Ai,2026-01-03 20:00,2026-01-04 08:00\n",
                 NULL, VG_EPARSE, "duty-who.csv:3: column \"contact\"", "Không Có Ai");
    import_fails(s, VG_INV_DUTY, "duty-order.csv",
                 "contact,from,to\nNguyễn Văn A,2026-01-03 20:00,2026-01-03 08:00\n", NULL,
                 VG_EPARSE, "duty-order.csv:2: column \"to\"", NULL);
    import_fails(s, VG_INV_DUTY, "duty-time.csv",
                 "contact,from,to\nNguyễn Văn A,2026-13-01 08:00,2026-13-01 20:00\n", NULL,
                 VG_EPARSE, "duty-time.csv:2: column \"from\"", "2026-13-01 08:00");
    import_fails(s, VG_INV_DUTY, "duty-cols.csv", "contact,from\nNguyễn Văn A,2026-01-03\n", NULL,
                 VG_EPARSE, "missing column", "\"to\"");
    vg_import_result_release(&r);
    vg_store_close(s);
}

/* ---- overview ------------------------------------------------------------------------------ */

/* The contact names of a list of shifts, comma-separated. */
static const char *shift_names(struct vg_rows *rows, char *buf, size_t size)
{
    size_t off = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < rows->n; i++) {
        int w = snprintf(buf + off, size - off, "%s%s", i ? "," : "",
                         VG_ROW(rows, struct vg_duty, i)->contact);
        if (w < 0 || (size_t)w >= size - off)
            break;
        off += (size_t)w;
    }
    return buf;
}

static void test_overview(void)
{
    struct vg_store *s = open_mem();
    struct vg_overview o;
    struct vg_error e = {0};
    char buf[256];
    const time_t now = at("2026-01-10T12:00:00Z"), h = 3600;

    /* An empty site. */
    CHECK_EQ_INT(vg_inv_overview(s, now, &o, &e), VG_OK);
    CHECK_EQ_INT(o.at, now);
    CHECK_EQ_INT(o.on_duty.n + o.next_duty.n + o.escalation.n, 0);
    CHECK_EQ_INT(o.counts.contacts + o.counts.hosts, 0);
    vg_overview_release(&o);

    unit_add(s, "so-tttt", NULL);
    {
        struct vg_contact c = {
            .name = "A", .unit = "so-tttt", .phone = "0912000001", .escalation = 1};
        CHECK_EQ_INT(vg_inv_contact_add(s, &c, &e), VG_OK);
    }
    contact_add(s, "B", "so-tttt", 2);
    contact_add(s, "C", NULL, 0);
    contact_add(s, "D", NULL, 3);
    contact_add(s, "E", NULL, 0);
    contact_add(s, "F", NULL, 0);
    duty_add(s, "A", now - 4 * h, now + 4 * h);
    duty_add(s, "B", now - 1 * h, now + 1 * h);
    duty_add(s, "C", now - 10 * h, now); /* ended just now */
    duty_add(s, "E", now + 4 * h, now + 8 * h);
    duty_add(s, "D", now + 4 * h, now + 12 * h);
    duty_add(s, "A", now + 24 * h, now + 48 * h);
    duty_add(s, "F", now, now + 2 * h); /* starts just now */

    CHECK_EQ_INT(vg_inv_overview(s, now, &o, &e), VG_OK);
    CHECK_EQ_INT(o.at, now);
    CHECK_EQ_INT(o.counts.contacts, 6);
    CHECK_EQ_INT(o.counts.units, 1);
    CHECK_EQ_STR(shift_names(&o.on_duty, buf, sizeof buf), "A,B,F");
    if (CHECK_EQ_INT(o.on_duty.n, 3)) {
        struct vg_duty *d = VG_ROW(&o.on_duty, struct vg_duty, 0);
        CHECK_EQ_STR(d->phone, "0912000001");
        CHECK_EQ_STR(d->unit, "so-tttt");
        CHECK_EQ_INT(d->starts_at, now - 4 * h);
    }
    /* The next shifts are those that start first after now: two at once here. */
    CHECK_EQ_STR(shift_names(&o.next_duty, buf, sizeof buf), "D,E");
    if (CHECK_EQ_INT(o.next_duty.n, 2))
        CHECK_EQ_INT(VG_ROW(&o.next_duty, struct vg_duty, 0)->starts_at, now + 4 * h);
    if (CHECK_EQ_INT(o.escalation.n, 3)) {
        CHECK_EQ_STR(VG_ROW(&o.escalation, struct vg_contact, 0)->name, "A");
        CHECK_EQ_STR(VG_ROW(&o.escalation, struct vg_contact, 1)->name, "B");
        CHECK_EQ_STR(VG_ROW(&o.escalation, struct vg_contact, 2)->name, "D");
    }
    vg_overview_release(&o);

    /* Later the same day: D and E are on duty, A's next shift comes next. */
    CHECK_EQ_INT(vg_inv_overview(s, now + 5 * h, &o, &e), VG_OK);
    CHECK_EQ_STR(shift_names(&o.on_duty, buf, sizeof buf), "D,E");
    CHECK_EQ_STR(shift_names(&o.next_duty, buf, sizeof buf), "A");
    vg_overview_release(&o);
    /* After every shift: nobody. */
    CHECK_EQ_INT(vg_inv_overview(s, now + 49 * h, &o, &e), VG_OK);
    CHECK_EQ_INT(o.on_duty.n, 0);
    CHECK_EQ_INT(o.next_duty.n, 0);
    CHECK_EQ_INT(o.escalation.n, 3);
    vg_overview_release(&o);
    /* A removed shift is neither on duty nor next. */
    {
        struct vg_rows rows;
        vg_rows_init(&rows);
        CHECK_EQ_INT(vg_store_duty_list(s, now, now + 1, &rows, &e), VG_OK);
        for (size_t i = 0; i < rows.n; i++)
            if (strcmp(VG_ROW(&rows, struct vg_duty, i)->contact, "B") == 0)
                CHECK_EQ_INT(vg_inv_duty_rm(s, VG_ROW(&rows, struct vg_duty, i)->id, &e), VG_OK);
        vg_rows_release(&rows);
    }
    CHECK_EQ_INT(vg_inv_overview(s, now, &o, &e), VG_OK);
    CHECK_EQ_STR(shift_names(&o.on_duty, buf, sizeof buf), "A,F");
    vg_overview_release(&o);
    CHECK_EQ_INT(audit_count(s, "duty.add"), 7);
    CHECK_EQ_INT(audit_count(s, "duty.rm"), 1);

    vg_store_close(s);
}

static const struct test_case tests[] = {
    {"check_name", test_check_name},
    {"check_hostname", test_check_hostname},
    {"parse_role", test_parse_role},
    {"parse_level", test_parse_level},
    {"check_email_phone", test_check_email_phone},
    {"parse_bool", test_parse_bool},
    {"split_os", test_split_os},
    {"unit_add", test_unit_add},
    {"contact_system_add", test_contact_system_add},
    {"host_add", test_host_add},
    {"host_find_rm", test_host_find_rm},
    {"import_units", test_import_units},
    {"import_contacts", test_import_contacts},
    {"import_netblocks", test_import_netblocks},
    {"import_hosts", test_import_hosts},
    {"import_hosts_errors", test_import_hosts_errors},
    {"import_hosts_level_contradiction", test_import_hosts_level_contradiction},
    {"import_hosts_skip_bad", test_import_hosts_skip_bad},
    {"import_hosts_dry_run", test_import_hosts_dry_run},
    {"hosts_without_system", test_hosts_without_system},
    {"import_fixture", test_import_fixture},
    {"import_absent_columns", test_import_absent_columns},
    {"import_duty", test_import_duty},
    {"overview", test_overview},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc;
    /* Sheets give local times; make "local" UTC so expected values are fixed. */
    setenv("TZ", "UTC", 1);
    tzset();
    rc = test_main(argc, argv, tests);
    tmp_cleanup();
    return rc;
}
