/*
 * util.c - helpers shared by the commands: errors, option parsing, output.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/parse.h"
#include "core/str.h"
#include "core/banned.h"

static void put_err(const char *msg)
{
    char safe[2048];
    vg_str_escape_ctl(safe, sizeof safe, msg, strlen(msg));
    fprintf(stderr, "vigil: error: %s\n", safe);
}

int cli_fail(struct cli *c, int code, const struct vg_error *err)
{
    (void)c;
    put_err(vg_error_msg(err, code));
    return VG_EXIT_FAIL;
}

int cli_failf(struct cli *c, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    (void)c;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    put_err(msg);
    return VG_EXIT_FAIL;
}

int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cli_failf(c, "%s; see 'vigil help %s'", msg, cmd);
}

int cli_dispatch(struct cli *c, const char *cmdname, const struct subcmd *subs)
{
    const char *sub = c->argc > 1 ? c->argv[1] : NULL;
    char names[256] = "";
    size_t off = 0, n = 0;
    if (sub && strcmp(sub, "ls") == 0)
        sub = "list";
    for (const struct subcmd *s = subs; s->name; s++, n++)
        if (sub && strcmp(sub, s->name) == 0)
            return s->fn(c);
    for (size_t i = 0; i < n && off < sizeof names; i++) {
        int w = snprintf(names + off, sizeof names - off, "%s%s",
                         i == 0       ? ""
                         : i + 1 == n ? " or "
                                      : ", ",
                         subs[i].name);
        if (w > 0)
            off += (size_t)w;
    }
    if (!sub)
        return cli_usage_error(c, cmdname, "say what to do: %s", names);
    return cli_usage_error(c, cmdname, "'%s' is not a %s subcommand", sub, cmdname);
}

int cli_getopt(struct cli *c, int first, const char *cmdname, const struct option *longopts,
               const char *shortopts, int (*on_opt)(int opt, const char *arg, void *ctx), void *ctx)
{
    int argc = c->argc - (first - 1);
    char **argv = c->argv + (first - 1);
    char spec[64];
    int opt;
    /* Leading ':' to report missing values ourselves; '+' is not used, so options may follow
     * positional arguments (GNU permutation). */
    snprintf(spec, sizeof spec, ":%s", shortopts ? shortopts : "");
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, spec, longopts, NULL)) != -1) {
        if (opt == '?') {
            if (optopt)
                return cli_usage_error(c, cmdname, "unknown option '-%c'", optopt), -2;
            return cli_usage_error(c, cmdname, "unknown option '%s'", argv[optind - 1]), -2;
        }
        if (opt == ':')
            return cli_usage_error(c, cmdname, "option '%s' needs a value", argv[optind - 1]), -2;
        if (on_opt(opt, optarg, ctx) != 0)
            return -2;
    }
    return optind + (first - 1);
}

void cli_table(struct cli *c, struct vg_table *t)
{
    if (c->csv)
        vg_table_print_csv(t, stdout);
    else
        vg_table_print(t, stdout);
}

void cli_json(struct cli *c, json_t *j)
{
    (void)c;
    if (j)
        vg_json_print(stdout, j);
    json_decref(j);
}

void cli_removed(struct cli *c, const char *kind, const char *name, const char *unit)
{
    if (c->json) {
        json_t *j = json_object();
        vg_json_set(j, "removed", vg_json_str(name));
        if (unit)
            vg_json_set(j, "unit", vg_json_str(unit));
        cli_json(c, j);
    } else if (!c->quiet) {
        printf("removed %s %s%s%s\n", kind, name, unit ? " of " : "", unit ? unit : "");
    }
}

const char *cli_time(time_t t, char *buf)
{
    if (!t) {
        buf[0] = '\0';
        return buf;
    }
    return vg_time_local(t, buf);
}

int cli_unit_id(struct cli *c, const char *name, int64_t *id)
{
    struct vg_unit u;
    struct vg_arena a;
    struct vg_error err;
    int rc;
    *id = 0;
    if (!name || !*name)
        return VG_OK;
    vg_arena_init(&a);
    vg_error_clear(&err);
    rc = vg_store_unit_get(c->store, name, &u, &a, &err);
    if (rc == VG_OK)
        *id = u.id;
    vg_arena_release(&a);
    if (rc)
        cli_fail(c, rc, &err);
    return rc;
}

int cli_int(struct cli *c, const char *opt, const char *s, long long min, long long max,
            long long *out)
{
    int64_t v;
    if (vg_parse_i64(s, strlen(s), min, max, &v) != VG_OK) {
        cli_failf(c, "%s: '%s' is not a number from %lld to %lld", opt, s, min, max);
        return -1;
    }
    *out = v;
    return 0;
}
