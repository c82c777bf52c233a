/*
 * normalize.c - indicators to one spelling each, so that a feed's entry and
 * what a log shows compare equal: domains (lower case, no trailing dot, IDN
 * as punycode through libidn2), URLs (scheme and host lower case, default
 * ports dropped, host normalised) and the type of a hex digest.
 */
#include <idn2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/str.h"
#include "intel/intel.h"
#include "core/banned.h"

#define DOMAIN_IN_MAX 1024 /* longer text is not a domain, whatever its encoding */
#define URL_MAX 65536      /* longer text is not a URL a feed means */

const char *vg_ioc_type_name(int type)
{
    switch (type) {
    case VG_IOC_IP:
        return "ip";
    case VG_IOC_DOMAIN:
        return "domain";
    case VG_IOC_URL:
        return "url";
    case VG_IOC_MD5:
        return "md5";
    case VG_IOC_SHA1:
        return "sha1";
    case VG_IOC_SHA256:
        return "sha256";
    default:
        return "";
    }
}

static bool is_label_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* ASCII name (no trailing dot) into out, lower-cased and checked. */
static int ascii_domain(const char *s, size_t n, char *out)
{
    size_t label = 0, dots = 0, last_start = 0;
    bool last_digits = true;
    if (n == 0 || n > VG_DOMAIN_MAX)
        return VG_EPARSE;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c == '.') {
            if (label == 0)
                return VG_EPARSE;
            dots++;
            label = 0;
            last_start = i + 1;
            last_digits = true;
        } else if (is_label_char(c)) {
            if (++label > 63)
                return VG_EPARSE;
            if (c < '0' || c > '9')
                last_digits = false;
        } else {
            return VG_EPARSE;
        }
        out[i] = (char)c;
    }
    out[n] = '\0';
    /* At least one dot, no empty last label, and a last label that is not all
     * digits: "10.0.0.300" is a bad address, not a name. */
    if (label == 0 || dots == 0 || last_digits || last_start >= n)
        return VG_EPARSE;
    return VG_OK;
}

int vg_domain_normalize(const char *s, size_t n, char *out)
{
    bool ascii = true;
    char tmp[DOMAIN_IN_MAX + 1];
    uint8_t *res = NULL;
    int rc;

    out[0] = '\0';
    if (!s || n == 0 || n > DOMAIN_IN_MAX || memchr(s, '\0', n))
        return VG_EPARSE;
    if (s[n - 1] == '.')
        n--;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = false;
    if (ascii) {
        rc = ascii_domain(s, n, out);
        if (rc)
            out[0] = '\0';
        return rc;
    }
    if (!vg_utf8_valid(s, n, NULL))
        return VG_EPARSE;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    rc = idn2_lookup_u8((const uint8_t *)tmp, &res, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
        res = NULL;
        rc = idn2_lookup_u8((const uint8_t *)tmp, &res, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
    }
    if (rc != IDN2_OK || !res) {
        out[0] = '\0';
        return VG_EPARSE;
    }
    n = strlen((const char *)res);
    /* UTS #46 may map a full stop (U+3002) to a trailing dot. */
    if (n > 0 && res[n - 1] == '.')
        n--;
    rc = ascii_domain((const char *)res, n, out);
    idn2_free(res);
    if (rc)
        out[0] = '\0';
    return rc;
}

/* The host part of a URL, normalised, appended to b. */
static int url_host(struct vg_buf *b, const char *h, size_t n)
{
    struct vg_ip ip;
    char text[VG_IP_STRLEN];
    char dom[VG_DOMAIN_MAX + 1];
    bool dotted = n > 0;
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        if (!memchr(h + 1, ':', n - 2) || vg_ip_parse(h + 1, n - 2, &ip) != VG_OK)
            return VG_EPARSE;
        if (ip.family == 4)
            return vg_buf_adds(b, vg_ip_format(&ip, text));
        vg_buf_addc(b, '[');
        vg_buf_adds(b, vg_ip_format(&ip, text));
        return vg_buf_addc(b, ']');
    }
    for (size_t i = 0; i < n; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || h[i] == '.'))
            dotted = false;
    if (dotted) {
        if (vg_ip_parse(h, n, &ip) != VG_OK)
            return VG_EPARSE;
        return vg_buf_adds(b, vg_ip_format(&ip, text));
    }
    if (vg_domain_normalize(h, n, dom) != VG_OK)
        return VG_EPARSE;
    return vg_buf_adds(b, dom);
}

int vg_url_normalize(const char *s, size_t n, char **out)
{
    struct vg_buf b;
    const char *p, *end = s + n, *auth, *aend, *host, *hend, *port = NULL, *at;
    size_t slen;
    int rc = VG_EPARSE;

    *out = NULL;
    if (!s || n == 0 || n > URL_MAX)
        return VG_EPARSE;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f)
            return VG_EPARSE;
    }
    if (!vg_utf8_valid(s, n, NULL))
        return VG_EPARSE;
    p = memchr(s, ':', n);
    if (!p || end - p < 3 || p[1] != '/' || p[2] != '/')
        return VG_EPARSE;
    slen = (size_t)(p - s);
    vg_buf_init(&b, VG_BUF_NOLIMIT);
    if (slen == 4 && strncasecmp(s, "http", 4) == 0)
        vg_buf_adds(&b, "http://");
    else if (slen == 5 && strncasecmp(s, "https", 5) == 0)
        vg_buf_adds(&b, "https://");
    else if (slen == 3 && strncasecmp(s, "ftp", 3) == 0)
        vg_buf_adds(&b, "ftp://");
    else
        goto out;
    auth = p + 3;
    for (aend = auth; aend < end && *aend != '/' && *aend != '?' && *aend != '#'; aend++)
        ;
    /* userinfo@ is kept as written (phishing URLs hide behind it). */
    at = NULL;
    for (const char *q = auth; q < aend; q++)
        if (*q == '@')
            at = q;
    host = at ? at + 1 : auth;
    if (at && vg_buf_add(&b, auth, (size_t)(host - auth)))
        goto out;
    hend = aend;
    if (host < aend && *host == '[') {
        const char *rb = memchr(host, ']', (size_t)(aend - host));
        if (!rb)
            goto out;
        hend = rb + 1;
        if (hend < aend) {
            if (*hend != ':')
                goto out;
            port = hend + 1;
        }
    } else {
        const char *colon = memchr(host, ':', (size_t)(aend - host));
        if (colon) {
            hend = colon;
            port = colon + 1;
        }
    }
    if (hend == host || url_host(&b, host, (size_t)(hend - host)) != VG_OK)
        goto out;
    if (port && port < aend) {
        size_t pn = (size_t)(aend - port);
        int64_t v;
        if (!vg_str_digits(port, pn) || pn > 5 || vg_parse_i64(port, pn, 1, 65535, &v))
            goto out;
        if (!((v == 80 && b.data[4] == ':') || (v == 443 && b.data[4] == 's')))
            vg_buf_addf(&b, ":%d", (int)v);
    }
    /* Path and query; an empty path is "/"; the fragment goes. */
    {
        const char *frag = memchr(aend, '#', (size_t)(end - aend));
        const char *rest_end = frag ? frag : end;
        if (aend == rest_end || *aend != '/')
            vg_buf_addc(&b, '/');
        if (vg_buf_add(&b, aend, (size_t)(rest_end - aend)))
            goto out;
    }
    *out = vg_buf_detach(&b, NULL);
    rc = *out ? VG_OK : VG_ENOMEM;
out:
    vg_buf_release(&b);
    return rc;
}

int vg_hash_type(const char *s, size_t n)
{
    if (!s || (n != 32 && n != 40 && n != 64))
        return VG_IOC_NONE;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return VG_IOC_NONE;
    }
    return n == 32 ? VG_IOC_MD5 : n == 40 ? VG_IOC_SHA1 : VG_IOC_SHA256;
}
