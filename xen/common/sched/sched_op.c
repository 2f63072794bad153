/* The sched_op hypercall: yield, block, poll, shutdown. */
#include <public/sched.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/timer.h>

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    uint32_t ports[SCHED_POLL_MAX];
    uint64_t handle, timeout;
    uint32_t nr;
    struct domain *d = v->domain;

    /* struct sched_poll: 24 bytes natively, 16 for 32-bit callers. */
    if (hypercall_is_compat(v)) {
        struct {
            uint32_t ports, nr_ports;
            uint64_t timeout;
        } __attribute__((packed)) p;

        if (copy_from_guest_obj(v, &p, arg))
            return -EFAULT;
        handle = p.ports;
        nr = p.nr_ports;
        timeout = p.timeout;
    } else {
        struct sched_poll p;

        if (copy_from_guest_obj(v, &p, arg))
            return -EFAULT;
        handle = (uint64_t)(uintptr_t)p.ports.p;
        nr = p.nr_ports;
        timeout = p.timeout;
    }
    if (nr > SCHED_POLL_MAX)
        return -EINVAL;
    if (copy_from_guest(v, ports, handle, nr * sizeof(ports[0])))
        return -EFAULT;
    for (uint32_t i = 0; i < nr; i++)
        if (ports[i] >= evtchn_max_ports(d))
            return -EINVAL;
    /* A deadline already passed: return at once, as Xen does. */
    if (timeout && timeout < NOW())
        return 0;
    return vcpu_poll(v, ports, nr, timeout);
}

/*
 * SCHEDOP_remote_shutdown: the toolstack (or a domain's device model,
 * which we do not have yet) stops another domain. Xen looks the domain
 * up by plain id before its permission check.
 */
static long remote_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_remote_shutdown rs;
    struct domain *d;
    long rc = 0;

    if (copy_from_guest_obj(v, &rs, arg))
        return -EFAULT;
    d = get_domain_by_id(rs.domain_id);
    if (!d)
        return -ESRCH;
    if (v->domain->is_privileged)
        domain_shutdown(d, (uint8_t)rs.reason);
    else
        rc = -EPERM;
    put_domain(d);
    return rc;
}

static long do_sched_op(struct vcpu *v, const uint64_t arg[5])
{
    struct domain *d = v->domain;
    struct sched_shutdown sd;

    switch ((int)arg[0]) { /* cmd is an int in Xen */
    case SCHEDOP_yield:
        v->yield = true;
        return 0;
    case SCHEDOP_block:
        vcpu_block(v);
        return 0;
    case SCHEDOP_shutdown:
        if (copy_from_guest_obj(v, &sd, arg[1]))
            return -EFAULT;
        domain_shutdown(d, (uint8_t)sd.reason);
        return 0;
    case SCHEDOP_shutdown_code:
        if (copy_from_guest_obj(v, &sd, arg[1]))
            return -EFAULT;
        pthread_mutex_lock(&d->lock);
        if (d->state < DOMAIN_SHUTDOWN)
            d->shutdown_code_hint = (uint8_t)sd.reason;
        pthread_mutex_unlock(&d->lock);
        return 0;
    case SCHEDOP_poll:
        return sched_poll(v, arg[1]);
    case SCHEDOP_remote_shutdown:
        return remote_shutdown(v, arg[1]);
    case SCHEDOP_pin_override:
        /* A hardware-domain operation. */
        return d->is_privileged ? -ENOSYS : -EPERM;
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_sched_op, do_sched_op);
