/* Domain and vCPU lifecycle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/hvm/platform.h>
#include <asm-x86/kvm.h>
#include <asm-x86/pv.h>
#include <public/domctl.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <xen/console.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched-if.h>
#include <xen/sched.h>

/* struct domains allocated and not yet freed, listed or not. */
atomic_uint domains_allocated;
struct domain *hardware_domain;
static void (*shutdown_hook)(struct domain *d);

/* Tell domain 0's toolstack (xenstored's VIRQ_DOM_EXC) that d changed. */
static void notify_dom_exc(struct domain *d)
{
    struct domain *hwd = hardware_domain;

    if (hwd && hwd != d)
        send_guest_global_virq(hwd, VIRQ_DOM_EXC);
}

void domain_set_shutdown_hook(void (*fn)(struct domain *d))
{
    shutdown_hook = fn;
}

static void vcpu_free(struct vcpu *v)
{
    kill_timer(&v->singleshot_timer);
    kill_timer(&v->periodic_timer);
    kill_timer(&v->poll_timer);
    arch_vcpu_destroy(v);
    free(v);
}

static void domain_free(struct domain *d)
{
    /* Its devices' timers and interrupt lines reach the vCPUs. */
    hvm_platform_destroy(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_free(d->vcpu[i]);
    grant_table_destroy(d);
    evtchn_destroy(d);
    physmap_destroy(d);
    arch_domain_destroy(d);
    free(d->shared_info_page);
    free(d->vcpu);
    free(d);
    atomic_fetch_sub(&domains_allocated, 1);
}

void put_domain(struct domain *d)
{
    if (atomic_fetch_sub(&d->refcnt, 1) == 1)
        domain_free(d);
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = calloc(1, sizeof(*v));

    if (!v)
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->kvm_fd = -1;
    v->processor = -1;
    /*
     * Only vCPU 0 starts up; the rest wait for VCPUOP_up or INIT-SIPI.
     * Domain 0's vCPUs are the host's CPUs: all up, never scheduled.
     */
    v->pause_flags = id && !d->is_host ? VPF_down : 0;
    v->vcpu_info_gfn = INVALID_GFN;
    v->runstate.state = v->pause_flags ? RUNSTATE_offline : RUNSTATE_runnable;
    memset(v->cpu_hard_affinity, 0xff, sizeof(v->cpu_hard_affinity));
    memset(v->cpu_soft_affinity, 0xff, sizeof(v->cpu_soft_affinity));
    if (id < XEN_LEGACY_MAX_VCPUS)
        v->vcpu_info = &d->shared_info->vcpu_info[id];
    vcpu_init_timers(v);
    if (!d->is_host && arch_vcpu_create(v)) {
        free(v);
        return NULL;
    }
    return v;
}

struct domain *domain_create(domid_t id, const struct domain_create_args *a,
                             int *err)
{
    struct domain *d = NULL, **pp;
    int rc = -ENOMEM;

    if (!a->max_vcpus || a->max_vcpus > MAX_VIRT_CPUS) {
        rc = -EINVAL;
        goto fail;
    }
    d = calloc(1, sizeof(*d));
    if (!d)
        goto fail;
    atomic_fetch_add(&domains_allocated, 1);
    d->domain_id = id;
    snprintf(d->name, sizeof(d->name), "%s", a->name ? a->name : "");
    d->max_vcpus = a->max_vcpus;
    d->max_pages = a->max_pages;
    d->is_privileged = a->privileged;
    d->is_host = a->host;
    /* Guests are PVH unless XEN_DOMCTL_createdomain says otherwise. */
    if (!a->host && !a->pv) {
        d->options = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
        d->emulation_flags =
            a->emulation_flags ? a->emulation_flags : XEN_X86_EMU_LAPIC;
    }
    d->state = DOMAIN_BUILDING;
    d->shutdown_code_hint = -1;
    d->kvm_vm_fd = d->mem_fd = -1;
    d->shared_info_gfn = INVALID_GFN;
    atomic_init(&d->refcnt, 1);
    pthread_mutex_init(&d->lock, NULL);
    pthread_mutex_init(&d->event_lock, NULL);

    d->vcpu = calloc(a->max_vcpus, sizeof(*d->vcpu));
    d->shared_info_page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    if (!d->vcpu || !d->shared_info_page)
        goto fail_free;
    memset(d->shared_info_page, 0, PAGE_SIZE);
    d->shared_info = d->shared_info_page;

    /*
     * Guest-physical space: GUEST_MAX_GFN frames. The host domain has neither a VM nor a physmap (max_gfn stays 0,
     * so every gfn of it is out of range).
     */
    rc = a->host ? 0 : arch_domain_create(d);
    if (!rc && !a->host)
        rc = physmap_init(d, GUEST_MAX_GFN);
    if (!rc && a->pv)
        rc = pv_domain_init(d);
    if (rc)
        goto fail_free;
    rc = evtchn_init(d);
    if (rc)
        goto fail_free;
    rc = grant_table_init(d);
    if (rc)
        goto fail_free;
    for (unsigned int i = 0; i < a->max_vcpus; i++) {
        d->vcpu[i] = vcpu_create(d, i);
        if (!d->vcpu[i]) {
            rc = -ENOMEM;
            goto fail_free;
        }
    }
    rc = hvm_platform_init(d);
    if (rc)
        goto fail_free;

    pthread_mutex_lock(&domlist_lock);
    for (pp = &domain_list; *pp && (*pp)->domain_id < id;
         pp = &(*pp)->next_in_list)
        ;
    if (*pp && (*pp)->domain_id == id) {
        pthread_mutex_unlock(&domlist_lock);
        rc = -EEXIST;
        goto fail_free;
    }
    d->next_in_list = *pp;
    *pp = d;
    pthread_mutex_unlock(&domlist_lock);

    for (unsigned int i = 0; i < a->max_vcpus; i++)
        sched_insert_vcpu(d->vcpu[i]);
    printk(LOG_INFO, "d%u: created (%u vCPUs, max %lu pages)\n", id,
           d->max_vcpus, d->max_pages);
    return d;

fail_free:
    domain_free(d);
    d = NULL;
fail:
    if (err)
        *err = rc;
    return NULL;
}

static void update_all_vcpus(struct domain *d)
{
    struct vcpu *v;

    for_each_vcpu (d, v)
        sched_vcpu_update(v);
}

void domain_start(struct domain *d)
{
    pthread_mutex_lock(&d->lock);
    if (d->state == DOMAIN_BUILDING)
        d->state = DOMAIN_ACTIVE;
    pthread_mutex_unlock(&d->lock);
    update_all_vcpus(d);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    bool changed = false;

    /* Nothing stops the host; Xen would reboot the machine here. */
    if (d->is_host) {
        printk(LOG_WARNING, "d0: shutdown (reason %u) ignored\n", reason);
        return;
    }
    pthread_mutex_lock(&d->lock);
    if (d->state == DOMAIN_ACTIVE || d->state == DOMAIN_BUILDING) {
        d->state = DOMAIN_SHUTDOWN;
        /* A code set with SCHEDOP_shutdown_code wins, as in Xen. */
        d->shutdown_code = d->shutdown_code_hint >= 0
                               ? (unsigned int)d->shutdown_code_hint
                               : reason;
        changed = true;
    }
    pthread_mutex_unlock(&d->lock);
    if (!changed)
        return;
    printk(LOG_INFO, "d%u: shut down (reason %u)\n", d->domain_id,
           d->shutdown_code);
    console_guest_flush(d);
    update_all_vcpus(d);
    if (shutdown_hook)
        shutdown_hook(d);
    notify_dom_exc(d);
}

void domain_crash(struct domain *d, const char *why)
{
    gprintk(LOG_ERR, "d%u: crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

void domain_destroy(struct domain *d)
{
    struct domain **pp;

    pthread_mutex_lock(&d->lock);
    if (d->state == DOMAIN_DYING) {
        pthread_mutex_unlock(&d->lock);
        return;
    }
    d->state = DOMAIN_DYING;
    pthread_mutex_unlock(&d->lock);

    /* Take every vCPU off its pCPU for good before freeing anything. */
    domain_pause(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            sched_remove_vcpu(d->vcpu[i]);
    /*
     * Drop what ties other domains to this one (channels, grant maps)
     * now: two domains mapping each other's grants would otherwise keep
     * each other alive forever.
     */
    evtchn_release(d);
    gnttab_release_mappings(d);

    pthread_mutex_lock(&domlist_lock);
    for (pp = &domain_list; *pp; pp = &(*pp)->next_in_list)
        if (*pp == d) {
            *pp = d->next_in_list;
            break;
        }
    pthread_mutex_unlock(&domlist_lock);
    printk(LOG_INFO, "d%u: destroyed\n", d->domain_id);
    notify_dom_exc(d);
    put_domain(d);
}

void domain_pause(struct domain *d)
{
    struct vcpu *v;

    atomic_fetch_add(&d->pause_count, 1);
    for_each_vcpu (d, v)
        vcpu_pause_sync(v);
}

void domain_unpause(struct domain *d)
{
    if (atomic_fetch_sub(&d->pause_count, 1) == 1)
        update_all_vcpus(d);
}

void vcpu_pause(struct vcpu *v)
{
    atomic_fetch_add(&v->pause_count, 1);
    vcpu_pause_sync(v);
}

void vcpu_unpause(struct vcpu *v)
{
    if (atomic_fetch_sub(&v->pause_count, 1) == 1)
        sched_vcpu_update(v);
}

bool vcpu_runnable(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return !v->pause_flags && !atomic_load(&v->pause_count) &&
           !atomic_load(&d->pause_count) && d->state == DOMAIN_ACTIVE &&
           !d->is_host;
}
