/*
 * The PV timers: VCPUOP singleshot (with VCPU_SSHOTTMR_future's -ETIME)
 * and periodic timers and set_timer_op, each delivering VIRQ_TIMER as an
 * upcall, also to a vCPU blocked in SCHEDOP_block; SCHEDOP_poll with a
 * deadline returns once it has passed.
 */
#include "guest.h"

#define VECTOR 0xf3
#define MS 1000000ULL
#define BAD_PTR ((void *)0xe0000000UL)

static evtchn_port_t port;

static uint64_t now(void)
{
    return system_time_ns();
}

static long poll_port(uint64_t deadline)
{
    struct sched_poll p = {.nr_ports = 1, .timeout = deadline};

    set_xen_guest_handle(p.ports, &port);
    return HYPERVISOR_sched_op(SCHEDOP_poll, &p);
}

/*
 * Let a pending upcall in. A short "sti; nop; cli" window does not always
 * get kvm_pvm to exit for the injection: halt instead, which exits with
 * interrupts on, but only with an upcall pending (else we would sleep).
 */
static void irq_window(void)
{
    struct shared_info *si = map_shared_info(NULL);

    if (ACCESS_ONCE(si->vcpu_info[0].evtchn_upcall_pending))
        sti_hlt();
    cli();
}

/* Wait until the timer port fired more than `before` times, at most ms. */
static void wait_fired(unsigned int before, unsigned int ms, const char *what)
{
    uint64_t deadline = now() + ms * MS;

    while (evtchn_fired[port] <= before) {
        check(now() < deadline, "%s: no VIRQ_TIMER within %u ms", what, ms);
        check_eq(poll_port(deadline), 0);
        irq_window();
    }
}

/* Nothing fires for ms: poll returns at its deadline, not before. */
static void expect_quiet(unsigned int ms, const char *what)
{
    unsigned int before;
    uint64_t start, deadline;

    irq_window();
    before = evtchn_fired[port];
    start = now();
    deadline = start + ms * MS;
    while (now() < deadline) {
        check_eq(poll_port(deadline), 0);
        irq_window();
        check(evtchn_fired[port] == before, "%s: VIRQ_TIMER fired", what);
    }
}

static long singleshot(unsigned int vcpu, uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = deadline,
                                          .flags = flags};

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, vcpu, &t);
}

static long periodic(unsigned int vcpu, uint64_t period)
{
    struct vcpu_set_periodic_timer p = {.period_ns = period};

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &p);
}

static void test_singleshot(void)
{
    unsigned int before = evtchn_fired[port];
    uint64_t deadline = now() + 5 * MS;

    check_eq(singleshot(0, deadline, VCPU_SSHOTTMR_future), 0);
    /* Blocked in SCHEDOP_block, the vCPU wakes for the upcall. */
    while (evtchn_fired[port] == before) {
        check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0);
        irq_window();
    }
    check(now() >= deadline, "fired %llu ns early",
          (unsigned long long)(deadline - now()));
    check_eq(evtchn_fired[port], before + 1);

    /* In the past: refused with the flag, at once without it. */
    check_eq(singleshot(0, now() - 1000, VCPU_SSHOTTMR_future), -ETIME);
    check_eq(singleshot(0, now() - 1000, 0), 0);
    wait_fired(before + 1, 100, "past deadline");

    /* Stopped before it fires. */
    check_eq(singleshot(0, now() + 20 * MS, 0), 0);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    expect_quiet(40, "stopped singleshot");

    /* A re-arm replaces the earlier deadline. */
    before = evtchn_fired[port];
    check_eq(singleshot(0, now() + 500 * MS, 0), 0);
    deadline = now() + 3 * MS;
    check_eq(singleshot(0, deadline, 0), 0);
    wait_fired(before, 200, "re-armed singleshot");

    /* Only the calling vCPU's own; vCPUs that do not exist. */
    check_eq(singleshot(1, now() + MS, 0), -ENOENT);
    check_eq(singleshot(0x7fffffff, now() + MS, 0), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL),
             -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, BAD_PTR),
             -EFAULT);
}

static void test_set_timer_op(void)
{
    unsigned int before = evtchn_fired[port];
    uint64_t deadline = now() + 3 * MS, start;

    check_eq(HYPERVISOR_set_timer_op(deadline), 0);
    wait_fired(before, 200, "set_timer_op");
    check(now() >= deadline, "set_timer_op fired early");

    /* 0 stops it. */
    check_eq(HYPERVISOR_set_timer_op(now() + 20 * MS), 0);
    check_eq(HYPERVISOR_set_timer_op(0), 0);
    expect_quiet(40, "set_timer_op(0)");

    /* Absurdly far ahead: Xen makes it 100 ms. */
    before = evtchn_fired[port];
    start = now();
    check_eq(HYPERVISOR_set_timer_op(start + (1ULL << 52)), 0);
    wait_fired(before, 2000, "huge set_timer_op");
    check(now() - start >= 90 * MS, "huge timeout fired after %llu ns",
          (unsigned long long)(now() - start));
}

static void test_periodic(void)
{
    unsigned int before = evtchn_fired[port];
    uint64_t start;

    check_eq(periodic(0, MS / 2), -EINVAL);
    check_eq(periodic(0, ~0ULL), -EINVAL);
    check_eq(periodic(1, 2 * MS), -ENOENT);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, BAD_PTR),
             -EFAULT);

    start = now();
    check_eq(periodic(0, 2 * MS), 0);
    for (unsigned int i = 1; i <= 5; i++)
        wait_fired(before + i - 1, 200, "periodic tick");
    check(now() - start >= 10 * MS - MS / 2, "5 ticks of 2 ms in %llu ns",
          (unsigned long long)(now() - start));

    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    expect_quiet(20, "stopped periodic timer");
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
}

/* SCHEDOP_poll with nothing pending returns once the deadline passed. */
static void test_poll_deadline(void)
{
    uint64_t deadline = now() + 10 * MS;

    check_eq(poll_port(deadline), 0);
    check(now() >= deadline, "poll returned %llu ns early",
          (unsigned long long)(deadline - now()));
}

void test_main(void)
{
    int rc = evtchn_init(VECTOR);

    if (rc)
        skip("no event channel upcalls (%d)", rc);
    rc = evtchn_bind_virq(VIRQ_TIMER, 0, &port);
    if (rc)
        skip("cannot bind VIRQ_TIMER (%d)", rc);
    check(port < EVTCHN_TRACKED, "port %u", port);
    check_eq(evtchn_unmask(port), 0);

    test_poll_deadline();
    test_singleshot();
    test_set_timer_op();
    test_periodic();
}
