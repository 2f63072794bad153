/*
 * Grant tables, version 1, for auto-translated (PVH/HVM) guests.
 *
 * A domain's table is up to max_frames pages of grant_entry_v1. A frame
 * lives in a page of ours until the guest places it in its physmap with
 * XENMAPSPACE_grant_table; from then on it is that guest frame. Beside
 * the shared entries we keep an active entry per grant (pin counts, who
 * uses it, which frame), and per domain a maptrack: the grants of others
 * it has mapped, each with a handle.
 *
 * A host mapping of a grant is a foreign frame in the mapper's physmap
 * (physmap_map_foreign): the granting domain's page shown at a gfn of the
 * mapper. The mapper holds a reference to the granter while it maps.
 *
 * Locking: gt->lock protects a table's frames and active entries;
 * gt->maptrack_lock a domain's maptrack. Order: maptrack_lock (mapper),
 * then gt->lock (granter), then the physmap lock; never two gt->locks.
 *
 * Guest-visible behaviour is Xen's for an HVM guest: the sub-ops an HVM
 * guest may not use answer -ENOSYS, only version 1 exists (as with
 * gnttab=max-ver:1), statuses and error codes are Xen's.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <public/grant_table.h>
#include <public/xen.h>
#include <xen/grant_table.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>

static unsigned int opt_max_grant_frames = 64;
integer_param(gnttab_max_frames, opt_max_grant_frames,
              "most grant-table frames a domain may have (default 64)");
static unsigned int opt_max_maptrack_frames = 1024;
integer_param(gnttab_max_maptrack_frames, opt_max_maptrack_frames,
              "most maptrack frames (256 mappings each) per domain");

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define MAPTRACK_PER_FRAME 256
/*
 * Each host mapping costs a KVM memory slot and host VMAs, both limited
 * for the whole process: this quota keeps one guest from using them up.
 */
#define MAX_HOST_MAPPINGS 4096

/* Pin counts in an active entry: one byte each, as Xen. */
#define GNTPIN_hstw_inc (1U << 0)
#define GNTPIN_hstr_inc (1U << 8)
#define GNTPIN_devw_inc (1U << 16)
#define GNTPIN_devr_inc (1U << 24)
#define GNTPIN_hstw_mask (0xffU << 0)
#define GNTPIN_devw_mask (0xffU << 16)
#define GNTPIN_overflow 0x80808080U

#define NO_HANDLE (~0U)

struct active_entry {
    uint32_t pin;               /* GNTPIN_* counts; 0 = not in use */
    domid_t domid;              /* who pinned it */
    uint64_t gfn;               /* the granter's frame while pinned */
};

struct gt_frame {
    uint8_t *virt;              /* where the entries are now */
    uint8_t *page;              /* our page, used while not in the physmap */
    uint64_t gfn;               /* guest frame it is placed at, or ~0 */
};

struct mapping {
    uint32_t flags;             /* GNTMAP_*; 0 = free */
    grant_ref_t ref;
    struct domain *rd;          /* granter, referenced while mapped
                                 * (unless it is this domain) */
    uint64_t frame;             /* the granter's frame */
    uint64_t gfn;               /* where it is mapped in this domain */
    uint32_t next;              /* free list */
};

struct grant_table {
    pthread_mutex_t lock;
    unsigned int nr_frames, max_frames;
    struct gt_frame *frames;
    struct active_entry **active;   /* one array per frame */

    pthread_mutex_t maptrack_lock;
    struct mapping *maps;
    unsigned int nr_maps, max_maps, nr_host_maps;
    uint32_t free_head, free_tail;
};

/* ------------------------------------------------------------------------
 * Table and frames.
 */

static unsigned int nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * ENTRIES_PER_FRAME;
}

static grant_entry_v1_t *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    return (grant_entry_v1_t *)gt->frames[ref / ENTRIES_PER_FRAME].virt +
           ref % ENTRIES_PER_FRAME;
}

static struct active_entry *active_entry(struct grant_table *gt,
                                         grant_ref_t ref)
{
    return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

/* Grow to nr frames (gt->lock held). */
static int grow_table(struct grant_table *gt, unsigned int nr)
{
    for (unsigned int i = gt->nr_frames; i < nr; i++) {
        struct gt_frame *f = &gt->frames[i];

        f->page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
        gt->active[i] = calloc(ENTRIES_PER_FRAME, sizeof(*gt->active[i]));
        if (!f->page || !gt->active[i]) {
            free(f->page);
            free(gt->active[i]);
            f->page = NULL;
            gt->active[i] = NULL;
            return -ENOMEM;
        }
        memset(f->page, 0, PAGE_SIZE);
        f->virt = f->page;
        f->gfn = INVALID_GFN;
        gt->nr_frames = i + 1;
    }
    return 0;
}

int grant_table_init(struct domain *d)
{
    struct grant_table *gt = calloc(1, sizeof(*gt));
    unsigned int max = MAX(opt_max_grant_frames, 1u);
    int rc = -ENOMEM;

    if (!gt)
        return -ENOMEM;
    pthread_mutex_init(&gt->lock, NULL);
    pthread_mutex_init(&gt->maptrack_lock, NULL);
    gt->max_frames = max;
    gt->max_maps = MIN(opt_max_maptrack_frames, 1u << 20) * MAPTRACK_PER_FRAME;
    gt->free_head = gt->free_tail = NO_HANDLE;
    gt->frames = calloc(max, sizeof(*gt->frames));
    gt->active = calloc(max, sizeof(*gt->active));
    d->grant_table = gt;
    if (gt->frames && gt->active)
        rc = grow_table(gt, 1);     /* Xen starts with one frame */
    if (rc)
        grant_table_destroy(d);
    return rc;
}

int gnttab_set_limits(struct domain *d, int max_frames, int max_maptrack)
{
    struct grant_table *gt = d->grant_table;
    unsigned int frames =
        max_frames < 0 ? gt->max_frames : (unsigned int)max_frames;
    unsigned int maptrack =
        max_maptrack < 0 ? opt_max_maptrack_frames : (unsigned int)max_maptrack;

    /* Xen's bounds: the first frame always exists; never above the options. */
    if (frames < 1 || frames > gt->max_frames ||
        maptrack > opt_max_maptrack_frames || maptrack > (1u << 20))
        return -EINVAL;
    pthread_mutex_lock(&gt->maptrack_lock);
    pthread_mutex_lock(&gt->lock);
    gt->max_frames = frames;
    gt->max_maps = maptrack * MAPTRACK_PER_FRAME;
    pthread_mutex_unlock(&gt->lock);
    pthread_mutex_unlock(&gt->maptrack_lock);
    return 0;
}

/* Take frame i out of the physmap, back into our page (gt->lock held). */
static void frame_unplace(struct domain *d, struct gt_frame *f)
{
    uint64_t gfn = f->gfn;

    if (gfn == INVALID_GFN)
        return;
    memcpy(f->page, f->virt, PAGE_SIZE);
    f->virt = f->page;
    f->gfn = INVALID_GFN;
    physmap_remove(d, gfn, 1);
}

/* A gfn is about to get something else: unhook any grant frame there. */
static void unplace_frames_at(struct domain *d, uint64_t gfn)
{
    struct grant_table *gt = d->grant_table;

    pthread_mutex_lock(&gt->lock);
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        if (gt->frames[i].gfn == gfn)
            frame_unplace(d, &gt->frames[i]);
    pthread_mutex_unlock(&gt->lock);
}

void gnttab_unplace_gfn(struct domain *d, uint64_t gfn)
{
    unplace_frames_at(d, gfn);
}

int gnttab_map_frame(struct domain *d, unsigned long idx, uint64_t gfn)
{
    struct grant_table *gt = d->grant_table;
    struct gt_frame *f;
    int rc = 0;

    pthread_mutex_lock(&gt->lock);
    if (idx >= gt->max_frames || gfn >= d->max_gfn) {
        rc = -EINVAL;
        goto out;
    }
    if (idx >= gt->nr_frames && grow_table(gt, idx + 1)) {
        rc = -EINVAL;    /* Xen: a frame it could not add does not exist */
        goto out;
    }
    f = &gt->frames[idx];
    if (f->gfn == gfn)
        goto out;
    if (physmap_is_foreign(d, gfn)) {
        rc = -EBUSY;
        goto out;
    }
    /* One place per frame: leave the old one; evict what is at gfn. */
    frame_unplace(d, f);
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        if (gt->frames[i].gfn == gfn)
            frame_unplace(d, &gt->frames[i]);
    if (physmap_is_populated(d, gfn))
        physmap_remove(d, gfn, 1);
    rc = physmap_populate(d, gfn, 1, true);
    if (rc)
        goto out;
    f->virt = gfn_to_virt(d, gfn);
    memcpy(f->virt, f->page, PAGE_SIZE);
    f->gfn = gfn;
out:
    pthread_mutex_unlock(&gt->lock);
    return rc;
}

int gnttab_seed_entry(struct domain *d, grant_ref_t ref, domid_t grantee,
                      uint32_t gfn)
{
    struct grant_table *gt = d->grant_table;
    grant_entry_v1_t *e;
    int rc = 0;

    pthread_mutex_lock(&gt->lock);
    if (ref >= GNTTAB_NR_RESERVED_ENTRIES || ref >= nr_entries(gt)) {
        rc = -EINVAL;
        goto out;
    }
    e = shared_entry(gt, ref);
    e->domid = grantee;
    e->frame = gfn;
    __atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
out:
    pthread_mutex_unlock(&gt->lock);
    return rc;
}

/* ------------------------------------------------------------------------
 * Pinning: what map and copy do to the granter's entry.
 */

/* The 32 bits flags|domid of an entry, updated as one with cmpxchg. */
static uint32_t *entry_word(grant_entry_v1_t *e)
{
    return (uint32_t *)e;
}

static void clear_flags(grant_entry_v1_t *e, uint16_t flags)
{
    __atomic_fetch_and(&e->flags, (uint16_t)~flags, __ATOMIC_SEQ_CST);
}

/*
 * Set GTF_reading (and GTF_writing) in the shared entry, checking type
 * and grantee unless already pinned. The guest may race us on the entry:
 * a few retries, then we give up as Xen does.
 */
static int set_status(grant_entry_v1_t *e, const struct active_entry *act,
                      bool readonly, bool mapping, domid_t ld)
{
    uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    uint32_t *word = entry_word(e);
    uint32_t old = __atomic_load_n(word, __ATOMIC_SEQ_CST);

    for (unsigned int tries = 0;; tries++) {
        uint16_t flags = old & 0xffff;
        domid_t dom = old >> 16;
        uint32_t new = old | GTF_reading;

        if (!act->pin &&
            ((flags & mask) != GTF_permit_access || dom != ld))
            return GNTST_general_error;
        if (!readonly) {
            if (flags & GTF_readonly)
                return GNTST_general_error;
            new |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(word, &old, new, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return GNTST_okay;
        if (tries == 4)
            return GNTST_general_error;
    }
}

/* Flags to drop once a pin of this kind is gone. */
static uint16_t flags_to_clear(const struct active_entry *act, bool readonly)
{
    uint16_t clear = 0;

    if (!readonly && !(act->pin & (GNTPIN_hstw_mask | GNTPIN_devw_mask)))
        clear |= GTF_writing;
    if (!act->pin)
        clear |= GTF_reading;
    return clear;
}

int gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ld, bool readonly,
               bool mapping, uint64_t *gfn, uint16_t *cache_flags)
{
    struct grant_table *gt = rd->grant_table;
    struct active_entry *act;
    grant_entry_v1_t *e;
    int rc = GNTST_okay;

    pthread_mutex_lock(&gt->lock);
    if (ref >= nr_entries(gt)) {
        rc = GNTST_bad_gntref;
        goto out;
    }
    e = shared_entry(gt, ref);
    act = active_entry(gt, ref);
    if (act->pin && (act->domid != ld || (act->pin & GNTPIN_overflow))) {
        rc = GNTST_general_error;
        goto out;
    }
    if (!act->pin ||
        (!readonly && !(act->pin & (GNTPIN_hstw_mask | GNTPIN_devw_mask)))) {
        rc = set_status(e, act, readonly, mapping, ld);
        if (rc)
            goto out;
        if (!act->pin) {
            uint64_t frame = __atomic_load_n(&e->frame, __ATOMIC_SEQ_CST);

            /* Only the granter's own RAM can be granted. */
            if (!physmap_is_populated(rd, frame)) {
                clear_flags(e, flags_to_clear(act, readonly));
                rc = GNTST_bad_page;
                goto out;
            }
            act->domid = ld;
            act->gfn = frame;
        }
    }
    act->pin += readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    *gfn = act->gfn;
    if (cache_flags)
        *cache_flags = e->flags & (GTF_PAT | GTF_PWT | GTF_PCD);
out:
    pthread_mutex_unlock(&gt->lock);
    return rc;
}

void gnttab_unpin(struct domain *rd, grant_ref_t ref, bool readonly)
{
    struct grant_table *gt = rd->grant_table;
    struct active_entry *act;

    pthread_mutex_lock(&gt->lock);
    act = active_entry(gt, ref);
    act->pin -= readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    clear_flags(shared_entry(gt, ref), flags_to_clear(act, readonly));
    pthread_mutex_unlock(&gt->lock);
}

/* ------------------------------------------------------------------------
 * Maptrack.
 */

static uint32_t get_maptrack_handle(struct grant_table *lgt)
{
    uint32_t h;

    if (lgt->free_head == NO_HANDLE) {
        unsigned int n = lgt->nr_maps + MAPTRACK_PER_FRAME;
        struct mapping *m;

        if (n > lgt->max_maps)
            return NO_HANDLE;
        m = realloc(lgt->maps, n * sizeof(*m));
        if (!m)
            return NO_HANDLE;
        memset(m + lgt->nr_maps, 0, MAPTRACK_PER_FRAME * sizeof(*m));
        for (unsigned int i = lgt->nr_maps; i < n; i++)
            m[i].next = i + 1 < n ? i + 1 : NO_HANDLE;
        lgt->maps = m;
        lgt->free_head = lgt->nr_maps;
        lgt->free_tail = n - 1;
        lgt->nr_maps = n;
    }
    h = lgt->free_head;
    lgt->free_head = lgt->maps[h].next;
    if (lgt->free_head == NO_HANDLE)
        lgt->free_tail = NO_HANDLE;
    return h;
}

/* Freed handles go to the tail: reused last, as in Xen. */
static void put_maptrack_handle(struct grant_table *lgt, uint32_t h)
{
    lgt->maps[h].flags = 0;
    lgt->maps[h].next = NO_HANDLE;
    if (lgt->free_tail == NO_HANDLE)
        lgt->free_head = h;
    else
        lgt->maps[lgt->free_tail].next = h;
    lgt->free_tail = h;
}

/* Whether a gfn holds something a grant mapping must not replace. */
static bool gfn_is_pinned_page(struct domain *d, uint64_t gfn)
{
    struct vcpu *v;

    if (gfn == d->shared_info_gfn)
        return true;
    for_each_vcpu (d, v)
        if (v->vcpu_info_gfn == gfn)
            return true;
    return false;
}

static void map_grant_ref(struct domain *ld, struct gnttab_map_grant_ref *op)
{
    struct grant_table *lgt = ld->grant_table;
    bool readonly = op->flags & GNTMAP_readonly;
    uint64_t gfn = op->host_addr >> PAGE_SHIFT, frame;
    struct domain *rd = NULL;
    uint16_t cache_flags;
    uint32_t handle = NO_HANDLE;
    int rc;

    if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map))) {
        rc = GNTST_bad_gntref;
        goto out;
    }
    /* An HVM domain has no device or PTE mappings. */
    if (op->flags &
        (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) {
        rc = GNTST_general_error;
        goto out;
    }
    rd = get_domain_by_id(op->dom);
    if (!rd || __atomic_load_n(&rd->state, __ATOMIC_SEQ_CST) == DOMAIN_DYING) {
        rc = GNTST_bad_domain;
        goto out;
    }
    pthread_mutex_lock(&lgt->maptrack_lock);
    handle = lgt->nr_host_maps < MAX_HOST_MAPPINGS ? get_maptrack_handle(lgt)
                                                   : NO_HANDLE;
    if (handle == NO_HANDLE) {
        rc = GNTST_no_device_space;
        goto unlock;
    }
    rc = gnttab_pin(rd, op->ref, ld->domain_id, readonly, true, &frame,
                    &cache_flags);
    if (rc)
        goto unlock;
    /* What Xen's p2m accepts for an HVM grant mapping. */
    if (cache_flags || (op->flags & ~GNTMAP_readonly) != GNTMAP_host_map ||
        gfn >= ld->max_gfn || gfn_is_pinned_page(ld, gfn)) {
        rc = GNTST_general_error;
        goto unpin;
    }
    if (physmap_is_foreign(ld, gfn)) {
        /* Xen crashes a guest that maps over one of its grant mappings. */
        domain_crash(ld, "grant mapping over a grant mapping");
        rc = GNTST_general_error;
        goto unpin;
    }
    /* Whatever was at gfn is replaced, as Xen's p2m does. */
    unplace_frames_at(ld, gfn);
    if (physmap_is_populated(ld, gfn))
        physmap_remove(ld, gfn, 1);
    if (physmap_map_foreign(ld, gfn, rd, frame, readonly)) {
        rc = GNTST_general_error;
        goto unpin;
    }
    lgt->maps[handle] = (struct mapping){
        .flags = op->flags, .ref = op->ref, .rd = rd, .frame = frame,
        .gfn = gfn};
    lgt->nr_host_maps++;
    /* The mapping keeps the granter referenced; a domain not itself. */
    if (rd != ld)
        rd = NULL;
    /* Our machine address of a frame is the owner's guest address. */
    op->dev_bus_addr = frame << PAGE_SHIFT;
    op->handle = handle;
    handle = NO_HANDLE;
    goto unlock;

unpin:
    gnttab_unpin(rd, op->ref, readonly);
unlock:
    if (handle != NO_HANDLE)
        put_maptrack_handle(lgt, handle);
    pthread_mutex_unlock(&lgt->maptrack_lock);
out:
    if (rd)
        put_domain(rd);
    op->status = rc;
}

/* Drop mapping m (maptrack_lock held). */
static void release_mapping(struct domain *ld, uint32_t handle)
{
    struct grant_table *lgt = ld->grant_table;
    struct mapping *m = &lgt->maps[handle];
    struct domain *rd = m->rd;

    gnttab_unpin(rd, m->ref, m->flags & GNTMAP_readonly);
    put_maptrack_handle(lgt, handle);
    lgt->nr_host_maps--;
    if (rd != ld)
        put_domain(rd);
}

/*
 * Undo a handle's host mapping (maptrack_lock held). Xen removes it only
 * if host_addr names the mapping; host_addr 0 leaves it in place.
 */
static int unmap_one(struct domain *ld, uint32_t handle, uint64_t host_addr,
                     uint64_t dev_bus_addr)
{
    struct grant_table *lgt = ld->grant_table;
    struct mapping *m;

    if (handle >= lgt->nr_maps || !lgt->maps[handle].flags)
        return GNTST_bad_handle;
    m = &lgt->maps[handle];
    if (dev_bus_addr && dev_bus_addr != m->frame << PAGE_SHIFT)
        return GNTST_general_error;
    if (!host_addr || !(m->flags & GNTMAP_host_map))
        return GNTST_okay;
    if (host_addr >> PAGE_SHIFT != m->gfn ||
        physmap_unmap_foreign(ld, m->gfn, m->rd->domain_id, m->frame))
        return GNTST_general_error;
    release_mapping(ld, handle);
    return GNTST_okay;
}

void gnttab_release_mappings(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if (!gt)
        return;
    pthread_mutex_lock(&gt->maptrack_lock);
    for (uint32_t h = 0; h < gt->nr_maps; h++) {
        struct mapping *m = &gt->maps[h];

        if (!m->flags)
            continue;
        physmap_unmap_foreign(d, m->gfn, m->rd->domain_id, m->frame);
        release_mapping(d, h);
    }
    pthread_mutex_unlock(&gt->maptrack_lock);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt = d->grant_table;

    if (!gt)
        return;
    gnttab_release_mappings(d);
    for (unsigned int i = 0; gt->frames && i < gt->max_frames; i++)
        free(gt->frames[i].page);
    for (unsigned int i = 0; gt->active && i < gt->max_frames; i++)
        free(gt->active[i]);
    free(gt->frames);
    free(gt->active);
    free(gt->maps);
    free(gt);
    d->grant_table = NULL;
}

/* ------------------------------------------------------------------------
 * Copy.
 */


struct copy_buf {
    struct domain *d;
    uint8_t *page;
    grant_ref_t ref;
    bool pinned;
};

/* Only DOMID_SELF may name a frame; a grant may be anyone's. */
static int copy_lock_domain(struct domain *ld, domid_t domid, bool is_gref,
                            struct copy_buf *b)
{
    if (domid != DOMID_SELF && !is_gref)
        return GNTST_permission_denied;
    b->d = get_domain_by_any_id(ld, domid);
    return b->d ? GNTST_okay : GNTST_bad_domain;
}

static int copy_claim(struct domain *ld, const struct gnttab_copy_ptr *ptr,
                      bool is_gref, bool readonly, struct copy_buf *b)
{
    uint64_t gfn = ptr->u.gmfn;
    int rc;

    if (is_gref) {
        rc = gnttab_pin(b->d, ptr->u.ref, ld->domain_id, readonly, false,
                        &gfn, NULL);
        if (rc)
            return rc;
        b->ref = ptr->u.ref;
        b->pinned = true;
    } else if (!physmap_is_populated(b->d, gfn)) {
        return GNTST_bad_page;
    }
    b->page = b->d->mem + (gfn << PAGE_SHIFT);
    return GNTST_okay;
}

static void copy_release(struct copy_buf *b, bool readonly)
{
    if (b->pinned)
        gnttab_unpin(b->d, b->ref, readonly);
    if (b->d)
        put_domain(b->d);
}

static int copy_one(struct domain *ld, const struct gnttab_copy *op)
{
    struct copy_buf src = {0}, dst = {0};
    int rc;

    rc = copy_lock_domain(ld, op->source.domid,
                          op->flags & GNTCOPY_source_gref, &src);
    if (!rc)
        rc = copy_lock_domain(ld, op->dest.domid,
                              op->flags & GNTCOPY_dest_gref, &dst);
    if (!rc)
        rc = copy_claim(ld, &op->source, op->flags & GNTCOPY_source_gref,
                        true, &src);
    if (!rc)
        rc = copy_claim(ld, &op->dest, op->flags & GNTCOPY_dest_gref, false,
                        &dst);
    if (!rc && (op->source.offset + op->len > PAGE_SIZE ||
                op->dest.offset + op->len > PAGE_SIZE))
        rc = GNTST_bad_copy_arg;
    if (!rc)
        memmove(dst.page + op->dest.offset, src.page + op->source.offset,
                op->len);
    copy_release(&src, true);
    copy_release(&dst, false);
    return rc;
}

/* ------------------------------------------------------------------------
 * The hypercall. 32-bit guests' setup_table and copy have other layouts.
 */

struct compat_gnttab_setup_table {
    domid_t dom;
    uint32_t nr_frames;
    int16_t status;
    uint32_t frame_list;
};

struct compat_gnttab_copy_ptr {
    uint32_t ref_or_gmfn;
    domid_t domid;
    uint16_t offset;
};

struct compat_gnttab_copy {
    struct compat_gnttab_copy_ptr source, dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;
};

/* Stop a long batch when the domain will not run again anyway. */
static bool batch_should_stop(struct domain *d, unsigned int i)
{
    return !(i % 64) &&
           __atomic_load_n(&d->state, __ATOMIC_SEQ_CST) != DOMAIN_ACTIVE;
}

static long setup_table(struct vcpu *v, uint64_t uop, unsigned int count)
{
    bool compat = hypercall_is_compat(v);
    struct domain *d;
    struct grant_table *gt;
    domid_t dom;
    uint32_t nr;
    uint64_t list;
    int16_t status;
    size_t status_off, pfn_size = compat ? 4 : 8;

    if (count != 1)
        return -EINVAL;
    if (compat) {
        struct compat_gnttab_setup_table op;

        if (copy_from_guest_obj(v, &op, uop))
            return -EFAULT;
        dom = op.dom, nr = op.nr_frames, list = op.frame_list;
        status_off = offsetof(struct compat_gnttab_setup_table, status);
    } else {
        struct gnttab_setup_table op;

        if (copy_from_guest_obj(v, &op, uop))
            return -EFAULT;
        dom = op.dom, nr = op.nr_frames, list = (uintptr_t)op.frame_list.p;
        status_off = offsetof(struct gnttab_setup_table, status);
    }
    d = get_domain_by_any_id(v->domain, dom);
    if (!d) {
        status = GNTST_bad_domain;
        goto out;
    }
    if (!domain_may_target(v->domain, d)) {
        status = GNTST_permission_denied;
        goto put;
    }
    gt = d->grant_table;
    pthread_mutex_lock(&gt->lock);
    if (nr > gt->max_frames ||
        (nr > gt->nr_frames && grow_table(gt, nr))) {
        status = GNTST_general_error;
        goto unlock;
    }
    status = GNTST_okay;
    /* An auto-translated guest gets where each frame is placed, or ~0. */
    for (uint32_t i = 0; i < nr; i++) {
        uint64_t gfn = gt->frames[i].gfn;

        if (copy_to_guest(v, list + i * pfn_size, &gfn, pfn_size))
            status = GNTST_bad_virt_addr;
    }
unlock:
    pthread_mutex_unlock(&gt->lock);
put:
    put_domain(d);
out:
    return copy_to_guest_obj(v, uop + status_off, &status) ? -EFAULT : 0;
}

static long query_size(struct vcpu *v, uint64_t uop, unsigned int count)
{
    struct gnttab_query_size op;
    struct domain *d;

    if (count != 1)
        return -EINVAL;
    if (copy_from_guest_obj(v, &op, uop))
        return -EFAULT;
    d = get_domain_by_any_id(v->domain, op.dom);
    if (!d) {
        op.status = GNTST_bad_domain;
    } else if (!domain_may_target(v->domain, d)) {
        op.status = GNTST_permission_denied;
    } else {
        pthread_mutex_lock(&d->grant_table->lock);
        op.nr_frames = d->grant_table->nr_frames;
        op.max_nr_frames = d->grant_table->max_frames;
        pthread_mutex_unlock(&d->grant_table->lock);
        op.status = GNTST_okay;
    }
    if (d)
        put_domain(d);
    return copy_to_guest_obj(v, uop, &op) ? -EFAULT : 0;
}

/* Only version 1 exists here: Xen with gnttab=max-ver:1. */
static long set_version(struct vcpu *v, uint64_t uop)
{
    struct gnttab_set_version op;
    long rc;

    if (copy_from_guest_obj(v, &op, uop))
        return -EFAULT;
    if (op.version == 1)
        rc = 0;
    else if (op.version == 2)
        rc = -ENOSYS;
    else
        rc = -EINVAL;
    op.version = 1;
    return copy_to_guest_obj(v, uop, &op) ? -EFAULT : rc;
}

static long get_version(struct vcpu *v, uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    long rc;

    if (copy_from_guest_obj(v, &op, uop))
        return -EFAULT;
    rc = get_target_domain(v->domain, op.dom, &d);
    if (rc)
        return rc;
    put_domain(d);
    op.version = 1;
    return copy_to_guest(v, uop + offsetof(struct gnttab_get_version, version),
                         &op.version, sizeof(op.version))
               ? -EFAULT
               : 0;
}

static long map_grant_refs(struct vcpu *v, uint64_t uop, unsigned int count)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_map_grant_ref op;
        uint64_t at = uop + (uint64_t)i * sizeof(op);

        if (batch_should_stop(v->domain, i))
            break;
        if (copy_from_guest_obj(v, &op, at))
            return -EFAULT;
        map_grant_ref(v->domain, &op);
        if (copy_to_guest_obj(v, at, &op))
            return -EFAULT;
    }
    return 0;
}

static long unmap_grant_refs(struct vcpu *v, uint64_t uop, unsigned int count)
{
    struct grant_table *lgt = v->domain->grant_table;

    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_unmap_grant_ref op;
        uint64_t at = uop + (uint64_t)i * sizeof(op);

        if (batch_should_stop(v->domain, i))
            break;
        if (copy_from_guest_obj(v, &op, at))
            return -EFAULT;
        pthread_mutex_lock(&lgt->maptrack_lock);
        op.status = unmap_one(v->domain, op.handle, op.host_addr,
                              op.dev_bus_addr);
        pthread_mutex_unlock(&lgt->maptrack_lock);
        if (copy_to_guest_obj(v, at + offsetof(struct gnttab_unmap_grant_ref,
                                               status),
                              &op.status))
            return -EFAULT;
    }
    return 0;
}

static long copy_ops(struct vcpu *v, uint64_t uop, unsigned int count)
{
    bool compat = hypercall_is_compat(v);
    size_t size = compat ? sizeof(struct compat_gnttab_copy)
                         : sizeof(struct gnttab_copy);
    size_t status_off = compat ? offsetof(struct compat_gnttab_copy, status)
                               : offsetof(struct gnttab_copy, status);

    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_copy op;
        uint64_t at = uop + (uint64_t)i * size;
        int16_t status;

        if (batch_should_stop(v->domain, i))
            break;
        if (compat) {
            struct compat_gnttab_copy c;

            if (copy_from_guest_obj(v, &c, at))
                return -EFAULT;
            op = (struct gnttab_copy){
                .source = {.u.gmfn = c.source.ref_or_gmfn,
                           .domid = c.source.domid,
                           .offset = c.source.offset},
                .dest = {.u.gmfn = c.dest.ref_or_gmfn,
                         .domid = c.dest.domid,
                         .offset = c.dest.offset},
                .len = c.len,
                .flags = c.flags,
            };
        } else if (copy_from_guest_obj(v, &op, at)) {
            return -EFAULT;
        }
        status = copy_one(v->domain, &op);
        if (copy_to_guest_obj(v, at + status_off, &status))
            return -EFAULT;
    }
    return 0;
}

static int16_t swap_grant_ref(struct domain *d, grant_ref_t a, grant_ref_t b)
{
    struct grant_table *gt = d->grant_table;
    int16_t rc = GNTST_okay;

    pthread_mutex_lock(&gt->lock);
    if (a >= nr_entries(gt) || b >= nr_entries(gt)) {
        rc = GNTST_bad_gntref;
    } else if (a != b) {
        if (active_entry(gt, a)->pin || active_entry(gt, b)->pin) {
            rc = GNTST_eagain;
        } else {
            grant_entry_v1_t *ea = shared_entry(gt, a);
            grant_entry_v1_t *eb = shared_entry(gt, b);
            grant_entry_v1_t t = *ea;

            *ea = *eb;
            *eb = t;
        }
    }
    pthread_mutex_unlock(&gt->lock);
    return rc;
}

static long swap_grant_refs(struct vcpu *v, uint64_t uop, unsigned int count)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_swap_grant_ref op;
        uint64_t at = uop + (uint64_t)i * sizeof(op);

        if (batch_should_stop(v->domain, i))
            break;
        if (copy_from_guest_obj(v, &op, at))
            return -EFAULT;
        op.status = swap_grant_ref(v->domain, op.ref_a, op.ref_b);
        if (copy_to_guest_obj(v, at + offsetof(struct gnttab_swap_grant_ref,
                                               status),
                              &op.status))
            return -EFAULT;
    }
    return 0;
}

/*
 * Xen preempts long batches with a continuation; we run them to the end
 * (each element is bounded work) unless the domain stops running.
 */
static long do_grant_table_op(struct vcpu *v, const uint64_t arg[5])
{
    unsigned int cmd = arg[0], count = arg[2];
    uint64_t uop = arg[1];

    /* The sub-ops Xen lets an HVM guest use; the rest "need auditing". */
    switch (cmd) {
    case GNTTABOP_query_size:
    case GNTTABOP_setup_table:
    case GNTTABOP_set_version:
    case GNTTABOP_get_version:
    case GNTTABOP_copy:
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_swap_grant_ref:
        break;
    default:
        return -ENOSYS;
    }
    if ((int)count < 0)
        return -EINVAL;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        return map_grant_refs(v, uop, count);
    case GNTTABOP_unmap_grant_ref:
        return unmap_grant_refs(v, uop, count);
    case GNTTABOP_setup_table:
        return setup_table(v, uop, count);
    case GNTTABOP_copy:
        return copy_ops(v, uop, count);
    case GNTTABOP_query_size:
        return query_size(v, uop, count);
    case GNTTABOP_set_version:
        return set_version(v, uop);
    case GNTTABOP_get_version:
        return get_version(v, uop);
    default:
        return swap_grant_refs(v, uop, count);
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_grant_table_op, do_grant_table_op);
