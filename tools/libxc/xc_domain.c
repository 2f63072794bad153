/* libxenctrl: domains, their vCPUs and their HVM context. */
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"

/* A domctl on @domid with the command's arguments zeroed. */
static struct xen_domctl domctl_for(uint32_t cmd, uint32_t domid)
{
    return (struct xen_domctl){.cmd = cmd, .domain = (domid_t)domid};
}

XC_EXPORT
int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
                     struct xen_domctl_createdomain *config)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_createdomain, *pdomid);
    int rc;

    op.u.createdomain = *config;
    rc = xc__do_domctl(xch, &op);
    if (rc)
        return rc;
    *pdomid = op.domain;
    *config = op.u.createdomain;
    return 0;
}

XC_EXPORT
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_max_vcpus, domid);

    op.u.max_vcpus.max = max;
    return xc__do_domctl(xch, &op);
}

XC_EXPORT
int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_pausedomain, domid);

    return xc__do_domctl(xch, &op);
}

XC_EXPORT
int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_unpausedomain, domid);

    return xc__do_domctl(xch, &op);
}

XC_EXPORT
int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_destroydomain, domid);

    return xc__do_domctl(xch, &op);
}

XC_EXPORT
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason)
{
    sched_remote_shutdown_t *arg;
    int rc;

    arg = xencall_alloc_buffer(xch->xcall, sizeof(*arg));
    if (!arg) {
        PERROR("cannot get a hypercall buffer for xc_domain_shutdown");
        return -1;
    }
    arg->domain_id = (domid_t)domid;
    arg->reason = reason;
    rc = xencall2(xch->xcall, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                  xc__arg(arg));
    xencall_free_buffer(xch->xcall, arg);
    return rc;
}

/* xc_dominfo_t from the raw record of domain @domid. */
static void dominfo_from(xc_dominfo_t *info, domid_t domid,
                         const xen_domctl_getdomaininfo_t *r)
{
    uint32_t f = r->flags;

    memset(info, 0, sizeof(*info));
    info->domid = domid;
    info->ssidref = r->ssidref;
    info->dying = !!(f & XEN_DOMINF_dying);
    info->shutdown = !!(f & XEN_DOMINF_shutdown);
    info->paused = !!(f & XEN_DOMINF_paused);
    info->blocked = !!(f & XEN_DOMINF_blocked);
    info->running = !!(f & XEN_DOMINF_running);
    info->hvm = !!(f & XEN_DOMINF_hvm_guest);
    info->debugged = !!(f & XEN_DOMINF_debugged);
    info->xenstore = !!(f & XEN_DOMINF_xs_domain);
    info->hap = !!(f & XEN_DOMINF_hap);
    info->shutdown_reason =
        (f >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    /* A crash is reported as crashed, not as shut down. */
    if (info->shutdown && info->shutdown_reason == SHUTDOWN_crash) {
        info->shutdown = 0;
        info->crashed = 1;
    }
    info->nr_pages = r->tot_pages;
    info->nr_outstanding_pages = r->outstanding_pages;
    info->nr_shared_pages = r->shr_pages;
    info->nr_paged_pages = r->paged_pages;
    info->max_memkb = r->max_pages << (XC_PAGE_SHIFT - 10);
    info->shared_info_frame = r->shared_info_frame;
    info->cpu_time = r->cpu_time;
    info->nr_online_vcpus = r->nr_online_vcpus;
    info->max_vcpu_id = r->max_vcpu_id;
    memcpy(info->handle, r->handle, sizeof(info->handle));
    info->cpupool = r->cpupool;
    info->gpaddr_bits = r->gpaddr_bits;
    info->arch_config = r->arch_config;
}

XC_EXPORT
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
                      unsigned int max_doms, xc_dominfo_t *info)
{
    uint32_t next = first_domid;
    unsigned int n;
    int rc = 0;

    for (n = 0; n < max_doms; n++) {
        struct xen_domctl op = domctl_for(XEN_DOMCTL_getdomaininfo, next);

        rc = xc__do_domctl(xch, &op);
        if (rc < 0)
            break;
        dominfo_from(&info[n], op.domain, &op.u.getdomaininfo);
        next = (uint32_t)op.domain + 1;
    }
    return n ? (int)n : rc;
}

XC_EXPORT
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
                          unsigned int max_domains, xc_domaininfo_t *info)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_getdomaininfolist};
    struct xc_bounce b;
    int rc;

    if (xc__bounce_pre(xch, &b, info, (size_t)max_domains * sizeof(*info),
                       XC_BOUNCE_OUT))
        return -1;
    op.u.getdomaininfolist.first_domain = (domid_t)first_domain;
    op.u.getdomaininfolist.max_domains = max_domains;
    set_xen_guest_handle(op.u.getdomaininfolist.buffer,
                         (xc_domaininfo_t *)b.hbuf);
    rc = xc__do_sysctl(xch, &op);
    xc__bounce_post(xch, &b);
    return rc < 0 ? rc : (int)op.u.getdomaininfolist.num_domains;
}

XC_EXPORT
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_max_mem, domid);

    op.u.max_mem.max_memkb = max_memkb;
    return xc__do_domctl(xch, &op);
}

XC_EXPORT
int xc_domain_set_time_offset(xc_interface *xch, uint32_t domid,
                              int32_t time_offset_seconds)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_settimeoffset, domid);

    op.u.settimeoffset.time_offset_seconds = time_offset_seconds;
    return xc__do_domctl(xch, &op);
}

XC_EXPORT
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                    xc_vcpuinfo_t *info)
{
    struct xen_domctl op = domctl_for(XEN_DOMCTL_getvcpuinfo, domid);
    int rc;

    op.u.getvcpuinfo.vcpu = vcpu;
    rc = xc__do_domctl(xch, &op);
    memcpy(info, &op.u.getvcpuinfo, sizeof(*info));
    return rc;
}

/*
 * set/getvcpuaffinity: both maps travel in hypercall buffers of the
 * full cpumap size; a NULL map is a NULL handle.
 */
static int vcpu_affinity(xc_interface *xch, uint32_t cmd, uint32_t domid,
                         int vcpu, xc_cpumap_t hard, xc_cpumap_t soft,
                         uint32_t flags, int dir)
{
    struct xen_domctl op = domctl_for(cmd, domid);
    struct xc_bounce bh = {0}, bs = {0};
    int size = xc_get_cpumap_size(xch), rc = -1;

    if (size <= 0) {
        PERROR("cannot get the cpumap size");
        return -1;
    }
    if (xc__bounce_pre(xch, &bh, hard, size, dir) ||
        xc__bounce_pre(xch, &bs, soft, size, dir))
        goto out;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.flags = flags;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap,
                         (uint8_t *)bh.hbuf);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = size * 8;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap,
                         (uint8_t *)bs.hbuf);
    op.u.vcpuaffinity.cpumap_soft.nr_bits = size * 8;
    rc = xc__do_domctl(xch, &op);
out:
    xc__bounce_post(xch, &bh);
    xc__bounce_post(xch, &bs);
    return rc;
}

XC_EXPORT
int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard_inout,
                        xc_cpumap_t cpumap_soft_inout, uint32_t flags)
{
    return vcpu_affinity(xch, XEN_DOMCTL_setvcpuaffinity, domid, vcpu,
                         cpumap_hard_inout, cpumap_soft_inout, flags,
                         XC_BOUNCE_BOTH);
}

XC_EXPORT
int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft,
                        uint32_t flags)
{
    return vcpu_affinity(xch, XEN_DOMCTL_getvcpuaffinity, domid, vcpu,
                         cpumap_hard, cpumap_soft, flags, XC_BOUNCE_OUT);
}

static int hvmcontext(xc_interface *xch, uint32_t cmd, uint32_t domid,
                      uint8_t *buf, uint32_t size, int dir)
{
    struct xen_domctl op = domctl_for(cmd, domid);
    struct xc_bounce b;
    int rc;

    if (xc__bounce_pre(xch, &b, buf, size, dir))
        return -1;
    op.u.hvmcontext.size = buf ? size : 0;
    set_xen_guest_handle(op.u.hvmcontext.buffer, (uint8_t *)b.hbuf);
    rc = xc__do_domctl(xch, &op);
    xc__bounce_post(xch, &b);
    return rc < 0 ? rc : (int)op.u.hvmcontext.size;
}

XC_EXPORT
int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid,
                             uint8_t *ctxt_buf, uint32_t size)
{
    return hvmcontext(xch, XEN_DOMCTL_gethvmcontext, domid, ctxt_buf, size,
                      XC_BOUNCE_OUT);
}

XC_EXPORT
int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid,
                             uint8_t *hvm_ctxt, uint32_t size)
{
    int rc = hvmcontext(xch, XEN_DOMCTL_sethvmcontext, domid, hvm_ctxt, size,
                        XC_BOUNCE_IN);

    return rc < 0 ? rc : 0;
}
