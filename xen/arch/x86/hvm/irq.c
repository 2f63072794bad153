/* Interrupt routing between the platform devices (see asm-x86/hvm/irq.h). */
#include <string.h>

#include <asm-x86/hvm/irq.h>

/* vCPU n's LAPIC; NULL while the domain has none wired. */
static struct vlapic *vcpu_lapic(struct hvm_irq *hirq, unsigned int vcpu)
{
    return vcpu < hirq->nr_vcpus ? &hirq->vlapics[vcpu] : NULL;
}

unsigned int hvm_isa_irq_to_gsi(unsigned int isa_irq)
{
    return (isa_irq & 15) ? isa_irq & 15 : 2;
}

static void ioapic_deliver(void *opaque, uint32_t dest, bool logical,
                           uint32_t delivery_mode, uint8_t vector, bool level)
{
    struct hvm_irq *hirq = opaque;
    struct vlapic *bsp = vcpu_lapic(hirq, 0);

    /* ExtINT: the vector comes from the PIC when the vCPU takes it. */
    if (delivery_mode == APIC_DM_EXTINT) {
        if (bsp && bsp->ops && bsp->ops->kick)
            bsp->ops->kick(bsp->ops->opaque, bsp);
        return;
    }
    vlapic_deliver(hirq->vlapics, hirq->nr_vcpus, dest, logical, delivery_mode,
                   vector, level);
}

void hvm_irq_init(struct hvm_irq *hirq, struct vpic *vpic,
                  struct vioapic *vioapic, struct vlapic *vlapics,
                  unsigned int nr_vcpus)
{
    memset(hirq, 0, sizeof(*hirq));
    pthread_mutex_init(&hirq->lock, NULL);
    hirq->vpic = vpic;
    hirq->vioapic = vioapic;
    hirq->vlapics = vlapics;
    hirq->nr_vcpus = nr_vcpus;
    hirq->ioapic_ops.deliver = ioapic_deliver;
    hirq->ioapic_ops.opaque = hirq;
}

void hvm_irq_destroy(struct hvm_irq *hirq)
{
    pthread_mutex_destroy(&hirq->lock);
}

void hvm_irq_pic_output(void *opaque, bool level)
{
    struct hvm_irq *hirq = opaque;
    struct vlapic *bsp = vcpu_lapic(hirq, 0);

    if (level && bsp && vlapic_accept_pic_intr(bsp) && bsp->ops &&
        bsp->ops->kick)
        bsp->ops->kick(bsp->ops->opaque, bsp);
}

/* Caller holds the lock. */
static void gsi_change(struct hvm_irq *hirq, unsigned int gsi, bool assert)
{
    if (assert) {
        /* Saturate rather than wrap to "deasserted". */
        if (hirq->gsi_assert_count[gsi] == UINT8_MAX)
            return;
        if (hirq->gsi_assert_count[gsi]++ == 0)
            vioapic_set_irq(hirq->vioapic, gsi, true);
    } else if (hirq->gsi_assert_count[gsi] &&
               --hirq->gsi_assert_count[gsi] == 0) {
        vioapic_set_irq(hirq->vioapic, gsi, false);
    }
}

static void isa_irq_set(struct hvm_irq *hirq, unsigned int isa_irq, bool level)
{
    uint16_t mask = 1U << isa_irq;

    if (isa_irq >= NR_ISAIRQS)
        return;
    pthread_mutex_lock(&hirq->lock);
    if (!!(hirq->isa_irq_asserted & mask) != level) {
        hirq->isa_irq_asserted ^= mask;
        gsi_change(hirq, hvm_isa_irq_to_gsi(isa_irq), level);
        vpic_irq_set(hirq->vpic, isa_irq, level);
    }
    pthread_mutex_unlock(&hirq->lock);
}

void hvm_isa_irq_assert(struct hvm_irq *hirq, unsigned int isa_irq)
{
    isa_irq_set(hirq, isa_irq, true);
}

void hvm_isa_irq_deassert(struct hvm_irq *hirq, unsigned int isa_irq)
{
    isa_irq_set(hirq, isa_irq, false);
}

void hvm_gsi_assert(struct hvm_irq *hirq, unsigned int gsi)
{
    if (gsi >= VIOAPIC_NUM_PINS)
        return;
    pthread_mutex_lock(&hirq->lock);
    gsi_change(hirq, gsi, true);
    pthread_mutex_unlock(&hirq->lock);
}

void hvm_gsi_deassert(struct hvm_irq *hirq, unsigned int gsi)
{
    if (gsi >= VIOAPIC_NUM_PINS)
        return;
    pthread_mutex_lock(&hirq->lock);
    gsi_change(hirq, gsi, false);
    pthread_mutex_unlock(&hirq->lock);
}

static void isa_line_set(void *opaque, unsigned int line, bool level)
{
    isa_irq_set(opaque, line, level);
}

static void gsi_line_set(void *opaque, unsigned int line, bool level)
{
    if (level)
        hvm_gsi_assert(opaque, line);
    else
        hvm_gsi_deassert(opaque, line);
}

struct hvm_irq_line hvm_irq_isa_line(struct hvm_irq *hirq)
{
    return (struct hvm_irq_line){.set = isa_line_set, .opaque = hirq};
}

struct hvm_irq_line hvm_irq_gsi_line(struct hvm_irq *hirq)
{
    return (struct hvm_irq_line){.set = gsi_line_set, .opaque = hirq};
}

/* The PIC's INTR goes to vCPU 0 alone, as in Xen. */
bool hvm_pic_intr_pending(struct hvm_irq *hirq, unsigned int vcpu)
{
    struct vlapic *l = vcpu_lapic(hirq, vcpu);

    return vcpu == 0 && l && vlapic_accept_pic_intr(l) &&
           vpic_int_output(hirq->vpic);
}

int hvm_pic_intr_ack(struct hvm_irq *hirq, unsigned int vcpu)
{
    struct vlapic *l = vcpu_lapic(hirq, vcpu);

    if (vcpu != 0 || !l || !vlapic_accept_pic_intr(l))
        return -1;
    return vpic_ack_pending_irq(hirq->vpic);
}

struct hvm_intack hvm_vcpu_has_pending_irq(struct hvm_irq *hirq,
                                           unsigned int vcpu)
{
    struct vlapic *l = vcpu_lapic(hirq, vcpu);
    int vec;

    if (!l)
        return (struct hvm_intack){hvm_intsrc_none, 0};
    if (vlapic_nmi_pending(l))
        return (struct hvm_intack){hvm_intsrc_nmi, 2};
    vec = vlapic_has_pending_irq(l);
    if (vec >= 0)
        return (struct hvm_intack){hvm_intsrc_lapic, vec};
    if (hvm_pic_intr_pending(hirq, vcpu))
        return (struct hvm_intack){hvm_intsrc_pic, 0};
    return (struct hvm_intack){hvm_intsrc_none, 0};
}

struct hvm_intack hvm_vcpu_ack_pending_irq(struct hvm_irq *hirq,
                                           unsigned int vcpu)
{
    struct vlapic *l = vcpu_lapic(hirq, vcpu);
    int vec;

    if (!l)
        return (struct hvm_intack){hvm_intsrc_none, 0};
    if (vlapic_take_nmi(l))
        return (struct hvm_intack){hvm_intsrc_nmi, 2};
    vec = vlapic_has_pending_irq(l);
    if (vec >= 0) {
        vlapic_ack_irq(l, vec);
        return (struct hvm_intack){hvm_intsrc_lapic, vec};
    }
    vec = hvm_pic_intr_ack(hirq, vcpu);
    if (vec >= 0)
        return (struct hvm_intack){hvm_intsrc_pic, vec};
    return (struct hvm_intack){hvm_intsrc_none, 0};
}
