/*
 * A PV console frontend on the ring page (see pvconsole.h). Written for
 * tests: one vCPU, no interrupts, polling with a timeout.
 */
#include "pvconsole.h"

static struct pv_ring cons;
static volatile struct xencons_interface *ring;

int pvcons_init(void)
{
    int rc;

    if (ring)
        return 0;
    rc = pv_ring_init(&cons, HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN);
    if (!rc)
        ring = cons.page;
    return rc;
}

volatile struct xencons_interface *pvcons_ring(void)
{
    return ring;
}

void pvcons_notify(void)
{
    pv_ring_notify(&cons);
}

void pvcons_wait(uint64_t timeout_ns)
{
    pv_ring_wait(&cons, timeout_ns);
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
