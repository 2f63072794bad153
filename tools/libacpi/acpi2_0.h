/*
 * Layouts of the ACPI tables libacpi builds, as the ACPI specification
 * defines them (little-endian, packed), and Xen's identification of them.
 */
#ifndef LIBACPI_ACPI2_0_H
#define LIBACPI_ACPI2_0_H

#include <stdint.h>

#define ACPI_OEM_ID "Xen"
#define ACPI_OEM_TABLE_ID "HVM"
#define ACPI_OEM_REVISION 0
#define ACPI_CREATOR_ID 0x4c4d5648 /* "HVML" */
#define ACPI_CREATOR_REVISION 0

struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));

/* Generic address structure. */
struct acpi_20_generic_address {
    uint8_t address_space_id;
    uint8_t register_bit_width;
    uint8_t register_bit_offset;
    uint8_t access_size;
    uint64_t address;
} __attribute__((packed));

#define ACPI_SYSTEM_MEMORY 0
#define ACPI_SYSTEM_IO 1

struct acpi_20_rsdp {
    char signature[8];
    uint8_t checksum; /* of the first 20 bytes */
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
    uint32_t length;
    uint64_t xsdt_address;
    uint8_t extended_checksum; /* of all 36 */
    uint8_t reserved[3];
} __attribute__((packed));

#define ACPI_2_0_RSDP_REVISION 2
#define ACPI_RSDP_V1_LEN 20

struct acpi_20_xsdt {
    struct acpi_header header;
    uint64_t entry[];
} __attribute__((packed));

#define ACPI_2_0_XSDT_REVISION 1

struct acpi_20_facs {
    char signature[4];
    uint32_t length;
    uint32_t hardware_signature;
    uint32_t firmware_waking_vector;
    uint32_t global_lock;
    uint32_t flags;
    uint64_t x_firmware_waking_vector;
    uint8_t version;
    uint8_t reserved[31];
} __attribute__((packed));

#define ACPI_2_0_FACS_VERSION 1

struct acpi_fadt {
    struct acpi_header header;
    uint32_t firmware_ctrl;
    uint32_t dsdt;
    uint8_t reserved0;
    uint8_t preferred_pm_profile;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable;
    uint8_t acpi_disable;
    uint8_t s4bios_req;
    uint8_t pstate_cnt;
    uint32_t pm1a_evt_blk;
    uint32_t pm1b_evt_blk;
    uint32_t pm1a_cnt_blk;
    uint32_t pm1b_cnt_blk;
    uint32_t pm2_cnt_blk;
    uint32_t pm_tmr_blk;
    uint32_t gpe0_blk;
    uint32_t gpe1_blk;
    uint8_t pm1_evt_len;
    uint8_t pm1_cnt_len;
    uint8_t pm2_cnt_len;
    uint8_t pm_tmr_len;
    uint8_t gpe0_blk_len;
    uint8_t gpe1_blk_len;
    uint8_t gpe1_base;
    uint8_t cst_cnt;
    uint16_t p_lvl2_lat;
    uint16_t p_lvl3_lat;
    uint16_t flush_size;
    uint16_t flush_stride;
    uint8_t duty_offset;
    uint8_t duty_width;
    uint8_t day_alrm;
    uint8_t mon_alrm;
    uint8_t century;
    uint16_t iapc_boot_arch;
    uint8_t reserved1;
    uint32_t flags;
    struct acpi_20_generic_address reset_reg;
    uint8_t reset_value;
    uint8_t reserved2[3];
    uint64_t x_firmware_ctrl;
    uint64_t x_dsdt;
    struct acpi_20_generic_address x_pm1a_evt_blk;
    struct acpi_20_generic_address x_pm1b_evt_blk;
    struct acpi_20_generic_address x_pm1a_cnt_blk;
    struct acpi_20_generic_address x_pm1b_cnt_blk;
    struct acpi_20_generic_address x_pm2_cnt_blk;
    struct acpi_20_generic_address x_pm_tmr_blk;
    struct acpi_20_generic_address x_gpe0_blk;
    struct acpi_20_generic_address x_gpe1_blk;
    /* From FADT revision 5 on. */
    struct acpi_20_generic_address sleep_control;
    struct acpi_20_generic_address sleep_status;
} __attribute__((packed));

#define FADT_REVISION_ACPI_4_0 4
#define FADT_REVISION_ACPI_5_0 5

/* FADT boot architecture flags. */
#define ACPI_FADT_LEGACY_DEVICES (1 << 0)
#define ACPI_FADT_8042 (1 << 1)
#define ACPI_FADT_NO_VGA (1 << 2)
#define ACPI_FADT_NO_CMOS_RTC (1 << 5)

/* FADT fixed feature flags. */
#define ACPI_WBINVD (1 << 0)
#define ACPI_PROC_C1 (1 << 2)
#define ACPI_PWR_BUTTON (1 << 4)
#define ACPI_SLP_BUTTON (1 << 5)
#define ACPI_FIX_RTC (1 << 6)
#define ACPI_TMR_VAL_EXT (1 << 8)
#define ACPI_USE_PLATFORM_CLOCK (1 << 15)

struct acpi_20_madt {
    struct acpi_header header;
    uint32_t lapic_addr;
    uint32_t flags;
} __attribute__((packed));

#define ACPI_2_0_MADT_REVISION 2
#define ACPI_PCAT_COMPAT (1 << 0)

#define ACPI_PROCESSOR_LOCAL_APIC 0
#define ACPI_IO_APIC 1
#define ACPI_INTERRUPT_SOURCE_OVERRIDE 2

struct acpi_20_madt_lapic {
    uint8_t type;
    uint8_t length;
    uint8_t acpi_processor_id;
    uint8_t apic_id;
    uint32_t flags;
} __attribute__((packed));

#define ACPI_LOCAL_APIC_ENABLED (1 << 0)

struct acpi_20_madt_ioapic {
    uint8_t type;
    uint8_t length;
    uint8_t ioapic_id;
    uint8_t reserved;
    uint32_t ioapic_addr;
    uint32_t gsi_base;
} __attribute__((packed));

struct acpi_20_madt_intsrcovr {
    uint8_t type;
    uint8_t length;
    uint8_t bus;
    uint8_t source;
    uint32_t gsi;
    uint16_t flags;
} __attribute__((packed));

struct acpi_20_hpet {
    struct acpi_header header;
    uint32_t timer_block_id;
    struct acpi_20_generic_address addr;
    uint8_t hpet_number;
    uint16_t min_tick;
    uint8_t page_protect;
} __attribute__((packed));

#define ACPI_2_0_HPET_REVISION 1
#define ACPI_HPET_ADDRESS 0xfed00000UL
#define ACPI_HPET_TIMER_BLOCK_ID 0x8086a201

#define ACPI_DSDT_REVISION 2

_Static_assert(sizeof(struct acpi_header) == 36, "ACPI header");
_Static_assert(sizeof(struct acpi_20_rsdp) == 36, "RSDP");
_Static_assert(sizeof(struct acpi_20_facs) == 64, "FACS");
_Static_assert(sizeof(struct acpi_fadt) == 268, "FADT");
_Static_assert(sizeof(struct acpi_20_madt) == 44, "MADT");
_Static_assert(sizeof(struct acpi_20_madt_intsrcovr) == 10, "MADT ISO");
_Static_assert(sizeof(struct acpi_20_hpet) == 56, "HPET");

#endif
