/*
 * The PVH start of day as a guest sees it (start_info.sh): hvm_start_info
 * version 1, the command line with commas kept, a module (the ramdisk=
 * file) with its bytes, and a memory map that matches memory= (plus
 * the ACPI tables' pages).
 */
#include "guest.h"

#define MODULE_MAGIC "XENON-MODULE-1234"

void test_main(void)
{
    const struct hvm_start_info *si = start_info;
    const struct hvm_memmap_table_entry *map;
    const struct hvm_modlist_entry *mod;
    uint64_t ram = 0;

    check_eq(si->magic, XEN_HVM_START_MAGIC_VALUE);
    check_eq(si->version, 1);
    check(si->cmdline_paddr != 0, "no command line");
    check(!strcmp(cmdline, "start-info a,b,c 3"), "cmdline \"%s\"", cmdline);

    /* RAM from 0, then the ACPI tables' pages in the MMIO hole. */
    check_eq(si->memmap_entries, 2);
    map = (const void *)(uintptr_t)si->memmap_paddr;
    check_eq(map[0].addr, 0);
    check_eq(map[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
    ram = map[0].size;
    check_eq(ram, 24ULL << 20);
    check_eq(map[1].addr, 0xfc000000);
    check_eq(map[1].type, XEN_HVM_MEMMAP_TYPE_ACPI);
    check_eq(si->rsdp_paddr, map[1].addr);
    /* Everything the loader placed lies inside RAM, after the image. */
    check((uintptr_t)si >= (uintptr_t)image_end && (uintptr_t)si < ram,
          "start info at %p", (const void *)si);

    check_eq(si->nr_modules, 1);
    mod = (const void *)(uintptr_t)si->modlist_paddr;
    check_eq(mod->paddr % 4096, 0);
    check_eq(mod->size, sizeof(MODULE_MAGIC) - 1);
    check(mod->paddr >= (uintptr_t)image_end && mod->paddr + mod->size <= ram,
          "module outside RAM");
    check(!memcmp((const void *)(uintptr_t)mod->paddr, MODULE_MAGIC,
                  sizeof(MODULE_MAGIC) - 1),
          "module bytes");
    check_eq(mod->cmdline_paddr, 0);
}
