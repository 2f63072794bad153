/*
 * libxengnttab over the privcmd socket.
 *
 * PRIVCMD_GNTTAB_MAP validates grants of one domain and answers with a
 * handle, that domain's memory fd and the gfn behind each grant. A
 * mapping reserves its address range, then mmaps the fd at each gfn over
 * it. xen holds the grants until PRIVCMD_GNTTAB_UNMAP of the handle, or
 * until the connection closes; a mapping of several domains' grants
 * holds one handle per run of refs of one domain.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "export.h"
#include "privcmd_client.h"
#include "xengnttab.h"
#include "xentoolcore_internal.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define NO_NOTIFY UINT32_MAX

struct gnt_mapping {
    uint8_t *addr;
    uint32_t count;
    uint32_t notify_offset; /* byte cleared at unmap, or NO_NOTIFY */
    uint32_t nhandles;
    uint64_t *handles;
    struct gnt_mapping *next;
};

struct xengntdev_handle {
    struct privcmd_conn conn;
    pthread_mutex_t lock; /* mappings */
    struct gnt_mapping *mappings;
    xentoolcore__active_handle tc_ah;
};

_Static_assert(sizeof(struct xengnttab_grant_copy_segment) == 24,
               "grant copy segment layout is Xen's ABI");
_Static_assert(offsetof(struct xengnttab_grant_copy_segment, len) == 16 &&
                   offsetof(struct xengnttab_grant_copy_segment, flags) == 18 &&
                   offsetof(struct xengnttab_grant_copy_segment, status) == 20,
               "grant copy segment layout is Xen's ABI");

static int restrict_cb(xentoolcore__active_handle *ah, domid_t domid)
{
    xengnttab_handle *xgt =
        XENTOOLCORE__CONTAINER_OF(ah, xengnttab_handle, tc_ah);

    return privcmd_conn__restrict(&xgt->conn, domid);
}

XENTOOLS_EXPORT
xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
                                 unsigned open_flags)
{
    struct privcmd_hello_reply reply;
    xengnttab_handle *xgt;
    int fd;

    (void)logger;
    (void)open_flags;
    xgt = calloc(1, sizeof(*xgt));
    if (!xgt)
        return NULL;
    if (privcmd_conn__open(&xgt->conn, PRIVCMD_ROLE_GNTTAB, 1, &reply,
                           sizeof(reply), &fd) < 0) {
        free(xgt);
        return NULL;
    }
    if (fd >= 0)
        close(fd);
    pthread_mutex_init(&xgt->lock, NULL);
    xgt->tc_ah.restrict_callback = restrict_cb;
    xentoolcore__register_active_handle(&xgt->tc_ah);
    return xgt;
}

static void mapping_free(struct gnt_mapping *m)
{
    if (m->notify_offset != NO_NOTIFY)
        ((volatile uint8_t *)m->addr)[m->notify_offset] = 0;
    munmap(m->addr, (size_t)m->count << PAGE_SHIFT);
    free(m->handles);
    free(m);
}

/*
 * No PRIVCMD_GNTTAB_UNMAP here: in a forked child the connection is
 * still the parent's. xen releases the grants when the last copy of the
 * socket closes.
 */
XENTOOLS_EXPORT
int xengnttab_close(xengnttab_handle *xgt)
{
    struct gnt_mapping *m;

    if (!xgt)
        return 0;
    xentoolcore__deregister_active_handle(&xgt->tc_ah);
    while ((m = xgt->mappings)) {
        xgt->mappings = m->next;
        mapping_free(m);
    }
    privcmd_conn__close(&xgt->conn);
    pthread_mutex_destroy(&xgt->lock);
    free(xgt);
    return 0;
}

XENTOOLS_EXPORT
int xengnttab_fd(xengnttab_handle *xgt)
{
    return xgt->conn.sock;
}

static int unmap_handle(xengnttab_handle *xgt, uint64_t handle)
{
    struct privcmd_gnttab_unmap req = {.handle = handle};

    return privcmd_conn__call(&xgt->conn, PRIVCMD_GNTTAB_UNMAP, &req,
                              sizeof(req), NULL, 0, NULL, NULL) < 0
               ? -1
               : 0;
}

/*
 * Map @n refs of @domid at @base (reserved) and record the handle in
 * m->handles. 0, or -1 with errno.
 */
static int map_run(xengnttab_handle *xgt, struct gnt_mapping *m, uint8_t *base,
                   uint32_t domid, const uint32_t *refs, uint32_t n, int prot)
{
    struct privcmd_gnttab_map *req = NULL;
    struct privcmd_gnttab_map_reply *reply = NULL;
    size_t reply_size = sizeof(*reply) + n * sizeof(uint64_t), len = 0;
    const uint64_t *gfns;
    int64_t handle = -1;
    uint32_t i, j;
    int fd = -1, rc = -1, saved;

    req = malloc(sizeof(*req) + n * sizeof(uint32_t));
    reply = malloc(reply_size);
    if (!req || !reply)
        goto out;
    memset(req, 0, sizeof(*req));
    req->domid = domid;
    req->count = n;
    req->writable = !!(prot & PROT_WRITE);
    memcpy(req + 1, refs, n * sizeof(uint32_t));
    handle = privcmd_conn__call(&xgt->conn, PRIVCMD_GNTTAB_MAP, req,
                                sizeof(*req) + n * sizeof(uint32_t), reply,
                                reply_size, &len, &fd);
    if (handle < 0)
        goto out;
    if (fd < 0 || len != reply_size || reply->count != n) {
        errno = EPROTO;
        goto out;
    }
    gfns = (const uint64_t *)(reply + 1);
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && gfns[j] == gfns[j - 1] + 1; j++)
            ;
        if (gfns[i] > (UINT64_MAX >> PAGE_SHIFT) ||
            mmap(base + ((size_t)i << PAGE_SHIFT),
                 (size_t)(j - i) << PAGE_SHIFT, prot, MAP_SHARED | MAP_FIXED,
                 fd, (off_t)(gfns[i] << PAGE_SHIFT)) == MAP_FAILED)
            goto out;
    }
    m->handles[m->nhandles++] = handle;
    handle = -1;
    rc = 0;
out:
    saved = errno;
    if (handle >= 0)
        unmap_handle(xgt, handle);
    if (fd >= 0)
        close(fd);
    free(req);
    free(reply);
    errno = saved;
    return rc;
}

/*
 * Map @count refs, ref i of domids[i] (or of @domid when @domids is
 * NULL), into one range.
 */
static void *map_refs(xengnttab_handle *xgt, uint32_t count,
                      const uint32_t *domids, uint32_t domid,
                      const uint32_t *refs, int prot, uint32_t notify_offset)
{
    struct gnt_mapping *m;
    uint32_t i, j, h;
    void *addr = NULL;
    int saved;

    if (!count) {
        errno = EINVAL;
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->count = count;
    m->notify_offset = notify_offset;
    m->addr = MAP_FAILED;
    m->handles = calloc(count, sizeof(*m->handles));
    if (!m->handles)
        goto fail;
    m->addr = mmap(NULL, (size_t)count << PAGE_SHIFT, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m->addr == MAP_FAILED)
        goto fail;

    pthread_mutex_lock(&xgt->lock);
    for (i = 0; i < count; i = j) {
        uint32_t d = domids ? domids[i] : domid;

        for (j = i + 1; j < count && j - i < PRIVCMD_GNTTAB_MAX_REFS &&
                        (!domids || domids[j] == d);
             j++)
            ;
        if (map_run(xgt, m, m->addr + ((size_t)i << PAGE_SHIFT), d, refs + i,
                    j - i, prot) < 0)
            break;
    }
    if (i == count) {
        m->next = xgt->mappings;
        xgt->mappings = m;
        addr = m->addr;
    } else {
        saved = errno;
        for (h = 0; h < m->nhandles; h++)
            unmap_handle(xgt, m->handles[h]);
        errno = saved;
    }
    pthread_mutex_unlock(&xgt->lock);
    if (addr)
        return addr;

fail:
    saved = errno;
    m->notify_offset = NO_NOTIFY;
    if (m->addr != MAP_FAILED)
        munmap(m->addr, (size_t)count << PAGE_SHIFT);
    free(m->handles);
    free(m);
    errno = saved;
    return NULL;
}

XENTOOLS_EXPORT
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
                              uint32_t ref, int prot)
{
    return map_refs(xgt, 1, NULL, domid, &ref, prot, NO_NOTIFY);
}

XENTOOLS_EXPORT
void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
                               uint32_t *domids, uint32_t *refs, int prot)
{
    return map_refs(xgt, count, domids, 0, refs, prot, NO_NOTIFY);
}

XENTOOLS_EXPORT
void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
                                      uint32_t domid, uint32_t *refs, int prot)
{
    return map_refs(xgt, count, NULL, domid, refs, prot, NO_NOTIFY);
}

XENTOOLS_EXPORT
void *xengnttab_map_grant_ref_notify(xengnttab_handle *xgt, uint32_t domid,
                                     uint32_t ref, int prot,
                                     uint32_t notify_offset,
                                     evtchn_port_t notify_port)
{
    if (notify_port != (evtchn_port_t)-1) {
        errno = EOPNOTSUPP;
        return NULL;
    }
    if (notify_offset >= PAGE_SIZE) {
        notify_offset = NO_NOTIFY;
    } else if (!(prot & PROT_WRITE)) {
        /* Clearing the byte needs a writable mapping, as in Linux. */
        errno = EINVAL;
        return NULL;
    }
    return map_refs(xgt, 1, NULL, domid, &ref, prot, notify_offset);
}

XENTOOLS_EXPORT
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
    struct gnt_mapping **pm, *m;
    uint32_t h;
    int rc = -1, saved = 0;

    pthread_mutex_lock(&xgt->lock);
    for (pm = &xgt->mappings; (m = *pm); pm = &m->next)
        if (m->addr == start_address)
            break;
    if (!m || m->count != count) {
        errno = EINVAL;
        goto out;
    }
    *pm = m->next;
    /* The pages go first: xen may hand the frames back to their owner. */
    if (m->notify_offset != NO_NOTIFY)
        ((volatile uint8_t *)m->addr)[m->notify_offset] = 0;
    munmap(m->addr, (size_t)m->count << PAGE_SHIFT);
    rc = 0;
    for (h = 0; h < m->nhandles; h++)
        if (unmap_handle(xgt, m->handles[h]) < 0 && !rc) {
            rc = -1;
            saved = errno;
        }
    free(m->handles);
    free(m);
    if (rc)
        errno = saved;
out:
    saved = errno;
    pthread_mutex_unlock(&xgt->lock);
    errno = saved;
    return rc;
}

XENTOOLS_EXPORT
int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
    struct privcmd_evtchn req = {.port = nr_grants};

    return privcmd_conn__call(&xgt->conn, PRIVCMD_GNTTAB_SET_MAX, &req,
                              sizeof(req), NULL, 0, NULL, NULL) < 0
               ? -1
               : 0;
}

/*
 * The GNTST_* status for a failed map of a grant (errno @e). xen answers
 * EINVAL for any grant it cannot pin; the usual cause, an entry that
 * does not permit us, is GNTST_general_error in Xen's grant copy.
 */
static int16_t map_status(int e)
{
    switch (e) {
    case ESRCH:
        return GNTST_bad_domain;
    case ENOENT:
        return GNTST_bad_gntref;
    case EPERM:
    case EACCES:
        return GNTST_permission_denied;
    default:
        return GNTST_general_error;
    }
}

/*
 * The grants of one side (source or dest) of a grant copy, mapped with
 * one request when they all belong to one domain; base is NULL when
 * they could not be, and the segments then map their grants one by one,
 * which also gives each its exact status.
 */
struct copy_batch {
    uint8_t *base;
    uint32_t domid;
    uint32_t n;
    uint32_t refs[PRIVCMD_GNTTAB_MAX_REFS];
};

static const union xengnttab_copy_ptr *
copy_ptr(const xengnttab_grant_copy_segment_t *s, int dest)
{
    return dest ? &s->dest : &s->source;
}

static void batch_map(xengnttab_handle *xgt, struct copy_batch *b,
                      const xengnttab_grant_copy_segment_t *segs,
                      uint32_t count, int dest)
{
    uint16_t flag = dest ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
    uint32_t i, k;

    b->base = NULL;
    b->n = 0;
    for (i = 0; i < count; i++) {
        const union xengnttab_copy_ptr *p = copy_ptr(&segs[i], dest);

        if (!(segs[i].flags & flag))
            continue;
        if (!b->n)
            b->domid = p->foreign.domid;
        else if (p->foreign.domid != b->domid)
            return;
        for (k = 0; k < b->n && b->refs[k] != p->foreign.ref; k++)
            ;
        if (k == b->n) {
            if (b->n == PRIVCMD_GNTTAB_MAX_REFS)
                return;
            b->refs[b->n++] = p->foreign.ref;
        }
    }
    if (b->n)
        b->base =
            map_refs(xgt, b->n, NULL, b->domid, b->refs,
                     dest ? PROT_READ | PROT_WRITE : PROT_READ, NO_NOTIFY);
}

static void batch_unmap(xengnttab_handle *xgt, struct copy_batch *b)
{
    if (b->base)
        xengnttab_unmap(xgt, b->base, b->n);
}

/*
 * One side of @s: the local pointer, or its grant's page in @b or mapped
 * on its own (then *@own is set). NULL with s->status set on failure.
 */
static uint8_t *side_ptr(xengnttab_handle *xgt, struct copy_batch *b,
                         xengnttab_grant_copy_segment_t *s, int dest, int *own)
{
    const union xengnttab_copy_ptr *p = copy_ptr(s, dest);
    uint16_t flag = dest ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
    uint8_t *page;
    uint32_t k;

    *own = 0;
    if (!(s->flags & flag))
        return p->virt;
    if (b->base) {
        for (k = 0; b->refs[k] != p->foreign.ref; k++)
            ;
        return b->base + ((size_t)k << PAGE_SHIFT) + p->foreign.offset;
    }
    page = map_refs(xgt, 1, NULL, p->foreign.domid, &p->foreign.ref,
                    dest ? PROT_READ | PROT_WRITE : PROT_READ, NO_NOTIFY);
    if (!page) {
        s->status = map_status(errno);
        return NULL;
    }
    *own = 1;
    return page + p->foreign.offset;
}

static void side_done(xengnttab_handle *xgt, uint8_t *ptr, int own)
{
    if (own)
        xengnttab_unmap(xgt, (void *)((uintptr_t)ptr & ~(PAGE_SIZE - 1)), 1);
}

XENTOOLS_EXPORT
int xengnttab_grant_copy(xengnttab_handle *xgt, uint32_t count,
                         xengnttab_grant_copy_segment_t *segs)
{
    struct copy_batch *batches;
    uint32_t i;

    /* Check every segment before copying anything, as Linux does. */
    for (i = 0; i < count; i++) {
        const xengnttab_grant_copy_segment_t *s = &segs[i];
        int src_foreign = !!(s->flags & GNTCOPY_source_gref);
        int dst_foreign = !!(s->flags & GNTCOPY_dest_gref);

        if ((!src_foreign && !dst_foreign) ||
            (src_foreign && s->source.foreign.offset + s->len > PAGE_SIZE) ||
            (dst_foreign && s->dest.foreign.offset + s->len > PAGE_SIZE)) {
            errno = EINVAL;
            return -1;
        }
        if ((!src_foreign && !s->source.virt) ||
            (!dst_foreign && !s->dest.virt)) {
            errno = EFAULT;
            return -1;
        }
    }
    if (!count)
        return 0;
    batches = malloc(2 * sizeof(*batches));
    if (!batches)
        return -1;
    batch_map(xgt, &batches[0], segs, count, 0);
    batch_map(xgt, &batches[1], segs, count, 1);
    for (i = 0; i < count; i++) {
        xengnttab_grant_copy_segment_t *s = &segs[i];
        uint8_t *src, *dst = NULL;
        int src_own, dst_own = 0;

        s->status = GNTST_okay;
        src = side_ptr(xgt, &batches[0], s, 0, &src_own);
        if (src)
            dst = side_ptr(xgt, &batches[1], s, 1, &dst_own);
        if (src && dst)
            memcpy(dst, src, s->len);
        if (dst)
            side_done(xgt, dst, dst_own);
        if (src)
            side_done(xgt, src, src_own);
    }
    batch_unmap(xgt, &batches[1]);
    batch_unmap(xgt, &batches[0]);
    free(batches);
    return 0;
}
