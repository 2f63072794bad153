/*
 * libxenguest: the PVH builder (see xenguest.h for the layout).
 *
 * The kernel, modules and hvm_start_info are written by the loader the
 * hypervisor's boot-time builder uses too (xen/common/libelf: libelf.c,
 * decompress.c, pvh.c are compiled into this library), here through
 * foreign mappings of the guest's frames. vCPU 0's start state goes in
 * as an HVM CPU save record (XEN_DOMCTL_sethvmcontext), and the console
 * and xenstore grants through the grant table frame placed at a scratch
 * gfn, as Xen 4.17's libxenguest does both.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/arch-x86/hvm/start_info.h>
#include <xen/grant_table.h>
#include <xen/hvm/save.h>

#include "xg_private.h"

/* Extents per populate call: a 32 KiB frame list. */
#define POPULATE_BATCH 4096
#define SUPERPAGE_ORDER 9
#define SUPERPAGE_PAGES (1UL << SUPERPAGE_ORDER)

/* XENMEM_acquire_resource's grant table (public memory.h in Xen). */
#ifndef XENMEM_resource_grant_table
#define XENMEM_resource_grant_table 1
#define XENMEM_resource_grant_table_id_shared 0
#endif

#define X86_CR0_PE (1U << 0)
#define X86_CR0_ET (1U << 4)
#define X86_DR6_DEFAULT 0xffff0ff0U
#define X86_DR7_DEFAULT 0x00000400U

XC_EXPORT
int xc_dom_boot_xen_init(struct xc_dom_image *dom, xc_interface *xch,
                         uint32_t domid)
{
    dom->xch = xch;
    dom->guest_domid = domid;
    dom->xen_version = xc_version(xch, XENVER_version, NULL);
    if (dom->xen_version < 0)
        return xg__fail(dom, errno, "cannot get the hypervisor's version");
    return 0;
}

XC_EXPORT
int xc_dom_parse_image(struct xc_dom_image *dom)
{
    struct xc_dom_internal *in = dom->internal;

    if (!dom->kernel_blob)
        return xg__fail(dom, EINVAL, "no kernel image");
    if (dom->container_type != XC_DOM_HVM_CONTAINER || dom->device_model)
        return xg__fail(dom, EOPNOTSUPP,
                        "only PVH guests (an HVM container without a "
                        "device model) can be built");
    if (elf_init(&in->elf, dom->kernel_blob, dom->kernel_size) ||
        elf_parse_dom_parms(&in->elf, &in->parms))
        return xg__fail(dom, EINVAL, "kernel: %s", in->elf.err);
    if (!in->parms.has_phys32_entry)
        return xg__fail(dom, EINVAL,
                        "kernel: not a PVH kernel (no "
                        "XEN_ELFNOTE_PHYS32_ENTRY)");
    in->parsed = true;
    dom->parms = &in->parms;
    dom->kernel_seg = (struct xc_dom_seg){
        .vstart = in->parms.pstart,
        .vend = in->parms.pend,
        .pfn = in->parms.pstart >> XC_PAGE_SHIFT,
        .pages = ((in->parms.pend + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT) -
                 (in->parms.pstart >> XC_PAGE_SHIFT),
    };
    return 0;
}

XC_EXPORT
int xc_dom_mem_init(struct xc_dom_image *dom, unsigned int mem_mb)
{
    if (!mem_mb)
        return xg__fail(dom, EINVAL, "no memory for the guest");
    dom->total_pages = (xen_pfn_t)mem_mb << (20 - XC_PAGE_SHIFT);
    return 0;
}

/* Populate gfns [gfn, gfn + nr), 2 MiB extents where aligned. */
static int populate(struct xc_dom_image *dom, xen_pfn_t gfn, xen_pfn_t nr)
{
    xen_pfn_t *list = malloc(POPULATE_BATCH * sizeof(*list));
    int rc = 0;

    if (!list) {
        errno = ENOMEM;
        return -1;
    }
    while (nr && !rc) {
        unsigned int order = 0;
        unsigned long count, per;

        if (!(gfn % SUPERPAGE_PAGES) && nr >= SUPERPAGE_PAGES) {
            order = SUPERPAGE_ORDER;
            count = MIN(nr / SUPERPAGE_PAGES, POPULATE_BATCH);
        } else {
            /* Single pages up to the next 2 MiB boundary. */
            count = MIN(nr, SUPERPAGE_PAGES - gfn % SUPERPAGE_PAGES);
        }
        per = 1UL << order;
        for (unsigned long i = 0; i < count; i++)
            list[i] = gfn + i * per;
        rc = xc_domain_populate_physmap_exact(dom->xch, dom->guest_domid, count,
                                              order, 0, list);
        if (rc)
            xg__fail(dom, errno,
                     "d%u: cannot populate %lu pages at gfn %#llx: %s",
                     dom->guest_domid, count * per, (unsigned long long)gfn,
                     strerror(errno));
        gfn += count * per;
        nr -= count * per;
    }
    free(list);
    return rc;
}

XC_EXPORT
int xc_dom_boot_mem_init(struct xc_dom_image *dom)
{
    uint64_t mem = (uint64_t)dom->total_pages << XC_PAGE_SHIFT;

    if (!dom->xch) {
        errno = EINVAL;
        return -1;
    }
    if (!dom->total_pages)
        return xg__fail(dom, EINVAL, "xc_dom_mem_init was not called");
    if (dom->target_pages && dom->target_pages != dom->total_pages)
        return xg__fail(dom, EOPNOTSUPP,
                        "populate-on-demand (target below memory) is not "
                        "supported");
    /* The shared PVH layout (xen/libelf.h). */
    dom->lowmem_end = MIN(mem, PVH_LOWMEM_END);
    dom->highmem_end =
        mem > dom->lowmem_end ? PVH_HIGHMEM_START + mem - dom->lowmem_end : 0;
    dom->mmio_start = PVH_LOWMEM_END;
    if (populate(dom, 0, dom->lowmem_end >> XC_PAGE_SHIFT))
        return -1;
    if (dom->highmem_end &&
        populate(dom, PVH_HIGHMEM_START >> XC_PAGE_SHIFT,
                 (dom->highmem_end - PVH_HIGHMEM_START) >> XC_PAGE_SHIFT))
        return -1;
    dom->internal->ram_populated = true;
    xg__info(dom, "d%u: %llu MiB of RAM", dom->guest_domid,
             (unsigned long long)(mem >> 20));
    return 0;
}

/*
 * The special pages, as Xen's alloc_magic_pages_hvm makes them: zeroed,
 * recorded in their HVM parameters, the identity-map page table filled.
 */
/* The pages pvh_build_start_info puts the ACPI tables in (xen/libelf.h). */
static int acpi_pages(struct xc_dom_image *dom)
{
    xen_pfn_t pfns[PVH_ACPI_SIZE >> XC_PAGE_SHIFT];

    for (unsigned int i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++)
        pfns[i] = (PVH_ACPI_ADDR >> XC_PAGE_SHIFT) + i;
    if (xc_domain_populate_physmap_exact(dom->xch, dom->guest_domid,
                                         sizeof(pfns) / sizeof(pfns[0]), 0, 0,
                                         pfns))
        return xg__fail(dom, errno, "d%u: cannot populate the ACPI pages",
                        dom->guest_domid);
    dom->internal->acpi_populated = true;
    return 0;
}

static int special_pages(struct xc_dom_image *dom)
{
    static const struct {
        uint32_t param;
        unsigned int page;
    } params[] = {
        {HVM_PARAM_STORE_PFN, SPECIALPAGE_XENSTORE},
        {HVM_PARAM_BUFIOREQ_PFN, SPECIALPAGE_BUFIOREQ},
        {HVM_PARAM_IOREQ_PFN, SPECIALPAGE_IOREQ},
        {HVM_PARAM_CONSOLE_PFN, SPECIALPAGE_CONSOLE},
        {HVM_PARAM_PAGING_RING_PFN, SPECIALPAGE_PAGING},
        {HVM_PARAM_MONITOR_RING_PFN, SPECIALPAGE_ACCESS},
        {HVM_PARAM_SHARING_RING_PFN, SPECIALPAGE_SHARING},
    };
    xen_pfn_t pfns[X86_HVM_NR_SPECIAL_PAGES];
    uint32_t domid = dom->guest_domid;
    uint32_t *pd;
    uint8_t *p;

    for (unsigned int i = 0; i < X86_HVM_NR_SPECIAL_PAGES; i++)
        pfns[i] = special_pfn(i);
    if (xc_domain_populate_physmap_exact(dom->xch, domid,
                                         X86_HVM_NR_SPECIAL_PAGES, 0, 0, pfns))
        return xg__fail(dom, errno, "d%u: cannot populate the special pages",
                        domid);
    dom->internal->special_populated = true;
    p = xg__map_guest(dom, (uint64_t)special_pfn(0) << XC_PAGE_SHIFT,
                      X86_HVM_NR_SPECIAL_PAGES * XC_PAGE_SIZE);
    if (!p)
        return -1;
    memset(p, 0, X86_HVM_NR_SPECIAL_PAGES * XC_PAGE_SIZE);

    for (unsigned int i = 0; i < sizeof(params) / sizeof(params[0]); i++)
        if (xc_hvm_param_set(dom->xch, domid, params[i].param,
                             special_pfn(params[i].page)))
            return xg__fail(dom, errno, "d%u: cannot set HVM param %u", domid,
                            params[i].param);

    /*
     * A 32-bit page directory of 4 MiB pages mapping the low 4 GiB 1:1,
     * for running with CR0.PG clear under EPT (Xen's IDENT_PT).
     */
    pd = (uint32_t *)(p + SPECIALPAGE_IDENT_PT * XC_PAGE_SIZE);
    for (uint32_t i = 0; i < XC_PAGE_SIZE / sizeof(*pd); i++)
        pd[i] = (i << 22) | 0xe7; /* P RW US A D PSE */
    if (xc_hvm_param_set(dom->xch, domid, HVM_PARAM_IDENT_PT,
                         (uint64_t)special_pfn(SPECIALPAGE_IDENT_PT)
                             << XC_PAGE_SHIFT))
        return xg__fail(dom, errno, "d%u: cannot set HVM_PARAM_IDENT_PT",
                        domid);

    dom->console_pfn = special_pfn(SPECIALPAGE_CONSOLE);
    dom->xenstore_pfn = special_pfn(SPECIALPAGE_XENSTORE);
    return 0;
}

/* An unbound port of the guest for @remote if *@port is 0; its param. */
static int ring_evtchn(struct xc_dom_image *dom, unsigned int *port,
                       uint32_t remote, uint32_t param, const char *what)
{
    int p;

    if (!*port) {
        p = xc_evtchn_alloc_unbound(dom->xch, dom->guest_domid, remote);
        if (p < 0)
            return xg__fail(dom, errno, "d%u: no %s event channel for d%u: %s",
                            dom->guest_domid, what, remote, strerror(errno));
        *port = p;
    }
    if (xc_hvm_param_set(dom->xch, dom->guest_domid, param, *port))
        return xg__fail(dom, errno, "d%u: cannot set HVM param %u",
                        dom->guest_domid, param);
    return 0;
}

/*
 * After pvh.c wrote the start info: report where the modules went and
 * give the domain the memory map the start info carries.
 */
static int finish_start_info(struct xc_dom_image *dom)
{
    struct e820entry e820[E820MAX];
    const struct hvm_memmap_table_entry *mm;
    const struct hvm_modlist_entry *ml;
    const struct hvm_start_info *si;
    uint64_t at = dom->internal->start_info;

    si = xg__map_guest(dom, at, sizeof(*si));
    if (!si)
        return xg__fail(dom, EFAULT, "start info at %#llx is not mapped",
                        (unsigned long long)at);
    dom->start_info_seg = (struct xc_dom_seg){
        .vstart = at,
        .vend = at + sizeof(*si),
        .pfn = at >> XC_PAGE_SHIFT,
        .pages = 1,
    };
    if (si->nr_modules != dom->num_modules || si->memmap_entries > E820MAX)
        return xg__fail(dom, EPROTO, "unexpected start info layout");
    ml = si->nr_modules ? xg__map_guest(dom, si->modlist_paddr,
                                        si->nr_modules * sizeof(*ml))
                        : NULL;
    for (unsigned int i = 0; ml && i < si->nr_modules; i++)
        dom->modules[i].seg = (struct xc_dom_seg){
            .vstart = ml[i].paddr,
            .vend = ml[i].paddr + ml[i].size,
            .pfn = ml[i].paddr >> XC_PAGE_SHIFT,
            .pages = (ml[i].size + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT,
        };
    mm = xg__map_guest(dom, si->memmap_paddr, si->memmap_entries * sizeof(*mm));
    if (!mm || (si->nr_modules && !ml))
        return xg__fail(dom, EFAULT, "start info tables are not mapped");
    for (unsigned int i = 0; i < si->memmap_entries; i++)
        e820[i] = (struct e820entry){mm[i].addr, mm[i].size, mm[i].type};
    if (xc_domain_set_memory_map(dom->xch, dom->guest_domid, e820,
                                 si->memmap_entries))
        return xg__fail(dom, errno, "d%u: cannot set the memory map: %s",
                        dom->guest_domid, strerror(errno));
    return 0;
}

XC_EXPORT
int xc_dom_build_image(struct xc_dom_image *dom)
{
    struct xc_dom_internal *in = dom->internal;
    struct pvh_module mods[XG_MAX_MODULES];
    char err[160];
    int rc;

    if (!in->parsed)
        return xg__fail(dom, EINVAL, "xc_dom_parse_image was not called");
    if (!in->ram_populated)
        return xg__fail(dom, EINVAL, "xc_dom_boot_mem_init was not called");
    if (elf_load(&in->elf, xg__map_guest, dom))
        return xg__fail(dom, EINVAL, "kernel: %s", in->elf.err);
    if (special_pages(dom) || acpi_pages(dom) ||
        ring_evtchn(dom, &dom->console_evtchn, dom->console_domid,
                    HVM_PARAM_CONSOLE_EVTCHN, "console") ||
        ring_evtchn(dom, &dom->xenstore_evtchn, dom->xenstore_domid,
                    HVM_PARAM_STORE_EVTCHN, "xenstore"))
        return -1;

    for (unsigned int i = 0; i < dom->num_modules; i++)
        mods[i] =
            (struct pvh_module){dom->modules[i].blob, dom->modules[i].size,
                                dom->modules[i].cmdline};
    rc = pvh_build_start_info(
        &(struct pvh_layout_in){
            .mem_bytes = (uint64_t)dom->total_pages << XC_PAGE_SHIFT,
            .kernel_end = in->parms.pend,
            .cmdline = dom->cmdline,
            .modules = mods,
            .nr_modules = dom->num_modules,
            /* libxl's PVH default: ACPI tables, every vCPU in the MADT. */
            .nr_vcpus = dom->max_vcpus,
        },
        xg__map_guest, dom, &in->start_info, err, sizeof(err));
    if (rc)
        return xg__fail(dom, -rc, "d%u: %s", dom->guest_domid, err);
    return finish_start_info(dom);
}

/*
 * vCPU 0's PVH start state, as Xen's vcpu_hvm builds it: the header of
 * the domain's own context, one CPU record, the end.
 */
struct bsp_context {
    struct hvm_save_descriptor header_d;
    HVM_SAVE_TYPE(HEADER) header;
    struct hvm_save_descriptor cpu_d;
    HVM_SAVE_TYPE(CPU) cpu;
    struct hvm_save_descriptor end_d;
};
_Static_assert(sizeof(struct bsp_context) == 8 + 24 + 8 + 1032 + 8,
               "no padding in the context");

/* The HEADER record of d's context into ctx. */
static int context_header(struct xc_dom_image *dom, struct bsp_context *ctx)
{
    int size = xc_domain_hvm_getcontext(dom->xch, dom->guest_domid, NULL, 0);
    uint8_t *full = NULL;
    int rc = -1;

    if (size < 0)
        return xg__fail(dom, errno, "d%u: cannot get the HVM context size",
                        dom->guest_domid);
    full = malloc(size ? size : 1);
    if (!full) {
        errno = ENOMEM;
        return -1;
    }
    size = xc_domain_hvm_getcontext(dom->xch, dom->guest_domid, full, size);
    if (size < 0) {
        xg__fail(dom, errno, "d%u: cannot get the HVM context",
                 dom->guest_domid);
        goto out;
    }
    if ((size_t)size < sizeof(ctx->header_d) + sizeof(ctx->header)) {
        xg__fail(dom, EPROTO, "d%u: HVM context has no header",
                 dom->guest_domid);
        goto out;
    }
    memcpy(&ctx->header_d, full, sizeof(ctx->header_d));
    memcpy(&ctx->header, full + sizeof(ctx->header_d), sizeof(ctx->header));
    if (ctx->header_d.typecode != HVM_SAVE_CODE(HEADER) ||
        ctx->header_d.length != sizeof(ctx->header)) {
        xg__fail(dom, EPROTO, "d%u: HVM context does not start with a header",
                 dom->guest_domid);
        goto out;
    }
    rc = 0;
out:
    free(full);
    return rc;
}

/*
 * Flat segments (base 0, limit 4 GiB, 4 KiB granular, 32-bit): code
 * execute/read accessed, data read/write accessed; the selectors are the
 * ones the hypervisor's boot-time builder uses.
 */
#define FLAT_CODE_AR 0xc9b
#define FLAT_DATA_AR 0xc93
#define BUSY_TSS_AR 0x8b
#define FLAT_CODE_SEL 0x10
#define FLAT_DATA_SEL 0x18

static void pvh_start_state(struct xc_dom_image *dom, struct hvm_hw_cpu *c)
{
    memset(c, 0, sizeof(*c));
    c->cs_sel = FLAT_CODE_SEL;
    c->cs_limit = ~0U;
    c->cs_arbytes = FLAT_CODE_AR;
#define FLAT_DATA(n)                                                           \
    do {                                                                       \
        c->n##_sel = FLAT_DATA_SEL;                                            \
        c->n##_limit = ~0U;                                                    \
        c->n##_arbytes = FLAT_DATA_AR;                                         \
    } while (0)
    FLAT_DATA(ds);
    FLAT_DATA(es);
    FLAT_DATA(fs);
    FLAT_DATA(gs);
    FLAT_DATA(ss);
#undef FLAT_DATA
    c->tr_limit = 0x67;
    c->tr_arbytes = BUSY_TSS_AR;
    c->cr0 = X86_CR0_PE | X86_CR0_ET;
    c->rflags = 2;
    c->rip = dom->internal->parms.phys32_entry;
    c->rbx = dom->internal->start_info;
    c->dr6 = X86_DR6_DEFAULT;
    c->dr7 = X86_DR7_DEFAULT;
}

XC_EXPORT
int xc_dom_boot_image(struct xc_dom_image *dom)
{
    struct bsp_context ctx;
    int rc;

    if (!dom->internal->start_info)
        return xg__fail(dom, EINVAL, "xc_dom_build_image was not called");
    memset(&ctx, 0, sizeof(ctx));
    if (context_header(dom, &ctx))
        return -1;
    ctx.cpu_d = (struct hvm_save_descriptor){HVM_SAVE_CODE(CPU), 0,
                                             HVM_SAVE_LENGTH(CPU)};
    pvh_start_state(dom, &ctx.cpu);
    ctx.end_d = (struct hvm_save_descriptor){HVM_SAVE_CODE(END), 0, 0};
    rc = xc_domain_hvm_setcontext(dom->xch, dom->guest_domid, (uint8_t *)&ctx,
                                  sizeof(ctx));
    if (rc)
        return xg__fail(dom, errno, "d%u: cannot set vCPU 0's state: %s",
                        dom->guest_domid, strerror(errno));
    xg__unmap_all(dom);
    xg__info(dom, "d%u: PVH entry %#x, start info %#llx", dom->guest_domid,
             dom->internal->parms.phys32_entry,
             (unsigned long long)dom->internal->start_info);
    return 0;
}

/* Write one reserved entry, the flags last as a granting guest must. */
static void seed_entry(grant_entry_v1_t *e, uint32_t guest, uint32_t grantee,
                       xen_pfn_t gfn)
{
    if (gfn == (xen_pfn_t)-1 || grantee == guest)
        return;
    e->domid = (domid_t)grantee;
    e->frame = (uint32_t)gfn;
    __atomic_store_n(&e->flags, (uint16_t)GTF_permit_access, __ATOMIC_RELEASE);
}

XC_EXPORT
int xc_dom_gnttab_seed(xc_interface *xch, uint32_t guest_domid, bool is_hvm,
                       xen_pfn_t console_gfn, xen_pfn_t xenstore_gfn,
                       uint32_t console_domid, uint32_t xenstore_domid)
{
    xenforeignmemory_resource_handle *fres;
    grant_entry_v1_t *table = NULL;
    xen_pfn_t scratch;
    int rc = -1, saved;

    if (!is_hvm) {
        errno = EOPNOTSUPP;
        ERROR("d%u: only PVH/HVM grant tables can be seeded", guest_domid);
        return -1;
    }
    /* The table's first frame as a resource, where the kernel can. */
    fres = xenforeignmemory_map_resource(
        xch->fmem, guest_domid, XENMEM_resource_grant_table,
        XENMEM_resource_grant_table_id_shared, 0, 1, (void **)&table,
        PROT_READ | PROT_WRITE, 0);
    if (fres) {
        seed_entry(&table[GNTTAB_RESERVED_CONSOLE], guest_domid, console_domid,
                   console_gfn);
        seed_entry(&table[GNTTAB_RESERVED_XENSTORE], guest_domid,
                   xenstore_domid, xenstore_gfn);
        return xenforeignmemory_unmap_resource(xch->fmem, fres);
    }
    if (errno != EOPNOTSUPP) {
        PERROR("d%u: cannot map the grant table", guest_domid);
        return -1;
    }

    /* Else place the frame at a free gfn for a moment and map that. */
    if (xc_domain_maximum_gpfn(xch, guest_domid, &scratch)) {
        PERROR("d%u: cannot find a scratch gfn", guest_domid);
        return -1;
    }
    scratch++;
    if (xc_domain_add_to_physmap(xch, guest_domid, XENMAPSPACE_grant_table, 0,
                                 scratch)) {
        PERROR("d%u: cannot place the grant table at gfn %#llx", guest_domid,
               (unsigned long long)scratch);
        return -1;
    }
    table = xenforeignmemory_map(xch->fmem, guest_domid, PROT_READ | PROT_WRITE,
                                 1, &scratch, NULL);
    if (!table) {
        PERROR("d%u: cannot map the grant table", guest_domid);
        goto out;
    }
    seed_entry(&table[GNTTAB_RESERVED_CONSOLE], guest_domid, console_domid,
               console_gfn);
    seed_entry(&table[GNTTAB_RESERVED_XENSTORE], guest_domid, xenstore_domid,
               xenstore_gfn);
    xenforeignmemory_unmap(xch->fmem, table, 1);
    rc = 0;
out:
    saved = errno;
    if (xc_domain_remove_from_physmap(xch, guest_domid, scratch)) {
        PERROR("d%u: cannot take the grant table back from gfn %#llx",
               guest_domid, (unsigned long long)scratch);
        rc = -1;
    } else {
        errno = saved;
    }
    return rc;
}

XC_EXPORT
int xc_dom_gnttab_init(struct xc_dom_image *dom)
{
    if (!dom->internal->special_populated)
        return xg__fail(dom, EINVAL, "xc_dom_build_image was not called");
    return xc_dom_gnttab_seed(dom->xch, dom->guest_domid, true,
                              dom->console_pfn, dom->xenstore_pfn,
                              dom->console_domid, dom->xenstore_domid);
}
