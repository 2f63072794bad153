/*
 * The first PV test kernel: console output through the hypercall page
 * and through the `syscall` instruction, Xen's start_info as the PV
 * builder fills it, vm_assist's PV types, and SCHEDOP_shutdown (pass()).
 */
#include "pv.h"

#define VIRT_BASE 0xffffffff80000000UL

static bool in_image(unsigned long va, unsigned long len)
{
    unsigned long pages = pv_start_info->nr_pages;

    return va >= VIRT_BASE && va + len >= va &&
           va + len <= VIRT_BASE + pages * PAGE_SIZE;
}

static void check_console_both_ways(void)
{
    static const char line[] = "hello from a PV kernel via syscall\n";
    long v_page, v_sys;

    printk("hello from a PV kernel via the hypercall page\n");
    check_eq(pv_syscall_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write,
                                  sizeof(line) - 1, (unsigned long)line),
             0);
    v_page = HYPERVISOR_xen_version(XENVER_version, NULL);
    v_sys =
        pv_syscall_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    check(v_page > 0, "version %#lx", v_page);
    check_eq(v_sys, v_page);
    /* An unknown hypercall fails like on Xen; the vCPU carries on. */
    check_eq(pv_syscall_hypercall(63, 0, 0, 0), -ENOSYS);
    check_eq(hypercall0(63), -ENOSYS);
}

static void check_start_info(void)
{
    const start_info_t *si = pv_start_info;
    const unsigned long *p2m = (const unsigned long *)si->mfn_list;
    const uint64_t *l4 = (const uint64_t *)si->pt_base;

    /* run-guest.sh gives every domain 32 MiB. */
    check_eq(si->nr_pages, (32UL << 20) / PAGE_SIZE);
    /* shared_info is no RAM frame of ours, as on Xen. */
    check(si->shared_info && !(si->shared_info & (PAGE_SIZE - 1)), "at %#lx",
          (unsigned long)si->shared_info);
    check(si->shared_info >= si->nr_pages * PAGE_SIZE, "at %#lx",
          (unsigned long)si->shared_info);
    check(!(si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)), "flags %#x",
          si->flags);

    /* The initial page tables, mapped (read-only) at pt_base. */
    check(in_image(si->pt_base, PAGE_SIZE) && !(si->pt_base & (PAGE_SIZE - 1)),
          "at %#lx", (unsigned long)si->pt_base);
    check(si->nr_pt_frames >= 4, "%lu frames", (unsigned long)si->nr_pt_frames);
    check(l4[511] & 1, "no L4 entry for the kernel's own mapping");

    /* The p2m list is mapped and is the identity here (pfn == mfn). */
    check(in_image(si->mfn_list, si->nr_pages * sizeof(*p2m)), "at %#lx",
          (unsigned long)si->mfn_list);
    for (unsigned long pfn = 0; pfn < si->nr_pages; pfn++)
        if (p2m[pfn] != pfn)
            fail("p2m[%#lx] = %#lx", pfn, p2m[pfn]);

    /* xenstore and console pages are frames of ours, distinct. */
    check(si->store_mfn && si->store_mfn < si->nr_pages, "%#lx",
          (unsigned long)si->store_mfn);
    check(si->console.domU.mfn && si->console.domU.mfn < si->nr_pages, "%#lx",
          (unsigned long)si->console.domU.mfn);
    check(si->store_mfn != si->console.domU.mfn, "both %#lx",
          (unsigned long)si->store_mfn);
    check(strnlen((const char *)si->cmd_line, MAX_GUEST_CMDLINE) <
              MAX_GUEST_CMDLINE,
          "cmd_line not terminated");
    printk(
        "start_info: %lu pages, shared_info %#lx, pt_base %#lx (%lu frames), "
        "p2m %#lx, store %#lx/%u, console %#lx/%u, flags %#x\n",
        (unsigned long)si->nr_pages, (unsigned long)si->shared_info,
        (unsigned long)si->pt_base, (unsigned long)si->nr_pt_frames,
        (unsigned long)si->mfn_list, (unsigned long)si->store_mfn,
        si->store_evtchn, (unsigned long)si->console.domU.mfn,
        si->console.domU.evtchn, si->flags);
}

/* vm_assist: the types Xen takes from 64-bit PV, -EINVAL for others. */
static void check_vm_assist(void)
{
    static const unsigned int ok[] = {
        VMASST_TYPE_4gb_segments,        VMASST_TYPE_4gb_segments_notify,
        VMASST_TYPE_writable_pagetables, VMASST_TYPE_pae_extended_cr3,
        VMASST_TYPE_architectural_iopl,  VMASST_TYPE_runstate_update_flag,
        VMASST_TYPE_m2p_strict,
    };

    for (unsigned int i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        check_eq(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, ok[i]),
                 0);
        check_eq(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, ok[i]),
                 0);
    }
    check_eq(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 6), -EINVAL);
    check_eq(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 31),
             -EINVAL);
    check_eq(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, 64),
             -EINVAL);
    /* A valid type with an unknown command. */
    check_eq(
        hypercall2(__HYPERVISOR_vm_assist, 2, VMASST_TYPE_writable_pagetables),
        -ENOSYS);
}

void test_main(void)
{
    check_console_both_ways();
    check_start_info();
    check_vm_assist();
}
