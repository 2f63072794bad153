/* Grant tables, v1 (common/grant_table.c). */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

struct domain;

int grant_table_init(struct domain *d);
/* Drop every mapping d holds of others' grants and free its table. */
void grant_table_destroy(struct domain *d);

#endif
