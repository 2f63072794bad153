/*
 * 2-level event channels for tests: the upcall handler scans the
 * pending bitmaps of shared_info, counts each port's events and calls
 * the port's handler.
 */
#include "guest.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static struct shared_info *si;
static evtchn_handler_t handlers[EVTCHN_TRACKED];
volatile unsigned int evtchn_fired[EVTCHN_TRACKED];

unsigned int this_vcpu_id(void)
{
    struct cpuid_regs r = cpuid(xen_cpuid_base + 4);

    return (r.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT) ? r.ebx : 0;
}

void evtchn_scan(struct shared_info *shinfo, struct vcpu_info *vi,
                 evtchn_handler_t fn)
{
    xen_ulong_t sel;

    /* Clear first: an event set while we scan raises it again. */
    ACCESS_ONCE(vi->evtchn_upcall_pending) = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = __builtin_ctzl(sel);
        xen_ulong_t bits;

        sel &= sel - 1;
        bits = ACCESS_ONCE(shinfo->evtchn_pending[w]) &
               ~ACCESS_ONCE(shinfo->evtchn_mask[w]);
        while (bits) {
            unsigned int b = __builtin_ctzl(bits);

            bits &= bits - 1;
            __atomic_fetch_and(&shinfo->evtchn_pending[w],
                               ~((xen_ulong_t)1 << b), __ATOMIC_SEQ_CST);
            fn(w * BITS_PER_WORD + b);
        }
    }
}

static void count_and_call(evtchn_port_t port)
{
    if (port < EVTCHN_TRACKED) {
        evtchn_fired[port]++;
        if (handlers[port])
            handlers[port](port);
    }
}

static void upcall(struct cpu_regs *regs)
{
    (void)regs;
    evtchn_scan(si, &si->vcpu_info[this_vcpu_id()], count_and_call);
}

int evtchn_init(uint8_t vector)
{
    int rc;

    si = map_shared_info(&rc);
    if (!si)
        return rc;
    /* Everything masked until a test binds and unmasks its ports. */
    memset(si->evtchn_mask, 0xff, sizeof(si->evtchn_mask));
    set_irq_handler(vector, upcall);
    return upcall_via_callback_irq(vector);
}

void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn)
{
    if (port < EVTCHN_TRACKED)
        handlers[port] = fn;
}

void evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&si->evtchn_mask[port / BITS_PER_WORD],
                      (xen_ulong_t)1 << (port % BITS_PER_WORD),
                      __ATOMIC_SEQ_CST);
}

int evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask u = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u);
}

int evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
    int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

    if (!rc)
        *port = b.port;
    return rc;
}

int evtchn_send(evtchn_port_t port)
{
    struct evtchn_send s = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

int evtchn_close(evtchn_port_t port)
{
    struct evtchn_close c = {.port = port};

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

int set_singleshot_timer(uint64_t deadline_ns)
{
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = deadline_ns};

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, this_vcpu_id(), &t);
}
