/* ACPI PM timer and PM1 registers, ACPI poweroff, and the reset ports. */
#include <asm-x86/io.h>
#include <asm-x86/hvm/pmtimer.h>
#include <asm-x86/hvm/reset.h>

#include "unit.h"
#include "vclock.h"

static struct vpmtimer pm, pm24;
static struct vreset rst;
static bool sci;
static unsigned int poweroffs, resets;

static void line_set(void *opaque, unsigned int line, bool l)
{
    (void)opaque;
    if (line == SCI_IRQ)
        sci = l;
}

static void poweroff(void *opaque)
{
    (void)opaque;
    poweroffs++;
}

static void reset(void *opaque)
{
    (void)opaque;
    resets++;
}

static uint64_t in(struct vpmtimer *p, uint16_t port, unsigned int size)
{
    uint64_t v = 0x5a5a;

    EXPECT(vpmtimer_io_access(p, port, size, false, &v) == X86EMUL_OKAY);
    return v;
}

static void out(struct vpmtimer *p, uint16_t port, unsigned int size,
                uint64_t val)
{
    EXPECT(vpmtimer_io_access(p, port, size, true, &val) == X86EMUL_OKAY);
}

#define STS ACPI_PM1A_EVT_BLK_ADDRESS_V1
#define EN (ACPI_PM1A_EVT_BLK_ADDRESS_V1 + 2)
#define CNT ACPI_PM1A_CNT_BLK_ADDRESS_V1
#define TMR ACPI_PM_TMR_BLK_ADDRESS_V1

static void test_timer(void)
{
    uint32_t prev, v;

    /* 3.579545 MHz. */
    EXPECT(in(&pm, TMR, 4) == 0);
    vclock_advance(SECONDS(1));
    EXPECT(in(&pm, TMR, 4) == FREQUENCE_PMTIMER);
    vclock_advance(1000);
    EXPECT(in(&pm, TMR, 4) == FREQUENCE_PMTIMER + 3);
    vclock_advance(MILLISECS(100));
    EXPECT(in(&pm, TMR, 4) == 1100001000ULL * FREQUENCE_PMTIMER / SECONDS(1));
    /* Monotonic over many reads at uneven steps. */
    prev = in(&pm, TMR, 4);
    for (unsigned int i = 0; i < 10000; i++) {
        vclock_advance((i * 7919) % 1000);
        v = in(&pm, TMR, 4);
        EXPECT(v >= prev);
        prev = v;
    }
    /* The 24-bit counter wraps at 2^24 and never shows bit 24. */
    vclock_advance(SECONDS(4));
    EXPECT(in(&pm24, TMR, 4) <= 0xffffff);
    EXPECT(in(&pm24, STS, 2) & TMR_STS); /* bit 23 toggled */
    out(&pm24, STS, 2, TMR_STS);
    EXPECT(!(in(&pm24, STS, 2) & TMR_STS));
    prev = in(&pm24, TMR, 4);
    vclock_advance(SECONDS(1));
    v = in(&pm24, TMR, 4);
    EXPECT(v == ((uint64_t)prev + FREQUENCE_PMTIMER) % (1U << 24));
    EXPECT(!sci);

    /* 32-bit: TMR_STS when bit 31 toggles (~600 s); SCI with TMR_EN. */
    EXPECT(!(in(&pm, STS, 2) & TMR_STS));
    out(&pm, EN, 2, TMR_EN);
    EXPECT(in(&pm, EN, 2) == TMR_EN);
    v = in(&pm, TMR, 4);
    vclock_advance(((1ULL << 31) - v) * SECONDS(1) / FREQUENCE_PMTIMER -
                   MILLISECS(1));
    EXPECT(!sci && !(in(&pm, STS, 2) & TMR_STS));
    vclock_advance(MILLISECS(2));
    EXPECT(sci && (in(&pm, STS, 2) & TMR_STS));
    out(&pm, STS, 2, TMR_STS);
    EXPECT(!sci);
    out(&pm, EN, 2, 0);
}

static void test_pm1(void)
{
    /* Enable bits: only the defined ones stick. */
    out(&pm, EN, 2, 0xffff);
    EXPECT(in(&pm, EN, 2) ==
           (TMR_EN | GBL_EN | PWRBTN_EN | SLPBTN_EN | RTC_EN));
    out(&pm, EN, 2, 0);
    /* Power button: status always, SCI only when enabled. */
    pmtimer_power_button(&pm);
    EXPECT((in(&pm, STS, 2) & PWRBTN_STS) && !sci);
    EXPECT(in(&pm, STS + 1, 1) & 0x01);
    EXPECT((in(&pm, STS, 4) & 0xffff) == in(&pm, STS, 2));
    out(&pm, EN + 1, 1, PWRBTN_EN >> 8);
    EXPECT(sci);
    /* Writing 0 clears nothing; writing 1 clears. */
    out(&pm, STS, 2, 0);
    EXPECT(sci);
    out(&pm, STS, 4, (uint32_t)PWRBTN_EN << 16 | PWRBTN_STS);
    EXPECT(!sci && !(in(&pm, STS, 2) & PWRBTN_STS));
    EXPECT(in(&pm, EN, 2) == PWRBTN_EN);
    out(&pm, EN, 2, 0);

    /* PM1 control: SCI_EN and SLP_TYP stick, SLP_EN reads 0. */
    out(&pm, CNT, 2, SCI_EN);
    EXPECT(in(&pm, CNT, 2) == SCI_EN);
    /* Sleep types other than S5 do nothing here. */
    out(&pm, CNT, 2, SCI_EN | 5 << SLP_TYP_SHIFT | SLP_EN);
    EXPECT(poweroffs == 0 && in(&pm, CNT, 2) == (SCI_EN | 5 << SLP_TYP_SHIFT));
    /* SLP_TYP of S5 without SLP_EN: nothing yet. */
    out(&pm, CNT, 2, SCI_EN);
    EXPECT(poweroffs == 0);
    /* S5 + SLP_EN: poweroff. Also as a byte write of the high half. */
    out(&pm, CNT, 2, SCI_EN | ACPI_S5_SLP_TYP << SLP_TYP_SHIFT | SLP_EN);
    EXPECT(poweroffs == 1 && in(&pm, CNT, 2) == SCI_EN);
    out(&pm, CNT + 1, 1, SLP_EN >> 8);
    EXPECT(poweroffs == 2);
}

static void test_hostile(void)
{
    uint64_t v;

    EXPECT(in(&pm, TMR, 2) == ~0ULL && in(&pm, TMR + 1, 1) == ~0ULL);
    EXPECT(in(&pm, TMR, 8) == ~0ULL);
    out(&pm, TMR, 4, 0);
    EXPECT(in(&pm, TMR, 4) != 0);
    EXPECT(in(&pm, EN, 4) == ~0ULL && in(&pm, STS + 1, 2) == 0);
    EXPECT(in(&pm, STS, 3) == ~0ULL && in(&pm, STS, 8) == ~0ULL);
    EXPECT(in(&pm, CNT, 4) == ~0ULL && in(&pm, CNT + 1, 2) == ~0ULL);
    out(&pm, CNT, 4, SLP_EN);
    out(&pm, CNT + 1, 2, SLP_EN >> 8);
    EXPECT(poweroffs == 2);
    EXPECT(vpmtimer_io_access(&pm, CNT + 2, 1, false, &v) ==
           X86EMUL_UNHANDLEABLE);
    EXPECT(vpmtimer_io_access(&pm, TMR + 4, 4, false, &v) ==
           X86EMUL_UNHANDLEABLE);
    EXPECT(vpmtimer_io_access(&pm, STS - 1, 1, false, &v) ==
           X86EMUL_UNHANDLEABLE);
}

static uint64_t rin(uint16_t port)
{
    uint64_t v = 0x5a;

    EXPECT(vreset_io_access(&rst, port, 1, false, &v) == X86EMUL_OKAY);
    return v;
}

static void rout(uint16_t port, uint8_t val)
{
    uint64_t v = val;

    EXPECT(vreset_io_access(&rst, port, 1, true, &v) == X86EMUL_OKAY);
}

static void test_reset(void)
{
    uint64_t v = 0;

    EXPECT(rin(SYSCTL_PORT_A) == SYSCTL_A20);
    rout(SYSCTL_PORT_A, SYSCTL_A20);
    EXPECT(resets == 0);
    rout(SYSCTL_PORT_A, SYSCTL_A20 | SYSCTL_FAST_RESET);
    EXPECT(resets == 1 && rin(SYSCTL_PORT_A) == SYSCTL_A20);
    rout(RST_CNT_PORT, RST_CNT_SYS_RST);
    EXPECT(resets == 1 && rin(RST_CNT_PORT) == RST_CNT_SYS_RST);
    /* The FADT's reset value. */
    rout(RST_CNT_PORT, 6);
    EXPECT(resets == 2);
    /* PCI's config address register is not ours. */
    EXPECT(vreset_io_access(&rst, 0xcf8, 4, true, &v) == X86EMUL_UNHANDLEABLE);
    v = 6;
    EXPECT(vreset_io_access(&rst, RST_CNT_PORT, 2, true, &v) ==
           X86EMUL_UNHANDLEABLE);
    EXPECT(resets == 2);
}

static void random_access(uint64_t r, uint64_t v)
{
    v &= ~(uint64_t)SLP_EN & ~(uint64_t)(SLP_EN >> 8);
    vpmtimer_io_access(&pm, STS + (r >> 8) % 14, 1U << (r % 4), (r >> 4) & 1,
                       &v);
}

/* Random ports, sizes and values; only S5 + SLP_EN powers off. */
static void test_random(void)
{
    unsigned int before = poweroffs;

    vclock_random_round(random_access, 100000000);
    EXPECT(poweroffs == before);
}

int main(void)
{
    struct hvm_irq_line isa = {.set = line_set};

    vpmtimer_init(&pm, isa, true, poweroff, NULL);
    vpmtimer_init(&pm24, isa, false, NULL, NULL);
    vreset_init(&rst, reset, NULL);
    test_timer();
    test_pm1();
    test_hostile();
    test_reset();
    test_random();
    vpmtimer_destroy(&pm);
    vpmtimer_destroy(&pm24);
    vreset_destroy(&rst);
    UNIT_DONE("pmtimer");
}
