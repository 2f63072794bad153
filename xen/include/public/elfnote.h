/* SPDX-License-Identifier: MIT */
/*
 * ELF note types in a guest kernel image (note name "Xen").  The loader
 * reads them to learn entry points, features and layout.
 */
#ifndef __XEN_PUBLIC_ELFNOTE_H__
#define __XEN_PUBLIC_ELFNOTE_H__

#define XEN_ELFNOTE_INFO            0   /* (none) */
#define XEN_ELFNOTE_ENTRY           1   /* PV entry virtual address */
#define XEN_ELFNOTE_HYPERCALL_PAGE  2   /* virtual address to place the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE       3   /* virtual base of the kernel */
#define XEN_ELFNOTE_PADDR_OFFSET    4   /* virtual minus physical offset */
#define XEN_ELFNOTE_XEN_VERSION     5   /* string: required hypervisor version */
#define XEN_ELFNOTE_GUEST_OS        6   /* string: guest OS name */
#define XEN_ELFNOTE_GUEST_VERSION   7   /* string: guest OS version */
#define XEN_ELFNOTE_LOADER          8   /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE        9   /* string: "yes", "no", "bimodal" */
#define XEN_ELFNOTE_FEATURES       10   /* string: '|'-separated feature names */
#define XEN_ELFNOTE_BSD_SYMTAB     11   /* string: "yes" to load the symbol table */
#define XEN_ELFNOTE_HV_START_LOW   12   /* lowest hypervisor virtual address (32-bit PV) */
#define XEN_ELFNOTE_L1_MFN_VALID   13   /* mask and value of a valid L1 PTE */
#define XEN_ELFNOTE_SUSPEND_CANCEL 14   /* SCHEDOP_shutdown suspend can be cancelled */
#define XEN_ELFNOTE_INIT_P2M       15   /* virtual address of the initial p2m list */
#define XEN_ELFNOTE_MOD_START_PFN  16   /* kernel understands SIF_MOD_START_PFN */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* u32 bitmap of XENFEAT_* supported */
#define XEN_ELFNOTE_PHYS32_ENTRY   18   /* 32-bit physical PVH entry point */

#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_ENTRY

/* Notes in crash dumps and core files (not in kernels). */
#define XEN_ELFNOTE_CRASH_INFO  0x1000001
#define XEN_ELFNOTE_CRASH_REGS  0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* __XEN_PUBLIC_ELFNOTE_H__ */
