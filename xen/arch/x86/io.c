/* Port-I/O and MMIO dispatch to registered platform regions. */
#include <asm-x86/io.h>
#include <xen/lib.h>
#include <xen/sched.h>

extern const struct io_region __start_xen_io_regions[] __attribute__((weak));
extern const struct io_region __stop_xen_io_regions[] __attribute__((weak));

void io_dispatch(struct vcpu *v, bool mmio, uint64_t addr, unsigned int size,
                 bool write, uint64_t *val)
{
    for (const struct io_region *r = __start_xen_io_regions;
         r < __stop_xen_io_regions; r++) {
        if (r->mmio != mmio || addr < r->start || addr - r->start >= r->len)
            continue;
        if (r->fn(v, addr, size, write, val) == X86EMUL_OKAY)
            return;
    }
    /* Nothing there: reads float high, writes vanish, as on a real bus. */
    if (!write)
        *val = ~0ULL;
}
