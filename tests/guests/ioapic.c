/*
 * The IOAPIC of a type=hvm domain (run by hvm-irq.sh): its version
 * register (48 pins), redirection entries read back with what the guest
 * may not write left alone; the RTC's periodic interrupt (ISA IRQ 8 on
 * GSI 8, edge) arrives at the programmed vector, not while the entry is
 * masked, again once unmasked; an HPET comparator routed to GSI 20,
 * level-triggered, arrives with remote IRR set until the LAPIC's EOI.
 */
#include "apic.h"
#include "guest.h"
#include "platform.h"

#define RTC_VECTOR 0x41
#define HPET_VECTOR 0x42
#define RTE_MASKED (1U << 16)
#define RTE_LEVEL (1U << 15)
#define RTE_REMOTE_IRR (1U << 14)

static volatile unsigned int rtc_irqs, hpet_irqs;
static volatile uint32_t hpet_rte_in_service;

static uint32_t ioapic_read(unsigned int reg)
{
    mmio_write32(IOAPIC_BASE, reg);
    return mmio_read32(IOAPIC_BASE + 0x10);
}

static void ioapic_write(unsigned int reg, uint32_t v)
{
    mmio_write32(IOAPIC_BASE, reg);
    mmio_write32(IOAPIC_BASE + 0x10, v);
}

/* Pin's entry to vCPU 0 (APIC ID 0), physical destination. */
static void route(unsigned int pin, uint32_t low)
{
    ioapic_write(0x11 + 2 * pin, 0);
    ioapic_write(0x10 + 2 * pin, low);
}

static void rtc_ack(void)
{
    outb(0x70, 0x0c);
    inb(0x71);
}

static void on_rtc(struct cpu_regs *regs)
{
    (void)regs;
    rtc_irqs++;
    rtc_ack();
    apic_eoi();
}

static void on_hpet(struct cpu_regs *regs)
{
    (void)regs;
    hpet_irqs++;
    hpet_rte_in_service = ioapic_read(0x10 + 2 * 20);
    mmio_write32(HPET_BASE + 0x20, 1); /* clear status: the line drops */
    apic_eoi();
}

static bool rtc_got(void)
{
    return rtc_irqs >= 3;
}

static bool hpet_got(void)
{
    return hpet_irqs;
}

static void window(uint32_t us)
{
    sti();
    udelay(us);
    cli();
}

void test_main(void)
{
    uint64_t c;
    unsigned int n;

    check_eq(ioapic_read(1), 47 << 16 | 0x11);
    /* Delivery status and remote IRR are not the guest's to write. */
    route(8, RTE_MASKED | RTE_REMOTE_IRR | 1U << 12 | RTC_VECTOR);
    check_eq(ioapic_read(0x10 + 16), RTE_MASKED | RTC_VECTOR);

    apic_sw_enable();
    set_irq_handler(RTC_VECTOR, on_rtc);
    set_irq_handler(HPET_VECTOR, on_hpet);

    /* RTC periodic interrupt at 1024 Hz on GSI 8, edge, active high. */
    route(8, RTC_VECTOR);
    outb(0x70, 0x0b);
    outb(0x71, 0x02 | 0x40);
    rtc_ack();
    apic_wait(rtc_got, 2000000000ULL, "the RTC's interrupt on GSI 8");

    route(8, RTE_MASKED | RTC_VECTOR);
    rtc_ack();
    n = rtc_irqs;
    window(20000);
    check_eq(rtc_irqs, n);
    route(8, RTC_VECTOR);
    rtc_ack(); /* the next period is a new edge */
    window(20000);
    check(rtc_irqs > n, "no RTC interrupt after unmasking");
    outb(0x70, 0x0b);
    outb(0x71, 0x02);
    route(8, RTE_MASKED | RTC_VECTOR);

    /* HPET timer 0 on GSI 20, level-triggered, 1 ms ahead. */
    route(20, RTE_LEVEL | HPET_VECTOR);
    mmio_write32(HPET_BASE + 0x10, 1);
    c = mmio_read64(HPET_BASE + 0xf0) + 62500;
    mmio_write32(HPET_BASE + 0x108, (uint32_t)c);
    mmio_write32(HPET_BASE + 0x10c, (uint32_t)(c >> 32));
    mmio_write32(HPET_BASE + 0x100, 20 << 9 | 0x4 | 0x2);
    apic_wait(hpet_got, 2000000000ULL, "the HPET's interrupt on GSI 20");
    check(hpet_rte_in_service & RTE_REMOTE_IRR, "no remote IRR in service");
    check_eq(ioapic_read(0x10 + 40) & RTE_REMOTE_IRR, 0);
    window(5000);
    check_eq(hpet_irqs, 1);
    mmio_write32(HPET_BASE + 0x100, 0);
    mmio_write32(HPET_BASE + 0x10, 0);
    printk("IOAPIC: %u RTC, %u HPET interrupts\n", rtc_irqs, hpet_irqs);
}
