/*
 * fuzz_scan_result.c - libFuzzer target for the scan result reader
 * (vg_scan_result_parse): files written by `vigil scan --output` elsewhere,
 * read by `vigil scan import`.
 *
 * Invariants (abort() when broken):
 *   - VG_OK or VG_EPARSE (VG_ENOMEM aside), with a message naming the input
 *     on error;
 *   - on VG_OK: a host, a parsed start, the detection count in the record,
 *     and every detection has path, sha256, rule and kind yara/hash;
 *   - parsing the same bytes twice gives the same result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_scan_result.c:%d: invariant failed: %s\n", __LINE__, #cond);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_scan_result r, r2;
    struct vg_error e, e2;
    int rc, rc2;
    vg_error_clear(&e);
    vg_error_clear(&e2);
    rc = vg_scan_result_parse((const char *)data, size, "in", &r, &e);
    rc2 = vg_scan_result_parse((const char *)data, size, "in", &r2, &e2);
    CHECK(rc == rc2);
    if (rc == VG_ENOMEM)
        return 0;
    CHECK(rc == VG_OK || rc == VG_EPARSE);
    if (rc) {
        CHECK(strncmp(e.msg, "in", 2) == 0);
        CHECK(strcmp(e.msg, e2.msg) == 0);
        return 0;
    }
    CHECK(r.host[0] != '\0' && r.row.hostname == r.host);
    CHECK(r.row.detections == (int64_t)r.n && r.n == r2.n);
    for (size_t i = 0; i < r.n; i++) {
        const struct vg_scan_detection *d = &r.d[i];
        CHECK(d->path && d->sha256 && d->rule && d->kind);
        CHECK(strcmp(d->kind, "yara") == 0 || strcmp(d->kind, "hash") == 0);
        CHECK(strcmp(d->path, r2.d[i].path) == 0 && strcmp(d->rule, r2.d[i].rule) == 0);
    }
    vg_scan_result_release(&r);
    vg_scan_result_release(&r2);
    return 0;
}
