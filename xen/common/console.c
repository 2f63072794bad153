/* The hypervisor console ring, printk and guest console output. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <public/xen.h>
#include <xen/console.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>

static bool opt_console_to_stderr;
boolean_param(console_to_stderr, opt_console_to_stderr,
              "copy the hypervisor console to standard error");

static unsigned int opt_loglvl = LOG_INFO;
static int parse_loglvl(const char *s)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};

    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
        if (!strcmp(s, names[i]) || (s[0] == '0' + (char)i && !s[1])) {
            opt_loglvl = i;
            return 0;
        }
    if (!strcmp(s, "all")) {
        opt_loglvl = LOG_DEBUG;
        return 0;
    }
    if (!strcmp(s, "none")) {
        opt_loglvl = 0;
        return 0;
    }
    return -EINVAL;
}
custom_param(loglvl, parse_loglvl,
             "messages up to this level are logged: error, warning, info "
             "(default), debug, all");

#define CONRING_SIZE (1u << 16)
static char conring[CONRING_SIZE];
static uint64_t conring_prod; /* bytes ever written */
static uint64_t conring_first; /* oldest byte still readable (after clear) */
static pthread_mutex_t conring_lock = PTHREAD_MUTEX_INITIALIZER;

/* Append to the ring (and stderr); caller holds conring_lock. */
static enum loglvl conring_level = LOG_INFO;

static int conring_efd = -1;

int console_ring_eventfd(void)
{
    if (conring_efd < 0)
        conring_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return conring_efd;
}

static void conring_put(const char *s, size_t len)
{
    static const uint64_t one = 1;

    for (size_t i = 0; i < len; i++)
        conring[(conring_prod + i) % CONRING_SIZE] = s[i];
    conring_prod += len;
    if (conring_efd >= 0 && write(conring_efd, &one, sizeof(one)) < 0) {
        /* The counter is full: a notification is pending anyway. */
    }
    /* Errors always reach stderr: they say why xen could not go on. */
    if (opt_console_to_stderr || conring_level == LOG_ERR) {
        ssize_t r = write(STDERR_FILENO, s, len);
        (void)r;
    }
}

static void vprintk_level(enum loglvl lvl, const char *fmt, va_list ap)
{
    char buf[1024];
    int n;

    if (lvl > (enum loglvl)opt_loglvl)
        return;
    n = snprintf(buf, sizeof(buf), "(XEN) ");
    n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    pthread_mutex_lock(&conring_lock);
    conring_level = lvl;
    conring_put(buf, n);
    if (n && buf[n - 1] != '\n')
        conring_put("\n", 1);
    conring_level = LOG_INFO;
    pthread_mutex_unlock(&conring_lock);
}

void printk(enum loglvl lvl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk_level(lvl, fmt, ap);
    va_end(ap);
}

/* At most 20 guest-triggered messages a second, with a count of the rest. */
void gprintk(enum loglvl lvl, const char *fmt, ...)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static time_t window;
    static unsigned int in_window, suppressed;
    time_t now = time(NULL);
    bool print;
    va_list ap;

    pthread_mutex_lock(&lock);
    if (now != window) {
        if (suppressed)
            printk(LOG_WARNING, "%u guest messages suppressed\n", suppressed);
        window = now;
        in_window = suppressed = 0;
    }
    print = in_window++ < 20;
    if (!print)
        suppressed++;
    pthread_mutex_unlock(&lock);
    if (!print)
        return;
    va_start(ap, fmt);
    vprintk_level(lvl, fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    opt_console_to_stderr = true;
    va_start(ap, fmt);
    vprintk_level(LOG_ERR, fmt, ap);
    va_end(ap);
    _exit(70);
}

static void guest_flush_locked(struct domain *d)
{
    char prefix[16];
    int n = snprintf(prefix, sizeof(prefix), "(d%u) ", d->domain_id);

    pthread_mutex_lock(&conring_lock);
    conring_put(prefix, n);
    conring_put(d->console_line, d->console_len);
    if (!d->console_len || d->console_line[d->console_len - 1] != '\n')
        conring_put("\n", 1);
    pthread_mutex_unlock(&conring_lock);
    d->console_len = 0;
}

void console_guest_write(struct domain *d, const char *buf, size_t len)
{
    pthread_mutex_lock(&d->lock);
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];

        /* Keep the log printable: a guest must not inject escapes. */
        if (c != '\n' && c != '\t' && (c < 32 || c > 126))
            c = '.';
        d->console_line[d->console_len++] = c;
        if (c == '\n' || d->console_len == sizeof(d->console_line))
            guest_flush_locked(d);
    }
    pthread_mutex_unlock(&d->lock);
}

void console_guest_flush(struct domain *d)
{
    pthread_mutex_lock(&d->lock);
    if (d->console_len)
        guest_flush_locked(d);
    pthread_mutex_unlock(&d->lock);
}

size_t console_ring_read(uint64_t *index, char *buf, size_t len)
{
    size_t n = 0;

    pthread_mutex_lock(&conring_lock);
    uint64_t oldest = conring_prod > CONRING_SIZE ? conring_prod - CONRING_SIZE
                                                  : 0;
    if (oldest < conring_first)
        oldest = conring_first;
    if (*index < oldest)
        *index = oldest;
    while (n < len && *index < conring_prod)
        buf[n++] = conring[(*index)++ % CONRING_SIZE];
    pthread_mutex_unlock(&conring_lock);
    return n;
}

void console_ring_clear(void)
{
    pthread_mutex_lock(&conring_lock);
    conring_first = conring_prod;
    pthread_mutex_unlock(&conring_lock);
}

/*
 * console_io. Like a debug build of Xen, every domain may write to the
 * hypervisor console (the test kit reports through it); reading is the
 * console owner's business and gives nothing to domUs.
 */
#define CONSOLE_IO_MAX (64 * 1024)

static long do_console_io(struct vcpu *v, const uint64_t arg[5])
{
    /* cmd and count are unsigned int in Xen: upper halves are ignored. */
    uint32_t cmd = arg[0], count = arg[1];
    uint64_t buf = arg[2];
    char chunk[128];

    /* The XSM check comes first: a domU may only write. */
    if (!v->domain->is_privileged && cmd != CONSOLEIO_write)
        return -EPERM;
    switch (cmd) {
    case CONSOLEIO_write:
        if (count > CONSOLE_IO_MAX) {
            gprintk(LOG_WARNING, "d%u: console_io write of %u bytes cut "
                    "to %u\n", v->domain->domain_id, count, CONSOLE_IO_MAX);
            count = CONSOLE_IO_MAX;
        }
        while (count) {
            size_t n = MIN(count, sizeof(chunk));

            if (copy_from_guest(v, chunk, buf, n))
                return -EFAULT;
            console_guest_write(v->domain, chunk, n);
            buf += n;
            count -= n;
        }
        return 0;
    case CONSOLEIO_read:
        return 0; /* the serial input of domain 0: none here */
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_console_io, do_console_io);
