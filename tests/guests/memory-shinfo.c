/*
 * XENMEM_add_to_physmap of shared_info: mapped at a frame of the guest's
 * choosing, it keeps its contents (event bitmaps) when it moves, the old
 * frame becomes a hole, RAM it lands on is freed, and the wallclock and
 * pvclock it carries are sane and consistent with the TSC and with
 * HVMOP_get_time. 32-bit guests get the 32-bit layout.
 */
#include "guest.h"

#define A 0xf0000UL /* above RAM, below 4 GiB: identity mapped */
#define B 0xf0010UL
#define RAMFRAME 0x1c00UL /* a RAM frame at 28 MiB */

static struct shared_info *at(unsigned long gfn)
{
    return (struct shared_info *)(gfn << 12);
}

static long map_at(unsigned long idx, unsigned long gfn, domid_t dom)
{
    return add_to_physmap(dom, XENMAPSPACE_shared_info, idx, gfn);
}

static long cur(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

/* The wallclock and vCPU 0's pvclock in si are there and make sense. */
static void check_time(struct shared_info *si)
{
    const volatile struct vcpu_time_info *t = &si->vcpu_info[0].time;
    uint64_t ns1, ns2, tsc1, tsc2, host, tsc_ns, diff;
    uint32_t ver, sec, hi, khz = tsc_khz();

    do {
        ver = ACCESS_ONCE(si->wc_version);
        barrier();
        sec = ACCESS_ONCE(si->wc_sec);
        hi = ACCESS_ONCE(si->xen_wc_sec_hi);
        barrier();
    } while ((ver & 1) || ver != ACCESS_ONCE(si->wc_version));
    check(ver != 0, "wallclock never written");
    check_eq(hi, 0);
    /* Boot time of the host: after 2017, before 2100. */
    check(sec > 1500000000U && sec < 4102444800U, "wc_sec %u", sec);
    check(ACCESS_ONCE(si->wc_nsec) < 1000000000U, "wc_nsec %u",
          ACCESS_ONCE(si->wc_nsec));

    check(t->tsc_to_system_mul != 0, "pvclock not set up");
    check(!(t->version & 1), "pvclock version %u", t->version);
    ns1 = pvclock_ns(t, &tsc1);
    host = hvm_get_time();
    udelay(3000);
    ns2 = pvclock_ns(t, &tsc2);
    check(ns2 > ns1, "pvclock went back: %llu then %llu",
          (unsigned long long)ns1, (unsigned long long)ns2);
    /* It follows the TSC at the advertised rate (within 1%)... */
    if (khz) {
        tsc_ns = div64((tsc2 - tsc1) * 1000000, khz, NULL);
        diff = ns2 - ns1 > tsc_ns ? ns2 - ns1 - tsc_ns : tsc_ns - (ns2 - ns1);
        check(diff * 100 <= tsc_ns, "pvclock %llu ns for %llu TSC ns",
              (unsigned long long)(ns2 - ns1), (unsigned long long)tsc_ns);
    }
    /* ... and is the hypervisor's system time (within 10 ms). */
    diff = ns1 > host ? ns1 - host : host - ns1;
    check(diff < 10000000ULL, "pvclock %llu vs get_time %llu",
          (unsigned long long)ns1, (unsigned long long)host);
}

static void check_hole(unsigned long gfn)
{
    check_eq(*(volatile uint32_t *)(gfn << 12), 0xffffffff);
}

/* Make port q pending (masked, so no upcall) on a loopback channel. */
static evtchn_port_t make_pending(struct shared_info *si)
{
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF};
    struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};
    struct evtchn_send s;
    const unsigned int bits = sizeof(xen_ulong_t) * 8;

    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au), 0);
    bi.remote_port = au.port;
    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi), 0);
    si->evtchn_mask[bi.local_port / bits] |= (xen_ulong_t)1
                                             << (bi.local_port % bits);
    s.port = au.port;
    check_eq(HYPERVISOR_event_channel_op(EVTCHNOP_send, &s), 0);
    return bi.local_port;
}

static bool pending(struct shared_info *si, evtchn_port_t port)
{
    const unsigned int bits = sizeof(xen_ulong_t) * 8;

    return ACCESS_ONCE(si->evtchn_pending[port / bits]) &
           ((xen_ulong_t)1 << (port % bits));
}

void test_main(void)
{
    long ram = cur();
    evtchn_port_t q;

    check_eq(map_at(0, A, DOMID_SELF), 0);
    check_time(at(A));
    q = make_pending(at(A));
    check(pending(at(A), q), "port %u not pending", q);
    /* Not counted: a special frame. */
    check_eq(cur(), ram);

    /* Same place again: nothing changes. */
    check_eq(map_at(0, A, DOMID_SELF), 0);
    check(pending(at(A), q), "port %u lost", q);

    /* Move: contents follow, the old frame is a hole. */
    check_eq(map_at(0, B, DOMID_SELF), 0);
    check_hole(A);
    check(pending(at(B), q), "port %u lost in the move", q);
    check_time(at(B));

    /* Onto RAM: the RAM frame is freed, as in Xen. */
    *(volatile uint32_t *)(RAMFRAME << 12) = 0x1234;
    check_eq(map_at(0, RAMFRAME, DOMID_SELF), 0);
    check_hole(B);
    check_eq(cur(), ram - 1);
    check(pending(at(RAMFRAME), q), "port %u lost in the second move", q);
    check_time(at(RAMFRAME));

    /* Taken out (remove_from_physmap), it lives on and comes back. */
    {
        struct xen_remove_from_physmap rm = {.domid = DOMID_SELF,
                                             .gpfn = RAMFRAME};

        check_eq(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), 0);
        check_hole(RAMFRAME);
        check_eq(map_at(0, A, DOMID_SELF), 0);
        check(pending(at(A), q), "port %u lost while unmapped", q);
        check_time(at(A));
    }

    /* Errors. */
    check_eq(map_at(1, B, DOMID_SELF), -EINVAL);
    check_eq(map_at(0, B, 0x7000), -ESRCH);
    check_eq(map_at(0, 1UL << 28, DOMID_SELF), -EINVAL); /* beyond the space */
    check(pending(at(A), q), "port %u lost after errors", q);
    check_eq(cur(), ram - 1);
}
