/*
 * The HPET of a type=hvm domain (run by hvm-devices.sh): Xen's
 * capabilities (vendor 0x8086, 3 timers, legacy route capable, 64-bit,
 * 16 ns period), the main counter stopped until enabled, then running at
 * 62.5 MHz against the PV system time clock (generous bounds), and a
 * level-triggered comparator that sets its status bit when reached
 * (write one to clear).
 */
#include "guest.h"
#include "platform.h"

#define HPET_ID 0x000
#define HPET_PERIOD 0x004
#define HPET_CFG 0x010
#define HPET_STATUS 0x020
#define HPET_COUNTER 0x0f0
#define HPET_T0_CFG 0x100
#define HPET_T0_CMP 0x108

#define TN_LEVEL 0x002
#define TN_ENABLE 0x004

void test_main(void)
{
    uint32_t id = mmio_read32(HPET_BASE + HPET_ID), rate;
    uint64_t c0, c1, s0, s1;

    check_eq(id >> 16, 0x8086);
    check_eq((id >> 8) & 0x1f, 2); /* number of the last timer */
    check(id & 0x8000, "no legacy route capability");
    check(id & 0x2000, "no 64-bit counter");
    check_eq(mmio_read32(HPET_BASE + HPET_PERIOD), 16000000);

    mmio_write32(HPET_BASE + HPET_CFG, 0);
    c0 = mmio_read64(HPET_BASE + HPET_COUNTER);
    udelay(1000);
    check_eq(mmio_read64(HPET_BASE + HPET_COUNTER), c0);

    mmio_write32(HPET_BASE + HPET_CFG, 1);
    s0 = system_time_ns();
    c0 = mmio_read64(HPET_BASE + HPET_COUNTER);
    udelay(100000);
    c1 = mmio_read64(HPET_BASE + HPET_COUNTER);
    s1 = system_time_ns();
    rate = ticks_per_ms(c1 - c0, s1 - s0);
    printk("HPET: %u ticks per ms (62500 expected)\n", rate);
    check(rate > 59000 && rate < 66000, "HPET at %u ticks/ms", rate);

    /* Timer 0, level-triggered, 1 ms ahead: its status bit rises. */
    mmio_write32(HPET_BASE + HPET_STATUS, 7);
    check_eq(mmio_read32(HPET_BASE + HPET_STATUS), 0);
    c0 = mmio_read64(HPET_BASE + HPET_COUNTER);
    mmio_write32(HPET_BASE + HPET_T0_CMP, (uint32_t)c0 + 62500);
    mmio_write32(HPET_BASE + HPET_T0_CMP + 4, (uint32_t)((c0 + 62500) >> 32));
    mmio_write32(HPET_BASE + HPET_T0_CFG, TN_LEVEL | TN_ENABLE);
    s0 = system_time_ns();
    while (!(mmio_read32(HPET_BASE + HPET_STATUS) & 1))
        check(system_time_ns() - s0 < 2000000000ULL,
              "timer 0 never fired (counter %#llx, comparator %#llx)",
              (unsigned long long)mmio_read64(HPET_BASE + HPET_COUNTER),
              (unsigned long long)mmio_read64(HPET_BASE + HPET_T0_CMP));
    check(mmio_read64(HPET_BASE + HPET_COUNTER) >= c0 + 62500,
          "status before the comparator was reached");
    mmio_write32(HPET_BASE + HPET_T0_CFG, 0);
    mmio_write32(HPET_BASE + HPET_STATUS, 1);
    check_eq(mmio_read32(HPET_BASE + HPET_STATUS), 0);
    mmio_write32(HPET_BASE + HPET_CFG, 0);
}
