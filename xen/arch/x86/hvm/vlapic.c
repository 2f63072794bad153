/*
 * Virtual local APIC (see asm-x86/hvm/vlapic.h).
 *
 * All state is in the 4 KiB register page plus a few fields, under the
 * LAPIC's lock. Anything that reaches another LAPIC (IPIs) or another
 * device (EOI of a level-triggered vector) or the vCPU (kick) happens
 * after the lock is dropped, so two LAPICs never hold each other's locks.
 */
#include <errno.h>
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/vlapic.h>
#include <xen/lib.h>

#define REG(off) ((off) >> 2)

static const unsigned int lvt_regs[VLAPIC_LVT_NUM] = {
    APIC_LVTT, APIC_LVTTHMR, APIC_LVTPC, APIC_LVT0, APIC_LVT1, APIC_LVTERR,
};

/* Bits a guest may set in each LVT; delivery status is read-only. */
#define LVT_BASE (APIC_LVT_MASKED | APIC_VECTOR_MASK)
#define LVTT_MASK (LVT_BASE | APIC_TIMER_MODE_MASK)
#define LVT_DM_MASK (LVT_BASE | APIC_MODE_MASK)
#define LINT_MASK (LVT_DM_MASK | APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER)

static uint32_t lvt_mask(unsigned int reg)
{
    switch (reg) {
    case APIC_LVTT:
        return LVTT_MASK;
    case APIC_LVTTHMR:
    case APIC_LVTPC:
        return LVT_DM_MASK;
    case APIC_LVT0:
    case APIC_LVT1:
        return LINT_MASK;
    default:
        return LVT_BASE;
    }
}

static uint32_t get_reg(const struct vlapic *l, unsigned int off)
{
    return l->regs[REG(off)];
}

static void set_reg(struct vlapic *l, unsigned int off, uint32_t val)
{
    l->regs[REG(off)] = val;
}

/* ISR, TMR and IRR: 256 bits spread over eight 16-byte-spaced words. */
static uint32_t *vec_word(struct vlapic *l, unsigned int base, uint8_t vec)
{
    return &l->regs[REG(base + (vec / 32) * 0x10)];
}

static bool vec_test(struct vlapic *l, unsigned int base, uint8_t vec)
{
    return *vec_word(l, base, vec) & (1U << (vec % 32));
}

static void vec_set(struct vlapic *l, unsigned int base, uint8_t vec)
{
    *vec_word(l, base, vec) |= 1U << (vec % 32);
}

static void vec_clear(struct vlapic *l, unsigned int base, uint8_t vec)
{
    *vec_word(l, base, vec) &= ~(1U << (vec % 32));
}

static int vec_highest(const struct vlapic *l, unsigned int base)
{
    for (int i = 7; i >= 0; i--) {
        uint32_t w = l->regs[REG(base + i * 0x10)];

        if (w)
            return i * 32 + 31 - __builtin_clz(w);
    }
    return -1;
}

static bool hw_enabled(const struct vlapic *l)
{
    return l->apic_base_msr & APIC_BASE_MSR_ENABLE;
}

static bool x2apic(const struct vlapic *l)
{
    return l->apic_base_msr & APIC_BASE_MSR_EXTD;
}

static bool sw_enabled(const struct vlapic *l)
{
    return get_reg(l, APIC_SPIV) & APIC_SPIV_APIC_ENABLED;
}

static uint32_t timer_mode(const struct vlapic *l)
{
    return get_reg(l, APIC_LVTT) & APIC_TIMER_MODE_MASK;
}

static uint32_t ppr(const struct vlapic *l)
{
    uint32_t tpr = get_reg(l, APIC_TASKPRI) & APIC_TPRI_MASK;
    int isrv = vec_highest(l, APIC_ISR);
    uint32_t isrc = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

    return (tpr & 0xf0) >= isrc ? tpr : isrc;
}

static int pending_vector(const struct vlapic *l)
{
    int irr;

    if (!hw_enabled(l) || !sw_enabled(l))
        return -1;
    irr = vec_highest(l, APIC_IRR);
    if (irr < 0 || ((uint32_t)irr & 0xf0) <= (ppr(l) & 0xf0))
        return -1;
    return irr;
}

static void kick(struct vlapic *l)
{
    if (l->ops && l->ops->kick)
        l->ops->kick(l->ops->opaque, l);
}

/* Caller holds the lock. True if the vCPU should be kicked. */
static bool accept_fixed(struct vlapic *l, uint8_t vec, bool level);

/* An error: latched for ESR, and the error LVT fires if it may. */
static bool vlapic_error(struct vlapic *l, uint32_t bit)
{
    uint32_t lvterr = get_reg(l, APIC_LVTERR);

    if (l->pending_esr & bit)
        return false;
    l->pending_esr |= bit;
    if ((lvterr & APIC_LVT_MASKED) || (lvterr & APIC_VECTOR_MASK) < 16)
        return false;
    return accept_fixed(l, lvterr & APIC_VECTOR_MASK, false);
}

static bool accept_fixed(struct vlapic *l, uint8_t vec, bool level)
{
    if (vec < 16)
        return vlapic_error(l, APIC_ESR_RECVILL);
    vec_set(l, APIC_IRR, vec);
    if (level)
        vec_set(l, APIC_TMR, vec);
    else
        vec_clear(l, APIC_TMR, vec);
    return true;
}

/* --- Timer ---------------------------------------------------------------- */

static uint64_t ns_per_count(const struct vlapic *l)
{
    uint32_t d = get_reg(l, APIC_TDCR) & APIC_TDR_DIV_1;
    unsigned int shift = (((d & 3) | ((d & 8) >> 1)) + 1) & 7;

    return (uint64_t)APIC_BUS_CYCLE_NS << shift;
}

static void timer_stop(struct vlapic *l)
{
    stop_timer(&l->timer);
    l->timer_period = 0;
    l->timer_expires = 0;
}

/* Count down from 'count' (<= TMICT) in the current one-shot/periodic mode. */
static void timer_load(struct vlapic *l, uint64_t count)
{
    uint64_t now = NOW(), rate = ns_per_count(l);
    uint64_t period = get_reg(l, APIC_TMICT) * rate;

    timer_stop(l);
    if (!count)
        return;
    /* A guest must not turn the timer thread into a busy loop. */
    if (timer_mode(l) == APIC_TIMER_MODE_PERIODIC && period < HVM_MIN_PERIOD_NS)
        period = HVM_MIN_PERIOD_NS;
    l->timer_period = period;
    l->timer_expires = now + MIN(count * rate, period);
    l->timer_start = l->timer_expires - period;
    set_timer(&l->timer, l->timer_expires);
}

static uint32_t timer_current_count(const struct vlapic *l)
{
    uint64_t now = NOW(), remaining, count;

    if (timer_mode(l) == APIC_TIMER_MODE_TSC_DEADLINE || !l->timer_period)
        return 0;
    if (now < l->timer_expires)
        remaining = l->timer_expires - now;
    else if (timer_mode(l) == APIC_TIMER_MODE_PERIODIC)
        remaining = l->timer_period - (now - l->timer_start) % l->timer_period;
    else
        return 0;
    count = remaining / ns_per_count(l);
    return MIN(count, (uint64_t)get_reg(l, APIC_TMICT));
}

static void timer_set_deadline(struct vlapic *l, uint64_t deadline)
{
    uint64_t tsc, ns;

    timer_stop(l);
    l->tsc_deadline = deadline;
    if (!deadline)
        return;
    tsc = l->ops && l->ops->read_tsc ? l->ops->read_tsc(l->ops->opaque, l) : 0;
    ns = deadline > tsc && l->tsc_khz
             ? hvm_muldiv64(deadline - tsc, 1000000, l->tsc_khz)
             : 0;
    l->timer_expires = NOW() + MIN(ns, (uint64_t)INT64_MAX);
    set_timer(&l->timer, l->timer_expires);
}

static void vlapic_timer_fn(void *data)
{
    struct vlapic *l = data;
    uint64_t now = NOW();
    uint32_t lvtt;
    bool fire = false;

    pthread_mutex_lock(&l->lock);
    /* A stale expiry (the timer was re-armed or stopped meanwhile). */
    if (!l->timer_expires || now < l->timer_expires)
        goto out;
    lvtt = get_reg(l, APIC_LVTT);
    if (timer_mode(l) == APIC_TIMER_MODE_TSC_DEADLINE) {
        l->tsc_deadline = 0;
        l->timer_expires = 0;
    } else if (timer_mode(l) == APIC_TIMER_MODE_PERIODIC && l->timer_period) {
        uint64_t n;

        /* Counting started in one-shot mode: the clamp applies from now. */
        if (l->timer_period < HVM_MIN_PERIOD_NS)
            l->timer_period = HVM_MIN_PERIOD_NS;
        /* Ticks missed while the host was busy are dropped, not queued. */
        n = (now - l->timer_start) / l->timer_period + 1;

        l->timer_expires = l->timer_start + n * l->timer_period;
        set_timer(&l->timer, l->timer_expires);
    } else {
        l->timer_period = 0;
        l->timer_expires = 0;
    }
    if (!(lvtt & APIC_LVT_MASKED))
        fire = accept_fixed(l, lvtt & APIC_VECTOR_MASK, false);
out:
    pthread_mutex_unlock(&l->lock);
    if (fire)
        kick(l);
}

/* --- State ---------------------------------------------------------------- */

static uint32_t initial_id(const struct vlapic *l)
{
    return l->vcpu_id * 2;
}

/* Power-on/INIT register state; ID and the base MSR are kept. */
static void reset_regs(struct vlapic *l)
{
    uint32_t id = get_reg(l, APIC_ID), ldr = get_reg(l, APIC_LDR);
    bool keep_id = x2apic(l);

    timer_stop(l);
    l->tsc_deadline = 0;
    memset(l->regs, 0, sizeof(l->regs));
    l->pending_esr = 0;
    set_reg(l, APIC_ID, keep_id ? id : initial_id(l) << 24);
    set_reg(l, APIC_LVR, VLAPIC_VERSION);
    set_reg(l, APIC_DFR, APIC_DFR_FLAT);
    set_reg(l, APIC_SPIV, 0xff);
    if (keep_id)
        set_reg(l, APIC_LDR, ldr);
    for (unsigned int i = 0; i < VLAPIC_LVT_NUM; i++)
        set_reg(l, lvt_regs[i], APIC_LVT_MASKED);
}

void vlapic_init(struct vlapic *vlapic, struct vlapic *peers,
                 unsigned int nr_peers, unsigned int vcpu_id,
                 const struct vlapic_ops *ops, uint32_t tsc_khz)
{
    memset(vlapic, 0, sizeof(*vlapic));
    pthread_mutex_init(&vlapic->lock, NULL);
    vlapic->peers = peers;
    vlapic->nr_peers = nr_peers;
    vlapic->vcpu_id = vcpu_id;
    vlapic->ops = ops;
    vlapic->tsc_khz = tsc_khz;
    init_timer(&vlapic->timer, vlapic_timer_fn, vlapic);
    vlapic_reset(vlapic);
}

void vlapic_reset(struct vlapic *vlapic)
{
    pthread_mutex_lock(&vlapic->lock);
    vlapic->apic_base_msr = APIC_DEFAULT_PHYS_BASE | APIC_BASE_MSR_ENABLE |
                            (vlapic->vcpu_id ? 0 : APIC_BASE_MSR_BSP);
    reset_regs(vlapic);
    vlapic->nmi_pending = false;
    vlapic->mp_event = VLAPIC_MP_NONE;
    vlapic->wait_for_sipi = false;
    pthread_mutex_unlock(&vlapic->lock);
}

void vlapic_destroy(struct vlapic *vlapic)
{
    kill_timer(&vlapic->timer);
    pthread_mutex_destroy(&vlapic->lock);
}

bool vlapic_enabled(struct vlapic *vlapic)
{
    bool r;

    pthread_mutex_lock(&vlapic->lock);
    r = hw_enabled(vlapic) && sw_enabled(vlapic);
    pthread_mutex_unlock(&vlapic->lock);
    return r;
}

bool vlapic_x2apic_mode(struct vlapic *vlapic)
{
    bool r;

    pthread_mutex_lock(&vlapic->lock);
    r = x2apic(vlapic);
    pthread_mutex_unlock(&vlapic->lock);
    return r;
}

static uint32_t id_of(const struct vlapic *l)
{
    return x2apic(l) ? get_reg(l, APIC_ID) : get_reg(l, APIC_ID) >> 24;
}

uint32_t vlapic_get_id(struct vlapic *vlapic)
{
    uint32_t id;

    pthread_mutex_lock(&vlapic->lock);
    id = id_of(vlapic);
    pthread_mutex_unlock(&vlapic->lock);
    return id;
}

/* --- Delivery ------------------------------------------------------------- */

static bool match_dest(const struct vlapic *t, uint32_t dest, bool logical)
{
    uint32_t ldr = get_reg(t, APIC_LDR);

    if (!hw_enabled(t))
        return false;
    if (x2apic(t)) {
        if (dest == 0xffffffff)
            return true;
        if (!logical)
            return dest == get_reg(t, APIC_ID);
        return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
    }
    dest &= 0xff;
    if (!logical)
        return dest == 0xff || dest == get_reg(t, APIC_ID) >> 24;
    ldr >>= 24;
    if ((get_reg(t, APIC_DFR) >> 28) == (APIC_DFR_FLAT >> 28))
        return dest & ldr;
    /* Cluster model: cluster in the high nibble, members in the low. */
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

bool vlapic_match_dest(struct vlapic *target, uint32_t dest, bool logical)
{
    bool r;

    pthread_mutex_lock(&target->lock);
    r = match_dest(target, dest, logical);
    pthread_mutex_unlock(&target->lock);
    return r;
}

void vlapic_set_irq(struct vlapic *vlapic, uint8_t vector, bool level)
{
    bool k;

    pthread_mutex_lock(&vlapic->lock);
    k = accept_fixed(vlapic, vector, level);
    pthread_mutex_unlock(&vlapic->lock);
    if (k)
        kick(vlapic);
}

/* One LAPIC receives one message. */
static void accept(struct vlapic *t, uint32_t mode, uint8_t vector, bool level)
{
    bool k = true;

    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:
        vlapic_set_irq(t, vector, level);
        return;
    case APIC_DM_NMI:
        pthread_mutex_lock(&t->lock);
        t->nmi_pending = true;
        pthread_mutex_unlock(&t->lock);
        break;
    case APIC_DM_INIT:
        pthread_mutex_lock(&t->lock);
        reset_regs(t);
        t->wait_for_sipi = true;
        t->mp_event = VLAPIC_MP_INIT;
        pthread_mutex_unlock(&t->lock);
        break;
    case APIC_DM_STARTUP:
        pthread_mutex_lock(&t->lock);
        /* Only a vCPU waiting after INIT starts; later SIPIs are ignored. */
        k = t->wait_for_sipi;
        if (k) {
            t->wait_for_sipi = false;
            t->sipi_vector = vector;
            t->mp_event = VLAPIC_MP_SIPI;
        }
        pthread_mutex_unlock(&t->lock);
        break;
    default:
        /* SMI, remote read, ExtINT messages: not emulated. */
        k = false;
        break;
    }
    if (k)
        kick(t);
}

static uint32_t ppr_of(struct vlapic *t)
{
    uint32_t p;

    pthread_mutex_lock(&t->lock);
    p = ppr(t);
    pthread_mutex_unlock(&t->lock);
    return p;
}

void vlapic_deliver(struct vlapic *peers, unsigned int nr, uint32_t dest,
                    bool logical, uint32_t delivery_mode, uint8_t vector,
                    bool level)
{
    struct vlapic *lowest = NULL;
    uint32_t lowest_ppr = 0;

    for (unsigned int i = 0; i < nr; i++) {
        struct vlapic *t = &peers[i];

        if (!vlapic_match_dest(t, dest, logical))
            continue;
        if (delivery_mode != APIC_DM_LOWEST) {
            accept(t, delivery_mode, vector, level);
            continue;
        }
        if (!lowest || ppr_of(t) < lowest_ppr) {
            lowest = t;
            lowest_ppr = ppr_of(t);
        }
    }
    if (lowest)
        accept(lowest, APIC_DM_LOWEST, vector, level);
}

/* ICR: to the destination or the shorthand's set of LAPICs. */
static void send_ipi(struct vlapic *l, uint32_t icr, uint32_t dest)
{
    uint32_t mode = icr & APIC_MODE_MASK, sh = icr & APIC_SHORT_MASK;
    uint8_t vector = icr & APIC_VECTOR_MASK;
    bool level = icr & APIC_INT_LEVELTRIG;

    /* An INIT level de-assert only synchronises arbitration IDs. */
    if (mode == APIC_DM_INIT && level && !(icr & APIC_INT_ASSERT))
        return;
    if ((mode == APIC_DM_FIXED || mode == APIC_DM_LOWEST) && vector < 16) {
        bool k;

        pthread_mutex_lock(&l->lock);
        k = vlapic_error(l, APIC_ESR_SENDILL);
        pthread_mutex_unlock(&l->lock);
        if (k)
            kick(l);
        return;
    }
    switch (sh) {
    case APIC_DEST_SELF:
        accept(l, mode, vector, level);
        break;
    case APIC_DEST_ALLINC:
    case APIC_DEST_ALLBUT:
        for (unsigned int i = 0; i < l->nr_peers; i++) {
            struct vlapic *t = &l->peers[i];

            if (sh == APIC_DEST_ALLBUT && t == l)
                continue;
            if (vlapic_match_dest(t, 0xffffffff, false))
                accept(t, mode, vector, level);
        }
        break;
    default:
        vlapic_deliver(l->peers, l->nr_peers, dest, icr & APIC_DEST_LOGICAL,
                       mode, vector, level);
        break;
    }
}

int vlapic_has_pending_irq(struct vlapic *vlapic)
{
    int v;

    pthread_mutex_lock(&vlapic->lock);
    v = pending_vector(vlapic);
    pthread_mutex_unlock(&vlapic->lock);
    return v;
}

bool vlapic_reassert_irq(struct vlapic *vlapic, uint8_t vector)
{
    bool raised = false;

    pthread_mutex_lock(&vlapic->lock);
    if (vector >= 16 && !vec_test(vlapic, APIC_IRR, vector) &&
        !vec_test(vlapic, APIC_ISR, vector)) {
        vec_set(vlapic, APIC_IRR, vector);
        vec_clear(vlapic, APIC_TMR, vector);
        raised = true;
    }
    pthread_mutex_unlock(&vlapic->lock);
    return raised;
}

void vlapic_ack_irq(struct vlapic *vlapic, uint8_t vector)
{
    pthread_mutex_lock(&vlapic->lock);
    if (vec_test(vlapic, APIC_IRR, vector)) {
        vec_clear(vlapic, APIC_IRR, vector);
        vec_set(vlapic, APIC_ISR, vector);
    }
    pthread_mutex_unlock(&vlapic->lock);
}

bool vlapic_nmi_pending(struct vlapic *vlapic)
{
    bool r;

    pthread_mutex_lock(&vlapic->lock);
    r = vlapic->nmi_pending;
    pthread_mutex_unlock(&vlapic->lock);
    return r;
}

bool vlapic_take_nmi(struct vlapic *vlapic)
{
    bool r;

    pthread_mutex_lock(&vlapic->lock);
    r = vlapic->nmi_pending;
    vlapic->nmi_pending = false;
    pthread_mutex_unlock(&vlapic->lock);
    return r;
}

enum vlapic_mp_event vlapic_peek_mp_event(struct vlapic *vlapic)
{
    enum vlapic_mp_event e;

    pthread_mutex_lock(&vlapic->lock);
    e = vlapic->mp_event;
    pthread_mutex_unlock(&vlapic->lock);
    return e;
}

enum vlapic_mp_event vlapic_take_mp_event(struct vlapic *vlapic,
                                          uint8_t *sipi_vector)
{
    enum vlapic_mp_event e;

    pthread_mutex_lock(&vlapic->lock);
    e = vlapic->mp_event;
    vlapic->mp_event = VLAPIC_MP_NONE;
    *sipi_vector = vlapic->sipi_vector;
    pthread_mutex_unlock(&vlapic->lock);
    return e;
}

bool vlapic_accept_pic_intr(struct vlapic *vlapic)
{
    uint32_t lvt0;
    bool r;

    pthread_mutex_lock(&vlapic->lock);
    lvt0 = get_reg(vlapic, APIC_LVT0);
    if (!hw_enabled(vlapic))
        r = vlapic->vcpu_id == 0;
    else
        r = (lvt0 & (APIC_LVT_MASKED | APIC_MODE_MASK)) == APIC_DM_EXTINT;
    pthread_mutex_unlock(&vlapic->lock);
    return r;
}

/* --- Register access ------------------------------------------------------ */

static uint64_t read_reg(struct vlapic *l, unsigned int off)
{
    switch (off) {
    case APIC_PROCPRI:
        return ppr(l);
    case APIC_TMCCT:
        return timer_current_count(l);
    case APIC_TMICT:
        return timer_mode(l) == APIC_TIMER_MODE_TSC_DEADLINE
                   ? 0
                   : get_reg(l, APIC_TMICT);
    case APIC_ICR:
        if (x2apic(l))
            return get_reg(l, APIC_ICR) | (uint64_t)get_reg(l, APIC_ICR2) << 32;
        return get_reg(l, APIC_ICR);
    default:
        return get_reg(l, off);
    }
}

/* What a write asks for once the lock is dropped. */
struct after_write {
    bool ipi, eoi, kick;
    uint32_t icr, dest;
    uint8_t eoi_vector;
};

static bool is_lvt(unsigned int off)
{
    return off >= APIC_LVTT && off <= APIC_LVTERR && !(off & 0xf);
}

/* Caller holds the lock and has checked x2APIC's #GP rules. */
static void write_reg(struct vlapic *l, unsigned int off, uint64_t val,
                      struct after_write *aw)
{
    uint32_t v32 = (uint32_t)val;

    switch (off) {
    case APIC_TASKPRI:
        set_reg(l, off, v32 & APIC_TPRI_MASK);
        aw->kick = pending_vector(l) >= 0;
        break;
    case APIC_EOI: {
        int isrv = vec_highest(l, APIC_ISR);

        if (isrv < 0)
            break;
        vec_clear(l, APIC_ISR, isrv);
        aw->eoi = vec_test(l, APIC_TMR, isrv);
        aw->eoi_vector = isrv;
        aw->kick = pending_vector(l) >= 0;
        break;
    }
    case APIC_LDR:
        if (!x2apic(l))
            set_reg(l, off, v32 & 0xff000000);
        break;
    case APIC_DFR:
        if (!x2apic(l))
            set_reg(l, off, v32 | APIC_DFR_CLUSTER);
        break;
    case APIC_SPIV:
        set_reg(l, off,
                v32 & (APIC_VECTOR_MASK | APIC_SPIV_APIC_ENABLED |
                       APIC_SPIV_FOCUS_DISABLED));
        /* Software-disabled: every LVT masked until software unmasks. */
        if (!(v32 & APIC_SPIV_APIC_ENABLED))
            for (unsigned int i = 0; i < VLAPIC_LVT_NUM; i++)
                set_reg(l, lvt_regs[i],
                        get_reg(l, lvt_regs[i]) | APIC_LVT_MASKED);
        aw->kick = pending_vector(l) >= 0;
        break;
    case APIC_ESR:
        set_reg(l, off, l->pending_esr);
        l->pending_esr = 0;
        break;
    case APIC_ICR:
        set_reg(l, APIC_ICR, v32 & ~APIC_ICR_BUSY);
        if (x2apic(l))
            set_reg(l, APIC_ICR2, val >> 32);
        aw->ipi = true;
        aw->icr = v32;
        aw->dest = x2apic(l) ? val >> 32 : get_reg(l, APIC_ICR2) >> 24;
        break;
    case APIC_ICR2:
        if (!x2apic(l))
            set_reg(l, off, v32 & 0xff000000);
        break;
    case APIC_TMICT:
        if (timer_mode(l) == APIC_TIMER_MODE_TSC_DEADLINE)
            break;
        set_reg(l, off, v32);
        timer_load(l, v32);
        break;
    case APIC_TDCR: {
        uint32_t cur = timer_current_count(l);

        set_reg(l, off, v32 & APIC_TDR_DIV_1);
        /* The count carries on at the new rate. */
        if (l->timer_period && timer_mode(l) != APIC_TIMER_MODE_TSC_DEADLINE)
            timer_load(l, cur);
        break;
    }
    case APIC_SELF_IPI:
        if (x2apic(l)) {
            aw->ipi = true;
            aw->icr = APIC_DEST_SELF | (v32 & APIC_VECTOR_MASK);
        }
        break;
    default:
        if (!is_lvt(off))
            break; /* read-only or not a register: ignored */
        v32 &= lvt_mask(off);
        if (!sw_enabled(l))
            v32 |= APIC_LVT_MASKED;
        if (off == APIC_LVTT &&
            ((get_reg(l, off) ^ v32) & APIC_TIMER_MODE_MASK) &&
            (timer_mode(l) == APIC_TIMER_MODE_TSC_DEADLINE ||
             (v32 & APIC_TIMER_MODE_MASK) == APIC_TIMER_MODE_TSC_DEADLINE)) {
            /* Into or out of TSC-deadline mode: the timer disarms. */
            timer_stop(l);
            set_reg(l, APIC_TMICT, 0);
            l->tsc_deadline = 0;
        }
        set_reg(l, off, (get_reg(l, off) & APIC_LVT_REMOTE_IRR) | v32);
        break;
    }
}

static void finish_write(struct vlapic *l, const struct after_write *aw)
{
    if (aw->eoi && l->ops && l->ops->eoi)
        l->ops->eoi(l->ops->opaque, aw->eoi_vector);
    if (aw->ipi)
        send_ipi(l, aw->icr, aw->dest);
    if (aw->kick)
        kick(l);
}

int vlapic_mmio_access(struct vlapic *vlapic, uint64_t addr, unsigned int size,
                       bool write, uint64_t *val)
{
    struct after_write aw = {0};
    uint64_t base, off;

    pthread_mutex_lock(&vlapic->lock);
    base = vlapic->apic_base_msr & APIC_BASE_MSR_ADDR_MASK;
    if (!hw_enabled(vlapic) || x2apic(vlapic) || addr < base ||
        addr - base >= PAGE_SIZE) {
        pthread_mutex_unlock(&vlapic->lock);
        return X86EMUL_UNHANDLEABLE;
    }
    off = addr - base;
    if (!write) {
        /* Bytes of one 32-bit register; anything else reads zero. */
        unsigned int in = off & 0xf;

        *val = 0;
        if ((size == 1 || size == 2 || size == 4) && in + size <= 4)
            *val = (read_reg(vlapic, off & ~0xfUL) >> (in * 8)) &
                   (~0ULL >> (64 - size * 8));
    } else if (size == 4 && !(off & 0xf)) {
        write_reg(vlapic, off, (uint32_t)*val, &aw);
    }
    /* Other writes (sub-word, unaligned, 8-byte) are dropped. */
    pthread_mutex_unlock(&vlapic->lock);
    finish_write(vlapic, &aw);
    return X86EMUL_OKAY;
}

/* x2APIC: which offsets exist for reading and writing. */
static bool x2apic_readable(unsigned int off)
{
    switch (off) {
    case APIC_ID:
    case APIC_LVR:
    case APIC_TASKPRI:
    case APIC_PROCPRI:
    case APIC_LDR:
    case APIC_SPIV:
    case APIC_ESR:
    case APIC_ICR:
    case APIC_TMICT:
    case APIC_TMCCT:
    case APIC_TDCR:
        return true;
    default:
        return (off >= APIC_ISR && off < APIC_ESR) || is_lvt(off);
    }
}

/* x2APIC writes with reserved bits set raise #GP; 0 or -EINVAL. */
static int x2apic_check_write(unsigned int off, uint64_t val)
{
    uint64_t allowed;

    switch (off) {
    case APIC_TASKPRI:
        allowed = APIC_TPRI_MASK;
        break;
    case APIC_EOI:
    case APIC_ESR:
        allowed = 0;
        break;
    case APIC_SPIV:
        allowed = APIC_VECTOR_MASK | APIC_SPIV_APIC_ENABLED |
                  APIC_SPIV_FOCUS_DISABLED;
        break;
    case APIC_ICR:
        allowed = 0xffffffff00000000ULL | APIC_VECTOR_MASK | APIC_MODE_MASK |
                  APIC_DEST_MASK | APIC_INT_ASSERT | APIC_INT_LEVELTRIG |
                  APIC_SHORT_MASK;
        break;
    case APIC_TMICT:
        allowed = 0xffffffff;
        break;
    case APIC_TDCR:
        allowed = APIC_TDR_DIV_1;
        break;
    case APIC_SELF_IPI:
        allowed = APIC_VECTOR_MASK;
        break;
    default:
        if (!is_lvt(off))
            return -EINVAL;
        allowed = lvt_mask(off) | APIC_SEND_PENDING;
        break;
    }
    return val & ~allowed ? -EINVAL : 0;
}

/* Base MSR transitions the SDM allows: off <-> xAPIC -> x2APIC -> off. */
static int write_apic_base(struct vlapic *l, uint64_t val)
{
    uint64_t old = l->apic_base_msr;
    uint64_t allowed = 0x000ffffffffff000ULL | APIC_BASE_MSR_ENABLE |
                       APIC_BASE_MSR_EXTD | APIC_BASE_MSR_BSP;
    bool en = val & APIC_BASE_MSR_ENABLE, extd = val & APIC_BASE_MSR_EXTD;

    /* Any page below 4 PiB may hold the xAPIC registers, as in Xen. */
    if (val & ~allowed)
        return -EINVAL;
    if (extd && !en)
        return -EINVAL;
    if (extd && !(old & APIC_BASE_MSR_ENABLE))
        return -EINVAL;
    if (en && !extd && (old & APIC_BASE_MSR_EXTD))
        return -EINVAL;

    /* The BSP flag is the hardware's, not the guest's. */
    l->apic_base_msr = (val & ~APIC_BASE_MSR_BSP) | (old & APIC_BASE_MSR_BSP);
    if (!en && (old & APIC_BASE_MSR_ENABLE)) {
        l->apic_base_msr &= ~APIC_BASE_MSR_EXTD;
        reset_regs(l);
    } else if (extd && !(old & APIC_BASE_MSR_EXTD)) {
        uint32_t id = initial_id(l);

        set_reg(l, APIC_ID, id);
        set_reg(l, APIC_LDR, ((id & ~0xfU) << 12) | (1U << (id & 0xf)));
    }
    return 0;
}

int vlapic_rdmsr(struct vlapic *vlapic, uint32_t msr, uint64_t *val)
{
    unsigned int off = (msr - APIC_MSR_BASE) << 4;
    int rc = 0;

    pthread_mutex_lock(&vlapic->lock);
    if (msr == MSR_IA32_APICBASE) {
        *val = vlapic->apic_base_msr;
    } else if (msr == MSR_IA32_TSC_DEADLINE) {
        *val = timer_mode(vlapic) == APIC_TIMER_MODE_TSC_DEADLINE
                   ? vlapic->tsc_deadline
                   : 0;
    } else if (msr < APIC_MSR_BASE || msr > APIC_MSR_BASE + 0xff ||
               !x2apic(vlapic) || !x2apic_readable(off)) {
        rc = -EINVAL;
    } else {
        *val = read_reg(vlapic, off);
    }
    pthread_mutex_unlock(&vlapic->lock);
    return rc;
}

int vlapic_wrmsr(struct vlapic *vlapic, uint32_t msr, uint64_t val)
{
    struct after_write aw = {0};
    unsigned int off = (msr - APIC_MSR_BASE) << 4;
    int rc = 0;

    pthread_mutex_lock(&vlapic->lock);
    if (msr == MSR_IA32_APICBASE) {
        rc = write_apic_base(vlapic, val);
    } else if (msr == MSR_IA32_TSC_DEADLINE) {
        /* Ignored unless the timer is in TSC-deadline mode, as on hardware. */
        if (timer_mode(vlapic) == APIC_TIMER_MODE_TSC_DEADLINE)
            timer_set_deadline(vlapic, val);
    } else if (msr < APIC_MSR_BASE || msr > APIC_MSR_BASE + 0xff ||
               !x2apic(vlapic)) {
        rc = -EINVAL;
    } else {
        rc = x2apic_check_write(off, val);
        if (!rc)
            write_reg(vlapic, off, val, &aw);
    }
    pthread_mutex_unlock(&vlapic->lock);
    finish_write(vlapic, &aw);
    return rc;
}
