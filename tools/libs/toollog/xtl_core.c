/*
 * Emitting messages through any logger: the calls libraries use.
 */
#include <errno.h>
#include <limits.h>

#include "export.h"
#include "xentoollog.h"

XENTOOLS_EXPORT const char *xtl_level_to_string(xentoollog_level level)
{
    static const char *const names[XTL_NUM_LEVELS] = {
        [XTL_NONE] = "none",         [XTL_DEBUG] = "debug",
        [XTL_VERBOSE] = "verbose",   [XTL_DETAIL] = "detail",
        [XTL_PROGRESS] = "progress", [XTL_INFO] = "info",
        [XTL_NOTICE] = "notice",     [XTL_WARN] = "warning",
        [XTL_ERROR] = "error",       [XTL_CRITICAL] = "critical",
    };

    if ((unsigned)level >= XTL_NUM_LEVELS)
        return "unknown";
    return names[level];
}

XENTOOLS_EXPORT void xtl_logv(struct xentoollog_logger *logger,
                              xentoollog_level level, int errnoval,
                              const char *context, const char *format,
                              va_list al)
{
    int saved = errno;

    if (logger && logger->vmessage)
        logger->vmessage(logger, level, errnoval, context, format, al);
    errno = saved;
}

XENTOOLS_EXPORT void xtl_log(struct xentoollog_logger *logger,
                             xentoollog_level level, int errnoval,
                             const char *context, const char *format, ...)
{
    va_list al;

    va_start(al, format);
    xtl_logv(logger, level, errnoval, context, format, al);
    va_end(al);
}

XENTOOLS_EXPORT void xtl_progress(struct xentoollog_logger *logger,
                                  const char *context, const char *doing_what,
                                  unsigned long done, unsigned long total)
{
    int percent = 0;

    if (!logger || !logger->progress)
        return;
    if (done > total)
        done = total;
    /* Avoid overflowing done * 100 for huge totals. */
    if (total)
        percent = total < ULONG_MAX / 100 ? done * 100 / total
                                          : done / ((total + 99) / 100);
    logger->progress(logger, context, doing_what, percent, done, total);
}

XENTOOLS_EXPORT void xtl_logger_destroy(struct xentoollog_logger *logger)
{
    if (logger && logger->destroy)
        logger->destroy(logger);
}
