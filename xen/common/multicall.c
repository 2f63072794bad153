/*
 * The multicall hypercall (a batch of hypercalls, each entry's result
 * written back to it) and vm_assist, as Xen 4.17 offers them to HVM/PVH
 * guests.
 */
#include <public/xen.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

/* struct multicall_entry as 32-bit guests lay it out. */
struct compat_multicall_entry {
    uint32_t op;
    uint32_t result;
    uint32_t args[6];
};
_Static_assert(sizeof(struct compat_multicall_entry) == 32, "compat entry");

/*
 * A hypercall runs to completion on its vCPU's pCPU thread, so a
 * thread-local flag tells a multicall nested in one.
 */
static __thread bool in_multicall;

/*
 * Entries are copied in and their results out one at a time: nr_calls is
 * never trusted beyond the entries actually read. Without continuations
 * we cannot hand the pCPU back halfway, but we stop as soon as the
 * domain is being destroyed, so teardown never waits on a long batch.
 */
static long do_multicall(struct vcpu *v, const uint64_t arg[5])
{
    bool compat = hypercall_is_compat(v);
    uint64_t list = arg[0];
    uint32_t nr = (uint32_t)arg[1];
    uint64_t size = compat ? sizeof(struct compat_multicall_entry)
                           : sizeof(struct multicall_entry);
    long rc = 0;

    if (in_multicall) {
        gprintk(LOG_INFO, "d%uv%u: nested multicall refused\n",
                v->domain->domain_id, v->vcpu_id);
        return -EINVAL;
    }
    in_multicall = true;
    for (uint32_t i = 0; i < nr; i++) {
        uint64_t gva = list + i * size, a[5], op;
        long result;
        int err;

        if (compat) {
            struct compat_multicall_entry e;

            if (copy_from_guest_obj(v, &e, gva)) {
                rc = -EFAULT;
                break;
            }
            op = e.op;
            for (unsigned int k = 0; k < 5; k++)
                a[k] = e.args[k];
        } else {
            struct multicall_entry e;

            if (copy_from_guest_obj(v, &e, gva)) {
                rc = -EFAULT;
                break;
            }
            op = e.op;
            for (unsigned int k = 0; k < 5; k++)
                a[k] = e.args[k];
        }
        result = op > UINT32_MAX ? -ENOSYS
                                 : hypercall_dispatch(v, (unsigned int)op, a);
        if (compat) {
            uint32_t r32 = (uint32_t)result;

            err = copy_to_guest(v, gva + 4, &r32, sizeof(r32));
        } else {
            err = copy_to_guest(v, gva + 8, &result, sizeof(result));
        }
        if (err) {
            rc = -EFAULT;
            break;
        }
        if (v->domain->state == DOMAIN_DYING)
            break;
    }
    in_multicall = false;
    return rc;
}
DEFINE_HYPERCALL(__HYPERVISOR_multicall, do_multicall);

/*
 * vm_assist(cmd, type): HVM guests may only turn on the runstate update
 * flag (Xen's HVM_VM_ASSIST_MASK).
 */
static long do_vm_assist(struct vcpu *v, const uint64_t arg[5])
{
    unsigned int cmd = (uint32_t)arg[0], type = (uint32_t)arg[1];
    const unsigned long valid = 1UL << VMASST_TYPE_runstate_update_flag;
    struct domain *d = v->domain;

    if (type >= 64 || !(valid & (1UL << type)))
        return -EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        __atomic_or_fetch(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
        return 0;
    case VMASST_CMD_disable:
        __atomic_and_fetch(&d->vm_assist, ~(1UL << type), __ATOMIC_SEQ_CST);
        return 0;
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_vm_assist, do_vm_assist);
