/*
 * xl: an xl.cfg (already read into memory, command-line overrides appended)
 * to a libxl_domain_config. The grammar is libxlutil's; this file gives the
 * keys their meaning. A bad value prints what is wrong and ends xl with
 * status 1, as Xen's xl does.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#include "xl.h"

/* More vCPUs than any Xen guest may have is a typo, not a request. */
#define XL_MAX_VCPUS 4096

static const char *const action_on_shutdown_names[] = {
    [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET] = "soft-reset",
};

#define N_ACTIONS                                                              \
    (sizeof(action_on_shutdown_names) / sizeof(action_on_shutdown_names[0]))

const char *get_action_on_shutdown_name(libxl_action_on_shutdown a)
{
    if ((unsigned)a >= N_ACTIONS || !action_on_shutdown_names[a])
        return "unknown";
    return action_on_shutdown_names[a];
}

static void parse_action(const XLU_Config *config, const char *key,
                         const char *dflt, libxl_action_on_shutdown *a)
{
    const char *buf;
    unsigned i;

    if (xlu_cfg_get_string(config, key, &buf, 0))
        buf = dflt;
    for (i = 0; i < N_ACTIONS; i++) {
        if (action_on_shutdown_names[i] &&
            !strcmp(buf, action_on_shutdown_names[i])) {
            *a = i;
            return;
        }
    }
    fprintf(stderr, "Unknown %s action \"%s\" specified\n", key, buf);
    exit(1);
}

/* "N" or "N-M" with nothing after it. */
static int parse_range(const char *str, unsigned long *a, unsigned long *b)
{
    char *end;

    errno = 0;
    *a = *b = strtoul(str, &end, 10);
    if (end == str || errno || *str == '-')
        return 1;
    if (*end == '-') {
        const char *s = end + 1;

        *b = strtoul(s, &end, 10);
        if (end == s || errno || *s == '-' || *b < *a)
            return 1;
    }
    return *end != '\0';
}

/* One element of a CPU list: [^][node:|nodes:](all|N|N-M). */
static int update_cpumap_range(const char *str, libxl_bitmap *cpumap)
{
    libxl_bitmap node_cpumap;
    bool is_not = false, is_nodes = false;
    unsigned long a, b;
    int rc = 0, i;

    libxl_bitmap_init(&node_cpumap);
    if (*str == '^') {
        is_not = true;
        str++;
    }
    if (!strncmp(str, "node:", 5)) {
        is_nodes = true;
        str += 5;
    } else if (!strncmp(str, "nodes:", 6)) {
        is_nodes = true;
        str += 6;
    }

    if (!strcmp(str, "all")) {
        if (is_not) {
            fprintf(stderr, "Can't combine \"^\" and \"all\".\n");
            return ERROR_INVAL;
        }
        libxl_bitmap_set_any(cpumap);
        return 0;
    }
    if (parse_range(str, &a, &b)) {
        fprintf(stderr, "Invalid pcpu range: %s.\n", str);
        return ERROR_INVAL;
    }
    /* Bits beyond the map cannot be set: stop there, not at ULONG_MAX. */
    if (b >= (unsigned long)cpumap->size * 8 && !is_nodes)
        b = cpumap->size ? cpumap->size * 8 - 1 : 0;

    if (is_nodes) {
        rc = libxl_cpu_bitmap_alloc(ctx, &node_cpumap, 0);
        if (rc) {
            fprintf(stderr, "libxl_cpu_bitmap_alloc failed.\n");
            goto out;
        }
    }
    for (; a <= b; a++) {
        if (!is_nodes) {
            if (is_not)
                libxl_bitmap_reset(cpumap, a);
            else
                libxl_bitmap_set(cpumap, a);
            continue;
        }
        rc = libxl_node_to_cpumap(ctx, a, &node_cpumap);
        if (rc) {
            fprintf(stderr, "libxl_node_to_cpumap failed.\n");
            goto out;
        }
        libxl_for_each_set_bit(i, node_cpumap)
        {
            if (is_not)
                libxl_bitmap_reset(cpumap, i);
            else
                libxl_bitmap_set(cpumap, i);
        }
    }
out:
    libxl_bitmap_dispose(&node_cpumap);
    return rc;
}

/* A comma-separated CPU list (Xen's syntax) into cpumap. */
int parse_cpurange(const char *cpu, libxl_bitmap *cpumap)
{
    char *buf = xstrdup(cpu), *ptr, *save = NULL;
    int rc = 0;

    for (ptr = strtok_r(buf, ",", &save); ptr && !rc;
         ptr = strtok_r(NULL, ",", &save))
        rc = update_cpumap_range(ptr, cpumap);
    free(buf);
    return rc;
}

static void alloc_cpumap(libxl_bitmap *map, int vcpu)
{
    libxl_bitmap_init(map);
    if (libxl_cpu_bitmap_alloc(ctx, map, 0)) {
        fprintf(stderr, "Unable to allocate cpumap for vcpu %d\n", vcpu);
        exit(EXIT_FAILURE);
    }
}

/*
 * cpus= / cpus_soft=: a string applies to every vCPU; a list gives vCPU i
 * the i-th entry (entries past max_vcpus are ignored, as in Xen).
 */
static void parse_vcpu_affinity(libxl_domain_build_info *b_info,
                                XLU_ConfigList *cpus, const char *buf,
                                int num_cpus, bool is_hard)
{
    libxl_bitmap *maps;
    int i;

    if (buf || num_cpus > b_info->max_vcpus)
        num_cpus = b_info->max_vcpus;
    maps = xcalloc(num_cpus, sizeof(*maps));
    if (is_hard) {
        b_info->num_vcpu_hard_affinity = num_cpus;
        b_info->vcpu_hard_affinity = maps;
    } else {
        b_info->num_vcpu_soft_affinity = num_cpus;
        b_info->vcpu_soft_affinity = maps;
    }

    for (i = 0; i < num_cpus; i++) {
        const char *spec = buf ? buf : xlu_cfg_get_listitem(cpus, i);

        alloc_cpumap(&maps[i], i);
        if (!spec) {
            fprintf(stderr, "xl: cpus list entry %d is not a string\n", i);
            exit(EXIT_FAILURE);
        }
        if (buf && i > 0) {
            libxl_bitmap_copy(ctx, &maps[i], &maps[0]);
            continue;
        }
        if (parse_cpurange(spec, &maps[i]))
            exit(EXIT_FAILURE);
    }
    /* Explicit per-vCPU maps or a soft affinity replace automatic NUMA
     * placement. */
    if (!buf || !is_hard)
        libxl_defbool_set(&b_info->numa_placement, false);
}

static void affinity_option(const XLU_Config *config, const char *key,
                            libxl_domain_build_info *b_info, bool is_hard)
{
    XLU_ConfigList *cpus = NULL;
    const char *buf = NULL;
    int num_cpus = 0;

    if (!xlu_cfg_get_list(config, key, &cpus, &num_cpus, 1) ||
        !xlu_cfg_get_string(config, key, &buf, 0))
        parse_vcpu_affinity(b_info, cpus, buf, num_cpus, is_hard);
}

/* cmdline=, or the legacy root= and extra= pieces. */
static char *parse_cmdline(const XLU_Config *config)
{
    const char *root = NULL, *extra = NULL, *buf = NULL;
    char *cmdline = NULL;

    xlu_cfg_get_string(config, "cmdline", &buf, 0);
    xlu_cfg_get_string(config, "root", &root, 0);
    xlu_cfg_get_string(config, "extra", &extra, 0);

    if (buf) {
        if (root || extra)
            fprintf(stderr, "Warning: ignoring root= and extra= "
                            "in favour of cmdline=\n");
        return xstrdup(buf);
    }
    if (root && extra)
        xasprintf(&cmdline, "root=%s %s", root, extra);
    else if (root)
        xasprintf(&cmdline, "root=%s", root);
    else if (extra)
        cmdline = xstrdup(extra);
    return cmdline;
}

static unsigned long parse_ulong(const char *str)
{
    unsigned long val;
    char *end;

    errno = 0;
    val = strtoul(str, &end, 10);
    if (end == str || *end || errno || *str == '-') {
        fprintf(stderr, "xl: failed to convert \"%s\" to number\n", str);
        exit(EXIT_FAILURE);
    }
    return val;
}

static void replace_string(char **str, const char *val)
{
    free(*str);
    *str = xstrdup(val);
}

static int parse_mac(const char *s, libxl_mac *mac)
{
    char *end;
    unsigned long v;
    int i;

    for (i = 0; i < 6; i++) {
        errno = 0;
        v = strtoul(s, &end, 16);
        if (end == s || errno || v > 255 || *s == '-' || *s == '+')
            return 1;
        if (i < 5 && *end != ':' && *end != '-')
            return 1;
        (*mac)[i] = v;
        s = end + 1;
    }
    return *end != '\0';
}

/* One key=value of a vif spec; 1 (after saying why) if it is not valid. */
static int parse_nic_config(XLU_Config *config, libxl_device_nic *nic,
                            const char *token)
{
    const char *eq = strchr(token, '=');
    const char *val = eq ? eq + 1 : "";
    size_t klen = eq ? (size_t)(eq - token) : strlen(token);

#define KEY(k) (klen == strlen(k) && !strncmp(token, k, klen))
    if (!eq) {
        fprintf(stderr, "unrecognized argument `%s'\n", token);
        return 1;
    } else if (KEY("type")) {
        if (!strcmp(val, "vif")) {
            nic->nictype = LIBXL_NIC_TYPE_VIF;
        } else if (!strcmp(val, "ioemu")) {
            nic->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        } else {
            fprintf(stderr, "Invalid parameter `type'.\n");
            return 1;
        }
    } else if (KEY("mac")) {
        if (parse_mac(val, &nic->mac)) {
            fprintf(stderr, "Invalid parameter `mac'.\n");
            return 1;
        }
    } else if (KEY("bridge")) {
        replace_string(&nic->bridge, val);
    } else if (KEY("netdev")) {
        fprintf(stderr, "the netdev parameter is deprecated, "
                        "please use gatewaydev instead\n");
        replace_string(&nic->gatewaydev, val);
    } else if (KEY("gatewaydev")) {
        replace_string(&nic->gatewaydev, val);
    } else if (KEY("ip")) {
        replace_string(&nic->ip, val);
    } else if (KEY("script")) {
        replace_string(&nic->script, val);
    } else if (KEY("backend")) {
        replace_string(&nic->backend_domname, val);
    } else if (KEY("vifname")) {
        replace_string(&nic->ifname, val);
    } else if (KEY("model")) {
        replace_string(&nic->model, val);
    } else if (KEY("rate")) {
        if (xlu_vif_parse_rate(config, val, nic))
            return 1;
    } else if (KEY("accel")) {
        fprintf(stderr,
                "the accel parameter for vifs is currently not supported\n");
    } else if (KEY("devid")) {
        nic->devid = parse_ulong(val);
    } else if (KEY("mtu")) {
        nic->mtu = parse_ulong(val);
    } else {
        fprintf(stderr, "unrecognized argument `%s'\n", token);
        return 1;
    }
#undef KEY
    return 0;
}

static void parse_vifs(XLU_Config *config, libxl_domain_config *d_config)
{
    XLU_ConfigList *nics;
    const char *item;

    if (xlu_cfg_get_list(config, "vif", &nics, 0, 0))
        return;
    while ((item = xlu_cfg_get_listitem(nics, d_config->num_nics))) {
        libxl_device_nic *nic;
        char *buf = xstrdup(item), *p, *save = NULL;

        d_config->nics =
            xrealloc(d_config->nics, sizeof(*nic) * (d_config->num_nics + 1));
        nic = &d_config->nics[d_config->num_nics];
        libxl_device_nic_init(nic);
        nic->devid = d_config->num_nics++;
        if (default_vifscript)
            nic->script = xstrdup(default_vifscript);
        if (default_bridge)
            nic->bridge = xstrdup(default_bridge);
        if (default_gatewaydev)
            nic->gatewaydev = xstrdup(default_gatewaydev);
        if (default_vifbackend)
            nic->backend_domname = xstrdup(default_vifbackend);

        for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
            while (*p == ' ')
                p++;
            if (parse_nic_config(config, nic, p))
                exit(1);
        }
        free(buf);
    }
}

static void parse_disks(XLU_Config *config, libxl_domain_config *d_config)
{
    XLU_ConfigList *vbds;
    const char *item;
    int e;

    if (xlu_cfg_get_list(config, "disk", &vbds, 0, 0))
        return;
    while ((item = xlu_cfg_get_listitem(vbds, d_config->num_disks))) {
        libxl_device_disk *disk;

        d_config->disks = xrealloc(d_config->disks,
                                   sizeof(*disk) * (d_config->num_disks + 1));
        disk = &d_config->disks[d_config->num_disks++];
        libxl_device_disk_init(disk);
        e = xlu_disk_parse(config, 1, &item, disk);
        if (e == EINVAL)
            exit(EXIT_FAILURE);
        if (e) {
            fprintf(stderr, "xlu_disk_parse failed: %s\n", strerror(e));
            exit(EXIT_FAILURE);
        }
    }
}

/* type= (and the deprecated builder=); Xen accepts any prefix of a name. */
static libxl_domain_type parse_type(const XLU_Config *config)
{
    libxl_domain_type type = LIBXL_DOMAIN_TYPE_INVALID, builder;
    const char *buf;

    if (!xlu_cfg_get_string(config, "type", &buf, 0)) {
        if (!strncmp(buf, "hvm", strlen(buf)))
            type = LIBXL_DOMAIN_TYPE_HVM;
        else if (!strncmp(buf, "pv", strlen(buf)))
            type = LIBXL_DOMAIN_TYPE_PV;
        else if (!strncmp(buf, "pvh", strlen(buf)))
            type = LIBXL_DOMAIN_TYPE_PVH;
        else {
            fprintf(stderr, "Invalid domain type %s.\n", buf);
            exit(1);
        }
    }
    if (!xlu_cfg_get_string(config, "builder", &buf, 0)) {
        if (!strncmp(buf, "hvm", strlen(buf)))
            builder = LIBXL_DOMAIN_TYPE_HVM;
        else if (!strncmp(buf, "generic", strlen(buf)))
            builder = LIBXL_DOMAIN_TYPE_PV;
        else {
            fprintf(stderr, "Invalid domain type %s.\n", buf);
            exit(1);
        }
        if (type != LIBXL_DOMAIN_TYPE_INVALID && type != builder) {
            fprintf(stderr, "Contradicting \"builder\" and \"type\" "
                            "options specified.\n");
            exit(1);
        }
        type = builder;
    }
    /* x86's default, as in Xen. */
    return type == LIBXL_DOMAIN_TYPE_INVALID ? LIBXL_DOMAIN_TYPE_PV : type;
}

static long get_mem_mib(const XLU_Config *config, const char *key, long dflt)
{
    long l;

    if (xlu_cfg_get_long(config, key, &l, 0))
        return dflt;
    if (l < 0 || l > (long)(INT64_MAX >> 30)) {
        fprintf(stderr, "xl: invalid %s size %ld (MiB)\n", key, l);
        exit(1);
    }
    return l;
}

static void parse_vcpus(const XLU_Config *config,
                        libxl_domain_build_info *b_info)
{
    long vcpus = 0, l;
    int i;

    if (!xlu_cfg_get_long(config, "vcpus", &l, 0)) {
        if (l < 1 || l > XL_MAX_VCPUS) {
            fprintf(stderr, "xl: vcpus=%ld is out of range (1-%d)\n", l,
                    XL_MAX_VCPUS);
            exit(1);
        }
        vcpus = l;
        if (libxl_cpu_bitmap_alloc(ctx, &b_info->avail_vcpus, l)) {
            fprintf(stderr, "Unable to allocate cpumap\n");
            exit(1);
        }
        libxl_bitmap_set_none(&b_info->avail_vcpus);
        for (i = 0; i < vcpus; i++)
            libxl_bitmap_set(&b_info->avail_vcpus, i);
    }
    if (!xlu_cfg_get_long(config, "maxvcpus", &l, 0)) {
        if (l < 1 || l > XL_MAX_VCPUS) {
            fprintf(stderr, "xl: maxvcpus=%ld is out of range (1-%d)\n", l,
                    XL_MAX_VCPUS);
            exit(1);
        }
        b_info->max_vcpus = l;
    }
    if (b_info->max_vcpus == 0)
        b_info->max_vcpus = vcpus;
    if (b_info->max_vcpus < vcpus) {
        fprintf(stderr, "xl: maxvcpus < vcpus\n");
        exit(1);
    }
}

void parse_config_data(const char *config_source, const char *config_data,
                       int config_len, libxl_domain_config *d_config)
{
    libxl_domain_create_info *c_info = &d_config->c_info;
    libxl_domain_build_info *b_info = &d_config->b_info;
    XLU_Config *config;
    const char *buf;
    long l;
    int e;

    config = xlu_cfg_init(stderr, config_source);
    if (!config) {
        fprintf(stderr, "Failed to allocate for configuration\n");
        exit(1);
    }
    e = xlu_cfg_readdata(config, config_data, config_len);
    if (e) {
        fprintf(stderr, "Failed to parse config: %s\n", strerror(e));
        exit(1);
    }

    libxl_defbool_set(&c_info->run_hotplug_scripts, run_hotplug_scripts);
    c_info->type = parse_type(config);

    if (xlu_cfg_replace_string(config, "name", &c_info->name, 0)) {
        fprintf(stderr, "Domain name must be specified.\n");
        exit(1);
    }
    if (!xlu_cfg_get_string(config, "uuid", &buf, 0)) {
        if (libxl_uuid_from_string(&c_info->uuid, buf)) {
            fprintf(stderr, "Failed to parse UUID: %s\n", buf);
            exit(1);
        }
    } else {
        libxl_uuid_generate(&c_info->uuid);
    }

    xlu_cfg_replace_string(config, "pool", &c_info->pool_name, 0);

    libxl_domain_build_info_init_type(b_info, c_info->type);

    if (!xlu_cfg_get_long(config, "cpu_weight", &l, 0))
        b_info->sched_params.weight = l;
    if (!xlu_cfg_get_long(config, "cap", &l, 0))
        b_info->sched_params.cap = l;

    l = get_mem_mib(config, "memory", -1);
    if (l >= 0)
        b_info->target_memkb = (uint64_t)l * 1024;
    l = get_mem_mib(config, "maxmem", -1);
    if (l >= 0)
        b_info->max_memkb = (uint64_t)l * 1024;
    if (b_info->max_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->max_memkb = b_info->target_memkb;

    parse_vcpus(config, b_info);
    affinity_option(config, "cpus", b_info, true);
    affinity_option(config, "cpus_soft", b_info, false);

    libxl_defbool_set(&b_info->claim_mode, claim_mode);

    parse_action(config, "on_poweroff", "destroy", &d_config->on_poweroff);
    parse_action(config, "on_reboot", "restart", &d_config->on_reboot);
    parse_action(config, "on_watchdog", "destroy", &d_config->on_watchdog);
    parse_action(config, "on_crash", "destroy", &d_config->on_crash);
    parse_action(config, "on_soft_reset", "soft-reset",
                 &d_config->on_soft_reset);

    xlu_cfg_replace_string(config, "kernel", &b_info->kernel, 0);
    xlu_cfg_replace_string(config, "ramdisk", &b_info->ramdisk, 0);
    b_info->cmdline = parse_cmdline(config);

    parse_disks(config, d_config);
    parse_vifs(config, d_config);

    xlu_cfg_destroy(config);
}
