/*
 * The ring backend on the hypervisor: ring pages mapped by gfn with
 * libxenforeignmemory, event channels through libxenevtchn (plus
 * VIRQ_DOM_EXC for domain state changes), domain state from
 * XEN_DOMCTL_getdomaininfo through libxencall.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <xencall.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/domctl.h>
#include "xenstored.h"
#include "ring.h"

static xenevtchn_handle *xce;
static xenforeignmemory_handle *fmem;
static xencall_handle *xcall;
static int virq_port = -1;

static int xen_init(const char *arg)
{
    int fd, err;

    (void)arg;
    xce = xenevtchn_open(NULL, 0);
    fmem = xce ? xenforeignmemory_open(NULL, 0) : NULL;
    if (!fmem)
        goto fail;
    fd = xenevtchn_fd(xce);
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
        goto fail;
    /* Without these, domains are not watched for dying. */
    virq_port = xenevtchn_bind_virq(xce, VIRQ_DOM_EXC);
    xcall = xencall_open(NULL, 0);
    return 0;
fail:
    err = errno ? -errno : -ENODEV;
    xenforeignmemory_close(fmem);
    xenevtchn_close(xce);
    fmem = NULL;
    xce = NULL;
    return err;
}

static int xen_fd(void)
{
    return xenevtchn_fd(xce);
}

static long xen_pending(void)
{
    int p = xenevtchn_pending(xce);

    if (p < 0)
        return -1;
    if (p == virq_port) {
        xenevtchn_unmask(xce, p);
        return RING_PORT_DOM_EXC;
    }
    return p;
}

static void xen_unmask(unsigned int port)
{
    xenevtchn_unmask(xce, port);
}

static void *xen_map(unsigned int domid, unsigned long gfn)
{
    xen_pfn_t pfn = gfn;
    int err = 0;
    void *p = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 1, &pfn,
                                   &err);

    if (p && err) {
        xenforeignmemory_unmap(fmem, p, 1);
        errno = -err;
        return NULL;
    }
    return p;
}

static void xen_unmap(void *page)
{
    xenforeignmemory_unmap(fmem, page, 1);
}

static int xen_bind(unsigned int domid, unsigned int remote_port)
{
    int p = xenevtchn_bind_interdomain(xce, domid, remote_port);
    return p < 0 ? -errno : p;
}

static void xen_unbind(unsigned int port)
{
    xenevtchn_unbind(xce, port);
}

static void xen_notify(unsigned int port)
{
    xenevtchn_notify(xce, port);
}

static enum dom_state xen_domain_state(unsigned int domid)
{
    struct xen_domctl *dc;
    enum dom_state st = DOM_RUNNING;
    uint32_t flags;

    if (domid >= DOMID_FIRST_RESERVED)
        return DOM_GONE;
    if (!xcall)
        return DOM_RUNNING; /* cannot tell: assume the toolstack knows */
    dc = xencall_alloc_buffer(xcall, sizeof(*dc));
    if (!dc)
        return DOM_RUNNING;
    memset(dc, 0, sizeof(*dc));
    dc->cmd = XEN_DOMCTL_getdomaininfo;
    dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc->domain = domid;
    if (xencall1(xcall, __HYPERVISOR_domctl, (uintptr_t)dc) < 0) {
        st = errno == ESRCH ? DOM_GONE : DOM_RUNNING;
    } else if (dc->u.getdomaininfo.domain != domid) {
        st = DOM_GONE;
    } else {
        flags = dc->u.getdomaininfo.flags;
        if (flags & XEN_DOMINF_dying)
            st = DOM_DYING;
        else if (flags & XEN_DOMINF_shutdown)
            st = DOM_SHUTDOWN;
    }
    xencall_free_buffer(xcall, dc);
    return st;
}

const struct ring_backend ring_backend_xen = {
    .name = "xen",
    .init = xen_init,
    .fd = xen_fd,
    .pending = xen_pending,
    .unmask = xen_unmask,
    .map = xen_map,
    .unmap = xen_unmap,
    .bind = xen_bind,
    .unbind = xen_unbind,
    .notify = xen_notify,
    .domain_state = xen_domain_state,
};
