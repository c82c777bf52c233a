/*
 * file.c - capped whole-file reads, text decoding (iconv), SHA-256 (OpenSSL EVP).
 */
#include "core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "core/banned.h"

int vg_file_read(const char *path, size_t max, struct vg_buf *out, struct vg_error *err)
{
    int fd, rc = VG_OK;
    bool is_stdin = strcmp(path, "-") == 0;
    struct stat st;
    vg_buf_reset(out);
    out->max = max;
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return vg_error_set(err,
                            errno == EACCES   ? VG_EPERM
                            : errno == ENOENT ? VG_ENOTFOUND
                                              : VG_EIO,
                            "cannot open '%s': %s", path, strerror(errno));
    if (fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            rc = vg_error_set(err, VG_EINVAL, "cannot read '%s': is a directory", path);
            goto out;
        }
        if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
            rc =
                vg_error_set(err, VG_ETOOBIG, "cannot read '%s': larger than %zu bytes", path, max);
            goto out;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0 && vg_buf_grow(out, (size_t)st.st_size)) {
            rc = vg_error_set(err, VG_ENOMEM, "cannot read '%s': out of memory", path);
            goto out;
        }
    }
    for (;;) {
        ssize_t r;
        if (vg_buf_grow(out, 65536) && (rc = vg_buf_grow(out, 1))) {
            char probe;
            /* Exactly max bytes is fine: only a byte more is too large. */
            if (rc == VG_ETOOBIG && read(fd, &probe, 1) == 0) {
                rc = VG_OK;
                break;
            }
            rc = vg_error_set(err, rc, "cannot read '%s': %s", path,
                              rc == VG_ETOOBIG ? "file too large" : "out of memory");
            goto out;
        }
        size_t room = out->cap - out->len - 1;
        r = read(fd, out->data + out->len, room);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = vg_error_set(err, VG_EIO, "cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        out->len += (size_t)r;
        out->data[out->len] = '\0';
    }
out:
    if (!is_stdin)
        close(fd);
    return rc;
}

/* Line number (1-based) of byte offset off in s. */
static size_t line_of(const char *s, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += s[i] == '\n';
    return line;
}

static int convert(struct vg_buf *b, size_t skip, const char *from, const char *file,
                   struct vg_error *err)
{
    struct vg_buf o;
    iconv_t cd = iconv_open("UTF-8", from);
    char *in = b->data + skip;
    size_t inleft = b->len - skip;
    int rc = VG_OK;
    if (cd == (iconv_t)-1)
        return vg_error_set(err, VG_EINVAL, "unknown encoding '%s' (try 'iconv -l' for the names)",
                            from);
    vg_buf_init(&o, b->max < VG_BUF_NOLIMIT / 2 ? b->max * 2 : VG_BUF_NOLIMIT);
    /* Input NULL at the end flushes what a stateful decoder (CP1258) holds back. */
    for (bool flush = false;; flush = inleft == 0) {
        size_t want = inleft + inleft / 2 + 64, room = o.max - o.len;
        if (want > room)
            want = room;
        if (!want || (rc = vg_buf_grow(&o, want))) {
            rc = vg_error_set(err, rc ? rc : VG_ETOOBIG,
                              "%s: text too large after conversion from %s", file, from);
            goto out;
        }
        char *op = o.data + o.len;
        size_t oleft = o.cap - o.len - 1, before = inleft, olen = o.len;
        size_t r =
            flush ? iconv(cd, NULL, NULL, &op, &oleft) : iconv(cd, &in, &inleft, &op, &oleft);
        o.len = (size_t)(op - o.data);
        o.data[o.len] = '\0';
        if (r == (size_t)-1 && errno == E2BIG && inleft == before && o.len == olen) {
            /* No room for even one more character: the text is too large. */
            rc = vg_error_set(err, VG_ETOOBIG, "%s: text too large after conversion from %s", file,
                              from);
            goto out;
        }
        if (r == (size_t)-1 && errno != E2BIG) {
            rc = vg_error_at(err, VG_EPARSE, file, line_of(o.data, o.len), NULL,
                             "%s text from %s (byte %zu); give the right --encoding",
                             errno == EILSEQ ? "invalid" : "truncated", from,
                             (size_t)(in - b->data));
            goto out;
        }
        if (flush && r != (size_t)-1)
            break;
    }
    /* Some converters keep a BOM. */
    if (o.len >= 3 && memcmp(o.data, "\xEF\xBB\xBF", 3) == 0) {
        memmove(o.data, o.data + 3, o.len - 3);
        o.len -= 3;
        o.data[o.len] = '\0';
    }
    vg_buf_release(b);
    *b = o;
    vg_buf_init(&o, 0);
out:
    vg_buf_release(&o);
    iconv_close(cd);
    return rc;
}

int vg_text_decode(struct vg_buf *b, const char *encoding, const char *file, const char **detected,
                   struct vg_error *err)
{
    const unsigned char *p = (const unsigned char *)b->data;
    const char *dummy;
    if (!detected)
        detected = &dummy;
    if (encoding && *encoding) {
        if (vg_str_ieq(encoding, "utf-8") || vg_str_ieq(encoding, "utf8")) {
            *detected = "utf-8";
            if (b->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
                memmove(b->data, b->data + 3, b->len - 3);
                b->len -= 3;
                b->data[b->len] = '\0';
            }
            return VG_OK;
        }
        *detected = encoding;
        return convert(b, 0, encoding, file, err);
    }
    if (b->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        *detected = "utf-8";
        memmove(b->data, b->data + 3, b->len - 3);
        b->len -= 3;
        b->data[b->len] = '\0';
        return VG_OK;
    }
    if (b->len >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        *detected = "utf-16le";
        return convert(b, 2, "UTF-16LE", file, err);
    }
    if (b->len >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
        *detected = "utf-16be";
        return convert(b, 2, "UTF-16BE", file, err);
    }
    /* No BOM: UTF-16 shows as NUL in every other byte of ASCII text. */
    if (b->len >= 4 && b->len % 2 == 0) {
        size_t even = 0, odd = 0, n = b->len < 4096 ? b->len : 4096;
        for (size_t i = 0; i < n; i++)
            if (!p[i]) {
                if (i % 2)
                    odd++;
                else
                    even++;
            }
        if (odd > n / 4 && even == 0) {
            *detected = "utf-16le";
            return convert(b, 0, "UTF-16LE", file, err);
        }
        if (even > n / 4 && odd == 0) {
            *detected = "utf-16be";
            return convert(b, 0, "UTF-16BE", file, err);
        }
    }
    *detected = "utf-8";
    return VG_OK;
}

void vg_hex_encode(const void *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

void vg_sha256_hex(const void *p, size_t n, char *hex)
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        hex[0] = '\0';
        return;
    }
    vg_hex_encode(md, 32, hex);
}
