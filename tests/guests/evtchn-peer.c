/*
 * Interdomain event channels between two domains (evtchn-interdomain.sh):
 * cmdline "server" runs as domain 1, "client" as domain 2.
 *
 * The server allocates port 1 (the lowest free port of a fresh domain)
 * for domain 2, so the client knows what to bind without any other
 * channel; it retries until the server has done so. Then they ping-pong
 * ROUNDS times, and the server closes its end, which makes the client's
 * end unbound again.
 */
#include "evtchn-util.h"

#define SERVER 1
#define CLIENT 2
#define ROUNDS 50

static void server(void)
{
    struct evtchn_status st;
    long port;

    check_eq(evt_alloc_unbound(DOMID_SELF, CLIENT), 1);
    check_eq(evt_alloc_unbound(DOMID_SELF, 3), 2);   /* not the client's */
    port = 1;

    /* The client's first send tells us it is bound. */
    evt_wait(port, 0);

    /* Another domain's table is out of reach. */
    check_eq(evt_alloc_unbound(CLIENT, SERVER), -EPERM);
    check_eq(evt_status(CLIENT, 1, &st), -EPERM);
    check_eq(evt_status(CLIENT, 64, &st), -EINVAL);
    check_eq(evt_reset(CLIENT), -EPERM);
    check_eq(evt_bind_interdomain(CLIENT, 1), -EINVAL);
    check_eq(evt_status(DOMID_SELF, port, &st), 0);
    check_eq(st.status, EVTCHNSTAT_interdomain);
    check_eq(st.u.interdomain.dom, CLIENT);
    check_eq(st.u.interdomain.port, 1);

    for (unsigned int i = 1; i < ROUNDS; i++) {
        check_eq(evt_send(port), 0);
        evt_wait(port, i);
    }
    check_eq(evt_hits[port], ROUNDS);
    check_eq(evt_close(port), 0);
    printk("server: %u rounds\n", ROUNDS);
}

static void client(void)
{
    struct evtchn_status st;
    long port = evt_bind_interdomain_wait(SERVER, 1);

    check_eq(port, 1);
    /* Xen raises a freshly bound port: our own event, not the server's. */
    evt_wait(port, 0);
    check_eq(evt_status(DOMID_SELF, port, &st), 0);
    check_eq(st.status, EVTCHNSTAT_interdomain);
    check_eq(st.u.interdomain.dom, SERVER);
    check_eq(st.u.interdomain.port, 1);
    check_eq(evt_bind_interdomain(SERVER, 1), -EINVAL);  /* taken now */
    check_eq(evt_bind_interdomain(SERVER, 2), -EINVAL);  /* for domain 3 */
    check_eq(evt_bind_interdomain(SERVER, 3), -EINVAL);  /* free */

    for (unsigned int i = 1; i < ROUNDS; i++) {
        check_eq(evt_send(port), 0);
        evt_wait(port, i);
    }
    check_eq(evt_send(port), 0);

    /* The server closes its end: ours waits for it again. */
    for (unsigned int tries = 0; tries < 10000; tries++) {
        check_eq(evt_status(DOMID_SELF, port, &st), 0);
        if (st.status != EVTCHNSTAT_interdomain)
            break;
        udelay(1000);
    }
    check_eq(st.status, EVTCHNSTAT_unbound);
    check_eq(st.u.unbound.dom, SERVER);
    check_eq(evt_send(port), 0);
    check_eq(evt_close(port), 0);
    printk("client: %u rounds\n", ROUNDS);
}

void test_main(void)
{
    evt_run_role("server", server, "client", client);
}
