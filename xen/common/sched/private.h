/*
 * Between the scheduler core (core.c) and the cpupools (cpupool.c): the
 * pieces both use, all under sched_lock unless said otherwise.
 */
#ifndef XEN_SCHED_PRIVATE_H
#define XEN_SCHED_PRIVATE_H

#include <xen/sched-if.h>

extern pthread_mutex_t sched_lock;
extern struct cpupool *cpupool0;

const struct scheduler *scheduler_by_name(const char *name);
const struct scheduler *scheduler_by_id(unsigned int id);

/* cpupool.c: a new pool (no pCPUs) into the list; takes sched_lock. */
int cpupool_create_pool(unsigned int id, const struct scheduler *s,
                        struct cpupool **out);

void pcpu_assign_locked(struct cpupool *c, unsigned int cpu);
void pcpu_unassign_locked(unsigned int cpu);
bool pcpu_is_free(unsigned int cpu);

/* Records of domains and vCPUs, allocated for a pool before any move. */
struct sched_dom *sdom_alloc(struct cpupool *c, struct domain *d);
void sdom_free(struct sched_dom *sd);
void sdom_attach_locked(struct cpupool *c, struct sched_dom *sd);
void sdom_detach_locked(struct sched_dom *sd);
struct sched_unit *unit_alloc(struct cpupool *c, struct vcpu *v);
void unit_free(struct sched_unit *u);
void unit_insert_locked(struct sched_dom *sd, struct vcpu *v,
                        struct sched_unit *u);
struct sched_unit *unit_remove_locked(struct vcpu *v);
void wait_descheduled_locked(struct domain *d);
void sched_update_locked(struct vcpu *v);
struct sched_dom *sched_find_sdom(struct domain *d);

#endif
