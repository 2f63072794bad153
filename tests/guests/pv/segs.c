/*
 * set_segment_base: FS and the kernel's GS base seen by %fs:/%gs: loads
 * in kernel mode; the user GS base (SEGBASE_GS_USER) only in user mode,
 * with the kernel's back on every entry to the kernel (Xen's swapgs);
 * FS shared by both modes; SEGBASE_GS_USER_SEL loading the user %gs from
 * Xen's flat descriptors (base 0) or, for what would fault, the null
 * selector; non-canonical bases and unknown kinds refused with -EINVAL.
 */
#include "pv.h"

#define USER_CODE PV_USER_CODE
#define USER_DATA PV_USER_PAGE /* also the user stack, from the top */
#define PROG2_OFF 0x100

#define KERNEL_GS_MAGIC 0x6b65726e656c6773UL
#define KERNEL_FS_MAGIC 0x6b65726e656c6673UL
#define USER_GS_MAGIC 0x7573657267730000UL
#define USER_FS_MAGIC 0x7573657266730000UL
#define FLAT_MAGIC 0x666c617400000000UL

static volatile unsigned long sys_a[4], sys_b[4], sys_kgs[4];
static volatile unsigned int nr_syscalls;
static volatile unsigned long ud_cs;
static const unsigned long kernel_gs_area[2] = {0, KERNEL_GS_MAGIC};
static const unsigned long kernel_fs_area[2] = {0, KERNEL_FS_MAGIC};
static uint8_t kernel_stack[8192] __aligned(16);

unsigned long sys_c(unsigned long a, unsigned long b, unsigned long nr);

/*
 * The user programs (position-independent, copied into USER_CODE):
 * the first reports its GS and FS views in two syscalls, the second a
 * flat read through %gs; both end with a #UD.
 */
asm(".section .rodata\nuser_prog1:\n"
    "mov %gs:8, %rdi\n mov %fs:8, %rsi\n mov $1, %eax\n syscall\n"
    "mov %gs:8, %rdi\n xor %esi, %esi\n mov $2, %eax\n syscall\n ud2\n"
    "user_prog1_end:\n"
    "user_prog2:\n"
    "mov %gs:0x401018, %rdi\n xor %esi, %esi\n mov $3, %eax\n syscall\n"
    "ud2\n"
    "user_prog2_end:\n .text\n");
extern const char user_prog1[], user_prog1_end[], user_prog2[],
    user_prog2_end[];

/* Syscall callback: sys_c(rdi, rsi, nr), back to user with its result. */
asm(".text\nsyscall_entry:\n"
    "pop %rcx\n pop %r11\n mov %rax, %rdx\n call sys_c\n"
    "push $0x100\n jmp hypercall_page + 23 * 32\n");
/* #UD from user mode: the program's end; record the frame's CS. */
asm(".text\nud_entry:\n"
    "pop %rcx\n pop %r11\n mov 8(%rsp), %rax\n mov %rax, ud_cs(%rip)\n"
    "jmp pv_back_to_kernel\n");
extern char syscall_entry[], ud_entry[];

static unsigned long gs_word(void)
{
    unsigned long v;

    asm volatile("mov %%gs:8, %0" : "=r"(v));
    return v;
}

static unsigned long fs_word(void)
{
    unsigned long v;

    asm volatile("mov %%fs:8, %0" : "=r"(v));
    return v;
}

unsigned long sys_c(unsigned long a, unsigned long b, unsigned long nr)
{
    unsigned int n = nr_syscalls++;

    if (n < 4) {
        sys_a[n] = a;
        sys_b[n] = b;
        sys_kgs[n] = gs_word();
    }
    return nr;
}

static long segbase(unsigned int which, unsigned long base)
{
    return hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

/* The user space of pv_user_tables: code and a data/stack page. */
static void setup_user(void)
{
    uint8_t *code = (void *)pv_spare_va(5);
    unsigned long *data = (void *)pv_spare_va(6);
    struct callback_register cb = {.type = CALLBACKTYPE_syscall,
                                   .address = (unsigned long)syscall_entry};
    const struct trap_info traps[] = {
        {6, 0, FLAT_KERNEL_CS64, (unsigned long)ud_entry},
        {0, 0, 0, 0},
    };

    memcpy(code, user_prog1, user_prog1_end - user_prog1);
    memcpy(code + PROG2_OFF, user_prog2, user_prog2_end - user_prog2);
    data[1] = USER_GS_MAGIC;
    data[2] = USER_FS_MAGIC;
    data[3] = FLAT_MAGIC;
    pv_user_tables();
    pv_user_pin();
    check_eq(hypercall2(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS64,
                        kernel_stack + sizeof(kernel_stack)),
             0);
    check_eq(hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb), 0);
    check_eq(hypercall1(__HYPERVISOR_set_trap_table, traps), 0);
}

void test_main(void)
{
    const unsigned long bad = 0x0000800000000000UL;

    /* Kernel mode sees FS and the kernel GS, not the user GS. */
    check_eq(segbase(SEGBASE_FS, (unsigned long)kernel_fs_area), 0);
    check_eq(segbase(SEGBASE_GS_KERNEL, (unsigned long)kernel_gs_area), 0);
    check_eq(segbase(SEGBASE_GS_USER, USER_DATA), 0);
    check_eq(fs_word(), KERNEL_FS_MAGIC);
    check_eq(gs_word(), KERNEL_GS_MAGIC);

    /* Bad bases and kinds change nothing. */
    check_eq(segbase(SEGBASE_FS, bad), -EINVAL);
    check_eq(segbase(SEGBASE_GS_KERNEL, bad), -EINVAL);
    check_eq(segbase(SEGBASE_GS_USER, ~0UL << 47 >> 1), -EINVAL);
    check_eq(segbase(4, 0), -EINVAL);
    check_eq(fs_word(), KERNEL_FS_MAGIC);
    check_eq(gs_word(), KERNEL_GS_MAGIC);

    /* User mode: its own GS base, FS shared; the kernel's GS on entry. */
    setup_user();
    check_eq(segbase(SEGBASE_FS, USER_DATA + 8), 0);
    pv_enter_user(USER_CODE, USER_DATA + PAGE_SIZE, 0);
    check_eq(nr_syscalls, 2);
    check_eq(sys_a[0], USER_GS_MAGIC);
    check_eq(sys_b[0], USER_FS_MAGIC);
    check_eq(sys_kgs[0], KERNEL_GS_MAGIC);
    check_eq(sys_a[1], USER_GS_MAGIC); /* again after a trip through iret */
    check_eq(sys_kgs[1], KERNEL_GS_MAGIC);
    check_eq(ud_cs & 0xffff, FLAT_USER_CS64);
    check_eq(gs_word(), KERNEL_GS_MAGIC);

    /*
     * A user %gs selector: a flat one (RPL made 3) and ones that would
     * fault (null instead) all leave the user GS base 0, the kernel's
     * untouched. (kvm_pvm ignores the selector itself in the sregs.)
     */
    check_eq(segbase(SEGBASE_GS_USER_SEL, 0xe028), 0);
    check_eq(gs_word(), KERNEL_GS_MAGIC);
    pv_enter_user(USER_CODE + PROG2_OFF, USER_DATA + PAGE_SIZE, 0);
    check_eq(nr_syscalls, 3);
    check_eq(sys_a[2], FLAT_MAGIC);
    check_eq(sys_kgs[2], KERNEL_GS_MAGIC);
    /* DPL 0 code, an LDT selector, one past the GDT's reserved page. */
    check_eq(segbase(SEGBASE_GS_USER_SEL, 0xe008), 0);
    check_eq(segbase(SEGBASE_GS_USER_SEL, 0xe02f), 0);
    check_eq(segbase(SEGBASE_GS_USER, USER_DATA), 0);
    check_eq(segbase(SEGBASE_GS_USER_SEL, 0xfff3), 0);
    check_eq(gs_word(), KERNEL_GS_MAGIC);
    pv_enter_user(USER_CODE + PROG2_OFF, USER_DATA + PAGE_SIZE, 0);
    check_eq(nr_syscalls, 4);
    check_eq(sys_a[3], FLAT_MAGIC);
    printk("segment bases: FS, kernel and user GS, user GS selector\n");
}
