/*
 * xenconsoled: options, start-up (as a daemon unless --interactive), the
 * pid file and signals. Xen 4.17's options and defaults; paths default
 * from the environment (DESIGN 2): the log directory is
 * $XEN_LOG_DIR/console, the pid file $XEN_RUN_DIR/xenconsoled.pid.
 *
 * The pid file is written once the daemon serves (xenstore, xen and the
 * event channels are open): service scripts wait for it. It stays locked
 * while we run, so a second daemon on it refuses to start.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xenconsoled.h"

bool log_guest, log_hv;
bool log_time_guest, log_time_hv;
bool discard_overflowed_data = true;
bool replace_escape;
const char *log_dir;

static bool interactive;
static bool to_stderr = true; /* until a daemon serves */
static const char *pid_file_name;
static int log_mask = LOG_UPTO(LOG_INFO);

/*
 * A daemon logs to syslog, and to stderr until it serves (so that the
 * one who started it sees why it could not); --interactive to stderr
 * only (the service's log). Guests can trigger messages, so at most
 * LOG_BURST a second get through.
 */
#define LOG_BURST 20

void dolog(int priority, const char *fmt, ...)
{
    static time_t window;
    static unsigned int count, dropped;
    time_t now = time(NULL);
    va_list ap;

    if (!(LOG_MASK(priority) & log_mask))
        return;
    if (now != window) {
        unsigned int lost = dropped;

        window = now;
        count = dropped = 0;
        if (lost)
            dolog(LOG_WARNING, "%u messages suppressed", lost);
    }
    if (++count > LOG_BURST) {
        dropped++;
        return;
    }
    if (!interactive) {
        va_start(ap, fmt);
        vsyslog(priority, fmt, ap);
        va_end(ap);
    }
    if (to_stderr) {
        va_start(ap, fmt);
        fprintf(stderr, "xenconsoled: ");
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
}

static void usage(const char *name)
{
    printf("Usage: %s [-h] [-V] [-v] [-i] [--log=none|guest|hv|all] "
           "[--log-dir=DIR] [--pid-file=PATH] "
           "[-t, --timestamp=none|guest|hv|all] "
           "[-o, --overflow-data=discard|keep] [--replace-escape]\n"
           "  --replace-escape  - replace ESC character with dot when "
           "writing console log\n",
           name);
}

/* none|guest|hv|all into the two flags; false if it is none of them. */
static bool parse_which(const char *arg, bool *guest, bool *hv)
{
    static const char *const names[] = {"none", "guest", "hv", "all"};

    for (unsigned int i = 0; i < 4; i++)
        if (!strcmp(arg, names[i])) {
            *guest = i & 1;
            *hv = i & 2;
            return true;
        }
    return false;
}

static void bad_option(const char *name, const char *opt, const char *arg)
{
    fprintf(stderr, "%s: invalid argument '%s' for --%s\n", name, arg, opt);
    fprintf(stderr, "Try `%s --help' for more information\n", name);
    exit(EINVAL);
}

static void parse_options(int argc, char **argv)
{
    static const struct option lopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"verbose", no_argument, NULL, 'v'},
        {"interactive", no_argument, NULL, 'i'},
        {"log", required_argument, NULL, 'l'},
        {"log-dir", required_argument, NULL, 'r'},
        {"pid-file", required_argument, NULL, 'p'},
        {"timestamp", required_argument, NULL, 't'},
        {"overflow-data", required_argument, NULL, 'o'},
        {"replace-escape", no_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    int ch;

    while ((ch = getopt_long(argc, argv, "hVvit:o:", lopts, NULL)) != -1) {
        switch (ch) {
        case 'h':
            usage(argv[0]);
            exit(0);
        case 'V':
            printf("Xen Console Daemon 3.0\n");
            exit(0);
        case 'v':
            log_mask = LOG_UPTO(LOG_DEBUG);
            break;
        case 'i':
            interactive = true;
            break;
        case 'l':
            if (!parse_which(optarg, &log_guest, &log_hv))
                bad_option(argv[0], "log", optarg);
            break;
        case 'r':
            log_dir = optarg;
            break;
        case 'p':
            pid_file_name = optarg;
            break;
        case 't':
            if (!parse_which(optarg, &log_time_guest, &log_time_hv))
                bad_option(argv[0], "timestamp", optarg);
            break;
        case 'o':
            if (!strcmp(optarg, "keep"))
                discard_overflowed_data = false;
            else if (!strcmp(optarg, "discard"))
                discard_overflowed_data = true;
            else
                bad_option(argv[0], "overflow-data", optarg);
            break;
        case 'e':
            replace_escape = true;
            break;
        default:
            fprintf(stderr, "Try `%s --help' for more information\n", argv[0]);
            exit(EINVAL);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0],
                argv[optind]);
        fprintf(stderr, "Try `%s --help' for more information\n", argv[0]);
        exit(EINVAL);
    }
}

/* The first of a variable's value and a default, with a suffix. */
static char *env_path(const char *var, const char *def, const char *suffix)
{
    const char *dir = getenv(var);
    char *path;

    if (!dir || !*dir)
        dir = def;
    if (asprintf(&path, "%s%s", dir, suffix) < 0) {
        fprintf(stderr, "xenconsoled: out of memory\n");
        exit(ENOMEM);
    }
    return path;
}

/* Lock the pid file now (one daemon per file); it is written when ready. */
static int pid_file_lock(void)
{
    int fd = open(pid_file_name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0) {
        dolog(LOG_ERR, "Cannot open pid file %s: %s", pid_file_name,
              strerror(errno));
        return -1;
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        dolog(LOG_ERR, "Pid file %s is locked: is xenconsoled running?",
              pid_file_name);
        close(fd);
        return -1;
    }
    return fd;
}

static bool pid_file_write(int fd)
{
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

    if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, len, 0) != len) {
        dolog(LOG_ERR, "Cannot write pid file %s: %s", pid_file_name,
              strerror(errno));
        return false;
    }
    return true;
}

/*
 * Detach as a daemon. The first process stays until the daemon says it
 * serves (a byte on the pipe), so that its exit status tells; stderr
 * stays until then too.
 */
static int daemonize(void)
{
    int ready[2], fd;
    pid_t pid;
    char c;

    if (pipe2(ready, O_CLOEXEC) < 0) {
        perror("xenconsoled: pipe");
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        perror("xenconsoled: fork() failed");
        exit(1);
    }
    if (pid > 0) {
        close(ready[1]);
        exit(read(ready[0], &c, 1) == 1 ? 0 : 1);
    }
    close(ready[0]);
    setsid();
    pid = fork();
    if (pid < 0)
        _exit(1);
    if (pid > 0)
        _exit(0);
    fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        _exit(1);
    dup2(fd, 0);
    dup2(fd, 1);
    if (fd > 2)
        close(fd);
    umask(027);
    if (chdir("/") < 0)
        _exit(1);
    return ready[1];
}

/* Each domain costs a pty pair and a log: allow as many files as we may. */
static void raise_fd_limit(void)
{
    struct rlimit lim;

    if (getrlimit(RLIMIT_NOFILE, &lim) < 0) {
        dolog(LOG_WARNING, "Failed to obtain fd limit: %s", strerror(errno));
        return;
    }
    if (lim.rlim_cur == lim.rlim_max)
        return;
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
        dolog(LOG_WARNING,
              "Unable to increase fd limit: %s - may run out "
              "with lots of domains",
              strerror(errno));
}

int main(int argc, char **argv)
{
    int signal_fd = -1, pid_fd = -1, ready_fd = -1, rc = 1;
    char *dir_default = NULL, *pid_default = NULL;
    sigset_t sigs;

    parse_options(argc, argv);
    if (!log_dir)
        log_dir = dir_default =
            env_path("XEN_LOG_DIR", "/var/log/xen", "/console");
    if (geteuid() != 0) {
        fprintf(stderr, "%s requires root to run.\n", argv[0]);
        exit(EPERM);
    }
    if (!pid_file_name && !interactive)
        pid_file_name = pid_default =
            env_path("XEN_RUN_DIR", "/var/run/xen", "/xenconsoled.pid");

    /* Signals arrive through the poll loop; writes to a closed pty fail. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!interactive) {
        openlog("xenconsoled", LOG_PID, LOG_DAEMON);
        ready_fd = daemonize();
    }
    signal_fd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd < 0) {
        dolog(LOG_ERR, "signalfd: %s", strerror(errno));
        goto out;
    }
    if (pid_file_name && (pid_fd = pid_file_lock()) < 0)
        goto out;
    raise_fd_limit();
    if (!xen_setup())
        goto out;
    if (pid_fd >= 0 && !pid_file_write(pid_fd))
        goto out;
    if (ready_fd >= 0) {
        if (write(ready_fd, "", 1) != 1)
            goto out;
        close(ready_fd);
        to_stderr = false;
        dup2(STDIN_FILENO, STDERR_FILENO); /* /dev/null */
    }
    rc = handle_io(signal_fd) ? 0 : 1;
out:
    if (pid_fd >= 0) {
        unlink(pid_file_name);
        close(pid_fd);
    }
    if (signal_fd >= 0)
        close(signal_fd);
    free(dir_default);
    free(pid_default);
    if (!interactive)
        closelog();
    return rc;
}
