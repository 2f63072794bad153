/*
 * Guest connections over the shared xenstore ring page.
 *
 * How a ring page is mapped and how event channels are bound and
 * signalled is a backend's business (struct ring_backend): ring_xen.c
 * uses libxenforeignmemory and libxenevtchn against the hypervisor;
 * ring_file.c maps ring pages from files and signals over a datagram
 * socket, so that tests can act as guests without a hypervisor. The ring
 * protocol itself, with its checks against hostile guests, is ring.c.
 */
#ifndef XENSTORED_RING_H
#define XENSTORED_RING_H

#include <stdbool.h>

struct domain;

/* A pseudo port: a domain changed state in the hypervisor (VIRQ_DOM_EXC). */
#define RING_PORT_DOM_EXC 0xffffffffu

enum dom_state {
    DOM_GONE,     /* does not exist */
    DOM_RUNNING,  /* exists */
    DOM_SHUTDOWN, /* shut down or crashed, not yet destroyed */
    DOM_DYING,
};

struct ring_backend {
    const char *name;
    /* 0 or -errno; arg: the backend's option value (may be NULL). */
    int (*init)(const char *arg);
    /* Readable when ports fired; -1 if the backend has none. */
    int (*fd)(void);
    /* Next fired local port (or RING_PORT_DOM_EXC); -1 when none. */
    long (*pending)(void);
    void (*unmask)(unsigned int port);
    /* The domain's ring page, or NULL with errno. */
    void *(*map)(unsigned int domid, unsigned long gfn);
    void (*unmap)(void *page);
    /* Our local port for the domain's remote_port, or -errno. */
    int (*bind)(unsigned int domid, unsigned int remote_port);
    void (*unbind)(unsigned int port);
    void (*notify)(unsigned int port);
    enum dom_state (*domain_state)(unsigned int domid);
};

extern const struct ring_backend ring_backend_xen;
extern const struct ring_backend ring_backend_file;

/* Select and start a backend; NULL name: the default one. */
int ring_init(const char *name, const char *arg);
int ring_fd(void);
/* The backend's fd is readable: serve the rings that were signalled. */
void ring_handle_events(void);
enum dom_state ring_domain_state(unsigned int domid);

/* Map the domain's ring, bind its port and create its connection. */
int ring_attach(struct domain *d, unsigned long gfn, unsigned int port);
/* Bind a new port for an attached domain and reset its ring. */
int ring_rebind(struct domain *d, unsigned int port);
void ring_detach(struct domain *d);

#endif
