/*
 * xenstore-ring: a guest's side of the xenstore ring, well-behaved and
 * hostile, against a xenstored whose rings are files (our --test-rings,
 * or Xen's daemon with xenstore-cshim.so). Checks partial messages,
 * wrapping indices, messages larger than the ring, pipelining, floods,
 * reconnection, and that a bad index or an oversized message marks that
 * ring's error field and drops that domain only.
 *
 * usage: xenstore-ring SOCKET RINGDIR DOMID1 DOMID2
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xenstore.h>

#include "testlib.h"

static const char *ring_dir;
static int evsock = -1;

struct guest {
    unsigned int domid;
    struct xenstore_domain_interface *r;
    int sock; /* where the daemon signals us */
};

static void notify(struct guest *g)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    uint32_t v = g->domid;

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/xenstored.evtchn", ring_dir);
    sendto(evsock, &v, sizeof(v), 0, (struct sockaddr *)&sa, sizeof(sa));
}

static void guest_open(struct guest *g, unsigned int domid)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char path[256];
    int fd;

    g->domid = domid;
    snprintf(path, sizeof(path), "%s/ring-%u", ring_dir, domid);
    fd = open(path, O_RDWR);
    if (fd < 0) {
        perror(path);
        exit(2);
    }
    g->r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    g->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/guest-%u.evtchn", ring_dir,
             domid);
    unlink(sa.sun_path);
    bind(g->sock, (struct sockaddr *)&sa, sizeof(sa));
    if (evsock < 0)
        evsock = socket(AF_UNIX, SOCK_DGRAM, 0);
}

static void wait_signal(struct guest *g, int ms)
{
    struct pollfd p = {g->sock, POLLIN, 0};
    uint32_t v;

    if (poll(&p, 1, ms) > 0)
        while (recv(g->sock, &v, sizeof(v), 0) > 0)
            ;
}

/* Put bytes in the request ring, waiting for room (at most ~3 s). */
static bool put(struct guest *g, const void *buf, size_t len, bool signal)
{
    const char *p = buf;

    for (int waited = 0; len && waited < 3000;) {
        uint32_t cons = __atomic_load_n(&g->r->req_cons, __ATOMIC_ACQUIRE);
        uint32_t prod = g->r->req_prod;
        uint32_t room = XENSTORE_RING_SIZE - (prod - cons);
        if (g->r->error)
            return false;
        if (!room) {
            notify(g);
            wait_signal(g, 1);
            waited++;
            continue;
        }
        while (room-- && len) {
            g->r->req[MASK_XENSTORE_IDX(prod++)] = *p++;
            len--;
        }
        __atomic_store_n(&g->r->req_prod, prod, __ATOMIC_RELEASE);
    }
    if (signal)
        notify(g); /* also when the body is empty */
    return len == 0;
}

/* Take exactly len bytes of responses (at most ~3 s). */
static bool take(struct guest *g, void *buf, size_t len)
{
    char *p = buf;

    for (int waited = 0; len && waited < 3000;) {
        uint32_t prod = __atomic_load_n(&g->r->rsp_prod, __ATOMIC_ACQUIRE);
        uint32_t cons = g->r->rsp_cons;
        if (prod == cons) {
            if (g->r->error)
                return false;
            wait_signal(g, 1);
            waited++;
            continue;
        }
        while (cons != prod && len) {
            *p++ = g->r->rsp[MASK_XENSTORE_IDX(cons++)];
            len--;
        }
        __atomic_store_n(&g->r->rsp_cons, cons, __ATOMIC_RELEASE);
        notify(g);
    }
    return len == 0;
}

static bool send_req(struct guest *g, uint32_t type, uint32_t rid,
                     const void *body, uint32_t len)
{
    struct xsd_sockmsg h = {type, rid, 0, len};
    return put(g, &h, sizeof(h), false) && put(g, body, len, true);
}

/* The next message that is not a watch event; its body in buf. */
static bool get_reply(struct guest *g, struct xsd_sockmsg *h, char *buf)
{
    do {
        if (!take(g, h, sizeof(*h)) || h->len > XENSTORE_PAYLOAD_MAX ||
            !take(g, buf, h->len))
            return false;
        buf[h->len] = 0;
    } while (h->type == XS_WATCH_EVENT);
    return true;
}

static bool roundtrip(struct guest *g, uint32_t type, const void *body,
                      uint32_t len, const char *want)
{
    static uint32_t rid = 100;
    struct xsd_sockmsg h;
    char buf[XENSTORE_PAYLOAD_MAX + 1];

    if (!send_req(g, type, ++rid, body, len) || !get_reply(g, &h, buf))
        return false;
    return h.req_id == rid && (!want || !strcmp(buf, want));
}

static bool dom0_ok(struct xs_handle *h)
{
    bool ok = xs_write(h, XBT_NULL, "/ring-test/dom0", "alive", 5);
    char *v = xs_read(h, XBT_NULL, "/ring-test/dom0", NULL);
    ok = ok && v && !strcmp(v, "alive");
    free(v);
    return ok;
}

/* A new incarnation of the domain, with a clean page as a builder's. */
static void reintroduce(struct xs_handle *h, struct guest *g)
{
    xs_release_domain(h, g->domid);
    memset(g->r, 0, 4096);
    xs_introduce_domain(h, g->domid, 1, 1);
}

int main(int argc, char **argv)
{
    struct xs_handle *h;
    struct guest a, b;
    struct xsd_sockmsg hdr;
    static char buf[8192], big[4200];
    unsigned int d1, d2;

    if (argc != 5) {
        fprintf(stderr, "usage: xenstore-ring SOCKET RINGDIR DOMID DOMID\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    setenv("XENSTORED_PATH", argv[1], 1);
    ring_dir = argv[2];
    d1 = atoi(argv[3]);
    d2 = atoi(argv[4]);
    h = xs_open(0);
    if (!h) {
        perror("xs_open");
        return 1;
    }
    check(xs_introduce_domain(h, d1, 1, 1) && xs_introduce_domain(h, d2, 1, 1),
          "introduce domains %u and %u", d1, d2);
    guest_open(&a, d1);
    guest_open(&b, d2);
    check(a.r->connection == XENSTORE_CONNECTED && a.r->req_prod == 0 &&
              a.r->rsp_prod == 0,
          "ring reset and connected by INTRODUCE");
    snprintf(buf, sizeof(buf), "/local/domain/%u", d1);
    xs_write(h, XBT_NULL, buf, "", 0);
    struct xs_permissions own = {d1, XS_PERM_NONE};
    xs_set_permissions(h, XBT_NULL, buf, &own, 1);

    check(roundtrip(&a, XS_WRITE, "x\0one", 5, "OK") &&
              roundtrip(&a, XS_READ, "x", 2, "one"),
          "write and read over the ring");

    /* A request trickling in: header in pieces, body byte by byte. */
    hdr = (struct xsd_sockmsg){XS_READ, 7, 0, 2};
    bool ok = put(&a, &hdr, 5, true);
    usleep(20000);
    ok = ok && put(&a, (char *)&hdr + 5, sizeof(hdr) - 5, true);
    usleep(20000);
    ok = ok && put(&a, "x", 1, true);
    usleep(20000);
    ok = ok && put(&a, "", 1, true) && get_reply(&a, &hdr, buf) &&
         hdr.req_id == 7 && !strcmp(buf, "one");
    check(ok, "partial message completed later");

    /* Indices run around the ring many times. */
    ok = true;
    for (int i = 0; i < 500 && ok; i++)
        ok = roundtrip(&a, XS_READ, "x", 2, "one");
    check(ok, "500 round trips: indices wrap %u times",
          a.r->req_prod / XENSTORE_RING_SIZE);

    /* A message bigger than the ring goes through in pieces. */
    memcpy(big, "big", 4);
    memset(big + 4, 'v', 2000); /* a domain's node holds up to 2 KB */
    ok = roundtrip(&a, XS_WRITE, big, 2004, "OK") &&
         send_req(&a, XS_READ, 9, "big", 4) && get_reply(&a, &hdr, buf) &&
         hdr.len == 2000 && buf[1999] == 'v';
    check(ok, "2 KB request and reply through a 1 KB ring");

    /* Pipelined: ten requests, then ten replies in order. */
    ok = true;
    for (uint32_t i = 0; i < 10 && ok; i++)
        ok = send_req(&a, XS_READ, 1000 + i, "x", 2);
    for (uint32_t i = 0; i < 10 && ok; i++)
        ok = get_reply(&a, &hdr, buf) && hdr.req_id == 1000 + i;
    check(ok, "ten pipelined requests answered in order");

    /* Unknown type: an error reply, the connection stays. */
    check(roundtrip(&a, 99, "", 0, "ENOSYS") &&
              roundtrip(&a, XS_READ, "x", 2, "one"),
          "unknown message type: ENOSYS, ring still works");

    /* A flood that never reads its replies is held back, not buffered
     * without bound; once the guest reads, every reply is there. */
    ok = true;
    int sent = 0;
    for (; sent < 300; sent++) {
        struct xsd_sockmsg fh = {XS_READ, 5000 + sent, 0, 2};
        uint32_t cons = a.r->req_cons, prod = a.r->req_prod;
        if (XENSTORE_RING_SIZE - (prod - cons) < sizeof(fh) + 2)
            break; /* the daemon stopped taking requests */
        ok = put(&a, &fh, sizeof(fh), false) && put(&a, "x", 2, true);
        usleep(200);
    }
    check(ok && sent < 300, "flood: daemon stops reading after %d requests",
          sent);
    check(dom0_ok(h), "dom0 served during the flood");
    ok = true;
    for (int i = 0; i < sent && ok; i++)
        ok = get_reply(&a, &hdr, buf) && hdr.req_id == 5000u + i;
    check(ok, "flood: all %d replies arrive once read", sent);

    /* Reconnection, where offered (Xen's C xenstored does not): the
     * guest asks, the daemon resets the ring. */
    if (a.r->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION) {
        roundtrip(&a, XS_WATCH, "x\0tok", 6, "OK");
        a.r->connection = XENSTORE_RECONNECT;
        notify(&a);
        for (int i = 0; i < 1000 && a.r->connection != XENSTORE_CONNECTED; i++)
            wait_signal(&a, 1);
        check(a.r->connection == XENSTORE_CONNECTED && a.r->req_prod == 0 &&
                  a.r->rsp_cons == 0,
              "XENSTORE_RECONNECT: ring reset");
        snprintf(buf, sizeof(buf), "/local/domain/%u/x", d1);
        xs_write(h, XBT_NULL, buf, "two", 3);
        check(roundtrip(&a, XS_READ, "x", 2, "two"),
              "works after reconnection, old watch gone");
    } else {
        printf("skip reconnection: not offered (features %u)\n",
               a.r->server_features);
    }

    /* Hostile: producer index far ahead of the consumer. */
    a.r->req_prod = a.r->req_cons + 3 * XENSTORE_RING_SIZE;
    notify(&a);
    for (int i = 0; i < 1000 && !a.r->error; i++)
        wait_signal(&a, 1);
    check(a.r->error == XENSTORE_ERROR_RINGIDX,
          "bad request index: error RINGIDX (%u)", a.r->error);
    check(roundtrip(&b, XS_GET_DOMAIN_PATH, "1", 2, "/local/domain/1") &&
              dom0_ok(h),
          "other domain and dom0 unaffected");
    check(xs_is_domain_introduced(h, d1), "domain stays introduced");

    /* Hostile: consumer index of the responses moved past the producer. */
    reintroduce(h, &a);
    snprintf(buf, sizeof(buf), "/local/domain/%u", d1);
    check(roundtrip(&a, XS_GET_DOMAIN_PATH, "1", 2, "/local/domain/1"),
          "fresh ring after reintroduce");
    a.r->rsp_cons = a.r->rsp_prod + 5000;
    send_req(&a, XS_READ, 1, "x", 2);
    for (int i = 0; i < 1000 && !a.r->error; i++)
        wait_signal(&a, 1);
    check(a.r->error == XENSTORE_ERROR_RINGIDX,
          "bad response index: error RINGIDX (%u)", a.r->error);

    /* Hostile: a length over XENSTORE_PAYLOAD_MAX. */
    reintroduce(h, &a);
    hdr = (struct xsd_sockmsg){XS_READ, 1, 0, 100000};
    put(&a, &hdr, sizeof(hdr), true);
    for (int i = 0; i < 1000 && !a.r->error; i++)
        wait_signal(&a, 1);
    check(a.r->error == XENSTORE_ERROR_PROTO,
          "oversized message: error PROTO (%u)", a.r->error);
    check(roundtrip(&b, XS_GET_DOMAIN_PATH, "1", 2, "/local/domain/1") &&
              dom0_ok(h),
          "other domain and dom0 unaffected");

    /* Random garbage in a fresh ring must not hurt the daemon. */
    reintroduce(h, &a);
    srand(1);
    for (int i = 0; i < 50; i++) {
        for (int j = 0; j < XENSTORE_RING_SIZE; j++)
            a.r->req[j] = rand();
        a.r->req_prod = rand();
        a.r->req_cons = rand();
        a.r->rsp_cons = rand();
        notify(&a);
        usleep(500);
    }
    usleep(100000);
    check(dom0_ok(h) &&
              roundtrip(&b, XS_GET_DOMAIN_PATH, "1", 2, "/local/domain/1"),
          "garbage rings: daemon fine");

    /* Release while the guest is half-way through a message. */
    reintroduce(h, &a);
    hdr = (struct xsd_sockmsg){XS_WRITE, 1, 0, 50};
    put(&a, &hdr, sizeof(hdr), true);
    put(&a, "half", 4, true);
    usleep(20000);
    check(xs_release_domain(h, d1) && dom0_ok(h),
          "release with a partial message pending");
    check(xs_release_domain(h, d2), "release the other");
    xs_close(h);
    printf("%d failed\n", failures);
    return failures != 0;
}
