/* SPDX-License-Identifier: MIT */
/*
 * test-abi-layout: pins the numbers and struct layouts of the public guest
 * ABI headers (xen/include/public/) to the Xen 4.17 x86 ABI.  Everything is
 * checked at compile time; running the program only reports success.
 *
 * Build and run (from the repository root):
 *   gcc -m64 -Wall -Wextra -Werror -Ixen/include \
 *       -o test-abi-layout tests/unit/test-abi-layout.c && ./test-abi-layout
 *
 * The same file also checks the 32-bit ("compat") layouts when compiled
 * with -m32 (e.g. -m32 -ffreestanding -fsyntax-only).
 */
#include <stddef.h>

#include <public/xen.h>
#include <public/xen-compat.h>
#include <public/arch-x86/xen.h>
#include <public/arch-x86/cpuid.h>
#include <public/arch-x86/hvm/start_info.h>
#include <public/version.h>
#include <public/features.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/memory.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/params.h>
#include <public/physdev.h>
#include <public/callback.h>
#include <public/nmi.h>
#include <public/elfnote.h>
#include <public/io/console.h>
#include <public/io/xs_wire.h>

#define EQ(a, b)        _Static_assert((a) == (b), #a " == " #b)
#define SIZE(t, n)      _Static_assert(sizeof(t) == (n), "sizeof(" #t ") == " #n)
#define OFF(t, f, n)    _Static_assert(offsetof(t, f) == (n), \
                                       "offsetof(" #t ", " #f ") == " #n)

/* ---------------------------------------------------------------- */
/* Layouts that are the same for 32- and 64-bit guests.              */
/* ---------------------------------------------------------------- */

/* Interface version. */
EQ(__XEN_LATEST_INTERFACE_VERSION__, 0x00040e00);
EQ(__XEN_INTERFACE_VERSION__, 0x00040e00);

/* Basic types. */
SIZE(domid_t, 2);
SIZE(evtchn_port_t, 4);
SIZE(grant_ref_t, 4);
SIZE(grant_handle_t, 4);
SIZE(grant_status_t, 2);
SIZE(xen_domain_handle_t, 16);
SIZE(xen_uuid_t, 16);

/* Hypercall numbers. */
EQ(__HYPERVISOR_set_trap_table, 0);
EQ(__HYPERVISOR_mmu_update, 1);
EQ(__HYPERVISOR_set_gdt, 2);
EQ(__HYPERVISOR_stack_switch, 3);
EQ(__HYPERVISOR_set_callbacks, 4);
EQ(__HYPERVISOR_fpu_taskswitch, 5);
EQ(__HYPERVISOR_sched_op_compat, 6);
EQ(__HYPERVISOR_platform_op, 7);
EQ(__HYPERVISOR_set_debugreg, 8);
EQ(__HYPERVISOR_get_debugreg, 9);
EQ(__HYPERVISOR_update_descriptor, 10);
EQ(__HYPERVISOR_memory_op, 12);
EQ(__HYPERVISOR_multicall, 13);
EQ(__HYPERVISOR_update_va_mapping, 14);
EQ(__HYPERVISOR_set_timer_op, 15);
EQ(__HYPERVISOR_event_channel_op_compat, 16);
EQ(__HYPERVISOR_xen_version, 17);
EQ(__HYPERVISOR_console_io, 18);
EQ(__HYPERVISOR_physdev_op_compat, 19);
EQ(__HYPERVISOR_grant_table_op, 20);
EQ(__HYPERVISOR_vm_assist, 21);
EQ(__HYPERVISOR_update_va_mapping_otherdomain, 22);
EQ(__HYPERVISOR_iret, 23);
EQ(__HYPERVISOR_vcpu_op, 24);
EQ(__HYPERVISOR_set_segment_base, 25);
EQ(__HYPERVISOR_mmuext_op, 26);
EQ(__HYPERVISOR_xsm_op, 27);
EQ(__HYPERVISOR_nmi_op, 28);
EQ(__HYPERVISOR_sched_op, 29);
EQ(__HYPERVISOR_callback_op, 30);
EQ(__HYPERVISOR_xenoprof_op, 31);
EQ(__HYPERVISOR_event_channel_op, 32);
EQ(__HYPERVISOR_physdev_op, 33);
EQ(__HYPERVISOR_hvm_op, 34);
EQ(__HYPERVISOR_sysctl, 35);
EQ(__HYPERVISOR_domctl, 36);
EQ(__HYPERVISOR_kexec_op, 37);
EQ(__HYPERVISOR_tmem_op, 38);
EQ(__HYPERVISOR_argo_op, 39);
EQ(__HYPERVISOR_xenpmu_op, 40);
EQ(__HYPERVISOR_dm_op, 41);
EQ(__HYPERVISOR_hypfs_op, 42);
EQ(__HYPERVISOR_arch_0, 48);
EQ(__HYPERVISOR_arch_1, 49);
EQ(__HYPERVISOR_arch_2, 50);
EQ(__HYPERVISOR_arch_3, 51);
EQ(__HYPERVISOR_arch_4, 52);
EQ(__HYPERVISOR_arch_5, 53);
EQ(__HYPERVISOR_arch_6, 54);
EQ(__HYPERVISOR_arch_7, 55);
EQ(__HYPERVISOR_mca, 48);

/* VIRQs. */
EQ(VIRQ_TIMER, 0);
EQ(VIRQ_DEBUG, 1);
EQ(VIRQ_CONSOLE, 2);
EQ(VIRQ_DOM_EXC, 3);
EQ(VIRQ_TBUF, 4);
EQ(VIRQ_DEBUGGER, 6);
EQ(VIRQ_XENOPROF, 7);
EQ(VIRQ_CON_RING, 8);
EQ(VIRQ_PCPU_STATE, 9);
EQ(VIRQ_MEM_EVENT, 10);
EQ(VIRQ_ARGO, 11);
EQ(VIRQ_ENOMEM, 12);
EQ(VIRQ_XENPMU, 13);
EQ(VIRQ_ARCH_0, 16);
EQ(VIRQ_ARCH_7, 23);
EQ(NR_VIRQS, 24);

/* Domain ids. */
EQ(DOMID_FIRST_RESERVED, 0x7FF0);
EQ(DOMID_SELF, 0x7FF0);
EQ(DOMID_IO, 0x7FF1);
EQ(DOMID_XEN, 0x7FF2);
EQ(DOMID_COW, 0x7FF3);
EQ(DOMID_INVALID, 0x7FF4);
EQ(DOMID_IDLE, 0x7FFF);
EQ(DOMID_MASK, 0x7FFF);

/* console_io, vm_assist. */
EQ(CONSOLEIO_write, 0);
EQ(CONSOLEIO_read, 1);
EQ(VMASST_CMD_enable, 0);
EQ(VMASST_CMD_disable, 1);
EQ(VMASST_TYPE_4gb_segments, 0);
EQ(VMASST_TYPE_4gb_segments_notify, 1);
EQ(VMASST_TYPE_writable_pagetables, 2);
EQ(VMASST_TYPE_pae_extended_cr3, 3);
EQ(VMASST_TYPE_architectural_iopl, 4);
EQ(VMASST_TYPE_runstate_update_flag, 5);
EQ(VMASST_TYPE_m2p_strict, 32);

/* mmu_update / mmuext_op. */
EQ(MMU_NORMAL_PT_UPDATE, 0);
EQ(MMU_MACHPHYS_UPDATE, 1);
EQ(MMU_PT_UPDATE_PRESERVE_AD, 2);
EQ(MMU_PT_UPDATE_NO_TRANSLATE, 3);
SIZE(struct mmu_update, 16);
EQ(MMUEXT_PIN_L1_TABLE, 0);
EQ(MMUEXT_PIN_L2_TABLE, 1);
EQ(MMUEXT_PIN_L3_TABLE, 2);
EQ(MMUEXT_PIN_L4_TABLE, 3);
EQ(MMUEXT_UNPIN_TABLE, 4);
EQ(MMUEXT_NEW_BASEPTR, 5);
EQ(MMUEXT_TLB_FLUSH_LOCAL, 6);
EQ(MMUEXT_INVLPG_LOCAL, 7);
EQ(MMUEXT_TLB_FLUSH_MULTI, 8);
EQ(MMUEXT_INVLPG_MULTI, 9);
EQ(MMUEXT_TLB_FLUSH_ALL, 10);
EQ(MMUEXT_INVLPG_ALL, 11);
EQ(MMUEXT_FLUSH_CACHE, 12);
EQ(MMUEXT_SET_LDT, 13);
EQ(MMUEXT_NEW_USER_BASEPTR, 15);
EQ(MMUEXT_CLEAR_PAGE, 16);
EQ(MMUEXT_COPY_PAGE, 17);
EQ(MMUEXT_FLUSH_CACHE_GLOBAL, 18);
EQ(MMUEXT_MARK_SUPER, 19);
EQ(MMUEXT_UNMARK_SUPER, 20);
EQ(UVMF_TLB_FLUSH, 1);
EQ(UVMF_INVLPG, 2);
EQ(UVMF_ALL, 4);

/* vcpu_time_info (pvclock). */
SIZE(struct vcpu_time_info, 32);
OFF(struct vcpu_time_info, version, 0);
OFF(struct vcpu_time_info, pad0, 4);
OFF(struct vcpu_time_info, tsc_timestamp, 8);
OFF(struct vcpu_time_info, system_time, 16);
OFF(struct vcpu_time_info, tsc_to_system_mul, 24);
OFF(struct vcpu_time_info, tsc_shift, 28);
OFF(struct vcpu_time_info, flags, 29);
EQ(XEN_PVCLOCK_TSC_STABLE_BIT, 1);
EQ(XEN_PVCLOCK_GUEST_STOPPED, 2);

/* vcpu_info is 64 bytes for both widths. */
SIZE(struct vcpu_info, 64);
OFF(struct vcpu_info, evtchn_upcall_pending, 0);
OFF(struct vcpu_info, evtchn_upcall_mask, 1);
OFF(struct vcpu_info, time, 32);
EQ(XEN_LEGACY_MAX_VCPUS, 32);
OFF(struct shared_info, vcpu_info, 0);

/* start_info flags. */
EQ(MAX_GUEST_CMDLINE, 1024);
EQ(SIF_PRIVILEGED, 1);
EQ(SIF_INITDOMAIN, 2);
EQ(SIF_MULTIBOOT_MOD, 4);
EQ(SIF_MOD_START_PFN, 8);
EQ(SIF_VIRT_P2M_4TOOLS, 16);
EQ(SIF_PM_MASK, 0xFF00);
SIZE(struct xen_multiboot_mod_list, 16);

/* PVH start info. */
EQ(XEN_HVM_START_MAGIC_VALUE, 0x336ec578);
SIZE(struct hvm_start_info, 56);
OFF(struct hvm_start_info, magic, 0);
OFF(struct hvm_start_info, version, 4);
OFF(struct hvm_start_info, flags, 8);
OFF(struct hvm_start_info, nr_modules, 12);
OFF(struct hvm_start_info, modlist_paddr, 16);
OFF(struct hvm_start_info, cmdline_paddr, 24);
OFF(struct hvm_start_info, rsdp_paddr, 32);
OFF(struct hvm_start_info, memmap_paddr, 40);
OFF(struct hvm_start_info, memmap_entries, 48);
OFF(struct hvm_start_info, reserved, 52);
SIZE(struct hvm_modlist_entry, 32);
OFF(struct hvm_modlist_entry, paddr, 0);
OFF(struct hvm_modlist_entry, size, 8);
OFF(struct hvm_modlist_entry, cmdline_paddr, 16);
OFF(struct hvm_modlist_entry, reserved, 24);
SIZE(struct hvm_memmap_table_entry, 24);
OFF(struct hvm_memmap_table_entry, addr, 0);
OFF(struct hvm_memmap_table_entry, size, 8);
OFF(struct hvm_memmap_table_entry, type, 16);
OFF(struct hvm_memmap_table_entry, reserved, 20);
EQ(XEN_HVM_MEMMAP_TYPE_RAM, 1);
EQ(XEN_HVM_MEMMAP_TYPE_RESERVED, 2);
EQ(XEN_HVM_MEMMAP_TYPE_ACPI, 3);
EQ(XEN_HVM_MEMMAP_TYPE_NVS, 4);
EQ(XEN_HVM_MEMMAP_TYPE_UNUSABLE, 5);
EQ(XEN_HVM_MEMMAP_TYPE_DISABLED, 6);
EQ(XEN_HVM_MEMMAP_TYPE_PMEM, 7);

/* CPUID. */
EQ(XEN_CPUID_FIRST_LEAF, 0x40000000);
EQ(XEN_CPUID_LEAF(4), 0x40000004);
EQ(XEN_CPUID_SIGNATURE_EBX, 0x566e6558);
EQ(XEN_CPUID_SIGNATURE_ECX, 0x65584d4d);
EQ(XEN_CPUID_SIGNATURE_EDX, 0x4d4d566e);
EQ(XEN_HVM_CPUID_APIC_ACCESS_VIRT, 1u << 0);
EQ(XEN_HVM_CPUID_X2APIC_VIRT, 1u << 1);
EQ(XEN_HVM_CPUID_IOMMU_MAPPINGS, 1u << 2);
EQ(XEN_HVM_CPUID_VCPU_ID_PRESENT, 1u << 3);
EQ(XEN_HVM_CPUID_DOMID_PRESENT, 1u << 4);
EQ(XEN_HVM_CPUID_EXT_DEST_ID, 1u << 5);
EQ(XEN_HVM_CPUID_UPCALL_VECTOR, 1u << 6);
EQ(XEN_CPUID_MAX_NUM_LEAVES, 5);

/* xen_version. */
EQ(XENVER_version, 0);
EQ(XENVER_extraversion, 1);
EQ(XENVER_compile_info, 2);
EQ(XENVER_capabilities, 3);
EQ(XENVER_changeset, 4);
EQ(XENVER_platform_parameters, 5);
EQ(XENVER_get_features, 6);
EQ(XENVER_pagesize, 7);
EQ(XENVER_guest_handle, 8);
EQ(XENVER_commandline, 9);
EQ(XENVER_build_id, 10);
SIZE(xen_extraversion_t, 16);
SIZE(xen_compile_info_t, 144);
OFF(xen_compile_info_t, compile_by, 64);
OFF(xen_compile_info_t, compile_domain, 80);
OFF(xen_compile_info_t, compile_date, 112);
SIZE(xen_capabilities_info_t, 1024);
SIZE(xen_changeset_info_t, 64);
SIZE(xen_commandline_t, 1024);
SIZE(xen_feature_info_t, 8);
SIZE(xen_build_id_t, 4);

/* Features. */
EQ(XENFEAT_writable_page_tables, 0);
EQ(XENFEAT_writable_descriptor_tables, 1);
EQ(XENFEAT_auto_translated_physmap, 2);
EQ(XENFEAT_supervisor_mode_kernel, 3);
EQ(XENFEAT_pae_pgdir_above_4gb, 4);
EQ(XENFEAT_mmu_pt_update_preserve_ad, 5);
EQ(XENFEAT_highmem_assist, 6);
EQ(XENFEAT_gnttab_map_avail_bits, 7);
EQ(XENFEAT_hvm_callback_vector, 8);
EQ(XENFEAT_hvm_safe_pvclock, 9);
EQ(XENFEAT_hvm_pirqs, 10);
EQ(XENFEAT_dom0, 11);
EQ(XENFEAT_memory_op_vnode_supported, 13);
EQ(XENFEAT_ARM_SMCCC_supported, 14);
EQ(XENFEAT_linux_rsdp_unrestricted, 15);
EQ(XENFEAT_not_direct_mapped, 16);
EQ(XENFEAT_direct_mapped, 17);
EQ(XENFEAT_NR_SUBMAPS, 1);

/* sched_op. */
EQ(SCHEDOP_yield, 0);
EQ(SCHEDOP_block, 1);
EQ(SCHEDOP_shutdown, 2);
EQ(SCHEDOP_poll, 3);
EQ(SCHEDOP_remote_shutdown, 4);
EQ(SCHEDOP_shutdown_code, 5);
EQ(SCHEDOP_watchdog, 6);
EQ(SCHEDOP_pin_override, 7);
EQ(SHUTDOWN_poweroff, 0);
EQ(SHUTDOWN_reboot, 1);
EQ(SHUTDOWN_suspend, 2);
EQ(SHUTDOWN_crash, 3);
EQ(SHUTDOWN_watchdog, 4);
EQ(SHUTDOWN_soft_reset, 5);
SIZE(sched_shutdown_t, 4);
SIZE(sched_remote_shutdown_t, 8);
OFF(sched_remote_shutdown_t, reason, 4);
SIZE(sched_watchdog_t, 8);
SIZE(sched_pin_override_t, 4);

/* vcpu_op. */
EQ(VCPUOP_initialise, 0);
EQ(VCPUOP_up, 1);
EQ(VCPUOP_down, 2);
EQ(VCPUOP_is_up, 3);
EQ(VCPUOP_get_runstate_info, 4);
EQ(VCPUOP_register_runstate_memory_area, 5);
EQ(VCPUOP_set_periodic_timer, 6);
EQ(VCPUOP_stop_periodic_timer, 7);
EQ(VCPUOP_set_singleshot_timer, 8);
EQ(VCPUOP_stop_singleshot_timer, 9);
EQ(VCPUOP_register_vcpu_info, 10);
EQ(VCPUOP_send_nmi, 11);
EQ(VCPUOP_get_physid, 12);
EQ(VCPUOP_register_vcpu_time_memory_area, 13);
EQ(RUNSTATE_running, 0);
EQ(RUNSTATE_runnable, 1);
EQ(RUNSTATE_blocked, 2);
EQ(RUNSTATE_offline, 3);
EQ(VCPU_SSHOTTMR_future, 1);
EQ(XEN_RUNSTATE_UPDATE, 0x8000000000000000ULL);
SIZE(vcpu_set_periodic_timer_t, 8);
SIZE(vcpu_register_vcpu_info_t, 16);
OFF(vcpu_register_vcpu_info_t, offset, 8);
OFF(vcpu_register_vcpu_info_t, rsvd, 12);
SIZE(vcpu_register_runstate_memory_area_t, 8);
SIZE(vcpu_register_time_memory_area_t, 8);
SIZE(vcpu_get_physid_t, 8);

/* PVH/HVM initial vCPU context. */
EQ(VCPU_HVM_MODE_32B, 0);
EQ(VCPU_HVM_MODE_64B, 1);
SIZE(struct vcpu_hvm_x86_32, 120);
OFF(struct vcpu_hvm_x86_32, eip, 32);
OFF(struct vcpu_hvm_x86_32, cr0, 40);
OFF(struct vcpu_hvm_x86_32, efer, 56);
OFF(struct vcpu_hvm_x86_32, cs_base, 64);
OFF(struct vcpu_hvm_x86_32, cs_limit, 84);
OFF(struct vcpu_hvm_x86_32, cs_ar, 104);
OFF(struct vcpu_hvm_x86_32, tr_ar, 112);
SIZE(struct vcpu_hvm_x86_64, 112);
OFF(struct vcpu_hvm_x86_64, rip, 64);
OFF(struct vcpu_hvm_x86_64, cr0, 80);
OFF(struct vcpu_hvm_x86_64, efer, 104);
SIZE(struct vcpu_hvm_context, 128);
OFF(struct vcpu_hvm_context, cpu_regs, 8);

/* memory_op. */
EQ(XENMEM_increase_reservation, 0);
EQ(XENMEM_decrease_reservation, 1);
EQ(XENMEM_maximum_ram_page, 2);
EQ(XENMEM_current_reservation, 3);
EQ(XENMEM_maximum_reservation, 4);
EQ(XENMEM_machphys_mfn_list, 5);
EQ(XENMEM_populate_physmap, 6);
EQ(XENMEM_add_to_physmap, 7);
EQ(XENMEM_memory_map, 9);
EQ(XENMEM_machine_memory_map, 10);
EQ(XENMEM_exchange, 11);
EQ(XENMEM_machphys_mapping, 12);
EQ(XENMEM_set_memory_map, 13);
EQ(XENMEM_maximum_gpfn, 14);
EQ(XENMEM_remove_from_physmap, 15);
EQ(XENMEM_add_to_physmap_batch, 23);
EQ(XENMEM_claim_pages, 24);
EQ(XENMEM_machphys_compat_mfn_list, 25);
EQ(XENMEM_get_vnumainfo, 26);
EQ(XENMEM_reserved_device_memory_map, 27);
EQ(XENMEM_acquire_resource, 28);
EQ(XENMAPSPACE_shared_info, 0);
EQ(XENMAPSPACE_grant_table, 1);
EQ(XENMAPSPACE_gmfn, 2);
EQ(XENMAPSPACE_gmfn_range, 3);
EQ(XENMAPSPACE_gmfn_foreign, 4);
EQ(XENMAPSPACE_dev_mmio, 5);
EQ(XENMAPIDX_grant_table_status, 0x80000000U);
EQ(XENMEMF_node(0), 0x100);
EQ(XENMEMF_get_node(XENMEMF_node(3)), 3);
EQ(XENMEMF_get_address_bits(XENMEMF_address_bits(32) | XENMEMF_node(1)), 32);
EQ(XENMEMF_populate_on_demand, 1 << 16);
EQ(XENMEMF_exact_node_request, 1 << 17);
EQ(XENMEMF_vnode, 1 << 18);

/* Event channels. */
EQ(EVTCHNOP_bind_interdomain, 0);
EQ(EVTCHNOP_bind_virq, 1);
EQ(EVTCHNOP_bind_pirq, 2);
EQ(EVTCHNOP_close, 3);
EQ(EVTCHNOP_send, 4);
EQ(EVTCHNOP_status, 5);
EQ(EVTCHNOP_alloc_unbound, 6);
EQ(EVTCHNOP_bind_ipi, 7);
EQ(EVTCHNOP_bind_vcpu, 8);
EQ(EVTCHNOP_unmask, 9);
EQ(EVTCHNOP_reset, 10);
EQ(EVTCHNOP_init_control, 11);
EQ(EVTCHNOP_expand_array, 12);
EQ(EVTCHNOP_set_priority, 13);
EQ(EVTCHNOP_reset_cont, 14);
SIZE(evtchn_alloc_unbound_t, 8);
OFF(evtchn_alloc_unbound_t, dom, 0);
OFF(evtchn_alloc_unbound_t, remote_dom, 2);
OFF(evtchn_alloc_unbound_t, port, 4);
SIZE(evtchn_bind_interdomain_t, 12);
OFF(evtchn_bind_interdomain_t, remote_port, 4);
OFF(evtchn_bind_interdomain_t, local_port, 8);
SIZE(evtchn_bind_virq_t, 12);
OFF(evtchn_bind_virq_t, vcpu, 4);
OFF(evtchn_bind_virq_t, port, 8);
SIZE(evtchn_bind_pirq_t, 12);
SIZE(evtchn_bind_ipi_t, 8);
SIZE(evtchn_close_t, 4);
SIZE(evtchn_send_t, 4);
SIZE(evtchn_unmask_t, 4);
SIZE(evtchn_status_t, 24);
OFF(evtchn_status_t, port, 4);
OFF(evtchn_status_t, status, 8);
OFF(evtchn_status_t, vcpu, 12);
OFF(evtchn_status_t, u, 16);
OFF(evtchn_status_t, u.interdomain.port, 20);
EQ(EVTCHNSTAT_closed, 0);
EQ(EVTCHNSTAT_unbound, 1);
EQ(EVTCHNSTAT_interdomain, 2);
EQ(EVTCHNSTAT_pirq, 3);
EQ(EVTCHNSTAT_virq, 4);
EQ(EVTCHNSTAT_ipi, 5);
SIZE(evtchn_bind_vcpu_t, 8);
SIZE(evtchn_reset_t, 2);
SIZE(evtchn_init_control_t, 24);
OFF(evtchn_init_control_t, offset, 8);
OFF(evtchn_init_control_t, vcpu, 12);
OFF(evtchn_init_control_t, link_bits, 16);
SIZE(evtchn_expand_array_t, 8);
SIZE(evtchn_set_priority_t, 8);
SIZE(evtchn_op_t, 28);
OFF(evtchn_op_t, u, 4);
SIZE(event_word_t, 4);
EQ(EVTCHN_FIFO_PENDING, 31);
EQ(EVTCHN_FIFO_MASKED, 30);
EQ(EVTCHN_FIFO_LINKED, 29);
EQ(EVTCHN_FIFO_BUSY, 28);
EQ(EVTCHN_FIFO_LINK_BITS, 17);
EQ(EVTCHN_FIFO_NR_CHANNELS, 131072);
EQ(EVTCHN_FIFO_PRIORITY_MAX, 0);
EQ(EVTCHN_FIFO_PRIORITY_DEFAULT, 7);
EQ(EVTCHN_FIFO_PRIORITY_MIN, 15);
EQ(EVTCHN_FIFO_MAX_QUEUES, 16);
SIZE(evtchn_fifo_control_block_t, 72);
OFF(evtchn_fifo_control_block_t, head, 8);

/* Grant tables. */
EQ(GNTTABOP_map_grant_ref, 0);
EQ(GNTTABOP_unmap_grant_ref, 1);
EQ(GNTTABOP_setup_table, 2);
EQ(GNTTABOP_dump_table, 3);
EQ(GNTTABOP_transfer, 4);
EQ(GNTTABOP_copy, 5);
EQ(GNTTABOP_query_size, 6);
EQ(GNTTABOP_unmap_and_replace, 7);
EQ(GNTTABOP_set_version, 8);
EQ(GNTTABOP_get_status_frames, 9);
EQ(GNTTABOP_get_version, 10);
EQ(GNTTABOP_swap_grant_ref, 11);
EQ(GNTTABOP_cache_flush, 12);
SIZE(grant_entry_v1_t, 8);
OFF(grant_entry_v1_t, flags, 0);
OFF(grant_entry_v1_t, domid, 2);
OFF(grant_entry_v1_t, frame, 4);
SIZE(grant_entry_header_t, 4);
SIZE(grant_entry_v2_t, 16);
OFF(grant_entry_v2_t, full_page.frame, 8);
OFF(grant_entry_v2_t, sub_page.page_off, 4);
OFF(grant_entry_v2_t, sub_page.length, 6);
OFF(grant_entry_v2_t, sub_page.frame, 8);
OFF(grant_entry_v2_t, transitive.trans_domid, 4);
OFF(grant_entry_v2_t, transitive.gref, 8);
EQ(GTF_invalid, 0);
EQ(GTF_permit_access, 1);
EQ(GTF_accept_transfer, 2);
EQ(GTF_transitive, 3);
EQ(GTF_type_mask, 3);
EQ(GTF_readonly, 1 << 2);
EQ(GTF_reading, 1 << 3);
EQ(GTF_writing, 1 << 4);
EQ(GTF_PWT, 1 << 5);
EQ(GTF_PCD, 1 << 6);
EQ(GTF_PAT, 1 << 7);
EQ(GTF_sub_page, 1 << 8);
EQ(GTF_transfer_committed, 1 << 2);
EQ(GTF_transfer_completed, 1 << 3);
EQ(GNTMAP_device_map, 1 << 0);
EQ(GNTMAP_host_map, 1 << 1);
EQ(GNTMAP_readonly, 1 << 2);
EQ(GNTMAP_application_map, 1 << 3);
EQ(GNTMAP_contains_pte, 1 << 4);
EQ(_GNTMAP_guest_avail0, 16);
EQ(GNTMAP_guest_avail_mask, 0xFFFF0000U);
EQ(GNTCOPY_source_gref, 1);
EQ(GNTCOPY_dest_gref, 2);
EQ(GNTST_okay, 0);
EQ(GNTST_general_error, -1);
EQ(GNTST_bad_domain, -2);
EQ(GNTST_bad_gntref, -3);
EQ(GNTST_bad_handle, -4);
EQ(GNTST_bad_virt_addr, -5);
EQ(GNTST_bad_dev_addr, -6);
EQ(GNTST_no_device_space, -7);
EQ(GNTST_permission_denied, -8);
EQ(GNTST_bad_page, -9);
EQ(GNTST_bad_copy_arg, -10);
EQ(GNTST_address_too_big, -11);
EQ(GNTST_eagain, -12);
EQ(GNTST_no_space, -13);
EQ(GNTTAB_NR_RESERVED_ENTRIES, 8);
EQ(GNTTAB_RESERVED_CONSOLE, 0);
EQ(GNTTAB_RESERVED_XENSTORE, 1);
SIZE(gnttab_map_grant_ref_t, 32);
OFF(gnttab_map_grant_ref_t, host_addr, 0);
OFF(gnttab_map_grant_ref_t, flags, 8);
OFF(gnttab_map_grant_ref_t, ref, 12);
OFF(gnttab_map_grant_ref_t, dom, 16);
OFF(gnttab_map_grant_ref_t, status, 18);
OFF(gnttab_map_grant_ref_t, handle, 20);
OFF(gnttab_map_grant_ref_t, dev_bus_addr, 24);
SIZE(gnttab_unmap_grant_ref_t, 24);
OFF(gnttab_unmap_grant_ref_t, dev_bus_addr, 8);
OFF(gnttab_unmap_grant_ref_t, handle, 16);
OFF(gnttab_unmap_grant_ref_t, status, 20);
SIZE(gnttab_query_size_t, 16);
OFF(gnttab_query_size_t, nr_frames, 4);
OFF(gnttab_query_size_t, max_nr_frames, 8);
OFF(gnttab_query_size_t, status, 12);
SIZE(gnttab_unmap_and_replace_t, 24);
SIZE(gnttab_set_version_t, 4);
SIZE(gnttab_get_version_t, 8);
OFF(gnttab_get_version_t, version, 4);
SIZE(gnttab_swap_grant_ref_t, 12);
SIZE(gnttab_dump_table_t, 4);
SIZE(gnttab_cache_flush_t, 16);
OFF(gnttab_cache_flush_t, offset, 8);
OFF(gnttab_cache_flush_t, length, 10);
OFF(gnttab_cache_flush_t, op, 12);

/* hvm_op and params. */
EQ(HVMOP_set_param, 0);
EQ(HVMOP_get_param, 1);
EQ(HVMOP_flush_tlbs, 5);
EQ(HVMOP_pagetable_dying, 9);
EQ(HVMOP_get_time, 10);
EQ(HVMOP_xentrace, 11);
EQ(HVMOP_get_mem_type, 15);
EQ(HVMOP_set_evtchn_upcall_vector, 23);
EQ(HVMOP_guest_request_vm_event, 24);
EQ(HVMOP_altp2m, 25);
SIZE(xen_hvm_param_t, 16);
OFF(xen_hvm_param_t, domid, 0);
OFF(xen_hvm_param_t, index, 4);
OFF(xen_hvm_param_t, value, 8);
SIZE(xen_hvm_get_time_t, 8);
SIZE(xen_hvm_evtchn_upcall_vector_t, 8);
OFF(xen_hvm_evtchn_upcall_vector_t, vector, 4);
SIZE(xen_hvm_pagetable_dying_t, 16);
OFF(xen_hvm_pagetable_dying_t, gpa, 8);
SIZE(xen_hvm_get_mem_type_t, 16);
OFF(xen_hvm_get_mem_type_t, mem_type, 2);
OFF(xen_hvm_get_mem_type_t, pfn, 8);
SIZE(xen_hvm_xentrace_t, 32);
EQ(HVMMEM_ram_rw, 0);
EQ(HVMMEM_ram_ro, 1);
EQ(HVMMEM_mmio_dm, 2);
EQ(HVMMEM_unused, 3);
EQ(HVMMEM_ioreq_server, 4);
EQ(HVM_PARAM_CALLBACK_IRQ, 0);
EQ(HVM_PARAM_CALLBACK_IRQ_TYPE_MASK, 0xFF00000000000000ULL);
EQ(HVM_PARAM_CALLBACK_TYPE_GSI, 0);
EQ(HVM_PARAM_CALLBACK_TYPE_PCI_INTX, 1);
EQ(HVM_PARAM_CALLBACK_TYPE_VECTOR, 2);
EQ(HVM_PARAM_STORE_PFN, 1);
EQ(HVM_PARAM_STORE_EVTCHN, 2);
EQ(HVM_PARAM_PAE_ENABLED, 4);
EQ(HVM_PARAM_IOREQ_PFN, 5);
EQ(HVM_PARAM_BUFIOREQ_PFN, 6);
EQ(HVM_PARAM_VIRIDIAN, 9);
EQ(HVM_PARAM_TIMER_MODE, 10);
EQ(HVM_PARAM_HPET_ENABLED, 11);
EQ(HVM_PARAM_IDENT_PT, 12);
EQ(HVM_PARAM_ACPI_S_STATE, 14);
EQ(HVM_PARAM_VM86_TSS, 15);
EQ(HVM_PARAM_VPT_ALIGN, 16);
EQ(HVM_PARAM_CONSOLE_PFN, 17);
EQ(HVM_PARAM_CONSOLE_EVTCHN, 18);
EQ(HVM_PARAM_ACPI_IOPORTS_LOCATION, 19);
EQ(HVM_PARAM_NESTEDHVM, 24);
EQ(HVM_PARAM_BUFIOREQ_EVTCHN, 26);
EQ(HVM_PARAM_PAGING_RING_PFN, 27);
EQ(HVM_PARAM_MONITOR_RING_PFN, 28);
EQ(HVM_PARAM_SHARING_RING_PFN, 29);
EQ(HVM_PARAM_TRIPLE_FAULT_REASON, 31);
EQ(HVM_PARAM_IOREQ_SERVER_PFN, 32);
EQ(HVM_PARAM_NR_IOREQ_SERVER_PAGES, 33);
EQ(HVM_PARAM_VM_GENERATION_ID_ADDR, 34);
EQ(HVM_PARAM_ALTP2M, 35);
EQ(HVM_PARAM_X87_FIP_WIDTH, 36);
EQ(HVM_PARAM_VM86_TSS_SIZED, 37);
EQ(HVM_PARAM_MCA_CAP, 38);
EQ(HVM_NR_PARAMS, 39);
EQ(HVMPTM_delay_for_missed_ticks, 0);
EQ(HVMPTM_one_missed_tick_pending, 3);

/* physdev_op. */
EQ(PHYSDEVOP_irq_status_query, 5);
EQ(PHYSDEVOP_set_iopl, 6);
EQ(PHYSDEVOP_eoi, 12);
EQ(PHYSDEVOP_map_pirq, 13);
EQ(PHYSDEVOP_pirq_eoi_gmfn_v2, 28);
EQ(PHYSDEVOP_release_msix, 31);
SIZE(physdev_irq_status_query_t, 8);
SIZE(physdev_set_iopl_t, 4);
SIZE(physdev_eoi_t, 4);
EQ(XENIRQSTAT_needs_eoi, 1);
EQ(XENIRQSTAT_shared, 2);

/* callback_op, nmi_op. */
EQ(CALLBACKTYPE_event, 0);
EQ(CALLBACKTYPE_failsafe, 1);
EQ(CALLBACKTYPE_syscall, 2);
EQ(CALLBACKTYPE_sysenter_deprecated, 3);
EQ(CALLBACKTYPE_nmi, 4);
EQ(CALLBACKTYPE_sysenter, 5);
EQ(CALLBACKTYPE_syscall32, 7);
EQ(CALLBACKF_mask_events, 1);
EQ(CALLBACKOP_register, 0);
EQ(CALLBACKOP_unregister, 1);
SIZE(callback_unregister_t, 4);
EQ(XEN_NMIREASON_io_error, 1);
EQ(XEN_NMIREASON_pci_serr, 2);
EQ(XEN_NMIREASON_unknown, 4);
EQ(XENNMI_register_callback, 0);
EQ(XENNMI_unregister_callback, 1);

/* ELF notes. */
EQ(XEN_ELFNOTE_INFO, 0);
EQ(XEN_ELFNOTE_ENTRY, 1);
EQ(XEN_ELFNOTE_HYPERCALL_PAGE, 2);
EQ(XEN_ELFNOTE_VIRT_BASE, 3);
EQ(XEN_ELFNOTE_PADDR_OFFSET, 4);
EQ(XEN_ELFNOTE_XEN_VERSION, 5);
EQ(XEN_ELFNOTE_GUEST_OS, 6);
EQ(XEN_ELFNOTE_GUEST_VERSION, 7);
EQ(XEN_ELFNOTE_LOADER, 8);
EQ(XEN_ELFNOTE_PAE_MODE, 9);
EQ(XEN_ELFNOTE_FEATURES, 10);
EQ(XEN_ELFNOTE_BSD_SYMTAB, 11);
EQ(XEN_ELFNOTE_HV_START_LOW, 12);
EQ(XEN_ELFNOTE_L1_MFN_VALID, 13);
EQ(XEN_ELFNOTE_SUSPEND_CANCEL, 14);
EQ(XEN_ELFNOTE_INIT_P2M, 15);
EQ(XEN_ELFNOTE_MOD_START_PFN, 16);
EQ(XEN_ELFNOTE_SUPPORTED_FEATURES, 17);
EQ(XEN_ELFNOTE_PHYS32_ENTRY, 18);
EQ(XEN_ELFNOTE_MAX, 18);

/* Console ring. */
SIZE(XENCONS_RING_IDX, 4);
SIZE(struct xencons_interface, 3088);
OFF(struct xencons_interface, in, 0);
OFF(struct xencons_interface, out, 1024);
OFF(struct xencons_interface, in_cons, 3072);
OFF(struct xencons_interface, in_prod, 3076);
OFF(struct xencons_interface, out_cons, 3080);
OFF(struct xencons_interface, out_prod, 3084);

/* Xenstore wire protocol and ring. */
SIZE(struct xsd_sockmsg, 16);
OFF(struct xsd_sockmsg, type, 0);
OFF(struct xsd_sockmsg, req_id, 4);
OFF(struct xsd_sockmsg, tx_id, 8);
OFF(struct xsd_sockmsg, len, 12);
EQ(XS_CONTROL, 0);
EQ(XS_DEBUG, 0);
EQ(XS_DIRECTORY, 1);
EQ(XS_READ, 2);
EQ(XS_GET_PERMS, 3);
EQ(XS_WATCH, 4);
EQ(XS_UNWATCH, 5);
EQ(XS_TRANSACTION_START, 6);
EQ(XS_TRANSACTION_END, 7);
EQ(XS_INTRODUCE, 8);
EQ(XS_RELEASE, 9);
EQ(XS_GET_DOMAIN_PATH, 10);
EQ(XS_WRITE, 11);
EQ(XS_MKDIR, 12);
EQ(XS_RM, 13);
EQ(XS_SET_PERMS, 14);
EQ(XS_WATCH_EVENT, 15);
EQ(XS_ERROR, 16);
EQ(XS_IS_DOMAIN_INTRODUCED, 17);
EQ(XS_RESUME, 18);
EQ(XS_SET_TARGET, 19);
EQ(XS_RESET_WATCHES, 21);
EQ(XS_DIRECTORY_PART, 22);
EQ(XS_TYPE_COUNT, 23);
EQ(XS_INVALID, 0xffff);
EQ(XS_WATCH_PATH, 0);
EQ(XS_WATCH_TOKEN, 1);
EQ(XENSTORE_RING_SIZE, 1024);
EQ(XENSTORE_PAYLOAD_MAX, 4096);
EQ(XENSTORE_ABS_PATH_MAX, 3072);
EQ(XENSTORE_REL_PATH_MAX, 2048);
EQ(XENSTORE_SERVER_FEATURE_RECONNECTION, 1);
EQ(XENSTORE_SERVER_FEATURE_ERROR, 2);
EQ(XENSTORE_CONNECTED, 0);
EQ(XENSTORE_RECONNECT, 1);
EQ(XENSTORE_ERROR_NONE, 0);
EQ(XENSTORE_ERROR_COMM, 1);
EQ(XENSTORE_ERROR_RINGIDX, 2);
EQ(XENSTORE_ERROR_PROTO, 3);
EQ(MASK_XENSTORE_IDX(1025), 1);
SIZE(XENSTORE_RING_IDX, 4);
SIZE(struct xenstore_domain_interface, 2076);
OFF(struct xenstore_domain_interface, req, 0);
OFF(struct xenstore_domain_interface, rsp, 1024);
OFF(struct xenstore_domain_interface, req_cons, 2048);
OFF(struct xenstore_domain_interface, req_prod, 2052);
OFF(struct xenstore_domain_interface, rsp_cons, 2056);
OFF(struct xenstore_domain_interface, rsp_prod, 2060);
OFF(struct xenstore_domain_interface, server_features, 2064);
OFF(struct xenstore_domain_interface, connection, 2068);
OFF(struct xenstore_domain_interface, error, 2072);

/* ---------------------------------------------------------------- */
/* Native x86-64 layouts.                                             */
/* ---------------------------------------------------------------- */
#if defined(__x86_64__)

/* Guest handles and native words are 8 bytes. */
SIZE(XEN_GUEST_HANDLE(void), 8);
SIZE(XEN_GUEST_HANDLE(xen_pfn_t), 8);
SIZE(xen_ulong_t, 8);
SIZE(xen_pfn_t, 8);
SIZE(xen_callback_t, 8);
/* PRI_xen_pfn "lx" requires xen_pfn_t to be unsigned long. */
_Static_assert(_Generic((xen_pfn_t)0, unsigned long: 1, default: 0),
               "xen_pfn_t is unsigned long on x86-64");

SIZE(struct multicall_entry, 64);
OFF(struct multicall_entry, result, 8);
OFF(struct multicall_entry, args, 16);
SIZE(struct mmuext_op, 24);
OFF(struct mmuext_op, arg1, 8);
OFF(struct mmuext_op, arg2, 16);

SIZE(struct arch_vcpu_info, 16);
OFF(struct vcpu_info, evtchn_pending_sel, 8);
OFF(struct vcpu_info, arch, 16);

SIZE(struct arch_shared_info, 48);
SIZE(struct shared_info, 3136);
OFF(struct shared_info, evtchn_pending, 2048);
OFF(struct shared_info, evtchn_mask, 2560);
OFF(struct shared_info, wc_version, 3072);
OFF(struct shared_info, wc_sec, 3076);
OFF(struct shared_info, wc_nsec, 3080);
OFF(struct shared_info, wc_sec_hi, 3084);
OFF(struct shared_info, arch, 3088);
OFF(struct shared_info, arch.max_pfn, 3088);
OFF(struct shared_info, arch.pfn_to_mfn_frame_list_list, 3096);
OFF(struct shared_info, arch.nmi_reason, 3104);
OFF(struct shared_info, arch.p2m_cr3, 3112);
OFF(struct shared_info, arch.p2m_vaddr, 3120);
OFF(struct shared_info, arch.p2m_generation, 3128);

SIZE(struct start_info, 1168);
OFF(struct start_info, magic, 0);
OFF(struct start_info, nr_pages, 32);
OFF(struct start_info, shared_info, 40);
OFF(struct start_info, flags, 48);
OFF(struct start_info, store_mfn, 56);
OFF(struct start_info, store_evtchn, 64);
OFF(struct start_info, console, 72);
OFF(struct start_info, console.domU.evtchn, 80);
OFF(struct start_info, pt_base, 88);
OFF(struct start_info, nr_pt_frames, 96);
OFF(struct start_info, mfn_list, 104);
OFF(struct start_info, mod_start, 112);
OFF(struct start_info, mod_len, 120);
OFF(struct start_info, cmd_line, 128);
OFF(struct start_info, first_p2m_pfn, 1152);
OFF(struct start_info, nr_p2m_frames, 1160);

SIZE(struct trap_info, 16);
OFF(struct trap_info, address, 8);
SIZE(struct cpu_user_regs, 200);
OFF(struct cpu_user_regs, rax, 80);
OFF(struct cpu_user_regs, rdi, 112);
OFF(struct cpu_user_regs, error_code, 120);
OFF(struct cpu_user_regs, rip, 128);
OFF(struct cpu_user_regs, cs, 136);
OFF(struct cpu_user_regs, saved_upcall_mask, 140);
OFF(struct cpu_user_regs, rflags, 144);
OFF(struct cpu_user_regs, rsp, 152);
OFF(struct cpu_user_regs, ss, 160);
OFF(struct cpu_user_regs, gs, 192);
SIZE(struct vcpu_guest_context, 5168);
OFF(struct vcpu_guest_context, flags, 512);
OFF(struct vcpu_guest_context, user_regs, 520);
OFF(struct vcpu_guest_context, trap_ctxt, 720);
OFF(struct vcpu_guest_context, ldt_base, 4816);
OFF(struct vcpu_guest_context, gdt_frames, 4832);
OFF(struct vcpu_guest_context, kernel_ss, 4968);
OFF(struct vcpu_guest_context, ctrlreg, 4984);
OFF(struct vcpu_guest_context, debugreg, 5048);
OFF(struct vcpu_guest_context, event_callback_eip, 5112);
OFF(struct vcpu_guest_context, vm_assist, 5136);
OFF(struct vcpu_guest_context, fs_base, 5144);
SIZE(struct iret_context, 72);

SIZE(xen_platform_parameters_t, 8);

SIZE(sched_poll_t, 24);
OFF(sched_poll_t, nr_ports, 8);
OFF(sched_poll_t, timeout, 16);

SIZE(struct vcpu_runstate_info, 48);
OFF(struct vcpu_runstate_info, state_entry_time, 8);
OFF(struct vcpu_runstate_info, time, 16);
SIZE(vcpu_set_singleshot_timer_t, 16);
OFF(vcpu_set_singleshot_timer_t, flags, 8);

SIZE(xen_memory_reservation_t, 32);
OFF(xen_memory_reservation_t, nr_extents, 8);
OFF(xen_memory_reservation_t, extent_order, 16);
OFF(xen_memory_reservation_t, mem_flags, 20);
OFF(xen_memory_reservation_t, domid, 24);
SIZE(xen_memory_exchange_t, 72);
SIZE(xen_add_to_physmap_t, 24);
OFF(xen_add_to_physmap_t, size, 2);
OFF(xen_add_to_physmap_t, space, 4);
OFF(xen_add_to_physmap_t, idx, 8);
OFF(xen_add_to_physmap_t, gpfn, 16);
SIZE(xen_add_to_physmap_batch_t, 32);
OFF(xen_add_to_physmap_batch_t, idxs, 8);
SIZE(xen_remove_from_physmap_t, 16);
SIZE(xen_memory_map_t, 16);
OFF(xen_memory_map_t, buffer, 8);
SIZE(xen_foreign_memory_map_t, 24);
SIZE(xen_machphys_mfn_list_t, 24);
SIZE(xen_machphys_mapping_t, 24);
SIZE(xen_pod_target_t, 40);

SIZE(gnttab_setup_table_t, 24);
OFF(gnttab_setup_table_t, nr_frames, 4);
OFF(gnttab_setup_table_t, status, 8);
OFF(gnttab_setup_table_t, frame_list, 16);
SIZE(gnttab_transfer_t, 24);
SIZE(struct gnttab_copy_ptr, 16);
SIZE(gnttab_copy_t, 40);
OFF(gnttab_copy_t, source.domid, 8);
OFF(gnttab_copy_t, source.offset, 10);
OFF(gnttab_copy_t, dest, 16);
OFF(gnttab_copy_t, len, 32);
OFF(gnttab_copy_t, flags, 34);
OFF(gnttab_copy_t, status, 36);
SIZE(gnttab_get_status_frames_t, 16);
OFF(gnttab_get_status_frames_t, frame_list, 8);

SIZE(callback_register_t, 16);
OFF(callback_register_t, address, 8);
SIZE(xennmi_callback_t, 16);
SIZE(physdev_pirq_eoi_gmfn_t, 8);

/* ---------------------------------------------------------------- */
/* 32-bit guest layouts (Xen's compat ABI).                          */
/* ---------------------------------------------------------------- */
#elif defined(__i386__)

SIZE(XEN_GUEST_HANDLE(void), 4);
SIZE(xen_ulong_t, 4);
SIZE(xen_pfn_t, 4);
SIZE(xen_callback_t, 8);

SIZE(struct multicall_entry, 32);
SIZE(struct mmuext_op, 12);
SIZE(struct arch_vcpu_info, 24);
OFF(struct vcpu_info, evtchn_pending_sel, 4);
OFF(struct vcpu_info, arch, 8);
SIZE(struct arch_shared_info, 28);
SIZE(struct shared_info, 2344);
OFF(struct shared_info, evtchn_pending, 2048);
OFF(struct shared_info, evtchn_mask, 2176);
OFF(struct shared_info, wc_version, 2304);
OFF(struct shared_info, arch, 2316);
SIZE(struct start_info, 1112);
OFF(struct start_info, cmd_line, 80);
SIZE(struct trap_info, 8);
SIZE(struct cpu_user_regs, 68);
SIZE(struct vcpu_guest_context, 2800);
SIZE(sched_poll_t, 16);
SIZE(struct vcpu_runstate_info, 44);
SIZE(vcpu_set_singleshot_timer_t, 12);
SIZE(xen_memory_reservation_t, 20);
SIZE(xen_add_to_physmap_t, 16);
SIZE(xen_memory_map_t, 8);
SIZE(gnttab_setup_table_t, 16);
SIZE(gnttab_copy_t, 24);
SIZE(xen_pod_target_t, 36);

#else
#error "test-abi-layout: x86 only"
#endif

#if __STDC_HOSTED__
#include <stdio.h>

int main(void)
{
    printf("PASS abi-layout\n");
    return 0;
}
#endif
