/* The virtual 8254 PIT: modes, latches, read-back, BCD, port 0x61, IRQ 0. */
#include <asm-x86/io.h>
#include <asm-x86/hvm/i8254.h>

#include "unit.h"
#include "vclock.h"

static struct vpit pit;
static unsigned int edges[16];
static bool level[16];

static void line_set(void *opaque, unsigned int line, bool l)
{
    (void)opaque;
    if (line >= 16)
        return;
    if (l && !level[line])
        edges[line]++;
    level[line] = l;
}

static uint8_t in(uint16_t port)
{
    uint64_t v = 0;

    EXPECT(vpit_io_access(&pit, port, 1, false, &v) == X86EMUL_OKAY);
    return v;
}

static void out(uint16_t port, uint8_t val)
{
    uint64_t v = val;

    EXPECT(vpit_io_access(&pit, port, 1, true, &v) == X86EMUL_OKAY);
}

static void load(unsigned int ch, uint8_t ctrl, uint32_t count)
{
    out(0x43, ctrl);
    out(0x40 + ch, count & 0xff);
    out(0x40 + ch, count >> 8);
}

static uint16_t latched(unsigned int ch)
{
    uint16_t v;

    out(0x43, ch << 6); /* counter latch */
    v = in(0x40 + ch);
    return v | in(0x40 + ch) << 8;
}

/* ns for exactly n PIT ticks to have elapsed. */
static uint64_t ticks_ns(uint64_t n)
{
    return (n * 1000000000ULL + PIT_FREQ - 1) / PIT_FREQ;
}

static void test_modes(void)
{
    unsigned int e;

    /* Mode 2, ~10 ms: a pulse on IRQ 0 per period. */
    e = edges[0];
    load(0, 0x34, 11932);
    EXPECT(latched(0) == 11932);
    vclock_advance(ticks_ns(100));
    EXPECT(latched(0) == 11832);
    /* The period is 11932 ticks in ns, rounded down. */
    vclock_advance(11932ULL * 1000000000 / PIT_FREQ - ticks_ns(100) - 1);
    EXPECT(edges[0] == e);
    vclock_advance(1);
    EXPECT(edges[0] == e + 1);
    vclock_advance(11932ULL * 1000000000 / PIT_FREQ * 10);
    EXPECT(edges[0] == e + 11);
    /* Read-back of status and count together (status first). */
    vclock_advance(ticks_ns(5));
    out(0x43, 0xc2);
    EXPECT(in(0x40) == 0xb4); /* OUT high, LSB/MSB, mode 2, binary */
    {
        uint16_t c = in(0x40);

        c |= in(0x40) << 8;
        EXPECT(c >= 1 && c <= 11932);
    }
    /* A latch holds its value while the counter runs on. */
    out(0x43, 0x00);
    vclock_advance(ticks_ns(500));
    {
        uint16_t a = in(0x40);

        a |= in(0x40) << 8;
        EXPECT(a != latched(0));
    }

    /* Mode 0: one pulse at terminal count, then the counter wraps. */
    e = edges[0];
    load(0, 0x30, 0x1000);
    vclock_advance(1000000); /* 1193 ticks */
    EXPECT(latched(0) == 0x1000 - 1193);
    out(0x43, 0xe2);                /* status only */
    EXPECT((in(0x40) & 0x80) == 0); /* OUT low until terminal count */
    vclock_advance(ticks_ns(0x1000) - 1000000);
    EXPECT(edges[0] == e + 1);
    out(0x43, 0xe2);
    EXPECT(in(0x40) & 0x80);
    vclock_advance(100000000);
    EXPECT(edges[0] == e + 1);

    /* Mode 3 on channel 2 (gate on): square wave on OUT, count by 2. */
    out(0x61, 0x01);
    load(2, 0xb6, 100);
    vclock_advance(ticks_ns(10));
    EXPECT(latched(2) == 80);
    EXPECT(in(0x61) & 0x20);
    vclock_advance(ticks_ns(50) - ticks_ns(10));
    EXPECT(!(in(0x61) & 0x20));
    vclock_advance(ticks_ns(100) - ticks_ns(50));
    EXPECT(in(0x61) & 0x20);

    /* A rising gate restarts mode 2. */
    load(2, 0xb4, 1000);
    vclock_advance(ticks_ns(400));
    EXPECT(latched(2) == 600);
    out(0x61, 0x00);
    out(0x61, 0x01);
    EXPECT(latched(2) == 1000);

    /* Mode 0 on channel 2 as Linux calibrates the TSC: OUT2 goes high. */
    load(2, 0xb0, 1000);
    EXPECT(!(in(0x61) & 0x20));
    vclock_advance(ticks_ns(1000));
    EXPECT(in(0x61) & 0x20);

    /* BCD: 1234 counts down in decimal. */
    load(0, 0x31, 0x1234);
    vclock_advance(ticks_ns(34));
    EXPECT(latched(0) == 0x1200);
    /* LSB-only and MSB-only access. */
    out(0x43, 0x10);
    out(0x40, 0x50);
    EXPECT(in(0x40) == 0x50);
    out(0x43, 0x20);
    out(0x40, 0x02);
    EXPECT(in(0x40) == 0x02);
    /* Free running read (no latch): low byte then high byte. */
    load(0, 0x30, 0x4321);
    EXPECT(in(0x40) == 0x21 && in(0x40) == 0x43);
    /* Modes 6 and 7 are 2 and 3. */
    out(0x43, 0x3e);
    out(0x43, 0xe2);
    EXPECT((in(0x40) & 0x0e) == 0x06);
}

static void test_irq_limits(void)
{
    unsigned int e = edges[0];

    /* The smallest count cannot flood: at most one pulse per 100 us. */
    load(0, 0x34, 1);
    vclock_advance(1000000);
    EXPECT(edges[0] - e >= 9 && edges[0] - e <= 10);
    /* Once the HPET owns IRQ 0 the PIT stays quiet. */
    load(0, 0x34, 11932);
    pit_stop_channel0_irq(&pit);
    e = edges[0];
    vclock_advance(100000000);
    EXPECT(edges[0] == e);
    load(0, 0x34, 11932);
    vclock_advance(100000000);
    EXPECT(edges[0] == e);
    vpit_reset(&pit);
    load(0, 0x34, 11932);
    vclock_advance(ticks_ns(11932));
    EXPECT(edges[0] == e + 1);
}

static void test_speaker_and_hostile(void)
{
    uint64_t v;
    uint8_t r0, r1;

    out(0x61, 0x03);
    EXPECT((in(0x61) & 0x03) == 0x03);
    out(0x61, 0x00);
    EXPECT((in(0x61) & 0x03) == 0x00);
    /* The refresh bit toggles. */
    r0 = in(0x61) & 0x10;
    vclock_advance(1ULL << 14);
    r1 = in(0x61) & 0x10;
    EXPECT(r0 != r1);

    vpit_reset(&pit);
    EXPECT(in(0x41) == 0); /* never programmed */
    out(0x41, 0x12);       /* ignored */
    EXPECT(in(0x43) == 0xff);
    v = 0;
    EXPECT(vpit_io_access(&pit, 0x40, 2, false, &v) == X86EMUL_OKAY &&
           v == ~0ULL);
    v = 0x34;
    EXPECT(vpit_io_access(&pit, 0x43, 4, true, &v) == X86EMUL_OKAY);
    out(0x43, 0xe2);
    EXPECT(in(0x40) == 0); /* still unprogrammed: nothing latched */
    load(0, 0x30, 0x1234);
    EXPECT(in(0x40) == 0x34 && in(0x40) == 0x12);
    /* A new control word drops a latched status. */
    out(0x43, 0xe2);
    load(0, 0x30, 0x4321);
    EXPECT(in(0x40) == 0x21);
    EXPECT(vpit_io_access(&pit, 0x44, 1, false, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vpit_io_access(&pit, 0x60, 1, false, &v) == X86EMUL_UNHANDLEABLE);
    /* Garbage BCD digits and a zero count are bounded. */
    load(1, 0x71, 0xffff);
    EXPECT(latched(1) <= 0x9999);
    load(1, 0x70, 0);
    EXPECT(latched(1) == 0);
    vclock_advance(ticks_ns(1));
    EXPECT(latched(1) == 0xffff);
}

static void random_access(uint64_t r, uint64_t v)
{
    v &= 0xff;
    vpit_io_access(&pit, r % 5 == 4 ? 0x61 : 0x40 + r % 4, (r >> 8) % 7 ? 1 : 2,
                   (r >> 4) & 1, &v);
}

/* Random control words and data: counts stay within 16 bits. */
static void test_random(void)
{
    vclock_random_round(random_access, 1000000);
    vpit_reset(&pit);
    load(0, 0x34, 100);
    EXPECT(latched(0) == 100);
}

int main(void)
{
    vpit_init(&pit, (struct hvm_irq_line){.set = line_set});
    test_modes();
    test_irq_limits();
    test_speaker_and_hostile();
    test_random();
    vpit_destroy(&pit);
    UNIT_DONE("i8254");
}
