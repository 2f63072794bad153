/*
 * Event channels: the port table of each domain and 2-level delivery.
 *
 * The pending and mask bitmaps live in shared_info. Their words are 64
 * bits for 64-bit guests and 32 bits for guests that latched the 32-bit
 * shared_info layout, which also moves evtchn_mask and the vcpu_info
 * selector. Bitmaps are little-endian, so "bit N" is at the same byte in
 * both layouts; only the word size (and so the selector bit) differs.
 */
#include <stdlib.h>
#include <string.h>

#include <public/xen.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>

/* Layout of the 32-bit (compat) shared_info and vcpu_info. */
#define COMPAT_EVTCHN_PENDING_OFF 2048
#define COMPAT_EVTCHN_MASK_OFF (2048 + 32 * 4)
#define COMPAT_PENDING_SEL_OFF 4

enum evtchn_state {
    ECS_FREE,
    ECS_RESERVED,
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_PIRQ,
    ECS_VIRQ,
    ECS_IPI,
};

struct evtchn {
    uint8_t state;              /* enum evtchn_state */
    uint16_t notify_vcpu_id;
    union {
        domid_t unbound_remote;
        struct {
            domid_t remote_dom;
            evtchn_port_t remote_port;
        } interdomain;
        uint32_t virq;
    } u;
};

struct evtchn_domain {
    struct evtchn *ports;       /* evtchn_max_ports() entries */
};

unsigned int evtchn_max_ports(const struct domain *d)
{
    /* 2-level: one selector word of words of ports. */
    return d->has_32bit_shinfo ? 32 * 32 : 64 * 64;
}

int evtchn_init(struct domain *d)
{
    struct evtchn_domain *ed = calloc(1, sizeof(*ed));

    if (!ed)
        return -ENOMEM;
    ed->ports = calloc(64 * 64, sizeof(*ed->ports));
    if (!ed->ports) {
        free(ed);
        return -ENOMEM;
    }
    /* Port 0 is never valid. */
    ed->ports[0].state = ECS_RESERVED;
    d->evtchn = ed;
    return 0;
}

void evtchn_destroy(struct domain *d)
{
    if (!d->evtchn)
        return;
    free(d->evtchn->ports);
    free(d->evtchn);
    d->evtchn = NULL;
}

static uint8_t *shinfo_bytes(struct domain *d)
{
    return (uint8_t *)d->shared_info;
}

static uint8_t *pending_bitmap(struct domain *d)
{
    return shinfo_bytes(d) + (d->has_32bit_shinfo
                                  ? COMPAT_EVTCHN_PENDING_OFF
                                  : offsetof(struct shared_info, evtchn_pending));
}

static uint8_t *mask_bitmap(struct domain *d)
{
    return shinfo_bytes(d) + (d->has_32bit_shinfo
                                  ? COMPAT_EVTCHN_MASK_OFF
                                  : offsetof(struct shared_info, evtchn_mask));
}

/* Atomic bit operations on guest-shared bitmaps, in the guest's word size. */
static bool bitmap_test_and_set(struct domain *d, uint8_t *map, unsigned int n)
{
    if (d->has_32bit_shinfo) {
        uint32_t bit = 1U << (n % 32);
        return __atomic_fetch_or((uint32_t *)map + n / 32, bit,
                                 __ATOMIC_SEQ_CST) & bit;
    }
    uint64_t bit = 1ULL << (n % 64);
    return __atomic_fetch_or((uint64_t *)map + n / 64, bit, __ATOMIC_SEQ_CST) &
           bit;
}

static bool bitmap_test(struct domain *d, const uint8_t *map, unsigned int n)
{
    (void)d;
    return __atomic_load_n(map + n / 8, __ATOMIC_SEQ_CST) & (1U << (n % 8));
}

static bool pending_sel_test_and_set(struct domain *d, struct vcpu_info *vi,
                                     unsigned int word)
{
    if (d->has_32bit_shinfo)
        return bitmap_test_and_set(d, (uint8_t *)vi + COMPAT_PENDING_SEL_OFF,
                                   word);
    return bitmap_test_and_set(d, (uint8_t *)&vi->evtchn_pending_sel, word);
}

bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port)
{
    return port < evtchn_max_ports(d) && bitmap_test(d, pending_bitmap(d), port);
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;

    if (!vi || __atomic_exchange_n(&vi->evtchn_upcall_pending, 1,
                                   __ATOMIC_SEQ_CST))
        return;
    vcpu_kick(v);
}

/* Wake vCPUs of d blocked in SCHEDOP_poll on this port. */
static void check_pollers(struct domain *d, evtchn_port_t port)
{
    struct vcpu *v;

    for_each_vcpu (d, v) {
        for (unsigned int i = 0; i < v->nr_poll_ports; i++)
            if (v->poll_ports[i] == port) {
                vcpu_unblock(v);
                break;
            }
    }
}

void evtchn_port_set_pending(struct domain *d, unsigned int vcpu_id,
                             evtchn_port_t port)
{
    unsigned int word_bits = d->has_32bit_shinfo ? 32 : 64;
    struct vcpu *v;

    if (port >= evtchn_max_ports(d) || vcpu_id >= d->max_vcpus)
        return;
    v = d->vcpu[vcpu_id];
    if (bitmap_test_and_set(d, pending_bitmap(d), port))
        return;
    if (!bitmap_test(d, mask_bitmap(d), port) && v->vcpu_info &&
        !pending_sel_test_and_set(d, v->vcpu_info, port / word_bits))
        vcpu_mark_events_pending(v);
    check_pollers(d, port);
}

void send_guest_vcpu_virq(struct vcpu *v, uint32_t virq)
{
    struct domain *d = v->domain;
    evtchn_port_t port;

    if (virq >= NR_VIRQS)
        return;
    pthread_mutex_lock(&d->event_lock);
    port = v->virq_to_evtchn[virq];
    if (port)
        evtchn_port_set_pending(d, v->vcpu_id, port);
    pthread_mutex_unlock(&d->event_lock);
}

void send_guest_global_virq(struct domain *d, uint32_t virq)
{
    struct vcpu *v0 = d->vcpu[0];
    evtchn_port_t port;

    if (virq >= NR_VIRQS || !v0)
        return;
    pthread_mutex_lock(&d->event_lock);
    port = v0->virq_to_evtchn[virq];
    if (port)
        evtchn_port_set_pending(d, d->evtchn->ports[port].notify_vcpu_id, port);
    pthread_mutex_unlock(&d->event_lock);
}
