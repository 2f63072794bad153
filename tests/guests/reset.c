/*
 * The reset ports of a type=hvm domain (run by reset.sh): 0x92 reads
 * with A20 on, 0xcf9 keeps SYS_RST/FULL_RST without resetting; then
 * cmdline=cf9 writes 6 to 0xcf9 (the FADT's reset value) and cmdline=92
 * sets 0x92's fast reset bit. Either reboots the domain: SHUTDOWN_reboot.
 */
#include "guest.h"
#include "platform.h"

void test_main(void)
{
    check_eq(inb(0x92), 0x02);
    outb(0xcf9, 0x0a); /* SYS_RST | FULL_RST: no RST_CPU, no reset */
    check_eq(inb(0xcf9), 0x0a);
    outb(0xcf9, 0);
    printk("reset: through %s\n", cmdline);
    console_flush();
    if (cmdline_has("cf9"))
        outb(0xcf9, 0x06);
    else if (cmdline_has("92"))
        outb(0x92, inb(0x92) | 1);
    else
        fail("cmdline=cf9 or cmdline=92");
    fail("still running after the reset");
}
