/*
 * xentoollog.h - the logger interface of the Xen tools libraries
 * (libxentoollog.so.1).
 *
 * A logger is a table of callbacks; libxenctrl, libxenguest and
 * libxenlight report through one the caller supplies. This library
 * provides the ready-made one that writes to a stdio stream, and the
 * calls for emitting messages through any logger.
 */
#ifndef XENTOOLLOG_H
#define XENTOOLLOG_H

#include <stdarg.h>
#include <stdio.h>

typedef enum xentoollog_level {
    XTL_NONE, /* never used for a message */
    XTL_DEBUG,
    XTL_VERBOSE,
    XTL_DETAIL,
    XTL_PROGRESS, /* also the level of progress reports */
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
     * library or program ("xc", "libxl"; may be NULL), @format has no
     * level, context or trailing newline.
     */
    void (*vmessage)(struct xentoollog_logger *logger, xentoollog_level level,
                     int errnoval, const char *context, const char *format,
                     va_list al) __attribute__((format(printf, 5, 0)));
    /*
     * Progress of a long operation; may be NULL. Called with done == 0
     * first for each new @context / @doing_what.
     */
    void (*progress)(struct xentoollog_logger *logger, const char *context,
                     const char *doing_what, int percent, unsigned long done,
                     unsigned long total);
    void (*destroy)(struct xentoollog_logger *logger);
};

/* ---- The stdio logger ---- */

#define XTL_STDIOSTREAM_SHOW_PID 001u
#define XTL_STDIOSTREAM_SHOW_DATE 002u
#define XTL_STDIOSTREAM_HIDE_PROGRESS 004u
#define XTL_STDIOSTREAM_PROGRESS_USE_CR 010u /* default: \r only to a tty */
#define XTL_STDIOSTREAM_PROGRESS_NO_CR 020u

typedef struct xentoollog_logger_stdiostream xentoollog_logger_stdiostream;

/*
 * A logger writing messages of @min_level and above to @f, one a line:
 * "[date ][[pid] ]context: level: message[: strerror]". NULL if out of
 * memory. Destroying it does not close @f.
 */
xentoollog_logger_stdiostream *
xtl_createlogger_stdiostream(FILE *f, xentoollog_level min_level,
                             unsigned flags);
void xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *lg,
                                  xentoollog_level min_level);
/* @set_flags wins where the two overlap. */
void xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *lg,
                                  unsigned set_flags, unsigned clear_flags);

/* Call the logger's destroy (NULL is fine). */
void xtl_logger_destroy(struct xentoollog_logger *logger);

/* ---- Emitting messages ---- */

/* errno is preserved across these. */
void xtl_logv(struct xentoollog_logger *logger, xentoollog_level level,
              int errnoval, const char *context, const char *format, va_list al)
    __attribute__((format(printf, 5, 0)));
void xtl_log(struct xentoollog_logger *logger, xentoollog_level level,
             int errnoval, const char *context, const char *format, ...)
    __attribute__((format(printf, 5, 6)));
/* Report @done of @total, as a percentage, to the logger's progress. */
void xtl_progress(struct xentoollog_logger *logger, const char *context,
                  const char *doing_what, unsigned long done,
                  unsigned long total);

/* "debug", "error", ...; never NULL. */
const char *xtl_level_to_string(xentoollog_level level);

/*
 * For writing a logger: given a struct xentoollog_logger_LOGGER whose
 * first member is "xentoollog_logger vtable" and the functions
 * LOGGER_vmessage, LOGGER_progress and LOGGER_destroy, fill in the
 * vtable of @buffer and return a malloc'd copy of it (NULL, logged
 * through @buffer, if out of memory).
 */
#define XTL_NEW_LOGGER(LOGGER, buffer)                                         \
    ({                                                                         \
        xentoollog_logger_##LOGGER *new_consumer;                              \
                                                                               \
        (buffer).vtable.vmessage = LOGGER##_vmessage;                          \
        (buffer).vtable.progress = LOGGER##_progress;                          \
        (buffer).vtable.destroy = LOGGER##_destroy;                            \
        new_consumer = malloc(sizeof(*new_consumer));                          \
        if (!new_consumer)                                                     \
            xtl_log((xentoollog_logger *)&(buffer), XTL_CRITICAL, errno,       \
                    "xtl", "cannot allocate a logger");                        \
        else                                                                   \
            *new_consumer = (buffer);                                          \
        new_consumer;                                                          \
    })

#endif /* XENTOOLLOG_H */
