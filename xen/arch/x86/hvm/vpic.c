/*
 * Virtual dual 8259A PIC (see asm-x86/hvm/vpic.h). The slave's output is
 * the master's IRQ 2 input, followed as a level. Every register change
 * re-evaluates the master's INT output.
 */
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/vpic.h>

/* IRQs 0-2 and 8 and 13 are edge-only on a PIIX, as Xen models it. */
static const uint8_t elcr_mask[2] = {0xf8, 0xde};

/* Priority (0 = highest) of the first IRQ set in mask; 8 if none. */
static unsigned int priority(const struct vpic_chip *c, uint8_t mask)
{
    unsigned int p = 0;

    if (!mask)
        return 8;
    while (!(mask & (1U << ((p + c->priority_add) & 7))))
        p++;
    return p;
}

static int prio_to_irq(const struct vpic_chip *c, unsigned int p)
{
    return (p + c->priority_add) & 7;
}

/* The IRQ this chip asks to deliver now, or -1. */
static int chip_pending(const struct vpic_chip *c, bool master)
{
    uint8_t req = c->irr & ~c->imr, isr = c->isr;
    unsigned int p;

    /* Special mask mode: a masked level in service blocks nothing. */
    if (c->special_mask_mode)
        isr &= ~c->imr;
    /* Fully nested master: the slave may interrupt its own service. */
    if (master && c->special_fully_nested_mode)
        isr &= ~(1U << 2);
    p = priority(c, req);
    if (p == 8 || p >= priority(c, isr))
        return -1;
    return prio_to_irq(c, p);
}

static void update(struct vpic *vpic)
{
    struct vpic_chip *m = &vpic->chip[0];
    bool out;

    if (chip_pending(&vpic->chip[1], false) >= 0)
        m->irr |= 1U << 2;
    else
        m->irr &= ~(1U << 2);
    out = chip_pending(m, true) >= 0;
    if (out != vpic->int_output) {
        __atomic_store_n(&vpic->int_output, out, __ATOMIC_RELEASE);
        if (vpic->int_output_fn)
            vpic->int_output_fn(vpic->opaque, out);
    }
}

static void chip_reset(struct vpic_chip *c)
{
    c->init_state = 0;
    c->irr = c->level & c->elcr;
    c->imr = c->isr = 0;
    c->priority_add = 0;
    c->readsel_isr = c->poll = false;
    c->auto_eoi = c->rotate_on_auto_eoi = false;
    c->special_fully_nested_mode = c->special_mask_mode = false;
}

void vpic_reset(struct vpic *vpic)
{
    pthread_mutex_lock(&vpic->lock);
    for (unsigned int i = 0; i < 2; i++) {
        vpic->chip[i].elcr = 0;
        vpic->chip[i].irq_base = 0;
        chip_reset(&vpic->chip[i]);
    }
    update(vpic);
    pthread_mutex_unlock(&vpic->lock);
}

void vpic_init(struct vpic *vpic, void (*int_output_fn)(void *, bool),
               void *opaque)
{
    memset(vpic, 0, sizeof(*vpic));
    pthread_mutex_init(&vpic->lock, NULL);
    vpic->int_output_fn = int_output_fn;
    vpic->opaque = opaque;
    vpic_reset(vpic);
}

void vpic_destroy(struct vpic *vpic)
{
    pthread_mutex_destroy(&vpic->lock);
}

/* The CPU (or a poll) takes irq: it goes in service unless auto-EOI. */
static void intack(struct vpic_chip *c, int irq)
{
    uint8_t mask = 1U << irq;

    if (!c->auto_eoi)
        c->isr |= mask;
    else if (c->rotate_on_auto_eoi)
        c->priority_add = (irq + 1) & 7;
    if (!(c->elcr & mask))
        c->irr &= ~mask;
}

int vpic_ack_pending_irq(struct vpic *vpic)
{
    struct vpic_chip *m = &vpic->chip[0], *s = &vpic->chip[1];
    int irq, sirq, vector = -1;

    pthread_mutex_lock(&vpic->lock);
    irq = chip_pending(m, true);
    if (irq == 2) {
        /* The cascade follows the slave, so the slave has one pending. */
        sirq = chip_pending(s, false);
        if (sirq >= 0)
            intack(s, sirq);
        intack(m, irq);
        vector = s->irq_base + (sirq >= 0 ? sirq : 7);
    } else if (irq >= 0) {
        intack(m, irq);
        vector = m->irq_base + irq;
    }
    update(vpic);
    pthread_mutex_unlock(&vpic->lock);
    return vector;
}

/*
 * Lock-free: the scheduler asks with its lock held (is a halted vCPU 0
 * woken?), and the PIC calls int_output_fn, which kicks vCPU 0 and so
 * takes that lock, with the PIC lock held.
 */
bool vpic_int_output(struct vpic *vpic)
{
    return __atomic_load_n(&vpic->int_output, __ATOMIC_ACQUIRE);
}

void vpic_irq_set(struct vpic *vpic, unsigned int irq, bool level)
{
    struct vpic_chip *c;
    uint8_t mask;

    /* IRQ 2 is the cascade, not an ISA line. */
    if (irq > 15 || irq == 2)
        return;
    c = &vpic->chip[irq >> 3];
    mask = 1U << (irq & 7);
    pthread_mutex_lock(&vpic->lock);
    if (c->elcr & mask) {
        if (level)
            c->irr |= mask;
        else
            c->irr &= ~mask;
    } else if (level && !(c->level & mask)) {
        c->irr |= mask;
    }
    if (level)
        c->level |= mask;
    else
        c->level &= ~mask;
    update(vpic);
    pthread_mutex_unlock(&vpic->lock);
}

static void eoi(struct vpic_chip *c, uint8_t val)
{
    unsigned int cmd = val >> 5, p;
    int irq = val & 7;

    switch (cmd) {
    case 0: /* clear rotate in auto-EOI mode */
    case 4: /* set rotate in auto-EOI mode */
        c->rotate_on_auto_eoi = cmd == 4;
        break;
    case 1: /* non-specific EOI */
    case 5: /* rotate on non-specific EOI */
        p = priority(c, c->isr);
        if (p == 8)
            break;
        irq = prio_to_irq(c, p);
        c->isr &= ~(1U << irq);
        if (cmd == 5)
            c->priority_add = (irq + 1) & 7;
        break;
    case 3: /* specific EOI */
    case 7: /* rotate on specific EOI */
        c->isr &= ~(1U << irq);
        if (cmd == 7)
            c->priority_add = (irq + 1) & 7;
        break;
    case 6: /* set priority: irq becomes the lowest */
        c->priority_add = (irq + 1) & 7;
        break;
    default: /* 2: no operation */
        break;
    }
}

static void write_cmd(struct vpic_chip *c, uint8_t val)
{
    if (val & 0x10) {
        /* ICW1 (level-triggered mode bit: the ELCR decides instead). */
        chip_reset(c);
        c->init_state = 2;
        c->need_icw4 = val & 1;
        c->single = val & 2;
    } else if (val & 0x08) {
        /* OCW3 */
        if (val & 0x04)
            c->poll = true;
        if (val & 0x02)
            c->readsel_isr = val & 1;
        if (val & 0x40)
            c->special_mask_mode = val & 0x20;
    } else {
        eoi(c, val);
    }
}

static void write_data(struct vpic_chip *c, uint8_t val)
{
    switch (c->init_state) {
    case 2: /* ICW2: vector base */
        c->irq_base = val & 0xf8;
        c->init_state = !c->single ? 3 : c->need_icw4 ? 4 : 0;
        break;
    case 3: /* ICW3: the cascade wiring is fixed */
        c->init_state = c->need_icw4 ? 4 : 0;
        break;
    case 4: /* ICW4 */
        c->auto_eoi = val & 0x02;
        c->special_fully_nested_mode = val & 0x10;
        c->init_state = 0;
        break;
    default: /* OCW1 */
        c->imr = val;
        break;
    }
}

static uint8_t read_port(struct vpic_chip *c, bool master, bool data)
{
    int irq;

    if (data)
        return c->imr;
    if (c->poll) {
        /* A poll is an INTA by read: the answer is 0x80 | IRQ, or 0. */
        c->poll = false;
        irq = chip_pending(c, master);
        if (irq < 0)
            return 0;
        intack(c, irq);
        return 0x80 | irq;
    }
    return c->readsel_isr ? c->isr : c->irr;
}

int vpic_io_access(struct vpic *vpic, uint16_t port, unsigned int size,
                   bool write, uint64_t *val)
{
    unsigned int idx;
    struct vpic_chip *c;

    switch (port) {
    case VPIC_MASTER_PORT:
    case VPIC_MASTER_PORT + 1:
    case VPIC_SLAVE_PORT:
    case VPIC_SLAVE_PORT + 1:
    case VPIC_ELCR_PORT:
    case VPIC_ELCR_PORT + 1:
        break;
    default:
        return X86EMUL_UNHANDLEABLE;
    }
    /* The 8259 has byte registers; wider accesses do nothing. */
    if (size != 1) {
        if (!write)
            *val = ~0ULL;
        return X86EMUL_OKAY;
    }
    pthread_mutex_lock(&vpic->lock);
    if (port >= VPIC_ELCR_PORT) {
        idx = port - VPIC_ELCR_PORT;
        c = &vpic->chip[idx];
        if (write) {
            c->elcr = *val & elcr_mask[idx];
            c->irr = (c->irr & ~c->elcr) | (c->level & c->elcr);
        } else {
            *val = c->elcr;
        }
    } else {
        idx = port >= VPIC_SLAVE_PORT;
        c = &vpic->chip[idx];
        if (!write)
            *val = read_port(c, !idx, port & 1);
        else if (port & 1)
            write_data(c, *val);
        else
            write_cmd(c, *val);
    }
    update(vpic);
    pthread_mutex_unlock(&vpic->lock);
    return X86EMUL_OKAY;
}
