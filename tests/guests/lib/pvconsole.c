/*
 * A PV console frontend on the ring page (see pvconsole.h). Written for
 * tests: one vCPU, no interrupts, polling with a timeout.
 */
#include "pvconsole.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static volatile struct xencons_interface *ring;
static struct shared_info *shinfo;
static evtchn_port_t port;

int pvcons_init(void)
{
    struct xen_hvm_param pfn = {.domid = DOMID_SELF,
                                .index = HVM_PARAM_CONSOLE_PFN};
    struct xen_hvm_param evtchn = {.domid = DOMID_SELF,
                                   .index = HVM_PARAM_CONSOLE_EVTCHN};
    long rc;

    if (ring)
        return 0;
    rc = HYPERVISOR_hvm_op(HVMOP_get_param, &pfn);
    if (!rc)
        rc = HYPERVISOR_hvm_op(HVMOP_get_param, &evtchn);
    if (rc)
        return rc;
    if (!pfn.value || pfn.value >= (1ULL << 20) || !evtchn.value ||
        evtchn.value >= 1024)
        return -ENODEV;
    shinfo = map_shared_info(&(int){0});
    if (!shinfo)
        return -ENOMEM;
    port = evtchn.value;
    __atomic_fetch_or(&shinfo->evtchn_mask[port / BITS_PER_WORD],
                      (xen_ulong_t)1 << (port % BITS_PER_WORD),
                      __ATOMIC_SEQ_CST);
    ring = (volatile struct xencons_interface *)(uintptr_t)(pfn.value << 12);
    return 0;
}

volatile struct xencons_interface *pvcons_ring(void)
{
    return ring;
}

void pvcons_notify(void)
{
    struct evtchn_send s = {.port = port};

    HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

void pvcons_wait(uint64_t timeout_ns)
{
    evtchn_port_t ports[1] = {port};
    struct sched_poll poll = {.nr_ports = 1};
    xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS_PER_WORD);

    set_xen_guest_handle(poll.ports, ports);
    poll.timeout = system_time_ns() + timeout_ns;
    HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    __atomic_fetch_and(&shinfo->evtchn_pending[port / BITS_PER_WORD], ~bit,
                       __ATOMIC_SEQ_CST);
}

void pvcons_write(const char *s, size_t len)
{
    while (len) {
        uint32_t cons = ACCESS_ONCE(ring->out_cons);
        uint32_t prod = ACCESS_ONCE(ring->out_prod);
        uint32_t room = sizeof(ring->out) - (prod - cons);

        if (room > sizeof(ring->out))
            fail("console: out indices %u/%u", cons, prod);
        if (!room) {
            pvcons_notify();
            pvcons_wait(100000000ULL);
            continue;
        }
        for (; room && len; room--, len--)
            ring->out[MASK_XENCONS_IDX(prod++, ring->out)] = *s++;
        /* The bytes before the index that publishes them. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ACCESS_ONCE(ring->out_prod) = prod;
    }
    pvcons_notify();
}

void pvcons_puts(const char *s)
{
    pvcons_write(s, strlen(s));
}

int pvcons_getc(uint64_t timeout_ns)
{
    uint64_t end = system_time_ns() + timeout_ns;

    for (;;) {
        uint32_t cons = ACCESS_ONCE(ring->in_cons);
        uint32_t prod = ACCESS_ONCE(ring->in_prod);
        char c;

        if (prod - cons > sizeof(ring->in))
            fail("console: in indices %u/%u", cons, prod);
        if (prod != cons) {
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            c = ring->in[MASK_XENCONS_IDX(cons, ring->in)];
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            ACCESS_ONCE(ring->in_cons) = cons + 1;
            /* The backend may be waiting for room. */
            pvcons_notify();
            return (unsigned char)c;
        }
        if (system_time_ns() >= end)
            return -1;
        pvcons_wait(end - system_time_ns());
    }
}
