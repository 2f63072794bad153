/*
 * PVH start-of-day layout: after the kernel, page aligned, come the
 * modules, then one area holding hvm_start_info (version 1), the module
 * list, the command lines and the memory map; the ACPI tables go to
 * their own pages in the MMIO hole.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <public/arch-x86/hvm/start_info.h>
#include <xen/libelf.h>

/* Shared with the toolstack like this loader (tools/libacpi). */
#include "../../../tools/libacpi/libacpi.h"

#define PG 4096ULL
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

/* Xen gives HVM and PVH vCPU n the APIC ID 2n. */
static uint32_t lapic_id(unsigned int cpu)
{
    return cpu * 2;
}

/*
 * The tables Xen's toolstack gives PVH guests (libxl: FADT revision 5,
 * a LAPIC per vCPU, no IOAPIC, no PM, no RTC), or those hvmloader gives
 * HVM guests (FADT revision 4, IOAPIC with hvmloader's PCI ISA IRQs 5,
 * 10, 11 and its ID 1, HPET, PM timer and PM1 blocks, RTC).
 */
static int build_acpi(const struct pvh_layout_in *in, uint64_t paddr,
                      elf_map_fn map, void *ctx)
{
    struct acpi_config c = {
        .acpi_revision = in->hvm_platform ? 4 : 5,
        .nr_vcpus = in->nr_vcpus,
        .lapic_id = lapic_id,
        .lapic_base_address = 0xfee00000,
    };
    size_t len;

    if (in->hvm_platform) {
        c.table_flags = ACPI_HAS_IOAPIC | ACPI_HAS_HPET | ACPI_HAS_PMTIMER |
                        ACPI_HAS_BUTTONS | ACPI_HAS_CMOS_RTC;
        c.ioapic_base_address = 0xfec00000;
        c.ioapic_id = 1;
        c.pci_isa_irq_mask = 1U << 5 | 1U << 10 | 1U << 11;
    }
    return acpi_build_tables(&c, paddr, PVH_ACPI_SIZE, map, ctx, &len);
}

static void *put(elf_map_fn map, void *ctx, uint64_t paddr, const void *src,
                 size_t len)
{
    void *dst = len ? map(ctx, paddr, len) : NULL;

    if (dst)
        memcpy(dst, src, len);
    return dst;
}

int pvh_build_start_info(const struct pvh_layout_in *in, elf_map_fn map,
                         void *ctx, uint64_t *start_info, char *err,
                         size_t errlen)
{
    uint64_t lowmem = in->mem_bytes < PVH_LOWMEM_END ? in->mem_bytes
                                                     : PVH_LOWMEM_END;
    uint64_t addr = ALIGN_UP(in->kernel_end, PG);
    struct hvm_modlist_entry mods[16];
    struct hvm_memmap_table_entry memmap[3];
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
    };
    unsigned int nr_memmap = 0;
    uint64_t area, p;
    int rc;

    if (in->nr_modules > sizeof(mods) / sizeof(mods[0])) {
        snprintf(err, errlen, "too many modules (at most 16)");
        return -E2BIG;
    }
    if (in->nr_vcpus > ACPI_MAX_VCPUS) {
        snprintf(err, errlen, "ACPI tables for %u vCPUs (at most %u)",
                 in->nr_vcpus, ACPI_MAX_VCPUS);
        return -E2BIG;
    }
    if (in->nr_vcpus) {
        rc = build_acpi(in, PVH_ACPI_ADDR, map, ctx);
        if (rc) {
            snprintf(err, errlen, "cannot build the ACPI tables (%s)",
                     strerror(-rc));
            return rc;
        }
        si.rsdp_paddr = PVH_ACPI_ADDR;
    }
    memset(mods, 0, sizeof(mods));
    for (unsigned int i = 0; i < in->nr_modules; i++) {
        mods[i].paddr = addr;
        mods[i].size = in->modules[i].size;
        if (addr + in->modules[i].size > lowmem ||
            (in->modules[i].size &&
             !put(map, ctx, addr, in->modules[i].data, in->modules[i].size)))
            goto too_small;
        addr = ALIGN_UP(addr + in->modules[i].size, PG);
    }

    memmap[nr_memmap++] = (struct hvm_memmap_table_entry){
        .addr = 0, .size = lowmem, .type = XEN_HVM_MEMMAP_TYPE_RAM};
    if (si.rsdp_paddr)
        memmap[nr_memmap++] = (struct hvm_memmap_table_entry){
            .addr = si.rsdp_paddr,
            .size = PVH_ACPI_SIZE,
            .type = XEN_HVM_MEMMAP_TYPE_ACPI};
    if (in->mem_bytes > lowmem)
        memmap[nr_memmap++] = (struct hvm_memmap_table_entry){
            .addr = PVH_HIGHMEM_START,
            .size = in->mem_bytes - lowmem,
            .type = XEN_HVM_MEMMAP_TYPE_RAM};

    /* The info area: start_info, modlist, memmap, then strings. */
    area = addr;
    p = area + ALIGN_UP(sizeof(si), 8);
    si.nr_modules = in->nr_modules;
    si.modlist_paddr = in->nr_modules ? p : 0;
    p += sizeof(mods[0]) * in->nr_modules;
    si.memmap_paddr = p;
    si.memmap_entries = nr_memmap;
    p += sizeof(memmap[0]) * nr_memmap;
    if (in->cmdline) {
        si.cmdline_paddr = p;
        if (!put(map, ctx, p, in->cmdline, strlen(in->cmdline) + 1))
            goto too_small;
        p += strlen(in->cmdline) + 1;
    }
    for (unsigned int i = 0; i < in->nr_modules; i++) {
        const char *c = in->modules[i].cmdline;

        if (!c)
            continue;
        mods[i].cmdline_paddr = p;
        if (!put(map, ctx, p, c, strlen(c) + 1))
            goto too_small;
        p += strlen(c) + 1;
    }
    if (p > lowmem || !put(map, ctx, area, &si, sizeof(si)) ||
        (in->nr_modules &&
         !put(map, ctx, si.modlist_paddr, mods, sizeof(mods[0]) * in->nr_modules)) ||
        !put(map, ctx, si.memmap_paddr, memmap, sizeof(memmap[0]) * nr_memmap))
        goto too_small;
    *start_info = area;
    return 0;

too_small:
    snprintf(err, errlen,
             "guest memory (%llu MiB) too small for the kernel, modules and "
             "start info", (unsigned long long)(in->mem_bytes >> 20));
    return -ENOMEM;
}
