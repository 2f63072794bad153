/*
 * Corners of the hypercall ABI where Xen's behaviour is easy to miss.
 * Every mismatch is printed, and the test fails at the end, so one run
 * lists them all.
 *
 * - In 64-bit guests, arguments declared `int`/`unsigned int` in Xen's
 *   handlers (cmd, count) take the low 32 bits of the register: the
 *   upper half is ignored.
 * - console_io sub-ops other than write are denied to a domU by the XSM
 *   check that comes before the switch: -EPERM, even for unknown ones.
 * - domctl/sysctl copy their argument in and check the interface
 *   version before the permission check: a bad pointer gives -EFAULT,
 *   a wrong version -EACCES, and only then -EPERM.
 */
#include "guest.h"

#define UNBACKED 0xe0000000UL

static unsigned int mismatches;

#define expect(what, got, want)                                                \
    do {                                                                       \
        long g_ = (got), w_ = (want);                                          \
        if (g_ != w_) {                                                        \
            printk("MISMATCH %s: got %ld, Xen gives %ld\n", what, g_, w_);     \
            mismatches++;                                                      \
        }                                                                      \
    } while (0)

#ifdef __x86_64__
static void wide_arguments(void)
{
    const unsigned long hi = 0x100000000UL;
    long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

    expect("xen_version cmd with upper bits",
           hypercall2(__HYPERVISOR_xen_version, hi | XENVER_version, 0), ver);
    expect("sched_op cmd with upper bits",
           hypercall2(__HYPERVISOR_sched_op, hi | SCHEDOP_yield, 0), 0);
    expect("console_io cmd with upper bits",
           hypercall3(__HYPERVISOR_console_io, hi | CONSOLEIO_write, 20,
                      "abi_edges: wide cmd\n"),
           0);
    /*
     * count is unsigned int: 2^32 + 22 is 22 bytes. The text sits at
     * the very end of RAM, so reading any further faults instead of
     * dumping memory to the console.
     */
    static const char wide[] = "abi_edges: wide count\n";
    uint64_t ram = ram_bytes();
    if (ram >= 0x200000 && ram <= 0xe0000000ULL) {
        char *end = (char *)(uintptr_t)(ram - (sizeof(wide) - 1));

        memcpy(end, wide, sizeof(wide) - 1);
        expect("console_io count with upper bits",
               hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write,
                          hi | (sizeof(wide) - 1), end),
               0);
    }
}
#endif

static void denials(void)
{
    static uint32_t ctl[64];

    expect("console_io unknown cmd 2", HYPERVISOR_console_io(2, 0, NULL),
           -EPERM);
    expect("console_io unknown cmd 0x7fffffff",
           HYPERVISOR_console_io(0x7fffffff, 0, NULL), -EPERM);

    expect("domctl, unbacked argument",
           hypercall1(__HYPERVISOR_domctl, UNBACKED), -EFAULT);
    expect("sysctl, unbacked argument",
           hypercall1(__HYPERVISOR_sysctl, UNBACKED), -EFAULT);
    ctl[0] = 0x10;
    ctl[1] = 0x1; /* an interface version no Xen has */
    expect("domctl, wrong interface version",
           hypercall1(__HYPERVISOR_domctl, ctl), -EACCES);
    expect("sysctl, wrong interface version",
           hypercall1(__HYPERVISOR_sysctl, ctl), -EACCES);
}

void test_main(void)
{
#ifdef __x86_64__
    wide_arguments();
#endif
    denials();
    console_flush();
    if (mismatches)
        fail("%u mismatches with Xen (listed above)", mismatches);
}
