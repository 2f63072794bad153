/*
 * Kernel image loading shared by the core's boot-time builder and the
 * toolstack's domain builder (libxenguest): one implementation, two
 * callers. It depends on libc and zlib only and writes guest memory
 * through a callback, so either side can supply its own mapping.
 *
 * Every field of the image is checked against the image size before use:
 * a kernel file is untrusted input.
 */
#ifndef XEN_LIBELF_H
#define XEN_LIBELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_binary {
    const uint8_t *image;
    size_t size;
    bool is64;
    uint16_t machine;
    char err[160];          /* what was wrong, for the user */
};

/* What the Xen ELF notes and program headers say about an image. */
struct elf_dom_parms {
    uint64_t pstart, pend;          /* physical range of the PT_LOADs */
    uint64_t entry;                 /* e_entry */
    bool has_phys32_entry;
    uint32_t phys32_entry;          /* XEN_ELFNOTE_PHYS32_ENTRY */
    char guest_os[32];
    char loader[32];
};

/*
 * Returns a host pointer to len bytes of guest memory at paddr, or NULL
 * if the range is not backed.
 */
typedef void *(*elf_map_fn)(void *ctx, uint64_t paddr, size_t len);

/* Check the headers; 0 or -EINVAL with elf->err set. */
int elf_init(struct elf_binary *elf, const void *image, size_t size);
/* Read the PT_LOAD range and the Xen notes; 0 or -EINVAL. */
int elf_parse_dom_parms(struct elf_binary *elf, struct elf_dom_parms *p);
/* Copy the PT_LOAD segments into guest memory and zero their bss. */
int elf_load(struct elf_binary *elf, elf_map_fn map, void *ctx);

/*
 * If buf holds a gzip (or zlib) stream, inflate it into a new malloc'd
 * buffer of at most max_out bytes and return it in *out and *out_len (the
 * caller frees it); otherwise return 0 with *out = NULL. -EINVAL for a
 * corrupt stream, -EFBIG if it inflates beyond max_out, -ENOMEM.
 */
int xen_decompress(const void *buf, size_t len, size_t max_out, void **out,
                   size_t *out_len);

/* One module (initrd ...) for a PVH guest. */
struct pvh_module {
    const void *data;
    size_t size;
    const char *cmdline;    /* may be NULL */
};

struct pvh_layout_in {
    uint64_t mem_bytes;         /* guest RAM size */
    uint64_t kernel_end;        /* end of the loaded image (pend) */
    const char *cmdline;        /* may be NULL */
    const struct pvh_module *modules;
    unsigned int nr_modules;
};

/*
 * Place modules, hvm_start_info (version 1), the module list, command
 * lines and the memory map after the kernel, write them through map and
 * return the guest-physical address of hvm_start_info in *start_info.
 */
int pvh_build_start_info(const struct pvh_layout_in *in, elf_map_fn map,
                         void *ctx, uint64_t *start_info, char *err,
                         size_t errlen);

/* End of low RAM in a PVH/HVM guest: above it lies the MMIO hole. */
#define PVH_LOWMEM_END 0xf0000000ULL
#define PVH_HIGHMEM_START 0x100000000ULL

#endif
