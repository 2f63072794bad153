/*
 * The CPUID policy: what KVM supports, minus what we do not emulate
 * (yet) or what the emulator behind a software KVM cannot run, plus the
 * Xen leaves at 0x40000000.
 */
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <asm-x86/cpuid.h>
#include <asm-x86/kvm.h>
#include <public/arch-x86/cpuid.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/version.h>

#define MAX_ENTRIES 256

static struct kvm_cpuid_entry2 host_leaves[MAX_ENTRIES];
static unsigned int nr_host_leaves;

/* Leaf 1 ECX: MONITOR, VMX, SMX, EST, TM2, FMA, XSAVE, OSXSAVE, AVX, F16C
 * (the last four need XSAVE state). */
#define L1_ECX_HIDE                                                            \
    ((1u << 3) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 8) | (1u << 12) | \
     (1u << 26) | (1u << 27) | (1u << 28) | (1u << 29))
/* Our LAPIC (hvm/vlapic.c) has x2APIC and the TSC-deadline timer. */
#define L1_ECX_SHOW ((1u << 21) | (1u << 24) | (1u << 31) /* hypervisor */)
/* Leaf 1 EDX: ACPI thermal, self-snoop, TM, PBE. */
#define L1_EDX_HIDE ((1u << 22) | (1u << 27) | (1u << 29) | (1u << 31))
#define L1_EDX_APIC (1u << 9)
/* Leaf 7 EBX: AVX2 and AVX-512 (XSAVE state). */
#define L7_EBX_HIDE                                                            \
    ((1u << 5) | (1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) |          \
     (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31))
/* Leaf 7 ECX: AVX-512 extensions; EDX: AVX-512 and AMX. */
#define L7_ECX_HIDE ((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14))
#define L7_EDX_HIDE ((1u << 2) | (1u << 3) | (1u << 8) | (1u << 22) | (1u << 23) | (1u << 24))

int cpuid_init(int kvm_fd)
{
    struct {
        struct kvm_cpuid2 hdr;
        struct kvm_cpuid_entry2 e[MAX_ENTRIES];
    } c = {.hdr.nent = MAX_ENTRIES};

    if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, &c)) {
        printk(LOG_ERR, "KVM_GET_SUPPORTED_CPUID failed\n");
        return -errno;
    }
    for (unsigned int i = 0; i < c.hdr.nent; i++) {
        struct kvm_cpuid_entry2 e = c.e[i];

        switch (e.function) {
        case 1:
            e.ecx = (e.ecx & ~L1_ECX_HIDE) | L1_ECX_SHOW;
            e.edx = (e.edx & ~L1_EDX_HIDE) | L1_EDX_APIC;
            break;
        case 6:   /* thermal and power management */
        case 0xa: /* architectural PMU */
            e.eax = e.ebx = e.ecx = e.edx = 0;
            break;
        case 7:
            if (e.index == 0) {
                e.ebx &= ~L7_EBX_HIDE;
                e.ecx &= ~L7_ECX_HIDE;
                e.edx &= ~L7_EDX_HIDE;
            }
            break;
        case 0xd: /* XSAVE state: hidden with XSAVE */
            continue;
        }
        /* KVM's own paravirt leaves sit where the Xen leaves go. */
        if (e.function >= 0x40000000 && e.function < 0x40010000)
            continue;
        host_leaves[nr_host_leaves++] = e;
    }
    return 0;
}

static void xen_leaves(struct vcpu *v, struct kvm_cpuid_entry2 *e,
                       unsigned int *n)
{
    const uint32_t base = XEN_CPUID_FIRST_LEAF;

    e[(*n)++] = (struct kvm_cpuid_entry2){
        .function = base,
        .eax = base + XEN_CPUID_MAX_NUM_LEAVES,
        .ebx = XEN_CPUID_SIGNATURE_EBX,
        .ecx = XEN_CPUID_SIGNATURE_ECX,
        .edx = XEN_CPUID_SIGNATURE_EDX,
    };
    e[(*n)++] = (struct kvm_cpuid_entry2){
        .function = base + 1,
        .eax = (XEN_VERSION << 16) | XEN_SUBVERSION,
    };
    e[(*n)++] = (struct kvm_cpuid_entry2){
        .function = base + 2,
        .eax = 1, /* hypercall pages */
        .ebx = XEN_HYPERCALL_MSR,
    };
    /* Time: subleaf 0 and 2 give the TSC frequency in kHz. */
    for (uint32_t sub = 0; sub < 3; sub++)
        e[(*n)++] = (struct kvm_cpuid_entry2){
            .function = base + 3,
            .index = sub,
            .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
            .ecx = sub == 1 ? 0 : kvm_tsc_khz,
        };
    e[(*n)++] = (struct kvm_cpuid_entry2){
        .function = base + 4,
        .eax = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT |
               XEN_HVM_CPUID_UPCALL_VECTOR,
        .ebx = v->vcpu_id,
        .ecx = v->domain->domain_id,
    };
    e[(*n)++] = (struct kvm_cpuid_entry2){.function = base + 5};
}

int cpuid_setup_vcpu(struct vcpu *v)
{
    struct {
        struct kvm_cpuid2 hdr;
        struct kvm_cpuid_entry2 e[MAX_ENTRIES + 16];
    } c;
    unsigned int n = nr_host_leaves;
    /* As Xen gives HVM guests: the (x2)APIC id is twice the vCPU id. */
    uint32_t apic_id = v->vcpu_id * 2;

    memcpy(c.e, host_leaves, n * sizeof(c.e[0]));
    for (unsigned int i = 0; i < n; i++) {
        if (c.e[i].function == 1)
            c.e[i].ebx = (c.e[i].ebx & 0x00ffffff) | (apic_id << 24);
        if (c.e[i].function == 0xb || c.e[i].function == 0x1f)
            c.e[i].edx = apic_id;
        if (c.e[i].function == 0x8000001e) /* AMD: extended APIC id */
            c.e[i].eax = apic_id;
    }
    xen_leaves(v, c.e, &n);
    c.hdr.nent = n;
    c.hdr.padding = 0;
    if (ioctl(v->kvm_fd, KVM_SET_CPUID2, &c)) {
        printk(LOG_ERR, "d%uv%u: KVM_SET_CPUID2: %m\n", v->domain->domain_id,
               v->vcpu_id);
        return -errno;
    }
    return 0;
}
