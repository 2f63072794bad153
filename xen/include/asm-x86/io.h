/*
 * Emulated port-I/O and MMIO regions of the virtual platform. A device
 * registers a handler for a range; handlers return X86EMUL_OKAY when they
 * handled the access, X86EMUL_UNHANDLEABLE to fall through to the default
 * (reads all-ones, writes ignored; later: the ioreq server).
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

enum { X86EMUL_OKAY = 0, X86EMUL_UNHANDLEABLE = 1 };

typedef int (*io_handler_fn)(struct vcpu *v, uint64_t addr, unsigned int size,
                             bool write, uint64_t *val);

struct io_region {
    bool mmio;                  /* false: port I/O */
    uint64_t start, len;
    io_handler_fn fn;
};

#define DEFINE_IO_REGION(_name, _mmio, _start, _len, _fn)                      \
    static const struct io_region __io_##_name                                 \
        __attribute__((used, section("xen_io_regions"), aligned(8))) = {       \
            (_mmio), (_start), (_len), (_fn)                                   \
    }

/* Dispatch one access; unclaimed reads return all-ones. */
void io_dispatch(struct vcpu *v, bool mmio, uint64_t addr, unsigned int size,
                 bool write, uint64_t *val);

#endif
