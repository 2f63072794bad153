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
    /* A dom0 process (privcmd) is a 64-bit host program. */
    if (v->arena)
        return false;
    return !((v->arch.efer & X86_EFER_LMA) && v->arch.cs_long);
}

long hypercall_dispatch(struct vcpu *v, unsigned int nr, const uint64_t arg[5])
{
    pthread_once(&table_once, build_table);
    if (nr >= NR_HYPERCALLS || !table[nr])
        return -ENOSYS;
    return table[nr](v, arg);
}
