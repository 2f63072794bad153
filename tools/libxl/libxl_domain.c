/*
 * Domains once they exist: information, pause, shutdown, destroy,
 * rename, memory, vCPUs, the stored configuration.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libxl_internal.h"

/* How long a guest has to acknowledge a control/shutdown request. */
#define PVCONTROL_TIMEOUT_SECS 60

int libxl__domain_getinfo(libxl_ctx *ctx, uint32_t domid, xc_domaininfo_t *info)
{
    int n = xc_domain_getinfolist(ctx->xch, domid, 1, info);

    if (n < 0 && errno != ESRCH) {
        LOGED(ERROR, domid, "getting domain info");
        return ERROR_FAIL;
    }
    if (n < 1 || info->domain != domid)
        return ERROR_DOMAIN_NOTFOUND;
    return 0;
}

static void xcinfo2xlinfo(const xc_domaininfo_t *xc, libxl_dominfo *xl)
{
    libxl_dominfo_init(xl);
    memcpy(xl->uuid.uuid, xc->handle, sizeof(xl->uuid.uuid));
    xl->domid = xc->domain;
    xl->ssidref = xc->ssidref;
    xl->dying = !!(xc->flags & XEN_DOMINF_dying);
    xl->shutdown = !!(xc->flags & XEN_DOMINF_shutdown);
    xl->paused = !!(xc->flags & XEN_DOMINF_paused);
    xl->blocked = !!(xc->flags & XEN_DOMINF_blocked);
    xl->running = !!(xc->flags & XEN_DOMINF_running);
    xl->never_stop = !!(xc->flags & XEN_DOMINF_xs_domain);
    if (xl->shutdown)
        xl->shutdown_reason =
            (xc->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    else
        xl->shutdown_reason = LIBXL_SHUTDOWN_REASON_UNKNOWN;
    xl->outstanding_memkb = PAGE_TO_MEMKB(xc->outstanding_pages);
    xl->current_memkb = PAGE_TO_MEMKB(xc->tot_pages);
    xl->shared_memkb = PAGE_TO_MEMKB(xc->shr_pages);
    xl->paged_memkb = PAGE_TO_MEMKB(xc->paged_pages);
    xl->max_memkb = PAGE_TO_MEMKB(xc->max_pages);
    xl->cpu_time = xc->cpu_time;
    xl->vcpu_max_id = xc->max_vcpu_id;
    xl->vcpu_online = xc->nr_online_vcpus;
    xl->cpupool = xc->cpupool;
    xl->gpaddr_bits = xc->gpaddr_bits;
    xl->domain_type = (xc->flags & XEN_DOMINF_hvm_guest) ? LIBXL_DOMAIN_TYPE_HVM
                                                         : LIBXL_DOMAIN_TYPE_PV;
}

XENTOOLS_EXPORT libxl_dominfo *libxl_list_domain(libxl_ctx *ctx,
                                                 int *nb_domain_out)
{
    enum { BATCH = 256 };
    xc_domaininfo_t info[BATCH];
    libxl_dominfo *list = NULL;
    uint32_t next = 0;
    int nb = 0, n;

    *nb_domain_out = 0;
    if (libxl__need_xc(ctx))
        return NULL;
    do {
        libxl_dominfo *bigger;

        n = xc_domain_getinfolist(ctx->xch, next, BATCH, info);
        if (n < 0 && errno == ESRCH)
            n = 0;
        if (n < 0) {
            LOGE(ERROR, "getting the domain list");
            goto fail;
        }
        /* One spare, so that an empty list is not NULL. */
        bigger = realloc(list, (nb + n + 1) * sizeof(*list));
        if (!bigger) {
            LOG(ERROR, "out of memory for the domain list");
            goto fail;
        }
        list = bigger;
        for (int i = 0; i < n; i++)
            xcinfo2xlinfo(&info[i], &list[nb++]);
        if (n)
            next = info[n - 1].domain + 1;
    } while (n == BATCH);
    if (!list)
        list = calloc(1, sizeof(*list));
    *nb_domain_out = nb;
    return list;
fail:
    libxl_dominfo_list_free(list, nb);
    return NULL;
}

XENTOOLS_EXPORT void libxl_dominfo_list_free(libxl_dominfo *list, int nb_domain)
{
    for (int i = 0; list && i < nb_domain; i++)
        libxl_dominfo_dispose(&list[i]);
    free(list);
}

XENTOOLS_EXPORT int libxl_domain_info(libxl_ctx *ctx, libxl_dominfo *info_r,
                                      uint32_t domid)
{
    xc_domaininfo_t info;
    int rc;

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    rc = libxl__domain_getinfo(ctx, domid, &info);
    if (!rc && info_r)
        xcinfo2xlinfo(&info, info_r);
    return rc;
}

XENTOOLS_EXPORT libxl_vcpuinfo *libxl_list_vcpu(libxl_ctx *ctx, uint32_t domid,
                                                int *nb_vcpu, int *nr_cpus_out)
{
    libxl_vcpuinfo *list = NULL;
    xc_domaininfo_t dinfo;
    xc_physinfo_t pinfo = {0};
    unsigned int n;
    int i = 0;

    *nb_vcpu = 0;
    if (libxl__need_xc(ctx))
        return NULL;
    if (libxl__domain_getinfo(ctx, domid, &dinfo)) {
        LOGD(ERROR, domid, "getting domain info for the vcpu list");
        return NULL;
    }
    if (libxl__physinfo(ctx, &pinfo))
        return NULL;
    *nr_cpus_out = pinfo.max_cpu_id + 1;
    n = dinfo.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID ? 0
                                                     : dinfo.max_vcpu_id + 1;
    list = calloc(n + 1, sizeof(*list));
    if (!list) {
        LOGD(ERROR, domid, "out of memory for the vcpu list");
        return NULL;
    }
    for (i = 0; i < (int)n; i++) {
        libxl_vcpuinfo *v = &list[i];
        xc_vcpuinfo_t vinfo;

        libxl_vcpuinfo_init(v);
        if (libxl_cpu_bitmap_alloc(ctx, &v->cpumap, 0) ||
            libxl_cpu_bitmap_alloc(ctx, &v->cpumap_soft, 0))
            goto fail;
        if (xc_vcpu_getinfo(ctx->xch, domid, i, &vinfo)) {
            LOGED(ERROR, domid, "getting vcpu %d info", i);
            goto fail;
        }
        if (xc_vcpu_getaffinity(
                ctx->xch, domid, i, v->cpumap.map, v->cpumap_soft.map,
                XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)) {
            LOGED(ERROR, domid, "getting vcpu %d affinity", i);
            goto fail;
        }
        v->vcpuid = i;
        v->cpu = vinfo.cpu;
        v->online = !!vinfo.online;
        v->blocked = !!vinfo.blocked;
        v->running = !!vinfo.running;
        v->vcpu_time = vinfo.cpu_time;
    }
    *nb_vcpu = n;
    return list;
fail:
    libxl_vcpuinfo_list_free(list, i + 1);
    return NULL;
}

XENTOOLS_EXPORT void libxl_vcpuinfo_list_free(libxl_vcpuinfo *list,
                                              int nr_vcpus)
{
    for (int i = 0; list && i < nr_vcpus; i++)
        libxl_vcpuinfo_dispose(&list[i]);
    free(list);
}

/* ---- Pause ---- */

XENTOOLS_EXPORT int libxl_domain_pause(libxl_ctx *ctx, uint32_t domid,
                                       const libxl_asyncop_how *ao_how)
{
    int rc = libxl__need_xc(ctx);

    if (!rc && xc_domain_pause(ctx->xch, domid)) {
        LOGED(ERROR, domid, "Pausing domain");
        rc = ERROR_FAIL;
    }
    return libxl__ao_complete(ctx, ao_how, domid, rc);
}

XENTOOLS_EXPORT int libxl_domain_unpause(libxl_ctx *ctx, uint32_t domid,
                                         const libxl_asyncop_how *ao_how)
{
    int rc = libxl__need_xc(ctx);

    if (!rc && xc_domain_unpause(ctx->xch, domid)) {
        LOGED(ERROR, domid, "Unpausing domain");
        rc = ERROR_FAIL;
    }
    return libxl__ao_complete(ctx, ao_how, domid, rc);
}

/* ---- Destroy ---- */

char *libxl__vm_path(libxl_ctx *ctx, xs_transaction_t t, uint32_t domid)
{
    char path[LIBXL__PATH_MAX];

    libxl__path(path, "/local/domain/%" PRIu32 "/vm", domid);
    return libxl__xs_read(ctx, t, path);
}

/*
 * The console backend's directory of @domid (".../backend/console/N"),
 * from its frontend's backend node; "" if there is none.
 */
static void console_backend(libxl_ctx *ctx, uint32_t domid,
                            char dir[LIBXL__PATH_MAX])
{
    char path[LIBXL__PATH_MAX], suffix[32];
    char *be, *slash;

    dir[0] = '\0';
    libxl__path(path, "/local/domain/%" PRIu32 "/console/backend", domid);
    be = libxl__xs_read(ctx, XBT_NULL, path);
    if (!be)
        return;
    /* Only what libxl wrote: the guest cannot name another tree. */
    snprintf(suffix, sizeof(suffix), "/backend/console/%" PRIu32 "/0", domid);
    slash = strrchr(be, '/');
    if (!strncmp(be, "/local/domain/", 14) && strlen(be) > strlen(suffix) &&
        !strcmp(be + strlen(be) - strlen(suffix), suffix) && slash) {
        *slash = '\0';
        libxl__path(dir, "%s", be);
    }
    free(be);
}

/*
 * Remove the domain's xenstore trees and files (it may be half-built);
 * @arg is its console backend directory or "".
 */
static int remove_trees(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                        void *arg)
{
    const char *backend = arg;
    char path[LIBXL__PATH_MAX];
    char *vm_path = libxl__vm_path(ctx, t, domid);
    int rc;

    libxl__path(path, "/local/domain/%" PRIu32, domid);
    rc = libxl__xs_rm(ctx, t, path);
    /* Only a /vm/ path: the node is the guest-visible tree's. */
    if (!rc && vm_path && !strncmp(vm_path, "/vm/", 4))
        rc = libxl__xs_rm(ctx, t, vm_path);
    libxl__path(path, "/libxl/%" PRIu32, domid);
    if (!rc)
        rc = libxl__xs_rm(ctx, t, path);
    if (!rc && backend[0])
        rc = libxl__xs_rm(ctx, t, backend);
    free(vm_path);
    return rc;
}

static int remove_traces(libxl_ctx *ctx, uint32_t domid, char *backend)
{
    int rc = libxl__xs_transact(ctx, domid, remove_trees, backend);

    libxl__userdata_destroyall(ctx, domid);
    return rc;
}

int libxl__destroy_domain(libxl_ctx *ctx, uint32_t domid)
{
    char backend[LIBXL__PATH_MAX];
    int rc;

    /*
     * Read before the domain goes: xenstored then deletes the nodes the
     * domain owns, its console frontend among them.
     */
    console_backend(ctx, domid, backend);
    if (xc_domain_destroy(ctx->xch, domid) && errno != ESRCH) {
        LOGED(ERROR, domid, "xc_domain_destroy failed");
        return ERROR_FAIL;
    }
    rc = remove_traces(ctx, domid, backend);
    /*
     * xenstored forgets the domain when the hypervisor reports it gone;
     * tell it now as well (it may have already: ENOENT).
     */
    if (!xs_release_domain(ctx->xsh, domid) && errno != ENOENT &&
        errno != EINVAL)
        LOGED(WARN, domid, "xs_release_domain failed");
    return rc;
}

XENTOOLS_EXPORT int libxl_domain_destroy(libxl_ctx *ctx, uint32_t domid,
                                         const libxl_asyncop_how *ao_how)
{
    xc_domaininfo_t info;
    int rc;

    if (!libxl_domid_valid_guest(domid)) {
        LOGD(ERROR, domid, "cannot destroy domain 0 or a reserved domain id");
        return libxl__ao_complete(ctx, ao_how, domid, ERROR_INVAL);
    }
    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return libxl__ao_complete(ctx, ao_how, domid, rc);
    rc = libxl__domain_getinfo(ctx, domid, &info);
    if (rc == ERROR_DOMAIN_NOTFOUND) {
        LOGD(ERROR, domid, "Non-existant domain");
        char backend[LIBXL__PATH_MAX];

        /* Whatever an earlier failure left behind is garbage now. */
        console_backend(ctx, domid, backend);
        remove_traces(ctx, domid, backend);
    } else if (!rc) {
        rc = libxl__destroy_domain(ctx, domid);
    }
    return libxl__ao_complete(ctx, ao_how, domid, rc);
}

/* ---- Shutdown and reboot ---- */

/* Whether the guest said it acts on control/shutdown = @cmd. */
static bool pvcontrol_feature(libxl_ctx *ctx, uint32_t domid, const char *cmd)
{
    char path[LIBXL__PATH_MAX];
    char *v;
    bool yes;

    libxl__path(path, "/local/domain/%" PRIu32 "/control/feature-%s", domid,
                cmd);
    v = libxl__xs_read(ctx, XBT_NULL, path);
    yes = v && !strcmp(v, "1");
    free(v);
    return yes;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Wait for the guest to take the request: it empties (or removes) the
 * node, or it has shut down already. A private handle keeps the watch
 * apart from the context's event watches.
 */
static int wait_pvcontrol_ack(libxl_ctx *ctx, uint32_t domid, const char *path)
{
    int64_t deadline = now_ms() + PVCONTROL_TIMEOUT_SECS * 1000;
    struct xs_handle *xs = xs_open(0);
    int rc = ERROR_TIMEDOUT;

    if (!xs || !xs_watch(xs, path, "ack")) {
        LOGED(ERROR, domid, "watching %s", path);
        if (xs)
            xs_close(xs);
        return ERROR_FAIL;
    }
    for (;;) {
        struct pollfd pfd = {.fd = xs_fileno(xs), .events = POLLIN};
        unsigned int len = 0;
        xc_domaininfo_t info;
        char *v = xs_read(xs, XBT_NULL, path, &len);
        int64_t left;

        free(v);
        if (!v || !len || libxl__domain_getinfo(ctx, domid, &info) ||
            (info.flags & XEN_DOMINF_shutdown)) {
            rc = 0;
            break;
        }
        left = deadline - now_ms();
        if (left <= 0)
            break;
        if (poll(&pfd, 1, left) > 0)
            for (char **ev; (ev = xs_check_watch(xs));)
                free(ev);
    }
    if (rc)
        LOGD(ERROR, domid, "guest didn't acknowledge control request");
    xs_close(xs);
    return rc;
}

static int pvcontrol(libxl_ctx *ctx, uint32_t domid, const char *cmd,
                     int reason)
{
    char path[LIBXL__PATH_MAX];
    xc_domaininfo_t info;
    int rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return rc;
    rc = libxl__domain_getinfo(ctx, domid, &info);
    if (rc) {
        if (rc == ERROR_DOMAIN_NOTFOUND)
            LOGD(ERROR, domid, "no such domain");
        return rc;
    }
    if (!pvcontrol_feature(ctx, domid, cmd)) {
        /* No PV control in the guest: the hypervisor shuts it down. */
        LOGD(DEBUG, domid, "no control/feature-%s: shutting down directly",
             cmd);
        if (xc_domain_shutdown(ctx->xch, domid, reason)) {
            LOGED(ERROR, domid, "shutting the domain down (%s)", cmd);
            return ERROR_FAIL;
        }
        return 0;
    }
    libxl__path(path, "/local/domain/%" PRIu32 "/control/shutdown", domid);
    rc = libxl__xs_printf(ctx, XBT_NULL, path, "%s", cmd);
    if (rc)
        return rc;
    return wait_pvcontrol_ack(ctx, domid, path);
}

XENTOOLS_EXPORT int libxl_domain_shutdown(libxl_ctx *ctx, uint32_t domid,
                                          const libxl_asyncop_how *ao_how)
{
    return libxl__ao_complete(
        ctx, ao_how, domid,
        pvcontrol(ctx, domid, "poweroff", SHUTDOWN_poweroff));
}

XENTOOLS_EXPORT int libxl_domain_reboot(libxl_ctx *ctx, uint32_t domid,
                                        const libxl_asyncop_how *ao_how)
{
    return libxl__ao_complete(ctx, ao_how, domid,
                              pvcontrol(ctx, domid, "reboot", SHUTDOWN_reboot));
}

/* ---- Names ---- */

static int rename_in(libxl_ctx *ctx, uint32_t domid, const char *old_name,
                     const char *new_name, xs_transaction_t t)
{
    char path[LIBXL__PATH_MAX];
    char *got = NULL, *vm_path = NULL;
    uint32_t other;
    int rc;

    libxl__path(path, "/local/domain/%" PRIu32 "/name", domid);
    got = libxl__xs_read(ctx, t, path);
    if (!got && errno != ENOENT) {
        LOGED(ERROR, domid, "check old name for domain allegedly named `%s'",
              old_name ? old_name : "");
        rc = ERROR_FAIL;
        goto out;
    }
    if (got && !strcmp(got, new_name)) {
        rc = 0; /* already so named */
        goto out;
    }
    if (old_name && (!got || strcmp(got, old_name))) {
        LOGD(ERROR, domid,
             "domain allegedly named `%s' is actually named `%s'"
             " - racing ?",
             old_name, got ? got : "");
        rc = ERROR_FAIL;
        goto out;
    }
    if (new_name[0]) {
        /* Non-empty names are unique. */
        rc = libxl_name_to_domid(ctx, new_name, &other);
        if (!rc && other != domid) {
            LOGD(ERROR, domid, "domain with name \"%s\" already exists.",
                 new_name);
            rc = ERROR_INVAL;
            goto out;
        }
        if (rc && rc != ERROR_INVAL) {
            LOGD(ERROR, domid, "unexpected error checking for existing domain");
            goto out;
        }
    }
    rc = libxl__xs_printf(ctx, t, path, "%s", new_name);
    if (rc)
        goto out;
    vm_path = libxl__vm_path(ctx, t, domid);
    if (vm_path && libxl__path(path, "%s/name", vm_path) == 0)
        rc = libxl__xs_printf(ctx, t, path, "%s", new_name);
out:
    free(got);
    free(vm_path);
    return rc;
}

struct rename_args {
    const char *old_name, *new_name;
};

static int rename_t(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                    void *arg)
{
    const struct rename_args *a = arg;

    return rename_in(ctx, domid, a->old_name, a->new_name, t);
}

int libxl__domain_rename(libxl_ctx *ctx, uint32_t domid, const char *old_name,
                         const char *new_name, xs_transaction_t t)
{
    struct rename_args a = {old_name, new_name};

    if (!new_name) {
        LOG(ERROR, "new domain name not specified");
        return ERROR_INVAL;
    }
    if (t)
        return rename_in(ctx, domid, old_name, new_name, t);
    return libxl__xs_transact(ctx, domid, rename_t, &a);
}

XENTOOLS_EXPORT int libxl_domain_rename(libxl_ctx *ctx, uint32_t domid,
                                        const char *old_name,
                                        const char *new_name)
{
    int rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);

    return rc ? rc : libxl__domain_rename(ctx, domid, old_name, new_name, 0);
}

struct preserve_args {
    const char *old_name, *new_name;
    char uuid[LIBXL_UUID_FMTLEN + 1];
};

static int preserve_t(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                      void *arg)
{
    const struct preserve_args *a = arg;
    struct xs_permissions roperm[2] = {{0, XS_PERM_NONE},
                                       {domid, XS_PERM_READ}};
    char vm_path[LIBXL__PATH_MAX], path[LIBXL__PATH_MAX];
    char *old_vm = libxl__vm_path(ctx, t, domid);
    int rc;

    libxl__path(vm_path, "/vm/%s", a->uuid);
    /* The old /vm tree goes: a restarted domain makes its own. */
    rc = old_vm && !strncmp(old_vm, "/vm/", 4) ? libxl__xs_rm(ctx, t, old_vm)
                                               : 0;
    free(old_vm);
    rc = rc ?: libxl__xs_rm(ctx, t, vm_path) ?:
         libxl__xs_mknod(ctx, t, vm_path, roperm, ARRAY_SIZE(roperm));
    if (!rc) {
        libxl__path(path, "/local/domain/%" PRIu32 "/vm", domid);
        rc = libxl__xs_printf(ctx, t, path, "%s", vm_path);
    }
    if (!rc)
        rc = rename_in(ctx, domid, a->old_name, a->new_name, t);
    if (!rc) {
        libxl__path(path, "%s/uuid", vm_path);
        rc = libxl__xs_printf(ctx, t, path, "%s", a->uuid);
    }
    return rc;
}

XENTOOLS_EXPORT int libxl_domain_preserve(libxl_ctx *ctx, uint32_t domid,
                                          libxl_domain_create_info *info,
                                          const char *name_suffix,
                                          libxl_uuid new_uuid)
{
    struct preserve_args a = {.old_name = info->name};
    char *preserved = NULL;
    int rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return rc;
    if (!info->name || asprintf(&preserved, "%s%s", info->name,
                                name_suffix ? name_suffix : "") < 0) {
        LOGD(ERROR, domid, "no name to preserve the domain under");
        return ERROR_INVAL;
    }
    a.new_name = preserved;
    snprintf(a.uuid, sizeof(a.uuid), LIBXL_UUID_FMT,
             LIBXL_UUID_BYTES(new_uuid));
    rc = libxl__xs_transact(ctx, domid, preserve_t, &a);
    free(preserved);
    return rc;
}

XENTOOLS_EXPORT uint32_t libxl_vm_get_start_time(libxl_ctx *ctx, uint32_t domid)
{
    char path[LIBXL__PATH_MAX];
    char *vm_path, *start;
    uint32_t secs = 0;

    if (libxl__need_xs(ctx))
        return 0;
    vm_path = libxl__vm_path(ctx, XBT_NULL, domid);
    if (vm_path && !libxl__path(path, "%s/start_time", vm_path)) {
        start = libxl__xs_read(ctx, XBT_NULL, path);
        if (start)
            secs = strtoul(start, NULL, 10);
        else
            LOGED(ERROR, domid, "Can't get start time of domain");
        free(start);
    }
    free(vm_path);
    return secs;
}

/* ---- Memory ---- */

/* A KiB value from the domain's memory/@node: 0 or ERROR_FAIL (logged). */
static int read_memkb(libxl_ctx *ctx, xs_transaction_t t, uint32_t domid,
                      const char *node, uint64_t *kb)
{
    char path[LIBXL__PATH_MAX];
    char *v, *end;
    int rc = 0;

    libxl__path(path, "/local/domain/%" PRIu32 "/memory/%s", domid, node);
    v = libxl__xs_read(ctx, t, path);
    if (!v) {
        LOGED(ERROR, domid, "Cannot get memory info from %s", path);
        return ERROR_FAIL;
    }
    errno = 0;
    *kb = strtoull(v, &end, 10);
    if (errno || end == v || *end) {
        LOGD(ERROR, domid, "Invalid memory %s from %s", v, path);
        rc = ERROR_FAIL;
    }
    free(v);
    return rc;
}

XENTOOLS_EXPORT int libxl_domain_setmaxmem(libxl_ctx *ctx, uint32_t domid,
                                           uint64_t max_memkb)
{
    uint64_t target;
    int rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return rc;
    rc = read_memkb(ctx, XBT_NULL, domid, "target", &target);
    if (rc)
        return rc;
    if (max_memkb < target) {
        LOGD(ERROR, domid,
             "memory_static_max must be greater than or or "
             "equal to memory_dynamic_max");
        return ERROR_INVAL;
    }
    if (xc_domain_setmaxmem(ctx->xch, domid,
                            max_memkb + LIBXL_MAXMEM_CONSTANT)) {
        LOGED(ERROR, domid,
              "xc_domain_setmaxmem domid=%" PRIu32 " memkb=%" PRIu64 " failed",
              domid, max_memkb + LIBXL_MAXMEM_CONSTANT);
        return ERROR_FAIL;
    }
    return 0;
}

struct memory_target_args {
    int64_t target_memkb;
    int relative, enforce;
};

static int set_memory_target_t(libxl_ctx *ctx, uint32_t domid,
                               xs_transaction_t t, void *arg)
{
    const struct memory_target_args *a = arg;
    char path[LIBXL__PATH_MAX];
    uint64_t current, static_max, videoram = 0;
    int64_t new_target;
    int rc;

    rc = read_memkb(ctx, t, domid, "target", &current)
             ?: read_memkb(ctx, t, domid, "static-max", &static_max);
    if (rc)
        return rc;
    if (read_memkb(ctx, t, domid, "videoram", &videoram))
        videoram = 0;
    new_target =
        a->relative ? (int64_t)current + a->target_memkb : a->target_memkb;
    if (new_target < 0) {
        LOGD(ERROR, domid, "new target %" PRId64 " is below zero", new_target);
        return ERROR_INVAL;
    }
    if ((uint64_t)new_target + videoram > static_max) {
        LOGD(ERROR, domid,
             "memory_dynamic_max must be less than or "
             "equal to memory_static_max");
        return ERROR_INVAL;
    }
    if (a->enforce &&
        xc_domain_setmaxmem(ctx->xch, domid,
                            new_target + videoram + LIBXL_MAXMEM_CONSTANT)) {
        LOGED(ERROR, domid, "xc_domain_setmaxmem memkb=%" PRIu64 " failed",
              new_target + videoram + LIBXL_MAXMEM_CONSTANT);
        return ERROR_FAIL;
    }
    libxl__path(path, "/local/domain/%" PRIu32 "/memory/target", domid);
    return libxl__xs_printf(ctx, t, path, "%" PRId64, new_target);
}

XENTOOLS_EXPORT int libxl_set_memory_target(libxl_ctx *ctx, uint32_t domid,
                                            int64_t target_memkb, int relative,
                                            int enforce)
{
    struct memory_target_args a = {target_memkb, relative, enforce};
    int rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return rc;
    if (!domid) {
        LOGD(ERROR, domid,
             "Domain-0 is the host: its memory is not "
             "ballooned (the hypervisor lends free memory to "
             "new domains itself)");
        return ERROR_INVAL;
    }
    return libxl__xs_transact(ctx, domid, set_memory_target_t, &a);
}

XENTOOLS_EXPORT int libxl_get_memory_target(libxl_ctx *ctx, uint32_t domid,
                                            uint64_t *out_target)
{
    libxl_dominfo info;
    int rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return rc;
    if (domid) /* the host has no balloon target: it has what it holds */
        return read_memkb(ctx, XBT_NULL, domid, "target", out_target);
    rc = libxl_domain_info(ctx, &info, 0);
    if (rc)
        return rc;
    *out_target = info.current_memkb;
    libxl_dominfo_dispose(&info);
    return 0;
}

XENTOOLS_EXPORT int libxl_wait_for_memory_target(libxl_ctx *ctx, uint32_t domid,
                                                 int wait_secs)
{
    uint64_t target = 0;
    libxl_dominfo info;
    int rc;

    for (int i = 0; i <= wait_secs * 10; i++) {
        rc = libxl_get_memory_target(ctx, domid, &target)
                 ?: libxl_domain_info(ctx, &info, domid);
        if (rc)
            return rc;
        rc = info.current_memkb <= target ? 0 : ERROR_FAIL;
        libxl_dominfo_dispose(&info);
        if (!rc)
            return 0;
        if (i < wait_secs * 10)
            usleep(100000);
    }
    LOGD(ERROR, domid,
         "the domain did not reach its memory target of %" PRIu64
         " KiB within %d s",
         target, wait_secs);
    return ERROR_FAIL;
}

/* ---- vCPUs ---- */

int libxl__vcpus_set_availability(libxl_ctx *ctx, uint32_t domid,
                                  xs_transaction_t t, const libxl_bitmap *map,
                                  unsigned int max)
{
    char path[LIBXL__PATH_MAX];
    int rc = 0;

    for (unsigned int i = 0; i < max && !rc; i++) {
        libxl__path(path, "/local/domain/%" PRIu32 "/cpu/%u/availability",
                    domid, i);
        rc = libxl__xs_printf(ctx, t, path, "%s",
                              libxl_bitmap_test(map, i) ? "online" : "offline");
    }
    return rc;
}

struct vcpuonline_args {
    const libxl_bitmap *cpumap;
    unsigned int max;
};

static int set_vcpuonline_t(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                            void *arg)
{
    const struct vcpuonline_args *a = arg;

    return libxl__vcpus_set_availability(ctx, domid, t, a->cpumap, a->max);
}

XENTOOLS_EXPORT int libxl_set_vcpuonline(libxl_ctx *ctx, uint32_t domid,
                                         libxl_bitmap *cpumap,
                                         const libxl_asyncop_how *ao_how)
{
    struct vcpuonline_args a = {.cpumap = cpumap};
    xc_domaininfo_t info;
    int n, rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (!rc)
        rc = libxl__domain_getinfo(ctx, domid, &info);
    if (rc)
        return libxl__ao_complete(ctx, ao_how, domid, rc);
    a.max =
        info.max_vcpu_id == XEN_INVALID_MAX_VCPU_ID ? 0 : info.max_vcpu_id + 1;
    n = libxl_bitmap_count_set(cpumap);
    if (!n) {
        LOGD(ERROR, domid, "Requested 0 VCPUs!");
        return libxl__ao_complete(ctx, ao_how, domid, ERROR_FAIL);
    }
    if ((unsigned int)n > a.max) {
        LOGD(ERROR, domid, "Requested %d VCPUs, however maxcpus is %u!", n,
             a.max);
        return libxl__ao_complete(ctx, ao_how, domid, ERROR_FAIL);
    }
    rc = libxl__xs_transact(ctx, domid, set_vcpuonline_t, &a);
    return libxl__ao_complete(ctx, ao_how, domid, rc);
}

/* A map the hypervisor may write back into, with @src's bits. */
static int cpumap_for_xen(libxl_ctx *ctx, libxl_bitmap *dst,
                          const libxl_bitmap *src)
{
    int rc = libxl_cpu_bitmap_alloc(ctx, dst, 0);

    if (!rc)
        libxl_bitmap_copy(ctx, dst, src);
    return rc;
}

static int set_vcpuaffinity(libxl_ctx *ctx, uint32_t domid, uint32_t vcpuid,
                            const libxl_bitmap *cpumap_hard,
                            const libxl_bitmap *cpumap_soft, bool force)
{
    libxl_bitmap hard, soft, both;
    uint32_t flags = 0;
    int rc;

    if (!cpumap_hard && !cpumap_soft)
        return ERROR_INVAL;
    rc = libxl__need_xc(ctx);
    if (rc)
        return rc;
    libxl_bitmap_init(&hard);
    libxl_bitmap_init(&soft);
    libxl_bitmap_init(&both);
    if (cpumap_hard && cpumap_soft && !force) {
        /* A soft affinity outside the hard one is never used. */
        rc = libxl_bitmap_and(ctx, &both, cpumap_hard, cpumap_soft);
        if (!rc && libxl_bitmap_is_empty(&both)) {
            LOGD(ERROR, domid,
                 "hard and soft affinity of vcpu %" PRIu32 " do not intersect",
                 vcpuid);
            rc = ERROR_INVAL;
        }
        if (rc)
            goto out;
    }
    if (cpumap_hard) {
        rc = cpumap_for_xen(ctx, &hard, cpumap_hard);
        if (rc)
            goto out;
        flags |= XEN_VCPUAFFINITY_HARD;
    }
    if (cpumap_soft) {
        rc = cpumap_for_xen(ctx, &soft, cpumap_soft);
        if (rc)
            goto out;
        flags |= XEN_VCPUAFFINITY_SOFT;
    }
    if (xc_vcpu_setaffinity(ctx->xch, domid, vcpuid, hard.map, soft.map,
                            flags)) {
        LOGED(ERROR, domid, "Setting vcpu affinity");
        rc = ERROR_FAIL;
        goto out;
    }
    /* The hypervisor gives back what it will use. */
    if (cpumap_hard && !libxl_bitmap_equal(cpumap_hard, &hard, 0))
        LOGD(DEBUG, domid,
             "New hard affinity for vcpu %" PRIu32 " has unreachable cpus",
             vcpuid);
    if (cpumap_soft && libxl_bitmap_is_empty(&soft))
        LOGD(WARN, domid,
             "all cpus in soft affinity of vcpu %" PRIu32 " not online",
             vcpuid);
out:
    libxl_bitmap_dispose(&hard);
    libxl_bitmap_dispose(&soft);
    libxl_bitmap_dispose(&both);
    return rc;
}

XENTOOLS_EXPORT int libxl_set_vcpuaffinity(libxl_ctx *ctx, uint32_t domid,
                                           uint32_t vcpuid,
                                           const libxl_bitmap *cpumap_hard,
                                           const libxl_bitmap *cpumap_soft)
{
    return set_vcpuaffinity(ctx, domid, vcpuid, cpumap_hard, cpumap_soft,
                            false);
}

XENTOOLS_EXPORT int
libxl_set_vcpuaffinity_force(libxl_ctx *ctx, uint32_t domid, uint32_t vcpuid,
                             const libxl_bitmap *cpumap_hard,
                             const libxl_bitmap *cpumap_soft)
{
    return set_vcpuaffinity(ctx, domid, vcpuid, cpumap_hard, cpumap_soft, true);
}

XENTOOLS_EXPORT int libxl_set_vcpuaffinity_all(libxl_ctx *ctx, uint32_t domid,
                                               unsigned int max_vcpus,
                                               const libxl_bitmap *cpumap_hard,
                                               const libxl_bitmap *cpumap_soft)
{
    int rc = 0;

    for (unsigned int i = 0; i < max_vcpus; i++)
        if (set_vcpuaffinity(ctx, domid, i, cpumap_hard, cpumap_soft, false))
            rc = ERROR_FAIL;
    return rc;
}

/* ---- The stored configuration ---- */

/* avail_vcpus from cpu/N/availability. */
static int refresh_vcpus(libxl_ctx *ctx, uint32_t domid,
                         libxl_domain_build_info *b_info)
{
    char path[LIBXL__PATH_MAX];
    int rc;

    if (b_info->max_vcpus <= 0)
        return 0;
    libxl_bitmap_dispose(&b_info->avail_vcpus);
    rc = libxl_bitmap_alloc(ctx, &b_info->avail_vcpus, b_info->max_vcpus);
    if (rc)
        return rc;
    for (int i = 0; i < b_info->max_vcpus; i++) {
        char *v;

        libxl__path(path, "/local/domain/%" PRIu32 "/cpu/%d/availability",
                    domid, i);
        v = libxl__xs_read(ctx, XBT_NULL, path);
        if (v && !strcmp(v, "online"))
            libxl_bitmap_set(&b_info->avail_vcpus, i);
        free(v);
    }
    return 0;
}

XENTOOLS_EXPORT int
libxl_retrieve_domain_configuration(libxl_ctx *ctx, uint32_t domid,
                                    libxl_domain_config *d_config,
                                    const libxl_asyncop_how *ao_how)
{
    uint8_t *data = NULL;
    uint64_t target, max;
    libxl_dominfo info;
    int len = 0, rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (!rc)
        rc = libxl_userdata_retrieve(ctx, domid, LIBXL_JSON_USERDATA, &data,
                                     &len);
    if (!rc && !len) {
        LOGD(ERROR, domid, "no stored configuration (userdata %s)",
             LIBXL_JSON_USERDATA);
        rc = ERROR_JSON_CONFIG_EMPTY;
    }
    if (!rc && data[len - 1] != '\0') {
        /* libxl stores the terminating NUL: anything else is damaged. */
        LOGD(ERROR, domid, "the stored configuration is damaged");
        rc = ERROR_FAIL;
    }
    if (rc)
        goto out;
    rc = libxl_domain_config_from_json(ctx, d_config, (const char *)data);
    if (rc) {
        LOGD(ERROR, domid, "the stored configuration is not valid JSON");
        goto out;
    }
    /* What may have changed since the domain was created. */
    free(d_config->c_info.name);
    d_config->c_info.name = libxl_domid_to_name(ctx, domid);
    rc = libxl_domain_info(ctx, &info, domid);
    if (rc)
        goto out;
    libxl_uuid_copy(ctx, &d_config->c_info.uuid, &info.uuid);
    if (!domid) {
        /* The host has no balloon nodes: what it holds is its target. */
        d_config->b_info.max_memkb = info.max_memkb;
        d_config->b_info.target_memkb = info.current_memkb;
    } else if (!read_memkb(ctx, XBT_NULL, domid, "target", &target) &&
               !read_memkb(ctx, XBT_NULL, domid, "static-max", &max)) {
        d_config->b_info.max_memkb = max;
        d_config->b_info.target_memkb = target + d_config->b_info.video_memkb;
    }
    libxl_dominfo_dispose(&info);
    rc = refresh_vcpus(ctx, domid, &d_config->b_info);
    if (rc)
        goto out;
    /* The scheduler's parameters as they are now, as Xen reports them. */
    libxl_domain_sched_params_dispose(&d_config->b_info.sched_params);
    rc = libxl_domain_sched_params_get(ctx, domid,
                                       &d_config->b_info.sched_params);
    if (rc)
        LOGD(ERROR, domid, "Fail to get scheduler parameters");
out:
    free(data);
    return libxl__ao_complete(ctx, ao_how, domid, rc);
}

XENTOOLS_EXPORT int libxl_ao_abort(libxl_ctx *ctx, const libxl_asyncop_how *how)
{
    (void)ctx, (void)how;
    return ERROR_NOTFOUND;
}
