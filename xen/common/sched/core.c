/*
 * Scheduler core: pCPU worker threads, vCPU state transitions and the
 * locking around the policy (an ops table picked with sched=).
 *
 * One lock protects every policy's data and each vCPU's scheduling state;
 * with a handful of pCPUs it is not contended, and it keeps the policies
 * simple. A pCPU with nothing to run sleeps on its condition variable: a
 * blocked vCPU never holds a pCPU thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/kvm.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

extern const struct scheduler *const __start_xen_schedulers[];
extern const struct scheduler *const __stop_xen_schedulers[];

static char opt_sched[16] = "rr";
string_param(sched, opt_sched, "scheduler for Pool-0: rr (default)");

#define IDLE_SPIN_NS MICROSECS(50)

struct pcpu {
    unsigned int id;
    pthread_t thread;
    pthread_cond_t cond;
    bool idle;
    struct vcpu *curr;
};

static pthread_mutex_t sched_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t descheduled_cond = PTHREAD_COND_INITIALIZER;
static const struct scheduler *ops;
static void *ops_priv;
static struct pcpu *pcpus;
static unsigned int nr_pcpus;

const struct scheduler *scheduler_current(void)
{
    return ops;
}

unsigned int sched_nr_pcpus(void)
{
    return nr_pcpus;
}

int scheduler_init(const char *name, unsigned int nr)
{
    const struct scheduler *const *s;

    if (!name)
        name = opt_sched;
    for (s = __start_xen_schedulers; s < __stop_xen_schedulers; s++)
        if (!strcmp((*s)->opt_name, name))
            break;
    if (s == __stop_xen_schedulers) {
        printk(LOG_ERR, "unknown scheduler sched=%s\n", name);
        return -EINVAL;
    }
    ops = *s;
    nr_pcpus = nr;
    pcpus = calloc(nr, sizeof(*pcpus));
    if (!pcpus)
        return -ENOMEM;
    for (unsigned int i = 0; i < nr; i++) {
        pcpus[i].id = i;
        pthread_cond_init(&pcpus[i].cond, NULL);
    }
    printk(LOG_INFO, "using scheduler: %s (%s), %u pCPUs\n", ops->name,
           ops->opt_name, nr);
    return ops->init(&ops_priv, nr);
}

/* Wake one idle pCPU to look for work. Caller holds sched_lock. */
static void tickle_idle(void)
{
    for (unsigned int i = 0; i < nr_pcpus; i++)
        if (pcpus[i].idle) {
            pcpus[i].idle = false;
            pthread_cond_signal(&pcpus[i].cond);
            return;
        }
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

/* Tell the policy whether v is runnable now. Caller holds sched_lock. */
static void update_locked(struct vcpu *v)
{
    bool r = vcpu_runnable(v);

    if (!v->is_running && v->runstate.state != idle_runstate(v))
        runstate_change(v, idle_runstate(v));
    if (r == v->sched_runnable)
        return;
    v->sched_runnable = r;
    if (r) {
        ops->wake(ops_priv, v);
        tickle_idle();
    } else {
        ops->sleep(ops_priv, v);
        if (v->is_running)
            arch_vcpu_kick(v);
    }
}

void sched_vcpu_update(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

int sched_insert_vcpu(struct vcpu *v)
{
    int rc;

    pthread_mutex_lock(&sched_lock);
    rc = ops->insert_vcpu(ops_priv, v);
    if (!rc)
        update_locked(v);
    pthread_mutex_unlock(&sched_lock);
    return rc;
}

void sched_remove_vcpu(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    if (v->sched_runnable) {
        v->sched_runnable = false;
        ops->sleep(ops_priv, v);
    }
    while (v->is_running)
        pthread_cond_wait(&descheduled_cond, &sched_lock);
    ops->remove_vcpu(ops_priv, v);
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_pause_sync(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    update_locked(v);
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
    update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_unblock(struct vcpu *v)
{
    bool polling = false;

    pthread_mutex_lock(&sched_lock);
    if (v->pause_flags & VPF_blocked) {
        v->pause_flags &= ~VPF_blocked;
        polling = v->nr_poll_ports;
        v->nr_poll_ports = 0;
        update_locked(v);
    }
    pthread_mutex_unlock(&sched_lock);
    if (polling)
        stop_timer(&v->poll_timer);
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
    update_locked(v);
    pthread_mutex_unlock(&sched_lock);
    if (timeout)
        set_timer(&v->poll_timer, timeout);
    return 0;
}

void vcpu_wake_up(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    v->pause_flags &= ~VPF_down;
    update_locked(v);
    pthread_mutex_unlock(&sched_lock);
}

void vcpu_down(struct vcpu *v)
{
    pthread_mutex_lock(&sched_lock);
    v->pause_flags |= VPF_down;
    update_locked(v);
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

static void *pcpu_thread(void *arg)
{
    struct pcpu *pc = arg;
    struct vcpu *prev = NULL;

    if (arch_pcpu_thread_init())
        panic("pCPU %u: cannot set up its preemption timer", pc->id);
    pthread_mutex_lock(&sched_lock);
    for (;;) {
        uint64_t now = NOW();
        struct sched_decision dec = ops->do_schedule(
            ops_priv, pc->id, prev, prev && prev->sched_runnable, now);
        struct vcpu *v = dec.next;

        prev = NULL;
        if (!v) {
            uint64_t until = now + IDLE_SPIN_NS;

            /*
             * Spin briefly before sleeping: a vCPU woken by an event
             * usually arrives within microseconds, and a futex wake-up
             * costs more than that.
             */
            pc->idle = true;
            pthread_mutex_unlock(&sched_lock);
            while (__atomic_load_n(&pc->idle, __ATOMIC_ACQUIRE) &&
                   NOW() < until)
                __builtin_ia32_pause();
            pthread_mutex_lock(&sched_lock);
            while (pc->idle)
                pthread_cond_wait(&pc->cond, &sched_lock);
            continue;
        }
        v->is_running = true;
        v->processor = pc->id;
        v->yield = false;
        pc->curr = v;
        runstate_change(v, RUNSTATE_running);
        pthread_mutex_unlock(&sched_lock);

        arch_vcpu_run(v, now + dec.slice_ns);

        pthread_mutex_lock(&sched_lock);
        pc->curr = NULL;
        v->is_running = false;
        runstate_change(v, v->sched_runnable ? RUNSTATE_runnable
                                             : idle_runstate(v));
        pthread_cond_broadcast(&descheduled_cond);
        prev = v;
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
