/*
 * test_scan_archive.c - unit tests for the archive walker (lib/scan/archive.c).
 *
 * Every archive is built at test time with libarchive's writer (zip, tar,
 * tar.gz/bz2/xz/zst, 7z, cpio, ar, ISO 9660, bare gzip/bzip2/xz/lzma/zstd
 * streams, nests of them) or with the real tools (tar, zip, gzip, xz, bzip2,
 * zstd, ar, run with fork/execvp), whose own listings (`tar -tf`, `unzip
 * -Z1`) are the oracle. Checked: member paths, depths and bytes exactly; the
 * EICAR test string found at its path; every limit (depth, member size,
 * total, member count); zip bombs stopped early without allocating what they
 * claim (peak RSS); encrypted members; truncated and corrupted archives;
 * hostile names; the caller's locale kept; many threads at once.
 *
 * Set VG_ARCHIVE_SEEDS to a directory to have the small archives built here
 * written there too (tests/fuzz/corpus/make-archive-seeds.sh uses it).
 * Temporary files go under $VG_TEST_TMP (ctest sets it) or /tmp, in a
 * directory made with mkdtemp and removed at the end.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "scan/scan.h"

#include "test.h"

#include "core/banned.h"

/* ---- building archives ------------------------------------------------------ */

/* One entry to write. type 0 is a regular file; fill_n > 0 writes fill_n
 * bytes of fill instead of data (for bombs, without holding them). */
struct ent {
    const char *name;
    const void *data;
    size_t n;
    int type;         /* AE_IFREG (0), AE_IFDIR, AE_IFLNK */
    const char *link; /* symlink target, or hard link target with type AE_IFREG */
    uint64_t fill_n;
    unsigned char fill;
};

static la_ssize_t buf_write(struct archive *a, void *ctx, const void *p, size_t n)
{
    (void)a;
    return vg_buf_add(ctx, p, n) == VG_OK ? (la_ssize_t)n : -1;
}

static const char *seed_dir(void)
{
    const char *d = getenv("VG_ARCHIVE_SEEDS");
    return d && *d ? d : NULL;
}

/* With VG_ARCHIVE_SEEDS set, keep small archives as fuzz seeds. */
static void save_seed(const char *name, const struct vg_buf *b)
{
    char path[PATH_MAX];
    FILE *f;
    if (!seed_dir() || !name || b->len > 4096)
        return;
    snprintf(path, sizeof path, "%s/%s", seed_dir(), name);
    f = fopen(path, "wb");
    if (f) {
        fwrite(b->data, 1, b->len, f);
        fclose(f);
    }
}

/*
 * Build an archive of format (libarchive's name: "zip", "gnutar", "pax",
 * "7zip", "newc", "odc", "arsvr4", "iso9660", "raw") through filter
 * ("gzip", "bzip2", "xz", "lzma", "zstd" or NULL), with options and a
 * passphrase (or NULL), into out. Runs in a C.UTF-8 LC_CTYPE: libarchive's
 * zip writer crashes on a non-ASCII name in the C locale. Exits on failure.
 * seed names a fuzz seed to keep (or NULL).
 */
static void build_opts(struct vg_buf *out, const char *format, const char *filter,
                       const char *options, const char *pass, const struct ent *ents, size_t count,
                       const char *seed)
{
    static unsigned char chunk[1 << 20];
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
    struct archive *a = archive_write_new();
    vg_buf_init(out, VG_BUF_NOLIMIT);
    if (!a || archive_write_set_format_by_name(a, format) != ARCHIVE_OK ||
        (filter && archive_write_add_filter_by_name(a, filter) != ARCHIVE_OK) ||
        (options && archive_write_set_options(a, options) != ARCHIVE_OK) ||
        (pass && archive_write_set_passphrase(a, pass) != ARCHIVE_OK) ||
        archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
        /* no time in the gzip header: the same bytes every run */
        (filter && strcmp(filter, "gzip") == 0 &&
         archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK) ||
        archive_write_open2(a, out, NULL, buf_write, NULL, NULL) != ARCHIVE_OK) {
        fprintf(stderr, "cannot set up a %s/%s writer: %s\n", format, filter ? filter : "-",
                a ? archive_error_string(a) : "out of memory");
        exit(2);
    }
    for (size_t i = 0; i < count; i++) {
        const struct ent *e = &ents[i];
        struct archive_entry *ae = archive_entry_new();
        int type = e->type ? e->type : (int)AE_IFREG;
        uint64_t size = e->fill_n ? e->fill_n : e->n;
        archive_entry_set_pathname(ae, e->name);
        archive_entry_set_filetype(ae, (unsigned)type);
        archive_entry_set_perm(ae, type == AE_IFDIR ? 0755 : 0644);
        archive_entry_set_mtime(ae, 1700000000, 0);
        if (type == AE_IFLNK)
            archive_entry_set_symlink(ae, e->link);
        else if (e->link)
            archive_entry_set_hardlink(ae, e->link);
        archive_entry_set_size(ae, type == AE_IFREG && !e->link ? (la_int64_t)size : 0);
        if (archive_write_header(a, ae) < ARCHIVE_WARN) {
            fprintf(stderr, "cannot write '%s' to a %s: %s\n", e->name, format,
                    archive_error_string(a));
            exit(2);
        }
        if (type == AE_IFREG && !e->link) {
            if (e->fill_n) {
                memset(chunk, e->fill, sizeof chunk);
                for (uint64_t done = 0; done < e->fill_n;) {
                    size_t k =
                        e->fill_n - done < sizeof chunk ? (size_t)(e->fill_n - done) : sizeof chunk;
                    if (archive_write_data(a, chunk, k) != (la_ssize_t)k)
                        break;
                    done += k;
                }
            } else if (e->n && archive_write_data(a, e->data, e->n) != (la_ssize_t)e->n) {
                fprintf(stderr, "cannot write the data of '%s': %s\n", e->name,
                        archive_error_string(a));
                exit(2);
            }
        }
        archive_entry_free(ae);
    }
    if (archive_write_close(a) != ARCHIVE_OK) {
        fprintf(stderr, "cannot finish a %s: %s\n", format, archive_error_string(a));
        exit(2);
    }
    archive_write_free(a);
    if (utf8) {
        uselocale(old);
        freelocale(utf8);
    }
    save_seed(seed, out);
}

static void build(struct vg_buf *out, const char *format, const char *filter,
                  const struct ent *ents, size_t count)
{
    build_opts(out, format, filter, NULL, NULL, ents, count, NULL);
}

#define NENTS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- collecting what the walker hands out ------------------------------------ */

#define MAXM 256

struct member {
    char *path;
    unsigned char *data;
    size_t n;
    int depth;
};

struct got {
    struct member m[MAXM];
    size_t nm;              /* members handed out (all counted, first MAXM kept) */
    struct vg_buf problems; /* "path: reason\n" each */
    size_t np;
    size_t stop_at; /* return stop_rc on this member (1-based); 0: never */
    int stop_rc;
    bool keep_data;
    bool locale_ok; /* every callback ran in the caller's locale */
    locale_t expect;
};

static void got_init(struct got *g)
{
    memset(g, 0, sizeof *g);
    vg_buf_init(&g->problems, VG_BUF_NOLIMIT);
    g->keep_data = true;
    g->locale_ok = true;
    g->expect = uselocale((locale_t)0);
}

static void got_release(struct got *g)
{
    for (size_t i = 0; i < g->nm && i < MAXM; i++) {
        free(g->m[i].path);
        free(g->m[i].data);
    }
    vg_buf_release(&g->problems);
}

static int on_member(void *ctx, const char *path, const unsigned char *data, size_t n, int depth)
{
    struct got *g = ctx;
    if (uselocale((locale_t)0) != g->expect)
        g->locale_ok = false;
    if (g->nm < MAXM) {
        struct member *m = &g->m[g->nm];
        m->path = vg_strdup(path);
        m->n = n;
        m->depth = depth;
        if (g->keep_data) {
            m->data = malloc(n ? n : 1);
            if (m->data)
                memcpy(m->data, data, n);
        }
    }
    g->nm++;
    return g->stop_at && g->nm == g->stop_at ? g->stop_rc : VG_OK;
}

static void on_problem(void *ctx, const char *path, const char *reason)
{
    struct got *g = ctx;
    if (uselocale((locale_t)0) != g->expect)
        g->locale_ok = false;
    vg_buf_addf(&g->problems, "%s: %s\n", path, reason);
    g->np++;
}

static int walk(const struct vg_buf *b, const char *display, const struct vg_archive_limits *lim,
                struct got *g)
{
    return vg_archive_walk((const unsigned char *)b->data, b->len, display, lim, on_member,
                           on_problem, g);
}

/* The members as "path|depth|n" lines. */
static const char *listing(const struct got *g)
{
    static struct vg_buf out;
    vg_buf_release(&out);
    vg_buf_init(&out, VG_BUF_NOLIMIT);
    for (size_t i = 0; i < g->nm && i < MAXM; i++)
        vg_buf_addf(&out, "%s|%d|%zu\n", g->m[i].path, g->m[i].depth, g->m[i].n);
    return out.data;
}

static const struct member *find(const struct got *g, const char *path)
{
    for (size_t i = 0; i < g->nm && i < MAXM; i++)
        if (strcmp(g->m[i].path, path) == 0)
            return &g->m[i];
    return NULL;
}

/* Member path has exactly data[0..n). */
static void check_member(const struct got *g, const char *path, const void *data, size_t n)
{
    const struct member *m = find(g, path);
    if (!CHECK(m != NULL)) {
        fprintf(stderr, "    no member '%s' in:\n%s", path, listing(g));
        return;
    }
    CHECK_EQ_MEM((const char *)m->data, m->n, (const char *)data, n);
}

static bool has_problem(const struct got *g, const char *line)
{
    return strstr(g->problems.data, line) != NULL;
}

#define CHECK_PROBLEM(g, line)                                                                     \
    do {                                                                                           \
        if (!CHECK(has_problem((g), (line))))                                                      \
            fprintf(stderr, "    want problem: %s\n    got:\n%s", (line), (g)->problems.data);     \
    } while (0)

/* ---- fixtures --------------------------------------------------------------- */

static unsigned char bin768[768]; /* 0..255 three times: NULs and high bytes */
static const char hello[] = "hello, archive\n";

/* The EICAR test file, assembled here so that this source is not a detection itself. */
static char eicar[80];
static size_t eicar_n;

static void fixtures(void)
{
    static const char *const parts[] = {"X5O!P%@AP[4\\PZX5", "4(P^)7CC)7}$EIC", "AR-STANDARD-AN",
                                        "TIVIRUS-TEST-", "FILE!$H+H*"};
    for (size_t i = 0; i < sizeof bin768; i++)
        bin768[i] = (unsigned char)i;
    eicar_n = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        memcpy(eicar + eicar_n, parts[i], strlen(parts[i]));
        eicar_n += strlen(parts[i]);
    }
    eicar[eicar_n] = '\0';
}

/* A few bytes that do not compress, made the same way every run. */
static void pseudo_random(unsigned char *p, size_t n, uint32_t seed)
{
    uint32_t x = seed ? seed : 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)x;
    }
}

static const struct ent basic[] = {
    {"a.txt", hello, sizeof hello - 1, 0, NULL, 0, 0},
    {"dir/", NULL, 0, AE_IFDIR, NULL, 0, 0},
    {"dir/b.bin", bin768, sizeof bin768, 0, NULL, 0, 0},
    {"ln", NULL, 0, AE_IFLNK, "a.txt", 0, 0},
    {"empty", "", 0, 0, NULL, 0, 0},
};

/* ---- tests ------------------------------------------------------------------- */

static void test_defaults(void)
{
    struct vg_archive_limits l;
    vg_archive_defaults(&l);
    CHECK_EQ_INT(l.max_depth, 16);
    CHECK_EQ_INT(l.max_member, 256ull << 20);
    CHECK_EQ_INT(l.max_total, 1ull << 30);
    CHECK(l.max_ratio == 250.0);
    CHECK_EQ_INT(l.max_members, 100000);
}

static bool sniff_str(const char *s, size_t n)
{
    return vg_archive_sniff((const unsigned char *)s, n);
}

static void test_sniff(void)
{
    static const struct {
        const char *magic;
        size_t n;
    } yes[] = {
        {"PK\x03\x04....", 8},
        {"PK\x05\x06", 4},
        {"PK\x07\x08PK\x03\x04", 8},
        {"\x1f\x8b\x08\x00", 4},
        {"BZh91AY&SY", 10},
        {"\xfd\x37\x7a\x58\x5a\x00\x00", 7},
        {"\x28\xb5\x2f\xfd\x00", 5},
        {"7z\xbc\xaf\x27\x1c\x00\x04", 8},
        {"Rar!\x1a\x07\x00", 7},
        {"Rar!\x1a\x07\x01\x00", 8},
        {"MSCF\0\0\0\0", 8},
        {"!<arch>\ndebian-binary", 21},
        {"070701000000", 12},
        {"070702000000", 12},
        {"070707000000", 12},
        /* lzma_alone: 0x5d, 8 MiB dictionary, unknown size, range coder's 0 */
        {"\x5d\x00\x00\x80\x00\xff\xff\xff\xff\xff\xff\xff\xff\x00\x10", 15},
    };
    static const struct {
        const char *magic;
        size_t n;
    } no[] = {
        {"", 0},
        {"PK", 2},
        {"PK\x03", 3},
        {"PK\x01\x02", 4},
        {"\x1f\x8b", 2},
        {"\x1f\x8b\x07", 3},
        {"BZh", 3},
        {"BZhx", 4},
        {"\xfd\x37\x7a\x58\x5a", 5},
        {"7z\xbc\xaf\x27", 5},
        {"Rar!\x1a", 5},
        {"MSCF\x01\0\0\0", 8},
        {"!<arch>", 7},
        {"07070", 5},
        {"070703", 6},
        {"MZ\x90\x00\x03\x00\x00\x00", 8},
        {"\x7f"
         "ELF\x02\x01\x01",
         7},
        {"hello world\n", 12},
        {"%PDF-1.7\n", 9},
        /* 5d 00 00 without a plausible lzma header */
        {"\x5d\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\x00", 14},
        {"\x5d\x00\x00\x80\x00\xff\xff\xff\xff\xff\xff\xff\xff\x01", 14},
        {"\x5d\x00\x00\x80\x00", 5},
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!CHECK(sniff_str(yes[i].magic, yes[i].n)))
            fprintf(stderr, "    case %zu\n", i);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (!CHECK(!sniff_str(no[i].magic, no[i].n)))
            fprintf(stderr, "    case %zu\n", i);
    CHECK(!vg_archive_sniff(NULL, 100));

    /* tar: "ustar" at 257; iso9660: "CD001" at 32769. */
    static unsigned char big[40000];
    memset(big, 0, sizeof big);
    CHECK(!vg_archive_sniff(big, sizeof big));
    memcpy(big + 257, "ustar", 5);
    CHECK(vg_archive_sniff(big, sizeof big));
    CHECK(!vg_archive_sniff(big, 261));
    CHECK(vg_archive_sniff(big, 262));
    memset(big, 0, sizeof big);
    memcpy(big + 32769, "CD001", 5);
    CHECK(vg_archive_sniff(big, sizeof big));
    CHECK(!vg_archive_sniff(big, 32773));

    /* What the writer makes sniffs, in every format and filter. */
    static const char *const formats[] = {"zip",  "gnutar", "pax",    "ustar",  "7zip",
                                          "newc", "odc",    "arsvr4", "iso9660"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        struct vg_buf b;
        build(&b, formats[i], NULL, basic, 1);
        if (!CHECK(vg_archive_sniff((unsigned char *)b.data, b.len)))
            fprintf(stderr, "    format %s\n", formats[i]);
        vg_buf_release(&b);
    }
    static const char *const filters[] = {"gzip", "bzip2", "xz", "lzma", "zstd"};
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        struct vg_buf b;
        build(&b, "raw", filters[i], basic, 1);
        if (!CHECK(vg_archive_sniff((unsigned char *)b.data, b.len)))
            fprintf(stderr, "    filter %s\n", filters[i]);
        vg_buf_release(&b);
    }
}

/* The basic entries in format/filter: three members with their bytes, in order. */
static void check_basic(const char *format, const char *filter, const char *display,
                        const char *seed)
{
    struct vg_buf b;
    struct got g;
    char want[512];
    bool ar = strncmp(format, "ar", 2) == 0;
    /* ar holds neither directories nor links, and only base names. */
    static const struct ent ar_ents[] = {
        {"a.txt", hello, sizeof hello - 1, 0, NULL, 0, 0},
        {"b.bin", bin768, sizeof bin768, 0, NULL, 0, 0},
        {"empty", "", 0, 0, NULL, 0, 0},
    };
    build_opts(&b, format, filter, NULL, NULL, ar ? ar_ents : basic,
               ar ? NENTS(ar_ents) : NENTS(basic), seed);
    got_init(&g);
    int rc = walk(&b, display, NULL, &g);
    if (!CHECK_EQ_INT(rc, VG_OK))
        fprintf(stderr, "    %s/%s\n", format, filter ? filter : "-");
    snprintf(want, sizeof want, "%s!a.txt|1|%zu\n%s!%s|1|768\n%s!empty|1|0\n", display,
             sizeof hello - 1, display, ar ? "b.bin" : "dir/b.bin", display);
    if (filter && strcmp(format, "zip") == 0) {
        /* A zip read as a stream (here through gzip) has no central
         * directory, which is where a symbolic link is told from a file: the
         * link comes out as a file holding its target. */
        snprintf(want, sizeof want, "%s!a.txt|1|%zu\n%s!dir/b.bin|1|768\n%s!ln|1|5\n%s!empty|1|0\n",
                 display, sizeof hello - 1, display, display, display);
    }
    if (!CHECK_EQ_STR(listing(&g), want))
        fprintf(stderr, "    %s/%s\n", format, filter ? filter : "-");
    snprintf(want, sizeof want, "%s!a.txt", display);
    check_member(&g, want, hello, sizeof hello - 1);
    snprintf(want, sizeof want, "%s!%s", display, ar ? "b.bin" : "dir/b.bin");
    check_member(&g, want, bin768, sizeof bin768);
    if (!CHECK_EQ_STR(g.problems.data, ""))
        fprintf(stderr, "    %s/%s\n", format, filter ? filter : "-");
    CHECK(g.locale_ok);
    got_release(&g);
    vg_buf_release(&b);
}

static void test_formats(void)
{
    locale_t before = uselocale((locale_t)0);
    check_basic("zip", NULL, "x.zip", "zip-deflate.zip");
    check_basic("gnutar", NULL, "x.tar", NULL);
    check_basic("pax", NULL, "x.tar", NULL);
    check_basic("ustar", NULL, "x.tar", NULL);
    check_basic("gnutar", "gzip", "x.tar.gz", "tar.gz");
    check_basic("gnutar", "bzip2", "x.tar.bz2", "tar.bz2");
    check_basic("gnutar", "xz", "x.tar.xz", "tar.xz");
    check_basic("gnutar", "zstd", "x.tar.zst", "tar.zst");
    check_basic("gnutar", "lzma", "x.tar.lzma", NULL);
    check_basic("7zip", NULL, "x.7z", "7z.7z");
    check_basic("newc", NULL, "x.cpio", "newc.cpio");
    check_basic("odc", NULL, "x.cpio", NULL);
    check_basic("arsvr4", NULL, "x.a", "ar.a");
    check_basic("iso9660", NULL, "x.iso", NULL);
    check_basic("zip", "gzip", "x.zip.gz", NULL); /* a zip read through its filter */
    CHECK(uselocale((locale_t)0) == before);
}

static void test_zip_store(void)
{
    struct vg_buf b;
    struct got g;
    build_opts(&b, "zip", NULL, "zip:compression=store", NULL, basic, NENTS(basic),
               "zip-store.zip");
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "s.zip", NULL, &g), VG_OK);
    CHECK_EQ_STR(listing(&g), "s.zip!a.txt|1|15\ns.zip!dir/b.bin|1|768\ns.zip!empty|1|0\n");
    check_member(&g, "s.zip!dir/b.bin", bin768, sizeof bin768);
    got_release(&g);
    vg_buf_release(&b);
}

/* A bare compressed stream: one member named after the outer name. */
static void check_stream(const char *filter, const char *display, const char *want_path,
                         const char *seed)
{
    struct vg_buf b;
    struct got g;
    const struct ent e[] = {{"data", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build_opts(&b, "raw", filter, NULL, NULL, e, 1, seed);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, display, NULL, &g), VG_OK);
    if (!CHECK_EQ_INT(g.nm, 1))
        fprintf(stderr, "    %s %s:\n%s", filter, display, listing(&g));
    check_member(&g, want_path, hello, sizeof hello - 1);
    CHECK(g.nm == 0 || g.m[0].depth == 1);
    CHECK_EQ_STR(g.problems.data, "");
    got_release(&g);
    vg_buf_release(&b);
}

static void test_streams(void)
{
    check_stream("gzip", "x.txt.gz", "x.txt.gz!x.txt", "bare.gz");
    check_stream("gzip", "/var/log/app.log.GZ", "/var/log/app.log.GZ!app.log", NULL);
    check_stream("gzip", "blob", "blob!data", NULL);
    check_stream("bzip2", "notes.bz2", "notes.bz2!notes", "bare.bz2");
    check_stream("xz", "notes.xz", "notes.xz!notes", "bare.xz");
    check_stream("lzma", "notes.lzma", "notes.lzma!notes", "bare.lzma");
    check_stream("zstd", "notes.zst", "notes.zst!notes", "bare.zst");
    check_stream("gzip", ".gz", ".gz!data", NULL);

    /* A gzip whose content starts with zero blocks reads as an empty tar;
     * what it holds is still handed out. And an empty tar.gz gives its tar. */
    struct vg_buf b;
    struct got g;
    static unsigned char hidden[2048 + 68];
    memset(hidden, 0, 2048);
    memcpy(hidden + 2048, eicar, eicar_n);
    const struct ent e[] = {{"data", hidden, 2048 + eicar_n, 0, NULL, 0, 0}};
    build(&b, "raw", "gzip", e, 1);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "zeros.gz", NULL, &g), VG_OK);
    check_member(&g, "zeros.gz!zeros", hidden, 2048 + eicar_n);
    got_release(&g);
    vg_buf_release(&b);

    build(&b, "gnutar", "gzip", NULL, 0);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "empty.tgz", NULL, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 1);
    CHECK(find(&g, "empty.tgz!empty.tar") != NULL);
    CHECK_EQ_STR(g.problems.data, "");
    got_release(&g);
    vg_buf_release(&b);

    /* An empty zip is an archive with nothing in it. */
    build(&b, "zip", NULL, NULL, 0);
    CHECK(vg_archive_sniff((unsigned char *)b.data, b.len));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "empty.zip", NULL, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 0);
    CHECK_EQ_STR(g.problems.data, "");
    got_release(&g);
    vg_buf_release(&b);
}

/* outer.zip { mid.tar.gz { inner.zip { c/d.exe }, readme.txt }, top.txt } */
static void build_nest(struct vg_buf *outer, const char *seed)
{
    struct vg_buf inner, mid;
    static const char exe[] = "MZ\x90\x00 not really a program";
    const struct ent ie[] = {{"c/", NULL, 0, AE_IFDIR, NULL, 0, 0},
                             {"c/d.exe", exe, sizeof exe - 1, 0, NULL, 0, 0}};
    build(&inner, "zip", NULL, ie, NENTS(ie));
    const struct ent me[] = {{"inner.zip", inner.data, inner.len, 0, NULL, 0, 0},
                             {"readme.txt", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&mid, "gnutar", "gzip", me, NENTS(me));
    const struct ent oe[] = {{"mid.tar.gz", mid.data, mid.len, 0, NULL, 0, 0},
                             {"top.txt", "top\n", 4, 0, NULL, 0, 0}};
    build_opts(outer, "zip", NULL, NULL, NULL, oe, NENTS(oe), seed);
    vg_buf_release(&inner);
    vg_buf_release(&mid);
}

static void test_nested(void)
{
    struct vg_buf b;
    struct got g;
    build_nest(&b, "nested.zip");
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "outer.zip", NULL, &g), VG_OK);
    /* Every member, the nested archives too, in the order met. */
    const char *want[][2] = {
        {"outer.zip!mid.tar.gz", "1"},
        {"outer.zip!mid.tar.gz!inner.zip", "2"},
        {"outer.zip!mid.tar.gz!inner.zip!c/d.exe", "3"},
        {"outer.zip!mid.tar.gz!readme.txt", "2"},
        {"outer.zip!top.txt", "1"},
    };
    if (CHECK_EQ_INT(g.nm, 5)) {
        for (size_t i = 0; i < 5; i++) {
            CHECK_EQ_STR(g.m[i].path, want[i][0]);
            CHECK_EQ_INT(g.m[i].depth, want[i][1][0] - '0');
        }
    }
    static const char exe[] = "MZ\x90\x00 not really a program";
    check_member(&g, "outer.zip!mid.tar.gz!inner.zip!c/d.exe", exe, sizeof exe - 1);
    check_member(&g, "outer.zip!mid.tar.gz!readme.txt", hello, sizeof hello - 1);
    check_member(&g, "outer.zip!top.txt", "top\n", 4);
    CHECK_EQ_STR(g.problems.data, "");
    got_release(&g);

    /* A gzip inside a zip: its member is named after it. */
    struct vg_buf gz, z;
    const struct ent ge[] = {{"data", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&gz, "raw", "gzip", ge, 1);
    const struct ent ze[] = {{"logs/app.log.gz", gz.data, gz.len, 0, NULL, 0, 0}};
    build(&z, "zip", NULL, ze, 1);
    got_init(&g);
    CHECK_EQ_INT(walk(&z, "logs.zip", NULL, &g), VG_OK);
    CHECK_EQ_STR(listing(&g), "logs.zip!logs/app.log.gz|1|35\n"
                              "logs.zip!logs/app.log.gz!app.log|2|15\n");
    got_release(&g);
    vg_buf_release(&gz);
    vg_buf_release(&z);
    vg_buf_release(&b);
}

static void test_eicar(void)
{
    struct vg_buf b;
    struct got g;
    CHECK_EQ_INT(eicar_n, 68);
    const struct ent e[] = {{"docs/readme.txt", hello, sizeof hello - 1, 0, NULL, 0, 0},
                            {"sub/eicar.com", eicar, eicar_n, 0, NULL, 0, 0}};
    build(&b, "zip", NULL, e, NENTS(e));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "samples.zip", NULL, &g), VG_OK);
    check_member(&g, "samples.zip!sub/eicar.com", eicar, eicar_n);
    got_release(&g);
    vg_buf_release(&b);

    const struct ent t[] = {{"x/", NULL, 0, AE_IFDIR, NULL, 0, 0},
                            {"x/eicar.com", eicar, eicar_n, 0, NULL, 0, 0}};
    build(&b, "pax", "gzip", t, NENTS(t));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "t.tar.gz", NULL, &g), VG_OK);
    CHECK_EQ_STR(listing(&g), "t.tar.gz!x/eicar.com|1|68\n");
    check_member(&g, "t.tar.gz!x/eicar.com", eicar, eicar_n);
    got_release(&g);
    vg_buf_release(&b);
}

static void test_limit_depth(void)
{
    struct vg_buf b;
    struct got g;
    struct vg_archive_limits l;
    build_nest(&b, NULL);
    vg_archive_defaults(&l);
    l.max_depth = 2;
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "outer.zip", &l, &g), VG_OK);
    /* inner.zip is handed out (it is a member at depth 2) but not opened. */
    CHECK_EQ_INT(g.nm, 4);
    CHECK(find(&g, "outer.zip!mid.tar.gz!inner.zip") != NULL);
    CHECK(find(&g, "outer.zip!mid.tar.gz!inner.zip!c/d.exe") == NULL);
    CHECK(find(&g, "outer.zip!mid.tar.gz!readme.txt") != NULL);
    CHECK(find(&g, "outer.zip!top.txt") != NULL);
    CHECK_EQ_STR(g.problems.data,
                 "outer.zip!mid.tar.gz!inner.zip: limit: nested deeper than 2 levels\n");
    got_release(&g);

    l.max_depth = 1;
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "outer.zip", &l, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 2);
    CHECK_EQ_STR(g.problems.data, "outer.zip!mid.tar.gz: limit: nested deeper than 1 levels\n");
    got_release(&g);

    /* A zip nested 20 deep stops at the default depth of 16. */
    struct vg_buf cur;
    const struct ent leaf[] = {{"leaf.txt", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&cur, "zip", NULL, leaf, 1);
    for (int i = 0; i < 19; i++) {
        struct vg_buf next;
        const struct ent e[] = {{"z.zip", cur.data, cur.len, 0, NULL, 0, 0}};
        build(&next, "zip", NULL, e, 1);
        vg_buf_release(&cur);
        cur = next;
    }
    got_init(&g);
    CHECK_EQ_INT(walk(&cur, "deep.zip", NULL, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 16);
    CHECK_EQ_INT(g.nm ? g.m[g.nm - 1].depth : 0, 16);
    {
        char want[256];
        size_t w = (size_t)snprintf(want, sizeof want, "deep.zip");
        for (int i = 0; i < 16; i++)
            w += (size_t)snprintf(want + w, sizeof want - w, "!z.zip");
        snprintf(want + w, sizeof want - w, ": limit: nested deeper than 16 levels\n");
        CHECK_EQ_STR(g.problems.data, want);
    }
    got_release(&g);
    vg_buf_release(&cur);
    vg_buf_release(&b);
}

static void test_limit_member(void)
{
    static unsigned char d100[100], d101[101];
    struct vg_archive_limits l;
    pseudo_random(d100, sizeof d100, 1);
    pseudo_random(d101, sizeof d101, 2);
    const struct ent e[] = {{"a.bin", d100, 100, 0, NULL, 0, 0},
                            {"big.bin", d101, 101, 0, NULL, 0, 0},
                            {"c.bin", d100, 100, 0, NULL, 0, 0}};
    static const char *const cases[][2] = {{"gnutar", NULL}, {"gnutar", "gzip"}, {"zip", NULL},
                                           {"7zip", NULL},   {"newc", NULL},     {"pax", "xz"}};
    vg_archive_defaults(&l);
    l.max_member = 100;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct vg_buf b;
        struct got g;
        build(&b, cases[i][0], cases[i][1], e, NENTS(e));
        got_init(&g);
        CHECK_EQ_INT(walk(&b, "m", &l, &g), VG_OK);
        if (!CHECK_EQ_STR(listing(&g), "m!a.bin|1|100\nm!c.bin|1|100\n") ||
            !CHECK_EQ_STR(g.problems.data, "m!big.bin: limit: member over 100 bytes\n"))
            fprintf(stderr, "    %s/%s\n", cases[i][0], cases[i][1] ? cases[i][1] : "-");
        check_member(&g, "m!c.bin", d100, sizeof d100);
        got_release(&g);
        vg_buf_release(&b);
    }

    /* A bare stream has no declared size: found while reading. 100 is allowed. */
    struct vg_buf b;
    struct got g;
    build(&b, "raw", "gzip", &e[1], 1);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "big.gz", &l, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 0);
    CHECK_EQ_STR(g.problems.data, "big.gz!big: limit: member over 100 bytes\n");
    got_release(&g);
    vg_buf_release(&b);
    build(&b, "raw", "gzip", &e[0], 1);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "a.gz", &l, &g), VG_OK);
    check_member(&g, "a.gz!a", d100, sizeof d100);
    CHECK_EQ_STR(g.problems.data, "");
    got_release(&g);
    vg_buf_release(&b);
}

static void test_limit_total(void)
{
    static unsigned char d[3][100];
    struct vg_archive_limits l;
    struct vg_buf b, in, o;
    struct got g;
    for (int i = 0; i < 3; i++)
        pseudo_random(d[i], 100, (uint32_t)i + 10);
    const struct ent e[] = {{"a.bin", d[0], 100, 0, NULL, 0, 0},
                            {"b.bin", d[1], 100, 0, NULL, 0, 0},
                            {"c.bin", d[2], 100, 0, NULL, 0, 0},
                            {"d.bin", d[0], 100, 0, NULL, 0, 0}};
    vg_archive_defaults(&l);
    l.max_total = 250;
    build(&b, "gnutar", NULL, e, NENTS(e));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "t.tar", &l, &g), VG_OK);
    CHECK_EQ_STR(listing(&g), "t.tar!a.bin|1|100\nt.tar!b.bin|1|100\n");
    CHECK_EQ_STR(g.problems.data, "t.tar!c.bin: limit: over 250 bytes unpacked in total\n");
    got_release(&g);
    l.max_total = 300; /* exactly enough */
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "t.tar", &l, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 3);
    CHECK_EQ_STR(g.problems.data, "t.tar!d.bin: limit: over 300 bytes unpacked in total\n");
    got_release(&g);
    vg_buf_release(&b);

    /* Nested members count again: the total is over all levels, and reaching
     * it ends the whole walk, the outer archive too. */
    build(&in, "zip", NULL, e, 2);
    const struct ent oe[] = {{"in.zip", in.data, in.len, 0, NULL, 0, 0},
                             {"after.txt", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&o, "zip", NULL, oe, NENTS(oe));
    l.max_total = in.len + 150;
    got_init(&g);
    CHECK_EQ_INT(walk(&o, "o.zip", &l, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 2);
    CHECK(find(&g, "o.zip!in.zip!a.bin") != NULL);
    CHECK(find(&g, "o.zip!after.txt") == NULL);
    char want[128];
    snprintf(want, sizeof want, "o.zip!in.zip!b.bin: limit: over %zu bytes unpacked in total\n",
             in.len + 150);
    CHECK_EQ_STR(g.problems.data, want);
    got_release(&g);
    vg_buf_release(&in);
    vg_buf_release(&o);
}

static void test_limit_members(void)
{
    struct vg_archive_limits l;
    struct vg_buf b;
    struct got g;
    const struct ent e[] = {
        {"f1", "1", 1, 0, NULL, 0, 0}, {"f2", "2", 1, 0, NULL, 0, 0}, {"f3", "3", 1, 0, NULL, 0, 0},
        {"f4", "4", 1, 0, NULL, 0, 0}, {"f5", "5", 1, 0, NULL, 0, 0},
    };
    vg_archive_defaults(&l);
    l.max_members = 3;
    build(&b, "zip", NULL, e, NENTS(e));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "c.zip", &l, &g), VG_OK);
    CHECK_EQ_STR(listing(&g), "c.zip!f1|1|1\nc.zip!f2|1|1\nc.zip!f3|1|1\n");
    CHECK_EQ_STR(g.problems.data, "c.zip!f4: limit: over 3 members\n");
    got_release(&g);
    vg_buf_release(&b);

    /* Every entry counts, directories too: they cost work all the same. */
    const struct ent t[] = {{"d/", NULL, 0, AE_IFDIR, NULL, 0, 0},
                            {"d/f1", "1", 1, 0, NULL, 0, 0},
                            {"d/f2", "2", 1, 0, NULL, 0, 0},
                            {"d/f3", "3", 1, 0, NULL, 0, 0}};
    build(&b, "gnutar", NULL, t, NENTS(t));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "d.tar", &l, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 2);
    CHECK_EQ_STR(g.problems.data, "d.tar!d/f3: limit: over 3 members\n");
    got_release(&g);
    vg_buf_release(&b);

    /* And over all levels: the nest has 7 entries (c/ in inner.zip). */
    build_nest(&b, NULL);
    l.max_members = 4;
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "outer.zip", &l, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 3);
    CHECK_EQ_STR(g.problems.data, "outer.zip!mid.tar.gz!readme.txt: limit: over 4 members\n");
    got_release(&g);
    vg_buf_release(&b);
}

static void test_fn_stop(void)
{
    struct vg_buf b;
    struct got g;
    build_nest(&b, NULL);
    for (size_t at = 1; at <= 5; at++) {
        got_init(&g);
        g.stop_at = at;
        g.stop_rc = VG_EEXIST;
        CHECK_EQ_INT(walk(&b, "outer.zip", NULL, &g), VG_EEXIST);
        CHECK_EQ_INT(g.nm, at);
        got_release(&g);
    }
    /* No callbacks at all is fine. */
    CHECK_EQ_INT(vg_archive_walk((unsigned char *)b.data, b.len, NULL, NULL, NULL, NULL, NULL),
                 VG_OK);
    /* No display: "archive"; zero limits: the defaults. */
    struct vg_archive_limits zero;
    memset(&zero, 0, sizeof zero);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, NULL, &zero, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 5);
    CHECK(find(&g, "archive!mid.tar.gz!inner.zip!c/d.exe") != NULL);
    got_release(&g);
    vg_buf_release(&b);
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Walk b; it must report a bomb starting with want_problem, quickly and without memory. */
static void check_bomb(const struct vg_buf *b, const char *display,
                       const struct vg_archive_limits *l, const char *want_problem, struct got *g)
{
    long rss0 = max_rss_kb();
    double t0 = now_s();
    got_init(g);
    g->keep_data = false;
    CHECK_EQ_INT(walk(b, display, l, g), VG_OK);
    double dt = now_s() - t0;
    long grown = max_rss_kb() - rss0;
    if (!CHECK(has_problem(g, want_problem)))
        fprintf(stderr, "    want: %s\n    got:\n%s", want_problem, g->problems.data);
    if (!CHECK(dt < 5.0))
        fprintf(stderr, "    %s took %.2f s\n", display, dt);
    if (!CHECK(grown < 64 * 1024))
        fprintf(stderr, "    %s grew the peak RSS by %ld KiB\n", display, grown);
}

static void test_bombs(void)
{
    struct vg_buf b;
    struct got g;
    struct vg_archive_limits l;

    /* 200 MB of zeros in a zip, then a small member that is not reached. */
    const struct ent z[] = {{"zeros.bin", NULL, 0, 0, NULL, 200ull << 20, 0},
                            {"after.txt", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&b, "zip", NULL, z, NENTS(z));
    CHECK(b.len < (1u << 20));
    check_bomb(&b, "bomb.zip", NULL, "bomb.zip!zeros.bin: zip bomb: over 250 times its packed size",
               &g);
    CHECK_EQ_INT(g.nm, 0);
    CHECK_EQ_INT(g.np, 1);
    got_release(&g);
    vg_buf_release(&b);

    /* 50 MB of zeros in a tar.gz; with a 10 MB member limit the declared size
     * is over it first, and what is read past it is still watched. */
    const struct ent t[] = {{"zeros", NULL, 0, 0, NULL, 50ull << 20, 0},
                            {"after.txt", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&b, "gnutar", "gzip", t, NENTS(t));
    check_bomb(&b, "b.tar.gz", NULL, "b.tar.gz!zeros: zip bomb: over 250 times its packed size",
               &g);
    CHECK_EQ_INT(g.nm, 0);
    got_release(&g);
    vg_archive_defaults(&l);
    l.max_member = 10u << 20;
    check_bomb(&b, "b.tar.gz", &l, "b.tar.gz!zeros: zip bomb: over 250 times", &g);
    CHECK_PROBLEM(&g, "b.tar.gz!zeros: limit: member over 10485760 bytes\n");
    got_release(&g);
    vg_buf_release(&b);

    /* A bare gzip of 20 MB of 'A', a 7z of 20 MB of zeros (7z seeks between
     * its header and its data, so the whole input stands for the packed size). */
    const struct ent a[] = {{"data", NULL, 0, 0, NULL, 20u << 20, 'A'}};
    build(&b, "raw", "gzip", a, 1);
    check_bomb(&b, "a.txt.gz", NULL, "a.txt.gz!a.txt: zip bomb: over 250 times", &g);
    got_release(&g);
    vg_buf_release(&b);
    const struct ent s[] = {{"zeros", NULL, 0, 0, NULL, 20u << 20, 0}};
    build(&b, "7zip", NULL, s, 1);
    check_bomb(&b, "z.7z", NULL, "z.7z!zeros: zip bomb: over 250 times", &g);
    got_release(&g);
    vg_buf_release(&b);

    /* A bomb inside a tar: the tar's other members are still walked. */
    struct vg_buf inner;
    build(&inner, "zip", NULL, s, 1);
    const struct ent o[] = {{"bomb.zip", inner.data, inner.len, 0, NULL, 0, 0},
                            {"after.txt", hello, sizeof hello - 1, 0, NULL, 0, 0}};
    build(&b, "gnutar", NULL, o, NENTS(o));
    check_bomb(&b, "t.tar", NULL, "t.tar!bomb.zip!zeros: zip bomb: over 250 times", &g);
    CHECK_EQ_INT(g.nm, 2);
    CHECK(find(&g, "t.tar!bomb.zip") != NULL);
    CHECK(find(&g, "t.tar!after.txt") != NULL);
    got_release(&g);
    vg_buf_release(&b);
    vg_buf_release(&inner);

    /* Many members each under the 1 MiB the ratio needs: the archive as a whole. */
    struct ent many[40];
    char names[40][16];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "z%02d", i);
        many[i] = (struct ent){names[i], NULL, 0, 0, NULL, 900u << 10, 0};
    }
    build(&b, "zip", NULL, many, 40);
    check_bomb(&b, "many.zip", NULL, "zip bomb: the archive unpacks to over 250 times its size",
               &g);
    CHECK(g.nm < 40);
    got_release(&g);
    vg_buf_release(&b);

    /* Not bombs: 4 MiB that does not compress, 4 MiB of log-like text. */
    static unsigned char rnd[4u << 20];
    static char text[4u << 20];
    size_t tn = 0;
    pseudo_random(rnd, sizeof rnd, 7);
    for (unsigned i = 0; tn + 100 < sizeof text; i++)
        tn += (size_t)snprintf(text + tn, sizeof text - tn,
                               "2024-05-01T10:%02u:%02u host sshd[%u]: Accepted key for u%u\n",
                               i / 60 % 60, i % 60, 1000 + i % 7919, i % 13);
    const struct ent ok[] = {{"rnd.bin", rnd, sizeof rnd, 0, NULL, 0, 0},
                             {"auth.log", text, tn, 0, NULL, 0, 0}};
    build(&b, "gnutar", "gzip", ok, NENTS(ok));
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "ok.tgz", NULL, &g), VG_OK);
    CHECK_EQ_STR(g.problems.data, "");
    check_member(&g, "ok.tgz!rnd.bin", rnd, sizeof rnd);
    check_member(&g, "ok.tgz!auth.log", text, tn);
    got_release(&g);
    vg_buf_release(&b);
}

/* Paths and reasons are clean text; rc is one of the two a damaged input may give. */
static void check_sane(const struct got *g, int rc, const char *what)
{
    bool ok = rc == VG_OK || rc == VG_EPARSE;
    for (size_t i = 0; i < g->nm && i < MAXM; i++)
        ok = ok && !vg_str_has_ctl(g->m[i].path, strlen(g->m[i].path));
    /* problems: one per line, so only the newlines may be controls */
    for (const char *p = g->problems.data; *p; p++)
        ok = ok && ((unsigned char)*p >= 0x20 || *p == '\n');
    if (!CHECK(ok))
        fprintf(stderr, "    %s: rc %d\n%s%s", what, rc, listing(g), g->problems.data);
}

static void test_corrupt(void)
{
    static unsigned char r1[10000], r2[10000];
    pseudo_random(r1, sizeof r1, 3);
    pseudo_random(r2, sizeof r2, 4);
    const struct ent e[] = {{"a.bin", r1, sizeof r1, 0, NULL, 0, 0},
                            {"b.bin", r2, sizeof r2, 0, NULL, 0, 0}};
    static const char *const kinds[][3] = {
        {"gnutar", NULL, "c.tar"},  {"gnutar", "gzip", "c.tgz"}, {"gnutar", "bzip2", "c.tbz"},
        {"gnutar", "xz", "c.txz"},  {"zip", NULL, "c.zip"},      {"7zip", NULL, "c.7z"},
        {"newc", NULL, "c.cpio"},   {"raw", "gzip", "c.gz"},     {"arsvr4", NULL, "c.a"},
        {"iso9660", NULL, "c.iso"}, {"raw", "xz", "c.xz"},       {"gnutar", "zstd", "c.tzst"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        struct vg_buf b;
        struct got g;
        int rc;
        bool raw = strcmp(kinds[k][0], "raw") == 0;
        build(&b, kinds[k][0], kinds[k][1], e, raw ? 1 : NENTS(e));
        /* Cut in half: a problem, and for the stored formats the first member kept. */
        got_init(&g);
        rc = vg_archive_walk((unsigned char *)b.data, b.len / 2, kinds[k][2], NULL, on_member,
                             on_problem, &g);
        check_sane(&g, rc, kinds[k][2]);
        /* (libarchive pads an ISO image with 300 KB: half of it holds all the files) */
        if (strcmp(kinds[k][2], "c.iso") != 0 && !CHECK(g.np >= 1))
            fprintf(stderr, "    %s cut in half: no problem (rc %d)\n%s", kinds[k][2], rc,
                    listing(&g));
        if (strcmp(kinds[k][2], "c.tar") == 0 || strcmp(kinds[k][2], "c.cpio") == 0) {
            char p[64];
            snprintf(p, sizeof p, "%s!a.bin", kinds[k][2]);
            check_member(&g, p, r1, sizeof r1);
            /* (cpio is cut inside b.bin's header: the problem is the archive's) */
            if (!CHECK(g.np == 1 && strstr(g.problems.data, ": error: ") != NULL))
                fprintf(stderr, "    %s:\n%s", kinds[k][2], g.problems.data);
        }
        got_release(&g);
        /* Cut everywhere, flip bytes everywhere: no crash, clean text. */
        for (size_t cut = 1; cut < 32; cut++) {
            got_init(&g);
            g.keep_data = false;
            rc = vg_archive_walk((unsigned char *)b.data, b.len * cut / 32, kinds[k][2], NULL,
                                 on_member, on_problem, &g);
            check_sane(&g, rc, kinds[k][2]);
            got_release(&g);
        }
        for (size_t i = 0; i < 48; i++) {
            unsigned char *c = malloc(b.len);
            size_t at = i < 16 ? i * 7 : b.len * i / 48;
            memcpy(c, b.data, b.len);
            c[at % b.len] ^= 0x55;
            c[(at * 31 + 5) % b.len] ^= 0xff;
            got_init(&g);
            g.keep_data = false;
            rc = vg_archive_walk(c, b.len, kinds[k][2], NULL, on_member, on_problem, &g);
            check_sane(&g, rc, kinds[k][2]);
            got_release(&g);
            free(c);
        }
        vg_buf_release(&b);
    }

    /* A bad CRC in a stored zip member: that member is a problem, the next one is read. */
    struct vg_buf b;
    struct got g;
    build_opts(&b, "zip", NULL, "zip:compression=store", NULL, e, NENTS(e), NULL);
    unsigned char *p = memmem(b.data, b.len, r1 + 5000, 16);
    if (CHECK(p != NULL)) {
        *p ^= 1;
        got_init(&g);
        CHECK_EQ_INT(walk(&b, "crc.zip", NULL, &g), VG_OK);
        CHECK_EQ_STR(listing(&g), "crc.zip!b.bin|1|10000\n");
        CHECK(strncmp(g.problems.data, "crc.zip!a.bin: error: ", 22) == 0);
        got_release(&g);
    }
    vg_buf_release(&b);
}

static void test_not_archive(void)
{
    static const char text[] = "Dear all,\nthe meeting is moved to 3 pm.\n";
    static unsigned char rnd[4096];
    struct got g;
    CHECK(!vg_archive_sniff((const unsigned char *)text, sizeof text - 1));
    got_init(&g);
    CHECK_EQ_INT(vg_archive_walk((const unsigned char *)text, sizeof text - 1, "note.txt", NULL,
                                 on_member, on_problem, &g),
                 VG_EPARSE);
    CHECK_EQ_INT(g.nm, 0);
    CHECK_EQ_INT(g.np, 0);
    CHECK_EQ_INT(
        vg_archive_walk((const unsigned char *)text, 0, "e", NULL, on_member, on_problem, &g),
        VG_EPARSE);
    CHECK_EQ_INT(vg_archive_walk(NULL, 10, "e", NULL, on_member, on_problem, &g), VG_EPARSE);
    pseudo_random(rnd, sizeof rnd, 5);
    rnd[0] = 'x';
    CHECK_EQ_INT(vg_archive_walk(rnd, sizeof rnd, "r.bin", NULL, on_member, on_problem, &g),
                 VG_EPARSE);
    CHECK_EQ_INT(g.np, 0);
    got_release(&g);

    /* Looks like an archive but is not one libarchive reads: a problem says so. */
    static const char *const fakes[] = {"PK\x03\x04 this is not a zip at all........",
                                        "\x1f\x8b\x08\x00 nor a gzip stream, truly.......",
                                        "7z\xbc\xaf\x27\x1c and no 7z either ............"};
    for (size_t i = 0; i < 3; i++) {
        int rc;
        got_init(&g);
        rc = vg_archive_walk((const unsigned char *)fakes[i], strlen(fakes[i]), "fake", NULL,
                             on_member, on_problem, &g);
        CHECK(rc == VG_OK || rc == VG_EPARSE);
        CHECK_EQ_INT(g.nm, 0);
        if (!CHECK(g.np >= 1 && strncmp(g.problems.data, "fake: error: ", 13) == 0))
            fprintf(stderr, "    fake %zu: %s\n", i, g.problems.data);
        got_release(&g);
    }
}

static void test_encrypted(void)
{
    struct vg_buf b;
    struct got g;
    const struct ent e[] = {{"a.txt", hello, sizeof hello - 1, 0, NULL, 0, 0},
                            {"s/eicar.com", eicar, eicar_n, 0, NULL, 0, 0}};
    build_opts(&b, "zip", NULL, "zip:encryption=zipcrypt", "secret", e, NENTS(e), "zipcrypt.zip");
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "enc.zip", NULL, &g), VG_OK);
    CHECK_EQ_INT(g.nm, 0);
    CHECK_EQ_STR(g.problems.data, "enc.zip!a.txt: encrypted\nenc.zip!s/eicar.com: encrypted\n");
    got_release(&g);
    vg_buf_release(&b);

    /* AES (WinZip AE-2) too, where libarchive was built with a crypto library. */
    struct archive *probe = archive_write_new();
    bool aes = archive_write_set_format_zip(probe) == ARCHIVE_OK &&
               archive_write_set_options(probe, "zip:encryption=aes256") == ARCHIVE_OK;
    archive_write_free(probe);
    if (aes) {
        build_opts(&b, "zip", NULL, "zip:encryption=aes256", "secret", e, 1, NULL);
        got_init(&g);
        CHECK_EQ_INT(walk(&b, "aes.zip", NULL, &g), VG_OK);
        CHECK_EQ_STR(g.problems.data, "aes.zip!a.txt: encrypted\n");
        got_release(&g);
        vg_buf_release(&b);
    }

    /* A plain member next to an encrypted one: test_oracle, with Info-ZIP. */
}

static void test_names(void)
{
    static char longname[5001];
    char want_long[4200];
    memset(longname, 'n', 5000);
    longname[5000] = '\0';
    static const char *const names[][2] = {
        {"a\x01"
         "b\nc.txt",
         "abc.txt"},
        {"\xe2\x80\xae"
         "fdp.exe",
         "fdp.exe"},                 /* RIGHT-TO-LEFT OVERRIDE */
        {"caf\xe9.txt", "caf?.txt"}, /* latin-1, not UTF-8 */
        {"\xc2\x85x.txt", "x.txt"},  /* C1 control NEL */
        {"\x7f\x1b[31mred", "[31mred"},
        {"t\xc3\xa0i li\xe1\xbb\x87u/b\xc3\xa1o c\xc3\xa1o.docx",
         "t\xc3\xa0i li\xe1\xbb\x87u/b\xc3\xa1o c\xc3\xa1o.docx"},
        {"\x01\x02", "?"},
        {"over\xc0\xaflong", "over??long"},
        {"\xed\xa0\x80sur", "???sur"}, /* a UTF-16 surrogate */
    };
    struct ent e[16];
    size_t ne = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        e[ne++] = (struct ent){names[i][0], hello, 3, 0, NULL, 0, 0};
    e[ne++] = (struct ent){longname, hello, 3, 0, NULL, 0, 0};
    struct vg_buf b;
    struct got g;
    build(&b, "gnutar", NULL, e, ne);
    got_init(&g);
    CHECK_EQ_INT(walk(&b, "n.tar", NULL, &g), VG_OK);
    CHECK_EQ_INT(g.nm, ne);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char want[256];
        snprintf(want, sizeof want, "n.tar!%s", names[i][1]);
        if (!CHECK(find(&g, want) != NULL))
            fprintf(stderr, "    no member '%s' in:\n%s", want, listing(&g));
    }
    memset(want_long, 0, sizeof want_long);
    memcpy(want_long, "n.tar!", 6);
    memset(want_long + 6, 'n', 4096);
    memcpy(want_long + 6 + 4096, "...", 3);
    CHECK(find(&g, want_long) != NULL);
    for (size_t i = 0; i < g.nm && i < MAXM; i++)
        CHECK(!vg_str_has_ctl(g.m[i].path, strlen(g.m[i].path)));
    got_release(&g);
    vg_buf_release(&b);

    /* Vietnamese names in zip and 7z come out whole although this process
     * runs in the C locale (libarchive gives no name there). */
    static const char vn[] = "t\xc3\xa0i li\xe1\xbb\x87u/b\xc3\xa1o c\xc3\xa1o.docx";
    const struct ent v[] = {{vn, hello, 3, 0, NULL, 0, 0}};
    static const char *const fmts[] = {"zip", "7zip", "pax", "newc"};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        char want[128];
        build(&b, fmts[i], NULL, v, 1);
        got_init(&g);
        CHECK_EQ_INT(walk(&b, "vn", NULL, &g), VG_OK);
        snprintf(want, sizeof want, "vn!%s", vn);
        if (!CHECK(find(&g, want) != NULL))
            fprintf(stderr, "    %s:\n%s%s", fmts[i], listing(&g), g.problems.data);
        got_release(&g);
        vg_buf_release(&b);
    }
}

static void test_links(void)
{
    struct vg_buf b;
    struct got g;
    const struct ent e[] = {{"d/", NULL, 0, AE_IFDIR, NULL, 0, 0},
                            {"d/f.txt", hello, sizeof hello - 1, 0, NULL, 0, 0},
                            {"d/hard", NULL, 0, 0, "d/f.txt", 0, 0},
                            {"d/sym", NULL, 0, AE_IFLNK, "f.txt", 0, 0},
                            {"d/g.txt", "g", 1, 0, NULL, 0, 0}};
    /* (zip and 7z have no hard links: their writer stores an empty file) */
    static const char *const fmts[] = {"gnutar", "pax", "ustar"};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        build(&b, fmts[i], NULL, e, NENTS(e));
        got_init(&g);
        CHECK_EQ_INT(walk(&b, "l", NULL, &g), VG_OK);
        if (!CHECK_EQ_STR(listing(&g), "l!d/f.txt|1|15\nl!d/g.txt|1|1\n"))
            fprintf(stderr, "    %s\n", fmts[i]);
        got_release(&g);
        vg_buf_release(&b);
    }
}

/* ---- threads ---------------------------------------------------------------- */

struct thread_job {
    const struct vg_buf *b;
    const char *want;
    int bad;
};

static int sig_member(void *ctx, const char *path, const unsigned char *data, size_t n, int depth)
{
    struct vg_buf *s = ctx;
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum = sum * 31 + data[i];
    vg_buf_addf(s, "%s|%d|%zu|%u\n", path, depth, n, sum);
    return VG_OK;
}

static void *thread_main(void *arg)
{
    struct thread_job *j = arg;
    for (int i = 0; i < 25; i++) {
        struct vg_buf s;
        vg_buf_init(&s, VG_BUF_NOLIMIT);
        if (vg_archive_walk((unsigned char *)j->b->data, j->b->len, "outer.zip", NULL, sig_member,
                            NULL, &s) != VG_OK ||
            strcmp(s.data, j->want) != 0)
            j->bad++;
        vg_buf_release(&s);
    }
    return NULL;
}

static void test_threads(void)
{
    struct vg_buf b, want;
    pthread_t th[8];
    struct thread_job jobs[8];
    build_nest(&b, NULL);
    vg_buf_init(&want, VG_BUF_NOLIMIT);
    CHECK_EQ_INT(
        vg_archive_walk((unsigned char *)b.data, b.len, "outer.zip", NULL, sig_member, NULL, &want),
        VG_OK);
    for (int i = 0; i < 8; i++) {
        jobs[i] = (struct thread_job){&b, want.data, 0};
        CHECK_EQ_INT(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(jobs[i].bad, 0);
    }
    vg_buf_release(&want);
    vg_buf_release(&b);
}

/* ---- the real tools as oracle ------------------------------------------------- */

static char tmp_dir[PATH_MAX];

static const char *tmp_path(void)
{
    if (!tmp_dir[0]) {
        const char *base = getenv("VG_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        if (mkdir(base, 0700) != 0 && errno != EEXIST)
            base = "/tmp";
        snprintf(tmp_dir, sizeof tmp_dir, "%s/test_scan_archive.XXXXXX", base);
        if (!mkdtemp(tmp_dir)) {
            fprintf(stderr, "cannot create a temporary directory under %s: %s\n", base,
                    strerror(errno));
            exit(2);
        }
    }
    return tmp_dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Run argv in dir with a UTF-8 locale, its standard output into out (NULL:
 * dropped). Returns its exit status; 127 when it could not be run. */
static int run(const char *dir, char *const argv[], struct vg_buf *out)
{
    int fds[2], st = 0;
    pid_t pid;
    char chunk[4096];
    ssize_t k;
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        setenv("LC_ALL", "C.UTF-8", 1);
        if (dir && chdir(dir) != 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    while ((k = read(fds[0], chunk, sizeof chunk)) > 0 || (k < 0 && errno == EINTR))
        if (k > 0 && out)
            vg_buf_add(out, chunk, (size_t)k);
    close(fds[0]);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_file(const char *dir, const char *name, const void *data, size_t n)
{
    char path[PATH_MAX];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n) {
        fprintf(stderr, "cannot write '%s': %s\n", path, strerror(errno));
        exit(2);
    }
    fclose(f);
}

static void read_file(const char *dir, const char *name, struct vg_buf *out)
{
    char path[PATH_MAX];
    FILE *f;
    char chunk[65536];
    size_t k;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    vg_buf_init(out, VG_BUF_NOLIMIT);
    f = fopen(path, "rb");
    if (!f)
        return;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        vg_buf_add(out, chunk, k);
    fclose(f);
}

/* The oracle's listing (one name a line; directories, ending in '/', left
 * out) as the walker's listing of display, each member's bytes read from
 * the tree under dir. */
static void check_oracle(const char *dir, const char *display, const char *list,
                         const struct got *g, const char *tool)
{
    struct vg_buf want;
    size_t i = 0;
    vg_buf_init(&want, VG_BUF_NOLIMIT);
    for (const char *p = list; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && p[n - 1] != '/') {
            struct vg_buf disk;
            char name[PATH_MAX];
            snprintf(name, sizeof name, "%.*s", (int)n, p);
            read_file(dir, name, &disk);
            vg_buf_addf(&want, "%s!%s|1|%zu\n", display, name, disk.len);
            if (i < g->nm && i < MAXM && g->m[i].data && g->m[i].n == disk.len)
                CHECK_EQ_MEM((const char *)g->m[i].data, g->m[i].n, disk.data, disk.len);
            vg_buf_release(&disk);
            i++;
        }
        p += n + (nl ? 1 : 0);
    }
    if (!CHECK_EQ_STR(listing(g), want.data))
        fprintf(stderr, "    oracle: %s\n", tool);
    CHECK(want.len > 0);
    vg_buf_release(&want);
}

static void test_oracle(void)
{
    const char *dir = tmp_path();
    char src[PATH_MAX], path[PATH_MAX], longname[160];
    static unsigned char tool[5000];
    struct vg_buf list, b;
    struct got g;
    int rc;

    /* A tree with awkward names. */
    snprintf(src, sizeof src, "%s/src", dir);
    mkdir(src, 0755);
    snprintf(path, sizeof path, "%s/bin", src);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/deep", src);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/deep/a", src);
    mkdir(path, 0755);
    pseudo_random(tool, sizeof tool, 9);
    write_file(src, "readme.txt", hello, sizeof hello - 1);
    write_file(src, "bin/tool.exe", tool, sizeof tool);
    write_file(src, "with space.txt", "s", 1);
    write_file(src, "t\xc3\xa0i li\xe1\xbb\x87u.txt", "vn", 2);
    write_file(src, "empty", "", 0);
    write_file(src, "eicar.com", eicar, eicar_n);
    memset(longname, 'L', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    memcpy(longname + sizeof longname - 5, ".txt", 4);
    snprintf(path, sizeof path, "deep/a/%s", longname);
    write_file(src, path, "long", 4);

    /* tar, plain and gzipped (GNU tar: long names as GNU long links). */
    static const char *const tars[][2] = {
        {"o.tar", "-cf"}, {"o.tgz", "-czf"}, {"o.tar.xz", "-cJf"}};
    for (size_t t = 0; t < sizeof tars / sizeof tars[0]; t++) {
        char *const mk[] = {"tar", (char *)tars[t][1], (char *)tars[t][0], "src", NULL};
        char *const ls[] = {"tar", "--quoting-style=literal", "-tf", (char *)tars[t][0], NULL};
        if ((rc = run(dir, mk, NULL)) == 127) {
            fprintf(stderr, "test_oracle: no tar, skipped\n");
            return;
        }
        CHECK_EQ_INT(rc, 0);
        vg_buf_init(&list, VG_BUF_NOLIMIT);
        CHECK_EQ_INT(run(dir, ls, &list), 0);
        read_file(dir, tars[t][0], &b);
        got_init(&g);
        CHECK_EQ_INT(walk(&b, tars[t][0], NULL, &g), VG_OK);
        check_oracle(dir, tars[t][0], list.data, &g, tars[t][1]);
        CHECK_EQ_STR(g.problems.data, "");
        got_release(&g);
        vg_buf_release(&b);
        vg_buf_release(&list);
    }

    /* Info-ZIP's zip, listed by unzip. */
    {
        char *const mk[] = {"zip", "-q", "-r", "o.zip", "src", NULL};
        char *const ls[] = {"unzip", "-Z1", "o.zip", NULL};
        if ((rc = run(dir, mk, NULL)) != 127) {
            CHECK_EQ_INT(rc, 0);
            vg_buf_init(&list, VG_BUF_NOLIMIT);
            CHECK_EQ_INT(run(dir, ls, &list), 0);
            read_file(dir, "o.zip", &b);
            got_init(&g);
            CHECK_EQ_INT(walk(&b, "o.zip", NULL, &g), VG_OK);
            check_oracle(dir, "o.zip", list.data, &g, "zip");
            CHECK(find(&g, "o.zip!src/eicar.com") != NULL);
            got_release(&g);
            vg_buf_release(&b);
            vg_buf_release(&list);
        }
    }

    /* Info-ZIP: an encrypted member next to a plain one; the plain one is read. */
    {
        char *const enc[] = {"zip", "-q", "-P", "secret", "m.zip", "src/eicar.com", NULL};
        char *const add[] = {"zip", "-q", "m.zip", "src/readme.txt", NULL};
        if (run(dir, enc, NULL) == 0 && run(dir, add, NULL) == 0) {
            read_file(dir, "m.zip", &b);
            got_init(&g);
            CHECK_EQ_INT(walk(&b, "m.zip", NULL, &g), VG_OK);
            CHECK_EQ_STR(listing(&g), "m.zip!src/readme.txt|1|15\n");
            CHECK_EQ_STR(g.problems.data, "m.zip!src/eicar.com: encrypted\n");
            got_release(&g);
            vg_buf_release(&b);
        }
    }

    /* Info-ZIP's streamed zip (sizes after the data, no seeking back). */
    {
        char *const mk[] = {"sh", "-c", "cat src/bin/tool.exe | zip -q - - > s.zip", NULL};
        if (run(dir, mk, NULL) == 0) {
            read_file(dir, "s.zip", &b);
            got_init(&g);
            CHECK_EQ_INT(walk(&b, "s.zip", NULL, &g), VG_OK);
            check_member(&g, "s.zip!-", tool, sizeof tool);
            got_release(&g);
            vg_buf_release(&b);
        }
    }

    /* Bare streams from gzip, bzip2, xz and zstd. */
    static const char *const comp[][2] = {
        {"gzip", ".gz"}, {"bzip2", ".bz2"}, {"xz", ".xz"}, {"zstd", ".zst"}};
    for (size_t c = 0; c < sizeof comp / sizeof comp[0]; c++) {
        char *const mk[] = {(char *)comp[c][0], "-c", "-q", "src/bin/tool.exe", NULL};
        char display[64];
        vg_buf_init(&b, VG_BUF_NOLIMIT);
        if ((rc = run(dir, mk, &b)) == 127) {
            vg_buf_release(&b);
            continue;
        }
        CHECK_EQ_INT(rc, 0);
        snprintf(display, sizeof display, "tool.exe%s", comp[c][1]);
        CHECK(vg_archive_sniff((unsigned char *)b.data, b.len));
        got_init(&g);
        CHECK_EQ_INT(walk(&b, display, NULL, &g), VG_OK);
        CHECK_EQ_INT(g.nm, 1);
        check_member(&g, g.nm ? g.m[0].path : "", tool, sizeof tool);
        CHECK(g.nm == 1 && strcmp(g.m[0].path + strlen(display), "!tool.exe") == 0);
        got_release(&g);
        vg_buf_release(&b);
    }

    /* ar (binutils), listed by ar t. */
    {
        char *const mk[] = {"ar", "rc", "o.a", "src/readme.txt", "src/bin/tool.exe", NULL};
        char *const ls[] = {"ar", "t", "o.a", NULL};
        if ((rc = run(dir, mk, NULL)) != 127) {
            CHECK_EQ_INT(rc, 0);
            vg_buf_init(&list, VG_BUF_NOLIMIT);
            CHECK_EQ_INT(run(dir, ls, &list), 0);
            CHECK_EQ_STR(list.data, "readme.txt\ntool.exe\n");
            read_file(dir, "o.a", &b);
            got_init(&g);
            CHECK_EQ_INT(walk(&b, "o.a", NULL, &g), VG_OK);
            CHECK_EQ_STR(listing(&g), "o.a!readme.txt|1|15\no.a!tool.exe|1|5000\n");
            check_member(&g, "o.a!tool.exe", tool, sizeof tool);
            got_release(&g);
            vg_buf_release(&b);
            vg_buf_release(&list);
        }
    }
}

/* With VG_ARCHIVE_SEEDS set, a few more seeds that no test above keeps. */
static void test_seeds(void)
{
    struct vg_buf b;
    if (!seed_dir())
        return;
    const struct ent bomb[] = {{"zeros", NULL, 0, 0, NULL, 3u << 20, 0}};
    build_opts(&b, "zip", NULL, NULL, NULL, bomb, 1, "bomb-3m.zip");
    vg_buf_release(&b);
    const struct ent small[] = {{"a.txt", hello, sizeof hello - 1, 0, NULL, 0, 0},
                                {"ln", NULL, 0, AE_IFLNK, "a.txt", 0, 0},
                                {"x/b.bin", bin768, 256, 0, NULL, 0, 0}};
    /* (no EICAR in a seed: the corpus is committed, and must not trip a scanner) */
    build_opts(&b, "gnutar", NULL, NULL, NULL, small, NENTS(small), "gnutar.tar");
    vg_buf_release(&b);
}

static void cleanup(void)
{
    if (tmp_dir[0])
        nftw(tmp_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const struct test_case tests[] = {
    {"defaults", test_defaults},
    {"sniff", test_sniff},
    {"formats", test_formats},
    {"zip_store", test_zip_store},
    {"streams", test_streams},
    {"nested", test_nested},
    {"eicar", test_eicar},
    {"limit_depth", test_limit_depth},
    {"limit_member", test_limit_member},
    {"limit_total", test_limit_total},
    {"limit_members", test_limit_members},
    {"fn_stop", test_fn_stop},
    {"bombs", test_bombs},
    {"corrupt", test_corrupt},
    {"not_archive", test_not_archive},
    {"encrypted", test_encrypted},
    {"names", test_names},
    {"links", test_links},
    {"threads", test_threads},
    {"oracle", test_oracle},
    {"seeds", test_seeds},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc;
    fixtures();
    rc = test_main(argc, argv, tests);
    cleanup();
    return rc;
}
