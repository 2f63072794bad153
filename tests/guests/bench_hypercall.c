/*
 * Benchmark guest (bench/run): the hypercall round trip. Calls
 * xen_version(XENVER_version) through the hypercall page in a loop and
 * prints the TSC cycles per call. The loop is the same three
 * instructions as bench/kvm-baseline's (call the stub, dec, jnz), so the
 * ratio between the two is what xen adds to a bare I/O-exit round trip.
 */
#include "guest.h"

#define ITERATIONS 20000

void test_main(void)
{
    unsigned long stub = HYPERCALL_STUB(__HYPERVISOR_xen_version);
    unsigned long count = ITERATIONS;
    uint64_t start, cycles;

    start = rdtsc();
#ifdef __x86_64__
    /* cmd in %rdi, arg in %rsi, both 0 (XENVER_version, NULL). */
    asm volatile("1: call *%[stub]\n\t"
                 "dec %%ebx\n\t"
                 "jnz 1b"
                 : "+b"(count)
                 : [stub] "r"(stub), "D"(0UL), "S"(0UL)
                 : "rax", "memory");
#else
    /* cmd in %ebx, arg in %ecx, both 0; the count in %esi (unused). */
    asm volatile("1: call *%[stub]\n\t"
                 "dec %%esi\n\t"
                 "jnz 1b"
                 : "+S"(count)
                 : [stub] "D"(stub), "b"(0UL), "c"(0UL)
                 : "eax", "memory");
#endif
    cycles = rdtsc() - start;
    printk("cycles-per-iteration %llu\n",
           (unsigned long long)div64(cycles, ITERATIONS, NULL));
}
