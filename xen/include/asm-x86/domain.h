/* x86 per-vCPU state kept beside struct vcpu. */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

struct vlapic;

struct arch_vcpu {
    int64_t tsc_offset;        /* guest TSC - host TSC */
    int last_pcpu;             /* pvclock is refreshed when this changes */
    uint64_t msr_hypercall_page;
    /* Paging state at the last exit, for guest page walks. */
    uint64_t cr0, cr3, cr4, efer;
    bool cs_long;              /* CS.L at the last exit */
    uint8_t cpl;               /* privilege level at the last exit */
    bool regs_valid;           /* kvm_run sync_regs hold this vCPU's state */
    struct vlapic *vlapic;     /* in d->lapics (hvm/intr.c), NULL for none */
};

/* x86 control register and EFER bits the core looks at. */
#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_WP (1ULL << 16)
#define X86_CR0_PG (1ULL << 31)
#define X86_CR4_PSE (1ULL << 4)
#define X86_CR4_PAE (1ULL << 5)
#define X86_CR4_LA57 (1ULL << 12)
#define X86_EFER_LME (1ULL << 8)
#define X86_EFER_LMA (1ULL << 10)
#define X86_EFER_NX (1ULL << 11)
#define X86_EFLAGS_IF (1ULL << 9)

#endif
