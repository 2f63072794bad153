/*
 * Virtual dual 8259A PIC: master at ports 0x20/0x21, slave at 0xa0/0xa1
 * cascaded on master IRQ 2, edge/level control (ELCR) at 0x4d0/0x4d1.
 * ICW1-4 initialisation, OCW1 masking, OCW2 EOIs and rotation, OCW3
 * register select, poll and special mask mode, auto-EOI and special
 * fully nested mode. The master's INT output goes to int_output().
 */
#ifndef ASM_HVM_VPIC_H
#define ASM_HVM_VPIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define VPIC_MASTER_PORT 0x20
#define VPIC_SLAVE_PORT 0xa0
#define VPIC_ELCR_PORT 0x4d0

struct vpic_chip {
    uint8_t irr, imr, isr;
    uint8_t irq_base;
    uint8_t init_state; /* 0: ready; else the ICW expected next (2-4) */
    bool need_icw4, single;
    uint8_t priority_add; /* IRQ with the highest priority */
    uint8_t elcr;
    uint8_t level; /* input line levels */
    bool readsel_isr, poll;
    bool auto_eoi, rotate_on_auto_eoi;
    bool special_fully_nested_mode, special_mask_mode;
};

struct vpic {
    pthread_mutex_t lock;
    struct vpic_chip chip[2]; /* master, slave */
    bool int_output;
    /* The master's INT line changed. Called with the PIC lock held. */
    void (*int_output_fn)(void *opaque, bool level);
    void *opaque;
};

void vpic_init(struct vpic *vpic, void (*int_output_fn)(void *, bool),
               void *opaque);
void vpic_reset(struct vpic *vpic);
void vpic_destroy(struct vpic *vpic);

/* Ports 0x20-0x21, 0xa0-0xa1, 0x4d0-0x4d1; byte accesses only. */
int vpic_io_access(struct vpic *vpic, uint16_t port, unsigned int size,
                   bool write, uint64_t *val);
/* ISA IRQ 0-15 input level. */
void vpic_irq_set(struct vpic *vpic, unsigned int irq, bool level);
/* INTA: the vector of the IRQ now in service, or -1 if INT is low. */
int vpic_ack_pending_irq(struct vpic *vpic);
bool vpic_int_output(struct vpic *vpic);

#endif
