/*
 * Virtual IOAPIC: 48 pins (Xen's VIOAPIC_NUM_PINS: 16 ISA IRQs and 32 PCI
 * ones), MMIO at 0xfec00000 with IOREGSEL/IOWIN, redirection entries with
 * remote IRR for level-triggered pins. Messages go out through deliver().
 */
#ifndef ASM_HVM_VIOAPIC_H
#define ASM_HVM_VIOAPIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define VIOAPIC_NUM_PINS 48
#define VIOAPIC_VERSION_ID 0x11
#define VIOAPIC_DEFAULT_BASE_ADDRESS 0xfec00000UL
#define VIOAPIC_MEM_LENGTH 0x100

#define VIOAPIC_REG_SELECT 0x00
#define VIOAPIC_REG_WINDOW 0x10

/* Indirect registers. */
#define VIOAPIC_REG_APIC_ID 0x00
#define VIOAPIC_REG_VERSION 0x01
#define VIOAPIC_REG_ARB_ID 0x02
#define VIOAPIC_REG_RTE0 0x10

/* Redirection entry fields. */
#define IOAPIC_RTE_VECTOR 0xffULL
#define IOAPIC_RTE_DELIVERY_MODE (7ULL << 8)
#define IOAPIC_RTE_DEST_LOGICAL (1ULL << 11)
#define IOAPIC_RTE_DELIVERY_STATUS (1ULL << 12)
#define IOAPIC_RTE_POLARITY (1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR (1ULL << 14)
#define IOAPIC_RTE_LEVEL (1ULL << 15)
#define IOAPIC_RTE_MASKED (1ULL << 16)
#define IOAPIC_RTE_DEST_SHIFT 56
/* What a guest may change; delivery status and remote IRR are ours. */
#define IOAPIC_RTE_WRITABLE                                                    \
    (IOAPIC_RTE_VECTOR | IOAPIC_RTE_DELIVERY_MODE | IOAPIC_RTE_DEST_LOGICAL |  \
     IOAPIC_RTE_POLARITY | IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED |              \
     (0xffULL << IOAPIC_RTE_DEST_SHIFT))

struct vioapic_ops {
    /* An interrupt message (delivery mode as APIC_DM_*: value << 8). */
    void (*deliver)(void *opaque, uint32_t dest, bool logical,
                    uint32_t delivery_mode, uint8_t vector, bool level);
    void *opaque;
};

struct vioapic {
    pthread_mutex_t lock;
    uint64_t base;
    uint32_t ioregsel;
    uint8_t id;
    uint64_t redirtbl[VIOAPIC_NUM_PINS];
    bool line[VIOAPIC_NUM_PINS]; /* asserted input levels */
    const struct vioapic_ops *ops;
};

void vioapic_init(struct vioapic *vioapic, const struct vioapic_ops *ops);
void vioapic_reset(struct vioapic *vioapic);
void vioapic_destroy(struct vioapic *vioapic);

int vioapic_mmio_access(struct vioapic *vioapic, uint64_t addr,
                        unsigned int size, bool write, uint64_t *val);
/* A pin's input changed (asserted = true); out-of-range pins are ignored. */
void vioapic_set_irq(struct vioapic *vioapic, unsigned int pin, bool level);
/* A LAPIC EOI'd a level-triggered vector: clear remote IRR, re-deliver. */
void vioapic_update_eoi(struct vioapic *vioapic, uint8_t vector);

#endif
