/*
 * Entry of the PV test kernels: the Xen PV ELF notes, the hypercall page
 * Xen fills, and _start, entered at CPL 3 in 64-bit mode with %rsi =
 * start_info and %rsp = the builder's boot stack.
 */
#include <public/elfnote.h>

#define VIRT_BASE 0xffffffff80000000

/* One Xen note: name "Xen", type, then the descriptor. */
.macro xen_note type, desc:vararg
    .balign 4
    .long 4, 2f - 1f, \type
    .asciz "Xen"
1:  \desc
2:
.endm

    .section .note.Xen, "a", @note
    xen_note XEN_ELFNOTE_GUEST_OS, .asciz "linux"
    xen_note XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0"
    xen_note XEN_ELFNOTE_LOADER, .asciz "generic"
    xen_note XEN_ELFNOTE_VIRT_BASE, .quad VIRT_BASE
    xen_note XEN_ELFNOTE_PADDR_OFFSET, .quad VIRT_BASE
    xen_note XEN_ELFNOTE_ENTRY, .quad _start
    xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
    xen_note XEN_ELFNOTE_PAE_MODE, .asciz "yes"
    xen_note XEN_ELFNOTE_FEATURES, .asciz "writable_page_tables|pae_pgdir_above_4gb"

    .section .text.head, "ax"
    .globl _start
_start:
    lea boot_stack_top(%rip), %rsp
    mov %rsi, %rdi
    call pv_start
    ud2

    .text
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

    .bss
    .balign 16
    .fill 16384, 1, 0
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
