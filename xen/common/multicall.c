/*
 * The multicall hypercall (a batch of hypercalls, each entry's result
 * written back to it) and vm_assist, as Xen 4.17 offers them to HVM/PVH
 * guests.
 */
#include <string.h>

#include <public/xen.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

/*
 * An entry is eight words: op, result, args[6]. A word is a xen_ulong_t,
 * 4 bytes in the layout of 32-bit callers.
 */
_Static_assert(sizeof(struct multicall_entry) == 8 * 8, "multicall entry");

/* Word k of a raw entry (little-endian words of size bytes). */
static uint64_t entry_word(const uint8_t *e, unsigned int k, unsigned int size)
{
    uint64_t val = 0;

    memcpy(&val, e + k * size, size);
    return val;
}

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
    unsigned int word = hypercall_is_compat(v) ? 4 : 8;
    uint64_t list = arg[0], size = 8 * word;
    uint32_t nr = (uint32_t)arg[1];
    long rc = 0;

    if (in_multicall) {
        gprintk(LOG_INFO, "d%uv%u: nested multicall refused\n",
                v->domain->domain_id, v->vcpu_id);
        return -EINVAL;
    }
    in_multicall = true;
    for (uint32_t i = 0; i < nr; i++) {
        uint8_t e[sizeof(struct multicall_entry)];
        uint64_t gva = list + i * size, a[5], op;
        long result;

        if (copy_from_guest(v, e, gva, size)) {
            rc = -EFAULT;
            break;
        }
        op = entry_word(e, 0, word);
        for (unsigned int k = 0; k < 5; k++)
            a[k] = entry_word(e, 2 + k, word);
        result = op > UINT32_MAX ? -ENOSYS
                                 : hypercall_dispatch(v, (unsigned int)op, a);
        /* The low bytes: a 32-bit caller gets the result truncated. */
        if (copy_to_guest(v, gva + word, &result, word)) {
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
 * flag (Xen's HVM_VM_ASSIST_MASK); 64-bit PV ones the types of Xen's
 * NATIVE_VM_ASSIST_VALID. Only the runstate flag changes behaviour here.
 */
static long do_vm_assist(struct vcpu *v, const uint64_t arg[5])
{
    unsigned int cmd = (uint32_t)arg[0], type = (uint32_t)arg[1];
    struct domain *d = v->domain;
    const unsigned long valid =
        (1UL << VMASST_TYPE_runstate_update_flag) |
        (d->pv ? (1UL << VMASST_TYPE_4gb_segments) |
                     (1UL << VMASST_TYPE_4gb_segments_notify) |
                     (1UL << VMASST_TYPE_writable_pagetables) |
                     (1UL << VMASST_TYPE_pae_extended_cr3) |
                     (1UL << VMASST_TYPE_architectural_iopl) |
                     (1UL << VMASST_TYPE_m2p_strict)
               : 0);

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
