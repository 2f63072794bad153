/* libxenguest internals (hidden). */
#ifndef XG_PRIVATE_H
#define XG_PRIVATE_H

#include <stdarg.h>

#include <xen/libelf.h>

#include "xc_private.h"
#include "xenguest.h"

/* One foreign mapping of guest frames, released by xg__unmap_all. */
struct xg_map {
    void *addr;
    size_t pages;
    struct xg_map *next;
};

struct xc_dom_internal {
    struct elf_binary elf;
    struct elf_dom_parms parms;
    bool parsed;            /* elf and parms are valid */
    bool ram_populated;     /* [0, lowmem_end), [4 GiB, highmem_end) */
    bool special_populated; /* the special pages */
    bool acpi_populated;    /* the ACPI tables' pages (PVH_ACPI_ADDR) */
    uint64_t start_info;    /* guest-physical address of hvm_start_info */
    struct xg_map *maps;
};

/*
 * Log an error of the builder (XTL_ERROR through the domain-builder
 * logger) and set errno to @err. Returns -1.
 */
int xg__fail(struct xc_dom_image *dom, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void xg__info(struct xc_dom_image *dom, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * elf_map_fn over the guest's populated memory: a host pointer to @len
 * bytes at guest-physical @paddr, mapped until xg__unmap_all; NULL if
 * any of it is not RAM or a special page we populated (or mapping fails).
 */
void *xg__map_guest(void *dom, uint64_t paddr, size_t len);
void xg__unmap_all(struct xc_dom_image *dom);

#endif
