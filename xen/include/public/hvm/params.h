/* SPDX-License-Identifier: MIT */
/*
 * HVM parameters, read/written with HVMOP_get_param / HVMOP_set_param.
 */
#ifndef __XEN_PUBLIC_HVM_PARAMS_H__
#define __XEN_PUBLIC_HVM_PARAMS_H__

#include "hvm_op.h"

/*
 * How event channel upcalls for vCPU0 are delivered.  0 = not delivered.
 * Otherwise bits 63:56 hold HVM_PARAM_CALLBACK_TYPE_* and bits 55:0 its
 * argument.
 */
#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK xen_mk_ullong(0xFF00000000000000)

/* Bits 55:0: GSI (GSI 0 cannot be used). */
#define HVM_PARAM_CALLBACK_TYPE_GSI      0
/* Bits 55:0: PCI INTx: segment 47:32, bus 31:16, devfn 15:8, INTx 1:0. */
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX 1
/* Bits 7:0: a LAPIC vector (check XENFEAT_hvm_callback_vector). */
#define HVM_PARAM_CALLBACK_TYPE_VECTOR   2

/* Xenstore ring frame and event channel. */
#define HVM_PARAM_STORE_PFN    1
#define HVM_PARAM_STORE_EVTCHN 2

/* Deprecated (hypervisor/tools use only in Xen 4.17; meaning undefined). */
#define HVM_PARAM_PAE_ENABLED                4
#define HVM_PARAM_DM_DOMAIN                 13
#define HVM_PARAM_MEMORY_EVENT_CR0          20
#define HVM_PARAM_MEMORY_EVENT_CR3          21
#define HVM_PARAM_MEMORY_EVENT_CR4          22
#define HVM_PARAM_MEMORY_EVENT_INT3         23
#define HVM_PARAM_NESTEDHVM                 24
#define HVM_PARAM_MEMORY_EVENT_SINGLE_STEP  25
#define HVM_PARAM_BUFIOREQ_EVTCHN           26
#define HVM_PARAM_MEMORY_EVENT_MSR          30

/* Device model ioreq pages. */
#define HVM_PARAM_IOREQ_PFN    5
#define HVM_PARAM_BUFIOREQ_PFN 6

/* Viridian (Hyper-V) enlightenment mask. */
#define HVM_PARAM_VIRIDIAN     9

/* How lost virtual timer ticks are handled. */
#define HVM_PARAM_TIMER_MODE   10
#define HVMPTM_delay_for_missed_ticks    0
#define HVMPTM_no_delay_for_missed_ticks 1
#define HVMPTM_no_missed_ticks_pending   2
#define HVMPTM_one_missed_tick_pending   3

/* Whether the HPET is exposed. */
#define HVM_PARAM_HPET_ENABLED 11

/* Identity page table for unpaged real mode (VMX without unrestricted guest). */
#define HVM_PARAM_IDENT_PT     12

/* ACPI sleep state (S-state) of the guest. */
#define HVM_PARAM_ACPI_S_STATE 14

/* TSS for vm86 emulation (deprecated by VM86_TSS_SIZED). */
#define HVM_PARAM_VM86_TSS     15

/* Align periodic timers across vCPUs. */
#define HVM_PARAM_VPT_ALIGN    16

/* PV console ring frame and event channel. */
#define HVM_PARAM_CONSOLE_PFN    17
#define HVM_PARAM_CONSOLE_EVTCHN 18

/* ACPI PM1a/timer I/O port block: 0 = old location, 1 = new location. */
#define HVM_PARAM_ACPI_IOPORTS_LOCATION 19

/* vm_event ring frames. */
#define HVM_PARAM_PAGING_RING_PFN   27
#define HVM_PARAM_MONITOR_RING_PFN  28
#define HVM_PARAM_SHARING_RING_PFN  29

/* SHUTDOWN_* action on a triple fault. */
#define HVM_PARAM_TRIPLE_FAULT_REASON 31

/* Pages reserved for ioreq servers. */
#define HVM_PARAM_IOREQ_SERVER_PFN 32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES 33

/* Guest physical address of the VM generation ID. */
#define HVM_PARAM_VM_GENERATION_ID_ADDR 34

/* Alternate p2m mode. */
#define HVM_PARAM_ALTP2M       35
#define XEN_ALTP2M_disabled    0
#define XEN_ALTP2M_mixed       1
#define XEN_ALTP2M_external    2
#define XEN_ALTP2M_limited     3

/* Width of x87 FIP/FDP saved by FXSAVE/XSAVE: 0 (auto), 4 or 8. */
#define HVM_PARAM_X87_FIP_WIDTH 36

/* vm86 TSS: address in 31:0, size in 63:32. */
#define HVM_PARAM_VM86_TSS_SIZED 37

/* Machine check capabilities exposed to the guest. */
#define HVM_PARAM_MCA_CAP 38
#define XEN_HVM_MCA_CAP_LMCE   (xen_mk_ullong(1) << 0)
#define XEN_HVM_MCA_CAP_MASK   XEN_HVM_MCA_CAP_LMCE

#define HVM_NR_PARAMS 39

#endif /* __XEN_PUBLIC_HVM_PARAMS_H__ */
