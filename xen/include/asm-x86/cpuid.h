/* The CPUID policy guests see (arch/x86/cpuid.c). */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

struct vcpu;

/* Read what KVM supports; called once at start-up. */
int cpuid_init(int kvm_fd);
/* Give v its CPUID table: KVM's, filtered, plus the Xen leaves. */
int cpuid_setup_vcpu(struct vcpu *v);

#endif
