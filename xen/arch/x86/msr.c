/*
 * MSRs that reach us: the Xen hypercall-page MSR (CPUID leaf 0x40000002
 * names it) and the LAPIC's (APIC base, TSC deadline, x2APIC: hvm/intr.c).
 * KVM handles the other architectural ones itself; every other MSR that
 * exits is unknown and raises #GP.
 */
#include <string.h>

#include <asm-x86/hvm/intr.h>
#include <asm-x86/kvm.h>
#include <asm-x86/msr.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

/*
 * One 32-byte stub per hypercall: "mov $nr, %eax; out %eax, $PORT; ret",
 * padded with int3. Only eax changes and the bytes mean the same in 32-
 * and 64-bit code; the first byte is never ret.
 */
static void fill_hypercall_page(uint8_t *page)
{
    memset(page, 0xcc, PAGE_SIZE);
    for (unsigned int nr = 0; nr < PAGE_SIZE / 32; nr++) {
        uint8_t *p = page + nr * 32;

        p[0] = 0xb8; /* mov $imm32, %eax */
        memcpy(p + 1, &nr, 4);
        p[5] = 0xe7; /* out %eax, $imm8 */
        p[6] = XEN_HYPERCALL_PORT;
        p[7] = 0xc3; /* ret */
    }
}

int guest_wrmsr(struct vcpu *v, uint32_t idx, uint64_t val)
{
    uint8_t *page;

    if (hvm_lapic_msr(idx))
        return hvm_lapic_wrmsr(v, idx, val);
    if (idx != XEN_HYPERCALL_MSR)
        return -EINVAL;
    /* Low bits select the page of a multi-page area: we have one page. */
    if (val & ~PAGE_MASK)
        return -EINVAL;
    page = gfn_to_virt(v->domain, val >> PAGE_SHIFT);
    if (!page) {
        gprintk(LOG_WARNING, "d%uv%u: hypercall page at unbacked gfn %#llx\n",
                v->domain->domain_id, v->vcpu_id,
                (unsigned long long)(val >> PAGE_SHIFT));
        return -EINVAL;
    }
    fill_hypercall_page(page);
    v->arch.msr_hypercall_page = val;
    return 0;
}

int guest_rdmsr(struct vcpu *v, uint32_t idx, uint64_t *val)
{
    if (hvm_lapic_msr(idx))
        return hvm_lapic_rdmsr(v, idx, val);
    if (idx != XEN_HYPERCALL_MSR)
        return -EINVAL;
    *val = 0; /* write-only; reads as zero like Xen */
    return 0;
}
