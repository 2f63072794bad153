/*
 * Virtual local APIC: xAPIC registers (MMIO page at the APIC base) and
 * x2APIC (MSRs 0x800 + offset / 16), the timer in one-shot, periodic and
 * TSC-deadline modes, IPIs between the LAPICs of one domain, EOI/TPR/PPR
 * and the six LVTs. Register names and numbers are Xen's (apicdef.h).
 *
 * The model is wired to its vCPU through callbacks only: a kick when
 * something became deliverable, a TSC read for TSC-deadline, and an EOI
 * notification for level-triggered vectors (the IOAPIC's remote IRR).
 */
#ifndef ASM_HVM_VLAPIC_H
#define ASM_HVM_VLAPIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm-x86/hvm/vpt.h>

#define APIC_DEFAULT_PHYS_BASE 0xfee00000UL
#define APIC_BASE_MSR_BSP (1UL << 8)
#define APIC_BASE_MSR_EXTD (1UL << 10)
#define APIC_BASE_MSR_ENABLE (1UL << 11)
#define APIC_BASE_MSR_ADDR_MASK 0xfffffffffffff000UL

/* Register offsets in the xAPIC page. */
#define APIC_ID 0x20
#define APIC_LVR 0x30
#define APIC_LVR_DIRECTED_EOI (1U << 24)
#define APIC_TASKPRI 0x80
#define APIC_TPRI_MASK 0xffU
#define APIC_ARBPRI 0x90
#define APIC_PROCPRI 0xa0
#define APIC_EOI 0xb0
#define APIC_RRR 0xc0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_DFR_CLUSTER 0x0fffffffU
#define APIC_DFR_FLAT 0xffffffffU
#define APIC_SPIV 0xf0
#define APIC_SPIV_APIC_ENABLED (1U << 8)
#define APIC_SPIV_FOCUS_DISABLED (1U << 9)
#define APIC_ISR 0x100
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_ESR_SENDILL (1U << 5)
#define APIC_ESR_RECVILL (1U << 6)
#define APIC_ESR_ILLREGA (1U << 7)
#define APIC_ICR 0x300
#define APIC_DEST_SELF 0x40000
#define APIC_DEST_ALLINC 0x80000
#define APIC_DEST_ALLBUT 0xc0000
#define APIC_SHORT_MASK 0xc0000
#define APIC_INT_LEVELTRIG 0x08000
#define APIC_INT_ASSERT 0x04000
#define APIC_ICR_BUSY 0x01000
#define APIC_DEST_LOGICAL 0x00800
#define APIC_DEST_MASK 0x00800
#define APIC_MODE_MASK 0x00700
#define APIC_DM_FIXED 0x00000
#define APIC_DM_LOWEST 0x00100
#define APIC_DM_SMI 0x00200
#define APIC_DM_REMRD 0x00300
#define APIC_DM_NMI 0x00400
#define APIC_DM_INIT 0x00500
#define APIC_DM_STARTUP 0x00600
#define APIC_DM_EXTINT 0x00700
#define APIC_VECTOR_MASK 0x000ff
#define APIC_ICR2 0x310
#define APIC_LVTT 0x320
#define APIC_LVTTHMR 0x330
#define APIC_LVTPC 0x340
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_TDR_DIV_1 0xb
#define APIC_SELF_IPI 0x3f0

#define APIC_LVT_MASKED (1U << 16)
#define APIC_LVT_LEVEL_TRIGGER (1U << 15)
#define APIC_LVT_REMOTE_IRR (1U << 14)
#define APIC_INPUT_POLARITY (1U << 13)
#define APIC_SEND_PENDING (1U << 12)
#define APIC_TIMER_MODE_MASK (3U << 17)
#define APIC_TIMER_MODE_ONESHOT (0U << 17)
#define APIC_TIMER_MODE_PERIODIC (1U << 17)
#define APIC_TIMER_MODE_TSC_DEADLINE (2U << 17)

#define APIC_MSR_BASE 0x800
#define MSR_IA32_APICBASE 0x1b
#define MSR_IA32_TSC_DEADLINE 0x6e0

/* Xen's LAPIC: version 0x14, six LVTs; the APIC bus runs at 1 GHz. */
#define VLAPIC_LVT_NUM 6
#define VLAPIC_VERSION 0x00050014U
#define APIC_BUS_CYCLE_NS 1

/* What the vCPU must do after an INIT or a Start-up IPI. */
enum vlapic_mp_event {
    VLAPIC_MP_NONE,
    VLAPIC_MP_INIT, /* reset and wait for a SIPI */
    VLAPIC_MP_SIPI, /* start in real mode at CS = vector << 8, IP 0 */
};

struct vlapic;

struct vlapic_ops {
    /* An interrupt, NMI or INIT/SIPI became pending for this vCPU. */
    void (*kick)(void *opaque, struct vlapic *vlapic);
    /* The guest TSC, for TSC-deadline mode. */
    uint64_t (*read_tsc)(void *opaque, struct vlapic *vlapic);
    /* EOI of a level-triggered vector (lock not held). */
    void (*eoi)(void *opaque, uint8_t vector);
    void *opaque;
};

struct vlapic {
    pthread_mutex_t lock;
    unsigned int vcpu_id;
    struct vlapic *peers; /* every LAPIC of the domain, by vcpu_id */
    unsigned int nr_peers;
    const struct vlapic_ops *ops;
    uint32_t tsc_khz;

    uint64_t apic_base_msr;
    uint32_t regs[1024];  /* the 4 KiB page, as 32-bit words */
    uint32_t pending_esr; /* errors latched into ESR on next write */

    /* Timer. */
    struct timer timer;
    uint64_t timer_start;   /* NOW() when the count was loaded */
    uint64_t timer_period;  /* ns for the whole count (0: stopped) */
    uint64_t timer_expires; /* next expiry (ns) while counting */
    uint64_t tsc_deadline;

    bool nmi_pending;
    enum vlapic_mp_event mp_event;
    bool wait_for_sipi;
    uint8_t sipi_vector;
};

/* peers[] holds nr_peers LAPICs; this one is peers[vcpu_id]. */
void vlapic_init(struct vlapic *vlapic, struct vlapic *peers,
                 unsigned int nr_peers, unsigned int vcpu_id,
                 const struct vlapic_ops *ops, uint32_t tsc_khz);
void vlapic_reset(struct vlapic *vlapic);
void vlapic_destroy(struct vlapic *vlapic);

/* xAPIC MMIO at the APIC base: X86EMUL_OKAY or X86EMUL_UNHANDLEABLE. */
int vlapic_mmio_access(struct vlapic *vlapic, uint64_t addr, unsigned int size,
                       bool write, uint64_t *val);
/* MSRs 0x1b, 0x6e0 and 0x800-0x8ff: 0, or -EINVAL for #GP. */
int vlapic_rdmsr(struct vlapic *vlapic, uint32_t msr, uint64_t *val);
int vlapic_wrmsr(struct vlapic *vlapic, uint32_t msr, uint64_t val);

bool vlapic_enabled(struct vlapic *vlapic);
bool vlapic_x2apic_mode(struct vlapic *vlapic);
uint32_t vlapic_get_id(struct vlapic *vlapic);

/* Raise a vector (device interrupt, upcall vector); kicks the vCPU. */
void vlapic_set_irq(struct vlapic *vlapic, uint8_t vector, bool level);
/*
 * Deliver as an IPI or IOAPIC message would: to every LAPIC of the
 * domain that dest/dest_mode select (lowest priority: one of them).
 */
void vlapic_deliver(struct vlapic *peers, unsigned int nr, uint32_t dest,
                    bool logical, uint32_t delivery_mode, uint8_t vector,
                    bool level);
bool vlapic_match_dest(struct vlapic *target, uint32_t dest, bool logical);

/* Highest deliverable vector (above PPR), or -1. */
int vlapic_has_pending_irq(struct vlapic *vlapic);
/*
 * A level source that stays asserted (the event-channel upcall vector):
 * raise the vector unless it is already requested or in service. True
 * if it was raised. No kick: the caller is the vCPU's own run loop.
 */
bool vlapic_reassert_irq(struct vlapic *vlapic, uint8_t vector);
/* The vCPU took this vector: IRR -> ISR. */
void vlapic_ack_irq(struct vlapic *vlapic, uint8_t vector);
bool vlapic_nmi_pending(struct vlapic *vlapic);
bool vlapic_take_nmi(struct vlapic *vlapic);
/* The pending INIT/SIPI without taking it (for the kick). */
enum vlapic_mp_event vlapic_peek_mp_event(struct vlapic *vlapic);
enum vlapic_mp_event vlapic_take_mp_event(struct vlapic *vlapic,
                                          uint8_t *sipi_vector);
/* Will this LAPIC take the PIC's output (LVT0 ExtINT, or APIC off)? */
bool vlapic_accept_pic_intr(struct vlapic *vlapic);

#endif
