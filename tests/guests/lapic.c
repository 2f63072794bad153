/*
 * The local APIC of a PVH vCPU: CPUID and the base MSR, the timer in
 * one-shot, periodic and TSC-deadline modes, masked LVTs, TPR/PPR and
 * EOI priority, IRR/ISR, ESR, relocation, global disable, x2APIC mode,
 * hostile register accesses (bad widths, misaligned, reserved bits), and
 * the event-channel upcall vectors (the callback vector bypasses the
 * LAPIC; a vCPU's own vector is a LAPIC interrupt that needs an EOI).
 *
 * Timing checks only bound counts loosely against the PV system time
 * (HVMOP_get_time): the guest runs in KVM's emulator and may be
 * descheduled at any moment.
 */
#include "guest.h"
#include "apic.h"

#define V_ONESHOT 0x40
#define V_PERIODIC 0x41
#define V_DEADLINE 0x42
#define V_LOW 0x45
#define V_HIGH 0x65
#define V_IRR 0x70
#define V_X2 0x50
#define V_ERR 0xfe

static volatile unsigned int fired[256];

static void count_irq(struct cpu_regs *r)
{
    fired[r->vector & 0xff]++;
    apic_eoi();
}

/* In service of V_IRR: what the LAPIC shows before the EOI. */
static volatile bool probe_isr, probe_irr_same_class;
static volatile uint32_t probe_ppr;

static void isr_probe(struct cpu_regs *r)
{
    fired[r->vector & 0xff]++;
    probe_isr = apic_vec_test(APIC_ISR, V_IRR);
    probe_ppr = apic_read(APIC_PPR);
    apic_ipi(0, APIC_DEST_SELF | (V_IRR + 1));
    probe_irr_same_class = apic_vec_test(APIC_IRR, V_IRR + 1);
    apic_eoi();
}

static bool oneshot_fired(void)
{
    return fired[V_ONESHOT];
}

static bool deadline_fired(void)
{
    return fired[V_DEADLINE];
}

static bool high_fired(void)
{
    return fired[V_HIGH];
}

static bool low_fired(void)
{
    return fired[V_LOW];
}

static bool deadline_fired_twice(void)
{
    return fired[V_DEADLINE] >= 2;
}

static bool x2_fired(void)
{
    return fired[V_X2] >= 2;
}

/*
 * Let ns of system time pass with interrupts on. The loop exits to xen
 * (a hypercall) over and over, so anything pending is injected.
 */
static void idle_for(uint64_t ns)
{
    uint64_t end;

    sti();
    end = hvm_get_time() + ns;
    while (hvm_get_time() < end)
        ;
    cli();
}

static void check_cpuid(void)
{
    struct cpuid_regs r = cpuid(1);

    check(r.edx & (1U << 9), "CPUID.1:EDX.APIC clear");
    check(r.ecx & (1U << 21), "CPUID.1:ECX.x2APIC clear");
    check(r.ecx & (1U << 24), "CPUID.1:ECX.TSC-deadline clear");
    check_eq(r.ebx >> 24, 0);
    check_eq(rdmsr(MSR_APIC_BASE), APIC_DEFAULT_BASE | APIC_BASE_EN |
                                       APIC_BASE_BSP);
}

static void check_regs(void)
{
    volatile uint32_t *p = apic_page();

    check_eq(apic_read(APIC_ID), 0);
    check_eq(apic_read(APIC_LVR), 0x50014);
    check_eq(apic_read(APIC_LVTT), APIC_LVT_MASKED);
    check_eq(apic_read(APIC_DFR), 0xffffffff);
    /* Read-only registers ignore writes. */
    apic_write(APIC_LVR, 0);
    check_eq(apic_read(APIC_LVR), 0x50014);
    /* Bytes and words of one register read its bytes. */
    check_eq(((volatile uint8_t *)p)[APIC_LVR], 0x14);
    check_eq(((volatile uint16_t *)p)[(APIC_LVR + 2) / 2], 5);
    /* A read across registers, or of no register, gives 0. */
    check_eq(*(volatile uint32_t *)((uintptr_t)p + APIC_LVR + 2), 0);
    check_eq(p[0x10 / 4], 0);
    check_eq(p[0xffc / 4], 0);
    /* Sub-word and misaligned writes are dropped. */
    apic_write(APIC_TPR, 0x20);
    ((volatile uint8_t *)p)[APIC_TPR] = 0x30;
    *(volatile uint32_t *)((uintptr_t)p + APIC_TPR + 1) = 0x40;
    check_eq(apic_read(APIC_TPR), 0x20);
    /* TPR keeps its 8 bits only. */
    apic_write(APIC_TPR, 0xfff);
    check_eq(apic_read(APIC_TPR), 0xff);
    apic_write(APIC_TPR, 0);
    /* x2APIC MSRs do not exist in xAPIC mode. */
    {
        uint64_t v;

        check_eq(rdmsr_safe(MSR_X2APIC_FIRST + 3, &v), X86_EXC_GP);
        check_eq(wrmsr_safe(MSR_X2APIC_FIRST + 8, 0), X86_EXC_GP);
        /* Base MSR: reserved bits and EXTD without EN raise #GP. */
        check_eq(wrmsr_safe(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | 1), X86_EXC_GP);
        check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EXTD),
                 X86_EXC_GP);
        /* The deadline MSR ignores writes outside TSC-deadline mode. */
        check_eq(wrmsr_safe(MSR_TSC_DEADLINE, 12345), 0);
        check_eq(rdmsr(MSR_TSC_DEADLINE), 0);
    }
}

static void check_sw_disable(void)
{
    apic_write(APIC_SPIV, 0xff);
    apic_write(APIC_LVTT, V_ONESHOT);
    check_eq(apic_read(APIC_LVTT), V_ONESHOT | APIC_LVT_MASKED);
    apic_sw_enable();
    apic_write(APIC_LVTT, V_ONESHOT);
    check_eq(apic_read(APIC_LVTT), V_ONESHOT);
}

static void check_oneshot(void)
{
    uint64_t t0;

    apic_write(APIC_TDCR, APIC_TDCR_DIV1);
    apic_write(APIC_LVTT, V_ONESHOT);
    t0 = hvm_get_time();
    apic_write(APIC_TMICT, 2000000); /* 2 ms at the 1 GHz bus */
    check(apic_read(APIC_TMCCT) <= 2000000, "current count above initial");
    apic_wait(oneshot_fired, 5000000000ULL, "the one-shot timer");
    check(hvm_get_time() - t0 >= 2000000, "fired early");
    check_eq(apic_read(APIC_TMCCT), 0);
    check_eq(fired[V_ONESHOT], 1);
    /* Masked: counts down, no interrupt. */
    apic_write(APIC_LVTT, V_ONESHOT | APIC_LVT_MASKED);
    apic_write(APIC_TMICT, 100000);
    idle_for(5000000);
    check_eq(fired[V_ONESHOT], 1);
    printk("one-shot timer ok\n");
}

static void check_periodic(void)
{
    uint64_t t0, t1;
    unsigned int n, ms;

    /* 1 ms period; the count is the timer wakes of idle_for's halts. */
    apic_write(APIC_LVTT, V_PERIODIC | APIC_TIMER_PERIODIC);
    fired[V_PERIODIC] = 0;
    t0 = hvm_get_time();
    apic_write(APIC_TMICT, 1000000);
    while (hvm_get_time() - t0 < 200000000) {
        sti_hlt();
        cli();
    }
    n = fired[V_PERIODIC];
    t1 = hvm_get_time();
    ms = (unsigned int)div64(t1 - t0, 1000000, NULL);
    /* 200 ms of 1 ms ticks; missed ticks are dropped, never queued. */
    check(n >= 10 && n <= ms + 2, "%u ticks in %u ms", n, ms);
    printk("periodic timer: %u ticks in %u ms\n", n, ms);
    /* Masked while running: the ticks stop. */
    apic_write(APIC_LVTT, V_PERIODIC | APIC_TIMER_PERIODIC | APIC_LVT_MASKED);
    idle_for(0); /* a tick raised before the mask may still come */
    n = fired[V_PERIODIC];
    idle_for(10000000);
    check_eq(fired[V_PERIODIC], n);
    apic_write(APIC_TMICT, 0);
    apic_write(APIC_LVTT, V_ONESHOT);
}

static void check_deadline(void)
{
    uint32_t tsc_khz = cpuid_count(xen_cpuid_base + 3, 0).ecx;
    uint64_t t0;

    check(tsc_khz, "no TSC frequency");
    apic_write(APIC_LVTT, V_DEADLINE | APIC_TIMER_TSC_DEADLINE);
    /* TMICT means nothing in TSC-deadline mode. */
    apic_write(APIC_TMICT, 1000);
    check_eq(apic_read(APIC_TMICT), 0);
    t0 = hvm_get_time();
    wrmsr(MSR_TSC_DEADLINE, rdtsc() + tsc_khz * 2ULL); /* 2 ms */
    apic_wait(deadline_fired, 5000000000ULL, "the TSC deadline");
    check(hvm_get_time() - t0 >= 1000000, "deadline fired early");
    check_eq(rdmsr(MSR_TSC_DEADLINE), 0);
    /* Writing 0 disarms. */
    wrmsr(MSR_TSC_DEADLINE, rdtsc() + tsc_khz * 20ULL);
    wrmsr(MSR_TSC_DEADLINE, 0);
    idle_for(40000000);
    check_eq(fired[V_DEADLINE], 1);
    /* A deadline in the past fires at once. */
    apic_write(APIC_LVTT, V_DEADLINE | APIC_TIMER_TSC_DEADLINE);
    wrmsr(MSR_TSC_DEADLINE, 1);
    apic_wait(deadline_fired_twice, 5000000000ULL, "a past deadline");
    apic_write(APIC_LVTT, V_ONESHOT);
    printk("TSC-deadline timer ok\n");
}

static void check_priority(void)
{
    /* TPR class 5 holds back class 4, lets class 6 through. */
    apic_write(APIC_TPR, 0x50);
    check_eq(apic_read(APIC_PPR), 0x50);
    apic_ipi(0, APIC_DEST_SELF | V_LOW);
    apic_ipi(0, APIC_DEST_SELF | V_HIGH);
    check(apic_vec_test(APIC_IRR, V_LOW), "IRR misses vector %#x", V_LOW);
    apic_wait(high_fired, 5000000000ULL, "the high-priority IPI");
    idle_for(2000000);
    check_eq(fired[V_LOW], 0);
    apic_write(APIC_TPR, 0);
    apic_wait(low_fired, 5000000000ULL, "the IPI held back by TPR");
    check_eq(fired[V_LOW], 1);
    check_eq(fired[V_HIGH], 1);

    /* Taken but not yet EOIed: in ISR, PPR raised, same class waits. */
    apic_ipi(0, APIC_DEST_SELF | V_IRR);
    check(apic_vec_test(APIC_IRR, V_IRR), "IRR misses the self-IPI");
    idle_for(0);
    check_eq(fired[V_IRR], 1);
    check(probe_isr && probe_irr_same_class, "ISR %d, same class in IRR %d",
          probe_isr, probe_irr_same_class);
    check_eq(probe_ppr, V_IRR & 0xf0);
    check_eq(fired[V_IRR + 1], 1);
    check(!apic_vec_test(APIC_IRR, V_IRR), "vector still requested");
    check(!apic_vec_test(APIC_ISR, V_IRR), "vector still in service");
    printk("TPR, PPR, IRR, ISR and EOI ok\n");
}

static uint32_t esr(void)
{
    apic_write(APIC_ESR, 0);
    return apic_read(APIC_ESR);
}

static void check_esr(void)
{
    esr();
    /* Vectors below 16 are illegal: send error, no interrupt. */
    apic_ipi(0, APIC_DEST_SELF | 5);
    check(esr() & APIC_ESR_SENDILL, "no send-illegal-vector error");
    check_eq(esr(), 0);
    /* The error LVT fires. */
    apic_write(APIC_LVTERR, V_ERR);
    apic_ipi(0, APIC_DEST_SELF | 3);
    idle_for(0);
    check_eq(fired[V_ERR], 1);
    apic_write(APIC_LVTERR, APIC_LVT_MASKED);
    esr();
}

static void check_relocation(void)
{
    volatile uint32_t *moved = (volatile uint32_t *)0xfed00000UL;
    volatile uint32_t *old = (volatile uint32_t *)APIC_DEFAULT_BASE;

    wrmsr(MSR_APIC_BASE, 0xfed00000UL | APIC_BASE_EN);
    /* The BSP flag is not the guest's to clear. */
    check_eq(rdmsr(MSR_APIC_BASE), 0xfed00000UL | APIC_BASE_EN | APIC_BASE_BSP);
    check_eq(moved[APIC_LVR / 4], 0x50014);
    check_eq(old[APIC_LVR / 4], 0xffffffff);
    wrmsr(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EN);
    check_eq(old[APIC_LVR / 4], 0x50014);
}

static void check_disable(void)
{
    /* Globally disabled: no page, and CPUID.1:EDX.APIC goes. */
    wrmsr(MSR_APIC_BASE, APIC_DEFAULT_BASE);
    check_eq(apic_page()[APIC_LVR / 4], 0xffffffff);
    check(!(cpuid(1).edx & (1U << 9)), "CPUID.1:EDX.APIC with APIC off");
    /* Off to x2APIC directly is not allowed. */
    check_eq(wrmsr_safe(MSR_APIC_BASE,
                        APIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD),
             X86_EXC_GP);
    wrmsr(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EN);
    check(cpuid(1).edx & (1U << 9), "CPUID.1:EDX.APIC back");
    /* Back from reset state: software-disabled, LVTs masked. */
    check_eq(apic_read(APIC_SPIV), 0xff);
    check_eq(apic_read(APIC_LVTT), APIC_LVT_MASKED);
    apic_sw_enable();
}

static void check_x2apic(void)
{
    uint64_t v;

    wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
    check(apic_x2apic(), "x2APIC mode did not stick");
    /* 32-bit ID; LDR cluster 0, bit 0; the page is gone. */
    check_eq(apic_read(APIC_ID), 0);
    check_eq(apic_read(APIC_LDR), 1);
    check_eq(apic_read(APIC_LVR), 0x50014);
    check_eq(((volatile uint32_t *)APIC_DEFAULT_BASE)[APIC_LVR / 4],
             0xffffffff);
    /* Registers that x2APIC lacks, and reserved bits, raise #GP. */
    check_eq(rdmsr_safe(MSR_X2APIC_FIRST + APIC_APR / 16, &v), X86_EXC_GP);
    check_eq(rdmsr_safe(MSR_X2APIC_FIRST + APIC_DFR / 16, &v), X86_EXC_GP);
    check_eq(rdmsr_safe(MSR_X2APIC_FIRST + APIC_EOI / 16, &v), X86_EXC_GP);
    check_eq(wrmsr_safe(MSR_X2APIC_FIRST + APIC_EOI / 16, 1), X86_EXC_GP);
    check_eq(wrmsr_safe(MSR_X2APIC_FIRST + APIC_TPR / 16, 0x100), X86_EXC_GP);
    check_eq(wrmsr_safe(MSR_X2APIC_FIRST + APIC_ID / 16, 4), X86_EXC_GP);
    check_eq(wrmsr_safe(MSR_X2APIC_FIRST + 0x3f, 0x100), X86_EXC_GP);
    check_eq(wrmsr_safe(MSR_X2APIC_FIRST + 0xff, 0), X86_EXC_GP);
    /* Self IPI register, then the ICR's self shorthand. */
    wrmsr(MSR_X2APIC_FIRST + APIC_SELF_IPI / 16, V_X2);
    idle_for(0);
    check_eq(fired[V_X2], 1);
    apic_ipi(0, APIC_DEST_SELF | V_X2);
    apic_wait(x2_fired, 5000000000ULL, "x2APIC self IPIs");
    /* ICR is one 64-bit register. */
    apic_ipi(0, APIC_DEST_SELF | 4);
    check_eq(rdmsr(MSR_X2APIC_FIRST + APIC_ICR / 16) & 0xff, 4);
    check(esr() & APIC_ESR_SENDILL, "no send-illegal-vector error");
    /* The timer through MSRs. */
    fired[V_ONESHOT] = 0;
    apic_write(APIC_LVTT, V_ONESHOT);
    apic_write(APIC_TMICT, 1000000);
    apic_wait(oneshot_fired, 5000000000ULL, "the x2APIC timer");
    /* x2APIC to xAPIC directly is not allowed; through off it is. */
    check_eq(wrmsr_safe(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EN),
             X86_EXC_GP);
    wrmsr(MSR_APIC_BASE, APIC_DEFAULT_BASE);
    wrmsr(MSR_APIC_BASE, APIC_DEFAULT_BASE | APIC_BASE_EN);
    check(!apic_x2apic(), "still in x2APIC mode");
    check_eq(apic_read(APIC_LVR), 0x50014);
    printk("x2APIC ok\n");
}

/*
 * Event-channel upcalls: the callback vector as is, a vCPU's own vector
 * through the LAPIC (in service until the guest's EOI), as in Xen.
 */
#define V_CALLBACK 0x80
#define V_UPCALL 0x90
static evtchn_port_t ipi_port;
static volatile bool upcall_in_isr, resent;

static bool port_fired_once(void)
{
    return evtchn_fired[ipi_port] == 1;
}

static bool port_fired_again(void)
{
    return evtchn_fired[ipi_port] >= 2;
}

static void count_port(evtchn_port_t port)
{
    if (port < EVTCHN_TRACKED)
        evtchn_fired[port]++;
}

static void vcpu_upcall(struct cpu_regs *r)
{
    int rc;
    struct shared_info *si = map_shared_info(&rc);

    (void)r;
    upcall_in_isr = apic_vec_test(APIC_ISR, V_UPCALL);
    evtchn_scan(si, &si->vcpu_info[0], count_port);
    /* Once, another event now: its upcall waits for the EOI. */
    if (!resent) {
        resent = true;
        evtchn_send(ipi_port);
    }
    apic_eoi();
}

static void check_upcalls(void)
{
    struct evtchn_bind_ipi bind = {.vcpu = 0};

    /* check_x2apic left the APIC as a reset leaves it: software-off. */
    apic_sw_enable();
    check_eq(evtchn_init(V_CALLBACK), 0);
    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bind), 0);
    ipi_port = bind.port;
    check_eq(evtchn_unmask(ipi_port), 0);
    check_eq(evtchn_send(ipi_port), 0);
    apic_wait(port_fired_once, 5000000000ULL, "the callback-vector upcall");
    check(!apic_vec_test(APIC_ISR, V_CALLBACK), "callback vector in ISR");

    set_irq_handler(V_UPCALL, vcpu_upcall);
    check_eq(upcall_via_vcpu_vector(0, V_UPCALL), 0);
    check_eq(evtchn_send(ipi_port), 0);
    apic_wait(port_fired_again, 5000000000ULL, "the vCPU-vector upcall");
    check(upcall_in_isr, "vCPU upcall vector not in service in its handler");
    /* The event sent from the handler comes after the EOI. */
    idle_for(1000000);
    check_eq(evtchn_fired[ipi_port], 3);
    check(!apic_vec_test(APIC_ISR, V_UPCALL), "upcall vector in service");
    printk("event-channel upcalls ok\n");
}

/*
 * An NMI that KVM holds must still end a later HLT. A self-NMI sent from
 * the NMI handler waits (NMIs blocked) until the handler's iret, and this
 * software KVM does not exit when the NMI window opens again, so the HLT
 * after it is the first exit: xen must not block the vCPU there. A 2 s
 * one-shot timer keeps a failure from hanging.
 */
static volatile unsigned int nmis;
static volatile uint64_t second_nmi_at;

static void on_nmi(struct cpu_regs *r)
{
    (void)r;
    if (nmis++ == 0)
        apic_ipi(0, APIC_DM_NMI);
    else
        second_nmi_at = hvm_get_time();
}

static void check_held_nmi(void)
{
    uint64_t t0;

    /* The 32-bit runtime returns from traps without iret: NMIs stay off. */
    if (sizeof(long) != 8)
        return;
    set_irq_handler(X86_EXC_NMI, on_nmi);
    apic_write(APIC_TDCR, APIC_TDCR_DIV1);
    apic_write(APIC_LVTT, V_ONESHOT);
    fired[V_ONESHOT] = 0;
    apic_write(APIC_TMICT, 2000000000);
    t0 = hvm_get_time();
    apic_ipi(0, APIC_DM_NMI);
    while (nmis < 2 && !fired[V_ONESHOT]) {
        sti_hlt();
        cli();
    }
    apic_write(APIC_TMICT, 0);
    check_eq(nmis, 2);
    check(second_nmi_at - t0 < 1000000000ULL,
          "the held NMI came only with the timer, %llu ns later",
          (unsigned long long)(second_nmi_at - t0));
    printk("held NMI ends HLT ok\n");
}

void test_main(void)
{
    static const uint8_t vecs[] = {V_ONESHOT, V_PERIODIC, V_DEADLINE, V_LOW,
                                   V_HIGH,    V_X2,       V_ERR};

    for (unsigned int i = 0; i < ARRAY_SIZE(vecs); i++)
        set_irq_handler(vecs[i], count_irq);
    set_irq_handler(V_IRR, isr_probe);
    set_irq_handler(V_IRR + 1, count_irq);
    check_cpuid();
    check_regs();
    apic_sw_enable();
    check_sw_disable();
    check_oneshot();
    check_periodic();
    check_deadline();
    check_priority();
    check_esr();
    check_relocation();
    check_disable();
    check_x2apic();
    check_upcalls();
    check_held_nmi();
}
