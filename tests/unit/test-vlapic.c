/* The virtual LAPIC: registers, priorities, timer modes, IPIs, x2APIC. */
#include <errno.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/vlapic.h>

#include "unit.h"
#include "vclock.h"

#define NR 3
static struct vlapic lapics[NR];
static unsigned int kicks[NR];
static int last_eoi = -1;
static uint32_t tsc_khz = 2000000; /* 2 GHz: 2 TSC ticks per ns */

static void kick(void *opaque, struct vlapic *l)
{
    (void)opaque;
    kicks[l->vcpu_id]++;
}

static uint64_t read_tsc(void *opaque, struct vlapic *l)
{
    (void)opaque;
    (void)l;
    return vclock_now * 2;
}

static void eoi(void *opaque, uint8_t vector)
{
    (void)opaque;
    last_eoi = vector;
}

static const struct vlapic_ops ops = {
    .kick = kick,
    .read_tsc = read_tsc,
    .eoi = eoi,
};

static uint32_t rd(struct vlapic *l, unsigned int off)
{
    uint64_t v = 0xdead;

    EXPECT(vlapic_mmio_access(l, APIC_DEFAULT_PHYS_BASE + off, 4, false, &v) ==
           X86EMUL_OKAY);
    return v;
}

static void wr(struct vlapic *l, unsigned int off, uint32_t val)
{
    uint64_t v = val;

    EXPECT(vlapic_mmio_access(l, APIC_DEFAULT_PHYS_BASE + off, 4, true, &v) ==
           X86EMUL_OKAY);
}

static bool irr(struct vlapic *l, uint8_t vec)
{
    return rd(l, APIC_IRR + (vec / 32) * 0x10) & (1U << (vec % 32));
}

static bool isr(struct vlapic *l, uint8_t vec)
{
    return rd(l, APIC_ISR + (vec / 32) * 0x10) & (1U << (vec % 32));
}

static bool tmr(struct vlapic *l, uint8_t vec)
{
    return rd(l, APIC_TMR + (vec / 32) * 0x10) & (1U << (vec % 32));
}

/* Take and EOI whatever is pending, so the next interrupt is visible. */
static void drain(struct vlapic *l)
{
    int v;

    while ((v = vlapic_has_pending_irq(l)) >= 0) {
        vlapic_ack_irq(l, v);
        wr(l, APIC_EOI, 0);
    }
}

static void reset_all(void)
{
    for (int i = 0; i < NR; i++) {
        vlapic_reset(&lapics[i]);
        wr(&lapics[i], APIC_SPIV, APIC_SPIV_APIC_ENABLED | 0xff);
    }
}

static void test_registers(void)
{
    struct vlapic *a = &lapics[0], *b = &lapics[1];
    uint64_t v;

    /* Xen numbers LAPICs vcpu_id * 2. */
    EXPECT(rd(a, APIC_ID) == 0 && rd(b, APIC_ID) == 2U << 24);
    EXPECT(rd(a, APIC_LVR) == VLAPIC_VERSION);
    wr(b, APIC_ID, 7U << 24);
    wr(b, APIC_LVR, 0);
    EXPECT(rd(b, APIC_ID) == 2U << 24 && rd(b, APIC_LVR) == VLAPIC_VERSION);
    EXPECT(rd(a, APIC_DFR) == APIC_DFR_FLAT);
    for (unsigned int off = APIC_LVTT; off <= APIC_LVTERR; off += 0x10)
        EXPECT(rd(a, off) == APIC_LVT_MASKED);
    EXPECT(vlapic_rdmsr(a, MSR_IA32_APICBASE, &v) == 0 &&
           v == (APIC_DEFAULT_PHYS_BASE | APIC_BASE_MSR_ENABLE |
                 APIC_BASE_MSR_BSP));
    EXPECT(vlapic_rdmsr(b, MSR_IA32_APICBASE, &v) == 0 &&
           !(v & APIC_BASE_MSR_BSP));

    /* Software-disabled: LVTs cannot be unmasked; nothing is delivered. */
    wr(a, APIC_SPIV, 0xff);
    wr(a, APIC_LVT0, APIC_DM_EXTINT);
    EXPECT(rd(a, APIC_LVT0) == (APIC_LVT_MASKED | APIC_DM_EXTINT));
    vlapic_set_irq(a, 0x50, false);
    EXPECT(irr(a, 0x50) && vlapic_has_pending_irq(a) < 0);
    wr(a, APIC_SPIV, APIC_SPIV_APIC_ENABLED | 0xff);
    EXPECT(vlapic_has_pending_irq(a) == 0x50);
    drain(a);
    /* Writable bits only: delivery status and reserved bits stay clear. */
    wr(a, APIC_LVT0, 0xffffffff);
    EXPECT(rd(a, APIC_LVT0) == 0x1a7ff);
    wr(a, APIC_LVTERR, 0xffffffff);
    EXPECT(rd(a, APIC_LVTERR) == 0x100ff);
    wr(a, APIC_LVT0, APIC_DM_EXTINT);
    EXPECT(vlapic_accept_pic_intr(a) && !vlapic_accept_pic_intr(b));
    wr(a, APIC_LVT0, APIC_LVT_MASKED | APIC_DM_EXTINT);
    EXPECT(!vlapic_accept_pic_intr(a));
}

static void test_priorities(void)
{
    struct vlapic *a = &lapics[0];

    reset_all();
    wr(a, APIC_TASKPRI, 0x35);
    EXPECT(rd(a, APIC_TASKPRI) == 0x35 && rd(a, APIC_PROCPRI) == 0x35);
    vlapic_set_irq(a, 0x25, false);
    vlapic_set_irq(a, 0x3f, false);
    EXPECT(vlapic_has_pending_irq(a) < 0); /* classes 2, 3 <= TPR class 3 */
    vlapic_set_irq(a, 0x45, true);
    EXPECT(vlapic_has_pending_irq(a) == 0x45 && tmr(a, 0x45));
    vlapic_ack_irq(a, 0x45);
    EXPECT(isr(a, 0x45) && !irr(a, 0x45));
    EXPECT(rd(a, APIC_PROCPRI) == 0x40);
    /* Same class waits; a higher class nests. */
    vlapic_set_irq(a, 0x4a, false);
    EXPECT(vlapic_has_pending_irq(a) < 0);
    vlapic_set_irq(a, 0x51, false);
    EXPECT(vlapic_has_pending_irq(a) == 0x51);
    vlapic_ack_irq(a, 0x51);
    EXPECT(rd(a, APIC_PROCPRI) == 0x50);
    /* EOI retires the highest in-service vector; edge: no notification. */
    last_eoi = -1;
    wr(a, APIC_EOI, 0);
    EXPECT(!isr(a, 0x51) && isr(a, 0x45) && last_eoi == -1);
    EXPECT(vlapic_has_pending_irq(a) < 0);
    /* Level-triggered: EOI is passed on (for the IOAPIC's remote IRR). */
    wr(a, APIC_EOI, 0);
    EXPECT(last_eoi == 0x45 && !isr(a, 0x45));
    EXPECT(vlapic_has_pending_irq(a) == 0x4a);
    wr(a, APIC_TASKPRI, 0);
    drain(a);
    EXPECT(rd(a, APIC_PROCPRI) == 0 && !irr(a, 0x25) && !irr(a, 0x3f));

    /* Vectors 0-15 are illegal: ESR latches it on the next ESR write. */
    vlapic_set_irq(a, 7, false);
    EXPECT(!irr(a, 7) && rd(a, APIC_ESR) == 0);
    wr(a, APIC_ESR, 0);
    EXPECT(rd(a, APIC_ESR) == APIC_ESR_RECVILL);
    wr(a, APIC_ESR, 0);
    EXPECT(rd(a, APIC_ESR) == 0);

    /* A level source re-asserted: raised once, not while in service. */
    EXPECT(vlapic_reassert_irq(a, 0x60) && irr(a, 0x60) && !tmr(a, 0x60));
    EXPECT(!vlapic_reassert_irq(a, 0x60));
    vlapic_ack_irq(a, 0x60);
    EXPECT(!vlapic_reassert_irq(a, 0x60) && !irr(a, 0x60));
    wr(a, APIC_EOI, 0);
    EXPECT(vlapic_reassert_irq(a, 0x60) && !vlapic_reassert_irq(a, 5));
    drain(a);
}

static void test_timer(void)
{
    struct vlapic *a = &lapics[0];
    unsigned int k;

    reset_all();
    /* One-shot, divide by 1: 1 ns per count. */
    wr(a, APIC_TDCR, APIC_TDR_DIV_1);
    wr(a, APIC_LVTT, 0x30);
    wr(a, APIC_TMICT, 1000);
    EXPECT(rd(a, APIC_TMCCT) == 1000);
    vclock_advance(400);
    EXPECT(rd(a, APIC_TMCCT) == 600 && !irr(a, 0x30));
    k = kicks[0];
    vclock_advance(600);
    EXPECT(irr(a, 0x30) && kicks[0] == k + 1 && rd(a, APIC_TMCCT) == 0);
    drain(a);
    vclock_advance(1000000);
    EXPECT(!irr(a, 0x30) && rd(a, APIC_TMICT) == 1000);

    /* Divide by 2 (TDCR 0): 2 ns per count. */
    wr(a, APIC_TDCR, 0);
    wr(a, APIC_TMICT, 1000);
    vclock_advance(500);
    EXPECT(rd(a, APIC_TMCCT) == 750);
    vclock_advance(1499);
    EXPECT(!irr(a, 0x30));
    vclock_advance(1);
    EXPECT(irr(a, 0x30));
    drain(a);
    /* Divide by 128 (TDCR 0xa). */
    wr(a, APIC_TDCR, 0xa);
    wr(a, APIC_TMICT, 10);
    vclock_advance(1279);
    EXPECT(!irr(a, 0x30) && rd(a, APIC_TMCCT) == 0);
    vclock_advance(1);
    EXPECT(irr(a, 0x30));
    drain(a);

    /* Masked LVT: the count still runs out, no interrupt. */
    wr(a, APIC_TDCR, APIC_TDR_DIV_1);
    wr(a, APIC_LVTT, APIC_LVT_MASKED | 0x30);
    wr(a, APIC_TMICT, 100);
    vclock_advance(200);
    EXPECT(!irr(a, 0x30) && rd(a, APIC_TMCCT) == 0);

    /* Periodic: reloads; 1 ms period fires once per ms. */
    wr(a, APIC_LVTT, APIC_TIMER_MODE_PERIODIC | 0x31);
    wr(a, APIC_TMICT, 1000000);
    k = kicks[0];
    for (int i = 0; i < 5; i++) {
        vclock_advance(999999);
        EXPECT(!irr(a, 0x31));
        vclock_advance(1);
        EXPECT(irr(a, 0x31));
        drain(a);
    }
    EXPECT(kicks[0] >= k + 5);
    vclock_advance(250000);
    EXPECT(rd(a, APIC_TMCCT) == 750000);
    /* TMICT 0 stops it. */
    wr(a, APIC_TMICT, 0);
    vclock_advance(5000000);
    EXPECT(!irr(a, 0x31) && rd(a, APIC_TMCCT) == 0);
    /* A tiny periodic count is clamped to 100 us between interrupts. */
    wr(a, APIC_TMICT, 1);
    k = kicks[0];
    vclock_advance(1000000);
    EXPECT(kicks[0] - k <= 10 && kicks[0] - k >= 9);
    wr(a, APIC_TMICT, 0);
    drain(a);
    /* Nor can a one-shot count switched to periodic while it runs. */
    wr(a, APIC_LVTT, 0x31);
    wr(a, APIC_TMICT, 50);
    wr(a, APIC_LVTT, APIC_TIMER_MODE_PERIODIC | 0x31);
    k = kicks[0];
    vclock_advance(1000000);
    EXPECT(kicks[0] - k <= 11 && kicks[0] - k >= 10);
    wr(a, APIC_TMICT, 0);
    drain(a);
}

static void test_tsc_deadline(void)
{
    struct vlapic *a = &lapics[0];
    uint64_t v;

    reset_all();
    /* Ignored outside TSC-deadline mode. */
    EXPECT(vlapic_wrmsr(a, MSR_IA32_TSC_DEADLINE, vclock_now * 2 + 10) == 0);
    EXPECT(vlapic_rdmsr(a, MSR_IA32_TSC_DEADLINE, &v) == 0 && v == 0);
    wr(a, APIC_LVTT, APIC_TIMER_MODE_TSC_DEADLINE | 0x32);
    wr(a, APIC_TMICT, 50); /* ignored in this mode */
    EXPECT(rd(a, APIC_TMICT) == 0);
    EXPECT(vlapic_wrmsr(a, MSR_IA32_TSC_DEADLINE, vclock_now * 2 + 2000) == 0);
    EXPECT(vlapic_rdmsr(a, MSR_IA32_TSC_DEADLINE, &v) == 0 &&
           v == vclock_now * 2 + 2000);
    vclock_advance(999);
    EXPECT(!irr(a, 0x32));
    vclock_advance(1);
    EXPECT(irr(a, 0x32));
    EXPECT(vlapic_rdmsr(a, MSR_IA32_TSC_DEADLINE, &v) == 0 && v == 0);
    drain(a);
    /* A deadline in the past fires at once; 0 disarms. */
    EXPECT(vlapic_wrmsr(a, MSR_IA32_TSC_DEADLINE, 1) == 0);
    vclock_advance(0);
    EXPECT(irr(a, 0x32));
    drain(a);
    EXPECT(vlapic_wrmsr(a, MSR_IA32_TSC_DEADLINE, vclock_now * 2 + 100) == 0);
    EXPECT(vlapic_wrmsr(a, MSR_IA32_TSC_DEADLINE, 0) == 0);
    vclock_advance(1000);
    EXPECT(!irr(a, 0x32));
    /* Leaving the mode disarms the deadline. */
    EXPECT(vlapic_wrmsr(a, MSR_IA32_TSC_DEADLINE, vclock_now * 2 + 100) == 0);
    wr(a, APIC_LVTT, 0x32);
    vclock_advance(1000);
    EXPECT(!irr(a, 0x32));
}

static void icr(struct vlapic *l, uint8_t dest, uint32_t low)
{
    wr(l, APIC_ICR2, (uint32_t)dest << 24);
    wr(l, APIC_ICR, low);
}

static void test_ipi(void)
{
    struct vlapic *a = &lapics[0], *b = &lapics[1], *c = &lapics[2];
    uint8_t vec;

    reset_all();
    /* Fixed, physical destination. */
    icr(a, 2, APIC_DM_FIXED | 0x40);
    EXPECT(irr(b, 0x40) && !irr(a, 0x40) && !irr(c, 0x40));
    EXPECT(!(rd(a, APIC_ICR) & APIC_ICR_BUSY) && rd(a, APIC_ICR) == 0x40);
    EXPECT(rd(a, APIC_ICR2) == 2U << 24);
    /* Shorthands: self, all including self, all but self. */
    icr(a, 0, APIC_DEST_SELF | 0x41);
    EXPECT(irr(a, 0x41) && !irr(b, 0x41));
    icr(b, 0, APIC_DEST_ALLINC | 0x42);
    EXPECT(irr(a, 0x42) && irr(b, 0x42) && irr(c, 0x42));
    icr(b, 0, APIC_DEST_ALLBUT | 0x43);
    EXPECT(irr(a, 0x43) && !irr(b, 0x43) && irr(c, 0x43));
    /* Physical broadcast. */
    icr(c, 0xff, 0x44);
    EXPECT(irr(a, 0x44) && irr(b, 0x44) && irr(c, 0x44));
    /* Logical, flat model: LDR bits. */
    wr(a, APIC_LDR, 0x01000000);
    wr(b, APIC_LDR, 0x02000000);
    wr(c, APIC_LDR, 0x04000000);
    icr(a, 0x06, APIC_DEST_LOGICAL | 0x45);
    EXPECT(!irr(a, 0x45) && irr(b, 0x45) && irr(c, 0x45));
    /* Logical, cluster model: cluster 1 members 1 and 2. */
    for (int i = 0; i < NR; i++)
        wr(&lapics[i], APIC_DFR, APIC_DFR_CLUSTER);
    wr(a, APIC_LDR, 0x11000000);
    wr(b, APIC_LDR, 0x12000000);
    wr(c, APIC_LDR, 0x21000000);
    icr(c, 0x13, APIC_DEST_LOGICAL | 0x46);
    EXPECT(irr(a, 0x46) && irr(b, 0x46) && !irr(c, 0x46));
    /* Lowest priority: one target only, the one with the lowest PPR. */
    wr(a, APIC_TASKPRI, 0x80);
    icr(c, 0x13, APIC_DEST_LOGICAL | APIC_DM_LOWEST | 0x47);
    EXPECT(!irr(a, 0x47) && irr(b, 0x47));
    wr(a, APIC_TASKPRI, 0);
    /* A fixed IPI with an illegal vector is a send error, not delivered. */
    icr(a, 2, 0x05);
    wr(a, APIC_ESR, 0);
    EXPECT(rd(a, APIC_ESR) == APIC_ESR_SENDILL && !irr(b, 5));
    for (int i = 0; i < NR; i++)
        drain(&lapics[i]);

    /* NMI. */
    EXPECT(!vlapic_nmi_pending(b));
    icr(a, 2, APIC_DM_NMI);
    EXPECT(vlapic_take_nmi(b) && !vlapic_take_nmi(b) && !vlapic_take_nmi(a));

    /* INIT, then SIPI: the AP starts at the vector; later SIPIs ignored. */
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_NONE);
    icr(a, 2, APIC_DM_STARTUP | 0x9a);
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_NONE);
    wr(b, APIC_TASKPRI, 0x20);
    icr(a, 2, APIC_DM_INIT | APIC_INT_ASSERT | APIC_INT_LEVELTRIG);
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_INIT);
    EXPECT(rd(b, APIC_TASKPRI) == 0 && rd(b, APIC_ID) == 2U << 24);
    /* The INIT level de-assert changes nothing. */
    icr(a, 2, APIC_DM_INIT | APIC_INT_LEVELTRIG);
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_NONE);
    icr(a, 2, APIC_DM_STARTUP | 0x9a);
    EXPECT(vlapic_peek_mp_event(b) == VLAPIC_MP_SIPI);
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_SIPI && vec == 0x9a);
    EXPECT(vlapic_peek_mp_event(b) == VLAPIC_MP_NONE);
    icr(a, 2, APIC_DM_STARTUP | 0x9b);
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_NONE);
    /* INIT to all but self, as an SMP boot does. */
    icr(a, 0, APIC_DEST_ALLBUT | APIC_DM_INIT | APIC_INT_ASSERT);
    icr(a, 0, APIC_DEST_ALLBUT | APIC_DM_STARTUP | 0x10);
    EXPECT(vlapic_take_mp_event(a, &vec) == VLAPIC_MP_NONE);
    EXPECT(vlapic_take_mp_event(b, &vec) == VLAPIC_MP_SIPI && vec == 0x10);
    EXPECT(vlapic_take_mp_event(c, &vec) == VLAPIC_MP_SIPI && vec == 0x10);

    /* A hardware-disabled LAPIC receives nothing. */
    reset_all();
    EXPECT(vlapic_wrmsr(c, MSR_IA32_APICBASE, APIC_DEFAULT_PHYS_BASE) == 0);
    icr(a, 0, APIC_DEST_ALLINC | 0x48);
    EXPECT(irr(a, 0x48) && irr(b, 0x48));
    EXPECT(vlapic_has_pending_irq(c) < 0);
    EXPECT(vlapic_wrmsr(c, MSR_IA32_APICBASE,
                        APIC_DEFAULT_PHYS_BASE | APIC_BASE_MSR_ENABLE) == 0);
    EXPECT(!irr(c, 0x48));
}

static void test_x2apic(void)
{
    struct vlapic *a = &lapics[0], *b = &lapics[1];
    uint64_t v, base = APIC_DEFAULT_PHYS_BASE | APIC_BASE_MSR_ENABLE;

    reset_all();
    /* xAPIC mode: the x2APIC MSRs do not exist. */
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + 2, &v) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + 8, 0) == -EINVAL);
    /* Invalid transitions and reserved bits. */
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE,
                        APIC_DEFAULT_PHYS_BASE | APIC_BASE_MSR_EXTD) ==
           -EINVAL);
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, base | 1) == -EINVAL);
    /* Relocation: the registers follow the base, the old page is gone. */
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE,
                        0xfed00000 | APIC_BASE_MSR_ENABLE) == 0);
    EXPECT(vlapic_mmio_access(b, 0xfed00000 + APIC_LVR, 4, false, &v) ==
               X86EMUL_OKAY &&
           v == VLAPIC_VERSION);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_LVR, 4, false,
                              &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, base) == 0);
    EXPECT(vlapic_wrmsr(a, MSR_IA32_APICBASE, base | APIC_BASE_MSR_EXTD) == 0);
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, base | APIC_BASE_MSR_EXTD) == 0);
    EXPECT(vlapic_x2apic_mode(b) && !vlapic_x2apic_mode(&lapics[2]));
    /* x2APIC to xAPIC directly is not allowed. */
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, base) == -EINVAL);
    /* The MMIO page is gone. */
    v = 0;
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_ID, 4, false,
                              &v) == X86EMUL_UNHANDLEABLE);

    /* ID is 32-bit; LDR is derived from it (cluster 0, bit 2). */
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_ID >> 4), &v) == 0 && v == 2);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_LDR >> 4), &v) == 0 && v == 4);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_LVR >> 4), &v) == 0 &&
           v == VLAPIC_VERSION);
    /* #GP: writes to read-only registers, missing registers, reads of EOI. */
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_ID >> 4), 4) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_LVR >> 4), 0) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_LDR >> 4), 0) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_PROCPRI >> 4), 0) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_ISR >> 4), 0) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TMCCT >> 4), 0) == -EINVAL);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_EOI >> 4), &v) == -EINVAL);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_SELF_IPI >> 4), &v) ==
           -EINVAL);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_DFR >> 4), &v) == -EINVAL);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_ICR2 >> 4), &v) == -EINVAL);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_ARBPRI >> 4), &v) == -EINVAL);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + 0xff, &v) == -EINVAL);
    /* #GP: reserved bits. */
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_EOI >> 4), 1) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_ESR >> 4), 1) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TASKPRI >> 4), 0x100) ==
           -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TASKPRI >> 4), 1ULL << 32) ==
           -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_LVTERR >> 4), 0x700) ==
           -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TDCR >> 4), 0x4) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_SELF_IPI >> 4), 0x100) ==
           -EINVAL);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_ICR >> 4), 1U << 12) ==
           -EINVAL);
    /* Valid writes. */
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TASKPRI >> 4), 0x20) == 0);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_PROCPRI >> 4), &v) == 0 &&
           v == 0x20);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TASKPRI >> 4), 0) == 0);

    /* 64-bit ICR with a 32-bit destination; SELF_IPI. */
    EXPECT(vlapic_wrmsr(a, APIC_MSR_BASE + (APIC_ICR >> 4),
                        (2ULL << 32) | 0x51) == 0);
    EXPECT(vlapic_has_pending_irq(b) == 0x51);
    EXPECT(vlapic_rdmsr(a, APIC_MSR_BASE + (APIC_ICR >> 4), &v) == 0 &&
           v == ((2ULL << 32) | 0x51));
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_SELF_IPI >> 4), 0x61) == 0);
    EXPECT(vlapic_has_pending_irq(b) == 0x61);
    vlapic_ack_irq(b, 0x61);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_ISR >> 4) + 3, &v) == 0 &&
           v == 1U << 1);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_EOI >> 4), 0) == 0);
    EXPECT(vlapic_has_pending_irq(b) == 0x51);
    /* Logical x2APIC destination: cluster 0, member bit 2 (= b). */
    EXPECT(vlapic_wrmsr(a, APIC_MSR_BASE + (APIC_ICR >> 4),
                        (4ULL << 32) | APIC_DEST_LOGICAL | 0x52) == 0);
    EXPECT(vlapic_has_pending_irq(b) == 0x52);
    /* Timer through the MSRs. */
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TDCR >> 4), APIC_TDR_DIV_1) ==
           0);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_LVTT >> 4), 0x70) == 0);
    EXPECT(vlapic_wrmsr(b, APIC_MSR_BASE + (APIC_TMICT >> 4), 500) == 0);
    vclock_advance(100);
    EXPECT(vlapic_rdmsr(b, APIC_MSR_BASE + (APIC_TMCCT >> 4), &v) == 0 &&
           v == 400);
    vclock_advance(400);
    EXPECT(vlapic_has_pending_irq(b) == 0x70);
    /* Disabling the APIC leaves x2APIC mode and resets it. */
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, APIC_DEFAULT_PHYS_BASE) == 0);
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, base) == 0);
    EXPECT(!vlapic_x2apic_mode(b) && rd(b, APIC_ID) == 2U << 24);
    EXPECT(vlapic_has_pending_irq(b) < 0);
    EXPECT(vlapic_wrmsr(a, MSR_IA32_APICBASE, APIC_DEFAULT_PHYS_BASE) == 0);
    EXPECT(vlapic_wrmsr(a, MSR_IA32_APICBASE, base) == 0);
}

static void test_hostile_mmio(void)
{
    struct vlapic *b = &lapics[1];
    uint64_t v;

    reset_all();
    /* Byte and word reads of one register; anything else reads 0. */
    v = 0;
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_ID + 3, 1, false,
                              &v) == X86EMUL_OKAY &&
           v == 2);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_LVR, 2, false,
                              &v) == X86EMUL_OKAY &&
           v == 0x14);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_LVR + 2, 4,
                              false, &v) == X86EMUL_OKAY &&
           v == 0);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_LVR, 8, false,
                              &v) == X86EMUL_OKAY &&
           v == 0);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + 0xffc, 4, false,
                              &v) == X86EMUL_OKAY &&
           v == 0);
    /* Writes that are not aligned 32-bit ones are dropped. */
    v = 0x80;
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_TASKPRI, 1, true,
                              &v) == X86EMUL_OKAY);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_TASKPRI + 4, 4,
                              true, &v) == X86EMUL_OKAY);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_TASKPRI, 8, true,
                              &v) == X86EMUL_OKAY);
    EXPECT(rd(b, APIC_TASKPRI) == 0);
    /* Writes to ISR/IRR/PPR/TMCCT and holes change nothing. */
    wr(b, APIC_ISR, ~0U);
    wr(b, APIC_IRR + 0x70, ~0U);
    wr(b, APIC_PROCPRI, 0xff);
    wr(b, APIC_TMCCT, 5);
    wr(b, 0x3f0, 0x40);
    wr(b, 0x400, 1);
    EXPECT(rd(b, APIC_ISR) == 0 && rd(b, APIC_IRR + 0x70) == 0);
    EXPECT(rd(b, APIC_PROCPRI) == 0 && rd(b, APIC_TMCCT) == 0);
    EXPECT(vlapic_has_pending_irq(b) < 0);
    /* Outside the page, or with the APIC disabled: not ours. */
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + 0x1000, 4, false,
                              &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE - 4, 4, false, &v) ==
           X86EMUL_UNHANDLEABLE);
    EXPECT(vlapic_wrmsr(b, MSR_IA32_APICBASE, APIC_DEFAULT_PHYS_BASE) == 0);
    EXPECT(vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_ID, 4, false,
                              &v) == X86EMUL_UNHANDLEABLE);
    /* MSRs that are not the LAPIC's. */
    EXPECT(vlapic_rdmsr(b, 0x10, &v) == -EINVAL);
    EXPECT(vlapic_wrmsr(b, 0x900, 0) == -EINVAL);
}

/* Random registers, sizes and MSRs: nothing breaks, the timer stays sane. */
static void test_random(void)
{
    static const unsigned int sizes[] = {1, 2, 3, 4, 8, 16};
    uint64_t v;

    reset_all();
    for (int i = 0; i < 200000; i++) {
        struct vlapic *l = &lapics[rnd() % NR];
        uint64_t r = rnd();

        v = rnd();
        if (r & 1)
            vlapic_mmio_access(l, APIC_DEFAULT_PHYS_BASE + (r >> 8) % 0x1010,
                               sizes[(r >> 1) % 6], (r >> 4) & 1, &v);
        else if ((r >> 1) & 1)
            vlapic_wrmsr(l, APIC_MSR_BASE + (r >> 8) % 0x110, v);
        else
            vlapic_rdmsr(l, APIC_MSR_BASE + (r >> 8) % 0x110, &v);
        if (!(i % 64))
            vclock_advance(rnd() % 100000);
        if (!(i % 1000))
            drain(l);
    }
    for (int i = 0; i < NR; i++)
        vlapic_wrmsr(&lapics[i], MSR_IA32_APICBASE,
                     APIC_DEFAULT_PHYS_BASE | APIC_BASE_MSR_ENABLE);
    reset_all();
    for (int i = 0; i < NR; i++)
        EXPECT(vlapic_has_pending_irq(&lapics[i]) < 0 &&
               rd(&lapics[i], APIC_ID) == (uint32_t)i * 2 << 24);
}

int main(void)
{
    for (int i = 0; i < NR; i++)
        vlapic_init(&lapics[i], lapics, NR, i, &ops, tsc_khz);
    test_registers();
    test_priorities();
    test_timer();
    test_tsc_deadline();
    test_ipi();
    test_x2apic();
    test_hostile_mmio();
    test_random();
    for (int i = 0; i < NR; i++)
        vlapic_destroy(&lapics[i]);
    UNIT_DONE("vlapic");
}
