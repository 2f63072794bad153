/*
 * The scheduler interface. A policy is an ops table (credit2, credit,
 * null); every cpupool runs one instance of a policy over its pCPUs.
 * The core (common/sched/core.c) owns locking, pCPU threads, vCPU state
 * and memory, and calls the policy with the scheduler lock held.
 *
 * A vCPU is "runnable" when pause_flags == 0, pause counts are zero and
 * its domain is active. The core inserts a vCPU once at creation (or when
 * its domain moves to another pool), then calls wake() when it becomes
 * runnable and sleep() when it stops being runnable. do_schedule() picks
 * the next vCPU for a pCPU; context_saved() hands a vCPU back once it
 * has left its pCPU, to be queued again if still runnable.
 */
#ifndef XEN_SCHED_IF_H
#define XEN_SCHED_IF_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/sched.h>

struct xen_domctl_scheduler_op;
struct xen_sysctl_scheduler_op;
struct xen_sysctl_cpupool_op;

/* Xen's CPUPOOLID_NONE: a domain in no pool. */
#define CPUPOOLID_NONE (~0U)

/* pCPU masks: NR_CPUS bits, as struct vcpu's affinity masks. */
#define CPUMASK_WORDS (NR_CPUS / 64)
static inline bool mask_test(const uint64_t *m, unsigned int cpu)
{
    return m[cpu / 64] & (1ULL << (cpu % 64));
}
static inline void mask_set(uint64_t *m, unsigned int cpu)
{
    m[cpu / 64] |= 1ULL << (cpu % 64);
}
static inline void mask_clear(uint64_t *m, unsigned int cpu)
{
    m[cpu / 64] &= ~(1ULL << (cpu % 64));
}

struct cpupool {
    unsigned int cpupool_id;
    const struct scheduler *sched;
    void *sched_priv;
    uint64_t cpu_valid[CPUMASK_WORDS];
    unsigned int n_dom;
    struct sched_dom *doms;
    struct cpupool *next; /* in id order */
};

/* A domain as the scheduler sees it. */
struct sched_dom {
    struct domain *domain;
    struct cpupool *pool;
    void *priv; /* the policy's, dom_size bytes */
    unsigned int nr_units;
    struct sched_dom *next; /* in pool->doms */
};

/* A vCPU as the scheduler sees it (vcpu->sched_priv). */
struct sched_unit {
    struct vcpu *vcpu;
    struct sched_dom *sdom;
    void *priv;     /* the policy's, unit_size bytes */
    uint64_t start; /* when it last started running */
};

struct sched_decision {
    struct vcpu *next; /* NULL: idle */
    /*
     * How long next may run before we preempt it; for idle, when to look
     * again (0: only when tickled).
     */
    uint64_t slice_ns;
};

struct scheduler {
    const char *name;      /* "SMP Credit Scheduler rev2" */
    const char *opt_name;  /* value of sched= */
    unsigned int sched_id; /* XEN_SCHEDULER_* */
    /* Bytes of policy data the core allocates per pool, domain, vCPU. */
    size_t priv_size, dom_size, unit_size;

    /* None of these may fail: the core allocated the memory. */
    void (*init)(void *priv, struct cpupool *c);
    void (*init_domain)(void *priv, struct sched_dom *sd);
    void (*insert_vcpu)(void *priv, struct vcpu *v);
    void (*remove_vcpu)(void *priv, struct vcpu *v);
    /* cpu joined or is leaving the pool (already out of cpu_valid); optional.
     */
    void (*add_pcpu)(void *priv, unsigned int cpu);
    void (*remove_pcpu)(void *priv, unsigned int cpu);
    /* v stopped being runnable (blocked, paused, down); optional. */
    void (*sleep)(void *priv, struct vcpu *v);
    /* v became runnable. */
    void (*wake)(void *priv, struct vcpu *v);
    /* v's hard or soft affinity changed (optional). */
    void (*affinity)(void *priv, struct vcpu *v);
    /*
     * v left pCPU cpu after running since its unit's start; yielded if it
     * asked to (SCHEDOP_yield). v->sched_runnable says whether it wants
     * to run again.
     */
    void (*context_saved)(void *priv, unsigned int cpu, struct vcpu *v,
                          bool yielded, uint64_t now);
    /* Pick for cpu; prev (may be NULL) ran there until just now. */
    struct sched_decision (*do_schedule)(void *priv, unsigned int cpu,
                                         struct vcpu *prev, uint64_t now);
    /* XEN_DOMCTL_scheduler_op / XEN_SYSCTL_scheduler_op (optional). */
    int (*adjust)(void *priv, struct sched_dom *sd,
                  struct xen_domctl_scheduler_op *op);
    int (*adjust_global)(void *priv, struct xen_sysctl_scheduler_op *op);
    void (*dump)(void *priv);
};

#define REGISTER_SCHEDULER(_ops)                                               \
    static const struct scheduler *__sched_##_ops                              \
        __attribute__((used, section("xen_schedulers"), aligned(8))) = &(_ops)

/* sched_ratelimit_us=: shared by credit and credit2, as in Xen. */
extern unsigned int sched_ratelimit_us;

/* ---- For the policies (scheduler lock held) ---- */

/* Make cpu pick again soon: wake it if idle, else preempt what it runs. */
void sched_tickle(unsigned int cpu);
/* Whether cpu has nothing to run and nobody has tickled it yet. */
bool sched_cpu_idle(unsigned int cpu);
/* The vCPU running on cpu, or NULL. */
struct vcpu *sched_cpu_curr(unsigned int cpu);
/* Whether v may run on cpu: in its pool and its hard affinity. */
bool sched_cpu_allowed(const struct vcpu *v, unsigned int cpu);
/* Whether cpu is in v's soft affinity. */
bool sched_cpu_soft(const struct vcpu *v, unsigned int cpu);
static inline void *unit_priv(const struct vcpu *v)
{
    return v->sched_priv->priv;
}
static inline void *dom_priv(const struct vcpu *v)
{
    return v->sched_priv->sdom->priv;
}

/* ---- For the rest of the hypervisor ---- */

/* Pool-0 with sched= (NULL: the option) over nr_pcpus pCPU threads. */
int scheduler_init(const char *opt_name, unsigned int nr_pcpus);
/* Start the pCPU worker threads. */
int scheduler_start(void);
/* The scheduler of Pool-0 (XEN_SYSCTL_sched_id). */
const struct scheduler *scheduler_current(void);
/* pCPU worker threads: the "physical CPUs" domains run on (ids 0..n-1). */
unsigned int sched_nr_pcpus(void);
/* The pCPU thread running v; only meaningful while v->is_running. */
pthread_t sched_vcpu_thread(const struct vcpu *v);

/* A new domain's vCPUs join Pool-0; -ENOMEM. */
int sched_insert_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);
/* Re-evaluate whether v is runnable and tell the policy. */
void sched_vcpu_update(struct vcpu *v);
/* Set both affinity masks (CPUMASK_WORDS each) and act on them. */
void sched_set_affinity(struct vcpu *v, const uint64_t *hard,
                        const uint64_t *soft);
/* The pCPUs of d's pool; the pool id (CPUPOOLID_NONE if none). */
unsigned int sched_domain_cpus(struct domain *d, uint64_t *mask);

/* cpupool.c: pools by id; moves; the hypercalls. */
/* Whether a new domain may be created in pool id: 0, -ESRCH, -ENODEV. */
int cpupool_check_add(unsigned int id);
int cpupool_move_domain(struct domain *d, unsigned int id);
int cpupool_do_sysctl(struct vcpu *cv, struct xen_sysctl_cpupool_op *op);
int sched_adjust(struct domain *d, struct xen_domctl_scheduler_op *op);
int sched_adjust_global(struct xen_sysctl_scheduler_op *op);

/* domctl.c: a pCPU mask out to a caller's xenctl_bitmap, as Xen does. */
struct xenctl_bitmap;
long bitmap_to_guest(struct vcpu *cv, const struct xenctl_bitmap *x,
                     const uint64_t *map);

#endif
