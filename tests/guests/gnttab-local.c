/*
 * Grant tables within one domain: sizing and version sub-ops, the sub-ops
 * an HVM guest may not use, the table frame placed in our physmap,
 * GNTTABOP_copy and map/unmap of our own grants, with Xen's statuses.
 */
#include "evtchn-util.h"

#define GT_GFN 0xf1000UL      /* where we place grant frame 0 */
#define MAP_GFN 0xf2000UL     /* where our own grants get mapped */
#define HOLE 0xe0000000UL     /* unbacked guest-physical address */
#define INVALID_FRAME ((xen_pfn_t)~0UL)

static domid_t self;
static grant_entry_v1_t *gt;
static uint8_t page_a[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_b[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_c[PAGE_SIZE] __aligned(PAGE_SIZE);

static void test_sizes_and_versions(void)
{
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    struct gnttab_get_version gv = {.dom = DOMID_SELF};
    struct gnttab_set_version sv = {.version = 1};
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
    xen_pfn_t frames[4] = {0};

    /* One frame at start, 64 at most (Xen's default). */
    check_eq(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    check_eq(q.status, GNTST_okay);
    check_eq(q.nr_frames, 1);
    check_eq(q.max_nr_frames, 64);
    check_eq(gnt_op(GNTTABOP_query_size, &q, 2), -EINVAL);
    q.dom = 77;
    check_eq(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    check_eq(q.status, GNTST_bad_domain);

    check_eq(gnt_op(GNTTABOP_get_version, &gv, 1), 0);
    check_eq(gv.version, 1);
    gv.dom = 77;
    check_eq(gnt_op(GNTTABOP_get_version, &gv, 1), -ESRCH);
    gv.dom = self;
    gv.version = 0;
    check_eq(gnt_op(GNTTABOP_get_version, &gv, 1), 0);
    check_eq(gv.version, 1);

    /* Only version 1 here (Xen with gnttab=max-ver:1). */
    check_eq(gnt_op(GNTTABOP_set_version, &sv, 1), 0);
    check_eq(sv.version, 1);
    sv.version = 2;
    check_eq(gnt_op(GNTTABOP_set_version, &sv, 1), -ENOSYS);
    check_eq(sv.version, 1);
    sv.version = 3;
    check_eq(gnt_op(GNTTABOP_set_version, &sv, 1), -EINVAL);
    check_eq(sv.version, 1);

    /* setup_table gives where each frame is placed: nowhere yet. */
    set_xen_guest_handle(st.frame_list, frames);
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 1), 0);
    check_eq(st.status, GNTST_okay);
    check(frames[0] == INVALID_FRAME, "frame 0 at %lx", (unsigned long)frames[0]);
    st.nr_frames = 4;
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 1), 0);
    check_eq(st.status, GNTST_okay);
    q.dom = DOMID_SELF;
    check_eq(gnt_op(GNTTABOP_query_size, &q, 1), 0);
    check_eq(q.nr_frames, 4);
    st.nr_frames = 65;
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 1), 0);
    check_eq(st.status, GNTST_general_error);
    st.nr_frames = 1;
    st.dom = 77;
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 1), 0);
    check_eq(st.status, GNTST_bad_domain);
    st.dom = DOMID_SELF;
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 0), -EINVAL);
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)HOLE);
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 1), 0);
    check_eq(st.status, GNTST_bad_virt_addr);
    check_eq(gnt_op(GNTTABOP_setup_table, (void *)HOLE, 1), -EFAULT);
}

/* What Xen answers an HVM guest for the sub-ops it has not audited. */
static void test_not_for_hvm(void)
{
    static const unsigned int cmds[] = {
        GNTTABOP_dump_table,        GNTTABOP_transfer,
        GNTTABOP_unmap_and_replace, GNTTABOP_get_status_frames,
        GNTTABOP_cache_flush,       13,
        0x1000 | GNTTABOP_map_grant_ref, 0xffffffff,
    };
    struct gnttab_copy c = {0};

    for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
        check_eq(gnt_op(cmds[i], page_c, 1), -ENOSYS);
    check_eq(gnt_op(GNTTABOP_copy, &c, 0x80000000u), -EINVAL);
    check_eq(gnt_op(GNTTABOP_copy, &c, 0), 0);
}

static void grant(grant_ref_t ref, domid_t dom, const void *page,
                  uint16_t flags)
{
    gt[ref].domid = dom;
    gt[ref].frame = pfn_of(page);
    barrier();
    gt[ref].flags = flags;
}

static void test_copy(void)
{
    const uint16_t S = GNTCOPY_source_gref, D = GNTCOPY_dest_gref;
    struct gnttab_copy batch[3];

    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        page_a[i] = i * 7;
    memset(page_b, 0, PAGE_SIZE);
    grant(8, self, page_b, GTF_permit_access);
    grant(9, self, page_a, GTF_permit_access | GTF_readonly);
    grant(10, 77, page_a, GTF_permit_access);
    grant(11, self, page_a, GTF_invalid);
    grant(12, self, page_a, GTF_accept_transfer);
    grant(13, self, (void *)HOLE, GTF_permit_access);

    /* Frame to granted ref and granted ref to frame. */
    check_eq(gnt_copy(D, pfn_of(page_a), DOMID_SELF, 0, 8, DOMID_SELF, 0, 100),
             GNTST_okay);
    check(!memcmp(page_b, page_a, 100), "copy to a grant");
    check_eq(gt[8].flags, GTF_permit_access);
    check_eq(gnt_copy(S, 9, self, 100, pfn_of(page_b), DOMID_SELF, 200, 300),
             GNTST_okay);
    check(!memcmp(page_b + 200, page_a + 100, 300), "copy from a grant");
    check_eq(gt[9].flags, GTF_permit_access | GTF_readonly);
    check_eq(gnt_copy(S | D, 9, DOMID_SELF, 0, 8, self, 4000, 96), GNTST_okay);
    check(!memcmp(page_b + 4000, page_a, 96), "grant to grant");
    /* Overlapping copy within one page behaves as memmove. */
    memcpy(page_c, page_a, 64);
    check_eq(gnt_copy(0, pfn_of(page_c), DOMID_SELF, 0, pfn_of(page_c),
                      DOMID_SELF, 1, 63),
             GNTST_okay);
    check(!memcmp(page_c + 1, page_a, 63), "overlapping copy");

    /* Refusals. */
    check_eq(gnt_copy(D, pfn_of(page_a), DOMID_SELF, 0, 9, DOMID_SELF, 0, 8),
             GNTST_general_error); /* read-only */
    check_eq(gnt_copy(S, 10, DOMID_SELF, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
             GNTST_general_error); /* not for us */
    check_eq(gnt_copy(S, 11, DOMID_SELF, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
             GNTST_general_error); /* invalid */
    check_eq(gnt_copy(S, 12, DOMID_SELF, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
             GNTST_general_error); /* transfer */
    check_eq(gnt_copy(S, 13, DOMID_SELF, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
             GNTST_bad_page); /* no such frame */
    check_eq(gt[13].flags, GTF_permit_access);
    check_eq(
        gnt_copy(S, 100000, DOMID_SELF, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
        GNTST_bad_gntref);
    check_eq(
        gnt_copy(0, pfn_of(page_a), self, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
        GNTST_permission_denied); /* frames only with DOMID_SELF */
    check_eq(gnt_copy(S, 8, 77, 0, pfn_of(page_b), DOMID_SELF, 0, 8),
             GNTST_bad_domain);
    check_eq(gnt_copy(0, HOLE >> 12, DOMID_SELF, 0, pfn_of(page_b), DOMID_SELF,
                      0, 8),
             GNTST_bad_page);
    check_eq(gnt_copy(0, pfn_of(page_a), DOMID_SELF, 4000, pfn_of(page_b),
                      DOMID_SELF, 0, 200),
             GNTST_bad_copy_arg);
    check_eq(gnt_copy(D, pfn_of(page_a), DOMID_SELF, 0, 8, DOMID_SELF, 4095, 2),
             GNTST_bad_copy_arg);
    check_eq(gt[8].flags, GTF_permit_access);

    /* A batch: each element gets its own status. */
    memset(batch, 0, sizeof(batch));
    for (unsigned int i = 0; i < 3; i++) {
        batch[i].source.domid = batch[i].dest.domid = DOMID_SELF;
        batch[i].source.u.gmfn = pfn_of(page_a);
        batch[i].dest.u.gmfn = pfn_of(page_b);
        batch[i].len = 16;
        batch[i].status = 99;
    }
    batch[1].dest.u.gmfn = HOLE >> 12;
    check_eq(gnt_op(GNTTABOP_copy, batch, 3), 0);
    check_eq(batch[0].status, GNTST_okay);
    check_eq(batch[1].status, GNTST_bad_page);
    check_eq(batch[2].status, GNTST_okay);

    /* A count far beyond the array: done element by element until the
     * array runs into unbacked memory. Two ops end exactly at RAM's end. */
    {
        struct gnttab_copy *end =
            (struct gnttab_copy *)(unsigned long)ram_bytes() - 2;

        memcpy(end, batch, 2 * sizeof(*end));
        end[0].status = end[1].status = 99;
        end[1].dest.u.gmfn = pfn_of(page_b);
        check_eq(gnt_op(GNTTABOP_copy, end, 0x7fffffff), -EFAULT);
        check_eq(end[0].status, GNTST_okay);
        check_eq(end[1].status, GNTST_okay);
    }
}

/* Writing to a read-only grant mapping: Xen raises #GP; it never lands. */
static void write_byte(void *p)
{
    *(volatile uint8_t *)p = 0x5a;
}

static void test_map(void)
{
    /* All volatile: the compiler must not reorder accesses to aliases. */
    volatile uint8_t *w = (uint8_t *)(MAP_GFN << 12);
    volatile uint8_t *r = (uint8_t *)((MAP_GFN + 1) << 12);
    volatile uint8_t *pa = page_a, *pb = page_b, *pc = page_c;
    grant_handle_t hw, hr, h;
    struct fault f;

    /* Map our own grants: writable and read-only. */
    check_eq(gnt_map(8, self, MAP_GFN, GNTMAP_host_map, &hw), GNTST_okay);
    check_eq(gt[8].flags, GTF_permit_access | GTF_reading | GTF_writing);
    check_eq(w[123], pb[123]);
    w[5] = 0xa5;
    check_eq(pb[5], 0xa5);
    pb[6] = 0x3c;
    check_eq(w[6], 0x3c);
    check_eq(
        gnt_map(9, self, MAP_GFN + 1, GNTMAP_host_map | GNTMAP_readonly, &hr),
        GNTST_okay);
    check(hr != hw, "same handle twice");
    check_eq(gt[9].flags, GTF_permit_access | GTF_readonly | GTF_reading);
    check_eq(r[77], pa[77]);
    f.vector = ~0u;
    if (run_catching(write_byte, (void *)r, &f) >= 0)
        check_eq(f.vector, X86_EXC_GP);
    check_eq(pa[0], 0);
    check_eq(gnt_op(GNTTABOP_map_grant_ref, (void *)HOLE, 1), -EFAULT);
    check_eq(gnt_op(GNTTABOP_unmap_grant_ref, (void *)HOLE, 1), -EFAULT);

    /* Refusals. */
    check_eq(gnt_map(9, self, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_general_error); /* read-only grant */
    check_eq(gnt_map(10, self, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_general_error); /* not for us */
    check_eq(gnt_map(11, self, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_general_error); /* invalid */
    check_eq(gnt_map(13, self, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_bad_page);
    check_eq(gt[13].flags, GTF_permit_access);
    check_eq(gnt_map(100000, self, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_bad_gntref);
    check_eq(gnt_map(8, 77, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_bad_domain);
    check_eq(gnt_map(8, DOMID_SELF, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_bad_domain);
    check_eq(gnt_map(8, self, MAP_GFN + 2, 0, NULL), GNTST_bad_gntref);
    check_eq(gnt_map(8, self, MAP_GFN + 2, GNTMAP_device_map, NULL),
             GNTST_general_error);
    check_eq(gnt_map(8, self, MAP_GFN + 2,
                     GNTMAP_host_map | GNTMAP_application_map, NULL),
             GNTST_general_error);
    check_eq(gnt_map(8, self, MAP_GFN + 2, GNTMAP_host_map | (1u << 16), NULL),
             GNTST_general_error);
    /* Cache attributes in the entry cannot be honoured for HVM. */
    grant(14, self, page_c, GTF_permit_access | GTF_PCD);
    check_eq(gnt_map(14, self, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_general_error);
    check_eq(gt[14].flags, GTF_permit_access | GTF_PCD);
    /* A grant in use cannot be swapped. */
    {
        struct gnttab_swap_grant_ref s = {.ref_a = 8, .ref_b = 15};

        check_eq(gnt_op(GNTTABOP_swap_grant_ref, &s, 1), 0);
        check_eq(s.status, GNTST_eagain);
    }

    /* Unmap: bad handles, addresses; host_addr 0 leaves the mapping. */
    check_eq(gnt_unmap(1000, MAP_GFN, 0), GNTST_bad_handle);
    check_eq(gnt_unmap(hw, MAP_GFN + 5, 0), GNTST_general_error);
    check_eq(gnt_unmap(hw, MAP_GFN, 12345), GNTST_general_error);
    check_eq(gnt_unmap(hw, 0, 0), GNTST_okay);
    check_eq(w[5], 0xa5);
    check_eq(gnt_unmap(hw, MAP_GFN, 0), GNTST_okay);
    check_eq(gt[8].flags, GTF_permit_access);
    check_eq(gnt_unmap(hw, MAP_GFN, 0), GNTST_bad_handle);
    /* The hole reads as all-ones once more. */
    check_eq(w[5], 0xff);
    check_eq(gnt_unmap(hr, MAP_GFN + 1, 0), GNTST_okay);
    check_eq(gt[9].flags, GTF_permit_access | GTF_readonly);

    /* Mapping over RAM replaces it, as Xen's p2m does. */
    check_eq(gnt_map(8, self, pfn_of(page_c), GNTMAP_host_map, &h), GNTST_okay);
    check_eq(pc[5], 0xa5);
    check_eq(gnt_unmap(h, pfn_of(page_c), 0), GNTST_okay);
    check_eq(gt[8].flags, GTF_permit_access);
}

static void test_swap(void)
{
    struct gnttab_swap_grant_ref s[3] = {
        {.ref_a = 8, .ref_b = 15}, {.ref_a = 9, .ref_b = 9},
        {.ref_a = 9, .ref_b = 1u << 20},
    };

    grant(15, 42, page_c, GTF_permit_access | GTF_readonly);
    check_eq(gnt_op(GNTTABOP_swap_grant_ref, s, 3), 0);
    check_eq(s[0].status, GNTST_okay);
    check_eq(s[1].status, GNTST_okay);
    check_eq(s[2].status, GNTST_bad_gntref);
    check_eq(gt[8].domid, 42);
    check_eq(gt[8].flags, GTF_permit_access | GTF_readonly);
    check_eq(gt[15].domid, self);
    check_eq(gt[15].frame, pfn_of(page_b));
}

void test_main(void)
{
    struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 2};
    xen_pfn_t frames[2];
    int id = cpuid_domid();

    check(id > 0, "no domain id in CPUID");
    self = id;
    test_sizes_and_versions();
    test_not_for_hvm();

    check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, GT_GFN), 0);
    gt = (grant_entry_v1_t *)(GT_GFN << 12);
    set_xen_guest_handle(st.frame_list, frames);
    check_eq(gnt_op(GNTTABOP_setup_table, &st, 1), 0);
    check_eq(st.status, GNTST_okay);
    check_eq(frames[0], GT_GFN);
    check(frames[1] == INVALID_FRAME, "frame 1 at %lx", (unsigned long)frames[1]);
    /* A frame beyond the maximum does not exist. */
    check_eq(
        add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 64, GT_GFN + 1),
        -EINVAL);

    test_copy();
    test_map();
    test_swap();
}
