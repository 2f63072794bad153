/*
 * xenstored internals.
 *
 * The store is a tree of nodes, each also in one hash table keyed by its
 * full path, so a lookup costs one hash of the path. Every change gives
 * the changed node (and a parent whose child list changed) a new value of
 * the global generation counter; transactions remember the generation of
 * every node they touch and fail with EAGAIN at commit if one moved.
 *
 * Requests arrive on connections: dom0 clients over the Unix socket, and
 * guests over their shared ring (ring.c). All of it runs in one thread.
 */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenstore_lib.h>
#include "list.h"

#ifndef DOMID_SELF
#define DOMID_SELF 0x7ff0U
#endif
#ifndef DOMID_FIRST_RESERVED
#define DOMID_FIRST_RESERVED 0x7ff0U
#endif

/* --- quotas (defaults are Xen 4.17's, see `xenstore-control quota`) --- */
struct quota {
    unsigned int nodes;   /* -E --entry-nb: nodes owned per domain (1000) */
    unsigned int watches; /* -W --watch-nb: watches per domain (128) */
    unsigned int transactions; /* -t --transaction: open per domain (10) */
    unsigned int outstanding;  /* -Q outstanding=: unanswered requests (20) */
    unsigned int tx_nodes;  /* -Q transaction-nodes=: per transaction (1024) */
    unsigned int memory;    /* -Q memory=: queued output bytes (2621440) */
    unsigned int node_size; /* -S --entry-size: bytes of one node (2048) */
    unsigned int path_max;  /* -M --path-max: below the home dir (2048) */
    unsigned int perms;     /* -A --perm-nb: entries per node (5) */
};
extern struct quota quota;

/* --- nodes --- */
struct perms {
    unsigned int num;
    struct xs_permissions *p; /* malloc'd; p[0] is the owner */
};

struct node {
    struct node *hnext; /* hash chain */
    struct node *parent;
    struct list children; /* of node.sibling, in creation order */
    struct list sibling;
    unsigned int nchildren;
    unsigned int childlen; /* bytes of "name\0" of every child */
    char *dircache;        /* the children as one buffer, built on demand */
    uint64_t gen;
    uint32_t hash;
    unsigned int pathlen;
    unsigned int datalen;
    char *data;
    struct perms perms;
    char path[]; /* full path */
};

/* Size of a node as Xen's quota counts it (its tdb record). */
#define NODE_ACC_SIZE(nperms, datalen, childlen)                               \
    (24 + 8 * (nperms) + (datalen) + (childlen))

static inline const char *node_basename(const struct node *n)
{
    const char *s = n->path + n->pathlen;
    while (s > n->path && s[-1] != '/')
        s--;
    return s;
}

extern uint64_t store_generation;
uint32_t path_hash(const char *path, size_t len);
int store_init(void);
struct node *node_lookup(const char *path, size_t len, uint32_t hash);
struct node *node_create(struct node *parent, const char *path, size_t len,
                         const void *data, unsigned int datalen,
                         const struct perms *perms);
int node_set_data(struct node *n, const void *data, unsigned int datalen);
int node_set_perms(struct node *n, const struct perms *perms);
/* Remove n and its subtree; calls cb(n) for every node, children first. */
void node_delete(struct node *n, void (*cb)(struct node *, void *), void *arg);
const char *node_dir(struct node *n); /* children buffer, childlen bytes */
unsigned int store_count(void);

int perms_dup(struct perms *dst, const struct perms *src);
void perms_free(struct perms *p);
bool perms_equal(const struct perms *a, const struct perms *b);

/* --- domains --- */
struct ring;
struct domain {
    struct domain *hnext;
    unsigned int domid;
    bool introduced;
    bool known;        /* exists, so permission entries naming it count */
    bool shutdown;     /* reported with @releaseDomain, cleared by RESUME */
    struct conn *conn; /* the ring connection when introduced */
    unsigned int target_of; /* set_target: acts for this domid, or ~0 */
    unsigned int nbentry;   /* nodes owned */
    unsigned int nwatches;
    unsigned int ntransactions;
    uint64_t gen; /* store_generation when it became known */
};

struct domain *domain_get(unsigned int domid, bool create);
/* The domain exists: permission entries naming it count from now on. */
void domain_make_known(struct domain *d);
bool domain_exists(unsigned int domid);
void domain_nbentry_add(unsigned int domid, int delta);
unsigned int domain_nbentry(unsigned int domid);
int domain_introduce(unsigned int domid, unsigned long gfn, unsigned int port);
void domain_release(struct domain *d, bool fire);
void domains_check_hypervisor(void);

/* --- connections --- */
struct outbuf {
    struct list link;
    unsigned int len, off;
    bool is_reply; /* counts as an outstanding request until written */
    char data[] __attribute__((aligned(8))); /* header and payload */
};

struct conn;
struct conn_ops {
    /* >0: bytes read, 0: nothing more now, -1: drop the connection. */
    int (*read)(struct conn *c, void *buf, unsigned int len);
    /* >=0: bytes taken (0: full), -1: drop the connection. */
    int (*write)(struct conn *c, const void *buf, unsigned int len);
    /* Called once when the connection goes away. */
    void (*close)(struct conn *c);
    /* Tell the peer why it is dropped (XENSTORE_ERROR_*), if it can. */
    void (*fail)(struct conn *c, int code);
};

struct txn;
struct conn {
    struct list link; /* all connections */
    const struct conn_ops *ops;
    int fd;             /* socket connections */
    struct ring *ring;  /* ring connections */
    unsigned int id;    /* domid: 0 for the socket */
    struct domain *dom; /* NULL for socket connections */
    bool privileged;
    bool dead;
    bool stalled_out; /* waiting for the peer to take output */
    bool pollout;     /* EPOLLOUT requested (sockets) */
    /* input */
    unsigned char *in;
    unsigned int in_used;
    /* output */
    struct list out;
    unsigned int out_bytes;
    unsigned int outstanding; /* replies queued, not yet written */
    struct list dirty;        /* on the to-flush list */
    /* state */
    struct list watches;
    struct list txns;
    unsigned int ntxns;
    uint32_t next_txid;
    struct txn *cur_txn; /* transaction of the request in progress */
};

#define CONN_IN_SIZE (2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX))

extern struct list connections;
struct conn *conn_new(const struct conn_ops *ops, int fd, unsigned int id);
void conn_free(struct conn *c);
void conn_input(struct conn *c);
void conn_flush(struct conn *c);
void conns_flush_dirty(void);
void conns_reap(void);
void conn_drop(struct conn *c, int code, const char *why);
void conn_reset(struct conn *c); /* drop watches, transactions, buffers */
int send_msg(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
             const void *a, unsigned int alen, const void *b, unsigned int blen,
             bool is_reply);
bool conn_is_unprivileged(const struct conn *c);

/* --- requests --- */
struct req {
    struct conn *c;
    struct xsd_sockmsg hdr;
    char *body; /* hdr.len bytes, plus a NUL after them */
    struct txn *t;
};

void process_request(struct conn *c, const struct xsd_sockmsg *hdr, char *body);
void reply(struct req *r, uint32_t type, const void *data, unsigned int len);
void reply_ok(struct req *r);
void reply_error(struct req *r, int err);

/* --- access to nodes for one request, in or out of a transaction --- */
struct tnode;
struct view {
    const char *path;
    bool exists;
    const char *data;
    unsigned int datalen;
    const struct perms *perms;
    uint64_t gen;
    struct node *g;  /* the live node */
    struct tnode *t; /* the transaction's node */
};

int canonicalize(struct conn *c, const char *in, char *out, bool *relative);
bool valid_path(const char *path, size_t len, struct conn *c);
unsigned int perm_for_conn(const struct conn *c, const struct perms *p);
/* gen: the generation the permissions were written at. */
unsigned int perm_for_conn_gen(const struct conn *c, const struct perms *p,
                               uint64_t gen);
int view_read(struct req *r, const char *path, size_t len, struct view *v);
/* Look up a node and check perm; ENOENT/EACCES as Xen reports them. */
int view_get(struct req *r, const char *path, unsigned int perm,
             struct view *v);
int view_children(struct req *r, struct view *v, const char **buf,
                  unsigned int *len);
int store_write(struct req *r, const char *path, const void *data,
                unsigned int len, bool mkdir_only);
int store_rm(struct req *r, const char *path);
int store_set_perms(struct req *r, const char *path, const struct perms *p);

/* --- transactions (txn.c) --- */
struct txn {
    struct list link; /* in conn->txns */
    uint32_t id;
    struct conn *c;
    struct tnode **htab;
    unsigned int hsize, count;
    struct list accessed;    /* every node touched, in order of first access */
    struct list apply;       /* nodes whose own state changed, in that order */
    unsigned int *dom_delta; /* pairs domid, delta of nodes owned */
    unsigned int ndom_delta;
};

/* A node as one transaction sees it. */
struct tnode {
    struct tnode *hnext;
    struct list access; /* txn->accessed */
    struct list apply;  /* txn->apply when changed */
    uint32_t hash;
    uint64_t base_gen;      /* live generation at first access; 0: absent */
    struct perms old_perms; /* live permissions at first access */
    uint64_t gen;
    bool exists;
    bool changed;   /* data, permissions and existence are our own */
    bool recreated; /* deleted, then created again, in the transaction */
    bool own_children;
    bool fire, fire_exact; /* watch event due at commit */
    char *data;
    unsigned int datalen;
    struct perms perms;
    char *children; /* own child list when own_children */
    unsigned int childlen, childcap;
    unsigned int pathlen;
    char path[];
};

struct txn *txn_start(struct conn *c);
struct txn *txn_find(struct conn *c, uint32_t id);
int txn_commit(struct txn *t);
void txn_free(struct txn *t);
struct tnode *txn_node(struct txn *t, const char *path, size_t len,
                       uint32_t hash, bool create, int *err);
int txn_materialize(struct txn *t, struct tnode *tn, struct node *g);
void txn_node_created(struct txn *t, struct tnode *tn);
int txn_own_children(struct txn *t, struct tnode *tn, struct node *g);
int txn_child_add(struct tnode *tn, const char *name, size_t len);
void txn_child_del(struct tnode *tn, const char *name, size_t len);
void txn_queue_event(struct txn *t, const char *path, bool exact);
int txn_dom_delta(struct txn *t, unsigned int domid, int delta);
int txn_dom_pending(struct txn *t, unsigned int domid);

/* --- watches (watch.c) --- */
struct watch {
    struct list link;    /* conn->watches */
    struct watch *hnext; /* path hash */
    struct conn *c;
    uint64_t seq; /* registration order */
    uint32_t hash;
    unsigned int prefix_len; /* bytes stripped for relative watches */
    char *token;
    char path[];
};

int watch_add(struct conn *c, const char *path, const char *token,
              bool relative, struct watch **out);
int watch_del(struct conn *c, const char *path, const char *token);
void watch_del_all(struct conn *c);
/*
 * A node changed: notify watchers of it (exact) or of it and its
 * ancestors (!exact). old: its permissions before the change, if they
 * changed. Inside a transaction the events wait for the commit.
 */
void fire_watches(struct conn *from, const char *path, bool exact,
                  const struct perms *old);
void fire_watches_now(const char *path, bool exact, const struct perms *old);
struct perms *special_node_perms(const char *path);
/* Replace @introduceDomain's or @releaseDomain's permissions. */
void special_set_perms(struct perms *sp, struct perms *p);
int watch_init(void);
void watch_send_initial(struct watch *w);

/* --- daemon --- */
extern bool verbose;
void xsd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int do_control(struct req *r);
int quota_set_by_name(const char *name, const char *val);

/* --- helpers --- */
unsigned int count_strings(const char *buf, unsigned int len);
unsigned int get_strings(const char *buf, unsigned int len, const char **vec,
                         unsigned int num);
int perms_parse(struct perms *out, const char *strings, unsigned int num);
int perms_format(const struct perms *p, char *buf, unsigned int size);

#endif
