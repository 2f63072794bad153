/* The virtual HPET: counter, comparators, periodic, routing, legacy mode. */
#include <asm-x86/io.h>
#include <asm-x86/hvm/hpet.h>

#include "unit.h"
#include "vclock.h"

static struct vhpet hpet;
static struct vpit pit;
static unsigned int isa_edges[16], gsi_edges[48];
static bool isa_level[16], gsi_level[48];

static void isa_set(void *opaque, unsigned int line, bool l)
{
    (void)opaque;
    if (line >= 16)
        return;
    isa_edges[line] += l && !isa_level[line];
    isa_level[line] = l;
}

static void gsi_set(void *opaque, unsigned int line, bool l)
{
    (void)opaque;
    if (line >= 48)
        return;
    gsi_edges[line] += l && !gsi_level[line];
    gsi_level[line] = l;
}

static uint64_t rd(uint64_t off, unsigned int size)
{
    uint64_t v = 0x5a5a;

    EXPECT(vhpet_mmio_access(&hpet, HPET_BASE_ADDRESS + off, size, false, &v) ==
           X86EMUL_OKAY);
    return v;
}

static void wr(uint64_t off, unsigned int size, uint64_t val)
{
    EXPECT(vhpet_mmio_access(&hpet, HPET_BASE_ADDRESS + off, size, true,
                             &val) == X86EMUL_OKAY);
}

#define TICK STIME_PER_HPET_TICK

static void test_counter(void)
{
    EXPECT(rd(HPET_ID, 8) == 0x00f424008086a201ULL);
    EXPECT(rd(HPET_ID, 4) == 0x8086a201 && rd(HPET_PERIOD, 4) == 16000000);
    wr(HPET_ID, 8, 0);
    EXPECT(rd(HPET_ID, 8) == 0x00f424008086a201ULL);
    for (unsigned int n = 0; n < HPET_TIMER_NUM; n++) {
        EXPECT(
            rd(HPET_Tn_CFG(n), 8) ==
            (HPET_TN_INT_ROUTE_CAP | HPET_TN_64BIT_CAP | HPET_TN_PERIODIC_CAP));
        EXPECT(rd(HPET_Tn_CMP(n), 8) == ~0ULL);
    }
    /* Halted at reset. */
    vclock_advance(1000);
    EXPECT(rd(HPET_COUNTER, 8) == 0);
    wr(HPET_CFG, 8, HPET_CFG_ENABLE);
    vclock_advance(100 * TICK);
    EXPECT(rd(HPET_COUNTER, 8) == 100);
    wr(HPET_CFG, 4, 0);
    vclock_advance(100 * TICK);
    EXPECT(rd(HPET_COUNTER, 8) == 100);
    /* Written while halted, counts on from there; halves readable. */
    wr(HPET_COUNTER, 8, 0xfffffff0ULL);
    wr(HPET_CFG, 4, HPET_CFG_ENABLE);
    vclock_advance(32 * TICK);
    EXPECT(rd(HPET_COUNTER, 4) == 0x10 && rd(HPET_COUNTER + 4, 4) == 1);
    wr(HPET_COUNTER + 4, 4, 0);
    EXPECT(rd(HPET_COUNTER, 8) == 0x10);
    /* Reserved configuration bits stay clear. */
    wr(HPET_CFG, 8, ~0ULL);
    EXPECT(rd(HPET_CFG, 8) == (HPET_CFG_ENABLE | HPET_CFG_LEGACY));
    wr(HPET_CFG, 8, HPET_CFG_ENABLE);
}

static void test_timers(void)
{
    uint64_t cnt, c;
    unsigned int e;

    /* One-shot, 64-bit, edge, to GSI 20: one interrupt at the match. */
    wr(HPET_Tn_CFG(0), 8, HPET_TN_ENABLE | 20 << HPET_TN_ROUTE_SHIFT);
    cnt = rd(HPET_COUNTER, 8);
    wr(HPET_Tn_CMP(0), 8, cnt + 625);
    e = gsi_edges[20];
    vclock_advance(624 * TICK);
    EXPECT(gsi_edges[20] == e);
    vclock_advance(TICK);
    EXPECT(gsi_edges[20] == e + 1 && !gsi_level[20]);
    vclock_advance(SECONDS(1));
    EXPECT(gsi_edges[20] == e + 1);
    /* A comparator already passed does not match until the counter wraps. */
    wr(HPET_Tn_CMP(0), 8, rd(HPET_COUNTER, 8) - 1);
    vclock_advance(SECONDS(1));
    EXPECT(gsi_edges[20] == e + 1);
    /* Routes outside the capability (20-23) interrupt nothing. */
    wr(HPET_Tn_CFG(0), 8, HPET_TN_ENABLE | 5 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(0), 8, rd(HPET_COUNTER, 8) + 10);
    vclock_advance(SECONDS(1));
    EXPECT(gsi_edges[5] == 0);
    /* Interrupt disabled: no interrupt. */
    wr(HPET_Tn_CFG(0), 8, 20 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(0), 8, rd(HPET_COUNTER, 8) + 10);
    vclock_advance(SECONDS(1));
    EXPECT(gsi_edges[20] == e + 1);

    /* Periodic via SETVAL, as Linux programs it: 1 ms on GSI 21. */
    wr(HPET_Tn_CFG(1), 8,
       HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_SETVAL |
           21 << HPET_TN_ROUTE_SHIFT);
    cnt = rd(HPET_COUNTER, 8);
    wr(HPET_Tn_CMP(1), 8, cnt + 62500);
    EXPECT(!(rd(HPET_Tn_CFG(1), 8) & HPET_TN_SETVAL));
    wr(HPET_Tn_CMP(1), 8, 62500);
    e = gsi_edges[21];
    vclock_advance(MILLISECS(1));
    EXPECT(gsi_edges[21] == e + 1);
    vclock_advance(MILLISECS(10));
    EXPECT(gsi_edges[21] == e + 11);
    /* The comparator reads as the next match. */
    c = rd(HPET_Tn_CMP(1), 8);
    EXPECT(c > rd(HPET_COUNTER, 8) && c - rd(HPET_COUNTER, 8) <= 62500);
    /* A tiny period is clamped to 100 us. */
    wr(HPET_Tn_CMP(1), 8, 1);
    vclock_advance(MILLISECS(1)); /* the match already due comes first */
    e = gsi_edges[21];
    vclock_advance(MILLISECS(10));
    EXPECT(gsi_edges[21] - e >= 99 && gsi_edges[21] - e <= 101);
    wr(HPET_Tn_CFG(1), 8, 0);
    e = gsi_edges[21];
    vclock_advance(MILLISECS(10));
    EXPECT(gsi_edges[21] == e);

    /* 32-bit mode truncates the comparator. */
    wr(HPET_Tn_CFG(2), 8, HPET_TN_32BIT);
    wr(HPET_Tn_CMP(2), 8, 0x100000010ULL);
    EXPECT(rd(HPET_Tn_CMP(2), 8) == 0x10);
    /* ... and matches on the low 32 bits of the counter. */
    wr(HPET_CFG, 8, 0);
    wr(HPET_COUNTER, 8, 0x2fffffff0ULL);
    wr(HPET_Tn_CFG(2), 8,
       HPET_TN_32BIT | HPET_TN_ENABLE | 23 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_CFG, 8, HPET_CFG_ENABLE);
    e = gsi_edges[23];
    vclock_advance(31 * TICK);
    EXPECT(gsi_edges[23] == e);
    vclock_advance(TICK);
    EXPECT(gsi_edges[23] == e + 1);

    /* Periodic without a period: one match. 32-bit cuts: still clamped. */
    wr(HPET_Tn_CFG(2), 8,
       HPET_TN_32BIT | HPET_TN_PERIODIC | HPET_TN_SETVAL | HPET_TN_ENABLE |
           23 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(2), 8, rd(HPET_COUNTER, 8) + 10);
    e = gsi_edges[23];
    vclock_advance(MILLISECS(1));
    EXPECT(gsi_edges[23] == e + 1);
    wr(HPET_Tn_CFG(2), 8,
       HPET_TN_PERIODIC | HPET_TN_SETVAL | 23 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(2), 8, rd(HPET_COUNTER, 8) + 10);
    wr(HPET_Tn_CMP(2), 8, 0x100000001ULL);
    wr(HPET_Tn_CFG(2), 8,
       HPET_TN_32BIT | HPET_TN_PERIODIC | HPET_TN_ENABLE |
           23 << HPET_TN_ROUTE_SHIFT);
    e = gsi_edges[23];
    vclock_advance(MILLISECS(1));
    EXPECT(gsi_edges[23] - e >= 9 && gsi_edges[23] - e <= 11);
    wr(HPET_Tn_CFG(2), 8, 0);

    /* Level-triggered: status bit and line held until written 1. */
    wr(HPET_Tn_CFG(2), 8,
       HPET_TN_LEVEL | HPET_TN_ENABLE | 22 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(2), 8, rd(HPET_COUNTER, 8) + 100);
    vclock_advance(100 * TICK);
    EXPECT(rd(HPET_STATUS, 8) == 4 && gsi_level[22]);
    wr(HPET_STATUS, 4, 2); /* not this timer's bit */
    EXPECT(rd(HPET_STATUS, 8) == 4 && gsi_level[22]);
    wr(HPET_STATUS + 4, 4, 0); /* the high half: nothing to clear */
    EXPECT(rd(HPET_STATUS, 8) == 4 && gsi_level[22]);
    wr(HPET_STATUS, 8, 4);
    EXPECT(rd(HPET_STATUS, 8) == 0 && !gsi_level[22]);
    wr(HPET_Tn_CFG(2), 8, 0);

    /* Read-only timer bits cannot be changed. */
    wr(HPET_Tn_CFG(0), 8, ~0ULL);
    EXPECT((rd(HPET_Tn_CFG(0), 8) & ~0x3f4eULL) ==
           (HPET_TN_INT_ROUTE_CAP | HPET_TN_64BIT_CAP | HPET_TN_PERIODIC_CAP));
    wr(HPET_Tn_CFG(0), 8, 0);
}

static void test_legacy(void)
{
    uint64_t v;

    /* Legacy replacement: timer 0 on ISA IRQ 0, timer 1 on IRQ 8. */
    vpit_reset(&pit);
    EXPECT(!pit.irq_disabled);
    wr(HPET_CFG, 8, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
    EXPECT(pit.irq_disabled);
    wr(HPET_Tn_CFG(0), 8,
       HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_SETVAL |
           20 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(0), 8, rd(HPET_COUNTER, 8) + 62500);
    wr(HPET_Tn_CMP(0), 8, 62500);
    wr(HPET_Tn_CFG(1), 8, HPET_TN_ENABLE | 21 << HPET_TN_ROUTE_SHIFT);
    wr(HPET_Tn_CMP(1), 8, rd(HPET_COUNTER, 8) + 100);
    unsigned int g20 = gsi_edges[20], g21 = gsi_edges[21];
    vclock_advance(MILLISECS(5));
    EXPECT(isa_edges[0] == 5 && isa_edges[8] == 1);
    EXPECT(gsi_edges[20] == g20 && gsi_edges[21] == g21);
    /* Legacy off: back to the GSI routes. */
    wr(HPET_CFG, 8, HPET_CFG_ENABLE);
    vclock_advance(MILLISECS(5));
    EXPECT(isa_edges[0] == 5 && gsi_edges[20] == g20 + 5);
    wr(HPET_Tn_CFG(0), 8, 0);

    /* Hostile accesses: wrong sizes, unaligned, holes, outside. */
    EXPECT(rd(HPET_ID, 2) == ~0ULL && rd(HPET_ID, 1) == ~0ULL);
    EXPECT(rd(HPET_ID + 2, 4) == ~0ULL && rd(HPET_PERIOD, 8) == ~0ULL);
    EXPECT(rd(HPET_Tn_CFG(0) + 1, 8) == ~0ULL);
    wr(HPET_CFG + 1, 4, 0);
    wr(HPET_CFG, 2, 0);
    EXPECT(rd(HPET_CFG, 8) == HPET_CFG_ENABLE);
    EXPECT(rd(0x3f8, 8) == 0 && rd(0x040, 8) == 0);
    EXPECT(rd(HPET_Tn_CFG(0) + 0x18, 8) == 0);
    wr(0x3f8, 8, ~0ULL);
    wr(0x040, 8, ~0ULL);
    EXPECT(rd(0x3f8, 8) == 0);
    EXPECT(vhpet_mmio_access(&hpet, HPET_BASE_ADDRESS + HPET_MMAP_SIZE, 4,
                             false, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vhpet_mmio_access(&hpet, HPET_BASE_ADDRESS - 8, 8, false, &v) ==
           X86EMUL_UNHANDLEABLE);
}

static void random_access(uint64_t r, uint64_t v)
{
    static const unsigned int sizes[] = {1, 2, 4, 8};

    /* Small comparators and periods, so timers really fire. */
    if ((r >> 20) & 1)
        v &= 0xffff;
    vhpet_mmio_access(&hpet, HPET_BASE_ADDRESS + (r >> 8) % 0x408, sizes[r % 4],
                      (r >> 4) & 1, &v);
}

/* Random offsets, sizes and values across the whole block. */
static void test_random(void)
{
    vclock_random_round(random_access, 1000000);
    EXPECT(rd(HPET_ID, 8) == 0x00f424008086a201ULL);
}

int main(void)
{
    struct hvm_irq_line isa = {.set = isa_set}, gsi = {.set = gsi_set};

    vpit_init(&pit, isa);
    vhpet_init(&hpet, isa, gsi, &pit);
    test_counter();
    test_timers();
    test_legacy();
    test_random();
    vhpet_destroy(&hpet);
    vpit_destroy(&pit);
    UNIT_DONE("hpet");
}
