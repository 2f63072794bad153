/*
 * What every host unit test uses: EXPECT() and the failure count; and
 * the ELF header the loader tests build their images on.
 */
#ifndef UNIT_H
#define UNIT_H

#include <elf.h>
#include <stdio.h>
#include <string.h>

static int failures;

/* Count and report a failed condition; the test goes on. */
#define EXPECT(cond)                                                           \
    do {                                                                       \
        if (!(cond)) {                                                         \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                     \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* main()'s ending: the verdict line and the exit status. */
#define UNIT_DONE(name)                                                        \
    do {                                                                       \
        if (failures)                                                          \
            return 1;                                                          \
        printf("PASS %s\n", name);                                             \
        return 0;                                                              \
    } while (0)

/* An x86-64 executable's ELF header, @phnum program headers after it. */
static inline void elf64_exec_header(Elf64_Ehdr *eh, uint64_t entry,
                                     unsigned int phnum)
{
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_entry = entry;
    eh->e_phoff = sizeof(*eh);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = phnum;
}

#endif
