/*
 * xenforeignmemory.h - map other domains' memory into this process.
 *
 * Frames are named by guest frame number (gfn). A mapping stays valid
 * until it is unmapped, even after the handle is closed or the domain
 * has died.
 *
 * Xenon: xen hands over each domain's whole memory, so every gfn below
 * the domain's highest possible frame maps, including frames the domain
 * has not populated; those read as zero and, once touched, cost host
 * memory until the domain is destroyed. Gfns beyond it fail with EINVAL.
 */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

/* Logging is not used by this library; NULL is fine. */
struct xentoollog_logger;

typedef struct xenforeignmemory_handle xenforeignmemory_handle;

/* Open a handle: NULL with errno if the core cannot be reached. */
xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned open_flags);

/* Close a handle (NULL is fine). Its mappings stay. 0, or -1/errno. */
int xenforeignmemory_close(xenforeignmemory_handle *fmem);

/*
 * Map @pages frames of domain @dom, the gfns in @arr, contiguously, with
 * mmap protection @prot. Returns the address, or NULL with errno set.
 *
 * With @err, the mapping is returned even if some frames failed:
 * err[i] is 0 or a negative errno for frame i, whose page is then
 * inaccessible. Without @err, any failed frame fails the whole call.
 */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
                           int prot, size_t pages, const xen_pfn_t arr[],
                           int err[]);

/*
 * Like xenforeignmemory_map, at @addr: a hint, or the exact address
 * (replacing what is there) with MAP_FIXED in @flags.
 */
void *xenforeignmemory_map2(xenforeignmemory_handle *fmem, uint32_t dom,
                            void *addr, int prot, int flags, size_t pages,
                            const xen_pfn_t arr[], int err[]);

/* Unmap @pages pages at @addr. 0, or -1 with errno set. */
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
                           size_t pages);

/*
 * Restrict the handle, irreversibly, to domain @domid: mapping any other
 * domain's memory then fails with EPERM. 0, or -1 with errno set.
 */
int xenforeignmemory_restrict(xenforeignmemory_handle *fmem, domid_t domid);

/*
 * Resources of a domain that are not in its physmap (ioreq server
 * pages, grant table frames). Not provided yet: mapping fails with
 * EOPNOTSUPP, as with a kernel that lacks the feature.
 */
typedef struct xenforeignmemory_resource_handle
    xenforeignmemory_resource_handle;

xenforeignmemory_resource_handle *
xenforeignmemory_map_resource(xenforeignmemory_handle *fmem, domid_t domid,
                              unsigned int type, unsigned int id,
                              unsigned long frame, unsigned long nr_frames,
                              void **paddr, int prot, int flags);

/* Unmap and free @fres (NULL is fine). 0, or -1 with errno set. */
int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
                                    xenforeignmemory_resource_handle *fres);

/* The size in bytes of a resource: 0, or -1 with errno set. */
int xenforeignmemory_resource_size(xenforeignmemory_handle *fmem, domid_t domid,
                                   unsigned int type, unsigned int id,
                                   size_t *size);

#endif
