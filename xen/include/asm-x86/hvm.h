/* HVM/PVH guest helpers shared by the hypercall handlers (arch/x86/hvm/). */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;
struct vcpu_hvm_context;

/*
 * Check an initial vCPU state for VCPUOP_initialise the way Xen's
 * arch_set_info_hvm_guest() does (mode, segments, control registers,
 * EFER): 0 or -EINVAL.
 */
int hvm_vcpu_context_check(const struct vcpu_hvm_context *c);

/*
 * Latch the shared_info layout (32- or 64-bit) from the mode of curr, a
 * vCPU of d making a hypercall, and rewrite the wallclock for it.
 */
void hvm_latch_shinfo_size(struct domain *d, struct vcpu *curr);

/*
 * HVM_PARAM_* of d on behalf of domain cd (curr: the calling vCPU, if cd
 * makes a hypercall; NULL from the toolstack). Xen's rules: a guest sets
 * and reads only a few of its own parameters, a privileged domain any
 * domain's. 0 or -errno.
 */
int hvm_set_param(struct domain *cd, struct vcpu *curr, struct domain *d,
                  uint32_t index, uint64_t value);
int hvm_get_param(struct domain *cd, struct domain *d, uint32_t index,
                  uint64_t *value);

/* VCPUOP_send_nmi: queue an NMI for v and kick it. 0 or -errno. */
int hvm_inject_nmi(struct vcpu *v);

#endif
