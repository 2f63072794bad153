/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_sched_op(cmd, arg): yield, block, shutdown, poll.
 */
#ifndef __XEN_PUBLIC_SCHED_H__
#define __XEN_PUBLIC_SCHED_H__

#include "event_channel.h"

/* Give up the CPU; stay runnable.  arg == NULL. */
#define SCHEDOP_yield           0

/* Sleep until an event is pending (clears the upcall mask).  arg == NULL. */
#define SCHEDOP_block           1

/* Stop the calling domain.  arg == sched_shutdown_t. */
#define SCHEDOP_shutdown        2

/* Sleep until one of the ports is pending or the timeout passes.  arg == sched_poll_t. */
#define SCHEDOP_poll            3

/* Stop another domain (privileged).  arg == sched_remote_shutdown_t. */
#define SCHEDOP_remote_shutdown 4

/* Record a shutdown reason without stopping.  arg == sched_shutdown_t. */
#define SCHEDOP_shutdown_code   5

/* Create/feed/destroy a domain watchdog.  arg == sched_watchdog_t. */
#define SCHEDOP_watchdog        6

/* Temporarily pin the vCPU to a pCPU (hardware domain).  arg == sched_pin_override_t. */
#define SCHEDOP_pin_override    7

struct sched_shutdown {
    unsigned int reason;        /* IN: SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;  /* IN: ports to wait on */
    unsigned int nr_ports;                  /* IN: number of ports */
    uint64_t timeout;                       /* IN: absolute system time (ns), 0 = none */
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;          /* IN: domain to stop */
    unsigned int reason;        /* IN: SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

struct sched_watchdog {
    uint32_t id;                /* IN: 0 = create (OUT: new id), else existing id */
    uint32_t timeout;           /* IN: seconds; 0 destroys the watchdog */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;               /* IN: pCPU, or -1 to undo */
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

/* Shutdown reasons. */
#define SHUTDOWN_poweroff   0   /* domain exited normally */
#define SHUTDOWN_reboot     1   /* restart the domain */
#define SHUTDOWN_suspend    2   /* suspended; state may be saved */
#define SHUTDOWN_crash      3   /* domain crashed */
#define SHUTDOWN_watchdog   4   /* watchdog expired */
#define SHUTDOWN_soft_reset 5   /* reset state, keep memory */
#define SHUTDOWN_MAX        5

#endif /* __XEN_PUBLIC_SCHED_H__ */
