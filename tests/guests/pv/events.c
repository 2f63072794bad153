/*
 * Event upcalls of a PV kernel: the event callback registered with
 * callback_op, VIRQ_TIMER bound and fired with set_timer_op. While
 * evtchn_upcall_mask is set nothing is delivered; cleared, the upcall
 * comes on the next entry into the guest (after a hypercall, or after
 * the vCPU was kicked out of a loop with no exits at all), with events
 * masked in the callback and unmasked again by its iret.
 */
#include "pv.h"

static struct shared_info *sh;
static evtchn_port_t timer_port;
static volatile unsigned int upcalls, timer_fired, masked_in_callback;

void event_c(void);

/* The callback: pop rcx/r11 (Xen's frame), save, scan, iret. */
asm(".text\nevent_entry:\n"
    "pop %rcx\n pop %r11\n"
    "push %rax\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
    "push %r8\n push %r9\n push %r10\n push %r11\n"
    "call event_c\n"
    "pop %r11\n pop %r10\n pop %r9\n pop %r8\n pop %rdi\n pop %rsi\n"
    "pop %rdx\n pop %rcx\n pop %rax\n"
    "push $0\n jmp hypercall_page + 23 * 32\n");
extern char event_entry[];

void event_c(void)
{
    struct vcpu_info *vi = &sh->vcpu_info[0];
    unsigned long sel;

    upcalls++;
    masked_in_callback = vi->evtchn_upcall_mask;
    vi->evtchn_upcall_pending = 0;
    sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    for (unsigned int w = 0; w < 64; w++) {
        unsigned long bits;

        if (!(sel & (1UL << w)))
            continue;
        bits = sh->evtchn_pending[w] & ~sh->evtchn_mask[w];
        for (unsigned int b = 0; b < 64; b++) {
            if (!(bits & (1UL << b)))
                continue;
            __atomic_and_fetch(&sh->evtchn_pending[w], ~(1UL << b),
                               __ATOMIC_SEQ_CST);
            if (w * 64 + b == timer_port)
                timer_fired++;
        }
    }
}

static bool port_pending(evtchn_port_t p)
{
    return ACCESS_ONCE(sh->evtchn_pending[p / 64]) & (1UL << (p % 64));
}

void test_main(void)
{
    struct vcpu_info *vi;
    struct callback_register cb = {.type = CALLBACKTYPE_event,
                                   .address = (unsigned long)event_entry};
    struct callback_register bad = {.type = 99, .address = 1};
    struct evtchn_bind_virq bind = {.virq = VIRQ_TIMER, .vcpu = 0};
    unsigned long spins;

    sh = pv_map_shared_info();
    vi = &sh->vcpu_info[0];
    vi->evtchn_upcall_mask = 1;
    check_eq(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &bad),
             -EINVAL);
    check_eq(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb), 0);
    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bind), 0);
    timer_port = bind.port;
    __atomic_and_fetch(&sh->evtchn_mask[timer_port / 64],
                       ~(1UL << (timer_port % 64)), __ATOMIC_SEQ_CST);

    /* Masked: the timer fires, nothing is delivered. */
    check_eq(hypercall1(__HYPERVISOR_set_timer_op, 1), 0);
    for (spins = 0; !port_pending(timer_port) && spins < 100000; spins++)
        HYPERVISOR_xen_version(XENVER_version, NULL);
    check(port_pending(timer_port), "VIRQ_TIMER never became pending");
    HYPERVISOR_xen_version(XENVER_version, NULL);
    check_eq(upcalls, 0);

    /* Unmasked: the next return from a hypercall enters the callback. */
    vi->evtchn_upcall_mask = 0;
    HYPERVISOR_xen_version(XENVER_version, NULL);
    check_eq(upcalls, 1);
    check_eq(timer_fired, 1);
    check_eq(masked_in_callback, 1);
    check_eq(vi->evtchn_upcall_mask, 0);

    /* No exits at all: the timer kicks the vCPU into the callback. */
    check_eq(hypercall1(__HYPERVISOR_set_timer_op, 1), 0);
    for (spins = 0; ACCESS_ONCE(timer_fired) < 2 && spins < 4000000000UL;
         spins++)
        barrier();
    check_eq(timer_fired, 2);
    check_eq(upcalls, 2);
    printk("2 VIRQ_TIMER upcalls through the event callback\n");
}
