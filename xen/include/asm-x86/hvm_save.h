/*
 * XEN_DOMCTL_gethvmcontext / XEN_DOMCTL_sethvmcontext (arch/x86/hvm/save.c):
 * a domain's vCPU state as HVM save records (public/hvm/save.h).
 */
#ifndef ASM_HVM_SAVE_H
#define ASM_HVM_SAVE_H

#include <stdbool.h>

struct domain;
struct vcpu;
struct xen_domctl;

/*
 * Run op (XEN_DOMCTL_gethvmcontext or _sethvmcontext) on d for the
 * toolstack vCPU cv; *copyback says whether op goes back to the caller.
 * 0 or -errno, Xen's codes.
 */
long hvm_domctl_context(struct vcpu *cv, struct domain *d,
                        struct xen_domctl *op, bool *copyback);

#endif
