/*
 * fuzz_csv.c - libFuzzer target for reading a CSV file as the importers do:
 * vg_text_decode (encoding detected, as with no --encoding) and then
 * vg_csv_next to the end of the input, twice: with the sniffed delimiter
 * and the default record limit, and with a chosen delimiter and a 32-byte
 * limit so that the too-big path and the recovery after it are exercised.
 * The input is also decoded as windows-1258 (--encoding windows-1258, the
 * legacy Vietnamese code page) into a buffer capped at its own size, for
 * the iconv path: conversion, the flush of held-back characters, the limit.
 *
 * Invariants (abort() when broken):
 *   - decoding keeps the buffer NUL-terminated, terminates, and turns
 *     UTF-16 or windows-1258 into valid UTF-8; every failure has a message;
 *   - the reader always terminates, each call moves forward;
 *   - every field returned is valid UTF-8 without NUL, inside the record
 *     buffer, and the record fits max_record;
 *   - record line numbers never decrease, and after every call the reader's
 *     line counter equals 1 + the line ends (LF, CRLF or CR) before its
 *     position in the text;
 *   - errors name "fuzz.csv:" and the line, and are EPARSE or ETOOBIG;
 *   - vg_str_escape_ctl of a field leaves no control character.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/file.h"
#include "core/str.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_csv.c:%d: invariant failed: %s\n", __LINE__, #cond);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_field(const struct vg_csv *c, const char *f)
{
    char out[64];
    size_t n = strlen(f);
    CHECK(f >= c->rec.data && f + n < c->rec.data + c->rec.len + 1);
    CHECK(vg_utf8_valid(f, n, NULL));
    vg_str_escape_ctl(out, sizeof out, f, n);
    CHECK(strlen(out) < sizeof out);
    CHECK(vg_utf8_valid(out, strlen(out), NULL));
    CHECK(!vg_str_has_ctl(out, strlen(out)));
    (void)vg_str_width(f);
}

static void read_all(const char *text, size_t len, char delim, size_t max_record)
{
    struct vg_csv c;
    struct vg_csv_row row;
    struct vg_error err;
    size_t calls = 0, prev_pos = 0, prev_line = 1;
    size_t scanned = 0, line_ends = 0; /* line ends in text[0..scanned) */

    vg_csv_init(&c, text, len, delim, "fuzz.csv");
    CHECK(c.delim == ',' || c.delim == ';' || c.delim == '\t');
    if (max_record)
        c.max_record = max_record;
    for (;;) {
        int rc;
        vg_error_clear(&err);
        rc = vg_csv_next(&c, &row, &err);
        CHECK(++calls <= len + 1);
        CHECK(c.pos <= len);
        for (; scanned < c.pos; scanned++)
            if (text[scanned] == '\n' ||
                (text[scanned] == '\r' && !(scanned + 1 < len && text[scanned + 1] == '\n')))
                line_ends++;
        CHECK(c.line == 1 + line_ends);
        if (rc == VG_ENOTFOUND) {
            CHECK(c.pos == len);
            break;
        }
        CHECK(c.pos > prev_pos);
        prev_pos = c.pos;
        CHECK(row.line >= prev_line && row.line <= c.line);
        prev_line = row.line;
        if (rc == VG_OK) {
            size_t total = 0;
            CHECK(row.n >= 1 && row.n <= VG_CSV_MAX_FIELDS);
            for (size_t i = 0; i < row.n; i++) {
                check_field(&c, row.f[i]);
                total += strlen(row.f[i]) + 1;
            }
            CHECK(total <= c.max_record);
        } else {
            CHECK(rc == VG_EPARSE || rc == VG_ETOOBIG);
            CHECK(err.code == rc);
            CHECK(strncmp(err.msg, "fuzz.csv:", 9) == 0);
            CHECK(c.err_line >= row.line && c.err_line <= c.line);
            CHECK(c.err_field <= VG_CSV_MAX_FIELDS + 1);
            CHECK(c.err_reason[0] != '\0');
        }
    }
    vg_csv_release(&c);
}

static void check_cp1258(const uint8_t *data, size_t size)
{
    struct vg_buf b;
    struct vg_error err;
    const char *detected = NULL;
    int rc;
    vg_buf_init(&b, size ? size : 1);
    CHECK(vg_buf_add(&b, data, size) == VG_OK);
    vg_error_clear(&err);
    rc = vg_text_decode(&b, "windows-1258", "fuzz.csv", &detected, &err);
    CHECK(b.data[b.len] == '\0');
    if (rc == VG_OK) {
        CHECK(vg_utf8_valid(b.data, b.len, NULL));
    } else {
        CHECK(rc == VG_EPARSE || rc == VG_ETOOBIG);
        CHECK(err.msg[0] != '\0');
    }
    vg_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_buf b;
    struct vg_error err;
    const char *detected = NULL;
    int rc;

    if (size > (1u << 16))
        return 0;
    vg_buf_init(&b, 1u << 20);
    CHECK(vg_buf_add(&b, data, size) == VG_OK);
    vg_error_clear(&err);
    rc = vg_text_decode(&b, NULL, "fuzz.csv", &detected, &err);
    CHECK(b.data[b.len] == '\0');
    CHECK(detected != NULL);
    if (rc != VG_OK) {
        CHECK(rc == VG_EPARSE || rc == VG_ETOOBIG || rc == VG_ENOMEM);
        CHECK(err.msg[0] != '\0');
    } else if (strncmp(detected, "utf-16", 6) == 0) {
        CHECK(vg_utf8_valid(b.data, b.len, NULL));
    }
    read_all(b.data, b.len, 0, 0);
    read_all(b.data, b.len, ";,\t"[size % 3], 32);
    vg_buf_release(&b);
    check_cp1258(data, size);
    return 0;
}
