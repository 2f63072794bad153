/* SPDX-License-Identifier: MIT */
/*
 * x86 parts of the guest ABI shared by 32- and 64-bit guests: guest
 * handles, the per-arch pieces of shared_info/vcpu_info and the PV vCPU
 * context.  Included by xen.h; do not include directly.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_H__

#include <stdint.h>

/*
 * Guest handles.  A handle wraps a guest pointer in a struct so that
 * different pointee types cannot be mixed up.  Its size is the guest's
 * native pointer size: 8 bytes for 64-bit guests, 4 bytes for 32-bit
 * guests (Xen's compat layout, translated by the hypervisor).
 *
 * __DEFINE_XEN_GUEST_HANDLE(name, type) makes both
 * __guest_handle_<name> and __guest_handle_const_<name>.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name

#define __DEFINE_XEN_GUEST_HANDLE(name, type)  \
    ___DEFINE_XEN_GUEST_HANDLE(name, type);    \
    ___DEFINE_XEN_GUEST_HANDLE(const_ ## name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val)  do { (hnd).p = (val); } while (0)
#define set_xen_guest_handle(hnd, val)      set_xen_guest_handle_raw(hnd, val)
#define get_xen_guest_handle(val, hnd)      do { (val) = (hnd).p; } while (0)

#if defined(__x86_64__)
/* On x86-64 a native handle is already 64 bits wide. */
#define XEN_GUEST_HANDLE_64(name)       XEN_GUEST_HANDLE(name)
#endif

/* Turn a literal into an unsigned (long (long)) constant. */
#ifdef __ASSEMBLY__
#define xen_mk_uint(x)   x
#define xen_mk_ulong(x)  x
#define xen_mk_ullong(x) x
#else
#define __xen_mk_uint(x)  x ## U
#define __xen_mk_ulong(x) x ## UL
#define __xen_mk_ullong(x) x ## ULL
#define xen_mk_uint(x)    __xen_mk_uint(x)
#define xen_mk_ulong(x)   __xen_mk_ulong(x)
#define xen_mk_ullong(x)  __xen_mk_ullong(x)
#endif

#if defined(__i386__)
#include "xen-x86_32.h"
#elif defined(__x86_64__)
#include "xen-x86_64.h"
#else
#error "arch-x86/xen.h: unsupported architecture"
#endif

/* shared_info holds this many vcpu_info slots (more need VCPUOP_register_vcpu_info). */
#define XEN_LEGACY_MAX_VCPUS 32

/* x86 vcpu_info carries the PV event-upcall mask byte. */
#define XEN_HAVE_PV_UPCALL_MASK 1
#define XEN_HAVE_PV_GUEST_ENTRY 1

/* First GDT page a PV guest may not use (Xen's own descriptors follow). */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* Virtual IDT entry for HYPERVISOR_set_trap_table (PV). */
#define TI_GET_DPL(_ti)      ((_ti)->flags & 3)
#define TI_GET_IF(_ti)       ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((!!(_if)) << 2))
struct trap_info {
    uint8_t     vector;         /* IN: exception vector */
    uint8_t     flags;          /* IN: bits 0-1 DPL, bit 2 clear IF on entry */
    uint16_t    cs;             /* IN: handler code selector */
    xen_ulong_t address;        /* IN: handler address */
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

typedef uint64_t tsc_timestamp_t;

/* Full PV vCPU state for VCPUOP_initialise on PV guests. */
struct vcpu_guest_context {
    /* FXSAVE area first so it can be 16-byte aligned. */
    struct { char x[512]; } fpu_ctxt;       /* IN/OUT: FPU/SSE state */
#define VGCF_I387_VALID                (1 << 0)
#define VGCF_IN_KERNEL                 (1 << 2)
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)
    xen_ulong_t flags;                      /* IN/OUT: VGCF_* */
    struct cpu_user_regs user_regs;         /* IN/OUT: general registers */
    struct trap_info trap_ctxt[256];        /* IN/OUT: virtual IDT */
    xen_ulong_t ldt_base, ldt_ents;         /* IN/OUT: LDT linear base, entries */
    xen_ulong_t gdt_frames[16], gdt_ents;   /* IN/OUT: GDT frames, entries */
    xen_ulong_t kernel_ss, kernel_sp;       /* IN/OUT: ring-1 stack (TSS) */
    xen_ulong_t ctrlreg[8];                 /* IN/OUT: CR0-7; 64-bit user PT in CR1 */
    xen_ulong_t debugreg[8];                /* IN/OUT: DR0-7 */
#if defined(__i386__)
    xen_ulong_t event_callback_cs;          /* IN/OUT: event callback CS:EIP */
    xen_ulong_t event_callback_eip;
    xen_ulong_t failsafe_callback_cs;       /* IN/OUT: failsafe callback CS:EIP */
    xen_ulong_t failsafe_callback_eip;
#else
    xen_ulong_t event_callback_eip;         /* IN/OUT */
    xen_ulong_t failsafe_callback_eip;      /* IN/OUT */
    xen_ulong_t syscall_callback_eip;       /* IN/OUT */
#endif
    xen_ulong_t vm_assist;                  /* IN/OUT: VMASST_TYPE_* bitmap */
#if defined(__x86_64__)
    uint64_t    fs_base;                    /* IN/OUT: segment bases */
    uint64_t    gs_base_kernel;
    uint64_t    gs_base_user;
#endif
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

/* Arch part of shared_info (PV p2m bookkeeping, NMI reason). */
struct arch_shared_info {
    xen_ulong_t max_pfn;                    /* IN: entries in the p2m */
    xen_pfn_t   pfn_to_mfn_frame_list_list; /* IN: top of 3-level p2m frame list */
    xen_ulong_t nmi_reason;                 /* OUT: XEN_NMIREASON_* */
    /* Valid when p2m_cr3 != 0: a linear p2m list the tools can walk. */
    xen_ulong_t p2m_cr3;                    /* IN */
    xen_ulong_t p2m_vaddr;                  /* IN */
    xen_ulong_t p2m_generation;             /* IN: bumped around p2m changes */
#if defined(__i386__)
    uint32_t    wc_sec_hi;                  /* OUT: upper 32 bits of wc_sec */
#endif
};
typedef struct arch_shared_info arch_shared_info_t;

/*
 * Instruction prefix (ud2 + "xen") that makes the hypervisor emulate the
 * following instruction; used by PV guests for CPUID.
 */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f,0x0b,0x78,0x65,0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

/* I/O port whose writes go to the hypervisor console ("port E9"). */
#define XEN_HVM_DEBUGCONS_IOPORT 0xe9

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_H__ */
