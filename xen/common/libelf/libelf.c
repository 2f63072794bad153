/* ELF image checks, Xen notes and loading (see xen/libelf.h). */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/elfnote.h>
#include <public/xen.h>
#include <xen/libelf.h>

static int fail(struct elf_binary *elf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(elf->err, sizeof(elf->err), fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* Whether [off, off + len) lies inside the image. */
static bool in_image(const struct elf_binary *elf, uint64_t off, uint64_t len)
{
    return off <= elf->size && len <= elf->size - off;
}

int elf_init(struct elf_binary *elf, const void *image, size_t size)
{
    const unsigned char *id = image;

    memset(elf, 0, sizeof(*elf));
    elf->image = image;
    elf->size = size;
    if (size < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG))
        return fail(elf, "not an ELF image");
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(elf, "not a little-endian ELF image");
    if (id[EI_CLASS] == ELFCLASS64) {
        const Elf64_Ehdr *eh = image;

        if (size < sizeof(*eh))
            return fail(elf, "truncated ELF header");
        elf->is64 = true;
        elf->machine = eh->e_machine;
        if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
            !in_image(elf, eh->e_phoff,
                      (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
            return fail(elf, "program headers outside the image");
    } else if (id[EI_CLASS] == ELFCLASS32) {
        const Elf32_Ehdr *eh = image;

        if (size < sizeof(*eh))
            return fail(elf, "truncated ELF header");
        elf->machine = eh->e_machine;
        if (eh->e_phentsize != sizeof(Elf32_Phdr) ||
            !in_image(elf, eh->e_phoff,
                      (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr)))
            return fail(elf, "program headers outside the image");
    } else {
        return fail(elf, "unknown ELF class %u", id[EI_CLASS]);
    }
    if (elf->machine != EM_386 && elf->machine != EM_X86_64)
        return fail(elf, "ELF image is not for x86 (machine %u)", elf->machine);
    return 0;
}

/* Program and section headers, converted to the 64-bit form. */
static unsigned int phnum(const struct elf_binary *elf)
{
    return elf->is64 ? ((const Elf64_Ehdr *)elf->image)->e_phnum
                     : ((const Elf32_Ehdr *)elf->image)->e_phnum;
}

static Elf64_Phdr phdr(const struct elf_binary *elf, unsigned int i)
{
    Elf64_Phdr p;

    if (elf->is64) {
        const Elf64_Ehdr *eh = (const void *)elf->image;
        memcpy(&p, elf->image + eh->e_phoff + i * sizeof(p), sizeof(p));
    } else {
        const Elf32_Ehdr *eh = (const void *)elf->image;
        Elf32_Phdr q;

        memcpy(&q, elf->image + eh->e_phoff + i * sizeof(q), sizeof(q));
        p = (Elf64_Phdr){
            .p_type = q.p_type,
            .p_flags = q.p_flags,
            .p_offset = q.p_offset,
            .p_vaddr = q.p_vaddr,
            .p_paddr = q.p_paddr,
            .p_filesz = q.p_filesz,
            .p_memsz = q.p_memsz,
            .p_align = q.p_align,
        };
    }
    return p;
}

static bool section_headers(const struct elf_binary *elf, uint64_t *off,
                            unsigned int *num)
{
    uint64_t entsize;

    if (elf->is64) {
        const Elf64_Ehdr *eh = (const void *)elf->image;
        *off = eh->e_shoff;
        *num = eh->e_shnum;
        entsize = eh->e_shentsize;
        return entsize == sizeof(Elf64_Shdr) &&
               in_image(elf, *off, (uint64_t)*num * entsize);
    }
    const Elf32_Ehdr *eh = (const void *)elf->image;
    *off = eh->e_shoff;
    *num = eh->e_shnum;
    entsize = eh->e_shentsize;
    return entsize == sizeof(Elf32_Shdr) &&
           in_image(elf, *off, (uint64_t)*num * entsize);
}

/* The names FEATURES strings use, as Xen's libelf knows them. */
static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};
#define NR_FEATURE_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))

const char *elf_xen_feature_name(unsigned int nr)
{
    return nr < NR_FEATURE_NAMES ? feature_names[nr] : NULL;
}

/*
 * "name|!name|...": each known name is supported, with '!' also
 * required; an unknown name is ignored unless it is required.
 */
static int parse_features(struct elf_binary *elf, const char *s, size_t len,
                          struct elf_dom_parms *p)
{
    while (len) {
        const char *bar = memchr(s, '|', len);
        size_t n = bar ? (size_t)(bar - s) : len;
        bool required = n && s[0] == '!';
        const char *name = s + required;
        size_t name_len = n - required;
        unsigned int i;

        for (i = 0; i < NR_FEATURE_NAMES; i++)
            if (feature_names[i] && strlen(feature_names[i]) == name_len &&
                !memcmp(feature_names[i], name, name_len))
                break;
        if (i < NR_FEATURE_NAMES) {
            p->f_supported[i / 32] |= 1u << (i % 32);
            if (required)
                p->f_required[i / 32] |= 1u << (i % 32);
        } else if (required) {
            return fail(elf, "kernel requires unknown feature '%.*s'",
                        (int)(name_len > 64 ? 64 : name_len), name);
        }
        len -= bar ? n + 1 : n;
        s += n + (bar != NULL);
    }
    return 0;
}

/* Copy len bytes of src as a string, cut to fit size. */
static void set_str(char *dst, size_t size, const char *src, size_t len)
{
    snprintf(dst, size, "%.*s", (int)(len < size ? len : size - 1), src);
}

/* A numeric note is 1, 2, 4 or 8 bytes; anything else reads as 0. */
static uint64_t note_numeric(const uint8_t *desc, uint32_t descsz)
{
    uint64_t val = 0;

    if (descsz == 1 || descsz == 2 || descsz == 4 || descsz == 8)
        memcpy(&val, desc, descsz);
    return val;
}

static int note_value(struct elf_binary *elf, struct elf_dom_parms *p,
                      uint32_t type, const uint8_t *desc, uint32_t descsz)
{
    uint64_t val = note_numeric(desc, descsz);
    /* A string note need not hold its NUL: read at most descsz bytes. */
    size_t slen = strnlen((const char *)desc, descsz);
    char str[128];

    set_str(str, sizeof(str), (const char *)desc, slen);

    if (type <= XEN_ELFNOTE_MAX)
        p->notes_seen |= 1u << type;
    switch (type) {
    case XEN_ELFNOTE_ENTRY:
        p->virt_entry = val;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        p->virt_hypercall = val;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        p->virt_base = val;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        p->elf_paddr_offset = val;
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        p->virt_hv_start_low = val;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        p->p2m_base = val;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        p->unmapped_initrd = val != 0;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        p->suspend_cancel = val != 0;
        break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        for (unsigned int i = 0;
             i < XENFEAT_NR_SUBMAPS && descsz >= 4 * (i + 1); i++) {
            uint32_t map;

            memcpy(&map, desc + 4 * i, 4);
            p->f_supported[i] |= map;
        }
        break;
    case XEN_ELFNOTE_PHYS32_ENTRY:
        if (descsz == 4 || descsz == 8) {
            p->has_phys32_entry = true;
            p->phys32_entry = (uint32_t)val;
        }
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        set_str(p->xen_ver, sizeof(p->xen_ver), str, slen);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        set_str(p->guest_os, sizeof(p->guest_os), str, slen);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        set_str(p->guest_ver, sizeof(p->guest_ver), str, slen);
        break;
    case XEN_ELFNOTE_LOADER:
        set_str(p->loader, sizeof(p->loader), str, slen);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        if (!strcmp(str, "yes"))
            p->pae = XEN_PAE_EXTCR3;
        if (strstr(str, "bimodal"))
            p->pae = XEN_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        p->bsd_symtab = !strcmp(str, "yes");
        break;
    case XEN_ELFNOTE_FEATURES:
        return parse_features(elf, (const char *)desc, slen, p);
    }
    return 0;
}

/*
 * Walk the notes in [off, off + len); returns how many Xen notes it saw,
 * or -EINVAL.
 */
static int parse_notes(struct elf_binary *elf, uint64_t off, uint64_t len,
                       struct elf_dom_parms *p)
{
    int found = 0;

    if (!in_image(elf, off, len))
        return 0;
    while (len >= 12) {
        uint32_t hdr[3];

        memcpy(hdr, elf->image + off, sizeof(hdr));
        uint64_t namesz = (hdr[0] + 3ULL) & ~3ULL;
        uint64_t descsz = (hdr[1] + 3ULL) & ~3ULL;

        if (namesz > len - 12 || descsz > len - 12 - namesz)
            break;
        const uint8_t *name = elf->image + off + 12;
        if (hdr[0] == 4 && !memcmp(name, "Xen", 4)) {
            if (note_value(elf, p, hdr[2], name + namesz, hdr[1]))
                return -EINVAL;
            found++;
        }
        off += 12 + namesz + descsz;
        len -= 12 + namesz + descsz;
    }
    return found;
}

/* Section i's header, converted to the 64-bit form. */
static Elf64_Shdr shdr(const struct elf_binary *elf, uint64_t shoff,
                       unsigned int i)
{
    Elf64_Shdr sh;

    if (elf->is64) {
        memcpy(&sh, elf->image + shoff + i * sizeof(sh), sizeof(sh));
    } else {
        Elf32_Shdr s;

        memcpy(&s, elf->image + shoff + i * sizeof(s), sizeof(s));
        sh = (Elf64_Shdr){
            .sh_name = s.sh_name,
            .sh_type = s.sh_type,
            .sh_offset = s.sh_offset,
            .sh_size = s.sh_size,
        };
    }
    return sh;
}

/* The legacy "KEY=value,KEY=value" string of a __xen_guest section. */
static int parse_guest_info(struct elf_binary *elf, const char *s, size_t len,
                            struct elf_dom_parms *p)
{
    uint64_t hypercall_pfn = UNSET_ADDR;

    p->guest_info = true;
    len = strnlen(s, len);
    while (len) {
        const char *comma = memchr(s, ',', len);
        size_t n = comma ? (size_t)(comma - s) : len;
        const char *eq = memchr(s, '=', n);
        size_t klen = eq ? (size_t)(eq - s) : n;
        char key[32], val[128];

        set_str(key, sizeof(key), s, klen);
        set_str(val, sizeof(val), eq ? eq + 1 : "", eq ? n - klen - 1 : 0);
        if (!strcmp(key, "LOADER"))
            set_str(p->loader, sizeof(p->loader), val, strlen(val));
        else if (!strcmp(key, "GUEST_OS"))
            set_str(p->guest_os, sizeof(p->guest_os), val, strlen(val));
        else if (!strcmp(key, "GUEST_VER"))
            set_str(p->guest_ver, sizeof(p->guest_ver), val, strlen(val));
        else if (!strcmp(key, "XEN_VER"))
            set_str(p->xen_ver, sizeof(p->xen_ver), val, strlen(val));
        else if (!strcmp(key, "PAE"))
            p->pae = !strcmp(val, "yes[extended-cr3]") ? XEN_PAE_EXTCR3
                     : !strncmp(val, "yes", 3)         ? XEN_PAE_YES
                                                       : p->pae;
        else if (!strcmp(key, "BSD_SYMTAB"))
            p->bsd_symtab = true;
        else if (!strcmp(key, "VIRT_BASE"))
            p->virt_base = strtoull(val, NULL, 0);
        else if (!strcmp(key, "VIRT_ENTRY"))
            p->virt_entry = strtoull(val, NULL, 0);
        else if (!strcmp(key, "ELF_PADDR_OFFSET"))
            p->elf_paddr_offset = strtoull(val, NULL, 0);
        else if (!strcmp(key, "HYPERCALL_PAGE"))
            hypercall_pfn = strtoull(val, NULL, 0);
        else if (!strcmp(key, "FEATURES") &&
                 parse_features(elf, val, strlen(val), p))
            return -EINVAL;
        len -= comma ? n + 1 : n;
        s += n + (comma != NULL);
    }
    /* HYPERCALL_PAGE here is a page number counted from VIRT_BASE. */
    if (hypercall_pfn != UNSET_ADDR && p->virt_base != UNSET_ADDR)
        p->virt_hypercall = p->virt_base + (hypercall_pfn << 12);
    return 0;
}

/* Notes in SHT_NOTE sections, else the __xen_guest section. */
static int parse_sections(struct elf_binary *elf, struct elf_dom_parms *p)
{
    uint64_t shoff;
    unsigned int shnum, strndx;
    int notes = 0, r;
    Elf64_Shdr strtab;

    if (!section_headers(elf, &shoff, &shnum))
        return 0;
    for (unsigned int i = 1; i < shnum; i++) {
        Elf64_Shdr sh = shdr(elf, shoff, i);

        if (sh.sh_type != SHT_NOTE)
            continue;
        r = parse_notes(elf, sh.sh_offset, sh.sh_size, p);
        if (r < 0)
            return r;
        notes += r;
    }
    if (notes)
        return 0;
    strndx = elf->is64 ? ((const Elf64_Ehdr *)elf->image)->e_shstrndx
                       : ((const Elf32_Ehdr *)elf->image)->e_shstrndx;
    if (!strndx || strndx >= shnum)
        return 0;
    strtab = shdr(elf, shoff, strndx);
    if (!in_image(elf, strtab.sh_offset, strtab.sh_size))
        return 0;
    for (unsigned int i = 1; i < shnum; i++) {
        Elf64_Shdr sh = shdr(elf, shoff, i);
        static const char name[] = "__xen_guest";

        if (sh.sh_name >= strtab.sh_size ||
            strtab.sh_size - sh.sh_name < sizeof(name) ||
            memcmp(elf->image + strtab.sh_offset + sh.sh_name, name,
                   sizeof(name)))
            continue;
        if (!in_image(elf, sh.sh_offset, sh.sh_size))
            return fail(elf, "__xen_guest section outside the image");
        return parse_guest_info(elf, (const char *)elf->image + sh.sh_offset,
                                sh.sh_size, p);
    }
    return 0;
}

int elf_parse_dom_parms(struct elf_binary *elf, struct elf_dom_parms *p)
{
    unsigned int nr_load = 0;
    int notes = 0, r;

    memset(p, 0, sizeof(*p));
    p->pstart = UINT64_MAX;
    p->virt_base = p->virt_entry = p->virt_hypercall = UNSET_ADDR;
    p->virt_hv_start_low = p->p2m_base = p->elf_paddr_offset = UNSET_ADDR;
    p->entry = elf->is64 ? ((const Elf64_Ehdr *)elf->image)->e_entry
                         : ((const Elf32_Ehdr *)elf->image)->e_entry;
    for (unsigned int i = 0; i < phnum(elf); i++) {
        Elf64_Phdr ph = phdr(elf, i);

        if (ph.p_type == PT_NOTE) {
            r = parse_notes(elf, ph.p_offset, ph.p_filesz, p);
            if (r < 0)
                return r;
            notes += r;
        } else if (ph.p_type == PT_LOAD && ph.p_memsz) {
            if (ph.p_filesz > ph.p_memsz ||
                !in_image(elf, ph.p_offset, ph.p_filesz))
                return fail(elf, "segment %u lies outside the image", i);
            if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
                return fail(elf, "segment %u wraps the address space", i);
            p->pstart = ph.p_paddr < p->pstart ? ph.p_paddr : p->pstart;
            if (ph.p_paddr + ph.p_memsz > p->pend)
                p->pend = ph.p_paddr + ph.p_memsz;
            nr_load++;
        }
    }
    /* Images without a PT_NOTE may still carry the notes in sections. */
    if (!notes) {
        r = parse_sections(elf, p);
        if (r < 0)
            return r;
    }
    if (!nr_load)
        return fail(elf, "no loadable segments");
    return 0;
}

int elf_load_offset(struct elf_binary *elf, uint64_t paddr_offset,
                    elf_map_fn map, void *ctx)
{
    for (unsigned int i = 0; i < phnum(elf); i++) {
        Elf64_Phdr ph = phdr(elf, i);
        uint64_t dest = ph.p_paddr - paddr_offset;
        uint8_t *dst;

        if (ph.p_type != PT_LOAD || !ph.p_memsz)
            continue;
        dst = ph.p_paddr >= paddr_offset ? map(ctx, dest, ph.p_memsz) : NULL;
        if (!dst)
            return fail(elf, "segment %u at %#llx+%#llx is outside guest RAM",
                        i, (unsigned long long)dest,
                        (unsigned long long)ph.p_memsz);
        memcpy(dst, elf->image + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
    }
    return 0;
}

int elf_load(struct elf_binary *elf, elf_map_fn map, void *ctx)
{
    return elf_load_offset(elf, 0, map, ctx);
}

/* Whether va is a canonical 48-bit x86-64 address. */
static bool canonical(uint64_t va)
{
    return va < 0x0000800000000000ULL || va >= 0xffff800000000000ULL;
}

int elf_check_pv(struct elf_binary *elf, struct elf_dom_parms *p,
                 uint32_t offered)
{
    const uint64_t l4_slot = 1ULL << 39;
    uint64_t virt_offset;
    uint32_t missing = p->f_required[0] & ~offered;

    if (!(p->notes_seen & ~(1u << XEN_ELFNOTE_PHYS32_ENTRY)) && !p->guest_info)
        return fail(elf, "not a Xen PV kernel: no Xen PV ELF notes or "
                         "__xen_guest section");
    if (!elf->is64 || elf->machine != EM_X86_64)
        return fail(elf, "not a 64-bit x86 kernel: only x86-64 PV guests "
                         "are supported");
    if (strncmp(p->loader, "generic", 7) && strncmp(p->guest_os, "linux", 5))
        return fail(elf,
                    "the loader is only for images built for the generic "
                    "loader or Linux (not '%s' and '%s')",
                    p->loader, p->guest_os);
    if (strncmp(p->xen_ver, "xen-3.0", 7))
        return fail(elf,
                    "the image is not built for Xen v3.0 (XEN_VERSION "
                    "'%s')",
                    p->xen_ver);
    if (p->elf_paddr_offset != UNSET_ADDR && p->virt_base == UNSET_ADDR)
        return fail(elf, "PADDR_OFFSET is set but VIRT_BASE is not");

    /* Xen's defaults: the legacy section meant physical == virtual. */
    if (p->virt_base == UNSET_ADDR)
        p->virt_base = 0;
    if (p->elf_paddr_offset == UNSET_ADDR)
        p->elf_paddr_offset = p->guest_info ? p->virt_base : 0;
    if (p->virt_entry == UNSET_ADDR)
        p->virt_entry = p->entry;
    virt_offset = p->virt_base - p->elf_paddr_offset;
    p->virt_kstart = p->pstart + virt_offset;
    p->virt_kend = p->pend + virt_offset;

    if (p->pstart < p->elf_paddr_offset || p->virt_kstart > p->virt_kend ||
        p->virt_base > p->virt_kstart)
        return fail(elf,
                    "kernel at %#llx-%#llx lies below VIRT_BASE %#llx "
                    "or wraps",
                    (unsigned long long)p->virt_kstart,
                    (unsigned long long)p->virt_kend,
                    (unsigned long long)p->virt_base);
    if (p->virt_entry < p->virt_kstart || p->virt_entry > p->virt_kend)
        return fail(elf, "entry %#llx is outside the kernel (%#llx-%#llx)",
                    (unsigned long long)p->virt_entry,
                    (unsigned long long)p->virt_kstart,
                    (unsigned long long)p->virt_kend);
    if (p->p2m_base != UNSET_ADDR && p->p2m_base >= p->virt_kstart &&
        p->p2m_base < p->virt_kend)
        return fail(elf, "INIT_P2M %#llx lies inside the kernel",
                    (unsigned long long)p->p2m_base);
    if (p->virt_hypercall != UNSET_ADDR &&
        ((p->virt_hypercall & ~0xfffULL) < p->virt_kstart ||
         (p->virt_hypercall & ~0xfffULL) >= p->virt_kend))
        return fail(elf, "HYPERCALL_PAGE %#llx is outside the kernel",
                    (unsigned long long)p->virt_hypercall);
    /* The kernel must stay out of the range Xen keeps for itself. */
    if (!canonical(p->virt_base) || !canonical(p->virt_kend - 1) ||
        (p->virt_kstart < HYPERVISOR_VIRT_END &&
         p->virt_kend > HYPERVISOR_VIRT_START))
        return fail(elf,
                    "kernel at %#llx-%#llx is not canonical or overlaps "
                    "the hypervisor's range",
                    (unsigned long long)p->virt_kstart,
                    (unsigned long long)p->virt_kend);
    /* HV_START_LOW rounds up to an L4 slot, as Xen rounds it. */
    if (p->virt_hv_start_low != UNSET_ADDR &&
        (p->virt_hv_start_low > UINT64_MAX - (l4_slot - 1) ||
         ((p->virt_hv_start_low + l4_slot - 1) & ~(l4_slot - 1)) >
             HYPERVISOR_VIRT_START))
        return fail(elf,
                    "kernel expects the hypervisor at %#llx, above "
                    "Xen's start %#llx",
                    (unsigned long long)p->virt_hv_start_low,
                    (unsigned long long)HYPERVISOR_VIRT_START);
    if (missing) {
        char names[128] = "";
        size_t n = 0;

        /* Only named features can be required (parse_features). */
        for (unsigned int i = 0; i < NR_FEATURE_NAMES && n < sizeof(names); i++)
            if (missing & (1u << i))
                n += snprintf(names + n, sizeof(names) - n, "%s%s",
                              n ? ", " : "", feature_names[i]);
        return fail(elf, "kernel requires features not offered: %s", names);
    }
    return 0;
}
