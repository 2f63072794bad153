/*
 * libxenctrl: the credit2 scheduler's parameters, per domain (weight,
 * cap) and per pool (ratelimit).
 */
#include "xc_sched.h"

XC_EXPORT
int xc_sched_credit2_domain_set(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom)
{
    return xc__sched_domain_op(xch, domid, XEN_SCHEDULER_CREDIT2,
                               XEN_DOMCTL_SCHEDOP_putinfo, sdom, sizeof(*sdom));
}

XC_EXPORT
int xc_sched_credit2_domain_get(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom)
{
    return xc__sched_domain_op(xch, domid, XEN_SCHEDULER_CREDIT2,
                               XEN_DOMCTL_SCHEDOP_getinfo, sdom, sizeof(*sdom));
}

XC_EXPORT
int xc_sched_credit2_params_set(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule)
{
    return xc__sched_pool_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT2,
                             XEN_SYSCTL_SCHEDOP_putinfo, schedule,
                             sizeof(*schedule));
}

XC_EXPORT
int xc_sched_credit2_params_get(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule)
{
    return xc__sched_pool_op(xch, cpupool_id, XEN_SCHEDULER_CREDIT2,
                             XEN_SYSCTL_SCHEDOP_getinfo, schedule,
                             sizeof(*schedule));
}
