/*
 * Two domains that map each other's grants and power off still holding
 * the mappings (gnttab-mutual.sh): xen must free both, not leave them
 * keeping each other alive. cmdline "first" is domain 1, "second" 2.
 */
#include "evtchn-util.h"

#define GT_GFN 0xf1000UL
#define MAP_GFN 0xf2000UL

static uint8_t page[PAGE_SIZE] __aligned(PAGE_SIZE);

void test_main(void)
{
    bool first = cmdline_has("first");
    domid_t self = first ? 1 : 2, peer = first ? 2 : 1;
    grant_entry_v1_t *gt = (grant_entry_v1_t *)(GT_GFN << 12);
    struct gnttab_map_grant_ref m = {
        .host_addr = MAP_GFN << 12, .flags = GNTMAP_host_map, .ref = 8,
        .dom = peer, .status = 99,
    };
    const volatile uint8_t *peer_page = (const uint8_t *)(MAP_GFN << 12);

    check_eq(cpuid_domid(), self);
    check_eq(evt_setup(), 0);
    check_eq(add_to_physmap(DOMID_SELF, XENMAPSPACE_grant_table, 0, GT_GFN), 0);
    memset(page, 0x10 + self, PAGE_SIZE);
    gt[8] = (grant_entry_v1_t){GTF_permit_access, peer, pfn_of(page)};
    barrier();

    /* Both grants exist once the second domain's bind has succeeded. */
    if (first) {
        check_eq(evt_alloc_unbound(DOMID_SELF, peer), 1);
        evt_wait(1, 0);
    } else {
        check_eq(evt_bind_interdomain_wait(peer, 1), 1);
        check_eq(evt_send(1), 0);
    }

    check_eq(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1), 0);
    check_eq(m.status, GNTST_okay);
    check_eq(peer_page[0], 0x10 + peer);
    check_eq(peer_page[4095], 0x10 + peer);
    /* Power off with the mapping in place. */
}
