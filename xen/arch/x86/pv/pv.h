/* The PV engine's private layout of the hypervisor region (asm-x86/pv.h). */
#ifndef PV_PRIVATE_H
#define PV_PRIVATE_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include <xen/mm.h>

/* Above the guest's physical space: never a guest frame. */
#define PV_HYP_GFN GUEST_MAX_GFN
/* KVM slot numbers below these are the physmap's. */
#define PV_HYP_KVM_SLOT 32000
#define PV_FLUSH_KVM_SLOT 32001

struct domain;
struct vcpu;

/* Where the flush slot lives: the frame after the region. */
uint64_t pv_flush_gpa(const struct domain *d);

/* Page-table tracking for RAM pfns [0, nr_pages); 0 or -ENOMEM. */
int pv_mm_init(struct domain *d, uint64_t nr_pages);
/* Validate and pin the L4 tree at pfn (also the builder's): 0 or -errno. */
int pv_pin_l4(struct domain *d, uint64_t pfn);
/* Load cr3 into the vCPU as it resumes (also for guest page walks). */
void pv_set_cr3(struct vcpu *v, uint64_t cr3);

/* Pages of the region, at PV_HYP_VIRT_START and (one KVM slot) HYP_GFN. */
#define PV_PAGE_GDT 0 /* Xen's reserved entries (selectors 0xe000+) */
#define PV_PAGE_IDT 1
#define PV_PAGE_STUBS 2   /* one stub per vector */
#define PV_PAGE_SYSCALL 3 /* user-readable: the syscall targets */
#define PV_PAGE_L3 4      /* the region's own page tables */
#define PV_PAGE_L2 5
#define PV_PAGE_L1 6
#define PV_PAGE_VCPU(i) (7 + 2 * (i)) /* TSS, then the exception stack */

#define PV_STUB_SIZE 8
#define PV_LSTAR_OFF 0
#define PV_CSTAR_OFF 16

/* The guest's virtual CR0.TS (fpu_taskswitch) is its vCPU's. */
#define X86_CR0_TS (1ULL << 3)

/* rflags bits a guest keeps; IF is always on (its IF is upcall_mask). */
#define PV_RFLAGS_GUEST 0x240dd5ULL /* CF PF AF ZF SF TF DF OF AC ID */
#define PV_RFLAGS_FIXED 0x202ULL

/* Whether va is a 48-bit canonical address. */
static inline bool pv_canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* The descriptor sel names in Xen's reserved GDT entries; 0 if none. */
uint64_t pv_gdt_entry(const struct domain *d, uint16_t sel);

/* CS and SS of the guest kernel (FLAT_KERNEL_CS64/SS64, DPL 3). */
void pv_guest_segments(struct kvm_sregs *s);

/* The hardware frame of an exception taken at CPL 3 (64-bit mode). */
struct exc_frame {
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Resume the guest kernel at rip with rsp and (sanitised) rflags. */
void pv_resume(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rflags);

/*
 * Deliver exception vec (error code err if has_err) raised at f to the
 * guest's handler from set_trap_table with Xen's frame; crashes the
 * domain if there is none or the frame cannot be written.
 */
void pv_bounce_trap(struct vcpu *v, unsigned int vec, bool has_err,
                    uint64_t err, const struct exc_frame *f);

/* A `syscall` from guest user mode: to the syscall callback (kernel). */
void pv_syscall_from_user(struct vcpu *v, const struct exc_frame *f);

/* HYPERVISOR_iret: return through the struct iret_context at rsp. */
void pv_iret(struct vcpu *v, uint64_t rsp);

#endif
