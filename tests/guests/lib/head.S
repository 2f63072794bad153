/*
 * PVH entry, CPU mode set-up, trap entry stubs and run_catching().
 *
 * The vCPU starts in 32-bit flat protected mode, paging off, %ebx =
 * physical address of the hvm_start_info, no stack. Variants:
 *   64  (__x86_64__): identity map the first 4 GiB with 2 MiB pages,
 *       enable PAE + LME + PG, continue in 64-bit code;
 *   pae (GUEST_PAE): 32-bit with PAE paging, same identity map (turned
 *       on from C, see pae_enable);
 *   32: 32-bit flat, paging off.
 * Everything lives at its link address (1 MiB), physical = virtual.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define SEL_CODE64 0x08
#define SEL_CODE32 0x10
#define SEL_DATA 0x18

#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100

#define STACK_SIZE 16384

/* The Xen note that makes this a PVH kernel. */
    .section .note.Xen, "a", @note
    .p2align 2
    .long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .p2align 2
    .long _start

    .section .text.head, "ax", @progbits
    .code32
    .globl _start
_start:
    cld
    cli
    lgdt gdt_desc
    ljmp $SEL_CODE32, $1f
1:  mov $SEL_DATA, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %fs
    mov %eax, %gs
    mov %eax, %ss
    mov $stack_top, %esp
    mov %ebx, start_info_paddr

#ifdef __x86_64__
    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    mov %cr0, %eax
    or $CR0_PG, %eax
    mov %eax, %cr0
    ljmp $SEL_CODE64, $start64
    .code64
start64:
    mov $stack_top, %rsp
    call guest_start
2:  cli
    hlt
    jmp 2b
#else
    call guest_start
2:  cli
    hlt
    jmp 2b
#endif

/*
 * Trap entry: one 16-byte stub per vector, pushing a dummy error code
 * where the CPU pushes none (all but 8, 10-14, 17, 21, 29, 30), then
 * the vector.
 */
    .text
    .p2align 4
    .globl trap_stubs
trap_stubs:
    .set vec, 0
    .rept 256
    .p2align 4
    .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
    push $0
    .endif
    push $vec
    jmp trap_common
    .set vec, vec + 1
    .endr

/*
 * Secondary vCPUs (lib/smp.c) start here from VCPUOP_initialise in
 * 32-bit flat mode, paging off, like the boot vCPU: vCPU id in %ebx,
 * stack in %esp. Load our GDT (the hypervisor's selectors mean nothing
 * to it), then enter the variant's mode the way _start does.
 */
    .code32
    .globl ap_entry
ap_entry:
    cld
    lgdt gdt_desc
    ljmp $SEL_CODE32, $1f
1:  mov $SEL_DATA, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %fs
    mov %eax, %gs
    mov %eax, %ss
#if defined(__x86_64__) || defined(GUEST_PAE)
    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
#ifdef __x86_64__
    mov $pml4, %eax
    mov %eax, %cr3
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
#else
    mov $pdpt, %eax
    mov %eax, %cr3
#endif
    mov %cr0, %eax
    or $CR0_PG, %eax
    mov %eax, %cr0
#endif
#ifdef __x86_64__
    ljmp $SEL_CODE64, $2f
    .code64
2:  movl %esp, %esp         /* zero the upper half */
    movl %ebx, %edi
    call ap_main
#else
    push %ebx
    call ap_main
#endif
3:  cli
    hlt
    jmp 3b

#ifdef GUEST_PAE
/*
 * void pae_enable(void *unused): PAE paging on. Called from C under
 * run_catching(), because some KVMs (kvm_pvm) refuse 32-bit paging.
 */
    .globl pae_enable
pae_enable:
    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $pdpt, %eax
    mov %eax, %cr3
    mov %cr0, %eax
    or $CR0_PG, %eax
    mov %eax, %cr0
    ret
#endif

#ifdef __x86_64__
trap_common:
    push %rax
    push %rcx
    push %rdx
    push %rbx
    push %rbp
    push %rsi
    push %rdi
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, %rdi
    mov %rsp, %rbx
    and $-16, %rsp
    call trap_dispatch
    mov %rbx, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rdi
    pop %rsi
    pop %rbp
    pop %rbx
    pop %rdx
    pop %rcx
    pop %rax
    add $16, %rsp
    iretq
#else
trap_common:
    pushal
    mov %esp, %eax
    push %eax
    call trap_dispatch
    add $4, %esp
    popal
    add $8, %esp
    /*
     * Same-privilege return without iret, which KVM's instruction
     * emulator cannot run in protected mode: restore eflags, then pop
     * eip and drop cs and eflags.
     */
    pushl 8(%esp)
    popfl
    ret $8
#endif

/*
 * int run_catching(void (*fn)(void *), void *arg, struct fault *f)
 * Saves the callee-saved registers and the stack pointer in catch_sp;
 * the trap handler sends a fault inside fn to catch_landing with the
 * vector in %eax, which unwinds to here.
 */
    .globl run_catching
#ifdef __x86_64__
run_catching:
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    sub $8, %rsp
    mov %rdx, catch_fault(%rip)
    mov %rsp, catch_sp(%rip)
    mov %rdi, %rax
    mov %rsi, %rdi
    call *%rax
    mov $-1, %eax
catch_out:
    movq $0, catch_sp(%rip)
    add $8, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret
    .globl catch_landing
catch_landing:
    mov catch_sp(%rip), %rsp
    jmp catch_out
#else
run_catching:
    push %ebx
    push %ebp
    push %esi
    push %edi
    mov 28(%esp), %eax
    mov %eax, catch_fault
    mov 24(%esp), %eax
    push %eax
    mov %esp, catch_sp
    call *24(%esp)
    mov $-1, %eax
catch_out:
    movl $0, catch_sp
    add $4, %esp
    pop %edi
    pop %esi
    pop %ebp
    pop %ebx
    ret
    .globl catch_landing
catch_landing:
    mov catch_sp, %esp
    jmp catch_out
#endif

    .data
    .p2align 3
gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf9a000000ffff    /* 0x10: 32-bit code */
    .quad 0x00cf92000000ffff    /* 0x18: data */
gdt_end:
    .p2align 3
    .word 0
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt, 0        /* 64-bit lgdt reads an 8-byte base */

    .globl start_info_paddr
    .p2align 3
start_info_paddr:
    .long 0, 0

    .globl catch_sp, catch_fault
catch_sp:
    .long 0, 0
catch_fault:
    .long 0, 0

#if defined(__x86_64__) || defined(GUEST_PAE)
/* Identity map of 0-4 GiB: four page directories of 2 MiB pages. */
    .section .data.pagetables, "aw", @progbits
    .p2align 12
#ifdef __x86_64__
    .globl pml4
pml4:
    .long pdpt + 0x3, 0
    .fill 511, 8, 0
pdpt:
    .long pd + 0x0003, 0
    .long pd + 0x1003, 0
    .long pd + 0x2003, 0
    .long pd + 0x3003, 0
    .fill 508, 8, 0
#else
/* PAE PDPTEs allow only the present bit. */
    .globl pdpt
pdpt:
    .long pd + 0x0001, 0
    .long pd + 0x1001, 0
    .long pd + 0x2001, 0
    .long pd + 0x3001, 0
    .fill 508, 8, 0
#endif
pd:
    .set i, 0
    .rept 2048
    .long ((i & 0x7ff) << 21) | 0x83, 0     /* present, writable, 2 MiB */
    .set i, i + 1
    .endr
#endif

    .section .bss.stack, "aw", @nobits
    .p2align 4
stack:
    .skip STACK_SIZE
    .globl stack_top
stack_top:

    .section .bss.hypercall_page, "aw", @nobits
    .p2align 12
    .globl hypercall_page
hypercall_page:
    .skip 4096

    .section .note.GNU-stack, "", @progbits
