/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor CPUID leaves.  Xen's leaves start at the first free
 * 0x100-aligned base at or above 0x40000000 (0x40000100 when Viridian
 * leaves occupy 0x40000000); "leaf N" below is base + N - 1.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_CPUID_H__
#define __XEN_PUBLIC_ARCH_X86_CPUID_H__

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

/*
 * Leaf 1 (base + 0): EAX = highest Xen leaf; EBX:ECX:EDX = "XenVMMXenVMM".
 */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558 /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e /* "nVMM" */

/* Leaf 2 (base + 1): EAX = (major << 16) | minor. */

/*
 * Leaf 3 (base + 2): EAX = number of hypercall pages (1), EBX = MSR that
 * installs the hypercall page, ECX/EDX = feature words.
 */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1u << 0)

/*
 * Leaf 4 (base + 3): TSC information.  Subleaf 0: EAX flags (emulated,
 * reliable, RDTSCP), EBX tsc_mode, ECX guest kHz, EDX incarnation.
 * Subleaf 1: offset and tsc->ns scale.  Subleaf 2: host kHz.
 */

/*
 * Leaf 5 (base + 4): HVM features.  EAX = flags below; EBX = vCPU id and
 * ECX = domain id when the matching *_PRESENT flag is set.
 */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0) /* APIC register access virtualised */
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1) /* x2APIC access virtualised */
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2) /* foreign mappings have IOMMU entries */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3) /* EBX = vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4) /* ECX = domain id */
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5) /* 15-bit APIC destination ids in IOAPIC/MSI */
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6) /* HVMOP_set_evtchn_upcall_vector works with PIRQs */

/*
 * Leaf 6 (base + 5): PV parameters.  Subleaf 0: EAX = highest subleaf,
 * EBX bits 7:0 = maximum machine address width.
 */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

#define XEN_CPUID_MAX_NUM_LEAVES 5

#endif /* __XEN_PUBLIC_ARCH_X86_CPUID_H__ */
