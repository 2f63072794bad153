/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_hvm_op(cmd, arg): operations for HVM/PVH guests.
 * Numbers 2-4 and 6-8 were moved to dm_op and are not available here.
 */
#ifndef __XEN_PUBLIC_HVM_HVM_OP_H__
#define __XEN_PUBLIC_HVM_HVM_OP_H__

#include "../xen.h"

/* Read/write an HVM_PARAM_*.  arg == xen_hvm_param_t. */
#define HVMOP_set_param           0
#define HVMOP_get_param           1
struct xen_hvm_param {
    domid_t  domid;             /* IN: usually DOMID_SELF */
    uint32_t index;             /* IN: HVM_PARAM_* */
    uint64_t value;             /* IN (set) / OUT (get) */
};
typedef struct xen_hvm_param xen_hvm_param_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_param_t);

/* Flush all vCPUs' TLBs.  arg == NULL. */
#define HVMOP_flush_tlbs          5

/* Memory types reported by HVMOP_get_mem_type. */
typedef enum {
    HVMMEM_ram_rw,              /* ordinary RAM */
    HVMMEM_ram_ro,              /* RAM, writes dropped */
    HVMMEM_mmio_dm,             /* emulated by the device model */
    HVMMEM_unused,              /* no longer settable */
    HVMMEM_ioreq_server         /* claimed by an ioreq server */
} hvmmem_type_t;

/* A PV driver tells the hypervisor a page table is being freed. */
#define HVMOP_pagetable_dying     9
struct xen_hvm_pagetable_dying {
    domid_t  domid;             /* IN */
    uint16_t pad[3];
    uint64_t gpa;               /* IN: guest physical address of the top-level table */
};
typedef struct xen_hvm_pagetable_dying xen_hvm_pagetable_dying_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_pagetable_dying_t);

/* Hypervisor system time (ns since boot).  arg == xen_hvm_get_time_t. */
#define HVMOP_get_time            10
struct xen_hvm_get_time {
    uint64_t now;               /* OUT */
};
typedef struct xen_hvm_get_time xen_hvm_get_time_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_time_t);

/* Emit a trace record.  arg == xen_hvm_xentrace_t. */
#define HVMOP_xentrace            11
#ifndef TRACE_EXTRA_MAX
#define TRACE_EXTRA_MAX           7 /* 32-bit words of extra data (trace.h) */
#endif
struct xen_hvm_xentrace {
    uint16_t event;             /* IN */
    uint16_t extra_bytes;       /* IN */
    uint8_t  extra[TRACE_EXTRA_MAX * sizeof(uint32_t)]; /* IN */
};
typedef struct xen_hvm_xentrace xen_hvm_xentrace_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_xentrace_t);

/* Type of a guest frame.  arg == xen_hvm_get_mem_type_t. */
#define HVMOP_get_mem_type        15
struct xen_hvm_get_mem_type {
    domid_t  domid;             /* IN */
    uint16_t mem_type;          /* OUT: hvmmem_type_t */
    uint16_t pad[2];
    uint64_t pfn;               /* IN */
};
typedef struct xen_hvm_get_mem_type xen_hvm_get_mem_type_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_mem_type_t);

/*
 * Per-vCPU event channel upcall vector (LAPIC vector, >= 0x10), an
 * alternative to HVM_PARAM_CALLBACK_IRQ.  arg == xen_hvm_evtchn_upcall_vector_t.
 */
#define HVMOP_set_evtchn_upcall_vector 23
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;              /* IN */
    uint8_t  vector;            /* IN: 0 disables */
};
typedef struct xen_hvm_evtchn_upcall_vector xen_hvm_evtchn_upcall_vector_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_evtchn_upcall_vector_t);

/* Forward a request to a vm_event listener.  (struct not provided here) */
#define HVMOP_guest_request_vm_event 24

/* Alternate p2m operations.  (struct not provided here) */
#define HVMOP_altp2m              25

#endif /* __XEN_PUBLIC_HVM_HVM_OP_H__ */
