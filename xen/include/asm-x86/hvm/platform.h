/*
 * The emulated platform of an HVM-type domain (emulation_flags with
 * every XEN_X86_EMU_* device): dual PIC, IOAPIC, PIT, RTC, HPET, ACPI
 * PM registers and the reset ports, wired through hvm/irq.c. PVH
 * domains (LAPIC only) have none: their accesses there float high.
 */
#ifndef ASM_HVM_PLATFORM_H
#define ASM_HVM_PLATFORM_H

#include <asm-x86/hvm/hpet.h>
#include <asm-x86/hvm/i8254.h>
#include <asm-x86/hvm/irq.h>
#include <asm-x86/hvm/pmtimer.h>
#include <asm-x86/hvm/reset.h>
#include <asm-x86/hvm/rtc.h>
#include <asm-x86/hvm/vioapic.h>
#include <asm-x86/hvm/vpic.h>
#include <public/domctl.h>

struct domain;

/* What XEN_DOMCTL_createdomain accepts as a full HVM platform. */
#define HVM_PLATFORM_EMU_FLAGS                                                 \
    (XEN_X86_EMU_ALL & ~(XEN_X86_EMU_VPCI | XEN_X86_EMU_USE_PIRQ))

struct hvm_platform {
    struct hvm_irq irq;
    struct vpic vpic;
    struct vioapic vioapic;
    struct vpit pit;
    struct vrtc rtc;
    struct vhpet hpet;
    struct vpmtimer pm;
    struct vreset reset;
};

/*
 * Give d its platform if its emulation_flags ask for one (vCPUs exist);
 * 0 or -ENOMEM. hvm_platform_destroy is idempotent.
 */
int hvm_platform_init(struct domain *d);
void hvm_platform_destroy(struct domain *d);

#endif
