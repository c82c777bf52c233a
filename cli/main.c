/*
 * main.c - `vigil`: global options, configuration, the store's location,
 * and the command table. Each command is cmd_<name>() in cmd_<name>.c.
 */
#include "cli.h"

#include <errno.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/str.h"
#include "core/banned.h"

#define DEFAULT_CONF "/etc/vigil/vigil.conf"
#define ROOT_DB "/var/lib/vigil/vigil.db"

/* clang-format off */
const struct cmd vg_commands[] = {
    {"init", cmd_init, CREATE_STORE, "create the store (or upgrade its schema)",
     "usage: vigil init\n"
     "\n"
     "Create the store at its location (see 'vigil help' for how it is found)\n"
     "and apply the schema. Running it again on an existing store is safe: it\n"
     "only applies migrations that are missing.\n"},
    {"status", cmd_status, NEED_STORE, "site overview: units, systems by level, hosts, who is on duty",
     "usage: vigil status\n"
     "\n"
     "The site overview: units, information systems by security level,\n"
     "hosts by role and level, addresses, contacts, who is on duty now, the\n"
     "next shift and the escalation order.\n"},
    {"unit", cmd_unit, NEED_STORE, "units (agencies): add, list, show, rm, import",
     "usage: vigil unit add NAME [--full-name TEXT] [--parent UNIT] [--note TEXT]\n"
     "       vigil unit list\n"
     "       vigil unit show NAME\n"
     "       vigil unit rm NAME\n"
     "       vigil unit import FILE.csv [import options]\n"
     "\n"
     "A unit is an agency served by the data centre (e.g. so-tttt), with an\n"
     "optional parent unit. 'rm' refuses while the unit still has hosts,\n"
     "systems, netblocks, contacts or child units.\n"
     "CSV columns: name (required), full_name, parent, note.\n"},
    {"system", cmd_system, NEED_STORE, "information systems and their security level (1-5)",
     "usage: vigil system add NAME --unit UNIT --level 1-5 [--description TEXT]\n"
     "       vigil system list [--unit UNIT] [--level N]\n"
     "       vigil system show NAME --unit UNIT\n"
     "       vigil system rm NAME --unit UNIT\n"
     "\n"
     "An information system (hệ thống thông tin) of a unit, with its security\n"
     "level (cấp độ 1-5). Lists sort by level from 5 down; 'list --level N'\n"
     "shows systems of level N or higher. 'vigil host import'\n"
     "creates systems from its system and level columns.\n"},
    {"host", cmd_host, NEED_STORE, "servers and workstations: add, list, show, rm, import",
     "usage: vigil host add HOSTNAME --unit UNIT --role server|workstation\n"
     "                  [--os 'debian 12'] [--ip ADDR]... [--system NAME]...\n"
     "                  [--owner CONTACT] [--note TEXT]\n"
     "       vigil host list [--unit UNIT] [--system NAME] [--role ROLE] [--ip ADDR] [--level N]\n"
     "       vigil host show HOSTNAME [--unit UNIT]\n"
     "       vigil host rm HOSTNAME [--unit UNIT]\n"
     "       vigil host import FILE.csv [import options]\n"
     "\n"
     "Hosts are keyed by unit and host name; an address is unique within its\n"
     "unit (private ranges repeat across units). --ip and --system may repeat.\n"
     "'list --level N' shows hosts serving a system of level N or higher.\n"
     "\n"
     "CSV columns (header row, any order, case-insensitive; Vietnamese names\n"
     "such as 'Đơn vị', 'Tên máy', 'Cấp độ' are recognised too):\n"
     "  unit, hostname, role     required\n"
     "  system                   one or more, separated by ';'\n"
     "  level                    1-5: one for all the row's systems, or one per system\n"
     "  os                       e.g. 'debian 12', 'Windows Server 2019'\n"
     "  os_release               overrides the release taken from os\n"
     "  ip                       one or more, separated by ';' (IPv4 or IPv6)\n"
     "  owner                    a contact's name\n"
     "  note\n"
     "Missing units and systems are created. Re-importing updates hosts by\n"
     "(unit, hostname); hosts not in the file are left as they are.\n"
     "\n"
     "import options:\n"
     "  --skip-bad          import the good records and list every bad one\n"
     "  --dry-run           check and count, change nothing\n"
     "  --encoding ENC      the file's encoding if not UTF-8/UTF-16 (e.g. windows-1258)\n"
     "  --delimiter C       ',', ';' or 'tab' (default: detected)\n"},
    {"contact", cmd_contact, NEED_STORE, "people and hotlines, with escalation order",
     "usage: vigil contact add NAME [--unit UNIT] [--role TEXT] [--phone P] [--email E]\n"
     "                     [--escalation N] [--note TEXT]\n"
     "       vigil contact list [--unit UNIT] [--escalation]\n"
     "       vigil contact show NAME\n"
     "       vigil contact rm NAME\n"
     "       vigil contact import FILE.csv [import options]\n"
     "\n"
     "Contacts are people and hotlines (such as the national CERT) to call.\n"
     "--escalation N puts the contact in the escalation order (1 is called\n"
     "first); 'list --escalation' shows only that order.\n"
     "CSV columns: name (required), unit, role, phone, email, escalation, note.\n"},
    {"netblock", cmd_netblock, NEED_STORE, "a unit's address ranges and public NAT addresses",
     "usage: vigil netblock add PREFIX --unit UNIT [--public|--private] [--note TEXT]\n"
     "       vigil netblock list [--unit UNIT]\n"
     "       vigil netblock show ADDRESS\n"
     "       vigil netblock rm PREFIX --unit UNIT\n"
     "       vigil netblock import FILE.csv [import options]\n"
     "\n"
     "A netblock is a unit's range (10.20.0.0/16) or a public address its\n"
     "offices sit behind (113.160.1.10). Public or private is taken from the\n"
     "address unless --public or --private says otherwise. 'show ADDRESS'\n"
     "lists the netblocks that contain an address.\n"
     "CSV columns: unit, prefix (required), public (yes/no), note.\n"},
    {"duty", cmd_duty, NEED_STORE, "duty roster: who is on duty, whom to call next",
     "usage: vigil duty add CONTACT --from TIME --to TIME [--note TEXT]\n"
     "       vigil duty list [--all] [--days N]\n"
     "       vigil duty now\n"
     "       vigil duty rm ID\n"
     "       vigil duty import FILE.csv [import options]\n"
     "\n"
     "TIME is 'YYYY-MM-DD HH:MM' in local time (TZ), or RFC 3339 with a zone.\n"
     "'now' shows who is on duty, the next shift, and the escalation order.\n"
     "'list' shows current and coming shifts (7 days; --days N, --all for past ones too).\n"
     "CSV columns: contact, from, to (required), note.\n"},
    {"feed", cmd_feed, NEED_STORE, "threat-intel feeds: import, list, show, diff, rm",
     "usage: vigil feed import FILE --source NAME [--issued DATE] [--format F] [--append]\n"
     "                         [--allow-private] [--skip-bad] [--dry-run] [column options]\n"
     "       vigil feed list\n"
     "       vigil feed show SOURCE\n"
     "       vigil feed diff SOURCE\n"
     "       vigil feed rm SOURCE\n"
     "\n"
     "Each import is a new version of its source, and a source's newest version is\n"
     "its current list; --append adds an ad-hoc list to the current version.\n"
     "Importing a file the source already has changes nothing. The source named\n"
     "'allow' is an allow-list. Entries in private, loopback or reserved space are\n"
     "kept but not matched unless --allow-private. vigil prints what it understood\n"
     "(format, columns, counts) before it commits.\n"
     "\n"
     "Formats (recognised from the content; --format to say): plain (addresses,\n"
     "CIDR, ranges a - b, domains, URLs, hashes; # and ; comments; ip<TAB>count),\n"
     "csv, firehol, feodo-csv, feodo-json, iprep, zeek, stix, misp, hashes, hdb, hsb.\n"
     "\n"
     "CSV column options (remembered per source): --ip-col, --domain-col, --url-col,\n"
     "--hash-col, --time-col, --family-col, --port-col, --comment-col NAME.\n"
     "'diff' lists what is new and what was removed since the previous version.\n"},
    {"botnet", cmd_botnet, NEED_STORE, "hosts and units on the current IP feeds (exit 1 if any)",
     "usage: vigil botnet [--dry-run]\n"
     "\n"
     "Every host address and every unit netblock (the public addresses units sit\n"
     "behind) that a current IP feed lists, exactly or inside a listed prefix,\n"
     "becomes a finding (kind botnet); allow-list entries win. A listed address of\n"
     "a unit that no host holds is a finding on the unit, with the hosts to sweep.\n"
     "Listed in the order to sweep: security level from 5 down, then the most\n"
     "recent listing. Re-running updates last-seen; findings that left the list\n"
     "keep their history. --dry-run records nothing.\n"
     "Exit codes: 0 nothing listed, 1 something listed, 2 failure.\n"},
    {"sweep", cmd_sweep, NEED_STORE, "find the feeds' addresses, domains, URLs in logs (exit 1 on hits)",
     "usage: vigil sweep [-j N] [--record] [--part-size MB] [--no-screen] PATH...\n"
     "\n"
     "Every IPv4/IPv6 address, domain and URL of each line of any text log is\n"
     "looked up in the current feeds (allow-list entries win). PATH is a file,\n"
     "a .gz file, a folder (read recursively; links are not followed) or - for\n"
     "standard input. Each hit names the file, the line, the indicator, its feed\n"
     "and family, and the inventory host that the line's other address belongs\n"
     "to (the internal machine that talked to it); a summary per indicator and\n"
     "per internal host follows. --json prints JSON Lines: one object per hit,\n"
     "then one with \"type\": \"summary\". --record stores the hits as findings\n"
     "(kind ioc). -j N: threads (default: one per core); they share the files,\n"
     "and a plain file of at least twice --part-size MB (default 32) is cut at\n"
     "line ends into parts swept side by side. A quick screen (address /24 and\n"
     "name bits, then exact lookups) picks the lines that need the full look;\n"
     "--no-screen gives every line the full look (slower, same hits: for\n"
     "checking).\n"
     "Inputs that cannot be read are reported and skipped.\n"
     "Exit codes: 0 no hit, 1 hits, 2 failure.\n"},
    {"quarantine", cmd_quarantine, NEED_STORE, "the quarantine vault: add, list, show, restore, purge, verify",
     "usage: vigil quarantine add PATH... [--detection TEXT] [--force] [--vault-max SIZE]\n"
     "       vigil quarantine list\n"
     "       vigil quarantine show ID\n"
     "       vigil quarantine restore ID [--to PATH]\n"
     "       vigil quarantine purge ID --force\n"
     "       vigil quarantine verify ID... | --all\n"
     "\n"
     "'add' moves each file into the vault, the folder 'vault' next to the store:\n"
     "its content is kept neutered (not executable, not matched by other scanners),\n"
     "and its path, owner, mode, times, size and SHA-256 go into the store (and the\n"
     "audit); then the original is removed. A crash at any point leaves the original\n"
     "or a complete entry. Symbolic links are refused. A file of an installed package\n"
     "(dpkg) is refused unless --force. --vault-max SIZE (e.g. 500M, 10G) refuses a\n"
     "file that would take the vault past SIZE (an entry counts until it is purged).\n"
     "'restore' writes the exact bytes, mode, owner (as root) and times back to the\n"
     "original path or to --to PATH, after checking the SHA-256; it never overwrites\n"
     "a file and never writes through a symbolic link. The vault keeps the content\n"
     "until 'purge', which deletes it; the record and the audit stay.\n"
     "'verify' checks that entries read back to their SHA-256 (--all: every entry\n"
     "not purged). --json: add, list, show, restore and verify print JSON.\n"
     "Exit codes: 0 success, 2 failure (a corrupted entry, a refused file).\n"},
    {"scan", cmd_scan, NEED_STORE, "scan files for malware: hashes, YARA rules, archives (exit 1 if found)",
     "usage: vigil scan [-j N] [--rules FILE|DIR]... [--hashes FILE.hdb|.hsb]... PATH...\n"
     "                  [--exclude GLOB]... [--max-filesize SIZE] [--one-file-system]\n"
     "                  [--no-archives] [--no-cache] [--strict] [--host [UNIT/]NAME]\n"
     "                  [--output FILE] [--quarantine [--force] [--vault-max SIZE]]\n"
     "       vigil scan import FILE\n"
     "       vigil scan coverage\n"
     "       vigil scan --plan\n"
     "\n"
     "Each file under PATH is read once: its SHA-256 (and MD5 or SHA-1 only when a\n"
     "hash list has an entry of that kind for a file of that size) is looked up in\n"
     "the hash feeds ('vigil feed import') and in ClamAV .hdb/.hsb files given with\n"
     "--hashes, and the YARA rules of --rules run over its bytes. Archives (zip, tar,\n"
     "gzip, bzip2, xz, 7z, ...) are opened, nested, within limits: a zip bomb is\n"
     "reported, not unpacked; a detection inside names the member (a.zip!dir/x.exe).\n"
     "Symbolic links are never followed; the store's folder (vault, caches) is never\n"
     "scanned. A rule file that does not compile is reported with file:line and the\n"
     "rest load (--strict: fatal). Compiled rules are cached by content hash, and a\n"
     "file found clean is not read again while it, the rules and the hashes stay the\n"
     "same (--no-cache reads everything). --max-filesize (default 1G) skips larger\n"
     "files. -j N: threads (default: one per core).\n"
     "The scan is recorded in the store with its detections as findings (kind\n"
     "malware), under --host, else the inventory host named like this machine (else\n"
     "this machine's name, as an unassigned host). --output FILE also writes the\n"
     "result as JSON Lines (header, detections, summary) for 'vigil scan import' on\n"
     "the central server. --quarantine moves each file with a detection (the whole\n"
     "archive for a member) into the vault; files of installed packages need --force.\n"
     "--json: one object per detection, {\"type\": \"error\"|\"skipped\"} for files not\n"
     "scanned, then {\"type\": \"summary\"}. Otherwise a table of the detections\n"
     "(--csv for a spreadsheet) and a summary; a progress line (files, MB, MB/s,\n"
     "detections, current path) goes to a terminal.\n"
     "coverage: every host, when it was last scanned and what was found.\n"
     "--plan: the order to sweep hosts in: hosts on the botnet list first, then by\n"
     "security level from 5 down, then servers before workstations.\n"
     "Exit codes: 0 nothing found, 1 detections (even if some files could not be\n"
     "read: they are listed), 2 failure.\n"},
    {"audit", cmd_audit, NEED_STORE, "who changed what, and when",
     "usage: vigil audit [--since TIME] [--action PREFIX] [--limit N]\n"
     "\n"
     "Every state change is recorded with who (the OS user, or the account)\n"
     "and when. Newest first; --limit defaults to 50 (0: all).\n"},
    {"vercmp", cmd_vercmp, 0, "compare two versions as an ecosystem does (dpkg, rpm, apk, PyPI...)",
     "usage: vigil vercmp ECOSYSTEM A B\n"
     "       vigil vercmp ECOSYSTEM A OP B\n"
     "       vigil vercmp --batch ECOSYSTEM < PAIRS\n"
     "\n"
     "Compare versions A and B by the rules of ECOSYSTEM: an OSV ecosystem\n"
     "(Debian, Ubuntu, Alpine, Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE,\n"
     "npm, PyPI, Maven, Go, crates.io, NuGet, RubyGems, Packagist, Hex, Pub; a\n"
     "release after ':' such as Debian:12 is allowed) or a scheme (dpkg, rpm, apk,\n"
     "semver, pep440, maven, generic). Prints <, = or > (--json: {\"ecosystem\",\n"
     "\"a\", \"b\", \"result\"}). With OP (lt le eq ne ge gt, or << <= = != >= >>),\n"
     "prints nothing and exits 0 when 'A OP B' holds, 1 when it does not, like\n"
     "'dpkg --compare-versions'. --batch reads pairs 'A B' from standard input,\n"
     "one per line, and prints one result per line (--json: JSON Lines); a bad\n"
     "line prints ? and its error goes to stderr.\n"
     "An invalid version or an unknown ecosystem is an error that names the\n"
     "argument and the reason.\n"
     "Exit codes: 0 compared (or OP holds), 1 OP does not hold, 2 failure.\n"},
    {"help", cmd_help, 0, "help on a command", "usage: vigil help [COMMAND]\n"},
    {"version", cmd_version, 0, "print the version", "usage: vigil version\n"},
    {NULL, NULL, 0, NULL, NULL},
};
/* clang-format on */

const struct cmd *cli_find_command(const char *name)
{
    for (const struct cmd *c = vg_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void main_usage(FILE *f)
{
    fputs("usage: vigil [--db PATH] [--config FILE] [--json | --csv] [-q] [-v] COMMAND [ARGS]\n"
          "\n"
          "vigil keeps the site's inventory and the duty team's work in one store.\n"
          "\n"
          "commands:\n",
          f);
    for (const struct cmd *c = vg_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs(
        "\n"
        "global options (before or after the command):\n"
        "  --db PATH        the store (default: VIGIL_DB, else 'db' in the config file,\n"
        "                   else /var/lib/vigil/vigil.db as root, else\n"
        "                   $XDG_DATA_HOME/vigil/vigil.db)\n"
        "  --config FILE    configuration file (default: VIGIL_CONF, else /etc/vigil/vigil.conf)\n"
        "  --timezone TZ    time zone for times shown and typed (e.g. Asia/Ho_Chi_Minh)\n"
        "  --json           JSON output (documents; see docs/json.md)\n"
        "  --csv            CSV output for lists\n"
        "  -q, --quiet      errors only\n"
        "  -v, --verbose    more detail on stderr (-vv: debugging detail)\n"
        "\n"
        "exit codes: 0 success (or nothing found), 1 something found, 2 failure\n"
        "'vigil help COMMAND' or 'vigil COMMAND -h' shows a command's usage.\n",
        f);
}

void cli_print_help(const struct cmd *cmd, FILE *f)
{
    fputs(cmd->usage, f);
}

int cmd_help(struct cli *c)
{
    if (c->argc > 1) {
        const struct cmd *cmd = cli_find_command(c->argv[1]);
        if (!cmd)
            return cli_failf(c, "no command '%s'; 'vigil help' lists them", c->argv[1]);
        cli_print_help(cmd, stdout);
        return VG_EXIT_OK;
    }
    main_usage(stdout);
    return VG_EXIT_OK;
}

int cmd_version(struct cli *c)
{
    if (c->json) {
        json_t *j = json_object();
        json_object_set_new(j, "version", json_string(VG_VERSION));
        json_object_set_new(j, "schema", json_integer(vg_store_latest_schema()));
        cli_json(c, j);
        return VG_EXIT_OK;
    }
    printf("vigil %s (store schema %d)\n", VG_VERSION, vg_store_latest_schema());
    return VG_EXIT_OK;
}

/* Take a global option out of argv; returns how many args it used (0: not global). */
static int global_opt(struct cli *c, int argc, char **argv, int i, bool *bad)
{
    const char *a = argv[i];
    static const char *valued[] = {"--db", "--config", "--timezone"};
    for (size_t k = 0; k < sizeof valued / sizeof *valued; k++) {
        size_t n = strlen(valued[k]);
        const char *val = NULL;
        int used = 0;
        if (strcmp(a, valued[k]) == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "vigil: error: %s needs a value\n", valued[k]);
                *bad = true;
                return 1;
            }
            val = argv[i + 1];
            used = 2;
        } else if (strncmp(a, valued[k], n) == 0 && a[n] == '=') {
            val = a + n + 1;
            used = 1;
        } else {
            continue;
        }
        if (k == 0) {
            c->db = val;
            c->db_from = "--db";
        } else if (k == 1) {
            c->conf_path = val;
        } else {
            setenv("TZ", val, 1);
            tzset();
        }
        return used;
    }
    if (strcmp(a, "--json") == 0)
        return c->json = true, 1;
    if (strcmp(a, "--csv") == 0)
        return c->csv = true, 1;
    if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
        return c->quiet = true, 1;
    if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
        return c->verbose++, 1;
    if (strcmp(a, "-vv") == 0)
        return c->verbose += 2, 1;
    return 0;
}

static void set_actor(struct cli *c)
{
    const char *sudo = getenv("SUDO_USER");
    struct passwd *pw = getpwuid(getuid());
    const char *user = pw ? pw->pw_name : NULL;
    char uid[32];
    if (!user) {
        snprintf(uid, sizeof uid, "uid %u", (unsigned)getuid());
        user = uid;
    }
    if (getuid() == 0 && sudo && *sudo)
        snprintf(c->actor, sizeof c->actor, "%s (sudo)", sudo);
    else
        vg_strlcpy(c->actor, user, sizeof c->actor);
}

static int load_config(struct cli *c)
{
    struct vg_error err;
    const char *path = c->conf_path;
    bool explicit = path != NULL;
    static const char *known[] = {"db", "log_level", "timezone"};
    if (!path)
        path = getenv("VIGIL_CONF"), explicit = path != NULL;
    if (!path)
        path = DEFAULT_CONF;
    vg_error_clear(&err);
    int rc = vg_conf_load(&c->conf, path, &err);
    if (rc == VG_ENOTFOUND && !explicit)
        return VG_OK;
    if (rc)
        return cli_fail(c, rc, &err);
    for (size_t i = 0; i < c->conf.n; i++) {
        bool ok = false;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            ok |= strcmp(c->conf.items[i].key, known[k]) == 0;
        if (!ok)
            vg_warn("%s:%zu: unknown setting '%s' ignored", path, c->conf.items[i].line,
                    c->conf.items[i].key);
    }
    const char *lvl = vg_conf_get(&c->conf, "log_level");
    if (lvl && !c->quiet && !c->verbose) {
        int l = vg_log_level_parse(lvl);
        if (l < 0)
            return cli_failf(c, "%s:%zu: log_level '%s' is not error, warn, info or debug", path,
                             vg_conf_line(&c->conf, "log_level"), lvl);
        vg_log_set_level(l);
    }
    const char *tz = vg_conf_get(&c->conf, "timezone");
    if (tz && !getenv("TZ")) {
        setenv("TZ", tz, 1);
        tzset();
    }
    return VG_OK;
}

static char db_buf[4096];

static int resolve_db(struct cli *c)
{
    const char *v;
    if (c->db)
        return VG_OK;
    if ((v = getenv("VIGIL_DB")) && *v) {
        c->db = v;
        c->db_from = "VIGIL_DB";
        return VG_OK;
    }
    if ((v = vg_conf_get(&c->conf, "db")) && *v) {
        c->db = v;
        c->db_from = c->conf.path;
        return VG_OK;
    }
    c->db_from = "default";
    if (geteuid() == 0) {
        c->db = ROOT_DB;
        return VG_OK;
    }
    if ((v = getenv("XDG_DATA_HOME")) && *v == '/')
        snprintf(db_buf, sizeof db_buf, "%s/vigil/vigil.db", v);
    else if ((v = getenv("HOME")) && *v)
        snprintf(db_buf, sizeof db_buf, "%s/.local/share/vigil/vigil.db", v);
    else
        return cli_failf(c, "cannot tell where the store is: set --db or VIGIL_DB");
    c->db = db_buf;
    return VG_OK;
}

int main(int argc, char **argv)
{
    struct cli c;
    const struct cmd *cmd;
    char **args;
    int n = 0, rc;
    bool bad = false, dashdash = false;

    setlocale(LC_CTYPE, "C.UTF-8");
    tzset();
    /* Files vigil creates (store, WAL) are shared with the group 'vigil' (DESIGN.md). */
    umask(007);
    memset(&c, 0, sizeof c);
    c.prog = "vigil";
    vg_conf_init(&c.conf);
    set_actor(&c);
    args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return VG_EXIT_FAIL;
    for (int i = 1; i < argc;) {
        int used = dashdash ? 0 : global_opt(&c, argc, argv, i, &bad);
        if (bad)
            return free(args), VG_EXIT_FAIL;
        if (used) {
            i += used;
            continue;
        }
        if (strcmp(argv[i], "--") == 0 && n > 0)
            dashdash = true;
        args[n++] = argv[i++];
    }
    c.tty = isatty(STDOUT_FILENO);
    if (c.quiet)
        vg_log_set_level(VG_LOG_ERROR);
    else if (c.verbose)
        vg_log_set_level(c.verbose > 1 ? VG_LOG_DEBUG : VG_LOG_INFO);
    if (c.json && c.csv) {
        free(args);
        return cli_failf(&c, "--json and --csv cannot be used together");
    }
    if (n == 0 || strcmp(args[0], "-h") == 0 || strcmp(args[0], "--help") == 0) {
        main_usage(n == 0 ? stderr : stdout);
        free(args);
        return n == 0 ? VG_EXIT_FAIL : VG_EXIT_OK;
    }
    if (strcmp(args[0], "--version") == 0)
        args[0] = "version";
    cmd = cli_find_command(args[0]);
    if (!cmd) {
        rc = cli_failf(&c, "'%s' is not a vigil command; 'vigil help' lists them", args[0]);
        free(args);
        return rc;
    }
    c.argc = n;
    c.argv = args;
    /* -h anywhere among a command's arguments (before "--") is a request for help. */
    for (int i = 1; i < n; i++) {
        if (strcmp(args[i], "--") == 0)
            break;
        if (strcmp(args[i], "-h") == 0 || strcmp(args[i], "--help") == 0) {
            cli_print_help(cmd, stdout);
            free(args);
            return VG_EXIT_OK;
        }
    }
    if ((rc = load_config(&c)) != VG_OK)
        goto out;
    if (cmd->flags & (NEED_STORE | CREATE_STORE)) {
        struct vg_error err;
        vg_error_clear(&err);
        if ((rc = resolve_db(&c)) != VG_OK)
            goto out;
        int r = vg_store_open(c.db, (cmd->flags & CREATE_STORE) ? VG_STORE_CREATE : 0, c.actor,
                              &c.store, &err);
        if (r) {
            rc = cli_fail(&c, r, &err);
            goto out;
        }
    }
    rc = cmd->fn(&c);
out:
    vg_store_close(c.store);
    vg_conf_release(&c.conf);
    free(args);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "vigil: error: cannot write the output: %s\n", strerror(errno));
        return VG_EXIT_FAIL;
    }
    return rc;
}
