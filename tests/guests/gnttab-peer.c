/*
 * Grants between two domains (gnttab-interdomain.sh): cmdline "granter"
 * runs as domain 1, "mapper" as domain 2.
 *
 * The granter writes its grants, then allocates event channel port 1 for
 * the mapper; the mapper's bind succeeding therefore means the grants are
 * ready. The two then take steps in turn, one event per step. At the end
 * the granter shuts down while the mapper still maps its page, and the
 * mapper keeps using the mapping and leaves it in place when it powers
 * off, so xen tears down a domain whose page another domain maps.
 */
#include "evtchn-util.h"

#define GRANTER 1
#define MAPPER 2
#define GT_GFN 0xf1000UL
#define MAP_GFN 0xf2000UL

static uint8_t page_x[PAGE_SIZE] __aligned(PAGE_SIZE);  /* ref 8, rw */
static uint8_t page_y[PAGE_SIZE] __aligned(PAGE_SIZE);  /* ref 9, ro */
static uint8_t page_z[PAGE_SIZE] __aligned(PAGE_SIZE);

/* The step protocol: each side sends one event per step on port 1. */
static unsigned int steps_seen;

static void signal_step(void)
{
    check_eq(evt_send(1), 0);
}

static void await_step(void)
{
    evt_wait(1, steps_seen);
    steps_seen++;
}

static void granter(void)
{
    grant_entry_v1_t *gt = (grant_entry_v1_t *)(GT_GFN << 12);

    check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, GT_GFN), 0);
    memset(page_x, 0x11, PAGE_SIZE);
    memset(page_y, 0x22, PAGE_SIZE);
    gt[8] = (grant_entry_v1_t){GTF_permit_access, MAPPER, pfn_of(page_x)};
    gt[9] = (grant_entry_v1_t){GTF_permit_access | GTF_readonly, MAPPER,
                               pfn_of(page_y)};
    gt[10] = (grant_entry_v1_t){GTF_permit_access, 3, pfn_of(page_z)};
    barrier();
    check_eq(evt_alloc_unbound(DOMID_SELF, MAPPER), 1);

    /* The mapper's first event: it mapped ref 8 and wrote through it. */
    await_step();
    check_eq(page_x[0], 0x33);
    check_eq(page_x[255], 0x33);
    check_eq(page_x[256], 0x44);   /* its grant copy */
    check_eq(page_x[4095], 0x11);
    check_eq(gt[8].flags, GTF_permit_access | GTF_reading | GTF_writing);
    check_eq(gt[9].flags, GTF_permit_access | GTF_readonly);
    for (unsigned int i = 0; i < PAGE_SIZE; i += 512)
        check_eq(page_y[i], 0x22);
    signal_step();

    /* It unmapped ref 8. */
    await_step();
    check_eq(gt[8].flags, GTF_permit_access);
    signal_step();

    /* It mapped ref 8 again and keeps it: we go while it does. */
    await_step();
    check_eq(gt[8].flags, GTF_permit_access | GTF_reading | GTF_writing);
    page_x[100] = 0x77;
    signal_step();
}

static void write_byte(void *p)
{
    *(volatile uint8_t *)p = 0x5a;
}

static void mapper(void)
{
    volatile uint8_t *x = (uint8_t *)(MAP_GFN << 12);
    volatile uint8_t *y = (uint8_t *)((MAP_GFN + 1) << 12);
    const uint16_t S = GNTCOPY_source_gref, D = GNTCOPY_dest_gref;
    grant_handle_t hx, hy;
    struct fault f;
    long port = evt_bind_interdomain_wait(GRANTER, 1);

    check_eq(port, 1);
    await_step();   /* the event every fresh bind raises */

    /* Read-write grant: we see its page and the granter sees our writes. */
    check_eq(gnt_map(8, GRANTER, MAP_GFN, GNTMAP_host_map, &hx), GNTST_okay);
    check_eq(x[0], 0x11);
    check_eq(x[4095], 0x11);
    for (unsigned int i = 0; i < 256; i++)
        x[i] = 0x33;

    /* Read-only grant: readable, never writable. */
    check_eq(gnt_map(9, GRANTER, MAP_GFN + 1, GNTMAP_host_map, NULL),
             GNTST_general_error);
    check_eq(gnt_map(9, GRANTER, MAP_GFN + 1, GNTMAP_host_map | GNTMAP_readonly,
                     &hy),
             GNTST_okay);
    check_eq(y[17], 0x22);
    f.vector = ~0u;
    if (run_catching(write_byte, (void *)y, &f) >= 0)
        check_eq(f.vector, X86_EXC_GP);
    check_eq(y[0], 0x22);

    /* Grants that are not ours, or not there. */
    check_eq(gnt_map(10, GRANTER, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_general_error);
    check_eq(gnt_map(8, 3, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_bad_domain);
    check_eq(gnt_map(5000, GRANTER, MAP_GFN + 2, GNTMAP_host_map, NULL),
             GNTST_bad_gntref);

    /* Copies with the granter's grants. */
    memset(page_z, 0, PAGE_SIZE);
    check_eq(gnt_copy(S, 9, GRANTER, 0, pfn_of(page_z), DOMID_SELF, 0, 64),
             GNTST_okay);
    check_eq(page_z[63], 0x22);
    check_eq(gnt_copy(D, pfn_of(page_z), DOMID_SELF, 0, 9, GRANTER, 0, 64),
             GNTST_general_error);
    memset(page_z, 0x44, PAGE_SIZE);
    check_eq(gnt_copy(D, pfn_of(page_z), DOMID_SELF, 256, 8, GRANTER, 256, 16),
             GNTST_okay);
    check_eq(x[256], 0x44);
    check_eq(gnt_copy(0, pfn_of(page_x), GRANTER, 0, pfn_of(page_z), DOMID_SELF,
                      0, 8),
             GNTST_permission_denied);

    check_eq(gnt_unmap(hy, MAP_GFN + 1, 0), GNTST_okay);
    signal_step();
    await_step();

    check_eq(gnt_unmap(hx, MAP_GFN, 0), GNTST_okay);
    check_eq(x[0], 0xff);   /* a hole again */
    check_eq(gnt_unmap(hx, MAP_GFN, 0), GNTST_bad_handle);
    signal_step();
    await_step();

    check_eq(gnt_map(8, GRANTER, MAP_GFN, GNTMAP_host_map, &hx), GNTST_okay);
    signal_step();
    await_step();

    /* The granter is shutting down; its page stays ours to use. */
    udelay(100000);
    check_eq(x[100], 0x77);
    x[200] = 0x55;
    check_eq(x[200], 0x55);
    check_eq(gnt_copy(S, 9, GRANTER, 0, pfn_of(page_z), DOMID_SELF, 0, 64),
             GNTST_okay);
    check_eq(page_z[0], 0x22);
    check_eq(evt_send(port), 0);
}

void test_main(void)
{
    evt_run_role("granter", granter, "mapper", mapper);
}
