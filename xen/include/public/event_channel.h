/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_event_channel_op(cmd, arg): event channels.
 * Port numbers are per domain; evtchn_port_t and domid_t come from xen.h.
 */
#ifndef __XEN_PUBLIC_EVENT_CHANNEL_H__
#define __XEN_PUBLIC_EVENT_CHANNEL_H__

#include "xen.h"

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset           10
#define EVTCHNOP_init_control    11
#define EVTCHNOP_expand_array    12
#define EVTCHNOP_set_priority    13
#define EVTCHNOP_reset_cont      14 /* hypervisor-internal; guests must not use */

/* Allocate a port in <dom> that <remote_dom> may later bind to. */
struct evtchn_alloc_unbound {
    domid_t dom;                /* IN: owner, usually DOMID_SELF */
    domid_t remote_dom;         /* IN: domain allowed to connect */
    evtchn_port_t port;         /* OUT: new port */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/* Connect a new local port to an unbound port of <remote_dom>. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;         /* IN */
    evtchn_port_t remote_port;  /* IN */
    evtchn_port_t local_port;   /* OUT */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/* Bind a VIRQ_* on a vCPU to a new port. */
struct evtchn_bind_virq {
    uint32_t virq;              /* IN: VIRQ_* */
    uint32_t vcpu;              /* IN: vCPU to notify */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/* Bind a physical IRQ to a new port. */
struct evtchn_bind_pirq {
    uint32_t pirq;              /* IN */
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;             /* IN: BIND_PIRQ__* */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/* New port for IPIs to a vCPU of the same domain. */
struct evtchn_bind_ipi {
    uint32_t vcpu;              /* IN */
    evtchn_port_t port;         /* OUT */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/* Close a port (the remote end becomes unbound). */
struct evtchn_close {
    evtchn_port_t port;         /* IN */
};
typedef struct evtchn_close evtchn_close_t;

/* Signal the remote end of a port. */
struct evtchn_send {
    evtchn_port_t port;         /* IN */
};
typedef struct evtchn_send evtchn_send_t;

/* Query a port's state. */
struct evtchn_status {
    domid_t dom;                /* IN: owner */
    evtchn_port_t port;         /* IN */
#define EVTCHNSTAT_closed       0 /* free */
#define EVTCHNSTAT_unbound      1 /* waiting for a remote bind */
#define EVTCHNSTAT_interdomain  2 /* connected to another domain */
#define EVTCHNSTAT_pirq         3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq         4 /* bound to a VIRQ */
#define EVTCHNSTAT_ipi          5 /* IPI */
    uint32_t status;            /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;              /* OUT: vCPU notified */
    union {
        struct {
            domid_t dom;        /* OUT: allowed remote domain */
        } unbound;
        struct {
            domid_t dom;        /* OUT: remote domain */
            evtchn_port_t port; /* OUT: remote port */
        } interdomain;
        uint32_t pirq;          /* OUT */
        uint32_t virq;          /* OUT */
    } u;
};
typedef struct evtchn_status evtchn_status_t;

/* Change the vCPU notified for a port (interdomain, pirq, global virq). */
struct evtchn_bind_vcpu {
    evtchn_port_t port;         /* IN */
    uint32_t vcpu;              /* IN */
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/* Unmask a port, delivering it if pending. */
struct evtchn_unmask {
    evtchn_port_t port;         /* IN */
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* Close all ports of a domain and return to the 2-level ABI. */
struct evtchn_reset {
    domid_t dom;                /* IN: usually DOMID_SELF */
};
typedef struct evtchn_reset evtchn_reset_t;

/* FIFO ABI: register a vCPU's control block (switches the domain to FIFO). */
struct evtchn_init_control {
    uint64_t control_gfn;       /* IN: frame holding the control block */
    uint32_t offset;            /* IN: byte offset within the frame */
    uint32_t vcpu;              /* IN */
    uint8_t  link_bits;         /* OUT: EVTCHN_FIFO_LINK_BITS */
    uint8_t  _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/* FIFO ABI: add one page of event words. */
struct evtchn_expand_array {
    uint64_t array_gfn;         /* IN */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

/* FIFO ABI: set a port's queue priority. */
struct evtchn_set_priority {
    evtchn_port_t port;         /* IN */
    uint32_t priority;          /* IN: EVTCHN_FIFO_PRIORITY_* range */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* Argument of the old __HYPERVISOR_event_channel_op_compat (16). */
struct evtchn_op {
    uint32_t cmd;               /* IN: EVTCHNOP_* */
    union {
        evtchn_alloc_unbound_t    alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t        bind_virq;
        evtchn_bind_pirq_t        bind_pirq;
        evtchn_bind_ipi_t         bind_ipi;
        evtchn_close_t            close;
        evtchn_send_t             send;
        evtchn_status_t           status;
        evtchn_bind_vcpu_t        bind_vcpu;
        evtchn_unmask_t           unmask;
    } u;                        /* IN/OUT */
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);

/* 2-level ABI: ports addressable through shared_info bitmaps (4096 on x86-64, 1024 on 32-bit). */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI shared structures. */
typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28

#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)

#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15

#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

struct evtchn_fifo_control_block {
    uint32_t     ready;         /* OUT: bit per queue with new events */
    uint32_t     _rsvd;
    event_word_t head[EVTCHN_FIFO_MAX_QUEUES]; /* IN/OUT: queue heads */
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;

#endif /* __XEN_PUBLIC_EVENT_CHANNEL_H__ */
