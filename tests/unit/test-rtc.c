/* The virtual RTC: time formats, UIP, periodic rates, alarm, status C. */
#include <time.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/rtc.h>

#include "unit.h"
#include "vclock.h"

static struct vrtc rtc;
static unsigned int edges;
static bool level;

static void line_set(void *opaque, unsigned int line, bool l)
{
    (void)opaque;
    if (line != RTC_IRQ)
        return;
    if (l && !level)
        edges++;
    level = l;
}

static uint8_t cmos_read(uint8_t idx)
{
    uint64_t v = idx;

    EXPECT(vrtc_io_access(&rtc, 0x70, 1, true, &v) == X86EMUL_OKAY);
    EXPECT(vrtc_io_access(&rtc, 0x71, 1, false, &v) == X86EMUL_OKAY);
    return v;
}

static void cmos_write(uint8_t idx, uint8_t val)
{
    uint64_t v = idx;

    EXPECT(vrtc_io_access(&rtc, 0x70, 1, true, &v) == X86EMUL_OKAY);
    v = val;
    EXPECT(vrtc_io_access(&rtc, 0x71, 1, true, &v) == X86EMUL_OKAY);
}

static void test_time(void)
{
    /* 2024-02-29 23:59:50 UTC, a Thursday; BCD, 24-hour after reset. */
    EXPECT(cmos_read(RTC_REG_B) == RTC_24H);
    EXPECT(cmos_read(RTC_REG_A) == 0x26 && cmos_read(RTC_REG_D) == RTC_VRT);
    EXPECT(cmos_read(RTC_SECONDS) == 0x50 && cmos_read(RTC_MINUTES) == 0x59);
    EXPECT(cmos_read(RTC_HOURS) == 0x23 && cmos_read(RTC_DAY_OF_MONTH) == 0x29);
    EXPECT(cmos_read(RTC_MONTH) == 0x02 && cmos_read(RTC_YEAR) == 0x24);
    EXPECT(cmos_read(RTC_DAY_OF_WEEK) == 5);
    /* Ten seconds on it is a new month, leap day handled. */
    vclock_advance(SECONDS(10));
    EXPECT(cmos_read(RTC_SECONDS) == 0 && cmos_read(RTC_HOURS) == 0);
    EXPECT(cmos_read(RTC_DAY_OF_MONTH) == 1 && cmos_read(RTC_MONTH) == 3);
    vclock_advance(SECONDS(13 * 3600 + 5 * 60 + 9));

    /* Binary, 24 h: 13:05:09. */
    cmos_write(RTC_REG_B, RTC_24H | RTC_DM_BINARY);
    EXPECT(cmos_read(RTC_HOURS) == 13 && cmos_read(RTC_MINUTES) == 5 &&
           cmos_read(RTC_SECONDS) == 9);
    /* 12 h: PM is bit 7. BCD then binary. */
    cmos_write(RTC_REG_B, 0);
    EXPECT(cmos_read(RTC_HOURS) == 0x81);
    cmos_write(RTC_REG_B, RTC_DM_BINARY);
    EXPECT(cmos_read(RTC_HOURS) == 0x81);
    /* 12 AM is midnight, 12 PM noon. */
    cmos_write(RTC_HOURS, 0x8c);
    cmos_write(RTC_REG_B, RTC_24H | RTC_DM_BINARY);
    EXPECT(cmos_read(RTC_HOURS) == 12);
    cmos_write(RTC_REG_B, RTC_DM_BINARY);
    cmos_write(RTC_HOURS, 12);
    cmos_write(RTC_REG_B, RTC_24H | RTC_DM_BINARY);
    EXPECT(cmos_read(RTC_HOURS) == 0);

    /* Setting the clock under SET: frozen, then runs from the new time. */
    cmos_write(RTC_REG_B, RTC_SET | RTC_24H);
    cmos_write(RTC_YEAR, 0x99);
    cmos_write(RTC_MONTH, 0x12);
    cmos_write(RTC_DAY_OF_MONTH, 0x31);
    cmos_write(RTC_HOURS, 0x23);
    cmos_write(RTC_MINUTES, 0x59);
    cmos_write(RTC_SECONDS, 0x58);
    vclock_advance(SECONDS(5));
    EXPECT(cmos_read(RTC_SECONDS) == 0x58 && cmos_read(RTC_YEAR) == 0x99);
    EXPECT(cmos_read(RTC_DAY_OF_WEEK) == 6); /* 1999-12-31 was a Friday */
    cmos_write(RTC_REG_B, RTC_24H);
    vclock_advance(SECONDS(2));
    EXPECT(cmos_read(RTC_SECONDS) == 0 && cmos_read(RTC_YEAR) == 0 &&
           cmos_read(RTC_MONTH) == 1 && cmos_read(RTC_DAY_OF_MONTH) == 1);

    /* A stopped divider stops the clock. */
    cmos_write(RTC_REG_A, 0x70 | 6);
    vclock_advance(SECONDS(3));
    EXPECT(cmos_read(RTC_SECONDS) == 0);
    cmos_write(RTC_REG_A, 0x26);
    vclock_advance(SECONDS(1));
    EXPECT(cmos_read(RTC_SECONDS) == 1);
}

static void test_uip(void)
{
    /* UIP is up in the 244 us before each update, down otherwise. */
    unsigned int seen = 0;

    for (int i = 0; i < 40000; i++) {
        uint8_t a = cmos_read(RTC_REG_A);
        uint8_t s = cmos_read(RTC_SECONDS);

        vclock_advance(MICROSECS(50));
        if (!(a & RTC_UIP))
            continue;
        seen++;
        /* While UIP is up the seconds must not have changed yet. */
        vclock_advance(MICROSECS(250));
        EXPECT(cmos_read(RTC_SECONDS) != s);
        EXPECT(!(cmos_read(RTC_REG_A) & RTC_UIP));
    }
    EXPECT(seen >= 1);
}

static void test_interrupts(void)
{
    unsigned int e;
    uint8_t c, sec;

    cmos_read(RTC_REG_C);
    EXPECT(!level);
    /* Periodic: rate 15 is 2 Hz. */
    cmos_write(RTC_REG_A, 0x2f);
    cmos_write(RTC_REG_B, RTC_24H | RTC_PIE);
    e = edges;
    vclock_advance(MILLISECS(499));
    EXPECT(edges == e);
    vclock_advance(MILLISECS(1));
    EXPECT(edges == e + 1 && level);
    c = cmos_read(RTC_REG_C);
    EXPECT(c == (RTC_IRQF | RTC_PF) && !level);
    /* Status C is cleared by the read. */
    EXPECT(cmos_read(RTC_REG_C) == 0);
    /* Interrupts need C read between them (no-ack mode off). */
    vclock_advance(SECONDS(2));
    EXPECT(edges == e + 2);
    for (int i = 0; i < 10; i++) {
        cmos_read(RTC_REG_C);
        vclock_advance(MILLISECS(500));
    }
    EXPECT(edges == e + 12);
    /* Rate 6 is 1024 Hz; rate 3, the fastest, 8192 Hz. */
    cmos_write(RTC_REG_A, 0x26);
    cmos_read(RTC_REG_C);
    e = edges;
    for (int i = 0; i < 1024; i++) {
        vclock_advance(976563);
        cmos_read(RTC_REG_C);
    }
    EXPECT(edges - e >= 1023 && edges - e <= 1025);
    cmos_write(RTC_REG_A, 0x23);
    e = edges;
    for (int i = 0; i < 100; i++) {
        vclock_advance(122071);
        cmos_read(RTC_REG_C);
    }
    EXPECT(edges - e >= 99 && edges - e <= 101);
    /* Rate 0: nothing. */
    cmos_write(RTC_REG_A, 0x20);
    cmos_read(RTC_REG_C);
    e = edges;
    vclock_advance(SECONDS(1));
    EXPECT(edges == e && !(cmos_read(RTC_REG_C) & RTC_PF));
    /* A late timer: a REG_C read catches up first; the periods go on. */
    cmos_write(RTC_REG_A, 0x2f);
    cmos_read(RTC_REG_C);
    e = edges;
    vclock_now += MILLISECS(600);
    EXPECT(cmos_read(RTC_REG_C) & RTC_PF);
    vclock_advance(SECONDS(2));
    EXPECT(edges > e);

    /* PF without PIE: the flag, no interrupt. */
    cmos_write(RTC_REG_A, 0x2f);
    cmos_write(RTC_REG_B, RTC_24H);
    cmos_read(RTC_REG_C);
    e = edges;
    vclock_advance(MILLISECS(600));
    c = cmos_read(RTC_REG_C);
    EXPECT((c & RTC_PF) && !(c & RTC_IRQF) && edges == e);
    cmos_write(RTC_REG_A, 0x20);

    /* Update-ended: once a second. */
    cmos_write(RTC_REG_B, RTC_24H | RTC_UIE);
    cmos_read(RTC_REG_C);
    e = edges;
    vclock_advance(SECONDS(1));
    c = cmos_read(RTC_REG_C);
    EXPECT((c & (RTC_IRQF | RTC_UF)) == (RTC_IRQF | RTC_UF) && edges == e + 1);
    /* SET clears UIE. */
    cmos_write(RTC_REG_B, RTC_24H | RTC_UIE | RTC_SET);
    EXPECT(cmos_read(RTC_REG_B) == (RTC_24H | RTC_SET));
    cmos_write(RTC_REG_B, RTC_24H);

    /* Alarm three seconds ahead; hours and minutes don't care. */
    sec = cmos_read(RTC_SECONDS);
    sec = (sec >> 4) * 10 + (sec & 0xf);
    sec = (sec + 3) % 60;
    cmos_write(RTC_SECONDS_ALARM, (sec / 10) << 4 | sec % 10);
    cmos_write(RTC_MINUTES_ALARM, 0xff);
    cmos_write(RTC_HOURS_ALARM, 0xc0);
    EXPECT(cmos_read(RTC_HOURS_ALARM) == 0xc0);
    cmos_write(RTC_REG_B, RTC_24H | RTC_AIE);
    cmos_read(RTC_REG_C);
    e = edges;
    vclock_advance(SECONDS(2));
    EXPECT(edges == e && !(cmos_read(RTC_REG_C) & RTC_AF));
    vclock_advance(SECONDS(1));
    EXPECT(edges == e + 1);
    c = cmos_read(RTC_REG_C);
    EXPECT((c & (RTC_IRQF | RTC_AF)) == (RTC_IRQF | RTC_AF));
    vclock_advance(SECONDS(30));
    EXPECT(edges == e + 1);
    /* Enabling an interrupt whose flag is already up raises it. */
    cmos_write(RTC_REG_B, RTC_24H);
    vclock_advance(SECONDS(1));
    cmos_write(RTC_REG_B, RTC_24H | RTC_UIE);
    EXPECT(edges == e + 2 && level);
    cmos_read(RTC_REG_C);
    cmos_write(RTC_REG_B, RTC_24H);
}

static void test_hostile(void)
{
    uint64_t v;

    /* Status C and D are read-only. */
    cmos_write(RTC_REG_C, 0xff);
    cmos_write(RTC_REG_D, 0);
    EXPECT(cmos_read(RTC_REG_C) == 0 && cmos_read(RTC_REG_D) == RTC_VRT);
    /* Nonsense BCD and out-of-range fields give some valid date. */
    cmos_write(RTC_MONTH, 0xff);
    cmos_write(RTC_DAY_OF_MONTH, 0x00);
    cmos_write(RTC_HOURS, 0x99);
    v = cmos_read(RTC_MONTH);
    EXPECT(v >= 1 && v <= 0x12);
    EXPECT(cmos_read(RTC_HOURS) <= 0x23);
    /* Beyond the clock: the device model's. NMI bit ignored in index. */
    v = 0x80 | RTC_SECONDS_ALARM;
    EXPECT(vrtc_io_access(&rtc, 0x70, 1, true, &v) == X86EMUL_OKAY);
    EXPECT(vrtc_io_access(&rtc, 0x71, 1, false, &v) == X86EMUL_OKAY &&
           v == cmos_read(RTC_SECONDS_ALARM));
    v = 0x0e;
    EXPECT(vrtc_io_access(&rtc, 0x70, 1, true, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vrtc_io_access(&rtc, 0x71, 1, false, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vrtc_io_access(&rtc, 0x71, 1, true, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vrtc_io_access(&rtc, 0x72, 1, false, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vrtc_io_access(&rtc, 0x71, 2, false, &v) == X86EMUL_OKAY &&
           v == ~0ULL);
    v = 0;
    EXPECT(vrtc_io_access(&rtc, 0x70, 4, true, &v) == X86EMUL_OKAY);
}

static void random_access(uint64_t r, uint64_t v)
{
    v &= 0xff;
    vrtc_io_access(&rtc, 0x70 + r % 2, (r >> 8) % 9 ? 1 : 4, (r >> 4) & 1, &v);
}

/* Random indices and values: registers stay in their formats. */
static void test_random(void)
{
    vclock_random_round(random_access, 100000000);
    cmos_write(RTC_REG_A, 0x26);
    cmos_write(RTC_REG_B, RTC_24H);
    EXPECT(cmos_read(RTC_SECONDS) <= 0x59 && cmos_read(RTC_HOURS) <= 0x23);
    EXPECT(cmos_read(RTC_REG_D) == RTC_VRT);
}

int main(void)
{
    struct tm tm = {.tm_year = 124,
                    .tm_mon = 1,
                    .tm_mday = 29,
                    .tm_hour = 23,
                    .tm_min = 59,
                    .tm_sec = 50};

    vrtc_init(&rtc, (struct hvm_irq_line){.set = line_set}, timegm(&tm));
    test_time();
    test_uip();
    test_interrupts();
    test_hostile();
    test_random();
    vrtc_destroy(&rtc);
    UNIT_DONE("rtc");
}
