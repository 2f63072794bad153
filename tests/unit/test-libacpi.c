/*
 * The ACPI table builder: PVH and HVM table sets, their checksums, links
 * and fields, and bad configurations. With "--write DIR" it also writes
 * each table to DIR for test-libacpi-iasl.sh to disassemble.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "acpi2_0.h"
#include "libacpi.h"
#include "unit.h"

#define BASE 0xfc000000ULL
static uint8_t mem[64 * 1024];
static unsigned int maps;

static void *map(void *ctx, uint64_t paddr, size_t len)
{
    (void)ctx;
    maps++;
    if (paddr < BASE || paddr - BASE > sizeof(mem) ||
        len > sizeof(mem) - (paddr - BASE))
        return NULL;
    return mem + (paddr - BASE);
}

static void *at(uint64_t paddr)
{
    if (paddr < BASE || paddr - BASE >= sizeof(mem)) {
        printf("FAIL pointer %#llx outside the tables\n",
               (unsigned long long)paddr);
        exit(1);
    }
    return mem + (paddr - BASE);
}

static bool sums_to_zero(const void *p, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)p)[i];
    return sum == 0;
}

static uint32_t lapic_id(unsigned int cpu)
{
    return cpu * 2;
}

static uint32_t bad_lapic_id(unsigned int cpu)
{
    return cpu * 300;
}

static struct acpi_header *find(const struct acpi_20_xsdt *x, const char *sig)
{
    unsigned int n = (x->header.length - sizeof(x->header)) / 8;

    for (unsigned int i = 0; i < n; i++) {
        struct acpi_header *h = at(x->entry[i]);

        if (!memcmp(h->signature, sig, 4))
            return h;
    }
    return NULL;
}

static bool header_ok(const struct acpi_header *h)
{
    return sums_to_zero(h, h->length) && !memcmp(h->oem_id, "Xen\0\0\0", 6) &&
           !memcmp(h->oem_table_id, "HVM\0\0\0\0\0", 8) &&
           h->creator_id == ACPI_CREATOR_ID;
}

static FILE *open_out(const char *dir, const char *set, const char *name)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s-%s.dat", dir, set, name);
    return fopen(path, "wb");
}

static void write_table(const char *dir, const char *set, const char *name,
                        const void *p, size_t len)
{
    FILE *f;

    if (!dir)
        return;
    f = open_out(dir, set, name);
    EXPECT(f && fwrite(p, 1, len, f) == len);
    if (f)
        fclose(f);
}

/* Check one built set; returns the XSDT. */
static struct acpi_20_xsdt *check_common(const char *dir, const char *set,
                                         size_t len)
{
    struct acpi_20_rsdp *rsdp = at(BASE);
    struct acpi_20_xsdt *x;
    struct acpi_fadt *f;
    struct acpi_header *dsdt;
    struct acpi_20_facs *facs;

    EXPECT(len > 0 && len <= sizeof(mem));
    EXPECT(!memcmp(rsdp->signature, "RSD PTR ", 8) && rsdp->revision == 2);
    EXPECT(rsdp->length == 36 && sums_to_zero(rsdp, 20) &&
           sums_to_zero(rsdp, 36));
    EXPECT(!memcmp(rsdp->oem_id, "Xen", 3) && rsdp->rsdt_address == 0);
    x = at(rsdp->xsdt_address);
    EXPECT(!memcmp(x->header.signature, "XSDT", 4) && header_ok(&x->header));
    EXPECT(rsdp->xsdt_address + x->header.length <= BASE + len);
    write_table(dir, set, "xsdt", x, x->header.length);

    f = (struct acpi_fadt *)find(x, "FACP");
    EXPECT(f && header_ok(&f->header));
    if (!f)
        return x;
    write_table(dir, set, "facp", f, f->header.length);
    EXPECT(f->dsdt == f->x_dsdt && f->firmware_ctrl == f->x_firmware_ctrl);
    EXPECT(f->sci_int == 9 && f->pm1a_evt_blk == 0xb000 &&
           f->pm1a_cnt_blk == 0xb004 && f->gpe0_blk == 0xafe0);
    EXPECT(f->reset_reg.address == 0xcf9 && f->reset_value == 6 &&
           f->reset_reg.address_space_id == ACPI_SYSTEM_IO);
    EXPECT(f->x_pm1a_evt_blk.address == 0xb000 &&
           f->x_pm1a_evt_blk.register_bit_width == 32);
    EXPECT(f->x_pm1a_cnt_blk.register_bit_width == 16);
    EXPECT(f->flags & ACPI_TMR_VAL_EXT);
    facs = at(f->x_firmware_ctrl);
    EXPECT(!memcmp(facs->signature, "FACS", 4) && facs->length == 64 &&
           facs->version == 1 && !(f->x_firmware_ctrl & 63));
    write_table(dir, set, "facs", facs, sizeof(*facs));
    dsdt = at(f->x_dsdt);
    EXPECT(!memcmp(dsdt->signature, "DSDT", 4) && header_ok(dsdt) &&
           dsdt->revision == 2);
    write_table(dir, set, "dsdt", dsdt, dsdt->length);
    return x;
}

/* The MADT's subtables, by type. */
static unsigned int madt_count(const struct acpi_20_madt *m, uint8_t type,
                               const uint8_t **first)
{
    const uint8_t *p = (const uint8_t *)(m + 1);
    const uint8_t *end = (const uint8_t *)m + m->header.length;
    unsigned int n = 0;

    *first = NULL;
    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        if (p[0] == type) {
            if (!n)
                *first = p;
            n++;
        }
        p += p[1];
    }
    EXPECT(p == end);
    return n;
}

static void test_pvh(const char *dir)
{
    struct acpi_config c = {
        .acpi_revision = 5,
        .nr_vcpus = 2,
        .lapic_id = lapic_id,
        .lapic_base_address = 0xfee00000,
    };
    struct acpi_20_xsdt *x;
    struct acpi_fadt *f;
    struct acpi_20_madt *m;
    const struct acpi_20_madt_lapic *l;
    const uint8_t *p;
    size_t len = 0;

    memset(mem, 0xaa, sizeof(mem));
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) == 0);
    x = check_common(dir, "pvh", len);
    /* FADT, MADT; no HPET. */
    EXPECT(x->header.length == 36 + 2 * 8 && !find(x, "HPET"));
    f = (struct acpi_fadt *)find(x, "FACP");
    EXPECT(f && f->header.revision == 5 && f->header.length == 268);
    /* No PM timer, no fixed buttons, no VGA, no CMOS RTC. */
    EXPECT(f && f->pm_tmr_blk == 0 && f->pm_tmr_len == 0 &&
           f->x_pm_tmr_blk.address == 0);
    EXPECT(f && (f->flags & (ACPI_PWR_BUTTON | ACPI_SLP_BUTTON)) ==
                    (ACPI_PWR_BUTTON | ACPI_SLP_BUTTON));
    EXPECT(f &&
           f->iapc_boot_arch == (ACPI_FADT_NO_VGA | ACPI_FADT_NO_CMOS_RTC));
    m = (struct acpi_20_madt *)find(x, "APIC");
    EXPECT(m && header_ok(&m->header) && m->header.revision == 2);
    if (!m)
        return;
    write_table(dir, "pvh", "apic", m, m->header.length);
    EXPECT(m->lapic_addr == 0xfee00000 && m->flags == ACPI_PCAT_COMPAT);
    EXPECT(m->header.length == 44 + 2 * 8);
    EXPECT(madt_count(m, ACPI_IO_APIC, &p) == 0);
    EXPECT(madt_count(m, ACPI_INTERRUPT_SOURCE_OVERRIDE, &p) == 0);
    EXPECT(madt_count(m, ACPI_PROCESSOR_LOCAL_APIC, &p) == 2);
    l = (const struct acpi_20_madt_lapic *)p;
    EXPECT(l[0].acpi_processor_id == 0 && l[0].apic_id == 0 &&
           l[0].flags == ACPI_LOCAL_APIC_ENABLED);
    EXPECT(l[1].acpi_processor_id == 1 && l[1].apic_id == 2);
}

static void test_hvm(const char *dir)
{
    static const uint8_t online[1] = {0x07};
    struct acpi_config c = {
        .table_flags = ACPI_HAS_IOAPIC | ACPI_HAS_HPET | ACPI_HAS_PMTIMER |
                       ACPI_HAS_CMOS_RTC | ACPI_HAS_VGA | ACPI_HAS_8042 |
                       ACPI_HAS_BUTTONS,
        .acpi_revision = 4,
        .nr_vcpus = 4,
        .vcpu_online = online,
        .lapic_id = lapic_id,
        .lapic_base_address = 0xfee00000,
        .ioapic_base_address = 0xfec00000,
        .ioapic_id = 1,
        .pci_isa_irq_mask = 1U << 5 | 1U << 10 | 1U << 11,
    };
    struct acpi_20_xsdt *x;
    struct acpi_fadt *f;
    struct acpi_20_madt *m;
    struct acpi_20_hpet *h;
    const struct acpi_20_madt_intsrcovr *iso;
    const struct acpi_20_madt_ioapic *io;
    const struct acpi_20_madt_lapic *l;
    const uint8_t *p;
    size_t len = 0;

    memset(mem, 0x55, sizeof(mem));
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) == 0);
    x = check_common(dir, "hvm", len);
    f = (struct acpi_fadt *)find(x, "FACP");
    EXPECT(f && f->header.revision == 4 && f->header.length == 244);
    EXPECT(f && f->pm_tmr_blk == 0xb008 && f->pm_tmr_len == 4 &&
           f->x_pm_tmr_blk.address == 0xb008);
    EXPECT(f && !(f->flags & (ACPI_PWR_BUTTON | ACPI_SLP_BUTTON)));
    EXPECT(f && f->iapc_boot_arch == ACPI_FADT_8042);
    m = (struct acpi_20_madt *)find(x, "APIC");
    EXPECT(m && header_ok(&m->header));
    if (!m)
        return;
    write_table(dir, "hvm", "apic", m, m->header.length);
    /* IRQ 0 -> GSI 2, and the three PCI IRQs level/low. */
    EXPECT(madt_count(m, ACPI_INTERRUPT_SOURCE_OVERRIDE, &p) == 4);
    iso = (const struct acpi_20_madt_intsrcovr *)p;
    EXPECT(iso[0].source == 0 && iso[0].gsi == 2 && iso[0].flags == 0);
    EXPECT(iso[1].source == 5 && iso[1].gsi == 5 && iso[1].flags == 0xf);
    EXPECT(iso[3].source == 11 && iso[3].gsi == 11 && iso[3].bus == 0);
    EXPECT(madt_count(m, ACPI_IO_APIC, &p) == 1);
    io = (const struct acpi_20_madt_ioapic *)p;
    EXPECT(io->ioapic_id == 1 && io->ioapic_addr == 0xfec00000 &&
           io->gsi_base == 0);
    EXPECT(madt_count(m, ACPI_PROCESSOR_LOCAL_APIC, &p) == 4);
    l = (const struct acpi_20_madt_lapic *)p;
    EXPECT(l[3].apic_id == 6 && l[3].flags == 0 && l[2].flags == 1);
    h = (struct acpi_20_hpet *)find(x, "HPET");
    EXPECT(h && header_ok(&h->header) && h->header.length == 56);
    if (!h)
        return;
    write_table(dir, "hvm", "hpet", h, h->header.length);
    EXPECT(h->timer_block_id == 0x8086a201 && h->addr.address == 0xfed00000);
}

static void test_errors(void)
{
    struct acpi_config c = {
        .acpi_revision = 5,
        .nr_vcpus = ACPI_MAX_VCPUS,
        .lapic_id = lapic_id,
        .lapic_base_address = 0xfee00000,
    };
    size_t len = 0;

    /* The largest guest fits; one more vCPU is refused. */
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) == 0);
    c.nr_vcpus++;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    c.nr_vcpus = 0;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    c.nr_vcpus = 2;
    c.lapic_id = bad_lapic_id;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    c.lapic_id = NULL;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    c.lapic_id = lapic_id;
    EXPECT(acpi_build_tables(NULL, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    /* Revision 4 cannot say "no CMOS RTC"; 3 and 6 are not built. */
    c.acpi_revision = 4;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    c.acpi_revision = 6;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    c.acpi_revision = 5;
    /* Tables we do not build. */
    c.table_flags = ACPI_HAS_SSDT_S3;
    EXPECT(acpi_build_tables(&c, BASE, sizeof(mem), map, NULL, &len) ==
           -EOPNOTSUPP);
    c.table_flags = 0;
    /* Misaligned, above 4 GiB, too small, unmappable. */
    EXPECT(acpi_build_tables(&c, BASE + 8, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    EXPECT(acpi_build_tables(&c, 1ULL << 32, sizeof(mem), map, NULL, &len) ==
           -EINVAL);
    EXPECT(acpi_build_tables(&c, 0xfffff000, 0x2000, map, NULL, &len) ==
           -EINVAL);
    maps = 0;
    EXPECT(acpi_build_tables(&c, BASE, 200, map, NULL, &len) == -ENOSPC);
    EXPECT(acpi_build_tables(&c, BASE, 0, map, NULL, &len) == -ENOSPC);
    EXPECT(maps == 0);
    EXPECT(acpi_build_tables(&c, 0x1000, sizeof(mem), map, NULL, &len) ==
           -EFAULT);
}

int main(int argc, char **argv)
{
    const char *dir = argc == 3 && !strcmp(argv[1], "--write") ? argv[2] : NULL;

    test_pvh(dir);
    test_hvm(dir);
    test_errors();
    UNIT_DONE("libacpi");
}
