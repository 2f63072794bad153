/*
 * PV page-table updates with HYPERVISOR_update_va_mapping and
 * mmu_update: map shared_info, remap a present entry to another frame
 * (the change must be seen at once), unmap and map again; and the
 * refusals Xen gives (-EINVAL): a frame that is not the domain's, the
 * hypervisor's frames and L4 slot, a writable mapping of one of its own
 * page tables, a large page.
 */
#include "pv.h"

#define PTE_RW_FLAGS 0x63UL /* present, writable, accessed, dirty */
#define PTE_RO_FLAGS 0x21UL /* present, accessed */

static uint64_t pte_of_pfn(unsigned long pfn, unsigned long flags)
{
    return ((uint64_t)pfn << 12) | flags;
}

/* The machine address of va's level-`want` entry, walking from pt_base. */
static uint64_t entry_maddr(unsigned long va, int want)
{
    const uint64_t *t = (const uint64_t *)pv_start_info->pt_base;

    for (int level = 4; level > want; level--) {
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];

        check(e & 1, "no level %d entry for %#lx", level, va);
        t = (const uint64_t *)(PV_VIRT_BASE + (e & 0x000ffffffffff000UL));
    }
    return ((unsigned long)t - PV_VIRT_BASE) +
           ((va >> (12 + 9 * (want - 1))) & 511) * 8;
}

static long mmu_update(uint64_t ptr, uint64_t val, unsigned int *done)
{
    struct mmu_update req = {.ptr = ptr, .val = val};

    return hypercall4(__HYPERVISOR_mmu_update, &req, 1, done, DOMID_SELF);
}

static void check_mmu_update(volatile unsigned long *a,
                             volatile unsigned long *b)
{
    unsigned long a_pfn = pv_pfn_of((unsigned long)a);
    unsigned long b_pfn = pv_pfn_of((unsigned long)b);
    unsigned long l4_pfn = pv_pfn_of(pv_start_info->pt_base);
    uint64_t a_l1e = entry_maddr((unsigned long)a, 1);
    unsigned int done = 99;

    /* Remap a present entry through its machine address. */
    *a = 0x1111;
    *b = 0x2222;
    check_eq(mmu_update(a_l1e, pte_of_pfn(b_pfn, PTE_RW_FLAGS), &done), 0);
    check_eq(done, 1);
    check_eq(*a, 0x2222);
    check_eq(mmu_update(a_l1e, pte_of_pfn(a_pfn, PTE_RW_FLAGS), NULL), 0);
    check_eq(*a, 0x1111);
    /* The m2p is the identity: only the identity update is accepted. */
    check_eq(
        mmu_update(((uint64_t)a_pfn << 12) | MMU_MACHPHYS_UPDATE, a_pfn, NULL),
        0);
    check_eq(mmu_update(((uint64_t)a_pfn << 12) | MMU_MACHPHYS_UPDATE,
                        a_pfn + 1, NULL),
             -EINVAL);
    /* Hostile: the hypervisor's L4 slot, a writable map of the L4. */
    check_eq(mmu_update(((uint64_t)l4_pfn << 12) + 257 * 8, 0, &done), -EINVAL);
    check_eq(done, 0);
    check_eq(mmu_update(a_l1e, pte_of_pfn(l4_pfn, PTE_RW_FLAGS), NULL),
             -EINVAL);
    /* An L2 entry (past the initial mapping) naming a frame the kernel
     * maps writable, to be an L1: refused. */
    check_eq(mmu_update(entry_maddr(pv_spare_va(0) + (2UL << 20), 2),
                        pte_of_pfn(b_pfn, PTE_RW_FLAGS), NULL),
             -EINVAL);
    check_eq(*a, 0x1111);
}

void test_main(void)
{
    const start_info_t *si = pv_start_info;
    struct shared_info *sh = pv_map_shared_info();
    volatile unsigned long *a = (void *)pv_spare_va(1);
    volatile unsigned long *b = (void *)pv_spare_va(2);
    unsigned long pt_pfn = pv_pfn_of(si->pt_base);
    const volatile uint64_t *l4;

    /* shared_info as Xen keeps it: the wallclock and vCPU 0's pvclock. */
    check(sh->wc_version && !(sh->wc_version & 1), "wc_version %u",
          sh->wc_version);
    check(sh->vcpu_info[0].time.tsc_to_system_mul, "no pvclock");

    /* Remap a present entry: a's page now shows b's frame. */
    *a = 0xaaaa;
    *b = 0xbbbb;
    check_eq(HYPERVISOR_update_va_mapping(
                 (unsigned long)a,
                 pte_of_pfn(pv_pfn_of((unsigned long)b), PTE_RW_FLAGS),
                 UVMF_INVLPG),
             0);
    check_eq(*a, 0xbbbb);
    *a = 0xcccc;
    check_eq(*b, 0xcccc);

    /* Unmap, then map the original frame again. */
    check_eq(HYPERVISOR_update_va_mapping((unsigned long)a, 0, UVMF_INVLPG), 0);
    check_eq(HYPERVISOR_update_va_mapping(
                 (unsigned long)a,
                 pte_of_pfn(pv_pfn_of((unsigned long)a), PTE_RW_FLAGS),
                 UVMF_INVLPG),
             0);
    check_eq(*a, 0xaaaa);

    /* Hostile: frames that are not the domain's. */
    check_eq(HYPERVISOR_update_va_mapping(
                 (unsigned long)a, pte_of_pfn(si->nr_pages + 16, PTE_RW_FLAGS),
                 UVMF_INVLPG),
             -EINVAL);
    check_eq(HYPERVISOR_update_va_mapping((unsigned long)a,
                                          pte_of_pfn(1UL << 28, PTE_RO_FLAGS),
                                          UVMF_INVLPG),
             -EINVAL);
    /* Its own L4: read-only yes, writable no. */
    check_eq(HYPERVISOR_update_va_mapping((unsigned long)a,
                                          pte_of_pfn(pt_pfn, PTE_RW_FLAGS),
                                          UVMF_INVLPG),
             -EINVAL);
    check_eq(HYPERVISOR_update_va_mapping((unsigned long)a,
                                          pte_of_pfn(pt_pfn, PTE_RO_FLAGS),
                                          UVMF_INVLPG),
             0);
    l4 = (const volatile uint64_t *)a;
    check(l4[511] & 1, "the L4 through its read-only mapping");
    /* A large page, and the hypervisor's slot. */
    check_eq(HYPERVISOR_update_va_mapping(
                 (unsigned long)b,
                 pte_of_pfn(pv_pfn_of((unsigned long)b), PTE_RW_FLAGS | 0x80),
                 UVMF_INVLPG),
             -EINVAL);
    check_eq(HYPERVISOR_update_va_mapping(0xffff808000000000UL,
                                          pte_of_pfn(0, PTE_RO_FLAGS),
                                          UVMF_INVLPG),
             -EINVAL);
    /* Failed updates changed nothing. */
    check_eq(*b, 0xcccc);
    /* a back on its own frame (it showed the L4). */
    check_eq(HYPERVISOR_update_va_mapping(
                 (unsigned long)a,
                 pte_of_pfn(pv_pfn_of((unsigned long)a), PTE_RW_FLAGS),
                 UVMF_INVLPG),
             0);
    check_mmu_update(a, b);
    printk("update_va_mapping and mmu_update: map, remap, unmap, refusals\n");
}
