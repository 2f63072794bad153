/*
 * The LAPICs of a guest wired to the KVM engine (see asm-x86/hvm/intr.h).
 *
 * The vlapic model knows nothing of vCPUs; here its kicks wake or
 * interrupt the vCPU, its TSC is the guest's, and the run loop asks it
 * what to inject. INIT and SIPI are acted on by the target vCPU's own
 * pCPU thread (its KVM state is only touched there), except that a SIPI
 * first has to make the waiting vCPU runnable.
 */
#include <stdlib.h>

#include <asm-x86/hvm/intr.h>
#include <asm-x86/hvm/platform.h>
#include <asm-x86/io.h>
#include <asm-x86/kvm.h>
#include <asm-x86/pv.h>
#include <asm-x86/time.h>
#include <public/domctl.h>
#include <public/hvm/params.h>
#include <xen/lib.h>
#include <xen/sched.h>

static struct vcpu *lapic_vcpu(void *opaque, struct vlapic *l)
{
    struct domain *d = opaque;

    return l->vcpu_id < d->max_vcpus ? d->vcpu[l->vcpu_id] : NULL;
}

static void lapic_kick(void *opaque, struct vlapic *l)
{
    struct vcpu *v = lapic_vcpu(opaque, l);

    if (!v)
        return;
    /* A vCPU waiting for its SIPI is down: only the SIPI brings it up. */
    if (vlapic_peek_mp_event(l) == VLAPIC_MP_SIPI)
        vcpu_wake_up(v);
    vcpu_kick(v);
}

static uint64_t lapic_read_tsc(void *opaque, struct vlapic *l)
{
    struct vcpu *v = lapic_vcpu(opaque, l);

    return v ? guest_tsc(v) : 0;
}

int hvm_lapics_create(struct domain *d)
{
    struct hvm_lapics *h;

    h = calloc(1, sizeof(*h) + d->max_vcpus * sizeof(h->vlapic[0]));
    if (!h)
        return -ENOMEM;
    h->ops = (struct vlapic_ops){
        .kick = lapic_kick,
        .read_tsc = lapic_read_tsc,
        .opaque = d,
    };
    h->nr = d->max_vcpus;
    d->lapics = h;
    return 0;
}

void hvm_lapics_destroy(struct domain *d)
{
    free(d->lapics);
    d->lapics = NULL;
}

void hvm_lapic_vcpu_init(struct vcpu *v)
{
    struct hvm_lapics *h = v->domain->lapics;

    vlapic_init(&h->vlapic[v->vcpu_id], h->vlapic, h->nr, v->vcpu_id, &h->ops,
                kvm_tsc_khz);
    v->arch.vlapic = &h->vlapic[v->vcpu_id];
    /* KVM shows CPUID.1:EDX.APIC from its copy of the base MSR. */
    arch_vcpu_set_apic_base(v, v->arch.vlapic->apic_base_msr);
}

void hvm_lapic_vcpu_destroy(struct vcpu *v)
{
    if (v->arch.vlapic)
        vlapic_destroy(v->arch.vlapic);
    v->arch.vlapic = NULL;
}

struct vlapic *vcpu_vlapic(const struct vcpu *v)
{
    return v->domain->emulation_flags & XEN_X86_EMU_LAPIC ? v->arch.vlapic
                                                          : NULL;
}

/*
 * The xAPIC page may be relocated anywhere, so every unclaimed MMIO
 * access asks the vCPU's LAPIC; it declines addresses outside its page.
 */
static int lapic_mmio(struct vcpu *v, uint64_t addr, unsigned int size,
                      bool write, uint64_t *val)
{
    struct vlapic *l = vcpu_vlapic(v);

    return l ? vlapic_mmio_access(l, addr, size, write, val)
             : X86EMUL_UNHANDLEABLE;
}
DEFINE_IO_REGION(lapic, true, 0, ~0ULL, lapic_mmio);

bool hvm_lapic_msr(uint32_t idx)
{
    return idx == MSR_IA32_APICBASE || idx == MSR_IA32_TSC_DEADLINE ||
           (idx >= APIC_MSR_BASE && idx <= APIC_MSR_BASE + 0xff);
}

int hvm_lapic_rdmsr(struct vcpu *v, uint32_t idx, uint64_t *val)
{
    struct vlapic *l = vcpu_vlapic(v);

    return l ? vlapic_rdmsr(l, idx, val) : -EINVAL;
}

int hvm_lapic_wrmsr(struct vcpu *v, uint32_t idx, uint64_t val)
{
    struct vlapic *l = vcpu_vlapic(v);
    int rc;

    if (!l)
        return -EINVAL;
    rc = vlapic_wrmsr(l, idx, val);
    if (!rc && idx == MSR_IA32_APICBASE)
        arch_vcpu_set_apic_base(v, val);
    return rc;
}

bool hvm_vcpu_mp_event(struct vcpu *v)
{
    struct vlapic *l = vcpu_vlapic(v);
    struct domain *d = v->domain;
    uint8_t vector;

    if (!l)
        return false;
    switch (vlapic_take_mp_event(l, &vector)) {
    case VLAPIC_MP_INIT:
        /* As Xen's vcpu_reset: state gone, down until a SIPI. */
        pthread_mutex_lock(&d->lock);
        v->is_initialised = false;
        pthread_mutex_unlock(&d->lock);
        vcpu_down(v);
        return true;
    case VLAPIC_MP_SIPI:
        pthread_mutex_lock(&d->lock);
        if (arch_vcpu_real_mode_entry(v, vector << 8))
            domain_crash(d, "cannot load the state a SIPI asks for");
        else
            v->is_initialised = true;
        pthread_mutex_unlock(&d->lock);
        return false;
    default:
        return false;
    }
}

void hvm_vcpu_descheduled(struct vcpu *v)
{
    struct vlapic *l = vcpu_vlapic(v);

    /*
     * A SIPI whose kick found the vCPU still up (on its way down through
     * an INIT, VCPUOP_down or HLT) must not be lost: the vCPU went down
     * before this look, and the sender marks the SIPI before its kick.
     */
    if (l && vlapic_peek_mp_event(l) == VLAPIC_MP_SIPI)
        vcpu_wake_up(v);
}

bool hvm_vcpu_take_nmi(struct vcpu *v)
{
    struct vlapic *l = vcpu_vlapic(v);

    return l && vlapic_take_nmi(l);
}

/* The event-channel upcall vector for v, or 0 if the guest set none. */
static uint8_t upcall_vector(const struct vcpu *v)
{
    uint64_t via = v->domain->hvm_params[HVM_PARAM_CALLBACK_IRQ];

    if (v->upcall_vector)
        return v->upcall_vector;
    if ((via >> 56) == HVM_PARAM_CALLBACK_TYPE_VECTOR)
        return via & 0xff;
    return 0;
}

static bool upcall_pending(struct vcpu *v)
{
    return v->vcpu_info && upcall_vector(v) &&
           __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
                           __ATOMIC_SEQ_CST);
}

/* An HVM-type domain's PIC interrupting v (hvm/platform.c). */
static bool pic_pending(struct vcpu *v)
{
    struct hvm_platform *p = v->domain->platform;

    return p && hvm_pic_intr_pending(&p->irq, v->vcpu_id);
}

bool local_events_need_delivery(struct vcpu *v)
{
    struct vlapic *l;

    if (v->domain->pv)
        return pv_events_pending(v);
    if (upcall_pending(v))
        return true;
    l = vcpu_vlapic(v);
    if (!l)
        return pic_pending(v);
    /* An NMI already handed to KVM is delivered at the next entry. */
    return vlapic_nmi_pending(l) || arch_vcpu_nmi_held(v) ||
           vlapic_has_pending_irq(l) >= 0 || pic_pending(v);
}

/*
 * As Xen: the domain's callback vector is injected as is while
 * upcall_pending stays set; a vCPU's own upcall vector
 * (HVMOP_set_evtchn_upcall_vector) is an interrupt of its LAPIC, which
 * the guest acknowledges with an EOI, re-raised while upcall_pending
 * stays set.
 */
struct hvm_intack hvm_vcpu_pending_intr(struct vcpu *v)
{
    struct vlapic *l = vcpu_vlapic(v);
    int vec;

    if (upcall_pending(v)) {
        if (!v->upcall_vector || !l)
            return (struct hvm_intack){hvm_intsrc_vector, upcall_vector(v)};
        vlapic_reassert_irq(l, v->upcall_vector);
    }
    if (l && (vec = vlapic_has_pending_irq(l)) >= 0)
        return (struct hvm_intack){hvm_intsrc_lapic, vec};
    /* The PIC's vector is known only once it is acknowledged. */
    if (pic_pending(v))
        return (struct hvm_intack){hvm_intsrc_pic, 0};
    return (struct hvm_intack){hvm_intsrc_none, 0};
}

struct hvm_intack hvm_vcpu_ack_intr(struct vcpu *v, struct hvm_intack a)
{
    int vec;

    switch (a.source) {
    case hvm_intsrc_lapic:
        vlapic_ack_irq(v->arch.vlapic, a.vector);
        break;
    case hvm_intsrc_pic:
        vec = hvm_pic_intr_ack(&v->domain->platform->irq, v->vcpu_id);
        return vec >= 0 ? (struct hvm_intack){hvm_intsrc_pic, vec}
                        : (struct hvm_intack){hvm_intsrc_none, 0};
    default:
        break;
    }
    return a;
}
