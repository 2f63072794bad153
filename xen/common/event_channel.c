/*
 * Event channels: the port table of each domain, 2-level delivery and the
 * event_channel_op hypercall.
 *
 * The pending and mask bitmaps live in shared_info. Their words are 64
 * bits for 64-bit guests and 32 bits for guests that latched the 32-bit
 * shared_info layout, which also moves evtchn_mask and the vcpu_info
 * selector. Bitmaps are little-endian, so "bit N" is at the same byte in
 * both layouts; only the word size (and so the selector bit) differs.
 *
 * Locking: d->event_lock protects d's port table. An operation on both
 * ends of an interdomain channel takes both domains' locks, the lower
 * domid first. Interdomain ports name their peer by domid, never by
 * pointer, so a port can never lead to a freed domain; the peer is looked
 * up (and referenced) when it is needed.
 */
#include <stdlib.h>
#include <string.h>

#include <public/xen.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

/* Layout of the 32-bit (compat) shared_info and vcpu_info. */
#define COMPAT_EVTCHN_PENDING_OFF 2048
#define COMPAT_EVTCHN_MASK_OFF (2048 + 32 * 4)
#define COMPAT_PENDING_SEL_OFF 4

/* Size of the table: the most ports any 2-level layout can address. */
#define EVTCHN_TABLE_PORTS (64 * 64)
/*
 * Xen allocates ports in buckets of 64; a port beyond the last bucket is
 * "not valid" (-EINVAL) rather than "closed". We keep the same boundary.
 */
#define EVTCHN_BUCKET 64

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
    struct evtchn *ports;       /* EVTCHN_TABLE_PORTS entries */
    unsigned int valid;         /* ports below this are valid */
    uint32_t max_port;          /* highest port it may open (createdomain) */
    bool dying;                 /* closing all: ignore the ABI's limit */
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
    ed->ports = calloc(EVTCHN_TABLE_PORTS, sizeof(*ed->ports));
    if (!ed->ports) {
        free(ed);
        return -ENOMEM;
    }
    /* Port 0 is never valid. */
    ed->ports[0].state = ECS_RESERVED;
    ed->valid = EVTCHN_BUCKET;
    ed->max_port = UINT32_MAX;
    d->evtchn = ed;
    return 0;
}

void evtchn_set_max_port(struct domain *d, uint32_t max_port)
{
    pthread_mutex_lock(&d->event_lock);
    d->evtchn->max_port = max_port;
    pthread_mutex_unlock(&d->event_lock);
}

/* ------------------------------------------------------------------------
 * 2-level delivery.
 */

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

static bool bitmap_test_and_clear(struct domain *d, uint8_t *map,
                                  unsigned int n)
{
    if (d->has_32bit_shinfo) {
        uint32_t bit = 1U << (n % 32);
        return __atomic_fetch_and((uint32_t *)map + n / 32, ~bit,
                                  __ATOMIC_SEQ_CST) & bit;
    }
    uint64_t bit = 1ULL << (n % 64);
    return __atomic_fetch_and((uint64_t *)map + n / 64, ~bit,
                              __ATOMIC_SEQ_CST) & bit;
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

/* The vCPU that port notifies, or NULL if either is out of range. */
static struct vcpu *notify_vcpu(struct domain *d, unsigned int vcpu_id,
                                evtchn_port_t port)
{
    if (port >= evtchn_max_ports(d) || vcpu_id >= d->max_vcpus)
        return NULL;
    return d->vcpu[vcpu_id];
}

/* Set port's word in v's selector; the first bit there raises the upcall. */
static void mark_selector(struct domain *d, struct vcpu *v, evtchn_port_t port)
{
    unsigned int word_bits = d->has_32bit_shinfo ? 32 : 64;

    if (v->vcpu_info &&
        !pending_sel_test_and_set(d, v->vcpu_info, port / word_bits))
        vcpu_mark_events_pending(v);
}

void evtchn_port_set_pending(struct domain *d, unsigned int vcpu_id,
                             evtchn_port_t port)
{
    struct vcpu *v = notify_vcpu(d, vcpu_id, port);

    if (v && d->evtchn_deliver) {
        d->evtchn_deliver(d, port);
        return;
    }
    if (!v || bitmap_test_and_set(d, pending_bitmap(d), port))
        return;
    if (!bitmap_test(d, mask_bitmap(d), port))
        mark_selector(d, v, port);
    check_pollers(d, port);
}

/* EVTCHNOP_unmask: clear the mask; if it was set and the port is pending,
 * deliver it now (Xen's order: mask, then pending, then selector). */
static void evtchn_port_unmask(struct domain *d, unsigned int vcpu_id,
                               evtchn_port_t port)
{
    struct vcpu *v = notify_vcpu(d, vcpu_id, port);

    if (v && bitmap_test_and_clear(d, mask_bitmap(d), port) &&
        bitmap_test(d, pending_bitmap(d), port))
        mark_selector(d, v, port);
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
    if (port && d->evtchn)
        evtchn_port_set_pending(d, d->evtchn->ports[port].notify_vcpu_id, port);
    pthread_mutex_unlock(&d->event_lock);
}

/* ------------------------------------------------------------------------
 * Port table.
 */

/* Per-vCPU VIRQs may be bound once on every vCPU; the rest only on vCPU 0. */
static bool virq_is_global(uint32_t virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        /* x86 treats every arch VIRQ as global too. */
        return true;
    }
}

/*
 * A 32-bit layout latched after ports above 1023 were opened hides them
 * from the guest, not from the teardown.
 */
static bool port_is_valid(const struct domain *d, evtchn_port_t port)
{
    return port < d->evtchn->valid &&
           (port < evtchn_max_ports(d) || d->evtchn->dying);
}

static struct evtchn *port_chn(struct domain *d, evtchn_port_t port)
{
    return &d->evtchn->ports[port];
}

/* The channel at port if port is valid and in use, else NULL. */
static struct evtchn *open_chn(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;

    if (!port_is_valid(d, port))
        return NULL;
    chn = port_chn(d, port);
    return chn->state == ECS_FREE || chn->state == ECS_RESERVED ? NULL : chn;
}

/* Lowest free port, opening a new bucket if needed; -ENOSPC when full. */
static int get_free_port(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned int port;

    for (port = 0; port_is_valid(d, port); port++)
        if (ed->ports[port].state == ECS_FREE)
            break;
    /* Ports are handed out lowest first: none is left below the limit. */
    if (port > ed->max_port)
        return -ENOSPC;
    if (port_is_valid(d, port))
        return port;
    if (port >= evtchn_max_ports(d))
        return -ENOSPC;
    ed->valid = MIN(ed->valid + EVTCHN_BUCKET, (unsigned int)EVTCHN_TABLE_PORTS);
    return port;
}

/*
 * The lowest free port, now in use in state and notifying vCPU vcpu_id;
 * -ENOSPC when full. For operations with nothing left to check.
 */
static int alloc_port(struct domain *d, enum evtchn_state state,
                      unsigned int vcpu_id)
{
    int port = get_free_port(d);

    if (port >= 0) {
        struct evtchn *chn = port_chn(d, port);

        chn->state = state;
        chn->notify_vcpu_id = vcpu_id;
    }
    return port;
}

static void free_port(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = port_chn(d, port);

    /* A stale pending bit must not fire when the port is reused. */
    if (port < evtchn_max_ports(d))
        bitmap_test_and_clear(d, pending_bitmap(d), port);
    memset(chn, 0, sizeof(*chn));
    chn->state = ECS_FREE;
}

/* Lock two domains' event locks in domid order (once if the same). */
static void double_lock(struct domain *a, struct domain *b)
{
    if (a == b) {
        pthread_mutex_lock(&a->event_lock);
    } else if (a->domain_id < b->domain_id) {
        pthread_mutex_lock(&a->event_lock);
        pthread_mutex_lock(&b->event_lock);
    } else {
        pthread_mutex_lock(&b->event_lock);
        pthread_mutex_lock(&a->event_lock);
    }
}

static void double_unlock(struct domain *a, struct domain *b)
{
    pthread_mutex_unlock(&a->event_lock);
    if (a != b)
        pthread_mutex_unlock(&b->event_lock);
}

/* Whether rd's rport is the other end of (ld, lport). */
static bool is_peer_of(struct domain *rd, evtchn_port_t rport,
                       struct domain *ld, evtchn_port_t lport)
{
    struct evtchn *rchn;

    if (!rd->evtchn || rport >= rd->evtchn->valid)
        return false;
    rchn = port_chn(rd, rport);
    return rchn->state == ECS_INTERDOMAIN &&
           rchn->u.interdomain.remote_dom == ld->domain_id &&
           rchn->u.interdomain.remote_port == lport;
}

/*
 * Lock d and, if port is interdomain and its peer still exists, the peer
 * too (lower domid first). Returns the locked peer, referenced unless it
 * is d itself (a loopback channel; d may be in teardown with no
 * references left), or NULL with only d locked. The port may change while
 * d is briefly unlocked to respect the order; then we start again.
 */
static struct domain *lock_port_and_peer(struct domain *d, evtchn_port_t port)
{
    for (unsigned int tries = 0;; tries++) {
        struct evtchn *chn;
        struct domain *rd;
        domid_t rdom;

        pthread_mutex_lock(&d->event_lock);
        if (!port_is_valid(d, port))
            return NULL;
        chn = port_chn(d, port);
        if (chn->state != ECS_INTERDOMAIN)
            return NULL;
        rdom = chn->u.interdomain.remote_dom;
        if (rdom == d->domain_id)
            return d;
        rd = get_domain_by_id(rdom);
        if (!rd)
            return NULL;
        if (d->domain_id < rdom) {
            pthread_mutex_lock(&rd->event_lock);
        } else {
            pthread_mutex_unlock(&d->event_lock);
            double_lock(d, rd);
        }
        if (port_is_valid(d, port) && chn->state == ECS_INTERDOMAIN &&
            chn->u.interdomain.remote_dom == rdom)
            return rd;
        double_unlock(d, rd);
        put_domain(rd);
        /* Bounded: a guest flipping its port must not keep us here. */
        if (tries == 8) {
            pthread_mutex_lock(&d->event_lock);
            return NULL;
        }
    }
}

static void unlock_port_and_peer(struct domain *d, struct domain *rd)
{
    pthread_mutex_unlock(&d->event_lock);
    if (rd && rd != d) {
        pthread_mutex_unlock(&rd->event_lock);
        put_domain(rd);
    }
}

/*
 * Close a port. With d's vCPUs already freed (teardown) only the peer is
 * touched. Returns 0 or -EINVAL for a port that is not open.
 */
static int close_port(struct domain *d, evtchn_port_t port, bool teardown)
{
    struct domain *rd = lock_port_and_peer(d, port);
    struct evtchn *chn = open_chn(d, port);
    struct vcpu *v;
    int rc = 0;

    if (!chn) {
        rc = -EINVAL;
        goto out;
    }
    switch (chn->state) {
    case ECS_VIRQ:
        if (teardown)
            break;
        for_each_vcpu (d, v)
            if (v->virq_to_evtchn[chn->u.virq] == port)
                v->virq_to_evtchn[chn->u.virq] = 0;
        break;
    case ECS_INTERDOMAIN: {
        evtchn_port_t rport = chn->u.interdomain.remote_port;

        /* The peer's end goes back to waiting for us. */
        if (rd && is_peer_of(rd, rport, d, port)) {
            struct evtchn *rchn = port_chn(rd, rport);

            rchn->state = ECS_UNBOUND;
            rchn->u.unbound_remote = d->domain_id;
        }
        break;
    }
    default:
        break;
    }
    if (teardown)
        memset(chn, 0, sizeof(*chn));
    else
        free_port(d, port);
out:
    unlock_port_and_peer(d, rd);
    return rc;
}

/* Close every port the guest can name (EVTCHNOP_reset). */
static void close_all(struct domain *d, bool teardown)
{
    for (evtchn_port_t port = 1; port_is_valid(d, port); port++)
        if (port_chn(d, port)->state != ECS_FREE)
            close_port(d, port, teardown);
}

void evtchn_release(struct domain *d)
{
    if (!d->evtchn)
        return;
    pthread_mutex_lock(&d->event_lock);
    d->evtchn->dying = true;
    pthread_mutex_unlock(&d->event_lock);
    close_all(d, false);
}

void evtchn_destroy(struct domain *d)
{
    if (!d->evtchn)
        return;
    d->evtchn->dying = true;
    /* Peers' ends of our interdomain channels become unbound again. */
    close_all(d, true);
    free(d->evtchn->ports);
    free(d->evtchn);
    d->evtchn = NULL;
}

/* ------------------------------------------------------------------------
 * Operations. Each takes the calling domain; the hypercall copies in/out.
 */

int evtchn_alloc_unbound(struct domain *cd, struct evtchn_alloc_unbound *a)
{
    struct domain *d = get_domain_by_any_id(cd, a->dom);
    struct evtchn *chn;
    int port, rc = 0;

    if (!d)
        return -ESRCH;
    pthread_mutex_lock(&d->event_lock);
    port = get_free_port(d);
    if (port < 0) {
        rc = port;
        goto out;
    }
    if (!domain_may_target(cd, d)) {
        rc = -EPERM;
        goto out;
    }
    chn = port_chn(d, port);
    chn->state = ECS_UNBOUND;
    chn->notify_vcpu_id = 0;
    chn->u.unbound_remote =
        a->remote_dom == DOMID_SELF ? cd->domain_id : a->remote_dom;
    a->port = port;
out:
    pthread_mutex_unlock(&d->event_lock);
    put_domain(d);
    return rc;
}

int evtchn_bind_interdomain(struct domain *ld,
                            struct evtchn_bind_interdomain *b)
{
    struct domain *rd = get_domain_by_any_id(ld, b->remote_dom);
    evtchn_port_t rport = b->remote_port;
    struct evtchn *lchn, *rchn;
    int lport, rc = 0;

    if (!rd)
        return -ESRCH;
    double_lock(ld, rd);
    lport = get_free_port(ld);
    if (lport < 0) {
        rc = lport;
        goto out;
    }
    if (!rd->evtchn || !port_is_valid(rd, rport)) {
        rc = -EINVAL;
        goto out;
    }
    rchn = port_chn(rd, rport);
    if (rchn->state != ECS_UNBOUND ||
        rchn->u.unbound_remote != ld->domain_id) {
        rc = -EINVAL;
        goto out;
    }
    lchn = port_chn(ld, lport);
    lchn->state = ECS_INTERDOMAIN;
    lchn->u.interdomain.remote_dom = rd->domain_id;
    lchn->u.interdomain.remote_port = rport;
    rchn->state = ECS_INTERDOMAIN;
    rchn->u.interdomain.remote_dom = ld->domain_id;
    rchn->u.interdomain.remote_port = lport;
    /* Notifications sent while the remote end was unbound were lost:
     * Xen conservatively raises the new local port. */
    evtchn_port_set_pending(ld, lchn->notify_vcpu_id, lport);
    b->local_port = lport;
out:
    double_unlock(ld, rd);
    put_domain(rd);
    return rc;
}

int evtchn_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
    struct vcpu *v;
    int port, rc = 0;

    if (b->virq >= NR_VIRQS)
        return -EINVAL;
    if (virq_is_global(b->virq) && b->vcpu != 0)
        return -EINVAL;
    if (b->vcpu >= d->max_vcpus || !(v = d->vcpu[b->vcpu]))
        return -ENOENT;
    pthread_mutex_lock(&d->event_lock);
    if (v->virq_to_evtchn[b->virq]) {
        rc = -EEXIST;
        goto out;
    }
    port = alloc_port(d, ECS_VIRQ, b->vcpu);
    if (port < 0) {
        rc = port;
        goto out;
    }
    port_chn(d, port)->u.virq = b->virq;
    v->virq_to_evtchn[b->virq] = port;
    b->port = port;
out:
    pthread_mutex_unlock(&d->event_lock);
    return rc;
}

int evtchn_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
    int port;

    if (b->vcpu >= d->max_vcpus || !d->vcpu[b->vcpu])
        return -ENOENT;
    pthread_mutex_lock(&d->event_lock);
    port = alloc_port(d, ECS_IPI, b->vcpu);
    pthread_mutex_unlock(&d->event_lock);
    if (port < 0)
        return port;
    b->port = port;
    return 0;
}

/* No physical IRQs are passed through: nothing can be bound (Xen: -EINVAL
 * for a pIRQ without an IRQ behind it, after taking a free port). */
static int evtchn_bind_pirq(struct domain *d)
{
    int rc;

    pthread_mutex_lock(&d->event_lock);
    rc = get_free_port(d);
    pthread_mutex_unlock(&d->event_lock);
    return rc < 0 ? rc : -EINVAL;
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
    return close_port(d, port, false);
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct domain *rd = lock_port_and_peer(d, port);
    struct evtchn *chn = open_chn(d, port);
    int rc = 0;

    /* A port that is not open counts as free: -EINVAL. */
    switch (chn ? chn->state : ECS_FREE) {
    case ECS_INTERDOMAIN: {
        evtchn_port_t rport = chn->u.interdomain.remote_port;

        /* A peer that is gone (or a stale domid) gets nothing. */
        if (rd && is_peer_of(rd, rport, d, port))
            evtchn_port_set_pending(rd, port_chn(rd, rport)->notify_vcpu_id,
                                    rport);
        break;
    }
    case ECS_IPI:
        evtchn_port_set_pending(d, chn->notify_vcpu_id, port);
        break;
    case ECS_UNBOUND:
        /* Nobody is listening yet: dropped, as in Xen. */
        break;
    default:
        rc = -EINVAL;
        break;
    }
    unlock_port_and_peer(d, rd);
    return rc;
}

int evtchn_status(struct domain *cd, struct evtchn_status *s)
{
    struct domain *d = get_domain_by_any_id(cd, s->dom);
    struct evtchn *chn;
    int rc = 0;

    if (!d)
        return -ESRCH;
    pthread_mutex_lock(&d->event_lock);
    if (!d->evtchn || !port_is_valid(d, s->port)) {
        rc = -EINVAL;
        goto out;
    }
    if (!domain_may_target(cd, d)) {
        rc = -EPERM;
        goto out;
    }
    chn = port_chn(d, s->port);
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        s->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        s->status = EVTCHNSTAT_unbound;
        s->u.unbound.dom = chn->u.unbound_remote;
        break;
    case ECS_INTERDOMAIN:
        s->status = EVTCHNSTAT_interdomain;
        s->u.interdomain.dom = chn->u.interdomain.remote_dom;
        s->u.interdomain.port = chn->u.interdomain.remote_port;
        break;
    case ECS_VIRQ:
        s->status = EVTCHNSTAT_virq;
        s->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        s->status = EVTCHNSTAT_ipi;
        break;
    default:
        s->status = EVTCHNSTAT_pirq;
        break;
    }
    s->vcpu = chn->notify_vcpu_id;
out:
    pthread_mutex_unlock(&d->event_lock);
    put_domain(d);
    return rc;
}

int evtchn_bind_vcpu(struct domain *d, evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn *chn;
    int rc = 0;

    if (vcpu >= d->max_vcpus || !d->vcpu[vcpu])
        return -ENOENT;
    pthread_mutex_lock(&d->event_lock);
    chn = open_chn(d, port);
    /* A port that is not open counts as free: -EINVAL. */
    switch (chn ? chn->state : ECS_FREE) {
    case ECS_VIRQ:
        if (virq_is_global(chn->u.virq))
            chn->notify_vcpu_id = vcpu;
        else
            rc = -EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        chn->notify_vcpu_id = vcpu;
        break;
    default:
        rc = -EINVAL;
        break;
    }
    pthread_mutex_unlock(&d->event_lock);
    return rc;
}

int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    int rc = 0;

    pthread_mutex_lock(&d->event_lock);
    if (!port_is_valid(d, port))
        rc = -EINVAL;
    else
        evtchn_port_unmask(d, port_chn(d, port)->notify_vcpu_id, port);
    pthread_mutex_unlock(&d->event_lock);
    return rc;
}

/*
 * EVTCHNOP_reset(_cont). We never stop half-way, so there is no reset in
 * progress for reset_cont to resume: Xen answers -EBUSY then.
 */
int evtchn_reset(struct domain *cd, domid_t dom, bool resuming)
{
    struct domain *d;
    int rc = get_target_domain(cd, dom, &d);

    if (rc)
        return rc;
    /* Another domain's table may only be reset while it is paused. */
    if (d != cd && !atomic_load(&d->pause_count)) {
        rc = -EINVAL;
        goto out;
    }
    if (resuming) {
        rc = -EBUSY;
        goto out;
    }
    close_all(d, false);
out:
    put_domain(d);
    return rc;
}

/* ------------------------------------------------------------------------
 * The hypercalls. Structures are the same in the 32- and 64-bit ABIs.
 */

/*
 * Copy the argument in, run the operation of the same name on it and copy
 * it back if that succeeded.
 */
#define EVTCHN_OP(name)                                                        \
    do {                                                                       \
        struct name op_;                                                       \
        if (copy_from_guest_obj(v, &op_, arg))                                 \
            return -EFAULT;                                                    \
        rc = name(d, &op_);                                                    \
        if (!rc && copy_to_guest_obj(v, arg, &op_))                            \
            rc = -EFAULT;                                                      \
    } while (0)

static long event_channel_op(struct vcpu *v, uint32_t cmd, uint64_t arg)
{
    struct domain *d = v->domain;
    long rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        EVTCHN_OP(evtchn_alloc_unbound);
        break;
    case EVTCHNOP_bind_interdomain:
        EVTCHN_OP(evtchn_bind_interdomain);
        break;
    case EVTCHNOP_bind_virq:
        EVTCHN_OP(evtchn_bind_virq);
        break;
    case EVTCHNOP_bind_ipi:
        EVTCHN_OP(evtchn_bind_ipi);
        break;
    case EVTCHNOP_status:
        EVTCHN_OP(evtchn_status);
        break;
    case EVTCHNOP_bind_pirq: {
        struct evtchn_bind_pirq op;

        if (copy_from_guest_obj(v, &op, arg))
            return -EFAULT;
        rc = evtchn_bind_pirq(d);
        break;
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask: {
        evtchn_port_t port;

        if (copy_from_guest_obj(v, &port, arg))
            return -EFAULT;
        rc = cmd == EVTCHNOP_close  ? evtchn_close(d, port)
             : cmd == EVTCHNOP_send ? evtchn_send(d, port)
                                    : evtchn_unmask(d, port);
        break;
    }
    case EVTCHNOP_bind_vcpu: {
        struct evtchn_bind_vcpu op;

        if (copy_from_guest_obj(v, &op, arg))
            return -EFAULT;
        rc = evtchn_bind_vcpu(d, op.port, op.vcpu);
        break;
    }
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont: {
        struct evtchn_reset op;

        if (copy_from_guest_obj(v, &op, arg))
            return -EFAULT;
        rc = evtchn_reset(d, op.dom, cmd == EVTCHNOP_reset_cont);
        break;
    }
    case EVTCHNOP_init_control: {
        struct evtchn_init_control op;

        /* A Xen built without the FIFO ABI answers -EOPNOTSUPP. */
        rc = copy_from_guest_obj(v, &op, arg) ? -EFAULT : -EOPNOTSUPP;
        break;
    }
    case EVTCHNOP_expand_array: {
        struct evtchn_expand_array op;

        rc = copy_from_guest_obj(v, &op, arg) ? -EFAULT : -EOPNOTSUPP;
        break;
    }
    case EVTCHNOP_set_priority: {
        struct evtchn_set_priority op;

        if (copy_from_guest_obj(v, &op, arg))
            return -EFAULT;
        /* 2-level ports have no priorities. */
        pthread_mutex_lock(&d->event_lock);
        rc = port_is_valid(d, op.port) ? -ENOSYS : -EINVAL;
        pthread_mutex_unlock(&d->event_lock);
        break;
    }
    default:
        rc = -ENOSYS;
        break;
    }
    return rc;
}

static long do_event_channel_op(struct vcpu *v, const uint64_t arg[5])
{
    /* Xen's cmd is an int: only the low 32 bits count. */
    return event_channel_op(v, (uint32_t)arg[0], arg[1]);
}
DEFINE_HYPERCALL(__HYPERVISOR_event_channel_op, do_event_channel_op);

/* The pre-3.0 form: a pointer to struct evtchn_op (cmd, then the union). */
static long do_event_channel_op_compat(struct vcpu *v, const uint64_t arg[5])
{
    struct evtchn_op op;

    if (copy_from_guest_obj(v, &op, arg[0]))
        return -EFAULT;
    switch (op.cmd) {
    case EVTCHNOP_bind_interdomain:
    case EVTCHNOP_bind_virq:
    case EVTCHNOP_bind_pirq:
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_status:
    case EVTCHNOP_alloc_unbound:
    case EVTCHNOP_bind_ipi:
    case EVTCHNOP_bind_vcpu:
    case EVTCHNOP_unmask:
        return event_channel_op(v, op.cmd,
                                arg[0] + offsetof(struct evtchn_op, u));
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_event_channel_op_compat,
                 do_event_channel_op_compat);
