/*
 * libxenlight driven as an orchestrator drives it: a C program that
 * links libxl, builds domain configurations in C and follows domains
 * with the event API. libxl.sh and libxl-guest.sh run it against a
 * private stack (xen, xenstored, xenconsoled from tests/integration/
 * stack.sh); it checks what libxl says against what the hypervisor and
 * xenstore say, read independently with libxenctrl and libxenstore.
 *
 *   libxl-test nohv               no hypervisor: a context still serves
 *                                 JSON; calls that need xen fail cleanly
 *   libxl-test host KERNEL        domain 0 only: information, names,
 *                                 userdata, events, the console ring,
 *                                 and every refusal of domain creation,
 *                                 which must leave nothing behind
 *   libxl-test guest HELLO SPIN   with KVM: whole life cycles of PVH
 *                                 guests (HELLO powers itself off,
 *                                 SPIN runs until told)
 *
 * Prints "ok"/"FAIL" lines; exits 0 if all passed.
 */
#define TESTLIB_XC
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <xenstore.h>

#include "testlib.h"

static libxl_ctx *ctx;
static struct xs_handle *xs;

/* ---- A logger that keeps the messages since the last look ---- */

typedef struct {
    xentoollog_logger vtable;
    char seen[8192];
} xentoollog_logger_capture;

static void capture_vmessage(xentoollog_logger *lg, xentoollog_level level,
                             int errnoval, const char *context,
                             const char *format, va_list al)
{
    xentoollog_logger_capture *c = (void *)lg;
    size_t used = strlen(c->seen);
    char *msg = c->seen + used;

    vsnprintf(msg, sizeof(c->seen) - used, format, al);
    fprintf(stderr, "    log: %s: %s: %s%s%s\n", context ? context : "",
            xtl_level_to_string(level), msg, errnoval >= 0 ? ": " : "",
            errnoval >= 0 ? strerror(errnoval) : "");
    strncat(c->seen, "\n", sizeof(c->seen) - strlen(c->seen) - 1);
}

static void capture_progress(xentoollog_logger *lg, const char *context,
                             const char *doing_what, int percent,
                             unsigned long done, unsigned long total)
{
    (void)lg, (void)context, (void)doing_what, (void)percent, (void)done,
        (void)total;
}

static void capture_destroy(xentoollog_logger *lg)
{
    free(lg);
}

static xentoollog_logger_capture *logger;

static void forget_log(void)
{
    logger->seen[0] = '\0';
}

/* Whether a message since the last call contains @what; forgets them. */
static int logged(const char *what)
{
    int yes = strstr(logger->seen, what) != NULL;

    if (!yes)
        printf("     (messages: \"%s\", wanted \"%s\")\n", logger->seen, what);
    logger->seen[0] = '\0';
    return yes;
}

/* ---- What a domain leaves behind, read around libxl ---- */

static void append(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);

    snprintf(buf + n, size - n, "%s ", s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void xs_children(const char *path, char *buf, size_t size)
{
    unsigned int n = 0;
    char **list = xs_directory(xs, XBT_NULL, path, &n);

    if (!list)
        return;
    qsort(list, n, sizeof(*list), cmp_str);
    for (unsigned int i = 0; i < n; i++)
        append(buf, size, list[i]);
    free(list);
}

struct traces {
    char text[8192];
};

/* Domains, /local/domain, /vm, /libxl, backends and userdata files. */
static void traces(struct traces *t)
{
    xc_domaininfo_t info[64];
    const char *lib = getenv("XEN_LIB_DIR");
    int n = xc_domain_getinfolist(xch, 0, 64, info);
    DIR *d;

    t->text[0] = '\0';
    append(t->text, sizeof(t->text), "domains:");
    for (int i = 0; i < n; i++) {
        char id[16];

        snprintf(id, sizeof(id), "%u", info[i].domain);
        append(t->text, sizeof(t->text), id);
    }
    append(t->text, sizeof(t->text), "local:");
    xs_children("/local/domain", t->text, sizeof(t->text));
    append(t->text, sizeof(t->text), "vm:");
    xs_children("/vm", t->text, sizeof(t->text));
    append(t->text, sizeof(t->text), "libxl:");
    xs_children("/libxl", t->text, sizeof(t->text));
    append(t->text, sizeof(t->text), "backends:");
    xs_children("/local/domain/0/backend/console", t->text, sizeof(t->text));
    append(t->text, sizeof(t->text), "files:");
    d = lib ? opendir(lib) : NULL;
    for (struct dirent *e; d && (e = readdir(d));)
        if (!strncmp(e->d_name, "userdata-", 9))
            append(t->text, sizeof(t->text), e->d_name);
    if (d)
        closedir(d);
}

/* The same as @before, allowing a dying domain a few seconds to go. */
static int same_traces(const struct traces *before)
{
    struct traces now;

    for (int i = 0; i < 50; i++) {
        traces(&now);
        if (!strcmp(before->text, now.text))
            break;
        sleep_ms(100);
    }
    return CHECK(!strcmp(before->text, now.text), "before: %s\n     now: %s",
                 before->text, now.text);
}

/* ---- Configurations ---- */

static void pvh_config(libxl_domain_config *c, const char *name,
                       const char *kernel, uint64_t memkb)
{
    libxl_domain_config_init(c);
    libxl_domain_create_info_init(&c->c_info);
    c->c_info.type = LIBXL_DOMAIN_TYPE_PVH;
    c->c_info.name = name ? strdup(name) : NULL;
    libxl_domain_build_info_init_type(&c->b_info, LIBXL_DOMAIN_TYPE_PVH);
    c->b_info.max_vcpus = 1;
    c->b_info.max_memkb = memkb;
    c->b_info.target_memkb = memkb;
    c->b_info.kernel = kernel ? strdup(kernel) : NULL;
    c->b_info.cmdline = strdup("libxl-test");
}

/* Create from @c, which must fail with @want and a message with @msg. */
static void create_fails(libxl_domain_config *c, int want, const char *msg,
                         const char *what)
{
    struct traces before;
    uint32_t domid = 0;
    int rc, n = failures;

    traces(&before);
    forget_log();
    rc = libxl_domain_create_new(ctx, c, &domid, NULL, NULL);
    CHECK(rc == want, "rc %d, wanted %d", rc, want);
    CHECK(domid == (uint32_t)INVALID_DOMID, "domid %u", domid);
    CHECK(logged(msg));
    same_traces(&before);
    libxl_domain_config_dispose(c);
    section(what, n);
}

/* ---- Events, with a deadline so that a lost event fails, not hangs ---- */

/* Wait up to @secs for an event of @type (bit mask) through beforepoll. */
static libxl_event *wait_event(uint64_t typemask, int secs)
{
    for (int i = 0; i < secs * 10; i++) {
        struct pollfd fds[4];
        int nfds = 4, timeout = 100;
        struct timeval now;
        libxl_event *ev;

        if (!libxl_event_check(ctx, &ev, typemask, NULL, NULL))
            return ev;
        gettimeofday(&now, NULL);
        if (!CHECK(libxl_osevent_beforepoll(ctx, &nfds, fds, &timeout, now) ==
                   0))
            return NULL;
        poll(fds, nfds, timeout);
        gettimeofday(&now, NULL);
        libxl_osevent_afterpoll(ctx, nfds, fds, now);
    }
    return NULL;
}

/* ---- No hypervisor ---- */

static void test_nohv(void)
{
    libxl_domain_config c, back;
    libxl_physinfo physinfo;
    char *json, *json2;
    int nb, n = failures;

    pvh_config(&c, "json-only", "/boot/vmlinuz", 65536);
    json = libxl_domain_config_to_json(ctx, &c);
    CHECK(json && strstr(json, "\"json-only\""));
    libxl_domain_config_init(&back);
    CHECK(json && libxl_domain_config_from_json(ctx, &back, json) == 0);
    json2 = libxl_domain_config_to_json(ctx, &back);
    CHECK(json && json2 && !strcmp(json, json2));
    free(json);
    free(json2);
    libxl_domain_config_dispose(&back);
    libxl_domain_config_dispose(&c);
    section("a context without a hypervisor serves JSON", n);

    n = failures;
    forget_log();
    CHECK(libxl_get_physinfo(ctx, &physinfo) == ERROR_FAIL);
    CHECK(logged("is xen running?"));
    CHECK(libxl_list_domain(ctx, &nb) == NULL && nb == 0);
    CHECK(libxl_get_version_info(ctx) == NULL);
    CHECK(libxl_domain_info(ctx, NULL, 0) == ERROR_FAIL);
    section("without a hypervisor, calls fail with a clear message", n);
}

/* ---- Domain 0 only ---- */

static void test_ctx(void)
{
    libxl_ctx *other = NULL;
    int n = failures;

    CHECK(libxl_ctx_alloc(&other, LIBXL_VERSION + 1, 0, NULL) == ERROR_VERSION);
    CHECK(other == NULL);
    CHECK(libxl_ctx_alloc(&other, LIBXL_VERSION, 1, NULL) == ERROR_INVAL);
    /* Without a logger, a context still works (messages to stderr). */
    CHECK(libxl_ctx_alloc(&other, LIBXL_VERSION, 0, NULL) == 0 && other);
    CHECK(other && libxl_get_max_cpus(other) > 0);
    CHECK(libxl_ctx_free(other) == 0);
    CHECK(libxl_ctx_free(NULL) == 0);
    section("context: version and flags checked, no logger needed", n);
}

static void test_info(void)
{
    const libxl_version_info *v = libxl_get_version_info(ctx);
    int version = xc_version(xch, XENVER_version, NULL);
    libxl_physinfo pi;
    xc_physinfo_t xpi = {0};
    libxl_dominfo *list, d0;
    libxl_vcpuinfo *vcpus;
    int nb, nr_cpus = 0, found = 0, n = failures;
    uint64_t free_kb;

    CHECK(v && v->xen_version_major == version >> 16 &&
          v->xen_version_minor == (version & 0xffff));
    CHECK(v && v->xen_version_extra && v->capabilities && v->compiler &&
          v->commandline && v->pagesize == 4096);
    CHECK(libxl_get_version_info(ctx) == v, "the context keeps one copy");
    CHECK(libxl_get_physinfo(ctx, &pi) == 0);
    CHECK(xc_physinfo(xch, &xpi) == 0);
    CHECK(pi.nr_cpus == xpi.nr_cpus && pi.nr_cpus > 0 &&
          pi.total_pages == xpi.total_pages && pi.cap_hvm == 1);
    CHECK(libxl_get_max_cpus(ctx) == (int)xpi.max_cpu_id + 1);
    CHECK(libxl_get_online_cpus(ctx) == (int)xpi.nr_cpus);
    CHECK(libxl_get_max_nodes(ctx) >= 1);
    CHECK(libxl_get_scheduler(ctx) > 0);
    CHECK(libxl_get_free_memory(ctx, &free_kb) == 0 &&
          free_kb == free_pages() * 4);
    libxl_physinfo_dispose(&pi);
    section("version and host information match the hypervisor's", n);

    n = failures;
    list = libxl_list_domain(ctx, &nb);
    CHECK(list && nb >= 1);
    for (int i = 0; list && i < nb; i++)
        found += list[i].domid == 0;
    CHECK(found == 1);
    libxl_dominfo_list_free(list, nb);
    CHECK(libxl_domain_info(ctx, &d0, 0) == 0);
    CHECK(d0.domid == 0 && d0.current_memkb > 0 && !d0.dying);
    libxl_dominfo_dispose(&d0);
    CHECK(libxl_domain_info(ctx, NULL, 0) == 0);
    CHECK(libxl_domain_info(ctx, NULL, 31999) == ERROR_DOMAIN_NOTFOUND);
    vcpus = libxl_list_vcpu(ctx, 0, &nb, &nr_cpus);
    CHECK(vcpus && nb >= 1 && nr_cpus == (int)xpi.max_cpu_id + 1);
    CHECK(vcpus && vcpus[0].cpumap.size * 8 >= (unsigned)nr_cpus);
    libxl_vcpuinfo_list_free(vcpus, nb);
    CHECK(libxl_list_vcpu(ctx, 31999, &nb, &nr_cpus) == NULL && nb == 0);
    section("domain and vcpu lists show Domain-0", n);
}

static void test_names(void)
{
    char *name = libxl_domid_to_name(ctx, 0);
    uint32_t domid = 77;
    int n = failures;

    CHECK(name && !strcmp(name, "Domain-0"), "%s", name ? name : "(null)");
    free(name);
    CHECK(libxl_name_to_domid(ctx, "Domain-0", &domid) == 0 && domid == 0);
    CHECK(libxl_name_to_domid(ctx, "no-such-domain", &domid) == ERROR_INVAL);
    CHECK(libxl_domain_qualifier_to_domid(ctx, "0", &domid) == 0 && domid == 0);
    CHECK(libxl_domain_qualifier_to_domid(ctx, "123", &domid) == 0 &&
          domid == 123);
    CHECK(libxl_domain_qualifier_to_domid(ctx, "99999999999", &domid) ==
          ERROR_INVAL);
    CHECK(libxl_domid_to_name(ctx, 31999) == NULL);
    CHECK(!libxl_domid_valid_guest(0) && libxl_domid_valid_guest(1) &&
          !libxl_domid_valid_guest(DOMID_FIRST_RESERVED));
    section("names and ids", n);
}

/* The hypervisor's console ring: libxl reads what libxenctrl reads. */
static void test_console_ring(void)
{
    static char all[1 << 16];
    libxl_xen_console_reader *cr;
    size_t len;
    char *line;
    int n = failures;

    all[0] = '\0';
    cr = libxl_xen_console_read_start(ctx, 0);
    CHECK(cr != NULL);
    while (cr && libxl_xen_console_read_line(ctx, cr, &line) == 1)
        strncat(all, line, sizeof(all) - strlen(all) - 1);
    libxl_xen_console_read_finish(ctx, cr);
    /* Read afterwards: the ring may only have grown since. */
    console_poll();
    len = strlen(all);
    CHECK(len > 0 && con.len >= len && !strncmp(all, con.text, len),
          "libxl read %zu bytes, libxenctrl %zu", len, con.len);
    section("the hypervisor's console ring, read through libxl", n);
}

/* Run libxl_*console_exec in a child whose client records its arguments. */
static int console_exec_args(int primary, int notify_fd, char *args,
                             size_t size)
{
    char script[] = "/tmp/libxl-test-console.XXXXXX";
    char out[sizeof(script) + 4];
    int fd, status = -1, got = -1;
    pid_t pid;
    FILE *f;

    fd = mkstemp(script);
    snprintf(out, sizeof(out), "%s.out", script);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!CHECK(f != NULL))
        return -1;
    fprintf(f, "#!/bin/sh\necho \"$*\" >%s\n", out);
    fclose(f);
    chmod(script, 0700);
    setenv("XENCONSOLE_PATH", script, 1);
    pid = fork();
    if (pid == 0) {
        /* Returns only if it could not exec. */
        _exit(primary ? libxl_primary_console_exec(ctx, 0, notify_fd)
                      : libxl_console_exec(ctx, 0, 2, LIBXL_CONSOLE_TYPE_SERIAL,
                                           notify_fd));
    }
    if (CHECK(pid > 0) && waitpid(pid, &status, 0) == pid &&
        WIFEXITED(status) && !WEXITSTATUS(status)) {
        f = fopen(out, "r");
        if (f && fgets(args, size, f)) {
            args[strcspn(args, "\n")] = '\0';
            got = 0;
        }
        if (f)
            fclose(f);
    }
    unlink(out);
    unlink(script);
    return got;
}

static void test_console_exec(void)
{
    char args[256] = "", *tty = NULL;
    int n = failures;

    CHECK(console_exec_args(1, -1, args, sizeof(args)) == 0 &&
              !strcmp(args, "0 --num 0 --type pv"),
          "args \"%s\"", args);
    CHECK(console_exec_args(0, 7, args, sizeof(args)) == 0 &&
              !strcmp(args, "0 --num 2 --type serial --start-notify-fd 7"),
          "args \"%s\"", args);
    setenv("XENCONSOLE_PATH", "/nonexistent/xenconsole", 1);
    forget_log();
    CHECK(libxl_console_exec(ctx, 0, 0, LIBXL_CONSOLE_TYPE_PV, -1) ==
          ERROR_FAIL);
    CHECK(logged("cannot run the console client /nonexistent/xenconsole"));
    CHECK(libxl_console_exec(ctx, 0, 0, 99, -1) == ERROR_INVAL);
    unsetenv("XENCONSOLE_PATH");
    /* Domain 0 has no console pty; a missing domain has nothing. */
    CHECK(libxl_console_get_tty(ctx, 0, 0, LIBXL_CONSOLE_TYPE_PV, &tty) ==
          ERROR_FAIL);
    CHECK(libxl_primary_console_get_tty(ctx, 31999, &tty) ==
          ERROR_DOMAIN_NOTFOUND);
    section("console: the client's arguments, tty lookups", n);
}

/* A child goes on with a new context; the parent's is undisturbed. */
static void test_postfork(void)
{
    libxl_evgen_domain_death *gen = NULL;
    libxl_event *ev = NULL;
    int status = -1, n = failures;
    pid_t pid;

    /* The parent's context watches xenstore across the fork. */
    CHECK(libxl_evenable_domain_death(ctx, 31997, 3, &gen) == 0);
    libxl_event_free(ctx, wait_event(1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH, 5));
    pid = fork();
    if (pid == 0) {
        libxl_ctx *child = NULL;
        int ok;

        libxl_postfork_child_noexec(ctx);
        ok = !libxl_ctx_alloc(&child, LIBXL_VERSION, 0,
                              (xentoollog_logger *)logger) &&
             !libxl_domain_info(child, NULL, 0) &&
             libxl_domid_to_name(child, 0) != NULL;
        libxl_ctx_free(child);
        _exit(ok ? 0 : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0,
          "child status %d", status);
    CHECK(libxl_domain_info(ctx, NULL, 0) == 0);
    libxl_evdisable_domain_death(ctx, gen);
    CHECK(libxl_evenable_domain_death(ctx, 31996, 4, &gen) == 0);
    ev = wait_event(1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH, 5);
    CHECK(ev && ev->domid == 31996);
    libxl_event_free(ctx, ev);
    libxl_evdisable_domain_death(ctx, gen);
    section("fork: the child makes a new context, the parent's works on", n);
}

static void test_userdata(void)
{
    uint8_t *data = NULL;
    int len = -1, n = failures;

    CHECK(libxl_userdata_store(ctx, 0, "libxl-test", (const uint8_t *)"abc",
                               3) == 0);
    CHECK(libxl_userdata_retrieve(ctx, 0, "libxl-test", &data, &len) == 0 &&
          len == 3 && data && !memcmp(data, "abc", 3));
    free(data);
    CHECK(libxl_userdata_unlink(ctx, 0, "libxl-test") == 0);
    data = (uint8_t *)"x";
    CHECK(libxl_userdata_retrieve(ctx, 0, "libxl-test", &data, &len) == 0 &&
          len == 0 && data == NULL);
    forget_log();
    CHECK(libxl_userdata_store(ctx, 0, "../escape", (const uint8_t *)"x", 1) ==
          ERROR_INVAL);
    CHECK(logged("is not [-_a-zA-Z0-9]"));
    CHECK(libxl_userdata_store(ctx, 31999, "libxl-test", (const uint8_t *)"x",
                               1) == ERROR_DOMAIN_NOTFOUND);
    section("userdata: store, retrieve, unlink; bad names refused", n);
}

/*
 * Domain 0's stored configuration: xen-init-dom0 (run by xencommons)
 * stored it; then one stored by hand, and none.
 */
static void test_retrieve(void)
{
    static const char json[] = "{\"c_info\": {\"type\": \"pv\", "
                               "\"name\": \"Domain-0\"}}";
    libxl_domain_config c;
    libxl_dominfo d0;
    int n = failures;

    libxl_domain_config_init(&c);
    CHECK(libxl_retrieve_domain_configuration(ctx, 0, &c, NULL) == 0);
    CHECK(c.c_info.type == LIBXL_DOMAIN_TYPE_PV && c.c_info.name &&
          !strcmp(c.c_info.name, "Domain-0"));
    libxl_domain_config_dispose(&c);
    libxl_domain_config_init(&c);
    CHECK(libxl_userdata_unlink(ctx, 0, "libxl-json") == 0);
    CHECK(libxl_retrieve_domain_configuration(ctx, 0, &c, NULL) ==
          ERROR_JSON_CONFIG_EMPTY);
    CHECK(libxl_userdata_store(ctx, 0, "libxl-json", (const uint8_t *)json,
                               sizeof(json)) == 0);
    CHECK(libxl_retrieve_domain_configuration(ctx, 0, &c, NULL) == 0);
    CHECK(c.c_info.type == LIBXL_DOMAIN_TYPE_PV && c.c_info.name &&
          !strcmp(c.c_info.name, "Domain-0"));
    CHECK(libxl_domain_info(ctx, &d0, 0) == 0 &&
          c.b_info.target_memkb == d0.current_memkb &&
          !libxl_uuid_compare(&c.c_info.uuid, &d0.uuid));
    libxl_dominfo_dispose(&d0);
    libxl_domain_config_dispose(&c);
    /* Without its terminating NUL the data is not trusted. */
    libxl_domain_config_init(&c);
    forget_log();
    CHECK(libxl_userdata_store(ctx, 0, "libxl-json", (const uint8_t *)json,
                               sizeof(json) - 1) == 0);
    CHECK(libxl_retrieve_domain_configuration(ctx, 0, &c, NULL) == ERROR_FAIL);
    CHECK(logged("damaged"));
    libxl_domain_config_dispose(&c);
    CHECK(libxl_userdata_unlink(ctx, 0, "libxl-json") == 0);
    section("stored configuration: retrieved with live values, checked", n);
}

static int hooks_events, fd_registered;

static void event_occurs(void *user, libxl_event *ev)
{
    CHECK(user == &hooks_events && ev->type == LIBXL_EVENT_TYPE_DOMAIN_DEATH);
    hooks_events++;
    libxl_event_free(ctx, ev);
}

static int fd_register(void *user, int fd, void **reg, short events,
                       void *for_libxl)
{
    CHECK(user == &fd_registered && fd >= 0 && events == POLLIN && for_libxl);
    *reg = &fd_registered;
    fd_registered++;
    return 0;
}

static int fd_modify(void *user, int fd, void **reg, short events)
{
    (void)user, (void)fd, (void)reg, (void)events;
    return 0;
}

static void fd_deregister(void *user, int fd, void *reg)
{
    (void)user, (void)fd;
    CHECK(reg == &fd_registered);
    fd_registered--;
}

static void test_events(void)
{
    static const libxl_osevent_hooks os_hooks = {
        .fd_register = fd_register,
        .fd_modify = fd_modify,
        .fd_deregister = fd_deregister,
    };
    static const libxl_event_hooks ev_hooks = {
        .event_occurs_mask = 1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH,
        .event_occurs = event_occurs,
    };
    libxl_evgen_domain_death *gen = NULL;
    libxl_event *ev = NULL;
    libxl_ctx *other = NULL;
    int n = failures;

    /* A domain that does not exist is dead at once. */
    CHECK(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL) ==
          ERROR_NOT_READY);
    CHECK(libxl_evenable_domain_death(ctx, 31999, 42, &gen) == 0 && gen);
    ev = wait_event(1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH, 5);
    CHECK(ev && ev->domid == 31999 && ev->for_user == 42);
    libxl_event_free(ctx, ev);
    /* Once only. */
    CHECK(libxl_event_check(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL) ==
          ERROR_NOT_READY);
    libxl_evdisable_domain_death(ctx, gen);
    section("events: death of a missing domain, through beforepoll", n);

    n = failures;
    CHECK(libxl_ctx_alloc(&other, LIBXL_VERSION, 0,
                          (xentoollog_logger *)logger) == 0);
    libxl_osevent_register_hooks(other, &os_hooks, &fd_registered);
    libxl_event_register_callbacks(other, &ev_hooks, &hooks_events);
    CHECK(libxl_evenable_domain_death(other, 31998, 7, &gen) == 0);
    CHECK(fd_registered == 1, "fd_register called %d times", fd_registered);
    CHECK(hooks_events == 1, "event_occurs called %d times", hooks_events);
    libxl_evdisable_domain_death(other, gen);
    /* With nothing enabled, waiting would hang: refused. */
    CHECK(libxl_event_wait(ctx, &ev, LIBXL_EVENTMASK_ALL, NULL, NULL) ==
          ERROR_INVAL);
    libxl_ctx_free(other);
    CHECK(fd_registered == 0, "fd_deregister not called");
    section("events: application hooks and callbacks", n);
}

static int ao_calls, ao_rc;

static void ao_callback(libxl_ctx *c, int rc, void *for_callback)
{
    CHECK(c == ctx && for_callback == &ao_calls);
    ao_calls++;
    ao_rc = rc;
}

static void test_ao(void)
{
    libxl_asyncop_how cb = {.callback = ao_callback,
                            .u.for_callback = &ao_calls};
    libxl_asyncop_how evh = {.u.for_event = 99};
    libxl_event *ev = NULL;
    int n = failures;

    CHECK(libxl_domain_pause(ctx, 31999, &cb) == 0);
    CHECK(ao_calls == 1 && ao_rc == ERROR_FAIL);
    CHECK(libxl_domain_destroy(ctx, 31999, &evh) == 0);
    CHECK(libxl_event_check(ctx, &ev,
                            1ULL << LIBXL_EVENT_TYPE_OPERATION_COMPLETE, NULL,
                            NULL) == 0);
    CHECK(ev && ev->for_user == 99 &&
          ev->u.operation_complete.rc == ERROR_DOMAIN_NOTFOUND);
    libxl_event_free(ctx, ev);
    CHECK(libxl_domain_destroy(ctx, 0, NULL) == ERROR_INVAL);
    CHECK(libxl_domain_unpause(ctx, 31999, NULL) == ERROR_FAIL);
    CHECK(libxl_domain_shutdown(ctx, 31999, NULL) == ERROR_DOMAIN_NOTFOUND);
    CHECK(libxl_set_memory_target(ctx, 0, 1024, 1, 0) == ERROR_INVAL);
    CHECK(libxl_ao_abort(ctx, &cb) == ERROR_NOTFOUND);
    section("asynchronous operations report by callback and by event", n);
}

static void test_create_refused(const char *kernel)
{
    libxl_domain_config c;
    char bogus[] = "/tmp/libxl-test-kernel.XXXXXX";
    int fd;

    pvh_config(&c, NULL, kernel, 16384);
    create_fails(&c, ERROR_INVAL, "has no name", "create: no name");
    pvh_config(&c, "libxl-t", NULL, 16384);
    create_fails(&c, ERROR_INVAL, "no kernel", "create: no kernel");
    pvh_config(&c, "libxl-t", "/nonexistent/kernel", 16384);
    create_fails(&c, ERROR_INVAL, "cannot be read", "create: missing kernel");
    pvh_config(&c, "Domain-0", kernel, 16384);
    create_fails(&c, ERROR_INVAL, "already exists", "create: duplicate name");
    pvh_config(&c, "libxl-t", kernel, 1ULL << 40);
    create_fails(&c, ERROR_NOMEM, "not enough memory",
                 "create: memory over the budget");
    pvh_config(&c, "libxl-t", kernel, 16384);
    c.b_info.target_memkb = 32768;
    create_fails(&c, ERROR_INVAL, "larger than maxmem",
                 "create: memory above maxmem");
    pvh_config(&c, "libxl-t", kernel, 16384);
    c.b_info.max_vcpus = 4096;
    create_fails(&c, ERROR_INVAL, "out of range", "create: too many vcpus");
    pvh_config(&c, "libxl-t", kernel, 16384);
    libxl_bitmap_dispose(&c.b_info.avail_vcpus);
    libxl_bitmap_alloc(ctx, &c.b_info.avail_vcpus, 8);
    libxl_bitmap_set(&c.b_info.avail_vcpus, 3);
    create_fails(&c, ERROR_INVAL, "max_vcpus is 1",
                 "create: online vcpu above max_vcpus");

    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_HVM;
    c.c_info.name = strdup("libxl-hvm");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_HVM);
    create_fails(&c, ERROR_INVAL, "not supported yet", "create: HVM refused");
    libxl_domain_config_init(&c);
    c.c_info.type = LIBXL_DOMAIN_TYPE_PV;
    c.c_info.name = strdup("libxl-pv");
    libxl_domain_build_info_init_type(&c.b_info, LIBXL_DOMAIN_TYPE_PV);
    create_fails(&c, ERROR_INVAL, "not supported yet", "create: PV refused");

    /* Not a PVH kernel: refused once the domain exists, then destroyed. */
    fd = mkstemp(bogus);
    CHECK(fd >= 0 && write(fd, "not an ELF file\n", 16) == 16);
    close(fd);
    pvh_config(&c, "libxl-t", bogus, 16384);
    if (access("/dev/kvm", R_OK | W_OK) == 0)
        create_fails(&c, ERROR_INVAL, "not a PVH kernel",
                     "create: bad kernel image, all undone");
    else
        create_fails(&c, ERROR_FAIL, "no /dev/kvm",
                     "create: no KVM here, nothing left behind");
    unlink(bogus);
}

static void test_files(void)
{
    const char *dir = getenv("XEN_LOG_DIR");
    char *full = NULL, path[512];
    void *data = NULL;
    int len = 0, n = failures;
    FILE *f;

    CHECK(dir != NULL);
    CHECK(libxl_create_logfile(ctx, "libxl-test", &full) == 0 && full);
    f = full ? fopen(full, "w") : NULL;
    CHECK(f && fputs("first\n", f) >= 0);
    if (f)
        fclose(f);
    free(full);
    full = NULL;
    CHECK(libxl_create_logfile(ctx, "libxl-test", &full) == 0 && full);
    snprintf(path, sizeof(path), "%s/libxl-test.log.1", dir ? dir : "");
    CHECK(libxl_read_file_contents(ctx, path, &data, &len) == 0 && len == 6 &&
              !memcmp(data, "first\n", 6),
          "the old log is kept as .1");
    free(data);
    free(full);
    CHECK(libxl_read_file_contents(ctx, "/nonexistent", &data, &len) == ENOENT);
    section("log files rotate; files read whole", n);
}

/* ---- Guests (KVM) ---- */

static char *xs_get(const char *fmt, uint32_t domid, const char *rest)
{
    char path[256];
    unsigned int len;

    snprintf(path, sizeof(path), fmt, domid, rest);
    return xs_read(xs, XBT_NULL, path, &len);
}

/* /local/domain/N/@node has @want (NULL: exists). */
static int node_is(uint32_t domid, const char *node, const char *want)
{
    char *v = xs_get("/local/domain/%u/%s", domid, node);
    int ok = v && (!want || !strcmp(v, want));

    if (!ok)
        printf("     /local/domain/%u/%s is \"%s\", wanted \"%s\"\n", domid,
               node, v ? v : "(missing)", want ? want : "(any)");
    free(v);
    return ok;
}

static uint32_t create_guest(const char *name, const char *kernel,
                             struct traces *before)
{
    libxl_asyncprogress_how console_how = {.for_event = 5};
    libxl_domain_config c;
    libxl_event *ev = NULL;
    libxl_dominfo info;
    uint32_t domid = 0;

    traces(before);
    pvh_config(&c, name, kernel, 16384);
    if (!CHECK(libxl_domain_create_new(ctx, &c, &domid, NULL, &console_how) ==
               0)) {
        libxl_domain_config_dispose(&c);
        return 0;
    }
    libxl_domain_config_dispose(&c);
    CHECK(libxl_domid_valid_guest(domid));
    CHECK(libxl_event_check(
              ctx, &ev,
              1ULL << LIBXL_EVENT_TYPE_DOMAIN_CREATE_CONSOLE_AVAILABLE, NULL,
              NULL) == 0 &&
          ev->domid == domid && ev->for_user == 5);
    libxl_event_free(ctx, ev);
    CHECK(libxl_domain_info(ctx, &info, domid) == 0 && info.paused,
          "created paused");
    libxl_dominfo_dispose(&info);
    return domid;
}

/* What a live guest has in xenstore (libxl-layout checks the rest). */
static void check_layout(uint32_t domid, const char *name)
{
    char *v = xs_get("/libxl/%u/%s", domid, "type");
    int n = failures;

    CHECK(node_is(domid, "name", name));
    CHECK(node_is(domid, "memory/target", "16384"));
    CHECK(node_is(domid, "cpu/0/availability", "online"));
    CHECK(node_is(domid, "store/port", NULL) &&
          node_is(domid, "store/ring-ref", NULL) &&
          node_is(domid, "console/port", NULL) &&
          node_is(domid, "console/ring-ref", NULL));
    CHECK(v && !strcmp(v, "pvh"));
    free(v);
    CHECK(xs_is_domain_introduced(xs, domid));
    section("xenstore of a new PVH domain; introduced to xenstored", n);
}

static void destroy_guest(uint32_t domid, libxl_evgen_domain_death *gen,
                          const struct traces *before)
{
    libxl_event *ev;

    CHECK(libxl_domain_destroy(ctx, domid, NULL) == 0);
    ev = wait_event(1ULL << LIBXL_EVENT_TYPE_DOMAIN_DEATH, 30);
    CHECK(ev && ev->domid == domid, "no DOMAIN_DEATH");
    libxl_event_free(ctx, ev);
    libxl_evdisable_domain_death(ctx, gen);
    same_traces(before);
}

/* The guest powers itself off; libxl reports it, then its death. */
static void test_hello(const char *kernel)
{
    libxl_domain_config stored;
    libxl_evgen_domain_death *gen = NULL;
    struct traces before;
    uint64_t free0 = free_pages();
    libxl_event *ev;
    uint32_t domid;
    char pass[32];
    int n = failures;

    domid = create_guest("libxl-hello", kernel, &before);
    if (!domid)
        goto out;
    check_layout(domid, "libxl-hello");
    libxl_domain_config_init(&stored);
    CHECK(libxl_retrieve_domain_configuration(ctx, domid, &stored, NULL) == 0);
    CHECK(stored.c_info.name && !strcmp(stored.c_info.name, "libxl-hello") &&
          stored.b_info.kernel && !strcmp(stored.b_info.kernel, kernel));
    libxl_domain_config_dispose(&stored);
    CHECK(libxl_evenable_domain_death(ctx, domid, 1, &gen) == 0);
    CHECK(libxl_domain_unpause(ctx, domid, NULL) == 0);
    ev = wait_event(1ULL << LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN, 60);
    CHECK(ev && ev->domid == domid &&
          ev->u.domain_shutdown.shutdown_reason ==
              LIBXL_SHUTDOWN_REASON_POWEROFF);
    libxl_event_free(ctx, ev);
    snprintf(pass, sizeof(pass), "(d%u) PASS", domid);
    CHECK(console_wait(pass, 10), "no \"%s\" on the console", pass);
    destroy_guest(domid, gen, &before);
    for (int i = 0; i < 50 && free_pages() != free0; i++)
        sleep_ms(100);
    CHECK(free_pages() == free0, "free pages %llu, were %llu",
          (unsigned long long)free_pages(), (unsigned long long)free0);
out:
    section("guest life cycle: create, run, power off, destroy", n);
}

/* A guest without PV control is shut down by the hypervisor. */
static void test_spinner(const char *kernel, int reboot)
{
    libxl_evgen_domain_death *gen = NULL;
    libxl_bitmap map;
    struct traces before;
    libxl_dominfo info;
    libxl_event *ev;
    uint64_t target;
    uint32_t domid, other;
    char *tty = NULL;
    int n = failures;

    domid = create_guest("libxl-spin", kernel, &before);
    if (!domid)
        goto out;
    CHECK(libxl_evenable_domain_death(ctx, domid, 2, &gen) == 0);
    CHECK(libxl_domain_unpause(ctx, domid, NULL) == 0);
    CHECK(libxl_domain_pause(ctx, domid, NULL) == 0);
    CHECK(libxl_domain_info(ctx, &info, domid) == 0 && info.paused);
    libxl_dominfo_dispose(&info);
    CHECK(libxl_domain_unpause(ctx, domid, NULL) == 0);

    /* Names: unique, renamable. */
    {
        libxl_domain_config c;
        uint32_t dup = 0;

        pvh_config(&c, "libxl-spin", kernel, 16384);
        forget_log();
        CHECK(libxl_domain_create_new(ctx, &c, &dup, NULL, NULL) ==
              ERROR_INVAL);
        CHECK(logged("already exists"));
        libxl_domain_config_dispose(&c);
    }
    CHECK(libxl_domain_rename(ctx, domid, "libxl-spin", "libxl-spun") == 0);
    CHECK(libxl_name_to_domid(ctx, "libxl-spun", &other) == 0 &&
          other == domid);
    CHECK(libxl_domain_rename(ctx, domid, "wrong-old-name", "x") == ERROR_FAIL);
    CHECK(libxl_domain_rename(ctx, domid, NULL, "Domain-0") == ERROR_INVAL);

    /* Memory and vCPUs. */
    CHECK(libxl_get_memory_target(ctx, domid, &target) == 0 && target == 16384);
    CHECK(libxl_set_memory_target(ctx, domid, -4096, 1, 0) == 0);
    CHECK(libxl_get_memory_target(ctx, domid, &target) == 0 && target == 12288);
    CHECK(libxl_set_memory_target(ctx, domid, 65536, 0, 0) == ERROR_INVAL);
    CHECK(libxl_domain_setmaxmem(ctx, domid, 8192) == ERROR_INVAL);
    CHECK(libxl_domain_setmaxmem(ctx, domid, 16384) == 0);
    libxl_bitmap_init(&map);
    CHECK(libxl_cpu_bitmap_alloc(ctx, &map, 0) == 0);
    libxl_bitmap_set(&map, 0);
    CHECK(libxl_set_vcpuonline(ctx, domid, &map, NULL) == 0);
    CHECK(node_is(domid, "cpu/0/availability", "online"));
    CHECK(libxl_set_vcpuaffinity(ctx, domid, 0, &map, NULL) == 0);
    libxl_bitmap_set_none(&map);
    CHECK(libxl_set_vcpuonline(ctx, domid, &map, NULL) == ERROR_FAIL);
    libxl_bitmap_dispose(&map);

    /* xenconsoled gives the console a pty. */
    for (int i = 0; i < 50 && libxl_primary_console_get_tty(ctx, domid, &tty);
         i++)
        sleep_ms(100);
    CHECK(tty && !strncmp(tty, "/dev/pts/", 9), "tty %s", tty ? tty : "(none)");
    free(tty);

    CHECK((reboot ? libxl_domain_reboot : libxl_domain_shutdown)(ctx, domid,
                                                                 NULL) == 0);
    ev = wait_event(1ULL << LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN, 30);
    CHECK(ev && ev->u.domain_shutdown.shutdown_reason ==
                    (reboot ? LIBXL_SHUTDOWN_REASON_REBOOT
                            : LIBXL_SHUTDOWN_REASON_POWEROFF));
    libxl_event_free(ctx, ev);
    destroy_guest(domid, gen, &before);
out:
    section(reboot ? "guest without PV control: reboot, destroy"
                   : "guest without PV control: names, memory, vcpus, "
                     "console, shutdown, destroy",
            n);
}

int main(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "nohv") &&
                     (argc < 3 || (strcmp(argv[1], "host") &&
                                   (argc < 4 || strcmp(argv[1], "guest")))))) {
        fprintf(stderr, "usage: %s nohv | host KERNEL | guest HELLO SPIN\n",
                argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    {
        xentoollog_logger_capture buffer;

        buffer.seen[0] = '\0';
        logger = XTL_NEW_LOGGER(capture, buffer);
    }
    if (!CHECK(logger != NULL) ||
        !CHECK(libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0,
                               (xentoollog_logger *)logger) == 0))
        return 1;
    if (!strcmp(argv[1], "nohv")) {
        test_nohv();
        goto out;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    xs = xs_open(0);
    if (!CHECK(xch && xs))
        goto out;
    if (!strcmp(argv[1], "host")) {
        test_ctx();
        test_info();
        test_names();
        test_console_ring();
        test_console_exec();
        test_userdata();
        test_retrieve();
        test_events();
        test_postfork();
        test_ao();
        test_create_refused(argv[2]);
        test_files();
    } else {
        test_hello(argv[2]);
        test_spinner(argv[3], 0);
        test_spinner(argv[3], 1);
    }
out:
    libxl_ctx_free(ctx);
    xtl_logger_destroy((xentoollog_logger *)logger);
    if (xs)
        xs_close(xs);
    if (xch)
        xc_interface_close(xch);
    printf("%s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
