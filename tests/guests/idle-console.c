/*
 * The guest of bench/create: says one line on its PV console ring
 * ("idle dN"), then blocks forever in SCHEDOP_block. No port is
 * unmasked and no timer set, so nothing wakes it and an idle domain
 * costs no CPU while others are created.
 */
#include "pvconsole.h"

void test_main(void)
{
    char line[32];
    int n;

    if (pvcons_init())
        fail("no PV console ring");
    n = snprintf(line, sizeof(line), "idle d%d\r\n", cpuid_domid());
    pvcons_write(line, n);
    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}
