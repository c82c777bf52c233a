/*
 * fuzz_archive.c - libFuzzer target for the archive walker (vg_archive_walk).
 * The input is a whole file's bytes, walked with small limits so that each
 * run stays fast (a few MiB unpacked at most) while the limits, the bomb
 * checks (which need more than 1 MiB of one member) and nesting can all be
 * reached.
 *
 * Invariants (abort() when broken):
 *   - the walk returns VG_OK or VG_EPARSE (the callbacks never fail), and
 *     VG_EPARSE only with nothing handed out;
 *   - every member has data, at most max_member bytes, a depth in
 *     1..max_depth, and a path of clean UTF-8 text (vg_str_has_ctl) that
 *     starts with "fuzz!"; one at depth d > 1 lies inside a member of depth
 *     d - 1 handed out before it ("<that path>!..."), so a path holds at
 *     least d '!';
 *   - a problem's path and reason are clean text too, the path starts with
 *     "fuzz", and the reason with "error: ", "limit: ", "zip bomb: " or is
 *     "encrypted";
 *   - the members' bytes add up to at most max_total, their count to at most
 *     max_members;
 *   - a second walk hands out exactly the same members (paths and bytes);
 *   - a callback that stops at member k makes the walk return its code
 *     after exactly k members.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "scan/scan.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_archive.c:%d: invariant failed: %s\n", __LINE__, #cond);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define DISPLAY "fuzz"
#define MAX_DEPTH 3
#define MAX_MEMBER (2u << 20)
#define MAX_TOTAL (4u << 20)
#define MAX_MEMBERS 64
#define STOP_RC 4242

struct run {
    size_t members, problems;
    uint64_t bytes;
    uint64_t hash; /* FNV-1a over every path and its bytes, in order */
    size_t stop_at;
    char *paths[MAX_MEMBERS + 1];
    int depths[MAX_MEMBERS + 1];
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ull;
    }
    return h;
}

static bool clean(const char *s)
{
    return s && !vg_str_has_ctl(s, strlen(s));
}

static int on_member(void *ctx, const char *path, const unsigned char *data, size_t n, int depth)
{
    struct run *r = ctx;
    CHECK(data != NULL);
    CHECK(n <= MAX_MEMBER);
    CHECK(depth >= 1 && depth <= MAX_DEPTH);
    CHECK(clean(path));
    CHECK(strncmp(path, DISPLAY "!", sizeof DISPLAY) == 0);
    if (depth > 1) {
        /* Inside an archive handed out before, one level up. */
        bool inside = false;
        for (size_t i = r->members; i-- > 0 && !inside;) {
            size_t k = strlen(r->paths[i]);
            inside =
                r->depths[i] == depth - 1 && strncmp(path, r->paths[i], k) == 0 && path[k] == '!';
        }
        CHECK(inside);
    }
    size_t bangs = 0;
    for (const char *p = path; *p; p++)
        bangs += *p == '!';
    CHECK(bangs >= (size_t)depth);

    CHECK(r->members < MAX_MEMBERS);
    r->paths[r->members] = vg_strdup(path);
    CHECK(r->paths[r->members] != NULL);
    r->depths[r->members] = depth;
    r->members++;
    r->bytes += n;
    CHECK(r->bytes <= MAX_TOTAL);
    r->hash = fnv(fnv(r->hash, path, strlen(path) + 1), data, n);
    return r->stop_at && r->members == r->stop_at ? STOP_RC : 0;
}

static void on_problem(void *ctx, const char *path, const char *reason)
{
    struct run *r = ctx;
    CHECK(clean(path) && strncmp(path, DISPLAY, sizeof DISPLAY - 1) == 0);
    CHECK(clean(reason));
    CHECK(strncmp(reason, "error: ", 7) == 0 || strncmp(reason, "limit: ", 7) == 0 ||
          strncmp(reason, "zip bomb: ", 10) == 0 || strcmp(reason, "encrypted") == 0);
    r->problems++;
}

static void run_release(struct run *r)
{
    for (size_t i = 0; i < r->members; i++)
        free(r->paths[i]);
}

static int walk(const uint8_t *data, size_t size, struct run *r)
{
    struct vg_archive_limits l;
    vg_archive_defaults(&l);
    l.max_depth = MAX_DEPTH;
    l.max_member = MAX_MEMBER;
    l.max_total = MAX_TOTAL;
    l.max_members = MAX_MEMBERS;
    l.max_ratio = 50;
    r->hash = 14695981039346656037ull;
    return vg_archive_walk(data, size, DISPLAY, &l, on_member, on_problem, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct run a, b;
    int rc;

    (void)vg_archive_sniff(data, size);
    memset(&a, 0, sizeof a);
    rc = walk(data, size, &a);
    CHECK(rc == VG_OK || rc == VG_EPARSE);
    CHECK(rc == VG_OK || a.members == 0);

    /* The same again; the second pass is skipped for inputs that unpack a
     * lot, to keep runs fast. */
    if (a.bytes <= (256u << 10)) {
        memset(&b, 0, sizeof b);
        CHECK(walk(data, size, &b) == rc);
        CHECK(b.members == a.members && b.bytes == a.bytes && b.hash == a.hash);
        CHECK(b.problems == a.problems);
        run_release(&b);
        if (a.members) {
            memset(&b, 0, sizeof b);
            b.stop_at = 1 + size % a.members;
            CHECK(walk(data, size, &b) == STOP_RC);
            CHECK(b.members == b.stop_at);
            run_release(&b);
        }
    }
    run_release(&a);
    return 0;
}
