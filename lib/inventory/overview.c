/*
 * overview.c - the site overview: counts, who is on duty now, who comes
 * next, and whom to call in escalation order.
 */
#include "inventory/inventory.h"

#include <string.h>

#include "core/banned.h"

int vg_inv_overview(struct vg_store *s, time_t now, struct vg_overview *o, struct vg_error *err)
{
    struct vg_contact_filter ef = {.escalation_only = true};
    struct vg_rows upcoming;
    int rc;
    memset(&o->counts, 0, sizeof o->counts);
    vg_rows_init(&o->on_duty);
    vg_rows_init(&o->next_duty);
    vg_rows_init(&o->escalation);
    vg_rows_init(&upcoming);
    o->at = now;
    VG_TRY(vg_store_counts(s, &o->counts, err));
    VG_TRY(vg_store_duty_list(s, now, now + 1, &o->on_duty, err));
    VG_TRY(vg_store_contact_list(s, &ef, &o->escalation, err));
    /* The next shift(s): those that start first after now, 8 days ahead at most. */
    VG_TRY(vg_store_duty_list(s, now, now + 8 * 86400, &upcoming, err));
    time_t first = 0;
    for (size_t i = 0; i < upcoming.n; i++) {
        struct vg_duty *d = VG_ROW(&upcoming, struct vg_duty, i);
        if (d->starts_at <= now)
            continue;
        if (!first)
            first = d->starts_at;
        if (d->starts_at != first)
            break;
        struct vg_duty *n = vg_rows_push(&o->next_duty, sizeof *n);
        if (!n) {
            rc = vg_error_set(err, VG_ENOMEM, "out of memory");
            goto out;
        }
        *n = *d;
        n->contact = vg_arena_strdup(&o->next_duty.arena, d->contact);
        n->phone = vg_arena_strdup(&o->next_duty.arena, d->phone);
        n->role = vg_arena_strdup(&o->next_duty.arena, d->role);
        n->unit = vg_arena_strdup(&o->next_duty.arena, d->unit);
        n->note = vg_arena_strdup(&o->next_duty.arena, d->note);
    }
out:
    vg_rows_release(&upcoming);
    if (rc)
        vg_overview_release(o);
    return rc;
}

void vg_overview_release(struct vg_overview *o)
{
    vg_rows_release(&o->on_duty);
    vg_rows_release(&o->next_duty);
    vg_rows_release(&o->escalation);
}
