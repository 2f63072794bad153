/*
 * The runtime's secondary vCPU start-up (lib/smp.c): every vCPU of the
 * domain comes up in this variant's mode, runs its function with working
 * traps and console, and goes down again. Boot with vcpus=N (smp.sh).
 */
#include "guest.h"

static volatile unsigned int seen[MAX_GUEST_VCPUS];

static void ap(unsigned int id)
{
    uint64_t v;

    check_eq(this_vcpu_id(), id);
    /* Each vCPU has the runtime's IDT. */
    check_eq(rdmsr_safe(0x12345678, &v), X86_EXC_GP);
#ifdef __x86_64__
    check(!(read_flags() & X86_EFLAGS_IF), "interrupts on");
#endif
    printk("vCPU %u up\n", id);
    seen[id] = id + 1;
}

void test_main(void)
{
    unsigned int n = 0;

    /* vCPUs past the domain's count do not exist. */
    for (unsigned int id = 1; id < MAX_GUEST_VCPUS; id++) {
        int rc = vcpu_start(id, ap);

        if (rc) {
            check(rc == -ENOENT || rc == -EINVAL, "vcpu_start(%u) = %d", id,
                  rc);
            break;
        }
        while (!seen[id])
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        check_eq(seen[id], id + 1);
        n++;
    }
    if (!n)
        skip("boot with vcpus=2 or more (smp.sh does)");
    while (vcpus_running > 1)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    for (unsigned int id = 1; id <= n; id++) {
        /* ap_main takes the vCPU down once its function returns. */
        for (int i = 0; HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) && i < 100;
             i++)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 0);
    }
    printk("%u secondary vCPUs came up and went down\n", n);
}
