/*
 * The vcpu_op and set_timer_op hypercalls: bringing up secondary vCPUs of
 * PVH/HVM guests, runstate reporting, the per-vCPU timers and moving
 * vcpu_info out of shared_info. Semantics and error codes are Xen 4.12's
 * for HVM guests.
 *
 * A guest reaches only its own vCPUs. 32-bit callers use the compat
 * layouts: a packed 44-byte runstate, a 12-byte singleshot argument and
 * 4-byte guest handles.
 */
#include <string.h>

#include <asm-x86/hvm.h>
#include <asm-x86/kvm.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/timer.h>

/* struct vcpu_runstate_info as 32-bit guests lay it out. */
struct compat_runstate_info {
    int32_t state;
    uint64_t state_entry_time;
    uint64_t time[4];
} __attribute__((packed));

/* struct vcpu_set_singleshot_timer as 32-bit guests lay it out. */
struct compat_singleshot_timer {
    uint64_t timeout_abs_ns;
    uint32_t flags;
} __attribute__((packed));

_Static_assert(sizeof(struct compat_runstate_info) == 44, "compat runstate");
_Static_assert(sizeof(struct compat_singleshot_timer) == 12, "compat sshot");

/* Xen's bounds on a periodic timer's period. */
#define PERIOD_MIN MILLISECS(1)
#define STIME_DELTA_MAX ((uint64_t)INT64_MAX)

/*
 * Write a runstate to gva in the given layout, translating through tv's
 * page tables. A bad address is ignored (Xen keeps trying at each update).
 */
static void runstate_write(struct vcpu *tv, uint64_t gva,
                           const struct vcpu_runstate_info *r, bool compat)
{
    if (compat) {
        struct compat_runstate_info c = {
            .state = r->state,
            .state_entry_time = r->state_entry_time,
        };

        memcpy(c.time, r->time, sizeof(c.time));
        copy_to_guest(tv, gva, &c, sizeof(c));
    } else {
        copy_to_guest(tv, gva, r, sizeof(*r));
    }
}

/*
 * Copy v's pvclock to its registered vcpu_time_info area through tv's
 * page tables, odd version first as the guest expects of an update.
 */
static void time_area_write(struct vcpu *tv, struct vcpu *v)
{
    uint64_t gva = __atomic_load_n(&v->time_guest, __ATOMIC_ACQUIRE);
    struct vcpu_time_info *src, t;
    uint32_t before, after, odd;
    unsigned int tries = 0;

    if (!gva || !v->vcpu_info)
        return;
    src = &v->vcpu_info->time;
    /* A consistent snapshot (bounded: the guest can write there too). */
    do {
        before = __atomic_load_n(&src->version, __ATOMIC_ACQUIRE);
        memcpy(&t, src, sizeof(t));
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        after = __atomic_load_n(&src->version, __ATOMIC_RELAXED);
    } while (((before & 1) || before != after) && ++tries < 100);
    if ((before & 1) || before != after)
        return;
    t.version = before;
    odd = t.version + 1;
    if (copy_to_guest(tv, gva, &odd, sizeof(odd)))
        return;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t.version = odd;
    copy_to_guest(tv, gva, &t, sizeof(t));
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t.version = odd + 1;
    copy_to_guest(tv, gva, &t.version, sizeof(t.version));
}

/*
 * The scheduler core calls this (scheduler lock held) whenever v's
 * runstate changes; v is not in KVM_RUN then, so its paging state is
 * stable for the walk.
 */
void vcpu_runstate_area_update(struct vcpu *v)
{
    uint64_t gva = __atomic_load_n(&v->runstate_guest, __ATOMIC_ACQUIRE);
    struct domain *d = v->domain;
    bool compat = d->has_32bit_shinfo;
    bool flag = d->vm_assist & (1UL << VMASST_TYPE_runstate_update_flag);
    struct vcpu_runstate_info r = v->runstate;
    uint64_t entry;

    if (gva) {
        /* VMASST_TYPE_runstate_update_flag: mark the copy as in flux. */
        if (flag) {
            entry = r.state_entry_time | XEN_RUNSTATE_UPDATE;
            copy_to_guest(v, gva + (compat ? 4 : 8), &entry, sizeof(entry));
            __atomic_thread_fence(__ATOMIC_RELEASE);
            r.state_entry_time = entry;
        }
        runstate_write(v, gva, &r, compat);
        if (flag) {
            __atomic_thread_fence(__ATOMIC_RELEASE);
            entry &= ~XEN_RUNSTATE_UPDATE;
            copy_to_guest(v, gva + (compat ? 4 : 8), &entry, sizeof(entry));
        }
    }
    if (v->runstate.state == RUNSTATE_running)
        time_area_write(v, v);
}

/* VCPUOP_initialise for a PVH/HVM vCPU: a struct vcpu_hvm_context. */
static long vcpu_initialise(struct vcpu *curr, struct vcpu *v, uint64_t uarg)
{
    struct domain *d = v->domain;
    struct vcpu_hvm_context ctx;
    long rc;

    /* Beyond the legacy slots a vCPU needs its own vcpu_info first. */
    if (!v->vcpu_info)
        return -EINVAL;
    if (copy_from_guest_obj(curr, &ctx, uarg))
        return -EFAULT;
    pthread_mutex_lock(&d->lock);
    if (v->is_initialised) {
        rc = -EEXIST;
        goto out;
    }
    rc = hvm_vcpu_context_check(&ctx);
    if (rc)
        goto out;
    /* Never initialised, so down and off every pCPU: safe to load. */
    rc = arch_vcpu_set_hvm_context(v, &ctx);
    if (rc)
        goto out;
    v->is_initialised = true;
out:
    pthread_mutex_unlock(&d->lock);
    return rc;
}

static long vcpu_up(struct vcpu *v)
{
    struct domain *d = v->domain;
    bool wake = false;
    long rc = 0;

    pthread_mutex_lock(&d->lock);
    if (!v->is_initialised)
        rc = -EINVAL;
    else
        wake = __atomic_load_n(&v->pause_flags, __ATOMIC_RELAXED) & VPF_down;
    pthread_mutex_unlock(&d->lock);
    if (wake)
        vcpu_wake_up(v);
    return rc;
}

static long vcpu_take_down(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct vcpu *o;
    bool others_up = false;

    for_each_vcpu(d, o) if (o != v && !(__atomic_load_n(&o->pause_flags,
                                                        __ATOMIC_RELAXED) &
                                        VPF_down)) others_up = true;
    /* The last vCPU going down powers the domain off, as in Xen. */
    if (!others_up)
        domain_shutdown(d, SHUTDOWN_poweroff);
    else
        vcpu_down(v);
    return 0;
}

static long get_runstate_info(struct vcpu *curr, struct vcpu *v, uint64_t uarg,
                              bool compat)
{
    struct vcpu_runstate_info r;

    vcpu_runstate_get(v, &r);
    if (compat) {
        struct compat_runstate_info c = {
            .state = r.state,
            .state_entry_time = r.state_entry_time,
        };

        memcpy(c.time, r.time, sizeof(c.time));
        return copy_to_guest_obj(curr, uarg, &c) ? -EFAULT : 0;
    }
    return copy_to_guest_obj(curr, uarg, &r) ? -EFAULT : 0;
}

/* The area's address: a guest handle, 4 bytes for 32-bit callers. */
static int read_handle(struct vcpu *curr, uint64_t uarg, bool compat,
                       uint64_t *gva)
{
    *gva = 0;
    return copy_from_guest(curr, gva, uarg, compat ? 4 : 8);
}

static long register_runstate_area(struct vcpu *curr, struct vcpu *v,
                                   uint64_t uarg, bool compat)
{
    struct vcpu_runstate_info r;
    uint64_t gva;

    if (read_handle(curr, uarg, compat, &gva))
        return -EFAULT;
    __atomic_store_n(&v->runstate_guest, gva, __ATOMIC_RELEASE);
    if (!gva)
        return 0;
    /* The first copy goes through the caller's page tables, as in Xen. */
    vcpu_runstate_get(v, &r);
    runstate_write(curr, gva, &r,
                   compat || (v == curr && v->domain->has_32bit_shinfo));
    return 0;
}

static long register_time_area(struct vcpu *curr, struct vcpu *v, uint64_t uarg,
                               bool compat)
{
    uint64_t gva;

    if (read_handle(curr, uarg, compat, &gva))
        return -EFAULT;
    __atomic_store_n(&v->time_guest, gva, __ATOMIC_RELEASE);
    time_area_write(curr, v);
    return 0;
}

/*
 * The periodic timer. Its callback re-arms itself, so stopping it races
 * with a run in progress; kill_timer() would end it for good. Our own
 * callback decides under periodic_lock instead: a run that finds the
 * timer stopped, or re-armed by set_periodic() meanwhile, does nothing.
 */
static pthread_mutex_t periodic_lock = PTHREAD_MUTEX_INITIALIZER;

static void periodic_tick(void *data)
{
    struct vcpu *v = data;
    bool fire = false;
    uint64_t next, now = NOW();

    pthread_mutex_lock(&periodic_lock);
    if (v->periodic_period && !timer_is_active(&v->periodic_timer)) {
        /* Like Xen, a late tick does not make up for the ones missed. */
        next = v->periodic_timer.expires + v->periodic_period;
        set_timer(&v->periodic_timer,
                  next > now ? next : now + v->periodic_period);
        fire = true;
    }
    pthread_mutex_unlock(&periodic_lock);
    if (fire)
        send_guest_vcpu_virq(v, VIRQ_TIMER);
}

static void singleshot_fire(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

static void poll_timeout(void *data)
{
    vcpu_unblock(data);
}

void vcpu_init_timers(struct vcpu *v)
{
    init_timer(&v->singleshot_timer, singleshot_fire, v);
    init_timer(&v->periodic_timer, periodic_tick, v);
    init_timer(&v->poll_timer, poll_timeout, v);
}

static void set_periodic(struct vcpu *v, uint64_t period)
{
    pthread_mutex_lock(&periodic_lock);
    stop_timer(&v->periodic_timer);
    v->periodic_period = period;
    if (period)
        set_timer(&v->periodic_timer, NOW() + period);
    pthread_mutex_unlock(&periodic_lock);
}

static long set_singleshot(struct vcpu *curr, uint64_t uarg, bool compat)
{
    struct vcpu_set_singleshot_timer s;

    if (compat) {
        struct compat_singleshot_timer c;

        if (copy_from_guest_obj(curr, &c, uarg))
            return -EFAULT;
        s.timeout_abs_ns = c.timeout_abs_ns;
        s.flags = c.flags;
    } else if (copy_from_guest_obj(curr, &s, uarg)) {
        return -EFAULT;
    }
    if ((s.flags & VCPU_SSHOTTMR_future) && s.timeout_abs_ns < NOW())
        return -ETIME;
    /* Xen's s_time_t is signed: a "negative" deadline fires at once. */
    set_timer(&curr->singleshot_timer,
              (int64_t)s.timeout_abs_ns < 0 ? 0 : s.timeout_abs_ns);
    return 0;
}

static long register_vcpu_info(struct vcpu *curr, struct vcpu *v, uint64_t uarg)
{
    struct domain *d = v->domain;
    struct vcpu_register_vcpu_info info;
    struct vcpu_info *vi;
    uint8_t *page;
    long rc = 0;

    if (copy_from_guest_obj(curr, &info, uarg))
        return -EFAULT;
    pthread_mutex_lock(&d->event_lock);
    /*
     * It must fit in the page, aligned, once, on itself or on a vCPU that
     * is down, in the domain's own RAM. (Another vCPU may take the frame
     * away at any moment: the pointer stays valid, the guest stops seeing
     * it.)
     */
    if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) ||
        /* Aligned as the layout's words are (XSA-327). */
        (info.offset & (d->has_32bit_shinfo ? 3 : 7)) ||
        v->vcpu_info_gfn != INVALID_GFN ||
        (v != curr &&
         !(__atomic_load_n(&v->pause_flags, __ATOMIC_RELAXED) & VPF_down)) ||
        !physmap_is_populated(d, info.mfn) ||
        !(page = gfn_to_virt(d, info.mfn))) {
        rc = -EINVAL;
        goto out;
    }
    vi = (struct vcpu_info *)(page + info.offset);
    if (v->vcpu_info) {
        memcpy(vi, v->vcpu_info, sizeof(*vi));
    } else {
        memset(vi, 0, sizeof(*vi));
        vi->evtchn_upcall_mask = 1;
    }
    v->vcpu_info_offset = info.offset;
    v->vcpu_info_gfn = info.mfn;
    __atomic_store_n(&v->vcpu_info, vi, __ATOMIC_RELEASE);
    /*
     * Mark every selector bit pending, as Xen does, so that an event that
     * raced with the move is not lost: the guest sees a spurious scan.
     */
    if (d->has_32bit_shinfo)
        __atomic_store_n((uint32_t *)((uint8_t *)vi + 4), ~0U,
                         __ATOMIC_SEQ_CST);
    else
        __atomic_store_n(&vi->evtchn_pending_sel, ~(xen_ulong_t)0,
                         __ATOMIC_SEQ_CST);
    /* The new pvclock is refreshed at v's next entry. */
    v->arch.last_pcpu = -1;
    vcpu_mark_events_pending(v);
out:
    pthread_mutex_unlock(&d->event_lock);
    return rc;
}

static long do_vcpu_op(struct vcpu *curr, const uint64_t arg[5])
{
    int cmd = (int)arg[0];
    unsigned int id = (unsigned int)arg[1];
    uint64_t uarg = arg[2];
    struct domain *d = curr->domain;
    bool compat = hypercall_is_compat(curr);
    struct vcpu *v;

    if (id >= d->max_vcpus || !(v = d->vcpu[id]))
        return -ENOENT;

    switch (cmd) {
    case VCPUOP_initialise:
        return vcpu_initialise(curr, v, uarg);
    case VCPUOP_up:
        return vcpu_up(v);
    case VCPUOP_down:
        return vcpu_take_down(v);
    case VCPUOP_is_up:
        return !(__atomic_load_n(&v->pause_flags, __ATOMIC_RELAXED) & VPF_down);
    case VCPUOP_get_runstate_info:
        return get_runstate_info(curr, v, uarg, compat);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate_area(curr, v, uarg, compat);
    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer p;

        if (copy_from_guest_obj(curr, &p, uarg))
            return -EFAULT;
        if (p.period_ns < PERIOD_MIN || p.period_ns > STIME_DELTA_MAX)
            return -EINVAL;
        set_periodic(v, p.period_ns);
        return 0;
    }
    case VCPUOP_stop_periodic_timer:
        set_periodic(v, 0);
        return 0;
    case VCPUOP_set_singleshot_timer:
        if (v != curr)
            return -EINVAL;
        return set_singleshot(curr, uarg, compat);
    case VCPUOP_stop_singleshot_timer:
        if (v != curr)
            return -EINVAL;
        stop_timer(&v->singleshot_timer);
        return 0;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(curr, v, uarg);
    case VCPUOP_send_nmi:
        if (uarg)
            return -EINVAL;
        return hvm_inject_nmi(v);
    case VCPUOP_get_physid:
        /* Only for vCPUs pinned to one pCPU, which ours never are. */
        return -EINVAL;
    case VCPUOP_register_vcpu_time_memory_area:
        return register_time_area(curr, v, uarg, compat);
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_vcpu_op, do_vcpu_op);

/*
 * set_timer_op(timeout): the singleshot timer at an absolute system time;
 * 0 stops it. 32-bit callers pass the 64-bit value as lo, hi.
 */
static long do_set_timer_op(struct vcpu *v, const uint64_t arg[5])
{
    int64_t timeout =
        hypercall_is_compat(v)
            ? (int64_t)(((uint64_t)(uint32_t)arg[1] << 32) | (uint32_t)arg[0])
            : (int64_t)arg[0];
    int64_t offset;

    if (!timeout) {
        stop_timer(&v->singleshot_timer);
        return 0;
    }
    offset = timeout - (int64_t)NOW();
    /*
     * As Xen: a deadline wrapped negative or more than 2^50 ns (about 13
     * days) ahead is a guest bug (Linux jiffies wrap); fire in 100 ms.
     */
    if (timeout < 0 || (offset > 0 && (offset >> 50) != 0)) {
        gprintk(LOG_INFO, "d%uv%u: huge timeout %#llx\n", v->domain->domain_id,
                v->vcpu_id, (unsigned long long)timeout);
        set_timer(&v->singleshot_timer, NOW() + MILLISECS(100));
    } else {
        set_timer(&v->singleshot_timer, (uint64_t)timeout);
    }
    return 0;
}
DEFINE_HYPERCALL(__HYPERVISOR_set_timer_op, do_set_timer_op);
