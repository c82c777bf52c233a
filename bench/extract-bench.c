/*
 * extract-bench.c - driver for bench/extract: writes a mixed log of
 * realistic lines (nginx combined, sshd, ufw key=value, Zeek conn TSV),
 * writes random IPv4 pattern lists, and times vg_extract_line over a log
 * held in memory on one core.
 *
 *     extract-bench gen MB SEED FILE        about MB megabytes of log lines
 *     extract-bench patterns N SEED FILE    N random IPv4 addresses, one a line
 *     extract-bench run FILE [RUNS]         warm-up, then RUNS timed passes (default 3)
 *
 * `run` prints "key: value" lines: bytes, lines, tokens per type, and the
 * median pass's seconds, GB/s and lines/s.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sweep/sweep.h"

#include "core/banned.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)((rng >> 11) % n);
}

static const char *const paths[] = {"/",
                                    "/index.php",
                                    "/wp-login.php",
                                    "/api/v1/items?id=42",
                                    "/static/app.js",
                                    "/images/logo.png",
                                    "/favicon.ico",
                                    "/search?q=vigil+sweep",
                                    "/.env",
                                    "/cgi-bin/luci"};
static const char *const agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "curl/8.4.0",
    "Go-http-client/1.1", "python-requests/2.31.0"};
/* Referrers: "-", or a page on one of 20,000 sites (5,000 names under 4 TLDs),
 * so that a listed site shows up in a realistic share of lines. */
static const char *const subs[] = {"www", "m", "shop", "news", "cdn"};
static const char *const tlds[] = {"com", "net", "org", "vn"};
static const char *const refpaths[] = {"/", "/news", "/search?q=x", "/p/index.html"};

static void referrer(char *b, size_t n)
{
    if (rnd(3) == 0)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "http%s://%s.site%u.%s%s", rnd(2) ? "s" : "", subs[rnd(5)], rnd(5000),
                 tlds[rnd(4)], refpaths[rnd(4)]);
}
static const char *const users[] = {"root", "admin", "ubuntu", "deploy", "oracle", "test"};
static const char *const mon[] = {"Jan", "Feb", "Mar", "Oct", "Nov", "Dec"};

static void ip4(char *b, size_t n)
{
    snprintf(b, n, "%u.%u.%u.%u", 1 + rnd(223), rnd(256), rnd(256), 1 + rnd(254));
}

static void ip6(char *b, size_t n)
{
    snprintf(b, n, "2001:db8:%x:%x::%x", rnd(65536), rnd(65536), 1 + rnd(65535));
}

static int gen(long mb, const char *file)
{
    FILE *f = fopen(file, "w");
    uint64_t want = (uint64_t)mb << 20, done = 0;
    char a[64], b[64], ref[128];
    if (!f)
        return 2;
    while (done < want) {
        int k = (int)rnd(10), w;
        unsigned h = rnd(24), m = rnd(60), s = rnd(60);
        if (k < 4) { /* nginx combined */
            if (rnd(10) == 0)
                ip6(a, sizeof a);
            else
                ip4(a, sizeof a);
            referrer(ref, sizeof ref);
            w = fprintf(f,
                        "%s - - [%02u/%s/2026:%02u:%02u:%02u +0700] \"GET %s HTTP/1.1\" %u %u "
                        "\"%s\" \"%s\"\n",
                        a, 1 + rnd(28), mon[rnd(6)], h, m, s, paths[rnd(10)], rnd(4) ? 200 : 404,
                        rnd(50000), ref, agents[rnd(5)]);
        } else if (k < 6) { /* sshd */
            ip4(a, sizeof a);
            if (rnd(2))
                w = fprintf(f,
                            "%s %2u %02u:%02u:%02u web%u sshd[%u]: Failed password for %s from "
                            "%s port %u ssh2\n",
                            mon[rnd(6)], 1 + rnd(28), h, m, s, rnd(9), rnd(99999), users[rnd(6)], a,
                            1024 + rnd(60000));
            else
                w = fprintf(f,
                            "%s %2u %02u:%02u:%02u web%u sshd[%u]: Connection closed by %s port "
                            "%u [preauth]\n",
                            mon[rnd(6)], 1 + rnd(28), h, m, s, rnd(9), rnd(99999), a,
                            1024 + rnd(60000));
        } else if (k < 8) { /* ufw / iptables */
            ip4(a, sizeof a);
            ip4(b, sizeof b);
            w = fprintf(f,
                        "%s %2u %02u:%02u:%02u gw kernel: [%u.%06u] [UFW BLOCK] IN=eth0 OUT= "
                        "MAC=00:16:3e:aa:bb:cc:00:16:3e:dd:ee:ff:08:00 SRC=%s DST=%s LEN=60 "
                        "TOS=0x00 PREC=0x00 TTL=%u ID=%u DF PROTO=TCP SPT=%u DPT=%u "
                        "WINDOW=64240 RES=0x00 SYN URGP=0\n",
                        mon[rnd(6)], 1 + rnd(28), h, m, s, rnd(99999), rnd(999999), a, b,
                        32 + rnd(200), rnd(65536), 1024 + rnd(60000), rnd(1024));
        } else { /* Zeek conn.log */
            ip4(a, sizeof a);
            ip4(b, sizeof b);
            w = fprintf(f,
                        "17%08u.%06u\tC%08x%04x\t%s\t%u\t%s\t%u\ttcp\t%s\t%u.%06u\t%u\t%u\tSF\tT"
                        "\tF\t0\tShADadFf\t%u\t%u\t%u\t%u\t-\n",
                        rnd(100000000), rnd(1000000), rnd(0xffffffffu), rnd(65536), a,
                        1024 + rnd(60000), b, rnd(2) ? 443 : 53, rnd(2) ? "ssl" : "dns", rnd(100),
                        rnd(1000000), rnd(100000), rnd(1000000), rnd(100), rnd(9999), rnd(100),
                        rnd(99999));
        }
        if (w < 0)
            return 2;
        done += (uint64_t)w;
    }
    return fclose(f) ? 2 : 0;
}

static int patterns(long n, const char *file)
{
    FILE *f = fopen(file, "w");
    char a[64];
    if (!f)
        return 2;
    for (long i = 0; i < n; i++) {
        ip4(a, sizeof a);
        fprintf(f, "%s\n", a);
    }
    return fclose(f) ? 2 : 0;
}

struct counts {
    size_t by_type[16];
};

static int count_fn(void *ctx, const struct vg_token *t)
{
    struct counts *c = ctx;
    c->by_type[t->type & 15]++;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double pass(const char *buf, size_t len, size_t *lines, struct counts *c)
{
    double t0 = now();
    const char *p = buf, *end = buf + len;
    memset(c, 0, sizeof *c);
    *lines = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        vg_extract_line(p, (size_t)(le - p), VG_TOK_ALL, count_fn, c);
        (*lines)++;
        p = le + 1;
    }
    return now() - t0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int run(const char *file, int runs)
{
    FILE *f = fopen(file, "rb");
    char *buf;
    long len;
    size_t lines;
    struct counts c;
    double t[32];
    if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        return 2;
    buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        return 2;
    fclose(f);
    pass(buf, (size_t)len, &lines, &c); /* warm-up */
    for (int i = 0; i < runs; i++)
        t[i] = pass(buf, (size_t)len, &lines, &c);
    qsort(t, (size_t)runs, sizeof t[0], cmp_d);
    printf("bytes: %ld\nlines: %zu\n", len, lines);
    printf("ipv4: %zu\nipv6: %zu\ndomain: %zu\nurl: %zu\n", c.by_type[VG_TOK_IPV4],
           c.by_type[VG_TOK_IPV6], c.by_type[VG_TOK_DOMAIN], c.by_type[VG_TOK_URL]);
    printf("seconds: %.4f\ngbps: %.3f\nlines_per_s: %.0f\n", t[runs / 2],
           (double)len / t[runs / 2] / 1e9, (double)lines / t[runs / 2]);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "gen") == 0) {
        rng ^= strtoull(argv[3], NULL, 10) * 0x9e3779b97f4a7c15ull;
        return gen(strtol(argv[2], NULL, 10), argv[4]);
    }
    if (argc == 5 && strcmp(argv[1], "patterns") == 0) {
        rng ^= strtoull(argv[3], NULL, 10) * 0x9e3779b97f4a7c15ull;
        return patterns(strtol(argv[2], NULL, 10), argv[4]);
    }
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "run") == 0) {
        int runs = argc == 4 ? (int)strtol(argv[3], NULL, 10) : 3;
        if (runs < 1 || runs > 31)
            return 2;
        return run(argv[2], runs);
    }
    fprintf(stderr,
            "usage: extract-bench gen MB SEED FILE | patterns N SEED FILE | run FILE [RUNS]\n");
    return 2;
}
