/*
 * ACPI tables for PVH and HVM guests, shared by the toolstack's domain
 * builder (libxenguest) and the core's boot-time builder: RSDP (revision
 * 2), XSDT, FADT, FACS, DSDT, MADT and, for HVM, HPET. The tables are
 * laid out in a buffer and written to guest memory through a callback,
 * as the ELF loader does, so either side supplies its own mapping. The
 * RSDP comes first: its address is what hvm_start_info.rsdp_paddr gets.
 */
#ifndef LIBACPI_H
#define LIBACPI_H

#include <stddef.h>
#include <stdint.h>

/* What the platform has (Xen's ACPI_HAS_* numbering). */
#define ACPI_HAS_COM1 (1 << 0)
#define ACPI_HAS_COM2 (1 << 1)
#define ACPI_HAS_LPT1 (1 << 2)
#define ACPI_HAS_HPET (1 << 3)
#define ACPI_HAS_SSDT_PM (1 << 4)
#define ACPI_HAS_SSDT_S3 (1 << 5)
#define ACPI_HAS_SSDT_S4 (1 << 6)
#define ACPI_HAS_TCPA (1 << 7)
#define ACPI_HAS_IOAPIC (1 << 8)
#define ACPI_HAS_WAET (1 << 9)
#define ACPI_HAS_PMTIMER (1 << 10)
#define ACPI_HAS_BUTTONS (1 << 11)
#define ACPI_HAS_VGA (1 << 12)
#define ACPI_HAS_8042 (1 << 13)
#define ACPI_HAS_CMOS_RTC (1 << 14)
#define ACPI_HAS_SSDT_LAPTOP_SLATE (1 << 15)

/* The ones built here; the others are refused with -EOPNOTSUPP. */
#define ACPI_SUPPORTED_FLAGS                                                   \
    (ACPI_HAS_HPET | ACPI_HAS_IOAPIC | ACPI_HAS_PMTIMER | ACPI_HAS_BUTTONS |   \
     ACPI_HAS_VGA | ACPI_HAS_8042 | ACPI_HAS_CMOS_RTC)

#define ACPI_MAX_VCPUS 128 /* LAPIC IDs (vcpu * 2) fit the MADT's byte */

struct acpi_config {
    uint32_t table_flags;
    uint8_t acpi_revision; /* FADT revision: 4, or 5 (PVH) */
    unsigned int nr_vcpus;
    const uint8_t *vcpu_online; /* bitmap; NULL: all online */
    uint32_t (*lapic_id)(unsigned int cpu);
    uint32_t lapic_base_address;
    uint32_t ioapic_base_address;
    uint8_t ioapic_id;
    uint16_t pci_isa_irq_mask; /* ISA IRQs that are PCI (level, low) */
};

/* A host pointer to len bytes of guest memory at paddr, or NULL. */
typedef void *(*acpi_map_fn)(void *ctx, uint64_t paddr, size_t len);

/*
 * Build the tables for guest-physical paddr (16-byte aligned), at most
 * max_len bytes, and write them through map. On success *len is the
 * space used and the RSDP is at paddr. -EINVAL for a bad configuration,
 * -EOPNOTSUPP for a table flag not built here, -ENOSPC if max_len is too
 * small, -ENOMEM, -EFAULT if map fails.
 */
int acpi_build_tables(const struct acpi_config *config, uint64_t paddr,
                      size_t max_len, acpi_map_fn map, void *ctx, size_t *len);

#endif
