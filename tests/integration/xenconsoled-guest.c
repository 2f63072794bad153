/*
 * xenconsoled with real guests (xenconsoled-guest.sh starts the stack
 * with guest logging): two domains running tests/guests/console-ring.c,
 * built and given their xenstore trees as a toolstack does, driven
 * through the ptys xenconsoled gives them.
 *
 * Usage: xenconsoled-guest KERNEL_A KERNEL_B. Needs the stack's
 * environment (XEN_RUN_DIR, XEN_LOG_DIR, XENSTORED_RUNDIR), XENCOMMONS
 * (to restart xenconsoled), XL (for xl console) and XENCONSOLE (the
 * client). Prints ok/FAIL lines; exits 0 if all passed.
 */
#define TESTLIB_XC
#define TESTLIB_XG
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenstore.h>

#include "testlib.h"

#define MEM_MB 16
#define OUT_SIZE (1 << 20)

struct dom {
    const char *name;
    uint32_t domid;
    char path[64]; /* /local/domain/N */
    xen_pfn_t store_pfn, cons_pfn;
    uint32_t store_port, cons_port;
    int pty;
    char tty[64];
    char *out; /* what the pty gave, NUL-terminated */
    size_t len, seen;
};

static struct xs_handle *xs;
static struct dom doms[2];

static bool xs_put(const char *dir, const char *node, const char *val)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", dir, node);
    return xs_write(xs, XBT_NULL, path, val, strlen(val));
}

static char *xs_get(const char *dir, const char *node)
{
    char path[128];
    unsigned int len;

    snprintf(path, sizeof(path), "%s/%s", dir, node);
    return xs_read(xs, XBT_NULL, path, &len);
}

/* Build the domain (paused) and its tree, as libxl does, then introduce it. */
static bool dom_create(struct dom *d, const char *kernel, bool bogus_console,
                       unsigned int limit)
{
    struct xs_permissions perms[2] = {{0, XS_PERM_NONE}, {0, XS_PERM_READ}};
    struct xc_dom_image *img;
    char cons[80], val[32];
    bool ok;

    d->pty = -1;
    d->out = calloc(1, OUT_SIZE + 1);
    d->domid = create_pvh(1, MEM_MB);
    if (!d->domid || !CHECK(d->out != NULL))
        return false;
    img = build_pvh(d->domid, kernel, NULL, NULL, 1, MEM_MB);
    if (!img)
        return false;
    d->store_pfn = img->xenstore_pfn;
    d->store_port = img->xenstore_evtchn;
    d->cons_pfn = img->console_pfn;
    d->cons_port = img->console_evtchn;
    xc_dom_release(img);

    snprintf(d->path, sizeof(d->path), "/local/domain/%u", d->domid);
    snprintf(cons, sizeof(cons), "%s/console", d->path);
    perms[1].id = d->domid;
    ok = CHECK(xs_mkdir(xs, XBT_NULL, d->path)) &&
         CHECK(xs_set_permissions(xs, XBT_NULL, d->path, perms, 2)) &&
         CHECK(xs_put(d->path, "name", d->name)) &&
         CHECK(xs_mkdir(xs, XBT_NULL, cons)) &&
         CHECK(xs_put(cons, "type", "xenconsoled")) &&
         CHECK(xs_put(cons, "tty", ""));
    snprintf(val, sizeof(val), "%u", limit);
    ok = ok && CHECK(xs_put(cons, "limit", val));
    if (bogus_console) {
        /* What a confused toolstack (or a guest) might write. */
        ok = ok && CHECK(xs_put(cons, "ring-ref", "0x1234zz")) &&
             CHECK(xs_put(cons, "port", "99999999999"));
    } else {
        snprintf(val, sizeof(val), "%lu", (unsigned long)d->cons_pfn);
        ok = ok && CHECK(xs_put(cons, "ring-ref", val));
        snprintf(val, sizeof(val), "%u", d->cons_port);
        ok = ok && CHECK(xs_put(cons, "port", val));
    }
    return ok && CHECK(xs_introduce_domain(xs, d->domid, d->store_pfn,
                                           d->store_port));
}

/* Wait up to secs for the tty node to name a pty; open it. */
static bool dom_attach(struct dom *d, int secs)
{
    struct termios t;
    char cons[80];

    snprintf(cons, sizeof(cons), "%s/console", d->path);
    for (int i = 0; i < secs * 10; i++) {
        char *tty = xs_get(cons, "tty");

        if (tty && tty[0]) {
            snprintf(d->tty, sizeof(d->tty), "%s", tty);
            free(tty);
            if (d->pty >= 0)
                close(d->pty);
            d->pty = open(d->tty, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
            if (!CHECK(d->pty >= 0, "open %s", d->tty))
                return false;
            if (tcgetattr(d->pty, &t) == 0) {
                cfmakeraw(&t);
                tcsetattr(d->pty, TCSANOW, &t);
            }
            return true;
        }
        free(tty);
        sleep_ms(100);
    }
    return CHECK(false, "d%u: no tty from xenconsoled", d->domid);
}

/* Read what the ptys of the domains in mask have, for up to ms. */
static void pump(unsigned int mask, int ms)
{
    struct pollfd pfd[2];
    char buf[4096];
    unsigned int n = 0, idx[2];

    for (unsigned int i = 0; i < 2; i++)
        if ((mask & (1u << i)) && doms[i].pty >= 0) {
            pfd[n] = (struct pollfd){.fd = doms[i].pty, .events = POLLIN};
            idx[n++] = i;
        }
    if (poll(pfd, n, ms) <= 0)
        return;
    for (unsigned int j = 0; j < n; j++) {
        struct dom *d = &doms[idx[j]];
        ssize_t got;

        while ((got = read(d->pty, buf, sizeof(buf))) > 0) {
            if (d->len + got > OUT_SIZE) {
                /* Keep the newer half; what was matched is gone anyway. */
                size_t drop = d->len / 2;

                memmove(d->out, d->out + drop, d->len - drop);
                d->len -= drop;
                d->seen = d->seen > drop ? d->seen - drop : 0;
            }
            memcpy(d->out + d->len, buf, got);
            d->len += got;
            d->out[d->len] = '\0';
        }
    }
}

/* Wait up to secs for text on d's console after what was matched before. */
static bool expect(struct dom *d, const char *text, int secs)
{
    unsigned int self = 1u << (d - doms);

    for (int i = 0; i < secs * 20; i++) {
        char *at = strstr(d->out + d->seen, text);

        if (at) {
            d->seen = at + strlen(text) - d->out;
            return true;
        }
        pump(self, 50);
    }
    return CHECK(false,
                 "d%u: no \"%s\" on the console; last output: \"%.200s\"",
                 d->domid, text, d->out + (d->len > 200 ? d->len - 200 : 0));
}

static bool send(struct dom *d, const char *line)
{
    size_t len = strlen(line);

    return CHECK(write(d->pty, line, len) == (ssize_t)len, "d%u: write",
                 d->domid) &&
           CHECK(write(d->pty, "\r", 1) == 1);
}

/* Whether the file contains text (re-read each time). */
static bool file_has(const char *path, const char *text)
{
    static char buf[1 << 20];
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return memmem(buf, n, text, strlen(text)) != NULL;
}

static bool wait_file_has(const char *path, const char *text, int secs)
{
    for (int i = 0; i < secs * 10; i++) {
        if (file_has(path, text))
            return true;
        sleep_ms(100);
    }
    return CHECK(false, "no \"%s\" in %s", text, path);
}

static char *log_path(const char *file)
{
    static char path[2][256];
    static unsigned int k;

    k ^= 1;
    snprintf(path[k], sizeof(path[k]), "%s/%s", getenv("XEN_LOG_DIR"), file);
    return path[k];
}

/* What count_lines found. */
struct lines {
    unsigned int n;    /* numbered lines */
    unsigned int last; /* the last one's number */
    unsigned int hole; /* most lines missing between two neighbours */
    bool in_order;     /* the numbers only grow */
};

/*
 * The numbered lines "line NNNNNNNN ..." in [s, end). A line cut short
 * (eight digits and a space do not follow) is skipped.
 */
static struct lines count_lines(const char *s, const char *end)
{
    struct lines l = {.in_order = true};
    unsigned int v;
    int used;

    for (; (s = memmem(s, end - s, "line ", 5)); s += 5) {
        if (end - s < 14 || sscanf(s, "line %8u%n", &v, &used) != 1 ||
            used != 13 || s[13] != ' ')
            continue;
        if (l.n && v <= l.last)
            l.in_order = false;
        else if (l.n && v - l.last - 1 > l.hole)
            l.hole = v - l.last - 1;
        l.last = v;
        l.n++;
    }
    return l;
}

static void test_bogus_then_fixed(struct dom *a)
{
    int before = failures;
    char cons[80], val[32];

    /* The daemon saw the domain, said why it cannot serve it, went on. */
    CHECK(
        wait_file_has(log_path("xenconsoled.log"), "bad console ring-ref", 30));
    snprintf(cons, sizeof(cons), "%s/console", a->path);
    snprintf(val, sizeof(val), "%lu", (unsigned long)a->cons_pfn);
    CHECK(xs_put(cons, "ring-ref", val));
    snprintf(val, sizeof(val), "%u", a->cons_port);
    CHECK(xs_put(cons, "port", val));
    /* READY was written before xenconsoled was bound: it still comes. */
    if (dom_attach(a, 30)) {
        snprintf(val, sizeof(val), "READY d%u", a->domid);
        expect(a, val, 60);
    }
    section("bogus console nodes, then the right ones", before);
}

static void test_echo_and_flood(struct dom *a)
{
    int before = failures;
    unsigned int start;
    struct lines l;

    send(a, "echo hello through the ring");
    expect(a, "hello through the ring\r\n", 30);
    start = a->seen;
    send(a, "flood 2000");
    if (expect(a, "FLOOD END", 120)) {
        l = count_lines(a->out + start, a->out + a->seen);
        CHECK(l.n == 2000 && l.in_order && !l.hole,
              "%u lines, in order %d, hole %u", l.n, l.in_order, l.hole);
    }
    section("input and output through the pty", before);
}

/* One domain floods; the other still gets its answers. */
static void test_fairness(struct dom *a, struct dom *b)
{
    int before = failures;
    char word[32], cmd[48];

    send(a, "spam");
    expect(a, "line 00000100", 60);
    for (int i = 0; i < 3; i++) {
        snprintf(word, sizeof(word), "still here %d", i);
        snprintf(cmd, sizeof(cmd), "echo %s", word);
        send(b, cmd);
        /* Keep reading a's flood meanwhile, as a client would. */
        for (int j = 0; j < 600 && !strstr(b->out + b->seen, word); j++)
            pump(3, 50);
        expect(b, word, 1);
    }
    send(a, "x");
    expect(a, "SPAM END", 60);
    section("a flooding domain does not starve another", before);
}

static void test_hostile_ring(struct dom *a)
{
    int before = failures;

    send(a, "corrupt-out");
    expect(a, "OUT BACK", 60);
    CHECK(wait_file_has(log_path("xenconsoled.log"),
                        "console ring indices out of range", 10));
    send(a, "corrupt-in");
    expect(a, "IN BROKEN", 60);
    send(a, "echo held back");
    expect(a, "IN BACK", 60);
    expect(a, "held back", 60);
    section("impossible ring indices from the guest", before);
}

/* The pid in the daemon's pid file, or 0. */
static pid_t daemon_pid(void)
{
    char path[256];
    FILE *f;
    int pid = 0;

    snprintf(path, sizeof(path), "%s/xenconsoled.ready", getenv("XEN_RUN_DIR"));
    f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%d", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return pid;
}

static void test_restart(struct dom *a, struct dom *b)
{
    int before = failures;
    pid_t pid = daemon_pid();
    char cmd[512];

    if (!CHECK(pid > 0) || !CHECK(kill(pid, SIGTERM) == 0))
        goto out;
    for (int i = 0; i < 100 && kill(pid, 0) == 0; i++)
        sleep_ms(100);
    CHECK(kill(pid, 0) != 0, "xenconsoled %d ignored SIGTERM", pid);
    /* A new pty may reuse the old one's name: clear the node to see it. */
    for (unsigned int i = 0; i < 2; i++) {
        char cons[80];

        snprintf(cons, sizeof(cons), "%s/console", doms[i].path);
        CHECK(xs_put(cons, "tty", ""));
    }
    snprintf(cmd, sizeof(cmd), "\"%s\" start", getenv("XENCOMMONS"));
    if (!CHECK(system(cmd) == 0, "%s", cmd))
        goto out;
    /* The new daemon found both running domains and gave them ptys. */
    if (dom_attach(a, 30)) {
        send(a, "echo after the restart");
        expect(a, "after the restart", 60);
    }
    if (dom_attach(b, 30)) {
        send(b, "echo b after the restart");
        expect(b, "b after the restart", 60);
    }
out:
    section("xenconsoled restarted: reattached to running domains", before);
}

/* path's contents from offset on (NUL-terminated, malloc'd), or NULL. */
static char *read_from(const char *path, long offset, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    long size;

    if (f && !fseek(f, 0, SEEK_END) && (size = ftell(f)) >= offset &&
        !fseek(f, offset, SEEK_SET) && (buf = malloc(size - offset + 1))) {
        *len = fread(buf, 1, size - offset, f);
        buf[*len] = '\0';
    }
    if (f)
        fclose(f);
    return buf;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Run argv with stdin on /dev/null for up to secs, what it prints in
 * out; its wait status, or -1 if it had to be killed.
 */
static int run_capture(char *const argv[], int secs, char *out, size_t size)
{
    long long end = now_ms() + secs * 1000LL;
    int fds[2], status = -1;
    size_t len = 0;
    bool eof = false;
    pid_t pid, got = 0;

    out[0] = '\0';
    if (!CHECK(pipe(fds) == 0))
        return -1;
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);

        dup2(null, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    while (pid > 0 && got != pid && now_ms() < end) {
        struct pollfd p = {.fd = eof ? -1 : fds[0], .events = POLLIN};
        ssize_t n;

        if (poll(&p, 1, 100) > 0) {
            n = read(fds[0], out + len, size - 1 - len);
            eof = n <= 0 || len + n + 1 >= size;
            len += n > 0 ? n : 0;
            out[len] = '\0';
        }
        got = waitpid(pid, &status, WNOHANG);
    }
    if (pid > 0 && got != pid) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        status = -1;
    }
    close(fds[0]);
    return status;
}

/*
 * xenconsoled SIGKILLed while a floods its console: its pid file, logs
 * and the tty nodes stay behind (b's pty goes too; it is reattached). Meanwhile `xl console` must fail
 * clearly, and a's output waits in its ring (the guest blocks when it is
 * full). Restarted, the daemon serves a again; across the gap the log
 * lost at most a ring's worth (2 KiB, 32 lines) and the new pty nothing.
 */
static void test_killed(struct dom *a, struct dom *b)
{
    int before = failures, status;
    pid_t pid = daemon_pid();
    const char *log = log_path("console/guest-console-a.log");
    char cmd[512], domid[16], out[4096], cons[80], *stale, *logged = NULL;
    char *xl_argv[] = {getenv("XL"), "console", domid, NULL};
    unsigned int spammed;
    struct lines l;
    struct stat st;
    size_t restart_at, len = 0;
    long log_start;

    if (!CHECK(pid > 0) || !CHECK(stat(log, &st) == 0, "%s", log))
        goto out;
    log_start = st.st_size;
    send(a, "spam");
    if (!expect(a, "line 00000100", 60))
        goto out;
    CHECK(kill(pid, SIGKILL) == 0);
    for (int i = 0; i < 100 && kill(pid, 0) == 0; i++)
        sleep_ms(100);
    CHECK(kill(pid, 0) != 0, "xenconsoled %d survived SIGKILL", pid);
    CHECK(daemon_pid() == pid, "the pid file should still name %d", pid);
    /* What the old pty still had; then it is gone. */
    pump(1, 200);
    close(a->pty);
    a->pty = -1;

    snprintf(domid, sizeof(domid), "%u", a->domid);
    snprintf(cons, sizeof(cons), "%s/console", a->path);
    stale = xs_get(cons, "tty");
    /* Another program's new pty may have taken the dead one's name. */
    if (CHECK(stale != NULL) && access(stale, F_OK) == 0) {
        printf("note: %s was reused, `xl console` not tried\n", stale);
    } else {
        status = run_capture(xl_argv, 30, out, sizeof(out));
        CHECK(status != -1, "xl console still waiting after 30 s");
        CHECK(status > 0 && strstr(out, "xenconsoled"),
              "xl console: status %#x, said \"%s\"", status, out);
    }
    free(stale);

    /* A new pty may reuse the old one's name: clear the nodes to see it. */
    CHECK(xs_put(cons, "tty", ""));
    snprintf(cons, sizeof(cons), "%s/console", b->path);
    CHECK(xs_put(cons, "tty", ""));
    snprintf(cmd, sizeof(cmd), "\"%s\" start", getenv("XENCOMMONS"));
    if (!CHECK(system(cmd) == 0, "%s", cmd) || !dom_attach(b, 30) ||
        !dom_attach(a, 30))
        goto out;
    restart_at = a->len;
    pump(1, 500);
    send(a, "x");
    if (!expect(a, "SPAM END ", 60))
        goto out;
    pump(1, 200);
    if (!CHECK(sscanf(a->out + a->seen, "%u", &spammed) == 1 && spammed))
        goto out;
    l = count_lines(a->out + restart_at, a->out + a->seen);
    CHECK(l.n > 32 && l.in_order && !l.hole && l.last == spammed - 1,
          "pty after the restart: %u lines, in order %d, hole %u, last %u "
          "of %u", l.n, l.in_order, l.hole, l.last, spammed);
    if (!wait_file_has(log, "SPAM END", 30) ||
        !CHECK((logged = read_from(log, log_start, &len)) != NULL))
        goto out;
    l = count_lines(logged, logged + len);
    CHECK(l.in_order && l.hole <= 32 && l.last == spammed - 1,
          "log: %u lines, in order %d, hole %u, last %u of %u", l.n,
          l.in_order, l.hole, l.last, spammed);
out:
    free(logged);
    section("xenconsoled killed (SIGKILL): xl console fails, output kept",
            before);
}

/* Nobody reads b's pty: its buffer stays within the limit (64 KiB). */
static void test_overflow(struct dom *b, const char *b_log)
{
    int before = failures;
    struct lines l;
    size_t start = b->len;

    send(b, "flood 4000");
    /* The log gets all of it, before anything is discarded. */
    CHECK(wait_file_has(b_log, "FLOOD END", 300));
    for (int i = 0; i < 50; i++)
        pump(2, 100);
    if (expect(b, "FLOOD END", 30)) {
        l = count_lines(b->out + start, b->out + b->seen);
        CHECK(l.n < 4000 && l.hole && strstr(b->out + start, "line 00000000"),
              "%u lines, hole %u", l.n, l.hole);
    }
    section("unread output is cut to the console's limit", before);
}

/* xenconsole with pipes (not a terminal): --interactive forwards input. */
static void test_client(struct dom *a)
{
    int before = failures, in[2], out[2], status;
    char domid[16], buf[4096], got[8192] = "";
    bool done = false;
    size_t len = 0;
    pid_t pid;

    if (!CHECK(pipe(in) == 0 && pipe(out) == 0))
        goto out;
    snprintf(domid, sizeof(domid), "%u", a->domid);
    /* xenconsoled's pty has one reader at a time: let go of ours. */
    close(a->pty);
    a->pty = -1;
    pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        execl(getenv("XENCONSOLE"), "xenconsole", "--interactive", "--type",
              "pv", domid, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    CHECK(write(in[1], "echo via the client\r", 20) == 20);
    for (int i = 0; i < 600 && !strstr(got, "via the client"); i++) {
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        ssize_t n;

        if (poll(&p, 1, 100) <= 0)
            continue;
        n = read(out[0], buf, sizeof(buf));
        if (n <= 0)
            break;
        if (len + n >= sizeof(got))
            len = 0;
        memcpy(got + len, buf, n);
        len += n;
        got[len] = '\0';
    }
    CHECK(strstr(got, "via the client") != NULL, "client output \"%s\"", got);
    CHECK(write(in[1], "quit\r", 5) == 5);
    {
        xc_dominfo_t info;

        CHECK(wait_shutdown(a->domid, &info, 60));
    }
    /* The toolstack's end of a domain: the client goes with it. */
    CHECK(xc_domain_destroy(xch, a->domid) == 0);
    xs_release_domain(xs, a->domid);
    CHECK(xs_rm(xs, XBT_NULL, a->path));
    for (int i = 0; i < 300 && !done; i++) {
        done = waitpid(pid, &status, WNOHANG) == pid;
        if (!done)
            sleep_ms(100);
    }
    if (done) {
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "xenconsole status %#x", status);
    } else {
        CHECK(false, "xenconsole still running after the domain went");
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
    }
    close(in[1]);
    close(out[0]);
    a->domid = 0;
out:
    section("the xenconsole client, stdin a pipe", before);
}

int main(int argc, char **argv)
{
    struct dom *a = &doms[0], *b = &doms[1];
    char val[32];

    if (argc != 3) {
        fprintf(stderr, "usage: %s KERNEL_A KERNEL_B\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    xch = xc_interface_open(NULL, NULL, 0);
    xs = xs_open(0);
    if (!CHECK(xch && xs))
        return 1;
    a->name = "console-a";
    b->name = "console-b";
    if (!dom_create(a, argv[1], true, 1048576) ||
        !dom_create(b, argv[2], false, 65536))
        goto out;
    CHECK(xc_domain_unpause(xch, a->domid) == 0);
    CHECK(xc_domain_unpause(xch, b->domid) == 0);
    if (!dom_attach(b, 30))
        goto out;
    snprintf(val, sizeof(val), "READY d%u", b->domid);
    expect(b, val, 60);

    test_bogus_then_fixed(a);
    if (failures)
        goto out;
    test_echo_and_flood(a);
    test_fairness(a, b);
    test_hostile_ring(a);
    test_restart(a, b);
    test_killed(a, b);
    test_overflow(b, log_path("console/guest-console-b.log"));
    CHECK(file_has(log_path("console/guest-console-a.log"),
                   "hello through the ring"));
    test_client(a);
    send(b, "quit");
    expect(b, "BYE", 60);
out:
    for (unsigned int i = 0; i < 2; i++) {
        if (doms[i].domid) {
            xc_domain_destroy(xch, doms[i].domid);
            xs_release_domain(xs, doms[i].domid);
            xs_rm(xs, XBT_NULL, doms[i].path);
        }
        if (doms[i].pty >= 0)
            close(doms[i].pty);
        free(doms[i].out);
    }
    xs_close(xs);
    xc_interface_close(xch);
    return failures ? 1 : 0;
}
