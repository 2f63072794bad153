/* Start of day of the PV test kernels (see pv.h). */
#include "pv.h"

void pv_start(const start_info_t *si);

const start_info_t *pv_start_info;
const char *cmdline = "";
/* The PV kit runs one vCPU; console.c asks. */
volatile unsigned int vcpus_running = 1;

unsigned int this_vcpu_id(void)
{
    return 0;
}

/* No IDT of our own: an unhandled exception crashes the domain. */
void die_hard(void)
{
    for (;;)
        asm volatile("ud2");
}

void pv_start(const start_info_t *si)
{
    pv_start_info = si;
    hypercalls_ready = true;
    if (strncmp(si->magic, "xen-3.0-x86_64", sizeof(si->magic)))
        fail("bad start_info magic \"%.32s\" at %p", si->magic, si);
    if (si->cmd_line[0])
        cmdline = (const char *)si->cmd_line;
    test_main();
    pass();
}

unsigned long pv_spare_va(unsigned int n)
{
    /* Xen's rule: past the boot stack, 512 KiB spare, to 4 MiB. */
    unsigned long stack_end =
        pv_start_info->pt_base + (pv_start_info->nr_pt_frames + 1) * PAGE_SIZE;
    unsigned long end =
        (stack_end + (512UL << 10) + (4UL << 20) - 1) & ~((4UL << 20) - 1);

    return end - (n + 1) * PAGE_SIZE;
}

struct shared_info *pv_map_shared_info(void)
{
    unsigned long va = pv_spare_va(0);
    long rc = HYPERVISOR_update_va_mapping(
        va, pv_start_info->shared_info | 0x63 /* P RW A D */, UVMF_INVLPG);

    if (rc)
        fail("update_va_mapping of shared_info: %ld", rc);
    return (struct shared_info *)va;
}
