/*
 * The domctl hypercall: domain management for the toolstack (Xen 4.17's
 * interface, public/domctl.h).
 *
 * Like Xen, the operation is copied in and its interface version checked
 * before anything else, so a guest sees -EFAULT, then -EACCES, then
 * -EPERM. For domain 0 the target is looked up next (-ESRCH), then the
 * command runs under one lock that serialises all domctls, as Xen's
 * domctl_lock does. Results are copied back whole for the commands Xen
 * copies back.
 */
#include <string.h>

#include <asm-x86/hvm_save.h>
#include <asm-x86/time.h>
#include <public/domctl.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/privcmd.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl is 144 bytes");
_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112,
               "getdomaininfo layout");
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64,
               "createdomain layout");

static pthread_mutex_t domctl_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- getdomaininfo ---- */

/*
 * Xen's d->shutdown_code: the reason once shut down, else a code set
 * with SCHEDOP_shutdown_code, else SHUTDOWN_CODE_INVALID (~0).
 */
static uint32_t shutdown_code(const struct domain *d)
{
    if (d->state >= DOMAIN_SHUTDOWN && d->state != DOMAIN_DYING)
        return d->shutdown_code;
    return d->shutdown_code_hint >= 0 ? (uint32_t)d->shutdown_code_hint : ~0U;
}

void getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;
    uint64_t cpu_time = 0;
    struct vcpu *v;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    /* Blocked only if every online vCPU is; running if any is. */
    for_each_vcpu(d, v)
    {
        struct vcpu_runstate_info r;
        unsigned int pf = __atomic_load_n(&v->pause_flags, __ATOMIC_RELAXED);

        vcpu_runstate_get(v, &r);
        cpu_time += r.time[RUNSTATE_running];
        info->max_vcpu_id = v->vcpu_id;
        if (pf & VPF_down)
            continue;
        if (!(pf & VPF_blocked))
            flags &= ~XEN_DOMINF_blocked;
        /* The host's CPUs are always running something. */
        if (d->is_host || __atomic_load_n(&v->is_running, __ATOMIC_RELAXED))
            flags |= XEN_DOMINF_running;
        info->nr_online_vcpus++;
    }
    info->cpu_time = cpu_time;
    if (!info->nr_online_vcpus)
        flags = 0;

    pthread_mutex_lock(&d->lock);
    if (d->state == DOMAIN_DYING)
        flags |= XEN_DOMINF_dying;
    if (d->state == DOMAIN_SHUTDOWN)
        flags |= XEN_DOMINF_shutdown;
    flags |= shutdown_code(d) << XEN_DOMINF_shutdownshift;
    pthread_mutex_unlock(&d->lock);
    if (__atomic_load_n(&d->controller_pause_count, __ATOMIC_RELAXED) > 0)
        flags |= XEN_DOMINF_paused;
    if (d->options & XEN_DOMCTL_CDF_xs_domain)
        flags |= XEN_DOMINF_xs_domain;
    if (d->options & XEN_DOMCTL_CDF_hvm)
        flags |= XEN_DOMINF_hvm_guest;
    if (d->options & XEN_DOMCTL_CDF_hap)
        flags |= XEN_DOMINF_hap;
    info->flags = flags;

    /* Domain 0's memory is its share of the budget, ballooned or not. */
    info->tot_pages =
        d->is_host ? mem_budget_dom0() : atomic_load(&d->tot_pages);
    info->max_pages = d->is_host ? mem_budget_dom0() : d->max_pages;
    info->shared_info_frame = d->shared_info_gfn;
    info->ssidref = d->ssidref;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->cpupool = sched_domain_cpus(d, NULL);
    info->gpaddr_bits = GUEST_PADDR_BITS;
    info->arch_config.emulation_flags = d->emulation_flags;
    info->arch_config.misc_flags = d->misc_flags;
}

/* The first domain whose id is >= dom, referenced; NULL if none. */
static struct domain *first_domain_from(domid_t dom)
{
    struct domain *d;

    pthread_mutex_lock(&domlist_lock);
    for (d = domain_list; d && d->domain_id < dom; d = d->next_in_list)
        ;
    if (d)
        get_domain(d);
    pthread_mutex_unlock(&domlist_lock);
    return d;
}

static long getdomaininfo_op(struct xen_domctl *op)
{
    struct domain *d;

    if (op->domain >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    d = first_domain_from(op->domain);
    if (!d)
        return -ESRCH;
    getdomaininfo(d, &op->u.getdomaininfo);
    op->domain = d->domain_id;
    put_domain(d);
    return 0;
}

/* ---- createdomain ---- */

/* Xen's sanitise_domain_config() and its x86 part, for what we offer. */
static long check_config(const struct xen_domctl_createdomain *c)
{
    uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
                     XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
                     XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
                     XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;
    bool hvm = c->flags & XEN_DOMCTL_CDF_hvm;
    bool hap = c->flags & XEN_DOMCTL_CDF_hap;
    uint32_t emu = c->arch.emulation_flags;
    /* An HVM guest's platform: all of it (PIRQs optional) or a LAPIC. */
    uint32_t full =
        XEN_X86_EMU_ALL & ~(XEN_X86_EMU_VPCI | XEN_X86_EMU_USE_PIRQ);

    if ((c->flags & ~known) || (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask))
        return -EINVAL;
    if (c->max_vcpus < 1 || (hap && !hvm))
        return -EINVAL;
    /* No IOMMU, trace buffers, vPMU, nested HVM or tboot here. */
    if ((c->flags &
         (XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu |
          XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_s3_integrity)) ||
        c->iommu_opts || c->vmtrace_size)
        return -EINVAL;
    /* A Xen built without PV and without shadow paging. */
    if (!hvm || !hap)
        return -EINVAL;
    if (c->max_vcpus > MAX_VIRT_CPUS)
        return -EINVAL;
    if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
        return -EINVAL;
    /* Only grant table version 1 exists (gnttab=max-ver:1). */
    if (XEN_DOMCTL_GRANT_version(c->grant_opts) != 1)
        return -EINVAL;
    if (c->cpupool_id)
        return cpupool_check_add(c->cpupool_id);
    if (emu & ~XEN_X86_EMU_ALL)
        return -EINVAL;
    if ((emu & ~XEN_X86_EMU_USE_PIRQ) != full && emu != XEN_X86_EMU_LAPIC)
        return -EOPNOTSUPP;
    return 0;
}

/* A domid for a new domain, as Xen picks it: the next free after the last. */
static long pick_domid(domid_t want, domid_t *id)
{
    static domid_t rover;
    struct domain *d;
    domid_t dom;

    if (want > 0 && want < DOMID_FIRST_RESERVED) {
        d = get_domain_by_id(want);
        if (d) {
            put_domain(d);
            return -EEXIST;
        }
        *id = want;
        return 0;
    }
    for (dom = rover + 1; dom != rover; dom++) {
        if (dom == DOMID_FIRST_RESERVED)
            dom = 1;
        d = get_domain_by_id(dom);
        if (!d)
            break;
        put_domain(d);
    }
    if (dom == rover)
        return -ENOMEM;
    rover = dom;
    *id = dom;
    return 0;
}

static long createdomain(struct xen_domctl *op)
{
    struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    struct vcpu *v;
    domid_t id;
    int rc;

    rc = pick_domid(op->domain, &id);
    if (!rc)
        rc = check_config(c);
    if (rc)
        return rc;
    /* No memory yet (max_pages 0 until max_mem), nothing runs. */
    d = domain_create(id,
                      &(struct domain_create_args){
                          .max_vcpus = c->max_vcpus,
                          .emulation_flags = c->arch.emulation_flags,
                      },
                      &rc);
    if (!d)
        return rc;
    rc = gnttab_set_limits(d, c->max_grant_frames, c->max_maptrack_frames);
    if (rc) {
        domain_destroy(d);
        return rc;
    }
    evtchn_set_max_port(d, MIN(c->max_evtchn_port, (uint32_t)INT32_MAX));
    d->options = c->flags;
    d->ssidref = c->ssidref;
    d->emulation_flags = c->arch.emulation_flags;
    d->misc_flags = c->arch.misc_flags;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    /* Created in Pool-0 like every domain, then moved where it belongs. */
    if (c->cpupool_id) {
        rc = cpupool_move_domain(d, c->cpupool_id);
        if (rc) {
            domain_destroy(d);
            return rc;
        }
    }
    /* As in Xen, every vCPU is down until the builder gives it a state. */
    for_each_vcpu(d, v) vcpu_down(v);
    /* Paused by the toolstack; its first unpause starts the domain. */
    d->controller_pause_count = 1;
    domain_pause(d);
    op->domain = id;
    return 0;
}

/* ---- pause, unpause ---- */

/* The toolstack's pauses nest, up to 255 as in Xen. */
static long pause_by_controller(struct domain *d)
{
    if (d->controller_pause_count >= 255)
        return -EOVERFLOW;
    d->controller_pause_count++;
    domain_pause(d);
    return 0;
}

/*
 * Undo one toolstack pause. The one that drops the count to zero for the
 * first time ends the domain's creation: it starts running.
 */
static long unpause_by_controller(struct domain *d)
{
    if (d->controller_pause_count <= 0)
        return -EINVAL;
    if (!--d->controller_pause_count && d->state == DOMAIN_BUILDING)
        domain_start(d);
    domain_unpause(d);
    return 0;
}

/* ---- vCPUs ---- */

static long getvcpuinfo(struct domain *d, struct xen_domctl_getvcpuinfo *g)
{
    struct vcpu_runstate_info r;
    struct vcpu *v;
    int cpu;

    if (g->vcpu >= d->max_vcpus)
        return -EINVAL;
    v = d->vcpu[g->vcpu];
    if (!v)
        return -ESRCH;
    vcpu_runstate_get(v, &r);
    cpu = __atomic_load_n(&v->processor, __ATOMIC_RELAXED);
    g->online = !(v->pause_flags & VPF_down);
    g->blocked = !!(v->pause_flags & VPF_blocked);
    g->running =
        d->is_host || __atomic_load_n(&v->is_running, __ATOMIC_RELAXED);
    g->cpu_time = r.time[RUNSTATE_running];
    g->cpu = d->is_host ? v->vcpu_id : cpu < 0 ? 0 : (uint32_t)cpu;
    return 0;
}

/* pCPU ids a mask may name: the pCPU threads, at most NR_CPUS. */
static unsigned int nr_cpu_ids(void)
{
    return MIN(sched_nr_pcpus(), (unsigned int)NR_CPUS);
}

/* Xen's xenctl_bitmap_to_bitmap(): the caller's bytes, cut to nbits. */
static long bitmap_from_guest(struct vcpu *cv, uint64_t *map,
                              const struct xenctl_bitmap *x)
{
    unsigned int nbits = nr_cpu_ids();
    unsigned int guest_bytes = (x->nr_bits + 7) / 8;
    unsigned int copy = MIN(guest_bytes, (nbits + 7) / 8);
    uint8_t bytes[NR_CPUS / 8] = {0};

    if (copy && copy_from_guest(cv, bytes, (uintptr_t)x->bitmap.p, copy))
        return -EFAULT;
    if ((x->nr_bits & 7) && guest_bytes == copy)
        bytes[copy - 1] &= ~(0xff << (x->nr_bits & 7));
    memset(map, 0, NR_CPUS / 8);
    memcpy(map, bytes, sizeof(bytes)); /* little-endian words */
    return 0;
}

/* Xen's bitmap_to_xenctl_bitmap(): nbits worth, the rest of the caller's
 * buffer zeroed. */
long bitmap_to_guest(struct vcpu *cv, const struct xenctl_bitmap *x,
                     const uint64_t *map)
{
    unsigned int nbits = nr_cpu_ids();
    unsigned int guest_bytes = (x->nr_bits + 7) / 8;
    unsigned int copy = MIN(guest_bytes, (nbits + 7) / 8);
    uint64_t addr = (uintptr_t)x->bitmap.p;
    uint8_t bytes[NR_CPUS / 8];
    static const uint8_t zero[64];

    memcpy(bytes, map, sizeof(bytes));
    if (nbits % 8)
        bytes[nbits / 8] &= (1U << (nbits % 8)) - 1;
    if (copy && copy_to_guest(cv, addr, bytes, copy))
        return -EFAULT;
    for (unsigned int i = copy; i < guest_bytes; i += sizeof(zero))
        if (copy_to_guest(cv, addr + i, zero,
                          MIN(sizeof(zero), (size_t)(guest_bytes - i))))
            return -EFAULT;
    return 0;
}

static void mask_and(uint64_t *dst, const uint64_t *a, const uint64_t *b)
{
    for (unsigned int i = 0; i < NR_CPUS / 64; i++)
        dst[i] = a[i] & b[i];
}

static bool mask_empty(const uint64_t *m)
{
    for (unsigned int i = 0; i < NR_CPUS / 64; i++)
        if (m[i])
            return false;
    return true;
}

/*
 * XEN_DOMCTL_{set,get}vcpuaffinity. The masks are stored for the
 * scheduler; set reports the effective affinity back, get the masks as
 * they were set.
 */
static long vcpu_affinity(struct vcpu *cv, struct domain *d, bool set,
                          struct xen_domctl_vcpuaffinity *a)
{
    uint64_t online[NR_CPUS / 64], hard[NR_CPUS / 64], soft[NR_CPUS / 64];
    uint64_t eff[NR_CPUS / 64];
    struct vcpu *v;
    long rc;

    if (a->vcpu >= d->max_vcpus)
        return -EINVAL;
    v = d->vcpu[a->vcpu];
    if (!v)
        return -ESRCH;
    if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)))
        return -EINVAL;
    if (!set) {
        rc = 0;
        if (a->flags & XEN_VCPUAFFINITY_HARD)
            rc = bitmap_to_guest(cv, &a->cpumap_hard, v->cpu_hard_affinity);
        if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
            rc = bitmap_to_guest(cv, &a->cpumap_soft, v->cpu_soft_affinity);
        return rc;
    }

    /* Xen's "online" here is the pCPUs of the domain's pool. */
    sched_domain_cpus(d, online);
    memcpy(hard, v->cpu_hard_affinity, sizeof(hard));
    memcpy(soft, v->cpu_soft_affinity, sizeof(soft));
    if (a->flags & XEN_VCPUAFFINITY_HARD) {
        rc = bitmap_from_guest(cv, hard, &a->cpumap_hard);
        if (rc)
            return rc;
        mask_and(eff, hard, online);
        /* A vCPU must be able to run somewhere. */
        if (mask_empty(eff))
            return -EINVAL;
        rc = bitmap_to_guest(cv, &a->cpumap_hard, eff);
        if (rc)
            return rc;
    }
    if (a->flags & XEN_VCPUAFFINITY_SOFT) {
        rc = bitmap_from_guest(cv, soft, &a->cpumap_soft);
        if (rc)
            return rc;
        mask_and(eff, soft, online);
        mask_and(eff, eff, hard);
        rc = bitmap_to_guest(cv, &a->cpumap_soft, eff);
        if (rc)
            return rc;
    }
    /* Both parts succeeded: only now does the vCPU see either. */
    sched_set_affinity(v, hard, soft);
    return 0;
}

/* ---- The hypercall ---- */

/* Commands on an existing domain d; *copyback if Xen copies op back. */
static long domctl_on(struct vcpu *cv, struct domain *d, struct xen_domctl *op,
                      bool *copyback)
{
    switch (op->cmd) {
    case XEN_DOMCTL_destroydomain:
        /* Xen's domain_kill(): not oneself; idempotent. */
        if (d == cv->domain)
            return -EINVAL;
        domain_destroy(d);
        return 0;
    case XEN_DOMCTL_pausedomain:
        return d == cv->domain ? -EINVAL : pause_by_controller(d);
    case XEN_DOMCTL_unpausedomain:
        return unpause_by_controller(d);
    case XEN_DOMCTL_max_mem: {
        uint64_t pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);

        /* Xen's max_pages is an unsigned int; tot > max stops allocations. */
        d->max_pages = MIN(pages, (uint64_t)UINT32_MAX);
        return 0;
    }
    case XEN_DOMCTL_max_vcpus:
        /* The vCPUs were made at createdomain: only that number is valid. */
        return d == cv->domain || op->u.max_vcpus.max != d->max_vcpus ? -EINVAL
                                                                      : 0;
    case XEN_DOMCTL_getvcpuinfo: {
        long rc = getvcpuinfo(d, &op->u.getvcpuinfo);

        *copyback = !rc;
        return rc;
    }
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity:
        return vcpu_affinity(cv, d, op->cmd == XEN_DOMCTL_setvcpuaffinity,
                             &op->u.vcpuaffinity);
    case XEN_DOMCTL_scheduler_op:
        *copyback = true;
        return sched_adjust(d, &op->u.scheduler_op);
    case XEN_DOMCTL_settimeoffset:
        d->time_offset_seconds = op->u.settimeoffset.time_offset_seconds;
        update_domain_wallclock_time(d);
        return 0;
    case XEN_DOMCTL_gethvmcontext:
    case XEN_DOMCTL_sethvmcontext:
        return hvm_domctl_context(cv, d, op, copyback);
    default:
        return -ENOSYS;
    }
}

static long do_domctl(struct vcpu *v, const uint64_t arg[5])
{
    struct xen_domctl op;
    struct domain *d = NULL;
    bool copyback = false;
    long rc;

    if (copy_from_guest_obj(v, &op, arg[0]))
        return -EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return -EACCES;
    if (!v->domain->is_privileged)
        return -EPERM;

    pthread_mutex_lock(&domctl_lock);
    switch (op.cmd) {
    case XEN_DOMCTL_createdomain:
        rc = createdomain(&op);
        copyback = !rc;
        break;
    case XEN_DOMCTL_getdomaininfo:
        rc = getdomaininfo_op(&op);
        copyback = !rc;
        break;
    default:
        d = get_domain_by_id(op.domain);
        rc = d ? domctl_on(v, d, &op, &copyback) : -ESRCH;
        break;
    }
    pthread_mutex_unlock(&domctl_lock);
    if (d)
        put_domain(d);
    if (copyback && copy_to_guest_obj(v, arg[0], &op))
        rc = -EFAULT;
    return rc;
}
DEFINE_HYPERCALL(__HYPERVISOR_domctl, do_domctl);
