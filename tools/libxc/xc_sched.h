/*
 * The scheduler parameter calls shared by the credit and credit2
 * wrappers (xc_csched.c, xc_csched2.c). Hidden, like xc_private.h.
 */
#ifndef XC_SCHED_H
#define XC_SCHED_H

#include "xc_private.h"

/*
 * XEN_DOMCTL_scheduler_op @cmd for @domid under @sched_id: @params (the
 * union member, @len bytes) goes in, and comes back on getinfo.
 */
int xc__sched_domain_op(xc_interface *xch, uint32_t domid, uint32_t sched_id,
                        uint32_t cmd, void *params, size_t len);
/* XEN_SYSCTL_scheduler_op, the same for a pool's parameters. */
int xc__sched_pool_op(xc_interface *xch, uint32_t cpupool_id, uint32_t sched_id,
                      uint32_t cmd, void *params, size_t len);

#endif
