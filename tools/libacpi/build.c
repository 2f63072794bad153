/*
 * Build the guest's ACPI tables (see libacpi.h). Everything is laid out
 * in a zeroed host buffer with 16-byte aligned tables (FACS 64-byte),
 * checksummed, then copied to guest memory in one map() call.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "acpi2_0.h"
#include "libacpi.h"

/* Far more than the largest set of tables (128 vCPUs) needs. */
#define ACPI_BUILD_MAX (16 * 1024)

/* Xen's PM register blocks (version 1 locations) and reset register. */
#define PM1A_EVT_BLK 0xb000
#define PM1A_CNT_BLK 0xb004
#define PM_TMR_BLK 0xb008
#define GPE0_BLK 0xafe0
#define GPE0_BLK_LEN 4
#define SCI_INT 9
#define RESET_REG 0xcf9
#define RESET_VALUE 6

struct builder {
    uint8_t *buf;
    size_t cap, used;
    uint64_t paddr;
};

static void *alloc(struct builder *b, size_t size, size_t align)
{
    size_t off = (b->used + align - 1) & ~(align - 1);

    if (off > b->cap || size > b->cap - off)
        return NULL;
    b->used = off + size;
    return b->buf + off;
}

static uint64_t addr_of(const struct builder *b, const void *p)
{
    return b->paddr + (uint64_t)((const uint8_t *)p - b->buf);
}

static void set_checksum(void *table, size_t len, uint8_t *field)
{
    uint8_t sum = 0;

    *field = 0;
    for (size_t i = 0; i < len; i++)
        sum += ((const uint8_t *)table)[i];
    *field = -sum;
}

static void fill_header(struct acpi_header *h, const char *sig, uint32_t len,
                        uint8_t rev)
{
    memcpy(h->signature, sig, 4);
    h->length = len;
    h->revision = rev;
    memcpy(h->oem_id, ACPI_OEM_ID, strlen(ACPI_OEM_ID));
    memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, strlen(ACPI_OEM_TABLE_ID));
    h->oem_revision = ACPI_OEM_REVISION;
    h->creator_id = ACPI_CREATOR_ID;
    h->creator_revision = ACPI_CREATOR_REVISION;
}

static void finish(struct acpi_header *h)
{
    set_checksum(h, h->length, &h->checksum);
}

static struct acpi_20_generic_address io_gas(uint8_t width, uint64_t port)
{
    return (struct acpi_20_generic_address){
        .address_space_id = ACPI_SYSTEM_IO,
        .register_bit_width = width,
        .address = port,
    };
}

/* AML PkgLength for 'len' bytes that follow it; returns its size. */
static size_t aml_pkglen(uint8_t *p, size_t len)
{
    size_t n = len + 1 <= 0x3f ? 1 : len + 2 <= 0xfff ? 2 : 3;
    size_t total = len + n;

    if (n == 1) {
        p[0] = total;
        return 1;
    }
    p[0] = (n - 1) << 6 | (total & 0xf);
    p[1] = total >> 4;
    if (n == 3)
        p[2] = total >> 12;
    return n;
}

/*
 * DSDT: a processor object per vCPU (IDs as in the MADT) and, where the
 * PM registers exist, \_S5 with SLP_TYP 0, which they treat as poweroff.
 */
static struct acpi_header *build_dsdt(struct builder *b,
                                      const struct acpi_config *c)
{
    size_t procs = 13 * c->nr_vcpus, scope = 5 + procs, off;
    size_t body = 1 + 3 + scope + 13, len;
    struct acpi_header *h;
    uint8_t *p;
    static const char hex[] = "0123456789ABCDEF";
    static const uint8_t s5[] = {
        0x08, '\\', '_',  'S',  '5', '_', /* Name (\_S5, */
        0x12, 0x06, 0x04,                 /* Package (4) { */
        0x00, 0x00, 0x00, 0x00,           /* 0, 0, 0, 0 }) */
    };

    h = alloc(b, sizeof(*h) + body, 16);
    if (!h)
        return NULL;
    p = (uint8_t *)(h + 1);
    off = 0;
    p[off++] = 0x10; /* Scope (\_SB) */
    off += aml_pkglen(p + off, scope);
    memcpy(p + off, "\\_SB_", 5);
    off += 5;
    for (unsigned int i = 0; i < c->nr_vcpus; i++) {
        /* Processor (PRxx, i, 0, 0) */
        p[off++] = 0x5b;
        p[off++] = 0x83;
        p[off++] = 11;
        p[off++] = 'P';
        p[off++] = 'R';
        p[off++] = hex[i >> 4];
        p[off++] = hex[i & 0xf];
        p[off++] = i;
        off += 4 + 1; /* no processor block */
    }
    if (c->table_flags & ACPI_HAS_PMTIMER) {
        memcpy(p + off, s5, sizeof(s5));
        off += sizeof(s5);
    }
    len = sizeof(*h) + off;
    /* Give back what the PkgLength and \_S5 did not use. */
    b->used -= body - off;
    fill_header(h, "DSDT", len, ACPI_DSDT_REVISION);
    finish(h);
    return h;
}

static struct acpi_fadt *build_fadt(struct builder *b,
                                    const struct acpi_config *c,
                                    const struct acpi_20_facs *facs,
                                    const struct acpi_header *dsdt)
{
    size_t len = c->acpi_revision >= FADT_REVISION_ACPI_5_0
                     ? sizeof(struct acpi_fadt)
                     : offsetof(struct acpi_fadt, sleep_control);
    struct acpi_fadt *f = alloc(b, len, 16);

    if (!f)
        return NULL;
    fill_header(&f->header, "FACP", len, c->acpi_revision);
    f->firmware_ctrl = addr_of(b, facs);
    f->x_firmware_ctrl = addr_of(b, facs);
    f->dsdt = addr_of(b, dsdt);
    f->x_dsdt = addr_of(b, dsdt);
    f->sci_int = SCI_INT;
    f->pm1a_evt_blk = PM1A_EVT_BLK;
    f->pm1a_cnt_blk = PM1A_CNT_BLK;
    f->gpe0_blk = GPE0_BLK;
    f->pm1_evt_len = 4;
    f->pm1_cnt_len = 2;
    f->gpe0_blk_len = GPE0_BLK_LEN;
    f->x_pm1a_evt_blk = io_gas(32, PM1A_EVT_BLK);
    f->x_pm1a_cnt_blk = io_gas(16, PM1A_CNT_BLK);
    if (c->table_flags & ACPI_HAS_PMTIMER) {
        f->pm_tmr_blk = PM_TMR_BLK;
        f->pm_tmr_len = 4;
        f->x_pm_tmr_blk = io_gas(32, PM_TMR_BLK);
    }
    /* No C2/C3 states. */
    f->p_lvl2_lat = 0x0fff;
    f->p_lvl3_lat = 0x0fff;
    f->flags = ACPI_PROC_C1 | ACPI_WBINVD | ACPI_FIX_RTC | ACPI_TMR_VAL_EXT |
               ACPI_USE_PLATFORM_CLOCK;
    /* Without fixed buttons the flags say they are control methods. */
    if (!(c->table_flags & ACPI_HAS_BUTTONS))
        f->flags |= ACPI_PWR_BUTTON | ACPI_SLP_BUTTON;
    if (!(c->table_flags & ACPI_HAS_VGA))
        f->iapc_boot_arch |= ACPI_FADT_NO_VGA;
    if (c->table_flags & ACPI_HAS_8042)
        f->iapc_boot_arch |= ACPI_FADT_8042;
    if (!(c->table_flags & ACPI_HAS_CMOS_RTC))
        f->iapc_boot_arch |= ACPI_FADT_NO_CMOS_RTC;
    f->reset_reg = io_gas(8, RESET_REG);
    f->reset_value = RESET_VALUE;
    finish(&f->header);
    return f;
}

static bool vcpu_online(const struct acpi_config *c, unsigned int i)
{
    return !c->vcpu_online || (c->vcpu_online[i / 8] & (1U << (i % 8)));
}

static struct acpi_20_madt *build_madt(struct builder *b,
                                       const struct acpi_config *c)
{
    size_t len = sizeof(struct acpi_20_madt) +
                 c->nr_vcpus * sizeof(struct acpi_20_madt_lapic);
    struct acpi_20_madt_intsrcovr *iso;
    struct acpi_20_madt_ioapic *io;
    struct acpi_20_madt_lapic *lapic;
    struct acpi_20_madt *m;
    uint8_t *p;

    if (c->table_flags & ACPI_HAS_IOAPIC)
        len += 16 * sizeof(*iso) + sizeof(*io);
    m = alloc(b, len, 16);
    if (!m)
        return NULL;
    m->lapic_addr = c->lapic_base_address;
    m->flags = ACPI_PCAT_COMPAT;
    p = (uint8_t *)(m + 1);
    if (c->table_flags & ACPI_HAS_IOAPIC) {
        /* ISA IRQ 0 is GSI 2; PCI's ISA IRQs are level, active low. */
        for (unsigned int irq = 0; irq < 16; irq++) {
            if (irq && !(c->pci_isa_irq_mask & (1U << irq)))
                continue;
            iso = (struct acpi_20_madt_intsrcovr *)p;
            iso->type = ACPI_INTERRUPT_SOURCE_OVERRIDE;
            iso->length = sizeof(*iso);
            iso->source = irq;
            iso->gsi = irq ? irq : 2;
            iso->flags = irq ? 0xf : 0;
            p += sizeof(*iso);
        }
        io = (struct acpi_20_madt_ioapic *)p;
        io->type = ACPI_IO_APIC;
        io->length = sizeof(*io);
        io->ioapic_id = c->ioapic_id;
        io->ioapic_addr = c->ioapic_base_address;
        p += sizeof(*io);
    }
    for (unsigned int i = 0; i < c->nr_vcpus; i++) {
        lapic = (struct acpi_20_madt_lapic *)p;
        lapic->type = ACPI_PROCESSOR_LOCAL_APIC;
        lapic->length = sizeof(*lapic);
        lapic->acpi_processor_id = i;
        lapic->apic_id = c->lapic_id(i);
        lapic->flags = vcpu_online(c, i) ? ACPI_LOCAL_APIC_ENABLED : 0;
        p += sizeof(*lapic);
    }
    /* Overrides for ISA IRQs that are not PCI's were not written. */
    b->used -= len - (size_t)(p - (uint8_t *)m);
    fill_header(&m->header, "APIC", p - (uint8_t *)m, ACPI_2_0_MADT_REVISION);
    finish(&m->header);
    return m;
}

static struct acpi_20_hpet *build_hpet(struct builder *b)
{
    struct acpi_20_hpet *h = alloc(b, sizeof(*h), 16);

    if (!h)
        return NULL;
    fill_header(&h->header, "HPET", sizeof(*h), ACPI_2_0_HPET_REVISION);
    h->timer_block_id = ACPI_HPET_TIMER_BLOCK_ID;
    h->addr.address_space_id = ACPI_SYSTEM_MEMORY;
    h->addr.address = ACPI_HPET_ADDRESS;
    finish(&h->header);
    return h;
}

static int check_config(const struct acpi_config *c, uint64_t paddr,
                        size_t max_len)
{
    if (!c || !c->lapic_id || !c->nr_vcpus || c->nr_vcpus > ACPI_MAX_VCPUS)
        return -EINVAL;
    if (c->table_flags & ~ACPI_SUPPORTED_FLAGS)
        return -EOPNOTSUPP;
    if (c->acpi_revision != FADT_REVISION_ACPI_4_0 &&
        c->acpi_revision != FADT_REVISION_ACPI_5_0)
        return -EINVAL;
    /* The "no CMOS RTC" flag exists from FADT revision 5 on. */
    if (!(c->table_flags & ACPI_HAS_CMOS_RTC) &&
        c->acpi_revision < FADT_REVISION_ACPI_5_0)
        return -EINVAL;
    for (unsigned int i = 0; i < c->nr_vcpus; i++)
        if (c->lapic_id(i) > 0xff)
            return -EINVAL;
    /* The FADT's 32-bit pointers must reach every table. */
    if ((paddr & 15) || paddr >= (1ULL << 32) || max_len > (1ULL << 32) - paddr)
        return -EINVAL;
    return 0;
}

int acpi_build_tables(const struct acpi_config *config, uint64_t paddr,
                      size_t max_len, acpi_map_fn map, void *ctx, size_t *len)
{
    struct builder b = {.paddr = paddr};
    struct acpi_20_rsdp *rsdp;
    struct acpi_20_facs *facs;
    struct acpi_header *dsdt;
    struct acpi_fadt *fadt;
    struct acpi_20_madt *madt;
    struct acpi_20_hpet *hpet = NULL;
    struct acpi_20_xsdt *xsdt;
    unsigned int nr = 0;
    void *dst;
    int rc = check_config(config, paddr, max_len);

    if (rc)
        return rc;
    b.cap = max_len < ACPI_BUILD_MAX ? max_len : ACPI_BUILD_MAX;
    b.buf = calloc(1, b.cap ? b.cap : 1);
    if (!b.buf)
        return -ENOMEM;

    rc = -ENOSPC;
    rsdp = alloc(&b, sizeof(*rsdp), 16);
    facs = alloc(&b, sizeof(*facs), 64);
    if (!rsdp || !facs)
        goto out;
    memcpy(facs->signature, "FACS", 4);
    facs->length = sizeof(*facs);
    facs->version = ACPI_2_0_FACS_VERSION;
    dsdt = build_dsdt(&b, config);
    if (!dsdt)
        goto out;
    fadt = build_fadt(&b, config, facs, dsdt);
    madt = fadt ? build_madt(&b, config) : NULL;
    if (!madt)
        goto out;
    if (config->table_flags & ACPI_HAS_HPET) {
        hpet = build_hpet(&b);
        if (!hpet)
            goto out;
    }
    xsdt = alloc(&b, sizeof(*xsdt) + 3 * sizeof(uint64_t), 16);
    if (!xsdt)
        goto out;
    xsdt->entry[nr++] = addr_of(&b, fadt);
    xsdt->entry[nr++] = addr_of(&b, madt);
    if (hpet)
        xsdt->entry[nr++] = addr_of(&b, hpet);
    fill_header(&xsdt->header, "XSDT", sizeof(*xsdt) + nr * sizeof(uint64_t),
                ACPI_2_0_XSDT_REVISION);
    finish(&xsdt->header);

    /* No RSDT: revision-2 RSDP consumers use the XSDT. */
    memcpy(rsdp->signature, "RSD PTR ", 8);
    memcpy(rsdp->oem_id, ACPI_OEM_ID, strlen(ACPI_OEM_ID));
    rsdp->revision = ACPI_2_0_RSDP_REVISION;
    rsdp->length = sizeof(*rsdp);
    rsdp->xsdt_address = addr_of(&b, xsdt);
    set_checksum(rsdp, ACPI_RSDP_V1_LEN, &rsdp->checksum);
    set_checksum(rsdp, sizeof(*rsdp), &rsdp->extended_checksum);

    rc = -EFAULT;
    dst = map(ctx, paddr, b.used);
    if (!dst)
        goto out;
    memcpy(dst, b.buf, b.used);
    *len = b.used;
    rc = 0;
out:
    free(b.buf);
    return rc;
}
