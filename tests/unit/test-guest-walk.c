/* The guest page walker in every paging mode, on page tables in a buffer. */
#include <stdio.h>
#include <string.h>

#include <asm-x86/domain.h>
#include <asm-x86/paging.h>
#include <xen/lib.h>

#include "unit.h"

#define MEM_SIZE (64 * PAGE_SIZE)
static uint8_t mem[MEM_SIZE] __attribute__((aligned(4096)));
static int read_mem(void *ctx, uint64_t gpa, unsigned int size, uint64_t *val)
{
    (void)ctx;
    if (gpa + size > MEM_SIZE)
        return -EFAULT;
    *val = 0;
    memcpy(val, mem + gpa, size);
    return 0;
}

static void put32(uint64_t gpa, uint32_t v)
{
    memcpy(mem + gpa, &v, 4);
}

static void put64(uint64_t gpa, uint64_t v)
{
    memcpy(mem + gpa, &v, 8);
}

static void check(const char *what, const struct paging_state *ps, uint64_t va,
                  bool write, int want_rc, uint64_t want_gpa)
{
    uint64_t gpa = 0;
    int rc = guest_walk(ps, va, write, read_mem, NULL, &gpa);

    if (rc != want_rc || (!rc && gpa != want_gpa)) {
        printf("FAIL %s: va %#llx -> rc %d gpa %#llx (want %d %#llx)\n", what,
               (unsigned long long)va, rc, (unsigned long long)gpa, want_rc,
               (unsigned long long)want_gpa);
        failures++;
    }
}

#define P 1
#define RW 2
#define PS 0x80

int main(void)
{
    struct paging_state ps = {0};

    /* Paging off: identity, truncated to 32 bits outside long mode. */
    check("flat", &ps, 0x12345678, false, 0, 0x12345678);
    check("flat-trunc", &ps, 0x100001000ULL, false, 0, 0x1000);

    /* 2-level: PD at 0x1000, PT at 0x2000. */
    memset(mem, 0, sizeof(mem));
    ps = (struct paging_state){.cr0 = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP,
                               .cr3 = 0x1000};
    put32(0x1000 + 1 * 4, 0x2000 | P | RW);     /* 4 MiB .. 8 MiB */
    put32(0x2000 + 3 * 4, 0x7000 | P);          /* read-only page */
    put32(0x2000 + 4 * 4, 0x8000 | P | RW);
    put32(0x1000 + 2 * 4, 0x00c00000 | P | PS); /* 4 MiB page */
    check("2l-4k", &ps, 0x00403abc, false, 0, 0x7abc);
    check("2l-ro-write", &ps, 0x00403abc, true, -EFAULT, 0);
    check("2l-rw-write", &ps, 0x00404010, true, 0, 0x8010);
    check("2l-notpresent", &ps, 0x00405000, false, -EFAULT, 0);
    check("2l-pse-off", &ps, 0x00812345, false, -EFAULT, 0); /* PS ignored */
    ps.cr4 = X86_CR4_PSE;
    check("2l-4m", &ps, 0x00812345, false, 0, 0x00c12345);
    ps.cr0 &= ~X86_CR0_WP;
    check("2l-ro-nowp", &ps, 0x00403abc, true, 0, 0x7abc);

    /* PAE: PDPT at 0x3020 (32-byte aligned), PD 0x4000, PT 0x5000. */
    memset(mem, 0, sizeof(mem));
    ps = (struct paging_state){.cr0 = X86_CR0_PE | X86_CR0_PG,
                               .cr3 = 0x3020, .cr4 = X86_CR4_PAE};
    put64(0x3020 + 1 * 8, 0x4000 | P);
    put64(0x4000 + 2 * 8, 0x5000 | P | RW);
    put64(0x5000 + 5 * 8, 0x123456000ULL | P | RW); /* above 4 GiB */
    put64(0x4000 + 3 * 8, 0x40000000ULL | P | RW | PS);
    check("pae-4k", &ps, 0x40405123, false, 0, 0x123456123ULL);
    check("pae-2m", &ps, 0x40612345, false, 0, 0x40012345);
    check("pae-nopdpte", &ps, 0x80000000, false, -EFAULT, 0);

    /* 4-level: PML4 0x6000, PDPT 0x7000, PD 0x8000, PT 0x9000. */
    memset(mem, 0, sizeof(mem));
    ps = (struct paging_state){.cr0 = X86_CR0_PE | X86_CR0_PG,
                               .cr3 = 0x6000, .cr4 = X86_CR4_PAE,
                               .efer = X86_EFER_LME | X86_EFER_LMA};
    put64(0x6000 + 511 * 8, 0x7000 | P | RW);
    put64(0x7000 + 510 * 8, 0x8000 | P | RW);
    put64(0x8000 + 0 * 8, 0x9000 | P | RW);
    put64(0x9000 + 1 * 8, 0xabcd000ULL | P | RW);
    put64(0x7000 + 511 * 8, 0x80000000ULL | P | RW | PS); /* 1 GiB */
    check("4l-4k", &ps, 0xffffffff80001234ULL, false, 0, 0xabcd234);
    check("4l-1g", &ps, 0xffffffffc0123456ULL, false, 0, 0x80123456);
    check("4l-noncanonical", &ps, 0x0000800000000000ULL, false, -EFAULT, 0);
    check("4l-notpresent", &ps, 0x1000, false, -EFAULT, 0);
    check("4l-pte-absent", &ps, 0xffffffff80002000ULL, false, -EFAULT, 0);

    /* 5-level: one more level on top, 57-bit canonical addresses. */
    ps.cr4 |= X86_CR4_LA57;
    ps.cr3 = 0xa000;
    put64(0xa000 + 511 * 8, 0x6000 | P | RW);
    check("5l-4k", &ps, 0xffffffff80001000ULL, false, 0, 0xabcd000);
    check("5l-noncanonical", &ps, 0x0100000000000000ULL, false, -EFAULT, 0);

    UNIT_DONE("guest-walk");
}
