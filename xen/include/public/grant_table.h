/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_grant_table_op(cmd, arg, count): grant tables.
 *
 * A domain shares a page by writing an entry in its grant table (frames
 * obtained with GNTTABOP_setup_table or XENMAPSPACE_grant_table); the
 * grantee then maps or copies it by (domid, grant_ref_t).
 */
#ifndef __XEN_PUBLIC_GRANT_TABLE_H__
#define __XEN_PUBLIC_GRANT_TABLE_H__

#include "xen.h"

/* Index into a grant table. */
typedef uint32_t grant_ref_t;

/* Version 1 entry, 8 bytes. */
struct grant_entry_v1 {
    uint16_t flags;             /* IN/OUT: GTF_* (granter sets type, Xen sets reading/writing) */
    domid_t  domid;             /* IN: domain allowed to use the grant */
    uint32_t frame;             /* IN: frame granted (OUT: frame transferred) */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/* Reserved grant references used by the toolstack at domain build. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* Entry type (flags bits 1:0). */
#define GTF_invalid         (0U << 0)   /* unused entry */
#define GTF_permit_access   (1U << 0)   /* grantee may map/copy the frame */
#define GTF_accept_transfer (2U << 0)   /* grantee may transfer a frame in */
#define GTF_transitive      (3U << 0)   /* re-grant of another grant (v2) */
#define GTF_type_mask       (3U << 0)

/* Flags for GTF_permit_access / GTF_transitive. */
#define _GTF_readonly       (2)
#define GTF_readonly        (1U << _GTF_readonly)  /* read-only access */
#define _GTF_reading        (3)
#define GTF_reading         (1U << _GTF_reading)   /* set by Xen while mapped/copied */
#define _GTF_writing        (4)
#define GTF_writing         (1U << _GTF_writing)   /* set by Xen while mapped writable */
#define _GTF_PWT            (5)
#define GTF_PWT             (1U << _GTF_PWT)       /* cache attributes of the mapping */
#define _GTF_PCD            (6)
#define GTF_PCD             (1U << _GTF_PCD)
#define _GTF_PAT            (7)
#define GTF_PAT             (1U << _GTF_PAT)
#define _GTF_sub_page       (8)
#define GTF_sub_page        (1U << _GTF_sub_page)  /* v2 sub-page grant */

/* Flags for GTF_accept_transfer. */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* Version 2: header shared by all entry kinds. */
struct grant_entry_header {
    uint16_t flags;             /* IN/OUT: GTF_* */
    domid_t  domid;             /* IN */
};
typedef struct grant_entry_header grant_entry_header_t;

/* Version 2 entry, 16 bytes; status bits live in a separate table. */
union grant_entry_v2 {
    grant_entry_header_t hdr;

    struct {
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;         /* IN */
    } full_page;

    struct {
        grant_entry_header_t hdr;
        uint16_t page_off;      /* IN: byte offset within the frame */
        uint16_t length;        /* IN: bytes granted */
        uint64_t frame;         /* IN */
    } sub_page;

    struct {
        grant_entry_header_t hdr;
        domid_t  trans_domid;   /* IN: domain holding the original grant */
        uint16_t pad0;
        grant_ref_t gref;       /* IN: its grant reference */
    } transitive;

    uint32_t __spacer[4];       /* keeps the size a power of two */
};
typedef union grant_entry_v2 grant_entry_v2_t;

/* Version 2 status entry (GTF_reading/GTF_writing). */
typedef uint16_t grant_status_t;

/* Sub-ops. */
#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version          10
#define GNTTABOP_swap_grant_ref       11
#define GNTTABOP_cache_flush          12

/* Handle of one mapping, returned by map_grant_ref. */
typedef uint32_t grant_handle_t;

/* Map a foreign grant.  Size 32 on x86-64. */
struct gnttab_map_grant_ref {
    uint64_t host_addr;         /* IN: VA (or PTE address with GNTMAP_contains_pte, or GPA for HVM) */
    uint32_t flags;             /* IN: GNTMAP_* */
    grant_ref_t ref;            /* IN */
    domid_t  dom;               /* IN: granting domain */
    int16_t  status;            /* OUT: GNTST_* */
    grant_handle_t handle;      /* OUT */
    uint64_t dev_bus_addr;      /* OUT: bus address for GNTMAP_device_map */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

/* Undo a mapping. */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;         /* IN: as given to map (0 = not a host mapping) */
    uint64_t dev_bus_addr;      /* IN: as returned by map (0 = none) */
    grant_handle_t handle;      /* IN */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/* Size the grant table and get its frames (PV). */
struct gnttab_setup_table {
    domid_t  dom;               /* IN: usually DOMID_SELF */
    uint32_t nr_frames;         /* IN: frames wanted */
    int16_t  status;            /* OUT: GNTST_* */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: nr_frames frames */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* Print a domain's grant table on the hypervisor console. */
struct gnttab_dump_table {
    domid_t dom;                /* IN */
    int16_t status;             /* OUT: GNTST_* */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/* Give a page to a domain that granted GTF_accept_transfer. */
struct gnttab_transfer {
    xen_pfn_t   mfn;            /* IN: frame to give away */
    domid_t     domid;          /* IN: receiver */
    grant_ref_t ref;            /* IN: receiver's grant */
    int16_t     status;         /* OUT: GNTST_* */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);

/* Copy bytes between frames and/or grants without mapping. */
#define _GNTCOPY_source_gref      (0)
#define GNTCOPY_source_gref       (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref        (1)
#define GNTCOPY_dest_gref         (1 << _GNTCOPY_dest_gref)

struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;    /* IN: with GNTCOPY_*_gref */
            xen_pfn_t   gmfn;   /* IN: otherwise, caller's own frame */
        } u;
        domid_t  domid;         /* IN */
        uint16_t offset;        /* IN: byte offset in the page */
    } source, dest;
    uint16_t len;               /* IN: bytes; must not cross a page */
    uint16_t flags;             /* IN: GNTCOPY_* */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/* Current and maximum grant table size. */
struct gnttab_query_size {
    domid_t  dom;               /* IN */
    uint32_t nr_frames;         /* OUT */
    uint32_t max_nr_frames;     /* OUT */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/* Unmap host_addr and move the mapping at new_addr there (PV). */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;         /* IN */
    uint64_t new_addr;          /* IN */
    grant_handle_t handle;      /* IN */
    int16_t  status;            /* OUT: GNTST_* */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/* Select grant table version 1 or 2 (before any grants are active). */
struct gnttab_set_version {
    uint32_t version;           /* IN: wanted; OUT: in effect */
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/* Frames of the v2 status table. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;         /* IN */
    domid_t  dom;               /* IN */
    int16_t  status;            /* OUT: GNTST_* */
    XEN_GUEST_HANDLE(uint64_t) frame_list; /* OUT */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);

/* Query the grant table version of a domain. */
struct gnttab_get_version {
    domid_t  dom;               /* IN */
    uint16_t pad;
    uint32_t version;           /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

/* Swap two entries of the caller's own table. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;          /* IN */
    grant_ref_t ref_b;          /* IN */
    int16_t     status;         /* OUT: GNTST_* */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/* Clean/invalidate caches for part of a granted page. */
struct gnttab_cache_flush {
    union {
        uint64_t  dev_bus_addr; /* IN */
        grant_ref_t ref;        /* IN: with GNTTAB_CACHE_SOURCE_GREF */
    } a;
    uint16_t offset;            /* IN: byte offset in the page */
    uint16_t length;            /* IN: bytes */
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)
    uint32_t op;                /* IN: GNTTAB_CACHE_* */
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);

/* gnttab_map_grant_ref.flags. */
#define _GNTMAP_device_map      (0)
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)     /* map for device DMA */
#define _GNTMAP_host_map        (1)
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)       /* map into the caller */
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map  (1 << _GNTMAP_application_map) /* user-accessible */
#define _GNTMAP_contains_pte    (4)
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)   /* host_addr is a PTE address */

/* Bits 16 and up are copied into the PTE's guest-available bits. */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Status codes. */
#define GNTST_okay               (0)
#define GNTST_general_error      (-1)
#define GNTST_bad_domain         (-2)
#define GNTST_bad_gntref         (-3)
#define GNTST_bad_handle         (-4)
#define GNTST_bad_virt_addr      (-5)
#define GNTST_bad_dev_addr       (-6)
#define GNTST_no_device_space    (-7)
#define GNTST_permission_denied  (-8)
#define GNTST_bad_page           (-9)
#define GNTST_bad_copy_arg       (-10)
#define GNTST_address_too_big    (-11)
#define GNTST_eagain             (-12)
#define GNTST_no_space           (-13)

#endif /* __XEN_PUBLIC_GRANT_TABLE_H__ */
