/*
 * cmd_import.c - the `import` subcommand shared by unit, contact, netblock,
 * host and duty: options, the call into the inventory, the report.
 */
#include "cli.h"

#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "core/log.h"
#include "inventory/inventory.h"
#include "core/banned.h"

struct import_args {
    struct cli *c;
    const char *cmd;
    struct vg_import_opts o;
};

static int on_opt(int opt, const char *arg, void *ctx)
{
    struct import_args *a = ctx;
    switch (opt) {
    case 's':
        a->o.skip_bad = true;
        return 0;
    case 'n':
        a->o.dry_run = true;
        return 0;
    case 'e':
        a->o.encoding = arg;
        return 0;
    case 'd':
        if (strcmp(arg, ",") == 0 || strcmp(arg, ";") == 0)
            a->o.delimiter = arg[0];
        else if (strcmp(arg, "tab") == 0 || strcmp(arg, "\t") == 0 || strcmp(arg, "\\t") == 0)
            a->o.delimiter = '\t';
        else
            return cli_usage_error(a->c, a->cmd, "--delimiter must be ',', ';' or 'tab'");
        return 0;
    }
    return -1;
}

/* Progress on stderr, only when it is a terminal; the line is cleared at the end. */
static void progress(void *ctx, const char *phase, size_t done, size_t total)
{
    (void)ctx;
    if (total)
        fprintf(stderr, "\r%s... %3zu%%", phase, done * 100 / total);
    else
        fprintf(stderr, "\r%s...", phase);
    fflush(stderr);
}

static const char *delim_name(char d)
{
    return d == '\t' ? "tab" : d == ';' ? ";" : ",";
}

int cli_import(struct cli *c, int kind, const char *cmdname)
{
    static const struct option longopts[] = {
        {"skip-bad", no_argument, NULL, 's'},
        {"dry-run", no_argument, NULL, 'n'},
        {"encoding", required_argument, NULL, 'e'},
        {"delimiter", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    struct import_args a = {.c = c, .cmd = cmdname};
    struct vg_import_result r;
    struct vg_error err;
    int first, rc;
    first = cli_getopt(c, 2, cmdname, longopts, "", on_opt, &a);
    if (first < 0)
        return first == -1 ? VG_EXIT_OK : VG_EXIT_FAIL;
    if (first >= c->argc)
        return cli_usage_error(c, cmdname, "import needs a file (or - for standard input)");
    if (first + 1 < c->argc)
        return cli_usage_error(c, cmdname, "import takes one file, got %d", c->argc - first);
    const char *path = c->argv[first];
    bool show = !c->quiet && isatty(STDERR_FILENO);
    if (show)
        a.o.progress = progress;
    vg_import_result_init(&r);
    vg_error_clear(&err);
    rc = vg_inv_import(c->store, kind, path, strcmp(path, "-") == 0 ? "<stdin>" : path, &a.o, &r,
                       &err);
    if (show)
        fputs("\r\033[K", stderr);
    if (rc) {
        vg_import_result_release(&r);
        cli_fail(c, rc, &err);
        fputs("vigil: nothing was imported; the store is unchanged\n", stderr);
        return VG_EXIT_FAIL;
    }
    for (size_t i = 0; i < r.nignored; i++)
        vg_warn("%s: column \"%s\" is not one vigil knows; ignored (see 'vigil help %s')", path,
                r.ignored[i], cmdname);
    if (c->json) {
        json_t *j = json_object(), *iss = json_array(), *ign = json_array();
        vg_json_set(j, "file", vg_json_str(path));
        vg_json_set(j, "kind", json_string(r.kind));
        vg_json_set(j, "sha256", json_string(r.sha256));
        vg_json_set(j, "encoding", vg_json_str(r.encoding));
        vg_json_set(j, "delimiter", json_string(delim_name(r.delimiter)));
        vg_json_set(j, "dry_run", json_boolean(a.o.dry_run));
        vg_json_set(j, "records", vg_json_int((int64_t)r.records));
        vg_json_set(j, "added", vg_json_int((int64_t)r.added));
        vg_json_set(j, "updated", vg_json_int((int64_t)r.updated));
        vg_json_set(j, "unchanged", vg_json_int((int64_t)r.unchanged));
        vg_json_set(j, "skipped", vg_json_int((int64_t)r.skipped));
        vg_json_set(j, "units_created", vg_json_int((int64_t)r.units_created));
        vg_json_set(j, "systems_created", vg_json_int((int64_t)r.systems_created));
        vg_json_set(j, "systems_updated", vg_json_int((int64_t)r.systems_updated));
        for (size_t i = 0; i < r.nignored; i++)
            json_array_append_new(ign, vg_json_str(r.ignored[i]));
        vg_json_set(j, "ignored_columns", ign);
        for (size_t i = 0; i < r.nissues; i++) {
            json_t *o = json_object();
            vg_json_set(o, "line", vg_json_int((int64_t)r.issues[i].line));
            vg_json_set(o, "column", vg_json_str(r.issues[i].column));
            vg_json_set(o, "reason", vg_json_str(r.issues[i].reason));
            json_array_append_new(iss, o);
        }
        vg_json_set(j, "issues", iss);
        cli_json(c, j);
    } else {
        for (size_t i = 0; i < r.nissues; i++) {
            const struct vg_import_issue *is = &r.issues[i];
            char col[256] = "";
            if (is->column)
                snprintf(col, sizeof col, "column \"%s\": ", is->column);
            if (is->line)
                vg_warn("%s:%zu: %s%s%s", path, is->line, col, is->reason,
                        a.o.skip_bad ? " (skipped)" : "");
            else
                vg_warn("%s: %s%s", path, col, is->reason);
        }
        if (!c->quiet) {
            printf("%s%s: %zu %s record%s (%s, '%s'): %zu added, %zu updated, %zu unchanged, "
                   "%zu skipped",
                   a.o.dry_run ? "dry run, nothing written: " : "", path, r.records, r.noun,
                   r.records == 1 ? "" : "s", r.encoding ? r.encoding : "utf-8",
                   delim_name(r.delimiter), r.added, r.updated, r.unchanged, r.skipped);
            if (r.units_created || r.systems_created)
                printf("; created %zu unit%s and %zu system%s", r.units_created,
                       r.units_created == 1 ? "" : "s", r.systems_created,
                       r.systems_created == 1 ? "" : "s");
            if (r.systems_updated)
                printf("; changed the level of %zu system%s", r.systems_updated,
                       r.systems_updated == 1 ? "" : "s");
            putchar('\n');
        }
    }
    vg_import_result_release(&r);
    return VG_EXIT_OK;
}
