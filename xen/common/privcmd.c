/*
 * The privcmd socket: domain 0's processes reach the core here (DESIGN
 * 3.3; the wire protocol and its rules are in xenon/privcmd.h).
 *
 * Threads. One thread accepts connections; each connection then has a
 * thread of its own that reads one request at a time, runs it and sends
 * the reply. A client that stalls, floods or sends garbage holds up only
 * its own thread; a reply it leaves unread for SEND_TIMEOUT_S seconds
 * ends its connection. Connections are bounded (MAX_CONNS), and so is
 * everything one of them may hold.
 *
 * Hypercalls run on a stand-in vCPU of domain 0 whose arena pointer
 * makes copy_from_guest/copy_to_guest use the connection's arena.
 *
 * Event channels of domain 0 belong to the evtchn connection that bound
 * them (ports[] below). Domain 0's d->evtchn_deliver hook, called by
 * the event-channel code with dom0's event_lock held on whichever thread
 * raised the event, masks the port and writes it to the owner's delivery
 * socket without blocking; what does not fit waits in the connection's
 * backlog until its thread can flush it. Lock order: dom0's event_lock,
 * then port_lock; nothing is called with port_lock held.
 *
 * Grant maps pin the granter's entries with gnttab_pin(), exactly as a
 * grant mapping by domain 0 would, and keep the granter referenced until
 * they are unmapped or the connection closes.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <public/event_channel.h>
#include <public/sched.h>
#include <public/xen.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/privcmd.h>
#include <xen/sched.h>
#include <xenon/privcmd.h>

#define ARENA_SIZE (4u << 20)
#define MAX_CONNS 1024
#define SEND_TIMEOUT_S 5
/* Grants one gnttab connection may hold mapped (Linux gntdev's limit). */
#define MAX_GRANTS 65536
/* Domain 0's ports: the 2-level ABI's 4096. */
#define NR_PORTS 4096
/* The largest reply: a grant map of PRIVCMD_GNTTAB_MAX_REFS refs. */
#define MAX_REPLY                                                              \
    (sizeof(struct privcmd_gnttab_map_reply) +                                 \
     PRIVCMD_GNTTAB_MAX_REFS * sizeof(uint64_t))
#define THREAD_STACK (1u << 20)
/* __HYPERVISOR_dm_op: the one hypercall left to a restricted connection. */
#define HYPERCALL_DM_OP 41

/* The grants of one PRIVCMD_GNTTAB_MAP. */
struct gnt_map {
    struct gnt_map *next;
    uint64_t handle;
    struct domain *rd; /* the granter, referenced */
    bool readonly;
    uint32_t count;
    grant_ref_t refs[];
};

struct conn {
    struct conn *next;
    int fd;
    uint32_t role;  /* enum privcmd_role; 0 until HELLO */
    domid_t target; /* DOMID_INVALID unless restricted */

    /* PRIVCMD_ROLE_HYPERCALL */
    int arena_fd;
    struct privcmd_arena arena;
    struct vcpu *caller; /* the stand-in vCPU, reset per request */

    /* PRIVCMD_ROLE_EVTCHN; the backlog is under port_lock. */
    int deliver_fd;    /* our end of the delivery socket pair */
    int wake_fd;       /* eventfd: the backlog has ports */
    uint32_t *backlog; /* NR_PORTS, a ring */
    unsigned int backlog_head, backlog_len;
    uint64_t queued[NR_PORTS / 64]; /* ports in the backlog: once each */

    /* PRIVCMD_ROLE_GNTTAB */
    struct gnt_map *maps;
    uint32_t nr_grants, max_grants;
    uint64_t next_handle;

    uint8_t *in, *out; /* request, reply */
    bool dead;         /* close after this reply */
};

/* What an evtchn connection bound of domain 0's ports. */
struct port_slot {
    struct conn *owner;
    bool masked;  /* fired, not unmasked yet */
    bool pending; /* fired while masked (or unowned) */
};

static struct {
    bool running;
    int listen_fd, stop_fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    dev_t dev;
    ino_t ino;
    pthread_t acceptor;
    pthread_mutex_t lock; /* conns, nr_conns */
    pthread_cond_t idle;  /* nr_conns dropped */
    struct conn *conns;
    unsigned int nr_conns;
} srv = {
    .listen_fd = -1,
    .stop_fd = -1,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .idle = PTHREAD_COND_INITIALIZER,
};

static pthread_mutex_t port_lock = PTHREAD_MUTEX_INITIALIZER;
static struct port_slot ports[NR_PORTS];

/* ------------------------------------------------------------------------
 * Messages.
 */

/* Send one datagram, with fd (if >= 0) as SCM_RIGHTS. 0 or -errno. */
static int send_msg(int sock, const void *buf, size_t len, int fd)
{
    union {
        char b[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n;

    if (fd >= 0) {
        struct cmsghdr *cm;

        memset(&ctl, 0, sizeof(ctl));
        m.msg_control = ctl.b;
        m.msg_controllen = sizeof(ctl.b);
        cm = CMSG_FIRSTHDR(&m);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &fd, sizeof(int));
    }
    do
        n = sendmsg(sock, &m, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -errno;
    return (size_t)n == len ? 0 : -EIO;
}

/* ------------------------------------------------------------------------
 * Event delivery to evtchn connections.
 */

/* A send failed for want of room (try later), not because the peer went. */
static bool socket_full(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS;
}

/* Hand port to c's delivery socket, or queue it (port_lock held). */
static void push_port(struct conn *c, uint32_t port)
{
    uint64_t bit = 1ULL << (port % 64), one = 1;

    if (c->queued[port / 64] & bit)
        return;
    if (!c->backlog_len) {
        if (send(c->deliver_fd, &port, sizeof(port),
                 MSG_DONTWAIT | MSG_NOSIGNAL) == sizeof(port))
            return;
        if (!socket_full())
            return; /* the client closed its end: nobody to tell */
    }
    /* Each port at most once: the ring cannot overflow. */
    c->backlog[(c->backlog_head + c->backlog_len++) % NR_PORTS] = port;
    c->queued[port / 64] |= bit;
    if (write(c->wake_fd, &one, sizeof(one)) < 0)
        printk(LOG_ERR, "privcmd: cannot wake a connection\n");
}

/* Domain 0's d->evtchn_deliver: a port of a host process fired. */
static void deliver_port(struct domain *d, evtchn_port_t port)
{
    struct port_slot *s;

    (void)d;
    if (port >= NR_PORTS)
        return;
    pthread_mutex_lock(&port_lock);
    s = &ports[port];
    /* Like Linux's evtchn driver: once per fire until unmasked. */
    if (!s->owner || s->masked) {
        s->pending = true;
    } else {
        s->masked = true;
        push_port(s->owner, port);
    }
    pthread_mutex_unlock(&port_lock);
}

/* Send what waits in c's backlog until the socket is full again. */
static void flush_backlog(struct conn *c)
{
    pthread_mutex_lock(&port_lock);
    while (c->backlog_len) {
        uint32_t port = c->backlog[c->backlog_head];
        ssize_t n = send(c->deliver_fd, &port, sizeof(port),
                         MSG_DONTWAIT | MSG_NOSIGNAL);

        if (n < 0 && socket_full())
            break;
        /* Sent, or the client is gone: either way it leaves the queue. */
        c->queued[port / 64] &= ~(1ULL << (port % 64));
        c->backlog_head = (c->backlog_head + 1) % NR_PORTS;
        c->backlog_len--;
    }
    pthread_mutex_unlock(&port_lock);
}

/* c now owns a port it bound; deliver what fired before it knew. */
static void claim_port(struct conn *c, evtchn_port_t port)
{
    struct port_slot *s;

    if (port >= NR_PORTS)
        return;
    pthread_mutex_lock(&port_lock);
    s = &ports[port];
    *s = (struct port_slot){.owner = c, .pending = s->pending};
    if (s->pending) {
        s->pending = false;
        s->masked = true;
        push_port(c, port);
    }
    pthread_mutex_unlock(&port_lock);
}

/*
 * Give up ports c owns (port, or all if port < 0) and close them.
 * Returns the number released.
 */
static unsigned int release_ports(struct conn *c, int port)
{
    unsigned int lo = port < 0 ? 0 : (unsigned int)port;
    unsigned int hi = port < 0 ? NR_PORTS : lo + 1;
    unsigned int *list, n = 0;

    list = malloc((hi - lo) * sizeof(*list));
    if (!list)
        return 0;
    pthread_mutex_lock(&port_lock);
    for (unsigned int p = lo; p < hi; p++)
        if (ports[p].owner == c) {
            ports[p] = (struct port_slot){0};
            list[n++] = p;
        }
    pthread_mutex_unlock(&port_lock);
    for (unsigned int i = 0; i < n; i++)
        evtchn_close(hardware_domain, list[i]);
    free(list);
    return n;
}

static bool owns_port(struct conn *c, uint32_t port)
{
    bool own;

    pthread_mutex_lock(&port_lock);
    own = ports[port].owner == c;
    pthread_mutex_unlock(&port_lock);
    return own;
}

/* PRIVCMD_EVTCHN_UNMASK: deliver again what fired while masked. */
static void unmask_port(struct conn *c, uint32_t port)
{
    struct port_slot *s = &ports[port];

    pthread_mutex_lock(&port_lock);
    if (s->owner == c && s->masked) {
        s->masked = false;
        if (s->pending) {
            s->pending = false;
            s->masked = true;
            push_port(c, port);
        }
    }
    pthread_mutex_unlock(&port_lock);
}

/* ------------------------------------------------------------------------
 * Requests.
 */

/* A restricted connection may name only its own domain. */
static bool may_name(const struct conn *c, uint32_t domid)
{
    return c->target == DOMID_INVALID || domid == c->target;
}

/*
 * Which hypercalls a dom0 process may make: those of Xen's dom0 that
 * make sense for a host process. sched_op only to stop another domain:
 * domain 0's own vCPUs are the host's. A restricted connection may only
 * issue dm_op on its own domain (as Linux's privcmd): every other
 * hypercall can name a domain inside a buffer the client may rewrite
 * while the hypercall reads it.
 */
static long hypercall_allowed(const struct conn *c, uint64_t op,
                              const uint64_t arg[5])
{
    if (c->target != DOMID_INVALID)
        return op == HYPERCALL_DM_OP && (domid_t)arg[0] == c->target ? 0
                                                                     : -EPERM;
    switch (op) {
    case __HYPERVISOR_xen_version:
    case __HYPERVISOR_memory_op:
    case __HYPERVISOR_event_channel_op:
    case __HYPERVISOR_grant_table_op:
    case __HYPERVISOR_hvm_op:
    case __HYPERVISOR_domctl:
    case __HYPERVISOR_sysctl:
    case __HYPERVISOR_console_io:
    case HYPERCALL_DM_OP:
        return 0;
    case __HYPERVISOR_sched_op:
        return (int)arg[0] == SCHEDOP_remote_shutdown ? 0 : -EPERM;
    default:
        return -ENOSYS;
    }
}

static long do_hypercall(struct conn *c, const struct privcmd_hypercall *h)
{
    struct vcpu *v = c->caller;
    long rc;

    if (c->role != PRIVCMD_ROLE_HYPERCALL)
        return -EINVAL;
    rc = hypercall_allowed(c, h->op, h->arg);
    if (rc)
        return rc;
    /* A fresh stand-in each time: no state leaks between requests. */
    memset(v, 0, sizeof(*v));
    v->domain = hardware_domain;
    v->kvm_fd = -1;
    v->processor = -1;
    v->vcpu_info_gfn = INVALID_GFN;
    c->arena.base = h->arena_base;
    v->arena = &c->arena;
    return hypercall_dispatch(v, (unsigned int)h->op, h->arg);
}

/* PRIVCMD_MAP_FOREIGN: the domain's memory fd, referenced until sent. */
static long map_foreign(struct conn *c, uint32_t domid, struct domain **dp,
                        struct privcmd_foreign_reply *r)
{
    struct domain *d;

    if (!may_name(c, domid))
        return -EPERM;
    /* Domain 0 is the host: it has no guest memory to map. */
    if (domid == 0 || domid == DOMID_SELF)
        return -EINVAL;
    d = domid < DOMID_FIRST_RESERVED ? get_domain_by_id(domid) : NULL;
    if (!d)
        return -ESRCH;
    if (__atomic_load_n(&d->state, __ATOMIC_SEQ_CST) == DOMAIN_DYING ||
        d->mem_fd < 0) {
        put_domain(d);
        return -ESRCH;
    }
    r->max_gfn = d->max_gfn;
    *dp = d;
    return 0;
}

static long restrict_to(struct conn *c, uint32_t domid)
{
    if (domid == 0 || domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    /* Irreversible: another domain later is "another domain". */
    if (c->target != DOMID_INVALID)
        return c->target == domid ? 0 : -EPERM;
    c->target = domid;
    return 0;
}

static long evtchn_request(struct conn *c, uint32_t type,
                           const struct privcmd_evtchn *e)
{
    struct domain *d0 = hardware_domain;
    long rc;

    if (c->role != PRIVCMD_ROLE_EVTCHN)
        return -EINVAL;
    switch (type) {
    case PRIVCMD_EVTCHN_BIND_INTERDOMAIN: {
        struct evtchn_bind_interdomain b = {.remote_dom = e->domid,
                                            .remote_port = e->port};

        if (!may_name(c, e->domid))
            return -EPERM;
        if (e->domid > DOMID_MASK)
            return -ESRCH;
        rc = evtchn_bind_interdomain(d0, &b);
        if (!rc) {
            claim_port(c, b.local_port);
            rc = b.local_port;
        }
        return rc;
    }
    case PRIVCMD_EVTCHN_BIND_UNBOUND: {
        struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
                                         .remote_dom = e->domid};

        if (!may_name(c, e->domid))
            return -EPERM;
        if (e->domid > DOMID_MASK)
            return -ESRCH;
        rc = evtchn_alloc_unbound(d0, &a);
        if (!rc) {
            claim_port(c, a.port);
            rc = a.port;
        }
        return rc;
    }
    case PRIVCMD_EVTCHN_BIND_VIRQ: {
        struct evtchn_bind_virq b = {.virq = e->virq, .vcpu = 0};

        /* VIRQs are domain 0's own, not the target's. */
        if (c->target != DOMID_INVALID)
            return -EPERM;
        rc = evtchn_bind_virq(d0, &b);
        if (!rc) {
            claim_port(c, b.port);
            rc = b.port;
        }
        return rc;
    }
    case PRIVCMD_EVTCHN_RESET:
        release_ports(c, -1);
        return 0;
    }
    /* The rest name one of this connection's ports (Linux's errors). */
    if (e->port >= NR_PORTS)
        return -EINVAL;
    switch (type) {
    case PRIVCMD_EVTCHN_UNBIND:
        return release_ports(c, e->port) ? 0 : -ENOTCONN;
    case PRIVCMD_EVTCHN_NOTIFY:
        return owns_port(c, e->port) ? evtchn_send(d0, e->port) : -ENOTCONN;
    default:
        unmask_port(c, e->port);
        return 0;
    }
}

static void unpin_all(struct domain *rd, const grant_ref_t *refs, uint32_t n,
                      bool readonly)
{
    for (uint32_t i = 0; i < n; i++)
        gnttab_unpin(rd, refs[i], readonly);
}

/*
 * PRIVCMD_GNTTAB_MAP: pin every ref as a mapping by domain 0 would (the
 * granter's entry must permit domain 0, and writing unless read-only),
 * all or none. Fills r->gfns; *rd is the granter, for its fd.
 */
static long gnttab_map(struct conn *c, const struct privcmd_gnttab_map *m,
                       size_t len, struct privcmd_gnttab_map_reply *r,
                       struct domain **rdp)
{
    const uint32_t *refs = (const uint32_t *)(m + 1);
    uint64_t *gfns = (uint64_t *)(r + 1);
    bool readonly = !m->writable;
    struct gnt_map *g = NULL;
    struct domain *rd = NULL;
    uint32_t i = 0;
    long rc;

    if (c->role != PRIVCMD_ROLE_GNTTAB)
        return -EINVAL;
    if (!m->count || m->count > PRIVCMD_GNTTAB_MAX_REFS ||
        len != sizeof(*m) + m->count * sizeof(uint32_t))
        return -EINVAL;
    if (!may_name(c, m->domid))
        return -EPERM;
    if (m->count > c->max_grants - MIN(c->max_grants, c->nr_grants))
        return -ENOSPC;
    rd = m->domid < DOMID_FIRST_RESERVED ? get_domain_by_id(m->domid) : NULL;
    if (!rd || __atomic_load_n(&rd->state, __ATOMIC_SEQ_CST) == DOMAIN_DYING) {
        rc = -ESRCH;
        goto out;
    }
    g = malloc(sizeof(*g) + m->count * sizeof(g->refs[0]));
    if (!g) {
        rc = -ENOMEM;
        goto out;
    }
    for (i = 0; i < m->count; i++) {
        uint16_t cache = 0;
        uint64_t gfn;

        if (gnttab_pin(rd, refs[i], 0, readonly, true, &gfn, &cache)) {
            rc = -EINVAL;
            goto out;
        }
        g->refs[i] = refs[i];
        gfns[i] = gfn;
        /* What Xen's p2m refuses for a grant mapping, we refuse too. */
        if (cache) {
            i++;
            rc = -EINVAL;
            goto out;
        }
    }
    *g = (struct gnt_map){.next = c->maps,
                          .handle = c->next_handle++,
                          .rd = rd,
                          .readonly = readonly,
                          .count = m->count};
    c->maps = g;
    c->nr_grants += m->count;
    r->count = m->count;
    *rdp = rd;
    rc = (long)g->handle;
    g = NULL;
    rd = NULL;
out:
    if (g) {
        unpin_all(rd, g->refs, i, readonly);
        free(g);
    }
    if (rd)
        put_domain(rd);
    return rc;
}

static void gnttab_release(struct conn *c, struct gnt_map *g)
{
    unpin_all(g->rd, g->refs, g->count, g->readonly);
    c->nr_grants -= g->count;
    put_domain(g->rd);
    free(g);
}

static long gnttab_unmap(struct conn *c, uint64_t handle)
{
    struct gnt_map **pp;

    if (c->role != PRIVCMD_ROLE_GNTTAB)
        return -EINVAL;
    for (pp = &c->maps; *pp; pp = &(*pp)->next)
        if ((*pp)->handle == handle) {
            struct gnt_map *g = *pp;

            *pp = g->next;
            gnttab_release(c, g);
            return 0;
        }
    return -ENOENT;
}

/* The delivery socket pair of an evtchn connection; the client's end. */
static int evtchn_setup(struct conn *c)
{
    int sv[2], big = 1 << 20;

    c->backlog = calloc(NR_PORTS, sizeof(*c->backlog));
    c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!c->backlog || c->wake_fd < 0 ||
        socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
        return -ENOMEM;
    c->deliver_fd = sv[0];
    /* Room for many ports before the backlog is needed. */
    if (setsockopt(c->deliver_fd, SOL_SOCKET, SO_SNDBUFFORCE, &big,
                   sizeof(big)))
        setsockopt(c->deliver_fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
    return sv[1];
}

/*
 * The hypercall arena, sealed so that the client can neither shrink it
 * under xen's mapping nor grow it. Returns the fd for the client.
 */
static int arena_setup(struct conn *c)
{
    c->caller = calloc(1, sizeof(*c->caller));
    c->arena_fd =
        memfd_create("xen-privcmd-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (!c->caller || c->arena_fd < 0 || ftruncate(c->arena_fd, ARENA_SIZE) ||
        fcntl(c->arena_fd, F_ADD_SEALS,
              F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
        return -ENOMEM;
    c->arena.host = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
                         c->arena_fd, 0);
    if (c->arena.host == MAP_FAILED) {
        c->arena.host = NULL;
        return -ENOMEM;
    }
    c->arena.size = ARENA_SIZE;
    return c->arena_fd;
}

/* HELLO: fix the role; the reply carries the role's fd. */
static long hello(struct conn *c, const struct privcmd_hello *h,
                  struct privcmd_hello_reply *r, int *fd, bool *owned)
{
    int rc;

    r->version = PRIVCMD_VERSION;
    if (c->role)
        return -EPROTO;
    if (h->version != PRIVCMD_VERSION)
        return -EPROTONOSUPPORT;
    switch (h->role) {
    case PRIVCMD_ROLE_HYPERCALL:
        rc = arena_setup(c);
        r->arena_size = ARENA_SIZE;
        break;
    case PRIVCMD_ROLE_EVTCHN:
        rc = evtchn_setup(c);
        *owned = true;
        break;
    case PRIVCMD_ROLE_GNTTAB:
        c->max_grants = MAX_GRANTS;
        rc = -1;
        break;
    default:
        return -EINVAL;
    }
    /* A connection half set up is of no use: it ends with this reply. */
    if (rc < -1) {
        c->dead = true;
        return rc;
    }
    c->role = h->role;
    *fd = rc;
    return 0;
}

/* Request and reply sizes; 0 = variable (checked by the handler). */
static size_t request_size(uint32_t type)
{
    switch (type) {
    case PRIVCMD_HELLO:
        return sizeof(struct privcmd_hello);
    case PRIVCMD_HYPERCALL:
        return sizeof(struct privcmd_hypercall);
    case PRIVCMD_MAP_FOREIGN:
    case PRIVCMD_RESTRICT:
        return sizeof(struct privcmd_domid);
    case PRIVCMD_EVTCHN_BIND_INTERDOMAIN:
    case PRIVCMD_EVTCHN_BIND_UNBOUND:
    case PRIVCMD_EVTCHN_BIND_VIRQ:
    case PRIVCMD_EVTCHN_UNBIND:
    case PRIVCMD_EVTCHN_NOTIFY:
    case PRIVCMD_EVTCHN_UNMASK:
    case PRIVCMD_EVTCHN_RESET:
    case PRIVCMD_GNTTAB_SET_MAX:
        return sizeof(struct privcmd_evtchn);
    case PRIVCMD_GNTTAB_UNMAP:
        return sizeof(struct privcmd_gnttab_unmap);
    default:
        return 0;
    }
}

/*
 * Run one request of len bytes (c->in) and build its reply (c->out).
 * Returns the reply's length; *fd is an fd to pass with it (closed
 * after sending if *owned), *d a domain to put after sending.
 */
static size_t handle(struct conn *c, size_t len, int *fd, bool *owned,
                     struct domain **d)
{
    const struct privcmd_hdr *h = (const void *)c->in;
    struct privcmd_hdr *r = (void *)c->out;
    size_t want = request_size(h->type), rlen = sizeof(*r);
    long rc;

    memset(c->out, 0, sizeof(struct privcmd_hello_reply));
    r->type = h->type;
    r->seq = h->seq;
    if (want ? len != want
             : h->type != PRIVCMD_GNTTAB_MAP ||
                   len < sizeof(struct privcmd_gnttab_map)) {
        rc = h->type > PRIVCMD_GNTTAB_SET_MAX || !h->type ? -ENOSYS : -EINVAL;
        goto out;
    }
    if (!c->role && h->type != PRIVCMD_HELLO) {
        rc = -EPROTO;
        goto out;
    }
    switch (h->type) {
    case PRIVCMD_HELLO:
        rlen = sizeof(struct privcmd_hello_reply);
        rc = hello(c, (const void *)h, (void *)r, fd, owned);
        break;
    case PRIVCMD_HYPERCALL:
        rc = do_hypercall(c, (const void *)h);
        break;
    case PRIVCMD_MAP_FOREIGN:
        rlen = sizeof(struct privcmd_foreign_reply);
        rc = map_foreign(c, ((const struct privcmd_domid *)h)->domid, d,
                         (void *)r);
        if (!rc)
            *fd = (*d)->mem_fd;
        break;
    case PRIVCMD_RESTRICT:
        rc = restrict_to(c, ((const struct privcmd_domid *)h)->domid);
        break;
    case PRIVCMD_GNTTAB_MAP: {
        const struct privcmd_gnttab_map *m = (const void *)h;

        rc = gnttab_map(c, m, len, (void *)r, d);
        if (rc >= 0) {
            rlen = sizeof(struct privcmd_gnttab_map_reply) +
                   m->count * sizeof(uint64_t);
            *fd = (*d)->mem_fd;
            /* The map holds the granter; this reference is the send's. */
            get_domain(*d);
        }
        break;
    }
    case PRIVCMD_GNTTAB_UNMAP:
        rc = gnttab_unmap(c, ((const struct privcmd_gnttab_unmap *)h)->handle);
        break;
    case PRIVCMD_GNTTAB_SET_MAX: {
        uint32_t max = ((const struct privcmd_evtchn *)h)->port;

        rc = c->role != PRIVCMD_ROLE_GNTTAB ? -EINVAL
             : max > MAX_GRANTS             ? -E2BIG
                                            : 0;
        if (!rc)
            c->max_grants = max;
        break;
    }
    default:
        rc = evtchn_request(c, h->type, (const void *)h);
        break;
    }
out:
    r->rc = rc;
    /* An error has no payload: a bare header, as the client expects. */
    if (rc < 0) {
        rlen = sizeof(*r);
        if (*owned && *fd >= 0)
            close(*fd);
        *fd = -1;
        *owned = false;
    }
    return rlen;
}

/* ------------------------------------------------------------------------
 * Connections.
 */

static void conn_free(struct conn *c)
{
    struct conn **pp;

    pthread_mutex_lock(&srv.lock);
    for (pp = &srv.conns; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    pthread_mutex_unlock(&srv.lock);

    if (c->role == PRIVCMD_ROLE_EVTCHN)
        release_ports(c, -1);
    while (c->maps) {
        struct gnt_map *g = c->maps;

        c->maps = g->next;
        gnttab_release(c, g);
    }
    if (c->arena.host)
        munmap(c->arena.host, ARENA_SIZE);
    if (c->arena_fd >= 0)
        close(c->arena_fd);
    if (c->deliver_fd >= 0)
        close(c->deliver_fd);
    if (c->wake_fd >= 0)
        close(c->wake_fd);
    close(c->fd);
    free(c->backlog);
    free(c->caller);
    free(c->in);
    free(c->out);
    free(c);

    pthread_mutex_lock(&srv.lock);
    srv.nr_conns--;
    pthread_cond_broadcast(&srv.idle);
    pthread_mutex_unlock(&srv.lock);
}

/* Read one request and answer it. false when the connection is done. */
static bool serve_one(struct conn *c)
{
    struct iovec iov = {.iov_base = c->in, .iov_len = PRIVCMD_MAX_MSG};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    struct domain *d = NULL;
    bool owned = false, ok;
    int fd = -1;
    ssize_t n;
    size_t rlen;

    n = recvmsg(c->fd, &m, MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    /* End of stream, or not even a header: the client is broken. */
    if ((size_t)n < sizeof(struct privcmd_hdr))
        return false;
    if (m.msg_flags & MSG_TRUNC) {
        struct privcmd_hdr *r = (void *)c->out;

        *r = *(struct privcmd_hdr *)c->in;
        r->rc = -EMSGSIZE;
        return !send_msg(c->fd, r, sizeof(*r), -1);
    }
    rlen = handle(c, n, &fd, &owned, &d);
    ok = !send_msg(c->fd, c->out, rlen, fd) && !c->dead;
    if (owned)
        close(fd);
    if (d)
        put_domain(d);
    return ok;
}

static void *conn_main(void *arg)
{
    struct conn *c = arg;

    for (;;) {
        struct pollfd p[4] = {
            {.fd = c->fd, .events = POLLIN},
            {.fd = srv.stop_fd, .events = POLLIN},
            {.fd = c->wake_fd, .events = POLLIN},
            {.fd = -1},
        };
        unsigned int np = c->wake_fd >= 0 ? 3 : 2;
        bool backlog;

        pthread_mutex_lock(&port_lock);
        backlog = c->backlog_len;
        pthread_mutex_unlock(&port_lock);
        if (backlog)
            p[np++] = (struct pollfd){.fd = c->deliver_fd, .events = POLLOUT};
        if (poll(p, np, -1) < 0)
            continue;
        if (p[1].revents)
            break;
        if (np > 2 && p[2].revents) {
            uint64_t v;

            if (read(c->wake_fd, &v, sizeof(v)) < 0)
                v = 0;
        }
        if (np > 3 && p[3].revents)
            flush_backlog(c);
        if (p[0].revents && !serve_one(c))
            break;
    }
    conn_free(c);
    return NULL;
}

static struct conn *conn_new(int fd)
{
    struct conn *c = calloc(1, sizeof(*c));
    struct timeval tv = {.tv_sec = SEND_TIMEOUT_S};

    if (!c)
        return NULL;
    c->fd = fd;
    c->target = DOMID_INVALID;
    c->arena_fd = c->deliver_fd = c->wake_fd = -1;
    c->in = malloc(PRIVCMD_MAX_MSG);
    c->out = malloc(MAX_REPLY);
    if (!c->in || !c->out) {
        free(c->in);
        free(c->out);
        free(c);
        return NULL;
    }
    /* A client that leaves its replies unread loses its connection. */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return c;
}

/* Only our own user (root) may talk to us, whatever the file mode says. */
static bool peer_allowed(int fd)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);

    return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) &&
           cred.uid == geteuid();
}

static void accept_one(void)
{
    int fd = accept4(srv.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    pthread_attr_t attr;
    pthread_t t;
    struct conn *c;

    if (fd < 0)
        return;
    pthread_mutex_lock(&srv.lock);
    if (srv.nr_conns >= MAX_CONNS || !peer_allowed(fd) || !(c = conn_new(fd))) {
        pthread_mutex_unlock(&srv.lock);
        gprintk(LOG_WARNING, "privcmd: connection refused\n");
        close(fd);
        return;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, THREAD_STACK);
    if (pthread_create(&t, &attr, conn_main, c)) {
        pthread_mutex_unlock(&srv.lock);
        pthread_attr_destroy(&attr);
        free(c->in);
        free(c->out);
        free(c);
        close(fd);
        return;
    }
    pthread_attr_destroy(&attr);
    c->next = srv.conns;
    srv.conns = c;
    srv.nr_conns++;
    pthread_mutex_unlock(&srv.lock);
}

static void *acceptor_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd p[2] = {
            {.fd = srv.listen_fd, .events = POLLIN},
            {.fd = srv.stop_fd, .events = POLLIN},
        };

        if (poll(p, 2, -1) < 0)
            continue;
        if (p[1].revents)
            return NULL;
        if (p[0].revents)
            accept_one();
    }
}

/* ------------------------------------------------------------------------
 * Start and stop.
 */

/* A socket at path that a live xen answers on. */
static bool socket_is_live(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    bool live;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    live = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    if (fd >= 0)
        close(fd);
    return live;
}

static int open_socket(const char *dir)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct stat st;
    int fd = -1, n;

    n = snprintf(srv.path, sizeof(srv.path), "%s/%s", dir, PRIVCMD_SOCKET_NAME);
    if (n < 0 || (size_t)n >= sizeof(srv.path))
        return -ENAMETOOLONG;
    if (mkdir(dir, 0700) && errno != EEXIST)
        return -errno;
    if (!lstat(srv.path, &st)) {
        /* Another xen serves this directory: leave it be. */
        if (!S_ISSOCK(st.st_mode) || socket_is_live(srv.path))
            return -EADDRINUSE;
        unlink(srv.path);
    }
    memcpy(sa.sun_path, srv.path, sizeof(srv.path));
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(srv.path, 0600) ||
        listen(fd, 64) || stat(srv.path, &st)) {
        n = -errno;
        close(fd);
        return n;
    }
    srv.dev = st.st_dev;
    srv.ino = st.st_ino;
    return fd;
}

bool privcmd_init(void)
{
    const char *dir = getenv("XEN_RUN_DIR");
    int fd;

    if (!dir || !*dir)
        dir = "/run/xen";
    fd = open_socket(dir);
    if (fd < 0) {
        printk(LOG_WARNING,
               "privcmd: cannot serve %s/%s: %s; running "
               "without a control socket\n",
               dir, PRIVCMD_SOCKET_NAME, strerror(-fd));
        return false;
    }
    srv.listen_fd = fd;
    srv.stop_fd = eventfd(0, EFD_CLOEXEC);
    /* Domain 0's ports are the connections' from the first one on. */
    hardware_domain->evtchn_deliver = deliver_port;
    if (srv.stop_fd < 0 ||
        pthread_create(&srv.acceptor, NULL, acceptor_main, NULL)) {
        printk(LOG_ERR, "privcmd: cannot start\n");
        close(srv.listen_fd);
        unlink(srv.path);
        srv.listen_fd = -1;
        hardware_domain->evtchn_deliver = NULL;
        return false;
    }
    srv.running = true;
    printk(LOG_INFO, "privcmd: serving %s\n", srv.path);
    return true;
}

void privcmd_stop(void)
{
    uint64_t one = 1;
    struct stat st;

    if (!srv.running)
        return;
    /* The stop fd stays readable: every thread sees it. */
    if (write(srv.stop_fd, &one, sizeof(one)) < 0)
        printk(LOG_ERR, "privcmd: cannot stop the connections\n");
    pthread_join(srv.acceptor, NULL);
    pthread_mutex_lock(&srv.lock);
    /* Unblock any thread stuck sending to a client. */
    for (struct conn *c = srv.conns; c; c = c->next)
        shutdown(c->fd, SHUT_RDWR);
    while (srv.nr_conns)
        pthread_cond_wait(&srv.idle, &srv.lock);
    pthread_mutex_unlock(&srv.lock);
    close(srv.listen_fd);
    close(srv.stop_fd);
    /* Remove the socket only if it is still ours. */
    if (!stat(srv.path, &st) && st.st_dev == srv.dev && st.st_ino == srv.ino)
        unlink(srv.path);
    srv.running = false;
}
