/*
 * xenstore-test: every libxenstore call against a running xenstored
 * (ours or Xen's: tests/integration/xenstore-lib.sh runs it on both),
 * including transactions that conflict, directories too large for one
 * message, watches with several threads on one handle, and domains.
 *
 * usage: xenstore-test [DOMID...]   (XENSTORED_PATH names the daemon;
 * the DOMIDs may be introduced: their ring pages exist)
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "testlib.h"

static struct xs_handle *open_or_die(void)
{
    struct xs_handle *h = xs_open(0);
    if (!h) {
        printf("FAIL xs_open: %s\n", strerror(errno));
        exit(1);
    }
    return h;
}

static bool read_is(struct xs_handle *h, xs_transaction_t t, const char *p,
                    const char *want)
{
    unsigned int len;
    char *v = xs_read(h, t, p, &len);
    bool ok = v && len == strlen(want) && !strcmp(v, want);
    free(v);
    return ok;
}

static bool event_is(char **ev, const char *path, const char *token)
{
    bool ok = ev && !strcmp(ev[XS_WATCH_PATH], path) &&
              !strcmp(ev[XS_WATCH_TOKEN], token);
    free(ev);
    return ok;
}

static void test_basics(struct xs_handle *h)
{
    static const char bin[] = {'a', 0, 'b', 0, 'c'};
    unsigned int len, n;
    char *v, **d;

    check(xs_write(h, XBT_NULL, "/test/a", "hello", 5), "write");
    check(read_is(h, XBT_NULL, "/test/a", "hello"), "read back");
    v = xs_read(h, XBT_NULL, "/test/a", NULL);
    check(v && !strcmp(v, "hello"), "read with NULL len");
    free(v);
    check(xs_write(h, XBT_NULL, "/test/bin", bin, sizeof(bin)), "write binary");
    v = xs_read(h, XBT_NULL, "/test/bin", &len);
    check(v && len == sizeof(bin) && !memcmp(v, bin, len) && v[len] == 0,
          "binary value round trip, NUL after it");
    free(v);
    check(xs_write(h, XBT_NULL, "/test/empty", "", 0), "write empty");
    check(read_is(h, XBT_NULL, "/test/empty", ""), "read empty");
    errno = 0;
    check(!xs_read(h, XBT_NULL, "/test/nonexistent", &len) && errno == ENOENT,
          "read missing: ENOENT");
    errno = 0;
    check(!xs_read(h, XBT_NULL, "/test//bad", &len) && errno == EINVAL,
          "read bad path: EINVAL");
    check(xs_mkdir(h, XBT_NULL, "/test/dir/sub"), "mkdir");
    check(xs_mkdir(h, XBT_NULL, "/test/dir/sub"), "mkdir existing");
    d = xs_directory(h, XBT_NULL, "/test", &n);
    check(d && n == 4 && !strcmp(d[0], "a") && !strcmp(d[1], "bin") &&
              !strcmp(d[2], "empty") && !strcmp(d[3], "dir"),
          "directory in creation order");
    free(d);
    d = xs_directory(h, XBT_NULL, "/test/a", &n);
    check(d && n == 0, "directory of a leaf is empty");
    free(d);
    check(xs_rm(h, XBT_NULL, "/test/dir"), "rm subtree");
    check(!xs_read(h, XBT_NULL, "/test/dir/sub", &len) && errno == ENOENT,
          "subtree gone");
    check(xs_rm(h, XBT_NULL, "/test/nonexistent"), "rm missing child: ok");
    errno = 0;
    check(!xs_rm(h, XBT_NULL, "/test/no/such") && errno == ENOENT,
          "rm below missing parent: ENOENT");
    errno = 0;
    char big[XENSTORE_PAYLOAD_MAX + 1];
    memset(big, 'x', sizeof(big));
    check(!xs_write(h, XBT_NULL, "/test/big", big, sizeof(big)) &&
              errno == E2BIG,
          "write over one message: E2BIG");
    v = xs_get_domain_path(h, 7);
    check(v && !strcmp(v, "/local/domain/7"), "get_domain_path");
    free(v);
    check(!xs_restrict(h, 1), "xs_restrict is gone");
    check(xs_path_is_subpath("/a", "/a/b") && xs_path_is_subpath("/a", "/a") &&
              !xs_path_is_subpath("/a", "/ab") &&
              !xs_path_is_subpath("/a/b", "/a"),
          "xs_path_is_subpath");
    v = xs_control_command(h, "check", NULL, 0);
    check(v && !strcmp(v, "OK"), "control check");
    free(v);
    errno = 0;
    v = xs_control_command(h, "no-such-command", NULL, 0);
    check(!v && errno == EINVAL, "control unknown: EINVAL");
    v = xs_debug_command(h, "print", "from xenstore-test", 19);
    check(v != NULL, "debug_command print");
    free(v);
}

static void test_perms(struct xs_handle *h)
{
    struct xs_permissions set[3] = {{0, XS_PERM_NONE},
                                    {5, XS_PERM_READ},
                                    {6, XS_PERM_READ | XS_PERM_WRITE}};
    struct xs_permissions *got, parsed[2];
    unsigned int n;

    check(xs_write(h, XBT_NULL, "/test/p", "v", 1), "write for perms");
    got = xs_get_permissions(h, XBT_NULL, "/test/p", &n);
    check(got && n == 1 && got[0].id == 0 && got[0].perms == XS_PERM_NONE,
          "default permissions n0");
    free(got);
    check(xs_set_permissions(h, XBT_NULL, "/test/p", set, 3),
          "set_permissions");
    got = xs_get_permissions(h, XBT_NULL, "/test/p", &n);
    check(got && n == 3 && got[1].id == 5 && got[1].perms == XS_PERM_READ &&
              got[2].id == 6 && got[2].perms == (XS_PERM_READ | XS_PERM_WRITE),
          "get_permissions returns them");
    free(got);
    check(xs_write(h, XBT_NULL, "/test/p/child", "c", 1), "child");
    got = xs_get_permissions(h, XBT_NULL, "/test/p/child", &n);
    check(got && n == 3 && got[0].id == 0, "child inherits permissions");
    free(got);
    check(xs_strings_to_perms(parsed, 2, "r3\0b0x10") && parsed[0].id == 3 &&
              parsed[0].perms == XS_PERM_READ && parsed[1].id == 16,
          "xs_strings_to_perms");
    check(!xs_strings_to_perms(parsed, 1, "q1"), "bad permission string");
}

static void test_big_directory(struct xs_handle *h)
{
    char path[128];
    unsigned int n, i;
    char **d;
    bool ok;

    /* 200 names of 60 bytes: about 12 KB, three DIRECTORY_PART parts. */
    for (i = 0; i < 200; i++) {
        snprintf(path, sizeof(path),
                 "/test/bigdir/entry-%03u-padding-padding-padding-padding-"
                 "padding",
                 i);
        if (!xs_write(h, XBT_NULL, path, "", 0))
            break;
    }
    check(i == 200, "create 200 entries");
    d = xs_directory(h, XBT_NULL, "/test/bigdir", &n);
    ok = d && n == 200;
    for (i = 0; ok && i < n; i++) {
        char want[80];
        snprintf(want, sizeof(want),
                 "entry-%03u-padding-padding-padding-padding-padding", i);
        ok = !strcmp(d[i], want);
    }
    check(ok, "directory of 12 KB comes back whole, in order (got %u)",
          d ? n : 0);
    free(d);
    xs_transaction_t t = xs_transaction_start(h);
    d = xs_directory(h, t, "/test/bigdir", &n);
    check(d && n == 200, "large directory inside a transaction");
    free(d);
    xs_transaction_end(h, t, true);
}

static void test_transactions(struct xs_handle *h)
{
    struct xs_handle *h2 = open_or_die();
    xs_transaction_t t, t2;

    xs_write(h, XBT_NULL, "/test/tx/a", "0", 1);
    t = xs_transaction_start(h);
    check(t != XBT_NULL, "transaction_start");
    check(xs_write(h, t, "/test/tx/a", "1", 1) &&
              xs_write(h, t, "/test/tx/b", "2", 1),
          "writes in a transaction");
    check(read_is(h, t, "/test/tx/a", "1"), "transaction sees its writes");
    check(read_is(h2, XBT_NULL, "/test/tx/a", "0") &&
              !xs_read(h2, XBT_NULL, "/test/tx/b", NULL),
          "others do not, before commit");
    check(xs_transaction_end(h, t, false), "commit");
    check(read_is(h2, XBT_NULL, "/test/tx/a", "1") &&
              read_is(h2, XBT_NULL, "/test/tx/b", "2"),
          "committed writes visible");

    t = xs_transaction_start(h);
    xs_write(h, t, "/test/tx/a", "aborted", 7);
    check(xs_transaction_end(h, t, true), "abort");
    check(read_is(h, XBT_NULL, "/test/tx/a", "1"), "aborted write gone");

    /* Two transactions touching the same node: the second commit fails. */
    t = xs_transaction_start(h);
    t2 = xs_transaction_start(h2);
    check(read_is(h, t, "/test/tx/a", "1") &&
              read_is(h2, t2, "/test/tx/a", "1"),
          "both read /test/tx/a");
    xs_write(h, t, "/test/tx/a", "first", 5);
    xs_write(h2, t2, "/test/tx/a", "second", 6);
    check(xs_transaction_end(h, t, false), "first commit succeeds");
    errno = 0;
    check(!xs_transaction_end(h2, t2, false) && errno == EAGAIN,
          "conflicting commit: EAGAIN");
    check(read_is(h, XBT_NULL, "/test/tx/a", "first"), "first one won");

    /* A read-only transaction conflicts too when what it read changed. */
    t = xs_transaction_start(h);
    read_is(h, t, "/test/tx/b", "2");
    xs_write(h2, XBT_NULL, "/test/tx/b", "3", 1);
    errno = 0;
    check(!xs_transaction_end(h, t, false) && errno == EAGAIN,
          "read set changed: EAGAIN");
    errno = 0;
    check(!xs_transaction_end(h, t, false) && errno == ENOENT,
          "ended transaction is gone: ENOENT");
    xs_close(h2);
}

static void test_watches(struct xs_handle *h)
{
    struct xs_handle *w = open_or_die();
    unsigned int n;
    char **ev;

    check(xs_watch(w, "/test/w", "tok"), "watch");
    ev = xs_read_watch(w, &n);
    check(n == 2 && event_is(ev, "/test/w", "tok"), "initial event");
    errno = 0;
    check(!xs_check_watch(w) && errno == EAGAIN, "no more: EAGAIN");
    xs_write(h, XBT_NULL, "/test/w/x/y", "1", 1);
    check(event_is(xs_read_watch(w, &n), "/test/w/x/y", "tok"),
          "event for a descendant");
    xs_write(h, XBT_NULL, "/test/other", "1", 1);
    xs_write(h, XBT_NULL, "/test/w", "2", 1);
    check(event_is(xs_read_watch(w, &n), "/test/w", "tok"),
          "no event for elsewhere, event for the node");
    check(!xs_watch(w, "/test/w", "tok") && errno == EEXIST,
          "same watch twice: EEXIST");
    check(xs_watch(w, "local-rel", "rel"), "relative watch");
    check(event_is(xs_read_watch(w, &n), "local-rel", "rel"),
          "relative watch: relative initial event");
    xs_write(h, XBT_NULL, "/local/domain/0/local-rel/x", "1", 1);
    check(event_is(xs_read_watch(w, &n), "local-rel/x", "rel"),
          "relative watch: relative event path");
    check(xs_unwatch(w, "local-rel", "rel"), "unwatch relative");
    check(xs_unwatch(w, "/test/w", "tok"), "unwatch");
    errno = 0;
    check(!xs_unwatch(w, "/test/w", "tok") && errno == ENOENT,
          "unwatch again: ENOENT");

    /* xs_fileno: readable when an event is queued, not before. */
    int fd = xs_fileno(w);
    struct pollfd p = {fd, POLLIN, 0};
    check(fd >= 0 && poll(&p, 1, 0) == 0, "xs_fileno not readable idle");
    xs_watch(w, "/test/f", "f");
    check(poll(&p, 1, 2000) == 1, "xs_fileno readable with an event");
    check(event_is(xs_check_watch(w), "/test/f", "f"), "check_watch gets it");
    xs_write(h, XBT_NULL, "/test/f", "x", 1);
    check(poll(&p, 1, 2000) == 1 && event_is(xs_check_watch(w), "/test/f", "f"),
          "event through the background reader");
    errno = 0;
    check(!xs_check_watch(w) && errno == EAGAIN && poll(&p, 1, 0) == 0,
          "drained: EAGAIN, fd quiet");
    xs_close(w);

    /* XS_UNWATCH_FILTER drops queued events of the removed watch. */
    w = xs_open(XS_UNWATCH_FILTER);
    xs_watch(w, "/test/u", "u");
    xs_watch(w, "/test/v", "v");
    xs_write(h, XBT_NULL, "/test/u/1", "", 0);
    xs_write(h, XBT_NULL, "/test/v/1", "", 0);
    usleep(100000);
    check(xs_unwatch(w, "/test/u", "u"), "unwatch with filter");
    check(event_is(xs_read_watch(w, &n), "/test/v", "v") &&
              event_is(xs_read_watch(w, &n), "/test/v/1", "v"),
          "only the other watch's events remain");
    xs_close(w);
}

struct tstate {
    struct xs_handle *h;
    int got;
    bool stop;
};

static void *watcher(void *arg)
{
    struct tstate *s = arg;
    unsigned int n;

    for (;;) {
        char **ev = xs_read_watch(s->h, &n);
        if (!ev)
            break;
        bool done = !strcmp(ev[XS_WATCH_PATH], "/test/mtw/done");
        s->got++;
        free(ev);
        if (done)
            break;
    }
    return NULL;
}

static void *requester(void *arg)
{
    struct tstate *s = arg;
    char path[64];

    for (int i = 0; i < 200; i++) {
        snprintf(path, sizeof(path), "/test/mt/%lx/%d",
                 (unsigned long)pthread_self() & 0xffff, i);
        if (!xs_write(s->h, XBT_NULL, path, "v", 1) ||
            !read_is(s->h, XBT_NULL, path, "v"))
            s->stop = true;
    }
    return NULL;
}

/* One handle, a thread waiting in xs_read_watch, three making requests. */
static void test_threads(struct xs_handle *h)
{
    struct xs_handle *m = open_or_die();
    struct tstate s = {.h = m};
    pthread_t wt, rt[3];

    xs_watch(m, "/test/mtw", "mt");
    pthread_create(&wt, NULL, watcher, &s);
    for (int i = 0; i < 3; i++)
        pthread_create(&rt[i], NULL, requester, &s);
    for (int i = 0; i < 50; i++) {
        char v[8];
        snprintf(v, sizeof(v), "%d", i);
        xs_write(h, XBT_NULL, "/test/mtw", v, strlen(v));
    }
    /* Daemons drop an event identical to one not yet sent: count the
     * last one, which differs. */
    xs_write(h, XBT_NULL, "/test/mtw/done", "", 0);
    for (int i = 0; i < 3; i++)
        pthread_join(rt[i], NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 10;
    if (pthread_timedjoin_np(wt, NULL, &ts)) {
        printf("FAIL watcher stuck after %d events\n", s.got);
        fflush(stdout);
        _exit(1);
    }
    check(!s.stop, "600 requests from 3 threads on one handle");
    check(s.got >= 3, "watch events delivered meanwhile (%d)", s.got);
    xs_close(m);
}

static void test_domains(struct xs_handle *h, int argc, char **argv)
{
    struct xs_handle *w = open_or_die();
    unsigned int n;

    if (argc < 2) {
        printf("skip domains: no DOMID given\n");
        xs_close(w);
        return;
    }
    unsigned int dom = atoi(argv[1]);
    xs_watch(w, "@introduceDomain", "in");
    xs_watch(w, "@releaseDomain", "out");
    check(event_is(xs_read_watch(w, &n), "@introduceDomain", "in") &&
              event_is(xs_read_watch(w, &n), "@releaseDomain", "out"),
          "special watches fire at once");
    check(!xs_is_domain_introduced(h, dom), "domain %u not introduced", dom);
    check(xs_is_domain_introduced(h, 0), "domain 0 is");
    check(xs_introduce_domain(h, dom, 0x1234, 3), "introduce domain %u", dom);
    check(event_is(xs_read_watch(w, &n), "@introduceDomain", "in"),
          "@introduceDomain fired");
    check(xs_is_domain_introduced(h, dom), "now introduced");
    check(xs_introduce_domain(h, dom, 0x1234, 4), "introduce again (rebind)");
    check(xs_resume_domain(h, dom), "resume");
    check(xs_set_target(h, dom, 0), "set_target");
    errno = 0;
    check(!xs_resume_domain(h, 999) && errno == ENOENT,
          "resume unknown: ENOENT");
    check(xs_release_domain(h, dom), "release");
    check(event_is(xs_read_watch(w, &n), "@releaseDomain", "out"),
          "@releaseDomain fired");
    check(!xs_is_domain_introduced(h, dom), "no longer introduced");
    errno = 0;
    check(!xs_release_domain(h, dom) && errno == ENOENT,
          "release again: ENOENT");
    xs_close(w);
}

static void test_fork(void)
{
    struct xs_handle *h = open_or_die();
    pid_t pid;
    int st;

    xs_watch(h, "/test/fork", "f");
    pid = fork();
    if (pid == 0) {
        xs_daemon_destroy_postfork(h);
        struct xs_handle *c = xs_open(0);
        _exit(c && xs_write(c, XBT_NULL, "/test/fork", "child", 5) ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "child after xs_daemon_destroy_postfork");
    check(read_is(h, XBT_NULL, "/test/fork", "child"), "parent still works");
    xs_close(h);
}

/* Where the library looks, as Xen's does. */
static void test_paths(void)
{
    char *path = getenv("XENSTORED_PATH");
    char *saved = path ? strdup(path) : NULL;

    setenv("XENSTORED_RUNDIR", "/tmp/rundir", 1);
    check(!strcmp(xs_daemon_socket(), saved ? saved : ""),
          "XENSTORED_PATH wins");
    unsetenv("XENSTORED_PATH");
    check(!strcmp(xs_daemon_rundir(), "/tmp/rundir") &&
              !strcmp(xs_daemon_socket(), "/tmp/rundir/socket") &&
              !strcmp(xs_daemon_socket_ro(), "/tmp/rundir/socket"),
          "XENSTORED_RUNDIR/socket");
    unsetenv("XENSTORED_RUNDIR");
    check(!strcmp(xs_daemon_socket(), "/var/run/xenstored/socket"),
          "default /var/run/xenstored/socket");
    if (saved)
        setenv("XENSTORED_PATH", saved, 1);
    free(saved);
}

int main(int argc, char **argv)
{
    struct xs_handle *h;

    setvbuf(stdout, NULL, _IOLBF, 0);
    h = open_or_die();
    xs_rm(h, XBT_NULL, "/test");
    test_basics(h);
    test_perms(h);
    test_big_directory(h);
    test_transactions(h);
    test_watches(h);
    test_threads(h);
    test_domains(h, argc, argv);
    test_fork();
    xs_daemon_close(h);
    struct xs_handle *o[3] = {xs_daemon_open(), xs_daemon_open_readonly(),
                              xs_domain_open()};
    check(o[0] && o[1] && o[2], "old open names");
    for (int i = 0; i < 3; i++)
        xs_close(o[i]);
    xs_close(NULL);
    test_paths();
    printf("%d failed\n", failures);
    return failures != 0;
}
