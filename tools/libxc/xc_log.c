/*
 * Logging of libxenctrl and libxenguest (compiled into both, hidden):
 * through the handle's loggers, else to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xc_private.h"

static const char *level_name(xentoollog_level level)
{
    static const char *const names[XTL_NUM_LEVELS] = {
        [XTL_DEBUG] = "debug",       [XTL_VERBOSE] = "verbose",
        [XTL_DETAIL] = "detail",     [XTL_PROGRESS] = "progress",
        [XTL_INFO] = "info",         [XTL_NOTICE] = "notice",
        [XTL_WARN] = "warning",      [XTL_ERROR] = "error",
        [XTL_CRITICAL] = "critical",
    };

    return level > XTL_NONE && level < XTL_NUM_LEVELS ? names[level] : "?";
}

/*
 * Without a logger, print what Xen's default stderr logger would
 * (XTL_PROGRESS and above).
 */
static void vlog(xentoollog_logger *logger, xentoollog_level level,
                 int errnoval, const char *fmt, va_list ap)
{
    int saved = errno;

    if (logger) {
        logger->vmessage(logger, level, errnoval, "xc", fmt, ap);
    } else if (level >= XTL_PROGRESS) {
        char msg[512];

        vsnprintf(msg, sizeof(msg), fmt, ap);
        if (errnoval >= 0)
            fprintf(stderr, "xc: %s: %s: %s\n", level_name(level), msg,
                    strerror(errnoval));
        else
            fprintf(stderr, "xc: %s: %s\n", level_name(level), msg);
    }
    errno = saved;
}

void xc__log(xc_interface *xch, xentoollog_level level, int errnoval,
             const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vlog(xch ? xch->logger : NULL, level, errnoval, fmt, ap);
    va_end(ap);
}

void xc__vlog_dombuild(xc_interface *xch, xentoollog_level level, int errnoval,
                       const char *fmt, va_list ap)
{
    vlog(xch->dombuild_logger ? xch->dombuild_logger : xch->logger, level,
         errnoval, fmt, ap);
}
