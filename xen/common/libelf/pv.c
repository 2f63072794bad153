/*
 * PV (x86-64) start of day (see xen/libelf.h): where Xen's domain builder
 * puts the kernel, initrd, p2m list, start_info, xenstore and console
 * pages, initial page tables and boot stack, and the page tables and
 * start_info themselves. Frames are pseudo-physical (pfn) where we write
 * them and machine (mfn) where the guest reads them: PTEs, the p2m list,
 * start_info's frame numbers and cr3 go through pfn_to_mfn.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <public/xen.h>
#include <xen/libelf.h>

#define PAGE_SHIFT_X86 12
#define PAGE_SIZE_X86 (1ULL << PAGE_SHIFT_X86)
#define PGTBL_LEVELS 4
#define PGTBL_LEVEL_SHIFT 9
#define VADDR_MASK ((1ULL << 48) - 1) /* what one L4 maps */
#define round_pg_up(x) (((x) + PAGE_SIZE_X86 - 1) & ~(PAGE_SIZE_X86 - 1))

#define _PAGE_PRESENT 0x001ULL
#define _PAGE_RW 0x002ULL
#define _PAGE_USER 0x004ULL
#define _PAGE_ACCESSED 0x020ULL
#define _PAGE_DIRTY 0x040ULL
/*
 * Xen's builder writes L1 entries P|RW|A and Xen adds _PAGE_USER to every
 * 64-bit PV kernel mapping (its kernel runs in ring 3); ours go to the
 * guest unvalidated, so they carry it already. Upper levels as Xen's.
 */
#define L1_PROT (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_USER)
#define LX_PROT                                                                \
    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER)

/* Xen's padding: the initial mapping leaves at least this much spare. */
#define PGTAB_PADDING (512ULL << 10)
#define PGTAB_ALIGN_MASK ((4ULL << 20) - 1) /* and ends on a 4 MiB boundary */

/* One level's tables of a mapping. */
struct pt_level {
    uint64_t from, to;   /* what they cover (48-bit, inclusive) */
    uint64_t pfn, count; /* first table's frame, how many */
};

/* The page tables of one linear mapping of [from, to] to pfn onwards. */
struct mapping {
    uint64_t from, to, pfn;            /* 48-bit virtual, inclusive */
    uint64_t table_pfn, nr_tables;     /* its tables: top level first */
    struct pt_level lvl[PGTBL_LEVELS]; /* [0] L1 tables ... [3] the L4 */
};

struct builder {
    const struct elf_dom_parms *p;
    const struct pv_layout_in *in;
    elf_map_fn map;
    void *ctx;
    struct pv_layout *out;
    uint64_t pfn_alloc_end, virt_alloc_end;
    struct mapping maps[2]; /* the initial one, INIT_P2M's */
    unsigned int nr_maps;
    bool p2m_at_base; /* the p2m list is at INIT_P2M */
    char *err;
    size_t errlen;
};

static int fail(struct builder *b, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->err, b->errlen, fmt, ap);
    va_end(ap);
    return rc;
}

static uint64_t mfn_of(const struct builder *b, uint64_t pfn)
{
    return b->in->pfn_to_mfn ? b->in->pfn_to_mfn(b->ctx, pfn) : pfn;
}

/* Host pointer to pages frames from pfn. */
static void *frames(struct builder *b, uint64_t pfn, uint64_t pages)
{
    return b->map(b->ctx, pfn << PAGE_SHIFT_X86, pages << PAGE_SHIFT_X86);
}

/* Claim pages frames for name; the virtual range follows the frames. */
static int claim(struct builder *b, const char *name, uint64_t pages)
{
    if (pages > b->out->nr_pages - b->pfn_alloc_end)
        return fail(b, -ENOMEM,
                    "guest memory (%llu MiB) is too small: the %s needs "
                    "frames %#llx-%#llx, the guest has %#llx",
                    (unsigned long long)(b->in->mem_bytes >> 20), name,
                    (unsigned long long)b->pfn_alloc_end,
                    (unsigned long long)(b->pfn_alloc_end + pages - 1),
                    (unsigned long long)b->out->nr_pages);
    b->pfn_alloc_end += pages;
    b->virt_alloc_end += pages << PAGE_SHIFT_X86;
    return 0;
}

/* Skip the frames up to the virtual address boundary. */
static int pad_to(struct builder *b, uint64_t boundary, const char *name)
{
    if (boundary & (PAGE_SIZE_X86 - 1) || boundary < b->virt_alloc_end)
        return fail(b, -EINVAL,
                    "the %s at %#llx is not page aligned or "
                    "overlaps what comes before it",
                    name, (unsigned long long)boundary);
    return claim(b, name, (boundary - b->virt_alloc_end) >> PAGE_SHIFT_X86);
}

/* A zeroed segment of size bytes (at start if not 0). */
static int alloc_segment(struct builder *b, struct pv_seg *seg,
                         const char *name, uint64_t start, uint64_t size)
{
    uint64_t pages = round_pg_up(size) >> PAGE_SHIFT_X86;
    void *mem;
    int rc;

    if (start && (rc = pad_to(b, start, name)))
        return rc;
    seg->pfn = b->pfn_alloc_end;
    seg->pages = pages;
    seg->vstart = b->virt_alloc_end;
    rc = claim(b, name, pages);
    if (rc)
        return rc;
    seg->vend = b->virt_alloc_end;
    mem = frames(b, seg->pfn, pages);
    if (!mem)
        return fail(b, -EINVAL, "guest frames %#llx+%#llx (%s) are not backed",
                    (unsigned long long)seg->pfn, (unsigned long long)pages,
                    name);
    memset(mem, 0, pages << PAGE_SHIFT_X86);
    return 0;
}

/* Bytes one table at level l (0 = L1) covers. */
static unsigned int table_bits(int l)
{
    return PAGE_SHIFT_X86 + (l + 1) * PGTBL_LEVEL_SHIFT;
}

/*
 * Count the tables mapping [from, to] to frames from pfn, placed from
 * table_pfn on, leaving out those an earlier mapping already has (the
 * L4 is the first mapping's).
 */
static int count_tables(struct builder *b, uint64_t from, uint64_t to,
                        uint64_t pfn, uint64_t table_pfn)
{
    struct mapping *m = &b->maps[b->nr_maps];

    from &= VADDR_MASK;
    to &= VADDR_MASK;
    if (pfn + ((to - from) >> PAGE_SHIFT_X86) >= b->out->nr_pages)
        return fail(b, -ENOMEM,
                    "guest memory (%llu MiB) is too small for the initial "
                    "mapping of %#llx-%#llx",
                    (unsigned long long)(b->in->mem_bytes >> 20),
                    (unsigned long long)from, (unsigned long long)to);
    for (unsigned int i = 0; i < b->nr_maps; i++)
        if (from <= b->maps[i].to && to >= b->maps[i].from)
            return fail(b, -EINVAL,
                        "the p2m list at %#llx overlaps the "
                        "initial mapping",
                        (unsigned long long)from);
    memset(m, 0, sizeof(*m));
    m->from = from;
    m->to = to;
    m->pfn = pfn;
    m->table_pfn = table_pfn;
    for (int l = PGTBL_LEVELS - 1; l >= 0; l--) {
        uint64_t mask = (1ULL << table_bits(l)) - 1;

        m->lvl[l].pfn = table_pfn + m->nr_tables;
        if (l == PGTBL_LEVELS - 1) {
            if (!b->nr_maps) {
                m->lvl[l].to = VADDR_MASK;
                m->lvl[l].count = 1;
            }
            m->nr_tables += m->lvl[l].count;
            continue;
        }
        m->lvl[l].from = m->from & ~mask;
        m->lvl[l].to = m->to | mask;
        /* Earlier mappings' spans at this level are contiguous too. */
        for (unsigned int i = 0; i < b->nr_maps; i++) {
            const struct pt_level *e = &b->maps[i].lvl[l];

            if (!e->count)
                continue;
            if (m->lvl[l].from >= e->from && m->lvl[l].to <= e->to) {
                m->lvl[l].from = m->lvl[l].to = 0;
                break;
            }
            if (m->lvl[l].from >= e->from && m->lvl[l].from <= e->to)
                m->lvl[l].from = e->to + 1;
            if (m->lvl[l].to >= e->from && m->lvl[l].to <= e->to)
                m->lvl[l].to = e->from - 1;
        }
        if (m->lvl[l].from < m->lvl[l].to)
            m->lvl[l].count =
                ((m->lvl[l].to - m->lvl[l].from) >> table_bits(l)) + 1;
        m->nr_tables += m->lvl[l].count;
    }
    return 0;
}

/*
 * The initial mapping, virt_base up to a 4 MiB boundary past everything
 * so far, its own tables, the boot stack and 512 KiB: the tables' number
 * depends on the end and the end on it, so iterate as Xen does.
 */
static int alloc_pgtables(struct builder *b)
{
    uint64_t extra = 1 + (PGTAB_PADDING >> PAGE_SHIFT_X86);
    uint64_t pages = extra, try_end;
    int rc;

    for (;;) {
        try_end =
            (b->virt_alloc_end + (pages << PAGE_SHIFT_X86)) | PGTAB_ALIGN_MASK;
        rc = count_tables(b, b->p->virt_base, try_end, 0, b->pfn_alloc_end);
        if (rc)
            return rc;
        pages = b->maps[0].nr_tables + extra;
        if (b->virt_alloc_end + (pages << PAGE_SHIFT_X86) <= try_end + 1)
            break;
    }
    b->nr_maps = 1;
    b->out->virt_pgtab_end = try_end + 1;
    b->out->nr_pt_frames = b->maps[0].nr_tables;
    return alloc_segment(b, &b->out->pgtables, "page tables", 0,
                         b->maps[0].nr_tables << PAGE_SHIFT_X86);
}

/* The frame of the level l table covering va (48-bit), or UNSET_ADDR. */
static uint64_t table_frame(const struct builder *b, int l, uint64_t va)
{
    for (unsigned int i = 0; i < b->nr_maps; i++) {
        const struct mapping *m = &b->maps[i];

        if (m->lvl[l].count && va >= m->lvl[l].from && va <= m->lvl[l].to)
            return m->lvl[l].pfn + ((va - m->lvl[l].from) >> table_bits(l));
    }
    return UNSET_ADDR;
}

/* Page tables are mapped read-only: the guest updates them by hypercall. */
static uint64_t l1_prot(const struct builder *b, uint64_t pfn)
{
    for (unsigned int i = 0; i < b->nr_maps; i++)
        if (pfn >= b->maps[i].table_pfn &&
            pfn < b->maps[i].table_pfn + b->maps[i].nr_tables)
            return L1_PROT & ~_PAGE_RW;
    return L1_PROT;
}

/* Write the entries mapping va to pfn, from the L4 down. */
static int map_page(struct builder *b, uint64_t va, uint64_t pfn)
{
    uint64_t table = b->maps[0].lvl[PGTBL_LEVELS - 1].pfn;

    for (int l = PGTBL_LEVELS - 1; l >= 0; l--) {
        uint64_t *pt = frames(b, table, 1);
        unsigned int idx = (va >> (PAGE_SHIFT_X86 + l * PGTBL_LEVEL_SHIFT)) &
                           ((1u << PGTBL_LEVEL_SHIFT) - 1);
        uint64_t next = l ? table_frame(b, l - 1, va) : pfn;

        if (!pt || next == UNSET_ADDR)
            return fail(b, -EINVAL,
                        "page table frame %#llx for %#llx is "
                        "missing",
                        (unsigned long long)table, (unsigned long long)va);
        pt[idx] = (mfn_of(b, next) << PAGE_SHIFT_X86) |
                  (l ? LX_PROT : l1_prot(b, next));
        table = next;
    }
    return 0;
}

static int write_pgtables(struct builder *b)
{
    for (unsigned int i = 0; i < b->nr_maps; i++) {
        const struct mapping *m = &b->maps[i];
        uint64_t pages = ((m->to - m->from) >> PAGE_SHIFT_X86) + 1;

        for (uint64_t k = 0; k < pages; k++) {
            int rc = map_page(b, m->from + (k << PAGE_SHIFT_X86), m->pfn + k);

            if (rc)
                return rc;
        }
    }
    return 0;
}

/* The p2m list at INIT_P2M: its frames, then its own page tables. */
static int alloc_p2m_at_base(struct builder *b, uint64_t p2m_bytes)
{
    uint64_t p2m_pages = p2m_bytes >> PAGE_SHIFT_X86;
    int rc;

    if (b->p->p2m_base + p2m_bytes > 0x0000800000000000ULL)
        return fail(b, -EINVAL,
                    "INIT_P2M %#llx: the p2m list would end "
                    "above the lower canonical half",
                    (unsigned long long)b->p->p2m_base);
    rc = count_tables(b, b->p->p2m_base, b->p->p2m_base + p2m_bytes - 1,
                      b->pfn_alloc_end, b->pfn_alloc_end + p2m_pages);
    if (rc)
        return rc;
    b->nr_maps++;
    rc = alloc_segment(b, &b->out->p2m, "p2m list", 0,
                       (p2m_pages + b->maps[1].nr_tables) << PAGE_SHIFT_X86);
    b->out->p2m.vstart = b->p->p2m_base;
    b->out->p2m.vend = b->p->p2m_base + p2m_bytes;
    return rc;
}

static int write_start_info(struct builder *b, uint64_t mod_start,
                            uint64_t mod_len, uint32_t flags)
{
    const struct pv_layout *o = b->out;
    start_info_t *si = frames(b, o->start_info.pfn, 1);

    if (!si)
        return fail(b, -EINVAL, "start_info frame is not backed");
    memset(si, 0, sizeof(*si));
    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = o->nr_pages;
    si->shared_info = b->in->shared_info_mfn << PAGE_SHIFT_X86;
    si->flags = flags;
    si->store_mfn = mfn_of(b, o->xenstore.pfn);
    si->store_evtchn = b->in->store_evtchn;
    si->console.domU.mfn = mfn_of(b, o->console.pfn);
    si->console.domU.evtchn = b->in->console_evtchn;
    si->pt_base = o->pgtables.vstart;
    si->nr_pt_frames = o->nr_pt_frames;
    si->mfn_list = o->p2m.vstart;
    if (b->p2m_at_base) {
        si->first_p2m_pfn = o->p2m.pfn;
        si->nr_p2m_frames = o->p2m.pages;
    }
    si->mod_start = mod_start;
    si->mod_len = mod_len;
    if (b->in->cmdline)
        snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s",
                 b->in->cmdline);
    return 0;
}

static int copy_initrd(struct builder *b)
{
    void *dst;
    int rc = alloc_segment(b, &b->out->initrd, "initrd", 0, b->in->initrd_size);

    if (rc)
        return rc;
    dst = frames(b, b->out->initrd.pfn, b->out->initrd.pages);
    if (!dst)
        return fail(b, -EINVAL, "initrd frames are not backed");
    memcpy(dst, b->in->initrd, b->in->initrd_size);
    return 0;
}

int pv_build_image(struct elf_binary *elf, const struct elf_dom_parms *p,
                   const struct pv_layout_in *in, elf_map_fn map, void *ctx,
                   struct pv_layout *out, char *err, size_t errlen)
{
    struct builder b = {
        .p = p,
        .in = in,
        .map = map,
        .ctx = ctx,
        .out = out,
        .err = err,
        .errlen = errlen,
    };
    bool initrd = in->initrd && in->initrd_size;
    uint64_t p2m_bytes, mod_start = 0, mod_len = 0, *p2m;
    uint32_t flags = in->flags | SIF_VIRT_P2M_4TOOLS;
    int rc;

    memset(out, 0, sizeof(*out));
    out->nr_pages = in->mem_bytes >> PAGE_SHIFT_X86;
    out->virt_base = p->virt_base;
    out->hypercall_pfn = UNSET_ADDR;
    p2m_bytes = round_pg_up(out->nr_pages * sizeof(uint64_t));
    /* Xen ignores an INIT_P2M above virt_base or not page aligned. */
    b.p2m_at_base = p->p2m_base != UNSET_ADDR && p->p2m_base < p->virt_base &&
                    !(p->p2m_base & (PAGE_SIZE_X86 - 1));
    if (p->virt_kend <= p->virt_kstart || p->virt_base > p->virt_kstart)
        return fail(&b, -EINVAL, "the image has not passed elf_check_pv");

    b.virt_alloc_end = p->virt_base;
    rc = alloc_segment(&b, &out->kernel, "kernel", p->virt_kstart,
                       p->virt_kend - p->virt_kstart);
    if (rc)
        return rc;
    if (elf_load_offset(elf, p->elf_paddr_offset, map, ctx))
        return fail(&b, -EINVAL, "%s", elf->err);

    if (initrd && !p->unmapped_initrd) {
        rc = copy_initrd(&b);
        if (rc)
            return rc;
        mod_start = out->initrd.vstart;
        mod_len = out->initrd.vend - out->initrd.vstart;
    }
    if (!b.p2m_at_base &&
        (rc = alloc_segment(&b, &out->p2m, "p2m list", 0, p2m_bytes)))
        return rc;
    if ((rc = alloc_segment(&b, &out->start_info, "start info", 0, 1)) ||
        (rc = alloc_segment(&b, &out->xenstore, "xenstore page", 0, 1)) ||
        (rc = alloc_segment(&b, &out->console, "console page", 0, 1)) ||
        (rc = alloc_pgtables(&b)) ||
        (rc = alloc_segment(&b, &out->bootstack, "boot stack", 0, 1)) ||
        (rc = pad_to(&b, out->virt_pgtab_end, "initial mapping's padding")))
        return rc;

    /* Past the initial mapping: the initrd by pfn, the p2m at INIT_P2M. */
    if (initrd && p->unmapped_initrd) {
        rc = copy_initrd(&b);
        if (rc)
            return rc;
        flags |= SIF_MOD_START_PFN;
        mod_start = out->initrd.pfn;
        mod_len = out->initrd.pages << PAGE_SHIFT_X86;
    }
    if (b.p2m_at_base && (rc = alloc_p2m_at_base(&b, p2m_bytes)))
        return rc;
    out->pfn_alloc_end = b.pfn_alloc_end;

    p2m = frames(&b, out->p2m.pfn, p2m_bytes >> PAGE_SHIFT_X86);
    if (!p2m)
        return fail(&b, -EINVAL, "p2m frames are not backed");
    for (uint64_t pfn = 0; pfn < out->nr_pages; pfn++)
        p2m[pfn] = mfn_of(&b, pfn);
    rc = write_pgtables(&b);
    if (rc)
        return rc;
    rc = write_start_info(&b, mod_start, mod_len, flags);
    if (rc)
        return rc;

    if (p->virt_hypercall != UNSET_ADDR)
        out->hypercall_pfn =
            (p->virt_hypercall - p->virt_base) >> PAGE_SHIFT_X86;
    out->rip = p->virt_entry;
    out->rsp = p->virt_base + ((out->bootstack.pfn + 1) << PAGE_SHIFT_X86);
    out->rsi = p->virt_base + (out->start_info.pfn << PAGE_SHIFT_X86);
    out->cr3 = mfn_of(&b, out->pgtables.pfn) << PAGE_SHIFT_X86;
    return 0;
}
