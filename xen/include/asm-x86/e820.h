/*
 * A domain's E820 memory map, as XENMEM_memory_map hands it to the guest
 * (common/memory_op.c). Builders set it; the layout is the guest ABI's
 * 20-byte entry.
 */
#ifndef ASM_E820_H
#define ASM_E820_H

#include <stdint.h>

struct domain;

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5

/* Entries a domain's map may hold (Xen allows more; builders use few). */
#define E820_DOMAIN_MAX 128

struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

/* Replace d's map: 0, or -EINVAL if nr exceeds E820_DOMAIN_MAX. */
int domain_set_memory_map(struct domain *d, const struct e820entry *map,
                          unsigned int nr);
/*
 * Set d's map from the memory map of the hvm_start_info (version >= 1)
 * at guest-physical start_info, as the PVH builder wrote it: 0 or -errno.
 */
int domain_memory_map_from_pvh(struct domain *d, uint64_t start_info);
/*
 * Place the domain's shared_info at gfn, as XENMAPSPACE_shared_info does
 * (the PV builder puts it outside the guest's RAM). 0 or -errno.
 */
int shinfo_map(struct domain *d, uint64_t gfn);

#endif
