/*
 * test_sweep_extract.c - unit tests for the log-line token extractor
 * (lib/sweep/extract.c): real log lines of many formats with the exact
 * tokens expected, the edge cases of the token rules in sweep.h, masks, the
 * callback's stop, very long lines, and an oracle test that checks 20,000
 * seeded random lines against the slow reference in tests/fuzz/extract_ref.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "sweep/sweep.h"

#include "test.h"
#include "../fuzz/extract_ref.h"

#include "core/banned.h"

/* ---- collecting tokens as text ------------------------------------------ */

struct coll {
    char text[8192];
    size_t len;
    size_t calls;
    size_t stop_after; /* return non-zero on this call (1-based); 0: never */
};

static void coll_add(struct coll *c, const char *s, size_t n)
{
    if (c->len + n + 1 < sizeof c->text) {
        memcpy(c->text + c->len, s, n);
        c->len += n;
        c->text[c->len] = '\0';
    }
}

/* Each token as "4:text", "6:text", "d:text" or "u:text[host]", separated by spaces. */
static int coll_fn(void *ctx, const struct vg_token *t)
{
    struct coll *c = ctx;
    static const char *const pfx[] = {"?:", "4:", "6:", "?:", "d:", "?:", "?:", "?:", "u:"};
    if (c->len)
        coll_add(c, " ", 1);
    coll_add(c, pfx[t->type & 15 & (t->type < 9 ? 15 : 0)], 2);
    coll_add(c, t->p, t->n);
    if (t->type == VG_TOK_URL) {
        coll_add(c, "[", 1);
        coll_add(c, t->host, t->host_n);
        coll_add(c, "]", 1);
    }
    c->calls++;
    return c->stop_after && c->calls == c->stop_after;
}

static const char *extract(const char *line, int mask, size_t *count)
{
    static struct coll c;
    memset(&c, 0, sizeof c);
    *count = vg_extract_line(line, strlen(line), mask, coll_fn, &c);
    return c.text;
}

struct line_case {
    const char *line;
    const char *want; /* tokens of VG_TOK_ALL, as coll_fn writes them */
};

static void run_cases(const struct line_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t count;
        const char *got = extract(cases[i].line, VG_TOK_ALL, &count);
        if (!CHECK_EQ_STR(got, cases[i].want))
            fprintf(stderr, "    line: %s\n", cases[i].line);
    }
}

#define RUN(cases) run_cases((cases), sizeof(cases) / sizeof((cases)[0]))

/* ---- real log lines ------------------------------------------------------ */

static void test_nginx(void)
{
    static const struct line_case cases[] = {
        {"203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] \"GET /index.php?id=1 HTTP/1.1\" 200 "
         "2326 \"http://www.example.com/start.html\" \"Mozilla/5.0 (X11; Linux x86_64) "
         "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\"",
         "4:203.0.113.7 d:index.php u:http://www.example.com/start.html[www.example.com] "
         "d:www.example.com 4:120.0.0.0"},
        {"2001:db8:85a3::8a2e:370:7334 - alice [10/Oct/2023:13:55:36 -0700] \"POST "
         "/wp-login.php HTTP/2.0\" 302 0 \"https://blog.example.org:8443/wp-admin/\" "
         "\"curl/8.4.0\"",
         "6:2001:db8:85a3::8a2e:370:7334 d:wp-login.php "
         "u:https://blog.example.org:8443/wp-admin/[blog.example.org] d:blog.example.org"},
        {"::1 - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"-\"", "6:::1"},
        {"198.51.100.23 - - [01/Jan/2024:00:00:01 +0000] \"GET /a HTTP/1.1\" 404 0 "
         "\"https://[2001:db8::2]:8080/x?y=1.2.3.4\" \"Go-http-client/1.1\"",
         "4:198.51.100.23 u:https://[2001:db8::2]:8080/x?y=1.2.3.4[2001:db8::2] 6:2001:db8::2"},
        {"10.1.2.3 - - [01/Jan/2024:00:00:01 +0000] \"GET http://evil.example.net/x HTTP/1.1\" "
         "400 0 \"-\" \"-\"",
         "4:10.1.2.3 u:http://evil.example.net/x[evil.example.net] d:evil.example.net"},
    };
    RUN(cases);
}

static void test_sshd(void)
{
    static const struct line_case cases[] = {
        {"Jan 12 03:14:15 web1 sshd[1234]: Failed password for root from 1.2.3.4 port 22 ssh2",
         "4:1.2.3.4"},
        {"Jan 12 03:14:15 web1 sshd[1234]: Accepted publickey for deploy from 2001:db8::5 port "
         "50022 ssh2: ED25519 SHA256:AbC/dEf+123",
         "6:2001:db8::5"},
        {"Jan 12 03:14:16 web1 sshd[99]: Server listening on :: port 22.", "6:::"},
        {"Jan 12 03:14:16 web1 sshd[99]: Received disconnect from 192.0.2.44 port 51234:11: "
         "Bye Bye [preauth]",
         "4:192.0.2.44"},
        {"Jan 12 03:14:16 web1 sshd[99]: Invalid user admin from ::ffff:198.51.100.9 port 4242",
         "4:::ffff:198.51.100.9"},
        {"Jan 12 03:14:17 gw sshd[7]: Connection closed by 203.0.113.200.", "4:203.0.113.200"},
    };
    RUN(cases);
}

static void test_firewall(void)
{
    static const struct line_case cases[] = {
        {"Jan 12 03:14:15 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:aa:bb:cc:00:16:3e:dd:"
         "ee:ff:08:00 SRC=185.220.101.4 DST=10.0.0.5 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=0 DF "
         "PROTO=TCP SPT=43210 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0",
         "4:185.220.101.4 4:10.0.0.5"},
        {"kernel: IN=eth0 OUT= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=fe80::1 LEN=72",
         "6:2001:0db8:0000:0000:0000:0000:0000:0001 6:fe80::1"},
        {"action=deny src=192.168.1.10,dst=8.8.8.8;proto=udp sport=5353 dport=53 "
         "qname=badsite.example.",
         "4:192.168.1.10 4:8.8.8.8 d:badsite.example"},
        {"SRC_RANGE 10.0.0.1-10.0.0.255 allowed", "4:10.0.0.1 4:10.0.0.255"},
    };
    RUN(cases);
}

static void test_zeek(void)
{
    static const struct line_case cases[] = {
        {"1700000000.123456\tCabc123\t10.0.0.5\t49152\t93.184.216.34\t443\ttcp\tssl\t1.234\t512"
         "\t4096\tSF\tT\tF\t0\tShADadFf\t10\t1024\t12\t4608\t-",
         "4:10.0.0.5 4:93.184.216.34"},
        {"1700000000.5\tCx\t2001:db8::10\t5353\tff02::fb\t5353\tudp\tdns\t-\t-\t-\tS0",
         "6:2001:db8::10 6:ff02::fb"},
    };
    RUN(cases);
}

static void test_misc_logs(void)
{
    static const struct line_case cases[] = {
        /* Windows-style address:port */
        {"Logon failure from 10.0.0.1:445 to \\\\FS01.corp.local\\share",
         "4:10.0.0.1 d:FS01.corp.local"},
        /* DNS query logs */
        {"client 192.0.2.1#53211 (www.Example.COM): query: www.Example.COM IN A + (10.0.0.53)",
         "4:192.0.2.1 d:www.Example.COM d:www.Example.COM 4:10.0.0.53"},
        {"dnsmasq[812]: query[AAAA] xn--80ak6aa92e.com. from 127.0.0.1",
         "d:xn--80ak6aa92e.com 4:127.0.0.1"},
        {"unbound: info: 10.0.0.9 tracker_srv.ads-cdn.example. A IN",
         "4:10.0.0.9 d:tracker_srv.ads-cdn.example"},
        /* postfix */
        {"postfix/smtpd[2211]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 "
         "<spam@bad-domain.example>: Relay access denied; from=<john.doe@mail.example.org> "
         "to=<info@victim.example> proto=ESMTP helo=<mx.bad-domain.example>",
         "4:203.0.113.9 d:bad-domain.example d:mail.example.org d:victim.example "
         "d:mx.bad-domain.example"},
        {"postfix/smtp[3]: 4F1A: to=<a.b+tag@example.net>, relay=mx1.example.net[198.51.100.25]:25",
         "d:example.net d:mx1.example.net 4:198.51.100.25"},
        /* Apache error log */
        {"[Wed Oct 11 14:32:52.123456 2023] [core:error] [pid 1234] [client 1.2.3.4:5678] "
         "AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
         "4:1.2.3.4"},
        {"[Wed Oct 11 14:32:52 2023] [error] [client 2001:db8::7] File does not exist: "
         "/var/www/html/favicon.ico, referer: ftp://files.example.com/pub/",
         "6:2001:db8::7 d:favicon.ico u:ftp://files.example.com/pub/[files.example.com] "
         "d:files.example.com"},
    };
    RUN(cases);
}

/* ---- the edge cases of the rules ----------------------------------------- */

static void test_ipv4_rules(void)
{
    static const struct line_case cases[] = {
        {"1.2.3.4.5", ""},
        {"01.2.3.4", ""},
        {"1.2.3.04", ""},
        {"0.0.0.0 255.255.255.255", "4:0.0.0.0 4:255.255.255.255"},
        {"256.1.1.1 1.2.3.256", ""},
        {"1.2.3.4/24", "4:1.2.3.4"},
        {"[1.2.3.4]", "4:1.2.3.4"},
        {"src=1.2.3.4,", "4:1.2.3.4"},
        {"1.2.3.4:80", "4:1.2.3.4"},
        {"(1.2.3.4)", "4:1.2.3.4"},
        {"1.2.3", ""},
        {"1..2.3.4", ""},
        {".1.2.3.4", ""},
        {"1.2.3.4..", ""},
        {"12345.1.1.1", ""},
        {"nginx/1.24.0 OpenSSL/3.0.11", ""},
        {"v1.2.3.4", "4:1.2.3.4"},
        {"a.1.2.3.4", ""},
        {"1.2.3.4.example.com", "d:1.2.3.4.example.com"},
        {"1.2.3.4abc", "4:1.2.3.4"},
        {"999999999999999999999.1", ""},
        {"1.2.3.4\t5.6.7.8", "4:1.2.3.4 4:5.6.7.8"},
    };
    RUN(cases);
}

static void test_ipv6_rules(void)
{
    static const struct line_case cases[] = {
        {"[::1]:80", "6:::1"},
        {"[2001:db8::1]:443", "6:2001:db8::1"},
        {"::ffff:1.2.3.4", "4:::ffff:1.2.3.4"},
        {"12:34:56", ""},
        {"at 12:34:56.789 and 23:59", ""},
        {"fe80::1%eth0 up", "6:fe80::1"},
        {"fe80::1%25 x", "6:fe80::1"},
        {"1:2:3:4:5:6:7:8", "6:1:2:3:4:5:6:7:8"},
        {"1:2:3:4:5:6:7", ""},
        {"1:2:3:4:5:6:7:8:9", ""},
        {"1:2:3:4:5:6:1.2.3.4", "6:1:2:3:4:5:6:1.2.3.4"},
        {"MAC 00:1a:2b:3c:4d:5e", ""},
        {"std::string", ""},
        {"a::b is an address by the rules", "6:a::b"},
        {"2001:db8::1.", "6:2001:db8::1"},
        {"2001:DB8::ABCD", "6:2001:DB8::ABCD"},
        {"gggg::1", ""},
        {"::1g", ""},
        {"12345::1", ""},
        {"1::2::3", ""},
    };
    RUN(cases);
}

static void test_domain_rules(void)
{
    static const struct line_case cases[] = {
        {"my-host_1.sub-domain.example.com", "d:my-host_1.sub-domain.example.com"},
        {"xn--bcher-kva.example XN--P1AI.test", "d:xn--bcher-kva.example d:XN--P1AI.test"},
        {"WWW.EXAMPLE.COM.", "d:WWW.EXAMPLE.COM"},
        {"example.com..", ""},
        {"a..b", ""},
        {".hidden.example", ""},
        {"nginx", ""},
        {"index.php x86_64.rpm", "d:index.php d:x86_64.rpm"},
        {"example.123", ""},
        {"example.1com", ""},
        {"user@example.com", "d:example.com"},
        {"first.last@example.com", "d:example.com"},
        {"e.g. done", "d:e.g"},
        {"host.example.com:8080", "d:host.example.com"},
        /* Not ASCII: the run starts at the dot, so it is no domain. */
        {"caf\xc3\xa9.example.com", ""},
    };
    RUN(cases);
}

static void test_url_rules(void)
{
    static const struct line_case cases[] = {
        {"see https://user:pw@host.example.com:8443/p?q=1#f next",
         "u:https://user:pw@host.example.com:8443/p?q=1#f[host.example.com] d:host.example.com"},
        {"HTTP://EXAMPLE.ORG/Index.HTML", "u:HTTP://EXAMPLE.ORG/Index.HTML[EXAMPLE.ORG] "
                                          "d:EXAMPLE.ORG"},
        {"<a href='http://1.2.3.4/x.sh'>", "u:http://1.2.3.4/x.sh[1.2.3.4] 4:1.2.3.4"},
        {"http://localhost:8080/health", "u:http://localhost:8080/health[localhost]"},
        {"xhttp://a.example/", "d:a.example"},
        {"http:// nothing", ""},
        {"gopher://a.example/", "d:a.example"},
        {"url=\"http://a.example.com/\"", "u:http://a.example.com/[a.example.com] "
                                          "d:a.example.com"},
        {"http://[::1", "u:http://[::1[::1]"},
    };
    RUN(cases);
}

static void test_odd_lines(void)
{
    static const struct line_case cases[] = {
        {"", ""},
        {".", ""},
        {":", ""},
        {"::", "6:::"},
        {":::", ""},
        {"........", ""},
        {"::::::::", ""},
        {"1.1.1.1.1.1.1.1", ""},
        {"1:1:1:1:1:1:1:1:1:1", ""},
        {"0.0.0.0:0::0", "4:0.0.0.0"},
    };
    RUN(cases);
    /* Bytes with the high bit set, NUL and control bytes are boundaries. */
    {
        static const char line[] = "\x01"
                                   "1.2.3.4\0"
                                   "5.6.7.8\xff"
                                   "a.example";
        struct coll c;
        memset(&c, 0, sizeof c);
        CHECK_EQ_INT(vg_extract_line(line, sizeof line - 1, VG_TOK_ALL, coll_fn, &c), 3);
        CHECK_EQ_STR(c.text, "4:1.2.3.4 4:5.6.7.8 d:a.example");
    }
}

/* ---- masks, stop, counts, fields ------------------------------------------ */

static const char mixed[] = "from 1.2.3.4 to 2001:db8::9 via http://cdn.example.net/x host "
                            "mail.example.org ::ffff:10.0.0.1";

static void test_mask(void)
{
    size_t count;
    CHECK_EQ_STR(extract(mixed, VG_TOK_ALL, &count),
                 "4:1.2.3.4 6:2001:db8::9 u:http://cdn.example.net/x[cdn.example.net] "
                 "d:cdn.example.net d:mail.example.org 4:::ffff:10.0.0.1");
    CHECK_EQ_INT(count, 6);
    CHECK_EQ_STR(extract(mixed, VG_TOK_IPV4, &count), "4:1.2.3.4 4:::ffff:10.0.0.1");
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_STR(extract(mixed, VG_TOK_IPV6, &count), "6:2001:db8::9");
    CHECK_EQ_STR(extract(mixed, VG_TOK_DOMAIN, &count), "d:cdn.example.net d:mail.example.org");
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_STR(extract(mixed, VG_TOK_URL, &count), "u:http://cdn.example.net/x[cdn.example.net]");
    CHECK_EQ_STR(extract(mixed, VG_TOK_IPV4 | VG_TOK_IPV6, &count),
                 "4:1.2.3.4 6:2001:db8::9 4:::ffff:10.0.0.1");
    CHECK_EQ_STR(extract(mixed, 0, &count), "");
    CHECK_EQ_INT(count, 0);
    /* Without a callback the tokens are only counted. */
    CHECK_EQ_INT(vg_extract_line(mixed, strlen(mixed), VG_TOK_ALL, NULL, NULL), 6);
}

static void test_stop(void)
{
    struct coll c;
    for (size_t stop = 1; stop <= 6; stop++) {
        memset(&c, 0, sizeof c);
        c.stop_after = stop;
        CHECK_EQ_INT(vg_extract_line(mixed, strlen(mixed), VG_TOK_ALL, coll_fn, &c), stop);
        CHECK_EQ_INT(c.calls, stop);
    }
    memset(&c, 0, sizeof c);
    c.stop_after = 1;
    CHECK_EQ_INT(vg_extract_line(mixed, strlen(mixed), VG_TOK_DOMAIN, coll_fn, &c), 1);
    CHECK_EQ_STR(c.text, "d:cdn.example.net");
}

struct fields {
    struct vg_token t[8];
    size_t n;
};

static int fields_fn(void *ctx, const struct vg_token *t)
{
    struct fields *f = ctx;
    if (f->n < 8)
        f->t[f->n++] = *t;
    return 0;
}

static void test_fields(void)
{
    static const char line[] = "x http://[2001:db8::1]:80/ 10.0.0.1 ::ffff:1.2.3.4 fe80::1%eth0";
    struct fields f = {0};
    struct vg_ip ip;
    CHECK_EQ_INT(vg_extract_line(line, sizeof line - 1, VG_TOK_ALL, fields_fn, &f), 5);
    CHECK_EQ_INT(f.n, 5);
    CHECK_EQ_INT(f.t[0].type, VG_TOK_URL);
    CHECK_EQ_INT(f.t[0].col, 2);
    CHECK_EQ_MEM(f.t[0].host, f.t[0].host_n, "2001:db8::1", 11);
    CHECK(f.t[0].host == line + 10);
    CHECK_EQ_INT(f.t[1].type, VG_TOK_IPV6);
    CHECK_EQ_INT(f.t[1].col, 10);
    CHECK(vg_ip_parse("2001:db8::1", 11, &ip) == 0 && vg_ip_eq(&ip, &f.t[1].ip));
    CHECK_EQ_INT(f.t[2].type, VG_TOK_IPV4);
    CHECK_EQ_INT(f.t[2].col, 27);
    CHECK(f.t[2].ip.family == 4 && f.t[2].ip.a[0] == 10 && f.t[2].ip.a[3] == 1);
    CHECK(f.t[2].host == NULL && f.t[2].host_n == 0);
    CHECK_EQ_INT(f.t[3].type, VG_TOK_IPV4);
    CHECK(f.t[3].ip.family == 4 && f.t[3].ip.a[0] == 1 && f.t[3].ip.a[3] == 4);
    CHECK_EQ_INT(f.t[4].type, VG_TOK_IPV6);
    CHECK_EQ_MEM(f.t[4].p, f.t[4].n, "fe80::1", 7);
    CHECK_EQ_INT(f.t[4].col, 51);
}

/* A 1 MiB line: tokens at both ends and in the middle, and runs of anchors. */
static void test_long_line(void)
{
    size_t n = 1u << 20;
    char *line = malloc(n);
    struct coll c;
    if (!CHECK(line != NULL))
        return;
    memset(line, 'x', n);
    memcpy(line, "1.2.3.4 ", 8);
    memcpy(line + n / 2, " evil.example.com ", 18);
    memcpy(line + n - 8, " 5.6.7.8", 8);
    memset(&c, 0, sizeof c);
    CHECK_EQ_INT(vg_extract_line(line, n, VG_TOK_ALL, coll_fn, &c), 3);
    CHECK_EQ_STR(c.text, "4:1.2.3.4 d:evil.example.com 4:5.6.7.8");
    /* Only dots, only colons, only digits, and a mixture. */
    memset(line, '.', n);
    CHECK_EQ_INT(vg_extract_line(line, n, VG_TOK_ALL, NULL, NULL), 0);
    memset(line, ':', n);
    CHECK_EQ_INT(vg_extract_line(line, n, VG_TOK_ALL, NULL, NULL), 0);
    memset(line, '7', n);
    CHECK_EQ_INT(vg_extract_line(line, n, VG_TOK_ALL, NULL, NULL), 0);
    for (size_t i = 0; i < n; i++)
        line[i] = "1.:"[i % 3];
    CHECK_EQ_INT(vg_extract_line(line, n, VG_TOK_ALL, NULL, NULL), 0);
    for (size_t i = 0; i < n; i++)
        line[i] = "a.b:"[i % 4];
    CHECK_EQ_INT(vg_extract_line(line, n, VG_TOK_ALL, NULL, NULL), n / 4); /* "a.b" each */
    /* A 300-byte name is too long to be a domain. */
    memset(line, 'a', 300);
    line[150] = '.';
    CHECK_EQ_INT(vg_extract_line(line, 300, VG_TOK_ALL, NULL, NULL), 0);
    CHECK_EQ_INT(vg_extract_line(line + 47, 253, VG_TOK_ALL, NULL, NULL), 1);
    free(line);
}

/* ---- oracle: random lines against the slow reference ------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static void put(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n < cap) {
        memcpy(buf + *len, s, n);
        *len += n;
    }
}

/* One noise item that must not make an IPv4 address by itself. */
static void noise(char *buf, size_t cap, size_t *len)
{
    static const char *const words[] = {
        "GET",
        "sshd[123]:",
        "Failed",
        "password",
        "for",
        "root",
        "port",
        "ssh2",
        "HTTP/1.1",
        "-",
        "\"",
        "[",
        "]",
        "=",
        ",",
        ";",
        "index.html",
        "example.com",
        "user@mail.example.org",
        "nginx/1.24.0",
        "Chrome/120.0.0.0",
        "0x1f",
        "SRC=",
        "DST=",
        "::",
        "fe80::",
        "[client",
    };
    char tmp[64];
    switch (rnd(7)) {
    case 0:
    case 1:
        put(buf, cap, len, words[rnd(sizeof words / sizeof words[0])]);
        return;
    case 2: /* a number, a version, a time */
        snprintf(tmp, sizeof tmp, "%u", rnd(100000));
        break;
    case 3:
        snprintf(tmp, sizeof tmp, "%u.%u.%u", rnd(300), rnd(300), rnd(300));
        break;
    case 4:
        snprintf(tmp, sizeof tmp, "%02u:%02u:%02u.%03u", rnd(24), rnd(60), rnd(60), rnd(1000));
        break;
    case 5: /* five parts, or a leading zero */
        snprintf(tmp, sizeof tmp, "%u.%u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256),
                 rnd(256));
        break;
    default:
        snprintf(tmp, sizeof tmp, "0%u.%u.%u.%u", rnd(10), rnd(256), rnd(256), rnd(256));
        break;
    }
    put(buf, cap, len, tmp);
}

struct ip4_list {
    struct vg_ip ip[64];
    size_t col[64];
    size_t n;
};

static int ip4_fn(void *ctx, const struct vg_token *t)
{
    struct ip4_list *l = ctx;
    if (l->n < 64) {
        l->ip[l->n] = t->ip;
        l->col[l->n++] = t->col;
    }
    return 0;
}

static void test_oracle(void)
{
    static const char *const seps[] = {" ",  " ", "\t", "=", ":", ",", "[", "]", "(",
                                       "\"", "/", "",   "",  ".", "-", "x", "#"};
    char line[1024];
    struct ref_tok rt[128];
    size_t lines_bad = 0, embedded = 0, found_embedded = 0;
    rng_state = 0x9e3779b97f4a7c15ull;
    for (int li = 0; li < 20000; li++) {
        size_t len = 0, items = 1 + rnd(14);
        struct ref_out o = {rt, 0, 128};
        struct ip4_list got = {0};
        size_t known_col[16], nknown = 0, nref4 = 0, k = 0;
        bool ok = true;
        for (size_t i = 0; i < items; i++) {
            const char *sep = seps[rnd(sizeof seps / sizeof seps[0])];
            if (i)
                put(line, sizeof line, &len, sep);
            if (rnd(3) == 0) {
                char tmp[32];
                /* A known address, cleanly bounded when the separators are blanks. */
                snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256));
                if (nknown < 16 && (i == 0 || sep[0] == ' '))
                    known_col[nknown++] = len;
                put(line, sizeof line, &len, tmp);
                if (nknown && known_col[nknown - 1] == len - strlen(tmp) && i + 1 < items) {
                    put(line, sizeof line, &len, " ");
                }
            } else {
                noise(line, sizeof line, &len);
            }
        }
        line[len] = '\0';
        vg_extract_line(line, len, VG_TOK_IPV4, ip4_fn, &got);
        ref_extract(line, len, &o);
        for (size_t i = 0; i < o.n; i++) {
            if (o.t[i].type != VG_TOK_IPV4)
                continue;
            nref4++;
            if (k >= got.n || got.col[k] != o.t[i].col || !vg_ip_eq(&got.ip[k], &o.t[i].ip))
                ok = false;
            k++;
        }
        if (nref4 != got.n)
            ok = false;
        /* Every cleanly bounded known address is found. */
        for (size_t j = 0; j < nknown; j++) {
            bool hit = false;
            embedded++;
            for (size_t i = 0; i < got.n; i++)
                hit |= got.col[i] == known_col[j];
            found_embedded += hit;
        }
        if (!ok && lines_bad++ < 5) {
            CHECK(ok);
            fprintf(stderr, "    line: %s\n    fast %zu IPv4, reference %zu\n", line, got.n, nref4);
        }
    }
    CHECK_EQ_INT(lines_bad, 0);
    CHECK(embedded > 10000);
    CHECK_EQ_INT(found_embedded, embedded);
}

/* Every type, not just IPv4, agrees with the reference on the realistic lines above. */
static void test_reference_all_types(void)
{
    static const char *const lines[] = {
        mixed,
        "203.0.113.7 - - [10/Oct/2023:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 1 "
        "\"https://[2001:db8::2]:8080/a\" \"Mozilla/5.0\"",
        "to=<a.b+tag@example.net>, relay=mx1.example.net[198.51.100.25]:25 fe80::1%eth0 x",
        "http://[::1 ftp://1.2.3.4./ http://u@p@h.example.com. a::b 1.2.3.4.",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct ref_tok rt[32];
        struct ref_out o = {rt, 0, 32};
        struct fields f = {0};
        size_t n = strlen(lines[i]);
        vg_extract_line(lines[i], n, VG_TOK_ALL, fields_fn, &f);
        ref_extract(lines[i], n, &o);
        if (!CHECK_EQ_INT(f.n, o.n))
            continue;
        for (size_t k = 0; k < o.n; k++) {
            CHECK_EQ_INT(f.t[k].type, o.t[k].type);
            CHECK_EQ_INT(f.t[k].col, o.t[k].col);
            CHECK_EQ_INT(f.t[k].n, o.t[k].n);
        }
    }
}

static const struct test_case tests[] = {
    {"nginx", test_nginx},
    {"sshd", test_sshd},
    {"firewall", test_firewall},
    {"zeek", test_zeek},
    {"misc_logs", test_misc_logs},
    {"ipv4_rules", test_ipv4_rules},
    {"ipv6_rules", test_ipv6_rules},
    {"domain_rules", test_domain_rules},
    {"url_rules", test_url_rules},
    {"odd_lines", test_odd_lines},
    {"mask", test_mask},
    {"stop", test_stop},
    {"fields", test_fields},
    {"long_line", test_long_line},
    {"oracle", test_oracle},
    {"reference_all_types", test_reference_all_types},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    return test_main(argc, argv, tests);
}
