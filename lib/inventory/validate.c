/*
 * validate.c - checks for the fields people type into inventories. Each
 * check gives a reason without position; the caller adds file, line, column.
 */
#include "inventory/inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "core/str.h"
#include "core/banned.h"

#define WHY_MAX 160

static int bad(char *why, const char *fmt, const char *v)
{
    char safe[64];
    vg_str_escape_ctl(safe, sizeof safe, v, strlen(v));
    snprintf(why, WHY_MAX, fmt, safe);
    return VG_EINVAL;
}

int vg_inv_check_name(const char *s, char *why)
{
    size_t n = strlen(s);
    if (!n || vg_str_blank(s))
        return bad(why, "is empty%s", "");
    if (n > VG_NAME_MAX)
        return bad(why, "is longer than 200 bytes%s", "");
    if (vg_str_has_ctl(s, n))
        return bad(why, "\"%s\" contains control characters", s);
    if (s[0] == '-')
        return bad(why, "\"%s\" may not start with '-'", s);
    return VG_OK;
}

int vg_inv_check_text(const char *s, char *why)
{
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
            snprintf(why, WHY_MAX, "contains a control character (byte 0x%02X)", c);
            return VG_EINVAL;
        }
    }
    if (strlen(s) > 4096)
        return bad(why, "is longer than 4096 bytes%s", "");
    return VG_OK;
}

int vg_inv_check_hostname(char *s, char *why)
{
    size_t n = strlen(s), label = 0;
    if (!n)
        return bad(why, "is empty%s", "");
    if (n > VG_HOSTNAME_MAX)
        return bad(why, "is longer than 253 characters%s", "");
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (!label)
                return bad(why, "\"%s\" has an empty label", s);
            if (s[i - 1] == '-')
                return bad(why, "\"%s\" has a label that ends with '-'", s);
            label = 0;
            continue;
        }
        if (c == '-' && label == 0)
            return bad(why, "\"%s\" has a label that starts with '-'", s);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return bad(why, "\"%s\" is not a host name (letters, digits, '-', '_' and '.' only)",
                       s);
        if (++label > 63)
            return bad(why, "\"%s\" has a label longer than 63 characters", s);
    }
    if (s[0] == '-' || s[n - 1] == '.' || s[n - 1] == '-')
        return bad(why, "\"%s\" is not a host name", s);
    vg_str_lower(s);
    return VG_OK;
}

int vg_inv_parse_role(const char *s, const char **out, char *why)
{
    static const char *servers[] = {"server", "srv", "máy chủ", "may chu", "máy chủ ảo", "vm"};
    static const char *stations[] = {"workstation", "ws",       "pc",       "desktop",
                                     "laptop",      "máy trạm", "may tram", "máy tính"};
    char low[64];
    if (strlen(s) >= sizeof low)
        return bad(why, "\"%s\" is not a role (server or workstation)", s);
    vg_strlcpy(low, s, sizeof low);
    vg_str_lower(low);
    /* Vietnamese capitals at the start of a cell: "Máy chủ", "Máy trạm". */
    if (strncmp(low, "M\xC3\xA1y", 4) == 0)
        low[0] = 'm';
    for (size_t i = 0; i < sizeof servers / sizeof *servers; i++)
        if (strcmp(low, servers[i]) == 0)
            return *out = "server", VG_OK;
    for (size_t i = 0; i < sizeof stations / sizeof *stations; i++)
        if (strcmp(low, stations[i]) == 0)
            return *out = "workstation", VG_OK;
    return bad(why, "\"%s\" is not a role (server or workstation)", s);
}

int vg_inv_parse_level(const char *s, int *out, char *why)
{
    static const char *prefixes[] = {"cấp độ", "Cấp độ", "cấp", "Cấp", "cap do",
                                     "level",  "Level",  "cd",  "CĐ"};
    const char *p = s;
    int64_t v;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(p, prefixes[i], n) == 0) {
            p += n;
            while (*p == ' ')
                p++;
            break;
        }
    }
    if (vg_parse_i64(p, strlen(p), INT64_MIN, INT64_MAX, &v) != VG_OK)
        return bad(why, "\"%s\" is not a security level (a number from 1 to 5)", s);
    if (v < 1 || v > 5)
        return bad(why, "%s is not a security level (1 to 5)", p);
    *out = (int)v;
    return VG_OK;
}

int vg_inv_check_email(const char *s, char *why)
{
    const char *at = strchr(s, '@');
    size_t n = strlen(s);
    if (n > 254 || !at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return bad(why, "\"%s\" is not an e-mail address", s);
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' ||
            *p == '"')
            return bad(why, "\"%s\" is not an e-mail address", s);
    return VG_OK;
}

int vg_inv_check_phone(const char *s, char *why)
{
    size_t n = strlen(s), digits = 0;
    if (n > 32)
        return bad(why, "\"%s\" is not a phone number", s);
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (!strchr(" +-().", *p))
            return bad(why, "\"%s\" is not a phone number (digits, spaces, + - ( ) . only)", s);
    }
    if (digits < 3)
        return bad(why, "\"%s\" is not a phone number", s);
    return VG_OK;
}

int vg_inv_parse_bool(const char *s, bool *out, char *why)
{
    static const char *yes[] = {"yes", "y", "true", "1", "public", "có", "co", "x"};
    static const char *no[] = {"no", "n", "false", "0", "private", "không", "khong"};
    char low[32];
    if (strlen(s) >= sizeof low)
        return bad(why, "\"%s\" is not yes or no", s);
    vg_strlcpy(low, s, sizeof low);
    vg_str_lower(low);
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcmp(low, yes[i]) == 0)
            return *out = true, VG_OK;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcmp(low, no[i]) == 0)
            return *out = false, VG_OK;
    return bad(why, "\"%s\" is not yes or no", s);
}

int vg_inv_split_os(const char *s, char **name, char **release)
{
    char *copy = vg_strdup(s), *t, *cut = NULL;
    *name = NULL;
    *release = NULL;
    if (!copy)
        return VG_ENOMEM;
    t = vg_str_trim(copy);
    vg_str_lower(t);
    if (!*t) {
        free(copy);
        return VG_OK; /* nothing given: no name, no release */
    }
    /* The release starts at the last word beginning with a digit (not the first word). */
    for (char *p = t + 1; *p; p++)
        if (p[-1] == ' ' && *p >= '0' && *p <= '9')
            cut = p;
    if (cut) {
        *release = vg_strdup(cut);
        cut[-1] = '\0';
        vg_str_trim(t);
    }
    *name = vg_strdup(t);
    free(copy);
    if (!*name || (cut && !*release)) {
        free(*name);
        free(*release);
        *name = *release = NULL;
        return VG_ENOMEM;
    }
    return VG_OK;
}
