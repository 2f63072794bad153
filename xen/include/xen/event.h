/*
 * Event channels: per-domain port table and delivery through the 2-level
 * bitmaps in shared_info (common/event_channel.c).
 *
 * Delivery follows Xen: setting a port's pending bit, unless the port is
 * masked, sets the notified vCPU's selector bit and evtchn_upcall_pending
 * and kicks the vCPU, which then takes an upcall on its callback vector.
 */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include <public/event_channel.h>

struct domain;
struct vcpu;

int evtchn_init(struct domain *d);
/* XEN_DOMCTL_createdomain's max_evtchn_port: the highest port d may open. */
void evtchn_set_max_port(struct domain *d, uint32_t max_port);
/*
 * Close every port of a dying domain (peers' ends become unbound again)
 * while its vCPUs still exist; idempotent. Call it from domain_destroy.
 */
void evtchn_release(struct domain *d);
/* Free the table; closes what is still open. From domain_free. */
void evtchn_destroy(struct domain *d);

/*
 * EVTCHNOP_* on behalf of the calling domain cd (the hypercall copies the
 * argument in and out; privcmd may call these for dom0). They return 0
 * or Xen's -errno and fill the OUT fields.
 */
int evtchn_alloc_unbound(struct domain *cd, struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct domain *cd,
                            struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct domain *cd, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct domain *cd, struct evtchn_bind_ipi *b);
int evtchn_close(struct domain *cd, evtchn_port_t port);
int evtchn_send(struct domain *cd, evtchn_port_t port);
int evtchn_status(struct domain *cd, struct evtchn_status *s);
int evtchn_bind_vcpu(struct domain *cd, evtchn_port_t port, uint32_t vcpu);
int evtchn_unmask(struct domain *cd, evtchn_port_t port);
int evtchn_reset(struct domain *cd, domid_t dom, bool resuming);

/* Raise a per-vCPU VIRQ (VIRQ_TIMER, ...) if the guest bound it. */
void send_guest_vcpu_virq(struct vcpu *v, uint32_t virq);
/* Raise a global VIRQ (VIRQ_DOM_EXC, ...) on the vCPU it is bound to. */
void send_guest_global_virq(struct domain *d, uint32_t virq);

/* Mark a port pending in d's bitmaps and notify vcpu_id. */
void evtchn_port_set_pending(struct domain *d, unsigned int vcpu_id,
                             evtchn_port_t port);
/* Set v's evtchn_upcall_pending and get an upcall to it. */
void vcpu_mark_events_pending(struct vcpu *v);

/* Whether port is pending in d's bitmaps (SCHEDOP_poll). */
bool evtchn_port_is_pending(struct domain *d, evtchn_port_t port);
/* Highest port number the domain's ABI can address. */
unsigned int evtchn_max_ports(const struct domain *d);

#endif
