/*
 * The schedulers with real guests (needs KVM), through libxenctrl as a
 * toolstack drives them: spinner-64.elf is a CPU hog, sleeper-64.elf a
 * vCPU sleeping 1 ms at a time, bench_switch-64.elf two vCPUs yielding
 * to each other. xen runs with pcpus=3; each case makes
 * a pool from pCPUs 1 and 2, builds its domains in Pool-0 and moves them
 * there, and gives everything back after.
 *
 * Usage: sched-system-test GUESTS-DIR test|bench [PART]
 *   test:  weights 256/512 share 1:2 within 5% over 10 s (credit2), a
 *          capped domain stays under its cap, hard affinity is never
 *          violated, null leaves the vCPU it has no pCPU for waiting,
 *          moves between pools keep a domain running.
 *   bench: fairness error for weights 1:2:4 (credit2, credit), the
 *          sleeper's wake-up latency among 4 hogs on its pCPU (credit2,
 *          credit) or alone on its pCPU (null), and the cycles per
 *          context switch and per yield that switches nothing, as a
 *          ratio to $KVM_BASELINE_CYCLES where set. PART (fairness,
 *          wakeup, switch) runs one of them.
 * Prints "ok"/"FAIL" lines (test) or figures (bench); exits 0 if all
 * passed.
 */
#define TESTLIB_XC
#define TESTLIB_XG
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenctrl.h>

#include "testlib.h"

#define MEM_MB 16

static const char *guests;

/*
 * Build kernel NAME-64.elf with vcpus vCPUs and cmdline (or NULL) into a
 * new paused domain in pool; its id.
 */
static uint32_t build_with(const char *name, uint32_t pool, unsigned int vcpus,
                           const char *cmdline)
{
    struct xc_dom_image *dom = NULL;
    char path[512];
    uint32_t domid = create_pvh(vcpus, MEM_MB);

    if (!domid)
        return 0;
    snprintf(path, sizeof(path), "%s/%s-64.elf", guests, name);
    dom = build_pvh(domid, path, cmdline, NULL, vcpus, MEM_MB);
    if (!dom || !CHECK(xc_cpupool_movedomain(xch, pool, domid) == 0))
        goto fail;
    xc_dom_release(dom);
    return domid;
fail:
    xc_dom_release(dom);
    xc_domain_destroy(xch, domid);
    return 0;
}

static uint32_t build(const char *name, uint32_t pool)
{
    return build_with(name, pool, 1, NULL);
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t cpu_time(uint32_t domid)
{
    xc_dominfo_t info;

    if (xc_domain_getinfo(xch, domid, 1, &info) != 1 || info.domid != domid)
        return 0;
    return info.cpu_time;
}

/* A pool with scheduler sched_id and pCPUs 1..n from Pool-0; its id. */
static uint32_t pool_with(uint32_t sched_id, int n)
{
    uint32_t id = XC_CPUPOOL_POOLID_ANY;

    if (!CHECK(xc_cpupool_create(xch, &id, sched_id) == 0))
        return 0;
    for (int cpu = 1; cpu <= n; cpu++)
        CHECK(xc_cpupool_removecpu(xch, 0, cpu) == 0 &&
              xc_cpupool_addcpu(xch, id, cpu) == 0);
    return id;
}

/* Destroy the domains, give the pCPUs back, destroy the pool. */
static void pool_end(uint32_t id, const uint32_t *doms, int n)
{
    for (int i = 0; i < n; i++)
        if (doms[i])
            CHECK(xc_domain_destroy(xch, doms[i]) == 0);
    while (xc_cpupool_removecpu(xch, id, -1) == 0)
        ;
    while (xc_cpupool_addcpu(xch, 0, -1) == 0)
        ;
    CHECK(xc_cpupool_destroy(xch, id) == 0);
}

static int set_weight(uint32_t sched_id, uint32_t domid, uint16_t w,
                      uint16_t cap)
{
    if (sched_id == XEN_SCHEDULER_CREDIT) {
        struct xen_domctl_sched_credit c = {.weight = w, .cap = cap};

        return xc_sched_credit_domain_set(xch, domid, &c);
    }
    struct xen_domctl_sched_credit2 c2 = {.weight = w, .cap = cap};

    return xc_sched_credit2_domain_set(xch, domid, &c2);
}

/*
 * Hogs with these weights on one pCPU for secs: the largest relative
 * error of a share against its weight's.
 */
static double weight_error(uint32_t sched_id, const uint16_t *w, int n,
                           int secs)
{
    uint32_t pool = pool_with(sched_id, 1), doms[8] = {0};
    uint64_t t0[8], total = 0, wsum = 0, got[8];
    double err = 0;

    for (int i = 0; i < n; i++) {
        doms[i] = build("spinner", pool);
        CHECK(doms[i] && set_weight(sched_id, doms[i], w[i], 0) == 0);
        wsum += w[i];
    }
    for (int i = 0; i < n; i++)
        CHECK(xc_domain_unpause(xch, doms[i]) == 0);
    sleep_ms(1000);
    for (int i = 0; i < n; i++)
        t0[i] = cpu_time(doms[i]);
    sleep_ms(secs * 1000);
    for (int i = 0; i < n; i++) {
        got[i] = cpu_time(doms[i]) - t0[i];
        total += got[i];
    }
    for (int i = 0; i < n && total; i++) {
        double share = (double)got[i] / total, want = (double)w[i] / wsum;
        double e = share > want ? share / want - 1 : 1 - share / want;

        printf("    weight %u: %.1f%% of the pCPU (want %.1f%%)\n", w[i],
               share * 100, want * 100);
        err = e > err ? e : err;
    }
    pool_end(pool, doms, n);
    return total ? err : 1;
}

static void test_weights(void)
{
    static const uint16_t w[] = {256, 512};
    int f = failures;
    double err = weight_error(XEN_SCHEDULER_CREDIT2, w, 2, 10);

    CHECK(err <= 0.05, "error %.1f%%", err * 100);
    section("credit2: weights 256/512 share 1:2 within 5% over 10 s", f);
}

static void test_cap(uint32_t sched_id)
{
    uint32_t pool = pool_with(sched_id, 1), dom = build("spinner", pool);
    uint64_t t0, t1, c0, c1;
    int f = failures;

    CHECK(dom && set_weight(sched_id, dom, 256, 30) == 0);
    CHECK(xc_domain_unpause(xch, dom) == 0);
    sleep_ms(500);
    c0 = cpu_time(dom);
    t0 = monotonic_ns();
    sleep_ms(5000);
    c1 = cpu_time(dom);
    t1 = monotonic_ns();
    CHECK((double)(c1 - c0) / (t1 - t0) < 0.33, "used %.1f%%",
          100.0 * (c1 - c0) / (t1 - t0));
    pool_end(pool, &dom, 1);
    section(sched_id == XEN_SCHEDULER_CREDIT ? "credit: cap 30 holds"
                                             : "credit2: cap 30 holds",
            f);
}

/* 3 hogs on 2 pCPUs, one pinned to pCPU 2: never seen anywhere else. */
static void test_affinity(void)
{
    uint32_t pool = pool_with(XEN_SCHEDULER_CREDIT2, 2), doms[3];
    xc_cpumap_t map = xc_cpumap_alloc(xch);
    unsigned int seen = 0, elsewhere = 0;
    int f = failures;

    for (int i = 0; i < 3; i++)
        doms[i] = build("spinner", pool);
    if (CHECK(map != NULL)) {
        xc_cpumap_setcpu(2, map);
        CHECK(xc_vcpu_setaffinity(xch, doms[0], 0, map, NULL,
                                  XEN_VCPUAFFINITY_HARD) == 0);
    }
    for (int i = 0; i < 3; i++)
        CHECK(xc_domain_unpause(xch, doms[i]) == 0);
    for (int i = 0; i < 300; i++) {
        xc_vcpuinfo_t vi;

        if (xc_vcpu_getinfo(xch, doms[0], 0, &vi) == 0 && vi.running) {
            seen++;
            elsewhere += vi.cpu != 2;
        }
        sleep_ms(10);
    }
    CHECK(seen > 0 && !elsewhere, "running %u times, %u not on pCPU 2", seen,
          elsewhere);
    free(map);
    pool_end(pool, doms, 3);
    section("credit2: hard affinity is never violated", f);
}

/* null: 2 hogs, 1 pCPU: the second waits until the first is gone. */
static void test_null(void)
{
    uint32_t pool = pool_with(XEN_SCHEDULER_NULL, 1), doms[2];
    uint64_t a, b;
    int f = failures;

    for (int i = 0; i < 2; i++) {
        doms[i] = build("spinner", pool);
        CHECK(doms[i] && xc_domain_unpause(xch, doms[i]) == 0);
    }
    sleep_ms(1000);
    a = cpu_time(doms[0]);
    b = cpu_time(doms[1]);
    CHECK(a > 0 && b == 0, "cpu times %llu and %llu", (unsigned long long)a,
          (unsigned long long)b);
    CHECK(xc_domain_destroy(xch, doms[0]) == 0);
    doms[0] = 0;
    sleep_ms(500);
    CHECK(cpu_time(doms[1]) > 0);
    pool_end(pool, doms, 2);
    section("null: no overcommit, the extra vCPU waits for a pCPU", f);
}

/* A running domain moved back and forth keeps running. */
static void test_moves(void)
{
    uint32_t pool = pool_with(XEN_SCHEDULER_CREDIT, 1);
    uint32_t dom = build("spinner", pool);
    int f = failures;

    CHECK(dom && xc_domain_unpause(xch, dom) == 0);
    for (int i = 0; i < 6; i++) {
        uint32_t to = i % 2 ? pool : 0;
        uint64_t c = cpu_time(dom);
        xc_dominfo_t info;

        CHECK(xc_cpupool_movedomain(xch, to, dom) == 0);
        CHECK(xc_domain_getinfo(xch, dom, 1, &info) == 1 && info.cpupool == to);
        sleep_ms(200);
        CHECK(cpu_time(dom) > c, "move %d to pool %u: not running", i, to);
    }
    pool_end(pool, &dom, 1);
    section("cpupool moves keep a domain running", f);
}

/* Bench: the sleeper's latency among `hogs` hogs in a pool of pcpus. */
static void bench_wakeup(uint32_t sched_id, const char *name, int pcpus,
                         int hogs)
{
    uint32_t pool = pool_with(sched_id, pcpus), doms[8] = {0};
    char needle[64];
    const char *line;

    for (int i = 0; i < hogs; i++) {
        doms[i] = build("spinner", pool);
        xc_domain_unpause(xch, doms[i]);
    }
    doms[hogs] = build("sleeper", pool);
    snprintf(needle, sizeof(needle), "(d%u) wake-up latency", doms[hogs]);
    xc_domain_unpause(xch, doms[hogs]);
    if (console_wait(needle, 120) && (line = strstr(con.text, needle)))
        printf("wake-up latency, %s, %d hogs on %d pCPU(s): %.*s\n", name, hogs,
               pcpus, (int)strcspn(line + strlen(needle), "\n"),
               line + strlen(needle));
    else
        printf("wake-up latency, %s: no result\n", name);
    pool_end(pool, doms, hogs + 1);
}

/*
 * One run of bench_switch in a pool of one pCPU: 2 vCPUs yielding to
 * each other, or one alone (solo). The cycles it reports per switch or
 * per yield (0: no result); *switched gets its "S of Y" line.
 */
static unsigned long switch_run(uint32_t sched_id, bool solo, char *switched,
                                size_t len)
{
    uint32_t pool = pool_with(sched_id, 1);
    uint32_t dom =
        build_with("bench_switch", pool, solo ? 1 : 2, solo ? "solo" : NULL);
    unsigned long cycles = 0;
    char needle[64];
    const char *line;

    snprintf(needle, sizeof(needle), "(d%u) cycles-per-", dom);
    if (dom && xc_domain_unpause(xch, dom) == 0 && console_wait(needle, 60) &&
        (line = strstr(con.text, needle))) {
        line += strlen(needle);
        sscanf(line, "%*[a-z] %lu", &cycles);
        snprintf(switched, len, "%.*s", (int)strcspn(line, "\n"), line);
    }
    pool_end(pool, &dom, 1);
    return cycles;
}

static int cmp_ulong(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

    return x < y ? -1 : x > y;
}

/*
 * Median of 3 runs of switch_run, printed with its ratio to the raw KVM
 * I/O-exit round trip (base cycles; 0: unknown).
 */
static void switch_bench(uint32_t sched_id, const char *name, bool solo,
                         unsigned long base)
{
    unsigned long c[3];
    char what[3][128];

    for (int i = 0; i < 3; i++)
        c[i] = switch_run(sched_id, solo, what[i], sizeof(what[i]));
    for (int i = 0; i < 3; i++)
        printf("    %s: %s%s\n", name, c[i] ? "cycles-per-" : "",
               c[i] ? what[i] : "no result");
    qsort(c, 3, sizeof(*c), cmp_ulong);
    printf("  %s, %s: %lu cycles", name,
           solo ? "yield, no switch" : "per switch", c[1]);
    if (base && c[1])
        printf(", ratio %.2f", (double)c[1] / base);
    printf("\n");
}

/* part: "fairness", "wakeup", "switch", or NULL for all. */
static void bench(const char *part)
{
    static const uint16_t w[] = {128, 256, 512};

    if (!part || !strcmp(part, "fairness")) {
        printf("fairness, weights 1:2:4, one pCPU, 10 s:\n");
        printf("  credit2: largest error %.1f%%\n",
               100 * weight_error(XEN_SCHEDULER_CREDIT2, w, 3, 10));
        printf("  credit: largest error %.1f%%\n",
               100 * weight_error(XEN_SCHEDULER_CREDIT, w, 3, 10));
    }
    if (!part || !strcmp(part, "wakeup")) {
        bench_wakeup(XEN_SCHEDULER_CREDIT2, "credit2", 1, 4);
        bench_wakeup(XEN_SCHEDULER_CREDIT, "credit", 1, 4);
        /* null has no overcommit: the sleeper gets a pCPU of its own. */
        bench_wakeup(XEN_SCHEDULER_NULL, "null", 2, 1);
    }
    if (!part || !strcmp(part, "switch")) {
        const char *b = getenv("KVM_BASELINE_CYCLES");
        unsigned long base = b ? strtoul(b, NULL, 10) : 0;

        printf("context switch (SCHEDOP_yield ping-pong, 2 vCPUs on one "
               "pCPU; median of 3):\n");
        switch_bench(XEN_SCHEDULER_CREDIT2, "credit2", false, base);
        switch_bench(XEN_SCHEDULER_CREDIT2, "credit2", true, base);
        switch_bench(XEN_SCHEDULER_CREDIT, "credit", false, base);
        switch_bench(XEN_SCHEDULER_CREDIT, "credit", true, base);
        /* null never puts two vCPUs on one pCPU: a yield only. */
        switch_bench(XEN_SCHEDULER_NULL, "null", true, base);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s GUESTS-DIR test|bench [PART]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    guests = argv[1];
    xch = xc_interface_open(NULL, NULL, 0);
    if (!CHECK(xch != NULL))
        return 1;
    if (!strcmp(argv[2], "bench")) {
        bench(argv[3]);
    } else {
        test_weights();
        test_cap(XEN_SCHEDULER_CREDIT2);
        test_cap(XEN_SCHEDULER_CREDIT);
        test_affinity();
        test_null();
        test_moves();
    }
    xc_interface_close(xch);
    return failures ? 1 : 0;
}
