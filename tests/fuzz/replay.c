/*
 * replay.c - run a fuzz target over saved inputs as an ordinary test (after
 * SQLite's test/fuzzcheck.c), so that inputs that once crashed stay fixed
 * without needing clang or libFuzzer.
 *
 *     fuzz_csv_replay [-f] [-v] [-t SECONDS] DIR|FILE...
 *
 * Every regular file in each directory (not recursing; names starting with
 * '.' skipped) and every file named is passed once to
 * LLVMFuzzerTestOneInput, in name order, from an exactly-sized heap copy so
 * that a sanitizer build catches reads past the end. A missing path or a
 * corpus with no inputs is an error (exit 2): a lost corpus must not pass
 * as an empty one.
 *
 * By default the inputs run in this process, like libFuzzer; the first
 * crash ends the run and names its input. With -f each input runs in a
 * child process, so every failing input is listed. -v names each input
 * before running it. An input that runs longer than -t seconds (default 10)
 * fails, so a hang cannot stall the test run. Exit: 0 all passed, 1 some
 * failed, 2 usage or no inputs.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target; libFuzzer calls it once before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Present only in sanitizer builds: lets us name the input in a sanitizer report. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static const char *prog = "replay";
static unsigned timeout_s = 10;
static const char *volatile current; /* input being run, for crash messages */

struct list {
    char **v;
    size_t n, cap;
};

static void die_nomem(void)
{
    fprintf(stderr, "%s: out of memory\n", prog);
    exit(2);
}

static void list_add(struct list *l, const char *dir, const char *name)
{
    size_t n = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *s = malloc(n);
    if (!s)
        die_nomem();
    if (dir)
        snprintf(s, n, "%s/%s", dir, name);
    else
        snprintf(s, n, "%s", name);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            die_nomem();
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
}

/* Add the inputs under path; false (with a message) if there are none. */
static bool collect(struct list *l, const char *path)
{
    struct stat st;
    struct dirent **ents;
    size_t before = l->n;
    int n;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: cannot read '%s': %s\n", prog, path, strerror(errno));
        return false;
    }
    if (S_ISREG(st.st_mode)) {
        list_add(l, NULL, path);
        return true;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: '%s' is neither a file nor a directory\n", prog, path);
        return false;
    }
    n = scandir(path, &ents, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "%s: cannot list '%s': %s\n", prog, path, strerror(errno));
        return false;
    }
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        if (name[0] != '.') {
            size_t plen = strlen(path) + strlen(name) + 2;
            char *full = malloc(plen);
            if (!full)
                die_nomem();
            snprintf(full, plen, "%s/%s", path, name);
            if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
                list_add(l, path, name);
            free(full);
        }
        free(ents[i]);
    }
    free(ents);
    if (l->n == before) {
        fprintf(stderr, "%s: no inputs in '%s' (is the corpus missing?)\n", prog, path);
        return false;
    }
    return true;
}

/* The whole file in a malloc'd block of exactly its size (1 byte if empty). */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    uint8_t *data;
    if (!f)
        return NULL;
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
        fclose(f);
        return NULL;
    }
    *size = (size_t)st.st_size;
    data = malloc(*size ? *size : 1);
    if (!data || fread(data, 1, *size, f) != *size) {
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    return data;
}

/* "<prog>: <what> input '<path>'" on stderr, from a signal handler. */
static void say(const char *what)
{
    const char *c = current;
    if (c) {
        ssize_t r = write(STDERR_FILENO, "\n", 1);
        r = write(STDERR_FILENO, prog, strlen(prog));
        r = write(STDERR_FILENO, ": ", 2);
        r = write(STDERR_FILENO, what, strlen(what));
        r = write(STDERR_FILENO, " input '", 8);
        r = write(STDERR_FILENO, c, strlen(c));
        r = write(STDERR_FILENO, "'\n", 2);
        (void)r;
    }
}

static void say_crashed(void)
{
    say("crashed on");
}

static void on_crash_signal(int sig)
{
    say_crashed();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_timeout(int sig)
{
    say("ran past the time limit (-t) on");
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Name the input when the process dies; leave SIGSEGV to a sanitizer when there is one. */
static void install_crash_report(void)
{
    static const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
    bool sanitizer = __sanitizer_set_death_callback != NULL;
    if (sanitizer)
        __sanitizer_set_death_callback(say_crashed);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (!sanitizer || sigs[i] == SIGABRT)
            signal(sigs[i], on_crash_signal);
}

/* Run one input in this process; false if it could not be read. */
static bool run_one(const char *path)
{
    size_t size = 0;
    uint8_t *data = slurp(path, &size);
    if (!data) {
        fprintf(stderr, "%s: cannot read '%s': %s\n", prog, path, strerror(errno));
        return false;
    }
    current = path;
    signal(SIGALRM, on_timeout);
    alarm(timeout_s);
    LLVMFuzzerTestOneInput(data, size);
    alarm(0);
    current = NULL;
    free(data);
    return true;
}

/* Run one input in a child process; false if it failed, with the reason printed. */
static bool run_forked(const char *path)
{
    int st;
    pid_t pid;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: cannot fork: %s\n", prog, strerror(errno));
        return false;
    }
    if (pid == 0)
        exit(run_one(path) ? 0 : 3); /* exit, not _exit: let a leak checker run */
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return false;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return true;
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
        fprintf(stderr, "%s: FAIL '%s' (ran past %u s)\n", prog, path, timeout_s);
    else if (WIFSIGNALED(st))
        fprintf(stderr, "%s: FAIL '%s' (signal %d)\n", prog, path, WTERMSIG(st));
    else
        fprintf(stderr, "%s: FAIL '%s' (exit %d)\n", prog, path, WEXITSTATUS(st));
    return false;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: %s [-f] [-v] [-t SECONDS] DIR|FILE...\n"
            "  -f  run each input in a child process and go on after failures\n"
            "  -v  name each input before running it\n"
            "  -t  fail an input that runs longer than SECONDS (default 10, 0: no limit)\n",
            prog);
}

int main(int argc, char **argv)
{
    struct list inputs = {NULL, 0, 0};
    bool fork_each = false, verbose = false, ok = true;
    size_t passed = 0, failed = 0;
    int i = 1;

    if (argv[0] && *argv[0]) {
        const char *slash = strrchr(argv[0], '/');
        prog = slash ? slash + 1 : argv[0];
    }
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-f") == 0) {
            fork_each = true;
        } else if (strcmp(argv[i], "-v") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            char *end;
            unsigned long t = strtoul(argv[++i], &end, 10);
            if (end == argv[i] || *end || t > 86400) {
                usage();
                return 2;
            }
            timeout_s = (unsigned)t;
        } else {
            usage();
            return 2;
        }
    }
    if (i == argc) {
        usage();
        return 2;
    }
    for (int k = i; k < argc; k++)
        ok = collect(&inputs, argv[k]) && ok;
    if (!ok)
        return 2;

    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    if (!fork_each)
        install_crash_report();
    for (size_t k = 0; k < inputs.n; k++) {
        const char *path = inputs.v[k];
        if (verbose)
            fprintf(stderr, "%s: %s\n", prog, path);
        if (fork_each ? run_forked(path) : run_one(path))
            passed++;
        else
            failed++;
    }
    printf("%s: ran %zu inputs\n", prog, inputs.n);
    printf("%zu passed, %zu failed\n", passed, failed);
    for (size_t k = 0; k < inputs.n; k++)
        free(inputs.v[k]);
    free(inputs.v);
    return failed ? 1 : 0;
}
