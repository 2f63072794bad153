/*
 * The PV rings the toolstack's builder gives a domain (xenstore, console):
 * the page and the port from two HVM params. The kit keeps such ports
 * masked and waits for them with SCHEDOP_poll, one vCPU, no upcalls.
 */
#include "guest.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

int pv_ring_init(struct pv_ring *r, uint32_t pfn_param, uint32_t port_param)
{
    struct xen_hvm_param pfn = {.domid = DOMID_SELF, .index = pfn_param};
    struct xen_hvm_param evtchn = {.domid = DOMID_SELF, .index = port_param};
    struct shared_info *si;
    long rc;
    int err = 0;

    rc = HYPERVISOR_hvm_op(HVMOP_get_param, &pfn);
    if (!rc)
        rc = HYPERVISOR_hvm_op(HVMOP_get_param, &evtchn);
    if (rc)
        return rc;
    if (!pfn.value || pfn.value >= (1ULL << 20) || !evtchn.value ||
        evtchn.value >= 1024)
        return -ENODEV;
    si = map_shared_info(&err);
    if (!si)
        return err ? err : -ENOMEM;
    r->port = evtchn.value;
    __atomic_fetch_or(&si->evtchn_mask[r->port / BITS_PER_WORD],
                      (xen_ulong_t)1 << (r->port % BITS_PER_WORD),
                      __ATOMIC_SEQ_CST);
    r->page = (void *)(uintptr_t)(pfn.value << 12);
    return 0;
}

void pv_ring_wait(const struct pv_ring *r, uint64_t timeout_ns)
{
    struct shared_info *si = map_shared_info(NULL);
    evtchn_port_t ports[1] = {r->port};
    struct sched_poll poll = {.nr_ports = 1};
    xen_ulong_t bit = (xen_ulong_t)1 << (r->port % BITS_PER_WORD);

    set_xen_guest_handle(poll.ports, ports);
    poll.timeout = system_time_ns() + timeout_ns;
    HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    __atomic_fetch_and(&si->evtchn_pending[r->port / BITS_PER_WORD], ~bit,
                       __ATOMIC_SEQ_CST);
}

void pv_ring_notify(const struct pv_ring *r)
{
    struct evtchn_send s = {.port = r->port};

    HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}
