/*
 * The tools libraries (tools/libs) against a live xen, as a domain 0
 * process uses them. libs.sh starts xen with three libs-peer domains
 * (tests/guests/libs-peer.c): domain 1 with "check", domains 2 and 3.
 *
 * Usage: libs-test PEER-ELF. Prints "ok"/"FAIL" lines; exits 0 if all
 * passed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/version.h>
#include <xen/xen.h>
#include <xencall.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xentoolcore.h>

#include "testlib.h"

#define PAGE 4096UL
#define REF_RW 8 /* libs-peer's grants to domain 0 */
#define REF_RO 9
#define PEER_PORT 1 /* libs-peer's unbound port for domain 0 */

/* The next port that fires on @xce within @ms, or -1. */
static int pending_within(xenevtchn_handle *xce, int ms)
{
    struct pollfd p = {.fd = xenevtchn_fd(xce), .events = POLLIN};

    if (poll(&p, 1, ms) != 1)
        return -1;
    return xenevtchn_pending(xce);
}

/* Wait up to 10 s for @port to fire on @xce (others are unmasked). */
static int wait_port(xenevtchn_handle *xce, int port)
{
    int i, p;

    for (i = 0; i < 100; i++) {
        p = pending_within(xce, 100);
        if (p >= 0)
            xenevtchn_unmask(xce, p);
        if (p == port)
            return 0;
    }
    return -1;
}

/* Bind to @domid's PEER_PORT once it exists (up to 10 s): local port. */
static int bind_peer(xenevtchn_handle *xce, uint32_t domid)
{
    int i, port = -1;

    for (i = 0; i < 1000 && port < 0; i++) {
        port = xenevtchn_bind_interdomain(xce, domid, PEER_PORT);
        if (port < 0)
            usleep(10000);
    }
    return port;
}

/* The libraries come from this build, not from the system. */
static void test_provenance(void)
{
    const char *top = getenv("top_builddir");
    char real[PATH_MAX], lib[PATH_MAX];
    void *fns[] = {
        (void *)xencall_open,
        (void *)xenevtchn_open,
        (void *)xengnttab_open,
        (void *)xenforeignmemory_open,
        (void *)xentoolcore_restrict_all,
    };
    unsigned int i;
    int before = failures;

    if (!top || !realpath(top, real)) {
        printf("skip provenance: top_builddir unknown\n");
        return;
    }
    for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
        Dl_info info;

        CHECK(dladdr(fns[i], &info) && info.dli_fname &&
                  realpath(info.dli_fname, lib) &&
                  !strncmp(lib, real, strlen(real)),
              "library %s", lib);
    }
    section("libraries from this build", before);
}

static void test_xencall(void)
{
    xencall_handle *xc = xencall_open(NULL, 0);
    void *pages[4096];
    char stack_buf[64];
    char *buf;
    int n, i, before = failures;

    CHECK(xc != NULL);
    if (!xc)
        goto out;
    CHECK(xencall_fd(xc) >= 0);
    CHECK(xencall_buffers_never_fault(xc) == 1);

    n = xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
    CHECK(n == (4 << 16 | 12), "version %#x", n);
    CHECK(xencall2L(xc, __HYPERVISOR_xen_version, XENVER_version, 0) == n);

    buf = xencall_alloc_buffer(xc, XEN_EXTRAVERSION_LEN);
    CHECK(buf != NULL);
    if (buf) {
        CHECK(xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion,
                       (uintptr_t)buf) == 0);
        CHECK(buf[0] == '.', "extraversion \"%.16s\"", buf);
        xencall_free_buffer(xc, buf);
    }

    /* Memory outside the arena is not reachable by the core. */
    errno = 0;
    CHECK(xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion,
                   (uintptr_t)stack_buf) == -1 &&
          errno == EFAULT);
    errno = 0;
    CHECK(xencall0(xc, 63) == -1 && errno == ENOSYS);

    /* Pages are aligned and zeroed; the arena runs out, then recovers. */
    for (n = 0; n < 4096; n++) {
        pages[n] = xencall_alloc_buffer_pages(xc, 1);
        if (!pages[n])
            break;
        if ((uintptr_t)pages[n] % PAGE || ((char *)pages[n])[100] != 0)
            CHECK(0, "page %d at %p", n, pages[n]);
        memset(pages[n], 0xee, PAGE);
    }
    CHECK(n > 0 && n < 4096 && errno == ENOMEM, "%d pages", n);
    for (i = 0; i < n; i++)
        xencall_free_buffer_pages(xc, pages[i], 1);
    pages[0] = xencall_alloc_buffer_pages(xc, n);
    CHECK(pages[0] != NULL, "all %d pages at once", n);
    xencall_free_buffer_pages(xc, pages[0], n);
out:
    CHECK(xencall_close(xc) == 0);
    section("xencall", before);
}

static void test_evtchn_local(void)
{
    xenevtchn_handle *a = xenevtchn_open(NULL, 0);
    xenevtchn_handle *b = xenevtchn_open(NULL, XENEVTCHN_NO_CLOEXEC);
    int pa, pb, before = failures;

    CHECK(a && b);
    if (!a || !b)
        goto out;
    CHECK(fcntl(xenevtchn_fd(a), F_GETFD) & FD_CLOEXEC);
    CHECK(!(fcntl(xenevtchn_fd(b), F_GETFD) & FD_CLOEXEC));

    /* A loopback channel between two handles of domain 0. */
    pa = xenevtchn_bind_unbound_port(a, 0);
    CHECK(pa > 0, "port %d", pa);
    pb = xenevtchn_bind_interdomain(b, 0, pa);
    CHECK(pb > 0 && pb != pa, "port %d", pb);
    CHECK(pending_within(b, 1000) == pb, "the bind's event");
    CHECK(xenevtchn_unmask(b, pb) == 0);

    CHECK(xenevtchn_notify(b, pb) == 0);
    CHECK(pending_within(a, 1000) == pa);
    /* Fired ports stay masked: a second event waits for the unmask. */
    CHECK(xenevtchn_notify(b, pb) == 0);
    CHECK(pending_within(a, 200) == -1);
    CHECK(xenevtchn_unmask(a, pa) == 0);
    CHECK(pending_within(a, 1000) == pa, "the event held by the mask");
    CHECK(xenevtchn_unmask(a, pa) == 0);

    CHECK(xenevtchn_notify(a, pa) == 0);
    CHECK(pending_within(b, 1000) == pb);
    CHECK(xenevtchn_unmask(b, pb) == 0);

    /* Non-blocking delivery fd: EAGAIN when nothing is pending. */
    CHECK(fcntl(xenevtchn_fd(a), F_SETFL, O_NONBLOCK) == 0);
    errno = 0;
    CHECK(xenevtchn_pending(a) == -1 && errno == EAGAIN);

    CHECK(xenevtchn_unbind(b, pb) == 0);
    CHECK(xenevtchn_unbind(a, pa) == 0);
    CHECK(xenevtchn_notify(a, pa) == -1, "notify on a closed port");
    CHECK(xenevtchn_unbind(a, pa) == -1, "unbind twice");

    errno = 0;
    CHECK(xenevtchn_fdopen(NULL, 0, 0) == NULL && errno == EOPNOTSUPP);
out:
    CHECK(xenevtchn_close(a) == 0 && xenevtchn_close(b) == 0);
    section("xenevtchn: loopback, masking, non-blocking", before);
}

/* The file range of the ELF section @name of @path into *@out. */
static size_t elf_section(const char *path, const char *name, uint64_t *addr,
                          uint8_t **out)
{
    Elf64_Ehdr *eh;
    Elf64_Shdr *sh;
    struct stat st;
    uint8_t *f = MAP_FAILED;
    size_t size = 0;
    int fd = open(path, O_RDONLY), i;

    if (fd < 0 || fstat(fd, &st) < 0)
        goto out;
    f = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (f == MAP_FAILED || (size_t)st.st_size < sizeof(*eh))
        goto out;
    eh = (Elf64_Ehdr *)f;
    sh = (Elf64_Shdr *)(f + eh->e_shoff);
    for (i = 0; i < eh->e_shnum; i++) {
        const char *n =
            (const char *)f + sh[eh->e_shstrndx].sh_offset + sh[i].sh_name;

        if (!strcmp(n, name)) {
            *out = malloc(sh[i].sh_size);
            if (!*out)
                goto out;
            memcpy(*out, f + sh[i].sh_offset, sh[i].sh_size);
            *addr = sh[i].sh_addr;
            size = sh[i].sh_size;
            break;
        }
    }
out:
    if (f != MAP_FAILED)
        munmap(f, st.st_size);
    if (fd >= 0)
        close(fd);
    return size;
}

static void test_foreignmemory(const char *elf)
{
    xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
    xen_pfn_t gfns[64], far[3];
    uint8_t *text = NULL, *map, *m2;
    uint64_t addr = 0;
    size_t size = elf_section(elf, ".text", &addr, &text), pages, i;
    int err[64], before = failures;

    CHECK(fm != NULL);
    CHECK(size > 0 && addr >= 0x100000, "%s .text", elf);
    if (!fm || !size)
        goto out;

    /* The kernel's code where the loader put it. */
    pages = ((addr + size + PAGE - 1) / PAGE) - addr / PAGE;
    CHECK(pages <= 64, "%zu pages", pages);
    for (i = 0; i < pages && i < 64; i++)
        gfns[i] = addr / PAGE + i;
    map = xenforeignmemory_map(fm, 1, PROT_READ, pages, gfns, err);
    CHECK(map != NULL);
    if (map) {
        for (i = 0; i < pages; i++)
            CHECK(err[i] == 0, "err[%zu] = %d", i, err[i]);
        CHECK(!memcmp(map + addr % PAGE, text, size),
              "domain 1's .text differs from the file");

        /* map2 at a fixed address replaces part of a mapping. */
        far[0] = addr / PAGE + 1;
        m2 = xenforeignmemory_map2(fm, 1, map, PROT_READ, MAP_FIXED, 1, far,
                                   NULL);
        CHECK(m2 == map);
        if (m2)
            CHECK(!memcmp(map, map + PAGE, PAGE));
        CHECK(xenforeignmemory_unmap(fm, map, pages) == 0);
    }

    /* Frames past the domain's memory fail one by one, or the call. */
    far[0] = addr / PAGE;
    far[1] = 1ULL << 40;
    far[2] = addr / PAGE + 1;
    map = xenforeignmemory_map(fm, 1, PROT_READ, 3, far, err);
    CHECK(map != NULL);
    if (map) {
        CHECK(err[0] == 0 && err[1] == -EINVAL && err[2] == 0, "err %d %d %d",
              err[0], err[1], err[2]);
        CHECK(!memcmp(map + addr % PAGE, text, PAGE - addr % PAGE));
        CHECK(xenforeignmemory_unmap(fm, map, 3) == 0);
    }
    errno = 0;
    CHECK(xenforeignmemory_map(fm, 1, PROT_READ, 3, far, NULL) == NULL &&
          errno == EINVAL);
    errno = 0;
    CHECK(xenforeignmemory_map(fm, 77, PROT_READ, 1, far, NULL) == NULL &&
          errno == ESRCH);

    errno = 0;
    CHECK(xenforeignmemory_map_resource(fm, 1, 0, 0, 0, 2, (void **)&map,
                                        PROT_READ, 0) == NULL &&
          errno == EOPNOTSUPP);
out:
    free(text);
    CHECK(xenforeignmemory_close(fm) == 0);
    section("xenforeignmemory: domain 1's kernel", before);
}

/* Grants of domain 1 (libs-peer "check"); leaves its port in *@port. */
static void test_gnttab(xenevtchn_handle *xce, int *port)
{
    xengnttab_handle *gt = xengnttab_open(NULL, 0);
    uint32_t refs[2] = {REF_RW, REF_RO};
    uint8_t *rw = NULL, *ro = NULL, *both, local[256];
    xengnttab_grant_copy_segment_t seg[5];
    int before = failures;

    *port = bind_peer(xce, 1);
    CHECK(*port > 0, "bind to domain 1's port");
    CHECK(gt != NULL);
    if (*port <= 0 || !gt)
        goto out;
    CHECK(wait_port(xce, *port) == 0, "the bind's event");
    CHECK(xengnttab_set_max_grants(gt, 64) == 0);
    CHECK(xengnttab_fd(gt) >= 0);

    rw = xengnttab_map_grant_ref(gt, 1, REF_RW, PROT_READ | PROT_WRITE);
    CHECK(rw != NULL);
    if (rw) {
        CHECK(rw[0] == 0x11 && rw[4095] == 0x11);
        memset(rw, 0x33, 256);
    }
    ro = xengnttab_map_grant_ref(gt, 1, REF_RO, PROT_READ);
    CHECK(ro != NULL && ro[17] == 0x22);
    CHECK(xengnttab_map_grant_ref(gt, 1, REF_RO, PROT_READ | PROT_WRITE) ==
              NULL,
          "a writable map of a read-only grant");
    CHECK(xengnttab_map_grant_ref(gt, 1, 5000, PROT_READ) == NULL);
    CHECK(xengnttab_map_grant_ref(gt, 99, REF_RW, PROT_READ) == NULL);

    both = xengnttab_map_domain_grant_refs(gt, 2, 1, refs, PROT_READ);
    CHECK(both != NULL);
    if (both) {
        CHECK(both[0] == 0x33 && both[PAGE] == 0x22);
        errno = 0;
        CHECK(xengnttab_unmap(gt, both, 1) == -1 && errno == EINVAL);
        CHECK(xengnttab_unmap(gt, both, 2) == 0);
    }

    /* Grant copy: the empty probe, both directions, refusals. */
    CHECK(xengnttab_grant_copy(gt, 0, NULL) == 0);
    memset(local, 0x44, sizeof(local));
    memset(seg, 0, sizeof(seg));
    seg[0].source.virt = local;
    seg[0].dest.foreign.domid = 1;
    seg[0].dest.foreign.ref = REF_RW;
    seg[0].dest.foreign.offset = 256;
    seg[0].len = 256;
    seg[0].flags = GNTCOPY_dest_gref;
    seg[1].source.foreign.domid = 1;
    seg[1].source.foreign.ref = REF_RO;
    seg[1].dest.virt = local;
    seg[1].len = 64;
    seg[1].flags = GNTCOPY_source_gref;
    seg[2].source.virt = local;
    seg[2].dest.foreign.domid = 1;
    seg[2].dest.foreign.ref = REF_RO;
    seg[2].len = 8;
    seg[2].flags = GNTCOPY_dest_gref;
    seg[3] = seg[1];
    seg[3].source.foreign.ref = 5000;
    seg[4] = seg[1];
    seg[4].source.foreign.domid = 99;
    /* One map per side (their grants are all domain 1's) ... */
    CHECK(xengnttab_grant_copy(gt, 2, seg) == 0);
    /* ... and grant by grant when that fails, with each status. */
    CHECK(xengnttab_grant_copy(gt, 3, seg + 2) == 0);
    CHECK(seg[0].status == GNTST_okay && seg[1].status == GNTST_okay,
          "status %d %d", seg[0].status, seg[1].status);
    CHECK(seg[2].status == GNTST_general_error, "read-only: %d", seg[2].status);
    CHECK(seg[3].status < 0, "no such grant");
    CHECK(seg[4].status == GNTST_bad_domain, "no such domain: %d",
          seg[4].status);
    CHECK(local[0] == 0x22 && local[63] == 0x22 && local[64] == 0x44);
    if (rw)
        CHECK(rw[256] == 0x44 && rw[511] == 0x44 && rw[512] == 0x11);
    seg[1].source.foreign.offset = 4090;
    errno = 0;
    CHECK(xengnttab_grant_copy(gt, 2, seg) == -1 && errno == EINVAL);

    if (rw)
        CHECK(xengnttab_unmap(gt, rw, 1) == 0);
    if (ro)
        CHECK(xengnttab_unmap(gt, ro, 1) == 0);
    errno = 0;
    CHECK(xengnttab_unmap(gt, rw, 1) == -1 && errno == EINVAL);
    errno = 0;
    CHECK(xengntshr_open(NULL, 0) == NULL && errno == ENOSYS);
out:
    CHECK(xengnttab_close(gt) == 0);
    section("xengnttab: maps and copies of domain 1's grants", before);
}

/*
 * In a child forked before this process opened anything: restrict
 * every handle to domain 3, then domain 2 is out of reach.
 */
static int restricted_child(void)
{
    xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0), *fm2;
    xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
    xengnttab_handle *gt = xengnttab_open(NULL, 0);
    xen_pfn_t gfn = 0x100;
    void *p;

    CHECK(fm && xce && gt);
    if (!fm || !xce || !gt)
        return 1;
    CHECK(xentoolcore_restrict_all(3) == 0);
    CHECK(xentoolcore_restrict_all(3) == 0, "the same domain again");

    errno = 0;
    CHECK(!xenforeignmemory_map(fm, 2, PROT_READ, 1, &gfn, NULL) &&
          errno == EPERM);
    p = xenforeignmemory_map(fm, 3, PROT_READ, 1, &gfn, NULL);
    CHECK(p != NULL);
    if (p)
        xenforeignmemory_unmap(fm, p, 1);

    errno = 0;
    CHECK(xenevtchn_bind_interdomain(xce, 2, PEER_PORT) == -1 &&
          errno == EPERM);
    errno = 0;
    CHECK(xenevtchn_bind_unbound_port(xce, 2) == -1 && errno == EPERM);
    CHECK(xenevtchn_bind_unbound_port(xce, 3) > 0);

    errno = 0;
    CHECK(!xengnttab_map_grant_ref(gt, 2, REF_RO, PROT_READ) && errno == EPERM);
    p = xengnttab_map_grant_ref(gt, 3, REF_RO, PROT_READ);
    CHECK(p != NULL && ((uint8_t *)p)[0] == 0x22);
    if (p)
        xengnttab_unmap(gt, p, 1);

    CHECK(xentoolcore_restrict_all(2) == -1, "another domain");

    /* A handle opened afterwards is not restricted. */
    fm2 = xenforeignmemory_open(NULL, 0);
    p = fm2 ? xenforeignmemory_map(fm2, 2, PROT_READ, 1, &gfn, NULL) : NULL;
    CHECK(p != NULL, "a new handle maps domain 2");
    if (p)
        xenforeignmemory_unmap(fm2, p, 1);

    xenforeignmemory_close(fm2);
    xengnttab_close(gt);
    xenevtchn_close(xce);
    xenforeignmemory_close(fm);
    section("xentoolcore_restrict_all in a child", 0);
    return failures ? 1 : 0;
}

/* Run restricted_child in the child that waits on @go, and reap it. */
static void test_restrict(int go, pid_t child)
{
    int status = -1, before = failures;

    CHECK(write(go, "g", 1) == 1);
    close(go);
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %#x", status);
    section("restricted handles (child exit status)", before);
}

int main(int argc, char **argv)
{
    xenevtchn_handle *virq_h, *peers;
    int go[2], virq, port1, port2, port3, before;
    pid_t child;
    char c;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 2) {
        fprintf(stderr, "usage: %s PEER-ELF\n", argv[0]);
        return 2;
    }
    /* Fork first, so that the child inherits no handle of ours. */
    if (pipe(go) < 0)
        return 1;
    child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        close(go[1]);
        if (read(go[0], &c, 1) != 1)
            _exit(1);
        _exit(restricted_child());
    }
    close(go[0]);

    test_provenance();
    test_xencall();
    test_evtchn_local();

    virq_h = xenevtchn_open(NULL, 0);
    CHECK(virq_h != NULL);
    if (!virq_h)
        return 1;
    virq = xenevtchn_bind_virq(virq_h, VIRQ_DOM_EXC);
    CHECK(virq >= 0, "bind VIRQ_DOM_EXC");

    test_foreignmemory(argv[1]);
    peers = xenevtchn_open(NULL, 0);
    CHECK(peers != NULL);
    if (!peers)
        return 1;
    test_gnttab(peers, &port1);
    test_restrict(go[1], child);

    /* Domain 1 checks what we wrote, answers and powers off. */
    before = failures;
    CHECK(xenevtchn_notify(peers, port1) == 0);
    CHECK(wait_port(peers, port1) == 0, "domain 1's answer");
    CHECK(wait_port(virq_h, virq) == 0, "VIRQ_DOM_EXC for domain 1");
    section("xenevtchn: domain 1's event and VIRQ_DOM_EXC", before);

    /* Let domains 2 and 3 go too: bind (one event), notify, answer. */
    before = failures;
    port2 = bind_peer(peers, 2);
    CHECK(port2 > 0 && wait_port(peers, port2) == 0);
    CHECK(xenevtchn_notify(peers, port2) == 0);
    CHECK(wait_port(peers, port2) == 0, "domain 2's answer");
    port3 = bind_peer(peers, 3);
    CHECK(port3 > 0 && wait_port(peers, port3) == 0);
    CHECK(xenevtchn_notify(peers, port3) == 0);
    CHECK(wait_port(peers, port3) == 0, "domain 3's answer");
    section("domains 2 and 3 released", before);

    xenevtchn_close(peers);
    xenevtchn_close(virq_h);
    printf("%s libs-test\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
