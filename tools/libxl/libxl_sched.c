/*
 * Scheduler parameters: per domain (weight, cap) and per cpupool
 * (credit's time slice, rate limit and migration delay; credit2's rate
 * limit). A domain's parameters belong to its pool's scheduler.
 */
#include <errno.h>

#include "libxl_internal.h"

/* The scheduler of @domid's cpupool, or an error (logged). */
static int domain_scheduler(libxl_ctx *ctx, uint32_t domid)
{
    xc_domaininfo_t info;
    xc_cpupoolinfo_t *pool;
    int rc;

    rc = libxl__need_xc(ctx);
    if (!rc)
        rc = libxl__domain_getinfo(ctx, domid, &info);
    if (rc == ERROR_DOMAIN_NOTFOUND)
        LOGD(ERROR, domid, "no such domain");
    if (rc)
        return rc;
    pool = xc_cpupool_getinfo(ctx->xch, info.cpupool);
    if (!pool || pool->cpupool_id != info.cpupool) {
        LOGED(ERROR, domid, "getting the scheduler of cpupool %" PRIu32,
              info.cpupool);
        xc_cpupool_infofree(ctx->xch, pool);
        return ERROR_FAIL;
    }
    rc = pool->sched_id;
    xc_cpupool_infofree(ctx->xch, pool);
    return rc;
}

/* Number of vCPUs the domain may have, for the cap's bound. */
static int domain_max_vcpus(libxl_ctx *ctx, uint32_t domid, int *nr)
{
    xc_domaininfo_t info;
    int rc = libxl__domain_getinfo(ctx, domid, &info);

    if (rc)
        return rc;
    *nr =
        info.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID ? 0 : info.max_vcpu_id + 1;
    return 0;
}

/*
 * Check the values the caller set (the rest keep what the hypervisor
 * has): the weight is 1-65535, the cap 0 (none) to 100 per vCPU.
 */
static int check_weight_cap(libxl_ctx *ctx, uint32_t domid,
                            const libxl_domain_sched_params *scinfo,
                            uint16_t *weight, uint16_t *cap)
{
    int nr_vcpus, rc;

    if (scinfo->weight != LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT) {
        if (scinfo->weight < 1 || scinfo->weight > 65535) {
            LOGD(ERROR, domid,
                 "Cpu weight out of range, valid values are within range "
                 "from 1 to 65535");
            return ERROR_INVAL;
        }
        *weight = scinfo->weight;
    }
    if (scinfo->cap != LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT) {
        rc = domain_max_vcpus(ctx, domid, &nr_vcpus);
        if (rc)
            return rc;
        if (scinfo->cap < 0 || scinfo->cap > nr_vcpus * 100) {
            LOGD(ERROR, domid,
                 "Cpu cap out of range, valid range is from 0 to %d for "
                 "specified number of vcpus",
                 nr_vcpus * 100);
            return ERROR_INVAL;
        }
        *cap = scinfo->cap;
    }
    return 0;
}

/* The parameters the pool's scheduler does not have stay at "default". */
static int credit_get(libxl_ctx *ctx, uint32_t domid,
                      libxl_domain_sched_params *scinfo)
{
    struct xen_domctl_sched_credit sdom = {0};

    if (xc_sched_credit_domain_get(ctx->xch, domid, &sdom)) {
        LOGED(ERROR, domid, "getting domain sched credit");
        return ERROR_FAIL;
    }
    scinfo->weight = sdom.weight;
    scinfo->cap = sdom.cap;
    return 0;
}

static int credit2_get(libxl_ctx *ctx, uint32_t domid,
                       libxl_domain_sched_params *scinfo)
{
    struct xen_domctl_sched_credit2 sdom = {0};

    if (xc_sched_credit2_domain_get(ctx->xch, domid, &sdom)) {
        LOGED(ERROR, domid, "getting domain sched credit2");
        return ERROR_FAIL;
    }
    scinfo->weight = sdom.weight;
    scinfo->cap = sdom.cap;
    return 0;
}

XENTOOLS_EXPORT int
libxl_domain_sched_params_get(libxl_ctx *ctx, uint32_t domid,
                              libxl_domain_sched_params *scinfo)
{
    int sched = domain_scheduler(ctx, domid);

    if (sched < 0)
        return sched;
    libxl_domain_sched_params_init(scinfo);
    scinfo->sched = sched;
    switch (sched) {
    case LIBXL_SCHEDULER_CREDIT:
        return credit_get(ctx, domid, scinfo);
    case LIBXL_SCHEDULER_CREDIT2:
        return credit2_get(ctx, domid, scinfo);
    case LIBXL_SCHEDULER_NULL:
        return 0; /* no per-domain parameters */
    default:
        LOGD(ERROR, domid, "Unknown scheduler");
        return ERROR_INVAL;
    }
}

static int credit_set(libxl_ctx *ctx, uint32_t domid,
                      const libxl_domain_sched_params *scinfo)
{
    struct xen_domctl_sched_credit sdom = {0};
    int rc;

    if (xc_sched_credit_domain_get(ctx->xch, domid, &sdom)) {
        LOGED(ERROR, domid, "getting domain sched credit");
        return ERROR_FAIL;
    }
    rc = check_weight_cap(ctx, domid, scinfo, &sdom.weight, &sdom.cap);
    if (rc)
        return rc;
    if (xc_sched_credit_domain_set(ctx->xch, domid, &sdom)) {
        LOGED(ERROR, domid, "setting domain sched credit");
        return ERROR_FAIL;
    }
    return 0;
}

static int credit2_set(libxl_ctx *ctx, uint32_t domid,
                       const libxl_domain_sched_params *scinfo)
{
    struct xen_domctl_sched_credit2 sdom = {0};
    int rc;

    if (xc_sched_credit2_domain_get(ctx->xch, domid, &sdom)) {
        LOGED(ERROR, domid, "getting domain sched credit2");
        return ERROR_FAIL;
    }
    rc = check_weight_cap(ctx, domid, scinfo, &sdom.weight, &sdom.cap);
    if (rc)
        return rc;
    if (xc_sched_credit2_domain_set(ctx->xch, domid, &sdom)) {
        LOGED(ERROR, domid, "setting domain sched credit2");
        return ERROR_FAIL;
    }
    return 0;
}

XENTOOLS_EXPORT int
libxl_domain_sched_params_set(libxl_ctx *ctx, uint32_t domid,
                              const libxl_domain_sched_params *scinfo)
{
    int sched = domain_scheduler(ctx, domid);

    if (sched < 0)
        return sched;
    /* Parameters for another scheduler than the pool's are refused. */
    if (scinfo->sched != LIBXL_SCHEDULER_UNKNOWN &&
        (int)scinfo->sched != sched) {
        LOGD(ERROR, domid, "the domain's cpupool runs the %s scheduler, not %s",
             libxl_scheduler_to_string(sched) ?: "unknown",
             libxl_scheduler_to_string(scinfo->sched) ?: "unknown");
        return ERROR_INVAL;
    }
    switch (sched) {
    case LIBXL_SCHEDULER_CREDIT:
        return credit_set(ctx, domid, scinfo);
    case LIBXL_SCHEDULER_CREDIT2:
        return credit2_set(ctx, domid, scinfo);
    case LIBXL_SCHEDULER_NULL:
        if (scinfo->weight == LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT &&
            scinfo->cap == LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT)
            return 0;
        LOGD(ERROR, domid, "the null scheduler has no weight or cap");
        return ERROR_INVAL;
    default:
        LOGD(ERROR, domid, "Unknown scheduler");
        return ERROR_INVAL;
    }
}

/* ---- Per cpupool ---- */

static int ratelimit_check(libxl_ctx *ctx, int ratelimit_us)
{
    /* 0 turns rate limiting off. */
    if (ratelimit_us && (ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN ||
                         ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX)) {
        LOG(ERROR, "Ratelimit out of range, valid range is from %d to %d",
            XEN_SYSCTL_SCHED_RATELIMIT_MIN, XEN_SYSCTL_SCHED_RATELIMIT_MAX);
        return ERROR_INVAL;
    }
    return 0;
}

XENTOOLS_EXPORT int
libxl_sched_credit_params_get(libxl_ctx *ctx, uint32_t poolid,
                              libxl_sched_credit_params *scinfo)
{
    struct xen_sysctl_credit_schedule s = {0};

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_sched_credit_params_get(ctx->xch, poolid, &s)) {
        LOGE(ERROR, "getting sched credit param of cpupool %" PRIu32, poolid);
        return ERROR_FAIL;
    }
    scinfo->tslice_ms = s.tslice_ms;
    scinfo->ratelimit_us = s.ratelimit_us;
    scinfo->vcpu_migr_delay_us = s.vcpu_migr_delay_us;
    return 0;
}

XENTOOLS_EXPORT int
libxl_sched_credit_params_set(libxl_ctx *ctx, uint32_t poolid,
                              libxl_sched_credit_params *scinfo)
{
    struct xen_sysctl_credit_schedule s = {0};
    int rc;

    if (scinfo->tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN ||
        scinfo->tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX) {
        LOG(ERROR, "Time slice out of range, valid range is from %d to %d",
            XEN_SYSCTL_CSCHED_TSLICE_MIN, XEN_SYSCTL_CSCHED_TSLICE_MAX);
        return ERROR_INVAL;
    }
    rc = ratelimit_check(ctx, scinfo->ratelimit_us);
    if (rc)
        return rc;
    if (scinfo->ratelimit_us > scinfo->tslice_ms * 1000) {
        LOG(ERROR, "Ratelimit cannot be greater than timeslice");
        return ERROR_INVAL;
    }
    if (scinfo->vcpu_migr_delay_us < 0 ||
        scinfo->vcpu_migr_delay_us > XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US) {
        LOG(ERROR, "vcpu migration delay should be >= 0 and <= %dus",
            XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US);
        return ERROR_INVAL;
    }
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    s.tslice_ms = scinfo->tslice_ms;
    s.ratelimit_us = scinfo->ratelimit_us;
    s.vcpu_migr_delay_us = scinfo->vcpu_migr_delay_us;
    if (xc_sched_credit_params_set(ctx->xch, poolid, &s)) {
        LOGE(ERROR, "setting sched credit param of cpupool %" PRIu32, poolid);
        return ERROR_FAIL;
    }
    scinfo->tslice_ms = s.tslice_ms;
    scinfo->ratelimit_us = s.ratelimit_us;
    scinfo->vcpu_migr_delay_us = s.vcpu_migr_delay_us;
    return 0;
}

XENTOOLS_EXPORT int
libxl_sched_credit2_params_get(libxl_ctx *ctx, uint32_t poolid,
                               libxl_sched_credit2_params *scinfo)
{
    struct xen_sysctl_credit2_schedule s = {0};

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_sched_credit2_params_get(ctx->xch, poolid, &s)) {
        LOGE(ERROR, "getting sched credit2 param of cpupool %" PRIu32, poolid);
        return ERROR_FAIL;
    }
    scinfo->ratelimit_us = s.ratelimit_us;
    return 0;
}

XENTOOLS_EXPORT int
libxl_sched_credit2_params_set(libxl_ctx *ctx, uint32_t poolid,
                               libxl_sched_credit2_params *scinfo)
{
    struct xen_sysctl_credit2_schedule s = {0};
    int rc = ratelimit_check(ctx, scinfo->ratelimit_us);

    if (rc)
        return rc;
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    s.ratelimit_us = scinfo->ratelimit_us;
    if (xc_sched_credit2_params_set(ctx->xch, poolid, &s)) {
        LOGE(ERROR, "setting sched credit2 param of cpupool %" PRIu32, poolid);
        return ERROR_FAIL;
    }
    scinfo->ratelimit_us = s.ratelimit_us;
    return 0;
}
