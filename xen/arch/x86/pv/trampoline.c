/*
 * The hypervisor region of a PV domain and a PV vCPU's start state.
 *
 * The region is the only code that runs at CPL 0 in a PV guest: an IDT
 * whose every gate leads to a stub that writes PV_TRAP_PORT (one exit;
 * the stub's address gives the vector), Xen's reserved GDT entries, a
 * TSS and exception stack per vCPU, and a user-readable page holding the
 * `syscall` targets, which trap (`syscall` stays at CPL 3 on kvm_pvm).
 * The core reads the exception frame and resumes the guest at CPL 3
 * through sync_regs; nothing ever returns into the stubs.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <asm-x86/kvm.h>
#include <asm-x86/pv.h>
#include <public/xen.h>
#include <xen/libelf.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

#include "pv.h"

#define PTE_P 0x001ULL
#define PTE_RW 0x002ULL
#define PTE_US 0x004ULL
#define PTE_A 0x020ULL
#define PTE_D 0x040ULL
#define PTE_UPPER (PTE_P | PTE_RW | PTE_US | PTE_A)

/* Xen's reserved GDT entries start at selector 0xe000. */
#define GDT_RESERVED 0xe000
#define HYP_CS 0xe008 /* __HYPERVISOR_CS64 */
#define HYP_TSS_SEL 0xe040

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084

#define X86_CR0_MP (1ULL << 1)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_NE (1ULL << 5)
#define X86_CR0_AM (1ULL << 18)
#define X86_CR4_OSFXSR (1ULL << 9)
#define X86_CR4_OSXMMEXCPT (1ULL << 10)
#define X86_EFER_SCE (1ULL << 0)

static uint64_t hyp_gpa(unsigned int page)
{
    return (PV_HYP_GFN + page) << PAGE_SHIFT;
}

uint64_t pv_flush_gpa(const struct domain *d)
{
    return hyp_gpa(d->pv->nr_pages);
}

static void *hyp_page(struct pv_domain *pv, unsigned int page)
{
    return pv->region + ((size_t)page << PAGE_SHIFT);
}

/* A 64-bit interrupt gate to the stub of vector vec. */
static void set_gate(uint64_t *idt, unsigned int vec, unsigned int dpl)
{
    uint64_t off =
        PV_HYP_VIRT_START + PV_PAGE_STUBS * PAGE_SIZE + vec * PV_STUB_SIZE;

    idt[2 * vec] = (off & 0xffff) | ((uint64_t)HYP_CS << 16) |
                   ((uint64_t)(0x8e | dpl << 5) << 40) |
                   ((off >> 16) & 0xffff) << 48;
    idt[2 * vec + 1] = off >> 32;
}

static void build_region(struct pv_domain *pv, unsigned int nr_vcpus)
{
    uint64_t *gdt = (uint64_t *)hyp_page(pv, PV_PAGE_GDT);
    uint64_t *idt = hyp_page(pv, PV_PAGE_IDT);
    uint8_t *stubs = hyp_page(pv, PV_PAGE_STUBS);
    uint8_t *sys = hyp_page(pv, PV_PAGE_SYSCALL);
    uint64_t *l3 = hyp_page(pv, PV_PAGE_L3), *l2 = hyp_page(pv, PV_PAGE_L2),
             *l1 = hyp_page(pv, PV_PAGE_L1);

    /* Descriptors come pre-accessed: the GDT page is read-only. */
    gdt[(HYP_CS - GDT_RESERVED) / 8] = 0x00af9b000000ffffULL;
    gdt[(FLAT_RING3_CS32 & ~7) / 8 - GDT_RESERVED / 8] = 0x00cffb000000ffffULL;
    gdt[(FLAT_RING3_SS64 & ~7) / 8 - GDT_RESERVED / 8] = 0x00cff3000000ffffULL;
    gdt[(FLAT_RING3_CS64 & ~7) / 8 - GDT_RESERVED / 8] = 0x00affb000000ffffULL;

    /* int3 and into may be raised from CPL 3, as on Xen. */
    for (unsigned int vec = 0; vec < 256; vec++)
        set_gate(idt, vec, vec == 3 || vec == 4 ? 3 : 0);

    /* Each stub: out %eax, $PV_TRAP_PORT, then ud2s (never reached). */
    memset(stubs, 0, PAGE_SIZE);
    for (unsigned int vec = 0; vec < 256; vec++) {
        uint8_t *s = stubs + vec * PV_STUB_SIZE;

        s[0] = 0xe7;
        s[1] = PV_TRAP_PORT;
        for (unsigned int i = 2; i + 1 < PV_STUB_SIZE; i += 2) {
            s[i] = 0x0f;
            s[i + 1] = 0x0b;
        }
    }

    /* The syscall targets trap with #UD; anything else here is int3. */
    memset(sys, 0xcc, PAGE_SIZE);
    sys[PV_LSTAR_OFF] = sys[PV_CSTAR_OFF] = 0x0f;
    sys[PV_LSTAR_OFF + 1] = sys[PV_CSTAR_OFF + 1] = 0x0b;

    for (unsigned int i = 0; i < nr_vcpus; i++) {
        uint8_t *tss = hyp_page(pv, PV_PAGE_VCPU(i));
        uint64_t rsp0 = PV_HYP_VIRT_START + (PV_PAGE_VCPU(i) + 2) * PAGE_SIZE;

        memcpy(tss + 4, &rsp0, 8);
        /* I/O map base beyond the limit: every port #GPs at CPL 3. */
        tss[0x66] = 0x68;
    }

    /* Supervisor pages except the syscall page; A/D preset. */
    l3[0] = hyp_gpa(PV_PAGE_L2) | PTE_UPPER;
    l2[0] = hyp_gpa(PV_PAGE_L1) | PTE_UPPER;
    l1[PV_PAGE_GDT] = hyp_gpa(PV_PAGE_GDT) | PTE_P | PTE_A;
    l1[PV_PAGE_IDT] = hyp_gpa(PV_PAGE_IDT) | PTE_P | PTE_A;
    l1[PV_PAGE_STUBS] = hyp_gpa(PV_PAGE_STUBS) | PTE_P | PTE_A;
    l1[PV_PAGE_SYSCALL] = hyp_gpa(PV_PAGE_SYSCALL) | PTE_P | PTE_US | PTE_A;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        unsigned int tss = PV_PAGE_VCPU(i);

        l1[tss] = hyp_gpa(tss) | PTE_P | PTE_A;
        l1[tss + 1] = hyp_gpa(tss + 1) | PTE_P | PTE_RW | PTE_A | PTE_D;
    }
    pv->l4e = hyp_gpa(PV_PAGE_L3) | PTE_UPPER;
}

int pv_domain_init(struct domain *d)
{
    struct pv_domain *pv = calloc(1, sizeof(*pv));
    int rc;

    if (!pv)
        return -ENOMEM;
    pv->vcpus = calloc(d->max_vcpus, sizeof(*pv->vcpus));
    if (!pv->vcpus) {
        free(pv);
        return -ENOMEM;
    }
    pv->nr_pages = PV_PAGE_VCPU(d->max_vcpus);
    /* One more page after the region backs the flush slot (mm.c). */
    pv->region =
        mmap(NULL, (size_t)(pv->nr_pages + 1) << PAGE_SHIFT,
             PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pv->region == MAP_FAILED) {
        free(pv->vcpus);
        free(pv);
        return -ENOMEM;
    }
    d->pv = pv;
    build_region(pv, d->max_vcpus);
    pv->flush_page = hyp_page(pv, pv->nr_pages);
    rc = kvm_set_memslot(d, PV_HYP_KVM_SLOT, hyp_gpa(0),
                         (uint64_t)pv->nr_pages << PAGE_SHIFT, pv->region);
    if (!rc)
        rc = kvm_set_memslot(d, PV_FLUSH_KVM_SLOT, pv_flush_gpa(d), PAGE_SIZE,
                             pv->flush_page);
    if (rc)
        pv_domain_destroy(d);
    return rc;
}

void pv_domain_destroy(struct domain *d)
{
    struct pv_domain *pv = d->pv;

    if (!pv)
        return;
    munmap(pv->region, (size_t)(pv->nr_pages + 1) << PAGE_SHIFT);
    free(pv->pt_level);
    free(pv->vcpus);
    free(pv);
    d->pv = NULL;
}

/*
 * Xen's 64-bit PV hypercall page: each 32-byte stub saves rcx/r11 around
 * a `syscall`; iret's pushes rax too and does not return (its frame is
 * the stack the guest built).
 */
static void fill_hypercall_page(uint8_t *page)
{
    memset(page, 0xcc, PAGE_SIZE);
    for (unsigned int nr = 0; nr < PAGE_SIZE / 32; nr++) {
        uint8_t *p = page + nr * 32;

        if (nr == __HYPERVISOR_iret) {
            memcpy(p, "\x51\x41\x53\x50\xb8", 5); /* push rcx, r11, rax; mov */
            memcpy(p + 5, &nr, 4);
            memcpy(p + 9, "\x0f\x05", 2); /* syscall */
            continue;
        }
        memcpy(p, "\x51\x41\x53\xb8", 4); /* push %rcx; push %r11; mov */
        memcpy(p + 4, &nr, 4);
        memcpy(p + 8, "\x0f\x05\x41\x5b\x59\xc3",
               6); /* syscall; pop r11, rcx; ret */
    }
}

uint64_t pv_gdt_entry(const struct domain *d, uint16_t sel)
{
    const uint64_t *gdt = hyp_page(d->pv, PV_PAGE_GDT);

    /* Past the one page of reserved entries is past the GDT's limit. */
    if ((sel & 4) || sel < GDT_RESERVED ||
        (unsigned int)(sel - GDT_RESERVED) >= PAGE_SIZE)
        return 0;
    return gdt[(sel - GDT_RESERVED) / 8];
}

static void seg(struct kvm_segment *s, uint16_t sel, uint8_t type, bool l,
                unsigned int dpl)
{
    *s = (struct kvm_segment){
        .limit = 0xffffffff,
        .selector = sel,
        .type = type,
        .present = 1,
        .dpl = dpl,
        .db = !l,
        .s = 1,
        .l = l,
        .g = 1,
    };
}

void pv_guest_segments(struct kvm_sregs *s)
{
    seg(&s->cs, FLAT_KERNEL_CS64, 0xb, true, 3);
    seg(&s->ss, FLAT_KERNEL_SS64, 0x3, false, 3);
}

int pv_vcpu_start(struct vcpu *v, const struct pv_layout *l)
{
    struct domain *d = v->domain;
    struct pv_domain *pv = d->pv;
    uint64_t *l4 = gfn_to_virt(d, l->cr3 >> PAGE_SHIFT);
    struct kvm_sregs s;
    struct kvm_regs r = {
        .rip = l->rip, .rsp = l->rsp, .rsi = l->rsi, .rflags = PV_RFLAGS_FIXED};
    uint64_t tss = PV_HYP_VIRT_START + PV_PAGE_VCPU(v->vcpu_id) * PAGE_SIZE;
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry e[4];
    } msrs = {
        .hdr.nmsrs = 4,
        .e =
            {
                {.index = MSR_LSTAR,
                 .data = PV_HYP_VIRT_START + PV_PAGE_SYSCALL * PAGE_SIZE +
                         PV_LSTAR_OFF},
                {.index = MSR_CSTAR,
                 .data = PV_HYP_VIRT_START + PV_PAGE_SYSCALL * PAGE_SIZE +
                         PV_CSTAR_OFF},
                {.index = MSR_STAR, .data = (uint64_t)HYP_CS << 32},
                /* AC NT DF TF, as Xen masks them for its own entry. */
                {.index = MSR_SYSCALL_MASK, .data = 0x44500},
            },
    };

    if (!l4 || (l->cr3 & ~PAGE_MASK))
        return -EINVAL;
    pv->vcpus[v->vcpu_id].kernel_cr3 = l->cr3;
    /* Not present until now, so the guest sees it without a flush. */
    l4[PV_HYP_SLOT] = pv->l4e;
    if (l->hypercall_pfn != UNSET_ADDR) {
        uint8_t *hc = gfn_to_virt(d, l->hypercall_pfn);

        if (!hc)
            return -EINVAL;
        fill_hypercall_page(hc);
    }

    if (ioctl(v->kvm_fd, KVM_GET_SREGS, &s))
        return -errno;
    pv_guest_segments(&s);
    s.ds = s.es = s.fs = s.gs = (struct kvm_segment){.unusable = 1};
    s.ldt = (struct kvm_segment){.unusable = 1};
    s.tr = (struct kvm_segment){.base = tss,
                                .limit = 0x67,
                                .selector = HYP_TSS_SEL,
                                .type = 0xb,
                                .present = 1};
    s.gdt.base = PV_HYP_VIRT_START + PV_PAGE_GDT * PAGE_SIZE - GDT_RESERVED;
    s.gdt.limit = GDT_RESERVED + PAGE_SIZE - 1;
    s.idt.base = PV_HYP_VIRT_START + PV_PAGE_IDT * PAGE_SIZE;
    s.idt.limit = 256 * 16 - 1;
    s.cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP |
            X86_CR0_AM | X86_CR0_PG;
    s.cr3 = l->cr3;
    s.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    s.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_SCE | X86_EFER_NX;
    if (ioctl(v->kvm_fd, KVM_SET_SREGS, &s) ||
        ioctl(v->kvm_fd, KVM_SET_REGS, &r))
        return -errno;
    /* KVM_SET_MSRS returns how many it set. */
    if (ioctl(v->kvm_fd, KVM_SET_MSRS, &msrs) != (int)msrs.hdr.nmsrs)
        return -EINVAL;
    v->arch.regs_valid = false;
    return 0;
}
