/*
 * Interrupt routing of an HVM domain's platform: ISA IRQs go to both the
 * PIC and the IOAPIC (ISA IRQ 0 on GSI 2, the others on the same GSI, as
 * the MADT's overrides say), GSIs to the IOAPIC; IOAPIC messages to the
 * LAPICs; the PIC's output to the vCPU whose LAPIC accepts it (vCPU 0).
 * Several sources may share a GSI: a line is asserted while any of them
 * asserts it (Xen's gsi_assert_count).
 */
#ifndef ASM_HVM_IRQ_H
#define ASM_HVM_IRQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/vioapic.h>
#include <asm-x86/hvm/vlapic.h>
#include <asm-x86/hvm/vpic.h>
#include <asm-x86/hvm/vpt.h>

#define NR_ISAIRQS 16

struct hvm_irq {
    pthread_mutex_t lock;
    uint16_t isa_irq_asserted; /* one bit per ISA IRQ */
    uint8_t gsi_assert_count[VIOAPIC_NUM_PINS];
    struct vpic *vpic;
    struct vioapic *vioapic;
    struct vlapic *vlapics;
    unsigned int nr_vcpus;
    struct vioapic_ops ioapic_ops; /* messages to the LAPICs */
};

/* What a vCPU takes next, Xen's struct hvm_intack. */
enum hvm_intsrc {
    hvm_intsrc_none,
    hvm_intsrc_pic,
    hvm_intsrc_lapic,
    hvm_intsrc_nmi,
    hvm_intsrc_vector, /* the event-channel callback vector, injected as is */
};

struct hvm_intack {
    uint8_t source; /* enum hvm_intsrc */
    uint8_t vector;
};

/*
 * Wire the devices together. hvm_irq_init only records the pointers;
 * then create the PIC with vpic_init(vpic, hvm_irq_pic_output, hirq) and
 * the IOAPIC with vioapic_init(vioapic, &hirq->ioapic_ops). The LAPICs'
 * eoi callback should call vioapic_update_eoi.
 */
void hvm_irq_init(struct hvm_irq *hirq, struct vpic *vpic,
                  struct vioapic *vioapic, struct vlapic *vlapics,
                  unsigned int nr_vcpus);
void hvm_irq_destroy(struct hvm_irq *hirq);
void hvm_irq_pic_output(void *hirq, bool level);

unsigned int hvm_isa_irq_to_gsi(unsigned int isa_irq);
void hvm_isa_irq_assert(struct hvm_irq *hirq, unsigned int isa_irq);
void hvm_isa_irq_deassert(struct hvm_irq *hirq, unsigned int isa_irq);
void hvm_gsi_assert(struct hvm_irq *hirq, unsigned int gsi);
void hvm_gsi_deassert(struct hvm_irq *hirq, unsigned int gsi);

/* Interrupt outputs for the devices: ISA IRQ lines and GSI lines. */
struct hvm_irq_line hvm_irq_isa_line(struct hvm_irq *hirq);
struct hvm_irq_line hvm_irq_gsi_line(struct hvm_irq *hirq);

/* Is something deliverable to this vCPU (to open an interrupt window)? */
struct hvm_intack hvm_vcpu_has_pending_irq(struct hvm_irq *hirq,
                                           unsigned int vcpu);
/* Take it: NMI first, then the LAPIC, then the PIC. */
struct hvm_intack hvm_vcpu_ack_pending_irq(struct hvm_irq *hirq,
                                           unsigned int vcpu);
/*
 * The PIC's part alone, for a run loop that takes NMIs and LAPIC vectors
 * itself: does the PIC interrupt this vCPU (vCPU 0, LVT0 ExtINT or its
 * LAPIC off)? Its INTA: the vector, or -1 if INTR went low meanwhile.
 */
bool hvm_pic_intr_pending(struct hvm_irq *hirq, unsigned int vcpu);
int hvm_pic_intr_ack(struct hvm_irq *hirq, unsigned int vcpu);

#endif
