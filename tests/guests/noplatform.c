/*
 * A PVH domain has no PIC, PIT, RTC, HPET, IOAPIC, PM registers or
 * reset ports (emulation_flags LAPIC only): their ports and MMIO read
 * all-ones and writes are ignored (a reset or S5 write does nothing).
 */
#include "guest.h"
#include "platform.h"

static const uint16_t ports[] = {0x20,  0x21, 0xa0, 0xa1, 0x4d0,
                                 0x4d1, 0x40, 0x41, 0x42, 0x43,
                                 0x61,  0x70, 0x71, 0x92, 0xcf9};

void test_main(void)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(ports); i++) {
        outb(ports[i], 0);
        check(inb(ports[i]) == 0xff, "port %#x reads %#x", ports[i],
              inb(ports[i]));
    }
    check_eq(inl(PM_TMR), 0xffffffff);
    check_eq(inw(PM1A_EVT), 0xffff);
    check_eq(inw(PM1A_CNT), 0xffff);
    mmio_write32(IOAPIC_BASE, 1);
    check_eq(mmio_read32(IOAPIC_BASE), 0xffffffff);
    check_eq(mmio_read32(IOAPIC_BASE + 0x10), 0xffffffff);
    mmio_write32(HPET_BASE + 0x10, 1);
    check_eq(mmio_read32(HPET_BASE), 0xffffffff);
    check_eq(mmio_read32(HPET_BASE + 0xf0), 0xffffffff);
    /* Neither resets nor powers off. */
    outb(0xcf9, 0x06);
    outb(0x92, 0x01);
    outw(PM1A_CNT, 1U << 13);
}
