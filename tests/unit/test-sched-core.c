/*
 * The real scheduler core, cpupools and policies (credit2, credit, null)
 * on real pthreads and real time, with simulated vCPUs in place of KVM:
 * a hog spins through its slice, a sleeper blocks 1 ms at a time.
 *
 * Each scenario gets a pool of its own: pCPUs leave Pool-0 for it, its
 * domains are created in Pool-0 and moved there (so every scenario also
 * moves running domains between pools), and everything goes back after.
 * Shares are measured with the core's own runstate accounting.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <public/domctl.h>
#include <public/sysctl.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

#include "unit.h"

#define NR_PCPUS 3
#define MAX_DOMS 8

/* ---- Fakes for what the core uses from the rest of the hypervisor ---- */

enum kind { HOG, SLEEPER };

struct sim {
    enum kind kind;
    unsigned long violations;  /* ran outside hard affinity */
    uint64_t ran_on[NR_PCPUS]; /* ns per pCPU */
    uint64_t woken_at;         /* SLEEPER: when unblocked */
    uint64_t lat[4096];
    unsigned int nr_lat;
    struct domain dom;
    struct vcpu vcpu;
    struct vcpu *vcpus[1];
};

static struct sim sims[MAX_DOMS];

static struct sim *sim_of(const struct vcpu *v)
{
    return (struct sim *)((char *)v - offsetof(struct sim, vcpu));
}

void printk(enum loglvl lvl, const char *fmt, ...)
{
    va_list ap;

    (void)lvl;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    printf("FAIL panic: %s\n", fmt);
    _exit(1);
}

int arch_pcpu_thread_init(void)
{
    return 0;
}

/* The run loop polls v->yield and sched_runnable, as kvm.c does. */
void arch_vcpu_kick(struct vcpu *v)
{
    (void)v;
}

void arch_vcpu_run(struct vcpu *v, uint64_t slice_end)
{
    struct sim *s = sim_of(v);
    uint64_t start = NOW(), now = start;

    if (!mask_test(v->cpu_hard_affinity, v->processor))
        __atomic_fetch_add(&s->violations, 1, __ATOMIC_RELAXED);
    if (s->kind == SLEEPER) {
        uint64_t woken = __atomic_load_n(&s->woken_at, __ATOMIC_ACQUIRE);

        if (woken && s->nr_lat < 4096)
            s->lat[s->nr_lat++] = start - woken;
        __atomic_store_n(&s->woken_at, 0, __ATOMIC_RELEASE);
        /* A little work, then sleep until the waker thread says so. */
        while (NOW() < start + MICROSECS(20))
            ;
        vcpu_block(v);
    } else {
        while (now < slice_end &&
               __atomic_load_n(&v->sched_runnable, __ATOMIC_ACQUIRE) &&
               !__atomic_load_n(&v->yield, __ATOMIC_ACQUIRE))
            now = NOW();
    }
    s->ran_on[v->processor] += NOW() - start;
}

void vcpu_runstate_area_update(struct vcpu *v)
{
    (void)v;
}

bool local_events_need_delivery(struct vcpu *v)
{
    (void)v;
    return false;
}

bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port)
{
    (void)d;
    (void)port;
    return false;
}

bool vcpu_runnable(const struct vcpu *v)
{
    return !v->pause_flags && !atomic_load(&v->pause_count) &&
           !atomic_load(&v->domain->pause_count) &&
           v->domain->state == DOMAIN_ACTIVE;
}

void domain_pause(struct domain *d)
{
    struct vcpu *v;

    atomic_fetch_add(&d->pause_count, 1);
    for_each_vcpu(d, v)
    {
        vcpu_pause_sync(v);
    }
}

void domain_unpause(struct domain *d)
{
    struct vcpu *v;

    if (atomic_fetch_sub(&d->pause_count, 1) == 1)
        for_each_vcpu(d, v)
        {
            sched_vcpu_update(v);
        }
}

struct domain *get_domain_by_id(domid_t id)
{
    for (unsigned int i = 0; i < MAX_DOMS; i++)
        if (sims[i].dom.vcpu && sims[i].dom.domain_id == id)
            return &sims[i].dom;
    return NULL;
}

void put_domain(struct domain *d)
{
    (void)d;
}

/* The caller's buffer is plain memory here. */
long bitmap_to_guest(struct vcpu *cv, const struct xenctl_bitmap *x,
                     const uint64_t *map)
{
    (void)cv;
    memcpy(x->bitmap.p, map, (x->nr_bits + 7) / 8);
    return 0;
}

/* ---- Helpers ---- */

static struct vcpu caller; /* the toolstack's stand-in vCPU */

static long pool_op(uint32_t op, uint32_t pool, uint32_t arg, uint64_t *map_out)
{
    uint64_t map[CPUMASK_WORDS] = {0};
    struct xen_sysctl_cpupool_op p = {.op = op, .cpupool_id = pool};
    long rc;

    if (op == XEN_SYSCTL_CPUPOOL_OP_CREATE)
        p.sched_id = arg;
    else if (op == XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN)
        p.domid = arg;
    else
        p.cpu = arg;
    p.cpumap.bitmap.p = (uint8_t *)map;
    p.cpumap.nr_bits = NR_CPUS;
    rc = cpupool_do_sysctl(&caller, &p);
    if (map_out)
        memcpy(map_out, map, sizeof(map));
    if (!rc && op == XEN_SYSCTL_CPUPOOL_OP_CREATE)
        return p.cpupool_id;
    if (!rc && op == XEN_SYSCTL_CPUPOOL_OP_INFO)
        return p.n_dom;
    return rc;
}

static struct vcpu *new_dom(unsigned int i, enum kind kind)
{
    struct sim *s = &sims[i];

    memset(s, 0, sizeof(*s));
    s->kind = kind;
    s->dom.domain_id = 10 + i;
    s->dom.max_vcpus = 1;
    s->dom.vcpu = s->vcpus;
    s->dom.state = DOMAIN_ACTIVE;
    s->vcpus[0] = &s->vcpu;
    s->vcpu.domain = &s->dom;
    s->vcpu.processor = -1;
    memset(s->vcpu.cpu_hard_affinity, 0xff, sizeof(s->vcpu.cpu_hard_affinity));
    memset(s->vcpu.cpu_soft_affinity, 0xff, sizeof(s->vcpu.cpu_soft_affinity));
    /* Down until it is in its pool, so it never runs in Pool-0. */
    s->vcpu.pause_flags = VPF_down;
    EXPECT(sched_insert_vcpu(&s->vcpu) == 0);
    return &s->vcpu;
}

static void start_dom(unsigned int i, unsigned int pool)
{
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, pool,
                   sims[i].dom.domain_id, NULL) == 0);
    vcpu_wake_up(&sims[i].vcpu);
}

static void end_dom(unsigned int i)
{
    sched_remove_vcpu(&sims[i].vcpu);
    sims[i].dom.vcpu = NULL;
}

static uint64_t running_ns(unsigned int i)
{
    struct vcpu_runstate_info r;

    vcpu_runstate_get(&sims[i].vcpu, &r);
    return r.time[RUNSTATE_running];
}

/* A pool of scheduler sched_id with pCPUs 1..n taken from Pool-0. */
static unsigned int pool_with(uint32_t sched_id, unsigned int n)
{
    long id = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_PAR_ANY,
                      sched_id, NULL);

    EXPECT(id > 0);
    for (unsigned int cpu = 1; cpu <= n; cpu++) {
        EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, cpu, NULL) == 0);
        EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, id, cpu, NULL) == 0);
    }
    return id;
}

static void pool_end(unsigned int id)
{
    while (pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, id, XEN_SYSCTL_CPUPOOL_PAR_ANY,
                   NULL) == 0)
        ;
    for (unsigned int cpu = 1; cpu < NR_PCPUS; cpu++)
        pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, cpu, NULL);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, id, 0, NULL) == 0);
}

static int set_weight(unsigned int i, uint32_t sched_id, uint16_t w,
                      uint16_t cap)
{
    struct xen_domctl_scheduler_op op = {.sched_id = sched_id,
                                         .cmd = XEN_DOMCTL_SCHEDOP_putinfo};

    op.u.credit2.weight = w;
    op.u.credit2.cap = cap;
    return sched_adjust(&sims[i].dom, &op);
}

static int within(double got, double want, double tol)
{
    return got > want * (1 - tol) && got < want * (1 + tol);
}

/* Hogs with these weights on one pCPU: shares in proportion. */
static void check_weights(uint32_t sched_id, const uint16_t *w, unsigned int n)
{
    unsigned int pool = pool_with(sched_id, 1);
    uint64_t t0[MAX_DOMS];

    /* credit: 10 ms periods, for more of them in the time we measure. */
    if (sched_id == XEN_SCHEDULER_CREDIT) {
        struct xen_sysctl_scheduler_op op = {
            .cpupool_id = pool,
            .sched_id = sched_id,
            .cmd = XEN_SYSCTL_SCHEDOP_putinfo,
            .u.sched_credit = {.tslice_ms = 10, .ratelimit_us = 1000}};

        EXPECT(sched_adjust_global(&op) == 0);
    }
    for (unsigned int i = 0; i < n; i++) {
        new_dom(i, HOG);
        /* The new pool's parameters: a move starts from its defaults. */
        start_dom(i, pool);
        EXPECT(set_weight(i, sched_id, w[i],
                          sched_id == XEN_SCHEDULER_CREDIT ? (uint16_t)~0U
                                                           : 0) == 0);
    }
    usleep(200000);
    for (unsigned int i = 0; i < n; i++)
        t0[i] = running_ns(i);
    /* Long enough for the host's own scheduling noise to even out. */
    usleep(4000000);
    for (unsigned int i = 1; i < n; i++) {
        double ratio =
            (double)(running_ns(i) - t0[i]) / (double)(running_ns(0) - t0[0]);

        printf("sched %u: weight %u/%u: share ratio %.3f (want %.3f)\n",
               sched_id, w[i], w[0], ratio, (double)w[i] / w[0]);
        EXPECT(within(ratio, (double)w[i] / w[0], 0.05));
    }
    for (unsigned int i = 0; i < n; i++)
        end_dom(i);
    pool_end(pool);
}

/* A capped hog alone on a pCPU stays under its cap. */
static void check_cap(uint32_t sched_id)
{
    unsigned int pool = pool_with(sched_id, 1);
    uint64_t t0, t1, r0, r1;
    double share;

    new_dom(0, HOG);
    start_dom(0, pool);
    EXPECT(set_weight(0, sched_id, 256, 30) == 0);
    usleep(100000);
    t0 = NOW();
    r0 = running_ns(0);
    usleep(1500000);
    t1 = NOW();
    r1 = running_ns(0);
    share = (double)(r1 - r0) / (double)(t1 - t0);
    printf("sched %u: cap 30: used %.1f%% of its pCPU\n", sched_id,
           share * 100);
    EXPECT(share < 0.33 && share > 0.15);
    end_dom(0);
    pool_end(pool);
}

/* 4 hogs on 2 pCPUs, one pinned: never outside; soft affinity kept. */
static void check_affinity(uint32_t sched_id)
{
    unsigned int pool = pool_with(sched_id, 2);
    uint64_t hard[CPUMASK_WORDS] = {0}, all[CPUMASK_WORDS], on[2][NR_PCPUS];

    memset(all, 0xff, sizeof(all));
    for (unsigned int i = 0; i < 4; i++)
        new_dom(i, HOG);
    /* Pinned after the move: a move resets affinity, as in Xen. */
    for (unsigned int i = 0; i < 4; i++)
        start_dom(i, pool);
    mask_set(hard, 2);
    sched_set_affinity(&sims[0].vcpu, hard, all);
    /* Soft only: prefers pCPU 1 while others compete. */
    sched_set_affinity(&sims[1].vcpu, all, (uint64_t[CPUMASK_WORDS]){2});
    usleep(100000);
    for (unsigned int i = 0; i < 2; i++)
        memcpy(on[i], sims[i].ran_on, sizeof(on[i]));
    sims[0].violations = 0;
    usleep(1500000);
    for (unsigned int i = 0; i < 4; i++)
        EXPECT(sims[i].violations == 0);
    EXPECT(sims[0].ran_on[1] == on[0][1] && sims[0].ran_on[2] > on[0][2]);
    on[1][1] = sims[1].ran_on[1] - on[1][1];
    on[1][2] = sims[1].ran_on[2] - on[1][2];
    printf("sched %u: soft-pinned vCPU: %llu ms on pCPU 1, %llu on 2\n",
           sched_id, (unsigned long long)(on[1][1] / 1000000),
           (unsigned long long)(on[1][2] / 1000000));
    EXPECT(on[1][1] > on[1][2]);
    for (unsigned int i = 0; i < 4; i++)
        end_dom(i);
    pool_end(pool);
}

static void *waker(void *arg)
{
    struct sim *s = arg;

    while (s->dom.vcpu) {
        usleep(1000);
        if (s->dom.vcpu && (s->vcpu.pause_flags & VPF_blocked)) {
            __atomic_store_n(&s->woken_at, NOW(), __ATOMIC_RELEASE);
            vcpu_unblock(&s->vcpu);
        }
    }
    return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * A 1 ms sleeper among 4 hogs on one pCPU, the pool's ratelimit set to
 * ratelimit_us unless ~0: the median latency of its wake-ups.
 */
static uint64_t wakeup_p50(uint32_t sched_id, unsigned int ratelimit_us)
{
    unsigned int pool = pool_with(sched_id, 1);
    pthread_t t;
    uint64_t p50, p99;

    if (ratelimit_us != ~0U) {
        struct xen_sysctl_scheduler_op op = {.cpupool_id = pool,
                                             .sched_id = sched_id,
                                             .cmd = XEN_SYSCTL_SCHEDOP_putinfo,
                                             .u.sched_credit2.ratelimit_us =
                                                 ratelimit_us};

        EXPECT(sched_adjust_global(&op) == 0);
    }
    for (unsigned int i = 0; i < 4; i++)
        new_dom(i, HOG);
    new_dom(4, SLEEPER);
    for (unsigned int i = 0; i <= 4; i++)
        start_dom(i, pool);
    pthread_create(&t, NULL, waker, &sims[4]);
    usleep(1500000);
    end_dom(4);
    pthread_join(t, NULL);
    qsort(sims[4].lat, sims[4].nr_lat, sizeof(uint64_t), cmp_u64);
    EXPECT(sims[4].nr_lat > 5);
    p50 = sims[4].nr_lat ? sims[4].lat[sims[4].nr_lat / 2] : ~0ULL;
    p99 = sims[4].nr_lat ? sims[4].lat[sims[4].nr_lat * 99 / 100] : ~0ULL;
    printf("sched %u: wake-up latency p50 %llu us, p99 %llu us (%u wakes)\n",
           sched_id, (unsigned long long)p50 / 1000,
           (unsigned long long)p99 / 1000, sims[4].nr_lat);
    for (unsigned int i = 0; i < 4; i++)
        end_dom(i);
    pool_end(pool);
    return p50;
}

/* credit2 with a runqueue per pCPU: 4 hogs spread over both. */
static void check_balance(void)
{
    unsigned int pool;
    uint64_t t0[4], total = 0;

    EXPECT(cmdline_apply("credit2_runqueue=cpu") == 0);
    pool = pool_with(XEN_SCHEDULER_CREDIT2, 2);
    for (unsigned int i = 0; i < 4; i++)
        new_dom(i, HOG);
    for (unsigned int i = 0; i < 4; i++)
        start_dom(i, pool);
    usleep(200000);
    for (unsigned int i = 0; i < 4; i++)
        t0[i] = running_ns(i);
    usleep(1500000);
    for (unsigned int i = 0; i < 4; i++) {
        uint64_t r = running_ns(i) - t0[i];

        printf("credit2 per-cpu runqueues: hog %u ran %llu ms\n", i,
               (unsigned long long)r / 1000000);
        EXPECT(within((double)r, 750e6, 0.25));
        total += r;
    }
    EXPECT(within((double)total, 3000e6, 0.1));
    for (unsigned int i = 0; i < 4; i++)
        end_dom(i);
    pool_end(pool);
    EXPECT(cmdline_apply("credit2_runqueue=socket") == 0);
}

/* null: 3 vCPUs, 2 pCPUs: one waits, and runs once a pCPU frees up. */
static void check_null(void)
{
    unsigned int pool = pool_with(XEN_SCHEDULER_NULL, 2);
    uint64_t before;

    for (unsigned int i = 0; i < 3; i++)
        new_dom(i, HOG);
    for (unsigned int i = 0; i < 3; i++)
        start_dom(i, pool);
    usleep(300000);
    EXPECT(running_ns(0) > 0 && running_ns(1) > 0);
    EXPECT(running_ns(2) == 0);
    EXPECT(sims[0].ran_on[1] == 0 || sims[0].ran_on[2] == 0);
    end_dom(0);
    before = running_ns(2);
    usleep(300000);
    EXPECT(running_ns(2) > before);
    /* The weight interface is not null's: nothing to adjust. */
    EXPECT(set_weight(1, XEN_SCHEDULER_CREDIT2, 512, 0) == -EINVAL);
    for (unsigned int i = 1; i < 3; i++)
        end_dom(i);
    pool_end(pool);
}

/* The cpupool_op error paths, with a running domain. */
static void check_pools(void)
{
    uint64_t map[CPUMASK_WORDS];
    long id, id2;
    uint64_t r;

    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, 7, 42, NULL) == -ENOENT);
    id = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, 7, XEN_SCHEDULER_CREDIT, NULL);
    EXPECT(id == 7);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, 7, XEN_SCHEDULER_CREDIT,
                   NULL) == -EEXIST);
    id2 = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, XEN_SYSCTL_CPUPOOL_PAR_ANY,
                  XEN_SCHEDULER_NULL, NULL);
    EXPECT(id2 == 8);
    /* INFO walks the pools in id order. */
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 1, 0, NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 9, 0, NULL) == -ENOENT);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 0, NULL) == -EINVAL);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 7, 1, NULL) == -EADDRNOTAVAIL);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 7, 1, NULL) == -ENODEV);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 7, NR_PCPUS, NULL) == -EINVAL);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 2, NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0, 0, map) == 0);
    EXPECT(map[0] == 4);
    /* A pool without pCPUs takes no domain. */
    new_dom(0, HOG);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 7, sims[0].dom.domain_id,
                   NULL) == -ENOENT);
    EXPECT(cpupool_check_add(7) == -ENODEV);
    EXPECT(cpupool_check_add(99) == -ESRCH);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 7, XEN_SYSCTL_CPUPOOL_PAR_ANY,
                   NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 7, 0, map) == 0);
    EXPECT(map[0] == 4);
    start_dom(0, 7);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 7, 0, NULL) == 1);
    EXPECT(sched_domain_cpus(&sims[0].dom, NULL) == 7);
    usleep(50000);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 7, 0, NULL) == -EBUSY);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 7, 2, NULL) == -EBUSY);
    /* Moving a running domain back and forth keeps it running. */
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, sims[0].dom.domain_id,
                   NULL) == 0);
    r = running_ns(0);
    usleep(50000);
    EXPECT(running_ns(0) > r);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 7, sims[0].dom.domain_id,
                   NULL) == 0);
    r = running_ns(0);
    usleep(50000);
    EXPECT(running_ns(0) > r);
    EXPECT(sims[0].ran_on[2] > 0 && sims[0].violations == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 7, 999, NULL) == -ESRCH);
    end_dom(0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, 7, 0, NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 7, 0, NULL) == -EBUSY);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 7, 2, NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 7, 0, NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 8, 0, NULL) == 0);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 8, 0, NULL) == -ENOENT);
    EXPECT(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, 2, NULL) == 0);
}

/* Per-pool parameters: ranges as Xen checks them. */
static void check_params(void)
{
    struct xen_sysctl_scheduler_op op = {.cpupool_id = 0,
                                         .sched_id = XEN_SCHEDULER_CREDIT2,
                                         .cmd = XEN_SYSCTL_SCHEDOP_getinfo};

    EXPECT(sched_adjust_global(&op) == 0);
    EXPECT(op.u.sched_credit2.ratelimit_us == 1000);
    op.cmd = XEN_SYSCTL_SCHEDOP_putinfo;
    op.u.sched_credit2.ratelimit_us = 50;
    EXPECT(sched_adjust_global(&op) == -EINVAL);
    op.u.sched_credit2.ratelimit_us = 2000;
    EXPECT(sched_adjust_global(&op) == 0);
    op.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
    EXPECT(sched_adjust_global(&op) == 0 &&
           op.u.sched_credit2.ratelimit_us == 2000);
    op.sched_id = XEN_SCHEDULER_CREDIT;
    EXPECT(sched_adjust_global(&op) == -EINVAL);
    op.cpupool_id = 5;
    EXPECT(sched_adjust_global(&op) == -ESRCH);
}

int main(void)
{
    static const uint16_t w12[] = {256, 512}, w124[] = {128, 256, 512};
    uint64_t p50;

    setvbuf(stdout, NULL, _IOLBF, 0);
    EXPECT(scheduler_init("rtds", NR_PCPUS) == -EINVAL);
    EXPECT(scheduler_init("rr", NR_PCPUS) == -EINVAL);
    EXPECT(timer_subsys_init() == 0);
    EXPECT(scheduler_init(NULL, NR_PCPUS) == 0);
    EXPECT(scheduler_current()->sched_id == XEN_SCHEDULER_CREDIT2);
    EXPECT(scheduler_start() == 0);

    check_params();
    check_pools();
    check_weights(XEN_SCHEDULER_CREDIT2, w12, 2);
    check_weights(XEN_SCHEDULER_CREDIT2, w124, 3);
    check_weights(XEN_SCHEDULER_CREDIT, w12, 2);
    check_weights(XEN_SCHEDULER_CREDIT, w124, 3);
    check_cap(XEN_SCHEDULER_CREDIT2);
    check_cap(XEN_SCHEDULER_CREDIT);
    check_affinity(XEN_SCHEDULER_CREDIT2);
    check_affinity(XEN_SCHEDULER_CREDIT);
    check_balance();
    /*
     * A wake-up preempts a hog (credit2: more credit; credit: boost)
     * rather than waiting for its slice (10 ms, 30 ms); a long ratelimit
     * stops that.
     */
    p50 = wakeup_p50(XEN_SCHEDULER_CREDIT2, ~0U);
    EXPECT(p50 < MILLISECS(10) / 2);
    EXPECT(wakeup_p50(XEN_SCHEDULER_CREDIT2, 100000) > 10 * p50);
    EXPECT(wakeup_p50(XEN_SCHEDULER_CREDIT, ~0U) < MILLISECS(30) / 2);
    check_null();
    UNIT_DONE("test-sched-core");
}
