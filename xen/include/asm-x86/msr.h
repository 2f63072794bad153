/* MSRs KVM hands to us (arch/x86/msr.c). 0 or -EINVAL (#GP). */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#include <stdint.h>

struct vcpu;

int guest_rdmsr(struct vcpu *v, uint32_t idx, uint64_t *val);
int guest_wrmsr(struct vcpu *v, uint32_t idx, uint64_t val);

#endif
