/*
 * Host memory budget and per-domain physmaps.
 *
 * The budget is counted in pages: what mem= gives us, minus domain 0's
 * reservation, is what domains may populate. A physmap records which
 * frames of a domain are backed (a bitmap for lookups, a sorted array of
 * extents for the KVM memory slots that expose them to the guest).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <asm-x86/kvm.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

static uint64_t budget_total, budget_dom0_floor;
static atomic_uint_fast64_t budget_used, budget_dom0;

void mem_budget_init(uint64_t total_pages, uint64_t dom0_pages,
                     uint64_t dom0_floor)
{
    budget_total = total_pages;
    budget_dom0 = dom0_pages;
    budget_dom0_floor = MIN(dom0_floor, dom0_pages);
    budget_used = 0;
}

/*
 * Take pages from the free budget. When that is short, domain 0 gives up
 * part of its reservation, as its balloon driver would under xl's
 * autoballoon, but never below its floor.
 */
int mem_budget_claim(uint64_t pages)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    uint64_t used, dom0, free;
    int rc = 0;

    pthread_mutex_lock(&lock);
    used = atomic_load(&budget_used);
    dom0 = atomic_load(&budget_dom0);
    free = budget_total - dom0 - used;
    if (pages > free) {
        uint64_t shortfall = pages - free;

        if (dom0 - budget_dom0_floor < shortfall)
            rc = -ENOMEM;
        else
            atomic_store(&budget_dom0, dom0 - shortfall);
    }
    if (!rc)
        atomic_fetch_add(&budget_used, pages);
    pthread_mutex_unlock(&lock);
    return rc;
}

void mem_budget_release(uint64_t pages)
{
    atomic_fetch_sub(&budget_used, pages);
}

uint64_t mem_budget_total(void)
{
    return budget_total;
}

uint64_t mem_budget_dom0(void)
{
    return atomic_load(&budget_dom0);
}

uint64_t mem_budget_free(void)
{
    return budget_total - atomic_load(&budget_dom0) - atomic_load(&budget_used);
}

struct extent {
    uint64_t start, end; /* gfns, end exclusive */
    uint32_t slot;
};

/* Another domain's frame shown at one of our gfns (a grant mapping). */
struct foreign {
    uint64_t gfn;
    domid_t owner;
    uint64_t owner_gfn;
    uint32_t slot;
    bool readonly;
};

struct physmap {
    pthread_mutex_t lock;
    uint64_t *populated;   /* bitmap */
    uint64_t *special;     /* populated but not counted in tot_pages */
    uint64_t *foreign;     /* bitmap of gfns in foreign[] below */
    struct extent *ext;
    unsigned int nr_ext, cap_ext;
    uint32_t *free_slots;
    unsigned int nr_free, cap_free, next_slot;
    struct foreign *fmaps;
    unsigned int nr_fmaps, cap_fmaps;
    uint64_t unmapped;     /* counted in tot_pages but in no frame */
};

#define BITS 64
static bool test_bit(const uint64_t *map, uint64_t n)
{
    return __atomic_load_n(&map[n / BITS], __ATOMIC_ACQUIRE) &
           (1ULL << (n % BITS));
}
static void set_bit(uint64_t *map, uint64_t n)
{
    __atomic_or_fetch(&map[n / BITS], 1ULL << (n % BITS), __ATOMIC_RELEASE);
}
static void clear_bit(uint64_t *map, uint64_t n)
{
    __atomic_and_fetch(&map[n / BITS], ~(1ULL << (n % BITS)), __ATOMIC_RELEASE);
}

int physmap_init(struct domain *d, uint64_t max_gfn)
{
    struct physmap *p = calloc(1, sizeof(*p));
    size_t words = (max_gfn + BITS - 1) / BITS;
    char name[32];

    if (!p)
        return -ENOMEM;
    pthread_mutex_init(&p->lock, NULL);
    /* Large calloc()s are lazily zeroed mmaps: no host memory until used. */
    p->populated = calloc(words, sizeof(uint64_t));
    p->special = calloc(words, sizeof(uint64_t));
    p->foreign = calloc(words, sizeof(uint64_t));
    if (!p->populated || !p->special || !p->foreign)
        goto nomem;

    snprintf(name, sizeof(name), "xen-d%u", d->domain_id);
    d->mem_fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    /*
     * Dom0 processes get this fd (privcmd foreign maps): sealed, its size
     * cannot change under xen's and KVM's mappings.
     */
    if (d->mem_fd < 0 || ftruncate(d->mem_fd, max_gfn << PAGE_SHIFT) ||
        fcntl(d->mem_fd, F_ADD_SEALS,
              F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
        goto nomem;
    d->mem = mmap(NULL, max_gfn << PAGE_SHIFT, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_NORESERVE, d->mem_fd, 0);
    if (d->mem == MAP_FAILED) {
        d->mem = NULL;
        goto nomem;
    }
    d->max_gfn = max_gfn;
    d->physmap = p;
    return 0;

nomem:
    if (d->mem_fd >= 0)
        close(d->mem_fd);
    d->mem_fd = -1;
    free(p->populated);
    free(p->special);
    free(p->foreign);
    free(p);
    return -ENOMEM;
}

void physmap_destroy(struct domain *d)
{
    struct physmap *p = d->physmap;

    if (!p)
        return;
    physmap_remove(d, 0, d->max_gfn);
    atomic_fetch_sub(&d->tot_pages, p->unmapped);
    mem_budget_release(p->unmapped);
    munmap(d->mem, d->max_gfn << PAGE_SHIFT);
    close(d->mem_fd);
    d->mem = NULL;
    d->mem_fd = -1;
    free(p->populated);
    free(p->special);
    free(p->foreign);
    free(p->ext);
    free(p->free_slots);
    free(p->fmaps);
    free(p);
    d->physmap = NULL;
}

static uint32_t slot_alloc(struct physmap *p)
{
    return p->nr_free ? p->free_slots[--p->nr_free] : p->next_slot++;
}

static void slot_free(struct physmap *p, uint32_t slot)
{
    if (p->nr_free == p->cap_free) {
        unsigned int cap = p->cap_free ? p->cap_free * 2 : 16;
        uint32_t *n = realloc(p->free_slots, cap * sizeof(*n));

        if (!n)
            return; /* leak the id rather than fail a teardown */
        p->free_slots = n;
        p->cap_free = cap;
    }
    p->free_slots[p->nr_free++] = slot;
}

/* Map [start, end) as a new slot and insert the extent at index i. */
static int extent_insert(struct domain *d, unsigned int i, uint64_t start,
                         uint64_t end)
{
    struct physmap *p = d->physmap;
    uint32_t slot;
    int rc;

    if (p->nr_ext == p->cap_ext) {
        unsigned int cap = p->cap_ext ? p->cap_ext * 2 : 16;
        struct extent *n = realloc(p->ext, cap * sizeof(*n));

        if (!n)
            return -ENOMEM;
        p->ext = n;
        p->cap_ext = cap;
    }
    slot = slot_alloc(p);
    rc = kvm_set_memslot(d, slot, start << PAGE_SHIFT,
                         (end - start) << PAGE_SHIFT,
                         d->mem + (start << PAGE_SHIFT));
    if (rc) {
        slot_free(p, slot);
        return rc;
    }
    memmove(&p->ext[i + 1], &p->ext[i], (p->nr_ext - i) * sizeof(*p->ext));
    p->ext[i] = (struct extent){start, end, slot};
    p->nr_ext++;
    return 0;
}

static void extent_delete(struct domain *d, unsigned int i)
{
    struct physmap *p = d->physmap;

    kvm_set_memslot(d, p->ext[i].slot, p->ext[i].start << PAGE_SHIFT, 0, NULL);
    slot_free(p, p->ext[i].slot);
    memmove(&p->ext[i], &p->ext[i + 1], (p->nr_ext - i - 1) * sizeof(*p->ext));
    p->nr_ext--;
}

/* First extent whose end is >= gfn (i.e. that touches or follows gfn). */
static unsigned int extent_find(struct physmap *p, uint64_t gfn)
{
    unsigned int lo = 0, hi = p->nr_ext;

    while (lo < hi) {
        unsigned int mid = (lo + hi) / 2;

        if (p->ext[mid].end < gfn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * While slots are being replaced a vCPU may see a populated frame as an
 * MMIO exit for a moment; the MMIO path completes such accesses against
 * the frame itself, so the guest never notices.
 */
static int extents_add(struct domain *d, uint64_t start, uint64_t end)
{
    struct physmap *p = d->physmap;
    unsigned int i = extent_find(p, start);

    while (i < p->nr_ext && p->ext[i].start <= end) {
        start = MIN(start, p->ext[i].start);
        end = MAX(end, p->ext[i].end);
        extent_delete(d, i);
    }
    return extent_insert(d, i, start, end);
}

static int extents_remove(struct domain *d, uint64_t start, uint64_t end)
{
    struct physmap *p = d->physmap;
    unsigned int i = extent_find(p, start + 1);
    int rc = 0;

    while (i < p->nr_ext && p->ext[i].start < end) {
        struct extent e = p->ext[i];

        extent_delete(d, i);
        if (e.start < start && !rc)
            rc = extent_insert(d, i++, e.start, start);
        if (e.end > end && !rc)
            rc = extent_insert(d, i++, end, e.end);
    }
    return rc;
}

int physmap_populate(struct domain *d, uint64_t gfn, uint64_t nr, bool special)
{
    struct physmap *p = d->physmap;
    uint64_t need = 0;
    int rc;

    if (!nr || gfn >= d->max_gfn || nr > d->max_gfn - gfn)
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    for (uint64_t i = gfn; i < gfn + nr; i++) {
        /* A grant mapping is there: its slot must not be overlapped. */
        if (test_bit(p->foreign, i)) {
            rc = -EBUSY;
            goto out;
        }
        need += !test_bit(p->populated, i);
    }
    if (!special) {
        if (atomic_load(&d->tot_pages) + need > d->max_pages) {
            rc = -ENOMEM;
            goto out;
        }
        rc = mem_budget_claim(need);
        if (rc)
            goto out;
    }
    rc = extents_add(d, gfn, gfn + nr);
    if (rc) {
        if (!special)
            mem_budget_release(need);
        goto out;
    }
    for (uint64_t i = gfn; i < gfn + nr; i++) {
        if (test_bit(p->populated, i))
            continue;
        set_bit(p->populated, i);
        if (special)
            set_bit(p->special, i);
    }
    if (!special)
        atomic_fetch_add(&d->tot_pages, need);
out:
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int physmap_remove(struct domain *d, uint64_t gfn, uint64_t nr)
{
    struct physmap *p = d->physmap;
    uint64_t counted = 0;
    int rc;

    if (!nr || gfn >= d->max_gfn || nr > d->max_gfn - gfn)
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    rc = extents_remove(d, gfn, gfn + nr);
    for (uint64_t i = gfn; i < gfn + nr; i++) {
        /* Skip empty 64-frame words quickly: teardown walks everything. */
        if (!(i % BITS) && !p->populated[i / BITS] && i + BITS <= gfn + nr) {
            i += BITS - 1;
            continue;
        }
        if (!test_bit(p->populated, i))
            continue;
        clear_bit(p->populated, i);
        if (test_bit(p->special, i))
            clear_bit(p->special, i);
        else
            counted++;
    }
    /* Give the frames' host memory back. */
    fallocate(d->mem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
              gfn << PAGE_SHIFT, nr << PAGE_SHIFT);
    atomic_fetch_sub(&d->tot_pages, counted);
    mem_budget_release(counted);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

bool physmap_is_populated(struct domain *d, uint64_t gfn)
{
    return gfn < d->max_gfn && test_bit(d->physmap->populated, gfn);
}

bool physmap_is_foreign(struct domain *d, uint64_t gfn)
{
    return gfn < d->max_gfn && test_bit(d->physmap->foreign, gfn);
}

static struct foreign *foreign_find(struct physmap *p, uint64_t gfn)
{
    for (unsigned int i = 0; i < p->nr_fmaps; i++)
        if (p->fmaps[i].gfn == gfn)
            return &p->fmaps[i];
    return NULL;
}

bool physmap_is_readonly(struct domain *d, uint64_t gfn)
{
    struct physmap *p = d->physmap;
    struct foreign *f;
    bool ro;

    if (!physmap_is_foreign(d, gfn))
        return false;
    pthread_mutex_lock(&p->lock);
    f = foreign_find(p, gfn);
    ro = f && f->readonly;
    pthread_mutex_unlock(&p->lock);
    return ro;
}

/* A frame we may read (and, unless it is a read-only mapping, write). */
static void *frame_ptr(struct domain *d, uint64_t gfn, bool write)
{
    if (physmap_is_populated(d, gfn) ||
        (physmap_is_foreign(d, gfn) &&
         !(write && physmap_is_readonly(d, gfn))))
        return d->mem + (gfn << PAGE_SHIFT);
    return NULL;
}

void *gfn_to_virt(struct domain *d, uint64_t gfn)
{
    return frame_ptr(d, gfn, true);
}

/* A read-only KVM slot: guest writes there become MMIO exits. */
static int set_ro_memslot(struct domain *d, uint32_t slot, uint64_t gpa,
                          void *hva)
{
    struct kvm_userspace_memory_region r = {
        .slot = slot,
        .flags = KVM_MEM_READONLY,
        .guest_phys_addr = gpa,
        .memory_size = PAGE_SIZE,
        .userspace_addr = (uintptr_t)hva,
    };

    return ioctl(d->kvm_vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

/*
 * The owner's page is mapped over ours in d->mem, so d->mem + (gfn << 12)
 * stays the one host address of the frame (for KVM and for xen) and the
 * mapping itself keeps the page alive, whatever happens to the owner.
 */
int physmap_map_foreign(struct domain *d, uint64_t gfn, struct domain *owner,
                        uint64_t owner_gfn, bool readonly)
{
    struct physmap *p = d->physmap;
    uint8_t *hva = d->mem + (gfn << PAGE_SHIFT);
    uint32_t slot;
    int rc = 0;

    if (gfn >= d->max_gfn || !physmap_is_populated(owner, owner_gfn))
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    if (test_bit(p->populated, gfn) || test_bit(p->foreign, gfn)) {
        rc = -EBUSY;
        goto out;
    }
    if (p->nr_fmaps == p->cap_fmaps) {
        unsigned int cap = p->cap_fmaps ? p->cap_fmaps * 2 : 16;
        struct foreign *n = realloc(p->fmaps, cap * sizeof(*n));

        if (!n) {
            rc = -ENOMEM;
            goto out;
        }
        p->fmaps = n;
        p->cap_fmaps = cap;
    }
    if (mmap(hva, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             owner->mem_fd, owner_gfn << PAGE_SHIFT) == MAP_FAILED) {
        rc = -ENOMEM;
        goto out;
    }
    slot = slot_alloc(p);
    rc = readonly ? set_ro_memslot(d, slot, gfn << PAGE_SHIFT, hva)
                  : kvm_set_memslot(d, slot, gfn << PAGE_SHIFT, PAGE_SIZE, hva);
    if (rc) {
        slot_free(p, slot);
        mmap(hva, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             d->mem_fd, gfn << PAGE_SHIFT);
        goto out;
    }
    p->fmaps[p->nr_fmaps++] = (struct foreign){
        gfn, owner->domain_id, owner_gfn, slot, readonly};
    set_bit(p->foreign, gfn);
out:
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int physmap_unmap_foreign(struct domain *d, uint64_t gfn, uint16_t owner,
                          uint64_t owner_gfn)
{
    struct physmap *p = d->physmap;
    uint8_t *hva = d->mem + (gfn << PAGE_SHIFT);
    struct foreign *f;
    int rc = 0;

    if (gfn >= d->max_gfn)
        return -EINVAL;
    pthread_mutex_lock(&p->lock);
    f = foreign_find(p, gfn);
    if (!f || f->owner != owner || f->owner_gfn != owner_gfn) {
        rc = -EINVAL;
        goto out;
    }
    clear_bit(p->foreign, gfn);
    kvm_set_memslot(d, f->slot, gfn << PAGE_SHIFT, 0, NULL);
    slot_free(p, f->slot);
    /* Our own (unpopulated) frame shows through again. */
    mmap(hva, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
         d->mem_fd, gfn << PAGE_SHIFT);
    *f = p->fmaps[--p->nr_fmaps];
out:
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int copy_by_page(void *ctx, page_copy_fn fn, uint64_t addr, void *buf,
                 size_t len, bool to_guest)
{
    while (len) {
        size_t chunk = MIN(len, PAGE_SIZE - (addr & ~PAGE_MASK));
        int rc = fn(ctx, addr, buf, chunk, to_guest);

        if (rc)
            return rc;
        addr += chunk;
        buf = (uint8_t *)buf + chunk;
        len -= chunk;
    }
    return 0;
}

static int copy_gpa_page(void *d, uint64_t gpa, void *buf, size_t len,
                         bool to_guest)
{
    uint8_t *page = frame_ptr(d, gpa >> PAGE_SHIFT, to_guest);

    if (!page)
        return -EFAULT;
    page += gpa & ~PAGE_MASK;
    if (to_guest)
        memcpy(page, buf, len);
    else
        memcpy(buf, page, len);
    return 0;
}

int copy_from_gpa(struct domain *d, void *dst, uint64_t gpa, size_t len)
{
    return copy_by_page(d, copy_gpa_page, gpa, dst, len, false);
}

int copy_to_gpa(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    return copy_by_page(d, copy_gpa_page, gpa, (void *)src, len, true);
}

bool physmap_is_special(struct domain *d, uint64_t gfn)
{
    return physmap_is_populated(d, gfn) && test_bit(d->physmap->special, gfn);
}

uint64_t physmap_max_gfn(struct domain *d)
{
    struct physmap *p = d->physmap;
    uint64_t max;

    /* Domain 0 (the host) has no physmap. */
    if (!p)
        return 0;
    pthread_mutex_lock(&p->lock);
    max = p->nr_ext ? p->ext[p->nr_ext - 1].end - 1 : 0;
    pthread_mutex_unlock(&p->lock);
    return max;
}

int physmap_charge_unmapped(struct domain *d, uint64_t nr)
{
    struct physmap *p = d->physmap;
    int rc;

    if (!p)
        return -ENOMEM;
    pthread_mutex_lock(&p->lock);
    if (atomic_load(&d->tot_pages) + nr > d->max_pages) {
        rc = -ENOMEM;
        goto out;
    }
    rc = mem_budget_claim(nr);
    if (rc)
        goto out;
    atomic_fetch_add(&d->tot_pages, nr);
    p->unmapped += nr;
out:
    pthread_mutex_unlock(&p->lock);
    return rc;
}
