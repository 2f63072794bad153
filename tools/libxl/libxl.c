/*
 * The context, logging and the host: version, physinfo, CPUs, memory,
 * the hypervisor's console ring.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "libxl_internal.h"

/* ---- Logging ---- */

void libxl__log(libxl_ctx *ctx, xentoollog_level level, int errnoval,
                const char *file, int line, const char *func, uint32_t domid,
                const char *fmt, ...)
{
    char msg[1024], dom[32] = "";
    const char *base = strrchr(file, '/');
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (domid != (uint32_t)INVALID_DOMID)
        snprintf(dom, sizeof(dom), "Domain %" PRIu32 ":", domid);
    xtl_log(ctx->lg, level, errnoval, "libxl", "%s:%d:%s: %s%s",
            base ? base + 1 : file, line, func, dom, msg);
}

/* ---- The context ---- */

/* Every live context, for libxl_postfork_child_noexec. */
static pthread_mutex_t ctx_list_lock = PTHREAD_MUTEX_INITIALIZER;
static libxl_ctx *ctx_list;

static void ctx_list_remove(libxl_ctx *ctx)
{
    pthread_mutex_lock(&ctx_list_lock);
    for (libxl_ctx **p = &ctx_list; *p; p = &(*p)->next)
        if (*p == ctx) {
            *p = ctx->next;
            break;
        }
    pthread_mutex_unlock(&ctx_list_lock);
}

XENTOOLS_EXPORT int libxl_ctx_alloc(libxl_ctx **pctx, int version,
                                    unsigned flags, xentoollog_logger *lg)
{
    pthread_mutexattr_t attr;
    libxl_ctx *ctx;

    *pctx = NULL;
    if (version != LIBXL_VERSION)
        return ERROR_VERSION;
    if (flags)
        return ERROR_INVAL;
    ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return ERROR_NOMEM;
    if (!lg) {
        /* Xen requires a logger; without one, warn on stderr. */
        ctx->own_lg = (xentoollog_logger *)xtl_createlogger_stdiostream(
            stderr, XTL_WARN, 0);
        if (!ctx->own_lg) {
            free(ctx);
            return ERROR_NOMEM;
        }
        lg = ctx->own_lg;
    }
    ctx->lg = lg;
    if (pthread_mutexattr_init(&attr) ||
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE) ||
        pthread_mutex_init(&ctx->lock, &attr)) {
        xtl_logger_destroy(ctx->own_lg);
        free(ctx);
        return ERROR_FAIL;
    }
    pthread_mutexattr_destroy(&attr);
    ctx->events_tail = &ctx->events_head;
    ctx->watch_fd = -1;
    libxl_version_info_init(&ctx->version_info);
    pthread_mutex_lock(&ctx_list_lock);
    ctx->next = ctx_list;
    ctx_list = ctx;
    pthread_mutex_unlock(&ctx_list_lock);
    *pctx = ctx;
    return 0;
}

XENTOOLS_EXPORT int libxl_ctx_free(libxl_ctx *ctx)
{
    if (!ctx)
        return 0;
    ctx_list_remove(ctx);
    libxl__events_dispose(ctx);
    if (ctx->xsh)
        xs_close(ctx->xsh);
    if (ctx->xch)
        xc_interface_close(ctx->xch);
    libxl_version_info_dispose(&ctx->version_info);
    pthread_mutex_destroy(&ctx->lock);
    xtl_logger_destroy(ctx->own_lg);
    free(ctx);
    return 0;
}

/*
 * In a child after fork: drop every context's connections without
 * talking to the daemons (the parent's connections are the same ones).
 * The contexts are invalid from now on, as in Xen, and not freed.
 */
XENTOOLS_EXPORT void libxl_postfork_child_noexec(libxl_ctx *unused)
{
    (void)unused;
    /* Only this thread exists in the child: the lock may be stale. */
    pthread_mutex_init(&ctx_list_lock, NULL);
    for (libxl_ctx *ctx = ctx_list; ctx; ctx = ctx->next) {
        if (ctx->xsh)
            xs_daemon_destroy_postfork(ctx->xsh);
        if (ctx->xch)
            xc_interface_close(ctx->xch);
        ctx->xsh = NULL;
        ctx->xch = NULL;
    }
    ctx_list = NULL;
}

int libxl__need_xc(libxl_ctx *ctx)
{
    int rc = 0;

    libxl__ctx_lock(ctx);
    if (!ctx->xch) {
        ctx->xch = xc_interface_open(ctx->lg, ctx->lg, 0);
        if (!ctx->xch) {
            const char *dir = getenv("XEN_RUN_DIR");

            LOGE(ERROR,
                 "cannot connect to the hypervisor at %s/privcmd: "
                 "is xen running?",
                 dir ? dir : "/run/xen");
            rc = ERROR_FAIL;
        }
    }
    libxl__ctx_unlock(ctx);
    return rc;
}

int libxl__need_xs(libxl_ctx *ctx)
{
    int rc = 0;

    libxl__ctx_lock(ctx);
    if (!ctx->xsh) {
        ctx->xsh = xs_open(0);
        if (!ctx->xsh) {
            const char *path = getenv("XENSTORED_PATH");
            const char *dir = getenv("XENSTORED_RUNDIR");

            if (path)
                LOGE(ERROR,
                     "cannot connect to xenstored at %s: "
                     "is xenstored running?",
                     path);
            else
                LOGE(ERROR,
                     "cannot connect to xenstored at %s/socket: "
                     "is xenstored running?",
                     dir ? dir : "/var/run/xenstored");
            rc = ERROR_FAIL;
        }
    }
    libxl__ctx_unlock(ctx);
    return rc;
}

/* ---- The hypervisor ---- */

static char *version_string(libxl_ctx *ctx, int cmd, size_t size)
{
    char *s = calloc(1, size + 1);

    if (s && xc_version(ctx->xch, cmd, s) < 0) {
        /* Not every query is answered (build_id): leave it empty. */
        s[0] = '\0';
    }
    return s;
}

XENTOOLS_EXPORT const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    libxl_version_info *info = &ctx->version_info;
    xen_platform_parameters_t params = {0};
    xen_compile_info_t compile;
    int version;

    if (libxl__need_xc(ctx))
        return NULL;
    memset(&compile, 0, sizeof(compile));
    libxl__ctx_lock(ctx);
    if (ctx->have_version_info)
        goto out;
    version = xc_version(ctx->xch, XENVER_version, NULL);
    if (version < 0 ||
        xc_version(ctx->xch, XENVER_compile_info, &compile) < 0 ||
        xc_version(ctx->xch, XENVER_platform_parameters, &params) < 0) {
        LOGE(ERROR, "cannot get the hypervisor's version");
        info = NULL;
        goto out;
    }
    info->xen_version_major = version >> 16;
    info->xen_version_minor = version & 0xffff;
    info->xen_version_extra =
        version_string(ctx, XENVER_extraversion, sizeof(xen_extraversion_t));
    info->compiler = strdup(compile.compiler);
    info->compile_by = strdup(compile.compile_by);
    info->compile_domain = strdup(compile.compile_domain);
    info->compile_date = strdup(compile.compile_date);
    info->capabilities = version_string(ctx, XENVER_capabilities,
                                        sizeof(xen_capabilities_info_t));
    info->changeset =
        version_string(ctx, XENVER_changeset, sizeof(xen_changeset_info_t));
    info->virt_start = params.virt_start;
    info->pagesize = xc_version(ctx->xch, XENVER_pagesize, NULL);
    info->commandline =
        version_string(ctx, XENVER_commandline, sizeof(xen_commandline_t));
    /* Xenon's core carries no build id. */
    info->build_id = strdup("");
    if (!info->xen_version_extra || !info->compiler || !info->compile_by ||
        !info->compile_domain || !info->compile_date || !info->capabilities ||
        !info->changeset || !info->commandline || !info->build_id) {
        LOG(ERROR, "out of memory for the version information");
        libxl_version_info_dispose(info);
        libxl_version_info_init(info);
        info = NULL;
        goto out;
    }
    ctx->have_version_info = true;
out:
    libxl__ctx_unlock(ctx);
    return info;
}

int libxl__physinfo(libxl_ctx *ctx, xc_physinfo_t *info)
{
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_physinfo(ctx->xch, info)) {
        LOGE(ERROR, "getting physinfo");
        return ERROR_FAIL;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *physinfo)
{
    xc_physinfo_t xcinfo = {0};

    if (libxl__physinfo(ctx, &xcinfo))
        return ERROR_FAIL;
    libxl_physinfo_init(physinfo);
    physinfo->threads_per_core = xcinfo.threads_per_core;
    physinfo->cores_per_socket = xcinfo.cores_per_socket;
    physinfo->max_cpu_id = xcinfo.max_cpu_id;
    physinfo->nr_cpus = xcinfo.nr_cpus;
    physinfo->cpu_khz = xcinfo.cpu_khz;
    physinfo->total_pages = xcinfo.total_pages;
    physinfo->free_pages = xcinfo.free_pages;
    physinfo->scrub_pages = xcinfo.scrub_pages;
    physinfo->outstanding_pages = xcinfo.outstanding_pages;
    /* No page sharing on Xenon. */
    physinfo->sharing_freed_pages = 0;
    physinfo->sharing_used_frames = 0;
    physinfo->max_possible_mfn = xcinfo.max_mfn;
    physinfo->nr_nodes = xcinfo.nr_nodes;
    memcpy(physinfo->hw_cap, xcinfo.hw_cap, sizeof(physinfo->hw_cap));
    physinfo->cap_hvm = !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_hvm);
    physinfo->cap_pv = !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_pv);
    physinfo->cap_hvm_directio =
        !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_directio);
    physinfo->cap_hap = !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_hap);
    physinfo->cap_shadow = !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_shadow);
    physinfo->cap_iommu_hap_pt_share =
        !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share);
    physinfo->cap_vmtrace =
        !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_vmtrace);
    physinfo->cap_vpmu = !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_vpmu);
    physinfo->cap_gnttab_v1 =
        !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1);
    physinfo->cap_gnttab_v2 =
        !!(xcinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2);
    return 0;
}

XENTOOLS_EXPORT int libxl_get_max_cpus(libxl_ctx *ctx)
{
    int n;

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    n = xc_get_max_cpus(ctx->xch);
    return n <= 0 ? ERROR_FAIL : n;
}

XENTOOLS_EXPORT int libxl_get_online_cpus(libxl_ctx *ctx)
{
    int n;

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    n = xc_get_online_cpus(ctx->xch);
    return n <= 0 ? ERROR_FAIL : n;
}

XENTOOLS_EXPORT int libxl_get_max_nodes(libxl_ctx *ctx)
{
    xc_physinfo_t xcinfo = {0};

    if (libxl__physinfo(ctx, &xcinfo))
        return ERROR_FAIL;
    return xcinfo.max_node_id + 1;
}

XENTOOLS_EXPORT int libxl_get_scheduler(libxl_ctx *ctx)
{
    int sched;

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_sched_id(ctx->xch, &sched)) {
        LOGE(ERROR, "getting the scheduler");
        return ERROR_FAIL;
    }
    return sched;
}

XENTOOLS_EXPORT int libxl_get_free_memory(libxl_ctx *ctx, uint64_t *memkb)
{
    xc_physinfo_t xcinfo = {0};

    if (libxl__physinfo(ctx, &xcinfo))
        return ERROR_FAIL;
    *memkb = PAGE_TO_MEMKB(xcinfo.free_pages - xcinfo.outstanding_pages);
    return 0;
}

XENTOOLS_EXPORT int libxl_wait_for_free_memory(libxl_ctx *ctx, uint32_t domid,
                                               uint64_t memory_kb,
                                               int wait_secs)
{
    uint64_t free_kb = 0;
    int rc;

    for (int i = 0; i <= wait_secs * 10; i++) {
        rc = libxl_get_free_memory(ctx, &free_kb);
        if (rc)
            return rc;
        if (free_kb >= memory_kb)
            return 0;
        if (i < wait_secs * 10)
            usleep(100000);
    }
    LOGD(ERROR, domid, "%" PRIu64 " KiB needed, %" PRIu64 " KiB free",
         memory_kb, free_kb);
    return ERROR_NOMEM;
}

XENTOOLS_EXPORT int libxl_domid_valid_guest(uint32_t domid)
{
    /* Domain 0 is the host; ids from DOMID_FIRST_RESERVED are special. */
    return domid > 0 && domid < DOMID_FIRST_RESERVED;
}

/* ---- The hypervisor's console ring ---- */

#define CONSOLE_CHUNK 16384

struct libxl__xen_console_reader {
    char *buffer;
    unsigned int count;
    int clear;
    uint32_t index;
};

XENTOOLS_EXPORT libxl_xen_console_reader *
libxl_xen_console_read_start(libxl_ctx *ctx, int clear)
{
    libxl_xen_console_reader *cr;

    if (libxl__need_xc(ctx))
        return NULL;
    cr = calloc(1, sizeof(*cr));
    if (cr)
        cr->buffer = malloc(CONSOLE_CHUNK + 1);
    if (!cr || !cr->buffer) {
        LOG(ERROR, "out of memory for a console reader");
        free(cr);
        return NULL;
    }
    cr->clear = clear;
    return cr;
}

/* Xen's "line" is whatever one read of the ring returns. */
XENTOOLS_EXPORT int libxl_xen_console_read_line(libxl_ctx *ctx,
                                                libxl_xen_console_reader *cr,
                                                char **line_r)
{
    cr->count = CONSOLE_CHUNK;
    if (xc_readconsolering(ctx->xch, cr->buffer, &cr->count, cr->clear, 1,
                           &cr->index)) {
        LOGE(ERROR, "reading the hypervisor's console ring");
        *line_r = NULL;
        return ERROR_FAIL;
    }
    cr->buffer[cr->count] = '\0';
    *line_r = cr->count ? cr->buffer : NULL;
    return cr->count ? 1 : 0;
}

XENTOOLS_EXPORT void libxl_xen_console_read_finish(libxl_ctx *ctx,
                                                   libxl_xen_console_reader *cr)
{
    (void)ctx;
    if (!cr)
        return;
    free(cr->buffer);
    free(cr);
}

/* ---- Child processes: libxl starts none (see libxl_event.h) ---- */

XENTOOLS_EXPORT void libxl_childproc_setmode(libxl_ctx *ctx,
                                             const libxl_childproc_hooks *hooks,
                                             void *user)
{
    (void)ctx, (void)hooks, (void)user;
}

XENTOOLS_EXPORT int libxl_childproc_reaped(libxl_ctx *ctx, pid_t pid,
                                           int status)
{
    (void)ctx, (void)pid, (void)status;
    return ERROR_UNKNOWN_CHILD;
}

XENTOOLS_EXPORT void libxl_childproc_sigchld_occurred(libxl_ctx *ctx)
{
    (void)ctx;
}
