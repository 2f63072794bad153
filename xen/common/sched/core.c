/*
 * Scheduler core: pCPU worker threads, vCPU state transitions and the
 * locking around the policies (one instance per cpupool, cpupool.c).
 *
 * One lock protects every policy's data, the pools and each vCPU's
 * scheduling state; with a handful of pCPUs it is not contended, and it
 * keeps the policies simple. A pCPU with nothing to run sleeps on its
 * condition variable: a blocked vCPU never holds a pCPU thread.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <asm-x86/kvm.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched-if.h>
#include <xen/sched.h>
#include <xen/timer.h>

#include "private.h"

extern const struct scheduler *const __start_xen_schedulers[];
extern const struct scheduler *const __stop_xen_schedulers[];

static char opt_sched[16] = "credit2";
string_param(sched, opt_sched,
             "scheduler for Pool-0: credit2 (default), credit, null");
unsigned int sched_ratelimit_us = 1000;
integer_param(sched_ratelimit_us, sched_ratelimit_us,
              "credit/credit2: least time (us) a vCPU runs before it can be "
              "preempted (0: off)");

#define IDLE_SPIN_NS MICROSECS(50)

struct pcpu {
    unsigned int id;
    pthread_t thread;
    pthread_cond_t cond;
    bool idle;            /* waiting for a tickle */
    bool preempt;         /* tickled while running curr */
    struct cpupool *pool; /* NULL: free */
    struct vcpu *curr;
};

pthread_mutex_t sched_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t descheduled_cond;
static struct pcpu *pcpus;
static unsigned int nr_pcpus;
struct cpupool *cpupool0;

const struct scheduler *scheduler_by_name(const char *name)
{
    for (const struct scheduler *const *s = __start_xen_schedulers;
         s < __stop_xen_schedulers; s++)
        if (!strcmp((*s)->opt_name, name))
            return *s;
    return NULL;
}

const struct scheduler *scheduler_by_id(unsigned int id)
{
    for (const struct scheduler *const *s = __start_xen_schedulers;
         s < __stop_xen_schedulers; s++)
        if ((*s)->sched_id == id)
            return *s;
    return NULL;
}

const struct scheduler *scheduler_current(void)
{
    return cpupool0->sched;
}

unsigned int sched_nr_pcpus(void)
{
    return nr_pcpus;
}

int scheduler_init(const char *name, unsigned int nr)
{
    const struct scheduler *s;
    pthread_condattr_t ca;
    int rc;

    if (!name)
        name = opt_sched;
    if (!nr)
        return -EINVAL;
    /* Affinity masks and cpumaps have NR_CPUS bits, as in Xen. */
    if (nr > NR_CPUS) {
        printk(LOG_WARNING, "pcpus=%u: using %u, the most there can be\n", nr,
               NR_CPUS);
        nr = NR_CPUS;
    }
    s = scheduler_by_name(name);
    if (!s) {
        /* Xen's other two exist there; say so rather than "unknown". */
        if (!strcmp(name, "rtds") || !strcmp(name, "arinc653"))
            printk(LOG_ERR,
                   "sched=%s: not supported (credit2, credit, "
                   "null are)\n",
                   name);
        else
            printk(LOG_ERR,
                   "unknown scheduler sched=%s (credit2, credit, "
                   "null)\n",
                   name);
        return -EINVAL;
    }
    pcpus = calloc(nr, sizeof(*pcpus));
    if (!pcpus)
        return -ENOMEM;
    nr_pcpus = nr;
    /* Timed idle waits (a capped vCPU's next budget) use NOW()'s clock. */
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&descheduled_cond, NULL);
    for (unsigned int i = 0; i < nr; i++) {
        pcpus[i].id = i;
        pthread_cond_init(&pcpus[i].cond, &ca);
    }
    pthread_condattr_destroy(&ca);
    rc = cpupool_create_pool(0, s, &cpupool0);
    if (rc)
        return rc;
    pthread_mutex_lock(&sched_lock);
    for (unsigned int i = 0; i < nr; i++)
        pcpu_assign_locked(cpupool0, i);
    pthread_mutex_unlock(&sched_lock);
    printk(LOG_INFO, "using scheduler: %s (%s), %u pCPUs\n", s->name,
           s->opt_name, nr);
    return 0;
}

/* ---- Services for the policies ---- */

void sched_tickle(unsigned int cpu)
{
    struct pcpu *pc = &pcpus[cpu];

    if (pc->curr) {
        /*
         * The run loop leaves on yield: the flag tells the core it was
         * our doing, not the guest's SCHEDOP_yield.
         */
        pc->preempt = true;
        pc->curr->yield = true;
        arch_vcpu_kick(pc->curr);
    } else if (pc->idle) {
        pc->idle = false;
        pthread_cond_signal(&pc->cond);
    }
}

bool sched_cpu_idle(unsigned int cpu)
{
    return pcpus[cpu].idle && !pcpus[cpu].curr;
}

struct vcpu *sched_cpu_curr(unsigned int cpu)
{
    return pcpus[cpu].curr;
}

bool sched_cpu_allowed(const struct vcpu *v, unsigned int cpu)
{
    return cpu < nr_pcpus && mask_test(v->cpu_hard_affinity, cpu) &&
           pcpus[cpu].pool == v->sched_priv->sdom->pool;
}

bool sched_cpu_soft(const struct vcpu *v, unsigned int cpu)
{
    return mask_test(v->cpu_soft_affinity, cpu);
}

/* ---- pCPUs and pools (caller holds sched_lock) ---- */

void pcpu_assign_locked(struct cpupool *c, unsigned int cpu)
{
    pcpus[cpu].pool = c;
    mask_set(c->cpu_valid, cpu);
    if (c->sched->add_pcpu)
        c->sched->add_pcpu(c->sched_priv, cpu);
    sched_tickle(cpu);
}

bool pcpu_is_free(unsigned int cpu)
{
    return !pcpus[cpu].pool;
}

/* Take cpu out of its pool and wait until it runs nothing of it. */
void pcpu_unassign_locked(unsigned int cpu)
{
    struct pcpu *pc = &pcpus[cpu];
    struct cpupool *c = pc->pool;

    mask_clear(c->cpu_valid, cpu);
    pc->pool = NULL;
    /* A vCPU allowed nowhere else in the pool loses its pinning, as in Xen. */
    for (struct sched_dom *sd = c->doms; sd; sd = sd->next) {
        struct vcpu *v;

        for_each_vcpu(sd->domain, v)
        {
            bool any = false;

            for (unsigned int i = 0; i < CPUMASK_WORDS; i++)
                any |= !!(v->cpu_hard_affinity[i] & c->cpu_valid[i]);
            if (any || !v->sched_priv)
                continue;
            printk(LOG_WARNING, "d%uv%u: breaking its affinity for pCPU %u\n",
                   sd->domain->domain_id, v->vcpu_id, cpu);
            memset(v->cpu_hard_affinity, 0xff, sizeof(v->cpu_hard_affinity));
            if (c->sched->affinity)
                c->sched->affinity(c->sched_priv, v);
        }
    }
    if (c->sched->remove_pcpu)
        c->sched->remove_pcpu(c->sched_priv, cpu);
    while (pc->curr) {
        sched_tickle(cpu);
        pthread_cond_wait(&descheduled_cond, &sched_lock);
    }
}

/* ---- Domains and vCPUs ---- */

struct sched_dom *sched_find_sdom(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu(d, v)
    {
        if (v->sched_priv)
            return v->sched_priv->sdom;
    }
    return NULL;
}

unsigned int sched_domain_cpus(struct domain *d, uint64_t *mask)
{
    struct sched_dom *sd;
    unsigned int id = CPUPOOLID_NONE;

    pthread_mutex_lock(&sched_lock);
    sd = sched_find_sdom(d);
    if (mask)
        memset(mask, 0, CPUMASK_WORDS * sizeof(*mask));
    if (sd) {
        id = sd->pool->cpupool_id;
        if (mask)
            memcpy(mask, sd->pool->cpu_valid, sizeof(sd->pool->cpu_valid));
    }
    pthread_mutex_unlock(&sched_lock);
    return id;
}

struct sched_dom *sdom_alloc(struct cpupool *c, struct domain *d)
{
    struct sched_dom *sd = calloc(1, sizeof(*sd));

    if (!sd)
        return NULL;
    sd->priv = calloc(1, c->sched->dom_size ? c->sched->dom_size : 1);
    if (!sd->priv) {
        free(sd);
        return NULL;
    }
    sd->domain = d;
    sd->pool = c;
    return sd;
}

void sdom_free(struct sched_dom *sd)
{
    if (sd)
        free(sd->priv);
    free(sd);
}

/* Put sd (allocated for c) into c's domain list. */
void sdom_attach_locked(struct cpupool *c, struct sched_dom *sd)
{
    sd->pool = c;
    sd->next = c->doms;
    c->doms = sd;
    c->n_dom++;
    if (c->sched->init_domain)
        c->sched->init_domain(c->sched_priv, sd);
}

void sdom_detach_locked(struct sched_dom *sd)
{
    struct sched_dom **pp;

    for (pp = &sd->pool->doms; *pp != sd; pp = &(*pp)->next)
        ;
    *pp = sd->next;
    sd->pool->n_dom--;
}

static void runstate_change(struct vcpu *v, int state)
{
    uint64_t now = NOW();

    if (v->runstate.state_entry_time)
        v->runstate.time[v->runstate.state] +=
            now - v->runstate.state_entry_time;
    v->runstate.state = state;
    v->runstate.state_entry_time = now;
    /* Keep the guest's registered copy current (VCPUOP, common/vcpu.c). */
    vcpu_runstate_area_update(v);
}

void vcpu_runstate_get(struct vcpu *v, struct vcpu_runstate_info *r)
{
    uint64_t now;

    pthread_mutex_lock(&sched_lock);
    *r = v->runstate;
    pthread_mutex_unlock(&sched_lock);
    /* The state we are in counts up to now, as in Xen. */
    now = NOW();
    if (r->state_entry_time && now > r->state_entry_time)
        r->time[r->state & 3] += now - r->state_entry_time;
}

static int idle_runstate(const struct vcpu *v)
{
    if (v->pause_flags & VPF_down)
        return RUNSTATE_offline;
    if (v->pause_flags & VPF_blocked)
        return RUNSTATE_blocked;
    return RUNSTATE_runnable;
}

/* v may no longer run: tell its policy, if it wants to know. */
static void unit_sleep_locked(struct vcpu *v)
{
    struct cpupool *c = v->sched_priv->sdom->pool;

    v->sched_runnable = false;
    if (c->sched->sleep)
        c->sched->sleep(c->sched_priv, v);
}

/* Tell the policy whether v is runnable now. Caller holds sched_lock. */
void sched_update_locked(struct vcpu *v)
{
    bool r = vcpu_runnable(v);
    struct cpupool *c;

    if (!v->is_running && v->runstate.state != idle_runstate(v))
        runstate_change(v, idle_runstate(v));
    /* Not scheduled (privcmd's stand-in vCPUs): nothing to tell. */
    if (r == v->sched_runnable || !v->sched_priv)
        return;
    if (r) {
        c = v->sched_priv->sdom->pool;
        v->sched_runnable = true;
        c->sched->wake(c->sched_priv, v);
    } else {
        unit_sleep_locked(v);
        if (v->is_running)
            arch_vcpu_kick(v);
    }
}

void sched_vcpu_update(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    sched_update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

struct sched_unit *unit_alloc(struct cpupool *c, struct vcpu *v)
{
    struct sched_unit *u = calloc(1, sizeof(*u));

    if (!u)
        return NULL;
    u->priv = calloc(1, c->sched->unit_size);
    if (!u->priv) {
        free(u);
        return NULL;
    }
    u->vcpu = v;
    return u;
}

void unit_free(struct sched_unit *u)
{
    if (u)
        free(u->priv);
    free(u);
}

/* Give v (with its unit u, for sd) to sd's pool. */
void unit_insert_locked(struct sched_dom *sd, struct vcpu *v,
                        struct sched_unit *u)
{
    u->sdom = sd;
    sd->nr_units++;
    v->sched_priv = u;
    v->sched_runnable = false;
    sd->pool->sched->insert_vcpu(sd->pool->sched_priv, v);
    sched_update_locked(v);
}

/* Take v from its pool; it must be off every pCPU. Returns its unit. */
struct sched_unit *unit_remove_locked(struct vcpu *v)
{
    struct sched_unit *u = v->sched_priv;
    struct cpupool *c = u->sdom->pool;

    if (v->sched_runnable)
        unit_sleep_locked(v);
    c->sched->remove_vcpu(c->sched_priv, v);
    u->sdom->nr_units--;
    v->sched_priv = NULL;
    return u;
}

/* Wait until none of d's vCPUs is on a pCPU; they must not be runnable. */
void wait_descheduled_locked(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu(d, v)
    {
        while (v->is_running) {
            arch_vcpu_kick(v);
            pthread_cond_wait(&descheduled_cond, &sched_lock);
        }
    }
}

int sched_insert_vcpu(struct vcpu *v)
{
    struct sched_dom *sd, *new_sd = NULL;
    struct sched_unit *u;
    int rc = -ENOMEM;

    pthread_mutex_lock(&sched_lock);
    sd = sched_find_sdom(v->domain);
    if (!sd)
        sd = new_sd = sdom_alloc(cpupool0, v->domain);
    u = sd ? unit_alloc(sd->pool, v) : NULL;
    if (u) {
        if (new_sd)
            sdom_attach_locked(cpupool0, new_sd);
        unit_insert_locked(sd, v, u);
        rc = 0;
    } else {
        sdom_free(new_sd);
    }
    pthread_mutex_unlock(&sched_lock);
    return rc;
}

void sched_remove_vcpu(struct vcpu *v)
{
    struct sched_dom *sd;

    pthread_mutex_lock(&sched_lock);
    if (!v->sched_priv)
        goto out;
    sd = v->sched_priv->sdom;
    if (v->sched_runnable)
        unit_sleep_locked(v);
    while (v->is_running) {
        arch_vcpu_kick(v);
        pthread_cond_wait(&descheduled_cond, &sched_lock);
    }
    unit_free(unit_remove_locked(v));
    if (!sd->nr_units) {
        sdom_detach_locked(sd);
        sdom_free(sd);
    }
out:
    pthread_mutex_unlock(&sched_lock);
}

void sched_set_affinity(struct vcpu *v, const uint64_t *hard,
                        const uint64_t *soft)
{
    struct cpupool *c;

    pthread_mutex_lock(&sched_lock);
    memcpy(v->cpu_hard_affinity, hard, sizeof(v->cpu_hard_affinity));
    memcpy(v->cpu_soft_affinity, soft, sizeof(v->cpu_soft_affinity));
    if (v->sched_priv) {
        c = v->sched_priv->sdom->pool;
        if (c->sched->affinity)
            c->sched->affinity(c->sched_priv, v);
        /* Off a pCPU it may no longer use, now. */
        if (v->is_running && !sched_cpu_allowed(v, v->processor))
            sched_tickle(v->processor);
    }
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_pause_sync(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    sched_update_locked(v);
    while (v->is_running) {
        arch_vcpu_kick(v);
        pthread_cond_wait(&descheduled_cond, &sched_lock);
    }
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_block(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    v->pause_flags |= VPF_blocked;
    /* An event that arrived before we set the flag must not be lost. */
    if (local_events_need_delivery(v))
        v->pause_flags &= ~VPF_blocked;
    sched_update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_unblock(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    if (v->pause_flags & VPF_blocked) {
        v->pause_flags &= ~VPF_blocked;
        /*
         * Under the lock: once it is released the vCPU may run and poll
         * again, and that poll's timer must survive.
         */
        if (v->nr_poll_ports)
            stop_timer(&v->poll_timer);
        v->nr_poll_ports = 0;
        sched_update_locked(v);
    }
    pthread_mutex_unlock(&sched_lock);
}

int vcpu_poll(struct vcpu *v, const uint32_t *ports, unsigned int nr,
              uint64_t timeout)
{
    pthread_mutex_lock(&sched_lock);
    memcpy(v->poll_ports, ports, nr * sizeof(*ports));
    v->nr_poll_ports = nr;
    v->pause_flags |= VPF_blocked;
    /* Re-check after publishing the ports: a sender may have raced us. */
    for (unsigned int i = 0; i < nr; i++)
        if (evtchn_port_is_pending(v->domain, ports[i]))
            v->pause_flags &= ~VPF_blocked;
    if (!(v->pause_flags & VPF_blocked) || local_events_need_delivery(v)) {
        v->pause_flags &= ~VPF_blocked;
        v->nr_poll_ports = 0;
        pthread_mutex_unlock(&sched_lock);
        return 0;
    }
    /* Armed under the lock, as vcpu_unblock() stops it (timer_lock nests). */
    if (timeout)
        set_timer(&v->poll_timer, timeout);
    sched_update_locked(v);
    pthread_mutex_unlock(&sched_lock);
    return 0;
}

void vcpu_wake_up(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    v->pause_flags &= ~VPF_down;
    sched_update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_down(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    v->pause_flags |= VPF_down;
    sched_update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_kick(struct vcpu *v)
{
    vcpu_unblock(v);
    pthread_mutex_lock(&sched_lock);
    if (v->is_running)
        arch_vcpu_kick(v);
    pthread_mutex_unlock(&sched_lock);
}

/* ---- The pCPU threads ---- */

/* Sleep until tickled, or until the policy's deadline (0: none). */
static void pcpu_idle(struct pcpu *pc, uint64_t now, uint64_t wait_ns)
{
    uint64_t until = now + IDLE_SPIN_NS;

    /*
     * Spin briefly before sleeping: a vCPU woken by an event usually
     * arrives within microseconds, and a futex wake-up costs more.
     */
    pc->idle = true;
    pthread_mutex_unlock(&sched_lock);
    while (__atomic_load_n(&pc->idle, __ATOMIC_ACQUIRE) && NOW() < until)
        __builtin_ia32_pause();
    pthread_mutex_lock(&sched_lock);
    if (wait_ns) {
        uint64_t end = now + wait_ns;
        struct timespec ts = {.tv_sec = end / 1000000000ULL,
                              .tv_nsec = end % 1000000000ULL};

        while (pc->idle)
            if (pthread_cond_timedwait(&pc->cond, &sched_lock, &ts))
                break;
    } else {
        while (pc->idle)
            pthread_cond_wait(&pc->cond, &sched_lock);
    }
    pc->idle = false;
}

static void *pcpu_thread(void *arg)
{
    struct pcpu *pc = arg;
    struct vcpu *prev = NULL;

    if (arch_pcpu_thread_init())
        panic("pCPU %u: cannot set up its preemption timer", pc->id);
    pthread_mutex_lock(&sched_lock);
    for (;;) {
        uint64_t now = NOW();
        struct cpupool *c = pc->pool;
        struct sched_decision dec = {NULL, 0};
        struct vcpu *v;

        /* prev is a hint only for the pool it still belongs to. */
        if (prev && (!prev->sched_priv || prev->sched_priv->sdom->pool != c))
            prev = NULL;
        if (c)
            dec = c->sched->do_schedule(c->sched_priv, pc->id, prev, now);
        v = dec.next;
        prev = NULL;
        if (!v) {
            pcpu_idle(pc, now, dec.slice_ns);
            continue;
        }
        v->is_running = true;
        v->processor = pc->id;
        v->yield = false;
        v->sched_priv->start = now;
        pc->curr = v;
        pc->preempt = false;
        runstate_change(v, RUNSTATE_running);
        pthread_mutex_unlock(&sched_lock);

        arch_vcpu_run(v, now + dec.slice_ns);

        pthread_mutex_lock(&sched_lock);
        pc->curr = NULL;
        v->is_running = false;
        runstate_change(v, v->sched_runnable ? RUNSTATE_runnable
                                             : idle_runstate(v));
        if (v->sched_priv) {
            c = v->sched_priv->sdom->pool;
            c->sched->context_saved(c->sched_priv, pc->id, v,
                                    v->yield && !pc->preempt, NOW());
        }
        pthread_cond_broadcast(&descheduled_cond);
        prev = v;
        /* Timers already due wake their vCPUs before we choose. */
        pthread_mutex_unlock(&sched_lock);
        timer_wait_due(NOW());
        pthread_mutex_lock(&sched_lock);
    }
    return NULL;
}

int scheduler_start(void)
{
    for (unsigned int i = 0; i < nr_pcpus; i++) {
        int rc = pthread_create(&pcpus[i].thread, NULL, pcpu_thread, &pcpus[i]);

        if (rc)
            return -rc;
    }
    return 0;
}

/* The pCPU thread currently running v; only valid while v->is_running. */
pthread_t sched_vcpu_thread(const struct vcpu *v)
{
    return pcpus[v->processor].thread;
}
