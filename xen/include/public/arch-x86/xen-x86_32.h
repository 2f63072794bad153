/* SPDX-License-Identifier: MIT */
/*
 * 32-bit x86 parts of the guest ABI.  Compiled with -m32 these give the
 * layouts Xen calls "compat" (what a 64-bit hypervisor sees from a 32-bit
 * guest); the hypervisor translates them.  Included only through
 * arch-x86/xen.h.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__

/* Flat segment selectors Xen installs in its reserved GDT entries. */
#define FLAT_RING1_CS 0xe019    /* GDT entry 259 */
#define FLAT_RING1_DS 0xe021    /* GDT entry 260 */
#define FLAT_RING1_SS 0xe021    /* GDT entry 260 */
#define FLAT_RING3_CS 0xe02b    /* GDT entry 261 */
#define FLAT_RING3_DS 0xe033    /* GDT entry 262 */
#define FLAT_RING3_SS 0xe033    /* GDT entry 262 */

#define FLAT_KERNEL_CS FLAT_RING1_CS
#define FLAT_KERNEL_DS FLAT_RING1_DS
#define FLAT_KERNEL_SS FLAT_RING1_SS
#define FLAT_USER_CS   FLAT_RING3_CS
#define FLAT_USER_DS   FLAT_RING3_DS
#define FLAT_USER_SS   FLAT_RING3_SS

/* Hypervisor hole as seen by a 32-bit PAE PV guest on a 64-bit Xen. */
#define __HYPERVISOR_VIRT_START_PAE 0xF5800000
#define __MACH2PHYS_VIRT_START_PAE  0xF5800000
#define __MACH2PHYS_VIRT_END_PAE    0xF6800000
#define HYPERVISOR_VIRT_START_PAE   xen_mk_ulong(__HYPERVISOR_VIRT_START_PAE)
#define MACH2PHYS_VIRT_START_PAE    xen_mk_ulong(__MACH2PHYS_VIRT_START_PAE)
#define MACH2PHYS_VIRT_END_PAE      xen_mk_ulong(__MACH2PHYS_VIRT_END_PAE)

#define __HYPERVISOR_VIRT_START __HYPERVISOR_VIRT_START_PAE
#define __MACH2PHYS_VIRT_START  __MACH2PHYS_VIRT_START_PAE
#define __MACH2PHYS_VIRT_END    __MACH2PHYS_VIRT_END_PAE

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START xen_mk_ulong(__HYPERVISOR_VIRT_START)
#endif
#define MACH2PHYS_VIRT_START  xen_mk_ulong(__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END    xen_mk_ulong(__MACH2PHYS_VIRT_END)
#define MACH2PHYS_NR_ENTRIES  ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 2)

/* Native word-sized types. */
typedef uint32_t xen_ulong_t;
#define PRI_xen_ulong "x"       /* uint32_t is unsigned int on ILP32 */

typedef uint32_t xen_pfn_t;
#define PRI_xen_pfn "x"

/* Guest register frame (struct is 68 bytes). */
struct cpu_user_regs {
    uint32_t ebx;
    uint32_t ecx;
    uint32_t edx;
    uint32_t esi;
    uint32_t edi;
    uint32_t ebp;
    uint32_t eax;
    uint16_t error_code;        /* hypervisor private */
    uint16_t entry_vector;      /* hypervisor private */
    uint32_t eip;
    uint16_t cs;
    uint8_t  saved_upcall_mask;
    uint8_t  _pad0;
    uint32_t eflags;            /* IF mirrors !saved_upcall_mask */
    uint32_t esp;
    uint16_t ss, _pad1;
    uint16_t es, _pad2;
    uint16_t ds, _pad3;
    uint16_t fs, _pad4;
    uint16_t gs, _pad5;
};
typedef struct cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

/* Per-vCPU arch part of vcpu_info; sized so vcpu_info is 64 bytes. */
struct arch_vcpu_info {
    uint32_t cr2;               /* OUT: faulting address (PV) */
    uint32_t pad[5];
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* Callbacks carry a code selector on 32-bit. */
typedef struct {
    uint32_t cs;
    uint32_t eip;
} xen_callback_t;

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__ */
