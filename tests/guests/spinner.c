/*
 * A guest that never yields (spinner.sh): it prints once and then spins
 * at CPL 0 forever. xen must keep scheduling the other domains and stop
 * cleanly on SIGTERM.
 */
#include "guest.h"

void test_main(void)
{
    printk("spinning\n");
    console_flush();
    for (;;)
        asm volatile("" ::: "memory");
}
