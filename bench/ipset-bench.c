/*
 * ipset-bench.c - the driver of bench/ipset: loads an IPv4 list into a
 * vg_ipset and times it, then times lookups. Not part of the build (no CMake
 * target); bench/ipset compiles it against BUILD_DIR/libvigil.a.
 *
 *   ipset-bench gen N SEED FILE     write N random addresses and prefixes, one a line
 *   ipset-bench load FILE           read, parse, add and build; print times and memory
 *   ipset-bench lookup FILE COUNT   load, then COUNT single-thread lookups (two probe mixes)
 *
 * Output lines are "key: value" for the script to pick up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/parse.h"
#include "intel/intel.h"

#include "core/banned.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

_Noreturn static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "ipset-bench: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    exit(2);
}

/*
 * 85% single addresses, 14% prefixes /24 to /31, 0.9% /17 to /23, 0.1% /12
 * to /16, uniform over 1.0.0.0 - 223.255.255.255: the shape of a large
 * botnet or scanner list (some overlaps, mostly separate entries).
 */
static int cmd_gen(size_t n, uint64_t seed, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write", path);
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = (uint32_t)rng(), r = (uint32_t)(rng() % 1000);
        unsigned len = r < 850   ? 32
                       : r < 990 ? 24 + (unsigned)(rng() % 8)
                       : r < 999 ? 17 + (unsigned)(rng() % 7)
                                 : 12 + (unsigned)(rng() % 5);
        x = (x & 0x00ffffff) | (uint32_t)(1 + rng() % 223) << 24;
        if (len < 32)
            x &= ~(UINT32_MAX >> len);
        if (len == 32)
            fprintf(f, "%u.%u.%u.%u\n", x >> 24, x >> 16 & 0xff, x >> 8 & 0xff, x & 0xff);
        else
            fprintf(f, "%u.%u.%u.%u/%u\n", x >> 24, x >> 16 & 0xff, x >> 8 & 0xff, x & 0xff, len);
    }
    if (fclose(f) != 0)
        die("cannot write", path);
    return 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long size;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        die("cannot read", path);
    buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
        die("cannot read", path);
    fclose(f);
    buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

struct totals {
    size_t ranges;
    uint64_t addresses;
};

static void count_range(void *ctx, const struct vg_ip *lo, const struct vg_ip *hi)
{
    struct totals *t = ctx;
    uint32_t a =
        (uint32_t)lo->a[0] << 24 | (uint32_t)lo->a[1] << 16 | (uint32_t)lo->a[2] << 8 | lo->a[3];
    uint32_t z =
        (uint32_t)hi->a[0] << 24 | (uint32_t)hi->a[1] << 16 | (uint32_t)hi->a[2] << 8 | hi->a[3];
    t->ranges++;
    t->addresses += (uint64_t)z - a + 1;
}

/* Call fn on each non-empty line of data[0..len): the parsed prefix and its index. */
static size_t each_prefix(const char *data, size_t len,
                          void (*fn)(void *, const struct vg_prefix *, size_t), void *ctx)
{
    size_t n = 0;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
        struct vg_prefix pfx;
        if (ln) {
            if (vg_prefix_parse(p, ln, 0, &pfx) != VG_OK)
                die("bad line:", p);
            fn(ctx, &pfx, n++);
        }
        p += ln + 1;
    }
    return n;
}

static void parse_only(void *ctx, const struct vg_prefix *p, size_t i)
{
    *(uint32_t *)ctx += p->ip.a[3] + (uint32_t)i;
}

static void add_one(void *ctx, const struct vg_prefix *p, size_t i)
{
    if (vg_ipset_add(ctx, p, (uint32_t)i) != VG_OK)
        die("vg_ipset_add failed", NULL);
}

struct firsts {
    uint32_t *a;
    size_t n;
};

static void keep_first(void *ctx, const struct vg_prefix *p, size_t i)
{
    struct firsts *f = ctx;
    f->a[i] = (uint32_t)p->ip.a[0] << 24 | (uint32_t)p->ip.a[1] << 16 | (uint32_t)p->ip.a[2] << 8 |
              p->ip.a[3];
}

/*
 * Load path into a new set, the way a feed import does: each line parsed
 * and added, then one build. Times: reading the file; parsing alone (a
 * first pass); parse + add; build. add + build is the figure of the 1 s
 * target; the process's peak RSS (this mode allocates nothing else but the
 * file's bytes, freed before the build) the 32 MB one.
 */
static struct vg_ipset *load(const char *path, struct firsts *firsts)
{
    size_t len, n;
    uint32_t sink = 0;
    double t0 = now(), t1, t2, t3, t4;
    char *data = read_all(path, &len);
    struct vg_ipset *s = vg_ipset_new();
    struct totals tot = {0};
    if (!s)
        die("out of memory", NULL);
    t1 = now();
    n = each_prefix(data, len, parse_only, &sink);
    t2 = now();
    each_prefix(data, len, add_one, s);
    t3 = now();
    if (firsts) {
        firsts->a = malloc(n * sizeof *firsts->a);
        if (!firsts->a)
            die("out of memory", NULL);
        firsts->n = each_prefix(data, len, keep_first, firsts);
    }
    free(data);
    if (vg_ipset_build(s) != VG_OK)
        die("vg_ipset_build failed", NULL);
    t4 = now();
    vg_ipset_ranges(s, count_range, &tot);
    printf("entries: %zu\n", n);
    printf("read_s: %.4f\n", t1 - t0);
    printf("parse_s: %.4f\n", t2 - t1);
    printf("add_s: %.4f\n", t3 - t2 - (t2 - t1));
    printf("build_s: %.4f\n", t4 - t3);
    printf("add_build_s: %.4f\n", t4 - t2 - (t2 - t1));
    printf("parse_add_build_s: %.4f\n", t4 - t2);
    printf("set_bytes: %zu\n", vg_ipset_memory(s));
    printf("peak_rss_kb: %ld\n", peak_rss_kb());
    printf("ranges: %zu\n", tot.ranges);
    printf("unique_ips: %llu\n", (unsigned long long)tot.addresses);
    if (sink == 1)
        fputs("", stderr);
    return s;
}

/* count lookups of probes[i % nprobes]; returns the hits. */
static uint64_t run_lookups(const struct vg_ipset *s, const uint32_t *probes, size_t nprobes,
                            uint64_t count, double *secs)
{
    uint64_t hits = 0, sum = 0;
    double t0 = now();
    for (uint64_t i = 0, j = 0; i < count; i++) {
        uint32_t x = probes[j];
        struct vg_ip ip = {
            .family = 4,
            .a = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x}};
        uint32_t v;
        if (vg_ipset_lookup(s, &ip, &v)) {
            hits++;
            sum += v;
        }
        if (++j == nprobes)
            j = 0;
    }
    *secs = now() - t0;
    if (sum == 1) /* keep the values live */
        fputs("", stderr);
    return hits;
}

static int cmd_lookup(const char *path, uint64_t count)
{
    enum { NPROBES = 1 << 22 }; /* 16 MB of probes: beyond the caches, like a log sweep */
    uint32_t *probes = malloc(NPROBES * sizeof *probes);
    struct firsts firsts = {0};
    struct vg_ipset *s = load(path, &firsts);
    double secs;
    uint64_t hits;
    if (!probes)
        die("out of memory", NULL);
    rng_state = 7;
    /* Mix 1: uniform random addresses (mostly misses, as in a sweep of ordinary logs). */
    for (size_t i = 0; i < NPROBES; i++)
        probes[i] = (uint32_t)rng();
    hits = run_lookups(s, probes, NPROBES, count, &secs);
    printf("lookups_random: %llu in %.3f s, %.1f M/s, %.1f ns each, %.1f%% hits\n",
           (unsigned long long)count, secs, (double)count / secs / 1e6, secs * 1e9 / (double)count,
           100.0 * (double)hits / (double)count);
    printf("lookups_random_per_s: %.0f\n", (double)count / secs);
    /* Mix 2: addresses taken from the list (every one a hit). */
    for (size_t i = 0; i < NPROBES; i++)
        probes[i] = firsts.a[rng() % firsts.n];
    hits = run_lookups(s, probes, NPROBES, count, &secs);
    printf("lookups_listed: %llu in %.3f s, %.1f M/s, %.1f ns each, %.1f%% hits\n",
           (unsigned long long)count, secs, (double)count / secs / 1e6, secs * 1e9 / (double)count,
           100.0 * (double)hits / (double)count);
    printf("lookups_listed_per_s: %.0f\n", (double)count / secs);
    free(probes);
    free(firsts.a);
    vg_ipset_free(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "gen") == 0)
        return cmd_gen(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10), argv[4]);
    if (argc == 3 && strcmp(argv[1], "load") == 0) {
        vg_ipset_free(load(argv[2], NULL));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "lookup") == 0)
        return cmd_lookup(argv[2], strtoull(argv[3], NULL, 10));
    fprintf(stderr, "usage: ipset-bench gen N SEED FILE | load FILE | lookup FILE COUNT\n");
    return 2;
}
