/*
 * privcmd-test: the privcmd socket spoken directly, without the tools
 * libraries, against a private xen (privcmd.sh starts it with a boot-time
 * domain 1 running KERNEL and mem=1G dom0_mem=256M).
 *
 * usage: privcmd-test KERNEL   (XEN_RUN_DIR names xen's directory)
 *
 * Covers HELLO, hypercalls through the arena (and -EFAULT outside it),
 * domctl/sysctl, VIRQ_DOM_EXC, foreign maps, event channels, grant maps
 * and the restricted connection. Prints one line per check; exits 1 if
 * any failed.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvm/hvm_op.h>
#include <public/hvm/params.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/version.h>
#include <public/xen.h>
#include <xenon/privcmd.h>

#include "testlib.h"

#define PAGE 4096UL
#define DM_OP 41

static uint32_t seq;

#define CHECK_EQ(got, want, what)                                              \
    do {                                                                       \
        long long g_ = (got), w_ = (want);                                     \
        check(g_ == w_, "%s: %lld (want %lld)", what, g_, w_);                 \
    } while (0)

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* ---- The socket ---- */

struct conn {
    int sock;
    int fd; /* from HELLO: arena memfd or delivery socket */
    uint8_t *arena;
    size_t used; /* bump allocator over the arena */
};

/* One request, one reply; *fd gets a passed fd (or -1). Returns rc. */
static int64_t call(int sock, uint32_t type, void *req, size_t len, void *reply,
                    size_t rsize, size_t *rlen, int *fd)
{
    union {
        char b[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct privcmd_hdr *h = req, bare, *r = reply ? reply : &bare;
    struct iovec iov = {.iov_base = r, .iov_len = reply ? rsize : sizeof(bare)};
    struct msghdr m = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = ctl.b,
                       .msg_controllen = sizeof(ctl.b)};
    struct cmsghdr *cm;
    ssize_t n;

    h->type = type;
    h->seq = ++seq;
    h->rc = 0;
    if (fd)
        *fd = -1;
    if (send(sock, req, len, MSG_NOSIGNAL) != (ssize_t)len)
        return -1000;
    n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    if (n < (ssize_t)sizeof(*r) || r->seq != seq || r->type != type ||
        (m.msg_flags & MSG_TRUNC))
        return -1001;
    if (rlen)
        *rlen = n;
    for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
        if (cm->cmsg_type == SCM_RIGHTS) {
            int got;

            memcpy(&got, CMSG_DATA(cm), sizeof(got));
            if (fd)
                *fd = got;
            else
                close(got);
        }
    return r->rc;
}

static int connect_xen(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    const char *dir = getenv("XEN_RUN_DIR");
    int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir ? dir : "/run/xen",
             PRIVCMD_SOCKET_NAME);
    if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
        perror("connect to xen's privcmd socket");
        exit(1);
    }
    return s;
}

static struct conn open_conn(uint32_t role)
{
    struct privcmd_hello h = {.version = PRIVCMD_VERSION, .role = role};
    struct privcmd_hello_reply r;
    struct conn c = {.sock = connect_xen(), .fd = -1};
    int64_t rc =
        call(c.sock, PRIVCMD_HELLO, &h, sizeof(h), &r, sizeof(r), NULL, &c.fd);

    if (rc) {
        printf("FAIL HELLO (role %u): %lld\n", role, (long long)rc);
        exit(1);
    }
    if (role == PRIVCMD_ROLE_HYPERCALL) {
        c.arena = mmap(NULL, r.arena_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                       c.fd, 0);
        if (c.arena == MAP_FAILED) {
            perror("mmap arena");
            exit(1);
        }
    }
    return c;
}

/* Arena memory, zeroed; reset with c->used = 0. */
static void *alloc(struct conn *c, size_t size)
{
    void *p = c->arena + c->used;

    c->used += (size + 63) & ~63UL;
    memset(p, 0, size);
    return p;
}

static long hcall(struct conn *c, uint64_t op, uint64_t a0, uint64_t a1,
                  uint64_t a2)
{
    struct privcmd_hypercall h = {
        .op = op, .arg = {a0, a1, a2}, .arena_base = (uintptr_t)c->arena};

    return call(c->sock, PRIVCMD_HYPERCALL, &h, sizeof(h), NULL, 0, NULL, NULL);
}

static long domctl(struct conn *c, struct xen_domctl *op)
{
    struct xen_domctl *a = alloc(c, sizeof(*a));
    long rc;

    if (!op->interface_version)
        op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    *a = *op;
    rc = hcall(c, __HYPERVISOR_domctl, (uintptr_t)a, 0, 0);
    *op = *a;
    return rc;
}

static long sysctl(struct conn *c, struct xen_sysctl *op)
{
    struct xen_sysctl *a = alloc(c, sizeof(*a));
    long rc;

    if (!op->interface_version)
        op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    *a = *op;
    rc = hcall(c, __HYPERVISOR_sysctl, (uintptr_t)a, 0, 0);
    *op = *a;
    return rc;
}

static long getinfo(struct conn *c, domid_t dom,
                    struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo, .domain = dom};
    long rc = domctl(c, &op);

    *info = op.u.getdomaininfo;
    return rc;
}

static struct xen_sysctl_physinfo physinfo(struct conn *c)
{
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};

    CHECK_EQ(sysctl(c, &op), 0, "sysctl physinfo");
    return op.u.physinfo;
}

static int64_t evtchn_req(struct conn *c, uint32_t type, uint32_t domid,
                          uint32_t port, uint32_t virq)
{
    struct privcmd_evtchn e = {.domid = domid, .port = port, .virq = virq};

    return call(c->sock, type, &e, sizeof(e), NULL, 0, NULL, NULL);
}

/* The next port fired on an evtchn connection, -1 if none in ms. */
static long next_event(struct conn *c, int ms)
{
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    uint32_t port;

    if (poll(&p, 1, ms) != 1 || recv(c->fd, &port, sizeof(port), 0) != 4)
        return -1;
    return port;
}

static int64_t map_foreign(struct conn *c, uint32_t domid, int *fd,
                           uint64_t *max_gfn)
{
    struct privcmd_domid req = {.domid = domid};
    struct privcmd_foreign_reply r = {0};
    int64_t rc = call(c->sock, PRIVCMD_MAP_FOREIGN, &req, sizeof(req), &r,
                      sizeof(r), NULL, fd);

    if (max_gfn)
        *max_gfn = r.max_gfn;
    return rc;
}

static int64_t restrict_to(struct conn *c, uint32_t domid)
{
    struct privcmd_domid req = {.domid = domid};

    return call(c->sock, PRIVCMD_RESTRICT, &req, sizeof(req), NULL, 0, NULL,
                NULL);
}

static int64_t gnt_map(struct conn *c, uint32_t domid, uint32_t n,
                       const uint32_t *refs, int writable, uint64_t *gfns,
                       int *fd)
{
    struct {
        struct privcmd_gnttab_map m;
        uint32_t refs[8];
    } req = {.m = {.domid = domid, .count = n, .writable = writable}};
    struct {
        struct privcmd_gnttab_map_reply r;
        uint64_t gfns[8];
    } rep;
    size_t rlen = 0;
    int64_t rc;

    memcpy(req.refs, refs, n * sizeof(*refs));
    rc = call(c->sock, PRIVCMD_GNTTAB_MAP, &req, sizeof(req.m) + n * 4, &rep,
              sizeof(rep), &rlen, fd);
    if (rc >= 0 && gfns) {
        memcpy(gfns, rep.gfns, n * sizeof(*gfns));
        check(rlen == sizeof(rep.r) + n * 8 && rep.r.count == n,
              "gnttab map reply: %zu bytes, %u gfns", rlen, rep.r.count);
    }
    return rc;
}

static int64_t gnt_unmap(struct conn *c, uint64_t handle)
{
    struct privcmd_gnttab_unmap u = {.handle = handle};

    return call(c->sock, PRIVCMD_GNTTAB_UNMAP, &u, sizeof(u), NULL, 0, NULL,
                NULL);
}

static void close_conn(struct conn *c)
{
    if (c->arena)
        munmap(c->arena, 4 << 20);
    if (c->fd >= 0)
        close(c->fd);
    close(c->sock);
}

/* ---- Tests ---- */

static void test_hello(void)
{
    struct privcmd_hello h = {.version = PRIVCMD_VERSION + 1,
                              .role = PRIVCMD_ROLE_HYPERCALL};
    struct privcmd_hello_reply r;
    struct privcmd_domid d = {.domid = 1};
    int s = connect_xen();

    CHECK_EQ(call(s, PRIVCMD_MAP_FOREIGN, &d, sizeof(d), NULL, 0, NULL, NULL),
             -EPROTO, "a request before HELLO");
    CHECK_EQ(call(s, PRIVCMD_HELLO, &h, sizeof(h), &r, sizeof(r), NULL, NULL),
             -EPROTONOSUPPORT, "HELLO with another version");
    CHECK_EQ(call(s, 99, &h, sizeof(h), NULL, 0, NULL, NULL), -ENOSYS,
             "unknown message type");
    CHECK_EQ(call(s, PRIVCMD_HELLO, &h, sizeof(h) - 4, NULL, 0, NULL, NULL),
             -EINVAL, "short HELLO");
    h.version = PRIVCMD_VERSION;
    CHECK_EQ(call(s, PRIVCMD_HELLO, &h, sizeof(h), &r, sizeof(r), NULL, NULL),
             0, "HELLO");
    CHECK_EQ(r.arena_size, 4 << 20, "arena size");
    CHECK_EQ(call(s, PRIVCMD_HELLO, &h, sizeof(h), &r, sizeof(r), NULL, NULL),
             -EPROTO, "a second HELLO");
    close(s);
}

static void test_hypercalls(struct conn *c)
{
    char *extra = alloc(c, XEN_EXTRAVERSION_LEN);
    char outside[XEN_EXTRAVERSION_LEN];
    long v = hcall(c, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
    struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo};
    struct xen_sysctl sop = {.cmd = XEN_SYSCTL_physinfo};

    check(v >> 16 == 4, "xen_version: %lx", v);
    CHECK_EQ(hcall(c, __HYPERVISOR_xen_version, XENVER_extraversion,
                   (uintptr_t)extra, 0),
             0, "XENVER_extraversion into the arena");
    check(extra[0] == '.', "extraversion \"%s\"", extra);
    CHECK_EQ(hcall(c, __HYPERVISOR_xen_version, XENVER_extraversion,
                   (uintptr_t)outside, 0),
             -EFAULT, "a buffer outside the arena");
    CHECK_EQ(hcall(c, __HYPERVISOR_xen_version, XENVER_extraversion,
                   (uintptr_t)c->arena + (4 << 20) - 4, 0),
             -EFAULT, "a buffer running off the arena's end");
    CHECK_EQ(hcall(c, __HYPERVISOR_vcpu_op, 0, 0, 0), -ENOSYS,
             "vcpu_op is not for host processes");
    CHECK_EQ(hcall(c, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), -EPERM,
             "SCHEDOP_block");
    CHECK_EQ(hcall(c, 1ULL << 32 | __HYPERVISOR_domctl, 0, 0, 0), -ENOSYS,
             "a hypercall number above 32 bits");

    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
    CHECK_EQ(domctl(c, &op), -EACCES, "domctl of another interface version");
    sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION + 1;
    CHECK_EQ(sysctl(c, &sop), -EACCES, "sysctl of another interface version");
    CHECK_EQ(hcall(c, __HYPERVISOR_domctl, (uintptr_t)&op, 0, 0), -EFAULT,
             "domctl outside the arena");
    op = (struct xen_domctl){.cmd = 999};
    CHECK_EQ(domctl(c, &op), -ENOSYS, "unknown domctl");
    op = (struct xen_domctl){.cmd = 999, .domain = 3000};
    CHECK_EQ(domctl(c, &op), -ESRCH, "unknown domctl on a missing domain");
    op = (struct xen_domctl){.cmd = XEN_DOMCTL_pausedomain, .domain = 3000};
    CHECK_EQ(domctl(c, &op), -ESRCH, "pause a missing domain");
    sop = (struct xen_sysctl){.cmd = 999};
    CHECK_EQ(sysctl(c, &sop), -ENOSYS, "unknown sysctl");
    sop = (struct xen_sysctl){.cmd = XEN_SYSCTL_sched_id};
    CHECK_EQ(sysctl(c, &sop), 0, "sysctl sched_id");
    c->used = 0;
}

static void test_dom0(struct conn *c)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_sysctl_physinfo pi = physinfo(c);
    struct xen_domctl op = {.cmd = XEN_DOMCTL_destroydomain, .domain = 0};

    check(pi.nr_cpus >= 1 && pi.max_cpu_id == pi.nr_cpus - 1,
          "physinfo: %u pCPUs", pi.nr_cpus);
    check(pi.capabilities & XEN_SYSCTL_PHYSCAP_hvm, "physinfo: HVM capable");
    CHECK_EQ(pi.total_pages, 1 << 18, "physinfo: total pages (mem=1G)");
    check(pi.free_pages < pi.total_pages && pi.free_pages > 0,
          "physinfo: %llu pages free", (unsigned long long)pi.free_pages);

    CHECK_EQ(getinfo(c, 0, &info), 0, "getdomaininfo(0)");
    CHECK_EQ(info.domain, 0, "domain 0 exists");
    CHECK_EQ(info.tot_pages, 1 << 16, "domain 0 holds dom0_mem=256M");
    check(info.nr_online_vcpus >= 1 && (info.flags & XEN_DOMINF_running) &&
              !(info.flags & (XEN_DOMINF_hvm_guest | XEN_DOMINF_shutdown)),
          "domain 0: %u vCPUs, flags %#x", info.nr_online_vcpus, info.flags);
    CHECK_EQ(getinfo(c, DOMID_SELF, &info), -EINVAL,
             "getdomaininfo of a reserved id");
    CHECK_EQ(domctl(c, &op), -EINVAL, "destroy domain 0");
    op.cmd = XEN_DOMCTL_pausedomain;
    CHECK_EQ(domctl(c, &op), -EINVAL, "pause domain 0");
    op.cmd = XEN_DOMCTL_unpausedomain;
    CHECK_EQ(domctl(c, &op), -EINVAL, "unpause domain 0");
    c->used = 0;
}

/* The boot-time domain 1: listed, shut down when done, memory mappable. */
static void test_boot_domain(struct conn *c, const char *kernel)
{
    struct xen_domctl_getdomaininfo info;
    uint64_t until = now_ms() + 60000, max_gfn = 0;
    unsigned char *img = NULL, *mem;
    Elf64_Ehdr *eh;
    Elf64_Phdr *ph = NULL;
    long size;
    FILE *f;
    int fd = -1;

    do {
        CHECK_EQ(getinfo(c, 1, &info), 0, "getdomaininfo(1)");
        c->used = 0;
    } while (!(info.flags & XEN_DOMINF_shutdown) && now_ms() < until &&
             !usleep(20000));
    CHECK_EQ(info.domain, 1, "the boot-time domain is listed");
    check((info.flags & XEN_DOMINF_shutdown) &&
              ((info.flags >> XEN_DOMINF_shutdownshift) & 255) ==
                  SHUTDOWN_poweroff &&
              (info.flags & XEN_DOMINF_hvm_guest),
          "domain 1 shut down (poweroff), flags %#x", info.flags);
    check(info.tot_pages >= 4096, "domain 1 holds %llu pages",
          (unsigned long long)info.tot_pages);

    /* Its kernel's first loaded bytes, read through a foreign map. */
    f = fopen(kernel, "rb");
    if (f && !fseek(f, 0, SEEK_END) && (size = ftell(f)) > 0 &&
        (img = malloc(size)) && !fseek(f, 0, SEEK_SET) &&
        fread(img, 1, size, f) == (size_t)size) {
        eh = (Elf64_Ehdr *)img;
        for (int i = 0; i < eh->e_phnum; i++) {
            Elf64_Phdr *p = (Elf64_Phdr *)(img + eh->e_phoff) + i;

            if (p->p_type == PT_LOAD && p->p_filesz) {
                ph = p;
                break;
            }
        }
    }
    if (f)
        fclose(f);
    check(ph != NULL, "%s has a loadable segment", kernel);
    CHECK_EQ(map_foreign(c, 1, &fd, &max_gfn), 0, "map domain 1");
    check(fd >= 0 && max_gfn > 256, "domain 1's memory fd, %llu frames",
          (unsigned long long)max_gfn);
    if (ph && fd >= 0) {
        size_t len = ph->p_filesz < PAGE ? ph->p_filesz : PAGE;
        uint64_t at = ph->p_paddr & ~(PAGE - 1);

        mem = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, at);
        check(mem != MAP_FAILED &&
                  !memcmp(mem + (ph->p_paddr - at), img + ph->p_offset, len),
              "the kernel image is at %#llx in domain 1",
              (unsigned long long)ph->p_paddr);
        if (mem != MAP_FAILED)
            munmap(mem, 2 * PAGE);
    }
    if (fd >= 0)
        close(fd);
    CHECK_EQ(map_foreign(c, 0, &fd, NULL), -EINVAL, "map domain 0");
    CHECK_EQ(map_foreign(c, 3000, &fd, NULL), -ESRCH, "map a missing domain");
    free(img);
    c->used = 0;
}

static void test_lists(struct conn *c)
{
    struct xen_domctl_getdomaininfo *buf = alloc(c, 4 * sizeof(*buf)), stack;
    struct xen_sysctl op = {.cmd = XEN_SYSCTL_getdomaininfolist};
    char *con = alloc(c, 65536), *marker = alloc(c, 64);
    uint32_t index;

    op.u.getdomaininfolist.max_domains = 4;
    op.u.getdomaininfolist.buffer.p = buf;
    CHECK_EQ(sysctl(c, &op), 0, "getdomaininfolist");
    check(op.u.getdomaininfolist.num_domains >= 2 && buf[0].domain == 0 &&
              buf[1].domain == 1,
          "domains listed in order: %u", op.u.getdomaininfolist.num_domains);
    op.u.getdomaininfolist.first_domain = 1;
    op.u.getdomaininfolist.max_domains = 1;
    CHECK_EQ(sysctl(c, &op), 0, "getdomaininfolist from 1");
    check(op.u.getdomaininfolist.num_domains == 1 && buf[0].domain == 1,
          "one domain from 1");
    op.u.getdomaininfolist.buffer.p = &stack;
    CHECK_EQ(sysctl(c, &op), -EFAULT, "getdomaininfolist outside the arena");

    /* The console: all of it, then only what is new, then cleared. */
    op = (struct xen_sysctl){.cmd = XEN_SYSCTL_readconsole};
    op.u.readconsole.buffer.p = con;
    op.u.readconsole.count = 65536;
    CHECK_EQ(sysctl(c, &op), 0, "readconsole");
    con[op.u.readconsole.count < 65536 ? op.u.readconsole.count : 65535] = 0;
    check(strstr(con, "privcmd: serving") != NULL,
          "the console has xen's messages (%u bytes)", op.u.readconsole.count);
    index = op.u.readconsole.index;
    strcpy(marker, "privcmd-test marker\n");
    CHECK_EQ(hcall(c, __HYPERVISOR_console_io, CONSOLEIO_write, strlen(marker),
                   (uintptr_t)marker),
             0, "console_io write from domain 0");
    op.u.readconsole.incremental = 1;
    op.u.readconsole.index = index;
    op.u.readconsole.count = 65536;
    CHECK_EQ(sysctl(c, &op), 0, "incremental readconsole");
    check(
        op.u.readconsole.count == strlen("(d0) privcmd-test marker\n") &&
            !memcmp(con, "(d0) privcmd-test marker\n", op.u.readconsole.count),
        "only the new line: %u bytes", op.u.readconsole.count);
    op.u.readconsole.incremental = 0;
    op.u.readconsole.clear = 1;
    op.u.readconsole.count = 65536;
    CHECK_EQ(sysctl(c, &op), 0, "readconsole and clear");
    op.u.readconsole.clear = 0;
    op.u.readconsole.count = 65536;
    CHECK_EQ(sysctl(c, &op), 0, "readconsole after clear");
    CHECK_EQ(op.u.readconsole.count, 0, "nothing left after clear");
    op.u.readconsole.buffer.p = (char *)&stack;
    CHECK_EQ(hcall(c, __HYPERVISOR_console_io, CONSOLEIO_write, 4,
                   (uintptr_t)&stack),
             -EFAULT, "console_io outside the arena");
    c->used = 0;
}

/* Write a grant entry of domain dom through its memory. */
static void grant(uint8_t *frame, uint32_t ref, uint16_t flags, uint32_t gfn)
{
    grant_entry_v1_t *e = (grant_entry_v1_t *)frame + ref;

    e->domid = 0;
    e->frame = gfn;
    __atomic_store_n(&e->flags, flags, __ATOMIC_SEQ_CST);
}

static void test_grants(struct conn *c, domid_t dom, int memfd)
{
    struct xen_add_to_physmap *atp = alloc(c, sizeof(*atp));
    struct conn g = open_conn(PRIVCMD_ROLE_GNTTAB);
    uint32_t refs[3] = {8, 9, 10};
    uint64_t gfns[3], h1, h2;
    uint8_t *frame, *page, *mine;
    int fd = -1;
    grant_entry_v1_t *e;

    /* Place grant frame 0 at gfn 0x200 and write entries through it. */
    *atp = (struct xen_add_to_physmap){.domid = dom,
                                       .space = XENMAPSPACE_grant_table,
                                       .idx = 0,
                                       .gpfn = 0x200};
    CHECK_EQ(hcall(c, __HYPERVISOR_memory_op, XENMEM_add_to_physmap,
                   (uintptr_t)atp, 0),
             0, "place the new domain's grant frame");
    frame = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd,
                 0x200 * PAGE);
    page =
        mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 5 * PAGE);
    if (frame == MAP_FAILED || page == MAP_FAILED) {
        check(0, "map the grant frame");
        return;
    }
    grant(frame, 8, GTF_permit_access, 5);
    grant(frame, 9, GTF_permit_access | GTF_readonly, 6);
    e = (grant_entry_v1_t *)frame;

    h1 = gnt_map(&g, dom, 2, refs, 0, gfns, &fd);
    check((int64_t)h1 >= 0 && gfns[0] == 5 && gfns[1] == 6 && fd >= 0,
          "map refs 8 and 9 read-only: handle %lld, gfns %llu %llu",
          (long long)h1, (unsigned long long)gfns[0],
          (unsigned long long)gfns[1]);
    check((e[8].flags & (GTF_reading | GTF_writing)) == GTF_reading &&
              (e[9].flags & GTF_reading),
          "the entries are marked read");
    if (fd >= 0) {
        mine = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, gfns[0] * PAGE);
        page[100] = 0x5a;
        check(mine != MAP_FAILED && mine[100] == 0x5a,
              "the granted page through the granter's fd");
        if (mine != MAP_FAILED)
            munmap(mine, PAGE);
        close(fd);
    }
    CHECK_EQ(gnt_map(&g, dom, 1, &refs[1], 1, NULL, NULL), -EINVAL,
             "map a read-only grant writable");
    CHECK_EQ(gnt_map(&g, dom, 1, &refs[2], 0, NULL, NULL), -EINVAL,
             "map a ref that grants nothing");
    CHECK_EQ(gnt_map(&g, dom, 2, &refs[1], 0, NULL, NULL), -EINVAL,
             "all or nothing: one good ref, one bad");
    check(!(e[9].flags & GTF_writing), "the failed map left ref 9 alone");
    CHECK_EQ(gnt_map(&g, 3000, 1, refs, 0, NULL, NULL), -ESRCH,
             "map grants of a missing domain");
    h2 = gnt_map(&g, dom, 1, refs, 1, gfns, NULL);
    check((int64_t)h2 >= 0 && (e[8].flags & GTF_writing),
          "map ref 8 writable: handle %lld", (long long)h2);
    CHECK_EQ(gnt_unmap(&g, h2), 0, "unmap the writable map");
    check(!(e[8].flags & GTF_writing) && (e[8].flags & GTF_reading),
          "ref 8 still read");
    CHECK_EQ(gnt_unmap(&g, h1), 0, "unmap the read-only map");
    check(!(e[8].flags & (GTF_reading | GTF_writing)) &&
              !(e[9].flags & GTF_reading),
          "no use left on refs 8 and 9");
    CHECK_EQ(gnt_unmap(&g, h1), -ENOENT, "unmap twice");
    /* Left mapped: closing the connection releases it. */
    check((int64_t)gnt_map(&g, dom, 1, refs, 1, gfns, NULL) >= 0,
          "map again, then close the connection");
    close_conn(&g);
    munmap(frame, PAGE);
    munmap(page, PAGE);
    c->used = 0;
}

/* A restricted connection of each role, against domains dom and 1. */
static void test_restricted(domid_t dom)
{
    struct conn h = open_conn(PRIVCMD_ROLE_HYPERCALL);
    struct conn e = open_conn(PRIVCMD_ROLE_EVTCHN);
    struct conn g = open_conn(PRIVCMD_ROLE_GNTTAB);
    struct xen_domctl op = {.cmd = XEN_DOMCTL_getdomaininfo, .domain = dom};
    struct xen_sysctl sop = {.cmd = XEN_SYSCTL_physinfo};
    struct xen_hvm_param *hp = alloc(&h, sizeof(*hp));
    domid_t *dp = alloc(&h, sizeof(*dp));
    uint32_t ref = 8;
    int fd = -1;
    int64_t port;

    CHECK_EQ(restrict_to(&h, 0), -EINVAL, "restrict to domain 0");
    CHECK_EQ(restrict_to(&h, dom), 0, "restrict a hypercall connection");
    CHECK_EQ(restrict_to(&h, dom), 0, "restrict again to the same domain");
    CHECK_EQ(restrict_to(&h, 1), -EPERM, "restrict again to another domain");
    CHECK_EQ(restrict_to(&e, dom), 0, "restrict an evtchn connection");
    CHECK_EQ(restrict_to(&g, dom), 0, "restrict a gnttab connection");

    /* Hypercalls: only dm_op on its own domain gets through. */
    CHECK_EQ(hcall(&h, DM_OP, dom, 0, 0), -ENOSYS, "dm_op, own domain");
    CHECK_EQ(hcall(&h, DM_OP, 1, 0, 0), -EPERM, "dm_op, domain 1");
    CHECK_EQ(hcall(&h, DM_OP, 0, 0, 0), -EPERM, "dm_op, domain 0");
    CHECK_EQ(domctl(&h, &op), -EPERM, "domctl");
    CHECK_EQ(sysctl(&h, &sop), -EPERM, "sysctl");
    *hp = (struct xen_hvm_param){.domid = 1, .index = HVM_PARAM_STORE_EVTCHN};
    CHECK_EQ(hcall(&h, __HYPERVISOR_hvm_op, HVMOP_get_param, (uintptr_t)hp, 0),
             -EPERM, "hvm_op get_param, domain 1");
    *dp = 1;
    CHECK_EQ(hcall(&h, __HYPERVISOR_memory_op, XENMEM_current_reservation,
                   (uintptr_t)dp, 0),
             -EPERM, "memory_op, domain 1");
    CHECK_EQ(hcall(&h, __HYPERVISOR_event_channel_op, EVTCHNOP_status,
                   (uintptr_t)dp, 0),
             -EPERM, "event_channel_op");
    CHECK_EQ(hcall(&h, __HYPERVISOR_grant_table_op, GNTTABOP_query_size,
                   (uintptr_t)dp, 1),
             -EPERM, "grant_table_op");
    CHECK_EQ(hcall(&h, __HYPERVISOR_xen_version, XENVER_version, 0, 0), -EPERM,
             "xen_version");

    /* Foreign maps. */
    CHECK_EQ(map_foreign(&h, dom, &fd, NULL), 0, "map its own domain");
    if (fd >= 0)
        close(fd);
    CHECK_EQ(map_foreign(&h, 1, &fd, NULL), -EPERM, "map domain 1");
    CHECK_EQ(map_foreign(&h, 0, &fd, NULL), -EPERM, "map domain 0");
    CHECK_EQ(map_foreign(&h, 3000, &fd, NULL), -EPERM, "map a missing domain");

    /* Event channels. */
    port = evtchn_req(&e, PRIVCMD_EVTCHN_BIND_UNBOUND, dom, 0, 0);
    check(port > 0, "bind an unbound port for its own domain: %lld",
          (long long)port);
    CHECK_EQ(evtchn_req(&e, PRIVCMD_EVTCHN_BIND_UNBOUND, 1, 0, 0), -EPERM,
             "bind an unbound port for domain 1");
    CHECK_EQ(evtchn_req(&e, PRIVCMD_EVTCHN_BIND_INTERDOMAIN, 1, 1, 0), -EPERM,
             "bind to a port of domain 1");
    CHECK_EQ(evtchn_req(&e, PRIVCMD_EVTCHN_BIND_INTERDOMAIN, 0, port, 0),
             -EPERM, "bind to a port of domain 0");
    CHECK_EQ(evtchn_req(&e, PRIVCMD_EVTCHN_BIND_VIRQ, 0, 0, VIRQ_DOM_EXC),
             -EPERM, "bind a VIRQ");
    CHECK_EQ(evtchn_req(&e, PRIVCMD_EVTCHN_UNBIND, 0, port, 0), 0,
             "unbind its port");

    /* Grant maps. */
    CHECK_EQ(gnt_map(&g, 1, 1, &ref, 0, NULL, NULL), -EPERM,
             "map grants of domain 1");
    check(gnt_map(&g, dom, 1, &ref, 0, NULL, NULL) >= 0,
          "map grants of its own domain");
    close_conn(&h);
    close_conn(&e);
    close_conn(&g);
}

/*
 * More events than the delivery socket holds while the client reads
 * none: xen keeps the rest and sends each port exactly once.
 */
static void test_evtchn_backlog(void)
{
    enum { N = 1500 };
    struct conn a = open_conn(PRIVCMD_ROLE_EVTCHN);
    struct conn b = open_conn(PRIVCMD_ROLE_EVTCHN);
    static int64_t pa[N];
    static unsigned char seen[4096];
    int bound = 0, got = 0, dup = 0;
    long port;

    for (int i = 0; i < N; i++) {
        int64_t pb;

        pa[i] = evtchn_req(&a, PRIVCMD_EVTCHN_BIND_UNBOUND, 0, 0, 0);
        pb = evtchn_req(&b, PRIVCMD_EVTCHN_BIND_INTERDOMAIN, 0, pa[i], 0);
        if (pa[i] <= 0 || pb <= 0 ||
            evtchn_req(&b, PRIVCMD_EVTCHN_NOTIFY, 0, pb, 0))
            break;
        bound++;
    }
    CHECK_EQ(bound, N, "loopback channels bound and notified");
    while ((port = next_event(&a, 2000)) >= 0) {
        if (port < 4096 && seen[port]++)
            dup++;
        got++;
    }
    CHECK_EQ(got, bound, "every event arrived");
    CHECK_EQ(dup, 0, "none twice");
    close_conn(&a);
    close_conn(&b);
}

/*
 * A client that never reads its replies holds up no one else, and xen
 * drops it after a few seconds; oversized and garbage messages.
 */
static void test_flood(struct conn *c)
{
    int s = connect_xen();
    struct privcmd_hello h = {.version = PRIVCMD_VERSION,
                              .role = PRIVCMD_ROLE_GNTTAB};
    struct privcmd_hello_reply hr;
    struct privcmd_gnttab_unmap u = {.hdr.type = PRIVCMD_GNTTAB_UNMAP};
    static char big[PRIVCMD_MAX_MSG + 64];
    struct privcmd_hdr r;
    uint64_t t0;
    int sent = 0;
    ssize_t n;

    CHECK_EQ(call(s, PRIVCMD_HELLO, &h, sizeof(h), &hr, sizeof(hr), NULL, NULL),
             0, "HELLO (gnttab)");
    CHECK_EQ(
        call(s, PRIVCMD_GNTTAB_UNMAP, big, sizeof(big), NULL, 0, NULL, NULL),
        -EMSGSIZE, "a request longer than PRIVCMD_MAX_MSG");
    /*
     * Requests, and never a reply read, until xen stops taking them: it
     * is then stuck sending a reply (its own buffer full of ours).
     */
    while (sent < 100000) {
        struct pollfd p = {.fd = s, .events = POLLOUT};

        if (send(s, &u, sizeof(u), MSG_DONTWAIT | MSG_NOSIGNAL) > 0)
            sent++;
        else if (poll(&p, 1, 500) != 1)
            break;
    }
    t0 = now_ms();
    CHECK_EQ(hcall(c, __HYPERVISOR_xen_version, XENVER_version, 0, 0) >> 16, 4,
             "another connection is served meanwhile");
    check(now_ms() - t0 < 1000, "promptly (%llu ms)",
          (unsigned long long)(now_ms() - t0));
    /* Past xen's send timeout its replies stay unread: it hangs up. */
    sleep(7);
    while ((n = recv(s, &r, sizeof(r), MSG_DONTWAIT)) > 0)
        ;
    /* Closed with our requests unread: a reset rather than an end. */
    check(n == 0 || errno == ECONNRESET,
          "the stalled connection is closed (%d requests)", sent);
    close(s);

    /* Garbage shorter than a header ends the connection at once. */
    s = connect_xen();
    CHECK_EQ(send(s, "xyz", 3, 0), 3, "send 3 bytes");
    CHECK_EQ(recv(s, &r, sizeof(r), 0), 0, "closed on garbage");
    close(s);
    c->used = 0;
}

static void test_evtchn(void)
{
    struct conn a = open_conn(PRIVCMD_ROLE_EVTCHN);
    struct conn b = open_conn(PRIVCMD_ROLE_EVTCHN);
    int64_t pa, pb;

    /* A loopback channel of domain 0, one end per connection. */
    pa = evtchn_req(&a, PRIVCMD_EVTCHN_BIND_UNBOUND, 0, 0, 0);
    pb = evtchn_req(&b, PRIVCMD_EVTCHN_BIND_INTERDOMAIN, 0, pa, 0);
    check(pa > 0 && pb > 0 && pa != pb, "loopback ports %lld and %lld",
          (long long)pa, (long long)pb);
    /* Xen raises the new local port of an interdomain bind. */
    CHECK_EQ(next_event(&b, 2000), pb, "the bound end fires once");
    CHECK_EQ(evtchn_req(&b, PRIVCMD_EVTCHN_UNMASK, 0, pb, 0), 0, "unmask");
    CHECK_EQ(evtchn_req(&b, PRIVCMD_EVTCHN_NOTIFY, 0, pb, 0), 0, "notify");
    CHECK_EQ(next_event(&a, 2000), pa, "the other end gets the event");
    CHECK_EQ(evtchn_req(&b, PRIVCMD_EVTCHN_NOTIFY, 0, pb, 0), 0,
             "notify again");
    CHECK_EQ(next_event(&a, 200), -1, "nothing while masked");
    CHECK_EQ(evtchn_req(&a, PRIVCMD_EVTCHN_UNMASK, 0, pa, 0), 0, "unmask");
    CHECK_EQ(next_event(&a, 2000), pa, "the event that came while masked");
    CHECK_EQ(evtchn_req(&a, PRIVCMD_EVTCHN_UNMASK, 0, pa, 0), 0,
             "unmask again");
    CHECK_EQ(evtchn_req(&a, PRIVCMD_EVTCHN_NOTIFY, 0, pb, 0), -ENOTCONN,
             "notify a port of another connection");
    CHECK_EQ(evtchn_req(&a, PRIVCMD_EVTCHN_UNBIND, 0, pb, 0), -ENOTCONN,
             "unbind a port of another connection");
    CHECK_EQ(evtchn_req(&a, PRIVCMD_EVTCHN_UNBIND, 0, 5000, 0), -EINVAL,
             "unbind port 5000");
    CHECK_EQ(evtchn_req(&a, PRIVCMD_EVTCHN_BIND_VIRQ, 0, 0, NR_VIRQS), -EINVAL,
             "bind a VIRQ that does not exist");
    /* Closing a's connection closes pa: pb waits for a new peer. */
    close_conn(&a);
    usleep(100000);
    CHECK_EQ(evtchn_req(&b, PRIVCMD_EVTCHN_NOTIFY, 0, pb, 0), 0,
             "notify a peer that is gone");
    CHECK_EQ(evtchn_req(&b, PRIVCMD_EVTCHN_RESET, 0, 0, 0), 0, "reset");
    CHECK_EQ(evtchn_req(&b, PRIVCMD_EVTCHN_NOTIFY, 0, pb, 0), -ENOTCONN,
             "reset unbound every port");
    close_conn(&b);
}

/* createdomain and what the toolstack does to a domain, until destroy. */
static void test_domain_lifecycle(struct conn *c)
{
    struct conn ev = open_conn(PRIVCMD_ROLE_EVTCHN);
    struct xen_sysctl_physinfo before = physinfo(c), after;
    struct xen_domctl op = {.cmd = XEN_DOMCTL_createdomain};
    struct xen_domctl_createdomain *cd = &op.u.createdomain;
    struct xen_domctl_getdomaininfo info;
    struct xen_memory_reservation *res;
    struct sched_remote_shutdown *rs;
    xen_pfn_t *list;
    uint8_t *map;
    uint64_t until;
    int64_t virq;
    domid_t dom;
    int memfd = -1;

    virq = evtchn_req(&ev, PRIVCMD_EVTCHN_BIND_VIRQ, 0, 0, VIRQ_DOM_EXC);
    check(virq > 0, "bind VIRQ_DOM_EXC: port %lld", (long long)virq);
    CHECK_EQ(evtchn_req(&ev, PRIVCMD_EVTCHN_BIND_VIRQ, 0, 0, VIRQ_DOM_EXC),
             -EEXIST, "bind VIRQ_DOM_EXC twice");

    cd->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    cd->max_vcpus = 2;
    cd->max_evtchn_port = 1023;
    cd->max_grant_frames = 4;
    cd->max_maptrack_frames = -1;
    cd->grant_opts = XEN_DOMCTL_GRANT_version(1);
    cd->arch.emulation_flags = XEN_X86_EMU_LAPIC;
    memcpy(cd->handle, "0123456789abcdef", 16);
    op.domain = 0;
    {
        struct xen_domctl bad = op;

        bad.u.createdomain.max_vcpus = 0;
        CHECK_EQ(domctl(c, &bad), -EINVAL, "createdomain without vCPUs");
        bad = op;
        bad.u.createdomain.flags = XEN_DOMCTL_CDF_hap;
        CHECK_EQ(domctl(c, &bad), -EINVAL, "createdomain: HAP without HVM");
        bad = op;
        bad.u.createdomain.flags |= 1U << 20;
        CHECK_EQ(domctl(c, &bad), -EINVAL, "createdomain: unknown flag");
        bad = op;
        bad.u.createdomain.arch.emulation_flags = XEN_X86_EMU_HPET;
        CHECK_EQ(domctl(c, &bad), -EOPNOTSUPP, "createdomain: HPET alone");
        bad = op;
        bad.u.createdomain.max_grant_frames = 100000;
        CHECK_EQ(domctl(c, &bad), -EINVAL,
                 "createdomain: too many grant frames");
        bad = op;
        bad.domain = 1;
        CHECK_EQ(domctl(c, &bad), -EEXIST, "createdomain with a taken id");
    }
    CHECK_EQ(domctl(c, &op), 0, "createdomain");
    dom = op.domain;
    check(dom > 1 && dom < DOMID_FIRST_RESERVED, "new domain %u", dom);
    /* The failed attempt with too many grant frames came and went. */
    while (next_event(&ev, 200) == virq)
        evtchn_req(&ev, PRIVCMD_EVTCHN_UNMASK, 0, virq, 0);

    CHECK_EQ(getinfo(c, dom, &info), 0, "getdomaininfo of the new domain");
    check(info.domain == dom && (info.flags & XEN_DOMINF_paused) &&
              (info.flags & XEN_DOMINF_hvm_guest) &&
              (info.flags & XEN_DOMINF_hap) && info.max_vcpu_id == 1 &&
              !info.nr_online_vcpus && !info.tot_pages && !info.max_pages &&
              !memcmp(info.handle, "0123456789abcdef", 16) &&
              info.arch_config.emulation_flags == XEN_X86_EMU_LAPIC,
          "new domain: paused, HVM, 2 vCPUs down, no memory (flags %#x)",
          info.flags);
    CHECK_EQ(getinfo(c, dom - 1 > 1 ? dom - 1 : 2, &info), 0,
             "getdomaininfo from a lower free id");
    CHECK_EQ(info.domain, dom, "gives the next domain up");

    /* Memory: max_mem, populate, accounting. */
    op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_mem, .domain = dom};
    op.u.max_mem.max_memkb = 16 << 10;
    CHECK_EQ(domctl(c, &op), 0, "max_mem 16 MiB");
    res = alloc(c, sizeof(*res));
    list = alloc(c, 256 * sizeof(*list));
    for (int i = 0; i < 256; i++)
        list[i] = i;
    *res = (struct xen_memory_reservation){.nr_extents = 256, .domid = dom};
    res->extent_start.p = list;
    CHECK_EQ(hcall(c, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                   (uintptr_t)res, 0),
             256, "populate 256 frames of the new domain");
    CHECK_EQ(getinfo(c, dom, &info), 0, "getdomaininfo");
    check(info.tot_pages == 256 && info.max_pages == 4096,
          "tot_pages %llu, max_pages %llu", (unsigned long long)info.tot_pages,
          (unsigned long long)info.max_pages);
    after = physinfo(c);
    CHECK_EQ(before.free_pages - after.free_pages, 256,
             "physinfo: 256 pages fewer free");

    /* Its memory, through a foreign map. */
    CHECK_EQ(map_foreign(c, dom, &memfd, NULL), 0, "map the new domain");
    map = memfd >= 0 ? mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
                            memfd, 0x10 * PAGE)
                     : MAP_FAILED;
    check(map != MAP_FAILED, "mmap frame 0x10");
    if (map != MAP_FAILED) {
        memcpy(map, "dom0 was here", 14);
        munmap(map, PAGE);
    }
    if (memfd >= 0)
        test_grants(c, dom, memfd);

    /* Pause and unpause nest; the last unpause starts it. */
    op = (struct xen_domctl){.cmd = XEN_DOMCTL_pausedomain, .domain = dom};
    CHECK_EQ(domctl(c, &op), 0, "pause");
    op.cmd = XEN_DOMCTL_unpausedomain;
    CHECK_EQ(domctl(c, &op), 0, "unpause");
    getinfo(c, dom, &info);
    check(info.flags & XEN_DOMINF_paused, "still paused by its creation");
    CHECK_EQ(domctl(c, &op), 0, "unpause (start)");
    getinfo(c, dom, &info);
    check(!(info.flags & XEN_DOMINF_paused), "running: flags %#x", info.flags);
    CHECK_EQ(domctl(c, &op), -EINVAL, "unpause once too often");

    op = (struct xen_domctl){.cmd = XEN_DOMCTL_max_vcpus, .domain = dom};
    op.u.max_vcpus.max = 2;
    CHECK_EQ(domctl(c, &op), 0, "max_vcpus as created");
    op.u.max_vcpus.max = 3;
    CHECK_EQ(domctl(c, &op), -EINVAL, "max_vcpus otherwise");
    op = (struct xen_domctl){.cmd = XEN_DOMCTL_getvcpuinfo, .domain = dom};
    op.u.getvcpuinfo.vcpu = 1;
    CHECK_EQ(domctl(c, &op), 0, "getvcpuinfo");
    check(!op.u.getvcpuinfo.online && !op.u.getvcpuinfo.running,
          "vCPU 1 is down");
    op.u.getvcpuinfo.vcpu = 2;
    CHECK_EQ(domctl(c, &op), -EINVAL, "getvcpuinfo of vCPU 2");

    /* Affinity: stored, and the effective mask comes back. */
    {
        uint8_t *hard = alloc(c, 8), *soft = alloc(c, 8);

        op = (struct xen_domctl){.cmd = XEN_DOMCTL_setvcpuaffinity,
                                 .domain = dom};
        op.u.vcpuaffinity.vcpu = 1;
        op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
        op.u.vcpuaffinity.cpumap_hard.bitmap.p = hard;
        op.u.vcpuaffinity.cpumap_hard.nr_bits = 64;
        op.u.vcpuaffinity.cpumap_soft.bitmap.p = soft;
        op.u.vcpuaffinity.cpumap_soft.nr_bits = 64;
        hard[0] = 0x01;
        hard[7] = 0xff;
        soft[0] = 0xff;
        CHECK_EQ(domctl(c, &op), 0, "setvcpuaffinity hard {0}, soft all");
        check(hard[0] == 1 && !hard[7] && soft[0] == 1,
              "effective: hard %#x, soft %#x", hard[0], soft[0]);
        memset(hard, 0, 8);
        memset(soft, 0, 8);
        op.cmd = XEN_DOMCTL_getvcpuaffinity;
        CHECK_EQ(domctl(c, &op), 0, "getvcpuaffinity");
        check(hard[0] == 1 && soft[0] != 0, "as set: hard %#x, soft %#x",
              hard[0], soft[0]);
        op.cmd = XEN_DOMCTL_setvcpuaffinity;
        op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
        memset(hard, 0, 8);
        hard[7] = 0x80;
        CHECK_EQ(domctl(c, &op), -EINVAL, "hard affinity to no pCPU");
        op.u.vcpuaffinity.cpumap_hard.bitmap.p = (uint8_t *)&op;
        CHECK_EQ(domctl(c, &op), -EFAULT, "a bitmap outside the arena");
        op.u.vcpuaffinity.flags = 0;
        CHECK_EQ(domctl(c, &op), -EINVAL, "neither hard nor soft");
    }

    op = (struct xen_domctl){.cmd = XEN_DOMCTL_settimeoffset, .domain = dom};
    op.u.settimeoffset.time_offset_seconds = 3600;
    CHECK_EQ(domctl(c, &op), 0, "settimeoffset");

    /* Shut it down: listed as shut down (reboot), VIRQ_DOM_EXC fires. */
    rs = alloc(c, sizeof(*rs));
    *rs = (struct sched_remote_shutdown){.domain_id = dom,
                                         .reason = SHUTDOWN_reboot};
    CHECK_EQ(hcall(c, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                   (uintptr_t)rs, 0),
             0, "SCHEDOP_remote_shutdown");
    CHECK_EQ(next_event(&ev, 5000), virq, "VIRQ_DOM_EXC on shutdown");
    getinfo(c, dom, &info);
    check((info.flags & XEN_DOMINF_shutdown) &&
              ((info.flags >> XEN_DOMINF_shutdownshift) & 255) ==
                  SHUTDOWN_reboot,
          "listed as shut down for reboot: flags %#x", info.flags);
    rs->domain_id = 3000;
    CHECK_EQ(hcall(c, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                   (uintptr_t)rs, 0),
             -ESRCH, "remote_shutdown of a missing domain");

    /* Restricted connections while it exists. */
    test_restricted(dom);

    CHECK_EQ(evtchn_req(&ev, PRIVCMD_EVTCHN_UNMASK, 0, virq, 0), 0, "unmask");
    op = (struct xen_domctl){.cmd = XEN_DOMCTL_destroydomain, .domain = dom};
    CHECK_EQ(domctl(c, &op), 0, "destroydomain");
    CHECK_EQ(next_event(&ev, 5000), virq, "VIRQ_DOM_EXC on destroy");
    CHECK_EQ(getinfo(c, dom, &info), -ESRCH, "gone from getdomaininfo");
    CHECK_EQ(domctl(c, &op), -ESRCH, "destroy it again");
    if (memfd >= 0)
        close(memfd);
    /* Freed once the last reference goes (grant maps closed above). */
    until = now_ms() + 5000;
    do
        after = physinfo(c);
    while (after.free_pages != before.free_pages && now_ms() < until &&
           !usleep(20000));
    CHECK_EQ(after.free_pages, before.free_pages,
             "physinfo: free pages back where they were");
    close_conn(&ev);
    c->used = 0;
}

int main(int argc, char **argv)
{
    struct conn c;

    if (argc != 2) {
        fprintf(stderr, "usage: %s KERNEL\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_hello();
    c = open_conn(PRIVCMD_ROLE_HYPERCALL);
    test_hypercalls(&c);
    test_dom0(&c);
    test_boot_domain(&c, argv[1]);
    test_lists(&c);
    test_evtchn();
    test_evtchn_backlog();
    test_flood(&c);
    test_domain_lifecycle(&c);
    close_conn(&c);
    printf("%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
