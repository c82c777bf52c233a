/*
 * test_intel_feeds.c - unit tests for lib/intel's normalisation (domains,
 * IDN, URLs, hash types) and feed formats: every format parsed from a
 * string and from its fixture under tests/data/feeds/, comments, BOM, CRLF,
 * ranges as exact prefixes, skip_bad and its messages, and detection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/parse.h"
#include "intel/intel.h"

#include "test.h"

#include "core/banned.h"

#define LIT(s) (s), sizeof(s) - 1

struct got {
    int type;
    char value[300];
    char family[64], category[64], comment[160];
    int score, port;
    uint64_t size;
    time_t first, last;
    size_t line;
};

struct res {
    struct got g[64];
    size_t n;
    size_t nbad;
    size_t badline[8];
    char bad[8][256];
    int stop_after; /* non-zero: return 42 after this many */
};

static void copy(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
}

static int collect(void *ctx, const struct vg_indicator *ind)
{
    struct res *r = ctx;
    if (r->n < sizeof r->g / sizeof r->g[0]) {
        struct got *g = &r->g[r->n];
        g->type = ind->type;
        copy(g->value, sizeof g->value, ind->value);
        copy(g->family, sizeof g->family, ind->family);
        copy(g->category, sizeof g->category, ind->category);
        copy(g->comment, sizeof g->comment, ind->comment);
        g->score = ind->score;
        g->port = ind->port;
        g->size = ind->size;
        g->first = ind->first_seen;
        g->last = ind->last_seen;
        g->line = ind->line;
    }
    r->n++;
    if (r->stop_after && r->n == (size_t)r->stop_after)
        return 42;
    return 0;
}

static void on_bad(void *ctx, size_t line, const char *why)
{
    struct res *r = ctx;
    if (r->nbad < 8) {
        r->badline[r->nbad] = line;
        copy(r->bad[r->nbad], sizeof r->bad[0], why);
    }
    r->nbad++;
}

static struct res R;
static struct vg_feed_info INFO;
static struct vg_error ERR;

static int run(const char *text, size_t len, int format, bool skip_bad)
{
    struct vg_feed_opts o = {format, NULL, "feed.txt", skip_bad, 0};
    memset(&R, 0, sizeof R);
    return vg_feed_parse(text, len, &o, collect, on_bad, &R, &INFO, &ERR);
}

static char *fixture(const char *name, size_t *len)
{
    const char *dir = getenv("VG_TEST_DATA");
    char path[1024];
    FILE *f;
    char *buf;
    long n;
    snprintf(path, sizeof path, "%s/feeds/%s", dir ? dir : "tests/data", name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open fixture %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Parse fixture name as format (and check detection finds that format). */
static int run_fixture(const char *name, int format)
{
    size_t len;
    char *text = fixture(name, &len);
    struct vg_feed_opts o = {VG_FEED_AUTO, NULL, name, false, 0};
    int rc;
    CHECK_EQ_STR(vg_feed_format_name(vg_feed_detect(text, len, NULL)), vg_feed_format_name(format));
    memset(&R, 0, sizeof R);
    rc = vg_feed_parse(text, len, &o, collect, on_bad, &R, &INFO, &ERR);
    if (rc)
        fprintf(stderr, "%s: %s\n", name, ERR.msg);
    free(text);
    CHECK_EQ_INT(INFO.format, format);
    return rc;
}

static time_t utc(const char *s)
{
    time_t t = 0;
    if (vg_time_parse(s, strlen(s), &t) != VG_OK)
        fprintf(stderr, "bad test time %s\n", s);
    return t;
}

/* ---- normalisation --------------------------------------------------------- */

static void test_domain(void)
{
    char out[VG_DOMAIN_MAX + 1];
    CHECK_EQ_INT(vg_domain_normalize(LIT("Evil.EXAMPLE."), out), VG_OK);
    CHECK_EQ_STR(out, "evil.example");
    CHECK_EQ_INT(vg_domain_normalize(LIT("b\xc3\xbc"
                                         "cher.example"),
                                     out),
                 VG_OK);
    CHECK_EQ_STR(out, "xn--bcher-kva.example");
    CHECK_EQ_INT(vg_domain_normalize(LIT("B\xc3\x9c"
                                         "CHER.Example."),
                                     out),
                 VG_OK);
    CHECK_EQ_STR(out, "xn--bcher-kva.example");
    CHECK_EQ_INT(vg_domain_normalize(LIT("xn--bcher-kva.example"), out), VG_OK);
    CHECK_EQ_STR(out, "xn--bcher-kva.example");
    /* Vietnamese IDN */
    CHECK_EQ_INT(vg_domain_normalize(LIT("c\xe1\xbb\x95ng-th\xc3\xb4ng-tin.vn"), out), VG_OK);
    CHECK(strncmp(out, "xn--", 4) == 0);
    CHECK_EQ_INT(vg_domain_normalize(LIT("_dmarc.mail.example"), out), VG_OK);
    CHECK_EQ_STR(out, "_dmarc.mail.example");
    CHECK_EQ_INT(vg_domain_normalize(LIT("localhost"), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize(LIT("a..example"), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize(LIT("example.com.."), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize(LIT(".example.com"), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize(LIT("ex ample.com"), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize(LIT("10.0.0.300"), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize(LIT("bad\xff.example"), out), VG_EPARSE);
    CHECK_EQ_INT(vg_domain_normalize("", 0, out), VG_EPARSE);
    {
        char label[80];
        memset(label, 'a', 64);
        memcpy(label + 64, ".example", 8);
        CHECK_EQ_INT(vg_domain_normalize(label, 72, out), VG_EPARSE);
        CHECK_EQ_INT(vg_domain_normalize(label + 1, 71, out), VG_OK);
    }
}

static void test_url(void)
{
    char *u = NULL;
    CHECK_EQ_INT(vg_url_normalize(LIT("HTTP://Evil.Example:80"), &u), VG_OK);
    CHECK_EQ_STR(u, "http://evil.example/");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("https://EVIL.example:443/A/B?x=Y#frag"), &u), VG_OK);
    CHECK_EQ_STR(u, "https://evil.example/A/B?x=Y");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://evil.example:8080?q"), &u), VG_OK);
    CHECK_EQ_STR(u, "http://evil.example:8080/?q");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("https://evil.example:80/"), &u), VG_OK);
    CHECK_EQ_STR(u, "https://evil.example:80/");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://b\xc3\xbc"
                                      "cher.example/p"),
                                  &u),
                 VG_OK);
    CHECK_EQ_STR(u, "http://xn--bcher-kva.example/p");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://[2001:DB8:0::1]:8080/x"), &u), VG_OK);
    CHECK_EQ_STR(u, "http://[2001:db8::1]:8080/x");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("ftp://192.0.2.1/f"), &u), VG_OK);
    CHECK_EQ_STR(u, "ftp://192.0.2.1/f");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://user@evil.example/"), &u), VG_OK);
    CHECK_EQ_STR(u, "http://user@evil.example/");
    free(u);
    CHECK_EQ_INT(vg_url_normalize(LIT("mailto:a@b.example"), &u), VG_EPARSE);
    CHECK(u == NULL);
    CHECK_EQ_INT(vg_url_normalize(LIT("javascript://x.example/"), &u), VG_EPARSE);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://"), &u), VG_EPARSE);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://10.0.0.300/"), &u), VG_EPARSE);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://evil.example:99999/"), &u), VG_EPARSE);
    CHECK_EQ_INT(vg_url_normalize(LIT("http://evil .example/"), &u), VG_EPARSE);
}

static void test_hash_type(void)
{
    CHECK_EQ_INT(vg_hash_type(LIT("44d88612fea8a8f36de82e1278abb02f")), VG_IOC_MD5);
    CHECK_EQ_INT(vg_hash_type(LIT("3395856CE81F2B7382DEE72602F798B642F14140")), VG_IOC_SHA1);
    CHECK_EQ_INT(
        vg_hash_type(LIT("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
        VG_IOC_SHA256);
    CHECK_EQ_INT(vg_hash_type(LIT("44d88612fea8a8f36de82e1278abb02g")), VG_IOC_NONE);
    CHECK_EQ_INT(vg_hash_type(LIT("44d88612fea8a8f36de82e1278abb0")), VG_IOC_NONE);
    CHECK_EQ_STR(vg_ioc_type_name(VG_IOC_SHA256), "sha256");
    CHECK_EQ_STR(vg_ioc_type_name(VG_IOC_IP), "ip");
    CHECK_EQ_STR(vg_ioc_type_name(VG_IOC_NONE), "");
    CHECK_EQ_STR(vg_ioc_type_name(99), "");
}

static void test_format_names(void)
{
    for (int f = VG_FEED_AUTO; f <= VG_FEED_HSB; f++)
        CHECK_EQ_INT(vg_feed_format_parse(vg_feed_format_name(f)), f);
    CHECK_EQ_STR(vg_feed_format_name(VG_FEED_FEODO_JSON), "feodo-json");
    CHECK_EQ_INT(vg_feed_format_parse("STIX"), VG_FEED_STIX);
    CHECK_EQ_INT(vg_feed_format_parse("nope"), -1);
    CHECK_EQ_STR(vg_feed_format_name(-1), "");
}

/* ---- plain lists ------------------------------------------------------------ */

static void test_plain(void)
{
    static const char text[] = "\xEF\xBB\xBF# header\r\n"
                               "192.0.2.1\r\n"
                               "; semicolon comment\r\n"
                               "\r\n"
                               "198.51.100.7/24   # masked to the network\r\n"
                               "Evil.Example.\r\n"
                               "http://Evil.Example:80\r\n"
                               "44D88612FEA8A8F36DE82E1278ABB02F\r\n"
                               "2001:DB8::1\r\n"
                               "::ffff:192.0.2.9\r\n"
                               "0.0.0.0 ads.example\r\n"
                               "http://evil.example/a#b\r\n";
    CHECK_EQ_INT(run(LIT(text), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 9);
    CHECK_EQ_INT(INFO.records, 9);
    CHECK_EQ_INT(INFO.indicators, 9);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.1");
    CHECK_EQ_INT(R.g[0].type, VG_IOC_IP);
    CHECK_EQ_INT(R.g[0].line, 2);
    CHECK_EQ_STR(R.g[1].value, "198.51.100.0/24");
    CHECK_EQ_INT(R.g[1].line, 5);
    CHECK_EQ_STR(R.g[2].value, "evil.example");
    CHECK_EQ_INT(R.g[2].type, VG_IOC_DOMAIN);
    CHECK_EQ_STR(R.g[3].value, "http://evil.example/");
    CHECK_EQ_INT(R.g[3].type, VG_IOC_URL);
    CHECK_EQ_STR(R.g[4].value, "44d88612fea8a8f36de82e1278abb02f");
    CHECK_EQ_INT(R.g[4].type, VG_IOC_MD5);
    CHECK_EQ_STR(R.g[5].value, "2001:db8::1");
    CHECK_EQ_STR(R.g[6].value, "192.0.2.9"); /* v4-mapped is IPv4 */
    CHECK_EQ_STR(R.g[7].value, "ads.example");
    CHECK_EQ_STR(R.g[8].value, "http://evil.example/a");
    CHECK_EQ_INT(R.g[8].line, 12);
}

static void test_ipsum(void)
{
    CHECK_EQ_INT(run(LIT("# IP\tcount\n192.0.2.1\t7\n198.51.100.2  3\n"), VG_FEED_PLAIN, false),
                 VG_OK);
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_INT(R.g[0].score, 7);
    CHECK_EQ_INT(R.g[1].score, 3);
    CHECK_EQ_INT(run_fixture("ipsum.txt", VG_FEED_PLAIN), VG_OK);
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_STR(R.g[0].value, "198.51.100.23");
    CHECK_EQ_INT(R.g[0].score, 7);
    CHECK_EQ_INT(R.g[1].line, 4);
}

static void test_ranges(void)
{
    CHECK_EQ_INT(run(LIT("10.0.0.0 - 10.0.0.255\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "10.0.0.0/24");

    CHECK_EQ_INT(run(LIT("10.0.0.1 - 10.0.0.6\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 4);
    CHECK_EQ_STR(R.g[0].value, "10.0.0.1");
    CHECK_EQ_STR(R.g[1].value, "10.0.0.2/31");
    CHECK_EQ_STR(R.g[2].value, "10.0.0.4/31");
    CHECK_EQ_STR(R.g[3].value, "10.0.0.6");
    CHECK_EQ_INT(R.g[3].line, 1);

    CHECK_EQ_INT(run(LIT("10.0.0.5-10.0.0.5\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "10.0.0.5");

    CHECK_EQ_INT(run(LIT("0.0.0.0 - 255.255.255.255\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "0.0.0.0/0");

    CHECK_EQ_INT(run(LIT("192.168.0.255 - 192.168.2.0\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 3);
    CHECK_EQ_STR(R.g[0].value, "192.168.0.255");
    CHECK_EQ_STR(R.g[1].value, "192.168.1.0/24");
    CHECK_EQ_STR(R.g[2].value, "192.168.2.0");

    CHECK_EQ_INT(run(LIT("2001:db8::1 - 2001:db8::ffff\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 16);
    CHECK_EQ_STR(R.g[0].value, "2001:db8::1");
    CHECK_EQ_STR(R.g[1].value, "2001:db8::2/127");
    CHECK_EQ_STR(R.g[15].value, "2001:db8::8000/113");

    CHECK_EQ_INT(run(LIT(":: - ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\n"), VG_FEED_PLAIN, false),
                 VG_OK);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "::/0");

    CHECK_EQ_INT(run(LIT("10.0.0.9 - 10.0.0.1\n"), VG_FEED_PLAIN, false), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:1: range \"10.0.0.9 - 10.0.0.1\" ends before it starts");
    CHECK_EQ_INT(run(LIT("10.0.0.1 - 2001:db8::1\n"), VG_FEED_PLAIN, false), VG_EPARSE);
    CHECK_EQ_INT(run(LIT("10.0.0.1 - 10.0.0.300\n"), VG_FEED_PLAIN, false), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:1: \"10.0.0.300\" is not an IP address");
}

static void test_plain_bad(void)
{
    static const char text[] = "192.0.2.1\n10.0.0.300\nnot_a_domain\n192.0.2.2 junk here\n"
                               "192.0.2.3\n";
    CHECK_EQ_INT(run(LIT(text), VG_FEED_PLAIN, false), VG_EPARSE);
    CHECK_EQ_INT(ERR.code, VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:2: \"10.0.0.300\" is not an IP address");
    CHECK_EQ_INT(R.n, 1);

    CHECK_EQ_INT(run(LIT(text), VG_FEED_PLAIN, true), VG_OK);
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_INT(INFO.bad, 3);
    CHECK_EQ_INT(R.nbad, 3);
    CHECK_EQ_INT(INFO.records, 5);
    CHECK_EQ_INT(R.badline[0], 2);
    CHECK_EQ_STR(R.bad[0], "\"10.0.0.300\" is not an IP address");
    CHECK_EQ_INT(R.badline[1], 3);
    CHECK_EQ_STR(R.bad[1], "\"not_a_domain\" is not a domain name");
    CHECK_EQ_INT(R.badline[2], 4);
    CHECK_EQ_STR(R.bad[2], "unexpected text \"junk here\" after \"192.0.2.2\"");
    CHECK_EQ_STR(R.g[1].value, "192.0.2.3");

    /* Hostile bytes are escaped in messages; bad UTF-8 and NUL are bad records. */
    CHECK_EQ_INT(run(LIT("evil\x1b[31m.example\n"), VG_FEED_PLAIN, false), VG_EPARSE);
    CHECK(strchr(ERR.msg, '\x1b') == NULL);
    CHECK_EQ_INT(run(LIT("ok.example\nbad\xff.example\n"), VG_FEED_PLAIN, false), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:2: invalid UTF-8 at byte 4");
    CHECK_EQ_INT(run(LIT("a.example\n\0\n"), VG_FEED_PLAIN, true), VG_OK);
    CHECK_EQ_INT(INFO.bad, 1);

    /* max_record */
    {
        struct vg_feed_opts o = {VG_FEED_PLAIN, NULL, "f", true, 12};
        memset(&R, 0, sizeof R);
        CHECK_EQ_INT(vg_feed_parse(LIT("192.0.2.1\nlong-name.example\n"), &o, collect, on_bad, &R,
                                   &INFO, &ERR),
                     VG_OK);
        CHECK_EQ_INT(R.n, 1);
        CHECK_EQ_STR(R.bad[0], "record longer than 12 bytes");
    }
    /* The callback stops the parse with its own value. */
    memset(&R, 0, sizeof R);
    R.stop_after = 2;
    {
        struct vg_feed_opts o = {VG_FEED_PLAIN, NULL, "f", false, 0};
        CHECK_EQ_INT(vg_feed_parse(LIT("a.example\nb.example\nc.example\n"), &o, collect, on_bad,
                                   &R, &INFO, &ERR),
                     42);
        CHECK_EQ_INT(R.n, 2);
    }
    /* Empty input, only comments. */
    CHECK_EQ_INT(run("", 0, VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(R.n, 0);
    CHECK_EQ_INT(run(LIT("# nothing\n"), VG_FEED_PLAIN, false), VG_OK);
    CHECK_EQ_INT(INFO.records, 0);
}

static void test_plain_fixture(void)
{
    CHECK_EQ_INT(run_fixture("plain.txt", VG_FEED_PLAIN), VG_OK);
    CHECK_EQ_INT(R.n, 10);
    CHECK_EQ_INT(INFO.records, 9);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.1");
    CHECK_EQ_STR(R.g[1].value, "198.51.100.0/24");
    CHECK_EQ_STR(R.g[2].value, "203.0.113.10/31");
    CHECK_EQ_STR(R.g[3].value, "203.0.113.12/31");
    CHECK_EQ_INT(R.g[3].line, 4);
    CHECK_EQ_STR(R.g[4].value, "evil.example");
    CHECK_EQ_STR(R.g[5].value, "xn--bcher-kva.example");
    CHECK_EQ_STR(R.g[6].value, "http://evil.example/path?q=1");
    CHECK_EQ_INT(R.g[7].type, VG_IOC_MD5);
    CHECK_EQ_STR(R.g[8].value, "2001:db8::1");
    CHECK_EQ_STR(R.g[9].value, "192.0.2.7");
}

/* ---- FireHOL, iprep, Zeek ---------------------------------------------------- */

static void test_firehol(void)
{
    CHECK_EQ_INT(run_fixture("firehol.netset", VG_FEED_FIREHOL), VG_OK);
    CHECK_EQ_INT(R.n, 4);
    CHECK_EQ_INT(INFO.issued, utc("2026-11-21T10:13:25Z"));
    CHECK_EQ_STR(R.g[1].value, "198.51.100.0/25");
    CHECK_EQ_STR(R.g[1].category, "malware");
    CHECK_EQ_INT(R.g[0].line, 25);
    /* Only This File Date; a domain is a bad record in an IP list. */
    CHECK_EQ_INT(run(LIT("# This File Date  : Mon Jan  5 01:02:03 UTC 2026\n192.0.2.1\n"
                         "evil.example\n"),
                     VG_FEED_FIREHOL, true),
                 VG_OK);
    CHECK_EQ_INT(INFO.issued, utc("2026-01-05T01:02:03Z"));
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_INT(INFO.bad, 1);
    CHECK_EQ_STR(R.bad[0], "\"evil.example\" is not an IP address");
    /* The name decides. */
    CHECK_EQ_INT(vg_feed_detect(LIT("192.0.2.1\n"), "spamhaus_drop.netset"), VG_FEED_FIREHOL);
    CHECK_EQ_INT(vg_feed_detect(LIT("192.0.2.1\n"), "x.ipset"), VG_FEED_FIREHOL);
}

static void test_iprep(void)
{
    CHECK_EQ_INT(run_fixture("iprep.csv", VG_FEED_IPREP), VG_OK);
    CHECK_EQ_INT(R.n, 3);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.1");
    CHECK_EQ_STR(R.g[0].category, "1");
    CHECK_EQ_INT(R.g[0].score, 100);
    CHECK_EQ_STR(R.g[1].value, "198.51.100.0/24");
    CHECK_EQ_STR(R.g[1].category, "3");
    CHECK_EQ_STR(R.g[2].value, "2001:db8::dead");
    CHECK_EQ_INT(R.g[2].score, 127);
    CHECK_EQ_INT(run(LIT("192.0.2.1,1,128\n192.0.2.2,x,5\n192.0.2.3,1\n192.0.2.4,2,9\r\n"),
                     VG_FEED_IPREP, true),
                 VG_OK);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_INT(INFO.bad, 3);
    CHECK_EQ_STR(R.bad[0], "score \"128\" is not a number from 0 to 127");
    CHECK_EQ_STR(R.bad[1], "category \"x\" is not a number from 0 to 255");
    CHECK_EQ_STR(R.bad[2], "expected ip,category,score");
    CHECK_EQ_INT(R.g[0].line, 4);
}

static void test_zeek(void)
{
    CHECK_EQ_INT(run_fixture("zeek.intel", VG_FEED_ZEEK), VG_OK);
    CHECK_EQ_INT(R.n, 5);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.66");
    CHECK_EQ_STR(R.g[0].comment, "botnet C2");
    CHECK_EQ_INT(R.g[0].line, 6);
    CHECK_EQ_STR(R.g[1].value, "198.51.100.0/26");
    CHECK_EQ_STR(R.g[1].comment, "example-cert");
    CHECK_EQ_STR(R.g[2].value, "evil.example");
    CHECK_EQ_STR(R.g[3].value, "http://evil.example/login.php");
    CHECK_EQ_INT(R.g[3].type, VG_IOC_URL);
    CHECK_EQ_STR(R.g[4].value, "44d88612fea8a8f36de82e1278abb02f");
    CHECK_EQ_INT(INFO.records, 6); /* the EMAIL line is read, not emitted */
    CHECK_EQ_INT(run(LIT("#fields\tindicator\tindicator_type\n10.0.0.300\tIntel::ADDR\n"
                         "evil.example\tIntel::ADDR\nx\n"),
                     VG_FEED_ZEEK, true),
                 VG_OK);
    CHECK_EQ_INT(INFO.bad, 3);
    CHECK_EQ_STR(R.bad[0], "\"10.0.0.300\" is not an IP address");
    CHECK_EQ_STR(R.bad[2], "expected 2 fields separated by the #separator, found 1");
    CHECK_EQ_INT(run(LIT("1.2.3.4\tIntel::ADDR\n"), VG_FEED_ZEEK, false), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:1: data before the #fields header");
}

/* ---- CSV ------------------------------------------------------------------------ */

static void test_csv_guess(void)
{
    CHECK_EQ_INT(run_fixture("generic.csv", VG_FEED_CSV), VG_OK);
    CHECK_EQ_STR(INFO.csv_mapping, "ip=IP Address, time=First Seen UTC, family=Malware, port=Port, "
                                   "comment=ISP");
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.31");
    CHECK_EQ_STR(R.g[0].family, "Mirai");
    CHECK_EQ_INT(R.g[0].port, 23);
    CHECK_EQ_STR(R.g[0].comment, "Example ISP");
    /* A generic CSV's zoneless times are local (TZ is Asia/Ho_Chi_Minh here). */
    CHECK_EQ_INT(R.g[0].first, utc("2026-11-19T01:02:03+07:00"));
    CHECK_EQ_INT(R.g[1].port, 0);
    CHECK_EQ_INT(R.g[1].line, 3);

    /* Several indicator columns, semicolons, a quoted cell, a bad port, CRLF. */
    CHECK_EQ_INT(run(LIT("domain;url;sha256;dst_port\r\n"
                         "Evil.Example;\"http://Evil.Example/x;y\";;443\r\n"
                         "a.example;;;99999\r\n"
                         ";;E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855;\r\n"),
                     VG_FEED_CSV, true),
                 VG_OK);
    CHECK_EQ_INT(R.n, 3);
    CHECK_EQ_STR(R.g[0].value, "evil.example");
    CHECK_EQ_INT(R.g[0].port, 443);
    CHECK_EQ_STR(R.g[1].value, "http://evil.example/x;y");
    CHECK_EQ_INT(R.g[2].type, VG_IOC_SHA256);
    CHECK_EQ_INT(R.g[2].line, 4);
    CHECK_EQ_INT(INFO.bad, 1);
    CHECK_EQ_INT(R.badline[0], 3);
    CHECK_EQ_STR(R.bad[0], "column \"dst_port\": \"99999\" is not a port number");

    CHECK_EQ_INT(run(LIT("ip,comment\n10.0.0.300,x\n"), VG_FEED_CSV, false), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:2: column \"ip\": \"10.0.0.300\" is not an IP address");
    CHECK_EQ_INT(run(LIT("name,comment\nx,y\n"), VG_FEED_CSV, false), VG_EPARSE);
    CHECK(strstr(ERR.msg, "feed.txt:1: no column") == ERR.msg);

    /* URLhaus style: a commented header. */
    CHECK_EQ_INT(run(LIT("# URLhaus\n# id,dateadded,url,url_status,threat\n"
                         "\"1\",\"2026-11-20 10:00:00\",\"http://evil.example/a\",\"online\","
                         "\"malware_download\"\n"),
                     VG_FEED_AUTO, false),
                 VG_OK);
    CHECK_EQ_INT(INFO.format, VG_FEED_CSV);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "http://evil.example/a");
    CHECK_EQ_STR(R.g[0].family, "malware_download");
    CHECK_EQ_INT(R.g[0].line, 3);
}

static void test_csv_map(void)
{
    struct vg_feed_csv_map m = {0};
    struct vg_feed_opts o = {VG_FEED_CSV, &m, "m.csv", false, 0};
    static const char text[] = "Addr,Seen,Kind,Where\n192.0.2.5,2026-11-20,Mirai,HN\n";
    m.ip_col = "addr";
    m.time_col = "Seen";
    m.family_col = "Kind";
    m.comment_col = "Where";
    memset(&R, 0, sizeof R);
    CHECK_EQ_INT(vg_feed_parse(LIT(text), &o, collect, on_bad, &R, &INFO, &ERR), VG_OK);
    CHECK_EQ_STR(INFO.csv_mapping, "ip=Addr, time=Seen, family=Kind, comment=Where");
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].family, "Mirai");
    CHECK_EQ_INT(R.g[0].first, utc("2026-11-20T00:00+07:00"));
    m.port_col = "Port";
    CHECK_EQ_INT(vg_feed_parse(LIT(text), &o, collect, on_bad, &R, &INFO, &ERR), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "m.csv:1: no column \"Port\" in the header");
}

static void test_feodo_csv(void)
{
    CHECK_EQ_INT(run_fixture("feodo.csv", VG_FEED_FEODO_CSV), VG_OK);
    CHECK_EQ_INT(R.n, 3);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.44");
    CHECK_EQ_INT(R.g[0].port, 443);
    CHECK_EQ_STR(R.g[0].family, "QakBot");
    CHECK_EQ_STR(R.g[0].comment, "online");
    CHECK_EQ_INT(R.g[0].first, utc("2026-01-17T07:44:46Z"));
    CHECK_EQ_INT(R.g[0].last, utc("2026-11-20T00:00Z"));
    CHECK_EQ_INT(R.g[0].line, 10);
    CHECK_EQ_INT(R.g[2].line, 12);
    CHECK_EQ_INT(INFO.records, 3);
    /* Feodo's header commented out, as abuse.ch has also written it. */
    CHECK_EQ_INT(run(LIT("# \"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\","
                         "\"last_online\",\"malware\"\n"
                         "\"2026-01-17 07:44:46\",\"192.0.2.44\",\"443\",\"online\",\"2026-11-20\","
                         "\"QakBot\"\n"),
                     VG_FEED_AUTO, false),
                 VG_OK);
    CHECK_EQ_INT(INFO.format, VG_FEED_FEODO_CSV);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_INT(R.g[0].line, 2);
    CHECK_EQ_INT(run(LIT("first_seen_utc,dst_ip\nyesterday,192.0.2.1\n"), VG_FEED_FEODO_CSV, false),
                 VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:2: column \"first_seen_utc\": \"yesterday\" is not a time");
}

/* ---- JSON formats -------------------------------------------------------------- */

static void test_feodo_json(void)
{
    CHECK_EQ_INT(run_fixture("feodo.json", VG_FEED_FEODO_JSON), VG_OK);
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.44");
    CHECK_EQ_INT(R.g[0].port, 443);
    CHECK_EQ_STR(R.g[0].family, "QakBot");
    CHECK_EQ_STR(R.g[0].comment, "AS64500 EXAMPLE-AS, VN, online");
    CHECK_EQ_INT(R.g[0].line, 1);
    CHECK_EQ_STR(R.g[1].comment, "AS64501 OTHER-AS, NL, offline, c2.example.net");
    CHECK_EQ_INT(R.g[1].last, utc("2026-10-01T00:00Z"));
    CHECK_EQ_INT(run(LIT("[{\"ip_address\": \"10.0.0.300\"}, {\"ip_address\": \"192.0.2.1\"}]"),
                     VG_FEED_FEODO_JSON, false),
                 VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:1: [0].ip_address: \"10.0.0.300\" is not an IP address");
    CHECK_EQ_INT(run(LIT("[{\"ip_address\": 5}, {\"ip_address\": \"192.0.2.1\"}]"),
                     VG_FEED_FEODO_JSON, true),
                 VG_OK);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_INT(R.g[0].line, 2);
    CHECK_EQ_STR(R.bad[0], "[0]: no ip_address");
    CHECK_EQ_INT(run(LIT("[{\"ip_address\": \"192.0.2.1\"},"), VG_FEED_FEODO_JSON, false),
                 VG_EPARSE);
    CHECK(strncmp(ERR.msg, "feed.txt:1: column ", 19) == 0);
}

static void test_stix(void)
{
    CHECK_EQ_INT(run_fixture("stix.json", VG_FEED_STIX), VG_OK);
    CHECK_EQ_INT(R.n, 5);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.10");
    CHECK_EQ_STR(R.g[0].family, "Emotet C2");
    CHECK_EQ_INT(R.g[0].first, utc("2026-11-20T08:00:00Z"));
    CHECK_EQ_INT(R.g[0].line, 2);
    CHECK_EQ_STR(R.g[1].value, "198.51.100.0/28");
    CHECK_EQ_STR(R.g[2].value, "login-bank.example");
    CHECK_EQ_STR(R.g[2].family, "phishing");
    CHECK_EQ_STR(R.g[3].value, "https://login-bank.example/");
    CHECK_EQ_INT(R.g[4].type, VG_IOC_SHA256);
    CHECK_EQ_STR(R.g[4].value, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_EQ_INT(INFO.records, 5); /* the identity is not a record; AND and yara are skipped */
    CHECK_EQ_INT(INFO.bad, 0);
    CHECK_EQ_INT(INFO.issued, utc("2026-11-21T09:00:00Z"));

    /* A bad value in a pattern is a bad record; escapes; a wrong family. */
    CHECK_EQ_INT(
        run(LIT("{\"type\":\"bundle\",\"objects\":["
                "{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value = '2001:db8::1']\"},"
                "{\"type\":\"indicator\",\"pattern\":\"[file:hashes.MD5 = 'xyz']\"},"
                "{\"type\":\"indicator\",\"pattern\":\"[url:value = 'http://e.example/"
                "it\\\\'s'] OR [email-addr:value = 'a@b.example']\"},"
                "{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value = '192.0.2.1'] "
                "FOLLOWEDBY [ipv4-addr:value = '192.0.2.2']\"}]}"),
            VG_FEED_AUTO, true),
        VG_OK);
    CHECK_EQ_INT(INFO.format, VG_FEED_STIX);
    CHECK_EQ_INT(INFO.bad, 2);
    CHECK_EQ_STR(R.bad[0], "objects[0].pattern: \"2001:db8::1\" is not an IPv4 address or prefix");
    CHECK_EQ_INT(R.badline[1], 2);
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "http://e.example/it's");
    CHECK_EQ_INT(run(LIT("{\"type\":\"report\"}"), VG_FEED_STIX, false), VG_EPARSE);
}

static void test_misp(void)
{
    CHECK_EQ_INT(run_fixture("misp.json", VG_FEED_MISP), VG_OK);
    CHECK_EQ_INT(INFO.issued, utc("2026-11-20T00:00Z"));
    CHECK_EQ_INT(R.n, 7);
    CHECK_EQ_STR(R.g[0].value, "192.0.2.200");
    CHECK_EQ_STR(R.g[0].category, "Network activity");
    CHECK_EQ_STR(R.g[0].comment, "Phishing campaign against agencies");
    CHECK_EQ_INT(R.g[0].line, 1);
    CHECK_EQ_STR(R.g[1].value, "198.51.100.9");
    CHECK_EQ_INT(R.g[1].port, 8443);
    CHECK_EQ_STR(R.g[2].value, "c2.evil.example");
    CHECK_EQ_STR(R.g[3].value, "203.0.113.77");
    CHECK_EQ_INT(R.g[3].line, 3);
    /* hostname with to_ids false and the email are skipped */
    CHECK_EQ_STR(R.g[4].value, "http://evil.example/payload.exe");
    CHECK_EQ_INT(R.g[4].line, 6);
    CHECK_EQ_INT(R.g[5].type, VG_IOC_SHA256);
    CHECK_EQ_INT(R.g[5].line, 7);
    CHECK_EQ_STR(R.g[5].category, "Payload delivery");
    CHECK_EQ_INT(R.g[6].type, VG_IOC_MD5);
    CHECK_EQ_INT(INFO.records, 8);

    CHECK_EQ_INT(
        run(LIT("{\"Event\":{\"Attribute\":["
                "{\"type\":\"md5\",\"value\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b"
                "934ca495991b7852b855\"},"
                "{\"type\":\"ip-dst|port\",\"value\":\"192.0.2.1\"},"
                "{\"type\":\"domain\",\"value\":\"ok.example\",\"to_ids\":\"1\"},"
                "{\"type\":\"domain\",\"value\":\"no.example\",\"to_ids\":\"0\"}]}}"),
            VG_FEED_AUTO, true),
        VG_OK);
    CHECK_EQ_INT(INFO.format, VG_FEED_MISP);
    CHECK_EQ_INT(INFO.bad, 2);
    CHECK(strstr(R.bad[0], "Event.Attribute[0].value: ") == R.bad[0]);
    CHECK(strstr(R.bad[0], "is not a md5 digest") != NULL);
    CHECK_EQ_STR(R.bad[1], "Event.Attribute[1].value: \"192.0.2.1\" has no '|' (type ip-dst|port)");
    CHECK_EQ_INT(R.n, 1);
    CHECK_EQ_STR(R.g[0].value, "ok.example");
}

/* ---- hashes and ClamAV -------------------------------------------------------- */

static void test_hashes(void)
{
    CHECK_EQ_INT(run_fixture("hashes.txt", VG_FEED_HASHES), VG_OK);
    CHECK_EQ_INT(R.n, 3);
    CHECK_EQ_INT(R.g[0].type, VG_IOC_MD5);
    CHECK_EQ_INT(R.g[1].type, VG_IOC_SHA1);
    CHECK_EQ_STR(R.g[1].value, "3395856ce81f2b7382dee72602f798b642f14140");
    CHECK_EQ_INT(R.g[2].type, VG_IOC_SHA256);
    CHECK_EQ_STR(R.g[2].comment, "empty.bin");
    CHECK_EQ_INT(run(LIT("44d88612fea8a8f36de82e1278abb02f\n192.0.2.1\n"), VG_FEED_HASHES, false),
                 VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:2: \"192.0.2.1\" is not an MD5, SHA-1 or SHA-256 digest");
}

static void test_clamav(void)
{
    CHECK_EQ_INT(run_fixture("clamav.hdb", VG_FEED_HDB), VG_OK);
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_STR(R.g[0].value, "44d88612fea8a8f36de82e1278abb02f");
    CHECK_EQ_INT(R.g[0].size, 68);
    CHECK_EQ_STR(R.g[0].family, "Eicar-Test-Signature");
    CHECK_EQ_INT(run_fixture("clamav.hsb", VG_FEED_HSB), VG_OK);
    CHECK_EQ_INT(R.n, 2);
    CHECK_EQ_INT(R.g[0].type, VG_IOC_SHA1);
    CHECK_EQ_INT(R.g[1].type, VG_IOC_SHA256);
    CHECK_EQ_INT(R.g[1].size, 0);
    CHECK_EQ_STR(R.g[1].family, "Vigil.Test.Empty-SHA256");
    CHECK_EQ_INT(run(LIT("3395856ce81f2b7382dee72602f798b642f14140:1:x\n"), VG_FEED_HDB, false),
                 VG_EPARSE);
    CHECK_EQ_STR(ERR.msg,
                 "feed.txt:1: \"3395856ce81f2b7382dee72602f798b642f14140\" is not an MD5 digest");
    CHECK_EQ_INT(run(LIT("44d88612fea8a8f36de82e1278abb02f:big:x\n"), VG_FEED_HDB, false),
                 VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt:1: size \"big\" is not a number or '*'");
    CHECK_EQ_INT(vg_feed_detect(LIT("whatever\n"), "daily.hdb"), VG_FEED_HDB);
    CHECK_EQ_INT(vg_feed_detect(LIT("whatever\n"), "DAILY.HSB"), VG_FEED_HSB);
}

/* ---- detection and the dispatcher -------------------------------------------- */

static void test_detect(void)
{
    CHECK_EQ_INT(vg_feed_detect(LIT("192.0.2.1\n198.51.100.0/24\nevil.example\n"), NULL),
                 VG_FEED_PLAIN);
    CHECK_EQ_INT(vg_feed_detect(LIT("192.0.2.1,1,20\n192.0.2.2,3,40\n"), NULL), VG_FEED_IPREP);
    CHECK_EQ_INT(vg_feed_detect(LIT("44d88612fea8a8f36de82e1278abb02f:68:Eicar\n"), NULL),
                 VG_FEED_HDB);
    CHECK_EQ_INT(vg_feed_detect(LIT("3395856ce81f2b7382dee72602f798b642f14140:*:x\n"), NULL),
                 VG_FEED_HSB);
    CHECK_EQ_INT(vg_feed_detect(LIT("44d88612fea8a8f36de82e1278abb02f\n"), NULL), VG_FEED_HASHES);
    CHECK_EQ_INT(vg_feed_detect(LIT("ip_address;comment\n192.0.2.1;x\n"), NULL), VG_FEED_CSV);
    CHECK_EQ_INT(vg_feed_detect(LIT("  {\"Event\": {}}"), NULL), VG_FEED_MISP);
    CHECK_EQ_INT(vg_feed_detect(LIT("{\"objects\": [], \"type\" : \"bundle\"}"), NULL),
                 VG_FEED_STIX);
    CHECK_EQ_INT(vg_feed_detect(LIT("[{\"ip_address\":\"192.0.2.1\"}]"), NULL), VG_FEED_FEODO_JSON);
    CHECK_EQ_INT(vg_feed_detect(LIT("{\"foo\": 1}"), NULL), VG_FEED_AUTO);
    CHECK_EQ_INT(vg_feed_detect(LIT("#fields\tindicator\tindicator_type\n"), NULL), VG_FEED_ZEEK);
    CHECK_EQ_INT(vg_feed_detect(LIT("first_seen_utc,dst_ip,dst_port\n"), NULL), VG_FEED_FEODO_CSV);
    CHECK_EQ_INT(vg_feed_detect(LIT("hello world, how are you\nfine thanks\n"), NULL),
                 VG_FEED_AUTO);
    CHECK_EQ_INT(vg_feed_detect(LIT("# only comments\n"), NULL), VG_FEED_AUTO);
    CHECK_EQ_INT(vg_feed_detect("", 0, NULL), VG_FEED_AUTO);
    CHECK_EQ_INT(vg_feed_detect(LIT("\xEF\xBB\xBF"
                                    "192.0.2.1\r\n"),
                                NULL),
                 VG_FEED_PLAIN);

    CHECK_EQ_INT(run(LIT("hello world, how are you\n"), VG_FEED_AUTO, false), VG_EPARSE);
    CHECK_EQ_STR(ERR.msg, "feed.txt: cannot tell the feed's format (give it with --format)");
    CHECK_EQ_INT(run(LIT("x"), 99, false), VG_EINVAL);
}

static const struct test_case tests[] = {
    {"domain", test_domain},
    {"url", test_url},
    {"hash_type", test_hash_type},
    {"format_names", test_format_names},
    {"plain", test_plain},
    {"ipsum", test_ipsum},
    {"ranges", test_ranges},
    {"plain_bad", test_plain_bad},
    {"plain_fixture", test_plain_fixture},
    {"firehol", test_firehol},
    {"iprep", test_iprep},
    {"zeek", test_zeek},
    {"csv_guess", test_csv_guess},
    {"csv_map", test_csv_map},
    {"feodo_csv", test_feodo_csv},
    {"feodo_json", test_feodo_json},
    {"stix", test_stix},
    {"misp", test_misp},
    {"hashes", test_hashes},
    {"clamav", test_clamav},
    {"detect", test_detect},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    setenv("TZ", "Asia/Ho_Chi_Minh", 1); /* zoneless times: UTC, but local in a generic CSV */
    tzset();
    return test_main(argc, argv, tests);
}
