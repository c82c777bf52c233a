/*
 * cmd_init.c - `vigil init`: create the store or bring its schema up to date.
 */
#include "cli.h"

#include "core/json.h"
#include "core/banned.h"

int cmd_init(struct cli *c)
{
    bool created = vg_store_was_created(c->store);
    int schema = vg_store_schema_version(c->store);
    if (c->argc > 1)
        return cli_usage_error(c, "init", "init takes no arguments");
    if (c->json) {
        json_t *j = json_object();
        vg_json_set(j, "path", vg_json_str(vg_store_path(c->store)));
        vg_json_set(j, "schema", vg_json_int(schema));
        vg_json_set(j, "created", json_boolean(created));
        cli_json(c, j);
    } else if (!c->quiet) {
        printf("%s store at %s (schema %d)\n",
               created ? "created" : "ready:", vg_store_path(c->store), schema);
    }
    return VG_EXIT_OK;
}
