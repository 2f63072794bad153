/*
 * Benchmark guest (bench/run): event-channel ping-pong between two
 * domains. cmdline "server" (domain 1) allocates port 1 for domain 2;
 * "client" (domain 2) binds it. Each round the server sends and waits for
 * the client's answer; the server prints TSC cycles per round trip.
 *
 * With "poll" on the command line both sides wait with SCHEDOP_poll on
 * the masked port (how PV spinlocks wait); otherwise they take upcalls on
 * the callback vector.
 */
#include "evtchn-util.h"

#define ROUNDS 200

static bool use_poll;

static void wait_port(evtchn_port_t port, unsigned int before)
{
    evtchn_port_t ports[1] = {port};
    struct sched_poll poll = {.nr_ports = 1};

    if (!use_poll) {
        evt_wait(port, before);
        return;
    }
    set_xen_guest_handle(poll.ports, ports);
    while (!evt_is_pending(port))
        HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
    evt_clear_pending(port);
}

void test_main(void)
{
    bool is_server = cmdline_has("server");
    long port = -EINVAL;
    uint64_t start = 0;

    use_poll = cmdline_has("poll");
    check_eq(evt_setup(), 0);
    if (is_server) {
        check_eq(evt_alloc_unbound(DOMID_SELF, 2), 1);
        port = 1;
    } else {
        for (unsigned int tries = 0; port == -EINVAL && tries < 10000; tries++) {
            port = evt_bind_interdomain(1, 1);
            if (port == -EINVAL)
                udelay(1000);
        }
        check_eq(port, 1);
        evt_wait(port, 0); /* Xen raises a freshly bound port */
    }
    if (use_poll)
        evt_set_mask(port);
    if (is_server) {
        wait_port(port, 0); /* the client is bound and says so */
        start = rdtsc();
    } else {
        check_eq(evt_send(port), 0);
    }
    for (unsigned int i = 1; i <= ROUNDS; i++) {
        if (is_server) {
            check_eq(evt_send(port), 0);
            wait_port(port, i);
        } else {
            wait_port(port, i);
            check_eq(evt_send(port), 0);
        }
    }
    if (is_server)
        printk("cycles-per-iteration %llu\n",
               (unsigned long long)div64(rdtsc() - start, ROUNDS, NULL));
}
