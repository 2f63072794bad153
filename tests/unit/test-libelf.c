/*
 * The shared kernel loader: ELF32/ELF64 images with the PHYS32_ENTRY
 * note, gzip images, bss zeroing, hostile headers, and the PVH start
 * info layout.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <public/arch-x86/hvm/start_info.h>
#include <public/elfnote.h>
#include <xen/libelf.h>

#include "unit.h"

#define GUEST_MEM (4u << 20)
static uint8_t guest[GUEST_MEM];
static uint8_t acpi_pages[PVH_ACPI_SIZE];
/* RAM and the ACPI tables' pages; with a ctx, only RAM is populated. */
static void *map(void *ctx, uint64_t paddr, size_t len)
{
    if (!ctx && paddr >= PVH_ACPI_ADDR && len <= PVH_ACPI_SIZE &&
        paddr - PVH_ACPI_ADDR <= PVH_ACPI_SIZE - len)
        return acpi_pages + (paddr - PVH_ACPI_ADDR);
    if (paddr > GUEST_MEM || len > GUEST_MEM - paddr)
        return NULL;
    return guest + paddr;
}

/*
 * A minimal image: ELF header, two program headers (PT_LOAD of 16 bytes
 * of code + 4096 bytes of bss at 1 MiB, PT_NOTE with PHYS32_ENTRY).
 */
struct image {
    uint8_t buf[1024];
    size_t len;
};

static void note(uint8_t *p, uint32_t type, uint32_t value)
{
    uint32_t hdr[3] = {4, 4, type};

    memcpy(p, hdr, 12);
    memcpy(p + 12, "Xen", 4);
    memcpy(p + 16, &value, 4);
}

static void make_elf64(struct image *im, uint32_t entry)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)im->buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(im->buf + sizeof(*eh));
    size_t code = sizeof(*eh) + 2 * sizeof(*ph), notes = code + 16;

    memset(im, 0, sizeof(*im));
    elf64_exec_header(eh, 0x100000, 2);
    ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_offset = code,
                         .p_paddr = 0x100000, .p_filesz = 16,
                         .p_memsz = 16 + 4096};
    ph[1] = (Elf64_Phdr){.p_type = PT_NOTE, .p_offset = notes, .p_filesz = 20};
    memset(im->buf + code, 0x90, 16);
    note(im->buf + notes, XEN_ELFNOTE_PHYS32_ENTRY, entry);
    im->len = notes + 20;
}

static void make_elf32(struct image *im, uint32_t entry)
{
    Elf32_Ehdr *eh = (Elf32_Ehdr *)im->buf;
    Elf32_Phdr *ph = (Elf32_Phdr *)(im->buf + sizeof(*eh));
    size_t code = sizeof(*eh) + 2 * sizeof(*ph), notes = code + 16;

    memset(im, 0, sizeof(*im));
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS32;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_386;
    eh->e_phoff = sizeof(*eh);
    eh->e_phentsize = sizeof(*ph);
    eh->e_phnum = 2;
    ph[0] = (Elf32_Phdr){.p_type = PT_LOAD, .p_offset = code,
                         .p_paddr = 0x200000, .p_filesz = 16,
                         .p_memsz = 16 + 4096};
    ph[1] = (Elf32_Phdr){.p_type = PT_NOTE, .p_offset = notes, .p_filesz = 20};
    memset(im->buf + code, 0x90, 16);
    note(im->buf + notes, XEN_ELFNOTE_PHYS32_ENTRY, entry);
    im->len = notes + 20;
}

static void load_ok(struct image *im, uint64_t base, uint32_t entry)
{
    struct elf_binary elf;
    struct elf_dom_parms p;

    memset(guest, 0xaa, sizeof(guest));
    EXPECT(elf_init(&elf, im->buf, im->len) == 0);
    EXPECT(elf_parse_dom_parms(&elf, &p) == 0);
    EXPECT(p.has_phys32_entry && p.phys32_entry == entry);
    EXPECT(p.pstart == base && p.pend == base + 16 + 4096);
    EXPECT(elf_load(&elf, map, NULL) == 0);
    EXPECT(guest[base] == 0x90 && guest[base + 15] == 0x90);
    EXPECT(guest[base + 16] == 0 && guest[base + 16 + 4095] == 0);
    EXPECT(guest[base + 16 + 4096] == 0xaa);
}

static void hostile(void)
{
    struct image im;
    struct elf_binary elf;
    struct elf_dom_parms p;
    Elf64_Phdr *ph;

    EXPECT(elf_init(&elf, "\x7f" "ELF", 4) == -EINVAL);
    EXPECT(elf_init(&elf, "garbage garbage garbage garbage", 31) == -EINVAL);

    make_elf64(&im, 0x100000);
    EXPECT(elf_init(&elf, im.buf, 40) == -EINVAL); /* truncated header */

    ((Elf64_Ehdr *)im.buf)->e_phnum = 1000; /* headers past the end */
    EXPECT(elf_init(&elf, im.buf, im.len) == -EINVAL);

    make_elf64(&im, 0x100000);
    ph = (Elf64_Phdr *)(im.buf + sizeof(Elf64_Ehdr));
    ph[0].p_filesz = 1 << 30; /* segment data past the end */
    EXPECT(elf_init(&elf, im.buf, im.len) == 0);
    EXPECT(elf_parse_dom_parms(&elf, &p) == -EINVAL);

    make_elf64(&im, 0x100000);
    ph[0].p_paddr = ~0ULL - 10; /* wraps */
    EXPECT(elf_parse_dom_parms(&elf, &p) == -EINVAL);

    make_elf64(&im, 0x100000);
    ph[0].p_paddr = GUEST_MEM - 8; /* beyond guest RAM */
    EXPECT(elf_parse_dom_parms(&elf, &p) == 0);
    EXPECT(elf_load(&elf, map, NULL) == -EINVAL);
    EXPECT(strstr(elf.err, "outside guest RAM") != NULL);

    make_elf64(&im, 0x100000);
    ph[1].p_filesz = 0xffffff; /* note section past the end: ignored */
    EXPECT(elf_parse_dom_parms(&elf, &p) == 0 && !p.has_phys32_entry);

    make_elf64(&im, 0x100000);
    memcpy(im.buf + im.len - 20, "\x04\0\0\0\xff\xff\xff\x7f", 8); /* descsz */
    EXPECT(elf_parse_dom_parms(&elf, &p) == 0 && !p.has_phys32_entry);

    make_elf64(&im, 0x100000);
    ((Elf64_Ehdr *)im.buf)->e_machine = EM_ARM;
    EXPECT(elf_init(&elf, im.buf, im.len) == -EINVAL);
}

static void gzip_images(void)
{
    struct image im;
    uint8_t gz[2048];
    z_stream zs = {0};
    void *out;
    size_t out_len;

    make_elf32(&im, 0x200004);
    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = im.buf;
    zs.avail_in = im.len;
    zs.next_out = gz;
    zs.avail_out = sizeof(gz);
    EXPECT(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    deflateEnd(&zs);

    EXPECT(xen_decompress(gz, zs.total_out, 1 << 20, &out, &out_len) == 0);
    EXPECT(out && out_len == im.len && !memcmp(out, im.buf, im.len));
    free(out);
    /* Not compressed: left alone. */
    EXPECT(xen_decompress(im.buf, im.len, 1 << 20, &out, &out_len) == 0 && !out);
    /* Only gzip: kernels and modules are gunzipped as Xen does, nothing more. */
    EXPECT(xen_decompress("\xfd" "7zXZ\0 an xz stream", 19, 1 << 20, &out,
                          &out_len) == 0 && !out);
    /* Truncated and oversized streams are errors. */
    EXPECT(xen_decompress(gz, zs.total_out - 20, 1 << 20, &out, &out_len) ==
           -EINVAL);
    EXPECT(xen_decompress(gz, zs.total_out, 64, &out, &out_len) == -EFBIG);
}

static void start_info(void)
{
    struct pvh_module mod = {"initrd-bytes", 12, "mod cmdline"};
    struct pvh_layout_in in = {
        .mem_bytes = GUEST_MEM,
        .kernel_end = 0x101234,
        .cmdline = "console=hvc0",
        .modules = &mod,
        .nr_modules = 1,
    };
    struct hvm_start_info si;
    struct hvm_modlist_entry me;
    struct hvm_memmap_table_entry mm;
    uint64_t addr;
    char err[128];

    memset(guest, 0, sizeof(guest));
    EXPECT(pvh_build_start_info(&in, map, NULL, &addr, err, sizeof(err)) == 0);
    memcpy(&si, guest + addr, sizeof(si));
    EXPECT(si.magic == XEN_HVM_START_MAGIC_VALUE && si.version == 1);
    EXPECT(si.nr_modules == 1 && si.memmap_entries == 1);
    EXPECT(!strcmp((char *)guest + si.cmdline_paddr, "console=hvc0"));
    memcpy(&me, guest + si.modlist_paddr, sizeof(me));
    EXPECT(me.paddr == 0x102000 && me.size == 12);
    EXPECT(!memcmp(guest + me.paddr, "initrd-bytes", 12));
    EXPECT(!strcmp((char *)guest + me.cmdline_paddr, "mod cmdline"));
    memcpy(&mm, guest + si.memmap_paddr, sizeof(mm));
    EXPECT(mm.addr == 0 && mm.size == GUEST_MEM &&
           mm.type == XEN_HVM_MEMMAP_TYPE_RAM);
    EXPECT(addr > me.paddr && addr % 4096 == 0);

    in.mem_bytes = 0x101000; /* no room after the kernel */
    EXPECT(pvh_build_start_info(&in, map, NULL, &addr, err, sizeof(err)) ==
           -ENOMEM);
}

/* ACPI tables in their pages in the MMIO hole, marked ACPI. */
static void start_info_acpi(void)
{
    struct pvh_layout_in in = {
        .mem_bytes = GUEST_MEM,
        .kernel_end = 0x101234,
        .nr_vcpus = 2,
        .hvm_platform = true,
    };
    struct hvm_start_info si;
    struct hvm_memmap_table_entry mm[2];
    uint64_t addr;
    char err[128];

    memset(guest, 0, sizeof(guest));
    EXPECT(pvh_build_start_info(&in, map, NULL, &addr, err, sizeof(err)) == 0);
    memcpy(&si, guest + addr, sizeof(si));
    EXPECT(si.rsdp_paddr == PVH_ACPI_ADDR);
    EXPECT(!memcmp(acpi_pages, "RSD PTR ", 8));
    EXPECT(si.memmap_entries == 2);
    memcpy(mm, guest + si.memmap_paddr, sizeof(mm));
    EXPECT(mm[0].addr == 0 && mm[0].size == GUEST_MEM &&
           mm[0].type == XEN_HVM_MEMMAP_TYPE_RAM);
    EXPECT(mm[1].addr == PVH_ACPI_ADDR && mm[1].size == PVH_ACPI_SIZE &&
           mm[1].type == XEN_HVM_MEMMAP_TYPE_ACPI);

    /* Without vCPUs there are no tables; too many is an error. */
    in.nr_vcpus = 0;
    EXPECT(pvh_build_start_info(&in, map, NULL, &addr, err, sizeof(err)) == 0);
    memcpy(&si, guest + addr, sizeof(si));
    EXPECT(si.rsdp_paddr == 0 && si.memmap_entries == 1);
    in.nr_vcpus = 129;
    EXPECT(pvh_build_start_info(&in, map, NULL, &addr, err, sizeof(err)) ==
           -E2BIG);
    /* The builder did not populate the tables' pages. */
    in.nr_vcpus = 1;
    EXPECT(pvh_build_start_info(&in, map, &in, &addr, err, sizeof(err)) ==
           -EFAULT);
}

int main(void)
{
    struct image im;

    make_elf64(&im, 0x100010);
    load_ok(&im, 0x100000, 0x100010);
    make_elf32(&im, 0x200004);
    load_ok(&im, 0x200000, 0x200004);
    hostile();
    gzip_images();
    start_info();
    start_info_acpi();
    UNIT_DONE("libelf");
}
