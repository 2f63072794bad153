/*
 * Helpers shared by the event-channel and grant-table guest tests:
 * EVTCHNOP wrappers and a 2-level upcall handler that records which
 * ports fired. Header-only so that each test stays one C file.
 */
#ifndef EVTCHN_UTIL_H
#define EVTCHN_UTIL_H

#include "guest.h"

#define EVT_VECTOR 0xf3
#define EVT_TRACKED 256
/* Bits per word of the 2-level bitmaps: 64, or 32 for 32-bit guests. */
#define EVT_WORD_BITS (sizeof(xen_ulong_t) * 8)
/* Ports the 2-level ABI gives this guest: 4096, or 1024 for 32-bit. */
#define EVT_NR_PORTS (EVT_WORD_BITS * EVT_WORD_BITS)

static struct shared_info *evt_si __attribute__((unused));
/* How often each port was seen by the upcall handler. */
static volatile unsigned int evt_hits[EVT_TRACKED] __attribute__((unused));
static volatile unsigned int evt_upcalls __attribute__((unused));

static inline long evt_op(int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, arg);
}

/* Port, or -errno. */
static inline long evt_alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
    long rc = evt_op(EVTCHNOP_alloc_unbound, &a);

    return rc ? rc : (long)a.port;
}

static inline long evt_bind_interdomain(domid_t remote, evtchn_port_t rport)
{
    struct evtchn_bind_interdomain b = {.remote_dom = remote,
                                        .remote_port = rport};
    long rc = evt_op(EVTCHNOP_bind_interdomain, &b);

    return rc ? rc : (long)b.local_port;
}

static inline long evt_bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
    long rc = evt_op(EVTCHNOP_bind_virq, &b);

    return rc ? rc : (long)b.port;
}

static inline long evt_bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi b = {.vcpu = vcpu};
    long rc = evt_op(EVTCHNOP_bind_ipi, &b);

    return rc ? rc : (long)b.port;
}

static inline long evt_port_op(int cmd, evtchn_port_t port)
{
    struct evtchn_send s = {.port = port};

    return evt_op(cmd, &s);
}

#define evt_send(p) evt_port_op(EVTCHNOP_send, (p))
#define evt_close(p) evt_port_op(EVTCHNOP_close, (p))
#define evt_unmask(p) evt_port_op(EVTCHNOP_unmask, (p))

static inline long evt_status(domid_t dom, evtchn_port_t port,
                       struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return evt_op(EVTCHNOP_status, st);
}

static inline long evt_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

    return evt_op(EVTCHNOP_bind_vcpu, &b);
}

static inline long evt_reset(domid_t dom)
{
    struct evtchn_reset r = {.dom = dom};

    return evt_op(EVTCHNOP_reset, &r);
}

/* The 2-level bitmaps, seen from the guest. */
static inline xen_ulong_t evt_bit(evtchn_port_t port)
{
    return (xen_ulong_t)1 << (port % EVT_WORD_BITS);
}

static inline bool evt_is_pending(evtchn_port_t port)
{
    return ACCESS_ONCE(evt_si->evtchn_pending[port / EVT_WORD_BITS]) &
           evt_bit(port);
}

static inline bool evt_is_masked(evtchn_port_t port)
{
    return ACCESS_ONCE(evt_si->evtchn_mask[port / EVT_WORD_BITS]) &
           evt_bit(port);
}

static inline void evt_set_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&evt_si->evtchn_mask[port / EVT_WORD_BITS],
                      evt_bit(port), __ATOMIC_SEQ_CST);
}

static inline void evt_clear_mask(evtchn_port_t port)
{
    __atomic_fetch_and(&evt_si->evtchn_mask[port / EVT_WORD_BITS],
                       ~evt_bit(port), __ATOMIC_SEQ_CST);
}

static inline void evt_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(&evt_si->evtchn_pending[port / EVT_WORD_BITS],
                       ~evt_bit(port), __ATOMIC_SEQ_CST);
}

/* The upcall: consume every pending, unmasked port (2-level scan). */
static inline void evt_handler(struct cpu_regs *regs)
{
    struct vcpu_info *vi = &evt_si->vcpu_info[0];
    xen_ulong_t sel;

    (void)regs;
    evt_upcalls++;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    for (unsigned int w = 0; sel; w++, sel >>= 1) {
        xen_ulong_t bits;

        if (!(sel & 1))
            continue;
        bits = ACCESS_ONCE(evt_si->evtchn_pending[w]) &
               ~ACCESS_ONCE(evt_si->evtchn_mask[w]);
        for (unsigned int b = 0; bits; b++, bits >>= 1) {
            evtchn_port_t port = w * EVT_WORD_BITS + b;

            if (!(bits & 1))
                continue;
            evt_clear_pending(port);
            if (port < EVT_TRACKED)
                evt_hits[port]++;
        }
    }
}

/*
 * Map shared_info and route upcalls to evt_handler. Returns 0, or the
 * error of the hypercall that is missing (the caller decides to skip).
 */
static inline int evt_setup(void)
{
    int rc;

    evt_si = map_shared_info(&rc);
    if (!evt_si)
        return rc;
    set_irq_handler(EVT_VECTOR, evt_handler);
    return upcall_via_callback_irq(EVT_VECTOR);
}

/* Block until the handler has seen port fire more than `before` times. */
static inline void evt_wait(evtchn_port_t port, unsigned int before)
{
    while (evt_hits[port] <= before)
        wait_for_event();
}

/* Let a pending upcall in, if any. */
static inline void evt_irq_window(void)
{
    asm volatile("sti; nop; nop; cli" ::: "memory");
}

#endif
