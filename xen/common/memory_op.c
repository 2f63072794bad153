/*
 * The memory_op hypercall for HVM/PVH guests: ballooning (increase and
 * decrease reservation, populate physmap), reservation queries, placing
 * shared_info, grant frames and RAM frames in the physmap, and the
 * domain's memory map. Semantics and error codes are Xen 4.12's.
 *
 * The reservation operations answer with the number of extents done (the
 * first one they were asked to start at, for any error) and stop at the
 * first failure. Xen bounds their work with continuations; we bound it by
 * the domain's memory: every extent of a populate or increase consumes
 * part of max_pages (as Xen's allocations would), every extent of a
 * decrease removes populated frames, so no guest value makes them loop.
 *
 * 32-bit callers use the compat layouts (4-byte handles, frame numbers
 * and unsigned longs).
 */
#include <stdlib.h>
#include <string.h>

#include <asm-x86/e820.h>
#include <asm-x86/hvm.h>
#include <asm-x86/time.h>
#include <public/arch-x86/hvm/start_info.h>
#include <public/memory.h>
#include <xen/grant_table.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

/* cmd bits 63:6 (31:6) carry the extent to start at (a continuation). */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1UL << MEMOP_EXTENT_SHIFT) - 1)
/* Largest extent a domU may ask for: 2 MiB (Xen's domu_max_order). */
#define DOMU_MAX_ORDER 9
#define NUMA_NO_NODE 0xff
/* Xen's E820MAX: the most entries XENMEM_set_memory_map takes. */
#define E820MAX 1024

/* ---- 32-bit layouts ---- */

struct compat_memory_reservation {
    uint32_t extent_start;
    uint32_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
};

struct compat_add_to_physmap {
    uint16_t domid;
    uint16_t size;
    uint32_t space;
    uint32_t idx;
    uint32_t gpfn;
};

struct compat_add_to_physmap_batch {
    uint16_t domid;
    uint16_t space;
    uint16_t size;
    uint16_t foreign_domid;
    uint32_t idxs, gpfns, errs;
};

struct compat_remove_from_physmap {
    uint16_t domid;
    uint32_t gpfn;
};

struct compat_memory_map {
    uint32_t nr_entries;
    uint32_t buffer;
};

struct compat_foreign_memory_map {
    uint16_t domid;
    struct compat_memory_map map;
};

_Static_assert(sizeof(struct compat_memory_reservation) == 20, "compat rsv");
_Static_assert(sizeof(struct compat_add_to_physmap) == 16, "compat atp");
_Static_assert(sizeof(struct compat_add_to_physmap_batch) == 20, "compat atpb");
_Static_assert(sizeof(struct compat_remove_from_physmap) == 8, "compat rfp");
_Static_assert(sizeof(struct compat_foreign_memory_map) == 12, "compat fmap");
_Static_assert(sizeof(struct e820entry) == 20, "e820 entry");

/* ---- Helpers ---- */

/* Read element i of a guest array of xen_ulong_t (4 bytes for compat). */
static int read_ulong(struct vcpu *curr, uint64_t list, uint64_t i, bool compat,
                      uint64_t *val)
{
    *val = 0;
    return compat ? copy_from_guest(curr, val, list + i * 4, 4)
                  : copy_from_guest(curr, val, list + i * 8, 8);
}

/* ---- shared_info placement (caller holds d->event_lock) ---- */

/*
 * Make the page at si (a guest frame at gfn, or the internal page with
 * gfn INVALID_GFN) the domain's shared_info: its contents move along,
 * every vCPU without a registered vcpu_info follows its legacy slot and
 * refreshes its pvclock there, and the old guest frame (if any) becomes
 * a hole, as in Xen where the one page just changes place.
 */
static void shinfo_move(struct domain *d, void *si, uint64_t gfn)
{
    uint64_t old_gfn = d->shared_info_gfn;
    struct vcpu *v;

    memcpy(si, d->shared_info, PAGE_SIZE);
    __atomic_store_n(&d->shared_info, si, __ATOMIC_RELEASE);
    d->shared_info_gfn = gfn;
    for_each_vcpu(d, v)
    {
        if (v->vcpu_info_gfn != INVALID_GFN ||
            v->vcpu_id >= XEN_LEGACY_MAX_VCPUS)
            continue;
        __atomic_store_n(&v->vcpu_info, &d->shared_info->vcpu_info[v->vcpu_id],
                         __ATOMIC_RELEASE);
        v->arch.last_pcpu = -1;
    }
    if (old_gfn != INVALID_GFN)
        physmap_remove(d, old_gfn, 1);
}

/* Take shared_info out of the physmap (it lives on, unmapped). */
static void shinfo_unmap(struct domain *d)
{
    if (d->shared_info_gfn != INVALID_GFN)
        shinfo_move(d, d->shared_info_page, INVALID_GFN);
}

/* XENMAPSPACE_shared_info, idx 0: place (or move) it at gfn. */
int shinfo_map(struct domain *d, uint64_t gfn)
{
    void *page;
    int rc = 0;

    pthread_mutex_lock(&d->event_lock);
    if (gfn == d->shared_info_gfn)
        goto out;
    /*
     * Xen unhooks a grant frame found there; our grant table would keep
     * using the frame, so refuse rather than share it.
     */
    if (physmap_is_special(d, gfn)) {
        rc = -EBUSY;
        goto out;
    }
    /* RAM already there is freed first, as in Xen. */
    if (physmap_is_populated(d, gfn))
        physmap_remove(d, gfn, 1);
    rc = physmap_populate(d, gfn, 1, true);
    if (rc)
        goto out;
    /* Another vCPU may have taken the frame away already. */
    page = gfn_to_virt(d, gfn);
    if (!page) {
        rc = -EINVAL;
        goto out;
    }
    shinfo_move(d, page, gfn);
out:
    pthread_mutex_unlock(&d->event_lock);
    return rc;
}

/* ---- XENMAPSPACE_gmfn: move a RAM frame ---- */

static int gmfn_move(struct domain *d, uint64_t idx, uint64_t gpfn)
{
    uint8_t *buf = NULL, *page;
    int rc = 0;

    if (!physmap_is_populated(d, idx))
        return -EINVAL;
    if (idx == gpfn)
        return 0;
    /* shared_info moves like this too; grant frames stay where they are. */
    if (idx == d->shared_info_gfn)
        return shinfo_map(d, gpfn);
    if (physmap_is_special(d, idx))
        return -EBUSY;
    pthread_mutex_lock(&d->event_lock);
    if (gpfn == d->shared_info_gfn)
        shinfo_unmap(d);
    else if (physmap_is_special(d, gpfn))
        rc = -EBUSY;
    pthread_mutex_unlock(&d->event_lock);
    if (rc)
        return rc;
    buf = malloc(PAGE_SIZE);
    if (!buf)
        return -ENOMEM;
    /*
     * Other vCPUs may change the physmap under us: every frame pointer is
     * checked, and a frame that vanishes midway just loses its contents.
     */
    page = gfn_to_virt(d, idx);
    if (!page) {
        rc = -EINVAL;
        goto out;
    }
    memcpy(buf, page, PAGE_SIZE);
    /* The frame at gpfn is freed, then the page leaves idx for gpfn. */
    if (physmap_is_populated(d, gpfn))
        physmap_remove(d, gpfn, 1);
    physmap_remove(d, idx, 1);
    rc = physmap_populate(d, gpfn, 1, false);
    if (rc) {
        /* Put it back where it was (best effort; the budget was ours). */
        if (!physmap_populate(d, idx, 1, false) && (page = gfn_to_virt(d, idx)))
            memcpy(page, buf, PAGE_SIZE);
        goto out;
    }
    page = gfn_to_virt(d, gpfn);
    if (page)
        memcpy(page, buf, PAGE_SIZE);
out:
    free(buf);
    return rc;
}

/* One xenmem_add_to_physmap_one(): 0 or -errno. */
static int add_to_physmap_one(struct domain *d, unsigned int space,
                              domid_t foreign_domid, uint64_t idx,
                              uint64_t gpfn)
{
    int rc;

    switch (space) {
    case XENMAPSPACE_shared_info:
        return idx ? -EINVAL : shinfo_map(d, gpfn);
    case XENMAPSPACE_grant_table:
        /* A grant frame replaces shared_info there, which lives on. */
        pthread_mutex_lock(&d->event_lock);
        if (gpfn == d->shared_info_gfn)
            shinfo_unmap(d);
        pthread_mutex_unlock(&d->event_lock);
        rc = gnttab_map_frame(d, idx, gpfn);
        return rc;
    case XENMAPSPACE_gmfn:
    case XENMAPSPACE_gmfn_range:
        return gmfn_move(d, idx, gpfn);
    case XENMAPSPACE_gmfn_foreign:
        /* Xen 4.12 lets only the hardware domain map foreign frames. */
        return foreign_domid == DOMID_SELF ? -EINVAL : -EPERM;
    default:
        return -EINVAL;
    }
}

/* ---- Reservations ---- */

struct reservation {
    uint64_t list; /* guest array of frame numbers, 0 = none */
    uint64_t nr;
    unsigned int order;
    unsigned int flags;
    domid_t domid;
};

static int read_reservation(struct vcpu *curr, uint64_t uarg, bool compat,
                            struct reservation *r)
{
    if (compat) {
        struct compat_memory_reservation c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        *r = (struct reservation){c.extent_start, c.nr_extents, c.extent_order,
                                  c.mem_flags, c.domid};
    } else {
        struct xen_memory_reservation n;

        if (copy_from_guest_obj(curr, &n, uarg))
            return -EFAULT;
        *r = (struct reservation){(uint64_t)(uintptr_t)n.extent_start.p,
                                  n.nr_extents, n.extent_order, n.mem_flags,
                                  n.domid};
    }
    return 0;
}

/* Xen's construct_memop_from_reservation(): are the flags acceptable? */
static bool reservation_flags_ok(const struct domain *cd, unsigned int flags)
{
    unsigned int bits = XENMEMF_get_address_bits(flags);
    unsigned int node = XENMEMF_get_node(flags);

    /* An address width that leaves no page at all. */
    if (bits && bits <= PAGE_SHIFT)
        return false;
    /* No virtual NUMA here; a domU may only hint at a physical node. */
    if (!(flags & XENMEMF_vnode) && node != NUMA_NO_NODE &&
        (flags & XENMEMF_exact_node_request) && !cd->is_privileged)
        return false;
    return true;
}

/* Pages Xen could still allocate to d. */
static uint64_t pages_left(struct domain *d)
{
    uint64_t tot = atomic_load(&d->tot_pages);

    return tot < d->max_pages ? d->max_pages - tot : 0;
}

/*
 * Translated guests: Xen allocates the pages but maps them nowhere, so
 * they only count in tot_pages.
 */
static uint64_t increase_reservation(struct domain *d,
                                     const struct reservation *r,
                                     uint64_t start)
{
    uint64_t per = 1ULL << r->order, n, done = start;

    if (r->order > DOMU_MAX_ORDER)
        return start;
    n = MIN(r->nr - start, pages_left(d) / per);
    if (n && !physmap_charge_unmapped(d, n * per))
        return start + n;
    /* The host budget is short: as many as it still gives. */
    while (done < start + n && !physmap_charge_unmapped(d, per))
        done++;
    return done;
}

/* Remove the frames of one extent in order; false at the first hole. */
static bool remove_extent(struct domain *d, uint64_t gfn, uint64_t nr)
{
    uint64_t run = 0;

    for (uint64_t j = 0; j < nr; j++) {
        uint64_t g = gfn + j;

        if (!physmap_is_populated(d, g)) {
            if (run)
                physmap_remove(d, g - run, run);
            return false;
        }
        if (g == d->shared_info_gfn) {
            if (run)
                physmap_remove(d, g - run, run);
            run = 0;
            pthread_mutex_lock(&d->event_lock);
            shinfo_unmap(d);
            pthread_mutex_unlock(&d->event_lock);
            continue;
        }
        run++;
    }
    if (run)
        physmap_remove(d, gfn + nr - run, run);
    return true;
}

static uint64_t decrease_reservation(struct vcpu *curr, struct domain *d,
                                     const struct reservation *r,
                                     uint64_t start, bool compat)
{
    uint64_t i, gfn;

    if (r->order > DOMU_MAX_ORDER)
        return start;
    for (i = start; i < r->nr; i++)
        if (read_ulong(curr, r->list, i, compat, &gfn) ||
            !remove_extent(d, gfn, 1ULL << r->order))
            break;
    return i;
}

static bool all_populated(struct domain *d, uint64_t gfn, uint64_t nr)
{
    for (uint64_t j = 0; j < nr; j++)
        if (!physmap_is_populated(d, gfn + j))
            return false;
    return true;
}

static uint64_t populate_physmap(struct vcpu *curr, struct domain *d,
                                 const struct reservation *r, uint64_t start,
                                 bool compat)
{
    uint64_t per = 1ULL << r->order, left = pages_left(d), i, gfn;

    if (r->order > DOMU_MAX_ORDER)
        return start;
    for (i = start; i < r->nr; i++) {
        if (read_ulong(curr, r->list, i, compat, &gfn))
            break;
        /* Populate-on-demand entries may not be made on oneself. */
        if (r->flags & XENMEMF_populate_on_demand)
            break;
        /*
         * Xen allocates a page for every extent, even over frames that
         * are already there: that is what bounds the loop.
         */
        if (left < per)
            break;
        left -= per;
        if (all_populated(d, gfn, per))
            continue;
        /* RAM over shared_info: shared_info leaves the physmap. */
        if (d->shared_info_gfn >= gfn && d->shared_info_gfn - gfn < per) {
            pthread_mutex_lock(&d->event_lock);
            shinfo_unmap(d);
            pthread_mutex_unlock(&d->event_lock);
        }
        if (physmap_populate(d, gfn, per, false))
            break;
    }
    return i;
}

static long reservation_op(struct vcpu *curr, unsigned int op, uint64_t start,
                           uint64_t uarg, bool compat)
{
    struct domain *cd = curr->domain, *d;
    struct reservation r;
    uint64_t done = start;

    if (read_reservation(curr, uarg, compat, &r))
        return start;
    /* Too big to encode as a continuation; or nothing left to do. */
    if (r.nr > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start >= r.nr)
        return start;
    d = get_domain_by_any_id(cd, r.domid);
    if (!d)
        return start;
    if (!reservation_flags_ok(cd, r.flags) || !domain_may_target(cd, d))
        goto out;
    switch (op) {
    case XENMEM_increase_reservation:
        done = increase_reservation(d, &r, start);
        break;
    case XENMEM_decrease_reservation:
        done = decrease_reservation(curr, d, &r, start, compat);
        break;
    default:
        done = populate_physmap(curr, d, &r, start, compat);
        break;
    }
out:
    put_domain(d);
    return done;
}

/* ---- Other sub-ops ---- */

static long reservation_query(struct vcpu *curr, unsigned int op, uint64_t uarg)
{
    struct domain *d;
    domid_t domid;
    long rc;

    if (copy_from_guest_obj(curr, &domid, uarg))
        return -EFAULT;
    rc = get_target_domain(curr->domain, domid, &d);
    if (rc)
        return rc;
    if (op == XENMEM_current_reservation)
        rc = atomic_load(&d->tot_pages);
    else if (op == XENMEM_maximum_reservation)
        rc = d->max_pages;
    else
        rc = physmap_max_gfn(d);
    put_domain(d);
    return rc;
}

static long add_to_physmap(struct vcpu *curr, uint64_t start, uint64_t uarg,
                           bool compat)
{
    struct xen_add_to_physmap a;
    struct domain *d;
    long rc;

    if (compat) {
        struct compat_add_to_physmap c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        a = (struct xen_add_to_physmap){c.domid, c.size, c.space, c.idx,
                                        c.gpfn};
    } else if (copy_from_guest_obj(curr, &a, uarg)) {
        return -EFAULT;
    }
    /* Foreign frames only through the batch form. */
    if (a.space == XENMAPSPACE_gmfn_foreign)
        return -ENOSYS;
    rc = get_target_domain(curr->domain, a.domid, &d);
    if (rc)
        return rc;
    if (a.space != XENMAPSPACE_gmfn_range) {
        rc = add_to_physmap_one(d, a.space, DOMID_INVALID, a.idx, a.gpfn);
        /*
         * The layout follows the guest's mode when it maps shared_info,
         * as Xen samples it (hvm_latch_shinfo_size) early in a guest's
         * life.
         */
        if (!rc && a.space == XENMAPSPACE_shared_info)
            hvm_latch_shinfo_size(d, curr);
        goto out;
    }
    if (a.size < start) {
        rc = -EILSEQ;
        goto out;
    }
    for (uint64_t k = start; k < a.size && !rc; k++)
        rc = add_to_physmap_one(d, a.space, DOMID_INVALID, a.idx + k,
                                a.gpfn + k);
out:
    put_domain(d);
    return rc;
}

static long add_to_physmap_batch(struct vcpu *curr, uint64_t start,
                                 uint64_t uarg, bool compat)
{
    struct domain *d;
    uint64_t idxs, gpfns, errs;
    uint16_t domid, space, size, foreign;
    long rc;

    if (compat) {
        struct compat_add_to_physmap_batch c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        domid = c.domid, space = c.space, size = c.size;
        foreign = c.foreign_domid;
        idxs = c.idxs, gpfns = c.gpfns, errs = c.errs;
    } else {
        struct xen_add_to_physmap_batch n;

        if (copy_from_guest_obj(curr, &n, uarg))
            return -EFAULT;
        domid = n.domid, space = n.space, size = n.size;
        foreign = n.u.foreign_domid;
        idxs = (uintptr_t)n.idxs.p, gpfns = (uintptr_t)n.gpfns.p;
        errs = (uintptr_t)n.errs.p;
    }
    if (space == XENMAPSPACE_gmfn_range)
        return -EOPNOTSUPP;
    rc = get_target_domain(curr->domain, domid, &d);
    if (rc)
        return rc;
    if (size < start) {
        rc = -EILSEQ;
        goto out;
    }
    for (uint64_t i = start; i < size; i++) {
        uint64_t idx, gpfn;
        int32_t err;

        if (read_ulong(curr, idxs, i, compat, &idx) ||
            read_ulong(curr, gpfns, i, compat, &gpfn)) {
            rc = -EFAULT;
            break;
        }
        err = add_to_physmap_one(d, space, foreign, idx, gpfn);
        if (!err && space == XENMAPSPACE_shared_info)
            hvm_latch_shinfo_size(d, curr);
        if (copy_to_guest(curr, errs + i * sizeof(err), &err, sizeof(err))) {
            rc = -EFAULT;
            break;
        }
    }
out:
    put_domain(d);
    return rc;
}

static long remove_from_physmap(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct xen_remove_from_physmap x;
    struct domain *d;
    long rc;

    if (compat) {
        struct compat_remove_from_physmap c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        x = (struct xen_remove_from_physmap){c.domid, c.gpfn};
    } else if (copy_from_guest_obj(curr, &x, uarg)) {
        return -EFAULT;
    }
    rc = get_target_domain(curr->domain, x.domid, &d);
    if (rc)
        return rc;
    pthread_mutex_lock(&d->event_lock);
    if (x.gpfn == d->shared_info_gfn) {
        shinfo_unmap(d);
    } else if (!physmap_is_populated(d, x.gpfn)) {
        rc = -ENOENT;
    } else if (physmap_is_special(d, x.gpfn)) {
        /* A grant frame goes back to Xen's page, its entries kept. */
        gnttab_unplace_gfn(d, x.gpfn);
        if (physmap_is_populated(d, x.gpfn))
            physmap_remove(d, x.gpfn, 1);
    } else {
        /* Xen unmaps the page but keeps it allocated to the domain. */
        physmap_remove(d, x.gpfn, 1);
        physmap_charge_unmapped(d, 1);
    }
    pthread_mutex_unlock(&d->event_lock);
    put_domain(d);
    return rc;
}

static long memory_map(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct domain *d = curr->domain;
    uint64_t buffer;
    uint32_t nr;
    long rc = 0;

    if (compat) {
        struct compat_memory_map c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        nr = c.nr_entries, buffer = c.buffer;
    } else {
        struct xen_memory_map n;

        if (copy_from_guest_obj(curr, &n, uarg))
            return -EFAULT;
        nr = n.nr_entries, buffer = (uintptr_t)n.buffer.p;
    }
    pthread_mutex_lock(&d->lock);
    /* No map set: the pre-3.0 answer. */
    if (!d->nr_e820) {
        rc = -ENOSYS;
        goto out;
    }
    /* A short buffer gets the first entries, without an error. */
    nr = MIN(nr, d->nr_e820);
    if (copy_to_guest(curr, buffer, d->e820, nr * sizeof(d->e820[0])) ||
        copy_to_guest(curr, uarg, &nr, sizeof(nr)))
        rc = -EFAULT;
out:
    pthread_mutex_unlock(&d->lock);
    return rc;
}

/* XENMEM_set_memory_map: XSM lets a domain set its own. */
static long set_memory_map(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct e820entry *map = NULL;
    struct domain *d;
    uint64_t buffer;
    uint32_t nr;
    domid_t domid;
    long rc;

    if (compat) {
        struct compat_foreign_memory_map c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        domid = c.domid, nr = c.map.nr_entries, buffer = c.map.buffer;
    } else {
        struct xen_foreign_memory_map n;

        if (copy_from_guest_obj(curr, &n, uarg))
            return -EFAULT;
        domid = n.domid, nr = n.map.nr_entries;
        buffer = (uintptr_t)n.map.buffer.p;
    }
    if (nr > E820MAX)
        return -EINVAL;
    rc = get_target_domain(curr->domain, domid, &d);
    if (rc)
        return rc;
    /* Within Xen's limit but beyond what we keep per domain. */
    if (nr > E820_DOMAIN_MAX) {
        rc = -ENOMEM;
        goto out;
    }
    map = calloc(nr ? nr : 1, sizeof(*map));
    if (!map) {
        rc = -ENOMEM;
        goto out;
    }
    if (copy_from_guest(curr, map, buffer, nr * sizeof(*map))) {
        rc = -EFAULT;
        goto out;
    }
    rc = domain_set_memory_map(d, map, nr);
out:
    free(map);
    put_domain(d);
    return rc;
}

/*
 * What a toolstack-only sub-op on d (referenced by the caller; NULL if
 * the lookup failed, answered with missing) gives: Xen implements none
 * of them for us, and refuses them to an unprivileged caller first.
 */
static long toolstack_only(struct vcpu *curr, struct domain *d, long missing)
{
    if (!d)
        return missing;
    put_domain(d);
    return curr->domain->is_privileged ? -EOPNOTSUPP : -EPERM;
}

/* XENMEM_claim_pages: a toolstack operation. */
static long claim_pages(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct reservation r;

    if (read_reservation(curr, uarg, compat, &r))
        return -EFAULT;
    if (r.list || r.order || r.flags)
        return -EINVAL;
    /* By plain domid: DOMID_SELF names no domain here. */
    return toolstack_only(
        curr, r.domid == DOMID_SELF ? NULL : get_domain_by_id(r.domid),
        -EINVAL);
}

/* XENMEM_{set,get}_pod_target: toolstack operations. */
static long pod_target(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct xen_pod_target t;

    /* 34 bytes, padded to 36, for 32-bit callers: domid at 32 either way. */
    if (copy_from_guest(curr, &t, uarg, compat ? 36 : sizeof(t)))
        return -EFAULT;
    return toolstack_only(curr, get_domain_by_any_id(curr->domain, t.domid),
                          -ESRCH);
}

/* XENMEM_get_vnumainfo: nobody has a virtual NUMA topology here. */
static long get_vnumainfo(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct {
        domid_t domid;
        uint16_t pad;
        uint32_t nr_vnodes, nr_vcpus, nr_vmemranges;
        uint64_t handles[3];
    } t;
    struct domain *d;
    long rc;

    /* Three handles: 8 bytes each, 4 for 32-bit callers. */
    if (copy_from_guest(curr, &t, uarg, compat ? 28 : sizeof(t)))
        return -EFAULT;
    if (t.pad)
        return -EINVAL;
    rc = get_target_domain(curr->domain, t.domid, &d);
    if (rc)
        return rc;
    put_domain(d);
    return -EOPNOTSUPP;
}

static long do_memory_op(struct vcpu *curr, const uint64_t arg[5])
{
    uint64_t cmd = arg[0], uarg = arg[1];
    uint64_t start = cmd >> MEMOP_EXTENT_SHIFT;
    unsigned int op = cmd & MEMOP_CMD_MASK;
    bool compat = hypercall_is_compat(curr);

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(curr, op, start, uarg, compat);
    case XENMEM_maximum_ram_page:
        /* The machine here is the memory budget. */
        return start ? -EINVAL : (long)mem_budget_total();
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return start ? -EINVAL : reservation_query(curr, op, uarg);
    case XENMEM_add_to_physmap:
    case XENMEM_add_to_physmap_batch:
        /* Their start is an index into a batch of at most 65535. */
        if (start != (uint16_t)start)
            return -EDOM;
        return op == XENMEM_add_to_physmap
                   ? add_to_physmap(curr, start, uarg, compat)
                   : add_to_physmap_batch(curr, start, uarg, compat);
    case XENMEM_remove_from_physmap:
        return start ? -EINVAL : remove_from_physmap(curr, uarg, compat);
    case XENMEM_claim_pages:
        return start ? -EINVAL : claim_pages(curr, uarg, compat);
    case XENMEM_get_vnumainfo:
        return start ? -EINVAL : get_vnumainfo(curr, uarg, compat);
    }
    /* The arch sub-ops match the whole cmd: a start extent is unknown. */
    if (start)
        return -ENOSYS;
    switch (op) {
    case XENMEM_memory_map:
        return memory_map(curr, uarg, compat);
    case XENMEM_set_memory_map:
        return set_memory_map(curr, uarg, compat);
    case XENMEM_set_pod_target:
    case XENMEM_get_pod_target:
        return pod_target(curr, uarg, compat);
    case XENMEM_get_sharing_freed_pages:
    case XENMEM_get_sharing_shared_pages:
        return 0; /* no memory sharing */
    default:
        /* machine_memory_map and machphys_mapping are PV-only (4.12). */
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_memory_op, do_memory_op);

/* ---- The domain's memory map ---- */

int domain_set_memory_map(struct domain *d, const struct e820entry *map,
                          unsigned int nr)
{
    if (nr > E820_DOMAIN_MAX)
        return -EINVAL;
    pthread_mutex_lock(&d->lock);
    memcpy(d->e820, map, nr * sizeof(*map));
    d->nr_e820 = nr;
    pthread_mutex_unlock(&d->lock);
    return 0;
}

int domain_memory_map_from_pvh(struct domain *d, uint64_t start_info)
{
    struct e820entry map[E820_DOMAIN_MAX];
    struct hvm_start_info si;
    int rc;

    rc = copy_from_gpa(d, &si, start_info, sizeof(si));
    if (rc)
        return rc;
    if (si.version < 1 || si.memmap_entries > E820_DOMAIN_MAX)
        return -EINVAL;
    for (uint32_t i = 0; i < si.memmap_entries; i++) {
        struct hvm_memmap_table_entry e;

        rc = copy_from_gpa(d, &e, si.memmap_paddr + i * sizeof(e), sizeof(e));
        if (rc)
            return rc;
        /* The two maps number their types alike. */
        map[i] = (struct e820entry){e.addr, e.size, e.type};
    }
    return domain_set_memory_map(d, map, si.memmap_entries);
}
