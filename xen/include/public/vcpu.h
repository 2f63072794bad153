/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_vcpu_op(cmd, vcpuid, arg): per-vCPU operations.
 */
#ifndef __XEN_PUBLIC_VCPU_H__
#define __XEN_PUBLIC_VCPU_H__

#include "xen.h"
#include "hvm/hvm_vcpu.h"

/*
 * Set a not-yet-started vCPU's initial state.
 * arg == vcpu_guest_context_t (PV) or vcpu_hvm_context_t (HVM/PVH).
 */
#define VCPUOP_initialise            0

/* Start a vCPU that has been initialised.  arg == NULL. */
#define VCPUOP_up                    1

/* Stop a vCPU (it keeps its state).  arg == NULL. */
#define VCPUOP_down                  2

/* Returns 1 if the vCPU is up, 0 if down.  arg == NULL. */
#define VCPUOP_is_up                 3

/* Copy out the runstate.  arg == vcpu_runstate_info_t. */
#define VCPUOP_get_runstate_info     4

/* Have the hypervisor keep a runstate copy in guest memory. */
#define VCPUOP_register_runstate_memory_area 5

/* Periodic timer delivering VIRQ_TIMER.  arg == vcpu_set_periodic_timer_t / NULL. */
#define VCPUOP_set_periodic_timer    6
#define VCPUOP_stop_periodic_timer   7

/* One-shot timer delivering VIRQ_TIMER.  arg == vcpu_set_singleshot_timer_t / NULL. */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9

/* Move vcpu_info out of shared_info.  arg == vcpu_register_vcpu_info_t. */
#define VCPUOP_register_vcpu_info   10

/* Send an NMI to the vCPU.  arg == NULL. */
#define VCPUOP_send_nmi             11

/* Physical CPU identity (hardware domain).  arg == vcpu_get_physid_t. */
#define VCPUOP_get_physid           12

/* Have the hypervisor keep a vcpu_time_info copy in guest memory. */
#define VCPUOP_register_vcpu_time_memory_area 13

/* Runstates. */
#define RUNSTATE_running  0     /* running on a pCPU */
#define RUNSTATE_runnable 1     /* wants a pCPU */
#define RUNSTATE_blocked  2     /* waiting for an event */
#define RUNSTATE_offline  3     /* down or paused */

struct vcpu_runstate_info {
    int      state;             /* OUT: RUNSTATE_* */
    uint64_t state_entry_time;  /* OUT: system time of the last change */
    uint64_t time[4];           /* OUT: ns spent in each RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);

/* Set in state_entry_time while an update is in progress (VMASST_TYPE_runstate_update_flag). */
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)

struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;                     /* IN: guest virtual address of the copy */
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);

struct vcpu_set_periodic_timer {
    uint64_t period_ns;         /* IN: period */
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;    /* IN: absolute system time */
    uint32_t flags;             /* IN: VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);

/* Fail with -ETIME if the timeout is already in the past. */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

struct vcpu_register_vcpu_info {
    uint64_t mfn;               /* IN: frame holding the new vcpu_info */
    uint32_t offset;            /* IN: byte offset within the frame */
    uint32_t rsvd;              /* IN: must be 0 */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);

struct vcpu_get_physid {
    uint64_t phys_id;           /* OUT: APIC id in 31:0, ACPI id in 63:32 */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;                     /* IN: guest virtual address of the copy */
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);

#endif /* __XEN_PUBLIC_VCPU_H__ */
