/*
 * Virtual MC146818 RTC (see asm-x86/hvm/rtc.h). The time registers are
 * computed on each read from a base (seconds at a NOW()); writes move the
 * base. The update timer ticks each second while the clock runs and sets
 * UF and AF; the periodic timer runs only while PIE is set, otherwise PF
 * is brought up to date when register C is read.
 */
#include <string.h>
#include <time.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/rtc.h>
#include <xen/lib.h>

/* The update cycle: UIP rises this long before the registers change. */
#define RTC_UIP_NS MICROSECS(244)

static bool running(const struct vrtc *s)
{
    return !(s->cmos[RTC_REG_B] & RTC_SET) &&
           (s->cmos[RTC_REG_A] & RTC_DIV_CTL) == RTC_REF_CLCK_32KHZ;
}

static int64_t seconds_at(const struct vrtc *s, uint64_t now)
{
    if (!running(s))
        return s->base_seconds;
    return s->base_seconds + (int64_t)((now - s->base_ns) / SECONDS(1));
}

static uint64_t period_ns(const struct vrtc *s)
{
    unsigned int rate = s->cmos[RTC_REG_A] & RTC_RATE_SELECT;

    if (!rate)
        return 0;
    /* Rates 1 and 2 mean 8 and 9 with the 32.768 kHz time base. */
    if (rate <= 2)
        rate += 7;
    return hvm_muldiv64(1ULL << (rate - 1), SECONDS(1), 32768);
}

static uint8_t to_reg(const struct vrtc *s, unsigned int v)
{
    return s->cmos[RTC_REG_B] & RTC_DM_BINARY ? v : (v / 10) << 4 | v % 10;
}

static unsigned int from_reg(const struct vrtc *s, uint8_t v)
{
    if (s->cmos[RTC_REG_B] & RTC_DM_BINARY)
        return v;
    return (v >> 4) * 10 + (v & 0xf);
}

static uint8_t hours_to_reg(const struct vrtc *s, unsigned int h)
{
    if (s->cmos[RTC_REG_B] & RTC_24H)
        return to_reg(s, h);
    return to_reg(s, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0);
}

static unsigned int hours_from_reg(const struct vrtc *s, uint8_t v)
{
    if (s->cmos[RTC_REG_B] & RTC_24H)
        return from_reg(s, v);
    return from_reg(s, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

static void to_tm(int64_t seconds, struct tm *tm)
{
    time_t t = seconds;

    gmtime_r(&t, tm);
}

static uint8_t read_time_reg(const struct vrtc *s, unsigned int idx,
                             uint64_t now)
{
    struct tm tm;

    to_tm(seconds_at(s, now), &tm);
    switch (idx) {
    case RTC_SECONDS:
        return to_reg(s, tm.tm_sec);
    case RTC_MINUTES:
        return to_reg(s, tm.tm_min);
    case RTC_HOURS:
        return hours_to_reg(s, tm.tm_hour);
    case RTC_DAY_OF_WEEK:
        return to_reg(s, tm.tm_wday + 1);
    case RTC_DAY_OF_MONTH:
        return to_reg(s, tm.tm_mday);
    case RTC_MONTH:
        return to_reg(s, tm.tm_mon + 1);
    default:
        return to_reg(s, tm.tm_year % 100);
    }
}

/* Move the clock to a new time, keeping the phase of its seconds. */
static void set_seconds(struct vrtc *s, int64_t seconds, uint64_t now)
{
    if (running(s))
        seconds -= (int64_t)((now - s->base_ns) / SECONDS(1));
    s->base_seconds = seconds;
}

static void write_time_reg(struct vrtc *s, unsigned int idx, uint8_t val,
                           uint64_t now)
{
    unsigned int v =
        idx == RTC_HOURS ? hours_from_reg(s, val) : from_reg(s, val);
    struct tm tm;

    to_tm(seconds_at(s, now), &tm);
    switch (idx) {
    case RTC_SECONDS:
        tm.tm_sec = v;
        break;
    case RTC_MINUTES:
        tm.tm_min = v;
        break;
    case RTC_HOURS:
        tm.tm_hour = v;
        break;
    case RTC_DAY_OF_MONTH:
        tm.tm_mday = v;
        break;
    case RTC_MONTH:
        tm.tm_mon = (int)v - 1;
        break;
    case RTC_YEAR:
        tm.tm_year = v % 100 + (v % 100 < 70 ? 100 : 0);
        break;
    default:
        /* The day of the week follows from the date. */
        return;
    }
    /* timegm normalises out-of-range fields: garbage in, a valid date out. */
    set_seconds(s, timegm(&tm), now);
}

static void update_irq(struct vrtc *s)
{
    uint8_t c = s->cmos[RTC_REG_C];

    if ((c & RTC_IRQF) ||
        !(c & s->cmos[RTC_REG_B] & (RTC_PF | RTC_AF | RTC_UF)))
        return;
    s->cmos[RTC_REG_C] |= RTC_IRQF;
    hvm_line_set(&s->isa, RTC_IRQ, false);
    hvm_line_set(&s->isa, RTC_IRQ, true);
}

/* PF for every period boundary passed; next_periodic moves past now. */
static void periodic_catch_up(struct vrtc *s, uint64_t now)
{
    uint64_t p = period_ns(s);

    if (!s->next_periodic || now < s->next_periodic)
        return;
    s->cmos[RTC_REG_C] |= RTC_PF;
    s->next_periodic += ((now - s->next_periodic) / p + 1) * p;
}

static void periodic_arm(struct vrtc *s)
{
    stop_timer(&s->periodic_timer);
    if (s->next_periodic && (s->cmos[RTC_REG_B] & RTC_PIE))
        set_timer(&s->periodic_timer, s->next_periodic);
}

static void periodic_restart(struct vrtc *s, uint64_t now)
{
    uint64_t p = period_ns(s);

    /* The fastest rate (122 us) is within HVM_MIN_PERIOD_NS already. */
    s->next_periodic =
        p && (s->cmos[RTC_REG_A] & RTC_DIV_CTL) == RTC_REF_CLCK_32KHZ ? now + p
                                                                      : 0;
    periodic_arm(s);
}

static void update_arm(struct vrtc *s)
{
    stop_timer(&s->update_timer);
    s->next_update = 0;
    if (!running(s))
        return;
    s->next_update =
        s->base_ns + ((NOW() - s->base_ns) / SECONDS(1) + 1) * SECONDS(1);
    set_timer(&s->update_timer, s->next_update);
}

static bool alarm_match(const struct vrtc *s, unsigned int idx, uint8_t cur)
{
    uint8_t a = s->cmos[idx];

    return (a & RTC_ALARM_DONT_CARE) == RTC_ALARM_DONT_CARE || a == cur;
}

static void rtc_update_fn(void *data)
{
    struct vrtc *s = data;
    uint64_t now = NOW();

    pthread_mutex_lock(&s->lock);
    if (!s->next_update || now < s->next_update)
        goto out;
    s->cmos[RTC_REG_C] |= RTC_UF;
    if (alarm_match(s, RTC_SECONDS_ALARM, read_time_reg(s, RTC_SECONDS, now)) &&
        alarm_match(s, RTC_MINUTES_ALARM, read_time_reg(s, RTC_MINUTES, now)) &&
        alarm_match(s, RTC_HOURS_ALARM, read_time_reg(s, RTC_HOURS, now)))
        s->cmos[RTC_REG_C] |= RTC_AF;
    update_irq(s);
    update_arm(s);
out:
    pthread_mutex_unlock(&s->lock);
}

static void rtc_periodic_fn(void *data)
{
    struct vrtc *s = data;
    uint64_t now = NOW();

    pthread_mutex_lock(&s->lock);
    if (s->next_periodic && now >= s->next_periodic) {
        periodic_catch_up(s, now);
        update_irq(s);
    }
    /*
     * Always re-arm: a REG_C read may have caught up past the period this
     * timer was set for, and the next one still needs its timer.
     */
    periodic_arm(s);
    pthread_mutex_unlock(&s->lock);
}

/* The clock stops (SET, divider reset) or starts again. */
static void run_state_change(struct vrtc *s, bool was_running, uint64_t now)
{
    if (was_running && !running(s))
        s->base_seconds += (int64_t)((now - s->base_ns) / SECONDS(1));
    else if (!was_running && running(s))
        s->base_ns = now;
    update_arm(s);
}

static uint8_t read_reg(struct vrtc *s, unsigned int idx, uint64_t now)
{
    uint8_t v;

    switch (idx) {
    case RTC_SECONDS_ALARM:
    case RTC_MINUTES_ALARM:
    case RTC_HOURS_ALARM:
    case RTC_REG_B:
        return s->cmos[idx];
    case RTC_REG_A:
        v = s->cmos[RTC_REG_A];
        if (running(s) &&
            (now - s->base_ns) % SECONDS(1) >= SECONDS(1) - RTC_UIP_NS)
            v |= RTC_UIP;
        return v;
    case RTC_REG_C:
        periodic_catch_up(s, now);
        v = s->cmos[RTC_REG_C];
        s->cmos[RTC_REG_C] = 0;
        hvm_line_set(&s->isa, RTC_IRQ, false);
        return v;
    case RTC_REG_D:
        return RTC_VRT;
    default:
        return read_time_reg(s, idx, now);
    }
}

static void write_reg(struct vrtc *s, unsigned int idx, uint8_t val,
                      uint64_t now)
{
    bool was_running = running(s);
    uint8_t old;

    switch (idx) {
    case RTC_SECONDS_ALARM:
    case RTC_MINUTES_ALARM:
    case RTC_HOURS_ALARM:
        s->cmos[idx] = val;
        break;
    case RTC_REG_A:
        old = s->cmos[RTC_REG_A];
        s->cmos[RTC_REG_A] = val & ~RTC_UIP;
        run_state_change(s, was_running, now);
        if ((old ^ val) & (RTC_RATE_SELECT | RTC_DIV_CTL))
            periodic_restart(s, now);
        break;
    case RTC_REG_B:
        /* Setting SET ends update-ended interrupts. */
        if (val & RTC_SET)
            val &= ~RTC_UIE;
        s->cmos[RTC_REG_B] = val;
        run_state_change(s, was_running, now);
        periodic_catch_up(s, now);
        periodic_arm(s);
        update_irq(s);
        break;
    case RTC_REG_C:
    case RTC_REG_D:
        break; /* read-only */
    default:
        write_time_reg(s, idx, val, now);
        break;
    }
}

void vrtc_init(struct vrtc *rtc, struct hvm_irq_line isa, int64_t seconds)
{
    memset(rtc, 0, sizeof(*rtc));
    pthread_mutex_init(&rtc->lock, NULL);
    rtc->isa = isa;
    init_timer(&rtc->update_timer, rtc_update_fn, rtc);
    init_timer(&rtc->periodic_timer, rtc_periodic_fn, rtc);
    /* Xen's reset state: 32.768 kHz base, rate 1024 Hz, 24-hour BCD. */
    rtc->cmos[RTC_REG_A] = RTC_REF_CLCK_32KHZ | 6;
    rtc->cmos[RTC_REG_B] = RTC_24H;
    rtc->cmos[RTC_REG_D] = RTC_VRT;
    rtc->base_seconds = seconds;
    rtc->base_ns = NOW();
    pthread_mutex_lock(&rtc->lock);
    periodic_restart(rtc, rtc->base_ns);
    update_arm(rtc);
    pthread_mutex_unlock(&rtc->lock);
}

void vrtc_destroy(struct vrtc *rtc)
{
    kill_timer(&rtc->update_timer);
    kill_timer(&rtc->periodic_timer);
    pthread_mutex_destroy(&rtc->lock);
}

int vrtc_io_access(struct vrtc *rtc, uint16_t port, unsigned int size,
                   bool write, uint64_t *val)
{
    int rc = X86EMUL_OKAY;

    if (port != RTC_PORT(0) && port != RTC_PORT(1))
        return X86EMUL_UNHANDLEABLE;
    if (size != 1) {
        if (!write)
            *val = ~0ULL;
        return X86EMUL_OKAY;
    }
    pthread_mutex_lock(&rtc->lock);
    if (port == RTC_PORT(0)) {
        /* Bit 7 is the NMI mask, not part of the index. */
        if (write)
            rtc->index = *val & 0x7f;
        else
            *val = 0xff;
        if (rtc->index >= RTC_CMOS_SIZE)
            rc = X86EMUL_UNHANDLEABLE;
    } else if (rtc->index >= RTC_CMOS_SIZE) {
        rc = X86EMUL_UNHANDLEABLE;
    } else if (write) {
        write_reg(rtc, rtc->index, *val, NOW());
    } else {
        *val = read_reg(rtc, rtc->index, NOW());
    }
    pthread_mutex_unlock(&rtc->lock);
    return rc;
}
