/*
 * Virtual 8254 PIT: three channels at ports 0x40-0x42, the control word
 * at 0x43 (counter latch and read-back included), modes 0-5 in binary or
 * BCD, and the speaker/gate port 0x61. Channel 0 drives ISA IRQ 0: a
 * pulse per period in modes 2 and 3, one at terminal count otherwise.
 * Counts are derived from NOW() at the PIT's 1.193182 MHz.
 */
#ifndef ASM_HVM_I8254_H
#define ASM_HVM_I8254_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/vpt.h>

#define PIT_BASE 0x40
#define PIT_SPEAKER_PORT 0x61
#define PIT_FREQ 1193182
#define PIT_IRQ 0

struct pit_channel {
    uint32_t count;     /* reload value, 1 .. 0x10000 */
    uint64_t load_time; /* NOW() when counting (re)started */
    bool loaded;        /* a count was written since the mode was set */
    uint16_t latched_count;
    uint8_t count_latched; /* RW state to read the latch in, 0: none */
    bool status_latched;
    uint8_t status;
    uint8_t read_state, write_state, write_latch;
    uint8_t rw_mode, mode;
    bool bcd, gate;
};

struct vpit {
    pthread_mutex_t lock;
    struct pit_channel ch[3];
    bool speaker_data_on;
    bool irq_disabled;  /* the HPET took IRQ 0 over */
    struct timer timer; /* channel 0's interrupts */
    uint64_t period;    /* ns between them; 0: one-shot */
    uint64_t next_irq;  /* NOW() of the next one, 0: none */
    struct hvm_irq_line isa;
};

void vpit_init(struct vpit *pit, struct hvm_irq_line isa);
void vpit_reset(struct vpit *pit);
void vpit_destroy(struct vpit *pit);

/* Ports 0x40-0x43 and 0x61, byte accesses only. */
int vpit_io_access(struct vpit *pit, uint16_t port, unsigned int size,
                   bool write, uint64_t *val);
/* The HPET's legacy replacement route owns IRQ 0 from now on. */
void pit_stop_channel0_irq(struct vpit *pit);

#endif
