/*
 * Virtual HPET: Xen's block at 0xfed00000 (1 KiB): vendor 0x8086,
 * revision 1, three timers, 64-bit main counter at 62.5 MHz (16 ns, a
 * sixteenth of system time), legacy replacement routing (timer 0 on ISA
 * IRQ 0, timer 1 on IRQ 8) and per-timer routing to IOAPIC GSIs 20-23;
 * one-shot or periodic, 32- or 64-bit, edge or level.
 */
#ifndef ASM_HVM_HPET_H
#define ASM_HVM_HPET_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/i8254.h>
#include <asm-x86/hvm/vpt.h>

#define HPET_BASE_ADDRESS 0xfed00000ULL
#define HPET_MMAP_SIZE 1024
#define HPET_TIMER_NUM 3
#define STIME_PER_HPET_TICK 16

#define HPET_ID 0x000
#define HPET_PERIOD 0x004
#define HPET_CFG 0x010
#define HPET_STATUS 0x020
#define HPET_COUNTER 0x0f0
#define HPET_Tn_CFG(n) (0x100 + (n)*0x20)
#define HPET_Tn_CMP(n) (0x108 + (n)*0x20)
#define HPET_Tn_ROUTE(n) (0x110 + (n)*0x20)

#define HPET_ID_REV 0x000000ff
#define HPET_ID_NUMBER 0x00001f00
#define HPET_ID_64BIT 0x00002000
#define HPET_ID_LEGSUP 0x00008000
#define HPET_ID_VENDOR 0xffff0000
#define HPET_ID_NUMBER_SHIFT 8
#define HPET_ID_VENDOR_SHIFT 16

#define HPET_CFG_ENABLE 0x001
#define HPET_CFG_LEGACY 0x002

#define HPET_TN_LEVEL 0x002
#define HPET_TN_ENABLE 0x004
#define HPET_TN_PERIODIC 0x008
#define HPET_TN_PERIODIC_CAP 0x010
#define HPET_TN_64BIT_CAP 0x020
#define HPET_TN_SETVAL 0x040
#define HPET_TN_32BIT 0x100
#define HPET_TN_ROUTE 0x3e00
#define HPET_TN_FSB 0x4000
#define HPET_TN_FSB_CAP 0x8000
#define HPET_TN_ROUTE_SHIFT 9
/* Routable to IOAPIC pins 20-23 only. */
#define HPET_TN_INT_ROUTE_CAP_SHIFT 32
#define HPET_TN_INT_ROUTE_CAP (0x00f00000ULL << HPET_TN_INT_ROUTE_CAP_SHIFT)

struct vhpet;

struct vhpet_timer {
    struct vhpet *owner;
    unsigned int idx;
    uint64_t config;
    uint64_t cmp;    /* comparator (32 bits in 32-bit mode) */
    uint64_t period; /* ticks, periodic mode */
    uint64_t fsb;
    struct timer timer;
    uint64_t expires;  /* NOW() of the next match, 0: none */
    int asserted_line; /* level interrupt held: its line, else -1 */
    bool asserted_isa;
};

struct vhpet {
    pthread_mutex_t lock;
    uint64_t capability, config, isr;
    uint64_t mc_base; /* counter at ref_ns (or while halted) */
    uint64_t ref_ns;
    struct vhpet_timer t[HPET_TIMER_NUM];
    struct hvm_irq_line isa, gsi;
    struct vpit *pit; /* silenced by legacy replacement; may be NULL */
};

void vhpet_init(struct vhpet *h, struct hvm_irq_line isa,
                struct hvm_irq_line gsi, struct vpit *pit);
void vhpet_destroy(struct vhpet *h);

/* 4- or 8-byte naturally aligned accesses; others read all-ones. */
int vhpet_mmio_access(struct vhpet *h, uint64_t addr, unsigned int size,
                      bool write, uint64_t *val);

#endif
