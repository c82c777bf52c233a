/*
 * cli.h - what every `vigil` command shares: the parsed global options, the
 * open store, and the helpers that print errors, tables, CSV and JSON.
 * Commands live in cmd_<name>.c, one per top-level command (git's builtin/).
 */
#ifndef VG_CLI_CLI_H
#define VG_CLI_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/conf.h"
#include "core/err.h"
#include "core/table.h"
#include "store/store.h"

/* Exit codes (ClamAV/grep convention, see DESIGN.md). */
enum { VG_EXIT_OK = 0, VG_EXIT_FOUND = 1, VG_EXIT_FAIL = 2 };

enum cmd_flags {
    NEED_STORE = 1,  /* open the store (it must exist) before running */
    CREATE_STORE = 2 /* open the store, creating it if needed */
};

struct cli {
    int argc; /* the command's arguments; argv[0] is the command name */
    char **argv;
    const char *prog;    /* "vigil" */
    const char *db;      /* resolved store location */
    const char *db_from; /* where db came from: "--db", "VIGIL_DB", the config file, "default" */
    const char *conf_path;
    bool json, csv, quiet;
    int verbose; /* -v: info, -vv: debug */
    bool tty;    /* stdout is a terminal */
    struct vg_conf conf;
    struct vg_store *store;
    char actor[128];
};

struct cmd {
    const char *name;
    int (*fn)(struct cli *c);
    int flags;
    const char *summary;
    const char *usage; /* the full help text, printed by -h and `vigil help NAME` */
};

/* The command table (main.c). */
extern const struct cmd vg_commands[];
const struct cmd *cli_find_command(const char *name);

/* Print "vigil: error: <msg>" (escaped) and return VG_EXIT_FAIL. */
int cli_fail(struct cli *c, int code, const struct vg_error *err);
int cli_failf(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like cli_fail, adding "; see 'vigil help CMD'". */
int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A subcommand (`vigil unit add`): its name and the function that runs it. */
struct subcmd {
    const char *name;
    int (*fn)(struct cli *c);
};

/*
 * Run the subcommand named by c->argv[1] from subs (NULL-terminated); "ls"
 * stands for "list". A missing or unknown one is a usage error that lists
 * them all.
 */
int cli_dispatch(struct cli *c, const char *cmdname, const struct subcmd *subs);

/* Print the help of a command to f. */
void cli_print_help(const struct cmd *cmd, FILE *f);

/*
 * getopt_long over c->argv starting at index first (1 for a command, 2 for
 * a subcommand). Calls on_opt for each option; -h/--help prints help and
 * returns -1 (exit 0). Returns the index of the first positional argument
 * after permutation, or -2 on a bad option (message printed).
 */
int cli_getopt(struct cli *c, int first, const char *cmdname, const struct option *longopts,
               const char *shortopts, int (*on_opt)(int opt, const char *arg, void *ctx),
               void *ctx);

/* Output: a table as aligned text or CSV (per --csv); a JSON document. */
void cli_table(struct cli *c, struct vg_table *t);
void cli_json(struct cli *c, json_t *j); /* consumes j */

/* Report a removal: {"removed": name[, "unit": unit]} or "removed KIND NAME [of UNIT]". */
void cli_removed(struct cli *c, const char *kind, const char *name, const char *unit);

/* "2026-11-22 08:00" in local time, or "" for 0. buf[32]. */
const char *cli_time(time_t t, char *buf);

/* Resolve a unit's name to its id ("" or NULL: 0). Prints the error. */
int cli_unit_id(struct cli *c, const char *name, int64_t *id);

/* Strict integer option value, naming the option on error. */
int cli_int(struct cli *c, const char *opt, const char *s, long long min, long long max,
            long long *out);

/* Commands. */
int cmd_init(struct cli *c);
int cmd_status(struct cli *c);
int cmd_unit(struct cli *c);
int cmd_system(struct cli *c);
int cmd_host(struct cli *c);
int cmd_contact(struct cli *c);
int cmd_netblock(struct cli *c);
int cmd_duty(struct cli *c);
int cmd_audit(struct cli *c);
int cmd_feed(struct cli *c);
int cmd_botnet(struct cli *c);
int cmd_sweep(struct cli *c);
int cmd_scan(struct cli *c);
int cmd_quarantine(struct cli *c);
int cmd_help(struct cli *c);
int cmd_version(struct cli *c);
int cmd_vercmp(struct cli *c);

/* Who is on duty, next shift and escalation order (cmd_duty.c; also used by status). */
struct vg_overview;
struct vg_duty;
void cli_print_duty_now(struct cli *c, const struct vg_overview *o);
json_t *cli_duty_now_json(const struct vg_overview *o);
json_t *duty_json(const struct vg_duty *d);

/* Shared by the import subcommands of unit, contact, host, netblock and duty. */
int cli_import(struct cli *c, int kind, const char *cmdname);

#endif
