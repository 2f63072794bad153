/*
 * The LAPICs of a guest wired to the KVM engine (hvm/intr.c): one vlapic
 * per vCPU of a domain with XEN_X86_EMU_LAPIC, its MMIO page and MSRs,
 * its kicks, INIT/SIPI, and what the run loop injects next.
 */
#ifndef ASM_HVM_INTR_H
#define ASM_HVM_INTR_H

#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/irq.h>
#include <asm-x86/hvm/vlapic.h>

struct domain;
struct vcpu;

/* A domain's LAPICs: vlapic[i] belongs to vCPU i. */
struct hvm_lapics {
    struct vlapic_ops ops; /* opaque: the domain */
    unsigned int nr;
    struct vlapic vlapic[];
};

/* Allocate d's LAPICs (d->max_vcpus); 0 or -ENOMEM. */
int hvm_lapics_create(struct domain *d);
void hvm_lapics_destroy(struct domain *d);
/* Bring up / tear down v's LAPIC (the vCPU's KVM objects exist). */
void hvm_lapic_vcpu_init(struct vcpu *v);
void hvm_lapic_vcpu_destroy(struct vcpu *v);

/* v's LAPIC, or NULL when its domain has none (XEN_X86_EMU_LAPIC). */
struct vlapic *vcpu_vlapic(const struct vcpu *v);

/* MSRs 0x1b, 0x6e0, 0x800-0x8ff: 0, or -EINVAL for #GP. */
bool hvm_lapic_msr(uint32_t idx);
int hvm_lapic_rdmsr(struct vcpu *v, uint32_t idx, uint64_t *val);
int hvm_lapic_wrmsr(struct vcpu *v, uint32_t idx, uint64_t val);

/*
 * Run loop, on v's own pCPU thread. hvm_vcpu_mp_event acts on an INIT
 * (the vCPU goes down to wait for a SIPI: returns true) or a SIPI (the
 * vCPU restarts in real mode at vector << 8 : 0).
 */
bool hvm_vcpu_mp_event(struct vcpu *v);
/* v leaves its pCPU thread (it may have gone down meanwhile). */
void hvm_vcpu_descheduled(struct vcpu *v);
/* Take a pending NMI. */
bool hvm_vcpu_take_nmi(struct vcpu *v);
/*
 * The interrupt to inject next (hvm_intsrc_none: nothing), and take it:
 * what was taken, with the vector to inject (a PIC's is known only
 * then; none if its INTR went low meanwhile).
 */
struct hvm_intack hvm_vcpu_pending_intr(struct vcpu *v);
struct hvm_intack hvm_vcpu_ack_intr(struct vcpu *v, struct hvm_intack a);

#endif
