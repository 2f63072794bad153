/*
 * The PV test kit (tests/guests/pv/): kernels booted as classic Xen PV
 * domains (domU=...,type=pv). The runtime (setup.c) checks start_info's
 * magic, then calls test_main() with the kit's console, string and
 * verdict functions of guest.h; everything PVH-specific there (IDT,
 * hvm_start_info, events) is not available.
 */
#ifndef GUEST_PV_H
#define GUEST_PV_H

#include <public/callback.h>

#include "guest.h"

/* What the domain builder handed over in %rsi. */
extern const start_info_t *pv_start_info;

/*
 * A hypercall through the `syscall` instruction itself, as post-2024
 * Linux makes them (no hypercall page): number in rax, arguments in
 * rdi rsi rdx r10 r8; rcx and r11 are clobbered.
 */
static inline long pv_syscall_hypercall(unsigned int nr, unsigned long a1,
                                        unsigned long a2, unsigned long a3)
{
    register unsigned long r10 asm("r10") = 0;
    register unsigned long r8 asm("r8") = 0;
    long ret;

    asm volatile("syscall"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : "0"((unsigned long)nr)
                 : "rcx", "r11", "memory", "cc");
    return ret;
}

/* The kernel's virtual base (and PADDR_OFFSET) in head.S. */
#define PV_VIRT_BASE 0xffffffff80000000UL

/*
 * Page n (0, 1, ...) counted back from the end of the builder's initial
 * mapping: spare RAM past the boot stack, mapped and free to remap.
 */
unsigned long pv_spare_va(unsigned int n);

static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte,
                                                unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

/*
 * Map shared_info (start_info's machine address) over spare page 0 with
 * update_va_mapping and return it; fails the test if that is refused.
 */
struct shared_info *pv_map_shared_info(void);

/* A frame of the kernel's initial mapping (pfn == mfn here). */
static inline unsigned long pv_pfn_of(unsigned long va)
{
    return (va - PV_VIRT_BASE) >> 12;
}

static inline long pv_mmuext(unsigned int cmd, unsigned long mfn)
{
    struct mmuext_op op = {.cmd = cmd, .arg1.mfn = mfn};

    return hypercall4(__HYPERVISOR_mmuext_op, &op, 1, NULL, DOMID_SELF);
}

/*
 * A user address space: spare pages 1-4 become its L4..L1, spare page 5
 * is mapped read-only at PV_USER_CODE and spare page 6 read-write at
 * PV_USER_PAGE. pv_user_tables writes the tables; pv_user_pin makes
 * them read-only to the kernel, pins the L4 and makes it the user base.
 */
#define PV_USER_CODE 0x400000UL
#define PV_USER_PAGE 0x401000UL
void pv_user_tables(void);
void pv_user_pin(void);

/*
 * Into user mode at @rip with @rsp and rbx = @rbx, through HYPERVISOR_iret
 * (a frame with a user CS). A kernel handler that jumps (from asm) to
 * pv_back_to_kernel makes this call return, on the stack it left.
 */
void pv_enter_user(unsigned long rip, unsigned long rsp, unsigned long rbx);

#endif
