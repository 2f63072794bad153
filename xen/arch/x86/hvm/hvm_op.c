/*
 * The hvm_op hypercall (HVM parameters, upcall vectors, time) and the
 * HVM-specific helpers of vcpu_op and memory_op: the check of an initial
 * vCPU state, the shared_info layout latch and NMI injection.
 *
 * Semantics are Xen 4.12's for HVM/PVH guests. Parameters follow Xen's
 * hvm_allow_{set,get}_param(): a guest may set a few (the callback, the
 * vm86 TSS, its xenstore/console event channels ...) and read a few more;
 * everything else is the toolstack's and gives -EPERM to the guest.
 */
#include <cpuid.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include <asm-x86/hvm.h>
#include <asm-x86/time.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/hvm_vcpu.h>
#include <public/hvm/params.h>
#include <public/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/timer.h>

/* ---- Initial vCPU state (VCPUOP_initialise) ---- */

#define EFER_SCE (1ULL << 0)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)
#define EFER_NX (1ULL << 11)

/* Segment attributes, packed as Xen's (and VMX's) access rights. */
#define SEG_TYPE(a) ((a)&0xf)
#define SEG_S(a) (((a) >> 4) & 1)
#define SEG_DPL(a) (((a) >> 5) & 3)
#define SEG_P(a) (((a) >> 7) & 1)
#define SEG_G(a) (((a) >> 11) & 1)
#define SEG_PAD(a) ((a) >> 12)
#define SYS_DESC_TSS_BUSY 0xb

enum seg { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR };

/*
 * Xen's check_segment(), after setting the accessed (busy for TR) bit of
 * a present segment: 0 or -EINVAL. *attr gets the adjusted value.
 */
static int check_segment(uint16_t *attr, enum seg seg)
{
    uint16_t a = *attr;

    if (SEG_P(a))
        a |= seg == SEG_TR ? 2 : 1;
    *attr = a;
    if (SEG_PAD(a))
        return -EINVAL;
    if (!a)
        return seg == SEG_DS || seg == SEG_ES ? 0 : -EINVAL;
    if (seg == SEG_TR) {
        if (SEG_S(a) || SEG_TYPE(a) != SYS_DESC_TSS_BUSY)
            return -EINVAL;
    } else if (!SEG_S(a)) {
        return -EINVAL;
    }
    if (!SEG_P(a))
        return -EINVAL;
    switch (seg) {
    case SEG_CS:
        return SEG_TYPE(a) & 8 ? 0 : -EINVAL;
    case SEG_SS:
        return (SEG_TYPE(a) & 8) || !(SEG_TYPE(a) & 2) ? -EINVAL : 0;
    case SEG_DS:
    case SEG_ES:
        return (SEG_TYPE(a) & 8) && !(SEG_TYPE(a) & 2) ? -EINVAL : 0;
    default:
        return 0;
    }
}

static int check_32b(const struct vcpu_hvm_x86_32 *r)
{
    uint16_t cs = r->cs_ar, ds = r->ds_ar, ss = r->ss_ar, es = r->es_ar;
    uint16_t tr = r->tr_ar;
    uint32_t limit = r->cs_limit;

    if (r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2])
        return -EINVAL;
    if (check_segment(&cs, SEG_CS) | check_segment(&ds, SEG_DS) |
        check_segment(&ss, SEG_SS) | check_segment(&es, SEG_ES) |
        check_segment(&tr, SEG_TR))
        return -EINVAL;
    if (SEG_G(cs))
        limit = (limit << 12) | 0xfff;
    if (r->eip > limit)
        return -EINVAL;
    if (SEG_DPL(ss) != SEG_DPL(cs) ||
        (SEG_P(ds) && SEG_DPL(ds) > SEG_DPL(cs)) ||
        (SEG_P(es) && SEG_DPL(es) > SEG_DPL(cs)))
        return -EINVAL;
    if ((r->efer & EFER_LMA) && !(r->efer & EFER_LME))
        return -EINVAL;
    return 0;
}

static int check_64b(const struct vcpu_hvm_x86_64 *r)
{
    /* 48-bit canonical. */
    if ((uint64_t)((int64_t)(r->rip << 16) >> 16) != r->rip)
        return -EINVAL;
    if (!(r->cr0 & X86_CR0_PG) || !(r->cr4 & X86_CR4_PAE) ||
        !(r->efer & EFER_LME))
        return -EINVAL;
    return 0;
}

/* CR4 bits a guest may set (Xen's hvm_cr4_guest_valid_bits() here). */
static uint64_t cr4_valid_bits(void)
{
    uint32_t a, b, c, d;
    /* VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT */
    uint64_t bits = 0x7ff;

    if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 17)))
        bits |= 1ULL << 17; /* PCIDE */
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & (1u << 0))
            bits |= 1ULL << 16; /* FSGSBASE */
        if (b & (1u << 7))
            bits |= 1ULL << 20; /* SMEP */
        if (b & (1u << 20))
            bits |= 1ULL << 21; /* SMAP */
        if (c & (1u << 2))
            bits |= 1ULL << 11; /* UMIP */
    }
    return bits;
}

int hvm_vcpu_context_check(const struct vcpu_hvm_context *c)
{
    uint64_t cr4, efer;
    int rc;

    if (c->pad)
        return -EINVAL;
    switch (c->mode) {
    case VCPU_HVM_MODE_32B:
        rc = check_32b(&c->cpu_regs.x86_32);
        cr4 = c->cpu_regs.x86_32.cr4;
        efer = c->cpu_regs.x86_32.efer;
        break;
    case VCPU_HVM_MODE_64B:
        rc = check_64b(&c->cpu_regs.x86_64);
        cr4 = c->cpu_regs.x86_64.cr4;
        efer = c->cpu_regs.x86_64.efer;
        break;
    default:
        return -EINVAL;
    }
    if (rc)
        return rc;
    if (efer & EFER_LME)
        efer |= EFER_LMA;
    /* SVME, LMSLE, FFXSE and unknown bits: features we do not offer. */
    if ((cr4 & ~cr4_valid_bits()) ||
        (efer & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)))
        return -EINVAL;
    return 0;
}

/* ---- shared_info layout, NMIs ---- */

void hvm_latch_shinfo_size(struct domain *d, struct vcpu *curr)
{
    if (!curr || curr->domain != d)
        return;
    d->has_32bit_shinfo = hypercall_is_compat(curr);
    /* The wallclock's offsets differ between the layouts. */
    update_domain_wallclock_time(d);
}

int hvm_inject_nmi(struct vcpu *v)
{
    /*
     * KVM takes the vCPU's mutex for KVM_NMI: kick v out of KVM_RUN so
     * the ioctl does not wait for its slice to end, then again so the NMI
     * is taken promptly.
     */
    vcpu_kick(v);
    if (ioctl(v->kvm_fd, KVM_NMI, 0) < 0) {
        gprintk(LOG_WARNING, "d%uv%u: KVM_NMI failed: %s\n",
                v->domain->domain_id, v->vcpu_id, strerror(errno));
        return -EOPNOTSUPP;
    }
    vcpu_kick(v);
    return 0;
}

/* ---- HVM parameters ---- */

/* hvm_params[HVM_PARAM_VM86_TSS_SIZED]: set once Xen has seen it. */
#define VM86_TSS_UPDATED (1ULL << 63)
#define TSS32_SIZE 104ULL

/*
 * Parameters a guest may read of itself (Xen's hvm_allow_get_param); the
 * first group it may also set (hvm_allow_set_param).
 */
static bool guest_may_access_param(uint32_t index, bool set)
{
    switch (index) {
    case HVM_PARAM_CALLBACK_IRQ:
    case HVM_PARAM_VM86_TSS:
    case HVM_PARAM_VM86_TSS_SIZED:
    case HVM_PARAM_ACPI_IOPORTS_LOCATION:
    case HVM_PARAM_VM_GENERATION_ID_ADDR:
    case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_EVTCHN:
    case HVM_PARAM_X87_FIP_WIDTH:
        return true;
    case HVM_PARAM_STORE_PFN:
    case HVM_PARAM_CONSOLE_PFN:
    case HVM_PARAM_ALTP2M:
        return !set;
    default:
        return false;
    }
}

/* May cd set (or read) parameter index of d? 0, -EINVAL or -EPERM. */
static int allow_param(struct domain *cd, struct domain *d, uint32_t index,
                       bool set)
{
    if (index >= HVM_NR_PARAMS)
        return -EINVAL;
    if (!domain_may_target(cd, d))
        return -EPERM;
    return d == cd && !guest_may_access_param(index, set) ? -EPERM : 0;
}

static int allow_set_param(struct domain *cd, struct domain *d, uint32_t index,
                           uint64_t value)
{
    int rc = allow_param(cd, d, index, true);
    uint64_t old;

    if (rc)
        return rc;
    old = d->hvm_params[index];
    switch (index) {
    /* Set once. */
    case HVM_PARAM_VIRIDIAN:
    case HVM_PARAM_IOREQ_SERVER_PFN:
    case HVM_PARAM_NR_IOREQ_SERVER_PAGES:
    case HVM_PARAM_ALTP2M:
    case HVM_PARAM_MCA_CAP:
        if (old && value != old)
            return -EEXIST;
        break;
    }
    return 0;
}

/* A vCPU with an event pending gets its upcall on the new route. */
static void kick_pending(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu(d,
                  v) if (v->vcpu_info &&
                         __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending,
                                         __ATOMIC_ACQUIRE)) vcpu_kick(v);
}

int hvm_set_param(struct domain *cd, struct vcpu *curr, struct domain *d,
                  uint32_t index, uint64_t value)
{
    int rc = allow_set_param(cd, d, index, value);

    if (rc)
        return rc;
    switch (index) {
    case HVM_PARAM_CALLBACK_IRQ:
        hvm_latch_shinfo_size(d, curr);
        break;
    case HVM_PARAM_TIMER_MODE:
        if (value > HVMPTM_one_missed_tick_pending)
            rc = -EINVAL;
        break;
    case HVM_PARAM_DM_DOMAIN:
        /* The only value it may ever take. */
        if (value != DOMID_SELF)
            rc = -EINVAL;
        value = cd->domain_id;
        break;
    case HVM_PARAM_ACPI_S_STATE:
        /* No S3 for our guests; 0 (running) is what they are. */
        rc = value == 0 ? 0 : value == 3 ? -EOPNOTSUPP : -EINVAL;
        break;
    case HVM_PARAM_ACPI_IOPORTS_LOCATION:
        /* PVH domains have no ACPI PM timer to move (Xen's has_vpm()). */
        rc = -ENODEV;
        break;
    case HVM_PARAM_VM86_TSS:
        /* Hardware would truncate: Xen crashes a guest that tries. */
        if (value != (uint32_t)value) {
            if (d == cd)
                domain_crash(d, "HVM_PARAM_VM86_TSS above 4 GiB");
            rc = -EINVAL;
        }
        /* Old hvmloaders assume 128 bytes. */
        if (value)
            value |= (128ULL << 32) | VM86_TSS_UPDATED;
        index = HVM_PARAM_VM86_TSS_SIZED;
        break;
    case HVM_PARAM_VM86_TSS_SIZED:
        if ((value >> 32) < TSS32_SIZE) {
            if (d == cd)
                domain_crash(d, "HVM_PARAM_VM86_TSS_SIZED too small");
            rc = -EINVAL;
        }
        /* Base TSS, interrupt redirection and I/O bitmaps, one pad byte. */
        if ((value >> 32) > TSS32_SIZE + 0x100 / 8 + 0x10000 / 8 + 1)
            value = (uint32_t)value |
                    ((TSS32_SIZE + 0x100 / 8 + 0x10000 / 8 + 1) << 32);
        value |= VM86_TSS_UPDATED;
        break;
    case HVM_PARAM_NESTEDHVM:
        if (value > 1)
            rc = -EINVAL;
        break;
    case HVM_PARAM_BUFIOREQ_EVTCHN:
        rc = -EINVAL;
        break;
    case HVM_PARAM_TRIPLE_FAULT_REASON:
        if (value > SHUTDOWN_MAX)
            rc = -EINVAL;
        break;
    case HVM_PARAM_NR_IOREQ_SERVER_PAGES:
        if (!value || value > 64)
            rc = -EINVAL;
        break;
    case HVM_PARAM_ALTP2M:
        if (value > XEN_ALTP2M_limited ||
            (value && d->hvm_params[HVM_PARAM_NESTEDHVM]))
            rc = -EINVAL;
        break;
    case HVM_PARAM_MCA_CAP:
        if (value & ~XEN_HVM_MCA_CAP_MASK)
            rc = -EINVAL;
        break;
    case HVM_PARAM_X87_FIP_WIDTH:
        if (value != 0 && value != 4 && value != 8)
            rc = -EINVAL;
        break;
    }
    if (rc)
        return rc;
    /* The engine reads the callback route without locks. */
    __atomic_store_n(&d->hvm_params[index], value, __ATOMIC_RELEASE);
    if (index == HVM_PARAM_CALLBACK_IRQ)
        kick_pending(d);
    return 0;
}

int hvm_get_param(struct domain *cd, struct domain *d, uint32_t index,
                  uint64_t *value)
{
    int rc = allow_param(cd, d, index, false);

    if (rc)
        return rc;
    switch (index) {
    case HVM_PARAM_ACPI_S_STATE:
        *value = 0;
        break;
    case HVM_PARAM_VM86_TSS:
        *value = (uint32_t)d->hvm_params[HVM_PARAM_VM86_TSS_SIZED];
        break;
    case HVM_PARAM_VM86_TSS_SIZED:
        *value = d->hvm_params[HVM_PARAM_VM86_TSS_SIZED] & ~VM86_TSS_UPDATED;
        break;
    default:
        *value = __atomic_load_n(&d->hvm_params[index], __ATOMIC_ACQUIRE);
        break;
    }
    return 0;
}

static long hvmop_param(struct vcpu *curr, bool set, uint64_t uarg)
{
    struct domain *cd = curr->domain, *d;
    struct xen_hvm_param a;
    long rc;

    if (copy_from_guest_obj(curr, &a, uarg))
        return -EFAULT;
    /* Xen checks the index of a get before looking the domain up. */
    if (!set && a.index >= HVM_NR_PARAMS)
        return -EINVAL;
    d = get_domain_by_any_id(cd, a.domid);
    if (!d)
        return -ESRCH;
    if (set) {
        rc = hvm_set_param(cd, curr, d, a.index, a.value);
    } else {
        rc = hvm_get_param(cd, d, a.index, &a.value);
        if (!rc && copy_to_guest_obj(curr, uarg, &a))
            rc = -EFAULT;
    }
    put_domain(d);
    return rc;
}

/* ---- Other operations ---- */

static long set_evtchn_upcall_vector(struct vcpu *curr, uint64_t uarg)
{
    struct domain *d = curr->domain;
    struct xen_hvm_evtchn_upcall_vector op;
    struct vcpu *v;

    if (copy_from_guest_obj(curr, &op, uarg))
        return -EFAULT;
    if (op.vector < 0x10)
        return -EINVAL;
    if (op.vcpu >= d->max_vcpus || !(v = d->vcpu[op.vcpu]))
        return -ENOENT;
    gprintk(LOG_INFO, "d%uv%u: upcall vector %#x\n", d->domain_id, v->vcpu_id,
            op.vector);
    __atomic_store_n(&v->upcall_vector, op.vector, __ATOMIC_RELEASE);
    if (v->vcpu_info &&
        __atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE))
        vcpu_kick(v);
    return 0;
}

static long get_mem_type(struct vcpu *curr, uint64_t uarg)
{
    struct xen_hvm_get_mem_type a;
    struct domain *d;
    long rc;

    if (copy_from_guest_obj(curr, &a, uarg))
        return -EFAULT;
    rc = get_target_domain(curr->domain, a.domid, &d);
    if (rc)
        return rc;
    /* RAM and grant mappings are RAM; everything else goes to a model. */
    a.mem_type = physmap_is_populated(d, a.pfn) || physmap_is_foreign(d, a.pfn)
                     ? HVMMEM_ram_rw
                     : HVMMEM_mmio_dm;
    put_domain(d);
    return copy_to_guest_obj(curr, uarg, &a) ? -EFAULT : 0;
}

static long pagetable_dying(struct vcpu *curr, uint64_t uarg)
{
    struct xen_hvm_pagetable_dying a;
    struct domain *d;

    if (copy_from_guest_obj(curr, &a, uarg))
        return -EFAULT;
    d = get_domain_by_any_id(curr->domain, a.domid);
    if (!d)
        return -ESRCH;
    put_domain(d);
    /* Only shadow paging cares; KVM's two-dimensional paging does not. */
    return -EINVAL;
}

/* Trace sub-class bits a guest may use (Xen's TRC_SUBCLS_SHIFT). */
#define TRC_SUBCLS_SHIFT 12

static long do_hvm_op(struct vcpu *curr, const uint64_t arg[5])
{
    uint64_t op = arg[0], uarg = arg[1];

    switch (op) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        return hvmop_param(curr, op == HVMOP_set_param, uarg);
    case HVMOP_set_evtchn_upcall_vector:
        return set_evtchn_upcall_vector(curr, uarg);
    case HVMOP_get_time: {
        struct xen_hvm_get_time t = {.now = NOW()};

        return copy_to_guest_obj(curr, uarg, &t) ? -EFAULT : 0;
    }
    case HVMOP_flush_tlbs:
        /*
         * Xen pauses the other vCPUs and flushes their TLBs; the engine
         * has no remote guest-TLB flush yet, so only the answer is Xen's.
         */
        return uarg ? -EINVAL : 0;
    case HVMOP_get_mem_type:
        return get_mem_type(curr, uarg);
    case HVMOP_pagetable_dying:
        return pagetable_dying(curr, uarg);
    case HVMOP_xentrace: {
        struct xen_hvm_xentrace tr;

        if (copy_from_guest_obj(curr, &tr, uarg))
            return -EFAULT;
        if (tr.extra_bytes > sizeof(tr.extra) ||
            (tr.event & ~((1u << TRC_SUBCLS_SHIFT) - 1)))
            return -EINVAL;
        return 0; /* no trace buffers */
    }
    case HVMOP_guest_request_vm_event:
        /* No monitor is ever listening here. */
        return uarg ? -EINVAL : 0;
    case HVMOP_altp2m:
        /* No alternate p2m support (hvm_altp2m_supported() is false). */
        return -EOPNOTSUPP;
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_hvm_op, do_hvm_op);
