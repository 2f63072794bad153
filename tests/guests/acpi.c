/*
 * The ACPI tables the builder gives the guest: RSDP (from
 * hvm_start_info.rsdp_paddr) -> XSDT -> FADT, MADT (and HPET), each with
 * its signature, length and checksum, inside memory the memory map marks
 * ACPI. The MADT has one enabled LAPIC (APIC ID 2n) per vCPU.
 *
 * PVH (default): no IOAPIC, no HPET, no PM timer, no \_S5.
 * cmdline=hvm (a type=hvm domain): IOAPIC at 0xfec00000 with ISA IRQ 0
 * on GSI 2, HPET at 0xfed00000, the PM blocks at Xen's version-1 ports,
 * \_S5 in the DSDT; then the guest powers off by writing SLP_EN with
 * \_S5's SLP_TYP to PM1a_CNT. acpi.sh checks the poweroff.
 */
#include "guest.h"
#include "platform.h"

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum;
    uint8_t reserved[3];
} __packed;

struct sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __packed;

/* FADT fields by their offsets in the ACPI specification. */
#define FADT_DSDT 40
#define FADT_SCI_INT 46
#define FADT_PM1A_EVT 56
#define FADT_PM1A_CNT 64
#define FADT_PM_TMR 76
#define FADT_PM1_CNT_LEN 89
#define FADT_PM_TMR_LEN 91

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_ISO 2
#define MADT_X2APIC 9

#define SLP_EN (1U << 13)
#define SLP_TYP_SHIFT 10

static bool hvm;

static uint8_t sum(const void *p, uint32_t len)
{
    uint8_t s = 0;

    for (uint32_t i = 0; i < len; i++)
        s += ((const uint8_t *)p)[i];
    return s;
}

static uint32_t rd32(const void *table, unsigned int off)
{
    uint32_t v;

    memcpy(&v, (const uint8_t *)table + off, 4);
    return v;
}

/* Is [addr, addr + len) inside a memory-map entry of type ACPI? */
static bool in_acpi_memory(uint64_t addr, uint64_t len)
{
    const struct hvm_memmap_table_entry *m =
        (const void *)(unsigned long)start_info->memmap_paddr;

    for (unsigned int i = 0; i < start_info->memmap_entries; i++)
        if (m[i].type == XEN_HVM_MEMMAP_TYPE_ACPI && addr >= m[i].addr &&
            addr + len <= m[i].addr + m[i].size)
            return true;
    return false;
}

static const struct sdt_header *table_at(uint64_t addr, const char *sig)
{
    const struct sdt_header *h = (const void *)(unsigned long)addr;

    check(addr && addr < (1ULL << 32), "%s at %#llx", sig,
          (unsigned long long)addr);
    check(in_acpi_memory(addr, sizeof(*h)), "%s header outside ACPI memory",
          sig);
    check(!memcmp(h->signature, sig, 4), "signature of %s", sig);
    check(h->length >= sizeof(*h) && in_acpi_memory(addr, h->length),
          "%s: length %u", sig, h->length);
    check_eq(sum(h, h->length), 0);
    return h;
}

static unsigned int nr_vcpus(void)
{
    unsigned int n = 1;

    while (n < 256 && HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) != -ENOENT)
        n++;
    return n;
}

static void check_madt(const struct sdt_header *madt)
{
    const uint8_t *p = (const uint8_t *)madt + 44, *end;
    unsigned int lapics = 0, ioapics = 0, vcpus = nr_vcpus();
    bool irq0_on_gsi2 = false;

    end = (const uint8_t *)madt + madt->length;
    check_eq(rd32(madt, 36), 0xfee00000);
    for (; p < end; p += p[1]) {
        check(p[1] >= 2 && p + p[1] <= end, "MADT entry of length %u", p[1]);
        switch (p[0]) {
        case MADT_LAPIC:
            check_eq(p[2], lapics);
            check_eq(p[3], 2 * lapics);
            check(rd32(p, 4) & 1, "LAPIC %u disabled", lapics);
            lapics++;
            break;
        case MADT_IOAPIC:
            check_eq(rd32(p, 4), IOAPIC_BASE);
            check_eq(rd32(p, 8), 0);
            ioapics++;
            break;
        case MADT_ISO:
            if (p[3] == 0)
                irq0_on_gsi2 = rd32(p, 4) == 2;
            break;
        default:
            fail("unexpected MADT entry type %u", p[0]);
        }
    }
    check_eq(lapics, vcpus);
    check_eq(ioapics, hvm ? 1 : 0);
    check(irq0_on_gsi2 == hvm, "ISA IRQ 0 -> GSI 2 override: %d", irq0_on_gsi2);
    printk("MADT: %u LAPICs for %u vCPUs, %u IOAPIC\n", lapics, vcpus, ioapics);
}

/*
 * The SLP_TYP of \_S5 in the DSDT: Name (\_S5, Package () { typ, ...}),
 * or -1 if there is none.
 */
static int s5_slp_typ(const struct sdt_header *dsdt)
{
    const uint8_t *aml = (const uint8_t *)(dsdt + 1);
    uint32_t len = dsdt->length - sizeof(*dsdt);

    for (uint32_t i = 0; i + 8 < len; i++) {
        const uint8_t *e;

        if (memcmp(aml + i, "_S5_", 4) || aml[i + 4] != 0x12)
            continue;
        /* PackageOp, a one-byte PkgLength, NumElements, the element. */
        check(!(aml[i + 5] & 0xc0), "long \\_S5 package");
        e = aml + i + 7;
        if (e[0] == 0x00 || e[0] == 0x01)
            return e[0];      /* ZeroOp, OneOp */
        check_eq(e[0], 0x0a); /* BytePrefix */
        return e[1];
    }
    return -1;
}

void test_main(void)
{
    const struct rsdp *rsdp;
    const struct sdt_header *xsdt, *fadt = NULL, *madt = NULL, *hpet = NULL;
    const struct sdt_header *dsdt;
    unsigned int n;
    int typ;

    hvm = cmdline_has("hvm");
    check(start_info->rsdp_paddr, "no RSDP in hvm_start_info");
    rsdp = (const void *)(unsigned long)start_info->rsdp_paddr;
    check(in_acpi_memory(start_info->rsdp_paddr, sizeof(*rsdp)),
          "RSDP outside ACPI memory");
    check(!memcmp(rsdp->signature, "RSD PTR ", 8), "RSDP signature");
    check_eq(rsdp->revision, 2);
    check_eq(sum(rsdp, 20), 0);
    check_eq(rsdp->length, sizeof(*rsdp));
    check_eq(sum(rsdp, rsdp->length), 0);

    xsdt = table_at(rsdp->xsdt_address, "XSDT");
    n = (xsdt->length - sizeof(*xsdt)) / 8;
    check_eq(xsdt->length, sizeof(*xsdt) + n * 8);
    for (unsigned int i = 0; i < n; i++) {
        uint64_t a;
        const struct sdt_header *h;

        memcpy(&a, (const uint8_t *)(xsdt + 1) + i * 8, 8);
        h = (const void *)(unsigned long)a;
        if (!memcmp(h->signature, "FACP", 4))
            fadt = table_at(a, "FACP");
        else if (!memcmp(h->signature, "APIC", 4))
            madt = table_at(a, "APIC");
        else if (!memcmp(h->signature, "HPET", 4))
            hpet = table_at(a, "HPET");
        else
            fail("XSDT entry %u: unexpected table %.4s", i, h->signature);
    }
    check(fadt && madt, "XSDT without FADT or MADT");
    check(!hpet == !hvm, "HPET table %s", hpet ? "present" : "missing");
    if (hpet)
        check_eq(rd32(hpet, 44), HPET_BASE);
    check_madt(madt);

    dsdt = table_at(rd32(fadt, FADT_DSDT), "DSDT");
    typ = s5_slp_typ(dsdt);
    if (!hvm) {
        check_eq(rd32(fadt, FADT_PM_TMR), 0);
        check_eq(typ, -1);
        return;
    }
    check_eq(*(const uint16_t *)((const uint8_t *)fadt + FADT_SCI_INT), 9);
    check_eq(rd32(fadt, FADT_PM1A_EVT), PM1A_EVT);
    check_eq(rd32(fadt, FADT_PM1A_CNT), PM1A_CNT);
    check_eq(rd32(fadt, FADT_PM_TMR), PM_TMR);
    check_eq(((const uint8_t *)fadt)[FADT_PM1_CNT_LEN], 2);
    check_eq(((const uint8_t *)fadt)[FADT_PM_TMR_LEN], 4);
    check(typ >= 0 && typ < 8, "\\_S5 SLP_TYP %d", typ);
    printk("acpi: powering off through PM1a_CNT (\\_S5 SLP_TYP %d)\n", typ);
    console_flush();
    outw(PM1A_CNT, (uint16_t)(typ << SLP_TYP_SHIFT | SLP_EN));
    fail("still running after ACPI S5");
}
