/*
 * Domain creation (PVH), in Xen's order: defaults, the hypervisor's
 * domain, its xenstore trees, the guest image (libxenguest), the
 * xenstore introduction, the console, the stored configuration. Any
 * failure destroys all that was made. The domain is left paused.
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <xenguest.h>

#include "libxl_internal.h"

#define LIBXL_HVM_EXTRA_MEMORY 2048 /* KiB, Xen's: special pages and slack */
#define HVM_MAX_VCPUS 128

/* The domain being built; what building it leaves for xenstore entries. */
struct build_state {
    libxl_domain_config *config;
    uint32_t store_domid, console_domid;
    uint32_t store_port, console_port;
    xen_pfn_t store_mfn, console_mfn;
};

/* ---- Defaults ---- */

static int check_readable(libxl_ctx *ctx, const char *what, const char *path)
{
    if (access(path, R_OK)) {
        LOGE(ERROR, "%s %s cannot be read", what, path);
        return ERROR_INVAL;
    }
    return 0;
}

int libxl__domain_config_setdefault(libxl_ctx *ctx, libxl_domain_config *config,
                                    uint32_t domid)
{
    libxl_domain_create_info *c_info = &config->c_info;
    libxl_domain_build_info *b_info = &config->b_info;
    libxl_physinfo physinfo;
    int rc;

    switch (c_info->type) {
    case LIBXL_DOMAIN_TYPE_PVH:
        break;
    case LIBXL_DOMAIN_TYPE_HVM:
    case LIBXL_DOMAIN_TYPE_PV:
        LOGD(ERROR, domid,
             "%s guests are not supported yet: only PVH "
             "(type = \"pvh\")",
             libxl_domain_type_to_string(c_info->type));
        return ERROR_INVAL;
    default:
        LOGD(ERROR, domid, "invalid domain type in create info");
        return ERROR_INVAL;
    }
    if (b_info->type != c_info->type) {
        LOGD(ERROR, domid,
             "build info type (%s) differs from create info "
             "type (%s)",
             libxl_domain_type_to_string(b_info->type) ?: "invalid",
             libxl_domain_type_to_string(c_info->type));
        return ERROR_INVAL;
    }
    if (!c_info->name || !c_info->name[0]) {
        LOGD(ERROR, domid, "the domain has no name (name = in the config)");
        return ERROR_INVAL;
    }
    if (libxl_uuid_is_nil(&c_info->uuid))
        libxl_uuid_generate(&c_info->uuid);
    libxl_defbool_setdefault(&c_info->run_hotplug_scripts, true);
    libxl_defbool_setdefault(&c_info->driver_domain, false);
    libxl_defbool_setdefault(&c_info->hap, true);
    libxl_defbool_setdefault(&c_info->oos, true);
    if (c_info->passthrough == LIBXL_PASSTHROUGH_DEFAULT)
        c_info->passthrough = LIBXL_PASSTHROUGH_DISABLED;
    if (c_info->passthrough != LIBXL_PASSTHROUGH_DISABLED) {
        LOGD(ERROR, domid, "passthrough not supported on this platform");
        return ERROR_INVAL;
    }
    /* A pool named in the config wins over its id. */
    if (c_info->pool_name &&
        libxl_name_to_cpupoolid(ctx, c_info->pool_name, &c_info->poolid)) {
        LOGD(ERROR, domid, "Illegal pool specified: %s", c_info->pool_name);
        return ERROR_INVAL;
    }

    if (!b_info->max_vcpus)
        b_info->max_vcpus = 1;
    if (b_info->max_vcpus < 0 || b_info->max_vcpus > HVM_MAX_VCPUS) {
        LOGD(ERROR, domid, "max_vcpus %d is out of range 1-%d",
             b_info->max_vcpus, HVM_MAX_VCPUS);
        return ERROR_INVAL;
    }
    if (!b_info->avail_vcpus.size) {
        rc = libxl_bitmap_alloc(ctx, &b_info->avail_vcpus, 1);
        if (rc)
            return rc;
        libxl_bitmap_set(&b_info->avail_vcpus, 0);
    }
    for (int i = b_info->max_vcpus; i < (int)b_info->avail_vcpus.size * 8; i++)
        if (libxl_bitmap_test(&b_info->avail_vcpus, i)) {
            LOGD(ERROR, domid, "vcpu %d is to be online but max_vcpus is %d", i,
                 b_info->max_vcpus);
            return ERROR_INVAL;
        }

    if (b_info->max_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->max_memkb = LIBXL_DEFAULT_MEMKB;
    if (b_info->target_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->target_memkb = b_info->max_memkb;
    /* PVH has no video RAM; Xenon's core has no shadow or IOMMU pools. */
    if (b_info->video_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->video_memkb = 0;
    if (b_info->shadow_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->shadow_memkb = 0;
    if (b_info->iommu_memkb == LIBXL_MEMKB_DEFAULT)
        b_info->iommu_memkb = 0;
    if (b_info->target_memkb > b_info->max_memkb) {
        LOGD(ERROR, domid,
             "memory (%" PRIu64 " KiB) is larger than maxmem "
             "(%" PRIu64 " KiB)",
             b_info->target_memkb, b_info->max_memkb);
        return ERROR_INVAL;
    }
    if (b_info->target_memkb < b_info->video_memkb + 1024) {
        LOGD(ERROR, domid,
             "memory (%" PRIu64 " KiB) is below the 1 MiB a "
             "guest needs",
             b_info->target_memkb);
        return ERROR_INVAL;
    }
    if (!b_info->event_channels)
        b_info->event_channels = LIBXL_DEFAULT_EVENT_CHANNELS;
    if (b_info->max_grant_version == (int)LIBXL_MAX_GRANT_DEFAULT) {
        rc = libxl_get_physinfo(ctx, &physinfo);
        if (rc)
            return rc;
        b_info->max_grant_version = physinfo.cap_gnttab_v2 ? 2 : 1;
    }
    if (!b_info->device_model_version)
        b_info->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;

    if (!b_info->kernel) {
        LOGD(ERROR, domid,
             "no kernel: a PVH guest boots the kernel named by "
             "kernel = in the config");
        return ERROR_INVAL;
    }
    rc = check_readable(ctx, "kernel", b_info->kernel);
    if (!rc && b_info->ramdisk && b_info->ramdisk[0])
        rc = check_readable(ctx, "ramdisk", b_info->ramdisk);
    return rc;
}

XENTOOLS_EXPORT int libxl_domain_need_memory(libxl_ctx *ctx,
                                             libxl_domain_config *config,
                                             uint32_t domid_for_logging,
                                             uint64_t *need_memkb)
{
    libxl_domain_build_info *b_info = &config->b_info;
    int rc = libxl__domain_config_setdefault(ctx, config, domid_for_logging);

    if (rc)
        return rc;
    *need_memkb = b_info->target_memkb + b_info->shadow_memkb +
                  b_info->iommu_memkb + LIBXL_HVM_EXTRA_MEMORY;
    /* Whole 2 MiB superpages, as Xen reckons. */
    *need_memkb = (*need_memkb + 2047) / 2048 * 2048;
    return 0;
}

/*
 * Refuse what cannot fit. The hypervisor lends part of Domain-0's
 * memory when the free memory is short, so the most a domain can get
 * is the free memory plus what Domain-0 holds; the hypervisor has the
 * final say when the memory is populated.
 */
static int check_memory(libxl_ctx *ctx, libxl_domain_config *config)
{
    uint64_t need, free_kb;
    libxl_dominfo dom0;
    int rc;

    rc = libxl_domain_need_memory(ctx, config, INVALID_DOMID, &need) ?:
         libxl_get_free_memory(ctx, &free_kb) ?:
         libxl_domain_info(ctx, &dom0, 0);
    if (rc)
        return rc;
    if (need > free_kb + dom0.current_memkb) {
        LOG(ERROR,
            "not enough memory for domain \"%s\": it needs %" PRIu64
            " KiB; %" PRIu64 " KiB are free and Domain-0 holds %" PRIu64 " KiB",
            config->c_info.name, need, free_kb, dom0.current_memkb);
        rc = ERROR_NOMEM;
    }
    libxl_dominfo_dispose(&dom0);
    return rc;
}

/* ---- The hypervisor's domain ---- */

static int make_domain(libxl_ctx *ctx, libxl_domain_config *config,
                       uint32_t *domid)
{
    libxl_domain_create_info *c_info = &config->c_info;
    libxl_domain_build_info *b_info = &config->b_info;
    struct xen_domctl_createdomain create = {
        .ssidref = c_info->ssidref,
        .flags = XEN_DOMCTL_CDF_hvm |
                 (libxl_defbool_val(c_info->hap) ? XEN_DOMCTL_CDF_hap : 0) |
                 (libxl_defbool_val(c_info->oos) ? 0 : XEN_DOMCTL_CDF_oos_off),
        .max_vcpus = b_info->max_vcpus,
        .max_evtchn_port = b_info->event_channels,
        .max_grant_frames = b_info->max_grant_frames,
        .max_maptrack_frames = b_info->max_maptrack_frames,
        .grant_opts = XEN_DOMCTL_GRANT_version(b_info->max_grant_version),
        /* PVH: the LAPIC is the whole emulated platform. */
        .arch = {.emulation_flags = XEN_X86_EMU_LAPIC},
        .cpupool_id = c_info->poolid,
    };
    uint32_t want = c_info->domid;

    memcpy(create.handle, c_info->uuid.uuid, sizeof(create.handle));
    for (int tries = 0;; tries++) {
        uint32_t id = libxl_domid_valid_guest(want) ? want : 0;

        if (want == (uint32_t)RANDOM_DOMID) {
            libxl_uuid random;

            /* 15 random bits, as Xen's DOMID_MASK keeps. */
            libxl_uuid_generate(&random);
            id = (random.uuid[0] << 8 | random.uuid[1]) & 0x7fff;
            if (!libxl_domid_valid_guest(id))
                continue;
        }
        if (!xc_domain_create(ctx->xch, &id, &create)) {
            *domid = id;
            break;
        }
        if (errno == EEXIST && want == (uint32_t)RANDOM_DOMID && tries < 100)
            continue;
        if (errno == ENODEV)
            LOGE(ERROR, "domain creation fail: the hypervisor cannot run "
                        "guests (this host has no /dev/kvm)");
        else if (errno == EEXIST)
            LOGE(ERROR, "domain creation fail: domain id %" PRIu32 " is taken",
                 id);
        else
            LOGE(ERROR, "domain creation fail");
        return ERROR_FAIL;
    }
    if (xc_domain_max_vcpus(ctx->xch, *domid, b_info->max_vcpus)) {
        LOGED(ERROR, *domid, "Couldn't set max vcpu count");
        return ERROR_FAIL;
    }
    if (xc_domain_setmaxmem(ctx->xch, *domid,
                            b_info->target_memkb + LIBXL_MAXMEM_CONSTANT)) {
        LOGED(ERROR, *domid, "Couldn't set max memory");
        return ERROR_FAIL;
    }
    return 0;
}

static int apply_affinity(libxl_ctx *ctx, uint32_t domid,
                          libxl_domain_build_info *b_info)
{
    for (int i = 0; i < b_info->max_vcpus; i++) {
        const libxl_bitmap *hard = NULL, *soft = NULL;

        if (i < b_info->num_vcpu_hard_affinity)
            hard = &b_info->vcpu_hard_affinity[i];
        else if (b_info->cpumap.size)
            hard = &b_info->cpumap;
        if (i < b_info->num_vcpu_soft_affinity)
            soft = &b_info->vcpu_soft_affinity[i];
        if ((hard || soft) && libxl_set_vcpuaffinity(ctx, domid, i, hard, soft))
            return ERROR_FAIL;
    }
    return 0;
}

/* ---- xenstore: the trees a domain has from birth ---- */

static int make_trees(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                      void *arg)
{
    libxl_domain_config *config = arg;
    struct xs_permissions noperm[1] = {{0, XS_PERM_NONE}};
    struct xs_permissions roperm[2] = {{0, XS_PERM_NONE},
                                       {domid, XS_PERM_READ}};
    struct xs_permissions rwperm[1] = {{domid, XS_PERM_NONE}};
    /* Read-only for the guest, then the guest's own nodes. */
    static const char *const ro_nodes[] = {"cpu", "memory", "device",
                                           "control"};
    static const char *const rw_nodes[] = {"control/shutdown",
                                           "control/feature-poweroff",
                                           "control/feature-reboot",
                                           "control/feature-suspend",
                                           "control/sysrq",
                                           "device/suspend/event-channel",
                                           "data",
                                           "drivers",
                                           "feature",
                                           "attr",
                                           "error"};
    libxl_domain_create_info *c_info = &config->c_info;
    char dom_path[LIBXL__PATH_MAX], vm_path[LIBXL__PATH_MAX];
    char libxl_path[LIBXL__PATH_MAX], path[LIBXL__PATH_MAX];
    char uuid[LIBXL_UUID_FMTLEN + 1];
    int rc;

    snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT,
             LIBXL_UUID_BYTES(c_info->uuid));
    libxl__path(dom_path, "/local/domain/%" PRIu32, domid);
    libxl__path(vm_path, "/vm/%s", uuid);
    libxl__path(libxl_path, "/libxl/%" PRIu32, domid);

    rc = libxl__xs_rm(ctx, t, dom_path) ?:
         libxl__xs_mknod(ctx, t, dom_path, roperm, ARRAY_SIZE(roperm)) ?:
         libxl__xs_rm(ctx, t, vm_path) ?:
         libxl__xs_mknod(ctx, t, vm_path, roperm, ARRAY_SIZE(roperm)) ?:
         libxl__xs_rm(ctx, t, libxl_path) ?:
         libxl__xs_mknod(ctx, t, libxl_path, noperm, ARRAY_SIZE(noperm));
    if (!rc && !(rc = libxl__path(path, "%s/device", libxl_path)))
        rc = libxl__xs_mknod(ctx, t, path, noperm, ARRAY_SIZE(noperm));
    if (!rc && !(rc = libxl__path(path, "%s/vm", dom_path)))
        rc = libxl__xs_printf(ctx, t, path, "%s", vm_path);
    if (!rc)
        rc = libxl__domain_rename(ctx, domid, NULL, c_info->name, t);
    for (size_t i = 0; !rc && i < ARRAY_SIZE(ro_nodes); i++)
        if (!(rc = libxl__path(path, "%s/%s", dom_path, ro_nodes[i])))
            rc = libxl__xs_mknod(ctx, t, path, roperm, ARRAY_SIZE(roperm));
    for (size_t i = 0; !rc && i < ARRAY_SIZE(rw_nodes); i++)
        if (!(rc = libxl__path(path, "%s/%s", dom_path, rw_nodes[i])))
            rc = libxl__xs_mknod(ctx, t, path, rwperm, ARRAY_SIZE(rwperm));
    if (!rc && !(rc = libxl__path(path, "%s/uuid", vm_path)))
        rc = libxl__xs_printf(ctx, t, path, "%s", uuid);
    if (!rc)
        rc = libxl__xs_writev(ctx, t, dom_path, c_info->xsdata);
    if (!rc && !(rc = libxl__path(path, "%s/platform", dom_path)))
        rc = libxl__xs_writev(ctx, t, path, c_info->platformdata);
    if (!rc && !(rc = libxl__path(path,
                                  "%s/control/platform-feature-"
                                  "multiprocessor-suspend",
                                  dom_path)))
        rc = libxl__xs_printf(ctx, t, path, "1");
    if (!rc && !(rc = libxl__path(path,
                                  "%s/control/platform-feature-"
                                  "xs_reset_watches",
                                  dom_path)))
        rc = libxl__xs_printf(ctx, t, path, "1");
    if (!rc && !(rc = libxl__path(path, "%s/type", libxl_path)))
        rc = libxl__xs_printf(ctx, t, path, "%s",
                              libxl_domain_type_to_string(c_info->type));
    if (!rc && !(rc = libxl__path(path, "%s/dm-version", libxl_path)))
        rc = libxl__xs_printf(ctx, t, path, "%s",
                              libxl_device_model_version_to_string(
                                  config->b_info.device_model_version));
    return rc;
}

/* ---- The guest ---- */

/* A domain id read from xenstore (who serves a ring), default 0. */
static uint32_t service_domid(libxl_ctx *ctx, const char *path)
{
    char *v = libxl__xs_read(ctx, XBT_NULL, path);
    uint32_t id = v ? strtoul(v, NULL, 10) : 0;

    free(v);
    return id;
}

static int build_pvh(libxl_ctx *ctx, uint32_t domid,
                     libxl_domain_build_info *b_info, struct build_state *st)
{
    struct xc_dom_image *dom;
    uint64_t ram_kb = b_info->target_memkb - b_info->video_memkb;
    int port, rc = ERROR_FAIL;

    st->store_domid = service_domid(ctx, "/tool/xenstored/domid");
    st->console_domid = service_domid(ctx, "/tool/xenconsoled/domid");
    port = xc_evtchn_alloc_unbound(ctx->xch, domid, st->store_domid);
    if (port < 0) {
        LOGED(ERROR, domid, "allocating the xenstore event channel");
        return ERROR_FAIL;
    }
    st->store_port = port;
    port = xc_evtchn_alloc_unbound(ctx->xch, domid, st->console_domid);
    if (port < 0) {
        LOGED(ERROR, domid, "allocating the console event channel");
        return ERROR_FAIL;
    }
    st->console_port = port;

    dom = xc_dom_allocate(ctx->xch, b_info->cmdline, NULL);
    if (!dom) {
        LOGED(ERROR, domid, "xc_dom_allocate failed");
        return ERROR_FAIL;
    }
    dom->container_type = XC_DOM_HVM_CONTAINER;
    dom->max_vcpus = b_info->max_vcpus;
    dom->console_evtchn = st->console_port;
    dom->console_domid = st->console_domid;
    dom->xenstore_evtchn = st->store_port;
    dom->xenstore_domid = st->store_domid;
    if (xc_dom_kernel_file(dom, b_info->kernel)) {
        LOGED(ERROR, domid, "cannot load kernel %s", b_info->kernel);
        goto out;
    }
    if (b_info->ramdisk && b_info->ramdisk[0] &&
        xc_dom_module_file(dom, b_info->ramdisk, NULL)) {
        LOGED(ERROR, domid, "cannot load ramdisk %s", b_info->ramdisk);
        goto out;
    }
    if (xc_dom_boot_xen_init(dom, ctx->xch, domid)) {
        LOGED(ERROR, domid, "xc_dom_boot_xen_init failed");
        goto out;
    }
    if (xc_dom_parse_image(dom)) {
        LOGD(ERROR, domid,
             "kernel %s is not a PVH kernel (an x86 ELF with "
             "a XEN_ELFNOTE_PHYS32_ENTRY note)",
             b_info->kernel);
        rc = ERROR_INVAL;
        goto out;
    }
    if (xc_dom_mem_init(dom, ram_kb / 1024)) {
        LOGED(ERROR, domid, "xc_dom_mem_init failed");
        goto out;
    }
    if (xc_dom_boot_mem_init(dom)) {
        if (errno == ENOMEM) {
            LOGD(ERROR, domid,
                 "the hypervisor refused the guest's %" PRIu64
                 " KiB of RAM: not enough free memory",
                 ram_kb);
            rc = ERROR_NOMEM;
        } else {
            LOGED(ERROR, domid, "xc_dom_boot_mem_init failed");
        }
        goto out;
    }
    if (xc_dom_build_image(dom)) {
        LOGED(ERROR, domid, "xc_dom_build_image failed");
        goto out;
    }
    if (xc_dom_boot_image(dom)) {
        LOGED(ERROR, domid, "xc_dom_boot_image failed");
        goto out;
    }
    if (xc_dom_gnttab_init(dom)) {
        LOGED(ERROR, domid, "xc_dom_gnttab_init failed");
        goto out;
    }
    st->store_mfn = dom->xenstore_pfn;
    st->console_mfn = dom->console_pfn;
    rc = 0;
out:
    xc_dom_release(dom);
    return rc;
}

/* What the guest and the daemons read: memory, vCPUs, store, start. */
static int build_post(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                      void *arg)
{
    const struct build_state *st = arg;
    libxl_domain_build_info *b_info = &st->config->b_info;
    char dom_path[LIBXL__PATH_MAX], path[LIBXL__PATH_MAX];
    char *vm_path = libxl__vm_path(ctx, t, domid);
    struct timeval start;
    int rc;

    libxl__path(dom_path, "/local/domain/%" PRIu32, domid);
    rc = libxl__path(path, "%s/memory/static-max", dom_path) ?:
         libxl__xs_printf(ctx, t, path, "%" PRIu64, b_info->max_memkb) ?:
         libxl__path(path, "%s/memory/target", dom_path) ?:
         libxl__xs_printf(ctx, t, path, "%" PRIu64,
                          b_info->target_memkb - b_info->video_memkb) ?:
         libxl__path(path, "%s/memory/videoram", dom_path) ?:
         libxl__xs_printf(ctx, t, path, "%" PRIu64, b_info->video_memkb) ?:
         libxl__path(path, "%s/domid", dom_path) ?:
         libxl__xs_printf(ctx, t, path, "%" PRIu32, domid) ?:
         libxl__path(path, "%s/store/port", dom_path) ?:
         libxl__xs_printf(ctx, t, path, "%" PRIu32, st->store_port) ?:
         libxl__path(path, "%s/store/ring-ref", dom_path) ?:
         libxl__xs_printf(ctx, t, path, "%lu", (unsigned long)st->store_mfn);
    if (!rc)
        rc = libxl__vcpus_set_availability(ctx, domid, t, &b_info->avail_vcpus,
                                           b_info->max_vcpus);
    if (!rc && !vm_path) {
        LOGED(ERROR, domid, "the domain has no %s/vm", dom_path);
        rc = ERROR_FAIL;
    }
    if (!rc) {
        gettimeofday(&start, NULL);
        rc = libxl__path(path, "%s/start_time", vm_path)
                 ?: libxl__xs_printf(ctx, t, path, "%" PRIu64 ".%02ld",
                                     (uint64_t)start.tv_sec,
                                     (long)start.tv_usec / 10000);
    }
    free(vm_path);
    return rc;
}

/* Console 0, served by xenconsoled: frontend and backend as Xen has them. */
static int add_console(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                       void *arg)
{
    const struct build_state *st = arg;
    uint32_t be = st->console_domid;
    struct xs_permissions front_perms[2] = {{domid, XS_PERM_NONE},
                                            {be, XS_PERM_READ}};
    struct xs_permissions ro_front_perms[2] = {{be, XS_PERM_NONE},
                                               {domid, XS_PERM_READ}};
    char front[LIBXL__PATH_MAX], back[LIBXL__PATH_MAX], path[LIBXL__PATH_MAX];
    char v[32];
    int rc;
    /* What the backend sets up is read-only to the guest, as in Xen. */
    const struct {
        const char *key, *val;
        bool ro;
    } front_ents[] = {
        {"backend-id", NULL, false},
        {"limit", LIBXL_XENCONSOLE_LIMIT_STR, true},
        {"type", "xenconsoled", true},
        {"output", "pty", true},
        {"tty", "", true},
    };

    snprintf(v, sizeof(v), "%" PRIu32, be);
    libxl__path(front, "/local/domain/%" PRIu32 "/console", domid);
    libxl__path(back, "/local/domain/%" PRIu32 "/backend/console/%" PRIu32 "/0",
                be, domid);
    rc = libxl__xs_rm(ctx, t, back) ?:
         libxl__xs_mknod(ctx, t, back, ro_front_perms,
                         ARRAY_SIZE(ro_front_perms)) ?:
         libxl__xs_rm(ctx, t, front) ?:
         libxl__xs_mknod(ctx, t, front, front_perms, ARRAY_SIZE(front_perms));
    for (size_t i = 0; !rc && i < ARRAY_SIZE(front_ents); i++) {
        rc = libxl__path(path, "%s/%s", front, front_ents[i].key);
        if (!rc && front_ents[i].ro)
            rc = libxl__xs_mknod(ctx, t, path, ro_front_perms,
                                 ARRAY_SIZE(ro_front_perms));
        if (!rc)
            rc = libxl__xs_printf(ctx, t, path, "%s",
                                  front_ents[i].val ?: v);
    }
    /* The ring: the guest may read but not redirect it. */
    if (!rc)
        rc = libxl__path(path, "%s/port", front) ?:
             libxl__xs_mknod(ctx, t, path, ro_front_perms,
                             ARRAY_SIZE(ro_front_perms)) ?:
             libxl__xs_printf(ctx, t, path, "%" PRIu32, st->console_port) ?:
             libxl__path(path, "%s/ring-ref", front) ?:
             libxl__xs_mknod(ctx, t, path, ro_front_perms,
                             ARRAY_SIZE(ro_front_perms)) ?:
             libxl__xs_printf(ctx, t, path, "%lu",
                              (unsigned long)st->console_mfn) ?:
             libxl__path(path, "%s/backend", front) ?:
             libxl__xs_printf(ctx, t, path, "%s", back);
    if (!rc)
        rc = libxl__path(path, "%s/frontend", back) ?:
             libxl__xs_printf(ctx, t, path, "%s", front) ?:
             libxl__path(path, "%s/frontend-id", back) ?:
             libxl__xs_printf(ctx, t, path, "%" PRIu32, domid) ?:
             libxl__path(path, "%s/online", back) ?:
             libxl__xs_printf(ctx, t, path, "1") ?:
             libxl__path(path, "%s/state", back) ?:
             libxl__xs_printf(ctx, t, path, "1") ?:
             libxl__path(path, "%s/protocol", back) ?:
             libxl__xs_printf(ctx, t, path, "%s", LIBXL_XENCONSOLE_PROTOCOL);
    return rc;
}

/* The configuration as given, with what creation chose, as userdata. */
static int store_config(libxl_ctx *ctx, uint32_t domid,
                        libxl_domain_config *saved,
                        const libxl_domain_config *config)
{
    char *json;
    int rc;

    libxl_uuid_copy(ctx, &saved->c_info.uuid, &config->c_info.uuid);
    saved->b_info.video_memkb = config->b_info.video_memkb;
    json = libxl_domain_config_to_json(ctx, saved);
    if (!json) {
        LOGD(ERROR, domid, "cannot convert the configuration to JSON");
        return ERROR_FAIL;
    }
    rc = libxl_userdata_store(ctx, domid, LIBXL_JSON_USERDATA,
                              (const uint8_t *)json, strlen(json) + 1);
    free(json);
    return rc;
}

static int create_pvh(libxl_ctx *ctx, libxl_domain_config *config,
                      uint32_t *domid_out,
                      const libxl_asyncprogress_how *aop_console_how)
{
    libxl_domain_config saved;
    struct build_state st = {.config = config};
    uint32_t domid = INVALID_DOMID, other;
    libxl_event *ev;
    int rc;

    libxl_domain_config_init(&saved);
    libxl_domain_config_copy(ctx, &saved, config);
    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx) ?:
         libxl__domain_config_setdefault(ctx, config, INVALID_DOMID);
    if (rc)
        goto out;
    if (!libxl_name_to_domid(ctx, config->c_info.name, &other)) {
        LOG(ERROR, "domain with name \"%s\" already exists.",
            config->c_info.name);
        rc = ERROR_INVAL;
        goto out;
    }
    rc = check_memory(ctx, config);
    if (rc)
        goto out;

    rc = make_domain(ctx, config, &domid);
    if (rc)
        goto fail;
    rc = apply_affinity(ctx, domid, &config->b_info) ?:
         libxl_domain_sched_params_set(ctx, domid,
                                       &config->b_info.sched_params) ?:
         libxl__xs_transact(ctx, domid, make_trees, config) ?:
         build_pvh(ctx, domid, &config->b_info, &st) ?:
         libxl__xs_transact(ctx, domid, build_post, &st);
    if (rc)
        goto fail;
    /* The console first: xenconsoled looks at it on the introduction. */
    rc = libxl__xs_transact(ctx, domid, add_console, &st);
    if (rc)
        goto fail;
    if (!xs_introduce_domain(ctx->xsh, domid, st.store_mfn, st.store_port)) {
        LOGED(ERROR, domid, "xs_introduce_domain failed");
        rc = ERROR_FAIL;
        goto fail;
    }
    rc = store_config(ctx, domid, &saved, config);
    if (rc)
        goto fail;
    if (aop_console_how) {
        ev = libxl__event_new(ctx,
                              LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE,
                              domid, aop_console_how->for_event);
        if (ev)
            libxl__aop_occurred(ctx, aop_console_how, ev);
    }
    *domid_out = domid;
    goto out;

fail:
    if (domid != (uint32_t)INVALID_DOMID) {
        LOGD(ERROR, domid,
             "cannot create the domain: destroying what was "
             "made of it");
        libxl__destroy_domain(ctx, domid);
    }
out:
    libxl_domain_config_dispose(&saved);
    return rc;
}

XENTOOLS_EXPORT int
libxl_domain_create_new(libxl_ctx *ctx, libxl_domain_config *d_config,
                        uint32_t *domid, const libxl_asyncop_how *ao_how,
                        const libxl_asyncprogress_how *aop_console_how)
{
    uint32_t id = INVALID_DOMID;
    int rc = create_pvh(ctx, d_config, &id, aop_console_how);

    *domid = id;
    return libxl__ao_complete(ctx, ao_how, id, rc);
}
