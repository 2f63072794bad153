/*
 * The KVM engine: /dev/kvm is our CPU and MMU virtualization and nothing
 * more. Everything above it (devices, interrupts, hypercalls) is ours.
 */
#ifndef ASM_KVM_H
#define ASM_KVM_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;
struct vcpu_hvm_context;

/* The I/O port the hypercall page stubs write the hypercall number to. */
#define XEN_HYPERCALL_PORT 0xe8
/* Writing a page's guest-physical address here fills it with the stubs. */
#define XEN_HYPERCALL_MSR 0x40000000

/*
 * Probe /dev/kvm and the capabilities we rely on; -errno with a message.
 * -ENODEV (no message): the host has no /dev/kvm at all.
 */
int kvm_init(void);
extern uint32_t kvm_tsc_khz;

int arch_domain_create(struct domain *d);
void arch_domain_destroy(struct domain *d);
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);

/* Map (size > 0) or delete (size == 0) a KVM memory slot. */
int kvm_set_memslot(struct domain *d, uint32_t slot, uint64_t gpa,
                    uint64_t size, void *hva);

/*
 * Run v on the calling pCPU thread until it must leave it: it blocked,
 * paused, went down, its domain stopped, or the slice ended at
 * slice_end (system time).
 */
void arch_vcpu_run(struct vcpu *v, uint64_t slice_end);

/* Initial state of a PVH vCPU: 32-bit flat protected mode, paging off. */
int arch_vcpu_pvh_entry(struct vcpu *v, uint32_t eip, uint32_t ebx);
/* State given by VCPUOP_initialise for an HVM/PVH secondary vCPU. */
int arch_vcpu_set_hvm_context(struct vcpu *v, const struct vcpu_hvm_context *c);

/* Real mode at cs:0, as a Start-up IPI leaves a CPU (v not running). */
int arch_vcpu_real_mode_entry(struct vcpu *v, uint16_t cs);
/* Tell KVM the APIC base MSR, from which it derives CPUID.1:EDX.APIC. */
void arch_vcpu_set_apic_base(struct vcpu *v, uint64_t val);

/*
 * Whether KVM holds an NMI given to it that the guest has not taken yet
 * (an STI shadow, or the NMI window opening without an exit). Only on
 * v's own thread right after an exit, when the synced events are current.
 */
bool arch_vcpu_nmi_held(const struct vcpu *v);

/* Per pCPU-thread setup of the preemption timer signal. */
int arch_pcpu_thread_init(void);
/* Interrupt whichever pCPU thread runs v (no-op if none). */
void arch_vcpu_kick(struct vcpu *v);

#endif
