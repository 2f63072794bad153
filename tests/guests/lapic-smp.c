/*
 * The local APICs of an SMP PVH guest (lapic-smp.sh: 4 vCPUs on 2
 * pCPUs). Two rounds: the secondary vCPUs are brought up first with
 * VCPUOP_initialise/VCPUOP_up, then (after VCPUOP_down) with
 * INIT-SIPI-SIPI through a real-mode trampoline. In each round every
 * vCPU runs its own LAPIC timer, vCPU 0 sends each secondary a fixed IPI
 * (physical destination) that it answers with one back, then a logical
 * (flat) IPI to all three, an NMI to each, and the broadcast shorthands.
 * One NMI per vCPU and round: the 32-bit runtime returns from traps
 * without iret (KVM's emulator cannot run it), so NMIs stay blocked
 * until the next INIT.
 */
#include "guest.h"
#include "apic.h"

#define NR 4
#define V_TIMER 0x40
#define V_PING 0x50
#define V_PONG 0x51
#define V_LOGICAL 0x52
#define V_ALLBUT 0x53
#define V_ALL 0x54
#define V_STOP 0x55
#define SECONDS_NS 1000000000ULL

static volatile unsigned int got[NR][256];
static volatile unsigned int nmis[NR];
static volatile unsigned int ready, timers_done;
static volatile bool stop;

/* The calling vCPU: APIC ids are twice the vCPU ids. */
static unsigned int me(void)
{
    uint32_t id = apic_read(APIC_ID);

    return (apic_x2apic() ? id : id >> 24) / 2;
}

static void on_irq(struct cpu_regs *r)
{
    unsigned int v = r->vector & 0xff, id = me();

    __atomic_fetch_add(&got[id][v], 1, __ATOMIC_SEQ_CST);
    if (v == V_PING)
        apic_ipi(0, APIC_DM_FIXED | V_PONG);
    apic_eoi();
}

static void on_nmi(struct cpu_regs *r)
{
    (void)r;
    __atomic_fetch_add(&nmis[me()], 1, __ATOMIC_SEQ_CST);
}

/* One-shot timer on the calling vCPU, waited for with HLT. */
static unsigned int timer_id;
static bool timer_fired(void)
{
    return got[timer_id][V_TIMER];
}

static void own_timer(unsigned int id)
{
    check_eq(apic_read(APIC_ID), id * 2 << 24);
    check_eq(cpuid(1).ebx >> 24, id * 2);
    apic_write(APIC_TDCR, APIC_TDCR_DIV1);
    apic_write(APIC_LVTT, V_TIMER);
    apic_write(APIC_TMICT, 1000000 * (id + 1));
}

static bool my_timer_fired(void)
{
    return got[me()][V_TIMER];
}

static void ap_fn(unsigned int id)
{
    apic_sw_enable();
    /* Flat logical mode: vCPU n is bit n. */
    apic_write(APIC_DFR, 0xffffffff);
    apic_write(APIC_LDR, 1U << (24 + id));
    own_timer(id);
    __atomic_fetch_add(&ready, 1, __ATOMIC_SEQ_CST);
    apic_wait(my_timer_fired, 10 * SECONDS_NS, "the secondary's timer");
    __atomic_fetch_add(&timers_done, 1, __ATOMIC_SEQ_CST);
    /* Halted: the round's IPIs (and the last, V_STOP) wake it. */
    while (!stop) {
        sti_hlt();
        cli();
    }
}

static unsigned int want;
static bool ready_all(void)
{
    return ready == NR - 1;
}

static bool timers_all(void)
{
    return timers_done == NR - 1;
}

static bool pongs(void)
{
    return got[0][V_PONG] >= want;
}

static bool vec_on_aps(void)
{
    for (unsigned int i = 1; i < NR; i++)
        if (got[i][want] != 1)
            return false;
    return true;
}

static bool nmis_on_aps(void)
{
    for (unsigned int i = 1; i < NR; i++)
        if (nmis[i] != 1)
            return false;
    return true;
}

static bool all_on_bsp(void)
{
    return got[0][V_ALL] == 1;
}

static bool aps_down(void)
{
    return vcpus_running == 1;
}

static void round(const char *how, bool sipi)
{
    memset((void *)got, 0, sizeof(got));
    memset((void *)nmis, 0, sizeof(nmis));
    ready = timers_done = 0;
    stop = false;
    for (unsigned int i = 1; i < NR; i++) {
        if (sipi)
            apic_start_ap(i, i * 2);
        else
            check_eq(vcpu_start(i, ap_fn), 0);
    }
    apic_wait(ready_all, 10 * SECONDS_NS, "the secondaries");
    /* vCPU 0's timer while theirs run. */
    timer_id = 0;
    own_timer(0);
    apic_wait(timer_fired, 10 * SECONDS_NS, "vCPU 0's timer");
    apic_wait(timers_all, 10 * SECONDS_NS, "the secondaries' timers");

    /* Fixed IPIs, physical destination, and the answers. */
    for (unsigned int i = 1; i < NR; i++) {
        want = i;
        apic_ipi(i * 2, APIC_DM_FIXED | V_PING);
        apic_wait(pongs, 10 * SECONDS_NS, "an answer to a fixed IPI");
        check_eq(got[i][V_PING], 1);
    }
    /* Logical flat destination: vCPUs 1-3; lowest priority is fixed. */
    want = V_LOGICAL;
    apic_ipi(0xe, APIC_DEST_LOGICAL | APIC_DM_FIXED | V_LOGICAL);
    apic_wait(vec_on_aps, 10 * SECONDS_NS, "the logical IPI");
    /* NMIs. */
    for (unsigned int i = 1; i < NR; i++)
        apic_ipi(i * 2, APIC_DM_NMI);
    apic_wait(nmis_on_aps, 10 * SECONDS_NS, "the NMIs");
    check_eq(nmis[0], 0);
    /* Shorthands: all but self, then all including self. */
    want = V_ALLBUT;
    apic_ipi(0, APIC_DEST_ALLBUT | V_ALLBUT);
    apic_wait(vec_on_aps, 10 * SECONDS_NS, "the all-but-self IPI");
    want = V_ALL;
    apic_ipi(0, APIC_DEST_ALL | V_ALL);
    apic_wait(vec_on_aps, 10 * SECONDS_NS, "the all-including-self IPI");
    apic_wait(all_on_bsp, 10 * SECONDS_NS, "the all IPI on vCPU 0");
    check_eq(got[0][V_ALLBUT], 0);

    stop = true;
    apic_ipi(0, APIC_DEST_ALLBUT | V_STOP);
    apic_wait(aps_down, 10 * SECONDS_NS, "the secondaries to go down");
    printk("round %s ok\n", how);
}

void test_main(void)
{
    static const uint8_t vecs[] = {V_TIMER,   V_PING, V_PONG, V_LOGICAL,
                                   V_ALLBUT,  V_ALL,  V_STOP};

    for (unsigned int i = 0; i < ARRAY_SIZE(vecs); i++)
        set_irq_handler(vecs[i], on_irq);
    set_irq_handler(X86_EXC_NMI, on_nmi);
    apic_sw_enable();
    apic_write(APIC_DFR, 0xffffffff);
    apic_write(APIC_LDR, 1U << 24);
    round("VCPUOP_up", false);
    round("INIT-SIPI-SIPI", true);
}
