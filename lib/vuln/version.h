/*
 * version.h - version comparison exactly as each ecosystem defines it:
 * dpkg (Debian, Ubuntu), rpm (Red Hat, Rocky, AlmaLinux, SUSE...), apk
 * (Alpine), semver 2.0 (npm, Go, crates.io...), PEP 440 (PyPI), Maven, and
 * a documented generic fallback. Invalid versions are errors, not guesses.
 */
#ifndef VG_VULN_VERSION_H
#define VG_VULN_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum vg_vscheme {
    VG_VS_NONE = 0,
    VG_VS_DPKG,    /* [epoch:]upstream[-revision], '~' sorts before everything */
    VG_VS_RPM,     /* [epoch:]version[-release], rpmvercmp with '~' and '^' */
    VG_VS_APK,     /* Alpine apk-tools: digits, letter, _suffix[N], -rN */
    VG_VS_SEMVER,  /* semver.org 2.0 (npm, crates.io; Go with its leading "v") */
    VG_VS_PEP440,  /* PyPI */
    VG_VS_MAVEN,   /* Maven ComparableVersion */
    VG_VS_GENERIC, /* fallback: see version.c */
};

/*
 * The scheme for a name: an OSV ecosystem ("Debian", "Debian:12", "Ubuntu:22.04",
 * "Alpine:v3.18", "Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "npm", "PyPI",
 * "Maven", "Go", "crates.io", "NuGet", "RubyGems"...) or a scheme's own name
 * ("dpkg", "deb", "rpm", "apk", "semver", "pep440", "maven", "generic"); case
 * does not matter. VG_VS_NONE when unknown.
 */
int vg_vscheme_of(const char *name);
/* "dpkg", "rpm", ... */
const char *vg_vscheme_name(int scheme);

/*
 * Compare a and b (not NUL-terminated; lengths given) under scheme: *out is
 * <0, 0 or >0. VG_EPARSE when either is not a valid version of the scheme,
 * with err naming which one and why ("'1:2:3' is not a dpkg version: ...").
 */
int vg_version_cmp(int scheme, const char *a, size_t an, const char *b, size_t bn, int *out,
                   struct vg_error *err);

/* VG_OK when v is a valid version of the scheme, else VG_EPARSE with the reason. */
int vg_version_check(int scheme, const char *v, size_t n, struct vg_error *err);

#endif
