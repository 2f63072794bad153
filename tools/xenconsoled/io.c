/*
 * Domains and the poll loop.
 *
 * @introduceDomain and @releaseDomain make us enumerate the domains
 * (xc_domain_getinfo); each live one gets a watch on its console node,
 * and whenever that changes we (re)connect: map the ring, bind its port,
 * make the pty. A domain no longer listed, or dying, is disconnected.
 *
 * One event channel handle carries every domain's port and VIRQ_CON_RING.
 * A fired port stays masked until we unmask it, which is how a domain is
 * rate limited (RATE_LIMIT_ALLOWANCE events per RATE_LIMIT_PERIOD, as
 * Xen's xenconsoled) and how --overflow-data=keep stops reading a ring
 * whose output nobody reads: the guest then waits, others go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "xenconsoled.h"

#define RATE_LIMIT_ALLOWANCE 30 /* events per period */
#define RATE_LIMIT_PERIOD 200   /* ms */
/*
 * Bound on buffered output when the toolstack wrote no "limit" (Xen
 * leaves it unbounded): libxl's LIBXL_XENCONSOLE_LIMIT.
 */
#define DEFAULT_LIMIT 1048576

struct domain {
    unsigned int domid;
    bool is_dead;
    unsigned int last_seen; /* enum_pass that listed it */
    struct domain *next;
    char *conspath; /* /local/domain/N/console */

    struct xencons_interface *intf;
    bool intf_from_gnttab;
    long long ring_ref;          /* gfn mapped; -1: none or a grant */
    int local_port, remote_port; /* -1: not bound */
    bool port_masked;            /* fired, left masked */
    int event_count;             /* this period */
    long long next_period;       /* ms */
    bool warned_corrupt;

    int master_fd, slave_fd;
    int master_pollfd_idx;
    int log_fd;
    bool log_need_ts;
    struct buffer buffer;
};

static struct xs_handle *xs;
static xc_interface *xc;
static xencall_handle *xcall;
static xenforeignmemory_handle *xfm;
static xengnttab_handle *xgt; /* optional: rings then come from gfns */
static xenevtchn_handle *xce;
static struct domain *dom_head;
static unsigned int enum_pass;

static int hv_port = -1;
static int hv_log_fd = -1;
static bool hv_need_ts;
static uint32_t hv_index;

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static bool domain_is_valid(unsigned int domid)
{
    xc_dominfo_t info;

    return xc_domain_getinfo(xc, domid, 1, &info) == 1 && info.domid == domid &&
           !info.dying;
}

/* Whether our port is still connected (the guest may have closed its end). */
static bool port_is_connected(int port)
{
    evtchn_status_t *st = xencall_alloc_buffer(xcall, sizeof(*st));
    bool ok;

    if (!st)
        return false;
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    ok = !xencall2(xcall, __HYPERVISOR_event_channel_op, EVTCHNOP_status,
                   (uintptr_t)st) &&
         st->status == EVTCHNSTAT_interdomain;
    xencall_free_buffer(xcall, st);
    return ok;
}

/* A node under the console path; NULL (errno set) if absent. */
static char *read_node(struct domain *d, const char *name)
{
    char path[128];
    unsigned int len;

    snprintf(path, sizeof(path), "%s/%s", d->conspath, name);
    return xs_read(xs, XBT_NULL, path, &len);
}

/* A whole decimal (or 0x hex) number no greater than max; false if not. */
static bool parse_number(const char *s, unsigned long long max,
                         unsigned long long *val)
{
    char *end;

    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    *val = strtoull(s, &end, 0);
    return !errno && !*end && *val <= max;
}

/* ---- The pty ---- */

static void console_close_tty(struct domain *d)
{
    if (d->master_fd != -1)
        close(d->master_fd);
    if (d->slave_fd != -1)
        close(d->slave_fd);
    d->master_fd = d->slave_fd = -1;
}

/*
 * A raw pty for the domain, its name in console/tty. We keep the slave
 * open too: without it the master reads EIO whenever no client is there.
 */
static bool console_create_tty(struct domain *d)
{
    unsigned long long limit;
    struct termios term;
    char path[128], *s;
    const char *name;

    if (openpty(&d->master_fd, &d->slave_fd, NULL, NULL, NULL) < 0) {
        dolog(LOG_ERR, "Failed to create tty for domain-%u (errno = %i, %s)",
              d->domid, errno, strerror(errno));
        d->master_fd = d->slave_fd = -1;
        return false;
    }
    if (tcgetattr(d->slave_fd, &term) < 0) {
        dolog(LOG_ERR,
              "Failed to get tty attributes for domain-%u (errno = %i, %s)",
              d->domid, errno, strerror(errno));
        goto fail;
    }
    cfmakeraw(&term);
    if (tcsetattr(d->slave_fd, TCSANOW, &term) < 0) {
        dolog(LOG_ERR,
              "Failed to set tty attributes for domain-%u (errno = %i, %s)",
              d->domid, errno, strerror(errno));
        goto fail;
    }
    name = ptsname(d->master_fd);
    if (!name) {
        dolog(LOG_ERR,
              "Failed to get slave name for domain-%u (errno = %i, %s)",
              d->domid, errno, strerror(errno));
        goto fail;
    }
    s = read_node(d, "limit");
    d->buffer.max_capacity =
        parse_number(s, SIZE_MAX, &limit) && limit ? limit : DEFAULT_LIMIT;
    free(s);
    snprintf(path, sizeof(path), "%s/tty", d->conspath);
    if (!xs_write(xs, XBT_NULL, path, name, strlen(name))) {
        dolog(LOG_ERR, "Failed to write %s: %s", path, strerror(errno));
        goto fail;
    }
    if (fcntl(d->master_fd, F_SETFL, O_NONBLOCK) < 0 ||
        fcntl(d->master_fd, F_SETFD, FD_CLOEXEC) < 0 ||
        fcntl(d->slave_fd, F_SETFD, FD_CLOEXEC) < 0)
        goto fail;
    return true;
fail:
    console_close_tty(d);
    return false;
}

/* ---- Guest log ---- */

static void console_close_log(struct domain *d)
{
    if (d->log_fd != -1)
        close(d->log_fd);
    d->log_fd = -1;
}

/* guest-NAME.log, NAME from /local/domain/N/name. */
static void console_open_log(struct domain *d)
{
    char path[64], file[300];
    unsigned int len;
    char *name;

    snprintf(path, sizeof(path), "/local/domain/%u/name", d->domid);
    name = xs_read(xs, XBT_NULL, path, &len);
    if (!name || !len) {
        free(name);
        return;
    }
    /* The name becomes a file name: nothing that leaves log_dir. */
    if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
        len > 255 - strlen("guest-.log")) {
        dolog(LOG_ERR, "Domain %u: not logging under the name \"%s\"", d->domid,
              name);
        free(name);
        return;
    }
    snprintf(file, sizeof(file), "guest-%s.log", name);
    free(name);
    d->log_fd = log_open(file, log_time_guest, &d->log_need_ts);
}

/* ---- The ring and its port ---- */

static void console_unmap(struct domain *d)
{
    if (!d->intf)
        return;
    if (d->intf_from_gnttab)
        xengnttab_unmap(xgt, d->intf, 1);
    else
        xenforeignmemory_unmap(xfm, d->intf, 1);
    d->intf = NULL;
    d->ring_ref = -1;
}

static void console_unbind(struct domain *d)
{
    if (d->local_port != -1)
        xenevtchn_unbind(xce, d->local_port);
    d->local_port = d->remote_port = -1;
    d->port_masked = false;
}

/* Whether the domain may have its port unmasked now. */
static bool may_read_ring(const struct domain *d)
{
    const struct buffer *b = &d->buffer;

    return d->event_count < RATE_LIMIT_ALLOWANCE &&
           (discard_overflowed_data || !b->max_capacity ||
            b->size < b->max_capacity);
}

/* Guest output: ring -> buffer (-> log); the pty gets it on POLLOUT. */
static void handle_ring(struct domain *d)
{
    struct buffer *b = &d->buffer;
    int n;

    if (d->is_dead || !d->intf)
        return;
    n = buffer_take_ring(b, d->intf);
    if (n == -EIO) {
        if (!d->warned_corrupt)
            dolog(LOG_WARNING,
                  "Domain %u: console ring indices out of range "
                  "(out_cons %u, out_prod %u); ignoring its output",
                  d->domid, d->intf->out_cons, d->intf->out_prod);
        d->warned_corrupt = true;
        return;
    }
    if (n == -ENOMEM) {
        dolog(LOG_ERR, "Domain %u: no memory for console output", d->domid);
        return;
    }
    if (n == 0)
        return;
    d->warned_corrupt = false;
    xenevtchn_notify(xce, d->local_port);
    /* Log now: with nobody on the pty the buffer may be cut or stall. */
    if (d->log_fd != -1 && log_write(d->log_fd, b->data + b->size - n, n,
                                     log_time_guest, &d->log_need_ts) < 0)
        dolog(LOG_ERR, "Write to log failed on domain %u: %d (%s)", d->domid,
              errno, strerror(errno));
    if (discard_overflowed_data)
        buffer_discard_overflow(b);
}

static void domain_unmask(struct domain *d)
{
    if (!d->port_masked)
        return;
    d->port_masked = false;
    xenevtchn_unmask(xce, d->local_port);
    /* What came while masked is redelivered; what sat in the ring is here. */
    handle_ring(d);
}

/*
 * (Re)connect to what console/ring-ref and console/port say. Called for
 * a new domain and whenever its console node changes (our own tty write
 * included: then nothing has changed and nothing is done).
 */
static void console_create_ring(struct domain *d)
{
    unsigned long long ring_ref, port;
    char *ref_s = read_node(d, "ring-ref");
    char *port_s = read_node(d, "port");
    char *type = read_node(d, "type");
    xen_pfn_t pfn;
    int rc;

    if (!ref_s || !port_s)
        goto out; /* not written yet */
    /* Another backend (e.g. "ioemu") serves this console. */
    if (type && strcmp(type, "xenconsoled"))
        goto out;
    if (!parse_number(ref_s, (1ULL << 52) - 1, &ring_ref) ||
        !parse_number(port_s, INT32_MAX, &port) || !port) {
        dolog(LOG_ERR,
              "Domain %u: bad console ring-ref \"%.32s\" or port "
              "\"%.32s\"",
              d->domid, ref_s, port_s);
        goto out;
    }
    if (d->intf && !d->intf_from_gnttab && (long long)ring_ref != d->ring_ref)
        console_unmap(d);
    if (!d->intf && xgt) {
        /* The builder granted the ring to us: the way Xen prefers. */
        d->intf = xengnttab_map_grant_ref(
            xgt, d->domid, GNTTAB_RESERVED_CONSOLE, PROT_READ | PROT_WRITE);
        d->intf_from_gnttab = d->intf != NULL;
        d->ring_ref = -1;
    }
    if (!d->intf) {
        pfn = ring_ref;
        d->intf = xenforeignmemory_map(xfm, d->domid, PROT_READ | PROT_WRITE, 1,
                                       &pfn, NULL);
        if (!d->intf) {
            dolog(LOG_ERR, "Domain %u: cannot map console ring gfn %#llx: %s",
                  d->domid, ring_ref, strerror(errno));
            goto out;
        }
        d->ring_ref = ring_ref;
    }
    if (d->local_port == -1 || (int)port != d->remote_port ||
        !port_is_connected(d->local_port)) {
        console_unbind(d);
        rc = xenevtchn_bind_interdomain(xce, d->domid, port);
        if (rc < 0) {
            dolog(LOG_ERR, "Domain %u: cannot bind console port %llu: %s",
                  d->domid, port, strerror(errno));
            goto out;
        }
        d->local_port = rc;
        d->remote_port = port;
    }
    if (d->master_fd == -1 && !console_create_tty(d)) {
        console_unbind(d);
        goto out;
    }
    if (log_guest && d->log_fd == -1)
        console_open_log(d);
    /* Output the guest wrote before we were bound (or back) has no event. */
    handle_ring(d);
out:
    free(ref_s);
    free(port_s);
    free(type);
}

/* ---- Domains ---- */

static struct domain *lookup_domain(unsigned int domid)
{
    struct domain *d;

    for (d = dom_head; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

static bool watch_domain(struct domain *d, bool watch)
{
    char token[16];

    snprintf(token, sizeof(token), "dom%u", d->domid);
    if (!watch)
        return xs_unwatch(xs, d->conspath, token);
    if (!xs_watch(xs, d->conspath, token))
        return false;
    console_create_ring(d);
    return true;
}

static struct domain *create_domain(unsigned int domid)
{
    struct domain *d = calloc(1, sizeof(*d));
    char *path;

    if (!d) {
        dolog(LOG_ERR, "Out of memory for domain %u", domid);
        return NULL;
    }
    d->domid = domid;
    d->ring_ref = -1;
    d->local_port = d->remote_port = -1;
    d->master_fd = d->slave_fd = d->log_fd = -1;
    d->master_pollfd_idx = -1;
    d->next_period = now_ms() + RATE_LIMIT_PERIOD;
    path = xs_get_domain_path(xs, domid);
    if (!path || asprintf(&d->conspath, "%s/console", path) < 0) {
        dolog(LOG_ERR, "Out of memory for domain %u", domid);
        free(path);
        free(d);
        return NULL;
    }
    free(path);
    d->next = dom_head;
    dom_head = d;
    dolog(LOG_DEBUG, "New domain %u", domid);
    if (!watch_domain(d, true))
        dolog(LOG_ERR, "Cannot watch %s: %s", d->conspath, strerror(errno));
    return d;
}

/* The domain is gone: let go of its memory and port at once. */
static void shutdown_domain(struct domain *d)
{
    d->is_dead = true;
    watch_domain(d, false);
    console_unmap(d);
    console_unbind(d);
}

/* Then of the rest, at the end of this loop iteration. */
static void cleanup_domain(struct domain *d)
{
    struct domain **p;

    dolog(LOG_DEBUG, "Removing domain-%u", d->domid);
    console_close_tty(d);
    console_close_log(d);
    buffer_dispose(&d->buffer);
    for (p = &dom_head; *p; p = &(*p)->next)
        if (*p == d) {
            *p = d->next;
            break;
        }
    free(d->conspath);
    free(d);
}

static void enum_domains(void)
{
    unsigned int domid = 1;
    xc_dominfo_t info;
    struct domain *d;
    int rc;

    enum_pass++;
    while ((rc = xc_domain_getinfo(xc, domid, 1, &info)) == 1) {
        d = lookup_domain(info.domid);
        if (info.dying) {
            if (d && !d->is_dead)
                shutdown_domain(d);
        } else if (!d) {
            d = create_domain(info.domid);
        }
        if (d)
            d->last_seen = enum_pass;
        domid = info.domid + 1;
    }
    if (rc < 0 && errno != ESRCH) {
        /* A failed listing must not look like every domain died. */
        dolog(LOG_ERR, "Failed to list domains: %s", strerror(errno));
        for (d = dom_head; d; d = d->next)
            d->last_seen = enum_pass;
    }
}

/* ---- The pty's two directions ---- */

static void handle_broken_tty(struct domain *d)
{
    console_close_tty(d);
    if (domain_is_valid(d->domid))
        console_create_tty(d);
    else
        shutdown_domain(d);
}

/* Input typed on the pty goes to the guest's in[] ring. */
static void handle_tty_read(struct domain *d)
{
    char msg[80];
    size_t room;
    ssize_t n;

    if (d->is_dead || !d->intf)
        return;
    room = ring_in_room(d->intf);
    if (!room)
        return;
    n = read(d->master_fd, msg, room < sizeof(msg) ? room : sizeof(msg));
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n < 0) {
        handle_broken_tty(d);
        return;
    }
    if (n == 0)
        return;
    ring_in_put(d->intf, msg, n);
    xenevtchn_notify(xce, d->local_port);
}

static void handle_tty_write(struct domain *d)
{
    struct buffer *b = &d->buffer;
    ssize_t n =
        write(d->master_fd, b->data + b->consumed, b->size - b->consumed);

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        dolog(LOG_DEBUG, "Write failed on domain %u: %zd, %d", d->domid, n,
              errno);
        handle_broken_tty(d);
        return;
    }
    buffer_advance(b, n);
}

/* ---- Hypervisor log ---- */

/* Append what xen's console ring got since the last read. */
static void handle_hv_log(void)
{
    static char buf[16384];
    unsigned int n;

    do {
        n = sizeof(buf);
        if (xc_readconsolering(xc, buf, &n, 0, 1, &hv_index) || !n)
            break;
        if (log_write(hv_log_fd, buf, n, log_time_hv, &hv_need_ts) < 0)
            dolog(LOG_ERR, "Failed to write hypervisor log: %d (%s)", errno,
                  strerror(errno));
    } while (n == sizeof(buf));
}

static bool hv_log_setup(void)
{
    hv_log_fd = log_open("hypervisor.log", log_time_hv, &hv_need_ts);
    if (hv_log_fd == -1)
        return false;
    hv_port = xenevtchn_bind_virq(xce, VIRQ_CON_RING);
    if (hv_port < 0) {
        dolog(LOG_ERR, "Failed to bind to VIRQ_CON_RING: %d (%s)", errno,
              strerror(errno));
        return false;
    }
    /* What xen logged before we came: no event says so. */
    handle_hv_log();
    return true;
}

/* SIGHUP: reopen the logs (after logrotate moved them). */
static void handle_log_reload(void)
{
    struct domain *d;

    if (log_guest)
        for (d = dom_head; d; d = d->next) {
            console_close_log(d);
            if (!d->is_dead)
                console_open_log(d);
        }
    if (log_hv) {
        if (hv_log_fd != -1)
            close(hv_log_fd);
        hv_log_fd = log_open("hypervisor.log", log_time_hv, &hv_need_ts);
    }
}

/* ---- Set-up and the loop ---- */

bool xen_setup(void)
{
    xs = xs_open(0);
    if (!xs) {
        dolog(LOG_ERR, "Failed to contact xenstore (%s).  Is it running?",
              strerror(errno));
        return false;
    }
    xc = xc_interface_open(NULL, NULL, 0);
    xcall = xencall_open(NULL, 0);
    if (!xc || !xcall) {
        dolog(LOG_ERR, "Failed to contact hypervisor (%s)", strerror(errno));
        return false;
    }
    xfm = xenforeignmemory_open(NULL, 0);
    if (!xfm) {
        dolog(LOG_ERR, "Failed to open xen foreign memory handle: %d (%s)",
              errno, strerror(errno));
        return false;
    }
    xgt = xengnttab_open(NULL, 0);
    if (!xgt)
        dolog(LOG_DEBUG, "Failed to open xcg handle: %d (%s)", errno,
              strerror(errno));
    xce = xenevtchn_open(NULL, 0);
    if (!xce) {
        dolog(LOG_ERR, "Failed to open xce handle: %d (%s)", errno,
              strerror(errno));
        return false;
    }
    if (log_hv && !hv_log_setup())
        return false;
    if (!xs_watch(xs, "@introduceDomain", "domlist")) {
        dolog(LOG_ERR, "xenstore watch on @introduceDomain fails.");
        return false;
    }
    if (!xs_watch(xs, "@releaseDomain", "domlist")) {
        dolog(LOG_ERR, "xenstore watch on @releaseDomain fails.");
        return false;
    }
    /* Domains that run already (a restart): reattach now. */
    enum_domains();
    return true;
}

static void xen_teardown(void)
{
    while (dom_head) {
        shutdown_domain(dom_head);
        cleanup_domain(dom_head);
    }
    if (hv_log_fd != -1)
        close(hv_log_fd);
    xenevtchn_close(xce);
    xengnttab_close(xgt);
    xenforeignmemory_close(xfm);
    xencall_close(xcall);
    xc_interface_close(xc);
    xs_close(xs);
}

/* Watch events; false if the xenstored connection is gone. */
static bool handle_xs(void)
{
    unsigned int domid;
    struct domain *d;
    char **vec;

    while ((vec = xs_check_watch(xs))) {
        if (!strcmp(vec[XS_WATCH_TOKEN], "domlist")) {
            enum_domains();
        } else if (sscanf(vec[XS_WATCH_TOKEN], "dom%u", &domid) == 1) {
            /* A watch may still fire for a domain just removed. */
            d = lookup_domain(domid);
            if (d && !d->is_dead)
                console_create_ring(d);
        }
        free(vec);
    }
    return errno == EAGAIN;
}

/* One fired port; false if the hypervisor connection is gone. */
static bool handle_event(void)
{
    int port = xenevtchn_pending(xce);
    struct domain *d;

    if (port < 0)
        return errno == EINTR || errno == EAGAIN;
    if (port == hv_port) {
        handle_hv_log();
        xenevtchn_unmask(xce, port);
        return true;
    }
    for (d = dom_head; d; d = d->next)
        if (d->local_port == port)
            break;
    if (!d || d->is_dead)
        return true; /* unbound meanwhile */
    d->event_count++;
    handle_ring(d);
    if (may_read_ring(d))
        xenevtchn_unmask(xce, port);
    else
        d->port_masked = true;
    return true;
}

/* Whether a SIGTERM or SIGINT came; SIGHUP reloads the logs. */
static bool handle_signal(int signal_fd)
{
    struct signalfd_siginfo si;
    bool stop = false;

    while (read(signal_fd, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGHUP)
            handle_log_reload();
        else
            stop = true;
    }
    return stop;
}

static struct pollfd *fds;
static unsigned int nr_fds, max_fds;

static int set_fd(int fd, short events)
{
    if (nr_fds == max_fds) {
        unsigned int n = max_fds ? max_fds * 2 : 16;
        struct pollfd *p = realloc(fds, n * sizeof(*p));

        if (!p) {
            dolog(LOG_ERR, "realloc failed, ignoring fd %d", fd);
            return -1;
        }
        fds = p;
        max_fds = n;
    }
    fds[nr_fds].fd = fd;
    fds[nr_fds].events = events;
    fds[nr_fds].revents = 0;
    return nr_fds++;
}

bool handle_io(int signal_fd)
{
    bool stop = false;

    while (!stop) {
        long long now = now_ms(), next_timeout = 0;
        int xs_idx, xce_idx, sig_idx, timeout, ret;
        struct domain *d, *n;

        nr_fds = 0;
        xs_idx = set_fd(xs_fileno(xs), POLLIN);
        xce_idx = set_fd(xenevtchn_fd(xce), POLLIN);
        sig_idx = set_fd(signal_fd, POLLIN);
        if (xs_idx < 0 || xce_idx < 0 || sig_idx < 0)
            break;

        for (d = dom_head; d; d = d->next) {
            short events = 0;

            /* A new allowance each period (5 ms early: poll's rounding). */
            if (now + 5 > d->next_period) {
                d->next_period = now + RATE_LIMIT_PERIOD;
                d->event_count = 0;
            }
            if (d->port_masked && may_read_ring(d))
                domain_unmask(d);
            if (d->port_masked && d->event_count >= RATE_LIMIT_ALLOWANCE &&
                (!next_timeout || d->next_period < next_timeout))
                next_timeout = d->next_period;

            d->master_pollfd_idx = -1;
            if (d->master_fd == -1)
                continue;
            if (!d->is_dead && d->intf && ring_in_room(d->intf))
                events |= POLLIN;
            if (!buffer_empty(&d->buffer))
                events |= POLLOUT;
            if (events)
                d->master_pollfd_idx = set_fd(d->master_fd, events);
        }

        timeout = next_timeout
                      ? (int)(next_timeout > now ? next_timeout - now : 0)
                      : -1;
        ret = poll(fds, nr_fds, timeout);
        if (ret < 0) {
            if (errno == EINTR)
                continue;
            dolog(LOG_ERR, "Failure in poll: %d (%s)", errno, strerror(errno));
            break;
        }

        if (fds[sig_idx].revents)
            stop = handle_signal(signal_fd);
        if (fds[xce_idx].revents &&
            (!(fds[xce_idx].revents & POLLIN) || !handle_event())) {
            dolog(LOG_ERR, "Failure in poll xce_handle: %d (%s)", errno,
                  strerror(errno));
            break;
        }
        if (fds[xs_idx].revents &&
            (!(fds[xs_idx].revents & POLLIN) || !handle_xs())) {
            dolog(LOG_ERR, "Failure in poll xs_handle: %d (%s)", errno,
                  strerror(errno));
            break;
        }

        for (d = dom_head; d; d = n) {
            n = d->next;
            if (d->master_pollfd_idx >= 0) {
                short rev = fds[d->master_pollfd_idx].revents;

                if (rev & ~(POLLIN | POLLOUT)) {
                    handle_broken_tty(d);
                } else {
                    if (rev & POLLIN)
                        handle_tty_read(d);
                    if ((rev & POLLOUT) && d->master_fd != -1)
                        handle_tty_write(d);
                }
            }
            if (d->last_seen != enum_pass && !d->is_dead)
                shutdown_domain(d);
            if (d->is_dead)
                cleanup_domain(d);
        }
    }
    xen_teardown();
    free(fds);
    return stop;
}
