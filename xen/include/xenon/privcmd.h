/*
 * The privcmd socket: how domain 0's processes reach the hypervisor core
 * (DESIGN 3.3). It carries what Xen's dom0 kernel drivers carry: privcmd
 * (hypercalls, foreign memory), evtchn, gntdev and hypercall buffers.
 *
 * $XEN_RUN_DIR/privcmd (default /run/xen/privcmd) is a SOCK_SEQPACKET
 * Unix socket, mode 0600: only root connects. Every request is one
 * datagram starting with struct privcmd_hdr; xen answers each with one
 * datagram starting with a privcmd_hdr whose type and seq are the
 * request's and whose rc is 0 or a negative errno. File descriptors
 * travel as SCM_RIGHTS on the reply. This is not guest ABI: it may change
 * together with tools/libs, and PRIVCMD_VERSION says which layout a peer
 * speaks.
 *
 * CHANGED: (no layout or number changed; these rules are now written
 * down as the core implements them, xen/common/privcmd.c)
 * CHANGED: a reply with no payload of its own, and every error reply,
 *   is a bare struct privcmd_hdr.
 * CHANGED: request errors: a size other than the type's -EINVAL, an
 *   unknown type -ENOSYS, anything before HELLO -EPROTO, a second HELLO
 *   -EPROTO, another PRIVCMD_VERSION -EPROTONOSUPPORT, a request longer
 *   than PRIVCMD_MAX_MSG -EMSGSIZE, a request of another role -EINVAL.
 * CHANGED: the restriction rule (PRIVCMD_RESTRICT below).
 *
 * Rules:
 * - Roles. HYPERCALL gets the arena (4 MiB, sealed: it cannot be resized)
 *   and may issue PRIVCMD_HYPERCALL; EVTCHN gets the delivery socket and
 *   the PRIVCMD_EVTCHN_* requests; GNTTAB (no fd at HELLO) the
 *   PRIVCMD_GNTTAB_* requests. PRIVCMD_MAP_FOREIGN and PRIVCMD_RESTRICT
 *   work on every role.
 * - Hypercalls of an unrestricted connection: xen_version, memory_op,
 *   event_channel_op, grant_table_op, hvm_op, domctl, sysctl,
 *   console_io, dm_op, and sched_op's SCHEDOP_remote_shutdown (its other
 *   sub-ops -EPERM: domain 0's vCPUs are the host's). Other hypercalls
 *   -ENOSYS. They run as domain 0; the hypercall number must be < 64.
 * - A connection closing releases what it holds: its ports (closed),
 *   its grant maps (unpinned), its domain references.
 */
#ifndef XENON_PRIVCMD_H
#define XENON_PRIVCMD_H

#include <stdint.h>

#define PRIVCMD_SOCKET_NAME "privcmd"
#define PRIVCMD_VERSION 1

enum privcmd_type {
    /*
     * First message of every connection. Reply: privcmd_hello_reply and,
     * for PRIVCMD_ROLE_HYPERCALL, the arena memfd (SCM_RIGHTS).
     */
    PRIVCMD_HELLO = 1,
    /* Run a hypercall as domain 0 (privcmd_hypercall); rc = its result. */
    PRIVCMD_HYPERCALL,
    /*
     * Get a domain's memory fd (privcmd_domid) to mmap at gfn << 12.
     * Reply: the memfd (SCM_RIGHTS) and privcmd_foreign_reply. Domain 0
     * (or DOMID_SELF) -EINVAL: the host has no guest memory; a missing
     * or dying domain -ESRCH. The fd is sealed against resizing.
     */
    PRIVCMD_MAP_FOREIGN,
    /*
     * Irreversibly restrict this connection to one domain
     * (privcmd_domid): from then on every operation naming another
     * domain fails with -EPERM. domid 0 or >= DOMID_FIRST_RESERVED:
     * -EINVAL; restricting again: 0 for the same domain, else -EPERM.
     * What a restricted connection may still do:
     *   HYPERCALL: only dm_op with arg[0] == the domain (as Linux's
     *     privcmd); every other hypercall -EPERM, because its domid sits
     *     in memory the client can rewrite while xen reads it.
     *   MAP_FOREIGN, GNTTAB_MAP: only that domain (else -EPERM, checked
     *     before the domain is looked up).
     *   EVTCHN: BIND_INTERDOMAIN / BIND_UNBOUND with that domain only;
     *     BIND_VIRQ -EPERM; its own ports as before.
     */
    PRIVCMD_RESTRICT,

    /* Event channels (PRIVCMD_ROLE_EVTCHN connections). */
    PRIVCMD_EVTCHN_BIND_INTERDOMAIN,  /* privcmd_evtchn: domid, port */
    PRIVCMD_EVTCHN_BIND_UNBOUND,      /* privcmd_evtchn: domid */
    PRIVCMD_EVTCHN_BIND_VIRQ,         /* privcmd_evtchn: virq */
    PRIVCMD_EVTCHN_UNBIND,            /* privcmd_evtchn: port */
    PRIVCMD_EVTCHN_NOTIFY,            /* privcmd_evtchn: port */
    PRIVCMD_EVTCHN_UNMASK,            /* privcmd_evtchn: port */
    PRIVCMD_EVTCHN_RESET,             /* unbind every port of this handle */

    /* Grant mappings into this process (PRIVCMD_ROLE_GNTTAB). */
    PRIVCMD_GNTTAB_MAP,               /* privcmd_gnttab_map + refs[] */
    PRIVCMD_GNTTAB_UNMAP,             /* privcmd_gnttab_unmap */
    PRIVCMD_GNTTAB_SET_MAX,           /* privcmd_evtchn.port = max grants */
};

/* What a connection is for; fixed by HELLO. */
enum privcmd_role {
    PRIVCMD_ROLE_HYPERCALL = 1,   /* libxencall, libxenforeignmemory, ... */
    PRIVCMD_ROLE_EVTCHN,          /* libxenevtchn */
    PRIVCMD_ROLE_GNTTAB,          /* libxengnttab */
};

struct privcmd_hdr {
    uint32_t type;      /* enum privcmd_type */
    uint32_t seq;       /* echoed in the reply */
    int64_t rc;         /* reply: result or -errno; request: 0 */
};

struct privcmd_hello {
    struct privcmd_hdr hdr;
    uint32_t version;   /* PRIVCMD_VERSION */
    uint32_t role;      /* enum privcmd_role */
};

struct privcmd_hello_reply {
    struct privcmd_hdr hdr;
    uint32_t version;
    uint32_t pad;
    uint64_t arena_size;    /* bytes of the hypercall-buffer arena memfd */
};

/*
 * Hypercall-buffer arena: the client mmaps the memfd it got at HELLO
 * (MAP_SHARED, at any address) and says where in arena_base. Pointer
 * arguments, and guest handles nested in them, must point into the
 * arena; xen translates them and answers -EFAULT for anything else.
 */
struct privcmd_hypercall {
    struct privcmd_hdr hdr;
    uint64_t op;
    uint64_t arg[5];
    uint64_t arena_base;
};

struct privcmd_domid {
    struct privcmd_hdr hdr;
    uint32_t domid;
    uint32_t pad;
};

struct privcmd_foreign_reply {
    struct privcmd_hdr hdr;
    uint64_t max_gfn;       /* the memfd covers gfns [0, max_gfn) */
};

struct privcmd_evtchn {
    struct privcmd_hdr hdr;     /* reply rc: the local port, or -errno */
    uint32_t domid;
    uint32_t port;              /* remote port, or local port */
    uint32_t virq;
    uint32_t pad;
};

/*
 * Event delivery: the HELLO reply of an evtchn connection carries, as
 * SCM_RIGHTS, one end of a SOCK_SEQPACKET socket pair on which xen
 * writes one uint32_t port per fired event (xenevtchn_fd() polls it).
 * Like Linux's evtchn driver, a port that fires is masked until the
 * process unmasks it; what fired meanwhile comes once at the unmask.
 * The ports are domain 0's (4096 of them): BIND_* reply rc = the port
 * (BIND_VIRQ binds on vCPU 0); an interdomain bind fires its new port
 * once, as Xen raises it. UNBIND / NOTIFY of a port this connection did
 * not bind: -ENOTCONN; a port >= 4096: -EINVAL; UNMASK of a port not
 * this connection's does nothing (0). RESET unbinds all its ports.
 */

struct privcmd_gnttab_map {
    struct privcmd_hdr hdr;     /* reply rc: the handle, or -errno */
    uint32_t domid;
    uint32_t count;             /* refs that follow */
    uint32_t writable;
    uint32_t pad;
    /* uint32_t refs[count]; */
};

/*
 * Reply to PRIVCMD_GNTTAB_MAP: the granting domain's memfd (SCM_RIGHTS)
 * and, after this header, one uint64_t gfn per ref to mmap at gfn << 12.
 * Each ref is checked and pinned as Xen's map_grant_ref does for domain
 * 0 (the entry must permit domid 0, and writing unless read-only), all
 * or none: -ESRCH no such (or a dying) granter, -EINVAL a ref that fails
 * or a count of 0 or > PRIVCMD_GNTTAB_MAX_REFS, -ENOSPC beyond the
 * connection's maximum (65536 grants, lowered by GNTTAB_SET_MAX; a
 * maximum above 65536: -E2BIG). Handles count up from 0. UNMAP of an
 * unknown handle: -ENOENT.
 */
struct privcmd_gnttab_map_reply {
    struct privcmd_hdr hdr;
    uint32_t count;
    uint32_t pad;
    /* uint64_t gfns[count]; */
};

struct privcmd_gnttab_unmap {
    struct privcmd_hdr hdr;
    uint64_t handle;
};

#define PRIVCMD_MAX_MSG 65536
#define PRIVCMD_GNTTAB_MAX_REFS 1024

#endif
