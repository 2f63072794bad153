/* Guest page-table walker (see asm/paging.h). */
#include <asm-x86/domain.h>
#include <asm-x86/paging.h>
#include <xen/lib.h>

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define ADDR_MASK_64 0x000ffffffffff000ULL

static int walk_32bit(const struct paging_state *ps, uint32_t va, bool write,
                      pt_read_fn read, void *ctx, uint64_t *gpa)
{
    bool wp = ps->cr0 & X86_CR0_WP;
    uint64_t pde, pte;

    if (read(ctx, (ps->cr3 & 0xfffff000) + (va >> 22) * 4, 4, &pde) ||
        !(pde & PTE_P) || (write && wp && !(pde & PTE_RW)))
        return -EFAULT;
    if ((pde & PTE_PS) && (ps->cr4 & X86_CR4_PSE)) {
        /* 4 MiB page; PSE-36 puts address bits 32+ in PDE bits 13..20. */
        uint64_t base = (pde & 0xffc00000) | ((pde & 0x1fe000ULL) << 19);
        *gpa = base | (va & 0x3fffff);
        return 0;
    }
    if (read(ctx, (pde & 0xfffff000) + ((va >> 12) & 0x3ff) * 4, 4, &pte) ||
        !(pte & PTE_P) || (write && wp && !(pte & PTE_RW)))
        return -EFAULT;
    *gpa = (pte & 0xfffff000) | (va & 0xfff);
    return 0;
}

/*
 * PAE and long mode share the walk: 9 bits per level, 8-byte entries,
 * large pages at the 1 GiB (level 3, long mode only) and 2 MiB levels.
 */
static int walk_64bit(const struct paging_state *ps, uint64_t va, bool write,
                      unsigned int levels, pt_read_fn read, void *ctx,
                      uint64_t *gpa)
{
    bool wp = ps->cr0 & X86_CR0_WP;
    uint64_t table, e;

    if (levels == 3) {
        /* PAE: cr3 holds 32-byte aligned PDPT of 4 entries. */
        if (read(ctx, (ps->cr3 & 0xffffffe0) + ((va >> 30) & 3) * 8, 8, &e) ||
            !(e & PTE_P))
            return -EFAULT;
        table = e & ADDR_MASK_64;
        levels = 2;
    } else {
        table = ps->cr3 & ADDR_MASK_64;
    }
    for (int level = levels; level >= 1; level--) {
        unsigned int shift = 12 + 9 * (level - 1);

        if (read(ctx, table + ((va >> shift) & 511) * 8, 8, &e) ||
            !(e & PTE_P) || (write && wp && !(e & PTE_RW)))
            return -EFAULT;
        if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
            uint64_t page_mask = (1ULL << shift) - 1;

            *gpa = (e & ADDR_MASK_64 & ~page_mask) | (va & page_mask);
            return 0;
        }
        table = e & ADDR_MASK_64;
    }
    return -EFAULT;
}

int guest_walk(const struct paging_state *ps, uint64_t va, bool write,
               pt_read_fn read, void *ctx, uint64_t *gpa)
{
    if (!(ps->cr0 & X86_CR0_PG)) {
        *gpa = (ps->efer & X86_EFER_LMA) ? va : (uint32_t)va;
        return 0;
    }
    if (ps->efer & X86_EFER_LMA) {
        unsigned int levels = (ps->cr4 & X86_CR4_LA57) ? 5 : 4;
        unsigned int bits = levels == 5 ? 57 : 48;
        int64_t sva = (int64_t)(va << (64 - bits)) >> (64 - bits);

        if ((uint64_t)sva != va)
            return -EFAULT; /* non-canonical */
        return walk_64bit(ps, va, write, levels, read, ctx, gpa);
    }
    if (ps->cr4 & X86_CR4_PAE)
        return walk_64bit(ps, (uint32_t)va, write, 3, read, ctx, gpa);
    return walk_32bit(ps, (uint32_t)va, write, read, ctx, gpa);
}
