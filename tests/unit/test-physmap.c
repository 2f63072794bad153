/*
 * Memory budget and physmap bookkeeping (xen/common/memory.c), with KVM's
 * memory-slot ioctl replaced by a recorder so the slot layout can be
 * checked against the populated frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/kvm.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

#include "unit.h"

#define MAX_SLOTS 64
static struct {
    uint64_t gpa, size;
    bool used;
} slots[MAX_SLOTS];
int kvm_set_memslot(struct domain *d, uint32_t slot, uint64_t gpa,
                    uint64_t size, void *hva)
{
    if (slot >= MAX_SLOTS)
        return -ENOSPC;
    if (size && hva != d->mem + gpa)
        return -EINVAL;
    slots[slot].gpa = gpa;
    slots[slot].size = size;
    slots[slot].used = size != 0;
    return 0;
}

/* Every populated frame in exactly one slot, nothing else in any slot. */
static void check_slots(struct domain *d, const char *what, unsigned int want)
{
    unsigned int n = 0;

    for (uint64_t gfn = 0; gfn < 256; gfn++) {
        unsigned int in = 0;

        for (unsigned int s = 0; s < MAX_SLOTS; s++)
            if (slots[s].used && gfn << PAGE_SHIFT >= slots[s].gpa &&
                gfn << PAGE_SHIFT < slots[s].gpa + slots[s].size)
                in++;
        if (in != (physmap_is_populated(d, gfn) ? 1u : 0u)) {
            printf("FAIL %s: gfn %llu in %u slots\n", what,
                   (unsigned long long)gfn, in);
            failures++;
            return;
        }
    }
    for (unsigned int s = 0; s < MAX_SLOTS; s++)
        n += slots[s].used;
    if (n != want) {
        printf("FAIL %s: %u slots, want %u\n", what, n, want);
        failures++;
    }
}

int main(void)
{
    struct domain *d = calloc(1, sizeof(*d));

    /* 1000 pages in all, 600 for dom0 of which 500 are a hard floor. */
    mem_budget_init(1000, 600, 500);
    EXPECT(mem_budget_free() == 400);
    d->max_pages = 300;
    EXPECT(physmap_init(d, 256) == 0);

    EXPECT(physmap_populate(d, 0, 16, false) == 0);
    EXPECT(physmap_populate(d, 32, 16, false) == 0);
    check_slots(d, "two runs", 2);
    EXPECT(physmap_populate(d, 16, 16, false) == 0);
    check_slots(d, "merged", 1);
    EXPECT(d->tot_pages == 48);
    EXPECT(mem_budget_free() == 400 - 48);

    /* Populating populated frames costs nothing. */
    EXPECT(physmap_populate(d, 8, 8, false) == 0);
    EXPECT(d->tot_pages == 48);

    /* A hole in the middle splits the slot. */
    EXPECT(physmap_remove(d, 20, 4) == 0);
    check_slots(d, "split", 2);
    EXPECT(d->tot_pages == 44);
    EXPECT(gfn_to_virt(d, 21) == NULL);
    EXPECT(gfn_to_virt(d, 19) == d->mem + (19 << PAGE_SHIFT));

    /* Copies by gpa cross page boundaries, and fault at the hole. */
    {
        uint64_t at = (19 << PAGE_SHIFT) - 3;
        char in[8] = "abcdefg", out[8] = {0};

        EXPECT(copy_to_gpa(d, at, in, sizeof(in)) == 0);
        EXPECT(copy_from_gpa(d, out, at, sizeof(out)) == 0);
        EXPECT(!memcmp(in, out, sizeof(in)));
        EXPECT(d->mem[19 << PAGE_SHIFT] == 'd');
        EXPECT(copy_to_gpa(d, (20 << PAGE_SHIFT) - 3, in, sizeof(in)) ==
               -EFAULT);
        EXPECT(copy_from_gpa(d, out, (20 << PAGE_SHIFT) - 3, 3) == 0);
        EXPECT(!memcmp(out, in, 3));
    }

    /* Special frames are not counted. */
    EXPECT(physmap_populate(d, 200, 1, true) == 0);
    EXPECT(d->tot_pages == 44);
    check_slots(d, "special", 3);
    EXPECT(physmap_remove(d, 200, 1) == 0);
    EXPECT(d->tot_pages == 44);

    /* max_pages bounds the domain. */
    EXPECT(physmap_populate(d, 100, 257 - 100, false) == -EINVAL);
    EXPECT(physmap_populate(d, 64, 300, false) == -EINVAL);
    d->max_pages = 1000;
    /* Budget: 352 free + 100 dom0 can lend; 460 is too much. */
    EXPECT(physmap_populate(d, 64, 192, false) == 0);
    EXPECT(mem_budget_free() == 400 - 236);
    EXPECT(mem_budget_claim(164) == 0);   /* 164 free */
    EXPECT(mem_budget_claim(100) == 0);   /* dom0 lends down to its floor */
    EXPECT(mem_budget_dom0() == 500);
    EXPECT(mem_budget_claim(1) == -ENOMEM);
    mem_budget_release(264);

    /* Errors leave nothing behind. */
    EXPECT(physmap_populate(d, 0, 0, false) == -EINVAL);
    EXPECT(physmap_remove(d, 250, 10) == -EINVAL);

    physmap_destroy(d);
    EXPECT(mem_budget_free() == 1000 - 500);
    for (unsigned int s = 0; s < MAX_SLOTS; s++)
        EXPECT(!slots[s].used);
    free(d);
    UNIT_DONE("physmap");
}
