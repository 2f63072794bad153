/*
 * Hostile PV kernels for crash.sh: each misdeed (the command line) must
 * crash this domain only. The kernel prints "crash: doing X" first.
 */
#include "pv.h"

static void set_ud_handler(unsigned long address)
{
    const struct trap_info table[] = {
        {6, 0, FLAT_KERNEL_CS64, address},
        {0, 0, 0, 0},
    };

    check_eq(hypercall1(__HYPERVISOR_set_trap_table, table), 0);
}

void test_main(void)
{
    printk("crash: doing %s\n", cmdline);
    console_flush();
    if (cmdline_has("no_handler")) {
        asm volatile("ud2");
    } else if (cmdline_has("hlt")) {
        asm volatile("hlt");
    } else if (cmdline_has("wild_handler")) {
        /* The hypervisor's stubs: a supervisor page, #PF, no handler. */
        set_ud_handler(0xffff808000002000UL);
        asm volatile("ud2");
    } else if (cmdline_has("noncanonical_handler")) {
        set_ud_handler(0x8000000000000000UL);
        asm volatile("ud2");
    } else if (cmdline_has("bad_stack")) {
        /* No room for the exception frame below an unmapped stack. */
        set_ud_handler((unsigned long)test_main);
        asm volatile("mov $0xffffffffc0000000, %%rsp\n ud2" ::: "memory");
    } else if (cmdline_has("bad_iret")) {
        /* The stub's pushes fit; the rest of the frame is unmapped. */
        asm volatile("mov %0, %%rsp\n jmp hypercall_page + 23 * 32" ::"r"(
                         pv_spare_va(0) + PAGE_SIZE)
                     : "memory");
    } else {
        fail("unknown misdeed \"%s\"", cmdline);
    }
    fail("still running after %s", cmdline);
}
