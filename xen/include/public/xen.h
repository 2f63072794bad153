/* SPDX-License-Identifier: MIT */
/*
 * xen.h - core of the Xenon guest ABI.
 *
 * The headers under xen/include/public/ describe the interface between
 * guests and the hypervisor: hypercall numbers, sub-op numbers, struct
 * layouts and shared-memory page formats.  Guests built for Xen use them
 * unchanged, so every number, identifier and layout must match the Xen
 * 4.17 x86 ABI exactly (64-bit layouts with -m64, Xen's 32-bit "compat"
 * layouts with -m32).  tests/unit/test-abi-layout.c pins the layouts.
 *
 * Versioning: __XEN_INTERFACE_VERSION__ defaults to 0x00040e00
 * (xen-compat.h).  Rule: existing numbers and layouts never change; new
 * hypercalls, sub-ops, constants and fields are only appended (new fields
 * only into padding or at the end of structs whose size the guest passes).
 */
#ifndef __XEN_PUBLIC_XEN_H__
#define __XEN_PUBLIC_XEN_H__

#include <stdint.h>

#include "xen-compat.h"

#if defined(__i386__) || defined(__x86_64__)
#include "arch-x86/xen.h"
#else
#error "xen.h: only x86 guests are supported"
#endif

/* Flexible array dimension for variable-length trailing arrays. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define XEN_FLEX_ARRAY_DIM  /* empty */
#else
#define XEN_FLEX_ARRAY_DIM  1
#endif

/* Handles for primitive types. */
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
__DEFINE_XEN_GUEST_HANDLE(uint,  unsigned int);
DEFINE_XEN_GUEST_HANDLE(char);
DEFINE_XEN_GUEST_HANDLE(int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* Hypercall numbers (index into the hypercall page, 32 bytes per stub). */
#define __HYPERVISOR_set_trap_table            0
#define __HYPERVISOR_mmu_update                1
#define __HYPERVISOR_set_gdt                   2
#define __HYPERVISOR_stack_switch              3
#define __HYPERVISOR_set_callbacks             4
#define __HYPERVISOR_fpu_taskswitch            5
#define __HYPERVISOR_sched_op_compat           6 /* superseded by 29 */
#define __HYPERVISOR_platform_op               7
#define __HYPERVISOR_set_debugreg              8
#define __HYPERVISOR_get_debugreg              9
#define __HYPERVISOR_update_descriptor        10
/* 11 is unused */
#define __HYPERVISOR_memory_op                12
#define __HYPERVISOR_multicall                13
#define __HYPERVISOR_update_va_mapping        14
#define __HYPERVISOR_set_timer_op             15
#define __HYPERVISOR_event_channel_op_compat  16 /* superseded by 32 */
#define __HYPERVISOR_xen_version              17
#define __HYPERVISOR_console_io               18
#define __HYPERVISOR_physdev_op_compat        19 /* superseded by 33 */
#define __HYPERVISOR_grant_table_op           20
#define __HYPERVISOR_vm_assist                21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                     23 /* x86 only */
#define __HYPERVISOR_vcpu_op                  24
#define __HYPERVISOR_set_segment_base         25 /* x86-64 only */
#define __HYPERVISOR_mmuext_op                26
#define __HYPERVISOR_xsm_op                   27
#define __HYPERVISOR_nmi_op                   28
#define __HYPERVISOR_sched_op                 29
#define __HYPERVISOR_callback_op              30
#define __HYPERVISOR_xenoprof_op              31
#define __HYPERVISOR_event_channel_op         32
#define __HYPERVISOR_physdev_op               33
#define __HYPERVISOR_hvm_op                   34
#define __HYPERVISOR_sysctl                   35
#define __HYPERVISOR_domctl                   36
#define __HYPERVISOR_kexec_op                 37
#define __HYPERVISOR_tmem_op                  38
#define __HYPERVISOR_argo_op                  39
#define __HYPERVISOR_xenpmu_op                40
#define __HYPERVISOR_dm_op                    41
#define __HYPERVISOR_hypfs_op                 42

/* Architecture-specific hypercalls. */
#define __HYPERVISOR_arch_0                   48
#define __HYPERVISOR_arch_1                   49
#define __HYPERVISOR_arch_2                   50
#define __HYPERVISOR_arch_3                   51
#define __HYPERVISOR_arch_4                   52
#define __HYPERVISOR_arch_5                   53
#define __HYPERVISOR_arch_6                   54
#define __HYPERVISOR_arch_7                   55

/* x86 uses of the arch slots. */
#define __HYPERVISOR_mca                      __HYPERVISOR_arch_0
#define __HYPERVISOR_paging_domctl_cont       __HYPERVISOR_arch_1

/* Old name kept for source compatibility. */
#define __HYPERVISOR_sched_op_new             __HYPERVISOR_sched_op

/*
 * Virtual interrupts, bound with EVTCHNOP_bind_virq.  Global VIRQs may be
 * bound on one vCPU only; the others are per vCPU.
 */
#define VIRQ_TIMER      0  /* per-vCPU: timer tick / one-shot timer */
#define VIRQ_DEBUG      1  /* per-vCPU: debug key request */
#define VIRQ_CONSOLE    2  /* global: emergency console (dom0) */
#define VIRQ_DOM_EXC    3  /* global: a domain changed state (dom0) */
#define VIRQ_TBUF       4  /* global: trace buffers need draining */
#define VIRQ_DEBUGGER   6  /* global: a domain paused for the debugger */
#define VIRQ_XENOPROF   7  /* per-vCPU: profiling samples */
#define VIRQ_CON_RING   8  /* global: hypervisor console ring has data */
#define VIRQ_PCPU_STATE 9  /* global: physical CPU state changed */
#define VIRQ_MEM_EVENT  10 /* global: memory event ring */
#define VIRQ_ARGO       11 /* per-vCPU: argo message pending */
#define VIRQ_ENOMEM     12 /* global: low on hypervisor memory */
#define VIRQ_XENPMU     13 /* per-vCPU: PMU interrupt */

#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23

#define VIRQ_MCA        VIRQ_ARCH_0 /* x86: machine check */

#define NR_VIRQS        24

/*
 * HYPERVISOR_mmu_update: the low 2 bits of mmu_update.ptr select the
 * command; the rest is a machine address.
 */
#define MMU_NORMAL_PT_UPDATE       0 /* *ptr = val (checked PTE write) */
#define MMU_MACHPHYS_UPDATE        1 /* M2P[ptr >> PAGE_SHIFT] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2 /* as 0, keep A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* as 0, ptr is not translated */

struct mmu_update {
    uint64_t ptr;       /* IN: machine address of the PTE | MMU_* command */
    uint64_t val;       /* IN: new contents */
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/* HYPERVISOR_mmuext_op commands (struct mmuext_op.cmd). */
#define MMUEXT_PIN_L1_TABLE      0
#define MMUEXT_PIN_L2_TABLE      1
#define MMUEXT_PIN_L3_TABLE      2
#define MMUEXT_PIN_L4_TABLE      3
#define MMUEXT_UNPIN_TABLE       4
#define MMUEXT_NEW_BASEPTR       5
#define MMUEXT_TLB_FLUSH_LOCAL   6
#define MMUEXT_INVLPG_LOCAL      7
#define MMUEXT_TLB_FLUSH_MULTI   8
#define MMUEXT_INVLPG_MULTI      9
#define MMUEXT_TLB_FLUSH_ALL    10
#define MMUEXT_INVLPG_ALL       11
#define MMUEXT_FLUSH_CACHE      12
#define MMUEXT_SET_LDT          13
/* 14 is unused */
#define MMUEXT_NEW_USER_BASEPTR 15
#define MMUEXT_CLEAR_PAGE       16
#define MMUEXT_COPY_PAGE        17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER       19
#define MMUEXT_UNMARK_SUPER     20

struct mmuext_op {
    unsigned int cmd;                   /* IN: MMUEXT_* */
    union {
        xen_pfn_t   mfn;                /* IN: pin/unpin, baseptr, clear/copy page */
        xen_ulong_t linear_addr;        /* IN: INVLPG_*, SET_LDT */
    } arg1;
    union {
        unsigned int nr_ents;           /* IN: SET_LDT */
        XEN_GUEST_HANDLE(const_void) vcpumask; /* IN: *_MULTI */
        xen_pfn_t   src_mfn;            /* IN: COPY_PAGE */
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);

/* HYPERVISOR_update_va_mapping flags. */
#define UVMF_NONE           (xen_mk_ulong(0) << 0) /* no flush */
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0) /* flush whole TLB */
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0) /* flush one VA */
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
#define UVMF_MULTI          (xen_mk_ulong(0) << 2) /* vCPU mask follows in the flags */
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2) /* this vCPU only */
#define UVMF_ALL            (xen_mk_ulong(1) << 2) /* all vCPUs */

/* HYPERVISOR_console_io commands. */
#define CONSOLEIO_write     0
#define CONSOLEIO_read      1

/* HYPERVISOR_vm_assist commands and types. */
#define VMASST_CMD_enable   0
#define VMASST_CMD_disable  1

#define VMASST_TYPE_4gb_segments          0
#define VMASST_TYPE_4gb_segments_notify   1
#define VMASST_TYPE_writable_pagetables   2
#define VMASST_TYPE_pae_extended_cr3      3
#define VMASST_TYPE_architectural_iopl    4
#define VMASST_TYPE_runstate_update_flag  5
#define VMASST_TYPE_m2p_strict           32

/* Domain identifiers; values >= DOMID_FIRST_RESERVED are special. */
typedef uint16_t domid_t;

#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U /* the calling domain */
#define DOMID_IO             0x7FF1U /* owner of I/O memory */
#define DOMID_XEN            0x7FF2U /* owner of hypervisor pages */
#define DOMID_COW            0x7FF3U /* owner of shared (CoW) pages */
#define DOMID_INVALID        0x7FF4U
#define DOMID_IDLE           0x7FFFU
#define DOMID_MASK           0x7FFFU

/* Event channel port number. */
typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/* HYPERVISOR_multicall: one batched hypercall. */
struct multicall_entry {
    xen_ulong_t op;                     /* IN: hypercall number */
    xen_ulong_t result;                 /* OUT: its return value */
    xen_ulong_t args[6];                /* IN: its arguments */
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * Per-vCPU time (pvclock).  The guest reads it while version is even and
 * unchanged across the read:
 *   ns = system_time + ((tsc - tsc_timestamp) << tsc_shift) * mul >> 32
 * (shift right instead when tsc_shift is negative).
 */
struct vcpu_time_info {
    uint32_t version;           /* OUT: odd while an update is in progress */
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* OUT: TSC at the last update */
    uint64_t system_time;       /* OUT: ns since boot at the last update */
    uint32_t tsc_to_system_mul; /* OUT: TSC-to-ns multiplier, 32.32 fixed */
    int8_t   tsc_shift;         /* OUT: pre-shift of the TSC delta */
    uint8_t  flags;             /* OUT: XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);

#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0) /* TSC is synchronised across vCPUs */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1) /* vCPU was paused by the host */

/* Per-vCPU shared data, 64 bytes. */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;      /* OUT: set when an event is pending */
    uint8_t evtchn_upcall_mask;         /* IN: guest masks upcalls (PV) */
    xen_ulong_t evtchn_pending_sel;     /* OUT: which evtchn_pending words to scan */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;         /* OUT */
};
typedef struct vcpu_info vcpu_info_t;

/* The shared_info page (one per domain; 3136 bytes on x86-64). */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    /* 2-level event channel bitmaps, one bit per port. */
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8]; /* OUT */
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];    /* IN */
    /* Wallclock at system time 0; read like vcpu_time_info (version). */
    uint32_t wc_version;                /* OUT */
    uint32_t wc_sec;                    /* OUT */
    uint32_t wc_nsec;                   /* OUT */
#if !defined(__i386__)
    uint32_t wc_sec_hi;                 /* OUT: upper 32 bits of wc_sec */
#define xen_wc_sec_hi wc_sec_hi
#else
#define xen_wc_sec_hi arch.wc_sec_hi
#endif
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;

/*
 * PV start of day: pointed to by %rsi (%esi) at the kernel entry point.
 * 1168 bytes on x86-64, cmd_line at offset 128.
 */
#define MAX_GUEST_CMDLINE 1024
struct start_info {
    char magic[32];             /* OUT: "xen-<version>-<platform>" */
    xen_ulong_t nr_pages;       /* OUT: pages given to the domain */
    xen_ulong_t shared_info;    /* OUT: machine address of shared_info */
    uint32_t flags;             /* OUT: SIF_* */
    xen_pfn_t store_mfn;        /* OUT: xenstore ring frame */
    uint32_t store_evtchn;      /* OUT: xenstore event channel */
    union {
        struct {
            xen_pfn_t mfn;      /* OUT: console ring frame */
            uint32_t  evtchn;   /* OUT: console event channel */
        } domU;
        struct {
            uint32_t info_off;  /* OUT: offset of dom0 console info */
            uint32_t info_size; /* OUT: its size */
        } dom0;
    } console;
    xen_ulong_t pt_base;        /* OUT: virtual address of the top page table */
    xen_ulong_t nr_pt_frames;   /* OUT: frames of boot page tables */
    xen_ulong_t mfn_list;       /* OUT: virtual address of the p2m list */
    xen_ulong_t mod_start;      /* OUT: module address (or pfn, SIF_MOD_START_PFN) */
    xen_ulong_t mod_len;        /* OUT: module size in bytes */
    int8_t cmd_line[MAX_GUEST_CMDLINE]; /* OUT: kernel command line */
    xen_ulong_t first_p2m_pfn;  /* OUT: first pfn of the initial p2m */
    xen_ulong_t nr_p2m_frames;  /* OUT: frames of the initial p2m */
};
typedef struct start_info start_info_t;

/* start_info.flags (also hvm_start_info.flags). */
#define SIF_PRIVILEGED      (1 << 0) /* domain may use privileged ops */
#define SIF_INITDOMAIN      (1 << 1) /* this is the initial domain */
#define SIF_MULTIBOOT_MOD   (1 << 2) /* mod_start is a xen_multiboot_mod_list */
#define SIF_MOD_START_PFN   (1 << 3) /* mod_start is a pfn, not an address */
#define SIF_VIRT_P2M_4TOOLS (1 << 4) /* tools use the virtual p2m list */
#define SIF_PM_MASK         (0xFF << 8) /* power-management flags */

/* Module list entry used when SIF_MULTIBOOT_MOD is set. */
struct xen_multiboot_mod_list {
    uint32_t mod_start;         /* OUT: physical start of the module */
    uint32_t mod_end;           /* OUT: physical address of the last byte */
    uint32_t cmdline;           /* OUT: physical address of its command line */
    uint32_t pad;
};

/* Dom0 VGA/VESA console description (start_info.console.dom0). */
typedef struct dom0_vga_console_info {
    uint8_t video_type;         /* OUT: XEN_VGATYPE_* */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70
    union {
        struct {
            uint16_t font_height;           /* OUT: pixels */
            uint16_t cursor_x, cursor_y;    /* OUT: column, row */
            uint16_t rows, columns;         /* OUT: characters */
        } text_mode_3;
        struct {
            uint16_t width, height;         /* OUT: pixels */
            uint16_t bytes_per_line;        /* OUT */
            uint16_t bits_per_pixel;        /* OUT */
            uint32_t lfb_base;              /* OUT: framebuffer address, low 32 bits */
            uint32_t lfb_size;              /* OUT: in 64 KiB units */
            uint8_t  red_pos, red_size;     /* OUT: VBE colour masks */
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;              /* OUT: VBE capabilities */
            uint16_t mode_attrs;            /* OUT: VBE mode attributes */
            uint16_t pad;
            uint32_t ext_lfb_base;          /* OUT: framebuffer address, high 32 bits */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t

/* Misc types. */
typedef uint8_t xen_domain_handle_t[16];

__DEFINE_XEN_GUEST_HANDLE(uint8,  uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

/*
 * Build a xen_uuid_t from the usual 8-4-4-4-12 groups (big-endian byte
 * order, as Linux and libuuid use).
 */
#define XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6)            \
    {{ ((a) >> 24) & 0xFF, ((a) >> 16) & 0xFF,                          \
       ((a) >>  8) & 0xFF, (a) & 0xFF,                                  \
       ((b) >>  8) & 0xFF, (b) & 0xFF,                                  \
       ((c) >>  8) & 0xFF, (c) & 0xFF,                                  \
       ((d) >>  8) & 0xFF, (d) & 0xFF,                                  \
       e1, e2, e3, e4, e5, e6 }}
#define XEN_DEFINE_UUID(a, b, c, d, e1, e2, e3, e4, e5, e6)             \
    ((xen_uuid_t)XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6))

#endif /* __XEN_PUBLIC_XEN_H__ */
