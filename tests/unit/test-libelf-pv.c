/*
 * The PV loader: Xen ELF notes of every kind (PT_NOTE, SHT_NOTE, the
 * legacy __xen_guest section), Xen's checks, bzImages around payloads
 * compressed by the real gzip/xz/lzma/zstd/lz4 libraries, hostile
 * inputs, and the PV start-of-day layout, checked by walking the page
 * tables it wrote.
 *
 * With "--kernel FILE" it checks a real kernel instead (libelf-debian.sh):
 * unpack, notes, and a 256 MiB domain with a 4 MiB initrd.
 */
#include <elf.h>
#include <errno.h>
#include <lz4.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include <public/elfnote.h>
#include <public/xen.h>
#include <xen/libelf.h>

#include "unit.h"

#define PG 4096ULL
#define VIRT_BASE 0xffffffff80000000ULL
#define KPADDR 0x200000ULL /* where the test kernel's PT_LOAD goes */
#define KFILESZ 0x2000
#define KMEMSZ 0x5000
#define P2M_BASE 0x8000000000ULL

/* ---- guest memory: pfn-addressed, with an optional mfn offset ---- */

static uint8_t *guest;
static uint64_t guest_bytes;
static uint64_t mfn_delta; /* mfn = pfn + mfn_delta */

static void *map(void *ctx, uint64_t paddr, size_t len)
{
    (void)ctx;
    if (paddr > guest_bytes || len > guest_bytes - paddr)
        return NULL;
    return guest + paddr;
}

static uint64_t to_mfn(void *ctx, uint64_t pfn)
{
    (void)ctx;
    return pfn + mfn_delta;
}

static void guest_alloc(uint64_t bytes)
{
    free(guest);
    guest = malloc(bytes);
    guest_bytes = bytes;
    /* Garbage, so that whatever the layout relies on being zero it zeroes. */
    memset(guest, 0xa5, bytes);
}

/* ---- synthetic ELF images ---- */

enum { NUM, STR, ASCII }; /* ASCII: a string note without its NUL */

struct tnote {
    uint32_t type;
    int kind;
    uint64_t num;
    unsigned int size; /* NUM: 1, 2, 4, 8, or anything */
    const char *str;
};

/* What a 64-bit Linux kernel of today carries (cf. readelf -n vmlinux). */
static const struct tnote linux_notes[] = {
    {XEN_ELFNOTE_GUEST_OS, STR, 0, 0, "linux"},
    {XEN_ELFNOTE_GUEST_VERSION, STR, 0, 0, "2.6"},
    {XEN_ELFNOTE_XEN_VERSION, STR, 0, 0, "xen-3.0"},
    {XEN_ELFNOTE_VIRT_BASE, NUM, VIRT_BASE, 8, NULL},
    {XEN_ELFNOTE_INIT_P2M, NUM, P2M_BASE, 8, NULL},
    {XEN_ELFNOTE_ENTRY, NUM, VIRT_BASE + KPADDR + 0x10, 8, NULL},
    {XEN_ELFNOTE_HYPERCALL_PAGE, NUM, VIRT_BASE + KPADDR + 0x1000, 8, NULL},
    {XEN_ELFNOTE_FEATURES, ASCII, 0, 0,
     "!writable_page_tables|pae_pgdir_above_4gb"},
    {XEN_ELFNOTE_SUPPORTED_FEATURES, NUM, 0x8801, 4, NULL},
    {XEN_ELFNOTE_PAE_MODE, STR, 0, 0, "yes"},
    {XEN_ELFNOTE_LOADER, STR, 0, 0, "generic"},
    {XEN_ELFNOTE_L1_MFN_VALID, NUM, 1, 16, NULL},
    {XEN_ELFNOTE_SUSPEND_CANCEL, NUM, 1, 4, NULL},
    {XEN_ELFNOTE_MOD_START_PFN, NUM, 1, 4, NULL},
    {XEN_ELFNOTE_HV_START_LOW, NUM, 0xffff800000000000ULL, 8, NULL},
    {XEN_ELFNOTE_PADDR_OFFSET, NUM, 0, 8, NULL},
    {XEN_ELFNOTE_PHYS32_ENTRY, NUM, KPADDR + 0x20, 4, NULL},
};
#define NR_LINUX_NOTES (sizeof(linux_notes) / sizeof(linux_notes[0]))

struct image {
    uint8_t buf[64 << 10];
    size_t len;
};

static size_t put_note(uint8_t *p, const struct tnote *n)
{
    uint32_t hdr[3] = {4, 0, n->type};
    size_t descsz =
        n->kind == NUM ? n->size : strlen(n->str) + (n->kind == STR);

    hdr[1] = (uint32_t)descsz;
    memcpy(p, hdr, 12);
    memcpy(p + 12, "Xen", 4);
    if (n->kind == NUM)
        memcpy(p + 16, &n->num, n->size < 8 ? n->size : 8);
    else
        memcpy(p + 16, n->str, descsz);
    return 16 + ((descsz + 3) & ~3ULL);
}

/* Where the notes go: a PT_NOTE segment, SHT_NOTE sections only, or none. */
enum { IN_SEGMENT, IN_SECTION, NO_NOTES };

/*
 * ELF64 header, PT_LOAD of KFILESZ bytes (a pattern) + bss at paddr,
 * PT_NOTE, then optional section headers (.shstrtab, .notes or
 * __xen_guest). vaddr = paddr + VIRT_BASE as Linux links.
 */
static void make_image(struct image *im, const struct tnote *notes,
                       unsigned int nr, int where, const char *guest_info,
                       uint64_t paddr)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)im->buf;
    Elf64_Phdr *ph = (Elf64_Phdr *)(im->buf + sizeof(*eh));
    size_t code = 0x1000, note_off = code + KFILESZ, note_len = 0;
    size_t off;

    memset(im, 0, sizeof(*im));
    elf64_exec_header(eh, paddr, where == IN_SEGMENT ? 2 : 1);
    for (unsigned int i = 0; i < KFILESZ; i++)
        im->buf[code + i] = (uint8_t)(i * 7 + 1);
    for (unsigned int i = 0; i < nr; i++)
        note_len += put_note(im->buf + note_off + note_len, &notes[i]);
    ph[0] = (Elf64_Phdr){.p_type = PT_LOAD,
                         .p_offset = code,
                         .p_vaddr = paddr + VIRT_BASE,
                         .p_paddr = paddr,
                         .p_filesz = KFILESZ,
                         .p_memsz = KMEMSZ};
    ph[1] = (Elf64_Phdr){
        .p_type = PT_NOTE, .p_offset = note_off, .p_filesz = note_len};
    off = note_off + note_len;
    if (where != IN_SEGMENT || guest_info) {
        static const char strtab[] = "\0.shstrtab\0.notes\0__xen_guest";
        Elf64_Shdr sh[4] = {{0}};
        size_t str_off = off, info_off = str_off + sizeof(strtab);
        size_t info_len = guest_info ? strlen(guest_info) + 1 : 0;

        memcpy(im->buf + str_off, strtab, sizeof(strtab));
        if (guest_info)
            memcpy(im->buf + info_off, guest_info, info_len);
        off = (info_off + info_len + 7) & ~7ULL;
        sh[1] = (Elf64_Shdr){.sh_name = 1,
                             .sh_type = SHT_STRTAB,
                             .sh_offset = str_off,
                             .sh_size = sizeof(strtab)};
        sh[2] = (Elf64_Shdr){.sh_name = 11,
                             .sh_type = SHT_NOTE,
                             .sh_offset = note_off,
                             .sh_size = note_len};
        sh[3] = (Elf64_Shdr){.sh_name = 18,
                             .sh_type = SHT_PROGBITS,
                             .sh_offset = info_off,
                             .sh_size = info_len};
        memcpy(im->buf + off, sh, sizeof(sh));
        eh->e_shoff = off;
        eh->e_shentsize = sizeof(Elf64_Shdr);
        eh->e_shnum = where == NO_NOTES && !guest_info ? 2 : 4;
        if (where == NO_NOTES)
            sh[2].sh_type = SHT_PROGBITS;
        memcpy(im->buf + off, sh, sizeof(sh));
        eh->e_shstrndx = 1;
        off += sizeof(sh);
    }
    im->len = off;
}

static void linux_image(struct image *im)
{
    make_image(im, linux_notes, NR_LINUX_NOTES, IN_SEGMENT, NULL, KPADDR);
}

/* Parse and check; the return value of the first step that fails. */
static int parse(struct image *im, struct elf_binary *elf,
                 struct elf_dom_parms *p, uint32_t offered)
{
    int rc = elf_init(elf, im->buf, im->len);

    if (!rc)
        rc = elf_parse_dom_parms(elf, p);
    if (!rc)
        rc = elf_check_pv(elf, p, offered);
    return rc;
}

/* Linux's notes with one replaced (by type) or dropped (kind < 0). */
static void variant(struct image *im, struct tnote change)
{
    struct tnote notes[NR_LINUX_NOTES];
    unsigned int n = 0;

    for (unsigned int i = 0; i < NR_LINUX_NOTES; i++) {
        if (linux_notes[i].type != change.type)
            notes[n++] = linux_notes[i];
        else if (change.kind >= 0)
            notes[n++] = change;
    }
    make_image(im, notes, n, IN_SEGMENT, NULL, KPADDR);
}

/* Linux's notes for a kernel linked at virtual base vb. */
static void image_at(struct image *im, uint64_t vb)
{
    struct tnote notes[NR_LINUX_NOTES];

    memcpy(notes, linux_notes, sizeof(notes));
    for (unsigned int i = 0; i < NR_LINUX_NOTES; i++)
        if (notes[i].type == XEN_ELFNOTE_VIRT_BASE ||
            notes[i].type == XEN_ELFNOTE_ENTRY ||
            notes[i].type == XEN_ELFNOTE_HYPERCALL_PAGE)
            notes[i].num += vb - VIRT_BASE;
    make_image(im, notes, NR_LINUX_NOTES, IN_SEGMENT, NULL, KPADDR);
}

static void notes_all_kinds(void)
{
    struct image im;
    struct elf_binary elf;
    struct elf_dom_parms p;

    linux_image(&im);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    for (unsigned int i = 0; i < NR_LINUX_NOTES; i++)
        EXPECT(p.notes_seen & (1u << linux_notes[i].type));
    EXPECT(!strcmp(p.guest_os, "linux") && !strcmp(p.guest_ver, "2.6"));
    EXPECT(!strcmp(p.xen_ver, "xen-3.0") && !strcmp(p.loader, "generic"));
    EXPECT(p.virt_base == VIRT_BASE && p.p2m_base == P2M_BASE);
    EXPECT(p.virt_entry == VIRT_BASE + KPADDR + 0x10);
    EXPECT(p.virt_hypercall == VIRT_BASE + KPADDR + 0x1000);
    EXPECT(p.virt_hv_start_low == 0xffff800000000000ULL);
    EXPECT(p.elf_paddr_offset == 0 && p.pae == XEN_PAE_EXTCR3);
    EXPECT(p.unmapped_initrd && p.suspend_cancel && !p.bsd_symtab);
    EXPECT(p.has_phys32_entry && p.phys32_entry == KPADDR + 0x20);
    /* FEATURES (no NUL in the note) and SUPPORTED_FEATURES together. */
    EXPECT(p.f_required[0] == 1u << XENFEAT_writable_page_tables);
    EXPECT(p.f_supported[0] == (0x8801u | 1u << XENFEAT_pae_pgdir_above_4gb));
    EXPECT(!p.guest_info);
    EXPECT(p.virt_kstart == VIRT_BASE + KPADDR &&
           p.virt_kend == VIRT_BASE + KPADDR + KMEMSZ);

    /* Numeric notes of 1, 2 and 4 bytes; other sizes read as 0. */
    variant(&im, (struct tnote){XEN_ELFNOTE_SUSPEND_CANCEL, NUM, 1, 1, NULL});
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0 && p.suspend_cancel);
    variant(&im,
            (struct tnote){XEN_ELFNOTE_MOD_START_PFN, NUM, 0x100, 2, NULL});
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0 &&
           p.unmapped_initrd);
    variant(&im, (struct tnote){XEN_ELFNOTE_MOD_START_PFN, NUM, 1, 3, NULL});
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0 &&
           !p.unmapped_initrd);
    variant(&im, (struct tnote){XEN_ELFNOTE_PAE_MODE, STR, 0, 0, "bimodal"});
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0 &&
           p.pae == XEN_PAE_BIMODAL);

    /* The same notes from SHT_NOTE sections when there is no PT_NOTE. */
    make_image(&im, linux_notes, NR_LINUX_NOTES, IN_SECTION, NULL, KPADDR);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    EXPECT(p.virt_base == VIRT_BASE && p.unmapped_initrd && !p.guest_info);
}

static void legacy_guest_info(void)
{
    struct image im;
    struct elf_binary elf;
    struct elf_dom_parms p;

    /* Old kernels: physical addresses are virtual ones. */
    make_image(&im, NULL, 0, NO_NOTES,
               "GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
               "VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x201,"
               "LOADER=generic,PAE=yes[extended-cr3],"
               "FEATURES=writable_page_tables|!pae_pgdir_above_4gb",
               VIRT_BASE + KPADDR);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    EXPECT(p.guest_info && !p.notes_seen);
    EXPECT(!strcmp(p.guest_os, "linux") && !strcmp(p.xen_ver, "xen-3.0"));
    EXPECT(p.virt_base == VIRT_BASE && p.pae == XEN_PAE_EXTCR3);
    /* ELF_PADDR_OFFSET defaults to VIRT_BASE for the legacy section. */
    EXPECT(p.elf_paddr_offset == VIRT_BASE);
    EXPECT(p.virt_kstart == VIRT_BASE + KPADDR);
    EXPECT(p.virt_hypercall == VIRT_BASE + 0x201000);
    EXPECT(p.virt_entry == VIRT_BASE + KPADDR); /* e_entry */
    EXPECT(p.f_required[0] == 1u << XENFEAT_pae_pgdir_above_4gb);
    EXPECT(p.f_supported[0] == (1u << XENFEAT_pae_pgdir_above_4gb |
                                1u << XENFEAT_writable_page_tables));

    make_image(
        &im, NULL, 0, NO_NOTES,
        "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000,"
        "ELF_PADDR_OFFSET=0xffffffff80000000,VIRT_ENTRY=0xffffffff80200008,"
        "FEATURES=!supervisor_mode_kernel",
        VIRT_BASE + KPADDR);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == -EINVAL);
    EXPECT(strstr(elf.err, "supervisor_mode_kernel") != NULL);
    EXPECT(p.virt_entry == VIRT_BASE + KPADDR + 8);

    /* An unterminated section is read within its bounds. */
    make_image(&im, NULL, 0, NO_NOTES, "GUEST_OS=linux,XEN_VER=xen-3.0",
               KPADDR);
    {
        uint8_t *nul = memmem(im.buf, im.len, "xen-3.0", 8);

        EXPECT(nul != NULL);
        if (nul)
            nul[7] = 'X';
    }
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    if (elf.err[0])
        printf("  %s\n", elf.err);
    EXPECT(!strcmp(p.xen_ver, "xen-3.0X"));
}

/* elf_check_pv's refusals, each with a message saying why. */
static void expect_refused(struct tnote change, const char *why)
{
    struct image im;
    struct elf_binary elf;
    struct elf_dom_parms p;

    variant(&im, change);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == -EINVAL);
    if (!strstr(elf.err, why))
        printf("FAIL note %u: \"%s\" lacks \"%s\"\n", change.type, elf.err,
               why),
            failures++;
}

static void notes_refused(void)
{
    struct image im;
    struct elf_binary elf;
    struct elf_dom_parms p;
    Elf64_Ehdr *eh = (Elf64_Ehdr *)im.buf;

    make_image(&im, NULL, 0, NO_NOTES, NULL, KPADDR);
    EXPECT(parse(&im, &elf, &p, ~0u) == -EINVAL);
    EXPECT(strstr(elf.err, "no Xen PV ELF notes") != NULL);

    expect_refused((struct tnote){.type = XEN_ELFNOTE_XEN_VERSION, .kind = -1},
                   "Xen v3.0");
    expect_refused(
        (struct tnote){XEN_ELFNOTE_XEN_VERSION, STR, 0, 0, "xen-4.0"},
        "'xen-4.0'");
    /* Neither the generic loader nor Linux. */
    {
        struct tnote notes[NR_LINUX_NOTES];

        memcpy(notes, linux_notes, sizeof(notes));
        notes[0].str = "netbsd";
        notes[10].str = "special";
        make_image(&im, notes, NR_LINUX_NOTES, IN_SEGMENT, NULL, KPADDR);
        EXPECT(parse(&im, &elf, &p, ~0u) == -EINVAL);
        EXPECT(strstr(elf.err, "'special' and 'netbsd'") != NULL);
    }
    /* PADDR_OFFSET without VIRT_BASE contradicts itself. */
    expect_refused((struct tnote){.type = XEN_ELFNOTE_VIRT_BASE, .kind = -1},
                   "PADDR_OFFSET is set but VIRT_BASE is not");
    expect_refused(
        (struct tnote){XEN_ELFNOTE_PADDR_OFFSET, NUM, KPADDR + PG, 8, NULL},
        "below VIRT_BASE");
    expect_refused(
        (struct tnote){XEN_ELFNOTE_ENTRY, NUM, VIRT_BASE + 0x100, 8, NULL},
        "entry 0xffffffff80000100 is outside the kernel");
    expect_refused((struct tnote){XEN_ELFNOTE_INIT_P2M, NUM,
                                  VIRT_BASE + KPADDR + 0x1000, 8, NULL},
                   "INIT_P2M");
    expect_refused((struct tnote){XEN_ELFNOTE_HYPERCALL_PAGE, NUM,
                                  VIRT_BASE + KPADDR + KMEMSZ, 8, NULL},
                   "HYPERCALL_PAGE");
    expect_refused((struct tnote){XEN_ELFNOTE_HV_START_LOW, NUM,
                                  0xffff800000000001ULL, 8, NULL},
                   "expects the hypervisor at 0xffff800000000001");
    image_at(&im, 0xffff800000000000ULL);
    EXPECT(parse(&im, &elf, &p, ~0u) == -EINVAL);
    EXPECT(strstr(elf.err, "hypervisor's range") != NULL);
    image_at(&im, 0x0000800000000000ULL - KPADDR - PG);
    EXPECT(parse(&im, &elf, &p, ~0u) == -EINVAL);
    EXPECT(strstr(elf.err, "not canonical") != NULL);
    /* A required feature with no name, and ones we do not offer. */
    expect_refused((struct tnote){XEN_ELFNOTE_FEATURES, ASCII, 0, 0,
                                  "pae_pgdir_above_4gb|!no_such_feature"},
                   "unknown feature 'no_such_feature'");
    expect_refused((struct tnote){XEN_ELFNOTE_FEATURES, STR, 0, 0,
                                  "!dom0|!writable_page_tables|"
                                  "!auto_translated_physmap"},
                   "not offered: auto_translated_physmap, dom0");
    /* An unknown optional feature is fine. */
    variant(&im, (struct tnote){XEN_ELFNOTE_FEATURES, STR, 0, 0,
                                "some_new_feature|!writable_page_tables"});
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    EXPECT(p.f_supported[0] == (0x8801u | 1u << XENFEAT_writable_page_tables));

    /* 32-bit PV kernels are not ours to run. */
    linux_image(&im);
    eh->e_machine = EM_386;
    EXPECT(parse(&im, &elf, &p, ~0u) == -EINVAL);
    EXPECT(strstr(elf.err, "64-bit") != NULL);

    /* Hostile note headers: a huge descsz ends the walk, nothing breaks. */
    linux_image(&im);
    memcpy(im.buf + 0x1000 + KFILESZ + 4, "\xf0\xff\xff\xff", 4);
    EXPECT(elf_init(&elf, im.buf, im.len) == 0);
    EXPECT(elf_parse_dom_parms(&elf, &p) == 0 && !p.notes_seen);
    linux_image(&im);
    EXPECT(elf_init(&elf, im.buf, im.len - 3) == 0);
    EXPECT(elf_parse_dom_parms(&elf, &p) ==
           0); /* the PT_NOTE runs past the end */
}

/* ---- compressed images and bzImages ---- */

struct blob {
    uint8_t *p;
    size_t len;
};

static struct blob gzip_of(const void *in, size_t len)
{
    struct blob b = {malloc(compressBound(len) + 64), 0};
    z_stream zs = {0};

    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = (uint8_t *)in;
    zs.avail_in = len;
    zs.next_out = b.p;
    zs.avail_out = compressBound(len) + 64;
    EXPECT(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    b.len = zs.total_out;
    deflateEnd(&zs);
    return b;
}

/* As Linux's kernel xz: CRC32, the x86 BCJ filter, LZMA2. */
static struct blob xz_of(const void *in, size_t len)
{
    lzma_options_lzma opt;
    lzma_filter filters[3] = {
        {LZMA_FILTER_X86, NULL},
        {LZMA_FILTER_LZMA2, &opt},
        {LZMA_VLI_UNKNOWN, NULL},
    };
    struct blob b = {malloc(lzma_stream_buffer_bound(len)), 0};

    lzma_lzma_preset(&opt, 6);
    EXPECT(lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, in, len,
                                     b.p, &b.len,
                                     lzma_stream_buffer_bound(len)) == LZMA_OK);
    return b;
}

static struct blob lzma_of(const void *in, size_t len)
{
    lzma_options_lzma opt;
    lzma_stream s = LZMA_STREAM_INIT;
    size_t cap = len + len / 2 + 4096;
    struct blob b = {malloc(cap), 0};

    lzma_lzma_preset(&opt, 6);
    EXPECT(lzma_alone_encoder(&s, &opt) == LZMA_OK);
    s.next_in = in;
    s.avail_in = len;
    s.next_out = b.p;
    s.avail_out = cap;
    EXPECT(lzma_code(&s, LZMA_FINISH) == LZMA_STREAM_END);
    b.len = s.total_out;
    lzma_end(&s);
    return b;
}

/* With the content checksum, as the zstd tool writes by default. */
static struct blob zstd_of(const void *in, size_t len)
{
    struct blob b = {malloc(ZSTD_compressBound(len)), 0};
    ZSTD_CCtx *cc = ZSTD_createCCtx();

    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 19);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    b.len = ZSTD_compress2(cc, b.p, ZSTD_compressBound(len), in, len);
    EXPECT(!ZSTD_isError(b.len));
    ZSTD_freeCCtx(cc);
    return b;
}

/* lz4's legacy format: the magic, then 8 MiB blocks, each length-prefixed. */
static struct blob lz4_of(const void *in, size_t len)
{
    const size_t block = 8u << 20;
    size_t cap = 4 + (len / block + 1) * (4 + LZ4_compressBound(block));
    struct blob b = {malloc(cap), 4};

    memcpy(b.p, "\x02\x21\x4c\x18", 4);
    for (size_t off = 0; off < len; off += block) {
        size_t n = len - off < block ? len - off : block;
        int c = LZ4_compress_default((const char *)in + off,
                                     (char *)b.p + b.len + 4, (int)n,
                                     LZ4_compressBound(block));
        uint32_t c32 = (uint32_t)c;

        EXPECT(c > 0);
        memcpy(b.p + b.len, &c32, 4);
        b.len += 4 + c;
    }
    return b;
}

/*
 * A bzImage around payload: setup_sects sectors of setup after the boot
 * sector, the payload payload_offset bytes into the protected-mode part,
 * followed (as Linux does) by the 32-bit uncompressed size.
 */
static struct blob bzimage_of(const struct blob *payload, uint32_t usize,
                              uint8_t setup_sects, uint16_t version)
{
    size_t pm = ((setup_sects ? setup_sects : 4) + 1) * 512, poff = 0x3c0;
    struct blob b = {calloc(1, pm + poff + payload->len + 4), 0};
    uint32_t plen = payload->len + 4;

    b.len = pm + poff + payload->len + 4;
    b.p[0x1f1] = setup_sects;
    memcpy(b.p + 0x202, "HdrS", 4);
    memcpy(b.p + 0x206, &version, 2);
    memcpy(b.p + 0x248, &(uint32_t){poff}, 4);
    memcpy(b.p + 0x24c, &plen, 4);
    memcpy(b.p + pm + poff, payload->p, payload->len);
    memcpy(b.p + pm + poff + payload->len, &usize, 4);
    return b;
}

static void unpacks_to(const struct blob *file, const void *want,
                       size_t want_len)
{
    void *out;
    size_t out_len;
    char err[200] = "";
    int rc = xen_kernel_unpack(file->p, file->len, 64 << 20, &out, &out_len,
                               err, sizeof(err));

    EXPECT(rc == 0);
    if (rc)
        printf("  unpack: %s\n", err);
    EXPECT(out && out_len == want_len && !memcmp(out, want, want_len));
    free(out);
}

static void unpack_fails(const struct blob *file, size_t max, int want_rc,
                         const char *why)
{
    void *out = (void *)1;
    size_t out_len;
    char err[200] = "";
    int rc = xen_kernel_unpack(file->p, file->len, max, &out, &out_len, err,
                               sizeof(err));

    EXPECT(rc == want_rc && !out);
    if (!strstr(err, why))
        printf("FAIL: \"%s\" lacks \"%s\"\n", err, why), failures++;
}

static void bzimages(void)
{
    static struct image im;
    struct blob (*const compress[])(const void *, size_t) = {
        gzip_of, xz_of, lzma_of, zstd_of, lz4_of,
    };
    static const char *const names[] = {"gzip", "xz", "lzma", "zstd", "lz4"};
    size_t bomb_len = 40u << 20;
    uint8_t *zeros = calloc(1, bomb_len);

    linux_image(&im);
    for (unsigned int i = 0; i < 5; i++) {
        struct blob c = compress[i](im.buf, im.len);
        struct blob bz = bzimage_of(&c, im.len, i, 0x20f);
        struct blob cut = {c.p, c.len - 9};
        struct blob bad;
        enum xen_compression kind = xen_compression_of(c.p, c.len);

        EXPECT(!strcmp(xen_compression_name(kind), names[i]));
        unpacks_to(&bz, im.buf, im.len);
        unpacks_to(&c, im.buf, im.len); /* a bare compressed ELF too */
        free(bz.p);

        /* Truncated: the stream ends early. */
        bz = bzimage_of(&cut, im.len, 1, 0x20f);
        unpack_fails(&bz, 64 << 20, -EINVAL, "corrupt or truncated");
        free(bz.p);

        /* Corrupt: the headers after the magic overwritten ... */
        bad.p = malloc(c.len);
        bad.len = c.len;
        memcpy(bad.p, c.p, c.len);
        memset(bad.p + 6, 0xff, 16);
        bz = bzimage_of(&bad, im.len, 1, 0x20f);
        unpack_fails(&bz, 64 << 20, -EINVAL, "corrupt or truncated");
        free(bz.p);
        /* ... or the data, where the format has a checksum. */
        if (kind == XEN_COMP_GZIP || kind == XEN_COMP_XZ ||
            kind == XEN_COMP_ZSTD) {
            memcpy(bad.p, c.p, c.len);
            memset(bad.p + c.len / 2 - 8, 0xff, 16);
            bz = bzimage_of(&bad, im.len, 1, 0x20f);
            unpack_fails(&bz, 64 << 20, -EINVAL, "corrupt or truncated");
            free(bz.p);
        }
        free(bad.p);
        free(c.p);

        /* A bomb: 40 MiB of zeros allowed 16 MiB. */
        c = compress[i](zeros, bomb_len);
        EXPECT(c.len < (1u << 20));
        bz = bzimage_of(&c, bomb_len, 1, 0x20f);
        unpack_fails(&bz, 16 << 20, -EFBIG, "decompresses to more than");
        free(bz.p);
        free(c.p);
    }
    free(zeros);

    {
        struct blob raw = {im.buf, im.len}, bz;
        struct blob bzip2 = {(uint8_t *)"BZh91AY&SY0000000000", 20};
        void *out;
        size_t out_len;
        char err[200];

        /* Not compressed: left to the ELF loader. */
        EXPECT(xen_kernel_unpack(raw.p, raw.len, 1 << 20, &out, &out_len, err,
                                 sizeof(err)) == 0 &&
               !out);
        bz = bzimage_of(&raw, im.len, 1, 0x20f);
        unpack_fails(&bz, 64 << 20, -EINVAL,
                     "not compressed in a known format");
        free(bz.p);
        bz = bzimage_of(&bzip2, 100, 1, 0x20f);
        unpack_fails(&bz, 64 << 20, -EOPNOTSUPP, "bzip2-compressed");
        free(bz.p);
        /* Boot protocol 2.07 does not say where the payload is. */
        bz = bzimage_of(&raw, im.len, 1, 0x207);
        unpack_fails(&bz, 64 << 20, -EINVAL, "older than 2.08");
        /* A payload reaching past the file. */
        memcpy(bz.p + 0x206, "\x0f\x02", 2);
        memcpy(bz.p + 0x24c, "\x00\x00\x10\x00", 4);
        unpack_fails(&bz, 64 << 20, -EINVAL, "outside the");
        memcpy(bz.p + 0x248, "\xff\xff\xff\xff", 4);
        unpack_fails(&bz, 64 << 20, -EINVAL, "outside the");
        free(bz.p);
        /* A payload that is no ELF. */
        struct blob txt = gzip_of("plain text, no kernel", 21);
        bz = bzimage_of(&txt, 21, 1, 0x20f);
        unpack_fails(&bz, 64 << 20, -EINVAL, "not an ELF image");
        free(bz.p);
        free(txt.p);
    }
    /* An lzma header asking for a 4 GiB dictionary: refused, not allocated. */
    {
        struct blob c = lzma_of(im.buf, im.len), bz;

        c.p[4] = 0xff;
        bz = bzimage_of(&c, im.len, 1, 0x20f);
        unpack_fails(&bz, 64 << 20, -E2BIG, "needs more than 128 MiB");
        free(bz.p);
        free(c.p);
    }
    /* Garbage after the lz4 magic, and a torn block length. */
    {
        struct blob b = {(uint8_t *)"\x02\x21\x4c\x18\xff\xff\xff\x7f\x00", 9};
        struct blob torn = {(uint8_t *)"\x02\x21\x4c\x18\x01\x00", 6};
        void *out;
        size_t out_len;

        EXPECT(xen_decompress_as(XEN_COMP_LZ4, b.p, b.len, 1 << 20, &out,
                                 &out_len) == -EINVAL);
        EXPECT(xen_decompress_as(XEN_COMP_LZ4, torn.p, torn.len, 1 << 20, &out,
                                 &out_len) == -EINVAL);
        EXPECT(xen_decompress_as(XEN_COMP_LZ4, b.p, 3, 1 << 20, &out,
                                 &out_len) == -EINVAL);
    }
}

/* ---- the layout, checked by walking its page tables ---- */

#define PTE_ADDR 0x000ffffffffff000ULL
#define UPPER_FLAGS 0x067ULL /* P RW U A D */

/* Read a guest frame by machine address. */
static uint64_t *frame_of_mfn(uint64_t mfn)
{
    uint64_t pfn = mfn - mfn_delta;

    return pfn < guest_bytes / PG ? (uint64_t *)(guest + pfn * PG) : NULL;
}

/*
 * Walk va from cr3: 0 and the L1 entry if mapped, -1 if a level is not
 * present, -2 if an upper entry has other flags than Xen's or points
 * outside the guest.
 */
static int walk(uint64_t cr3, uint64_t va, uint64_t *pte)
{
    uint64_t *t = frame_of_mfn(cr3 >> 12);

    for (int l = 3; l >= 0; l--) {
        uint64_t e;

        if (!t)
            return -2;
        e = t[(va >> (12 + 9 * l)) & 511];
        if (!(e & 1))
            return -1;
        if (!l) {
            *pte = e;
            return 0;
        }
        if ((e & ~PTE_ADDR) != UPPER_FLAGS)
            return -2;
        t = frame_of_mfn((e & PTE_ADDR) >> 12);
    }
    return -2;
}

/* Count present L1 entries and tables reachable from the L4. */
static void count_tree(uint64_t mfn, int level, uint64_t *pages,
                       uint64_t *tables)
{
    uint64_t *t = frame_of_mfn(mfn);

    (*tables)++;
    if (!t)
        return;
    for (int i = 0; i < 512; i++) {
        if (!(t[i] & 1))
            continue;
        if (level)
            count_tree((t[i] & PTE_ADDR) >> 12, level - 1, pages, tables);
        else
            (*pages)++;
    }
}

/* Tables of one level a range [start, end) needs. */
static uint64_t slots(uint64_t start, uint64_t end, unsigned int bits)
{
    start &= (1ULL << 48) - 1;
    end = (end - 1) & ((1ULL << 48) - 1);
    return (end >> bits) - (start >> bits) + 1;
}

static bool within(const struct pv_seg *s, uint64_t pfn)
{
    return pfn >= s->pfn && pfn < s->pfn + s->pages;
}

/*
 * Every invariant of a built layout: the mapping, its flags, start_info,
 * p2m, initrd; as many checks as pages, so a failure is counted once.
 */
static int check_layout(const struct elf_dom_parms *p,
                        const struct pv_layout *o, const void *initrd,
                        size_t initrd_size, const char *cmdline, uint32_t flags)
{
    const uint64_t vb = p->virt_base;
    const start_info_t *si = (const void *)(guest + o->start_info.pfn * PG);
    uint64_t pages = 0, tables = 0, pte, expect_tables, p2m_pages;
    const uint64_t *p2m;
    int bad = 0;

#define CHECK(c)                                                               \
    do {                                                                       \
        if (!(c)) {                                                            \
            printf("FAIL layout line %d: %s\n", __LINE__, #c);                 \
            bad++;                                                             \
        }                                                                      \
    } while (0)

    /* Xen's order, each segment right after the one before. */
    CHECK(o->kernel.pfn == (p->virt_kstart - vb) / PG);
    CHECK(o->kernel.vstart == p->virt_kstart);
    CHECK(o->start_info.pages == 1 && o->xenstore.pages == 1 &&
          o->console.pages == 1 && o->bootstack.pages == 1);
    CHECK(o->xenstore.pfn == o->start_info.pfn + 1);
    CHECK(o->console.pfn == o->xenstore.pfn + 1);
    CHECK(o->pgtables.pfn == o->console.pfn + 1);
    CHECK(o->bootstack.pfn == o->pgtables.pfn + o->pgtables.pages);
    CHECK(o->pgtables.pages == o->nr_pt_frames);
    /* The mapping ends on 4 MiB with at least 512 KiB spare, and no later. */
    CHECK(o->virt_pgtab_end % (4 << 20) == 0);
    CHECK(o->virt_pgtab_end - o->bootstack.vend >= 512 << 10);
    CHECK(o->virt_pgtab_end - o->bootstack.vend < (512 << 10) + (4 << 20));
    CHECK((o->virt_pgtab_end - vb) / PG <= o->nr_pages);
    expect_tables = 1 + slots(vb, o->virt_pgtab_end, 39) +
                    slots(vb, o->virt_pgtab_end, 30) +
                    slots(vb, o->virt_pgtab_end, 21);
    CHECK(o->nr_pt_frames == expect_tables);

    /* Every page of the initial mapping, with Xen's flags. */
    for (uint64_t va = vb; va < o->virt_pgtab_end; va += PG) {
        uint64_t pfn = (va - vb) / PG;
        bool pt = within(&o->pgtables, pfn);

        if (walk(o->cr3, va, &pte) ||
            (pte & PTE_ADDR) != (pfn + mfn_delta) * PG ||
            (pte & ~PTE_ADDR) != (pt ? 0x25ULL : 0x27ULL)) {
            CHECK(!"page mapped as Xen maps it");
            printf("  va %#llx pfn %#llx pte %#llx\n", (unsigned long long)va,
                   (unsigned long long)pfn, (unsigned long long)pte);
            break;
        }
    }
    CHECK(walk(o->cr3, vb - PG, &pte) == -1);
    CHECK(walk(o->cr3, o->virt_pgtab_end, &pte) == -1);

    /* The p2m list: in the mapping, or at INIT_P2M with its own tables. */
    p2m_pages = (o->nr_pages * 8 + PG - 1) / PG;
    p2m = (const uint64_t *)(guest + o->p2m.pfn * PG);
    for (uint64_t pfn = 0; pfn < o->nr_pages; pfn++)
        if (p2m[pfn] != pfn + mfn_delta) {
            CHECK(!"p2m[pfn] == mfn");
            break;
        }
    if (o->p2m.vstart == P2M_BASE) {
        uint64_t p2m_tables = slots(P2M_BASE, P2M_BASE + p2m_pages * PG, 39) +
                              slots(P2M_BASE, P2M_BASE + p2m_pages * PG, 30) +
                              slots(P2M_BASE, P2M_BASE + p2m_pages * PG, 21);

        CHECK(o->p2m.pfn >= (o->virt_pgtab_end - vb) / PG);
        CHECK(o->p2m.pages == p2m_pages + p2m_tables);
        for (uint64_t i = 0; i < p2m_pages; i++)
            if (walk(o->cr3, P2M_BASE + i * PG, &pte) ||
                (pte & PTE_ADDR) != (o->p2m.pfn + i + mfn_delta) * PG ||
                (pte & ~PTE_ADDR) != 0x27ULL) {
                CHECK(!"p2m page mapped at INIT_P2M");
                break;
            }
        CHECK(walk(o->cr3, P2M_BASE + p2m_pages * PG, &pte) == -1);
        CHECK(si->first_p2m_pfn == o->p2m.pfn);
        CHECK(si->nr_p2m_frames == o->p2m.pages);
        count_tree(o->cr3 >> 12, 3, &pages, &tables);
        CHECK(pages == (o->virt_pgtab_end - vb) / PG + p2m_pages);
        CHECK(tables == o->nr_pt_frames + p2m_tables);
    } else {
        CHECK(o->p2m.pfn == o->start_info.pfn - o->p2m.pages);
        CHECK(o->p2m.pages == p2m_pages);
        CHECK(o->p2m.vstart == vb + o->p2m.pfn * PG);
        CHECK(si->first_p2m_pfn == 0 && si->nr_p2m_frames == 0);
        count_tree(o->cr3 >> 12, 3, &pages, &tables);
        CHECK(pages == (o->virt_pgtab_end - vb) / PG);
        CHECK(tables == o->nr_pt_frames);
    }

    /* start_info, field by field. */
    CHECK(!strcmp(si->magic, "xen-3.0-x86_64"));
    CHECK(si->nr_pages == o->nr_pages);
    CHECK(si->shared_info == 0x7777000ULL);
    CHECK(si->flags == flags);
    CHECK(si->store_mfn == o->xenstore.pfn + mfn_delta &&
          si->store_evtchn == 1);
    CHECK(si->console.domU.mfn == o->console.pfn + mfn_delta &&
          si->console.domU.evtchn == 2);
    CHECK(si->pt_base == vb + o->pgtables.pfn * PG);
    CHECK(si->nr_pt_frames == o->nr_pt_frames);
    CHECK(si->mfn_list == o->p2m.vstart);
    CHECK(strlen((const char *)si->cmd_line) < MAX_GUEST_CMDLINE);
    CHECK(!strncmp((const char *)si->cmd_line, cmdline, MAX_GUEST_CMDLINE - 1));
    if (!initrd_size) {
        CHECK(si->mod_start == 0 && si->mod_len == 0);
    } else if (flags & SIF_MOD_START_PFN) {
        CHECK(si->mod_start == o->initrd.pfn);
        CHECK(o->initrd.pfn >= (o->virt_pgtab_end - vb) / PG);
    } else {
        CHECK(si->mod_start == o->initrd.vstart);
        CHECK(o->initrd.pfn == o->kernel.pfn + o->kernel.pages);
        CHECK(o->initrd.vend <= o->virt_pgtab_end);
    }
    if (initrd_size) {
        CHECK(si->mod_len == o->initrd.pages * PG);
        CHECK(o->initrd.pages == (initrd_size + PG - 1) / PG);
        CHECK(!memcmp(guest + o->initrd.pfn * PG, initrd, initrd_size));
    }
    for (uint64_t i = 0; i < PG; i++)
        if (guest[o->xenstore.pfn * PG + i] || guest[o->console.pfn * PG + i]) {
            CHECK(!"xenstore and console pages are zero");
            break;
        }

    /* vCPU 0's registers and what they point at. */
    CHECK(o->rip == p->virt_entry);
    CHECK(o->rsi == vb + o->start_info.pfn * PG);
    CHECK(o->rsp == vb + (o->bootstack.pfn + 1) * PG);
    CHECK(o->cr3 == (o->pgtables.pfn + mfn_delta) * PG);
    CHECK(walk(o->cr3, o->rsp - 8, &pte) == 0 && (pte & 2));
    CHECK(walk(o->cr3, o->rip, &pte) == 0);
    CHECK(o->hypercall_pfn == (p->virt_hypercall == UNSET_ADDR
                                   ? UNSET_ADDR
                                   : (p->virt_hypercall - vb) / PG));
    CHECK(o->pfn_alloc_end <= o->nr_pages);
#undef CHECK
    return bad;
}

static struct pv_layout_in layout_in(uint64_t mem, const void *initrd,
                                     size_t initrd_size, const char *cmdline)
{
    return (struct pv_layout_in){
        .mem_bytes = mem,
        .cmdline = cmdline,
        .initrd = initrd,
        .initrd_size = initrd_size,
        .shared_info_mfn = 0x7777,
        .store_evtchn = 1,
        .console_evtchn = 2,
        .pfn_to_mfn = to_mfn,
    };
}

/*
 * Every byte of the headers and notes flipped in turn: each image is
 * either refused with a reason or laid out, never a crash (run it under
 * ASan to see more).
 */
static void flipped_bytes(void)
{
    static struct image im, orig;
    struct elf_binary elf;
    struct elf_dom_parms p;
    struct pv_layout_in in = layout_in(8 << 20, "initrd", 6, "flip");
    struct pv_layout o;
    char err[200];
    size_t notes_end;

    linux_image(&orig);
    notes_end = 0x1000 + KFILESZ + ((Elf64_Phdr *)(orig.buf + 64))[1].p_filesz;
    guest_alloc(8 << 20);
    mfn_delta = 0;
    for (size_t i = 0; i < notes_end; i++) {
        if (i == 64 + 2 * sizeof(Elf64_Phdr))
            i = 0x1000 + KFILESZ; /* skip the padding and the kernel's bytes */
        im = orig;
        im.buf[i] ^= 0xff;
        elf.err[0] = err[0] = '\0';
        if (parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES)) {
            EXPECT(elf.err[0]);
            continue;
        }
        if (pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)))
            EXPECT(err[0]);
    }
}

static void layouts(void)
{
    static struct image im;
    static uint8_t initrd[4u << 20];
    static char long_cmdline[2000];
    struct elf_binary elf;
    struct elf_dom_parms p;
    struct pv_layout_in in;
    struct pv_layout o;
    char err[200] = "";

    for (size_t i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i * 13 + 5);
    memset(long_cmdline, 'c', sizeof(long_cmdline) - 1);

    /* Linux's notes: initrd by pfn, p2m at INIT_P2M, mfn != pfn. */
    linux_image(&im);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    guest_alloc(16 << 20);
    mfn_delta = 0x100000;
    in = layout_in(16 << 20, initrd, sizeof(initrd),
                   "console=hvc0 root=/dev/xvda1");
    in.flags = SIF_PRIVILEGED;
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) == 0);
    EXPECT(!check_layout(&p, &o, initrd, sizeof(initrd), in.cmdline,
                         SIF_PRIVILEGED | SIF_VIRT_P2M_4TOOLS |
                             SIF_MOD_START_PFN));
    /* The kernel: its bytes, its bss zeroed. */
    EXPECT(!memcmp(guest + KPADDR, im.buf + 0x1000, KFILESZ));
    EXPECT(guest[KPADDR + KFILESZ] == 0 && guest[KPADDR + KMEMSZ - 1] == 0);
    EXPECT(o.hypercall_pfn == (KPADDR + 0x1000) / PG);

    /* Without MOD_START_PFN and INIT_P2M: both inside the mapping. */
    variant(&im, (struct tnote){.type = XEN_ELFNOTE_MOD_START_PFN, .kind = -1});
    {
        struct tnote notes[NR_LINUX_NOTES];
        unsigned int n = 0;

        for (unsigned int i = 0; i < NR_LINUX_NOTES; i++)
            if (linux_notes[i].type != XEN_ELFNOTE_MOD_START_PFN &&
                linux_notes[i].type != XEN_ELFNOTE_INIT_P2M &&
                linux_notes[i].type != XEN_ELFNOTE_HYPERCALL_PAGE)
                notes[n++] = linux_notes[i];
        make_image(&im, notes, n, IN_SEGMENT, NULL, KPADDR);
    }
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    guest_alloc(16 << 20);
    mfn_delta = 0;
    in = layout_in(16 << 20, initrd, sizeof(initrd), long_cmdline);
    in.pfn_to_mfn = NULL; /* identity */
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) == 0);
    EXPECT(!check_layout(&p, &o, initrd, sizeof(initrd), long_cmdline,
                         SIF_VIRT_P2M_4TOOLS));
    EXPECT(o.hypercall_pfn == UNSET_ADDR);

    /*
     * Xen's 512 KiB rule wherever the boot stack falls in a 4 MiB block:
     * page by page the spare room shrinks to exactly 512 KiB, then the
     * mapping grows by 4 MiB.
     */
    {
        bool tight = false;

        guest_alloc(16 << 20);
        for (size_t size = PG; size <= sizeof(initrd); size += PG) {
            uint64_t spare;

            in = layout_in(16 << 20, initrd, size, "");
            in.pfn_to_mfn = NULL;
            if (pv_build_image(&elf, &p, &in, map, NULL, &o, err,
                               sizeof(err))) {
                printf("FAIL with a %zu-byte initrd: %s\n", size, err);
                failures++;
                break;
            }
            spare = o.virt_pgtab_end - o.bootstack.vend;
            tight |= spare == 512 << 10;
            if (spare < 512 << 10 || spare >= (512 << 10) + (4 << 20) ||
                (size % (256 << 10) == 0 &&
                 check_layout(&p, &o, initrd, size, "", SIF_VIRT_P2M_4TOOLS))) {
                printf("FAIL with a %zu-byte initrd\n", size);
                failures++;
                break;
            }
        }
        EXPECT(tight);
    }

    /* The legacy section: segments at p_paddr - ELF_PADDR_OFFSET. */
    make_image(&im, NULL, 0, NO_NOTES,
               "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000",
               VIRT_BASE + KPADDR);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    guest_alloc(16 << 20);
    in = layout_in(16 << 20, initrd, 5000, "legacy");
    in.pfn_to_mfn = NULL;
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) == 0);
    EXPECT(!check_layout(&p, &o, initrd, 5000, "legacy", SIF_VIRT_P2M_4TOOLS));
    EXPECT(!memcmp(guest + KPADDR, im.buf + 0x1000, KFILESZ));

    /* No initrd, no command line. */
    guest_alloc(16 << 20);
    in = layout_in(16 << 20, NULL, 0, NULL);
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) == 0);
    EXPECT(!check_layout(&p, &o, NULL, 0, "", SIF_VIRT_P2M_4TOOLS));

    /* A kernel whose mapping crosses 1 GiB and 512 GiB boundaries. */
    {
        const uint64_t vb = 0xffff887fffe00000ULL;

        image_at(&im, vb);
        EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
        guest_alloc(24 << 20);
        mfn_delta = 0x3000;
        in = layout_in(24 << 20, initrd, sizeof(initrd), "x");
        EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) ==
               0);
        EXPECT(!check_layout(&p, &o, initrd, sizeof(initrd), "x",
                             SIF_VIRT_P2M_4TOOLS | SIF_MOD_START_PFN));
        EXPECT(slots(vb, o.virt_pgtab_end, 39) == 2 &&
               slots(vb, o.virt_pgtab_end, 30) == 2);
    }

    /* Too little memory: a clear error, not a partial layout. */
    linux_image(&im);
    EXPECT(parse(&im, &elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    guest_alloc(3 << 20);
    mfn_delta = 0;
    in = layout_in(3 << 20, initrd, sizeof(initrd), NULL);
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) ==
           -ENOMEM);
    EXPECT(strstr(err, "too small") != NULL);
    in = layout_in(KPADDR + KMEMSZ - PG, NULL, 0, NULL);
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) ==
           -ENOMEM);
    EXPECT(strstr(err, "kernel") != NULL);
    /* More memory claimed than the map callback backs. */
    in = layout_in(64 << 20, NULL, 0, NULL);
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) ==
           -EINVAL);
    EXPECT(strstr(err, "not backed") != NULL);
}

/* ---- a real kernel (libelf-debian.sh) ---- */

static void *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0;

    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            buf = realloc(buf, cap);
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);

        if (!n)
            break;
        *len += n;
    }
    fclose(f);
    return buf;
}

static int real_kernel(const char *path)
{
    static const char *const note_names[XEN_ELFNOTE_MAX + 1] = {
        "INFO",         "ENTRY",         "HYPERCALL_PAGE",
        "VIRT_BASE",    "PADDR_OFFSET",  "XEN_VERSION",
        "GUEST_OS",     "GUEST_VERSION", "LOADER",
        "PAE_MODE",     "FEATURES",      "BSD_SYMTAB",
        "HV_START_LOW", "L1_MFN_VALID",  "SUSPEND_CANCEL",
        "INIT_P2M",     "MOD_START_PFN", "SUPPORTED_FEATURES",
        "PHYS32_ENTRY",
    };
    size_t len, elf_len;
    uint8_t *file = read_all(path, &len), *image;
    void *out;
    char err[200] = "";
    struct elf_binary elf;
    struct elf_dom_parms p;
    struct pv_layout_in in;
    struct pv_layout o;
    const void *payload;
    size_t payload_len;
    static uint8_t initrd[4 << 20];

    if (!file) {
        printf("FAIL cannot read %s\n", path);
        return 1;
    }
    EXPECT(bzimage_payload(file, len, &payload, &payload_len, err,
                           sizeof(err)) == 0 &&
           payload);
    if (payload)
        printf("bzImage: payload %zu bytes, %s\n", payload_len,
               xen_compression_name(xen_compression_of(payload, payload_len)));
    EXPECT(xen_kernel_unpack(file, len, 256 << 20, &out, &elf_len, err,
                             sizeof(err)) == 0 &&
           out);
    if (!out) {
        printf("FAIL unpack: %s\n", err);
        return 1;
    }
    image = out;
    printf("ELF image: %zu bytes\n", elf_len);
    EXPECT(elf_init(&elf, image, elf_len) == 0);
    EXPECT(elf_parse_dom_parms(&elf, &p) == 0);
    for (unsigned int t = 0; t <= XEN_ELFNOTE_MAX; t++)
        if (p.notes_seen & (1u << t))
            printf("note %-18s present\n", note_names[t]);
    printf("guest_os '%s' guest_ver '%s' xen_ver '%s' loader '%s' pae %d\n",
           p.guest_os, p.guest_ver, p.xen_ver, p.loader, p.pae);
    printf("virt_base %#llx entry %#llx hypercall %#llx init_p2m %#llx "
           "hv_start_low %#llx paddr_offset %#llx mod_start_pfn %d\n",
           (unsigned long long)p.virt_base, (unsigned long long)p.virt_entry,
           (unsigned long long)p.virt_hypercall, (unsigned long long)p.p2m_base,
           (unsigned long long)p.virt_hv_start_low,
           (unsigned long long)p.elf_paddr_offset, p.unmapped_initrd);
    for (unsigned int i = 0; i < 32; i++)
        if (p.f_supported[0] & (1u << i))
            printf("feature %2u %-28s%s\n", i,
                   elf_xen_feature_name(i) ? elf_xen_feature_name(i) : "",
                   p.f_required[0] & (1u << i) ? " (required)" : "");
    EXPECT(elf_check_pv(&elf, &p, XEN_PV_DOMU_FEATURES) == 0);
    if (elf.err[0])
        printf("check: %s\n", elf.err);

    /* What any 64-bit Linux PV kernel has. */
    EXPECT(p.notes_seen & (1u << XEN_ELFNOTE_ENTRY));
    EXPECT(p.virt_base == VIRT_BASE);
    EXPECT(!strcmp(p.guest_os, "linux") && !strncmp(p.xen_ver, "xen-3.0", 7));
    EXPECT(p.f_required[0] & (1u << XENFEAT_writable_page_tables));
    EXPECT(p.virt_entry >= p.virt_kstart && p.virt_entry < p.virt_kend);
    /* Kernels since the 2024 hypercall-page removal carry no HYPERCALL_PAGE. */
    if (p.notes_seen & (1u << XEN_ELFNOTE_HYPERCALL_PAGE))
        EXPECT(p.virt_hypercall >= p.virt_kstart &&
               p.virt_hypercall < p.virt_kend);

    for (size_t i = 0; i < sizeof(initrd); i++)
        initrd[i] = (uint8_t)(i * 31 + 3);
    guest_alloc(256 << 20);
    mfn_delta = 0;
    in = layout_in(256 << 20, initrd, sizeof(initrd),
                   "console=hvc0 root=/dev/xvda1 ro");
    in.pfn_to_mfn = NULL;
    EXPECT(pv_build_image(&elf, &p, &in, map, NULL, &o, err, sizeof(err)) == 0);
    if (err[0])
        printf("layout: %s\n", err);
    printf(
        "layout: kernel pfn %#llx+%#llx, start_info pfn %#llx, page tables "
        "pfn %#llx (%llu), stack pfn %#llx, mapping ends %#llx, initrd pfn "
        "%#llx+%#llx, p2m pfn %#llx+%#llx at %#llx\n",
        (unsigned long long)o.kernel.pfn, (unsigned long long)o.kernel.pages,
        (unsigned long long)o.start_info.pfn,
        (unsigned long long)o.pgtables.pfn, (unsigned long long)o.nr_pt_frames,
        (unsigned long long)o.bootstack.pfn,
        (unsigned long long)o.virt_pgtab_end, (unsigned long long)o.initrd.pfn,
        (unsigned long long)o.initrd.pages, (unsigned long long)o.p2m.pfn,
        (unsigned long long)o.p2m.pages, (unsigned long long)o.p2m.vstart);
    printf("vcpu0: rip %#llx rsp %#llx rsi %#llx cr3 %#llx\n",
           (unsigned long long)o.rip, (unsigned long long)o.rsp,
           (unsigned long long)o.rsi, (unsigned long long)o.cr3);
    EXPECT(!check_layout(&p, &o, initrd, sizeof(initrd), in.cmdline,
                         SIF_VIRT_P2M_4TOOLS |
                             (p.unmapped_initrd ? SIF_MOD_START_PFN : 0)));
    /* The loaded kernel's first bytes are its first segment's. */
    {
        Elf64_Phdr ph;

        memcpy(&ph, image + ((Elf64_Ehdr *)image)->e_phoff, sizeof(ph));
        EXPECT(ph.p_type == PT_LOAD &&
               !memcmp(guest + ph.p_paddr - p.elf_paddr_offset,
                       image + ph.p_offset, 4096));
    }
    free(image);
    free(file);
    free(guest);
    UNIT_DONE("libelf-pv (real kernel)");
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--kernel"))
        return real_kernel(argv[2]);
    notes_all_kinds();
    legacy_guest_info();
    notes_refused();
    flipped_bytes();
    bzimages();
    layouts();
    free(guest);
    UNIT_DONE("libelf-pv");
}
