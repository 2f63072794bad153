/*
 * Benchmark PV kernel (bench/pv): TSC cycles per round trip of what the
 * command line names, printed as "cycles-per-iteration N":
 *   page     xen_version through the hypercall page
 *   syscall  xen_version through the `syscall` instruction
 *   pf       a #PF bounced to our handler and back with iret (the shape
 *            of every exception, event and user syscall bounce)
 *   remap    update_va_mapping of a present entry to another frame
 *            (with KVM's flush)
 *   map      three update_va_mappings: present to not-present (flush),
 *            not-present to not-present, not-present to present
 */
#include "pv.h"

#define ITERATIONS 2000

/* #PF handler: step over the 3-byte load and iret. */
asm(".text\npf_skip:\n"
    "pop %rcx\n pop %r11\n add $8, %rsp\n addq $3, (%rsp)\n"
    "push $0\n jmp hypercall_page + 23 * 32\n");
extern char pf_skip[];

static void run(unsigned int what)
{
    static unsigned int flip;
    unsigned long va = pv_spare_va(1);
    /* remap alternates between spare pages 1 and 2's frames. */
    uint64_t pte =
        ((pv_spare_va(1 + (flip++ & 1)) - PV_VIRT_BASE) & ~0xfffUL) | 0x63;

    switch (what) {
    case 0:
        HYPERVISOR_xen_version(XENVER_version, NULL);
        break;
    case 1:
        pv_syscall_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
        break;
    case 2:
        asm volatile("movq (%0), %%rax" ::"r"(0xffffffffc0000000UL)
                     : "rax", "memory");
        break;
    case 3:
        HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
        break;
    case 4:
        HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG);
        HYPERVISOR_update_va_mapping(va, pte & ~0xfffUL, UVMF_INVLPG);
        HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
        break;
    }
}

void test_main(void)
{
    static const char *const names[] = {"page", "syscall", "pf", "remap",
                                        "map"};
    static const struct trap_info traps[] = {
        {14, 0, FLAT_KERNEL_CS64, (unsigned long)pf_skip},
        {0, 0, 0, 0},
    };
    unsigned int what = ARRAY_SIZE(names);
    uint64_t start, cycles;

    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
        if (cmdline_has(names[i]))
            what = i;
    if (what == ARRAY_SIZE(names))
        fail("say page, syscall, pf, remap or map");
    check_eq(hypercall1(__HYPERVISOR_set_trap_table, traps), 0);
    start = rdtsc();
    for (unsigned int i = 0; i < ITERATIONS; i++)
        run(what);
    cycles = rdtsc() - start;
    printk("%s cycles-per-iteration %llu\n", names[what],
           (unsigned long long)div64(cycles, ITERATIONS, NULL));
}
