/*
 * The sysctl hypercall: host-wide information and control for the
 * toolstack (Xen 4.17's interface, public/sysctl.h).
 *
 * Checks come in Xen's order: copy in (-EFAULT), interface version
 * (-EACCES), privilege (-EPERM). Unknown commands give -ENOSYS. The
 * operation is copied back whole after a command that succeeded.
 */
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/kvm.h>
#include <asm-x86/time.h>
#include <public/sysctl.h>
#include <xen/console.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/privcmd.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl is 136 bytes");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo layout");

static pthread_mutex_t sysctl_lock = PTHREAD_MUTEX_INITIALIZER;

/* Xen's NUMA node ids go up to MAX_NUMNODES - 1 (64 nodes on x86). */
#define MAX_NUMNODES 64
/* More than the console ring holds: one read gets all of it. */
#define CONRING_COPY (128 * 1024)

/* x86 feature words in Xen's featureset order (hw_cap[]). */
static void host_features(uint32_t cap[8])
{
    uint32_t a, b, c, d;

    memset(cap, 0, 8 * sizeof(*cap));
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        cap[0] = d;
        cap[1] = c;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        cap[2] = d;
        cap[3] = c;
    }
    if (__get_cpuid_count(0xd, 1, &a, &b, &c, &d))
        cap[4] = a;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        cap[5] = b;
        cap[6] = c;
    }
    if (__get_cpuid(0x80000007, &a, &b, &c, &d))
        cap[7] = d;
}

/*
 * The host is what the memory budget and the pCPU threads make it: one
 * node, one socket of single-thread cores, one frame per budget page.
 */
static void physinfo(struct xen_sysctl_physinfo *pi)
{
    unsigned int cpus = sched_nr_pcpus();

    memset(pi, 0, sizeof(*pi));
    pi->threads_per_core = 1;
    pi->cores_per_socket = cpus;
    pi->nr_cpus = cpus;
    pi->max_cpu_id = cpus - 1;
    pi->nr_nodes = 1;
    pi->max_node_id = MAX_NUMNODES - 1;
    pi->cpu_khz = host_cpu_khz();
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
                       XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = mem_budget_total();
    pi->free_pages = mem_budget_free();
    pi->max_mfn = mem_budget_total() - 1;
    host_features(pi->hw_cap);
}

/*
 * Xen's read_console_ring(). Its indexes are 32-bit counts of bytes
 * written; an incremental read starts at .index when that lies within
 * what the ring still holds, else at the oldest byte. clear drops
 * everything up to where the read ended.
 */
static long readconsole(struct vcpu *v, struct xen_sysctl_readconsole *rc)
{
    uint64_t prod = 0, oldest, start;
    uint32_t count;
    char *ring = malloc(CONRING_COPY);
    size_t held;
    long ret = 0;

    if (!ring)
        return -ENOMEM;
    /* All the ring holds, oldest byte first; it ends at prod. */
    held = console_ring_read(&prod, ring, CONRING_COPY);
    oldest = prod - held;
    start = oldest;
    if (rc->incremental) {
        uint32_t c = oldest, p = prod;

        if (c <= p ? c < rc->index && rc->index <= p
                   : c < rc->index || rc->index <= p)
            start = oldest + (uint32_t)(rc->index - c);
    }
    count = MIN((uint64_t)rc->count, prod - start);
    if (count && copy_to_guest(v, (uintptr_t)rc->buffer.p,
                               ring + (start - oldest), count))
        ret = -EFAULT;
    free(ring);
    if (ret)
        return ret;
    /* Ours clears all that was written; a short buffer loses the rest. */
    if (rc->clear)
        console_ring_clear();
    rc->count = count;
    rc->index = (uint32_t)(start + count);
    return 0;
}

static long getdomaininfolist(struct vcpu *v,
                              struct xen_sysctl_getdomaininfolist *l)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t buf = (uintptr_t)l->buffer.p;
    domid_t next = l->first_domain;
    uint32_t n = 0;

    /* One domain at a time, by id: the list may change meanwhile. */
    while (n < l->max_domains) {
        struct domain *d;
        int rc;

        pthread_mutex_lock(&domlist_lock);
        for (d = domain_list; d && d->domain_id < next; d = d->next_in_list)
            ;
        if (d)
            get_domain(d);
        pthread_mutex_unlock(&domlist_lock);
        if (!d)
            break;
        getdomaininfo(d, &info);
        next = d->domain_id + 1;
        put_domain(d);
        rc = copy_to_guest(v, buf + (uint64_t)n * sizeof(info), &info,
                           sizeof(info));
        if (rc)
            return -EFAULT;
        n++;
        if (!next)
            break;
    }
    l->num_domains = n;
    return 0;
}

static long do_sysctl(struct vcpu *v, const uint64_t arg[5])
{
    struct xen_sysctl op;
    long rc;

    if (copy_from_guest_obj(v, &op, arg[0]))
        return -EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;
    if (!v->domain->is_privileged)
        return -EPERM;

    pthread_mutex_lock(&sysctl_lock);
    switch (op.cmd) {
    case XEN_SYSCTL_readconsole:
        rc = readconsole(v, &op.u.readconsole);
        break;
    case XEN_SYSCTL_physinfo:
        physinfo(&op.u.physinfo);
        rc = 0;
        break;
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = scheduler_current()->sched_id;
        rc = 0;
        break;
    case XEN_SYSCTL_getdomaininfolist:
        rc = getdomaininfolist(v, &op.u.getdomaininfolist);
        break;
    case XEN_SYSCTL_cpupool_op:
        rc = cpupool_do_sysctl(v, &op.u.cpupool_op);
        break;
    case XEN_SYSCTL_scheduler_op:
        rc = sched_adjust_global(&op.u.scheduler_op);
        break;
    default:
        rc = -ENOSYS;
        break;
    }
    pthread_mutex_unlock(&sysctl_lock);
    if (!rc && copy_to_guest_obj(v, arg[0], &op))
        rc = -EFAULT;
    return rc;
}
DEFINE_HYPERCALL(__HYPERVISOR_sysctl, do_sysctl);
