/*
 * cls.h - the byte classes of the log-line extractor (extract.c), shared
 * with the sweep's screen (screen.c) so that both see the same tokens.
 */
#ifndef VG_SWEEP_CLS_H
#define VG_SWEEP_CLS_H

#include <stdint.h>

enum {
    C_DIGIT = 1,   /* 0-9 */
    C_HEX = 2,     /* 0-9 a-f A-F */
    C_ALPHA = 4,   /* a-z A-Z */
    C_WORD = 8,    /* a domain label byte: letters, digits, '-', '_' */
    C_V6 = 16,     /* a byte of an IPv6 text form: hex digits, ':', '.' */
    C_URLEND = 32, /* ends a URL: whitespace, '"', '\'', '<', '>' */
    C_SCHEME = 64, /* cannot stand before a URL scheme: letters, digits, '+', '-', '.' */
    C_LOCAL = 128, /* e-mail local part: letters, digits, '.', '_', '%', '+', '-' */
};

/* Bytes >= 0x80 are in no class. */
extern const uint8_t vg_sweep_cls[256];

#endif
