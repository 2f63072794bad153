/*
 * The ACPI PM timer and PM1a registers of a type=hvm domain (run by
 * hvm-devices.sh): a 32-bit counter at Xen's port 0xb008, monotonic, at
 * 3.579545 MHz against the PV system time clock (generous bounds); only
 * 4-byte reads reach it. PM1a enable keeps only its defined bits, status
 * bits are write-one-to-clear, PM1a_CNT keeps SCI_EN and SLP_TYP.
 */
#include "guest.h"
#include "platform.h"

#define SCI_EN 0x0001
#define SLP_TYP_MASK 0x1c00
#define PM1_EN_DEFINED 0x0721 /* TMR, GBL, PWRBTN, SLPBTN, RTC */

void test_main(void)
{
    uint32_t t0, t1, prev, rate;
    uint64_t s0, s1;

    /* Monotonic over many reads (differences are below 2^31). */
    prev = inl(PM_TMR);
    for (unsigned int i = 0; i < 1000; i++) {
        uint32_t t = inl(PM_TMR);

        check((int32_t)(t - prev) >= 0, "PM timer went back: %#x -> %#x", prev,
              t);
        prev = t;
    }
    check_eq(inw(PM_TMR), 0xffff);

    s0 = system_time_ns();
    t0 = inl(PM_TMR);
    udelay(200000);
    t1 = inl(PM_TMR);
    s1 = system_time_ns();
    rate = ticks_per_ms(t1 - t0, s1 - s0);
    printk("PM timer: %u ticks per ms (3579.545 expected)\n", rate);
    check(rate > 3400 && rate < 3760, "PM timer at %u ticks/ms", rate);

    /* PM1a enable: defined bits only. */
    outw(PM1A_EVT + 2, 0xffff);
    check_eq(inw(PM1A_EVT + 2), PM1_EN_DEFINED);
    outw(PM1A_EVT + 2, 0);
    check_eq(inw(PM1A_EVT + 2), 0);
    /* Status: writing ones clears, nothing else sets it here. */
    outw(PM1A_EVT, 0xffff);
    check_eq(inw(PM1A_EVT) & ~1U, 0); /* TMR_STS may toggle on overflow */

    /* PM1a_CNT: SCI_EN and SLP_TYP read back, SLP_EN is write-only. */
    outw(PM1A_CNT, SCI_EN | 5 << 10);
    check_eq(inw(PM1A_CNT), SCI_EN | 5 << 10);
    outw(PM1A_CNT, 0);
    check_eq(inw(PM1A_CNT) & (SCI_EN | SLP_TYP_MASK), 0);
    /* Out-of-block and odd-width accesses float. */
    check_eq(inl(PM1A_CNT), 0xffffffff);
}
