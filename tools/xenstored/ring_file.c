/*
 * A ring backend without a hypervisor, for tests: `--test-rings DIR`.
 *
 * DIR/ring-<domid> is a domain's ring page (a file of at least 4 KiB that
 * the test creates and maps too); it exists while the domain does, and
 * DIR/state-<domid> may say "shutdown" or "dying". Event channels are
 * datagrams of one uint32_t: a guest notifies xenstored by sending its
 * domid to DIR/xenstored.evtchn (0xffffffff stands for VIRQ_DOM_EXC);
 * xenstored notifies a guest by sending the guest's port number to
 * DIR/guest-<domid>.evtchn.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "xenstored.h"
#include "ring.h"

/* Short enough for socket names (sun_path is 108 bytes). */
static char dir[72];
static int sock = -1;

/* Local port n is for binding[n]. */
static struct {
    unsigned int domid, remote;
    bool used;
} * binding;
static unsigned int nbinding;

static int file_init(const char *arg)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    if (!arg || strlen(arg) >= sizeof(dir) ||
        strlen(arg) + 20 >= sizeof(sa.sun_path))
        return -EINVAL;
    strcpy(dir, arg);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/xenstored.evtchn", dir);
    unlink(sa.sun_path);
    sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return -errno;
    if (bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int err = -errno;
        close(sock);
        sock = -1;
        return err;
    }
    return 0;
}

static int file_fd(void)
{
    return sock;
}

static long file_pending(void)
{
    uint32_t v;

    for (;;) {
        ssize_t n = recv(sock, &v, sizeof(v), MSG_DONTWAIT);
        if (n < 0)
            return -1;
        if (n != sizeof(v))
            continue;
        if (v == RING_PORT_DOM_EXC)
            return RING_PORT_DOM_EXC;
        for (unsigned int p = 1; p < nbinding; p++)
            if (binding[p].used && binding[p].domid == v)
                return p;
    }
}

static void file_unmask(unsigned int port)
{
    (void)port;
}

static void *file_map(unsigned int domid, unsigned long gfn)
{
    char path[PATH_MAX];
    struct stat st;
    void *p;
    int fd;

    (void)gfn;
    snprintf(path, sizeof(path), "%s/ring-%u", dir, domid);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) < 0 || st.st_size < 4096) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static void file_unmap(void *page)
{
    munmap(page, 4096);
}

static int file_bind(unsigned int domid, unsigned int remote)
{
    unsigned int p;

    for (p = 1; p < nbinding && binding[p].used; p++)
        ;
    if (p >= nbinding) {
        unsigned int n = nbinding ? nbinding * 2 : 16;
        void *nb = realloc(binding, n * sizeof(*binding));
        if (!nb)
            return -ENOMEM;
        binding = nb;
        memset(binding + nbinding, 0, (n - nbinding) * sizeof(*binding));
        if (!nbinding)
            p = 1;
        nbinding = n;
    }
    binding[p].domid = domid;
    binding[p].remote = remote;
    binding[p].used = true;
    return p;
}

static void file_unbind(unsigned int port)
{
    if (port < nbinding)
        binding[port].used = false;
}

static void file_notify(unsigned int port)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    uint32_t v;

    if (port >= nbinding || !binding[port].used)
        return;
    v = binding[port].remote;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/guest-%u.evtchn", dir,
             binding[port].domid);
    sendto(sock, &v, sizeof(v), MSG_DONTWAIT, (struct sockaddr *)&sa,
           sizeof(sa));
}

static enum dom_state file_domain_state(unsigned int domid)
{
    char path[PATH_MAX], buf[16] = "";
    FILE *f;

    snprintf(path, sizeof(path), "%s/ring-%u", dir, domid);
    if (access(path, F_OK))
        return DOM_GONE;
    snprintf(path, sizeof(path), "%s/state-%u", dir, domid);
    f = fopen(path, "r");
    if (!f)
        return DOM_RUNNING;
    if (!fgets(buf, sizeof(buf), f))
        buf[0] = 0;
    fclose(f);
    if (!strncmp(buf, "shutdown", 8))
        return DOM_SHUTDOWN;
    if (!strncmp(buf, "dying", 5))
        return DOM_DYING;
    return DOM_RUNNING;
}

const struct ring_backend ring_backend_file = {
    .name = "file",
    .init = file_init,
    .fd = file_fd,
    .pending = file_pending,
    .unmask = file_unmask,
    .map = file_map,
    .unmap = file_unmap,
    .bind = file_bind,
    .unbind = file_unbind,
    .notify = file_notify,
    .domain_state = file_domain_state,
};
