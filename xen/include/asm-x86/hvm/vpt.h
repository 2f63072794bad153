/*
 * What the virtual platform devices share.
 *
 * Each device is a self-contained model: register handlers bounded by
 * offset and width, time from NOW() and timers from struct timer
 * (xen/timer.h; the unit tests link a virtual clock in their place), and
 * interrupts out through a line callback. Nothing here knows about KVM.
 *
 * Locking: a device may call its interrupt outputs while holding its own
 * lock. Locks are therefore taken in one order only:
 *   HPET -> PIT, RTC, PM timer  ->  hvm_irq  ->  PIC, IOAPIC  ->  LAPIC
 * and a LAPIC never calls out (IPI, EOI) while holding its lock. Callbacks
 * into the vCPU side (kicks) must not block.
 */
#ifndef ASM_HVM_VPT_H
#define ASM_HVM_VPT_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/timer.h>

/* A periodic platform timer never fires more often than this (as Xen). */
#define HVM_MIN_PERIOD_NS MICROSECS(100)

/* An interrupt output: ISA IRQ or GSI number, and the level to drive. */
struct hvm_irq_line {
    void (*set)(void *opaque, unsigned int line, bool level);
    void *opaque;
};

static inline void hvm_line_set(const struct hvm_irq_line *l, unsigned int line,
                                bool level)
{
    if (l->set)
        l->set(l->opaque, line, level);
}

/* An edge: raise then drop, so the next pulse is a new rising edge. */
static inline void hvm_line_pulse(const struct hvm_irq_line *l,
                                  unsigned int line)
{
    hvm_line_set(l, line, true);
    hvm_line_set(l, line, false);
}

/* a * b / c without overflowing 64 bits in the product. */
static inline uint64_t hvm_muldiv64(uint64_t a, uint64_t b, uint64_t c)
{
    return (uint64_t)((unsigned __int128)a * b / c);
}

#endif
