/*
 * Kernel image loading shared by the core's boot-time builder and the
 * toolstack's domain builder (libxenguest): one implementation, two
 * callers. It depends on libc and the decompression libraries (zlib,
 * liblzma, libzstd, liblz4) only and writes guest memory through a
 * callback, so either side can supply its own mapping.
 *
 * Every field of the image is checked against the image size before use:
 * a kernel file is untrusted input.
 */
#ifndef XEN_LIBELF_H
#define XEN_LIBELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/features.h>

struct elf_binary {
    const uint8_t *image;
    size_t size;
    bool is64;
    uint16_t machine;
    char err[160]; /* what was wrong, for the user */
};

/* An address note the image did not give (Xen's UNSET_ADDR). */
#define UNSET_ADDR ((uint64_t)-1)

/* XEN_ELFNOTE_PAE_MODE, as Xen's libelf reads it. */
enum xen_pae_type {
    XEN_PAE_NO = 0,
    XEN_PAE_YES = 1,
    XEN_PAE_EXTCR3 = 2,
    XEN_PAE_BIMODAL = 3,
};

/* What the Xen ELF notes and program headers say about an image. */
struct elf_dom_parms {
    uint64_t pstart, pend; /* physical range of the PT_LOADs */
    uint64_t entry;        /* e_entry */
    bool has_phys32_entry;
    uint32_t phys32_entry; /* XEN_ELFNOTE_PHYS32_ENTRY */
    char guest_os[32];
    char loader[32];
    char guest_ver[32];
    char xen_ver[32];

    /* The PV notes; UNSET_ADDR where absent (elf_check_pv fills defaults). */
    uint64_t virt_base;         /* VIRT_BASE */
    uint64_t virt_entry;        /* ENTRY */
    uint64_t virt_hypercall;    /* HYPERCALL_PAGE */
    uint64_t virt_hv_start_low; /* HV_START_LOW */
    uint64_t p2m_base;          /* INIT_P2M */
    uint64_t elf_paddr_offset;  /* PADDR_OFFSET */
    enum xen_pae_type pae;
    bool bsd_symtab;
    bool unmapped_initrd;                     /* MOD_START_PFN != 0 */
    bool suspend_cancel;                      /* SUSPEND_CANCEL != 0 */
    uint32_t f_supported[XENFEAT_NR_SUBMAPS]; /* FEATURES, SUPPORTED_FEATURES */
    uint32_t f_required[XENFEAT_NR_SUBMAPS];  /* FEATURES with a '!' */
    uint32_t notes_seen; /* 1 << XEN_ELFNOTE_* per note found */
    bool guest_info;     /* read from the legacy __xen_guest */

    /* The kernel's virtual range, set by elf_check_pv. */
    uint64_t virt_kstart, virt_kend;
};

/*
 * Returns a host pointer to len bytes of guest memory at paddr, or NULL
 * if the range is not backed.
 */
typedef void *(*elf_map_fn)(void *ctx, uint64_t paddr, size_t len);

/* Check the headers; 0 or -EINVAL with elf->err set. */
int elf_init(struct elf_binary *elf, const void *image, size_t size);
/*
 * Read the PT_LOAD range and the Xen notes (PT_NOTE segments, else
 * SHT_NOTE sections, else the legacy __xen_guest section); 0 or -EINVAL
 * (also for a FEATURES string requiring a feature Xen has no name for).
 */
int elf_parse_dom_parms(struct elf_binary *elf, struct elf_dom_parms *p);
/* Copy the PT_LOAD segments into guest memory and zero their bss. */
int elf_load(struct elf_binary *elf, elf_map_fn map, void *ctx);
/* The same, each segment at p_paddr - paddr_offset. */
int elf_load_offset(struct elf_binary *elf, uint64_t paddr_offset,
                    elf_map_fn map, void *ctx);

/*
 * XENFEAT_* bits a 64-bit PV domU can have (writable_page_tables through
 * VMASST_TYPE_writable_pagetables, the rest as XENVER_get_features).
 */
#define XEN_PV_DOMU_FEATURES                                                   \
    ((1u << XENFEAT_writable_page_tables) |                                    \
     (1u << XENFEAT_pae_pgdir_above_4gb) |                                     \
     (1u << XENFEAT_mmu_pt_update_preserve_ad) |                               \
     (1u << XENFEAT_highmem_assist) | (1u << XENFEAT_gnttab_map_avail_bits))

/*
 * Xen's checks of a PV image after elf_parse_dom_parms: a Xen image for
 * the generic loader or Linux, built for xen-3.0; VIRT_BASE and
 * PADDR_OFFSET defaults; entry, kernel and INIT_P2M bounds; HV_START_LOW;
 * a 64-bit x86 kernel; every required feature within offered (submap 0).
 * Sets virt_kstart/virt_kend and the defaults; 0 or -EINVAL with elf->err.
 */
int elf_check_pv(struct elf_binary *elf, struct elf_dom_parms *p,
                 uint32_t offered);

/* The XENFEAT_* name Xen's FEATURES strings use for bit nr, or NULL. */
const char *elf_xen_feature_name(unsigned int nr);

/* Compression formats of kernel images, told apart by their magic. */
enum xen_compression {
    XEN_COMP_NONE,
    XEN_COMP_GZIP,  /* 1f 8b */
    XEN_COMP_XZ,    /* fd 37 7a 58 5a 00 */
    XEN_COMP_ZSTD,  /* 28 b5 2f fd */
    XEN_COMP_LZ4,   /* 02 21 4c 18: lz4's legacy format, as Linux uses */
    XEN_COMP_LZMA,  /* 5d 00 00 */
    XEN_COMP_BZIP2, /* "BZh": recognised, not supported */
    XEN_COMP_LZO,   /* 89 "LZO": recognised, not supported */
};

enum xen_compression xen_compression_of(const void *buf, size_t len);
const char *xen_compression_name(enum xen_compression c);

/*
 * Decompress buf, compressed as c, into a new malloc'd buffer of at most
 * max_out bytes in *out and *out_len (the caller frees it). Data after
 * the end of the stream is ignored (Linux appends the size). -EINVAL for
 * a corrupt or truncated stream, -EFBIG if it decompresses beyond
 * max_out, -E2BIG if it needs more than 128 MiB of decoder memory,
 * -EOPNOTSUPP for bzip2/lzo or XEN_COMP_NONE, -ENOMEM.
 */
int xen_decompress_as(enum xen_compression c, const void *buf, size_t len,
                      size_t max_out, void **out, size_t *out_len);

/*
 * If buf holds a gzip stream, inflate it as xen_decompress_as does;
 * otherwise return 0 with *out = NULL. Kernels and modules both go
 * through it, as Xen gunzips both.
 */
int xen_decompress(const void *buf, size_t len, size_t max_out, void **out,
                   size_t *out_len);

/*
 * Find the payload of a Linux bzImage (setup header "HdrS", boot protocol
 * >= 2.08). 0 with *payload = NULL if img is no bzImage; 0 with the
 * payload; -EINVAL with err for a broken bzImage.
 */
int bzimage_payload(const void *img, size_t len, const void **payload,
                    size_t *payload_len, char *err, size_t errlen);

/*
 * Turn a kernel file into the ELF image to parse: a bzImage's payload or
 * a compressed image is decompressed (at most max_out bytes) into *out
 * (malloc'd, the caller frees it); anything else gives 0 with *out = NULL
 * (use img as it is). Negative errno with err on failure.
 */
int xen_kernel_unpack(const void *img, size_t len, size_t max_out, void **out,
                      size_t *out_len, char *err, size_t errlen);

/* One module (initrd ...) for a PVH guest. */
struct pvh_module {
    const void *data;
    size_t size;
    const char *cmdline; /* may be NULL */
};

struct pvh_layout_in {
    uint64_t mem_bytes;  /* guest RAM size */
    uint64_t kernel_end; /* end of the loaded image (pend) */
    const char *cmdline; /* may be NULL */
    const struct pvh_module *modules;
    unsigned int nr_modules;
    /*
     * ACPI tables for this many vCPUs (0: none, as xl's acpi=0), all
     * enabled in the MADT. PVH tables describe a LAPIC per vCPU only;
     * hvm_platform adds the IOAPIC, HPET, PM and RTC of an HVM platform.
     */
    unsigned int nr_vcpus;
    bool hvm_platform;
};

/*
 * Place modules, hvm_start_info (version 1), the module list, command
 * lines and the memory map after the kernel, the ACPI tables (if any) at
 * PVH_ACPI_ADDR, marked ACPI in the memory map and named by rsdp_paddr,
 * write them through map and return the guest-physical address of
 * hvm_start_info in *start_info.
 */
int pvh_build_start_info(const struct pvh_layout_in *in, elf_map_fn map,
                         void *ctx, uint64_t *start_info, char *err,
                         size_t errlen);

/* End of low RAM in a PVH/HVM guest: above it lies the MMIO hole. */
#define PVH_LOWMEM_END 0xf0000000ULL
#define PVH_HIGHMEM_START 0x100000000ULL
/*
 * The ACPI tables' pages, in the MMIO hole where Xen's toolstack puts
 * them (ACPI_INFO_PHYSICAL_ADDRESS): the builder populates them before
 * pvh_build_start_info. 128 vCPUs need under 8 KiB.
 */
#define PVH_ACPI_ADDR 0xfc000000ULL
#define PVH_ACPI_SIZE 0x4000ULL

/*
 * PV (x86-64) start of day, laid out in pseudo-physical frames as Xen's
 * domain builder does: pfn 0 is virt_base, the kernel follows at
 * virt_kstart, then (page aligned) the initrd unless MOD_START_PFN, the
 * p2m list unless INIT_P2M, start_info, the xenstore and console pages,
 * the initial page tables, the boot stack; the initial mapping covers
 * virt_base up to a 4 MiB boundary leaving at least 512 KiB spare. After
 * it come the initrd (MOD_START_PFN) and the p2m list with its own page
 * tables (INIT_P2M).
 */
struct pv_layout_in {
    uint64_t mem_bytes;  /* guest RAM: pfns [0, mem_bytes >> 12) */
    const char *cmdline; /* may be NULL; cut at MAX_GUEST_CMDLINE */
    const void *initrd;  /* may be NULL */
    size_t initrd_size;
    uint64_t shared_info_mfn; /* the domain's shared_info frame */
    uint32_t store_evtchn, console_evtchn;
    uint32_t flags; /* SIF_* besides those the layout sets */
    /* Machine frame of a pseudo-physical one; NULL: pfn == mfn. */
    uint64_t (*pfn_to_mfn)(void *ctx, uint64_t pfn);
};

/* A range of frames and, where mapped, of virtual addresses. */
struct pv_seg {
    uint64_t pfn, pages;
    uint64_t vstart, vend;
};

struct pv_layout {
    uint64_t nr_pages;
    uint64_t virt_base;
    struct pv_seg kernel, initrd, p2m, start_info, xenstore, console, pgtables,
        bootstack;
    uint64_t virt_pgtab_end; /* end of the initial mapping */
    uint64_t nr_pt_frames;   /* page tables of the initial mapping */
    uint64_t pfn_alloc_end;  /* first frame the layout left free */
    /* HYPERCALL_PAGE's frame, for the hypervisor to fill, or UNSET_ADDR. */
    uint64_t hypercall_pfn;
    /* vCPU 0 at start of day (64-bit mode, FLAT_KERNEL_* selectors). */
    uint64_t rip, rsp, rsi;
    uint64_t cr3; /* machine address of the L4 */
};

/*
 * Load the kernel (checked by elf_check_pv) and build everything above
 * through map, which is given pseudo-physical addresses (pfn << 12).
 * 0, or -ENOMEM (guest too small), -EINVAL, with err set.
 */
int pv_build_image(struct elf_binary *elf, const struct elf_dom_parms *p,
                   const struct pv_layout_in *in, elf_map_fn map, void *ctx,
                   struct pv_layout *out, char *err, size_t errlen);

#endif
