/*
 * rules.h - YARA rule sets (libyara): loading what compiles, caching the
 * compiled set by content hash, and one scanner per thread over one shared
 * set.
 */
#ifndef VG_SCAN_RULES_H
#define VG_SCAN_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct vg_rules;
struct vg_rules_scanner;

struct vg_rules_opts {
    bool strict;           /* a file that does not compile is fatal */
    const char *cache_dir; /* compiled sets are kept here (NULL: no cache) */
    bool no_cache;
};

/* A compile error or warning: file, line (0: none), message. */
typedef void (*vg_rules_err_fn)(void *ctx, const char *file, int line, const char *msg,
                                bool warning);

/*
 * Load the rules in paths (files, or folders of *.yar / *.yara read
 * recursively). Files that do not compile go to fn and are left out, unless
 * o->strict. Fails when no file compiles.
 */
int vg_rules_load(char *const *paths, size_t npaths, const struct vg_rules_opts *o,
                  vg_rules_err_fn fn, void *ctx, struct vg_rules **out, struct vg_error *err);
void vg_rules_free(struct vg_rules *r);
/* Hex SHA-256 over the rule files' names and bytes. Borrowed. */
const char *vg_rules_version(const struct vg_rules *r);
unsigned vg_rules_count(const struct vg_rules *r);
/* Files left out because they did not compile. */
size_t vg_rules_failed(const struct vg_rules *r);

/* A matching rule: its identifier and namespace (the rule file's name). Non-zero stops. */
typedef int (*vg_rule_match_fn)(void *ctx, const char *rule, const char *ns);

/* One per thread. */
int vg_rules_scanner_new(const struct vg_rules *r, struct vg_rules_scanner **out);
void vg_rules_scanner_free(struct vg_rules_scanner *s);
/* Scan buf (a file or archive member at path: the externals filename, filepath
 * and extension come from it). VG_EBUSY on a time-out (60 s). */
int vg_rules_scan(struct vg_rules_scanner *s, const unsigned char *buf, size_t n, const char *path,
                  vg_rule_match_fn fn, void *ctx);

#endif
