/*
 * parse.h - strict parsers for numbers, IP addresses, prefixes and times
 * taken from outside. Nothing here calls atoi or sscanf: each parser takes
 * a pointer and a length, accepts exactly its syntax (no leading or trailing
 * junk, no silent truncation) and returns VG_OK or VG_EPARSE.
 */
#ifndef VG_CORE_PARSE_H
#define VG_CORE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Decimal integer with optional sign, within [min, max] (VG_EINVAL if out of range). */
int vg_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);

/*
 * An IP address. IPv4 uses a[0..3]. IPv4-mapped IPv6 (::ffff:a.b.c.d) is
 * stored as IPv4, so one address has one representation.
 */
struct vg_ip {
    uint8_t family; /* 4 or 6 */
    uint8_t a[16];
};

struct vg_prefix {
    struct vg_ip ip; /* network address: host bits are zero */
    uint8_t len;     /* 0..32 or 0..128 */
};

#define VG_IP_STRLEN 46     /* INET6_ADDRSTRLEN */
#define VG_PREFIX_STRLEN 50 /* address + "/128" */

/* Dotted-quad IPv4 (no leading zeros, no shorthand) or IPv6 (no zone). */
int vg_ip_parse(const char *s, size_t n, struct vg_ip *out);

enum vg_prefix_flags {
    VG_PREFIX_STRICT = 1, /* host bits set is an error (default: masked off) */
};

/* "a.b.c.d/len", "x::/len", or a bare address (a /32 or /128). */
int vg_prefix_parse(const char *s, size_t n, int flags, struct vg_prefix *out);

/* Canonical text (RFC 5952 for IPv6) into buf[VG_IP_STRLEN]; returns buf. */
char *vg_ip_format(const struct vg_ip *ip, char *buf);
/* "a.b.c.d/len" into buf[VG_PREFIX_STRLEN]; a full-length prefix keeps its /32 or /128. */
char *vg_prefix_format(const struct vg_prefix *p, char *buf);

bool vg_ip_eq(const struct vg_ip *a, const struct vg_ip *b);
bool vg_prefix_contains(const struct vg_prefix *p, const struct vg_ip *ip);

enum vg_ip_class {
    VG_IP_PUBLIC = 0,
    VG_IP_PRIVATE,   /* RFC 1918, RFC 6598 shared space, fc00::/7 */
    VG_IP_LOOPBACK,  /* 127/8, ::1 */
    VG_IP_LINKLOCAL, /* 169.254/16, fe80::/10 */
    VG_IP_RESERVED,  /* unspecified, documentation, benchmarking, multicast, class E, ... */
};

int vg_ip_class(const struct vg_ip *ip);
const char *vg_ip_class_name(int cls);
/* true for VG_IP_PUBLIC only. */
bool vg_ip_is_public(const struct vg_ip *ip);
/* true when p overlaps no special-purpose range (neither contains nor is inside one). */
bool vg_prefix_is_public(const struct vg_prefix *p);

/*
 * A time: "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM:SS" or with 'T'
 * as separator, optionally followed by "Z" or "+HH:MM"/"-HH:MM" (also
 * "+HHMM"). Fractions of a second are accepted and dropped. Without a zone the
 * time is read in the process's local time zone (TZ). Fields are checked:
 * month 1-12, a day that exists in that month, hour 0-23, minute 0-59.
 */
int vg_time_parse(const char *s, size_t n, time_t *out);

/* "2026-11-22T01:28:42Z" into buf[32]; returns buf. */
char *vg_time_rfc3339(time_t t, char *buf);
/* Local time "2026-11-22 08:28" into buf[32]; returns buf. */
char *vg_time_local(time_t t, char *buf);

#endif
