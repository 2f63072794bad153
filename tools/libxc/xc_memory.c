/* libxenctrl: a domain's memory reservation and physmap. */
#include <stdint.h>
#include <string.h>

#include "xc_private.h"

/*
 * XENMEM_increase/decrease_reservation or populate_physmap with the
 * frame list bounced both ways. The number of extents done, or -1.
 */
static int reservation_op(xc_interface *xch, unsigned int cmd, uint32_t domid,
                          unsigned long nr_extents, unsigned int extent_order,
                          unsigned int mem_flags, xen_pfn_t *extent_start)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr_extents,
        .extent_order = extent_order,
        .mem_flags = mem_flags,
        .domid = (domid_t)domid,
    };
    struct xc_bounce b;
    long rc;

    if (nr_extents > SIZE_MAX / sizeof(*extent_start)) {
        errno = EINVAL;
        return -1;
    }
    if (xc__bounce_pre(xch, &b, extent_start,
                       nr_extents * sizeof(*extent_start), XC_BOUNCE_BOTH))
        return -1;
    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)b.hbuf);
    rc = xc__do_memory_op(xch, cmd, &r, sizeof(r));
    xc__bounce_post(xch, &b);
    return (int)rc;
}

/* The _exact forms: all done, or -1 with @err (or the hypervisor's). */
static int exactly(int done, unsigned long wanted, int err)
{
    if (done >= 0 && (unsigned long)done == wanted)
        return 0;
    if (done >= 0)
        errno = err;
    return -1;
}

XC_EXPORT
int xc_domain_increase_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   unsigned int mem_flags,
                                   xen_pfn_t *extent_start)
{
    return reservation_op(xch, XENMEM_increase_reservation, domid, nr_extents,
                          extent_order, mem_flags, extent_start);
}

XC_EXPORT
int xc_domain_increase_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         unsigned int mem_flags,
                                         xen_pfn_t *extent_start)
{
    int done = xc_domain_increase_reservation(
        xch, domid, nr_extents, extent_order, mem_flags, extent_start);

    if (done >= 0 && (unsigned long)done != nr_extents)
        DPRINTF("d%u: allocated %d of %lu extents of order %u", domid, done,
                nr_extents, extent_order);
    return exactly(done, nr_extents, ENOMEM);
}

XC_EXPORT
int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   xen_pfn_t *extent_start)
{
    if (!extent_start) {
        errno = EINVAL;
        return -1;
    }
    return reservation_op(xch, XENMEM_decrease_reservation, domid, nr_extents,
                          extent_order, 0, extent_start);
}

XC_EXPORT
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         xen_pfn_t *extent_start)
{
    int done = xc_domain_decrease_reservation(xch, domid, nr_extents,
                                              extent_order, extent_start);

    if (done >= 0 && (unsigned long)done != nr_extents)
        DPRINTF("d%u: released %d of %lu extents of order %u", domid, done,
                nr_extents, extent_order);
    return exactly(done, nr_extents, EINVAL);
}

XC_EXPORT
int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
                               unsigned long nr_extents,
                               unsigned int extent_order,
                               unsigned int mem_flags, xen_pfn_t *extent_start)
{
    return reservation_op(xch, XENMEM_populate_physmap, domid, nr_extents,
                          extent_order, mem_flags, extent_start);
}

XC_EXPORT
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    int done = xc_domain_populate_physmap(xch, domid, nr_extents, extent_order,
                                          mem_flags, extent_start);

    if (done >= 0 && (unsigned long)done != nr_extents)
        DPRINTF("d%u: populated %d of %lu extents of order %u", domid, done,
                nr_extents, extent_order);
    return exactly(done, nr_extents, EBUSY);
}

XC_EXPORT
int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns)
{
    domid_t d = (domid_t)domid;
    long rc = xc__do_memory_op(xch, XENMEM_maximum_gpfn, &d, sizeof(d));

    if (rc < 0)
        return -1;
    *gpfns = rc;
    return 0;
}

XC_EXPORT
int xc_domain_add_to_physmap(xc_interface *xch, uint32_t domid,
                             unsigned int space, unsigned long idx,
                             xen_pfn_t gpfn)
{
    struct xen_add_to_physmap a = {
        .domid = (domid_t)domid,
        .space = space,
        .idx = idx,
        .gpfn = gpfn,
    };

    return (int)xc__do_memory_op(xch, XENMEM_add_to_physmap, &a, sizeof(a));
}

XC_EXPORT
int xc_domain_remove_from_physmap(xc_interface *xch, uint32_t domid,
                                  xen_pfn_t gpfn)
{
    struct xen_remove_from_physmap r = {
        .domid = (domid_t)domid,
        .gpfn = gpfn,
    };

    return (int)xc__do_memory_op(xch, XENMEM_remove_from_physmap, &r,
                                 sizeof(r));
}

XC_EXPORT
int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid,
                             struct e820entry entries[], uint32_t nr_entries)
{
    struct xen_foreign_memory_map fmap = {.domid = (domid_t)domid};
    struct xc_bounce b;
    long rc;

    if (xc__bounce_pre(xch, &b, entries, nr_entries * sizeof(entries[0]),
                       XC_BOUNCE_IN))
        return -1;
    fmap.map.nr_entries = nr_entries;
    set_xen_guest_handle(fmap.map.buffer, b.hbuf);
    rc = xc__do_memory_op(xch, XENMEM_set_memory_map, &fmap, sizeof(fmap));
    xc__bounce_post(xch, &b);
    return (int)rc;
}
