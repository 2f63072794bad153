/*
 * Round-robin: one global FIFO of runnable vCPUs, fixed time slice. The
 * simplest policy behind the scheduler ops table; credit2 replaces it as
 * the default.
 */
#include <stdlib.h>

#include <xen/lib.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

#define RR_SLICE_NS MILLISECS(10)

struct sched_unit {
    struct vcpu *vcpu;
    struct sched_unit *next;
    bool queued;
};

struct rr_priv {
    struct sched_unit *head, *tail;
};

static int rr_init(void **priv, unsigned int nr_pcpus)
{
    (void)nr_pcpus;
    *priv = calloc(1, sizeof(struct rr_priv));
    return *priv ? 0 : -ENOMEM;
}

static void rr_deinit(void *priv)
{
    free(priv);
}

static void enqueue(struct rr_priv *rr, struct sched_unit *u)
{
    if (u->queued)
        return;
    u->queued = true;
    u->next = NULL;
    if (rr->tail)
        rr->tail->next = u;
    else
        rr->head = u;
    rr->tail = u;
}

static void dequeue(struct rr_priv *rr, struct sched_unit *u)
{
    struct sched_unit **pp, *prev = NULL;

    if (!u->queued)
        return;
    for (pp = &rr->head; *pp != u; prev = *pp, pp = &(*pp)->next)
        ;
    *pp = u->next;
    if (rr->tail == u)
        rr->tail = prev;
    u->queued = false;
}

static int rr_insert_vcpu(void *priv, struct vcpu *v)
{
    (void)priv;
    v->sched_priv = calloc(1, sizeof(struct sched_unit));
    if (!v->sched_priv)
        return -ENOMEM;
    v->sched_priv->vcpu = v;
    return 0;
}

static void rr_remove_vcpu(void *priv, struct vcpu *v)
{
    dequeue(priv, v->sched_priv);
    free(v->sched_priv);
    v->sched_priv = NULL;
}

static void rr_sleep(void *priv, struct vcpu *v)
{
    dequeue(priv, v->sched_priv);
}

static void rr_wake(void *priv, struct vcpu *v)
{
    if (!v->is_running)
        enqueue(priv, v->sched_priv);
}

static struct sched_decision rr_do_schedule(void *priv, unsigned int cpu,
                                            struct vcpu *prev,
                                            bool prev_runnable, uint64_t now)
{
    struct rr_priv *rr = priv;
    struct sched_unit *u = rr->head;

    (void)cpu;
    (void)now;
    if (prev && prev_runnable)
        enqueue(rr, prev->sched_priv);
    u = rr->head;
    if (u)
        dequeue(rr, u);
    return (struct sched_decision){u ? u->vcpu : NULL, RR_SLICE_NS};
}

static const struct scheduler sched_rr_def = {
    .name = "Round-robin Scheduler",
    .opt_name = "rr",
    .sched_id = 0, /* not one of Xen's XEN_SCHEDULER_* ids */
    .init = rr_init,
    .deinit = rr_deinit,
    .insert_vcpu = rr_insert_vcpu,
    .remove_vcpu = rr_remove_vcpu,
    .sleep = rr_sleep,
    .wake = rr_wake,
    .do_schedule = rr_do_schedule,
};
REGISTER_SCHEDULER(sched_rr_def);
