/* SPDX-License-Identifier: MIT */
/*
 * NMI reasons (arch_shared_info.nmi_reason) and HYPERVISOR_nmi_op.
 */
#ifndef __XEN_PUBLIC_NMI_H__
#define __XEN_PUBLIC_NMI_H__

#include "xen.h"

/* Bits of arch_shared_info.nmi_reason. */
#define _XEN_NMIREASON_io_error     0   /* I/O check error */
#define XEN_NMIREASON_io_error      (1UL << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr     1   /* PCI SERR */
#define XEN_NMIREASON_pci_serr      (1UL << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_parity_error 1   /* older name for the same bit */
#define XEN_NMIREASON_parity_error  (1UL << _XEN_NMIREASON_parity_error)
#define _XEN_NMIREASON_unknown      2   /* unknown source */
#define XEN_NMIREASON_unknown       (1UL << _XEN_NMIREASON_unknown)

/* Deprecated in favour of CALLBACKOP_register with CALLBACKTYPE_nmi. */
#define XENNMI_register_callback   0
struct xennmi_callback {
    xen_ulong_t handler_address; /* IN */
    xen_ulong_t pad;
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);

#define XENNMI_unregister_callback 1

#endif /* __XEN_PUBLIC_NMI_H__ */
