/*
 * libxenctrl: the host (physinfo, version, console ring, scheduler),
 * CPU maps, event channels, HVM parameters and the compatibility
 * foreign-mapping calls.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <stdlib.h>
#include <string.h>

#include <xen/hvm/hvm_op.h>

#include "xc_private.h"

XC_EXPORT
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};
    int rc;

    op.u.physinfo = *info;
    rc = xc__do_sysctl(xch, &op);
    if (!rc)
        *info = op.u.physinfo;
    return rc;
}

XC_EXPORT
int xc_sched_id(xc_interface *xch, int *sched_id)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_sched_id};
    int rc = xc__do_sysctl(xch, &op);

    if (!rc)
        *sched_id = op.u.sched_id.sched_id;
    return rc;
}

XC_EXPORT
int xc_get_max_cpus(xc_interface *xch)
{
    xc_physinfo_t info = {0};

    if (xch->max_cpus)
        return xch->max_cpus;
    if (xc_physinfo(xch, &info))
        return -1;
    xch->max_cpus = info.max_cpu_id + 1;
    return xch->max_cpus;
}

XC_EXPORT
int xc_get_online_cpus(xc_interface *xch)
{
    xc_physinfo_t info = {0};

    return xc_physinfo(xch, &info) ? -1 : (int)info.nr_cpus;
}

XC_EXPORT
int xc_get_cpumap_size(xc_interface *xch)
{
    int max = xc_get_max_cpus(xch);

    return max < 0 ? -1 : (max + 7) / 8;
}

XC_EXPORT
xc_cpumap_t xc_cpumap_alloc(xc_interface *xch)
{
    int size = xc_get_cpumap_size(xch);

    return size > 0 ? calloc(1, size) : NULL;
}

XC_EXPORT
void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map)
{
    map[cpu / 8] &= ~(1U << (cpu % 8));
}

XC_EXPORT
void xc_cpumap_setcpu(int cpu, xc_cpumap_t map)
{
    map[cpu / 8] |= 1U << (cpu % 8);
}

XC_EXPORT
int xc_cpumap_testcpu(int cpu, xc_cpumap_t map)
{
    return !!(map[cpu / 8] & (1U << (cpu % 8)));
}

/* How many bytes XENVER_@cmd reads or writes at its argument, and how. */
static int version_arg(int cmd, void *arg, size_t *len, int *dir)
{
    *dir = XC_BOUNCE_OUT;
    switch (cmd) {
    case XENVER_version:
    case XENVER_pagesize:
        *len = 0;
        return 0;
    case XENVER_extraversion:
        *len = sizeof(xen_extraversion_t);
        return 0;
    case XENVER_compile_info:
        *len = sizeof(xen_compile_info_t);
        return 0;
    case XENVER_capabilities:
        *len = sizeof(xen_capabilities_info_t);
        return 0;
    case XENVER_changeset:
        *len = sizeof(xen_changeset_info_t);
        return 0;
    case XENVER_platform_parameters:
        *len = sizeof(xen_platform_parameters_t);
        return 0;
    case XENVER_get_features:
        /* submap_idx goes in. */
        *len = sizeof(xen_feature_info_t);
        *dir = XC_BOUNCE_BOTH;
        return 0;
    case XENVER_guest_handle:
        *len = sizeof(xen_domain_handle_t);
        return 0;
    case XENVER_commandline:
        *len = sizeof(xen_commandline_t);
        return 0;
    case XENVER_build_id:
        /* len goes in: the room for the id after the header. */
        *len = sizeof(xen_build_id_t) + ((xen_build_id_t *)arg)->len;
        *dir = XC_BOUNCE_BOTH;
        return 0;
    }
    return -1;
}

XC_EXPORT
int xc_version(xc_interface *xch, int cmd, void *arg)
{
    struct xc_bounce b;
    size_t len;
    int dir, rc;

    if (version_arg(cmd, arg, &len, &dir)) {
        ERROR("xc_version: unknown command %d", cmd);
        errno = EINVAL;
        return -1;
    }
    if (xc__bounce_pre(xch, &b, len ? arg : NULL, len, dir))
        return -1;
    rc = xencall2(xch->xcall, __HYPERVISOR_xen_version, cmd, xc__arg(b.hbuf));
    xc__bounce_post(xch, &b);
    return rc;
}

XC_EXPORT
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
                       int clear, int incremental, uint32_t *pindex)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
    struct xc_bounce b;
    int rc;

    if (xc__bounce_pre(xch, &b, buffer, *pnr_chars, XC_BOUNCE_OUT))
        return -1;
    set_xen_guest_handle(op.u.readconsole.buffer, (char *)b.hbuf);
    op.u.readconsole.count = *pnr_chars;
    op.u.readconsole.clear = !!clear;
    if (pindex) {
        op.u.readconsole.index = *pindex;
        op.u.readconsole.incremental = !!incremental;
    }
    rc = xc__do_sysctl(xch, &op);
    if (!rc) {
        *pnr_chars = op.u.readconsole.count;
        if (pindex)
            *pindex = op.u.readconsole.index;
    }
    xc__bounce_post(xch, &b);
    return rc;
}

static int evtchn_op(xc_interface *xch, int cmd, void *arg, size_t len)
{
    struct xc_bounce b;
    int rc;

    if (xc__bounce_pre(xch, &b, arg, len, XC_BOUNCE_BOTH))
        return -1;
    rc = xencall2(xch->xcall, __HYPERVISOR_event_channel_op, cmd,
                  xc__arg(b.hbuf));
    xc__bounce_post(xch, &b);
    return rc;
}

XC_EXPORT
xc_evtchn_port_or_error_t
xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom)
{
    struct evtchn_alloc_unbound a = {
        .dom = (domid_t)dom,
        .remote_dom = (domid_t)remote_dom,
    };
    int rc = evtchn_op(xch, EVTCHNOP_alloc_unbound, &a, sizeof(a));

    return rc ? rc : (int)a.port;
}

XC_EXPORT
int xc_evtchn_reset(xc_interface *xch, uint32_t dom)
{
    struct evtchn_reset r = {.dom = (domid_t)dom};

    return evtchn_op(xch, EVTCHNOP_reset, &r, sizeof(r));
}

static int hvm_param(xc_interface *xch, int op, uint32_t dom, uint32_t param,
                     uint64_t *value)
{
    struct xen_hvm_param *arg;
    int rc;

    arg = xencall_alloc_buffer(xch->xcall, sizeof(*arg));
    if (!arg) {
        PERROR("cannot get a hypercall buffer for HVM param %u", param);
        return -1;
    }
    arg->domid = (domid_t)dom;
    arg->index = param;
    arg->value = *value;
    rc = xencall2(xch->xcall, __HYPERVISOR_hvm_op, op, xc__arg(arg));
    if (!rc)
        *value = arg->value;
    xencall_free_buffer(xch->xcall, arg);
    return rc;
}

XC_EXPORT
int xc_hvm_param_set(xc_interface *handle, uint32_t dom, uint32_t param,
                     uint64_t value)
{
    return hvm_param(handle, HVMOP_set_param, dom, param, &value);
}

XC_EXPORT
int xc_hvm_param_get(xc_interface *handle, uint32_t dom, uint32_t param,
                     uint64_t *value)
{
    *value = 0;
    return hvm_param(handle, HVMOP_get_param, dom, param, value);
}

XC_EXPORT
int xc_set_hvm_param(xc_interface *handle, uint32_t dom, int param,
                     unsigned long value)
{
    return xc_hvm_param_set(handle, dom, param, value);
}

XC_EXPORT
int xc_get_hvm_param(xc_interface *handle, uint32_t dom, int param,
                     unsigned long *value)
{
    uint64_t v;
    int rc = xc_hvm_param_get(handle, dom, param, &v);

    if (!rc)
        *value = v;
    return rc;
}

XC_EXPORT
void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
                           const xen_pfn_t *arr, int num)
{
    if (num < 0) {
        errno = EINVAL;
        return NULL;
    }
    return xenforeignmemory_map(xch->fmem, dom, prot, num, arr, NULL);
}

XC_EXPORT
void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot,
                           unsigned long mfn)
{
    xen_pfn_t *arr;
    void *p;
    int num, i;

    if (size < 0) {
        errno = EINVAL;
        return NULL;
    }
    num = (int)(((unsigned long)size + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT);
    arr = calloc(num ? num : 1, sizeof(*arr));
    if (!arr)
        return NULL;
    for (i = 0; i < num; i++)
        arr[i] = mfn + i;
    p = xc_map_foreign_pages(xch, dom, prot, arr, num);
    free(arr);
    return p;
}

XC_EXPORT
void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot,
                          const xen_pfn_t *arr, int *err, unsigned int num)
{
    return xenforeignmemory_map(xch->fmem, dom, prot, num, arr, err);
}
