/*
 * Domains and vCPUs: the objects every part of the core works on.
 * (Xen keeps these in xen/sched.h too; the scheduler interface proper is
 * sched-if.h.)
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/vcpu.h>
#include <asm-x86/domain.h>
#include <asm-x86/e820.h>
#include <xen/timer.h>

struct kvm_run;
struct evtchn_domain;
struct privcmd_arena;
struct grant_table;
struct physmap;
struct sched_unit;
struct hvm_lapics;
struct hvm_platform;

/* Most ports one SCHEDOP_poll may wait on (Xen's limit). */
#define SCHED_POLL_MAX 128

/* Why a vCPU cannot run: bits of vcpu->pause_flags. */
#define VPF_blocked (1U << 0)   /* SCHEDOP_block / HLT / poll */
#define VPF_down (1U << 1)      /* not brought up yet, or VCPUOP_down */

/* Most pCPUs an affinity mask can name (Xen's default NR_CPUS). */
#define NR_CPUS 256

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;

    /* KVM state (arch/x86/kvm.c). */
    int kvm_fd;
    struct kvm_run *run;
    struct arch_vcpu arch;

    /* Scheduling. */
    unsigned int pause_flags;  /* VPF_*; under the scheduler lock */
    atomic_int pause_count;    /* vcpu_pause() nesting */
    bool sched_runnable;       /* what the policy was last told */
    bool is_running;           /* currently on a pCPU thread */
    bool yield;                /* SCHEDOP_yield: end the slice now */
    int processor;             /* pCPU it runs or last ran on */
    struct sched_unit *sched_priv;
    struct vcpu_runstate_info runstate;
    uint64_t runstate_guest;   /* registered runstate area (gva), 0 = none */
    uint64_t time_guest;       /* registered vcpu_time_info copy (gva), 0 = none */
    bool is_initialised;       /* has state: built, or VCPUOP_initialise */

    /* Events and time. */
    struct vcpu_info *vcpu_info;   /* host pointer; legacy slot or registered */
    uint64_t vcpu_info_gfn;        /* registered vcpu_info page, ~0 if legacy */
    uint32_t vcpu_info_offset;
    uint8_t upcall_vector;         /* per-vCPU vector (HVMOP), 0 = none */
    uint32_t virq_to_evtchn[NR_VIRQS];
    struct timer singleshot_timer;
    struct timer periodic_timer;
    uint64_t periodic_period;
    struct timer poll_timer;
    uint32_t poll_ports[SCHED_POLL_MAX]; /* of a pending SCHEDOP_poll */
    unsigned int nr_poll_ports;

    /* XEN_DOMCTL_setvcpuaffinity: pCPU bitmaps, all set by default. */
    uint64_t cpu_hard_affinity[NR_CPUS / 64];
    uint64_t cpu_soft_affinity[NR_CPUS / 64];

    /*
     * Set only on the stand-in vCPU of domain 0 that runs a privcmd
     * hypercall: pointer arguments are addresses in the caller's arena.
     */
    const struct privcmd_arena *arena;
};

enum domain_state {
    DOMAIN_BUILDING,   /* created, not yet unpaused for the first time */
    DOMAIN_ACTIVE,
    DOMAIN_SHUTDOWN,   /* shut down with a reason; still listed */
    DOMAIN_DYING,      /* being destroyed */
};

struct domain {
    domid_t domain_id;
    char name[64];
    uint8_t handle[16];            /* UUID */
    unsigned int max_vcpus;
    struct vcpu **vcpu;
    pthread_mutex_t lock;          /* domain state, pause, shutdown */
    enum domain_state state;
    unsigned int shutdown_code;    /* SHUTDOWN_* once state >= SHUTDOWN */
    int shutdown_code_hint;        /* SCHEDOP_shutdown_code, -1 if none */
    atomic_int pause_count;        /* domain_pause() nesting */
    bool is_privileged;
    /* Domain 0: the host itself. No VM, no guest memory; never runs. */
    bool is_host;
    bool boot_time;                /* built from a domU= option */
    /*
     * shared_info/vcpu_info use the 32-bit layout: latched from the
     * guest's mode when it maps shared_info or sets the callback.
     */
    bool has_32bit_shinfo;
    atomic_int refcnt;             /* list reference + lookups */

    /* Memory (common/memory.c). */
    int kvm_vm_fd;
    int mem_fd;                    /* memfd: offset gfn << 12 */
    uint8_t *mem;                  /* host mapping of the whole memfd */
    uint64_t max_gfn;              /* size of the guest-physical space */
    struct physmap *physmap;
    atomic_ulong tot_pages;
    unsigned long max_pages;

    /* shared_info: host pointer, internal page until mapped by the guest. */
    struct shared_info *shared_info;
    uint64_t shared_info_gfn;      /* ~0 until XENMAPSPACE_shared_info */
    void *shared_info_page;        /* the internal page */

    pthread_mutex_t event_lock;    /* event channels, shared_info moves */
    struct evtchn_domain *evtchn;
    struct grant_table *grant_table;

    /* A PV domain's engine state (arch/x86/pv/); NULL for PVH/HVM. */
    struct pv_domain *pv;

    uint64_t hvm_params[64];       /* HVM_PARAM_*, HVM_NR_PARAMS <= 64 */
    unsigned long vm_assist;       /* VMASST_TYPE_* bits enabled */
    /* XENMEM_memory_map: the map the builder gave the guest. */
    struct e820entry e820[E820_DOMAIN_MAX];
    unsigned int nr_e820;
    int64_t time_offset_seconds;

    /* As XEN_DOMCTL_createdomain configured it (domctl.c). */
    uint32_t options;              /* XEN_DOMCTL_CDF_* */
    uint32_t ssidref;
    uint32_t emulation_flags;      /* XEN_X86_EMU_* */
    struct hvm_platform *platform; /* HVM-type domains' devices, else NULL */
    uint32_t misc_flags;           /* XEN_X86_MSR_* */
    struct hvm_lapics *lapics;     /* one LAPIC per vCPU (hvm/intr.c) */
    /* Toolstack pauses; the first unpause of a new domain starts it. */
    int controller_pause_count;

    /*
     * Where the domain's fired event-channel ports go instead of the
     * 2-level bitmaps in shared_info (domain 0: the privcmd connections
     * of host processes). Called with d->event_lock held.
     */
    void (*evtchn_deliver)(struct domain *d, evtchn_port_t port);

    char console_line[128];        /* partial console_io output line */
    unsigned int console_len;

    struct domain *next_in_list;
};

/*
 * Domain list. A lookup takes a reference, dropped with put_domain(); a
 * destroyed domain is freed when its last reference goes.
 */
struct domain *get_domain_by_id(domid_t id);
/* As above, with DOMID_SELF meaning the calling domain cd. */
struct domain *get_domain_by_any_id(struct domain *cd, domid_t id);
void get_domain(struct domain *d);
void put_domain(struct domain *d);

/*
 * Whether cd may operate on d (XSM's default "target" rule): a domain on
 * itself, a privileged domain on any.
 */
static inline bool domain_may_target(const struct domain *cd,
                                     const struct domain *d)
{
    return cd == d || cd->is_privileged;
}
/*
 * Both steps of a hypercall on another domain: look id up for cd and
 * check domain_may_target. 0 with *d referenced, or -ESRCH or -EPERM.
 */
int get_target_domain(struct domain *cd, domid_t id, struct domain **d);
extern pthread_mutex_t domlist_lock;
extern struct domain *domain_list;
/* Domains not yet freed; anything left after the last destroy leaked. */
extern atomic_uint domains_allocated;

#define MAX_VIRT_CPUS 128

struct domain_create_args {
    const char *name;
    unsigned int max_vcpus;
    unsigned long max_pages;
    bool privileged;
    bool host;          /* domain 0: no VM, no guest memory */
    bool pv;            /* a PV guest (no XEN_DOMCTL_CDF_hvm) */
    uint32_t emulation_flags; /* XEN_X86_EMU_*; 0: a PVH guest's (LAPIC) */
};

/* Returns the new domain or NULL with errno set (-ENOMEM on budget). */
struct domain *domain_create(domid_t id, const struct domain_create_args *a,
                             int *err);
void domain_destroy(struct domain *d);
/* Move the domain to SHUTDOWN with a reason; idempotent. */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Crash a domain because of something it did; logs why. */
void domain_crash(struct domain *d, const char *why);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/* First unpause after build. */
void domain_start(struct domain *d);

/* Set up a new vCPU's singleshot, periodic and poll timers (vcpu.c). */
void vcpu_init_timers(struct vcpu *v);
void vcpu_pause(struct vcpu *v);
/* Update the scheduler and wait until v is off every pCPU thread. */
void vcpu_pause_sync(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/* Make a blocked vCPU runnable (events, timers, IPIs). */
void vcpu_unblock(struct vcpu *v);
/* Ask a running vCPU to leave KVM_RUN soon and re-check its state. */
void vcpu_kick(struct vcpu *v);
/* Block the calling vCPU unless an event is already pending. */
void vcpu_block(struct vcpu *v);
/*
 * Block v until one of the ports is pending, an upcall is due or the
 * timeout (system time, 0 = none) passes.
 */
int vcpu_poll(struct vcpu *v, const uint32_t *ports, unsigned int nr,
              uint64_t timeout);
/* Bring up a VPF_down vCPU, or take one down. */
void vcpu_wake_up(struct vcpu *v);
void vcpu_down(struct vcpu *v);

/*
 * Runstate (kept by the scheduler core): a consistent copy with the time
 * of the current state included; and the hook that copies it to the
 * guest's registered area (common/vcpu.c) whenever it changes.
 */
void vcpu_runstate_get(struct vcpu *v, struct vcpu_runstate_info *r);
void vcpu_runstate_area_update(struct vcpu *v);

/* Whether an upcall is pending and deliverable for this vCPU. */
bool local_events_need_delivery(struct vcpu *v);

/* Called (outside any domain lock) when a domain shuts down. */
void domain_set_shutdown_hook(void (*fn)(struct domain *d));

/*
 * Domain 0 once created (main.c), NULL before and while it is torn
 * down: VIRQ_DOM_EXC goes there.
 */
extern struct domain *hardware_domain;

/* Whether v may run now (scheduler lock held). */
bool vcpu_runnable(const struct vcpu *v);

#define for_each_vcpu(d, v)                                                    \
    for (unsigned int __i = 0; __i < (d)->max_vcpus; __i++)                    \
        if (((v) = (d)->vcpu[__i]) != NULL)

#endif
