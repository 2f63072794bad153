/*
 * libxenctrl internals, shared with libxenguest. Hidden: nothing here
 * is exported (-fvisibility=hidden and the version scripts).
 */
#ifndef XC_PRIVATE_H
#define XC_PRIVATE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xencall.h>
#include <xenforeignmemory.h>

#include "xenctrl.h"

#define XC_EXPORT __attribute__((visibility("default")))

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

struct xc_interface_core {
    xentoollog_logger *logger;          /* NULL: stderr */
    xentoollog_logger *dombuild_logger; /* NULL: as logger */
    unsigned int flags;
    xencall_handle *xcall;
    xenforeignmemory_handle *fmem;
    int max_cpus; /* cached by xc_get_max_cpus */
};

/*
 * Report a message at @level through the handle's logger. @errnoval is
 * an errno value to append, or -1. errno is preserved.
 */
void xc__log(xc_interface *xch, xentoollog_level level, int errnoval,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same through the domain builder's logger. */
void xc__vlog_dombuild(xc_interface *xch, xentoollog_level level, int errnoval,
                       const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

#define ERROR(fmt, ...) xc__log(xch, XTL_ERROR, -1, fmt, ##__VA_ARGS__)
#define PERROR(fmt, ...) xc__log(xch, XTL_ERROR, errno, fmt, ##__VA_ARGS__)
#define DPRINTF(fmt, ...) xc__log(xch, XTL_DETAIL, -1, fmt, ##__VA_ARGS__)

/*
 * A copy of caller memory in a hypercall buffer (the hypervisor core
 * only reads and writes those). IN copies the caller's bytes in before
 * the call, OUT copies the buffer back after it.
 */
enum { XC_BOUNCE_IN = 1, XC_BOUNCE_OUT = 2, XC_BOUNCE_BOTH = 3 };

struct xc_bounce {
    void *ubuf; /* the caller's memory (NULL: no buffer) */
    void *hbuf; /* the hypercall buffer, or NULL */
    size_t len;
    int dir;
};

/*
 * Set @b up for @ubuf (@len bytes): NULL or 0 bytes give a NULL buffer.
 * 0, or -1 with errno (and a log message) if no buffer could be had.
 */
int xc__bounce_pre(xc_interface *xch, struct xc_bounce *b, void *ubuf,
                   size_t len, int dir);
/* Copy back (OUT) and release; idempotent, errno preserved. */
void xc__bounce_post(xc_interface *xch, struct xc_bounce *b);

/* A hypercall buffer's address as a hypercall argument. */
static inline uint64_t xc__arg(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* The operations through bounced copies; results as xencall gives them. */
int xc__do_domctl(xc_interface *xch, struct xen_domctl *domctl);
int xc__do_sysctl(xc_interface *xch, struct xen_sysctl *sysctl);
long xc__do_memory_op(xc_interface *xch, unsigned int cmd, void *arg,
                      size_t len);

#endif
