/*
 * hvm_op: which HVM parameters a guest may set and read (Xen 4.12's
 * hvm_allow_{set,get}_param rules), the per-vCPU upcall vector,
 * HVMOP_get_time and the smaller operations, with their error codes.
 */
#include "guest.h"

#define BAD_PTR ((void *)0xe0000000UL) /* unpopulated: every copy faults */

static long set_param(domid_t dom, uint32_t idx, uint64_t val)
{
    struct xen_hvm_param p = {.domid = dom, .index = idx, .value = val};

    return HYPERVISOR_hvm_op(HVMOP_set_param, &p);
}

static long get_param(domid_t dom, uint32_t idx, uint64_t *val)
{
    struct xen_hvm_param p = {.domid = dom, .index = idx, .value = ~0ULL};
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

    *val = p.value;
    return rc;
}

static void test_params(void)
{
    const uint64_t cb = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | 0xf3;
    uint64_t v;
    int self = cpuid_domid();

    /* The callback route: the guest's own to set and read. */
    check_eq(set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, cb), 0);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v), 0);
    check_eq(v, cb);
    if (self >= 0) {
        check_eq(get_param(self, HVM_PARAM_CALLBACK_IRQ, &v), 0);
        check_eq(v, cb);
    }
    check_eq(set_param(DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, 0), 0);

    /* The toolstack's frames: readable, not writable. */
    check_eq(get_param(DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_STORE_PFN, 0x1234), -EPERM);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &v), 0);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_CONSOLE_PFN, 0x1234), -EPERM);

    /* Its xenstore/console event channels the guest may rebind. */
    check_eq(get_param(DOMID_SELF, HVM_PARAM_STORE_EVTCHN, &v), 0);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_STORE_EVTCHN, v), 0);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, &v), 0);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_CONSOLE_EVTCHN, v), 0);

    /* Everything else belongs to the toolstack. */
    check_eq(get_param(DOMID_SELF, HVM_PARAM_IOREQ_PFN, &v), -EPERM);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_IOREQ_PFN, 1), -EPERM);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_TIMER_MODE, &v), -EPERM);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_TIMER_MODE, 1), -EPERM);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_ACPI_S_STATE, &v), -EPERM);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_IDENT_PT, 0x1000), -EPERM);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_VIRIDIAN, 1), -EPERM);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_NESTEDHVM, &v), -EPERM);

    /* Guest-settable ones with their own checks. */
    check_eq(get_param(DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &v), 0);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, 3), -EINVAL);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, 4), 0);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &v), 0);
    check_eq(v, 4);
    check_eq(set_param(DOMID_SELF, HVM_PARAM_VM86_TSS, 0x9000), 0);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_VM86_TSS, &v), 0);
    check_eq(v, 0x9000);
    check_eq(get_param(DOMID_SELF, HVM_PARAM_VM86_TSS_SIZED, &v), 0);
    check_eq(v, (128ULL << 32) | 0x9000);
    /* A PVH domain has no ACPI PM timer to move. */
    check_eq(set_param(DOMID_SELF, HVM_PARAM_ACPI_IOPORTS_LOCATION, 1),
             -ENODEV);

    /* Bad index, domain, pointer. */
    check_eq(get_param(DOMID_SELF, HVM_NR_PARAMS, &v), -EINVAL);
    check_eq(set_param(DOMID_SELF, HVM_NR_PARAMS, 0), -EINVAL);
    check_eq(get_param(DOMID_SELF, 0xffffffff, &v), -EINVAL);
    check_eq(get_param(0x7000, HVM_PARAM_CALLBACK_IRQ, &v), -ESRCH);
    check_eq(set_param(0x7000, HVM_PARAM_CALLBACK_IRQ, 0), -ESRCH);
    check_eq(set_param(DOMID_XEN, HVM_PARAM_CALLBACK_IRQ, 0), -ESRCH);
    check_eq(HYPERVISOR_hvm_op(HVMOP_get_param, BAD_PTR), -EFAULT);
    check_eq(HYPERVISOR_hvm_op(HVMOP_set_param, BAD_PTR), -EFAULT);
}

static void test_upcall_vector(void)
{
    struct xen_hvm_evtchn_upcall_vector u = {.vcpu = 0, .vector = 0x0f};

    check_eq(HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -EINVAL);
    u.vector = 0xf4;
    u.vcpu = 1;
    check_eq(HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -ENOENT);
    u.vcpu = 0x80000000;
    check_eq(HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), -ENOENT);
    u.vcpu = 0;
    check_eq(HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u), 0);
    check_eq(HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, BAD_PTR),
             -EFAULT);
}

static void test_time(void)
{
    struct xen_hvm_get_time t1, t2;
    uint64_t pv, diff;

    check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, &t1), 0);
    udelay(200);
    check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, &t2), 0);
    check(t2.now > t1.now, "get_time went from %llu to %llu",
          (unsigned long long)t1.now, (unsigned long long)t2.now);
    check(t2.now - t1.now >= 200000, "200 us took %llu ns",
          (unsigned long long)(t2.now - t1.now));
    /* The same clock as the pvclock. */
    pv = system_time_ns();
    check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, &t1), 0);
    diff = t1.now > pv ? t1.now - pv : pv - t1.now;
    check(diff < 50000000ULL, "get_time %llu vs pvclock %llu",
          (unsigned long long)t1.now, (unsigned long long)pv);
    check_eq(HYPERVISOR_hvm_op(HVMOP_get_time, BAD_PTR), -EFAULT);
}

static void test_misc(void)
{
    struct xen_hvm_get_mem_type mt = {.domid = DOMID_SELF, .pfn = 0x100};
    struct xen_hvm_pagetable_dying pd = {.domid = DOMID_SELF, .gpa = 0x1000};
    struct xen_hvm_xentrace tr = {.event = 0x123, .extra_bytes = 4};

    check_eq(HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt), 0);
    check_eq(mt.mem_type, HVMMEM_ram_rw);
    mt.pfn = 0xe0000;
    check_eq(HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt), 0);
    check_eq(mt.mem_type, HVMMEM_mmio_dm);
    mt.domid = 0x7000;
    check_eq(HYPERVISOR_hvm_op(HVMOP_get_mem_type, &mt), -ESRCH);

    /* Only shadow-paged domains care. */
    check_eq(HYPERVISOR_hvm_op(HVMOP_pagetable_dying, &pd), -EINVAL);
    pd.domid = 0x7000;
    check_eq(HYPERVISOR_hvm_op(HVMOP_pagetable_dying, &pd), -ESRCH);

    check_eq(HYPERVISOR_hvm_op(HVMOP_flush_tlbs, NULL), 0);
    check_eq(HYPERVISOR_hvm_op(HVMOP_flush_tlbs, &pd), -EINVAL);

    check_eq(HYPERVISOR_hvm_op(HVMOP_xentrace, &tr), 0);
    tr.extra_bytes = sizeof(tr.extra) + 1;
    check_eq(HYPERVISOR_hvm_op(HVMOP_xentrace, &tr), -EINVAL);
    tr.extra_bytes = 0;
    tr.event = 0x1000;
    check_eq(HYPERVISOR_hvm_op(HVMOP_xentrace, &tr), -EINVAL);

    check_eq(HYPERVISOR_hvm_op(HVMOP_guest_request_vm_event, NULL), 0);
    check_eq(HYPERVISOR_hvm_op(HVMOP_altp2m, &tr), -EOPNOTSUPP);
    /* Numbers moved to dm_op, and ones that never existed. */
    check_eq(HYPERVISOR_hvm_op(2, &tr), -ENOSYS);
    check_eq(HYPERVISOR_hvm_op(7, &tr), -ENOSYS);
    check_eq(HYPERVISOR_hvm_op(1000, &tr), -ENOSYS);
}

void test_main(void)
{
    test_params();
    test_upcall_vector();
    test_time();
    test_misc();
}
