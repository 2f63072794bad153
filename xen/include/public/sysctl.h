/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_sysctl(xen_sysctl_t *): host-wide management for the
 * toolstack.
 *
 * Tools-only interface, like domctl.h: Xen 4.17's layout (interface
 * version 0x15) for 64-bit tools, checked on every call (-EACCES on a
 * mismatch); any change bumps XEN_SYSCTL_INTERFACE_VERSION.
 */
#ifndef __XEN_PUBLIC_SYSCTL_H__
#define __XEN_PUBLIC_SYSCTL_H__

#include "domctl.h"
#include "xen.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

/*
 * XEN_SYSCTL_readconsole: copy out the hypervisor console ring. Reads
 * start at the oldest byte kept, or at .index if incremental and .index
 * lies within what is kept; .index comes back as where the read ended.
 */
struct xen_sysctl_readconsole {
    uint8_t clear;                      /* IN: drop what was read */
    uint8_t incremental;                /* IN: start at .index */
    uint8_t pad0, pad1;
    uint32_t index;                     /* IN/OUT */
    XEN_GUEST_HANDLE_64(char) buffer;   /* IN */
    uint32_t count;                     /* IN: buffer size; OUT: bytes read */
};

/* XEN_SYSCTL_physinfo: the host as the hypervisor sees it. */
#define _XEN_SYSCTL_PHYSCAP_hvm                0
#define XEN_SYSCTL_PHYSCAP_hvm                 (1U << _XEN_SYSCTL_PHYSCAP_hvm)
#define _XEN_SYSCTL_PHYSCAP_pv                 1
#define XEN_SYSCTL_PHYSCAP_pv                  (1U << _XEN_SYSCTL_PHYSCAP_pv)
#define _XEN_SYSCTL_PHYSCAP_directio           2
#define XEN_SYSCTL_PHYSCAP_directio            (1U << _XEN_SYSCTL_PHYSCAP_directio)
#define _XEN_SYSCTL_PHYSCAP_hap                3
#define XEN_SYSCTL_PHYSCAP_hap                 (1U << _XEN_SYSCTL_PHYSCAP_hap)
#define _XEN_SYSCTL_PHYSCAP_shadow             4
#define XEN_SYSCTL_PHYSCAP_shadow              (1U << _XEN_SYSCTL_PHYSCAP_shadow)
#define _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share 5
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share                                 \
    (1U << _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share)
#define XEN_SYSCTL_PHYSCAP_vmtrace             (1U << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu                (1U << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1           (1U << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2           (1U << 9)
#define XEN_SYSCTL_PHYSCAP_MAX                 XEN_SYSCTL_PHYSCAP_gnttab_v2

struct xen_sysctl_physinfo {
    uint32_t threads_per_core;          /* OUT */
    uint32_t cores_per_socket;          /* OUT */
    uint32_t nr_cpus;                   /* OUT: pCPUs online */
    uint32_t max_cpu_id;                /* OUT: highest possible pCPU id */
    uint32_t nr_nodes;                  /* OUT: NUMA nodes online */
    uint32_t max_node_id;               /* OUT: highest possible node id */
    uint32_t cpu_khz;                   /* OUT */
    uint32_t capabilities;              /* OUT: XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;         /* OUT: none defined on x86 */
    uint32_t pad;
    uint64_aligned_t total_pages;       /* OUT */
    uint64_aligned_t free_pages;        /* OUT */
    uint64_aligned_t scrub_pages;       /* OUT */
    uint64_aligned_t outstanding_pages; /* OUT */
    uint64_aligned_t max_mfn;           /* OUT: highest possible frame */
    uint32_t hw_cap[8];                 /* OUT: x86 feature words */
};

/* XEN_SYSCTL_sched_id: the scheduler of the default pool. */
struct xen_sysctl_sched_id {
    uint32_t sched_id;                  /* OUT: XEN_SCHEDULER_* */
};

/*
 * XEN_SYSCTL_getdomaininfolist: getdomaininfo of up to max_domains
 * domains with ids >= first_domain, in id order, into buffer.
 */
struct xen_sysctl_getdomaininfolist {
    domid_t first_domain;               /* IN */
    uint32_t max_domains;               /* IN */
    XEN_GUEST_HANDLE_64(xen_domctl_getdomaininfo_t) buffer; /* IN */
    uint32_t num_domains;               /* OUT */
};

/* Commands (xen_sysctl.cmd). */
#define XEN_SYSCTL_readconsole                    1
#define XEN_SYSCTL_tbuf_op                        2
#define XEN_SYSCTL_physinfo                       3
#define XEN_SYSCTL_sched_id                       4
#define XEN_SYSCTL_perfc_op                       5
#define XEN_SYSCTL_getdomaininfolist              6
#define XEN_SYSCTL_debug_keys                     7
#define XEN_SYSCTL_getcpuinfo                     8
#define XEN_SYSCTL_availheap                      9
#define XEN_SYSCTL_get_pmstat                    10
#define XEN_SYSCTL_cpu_hotplug                   11
#define XEN_SYSCTL_pm_op                         12
#define XEN_SYSCTL_page_offline_op               14
#define XEN_SYSCTL_lockprof_op                   15
#define XEN_SYSCTL_cputopoinfo                   16
#define XEN_SYSCTL_numainfo                      17
#define XEN_SYSCTL_cpupool_op                    18
#define XEN_SYSCTL_scheduler_op                  19
#define XEN_SYSCTL_coverage_op                   20
#define XEN_SYSCTL_psr_cmt_op                    21
#define XEN_SYSCTL_pcitopoinfo                   22
#define XEN_SYSCTL_psr_alloc                     23
#define XEN_SYSCTL_get_cpu_levelling_caps        25
#define XEN_SYSCTL_get_cpu_featureset            26
#define XEN_SYSCTL_livepatch_op                  27
#define XEN_SYSCTL_get_cpu_policy                29

struct xen_sysctl {
    uint32_t cmd;                       /* IN: XEN_SYSCTL_* */
    uint32_t interface_version;         /* IN: XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole readconsole;
        struct xen_sysctl_physinfo physinfo;
        struct xen_sysctl_sched_id sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        uint8_t pad[128];               /* the size of every command's union */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);

#endif /* __XEN_PUBLIC_SYSCTL_H__ */
