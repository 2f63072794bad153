/*
 * xenevtchn.h - event channels for domain 0 processes.
 *
 * A handle owns the ports it binds; closing it unbinds them. When a
 * bound port fires, the port becomes readable on xenevtchn_fd() and is
 * masked until the process calls xenevtchn_unmask, so a port is reported
 * at most once between unmasks.
 *
 * Functions returning int give -1 with errno set on failure (a port or 0
 * on success); xenevtchn_open gives NULL with errno set.
 */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>
#include <xen/event_channel.h>

/* A port (>= 0), or -1 with errno set. */
typedef int xenevtchn_port_or_error_t;

typedef struct xenevtchn_handle xenevtchn_handle;

/* Logging is not used by this library; NULL is fine. */
struct xentoollog_logger;

/* Keep the handle's file descriptors open across exec. */
#define XENEVTCHN_NO_CLOEXEC (1 << 0)

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
                                 unsigned int flags);

/*
 * Make a handle of an fd inherited from another process. Xenon's
 * handles are two sockets, which one fd cannot carry: this fails with
 * EOPNOTSUPP (EINVAL for unknown flags).
 */
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
                                   unsigned open_flags);

/* Close the handle (NULL is fine), unbinding its ports. */
int xenevtchn_close(xenevtchn_handle *xce);

/*
 * The fd that becomes readable when a port fires. It blocks by default;
 * set O_NONBLOCK on it to make xenevtchn_pending fail with EAGAIN
 * instead of waiting.
 */
int xenevtchn_fd(xenevtchn_handle *xce);

/* Send an event on a port of this handle. */
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);

/* A new port that domain @domid may connect to. */
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
                                                      uint32_t domid);

/* Connect to the unbound port @remote_port of domain @domid. */
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
                                                     uint32_t domid,
                                                     evtchn_port_t remote_port);

/* Bind a global virtual IRQ (for example VIRQ_DOM_EXC). */
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
                                              unsigned int virq);

/* Close a port of this handle. */
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);

/*
 * The next port that fired: waits for one unless the fd is non-blocking
 * (then -1 with EAGAIN if none is pending). The port stays masked.
 */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);

/* Let a port that fired be reported again. */
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);

/*
 * Restrict the handle, irreversibly, to channels with domain @domid:
 * binding to any other domain then fails with EPERM.
 */
int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid);

#endif
