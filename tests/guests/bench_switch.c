/*
 * Benchmark guest (bench/sched): what a context switch costs. Booted with
 * vcpus=2 in a pool of one pCPU, both vCPUs call SCHEDOP_yield in a tight
 * loop, so a yield normally hands the pCPU to the other vCPU. Each marks
 * a shared word as its own before the call; finding it still its own
 * after means nobody else ran, so a yield that found it changed took two
 * switches (away and back). vCPU 0 times its loop with the TSC and prints
 * "cycles-per-switch N (S of Y yields switched)". With cmdline "solo"
 * only vCPU 0 loops: each yield runs the scheduler, which picks the same
 * vCPU again, and it prints "cycles-per-yield N".
 */
#include "guest.h"

#define ITERATIONS 2000

static volatile unsigned long owner;
static volatile bool done;
static unsigned int other_switched;

/* Up to n yields as vCPU id; how many found that the other had run. */
static unsigned int yield_loop(unsigned long id, unsigned long n)
{
    unsigned long stub = HYPERCALL_STUB(__HYPERVISOR_sched_op);
    unsigned int switched = 0;

    while (n-- && !done) {
        unsigned long cmd = SCHEDOP_yield;

        owner = id;
        /* The stub takes cmd in %rdi and arg in %rsi (NULL). */
        asm volatile("call *%[stub]"
                     : "+D"(cmd)
                     : [stub] "r"(stub), "S"(0UL)
                     : "rax", "memory");
        switched += owner != id;
    }
    return switched;
}

/* vCPU 1: yields until vCPU 0 is done. */
static void other_vcpu(unsigned int id)
{
    other_switched = yield_loop(id, ~0UL);
}

void test_main(void)
{
    bool solo = cmdline_has("solo");
    unsigned int switched;
    uint64_t start, cycles;

    if (!solo) {
        check_eq(vcpu_start(1, other_vcpu), 0);
        /* Both looping before the clock starts. */
        while (vcpus_running < 2)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    start = rdtsc();
    switched = yield_loop(0, ITERATIONS);
    cycles = rdtsc() - start;
    done = true;
    if (solo) {
        printk("cycles-per-yield %llu\n",
               (unsigned long long)div64(cycles, ITERATIONS, NULL));
        return;
    }
    while (vcpus_running > 1)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    check(switched > 0, "no yield of %u switched", ITERATIONS);
    printk("cycles-per-switch %llu (%u of %u yields switched, the other "
           "vCPU's %u)\n",
           (unsigned long long)div64(cycles, 2 * switched, NULL), switched,
           ITERATIONS, other_switched);
}
