/*
 * fuzz_software.c - libFuzzer target for the software inventory parsers
 * (lib/vuln/software.c): the whole input is parsed as a dpkg status file,
 * then given to the detector, and parsed again in the detected format.
 *
 * Invariants (abort() when broken):
 *   - no crash, no read outside the input (ASan: it is an exact copy);
 *   - every package has a non-empty name; deb and rpm packages have a
 *     version that passes vg_version_check under their scheme (dpkg, rpm),
 *     and so does a dpkg source version;
 *   - the parse returns VG_OK or VG_EPARSE, and VG_EPARSE comes with a
 *     message that starts with the input's display name;
 *   - the detector returns 0 or a known format, the same one twice.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "vuln/software.h"
#include "vuln/version.h"

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_software.c:%d: invariant failed: %s\n", __LINE__, #cond);        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static int check_pkg(void *ctx, const struct vg_pkg *p)
{
    size_t *count = ctx;
    (*count)++;
    CHECK(p->name && p->name[0] != '\0');
    int scheme = VG_VS_NONE;
    if (p->ecosystem && strcmp(p->ecosystem, "deb") == 0)
        scheme = VG_VS_DPKG;
    else if (p->ecosystem && strcmp(p->ecosystem, "rpm") == 0)
        scheme = VG_VS_RPM;
    if (scheme != VG_VS_NONE && (p->version || p->line != 0)) {
        CHECK(p->version && p->version[0] != '\0');
        CHECK(vg_version_check(scheme, p->version, strlen(p->version), NULL) == VG_OK);
    }
    if (scheme == VG_VS_DPKG && p->line != 0) {
        CHECK(p->source && p->source[0] != '\0');
        CHECK(p->source_version && vg_version_check(VG_VS_DPKG, p->source_version,
                                                    strlen(p->source_version), NULL) == VG_OK);
    }
    return 0;
}

static void parse(const char *text, size_t n, int format)
{
    struct vg_error err;
    size_t count = 0;
    vg_error_clear(&err);
    int rc = vg_software_parse(text, n, "fuzz", format, check_pkg, &count, &err);
    CHECK(rc == VG_OK || rc == VG_EPARSE);
    if (rc == VG_EPARSE)
        CHECK(strncmp(err.msg, "fuzz", 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    parse(text, size, VG_SW_DPKG_STATUS);
    int f = vg_software_detect(text, size);
    CHECK(f == 0 || vg_software_format_name(f) != NULL);
    CHECK(vg_software_detect(text, size) == f);
    if (f != 0 && f != VG_SW_DPKG_STATUS)
        parse(text, size, f);
    return 0;
}
