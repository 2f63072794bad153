/*
 * libxenforeignmemory over the privcmd socket.
 *
 * PRIVCMD_MAP_FOREIGN hands over a domain's memory fd, addressed by
 * gfn << 12. A mapping reserves its address range with an inaccessible
 * anonymous mapping, then maps each run of consecutive gfns over it with
 * MAP_FIXED. The handle keeps a domain's fd while some mapping of that
 * domain exists, so a long-lived handle (a console daemon, say) does not
 * keep dead domains' memory alive; the mappings themselves hold their own
 * reference to it. (A cached fd could only name the wrong domain if its
 * domid were reused while a mapping of the old one lives on; the core,
 * like Xen, gives out domids in a round, so one comes back only after
 * the round has wrapped.)
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "export.h"
#include "privcmd_client.h"
#include "regions.h"
#include "xenforeignmemory.h"
#include "xentoolcore_internal.h"

#define PAGE_SIZE (1UL << FMEM_PAGE_SHIFT)

struct fmem_domain {
    uint32_t domid;
    int fd;
    uint64_t max_gfn; /* the fd covers gfns [0, max_gfn) */
    struct fmem_domain *next;
};

struct xenforeignmemory_handle {
    struct privcmd_conn conn;
    pthread_mutex_t lock; /* domains, regions, restriction */
    struct fmem_domain *domains;
    struct fmem_regions regions;
    int restricted;
    uint32_t restricted_domid;
    xentoolcore__active_handle tc_ah;
};

/* Close the fds of domains that no mapping uses (all with @all). */
static void domains_release(xenforeignmemory_handle *fmem, int all)
{
    struct fmem_domain **pd = &fmem->domains, *d;

    while ((d = *pd)) {
        if (all || !fmem__regions_maps(&fmem->regions, d->domid) ||
            (fmem->restricted && d->domid != fmem->restricted_domid)) {
            *pd = d->next;
            close(d->fd);
            free(d);
        } else {
            pd = &d->next;
        }
    }
}

/* The domain's memory fd, from the cache or from xen. NULL with errno. */
static struct fmem_domain *domain_get(xenforeignmemory_handle *fmem,
                                      uint32_t domid)
{
    struct privcmd_domid req = {.domid = domid};
    struct privcmd_foreign_reply reply;
    struct fmem_domain *d;
    size_t len = 0;
    int fd = -1;

    for (d = fmem->domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    if (fmem->restricted && domid != fmem->restricted_domid) {
        errno = EPERM;
        return NULL;
    }
    if (privcmd_conn__call(&fmem->conn, PRIVCMD_MAP_FOREIGN, &req, sizeof(req),
                           &reply, sizeof(reply), &len, &fd) < 0)
        return NULL;
    d = malloc(sizeof(*d));
    if (!d || fd < 0 || len < sizeof(reply) ||
        reply.max_gfn > (UINT64_MAX >> FMEM_PAGE_SHIFT)) {
        if (d)
            errno = EPROTO;
        if (fd >= 0)
            close(fd);
        free(d);
        return NULL;
    }
    d->domid = domid;
    d->fd = fd;
    d->max_gfn = reply.max_gfn;
    d->next = fmem->domains;
    fmem->domains = d;
    return d;
}

static int restrict_locked(xenforeignmemory_handle *fmem, domid_t domid)
{
    int rc;

    pthread_mutex_lock(&fmem->lock);
    rc = privcmd_conn__restrict(&fmem->conn, domid);
    if (!rc) {
        fmem->restricted = 1;
        fmem->restricted_domid = domid;
        domains_release(fmem, 0);
    }
    pthread_mutex_unlock(&fmem->lock);
    return rc;
}

static int restrict_cb(xentoolcore__active_handle *ah, domid_t domid)
{
    return restrict_locked(
        XENTOOLCORE__CONTAINER_OF(ah, xenforeignmemory_handle, tc_ah), domid);
}

XENTOOLS_EXPORT
xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned open_flags)
{
    struct privcmd_hello_reply reply;
    xenforeignmemory_handle *fmem;
    int arena_fd;

    (void)logger;
    (void)open_flags;
    fmem = calloc(1, sizeof(*fmem));
    if (!fmem)
        return NULL;
    if (privcmd_conn__open(&fmem->conn, PRIVCMD_ROLE_HYPERCALL, 1, &reply,
                           sizeof(reply), &arena_fd) < 0) {
        free(fmem);
        return NULL;
    }
    /* Only hypercall handles use the arena. */
    if (arena_fd >= 0)
        close(arena_fd);
    pthread_mutex_init(&fmem->lock, NULL);
    fmem->tc_ah.restrict_callback = restrict_cb;
    xentoolcore__register_active_handle(&fmem->tc_ah);
    return fmem;
}

XENTOOLS_EXPORT
int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
    if (!fmem)
        return 0;
    xentoolcore__deregister_active_handle(&fmem->tc_ah);
    domains_release(fmem, 1);
    fmem__regions_dispose(&fmem->regions);
    privcmd_conn__close(&fmem->conn);
    pthread_mutex_destroy(&fmem->lock);
    free(fmem);
    return 0;
}

/*
 * Map the gfns of @arr over the reservation at @base: one mmap per run of
 * consecutive valid gfns. Per-frame results go to @err; returns the
 * first error (negative errno) or 0.
 */
static int map_frames(const struct fmem_domain *d, uint8_t *base, int prot,
                      size_t pages, const xen_pfn_t arr[], int err[])
{
    size_t i = 0, j, k;
    int first = 0;

    while (i < pages) {
        int e = 0;

        if (arr[i] >= d->max_gfn) {
            e = -EINVAL;
            j = i + 1;
        } else {
            for (j = i + 1;
                 j < pages && arr[j] == arr[j - 1] + 1 && arr[j] < d->max_gfn;
                 j++)
                ;
            if (mmap(base + (i << FMEM_PAGE_SHIFT), (j - i) << FMEM_PAGE_SHIFT,
                     prot, MAP_SHARED | MAP_FIXED, d->fd,
                     (off_t)arr[i] << FMEM_PAGE_SHIFT) == MAP_FAILED)
                e = -errno;
        }
        for (k = i; k < j; k++)
            if (err)
                err[k] = e;
        if (e && !first)
            first = e;
        i = j;
    }
    return first;
}

XENTOOLS_EXPORT
void *xenforeignmemory_map2(xenforeignmemory_handle *fmem, uint32_t dom,
                            void *addr, int prot, int flags, size_t pages,
                            const xen_pfn_t arr[], int err[])
{
    int resflags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                   (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE));
    struct fmem_domain *d;
    void *base = MAP_FAILED;
    size_t len;
    int rc, saved;

    if (!pages || pages > (SIZE_MAX >> FMEM_PAGE_SHIFT)) {
        errno = pages ? ENOMEM : EINVAL;
        return NULL;
    }
    len = pages << FMEM_PAGE_SHIFT;

    pthread_mutex_lock(&fmem->lock);
    d = domain_get(fmem, dom);
    if (!d)
        goto out;
    base = mmap(addr, len, PROT_NONE, resflags, -1, 0);
    if (base == MAP_FAILED)
        goto out;
    /* MAP_FIXED replaced whatever was there, our mappings included. */
    rc = fmem__regions_remove(&fmem->regions, (uintptr_t)base, pages);
    if (!rc)
        rc = fmem__regions_add(&fmem->regions, (uintptr_t)base, pages, dom);
    if (rc)
        goto fail;
    rc = map_frames(d, base, prot, pages, arr, err);
    if (rc && !err) {
        fmem__regions_remove(&fmem->regions, (uintptr_t)base, pages);
        errno = -rc;
        goto fail;
    }
    goto out;

fail:
    saved = errno;
    munmap(base, len);
    base = MAP_FAILED;
    errno = saved;
out:
    saved = errno;
    domains_release(fmem, 0);
    pthread_mutex_unlock(&fmem->lock);
    errno = saved;
    return base == MAP_FAILED ? NULL : base;
}

XENTOOLS_EXPORT
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
                           int prot, size_t pages, const xen_pfn_t arr[],
                           int err[])
{
    return xenforeignmemory_map2(fmem, dom, NULL, prot, 0, pages, arr, err);
}

XENTOOLS_EXPORT
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
                           size_t pages)
{
    int rc = -1, saved;

    if (!pages || pages > (SIZE_MAX >> FMEM_PAGE_SHIFT) ||
        (uintptr_t)addr % PAGE_SIZE) {
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&fmem->lock);
    if (fmem__regions_remove(&fmem->regions, (uintptr_t)addr, pages) < 0)
        goto out;
    rc = munmap(addr, pages << FMEM_PAGE_SHIFT);
    domains_release(fmem, 0);
out:
    saved = errno;
    pthread_mutex_unlock(&fmem->lock);
    errno = saved;
    return rc;
}

XENTOOLS_EXPORT
int xenforeignmemory_restrict(xenforeignmemory_handle *fmem, domid_t domid)
{
    return restrict_locked(fmem, domid);
}

XENTOOLS_EXPORT
xenforeignmemory_resource_handle *
xenforeignmemory_map_resource(xenforeignmemory_handle *fmem, domid_t domid,
                              unsigned int type, unsigned int id,
                              unsigned long frame, unsigned long nr_frames,
                              void **paddr, int prot, int flags)
{
    (void)fmem, (void)domid, (void)type, (void)id, (void)frame;
    (void)nr_frames, (void)paddr, (void)prot, (void)flags;
    errno = EOPNOTSUPP;
    return NULL;
}

XENTOOLS_EXPORT
int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
                                    xenforeignmemory_resource_handle *fres)
{
    /* map_resource never returns a handle yet, so only NULL comes here. */
    (void)fmem;
    (void)fres;
    return 0;
}

XENTOOLS_EXPORT
int xenforeignmemory_resource_size(xenforeignmemory_handle *fmem, domid_t domid,
                                   unsigned int type, unsigned int id,
                                   size_t *size)
{
    (void)fmem, (void)domid, (void)type, (void)id, (void)size;
    errno = EOPNOTSUPP;
    return -1;
}
