/*
 * memory_op reservations: the balloon operations (decrease, populate,
 * increase) with their partial counts and Xen's quiet failures (an answer
 * of 0 extents, never an errno), the reservation queries, the memory map,
 * moving and removing RAM frames. A frame given back reads all-ones and
 * writing it costs the domain nothing.
 *
 * With "peer" on the command line (memory-peer.sh boots two of us), the
 * other domain must be out of reach: -EPERM or 0 extents.
 */
#include "guest.h"

#define BAD_PTR ((void *)0xe0000000UL) /* unpopulated: every copy faults */
#define G 0x1800UL     /* test frames at 24 MiB, far from the image */
#define BIG 0x1a00UL   /* a 2 MiB-aligned extent at 26 MiB */
#define HOLE 0x10000UL /* frames above RAM (256 MiB) */

static domid_t self;
static unsigned long ram_pages;

static volatile uint32_t *frame(unsigned long gfn)
{
    return (volatile uint32_t *)(gfn << 12);
}

static long reservation(unsigned int op, xen_pfn_t *list, xen_ulong_t nr,
                        unsigned int order, domid_t dom)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr,
        .extent_order = order,
        .domid = dom,
    };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(op, &r);
}

static long query(unsigned int op, domid_t dom)
{
    return HYPERVISOR_memory_op(op, &dom);
}

static long cur(void)
{
    return query(XENMEM_current_reservation, DOMID_SELF);
}

/* The last frame the memory map describes (the ACPI tables' pages). */
static long memmap_last_pfn(void)
{
    const struct hvm_memmap_table_entry *m =
        (const void *)(uintptr_t)start_info->memmap_paddr;
    uint64_t end = 0;

    for (unsigned int i = 0; i < start_info->memmap_entries; i++)
        if (m[i].addr + m[i].size > end)
            end = m[i].addr + m[i].size;
    return (long)(end >> 12) - 1;
}

static void test_queries(void)
{
    long r;

    check_eq(cur(), ram_pages);
    check_eq(query(XENMEM_current_reservation, self), ram_pages);
    check_eq(query(XENMEM_maximum_reservation, DOMID_SELF), ram_pages);
    check_eq(query(XENMEM_maximum_gpfn, DOMID_SELF), memmap_last_pfn());
    r = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    check(r > 0, "maximum_ram_page %ld", r);

    check_eq(HYPERVISOR_memory_op(XENMEM_current_reservation, BAD_PTR),
             -EFAULT);
    check_eq(query(XENMEM_current_reservation, 0x7000), -ESRCH);
    check_eq(query(XENMEM_maximum_reservation, DOMID_IO), -ESRCH);
    check_eq(HYPERVISOR_memory_op(XENMEM_current_reservation | (1 << 6), &self),
             -EINVAL);
    check_eq(HYPERVISOR_memory_op(XENMEM_maximum_ram_page | (1 << 6), NULL),
             -EINVAL);
    check_eq(HYPERVISOR_memory_op(63, NULL), -ENOSYS);
    /* PV-only sub-ops. */
    check_eq(HYPERVISOR_memory_op(XENMEM_machphys_mapping, NULL), -ENOSYS);
    check_eq(HYPERVISOR_memory_op(XENMEM_machine_memory_map, NULL), -ENOSYS);
}

static void test_memory_map(void)
{
    struct e820entry {
        uint64_t addr, size;
        uint32_t type;
    } __packed map[8];
    struct xen_memory_map m = {.nr_entries = 8};
    const struct hvm_memmap_table_entry *pvh =
        (const void *)(uintptr_t)start_info->memmap_paddr;

    memset(map, 0xa5, sizeof(map));
    set_xen_guest_handle(m.buffer, map);
    check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, &m), 0);
    check_eq(m.nr_entries, start_info->memmap_entries);
    for (unsigned int i = 0; i < m.nr_entries; i++) {
        check_eq(map[i].addr, pvh[i].addr);
        check_eq(map[i].size, pvh[i].size);
        check_eq(map[i].type, pvh[i].type);
    }
    /* A short buffer gets what fits, no error. */
    m.nr_entries = 0;
    check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, &m), 0);
    check_eq(m.nr_entries, 0);
    m.nr_entries = 8;
    set_xen_guest_handle(m.buffer, BAD_PTR);
    check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, &m), -EFAULT);
    check_eq(HYPERVISOR_memory_op(XENMEM_memory_map, BAD_PTR), -EFAULT);
}

/* Give frames back, touch them, take them again. */
static void test_balloon(void)
{
    xen_pfn_t list[8];

    for (unsigned long i = 0; i < 6; i++)
        *frame(G + i) = 0x1000 + i;

    list[0] = G, list[1] = G + 1, list[2] = G + 2, list[3] = G + 3;
    check_eq(reservation(XENMEM_decrease_reservation, list, 4, 0, DOMID_SELF),
             4);
    check_eq(cur(), ram_pages - 4);
    /* A hole: reads all-ones, writes go nowhere and cost nothing. */
    check_eq(*frame(G), 0xffffffff);
    *frame(G + 1) = 0x12345678;
    check_eq(*frame(G + 1), 0xffffffff);
    check_eq(cur(), ram_pages - 4);
    check_eq(*frame(G + 4), 0x1004);

    /* A decrease stops at the first frame that is not there. */
    check_eq(reservation(XENMEM_decrease_reservation, list, 4, 0, DOMID_SELF),
             0);
    list[0] = G + 4, list[1] = G, list[2] = G + 5;
    check_eq(reservation(XENMEM_decrease_reservation, list, 3, 0, DOMID_SELF),
             1);
    check_eq(*frame(G + 4), 0xffffffff);
    check_eq(*frame(G + 5), 0x1005);
    check_eq(cur(), ram_pages - 5);

    /* Back again, zeroed. */
    for (unsigned long i = 0; i < 5; i++)
        list[i] = G + i;
    check_eq(reservation(XENMEM_populate_physmap, list, 5, 0, DOMID_SELF), 5);
    check_eq(cur(), ram_pages);
    for (unsigned long i = 0; i < 5; i++)
        check_eq(*frame(G + i), 0);
    *frame(G) = 0xcafe;
    check_eq(*frame(G), 0xcafe);

    /* The start extent in cmd skips entries. */
    list[0] = G + 1, list[1] = G + 2;
    check_eq(reservation(XENMEM_decrease_reservation | (1 << 6), list, 2, 0,
                         DOMID_SELF),
             2);
    check_eq(*frame(G + 1), 0);
    check_eq(*frame(G + 2), 0xffffffff);
    list[0] = G + 2;
    check_eq(reservation(XENMEM_populate_physmap, list, 1, 0, DOMID_SELF), 1);
}

/* 2 MiB extents (order 9) are the largest a domU gets. */
static void test_orders(void)
{
    xen_pfn_t list[1] = {BIG};

    *frame(BIG + 17) = 0x17;
    check_eq(reservation(XENMEM_decrease_reservation, list, 1, 10, DOMID_SELF),
             0);
    check_eq(reservation(XENMEM_decrease_reservation, list, 1, 9, DOMID_SELF),
             1);
    check_eq(cur(), ram_pages - 512);
    check_eq(*frame(BIG + 17), 0xffffffff);
    check_eq(reservation(XENMEM_populate_physmap, list, 1, 10, DOMID_SELF), 0);
    check_eq(reservation(XENMEM_increase_reservation, NULL, 1, 10, DOMID_SELF),
             0);
    check_eq(reservation(XENMEM_populate_physmap, list, 1, 9, DOMID_SELF), 1);
    check_eq(cur(), ram_pages);
    check_eq(*frame(BIG + 17), 0);
}

/* Requests that Xen quietly refuses: 0 extents done. */
static void test_refusals(void)
{
    xen_pfn_t list[2] = {G, G + 1};
    struct xen_memory_reservation r = {.nr_extents = 1, .domid = DOMID_SELF};

    check_eq(reservation(XENMEM_decrease_reservation, list, 1, 0, 0x7000), 0);
    check_eq(reservation(XENMEM_populate_physmap, list, 1, 0, 0x7000), 0);
    check_eq(HYPERVISOR_memory_op(XENMEM_decrease_reservation, BAD_PTR), 0);
    check_eq(
        reservation(XENMEM_decrease_reservation, BAD_PTR, 2, 0, DOMID_SELF), 0);
    check_eq(reservation(XENMEM_decrease_reservation, list, 0, 0, DOMID_SELF),
             0);
    /* More extents than a continuation could encode. */
    check_eq(reservation(XENMEM_decrease_reservation, list, 0x4000000, 0,
                         DOMID_SELF),
             0);
    /* Populate-on-demand on oneself; an exact node; 12 address bits. */
    set_xen_guest_handle(r.extent_start, list);
    r.mem_flags = XENMEMF_populate_on_demand;
    check_eq(HYPERVISOR_memory_op(XENMEM_populate_physmap, &r), 0);
    r.mem_flags = XENMEMF_exact_node(0);
    check_eq(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
    r.mem_flags = XENMEMF_address_bits(12);
    check_eq(HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
    check_eq(*frame(G), 0xcafe);
    check_eq(cur(), ram_pages);
}

/* Asking for more than max_pages: the count says how far it got. */
static void test_over_max(void)
{
    xen_pfn_t list[4] = {HOLE, HOLE + 1, HOLE + 2, HOLE + 3};
    xen_pfn_t two[2] = {G + 8, G + 9};
    xen_pfn_t there[1] = {G};

    check_eq(reservation(XENMEM_populate_physmap, list, 4, 0, DOMID_SELF), 0);
    check_eq(reservation(XENMEM_decrease_reservation, two, 2, 0, DOMID_SELF),
             2);
    check_eq(reservation(XENMEM_populate_physmap, list, 4, 0, DOMID_SELF), 2);
    check_eq(cur(), ram_pages);
    /* The ACPI tables' pages (memmap_last_pfn) may lie above the hole. */
    check_eq(query(XENMEM_maximum_gpfn, DOMID_SELF),
             memmap_last_pfn() > (long)HOLE + 1 ? memmap_last_pfn()
                                                : (long)HOLE + 1);
    *frame(HOLE + 1) = 0xbeef;
    check_eq(*frame(HOLE + 1), 0xbeef);
    check_eq(*frame(HOLE + 2), 0xffffffff);
    /* Populating what is there counts against the maximum, as in Xen. */
    check_eq(reservation(XENMEM_populate_physmap, there, 1, 0, DOMID_SELF), 0);
    check_eq(reservation(XENMEM_decrease_reservation, list, 2, 0, DOMID_SELF),
             2);
    check_eq(reservation(XENMEM_populate_physmap, two, 2, 0, DOMID_SELF), 2);
    check_eq(cur(), ram_pages);
}

/* XENMEM_add_to_physmap_batch: one result per entry in errs. */
static void test_batch(void)
{
    xen_ulong_t idxs[2] = {G + 3, HOLE + 20};
    xen_pfn_t gpfns[2] = {HOLE + 10, HOLE + 11};
    int errs[2] = {99, 99};
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn,
        .size = 2,
    };
    struct xen_add_to_physmap back = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn,
        .idx = HOLE + 10,
        .gpfn = G + 3,
    };

    set_xen_guest_handle(b.idxs, idxs);
    set_xen_guest_handle(b.gpfns, gpfns);
    set_xen_guest_handle(b.errs, errs);
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), 0);
    check_eq(errs[0], 0);
    check_eq(errs[1], -EINVAL); /* nothing at HOLE + 20 */
    check_eq(*frame(HOLE + 10), 0x3333);
    check_eq(*frame(G + 3), 0xffffffff);
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &back), 0);
    check_eq(*frame(G + 3), 0x3333);

    /* Foreign frames are the hardware domain's business. */
    b.space = XENMAPSPACE_gmfn_foreign;
    b.u.foreign_domid = DOMID_SELF;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), 0);
    check_eq(errs[0], -EINVAL);
    b.u.foreign_domid = 0x7000;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), 0);
    check_eq(errs[1], -EPERM);
    b.space = XENMAPSPACE_gmfn_range;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b),
             -EOPNOTSUPP);
    /* A start extent beyond the batch, or beyond 16 bits. */
    b.space = XENMAPSPACE_gmfn;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch | (3 << 6), &b),
             -EILSEQ);
    check_eq(
        HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch | (0x10000 << 6), &b),
        -EDOM);
    set_xen_guest_handle(b.errs, BAD_PTR);
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -EFAULT);
    b.domid = 0x7000;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b), -ESRCH);
}

/* XENMAPSPACE_gmfn moves a frame; remove_from_physmap unmaps one. */
static void test_move_remove(void)
{
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn,
        .idx = G + 3,
        .gpfn = HOLE + 8,
    };
    struct xen_remove_from_physmap rm = {.domid = DOMID_SELF, .gpfn = G + 4};

    *frame(G + 3) = 0x3333;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), 0);
    check_eq(*frame(HOLE + 8), 0x3333);
    check_eq(*frame(G + 3), 0xffffffff);
    check_eq(cur(), ram_pages);
    a.idx = HOLE + 8, a.gpfn = G + 3;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), 0);
    check_eq(*frame(G + 3), 0x3333);
    /* Nothing to move from a hole. */
    a.idx = HOLE + 9;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EINVAL);
    a.space = 99;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EINVAL);
    a.space = XENMAPSPACE_gmfn_foreign;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -ENOSYS);
    a.domid = 0x7000, a.space = XENMAPSPACE_gmfn;
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -ESRCH);
    check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, BAD_PTR), -EFAULT);

    test_batch();

    /* Unmapped, but the page stays the domain's (Xen keeps it). */
    check_eq(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), 0);
    check_eq(*frame(G + 4), 0xffffffff);
    check_eq(cur(), ram_pages);
    check_eq(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), -ENOENT);
    rm.domid = 0x7000;
    check_eq(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), -ESRCH);
}

/* A translated guest's increase_reservation only adds to its count. */
static void test_increase(void)
{
    xen_pfn_t list[3] = {G + 5, G + 6, G + 7};

    check_eq(reservation(XENMEM_decrease_reservation, list, 3, 0, DOMID_SELF),
             3);
    check_eq(cur(), ram_pages - 3);
    check_eq(reservation(XENMEM_increase_reservation, NULL, 5, 0, DOMID_SELF),
             3);
    check_eq(cur(), ram_pages);
    check_eq(*frame(G + 5), 0xffffffff);
    check_eq(reservation(XENMEM_populate_physmap, list, 3, 0, DOMID_SELF), 0);
}

/* Another domain is out of reach: -EPERM, or nothing done. */
static void test_peer(void)
{
    domid_t peer = self == 1 ? 2 : 1;
    xen_pfn_t list[1] = {G};
    long rc;

    /* The peer may still be being built. */
    for (unsigned int i = 0; i < 2000; i++) {
        rc = query(XENMEM_current_reservation, peer);
        if (rc != -ESRCH)
            break;
        udelay(1000);
    }
    check_eq(rc, -EPERM);
    check_eq(query(XENMEM_maximum_reservation, peer), -EPERM);
    check_eq(reservation(XENMEM_decrease_reservation, list, 1, 0, peer), 0);
    check_eq(reservation(XENMEM_populate_physmap, list, 1, 0, peer), 0);
    check_eq(reservation(XENMEM_increase_reservation, NULL, 1, 0, peer), 0);
    check_eq(cur(), ram_pages);
    /* Its physmap and HVM parameters too. */
    {
        struct xen_add_to_physmap a = {
            .domid = peer, .space = XENMAPSPACE_shared_info, .gpfn = HOLE};
        struct xen_remove_from_physmap rm = {.domid = peer, .gpfn = G};
        struct xen_hvm_param p = {.domid = peer,
                                  .index = HVM_PARAM_CALLBACK_IRQ};

        check_eq(HYPERVISOR_memory_op(XENMEM_add_to_physmap, &a), -EPERM);
        check_eq(HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &rm), -EPERM);
        check_eq(HYPERVISOR_hvm_op(HVMOP_get_param, &p), -EPERM);
        check_eq(HYPERVISOR_hvm_op(HVMOP_set_param, &p), -EPERM);
    }
}

void test_main(void)
{
    self = cpuid_domid();
    ram_pages = ram_bytes() >> 12;
    check(ram_pages > BIG + 512, "needs more than %lu pages of RAM", BIG + 512);

    if (cmdline_has("peer")) {
        test_peer();
        return;
    }
    test_queries();
    test_memory_map();
    test_balloon();
    test_orders();
    test_refusals();
    test_over_max();
    test_move_remove();
    test_increase();
}
