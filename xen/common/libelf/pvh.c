/*
 * PVH start-of-day layout: after the kernel, page aligned, come the
 * modules, then one area holding hvm_start_info (version 1), the module
 * list, the command lines and the memory map.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <public/arch-x86/hvm/start_info.h>
#include <xen/libelf.h>

#define PG 4096ULL
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

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
    struct hvm_memmap_table_entry memmap[2];
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = 1,
    };
    unsigned int nr_memmap = 0;
    uint64_t area, p;

    if (in->nr_modules > sizeof(mods) / sizeof(mods[0])) {
        snprintf(err, errlen, "too many modules (at most 16)");
        return -E2BIG;
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
