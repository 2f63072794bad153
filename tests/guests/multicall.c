/*
 * multicall: a batch of hypercalls whose results land in their entries
 * (32-bit guests use 32-byte entries), nested multicalls refused per
 * entry, bad lists; and vm_assist, of which HVM guests get only the
 * runstate update flag.
 */
#include "guest.h"

#define BAD_PTR 0xe0000000UL /* unpopulated: every copy faults */
#define SENTINEL ((xen_ulong_t)0x5a5a5a5a)

static multicall_entry_t calls[8];
static char extra[XEN_EXTRAVERSION_LEN];

static void entry(unsigned int i, xen_ulong_t op, xen_ulong_t a0,
                  xen_ulong_t a1, xen_ulong_t a2)
{
    memset(&calls[i], 0, sizeof(calls[i]));
    calls[i].op = op;
    calls[i].result = SENTINEL;
    calls[i].args[0] = a0;
    calls[i].args[1] = a1;
    calls[i].args[2] = a2;
}

/* An entry's result as the signed value the hypercall returned. */
static long result(unsigned int i)
{
    return (long)calls[i].result;
}

static void test_batch(void)
{
    static const char msg[] = "line written from inside a multicall\n";
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);
    long domctl = hypercall1(__HYPERVISOR_domctl, 0);

    check(version > 0, "xen_version %ld", version);
    entry(0, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    entry(1, __HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
          (xen_ulong_t)(uintptr_t)msg);
    entry(2, __HYPERVISOR_xen_version, XENVER_extraversion,
          (xen_ulong_t)(uintptr_t)extra, 0);
    entry(3, 63, 0, 0, 0); /* no such hypercall */
    entry(4, __HYPERVISOR_multicall, (xen_ulong_t)(uintptr_t)calls, 1, 0);
    entry(5, __HYPERVISOR_xen_version, XENVER_get_features, BAD_PTR, 0);
    entry(6, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    entry(7, __HYPERVISOR_domctl, 0, 0, 0); /* a guest may not */

    console_flush();
    check_eq(HYPERVISOR_multicall(calls, 8), 0);
    check_eq(result(0), version);
    check_eq(result(1), 0); /* console_io write answers 0 */
    check_eq(result(2), 0);
    check(extra[0] != '\0', "extraversion not written");
    check_eq(result(3), -ENOSYS);
    check_eq(result(4), -EINVAL); /* nested */
    check_eq(result(5), -EFAULT);
    check_eq(result(6), 0);
    check(domctl < 0, "domctl from a guest answered %ld", domctl);
    check_eq(result(7), domctl);
    /* The entries themselves are left as they were. */
    check_eq(calls[0].op, __HYPERVISOR_xen_version);
    check_eq(calls[2].args[1], (xen_ulong_t)(uintptr_t)extra);
}

static void test_bounds(void)
{
    /* Nothing to do; a list we cannot read; no entry touched beyond nr. */
    check_eq(HYPERVISOR_multicall(calls, 0), 0);
    check_eq(HYPERVISOR_multicall((void *)BAD_PTR, 1), -EFAULT);
    check_eq(HYPERVISOR_multicall((void *)BAD_PTR, 0), 0);
    entry(0, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    entry(1, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    check_eq(HYPERVISOR_multicall(calls, 1), 0);
    check(result(0) > 0, "result %ld", result(0));
    check_eq(calls[1].result, SENTINEL);
#ifdef __x86_64__
    /* The op is a whole xen_ulong_t: high bits make it unknown. */
    entry(0, (1ULL << 32) | __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    check_eq(HYPERVISOR_multicall(calls, 1), 0);
    check_eq(result(0), -ENOSYS);
#endif
}

static void test_vm_assist(void)
{
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_runstate_update_flag),
             0);
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_disable,
                                  VMASST_TYPE_runstate_update_flag),
             0);
    /* The PV assists are not for HVM guests. */
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_4gb_segments),
             -EINVAL);
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                                  VMASST_TYPE_writable_pagetables),
             -EINVAL);
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_m2p_strict),
             -EINVAL);
    check_eq(HYPERVISOR_vm_assist(VMASST_CMD_enable, 64), -EINVAL);
    check_eq(HYPERVISOR_vm_assist(2, VMASST_TYPE_runstate_update_flag),
             -ENOSYS);
    /* Through a multicall too. */
    entry(0, __HYPERVISOR_vm_assist, VMASST_CMD_enable,
          VMASST_TYPE_runstate_update_flag, 0);
    entry(1, __HYPERVISOR_vm_assist, VMASST_CMD_enable, 0, 0);
    check_eq(HYPERVISOR_multicall(calls, 2), 0);
    check_eq(result(0), 0);
    check_eq(result(1), -EINVAL);
}

void test_main(void)
{
    test_batch();
    test_bounds();
    test_vm_assist();
}
