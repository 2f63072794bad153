/*
 * Event-channel and grant-table bookkeeping, compiled from the real
 * xen/common/event_channel.c, grant_table.c and memory.c. Domains are
 * built by hand (no KVM): a fake domain list, vCPUs with vcpu_info in
 * shared_info, and a recorder in place of the KVM memory-slot ioctl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm-x86/kvm.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>

#include "unit.h"

/* ---- Fakes for what the three files use from the rest of the core. ---- */

static unsigned int kicks, frees;

static void domain_free(struct domain *d)
{
    frees++;
    grant_table_destroy(d);
    evtchn_destroy(d);
    physmap_destroy(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        free(d->vcpu[i]);
    free(d->vcpu);
    free(d->shared_info_page);
    free(d);
}

void put_domain(struct domain *d)
{
    int old = atomic_fetch_sub(&d->refcnt, 1);

    if (old <= 0)
        printf("FAIL: put_domain of d%u at refcount %d\n", d->domain_id, old),
            failures++;
    else if (old == 1)
        domain_free(d);
}

void vcpu_kick(struct vcpu *v)
{
    (void)v;
    kicks++;
}

void vcpu_unblock(struct vcpu *v)
{
    (void)v;
}

void domain_crash(struct domain *d, const char *why)
{
    printf("FAIL: d%u crashed: %s\n", d->domain_id, why);
    failures++;
}

int kvm_set_memslot(struct domain *d, uint32_t slot, uint64_t gpa,
                    uint64_t size, void *hva)
{
    (void)d, (void)slot, (void)gpa, (void)size, (void)hva;
    return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    (void)v, (void)dst, (void)gva, (void)len;
    return -EFAULT;
}

int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    (void)v, (void)gva, (void)src, (void)len;
    return -EFAULT;
}

bool hypercall_is_compat(const struct vcpu *v)
{
    (void)v;
    return false;
}

void printk(enum loglvl lvl, const char *fmt, ...)
{
    (void)lvl, (void)fmt;
}

void gprintk(enum loglvl lvl, const char *fmt, ...)
{
    (void)lvl, (void)fmt;
}

/* ---- Building domains. ---- */

static struct domain *make_domain(domid_t id, unsigned int vcpus)
{
    struct domain *d = calloc(1, sizeof(*d));

    d->domain_id = id;
    d->max_vcpus = vcpus;
    d->state = DOMAIN_ACTIVE;
    d->max_pages = 1024;
    d->shared_info_gfn = INVALID_GFN;
    atomic_init(&d->refcnt, 1);
    pthread_mutex_init(&d->lock, NULL);
    pthread_mutex_init(&d->event_lock, NULL);
    d->shared_info_page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    memset(d->shared_info_page, 0, PAGE_SIZE);
    d->shared_info = d->shared_info_page;
    d->vcpu = calloc(vcpus, sizeof(*d->vcpu));
    for (unsigned int i = 0; i < vcpus; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));

        v->vcpu_id = i;
        v->domain = d;
        v->vcpu_info = &d->shared_info->vcpu_info[i];
        v->vcpu_info_gfn = INVALID_GFN;
        d->vcpu[i] = v;
    }
    if (physmap_init(d, 1 << 16) || evtchn_init(d) || grant_table_init(d))
        abort();
    d->next_in_list = domain_list;
    domain_list = d;
    return d;
}

/* Take d off the list and drop the list's reference (domain_destroy). */
static void destroy(struct domain *d)
{
    struct domain **pp;

    for (pp = &domain_list; *pp; pp = &(*pp)->next_in_list)
        if (*pp == d) {
            *pp = d->next_in_list;
            break;
        }
    put_domain(d);
}

static bool pending(struct domain *d, unsigned int port)
{
    return evtchn_port_is_pending(d, port);
}

static uint8_t *shinfo(struct domain *d)
{
    return (uint8_t *)d->shared_info;
}

/* ---- Event channels. ---- */

static void test_interdomain(void)
{
    struct domain *a = make_domain(1, 1), *b = make_domain(2, 2);
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 2};
    struct evtchn_bind_interdomain bi = {.remote_dom = 1, .remote_port = 1};
    struct evtchn_status st = {.dom = DOMID_SELF, .port = 1};
    unsigned int frees_before;

    EXPECT(evtchn_alloc_unbound(a, &au) == 0 && au.port == 1);
    au.dom = 2;
    EXPECT(evtchn_alloc_unbound(a, &au) == -EPERM);
    au.dom = 9;
    EXPECT(evtchn_alloc_unbound(a, &au) == -ESRCH);
    EXPECT(evtchn_reset(a, 2, false) == -EPERM);
    EXPECT(evtchn_reset(a, 9, false) == -ESRCH);
    EXPECT(evtchn_bind_interdomain(b, &bi) == 0 && bi.local_port == 1);
    /* The new local end is raised; the remote one is not. */
    EXPECT(pending(b, 1));
    EXPECT(b->shared_info->vcpu_info[0].evtchn_upcall_pending);
    EXPECT(!pending(a, 1));
    EXPECT(evtchn_bind_interdomain(b, &bi) == -EINVAL);

    /* Send goes to the peer's notify vCPU (once the port is consumed). */
    EXPECT(evtchn_bind_vcpu(b, 1, 1) == 0);
    EXPECT(evtchn_send(a, 1) == 0);
    EXPECT(!b->shared_info->vcpu_info[1].evtchn_upcall_pending);
    b->shared_info->evtchn_pending[0] = 0;
    EXPECT(evtchn_send(a, 1) == 0);
    EXPECT(b->shared_info->vcpu_info[1].evtchn_upcall_pending);
    EXPECT(evtchn_send(b, 1) == 0);
    EXPECT(pending(a, 1));

    /* A peer close makes our end unbound, waiting for it again. */
    EXPECT(evtchn_close(b, 1) == 0);
    EXPECT(evtchn_status(a, &st) == 0);
    EXPECT(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 2);
    EXPECT(evtchn_bind_interdomain(b, &bi) == 0 && bi.local_port == 1);

    /* A destroyed domain's channels: the peer's end becomes unbound. */
    frees_before = frees;
    destroy(b);
    EXPECT(frees == frees_before + 1);
    EXPECT(evtchn_status(a, &st) == 0);
    EXPECT(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 2);
    EXPECT(evtchn_send(a, 1) == 0);
    destroy(a);
}

/* A loopback channel torn down with no reference left must not take one. */
static void test_loopback_teardown(void)
{
    struct domain *d = make_domain(3, 1);
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF};
    struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF,
                                         .remote_port = 1};
    unsigned int frees_before = frees;

    EXPECT(evtchn_alloc_unbound(d, &au) == 0 && au.port == 1);
    EXPECT(evtchn_bind_interdomain(d, &bi) == 0 && bi.local_port == 2);
    EXPECT(evtchn_send(d, 1) == 0 && pending(d, 2));
    destroy(d);
    EXPECT(frees == frees_before + 1);
}

/* The 32-bit shared_info layout: other offsets, 32-bit words, 1024 ports. */
static void test_compat_layout(void)
{
    struct domain *d = make_domain(4, 1);
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
                                      .remote_dom = DOMID_SELF};
    struct evtchn_bind_ipi ipi = {.vcpu = 0};
    unsigned int n;

    d->has_32bit_shinfo = true;
    EXPECT(evtchn_max_ports(d) == 1024);
    for (n = 1; evtchn_alloc_unbound(d, &au) == 0; n++)
        EXPECT(au.port == n);
    EXPECT(n == 1024);
    EXPECT(evtchn_alloc_unbound(d, &au) == -ENOSPC);
    EXPECT(evtchn_close(d, 33) == 0);
    EXPECT(evtchn_bind_ipi(d, &ipi) == 0 && ipi.port == 33);
    EXPECT(evtchn_send(d, 33) == 0);
    /* Port 33: word 1 bit 1 of the compat bitmap at 2048; selector bit 1
     * in the 32-bit evtchn_pending_sel at byte 4 of vcpu_info. */
    EXPECT(shinfo(d)[2048 + 4] == 0x02);
    EXPECT(shinfo(d)[4] == 0x02);
    EXPECT(shinfo(d)[0] == 1);   /* evtchn_upcall_pending */
    /* Masked (compat mask at 2048 + 128): pending but no selector bit. */
    shinfo(d)[2048 + 128 + 4] = 0x02;
    shinfo(d)[2048 + 4] = 0;
    shinfo(d)[4] = 0;
    EXPECT(evtchn_send(d, 33) == 0);
    EXPECT(shinfo(d)[2048 + 4] == 0x02 && shinfo(d)[4] == 0);
    EXPECT(evtchn_unmask(d, 33) == 0);
    EXPECT(shinfo(d)[2048 + 128 + 4] == 0 && shinfo(d)[4] == 0x02);
    EXPECT(evtchn_reset(d, DOMID_SELF, false) == 0);
    EXPECT(shinfo(d)[2048 + 4] == 0);   /* close clears pending */
    destroy(d);
}

/* Ports opened above 1023 before a 32-bit layout latched still close. */
static void test_latched_teardown(void)
{
    struct domain *e = make_domain(8, 1), *f = make_domain(9, 1);
    struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 9};
    struct evtchn_bind_interdomain bi = {.remote_dom = 8};
    struct evtchn_status st = {.dom = DOMID_SELF};

    for (unsigned int n = 1; n <= 1100; n++)
        EXPECT(evtchn_alloc_unbound(e, &au) == 0 && au.port == n);
    bi.remote_port = 1100;
    EXPECT(evtchn_bind_interdomain(f, &bi) == 0 && bi.local_port == 1);
    e->has_32bit_shinfo = true;
    EXPECT(evtchn_close(e, 1100) == -EINVAL);   /* beyond the guest's ABI */
    destroy(e);
    st.port = 1;
    EXPECT(evtchn_status(f, &st) == 0);
    EXPECT(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 8);
    destroy(f);
}

static void test_virq(void)
{
    struct domain *d = make_domain(5, 2);
    struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 1};
    struct evtchn_status st = {.dom = DOMID_SELF};

    EXPECT(evtchn_bind_virq(d, &bv) == 0 && bv.port == 1);
    EXPECT(d->vcpu[1]->virq_to_evtchn[VIRQ_TIMER] == 1);
    send_guest_vcpu_virq(d->vcpu[1], VIRQ_TIMER);
    EXPECT(pending(d, 1) && d->shared_info->vcpu_info[1].evtchn_upcall_pending);
    bv = (struct evtchn_bind_virq){.virq = VIRQ_DOM_EXC, .vcpu = 1};
    EXPECT(evtchn_bind_virq(d, &bv) == -EINVAL);
    bv.vcpu = 0;
    EXPECT(evtchn_bind_virq(d, &bv) == 0 && bv.port == 2);
    EXPECT(evtchn_bind_vcpu(d, 2, 1) == 0);
    st.port = 2;
    EXPECT(evtchn_status(d, &st) == 0 && st.vcpu == 1 &&
           st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_DOM_EXC);
    EXPECT(evtchn_close(d, 1) == 0);
    EXPECT(d->vcpu[1]->virq_to_evtchn[VIRQ_TIMER] == 0);
    destroy(d);
}

/* ---- Grants. ---- */

static grant_entry_v1_t *entry(struct domain *d, grant_ref_t ref)
{
    /* Frame 0 placed at gfn 0x80 of the granter. */
    return (grant_entry_v1_t *)gfn_to_virt(d, 0x80) + ref;
}

static void test_grants(void)
{
    struct domain *a = make_domain(6, 1), *b = make_domain(7, 1);
    grant_entry_v1_t *e;
    uint64_t gfn;
    uint8_t *page, *alias;

    EXPECT(physmap_populate(a, 0x10, 4, false) == 0);
    EXPECT(gnttab_map_frame(a, 0, 0x80) == 0);
    EXPECT(gnttab_map_frame(a, 64, 0x81) == -EINVAL);
    e = entry(a, 8);
    *e = (grant_entry_v1_t){GTF_permit_access, 7, 0x11};
    entry(a, 9)[0] = (grant_entry_v1_t){GTF_permit_access | GTF_readonly, 7,
                                        0x12};

    /* Pinning sets the flags; a read-only grant refuses writers. */
    EXPECT(gnttab_pin(a, 8, 7, false, true, &gfn, NULL) == GNTST_okay);
    EXPECT(gfn == 0x11);
    EXPECT(e->flags == (GTF_permit_access | GTF_reading | GTF_writing));
    EXPECT(gnttab_pin(a, 8, 9, true, true, &gfn, NULL) ==
           GNTST_general_error);   /* someone else holds it */
    EXPECT(gnttab_pin(a, 9, 7, false, true, &gfn, NULL) ==
           GNTST_general_error);
    EXPECT(gnttab_pin(a, 9, 7, true, true, &gfn, NULL) == GNTST_okay);
    EXPECT(gnttab_pin(a, 512, 7, true, true, &gfn, NULL) ==
           GNTST_bad_gntref);

    /* A foreign frame in b: the same memory, its own slot, no RAM. */
    page = gfn_to_virt(a, 0x11);
    EXPECT(physmap_map_foreign(b, 0x40, a, 0x11, false) == 0);
    alias = gfn_to_virt(b, 0x40);
    EXPECT(alias && alias != page);
    alias[10] = 0x5a;
    EXPECT(page[10] == 0x5a);
    page[11] = 0xa5;
    EXPECT(alias[11] == 0xa5);
    EXPECT(!physmap_is_populated(b, 0x40) && physmap_is_foreign(b, 0x40));
    EXPECT(physmap_populate(b, 0x3f, 2, false) == -EBUSY);
    EXPECT(physmap_map_foreign(b, 0x40, a, 0x11, false) == -EBUSY);
    EXPECT(physmap_map_foreign(b, 0x41, a, 0x99, false) == -EINVAL);
    EXPECT(physmap_unmap_foreign(b, 0x40, 6, 0x12) == -EINVAL);
    EXPECT(physmap_unmap_foreign(b, 0x40, 6, 0x11) == 0);
    EXPECT(!gfn_to_virt(b, 0x40) && !physmap_is_foreign(b, 0x40));
    EXPECT(physmap_populate(b, 0x40, 1, false) == 0);
    EXPECT(((uint8_t *)gfn_to_virt(b, 0x40))[10] == 0);

    gnttab_unpin(a, 8, false);
    EXPECT(e->flags == GTF_permit_access);
    gnttab_unpin(a, 9, true);
    EXPECT(entry(a, 9)->flags == (GTF_permit_access | GTF_readonly));

    /* Moving the frame keeps the entries and frees the old place. */
    EXPECT(gnttab_map_frame(a, 0, 0x90) == 0);
    EXPECT(!physmap_is_populated(a, 0x80));
    EXPECT(((grant_entry_v1_t *)gfn_to_virt(a, 0x90))[8].frame == 0x11);
    destroy(b);
    destroy(a);
}

int main(void)
{
    mem_budget_init(1 << 20, 0, 0);
    test_interdomain();
    test_loopback_teardown();
    test_compat_layout();
    test_latched_teardown();
    test_virq();
    test_grants();
    EXPECT(domain_list == NULL);
    if (failures) {
        printf("%d failure(s)\n", failures);
        return 1;
    }
    printf("PASS evtchn-gnttab\n");
    return 0;
}
