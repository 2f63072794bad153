/*
 * The x86-64 PV engine (xen/arch/x86/pv/): classic Xen PV guests whose
 * kernel and user code both run at CPL 3 on their own, hypervisor-checked
 * page tables (pfn == mfn). Every PV page table carries one PML4 slot of
 * ours, the hypervisor region: GDT, IDT, TSS and stack per vCPU and the
 * CPL 0 stubs that turn every exception into an exit to the core.
 */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <xen/libelf.h>

struct domain;
struct vcpu;

/*
 * Xen keeps PML4 slots 256-271 for itself; slot 256 always faults on
 * kvm_pvm, so the region lives in 257.
 */
#define PV_HYP_SLOT 257
#define PV_HYP_VIRT_START                                                      \
    (0xffff000000000000ULL | ((uint64_t)PV_HYP_SLOT << 39))
/* The port the CPL 0 stubs write (never open to the guest: no I/O bitmap). */
#define PV_TRAP_PORT 0xe7

/* A PV vCPU's guest-registered state (Xen's struct pv_vcpu). */
struct pv_vcpu {
    struct trap_info traps[256]; /* set_trap_table; address 0: none */
    uint64_t event_callback, syscall_callback;
    /*
     * Kept as registered; Xen enters it when reloading the guest's
     * segment selectors fails, which cannot happen yet: the engine loads
     * none but its own flat ones.
     */
    uint64_t failsafe_callback;
    bool syscall_masks_events; /* CALLBACKF_mask_events for syscall */
    /* Guest kernel or user mode, each with its own L4 (Xen's PV model). */
    bool user_mode;
    uint64_t kernel_cr3, user_cr3; /* user_cr3 0: none yet */
    uint64_t kernel_sp;            /* stack_switch: entries from user */
    /*
     * The GS base of the mode not running (Xen's swapgs shadow): the
     * vCPU's sregs hold the running mode's; they swap on every switch.
     */
    uint64_t gs_base_inactive;
};

struct pv_domain {
    uint8_t *region; /* host mapping of the hypervisor region */
    unsigned int nr_pages;
    uint64_t l4e;          /* the PML4 entry every guest L4 gets */
    struct pv_vcpu *vcpus; /* indexed by vcpu_id */
    /* Page-table level (1-4) of each RAM frame, 0: not a page table. */
    uint8_t *pt_level;
    uint64_t nr_ram_pages;
    void *flush_page; /* backs the slot toggled to flush (mm.c) */
};

/*
 * Set d up as a PV domain: the hypervisor region (a KVM slot of its own
 * above the guest's physical space, so no guest frame and no hypercall
 * buffer can ever name it). 0 or -errno.
 */
int pv_domain_init(struct domain *d);
/* Release what pv_domain_init made; idempotent. */
void pv_domain_destroy(struct domain *d);

/*
 * vCPU 0 at Xen's PV start of day from the builder's layout: 64-bit mode
 * at CPL 3 (FLAT_KERNEL_CS/SS), rip = entry, rsp = boot stack, rsi =
 * start_info, cr3 = the builder's L4 with the hypervisor slot added.
 * Also fills the hypercall page if the kernel asked for one. 0 or -errno.
 */
int pv_vcpu_start(struct vcpu *v, const struct pv_layout *l);

/* Kernel images (a bzImage's payload unpacked) are at most this big. */
#define PV_MAX_KERNEL_BYTES (256u << 20)

struct pv_build_args {
    uint64_t mem_bytes;  /* RAM: pfns [0, mem_bytes >> 12) */
    const char *cmdline; /* may be NULL */
    const void *initrd;  /* may be NULL */
    size_t initrd_size;
    elf_map_fn map; /* over the domain's physmap, ctx = the domain */
};

/*
 * Build PV domain d (created with domain_create_args.pv) from a kernel
 * image (ELF, gzip'd ELF or bzImage): populate RAM, place shared_info,
 * lay out the start of day and set vCPU 0 up; *entry gets the entry
 * point. 0, or -errno with err set.
 */
int pv_build_domain(struct domain *d, const void *image, size_t len,
                    const struct pv_build_args *a, uint64_t *entry, char *err,
                    size_t errlen);

/* Whether v has an event upcall to take (pending, not masked). */
bool pv_events_pending(struct vcpu *v);
/* Before entering the guest: bounce a pending upcall to its callback. */
void pv_deliver_events(struct vcpu *v);

/* A port I/O exit of a PV vCPU: only the trampoline makes them. */
void pv_handle_io(struct vcpu *v);

#endif
