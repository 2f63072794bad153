/*
 * PVH secondary vCPUs (vcpu-smp.sh boots this with vcpus=4, more vCPUs
 * than pCPUs): only vCPU 0 starts; the others are brought up with
 * VCPUOP_initialise (a vcpu_hvm_context, checked as Xen does) and
 * VCPUOP_up (the runtime's vcpu_start). Each runs with the runtime's
 * traps, prints and checks in on a shared counter while vCPU 0 yields;
 * then they take themselves down (VCPUOP_down) and one comes back up
 * where it stopped.
 */
#include "guest.h"

#define BAD_PTR ((void *)0xe0000000UL)

static volatile unsigned int arrived;
static volatile unsigned int cpuid_id[MAX_GUEST_VCPUS];
static volatile int print_lock;
static unsigned int nr_vcpus;
static uint8_t vi_page[4096] __aligned(4096);

static void lock(void)
{
    while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
        asm volatile("pause");
}

static void unlock(void)
{
    __atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static void ap_work(unsigned int id)
{
    unsigned int cpu = this_vcpu_id();
    uint64_t v;

    /* Under the lock: run_catching() is for one vCPU at a time. */
    lock();
    printk("vCPU %u is up (CPUID says vCPU %u)\n", id, cpu);
    /* Each vCPU has the runtime's IDT. */
    check_eq(rdmsr_safe(0x12345678, &v), X86_EXC_GP);
    unlock();
#ifdef __x86_64__
    check(!(read_flags() & X86_EFLAGS_IF), "interrupts on");
#endif
    cpuid_id[id] = cpu;
    __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
}

/* Yield until cond() holds, for at most 10 s. */
static void wait_until(bool (*cond)(void), const char *what)
{
    uint64_t deadline = hvm_get_time() + 10000000000ULL;

    while (!cond()) {
        check(hvm_get_time() < deadline, "timed out waiting until %s", what);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

static bool all_arrived(void)
{
    return arrived == nr_vcpus - 1;
}

/* Down, and off its pCPU too (VCPUOP_down takes effect at once). */
static bool aps_gone(void)
{
    struct vcpu_runstate_info rs;

    for (unsigned int id = 1; id < nr_vcpus; id++) {
        if (HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) != 0)
            return false;
        check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, id, &rs), 0);
        if (rs.state != RUNSTATE_offline)
            return false;
    }
    return true;
}

static bool vcpu1_down(void)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL) == 0;
}

static long init(unsigned int id, struct vcpu_hvm_context *c)
{
    return HYPERVISOR_vcpu_op(VCPUOP_initialise, id, c);
}

/* Contexts Xen refuses, each with one thing wrong. */
static void test_bad_contexts(unsigned int id)
{
    struct vcpu_hvm_context c;

    memset(&c, 0, sizeof(c));
    c.mode = 7;
    check_eq(init(id, &c), -EINVAL);
    c.mode = VCPU_HVM_MODE_64B;
    c.pad = 1;
    check_eq(init(id, &c), -EINVAL);
    c.pad = 0;
    /* Long mode without paging, PAE or LME. */
    c.cpu_regs.x86_64.cr0 = 0x11;
    c.cpu_regs.x86_64.cr4 = 0x20;
    c.cpu_regs.x86_64.efer = 0x500;
    check_eq(init(id, &c), -EINVAL);
    c.cpu_regs.x86_64.cr0 = 0x80000011;
    c.cpu_regs.x86_64.rip = 0x0000800000000000ULL; /* not canonical */
    check_eq(init(id, &c), -EINVAL);

    memset(&c, 0, sizeof(c));
    c.mode = VCPU_HVM_MODE_32B;
    c.cpu_regs.x86_32.cr0 = 0x11;
    c.cpu_regs.x86_32.cs_limit = c.cpu_regs.x86_32.ss_limit = ~0U;
    c.cpu_regs.x86_32.cs_ar = 0xc93; /* data, not code */
    c.cpu_regs.x86_32.ss_ar = 0xc93;
    c.cpu_regs.x86_32.tr_ar = 0x8b;
    check_eq(init(id, &c), -EINVAL);
    c.cpu_regs.x86_32.cs_ar = 0xc9b;
    c.cpu_regs.x86_32.tr_ar = 0x93; /* TR must be a TSS */
    check_eq(init(id, &c), -EINVAL);
    c.cpu_regs.x86_32.tr_ar = 0x8b;
    c.cpu_regs.x86_32.ss_ar = 0xcf3; /* DPL 3 stack, DPL 0 code */
    check_eq(init(id, &c), -EINVAL);
    c.cpu_regs.x86_32.ss_ar = 0xc93;
    c.cpu_regs.x86_32.cr4 = 1ULL << 13; /* VMXE */
    check_eq(init(id, &c), -EINVAL);
    c.cpu_regs.x86_32.cr4 = 0;
    c.cpu_regs.x86_32.efer = 1ULL << 10; /* LMA without LME */
    check_eq(init(id, &c), -EINVAL);
    c.cpu_regs.x86_32.efer = 0;
    c.cpu_regs.x86_32.pad1 = 1;
    check_eq(init(id, &c), -EINVAL);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_initialise, id, BAD_PTR), -EFAULT);
}

void test_main(void)
{
    struct vcpu_runstate_info rs;
    struct vcpu_register_vcpu_info ri = {.mfn = (uintptr_t)vi_page >> 12};
    struct vcpu_set_singleshot_timer st = {.timeout_abs_ns = 1};
    int rc;

    while (nr_vcpus < MAX_GUEST_VCPUS &&
           HYPERVISOR_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL) != -ENOENT)
        nr_vcpus++;
    if (nr_vcpus < 2)
        skip("needs several vCPUs (vcpus=N), has %u", nr_vcpus);
    printk("%u vCPUs\n", nr_vcpus);

    /* Only vCPU 0 runs; the others have no state yet. */
    for (unsigned int id = 1; id < nr_vcpus; id++) {
        check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL), 0);
        check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, id, NULL), -EINVAL);
        check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, id, &rs), 0);
        check_eq(rs.state, RUNSTATE_offline);
    }
    test_bad_contexts(1);

    /* vCPU 1 step by step; initialised once only, and still down. */
    check_eq(vcpu_prepare(1, ap_work), 0);
    check_eq(vcpu_prepare(1, ap_work), -EEXIST);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL), 0);
    /* Timers are for the calling vCPU only. */
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 1, &st), -EINVAL);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL),
             -EINVAL);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
    for (unsigned int id = 2; id < nr_vcpus; id++)
        check_eq(vcpu_start(id, ap_work), 0);

    wait_until(all_arrived, "every vCPU checked in");
    for (unsigned int id = 1; id < nr_vcpus; id++)
        check_eq(cpuid_id[id], id);
    lock();
    printk("all %u secondary vCPUs arrived\n", arrived);
    unlock();

    /* They take themselves down; then they are offline. */
    wait_until(aps_gone, "every secondary vCPU is down");
    for (unsigned int id = 1; id < nr_vcpus; id++) {
        check_eq(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, id, &rs), 0);
        check(rs.time[RUNSTATE_running] > 0, "vCPU %u never ran", id);
    }

    /* A down vCPU may get a vcpu_info of its own, once. */
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, nr_vcpus - 1, &ri),
             0);
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, nr_vcpus - 1, &ri),
             -EINVAL);

    /* Up again, vCPU 1 resumes after its VCPUOP_down and halts down. */
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
    wait_until(vcpu1_down, "vCPU 1 is down again");
    check_eq(HYPERVISOR_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL), -ENOENT);
    /* vCPUs past the domain's count cannot be started. */
    rc = vcpu_start(nr_vcpus, ap_work);
    check(rc == -ENOENT || rc == -EINVAL, "vcpu_start(%u) = %d", nr_vcpus, rc);
}
