/* Start of day, verdicts and the small services tests share. */
#include "guest.h"

/* From head.S. */
extern uint32_t start_info_paddr;

void idt_init(void);
void pae_enable(void *unused);
void guest_start(void);
void trap_dispatch(struct cpu_regs *r);

const struct hvm_start_info *start_info;
const char *cmdline = "";
uint32_t xen_cpuid_base;

/* Find the Xen leaves (after Viridian's, if any) and set the page up. */
static bool hypercall_init(void)
{
    for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
        struct cpuid_regs r = cpuid(base);

        if (r.ebx == XEN_CPUID_SIGNATURE_EBX &&
            r.ecx == XEN_CPUID_SIGNATURE_ECX &&
            r.edx == XEN_CPUID_SIGNATURE_EDX && r.eax - base >= 2) {
            xen_cpuid_base = base;
            break;
        }
    }
    if (!xen_cpuid_base)
        return false;
    wrmsr(cpuid(xen_cpuid_base + 2).ebx, (uintptr_t)hypercall_page);
    hypercalls_ready = true;
    return true;
}

void guest_start(void)
{
    start_info = (const void *)(uintptr_t)start_info_paddr;
    idt_init();
    if (!hypercall_init())
        die_hard(); /* no console without Xen: crash is all we can say */
#ifdef GUEST_PAE
    struct fault f;

    if (run_catching(pae_enable, NULL, &f) >= 0)
        skip("this KVM cannot run 32-bit PAE paging (exception %u at %#lx)",
             f.vector, f.ip);
#endif
    if (start_info->magic != XEN_HVM_START_MAGIC_VALUE)
        fail("bad hvm_start_info magic %#x at %p", start_info->magic,
             start_info);
    if (start_info->cmdline_paddr)
        cmdline = (const char *)(uintptr_t)start_info->cmdline_paddr;
    test_main();
    pass();
}

uint64_t ram_bytes(void)
{
    const struct hvm_memmap_table_entry *m;
    uint64_t total = 0;

    if (start_info->version < 1 || !start_info->memmap_paddr)
        return 0;
    m = (const void *)(uintptr_t)start_info->memmap_paddr;
    for (uint32_t i = 0; i < start_info->memmap_entries; i++)
        if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
            total += m[i].size;
    return total;
}

int cpuid_domid(void)
{
    struct cpuid_regs r;

    if (cpuid(xen_cpuid_base).eax < xen_cpuid_base + 4)
        return -1;
    r = cpuid(xen_cpuid_base + 4);
    return (r.eax & XEN_HVM_CPUID_DOMID_PRESENT) ? (int)(r.ecx & 0xffff) : -1;
}

/* ---- Events ---- */

int upcall_via_callback_irq(uint8_t vector)
{
    struct xen_hvm_param p = {
        .domid = DOMID_SELF,
        .index = HVM_PARAM_CALLBACK_IRQ,
        .value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | vector,
    };

    return HYPERVISOR_hvm_op(HVMOP_set_param, &p);
}

int upcall_via_vcpu_vector(unsigned int vcpu, uint8_t vector)
{
    struct xen_hvm_evtchn_upcall_vector u = {.vcpu = vcpu, .vector = vector};

    return HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u);
}

/*
 * Block with interrupts off: SCHEDOP_block returns once an event is
 * pending (at once if one already is). Blocking with interrupts on would
 * race: an upcall taken just before the hypercall leaves nothing to wake
 * us. Then "sti; hlt" takes the upcall: the HLT exit is where the
 * hypervisor injects it. A bare "sti; nop; cli" window is not enough on
 * kvm_pvm, which raises no interrupt-window exit there (the upcall comes
 * at the next exit, about 1 ms later).
 */
void wait_for_event(void)
{
    cli();
    HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    sti_hlt();
    cli();
}

/* ---- Memory and time ---- */

/* A guest frame in the hole above RAM (below 4 GiB, identity mapped). */
#define SHARED_INFO_GFN 0xf0000UL

long add_to_physmap(domid_t dom, unsigned int space, unsigned long idx,
                    unsigned long gfn)
{
    struct xen_add_to_physmap xatp = {
        .domid = dom,
        .space = space,
        .idx = idx,
        .gpfn = gfn,
    };

    return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
}

struct shared_info *map_shared_info(int *rc)
{
    static struct shared_info *si;
    int r = 0;

    if (!si) {
        r = add_to_physmap(DOMID_SELF, XENMAPSPACE_shared_info, 0,
                           SHARED_INFO_GFN);
        if (!r)
            si = (struct shared_info *)(SHARED_INFO_GFN << 12);
    }
    if (rc)
        *rc = r;
    return si;
}

uint32_t tsc_khz(void)
{
    if (cpuid(xen_cpuid_base).eax < xen_cpuid_base + 3)
        return 0;
    return cpuid_count(xen_cpuid_base + 3, 0).ecx;
}

void udelay(uint32_t us)
{
    uint64_t start = rdtsc();
    uint32_t khz = tsc_khz() ? tsc_khz() : 1000000;
    uint64_t ticks = div64((uint64_t)us * khz, 1000, NULL);

    while (rdtsc() - start < ticks)
        asm volatile("pause");
}

uint64_t pvclock_ns(const volatile struct vcpu_time_info *t, uint64_t *tsc)
{
    uint32_t version;
    uint64_t ns, now;

    do {
        version = t->version;
        barrier();
        now = rdtsc();
        uint64_t delta = now - t->tsc_timestamp;
        int8_t shift = t->tsc_shift;
        uint32_t mul = t->tsc_to_system_mul;

        if (shift < 0)
            delta >>= -shift;
        else
            delta <<= shift;
        /* (delta * mul) >> 32 without a 128-bit product. */
        ns = t->system_time + (((delta & 0xffffffff) * mul) >> 32) +
             (delta >> 32) * mul;
        barrier();
    } while ((version & 1) || version != t->version);
    if (tsc)
        *tsc = now;
    return ns;
}

uint64_t system_time_ns(void)
{
    struct shared_info *si = map_shared_info(NULL);

    return si ? pvclock_ns(&si->vcpu_info[0].time, NULL) : 0;
}

uint64_t hvm_get_time(void)
{
    struct xen_hvm_get_time t;

    check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, &t), 0);
    return t.now;
}
