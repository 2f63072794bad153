/*
 * The scheduler interface. A policy is an ops table chosen with sched=;
 * the core (common/sched/core.c) owns locking, pCPU threads and vCPU
 * state, and calls the policy with the scheduler lock held.
 *
 * A vCPU is "runnable" when pause_flags == 0, pause counts are zero and
 * its domain is active. The core inserts a vCPU once at creation, then
 * calls wake() when it becomes runnable and sleep() when it stops being
 * runnable; do_schedule() picks the next vCPU for a pCPU among the
 * runnable ones that are not running elsewhere.
 */
#ifndef XEN_SCHED_IF_H
#define XEN_SCHED_IF_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct domain;

struct sched_decision {
    struct vcpu *next;          /* NULL: idle */
    uint64_t slice_ns;          /* how long it may run before we preempt */
};

struct scheduler {
    const char *name;           /* "Round-robin Scheduler" */
    const char *opt_name;       /* value of sched= */
    unsigned int sched_id;      /* XEN_SCHEDULER_* */

    int (*init)(void **priv, unsigned int nr_pcpus);
    void (*deinit)(void *priv);
    int (*insert_vcpu)(void *priv, struct vcpu *v);
    void (*remove_vcpu)(void *priv, struct vcpu *v);
    /* v stopped being runnable (blocked, paused, down). */
    void (*sleep)(void *priv, struct vcpu *v);
    /* v became runnable. */
    void (*wake)(void *priv, struct vcpu *v);
    /*
     * prev (may be NULL) just left pCPU cpu and is still runnable iff
     * prev_runnable; pick what runs next on cpu.
     */
    struct sched_decision (*do_schedule)(void *priv, unsigned int cpu,
                                         struct vcpu *prev, bool prev_runnable,
                                         uint64_t now);
    int (*adjust)(void *priv, struct domain *d, void *op);
    void (*dump)(void *priv);
};

#define REGISTER_SCHEDULER(_ops)                                               \
    static const struct scheduler *__sched_##_ops                              \
        __attribute__((used, section("xen_schedulers"), aligned(8))) = &(_ops)

int scheduler_init(const char *opt_name, unsigned int nr_pcpus);
/* Start the pCPU worker threads. */
int scheduler_start(void);
const struct scheduler *scheduler_current(void);
/* pCPU worker threads: the "physical CPUs" domains run on (ids 0..n-1). */
unsigned int sched_nr_pcpus(void);
/* The pCPU thread running v; only meaningful while v->is_running. */
#include <pthread.h>
pthread_t sched_vcpu_thread(const struct vcpu *v);

int sched_insert_vcpu(struct vcpu *v);
void sched_remove_vcpu(struct vcpu *v);
/* Re-evaluate whether v is runnable and tell the policy. */
void sched_vcpu_update(struct vcpu *v);

#endif
