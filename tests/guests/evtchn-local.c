/*
 * Event channels within one domain: every EVTCHNOP with its Xen error
 * codes, loopback interdomain channels, delivery through the callback
 * vector, masking, reset and port exhaustion.
 */
#include "evtchn-util.h"

static domid_t self;

static void check_status(evtchn_port_t port, uint32_t status, uint32_t vcpu)
{
    struct evtchn_status st;

    check_eq(evt_status(DOMID_SELF, port, &st), 0);
    check(st.status == status, "port %u: status %u, expected %u", port,
          st.status, status);
    check_eq(st.vcpu, vcpu);
}

static void check_unbound(evtchn_port_t port, domid_t remote)
{
    struct evtchn_status st;

    check_eq(evt_status(DOMID_SELF, port, &st), 0);
    check_eq(st.status, EVTCHNSTAT_unbound);
    check_eq(st.u.unbound.dom, remote);
}

static void check_interdomain(evtchn_port_t port, domid_t dom,
                              evtchn_port_t rport)
{
    struct evtchn_status st;

    check_eq(evt_status(DOMID_SELF, port, &st), 0);
    check_eq(st.status, EVTCHNSTAT_interdomain);
    check_eq(st.u.interdomain.dom, dom);
    check_eq(st.u.interdomain.port, rport);
}

/* Loopback channels, status of each kind, close. */
static void test_ports(void)
{
    long a, b, c;
    struct evtchn_status st;

    /* A fresh domain allocates from port 1 upwards. */
    check_eq(evt_alloc_unbound(DOMID_SELF, DOMID_SELF), 1);
    check_unbound(1, self);
    check_eq(evt_alloc_unbound(self, 77), 2);   /* remote need not exist */
    check_unbound(2, 77);

    check_eq(evt_bind_interdomain(DOMID_SELF, 1), 3);
    check_interdomain(1, self, 3);
    check_interdomain(3, self, 1);
    /* Only an unbound port that allows us can be bound. */
    check_eq(evt_bind_interdomain(DOMID_SELF, 1), -EINVAL);
    check_eq(evt_bind_interdomain(DOMID_SELF, 2), -EINVAL);
    check_eq(evt_bind_interdomain(DOMID_SELF, 0), -EINVAL);
    check_eq(evt_bind_interdomain(DOMID_SELF, 40), -EINVAL);
    check_eq(evt_bind_interdomain(DOMID_SELF, 5000), -EINVAL);
    check_eq(evt_bind_interdomain(77, 1), -ESRCH);
    check_eq(evt_send(1), 0);
    check_eq(evt_send(3), 0);
    check_eq(evt_send(2), 0);   /* unbound: dropped */

    /* Closing one end makes the other unbound again, for us. */
    check_eq(evt_close(3), 0);
    check_status(3, EVTCHNSTAT_closed, 0);
    check_unbound(1, self);
    check_eq(evt_close(3), -EINVAL);
    check_eq(evt_bind_interdomain(self, 1), 3);   /* lowest free again */
    check_interdomain(1, self, 3);

    /* VIRQs: per-vCPU ones on any vCPU, global ones on vCPU 0 only. */
    a = evt_bind_virq(VIRQ_DEBUG, 0);
    check_eq(a, 4);
    check_eq(evt_bind_virq(VIRQ_DEBUG, 0), -EEXIST);
    check_eq(evt_bind_virq(NR_VIRQS, 0), -EINVAL);
    check_eq(evt_bind_virq(0x80000000u, 0), -EINVAL);
    check_eq(evt_bind_virq(VIRQ_DOM_EXC, 1), -EINVAL);
    check_eq(evt_bind_virq(VIRQ_TIMER, 1), -ENOENT);
    check_eq(evt_bind_virq(VIRQ_TIMER, 200), -ENOENT);
    b = evt_bind_virq(VIRQ_ARCH_0, 0);
    check_eq(b, 5);
    check_eq(evt_status(DOMID_SELF, a, &st), 0);
    check_eq(st.status, EVTCHNSTAT_virq);
    check_eq(st.u.virq, VIRQ_DEBUG);
    check_eq(evt_status(DOMID_SELF, b, &st), 0);
    check_eq(st.u.virq, VIRQ_ARCH_0);

    c = evt_bind_ipi(0);
    check_eq(c, 6);
    check_status(c, EVTCHNSTAT_ipi, 0);
    check_eq(evt_bind_ipi(1), -ENOENT);

    /* bind_vcpu: unbound, interdomain and global VIRQ ports only. */
    check_eq(evt_bind_vcpu(1, 0), 0);
    check_eq(evt_bind_vcpu(2, 0), 0);
    check_eq(evt_bind_vcpu(b, 0), 0);
    check_eq(evt_bind_vcpu(a, 0), -EINVAL);
    check_eq(evt_bind_vcpu(c, 0), -EINVAL);
    check_eq(evt_bind_vcpu(1, 1), -ENOENT);
    check_eq(evt_bind_vcpu(50, 0), -EINVAL);
    check_eq(evt_bind_vcpu(4095, 0), -EINVAL);

    /* send: interdomain, IPI and unbound ports only. */
    check_eq(evt_send(a), -EINVAL);
    check_eq(evt_send(0), -EINVAL);
    check_eq(evt_send(50), -EINVAL);
    check_eq(evt_send(64), -EINVAL);
    check_eq(evt_send(~0u), -EINVAL);

    /* Port 0 is reserved: closed, but not closable. */
    check_status(0, EVTCHNSTAT_closed, 0);
    check_eq(evt_close(0), -EINVAL);
    /* Ports beyond the allocated bucket of 64 are not valid at all. */
    check_status(63, EVTCHNSTAT_closed, 0);
    check_eq(evt_status(DOMID_SELF, 64, &st), -EINVAL);
    check_eq(evt_status(77, 1, &st), -ESRCH);
    check_eq(evt_unmask(64), -EINVAL);
    check_eq(evt_unmask(1), 0);

    /* Only our own table. */
    check_eq(evt_alloc_unbound(77, DOMID_SELF), -ESRCH);
    check_eq(evt_reset(77), -ESRCH);

    /* Closing a VIRQ port frees the VIRQ. */
    check_eq(evt_close(a), 0);
    check_eq(evt_bind_virq(VIRQ_DEBUG, 0), a);
}

/* The FIFO ABI is not there; pIRQs are not either. */
static void test_unsupported(void)
{
    struct evtchn_init_control ic = {0};
    struct evtchn_expand_array ea = {0};
    struct evtchn_set_priority sp = {.port = 1, .priority = 3};
    struct evtchn_bind_pirq bp = {.pirq = 1};
    struct evtchn_reset r = {.dom = DOMID_SELF};

    check_eq(evt_op(EVTCHNOP_init_control, &ic), -EOPNOTSUPP);
    check_eq(evt_op(EVTCHNOP_expand_array, &ea), -EOPNOTSUPP);
    check_eq(evt_op(EVTCHNOP_set_priority, &sp), -ENOSYS);
    sp.port = 100;
    check_eq(evt_op(EVTCHNOP_set_priority, &sp), -EINVAL);
    check_eq(evt_op(EVTCHNOP_bind_pirq, &bp), -EINVAL);
    /* No reset in progress to continue. */
    check_eq(evt_op(EVTCHNOP_reset_cont, &r), -EBUSY);
    check_eq(evt_op(15, &r), -ENOSYS);
    check_eq(evt_op(-1, &r), -ENOSYS);
    /* Bad argument pointers. */
    check_eq(evt_op(EVTCHNOP_alloc_unbound, (void *)0xe0000000ul), -EFAULT);
    check_eq(evt_op(EVTCHNOP_init_control, (void *)0xe0000000ul), -EFAULT);
}

/* The old hypercall: a struct evtchn_op holding cmd and the argument. */
static void test_compat_hypercall(void)
{
    struct evtchn_op op = {.cmd = EVTCHNOP_status};

    op.u.status.dom = DOMID_SELF;
    op.u.status.port = 3;
    check_eq(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), 0);
    check_eq(op.u.status.status, EVTCHNSTAT_interdomain);
    check_eq(op.u.status.u.interdomain.port, 1);

    op.cmd = EVTCHNOP_alloc_unbound;
    op.u.alloc_unbound.dom = DOMID_SELF;
    op.u.alloc_unbound.remote_dom = DOMID_SELF;
    check_eq(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), 0);
    check_eq(op.u.alloc_unbound.port, 7);
    op.cmd = EVTCHNOP_close;
    op.u.close.port = 7;
    check_eq(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), 0);
    /* Only the original commands. */
    op.cmd = EVTCHNOP_reset;
    check_eq(hypercall1(__HYPERVISOR_event_channel_op_compat, &op), -ENOSYS);
    check_eq(hypercall1(__HYPERVISOR_event_channel_op_compat, 0xe0000000ul),
             -EFAULT);
}

/* Delivery through shared_info and the callback vector. */
static void test_delivery(void)
{
    unsigned int h1, h3, h6;

    /* Xen raises the new local port of a bind: a notification may have
     * been lost while the other end was unbound. */
    evt_clear_pending(3);
    check_eq(evt_close(3), 0);
    check(!evt_is_pending(3), "close must clear pending");
    h3 = evt_hits[3];
    check_eq(evt_bind_interdomain(DOMID_SELF, 1), 3);
    evt_wait(3, h3);

    /* Each end of the loopback signals the other. */
    h1 = evt_hits[1];
    h3 = evt_hits[3];
    check_eq(evt_send(3), 0);
    evt_wait(1, h1);
    check_eq(evt_send(1), 0);
    evt_wait(3, h3);
    check_eq(evt_hits[1], h1 + 1);

    /* Masked: pending, no upcall; unmask delivers it. */
    evt_set_mask(1);
    h1 = evt_hits[1];
    check_eq(evt_send(3), 0);
    evt_irq_window();
    check(evt_is_pending(1), "masked port 1 not pending");
    check_eq(evt_hits[1], h1);
    check_eq(evt_unmask(1), 0);
    check(!evt_is_masked(1), "unmask must clear the mask bit");
    evt_wait(1, h1);

    /* Unmask of a port that is not masked delivers nothing new. */
    h1 = evt_hits[1];
    check_eq(evt_unmask(1), 0);
    evt_irq_window();
    check_eq(evt_hits[1], h1);

    /* A second send while pending is merged into one event. */
    evt_set_mask(1);
    check_eq(evt_send(3), 0);
    check_eq(evt_send(3), 0);
    evt_clear_mask(1);
    check_eq(evt_unmask(1), 0);   /* mask already clear: no delivery */
    evt_irq_window();
    check_eq(evt_hits[1], h1);
    evt_set_mask(1);
    check_eq(evt_unmask(1), 0);
    evt_wait(1, h1);
    check_eq(evt_hits[1], h1 + 1);

    /* IPI to ourselves. */
    h6 = evt_hits[6];
    check_eq(evt_send(6), 0);
    evt_wait(6, h6);

    /* Closing a masked pending port clears pending; the mask stays. */
    evt_set_mask(6);
    check_eq(evt_send(6), 0);
    check(evt_is_pending(6), "IPI port not pending");
    check_eq(evt_close(6), 0);
    check(!evt_is_pending(6), "close must clear pending");
    check(evt_is_masked(6), "close must leave the mask");
    evt_clear_mask(6);
}

/* reset closes everything; then every port up to the limit, lowest first. */
static void test_reset_and_exhaustion(void)
{
    struct evtchn_status st;
    long port;

    check_eq(evt_reset(DOMID_SELF), 0);
    for (evtchn_port_t p = 1; p < 64; p++) {
        check_eq(evt_status(DOMID_SELF, p, &st), 0);
        check(st.status == EVTCHNSTAT_closed, "port %u open after reset", p);
    }
    check_eq(evt_bind_virq(VIRQ_DEBUG, 0), 1);
    check_eq(evt_reset(self), 0);

    for (unsigned long i = 1; i < EVT_NR_PORTS; i++) {
        port = evt_alloc_unbound(DOMID_SELF, DOMID_SELF);
        if (port != (long)i)
            fail("allocation %lu gave %ld", i, port);
    }
    check_eq(evt_alloc_unbound(DOMID_SELF, DOMID_SELF), -ENOSPC);
    check_eq(evt_bind_ipi(0), -ENOSPC);
    check_eq(evt_bind_virq(VIRQ_DEBUG, 0), -ENOSPC);
    check_eq(evt_status(DOMID_SELF, EVT_NR_PORTS, &st), -EINVAL);
    check_eq(evt_close(EVT_NR_PORTS / 2), 0);
    check_eq(evt_bind_ipi(0), EVT_NR_PORTS / 2);
    check_eq(evt_reset(DOMID_SELF), 0);
    check_eq(evt_alloc_unbound(DOMID_SELF, DOMID_SELF), 1);
    check_eq(evt_reset(DOMID_SELF), 0);
}

void test_main(void)
{
    int rc, id = cpuid_domid();

    check(id > 0, "no domain id in CPUID");
    self = id;
    test_ports();
    test_unsupported();
    test_compat_hypercall();

    rc = evt_setup();
    check_eq(rc, 0);
    test_delivery();
    test_reset_and_exhaustion();
}
