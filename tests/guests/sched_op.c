/*
 * sched_op: yield, poll (deadline in the past, argument checks), block
 * (wakes only on an event; needs event channels, shared_info and the
 * one-shot timer, skipped while the core lacks them), privileged and
 * unknown sub-ops. With cmdline "shutdown_code" it ends with
 * SCHEDOP_shutdown_code(reboot) + SCHEDOP_shutdown(poweroff): xen must
 * exit with status 2 (sched_shutdown.sh checks that).
 */
#include "guest.h"

#define UNBACKED 0xe0000000UL
#define UPCALL_VECTOR 0xf3

static evtchn_port_t ports[130];

static long poll(evtchn_port_t *p, unsigned int nr, uint64_t timeout)
{
    struct sched_poll sp = {.nr_ports = nr, .timeout = timeout};

    set_xen_guest_handle(sp.ports, p);
    return HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
}

static void test_poll(void)
{
    /* Port 0 exists in every domain and is never pending. */
    check_eq(poll(ports, 1, 1), 0);
    check_eq(poll(ports, 0, 1), 0);
    check_eq(poll(ports, 128, 1), 0);
    check_eq(poll(ports, 129, 1), -EINVAL);
    check_eq(poll(ports, ~0U, 1), -EINVAL);
    /* Bad port array, bad sched_poll. */
    check_eq(poll((evtchn_port_t *)UNBACKED, 1, 1), -EFAULT);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, (void *)UNBACKED), -EFAULT);
    /* A port beyond the ABI's limit. */
    ports[0] = 0x7fffffff;
    check_eq(poll(ports, 1, 1), -EINVAL);
    ports[0] = 0;
}

static volatile unsigned int timer_fired;

static void on_timer(evtchn_port_t port)
{
    (void)port;
    timer_fired++;
}

static void test_block(void)
{
    evtchn_port_t port;
    uint64_t t0, deadline, t1;
    int rc;

    rc = evtchn_init(UPCALL_VECTOR);
    if (!rc)
        rc = evtchn_bind_virq(VIRQ_TIMER, this_vcpu_id(), &port);
    if (rc) {
        printk("block: not tested (event channel set-up: %d)\n", rc);
        return;
    }
    evtchn_set_handler(port, on_timer);
    check_eq(evtchn_unmask(port), 0);

    t0 = system_time_ns();
    deadline = t0 + 20 * 1000 * 1000;
    rc = set_singleshot_timer(deadline);
    if (rc) {
        printk("block: not tested (singleshot timer: %d)\n", rc);
        return;
    }
    while (!timer_fired)
        wait_for_event();
    t1 = system_time_ns();
    check(t1 >= deadline, "block returned %lld ns before the deadline",
          (long long)(deadline - t1));
    check_eq(timer_fired, 1);
    printk("block: woke after %u us\n",
           (unsigned int)div64(t1 - t0, 1000, NULL));

    /* A deadline in the past fires at once; block returns. */
    check_eq(set_singleshot_timer(1), 0);
    wait_for_event();
    check_eq(timer_fired, 2);

    /* poll on the bound port: the timer makes it pending. */
    evtchn_mask(port);
    ports[0] = port;
    deadline = system_time_ns() + 5 * 1000 * 1000;
    check_eq(set_singleshot_timer(deadline), 0);
    check_eq(poll(ports, 1, 0), 0);
    check(system_time_ns() >= deadline, "poll returned early");
    check_eq(evtchn_close(port), 0);
    ports[0] = 0;
}

static void test_misc(void)
{
    struct sched_remote_shutdown rs = {.domain_id = 0, .reason = 0};
    struct sched_pin_override po = {.pcpu = 0};

    for (int i = 0; i < 3; i++)
        check_eq(HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
    /* Control-domain and device-model sub-ops. */
    check_eq(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -EPERM);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_pin_override, &po), -EPERM);
    /* Unknown sub-ops. */
    check_eq(HYPERVISOR_sched_op(8, NULL), -ENOSYS);
    check_eq(HYPERVISOR_sched_op(0x7fffffff, NULL), -ENOSYS);
    /* shutdown with a bad argument does nothing. */
    check_eq(HYPERVISOR_sched_op(SCHEDOP_shutdown, (void *)UNBACKED), -EFAULT);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, (void *)UNBACKED),
             -EFAULT);
}

void test_main(void)
{
    if (cmdline_has("shutdown_code")) {
        struct sched_shutdown sd = {.reason = SHUTDOWN_reboot};

        check_eq(HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &sd), 0);
        printk("shutdown_code reboot set, now powering off\n");
        shutdown(SHUTDOWN_poweroff);
    }
    test_misc();
    test_poll();
    test_block();
}
