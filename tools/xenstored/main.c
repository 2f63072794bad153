/*
 * xenstored: options, the Unix socket, and the event loop.
 *
 * One thread serves everything from one epoll set. After a burst of work
 * the loop keeps polling without sleeping for --spin-us microseconds: a
 * client's next request usually follows within that time, and a sleeping
 * daemon costs a cross-CPU wake-up of tens of microseconds on VMs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "xenstored.h"
#include "ring.h"
#include "xs_lib.h"

/* Xen 4.17's defaults, as `xenstore-control quota` prints them. */
struct quota quota = {
    .nodes = 1000,
    .watches = 128,
    .transactions = 10,
    .outstanding = 20,
    .tx_nodes = 1024,
    .memory = 2621440,
    .node_size = 2048,
    .path_max = XENSTORE_REL_PATH_MAX,
    .perms = 5,
};

bool verbose;
extern bool keep_orphans;

static int epfd = -1;
static int listen_fd = -1;
static const char *socket_path;
static const char *pid_file;
static unsigned int spin_us = 100;

/* Rate-limited: guests can trigger messages. */
void xsd_log(const char *fmt, ...)
{
    static time_t window;
    static unsigned int count;
    time_t now = time(NULL);
    va_list ap;

    if (now != window) {
        window = now;
        count = 0;
    }
    if (++count > 20)
        return;
    va_start(ap, fmt);
    fputs("xenstored: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int perms_parse(struct perms *out, const char *strings, unsigned int num)
{
    out->p = calloc(num, sizeof(*out->p));
    if (!out->p)
        return -ENOMEM;
    out->num = num;
    if (!xs_strings_to_perms(out->p, num, strings)) {
        perms_free(out);
        return -EINVAL;
    }
    return 0;
}

int perms_format(const struct perms *p, char *buf, unsigned int size)
{
    unsigned int len = 0;

    for (unsigned int i = 0; i < p->num; i++) {
        if (!xs__perm_to_string(&p->p[i], buf + len, size - len))
            return -EINVAL;
        len += strlen(buf + len) + 1;
    }
    return len;
}

/* --- the Unix socket --- */

static int sock_read(struct conn *c, void *buf, unsigned int len)
{
    ssize_t n = recv(c->fd, buf, len, MSG_DONTWAIT);

    if (n > 0)
        return n;
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    return -1; /* closed or broken */
}

static void sock_close(struct conn *c)
{
    close(c->fd);
}

static const struct conn_ops sock_ops = {
    .read = sock_read,
    .close = sock_close,
};

static int make_socket(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char dir[PATH_MAX];
    char *slash;

    socket_path = xs_daemon_socket();
    if (!socket_path || strlen(socket_path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "xenstored: socket path too long\n");
        return -1;
    }
    /* Create the run directory (one level) if it is missing. */
    snprintf(dir, sizeof(dir), "%s", socket_path);
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = 0;
        mkdir(dir, 0755);
    }
    strcpy(sa.sun_path, socket_path);
    listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd < 0)
        goto fail;
    unlink(socket_path);
    if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        chmod(socket_path, 0600) < 0 || listen(listen_fd, 128) < 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "xenstored: cannot listen on %s: %s\n", socket_path,
            strerror(errno));
    return -1;
}

static void accept_clients(void)
{
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct epoll_event ev = {.events = EPOLLIN};
        struct conn *c;

        if (fd < 0)
            return;
        c = conn_new(&sock_ops, fd, 0);
        if (!c) {
            close(fd);
            continue;
        }
        ev.data.ptr = c;
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
            conn_free(c);
            continue;
        }
    }
}

/* Socket connections with unsent output wait for EPOLLOUT. */
static void update_pollout(void)
{
    struct conn *c;

    list_for_each(c, &connections, struct conn, link)
    {
        if (c->fd < 0 || c->dead)
            continue;
        bool want = c->stalled_out;
        if (want == c->pollout)
            continue;
        struct epoll_event ev = {.events = EPOLLIN | (want ? EPOLLOUT : 0),
                                 .data.ptr = c};
        if (!epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev))
            c->pollout = want;
    }
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static char tag_listen, tag_ring, tag_signal;

static int run(int sigfd)
{
    struct epoll_event evs[64];
    uint64_t last_work = 0;
    bool spinning = false;

    for (;;) {
        int n = epoll_wait(epfd, evs, 64, spinning ? 0 : -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("xenstored: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &tag_listen) {
                accept_clients();
            } else if (p == &tag_ring) {
                ring_handle_events();
            } else if (p == &tag_signal) {
                struct signalfd_siginfo si;
                if (read(sigfd, &si, sizeof(si)) == sizeof(si) &&
                    si.ssi_signo != SIGHUP)
                    return 0;
            } else {
                struct conn *c = p;
                if (c->dead)
                    continue;
                if (evs[i].events & EPOLLOUT)
                    conn_flush(c);
                if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                    conn_input(c);
            }
        }
        conns_flush_dirty();
        conns_reap();
        update_pollout();
        if (n > 0) {
            last_work = now_ns();
            spinning = spin_us > 0;
        } else if (spinning && now_ns() - last_work > spin_us * 1000ull) {
            spinning = false;
        }
    }
}

static int epoll_add(int fd, void *tag)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void usage(void)
{
    printf("Usage: xenstored [options]\n"
           "  -N, --no-fork             stay in the foreground\n"
           "  -F, --pid-file FILE       write the daemon's pid to FILE\n"
           "  -P, --output-pid          print the daemon's pid\n"
           "  -E, --entry-nb N          nodes per domain (1000)\n"
           "  -S, --entry-size N        bytes per node (2048)\n"
           "  -W, --watch-nb N          watches per domain (128)\n"
           "  -t, --transaction N       transactions per domain (10)\n"
           "  -A, --perm-nb N           permissions per node (5)\n"
           "  -M, --path-max N          path length below a domain's home "
           "(2048)\n"
           "  -Q, --quota WHAT=N        outstanding, transaction-nodes, "
           "memory, or\n"
           "                            any of nodes, watches, "
           "transactions,\n"
           "                            node-size, path-max, permissions\n"
           "  -K, --keep-orphans        give a released domain's nodes to "
           "dom0\n"
           "  -V, --verbose             log more\n"
           "      --spin-us N           poll N us before sleeping (100; 0: "
           "never)\n"
           "      --ring-backend NAME   how guest rings are reached: xen or "
           "file\n"
           "      --test-rings DIR      file ring backend in DIR (tests)\n"
           "The socket is $XENSTORED_PATH, else $XENSTORED_RUNDIR/socket, "
           "else\n/var/run/xenstored/socket.\n");
}

static int set_quota(const char *arg)
{
    static const struct {
        const char *name;
        unsigned int *val;
    } names[] = {
        {"nodes", &quota.nodes},
        {"watches", &quota.watches},
        {"transactions", &quota.transactions},
        {"outstanding", &quota.outstanding},
        {"transaction-nodes", &quota.tx_nodes},
        {"memory", &quota.memory},
        {"node-size", &quota.node_size},
        {"path-max", &quota.path_max},
        {"permissions", &quota.perms},
    };
    const char *eq = strchr(arg, '=');

    for (unsigned int i = 0; eq && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i].name) == (size_t)(eq - arg) &&
            !strncmp(names[i].name, arg, eq - arg)) {
            char *end;
            unsigned long v = strtoul(eq + 1, &end, 0);
            if (*end || !eq[1] || v > UINT_MAX)
                return -1;
            *names[i].val = v;
            return 0;
        }
    }
    return -1;
}

int quota_set_by_name(const char *name, const char *val)
{
    char buf[64];
    if (snprintf(buf, sizeof(buf), "%s=%s", name, val) >= (int)sizeof(buf))
        return -EINVAL;
    return set_quota(buf) ? -EINVAL : 0;
}

static int num_arg(const char *s, unsigned int *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);
    if (*end || !*s || v > UINT_MAX)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    enum { OPT_SPIN = 256, OPT_BACKEND, OPT_TEST_RINGS };
    static const struct option opts[] = {
        {"no-domain-init", no_argument, NULL, 'D'},
        {"entry-nb", required_argument, NULL, 'E'},
        {"pid-file", required_argument, NULL, 'F'},
        {"event", required_argument, NULL, 'e'},
        {"master-domid", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'H'},
        {"no-fork", no_argument, NULL, 'N'},
        {"priv-domid", required_argument, NULL, 'p'},
        {"output-pid", no_argument, NULL, 'P'},
        {"entry-size", required_argument, NULL, 'S'},
        {"trace-file", required_argument, NULL, 'T'},
        {"transaction", required_argument, NULL, 't'},
        {"perm-nb", required_argument, NULL, 'A'},
        {"path-max", required_argument, NULL, 'M'},
        {"quota", required_argument, NULL, 'Q'},
        {"quota-soft", required_argument, NULL, 'q'},
        {"timeout", required_argument, NULL, 'w'},
        {"no-recovery", no_argument, NULL, 'R'},
        {"internal-db", optional_argument, NULL, 'I'},
        {"keep-orphans", no_argument, NULL, 'K'},
        {"verbose", no_argument, NULL, 'V'},
        {"watch-nb", required_argument, NULL, 'W'},
        {"spin-us", required_argument, NULL, OPT_SPIN},
        {"ring-backend", required_argument, NULL, OPT_BACKEND},
        {"test-rings", required_argument, NULL, OPT_TEST_RINGS},
        {NULL, 0, NULL, 0},
    };
    const char *backend = NULL, *backend_arg = NULL;
    bool no_fork = false, output_pid = false;
    sigset_t mask;
    int opt, sigfd, rc = 1;

    while ((opt = getopt_long(argc, argv,
                              "DE:F:e:m:HNp:PS:T:t:A:M:Q:q:w:RI::KVW:", opts,
                              NULL)) != -1) {
        int bad = 0;
        switch (opt) {
        case 'E':
            bad = num_arg(optarg, &quota.nodes);
            break;
        case 'S':
            bad = num_arg(optarg, &quota.node_size);
            break;
        case 'W':
            bad = num_arg(optarg, &quota.watches);
            break;
        case 't':
            bad = num_arg(optarg, &quota.transactions);
            break;
        case 'A':
            bad = num_arg(optarg, &quota.perms);
            break;
        case 'M':
            bad = num_arg(optarg, &quota.path_max);
            if (!bad && quota.path_max > XENSTORE_REL_PATH_MAX)
                quota.path_max = XENSTORE_REL_PATH_MAX;
            break;
        case 'Q':
            bad = set_quota(optarg);
            break;
        case 'F':
            pid_file = optarg;
            break;
        case 'N':
            no_fork = true;
            break;
        case 'P':
            output_pid = true;
            break;
        case 'K':
            keep_orphans = true;
            break;
        case 'V':
            verbose = true;
            break;
        case 'H':
            usage();
            return 0;
        case OPT_SPIN:
            bad = num_arg(optarg, &spin_us);
            break;
        case OPT_BACKEND:
            backend = optarg;
            break;
        case OPT_TEST_RINGS:
            backend = "file";
            backend_arg = optarg;
            break;
        case 'D':
        case 'e':
        case 'm':
        case 'p':
        case 'T':
        case 'q':
        case 'w':
        case 'R':
        case 'I':
            break; /* Xen's options that do not apply here */
        default:
            usage();
            return 2;
        }
        if (bad) {
            fprintf(stderr, "xenstored: bad value for -%c: %s\n", opt, optarg);
            return 2;
        }
    }

    if (store_init() || watch_init()) {
        fprintf(stderr, "xenstored: out of memory\n");
        return 1;
    }
    int err = ring_init(backend, backend_arg);
    if (err && backend) {
        fprintf(stderr, "xenstored: ring backend %s unavailable: %s\n", backend,
                strerror(-err));
        return 1;
    }
    if (err)
        xsd_log("no hypervisor (%s): serving the socket only, guests "
                "cannot be introduced",
                strerror(-err));
    if (make_socket())
        return 1;

    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

    if (!no_fork) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("xenstored: fork");
            return 1;
        }
        if (pid > 0) {
            if (output_pid)
                printf("%d\n", (int)pid);
            return 0;
        }
        setsid();
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            if (!verbose)
                dup2(null, 2);
            if (null > 2)
                close(null);
        }
    } else if (output_pid) {
        printf("%d\n", (int)getpid());
        fflush(stdout);
    }
    if (pid_file) {
        FILE *f = fopen(pid_file, "w");
        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0 || sigfd < 0 || epoll_add(listen_fd, &tag_listen) ||
        epoll_add(sigfd, &tag_signal) ||
        (ring_fd() >= 0 && epoll_add(ring_fd(), &tag_ring))) {
        perror("xenstored: epoll");
        goto out;
    }
    rc = run(sigfd);
out:
    unlink(socket_path);
    if (pid_file)
        unlink(pid_file);
    return rc;
}
