/* SPDX-License-Identifier: MIT */
/*
 * Feature bits returned by XENVER_get_features (submap 0).
 */
#ifndef __XEN_PUBLIC_FEATURES_H__
#define __XEN_PUBLIC_FEATURES_H__

/* PV guest may write its page tables directly (trapped and checked). */
#define XENFEAT_writable_page_tables        0
/* PV guest may write its descriptor tables directly. */
#define XENFEAT_writable_descriptor_tables  1
/* Guest sees pseudo-physical frames; the hypervisor translates (HVM/PVH). */
#define XENFEAT_auto_translated_physmap     2
/* Kernel runs in ring 0. */
#define XENFEAT_supervisor_mode_kernel      3
/* PAE page directories may live above 4 GiB. */
#define XENFEAT_pae_pgdir_above_4gb         4
/* MMU_PT_UPDATE_PRESERVE_AD is available. */
#define XENFEAT_mmu_pt_update_preserve_ad   5
/* x86 32-bit highmem assist available. */
#define XENFEAT_highmem_assist              6
/* GNTMAP_guest_avail* bits are honoured. */
#define XENFEAT_gnttab_map_avail_bits       7
/* HVM_PARAM_CALLBACK_TYPE_VECTOR delivery is available. */
#define XENFEAT_hvm_callback_vector         8
/* HVM guests may use pvclock safely. */
#define XENFEAT_hvm_safe_pvclock            9
/* HVM guests can bind PIRQs to event channels. */
#define XENFEAT_hvm_pirqs                  10
/* Domain is the hardware/control domain. */
#define XENFEAT_dom0                       11
/* 12 is unused. */
/* XENMEMF_vnode is supported. */
#define XENFEAT_memory_op_vnode_supported  13
/* Arm: SMCCC is supported. */
#define XENFEAT_ARM_SMCCC_supported        14
/* Linux may use an RSDP anywhere in memory. */
#define XENFEAT_linux_rsdp_unrestricted    15
/* Arm: guest memory is/is not 1:1 mapped. */
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_direct_mapped              17

#define XENFEAT_NR_SUBMAPS 1

#endif /* __XEN_PUBLIC_FEATURES_H__ */
