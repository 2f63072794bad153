/*
 * xenconsole: connect the terminal to a domain's console, the client
 * that `xl console` runs (Xen 4.17's options, messages and exit codes:
 * errno values, as err(3) gives them).
 *
 * The pty's name comes from the console's tty node, which xenconsoled
 * writes; we wait for it a few seconds, and follow it when xenconsoled
 * makes a new pty (a restart). Input is forwarded when stdin and stdout
 * are terminals, or with --interactive; Ctrl-] ends the session. We also
 * end when the domain goes away.
 *
 * One lock file per domain ($XEN_RUN_DIR/xenconsole.N on a private host,
 * else Xen's /var/lock/xenconsole.N) keeps a second client off.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenstore.h>

#define ESCAPE_CHARACTER 0x1d /* Ctrl-] */
#define TTY_WAIT_SECONDS 5

enum console_type { CONSOLE_INVAL, CONSOLE_SERIAL, CONSOLE_PV, CONSOLE_VUART };

static volatile sig_atomic_t received_signal;
static char *lockfile;
static int lockfd = -1;
static struct termios stdin_old_attr;
static xc_interface *xc;
static unsigned int domid;

static void usage(const char *program)
{
    printf("Usage: %s [OPTION] DOMID\n"
           "Attaches to a virtual domain console\n"
           "\n"
           "  -h, --help       display this help and exit\n"
           "  -n, --num N      use console number N\n"
           "  --type TYPE      console type. must be 'pv', 'serial' or "
           "'vuart'\n"
           "  --start-notify-fd N file descriptor used to notify parent\n",
           program);
}

static void sighandler(int signum)
{
    received_signal = signum;
}

/* Whether the domain still exists and is not being destroyed. */
static bool domain_alive(void)
{
    xc_dominfo_t info;

    return xc_domain_getinfo(xc, domid, 1, &info) == 1 && info.domid == domid &&
           !info.dying;
}

/* Raw mode, keeping the old settings; not a terminal is fine. */
static void init_term(int fd, struct termios *old)
{
    struct termios new_term;

    if (tcgetattr(fd, old) < 0)
        return;
    new_term = *old;
    cfmakeraw(&new_term);
    /* TCSANOW: flushing would drop console output already waiting. */
    tcsetattr(fd, TCSANOW, &new_term);
}

static void restore_term_stdin(void)
{
    tcsetattr(STDIN_FILENO, TCSADRAIN, &stdin_old_attr);
}

/* A milliseconds clock for the wait. */
static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Open the pty that the tty node names, waiting up to seconds for it (0:
 * look once) as watch events come. -1 with errno if there is none, or
 * at once if the domain went away.
 */
static int get_pty_fd(struct xs_handle *xs, const char *path, int seconds)
{
    long long end = now_ms() + seconds * 1000LL;
    struct pollfd pfd = {.fd = xs_fileno(xs), .events = POLLIN};
    int pty_fd = -1, open_errno = 0;
    unsigned int len;
    char **vec, *pty_path;

    for (;;) {
        long long left = end - now_ms();

        if (poll(&pfd, 1, left > 0 ? (int)left : 0) > 0) {
            while ((vec = xs_check_watch(xs)))
                free(vec);
            pty_path = xs_read(xs, XBT_NULL, path, &len);
            if (pty_path && pty_path[0]) {
                pty_fd = open(pty_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
                if (pty_fd < 0) {
                    open_errno = errno;
                    warn("Could not open tty `%s'", pty_path);
                }
            }
            free(pty_path);
            if (pty_fd >= 0)
                return pty_fd;
            if (!domain_alive()) {
                errno = ESRCH;
                return -1;
            }
        }
        if (now_ms() >= end || received_signal)
            break;
    }
    errno = open_errno ? open_errno : ENOENT;
    return -1;
}

/* Write all of buf; false on an error. */
static bool write_sync(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= n;
    }
    return true;
}

/* /var/lock/xenconsole.N (XEN_RUN_DIR's on a private host), held by flock. */
static void console_lock(void)
{
    const char *dir = getenv("XEN_RUN_DIR");
    struct stat st, fst;
    int fd;

    if (asprintf(&lockfile, "%s/xenconsole.%u", dir && *dir ? dir : "/var/lock",
                 domid) < 0)
        err(ENOMEM, "malloc");
    for (;;) {
        fd = open(lockfile, O_RDWR | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
        if (fd < 0)
            err(errno, "Could not open %s", lockfile);
        while (flock(fd, LOCK_EX | LOCK_NB))
            if (errno != EINTR)
                err(errno, "Could not lock %s", lockfile);
        if (fstat(fd, &fst))
            err(errno, "Could not fstat %s", lockfile);
        /* The previous holder may have removed the file we locked. */
        if (stat(lockfile, &st) == 0) {
            if (st.st_ino == fst.st_ino)
                break;
        } else if (errno != ENOENT) {
            err(errno, "Could not stat %s", lockfile);
        }
        close(fd);
    }
    lockfd = fd;
}

static void console_unlock(void)
{
    if (lockfd < 0)
        return;
    unlink(lockfile);
    close(lockfd);
    lockfd = -1;
}

/*
 * Copy both ways until Ctrl-], a signal, the end of stdin or the
 * domain's end.
 */
static void console_loop(int fd, struct xs_handle *xs, const char *path,
                         bool interactive)
{
    while (!received_signal) {
        struct pollfd pfds[3] = {
            {.fd = xs_fileno(xs), .events = POLLIN},
            {.fd = interactive ? STDIN_FILENO : -1, .events = POLLIN},
            {.fd = fd, .events = POLLIN},
        };
        char msg[512];
        ssize_t len;

        if (poll(pfds, 3, -1) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return;
        }
        if (pfds[0].revents) {
            /* The tty node changed, or a domain went away. */
            int newfd = get_pty_fd(xs, path, 0);

            if (newfd >= 0) {
                if (fd >= 0)
                    close(fd);
                fd = newfd;
            } else if (fd < 0 || !domain_alive()) {
                break;
            }
            continue;
        }
        if (pfds[1].revents) {
            char *esc;

            len = read(STDIN_FILENO, msg, 60);
            if (len < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (len <= 0)
                break;
            esc = memchr(msg, ESCAPE_CHARACTER, len);
            if (esc)
                len = esc - msg;
            if (fd >= 0 && len && !write_sync(fd, msg, len)) {
                close(fd);
                fd = -1;
            }
            if (esc)
                break;
        }
        if (fd >= 0 && pfds[2].revents) {
            len = read(fd, msg, sizeof(msg));
            if (len < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (len <= 0) {
                /* xenconsoled closed the pty: a restart, or the end. */
                close(fd);
                fd = -1;
                if (!domain_alive())
                    break;
                continue;
            }
            if (!write_sync(STDOUT_FILENO, msg, len)) {
                perror("write() failed");
                break;
            }
        }
    }
    if (fd >= 0)
        close(fd);
}

int main(int argc, char **argv)
{
    static const struct option lopt[] = {
        {"type", required_argument, NULL, 't'},
        {"num", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {"start-notify-fd", required_argument, NULL, 's'},
        {"interactive", no_argument, NULL, 'i'},
        {NULL, 0, NULL, 0},
    };
    enum console_type type = CONSOLE_INVAL;
    int ch, spty, start_notify_fd = -1;
    char *dom_path, *path, *end, *test;
    bool interactive = false;
    struct sigaction sa = {.sa_handler = sighandler};
    struct termios attr;
    struct xs_handle *xs;
    xc_dominfo_t info;
    unsigned int num = 0;
    unsigned long val;

    while ((ch = getopt_long(argc, argv, "hn:", lopt, NULL)) != -1) {
        switch (ch) {
        case 'h':
            usage(argv[0]);
            exit(0);
        case 'n':
            errno = 0;
            val = strtoul(optarg, &end, 10);
            if (errno || *end || !*optarg || val > 1000) {
                fprintf(stderr, "Invalid console number `%s'\n", optarg);
                exit(EINVAL);
            }
            num = val;
            break;
        case 't':
            if (!strcmp(optarg, "serial")) {
                type = CONSOLE_SERIAL;
            } else if (!strcmp(optarg, "pv")) {
                type = CONSOLE_PV;
            } else if (!strcmp(optarg, "vuart")) {
                type = CONSOLE_VUART;
            } else {
                fprintf(stderr, "Invalid type argument\n");
                fprintf(stderr, "Console types supported are: %s\n",
                        "serial, pv, vuart");
                exit(EINVAL);
            }
            break;
        case 's':
            errno = 0;
            val = strtoul(optarg, &end, 10);
            if (errno || *end || !*optarg || val > INT32_MAX) {
                fprintf(stderr, "Invalid file descriptor `%s'\n", optarg);
                exit(EINVAL);
            }
            start_notify_fd = val;
            break;
        case 'i':
            interactive = true;
            break;
        default:
            fprintf(stderr, "Invalid argument\n");
            fprintf(stderr, "Try `%s --help' for more information.\n", argv[0]);
            exit(EINVAL);
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "DOMID should be specified\n");
        fprintf(stderr, "Try `%s --help' for more information.\n", argv[0]);
        exit(EINVAL);
    }
    errno = 0;
    val = strtoul(argv[optind], &end, 10);
    if (errno || *end || !*argv[optind] || val >= DOMID_FIRST_RESERVED) {
        fprintf(stderr, "Invalid DOMID `%s'\n", argv[optind]);
        fprintf(stderr, "Try `%s --help' for more information.\n", argv[0]);
        exit(EINVAL);
    }
    domid = val;

    xs = xs_open(0);
    if (!xs)
        err(errno, "Could not contact XenStore");
    sigaction(SIGTERM, &sa, NULL);

    dom_path = xs_get_domain_path(xs, domid);
    if (!dom_path)
        err(errno, "xs_get_domain_path()");
    xc = xc_interface_open(NULL, NULL, 0);
    if (!xc)
        err(errno, "Could not open xc interface");
    if (xc_domain_getinfo(xc, domid, 1, &info) != 1 || info.domid != domid) {
        errno = ESRCH;
        err(errno, "Failed to get domain information");
    }
    /* HVM guests: the emulated serial port if they have one, else PV. */
    if (type == CONSOLE_INVAL)
        type = info.hvm ? CONSOLE_SERIAL : CONSOLE_PV;

    if (type == CONSOLE_SERIAL) {
        if (asprintf(&path, "%s/serial/%u/tty", dom_path, num) < 0)
            err(ENOMEM, "malloc");
        test = xs_read(xs, XBT_NULL, path, NULL);
        if (!test) {
            free(path);
            type = CONSOLE_PV;
        }
        free(test);
    }
    if (type == CONSOLE_PV &&
        (num ? asprintf(&path, "%s/device/console/%u/tty", dom_path, num)
             : asprintf(&path, "%s/console/tty", dom_path)) < 0)
        err(ENOMEM, "malloc");
    if (type == CONSOLE_VUART &&
        asprintf(&path, "%s/vuart/0/tty", dom_path) < 0)
        err(ENOMEM, "malloc");

    /* xenconsoled serves no console for domain 0. */
    if (domid == 0) {
        fprintf(stderr, "Can't specify Domain-0\n");
        exit(EINVAL);
    }

    if (!xs_watch(xs, path, "tty") || !xs_watch(xs, "@releaseDomain", "rel"))
        err(errno, "Can't set watch for console pty");
    /* xenconsoled may not have seen a domain this new yet. */
    spty = get_pty_fd(xs, path, TTY_WAIT_SECONDS);
    if (spty < 0) {
        /* No pty, or a dead one: nobody serves this console. */
        if (errno != ESRCH) {
            int saved = errno;

            warnx("no pty for domain %u's console after %d s; "
                  "is xenconsoled running?", domid, TTY_WAIT_SECONDS);
            errno = saved;
        }
        err(errno, "Could not read tty from store");
    }

    init_term(spty, &attr);
    if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
        interactive = true;
        init_term(STDIN_FILENO, &stdin_old_attr);
        atexit(restore_term_stdin);
    }

    if (start_notify_fd != -1) {
        /* Tell the parent (xl) that we are attached. */
        if (write(start_notify_fd, "", 1) != 1)
            err(errno, "Could not notify parent with fd %d", start_notify_fd);
        close(start_notify_fd);
    }

    console_lock();
    console_loop(spty, xs, path, interactive);
    console_unlock();

    free(lockfile);
    free(path);
    free(dom_path);
    xc_interface_close(xc);
    xs_close(xs);
    return 0;
}
