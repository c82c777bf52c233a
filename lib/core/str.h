/*
 * str.h - small string helpers for text from outside: bounded copies,
 * trimming, ASCII case, UTF-8 validation and escaping of control characters.
 */
#ifndef VG_CORE_STR_H
#define VG_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>

/* Copy src into dst[size] truncating; always NUL-terminates. Returns strlen(src). */
size_t vg_strlcpy(char *dst, const char *src, size_t size);

/* malloc'd copy of s[0..n) plus NUL; the caller frees it. NULL when out of memory. */
char *vg_strndup(const char *s, size_t n);
/* vg_strndup(s, strlen(s)); NULL in, NULL out. */
char *vg_strdup(const char *s);

/* Trim ASCII spaces and tabs (and CR) from both ends in place; returns s + leading. */
char *vg_str_trim(char *s);

/* Lower-case ASCII letters in place; returns s. */
char *vg_str_lower(char *s);

/* ASCII case-insensitive equality. */
bool vg_str_ieq(const char *a, const char *b);

/* true if s is NULL or holds only spaces. */
bool vg_str_blank(const char *s);

/*
 * true when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code points past U+10FFFF). On false, *bad (if given) is the byte offset
 * of the first bad sequence.
 */
bool vg_utf8_valid(const char *s, size_t n, size_t *bad);

/*
 * Write s[0..n) into dst[size] with C0/C1 control characters, DEL and bytes
 * of invalid UTF-8 escaped as \n, \t, \xNN, so hostile text cannot drive a
 * terminal. Truncates with "..." if it does not fit. Returns dst.
 */
char *vg_str_escape_ctl(char *dst, size_t size, const char *s, size_t n);

/* true if s[0..n) contains a byte that vg_str_escape_ctl would escape. */
bool vg_str_has_ctl(const char *s, size_t n);

/*
 * Display width of a UTF-8 string on a terminal (Vietnamese letters with
 * combining marks count once). Invalid bytes count one column each.
 */
size_t vg_str_width(const char *s);

/*
 * Iterate over sep-separated items: returns false when none is left.
 * Items are trimmed; empty items are skipped.
 *     const char *p = list; const char *it; size_t n;
 *     while (vg_str_next_item(&p, ';', &it, &n)) ...
 */
bool vg_str_next_item(const char **p, char sep, const char **item, size_t *n);

/*
 * Fold a header or keyword for comparison: Unicode lower case in NFC (so
 * "Đơn vị" typed with combining marks equals the precomposed form), trimmed,
 * runs of spaces, '-' and '_' made one '_'. Writes at most size bytes
 * (NUL-terminated); returns false if s is not UTF-8 or does not fit.
 */
bool vg_str_fold(const char *s, char *out, size_t size);

/* s[0..n) is one or more ASCII digits. */
bool vg_str_digits(const char *s, size_t n);

#endif
