/*
 * The RTC/CMOS of a type=hvm domain (run by hvm-devices.sh): Xen's
 * defaults (register A 0x26, B 24-hour BCD, D valid RAM and time), a
 * time set with SET rolls over to the next day (a Thursday: weekday 5)
 * a second later, the
 * update-in-progress bit shows before an update, and the periodic flag
 * rises in register C (read to clear) at the programmed rate.
 */
#include "guest.h"
#include "platform.h"

#define RTC_SET 0x80
#define RTC_UIP 0x80
#define RTC_PF 0x40

static uint8_t rd(uint8_t reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static void wr(uint8_t reg, uint8_t v)
{
    outb(0x70, reg);
    outb(0x71, v);
}

static bool bcd_ok(uint8_t v, uint8_t max)
{
    return (v & 0xf) < 10 && (v >> 4) < 10 && (v >> 4) * 10 + (v & 0xf) <= max;
}

void test_main(void)
{
    uint64_t start;

    check_eq(rd(10) & 0x7f, 0x26);
    check_eq(rd(11), 0x02);
    check_eq(rd(13), 0x80);
    check(bcd_ok(rd(0), 59) && bcd_ok(rd(2), 59) && bcd_ok(rd(4), 23),
          "time %02x:%02x:%02x", rd(4), rd(2), rd(0));

    /* 2021-06-30 23:59:59, then the clock runs again. */
    wr(11, 0x02 | RTC_SET);
    wr(0, 0x59);
    wr(2, 0x59);
    wr(4, 0x23);
    wr(7, 0x30);
    wr(8, 0x06);
    wr(9, 0x21);
    check_eq(rd(0), 0x59);
    wr(11, 0x02);
    start = system_time_ns();
    while (rd(0) == 0x59)
        check(system_time_ns() - start < 3000000000ULL, "RTC stopped");
    check(rd(0) == 0 && rd(2) == 0 && rd(4) == 0, "time %02x:%02x:%02x", rd(4),
          rd(2), rd(0));
    check(rd(7) == 1 && rd(8) == 7 && rd(9) == 0x21 && rd(6) == 5,
          "date %02x-%02x-%02x weekday %x", rd(9), rd(8), rd(7), rd(6));

    /* UIP shows in the last 244 us of each second: sample it tightly. */
    start = system_time_ns();
    for (unsigned int i = 0; !(rd(10) & RTC_UIP); i++)
        check((i & 255) || system_time_ns() - start < 5000000000ULL,
              "no update-in-progress in 5 s");

    /*
     * Periodic flag: at 1024 Hz within 5 ms; at 2 Hz (rate 15) not at
     * once after reading register C cleared it, then within a second.
     */
    rd(12);
    udelay(5000);
    check(rd(12) & RTC_PF, "no periodic flag at 1024 Hz after 5 ms");
    wr(10, 0x2f);
    rd(12);
    check_eq(rd(12) & RTC_PF, 0);
    start = system_time_ns();
    while (!(rd(12) & RTC_PF))
        check(system_time_ns() - start < 1500000000ULL,
              "no periodic flag at 2 Hz");
    wr(10, 0x26);
}
