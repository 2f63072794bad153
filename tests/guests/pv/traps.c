/*
 * Exceptions of a PV kernel: set_trap_table, then #DE, #UD, int3, #GP
 * and #PF (cr2 in vcpu_info) each bounced to our handler with Xen's
 * frame (rcx, r11, the error code where the vector has one, then the
 * iret frame with CS RPL 0 for kernel context) and back with
 * HYPERVISOR_iret, registers intact. Wild handlers and bad stacks are
 * pv/crash.sh's.
 */
#include "pv.h"

/* What the last trap looked like. */
struct seen {
    unsigned long vector, error_code, rip, cs, rflags, rsp, ss;
    unsigned long skip; /* bytes the handler steps over */
};
static volatile struct seen seen;

void trap_c(unsigned long *f);

/*
 * Handlers: pop rcx and r11 (Xen's frame), push a zero error code where
 * the CPU gives none and the vector, save the registers, call trap_c,
 * and return with HYPERVISOR_iret (flags 0 on top of the iret frame; the
 * page's iret stub pushes rax, r11 and rcx).
 */
#define HANDLER(name, vec, push_err)                                           \
    asm(".text\n" #name ":\n"                                                  \
        "pop %rcx\n pop %r11\n" push_err "push $" #vec "\n jmp trap_common\n")
HANDLER(h_de, 0, "push $0\n");
HANDLER(h_bp, 3, "push $0\n");
HANDLER(h_ud, 6, "push $0\n");
HANDLER(h_gp, 13, "");
HANDLER(h_pf, 14, "");
asm(".text\ntrap_common:\n"
    "push %rax\n push %rbx\n push %rcx\n push %rdx\n push %rsi\n push %rdi\n"
    "push %rbp\n push %r8\n push %r9\n push %r10\n push %r11\n"
    "lea 88(%rsp), %rdi\n call trap_c\n"
    "pop %r11\n pop %r10\n pop %r9\n pop %r8\n pop %rbp\n pop %rdi\n"
    "pop %rsi\n pop %rdx\n pop %rcx\n pop %rbx\n pop %rax\n"
    "add $16, %rsp\n push $0\n"
    "jmp hypercall_page + 23 * 32\n");
extern char h_de[], h_bp[], h_ud[], h_gp[], h_pf[];

/* f: vector, error code, rip, cs, rflags, rsp, ss. */
void trap_c(unsigned long *f)
{
    seen.vector = f[0];
    seen.error_code = f[1];
    seen.rip = f[2];
    seen.cs = f[3];
    seen.rflags = f[4];
    seen.rsp = f[5];
    seen.ss = f[6];
    f[2] += seen.skip;
}

static void expect(unsigned long vec, unsigned long err, unsigned long rip)
{
    check_eq(seen.vector, vec);
    check_eq(seen.error_code, err);
    check_eq(seen.rip, rip);
    check_eq(seen.cs & 0xffff, FLAT_KERNEL_CS64 & ~3);
    check_eq(seen.ss, FLAT_KERNEL_SS64);
    seen.vector = ~0UL;
}

void test_main(void)
{
    static const struct trap_info table[] = {
        {0, 0, FLAT_KERNEL_CS64, (unsigned long)h_de},
        {3, 3, FLAT_KERNEL_CS64, (unsigned long)h_bp},
        {6, 0, FLAT_KERNEL_CS64, (unsigned long)h_ud},
        {13, 0, FLAT_KERNEL_CS64, (unsigned long)h_gp},
        {14, 0, FLAT_KERNEL_CS64, (unsigned long)h_pf},
        {0, 0, 0, 0},
    };
    unsigned long at, rbx = 0x1234, out;

    struct shared_info *sh = pv_map_shared_info();

    /* A table the hypervisor cannot read: -EFAULT. */
    check_eq(hypercall1(__HYPERVISOR_set_trap_table, 0xffff808000000000UL),
             -EFAULT);
    check_eq(hypercall1(__HYPERVISOR_set_trap_table, table), 0);

    /* #UD: ud2 is 2 bytes; rbx must survive the round trip. */
    seen.skip = 2;
    asm volatile("lea 0f(%%rip), %0\n 0: ud2\n mov %%rbx, %1"
                 : "=&r"(at), "=r"(out)
                 : "b"(rbx)
                 : "memory");
    expect(6, 0, at);
    check_eq(out, rbx);

    /* #DE: div %rcx (3 bytes) with rcx = 0. */
    seen.skip = 3;
    asm volatile("lea 0f(%%rip), %0\n xor %%edx, %%edx\n 0: div %%rcx"
                 : "=&r"(at)
                 : "a"(1UL), "c"(0UL)
                 : "rdx", "memory");
    expect(0, 0, at);

    /* int3 is a trap: rip is already past it. */
    seen.skip = 0;
    asm volatile("int3\n 0: lea 0b(%%rip), %0" : "=r"(at)::"memory");
    expect(3, 0, at);

    /* #GP from hlt at CPL 3 (1 byte), error code 0. */
    seen.skip = 1;
    asm volatile("lea 0f(%%rip), %0\n 0: hlt" : "=&r"(at)::"memory");
    expect(13, 0, at);

    /* #PF: a read of an unmapped kernel address (mov is 3 bytes). */
    seen.skip = 3;
    asm volatile("lea 0f(%%rip), %0\n 0: mov (%1), %%rax"
                 : "=&r"(at)
                 : "r"(0xffffffffc0000000UL)
                 : "rax", "memory");
    check_eq(seen.vector, 14);
    /* User mode (the kernel runs at CPL 3), read, not present. */
    check_eq(seen.error_code, 4);
    check_eq(seen.rip, at);
    check_eq(sh->vcpu_info[0].arch.cr2, 0xffffffffc0000000UL);
    printk("5 exceptions bounced and returned with iret\n");
}
