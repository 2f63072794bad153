/*
 * HVM context get/set (XEN_DOMCTL_gethvmcontext, _sethvmcontext): vCPU
 * state as HVM save records, the way Xen's toolstack reads and writes it.
 * libxenguest's PVH builder sets vCPU 0's start state with it, as Xen's
 * does (xc_dom_x86.c, vcpu_hvm).
 *
 * Records: HEADER, CPU and END. Get gives HEADER, one CPU record per vCPU
 * that is up, END. Set wants HEADER first and ends at END; like Xen's
 * hvm_load it takes every vCPU down first, and a CPU record loads its
 * vCPU and brings it up (is_initialised), so the last set must carry all
 * the vCPUs that should run. Unknown record types give -EINVAL.
 *
 * Of a CPU record, what is kept: general registers, RIP, RFLAGS, CR0,
 * CR2-CR4, EFER, segments and descriptor tables. Not yet: the FPU image,
 * debug registers, MSRs, TSC and pending events. Set refuses a record
 * that carries any of them (-EOPNOTSUPP) rather than drop it; get reports
 * them as their reset values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include <asm-x86/domain.h>
#include <asm-x86/hvm_save.h>
#include <asm-x86/kvm.h>
#include <public/domctl.h>
#include <public/hvm/save.h>
#include <xen/guest_access.h>
#include <xen/lib.h>
#include <xen/sched.h>

_Static_assert(sizeof(struct hvm_hw_cpu) == 1032, "hvm_hw_cpu layout");
_Static_assert(sizeof(struct hvm_save_header) == 24, "hvm_save_header");
_Static_assert(sizeof(struct hvm_save_descriptor) == 8, "save descriptor");

/* Bigger than any context we write or accept (Xen: what xmalloc gives). */
#define MAX_CONTEXT_BYTES (1U << 20)

#define X86_CR0_ET (1ULL << 4)
/* CR0 bits an HVM guest may set (Xen's HVM_CR0_GUEST_RESERVED_BITS). */
#define CR0_VALID 0xe005003fULL
/* EFER bits we let a guest have: SCE, LME, LMA, NXE. */
#define EFER_VALID 0xd01ULL
#define X86_DR6_DEFAULT 0xffff0ff0ULL
#define X86_DR7_DEFAULT 0x00000400ULL

/* ---- Segments: KVM's form and the records' 12-bit attribute form ---- */

static uint32_t seg_arbytes(const struct kvm_segment *s)
{
    if (s->unusable)
        return 0;
    return (s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
           (s->present & 1) << 7 | (s->avl & 1) << 8 | (s->l & 1) << 9 |
           (s->db & 1) << 10 | (s->g & 1) << 11;
}

static void seg_load(struct kvm_segment *s, uint32_t sel, uint64_t base,
                     uint32_t limit, uint32_t ar)
{
    *s = (struct kvm_segment){
        .base = base,
        .limit = limit,
        .selector = (uint16_t)sel,
        .type = ar & 0xf,
        .s = (ar >> 4) & 1,
        .dpl = (ar >> 5) & 3,
        .present = (ar >> 7) & 1,
        .avl = (ar >> 8) & 1,
        .l = (ar >> 9) & 1,
        .db = (ar >> 10) & 1,
        .g = (ar >> 11) & 1,
    };
    s->unusable = !s->present;
}

/* ---- Get ---- */

/* The vCPU's registers: the sync area after an exit, else KVM's copy. */
static int read_state(struct vcpu *v, struct kvm_regs *regs,
                      struct kvm_sregs *sregs)
{
    if (v->arch.regs_valid) {
        *regs = v->run->s.regs.regs;
        *sregs = v->run->s.regs.sregs;
        return 0;
    }
    if (ioctl(v->kvm_fd, KVM_GET_REGS, regs) ||
        ioctl(v->kvm_fd, KVM_GET_SREGS, sregs))
        return -errno;
    return 0;
}

static int save_cpu(struct vcpu *v, struct hvm_hw_cpu *c)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    int rc = read_state(v, &r, &s);

    if (rc)
        return rc;
    memset(c, 0, sizeof(*c));
    c->rax = r.rax;
    c->rbx = r.rbx;
    c->rcx = r.rcx;
    c->rdx = r.rdx;
    c->rbp = r.rbp;
    c->rsi = r.rsi;
    c->rdi = r.rdi;
    c->rsp = r.rsp;
    c->r8 = r.r8;
    c->r9 = r.r9;
    c->r10 = r.r10;
    c->r11 = r.r11;
    c->r12 = r.r12;
    c->r13 = r.r13;
    c->r14 = r.r14;
    c->r15 = r.r15;
    c->rip = r.rip;
    c->rflags = r.rflags;
    c->cr0 = s.cr0;
    c->cr2 = s.cr2;
    c->cr3 = s.cr3;
    c->cr4 = s.cr4;
    c->msr_efer = s.efer;
    c->dr6 = X86_DR6_DEFAULT;
    c->dr7 = X86_DR7_DEFAULT;
#define SAVE_SEG(n, seg)                                                       \
    do {                                                                       \
        c->n##_sel = (seg).selector;                                           \
        c->n##_base = (seg).base;                                              \
        c->n##_limit = (seg).limit;                                            \
        c->n##_arbytes = seg_arbytes(&(seg));                                  \
    } while (0)
    SAVE_SEG(cs, s.cs);
    SAVE_SEG(ds, s.ds);
    SAVE_SEG(es, s.es);
    SAVE_SEG(fs, s.fs);
    SAVE_SEG(gs, s.gs);
    SAVE_SEG(ss, s.ss);
    SAVE_SEG(tr, s.tr);
    SAVE_SEG(ldtr, s.ldt);
#undef SAVE_SEG
    c->gdtr_base = s.gdt.base;
    c->gdtr_limit = s.gdt.limit;
    c->idtr_base = s.idt.base;
    c->idtr_limit = s.idt.limit;
    return 0;
}

/* Append one record; false if it does not fit. */
static bool put_record(uint8_t *buf, uint32_t size, uint32_t *cur,
                       uint16_t code, uint16_t instance, const void *body,
                       uint32_t len)
{
    struct hvm_save_descriptor desc = {code, instance, len};

    if (size - *cur < sizeof(desc) || size - *cur - sizeof(desc) < len)
        return false;
    memcpy(buf + *cur, &desc, sizeof(desc));
    if (len)
        memcpy(buf + *cur + sizeof(desc), body, len);
    *cur += sizeof(desc) + len;
    return true;
}

static uint32_t host_cpuid1_eax(void)
{
    uint32_t eax = 1, ebx, ecx = 0, edx;

    __asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
    return eax;
}

/* The whole context of d (paused) into buf; its length in *len. */
static int save_context(struct domain *d, uint8_t *buf, uint32_t size,
                        uint32_t *len)
{
    struct hvm_save_header hdr = {
        .magic = HVM_FILE_MAGIC,
        .version = HVM_FILE_VERSION,
        .cpuid = host_cpuid1_eax(),
        .gtsc_khz = kvm_tsc_khz,
    };
    struct hvm_hw_cpu cpu;
    struct vcpu *v;
    int rc;

    *len = 0;
    if (!put_record(buf, size, len, HVM_SAVE_CODE(HEADER), 0, &hdr,
                    sizeof(hdr)))
        return -ENOSPC;
    for_each_vcpu(d, v)
    {
        /* As in Xen: a vCPU that is down has no state to save. */
        if (__atomic_load_n(&v->pause_flags, __ATOMIC_RELAXED) & VPF_down)
            continue;
        rc = save_cpu(v, &cpu);
        if (rc)
            return rc;
        if (!put_record(buf, size, len, HVM_SAVE_CODE(CPU), v->vcpu_id, &cpu,
                        sizeof(cpu)))
            return -ENOSPC;
    }
    if (!put_record(buf, size, len, HVM_SAVE_CODE(END), 0, NULL, 0))
        return -ENOSPC;
    return 0;
}

/* What a full context of d takes (an upper bound: every vCPU up). */
static uint32_t context_size(const struct domain *d)
{
    size_t desc = sizeof(struct hvm_save_descriptor);

    return desc + HVM_SAVE_LENGTH(HEADER) +
           d->max_vcpus * (desc + HVM_SAVE_LENGTH(CPU)) + desc;
}

static long get_context(struct vcpu *cv, struct domain *d,
                        struct xen_domctl_hvmcontext *h)
{
    uint32_t size = context_size(d), len = 0;
    uint64_t dst = (uintptr_t)h->buffer.p;
    uint8_t *buf = NULL;
    long rc;

    /* A NULL buffer asks for the size. */
    if (!dst) {
        h->size = size;
        return 0;
    }
    if (h->size < size)
        return -ENOSPC;
    buf = calloc(1, size);
    if (!buf)
        return -ENOMEM;
    domain_pause(d);
    rc = save_context(d, buf, size, &len);
    domain_unpause(d);
    h->size = len;
    if (!rc && copy_to_guest(cv, dst, buf, len))
        rc = -EFAULT;
    free(buf);
    return rc;
}

/* ---- Set ---- */

static int check_cpu(const struct hvm_hw_cpu *c)
{
    static const uint8_t zero_fpu[sizeof(c->fpu_regs)];
    bool pg = c->cr0 & X86_CR0_PG;

    if (c->pad0 || (c->flags & ~XEN_X86_FPU_INITIALISED))
        return -EINVAL;
    /* Xen's checks: CR0 reserved bits, ET set, PG only with PE. */
    if ((c->cr0 & ~CR0_VALID) || !(c->cr0 & X86_CR0_ET) ||
        (pg && !(c->cr0 & X86_CR0_PE)))
        return -EINVAL;
    if ((c->msr_efer & ~EFER_VALID) || ((c->msr_efer & X86_EFER_LMA) &&
                                        (!(c->msr_efer & X86_EFER_LME) || !pg)))
        return -EINVAL;
    /* State we do not load yet: refuse it rather than drop it. */
    if ((c->flags & XEN_X86_FPU_INITIALISED) ||
        memcmp(c->fpu_regs, zero_fpu, sizeof(zero_fpu)) || c->pending_valid ||
        c->dr0 || c->dr1 || c->dr2 || c->dr3 || (c->dr7 & ~X86_DR7_DEFAULT) ||
        c->sysenter_cs || c->sysenter_esp || c->sysenter_eip || c->shadow_gs ||
        c->msr_lstar || c->msr_star || c->msr_cstar || c->msr_syscall_mask ||
        c->msr_tsc_aux)
        return -EOPNOTSUPP;
    return 0;
}

/* Load a checked CPU record into v, which is down and off every pCPU. */
static int load_cpu(struct vcpu *v, const struct hvm_hw_cpu *c)
{
    struct kvm_regs r = {
        .rax = c->rax,
        .rbx = c->rbx,
        .rcx = c->rcx,
        .rdx = c->rdx,
        .rsi = c->rsi,
        .rdi = c->rdi,
        .rsp = c->rsp,
        .rbp = c->rbp,
        .r8 = c->r8,
        .r9 = c->r9,
        .r10 = c->r10,
        .r11 = c->r11,
        .r12 = c->r12,
        .r13 = c->r13,
        .r14 = c->r14,
        .r15 = c->r15,
        .rip = c->rip,
        .rflags = c->rflags | 2, /* bit 1 always reads as 1 */
    };
    struct kvm_sregs s;

    /* Keep what the record does not carry (APIC base, ...). */
    if (ioctl(v->kvm_fd, KVM_GET_SREGS, &s))
        return -errno;
    seg_load(&s.cs, c->cs_sel, c->cs_base, c->cs_limit, c->cs_arbytes);
    seg_load(&s.ds, c->ds_sel, c->ds_base, c->ds_limit, c->ds_arbytes);
    seg_load(&s.es, c->es_sel, c->es_base, c->es_limit, c->es_arbytes);
    seg_load(&s.fs, c->fs_sel, c->fs_base, c->fs_limit, c->fs_arbytes);
    seg_load(&s.gs, c->gs_sel, c->gs_base, c->gs_limit, c->gs_arbytes);
    seg_load(&s.ss, c->ss_sel, c->ss_base, c->ss_limit, c->ss_arbytes);
    seg_load(&s.tr, c->tr_sel, c->tr_base, c->tr_limit, c->tr_arbytes);
    seg_load(&s.ldt, c->ldtr_sel, c->ldtr_base, c->ldtr_limit, c->ldtr_arbytes);
    s.gdt = (struct kvm_dtable){.base = c->gdtr_base,
                                .limit = (uint16_t)c->gdtr_limit};
    s.idt = (struct kvm_dtable){.base = c->idtr_base,
                                .limit = (uint16_t)c->idtr_limit};
    s.cr0 = c->cr0;
    s.cr2 = c->cr2;
    s.cr3 = c->cr3;
    s.cr4 = c->cr4;
    s.efer = c->msr_efer;
    memset(s.interrupt_bitmap, 0, sizeof(s.interrupt_bitmap));
    /* KVM refuses what the CPU cannot run (CR4 bits, ...): -EINVAL. */
    if (ioctl(v->kvm_fd, KVM_SET_SREGS, &s) ||
        ioctl(v->kvm_fd, KVM_SET_REGS, &r))
        return errno == EFAULT ? -EFAULT : -EINVAL;
    /* The sync area is stale now; nothing in it may overwrite this. */
    v->run->kvm_dirty_regs &=
        ~(uint64_t)(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS);
    v->arch.regs_valid = false;
    v->arch.cr0 = s.cr0;
    v->arch.cr3 = s.cr3;
    v->arch.cr4 = s.cr4;
    v->arch.efer = s.efer;
    v->arch.cs_long = s.cs.l;
    v->arch.cpl = s.ss.dpl;
    return 0;
}

/* Walk the records of buf; d is paused. Xen's hvm_load. */
static long load_context(struct domain *d, const uint8_t *buf, uint32_t size)
{
    struct hvm_save_descriptor desc;
    struct hvm_save_header hdr;
    struct hvm_hw_cpu cpu;
    uint32_t cur = 0;
    struct vcpu *v;
    int rc;

    /* The header must come first. */
    if (size < sizeof(desc))
        return -ENODATA;
    memcpy(&desc, buf, sizeof(desc));
    if (desc.typecode != HVM_SAVE_CODE(HEADER) || desc.length != sizeof(hdr) ||
        size - sizeof(desc) < sizeof(hdr))
        return -ENODATA;
    memcpy(&hdr, buf + sizeof(desc), sizeof(hdr));
    if (hdr.magic != HVM_FILE_MAGIC || hdr.version != HVM_FILE_VERSION) {
        gprintk(LOG_ERR,
                "d%u: HVM restore: bad header (magic %#x, "
                "version %u)\n",
                d->domain_id, hdr.magic, hdr.version);
        return -EINVAL;
    }
    cur = sizeof(desc) + sizeof(hdr);

    /* Only the vCPUs with a CPU record come back up. */
    for_each_vcpu(d, v) vcpu_down(v);

    for (;;) {
        if (size - cur < sizeof(desc)) {
            gprintk(LOG_ERR, "d%u: HVM restore: no END record\n", d->domain_id);
            return -ENODATA;
        }
        memcpy(&desc, buf + cur, sizeof(desc));
        cur += sizeof(desc);
        if (desc.typecode == HVM_SAVE_CODE(END))
            return 0;
        if (desc.length > size - cur)
            return -ENODATA;
        if (desc.typecode != HVM_SAVE_CODE(CPU)) {
            gprintk(LOG_ERR, "d%u: HVM restore: unknown entry typecode %u\n",
                    d->domain_id, desc.typecode);
            return -EINVAL;
        }
        if (desc.instance >= d->max_vcpus || !d->vcpu[desc.instance]) {
            gprintk(LOG_ERR, "d%u: HVM restore: no vCPU %u\n", d->domain_id,
                    desc.instance);
            return -EINVAL;
        }
        /* Shorter records (older layouts) are zero-extended, as in Xen. */
        if (desc.length > sizeof(cpu))
            return -EINVAL;
        memset(&cpu, 0, sizeof(cpu));
        memcpy(&cpu, buf + cur, desc.length);
        cur += desc.length;
        rc = check_cpu(&cpu);
        v = d->vcpu[desc.instance];
        if (!rc)
            rc = load_cpu(v, &cpu);
        if (rc) {
            gprintk(LOG_ERR, "d%u: HVM restore: CPU %u not loaded (%d)\n",
                    d->domain_id, desc.instance, rc);
            return rc;
        }
        pthread_mutex_lock(&d->lock);
        v->is_initialised = true;
        pthread_mutex_unlock(&d->lock);
        vcpu_wake_up(v);
    }
}

static long set_context(struct vcpu *cv, struct domain *d,
                        const struct xen_domctl_hvmcontext *h)
{
    uint8_t *buf;
    long rc;

    if (h->size > MAX_CONTEXT_BYTES)
        return -ENOMEM;
    buf = malloc(h->size ? h->size : 1);
    if (!buf)
        return -ENOMEM;
    if (copy_from_guest(cv, buf, (uintptr_t)h->buffer.p, h->size)) {
        rc = -EFAULT;
        goto out;
    }
    pthread_mutex_lock(&d->lock);
    rc = d->state == DOMAIN_DYING ? -EINVAL : 0;
    pthread_mutex_unlock(&d->lock);
    if (rc)
        goto out;
    domain_pause(d);
    rc = load_context(d, buf, h->size);
    domain_unpause(d);
out:
    free(buf);
    return rc;
}

long hvm_domctl_context(struct vcpu *cv, struct domain *d,
                        struct xen_domctl *op, bool *copyback)
{
    /* No pausing oneself; domain 0 has no vCPU state. */
    if (d == cv->domain || d->is_host)
        return -EINVAL;
    if (op->cmd == XEN_DOMCTL_gethvmcontext) {
        *copyback = true;
        return get_context(cv, d, &op->u.hvmcontext);
    }
    return set_context(cv, d, &op->u.hvmcontext);
}
