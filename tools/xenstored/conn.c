/*
 * Connections: message framing in, queued output out. A connection's
 * transport (the Unix socket or a guest's ring) is behind conn_ops. Every
 * buffer is bounded; a peer breaking the protocol or not reading its
 * output loses its own connection and nothing else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "xenstored.h"

struct list connections = LIST_INIT(connections);
static struct list dirty = LIST_INIT(dirty);

/* Output a privileged client may leave unread before it is dropped. */
#define PRIV_OUT_MAX (64u << 20)

struct conn *conn_new(const struct conn_ops *ops, int fd, unsigned int id)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->in = malloc(CONN_IN_SIZE);
    if (!c->in) {
        free(c);
        return NULL;
    }
    c->ops = ops;
    c->fd = fd;
    c->id = id;
    c->privileged = id == 0;
    c->next_txid = 1;
    list_init(&c->out);
    list_init(&c->dirty);
    list_init(&c->watches);
    list_init(&c->txns);
    list_add_tail(&c->link, &connections);
    return c;
}

static void out_free_all(struct conn *c)
{
    struct outbuf *o, *n;

    list_for_each_safe(o, n, &c->out, struct outbuf, link)
    {
        list_del(&o->link);
        free(o);
    }
    c->out_bytes = 0;
    c->outstanding = 0;
}

void conn_reset(struct conn *c)
{
    struct txn *t, *n;

    watch_del_all(c);
    list_for_each_safe(t, n, &c->txns, struct txn, link)
    {
        txn_free(t);
    }
    if (c->dom)
        c->dom->ntransactions = 0;
    out_free_all(c);
    c->in_used = 0;
}

void conn_free(struct conn *c)
{
    conn_reset(c);
    list_del(&c->dirty);
    list_del(&c->link);
    if (c->ops->close)
        c->ops->close(c);
    free(c->in);
    free(c);
}

void conn_drop(struct conn *c, int code, const char *why)
{
    if (c->dead)
        return;
    /* A client closing its socket is normal; anything else is news. */
    if (c->dom || verbose)
        xsd_log("connection of domain %u dropped: %s", c->id, why);
    c->dead = true;
    if (c->ops->fail)
        c->ops->fail(c, code);
}

int send_msg(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
             const void *a, unsigned int alen, const void *b, unsigned int blen,
             bool is_reply)
{
    struct xsd_sockmsg hdr = {type, req_id, tx_id, alen + blen};
    unsigned int limit = c->privileged ? PRIV_OUT_MAX : quota.memory;
    struct outbuf *o;

    if (c->dead)
        return -EPIPE;
    if (c->out_bytes + sizeof(hdr) + alen + blen > limit) {
        conn_drop(c, XENSTORE_ERROR_COMM, "too much unread output");
        return -ENOSPC;
    }
    o = malloc(sizeof(*o) + sizeof(hdr) + alen + blen);
    if (!o) {
        conn_drop(c, XENSTORE_ERROR_COMM, "out of memory");
        return -ENOMEM;
    }
    o->len = sizeof(hdr) + alen + blen;
    o->off = 0;
    o->is_reply = is_reply;
    memcpy(o->data, &hdr, sizeof(hdr));
    if (alen)
        memcpy(o->data + sizeof(hdr), a, alen);
    if (blen)
        memcpy(o->data + sizeof(hdr) + alen, b, blen);
    list_add_tail(&o->link, &c->out);
    c->out_bytes += o->len;
    if (is_reply)
        c->outstanding++;
    if (!list_linked(&c->dirty))
        list_add_tail(&c->dirty, &dirty);
    return 0;
}

static void out_done(struct conn *c, struct outbuf *o)
{
    list_del(&o->link);
    c->out_bytes -= o->len;
    if (o->is_reply)
        c->outstanding--;
    free(o);
}

/* Sockets: many messages per system call. */
static int flush_socket(struct conn *c)
{
    struct iovec iov[64];
    struct outbuf *o;
    unsigned int n = 0;
    ssize_t r;

    list_for_each(o, &c->out, struct outbuf, link)
    {
        iov[n].iov_base = o->data + o->off;
        iov[n].iov_len = o->len - o->off;
        if (++n == 64)
            break;
    }
    if (!n)
        return 0;
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = n};
    r = sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    while (r > 0) {
        o = list_first(&c->out, struct outbuf, link);
        unsigned int left = o->len - o->off;
        if ((size_t)r < left) {
            o->off += r;
            break;
        }
        r -= left;
        out_done(c, o);
    }
    return 1;
}

static int flush_generic(struct conn *c)
{
    struct outbuf *o;
    int r, did = 0;

    while ((o = list_first(&c->out, struct outbuf, link))) {
        r = c->ops->write(c, o->data + o->off, o->len - o->off);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        did = 1;
        o->off += r;
        if (o->off == o->len)
            out_done(c, o);
    }
    return did;
}

void conn_flush(struct conn *c)
{
    unsigned int before = c->outstanding;
    int r = 0;

    if (c->dead)
        return;
    do {
        r = c->ops->write ? flush_generic(c) : flush_socket(c);
    } while (r > 0 && !list_empty(&c->out) && !c->ops->write);
    if (r < 0) {
        conn_drop(c, XENSTORE_ERROR_COMM, "write failed");
        return;
    }
    /* What is left waits for EPOLLOUT or the guest's next event. */
    c->stalled_out = !list_empty(&c->out);
    list_del(&c->dirty);
    /* Requests held back by the outstanding quota may go on now. */
    if (!c->privileged && before >= quota.outstanding &&
        c->outstanding < quota.outstanding && c->in_used)
        conn_input(c);
}

/*
 * Flushing may run requests (a domain held back by its quota resumes),
 * and those may free other connections: take one at a time off the list.
 */
void conns_flush_dirty(void)
{
    struct conn *c;

    while ((c = list_first(&dirty, struct conn, dirty))) {
        list_del(&c->dirty);
        conn_flush(c);
    }
}

/* Parse and run every complete request in the input buffer. */
static void conn_parse(struct conn *c)
{
    unsigned int off = 0;

    while (!c->dead && c->in_used - off >= sizeof(struct xsd_sockmsg)) {
        struct xsd_sockmsg hdr;
        unsigned char *body, saved;

        if (!c->privileged && c->outstanding >= quota.outstanding)
            break;
        memcpy(&hdr, c->in + off, sizeof(hdr));
        if (hdr.len > XENSTORE_PAYLOAD_MAX) {
            conn_drop(c, XENSTORE_ERROR_PROTO, "message too long");
            return;
        }
        if (c->in_used - off < sizeof(hdr) + hdr.len)
            break;
        body = c->in + off + sizeof(hdr);
        /* Handlers may treat the body as a string: terminate it. */
        saved = body[hdr.len];
        body[hdr.len] = 0;
        process_request(c, &hdr, (char *)body);
        body[hdr.len] = saved;
        off += sizeof(hdr) + hdr.len;
    }
    if (off) {
        memmove(c->in, c->in + off, c->in_used - off);
        c->in_used -= off;
    }
}

void conn_input(struct conn *c)
{
    for (int rounds = 0; rounds < 8 && !c->dead; rounds++) {
        unsigned int space = CONN_IN_SIZE - c->in_used;
        int n;

        if (!c->privileged && c->outstanding >= quota.outstanding)
            break;
        if (!space)
            break;
        n = c->ops->read(c, c->in + c->in_used, space);
        if (n < 0) {
            conn_drop(c, XENSTORE_ERROR_COMM, "closed");
            return;
        }
        c->in_used += n;
        conn_parse(c);
        if ((unsigned int)n < space)
            break;
    }
}

/* Free dropped socket connections; a domain's stays, ignored, until
 * the toolstack releases or reintroduces the domain. */
void conns_reap(void)
{
    struct conn *c, *n;

    list_for_each_safe(c, n, &connections, struct conn, link)
    {
        if (!c->dead)
            continue;
        if (c->dom) {
            if (c->in_used || !list_empty(&c->out) || !list_empty(&c->watches))
                conn_reset(c);
            list_del(&c->dirty);
        } else {
            conn_free(c);
        }
    }
}
