/* Bookkeeping of foreign mappings (see regions.h). */
#include <errno.h>
#include <stdlib.h>

#include "regions.h"

static uintptr_t region_end(const struct fmem_region *g)
{
    return g->start + (g->pages << FMEM_PAGE_SHIFT);
}

int fmem__regions_add(struct fmem_regions *r, uintptr_t start, size_t pages,
                      uint32_t domid)
{
    struct fmem_region *g = malloc(sizeof(*g));

    if (!g)
        return -1;
    g->start = start;
    g->pages = pages;
    g->domid = domid;
    g->next = r->head;
    r->head = g;
    return 0;
}

int fmem__regions_remove(struct fmem_regions *r, uintptr_t start, size_t pages)
{
    uintptr_t end = start + (pages << FMEM_PAGE_SHIFT);
    struct fmem_region **pg, *g, *tail = NULL;

    /* A range strictly inside one region splits it: allocate first. */
    for (g = r->head; g; g = g->next)
        if (g->start < start && region_end(g) > end)
            break;
    if (g) {
        tail = malloc(sizeof(*tail));
        if (!tail)
            return -1;
        tail->start = end;
        tail->pages = (region_end(g) - end) >> FMEM_PAGE_SHIFT;
        tail->domid = g->domid;
        tail->next = g->next;
        g->pages = (start - g->start) >> FMEM_PAGE_SHIFT;
        g->next = tail;
        return 0;
    }

    pg = &r->head;
    while ((g = *pg)) {
        if (region_end(g) <= start || g->start >= end) {
            pg = &g->next;
        } else if (g->start >= start && region_end(g) <= end) {
            *pg = g->next;
            free(g);
        } else if (g->start < start) {
            g->pages = (start - g->start) >> FMEM_PAGE_SHIFT;
            pg = &g->next;
        } else {
            g->pages = (region_end(g) - end) >> FMEM_PAGE_SHIFT;
            g->start = end;
            pg = &g->next;
        }
    }
    return 0;
}

int fmem__regions_maps(const struct fmem_regions *r, uint32_t domid)
{
    const struct fmem_region *g;

    for (g = r->head; g; g = g->next)
        if (g->domid == domid)
            return 1;
    return 0;
}

void fmem__regions_dispose(struct fmem_regions *r)
{
    struct fmem_region *g;

    while ((g = r->head)) {
        r->head = g->next;
        free(g);
    }
}
