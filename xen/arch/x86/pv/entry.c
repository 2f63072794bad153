/*
 * Exits of a PV vCPU. The trampoline's stubs: decode the vector from the
 * stub's address and the frame from the vCPU's exception stack, then act
 * and resume the guest at CPL 3 through sync_regs (no emulated iretq).
 *
 * A #UD at the LSTAR target (a user-readable `ud2` of ours) is a
 * `syscall`: from the guest kernel a hypercall, rax = number, arguments
 * rdi rsi rdx r10 r8, back to rcx with r11's flags as Xen's sysret path
 * returns; from guest user mode it goes to the kernel's syscall callback
 * (traps.c), as does any exception to the guest's handler.
 */
#include <stdio.h>
#include <string.h>

#include <asm-x86/pv.h>
#include <public/xen.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

#include "pv.h"

#define X86_EXC_UD 6

/* Vectors with an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
static bool has_error_code(unsigned int vec)
{
    return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 ||
           vec == 29 || vec == 30;
}

void pv_set_cr3(struct vcpu *v, uint64_t cr3)
{
    v->run->s.regs.sregs.cr3 = cr3;
    v->arch.cr3 = cr3;
    v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
}

void pv_resume(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rflags)
{
    struct kvm_run *run = v->run;

    run->s.regs.regs.rip = rip;
    run->s.regs.regs.rsp = rsp;
    run->s.regs.regs.rflags = (rflags & PV_RFLAGS_GUEST) | PV_RFLAGS_FIXED;
    run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
    /* Out of the trampoline: back to the guest's CPL 3 segments. */
    if (run->s.regs.sregs.cs.dpl != 3) {
        pv_guest_segments(&run->s.regs.sregs);
        run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
    }
}

static void hypercall(struct vcpu *v, const struct exc_frame *f)
{
    struct kvm_regs *r = &v->run->s.regs.regs;
    uint64_t a[5] = {r->rdi, r->rsi, r->rdx, r->r10, r->r8};

    if (v->domain->pv->vcpus[v->vcpu_id].user_mode) {
        pv_syscall_from_user(v, f);
        return;
    }
    if ((uint32_t)r->rax == __HYPERVISOR_iret) {
        pv_iret(v, f->rsp);
        return;
    }
    r->rax = hypercall_dispatch(v, (uint32_t)r->rax, a);
    pv_resume(v, r->rcx, f->rsp, r->r11);
}

void pv_handle_io(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    struct domain *d = v->domain;
    struct kvm_regs *r = &run->s.regs.regs;
    uint64_t stubs = PV_HYP_VIRT_START + PV_PAGE_STUBS * PAGE_SIZE;
    uint64_t stack =
        PV_HYP_VIRT_START + (PV_PAGE_VCPU(v->vcpu_id) + 1) * PAGE_SIZE;
    uint8_t *stack_host =
        d->pv->region + (PV_PAGE_VCPU(v->vcpu_id) + 1) * PAGE_SIZE;
    unsigned int vec;
    uint64_t err = 0, words[6];
    struct exc_frame f;
    size_t len;
    char why[128];

    /* The guest runs at CPL 3 without I/O ports: only a stub gets here. */
    if (run->io.port != PV_TRAP_PORT || run->io.direction != KVM_EXIT_IO_OUT ||
        run->s.regs.sregs.cs.dpl != 0 || r->rip <= stubs ||
        r->rip > stubs + 256 * PV_STUB_SIZE) {
        snprintf(why, sizeof(why), "v%u port %#x I/O at rip %#llx", v->vcpu_id,
                 run->io.port, (unsigned long long)r->rip);
        domain_crash(d, why);
        return;
    }
    /* rip is past the `out`, inside the vector's stub. */
    vec = (r->rip - stubs - 1) / PV_STUB_SIZE;
    len = (has_error_code(vec) ? 6 : 5) * sizeof(uint64_t);
    if (r->rsp < stack || r->rsp + len > stack + PAGE_SIZE) {
        snprintf(why, sizeof(why), "v%u trampoline stack at %#llx", v->vcpu_id,
                 (unsigned long long)r->rsp);
        domain_crash(d, why);
        return;
    }
    memcpy(words, stack_host + (r->rsp - stack), len);
    if (has_error_code(vec))
        err = words[0];
    memcpy(&f, words + (has_error_code(vec) ? 1 : 0), sizeof(f));
    /* Only guest code at CPL 3 may fault: else the trampoline did. */
    if ((f.cs & 3) != 3) {
        snprintf(why, sizeof(why), "v%u vector %u in the trampoline at %#llx",
                 v->vcpu_id, vec, (unsigned long long)f.rip);
        domain_crash(d, why);
        return;
    }
    if (vec == X86_EXC_UD && f.rip == PV_HYP_VIRT_START +
                                          PV_PAGE_SYSCALL * PAGE_SIZE +
                                          PV_LSTAR_OFF) {
        hypercall(v, &f);
        return;
    }
    pv_bounce_trap(v, vec, has_error_code(vec), err, &f);
}
