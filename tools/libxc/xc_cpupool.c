/*
 * libxenctrl: cpupools (XEN_SYSCTL_cpupool_op): create, destroy, list,
 * move pCPUs and domains between them.
 */
#include <stdlib.h>

#include "xc_private.h"

/* One cpupool_op; @map (cpumap size, may be NULL) receives the cpumap. */
static int pool_op(xc_interface *xch, struct xen_sysctl_cpupool_op *p,
                   xc_cpumap_t map)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_cpupool_op};
    struct xc_bounce b = {0};
    int size = map ? xc_get_cpumap_size(xch) : 0, rc;

    if (size < 0 || xc__bounce_pre(xch, &b, map, size, XC_BOUNCE_OUT))
        return -1;
    op.u.cpupool_op = *p;
    set_xen_guest_handle(op.u.cpupool_op.cpumap.bitmap, (uint8_t *)b.hbuf);
    op.u.cpupool_op.cpumap.nr_bits = size * 8;
    rc = xc__do_sysctl(xch, &op);
    xc__bounce_post(xch, &b);
    if (!rc)
        *p = op.u.cpupool_op;
    return rc;
}

XC_EXPORT
int xc_cpupool_create(xc_interface *xch, uint32_t *ppoolid, uint32_t sched_id)
{
    struct xen_sysctl_cpupool_op p = {
        .op = XEN_SYSCTL_CPUPOOL_OP_CREATE,
        .cpupool_id = *ppoolid == XC_CPUPOOL_POOLID_ANY
                          ? XEN_SYSCTL_CPUPOOL_PAR_ANY
                          : *ppoolid,
        .sched_id = sched_id,
    };
    int rc = pool_op(xch, &p, NULL);

    if (!rc)
        *ppoolid = p.cpupool_id;
    return rc;
}

XC_EXPORT
int xc_cpupool_destroy(xc_interface *xch, uint32_t poolid)
{
    struct xen_sysctl_cpupool_op p = {.op = XEN_SYSCTL_CPUPOOL_OP_DESTROY,
                                      .cpupool_id = poolid};

    return pool_op(xch, &p, NULL);
}

XC_EXPORT
xc_cpupoolinfo_t *xc_cpupool_getinfo(xc_interface *xch, uint32_t poolid)
{
    struct xen_sysctl_cpupool_op p = {.op = XEN_SYSCTL_CPUPOOL_OP_INFO,
                                      .cpupool_id = poolid};
    xc_cpupoolinfo_t *info = calloc(1, sizeof(*info));

    if (!info)
        return NULL;
    info->cpumap = xc_cpumap_alloc(xch);
    if (!info->cpumap || pool_op(xch, &p, info->cpumap)) {
        xc_cpupool_infofree(xch, info);
        return NULL;
    }
    info->cpupool_id = p.cpupool_id;
    info->sched_id = p.sched_id;
    info->n_dom = p.n_dom;
    return info;
}

XC_EXPORT
void xc_cpupool_infofree(xc_interface *xch, xc_cpupoolinfo_t *info)
{
    (void)xch;
    if (info)
        free(info->cpumap);
    free(info);
}

/* Add or remove @cpu (any free one / any of the pool's if negative). */
static int cpu_op(xc_interface *xch, uint32_t op, uint32_t poolid, int cpu)
{
    struct xen_sysctl_cpupool_op p = {
        .op = op,
        .cpupool_id = poolid,
        .cpu = cpu < 0 ? XEN_SYSCTL_CPUPOOL_PAR_ANY : (uint32_t)cpu,
    };

    return pool_op(xch, &p, NULL);
}

XC_EXPORT
int xc_cpupool_addcpu(xc_interface *xch, uint32_t poolid, int cpu)
{
    return cpu_op(xch, XEN_SYSCTL_CPUPOOL_OP_ADDCPU, poolid, cpu);
}

XC_EXPORT
int xc_cpupool_removecpu(xc_interface *xch, uint32_t poolid, int cpu)
{
    return cpu_op(xch, XEN_SYSCTL_CPUPOOL_OP_RMCPU, poolid, cpu);
}

XC_EXPORT
int xc_cpupool_movedomain(xc_interface *xch, uint32_t poolid, uint32_t domid)
{
    struct xen_sysctl_cpupool_op p = {.op = XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN,
                                      .cpupool_id = poolid,
                                      .domid = domid};

    return pool_op(xch, &p, NULL);
}

XC_EXPORT
xc_cpumap_t xc_cpupool_freeinfo(xc_interface *xch)
{
    struct xen_sysctl_cpupool_op p = {.op = XEN_SYSCTL_CPUPOOL_OP_FREEINFO};
    xc_cpumap_t map = xc_cpumap_alloc(xch);

    if (map && pool_op(xch, &p, map)) {
        free(map);
        map = NULL;
    }
    return map;
}
