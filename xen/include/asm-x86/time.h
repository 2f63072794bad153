/* Guest time: TSC, pvclock and wallclock (arch/x86/time.c). */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <stdint.h>

struct vcpu;
struct domain;

/* Learn v's TSC offset from the host TSC. */
int time_setup_vcpu(struct vcpu *v);
/* Refresh v's vcpu_time_info (pvclock) from the host clock. */
void update_vcpu_system_time(struct vcpu *v);
/* Refresh the wallclock fields of shared_info. */
void update_domain_wallclock_time(struct domain *d);
/* Guest TSC value of v now. */
uint64_t guest_tsc(const struct vcpu *v);
/*
 * The host's TSC frequency: KVM's once a vCPU has asked it, else measured
 * once (physinfo's cpu_khz, also on a host without KVM).
 */
uint32_t host_cpu_khz(void);

#endif
