/*
 * Virtual IOAPIC (see asm-x86/hvm/vioapic.h). Edge pins send a message
 * on each rising edge; level pins send one while asserted and set remote
 * IRR, which the LAPIC's EOI of that vector clears (then, if the pin is
 * still asserted, the message goes out again).
 */
#include <string.h>

#include <asm-x86/io.h>
#include <asm-x86/hvm/vioapic.h>

/* Caller holds the lock. */
static void service_pin(struct vioapic *io, unsigned int pin)
{
    uint64_t rte = io->redirtbl[pin];
    bool level = rte & IOAPIC_RTE_LEVEL;

    if (rte & IOAPIC_RTE_MASKED)
        return;
    if (level) {
        if (rte & IOAPIC_RTE_REMOTE_IRR)
            return;
        io->redirtbl[pin] |= IOAPIC_RTE_REMOTE_IRR;
    }
    if (io->ops && io->ops->deliver)
        io->ops->deliver(io->ops->opaque, rte >> IOAPIC_RTE_DEST_SHIFT,
                         rte & IOAPIC_RTE_DEST_LOGICAL,
                         rte & IOAPIC_RTE_DELIVERY_MODE,
                         rte & IOAPIC_RTE_VECTOR, level);
}

void vioapic_reset(struct vioapic *vioapic)
{
    pthread_mutex_lock(&vioapic->lock);
    vioapic->base = VIOAPIC_DEFAULT_BASE_ADDRESS;
    vioapic->ioregsel = 0;
    vioapic->id = 0;
    for (unsigned int i = 0; i < VIOAPIC_NUM_PINS; i++)
        vioapic->redirtbl[i] = IOAPIC_RTE_MASKED;
    pthread_mutex_unlock(&vioapic->lock);
}

void vioapic_init(struct vioapic *vioapic, const struct vioapic_ops *ops)
{
    memset(vioapic, 0, sizeof(*vioapic));
    pthread_mutex_init(&vioapic->lock, NULL);
    vioapic->ops = ops;
    vioapic_reset(vioapic);
}

void vioapic_destroy(struct vioapic *vioapic)
{
    pthread_mutex_destroy(&vioapic->lock);
}

static uint32_t read_indirect(struct vioapic *io)
{
    uint32_t reg = io->ioregsel, pin;

    switch (reg) {
    case VIOAPIC_REG_APIC_ID:
    case VIOAPIC_REG_ARB_ID:
        return (uint32_t)io->id << 24;
    case VIOAPIC_REG_VERSION:
        return (VIOAPIC_NUM_PINS - 1) << 16 | VIOAPIC_VERSION_ID;
    default:
        pin = (reg - VIOAPIC_REG_RTE0) / 2;
        if (reg < VIOAPIC_REG_RTE0 || pin >= VIOAPIC_NUM_PINS)
            return 0;
        return reg & 1 ? io->redirtbl[pin] >> 32 : (uint32_t)io->redirtbl[pin];
    }
}

static void write_indirect(struct vioapic *io, uint32_t val)
{
    uint32_t reg = io->ioregsel, pin = (reg - VIOAPIC_REG_RTE0) / 2;
    uint64_t rte, old;

    if (reg == VIOAPIC_REG_APIC_ID) {
        io->id = (val >> 24) & 0xf;
        return;
    }
    /* Version, arbitration and unknown registers are read-only. */
    if (reg < VIOAPIC_REG_RTE0 || pin >= VIOAPIC_NUM_PINS)
        return;
    old = io->redirtbl[pin];
    if (reg & 1)
        rte = (old & 0xffffffffULL) | (uint64_t)val << 32;
    else
        rte = (old & ~0xffffffffULL) | val;
    rte = (rte & IOAPIC_RTE_WRITABLE) | (old & IOAPIC_RTE_REMOTE_IRR);
    /* An edge pin has no remote IRR. */
    if (!(rte & IOAPIC_RTE_LEVEL))
        rte &= ~IOAPIC_RTE_REMOTE_IRR;
    io->redirtbl[pin] = rte;
    /* Unmasking a level pin that is still asserted delivers it now. */
    if ((rte & IOAPIC_RTE_LEVEL) && io->line[pin])
        service_pin(io, pin);
}

int vioapic_mmio_access(struct vioapic *vioapic, uint64_t addr,
                        unsigned int size, bool write, uint64_t *val)
{
    uint64_t off;

    pthread_mutex_lock(&vioapic->lock);
    if (addr < vioapic->base || addr - vioapic->base >= VIOAPIC_MEM_LENGTH) {
        pthread_mutex_unlock(&vioapic->lock);
        return X86EMUL_UNHANDLEABLE;
    }
    off = addr - vioapic->base;
    /* The two registers are 32 bits wide; other accesses do nothing. */
    if (size != 4 || (off & 3)) {
        if (!write)
            *val = ~0ULL;
    } else if (off == VIOAPIC_REG_SELECT) {
        if (write)
            vioapic->ioregsel = *val & 0xff;
        else
            *val = vioapic->ioregsel;
    } else if (off == VIOAPIC_REG_WINDOW) {
        if (write)
            write_indirect(vioapic, *val);
        else
            *val = read_indirect(vioapic);
    } else if (!write) {
        *val = 0;
    }
    pthread_mutex_unlock(&vioapic->lock);
    return X86EMUL_OKAY;
}

void vioapic_set_irq(struct vioapic *vioapic, unsigned int pin, bool level)
{
    bool was;

    if (pin >= VIOAPIC_NUM_PINS)
        return;
    pthread_mutex_lock(&vioapic->lock);
    was = vioapic->line[pin];
    vioapic->line[pin] = level;
    if (level && (!was || (vioapic->redirtbl[pin] & IOAPIC_RTE_LEVEL)))
        service_pin(vioapic, pin);
    pthread_mutex_unlock(&vioapic->lock);
}

void vioapic_update_eoi(struct vioapic *vioapic, uint8_t vector)
{
    pthread_mutex_lock(&vioapic->lock);
    for (unsigned int pin = 0; pin < VIOAPIC_NUM_PINS; pin++) {
        uint64_t rte = vioapic->redirtbl[pin];

        if ((rte & IOAPIC_RTE_VECTOR) != vector ||
            !(rte & IOAPIC_RTE_REMOTE_IRR))
            continue;
        vioapic->redirtbl[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
        if ((rte & IOAPIC_RTE_LEVEL) && vioapic->line[pin])
            service_pin(vioapic, pin);
    }
    pthread_mutex_unlock(&vioapic->lock);
}
