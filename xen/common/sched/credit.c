/*
 * credit, the classic scheduler. Every accounting period (the time
 * slice, sched_credit_tslice_ms) the pool's pCPU time is handed out as
 * credit to the domains with active vCPUs (runnable, or run since the
 * last accounting: Xen's active list), in proportion to weight and
 * limited by cap; running spends it. A vCPU with credit is UNDER, one
 * without is OVER; UNDER runs first. A vCPU waking from sleep with
 * credit is BOOSTed ahead of both and preempts a lower-priority runner,
 * which is what keeps I/O-bound vCPUs responsive. A capped domain out of
 * credit is parked until the next period.
 *
 * Unlike Xen's per-pCPU runqueues with work stealing, one priority-
 * ordered queue per pool feeds its pCPUs: with a few pCPUs that is the
 * same schedule without the balancing.
 */
#include <public/domctl.h>
#include <public/sysctl.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

#define CSCHED_DEFAULT_WEIGHT 256
#define CSCHED_PRI_TS_BOOST 0
#define CSCHED_PRI_TS_UNDER -1
#define CSCHED_PRI_TS_OVER -2
/* Shortest slice worth switching for. */
#define CSCHED_MIN_SLICE MICROSECS(500)

static unsigned int opt_tslice_ms = 30;
integer_param(sched_credit_tslice_ms, opt_tslice_ms,
              "credit: time slice and accounting period (ms, 1-1000)");

struct cs_dom {
    uint16_t weight, cap;
};

struct cs_unit {
    struct vcpu *vcpu;
    struct cs_dom *dom;
    int64_t credit; /* ns */
    int pri;
    bool queued, yielded;
    bool extended; /* running on a ratelimit extension */
    bool ran;      /* since the last accounting */
    struct cs_unit *next;
};

struct cs_priv {
    struct cpupool *pool;
    unsigned int tslice_ms, ratelimit_us;
    /* Kept for the interface: one queue has no cache-hot pCPU to keep. */
    unsigned int migr_delay_us;
    uint64_t next_acct;
    struct cs_unit *queue; /* by priority, FIFO within one */
};

static void cs_init(void *priv, struct cpupool *c)
{
    struct cs_priv *p = priv;

    p->pool = c;
    p->tslice_ms = MAX(1U, MIN(opt_tslice_ms, XEN_SYSCTL_CSCHED_TSLICE_MAX));
    p->ratelimit_us = MIN(sched_ratelimit_us, p->tslice_ms * 1000);
}

static void cs_init_domain(void *priv, struct sched_dom *sd)
{
    struct cs_dom *dom = sd->priv;

    (void)priv;
    dom->weight = CSCHED_DEFAULT_WEIGHT;
}

static void dequeue(struct cs_priv *p, struct cs_unit *u)
{
    struct cs_unit **pp;

    if (!u->queued)
        return;
    for (pp = &p->queue; *pp != u; pp = &(*pp)->next)
        ;
    *pp = u->next;
    u->queued = false;
}

/*
 * By priority, and within one by credit: of two vCPUs over their share
 * the one less over goes first, which keeps long-run shares exact.
 * Behind its equals, and a yielder behind all of its priority, as in Xen.
 */
static void enqueue(struct cs_priv *p, struct cs_unit *u)
{
    struct cs_unit **pp;

    if (u->queued)
        return;
    for (pp = &p->queue; *pp && ((*pp)->pri > u->pri ||
                                 ((*pp)->pri == u->pri &&
                                  (u->yielded || (*pp)->credit >= u->credit)));
         pp = &(*pp)->next)
        ;
    u->next = *pp;
    *pp = u;
    u->queued = true;
}

static bool parked(const struct cs_unit *u)
{
    return u->dom->cap && u->credit <= 0;
}

/*
 * Whether v earns credit at the accounting: a vCPU that sleeps most of
 * the time is rarely runnable just then, yet it uses the pCPU and needs
 * its share to stay UNDER and be boosted when it wakes.
 */
static bool active(const struct vcpu *v)
{
    return v->sched_priv &&
           (v->sched_runnable || ((struct cs_unit *)unit_priv(v))->ran);
}

/* Hand out one period's credit to the domains with active vCPUs. */
static void account(struct cs_priv *p, uint64_t now)
{
    uint64_t period = MILLISECS(p->tslice_ms), total_weight = 0, ncpus = 0;
    /* All the time since the last accounting, however late this one is. */
    uint64_t elapsed = p->next_acct ? now - (p->next_acct - period) : period;

    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++)
        ncpus += mask_test(p->pool->cpu_valid, cpu);
    for (struct sched_dom *sd = p->pool->doms; sd; sd = sd->next) {
        struct vcpu *v;

        for_each_vcpu(sd->domain, v)
        {
            if (active(v))
                total_weight += ((struct cs_dom *)sd->priv)->weight;
        }
    }
    for (struct sched_dom *sd = p->pool->doms; sd && total_weight;
         sd = sd->next) {
        struct cs_dom *dom = sd->priv;
        unsigned int nr_active = 0;
        uint64_t share;
        struct vcpu *v;

        for_each_vcpu(sd->domain, v)
        {
            nr_active += active(v);
        }
        if (!nr_active)
            continue;
        share = elapsed * ncpus * dom->weight * nr_active / total_weight;
        if (dom->cap)
            share = MIN(share, elapsed * dom->cap / 100);
        for_each_vcpu(sd->domain, v)
        {
            struct cs_unit *u;

            if (!active(v))
                continue;
            u = unit_priv(v);
            u->ran = false;
            /* No hoarding beyond a period; debt is paid back in full. */
            u->credit =
                MIN(u->credit + (int64_t)(share / nr_active), (int64_t)period);
            if (u->pri != CSCHED_PRI_TS_BOOST || !u->queued) {
                u->pri =
                    u->credit > 0 ? CSCHED_PRI_TS_UNDER : CSCHED_PRI_TS_OVER;
                if (u->queued) {
                    dequeue(p, u);
                    enqueue(p, u);
                }
            }
        }
    }
    p->next_acct = now + period;
}

/*
 * u was queued: an idle pCPU it may use (soft affinity first), else the
 * lowest-priority runner below it.
 */
static void tickle(struct cs_priv *p, struct cs_unit *u)
{
    struct vcpu *v = u->vcpu;
    int best = -1, best_pri = u->pri;

    if (parked(u))
        return;
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++)
        if (sched_cpu_allowed(v, cpu) && sched_cpu_idle(cpu) &&
            (best < 0 || sched_cpu_soft(v, cpu)))
            best = cpu;
    if (best >= 0) {
        sched_tickle(best);
        return;
    }
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++) {
        struct vcpu *curr = sched_cpu_curr(cpu);
        struct cs_unit *cu;

        if (!curr || !sched_cpu_allowed(v, cpu) ||
            curr->sched_priv->sdom->pool != p->pool)
            continue;
        cu = unit_priv(curr);
        if (cu->pri < best_pri) {
            best = cpu;
            best_pri = cu->pri;
        }
    }
    if (best >= 0)
        sched_tickle(best);
}

static void cs_insert_vcpu(void *priv, struct vcpu *v)
{
    struct cs_unit *u = unit_priv(v);

    (void)priv;
    u->vcpu = v;
    u->dom = dom_priv(v);
    u->pri = CSCHED_PRI_TS_UNDER;
}

static void cs_remove_vcpu(void *priv, struct vcpu *v)
{
    dequeue(priv, unit_priv(v));
}

static void cs_sleep(void *priv, struct vcpu *v)
{
    dequeue(priv, unit_priv(v));
}

static void cs_wake(void *priv, struct vcpu *v)
{
    struct cs_unit *u = unit_priv(v);

    if (v->is_running || u->queued)
        return;
    /* Waking from sleep with credit left: boost. */
    if (u->pri == CSCHED_PRI_TS_UNDER)
        u->pri = CSCHED_PRI_TS_BOOST;
    enqueue(priv, u);
    tickle(priv, u);
}

static void cs_affinity(void *priv, struct vcpu *v)
{
    struct cs_unit *u = unit_priv(v);

    if (u->queued)
        tickle(priv, u);
}

static void cs_context_saved(void *priv, unsigned int cpu, struct vcpu *v,
                             bool yielded, uint64_t now)
{
    struct cs_unit *u = unit_priv(v);

    (void)cpu;
    u->yielded = yielded;
    u->ran = true;
    u->credit -= (int64_t)(now - v->sched_priv->start);
    /* A boost lasts until the vCPU is descheduled still wanting to run. */
    if (u->pri == CSCHED_PRI_TS_BOOST || u->credit <= 0)
        u->pri = u->credit > 0 ? CSCHED_PRI_TS_UNDER : CSCHED_PRI_TS_OVER;
    /* Queued behind its equals: a yielder lets them go first. */
    if (v->sched_runnable)
        enqueue(priv, u);
}

static struct sched_decision cs_do_schedule(void *priv, unsigned int cpu,
                                            struct vcpu *prev, uint64_t now)
{
    struct cs_priv *p = priv;
    struct cs_unit *u;
    uint64_t slice = MILLISECS(p->tslice_ms);
    bool any_parked = false;

    if (now >= p->next_acct)
        account(p, now);
    if (prev && prev->sched_runnable && p->ratelimit_us) {
        struct cs_unit *pu = unit_priv(prev);
        uint64_t ran = now - prev->sched_priv->start;

        if (pu->queued && !pu->yielded && !parked(pu) && !pu->extended &&
            sched_cpu_allowed(prev, cpu) && ran < MICROSECS(p->ratelimit_us)) {
            /* Once: the extension starts a new run of its own. */
            dequeue(p, pu);
            pu->extended = true;
            return (struct sched_decision){prev,
                                           MICROSECS(p->ratelimit_us) - ran};
        }
    }
    /* A yield counts for this one choice. */
    if (prev)
        ((struct cs_unit *)unit_priv(prev))->yielded = false;
    for (u = p->queue; u; u = u->next) {
        if (parked(u))
            any_parked = true;
        else if (sched_cpu_allowed(u->vcpu, cpu))
            break;
    }
    if (!u)
        return (struct sched_decision){NULL,
                                       any_parked ? p->next_acct - now : 0};
    /* Among equals, one that would rather be here (soft affinity). */
    for (struct cs_unit *s = u;
         s && s->pri == u->pri && !sched_cpu_soft(u->vcpu, cpu); s = s->next)
        if (!parked(s) && sched_cpu_allowed(s->vcpu, cpu) &&
            sched_cpu_soft(s->vcpu, cpu))
            u = s;
    dequeue(p, u);
    u->extended = false;
    /* With others waiting, credit decides how long (capped: must). */
    if (u->credit > 0 && (p->queue || u->dom->cap))
        slice = MAX(MIN(slice, (uint64_t)u->credit), CSCHED_MIN_SLICE);
    /* No slice runs past the next accounting. */
    slice = MIN(slice, MAX(p->next_acct - now, CSCHED_MIN_SLICE));
    return (struct sched_decision){u->vcpu, slice};
}

static int cs_adjust(void *priv, struct sched_dom *sd,
                     struct xen_domctl_scheduler_op *op)
{
    struct cs_dom *dom = sd->priv;

    (void)priv;
    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        op->u.credit.weight = dom->weight;
        op->u.credit.cap = dom->cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        /* Weight 0 and cap ~0 leave them as they are. */
        if (op->u.credit.weight)
            dom->weight = op->u.credit.weight;
        if (op->u.credit.cap != (uint16_t)~0U)
            dom->cap = op->u.credit.cap;
        return 0;
    default:
        return -EINVAL;
    }
}

static int cs_adjust_global(void *priv, struct xen_sysctl_scheduler_op *op)
{
    struct cs_priv *p = priv;
    struct xen_sysctl_credit_schedule *s = &op->u.sched_credit;

    switch (op->cmd) {
    case XEN_SYSCTL_SCHEDOP_putinfo:
        if (s->tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX ||
            s->tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN ||
            (s->ratelimit_us &&
             (s->ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
              s->ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN)) ||
            MICROSECS(s->ratelimit_us) > MILLISECS(s->tslice_ms) ||
            s->vcpu_migr_delay_us > XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US)
            return -EINVAL;
        p->tslice_ms = s->tslice_ms;
        p->ratelimit_us = s->ratelimit_us;
        p->migr_delay_us = s->vcpu_migr_delay_us;
        return 0;
    case XEN_SYSCTL_SCHEDOP_getinfo:
        s->tslice_ms = p->tslice_ms;
        s->ratelimit_us = p->ratelimit_us;
        s->vcpu_migr_delay_us = p->migr_delay_us;
        return 0;
    default:
        return -EINVAL;
    }
}

static const struct scheduler sched_credit_def = {
    .name = "SMP Credit Scheduler",
    .opt_name = "credit",
    .sched_id = XEN_SCHEDULER_CREDIT,
    .priv_size = sizeof(struct cs_priv),
    .dom_size = sizeof(struct cs_dom),
    .unit_size = sizeof(struct cs_unit),
    .init = cs_init,
    .init_domain = cs_init_domain,
    .insert_vcpu = cs_insert_vcpu,
    .remove_vcpu = cs_remove_vcpu,
    .sleep = cs_sleep,
    .wake = cs_wake,
    .affinity = cs_affinity,
    .context_saved = cs_context_saved,
    .do_schedule = cs_do_schedule,
    .adjust = cs_adjust,
    .adjust_global = cs_adjust_global,
};
REGISTER_SCHEDULER(sched_credit_def);
