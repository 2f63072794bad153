/*
 * xl: sched-credit and sched-credit2, the parameters of domains (weight,
 * cap) and of cpupools (time slice, rate limit, migration delay), with
 * Xen's options, messages and output layout.
 */
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"

static int sched_domain_get(libxl_scheduler sched, uint32_t domid,
                            libxl_domain_sched_params *scinfo)
{
    if (libxl_domain_sched_params_get(ctx, domid, scinfo)) {
        fprintf(stderr, "libxl_domain_sched_params_get failed.\n");
        return 1;
    }
    if (scinfo->sched != sched) {
        fprintf(stderr, "libxl_domain_sched_params_get returned %s not %s.\n",
                libxl_scheduler_to_string(scinfo->sched),
                libxl_scheduler_to_string(sched));
        return 1;
    }
    return 0;
}

/*
 * One domain's line, or the header when @domid is -1. credit and
 * credit2 have the same columns.
 */
static int weight_cap_output(libxl_scheduler sched, int domid)
{
    libxl_domain_sched_params scinfo;
    char *domname;
    int rc;

    if (domid < 0) {
        printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
        return 0;
    }
    libxl_domain_sched_params_init(&scinfo);
    rc = sched_domain_get(sched, domid, &scinfo);
    if (!rc) {
        domname = libxl_domid_to_name(ctx, domid);
        printf("%-33s %4d %6d %4d\n", domname ?: "-", domid, scinfo.weight,
               scinfo.cap);
        free(domname);
    }
    libxl_domain_sched_params_dispose(&scinfo);
    return rc;
}

static int credit_domain_output(int domid)
{
    return weight_cap_output(LIBXL_SCHEDULER_CREDIT, domid);
}

static int credit2_domain_output(int domid)
{
    return weight_cap_output(LIBXL_SCHEDULER_CREDIT2, domid);
}

static int credit_pool_output(uint32_t poolid)
{
    libxl_sched_credit_params scparam;
    char *poolname = libxl_cpupoolid_to_name(ctx, poolid);

    if (libxl_sched_credit_params_get(ctx, poolid, &scparam))
        printf("Cpupool %s: [sched params unavailable]\n", poolname);
    else
        printf("Cpupool %s: tslice=%dms ratelimit=%dus migration-delay=%dus\n",
               poolname, scparam.tslice_ms, scparam.ratelimit_us,
               scparam.vcpu_migr_delay_us);
    free(poolname);
    return 0;
}

static int credit2_pool_output(uint32_t poolid)
{
    libxl_sched_credit2_params scparam;
    char *poolname = libxl_cpupoolid_to_name(ctx, poolid);

    if (libxl_sched_credit2_params_get(ctx, poolid, &scparam))
        printf("Cpupool %s: [sched params unavailable]\n", poolname);
    else
        printf("Cpupool %s: ratelimit=%dus\n", poolname, scparam.ratelimit_us);
    free(poolname);
    return 0;
}

/*
 * Every pool running @sched (or only @cpupool): its parameters, then
 * its domains.
 */
static int sched_domain_output(libxl_scheduler sched, int (*output)(int),
                               int (*pooloutput)(uint32_t), const char *cpupool)
{
    libxl_cpupoolinfo *poolinfo;
    libxl_dominfo *info;
    uint32_t poolid = 0;
    int nb_domain, n_pools, rc = 0;

    if (cpupool && find_cpupool(cpupool, &poolid))
        return 1;
    info = libxl_list_domain(ctx, &nb_domain);
    if (!info) {
        fprintf(stderr, "libxl_list_domain failed.\n");
        return 1;
    }
    poolinfo = libxl_list_cpupool(ctx, &n_pools);
    if (!poolinfo) {
        fprintf(stderr, "error getting cpupool info\n");
        libxl_dominfo_list_free(info, nb_domain);
        return 1;
    }
    for (int p = 0; !rc && p < n_pools; p++) {
        if (poolinfo[p].sched != sched ||
            (cpupool && poolid != poolinfo[p].poolid))
            continue;
        pooloutput(poolinfo[p].poolid);
        output(-1);
        for (int i = 0; !rc && i < nb_domain; i++)
            if (info[i].cpupool == poolinfo[p].poolid)
                rc = output(info[i].domid);
    }
    libxl_cpupoolinfo_list_free(poolinfo, n_pools);
    libxl_dominfo_list_free(info, nb_domain);
    return rc;
}

/* What the options ask of either credit scheduler. */
struct sched_opts {
    const char *dom, *cpupool;
    int weight, cap, tslice, ratelimit, migr_delay;
    bool opt_w, opt_c, opt_s, opt_t, opt_r, opt_m;
};

/* One scheduler's outputs and its pool parameters' setter. */
struct sched_cmd {
    libxl_scheduler sched;
    int (*domain_output)(int domid);
    int (*pool_output)(uint32_t poolid);
    int (*pool_set)(uint32_t poolid, const struct sched_opts *o);
};

static int credit_pool_set(uint32_t poolid, const struct sched_opts *o)
{
    libxl_sched_credit_params scparam;

    /* Only what was given changes. */
    if (libxl_sched_credit_params_get(ctx, poolid, &scparam)) {
        fprintf(stderr, "libxl_sched_credit_params_get failed.\n");
        return 1;
    }
    if (o->opt_t)
        scparam.tslice_ms = o->tslice;
    if (o->opt_r)
        scparam.ratelimit_us = o->ratelimit;
    if (o->opt_m)
        scparam.vcpu_migr_delay_us = o->migr_delay;
    if (libxl_sched_credit_params_set(ctx, poolid, &scparam)) {
        fprintf(stderr, "libxl_sched_credit_params_set failed.\n");
        return 1;
    }
    return 0;
}

static int credit2_pool_set(uint32_t poolid, const struct sched_opts *o)
{
    libxl_sched_credit2_params scparam = {.ratelimit_us = o->ratelimit};

    if (libxl_sched_credit2_params_set(ctx, poolid, &scparam)) {
        fprintf(stderr, "libxl_sched_credit2_params_set failed.\n");
        return 1;
    }
    return 0;
}

/* -d DOMAIN with or without -w/-c: show or set one domain. */
static int domain_opts(const struct sched_cmd *cmd, const struct sched_opts *o)
{
    libxl_domain_sched_params scinfo;
    uint32_t domid = find_domain(o->dom);
    int rc;

    if (!o->opt_w && !o->opt_c) {
        cmd->domain_output(-1);
        return cmd->domain_output(domid);
    }
    libxl_domain_sched_params_init(&scinfo);
    scinfo.sched = cmd->sched;
    if (o->opt_w)
        scinfo.weight = o->weight;
    if (o->opt_c)
        scinfo.cap = o->cap;
    rc = libxl_domain_sched_params_set(ctx, domid, &scinfo);
    if (rc)
        fprintf(stderr, "libxl_domain_sched_params_set failed.\n");
    libxl_domain_sched_params_dispose(&scinfo);
    return rc ? 1 : 0;
}

/* After the options: check them, then act on a domain, the pools or one. */
static int sched_run(const struct sched_cmd *cmd, const struct sched_opts *o)
{
    uint32_t poolid = 0;

    if ((o->cpupool || o->opt_s) && (o->dom || o->opt_w || o->opt_c)) {
        fprintf(stderr, "Specifying a cpupool or schedparam is not "
                        "allowed with domain options.\n");
        return EXIT_FAILURE;
    }
    if (!o->dom && (o->opt_w || o->opt_c)) {
        fprintf(stderr, "Must specify a domain.\n");
        return EXIT_FAILURE;
    }
    if (!o->opt_s && (o->opt_t || o->opt_r || o->opt_m)) {
        fprintf(stderr, "Must specify schedparam to set schedule "
                        "parameter values.\n");
        return EXIT_FAILURE;
    }
    if (o->dom)
        return domain_opts(cmd, o) ? EXIT_FAILURE : EXIT_SUCCESS;
    if (!o->opt_s)
        return sched_domain_output(cmd->sched, cmd->domain_output,
                                   cmd->pool_output, o->cpupool)
                   ? EXIT_FAILURE
                   : EXIT_SUCCESS;
    if (o->cpupool && find_cpupool(o->cpupool, &poolid))
        return EXIT_FAILURE;
    if (!o->opt_t && !o->opt_r && !o->opt_m)
        return cmd->pool_output(poolid) ? EXIT_FAILURE : EXIT_SUCCESS;
    return cmd->pool_set(poolid, o) ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int parse_int(const char *s, const char *what, int *v)
{
    char *end;
    long l = strtol(s, &end, 10);

    if (end == s || *end || l < INT32_MIN || l > INT32_MAX) {
        fprintf(stderr, "Invalid %s '%s'.\n", what, s);
        return 1;
    }
    *v = l;
    return 0;
}

/* The options both commands share; 1 after a message for a bad number. */
static int common_opt(int opt, struct sched_opts *o)
{
    switch (opt) {
    case 'd':
        o->dom = optarg;
        return 0;
    case 'w':
        o->opt_w = true;
        return parse_int(optarg, "weight", &o->weight);
    case 'c':
        o->opt_c = true;
        return parse_int(optarg, "cap", &o->cap);
    case 'r':
        o->opt_r = true;
        return parse_int(optarg, "rate limit", &o->ratelimit);
    case 's':
        o->opt_s = true;
        return 0;
    case 'p':
        o->cpupool = optarg;
        return 0;
    }
    return 0;
}

int main_sched_credit(int argc, char **argv)
{
    static const struct option opts[] = {{"domain", 1, 0, 'd'},
                                         {"weight", 1, 0, 'w'},
                                         {"cap", 1, 0, 'c'},
                                         {"schedparam", 0, 0, 's'},
                                         {"tslice_ms", 1, 0, 't'},
                                         {"ratelimit_us", 1, 0, 'r'},
                                         {"migration_delay_us", 1, 0, 'm'},
                                         {"cpupool", 1, 0, 'p'},
                                         COMMON_LONG_OPTS};
    static const struct sched_cmd cmd = {LIBXL_SCHEDULER_CREDIT,
                                         credit_domain_output,
                                         credit_pool_output, credit_pool_set};
    struct sched_opts o = {0};
    int opt;

    SWITCH_FOREACH_OPT(opt, "d:w:c:p:t:r:m:s", opts, "sched-credit", 0)
    {
    case 't':
        o.opt_t = true;
        if (parse_int(optarg, "time slice", &o.tslice))
            return EXIT_FAILURE;
        break;
    case 'm':
        o.opt_m = true;
        if (parse_int(optarg, "migration delay", &o.migr_delay))
            return EXIT_FAILURE;
        break;
    default:
        if (common_opt(opt, &o))
            return EXIT_FAILURE;
        break;
    }
    return sched_run(&cmd, &o);
}

int main_sched_credit2(int argc, char **argv)
{
    static const struct option opts[] = {{"domain", 1, 0, 'd'},
                                         {"weight", 1, 0, 'w'},
                                         {"cap", 1, 0, 'c'},
                                         {"schedparam", 0, 0, 's'},
                                         {"ratelimit_us", 1, 0, 'r'},
                                         {"cpupool", 1, 0, 'p'},
                                         COMMON_LONG_OPTS};
    static const struct sched_cmd cmd = {LIBXL_SCHEDULER_CREDIT2,
                                         credit2_domain_output,
                                         credit2_pool_output, credit2_pool_set};
    struct sched_opts o = {0};
    int opt;

    SWITCH_FOREACH_OPT(opt, "d:w:c:p:r:s", opts, "sched-credit2", 0)
    {
    default:
        if (common_opt(opt, &o))
            return EXIT_FAILURE;
        break;
    }
    return sched_run(&cmd, &o);
}
