/*
 * software.h - parsers for software inventories as hosts report them:
 * the dpkg status file, dpkg-query and rpm -qa output, a Windows
 * installed-programs CSV and a CycloneDX SBOM (JSON). Pure: no store, no
 * output; each package is handed to a callback.
 *
 * Every package of the input is passed to fn in order; the strings are
 * valid only during the call. Bad input stops the parse with VG_EPARSE and
 * a message naming display:line (or the JSON path, components[3].version)
 * and the reason. Packages before the error have already been passed, so a
 * caller that wants all or nothing collects them and keeps them only when
 * the parse returns VG_OK. A non-zero return from fn stops the parse and
 * is returned as is.
 */
#ifndef VG_VULN_SOFTWARE_H
#define VG_VULN_SOFTWARE_H

#include <stddef.h>

#include "core/err.h"

enum vg_sw_format {
    VG_SW_NONE = 0,
    VG_SW_DPKG_STATUS, /* /var/lib/dpkg/status */
    VG_SW_DPKG_QUERY,  /* dpkg-query -W [-f '${Package}\t${Version}\t${Architecture}\t
                          ${source:Package}\t${source:Version}\n'] */
    VG_SW_RPM_QA,      /* rpm -qa [--qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\n'] */
    VG_SW_WINDOWS_CSV, /* CSV with DisplayName, DisplayVersion, Publisher columns */
    VG_SW_CYCLONEDX,   /* CycloneDX JSON: components[] (nested ones too) */
};

struct vg_pkg {
    const char *name;
    const char *version; /* checked for deb (dpkg scheme) and rpm; NULL when the input has none */
    const char *arch;    /* NULL when unknown */
    /* dpkg: Source: name and version (default: the binary's); NULL for others */
    const char *source, *source_version;
    const char *ecosystem; /* "deb", "rpm", "windows", "npm", "pypi", ... or NULL */
    const char *purl;      /* CycloneDX only, else NULL */
    const char *publisher; /* Windows CSV only, else NULL */
    size_t line;           /* line of the package (its stanza's first line); 0 in JSON */
};

/* Called for each package; non-zero stops the parse. */
typedef int (*vg_pkg_fn)(void *ctx, const struct vg_pkg *p);

/*
 * Parse text[0..n) in format (enum vg_sw_format), calling fn for each
 * package. display names the input in messages (NULL: "<input>").
 *   dpkg status: only packages whose Status is "install ok installed" or
 *     "hold ok installed"; Package and Version are required for those.
 *   dpkg-query: 2 columns (name[:arch], version) or 5; lines with an empty
 *     version (known but not installed) are skipped.
 *   rpm -qa: name-[epoch:]version-release[.arch], split from the right; the
 *     version passed on is "[epoch:]version-release". Or the 3 tab-separated
 *     columns of the --qf form; arch "(none)" becomes NULL.
 *   Windows CSV: the header names the columns (any order, any case); rows
 *     with an empty DisplayName are skipped; a "#TYPE" line of Export-Csv
 *     and a UTF-8 BOM are skipped.
 *   CycloneDX: components[] with name (required), version, purl; the
 *     ecosystem is the purl type ("npm", "pypi", "maven", "golang", ...).
 */
int vg_software_parse(const char *text, size_t n, const char *display, int format, vg_pkg_fn fn,
                      void *ctx, struct vg_error *err);

/* Guess the format of text from its first lines: a vg_sw_format, or 0. */
int vg_software_detect(const char *text, size_t n);

/* "dpkg-status", "dpkg-query", "rpm-qa", "windows-csv", "cyclonedx"; NULL when unknown. */
const char *vg_software_format_name(int format);

#endif
