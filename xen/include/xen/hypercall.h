/*
 * Hypercall dispatch. Each family registers its handler with
 * DEFINE_HYPERCALL(); the linker gathers them into one table indexed by
 * hypercall number. Handlers get the calling vCPU and the five raw
 * argument registers (already truncated to 32 bits for 32-bit callers)
 * and return a Xen error code (negative errno) or a result.
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

typedef long (*hypercall_fn_t)(struct vcpu *v, const uint64_t arg[5]);

struct hypercall_entry {
    unsigned int nr;
    const char *name;
    hypercall_fn_t fn;
};

#define DEFINE_HYPERCALL(_nr, _fn)                                             \
    static const struct hypercall_entry __hc_##_fn                             \
        __attribute__((used, section("xen_hypercalls"), aligned(8))) = {       \
            (_nr), #_fn, (_fn)                                                 \
    }

/* Run hypercall nr for v; also the entry point used by multicall. */
long hypercall_dispatch(struct vcpu *v, unsigned int nr, const uint64_t arg[5]);

/* Whether the vCPU issued the hypercall from 32-bit code (compat ABI). */
bool hypercall_is_compat(const struct vcpu *v);

#endif
