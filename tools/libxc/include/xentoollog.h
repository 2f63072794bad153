/*
 * xentoollog.h - the logger interface of the Xen tools libraries.
 *
 * A logger is a table of callbacks the caller supplies; libxenctrl and
 * libxenguest report through it. Only the types are here: Xenon has no
 * libxentoollog yet, so the ready-made loggers (xtl_createlogger_*) are
 * not provided. Passing NULL where a logger is asked for makes the
 * libraries print warnings and errors to stderr.
 */
#ifndef XENTOOLLOG_H
#define XENTOOLLOG_H

#include <stdarg.h>

typedef enum xentoollog_level {
    XTL_NONE, /* never used for a message */
    XTL_DEBUG,
    XTL_VERBOSE,
    XTL_DETAIL,
    XTL_PROGRESS,
    XTL_INFO,
    XTL_NOTICE,
    XTL_WARN,
    XTL_ERROR,
    XTL_CRITICAL,
    XTL_NUM_LEVELS
} xentoollog_level;

typedef struct xentoollog_logger xentoollog_logger;

struct xentoollog_logger {
    /*
     * One message: @errnoval is an errno value or -1, @context names the
     * library ("xc"), @format has no trailing newline.
     */
    void (*vmessage)(struct xentoollog_logger *logger, xentoollog_level level,
                     int errnoval, const char *context, const char *format,
                     va_list al) __attribute__((format(printf, 5, 0)));
    /* Progress of a long operation; may be NULL. */
    void (*progress)(struct xentoollog_logger *logger, const char *context,
                     const char *doing_what, int percent, unsigned long done,
                     unsigned long total);
    void (*destroy)(struct xentoollog_logger *logger);
};

#endif
