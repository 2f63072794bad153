/*
 * A toolstack's life cycle of a domain, end to end (e2e.sh starts a
 * private xen and our xenstored): create a PVH domain with libxenctrl,
 * build it with libxenguest, give it a /local/domain/N tree, introduce
 * it to xenstored, run it (tests/guests/xenstore-guest.c talks to the
 * store over its ring), destroy it, and check that nothing is left:
 * its introduction, its tree, domain 0's event channels, free memory.
 *
 * Usage: e2e-test KERNEL...: one domain per kernel, one after the other.
 * Needs XEN_RUN_DIR and XENSTORED_PATH. Prints "ok"/"FAIL" lines; exits
 * 0 if all passed.
 */
#define TESTLIB_XC
#define TESTLIB_XG
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/event_channel.h>
#include <xencall.h>
#include <xenctrl.h>
#include <xenstore.h>

#include "testlib.h"

#define MEM_MB 16
#define MAX_PORTS 128

static xencall_handle *xcall;
static struct xs_handle *xs;

/* Domain 0's open event channels (ports 1 .. MAX_PORTS-1), as a bitmap. */
static void dom0_ports(unsigned char open[MAX_PORTS])
{
    evtchn_status_t *st = xencall_alloc_buffer(xcall, sizeof(*st));

    memset(open, 0, MAX_PORTS);
    if (!CHECK(st != NULL))
        return;
    for (unsigned int p = 1; p < MAX_PORTS; p++) {
        memset(st, 0, sizeof(*st));
        st->dom = DOMID_SELF;
        st->port = p;
        if (xencall2(xcall, __HYPERVISOR_event_channel_op, EVTCHNOP_status,
                     (uintptr_t)st))
            break; /* past the last port */
        open[p] = st->status != EVTCHNSTAT_closed;
    }
    xencall_free_buffer(xcall, st);
}

static unsigned int count_open(const unsigned char open[MAX_PORTS])
{
    unsigned int n = 0;

    for (unsigned int p = 1; p < MAX_PORTS; p++)
        n += open[p];
    return n;
}

/* @releaseDomain events seen so far, by whichever loop read them. */
static unsigned int releases;

/* The next watch event within ms (freed by the caller). */
static char **next_event(int ms)
{
    struct pollfd pfd = {.fd = xs_fileno(xs), .events = POLLIN};
    char **ev = xs_check_watch(xs);

    if (!ev && poll(&pfd, 1, ms) > 0)
        ev = xs_check_watch(xs);
    if (ev && !strcmp(ev[XS_WATCH_TOKEN], "rel"))
        releases++;
    return ev;
}

static int perms(const char *path, unsigned int owner, unsigned int other_dom,
                 unsigned int other_perm)
{
    struct xs_permissions p[2] = {{owner, XS_PERM_NONE},
                                  {other_dom, other_perm}};

    return xs_set_permissions(xs, XBT_NULL, path, p, other_perm ? 2 : 1);
}

/* /local/domain/N as a toolstack makes it. */
static int make_tree(uint32_t domid, const char *dom_path)
{
    char path[256], val[16];
    int ok = 1;

    snprintf(val, sizeof(val), "%u", domid);
    ok &= CHECK(xs_mkdir(xs, XBT_NULL, dom_path));
    ok &= CHECK(perms(dom_path, 0, domid, XS_PERM_READ));
    snprintf(path, sizeof(path), "%s/domid", dom_path);
    ok &= CHECK(xs_write(xs, XBT_NULL, path, val, strlen(val)));
    snprintf(path, sizeof(path), "%s/data", dom_path);
    ok &= CHECK(xs_mkdir(xs, XBT_NULL, path));
    ok &= CHECK(perms(path, domid, 0, 0));
    snprintf(path, sizeof(path), "%s/private", dom_path);
    ok &= CHECK(xs_write(xs, XBT_NULL, path, "secret", 6));
    ok &= CHECK(perms(path, 0, 0, 0));
    return ok;
}

static int build(uint32_t domid, const char *kernel, xen_pfn_t *store_pfn,
                 uint32_t *store_port)
{
    struct xc_dom_image *dom = build_pvh(domid, kernel, NULL, NULL, 1, MEM_MB);

    if (!dom)
        return 0;
    *store_pfn = dom->xenstore_pfn;
    *store_port = dom->xenstore_evtchn;
    xc_dom_release(dom);
    return 1;
}

/* Run the guest: answer its data/test, wait for its verdict. */
static void run(uint32_t domid, const char *dom_path)
{
    char path[256], pass[64], fail[64];
    int answered = 0;

    snprintf(pass, sizeof(pass), "(d%u) PASS ", domid);
    snprintf(fail, sizeof(fail), "(d%u) FAIL ", domid);
    for (int i = 0; i < 900; i++) {
        char **ev = next_event(100);

        if (ev && !strcmp(ev[XS_WATCH_TOKEN], "test") && !answered) {
            unsigned int len = 0;
            char *v = xs_read(xs, XBT_NULL, ev[XS_WATCH_PATH], &len);

            if (v && len == 5 && !memcmp(v, "hello", 5)) {
                snprintf(path, sizeof(path), "%s/data/watched", dom_path);
                answered = CHECK(xs_write(xs, XBT_NULL, path, "seen", 4));
            }
            free(v);
        }
        free(ev);
        console_poll();
        if (strstr(con.text, pass) || strstr(con.text, fail))
            break;
    }
    CHECK(answered, "the guest never wrote data/test");
    CHECK(strstr(con.text, pass) != NULL, "no \"%s\" on the console", pass);
}

/* Wait up to ms for more than seen @releaseDomain events; whether. */
static int release_event(unsigned int seen, int ms)
{
    for (int i = 0; i < ms / 50 && releases <= seen; i++)
        free(next_event(50));
    return releases > seen;
}

static void life_cycle(const char *kernel)
{
    int before = failures;
    unsigned char ports0[MAX_PORTS], ports1[MAX_PORTS];
    uint64_t free0 = free_pages();
    unsigned int rel0 = releases, rel1;
    char *dom_path = NULL, test_path[256];
    uint32_t domid, store_port = 0;
    xen_pfn_t store_pfn = 0;
    xc_dominfo_t info;
    unsigned int len;
    void *v;

    dom0_ports(ports0);
    domid = create_pvh(1, MEM_MB);
    if (!domid)
        goto out;
    if (!build(domid, kernel, &store_pfn, &store_port))
        goto destroy;
    /* As libxl does: the tree first, then the introduction. */
    dom_path = xs_get_domain_path(xs, domid);
    if (!CHECK(dom_path != NULL) || !make_tree(domid, dom_path))
        goto destroy;
    CHECK(xs_introduce_domain(xs, domid, store_pfn, store_port));
    CHECK(xs_is_domain_introduced(xs, domid));
    /* xenstored bound the store port: one more open port in domain 0. */
    dom0_ports(ports1);
    CHECK(count_open(ports1) == count_open(ports0) + 1, "%u ports, were %u",
          count_open(ports1), count_open(ports0));
    snprintf(test_path, sizeof(test_path), "%s/data/test", dom_path);
    CHECK(xs_watch(xs, test_path, "test"));
    CHECK(xc_domain_unpause(xch, domid) == 0);
    run(domid, dom_path);
    CHECK(wait_shutdown(domid, &info, 30));
    CHECK(info.shutdown && !info.crashed &&
              info.shutdown_reason == SHUTDOWN_poweroff,
          "shutdown %u crashed %u reason %u", info.shutdown, info.crashed,
          info.shutdown_reason);
    CHECK(xs_unwatch(xs, test_path, "test"));
    /* xenstored reports the shutdown itself with @releaseDomain. */
    CHECK(release_event(rel0, 10000), "no @releaseDomain for the shutdown");
destroy:
    rel1 = releases;
    CHECK(xc_domain_destroy(xch, domid) == 0);
    CHECK(release_event(rel1, 10000), "no @releaseDomain for the destruction");
    /* The toolstack's release; the daemon may have cleaned up already. */
    errno = 0;
    CHECK(xs_release_domain(xs, domid) || errno == ENOENT);
    CHECK(!xs_is_domain_introduced(xs, domid));
    if (dom_path) {
        CHECK(xs_rm(xs, XBT_NULL, dom_path));
        errno = 0;
        v = xs_read(xs, XBT_NULL, dom_path, &len);
        CHECK(v == NULL && errno == ENOENT, "%s still there", dom_path);
        free(v);
    }
    for (int i = 0; i < 50; i++) {
        dom0_ports(ports1);
        if (!memcmp(ports0, ports1, MAX_PORTS))
            break;
        sleep_ms(100);
    }
    for (unsigned int p = 1; p < MAX_PORTS; p++)
        CHECK(ports0[p] == ports1[p], "dom0 port %u %s", p,
              ports1[p] ? "left open" : "closed");
    for (int i = 0; i < 50 && free_pages() != free0; i++)
        sleep_ms(100);
    CHECK(free_pages() == free0, "free pages %llu, were %llu",
          (unsigned long long)free_pages(), (unsigned long long)free0);
out:
    free(dom_path);
    printf("%s %s (d%u)\n", failures == before ? "ok  " : "FAIL", kernel,
           domid);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s KERNEL...\n", argv[0]);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    xcall = xencall_open(NULL, 0);
    xs = xs_open(0);
    if (!CHECK(xch && xcall && xs))
        goto out;
    xs_fileno(xs); /* the background reader files watch events */
    CHECK(xs_watch(xs, "@releaseDomain", "rel"));
    release_event(0, 1000); /* the initial event */
    for (int i = 1; i < argc; i++)
        life_cycle(argv[i]);
out:
    if (xs)
        xs_close(xs);
    if (xcall)
        xencall_close(xcall);
    if (xch)
        xc_interface_close(xch);
    return failures ? 1 : 0;
}
