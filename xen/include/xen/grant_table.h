/* Grant tables, v1 (common/grant_table.c). */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <stdint.h>

struct domain;

int grant_table_init(struct domain *d);
/* Drop every mapping d holds of others' grants and free its table. */
void grant_table_destroy(struct domain *d);

/*
 * XENMAPSPACE_grant_table: place frame idx of d's grant table at gfn
 * (growing the table up to its limit if needed). 0 or -errno.
 */
int gnttab_map_frame(struct domain *d, unsigned long idx, uint64_t gfn);

#endif
