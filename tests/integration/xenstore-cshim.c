/*
 * LD_PRELOAD shim that runs Xen 4.17's own C xenstored (Debian package
 * xen-utils-4.17) without a hypervisor, as the reference our xenstored is
 * compared with. It replaces the few libxenctrl, libxenevtchn and
 * libxengnttab calls the daemon makes with the file-backed rings of our
 * xenstored's --test-rings backend (tools/xenstored/ring_file.c), so the
 * same test programs can act as guests towards either daemon:
 *
 *   $XS_SHIM_DIR/ring-<domid>          a domain's ring page (exists = the
 *                                      domain exists); state-<domid> may
 *                                      say "shutdown" or "dying"
 *   $XS_SHIM_DIR/xenstored.evtchn      guests send their domid here
 *   $XS_SHIM_DIR/guest-<domid>.evtchn  we send the guest's port here
 *
 * Domain 0's own ring (/proc/xen/xsd_kva, xsd_port) is redirected to
 * dummy files, as the daemon insists on mapping one.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DOM_EXC 0xffffffffu

static const char *dir(void)
{
    const char *d = getenv("XS_SHIM_DIR");
    return d ? d : ".";
}

/* --- libxenctrl: xc_interface_open, xc_domain_getinfo --- */

static char xc_dummy;

void *xc_interface_open(void *logger, void *dombuild_logger, unsigned flags)
{
    (void)logger;
    (void)dombuild_logger;
    (void)flags;
    return &xc_dummy;
}

int xc_interface_close(void *xch)
{
    (void)xch;
    return 0;
}

/*
 * Xen 4.17's xc_dominfo_t (112 bytes on x86-64) starts with uint32_t
 * domid, uint32_t ssidref, then bit-fields dying:1, crashed:1,
 * shutdown:1, ... in one unsigned int. The daemon only looks at those;
 * the rest stays zero.
 */
#define XC_DOMINFO_SIZE 112
int xc_domain_getinfo(void *xch, uint32_t first, unsigned int max, void *info)
{
    char path[PATH_MAX], state[16] = "";
    uint32_t flags = 0;
    FILE *f;

    (void)xch;
    if (!max)
        return 0;
    if (first != 0) {
        snprintf(path, sizeof(path), "%s/ring-%u", dir(), first);
        if (access(path, F_OK))
            return 0;
        snprintf(path, sizeof(path), "%s/state-%u", dir(), first);
        f = fopen(path, "r");
        if (f) {
            if (!fgets(state, sizeof(state), f))
                state[0] = 0;
            fclose(f);
        }
        if (!strncmp(state, "dying", 5))
            flags = 1u << 0;
        else if (!strncmp(state, "shutdown", 8))
            flags = 1u << 2;
    }
    memset(info, 0, XC_DOMINFO_SIZE);
    memcpy(info, &first, 4);
    memcpy((char *)info + 8, &flags, 4);
    return 1;
}

/* --- libxenevtchn over datagrams --- */

static int evfd = -1;
static struct {
    uint32_t domid, remote;
    int used;
} ports[1024];
static int virq_port = -1;

static int ev_socket(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    if (evfd >= 0)
        return evfd;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/xenstored.evtchn", dir());
    unlink(sa.sun_path);
    evfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (evfd >= 0 && bind(evfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(evfd);
        evfd = -1;
    }
    return evfd;
}

static char evh;

void *xenevtchn_open(void *logger, unsigned flags)
{
    (void)logger;
    (void)flags;
    return ev_socket() < 0 ? NULL : &evh;
}

void *xenevtchn_fdopen(void *logger, int fd, unsigned flags)
{
    (void)logger;
    (void)flags;
    evfd = fd;
    return &evh;
}

int xenevtchn_close(void *h)
{
    (void)h;
    return 0;
}

int xenevtchn_fd(void *h)
{
    (void)h;
    return evfd;
}

static int new_port(uint32_t domid, uint32_t remote)
{
    for (int p = 1; p < 1024; p++) {
        if (!ports[p].used) {
            ports[p].used = 1;
            ports[p].domid = domid;
            ports[p].remote = remote;
            return p;
        }
    }
    errno = ENOSPC;
    return -1;
}

int xenevtchn_bind_interdomain(void *h, uint32_t domid, unsigned remote)
{
    (void)h;
    return new_port(domid, remote);
}

int xenevtchn_bind_virq(void *h, unsigned virq)
{
    (void)h;
    (void)virq;
    virq_port = new_port(DOM_EXC, 0);
    return virq_port;
}

int xenevtchn_bind_unbound_port(void *h, uint32_t domid)
{
    (void)h;
    return new_port(domid, 0);
}

int xenevtchn_unbind(void *h, unsigned port)
{
    (void)h;
    if (port < 1024)
        ports[port].used = 0;
    return 0;
}

int xenevtchn_notify(void *h, unsigned port)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    uint32_t v;

    (void)h;
    if (port >= 1024 || !ports[port].used || ports[port].domid == DOM_EXC)
        return 0;
    v = ports[port].remote;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/guest-%u.evtchn", dir(),
             ports[port].domid);
    sendto(evfd, &v, sizeof(v), MSG_DONTWAIT, (struct sockaddr *)&sa,
           sizeof(sa));
    return 0;
}

/* The daemon treats -1 as fatal: answer the VIRQ port when in doubt. */
int xenevtchn_pending(void *h)
{
    uint32_t v;

    (void)h;
    while (recv(evfd, &v, sizeof(v), MSG_DONTWAIT) == sizeof(v)) {
        if (v == DOM_EXC)
            return virq_port;
        for (int p = 1; p < 1024; p++)
            if (ports[p].used && ports[p].domid == v && p != virq_port)
                return p;
    }
    return virq_port;
}

int xenevtchn_unmask(void *h, unsigned port)
{
    (void)h;
    (void)port;
    return 0;
}

/* --- libxengnttab: the xenstore grant maps the domain's ring file --- */

static char gth;

void *xengnttab_open(void *logger, unsigned flags)
{
    (void)logger;
    (void)flags;
    return &gth;
}

int xengnttab_close(void *h)
{
    (void)h;
    return 0;
}

int xengnttab_set_max_grants(void *h, uint32_t n)
{
    (void)h;
    (void)n;
    return 0;
}

void *xengnttab_map_grant_ref(void *h, uint32_t domid, uint32_t ref, int prot)
{
    char path[PATH_MAX];
    void *p;
    int fd;

    (void)h;
    (void)ref;
    snprintf(path, sizeof(path), "%s/ring-%u", dir(), domid);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    p = mmap(NULL, 4096, prot, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

int xengnttab_unmap(void *h, void *addr, uint32_t count)
{
    (void)h;
    return munmap(addr, 4096ul * count);
}

/* --- domain 0's ring: /proc/xen/xsd_kva and xsd_port --- */

static const char *redirect(const char *p, char *buf, size_t len)
{
    if (p && !strcmp(p, "/proc/xen/xsd_port"))
        snprintf(buf, len, "%s/xsd_port", dir());
    else if (p && !strcmp(p, "/proc/xen/xsd_kva"))
        snprintf(buf, len, "%s/xsd_kva", dir());
    else
        return p;
    return buf;
}

#define WRAP_OPEN(name)                                                        \
    int name(const char *p, int fl, ...)                                       \
    {                                                                          \
        static int (*real)(const char *, int, ...);                            \
        char buf[PATH_MAX];                                                    \
        va_list ap;                                                            \
        mode_t m;                                                              \
        if (!real)                                                             \
            real = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, #name);   \
        va_start(ap, fl);                                                      \
        m = va_arg(ap, int);                                                   \
        va_end(ap);                                                            \
        return real(redirect(p, buf, sizeof(buf)), fl, m);                     \
    }
WRAP_OPEN(open)
WRAP_OPEN(open64)
