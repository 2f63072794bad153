/*
 * Hypercall dispatch: the table is built by the linker from every
 * DEFINE_HYPERCALL() in the core. Numbers nobody registered get -ENOSYS.
 */
#include <public/xen.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/sched.h>

extern const struct hypercall_entry __start_xen_hypercalls[];
extern const struct hypercall_entry __stop_xen_hypercalls[];

#define NR_HYPERCALLS 64
static hypercall_fn_t table[NR_HYPERCALLS];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
    for (const struct hypercall_entry *e = __start_xen_hypercalls;
         e < __stop_xen_hypercalls; e++)
        if (e->nr < NR_HYPERCALLS)
            table[e->nr] = e->fn;
}

bool hypercall_is_compat(const struct vcpu *v)
{
    return !((v->arch.efer & X86_EFER_LMA) && v->arch.cs_long);
}

/*
 * domctl and sysctl are for the tools. Like Xen, copy the operation in
 * and check its interface version before the permission check, so a
 * guest sees -EFAULT, then -EACCES, then -EPERM.
 */
#define DOMCTL_INTERFACE_VERSION 0x00000015 /* Xen 4.17 */
#define SYSCTL_INTERFACE_VERSION 0x00000015
#define DOMCTL_SIZE 144 /* cmd, version, domain, pad, 128-byte union */
#define SYSCTL_SIZE 136 /* cmd, version, 128-byte union */

static long guest_ctl(struct vcpu *v, uint64_t arg, size_t size,
                      uint32_t version)
{
    uint32_t op[DOMCTL_SIZE / 4];

    if (copy_from_guest(v, op, arg, size))
        return -EFAULT;
    if (op[1] != version)
        return -EACCES;
    return -EPERM;
}

static long do_domctl(struct vcpu *v, const uint64_t arg[5])
{
    return guest_ctl(v, arg[0], DOMCTL_SIZE, DOMCTL_INTERFACE_VERSION);
}
DEFINE_HYPERCALL(__HYPERVISOR_domctl, do_domctl);

static long do_sysctl(struct vcpu *v, const uint64_t arg[5])
{
    return guest_ctl(v, arg[0], SYSCTL_SIZE, SYSCTL_INTERFACE_VERSION);
}
DEFINE_HYPERCALL(__HYPERVISOR_sysctl, do_sysctl);

long hypercall_dispatch(struct vcpu *v, unsigned int nr, const uint64_t arg[5])
{
    pthread_once(&table_once, build_table);
    if (nr >= NR_HYPERCALLS || !table[nr])
        return -ENOSYS;
    return table[nr](v, arg);
}
