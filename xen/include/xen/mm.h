/*
 * Host memory budget and each domain's guest-physical memory (its physmap).
 *
 * A domain's RAM is one memfd addressed by gfn (offset gfn << 12) and
 * mapped once into xen. Only populated frames are visible to the guest
 * (KVM memslots cover populated runs); a guest access anywhere else is an
 * MMIO exit, so touching an unpopulated frame never allocates host memory.
 */
#ifndef XEN_MM_H
#define XEN_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;

#define INVALID_GFN (~0ULL)

/*
 * A guest's physical space: 256 GiB, sparse (only populated frames cost).
 * xen maps each domain's space whole, so this also bounds how many
 * domains fit in the host's 128 TiB of user address space (about 500).
 */
#define GUEST_PADDR_BITS 38
#define GUEST_MAX_GFN (1ULL << (GUEST_PADDR_BITS - 12))

/*
 * Budget (pages): total from mem=, dom0's share from dom0_mem=; dom0 may
 * give pages back to new domains down to dom0_floor.
 */
void mem_budget_init(uint64_t total_pages, uint64_t dom0_pages,
                     uint64_t dom0_floor);
/* Take pages from the free budget: 0 or -ENOMEM. */
int mem_budget_claim(uint64_t pages);
void mem_budget_release(uint64_t pages);
uint64_t mem_budget_total(void);
uint64_t mem_budget_free(void);
uint64_t mem_budget_dom0(void);

/* Reserve a guest-physical space of max_gfn frames for the domain. */
int physmap_init(struct domain *d, uint64_t max_gfn);
/* Release all frames (and their budget) and the memfd. */
void physmap_destroy(struct domain *d);

/*
 * Back nr frames at gfn. Frames counted in tot_pages are charged to the
 * budget and bounded by max_pages; "special" frames (shared_info, grant
 * frames placed by the guest) are not. Already-populated frames are left
 * alone and not charged again. Returns 0, -ENOMEM or -EINVAL.
 */
int physmap_populate(struct domain *d, uint64_t gfn, uint64_t nr, bool special);
/* Drop nr frames at gfn (content lost); unpopulated frames are skipped. */
int physmap_remove(struct domain *d, uint64_t gfn, uint64_t nr);
bool physmap_is_populated(struct domain *d, uint64_t gfn);
/* Populated as a special frame (shared_info, grant frames). */
bool physmap_is_special(struct domain *d, uint64_t gfn);
/* Highest populated gfn (0 if none): XENMEM_maximum_gpfn. */
uint64_t physmap_max_gfn(struct domain *d);
/*
 * Count nr pages in tot_pages and the budget without backing any frame:
 * pages Xen allocates to a translated guest but maps nowhere
 * (increase_reservation, remove_from_physmap). They are released with
 * the physmap. 0 or -ENOMEM (max_pages or budget).
 */
int physmap_charge_unmapped(struct domain *d, uint64_t nr);

/*
 * Host pointer to a populated frame or a writable foreign frame (below),
 * NULL otherwise.
 */
void *gfn_to_virt(struct domain *d, uint64_t gfn);

/*
 * Foreign frames: a grant mapping shows the owner's populated frame
 * owner_gfn at the unpopulated gfn of d, through a KVM slot of its own
 * (read-only if asked: guest writes then exit as MMIO and must be
 * refused), never merged with d's extents. The host mapping keeps the
 * page alive until the unmap, whatever becomes of the owner; callers
 * keep the owner referenced for their own bookkeeping. Foreign frames
 * are not counted in tot_pages and cannot be populated over (-EBUSY).
 * map: 0, -EBUSY (gfn in use), -EINVAL, -ENOMEM or a KVM error.
 * unmap: 0, or -EINVAL if gfn does not show exactly that frame.
 */
int physmap_map_foreign(struct domain *d, uint64_t gfn, struct domain *owner,
                        uint64_t owner_gfn, bool readonly);
int physmap_unmap_foreign(struct domain *d, uint64_t gfn, uint16_t owner,
                          uint64_t owner_gfn);
bool physmap_is_foreign(struct domain *d, uint64_t gfn);
/* A foreign frame mapped read-only: guest writes must not reach it. */
bool physmap_is_readonly(struct domain *d, uint64_t gfn);

/*
 * Split a copy of len bytes at guest address addr (physical or virtual)
 * into pieces within one page and call fn(ctx, ...) on each, with the
 * matching part of buf. Returns 0, or fn's first error.
 */
typedef int (*page_copy_fn)(void *ctx, uint64_t addr, void *buf, size_t len,
                            bool to_guest);
int copy_by_page(void *ctx, page_copy_fn fn, uint64_t addr, void *buf,
                 size_t len, bool to_guest);

/* Copies by guest-physical address; -EFAULT if any frame is unpopulated. */
int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len);
int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len);

#endif
