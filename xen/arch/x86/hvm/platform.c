/*
 * An HVM-type domain's platform devices (see asm-x86/hvm/platform.h):
 * created with the domain, reached through the engine's port-I/O and
 * MMIO region registry, torn down before the domain's memory goes.
 */
#include <stdlib.h>
#include <time.h>

#include <asm-x86/hvm/intr.h>
#include <asm-x86/hvm/platform.h>
#include <asm-x86/io.h>
#include <public/sched.h>
#include <xen/lib.h>
#include <xen/sched.h>

static void pm_poweroff(void *opaque)
{
    struct domain *d = opaque;

    printk(LOG_INFO, "d%u: ACPI S5 through PM1a_CNT -- powering off\n",
           d->domain_id);
    domain_shutdown(d, SHUTDOWN_poweroff);
}

static void platform_reset(void *opaque)
{
    struct domain *d = opaque;

    printk(LOG_INFO, "d%u: platform reset -- rebooting\n", d->domain_id);
    domain_shutdown(d, SHUTDOWN_reboot);
}

static void lapic_eoi(void *opaque, uint8_t vector)
{
    struct domain *d = opaque;

    if (d->platform)
        vioapic_update_eoi(&d->platform->vioapic, vector);
}

int hvm_platform_init(struct domain *d)
{
    struct hvm_platform *p;
    struct hvm_irq_line isa, gsi;

    if ((d->emulation_flags & HVM_PLATFORM_EMU_FLAGS) != HVM_PLATFORM_EMU_FLAGS)
        return 0;
    p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    hvm_irq_init(&p->irq, &p->vpic, &p->vioapic, d->lapics->vlapic,
                 d->lapics->nr);
    vpic_init(&p->vpic, hvm_irq_pic_output, &p->irq);
    vioapic_init(&p->vioapic, &p->irq.ioapic_ops);
    isa = hvm_irq_isa_line(&p->irq);
    gsi = hvm_irq_gsi_line(&p->irq);
    vpit_init(&p->pit, isa);
    vrtc_init(&p->rtc, isa, (int64_t)time(NULL) + d->time_offset_seconds);
    vhpet_init(&p->hpet, isa, gsi, &p->pit);
    /* 32-bit PM timer: the FADT says TMR_VAL_EXT. */
    vpmtimer_init(&p->pm, isa, true, pm_poweroff, d);
    vreset_init(&p->reset, platform_reset, d);
    d->platform = p;
    /* The LAPICs' EOIs of level-triggered vectors reach the IOAPIC. */
    d->lapics->ops.eoi = lapic_eoi;
    return 0;
}

void hvm_platform_destroy(struct domain *d)
{
    struct hvm_platform *p = d->platform;

    if (!p)
        return;
    /* Timer-driven sources first: nothing raises a line after this. */
    vhpet_destroy(&p->hpet);
    vpit_destroy(&p->pit);
    vrtc_destroy(&p->rtc);
    vpmtimer_destroy(&p->pm);
    vreset_destroy(&p->reset);
    vioapic_destroy(&p->vioapic);
    vpic_destroy(&p->vpic);
    hvm_irq_destroy(&p->irq);
    d->platform = NULL;
    free(p);
}

/* ---- the register windows; a domain without a platform falls through ---- */

/* Region 'tag' of device 'dev' (a member of struct hvm_platform). */
#define PLATFORM_REGION(dev, tag, mmio, start, len, call)                      \
    static int dev##_##tag(struct vcpu *v, uint64_t addr, unsigned int size,   \
                           bool write, uint64_t *val)                          \
    {                                                                          \
        struct hvm_platform *p = v->domain->platform;                          \
                                                                               \
        return p ? call(&p->dev, addr, size, write, val)                       \
                 : X86EMUL_UNHANDLEABLE;                                       \
    }                                                                          \
    DEFINE_IO_REGION(dev##_##tag, mmio, start, len, dev##_##tag)

PLATFORM_REGION(vpic, master, false, VPIC_MASTER_PORT, 2, vpic_io_access);
PLATFORM_REGION(vpic, slave, false, VPIC_SLAVE_PORT, 2, vpic_io_access);
PLATFORM_REGION(vpic, elcr, false, VPIC_ELCR_PORT, 2, vpic_io_access);
PLATFORM_REGION(pit, ports, false, PIT_BASE, 4, vpit_io_access);
PLATFORM_REGION(pit, speaker, false, PIT_SPEAKER_PORT, 1, vpit_io_access);
PLATFORM_REGION(rtc, ports, false, RTC_PORT(0), 2, vrtc_io_access);
PLATFORM_REGION(pm, pm1a, false, ACPI_PM1A_EVT_BLK_ADDRESS_V1,
                ACPI_PM1A_EVT_BLK_LEN + ACPI_PM1A_CNT_BLK_LEN,
                vpmtimer_io_access);
PLATFORM_REGION(pm, tmr, false, ACPI_PM_TMR_BLK_ADDRESS_V1, ACPI_PM_TMR_BLK_LEN,
                vpmtimer_io_access);
PLATFORM_REGION(reset, port92, false, SYSCTL_PORT_A, 1, vreset_io_access);
PLATFORM_REGION(reset, rst_cnt, false, RST_CNT_PORT, 1, vreset_io_access);
PLATFORM_REGION(vioapic, mmio, true, VIOAPIC_DEFAULT_BASE_ADDRESS,
                VIOAPIC_MEM_LENGTH, vioapic_mmio_access);
PLATFORM_REGION(hpet, mmio, true, HPET_BASE_ADDRESS, HPET_MMAP_SIZE,
                vhpet_mmio_access);
