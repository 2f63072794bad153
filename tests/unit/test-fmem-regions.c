/*
 * libxenforeignmemory's mapping bookkeeping
 * (tools/libs/foreignmemory/regions.c): unmaps that cover, trim and
 * split ranges, and which domains stay mapped.
 */
#include <stdint.h>

#include "regions.h"
#include "unit.h"

#define P(n) ((uintptr_t)(n) << FMEM_PAGE_SHIFT)

/* The region starting at @start: its pages and domain, or 0 pages. */
static size_t pages_at(struct fmem_regions *r, uintptr_t start, uint32_t *domid)
{
    struct fmem_region *g;

    for (g = r->head; g; g = g->next)
        if (g->start == start) {
            *domid = g->domid;
            return g->pages;
        }
    return 0;
}

static int count(struct fmem_regions *r)
{
    struct fmem_region *g;
    int n = 0;

    for (g = r->head; g; g = g->next)
        n++;
    return n;
}

int main(void)
{
    struct fmem_regions r = {0};
    uint32_t d = 0;

    EXPECT(fmem__regions_add(&r, P(100), 10, 1) == 0); /* 100..109 */
    EXPECT(fmem__regions_add(&r, P(200), 4, 2) == 0);  /* 200..203 */
    EXPECT(fmem__regions_add(&r, P(300), 1, 1) == 0);  /* 300 */
    EXPECT(fmem__regions_maps(&r, 1) && fmem__regions_maps(&r, 2));
    EXPECT(!fmem__regions_maps(&r, 3));

    /* A hole in the middle splits. */
    EXPECT(fmem__regions_remove(&r, P(103), 2) == 0);
    EXPECT(pages_at(&r, P(100), &d) == 3 && d == 1);
    EXPECT(pages_at(&r, P(105), &d) == 5 && d == 1);
    EXPECT(count(&r) == 4);

    /* Trimming both ends at once, and a range that maps nothing. */
    EXPECT(fmem__regions_remove(&r, P(102), 4) == 0); /* 102..105 */
    EXPECT(pages_at(&r, P(100), &d) == 2);
    EXPECT(pages_at(&r, P(106), &d) == 4);
    EXPECT(fmem__regions_remove(&r, P(150), 10) == 0);
    EXPECT(count(&r) == 4);

    /* Covering domain 2's only range: it is no longer mapped. */
    EXPECT(fmem__regions_remove(&r, P(199), 6) == 0);
    EXPECT(!fmem__regions_maps(&r, 2));
    EXPECT(count(&r) == 3);

    /* One unmap over several regions. */
    EXPECT(fmem__regions_remove(&r, P(0), 1000) == 0);
    EXPECT(count(&r) == 0 && !fmem__regions_maps(&r, 1));

    /* Exact removal, and dispose of what is left. */
    EXPECT(fmem__regions_add(&r, P(7), 3, 5) == 0);
    EXPECT(fmem__regions_add(&r, P(10), 3, 6) == 0);
    EXPECT(fmem__regions_remove(&r, P(7), 3) == 0);
    EXPECT(!fmem__regions_maps(&r, 5) && fmem__regions_maps(&r, 6));
    EXPECT(pages_at(&r, P(10), &d) == 3 && d == 6);
    fmem__regions_dispose(&r);
    EXPECT(r.head == NULL);

    UNIT_DONE("test-fmem-regions");
}
