/*
 * version_int.h - internal to lib/vuln: the comparators of the language
 * ecosystems (version_lang.c), called by the dispatch in version.c. Same
 * contract as vg_version_cmp / vg_version_check for one scheme each.
 */
#ifndef VG_VULN_VERSION_INT_H
#define VG_VULN_VERSION_INT_H

#include <stddef.h>

#include "core/err.h"

int vg_vcmp_semver(const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err);
int vg_vcmp_pep440(const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err);
int vg_vcmp_maven(const char *a, size_t an, const char *b, size_t bn, int *out,
                  struct vg_error *err);
int vg_vcheck_semver(const char *v, size_t n, struct vg_error *err);
int vg_vcheck_pep440(const char *v, size_t n, struct vg_error *err);
int vg_vcheck_maven(const char *v, size_t n, struct vg_error *err);

#endif
