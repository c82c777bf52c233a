/*
 * fuzz_normalize.c - libFuzzer target for indicator normalisation: the
 * input as a domain (vg_domain_normalize), as a URL (vg_url_normalize) and
 * as a digest (vg_hash_type).
 *
 * Invariants (abort() when broken):
 *   - a normalised domain is ASCII, lower case, at most VG_DOMAIN_MAX bytes,
 *     and normalising it again gives the same string (idempotence);
 *   - a normalised URL starts with http://, https:// or ftp://, holds no
 *     fragment, no space or control character, and normalising it again
 *     gives the same string; its host (when not an address) is a domain
 *     that normalises to itself;
 *   - on failure the outputs are empty / NULL;
 *   - vg_hash_type agrees with the length and hex digits of the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_domain(const char *s, size_t n)
{
    char out[VG_DOMAIN_MAX + 1], again[VG_DOMAIN_MAX + 1];
    int rc = vg_domain_normalize(s, n, out);
    if (rc != VG_OK) {
        CHECK(rc == VG_EPARSE);
        CHECK(out[0] == '\0');
        return;
    }
    size_t len = strlen(out);
    CHECK(len > 0 && len <= VG_DOMAIN_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        CHECK(c < 0x80 && !(c >= 'A' && c <= 'Z'));
    }
    CHECK(out[len - 1] != '.');
    CHECK(vg_domain_normalize(out, len, again) == VG_OK);
    CHECK(strcmp(out, again) == 0);
}

static void check_url(const char *s, size_t n)
{
    char *u = NULL, *again = NULL;
    int rc = vg_url_normalize(s, n, &u);
    if (rc != VG_OK) {
        CHECK(rc == VG_EPARSE || rc == VG_ENOMEM);
        CHECK(u == NULL);
        return;
    }
    CHECK(strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0 ||
          strncmp(u, "ftp://", 6) == 0);
    CHECK(strchr(u, '#') == NULL);
    for (const char *p = u; *p; p++)
        CHECK((unsigned char)*p > 0x20 && *p != 0x7f);
    CHECK(vg_url_normalize(u, strlen(u), &again) == VG_OK);
    CHECK(strcmp(u, again) == 0);
    free(again);
    free(u);
}

static void check_hash(const char *s, size_t n)
{
    int t = vg_hash_type(s, n);
    bool hex = true;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
              (s[i] >= 'A' && s[i] <= 'F')))
            hex = false;
    if (hex && n == 32)
        CHECK(t == VG_IOC_MD5);
    else if (hex && n == 40)
        CHECK(t == VG_IOC_SHA1);
    else if (hex && n == 64)
        CHECK(t == VG_IOC_SHA256);
    else
        CHECK(t == VG_IOC_NONE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    if (size > 4096)
        return 0;
    check_domain(s, size);
    check_url(s, size);
    check_hash(s, size);
    /* As a host: the same bytes behind a scheme. */
    if (size < 2048) {
        char buf[4096];
        memcpy(buf, "http://", 7);
        memcpy(buf + 7, s, size);
        check_url(buf, size + 7);
    }
    return 0;
}
