/*
 * The dual 8259 PIC of a type=hvm domain (run by hvm-irq.sh), with the
 * PIT's IRQ 0 as the source: vCPU 0's LAPIC takes the PIC's INTR through
 * LVT0 (ExtINT). IRQ 0 arrives at the master's vector base; while it is
 * in service (no EOI) no new IRQ 0 is taken and ISR shows it; after the
 * non-specific EOI it comes again; masked in the IMR it waits in the IRR
 * and arrives once unmasked. The slave's IRQ 8 (the RTC's periodic
 * interrupt) comes through the cascade at the slave's base.
 */
#include "apic.h"
#include "guest.h"
#include "platform.h"

#define MASTER_BASE 0x30
#define SLAVE_BASE 0x38

static volatile unsigned int irq0, irq8;
static volatile bool eoi_irq0 = true;

static void on_irq0(struct cpu_regs *regs)
{
    (void)regs;
    irq0++;
    if (eoi_irq0)
        outb(0x20, 0x20);
}

static void on_irq8(struct cpu_regs *regs)
{
    (void)regs;
    irq8++;
    outb(0x70, 0x0c); /* read register C: the RTC drops IRQ 8 */
    inb(0x71);
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
}

static bool got_irq0(void)
{
    return irq0 >= 3;
}

static bool got_irq8(void)
{
    return irq8 >= 3;
}

/* Interrupts on for us microseconds, with the PIT running. */
static void window(uint32_t us)
{
    sti();
    udelay(us);
    cli();
}

void test_main(void)
{
    unsigned int n;

    apic_sw_enable();
    apic_write(APIC_LVT0, 0x700); /* ExtINT, unmasked */
    set_irq_handler(MASTER_BASE, on_irq0);
    set_irq_handler(SLAVE_BASE, on_irq8);

    /* ICW1-4: edge, cascade, ICW4; bases; slave on IRQ 2; 8086 mode. */
    outb(0x20, 0x11);
    outb(0x21, MASTER_BASE);
    outb(0x21, 0x04);
    outb(0x21, 0x01);
    outb(0xa0, 0x11);
    outb(0xa1, SLAVE_BASE);
    outb(0xa1, 0x02);
    outb(0xa1, 0x01);
    outb(0x21, 0xfe); /* IRQ 0 only */
    outb(0xa1, 0xff);
    check_eq(inb(0x21), 0xfe);

    /* PIT channel 0, mode 2, 1 kHz. */
    outb(0x43, 0x34);
    outb(0x40, PIT_HZ / 1000 & 0xff);
    outb(0x40, PIT_HZ / 1000 >> 8);
    apic_wait(got_irq0, 2000000000ULL, "IRQ 0 through the PIC");

    /* No EOI: IRQ 0 stays in service and blocks itself. */
    eoi_irq0 = false;
    n = irq0;
    window(5000);
    check(irq0 == n + 1, "IRQ 0 taken %u times without EOI", irq0 - n);
    outb(0x20, 0x0b); /* OCW3: read ISR */
    check(inb(0x20) & 1, "IRQ 0 not in service");
    eoi_irq0 = true;
    outb(0x20, 0x20);
    outb(0x20, 0x0b);
    check_eq(inb(0x20) & 1, 0);
    n = irq0;
    window(5000);
    check(irq0 > n, "no IRQ 0 after the EOI");

    /* Masked: pending in the IRR, delivered once unmasked. */
    outb(0x21, 0xff);
    n = irq0;
    window(5000);
    check_eq(irq0, n);
    outb(0x20, 0x0a); /* OCW3: read IRR */
    check(inb(0x20) & 1, "IRQ 0 not pending while masked");
    outb(0x21, 0xfe);
    window(5000);
    check(irq0 > n, "no IRQ 0 after unmasking");

    /* The RTC's periodic interrupt on IRQ 8, through the cascade. */
    outb(0x21, 0xfb); /* IRQ 2 only: the slave */
    outb(0xa1, 0xfe); /* IRQ 8 */
    outb(0x70, 0x0b);
    outb(0x71, 0x02 | 0x40); /* 24 h, PIE */
    outb(0x70, 0x0c);
    inb(0x71);
    apic_wait(got_irq8, 2000000000ULL, "IRQ 8 through the slave PIC");
    outb(0x70, 0x0b);
    outb(0x71, 0x02);
    printk("PIC: %u IRQ 0, %u IRQ 8\n", irq0, irq8);
}
