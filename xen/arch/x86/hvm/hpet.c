/*
 * Virtual HPET (see asm-x86/hvm/hpet.h). The main counter is computed
 * from NOW() while enabled. Each enabled timer whose interrupt can be
 * seen (enabled, or level-triggered with its status bit) has a struct
 * timer armed for its next comparator match.
 */
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/hpet.h>
#include <xen/lib.h>

#define TN_WRITABLE                                                            \
    (HPET_TN_LEVEL | HPET_TN_ENABLE | HPET_TN_PERIODIC | HPET_TN_SETVAL |      \
     HPET_TN_32BIT | HPET_TN_ROUTE)
/* Periodic timers are clamped like every platform timer. */
#define MIN_PERIOD_TICKS (HVM_MIN_PERIOD_NS / STIME_PER_HPET_TICK)

static bool enabled(const struct vhpet *h)
{
    return h->config & HPET_CFG_ENABLE;
}

static uint64_t counter(const struct vhpet *h, uint64_t now)
{
    if (!enabled(h))
        return h->mc_base;
    return h->mc_base + (now - h->ref_ns) / STIME_PER_HPET_TICK;
}

static bool is32(const struct vhpet_timer *t)
{
    return t->config & HPET_TN_32BIT;
}

/* ISA line in legacy replacement mode, else the routed GSI (or -1). */
static int timer_line(const struct vhpet *h, unsigned int n, bool *isa)
{
    unsigned int route;

    *isa = (h->config & HPET_CFG_LEGACY) && n <= 1;
    if (*isa)
        return n == 0 ? 0 : 8;
    route = (h->t[n].config & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT;
    if (!(h->t[n].config & (1ULL << (route + HPET_TN_INT_ROUTE_CAP_SHIFT))))
        return -1;
    return route;
}

static void line_set(struct vhpet *h, bool isa, int line, bool level)
{
    hvm_line_set(isa ? &h->isa : &h->gsi, line, level);
}

static void release_line(struct vhpet *h, unsigned int n)
{
    struct vhpet_timer *t = &h->t[n];

    if (t->asserted_line < 0)
        return;
    line_set(h, t->asserted_isa, t->asserted_line, false);
    t->asserted_line = -1;
}

/* Periodic: move the comparator past the counter, whole periods at once. */
static void cmp_catch_up(struct vhpet *h, unsigned int n, uint64_t cnt)
{
    struct vhpet_timer *t = &h->t[n];
    uint64_t behind, steps, period;

    if (!enabled(h) || !(t->config & HPET_TN_PERIODIC) || !t->period)
        return;
    if (is32(t)) {
        if ((int32_t)((uint32_t)cnt - (uint32_t)t->cmp) < 0)
            return;
        behind = (uint32_t)((uint32_t)cnt - (uint32_t)t->cmp);
    } else {
        if ((int64_t)(cnt - t->cmp) < 0)
            return;
        behind = cnt - t->cmp;
    }
    /* 32-bit mode may have cut the period below the clamp. */
    period = MAX(t->period, MIN_PERIOD_TICKS);
    steps = behind / period + 1;
    t->cmp += steps * period;
    if (is32(t))
        t->cmp = (uint32_t)t->cmp;
}

static void arm(struct vhpet *h, unsigned int n, uint64_t now)
{
    struct vhpet_timer *t = &h->t[n];
    uint64_t cnt, diff, elapsed;

    stop_timer(&t->timer);
    t->expires = 0;
    if (!enabled(h) || !(t->config & (HPET_TN_ENABLE | HPET_TN_LEVEL)))
        return;
    cnt = counter(h, now);
    cmp_catch_up(h, n, cnt);
    if (is32(t)) {
        diff = (uint32_t)((uint32_t)t->cmp - (uint32_t)cnt);
    } else {
        /* A 64-bit comparator behind the counter matches only after wrap. */
        if ((int64_t)(t->cmp - cnt) < 0)
            return;
        diff = t->cmp - cnt;
    }
    elapsed = (now - h->ref_ns) / STIME_PER_HPET_TICK;
    if (diff > (UINT64_MAX / 2 - h->ref_ns) / STIME_PER_HPET_TICK - elapsed)
        return; /* centuries away */
    t->expires = h->ref_ns + (elapsed + diff) * STIME_PER_HPET_TICK;
    set_timer(&t->timer, t->expires);
}

static void arm_all(struct vhpet *h, uint64_t now)
{
    for (unsigned int n = 0; n < HPET_TIMER_NUM; n++)
        arm(h, n, now);
}

static void fire(struct vhpet *h, unsigned int n)
{
    struct vhpet_timer *t = &h->t[n];
    bool isa;
    int line = timer_line(h, n, &isa);

    if (t->config & HPET_TN_LEVEL) {
        h->isr |= 1ULL << n;
        if ((t->config & HPET_TN_ENABLE) && line >= 0 && t->asserted_line < 0) {
            line_set(h, isa, line, true);
            t->asserted_line = line;
            t->asserted_isa = isa;
        }
    } else if ((t->config & HPET_TN_ENABLE) && line >= 0) {
        line_set(h, isa, line, true);
        line_set(h, isa, line, false);
    }
}

static void hpet_timer_fn(void *data)
{
    struct vhpet_timer *t = data;
    struct vhpet *h = t->owner;
    uint64_t now = NOW();

    pthread_mutex_lock(&h->lock);
    if (t->expires && now >= t->expires) {
        fire(h, t->idx);
        t->expires = 0;
        /* Without a period, a periodic timer matches once, as one-shot. */
        if ((t->config & HPET_TN_PERIODIC) && t->period)
            arm(h, t->idx, now);
    }
    pthread_mutex_unlock(&h->lock);
}

void vhpet_init(struct vhpet *h, struct hvm_irq_line isa,
                struct hvm_irq_line gsi, struct vpit *pit)
{
    memset(h, 0, sizeof(*h));
    pthread_mutex_init(&h->lock, NULL);
    h->isa = isa;
    h->gsi = gsi;
    h->pit = pit;
    /* Xen's capabilities: 0x8086a201 and a 16 ns (16e6 fs) period. */
    h->capability = 0x80860001ULL |
                    (HPET_TIMER_NUM - 1) << HPET_ID_NUMBER_SHIFT |
                    HPET_ID_64BIT | HPET_ID_LEGSUP |
                    (uint64_t)(1000000ULL * STIME_PER_HPET_TICK) << 32;
    for (unsigned int n = 0; n < HPET_TIMER_NUM; n++) {
        struct vhpet_timer *t = &h->t[n];

        t->owner = h;
        t->idx = n;
        t->config =
            HPET_TN_INT_ROUTE_CAP | HPET_TN_64BIT_CAP | HPET_TN_PERIODIC_CAP;
        t->cmp = ~0ULL;
        t->asserted_line = -1;
        init_timer(&t->timer, hpet_timer_fn, t);
    }
}

void vhpet_destroy(struct vhpet *h)
{
    for (unsigned int n = 0; n < HPET_TIMER_NUM; n++)
        kill_timer(&h->t[n].timer);
    pthread_mutex_destroy(&h->lock);
}

/* Timer n and its register (CFG, CMP, ROUTE) for offset off, or -1. */
static int timer_reg(uint64_t off, unsigned int *reg)
{
    if (off < HPET_Tn_CFG(0) || off >= HPET_Tn_CFG(HPET_TIMER_NUM))
        return -1;
    *reg = (off - HPET_Tn_CFG(0)) % 0x20;
    return (off - HPET_Tn_CFG(0)) / 0x20;
}

static uint64_t read64(struct vhpet *h, uint64_t off, uint64_t now)
{
    unsigned int reg;
    int n;

    switch (off) {
    case HPET_ID:
        return h->capability;
    case HPET_CFG:
        return h->config;
    case HPET_STATUS:
        return h->isr;
    case HPET_COUNTER:
        return counter(h, now);
    }
    n = timer_reg(off, &reg);
    if (n < 0)
        return 0;
    switch (reg) {
    case 0x00:
        return h->t[n].config;
    case 0x08:
        cmp_catch_up(h, n, counter(h, now));
        return h->t[n].cmp;
    case 0x10:
        return h->t[n].fsb;
    default:
        return 0;
    }
}

static void write_cfg(struct vhpet *h, uint64_t val, uint64_t now)
{
    uint64_t old = h->config;

    if ((old ^ val) & HPET_CFG_ENABLE) {
        if (val & HPET_CFG_ENABLE)
            h->ref_ns = now;
        else
            h->mc_base = counter(h, now);
    }
    /* Lines change with the routing: drop what was held on the old one. */
    if ((old ^ val) & HPET_CFG_LEGACY)
        for (unsigned int n = 0; n < 2; n++)
            release_line(h, n);
    h->config = val & (HPET_CFG_ENABLE | HPET_CFG_LEGACY);
    if ((val & HPET_CFG_LEGACY) && h->pit)
        pit_stop_channel0_irq(h->pit);
    arm_all(h, now);
}

static void write_timer(struct vhpet *h, unsigned int n, unsigned int reg,
                        uint64_t val, uint64_t now)
{
    struct vhpet_timer *t = &h->t[n];
    uint64_t max;

    switch (reg) {
    case 0x00:
        if ((t->config ^ val) &
            (HPET_TN_ROUTE | HPET_TN_LEVEL | HPET_TN_ENABLE))
            release_line(h, n);
        t->config = (t->config & ~(uint64_t)TN_WRITABLE) | (val & TN_WRITABLE);
        if (is32(t)) {
            t->cmp = (uint32_t)t->cmp;
            t->period = (uint32_t)t->period;
        }
        break;
    case 0x08:
        if (is32(t))
            val = (uint32_t)val;
        if ((t->config & HPET_TN_PERIODIC) && !(t->config & HPET_TN_SETVAL)) {
            max = (is32(t) ? UINT32_MAX : UINT64_MAX) >> 1;
            t->period = MIN(MAX(val, MIN_PERIOD_TICKS), max);
        } else {
            /* SETVAL: this write sets the comparator, once. */
            t->cmp = val;
            t->config &= ~(uint64_t)HPET_TN_SETVAL;
        }
        break;
    case 0x10:
        t->fsb = val;
        return;
    default:
        return;
    }
    arm(h, n, now);
}

int vhpet_mmio_access(struct vhpet *h, uint64_t addr, unsigned int size,
                      bool write, uint64_t *val)
{
    uint64_t off, now, old, mask, v;
    unsigned int shift, reg;
    int n;

    if (addr < HPET_BASE_ADDRESS || addr - HPET_BASE_ADDRESS >= HPET_MMAP_SIZE)
        return X86EMUL_UNHANDLEABLE;
    off = addr - HPET_BASE_ADDRESS;
    /* Across a register boundary: reads float, writes vanish. */
    if ((size != 4 && size != 8) || (off & (size - 1))) {
        if (!write)
            *val = ~0ULL;
        return X86EMUL_OKAY;
    }
    shift = (off & 7) * 8;
    mask = size == 8 ? ~0ULL : 0xffffffffULL << shift;
    pthread_mutex_lock(&h->lock);
    now = NOW();
    old = read64(h, off & ~7ULL, now);
    if (!write) {
        *val = (old & mask) >> shift;
        goto out;
    }
    v = (old & ~mask) | ((*val << shift) & mask);
    off &= ~7ULL;
    switch (off) {
    case HPET_CFG:
        write_cfg(h, v, now);
        break;
    case HPET_STATUS:
        /* Write 1 to clear a level-triggered timer's status. */
        v = (*val << shift) & mask;
        for (unsigned int i = 0; i < HPET_TIMER_NUM; i++)
            if (v & (1ULL << i) & h->isr) {
                h->isr &= ~(1ULL << i);
                release_line(h, i);
            }
        break;
    case HPET_COUNTER:
        h->mc_base = v;
        h->ref_ns = now;
        arm_all(h, now);
        break;
    default:
        n = timer_reg(off, &reg);
        if (n >= 0)
            write_timer(h, n, reg, v, now);
        break; /* capabilities and holes are read-only */
    }
out:
    pthread_mutex_unlock(&h->lock);
    return X86EMUL_OKAY;
}
