/*
 * Virtual ACPI PM registers (see asm-x86/hvm/pmtimer.h). The counter is
 * computed from NOW(); TMR_STS is brought up to date on each status read
 * and, while TMR_EN is set, by a timer at each toggle of the counter's
 * top bit, so that the SCI arrives.
 */
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/pmtimer.h>

static unsigned int msb_shift(const struct vpmtimer *pm)
{
    return pm->tmr_val_ext ? 31 : 23;
}

static uint64_t ticks_at(const struct vpmtimer *pm, uint64_t now)
{
    return hvm_muldiv64(now - pm->base_ns, FREQUENCE_PMTIMER, SECONDS(1));
}

static uint32_t tmr_value(const struct vpmtimer *pm, uint64_t now)
{
    uint64_t t = ticks_at(pm, now);

    return pm->tmr_val_ext ? (uint32_t)t : t & 0xffffff;
}

static void update_sci(struct vpmtimer *pm)
{
    bool level = pm->pm1a_sts & pm->pm1a_en & SCI_MASK;

    if (level != pm->sci) {
        pm->sci = level;
        hvm_line_set(&pm->isa, SCI_IRQ, level);
    }
}

static void update_tmr_sts(struct vpmtimer *pm, uint64_t now)
{
    uint64_t t = ticks_at(pm, now);

    if ((t >> msb_shift(pm)) != (pm->last_ticks >> msb_shift(pm)))
        pm->pm1a_sts |= TMR_STS;
    pm->last_ticks = t;
}

static void arm(struct vpmtimer *pm, uint64_t now)
{
    uint64_t next;

    stop_timer(&pm->timer);
    pm->next_toggle = 0;
    if (!(pm->pm1a_en & TMR_EN))
        return;
    next = ((ticks_at(pm, now) >> msb_shift(pm)) + 1) << msb_shift(pm);
    /* The first ns at which the counter has reached 'next'. */
    pm->next_toggle =
        pm->base_ns +
        (next * SECONDS(1) + FREQUENCE_PMTIMER - 1) / FREQUENCE_PMTIMER;
    set_timer(&pm->timer, pm->next_toggle);
}

static void pmt_timer_fn(void *data)
{
    struct vpmtimer *pm = data;
    uint64_t now = NOW();

    pthread_mutex_lock(&pm->lock);
    if (pm->next_toggle && now >= pm->next_toggle) {
        update_tmr_sts(pm, now);
        update_sci(pm);
        arm(pm, now);
    }
    pthread_mutex_unlock(&pm->lock);
}

void vpmtimer_init(struct vpmtimer *pm, struct hvm_irq_line isa,
                   bool tmr_val_ext, void (*poweroff)(void *opaque),
                   void *opaque)
{
    memset(pm, 0, sizeof(*pm));
    pthread_mutex_init(&pm->lock, NULL);
    pm->isa = isa;
    pm->tmr_val_ext = tmr_val_ext;
    pm->poweroff = poweroff;
    pm->opaque = opaque;
    pm->base_ns = NOW();
    init_timer(&pm->timer, pmt_timer_fn, pm);
}

void vpmtimer_destroy(struct vpmtimer *pm)
{
    kill_timer(&pm->timer);
    pthread_mutex_destroy(&pm->lock);
}

void pmtimer_power_button(struct vpmtimer *pm)
{
    pthread_mutex_lock(&pm->lock);
    pm->pm1a_sts |= PWRBTN_STS;
    update_sci(pm);
    pthread_mutex_unlock(&pm->lock);
}

/* Status (bytes 0-1, write 1 to clear) and enable (bytes 2-3). */
static void evt_access(struct vpmtimer *pm, unsigned int off, unsigned int size,
                       bool write, uint64_t *val)
{
    uint64_t now = NOW();
    uint32_t reg, mask = (uint32_t)(~0ULL >> (64 - 8 * size)) << (off * 8);

    update_tmr_sts(pm, now);
    reg = pm->pm1a_sts | (uint32_t)pm->pm1a_en << 16;
    if (!write) {
        *val = (reg & mask) >> (off * 8);
        return;
    }
    reg = (uint32_t)*val << (off * 8) & mask;
    pm->pm1a_sts &= ~(reg & 0xffff);
    if (mask >> 16) {
        pm->pm1a_en = (pm->pm1a_en & ~(mask >> 16)) | reg >> 16;
        pm->pm1a_en &= TMR_EN | GBL_EN | PWRBTN_EN | SLPBTN_EN | RTC_EN;
        arm(pm, now);
    }
    update_sci(pm);
}

/* Returns true if the write asked for S5. */
static bool cnt_access(struct vpmtimer *pm, unsigned int off, unsigned int size,
                       bool write, uint64_t *val)
{
    uint32_t mask = (uint32_t)(~0ULL >> (64 - 8 * size)) << (off * 8);
    uint32_t v;

    if (!write) {
        *val = (pm->pm1a_cnt & mask) >> (off * 8);
        return false;
    }
    v = (uint32_t)*val << (off * 8) & mask;
    pm->pm1a_cnt = (pm->pm1a_cnt & ~mask) | (v & (SCI_EN | SLP_TYP_MASK));
    /* SLP_EN is write-only: it starts the transition to SLP_TYP. */
    return (v & SLP_EN) &&
           ((pm->pm1a_cnt & SLP_TYP_MASK) >> SLP_TYP_SHIFT) == ACPI_S5_SLP_TYP;
}

int vpmtimer_io_access(struct vpmtimer *pm, uint16_t port, unsigned int size,
                       bool write, uint64_t *val)
{
    unsigned int off;
    bool poweroff = false;

    if (port >= ACPI_PM1A_EVT_BLK_ADDRESS_V1 &&
        port < ACPI_PM1A_EVT_BLK_ADDRESS_V1 + ACPI_PM1A_EVT_BLK_LEN)
        off = port - ACPI_PM1A_EVT_BLK_ADDRESS_V1;
    else if (port >= ACPI_PM1A_CNT_BLK_ADDRESS_V1 &&
             port < ACPI_PM1A_CNT_BLK_ADDRESS_V1 + ACPI_PM1A_CNT_BLK_LEN)
        off = port - ACPI_PM1A_CNT_BLK_ADDRESS_V1;
    else if (port >= ACPI_PM_TMR_BLK_ADDRESS_V1 &&
             port < ACPI_PM_TMR_BLK_ADDRESS_V1 + ACPI_PM_TMR_BLK_LEN)
        off = port - ACPI_PM_TMR_BLK_ADDRESS_V1;
    else
        return X86EMUL_UNHANDLEABLE;

    pthread_mutex_lock(&pm->lock);
    if (port >= ACPI_PM_TMR_BLK_ADDRESS_V1) {
        /* The timer is one read-only 32-bit register. */
        if (!write)
            *val = size == 4 && !off ? tmr_value(pm, NOW()) : ~0ULL;
    } else if ((size != 1 && size != 2 && size != 4) ||
               off + size > (port >= ACPI_PM1A_CNT_BLK_ADDRESS_V1
                                 ? ACPI_PM1A_CNT_BLK_LEN
                                 : ACPI_PM1A_EVT_BLK_LEN)) {
        if (!write)
            *val = ~0ULL;
    } else if (port >= ACPI_PM1A_CNT_BLK_ADDRESS_V1) {
        poweroff = cnt_access(pm, off, size, write, val);
    } else {
        evt_access(pm, off, size, write, val);
    }
    pthread_mutex_unlock(&pm->lock);
    if (poweroff && pm->poweroff)
        pm->poweroff(pm->opaque);
    return X86EMUL_OKAY;
}
