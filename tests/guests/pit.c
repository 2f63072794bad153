/*
 * The 8254 PIT of a type=hvm domain (run by hvm-devices.sh): channel 0
 * in mode 2 counts down (latched reads decrease), the read-back command
 * gives its status, and channel 2 gated through port 0x61 counts 0xffff
 * ticks in mode 0 before OUT2 (port 0x61 bit 5) rises: about 55 ms of
 * PV system time (generous bounds), as Linux calibrates its TSC.
 */
#include "guest.h"
#include "platform.h"

#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT61 0x61

static uint16_t latch(unsigned int ch)
{
    uint16_t lo, hi;

    outb(PIT_CMD, ch << 6); /* counter latch */
    lo = inb(PIT_CH0 + ch);
    hi = inb(PIT_CH0 + ch);
    return lo | hi << 8;
}

void test_main(void)
{
    uint16_t a, b;
    uint64_t start, ns;
    uint32_t rem, ms;

    /* Channel 0, lobyte/hibyte, mode 2, count 65536. */
    outb(PIT_CMD, 0x34);
    outb(PIT_CH0, 0);
    outb(PIT_CH0, 0);
    a = latch(0);
    udelay(1000);
    b = latch(0);
    check(a != b, "channel 0 stands still at %u", a);
    /* 1 ms is ~1193 ticks; a 55 ms period leaves room for delays. */
    check((uint16_t)(a - b) > 100, "channel 0 went from %u to %u", a, b);

    /* Read-back of channel 0's status: lobyte/hibyte, mode 2, binary. */
    outb(PIT_CMD, 0xe2);
    check_eq(inb(PIT_CH0) & 0x3f, 0x34);

    /* Channel 2 gated on, speaker off; mode 0, count 0xffff. */
    outb(PORT61, (inb(PORT61) & ~2) | 1);
    check_eq(inb(PORT61) & 3, 1);
    outb(PIT_CMD, 0xb0);
    outb(PIT_CH2, 0xff);
    outb(PIT_CH2, 0xff);
    start = system_time_ns();
    a = latch(2);
    udelay(1000);
    b = latch(2);
    check(b < a, "channel 2 from %u to %u", a, b);
    while (!(inb(PORT61) & 0x20))
        check(system_time_ns() - start < 2000000000ULL,
              "OUT2 never rose (count %u)", latch(2));
    ns = system_time_ns() - start;
    ms = (uint32_t)div64(ns, 1000000, &rem);
    printk("PIT: 0xffff ticks of channel 2 in %u ms (54.9 expected)\n", ms);
    check(ms >= 45 && ms < 500, "0xffff PIT ticks in %u ms", ms);
}
