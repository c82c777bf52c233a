/*
 * hashdb.c - sets of file-hash indicators (MD5, SHA-1, SHA-256 with the file
 * size they apply to), loaded from ClamAV .hdb/.hsb signature files and from
 * the store's current feeds, built once, then looked up for every scanned
 * file from many threads without locks.
 *
 * Per type the set keeps the digests in one sorted array of fixed-size
 * records and the entries (name, source, size) in a parallel array. Almost
 * every file looked up is not listed, so a lookup first reads one bit of a
 * bitmap indexed by digest bits (16 to 32 bits per entry: about one miss in
 * twenty gets past it), then a first-level index on the digest's leading
 * bits, then binary-searches a bucket of a few records. For
 * vg_hashdb_wants each type keeps a flag "some entry applies to any size"
 * and a hash set of the distinct sizes (one probe, usually one cache line).
 *
 * While loading, a keyed hash table per type finds duplicates (the first of
 * a (type, digest, size) is kept) and every load is all or nothing: a
 * failure truncates the staging arrays and the string pool back to where
 * the load started.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/map.h"
#include "core/parse.h"
#include "core/str.h"
#include "scan/scan.h"
#include "store/store.h"

#include "core/banned.h"

#define NTYPES 3
#define LINE_MAX_BYTES 65536             /* longer lines are bad lines */
#define FILE_MAX_BYTES ((size_t)1 << 30) /* vg_hashdb_load_clamav reads at most this */
#define POOL_CHUNK ((size_t)1 << 20)
#define MAX_PER_TYPE ((size_t)UINT32_MAX - 1) /* the dedup table holds index + 1 in 32 bits */
#define INDEX_BITS_MAX 20
#define SCREEN_BITS_MAX 30

static const size_t digest_len[NTYPES] = {16, 20, 32};
static const char *const type_name[NTYPES] = {"md5", "sha1", "sha256"};

/* A block of the string pool; names are packed back to back, never moved. */
struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
};

/* Where a load started, to undo it. */
struct mark {
    size_t n[NTYPES];
    struct chunk *head;
    size_t used;
};

/*
 * The entries of one type. Invariants: dig holds n digests of digest_len
 * bytes back to back and ent the n matching entries. While staging, tab
 * (tcap slots, a power of two, at most half full) holds index + 1 of every
 * entry, 0 for a free slot, and no two entries share (digest, size).
 * Once built, entries are sorted by (digest, size) with -1 first; idx has
 * (1 << ibits) + 1 slots and idx[h] counts the entries whose digest's first
 * ibits bits are below h; screen (1 << sbits bits) has the bit of every
 * entry's digest set (screen_bit); sizes (scap slots, a power of two, at
 * most half full, -1 for a free slot) holds every size other than -1 once;
 * any tells whether some entry has size -1.
 */
struct tset {
    uint8_t *dig;
    struct vg_hash_entry *ent;
    size_t n, cap;

    uint32_t *tab;
    size_t tcap;

    uint32_t *idx;
    unsigned ibits;
    uint64_t *screen;
    unsigned sbits;
    int64_t *sizes;
    size_t scap;
    uint64_t smul; /* odd random multiplier of the sizes' hash */
    bool any;
};

struct vg_hashdb {
    struct tset t[NTYPES];
    bool built;
    char version[65]; /* computed by build */
    /* Random keys of the duplicate table (0-5) and of the size sets (6-8), so that
     * crafted input cannot make them crawl. */
    uint64_t key[9];
    struct chunk *pool;
    struct vg_map sources; /* source text -> malloc'd copy (val.p), never rolled back */
    const char *last_src;  /* the last source interned, for runs of one source */
};

/* ---- small helpers ------------------------------------------------------------ */

static uint64_t load_be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static uint64_t load_ne64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static bool valid_type(int type)
{
    return type >= 0 && type < NTYPES;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* ---- string pool ----------------------------------------------------------------- */

/* A copy of s[0..n) plus NUL in the pool, or NULL when out of memory. */
static const char *pool_strndup(struct vg_hashdb *db, const char *s, size_t n)
{
    struct chunk *c = db->pool;
    char *p;
    if (n >= SIZE_MAX - sizeof *c - POOL_CHUNK)
        return NULL;
    if (!c || c->cap - c->used < n + 1) {
        /* Small sets stay small: chunks double from 4 KiB up to POOL_CHUNK. */
        size_t cap = c ? (c->cap < POOL_CHUNK / 2 ? c->cap * 2 : POOL_CHUNK) : 4096;
        if (cap < n + 1)
            cap = n + 1;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = db->pool;
        db->pool = c;
    }
    p = c->data + c->used;
    memcpy(p, s, n);
    p[n] = '\0';
    c->used += n + 1;
    return p;
}

/* A stable copy of source, one per distinct text (sources repeat for every entry). */
static const char *intern_source(struct vg_hashdb *db, const char *source)
{
    union vg_map_val *v;
    bool created;
    if (db->last_src && strcmp(db->last_src, source) == 0)
        return db->last_src;
    v = vg_map_puts(&db->sources, source, &created);
    if (!v)
        return NULL;
    (void)created;
    if (!v->p) {
        v->p = vg_strdup(source);
        if (!v->p)
            return NULL; /* the key stays with no copy: tried again on the next call */
    }
    db->last_src = v->p;
    return v->p;
}

/* ---- staging, duplicates and undo ---------------------------------------------------- */

static uint64_t key_hash(const struct vg_hashdb *db, int type, const uint8_t *d, int64_t size)
{
    size_t dl = digest_len[type];
    uint64_t w0 = load_ne64(d), w1 = load_ne64(d + 8);
    uint64_t w2 = dl > 16 ? load_ne64(d + dl - 8) : 0, w3 = dl > 24 ? load_ne64(d + 16) : 0;
    /* Pairwise multiply with random keys (NH-style): the top bits depend on every input bit. */
    return (w0 + db->key[0]) * (w1 + db->key[1]) + (w2 + db->key[2]) * (w3 + db->key[3]) +
           ((uint64_t)size + db->key[4]) * (db->key[5] | 1);
}

/* The power of two of a capacity that is one. */
static unsigned pow2_bits(size_t cap)
{
    return (unsigned)__builtin_ctzll((unsigned long long)cap);
}

static unsigned log2_floor(size_t n)
{
    unsigned b = 0;
    while (n >>= 1)
        b++;
    return b;
}

/* The slot of (d, size) in t's table: where it is, or the free slot where it would go. */
static size_t tab_find(const struct vg_hashdb *db, int type, const uint8_t *d, int64_t size,
                       bool *found)
{
    const struct tset *t = &db->t[type];
    size_t dl = digest_len[type], mask = t->tcap - 1;
    size_t i = (size_t)(key_hash(db, type, d, size) >> (64 - pow2_bits(t->tcap))) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t v = t->tab[i];
        if (v == 0) {
            *found = false;
            return i;
        }
        if (t->ent[v - 1].size == size && memcmp(t->dig + (size_t)(v - 1) * dl, d, dl) == 0) {
            *found = true;
            return i;
        }
    }
}

/* Fill t's table (of t->tcap slots) from its first n entries. */
static void tab_fill(struct vg_hashdb *db, int type)
{
    struct tset *t = &db->t[type];
    bool found;
    if (!t->tab)
        return;
    memset(t->tab, 0, t->tcap * sizeof *t->tab);
    for (size_t k = 0; k < t->n; k++) {
        size_t i = tab_find(db, type, t->dig + k * digest_len[type], t->ent[k].size, &found);
        t->tab[i] = (uint32_t)(k + 1);
    }
}

/* Room for one more entry of type: the arrays and a table at most half full. */
static int reserve(struct vg_hashdb *db, int type)
{
    struct tset *t = &db->t[type];
    size_t dl = digest_len[type];
    if (t->n >= MAX_PER_TYPE)
        return VG_ETOOBIG;
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        uint8_t *nd;
        struct vg_hash_entry *ne;
        if (ncap > SIZE_MAX / sizeof *ne)
            return VG_ENOMEM;
        nd = realloc(t->dig, ncap * dl);
        if (!nd)
            return VG_ENOMEM;
        t->dig = nd;
        ne = realloc(t->ent, ncap * sizeof *ne);
        if (!ne)
            return VG_ENOMEM;
        t->ent = ne;
        t->cap = ncap;
    }
    if ((t->n + 1) * 2 > t->tcap) {
        size_t ncap = t->tcap ? t->tcap * 2 : 128;
        uint32_t *nt = malloc(ncap * sizeof *nt);
        if (!nt)
            return VG_ENOMEM;
        free(t->tab);
        t->tab = nt;
        t->tcap = ncap;
        tab_fill(db, type);
    }
    return VG_OK;
}

/*
 * Add (type, d, size) named name[0..nlen) from source (interned). A
 * duplicate of (type, digest, size) is no error: the first stays and *isnew
 * is false. name NULL or empty: the hex digest.
 */
static int add_entry(struct vg_hashdb *db, int type, const uint8_t *d, int64_t size,
                     const char *name, size_t nlen, const char *source, bool *isnew)
{
    struct tset *t = &db->t[type];
    size_t dl = digest_len[type], slot;
    char hex[65];
    bool found;
    int rc;
    *isnew = false;
    if ((rc = reserve(db, type)) != VG_OK)
        return rc;
    slot = tab_find(db, type, d, size, &found);
    if (found)
        return VG_OK;
    if (!name || nlen == 0) {
        vg_hex_encode(d, dl, hex);
        name = hex;
        nlen = 2 * dl;
    }
    const char *copy = pool_strndup(db, name, nlen);
    if (!copy)
        return VG_ENOMEM;
    memcpy(t->dig + t->n * dl, d, dl);
    t->ent[t->n] = (struct vg_hash_entry){copy, source, size};
    t->tab[slot] = (uint32_t)(t->n + 1);
    t->n++;
    *isnew = true;
    return VG_OK;
}

static void mark_get(const struct vg_hashdb *db, struct mark *m)
{
    for (int i = 0; i < NTYPES; i++)
        m->n[i] = db->t[i].n;
    m->head = db->pool;
    m->used = db->pool ? db->pool->used : 0;
}

/* Undo every add since m: entries, their names in the pool, their table slots. */
static void mark_undo(struct vg_hashdb *db, const struct mark *m)
{
    while (db->pool && db->pool != m->head) {
        struct chunk *c = db->pool;
        db->pool = c->next;
        free(c);
    }
    if (db->pool)
        db->pool->used = m->used;
    for (int i = 0; i < NTYPES; i++) {
        if (db->t[i].n > m->n[i]) {
            db->t[i].n = m->n[i];
            tab_fill(db, i);
        }
    }
}

/* ---- life cycle ----------------------------------------------------------------------- */

struct vg_hashdb *vg_hashdb_new(void)
{
    struct vg_hashdb *db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    vg_map_init(&db->sources);
    if (getrandom(db->key, sizeof db->key, GRND_NONBLOCK) != (ssize_t)sizeof db->key) {
        /* No entropy yet (early boot): anything unpredictable enough will do. */
        uint64_t x = (uint64_t)(uintptr_t)db ^ (uint64_t)time(NULL) * 0x9e3779b97f4a7c15u;
        for (size_t i = 0; i < sizeof db->key / sizeof db->key[0]; i++) {
            x ^= x >> 31;
            x *= 0xbf58476d1ce4e5b9u;
            x ^= x >> 27;
            db->key[i] = x;
        }
    }
    return db;
}

static void tset_free_built(struct tset *t)
{
    free(t->idx);
    free(t->sizes);
    free(t->screen);
    t->idx = NULL;
    t->sizes = NULL;
    t->screen = NULL;
    t->scap = 0;
    t->ibits = t->sbits = 0;
    t->any = false;
}

void vg_hashdb_free(struct vg_hashdb *db)
{
    if (!db)
        return;
    for (int i = 0; i < NTYPES; i++) {
        struct tset *t = &db->t[i];
        free(t->dig);
        free(t->ent);
        free(t->tab);
        tset_free_built(t);
    }
    while (db->pool) {
        struct chunk *c = db->pool;
        db->pool = c->next;
        free(c);
    }
    for (size_t i = 0; i < db->sources.cap; i++)
        if (db->sources.ents[i].key)
            free(db->sources.ents[i].val.p);
    vg_map_release(&db->sources);
    free(db);
}

/*
 * Entries after vg_hashdb_build are VG_EINVAL (the set is read-only, and
 * looked up without locks). size is -1 (any size) or at least 0. name NULL
 * or "" names the entry by its lower-case hex digest; source NULL is "".
 */
int vg_hashdb_add(struct vg_hashdb *db, int type, const unsigned char *digest, int64_t size,
                  const char *name, const char *source)
{
    const char *src;
    bool isnew;
    struct mark m;
    int rc;
    if (!db || !digest || !valid_type(type) || size < -1 || db->built)
        return VG_EINVAL;
    src = intern_source(db, source ? source : "");
    if (!src)
        return VG_ENOMEM;
    mark_get(db, &m);
    rc = add_entry(db, type, digest, size, name, name ? strlen(name) : 0, src, &isnew);
    if (rc)
        mark_undo(db, &m);
    return rc;
}

size_t vg_hashdb_count(const struct vg_hashdb *db)
{
    size_t n = 0;
    if (!db)
        return 0;
    for (int i = 0; i < NTYPES; i++)
        n += db->t[i].n;
    return n;
}

/* ---- ClamAV .hdb / .hsb ------------------------------------------------------------------ */

enum { F_HASH = 1, F_SIZE, F_NAME, F_MINFL, F_MAXFL, F_MAX = F_MAXFL };

static const char *const field_name[F_MAX + 1] = {"",     "hash",       "size",
                                                  "name", "min_flevel", "max_flevel"};

/* One parsed line. */
struct sig {
    int type;
    uint8_t d[32];
    int64_t size;
    const char *name;
    size_t nlen;
};

/* "display:line: field N (what): reason" into e, VG_EPARSE. */
static int field_bad(struct vg_error *e, const char *file, size_t line, int field, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));

static int field_bad(struct vg_error *e, const char *file, size_t line, int field, const char *fmt,
                     ...)
{
    char why[VG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (field <= F_MAX)
        return vg_error_at(e, VG_EPARSE, file, line, NULL, "field %d (%s): %s", field,
                           field_name[field], why);
    return vg_error_at(e, VG_EPARSE, file, line, NULL, "field %d: %s", field, why);
}

/* s[0..n) quoted for a message, control bytes escaped, long text cut. */
static const char *quote(char *out, size_t size, const char *s, size_t n)
{
    char esc[72];
    vg_str_escape_ctl(esc, sizeof esc, s, n);
    snprintf(out, size, "\"%s\"", esc);
    return out;
}

static void trim(const char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

static int parse_hash(const char *s, size_t n, struct sig *g, const char *file, size_t line,
                      struct vg_error *e)
{
    char q[96];
    if (n == 0)
        return field_bad(e, file, line, F_HASH, "empty");
    for (size_t i = 0; i < n; i++)
        if (hexval((unsigned char)s[i]) < 0)
            return field_bad(e, file, line, F_HASH, "%s is not hexadecimal (byte %zu)",
                             quote(q, sizeof q, s, n), i + 1);
    if (n % 2)
        return field_bad(e, file, line, F_HASH, "odd number of hex digits (%zu)", n);
    if (n == 32)
        g->type = VG_HASH_MD5;
    else if (n == 40)
        g->type = VG_HASH_SHA1;
    else if (n == 64)
        g->type = VG_HASH_SHA256;
    else
        return field_bad(e, file, line, F_HASH,
                         "%zu hex digits; expected 32 (MD5), 40 (SHA-1) or 64 (SHA-256)", n);
    for (size_t i = 0; i < n / 2; i++)
        g->d[i] =
            (uint8_t)(hexval((unsigned char)s[2 * i]) << 4 | hexval((unsigned char)s[2 * i + 1]));
    return VG_OK;
}

static int parse_size(const char *s, size_t n, struct sig *g, const char *file, size_t line,
                      struct vg_error *e)
{
    char q[96];
    if (n == 0)
        return field_bad(e, file, line, F_SIZE, "empty");
    if (n == 1 && s[0] == '*') {
        g->size = -1;
        return VG_OK;
    }
    if (!vg_str_digits(s, n))
        return field_bad(e, file, line, F_SIZE, "%s is not a number or '*'",
                         quote(q, sizeof q, s, n));
    if (vg_parse_i64(s, n, 0, INT64_MAX, &g->size) != VG_OK)
        return field_bad(e, file, line, F_SIZE, "%s is too large", quote(q, sizeof q, s, n));
    return VG_OK;
}

/* Signature names are shown on terminals and in reports: UTF-8, no control characters. */
static int parse_name(const char *s, size_t n, struct sig *g, const char *file, size_t line,
                      struct vg_error *e)
{
    size_t bad;
    if (n == 0)
        return field_bad(e, file, line, F_NAME, "empty");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return field_bad(e, file, line, F_NAME, "control character 0x%02x at byte %zu", c,
                             i + 1);
    }
    if (!vg_utf8_valid(s, n, &bad))
        return field_bad(e, file, line, F_NAME, "invalid UTF-8 at byte %zu", bad + 1);
    g->name = s;
    g->nlen = n;
    return VG_OK;
}

/*
 * One non-blank, non-comment line (trimmed): hash:size:name[:min_flevel[:max_flevel]].
 * The functionality levels are checked to be numbers (or empty) and
 * otherwise ignored: vigil is not a ClamAV engine of some level, and wants
 * every signature.
 */
static int parse_line(const char *s, size_t n, struct sig *g, const char *file, size_t line,
                      struct vg_error *e)
{
    const char *fs[F_MAX + 1];
    size_t fl[F_MAX + 1], nf = 0;
    char q[96];
    int rc;
    for (size_t i = 0, start = 0;; i++) {
        if (i == n || s[i] == ':') {
            if (nf == F_MAX)
                return field_bad(e, file, line, F_MAX + 1,
                                 "too many fields (at most hash:size:name:min_flevel:max_flevel)");
            fs[nf] = s + start;
            fl[nf] = i - start;
            trim(&fs[nf], &fl[nf]);
            nf++;
            start = i + 1;
            if (i == n)
                break;
        }
    }
    if (nf < 3)
        return field_bad(e, file, line, (int)nf + 1, "missing (expected hash:size:name)");
    if ((rc = parse_hash(fs[0], fl[0], g, file, line, e)) ||
        (rc = parse_size(fs[1], fl[1], g, file, line, e)) ||
        (rc = parse_name(fs[2], fl[2], g, file, line, e)))
        return rc;
    for (size_t k = 3; k < nf; k++) {
        int64_t level;
        if (fl[k] == 0)
            continue;
        if (!vg_str_digits(fs[k], fl[k]) || vg_parse_i64(fs[k], fl[k], 0, INT32_MAX, &level))
            return field_bad(e, file, line, (int)k + 1, "%s is not a functionality level",
                             quote(q, sizeof q, fs[k], fl[k]));
    }
    return VG_OK;
}

/*
 * On VG_OK with skip_bad and *skipped > 0, err (when given) keeps the
 * message of the first line skipped, with err->code VG_OK, so a front can
 * show one reason without a callback. A duplicate (the same type, digest and
 * size as an entry already held) is neither added nor skipped.
 */
int vg_hashdb_parse_clamav(struct vg_hashdb *db, const char *text, size_t n, const char *display,
                           bool skip_bad, size_t *added, size_t *skipped, struct vg_error *err)
{
    const char *p = text, *end = text + n, *src;
    size_t line = 0, nadd = 0, nskip = 0;
    struct vg_error first, e;
    struct mark m;
    int rc = VG_OK;

    if (added)
        *added = 0;
    if (skipped)
        *skipped = 0;
    vg_error_clear(&first);
    if (!db || (!text && n))
        return vg_error_set(err, VG_EINVAL, "no hash set or no text to parse");
    if (db->built)
        return vg_error_set(err, VG_EINVAL, "cannot add to '%s': the hash set is already built",
                            display ? display : "<input>");
    src = intern_source(db, display ? display : "<input>");
    if (!src)
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    mark_get(db, &m);
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p;
        size_t len = (size_t)((nl ? nl : end) - p);
        struct sig g;
        p = nl ? nl + 1 : end;
        line++;
        if (len && s[len - 1] == '\r')
            len--;
        if (len > LINE_MAX_BYTES) {
            rc = vg_error_at(&e, VG_EPARSE, display, line, NULL, "line longer than %d bytes",
                             LINE_MAX_BYTES);
        } else {
            trim(&s, &len);
            if (len == 0 || s[0] == '#')
                continue;
            rc = parse_line(s, len, &g, display, line, &e);
        }
        if (rc == VG_OK) {
            bool isnew;
            rc = add_entry(db, g.type, g.d, g.size, g.name, g.nlen, src, &isnew);
            if (rc) {
                vg_error_set(&e, rc, "%s:%zu: %s", display ? display : "<input>", line,
                             rc == VG_ETOOBIG ? "too many hashes of one type" : "out of memory");
                break;
            }
            nadd += isnew;
            continue;
        }
        if (!skip_bad)
            break;
        if (nskip++ == 0)
            first = e;
        rc = VG_OK;
    }
    if (rc) {
        mark_undo(db, &m);
        if (err)
            *err = e;
        return rc;
    }
    if (added)
        *added = nadd;
    if (skipped)
        *skipped = nskip;
    if (err) {
        *err = first;
        err->code = VG_OK;
    }
    return VG_OK;
}

int vg_hashdb_load_clamav(struct vg_hashdb *db, const char *path, bool skip_bad, size_t *added,
                          size_t *skipped, struct vg_error *err)
{
    struct vg_buf b;
    int rc;
    if (added)
        *added = 0;
    if (skipped)
        *skipped = 0;
    if (!db || !path)
        return vg_error_set(err, VG_EINVAL, "no hash set or no file to load");
    vg_buf_init(&b, FILE_MAX_BYTES);
    rc = vg_file_read(path, FILE_MAX_BYTES, &b, err);
    if (rc == VG_OK)
        rc = vg_hashdb_parse_clamav(db, b.data, b.len, path, skip_bad, added, skipped, err);
    vg_buf_release(&b);
    return rc;
}

/* ---- the store's feeds ------------------------------------------------------------------ */

struct feed_load {
    struct vg_hashdb *db;
    int type;
    size_t added;
};

/*
 * One current indicator. Allow-lists are left out: a hash on an allow-list
 * is known good, not something to detect. A value that is not a digest of
 * the type (the import normalised it, so this does not happen) is passed
 * over rather than failing every scan.
 */
static int feed_row(void *ctx, const struct vg_ioc_row *r, const char *source, const char *kind,
                    time_t issued)
{
    struct feed_load *fl = ctx;
    size_t dl = digest_len[fl->type];
    const char *src;
    uint8_t d[32];
    bool isnew;
    int rc;
    (void)issued;
    if (kind && strcmp(kind, "allow") == 0)
        return VG_OK;
    if (!r->value || strlen(r->value) != 2 * dl)
        return VG_OK;
    for (size_t i = 0; i < dl; i++) {
        int hi = hexval((unsigned char)r->value[2 * i]),
            lo = hexval((unsigned char)r->value[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return VG_OK;
        d[i] = (uint8_t)(hi << 4 | lo);
    }
    src = intern_source(fl->db, source ? source : "");
    if (!src)
        return VG_ENOMEM;
    /* Named by the feed's family (a ClamAV signature name, a malware family) when it
     * has one, else by the hex value, lower-cased as the store keeps it. */
    rc = add_entry(fl->db, fl->type, d, r->size > 0 ? r->size : -1,
                   r->family && r->family[0] ? r->family : NULL,
                   r->family && r->family[0] ? strlen(r->family) : 0, src, &isnew);
    fl->added += isnew;
    return rc;
}

int vg_hashdb_load_feeds(struct vg_hashdb *db, struct vg_store *s, size_t *added,
                         struct vg_error *err)
{
    struct feed_load fl;
    struct mark m;
    int rc = VG_OK;
    if (added)
        *added = 0;
    if (!db || !s)
        return vg_error_set(err, VG_EINVAL, "no hash set or no store");
    if (db->built)
        return vg_error_set(err, VG_EINVAL, "cannot add the feeds: the hash set is already built");
    memset(&fl, 0, sizeof fl);
    fl.db = db;
    mark_get(db, &m);
    for (int type = 0; type < NTYPES && rc == VG_OK; type++) {
        struct vg_error e;
        vg_error_clear(&e);
        fl.type = type;
        rc = vg_store_ioc_current(s, type_name[type], feed_row, &fl, &e);
        if (rc) {
            mark_undo(db, &m);
            if (e.msg[0])
                vg_error_prefix(&e, "cannot load the %s feeds: ", type_name[type]);
            else
                vg_error_set(&e, rc, "cannot load the %s feeds: %s", type_name[type],
                             rc == VG_ETOOBIG ? "too many hashes" : vg_strerror(rc));
            e.code = rc;
            if (err)
                *err = e;
        }
    }
    if (rc == VG_OK && added)
        *added = fl.added;
    return rc;
}

/* ---- build --------------------------------------------------------------------------------- */

/* A sort key: 64 leading bits and the position they came from. */
struct kv {
    uint64_t key;
    uint32_t idx;
};

/* Stable LSD radix sort by key, a byte per pass, skipping passes where every key agrees. */
static int radix_sort(struct kv *a, size_t n)
{
    struct kv *tmp, *src = a, *dst;
    size_t count[8][256];
    if (n < 2)
        return VG_OK;
    if (n <= 32) { /* a few: insertion sort (also stable) beats 8 passes of 256 counters */
        for (size_t i = 1; i < n; i++) {
            struct kv x = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1].key > x.key; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        return VG_OK;
    }
    tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return VG_ENOMEM;
    dst = tmp;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++)
            count[b][a[i].key >> (8 * b) & 0xff]++;
    for (int b = 0; b < 8; b++) {
        size_t sum = 0, *c = count[b];
        bool trivial = false;
        for (int v = 0; v < 256; v++) {
            size_t t = c[v];
            if (t == n)
                trivial = true;
            c[v] = sum;
            sum += t;
        }
        if (trivial)
            continue;
        for (size_t i = 0; i < n; i++)
            dst[c[src[i].key >> (8 * b) & 0xff]++] = src[i];
        struct kv *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(tmp);
    return VG_OK;
}

struct sort_ctx {
    const struct tset *t;
    size_t dl;
};

/* Entries of one type for qsort_r: compare the digest past its first 8 bytes, then the size. */
static int cmp_tail(const void *x, const void *y, void *arg)
{
    const struct sort_ctx *c = arg;
    uint32_t i = ((const struct kv *)x)->idx, j = ((const struct kv *)y)->idx;
    int r = memcmp(c->t->dig + (size_t)i * c->dl + 8, c->t->dig + (size_t)j * c->dl + 8, c->dl - 8);
    if (r)
        return r;
    return c->t->ent[i].size < c->t->ent[j].size ? -1 : c->t->ent[i].size > c->t->ent[j].size;
}

/*
 * The order of type's entries by (digest, size): a malloc'd array of n
 * positions, or NULL when out of memory (or n == 0: *perm NULL, VG_OK).
 */
static int sort_order(const struct vg_hashdb *db, int type, uint32_t **perm)
{
    const struct tset *t = &db->t[type];
    size_t dl = digest_len[type], n = t->n;
    struct kv *a;
    uint32_t *p;
    int rc;
    *perm = NULL;
    if (n == 0)
        return VG_OK;
    a = malloc(n * sizeof *a);
    if (!a)
        return VG_ENOMEM;
    for (size_t i = 0; i < n; i++)
        a[i] = (struct kv){load_be64(t->dig + i * dl), (uint32_t)i};
    if ((rc = radix_sort(a, n)) != VG_OK) {
        free(a);
        return rc;
    }
    /* Runs that share the first 8 bytes (rare but for crafted input): by the rest. */
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && a[j].key == a[i].key)
            j++;
        if (j - i > 1) {
            struct sort_ctx c = {t, dl};
            qsort_r(a + i, j - i, sizeof *a, cmp_tail, &c);
        }
        i = j;
    }
    p = malloc(n * sizeof *p);
    if (p)
        for (size_t i = 0; i < n; i++)
            p[i] = a[i].idx;
    free(a);
    if (!p)
        return VG_ENOMEM;
    *perm = p;
    return VG_OK;
}

/* Put type's entries in the order perm gives. */
static int apply_order(struct tset *t, size_t dl, const uint32_t *perm)
{
    uint8_t *nd = malloc(t->n * dl);
    struct vg_hash_entry *ne;
    if (!nd)
        return VG_ENOMEM;
    for (size_t i = 0; i < t->n; i++)
        memcpy(nd + i * dl, t->dig + (size_t)perm[i] * dl, dl);
    ne = malloc(t->n * sizeof *ne);
    if (!ne) {
        free(nd);
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < t->n; i++)
        ne[i] = t->ent[perm[i]];
    free(t->dig);
    free(t->ent);
    t->dig = nd;
    t->ent = ne;
    t->cap = t->n;
    return VG_OK;
}

/* The screen's bit for a digest: bits that the first-level index does not use. */
static uint64_t screen_bit(const uint8_t *d, unsigned bits)
{
    return load_be64(d + 8) >> (64 - bits);
}

/* The slot of size in t's size set: where it is, or the free slot where it would go. */
static size_t size_slot(const struct tset *t, int64_t size)
{
    size_t mask = t->scap - 1;
    size_t i = (size_t)(((uint64_t)size * t->smul) >> (64 - pow2_bits(t->scap)));
    while (t->sizes[i] != -1 && t->sizes[i] != size)
        i = (i + 1) & mask;
    return i;
}

/* Put size in t's size set, growing it to stay at most half full. */
static int size_put(struct tset *t, int64_t size, size_t *used)
{
    size_t i;
    if ((*used + 1) * 2 > t->scap) {
        size_t ncap = t->scap ? t->scap * 2 : 64;
        int64_t *old = t->sizes;
        size_t ocap = t->scap;
        if (ncap > SIZE_MAX / sizeof *old)
            return VG_ENOMEM;
        t->sizes = malloc(ncap * sizeof *t->sizes);
        if (!t->sizes) {
            t->sizes = old;
            return VG_ENOMEM;
        }
        memset(t->sizes, 0xff, ncap * sizeof *t->sizes); /* all -1 */
        t->scap = ncap;
        for (size_t k = 0; k < ocap; k++)
            if (old[k] != -1)
                t->sizes[size_slot(t, old[k])] = old[k];
        free(old);
    }
    i = size_slot(t, size);
    if (t->sizes[i] == -1) {
        t->sizes[i] = size;
        (*used)++;
    }
    return VG_OK;
}

/* The lookup index, the screen and the size set of a sorted type. */
static int index_type(struct tset *t, size_t dl, uint64_t smul)
{
    size_t n = t->n, used = 0;
    int rc;
    /* About four entries per bucket. */
    t->ibits = n >= 8 ? log2_floor(n) - 2 : 0;
    if (t->ibits > INDEX_BITS_MAX)
        t->ibits = INDEX_BITS_MAX;
    t->idx = calloc(((size_t)1 << t->ibits) + 1, sizeof *t->idx);
    if (!t->idx)
        return VG_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t top = t->ibits ? load_be64(t->dig + i * dl) >> (64 - t->ibits) : 0;
        t->idx[top + 1]++;
    }
    for (size_t h = 1; h <= (size_t)1 << t->ibits; h++)
        t->idx[h] += t->idx[h - 1];

    /* 16 to 32 bits per entry. */
    t->sbits = 6;
    while (t->sbits < SCREEN_BITS_MAX && ((size_t)1 << t->sbits) < n * 16)
        t->sbits++;
    t->screen = calloc((size_t)1 << (t->sbits - 6), sizeof *t->screen);
    if (!t->screen)
        return VG_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = screen_bit(t->dig + i * dl, t->sbits);
        t->screen[h >> 6] |= (uint64_t)1 << (h & 63);
    }

    t->smul = smul | 1;
    for (size_t i = 0; i < n; i++) {
        if (t->ent[i].size < 0)
            t->any = true;
        else if ((rc = size_put(t, t->ent[i].size, &used)) != VG_OK)
            return rc;
    }
    return VG_OK;
}

/*
 * The version: SHA-256 over every entry in canonical order (MD5, SHA-1,
 * SHA-256; within a type by digest, then size), each as type byte, digest,
 * size (8 bytes big-endian, -1 as all ones), then the name and the source,
 * each as a 4-byte big-endian length and its bytes. perm[type] gives the
 * order of an unbuilt set (NULL: the stored order, sorted once built).
 */
static int compute_version(const struct vg_hashdb *db, uint32_t *const perm[NTYPES], char *out)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char buf[8192], md[32];
    unsigned int mdlen = 0;
    size_t len = 0;
    bool ok;
    if (!ctx)
        return VG_ENOMEM;
    ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    for (int type = 0; ok && type < NTYPES; type++) {
        const struct tset *t = &db->t[type];
        size_t dl = digest_len[type];
        for (size_t i = 0; ok && i < t->n; i++) {
            size_t k = perm && perm[type] ? perm[type][i] : i;
            const struct vg_hash_entry *e = &t->ent[k];
            const char *strs[2] = {e->name, e->source};
            uint64_t size = (uint64_t)e->size;
            if (len + 1 + 32 + 8 > sizeof buf) {
                ok = EVP_DigestUpdate(ctx, buf, len) == 1;
                len = 0;
            }
            buf[len++] = (unsigned char)type;
            memcpy(buf + len, t->dig + k * dl, dl);
            len += dl;
            for (int b = 7; b >= 0; b--)
                buf[len++] = (unsigned char)(size >> (8 * b));
            for (int j = 0; ok && j < 2; j++) {
                size_t sl = strlen(strs[j]);
                if (len + 4 > sizeof buf) {
                    ok = EVP_DigestUpdate(ctx, buf, len) == 1;
                    len = 0;
                }
                for (int b = 3; b >= 0; b--)
                    buf[len++] = (unsigned char)((uint32_t)sl >> (8 * b));
                if (len + sl > sizeof buf) {
                    ok = EVP_DigestUpdate(ctx, buf, len) == 1 &&
                         EVP_DigestUpdate(ctx, strs[j], sl) == 1;
                    len = 0;
                } else {
                    memcpy(buf + len, strs[j], sl);
                    len += sl;
                }
            }
        }
    }
    ok = ok && EVP_DigestUpdate(ctx, buf, len) == 1 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 &&
         mdlen == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return VG_ENOMEM;
    vg_hex_encode(md, 32, out);
    return VG_OK;
}

/*
 * Sort, index and seal the set; afterwards it is read-only and lookups need
 * no locks. Building again is a no-op. On failure the set stays unbuilt,
 * with every entry it had, and building may be tried again.
 */
int vg_hashdb_build(struct vg_hashdb *db)
{
    bool sorted[NTYPES] = {false, false, false};
    int rc = VG_OK;
    if (!db)
        return VG_EINVAL;
    if (db->built)
        return VG_OK;
    for (int type = 0; type < NTYPES && rc == VG_OK; type++) {
        struct tset *t = &db->t[type];
        uint32_t *perm;
        if (t->n == 0)
            continue;
        rc = sort_order(db, type, &perm);
        if (rc == VG_OK) {
            rc = apply_order(t, digest_len[type], perm);
            free(perm);
        }
        if (rc == VG_OK) {
            sorted[type] = true;
            rc = index_type(t, digest_len[type], db->key[6 + type]);
        }
    }
    if (rc == VG_OK)
        rc = compute_version(db, NULL, db->version);
    if (rc) {
        for (int type = 0; type < NTYPES; type++) {
            tset_free_built(&db->t[type]);
            if (sorted[type])
                tab_fill(db, type); /* positions moved: the duplicate table follows */
        }
        return rc;
    }
    for (int type = 0; type < NTYPES; type++) {
        free(db->t[type].tab);
        db->t[type].tab = NULL;
        db->t[type].tcap = 0;
    }
    db->built = true;
    return VG_OK;
}

/* ---- lookups --------------------------------------------------------------------------------- */

/*
 * Whether a file of this size needs a hash of type. Before vg_hashdb_build
 * nothing is wanted. size < 0 (unknown): whenever the type has any entry.
 */
bool vg_hashdb_wants(const struct vg_hashdb *db, int type, int64_t size)
{
    const struct tset *t;
    if (!db || !db->built || !valid_type(type))
        return false;
    t = &db->t[type];
    if (t->any || (size < 0 && t->n > 0))
        return true;
    if (t->scap == 0 || size < 0)
        return false;
    return t->sizes[size_slot(t, size)] == size;
}

/* Order of two digests of dl bytes, the first 8 bytes given as key (big-endian). */
static int dig_cmp(const uint8_t *a, uint64_t akey, const uint8_t *b, uint64_t bkey, size_t dl)
{
    if (akey != bkey)
        return akey < bkey ? -1 : 1;
    return memcmp(a + 8, b + 8, dl - 8);
}

/* The first position in [b, e) whose (digest, size) is not below (d, size); key is d's. */
static size_t lower_bound(const struct tset *t, size_t dl, size_t b, size_t e, const uint8_t *d,
                          uint64_t key, int64_t size)
{
    while (b < e) {
        size_t mid = b + (e - b) / 2;
        const uint8_t *m = t->dig + mid * dl;
        int c = dig_cmp(m, load_be64(m), d, key, dl);
        if (c < 0 || (c == 0 && t->ent[mid].size < size))
            b = mid + 1;
        else
            e = mid;
    }
    return b;
}

/*
 * An entry listed for exactly this size wins over one for any size. size
 * < 0 (unknown): any entry with that digest, the any-size one first.
 * Before vg_hashdb_build nothing is found.
 */
const struct vg_hash_entry *vg_hashdb_lookup(const struct vg_hashdb *db, int type,
                                             const unsigned char *digest, int64_t size)
{
    const struct tset *t;
    const struct vg_hash_entry *any;
    size_t dl, b, e, pos;
    uint64_t key, h;
    if (!db || !db->built || !digest || !valid_type(type))
        return NULL;
    t = &db->t[type];
    if (t->n == 0)
        return NULL;
    h = screen_bit(digest, t->sbits);
    if (!(t->screen[h >> 6] >> (h & 63) & 1))
        return NULL;
    dl = digest_len[type];
    key = load_be64(digest);
    if (t->ibits) {
        b = t->idx[key >> (64 - t->ibits)];
        e = t->idx[(key >> (64 - t->ibits)) + 1];
    } else {
        b = 0;
        e = t->n;
    }
    pos = lower_bound(t, dl, b, e, digest, key, INT64_MIN);
    if (pos == e || memcmp(t->dig + pos * dl, digest, dl) != 0)
        return NULL;
    if (size < 0)
        return &t->ent[pos];
    any = t->ent[pos].size < 0 ? &t->ent[pos] : NULL;
    pos = lower_bound(t, dl, pos, e, digest, key, size);
    if (pos < e && t->ent[pos].size == size && memcmp(t->dig + pos * dl, digest, dl) == 0)
        return &t->ent[pos];
    return any;
}

/*
 * The version of an unbuilt set is computed on the spot in the same order
 * (and "" if memory runs out); once built it was computed by the build.
 */
void vg_hashdb_version(const struct vg_hashdb *db, char *out)
{
    uint32_t *perm[NTYPES] = {NULL, NULL, NULL};
    static const struct vg_hashdb empty;
    if (!out)
        return;
    if (!db)
        db = &empty;
    if (db->built) {
        memcpy(out, db->version, 65);
        return;
    }
    out[0] = '\0';
    for (int type = 0; type < NTYPES; type++)
        if (sort_order(db, type, &perm[type]) != VG_OK)
            goto out;
    if (compute_version(db, perm, out) != VG_OK)
        out[0] = '\0';
out:
    for (int type = 0; type < NTYPES; type++)
        free(perm[type]);
}
