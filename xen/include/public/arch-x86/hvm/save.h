/* SPDX-License-Identifier: MIT */
/*
 * x86 HVM save records (see ../../hvm/save.h). Only the record types
 * Xenon reads or writes are declared; the others keep their Xen
 * typecodes (PIC 3, IOAPIC 4, LAPIC 5, LAPIC_REGS 6, PCI_IRQ 7,
 * ISA_IRQ 8, PCI_LINK 9, PIT 10, RTC 11, HPET 12, PMTIMER 13,
 * VIRIDIAN_DOMAIN 15, VIRIDIAN_VCPU 17, VMCE_VCPU 18, TSC_ADJUST 19,
 * CPU_XSAVE 16, CPU_MSR 20).
 */
#ifndef __XEN_PUBLIC_HVM_SAVE_X86_H__
#define __XEN_PUBLIC_HVM_SAVE_X86_H__

#include <stdint.h>

/* HEADER: first record of every context. */
#define HVM_FILE_MAGIC   0x54381286
#define HVM_FILE_VERSION 0x00000001

struct hvm_save_header {
    uint32_t magic;             /* HVM_FILE_MAGIC */
    uint32_t version;           /* HVM_FILE_VERSION */
    uint64_t changeset;         /* build of the saving hypervisor */
    uint32_t cpuid;             /* CPUID leaf 1 %eax of the saving host */
    uint32_t gtsc_khz;          /* the guest's TSC frequency */
};
DECLARE_HVM_SAVE_TYPE(HEADER, 1, struct hvm_save_header);

/*
 * CPU: one per vCPU (instance = vCPU id). Segment attributes (*_arbytes)
 * are the 12-bit descriptor form: type 0-3, S 4, DPL 5-6, P 7, AVL 8,
 * L 9, D/B 10, G 11. 1032 bytes.
 */
struct hvm_hw_cpu {
    uint8_t fpu_regs[512];      /* FXSAVE image */

    uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;

    uint64_t rip;
    uint64_t rflags;

    uint64_t cr0;
    uint64_t cr2;
    uint64_t cr3;
    uint64_t cr4;

    uint64_t dr0, dr1, dr2, dr3, dr6, dr7;

    uint32_t cs_sel, ds_sel, es_sel, fs_sel, gs_sel, ss_sel, tr_sel,
        ldtr_sel;

    uint32_t cs_limit, ds_limit, es_limit, fs_limit, gs_limit, ss_limit,
        tr_limit, ldtr_limit, idtr_limit, gdtr_limit;

    uint64_t cs_base, ds_base, es_base, fs_base, gs_base, ss_base, tr_base,
        ldtr_base, idtr_base, gdtr_base;

    uint32_t cs_arbytes, ds_arbytes, es_arbytes, fs_arbytes, gs_arbytes,
        ss_arbytes, tr_arbytes, ldtr_arbytes;

    uint64_t sysenter_cs;
    uint64_t sysenter_esp;
    uint64_t sysenter_eip;

    uint64_t shadow_gs;         /* MSR_SHADOW_GS_BASE */

    uint64_t msr_flags;         /* obsolete, ignored */
    uint64_t msr_lstar;
    uint64_t msr_star;
    uint64_t msr_cstar;
    uint64_t msr_syscall_mask;
    uint64_t msr_efer;
    uint64_t msr_tsc_aux;

    uint64_t tsc;               /* the guest's TSC */

    /* An event being delivered, if any. */
    union {
        uint32_t pending_event;
        struct {
            uint8_t pending_vector : 8;
            uint8_t pending_type : 3;
            uint8_t pending_error_valid : 1;
            uint32_t pending_reserved : 19;
            uint8_t pending_valid : 1;
        };
    };
    uint32_t error_code;        /* of the pending event */

#define _XEN_X86_FPU_INITIALISED 0
#define XEN_X86_FPU_INITIALISED (1U << _XEN_X86_FPU_INITIALISED)
    uint32_t flags;
    uint32_t pad0;
};
DECLARE_HVM_SAVE_TYPE(CPU, 2, struct hvm_hw_cpu);

/* MTRR: one per vCPU. */
struct hvm_hw_mtrr {
#define MTRR_VCNT 8
#define NUM_FIXED_MSR 11
    uint64_t msr_pat_cr;
    uint64_t msr_mtrr_var[MTRR_VCNT * 2];   /* base/mask pairs */
    uint64_t msr_mtrr_fixed[NUM_FIXED_MSR];
    uint64_t msr_mtrr_cap;
    uint64_t msr_mtrr_def_type;
};
DECLARE_HVM_SAVE_TYPE(MTRR, 14, struct hvm_hw_mtrr);

#endif /* __XEN_PUBLIC_HVM_SAVE_X86_H__ */
