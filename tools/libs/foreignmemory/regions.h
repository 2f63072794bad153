/*
 * The foreign mappings of a libxenforeignmemory handle: which address
 * ranges map which domain. The handle keeps a domain's memory fd while
 * some range still maps it. Hidden; tests/unit/test-fmem-regions.c
 * tests it.
 */
#ifndef FMEM_REGIONS_H
#define FMEM_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#define FMEM_PAGE_SHIFT 12

struct fmem_region {
    uintptr_t start;
    size_t pages;
    uint32_t domid;
    struct fmem_region *next;
};

struct fmem_regions {
    struct fmem_region *head;
};

/* Record that [start, start + pages pages) maps @domid. 0, or -1/ENOMEM. */
int fmem__regions_add(struct fmem_regions *r, uintptr_t start, size_t pages,
                      uint32_t domid);

/*
 * Forget [start, start + pages pages): the regions it covers go, those it
 * overlaps are trimmed or split. 0, or -1/ENOMEM with nothing changed.
 */
int fmem__regions_remove(struct fmem_regions *r, uintptr_t start, size_t pages);

/* Whether some region maps @domid. */
int fmem__regions_maps(const struct fmem_regions *r, uint32_t domid);

void fmem__regions_dispose(struct fmem_regions *r);

#endif
