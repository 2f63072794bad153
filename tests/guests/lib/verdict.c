/*
 * Verdicts and shutdown: mode-independent, shared by the PVH runtime
 * (setup.c) and the PV one (../pv/setup.c).
 */
#include "guest.h"

bool hypercalls_ready;

void shutdown(unsigned int reason)
{
    struct sched_shutdown sd = {.reason = reason};

    console_flush();
    HYPERVISOR_sched_op(SCHEDOP_shutdown, &sd);
    /* Not stopped: never let it look like a clean power-off. */
    die_hard();
}

/* Print the verdict line; msg may be NULL. */
static void verdict(const char *what, const char *msg)
{
    static bool done;

    /* A failure while reporting (e.g. from an exception): just crash. */
    if (done || !hypercalls_ready)
        die_hard();
    done = true;
    console_flush();
    printk("%s %s-%s%s%s\n", what, test_name, GUEST_VARIANT, msg ? ": " : "",
           msg ? msg : "");
}

void pass(void)
{
    verdict("PASS", NULL);
    shutdown(SHUTDOWN_poweroff);
}

/* A verdict with a formatted message, then shut down for reason. */
static void __noreturn verdict_and_shutdown(const char *what,
                                            unsigned int reason,
                                            const char *fmt, va_list ap)
{
    char msg[256];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    verdict(what, msg);
    shutdown(reason);
}

void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict_and_shutdown("FAIL", SHUTDOWN_crash, fmt, ap);
}

void skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    verdict_and_shutdown("SKIP", SHUTDOWN_poweroff, fmt, ap);
}

void check_failed(const char *file, int line, const char *cond, const char *fmt,
                  ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fail("%s:%d: !(%s)%s%s", file, line, cond, *msg ? ": " : "", msg);
}

void check_eq_failed(const char *file, int line, const char *what,
                     long long actual, long long expected)
{
    fail("%s:%d: %s = %lld (%#llx), want %lld (%#llx)", file, line, what,
         actual, (unsigned long long)actual, expected,
         (unsigned long long)expected);
}

bool cmdline_has(const char *word)
{
    size_t n = strlen(word);

    for (const char *p = cmdline; *p;) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, word, n) && (p[n] == ' ' || !p[n]))
            return true;
        while (*p && *p != ' ')
            p++;
    }
    return false;
}
