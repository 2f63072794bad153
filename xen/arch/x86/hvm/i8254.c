/*
 * Virtual 8254 PIT (see asm-x86/hvm/i8254.h). A channel's state is its
 * reload value and the time counting started; the current count and the
 * OUT pin are computed from the PIT clock ticks elapsed since.
 */
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/i8254.h>
#include <xen/lib.h>

enum { RW_STATE_LSB = 1, RW_STATE_MSB, RW_STATE_WORD0, RW_STATE_WORD1 };

static uint64_t ticks_since(const struct pit_channel *c, uint64_t now)
{
    return hvm_muldiv64(now - c->load_time, PIT_FREQ, SECONDS(1));
}

static uint32_t modulus(const struct pit_channel *c)
{
    return c->bcd ? 10000 : 0x10000;
}

static uint32_t current_count(const struct pit_channel *c, uint64_t now)
{
    uint64_t d;

    if (!c->loaded)
        return c->count % modulus(c);
    d = ticks_since(c, now);
    switch (c->mode) {
    case 2:
        return c->count - d % c->count;
    case 3:
        /* Square wave: the counter steps by two. */
        return c->count - (2 * d) % c->count;
    default:
        return (c->count - d % modulus(c) + modulus(c)) % modulus(c);
    }
}

static bool out_pin(const struct pit_channel *c, uint64_t now)
{
    uint64_t d;

    if (!c->loaded)
        return c->mode != 0;
    d = ticks_since(c, now);
    switch (c->mode) {
    case 0:
    case 1:
        return d >= c->count;
    case 2:
        /* Low for the one tick before each reload. */
        return d % c->count != c->count - 1;
    case 3:
        return d % c->count < (c->count + 1) / 2;
    default:
        return d != c->count;
    }
}

static uint32_t to_bcd(uint32_t v)
{
    return (v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 |
           (v / 1000 % 10) << 12;
}

static uint32_t from_bcd(uint32_t v)
{
    /* Digits above 9 are the guest's problem, not ours: keep them bounded. */
    return (v & 0xf) % 10 + ((v >> 4) & 0xf) % 10 * 10 +
           ((v >> 8) & 0xf) % 10 * 100 + ((v >> 12) & 0xf) % 10 * 1000;
}

/* Caller holds the lock: (re)program channel 0's interrupt timer. */
static void arm_irq(struct vpit *pit, uint64_t now)
{
    struct pit_channel *c = &pit->ch[0];
    uint64_t ns;

    stop_timer(&pit->timer);
    pit->next_irq = 0;
    if (pit->irq_disabled || !c->loaded)
        return;
    ns = hvm_muldiv64(c->count, SECONDS(1), PIT_FREQ);
    if (c->mode == 2 || c->mode == 3) {
        pit->period = MAX(ns, HVM_MIN_PERIOD_NS);
        pit->next_irq = c->load_time + pit->period;
    } else {
        pit->period = 0;
        pit->next_irq = c->load_time + ns;
        if (pit->next_irq < now)
            return;
    }
    set_timer(&pit->timer, pit->next_irq);
}

static void pit_timer_fn(void *data)
{
    struct vpit *pit = data;
    uint64_t now = NOW();

    pthread_mutex_lock(&pit->lock);
    if (!pit->next_irq || now < pit->next_irq) {
        pthread_mutex_unlock(&pit->lock);
        return;
    }
    if (pit->period) {
        /* Missed periods collapse into one interrupt. */
        uint64_t late = (now - pit->next_irq) / pit->period;

        pit->next_irq += (late + 1) * pit->period;
        set_timer(&pit->timer, pit->next_irq);
    } else {
        pit->next_irq = 0;
    }
    hvm_line_pulse(&pit->isa, PIT_IRQ);
    pthread_mutex_unlock(&pit->lock);
}

static void load_count(struct vpit *pit, unsigned int ch, uint32_t val)
{
    struct pit_channel *c = &pit->ch[ch];
    uint64_t now = NOW();

    if (c->bcd)
        val = from_bcd(val);
    c->count = val ? val : modulus(c);
    c->load_time = now;
    c->loaded = true;
    if (ch == 0)
        arm_irq(pit, now);
}

static void set_gate(struct vpit *pit, unsigned int ch, bool gate)
{
    struct pit_channel *c = &pit->ch[ch];

    /* A rising gate restarts the count in modes 1, 2, 3 and 5. */
    if (gate && !c->gate && c->mode != 0 && c->mode != 4) {
        c->load_time = NOW();
        if (ch == 0)
            arm_irq(pit, c->load_time);
    }
    c->gate = gate;
}

static void latch_count(struct pit_channel *c, uint64_t now)
{
    uint32_t v;

    if (c->count_latched)
        return;
    v = current_count(c, now);
    c->latched_count = c->bcd ? to_bcd(v) : v;
    c->count_latched = c->rw_mode;
}

static void latch_status(struct pit_channel *c, uint64_t now)
{
    if (c->status_latched)
        return;
    c->status = out_pin(c, now) << 7 | !c->loaded << 6 | c->rw_mode << 4 |
                c->mode << 1 | c->bcd;
    c->status_latched = true;
}

static void write_control(struct vpit *pit, uint8_t val)
{
    unsigned int ch = val >> 6, access = (val >> 4) & 3;
    uint64_t now = NOW();
    struct pit_channel *c;

    if (ch == 3) {
        /* Read-back: bits 1-3 select channels; 0 in bit 5/4 latches. */
        for (ch = 0; ch < 3; ch++) {
            if (!(val & (2U << ch)) || pit->ch[ch].mode > 5)
                continue;
            if (!(val & 0x20))
                latch_count(&pit->ch[ch], now);
            if (!(val & 0x10))
                latch_status(&pit->ch[ch], now);
        }
        return;
    }
    c = &pit->ch[ch];
    if (!access) {
        latch_count(c, now);
        return;
    }
    c->rw_mode = access;
    c->read_state = c->write_state = access;
    c->mode = (val >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4; /* 6 and 7 are 2 and 3 */
    c->bcd = val & 1;
    /* Counting stops until the new count arrives. */
    c->loaded = false;
    c->count_latched = 0;
    c->status_latched = false;
    if (ch == 0) {
        stop_timer(&pit->timer);
        pit->next_irq = 0;
    }
}

static void write_data(struct vpit *pit, unsigned int ch, uint8_t val)
{
    struct pit_channel *c = &pit->ch[ch];

    switch (c->write_state) {
    case RW_STATE_LSB:
        load_count(pit, ch, val);
        break;
    case RW_STATE_MSB:
        load_count(pit, ch, (uint32_t)val << 8);
        break;
    case RW_STATE_WORD0:
        c->write_latch = val;
        c->write_state = RW_STATE_WORD1;
        break;
    default:
        load_count(pit, ch, c->write_latch | (uint32_t)val << 8);
        c->write_state = RW_STATE_WORD0;
        break;
    }
}

static uint8_t read_data(struct pit_channel *c)
{
    uint32_t v;
    uint8_t r;

    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->count_latched) {
        switch (c->count_latched) {
        case RW_STATE_LSB:
            c->count_latched = 0;
            return c->latched_count;
        case RW_STATE_MSB:
            c->count_latched = 0;
            return c->latched_count >> 8;
        default:
            c->count_latched = RW_STATE_MSB;
            return c->latched_count;
        }
    }
    v = current_count(c, NOW());
    if (c->bcd)
        v = to_bcd(v);
    switch (c->read_state) {
    case RW_STATE_LSB:
        return v;
    case RW_STATE_MSB:
        return v >> 8;
    case RW_STATE_WORD0:
        c->read_state = RW_STATE_WORD1;
        return v;
    default:
        r = v >> 8;
        c->read_state = RW_STATE_WORD0;
        return r;
    }
}

void vpit_reset(struct vpit *pit)
{
    pthread_mutex_lock(&pit->lock);
    stop_timer(&pit->timer);
    pit->next_irq = 0;
    pit->irq_disabled = false;
    pit->speaker_data_on = false;
    for (unsigned int i = 0; i < 3; i++) {
        struct pit_channel *c = &pit->ch[i];

        memset(c, 0, sizeof(*c));
        c->mode = 0xff; /* no mode until the guest sets one */
        c->gate = i != 2;
    }
    pthread_mutex_unlock(&pit->lock);
}

void vpit_init(struct vpit *pit, struct hvm_irq_line isa)
{
    memset(pit, 0, sizeof(*pit));
    pthread_mutex_init(&pit->lock, NULL);
    pit->isa = isa;
    init_timer(&pit->timer, pit_timer_fn, pit);
    vpit_reset(pit);
}

void vpit_destroy(struct vpit *pit)
{
    kill_timer(&pit->timer);
    pthread_mutex_destroy(&pit->lock);
}

void pit_stop_channel0_irq(struct vpit *pit)
{
    pthread_mutex_lock(&pit->lock);
    pit->irq_disabled = true;
    stop_timer(&pit->timer);
    pit->next_irq = 0;
    pthread_mutex_unlock(&pit->lock);
}

int vpit_io_access(struct vpit *pit, uint16_t port, unsigned int size,
                   bool write, uint64_t *val)
{
    if ((port < PIT_BASE || port > PIT_BASE + 3) && port != PIT_SPEAKER_PORT)
        return X86EMUL_UNHANDLEABLE;
    if (size != 1) {
        if (!write)
            *val = ~0ULL;
        return X86EMUL_OKAY;
    }
    pthread_mutex_lock(&pit->lock);
    if (port == PIT_SPEAKER_PORT) {
        if (write) {
            pit->speaker_data_on = *val & 2;
            set_gate(pit, 2, *val & 1);
        } else {
            /* Bit 4 is the DRAM refresh toggle, every ~15 us. */
            *val = pit->ch[2].gate | pit->speaker_data_on << 1 |
                   ((NOW() >> 14) & 1) << 4 | out_pin(&pit->ch[2], NOW()) << 5;
        }
    } else if (port == PIT_BASE + 3) {
        if (write)
            write_control(pit, *val);
        else
            *val = ~0ULL; /* the control word cannot be read */
    } else if (pit->ch[port - PIT_BASE].mode > 5) {
        /* Never programmed: nothing to count or load. */
        if (!write)
            *val = 0;
    } else if (write) {
        write_data(pit, port - PIT_BASE, *val);
    } else {
        *val = read_data(&pit->ch[port - PIT_BASE]);
    }
    pthread_mutex_unlock(&pit->lock);
    return X86EMUL_OKAY;
}
