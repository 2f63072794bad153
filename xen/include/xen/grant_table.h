/* Grant tables, v1 (common/grant_table.c). */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <public/grant_table.h>

struct domain;

int grant_table_init(struct domain *d);
/*
 * XEN_DOMCTL_createdomain's limits, before the domain runs: grant frames
 * (>= 1) and maptrack frames, < 0 meaning the gnttab_max_frames= /
 * gnttab_max_maptrack_frames= defaults, never above them. 0 or -EINVAL.
 */
int gnttab_set_limits(struct domain *d, int max_frames, int max_maptrack);
/*
 * Drop every mapping d holds of others' grants (their GTF_reading and
 * GTF_writing go, the granters are no longer referenced). Idempotent;
 * call it from domain_destroy so that two domains mapping each other's
 * grants cannot keep each other alive.
 */
void gnttab_release_mappings(struct domain *d);
/* Release what gnttab_release_mappings does and free the table. */
void grant_table_destroy(struct domain *d);

/*
 * XENMAPSPACE_grant_table: place frame idx of d's grant table at gfn
 * (growing the table up to its limit if needed). 0 or -errno.
 */
int gnttab_map_frame(struct domain *d, unsigned long idx, uint64_t gfn);
/*
 * XENMEM_remove_from_physmap of gfn: a grant frame placed there leaves
 * the physmap and goes back to a page of ours, its entries kept (Xen's
 * toolstack seeds the reserved entries this way).
 */
void gnttab_unplace_gfn(struct domain *d, uint64_t gfn);

/*
 * Builders: write a reserved entry (GNTTAB_RESERVED_CONSOLE/XENSTORE)
 * granting gfn to grantee, as xc_dom_gnttab_seed does. 0 or -EINVAL.
 */
int gnttab_seed_entry(struct domain *d, grant_ref_t ref, domid_t grantee,
                      uint32_t gfn);

/*
 * Use grant ref of rd on behalf of domain ld (map or copy; privcmd's
 * gntdev too): check the entry grants access to ld (and writing unless
 * readonly), set GTF_reading/GTF_writing and count the use. Gives the
 * granted frame and the entry's cache attributes (may be NULL). Returns
 * GNTST_okay or a GNTST_* error. Every successful pin needs one unpin.
 */
int gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ld, bool readonly,
               bool mapping, uint64_t *gfn, uint16_t *cache_flags);
void gnttab_unpin(struct domain *rd, grant_ref_t ref, bool readonly);

#endif
