/*
 * xenctrl.h - libxenctrl, the toolstack's hypercall wrappers.
 *
 * The functions keep Xen 4.17's names, arguments and results: unless
 * said otherwise they return 0 (or a count, a pointer) on success and -1
 * (or NULL) with errno set on failure, errno being the hypervisor's
 * error where the hypervisor refused. Failures of the library itself
 * (no memory for a hypercall buffer, ...) are also logged through the
 * handle's logger; the hypervisor's refusals are not, as in Xen.
 *
 * On Xenon the handle is a connection to the hypervisor core's privcmd
 * socket ($XEN_RUN_DIR/privcmd): see xencall.h.
 */
#ifndef XENCTRL_H
#define XENCTRL_H

/* domctl.h and sysctl.h are the tools' interface. */
#define __XEN_TOOLS__ 1

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/event_channel.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xentoollog.h>

#define XC_PAGE_SHIFT 12
#define XC_PAGE_SIZE (1UL << XC_PAGE_SHIFT)
#define XC_PAGE_MASK (~(XC_PAGE_SIZE - 1))

#define XENCTRL_HAS_XC_INTERFACE 1

typedef struct xc_interface_core xc_interface;

enum xc_error_code {
    XC_ERROR_NONE = 0,
    XC_INTERNAL_ERROR = 1,
    XC_INVALID_KERNEL = 2,
    XC_INVALID_PARAM = 3,
    XC_OUT_OF_MEMORY = 4,
};
typedef enum xc_error_code xc_error_code;

enum xc_open_flags {
    XC_OPENFLAG_DUMMY = 1 << 0,         /* open nothing (not supported) */
    XC_OPENFLAG_NON_REENTRANT = 1 << 1, /* the caller serializes all calls */
};

/*
 * Open a handle: NULL with errno if the hypervisor cannot be reached.
 * @logger gets the library's messages (NULL: warnings and errors go to
 * stderr); @dombuild_logger those of the domain builder (NULL: the same
 * as @logger). A child process must open its own handle after fork.
 */
xc_interface *xc_interface_open(xentoollog_logger *logger,
                                xentoollog_logger *dombuild_logger,
                                unsigned open_flags);
/* Close a handle (NULL is fine). 0, or -1 with errno set. */
int xc_interface_close(xc_interface *xch);

/* The library handles @xch uses, valid while it is open. */
struct xencall_handle *xc_interface_xcall_handle(xc_interface *xch);
struct xenforeignmemory_handle *xc_interface_fmem_handle(xc_interface *xch);

/* Raw operations: @domctl / @sysctl are copied in and back out. */
int xc_domctl(xc_interface *xch, struct xen_domctl *domctl);
int xc_sysctl(xc_interface *xch, struct xen_sysctl *sysctl);
/* XENMEM_* @cmd with an argument of @len bytes (copied in and out). */
long xc_memory_op(xc_interface *xch, unsigned int cmd, void *arg, size_t len);

/*
 * CPU maps: a bitmap of pCPUs, bit n of byte n / 8, sized for every
 * pCPU the hypervisor may have (xc_get_cpumap_size bytes).
 */
typedef uint8_t *xc_cpumap_t;

int xc_get_max_cpus(xc_interface *xch);
int xc_get_online_cpus(xc_interface *xch);
int xc_get_cpumap_size(xc_interface *xch);
/* A zeroed map of xc_get_cpumap_size bytes, freed with free(). */
xc_cpumap_t xc_cpumap_alloc(xc_interface *xch);
void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map);
void xc_cpumap_setcpu(int cpu, xc_cpumap_t map);
int xc_cpumap_testcpu(int cpu, xc_cpumap_t map);

/* ---- Domains ---- */

typedef struct xc_dominfo {
    uint32_t domid;
    uint32_t ssidref;
    unsigned int dying : 1, crashed : 1, shutdown : 1, paused : 1, blocked : 1,
        running : 1, hvm : 1, debugged : 1, xenstore : 1, hap : 1;
    unsigned int shutdown_reason; /* SHUTDOWN_*, if shutdown or crashed */
    unsigned long nr_pages;       /* current, not maximum */
    unsigned long nr_outstanding_pages;
    unsigned long nr_shared_pages;
    unsigned long nr_paged_pages;
    unsigned long shared_info_frame;
    uint64_t cpu_time; /* ns */
    unsigned long max_memkb;
    unsigned int nr_online_vcpus;
    unsigned int max_vcpu_id;
    xen_domain_handle_t handle;
    unsigned int cpupool;
    uint8_t gpaddr_bits;
    struct xen_arch_domainconfig arch_config;
} xc_dominfo_t;

typedef xen_domctl_getdomaininfo_t xc_domaininfo_t;

/*
 * Create a domain from @config. *@pdomid is the id wanted, or 0 for the
 * next free one; it comes back as the new domain's id, and @config as
 * the hypervisor completed it. The domain has no memory (its maximum is
 * 0 until xc_domain_setmaxmem) and runs at its first unpause.
 */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid,
                     struct xen_domctl_createdomain *config);
/* Must repeat config->max_vcpus of xc_domain_create. */
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
/* Remove a domain and release all it holds. ESRCH if there is none. */
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
/* Shut a domain down with @reason (SHUTDOWN_*), as if it had asked. */
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason);

/*
 * Information about up to @max_doms domains with ids >= @first_domid,
 * in id order, one hypercall each. Returns how many were found (the
 * first may not be @first_domid: check info->domid), or -1 with errno
 * if none was (ESRCH: no domain at or above @first_domid).
 */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
                      unsigned int max_doms, xc_dominfo_t *info);
/* The same in one hypercall, in the raw form. Count, or -1/errno. */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain,
                          unsigned int max_domains, xc_domaininfo_t *info);

/* The domain's memory limit, in KiB. */
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
/* Seconds added to the domain's wallclock. */
int xc_domain_set_time_offset(xc_interface *xch, uint32_t domid,
                              int32_t time_offset_seconds);

typedef struct xen_domctl_getvcpuinfo xc_vcpuinfo_t;
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu,
                    xc_vcpuinfo_t *info);

/*
 * Set the hard and/or soft affinity (XEN_VCPUAFFINITY_HARD/SOFT in
 * @flags) of a vCPU from the maps given for them; the maps come back as
 * the effective affinity. A map not selected by @flags may be NULL.
 */
int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard_inout,
                        xc_cpumap_t cpumap_soft_inout, uint32_t flags);
/* Read the affinities selected by @flags into the maps given. */
int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu,
                        xc_cpumap_t cpumap_hard, xc_cpumap_t cpumap_soft,
                        uint32_t flags);

/*
 * HVM context (HVM save records, xen/hvm/save.h). getcontext with a NULL
 * buffer returns the size needed; otherwise the bytes written. setcontext
 * loads records into a paused domain (a new one: vCPU start state).
 */
int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid,
                             uint8_t *ctxt_buf, uint32_t size);
int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid,
                             uint8_t *hvm_ctxt, uint32_t size);

/* ---- Memory ---- */

/*
 * The reservation calls return the number of extents done (which may be
 * fewer than asked), or -1 with errno. The _exact forms return 0 only if
 * all were done, else -1 with errno (ENOMEM for increase, EINVAL for
 * decrease, EBUSY for populate when the hypervisor stopped short).
 */
int xc_domain_increase_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   unsigned int mem_flags,
                                   xen_pfn_t *extent_start);
int xc_domain_increase_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         unsigned int mem_flags,
                                         xen_pfn_t *extent_start);
int xc_domain_decrease_reservation(xc_interface *xch, uint32_t domid,
                                   unsigned long nr_extents,
                                   unsigned int extent_order,
                                   xen_pfn_t *extent_start);
int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents,
                                         unsigned int extent_order,
                                         xen_pfn_t *extent_start);
/* Back the gfns in @extent_start (each an extent of 2^order pages). */
int xc_domain_populate_physmap(xc_interface *xch, uint32_t domid,
                               unsigned long nr_extents,
                               unsigned int extent_order,
                               unsigned int mem_flags, xen_pfn_t *extent_start);
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     unsigned int mem_flags,
                                     xen_pfn_t *extent_start);
/* The highest gfn the domain has populated, in *@gpfns. */
int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns);
int xc_domain_add_to_physmap(xc_interface *xch, uint32_t domid,
                             unsigned int space, unsigned long idx,
                             xen_pfn_t gpfn);
int xc_domain_remove_from_physmap(xc_interface *xch, uint32_t domid,
                                  xen_pfn_t gpfn);

/* The guest's memory map (XENMEM_memory_map gives it to the guest). */
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5
#define E820MAX 128
struct e820entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));
int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid,
                             struct e820entry entries[], uint32_t nr_entries);

/* ---- Event channels ---- */

typedef int xc_evtchn_port_or_error_t;

/*
 * A new unbound port of domain @dom that @remote_dom may bind to: for
 * setting up a domain's channels while it is being built. The port, or
 * -1 with errno.
 */
xc_evtchn_port_or_error_t
xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t dom, uint32_t remote_dom);
/* Close every channel of @dom. */
int xc_evtchn_reset(xc_interface *xch, uint32_t dom);

/* ---- HVM parameters ---- */

int xc_hvm_param_set(xc_interface *handle, uint32_t dom, uint32_t param,
                     uint64_t value);
int xc_hvm_param_get(xc_interface *handle, uint32_t dom, uint32_t param,
                     uint64_t *value);
/* Deprecated forms of the above. */
int xc_set_hvm_param(xc_interface *handle, uint32_t dom, int param,
                     unsigned long value);
int xc_get_hvm_param(xc_interface *handle, uint32_t dom, int param,
                     unsigned long *value);

/* ---- Host ---- */

typedef struct xen_sysctl_physinfo xc_physinfo_t;
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);
/* The default pool's scheduler, XEN_SCHEDULER_*. */
int xc_sched_id(xc_interface *xch, int *sched_id);

/* ---- Scheduler parameters (per domain, per cpupool) ---- */

int xc_sched_credit_domain_set(xc_interface *xch, uint32_t domid,
                               struct xen_domctl_sched_credit *sdom);
int xc_sched_credit_domain_get(xc_interface *xch, uint32_t domid,
                               struct xen_domctl_sched_credit *sdom);
int xc_sched_credit_params_set(xc_interface *xch, uint32_t cpupool_id,
                               struct xen_sysctl_credit_schedule *schedule);
int xc_sched_credit_params_get(xc_interface *xch, uint32_t cpupool_id,
                               struct xen_sysctl_credit_schedule *schedule);
int xc_sched_credit2_params_set(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule);
int xc_sched_credit2_params_get(xc_interface *xch, uint32_t cpupool_id,
                                struct xen_sysctl_credit2_schedule *schedule);
int xc_sched_credit2_domain_set(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom);
int xc_sched_credit2_domain_get(xc_interface *xch, uint32_t domid,
                                struct xen_domctl_sched_credit2 *sdom);

/* ---- cpupools ---- */

typedef struct xc_cpupoolinfo {
    uint32_t cpupool_id;
    uint32_t sched_id;
    uint32_t n_dom;
    xc_cpumap_t cpumap;
} xc_cpupoolinfo_t;

#define XC_CPUPOOL_POOLID_ANY 0xFFFFFFFF

/* A pool with scheduler @sched_id; *@ppoolid in (or ANY), the id out. */
int xc_cpupool_create(xc_interface *xch, uint32_t *ppoolid, uint32_t sched_id);
/* Only a pool without domains and pCPUs. */
int xc_cpupool_destroy(xc_interface *xch, uint32_t poolid);
/*
 * The first pool with an id >= @poolid (NULL with errno ENOENT: none);
 * free with xc_cpupool_infofree.
 */
xc_cpupoolinfo_t *xc_cpupool_getinfo(xc_interface *xch, uint32_t poolid);
void xc_cpupool_infofree(xc_interface *xch, xc_cpupoolinfo_t *info);
/* @cpu < 0: any free pCPU (add), the pool's last (remove). */
int xc_cpupool_addcpu(xc_interface *xch, uint32_t poolid, int cpu);
int xc_cpupool_removecpu(xc_interface *xch, uint32_t poolid, int cpu);
int xc_cpupool_movedomain(xc_interface *xch, uint32_t poolid, uint32_t domid);
/* The pCPUs in no pool, to free() after use. */
xc_cpumap_t xc_cpupool_freeinfo(xc_interface *xch);

/*
 * XENVER_* query @cmd; @arg receives the answer (its type is the one
 * xen/version.h gives for @cmd; none for XENVER_version and
 * XENVER_pagesize, whose answer is the return value).
 */
int xc_version(xc_interface *xch, int cmd, void *arg);

/*
 * Read the hypervisor's console ring into @buffer (*@pnr_chars bytes;
 * the count read comes back there). With @clear the ring is emptied
 * after the read. With @pindex and @incremental, the read starts at
 * *@pindex, and *@pindex comes back as where the next read starts.
 */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars,
                       int clear, int incremental, uint32_t *pindex);

/*
 * ---- Device passthrough ----
 *
 * Xenon has no device passthrough: these fail with ENOSYS. They exist
 * because QEMU imports them.
 */
int xc_domain_bind_pt_pci_irq(xc_interface *xch, uint32_t domid,
                              uint8_t machine_irq, uint8_t bus, uint8_t device,
                              uint8_t intx);
int xc_domain_unbind_pt_irq(xc_interface *xch, uint32_t domid,
                            uint8_t machine_irq, uint8_t irq_type, uint8_t bus,
                            uint8_t device, uint8_t intx, uint8_t isa_irq);
int xc_domain_update_msi_irq(xc_interface *xch, uint32_t domid, uint32_t gvec,
                             uint32_t pirq, uint32_t gflags, uint64_t gtable);
int xc_domain_unbind_msi_irq(xc_interface *xch, uint32_t domid, uint32_t gvec,
                             uint32_t pirq, uint32_t gflags);
int xc_domain_memory_mapping(xc_interface *xch, uint32_t domid,
                             unsigned long first_gfn, unsigned long first_mfn,
                             unsigned long nr_mfns, uint32_t add_mapping);
int xc_domain_ioport_mapping(xc_interface *xch, uint32_t domid,
                             uint32_t first_gport, uint32_t first_mport,
                             uint32_t nr_ports, uint32_t add_mapping);
int xc_domain_iomem_permission(xc_interface *xch, uint32_t domid,
                               unsigned long first_mfn, unsigned long nr_mfns,
                               uint8_t allow_access);
int xc_physdev_map_pirq(xc_interface *xch, uint32_t domid, int index,
                        int *pirq);
int xc_physdev_map_pirq_msi(xc_interface *xch, uint32_t domid, int index,
                            int *pirq, int devfn, int bus, int entry_nr,
                            uint64_t table_base);
int xc_physdev_unmap_pirq(xc_interface *xch, uint32_t domid, int pirq);

/* ---- Foreign memory (the compatibility API; prefer xenforeignmemory) ---- */

#if defined(XC_WANT_COMPAT_MAP_FOREIGN_API)
/*
 * Map frames of domain @dom into this process. Unmap with munmap (or
 * xenforeignmemory_unmap on xc_interface_fmem_handle(xch)).
 */
void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot,
                           unsigned long mfn);
void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot,
                           const xen_pfn_t *arr, int num);
/* Like xc_map_foreign_pages, succeeding partially: err[i] per frame. */
void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot,
                          const xen_pfn_t *arr, int *err, unsigned int num);
#endif

#endif /* XENCTRL_H */
