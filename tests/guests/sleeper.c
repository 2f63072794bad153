/*
 * A vCPU that sleeps 1 ms at a time (bench/sched, sched-system.sh): each
 * round is a SCHEDOP_poll with a deadline 1 ms ahead on a port nothing
 * ever signals, so xen's poll timer wakes it; how late past the deadline
 * it gets to run is its wake-up latency. After ROUNDS rounds it prints
 * "wake-up latency p50 N p99 N ns" and passes.
 */
#include "guest.h"

#define ROUNDS 2000
#define SLEEP_NS 1000000ULL

static uint64_t lat[ROUNDS];

static void sort(uint64_t *a, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j && a[j - 1] > a[j]; j--) {
            uint64_t t = a[j];

            a[j] = a[j - 1];
            a[j - 1] = t;
        }
}

void test_main(void)
{
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF};
    struct sched_poll p = {.nr_ports = 1};

    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0);
    set_xen_guest_handle(p.ports, &au.port);
    printk("sleeping\n");
    console_flush();
    for (unsigned int i = 0; i < ROUNDS; i++) {
        uint64_t now;

        p.timeout = system_time_ns() + SLEEP_NS;
        check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, &p), 0);
        now = system_time_ns();
        check(now >= p.timeout, "round %u: woke %llu ns early", i,
              (unsigned long long)(p.timeout - now));
        lat[i] = now - p.timeout;
    }
    sort(lat, ROUNDS);
    printk("wake-up latency p50 %llu p99 %llu ns\n",
           (unsigned long long)lat[ROUNDS / 2],
           (unsigned long long)lat[ROUNDS * 99 / 100]);
}
