/*
 * log.h - levelled logging to stderr.
 *
 * The library never prints to stdout; diagnostics that are not errors (a row
 * skipped, a setting ignored) go through vg_log, which the front configures
 * once (level, and optionally a sink of its own, e.g. syslog for a daemon).
 */
#ifndef VG_CORE_LOG_H
#define VG_CORE_LOG_H

enum vg_log_level {
    VG_LOG_ERROR = 0,
    VG_LOG_WARN = 1,
    VG_LOG_INFO = 2,
    VG_LOG_DEBUG = 3,
};

typedef void (*vg_log_sink)(int level, const char *msg, void *ctx);

/* Messages above level are dropped. Default: VG_LOG_WARN. */
void vg_log_set_level(int level);
int vg_log_get_level(void);

/* Parse "error", "warn", "info", "debug"; returns -1 if unknown. */
int vg_log_level_parse(const char *s);

/* Replace the default sink (stderr, "vigil: warning: ..."); NULL restores it. */
void vg_log_set_sink(vg_log_sink sink, void *ctx);

void vg_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define vg_error_log(...) vg_log(VG_LOG_ERROR, __VA_ARGS__)
#define vg_warn(...) vg_log(VG_LOG_WARN, __VA_ARGS__)
#define vg_info(...) vg_log(VG_LOG_INFO, __VA_ARGS__)
#define vg_debug(...) vg_log(VG_LOG_DEBUG, __VA_ARGS__)

#endif
