/*
 * The local APIC from a test kernel (lib/apic.c): registers in whichever
 * mode the calling vCPU's APIC is (xAPIC MMIO page or x2APIC MSRs), IPIs,
 * and starting a secondary vCPU with INIT-SIPI-SIPI.
 */
#ifndef GUEST_APIC_H
#define GUEST_APIC_H

#include "guest.h"

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_X2APIC_FIRST 0x800
#define APIC_BASE_BSP (1U << 8)
#define APIC_BASE_EXTD (1U << 10)
#define APIC_BASE_EN (1U << 11)
#define APIC_DEFAULT_BASE 0xfee00000UL

/* Register offsets in the xAPIC page (x2APIC MSR = 0x800 + offset/16). */
#define APIC_ID 0x20
#define APIC_LVR 0x30
#define APIC_TPR 0x80
#define APIC_APR 0x90
#define APIC_PPR 0xa0
#define APIC_EOI 0xb0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_SPIV 0xf0
#define APIC_ISR 0x100
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define APIC_LVTT 0x320
#define APIC_LVT0 0x350
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_SELF_IPI 0x3f0

#define APIC_SPIV_ENABLE (1U << 8)
#define APIC_LVT_MASKED (1U << 16)
#define APIC_TIMER_PERIODIC (1U << 17)
#define APIC_TIMER_TSC_DEADLINE (2U << 17)
#define APIC_TDCR_DIV1 0xb
#define APIC_ESR_SENDILL (1U << 5)

/* ICR low word. */
#define APIC_DM_FIXED 0x000
#define APIC_DM_LOWEST 0x100
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600
#define APIC_DEST_LOGICAL 0x800
#define APIC_INT_ASSERT 0x4000
#define APIC_INT_LEVEL 0x8000
#define APIC_DEST_SELF 0x40000
#define APIC_DEST_ALL 0x80000
#define APIC_DEST_ALLBUT 0xc0000

/* Is the calling vCPU's APIC in x2APIC mode (reads the base MSR)? */
bool apic_x2apic(void);
/* The xAPIC page at its current base (MMIO), for raw accesses. */
volatile uint32_t *apic_page(void);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t val);
/* Send an IPI: icr is the low word, dest the APIC id or logical mask. */
void apic_ipi(uint32_t dest, uint32_t icr);
void apic_eoi(void);
/* Software-enable the APIC (spurious vector 0xff); TPR 0. */
void apic_sw_enable(void);
/* Is vector set in the 256-bit register (APIC_IRR, APIC_ISR, APIC_TMR)? */
bool apic_vec_test(unsigned int reg, uint8_t vector);

/*
 * Start vCPU id (APIC id apic_id) through INIT-SIPI-SIPI: it runs a
 * 16-bit trampoline copied to 0x8000, then the runtime's secondary entry
 * on a stack of its own, which runs the function that vcpu_prepare() or
 * vcpu_start() last gave it. The vCPU must be down (never started, or
 * VCPUOP_down).
 */
void apic_start_ap(unsigned int id, uint32_t apic_id);

/*
 * Wait with interrupts on (SCHEDOP_poll on no ports, 1 ms at a time)
 * until cond() holds; fail() after timeout_ns.
 */
void apic_wait(bool (*cond)(void), uint64_t timeout_ns, const char *what);

#endif
