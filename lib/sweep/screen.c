/*
 * screen.c - the sweep's fast path (vg_screen_find): runs over many lines at
 * once and stops only where a token may be listed, so that the full
 * extraction and the exact lookups (sweep.c) run on those lines alone.
 *
 * The screen must never miss a line that the full path would report: it
 * looks at a superset of the extractor's tokens, using the same byte
 * classes (cls.h).
 *   - Every extracted IPv4 address is a maximal run of digits and dots
 *     (less one trailing dot); the screen tests every such run that is a
 *     dotted quad, also inside longer words, against the /24 bits.
 *   - Every extracted domain ends where a maximal run of name bytes and dots
 *     ends, and so shares its last two labels; the screen hashes those into
 *     the domain bits. (The one way a domain token can start inside such a
 *     run is right after an IPv6 address at a '-': such tokens begin with
 *     '-', checked when a listed key begins with one.)
 *   - Every extracted IPv6 address is a maximal run of hex digits, ':' and
 *     '.'; the screen parses those of the right shape. IPv4-mapped ones are
 *     IPv4 addresses.
 *   - A URL can only be listed if its host is, so URLs need nothing more,
 *     except hosts with non-ASCII bytes (IDN), which are passed on.
 * Bits that are set are confirmed with the exact lookups before a line is
 * passed on, so a line whose address merely shares a /24 with a listed one
 * costs one lookup, not an extraction.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "intel/intel.h"
#include "sweep/cls.h"
#include "sweep/sweep.h"

#include "core/banned.h"

#define K(c) vg_sweep_cls[(unsigned char)(c)]

/* The next '.' (or ':' with colons) at or after i, or n. */
static inline size_t next_anchor(const char *s, size_t i, size_t n, bool colons)
{
#ifdef __SSE2__
    const __m128i dot = _mm_set1_epi8('.');
    const __m128i colon = _mm_set1_epi8(colons ? ':' : '.');
    while (i + 32 <= n) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
        unsigned m0 = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v0, dot), _mm_cmpeq_epi8(v0, colon)));
        unsigned m1 = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v1, dot), _mm_cmpeq_epi8(v1, colon)));
        uint32_t m = m0 | m1 << 16;
        if (m)
            return i + (size_t)__builtin_ctz(m);
        i += 32;
    }
#endif
    for (; i < n; i++)
        if (s[i] == '.' || (colons && s[i] == ':'))
            return i;
    return n;
}

/* An IPv4 address whose /24 bit is set and that is listed (or a listed URL's host). */
static bool check_v4(const struct vg_matcher *m, const struct vg_screen *sc, const uint8_t o[4])
{
    struct vg_ip ip;
    uint32_t n24 = (uint32_t)o[0] << 16 | (uint32_t)o[1] << 8 | o[2];
    if (!vg_screen_bit(sc->v4l1, n24 >> 4) || !vg_screen_bit(sc->v4, n24))
        return false;
    memset(&ip, 0, sizeof ip);
    ip.family = 4;
    memcpy(ip.a, o, 4);
    return vg_matcher_maybe_ip(m, &ip);
}

/* p[0..n) is a dotted quad of 1-3 digit numbers up to 255 (leading zeros allowed:
 * a superset of what the extractor takes). */
static inline bool quad(const char *p, size_t n, uint8_t o[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        unsigned v = 0, d = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9' && d < 4) {
            v = v * 10 + (unsigned)(p[i++] - '0');
            d++;
        }
        if (d == 0 || d > 3 || v > 255)
            return false;
        o[k] = (uint8_t)v;
        if (k < 3 && (i >= n || p[i++] != '.'))
            return false;
    }
    return i == n;
}

/* Each maximal run of digits and dots in s[a..b) that is a dotted quad (a trailing dot aside). */
static bool v4_inside(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                      size_t a, size_t b)
{
    uint8_t o[4];
    for (size_t r = a; r < b;) {
        size_t e, dots = 0;
        if (!(K(s[r]) & C_DIGIT) && s[r] != '.') {
            r++;
            continue;
        }
        for (e = r; e < b && ((K(s[e]) & C_DIGIT) || s[e] == '.'); e++)
            dots += s[e] == '.';
        size_t te = s[e - 1] == '.' ? e - 1 : e;
        if (dots >= 3 && te > r && quad(s + r, te - r, o) && check_v4(m, sc, o))
            return true;
        r = e;
    }
    return false;
}

static inline bool dom_bit(const struct vg_screen *sc, const char *p, size_t n)
{
    return vg_screen_bit(sc->dom, vg_tail_hash(p, n) & (VG_SCREEN_DOM_BITS - 1));
}

/*
 * The run of name bytes and dots around the '.' at i (not before from).
 * Sets *re to its end; true if it may hold a listed address or name.
 */
static bool dot_run(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                    size_t from, size_t i, size_t end, size_t *re)
{
    size_t a = i, b = i + 1, d1 = i, d2 = SIZE_MAX, d3 = SIZE_MAX, dots = 1, te;
    unsigned f = 0;
    bool nondigit = false;
    uint8_t o[4];

    while (a > from && (K(s[a - 1]) & C_WORD)) {
        f |= K(s[a - 1]);
        nondigit |= !(K(s[a - 1]) & C_DIGIT);
        a--;
    }
    for (; b < end; b++) {
        unsigned k = K(s[b]);
        if (s[b] == '.') {
            d3 = d2;
            d2 = d1;
            d1 = b;
            dots++;
        } else if (k & C_WORD) {
            f |= k;
            nondigit |= !(k & C_DIGIT);
        } else {
            break;
        }
    }
    *re = b;
    te = b;
    if (s[te - 1] == '.') {
        te--;
        dots--;
        d1 = d2;
        d2 = d3;
    }
    if (dots == 0 || te <= a)
        return false;
    if (!nondigit)
        return sc->any_v4 && dots == 3 && quad(s + a, te - a, o) && check_v4(m, sc, o);
    if (sc->any_dom && d1 + 1 < te && (K(s[d1 + 1]) & C_ALPHA)) {
        size_t k = dots >= 2 ? d2 + 1 : a;
        if (dom_bit(sc, s + k, te - k) && vg_matcher_maybe_name(m, s + a, te - a))
            return true;
        if (sc->dom1 && dom_bit(sc, s + d1 + 1, te - d1 - 1) &&
            vg_matcher_maybe_name(m, s + a, te - a))
            return true;
        if (sc->dom_dash) {
            /* Right after an IPv6 address the extractor's name starts at a '-'. */
            for (size_t q = a; q < te && s[q] != '.'; q++)
                if (s[q] == '-' && vg_matcher_maybe_name(m, s + q, te - q))
                    return true;
        }
    }
    if (sc->any_v4 && dots >= 3 && (f & C_DIGIT))
        return v4_inside(m, sc, s, a, b);
    return false;
}

/*
 * The host after the "://" at i: one with non-ASCII bytes (its IDN form may
 * be listed), or, when a listed URL's host is a name the extractor would not
 * take as a domain (url_odd), one that such a URL names.
 */
static bool url_host(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                     size_t i, size_t end)
{
    size_t h = i + 3, e;
    for (e = h; e < end && !(K(s[e]) & C_URLEND) && s[e] != '/' && s[e] != '?' && s[e] != '#';
         e++) {
        if ((unsigned char)s[e] >= 0x80)
            return true;
        if (s[e] == '@')
            h = e + 1;
    }
    if (!sc->url_odd || h >= e || s[h] == '[')
        return false;
    const char *c = memchr(s + h, ':', e - h);
    if (c)
        e = (size_t)(c - s);
    return e > h && vg_matcher_maybe_name(m, s + h, e - h);
}

/*
 * The run of IPv6 text bytes around the ':' at i (not before from). Sets *re
 * to its end and *dotted if it holds a '.'; true if it may be listed.
 */
static bool colon_run(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                      size_t from, size_t i, size_t end, size_t *re, bool *dotted)
{
    size_t a = i, b = i + 1, colons = 1, te;
    bool dbl = false;
    struct vg_ip ip;

    *dotted = false;
    if (sc->url && i + 2 < end && s[i + 1] == '/' && s[i + 2] == '/' &&
        url_host(m, sc, s, i, end))
        return true;
    while (a > from && (K(s[a - 1]) & C_V6))
        a--;
    for (; b < end && (K(s[b]) & C_V6); b++) {
        if (s[b] == ':') {
            colons++;
            dbl |= s[b - 1] == ':';
        } else if (s[b] == '.') {
            *dotted = true;
        }
    }
    *re = b;
    if (!sc->any_v4 && !sc->v6)
        return false;
    te = s[b - 1] == '.' ? b - 1 : b;
    /* The extractor's shape test; more than 8 colons is never an address. */
    if ((!dbl && colons < 6) || colons > 8 || te - a > 45 || te <= a)
        return false;
    if (vg_ip_parse(s + a, te - a, &ip) != 0)
        return false;
    if (ip.family == 4)
        return sc->any_v4 && check_v4(m, sc, ip.a);
    return sc->v6 && vg_matcher_maybe_ip(m, &ip);
}

/*
 * The portable loop: anchors from i on, left scans not before from; dots
 * before dot_end and colons before colon_end were looked at already.
 */
static size_t find_scalar(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                          size_t from, size_t i, size_t dot_end, size_t colon_end, size_t end)
{
    bool colons = sc->any_v4 || sc->v6 || sc->url, dotted;
    size_t re;
    for (;;) {
        i = next_anchor(s, i, end, colons);
        if (i >= end)
            return end;
        if (s[i] == '.') {
            if (i < dot_end) {
                i++;
                continue;
            }
            if (dot_run(m, sc, s, from, i, end, &re))
                return i;
            i = re;
        } else if (i < colon_end) {
            i++;
        } else {
            if (colon_run(m, sc, s, from, i, end, &re, &dotted))
                return i;
            colon_end = re;
            /* The dots of the run are looked at as name runs too. */
            i = dotted ? i + 1 : re;
        }
    }
}

static bool screen_empty(const struct vg_screen *sc)
{
    return !sc->any_v4 && !sc->any_dom && !sc->v6 && !sc->url;
}

size_t vg_screen_find_portable(const struct vg_matcher *m, const char *s, size_t from, size_t end)
{
    const struct vg_screen *sc = vg_matcher_screen(m);
    if (screen_empty(sc))
        return end;
    return find_scalar(m, sc, s, from, from, from, from, end);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/*
 * The AVX2 loop. Each 64-byte block is classified once into bit masks (name
 * bytes and dots, non-digit name bytes, dots, colons, IPv6 text bytes); a
 * run's bounds and shape then come from bit operations on the block and the
 * next one, with no loop over its bytes. A run that starts before the block
 * or reaches past the next one goes to the portable code.
 */
#define AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt,lzcnt")))

typedef unsigned __int128 u128;

struct blk {
    uint64_t dig, dot, col, alpha; /* always */
    uint64_t wd, v6, slash;        /* when extra */
    bool extra;
};

/* Nibble classes: a byte is in a class when its low and high nibble entries share the bit. */
#define B(x) ((char)(x))
enum {
    N_DIGIT = 1,
    N_COLON = 2,
    N_DASH = 4,
    N_DOT = 8,
    N_AL1 = 16,
    N_AL2 = 32,
    N_UNDER = 64,
    N_HEXL = 128
};

/* The classes of 32 bytes: low and high nibble entries ANDed. */
AVX2 static inline __m256i nibbles(__m256i v)
{
    /* Low nibble 0-f, high nibble 0-f (bytes >= 0x80 have high nibble 8-f: no class). */
    const __m256i lo_t = _mm256_setr_epi8(
        B(N_DIGIT | N_AL2), B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL),
        B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL), B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL),
        B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL), B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL),
        B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL), B(N_DIGIT | N_AL1 | N_AL2), B(N_DIGIT | N_AL1 | N_AL2),
        B(N_DIGIT | N_AL1 | N_AL2), B(N_COLON | N_AL1 | N_AL2), B(N_AL1), B(N_AL1),
        B(N_DASH | N_AL1), B(N_DOT | N_AL1), B(N_AL1 | N_UNDER), B(N_DIGIT | N_AL2),
        B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL), B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL),
        B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL), B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL),
        B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL), B(N_DIGIT | N_AL1 | N_AL2 | N_HEXL),
        B(N_DIGIT | N_AL1 | N_AL2), B(N_DIGIT | N_AL1 | N_AL2), B(N_DIGIT | N_AL1 | N_AL2),
        B(N_COLON | N_AL1 | N_AL2), B(N_AL1), B(N_AL1), B(N_DASH | N_AL1), B(N_DOT | N_AL1),
        B(N_AL1 | N_UNDER));
    const __m256i hi_t = _mm256_setr_epi8(
        B(0), B(0), B(N_DASH | N_DOT), B(N_DIGIT | N_COLON), B(N_AL1 | N_HEXL), B(N_AL2 | N_UNDER),
        B(N_AL1 | N_HEXL), B(N_AL2), B(0), B(0), B(0), B(0), B(0), B(0), B(0), B(0), B(0), B(0),
        B(N_DASH | N_DOT), B(N_DIGIT | N_COLON), B(N_AL1 | N_HEXL), B(N_AL2 | N_UNDER),
        B(N_AL1 | N_HEXL), B(N_AL2), B(0), B(0), B(0), B(0), B(0), B(0), B(0), B(0));
    const __m256i nib = _mm256_set1_epi8(0x0f);
    __m256i lo = _mm256_and_si256(v, nib);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
    return _mm256_and_si256(_mm256_shuffle_epi8(lo_t, lo), _mm256_shuffle_epi8(hi_t, hi));
}

AVX2 static inline uint64_t pack(__m256i lo, __m256i hi)
{
    return (uint32_t)_mm256_movemask_epi8(lo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

/* Bytes of class bits (any of them). */
AVX2 static inline __m256i any_of(__m256i c, int bits)
{
    const __m256i zero = _mm256_setzero_si256();
    return _mm256_xor_si256(
        _mm256_cmpeq_epi8(_mm256_and_si256(c, _mm256_set1_epi8((char)bits)), zero),
        _mm256_set1_epi8(-1));
}

AVX2 static inline void classify(const char *p, struct blk *b)
{
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    __m256i c0 = nibbles(v0), c1 = nibbles(v1);
    __m256i dot = _mm256_set1_epi8('.'), col = _mm256_set1_epi8(':');
    b->dig = pack(any_of(c0, N_DIGIT), any_of(c1, N_DIGIT));
    b->alpha = pack(any_of(c0, N_AL1 | N_AL2), any_of(c1, N_AL1 | N_AL2));
    b->dot = pack(_mm256_cmpeq_epi8(v0, dot), _mm256_cmpeq_epi8(v1, dot));
    b->col = pack(_mm256_cmpeq_epi8(v0, col), _mm256_cmpeq_epi8(v1, col));
    b->extra = false;
}

/* The masks that few blocks need: name bytes and dots, IPv6 text bytes, '/'. */
AVX2 static inline void classify_extra(const char *p, struct blk *b)
{
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    __m256i c0 = nibbles(v0), c1 = nibbles(v1);
    __m256i sl = _mm256_set1_epi8('/');
    const int wd = N_DIGIT | N_DASH | N_DOT | N_AL1 | N_AL2 | N_UNDER;
    const int v6 = N_DIGIT | N_COLON | N_DOT | N_HEXL;
    if (b->extra)
        return;
    b->wd = pack(any_of(c0, wd), any_of(c1, wd));
    b->v6 = pack(any_of(c0, v6), any_of(c1, v6));
    b->slash = pack(_mm256_cmpeq_epi8(v0, sl), _mm256_cmpeq_epi8(v1, sl));
    b->extra = true;
}

static inline u128 join(uint64_t lo, uint64_t hi)
{
    return (u128)lo | (u128)hi << 64;
}

static inline unsigned ctz128(u128 x) /* x != 0 */
{
    uint64_t lo = (uint64_t)x;
    return lo ? (unsigned)__builtin_ctzll(lo) : 64 + (unsigned)__builtin_ctzll((uint64_t)(x >> 64));
}

static inline unsigned top128(u128 x) /* x != 0: the highest set bit */
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? 127 - (unsigned)__builtin_clzll(hi) : 63 - (unsigned)__builtin_clzll((uint64_t)x);
}

static inline u128 span(unsigned a, unsigned b) /* bits [a, b), b <= 128 */
{
    u128 all = ~(u128)0;
    u128 upto = b >= 128 ? all : (((u128)1 << b) - 1);
    return upto & (all << a);
}

/* Bits at and above x of a 64-bit mask (none when x >= 64). */
static inline uint64_t from_bit(size_t x)
{
    return x >= 64 ? 0 : ~(uint64_t)0 << x;
}

/* The run of name bytes and dots around i, from its first dot (for runs the masks cannot see
 * whole). */
static bool dot_run_at(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                       size_t from, size_t i, size_t end, size_t *re)
{
    size_t a = i;
    while (a > from && ((K(s[a - 1]) & C_WORD) || s[a - 1] == '.'))
        a--;
    while (s[a] != '.')
        a++;
    return dot_run(m, sc, s, from, a, end, re);
}

/* The run of digits and dots around the '.' at i: a listed dotted quad? */
static bool quad_at(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                    size_t from, size_t i, size_t end, size_t *re)
{
    size_t a = i, b = i;
    uint8_t o[4];
    while (a > from && ((K(s[a - 1]) & C_DIGIT) || s[a - 1] == '.'))
        a--;
    while (b < end && ((K(s[b]) & C_DIGIT) || s[b] == '.'))
        b++;
    *re = b;
    if (s[b - 1] == '.')
        b--;
    return b > a && quad(s + a, b - a, o) && check_v4(m, sc, o);
}

/* A number of 1-3 digits at p (bytes up to p[2] readable; len 1-3), without branches. */
static inline unsigned field(const char *p, unsigned len)
{
    static const uint8_t mul[4][3] = {{0, 0, 0}, {1, 0, 0}, {10, 1, 0}, {100, 10, 1}};
    unsigned d0 = (unsigned)(unsigned char)p[0] - '0', d1 = (unsigned)(unsigned char)p[1] - '0',
             d2 = (unsigned)(unsigned char)p[2] - '0';
    return d0 * mul[len][0] + d1 * mul[len][1] + d2 * mul[len][2];
}

/*
 * Dotted quads wait in a short queue, their /20 bit prefetched, so that the
 * bit reads (the map is too big for the nearest caches) overlap instead of
 * stalling one after another. Before anything is returned the queue is
 * drained in order, so the first place found is still the first in the text.
 */
#define PEND 8 /* a power of two */

struct pend {
    size_t i;
    uint8_t o[4];
};

/* A ring of pending quads, oldest at head. */
struct ring {
    struct pend e[PEND];
    unsigned head, n;
};

/* The first queued quad that is listed, else limit; the ring is emptied. */
static size_t drain(const struct vg_matcher *m, const struct vg_screen *sc, struct ring *r,
                    size_t limit)
{
    unsigned n = r->n, h = r->head;
    r->n = 0;
    for (unsigned k = 0; k < n; k++)
        if (check_v4(m, sc, r->e[(h + k) % PEND].o))
            return r->e[(h + k) % PEND].i;
    return limit;
}

/* Queue a quad (its /20 bit prefetched); when the ring is full the oldest is
 * checked first: its position if listed, else SIZE_MAX. */
static inline size_t push(const struct vg_matcher *m, const struct vg_screen *sc, struct ring *r,
                          size_t i, const uint8_t o[4])
{
    size_t found = SIZE_MAX;
    uint32_t n24 = (uint32_t)o[0] << 16 | (uint32_t)o[1] << 8 | o[2];
    __builtin_prefetch(&sc->v4l1[n24 >> 10]);
    if (r->n == PEND) {
        struct pend *old = &r->e[r->head];
        if (check_v4(m, sc, old->o))
            found = old->i;
        r->head = (r->head + 1) % PEND;
        r->n--;
    }
    struct pend *e = &r->e[(r->head + r->n) % PEND];
    e->i = i;
    memcpy(e->o, o, 4);
    r->n++;
    return found;
}

/*
 * Anchors, from the masks of the block and the next one (a 128-bit window):
 *   - v4: the first dot of a chain of three dots, each between digits, 2 to 4
 *     bytes apart: where every dotted quad starts (and few else);
 *   - name: a dot before a letter: every domain's last label starts so;
 *   - v6: a colon before a colon, or the first of six colons each at most 5
 *     bytes from the next: every IPv6 text of the extractor's shape has one;
 *   - url: "://", when URLs are listed (for non-ASCII hosts).
 * Each is then checked as the portable code does, but with the run's bounds
 * and dots taken from the masks.
 */
AVX2 static size_t find_avx2(const struct vg_matcher *m, const struct vg_screen *sc, const char *s,
                             size_t from, size_t end)
{
    size_t p = from, v4_end = from, dom_end = from, v6_end = from, re;
    struct blk cur = {0}, nxt = {0};
    uint64_t prev_dig = 0;
    bool dotted;
    struct ring pq = {.head = 0, .n = 0};

    if (end - from < 128)
        return find_scalar(m, sc, s, from, from, from, from, end);
    classify(s + p, &cur);
    for (; p + 128 <= end; p += 64, prev_dig = cur.dig, cur = nxt) {
        classify(s + p + 64, &nxt);
        u128 dig = join(cur.dig, nxt.dig), dot = join(cur.dot, nxt.dot);
        uint64_t v4a = 0, doma = 0, v6a = 0, urla = 0;
        if (sc->any_v4) {
            u128 dq = dot & ((dig << 1) | (prev_dig >> 63)) & (dig >> 1);
            u128 q1 = dq & ((dq >> 2) | (dq >> 3) | (dq >> 4));
            v4a = (uint64_t)(q1 & ((q1 >> 2) | (q1 >> 3) | (q1 >> 4)));
            v4a &= from_bit(v4_end > p ? v4_end - p : 0);
        }
        if (sc->any_dom) {
            doma = (uint64_t)(dot & (join(cur.alpha, nxt.alpha) >> 1));
            doma &= from_bit(dom_end > p ? dom_end - p : 0);
        }
        if (cur.col) {
            u128 col = join(cur.col, nxt.col);
            if (sc->any_v4 || sc->v6) {
                u128 x = col;
                v6a = (uint64_t)(col & (col >> 1));
                if (__builtin_popcountll(cur.col) + __builtin_popcountll(nxt.col) >= 6) {
                    for (int r = 0; r < 5; r++)
                        x &= (x >> 1) | (x >> 2) | (x >> 3) | (x >> 4) | (x >> 5);
                    v6a |= (uint64_t)x;
                }
                v6a &= from_bit(v6_end > p ? v6_end - p : 0);
            }
            if (sc->url) {
                classify_extra(s + p, &cur);
                classify_extra(s + p + 64, &nxt);
                u128 sl = join(cur.slash, nxt.slash);
                urla = (uint64_t)(col & (sl >> 1) & (sl >> 2));
            }
        }
        while (v4a | doma | v6a | urla) {
            unsigned j = (unsigned)__builtin_ctzll(v4a | doma | v6a | urla);
            size_t i = p + j;
            uint64_t bit = (uint64_t)1 << j;
            if (urla & bit) {
                urla &= ~bit;
                if (url_host(m, sc, s, i, end))
                    return drain(m, sc, &pq, i);
            } else if (v6a & bit) {
                classify_extra(s + p, &cur);
                classify_extra(s + p + 64, &nxt);
                uint64_t left = ~cur.v6 & (bit - 1);
                u128 right = ~join(cur.v6, nxt.v6) & span(j, 128);
                if (!left || !right) {
                    if (colon_run(m, sc, s, from, i, end, &re, &dotted))
                        return drain(m, sc, &pq, i);
                } else {
                    unsigned a = 64 - (unsigned)__builtin_clzll(left), b = ctz128(right), te = b;
                    u128 c = join(cur.col, nxt.col) & span(a, b);
                    unsigned nc = (unsigned)(__builtin_popcountll((uint64_t)c) +
                                             __builtin_popcountll((uint64_t)(c >> 64)));
                    bool dbl = (c & (c >> 1)) != 0;
                    struct vg_ip ip;
                    re = p + b;
                    if (s[p + b - 1] == '.')
                        te--;
                    if (!((!dbl && nc < 6) || nc > 8 || te - a > 45) &&
                        vg_ip_parse(s + p + a, te - a, &ip) == 0 &&
                        (ip.family == 4 ? sc->any_v4 && check_v4(m, sc, ip.a)
                                        : sc->v6 && vg_matcher_maybe_ip(m, &ip)))
                        return drain(m, sc, &pq, i);
                }
                v6_end = re;
                v6a &= from_bit(re - p);
            } else if (doma & bit) {
                classify_extra(s + p, &cur);
                classify_extra(s + p + 64, &nxt);
                uint64_t left = ~cur.wd & (bit - 1);
                u128 right = ~join(cur.wd, nxt.wd) & span(j, 128);
                if (!left || !right || sc->dom1 || sc->dom_dash) {
                    if (dot_run_at(m, sc, s, from, i, end, &re))
                        return drain(m, sc, &pq, i);
                } else {
                    unsigned a = 64 - (unsigned)__builtin_clzll(left), b = ctz128(right), te = b;
                    u128 d = dot & span(a, b);
                    re = p + b;
                    if ((d >> (b - 1)) & 1) {
                        te--;
                        d &= ~((u128)1 << (b - 1));
                    }
                    if (d) {
                        unsigned d1 = top128(d), k = a;
                        u128 rest = d & ~((u128)1 << d1);
                        if (rest)
                            k = top128(rest) + 1;
                        if (d1 + 1 < te && (K(s[p + d1 + 1]) & C_ALPHA) &&
                            dom_bit(sc, s + p + k, te - k) &&
                            vg_matcher_maybe_name(m, s + p + a, te - a))
                            return drain(m, sc, &pq, i);
                    }
                }
                dom_end = re;
                doma &= from_bit(re - p);
            } else {
                u128 dd = dig | dot;
                uint64_t left = ~(cur.dig | cur.dot) & (bit - 1);
                u128 right = ~dd & span(j, 128);
                if (!left || !right) {
                    if (quad_at(m, sc, s, from, i, end, &re))
                        return drain(m, sc, &pq, i);
                } else {
                    unsigned a = 64 - (unsigned)__builtin_clzll(left), b = ctz128(right), te = b;
                    u128 d = dot & span(a, b);
                    re = p + b;
                    if ((d >> (b - 1)) & 1) {
                        te--;
                        d &= ~((u128)1 << (b - 1));
                    }
                    unsigned nd = (unsigned)(__builtin_popcountll((uint64_t)d) +
                                             __builtin_popcountll((uint64_t)(d >> 64)));
                    if (nd == 3) {
                        unsigned p1 = ctz128(d), p3 = top128(d);
                        unsigned p2 = ctz128(d & ~((u128)1 << p1));
                        unsigned l0 = p1 - a, l1 = p2 - p1 - 1, l2 = p3 - p2 - 1, l3 = te - p3 - 1;
                        if ((l0 - 1 < 3) & (l1 - 1 < 3) & (l2 - 1 < 3) & (l3 - 1 < 3)) {
                            const char *q = s + p;
                            unsigned f0 = field(q + a, l0), f1 = field(q + p1 + 1, l1),
                                     f2 = field(q + p2 + 1, l2), f3 = field(q + p3 + 1, l3);
                            if ((f0 | f1 | f2 | f3) < 256) {
                                uint8_t o[4] = {(uint8_t)f0, (uint8_t)f1, (uint8_t)f2, (uint8_t)f3};
                                size_t f = push(m, sc, &pq, i, o);
                                if (f != SIZE_MAX)
                                    return f;
                            }
                        }
                    }
                }
                v4_end = re;
                v4a &= from_bit(re - p);
            }
        }
    }
    if ((re = drain(m, sc, &pq, SIZE_MAX)) != SIZE_MAX)
        return re;
    /* The portable code takes over at the start of the run of name bytes and dots
     * that p may cut (it looks at a run from its first dot). */
    while (p > from && ((K(s[p - 1]) & C_WORD) || s[p - 1] == '.'))
        p--;
    return find_scalar(m, sc, s, from, p, p, p, end);
}

static bool have_avx2(void)
{
    static int have = -1;
    if (have < 0) {
        __builtin_cpu_init();
        have = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
               __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
    }
    return have;
}
#endif

size_t vg_screen_find(const struct vg_matcher *m, const char *s, size_t from, size_t end)
{
    const struct vg_screen *sc = vg_matcher_screen(m);
    if (screen_empty(sc))
        return end;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (have_avx2())
        return find_avx2(m, sc, s, from, end);
#endif
    return find_scalar(m, sc, s, from, from, from, from, end);
}
