/*
 * libxenstore: the xs_* client API (Xen's names and semantics).
 *
 * One request is outstanding per handle at a time (request_mutex). Input
 * is read by whichever thread needs it -- a thread waiting for its reply,
 * a thread in xs_read_watch, or the background thread that xs_fileno
 * starts -- holding the "reader" role; it files watch events in the
 * handle's queue (making the xs_fileno pipe readable) and the reply in
 * the reply slot, and wakes the others. So events keep flowing while
 * another thread waits for a reply, and no thread hand-off is needed on
 * the common path where the caller reads its own reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include "list.h"
#include "xs_lib.h"

/*
 * A reply usually comes within microseconds; sleeping for it costs a
 * cross-CPU wake-up of tens of microseconds on VMs. Poll this long first.
 */
#define REPLY_SPIN_NS 20000

#define IN_SIZE (2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX))

struct xs_msg {
    struct list link;
    struct xsd_sockmsg hdr;
    char body[]; /* hdr.len bytes and a NUL */
};

struct xs_handle {
    int fd;
    bool is_socket;
    bool unwatch_filter;
    pthread_mutex_t request_mutex; /* one request/reply exchange at a time */
    pthread_mutex_t lock;          /* everything below */
    pthread_cond_t cond;
    bool reading; /* some thread holds the reader role */
    int broken;   /* errno of a failed connection, else 0 */
    struct xs_msg *reply;
    struct list events;
    int watch_pipe[2]; /* readable while events are queued */
    bool thread_on, thread_stop;
    pthread_t thread;
    int wake_pipe[2]; /* wakes the background reader */
    /* input, owned by the reader role */
    char in[IN_SIZE];
    unsigned int in_used;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* --- opening and closing --- */

static int connect_socket(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd, saved;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = EINVAL;
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

static struct xs_handle *get_handle(const char *path)
{
    struct xs_handle *h;
    struct stat st;

    if (!path || stat(path, &st) < 0)
        return NULL;
    h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->is_socket = S_ISSOCK(st.st_mode);
    h->fd =
        h->is_socket ? connect_socket(path) : open(path, O_RDWR | O_CLOEXEC);
    if (h->fd < 0) {
        int saved = errno;
        free(h);
        errno = saved;
        return NULL;
    }
    pthread_mutex_init(&h->request_mutex, NULL);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
    list_init(&h->events);
    h->watch_pipe[0] = h->watch_pipe[1] = -1;
    h->wake_pipe[0] = h->wake_pipe[1] = -1;
    return h;
}

/* The xenbus device of a guest, when there is no daemon socket. */
static const char *xs_domain_dev(void)
{
    const char *s = getenv("XENSTORED_PATH");

    if (s)
        return s;
    if (access("/dev/xen/xenbus", F_OK) == 0)
        return "/dev/xen/xenbus";
    return "/proc/xen/xenbus";
}

XS_EXPORT struct xs_handle *xs_open(unsigned long flags)
{
    struct xs_handle *h = get_handle(xs_daemon_socket());

    if (!h)
        h = get_handle(xs_domain_dev());
    if (h && (flags & XS_UNWATCH_FILTER))
        h->unwatch_filter = true;
    return h;
}

XS_EXPORT struct xs_handle *xs_daemon_open(void)
{
    return xs_open(0);
}

XS_EXPORT struct xs_handle *xs_domain_open(void)
{
    return xs_open(0);
}

XS_EXPORT struct xs_handle *xs_daemon_open_readonly(void)
{
    return xs_open(XS_OPEN_READONLY);
}

static void free_queues(struct xs_handle *h)
{
    struct xs_msg *m, *n;

    list_for_each_safe(m, n, &h->events, struct xs_msg, link)
    {
        list_del(&m->link);
        free(m);
    }
    free(h->reply);
    h->reply = NULL;
}

static void close_fds(struct xs_handle *h)
{
    for (int i = 0; i < 2; i++) {
        if (h->watch_pipe[i] >= 0)
            close(h->watch_pipe[i]);
        if (h->wake_pipe[i] >= 0)
            close(h->wake_pipe[i]);
    }
    if (h->fd >= 0)
        close(h->fd);
}

XS_EXPORT void xs_close(struct xs_handle *h)
{
    if (!h)
        return;
    if (h->thread_on) {
        pthread_mutex_lock(&h->lock);
        h->thread_stop = true;
        pthread_cond_broadcast(&h->cond);
        pthread_mutex_unlock(&h->lock);
        if (write(h->wake_pipe[1], "x", 1) < 0) {
            /* the thread also polls the stop flag */
        }
        pthread_join(h->thread, NULL);
    }
    close_fds(h);
    free_queues(h);
    pthread_mutex_destroy(&h->request_mutex);
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
    free(h);
}

XS_EXPORT void xs_daemon_close(struct xs_handle *h)
{
    xs_close(h);
}

XS_EXPORT void xs_daemon_destroy_postfork(struct xs_handle *h)
{
    /* The child has no copy of the reader thread: just let go. */
    close_fds(h);
    free_queues(h);
    free(h);
}

/* --- input --- */

/* A queued event makes the pipe readable; an empty queue drains it. */
static void pipe_update(struct xs_handle *h, bool was_empty)
{
    char c;

    if (h->watch_pipe[1] < 0)
        return;
    if (was_empty && !list_empty(&h->events)) {
        while (write(h->watch_pipe[1], "a", 1) < 0 && errno == EINTR)
            ;
    } else if (!was_empty && list_empty(&h->events)) {
        while (read(h->watch_pipe[0], &c, 1) < 0 && errno == EINTR)
            ;
    }
}

/* File one message; called with h->lock held. */
static void dispatch(struct xs_handle *h, struct xs_msg *m)
{
    if (m->hdr.type == XS_WATCH_EVENT) {
        bool was_empty = list_empty(&h->events);
        list_add_tail(&m->link, &h->events);
        pipe_update(h, was_empty);
    } else if (!h->reply) {
        h->reply = m;
    } else {
        free(m); /* a reply nobody asked for */
    }
}

static void set_broken(struct xs_handle *h, int err)
{
    pthread_mutex_lock(&h->lock);
    if (!h->broken)
        h->broken = err;
    pthread_mutex_unlock(&h->lock);
}

/* Split complete messages off the input buffer and file them. */
static int parse_input(struct xs_handle *h)
{
    unsigned int off = 0;
    int rc = 0;

    pthread_mutex_lock(&h->lock);
    while (h->in_used - off >= sizeof(struct xsd_sockmsg)) {
        struct xsd_sockmsg hdr;
        struct xs_msg *m;

        memcpy(&hdr, h->in + off, sizeof(hdr));
        if (hdr.len > XENSTORE_PAYLOAD_MAX) {
            rc = -EBADF; /* a reply we cannot hold: give up the link */
            break;
        }
        if (h->in_used - off < sizeof(hdr) + hdr.len)
            break;
        m = malloc(sizeof(*m) + hdr.len + 1);
        if (!m) {
            rc = -ENOMEM;
            break;
        }
        m->hdr = hdr;
        memcpy(m->body, h->in + off + sizeof(hdr), hdr.len);
        m->body[hdr.len] = 0;
        dispatch(h, m);
        off += sizeof(hdr) + hdr.len;
    }
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
    memmove(h->in, h->in + off, h->in_used - off);
    h->in_used -= off;
    return rc;
}

/*
 * Read what is there (waiting for something unless nonblock), as the
 * holder of the reader role. 0, or -errno with the link broken.
 */
static int read_input(struct xs_handle *h, bool nonblock, bool spin,
                      int wake_fd)
{
    uint64_t until = spin ? now_ns() + REPLY_SPIN_NS : 0;
    ssize_t n;

    for (;;) {
        if (h->is_socket)
            n = recv(h->fd, h->in + h->in_used, IN_SIZE - h->in_used,
                     MSG_DONTWAIT);
        else
            n = read(h->fd, h->in + h->in_used, IN_SIZE - h->in_used);
        if (n > 0) {
            h->in_used += n;
            return parse_input(h);
        }
        if (n == 0)
            return -EBADF; /* the daemon went away */
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        if (nonblock)
            return 0;
        if (until && now_ns() < until)
            continue;
        struct pollfd pfd[2] = {{h->fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        if (poll(pfd, wake_fd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
            return -errno;
        if (wake_fd >= 0 && (pfd[1].revents & POLLIN))
            return 0;
    }
}

/*
 * Wait (h->lock held) until done(h) or the link broke, reading input
 * ourselves whenever nobody else is. Returns 0 or the link's errno.
 */
static int wait_for(struct xs_handle *h, bool (*done)(struct xs_handle *),
                    bool spin)
{
    while (!done(h) && !h->broken) {
        if (h->reading) {
            pthread_cond_wait(&h->cond, &h->lock);
            continue;
        }
        h->reading = true;
        pthread_mutex_unlock(&h->lock);
        int rc = read_input(h, false, spin, -1);
        pthread_mutex_lock(&h->lock);
        h->reading = false;
        if (rc < 0 && !h->broken)
            h->broken = -rc;
        pthread_cond_broadcast(&h->cond);
    }
    return done(h) ? 0 : h->broken;
}

static bool have_reply(struct xs_handle *h)
{
    return h->reply != NULL;
}

static bool have_event(struct xs_handle *h)
{
    return !list_empty(&h->events);
}

/* The background reader that keeps xs_fileno's pipe current. */
static void *reader_thread(void *arg)
{
    struct xs_handle *h = arg;

    pthread_mutex_lock(&h->lock);
    while (!h->thread_stop && !h->broken) {
        if (h->reading) {
            pthread_cond_wait(&h->cond, &h->lock);
            continue;
        }
        h->reading = true;
        pthread_mutex_unlock(&h->lock);
        int rc = read_input(h, false, false, h->wake_pipe[0]);
        pthread_mutex_lock(&h->lock);
        h->reading = false;
        if (rc < 0 && !h->broken)
            h->broken = -rc;
        pthread_cond_broadcast(&h->cond);
    }
    /*
     * A dead link leaves the pipe readable for good, so that pollers of
     * xs_fileno wake up and learn it from xs_check_watch (not EAGAIN).
     */
    if (h->broken && h->watch_pipe[1] >= 0)
        while (write(h->watch_pipe[1], "a", 1) < 0 && errno == EINTR)
            ;
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* --- requests --- */

static int send_all(struct xs_handle *h, struct iovec *iov, int n)
{
    while (n) {
        ssize_t r;
        if (h->is_socket) {
            struct msghdr mh = {.msg_iov = iov, .msg_iovlen = n};
            r = sendmsg(h->fd, &mh, MSG_NOSIGNAL);
        } else {
            r = writev(h->fd, iov, n);
        }
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        while (n && (size_t)r >= iov->iov_len) {
            r -= iov->iov_len;
            iov++;
            n--;
        }
        if (n) {
            iov->iov_base = (char *)iov->iov_base + r;
            iov->iov_len -= r;
        }
    }
    return 0;
}

/*
 * Send one request and wait for its reply. Returns the reply body
 * (NUL-terminated, malloc'd) or NULL with errno set.
 */
static void *xs_talkv(struct xs_handle *h, xs_transaction_t t,
                      enum xsd_sockmsg_type type, const struct iovec *vec,
                      unsigned int nvec, unsigned int *len)
{
    struct xsd_sockmsg hdr = {.type = type, .req_id = 0, .tx_id = t};
    struct iovec iov[8];
    struct xs_msg *m = NULL;
    void *ret = NULL;
    int err;

    if (nvec > 7) {
        errno = EINVAL;
        return NULL;
    }
    for (unsigned int i = 0; i < nvec; i++) {
        hdr.len += vec[i].iov_len;
        iov[i + 1] = vec[i];
    }
    if (hdr.len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return NULL;
    }
    iov[0].iov_base = &hdr;
    iov[0].iov_len = sizeof(hdr);

    pthread_mutex_lock(&h->request_mutex);
    pthread_mutex_lock(&h->lock);
    err = h->broken;
    pthread_mutex_unlock(&h->lock);
    if (!err)
        err = -send_all(h, iov, nvec + 1);
    if (err) {
        set_broken(h, err);
        goto out;
    }
    pthread_mutex_lock(&h->lock);
    err = wait_for(h, have_reply, true);
    m = h->reply;
    h->reply = NULL;
    pthread_mutex_unlock(&h->lock);
    if (err)
        goto out;
    if (m->hdr.type == XS_ERROR) {
        err = xs__errno_from_name(m->body);
        goto out;
    }
    if (m->hdr.type != (uint32_t)type) {
        /* Out of step with the daemon: the link is useless now. */
        err = EBADF;
        set_broken(h, err);
        goto out;
    }
    if (len)
        *len = m->hdr.len;
    /* Hand out the body: move it to the front of the allocation. */
    ret = m;
    memmove(ret, m->body, m->hdr.len + 1);
    m = NULL;
out:
    pthread_mutex_unlock(&h->request_mutex);
    free(m);
    if (!ret)
        errno = err;
    return ret;
}

static void *xs_single(struct xs_handle *h, xs_transaction_t t,
                       enum xsd_sockmsg_type type, const char *arg,
                       unsigned int *len)
{
    struct iovec iov = {(void *)arg, strlen(arg) + 1};
    return xs_talkv(h, t, type, &iov, 1, len);
}

static bool xs_bool(void *reply)
{
    if (!reply)
        return false;
    free(reply);
    return true;
}

/* An array of the num strings in buf, in one allocation. */
static char **split_strings(const char *buf, unsigned int len,
                            unsigned int *num)
{
    unsigned int n = xs__count_strings(buf, len);
    char **ret = malloc(n * sizeof(char *) + len + 1);
    char *p;

    if (!ret)
        return NULL;
    p = (char *)(ret + n);
    memcpy(p, buf, len);
    for (unsigned int i = 0; i < n; i++) {
        ret[i] = p;
        p += strlen(p) + 1;
    }
    *num = n;
    return ret;
}

/* Listings larger than one message, part by part (DIRECTORY_PART). */
static char **xs_directory_part(struct xs_handle *h, xs_transaction_t t,
                                const char *path, unsigned int *num)
{
    char gen[24] = "", offstr[16];
    char *strings = NULL, *res, **ret;
    unsigned int off = 0, len;

    for (;;) {
        struct iovec iov[2] = {{(void *)path, strlen(path) + 1}, {offstr, 0}};
        iov[1].iov_len = snprintf(offstr, sizeof(offstr), "%u", off) + 1;
        res = xs_talkv(h, t, XS_DIRECTORY_PART, iov, 2, &len);
        if (!res) {
            if (errno == ENOSYS)
                errno = E2BIG;
            free(strings);
            return NULL;
        }
        size_t glen = strlen(res) + 1;
        if (glen > len) {
            glen = len;
        }
        if (off && strcmp(gen, res)) {
            /* The directory changed under us: start again. */
            free(res);
            free(strings);
            strings = NULL;
            off = 0;
            continue;
        }
        if (!off)
            snprintf(gen, sizeof(gen), "%s", res);
        len -= glen;
        char *ns = realloc(strings, off + len + 1);
        if (!ns) {
            free(res);
            free(strings);
            errno = ENOMEM;
            return NULL;
        }
        strings = ns;
        memcpy(strings + off, res + glen, len);
        free(res);
        off += len;
        /* The last part ends with an empty name. */
        if (off <= 1 || strings[off - 2] == 0)
            break;
    }
    if (off > 1)
        off--;
    else
        off = 0;
    ret = split_strings(strings, off, num);
    free(strings);
    return ret;
}

XS_EXPORT char **xs_directory(struct xs_handle *h, xs_transaction_t t,
                              const char *path, unsigned int *num)
{
    unsigned int len;
    char *res = xs_single(h, t, XS_DIRECTORY, path, &len), **ret;

    if (!res) {
        if (errno != E2BIG)
            return NULL;
        return xs_directory_part(h, t, path, num);
    }
    ret = split_strings(res, len, num);
    free(res);
    return ret;
}

XS_EXPORT void *xs_read(struct xs_handle *h, xs_transaction_t t,
                        const char *path, unsigned int *len)
{
    return xs_single(h, t, XS_READ, path, len);
}

XS_EXPORT bool xs_write(struct xs_handle *h, xs_transaction_t t,
                        const char *path, const void *data, unsigned int len)
{
    struct iovec iov[2] = {{(void *)path, strlen(path) + 1},
                           {(void *)data, len}};
    return xs_bool(xs_talkv(h, t, XS_WRITE, iov, 2, NULL));
}

XS_EXPORT bool xs_mkdir(struct xs_handle *h, xs_transaction_t t,
                        const char *path)
{
    return xs_bool(xs_single(h, t, XS_MKDIR, path, NULL));
}

XS_EXPORT bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return xs_bool(xs_single(h, t, XS_RM, path, NULL));
}

XS_EXPORT bool xs_restrict(struct xs_handle *h, unsigned domid)
{
    (void)h;
    (void)domid;
    return false;
}

XS_EXPORT struct xs_permissions *xs_get_permissions(struct xs_handle *h,
                                                    xs_transaction_t t,
                                                    const char *path,
                                                    unsigned int *num)
{
    unsigned int len, n;
    char *res = xs_single(h, t, XS_GET_PERMS, path, &len);
    struct xs_permissions *p;

    if (!res)
        return NULL;
    n = xs__count_strings(res, len);
    p = malloc(n * sizeof(*p) + 1);
    if (!p || !xs_strings_to_perms(p, n, res)) {
        int saved = p ? errno : ENOMEM;
        free(p);
        free(res);
        errno = saved;
        return NULL;
    }
    free(res);
    *num = n;
    return p;
}

XS_EXPORT bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
                                  const char *path,
                                  struct xs_permissions *perms,
                                  unsigned int num_perms)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    unsigned int len = 0;
    struct iovec iov[2];

    for (unsigned int i = 0; i < num_perms; i++) {
        if (!xs__perm_to_string(&perms[i], buf + len, sizeof(buf) - len)) {
            errno = EINVAL;
            return false;
        }
        len += strlen(buf + len) + 1;
    }
    iov[0].iov_base = (void *)path;
    iov[0].iov_len = strlen(path) + 1;
    iov[1].iov_base = buf;
    iov[1].iov_len = len;
    return xs_bool(xs_talkv(h, t, XS_SET_PERMS, iov, 2, NULL));
}

XS_EXPORT bool xs_watch(struct xs_handle *h, const char *path,
                        const char *token)
{
    struct iovec iov[2] = {{(void *)path, strlen(path) + 1},
                           {(void *)token, strlen(token) + 1}};
    return xs_bool(xs_talkv(h, XBT_NULL, XS_WATCH, iov, 2, NULL));
}

XS_EXPORT int xs_fileno(struct xs_handle *h)
{
    int fd = -1;

    pthread_mutex_lock(&h->lock);
    if (h->watch_pipe[0] < 0) {
        if (pipe2(h->watch_pipe, O_CLOEXEC) < 0 ||
            pipe2(h->wake_pipe, O_CLOEXEC) < 0)
            goto out;
        if (!list_empty(&h->events) && write(h->watch_pipe[1], "a", 1) < 0)
            goto out;
    }
    if (!h->thread_on) {
        if (pthread_create(&h->thread, NULL, reader_thread, h))
            goto out;
        h->thread_on = true;
    }
    fd = h->watch_pipe[0];
out:
    pthread_mutex_unlock(&h->lock);
    return fd;
}

/* The next event as Xen returns it: pointers, then the strings. */
static char **take_event(struct xs_handle *h, unsigned int *num)
{
    struct xs_msg *m = list_first(&h->events, struct xs_msg, link);
    unsigned int n;
    char **ret;

    list_del(&m->link);
    pipe_update(h, false);
    ret = split_strings(m->body, m->hdr.len, &n);
    free(m);
    if (ret && n < 2) {
        free(ret);
        ret = NULL;
        errno = EINVAL;
    }
    if (ret && num)
        *num = n;
    return ret;
}

XS_EXPORT char **xs_check_watch(struct xs_handle *h)
{
    char **ret = NULL;

    pthread_mutex_lock(&h->lock);
    if (list_empty(&h->events) && !h->reading && !h->broken) {
        /* Nobody is reading: pick up what has arrived. */
        h->reading = true;
        pthread_mutex_unlock(&h->lock);
        int rc = read_input(h, true, false, -1);
        pthread_mutex_lock(&h->lock);
        h->reading = false;
        if (rc < 0 && !h->broken)
            h->broken = -rc;
        pthread_cond_broadcast(&h->cond);
    }
    if (!list_empty(&h->events))
        ret = take_event(h, NULL);
    else
        errno = h->broken ? h->broken : EAGAIN;
    pthread_mutex_unlock(&h->lock);
    return ret;
}

XS_EXPORT char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
    char **ret = NULL;
    int err;

    pthread_mutex_lock(&h->lock);
    err = wait_for(h, have_event, false); /* events come when they come */
    if (!err)
        ret = take_event(h, num);
    pthread_mutex_unlock(&h->lock);
    if (err)
        errno = err;
    return ret;
}

XS_EXPORT bool xs_path_is_subpath(const char *parent, const char *child)
{
    size_t cl = strlen(child), pl = strlen(parent);

    if (cl < pl || memcmp(child, parent, pl))
        return false;
    return cl == pl || child[pl] == '/';
}

XS_EXPORT bool xs_unwatch(struct xs_handle *h, const char *path,
                          const char *token)
{
    struct iovec iov[2] = {{(void *)path, strlen(path) + 1},
                           {(void *)token, strlen(token) + 1}};
    struct xs_msg *m, *n;

    if (!xs_bool(xs_talkv(h, XBT_NULL, XS_UNWATCH, iov, 2, NULL)))
        return false;
    if (!h->unwatch_filter)
        return true;
    /* Drop queued events of this watch. */
    pthread_mutex_lock(&h->lock);
    bool was_empty = list_empty(&h->events);
    list_for_each_safe(m, n, &h->events, struct xs_msg, link)
    {
        const char *epath = m->body;
        size_t pl = strnlen(epath, m->hdr.len);
        const char *etok = pl < m->hdr.len ? epath + pl + 1 : "";
        if (!strcmp(etok, token) && xs_path_is_subpath(path, epath)) {
            list_del(&m->link);
            free(m);
        }
    }
    if (!was_empty)
        pipe_update(h, false);
    pthread_mutex_unlock(&h->lock);
    return true;
}

XS_EXPORT xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
    char *id = xs_single(h, XBT_NULL, XS_TRANSACTION_START, "", NULL);
    xs_transaction_t t;

    if (!id)
        return XBT_NULL;
    t = strtoul(id, NULL, 0);
    free(id);
    return t;
}

XS_EXPORT bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t,
                                  bool abort)
{
    return xs_bool(
        xs_single(h, t, XS_TRANSACTION_END, abort ? "F" : "T", NULL));
}

XS_EXPORT bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
                                   unsigned long mfn, unsigned int eventchn)
{
    char a[16], b[24], c[16];
    struct iovec iov[3] = {
        {a, snprintf(a, sizeof(a), "%u", domid) + 1},
        {b, snprintf(b, sizeof(b), "%lu", mfn) + 1},
        {c, snprintf(c, sizeof(c), "%u", eventchn) + 1},
    };
    return xs_bool(xs_talkv(h, XBT_NULL, XS_INTRODUCE, iov, 3, NULL));
}

XS_EXPORT bool xs_set_target(struct xs_handle *h, unsigned int domid,
                             unsigned int target)
{
    char a[16], b[16];
    struct iovec iov[2] = {
        {a, snprintf(a, sizeof(a), "%u", domid) + 1},
        {b, snprintf(b, sizeof(b), "%u", target) + 1},
    };
    return xs_bool(xs_talkv(h, XBT_NULL, XS_SET_TARGET, iov, 2, NULL));
}

static void *single_domid(struct xs_handle *h, enum xsd_sockmsg_type type,
                          unsigned int domid)
{
    char buf[16];
    snprintf(buf, sizeof(buf), "%u", domid);
    return xs_single(h, XBT_NULL, type, buf, NULL);
}

XS_EXPORT bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
    return xs_bool(single_domid(h, XS_RESUME, domid));
}

XS_EXPORT bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    return xs_bool(single_domid(h, XS_RELEASE, domid));
}

XS_EXPORT char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
    return single_domid(h, XS_GET_DOMAIN_PATH, domid);
}

XS_EXPORT bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    char *res = single_domid(h, XS_IS_DOMAIN_INTRODUCED, domid);
    bool yes;

    if (!res)
        return false;
    yes = strcmp(res, "F") != 0;
    free(res);
    return yes;
}

XS_EXPORT char *xs_control_command(struct xs_handle *h, const char *cmd,
                                   void *data, unsigned int len)
{
    struct iovec iov[2] = {{(void *)cmd, strlen(cmd) + 1}, {data, len}};
    return xs_talkv(h, XBT_NULL, XS_CONTROL, iov, 2, NULL);
}

XS_EXPORT char *xs_debug_command(struct xs_handle *h, const char *cmd,
                                 void *data, unsigned int len)
{
    return xs_control_command(h, cmd, data, len);
}

XS_EXPORT int xs_suspend_evtchn_port(int domid)
{
    char path[128];
    struct xs_handle *h = xs_daemon_open();
    unsigned int len = 0;
    char *s;
    int port = -1;

    if (!h)
        return -1;
    snprintf(path, sizeof(path),
             "/local/domain/%d/device/suspend/event-channel", domid);
    s = xs_read(h, XBT_NULL, path, &len);
    xs_daemon_close(h);
    if (s && len)
        port = atoi(s);
    free(s);
    return port;
}
