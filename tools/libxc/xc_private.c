/*
 * libxenctrl: the handle and hypercall buffers.
 *
 * A handle is a libxencall handle (hypercalls through the privcmd
 * socket) and a libxenforeignmemory handle, as in Xen. Everything handed
 * to the hypervisor is first copied into a hypercall buffer, nested
 * buffers included: the core reads no other memory of ours.
 */
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"

XC_EXPORT
xc_interface *xc_interface_open(xentoollog_logger *logger,
                                xentoollog_logger *dombuild_logger,
                                unsigned open_flags)
{
    xc_interface *xch = calloc(1, sizeof(*xch));
    int saved;

    if (!xch)
        return NULL;
    xch->logger = logger;
    xch->dombuild_logger = dombuild_logger;
    xch->flags = open_flags;
    if (open_flags & XC_OPENFLAG_DUMMY) {
        errno = EOPNOTSUPP;
        goto fail;
    }
    xch->xcall = xencall_open(logger, open_flags & XC_OPENFLAG_NON_REENTRANT
                                          ? XENCALL_OPENFLAG_NON_REENTRANT
                                          : 0);
    if (!xch->xcall) {
        PERROR("cannot open the hypercall interface");
        goto fail;
    }
    xch->fmem = xenforeignmemory_open(logger, 0);
    if (!xch->fmem) {
        PERROR("cannot open the foreign memory interface");
        goto fail;
    }
    return xch;

fail:
    saved = errno;
    xenforeignmemory_close(xch->fmem);
    xencall_close(xch->xcall);
    free(xch);
    errno = saved;
    return NULL;
}

XC_EXPORT
int xc_interface_close(xc_interface *xch)
{
    int rc = 0;

    if (!xch)
        return 0;
    if (xenforeignmemory_close(xch->fmem))
        rc = -1;
    if (xencall_close(xch->xcall))
        rc = -1;
    free(xch);
    return rc;
}

XC_EXPORT
struct xencall_handle *xc_interface_xcall_handle(xc_interface *xch)
{
    return xch->xcall;
}

XC_EXPORT
struct xenforeignmemory_handle *xc_interface_fmem_handle(xc_interface *xch)
{
    return xch->fmem;
}

int xc__bounce_pre(xc_interface *xch, struct xc_bounce *b, void *ubuf,
                   size_t len, int dir)
{
    b->ubuf = ubuf;
    b->len = len;
    b->dir = dir;
    b->hbuf = NULL;
    if (!ubuf || !len)
        return 0;
    b->hbuf = xencall_alloc_buffer(xch->xcall, len);
    if (!b->hbuf) {
        PERROR("cannot get a %zu-byte hypercall buffer", len);
        return -1;
    }
    if (dir & XC_BOUNCE_IN)
        memcpy(b->hbuf, ubuf, len);
    return 0;
}

void xc__bounce_post(xc_interface *xch, struct xc_bounce *b)
{
    int saved = errno;

    if (!b->hbuf)
        return;
    if (b->dir & XC_BOUNCE_OUT)
        memcpy(b->ubuf, b->hbuf, b->len);
    xencall_free_buffer(xch->xcall, b->hbuf);
    b->hbuf = NULL;
    errno = saved;
}

/* One hypercall whose only pointer is @arg, bounced both ways. */
static long call_with_arg(xc_interface *xch, unsigned int op, uint64_t a1,
                          void *arg, size_t len, bool arg_first)
{
    struct xc_bounce b;
    long rc;

    if (xc__bounce_pre(xch, &b, arg, len, XC_BOUNCE_BOTH))
        return -1;
    if (arg_first)
        rc = xencall1(xch->xcall, op, xc__arg(b.hbuf));
    else
        rc = xencall2L(xch->xcall, op, a1, xc__arg(b.hbuf));
    xc__bounce_post(xch, &b);
    return rc;
}

int xc__do_domctl(xc_interface *xch, struct xen_domctl *domctl)
{
    domctl->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return call_with_arg(xch, __HYPERVISOR_domctl, 0, domctl, sizeof(*domctl),
                         true);
}

int xc__do_sysctl(xc_interface *xch, struct xen_sysctl *sysctl)
{
    sysctl->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return call_with_arg(xch, __HYPERVISOR_sysctl, 0, sysctl, sizeof(*sysctl),
                         true);
}

long xc__do_memory_op(xc_interface *xch, unsigned int cmd, void *arg,
                      size_t len)
{
    return call_with_arg(xch, __HYPERVISOR_memory_op, cmd, arg, len, false);
}

XC_EXPORT
int xc_domctl(xc_interface *xch, struct xen_domctl *domctl)
{
    return xc__do_domctl(xch, domctl);
}

XC_EXPORT
int xc_sysctl(xc_interface *xch, struct xen_sysctl *sysctl)
{
    return xc__do_sysctl(xch, sysctl);
}

XC_EXPORT
long xc_memory_op(xc_interface *xch, unsigned int cmd, void *arg, size_t len)
{
    return xc__do_memory_op(xch, cmd, arg, len);
}
