/*
 * fuzz_import.c - libFuzzer target for the inventory's CSV importers (hosts,
 * units, contacts, netblocks, duty roster) end to end: decoding, CSV,
 * header mapping, validation, and the write transaction into an in-memory
 * store (rolled back: dry run, so the store does not grow).
 *
 * Input: byte 0 picks the kind, byte 1 the options; the rest is the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/inventory.h"
#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vg_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_import_opts o = {.dry_run = true};
    struct vg_import_result r;
    struct vg_error err;
    int rc;
    if (size < 2)
        return 0;
    if (!store) {
        if (vg_store_open(":memory:", VG_STORE_CREATE, "fuzz", &store, NULL))
            abort();
        /* Something to update and to conflict with. */
        static const char seed[] = "unit,hostname,role,system,level,ip,os\n"
                                   "a,h1,server,S1,3,10.0.0.1,debian 12\n"
                                   "b,h2,workstation,,,10.0.0.1;fe80::1,windows 10\n";
        struct vg_import_opts so = {0};
        vg_import_result_init(&r);
        if (vg_inv_import_mem(store, VG_INV_HOSTS, seed, sizeof seed - 1, "seed", &so, &r, NULL))
            abort();
        vg_import_result_release(&r);
        static const char contacts[] = "name,unit,escalation\nAn,a,1\n";
        vg_import_result_init(&r);
        if (vg_inv_import_mem(store, VG_INV_CONTACTS, contacts, sizeof contacts - 1, "seed", &so,
                              &r, NULL))
            abort();
        vg_import_result_release(&r);
    }
    int kind = data[0] % 5;
    o.skip_bad = data[1] & 1;
    if (data[1] & 2)
        o.delimiter = ";,\t"[(data[1] >> 2) % 3];
    vg_import_result_init(&r);
    vg_error_clear(&err);
    rc = vg_inv_import_mem(store, kind, data + 2, size - 2, "fuzz.csv", &o, &r, &err);
    if (rc == VG_OK) {
        /* Every record is accounted for at most once. */
        if (r.added + r.updated + r.unchanged + r.skipped > r.records)
            abort();
        if (r.skipped && !o.skip_bad)
            abort();
    } else if (!err.msg[0]) {
        abort(); /* every failure explains itself */
    }
    if (vg_store_in_tx(store))
        abort();
    vg_import_result_release(&r);
    return 0;
}
