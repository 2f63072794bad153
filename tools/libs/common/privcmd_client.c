/* The client end of the privcmd socket (see privcmd_client.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "privcmd_client.h"

int privcmd_socket_path(char *buf, size_t size)
{
    const char *dir = getenv("XEN_RUN_DIR");
    int n;

    if (!dir || !*dir)
        dir = "/run/xen";
    n = snprintf(buf, size, "%s/%s", dir, PRIVCMD_SOCKET_NAME);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* Close every fd in the SCM_RIGHTS of @msg except the first, returned. */
static int take_fd(struct msghdr *msg)
{
    struct cmsghdr *cm;
    int fd = -1;

    for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
        size_t i, n;

        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
            continue;
        n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < n; i++) {
            int f;

            memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            if (fd < 0)
                fd = f;
            else
                close(f);
        }
    }
    return fd;
}

/*
 * One request, one reply, under c->lock. The reply lands in @reply
 * (at least a header's room). Returns the reply's rc if it is >= 0,
 * else -1 with errno set.
 */
static int64_t transact(struct privcmd_conn *c, uint32_t type, void *req,
                        size_t req_len, void *reply, size_t reply_size,
                        size_t *reply_len, int *fd, int cloexec)
{
    struct privcmd_hdr *hdr = req, *rhdr = reply;
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(4 * sizeof(int))];
    } ctl;
    struct iovec iov;
    struct msghdr msg;
    ssize_t n;
    int64_t rc = -1;
    int got_fd = -1;

    pthread_mutex_lock(&c->lock);
    if (c->sock < 0) {
        errno = EBADF;
        goto out;
    }
    hdr->type = type;
    hdr->seq = ++c->seq;
    hdr->rc = 0;
    do
        n = send(c->sock, req, req_len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EPIPE)
            errno = ECONNRESET;
        goto out;
    }

    iov.iov_base = reply;
    iov.iov_len = reply_size;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof(ctl.buf);
    do
        n = recvmsg(c->sock, &msg, cloexec ? MSG_CMSG_CLOEXEC : 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        goto out;
    got_fd = take_fd(&msg);
    if (n == 0) {
        errno = ECONNRESET;
        goto out;
    }
    if ((size_t)n < sizeof(*rhdr) ||
        (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || rhdr->type != type ||
        rhdr->seq != hdr->seq) {
        errno = EPROTO;
        goto out;
    }
    if (rhdr->rc < 0) {
        errno = rhdr->rc < -4095 ? EPROTO : (int)-rhdr->rc;
        goto out;
    }
    if (reply_len)
        *reply_len = n;
    if (fd) {
        *fd = got_fd;
        got_fd = -1;
    }
    rc = rhdr->rc;
out:
    pthread_mutex_unlock(&c->lock);
    if (got_fd >= 0) {
        int saved = errno;

        close(got_fd);
        errno = saved;
    }
    return rc;
}

int64_t privcmd_conn__call(struct privcmd_conn *c, uint32_t type, void *req,
                           size_t req_len, void *reply, size_t reply_size,
                           size_t *reply_len, int *fd)
{
    struct privcmd_hdr bare;

    if (fd)
        *fd = -1;
    if (!reply || reply_size < sizeof(bare)) {
        reply = &bare;
        reply_size = sizeof(bare);
    }
    return transact(c, type, req, req_len, reply, reply_size, reply_len, fd, 1);
}

int privcmd_conn__open(struct privcmd_conn *c, uint32_t role, int cloexec,
                       void *reply, size_t reply_size, int *fd)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct privcmd_hello hello = {
        .version = PRIVCMD_VERSION,
        .role = role,
    };
    struct privcmd_hello_reply *r = reply;
    int rc = -1, saved;

    *fd = -1;
    c->sock = -1;
    c->seq = 0;
    pthread_mutex_init(&c->lock, NULL);
    if (privcmd_socket_path(sa.sun_path, sizeof(sa.sun_path)) < 0)
        goto out;
    c->sock = socket(AF_UNIX, SOCK_SEQPACKET | (cloexec ? SOCK_CLOEXEC : 0), 0);
    if (c->sock < 0)
        goto out;
    if (connect(c->sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        goto out;
    if (transact(c, PRIVCMD_HELLO, &hello, sizeof(hello), reply, reply_size,
                 NULL, fd, cloexec) < 0)
        goto out;
    if (r->version != PRIVCMD_VERSION) {
        errno = EPROTO;
        goto out;
    }
    rc = 0;
out:
    if (rc) {
        saved = errno;
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        privcmd_conn__close(c);
        errno = saved;
    }
    return rc;
}

/* The lock is a default mutex, which holds no resources: it stays. */
void privcmd_conn__close(struct privcmd_conn *c)
{
    if (c->sock >= 0)
        close(c->sock);
    c->sock = -1;
}

int privcmd_conn__restrict(struct privcmd_conn *c, uint32_t domid)
{
    struct privcmd_domid req = {.domid = domid};

    return privcmd_conn__call(c, PRIVCMD_RESTRICT, &req, sizeof(req), NULL, 0,
                              NULL, NULL) < 0
               ? -1
               : 0;
}
