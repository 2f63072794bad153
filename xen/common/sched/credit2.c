/*
 * credit2, the default scheduler. Each runqueue (a set of pCPUs, chosen
 * with credit2_runqueue=) orders its vCPUs by credit; running burns
 * credit at a rate inversely proportional to the domain's weight, and
 * when the best candidate has none left every vCPU of the runqueue gets
 * CSCHED2_CREDIT_INIT more (a credit reset). A waking vCPU preempts the
 * runner with the least credit, within sched_ratelimit_us. Caps are a
 * per-domain budget refilled every CSCHED2_BDGT_REPL_PERIOD; a domain
 * out of budget is parked until the refill. Load is balanced when a vCPU
 * is queued (the least loaded runqueue it may use) and when a pCPU finds
 * nothing it may run locally (it pulls from another runqueue).
 */
#include <string.h>

#include <public/domctl.h>
#include <public/sysctl.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

#define CSCHED2_DEFAULT_WEIGHT 256
#define CSCHED2_CREDIT_INIT MILLISECS(10)
#define CSCHED2_CREDIT_RESET 0
#define CSCHED2_MIN_TIMER MICROSECS(500)
#define CSCHED2_MAX_TIMER CSCHED2_CREDIT_INIT
#define CSCHED2_BDGT_REPL_PERIOD MILLISECS(10)
/* The least budget worth running a capped vCPU for. */
#define CSCHED2_MIN_BUDGET MICROSECS(50)

static unsigned int opt_migrate_resist = 500;
integer_param(sched_credit2_migrate_resist, opt_migrate_resist,
              "credit2: credit (us) a waking vCPU needs over a running one "
              "on another runqueue to take its place");
static char opt_runqueue[8] = "socket";
string_param(credit2_runqueue, opt_runqueue,
             "credit2: one runqueue per cpu|core|socket|node, or all");

struct c2_dom {
    uint16_t weight, cap;
    int64_t budget; /* ns left this period (capped only) */
    uint64_t next_repl;
    unsigned int nr_vcpus;
};

struct c2_unit {
    struct vcpu *vcpu;
    struct c2_dom *dom;
    int64_t credit; /* ns at max weight */
    int64_t budget; /* reserved from the domain while running */
    unsigned int rq;
    bool queued, yielded;
    bool extended;        /* running on a ratelimit extension */
    struct c2_unit *next; /* in its runqueue */
};

struct c2_rq {
    uint64_t cpus[CPUMASK_WORDS];
    unsigned int nr_cpus;
    struct c2_unit *queue; /* runnable, not running */
};

struct c2_priv {
    struct cpupool *pool;
    unsigned int ratelimit_us;
    bool per_cpu_rq;
    struct c2_rq rq[NR_CPUS];
};

/*
 * pCPU threads carry no topology (one thread per core, one socket, one
 * node): cpu and core give a runqueue per pCPU, the rest one per pool.
 */
static unsigned int rq_of(const struct c2_priv *p, unsigned int cpu)
{
    return p->per_cpu_rq ? cpu : 0;
}

static void c2_init(void *priv, struct cpupool *c)
{
    struct c2_priv *p = priv;

    p->pool = c;
    p->ratelimit_us = sched_ratelimit_us;
    p->per_cpu_rq =
        !strcmp(opt_runqueue, "cpu") || !strcmp(opt_runqueue, "core");
}

static void c2_init_domain(void *priv, struct sched_dom *sd)
{
    struct c2_dom *dom = sd->priv;

    (void)priv;
    dom->weight = CSCHED2_DEFAULT_WEIGHT;
}

static unsigned int max_weight(const struct c2_priv *p)
{
    unsigned int m = 1;

    for (struct sched_dom *sd = p->pool->doms; sd; sd = sd->next)
        m = MAX(m, ((struct c2_dom *)sd->priv)->weight);
    return m;
}

/* Credit after running for ran ns. */
static int64_t burnt(const struct c2_priv *p, const struct c2_unit *u,
                     uint64_t ran)
{
    return u->credit - (int64_t)(ran * max_weight(p) / u->dom->weight);
}

static bool parked(const struct c2_unit *u)
{
    return u->dom->cap && u->dom->budget < (int64_t)CSCHED2_MIN_BUDGET;
}

static bool rq_allowed(const struct c2_priv *p, const struct vcpu *v,
                       unsigned int rq, bool soft)
{
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++)
        if (mask_test(p->rq[rq].cpus, cpu) && sched_cpu_allowed(v, cpu) &&
            (!soft || sched_cpu_soft(v, cpu)))
            return true;
    return false;
}

/* Runnable vCPUs of a runqueue: queued plus running on its pCPUs. */
static unsigned int rq_load(const struct c2_priv *p, unsigned int rq)
{
    unsigned int n = 0;

    for (struct c2_unit *u = p->rq[rq].queue; u; u = u->next)
        n++;
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++)
        n += mask_test(p->rq[rq].cpus, cpu) && sched_cpu_curr(cpu);
    return n;
}

/*
 * The runqueue for u: where it was unless another it may use (soft
 * affinity first) is lighter by more than one vCPU.
 */
static int choose_rq(const struct c2_priv *p, const struct c2_unit *u)
{
    int best = -1;
    unsigned int best_score = ~0U;

    for (unsigned int rq = 0; rq < sched_nr_pcpus(); rq++) {
        unsigned int score;

        if (!p->rq[rq].nr_cpus || !rq_allowed(p, u->vcpu, rq, false))
            continue;
        score = 4 * rq_load(p, rq);
        if (!rq_allowed(p, u->vcpu, rq, true))
            score += 2;
        if (rq == u->rq)
            score = score > 4 ? score - 5 : 0;
        if (score < best_score) {
            best = rq;
            best_score = score;
        }
    }
    return best;
}

static void dequeue(struct c2_priv *p, struct c2_unit *u)
{
    struct c2_unit **pp;

    if (!u->queued)
        return;
    for (pp = &p->rq[u->rq].queue; *pp != u; pp = &(*pp)->next)
        ;
    *pp = u->next;
    u->queued = false;
}

static void enqueue(struct c2_priv *p, struct c2_unit *u)
{
    struct c2_unit **pp;
    int rq = choose_rq(p, u);

    if (rq < 0 || u->queued)
        return;
    u->rq = rq;
    for (pp = &p->rq[rq].queue; *pp; pp = &(*pp)->next)
        ;
    u->next = NULL;
    *pp = u;
    u->queued = true;
}

/*
 * u was queued: find it a pCPU. An idle one it may use (its runqueue and
 * soft affinity first), else the runner with the least credit if u has
 * more (migrate_resist more if that runner is on another runqueue).
 */
static void runq_tickle(struct c2_priv *p, struct c2_unit *u, uint64_t now)
{
    struct vcpu *v = u->vcpu;
    int best = -1, best_score = -1;
    int64_t lowest = INT64_MAX;

    if (!u->queued || parked(u))
        return;
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++) {
        int score;

        if (!sched_cpu_allowed(v, cpu) || !sched_cpu_idle(cpu))
            continue;
        score = 2 * (rq_of(p, cpu) == u->rq) + sched_cpu_soft(v, cpu);
        if (score > best_score) {
            best = cpu;
            best_score = score;
        }
    }
    if (best >= 0) {
        sched_tickle(best);
        return;
    }
    for (unsigned int cpu = 0; cpu < sched_nr_pcpus(); cpu++) {
        struct vcpu *curr = sched_cpu_curr(cpu);
        struct c2_unit *cu;
        int64_t c;

        if (!curr || !sched_cpu_allowed(v, cpu) ||
            curr->sched_priv->sdom->pool != p->pool)
            continue;
        cu = unit_priv(curr);
        c = burnt(p, cu, now - curr->sched_priv->start);
        if (rq_of(p, cpu) != u->rq)
            c += MICROSECS(opt_migrate_resist);
        if (c < lowest) {
            lowest = c;
            best = cpu;
        }
    }
    if (best >= 0 && lowest < u->credit)
        sched_tickle(best);
}

static void c2_insert_vcpu(void *priv, struct vcpu *v)
{
    struct c2_unit *u = unit_priv(v);

    (void)priv;
    u->vcpu = v;
    u->dom = dom_priv(v);
    u->credit = CSCHED2_CREDIT_INIT;
    u->dom->nr_vcpus++;
}

static void c2_remove_vcpu(void *priv, struct vcpu *v)
{
    struct c2_unit *u = unit_priv(v);

    dequeue(priv, u);
    u->dom->nr_vcpus--;
}

static void c2_sleep(void *priv, struct vcpu *v)
{
    dequeue(priv, unit_priv(v));
}

static void c2_wake(void *priv, struct vcpu *v)
{
    struct c2_unit *u = unit_priv(v);

    if (v->is_running || u->queued)
        return;
    enqueue(priv, u);
    runq_tickle(priv, u, NOW());
}

static void c2_affinity(void *priv, struct vcpu *v)
{
    struct c2_unit *u = unit_priv(v);

    if (!u->queued)
        return;
    dequeue(priv, u);
    enqueue(priv, u);
    runq_tickle(priv, u, NOW());
}

static void c2_add_pcpu(void *priv, unsigned int cpu)
{
    struct c2_priv *p = priv;
    struct c2_rq *rq = &p->rq[rq_of(p, cpu)];

    mask_set(rq->cpus, cpu);
    rq->nr_cpus++;
}

static void c2_remove_pcpu(void *priv, unsigned int cpu)
{
    struct c2_priv *p = priv;
    struct c2_rq *rq = &p->rq[rq_of(p, cpu)];
    struct c2_unit *u;

    mask_clear(rq->cpus, cpu);
    rq->nr_cpus--;
    if (rq->nr_cpus)
        return;
    /* Its vCPUs go where they still may run. */
    while ((u = rq->queue)) {
        dequeue(p, u);
        enqueue(p, u);
        if (!u->queued)
            break;
        runq_tickle(p, u, NOW());
    }
}

static void c2_context_saved(void *priv, unsigned int cpu, struct vcpu *v,
                             bool yielded, uint64_t now)
{
    struct c2_priv *p = priv;
    struct c2_unit *u = unit_priv(v);
    uint64_t ran = now - v->sched_priv->start;

    u->credit = burnt(p, u, ran);
    if (u->dom->cap) {
        u->dom->budget += u->budget - (int64_t)ran;
        u->budget = 0;
    }
    u->yielded = yielded;
    if (!v->sched_runnable)
        return;
    enqueue(p, u);
    /* Moved to another runqueue: someone there should look. */
    if (u->queued && u->rq != rq_of(p, cpu))
        runq_tickle(p, u, now);
}

/* Refill the capped domains' budgets whose period ended; next refill. */
static uint64_t replenish(struct c2_priv *p, uint64_t now)
{
    uint64_t next = 0;

    for (struct sched_dom *sd = p->pool->doms; sd; sd = sd->next) {
        struct c2_dom *dom = sd->priv;
        int64_t quota = (int64_t)CSCHED2_BDGT_REPL_PERIOD * dom->cap / 100;

        if (!dom->cap)
            continue;
        if (now >= dom->next_repl) {
            /* Debt carries over, unused budget does not. */
            dom->budget = MIN(dom->budget + quota, quota);
            dom->next_repl = now + CSCHED2_BDGT_REPL_PERIOD;
        }
        if (!next || dom->next_repl < next)
            next = dom->next_repl;
    }
    return next;
}

/*
 * Every vCPU of the runqueue gets CSCHED2_CREDIT_INIT more, up to that
 * much: queued, running and blocked alike, so a vCPU that sleeps a lot
 * does not fall behind the ones that were around for the reset.
 */
static void reset_credit(struct c2_priv *p, unsigned int rq)
{
    for (struct sched_dom *sd = p->pool->doms; sd; sd = sd->next) {
        struct vcpu *v;

        for_each_vcpu(sd->domain, v)
        {
            struct c2_unit *u;

            if (!v->sched_priv)
                continue;
            u = unit_priv(v);
            if (u->rq == rq)
                u->credit = MIN(u->credit + (int64_t)CSCHED2_CREDIT_INIT,
                                (int64_t)CSCHED2_CREDIT_INIT);
        }
    }
}

/*
 * Whether u should be left for an idle pCPU in its soft affinity rather
 * than run on cpu, outside it.
 */
static bool leave_for_soft(const struct c2_unit *u, unsigned int cpu)
{
    if (sched_cpu_soft(u->vcpu, cpu))
        return false;
    for (unsigned int i = 0; i < sched_nr_pcpus(); i++)
        if (sched_cpu_soft(u->vcpu, i) && sched_cpu_allowed(u->vcpu, i) &&
            sched_cpu_idle(i))
            return true;
    return false;
}

/*
 * The credit u brings to cpu: less if it last ran elsewhere (by
 * sched_credit2_migrate_resist) and less again if cpu is outside its
 * soft affinity, so vCPUs stay where they ran and go where they prefer.
 */
static int64_t credit_on(const struct c2_unit *u, unsigned int cpu)
{
    int64_t c = u->credit, resist = (int64_t)MICROSECS(opt_migrate_resist);

    if (u->vcpu->processor != (int)cpu)
        c -= resist;
    if (!sched_cpu_soft(u->vcpu, cpu))
        c -= 2 * resist;
    return c;
}

/* The best vCPU of runqueue rq for cpu (a yielder only if alone). */
static struct c2_unit *candidate(struct c2_priv *p, unsigned int rq,
                                 unsigned int cpu)
{
    struct c2_unit *best = NULL;

    for (struct c2_unit *u = p->rq[rq].queue; u; u = u->next) {
        if (!sched_cpu_allowed(u->vcpu, cpu) || parked(u) ||
            leave_for_soft(u, cpu))
            continue;
        if (!best || (best->yielded && !u->yielded) ||
            (best->yielded == u->yielded &&
             credit_on(u, cpu) > credit_on(best, cpu)))
            best = u;
    }
    return best;
}

static struct sched_decision c2_do_schedule(void *priv, unsigned int cpu,
                                            struct vcpu *prev, uint64_t now)
{
    struct c2_priv *p = priv;
    unsigned int rq = rq_of(p, cpu);
    uint64_t next_repl = replenish(p, now);
    struct c2_unit *u = NULL, *other;
    uint64_t slice;

    /* Ratelimit: a vCPU preempted too soon keeps its pCPU. */
    if (prev && p->ratelimit_us && prev->sched_runnable) {
        struct c2_unit *pu = unit_priv(prev);
        uint64_t ran = now - prev->sched_priv->start;

        if (pu->queued && pu->rq == rq && !pu->yielded && !parked(pu) &&
            !pu->extended && sched_cpu_allowed(prev, cpu) &&
            ran < MICROSECS(p->ratelimit_us)) {
            /* Once: the extension starts a new run of its own. */
            dequeue(p, pu);
            pu->extended = true;
            return (struct sched_decision){prev,
                                           MICROSECS(p->ratelimit_us) - ran};
        }
    }
    u = candidate(p, rq, cpu);
    if (!u) {
        /* Nothing here: pull the best we may run from the busiest other. */
        unsigned int best_load = 0;

        for (unsigned int r = 0; r < sched_nr_pcpus(); r++) {
            struct c2_unit *c;

            if (r == rq || !p->rq[r].queue)
                continue;
            c = candidate(p, r, cpu);
            if (c && rq_load(p, r) > best_load) {
                u = c;
                best_load = rq_load(p, r);
            }
        }
        if (u) {
            dequeue(p, u);
            u->rq = rq;
            u->credit = MIN(u->credit, (int64_t)CSCHED2_CREDIT_INIT);
        }
    } else {
        dequeue(p, u);
    }
    /* A yield counts for this one choice, as in Xen. */
    if (prev)
        ((struct c2_unit *)unit_priv(prev))->yielded = false;
    if (!u)
        return (struct sched_decision){NULL, next_repl ? next_repl - now : 0};
    if (u->credit <= CSCHED2_CREDIT_RESET)
        reset_credit(p, rq);
    /* Run until u's credit falls to the next candidate's. */
    other = candidate(p, rq, cpu);
    slice = CSCHED2_MAX_TIMER;
    if (other && other->credit < u->credit)
        slice = (uint64_t)(u->credit - other->credit) * u->dom->weight /
                max_weight(p);
    else if (other)
        slice = CSCHED2_MIN_TIMER;
    slice = MAX(MIN(slice, CSCHED2_MAX_TIMER), CSCHED2_MIN_TIMER);
    slice = MAX(slice, MICROSECS(p->ratelimit_us));
    if (u->dom->cap) {
        u->budget = MIN((int64_t)slice, u->dom->budget);
        u->dom->budget -= u->budget;
        slice = u->budget;
    }
    u->rq = rq;
    u->extended = false;
    return (struct sched_decision){u->vcpu, slice};
}

static int c2_adjust(void *priv, struct sched_dom *sd,
                     struct xen_domctl_scheduler_op *op)
{
    struct c2_priv *p = priv;
    struct c2_dom *dom = sd->priv;

    switch (op->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        op->u.credit2.weight = dom->weight;
        op->u.credit2.cap = dom->cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        /* Up to 100% of each of its vCPUs' pCPU; 0 takes the cap off. */
        if (op->u.credit2.cap > 100 * dom->nr_vcpus)
            return -EINVAL;
        if (op->u.credit2.weight)
            dom->weight = op->u.credit2.weight;
        if (op->u.credit2.cap != dom->cap) {
            dom->cap = op->u.credit2.cap;
            dom->budget = (int64_t)CSCHED2_BDGT_REPL_PERIOD * dom->cap / 100;
            dom->next_repl = NOW() + CSCHED2_BDGT_REPL_PERIOD;
            /* Units parked by the old cap may run now. */
            for (unsigned int rq = 0; rq < sched_nr_pcpus(); rq++)
                for (struct c2_unit *u = p->rq[rq].queue; u; u = u->next)
                    if (u->dom == dom)
                        runq_tickle(p, u, NOW());
        }
        return 0;
    default:
        return -EINVAL;
    }
}

static int c2_adjust_global(void *priv, struct xen_sysctl_scheduler_op *op)
{
    struct c2_priv *p = priv;
    unsigned int r = op->u.sched_credit2.ratelimit_us;

    switch (op->cmd) {
    case XEN_SYSCTL_SCHEDOP_putinfo:
        if (r && (r > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
                  r < XEN_SYSCTL_SCHED_RATELIMIT_MIN))
            return -EINVAL;
        p->ratelimit_us = r;
        printk(LOG_INFO, "cpupool %u: credit2 ratelimit %u us\n",
               p->pool->cpupool_id, r);
        return 0;
    case XEN_SYSCTL_SCHEDOP_getinfo:
        op->u.sched_credit2.ratelimit_us = p->ratelimit_us;
        return 0;
    default:
        return -EINVAL;
    }
}

static const struct scheduler sched_credit2_def = {
    .name = "SMP Credit Scheduler rev2",
    .opt_name = "credit2",
    .sched_id = XEN_SCHEDULER_CREDIT2,
    .priv_size = sizeof(struct c2_priv),
    .dom_size = sizeof(struct c2_dom),
    .unit_size = sizeof(struct c2_unit),
    .init = c2_init,
    .init_domain = c2_init_domain,
    .insert_vcpu = c2_insert_vcpu,
    .remove_vcpu = c2_remove_vcpu,
    .add_pcpu = c2_add_pcpu,
    .remove_pcpu = c2_remove_pcpu,
    .sleep = c2_sleep,
    .wake = c2_wake,
    .affinity = c2_affinity,
    .context_saved = c2_context_saved,
    .do_schedule = c2_do_schedule,
    .adjust = c2_adjust,
    .adjust_global = c2_adjust_global,
};
REGISTER_SCHEDULER(sched_credit2_def);
