/*
 * The scheduler and cpupool calls of libxenctrl against a live xen
 * (libxc-sched.sh starts one with 2 pCPUs, sched=credit2): Pool-0 and
 * domain 0's parameters, per-pool parameters, and a second pool made
 * from a pCPU of Pool-0 and given back. None of it needs a guest; with
 * "kvm" as argument a domain is also created in, and moved between,
 * pools.
 *
 * Prints "ok"/"FAIL" lines; exits 0 if all passed.
 */
#define TESTLIB_XC
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#include "testlib.h"

/* Pool @id's pCPUs as a bit mask, or ~0 if it has no info. */
static unsigned int pool_cpus(uint32_t id, uint32_t *n_dom, uint32_t *sched)
{
    xc_cpupoolinfo_t *info = xc_cpupool_getinfo(xch, id);
    unsigned int mask = 0;

    if (!info || info->cpupool_id != id) {
        xc_cpupool_infofree(xch, info);
        return ~0U;
    }
    for (int cpu = 0; cpu < xc_get_max_cpus(xch); cpu++)
        if (xc_cpumap_testcpu(cpu, info->cpumap))
            mask |= 1U << cpu;
    if (n_dom)
        *n_dom = info->n_dom;
    if (sched)
        *sched = info->sched_id;
    xc_cpupool_infofree(xch, info);
    return mask;
}

static void domain0_params(void)
{
    int f = failures, sched = -1;
    struct xen_domctl_sched_credit2 c2 = {0};
    struct xen_domctl_sched_credit c1 = {0};
    xc_dominfo_t info;

    CHECK(xc_sched_id(xch, &sched) == 0 && sched == XEN_SCHEDULER_CREDIT2,
          "sched %d", sched);
    CHECK(xc_sched_credit2_domain_get(xch, 0, &c2) == 0);
    CHECK(c2.weight == 256 && c2.cap == 0, "weight %u cap %u", c2.weight,
          c2.cap);
    c2.weight = 512;
    CHECK(xc_sched_credit2_domain_set(xch, 0, &c2) == 0);
    c2.weight = 0;
    CHECK(xc_sched_credit2_domain_get(xch, 0, &c2) == 0 && c2.weight == 512);
    /* Weight 0 leaves it; the cap is at most 100 per vCPU. */
    CHECK(xc_domain_getinfo(xch, 0, 1, &info) == 1);
    c2.weight = 0;
    c2.cap = 100 * (info.max_vcpu_id + 1) + 1;
    CHECK_ERR(xc_sched_credit2_domain_set(xch, 0, &c2), EINVAL);
    c2.cap = 50;
    CHECK(xc_sched_credit2_domain_set(xch, 0, &c2) == 0);
    CHECK(xc_sched_credit2_domain_get(xch, 0, &c2) == 0 && c2.weight == 512 &&
              c2.cap == 50,
          "weight %u cap %u", c2.weight, c2.cap);
    c2.cap = 0;
    c2.weight = 256;
    CHECK(xc_sched_credit2_domain_set(xch, 0, &c2) == 0);
    /* Not the pool's scheduler. */
    CHECK_ERR(xc_sched_credit_domain_get(xch, 0, &c1), EINVAL);
    CHECK_ERR(xc_sched_credit2_domain_get(xch, 999, &c2), ESRCH);
    section("domain 0 under credit2: weight and cap", f);
}

static void pool0_params(void)
{
    struct xen_sysctl_credit2_schedule p = {0};
    struct xen_sysctl_credit_schedule c = {0};
    int f = failures;

    CHECK(xc_sched_credit2_params_get(xch, 0, &p) == 0 &&
              p.ratelimit_us == 1000,
          "ratelimit %u", p.ratelimit_us);
    p.ratelimit_us = XEN_SYSCTL_SCHED_RATELIMIT_MIN - 1;
    CHECK_ERR(xc_sched_credit2_params_set(xch, 0, &p), EINVAL);
    p.ratelimit_us = 5000;
    CHECK(xc_sched_credit2_params_set(xch, 0, &p) == 0);
    p.ratelimit_us = 0;
    CHECK(xc_sched_credit2_params_get(xch, 0, &p) == 0 &&
          p.ratelimit_us == 5000);
    p.ratelimit_us = 1000;
    CHECK(xc_sched_credit2_params_set(xch, 0, &p) == 0);
    CHECK_ERR(xc_sched_credit_params_get(xch, 0, &c), EINVAL);
    CHECK_ERR(xc_sched_credit2_params_get(xch, 42, &p), ESRCH);
    section("Pool-0 credit2 parameters", f);
}

static void second_pool(void)
{
    struct xen_sysctl_credit_schedule c = {0};
    uint32_t id = XC_CPUPOOL_POOLID_ANY, n_dom = 9, sched = 0, id2 = 1;
    xc_cpumap_t free_map;
    int f = failures;

    CHECK(pool_cpus(0, &n_dom, &sched) == 3 && n_dom == 1 &&
              sched == XEN_SCHEDULER_CREDIT2,
          "Pool-0: %u domains, sched %u", n_dom, sched);
    CHECK_ERR(xc_cpupool_create(xch, &id, 77), ENOENT);
    CHECK(xc_cpupool_create(xch, &id, XEN_SCHEDULER_CREDIT) == 0 && id == 1,
          "id %u", id);
    CHECK_ERR(xc_cpupool_create(xch, &id2, XEN_SCHEDULER_NULL), EEXIST);
    CHECK(pool_cpus(1, &n_dom, &sched) == 0 && n_dom == 0 &&
              sched == XEN_SCHEDULER_CREDIT,
          "pool 1: %u domains, sched %u", n_dom, sched);
    /* pCPU 1 from Pool-0 to pool 1; pCPU 0 stays in Pool-0. */
    CHECK_ERR(xc_cpupool_addcpu(xch, 1, 1), ENODEV);
    CHECK_ERR(xc_cpupool_removecpu(xch, 0, 0), EINVAL);
    CHECK(xc_cpupool_removecpu(xch, 0, 1) == 0);
    free_map = xc_cpupool_freeinfo(xch);
    CHECK(free_map && xc_cpumap_testcpu(1, free_map) &&
          !xc_cpumap_testcpu(0, free_map));
    free(free_map);
    CHECK(xc_cpupool_addcpu(xch, 1, -1) == 0);
    CHECK(pool_cpus(0, NULL, NULL) == 1 && pool_cpus(1, NULL, NULL) == 2);
    CHECK_ERR(xc_cpupool_removecpu(xch, 1, 0), EADDRNOTAVAIL);
    CHECK(xc_sched_credit_params_get(xch, 1, &c) == 0 && c.tslice_ms == 30 &&
              c.ratelimit_us == 1000,
          "tslice %u ratelimit %u", c.tslice_ms, c.ratelimit_us);
    c.tslice_ms = 0;
    CHECK_ERR(xc_sched_credit_params_set(xch, 1, &c), EINVAL);
    c.tslice_ms = 10;
    c.ratelimit_us = 20000; /* longer than the slice */
    CHECK_ERR(xc_sched_credit_params_set(xch, 1, &c), EINVAL);
    c.ratelimit_us = 500;
    CHECK(xc_sched_credit_params_set(xch, 1, &c) == 0);
    CHECK(xc_sched_credit_params_get(xch, 1, &c) == 0 && c.tslice_ms == 10 &&
          c.ratelimit_us == 500);
    /* Domain 0 is the caller: Xen will not move it. */
    CHECK_ERR(xc_cpupool_movedomain(xch, 1, 0), EPERM);
    CHECK_ERR(xc_cpupool_movedomain(xch, 1, 999), ESRCH);
    CHECK_ERR(xc_cpupool_destroy(xch, 1), EBUSY);
    CHECK(xc_cpupool_removecpu(xch, 1, -1) == 0);
    CHECK(xc_cpupool_destroy(xch, 1) == 0);
    CHECK_ERR(xc_cpupool_destroy(xch, 1), ENOENT);
    CHECK(xc_cpupool_addcpu(xch, 0, 1) == 0);
    CHECK(pool_cpus(0, NULL, NULL) == 3);
    errno = 0;
    CHECK(xc_cpupool_getinfo(xch, 2) == NULL && errno == ENOENT);
    section("a second pool from a pCPU of Pool-0, and back", f);
}

/* With KVM: a domain created in pool 1 and moved to Pool-0. */
static void domain_in_pool(void)
{
    struct xen_domctl_createdomain config = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = 1,
        .max_evtchn_port = 1023,
        .max_grant_frames = -1,
        .max_maptrack_frames = -1,
        .grant_opts = XEN_DOMCTL_GRANT_version(1),
        .arch = {.emulation_flags = XEN_X86_EMU_LAPIC},
        .cpupool_id = 1,
    };
    uint32_t id = 1, domid = 0, n_dom = 0;
    xc_dominfo_t info;
    int f = failures;

    CHECK_ERR(xc_domain_create(xch, &domid, &config), ESRCH);
    CHECK(xc_cpupool_create(xch, &id, XEN_SCHEDULER_NULL) == 0);
    CHECK_ERR(xc_domain_create(xch, &domid, &config), ENODEV);
    CHECK(xc_cpupool_removecpu(xch, 0, 1) == 0 &&
          xc_cpupool_addcpu(xch, 1, 1) == 0);
    domid = 0;
    CHECK(xc_domain_create(xch, &domid, &config) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.cpupool == 1,
          "cpupool %u", info.cpupool);
    CHECK(pool_cpus(1, &n_dom, NULL) == 2 && n_dom == 1);
    CHECK_ERR(xc_cpupool_removecpu(xch, 1, 1), EBUSY);
    CHECK(xc_cpupool_movedomain(xch, 0, domid) == 0);
    CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.cpupool == 0);
    CHECK(xc_domain_destroy(xch, domid) == 0);
    CHECK(xc_cpupool_removecpu(xch, 1, 1) == 0 &&
          xc_cpupool_destroy(xch, 1) == 0 && xc_cpupool_addcpu(xch, 0, 1) == 0);
    section("a domain created in a pool and moved out", f);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    xch = xc_interface_open(NULL, NULL, 0);
    if (!CHECK(xch != NULL))
        return 1;
    domain0_params();
    pool0_params();
    second_pool();
    if (argc > 1 && !strcmp(argv[1], "kvm"))
        domain_in_pool();
    xc_interface_close(xch);
    return failures ? 1 : 0;
}
