/*
 * fuzz_feed_import.c - libFuzzer target for `vigil feed import` end to end:
 * reading, decoding, detection, every parser, the private/reserved check,
 * the version and append logic, and the write into an in-memory store (as a
 * dry run, so the store does not grow). The input reaches vg_feed_import as
 * a file through memfd, as it would from disk.
 *
 * Byte 0 picks the options (format, append, skip_bad, allow_private); the
 * rest is the feed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "intel/intel.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_feed_import_opts o = {.source = "fuzz", .dry_run = true};
    struct vg_feed_import_result r;
    struct vg_error err;
    char path[64];
    int fd, rc;
    if (size < 1)
        return 0;
    if (!store) {
        static const char seed[] = "45.9.148.3\n10.0.0.0/8\nbad.example\n";
        int sfd = memfd_create("seed", 0);
        if (sfd < 0 || vg_store_open(":memory:", VG_STORE_CREATE, "fuzz", &store, NULL))
            abort();
        if (write(sfd, seed, sizeof seed - 1) != (ssize_t)(sizeof seed - 1))
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", sfd);
        struct vg_feed_import_opts so = {.source = "fuzz"};
        vg_feed_import_result_init(&r);
        if (vg_feed_import(store, path, "seed", &so, &r, NULL))
            abort();
        vg_feed_import_result_release(&r);
        close(sfd);
    }
    o.format = data[0] % 13; /* VG_FEED_AUTO .. VG_FEED_HSB */
    o.append = data[0] & 0x10;
    o.skip_bad = data[0] & 0x20;
    o.allow_private = data[0] & 0x40;
    fd = memfd_create("feed", 0);
    if (fd < 0)
        abort();
    if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    vg_feed_import_result_init(&r);
    vg_error_clear(&err);
    rc = vg_feed_import(store, path, "fuzz.feed", &o, &r, &err);
    if (rc == VG_OK && !r.unchanged) {
        size_t sum = 0;
        for (int t = 0; t < 7; t++)
            sum += r.by_type[t];
        if (sum != r.indicators && !o.append)
            abort(); /* every indicator counted once, by type */
        if (r.ignored > r.indicators)
            abort();
    } else if (rc != VG_OK && !err.msg[0]) {
        abort(); /* every failure explains itself */
    }
    if (vg_store_in_tx(store))
        abort();
    vg_feed_import_result_release(&r);
    close(fd);
    return 0;
}
