/*
 * cpupools: the hypervisor's partitions of the pCPUs, each with its own
 * scheduler. The hypervisor knows pools by id; their names and uuids
 * live in xenstore under /local/pool/<id>, as Xen keeps them. Pool-0
 * exists from boot and is given its name when libxl first looks.
 */
#include <ctype.h>
#include <errno.h>

#include "libxl_internal.h"

/* Whether the hypervisor has pool @poolid. */
static bool pool_exists(libxl_ctx *ctx, uint32_t poolid)
{
    xc_cpupoolinfo_t *info;
    bool found;

    if (libxl__need_xc(ctx))
        return false;
    info = xc_cpupool_getinfo(ctx->xch, poolid);
    found = info && info->cpupool_id == poolid;
    xc_cpupool_infofree(ctx->xch, info);
    return found;
}

/*
 * A pool without a name (Pool-0 at first, or one whose creator died
 * before naming it) is named "Pool-<id>", so that it can be listed and
 * acted on.
 */
XENTOOLS_EXPORT char *libxl_cpupoolid_to_name(libxl_ctx *ctx, uint32_t poolid)
{
    char path[LIBXL__PATH_MAX], dflt[32];
    char *name;

    if (libxl__need_xs(ctx))
        return NULL;
    libxl__path(path, "/local/pool/%" PRIu32 "/name", poolid);
    name = libxl__xs_read(ctx, XBT_NULL, path);
    if (name || !pool_exists(ctx, poolid))
        return name;
    snprintf(dflt, sizeof(dflt), "Pool-%" PRIu32, poolid);
    if (libxl__xs_printf(ctx, XBT_NULL, path, "%s", dflt))
        return NULL;
    return strdup(dflt);
}

XENTOOLS_EXPORT int libxl_cpupoolid_is_valid(libxl_ctx *ctx, uint32_t poolid)
{
    char *name = libxl_cpupoolid_to_name(ctx, poolid);

    free(name);
    return name != NULL;
}

/* One pool's info from the hypervisor's (its id may be above @poolid). */
static int pool_info(libxl_ctx *ctx, libxl_cpupoolinfo *info,
                     const xc_cpupoolinfo_t *xcinfo)
{
    int rc;

    libxl_cpupoolinfo_init(info);
    info->poolid = xcinfo->cpupool_id;
    info->sched = xcinfo->sched_id;
    info->n_dom = xcinfo->n_dom;
    info->pool_name = libxl_cpupoolid_to_name(ctx, info->poolid);
    if (!info->pool_name) {
        LOGE(ERROR, "cpupool %" PRIu32 " has no name in xenstore",
             info->poolid);
        return ERROR_FAIL;
    }
    rc = libxl_cpu_bitmap_alloc(ctx, &info->cpumap, 0);
    if (rc)
        return rc;
    memcpy(info->cpumap.map, xcinfo->cpumap, info->cpumap.size);
    return 0;
}

XENTOOLS_EXPORT int libxl_cpupool_info(libxl_ctx *ctx, libxl_cpupoolinfo *info,
                                       uint32_t poolid)
{
    xc_cpupoolinfo_t *xcinfo;
    int rc;

    if (libxl__need_xc(ctx) || libxl__need_xs(ctx))
        return ERROR_FAIL;
    xcinfo = xc_cpupool_getinfo(ctx->xch, poolid);
    if (!xcinfo || xcinfo->cpupool_id != poolid) {
        if (xcinfo || errno == ENOENT)
            LOG(ERROR, "no cpupool %" PRIu32, poolid);
        else
            LOGE(ERROR, "getting info of cpupool %" PRIu32, poolid);
        xc_cpupool_infofree(ctx->xch, xcinfo);
        return ERROR_FAIL;
    }
    rc = pool_info(ctx, info, xcinfo);
    xc_cpupool_infofree(ctx->xch, xcinfo);
    if (rc)
        libxl_cpupoolinfo_dispose(info);
    return rc;
}

XENTOOLS_EXPORT void libxl_cpupoolinfo_list_free(libxl_cpupoolinfo *list,
                                                 int nb_pool)
{
    for (int i = 0; i < nb_pool; i++)
        libxl_cpupoolinfo_dispose(&list[i]);
    free(list);
}

XENTOOLS_EXPORT libxl_cpupoolinfo *libxl_list_cpupool(libxl_ctx *ctx,
                                                      int *nb_pool_out)
{
    libxl_cpupoolinfo *list = NULL, *bigger;
    xc_cpupoolinfo_t *xcinfo;
    uint32_t poolid = 0;
    int n = 0, rc = 0;

    if (libxl__need_xc(ctx) || libxl__need_xs(ctx))
        return NULL;
    /* Each answer is the first pool at or above the id asked for. */
    while ((xcinfo = xc_cpupool_getinfo(ctx->xch, poolid))) {
        bigger = realloc(list, (n + 1) * sizeof(*list));
        if (!bigger) {
            rc = ERROR_NOMEM;
        } else {
            list = bigger;
            rc = pool_info(ctx, &list[n], xcinfo);
            n++;
        }
        poolid = xcinfo->cpupool_id + 1;
        xc_cpupool_infofree(ctx->xch, xcinfo);
        if (rc || !poolid)
            break;
    }
    if (!rc && errno != ENOENT && poolid) {
        LOGE(ERROR, "getting cpupool info");
        rc = ERROR_FAIL;
    }
    if (rc) {
        libxl_cpupoolinfo_list_free(list, n);
        return NULL;
    }
    *nb_pool_out = n;
    return list;
}

XENTOOLS_EXPORT int libxl_name_to_cpupoolid(libxl_ctx *ctx, const char *name,
                                            uint32_t *poolid)
{
    libxl_cpupoolinfo *list;
    int nb, rc = ERROR_INVAL;

    list = libxl_list_cpupool(ctx, &nb);
    if (!list)
        return ERROR_NOMEM;
    for (int i = 0; i < nb && rc; i++)
        if (!strcmp(list[i].pool_name, name)) {
            *poolid = list[i].poolid;
            rc = 0;
        }
    libxl_cpupoolinfo_list_free(list, nb);
    return rc;
}

XENTOOLS_EXPORT int libxl_cpupool_qualifier_to_cpupoolid(libxl_ctx *ctx,
                                                         const char *p,
                                                         uint32_t *poolid_r,
                                                         int *was_name_r)
{
    unsigned long v;
    bool digits = *p != '\0';
    char *end;

    for (const char *c = p; *c; c++)
        if (!isdigit((unsigned char)*c))
            digits = false;
    if (was_name_r)
        *was_name_r = !digits;
    if (!digits)
        return libxl_name_to_cpupoolid(ctx, p, poolid_r);
    errno = 0;
    v = strtoul(p, &end, 10);
    if (errno || v > UINT32_MAX)
        return ERROR_INVAL;
    *poolid_r = v;
    return 0;
}

XENTOOLS_EXPORT int libxl_get_freecpus(libxl_ctx *ctx, libxl_bitmap *cpumap)
{
    xc_cpumap_t map;
    int rc;

    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    map = xc_cpupool_freeinfo(ctx->xch);
    if (!map) {
        LOGE(ERROR, "getting free cpu info");
        return ERROR_FAIL;
    }
    rc = libxl_cpu_bitmap_alloc(ctx, cpumap, 0);
    if (!rc)
        memcpy(cpumap->map, map, cpumap->size);
    free(map);
    return rc;
}

/* ---- Pool names in xenstore ---- */

struct pool_names {
    uint32_t poolid;
    const char *name; /* NULL: remove the pool's directory */
    const libxl_uuid *uuid;
};

static int write_names(libxl_ctx *ctx, uint32_t domid, xs_transaction_t t,
                       void *arg)
{
    const struct pool_names *pn = arg;
    char dir[LIBXL__PATH_MAX], path[LIBXL__PATH_MAX];
    char uuid[LIBXL_UUID_FMTLEN + 1];
    int rc;

    (void)domid;
    libxl__path(dir, "/local/pool/%" PRIu32, pn->poolid);
    if (!pn->name)
        return libxl__xs_rm(ctx, t, dir);
    rc = libxl__path(path, "%s/name", dir)
             ?: libxl__xs_printf(ctx, t, path, "%s", pn->name);
    if (!rc && pn->uuid) {
        snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT,
                 LIBXL_UUID_BYTES(*pn->uuid));
        rc = libxl__path(path, "%s/uuid", dir)
                 ?: libxl__xs_printf(ctx, t, path, "%s", uuid);
    }
    return rc;
}

static int set_names(libxl_ctx *ctx, uint32_t poolid, const char *name,
                     const libxl_uuid *uuid)
{
    struct pool_names pn = {poolid, name, uuid};

    return libxl__xs_transact(ctx, INVALID_DOMID, write_names, &pn);
}

/* A name is unique among pools, like a domain's among domains. */
static int check_new_name(libxl_ctx *ctx, const char *name)
{
    uint32_t other;

    if (!name || !name[0]) {
        LOG(ERROR, "a cpupool needs a name");
        return ERROR_INVAL;
    }
    if (!libxl_name_to_cpupoolid(ctx, name, &other)) {
        LOG(ERROR, "Pool '%s' already exists", name);
        return ERROR_INVAL;
    }
    return 0;
}

/* ---- Pools and their pCPUs ---- */

XENTOOLS_EXPORT int libxl_cpupool_cpuadd(libxl_ctx *ctx, uint32_t poolid,
                                         int cpu)
{
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_cpupool_addcpu(ctx->xch, poolid, cpu)) {
        LOGE(ERROR, "Error moving cpu %d to cpupool", cpu);
        return ERROR_FAIL;
    }
    return 0;
}

XENTOOLS_EXPORT int libxl_cpupool_cpuremove(libxl_ctx *ctx, uint32_t poolid,
                                            int cpu)
{
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_cpupool_removecpu(ctx->xch, poolid, cpu)) {
        LOGE(ERROR, "Error removing cpu %d from cpupool", cpu);
        return ERROR_FAIL;
    }
    return 0;
}

/* Every pCPU of @cpumap is tried; ERROR_FAIL if any one failed. */
static int for_each_cpu(libxl_ctx *ctx, uint32_t poolid,
                        const libxl_bitmap *cpumap,
                        int (*op)(libxl_ctx *, uint32_t, int))
{
    int cpu, rc = 0;

    libxl_for_each_set_bit(cpu, *cpumap)
    {
        if (op(ctx, poolid, cpu))
            rc = ERROR_FAIL;
    }
    return rc;
}

XENTOOLS_EXPORT int libxl_cpupool_cpuadd_cpumap(libxl_ctx *ctx, uint32_t poolid,
                                                const libxl_bitmap *cpumap)
{
    return for_each_cpu(ctx, poolid, cpumap, libxl_cpupool_cpuadd);
}

XENTOOLS_EXPORT int libxl_cpupool_cpuremove_cpumap(libxl_ctx *ctx,
                                                   uint32_t poolid,
                                                   const libxl_bitmap *cpumap)
{
    return for_each_cpu(ctx, poolid, cpumap, libxl_cpupool_cpuremove);
}

XENTOOLS_EXPORT int libxl_cpupool_create(libxl_ctx *ctx, const char *name,
                                         libxl_scheduler sched,
                                         libxl_bitmap cpumap, libxl_uuid *uuid,
                                         uint32_t *poolid)
{
    int rc;

    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx) ?:
         check_new_name(ctx, name);
    if (rc)
        return rc;
    if (xc_cpupool_create(ctx->xch, poolid, sched)) {
        if (errno == ENOENT)
            LOG(ERROR, "the hypervisor has no %s scheduler",
                libxl_scheduler_to_string(sched) ?: "such");
        else
            LOGE(ERROR, "Could not create cpupool");
        return ERROR_FAIL;
    }
    /* Named before its pCPUs move in. */
    rc = set_names(ctx, *poolid, name, uuid)
             ?: libxl_cpupool_cpuadd_cpumap(ctx, *poolid, &cpumap);
    if (rc) {
        int cpu;

        /* Undo it all: the pCPUs that moved go back to being free. */
        libxl_for_each_set_bit(cpu, cpumap)
            xc_cpupool_removecpu(ctx->xch, *poolid, cpu);
        xc_cpupool_destroy(ctx->xch, *poolid);
        set_names(ctx, *poolid, NULL, NULL);
    }
    return rc;
}

/*
 * A pool that still has domains is refused; its pCPUs are freed first
 * (xl cpupool-destroy leaves them free, as in Xen).
 */
XENTOOLS_EXPORT int libxl_cpupool_destroy(libxl_ctx *ctx, uint32_t poolid)
{
    libxl_cpupoolinfo info;
    int rc;

    rc = libxl_cpupool_info(ctx, &info, poolid);
    if (rc)
        return rc;
    if (!poolid) {
        LOG(ERROR, "Pool-0 cannot be destroyed");
        rc = ERROR_INVAL;
    } else if (info.n_dom) {
        LOG(ERROR,
            "cpupool %s still has %" PRIu32 " domain(s): move them "
            "(xl cpupool-migrate) or destroy them first",
            info.pool_name, info.n_dom);
        rc = ERROR_INVAL;
    } else {
        rc = libxl_cpupool_cpuremove_cpumap(ctx, poolid, &info.cpumap);
    }
    if (!rc && xc_cpupool_destroy(ctx->xch, poolid)) {
        LOGE(ERROR, "Could not destroy cpupool");
        rc = ERROR_FAIL;
    }
    if (!rc)
        rc = set_names(ctx, poolid, NULL, NULL);
    libxl_cpupoolinfo_dispose(&info);
    return rc;
}

XENTOOLS_EXPORT int libxl_cpupool_rename(libxl_ctx *ctx, const char *name,
                                         uint32_t poolid)
{
    libxl_cpupoolinfo info;
    int rc;

    rc = libxl_cpupool_info(ctx, &info, poolid);
    if (rc)
        return rc;
    if (strcmp(info.pool_name, name))
        rc = check_new_name(ctx, name) ?: set_names(ctx, poolid, name, NULL);
    libxl_cpupoolinfo_dispose(&info);
    return rc;
}

XENTOOLS_EXPORT int libxl_cpupool_movedomain(libxl_ctx *ctx, uint32_t poolid,
                                             uint32_t domid)
{
    if (libxl__need_xc(ctx))
        return ERROR_FAIL;
    if (xc_cpupool_movedomain(ctx->xch, poolid, domid)) {
        LOGED(ERROR, domid, "Error moving domain to cpupool");
        return ERROR_FAIL;
    }
    return 0;
}
