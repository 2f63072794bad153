/* The smallest test: the runtime boots, prints and powers off. */
#include "guest.h"

void test_main(void)
{
    printk("hello from a %s-bit PVH guest, start info at %p, cmdline \"%s\"\n",
           GUEST_VARIANT, start_info, cmdline);
    check_eq(start_info->magic, XEN_HVM_START_MAGIC_VALUE);
}
