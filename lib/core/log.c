/*
 * log.c - levelled logging; the level and sink are set once by the front.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/banned.h"

static int log_level = VG_LOG_WARN;
static vg_log_sink log_sink;
static void *log_ctx;

void vg_log_set_level(int level)
{
    log_level = level;
}

int vg_log_get_level(void)
{
    return log_level;
}

int vg_log_level_parse(const char *s)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    if (strcmp(s, "warning") == 0)
        return VG_LOG_WARN;
    return -1;
}

void vg_log_set_sink(vg_log_sink sink, void *ctx)
{
    log_sink = sink;
    log_ctx = ctx;
}

void vg_log(int level, const char *fmt, ...)
{
    static const char *prefix[] = {"error: ", "warning: ", "", "debug: "};
    char msg[2048];
    va_list ap;
    if (level > log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (log_sink) {
        log_sink(level, msg, log_ctx);
        return;
    }
    /* Messages may quote hostile input: never let it reach the terminal raw. */
    char safe[4096];
    vg_str_escape_ctl(safe, sizeof safe, msg, strlen(msg));
    fprintf(stderr, "vigil: %s%s\n", level >= 0 && level <= 3 ? prefix[level] : "", safe);
}
