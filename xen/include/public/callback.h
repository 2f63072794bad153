/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_callback_op(cmd, arg): register PV entry points.
 */
#ifndef __XEN_PUBLIC_CALLBACK_H__
#define __XEN_PUBLIC_CALLBACK_H__

#include "xen.h"

/* Callback types. */
#define CALLBACKTYPE_event                0 /* event channel upcall */
#define CALLBACKTYPE_failsafe             1 /* failed return to guest */
#define CALLBACKTYPE_syscall              2 /* x86-64 only */
#define CALLBACKTYPE_sysenter_deprecated  3 /* 32-bit supervisor-mode kernels only */
#define CALLBACKTYPE_nmi                  4
#define CALLBACKTYPE_sysenter             5 /* 32-bit compat guests on x86-64 */
#define CALLBACKTYPE_syscall32            7 /* 32-bit compat guests on x86-64 */

/* Mask events on entry to the callback. */
#define _CALLBACKF_mask_events            0
#define CALLBACKF_mask_events             (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register               0
struct callback_register {
    uint16_t       type;        /* IN: CALLBACKTYPE_* */
    uint16_t       flags;       /* IN: CALLBACKF_* */
    xen_callback_t address;     /* IN: entry point */
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);

/* Only CALLBACKTYPE_nmi may be unregistered. */
#define CALLBACKOP_unregister             1
struct callback_unregister {
    uint16_t type;              /* IN: CALLBACKTYPE_* */
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);

#endif /* __XEN_PUBLIC_CALLBACK_H__ */
