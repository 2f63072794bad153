/*
 * Hostile but survivable: things a guest may do that must give it a
 * clean error (or exception) and leave both it and xen running.
 */
#include "guest.h"

#define UNBACKED 0xe0000000UL
#define HYPERCALL_MSR_BASE 0x40000000

static void test_msrs(void)
{
    uint64_t v = 0x1234;

    /* MSRs nobody emulates raise #GP. */
    check_eq(rdmsr_safe(0x12345678, &v), X86_EXC_GP);
    check_eq(wrmsr_safe(0x12345678, 1), X86_EXC_GP);
    check_eq(rdmsr_safe(0xc0011234, &v), X86_EXC_GP);
    check_eq(rdmsr_safe(0x400000ff, &v), X86_EXC_GP);
    /* The hypercall MSR reads as zero; bad pages raise #GP. */
    uint32_t msr = cpuid(xen_cpuid_base + 2).ebx;
    check_eq(rdmsr_safe(msr, &v), 0);
    check_eq(v, 0);
    check_eq(wrmsr_safe(msr, UNBACKED), X86_EXC_GP);
    check_eq(wrmsr_safe(msr, (uintptr_t)hypercall_page | 1), X86_EXC_GP);
    check_eq(wrmsr_safe(msr, 0xffffffffff000ULL), X86_EXC_GP);
    /* The page still works, and installing it again is fine. */
    check_eq(wrmsr_safe(msr, (uintptr_t)hypercall_page), 0);
    check_eq(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096);
}

static void do_ud2(void *unused)
{
    (void)unused;
    asm volatile("ud2");
}

static void do_div0(void *unused)
{
    unsigned int a = 1, d = 0, zero = 0;

    (void)unused;
    asm volatile("divl %2" : "+a"(a), "+d"(d) : "r"(zero));
}

#ifdef __x86_64__
static void do_unmapped(void *unused)
{
    (void)unused;
    (void)*(volatile uint32_t *)0x100000000000UL;
}
#endif

static void test_exceptions(void)
{
    struct fault f;

    expect_fault(X86_EXC_UD, do_ud2, NULL, "ud2");
    expect_fault(X86_EXC_DE, do_div0, NULL, "div by zero");
#ifdef __x86_64__
    check_eq(run_catching(do_unmapped, NULL, &f), X86_EXC_PF);
    check_eq(f.error_code, 0); /* read, not present, supervisor */
#endif
    (void)f;
}

static void test_unbacked_io(void)
{
    volatile uint8_t *b = (volatile uint8_t *)UNBACKED;
    volatile uint32_t *l = (volatile uint32_t *)(UNBACKED + 0x100);

    /* Port I/O nobody claims: reads float high, writes vanish. */
    check_eq(inb(0x1234), 0xff);
    check_eq(inw(0x1234), 0xffff);
    check_eq(inl(0x1234), 0xffffffff);
    outb(0x1234, 0);
    check_eq(inb(0x1234), 0xff);
    check_eq(inb(0xfffe), 0xff);

    /* Guest-physical memory nobody backs behaves the same. */
    check_eq(*b, 0xff);
    check_eq(*l, 0xffffffff);
    *l = 0;
    check_eq(*l, 0xffffffff);
    check_eq(*(volatile uint32_t *)0xfffff000UL, 0xffffffff);
    uint64_t ram = ram_bytes();
    if (ram && ram < UNBACKED)
        check_eq(*(volatile uint8_t *)(uintptr_t)ram, 0xff);
    /* And it never became memory. */
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 4, (void *)UNBACKED),
             -EFAULT);
}

static void test_bad_pointers(void)
{
    const void *bad = (const void *)UNBACKED;

    check_eq(HYPERVISOR_xen_version(XENVER_extraversion, bad), -EFAULT);
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 16, bad), -EFAULT);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_shutdown, bad), -EFAULT);
    check_eq(HYPERVISOR_sched_op(SCHEDOP_poll, bad), -EFAULT);
    /* The hypercall page itself is a fine buffer to read from. */
    check_eq(HYPERVISOR_console_io(CONSOLEIO_write, 0, hypercall_page), 0);
}

static void test_numbers(void)
{
    /* Unused, PV-only or beyond the table: -ENOSYS. */
    static const unsigned int nosys[] = {
        11, __HYPERVISOR_set_trap_table, 43, 47, 56, 63, 64, 100, 127,
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(nosys); i++) {
        long rc = hypercall(nosys[i], 0, 0, 0, 0, 0);

        check(rc == -ENOSYS, "hypercall %u returned %ld", nosys[i], rc);
    }

    /* Tools-only hypercalls from a domU: -EPERM (with a sane buffer). */
    static uint32_t ctl[64];
    ctl[0] = 0x10; /* cmd: some query */
    ctl[1] = 0x15; /* interface_version of 4.17 */
    ctl[2] = cpuid_domid() > 0 ? cpuid_domid() : 1;
    check_eq(hypercall1(__HYPERVISOR_domctl, ctl), -EPERM);
    check_eq(hypercall1(__HYPERVISOR_sysctl, ctl), -EPERM);
}

void test_main(void)
{
    test_msrs();
    test_exceptions();
    test_unbacked_io();
    test_bad_pointers();
    test_numbers();
}
