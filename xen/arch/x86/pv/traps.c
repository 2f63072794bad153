/*
 * Exceptions of a PV guest kernel, as Xen delivers them: set_trap_table
 * registers a handler per vector; an exception is bounced to it with
 * Xen's x86-64 frame on the guest stack (16-byte aligned; from the
 * lowest address: rcx, r11, [error code], rip, cs with the saved
 * upcall mask in bits 32-39, rflags with IF = !upcall_mask, rsp, ss),
 * and the handler returns with HYPERVISOR_iret. Event upcalls go the
 * same way to the event callback while evtchn_upcall_pending is set and
 * evtchn_upcall_mask clear, masking events, and so do syscalls from
 * guest user mode to the syscall callback. From kernel mode the frame
 * goes on the current stack with CS RPL 0; from user mode the vCPU
 * switches to kernel mode (kernel L4, the stack_switch stack) and the
 * frame shows the user CS. iret to an RPL 3 CS switches back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <asm-x86/pv.h>
#include <public/callback.h>
#include <public/xen.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

#include "pv.h"

#define X86_EXC_UD 6
#define X86_EXC_NM 7
#define X86_EXC_PF 14
#define TI_CLEAR_IF 4 /* trap_info.flags: mask events on entry */

static struct pv_vcpu *pv_vcpu(struct vcpu *v)
{
    return &v->domain->pv->vcpus[v->vcpu_id];
}

static void __attribute__((format(printf, 2, 3)))
crash(struct vcpu *v, const char *fmt, ...)
{
    char why[128];
    int n = snprintf(why, sizeof(why), "v%u ", v->vcpu_id);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why + n, sizeof(why) - n, fmt, ap);
    va_end(ap);
    domain_crash(v->domain, why);
}

/* Kernel and user mode each have a GS base, as swapgs keeps them. */
static void swap_gs_base(struct vcpu *v)
{
    struct kvm_sregs *s = &v->run->s.regs.sregs;
    struct pv_vcpu *pv = pv_vcpu(v);
    uint64_t running = s->gs.base;

    s->gs.base = pv->gs_base_inactive;
    pv->gs_base_inactive = running;
    v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
}

/*
 * Push Xen's frame for the interrupted state (rip, rflags, rsp; rcx and
 * r11 as they are) and enter handler; mask events if asked. The frame
 * carries the upcall mask from before. False if the stack is unwritable.
 */
static bool bounce(struct vcpu *v, uint64_t handler, uint64_t rip,
                   uint64_t rflags, uint64_t rsp, const uint64_t *err,
                   bool mask_events, uint64_t *sp_out)
{
    const struct kvm_regs *r = &v->run->s.regs.regs;
    struct pv_vcpu *pv = pv_vcpu(v);
    struct vcpu_info *vi = v->vcpu_info;
    uint64_t frame[8], *p = frame, sp = rsp;
    uint8_t mask = vi->evtchn_upcall_mask;
    /* Kernel context shows as RPL 0 in the frame (Xen's "andb $0xfc"). */
    uint16_t cs = FLAT_KERNEL_CS64 & ~3;
    size_t len;

    /* From user mode: kernel page tables and the stack_switch stack. */
    if (pv->user_mode) {
        pv->user_mode = false;
        pv_set_cr3(v, pv->kernel_cr3);
        swap_gs_base(v);
        sp = pv->kernel_sp;
        cs = FLAT_USER_CS64;
    }
    sp &= ~15ULL;
    *p++ = r->rcx;
    *p++ = r->r11;
    if (err)
        *p++ = *err;
    *p++ = rip;
    *p++ = cs | (uint64_t)mask << 32;
    *p++ = (rflags & ~X86_EFLAGS_IF) | (mask ? 0 : X86_EFLAGS_IF);
    *p++ = rsp;
    *p++ = FLAT_KERNEL_SS64;
    len = (p - frame) * sizeof(*frame);
    sp -= len;
    *sp_out = sp;
    if (copy_to_guest(v, sp, frame, len))
        return false;
    if (mask_events)
        vi->evtchn_upcall_mask = 1;
    pv_resume(v, handler, sp, rflags & ~0x4100ULL /* TF NT */);
    return true;
}

void pv_bounce_trap(struct vcpu *v, unsigned int vec, bool has_err,
                    uint64_t err, const struct exc_frame *f)
{
    const struct trap_info *ti = &pv_vcpu(v)->traps[vec];
    uint64_t sp;

    if (!ti->address) {
        crash(v, "exception %u without a handler at %#llx", vec,
              (unsigned long long)f->rip);
        return;
    }
    if (vec == X86_EXC_PF)
        v->vcpu_info->arch.cr2 = v->run->s.regs.sregs.cr2;
    /* The guest's handler runs with TS clear, as Xen clears it for #NM. */
    if (vec == X86_EXC_NM) {
        v->run->s.regs.sregs.cr0 &= ~X86_CR0_TS;
        v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
    }
    /* A stack the guest cannot write is a fault Xen cannot bounce either. */
    if (!bounce(v, ti->address, f->rip, f->rflags, f->rsp,
                has_err ? &err : NULL, ti->flags & TI_CLEAR_IF, &sp))
        crash(v, "exception %u: no room for its frame at %#llx", vec,
              (unsigned long long)sp);
}

bool pv_events_pending(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;

    return vi &&
           __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST) &&
           !__atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_SEQ_CST);
}

void pv_deliver_events(struct vcpu *v)
{
    struct pv_vcpu *pv = pv_vcpu(v);
    struct kvm_regs *r = &v->run->s.regs.regs;
    uint64_t sp;

    /* Only onto guest state we hold: after an exit, at CPL 3. */
    if (!pv->event_callback || !v->arch.regs_valid ||
        v->run->s.regs.sregs.cs.dpl != 3 || !pv_events_pending(v))
        return;
    if (!bounce(v, pv->event_callback, r->rip, r->rflags, r->rsp, NULL, true,
                &sp))
        crash(v, "event callback: no room for its frame at %#llx",
              (unsigned long long)sp);
}

void pv_syscall_from_user(struct vcpu *v, const struct exc_frame *f)
{
    const struct kvm_regs *r = &v->run->s.regs.regs;
    struct pv_vcpu *pv = pv_vcpu(v);
    uint64_t sp;

    /* As Xen: no syscall callback makes the syscall a #UD. */
    if (!pv->syscall_callback) {
        struct exc_frame at = *f;

        at.rip = r->rcx - 2;
        pv_bounce_trap(v, X86_EXC_UD, false, 0, &at);
        return;
    }
    /* The frame shows the syscall's return point and flags (rcx, r11). */
    if (!bounce(v, pv->syscall_callback, r->rcx, r->r11, f->rsp, NULL,
                pv->syscall_masks_events, &sp))
        crash(v, "syscall: no room for its frame at %#llx",
              (unsigned long long)sp);
}

void pv_iret(struct vcpu *v, uint64_t rsp)
{
    struct kvm_regs *r = &v->run->s.regs.regs;
    struct pv_vcpu *pv = pv_vcpu(v);
    struct iret_context c;

    if (copy_from_guest(v, &c, rsp, sizeof(c))) {
        crash(v, "iret with an unreadable frame at %#llx",
              (unsigned long long)rsp);
        return;
    }
    /* RPL 3: back to user mode, which needs a user page table. */
    if ((c.cs & 3) == 3) {
        if (!pv->user_cr3) {
            crash(v, "iret to user mode without a user page table");
            return;
        }
        pv->user_mode = true;
        pv_set_cr3(v, pv->user_cr3);
        swap_gs_base(v);
    }
    r->rax = c.rax;
    if (!(c.flags & VGCF_in_syscall)) {
        r->r11 = c.r11;
        r->rcx = c.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
    pv_resume(v, c.rip, c.rsp, c.rflags);
}

/* HYPERVISOR_set_trap_table: entries up to one with address 0; NULL clears. */
static long do_set_trap_table(struct vcpu *v, const uint64_t arg[5])
{
    struct pv_vcpu *pv;
    struct trap_info ti;

    if (!v->domain->pv)
        return -ENOSYS;
    pv = pv_vcpu(v);
    if (!arg[0]) {
        memset(pv->traps, 0, sizeof(pv->traps));
        return 0;
    }
    /* At most one entry per vector and the terminator: bounded. */
    for (unsigned int i = 0; i <= 256; i++) {
        if (copy_from_guest(v, &ti, arg[0] + i * sizeof(ti), sizeof(ti)))
            return -EFAULT;
        if (!ti.address)
            return 0;
        if (!ti.cs)
            ti.cs = FLAT_KERNEL_CS64;
        pv->traps[ti.vector] = ti;
    }
    return -EINVAL;
}
DEFINE_HYPERCALL(__HYPERVISOR_set_trap_table, do_set_trap_table);

static int set_callback(struct vcpu *v, unsigned int type, unsigned int flags,
                        uint64_t address)
{
    struct pv_vcpu *pv = pv_vcpu(v);

    switch (type) {
    case CALLBACKTYPE_event:
        pv->event_callback = address;
        return 0;
    case CALLBACKTYPE_failsafe:
        pv->failsafe_callback = address;
        return 0;
    case CALLBACKTYPE_syscall:
        pv->syscall_callback = address;
        pv->syscall_masks_events = flags & CALLBACKF_mask_events;
        return 0;
    default:
        return -EINVAL;
    }
}

/* HYPERVISOR_set_callbacks(event, failsafe, syscall): the x86-64 form. */
static long do_set_callbacks(struct vcpu *v, const uint64_t arg[5])
{
    if (!v->domain->pv)
        return -ENOSYS;
    set_callback(v, CALLBACKTYPE_event, 0, arg[0]);
    set_callback(v, CALLBACKTYPE_failsafe, 0, arg[1]);
    set_callback(v, CALLBACKTYPE_syscall, 0, arg[2]);
    return 0;
}
DEFINE_HYPERCALL(__HYPERVISOR_set_callbacks, do_set_callbacks);

/* HYPERVISOR_callback_op: register (unregister only for NMI, unsupported). */
static long do_callback_op(struct vcpu *v, const uint64_t arg[5])
{
    struct callback_register cb;

    if (!v->domain->pv)
        return -ENOSYS;
    switch (arg[0]) {
    case CALLBACKOP_register:
        if (copy_from_guest(v, &cb, arg[1], sizeof(cb)))
            return -EFAULT;
        return set_callback(v, cb.type, cb.flags, cb.address);
    case CALLBACKOP_unregister:
        return -EINVAL;
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_callback_op, do_callback_op);

/* HYPERVISOR_stack_switch(ss, sp): the kernel stack for entries from user. */
static long do_stack_switch(struct vcpu *v, const uint64_t arg[5])
{
    if (!v->domain->pv)
        return -ENOSYS;
    pv_vcpu(v)->kernel_sp = arg[1];
    return 0;
}
DEFINE_HYPERCALL(__HYPERVISOR_stack_switch, do_stack_switch);

/*
 * A data-segment load of sel into the user's %gs as the CPU makes it
 * (RPL forced to 3): only Xen's reserved flat DPL 3 descriptors exist
 * (no set_gdt, no LDT), and what would fault loads the null selector,
 * as Xen's fixup does. Either way the user GS base becomes 0, the
 * base of every such descriptor.
 */
static void load_user_gs_sel(struct vcpu *v, uint16_t sel)
{
    struct kvm_segment *gs = &v->run->s.regs.sregs.gs;
    uint64_t kernel_base = gs->base, desc;

    sel |= 3;
    desc = pv_gdt_entry(v->domain, sel);
    /* Present, code or data, DPL 3, and readable if code. */
    if ((desc & (1ULL << 47)) && (desc & (1ULL << 44)) &&
        ((desc >> 45) & 3) == 3 &&
        ((desc & (1ULL << 43)) == 0 || (desc & (1ULL << 41))))
        *gs = (struct kvm_segment){
            .base = kernel_base,
            .limit = 0xffffffff,
            .selector = sel,
            .type = (desc >> 40) & 0xf,
            .present = 1,
            .dpl = 3,
            .db = (desc >> 54) & 1,
            .s = 1,
            .l = (desc >> 53) & 1,
            .g = 1,
        };
    else
        *gs = (struct kvm_segment){.base = kernel_base, .unusable = 1};
    pv_vcpu(v)->gs_base_inactive = 0;
}

/* HYPERVISOR_set_segment_base(which, base), from guest kernel mode. */
static long do_set_segment_base(struct vcpu *v, const uint64_t arg[5])
{
    struct kvm_sregs *s = &v->run->s.regs.sregs;
    uint64_t base = arg[1];

    if (!v->domain->pv)
        return -ENOSYS;
    switch ((uint32_t)arg[0]) {
    case SEGBASE_FS:
        if (!pv_canonical(base))
            return -EINVAL;
        s->fs.base = base;
        break;
    case SEGBASE_GS_USER:
        if (!pv_canonical(base))
            return -EINVAL;
        pv_vcpu(v)->gs_base_inactive = base;
        return 0;
    case SEGBASE_GS_KERNEL:
        if (!pv_canonical(base))
            return -EINVAL;
        s->gs.base = base;
        break;
    case SEGBASE_GS_USER_SEL:
        load_user_gs_sel(v, base);
        break;
    default:
        return -EINVAL;
    }
    v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
    return 0;
}
DEFINE_HYPERCALL(__HYPERVISOR_set_segment_base, do_set_segment_base);

/*
 * HYPERVISOR_fpu_taskswitch(set): the guest's CR0.TS is the vCPU's own,
 * so where the hardware honours it an FPU or SSE instruction raises #NM
 * for the guest's handler (pv_bounce_trap clears TS then, as Xen does).
 * kvm_pvm runs CPL 3 code under the host's CR0: TS shows in smsw only.
 */
static long do_fpu_taskswitch(struct vcpu *v, const uint64_t arg[5])
{
    struct kvm_sregs *s = &v->run->s.regs.sregs;

    if (!v->domain->pv)
        return -ENOSYS;
    if ((int)arg[0])
        s->cr0 |= X86_CR0_TS;
    else
        s->cr0 &= ~X86_CR0_TS;
    v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
    return 0;
}
DEFINE_HYPERCALL(__HYPERVISOR_fpu_taskswitch, do_fpu_taskswitch);
