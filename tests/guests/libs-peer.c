/*
 * The guest side of tests/integration/libs.sh: a domain that domain 0's
 * processes reach through the tools libraries.
 *
 * It grants domain 0 one page read-write (ref 8, filled with 0x11) and
 * one read-only (ref 9, 0x22), then allocates port 1 for domain 0 (so a
 * successful bind means the grants are ready) and waits for an event on
 * it. With "check" on the command line it then expects what domain 0
 * wrote: 0x33 in bytes 0-255 of the read-write page through a mapping,
 * 0x44 in bytes 256-511 by grant copy, and every mapping gone. It
 * answers with an event and powers off.
 */
#include "evtchn-util.h"

#define GT_GFN 0xf1000UL

static uint8_t page_rw[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_ro[PAGE_SIZE] __aligned(PAGE_SIZE);

void test_main(void)
{
    grant_entry_v1_t *gt = (grant_entry_v1_t *)(GT_GFN << 12);
    long port;

    check_eq(evt_setup(), 0);
    check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, GT_GFN), 0);
    memset(page_rw, 0x11, PAGE_SIZE);
    memset(page_ro, 0x22, PAGE_SIZE);
    gt[8] = (grant_entry_v1_t){GTF_permit_access, 0, pfn_of(page_rw)};
    gt[9] = (grant_entry_v1_t){GTF_permit_access | GTF_readonly, 0,
                               pfn_of(page_ro)};
    barrier();
    port = evt_alloc_unbound(DOMID_SELF, 0);
    check_eq(port, 1);

    evt_wait(port, 0);
    if (cmdline_has("check")) {
        for (unsigned int i = 0; i < 256; i++)
            check(page_rw[i] == 0x33, "byte %u is %#x", i, page_rw[i]);
        for (unsigned int i = 256; i < 512; i++)
            check(page_rw[i] == 0x44, "byte %u is %#x", i, page_rw[i]);
        check_eq(page_rw[512], 0x11);
        check_eq(gt[8].flags, GTF_permit_access);
        check_eq(gt[9].flags, GTF_permit_access | GTF_readonly);
    }
    check_eq(evt_send(port), 0);
}
