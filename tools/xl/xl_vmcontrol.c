/*
 * xl: domain lifecycle. create (and the per-domain monitor that applies
 * on_poweroff/on_reboot/on_crash), destroy, shutdown, reboot, pause,
 * unpause, rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>

#include "xl.h"

struct domain_create {
    int debug;
    int daemonize; /* the monitor goes to the background */
    int monitor;   /* a monitor handles the domain's shutdown at all */
    int paused;
    int dryrun;
    int quiet;
    int console_autoconnect;
    const char *config_file;
    char *extra_config; /* KEY=VALUE lines from the command line */
};

typedef enum {
    DOMAIN_RESTART_NONE,
    DOMAIN_RESTART_NORMAL,
    DOMAIN_RESTART_RENAME,
} domain_restart_type;

static int fd_lock = -1;
static pid_t console_pid;

static void destroy_domain(uint32_t domid, int force)
{
    int rc;

    if (domid == 0 && !force) {
        fprintf(stderr, "Not destroying domain 0; use -f to force.\n"
                        "This can only be done when using a disaggregated "
                        "hardware domain and toolstack.\n\n");
        exit(EXIT_FAILURE);
    }
    rc = libxl_domain_destroy(ctx, domid, 0);
    if (rc) {
        fprintf(stderr, "destroy failed (rc=%d)\n", rc);
        exit(EXIT_FAILURE);
    }
}

int main_pause(int argc, char **argv)
{
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "pause", 1)
    {
    }
    if (libxl_domain_pause(ctx, find_domain(argv[optind]), 0))
        return EXIT_FAILURE;
    return EXIT_SUCCESS;
}

int main_unpause(int argc, char **argv)
{
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "unpause", 1)
    {
    }
    if (libxl_domain_unpause(ctx, find_domain(argv[optind]), 0))
        return EXIT_FAILURE;
    return EXIT_SUCCESS;
}

int main_destroy(int argc, char **argv)
{
    int opt, force = 0;

    SWITCH_FOREACH_OPT(opt, "f", NULL, "destroy", 1)
    {
    case 'f':
        force = 1;
        break;
    }
    destroy_domain(find_domain(argv[optind]), force || force_execution);
    return EXIT_SUCCESS;
}

int main_rename(int argc, char **argv)
{
    const char *dom, *new_name;
    uint32_t domid;
    int opt;

    SWITCH_FOREACH_OPT(opt, "", NULL, "rename", 2)
    {
    }
    dom = argv[optind];
    new_name = argv[optind + 1];
    domid = find_domain(dom);
    if (libxl_domain_rename(ctx, domid, common_domname, new_name)) {
        fprintf(stderr, "Can't rename domain '%s'.\n", dom);
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

/* Sends the request; with deathw, also starts watching for the result. */
static void shutdown_or_reboot(int reboot, uint32_t domid,
                               libxl_evgen_domain_death **deathw,
                               libxl_ev_user for_user, int fallback)
{
    int rc;

    fprintf(stderr, "%s domain %u\n", reboot ? "Rebooting" : "Shutting down",
            domid);
    rc = reboot ? libxl_domain_reboot(ctx, domid, 0)
                : libxl_domain_shutdown(ctx, domid, 0);
    if (rc == ERROR_NOPARAVIRT) {
        fprintf(stderr,
                "PV control interface not available: external "
                "graceful %s not possible.\n",
                reboot ? "reboot" : "shutdown");
        /* No ACPI button or reset events to fall back to yet. */
        if (fallback)
            fprintf(stderr, "No ACPI %s event to fall back to.\n",
                    reboot ? "reset" : "power");
        else
            fprintf(stderr, "Use \"-F\" to fallback to ACPI %s event.\n",
                    reboot ? "reset" : "power");
    }
    if (rc) {
        fprintf(stderr, "%s failed (rc=%d)\n", reboot ? "reboot" : "shutdown",
                rc);
        exit(EXIT_FAILURE);
    }
    if (deathw) {
        rc = libxl_evenable_domain_death(ctx, domid, for_user, deathw);
        if (rc) {
            fprintf(stderr, "wait for death failed (evgen, rc=%d)\n", rc);
            exit(EXIT_FAILURE);
        }
    }
}

static void wait_for_domain_deaths(libxl_evgen_domain_death **deathws, int nr)
{
    libxl_event *event;
    int rc, count = 0;

    LOG("Waiting for %d domains", nr);
    while (count < nr) {
        rc = libxl_event_wait(ctx, &event, LIBXL_EVENTMASK_ALL, 0, 0);
        if (rc) {
            LOG("Failed to get event, quitting (rc=%d)", rc);
            exit(EXIT_FAILURE);
        }
        switch (event->type) {
        case LIBXL_EVENT_TYPE_DOMAIN_DEATH:
            LOG("Domain %d has been destroyed", event->domid);
            libxl_evdisable_domain_death(ctx, deathws[event->for_user]);
            count++;
            break;
        case LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN:
            LOG("Domain %d has been shut down, reason code %d", event->domid,
                event->u.domain_shutdown.shutdown_reason);
            libxl_evdisable_domain_death(ctx, deathws[event->for_user]);
            count++;
            break;
        default:
            LOG("Unexpected event type %d", event->type);
            break;
        }
        libxl_event_free(ctx, event);
    }
}

static int main_shutdown_or_reboot(int reboot, int argc, char **argv)
{
    static const struct option opts[] = {
        {"all", 0, 0, 'a'}, {"wait", 0, 0, 'w'}, COMMON_LONG_OPTS};
    const char *what = reboot ? "reboot" : "shutdown";
    int opt, i, nb_domain, nr = 0;
    int wait_for_it = 0, all = 0, fallback = 0;

    SWITCH_FOREACH_OPT(opt, "awF", opts, what, 0)
    {
    case 'a':
        all = 1;
        break;
    case 'w':
        wait_for_it = 1;
        break;
    case 'F':
        fallback = 1;
        break;
    }

    if (!argv[optind] && !all) {
        fprintf(stderr, "You must specify -a or a domain id.\n\n");
        return EXIT_FAILURE;
    }

    if (all) {
        libxl_evgen_domain_death **deathws = NULL;
        libxl_dominfo *dominfo = libxl_list_domain(ctx, &nb_domain);

        if (!dominfo) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            return EXIT_FAILURE;
        }
        if (wait_for_it)
            deathws = xcalloc(nb_domain, sizeof(*deathws));
        for (i = 0; i < nb_domain; i++) {
            if (dominfo[i].domid == 0 || dominfo[i].never_stop)
                continue;
            shutdown_or_reboot(reboot, dominfo[i].domid,
                               deathws ? &deathws[nr] : NULL, nr, fallback);
            nr++;
        }
        if (deathws) {
            wait_for_domain_deaths(deathws, nr);
            free(deathws);
        }
        libxl_dominfo_list_free(dominfo, nb_domain);
    } else {
        libxl_evgen_domain_death *deathw = NULL;
        uint32_t domid = find_domain(argv[optind]);

        shutdown_or_reboot(reboot, domid, wait_for_it ? &deathw : NULL, 0,
                           fallback);
        if (wait_for_it)
            wait_for_domain_deaths(&deathw, 1);
    }
    return EXIT_SUCCESS;
}

int main_shutdown(int argc, char **argv)
{
    return main_shutdown_or_reboot(0, argc, argv);
}

int main_reboot(int argc, char **argv)
{
    return main_shutdown_or_reboot(1, argc, argv);
}

/* The create lock: one creation at a time per host (xl.conf lockfile). */
static int lock_op(short type)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET};
    int rc;

    do {
        rc = fcntl(fd_lock, F_SETLKW, &fl);
    } while (rc < 0 && errno == EINTR);
    return rc;
}

static int acquire_lock(void)
{
    if (fd_lock >= 0)
        return ERROR_INVAL;
    fd_lock = open(lockfile, O_WRONLY | O_CREAT | O_CLOEXEC, S_IWUSR);
    if (fd_lock < 0) {
        fprintf(stderr, "cannot open the lockfile %s errno=%d\n", lockfile,
                errno);
        return ERROR_FAIL;
    }
    if (lock_op(F_WRLCK) < 0) {
        fprintf(stderr, "cannot acquire lock %s errno=%d\n", lockfile, errno);
        close(fd_lock);
        fd_lock = -1;
        return ERROR_FAIL;
    }
    return 0;
}

static void release_lock(void)
{
    if (fd_lock < 0)
        return;
    if (lock_op(F_UNLCK) < 0)
        fprintf(stderr, "cannot release lock %s, errno=%d\n", lockfile, errno);
    close(fd_lock);
    fd_lock = -1;
}

/*
 * With autoballoon="on", make room for the domain by lowering domain 0's
 * target. True if there is room (or ballooning is off). "auto" is off:
 * Xen's rule (on unless dom0_mem= fixes domain 0's size) exists for a
 * ballooning domain 0, and Xenon's xen lends domain 0's pages to new
 * domains by itself in exactly the case where that rule would say on.
 */
static bool freemem(libxl_domain_config *d_config)
{
    uint64_t need_memkb, free_memkb;
    int retries = 3;

    if (autoballoon != 1)
        return true;
    if (libxl_domain_need_memory(ctx, d_config, INVALID_DOMID, &need_memkb) < 0)
        return false;
    do {
        if (libxl_get_free_memory(ctx, &free_memkb) < 0)
            return false;
        if (free_memkb >= need_memkb)
            return true;
        if (libxl_set_memory_target(ctx, 0, free_memkb - need_memkb, 1, 0) < 0)
            return false;
        if (libxl_wait_for_memory_target(ctx, 0, 10) < 0)
            return false;
    } while (--retries > 0);
    return false;
}

/* Attach the console client (a child) and wait until it is connected. */
static void autoconnect_console(uint32_t domid)
{
    int notify[2];
    char byte;
    ssize_t r;

    if (pipe2(notify, O_CLOEXEC)) {
        perror("pipe");
        return;
    }
    flush_stream(stdout);
    flush_stream(stderr);
    console_pid = fork();
    if (console_pid < 0) {
        perror("fork failed");
        console_pid = 0;
    } else if (!console_pid) {
        close(notify[0]);
        /* The client inherits the write end: it must survive exec. */
        fcntl(notify[1], F_SETFD, 0);
        libxl_primary_console_exec(ctx, domid, notify[1]);
        perror("xl: unable to exec console client");
        _exit(1);
    }
    close(notify[1]);
    if (console_pid) {
        do {
            r = read(notify[0], &byte, 1);
        } while (r < 0 && errno == EINTR);
        if (r < 0)
            fprintf(stderr, "Failed to get notification from xenconsole: %s\n",
                    strerror(errno));
        else if (r == 0)
            fprintf(stderr, "Got EOF from xenconsole notification fd\n");
        else if (byte != 0)
            fprintf(stderr, "Got unexpected response from xenconsole: %#x\n",
                    (unsigned char)byte);
    }
    close(notify[0]);
}

static void wait_console_child(void)
{
    int status;

    if (!console_pid)
        return;
    while (waitpid(console_pid, &status, 0) < 0 && errno == EINTR)
        ;
    console_pid = 0;
}

/* The configuration to restart with: what libxl recorded, else ours. */
static void reload_domain_config(uint32_t domid, libxl_domain_config *d_config)
{
    libxl_domain_config d_config_new;
    int rc;

    libxl_domain_config_init(&d_config_new);
    rc = libxl_retrieve_domain_configuration(ctx, domid, &d_config_new, NULL);
    if (rc) {
        LOG("failed to retrieve guest configuration (rc=%d). "
            "reusing old configuration",
            rc);
        libxl_domain_config_dispose(&d_config_new);
        return;
    }
    libxl_domain_config_dispose(d_config);
    *d_config = d_config_new;
}

/*
 * Applies the on_* action for the shutdown in event. May destroy the
 * domain (then *r_domid becomes INVALID_DOMID).
 */
static domain_restart_type handle_domain_death(uint32_t *r_domid,
                                               libxl_event *event,
                                               libxl_domain_config *d_config)
{
    int reason = event->u.domain_shutdown.shutdown_reason;
    libxl_action_on_shutdown action;

    switch (reason) {
    case LIBXL_SHUTDOWN_REASON_POWEROFF:
        action = d_config->on_poweroff;
        break;
    case LIBXL_SHUTDOWN_REASON_REBOOT:
        action = d_config->on_reboot;
        break;
    case LIBXL_SHUTDOWN_REASON_SUSPEND:
        LOG("Domain has suspended.");
        return DOMAIN_RESTART_NONE;
    case LIBXL_SHUTDOWN_REASON_CRASH:
        action = d_config->on_crash;
        break;
    case LIBXL_SHUTDOWN_REASON_WATCHDOG:
        action = d_config->on_watchdog;
        break;
    case LIBXL_SHUTDOWN_REASON_SOFT_RESET:
        action = d_config->on_soft_reset;
        break;
    default:
        LOG("Unknown shutdown reason code %d. Destroying domain.", reason);
        action = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    }
    LOG("Action for shutdown reason code %d is %s", reason,
        get_action_on_shutdown_name(action));

    /* No core dumps yet, and a soft reset is done as a full restart. */
    if (action == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY) {
        LOG("core dumps are not supported: destroying without one");
        action = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    } else if (action == LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART) {
        LOG("core dumps are not supported: restarting without one");
        action = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    } else if (action == LIBXL_ACTION_ON_SHUTDOWN_SOFT_RESET) {
        LOG("soft reset is not supported: restarting the domain instead");
        action = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    }

    switch (action) {
    case LIBXL_ACTION_ON_SHUTDOWN_PRESERVE:
        return DOMAIN_RESTART_NONE;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME:
        reload_domain_config(*r_domid, d_config);
        return DOMAIN_RESTART_RENAME;
    case LIBXL_ACTION_ON_SHUTDOWN_RESTART:
        reload_domain_config(*r_domid, d_config);
        LOG("Domain %d needs to be cleaned up: destroying the domain",
            *r_domid);
        libxl_domain_destroy(ctx, *r_domid, 0);
        *r_domid = INVALID_DOMID;
        return DOMAIN_RESTART_NORMAL;
    default:
        LOG("Domain %d needs to be cleaned up: destroying the domain",
            *r_domid);
        libxl_domain_destroy(ctx, *r_domid, 0);
        *r_domid = INVALID_DOMID;
        return DOMAIN_RESTART_NONE;
    }
}

/* Keep the dead domain under NAME-YYYYMMDDTHHMMZ; true on success. */
static bool preserve_domain(uint32_t *r_domid, libxl_domain_config *d_config)
{
    char suffix[24];
    libxl_uuid new_uuid;
    struct tm tm;
    time_t now = time(NULL);
    int rc;

    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        !strftime(suffix, sizeof(suffix), "-%Y%m%dT%H%MZ", &tm)) {
        LOG("Failed to format the current time for domain rename");
        return false;
    }
    libxl_uuid_generate(&new_uuid);
    LOG("Preserving domain %u %s with suffix%s", *r_domid,
        d_config->c_info.name, suffix);
    rc = libxl_domain_preserve(ctx, *r_domid, &d_config->c_info, suffix,
                               new_uuid);
    /* Still there, but no longer the domain this monitor looks after. */
    *r_domid = INVALID_DOMID;
    return rc == 0;
}

/* Read the config file and append the command-line KEY=VALUE lines. */
static int read_config(const struct domain_create *dom_info, char **data_r,
                       int *len_r)
{
    const char *extra = dom_info->extra_config;
    void *data = NULL;
    int len = 0;

    if (!dom_info->config_file) {
        fprintf(stderr, "Config file not specified and none in save file\n");
        return ERROR_INVAL;
    }
    /* /dev/null: the whole configuration is on the command line. */
    if (strcmp(dom_info->config_file, "/dev/null") &&
        libxl_read_file_contents(ctx, dom_info->config_file, &data, &len)) {
        fprintf(stderr, "Failed to read config file: %s: %s\n",
                dom_info->config_file, strerror(errno));
        return ERROR_FAIL;
    }
    if (extra && *extra) {
        if ((size_t)len > INT_MAX - (strlen(extra) + 3)) {
            fprintf(stderr, "Failed to attach extra configuration\n");
            free(data);
            return ERROR_FAIL;
        }
        data = xrealloc(data, len + strlen(extra) + 3);
        len += sprintf((char *)data + len, "\n%s\n", extra);
    }
    *data_r = data;
    *len_r = len;
    return 0;
}

static void print_config_json(libxl_domain_config *d_config, FILE *fh)
{
    char *json = libxl_domain_config_to_json(ctx, d_config);

    if (!json) {
        fprintf(stderr, "Failed to convert domain configuration to JSON\n");
        exit(1);
    }
    fputs(json, fh);
    free(json);
    flush_stream(fh);
}

/*
 * Waits for the domain's events and applies its on_* actions. Returns
 * DOMAIN_RESTART_NONE when the monitor is done (ret set), else how to
 * create the domain again.
 */
static domain_restart_type
monitor_domain(uint32_t *domid, libxl_domain_config *d_config, int *ret)
{
    libxl_evgen_domain_death *deathw = NULL;
    domain_restart_type restart = DOMAIN_RESTART_NONE;
    libxl_event *event;

    LOG("Waiting for domain %s (domid %u) to die [pid %ld]",
        d_config->c_info.name, *domid, (long)getpid());
    *ret = libxl_evenable_domain_death(ctx, *domid, 0, &deathw);
    if (*ret)
        return DOMAIN_RESTART_NONE;

    for (;;) {
        *ret = libxl_event_wait(ctx, &event, LIBXL_EVENTMASK_ALL, 0, 0);
        if (*ret) {
            LOG("Domain %u, failed to get event, quitting (rc=%d)", *domid,
                *ret);
            break;
        }
        if (event->domid != *domid) {
            libxl_event_free(ctx, event);
            continue;
        }
        if (event->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH) {
            LOG("Domain %u has been destroyed.", *domid);
            libxl_event_free(ctx, event);
            *ret = 0;
            break;
        }
        if (event->type != LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN) {
            LOG("warning, got unexpected event type %d", event->type);
            libxl_event_free(ctx, event);
            continue;
        }
        LOG("Domain %u has shut down, reason code %d 0x%x", *domid,
            event->u.domain_shutdown.shutdown_reason,
            event->u.domain_shutdown.shutdown_reason);
        restart = handle_domain_death(domid, event, d_config);
        libxl_event_free(ctx, event);
        if (restart == DOMAIN_RESTART_RENAME &&
            !preserve_domain(domid, d_config)) {
            /* Leave the old domain in place. */
            restart = DOMAIN_RESTART_NONE;
            *ret = -1;
        } else if (restart == DOMAIN_RESTART_NONE) {
            LOG("Done. Exiting now");
            *ret = 0;
        }
        break;
    }

    libxl_evdisable_domain_death(ctx, deathw);
    if (restart != DOMAIN_RESTART_NONE) {
        /* Events of the old domain must not reach the new one. */
        while (!libxl_event_check(ctx, &event, LIBXL_EVENTMASK_ALL, 0, 0))
            libxl_event_free(ctx, event);
        LOG("Done. Rebooting now");
    }
    return restart;
}

/*
 * Returns the new domain's id (>= 0) in the parent, or a negative libxl
 * error. A backgrounded monitor never returns.
 */
static int create_domain(struct domain_create *dom_info)
{
    libxl_domain_config d_config;
    uint32_t domid = INVALID_DOMID;
    int need_daemon = dom_info->daemonize;
    int paused = dom_info->paused;
    char *config_data = NULL, *name;
    int config_len = 0, ret;

    ret = read_config(dom_info, &config_data, &config_len);
    if (ret)
        return ret;
    if (!dom_info->quiet)
        fprintf(stderr, "Parsing config from %s\n", dom_info->config_file);

    libxl_domain_config_init(&d_config);
    parse_config_data(dom_info->config_file, config_data, config_len,
                      &d_config);
    if (dom_info->debug || dom_info->dryrun)
        print_config_json(&d_config, dom_info->dryrun ? stdout : stderr);
    if (dom_info->dryrun) {
        ret = 0;
        goto out;
    }

start:
    ret = acquire_lock();
    if (ret < 0)
        goto error_out;
    if (!freemem(&d_config)) {
        fprintf(stderr, "failed to free memory for the domain\n");
        ret = ERROR_FAIL;
        goto error_out;
    }
    ret = libxl_domain_create_new(ctx, &d_config, &domid, 0, 0);
    if (ret)
        goto error_out;
    release_lock();

    /* Only on the first start: the terminal is gone by a reboot. */
    if (dom_info->console_autoconnect) {
        autoconnect_console(domid);
        dom_info->console_autoconnect = 0;
    }
    if (!paused)
        libxl_domain_unpause(ctx, domid, 0);
    paused = 0;

    ret = domid;
    if (!dom_info->daemonize && !dom_info->monitor)
        goto out;

    if (need_daemon) {
        xasprintf(&name, "xl-%s", d_config.c_info.name);
        ret = do_daemonize(name);
        free(name);
        if (ret) {
            ret = ret == 1 ? (int)domid : ret;
            goto out;
        }
        need_daemon = 0;
        console_pid = 0; /* the console client is our parent's child */
    }

    switch (monitor_domain(&domid, &d_config, &ret)) {
    case DOMAIN_RESTART_NORMAL:
    case DOMAIN_RESTART_RENAME:
        domid = INVALID_DOMID;
        goto start;
    case DOMAIN_RESTART_NONE:
        goto out;
    }

error_out:
    release_lock();
    if (libxl_domid_valid_guest(domid)) {
        libxl_domain_destroy(ctx, domid, 0);
        domid = INVALID_DOMID;
    }
out:
    libxl_domain_config_dispose(&d_config);
    free(config_data);
    wait_console_child();
    /* A backgrounded monitor has nobody to return to. */
    if (dom_info->daemonize && !need_daemon)
        exit(ret);
    return ret;
}

int main_create(int argc, char **argv)
{
    static const struct option opts[] = {{"dryrun", 0, 0, 'n'},
                                         {"quiet", 0, 0, 'q'},
                                         {"defconfig", 1, 0, 'f'},
                                         COMMON_LONG_OPTS};
    struct domain_create dom_info = {.daemonize = 1, .monitor = 1};
    const char *filename = NULL;
    int opt, rc;

    /* The config file may come before the options. */
    if (argv[1] && argv[1][0] != '-' && !strchr(argv[1], '=')) {
        filename = argv[1];
        argc--;
        argv++;
    }

    SWITCH_FOREACH_OPT(opt, "Fnqf:pcde", opts, "create", 0)
    {
    case 'f':
        filename = optarg;
        break;
    case 'p':
        dom_info.paused = 1;
        break;
    case 'c':
        dom_info.console_autoconnect = 1;
        break;
    case 'd':
        dom_info.debug = 1;
        break;
    case 'F':
        dom_info.daemonize = 0;
        break;
    case 'e':
        dom_info.daemonize = 0;
        dom_info.monitor = 0;
        break;
    case 'n':
        dryrun_only = 1;
        break;
    case 'q':
        dom_info.quiet = 1;
        break;
    }

    for (; optind < argc; optind++) {
        if (strchr(argv[optind], '=')) {
            string_realloc_append(&dom_info.extra_config, argv[optind]);
            string_realloc_append(&dom_info.extra_config, "\n");
        } else if (!filename) {
            filename = argv[optind];
        } else {
            help("create");
            free(dom_info.extra_config);
            return 2;
        }
    }
    dom_info.dryrun = dryrun_only;
    dom_info.config_file = filename;

    rc = create_domain(&dom_info);
    free(dom_info.extra_config);
    return rc < 0 ? -rc : 0;
}
