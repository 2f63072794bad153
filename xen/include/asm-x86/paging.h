/*
 * Guest page-table walks in every x86 paging mode: none, 2-level 32-bit
 * (with 4 MiB pages), PAE, 4-level and 5-level long mode. The walker
 * reads page tables through a callback so that it can be unit tested
 * without a domain.
 */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

struct paging_state {
    uint64_t cr0, cr3, cr4, efer;
};

/* Read a page-table entry (size 4 or 8) at gpa; 0 or -EFAULT. */
typedef int (*pt_read_fn)(void *ctx, uint64_t gpa, unsigned int size,
                          uint64_t *val);

/*
 * Translate va. write: the access writes (honours R/W and CR0.WP for
 * supervisor accesses). Returns 0 and *gpa, or -EFAULT.
 */
int guest_walk(const struct paging_state *ps, uint64_t va, bool write,
               pt_read_fn read, void *ctx, uint64_t *gpa);

#endif
