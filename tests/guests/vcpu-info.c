/*
 * VCPUOP_register_vcpu_info: vcpu_info moves out of shared_info into a
 * guest page, with its contents; Xen then marks every selector bit and
 * the upcall pending so that nothing is lost. Events keep arriving
 * through the new place and its pvclock stays valid (the legacy slot is
 * left behind). Also the errors, and the other small VCPUOPs.
 */
#include "guest.h"

#define VECTOR 0xf3
#define MS 1000000ULL
#define BAD_PTR ((void *)0xe0000000UL)

static uint8_t page[4096] __aligned(4096);
static struct shared_info *si;
static struct vcpu_info *volatile vi; /* where vCPU 0's vcpu_info is */
static evtchn_port_t port;
static volatile unsigned int fired, upcalls;

static void count_timer(evtchn_port_t p)
{
    if (p == port)
        fired++;
}

static void upcall(struct cpu_regs *regs)
{
    (void)regs;
    upcalls++;
    evtchn_scan(si, vi, count_timer);
}

/* Take a pending upcall (halting: a short sti window is not enough). */
static void irq_window(void)
{
    if (ACCESS_ONCE(vi->evtchn_upcall_pending))
        sti_hlt();
    cli();
}

/* A singleshot VIRQ_TIMER 2 ms ahead arrives as an upcall. */
static void check_timer_event(const char *when)
{
    unsigned int before = fired;
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns =
                                              hvm_get_time() + 2 * MS};
    uint64_t deadline = t.timeout_abs_ns + 500 * MS;

    check_eq(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t), 0);
    while (fired == before) {
        check(hvm_get_time() < deadline, "%s: no timer event", when);
        check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
        irq_window();
    }
}

static long reg(unsigned int vcpu, uint64_t gfn, uint32_t offset)
{
    struct vcpu_register_vcpu_info r = {.mfn = gfn, .offset = offset};

    return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

static void check_clock(const volatile struct vcpu_time_info *t,
                        const char *what)
{
    uint64_t a = pvclock_ns(t, NULL), b = hvm_get_time();

    check(!(t->version & 1) && t->tsc_to_system_mul, "%s: pvclock unset", what);
    check((a > b ? a - b : b - a) < 10 * MS, "%s: pvclock %llu, host %llu",
          what, (unsigned long long)a, (unsigned long long)b);
}

static void test_register(void)
{
    uint64_t gfn = (uintptr_t)page >> 12;
    struct vcpu_info *legacy = &si->vcpu_info[0], *nvi;
    uint32_t legacy_version;

    /* Errors first: straddling the page, no RAM there, bad vCPU, fault. */
    check_eq(reg(0, gfn, 4096 - 63), -EINVAL);
    check_eq(reg(0, gfn, 3), -EINVAL); /* misaligned (XSA-327) */
    check_eq(reg(0, gfn, 0xffffffff), -EINVAL);
    check_eq(reg(0, 0xe0000, 0), -EINVAL);
    check_eq(reg(0, 1ULL << 40, 0), -EINVAL);
    check_eq(reg(1, gfn, 0), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, BAD_PTR),
             -EFAULT);

    /* The last slot that fits. */
    nvi = (struct vcpu_info *)(page + 4096 - 64);
    memset(nvi, 0x5a, sizeof(*nvi));
    legacy_version = legacy->time.version;
    check_eq(reg(0, gfn, 4096 - 64), 0);
    vi = nvi;
    /* Contents came along; everything is marked pending. */
    check_eq(nvi->evtchn_pending_sel, ~(xen_ulong_t)0);
    check_eq(nvi->evtchn_upcall_pending, 1);
    check_eq(nvi->time.tsc_to_system_mul, legacy->time.tsc_to_system_mul);
    check_clock(&nvi->time, "moved pvclock");
    /* A spurious scan, then quiet. */
    irq_window();
    check(upcalls > 0, "no upcall after the move");
    check_eq(nvi->evtchn_upcall_pending, 0);

    /* Once only. */
    check_eq(reg(0, gfn, 0), -EINVAL);

    check_timer_event("after the move");
    /* The pvclock is kept in the new place, the old one is left. */
    check_clock(&nvi->time, "pvclock after events");
    check_eq(legacy->time.version, legacy_version);
}

static void raise_nmi(void *arg)
{
    (void)arg;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 0, NULL), 0);
    udelay(50000);
}

static void test_misc(void)
{
    struct vcpu_get_physid id;
    struct vcpu_hvm_context ctx;

    check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 0, NULL), 0);
    memset(&ctx, 0, sizeof(ctx));
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, &ctx), -EEXIST);
    /* Only for vCPUs pinned to one pCPU. */
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_physid, 0, &id), -EINVAL);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 0, &id), -EINVAL);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 1, NULL), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(99, 0, NULL), -ENOSYS);
    check_eq(HYPERVISOR_vcpu_op(99, 5, NULL), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    /* An NMI to ourselves arrives through vector 2. */
    expect_fault(X86_EXC_NMI, raise_nmi, NULL, "VCPUOP_send_nmi");
}

void test_main(void)
{
    struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};
    struct evtchn_unmask u;
    int rc;

    si = map_shared_info(&rc);
    if (!si)
        fail("cannot map shared_info (%d)", rc);
    vi = &si->vcpu_info[0];
    memset(si->evtchn_mask, 0xff, sizeof(si->evtchn_mask));
    set_irq_handler(VECTOR, upcall);
    check_eq(upcall_via_callback_irq(VECTOR), 0);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);
    if (rc)
        skip("cannot bind VIRQ_TIMER (%d)", rc);
    port = b.port;
    u.port = port;
    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &u), 0);

    check_timer_event("before the move");
    test_register();
    test_misc();
}
