/*
 * test_vuln_software.c - unit tests for lib/vuln/software.c: this machine's
 * /var/lib/dpkg/status against dpkg-query (run through fork/execvp and a
 * pipe), hand-written fixtures of every format, bad inputs with their
 * messages, and the format detector.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "vuln/software.h"

#include "test.h"

#include "core/banned.h"

/* Every package as one line: name|version|arch|source|source_version|ecosystem|purl|publisher|line
 */
static int collect(void *ctx, const struct vg_pkg *p)
{
    struct vg_buf *b = ctx;
    vg_buf_addf(b, "%s|%s|%s|%s|%s|%s|%s|%s|%zu\n", p->name ? p->name : "-",
                p->version ? p->version : "-", p->arch ? p->arch : "-", p->source ? p->source : "-",
                p->source_version ? p->source_version : "-", p->ecosystem ? p->ecosystem : "-",
                p->purl ? p->purl : "-", p->publisher ? p->publisher : "-", p->line);
    return 0;
}

/* Parse s in format; the packages must be want (collect's lines). */
static void check_ok(int format, const char *s, const char *want)
{
    struct vg_buf b;
    struct vg_error err;
    vg_buf_init(&b, VG_BUF_NOLIMIT);
    vg_error_clear(&err);
    int rc = vg_software_parse(s, strlen(s), "in", format, collect, &b, &err);
    if (!CHECK_EQ_INT(rc, VG_OK))
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_EQ_STR(b.data, want);
    vg_buf_release(&b);
}

/* Parse s in format: VG_EPARSE with exactly the message msg. */
static void check_bad(int format, const char *s, const char *msg)
{
    struct vg_buf b;
    struct vg_error err;
    vg_buf_init(&b, VG_BUF_NOLIMIT);
    vg_error_clear(&err);
    int rc = vg_software_parse(s, strlen(s), "in", format, collect, &b, &err);
    CHECK_EQ_INT(rc, VG_EPARSE);
    CHECK_EQ_STR(err.msg, msg);
    vg_buf_release(&b);
}

/* ---- the real dpkg database ---------------------------------------------- */

/* Run argv, its stdout into out. Returns the exit status or -1. */
static int run_capture(char *const argv[], struct vg_buf *out)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        if (dup2(fd[1], 1) < 0)
            _exit(127);
        close(fd[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    char buf[8192];
    for (;;) {
        ssize_t r = read(fd[0], buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        vg_buf_add(out, buf, (size_t)r);
    }
    close(fd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split text into lines, sort them, and join them again. */
static void sort_lines(struct vg_buf *b)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    char **v = calloc(n + 1, sizeof *v);
    char *s = b->data;
    for (char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        *nl = '\0';
        v[k++] = s;
    }
    qsort(v, k, sizeof *v, cmp_str);
    struct vg_buf o;
    vg_buf_init(&o, VG_BUF_NOLIMIT);
    for (size_t i = 0; i < k; i++)
        vg_buf_addf(&o, "%s\n", v[i]);
    free(v);
    vg_buf_release(b);
    *b = o;
}

struct real {
    struct vg_buf lines;
    size_t count;
};

static int collect_real(void *ctx, const struct vg_pkg *p)
{
    struct real *r = ctx;
    r->count++;
    CHECK(p->name && p->name[0] && p->version && p->version[0]);
    vg_buf_addf(&r->lines, "%s\t%s\t%s\t%s\t%s\n", p->name, p->version, p->arch ? p->arch : "",
                p->source, p->source_version);
    return 0;
}

static void test_real_dpkg_status(void)
{
    const char *path = "/var/lib/dpkg/status";
    FILE *f = fopen(path, "rb");
    if (!CHECK(f != NULL))
        return;
    struct vg_buf text;
    vg_buf_init(&text, VG_BUF_NOLIMIT);
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        vg_buf_add(&text, chunk, r);
    fclose(f);

    struct real got = {.count = 0};
    struct vg_error err;
    vg_buf_init(&got.lines, VG_BUF_NOLIMIT);
    vg_error_clear(&err);
    CHECK_EQ_INT(vg_software_detect(text.data, text.len), VG_SW_DPKG_STATUS);
    int rc =
        vg_software_parse(text.data, text.len, path, VG_SW_DPKG_STATUS, collect_real, &got, &err);
    if (!CHECK_EQ_INT(rc, VG_OK))
        fprintf(stderr, "  %s\n", err.msg);

    /* dpkg-query's view: the count of "ii" (and "hi": held, installed) and
     * every package's name, version, arch, source and source version. */
    char *argv[] = {"dpkg-query", "-W", "-f",
                    "${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t"
                    "${source:Package}\t${source:Version}\n",
                    NULL};
    struct vg_buf out, want;
    vg_buf_init(&out, VG_BUF_NOLIMIT);
    vg_buf_init(&want, VG_BUF_NOLIMIT);
    if (!CHECK_EQ_INT(run_capture(argv, &out), 0))
        fprintf(stderr, "  dpkg-query failed\n");
    size_t installed = 0;
    char *s = out.data;
    for (char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        *nl = '\0';
        if ((s[0] == 'i' || s[0] == 'h') && s[1] == 'i' && s[2] == ' ') {
            char *tab = strchr(s, '\t');
            installed++;
            if (tab)
                vg_buf_addf(&want, "%s\n", tab + 1);
        }
    }
    CHECK(installed > 0);
    CHECK_EQ_INT(got.count, installed);
    sort_lines(&got.lines);
    sort_lines(&want);
    CHECK_EQ_STR(got.lines.data, want.data);

    /* The same packages through the dpkg-query 5-column format. */
    char *argv5[] = {"dpkg-query", "-W", "-f",
                     "${Package}\t${Version}\t${Architecture}\t${source:Package}\t"
                     "${source:Version}\n",
                     NULL};
    struct real q = {.count = 0};
    vg_buf_init(&q.lines, VG_BUF_NOLIMIT);
    vg_buf_reset(&out);
    CHECK_EQ_INT(run_capture(argv5, &out), 0);
    CHECK_EQ_INT(vg_software_detect(out.data, out.len), VG_SW_DPKG_QUERY);
    rc = vg_software_parse(out.data, out.len, "dpkg-query", VG_SW_DPKG_QUERY, collect_real, &q,
                           &err);
    if (!CHECK_EQ_INT(rc, VG_OK))
        fprintf(stderr, "  %s\n", err.msg);
    CHECK_EQ_INT(q.count, installed);
    sort_lines(&q.lines);
    CHECK_EQ_STR(q.lines.data, want.data);

    vg_buf_release(&q.lines);
    vg_buf_release(&out);
    vg_buf_release(&want);
    vg_buf_release(&got.lines);
    vg_buf_release(&text);
}

/* ---- fixtures ------------------------------------------------------------ */

static void test_dpkg_status(void)
{
    check_ok(VG_SW_DPKG_STATUS,
             "Package: libc6\n"
             "Status: install ok installed\n"
             "Priority: required\n"
             "Architecture: amd64\n"
             "Multi-Arch: same\n"
             "Source: glibc\n"
             "Version: 2.36-9+deb12u4\n"
             "Description: GNU C Library: Shared libraries\n"
             " Contains the standard libraries.\n"
             " .\n"
             " More text.\n"
             "\n"
             "Package: removed\n"
             "Status: deinstall ok config-files\n"
             "Version: 1.0-1\n"
             "\n"
             "Package: gone\n"
             "Status: purge ok not-installed\n"
             "\n"
             "package: libssl3\r\n"
             "status: hold ok installed\r\n"
             "version: 3.0.11-1~deb12u2\r\n"
             "source: openssl (3.0.11-1~deb12u2)\r\n"
             "\r\n"
             "\n\n"
             "Package: bash\n"
             "Status: install ok installed\n"
             "Version: 5.2.15-2+b2\n"
             "Source: bash (5.2.15-2)\n"
             "Architecture: amd64",
             "libc6|2.36-9+deb12u4|amd64|glibc|2.36-9+deb12u4|deb|-|-|1\n"
             "libssl3|3.0.11-1~deb12u2|-|openssl|3.0.11-1~deb12u2|deb|-|-|20\n"
             "bash|5.2.15-2+b2|amd64|bash|5.2.15-2|deb|-|-|27\n");
    check_ok(VG_SW_DPKG_STATUS, "", "");
    check_ok(VG_SW_DPKG_STATUS, "\n\n", "");
}

static void test_dpkg_status_bad(void)
{
    check_bad(VG_SW_DPKG_STATUS,
              "Package: a\nStatus: install ok installed\nVersion: 1.0\n\n"
              "Package: b\nStatus: install ok installed\nVersion: 1:2:x y\n",
              "in:7: Version: '1:2:x y' is not a dpkg version: version string has embedded spaces");
    check_bad(VG_SW_DPKG_STATUS, "Package: a\nStatus: install ok installed\n\n",
              "in:1: installed package without a Version field");
    check_bad(VG_SW_DPKG_STATUS, "Status: install ok installed\nVersion: 1\n",
              "in:1: installed package without a Package field");
    check_bad(VG_SW_DPKG_STATUS, "Package: a\nnot a field\n",
              "in:2: expected 'Field: value', got 'not a field'");
    check_bad(VG_SW_DPKG_STATUS, " continued\n", "in:1: continuation line without a field");
    check_bad(VG_SW_DPKG_STATUS, "Package: a\nPackage: b\n",
              "in:2: duplicate field Package (first on line 1)");
    check_bad(VG_SW_DPKG_STATUS,
              "Package: a\nStatus: install ok installed\nVersion: 1\nSource: s (1\n",
              "in:4: Source: expected 'name' or 'name (version)'");
    check_bad(VG_SW_DPKG_STATUS,
              "Package: a\nStatus: install ok installed\nVersion: 1\nSource: s ()\n",
              "in:4: Source: empty version");
    check_bad(VG_SW_DPKG_STATUS, "Package:\nStatus: install ok installed\nVersion: 1\n",
              "in:1: empty package name");
    /* not installed: nothing is checked */
    check_ok(VG_SW_DPKG_STATUS, "Package: a\nStatus: deinstall ok config-files\nVersion: ::\n", "");
}

static void test_dpkg_query(void)
{
    check_ok(VG_SW_DPKG_QUERY,
             "adduser\t3.134\n"
             "libc6:amd64\t2.36-9+deb12u4\n"
             "notinstalled\t\n"
             "\n"
             "libssl3\t3.0.11-1~deb12u2\tamd64\topenssl\t3.0.11-1~deb12u2\r\n"
             "bash\t5.2.15-2+b2\tamd64\t\t\n",
             "adduser|3.134|-|adduser|3.134|deb|-|-|1\n"
             "libc6|2.36-9+deb12u4|amd64|libc6|2.36-9+deb12u4|deb|-|-|2\n"
             "libssl3|3.0.11-1~deb12u2|amd64|openssl|3.0.11-1~deb12u2|deb|-|-|5\n"
             "bash|5.2.15-2+b2|amd64|bash|5.2.15-2+b2|deb|-|-|6\n");
    check_bad(VG_SW_DPKG_QUERY, "a\t1\nb\n", "in:2: expected 2 or 5 tab-separated columns, got 1");
    check_bad(VG_SW_DPKG_QUERY, "a\t1\t2\n", "in:1: expected 2 or 5 tab-separated columns, got 3");
    check_bad(VG_SW_DPKG_QUERY, "a\t1:\n",
              "in:1: version: '1:' is not a dpkg version: nothing after colon in version number");
    check_bad(VG_SW_DPKG_QUERY, "a\t1\tamd64\ts\t-x\n",
              "in:1: source version: '-x' is not a dpkg version: version number is empty");
    check_bad(VG_SW_DPKG_QUERY, "\t1\n", "in:1: empty package name");
}

static void test_rpm_qa(void)
{
    check_ok(VG_SW_RPM_QA,
             "bash-5.1.8-6.el9_1.x86_64\n"
             "kernel-core-5.14.0-362.8.1.el9_3.x86_64\n"
             "perl-IO-Socket-SSL-2.073-1.el9.noarch\n"
             "openssl-libs-1:3.0.7-24.el9.x86_64\n"
             "gpg-pubkey-8483c65d-5ccc5b19\n"
             "\n"
             "glibc\t0:2.34-83.el9.7\tx86_64\n"
             "gpg-pubkey\t0:fd431d51-4ae0493b\t(none)\n",
             "bash|5.1.8-6.el9_1|x86_64|-|-|rpm|-|-|1\n"
             "kernel-core|5.14.0-362.8.1.el9_3|x86_64|-|-|rpm|-|-|2\n"
             "perl-IO-Socket-SSL|2.073-1.el9|noarch|-|-|rpm|-|-|3\n"
             "openssl-libs|1:3.0.7-24.el9|x86_64|-|-|rpm|-|-|4\n"
             "gpg-pubkey|8483c65d-5ccc5b19|-|-|-|rpm|-|-|5\n"
             "glibc|0:2.34-83.el9.7|x86_64|-|-|rpm|-|-|7\n"
             "gpg-pubkey|0:fd431d51-4ae0493b|-|-|-|rpm|-|-|8\n");
    check_bad(VG_SW_RPM_QA, "bash-5.1.8-6.el9.x86_64\nbash.x86_64\n",
              "in:2: 'bash.x86_64' is not name-version-release[.arch]");
    check_bad(VG_SW_RPM_QA, "-1.0-1.x86_64\n",
              "in:1: '-1.0-1.x86_64' is not name-version-release[.arch]");
    check_bad(VG_SW_RPM_QA, "glibc\t2.34\n",
              "in:1: expected 3 tab-separated columns (name, epoch:version-release, arch), got 2");
    check_bad(VG_SW_RPM_QA, "a-:1.0-1.noarch\n",
              "in:1: version: ':1.0-1' is not a rpm version: empty epoch");
}

static void test_windows_csv(void)
{
    check_ok(VG_SW_WINDOWS_CSV,
             "\xEF\xBB\xBF#TYPE System.Management.Automation.PSCustomObject\r\n"
             "\"DisplayName\",\"DisplayVersion\",\"Publisher\",\"InstallDate\"\r\n"
             "\"7-Zip 23.01 (x64)\",\"23.01\",\"Igor Pavlov\",\"\"\r\n"
             "\"\",\"1.0\",\"\",\"\"\r\n"
             "\"Microsoft Edge\",\"120.0.2210.91\",\"Microsoft Corporation\",\"20240102\"\r\n"
             "\"Notepad++ (64-bit x64)\",\"\",\"Notepad++ Team\",\"\"\r\n",
             "7-Zip 23.01 (x64)|23.01|-|-|-|windows|-|Igor Pavlov|3\n"
             "Microsoft Edge|120.0.2210.91|-|-|-|windows|-|Microsoft Corporation|5\n"
             "Notepad++ (64-bit x64)|-|-|-|-|windows|-|Notepad++ Team|6\n");
    check_ok(VG_SW_WINDOWS_CSV, "publisher;displayname\nACME;Tool, \"pro\"\n",
             "Tool, \"pro\"|-|-|-|-|windows|-|ACME|2\n");
    check_bad(VG_SW_WINDOWS_CSV, "Name,Version\nx,1\n", "in:1: header has no DisplayName column");
    check_bad(VG_SW_WINDOWS_CSV, "", "in: no header line with a DisplayName column");
    struct vg_buf b;
    struct vg_error err;
    vg_buf_init(&b, VG_BUF_NOLIMIT);
    vg_error_clear(&err);
    const char *s = "DisplayName,DisplayVersion\n\"open,1\n";
    CHECK_EQ_INT(vg_software_parse(s, strlen(s), "in", VG_SW_WINDOWS_CSV, collect, &b, &err),
                 VG_EPARSE);
    CHECK(strncmp(err.msg, "in:2: ", 6) == 0);
    vg_buf_release(&b);
}

static void test_cyclonedx(void)
{
    check_ok(VG_SW_CYCLONEDX,
             "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
             "{\"type\":\"library\",\"name\":\"lodash\",\"version\":\"4.17.21\","
             "\"purl\":\"pkg:npm/lodash@4.17.21\"},"
             "{\"name\":\"requests\",\"version\":\"2.31.0\",\"purl\":\"pkg:pypi/requests@2.31.0\","
             "\"components\":[{\"name\":\"urllib3\",\"version\":\"2.0.7\","
             "\"purl\":\"pkg:PyPI/urllib3@2.0.7\"}]},"
             "{\"name\":\"openssl\",\"version\":\"3.0.11-1~deb12u2\","
             "\"purl\":\"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64\"},"
             "{\"name\":\"log4j-core\",\"version\":\"2.14.1\","
             "\"purl\":\"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1\"},"
             "{\"name\":\"app\"}]}",
             "lodash|4.17.21|-|-|-|npm|pkg:npm/lodash@4.17.21|-|0\n"
             "requests|2.31.0|-|-|-|pypi|pkg:pypi/requests@2.31.0|-|0\n"
             "urllib3|2.0.7|-|-|-|pypi|pkg:PyPI/urllib3@2.0.7|-|0\n"
             "openssl|3.0.11-1~deb12u2|-|-|-|deb|pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch="
             "amd64|-|0\n"
             "log4j-core|2.14.1|-|-|-|maven|pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1|"
             "-|0\n"
             "app|-|-|-|-|-|-|-|0\n");
    check_ok(VG_SW_CYCLONEDX, "{\"bomFormat\":\"CycloneDX\"}", "");
    check_bad(VG_SW_CYCLONEDX,
              "{\"components\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},"
              "{\"name\":\"d\",\"version\":4}]}",
              "in: components[3].version: not a string");
    check_bad(VG_SW_CYCLONEDX, "{\"components\":[{\"version\":\"1\"}]}",
              "in: components[0].name: missing");
    check_bad(VG_SW_CYCLONEDX,
              "{\"components\":[{\"name\":\"a\",\"components\":[{\"name\":\"\"}]}]}",
              "in: components[0].components[0].name: empty");
    check_bad(VG_SW_CYCLONEDX, "{\"components\":[{\"name\":\"a\",\"purl\":\"npm/a\"}]}",
              "in: components[0].purl: not a package URL (pkg:type/...)");
    check_bad(
        VG_SW_CYCLONEDX,
        "{\"components\":[{\"name\":\"a\",\"version\":\"1:\",\"purl\":\"pkg:deb/debian/a\"}]}",
        "in: components[0].version: '1:' is not a dpkg version: nothing after colon in "
        "version number");
    check_bad(VG_SW_CYCLONEDX, "{\"components\":{}}", "in: components: not an array");
    check_bad(VG_SW_CYCLONEDX, "[]", "in: not a JSON object");
    check_bad(VG_SW_CYCLONEDX, "{\n\"components\": [,]}",
              "in:2: invalid JSON: unexpected token near ','");
}

static void test_callback_stops(void)
{
    const char *s = "a\t1\nb\t2\n";
    struct vg_error err;
    vg_error_clear(&err);
    CHECK_EQ_INT(vg_software_parse(s, strlen(s), "in", 99, collect, NULL, &err), VG_EINVAL);
    CHECK_EQ_INT(vg_software_format_name(VG_SW_RPM_QA) != NULL, 1);
    CHECK(vg_software_format_name(0) == NULL);
}

static int stop_at_first(void *ctx, const struct vg_pkg *p)
{
    (void)p;
    (*(int *)ctx)++;
    return VG_ECONFLICT;
}

static void test_stop(void)
{
    const char *s = "a\t1\nb\t2\n";
    int calls = 0;
    CHECK_EQ_INT(
        vg_software_parse(s, strlen(s), "in", VG_SW_DPKG_QUERY, stop_at_first, &calls, NULL),
        VG_ECONFLICT);
    CHECK_EQ_INT(calls, 1);
}

static void test_detect(void)
{
    static const struct {
        const char *s;
        int want;
    } t[] = {
        {"Package: a\nStatus: install ok installed\n", VG_SW_DPKG_STATUS},
        {"\n\nStatus: install ok installed\nPackage: a\n", VG_SW_DPKG_STATUS},
        {"adduser\t3.134\n", VG_SW_DPKG_QUERY},
        {"libssl3\t3.0.11-1\tamd64\topenssl\t3.0.11-1\n", VG_SW_DPKG_QUERY},
        {"glibc\t0:2.34-83.el9\tx86_64\n", VG_SW_RPM_QA},
        {"bash-5.1.8-6.el9_1.x86_64\n", VG_SW_RPM_QA},
        {"\xEF\xBB\xBF\"DisplayName\",\"DisplayVersion\"\n", VG_SW_WINDOWS_CSV},
        {"#TYPE x\nPublisher,DisplayName\n", VG_SW_WINDOWS_CSV},
        {"  {\"bomFormat\": \"CycloneDX\"}", VG_SW_CYCLONEDX},
        {"hello world\n", 0},
        {"a\tb\tc\td\n", 0},
        {"", 0},
        {"\n \n", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!CHECK_EQ_INT(vg_software_detect(t[i].s, strlen(t[i].s)), t[i].want))
            fprintf(stderr, "  input %zu\n", i);
    CHECK_EQ_INT(vg_software_detect(NULL, 0), 0);
}

static const struct test_case tests[] = {
    {"real_dpkg_status", test_real_dpkg_status},
    {"dpkg_status", test_dpkg_status},
    {"dpkg_status_bad", test_dpkg_status_bad},
    {"dpkg_query", test_dpkg_query},
    {"rpm_qa", test_rpm_qa},
    {"windows_csv", test_windows_csv},
    {"cyclonedx", test_cyclonedx},
    {"callback_stops", test_callback_stops},
    {"stop", test_stop},
    {"detect", test_detect},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, tests);
}
