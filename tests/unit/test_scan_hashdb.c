/*
 * test_scan_hashdb.c - unit tests for the hash-indicator set
 * (lib/scan/hashdb.c): ClamAV .hdb/.hsb parsing (sizes, "*", functionality
 * levels, CRLF, BOM, comments, a last line without a newline), every kind of
 * bad line with its file:line message, all or nothing and skip_bad,
 * duplicates, wants() by type and size, lookups by size, the version across
 * add orders, a large set against a model, lookups from several threads,
 * loading the current feeds from a store, and an oracle test against the
 * md5sum, sha1sum and sha256sum of coreutils, run through a pipe.
 *
 * Temporary files go under $VG_TEST_TMP (ctest sets it) or /tmp, in a
 * directory made with mkdtemp and removed at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "core/err.h"
#include "intel/intel.h"
#include "scan/scan.h"
#include "store/store.h"

#include "test.h"

#include "core/banned.h"

#define LIT(s) (s), sizeof(s) - 1

/* ---- helpers ------------------------------------------------------------------------- */

static const size_t DLEN[3] = {16, 20, 32};

/* Hex text to bytes (the test's own decoder); exits on bad test data. */
static size_t unhex(const char *hex, unsigned char *out)
{
    size_t n = strlen(hex);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + (size_t)k];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= (unsigned)(c - 'A' + 10);
            else {
                fprintf(stderr, "bad hex in a test: %s\n", hex);
                exit(2);
            }
        }
        out[i] = (unsigned char)v;
    }
    return n / 2;
}

static int type_of_hex(const char *hex)
{
    size_t n = strlen(hex);
    return n == 32 ? VG_HASH_MD5 : n == 40 ? VG_HASH_SHA1 : VG_HASH_SHA256;
}

/* Look a hex digest up; the entry or NULL. */
static const struct vg_hash_entry *look(const struct vg_hashdb *db, const char *hex, int64_t size)
{
    unsigned char d[32];
    unhex(hex, d);
    return vg_hashdb_lookup(db, type_of_hex(hex), d, size);
}

/* The name found for hex at size, or "" when nothing is found. */
static const char *name_at(const struct vg_hashdb *db, const char *hex, int64_t size)
{
    const struct vg_hash_entry *e = look(db, hex, size);
    return e ? e->name : "";
}

static int add_hex(struct vg_hashdb *db, const char *hex, int64_t size, const char *name,
                   const char *source)
{
    unsigned char d[32];
    unhex(hex, d);
    return vg_hashdb_add(db, type_of_hex(hex), d, size, name, source);
}

static struct vg_hashdb *parsed(const char *text, size_t n, const char *display, size_t *added)
{
    struct vg_hashdb *db = vg_hashdb_new();
    struct vg_error e = {0};
    int rc = vg_hashdb_parse_clamav(db, text, n, display, false, added, NULL, &e);
    if (rc != VG_OK)
        fprintf(stderr, "parse failed: %s\n", e.msg);
    CHECK_EQ_INT(rc, VG_OK);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    return db;
}

static uint64_t rng_state = 0x243f6a8885a308d3u;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void rnd_bytes(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)rnd();
}

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Known digests of "abc" (FIPS 180 / RFC 1321 test vectors). */
#define MD5_ABC "900150983cd24fb0d6963f7d28e17f72"
#define SHA1_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define MD5_EMPTY "d41d8cd98f00b204e9800998ecf8427e"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- the API directly ------------------------------------------------------------------- */

static void test_add_lookup(void)
{
    struct vg_hashdb *db = vg_hashdb_new();
    unsigned char d[32];
    CHECK(db != NULL);
    CHECK_EQ_INT(vg_hashdb_count(db), 0);
    CHECK_EQ_INT(add_hex(db, MD5_ABC, 3, "Abc.Md5", "t.hdb"), VG_OK);
    CHECK_EQ_INT(add_hex(db, SHA1_ABC, -1, "Abc.Sha1", "t.hsb"), VG_OK);
    CHECK_EQ_INT(add_hex(db, SHA256_ABC, 3, "Abc.Sha256.3", "t.hsb"), VG_OK);
    CHECK_EQ_INT(add_hex(db, SHA256_ABC, -1, "Abc.Sha256.any", "t.hsb"), VG_OK);
    CHECK_EQ_INT(add_hex(db, SHA256_ABC, 7, "Abc.Sha256.7", "t.hsb"), VG_OK);
    CHECK_EQ_INT(add_hex(db, MD5_EMPTY, 0, NULL, NULL), VG_OK);
    CHECK_EQ_INT(add_hex(db, SHA1_ABC, 0, "", "s"), VG_OK);
    CHECK_EQ_INT(vg_hashdb_count(db), 7);

    /* Nothing is found or wanted before the build. */
    CHECK(look(db, MD5_ABC, 3) == NULL);
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, 3));
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK); /* again: a no-op */
    CHECK_EQ_INT(vg_hashdb_count(db), 7);

    /* Exact sizes. */
    CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "Abc.Md5");
    CHECK_EQ_STR(look(db, MD5_ABC, 3)->source, "t.hdb");
    CHECK_EQ_INT(look(db, MD5_ABC, 3)->size, 3);
    CHECK(look(db, MD5_ABC, 4) == NULL);
    CHECK(look(db, MD5_ABC, 0) == NULL);
    /* Upper-case hex in the test is the same digest. */
    CHECK_EQ_STR(name_at(db, "900150983CD24FB0D6963F7D28E17F72", 3), "Abc.Md5");
    /* Any size. */
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "Abc.Sha1");
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 123456789), "Abc.Sha1");
    CHECK_EQ_INT(look(db, SHA1_ABC, 5)->size, -1);
    /* An exact size wins over any size; other sizes fall back to any. */
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 3), "Abc.Sha256.3");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 7), "Abc.Sha256.7");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 5), "Abc.Sha256.any");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 0), "Abc.Sha256.any");
    /* Unknown size: any entry of the digest, the any-size one first. */
    CHECK_EQ_STR(name_at(db, SHA256_ABC, -1), "Abc.Sha256.any");
    CHECK_EQ_STR(name_at(db, MD5_ABC, -1), "Abc.Md5");
    /* A NULL name is the hex digest; a NULL source is "". */
    CHECK_EQ_STR(name_at(db, MD5_EMPTY, 0), MD5_EMPTY);
    CHECK_EQ_STR(look(db, MD5_EMPTY, 0)->source, "");
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 0), SHA1_ABC); /* so is an empty name */
    /* The same bytes under another type are another digest. */
    unhex(MD5_ABC, d);
    memset(d + 16, 0, 16);
    CHECK(vg_hashdb_lookup(db, VG_HASH_SHA256, d, 3) == NULL);
    CHECK(vg_hashdb_lookup(db, VG_HASH_SHA1, d, 3) == NULL);
    /* Misses and bad arguments. */
    CHECK(look(db, SHA256_EMPTY, 0) == NULL);
    CHECK(vg_hashdb_lookup(db, 3, d, 3) == NULL);
    CHECK(vg_hashdb_lookup(db, -1, d, 3) == NULL);
    CHECK(vg_hashdb_lookup(db, VG_HASH_MD5, NULL, 3) == NULL);
    CHECK(vg_hashdb_lookup(NULL, VG_HASH_MD5, d, 3) == NULL);

    /* The set is read-only once built. */
    CHECK_EQ_INT(add_hex(db, SHA256_EMPTY, 0, "late", "x"), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_count(db), 7);
    vg_hashdb_free(db);

    db = vg_hashdb_new();
    unhex(MD5_ABC, d);
    CHECK_EQ_INT(vg_hashdb_add(db, 3, d, 1, "x", "y"), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_add(db, -1, d, 1, "x", "y"), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_add(db, VG_HASH_MD5, NULL, 1, "x", "y"), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_add(db, VG_HASH_MD5, d, -2, "x", "y"), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_add(NULL, VG_HASH_MD5, d, 1, "x", "y"), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_count(db), 0);
    /* An empty set builds and finds nothing. */
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK(vg_hashdb_lookup(db, VG_HASH_MD5, d, 3) == NULL);
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, 3));
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, -1));
    vg_hashdb_free(db);
    vg_hashdb_free(NULL);
    CHECK_EQ_INT(vg_hashdb_count(NULL), 0);
    CHECK_EQ_INT(vg_hashdb_build(NULL), VG_EINVAL);
    CHECK(!vg_hashdb_wants(NULL, VG_HASH_MD5, 3));
}

static void test_duplicates(void)
{
    struct vg_hashdb *db = vg_hashdb_new();
    struct vg_error e = {0};
    size_t added = 99, skipped = 99;
    CHECK_EQ_INT(add_hex(db, MD5_ABC, 3, "First", "a"), VG_OK);
    CHECK_EQ_INT(add_hex(db, MD5_ABC, 3, "Second", "b"), VG_OK); /* kept: the first */
    CHECK_EQ_INT(vg_hashdb_count(db), 1);
    CHECK_EQ_INT(add_hex(db, MD5_ABC, 4, "OtherSize", "a"), VG_OK); /* another entry */
    CHECK_EQ_INT(add_hex(db, MD5_ABC, -1, "AnySize", "a"), VG_OK);  /* another entry */
    CHECK_EQ_INT(vg_hashdb_count(db), 3);
    /* In a file: a line repeated, and a line that repeats an entry already held. */
    CHECK_EQ_INT(vg_hashdb_parse_clamav(db,
                                        LIT(MD5_ABC ":3:FromFile\n" SHA1_ABC ":3:S1\n" SHA1_ABC
                                                    ":3:S1again\n" SHA1_ABC ":3:S1\n"),
                                        "dup.hdb", false, &added, &skipped, &e),
                 VG_OK);
    CHECK_EQ_INT(added, 1);
    CHECK_EQ_INT(skipped, 0);
    CHECK_EQ_INT(vg_hashdb_count(db), 4);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "First");
    CHECK_EQ_STR(look(db, MD5_ABC, 3)->source, "a");
    CHECK_EQ_STR(name_at(db, MD5_ABC, 4), "OtherSize");
    CHECK_EQ_STR(name_at(db, MD5_ABC, 5), "AnySize");
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "S1");
    CHECK_EQ_STR(look(db, SHA1_ABC, 3)->source, "dup.hdb");
    vg_hashdb_free(db);
}

/* ---- ClamAV formats ------------------------------------------------------------------------ */

static void test_parse_formats(void)
{
    size_t added = 0;
    struct vg_hashdb *db;
    /* An .hdb as ClamAV ships it, with a comment and a blank line. */
    db = parsed(LIT("# main.hdb\n" MD5_ABC ":3:Win.Trojan.Abc-1\n"
                    "\n" MD5_EMPTY ":0:Empty.File-0\n"),
                "main.hdb", &added);
    CHECK_EQ_INT(added, 2);
    CHECK_EQ_INT(vg_hashdb_count(db), 2);
    CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "Win.Trojan.Abc-1");
    CHECK_EQ_STR(look(db, MD5_ABC, 3)->source, "main.hdb");
    CHECK_EQ_STR(name_at(db, MD5_EMPTY, 0), "Empty.File-0");
    CHECK(look(db, MD5_EMPTY, 1) == NULL);
    vg_hashdb_free(db);

    /* An .hsb: SHA-1 and SHA-256, "*" with its level, levels on numbered sizes, upper case. */
    db = parsed(LIT(SHA1_ABC ":3:Sha1.Abc\n" SHA256_ABC ":*:Sha256.Abc.Any:73\n"
                             "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
                             ":0:Sha256.Empty:51:255\n"),
                "daily.hsb", &added);
    CHECK_EQ_INT(added, 3);
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "Sha1.Abc");
    CHECK(look(db, SHA1_ABC, 4) == NULL);
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 3), "Sha256.Abc.Any");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 1 << 30), "Sha256.Abc.Any");
    CHECK_EQ_INT(look(db, SHA256_ABC, 9)->size, -1);
    CHECK_EQ_STR(name_at(db, SHA256_EMPTY, 0), "Sha256.Empty");
    vg_hashdb_free(db);

    /* "*" without a level (accepted, unlike ClamAV), MD5 in an .hsb and SHA-256 in an .hdb. */
    db = parsed(LIT(MD5_ABC ":*:Md5.Any\n" SHA256_ABC ":3:Sha.In.Hdb\n"), "mixed.hdb", &added);
    CHECK_EQ_INT(added, 2);
    CHECK_EQ_STR(name_at(db, MD5_ABC, 77), "Md5.Any");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 3), "Sha.In.Hdb");
    vg_hashdb_free(db);

    /* CRLF, a byte-order mark, spaces around fields, a last line without a newline. */
    db = parsed(LIT("\xef\xbb\xbf" MD5_ABC ":3:Crlf.One\r\n"
                    "  # indented comment\r\n"
                    "\r\n" SHA1_ABC " : 3 : Spaced Name \r\n" SHA256_ABC ":3:NoNewline"),
                "crlf.hsb", &added);
    CHECK_EQ_INT(added, 3);
    CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "Crlf.One");
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "Spaced Name");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 3), "NoNewline");
    vg_hashdb_free(db);

    /* Nothing at all, only comments, only a BOM, and a NULL display. */
    db = parsed("", 0, "empty.hdb", &added);
    CHECK_EQ_INT(added, 0);
    vg_hashdb_free(db);
    db = parsed(LIT("# nothing\n\n#" MD5_ABC ":3:Commented\n"), "c.hdb", &added);
    CHECK_EQ_INT(added, 0);
    CHECK(look(db, MD5_ABC, 3) == NULL);
    vg_hashdb_free(db);
    db = parsed(LIT("\xef\xbb\xbf"), "bom.hdb", &added);
    CHECK_EQ_INT(added, 0);
    vg_hashdb_free(db);
    db = parsed(LIT(MD5_ABC ":3:X\n"), NULL, &added);
    CHECK_EQ_STR(look(db, MD5_ABC, 3)->source, "<input>");
    vg_hashdb_free(db);

    /* Names are UTF-8 and may be long (up to the line limit). */
    {
        static char text[70000];
        size_t n = (size_t)snprintf(text, sizeof text, "%s:3:", MD5_ABC);
        memset(text + n, 'N', 60000);
        n += 60000;
        memcpy(text + n, "\n", 1);
        n += 1;
        db = parsed(text, n, "long.hdb", &added);
        CHECK_EQ_INT(added, 1);
        CHECK_EQ_INT(strlen(name_at(db, MD5_ABC, 3)), 60000);
        vg_hashdb_free(db);
        db = parsed(LIT(MD5_ABC ":3:Vi\xe1\xbb\x87t.Trojan\n"), "utf8.hdb", &added);
        CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "Vi\xe1\xbb\x87t.Trojan");
        vg_hashdb_free(db);
    }
}

/* Parse good + bad + good lines as f.hsb: the bad one is line 2 (or at the BOM'd start). */
static void check_bad(int at_line, const char *bad, size_t badlen, const char *want)
{
    char text[80000];
    size_t n = 0;
    struct vg_hashdb *db = vg_hashdb_new();
    struct vg_error e = {0};
    size_t added = 99, skipped = 99;
    int rc;
    if (at_line == 2) {
        n = (size_t)snprintf(text, sizeof text, "%s:3:Good.One\n", MD5_ABC);
    }
    memcpy(text + n, bad, badlen);
    n += badlen;
    n += (size_t)snprintf(text + n, sizeof text - n, "\n%s:3:Good.Two\n", SHA1_ABC);
    /* The set already holds something: it must stay as it was. */
    CHECK_EQ_INT(add_hex(db, SHA256_ABC, 3, "Before", "pre"), VG_OK);
    rc = vg_hashdb_parse_clamav(db, text, n, "f.hsb", false, &added, &skipped, &e);
    CHECK_EQ_INT(rc, VG_EPARSE);
    CHECK_EQ_INT(e.code, VG_EPARSE);
    if (!CHECK_EQ_STR(e.msg, want))
        fprintf(stderr, "    for line: %.80s\n", bad);
    CHECK_EQ_INT(added, 0);
    CHECK_EQ_INT(skipped, 0);
    CHECK_EQ_INT(vg_hashdb_count(db), 1);
    /* With skip_bad the good lines go in and the bad one is counted. */
    rc = vg_hashdb_parse_clamav(db, text, n, "f.hsb", true, &added, &skipped, &e);
    CHECK_EQ_INT(rc, VG_OK);
    CHECK_EQ_INT(added, at_line == 2 ? 2 : 1);
    CHECK_EQ_INT(skipped, 1);
    CHECK_EQ_STR(e.msg, want);
    CHECK_EQ_INT(e.code, VG_OK);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 3), "Before");
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "Good.Two");
    if (at_line == 2)
        CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "Good.One");
    vg_hashdb_free(db);
}

#define BAD(line, text, want) check_bad((line), LIT(text), (want))

static void test_parse_errors(void)
{
    /* The hash. */
    BAD(2, "zz0150983cd24fb0d6963f7d28e17f72:3:Bad.Hex",
        "f.hsb:2: field 1 (hash): \"zz0150983cd24fb0d6963f7d28e17f72\" is not hexadecimal "
        "(byte 1)");
    BAD(2, "900150983cd24fb0d6963f7d28e17f7g:3:Bad.Hex",
        "f.hsb:2: field 1 (hash): \"900150983cd24fb0d6963f7d28e17f7g\" is not hexadecimal "
        "(byte 32)");
    BAD(2, "900150983cd24fb0d6963f7d28e17f7:3:Odd",
        "f.hsb:2: field 1 (hash): odd number of hex digits (31)");
    BAD(2, "900150983cd24fb0d6963f7d28e17f:3:Short",
        "f.hsb:2: field 1 (hash): 30 hex digits; expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256)");
    BAD(2, "900150983cd24fb0d6963f7d28e17f7200:3:Long",
        "f.hsb:2: field 1 (hash): 34 hex digits; expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256)");
    BAD(2, ":3:NoHash", "f.hsb:2: field 1 (hash): empty");
    BAD(2, "9001 50983cd24fb0d6963f7d28e17f72:3:Space",
        "f.hsb:2: field 1 (hash): \"9001 50983cd24fb0d6963f7d28e17f72\" is not hexadecimal "
        "(byte 5)");
    /* The size. */
    BAD(2, MD5_ABC ":12a:Bad.Size", "f.hsb:2: field 2 (size): \"12a\" is not a number or '*'");
    BAD(2, MD5_ABC ":-5:Neg.Size", "f.hsb:2: field 2 (size): \"-5\" is not a number or '*'");
    BAD(2, MD5_ABC ":+5:Plus.Size", "f.hsb:2: field 2 (size): \"+5\" is not a number or '*'");
    BAD(2, MD5_ABC ":**:Stars", "f.hsb:2: field 2 (size): \"**\" is not a number or '*'");
    BAD(2, MD5_ABC "::No.Size", "f.hsb:2: field 2 (size): empty");
    BAD(2, MD5_ABC ":99999999999999999999:Huge",
        "f.hsb:2: field 2 (size): \"99999999999999999999\" is too large");
    /* The name. */
    BAD(2, MD5_ABC ":3:", "f.hsb:2: field 3 (name): empty");
    BAD(2, MD5_ABC ":3:   ", "f.hsb:2: field 3 (name): empty");
    BAD(2, MD5_ABC ":3:Tab\there", "f.hsb:2: field 3 (name): control character 0x09 at byte 4");
    BAD(2, MD5_ABC ":3:Nul\0here", "f.hsb:2: field 3 (name): control character 0x00 at byte 4");
    BAD(2,
        MD5_ABC ":3:Bad\xff"
                "Utf8",
        "f.hsb:2: field 3 (name): invalid UTF-8 at byte 4");
    /* Missing and extra fields; levels. */
    BAD(2, MD5_ABC, "f.hsb:2: field 2 (size): missing (expected hash:size:name)");
    BAD(2, MD5_ABC ":3", "f.hsb:2: field 3 (name): missing (expected hash:size:name)");
    BAD(2, MD5_ABC ":3:A:73:80:extra",
        "f.hsb:2: field 6: too many fields (at most hash:size:name:min_flevel:max_flevel)");
    BAD(2, MD5_ABC ":3:Name:with:colons",
        "f.hsb:2: field 4 (min_flevel): \"with\" is not a functionality level");
    BAD(2, MD5_ABC ":*:A:7x", "f.hsb:2: field 4 (min_flevel): \"7x\" is not a functionality level");
    BAD(2, MD5_ABC ":*:A:73:-1",
        "f.hsb:2: field 5 (max_flevel): \"-1\" is not a functionality level");
    /* A bad first line after a BOM is line 1; CRLF does not change the count. */
    BAD(1, "\xef\xbb\xbf" MD5_ABC ":x:A", "f.hsb:1: field 2 (size): \"x\" is not a number or '*'");
    /* (The extra line repeats Good.One: a duplicate, so still two added with skip_bad.) */
    BAD(2, MD5_ABC ":3:A\r\n" MD5_ABC ":y:B",
        "f.hsb:3: field 2 (size): \"y\" is not a number or '*'");
    /* A line over 64 KiB, even one that is a comment. */
    {
        static char line[65540];
        memset(line, '#', sizeof line);
        check_bad(2, line, 65537, "f.hsb:2: line longer than 65536 bytes");
        /* 65536 bytes (and its CRLF) is fine. */
        struct vg_hashdb *db = vg_hashdb_new();
        size_t added = 9;
        memcpy(line + 65536, "\r\n", 2);
        CHECK_EQ_INT(vg_hashdb_parse_clamav(db, line, 65538, "f.hsb", false, &added, NULL, NULL),
                     VG_OK);
        CHECK_EQ_INT(added, 0);
        vg_hashdb_free(db);
    }
}

static void test_skip_bad(void)
{
    const char text[] = MD5_ABC ":3:One\n"
                                "nothex:3:Two\n" SHA1_ABC ":3:Three\n" SHA1_ABC
                                ":x:Four\n" SHA256_ABC ":3\n" SHA256_ABC ":*:Six:73\n";
    struct vg_hashdb *db = vg_hashdb_new();
    struct vg_error e = {0};
    size_t added = 0, skipped = 0;
    CHECK_EQ_INT(vg_hashdb_parse_clamav(db, LIT(text), "s.hsb", true, &added, &skipped, &e), VG_OK);
    CHECK_EQ_INT(added, 3);
    CHECK_EQ_INT(skipped, 3);
    CHECK_EQ_INT(e.code, VG_OK);
    CHECK_EQ_STR(e.msg, "s.hsb:2: field 1 (hash): \"nothex\" is not hexadecimal (byte 1)");
    CHECK_EQ_INT(vg_hashdb_count(db), 3);
    /* NULL counters and error are fine. */
    CHECK_EQ_INT(vg_hashdb_parse_clamav(db, LIT(text), "s.hsb", true, NULL, NULL, NULL), VG_OK);
    CHECK_EQ_INT(vg_hashdb_count(db), 3);
    /* Without skip_bad: the first bad line, nothing added. */
    CHECK_EQ_INT(vg_hashdb_parse_clamav(db, LIT(MD5_EMPTY ":0:New\n" MD5_ABC ":3:One\nbad\n"),
                                        "t.hsb", false, &added, &skipped, &e),
                 VG_EPARSE);
    CHECK_EQ_STR(e.msg, "t.hsb:3: field 2 (size): missing (expected hash:size:name)");
    CHECK_EQ_INT(vg_hashdb_count(db), 3);
    CHECK_EQ_INT(added, 0);
    /* A clean parse clears the error. */
    CHECK_EQ_INT(
        vg_hashdb_parse_clamav(db, LIT(MD5_EMPTY ":0:New\n"), "u.hsb", true, &added, &skipped, &e),
        VG_OK);
    CHECK_EQ_STR(e.msg, "");
    CHECK_EQ_INT(skipped, 0);
    CHECK_EQ_INT(vg_hashdb_count(db), 4);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "One");
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "Three");
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 3), "Six");
    CHECK_EQ_STR(name_at(db, MD5_EMPTY, 0), "New");
    /* Built: parsing is refused. */
    CHECK_EQ_INT(vg_hashdb_parse_clamav(db, LIT(SHA256_EMPTY ":0:Late\n"), "late.hsb", false,
                                        &added, &skipped, &e),
                 VG_EINVAL);
    CHECK(strstr(e.msg, "already built") != NULL);
    CHECK_EQ_INT(vg_hashdb_count(db), 4);
    vg_hashdb_free(db);
    CHECK_EQ_INT(vg_hashdb_parse_clamav(NULL, LIT("x"), "n", false, NULL, NULL, &e), VG_EINVAL);
}

/* ---- wants ---------------------------------------------------------------------------------- */

static void test_wants(void)
{
    struct vg_hashdb *db = vg_hashdb_new();
    unsigned char d[32];
    /* MD5: sizes 3, 100, 1 GiB; SHA-1: any size; SHA-256: none. */
    CHECK_EQ_INT(add_hex(db, MD5_ABC, 3, "a", "s"), VG_OK);
    CHECK_EQ_INT(add_hex(db, MD5_EMPTY, 100, "b", "s"), VG_OK);
    CHECK_EQ_INT(add_hex(db, MD5_EMPTY, (int64_t)1 << 30, "c", "s"), VG_OK);
    CHECK_EQ_INT(add_hex(db, SHA1_ABC, -1, "d", "s"), VG_OK);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK(vg_hashdb_wants(db, VG_HASH_MD5, 3));
    CHECK(vg_hashdb_wants(db, VG_HASH_MD5, 100));
    CHECK(vg_hashdb_wants(db, VG_HASH_MD5, (int64_t)1 << 30));
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, 0));
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, 4));
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, 99));
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, INT64_MAX));
    CHECK(vg_hashdb_wants(db, VG_HASH_MD5, -1)); /* unknown size: the type has entries */
    for (int64_t s = 0; s < 5000; s++)
        CHECK_EQ_INT(vg_hashdb_wants(db, VG_HASH_SHA1, s), 1);
    CHECK(vg_hashdb_wants(db, VG_HASH_SHA1, INT64_MAX));
    CHECK(!vg_hashdb_wants(db, VG_HASH_SHA256, 3));
    CHECK(!vg_hashdb_wants(db, VG_HASH_SHA256, -1));
    CHECK(!vg_hashdb_wants(db, 3, 3));
    CHECK(!vg_hashdb_wants(db, -1, 3));
    vg_hashdb_free(db);

    /* Many sizes against a model (the screen and the search agree with a plain list). */
    db = vg_hashdb_new();
    enum { NS = 20000 };
    static int64_t sizes[NS];
    for (size_t i = 0; i < NS; i++) {
        rnd_bytes(d, 16);
        sizes[i] = (int64_t)(rnd() % 5000000);
        CHECK(vg_hashdb_add(db, VG_HASH_MD5, d, sizes[i], "m", "s") == VG_OK);
    }
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    {
        static unsigned char in[5000000 / 8 + 1];
        size_t fails = 0;
        for (size_t i = 0; i < NS; i++)
            in[sizes[i] / 8] |= (unsigned char)(1u << (sizes[i] % 8));
        for (int64_t s = 0; s < 5000000; s++)
            if (vg_hashdb_wants(db, VG_HASH_MD5, s) != ((in[s / 8] >> (s % 8)) & 1))
                fails++;
        CHECK_EQ_INT(fails, 0);
    }
    vg_hashdb_free(db);
}

/* ---- version -------------------------------------------------------------------------------- */

struct ent {
    int type;
    const char *hex;
    int64_t size;
    const char *name, *source;
};

static const struct ent ENTS[] = {
    {VG_HASH_MD5, MD5_ABC, 3, "A", "s1"},         {VG_HASH_MD5, MD5_EMPTY, 0, "B", "s1"},
    {VG_HASH_SHA1, SHA1_ABC, -1, "C", "s2"},      {VG_HASH_SHA256, SHA256_ABC, 3, "D", "s2"},
    {VG_HASH_SHA256, SHA256_ABC, -1, "E", "s3"},  {VG_HASH_SHA256, SHA256_EMPTY, 0, "F", "s3"},
    {VG_HASH_SHA256, SHA256_ABC, 100, "G", "s1"},
};
#define NENTS (sizeof ENTS / sizeof ENTS[0])

/* The version of ENTS added in the order perm, with entry `change` altered by how. */
static void version_of(const size_t *perm, int change, int how, char *out, char *unbuilt)
{
    struct vg_hashdb *db = vg_hashdb_new();
    for (size_t i = 0; i < NENTS; i++) {
        struct ent e = ENTS[perm[i]];
        if ((int)perm[i] == change) {
            if (how == 0)
                e.name = "changed";
            else if (how == 1)
                e.source = "changed";
            else if (how == 2)
                e.size = 4;
            else
                e.hex = SHA1_ABC "00000000"; /* a 48-digit hex: SHA-256 slot, other digest */
        }
        unsigned char d[32] = {0};
        unhex(e.hex, d);
        CHECK_EQ_INT(vg_hashdb_add(db, e.type, d, e.size, e.name, e.source), VG_OK);
    }
    if (unbuilt)
        vg_hashdb_version(db, unbuilt);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    vg_hashdb_version(db, out);
    vg_hashdb_free(db);
}

static void test_version(void)
{
    size_t perm[NENTS];
    char v0[65], v[65], u[65];
    struct vg_hashdb *db;
    for (size_t i = 0; i < NENTS; i++)
        perm[i] = i;
    version_of(perm, -1, 0, v0, u);
    CHECK_EQ_INT(strlen(v0), 64);
    CHECK_EQ_STR(u, v0); /* the same before the build */
    for (size_t i = 0; i < 64; i++)
        CHECK((v0[i] >= '0' && v0[i] <= '9') || (v0[i] >= 'a' && v0[i] <= 'f'));
    /* Any add order gives the same version. */
    for (int round = 0; round < 30; round++) {
        for (size_t i = NENTS - 1; i > 0; i--) {
            size_t j = (size_t)(rnd() % (i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        version_of(perm, -1, 0, v, round % 2 ? u : NULL);
        CHECK_EQ_STR(v, v0);
        if (round % 2)
            CHECK_EQ_STR(u, v0);
    }
    /* A change in any entry's name, source, size or digest changes it. */
    for (size_t i = 0; i < NENTS; i++)
        perm[i] = i;
    for (int change = 0; change < (int)NENTS; change++) {
        for (int how = 0; how < 4; how++) {
            if (how == 3 && ENTS[change].type != VG_HASH_SHA256)
                continue;
            version_of(perm, change, how, v, NULL);
            if (!CHECK(strcmp(v, v0) != 0))
                fprintf(stderr, "    entry %d, change %d\n", change, how);
        }
    }
    /* One entry fewer, or one more. */
    db = vg_hashdb_new();
    for (size_t i = 0; i + 1 < NENTS; i++) {
        unsigned char d[32];
        unhex(ENTS[i].hex, d);
        vg_hashdb_add(db, ENTS[i].type, d, ENTS[i].size, ENTS[i].name, ENTS[i].source);
    }
    vg_hashdb_build(db);
    vg_hashdb_version(db, v);
    CHECK(strcmp(v, v0) != 0);
    vg_hashdb_free(db);
    /* The empty set: SHA-256 of nothing; parsing the same lines in another order. */
    db = vg_hashdb_new();
    vg_hashdb_version(db, v);
    CHECK_EQ_STR(v, SHA256_EMPTY);
    vg_hashdb_build(db);
    vg_hashdb_version(db, v);
    CHECK_EQ_STR(v, SHA256_EMPTY);
    vg_hashdb_free(db);
    {
        size_t added;
        struct vg_hashdb *a =
            parsed(LIT(MD5_ABC ":3:A\n" SHA1_ABC ":*:B:73\n" SHA256_ABC ":3:C\n"), "x.hsb", &added);
        struct vg_hashdb *b =
            parsed(LIT(SHA256_ABC ":3:C\r\n" MD5_ABC ":3:A\r\n# c\r\n" SHA1_ABC ":*:B:73\r\n"),
                   "x.hsb", &added);
        struct vg_hashdb *c =
            parsed(LIT(MD5_ABC ":3:A\n" SHA1_ABC ":*:B:73\n" SHA256_ABC ":3:C\n"), "y.hsb", &added);
        char va[65], vb[65], vc[65];
        vg_hashdb_version(a, va);
        vg_hashdb_version(b, vb);
        vg_hashdb_version(c, vc);
        CHECK_EQ_STR(va, vb);
        CHECK(strcmp(va, vc) != 0); /* the source is part of the content */
        vg_hashdb_free(a);
        vg_hashdb_free(b);
        vg_hashdb_free(c);
    }
}

/* ---- a large set against a model, and threads --------------------------------------------- */

enum { NBIG = 150000 };

struct big {
    unsigned char d[NBIG][32];
    int type[NBIG];
    int64_t size[NBIG];
};

static struct big BIG;
static struct vg_hashdb *big_db;

/* Entries of all types, with some digests sharing their first 8 bytes (a crafted feed). */
static void big_fill(void)
{
    for (size_t i = 0; i < NBIG; i++) {
        BIG.type[i] = (int)(i % 3);
        rnd_bytes(BIG.d[i], 32);
        if (i % 10 == 0 && i >= 30)
            memcpy(BIG.d[i], BIG.d[i - 30], 8); /* same type (i % 3), same first 8 bytes */
        if (i % 1000 == 1)
            memset(BIG.d[i], 0, 12); /* many share a long zero prefix */
        BIG.size[i] = i % 7 == 0 ? -1 : (int64_t)(rnd() % 100000);
    }
}

static void test_big_model(void)
{
    char name[32];
    size_t fails = 0;
    big_fill();
    big_db = vg_hashdb_new();
    for (size_t i = 0; i < NBIG; i++) {
        snprintf(name, sizeof name, "N%zu", i);
        if (vg_hashdb_add(big_db, BIG.type[i], BIG.d[i], BIG.size[i], name, "big") != VG_OK)
            fails++;
    }
    CHECK_EQ_INT(fails, 0);
    CHECK_EQ_INT(vg_hashdb_count(big_db), NBIG);
    CHECK_EQ_INT(vg_hashdb_build(big_db), VG_OK);
    for (size_t i = 0; i < NBIG; i++) {
        int64_t sz = BIG.size[i] < 0 ? (int64_t)(rnd() % 100000) : BIG.size[i];
        const struct vg_hash_entry *e = vg_hashdb_lookup(big_db, BIG.type[i], BIG.d[i], sz);
        snprintf(name, sizeof name, "N%zu", i);
        if (!e || strcmp(e->name, name) != 0 || e->size != BIG.size[i] ||
            !vg_hashdb_wants(big_db, BIG.type[i], sz))
            fails++;
        /* A wrong size misses unless the entry is for any size. */
        e = vg_hashdb_lookup(big_db, BIG.type[i], BIG.d[i], 100000 + (int64_t)i);
        if ((e != NULL) != (BIG.size[i] < 0))
            fails++;
        /* A digest one bit off misses (random digests do not collide). */
        unsigned char d[32];
        memcpy(d, BIG.d[i], 32);
        d[DLEN[BIG.type[i]] - 1] ^= 1;
        if (vg_hashdb_lookup(big_db, BIG.type[i], d, sz))
            fails++;
    }
    CHECK_EQ_INT(fails, 0);
}

struct worker {
    size_t from, step, fails;
};

static void *lookup_worker(void *arg)
{
    struct worker *w = arg;
    for (int round = 0; round < 3; round++)
        for (size_t i = w->from; i < NBIG; i += w->step) {
            int64_t sz = BIG.size[i] < 0 ? 12345 : BIG.size[i];
            const struct vg_hash_entry *e = vg_hashdb_lookup(big_db, BIG.type[i], BIG.d[i], sz);
            if (!e || e->size != BIG.size[i] || !vg_hashdb_wants(big_db, BIG.type[i], sz))
                w->fails++;
        }
    return NULL;
}

static void test_threads(void)
{
    enum { NT = 8 };
    pthread_t th[NT];
    struct worker w[NT];
    size_t fails = 0;
    char v1[65], v2[65];
    if (!big_db) {
        test_big_model();
        if (!big_db)
            return;
    }
    vg_hashdb_version(big_db, v1);
    for (size_t i = 0; i < NT; i++) {
        w[i] = (struct worker){i, NT, 0};
        CHECK_EQ_INT(pthread_create(&th[i], NULL, lookup_worker, &w[i]), 0);
    }
    for (size_t i = 0; i < NT; i++) {
        pthread_join(th[i], NULL);
        fails += w[i].fails;
    }
    CHECK_EQ_INT(fails, 0);
    vg_hashdb_version(big_db, v2);
    CHECK_EQ_STR(v1, v2);
    vg_hashdb_free(big_db);
    big_db = NULL;
}

/* ---- temporary files ------------------------------------------------------------------------ */

static char tmp_dir[PATH_MAX];

static const char *tmp_path(void)
{
    if (!tmp_dir[0]) {
        const char *base = getenv("VG_TEST_TMP");
        if (!base || !*base)
            base = "/tmp";
        if (mkdir(base, 0700) != 0 && errno != EEXIST)
            base = "/tmp";
        snprintf(tmp_dir, sizeof tmp_dir, "%s/test_scan_hashdb.XXXXXX", base);
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
    return remove(path);
}

static void tmp_cleanup(void)
{
    if (tmp_dir[0])
        nftw(tmp_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    tmp_dir[0] = '\0';
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static void test_load_clamav(void)
{
    char path[PATH_MAX + 32];
    struct vg_hashdb *db = vg_hashdb_new();
    struct vg_error e = {0};
    size_t added = 9, skipped = 9;
    snprintf(path, sizeof path, "%s/none.hdb", tmp_path());
    CHECK_EQ_INT(vg_hashdb_load_clamav(db, path, false, &added, &skipped, &e), VG_ENOTFOUND);
    CHECK(strstr(e.msg, "none.hdb") != NULL);
    CHECK_EQ_INT(added, 0);
    snprintf(path, sizeof path, "%s/one.hdb", tmp_path());
    write_file(path, LIT(MD5_ABC ":3:File.One\nbad line\n"));
    CHECK_EQ_INT(vg_hashdb_load_clamav(db, path, false, &added, &skipped, &e), VG_EPARSE);
    CHECK(strstr(e.msg, "one.hdb:2: field 2 (size): missing") != NULL);
    CHECK_EQ_INT(vg_hashdb_count(db), 0);
    CHECK_EQ_INT(vg_hashdb_load_clamav(db, path, true, &added, &skipped, &e), VG_OK);
    CHECK_EQ_INT(added, 1);
    CHECK_EQ_INT(skipped, 1);
    CHECK_EQ_INT(vg_hashdb_load_clamav(db, tmp_path(), false, &added, &skipped, &e), VG_EINVAL);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK_EQ_STR(name_at(db, MD5_ABC, 3), "File.One");
    CHECK_EQ_STR(look(db, MD5_ABC, 3)->source, path);
    vg_hashdb_free(db);
    unlink(path);
}

/* ---- the store's feeds -------------------------------------------------------------------- */

static int import(struct vg_store *s, const char *source, const char *name, const char *text,
                  size_t n)
{
    char path[PATH_MAX + 64];
    struct vg_feed_import_opts o;
    struct vg_feed_import_result r;
    struct vg_error e = {0};
    int rc;
    snprintf(path, sizeof path, "%s/%s", tmp_path(), name);
    write_file(path, text, n);
    memset(&o, 0, sizeof o);
    o.source = source;
    vg_feed_import_result_init(&r);
    rc = vg_feed_import(s, path, name, &o, &r, &e);
    if (rc)
        fprintf(stderr, "import of %s failed: %s\n", name, e.msg);
    vg_feed_import_result_release(&r);
    return rc;
}

static void test_load_feeds(void)
{
    char path[PATH_MAX + 32];
    struct vg_store *s = NULL;
    struct vg_hashdb *db;
    struct vg_error e = {0};
    size_t added = 0;
    snprintf(path, sizeof path, "%s/feeds.db", tmp_path());
    CHECK_EQ_INT(vg_store_open(path, VG_STORE_CREATE, "tester", &s, &e), VG_OK);
    if (!s)
        return;
    /* A plain list of hashes (no sizes), an .hdb (sizes), an .hsb with "*", an allow-list. */
    CHECK_EQ_INT(
        import(s, "cert-hashes", "hashes.txt",
               LIT(MD5_ABC "\n" SHA1_ABC "\n"
                           "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
                           "\n")),
        VG_OK);
    CHECK_EQ_INT(import(s, "clam-md5", "x.hdb", LIT(MD5_EMPTY ":5:Odd.Size-1\n")), VG_OK);
    CHECK_EQ_INT(import(s, "clam-sha", "x.hsb", LIT(SHA256_EMPTY ":*:Any.Size-1:73\n")), VG_OK);
    CHECK_EQ_INT(import(s, "allow", "allow.txt",
                        LIT("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")),
                 VG_OK);
    /* A newer version of cert-hashes replaces the old: the MD5 drops out. */
    CHECK_EQ_INT(
        import(s, "cert-hashes", "hashes2.txt",
               LIT(SHA1_ABC "\n" SHA256_ABC "\n"
                            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n")),
        VG_OK);

    db = vg_hashdb_new();
    CHECK_EQ_INT(vg_hashdb_load_feeds(db, s, &added, &e), VG_OK);
    CHECK_EQ_INT(added, 5);
    CHECK_EQ_INT(vg_hashdb_count(db), 5);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK(look(db, MD5_ABC, 3) == NULL); /* an old version */
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), SHA1_ABC);
    CHECK_EQ_STR(look(db, SHA1_ABC, 3)->source, "cert-hashes");
    CHECK_EQ_INT(look(db, SHA1_ABC, 3)->size, -1); /* no size: any */
    CHECK_EQ_STR(name_at(db, SHA256_ABC, 99), SHA256_ABC);
    CHECK_EQ_STR(name_at(db, MD5_EMPTY, 5), "Odd.Size-1"); /* the signature name (family) */
    CHECK_EQ_STR(look(db, MD5_EMPTY, 5)->source, "clam-md5");
    CHECK(look(db, MD5_EMPTY, 6) == NULL); /* the .hdb's size is kept */
    CHECK(vg_hashdb_wants(db, VG_HASH_MD5, 5));
    CHECK(!vg_hashdb_wants(db, VG_HASH_MD5, 6));
    CHECK_EQ_STR(name_at(db, SHA256_EMPTY, 12), "Any.Size-1");
    CHECK_EQ_STR(look(db, SHA256_EMPTY, 0)->source, "clam-sha");
    /* The allow-list is not something to detect. */
    CHECK(look(db, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1) == NULL);
    CHECK(vg_hashdb_wants(db, VG_HASH_SHA256, 1));
    vg_hashdb_free(db);

    /* Feeds and a ClamAV file together, the feeds after the file: the first entry stays. */
    db = vg_hashdb_new();
    CHECK_EQ_INT(vg_hashdb_parse_clamav(db, LIT(SHA1_ABC ":*:Clam.Name:73\n"), "local.hsb", false,
                                        &added, NULL, &e),
                 VG_OK);
    CHECK_EQ_INT(vg_hashdb_load_feeds(db, s, &added, &e), VG_OK);
    CHECK_EQ_INT(added, 4);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    CHECK_EQ_STR(name_at(db, SHA1_ABC, 3), "Clam.Name");
    /* Built: refused. */
    CHECK_EQ_INT(vg_hashdb_load_feeds(db, s, &added, &e), VG_EINVAL);
    CHECK_EQ_INT(added, 0);
    vg_hashdb_free(db);
    CHECK_EQ_INT(vg_hashdb_load_feeds(NULL, s, &added, &e), VG_EINVAL);
    vg_store_close(s);

    /* An empty store: nothing, and no error. */
    CHECK_EQ_INT(vg_store_open(":memory:", 0, "tester", &s, &e), VG_OK);
    db = vg_hashdb_new();
    CHECK_EQ_INT(vg_hashdb_load_feeds(db, s, &added, &e), VG_OK);
    CHECK_EQ_INT(added, 0);
    vg_hashdb_free(db);
    vg_store_close(s);
}

/* ---- oracle: coreutils' md5sum, sha1sum, sha256sum ---------------------------------------- */

/*
 * Run argv (no shell; execvp looks it up in PATH) with its standard output
 * in a pipe made here; the output goes to a malloc'd, NUL-terminated *out.
 * Returns the exit status, or -1 when it could not run.
 */
static int run_capture(char *const argv[], char **out)
{
    int fds[2], status = 0;
    pid_t pid;
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    *out = NULL;
    if (!buf || pipe(fds) != 0) {
        free(buf);
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        free(buf);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    for (;;) {
        if (cap - len < 4096) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fds[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fds[0]);
    buf[len] = '\0';
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

enum { NFILES = 60 };

static void test_oracle_coreutils(void)
{
    static const char *const tools[3] = {"md5sum", "sha1sum", "sha256sum"};
    static const char *const evp_names[3] = {"MD5", "SHA1", "SHA256"};
    char paths[NFILES][PATH_MAX + 32];
    int64_t sizes[NFILES];
    unsigned char digests[3][NFILES][32];
    char *argv[NFILES + 2];
    char hdb[PATH_MAX + 32], hsb[PATH_MAX + 32];
    struct vg_buf hdb_text, hsb_text;
    struct vg_hashdb *db;
    struct vg_error e = {0};
    size_t added = 0, fails = 0;

    /* Files of random bytes and sizes (a few empty or tiny, some over a megabyte). */
    for (size_t i = 0; i < NFILES; i++) {
        size_t n = i < 3 ? i : i % 10 == 0 ? 1000000 + (size_t)(rnd() % 100000) : rnd() % 70000;
        unsigned char *p = malloc(n ? n : 1);
        if (!p)
            exit(2);
        rnd_bytes(p, n);
        snprintf(paths[i], sizeof paths[i], "%s/file%02zu.bin", tmp_path(), i);
        write_file(paths[i], p, n);
        sizes[i] = (int64_t)n;
        for (int t = 0; t < 3; t++) {
            unsigned dl = 0;
            EVP_Digest(p, n, digests[t][i], &dl, EVP_get_digestbyname(evp_names[t]), NULL);
            CHECK_EQ_INT(dl, DLEN[t]);
        }
        free(p);
    }

    /* Each tool over every file: its digests are OpenSSL's; the signature files take every
     * other file (the rest must miss), with sizes, or "*" for every fifth. */
    vg_buf_init(&hdb_text, VG_BUF_NOLIMIT);
    vg_buf_init(&hsb_text, VG_BUF_NOLIMIT);
    for (int t = 0; t < 3; t++) {
        char *out = NULL, *line, *save = NULL;
        size_t k = 0;
        argv[0] = (char *)tools[t];
        for (size_t i = 0; i < NFILES; i++)
            argv[i + 1] = paths[i];
        argv[NFILES + 1] = NULL;
        int status = run_capture(argv, &out);
        if (!CHECK_EQ_INT(status, 0)) {
            fprintf(stderr, "    %s did not run\n", tools[t]);
            free(out);
            continue;
        }
        for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), k++) {
            char hex[65], *sp = strchr(line, ' ');
            if (!CHECK(k < NFILES && sp && (size_t)(sp - line) == 2 * DLEN[t]))
                break;
            *sp = '\0';
            to_hex(digests[t][k], DLEN[t], hex);
            CHECK_EQ_STR(line, hex);
            CHECK_EQ_STR(sp + 2, paths[k]);
            if (k % 2 == 0) {
                struct vg_buf *b = t == 0 ? &hdb_text : &hsb_text;
                if (k % 5 == 0)
                    vg_buf_addf(b, "%s:*:Oracle.%s.%zu:73\r\n", line, tools[t], k);
                else
                    vg_buf_addf(b, "%s:%" PRId64 ":Oracle.%s.%zu\n", line, sizes[k], tools[t], k);
            }
        }
        CHECK_EQ_INT(k, NFILES);
        free(out);
    }
    snprintf(hdb, sizeof hdb, "%s/oracle.hdb", tmp_path());
    snprintf(hsb, sizeof hsb, "%s/oracle.hsb", tmp_path());
    write_file(hdb, hdb_text.data, hdb_text.len);
    write_file(hsb, hsb_text.data, hsb_text.len);
    vg_buf_release(&hdb_text);
    vg_buf_release(&hsb_text);

    db = vg_hashdb_new();
    CHECK_EQ_INT(vg_hashdb_load_clamav(db, hdb, false, &added, NULL, &e), VG_OK);
    CHECK_EQ_INT(added, NFILES / 2);
    CHECK_EQ_INT(vg_hashdb_load_clamav(db, hsb, false, &added, NULL, &e), VG_OK);
    CHECK_EQ_INT(added, NFILES);
    CHECK_EQ_INT(vg_hashdb_build(db), VG_OK);
    for (size_t i = 0; i < NFILES; i++) {
        for (int t = 0; t < 3; t++) {
            char want[64];
            const struct vg_hash_entry *ent = vg_hashdb_lookup(db, t, digests[t][i], sizes[i]);
            snprintf(want, sizeof want, "Oracle.%s.%zu", tools[t], i);
            if (i % 2 == 0) {
                if (!ent || strcmp(ent->name, want) != 0 ||
                    strcmp(ent->source, t == 0 ? hdb : hsb) != 0 ||
                    !vg_hashdb_wants(db, t, sizes[i]))
                    fails++;
                /* One byte more: found only through "*". */
                ent = vg_hashdb_lookup(db, t, digests[t][i], sizes[i] + 1);
                if ((ent != NULL) != (i % 5 == 0))
                    fails++;
            } else if (ent) {
                fails++;
            }
        }
        unlink(paths[i]);
    }
    CHECK_EQ_INT(fails, 0);
    vg_hashdb_free(db);
    unlink(hdb);
    unlink(hsb);
}

static const struct test_case tests[] = {
    {"add_lookup", test_add_lookup},
    {"duplicates", test_duplicates},
    {"parse_formats", test_parse_formats},
    {"parse_errors", test_parse_errors},
    {"skip_bad", test_skip_bad},
    {"wants", test_wants},
    {"version", test_version},
    {"big_model", test_big_model},
    {"threads", test_threads},
    {"load_clamav", test_load_clamav},
    {"load_feeds", test_load_feeds},
    {"oracle_coreutils", test_oracle_coreutils},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc = test_main(argc, argv, tests);
    vg_hashdb_free(big_db);
    tmp_cleanup();
    return rc;
}
