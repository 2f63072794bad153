/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_memory_op(cmd, arg): guest memory reservation and physmap.
 * Bits 63:6 (31:6 on 32-bit) of cmd carry a continuation start extent.
 */
#ifndef __XEN_PUBLIC_MEMORY_H__
#define __XEN_PUBLIC_MEMORY_H__

#include "xen.h"

/* arg == xen_memory_reservation_t; returns extents done. */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* xen_memory_reservation.mem_flags helpers. */
#define XENMEMF_address_bits(x)     (x)         /* max machine address width */
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8) /* NUMA node hint */
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)   /* PoD allocation */
#define XENMEMF_exact_node_request  (1 << 17)   /* node is a requirement */
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)   /* node is a virtual node */

struct xen_memory_reservation {
    /*
     * IN: increase: OUT machine frames (may be null);
     *     decrease: IN frames to release;
     *     populate: IN gpfns to fill (OUT frames for PV).
     */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t  nr_extents;    /* IN: number of extents */
    unsigned int extent_order;  /* IN: each extent is 2^order pages */
    unsigned int mem_flags;     /* IN: XENMEMF_* */
    domid_t      domid;         /* IN: usually DOMID_SELF */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);

/* Swap frames for other frames.  arg == xen_memory_exchange_t. */
#define XENMEM_exchange             11
struct xen_memory_exchange {
    struct xen_memory_reservation in;   /* IN: frames given up */
    struct xen_memory_reservation out;  /* IN/OUT: frames wanted */
    xen_ulong_t nr_exchanged;           /* IN/OUT: must be 0 on first call */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);

/* Returns the highest machine frame.  arg == NULL. */
#define XENMEM_maximum_ram_page     2

/* Returns current/maximum page count of a domain.  arg == domid_t. */
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4

/* Returns the highest gpfn of a domain.  arg == domid_t. */
#define XENMEM_maximum_gpfn         14

/* Frames backing the M2P table (PV).  arg == xen_machphys_mfn_list_t. */
#define XENMEM_machphys_mfn_list    5
#define XENMEM_machphys_compat_mfn_list 25
struct xen_machphys_mfn_list {
    unsigned int max_extents;                   /* IN: size of extent_start */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* OUT: 2 MiB frames */
    unsigned int nr_extents;                    /* OUT: entries written */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);

/* Where the M2P is mapped (PV).  arg == xen_machphys_mapping_t. */
#define XENMEM_machphys_mapping     12
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end; /* OUT: virtual range */
    xen_ulong_t max_mfn;        /* OUT: highest mfn covered */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);

/* Spaces for xen_add_to_physmap.space. */
#define XENMAPSPACE_shared_info  0 /* the shared_info page */
#define XENMAPSPACE_grant_table  1 /* grant table frame (idx | XENMAPIDX_*) */
#define XENMAPSPACE_gmfn         2 /* move an existing gmfn */
#define XENMAPSPACE_gmfn_range   3 /* as gmfn, size frames */
#define XENMAPSPACE_gmfn_foreign 4 /* frame of another domain */
#define XENMAPSPACE_dev_mmio     5 /* device MMIO (Arm) */

/* Grant table idx flag: map a status frame instead of a shared frame. */
#define XENMAPIDX_grant_table_status 0x80000000U

/* Map a hypervisor-owned frame into the physmap.  arg == xen_add_to_physmap_t. */
#define XENMEM_add_to_physmap       7
struct xen_add_to_physmap {
    domid_t     domid;          /* IN: target domain */
    uint16_t    size;           /* IN: frames, XENMAPSPACE_gmfn_range only */
    unsigned int space;         /* IN: XENMAPSPACE_* */
    xen_ulong_t idx;            /* IN: index within the space */
    xen_pfn_t   gpfn;           /* IN: where to map it */
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);

/* Batched add_to_physmap.  arg == xen_add_to_physmap_batch_t. */
#define XENMEM_add_to_physmap_batch 23
struct xen_add_to_physmap_batch {
    domid_t  domid;             /* IN: target domain */
    uint16_t space;             /* IN: XENMAPSPACE_* (not gmfn_range) */
    uint16_t size;              /* IN: entries in the arrays */
    union {
        domid_t foreign_domid;  /* IN: source for XENMAPSPACE_gmfn_foreign */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs; /* IN: indexes */
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;  /* IN: destinations */
    XEN_GUEST_HANDLE(int) errs;         /* OUT: per-entry result */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);

/* Unmap a gpfn.  arg == xen_remove_from_physmap_t. */
#define XENMEM_remove_from_physmap  15
struct xen_remove_from_physmap {
    domid_t   domid;            /* IN */
    xen_pfn_t gpfn;             /* IN */
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);

/*
 * E820-style memory map (entries of 20 bytes: u64 addr, u64 size, u32 type).
 * memory_map: the caller's pseudo-physical map; machine_memory_map: the
 * host's (hardware domain).  arg == xen_memory_map_t.
 */
#define XENMEM_memory_map           9
#define XENMEM_machine_memory_map   10
struct xen_memory_map {
    unsigned int nr_entries;            /* IN: buffer capacity; OUT: entries written */
    XEN_GUEST_HANDLE(void) buffer;      /* OUT: e820 entries */
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);

/* Set a domain's memory map (tools).  arg == xen_foreign_memory_map_t. */
#define XENMEM_set_memory_map       13
struct xen_foreign_memory_map {
    domid_t domid;                      /* IN */
    struct xen_memory_map map;          /* IN */
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);

/* Populate-on-demand target (tools).  arg == xen_pod_target_t. */
#define XENMEM_set_pod_target       16
#define XENMEM_get_pod_target       17
struct xen_pod_target {
    uint64_t target_pages;      /* IN */
    uint64_t tot_pages;         /* OUT */
    uint64_t pod_cache_pages;   /* OUT */
    uint64_t pod_entries;       /* OUT */
    domid_t  domid;             /* IN */
};
typedef struct xen_pod_target xen_pod_target_t;

/* Memory sharing statistics (tools).  arg == NULL. */
#define XENMEM_get_sharing_freed_pages  18
#define XENMEM_get_sharing_shared_pages 19

/* Tools-only sub-ops (structs not provided here). */
#define XENMEM_paging_op            20
#define XENMEM_access_op            21
#define XENMEM_sharing_op           22

/* Stake a claim on free memory (tools).  arg == xen_memory_reservation_t. */
#define XENMEM_claim_pages          24

/* Virtual NUMA topology.  (struct not provided here) */
#define XENMEM_get_vnumainfo        26

/* Reserved device memory regions.  (struct not provided here) */
#define XENMEM_reserved_device_memory_map 27

/* Map hypervisor resources (ioreq pages, grant frames).  (struct not provided here) */
#define XENMEM_acquire_resource     28

#endif /* __XEN_PUBLIC_MEMORY_H__ */
