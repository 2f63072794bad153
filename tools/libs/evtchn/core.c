/*
 * libxenevtchn over the privcmd socket: requests go on the handle's
 * connection; fired ports arrive, one uint32_t per message, on the
 * delivery socket that HELLO handed over (privcmd.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "export.h"
#include "privcmd_client.h"
#include "xenevtchn.h"
#include "xentoolcore_internal.h"

struct xenevtchn_handle {
    struct privcmd_conn conn;
    int delivery_fd;
    xentoolcore__active_handle tc_ah;
};

static int restrict_cb(xentoolcore__active_handle *ah, domid_t domid)
{
    xenevtchn_handle *xce =
        XENTOOLCORE__CONTAINER_OF(ah, xenevtchn_handle, tc_ah);

    return privcmd_conn__restrict(&xce->conn, domid);
}

XENTOOLS_EXPORT
xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
                                 unsigned int flags)
{
    struct privcmd_hello_reply reply;
    xenevtchn_handle *xce;
    int cloexec = !(flags & XENEVTCHN_NO_CLOEXEC);

    (void)logger;
    xce = calloc(1, sizeof(*xce));
    if (!xce)
        return NULL;
    if (privcmd_conn__open(&xce->conn, PRIVCMD_ROLE_EVTCHN, cloexec, &reply,
                           sizeof(reply), &xce->delivery_fd) < 0)
        goto fail;
    if (xce->delivery_fd < 0) {
        privcmd_conn__close(&xce->conn);
        errno = EPROTO;
        goto fail;
    }
    xce->tc_ah.restrict_callback = restrict_cb;
    xentoolcore__register_active_handle(&xce->tc_ah);
    return xce;

fail:
    free(xce);
    return NULL;
}

XENTOOLS_EXPORT
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
                                   unsigned open_flags)
{
    (void)logger;
    (void)fd;
    errno = open_flags ? EINVAL : EOPNOTSUPP;
    return NULL;
}

XENTOOLS_EXPORT
int xenevtchn_close(xenevtchn_handle *xce)
{
    if (!xce)
        return 0;
    xentoolcore__deregister_active_handle(&xce->tc_ah);
    close(xce->delivery_fd);
    privcmd_conn__close(&xce->conn);
    free(xce);
    return 0;
}

XENTOOLS_EXPORT
int xenevtchn_fd(xenevtchn_handle *xce)
{
    return xce->delivery_fd;
}

/* One event-channel request; the reply's rc (a port or 0) or -1/errno. */
static int evtchn_op(xenevtchn_handle *xce, uint32_t type, uint32_t domid,
                     uint32_t port, uint32_t virq)
{
    struct privcmd_evtchn req = {
        .domid = domid,
        .port = port,
        .virq = virq,
    };

    return privcmd_conn__call(&xce->conn, type, &req, sizeof(req), NULL, 0,
                              NULL, NULL);
}

XENTOOLS_EXPORT
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    return evtchn_op(xce, PRIVCMD_EVTCHN_NOTIFY, 0, port, 0) < 0 ? -1 : 0;
}

XENTOOLS_EXPORT
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
                                                      uint32_t domid)
{
    return evtchn_op(xce, PRIVCMD_EVTCHN_BIND_UNBOUND, domid, 0, 0);
}

XENTOOLS_EXPORT
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
                                                     uint32_t domid,
                                                     evtchn_port_t remote_port)
{
    return evtchn_op(xce, PRIVCMD_EVTCHN_BIND_INTERDOMAIN, domid, remote_port,
                     0);
}

XENTOOLS_EXPORT
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
                                              unsigned int virq)
{
    return evtchn_op(xce, PRIVCMD_EVTCHN_BIND_VIRQ, 0, 0, virq);
}

XENTOOLS_EXPORT
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    return evtchn_op(xce, PRIVCMD_EVTCHN_UNBIND, 0, port, 0) < 0 ? -1 : 0;
}

XENTOOLS_EXPORT
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    return evtchn_op(xce, PRIVCMD_EVTCHN_UNMASK, 0, port, 0) < 0 ? -1 : 0;
}

XENTOOLS_EXPORT
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    uint32_t port;
    ssize_t n;

    /* A signal interrupts the wait with EINTR, as with Xen's device. */
    n = read(xce->delivery_fd, &port, sizeof(port));
    if (n == sizeof(port) && port <= INT32_MAX)
        return port;
    if (n >= 0)
        errno = n ? EPROTO : ECONNRESET;
    return -1;
}

XENTOOLS_EXPORT
int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid)
{
    return privcmd_conn__restrict(&xce->conn, domid);
}
