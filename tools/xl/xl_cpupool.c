/*
 * xl: cpupool-create (xlcpupool.cfg: name, sched, cpus), -list,
 * -destroy, -rename, -cpu-add, -cpu-remove and -migrate, with Xen's
 * options, messages and output layout.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#include "xl.h"

int find_cpupool(const char *pool, uint32_t *poolid)
{
    if (libxl_cpupool_qualifier_to_cpupoolid(ctx, pool, poolid, NULL) ||
        !libxl_cpupoolid_is_valid(ctx, *poolid)) {
        fprintf(stderr, "unknown cpupool '%s'\n", pool);
        return -1;
    }
    return 0;
}

/*
 * The configuration: the file's text (if any) followed by the
 * command line's KEY=VALUE arguments, one a line, which thus override
 * the file's.
 */
static char *config_text(const char *filename, char **vars, int nvars, int *len)
{
    char *data = NULL, *more;
    int n = 0;

    if (filename) {
        void *file = NULL;

        if (libxl_read_file_contents(ctx, filename, &file, &n)) {
            fprintf(stderr, "Failed to read config file: %s: %s\n", filename,
                    strerror(errno));
            return NULL;
        }
        data = xrealloc(file, n + 1);
        data[n] = '\0';
    }
    for (int i = 0; i < nvars; i++) {
        size_t l = strlen(vars[i]);

        if (l > (size_t)(INT_MAX - n - 2)) {
            fprintf(stderr, "Failed to attach extra configuration\n");
            free(data);
            return NULL;
        }
        more = xrealloc(data, n + l + 2);
        more[n] = '\n';
        memcpy(more + n + 1, vars[i], l + 1);
        data = more;
        n += l + 1;
    }
    *len = n;
    return data ?: xstrdup("");
}

/* cpus = "LIST" or [ N, ... ]: every pCPU must be free. */
static int config_cpus(XLU_Config *config, const libxl_bitmap *freemap,
                       libxl_bitmap *cpumap, int *n_cpus)
{
    XLU_ConfigList *cpus;
    const char *buf;
    int i, n = 0;

    if (!xlu_cfg_get_list(config, "cpus", &cpus, NULL, 1)) {
        for (; (buf = xlu_cfg_get_listitem(cpus, n)); n++) {
            char *end;
            long cpu = strtol(buf, &end, 10);

            if (end == buf || *end || cpu < 0 ||
                cpu >= (long)freemap->size * 8 ||
                !libxl_bitmap_test(freemap, cpu)) {
                fprintf(stderr, "cpu %s illegal or not free\n", buf);
                return 1;
            }
            libxl_bitmap_set(cpumap, cpu);
        }
    } else if (!xlu_cfg_get_string(config, "cpus", &buf, 0)) {
        if (parse_cpurange(buf, cpumap))
            return 1;
        libxl_for_each_set_bit(i, *cpumap)
        {
            if (!libxl_bitmap_test(freemap, i)) {
                fprintf(stderr, "cpu %d illegal or not free\n", i);
                return 1;
            }
            n++;
        }
    }
    *n_cpus = n;
    return 0;
}

int main_cpupoolcreate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"defconfig", 1, 0, 'f'}, {"dryrun", 0, 0, 'n'}, COMMON_LONG_OPTS};
    const char *filename = NULL, *config_src, *buf;
    char **vars = xcalloc(argc, sizeof(*vars));
    char *config_data = NULL, *name = NULL;
    libxl_bitmap freemap, cpumap;
    XLU_Config *config = NULL;
    libxl_scheduler sched;
    int opt, nvars = 0, len, n_cpus, r, rc = EXIT_FAILURE;
    uint32_t poolid;
    libxl_uuid uuid;

    libxl_bitmap_init(&freemap);
    libxl_bitmap_init(&cpumap);
    SWITCH_FOREACH_OPT(opt, "nf:", opts, "cpupool-create", 0)
    {
    case 'f':
        filename = optarg;
        break;
    case 'n':
        dryrun_only = 1;
        break;
    }
    for (; optind < argc; optind++) {
        if (strchr(argv[optind], '=')) {
            vars[nvars++] = argv[optind];
        } else if (!filename) {
            filename = argv[optind];
        } else {
            help("cpupool-create");
            goto out;
        }
    }
    config_src = filename ?: "command line";
    config_data = config_text(filename, vars, nvars, &len);
    if (!config_data)
        goto out;
    config = xlu_cfg_init(stderr, config_src);
    if (!config) {
        fprintf(stderr, "Failed to allocate for configuration\n");
        goto out;
    }
    r = xlu_cfg_readdata(config, config_data, len);
    if (r) {
        fprintf(stderr, "Failed to parse config file: %s\n", strerror(r));
        goto out;
    }

    if (!xlu_cfg_get_string(config, "name", &buf, 0))
        name = xstrdup(buf);
    else if (filename)
        name = libxl_basename(filename);
    if (!name) {
        fprintf(stderr, "Missing cpupool name!\n");
        goto out;
    }
    if (!libxl_name_to_cpupoolid(ctx, name, &poolid)) {
        fprintf(stderr, "Pool name \"%s\" already exists\n", name);
        goto out;
    }

    if (!xlu_cfg_get_string(config, "sched", &buf, 0)) {
        if (libxl_scheduler_from_string(buf, &sched) < 0) {
            fprintf(stderr, "Unknown scheduler\n");
            goto out;
        }
    } else {
        r = libxl_get_scheduler(ctx);
        if (r < 0) {
            fprintf(stderr, "get_scheduler sysctl failed.\n");
            goto out;
        }
        sched = r;
    }

    if (libxl_get_freecpus(ctx, &freemap)) {
        fprintf(stderr, "libxl_get_freecpus failed\n");
        goto out;
    }
    if (libxl_cpu_bitmap_alloc(ctx, &cpumap, 0)) {
        fprintf(stderr, "Failed to allocate cpumap\n");
        goto out;
    }
    if (config_cpus(config, &freemap, &cpumap, &n_cpus))
        goto out;

    printf("Using config file \"%s\"\n", config_src);
    printf("cpupool name:   %s\n", name);
    printf("scheduler:      %s\n", libxl_scheduler_to_string(sched));
    printf("number of cpus: %d\n", n_cpus);
    if (!dryrun_only) {
        libxl_uuid_generate(&uuid);
        poolid = LIBXL_CPUPOOL_POOLID_ANY;
        if (libxl_cpupool_create(ctx, name, sched, cpumap, &uuid, &poolid)) {
            fprintf(stderr, "error on creating cpupool\n");
            goto out;
        }
    }
    rc = EXIT_SUCCESS;
out:
    libxl_bitmap_dispose(&cpumap);
    libxl_bitmap_dispose(&freemap);
    if (config)
        xlu_cfg_destroy(config);
    free(name);
    free(config_data);
    free(vars);
    return rc;
}

int main_cpupoollist(int argc, char **argv)
{
    static const struct option opts[] = {{"cpus", 0, 0, 'c'}, COMMON_LONG_OPTS};
    libxl_cpupoolinfo *poolinfo;
    int opt, opt_cpus = 0, n_pools, c, n;
    const char *pool = NULL;
    uint32_t poolid = 0;

    SWITCH_FOREACH_OPT(opt, "c", opts, "cpupool-list", 0)
    {
    case 'c':
        opt_cpus = 1;
        break;
    }
    if (optind < argc) {
        pool = argv[optind];
        if (libxl_name_to_cpupoolid(ctx, pool, &poolid)) {
            fprintf(stderr, "Pool '%s' does not exist\n", pool);
            return EXIT_FAILURE;
        }
    }
    poolinfo = libxl_list_cpupool(ctx, &n_pools);
    if (!poolinfo) {
        fprintf(stderr, "error getting cpupool info\n");
        return EXIT_FAILURE;
    }

    printf("%-19s", "Name");
    if (opt_cpus)
        printf("CPU list\n");
    else
        printf("CPUs   Sched     Active   Domain count\n");
    for (int p = 0; p < n_pools; p++) {
        if (pool && poolinfo[p].poolid != poolid)
            continue;
        printf("%-19s", poolinfo[p].pool_name);
        n = 0;
        libxl_for_each_set_bit(c, poolinfo[p].cpumap)
        {
            if (opt_cpus)
                printf(n ? ",%d" : "%d", c);
            n++;
        }
        if (!opt_cpus)
            printf("%3d %9s       y       %4u", n,
                   libxl_scheduler_to_string(poolinfo[p].sched),
                   poolinfo[p].n_dom);
        printf("\n");
    }
    libxl_cpupoolinfo_list_free(poolinfo, n_pools);
    return EXIT_SUCCESS;
}

int main_cpupooldestroy(int argc, char **argv)
{
    uint32_t poolid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "cpupool-destroy", 1)
    {
    }
    if (find_cpupool(argv[optind], &poolid) ||
        libxl_cpupool_destroy(ctx, poolid))
        return EXIT_FAILURE;
    return EXIT_SUCCESS;
}

int main_cpupoolrename(int argc, char **argv)
{
    const char *pool;
    uint32_t poolid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "cpupool-rename", 2)
    {
    }
    pool = argv[optind];
    if (find_cpupool(pool, &poolid))
        return EXIT_FAILURE;
    if (libxl_cpupool_rename(ctx, argv[optind + 1], poolid)) {
        fprintf(stderr, "Can't rename cpupool '%s'\n", pool);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

/*
 * cpupool-cpu-add / -remove: like Xen's xl, a pCPU that cannot move is
 * reported (by libxl, then this summary) without failing the command.
 */
static int cpu_move(int argc, char **argv, const char *cmd, bool add)
{
    libxl_bitmap cpumap;
    const char *pool;
    uint32_t poolid;
    int opt, rc = EXIT_FAILURE;

    SWITCH_FOREACH_OPT(opt, "", NULL, cmd, 2)
    {
    }
    pool = argv[optind];
    if (find_cpupool(pool, &poolid))
        return EXIT_FAILURE;
    libxl_bitmap_init(&cpumap);
    if (libxl_cpu_bitmap_alloc(ctx, &cpumap, 0)) {
        fprintf(stderr, "Unable to allocate cpumap\n");
        return EXIT_FAILURE;
    }
    if (parse_cpurange(argv[optind + 1], &cpumap))
        goto out;
    if (add && libxl_cpupool_cpuadd_cpumap(ctx, poolid, &cpumap))
        fprintf(stderr, "some cpus may not have been added to %s\n", pool);
    if (!add && libxl_cpupool_cpuremove_cpumap(ctx, poolid, &cpumap))
        fprintf(stderr, "some cpus may not have been removed from %s\n", pool);
    rc = EXIT_SUCCESS;
out:
    libxl_bitmap_dispose(&cpumap);
    return rc;
}

int main_cpupoolcpuadd(int argc, char **argv)
{
    return cpu_move(argc, argv, "cpupool-cpu-add", true);
}

int main_cpupoolcpuremove(int argc, char **argv)
{
    return cpu_move(argc, argv, "cpupool-cpu-remove", false);
}

int main_cpupoolmigrate(int argc, char **argv)
{
    uint32_t domid, poolid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "cpupool-migrate", 2)
    {
    }
    domid = find_domain(argv[optind]);
    if (find_cpupool(argv[optind + 1], &poolid) ||
        libxl_cpupool_movedomain(ctx, poolid, domid))
        return EXIT_FAILURE;
    return EXIT_SUCCESS;
}
