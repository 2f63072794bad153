/*
 * The client end of the privcmd socket (xen/include/xenon/privcmd.h),
 * shared by the tools libraries. Linked into each of them, hidden.
 *
 * One struct privcmd_conn is one connection. Requests on it are
 * serialized by its lock, so a restriction from another thread
 * (xentoolcore_restrict_all) cannot interleave with a request in flight.
 */
#ifndef XENTOOLS_PRIVCMD_CLIENT_H
#define XENTOOLS_PRIVCMD_CLIENT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <xenon/privcmd.h>

struct privcmd_conn {
    int sock;
    uint32_t seq;
    pthread_mutex_t lock;
};

/*
 * Connect to $XEN_RUN_DIR/privcmd (default /run/xen/privcmd) and say
 * HELLO with @role. The reply goes to @reply (@reply_size bytes, at least
 * a struct privcmd_hello_reply); a file descriptor sent with it goes to
 * *@fd (-1 if none). With @cloexec the socket and the received fd are
 * close-on-exec. 0, or -1 with errno set (the connection is then closed).
 */
int privcmd_conn__open(struct privcmd_conn *c, uint32_t role, int cloexec,
                       void *reply, size_t reply_size, int *fd);

/* Close the connection. Idempotent. */
void privcmd_conn__close(struct privcmd_conn *c);

/*
 * Send the request @req (@req_len bytes, starting with a privcmd_hdr
 * whose type is @type) and wait for its reply, which is copied to @reply
 * (up to @reply_size bytes; NULL for a bare header) with its length in
 * *@reply_len if not NULL. A received fd goes to *@fd if @fd is not NULL
 * (else it is closed); *@fd is -1 when none came.
 *
 * Returns the reply's rc when it is >= 0; else -1 with errno = -rc (or
 * an errno for a broken connection: ECONNRESET, EPROTO, ...).
 */
int64_t privcmd_conn__call(struct privcmd_conn *c, uint32_t type, void *req,
                           size_t req_len, void *reply, size_t reply_size,
                           size_t *reply_len, int *fd);

/* PRIVCMD_RESTRICT: 0, or -1 with errno set. */
int privcmd_conn__restrict(struct privcmd_conn *c, uint32_t domid);

/* The socket's path into @buf: 0, or -1 with errno (ENAMETOOLONG). */
int privcmd_socket_path(char *buf, size_t size);

#endif
