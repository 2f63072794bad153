/*
 * The control plane of domain 0: the privcmd socket (common/privcmd.c),
 * how domain 0's processes reach the core, and what domctl.c and
 * sysctl.c share. The wire protocol is xenon/privcmd.h; this is the
 * core's side of it.
 */
#ifndef XEN_PRIVCMD_H
#define XEN_PRIVCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <xen/lib.h>

/*
 * A connection's hypercall-buffer arena: the same memfd mapped by the
 * client at base and by xen at host. A hypercall that a dom0 process
 * makes through privcmd runs on a stand-in vCPU of domain 0 whose
 * v->arena points here: its pointer arguments are client addresses,
 * valid only inside [base, base + size).
 */
struct privcmd_arena {
    uint8_t *host;
    uint64_t base;
    uint64_t size;
};

/* Copy to or from client address addr: 0, or -EFAULT outside the arena. */
static inline int privcmd_arena_copy(const struct privcmd_arena *a,
                                     uint64_t addr, void *buf, size_t len,
                                     bool to_guest)
{
    uint64_t off = addr - a->base;

    if (addr < a->base || off > a->size || len > a->size - off)
        return -EFAULT;
    if (to_guest)
        memcpy(a->host + off, buf, len);
    else
        memcpy(buf, a->host + off, len);
    return 0;
}

struct domain;
struct xen_domctl_getdomaininfo;

/* Xen's getdomaininfo(): XEN_DOMCTL_getdomaininfo and the sysctl list. */
void getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);

/*
 * Serve $XEN_RUN_DIR/privcmd (default /run/xen) from a thread of its
 * own. A socket that cannot be served (no permission, another xen
 * already serving that directory) is logged and xen runs without it;
 * the result says whether it is served.
 */
bool privcmd_init(void);
/*
 * Close every connection (releasing their ports, grant maps and domain
 * references) and remove the socket. Before the last domains go.
 */
void privcmd_stop(void);

#endif
