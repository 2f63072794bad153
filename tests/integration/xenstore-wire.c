/*
 * xenstore-wire: drive a xenstored with raw protocol messages from a
 * script and print what comes back, in a form two daemons' runs can be
 * compared with diff (tests/integration/xenstore-wire.sh runs one script
 * against our xenstored and Xen's own).
 *
 * usage: xenstore-wire SOCKET [RINGDIR] < SCRIPT
 *
 * Script lines ('#' starts a comment):
 *   conn N                  later requests go on connection N (0-7)
 *   conn N ring DOMID       ... which is domain DOMID's ring: the page
 *                           RINGDIR/ring-DOMID, signalled as the
 *                           --test-rings backend of xenstored expects
 *   close N                 close connection N
 *   TYPE [tx=T] ARG... [> VAR]
 *       TYPE is a message name (READ, WRITE, ...) or a number; each ARG
 *       is sent followed by a NUL, except one starting with '=' (sent
 *       without). T is a number or $VAR. Escapes in ARGs: \s space,
 *       \0 NUL, \\ backslash; {N*STR} repeats STR N times. "> VAR"
 *       stores the reply payload (up to its first NUL) in VAR.
 *   raw TYPE LEN [ARG...]    a header with any length field, then ARGs
 *   events                  wait a little, then print events that came
 *
 * After each request the reply is printed, then the watch events every
 * connection has got by then (a no-op request on each connection flushes
 * them in order), so the output does not depend on timing.
 * DIRECTORY_PART generations print as <gen> (they are counters).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#define NCONN 8

static const char *const names[] = {
    "CONTROL",
    "DIRECTORY",
    "READ",
    "GET_PERMS",
    "WATCH",
    "UNWATCH",
    "TSTART",
    "TEND",
    "INTRODUCE",
    "RELEASE",
    "GET_DOMAIN_PATH",
    "WRITE",
    "MKDIR",
    "RM",
    "SET_PERMS",
    "WATCH_EVENT",
    "ERROR",
    "IS_DOMAIN_INTRODUCED",
    "RESUME",
    "SET_TARGET",
    "RESTRICT",
    "RESET_WATCHES",
    "DIRECTORY_PART",
};

static const char *sock_path, *ring_dir = ".";
static int fds[NCONN] = {-1, -1, -1, -1, -1, -1, -1, -1};
/* Ring connections: the page, the domid, our notification socket. */
static struct xenstore_domain_interface *rings[NCONN];
static unsigned int ring_dom[NCONN];
static int evsock = -1;

static void notify(unsigned int domid)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    uint32_t v = domid;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/xenstored.evtchn", ring_dir);
    sendto(evsock, &v, sizeof(v), 0, (struct sockaddr *)&sa, sizeof(sa));
}

static void ring_open(int n, unsigned int domid)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char path[4096];
    int fd;

    snprintf(path, sizeof(path), "%s/ring-%u", ring_dir, domid);
    fd = open(path, O_RDWR);
    if (fd < 0) {
        perror(path);
        exit(2);
    }
    rings[n] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ring_dom[n] = domid;
    if (evsock < 0)
        evsock = socket(AF_UNIX, SOCK_DGRAM, 0);
    /* Our end: where the daemon signals; we poll the indices anyway. */
    int g = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/guest-%u.evtchn", ring_dir,
             domid);
    unlink(sa.sun_path);
    if (bind(g, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        perror("bind");
    fds[n] = g;
}

static int ring_write(int n, const void *buf, size_t len)
{
    struct xenstore_domain_interface *r = rings[n];
    const char *p = buf;

    for (int tries = 0; len && tries < 3000; tries++) {
        uint32_t cons = __atomic_load_n(&r->req_cons, __ATOMIC_ACQUIRE);
        uint32_t prod = r->req_prod;
        uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
        if (!space || r->error) {
            notify(ring_dom[n]);
            usleep(1000);
            continue;
        }
        while (space && len) {
            r->req[MASK_XENSTORE_IDX(prod)] = *p++;
            prod++;
            space--;
            len--;
        }
        __atomic_store_n(&r->req_prod, prod, __ATOMIC_RELEASE);
        notify(ring_dom[n]);
    }
    return len ? -1 : 0;
}

/* Up to len bytes, waiting at most timeout_ms; 0 on timeout. */
static int ring_read(int n, void *buf, size_t len, int timeout_ms)
{
    struct xenstore_domain_interface *r = rings[n];
    char *p = buf;
    size_t got = 0;

    for (int waited = 0; !got && waited <= timeout_ms; waited++) {
        uint32_t prod = __atomic_load_n(&r->rsp_prod, __ATOMIC_ACQUIRE);
        uint32_t cons = r->rsp_cons;
        while (cons != prod && got < len) {
            p[got++] = r->rsp[MASK_XENSTORE_IDX(cons)];
            cons++;
        }
        if (got) {
            __atomic_store_n(&r->rsp_cons, cons, __ATOMIC_RELEASE);
            notify(ring_dom[n]);
            break;
        }
        if (r->error) {
            errno = EPIPE;
            return -1;
        }
        struct pollfd pf = {fds[n], POLLIN, 0};
        if (poll(&pf, 1, 1) > 0) {
            uint32_t v;
            while (recv(fds[n], &v, sizeof(v), 0) > 0)
                ;
        }
    }
    return got;
}

static int conn_write(int n, const void *buf, size_t len)
{
    if (rings[n])
        return ring_write(n, buf, len);
    return write(fds[n], buf, len) == (ssize_t)len ? 0 : -1;
}
static uint32_t next_rid = 1;
static struct {
    char name[32];
    char val[64];
} vars[64];
static unsigned int nvars;

static int conn_fd(int n)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    if (fds[n] >= 0)
        return fds[n];
    fds[n] = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
    if (connect(fds[n], (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("connect");
        exit(2);
    }
    return fds[n];
}

static void print_payload(const unsigned char *p, unsigned int len)
{
    for (unsigned int i = 0; i < len; i++) {
        if (p[i] == 0)
            fputs("\\0", stdout);
        else if (p[i] == '\\')
            fputs("\\\\", stdout);
        else if (p[i] < 32 || p[i] > 126)
            printf("\\x%02x", p[i]);
        else
            putchar(p[i]);
    }
}

static void print_type(uint32_t t)
{
    if (t < sizeof(names) / sizeof(names[0]))
        fputs(names[t], stdout);
    else
        printf("%u", t);
}

/* Read one message; 0 on EOF (or a ring in error), -1 on timeout. */
static int read_msg(int c, struct xsd_sockmsg *h, unsigned char *body,
                    int timeout_ms)
{
    unsigned int got = 0, want = sizeof(*h);
    unsigned char *dst = (unsigned char *)h;

    for (int part = 0; part < 2; part++) {
        while (got < want) {
            ssize_t n;
            if (rings[c]) {
                n = ring_read(c, dst + got, want - got, timeout_ms);
                if (n == 0)
                    return -1;
            } else {
                struct pollfd p = {fds[c], POLLIN, 0};
                if (poll(&p, 1, timeout_ms) == 0)
                    return -1;
                n = read(fds[c], dst + got, want - got);
            }
            if (n <= 0)
                return 0;
            got += n;
        }
        if (part == 0) {
            if (h->len > 65536)
                return 0;
            dst = body;
            got = 0;
            want = h->len;
        }
    }
    return 1;
}

static void print_msg(const struct xsd_sockmsg *h, const unsigned char *body,
                      int conn)
{
    if (h->type == XS_WATCH_EVENT)
        printf("  [%d] event ", conn);
    else
        printf("  -> ");
    print_type(h->type);
    if (h->tx_id)
        printf(" tx=%u", h->tx_id);
    putchar(' ');
    if (h->type == XS_DIRECTORY_PART) {
        const unsigned char *z = memchr(body, 0, h->len);
        unsigned int skip = z ? (unsigned int)(z - body) : 0;
        fputs("<gen>", stdout);
        print_payload(body + skip, h->len - skip);
    } else {
        print_payload(body, h->len);
    }
    putchar('\n');
}

/* Wait for the reply to rid on conn n, printing events met on the way. */
static void await_reply(int n, uint32_t rid, char *store, size_t storelen,
                        bool quiet)
{
    static unsigned char body[65536];
    struct xsd_sockmsg h;

    for (;;) {
        int r = read_msg(n, &h, body, 3000);
        if (r == 0) {
            if (!quiet)
                printf(rings[n] ? "  -> ring error %u\n" : "  -> EOF\n",
                       rings[n] ? rings[n]->error : 0);
            close(fds[n]);
            fds[n] = -1;
            if (rings[n])
                munmap(rings[n], 4096);
            rings[n] = NULL;
            return;
        }
        if (r < 0) {
            if (!quiet)
                printf("  -> TIMEOUT\n");
            return;
        }
        if (h.type != XS_WATCH_EVENT && h.req_id == rid) {
            if (!quiet)
                print_msg(&h, body, n);
            if (store) {
                size_t l = strnlen((char *)body, h.len);
                if (l >= storelen)
                    l = storelen - 1;
                memcpy(store, body, l);
                store[l] = 0;
            }
            return;
        }
        print_msg(&h, body, n);
    }
}

/* Flush every connection's pending events, in connection order. */
static void sync_all(void)
{
    for (int n = 0; n < NCONN; n++) {
        if (fds[n] < 0)
            continue;
        struct xsd_sockmsg h = {XS_GET_DOMAIN_PATH, next_rid++, 0, 2};
        char buf[sizeof(h) + 2];
        memcpy(buf, &h, sizeof(h));
        memcpy(buf + sizeof(h), "0", 2);
        if (conn_write(n, buf, sizeof(buf)))
            continue;
        await_reply(n, h.req_id, NULL, 0, true);
    }
}

static const char *lookup_var(const char *name)
{
    for (unsigned int i = 0; i < nvars; i++)
        if (!strcmp(vars[i].name, name))
            return vars[i].val;
    return "0";
}

static char *store_var(const char *name)
{
    for (unsigned int i = 0; i < nvars; i++)
        if (!strcmp(vars[i].name, name))
            return vars[i].val;
    if (nvars == 64)
        exit(2);
    snprintf(vars[nvars].name, sizeof(vars[0].name), "%s", name);
    return vars[nvars++].val;
}

/* Decode one ARG into out; returns its length. */
static size_t decode(const char *tok, char *out, size_t max)
{
    size_t n = 0;

    while (*tok && n < max) {
        if (*tok == '{') {
            char *star = strchr(tok, '*'), *end = strchr(tok, '}');
            if (star && end && star < end) {
                int count = atoi(tok + 1);
                size_t l = end - star - 1;
                for (int i = 0; i < count && n + l <= max; i++) {
                    memcpy(out + n, star + 1, l);
                    n += l;
                }
                tok = end + 1;
                continue;
            }
        }
        if (*tok == '\\' && tok[1]) {
            tok++;
            out[n++] = *tok == 's' ? ' ' : *tok == '0' ? 0 : *tok;
            tok++;
            continue;
        }
        out[n++] = *tok++;
    }
    return n;
}

static int type_of(const char *s)
{
    for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(names[i], s))
            return i;
    return atoi(s);
}

int main(int argc, char **argv)
{
    static char line[65536], payload[70000];
    int cur = 0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: xenstore-wire SOCKET [RINGDIR] < SCRIPT\n");
        return 2;
    }
    sock_path = argv[1];
    signal(SIGPIPE, SIG_IGN); /* a daemon may hang up on bad input */
    if (argc == 3)
        ring_dir = argv[2];
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof(line), stdin)) {
        char *toks[64] = {NULL}, *save, *t, *var = NULL;
        int ntok = 0;
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        printf("%s\n", line);
        for (t = strtok_r(line, " ", &save); t && ntok < 64;
             t = strtok_r(NULL, " ", &save))
            toks[ntok++] = t;
        if (!ntok)
            continue;
        if (ntok >= 2 && !strcmp(toks[ntok - 2], ">")) {
            var = toks[ntok - 1];
            ntok -= 2;
        }
        if (!strcmp(toks[0], "conn")) {
            cur = atoi(toks[1]) % NCONN;
            if (ntok == 4 && !strcmp(toks[2], "ring") && fds[cur] < 0)
                ring_open(cur, atoi(toks[3]));
            else
                conn_fd(cur);
            continue;
        }
        if (!strcmp(toks[0], "close")) {
            int n = atoi(toks[1]) % NCONN;
            if (fds[n] >= 0)
                close(fds[n]);
            fds[n] = -1;
            if (rings[n])
                munmap(rings[n], 4096);
            rings[n] = NULL;
            usleep(20000);
            continue;
        }
        if (!strcmp(toks[0], "events")) {
            usleep(50000);
            sync_all();
            continue;
        }
        bool raw = !strcmp(toks[0], "raw");
        int first = raw ? 3 : 1;
        struct xsd_sockmsg h = {0};
        h.type = type_of(toks[raw ? 1 : 0]);
        h.req_id = next_rid++;
        if (ntok > first && !strncmp(toks[first], "tx=", 3)) {
            const char *v = toks[first] + 3;
            h.tx_id = strtoul(*v == '$' ? lookup_var(v + 1) : v, NULL, 0);
            first++;
        }
        size_t len = 0;
        for (int i = first; i < ntok; i++) {
            bool nonul = toks[i][0] == '=';
            len += decode(toks[i] + nonul, payload + len,
                          sizeof(payload) - len - 1);
            if (!nonul)
                payload[len++] = 0;
        }
        h.len = raw ? strtoul(toks[2], NULL, 0) : len;
        if (fds[cur] < 0)
            conn_fd(cur);
        if (conn_write(cur, &h, sizeof(h)) ||
            (len && conn_write(cur, payload, len))) {
            /* The daemon hung up (maybe before the body went out). */
            printf("  -> EOF\n");
            if (!rings[cur]) {
                close(fds[cur]);
                fds[cur] = -1;
            }
            continue;
        }
        await_reply(cur, h.req_id, var ? store_var(var) : NULL, 64, false);
        sync_all();
    }
    return 0;
}
