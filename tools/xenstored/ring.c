/*
 * The xenstore ring protocol, server side. Every index in the page is
 * guest-controlled: one that is inconsistent (producer more than a ring
 * ahead of the consumer) marks the ring XENSTORE_ERROR_RINGIDX and drops
 * that connection only. Reads and writes copy at most what the indices
 * allow, wrapping at XENSTORE_RING_SIZE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"
#include "ring.h"

struct ring {
    struct domain *d;
    struct xenstore_domain_interface *intf;
    unsigned int port; /* ours */
    bool bound;
};

static const struct ring_backend *backend;
static struct ring **by_port; /* local port -> ring */
static unsigned int nports;

static const struct ring_backend *const backends[] = {
#ifdef XENSTORED_HAVE_XEN
    &ring_backend_xen,
#endif
    &ring_backend_file,
};

int ring_init(const char *name, const char *arg)
{
    for (unsigned int i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
        if (name ? strcmp(backends[i]->name, name) : i != 0)
            continue;
        int err = backends[i]->init(arg);
        if (!err)
            backend = backends[i];
        return err;
    }
    return -ENOENT;
}

int ring_fd(void)
{
    return backend && backend->fd ? backend->fd() : -1;
}

enum dom_state ring_domain_state(unsigned int domid)
{
    return backend ? backend->domain_state(domid) : DOM_GONE;
}

static void barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void ring_notify(struct ring *rg)
{
    if (rg->bound)
        backend->notify(rg->port);
}

static bool ring_bad(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
    return (XENSTORE_RING_IDX)(prod - cons) > XENSTORE_RING_SIZE;
}

static void ring_fail(struct conn *c, int code)
{
    struct ring *rg = c->ring;

    if (rg->intf->error == XENSTORE_ERROR_NONE)
        rg->intf->error = code;
    barrier();
    ring_notify(rg);
}

static int ring_read(struct conn *c, void *buf, unsigned int len)
{
    struct xenstore_domain_interface *intf = c->ring->intf;
    volatile XENSTORE_RING_IDX *pcons = &intf->req_cons;
    volatile XENSTORE_RING_IDX *pprod = &intf->req_prod;
    XENSTORE_RING_IDX cons = *pcons, prod = *pprod, n, off, first;

    barrier(); /* the indices before the data they cover */
    if (ring_bad(cons, prod)) {
        conn_drop(c, XENSTORE_ERROR_RINGIDX, "bad request ring indices");
        return -1;
    }
    n = prod - cons;
    if (n > len)
        n = len;
    if (!n)
        return 0;
    off = MASK_XENSTORE_IDX(cons);
    first = XENSTORE_RING_SIZE - off;
    if (first > n)
        first = n;
    memcpy(buf, intf->req + off, first);
    memcpy((char *)buf + first, intf->req, n - first);
    barrier(); /* the data out before the guest may reuse the space */
    *pcons = cons + n;
    ring_notify(c->ring);
    return n;
}

static int ring_write(struct conn *c, const void *buf, unsigned int len)
{
    struct xenstore_domain_interface *intf = c->ring->intf;
    volatile XENSTORE_RING_IDX *pcons = &intf->rsp_cons;
    volatile XENSTORE_RING_IDX *pprod = &intf->rsp_prod;
    XENSTORE_RING_IDX cons = *pcons, prod = *pprod, n, off, first;

    barrier();
    if (ring_bad(cons, prod)) {
        conn_drop(c, XENSTORE_ERROR_RINGIDX, "bad response ring indices");
        return -1;
    }
    n = XENSTORE_RING_SIZE - (prod - cons);
    if (n > len)
        n = len;
    if (!n)
        return 0;
    off = MASK_XENSTORE_IDX(prod);
    first = XENSTORE_RING_SIZE - off;
    if (first > n)
        first = n;
    memcpy(intf->rsp + off, buf, first);
    memcpy(intf->rsp, (const char *)buf + first, n - first);
    barrier(); /* the data in before the index that publishes it */
    *pprod = prod + n;
    ring_notify(c->ring);
    return n;
}

static void ring_close(struct conn *c)
{
    (void)c; /* the ring itself goes with ring_detach */
}

static const struct conn_ops ring_ops = {
    .read = ring_read,
    .write = ring_write,
    .close = ring_close,
    .fail = ring_fail,
};

static int port_set(unsigned int port, struct ring *rg)
{
    if (port >= nports) {
        unsigned int n = port + 64;
        struct ring **nb = realloc(by_port, n * sizeof(*nb));
        if (!nb)
            return -ENOMEM;
        memset(nb + nports, 0, (n - nports) * sizeof(*nb));
        by_port = nb;
        nports = n;
    }
    by_port[port] = rg;
    return 0;
}

static void ring_reset_page(struct ring *rg)
{
    struct xenstore_domain_interface *intf = rg->intf;

    intf->req_cons = intf->req_prod = 0;
    intf->rsp_cons = intf->rsp_prod = 0;
    intf->server_features =
        XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;
    intf->error = XENSTORE_ERROR_NONE;
    barrier();
    intf->connection = XENSTORE_CONNECTED;
}

static int ring_bind(struct ring *rg, unsigned int domid, unsigned int port)
{
    int p = backend->bind(domid, port);

    if (p < 0)
        return p;
    if (port_set(p, rg)) {
        backend->unbind(p);
        return -ENOMEM;
    }
    rg->port = p;
    rg->bound = true;
    return 0;
}

static void ring_unbind(struct ring *rg)
{
    if (!rg->bound)
        return;
    backend->unbind(rg->port);
    by_port[rg->port] = NULL;
    rg->bound = false;
}

int ring_attach(struct domain *d, unsigned long gfn, unsigned int port)
{
    struct ring *rg;
    struct conn *c;
    int err;

    if (!backend)
        return -ENOSYS;
    rg = calloc(1, sizeof(*rg));
    if (!rg)
        return -ENOMEM;
    rg->d = d;
    rg->intf = backend->map(d->domid, gfn);
    if (!rg->intf) {
        err = errno ? -errno : -EINVAL;
        free(rg);
        return err;
    }
    err = ring_bind(rg, d->domid, port);
    if (err) {
        backend->unmap(rg->intf);
        free(rg);
        return err;
    }
    c = conn_new(&ring_ops, -1, d->domid);
    if (!c) {
        ring_unbind(rg);
        backend->unmap(rg->intf);
        free(rg);
        return -ENOMEM;
    }
    c->ring = rg;
    c->dom = d;
    d->conn = c;
    ring_reset_page(rg);
    ring_notify(rg);
    return 0;
}

int ring_rebind(struct domain *d, unsigned int port)
{
    struct ring *rg = d->conn->ring;
    int err;

    ring_unbind(rg);
    err = ring_bind(rg, d->domid, port);
    conn_reset(d->conn);
    d->conn->dead = false;
    ring_reset_page(rg);
    ring_notify(rg);
    return err;
}

void ring_detach(struct domain *d)
{
    struct conn *c = d->conn;
    struct ring *rg;

    if (!c)
        return;
    rg = c->ring;
    ring_unbind(rg);
    backend->unmap(rg->intf);
    free(rg);
    d->conn = NULL;
    conn_free(c);
}

/* The guest asked for a fresh start (XENSTORE_RECONNECT). */
static void ring_reconnect(struct conn *c)
{
    conn_reset(c);
    c->dead = false;
    ring_reset_page(c->ring);
    ring_notify(c->ring);
}

static void ring_serve(struct ring *rg)
{
    struct conn *c = rg->d->conn;

    if (rg->intf->connection == XENSTORE_RECONNECT) {
        ring_reconnect(c);
        return;
    }
    if (c->dead || rg->intf->error != XENSTORE_ERROR_NONE)
        return;
    conn_flush(c); /* the guest may have made room for output */
    conn_input(c);
}

void ring_handle_events(void)
{
    long port;

    while ((port = backend->pending()) >= 0) {
        if ((unsigned long)port == RING_PORT_DOM_EXC) {
            domains_check_hypervisor();
            continue;
        }
        backend->unmask(port);
        if ((unsigned long)port < nports && by_port[port])
            ring_serve(by_port[port]);
    }
}
