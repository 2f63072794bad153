/* SPDX-License-Identifier: MIT */
/*
 * Initial vCPU state for HVM/PVH guests, passed to VCPUOP_initialise.
 * Same layout for 32- and 64-bit callers (128 bytes).
 */
#ifndef __XEN_PUBLIC_HVM_HVM_VCPU_H__
#define __XEN_PUBLIC_HVM_HVM_VCPU_H__

#include "../xen.h"

/* Start in 32-bit (protected or compatibility) mode. */
struct vcpu_hvm_x86_32 {
    uint32_t eax;               /* IN */
    uint32_t ecx;               /* IN */
    uint32_t edx;               /* IN */
    uint32_t ebx;               /* IN */
    uint32_t esp;               /* IN */
    uint32_t ebp;               /* IN */
    uint32_t esi;               /* IN */
    uint32_t edi;               /* IN */
    uint32_t eip;               /* IN */
    uint32_t eflags;            /* IN */

    uint32_t cr0;               /* IN */
    uint32_t cr3;               /* IN */
    uint32_t cr4;               /* IN */

    uint32_t pad1;

    /* Only NXE (with paging) or LME/LMA (compat mode) may be set. */
    uint64_t efer;              /* IN */

    uint32_t cs_base;           /* IN: hidden segment state */
    uint32_t ds_base;
    uint32_t ss_base;
    uint32_t es_base;
    uint32_t tr_base;
    uint32_t cs_limit;
    uint32_t ds_limit;
    uint32_t ss_limit;
    uint32_t es_limit;
    uint32_t tr_limit;
    uint16_t cs_ar;             /* IN: access rights, VMX-like packed */
    uint16_t ds_ar;
    uint16_t ss_ar;
    uint16_t es_ar;
    uint16_t tr_ar;

    uint16_t pad2[3];
};

/* Start directly in 64-bit long mode with flat segments. */
struct vcpu_hvm_x86_64 {
    uint64_t rax;               /* IN */
    uint64_t rcx;               /* IN */
    uint64_t rdx;               /* IN */
    uint64_t rbx;               /* IN */
    uint64_t rsp;               /* IN */
    uint64_t rbp;               /* IN */
    uint64_t rsi;               /* IN */
    uint64_t rdi;               /* IN */
    uint64_t rip;               /* IN */
    uint64_t rflags;            /* IN */

    uint64_t cr0;               /* IN */
    uint64_t cr3;               /* IN */
    uint64_t cr4;               /* IN */
    uint64_t efer;              /* IN */
};

struct vcpu_hvm_context {
#define VCPU_HVM_MODE_32B 0     /* use cpu_regs.x86_32 */
#define VCPU_HVM_MODE_64B 1     /* use cpu_regs.x86_64 */
    uint32_t mode;              /* IN: VCPU_HVM_MODE_* */

    uint32_t pad;

    union {
        struct vcpu_hvm_x86_32 x86_32;
        struct vcpu_hvm_x86_64 x86_64;
    } cpu_regs;                 /* IN */
};
typedef struct vcpu_hvm_context vcpu_hvm_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_hvm_context_t);

#endif /* __XEN_PUBLIC_HVM_HVM_VCPU_H__ */
