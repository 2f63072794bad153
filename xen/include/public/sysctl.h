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

/*
 * XEN_SYSCTL_cpupool_op. Which fields each op reads and writes: C(reate),
 * D(estroy), I(nfo), A(dd cpu), R(emove cpu), M(ove domain), F(ree cpus).
 * INFO returns the first pool with an id at or above cpupool_id (-ENOENT:
 * none); CREATE with XEN_SYSCTL_CPUPOOL_PAR_ANY picks the id; ADDCPU and
 * RMCPU with it pick a free pCPU / the pool's last one. Errors: -ENOENT
 * no such pool, -EEXIST id taken, -EBUSY pool has domains or pCPUs
 * (destroy) or the last pCPU of a pool with domains (remove), -ENODEV
 * pCPU not free (add), -EADDRNOTAVAIL pCPU not in the pool (remove),
 * -EINVAL no such pCPU, or pCPU 0 out of Pool-0.
 */
#define XEN_SYSCTL_CPUPOOL_OP_CREATE     1  /* C */
#define XEN_SYSCTL_CPUPOOL_OP_DESTROY    2  /* D */
#define XEN_SYSCTL_CPUPOOL_OP_INFO       3  /* I */
#define XEN_SYSCTL_CPUPOOL_OP_ADDCPU     4  /* A */
#define XEN_SYSCTL_CPUPOOL_OP_RMCPU      5  /* R */
#define XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN 6  /* M */
#define XEN_SYSCTL_CPUPOOL_OP_FREEINFO   7  /* F */
#define XEN_SYSCTL_CPUPOOL_PAR_ANY       0xFFFFFFFF
struct xen_sysctl_cpupool_op {
    uint32_t op;                        /* IN */
    uint32_t cpupool_id;                /* IN: CDIARM OUT: CI */
    uint32_t sched_id;                  /* IN: C      OUT: I  */
    uint32_t domid;                     /* IN: M              */
    uint32_t cpu;                       /* IN: AR             */
    uint32_t n_dom;                     /*            OUT: I  */
    struct xenctl_bitmap cpumap;        /*            OUT: IF */
};

/*
 * XEN_SYSCTL_scheduler_op: a pool's scheduler-wide parameters; sched_id
 * must be the pool's scheduler's (-EINVAL), the pool must exist (-ESRCH).
 */
#define XEN_SYSCTL_SCHED_RATELIMIT_MAX 500000   /* us; 0 is off */
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100

struct xen_sysctl_credit_schedule {
#define XEN_SYSCTL_CSCHED_TSLICE_MAX 1000
#define XEN_SYSCTL_CSCHED_TSLICE_MIN 1
    uint32_t tslice_ms;                 /* IN/OUT */
    uint32_t ratelimit_us;              /* IN/OUT: at most the slice */
#define XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US (100 * 1000)
    uint32_t vcpu_migr_delay_us;        /* IN/OUT */
};

struct xen_sysctl_credit2_schedule {
    uint32_t ratelimit_us;              /* IN/OUT */
};

struct xen_sysctl_arinc653_schedule;
typedef struct xen_sysctl_arinc653_schedule xen_sysctl_arinc653_schedule_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_arinc653_schedule_t);

#define XEN_SYSCTL_SCHEDOP_putinfo 0
#define XEN_SYSCTL_SCHEDOP_getinfo 1
struct xen_sysctl_scheduler_op {
    uint32_t cpupool_id;                /* IN */
    uint32_t sched_id;                  /* IN: XEN_SCHEDULER_* */
    uint32_t cmd;                       /* IN: XEN_SYSCTL_SCHEDOP_* */
    union {                             /* IN/OUT */
        struct xen_sysctl_sched_arinc653 {
            XEN_GUEST_HANDLE_64(xen_sysctl_arinc653_schedule_t) schedule;
        } sched_arinc653;
        struct xen_sysctl_credit_schedule sched_credit;
        struct xen_sysctl_credit2_schedule sched_credit2;
    } u;
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
        struct xen_sysctl_cpupool_op cpupool_op;
        struct xen_sysctl_scheduler_op scheduler_op;
        uint8_t pad[128];               /* the size of every command's union */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);

#endif /* __XEN_PUBLIC_SYSCTL_H__ */
