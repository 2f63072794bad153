/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_physdev_op(cmd, arg): physical device / IRQ operations.
 * Only the sub-op numbers and the few structs guests commonly need are
 * provided; the rest belong to the hardware domain.
 */
#ifndef __XEN_PUBLIC_PHYSDEV_H__
#define __XEN_PUBLIC_PHYSDEV_H__

#include "xen.h"

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY     4  /* obsolete */
#define PHYSDEVOP_irq_status_query      5
#define PHYSDEVOP_set_iopl              6
#define PHYSDEVOP_set_iobitmap          7
#define PHYSDEVOP_apic_read             8
#define PHYSDEVOP_apic_write            9
#define PHYSDEVOP_alloc_irq_vector     10
#define PHYSDEVOP_free_irq_vector      11
#define PHYSDEVOP_eoi                  12
#define PHYSDEVOP_map_pirq             13
#define PHYSDEVOP_unmap_pirq           14
#define PHYSDEVOP_manage_pci_add       15
#define PHYSDEVOP_manage_pci_remove    16
#define PHYSDEVOP_pirq_eoi_gmfn_v1     17
/* 18 is unused */
#define PHYSDEVOP_restore_msi          19
#define PHYSDEVOP_manage_pci_add_ext   20
#define PHYSDEVOP_setup_gsi            21
/* 22 is unused */
#define PHYSDEVOP_get_free_pirq        23
#define PHYSDEVOP_pci_mmcfg_reserved   24
#define PHYSDEVOP_pci_device_add       25
#define PHYSDEVOP_pci_device_remove    26
#define PHYSDEVOP_restore_msi_ext      27
#define PHYSDEVOP_pirq_eoi_gmfn_v2     28
#define PHYSDEVOP_dbgp_op              29
#define PHYSDEVOP_prepare_msix         30
#define PHYSDEVOP_release_msix         31

#define PHYSDEVOP_pirq_eoi_gmfn        PHYSDEVOP_pirq_eoi_gmfn_v2

/* Signal end of interrupt for a PIRQ. */
struct physdev_eoi {
    uint32_t irq;               /* IN */
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);

/* Register a bitmap page saying which PIRQs need PHYSDEVOP_eoi. */
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;             /* IN */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);

/* Query an IRQ line. */
struct physdev_irq_status_query {
    uint32_t irq;               /* IN */
    uint32_t flags;             /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);

#define _XENIRQSTAT_needs_eoi   (0)
#define XENIRQSTAT_needs_eoi    (1U << _XENIRQSTAT_needs_eoi) /* must issue PHYSDEVOP_eoi */
#define _XENIRQSTAT_shared      (1)
#define XENIRQSTAT_shared       (1U << _XENIRQSTAT_shared)    /* shared with other guests */

/* Set the calling vCPU's I/O privilege level (PV). */
struct physdev_set_iopl {
    uint32_t iopl;              /* IN: 0-3 */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);

#endif /* __XEN_PUBLIC_PHYSDEV_H__ */
