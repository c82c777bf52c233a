/*
 * fuzz_vercmp_lang.c - libFuzzer target for the language version schemes
 * of lib/vuln/version_lang.c: semver, PEP 440 and Maven.
 *
 * Input: one scheme byte ('s' semver, 'p' PEP 440, 'm' Maven; any other
 * byte picks by its value modulo 3), then up to three versions separated by
 * '\n' (the last one runs to the end of the input).
 *
 * Invariants (abort() when broken):
 *   - check(v) is VG_OK or VG_EPARSE, and VG_EPARSE comes with a message;
 *   - cmp(a, b) succeeds exactly when check(a) and check(b) both do;
 *   - cmp(a, a) == 0, and sign(cmp(a, b)) == -sign(cmp(b, a));
 *   - semver and PEP 440 only (Maven's order has cycles of its own):
 *     a <= b and b <= c imply a <= c, and equality is transitive.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "vuln/version_int.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_vercmp_lang.c:%d: invariant failed: %s\n", __LINE__, #cond);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef int (*cmp_fn)(const char *, size_t, const char *, size_t, int *, struct vg_error *);
typedef int (*check_fn)(const char *, size_t, struct vg_error *);

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const cmp_fn cmps[3] = {vg_vcmp_semver, vg_vcmp_pep440, vg_vcmp_maven};
    static const check_fn checks[3] = {vg_vcheck_semver, vg_vcheck_pep440, vg_vcheck_maven};
    const char *v[3];
    size_t n[3], nv = 0, at = 1;
    bool ok[3];
    int c[3][3], scheme;

    if (size < 1 || size > 4096)
        return 0;
    scheme = data[0] == 's' ? 0 : data[0] == 'p' ? 1 : data[0] == 'm' ? 2 : data[0] % 3;
    while (nv < 3) {
        const uint8_t *nl = nv < 2 ? memchr(data + at, '\n', size - at) : NULL;
        size_t end = nl ? (size_t)(nl - data) : size;
        v[nv] = (const char *)data + at;
        n[nv] = end - at;
        nv++;
        if (!nl)
            break;
        at = end + 1;
    }
    for (size_t i = 0; i < nv; i++) {
        struct vg_error err = {0};
        int rc = checks[scheme](v[i], n[i], &err);
        CHECK(rc == VG_OK || rc == VG_EPARSE);
        CHECK(rc == VG_OK || (err.code == VG_EPARSE && err.msg[0] != '\0'));
        ok[i] = rc == VG_OK;
    }
    for (size_t i = 0; i < nv; i++) {
        for (size_t j = 0; j < nv; j++) {
            struct vg_error err = {0};
            int out = 12345;
            int rc = cmps[scheme](v[i], n[i], v[j], n[j], &out, &err);
            CHECK(rc == VG_OK || rc == VG_EPARSE);
            CHECK((rc == VG_OK) == (ok[i] && ok[j]));
            CHECK(rc == VG_OK || err.msg[0] != '\0');
            c[i][j] = rc == VG_OK ? sgn(out) : 99;
        }
    }
    for (size_t i = 0; i < nv; i++) {
        if (!ok[i])
            continue;
        CHECK(c[i][i] == 0);
        for (size_t j = 0; j < nv; j++) {
            if (!ok[j])
                continue;
            CHECK(c[i][j] == -c[j][i]);
            for (size_t k = 0; k < nv && scheme != 2; k++) {
                if (!ok[k])
                    continue;
                CHECK(!(c[i][j] <= 0 && c[j][k] <= 0 && c[i][k] > 0));
                CHECK(!(c[i][j] == 0 && c[j][k] == 0 && c[i][k] != 0));
            }
        }
    }
    return 0;
}
