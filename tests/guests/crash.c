/*
 * Hostile guests that must end up crashed, leaving xen and the other
 * domains running. The command line picks the misdeed; crash.sh boots
 * each one next to a well-behaved domain. If the guest survives it
 * reports FAIL.
 *
 *   triple      empty IDT, then an exception: triple fault
 *   int3        an instruction KVM's emulator cannot run at CPL 0
 *               (int3; with an empty IDT so that hardware KVM, which
 *               runs it, triple-faults instead)
 *   scribble    overwrite the hypercall page with int3, then call it
 *   scribble_ud overwrite the hypercall page with invalid opcodes, then
 *               call it (the #UD handler's own hypercall faults again)
 *   badcr3      (64-bit) point CR3 at unbacked memory
 *   cli_hlt     hlt with interrupts off: the vCPU goes down and the
 *               domain powers off (not a crash; crash.sh expects 0)
 */
#include "guest.h"

struct __packed idt_desc {
    uint16_t limit;
    unsigned long base;
};

static void no_idt(void)
{
    struct idt_desc none = {0, 0};

    asm volatile("lidt %0" ::"m"(none));
}

void test_main(void)
{
    printk("crash: doing \"%s\"\n", cmdline);
    console_flush();

    if (cmdline_has("triple")) {
        die_hard();
    } else if (cmdline_has("int3")) {
        no_idt();
        asm volatile("int3");
    } else if (cmdline_has("scribble")) {
        memset(hypercall_page, 0xcc, PAGE_SIZE);
        HYPERVISOR_xen_version(XENVER_version, NULL);
    } else if (cmdline_has("scribble_ud")) {
        memset(hypercall_page, 0xff, PAGE_SIZE);
        HYPERVISOR_xen_version(XENVER_version, NULL);
    } else if (cmdline_has("badcr3")) {
#ifdef __x86_64__
        asm volatile("mov %0, %%cr3" ::"r"(0xe0000000UL) : "memory");
        /* Anything the CPU fetches now is garbage. */
        (void)*(volatile uint32_t *)image_start;
#else
        skip("badcr3 needs paging");
#endif
    } else if (cmdline_has("cli_hlt")) {
        cli();
        hlt();
        fail("hlt with interrupts off returned");
    } else {
        skip("no misdeed on the command line");
    }
    fail("survived \"%s\"", cmdline);
}
