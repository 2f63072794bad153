/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_domctl(xen_domctl_t *): domain management for the toolstack.
 *
 * Tools-only interface: guests never get past the permission check. The
 * layout is Xen 4.17's (interface version 0x15) for 64-bit tools; it is
 * not stable across Xen releases and XEN_DOMCTL_INTERFACE_VERSION says
 * which one a caller speaks (a mismatch gives -EACCES). Rule: any change
 * to a number or layout here bumps the version, as Xen does.
 *
 * Every operation is struct xen_domctl: cmd, interface_version, the
 * target domain and a 128-byte union of per-command arguments. Guest
 * handles inside it are 64 bits wide.
 */
#ifndef __XEN_PUBLIC_DOMCTL_H__
#define __XEN_PUBLIC_DOMCTL_H__

#include "xen.h"

#if !defined(__x86_64__)
#error "domctl.h: the tools interface is built for 64-bit x86 only"
#endif

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

/* 64-bit quantities that the 32-bit tools ABI also aligns to 8 bytes. */
typedef uint64_t uint64_aligned_t;
typedef int64_t int64_aligned_t;

/* A bitmap (of pCPUs, nodes) passed by reference. */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;  /* nr_bits bits, bit 0 = byte 0 bit 0 */
    uint32_t nr_bits;
};
typedef struct xenctl_bitmap xenctl_bitmap_t;

/*
 * x86 domain configuration (createdomain IN, getdomaininfo OUT): which
 * platform devices the hypervisor emulates, and MSR behaviour.
 */
struct xen_arch_domainconfig {
#define _XEN_X86_EMU_LAPIC          0
#define XEN_X86_EMU_LAPIC           (1U << _XEN_X86_EMU_LAPIC)
#define _XEN_X86_EMU_HPET           1
#define XEN_X86_EMU_HPET            (1U << _XEN_X86_EMU_HPET)
#define _XEN_X86_EMU_PM             2
#define XEN_X86_EMU_PM              (1U << _XEN_X86_EMU_PM)
#define _XEN_X86_EMU_RTC            3
#define XEN_X86_EMU_RTC             (1U << _XEN_X86_EMU_RTC)
#define _XEN_X86_EMU_IOAPIC         4
#define XEN_X86_EMU_IOAPIC          (1U << _XEN_X86_EMU_IOAPIC)
#define _XEN_X86_EMU_PIC            5
#define XEN_X86_EMU_PIC             (1U << _XEN_X86_EMU_PIC)
#define _XEN_X86_EMU_VGA            6
#define XEN_X86_EMU_VGA             (1U << _XEN_X86_EMU_VGA)
#define _XEN_X86_EMU_IOMMU          7
#define XEN_X86_EMU_IOMMU           (1U << _XEN_X86_EMU_IOMMU)
#define _XEN_X86_EMU_PIT            8
#define XEN_X86_EMU_PIT             (1U << _XEN_X86_EMU_PIT)
#define _XEN_X86_EMU_USE_PIRQ       9
#define XEN_X86_EMU_USE_PIRQ        (1U << _XEN_X86_EMU_USE_PIRQ)
#define _XEN_X86_EMU_VPCI           10
#define XEN_X86_EMU_VPCI            (1U << _XEN_X86_EMU_VPCI)
#define XEN_X86_EMU_ALL                                                       \
    (XEN_X86_EMU_LAPIC | XEN_X86_EMU_HPET | XEN_X86_EMU_PM |                  \
     XEN_X86_EMU_RTC | XEN_X86_EMU_IOAPIC | XEN_X86_EMU_PIC |                 \
     XEN_X86_EMU_VGA | XEN_X86_EMU_IOMMU | XEN_X86_EMU_PIT |                  \
     XEN_X86_EMU_USE_PIRQ | XEN_X86_EMU_VPCI)
    uint32_t emulation_flags;
/* Unhandled MSR accesses read 0 / drop writes instead of raising #GP. */
#define XEN_X86_MSR_RELAXED         (1U << 0)
    uint32_t misc_flags;
};

/*
 * XEN_DOMCTL_createdomain. xen_domctl.domain is IN/OUT: a free id in
 * [1, DOMID_FIRST_RESERVED) is used as given (-EEXIST if taken); 0 or a
 * reserved value asks for the next free id, returned in .domain. The new
 * domain has no memory and no vCPU runs until the first unpause.
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;                   /* IN: security label (XSM) */
    xen_domain_handle_t handle;         /* IN: UUID */
#define _XEN_DOMCTL_CDF_hvm           0
#define XEN_DOMCTL_CDF_hvm            (1U << _XEN_DOMCTL_CDF_hvm)
#define _XEN_DOMCTL_CDF_hap           1
#define XEN_DOMCTL_CDF_hap            (1U << _XEN_DOMCTL_CDF_hap)
#define _XEN_DOMCTL_CDF_s3_integrity  2
#define XEN_DOMCTL_CDF_s3_integrity   (1U << _XEN_DOMCTL_CDF_s3_integrity)
#define _XEN_DOMCTL_CDF_oos_off       3
#define XEN_DOMCTL_CDF_oos_off        (1U << _XEN_DOMCTL_CDF_oos_off)
#define _XEN_DOMCTL_CDF_xs_domain     4
#define XEN_DOMCTL_CDF_xs_domain      (1U << _XEN_DOMCTL_CDF_xs_domain)
#define _XEN_DOMCTL_CDF_iommu         5
#define XEN_DOMCTL_CDF_iommu          (1U << _XEN_DOMCTL_CDF_iommu)
#define _XEN_DOMCTL_CDF_nested_virt   6
#define XEN_DOMCTL_CDF_nested_virt    (1U << _XEN_DOMCTL_CDF_nested_virt)
#define XEN_DOMCTL_CDF_vpmu           (1U << 7)
#define XEN_DOMCTL_CDF_MAX            XEN_DOMCTL_CDF_vpmu
    uint32_t flags;                     /* IN: XEN_DOMCTL_CDF_* */
#define _XEN_DOMCTL_IOMMU_no_sharept  0
#define XEN_DOMCTL_IOMMU_no_sharept   (1U << _XEN_DOMCTL_IOMMU_no_sharept)
#define XEN_DOMCTL_IOMMU_MAX          XEN_DOMCTL_IOMMU_no_sharept
    uint32_t iommu_opts;                /* IN: XEN_DOMCTL_IOMMU_* */
    uint32_t max_vcpus;                 /* IN: >= 1 */
    uint32_t max_evtchn_port;           /* IN: highest port it may open */
    int32_t max_grant_frames;           /* IN: < 0: the hypervisor's default */
    int32_t max_maptrack_frames;        /* IN: < 0: the hypervisor's default */
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)
    uint32_t grant_opts;                /* IN: highest grant version allowed */
    uint32_t vmtrace_size;              /* IN: per-vCPU trace buffer, 0 = none */
    uint32_t cpupool_id;                /* IN: 0 or an existing pool */
    struct xen_arch_domainconfig arch;  /* IN */
};

/*
 * XEN_DOMCTL_getdomaininfo: the first domain whose id is >= .domain
 * (-ESRCH if none); its id is also written to xen_domctl.domain.
 */
struct xen_domctl_getdomaininfo {
    domid_t domain;                     /* OUT */
    uint16_t pad1;
#define _XEN_DOMINF_dying     0
#define XEN_DOMINF_dying      (1U << _XEN_DOMINF_dying)
#define _XEN_DOMINF_hvm_guest 1
#define XEN_DOMINF_hvm_guest  (1U << _XEN_DOMINF_hvm_guest)
#define _XEN_DOMINF_shutdown  2
#define XEN_DOMINF_shutdown   (1U << _XEN_DOMINF_shutdown)
#define _XEN_DOMINF_paused    3
#define XEN_DOMINF_paused     (1U << _XEN_DOMINF_paused)
#define _XEN_DOMINF_blocked   4
#define XEN_DOMINF_blocked    (1U << _XEN_DOMINF_blocked)
#define _XEN_DOMINF_running   5
#define XEN_DOMINF_running    (1U << _XEN_DOMINF_running)
#define _XEN_DOMINF_debugged  6
#define XEN_DOMINF_debugged   (1U << _XEN_DOMINF_debugged)
#define _XEN_DOMINF_xs_domain 7
#define XEN_DOMINF_xs_domain  (1U << _XEN_DOMINF_xs_domain)
#define _XEN_DOMINF_hap       8
#define XEN_DOMINF_hap        (1U << _XEN_DOMINF_hap)
/* The shutdown code (SHUTDOWN_*) sits in bits 16-23. */
#define XEN_DOMINF_shutdownmask  255
#define XEN_DOMINF_shutdownshift 16
    uint32_t flags;                     /* OUT: XEN_DOMINF_* */
    uint64_aligned_t tot_pages;         /* OUT */
    uint64_aligned_t max_pages;         /* OUT */
    uint64_aligned_t outstanding_pages; /* OUT */
    uint64_aligned_t shr_pages;         /* OUT */
    uint64_aligned_t paged_pages;       /* OUT */
    uint64_aligned_t shared_info_frame; /* OUT: gfn of shared_info */
    uint64_aligned_t cpu_time;          /* OUT: ns run by all vCPUs */
    uint32_t nr_online_vcpus;           /* OUT */
#define XEN_INVALID_MAX_VCPU_ID (~0U)
    uint32_t max_vcpu_id;               /* OUT */
    uint32_t ssidref;                   /* OUT */
    xen_domain_handle_t handle;         /* OUT */
    uint32_t cpupool;                   /* OUT */
    uint8_t gpaddr_bits;                /* OUT: guest-physical address width */
    uint8_t pad2[7];
    struct xen_arch_domainconfig arch_config;   /* OUT */
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t);

/* XEN_DOMCTL_max_mem: the domain's memory limit. */
struct xen_domctl_max_mem {
    uint64_aligned_t max_memkb;         /* IN */
};

/* XEN_DOMCTL_getvcpuinfo */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;                      /* IN */
    uint8_t online;                     /* OUT: up (not hot-unplugged) */
    uint8_t blocked;                    /* OUT: waiting for an event */
    uint8_t running;                    /* OUT: on a pCPU now */
    uint64_aligned_t cpu_time;          /* OUT: ns run */
    uint32_t cpu;                       /* OUT: pCPU it runs or last ran on */
};

/*
 * XEN_DOMCTL_setvcpuaffinity / XEN_DOMCTL_getvcpuaffinity: the pCPUs a
 * vCPU may run on (hard) and prefers (soft). Set: the maps are IN, and
 * OUT the effective affinity (hard: & online pCPUs; soft: & hard &
 * online). Get: OUT, the masks as last set.
 */
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;                      /* IN */
#define _XEN_VCPUAFFINITY_HARD  0
#define XEN_VCPUAFFINITY_HARD   (1U << _XEN_VCPUAFFINITY_HARD)
#define _XEN_VCPUAFFINITY_SOFT  1
#define XEN_VCPUAFFINITY_SOFT   (1U << _XEN_VCPUAFFINITY_SOFT)
#define _XEN_VCPUAFFINITY_FORCE 2          /* undo SCHEDOP_pin_override */
#define XEN_VCPUAFFINITY_FORCE  (1U << _XEN_VCPUAFFINITY_FORCE)
    uint32_t flags;                     /* IN */
    struct xenctl_bitmap cpumap_hard;   /* IN/OUT */
    struct xenctl_bitmap cpumap_soft;   /* IN/OUT */
};

/*
 * XEN_DOMCTL_max_vcpus: must repeat the max_vcpus given at createdomain
 * (-EINVAL otherwise); Xen 4.17 still has toolstacks call it.
 */
struct xen_domctl_max_vcpus {
    uint32_t max;                       /* IN */
};

/* XEN_DOMCTL_settimeoffset: seconds added to the domain's wallclock. */
struct xen_domctl_settimeoffset {
    int64_aligned_t time_offset_seconds;    /* IN */
};

/*
 * XEN_DOMCTL_gethvmcontext / XEN_DOMCTL_sethvmcontext: the domain's vCPU
 * state as HVM save records (hvm/save.h). Get with a NULL buffer returns
 * the size needed in .size; otherwise .size is the buffer's size IN and
 * the bytes written OUT (-ENOSPC if too small). Set loads .size bytes.
 */
struct xen_domctl_hvmcontext {
    uint32_t size;                      /* IN/OUT */
    XEN_GUEST_HANDLE_64(uint8) buffer;  /* IN (NULL: query the size) */
};

/* Scheduler ids (XEN_SYSCTL_sched_id, XEN_DOMCTL_scheduler_op). */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

/*
 * XEN_DOMCTL_scheduler_op: a domain's parameters under its pool's
 * scheduler; sched_id must be that scheduler's (-EINVAL otherwise).
 * credit: weight 0 and cap 0xffff leave a value unchanged, cap 0 is no
 * cap. credit2: weight 0 leaves it unchanged, cap 0 is no cap, at most
 * 100 per vCPU. Caps are in percent of one pCPU.
 */
struct xen_domctl_sched_credit {
    uint16_t weight;                    /* IN/OUT */
    uint16_t cap;                       /* IN/OUT */
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;                    /* IN/OUT */
    uint16_t cap;                       /* IN/OUT */
};

struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
#define _XEN_DOMCTL_SCHEDRT_extra   0
#define XEN_DOMCTL_SCHEDRT_extra    (1U << _XEN_DOMCTL_SCHEDRT_extra)
    uint32_t flags;
};

typedef struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
    } u;
    uint32_t vcpuid;
} xen_domctl_schedparam_vcpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_schedparam_vcpu_t);

/* Per-vCPU commands are for per-vCPU schedulers (RTDS) only. */
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_scheduler_op {
    uint32_t sched_id;                  /* IN: XEN_SCHEDULER_* */
    uint32_t cmd;                       /* IN: XEN_DOMCTL_SCHEDOP_* */
    union {                             /* IN/OUT */
        struct xen_domctl_sched_credit credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds rtds;
        struct {
            XEN_GUEST_HANDLE_64(xen_domctl_schedparam_vcpu_t) vcpus;
            uint32_t nr_vcpus;          /* IN: entries; OUT: processed */
            uint32_t padding;
        } v;
    } u;
};

/* Commands (xen_domctl.cmd). */
#define XEN_DOMCTL_createdomain                   1
#define XEN_DOMCTL_destroydomain                  2
#define XEN_DOMCTL_pausedomain                    3
#define XEN_DOMCTL_unpausedomain                  4
#define XEN_DOMCTL_getdomaininfo                  5
#define XEN_DOMCTL_setvcpuaffinity                9
#define XEN_DOMCTL_shadow_op                     10
#define XEN_DOMCTL_max_mem                       11
#define XEN_DOMCTL_setvcpucontext                12
#define XEN_DOMCTL_getvcpucontext                13
#define XEN_DOMCTL_getvcpuinfo                   14
#define XEN_DOMCTL_max_vcpus                     15
#define XEN_DOMCTL_scheduler_op                  16
#define XEN_DOMCTL_setdomainhandle               17
#define XEN_DOMCTL_setdebugging                  18
#define XEN_DOMCTL_irq_permission                19
#define XEN_DOMCTL_iomem_permission              20
#define XEN_DOMCTL_ioport_permission             21
#define XEN_DOMCTL_hypercall_init                22
#define XEN_DOMCTL_soft_reset_cont               23
#define XEN_DOMCTL_settimeoffset                 24
#define XEN_DOMCTL_getvcpuaffinity               25
#define XEN_DOMCTL_real_mode_area                26
#define XEN_DOMCTL_resumedomain                  27
#define XEN_DOMCTL_sendtrigger                   28
#define XEN_DOMCTL_subscribe                     29
#define XEN_DOMCTL_gethvmcontext                 33
#define XEN_DOMCTL_sethvmcontext                 34
#define XEN_DOMCTL_set_address_size              35
#define XEN_DOMCTL_get_address_size              36
#define XEN_DOMCTL_assign_device                 37
#define XEN_DOMCTL_bind_pt_irq                   38
#define XEN_DOMCTL_memory_mapping                39
#define XEN_DOMCTL_ioport_mapping                40
#define XEN_DOMCTL_set_ext_vcpucontext           42
#define XEN_DOMCTL_get_ext_vcpucontext           43
#define XEN_DOMCTL_set_opt_feature               44
#define XEN_DOMCTL_test_assign_device            45
#define XEN_DOMCTL_set_target                    46
#define XEN_DOMCTL_deassign_device               47
#define XEN_DOMCTL_unbind_pt_irq                 48
#define XEN_DOMCTL_get_device_group              50
#define XEN_DOMCTL_debug_op                      54
#define XEN_DOMCTL_gethvmcontext_partial         55
#define XEN_DOMCTL_vm_event_op                   56
#define XEN_DOMCTL_mem_sharing_op                57
#define XEN_DOMCTL_gettscinfo                    59
#define XEN_DOMCTL_settscinfo                    60
#define XEN_DOMCTL_getpageframeinfo3             61
#define XEN_DOMCTL_setvcpuextstate               62
#define XEN_DOMCTL_getvcpuextstate               63
#define XEN_DOMCTL_set_access_required           64
#define XEN_DOMCTL_audit_p2m                     65
#define XEN_DOMCTL_set_virq_handler              66
#define XEN_DOMCTL_set_broken_page_p2m           67
#define XEN_DOMCTL_setnodeaffinity               68
#define XEN_DOMCTL_getnodeaffinity               69
#define XEN_DOMCTL_cacheflush                    71
#define XEN_DOMCTL_get_vcpu_msrs                 72
#define XEN_DOMCTL_set_vcpu_msrs                 73
#define XEN_DOMCTL_setvnumainfo                  74
#define XEN_DOMCTL_psr_cmt_op                    75
#define XEN_DOMCTL_monitor_op                    77
#define XEN_DOMCTL_psr_alloc                     78
#define XEN_DOMCTL_soft_reset                    79
#define XEN_DOMCTL_vuart_op                      81
#define XEN_DOMCTL_get_cpu_policy                82
#define XEN_DOMCTL_set_cpu_policy                83
#define XEN_DOMCTL_vmtrace_op                    84
#define XEN_DOMCTL_get_paging_mempool_size       85
#define XEN_DOMCTL_set_paging_mempool_size       86
#define XEN_DOMCTL_gdbsx_guestmemio            1000
#define XEN_DOMCTL_gdbsx_pausevcpu             1001
#define XEN_DOMCTL_gdbsx_unpausevcpu           1002
#define XEN_DOMCTL_gdbsx_domstatus             1003

struct xen_domctl {
    uint32_t cmd;                       /* IN: XEN_DOMCTL_* */
    uint32_t interface_version;         /* IN: XEN_DOMCTL_INTERFACE_VERSION */
    domid_t domain;                     /* IN (OUT for create, getdomaininfo) */
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain createdomain;
        struct xen_domctl_getdomaininfo getdomaininfo;
        struct xen_domctl_vcpuaffinity vcpuaffinity;
        struct xen_domctl_max_mem max_mem;
        struct xen_domctl_getvcpuinfo getvcpuinfo;
        struct xen_domctl_max_vcpus max_vcpus;
        struct xen_domctl_settimeoffset settimeoffset;
        struct xen_domctl_hvmcontext hvmcontext;
        struct xen_domctl_scheduler_op scheduler_op;
        uint8_t pad[128];               /* the size of every command's union */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);

#endif /* __XEN_PUBLIC_DOMCTL_H__ */
