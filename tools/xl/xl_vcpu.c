/*
 * xl: vcpu-list (Xen's columns), vcpu-pin (hard and soft affinity) and
 * vcpu-set (how many vCPUs are online).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "xl.h"

static void print_vcpuinfo(uint32_t domid, const libxl_vcpuinfo *v,
                           uint32_t nr_cpus)
{
    char *domname = libxl_domid_to_name(ctx, domid);

    printf("%-32s %5u %5u", domname ? domname : "-", domid, v->vcpuid);
    free(domname);
    if (!v->online)
        printf("%5c %3c%cp ", '-', '-', '-');
    else
        printf("%5u %3c%c- ", v->cpu, v->running ? 'r' : '-',
               v->blocked ? 'b' : '-');
    printf("%9.1f  ", (float)v->vcpu_time / 1e9);
    print_bitmap(v->cpumap.map, nr_cpus, stdout);
    printf(" / ");
    print_bitmap(v->cpumap_soft.map, nr_cpus, stdout);
    printf("\n");
}

static void print_domain_vcpuinfo(uint32_t domid, uint32_t nr_cpus)
{
    libxl_vcpuinfo *vcpuinfo;
    int i, nb_vcpu, nrcpus;

    vcpuinfo = libxl_list_vcpu(ctx, domid, &nb_vcpu, &nrcpus);
    if (!vcpuinfo)
        return;
    for (i = 0; i < nb_vcpu; i++)
        print_vcpuinfo(domid, &vcpuinfo[i], nr_cpus);
    libxl_vcpuinfo_list_free(vcpuinfo, nb_vcpu);
}

int main_vcpulist(int argc, char **argv)
{
    libxl_physinfo physinfo;
    libxl_dominfo *dominfo;
    int opt, i, nb_domain, ret = EXIT_FAILURE;

    SWITCH_FOREACH_OPT(opt, "", NULL, "vcpu-list", 0)
    {
    }

    libxl_physinfo_init(&physinfo);
    if (libxl_get_physinfo(ctx, &physinfo) != 0) {
        fprintf(stderr, "libxl_physinfo failed.\n");
        goto out;
    }
    printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
           "State", "Time(s)", "Affinity (Hard / Soft)");
    if (optind < argc) {
        for (; optind < argc; optind++)
            print_domain_vcpuinfo(find_domain(argv[optind]), physinfo.nr_cpus);
    } else {
        dominfo = libxl_list_domain(ctx, &nb_domain);
        if (!dominfo) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            goto out;
        }
        for (i = 0; i < nb_domain; i++)
            print_domain_vcpuinfo(dominfo[i].domid, physinfo.nr_cpus);
        libxl_dominfo_list_free(dominfo, nb_domain);
    }
    ret = EXIT_SUCCESS;
out:
    libxl_physinfo_dispose(&physinfo);
    return ret;
}

/* "-" leaves that affinity alone (NULL); anything else is a CPU list. */
static int affinity_arg(const char *arg, libxl_bitmap *map,
                        libxl_bitmap **which)
{
    if (!strcmp(arg, "-")) {
        *which = NULL;
        return 0;
    }
    *which = map;
    if (libxl_cpu_bitmap_alloc(ctx, map, 0)) {
        fprintf(stderr, "Unable to allocate cpumap\n");
        return 1;
    }
    return parse_cpurange(arg, map) ? 1 : 0;
}

static int vcpupin(uint32_t domid, long vcpuid, const libxl_bitmap *hard,
                   const libxl_bitmap *soft, bool force)
{
    libxl_vcpuinfo *vcpuinfo;
    int nb_vcpu, nb_cpu, rc;

    if (vcpuid >= 0) {
        rc = force
                 ? libxl_set_vcpuaffinity_force(ctx, domid, vcpuid, hard, soft)
                 : libxl_set_vcpuaffinity(ctx, domid, vcpuid, hard, soft);
        if (rc)
            fprintf(stderr, "Could not set affinity for vcpu `%ld'.\n", vcpuid);
        return rc;
    }
    vcpuinfo = libxl_list_vcpu(ctx, domid, &nb_vcpu, &nb_cpu);
    if (!vcpuinfo) {
        fprintf(stderr, "libxl_list_vcpu failed.\n");
        return 1;
    }
    rc = 0;
    if (force) {
        for (int i = 0; i < nb_vcpu; i++)
            if (libxl_set_vcpuaffinity_force(ctx, domid, i, hard, soft))
                rc = 1;
    } else {
        rc = libxl_set_vcpuaffinity_all(ctx, domid, nb_vcpu, hard, soft);
    }
    if (rc)
        fprintf(stderr, "Could not set affinity.\n");
    libxl_vcpuinfo_list_free(vcpuinfo, nb_vcpu);
    return rc;
}

int main_vcpupin(int argc, char **argv)
{
    static const struct option opts[] = {
        {"force", 0, 0, 'f'},
        {"ignore-global-affinity-masks", 0, 0, 'i'},
        COMMON_LONG_OPTS};
    libxl_bitmap hard_map, soft_map, *hard = NULL, *soft = NULL;
    const char *vcpu, *soft_str;
    int opt, nb_cpu, ret = EXIT_FAILURE;
    bool force = false;
    uint32_t domid;
    long vcpuid = -1;
    char *end;

    SWITCH_FOREACH_OPT(opt, "fi", opts, "vcpu-pin", 3)
    {
    case 'f':
        force = true;
        break;
    case 'i':
        /* No global affinity masks here (xl.conf has none to ignore). */
        break;
    }
    libxl_bitmap_init(&hard_map);
    libxl_bitmap_init(&soft_map);
    domid = find_domain(argv[optind]);
    vcpu = argv[optind + 1];
    soft_str = optind + 3 < argc ? argv[optind + 3] : "-";
    if (strcmp(vcpu, "all")) {
        errno = 0;
        vcpuid = strtol(vcpu, &end, 10);
        if (end == vcpu || *end || errno || vcpuid < 0 || vcpuid > INT32_MAX) {
            fprintf(stderr, "Error: Invalid argument %s as VCPU.\n", vcpu);
            goto out;
        }
    }
    if (affinity_arg(argv[optind + 2], &hard_map, &hard) ||
        affinity_arg(soft_str, &soft_map, &soft))
        goto out;
    if (!hard && !soft) {
        fprintf(stderr, "Error: neither a hard nor a soft affinity given.\n");
        goto out;
    }

    if (dryrun_only) {
        nb_cpu = libxl_get_online_cpus(ctx);
        if (nb_cpu < 0) {
            fprintf(stderr, "libxl_get_online_cpus failed.\n");
            goto out;
        }
        printf("cpumap: ");
        if (hard)
            print_bitmap(hard->map, nb_cpu, stdout);
        else
            printf("-");
        if (soft) {
            printf(" ");
            print_bitmap(soft->map, nb_cpu, stdout);
        }
        printf("\n");
        flush_stream(stdout);
        ret = EXIT_SUCCESS;
        goto out;
    }
    if (!vcpupin(domid, vcpuid, hard, soft, force))
        ret = EXIT_SUCCESS;
out:
    libxl_bitmap_dispose(&hard_map);
    libxl_bitmap_dispose(&soft_map);
    return ret;
}

static int vcpuset(uint32_t domid, const char *nr_vcpus, int check_host)
{
    unsigned long max_vcpus, i;
    libxl_bitmap cpumap;
    char *end;
    int rc;

    errno = 0;
    max_vcpus = strtoul(nr_vcpus, &end, 10);
    if (end == nr_vcpus || *end || errno || max_vcpus > INT32_MAX ||
        *nr_vcpus == '-') {
        fprintf(stderr, "Error: Invalid argument.\n");
        return 1;
    }
    /* More vCPUs than host CPUs only on request. */
    if (check_host) {
        unsigned int online, host_cpu = libxl_get_max_cpus(ctx);
        libxl_dominfo dominfo;

        libxl_dominfo_init(&dominfo);
        if (libxl_domain_info(ctx, &dominfo, domid))
            return 1;
        online = dominfo.vcpu_online;
        libxl_dominfo_dispose(&dominfo);
        if (max_vcpus > online && max_vcpus > host_cpu) {
            fprintf(stderr,
                    "You are overcommmitting! You have %u physical"
                    " CPUs and want %lu vCPUs! Aborting, use "
                    "--ignore-host to continue\n",
                    host_cpu, max_vcpus);
            return 1;
        }
    }
    libxl_bitmap_init(&cpumap);
    rc = libxl_cpu_bitmap_alloc(ctx, &cpumap, max_vcpus);
    if (rc) {
        fprintf(stderr, "libxl_cpu_bitmap_alloc failed, rc: %d\n", rc);
        return 1;
    }
    for (i = 0; i < max_vcpus; i++)
        libxl_bitmap_set(&cpumap, i);
    rc = libxl_set_vcpuonline(ctx, domid, &cpumap, NULL);
    if (rc == ERROR_DOMAIN_NOTFOUND)
        fprintf(stderr, "Domain %u does not exist.\n", domid);
    else if (rc)
        fprintf(stderr,
                "libxl_set_vcpuonline failed domid=%u "
                "max_vcpus=%lu, rc: %d\n",
                domid, max_vcpus, rc);
    libxl_bitmap_dispose(&cpumap);
    return rc ? 1 : 0;
}

int main_vcpuset(int argc, char **argv)
{
    static const struct option opts[] = {{"ignore-host", 0, 0, 'i'},
                                         COMMON_LONG_OPTS};
    int opt, check_host = 1;

    SWITCH_FOREACH_OPT(opt, "i", opts, "vcpu-set", 2)
    {
    case 'i':
        check_host = 0;
        break;
    }
    if (vcpuset(find_domain(argv[optind]), argv[optind + 1], check_host))
        return EXIT_FAILURE;
    return EXIT_SUCCESS;
}
