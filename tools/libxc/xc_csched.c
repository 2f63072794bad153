/*
 * libxenctrl: the credit scheduler's parameters, per domain (weight,
 * cap) and per pool (time slice, ratelimit, migration delay); and the
 * scheduler_op calls credit2 shares.
 */
#include <string.h>

#include "xc_sched.h"

int xc__sched_domain_op(xc_interface *xch, uint32_t domid, uint32_t sched_id,
                        uint32_t cmd, void *params, size_t len)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_scheduler_op,
                            .domain = (domid_t)domid};
    int rc;

    op.u.scheduler_op.sched_id = sched_id;
    op.u.scheduler_op.cmd = cmd;
    memcpy(&op.u.scheduler_op.u, params, len);
    rc = xc__do_domctl(xch, &op);
    if (!rc && cmd == XEN_DOMCTL_SCHEDOP_getinfo)
        memcpy(params, &op.u.scheduler_op.u, len);
    return rc;
}

int xc__sched_pool_op(xc_interface *xch, uint32_t cpupool_id, uint32_t sched_id,
                      uint32_t cmd, void *params, size_t len)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_scheduler_op};
    int rc;

    op.u.scheduler_op.cpupool_id = cpupool_id;
    op.u.scheduler_op.sched_id = sched_id;
    op.u.scheduler_op.cmd = cmd;
    memcpy(&op.u.scheduler_op.u, params, len);
    rc = xc__do_sysctl(xch, &op);
    if (!rc && cmd == XEN_SYSCTL_SCHEDOP_getinfo)
        memcpy(params, &op.u.scheduler_op.u, len);
    return rc;
}

XC_EXPORT
int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
                               struct xen_domctl_sched_credit *sdom)
{
    return xc__sched_domain_op(xch, domid, XEN_SCHEDULER_CREDIT,
                               XEN_DOMCTL_SCHEDOP_putinfo, sdom, sizeof(*sdom));
}

XC_EXPORT
int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
                               struct xen_domctl_sched_credit *sdom)
{
    return xc__sched_domain_op(xch, domid, XEN_SCHEDULER_CREDIT,
                               XEN_DOMCTL_SCHEDOP_getinfo, sdom, sizeof(*sdom));
}

XC_EXPORT
int xc_sched_credit_params_set(xc_interface *xch, uint32_t cpupool_id,
                               struct xen_sysctl_credit_schedule *schedule)
{
    return xc__sched_pool_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT,
                             XEN_SYSCTL_SCHEDOP_putinfo, schedule,
                             sizeof(*schedule));
}

XC_EXPORT
int xc_sched_credit_params_get(xc_interface *xch, uint32_t cpupool_id,
                               struct xen_sysctl_credit_schedule *schedule)
{
    return xc__sched_pool_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT,
                             XEN_SYSCTL_SCHEDOP_getinfo, schedule,
                             sizeof(*schedule));
}
