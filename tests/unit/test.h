/*
 * test.h - tiny assertion macros for the unit tests (after YARA's
 * tests/util.h): no framework, one binary per area, every failed check
 * printed as file:line with the values, and a summary line at the end.
 *
 *     static void test_buf(void) { CHECK_EQ_INT(b.len, 3); ... }
 *
 *     static const struct test_case tests[] = {
 *         {"buf", test_buf},
 *         {NULL, NULL},
 *     };
 *     int main(int argc, char **argv) { return test_main(argc, argv, tests); }
 *
 * test_main runs every case (or only those named on the command line),
 * prints `N passed, M failed` (N and M count checks) on its own line and
 * returns non-zero if any check failed, so ctest sees the failure.
 *
 * Include this after the system and core headers and before core/banned.h.
 */
#ifndef VG_TEST_H
#define VG_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct test_case {
    const char *name;
    void (*fn)(void);
};

static int test_passed_;
static int test_failed_;
static const char *test_current_ = "";

/* Print s (n bytes, or up to NUL when n is SIZE_MAX) quoted, with bytes that
 * are not printable ASCII as \xNN, so a failure report cannot garble the terminal. */
static inline void test_print_quoted_(const char *s, size_t n)
{
    if (!s) {
        fputs("NULL", stderr);
        return;
    }
    fputc('"', stderr);
    for (size_t i = 0; n == SIZE_MAX ? s[i] != '\0' : i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(stderr, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", stderr);
        else if (c >= 0x20 && c < 0x7f)
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02X", c);
    }
    fputc('"', stderr);
}

static inline bool test_fail_head_(const char *file, int line)
{
    test_failed_++;
    fprintf(stderr, "%s:%d: [%s] check failed: ", file, line, test_current_);
    return false;
}

static inline bool test_check_(bool ok, const char *expr, const char *file, int line)
{
    if (ok) {
        test_passed_++;
        return true;
    }
    test_fail_head_(file, line);
    fprintf(stderr, "%s\n", expr);
    return false;
}

static inline bool test_eq_int_(intmax_t a, intmax_t b, const char *ea, const char *eb,
                                const char *file, int line)
{
    if (a == b) {
        test_passed_++;
        return true;
    }
    test_fail_head_(file, line);
    fprintf(stderr, "%s == %s\n    left:  %" PRIdMAX "\n    right: %" PRIdMAX "\n", ea, eb, a, b);
    return false;
}

static inline bool test_eq_mem_(const char *a, size_t an, const char *b, size_t bn, const char *ea,
                                const char *eb, const char *file, int line)
{
    bool ok = a && b ? an == bn && memcmp(a, b, an) == 0 : a == b;
    if (ok) {
        test_passed_++;
        return true;
    }
    test_fail_head_(file, line);
    fprintf(stderr, "%s == %s\n    left:  ", ea, eb);
    test_print_quoted_(a, an);
    fputs("\n    right: ", stderr);
    test_print_quoted_(b, bn);
    fputc('\n', stderr);
    return false;
}

static inline bool test_eq_str_(const char *a, const char *b, const char *ea, const char *eb,
                                const char *file, int line)
{
    return test_eq_mem_(a, a ? strlen(a) : 0, b, b ? strlen(b) : 0, ea, eb, file, line);
}

/* Each macro evaluates its arguments once and yields true when the check passed. */
#define CHECK(cond) test_check_((cond) ? true : false, #cond, __FILE__, __LINE__)
#define CHECK_EQ_INT(a, b) test_eq_int_((intmax_t)(a), (intmax_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_STR(a, b) test_eq_str_((a), (b), #a, #b, __FILE__, __LINE__)
/* Byte strings that may hold NULs: a[0..an) against b[0..bn). */
#define CHECK_EQ_MEM(a, an, b, bn) test_eq_mem_((a), (an), (b), (bn), #a, #b, __FILE__, __LINE__)

/* Run the cases (all, or those named in argv), print the summary, return the exit status. */
static inline int test_main(int argc, char **argv, const struct test_case *tests)
{
    int ran = 0;
    for (const struct test_case *t = tests; t->name; t++) {
        bool wanted = argc < 2;
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], t->name) == 0)
                wanted = true;
        if (!wanted)
            continue;
        int before = test_failed_;
        test_current_ = t->name;
        t->fn();
        ran++;
        if (test_failed_ != before)
            fprintf(stderr, "FAIL %s\n", t->name);
    }
    if (ran == 0) {
        fprintf(stderr, "no test case matched\n");
        return 2;
    }
    printf("%d passed, %d failed\n", test_passed_, test_failed_);
    fflush(stdout);
    return test_failed_ ? 1 : 0;
}

#endif
