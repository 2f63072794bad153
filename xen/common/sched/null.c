/*
 * null: static partitioning. Each vCPU is given a pCPU of its own (in
 * its hard affinity, soft affinity first) and keeps it; nothing is
 * time-shared. With more vCPUs than free pCPUs the extra vCPUs are not
 * refused but wait, unassigned and never running, until a pCPU frees up
 * (a vCPU goes away, a pCPU joins the pool, affinity changes), as in
 * Xen. Domain 0's vCPUs are the host's own threads: they never run here
 * and take no pCPU.
 */
#include <public/domctl.h>
#include <xen/lib.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

/* A vCPU owns its pCPU: look again only this often without a reason. */
#define NULL_SLICE MILLISECS(1000)

struct null_unit {
    struct vcpu *vcpu;
    int cpu; /* assigned pCPU, -1: none */
    bool waiting;
    struct null_unit *next; /* in the wait queue */
};

struct null_priv {
    struct cpupool *pool;
    struct null_unit *assigned[NR_CPUS];
    struct null_unit *waitq; /* FIFO */
};

static void null_init(void *priv, struct cpupool *c)
{
    struct null_priv *p = priv;

    p->pool = c;
}

static void assign(struct null_priv *p, struct null_unit *u, unsigned int cpu)
{
    u->cpu = cpu;
    p->assigned[cpu] = u;
    sched_tickle(cpu);
}

static void wait_remove(struct null_priv *p, struct null_unit *u)
{
    struct null_unit **pp;

    if (!u->waiting)
        return;
    for (pp = &p->waitq; *pp != u; pp = &(*pp)->next)
        ;
    *pp = u->next;
    u->waiting = false;
}

static void wait_add(struct null_priv *p, struct null_unit *u)
{
    struct null_unit **pp;

    for (pp = &p->waitq; *pp; pp = &(*pp)->next)
        ;
    u->next = NULL;
    *pp = u;
    u->waiting = true;
    printk(LOG_WARNING,
           "d%uv%u: no free pCPU in cpupool %u, waiting "
           "(null scheduler)\n",
           u->vcpu->domain->domain_id, u->vcpu->vcpu_id, p->pool->cpupool_id);
}

/* A free pCPU u may use: where it ran last, then soft affinity, then any. */
static int free_cpu(const struct null_priv *p, const struct null_unit *u)
{
    const struct vcpu *v = u->vcpu;
    int any = -1;

    if (v->processor >= 0 && sched_cpu_allowed(v, v->processor) &&
        !p->assigned[v->processor])
        return v->processor;
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++) {
        if (!sched_cpu_allowed(v, cpu) || p->assigned[cpu])
            continue;
        if (sched_cpu_soft(v, cpu))
            return cpu;
        if (any < 0)
            any = cpu;
    }
    return any;
}

static void place(struct null_priv *p, struct null_unit *u)
{
    int cpu = free_cpu(p, u);

    if (cpu >= 0)
        assign(p, u, cpu);
    else
        wait_add(p, u);
}

/* cpu is free: give it to the first waiting vCPU that may use it. */
static void fill(struct null_priv *p, unsigned int cpu)
{
    for (struct null_unit *u = p->waitq; u; u = u->next)
        if (sched_cpu_allowed(u->vcpu, cpu)) {
            wait_remove(p, u);
            assign(p, u, cpu);
            return;
        }
}

static void unassign(struct null_priv *p, struct null_unit *u)
{
    unsigned int cpu = u->cpu;

    p->assigned[cpu] = NULL;
    u->cpu = -1;
    /* Whatever ran there must go, and the pCPU looks for a new owner. */
    sched_tickle(cpu);
    fill(p, cpu);
}

static void null_insert_vcpu(void *priv, struct vcpu *v)
{
    struct null_unit *u = unit_priv(v);

    u->vcpu = v;
    u->cpu = -1;
    if (!v->domain->is_host)
        place(priv, u);
}

static void null_remove_vcpu(void *priv, struct vcpu *v)
{
    struct null_unit *u = unit_priv(v);

    wait_remove(priv, u);
    if (u->cpu >= 0)
        unassign(priv, u);
}

static void null_wake(void *priv, struct vcpu *v)
{
    struct null_unit *u = unit_priv(v);

    (void)priv;
    if (u->cpu >= 0)
        sched_tickle(u->cpu);
}

static void null_affinity(void *priv, struct vcpu *v)
{
    struct null_unit *u = unit_priv(v);

    if (v->domain->is_host)
        return;
    if (u->cpu >= 0 && sched_cpu_allowed(v, u->cpu))
        return;
    if (u->cpu >= 0)
        unassign(priv, u);
    wait_remove(priv, u);
    place(priv, u);
}

static void null_add_pcpu(void *priv, unsigned int cpu)
{
    fill(priv, cpu);
}

static void null_remove_pcpu(void *priv, unsigned int cpu)
{
    struct null_priv *p = priv;
    struct null_unit *u = p->assigned[cpu];

    if (!u)
        return;
    p->assigned[cpu] = NULL;
    u->cpu = -1;
    sched_tickle(cpu);
    place(p, u);
}

static void null_context_saved(void *priv, unsigned int cpu, struct vcpu *v,
                               bool yielded, uint64_t now)
{
    struct null_unit *u = unit_priv(v);

    (void)priv;
    (void)yielded;
    (void)now;
    /* Reassigned while it ran here: its new pCPU may take it now. */
    if (u->cpu >= 0 && (unsigned int)u->cpu != cpu && v->sched_runnable)
        sched_tickle(u->cpu);
}

static struct sched_decision null_do_schedule(void *priv, unsigned int cpu,
                                              struct vcpu *prev, uint64_t now)
{
    struct null_priv *p = priv;
    struct null_unit *u = p->assigned[cpu];
    struct vcpu *v = u ? u->vcpu : NULL;

    (void)prev;
    (void)now;
    /* Still leaving its old pCPU: context_saved tickles us. */
    if (!v || !v->sched_runnable || (v->is_running && v->processor != (int)cpu))
        return (struct sched_decision){NULL, 0};
    return (struct sched_decision){v, NULL_SLICE};
}

static const struct scheduler sched_null_def = {
    .name = "null Scheduler",
    .opt_name = "null",
    .sched_id = XEN_SCHEDULER_NULL,
    .priv_size = sizeof(struct null_priv),
    .unit_size = sizeof(struct null_unit),
    .init = null_init,
    .insert_vcpu = null_insert_vcpu,
    .remove_vcpu = null_remove_vcpu,
    .add_pcpu = null_add_pcpu,
    .remove_pcpu = null_remove_pcpu,
    .wake = null_wake,
    .affinity = null_affinity,
    .context_saved = null_context_saved,
    .do_schedule = null_do_schedule,
};
REGISTER_SCHEDULER(sched_null_def);
