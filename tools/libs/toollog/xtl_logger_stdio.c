/*
 * The stdio logger: one line per message on a FILE, progress reports
 * rewritten in place with \r on a terminal.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "xentoollog.h"

struct xentoollog_logger_stdiostream {
    xentoollog_logger vtable;
    FILE *f;
    xentoollog_level min_level;
    unsigned flags;
    int progress_percent; /* last percentage shown */
    bool progress_erase;  /* a \r-terminated report is on the line */
    bool tty;
};

static void erase_progress(struct xentoollog_logger_stdiostream *lg)
{
    if (!lg->progress_erase)
        return;
    lg->progress_erase = false;
    /* Blank out the report so the message does not run into it. */
    fprintf(lg->f, "\r%*s\r", 79, "");
}

static void stdiostream_vmessage(xentoollog_logger *logger_in,
                                 xentoollog_level level, int errnoval,
                                 const char *context, const char *format,
                                 va_list al)
{
    struct xentoollog_logger_stdiostream *lg = (void *)logger_in;

    if (level < lg->min_level)
        return;
    erase_progress(lg);
    if (lg->flags & XTL_STDIOSTREAM_SHOW_DATE) {
        struct tm tm;
        time_t now = time(NULL);
        char date[64];

        if (localtime_r(&now, &tm) &&
            strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S %Z", &tm))
            fprintf(lg->f, "%s ", date);
    }
    if (lg->flags & XTL_STDIOSTREAM_SHOW_PID)
        fprintf(lg->f, "[%lu] ", (unsigned long)getpid());
    if (context)
        fprintf(lg->f, "%s: ", context);
    fprintf(lg->f, "%s: ", xtl_level_to_string(level));
    vfprintf(lg->f, format, al);
    if (errnoval >= 0)
        fprintf(lg->f, ": %s", strerror(errnoval));
    fputc('\n', lg->f);
    fflush(lg->f);
}

static void stdiostream_progress(xentoollog_logger *logger_in,
                                 const char *context, const char *doing_what,
                                 int percent, unsigned long done,
                                 unsigned long total)
{
    struct xentoollog_logger_stdiostream *lg = (void *)logger_in;
    bool use_cr;

    if (XTL_PROGRESS < lg->min_level ||
        (lg->flags & XTL_STDIOSTREAM_HIDE_PROGRESS))
        return;
    if (lg->flags & XTL_STDIOSTREAM_PROGRESS_USE_CR)
        use_cr = true;
    else if (lg->flags & XTL_STDIOSTREAM_PROGRESS_NO_CR)
        use_cr = false;
    else
        use_cr = lg->tty;
    /* Without \r, print only the start, the end and each new percent. */
    if (!use_cr && done && done != total && percent == lg->progress_percent)
        return;
    lg->progress_percent = percent;
    erase_progress(lg);
    if (context)
        fprintf(lg->f, "%s: ", context);
    fprintf(lg->f, "%s: %lu/%lu %3d%%", doing_what, done, total, percent);
    if (use_cr && done != total) {
        fputc('\r', lg->f);
        lg->progress_erase = true;
    } else {
        fputc('\n', lg->f);
    }
    fflush(lg->f);
}

static void stdiostream_destroy(xentoollog_logger *logger_in)
{
    struct xentoollog_logger_stdiostream *lg = (void *)logger_in;

    erase_progress(lg);
    free(lg);
}

XENTOOLS_EXPORT xentoollog_logger_stdiostream *
xtl_createlogger_stdiostream(FILE *f, xentoollog_level min_level,
                             unsigned flags)
{
    struct xentoollog_logger_stdiostream *lg = calloc(1, sizeof(*lg));

    if (!lg)
        return NULL;
    lg->vtable.vmessage = stdiostream_vmessage;
    lg->vtable.progress = stdiostream_progress;
    lg->vtable.destroy = stdiostream_destroy;
    lg->f = f;
    lg->min_level = min_level;
    lg->flags = flags;
    lg->progress_percent = -1;
    lg->tty = isatty(fileno(f));
    return lg;
}

XENTOOLS_EXPORT void
xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *lg,
                             xentoollog_level min_level)
{
    lg->min_level = min_level;
}

XENTOOLS_EXPORT void
xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *lg,
                             unsigned set_flags, unsigned clear_flags)
{
    lg->flags = (lg->flags & ~clear_flags) | set_flags;
}
