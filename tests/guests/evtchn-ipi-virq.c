/*
 * IPIs to ourselves and VIRQ_TIMER from the one-shot and periodic timers,
 * delivered through the callback vector; SCHEDOP_poll on a port.
 */
#include "evtchn-util.h"

static void test_ipi(void)
{
    long port = evt_bind_ipi(0);
    uint32_t ports[1];
    struct sched_poll poll = {.nr_ports = 1, .timeout = 0};

    check(port > 0, "bind_ipi: %ld", port);
    for (unsigned int i = 0; i < 10; i++) {
        unsigned int h = evt_hits[port];

        check_eq(evt_send(port), 0);
        evt_wait(port, h);
        check_eq(evt_hits[port], h + 1);
    }

    /* SCHEDOP_poll returns at once on a port that is already pending. */
    evt_set_mask(port);
    check_eq(evt_send(port), 0);
    ports[0] = port;
    set_xen_guest_handle(poll.ports, ports);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &poll), 0);
    check(evt_is_pending(port), "polled port not pending");
    evt_clear_pending(port);
    evt_clear_mask(port);
    check_eq(evt_close(port), 0);
    printk("IPIs delivered, poll returned\n");
}

static void test_timer_virq(void)
{
    struct vcpu_set_singleshot_timer single = {0};
    struct vcpu_set_periodic_timer periodic = {.period_ns = 2000000};
    uint64_t now = system_time_ns();
    unsigned int h;
    long port;

    port = evt_bind_virq(VIRQ_TIMER, 0);
    check(port > 0, "bind_virq(VIRQ_TIMER): %ld", port);
    check_eq(evt_bind_virq(VIRQ_TIMER, 0), -EEXIST);

    h = evt_hits[port];
    check_eq(HYPERVISOR_set_timer_op(now + 1000000), 0);
    evt_wait(port, h);

    h = evt_hits[port];
    single.timeout_abs_ns = system_time_ns() + 1000000;
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &single), 0);
    evt_wait(port, h);

    h = evt_hits[port];
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &periodic), 0);
    evt_wait(port, h + 2);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);

    /* A timer firing on a closed VIRQ port delivers nothing. */
    check_eq(evt_close(port), 0);
    check_eq(HYPERVISOR_set_timer_op(system_time_ns() + 100000), 0);
    udelay(2000);
    evt_irq_window();
    check(!evt_is_pending(port), "closed VIRQ port pending");
}

void test_main(void)
{
    check_eq(evt_setup(), 0);
    test_ipi();
    test_timer_virq();
}
