/*
 * Helpers shared by the event-channel and grant-table guest tests:
 * EVTCHNOP wrappers, a 2-level upcall handler that records which ports
 * fired, the two-domain set-up, and GNTTABOP wrappers. Header-only so
 * that each test stays one C file.
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

static inline void evt_hit(evtchn_port_t port)
{
    if (port < EVT_TRACKED)
        evt_hits[port]++;
}

/* The upcall: consume every pending, unmasked port (2-level scan). */
static inline void evt_handler(struct cpu_regs *regs)
{
    (void)regs;
    evt_upcalls++;
    evtchn_scan(evt_si, &evt_si->vcpu_info[0], evt_hit);
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

/*
 * Bind to remote's port rport once remote has allocated it: retries for
 * about 10 s while the bind fails with -EINVAL. The port, or -errno.
 */
static inline long evt_bind_interdomain_wait(domid_t remote,
                                             evtchn_port_t rport)
{
    long port = -EINVAL;

    for (unsigned int tries = 0; port == -EINVAL && tries < 10000; tries++) {
        port = evt_bind_interdomain(remote, rport);
        if (port == -EINVAL)
            udelay(1000);
    }
    return port;
}

/*
 * Two-domain tests: run fn1 if the command line says role1 (domain 1
 * must run it), fn2 if it says role2 (domain 2), after evt_setup().
 */
static inline void evt_run_role(const char *role1, void (*fn1)(void),
                                const char *role2, void (*fn2)(void))
{
    check_eq(evt_setup(), 0);
    if (cmdline_has(role1)) {
        check_eq(cpuid_domid(), 1);
        fn1();
    } else if (cmdline_has(role2)) {
        check_eq(cpuid_domid(), 2);
        fn2();
    } else {
        fail("cmdline must say %s or %s", role1, role2);
    }
}

/* ---- Grant tables ---- */

static inline long gnt_op(unsigned int cmd, void *arg, unsigned int count)
{
    return HYPERVISOR_grant_table_op(cmd, arg, count);
}

/* The frame of one of our pages (identity mapped). */
static inline xen_pfn_t pfn_of(const void *p)
{
    return (unsigned long)p >> 12;
}

/* One map op (status preset to 99); returns its status. */
static inline int16_t gnt_map(grant_ref_t ref, domid_t dom, uint64_t gfn,
                              uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = gfn << 12,
        .flags = flags,
        .ref = ref,
        .dom = dom,
        .status = 99,
    };

    check_eq(gnt_op(GNTTABOP_map_grant_ref, &m, 1), 0);
    if (handle)
        *handle = m.handle;
    return m.status;
}

/* One unmap op; returns its status. */
static inline int16_t gnt_unmap(grant_handle_t handle, uint64_t gfn,
                                uint64_t bus)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = gfn << 12,
        .dev_bus_addr = bus,
        .handle = handle,
        .status = 99,
    };

    check_eq(gnt_op(GNTTABOP_unmap_grant_ref, &u, 1), 0);
    return u.status;
}

/*
 * One copy op; src and dst are grant references where flags has
 * GNTCOPY_source_gref or GNTCOPY_dest_gref, else frames. Its status.
 */
static inline int16_t gnt_copy(uint16_t flags, uint64_t src, domid_t sdom,
                               uint16_t soff, uint64_t dst, domid_t ddom,
                               uint16_t doff, uint16_t len)
{
    struct gnttab_copy c = {
        .source = {.domid = sdom, .offset = soff},
        .dest = {.domid = ddom, .offset = doff},
        .len = len,
        .flags = flags,
        .status = 99,
    };

    if (flags & GNTCOPY_source_gref)
        c.source.u.ref = src;
    else
        c.source.u.gmfn = src;
    if (flags & GNTCOPY_dest_gref)
        c.dest.u.ref = dst;
    else
        c.dest.u.gmfn = dst;
    check_eq(gnt_op(GNTTABOP_copy, &c, 1), 0);
    return c.status;
}

#endif
