/* SPDX-License-Identifier: MIT */
/*
 * PVH boot information.  The loader places an hvm_start_info in guest
 * memory and passes its physical address in %ebx at the PVH entry point
 * (XEN_ELFNOTE_PHYS32_ENTRY).  All addresses are guest-physical.
 *
 * Version 1 adds the memory map fields; it is a superset of version 0.
 * Layout (bytes): hvm_start_info 56, hvm_modlist_entry 32,
 * hvm_memmap_table_entry 24, on 32- and 64-bit alike.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_HVM_START_INFO_H__
#define __XEN_PUBLIC_ARCH_X86_HVM_START_INFO_H__

#include <stdint.h>

/* "xEn3" with bit 7 of the 0x6e ('n') byte set. */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* Memory map entry types (same numbering as E820). */
#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

struct hvm_start_info {
    uint32_t magic;             /* OUT: XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;           /* OUT: 0 or 1 */
    uint32_t flags;             /* OUT: SIF_* */
    uint32_t nr_modules;        /* OUT: entries at modlist_paddr */
    uint64_t modlist_paddr;     /* OUT: array of hvm_modlist_entry */
    uint64_t cmdline_paddr;     /* OUT: NUL-terminated command line, 0 = none */
    uint64_t rsdp_paddr;        /* OUT: ACPI RSDP, 0 = none */
    /* Version 1 and later: */
    uint64_t memmap_paddr;      /* OUT: array of hvm_memmap_table_entry */
    uint32_t memmap_entries;    /* OUT: entries at memmap_paddr */
    uint32_t reserved;          /* OUT: 0 */
};

struct hvm_modlist_entry {
    uint64_t paddr;             /* OUT: module start */
    uint64_t size;              /* OUT: module size in bytes */
    uint64_t cmdline_paddr;     /* OUT: module command line, 0 = none */
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;              /* OUT: start of the range */
    uint64_t size;              /* OUT: bytes */
    uint32_t type;              /* OUT: XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;          /* OUT: 0 */
};

#endif /* __XEN_PUBLIC_ARCH_X86_HVM_START_INFO_H__ */
