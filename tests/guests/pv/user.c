/*
 * Guest user mode: the kernel builds a user page table from its own
 * frames (refused while it still maps them writable), pins it and makes
 * it the user base pointer, sets the kernel stack (stack_switch), the
 * syscall callback and a #PF handler, and enters user mode with iret.
 * The user program makes two syscalls, which reach the kernel's callback
 * (not the hypervisor) and return with iret (VGCF_in_syscall), then
 * reads a kernel address: its own page table has no kernel mappings, so
 * that is a user-mode #PF in the kernel.
 */
#include "pv.h"

#define USER_CODE PV_USER_CODE
#define USER_STACK PV_USER_PAGE

static volatile unsigned long sys_nr[2], sys_arg[2], sys_rip, sys_cs;
static volatile unsigned int nr_syscalls;
static volatile unsigned long pf_err, pf_rip, pf_cs;
static unsigned long kernel_secret = 0x5ec7e7;
static uint8_t kernel_stack[8192] __aligned(16);

unsigned long sys_c(unsigned long arg, unsigned long nr, unsigned long *frame);
void pf_c(unsigned long *frame);

/* The user program, copied to USER_CODE (position-independent). */
asm(".section .rodata\nuser_prog:\n"
    "mov $0x1234, %edi\n mov $1, %eax\n syscall\n"
    "mov %rax, %rdi\n mov $2, %eax\n syscall\n"
    "mov (%rbx), %rax\n ud2\n"
    "user_prog_end:\n .text\n");
extern const char user_prog[], user_prog_end[];

/* Syscall callback: frame rcx r11 rip cs rflags rsp ss; back to rcx. */
asm(".text\nsyscall_entry:\n"
    "pop %rcx\n pop %r11\n"
    "mov %rsp, %rdx\n mov %rax, %rsi\n call sys_c\n"
    "push $0x100\n jmp hypercall_page + 23 * 32\n");
/* #PF from user mode: record it and leave user mode for good. */
asm(".text\npf_entry:\n"
    "pop %rcx\n pop %r11\n mov %rsp, %rdi\n call pf_c\n jmp pv_back_to_kernel\n");
extern char syscall_entry[], pf_entry[];

unsigned long sys_c(unsigned long arg, unsigned long nr, unsigned long *frame)
{
    unsigned int n = nr_syscalls++;

    if (n < 2) {
        sys_nr[n] = nr;
        sys_arg[n] = arg;
    }
    sys_rip = frame[0];
    sys_cs = frame[1];
    return 0x5678;
}

void pf_c(unsigned long *frame)
{
    pf_err = frame[0];
    pf_rip = frame[1];
    pf_cs = frame[2];
}


void test_main(void)
{
    struct shared_info *sh = pv_map_shared_info();
    /* The user space of pv_user_tables: code at USER_CODE, a stack above. */
    unsigned long l4 = pv_spare_va(1);
    uint8_t *code = (void *)pv_spare_va(5);
    struct callback_register cb = {.type = CALLBACKTYPE_syscall,
                                   .address = (unsigned long)syscall_entry};
    const struct trap_info traps[] = {
        {14, 0, FLAT_KERNEL_CS64, (unsigned long)pf_entry},
        {0, 0, 0, 0},
    };

    memcpy(code, user_prog, user_prog_end - user_prog);
    pv_user_tables();

    /* Still mapped writable by the kernel: not a page table yet. */
    check_eq(pv_mmuext(MMUEXT_PIN_L4_TABLE, pv_pfn_of(l4)), -EINVAL);
    check_eq(pv_mmuext(MMUEXT_NEW_USER_BASEPTR, pv_pfn_of(l4)),
             -EINVAL);
    pv_user_pin();
    /* Now a page table: no writable mapping of it any more. */
    check_eq(HYPERVISOR_update_va_mapping(
                 pv_spare_va(1),
                 ((uint64_t)pv_pfn_of(pv_spare_va(1)) << 12) | 0x63, UVMF_INVLPG),
             -EINVAL);

    check_eq(hypercall2(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS64,
                        kernel_stack + sizeof(kernel_stack)),
             0);
    check_eq(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb), 0);
    check_eq(hypercall1(__HYPERVISOR_set_trap_table, traps), 0);

    pv_enter_user(USER_CODE, USER_STACK + PAGE_SIZE,
               (unsigned long)&kernel_secret);

    /* Both syscalls reached the kernel, the second with the first's result. */
    check_eq(nr_syscalls, 2);
    check_eq(sys_nr[0], 1);
    check_eq(sys_arg[0], 0x1234);
    check_eq(sys_nr[1], 2);
    check_eq(sys_arg[1], 0x5678);
    check_eq(sys_cs & 0xffff, FLAT_USER_CS64);
    check(sys_rip > USER_CODE && sys_rip < USER_CODE + PAGE_SIZE, "rip %#lx",
          sys_rip);
    /* The kernel's data is out of user mode's reach. */
    check_eq(pf_err, 4); /* user, read, not present */
    check_eq(pf_cs & 0xffff, FLAT_USER_CS64);
    /* The faulting load follows the second syscall. */
    check_eq(pf_rip, sys_rip);
    check_eq(sh->vcpu_info[0].arch.cr2, (unsigned long)&kernel_secret);
    printk("user mode: 2 syscalls to the kernel, kernel memory out of reach\n");
}
