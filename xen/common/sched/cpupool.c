/*
 * cpupools: the pCPUs partitioned into pools, each running its own
 * scheduler instance; a domain lives in exactly one. Pool-0 holds every
 * pCPU at start-up (core.c). XEN_SYSCTL_cpupool_op and the scheduler
 * parameter hypercalls (per domain and per pool) land here.
 *
 * Changes that wait for a pCPU to let go of a vCPU drop sched_lock while
 * they wait; pool_lock keeps two such changes from interleaving.
 */
#include <stdlib.h>
#include <string.h>

#include <public/domctl.h>
#include <public/sysctl.h>
#include <xen/lib.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

#include "private.h"

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cpupool *pools; /* by id, under sched_lock */
static unsigned int nr_pools;

static struct cpupool *find_pool(unsigned int id)
{
    for (struct cpupool *c = pools; c; c = c->next)
        if (c->cpupool_id == id)
            return c;
    return NULL;
}

static unsigned int nr_cpus_in(const struct cpupool *c)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < CPUMASK_WORDS; i++)
        n += __builtin_popcountll(c->cpu_valid[i]);
    return n;
}

int cpupool_create_pool(unsigned int id, const struct scheduler *s,
                        struct cpupool **out)
{
    struct cpupool *c = calloc(1, sizeof(*c)), **pp;
    int rc = 0;

    if (c)
        c->sched_priv = calloc(1, s->priv_size);
    if (!c || !c->sched_priv) {
        free(c);
        return -ENOMEM;
    }
    c->sched = s;
    pthread_mutex_lock(&sched_lock);
    /* Xen's bound: twice as many pools as pCPUs. */
    if (nr_pools >= 2 * sched_nr_pcpus()) {
        rc = -ENOSPC;
        goto out;
    }
    if (id == CPUPOOLID_NONE) {
        struct cpupool *last = pools;

        /* After the highest id; on wrap, the first gap, as in Xen. */
        while (last->next)
            last = last->next;
        id = last->cpupool_id + 1;
        if (id == CPUPOOLID_NONE)
            for (id = 0; find_pool(id); id++)
                ;
    } else if (find_pool(id)) {
        rc = -EEXIST;
        goto out;
    }
    c->cpupool_id = id;
    for (pp = &pools; *pp && (*pp)->cpupool_id < id; pp = &(*pp)->next)
        ;
    c->next = *pp;
    *pp = c;
    nr_pools++;
    s->init(c->sched_priv, c);
    *out = c;
out:
    pthread_mutex_unlock(&sched_lock);
    if (rc) {
        free(c->sched_priv);
        free(c);
    }
    return rc;
}

int cpupool_check_add(unsigned int id)
{
    struct cpupool *c;
    int rc = 0;

    pthread_mutex_lock(&sched_lock);
    c = find_pool(id);
    if (!c)
        rc = -ESRCH;
    else if (!nr_cpus_in(c))
        rc = -ENODEV;
    pthread_mutex_unlock(&sched_lock);
    return rc;
}

/*
 * Move d to pool c: with d paused, every vCPU leaves the old scheduler
 * and joins the new one with its affinity reset, as in Xen. Everything
 * the new pool needs is allocated before anything changes.
 */
static int move_domain(struct domain *d, struct cpupool *c)
{
    struct sched_unit **units = calloc(d->max_vcpus, sizeof(*units));
    struct sched_dom *sd, *new_sd = NULL;
    struct vcpu *v;
    int rc = -ENOMEM;

    if (!units)
        return -ENOMEM;
    domain_pause(d);
    pthread_mutex_lock(&sched_lock);
    sd = sched_find_sdom(d);
    if (!sd) {
        rc = -EINVAL;
        goto out;
    }
    if (sd->pool == c) {
        rc = 0;
        goto out;
    }
    new_sd = sdom_alloc(c, d);
    if (!new_sd)
        goto out;
    for_each_vcpu(d, v)
    {
        units[v->vcpu_id] = unit_alloc(c, v);
        if (!units[v->vcpu_id])
            goto out;
    }
    wait_descheduled_locked(d);
    /* That dropped the lock: a destroy may have taken the domain. */
    sd = sched_find_sdom(d);
    if (!sd) {
        rc = -EINVAL;
        goto out;
    }
    for_each_vcpu(d, v)
    {
        if (v->sched_priv)
            unit_free(unit_remove_locked(v));
    }
    sdom_detach_locked(sd);
    sdom_free(sd);
    sdom_attach_locked(c, new_sd);
    for_each_vcpu(d, v)
    {
        memset(v->cpu_hard_affinity, 0xff, sizeof(v->cpu_hard_affinity));
        memset(v->cpu_soft_affinity, 0xff, sizeof(v->cpu_soft_affinity));
        unit_insert_locked(new_sd, v, units[v->vcpu_id]);
        units[v->vcpu_id] = NULL;
    }
    new_sd = NULL;
    rc = 0;
    printk(LOG_INFO, "d%u: moved to cpupool %u\n", d->domain_id, c->cpupool_id);
out:
    pthread_mutex_unlock(&sched_lock);
    domain_unpause(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        unit_free(units[i]);
    free(units);
    sdom_free(new_sd);
    return rc;
}

int cpupool_move_domain(struct domain *d, unsigned int id)
{
    struct cpupool *c;
    int rc = -ENOENT;

    pthread_mutex_lock(&pool_lock);
    pthread_mutex_lock(&sched_lock);
    c = find_pool(id);
    if (c && !nr_cpus_in(c))
        c = NULL;
    pthread_mutex_unlock(&sched_lock);
    if (c)
        rc = move_domain(d, c);
    pthread_mutex_unlock(&pool_lock);
    return rc;
}

static int add_cpu(struct cpupool *c, unsigned int cpu)
{
    if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
        for (cpu = 0; cpu < sched_nr_pcpus() && !pcpu_is_free(cpu); cpu++)
            ;
        if (cpu >= sched_nr_pcpus())
            return -ENODEV;
    }
    if (cpu >= sched_nr_pcpus())
        return -EINVAL;
    if (!pcpu_is_free(cpu))
        return -ENODEV;
    pcpu_assign_locked(c, cpu);
    return 0;
}

static int remove_cpu(struct cpupool *c, unsigned int cpu)
{
    if (cpu == XEN_SYSCTL_CPUPOOL_PAR_ANY) {
        /* The last pCPU of the pool. */
        cpu = sched_nr_pcpus();
        for (unsigned int i = 0; i < sched_nr_pcpus(); i++)
            if (mask_test(c->cpu_valid, i))
                cpu = i;
    }
    if (cpu >= sched_nr_pcpus())
        return -EINVAL;
    /* pCPU 0 stays in Pool-0, as in Xen. */
    if (!c->cpupool_id && !cpu)
        return -EINVAL;
    if (!mask_test(c->cpu_valid, cpu))
        return -EADDRNOTAVAIL;
    if (c->n_dom && nr_cpus_in(c) == 1)
        return -EBUSY;
    pcpu_unassign_locked(cpu);
    return 0;
}

static int destroy(struct cpupool *c)
{
    struct cpupool **pp;

    if (c->n_dom || nr_cpus_in(c))
        return -EBUSY;
    for (pp = &pools; *pp != c; pp = &(*pp)->next)
        ;
    *pp = c->next;
    nr_pools--;
    free(c->sched_priv);
    free(c);
    return 0;
}

static long pool_sysctl(struct xen_sysctl_cpupool_op *op, uint64_t *map,
                        bool *copy_map)
{
    struct cpupool *c = NULL;
    long rc;

    switch (op->op) {
    case XEN_SYSCTL_CPUPOOL_OP_CREATE: {
        const struct scheduler *s = scheduler_by_id(op->sched_id);

        if (!s)
            return -ENOENT;
        rc = cpupool_create_pool(op->cpupool_id == XEN_SYSCTL_CPUPOOL_PAR_ANY
                                     ? CPUPOOLID_NONE
                                     : op->cpupool_id,
                                 s, &c);
        if (!rc)
            op->cpupool_id = c->cpupool_id;
        return rc;
    }
    case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
        pthread_mutex_lock(&sched_lock);
        for (unsigned int i = 0; i < sched_nr_pcpus(); i++)
            if (pcpu_is_free(i))
                mask_set(map, i);
        pthread_mutex_unlock(&sched_lock);
        *copy_map = true;
        return 0;
    }

    pthread_mutex_lock(&sched_lock);
    if (op->op == XEN_SYSCTL_CPUPOOL_OP_INFO) {
        /* The first pool with an id at or above the one asked for. */
        for (c = pools; c && c->cpupool_id < op->cpupool_id; c = c->next)
            ;
    } else {
        c = find_pool(op->cpupool_id);
    }
    rc = -ENOENT;
    if (!c)
        goto out;
    switch (op->op) {
    case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
        rc = destroy(c);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_INFO:
        op->cpupool_id = c->cpupool_id;
        op->sched_id = c->sched->sched_id;
        op->n_dom = c->n_dom;
        memcpy(map, c->cpu_valid, sizeof(c->cpu_valid));
        *copy_map = true;
        rc = 0;
        break;
    case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
        rc = add_cpu(c, op->cpu);
        break;
    case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
        rc = remove_cpu(c, op->cpu);
        break;
    default:
        rc = -ENOSYS;
        break;
    }
out:
    pthread_mutex_unlock(&sched_lock);
    return rc;
}

int cpupool_do_sysctl(struct vcpu *cv, struct xen_sysctl_cpupool_op *op)
{
    uint64_t map[CPUMASK_WORDS] = {0};
    bool copy_map = false;
    struct domain *d;
    long rc;

    if (op->op == XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN) {
        /* Xen's rcu_lock_remote_domain_by_id(): not the caller itself. */
        d = op->domid < DOMID_FIRST_RESERVED ? get_domain_by_id(op->domid)
                                             : NULL;
        if (!d)
            return -ESRCH;
        rc = d == cv->domain ? -EPERM : cpupool_move_domain(d, op->cpupool_id);
        put_domain(d);
        return rc;
    }
    pthread_mutex_lock(&pool_lock);
    rc = pool_sysctl(op, map, &copy_map);
    pthread_mutex_unlock(&pool_lock);
    if (!rc && copy_map)
        rc = bitmap_to_guest(cv, &op->cpumap, map);
    return rc;
}

int sched_adjust(struct domain *d, struct xen_domctl_scheduler_op *op)
{
    struct sched_dom *sd;
    int rc = -EINVAL;

    pthread_mutex_lock(&sched_lock);
    sd = sched_find_sdom(d);
    if (!sd || op->sched_id != sd->pool->sched->sched_id)
        goto out;
    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_putinfo:
    case XEN_DOMCTL_SCHEDOP_getinfo:
    case XEN_DOMCTL_SCHEDOP_putvcpuinfo:
    case XEN_DOMCTL_SCHEDOP_getvcpuinfo:
        rc = sd->pool->sched->adjust
                 ? sd->pool->sched->adjust(sd->pool->sched_priv, sd, op)
                 : 0;
        break;
    }
out:
    pthread_mutex_unlock(&sched_lock);
    return rc;
}

int sched_adjust_global(struct xen_sysctl_scheduler_op *op)
{
    struct cpupool *c;
    int rc = -ESRCH;

    pthread_mutex_lock(&sched_lock);
    c = find_pool(op->cpupool_id);
    if (c)
        rc = op->sched_id == c->sched->sched_id && c->sched->adjust_global
                 ? c->sched->adjust_global(c->sched_priv, op)
                 : -EINVAL;
    pthread_mutex_unlock(&sched_lock);
    return rc;
}
