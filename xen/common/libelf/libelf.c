/* ELF image checks, Xen notes and loading (see xen/libelf.h). */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <public/elfnote.h>
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
            !in_image(elf, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
            return fail(elf, "program headers outside the image");
    } else if (id[EI_CLASS] == ELFCLASS32) {
        const Elf32_Ehdr *eh = image;

        if (size < sizeof(*eh))
            return fail(elf, "truncated ELF header");
        elf->machine = eh->e_machine;
        if (eh->e_phentsize != sizeof(Elf32_Phdr) ||
            !in_image(elf, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr)))
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
            .p_type = q.p_type, .p_flags = q.p_flags, .p_offset = q.p_offset,
            .p_vaddr = q.p_vaddr, .p_paddr = q.p_paddr,
            .p_filesz = q.p_filesz, .p_memsz = q.p_memsz, .p_align = q.p_align,
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

static void note_value(struct elf_dom_parms *p, uint32_t type,
                       const uint8_t *desc, uint32_t descsz)
{
    uint64_t val = 0;

    switch (type) {
    case XEN_ELFNOTE_PHYS32_ENTRY:
        if (descsz == 4 || descsz == 8) {
            memcpy(&val, desc, descsz);
            p->has_phys32_entry = true;
            p->phys32_entry = (uint32_t)val;
        }
        break;
    case XEN_ELFNOTE_GUEST_OS:
        snprintf(p->guest_os, sizeof(p->guest_os), "%.*s", (int)descsz, desc);
        break;
    case XEN_ELFNOTE_LOADER:
        snprintf(p->loader, sizeof(p->loader), "%.*s", (int)descsz, desc);
        break;
    }
}

/* Walk the notes in [off, off + len); returns how many Xen notes it saw. */
static unsigned int parse_notes(const struct elf_binary *elf, uint64_t off,
                                uint64_t len, struct elf_dom_parms *p)
{
    unsigned int found = 0;

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
            note_value(p, hdr[2], name + namesz, hdr[1]);
            found++;
        }
        off += 12 + namesz + descsz;
        len -= 12 + namesz + descsz;
    }
    return found;
}

int elf_parse_dom_parms(struct elf_binary *elf, struct elf_dom_parms *p)
{
    unsigned int notes = 0, nr_load = 0;
    uint64_t shoff;
    unsigned int shnum;

    memset(p, 0, sizeof(*p));
    p->pstart = UINT64_MAX;
    p->entry = elf->is64 ? ((const Elf64_Ehdr *)elf->image)->e_entry
                         : ((const Elf32_Ehdr *)elf->image)->e_entry;
    for (unsigned int i = 0; i < phnum(elf); i++) {
        Elf64_Phdr ph = phdr(elf, i);

        if (ph.p_type == PT_NOTE) {
            notes += parse_notes(elf, ph.p_offset, ph.p_filesz, p);
        } else if (ph.p_type == PT_LOAD && ph.p_memsz) {
            if (ph.p_filesz > ph.p_memsz || !in_image(elf, ph.p_offset, ph.p_filesz))
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
    if (!notes && section_headers(elf, &shoff, &shnum)) {
        for (unsigned int i = 0; i < shnum; i++) {
            uint64_t type, off, size;

            if (elf->is64) {
                Elf64_Shdr sh;
                memcpy(&sh, elf->image + shoff + i * sizeof(sh), sizeof(sh));
                type = sh.sh_type, off = sh.sh_offset, size = sh.sh_size;
            } else {
                Elf32_Shdr sh;
                memcpy(&sh, elf->image + shoff + i * sizeof(sh), sizeof(sh));
                type = sh.sh_type, off = sh.sh_offset, size = sh.sh_size;
            }
            if (type == SHT_NOTE)
                parse_notes(elf, off, size, p);
        }
    }
    if (!nr_load)
        return fail(elf, "no loadable segments");
    return 0;
}

int elf_load(struct elf_binary *elf, elf_map_fn map, void *ctx)
{
    for (unsigned int i = 0; i < phnum(elf); i++) {
        Elf64_Phdr ph = phdr(elf, i);
        uint8_t *dst;

        if (ph.p_type != PT_LOAD || !ph.p_memsz)
            continue;
        dst = map(ctx, ph.p_paddr, ph.p_memsz);
        if (!dst)
            return fail(elf, "segment %u at %#llx+%#llx is outside guest RAM",
                        i, (unsigned long long)ph.p_paddr,
                        (unsigned long long)ph.p_memsz);
        memcpy(dst, elf->image + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
    }
    return 0;
}
