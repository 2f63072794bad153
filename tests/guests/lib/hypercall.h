/*
 * Hypercalls through the hypercall page: stub nr lives at page + 32*nr
 * and changes only %eax. Arguments go in rdi rsi rdx r10 r8 (64-bit) or
 * ebx ecx edx esi edi (32-bit); Xen may clobber argument registers, so
 * they are all marked as outputs.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>

#include <public/xen.h>

extern uint8_t hypercall_page[4096];

#define HYPERCALL_STUB(nr) ((unsigned long)(hypercall_page + 32 * (nr)))

#ifdef __x86_64__
static inline long hypercall5(unsigned int nr, unsigned long a1,
                              unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    asm volatile("call *%%rax"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : "0"(HYPERCALL_STUB(nr))
                 : "memory", "cc");
    return ret;
}
#else
static inline long hypercall5(unsigned int nr, unsigned long a1,
                              unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    long ret;

    asm volatile("call *%%eax"
                 : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4), "+D"(a5)
                 : "0"(HYPERCALL_STUB(nr))
                 : "memory", "cc");
    return ret;
}
#endif

/* The generic form: any number, up to five word-sized arguments. */
#define hypercall(nr, a1, a2, a3, a4, a5)                                      \
    hypercall5((nr), (unsigned long)(a1), (unsigned long)(a2),                 \
               (unsigned long)(a3), (unsigned long)(a4), (unsigned long)(a5))
#define hypercall0(nr) hypercall(nr, 0, 0, 0, 0, 0)
#define hypercall1(nr, a) hypercall(nr, a, 0, 0, 0, 0)
#define hypercall2(nr, a, b) hypercall(nr, a, b, 0, 0, 0)
#define hypercall3(nr, a, b, c) hypercall(nr, a, b, c, 0, 0)
#define hypercall4(nr, a, b, c, d) hypercall(nr, a, b, c, d, 0)

/* Pointer arguments are taken as const void * so any struct fits. */
static inline long HYPERVISOR_console_io(int cmd, int count, const void *buf)
{
    return hypercall3(__HYPERVISOR_console_io, cmd, count, buf);
}
static inline long HYPERVISOR_sched_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}
static inline long HYPERVISOR_xen_version(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}
static inline long HYPERVISOR_memory_op(unsigned int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, cmd, arg);
}
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu,
                                      const void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}
static inline long HYPERVISOR_event_channel_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, const void *arg,
                                             unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, arg, count);
}
static inline long HYPERVISOR_hvm_op(int op, const void *arg)
{
    return hypercall2(__HYPERVISOR_hvm_op, op, arg);
}
static inline long HYPERVISOR_physdev_op(int cmd, const void *arg)
{
    return hypercall2(__HYPERVISOR_physdev_op, cmd, arg);
}
/* A 64-bit timeout is one argument in 64-bit code, two (lo, hi) in 32-bit. */
static inline long HYPERVISOR_set_timer_op(uint64_t timeout)
{
#ifdef __x86_64__
    return hypercall1(__HYPERVISOR_set_timer_op, timeout);
#else
    return hypercall2(__HYPERVISOR_set_timer_op, (uint32_t)timeout,
                      (uint32_t)(timeout >> 32));
#endif
}
static inline long HYPERVISOR_multicall(const void *calls,
                                        unsigned int nr_calls)
{
    return hypercall2(__HYPERVISOR_multicall, calls, nr_calls);
}
static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
    return hypercall2(__HYPERVISOR_vm_assist, cmd, type);
}
static inline long HYPERVISOR_argo_op(unsigned int cmd, const void *a1,
                                      const void *a2, unsigned long a3,
                                      unsigned long a4)
{
    return hypercall5(__HYPERVISOR_argo_op, cmd, (unsigned long)a1,
                      (unsigned long)a2, a3, a4);
}

#endif /* GUEST_HYPERCALL_H */
