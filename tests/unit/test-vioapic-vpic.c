/*
 * IOAPIC, dual PIC and the routing between them and the LAPICs (irq.c),
 * wired as an HVM domain's platform is.
 */
#include <asm-x86/io.h>
#include <asm-x86/hvm/irq.h>

#include "unit.h"
#include "vclock.h"

#define NR 2
static struct vlapic lapics[NR];
static struct vioapic ioapic;
static struct vpic pic;
static struct hvm_irq hirq;
static unsigned int kicks[NR];

static void kick(void *opaque, struct vlapic *l)
{
    (void)opaque;
    kicks[l->vcpu_id]++;
}

static void eoi(void *opaque, uint8_t vector)
{
    (void)opaque;
    vioapic_update_eoi(&ioapic, vector);
}

static const struct vlapic_ops ops = {.kick = kick, .eoi = eoi};

static uint32_t ioapic_read(uint32_t reg)
{
    uint64_t v = reg;

    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00000, 4, true, &v) ==
           X86EMUL_OKAY);
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00010, 4, false, &v) ==
           X86EMUL_OKAY);
    return v;
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
    uint64_t v = reg;

    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00000, 4, true, &v) ==
           X86EMUL_OKAY);
    v = val;
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00010, 4, true, &v) ==
           X86EMUL_OKAY);
}

static void set_rte(unsigned int pin, uint64_t rte)
{
    ioapic_write(VIOAPIC_REG_RTE0 + 2 * pin + 1, rte >> 32);
    ioapic_write(VIOAPIC_REG_RTE0 + 2 * pin, (uint32_t)rte);
}

static uint8_t pic_in(uint16_t port)
{
    uint64_t v = 0;

    EXPECT(vpic_io_access(&pic, port, 1, false, &v) == X86EMUL_OKAY);
    return v;
}

static void pic_out(uint16_t port, uint8_t val)
{
    uint64_t v = val;

    EXPECT(vpic_io_access(&pic, port, 1, true, &v) == X86EMUL_OKAY);
}

/* What a BIOS does: master at 0x20, slave at 0x28, cascade on IRQ 2. */
static void pic_program(uint8_t icw4)
{
    pic_out(0x20, 0x11);
    pic_out(0x21, 0x20);
    pic_out(0x21, 0x04);
    pic_out(0x21, icw4);
    pic_out(0xa0, 0x11);
    pic_out(0xa1, 0x28);
    pic_out(0xa1, 0x02);
    pic_out(0xa1, icw4);
}

/* Take the next interrupt of vCPU 0 the way the engine will. */
static int take(uint8_t src)
{
    struct hvm_intack ack = hvm_vcpu_ack_pending_irq(&hirq, 0);

    if (ack.source != src)
        return -1;
    return ack.vector;
}

static void lapic_eoi(struct vlapic *l)
{
    uint64_t v = 0;

    EXPECT(vlapic_mmio_access(l, APIC_DEFAULT_PHYS_BASE + APIC_EOI, 4, true,
                              &v) == X86EMUL_OKAY);
}

static bool remote_irr(unsigned int pin)
{
    return ioapic_read(VIOAPIC_REG_RTE0 + 2 * pin) & IOAPIC_RTE_REMOTE_IRR;
}

static void test_ioapic(void)
{
    struct vlapic *a = &lapics[0], *b = &lapics[1];
    uint64_t v;

    EXPECT(ioapic_read(VIOAPIC_REG_VERSION) == (47U << 16 | 0x11));
    ioapic_write(VIOAPIC_REG_VERSION, 0);
    EXPECT(ioapic_read(VIOAPIC_REG_VERSION) == (47U << 16 | 0x11));
    ioapic_write(VIOAPIC_REG_APIC_ID, 0x0b000000);
    EXPECT(ioapic_read(VIOAPIC_REG_APIC_ID) == 0x0b000000);
    ioapic_write(VIOAPIC_REG_APIC_ID, 0);
    for (unsigned int pin = 0; pin < VIOAPIC_NUM_PINS; pin++)
        EXPECT(ioapic_read(VIOAPIC_REG_RTE0 + 2 * pin) & IOAPIC_RTE_MASKED);

    /* Edge pin: one message per rising edge. */
    set_rte(5, 0x55);
    EXPECT(ioapic_read(VIOAPIC_REG_RTE0 + 10) == 0x55);
    hvm_gsi_assert(&hirq, 5);
    EXPECT(vlapic_has_pending_irq(a) == 0x55);
    EXPECT(take(hvm_intsrc_lapic) == 0x55);
    lapic_eoi(a);
    hvm_gsi_assert(&hirq, 5); /* shared line, still high: no new edge */
    EXPECT(vlapic_has_pending_irq(a) < 0);
    hvm_gsi_deassert(&hirq, 5);
    hvm_gsi_deassert(&hirq, 5);
    hvm_gsi_assert(&hirq, 5);
    EXPECT(take(hvm_intsrc_lapic) == 0x55);
    lapic_eoi(a);
    hvm_gsi_deassert(&hirq, 5);

    /* Level pin to vCPU 1: remote IRR until EOI; re-sent while asserted. */
    set_rte(10, (2ULL << IOAPIC_RTE_DEST_SHIFT) | IOAPIC_RTE_LEVEL | 0x5a);
    /* Guest writes cannot set remote IRR or delivery status. */
    EXPECT(!remote_irr(10));
    hvm_gsi_assert(&hirq, 10);
    EXPECT(remote_irr(10) && vlapic_has_pending_irq(b) == 0x5a);
    EXPECT(vlapic_has_pending_irq(a) < 0);
    vlapic_ack_irq(b, 0x5a);
    lapic_eoi(b);
    EXPECT(remote_irr(10) && vlapic_has_pending_irq(b) == 0x5a);
    hvm_gsi_deassert(&hirq, 10);
    vlapic_ack_irq(b, 0x5a);
    lapic_eoi(b);
    EXPECT(!remote_irr(10) && vlapic_has_pending_irq(b) < 0);

    /* Masked: nothing; unmasking an asserted level pin delivers it. */
    set_rte(11, IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x5b);
    hvm_gsi_assert(&hirq, 11);
    EXPECT(vlapic_has_pending_irq(a) < 0 && !remote_irr(11));
    set_rte(11, IOAPIC_RTE_LEVEL | 0x5b);
    EXPECT(take(hvm_intsrc_lapic) == 0x5b && remote_irr(11));
    hvm_gsi_deassert(&hirq, 11);
    lapic_eoi(a);
    EXPECT(!remote_irr(11));

    /* Logical destination to both, lowest priority: exactly one gets it. */
    vlapic_mmio_access(a, APIC_DEFAULT_PHYS_BASE + APIC_LDR, 4, true,
                       &(uint64_t){0x01000000});
    vlapic_mmio_access(b, APIC_DEFAULT_PHYS_BASE + APIC_LDR, 4, true,
                       &(uint64_t){0x02000000});
    set_rte(20, (3ULL << IOAPIC_RTE_DEST_SHIFT) | IOAPIC_RTE_DEST_LOGICAL |
                    APIC_DM_LOWEST | 0x60);
    hvm_gsi_assert(&hirq, 20);
    EXPECT((vlapic_has_pending_irq(a) == 0x60) !=
           (vlapic_has_pending_irq(b) == 0x60));
    hvm_gsi_deassert(&hirq, 20);
    take(hvm_intsrc_lapic);
    lapic_eoi(a);
    vlapic_ack_irq(b, 0x60);
    lapic_eoi(b);
    /* NMI delivery mode. */
    set_rte(21, (2ULL << IOAPIC_RTE_DEST_SHIFT) | APIC_DM_NMI);
    hvm_gsi_assert(&hirq, 21);
    EXPECT(vlapic_take_nmi(b));
    hvm_gsi_deassert(&hirq, 21);

    /* Hostile accesses: bounded, harmless. */
    ioapic_write(VIOAPIC_REG_RTE0 + 2 * VIOAPIC_NUM_PINS, 0x77);
    EXPECT(ioapic_read(VIOAPIC_REG_RTE0 + 2 * VIOAPIC_NUM_PINS) == 0);
    EXPECT(ioapic_read(0xff) == 0 && ioapic_read(0x03) == 0);
    v = 0;
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00010, 1, false, &v) ==
               X86EMUL_OKAY &&
           v == ~0ULL);
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00012, 4, false, &v) ==
               X86EMUL_OKAY &&
           v == ~0ULL);
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00010, 8, true, &v) ==
           X86EMUL_OKAY);
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00040, 4, false, &v) ==
               X86EMUL_OKAY &&
           v == 0);
    EXPECT(vioapic_mmio_access(&ioapic, 0xfec00100, 4, false, &v) ==
           X86EMUL_UNHANDLEABLE);
    vioapic_set_irq(&ioapic, VIOAPIC_NUM_PINS, true);
    vioapic_set_irq(&ioapic, ~0U, true);
    hvm_gsi_assert(&hirq, 1000);
    hvm_gsi_deassert(&hirq, 7); /* never asserted: count stays 0 */
    EXPECT(hirq.gsi_assert_count[7] == 0);
    EXPECT(vlapic_has_pending_irq(a) < 0 && vlapic_has_pending_irq(b) < 0);
    /* The PIC tests below use the same ISA lines. */
    for (unsigned int pin = 0; pin < VIOAPIC_NUM_PINS; pin++)
        set_rte(pin, IOAPIC_RTE_MASKED);
}

static void test_pic(void)
{
    uint64_t v;

    /* LVT0 of vCPU 0 as ExtINT: the PIC's output reaches vCPU 0. */
    vlapic_mmio_access(&lapics[0], APIC_DEFAULT_PHYS_BASE + APIC_LVT0, 4, true,
                       &(uint64_t){APIC_DM_EXTINT});
    pic_program(0x01);
    EXPECT(pic_in(0x21) == 0 && pic_in(0xa1) == 0);
    pic_out(0x21, 0xff);
    pic_out(0xa1, 0xff);
    EXPECT(pic_in(0x21) == 0xff);

    /* Masked: IRR latches, no output; unmasking raises INT. */
    hvm_isa_irq_assert(&hirq, 1);
    EXPECT(!vpic_int_output(&pic) && (pic_in(0x20) & 0x02));
    unsigned int k = kicks[0];
    pic_out(0x21, 0xf9);
    EXPECT(vpic_int_output(&pic) && kicks[0] > k);
    EXPECT(hvm_vcpu_has_pending_irq(&hirq, 0).source == hvm_intsrc_pic);
    EXPECT(hvm_vcpu_has_pending_irq(&hirq, 1).source == hvm_intsrc_none);
    EXPECT(take(hvm_intsrc_pic) == 0x21);
    EXPECT(!vpic_int_output(&pic) && !(pic_in(0x20) & 0x02));
    pic_out(0x20, 0x0b); /* OCW3: read ISR */
    EXPECT(pic_in(0x20) == 0x02);
    pic_out(0x20, 0x20); /* non-specific EOI */
    EXPECT(pic_in(0x20) == 0);
    pic_out(0x20, 0x0a); /* back to IRR */
    hvm_isa_irq_deassert(&hirq, 1);

    /* Priority and nesting: IRQ 3 before 4; 4 waits while 3 is served. */
    pic_out(0x21, 0xe1);
    hvm_isa_irq_assert(&hirq, 4);
    hvm_isa_irq_assert(&hirq, 3);
    EXPECT(take(hvm_intsrc_pic) == 0x23);
    EXPECT(!vpic_int_output(&pic));
    hvm_isa_irq_assert(&hirq, 1); /* higher than 3: nests */
    EXPECT(take(hvm_intsrc_pic) == 0x21);
    pic_out(0x20, 0x20); /* EOI retires 1, the highest in service */
    EXPECT(!vpic_int_output(&pic));
    pic_out(0x20, 0x63); /* specific EOI of 3 */
    EXPECT(take(hvm_intsrc_pic) == 0x24);
    pic_out(0x20, 0x64);
    for (unsigned int i = 1; i <= 4; i++)
        hvm_isa_irq_deassert(&hirq, i);

    /* Set priority: IRQ 4 lowest, so 5 is highest and 1 comes after 6. */
    pic_out(0x21, 0xbd);
    pic_out(0x20, 0xc4);
    hvm_isa_irq_assert(&hirq, 1);
    hvm_isa_irq_assert(&hirq, 6);
    EXPECT(take(hvm_intsrc_pic) == 0x26);
    /* Rotate on non-specific EOI: 6 becomes lowest, 7 highest. */
    pic_out(0x20, 0xa0);
    EXPECT(take(hvm_intsrc_pic) == 0x21);
    pic_out(0x20, 0x20);
    hvm_isa_irq_deassert(&hirq, 1);
    hvm_isa_irq_deassert(&hirq, 6);
    pic_out(0x20, 0xc7); /* back to IRQ 0 highest */

    /* Cascade: slave IRQ 10 through master IRQ 2. */
    pic_out(0x21, 0xfb);
    pic_out(0xa1, 0xfb);
    hvm_isa_irq_assert(&hirq, 10);
    EXPECT(vpic_int_output(&pic));
    EXPECT(take(hvm_intsrc_pic) == 0x2a);
    pic_out(0x20, 0x0b);
    pic_out(0xa0, 0x0b);
    EXPECT(pic_in(0x20) == 0x04 && pic_in(0xa0) == 0x04);
    pic_out(0xa0, 0x20);
    pic_out(0x20, 0x20);
    EXPECT(pic_in(0x20) == 0 && pic_in(0xa0) == 0);
    pic_out(0x20, 0x0a);
    pic_out(0xa0, 0x0a);
    hvm_isa_irq_deassert(&hirq, 10);

    /* ELCR: only the PIIX's level-capable IRQs; level IRR follows line. */
    pic_out(0x4d0, 0xff);
    pic_out(0x4d1, 0xff);
    EXPECT(pic_in(0x4d0) == 0xf8 && pic_in(0x4d1) == 0xde);
    pic_out(0x4d0, 0);
    pic_out(0x4d1, 0x02); /* IRQ 9 level */
    pic_out(0xa1, 0xfd);
    hvm_isa_irq_assert(&hirq, 9);
    EXPECT(take(hvm_intsrc_pic) == 0x29);
    EXPECT(pic_in(0xa0) & 0x02); /* still requested while high */
    pic_out(0xa0, 0x20);
    pic_out(0x20, 0x20);
    EXPECT(vpic_int_output(&pic)); /* level: it asks again */
    hvm_isa_irq_deassert(&hirq, 9);
    EXPECT(!vpic_int_output(&pic) && !(pic_in(0xa0) & 0x02));
    /* Edge: a pulse is remembered after the line drops. */
    pic_out(0x4d1, 0);
    hvm_isa_irq_assert(&hirq, 9);
    hvm_isa_irq_deassert(&hirq, 9);
    EXPECT(take(hvm_intsrc_pic) == 0x29);
    pic_out(0xa0, 0x20);
    pic_out(0x20, 0x20);
    pic_out(0xa1, 0xff);

    /* Auto-EOI: nothing stays in service. */
    pic_program(0x03);
    pic_out(0x21, 0xfe);
    pic_out(0xa1, 0xff);
    hvm_isa_irq_assert(&hirq, 0);
    EXPECT(take(hvm_intsrc_pic) == 0x20);
    pic_out(0x20, 0x0b);
    EXPECT(pic_in(0x20) == 0);
    hvm_isa_irq_deassert(&hirq, 0);

    /* Poll: a read answers 0x80 | IRQ and takes it; 0 when idle. */
    pic_program(0x01);
    pic_out(0x21, 0xff);
    pic_out(0xa1, 0xff);
    hvm_isa_irq_assert(&hirq, 5);
    pic_out(0x21, 0xdf);
    pic_out(0x20, 0x0c);
    EXPECT(pic_in(0x20) == 0x85);
    pic_out(0x20, 0x0c);
    EXPECT(pic_in(0x20) == 0);
    pic_out(0x20, 0x20);
    hvm_isa_irq_deassert(&hirq, 5);

    /* Special mask mode: a lower IRQ may interrupt a masked higher one. */
    pic_out(0x21, 0xe7);
    hvm_isa_irq_assert(&hirq, 3);
    EXPECT(take(hvm_intsrc_pic) == 0x23);
    pic_out(0x21, 0xef); /* mask the IRQ in service */
    pic_out(0x20, 0x68); /* set special mask mode */
    hvm_isa_irq_assert(&hirq, 4);
    pic_out(0x21, 0xe7);
    EXPECT(!vpic_int_output(&pic)); /* 3 unmasked and in service: blocks 4 */
    pic_out(0x21, 0xef);
    EXPECT(take(hvm_intsrc_pic) == 0x24);
    pic_out(0x20, 0x48); /* reset special mask mode */
    pic_out(0x20, 0x64);
    pic_out(0x20, 0x63);
    hvm_isa_irq_deassert(&hirq, 3);
    hvm_isa_irq_deassert(&hirq, 4);

    /* Hostile: wrong sizes, unknown ports, bad IRQ numbers. */
    v = 0;
    EXPECT(vpic_io_access(&pic, 0x21, 2, false, &v) == X86EMUL_OKAY &&
           v == ~0ULL);
    v = 0;
    EXPECT(vpic_io_access(&pic, 0x21, 4, true, &v) == X86EMUL_OKAY);
    EXPECT(pic_in(0x21) == 0xef);
    EXPECT(vpic_io_access(&pic, 0x22, 1, false, &v) == X86EMUL_UNHANDLEABLE);
    EXPECT(vpic_io_access(&pic, 0x4d2, 1, false, &v) == X86EMUL_UNHANDLEABLE);
    vpic_irq_set(&pic, 2, true);
    vpic_irq_set(&pic, 16, true);
    hvm_isa_irq_assert(&hirq, 16);
    EXPECT(!vpic_int_output(&pic));
}

static void test_routing(void)
{
    /* ISA IRQ 0 is GSI 2 on the IOAPIC, and IRQ 0 on the PIC. */
    EXPECT(hvm_isa_irq_to_gsi(0) == 2 && hvm_isa_irq_to_gsi(8) == 8);
    set_rte(2, 0x70);
    pic_out(0x21, 0xfe);
    hvm_isa_irq_assert(&hirq, 0);
    EXPECT(vpic_int_output(&pic));
    /* The LAPIC's vector comes before the PIC's. */
    EXPECT(hvm_vcpu_has_pending_irq(&hirq, 0).source == hvm_intsrc_lapic);
    EXPECT(take(hvm_intsrc_lapic) == 0x70);
    lapic_eoi(&lapics[0]);
    EXPECT(take(hvm_intsrc_pic) == 0x20);
    pic_out(0x20, 0x20);
    hvm_isa_irq_deassert(&hirq, 0);
    /* NMI before anything. */
    hvm_isa_irq_assert(&hirq, 0);
    vlapic_deliver(lapics, NR, 0, false, APIC_DM_NMI, 0, false);
    EXPECT(hvm_vcpu_has_pending_irq(&hirq, 0).source == hvm_intsrc_nmi);
    EXPECT(take(hvm_intsrc_nmi) == 2);
    EXPECT(take(hvm_intsrc_lapic) == 0x70);
    lapic_eoi(&lapics[0]);
    EXPECT(take(hvm_intsrc_pic) == 0x20);
    pic_out(0x20, 0x20);
    hvm_isa_irq_deassert(&hirq, 0);
    EXPECT(take(hvm_intsrc_none) == 0);
    /* Masked LVT0: the PIC no longer reaches the vCPU. */
    vlapic_mmio_access(&lapics[0], APIC_DEFAULT_PHYS_BASE + APIC_LVT0, 4, true,
                       &(uint64_t){APIC_LVT_MASKED | APIC_DM_EXTINT});
    set_rte(2, IOAPIC_RTE_MASKED);
    hvm_isa_irq_assert(&hirq, 0);
    EXPECT(vpic_int_output(&pic));
    EXPECT(hvm_vcpu_has_pending_irq(&hirq, 0).source == hvm_intsrc_none);
    hvm_isa_irq_deassert(&hirq, 0);
    EXPECT(hvm_vcpu_ack_pending_irq(&hirq, 9).source == hvm_intsrc_none);
}

/* Random writes to every port and register, and random lines. */
static void test_random(void)
{
    static const uint16_t ports[] = {0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1};
    uint64_t v;

    for (int i = 0; i < 200000; i++) {
        uint64_t r = rnd();

        v = rnd();
        switch (r % 4) {
        case 0:
            vpic_io_access(&pic, ports[(r >> 8) % 6], (r >> 16) % 3 ? 1 : 2,
                           (r >> 4) & 1, &v);
            break;
        case 1:
            vioapic_mmio_access(&ioapic, 0xfec00000 + (r >> 8) % 0x104,
                                (r >> 16) % 2 ? 4 : 1, (r >> 4) & 1, &v);
            break;
        case 2:
            if ((r >> 4) & 1)
                hvm_isa_irq_assert(&hirq, (r >> 8) % 17);
            else
                hvm_isa_irq_deassert(&hirq, (r >> 8) % 17);
            break;
        default:
            if ((r >> 4) & 1)
                hvm_gsi_assert(&hirq, (r >> 8) % 50);
            else
                hvm_gsi_deassert(&hirq, (r >> 8) % 50);
            break;
        }
        if (!(i % 16)) {
            struct hvm_intack a = hvm_vcpu_ack_pending_irq(&hirq, rnd() % NR);

            if (a.source == hvm_intsrc_lapic) {
                lapic_eoi(&lapics[0]);
                lapic_eoi(&lapics[1]);
            }
        }
    }
    /* Unbalanced asserts saturate; the line still comes down. */
    for (unsigned int i = 0; i < 300; i++)
        hvm_gsi_assert(&hirq, 30);
    EXPECT(hirq.gsi_assert_count[30] == UINT8_MAX && ioapic.line[30]);
    for (unsigned int pin = 0; pin < VIOAPIC_NUM_PINS; pin++) {
        for (unsigned int isa = 0; isa < NR_ISAIRQS; isa++)
            hvm_isa_irq_deassert(&hirq, isa);
        while (hirq.gsi_assert_count[pin])
            hvm_gsi_deassert(&hirq, pin);
        EXPECT(!ioapic.line[pin]);
    }
}

int main(void)
{
    hvm_irq_init(&hirq, &pic, &ioapic, lapics, NR);
    for (int i = 0; i < NR; i++) {
        vlapic_init(&lapics[i], lapics, NR, i, &ops, 0);
        vlapic_mmio_access(&lapics[i], APIC_DEFAULT_PHYS_BASE + APIC_SPIV, 4,
                           true, &(uint64_t){0x1ff});
    }
    vpic_init(&pic, hvm_irq_pic_output, &hirq);
    vioapic_init(&ioapic, &hirq.ioapic_ops);
    test_ioapic();
    test_pic();
    test_routing();
    test_random();
    vioapic_destroy(&ioapic);
    vpic_destroy(&pic);
    hvm_irq_destroy(&hirq);
    for (int i = 0; i < NR; i++)
        vlapic_destroy(&lapics[i]);
    UNIT_DONE("vioapic-vpic");
}
