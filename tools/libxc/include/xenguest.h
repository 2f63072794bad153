/*
 * xenguest.h - libxenguest: the domain builder.
 *
 * Builds a PVH guest into a domain made with xc_domain_create (flags
 * XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, a LAPIC-only platform). The
 * calls keep Xen 4.17's names and order:
 *
 *   dom = xc_dom_allocate(xch, cmdline, NULL);
 *   dom->container_type = XC_DOM_HVM_CONTAINER;
 *   dom->max_vcpus = N;            and the console/xenstore fields below
 *   xc_dom_kernel_file(dom, path); xc_dom_module_file(dom, initrd, NULL);
 *   xc_dom_boot_xen_init(dom, xch, domid);
 *   xc_dom_parse_image(dom);
 *   xc_dom_mem_init(dom, mem_mb);
 *   xc_dom_boot_mem_init(dom);     populates the guest's RAM
 *   xc_dom_build_image(dom);       loads kernel, modules, start info
 *   xc_dom_boot_image(dom);        sets vCPU 0's start state
 *   xc_dom_gnttab_init(dom);       console and xenstore grants
 *   xc_dom_release(dom);
 *
 * then xc_domain_unpause starts it. Each returns 0, or -1 with errno set
 * and a message logged through the xc handle's domain-builder logger.
 * The domain's memory limit (xc_domain_setmaxmem) must leave room for
 * the RAM plus X86_HVM_NR_SPECIAL_PAGES.
 *
 * Layout (the shared PVH layout of xen/common/libelf/pvh.c, the same as
 * the hypervisor's boot-time domains): RAM from 0 up to 0xf0000000, the
 * rest from 4 GiB; the kernel where its ELF program headers say, then the
 * modules, then hvm_start_info (version 1), module list, command lines
 * and memory map. The special pages are Xen's: 8 frames ending at gfn
 * 0xff000 (X86_HVM_END_SPECIAL_REGION), in the MMIO hole below 4 GiB,
 * in Xen's order (see special_pfn()); the console ring is special page
 * 7 (gfn 0xfefff) and the xenstore ring special page 4 (gfn 0xfeffc).
 * They are recorded in HVM_PARAM_CONSOLE_PFN / HVM_PARAM_STORE_PFN,
 * their event channels in HVM_PARAM_CONSOLE_EVTCHN / STORE_EVTCHN, and
 * the memory map in the domain (XENMEM_memory_map).
 */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xenctrl.h>

#define XG_MAX_MODULES 2

/* Xen's PVH/HVM special pages: the frames just below gfn 0xff000. */
#define X86_HVM_NR_SPECIAL_PAGES 8
#define X86_HVM_END_SPECIAL_REGION 0xff000u
#define SPECIALPAGE_PAGING 0
#define SPECIALPAGE_ACCESS 1
#define SPECIALPAGE_SHARING 2
#define SPECIALPAGE_BUFIOREQ 3
#define SPECIALPAGE_XENSTORE 4
#define SPECIALPAGE_IOREQ 5
#define SPECIALPAGE_IDENT_PT 6
#define SPECIALPAGE_CONSOLE 7
#define special_pfn(x)                                                         \
    (X86_HVM_END_SPECIAL_REGION - X86_HVM_NR_SPECIAL_PAGES + (x))

/* Where something was placed in the guest (guest-physical). */
struct xc_dom_seg {
    uint64_t vstart, vend; /* [vstart, vend) */
    xen_pfn_t pfn;         /* first frame */
    xen_pfn_t pages;
};

struct xc_dom_module {
    void *blob;
    size_t size;
    char *cmdline;         /* may be NULL */
    struct xc_dom_seg seg; /* OUT: where it was loaded */
};

struct elf_dom_parms;   /* what the kernel's ELF notes say */
struct xc_dom_internal; /* the builder's own state */

struct xc_dom_image {
    /* The images (xc_dom_kernel_*, xc_dom_module_*). */
    void *kernel_blob;
    size_t kernel_size;
    unsigned int num_modules;
    struct xc_dom_module modules[XG_MAX_MODULES];
    size_t max_kernel_size; /* 0: the default (1 GiB, inflated) */
    size_t max_module_size; /* 0: the default (1 GiB) */

    char *cmdline; /* the kernel's, may be NULL */

    /* From the kernel image (xc_dom_parse_image). */
    struct elf_dom_parms *parms;
    const char *guest_type;

    /* Placement (OUT). */
    struct xc_dom_seg kernel_seg;
    struct xc_dom_seg start_info_seg;
    xen_pfn_t console_pfn;
    xen_pfn_t xenstore_pfn;

    /* Memory: pages of RAM (xc_dom_mem_init). */
    xen_pfn_t total_pages;
    /* 0 or total_pages: populate-on-demand is not supported. */
    xen_pfn_t target_pages;
    /* OUT: RAM is [0, lowmem_end) and [4 GiB, highmem_end). */
    uint64_t lowmem_end;
    uint64_t highmem_end;
    uint64_t mmio_start; /* OUT: start of the hole below 4 GiB */

    /*
     * Console and xenstore: the domain that serves each (usually 0) and
     * the guest's event channel to it. A port left 0 is allocated by
     * xc_dom_build_image (unbound, for that domain to bind) and written
     * back here.
     */
    unsigned int console_evtchn;
    unsigned int xenstore_evtchn;
    uint32_t console_domid;
    uint32_t xenstore_domid;

    xc_interface *xch; /* set by xc_dom_boot_xen_init */
    uint32_t guest_domid;
    int xen_version; /* XENVER_version of the hypervisor */

    enum {
        XC_DOM_PV_CONTAINER,
        XC_DOM_HVM_CONTAINER,
    } container_type;  /* only XC_DOM_HVM_CONTAINER (PVH) */
    bool device_model; /* must be false: PVH has none */
    unsigned int max_vcpus;

    struct xc_dom_internal *internal;
};

/* A new image for @xch; @features (PV only) is ignored. NULL/errno. */
struct xc_dom_image *xc_dom_allocate(xc_interface *xch, const char *cmdline,
                                     const char *features);
/* Free the image, its blobs and its guest mappings (NULL is fine). */
void xc_dom_release(struct xc_dom_image *dom);

int xc_dom_kernel_max_size(struct xc_dom_image *dom, size_t sz);
int xc_dom_module_max_size(struct xc_dom_image *dom, size_t sz);

/* The kernel: an ELF image, gzip-compressed or not. */
int xc_dom_kernel_file(struct xc_dom_image *dom, const char *filename);
int xc_dom_kernel_mem(struct xc_dom_image *dom, const void *mem,
                      size_t memsize);
/* A module (initrd ...), loaded as is, with an optional command line. */
int xc_dom_module_file(struct xc_dom_image *dom, const char *filename,
                       const char *cmdline);
int xc_dom_module_mem(struct xc_dom_image *dom, const void *module,
                      size_t memsize, const char *cmdline);

/* Bind the image to domain @domid through @xch. */
int xc_dom_boot_xen_init(struct xc_dom_image *dom, xc_interface *xch,
                         uint32_t domid);
/* Check the kernel: ELF for x86 with XEN_ELFNOTE_PHYS32_ENTRY. */
int xc_dom_parse_image(struct xc_dom_image *dom);
/* The guest's RAM, in MiB. */
int xc_dom_mem_init(struct xc_dom_image *dom, unsigned int mem_mb);
/* Populate the guest's RAM. */
int xc_dom_boot_mem_init(struct xc_dom_image *dom);
/*
 * Load the kernel and modules, make the special pages and event
 * channels, write hvm_start_info and set the guest's memory map.
 */
int xc_dom_build_image(struct xc_dom_image *dom);
/*
 * Give vCPU 0 its PVH start state (32-bit flat protected mode, paging
 * off, %ebx = hvm_start_info, at XEN_ELFNOTE_PHYS32_ENTRY), through
 * XEN_DOMCTL_sethvmcontext, and unmap the guest's memory.
 */
int xc_dom_boot_image(struct xc_dom_image *dom);
/* Grant the console and xenstore rings to their domains. */
int xc_dom_gnttab_init(struct xc_dom_image *dom);
/*
 * Write the reserved grant entries GNTTAB_RESERVED_CONSOLE / _XENSTORE
 * of @guest_domid: read-write access to the ring frame for the domain
 * that serves it. A gfn of -1, or a serving domain that is the guest
 * itself, leaves that entry alone.
 */
int xc_dom_gnttab_seed(xc_interface *xch, uint32_t guest_domid, bool is_hvm,
                       xen_pfn_t console_gfn, xen_pfn_t xenstore_gfn,
                       uint32_t console_domid, uint32_t xenstore_domid);

#endif /* XENGUEST_H */
