/*
 * Node access for one request: path rules, permission checks with Xen's
 * error reporting, and the changing operations (write, mkdir, rm,
 * set_perms), both on the live store and inside a transaction.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"

/* Relative paths are below the connection's home, /local/domain/<id>. */
int canonicalize(struct conn *c, const char *in, char *out, bool *relative)
{
    size_t len = strlen(in);

    *relative = in[0] != '/' && in[0] != '@';
    if (!*relative) {
        memcpy(out, in, len + 1);
        return 0;
    }
    snprintf(out, 32, "/local/domain/%u/", c->id);
    memcpy(out + strlen(out), in, len + 1);
    return 0;
}

static bool valid_chars(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' || ch == '_' ||
              ch == '@'))
            return false;
    }
    return true;
}

/* Offset of what follows "/local/domain/<n>/" (n of 1-5 digits), else 0. */
static size_t home_offset(const char *p, size_t len)
{
    static const char pre[] = "/local/domain/";
    size_t i = sizeof(pre) - 1, start;

    if (len <= i || memcmp(p, pre, i))
        return 0;
    start = i;
    while (i < len && i - start < 5 && p[i] >= '0' && p[i] <= '9')
        i++;
    if (i == start || i >= len || p[i] != '/')
        return 0;
    return i + 1;
}

bool valid_path(const char *p, size_t len, struct conn *c)
{
    (void)c;
    if (len == 0 || p[0] != '/')
        return false;
    if (len > 1 && p[len - 1] == '/')
        return false;
    if (memmem(p, len, "//", 2))
        return false;
    if (len > home_offset(p, len) + quota.path_max)
        return false;
    return valid_chars(p, len);
}

bool conn_is_unprivileged(const struct conn *c)
{
    return !c->privileged;
}

/*
 * An entry for a domain counts if that domain is known and is not younger
 * than the node (a later domain with a reused domid gets nothing).
 */
static bool entry_valid(const struct xs_permissions *e, uint64_t gen)
{
    struct domain *d;

    if (e->perms & XS_PERM_IGNORE)
        return false;
    if (e->id == 0)
        return true;
    d = domain_get(e->id, false);
    return d && d->known && d->gen <= gen;
}

unsigned int perm_for_conn_gen(const struct conn *c, const struct perms *p,
                               uint64_t gen)
{
    const unsigned int all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    unsigned int target = c->dom ? c->dom->target_of : ~0u;

    if (!conn_is_unprivileged(c) || p->p[0].id == c->id || p->p[0].id == target)
        return all;
    for (unsigned int i = 1; i < p->num; i++) {
        const struct xs_permissions *e = &p->p[i];
        if ((e->id == c->id || e->id == target) && entry_valid(e, gen))
            return e->perms & all;
    }
    return p->p[0].perms & all;
}

/* For permissions that are not a node's (no generation to compare). */
unsigned int perm_for_conn(const struct conn *c, const struct perms *p)
{
    return perm_for_conn_gen(c, p, UINT64_MAX);
}

static unsigned int view_perm(const struct conn *c, const struct view *v)
{
    return perm_for_conn_gen(c, v->perms, v->gen);
}

/* Mark entries of domains gone or younger than the node as ignored. */
static void perms_freeze(struct perms *p, uint64_t gen)
{
    for (unsigned int i = 1; i < p->num; i++)
        if (!entry_valid(&p->p[i], gen))
            p->p[i].perms |= XS_PERM_IGNORE;
}

int view_read(struct req *r, const char *path, size_t len, struct view *v)
{
    uint32_t hash = path_hash(path, len);
    struct node *g;
    int err = 0;

    memset(v, 0, sizeof(*v));
    v->path = path;
    if (r->t) {
        struct tnode *tn = txn_node(r->t, path, len, hash, true, &err);
        if (!tn)
            return err;
        v->t = tn;
        if (tn->changed) {
            v->exists = tn->exists;
            v->data = tn->data;
            v->datalen = tn->datalen;
            v->perms = &tn->perms;
            v->gen = tn->gen;
            if (!tn->recreated)
                v->g = node_lookup(path, len, hash);
            return v->exists ? 0 : -ENOENT;
        }
    }
    g = node_lookup(path, len, hash);
    if (!g)
        return -ENOENT;
    v->g = g;
    v->exists = true;
    v->data = g->data;
    v->datalen = g->datalen;
    v->perms = &g->perms;
    v->gen = g->gen;
    return 0;
}

static size_t parent_len(const char *path, size_t len)
{
    while (len > 1 && path[len - 1] != '/')
        len--;
    return len > 1 ? len - 1 : 1;
}

/* What the nearest existing ancestor lets the connection do. */
static int ask_parents(struct req *r, const char *path, unsigned int *perm)
{
    size_t len = strlen(path);
    struct view pv;
    int err;

    *perm = XS_PERM_NONE;
    while (len > 1) {
        len = parent_len(path, len);
        err = view_read(r, path, len, &pv);
        if (!err) {
            *perm = view_perm(r->c, &pv);
            return 0;
        }
        if (err != -ENOENT)
            return err;
    }
    return 0;
}

int view_get(struct req *r, const char *path, unsigned int perm, struct view *v)
{
    unsigned int pp;
    int err, err2;

    if (!valid_path(path, strlen(path), r->c))
        return -EINVAL;
    err = view_read(r, path, strlen(path), v);
    if (!err && (view_perm(r->c, v) & perm) != perm)
        err = -EACCES;
    if (!err || (err != -ENOENT && err != -EACCES))
        return err;
    /* Do not tell what exists to those who may not know. */
    err2 = ask_parents(r, path, &pp);
    if (err2)
        return err2;
    return (pp & perm) ? err : -EACCES;
}

int view_children(struct req *r, struct view *v, const char **buf,
                  unsigned int *len)
{
    (void)r;
    if (v->t && v->t->own_children) {
        *buf = v->t->children ? v->t->children : "";
        *len = v->t->childlen;
        return 0;
    }
    if (!v->g) {
        *buf = "";
        *len = 0;
        return 0;
    }
    *buf = node_dir(v->g);
    if (!*buf)
        return -ENOMEM;
    *len = v->g->childlen;
    return 0;
}

static unsigned int view_childlen(struct view *v)
{
    if (v->t && v->t->own_children)
        return v->t->childlen;
    return v->g ? v->g->childlen : 0;
}

static int nodes_pending(struct req *r, unsigned int domid)
{
    int n = domain_nbentry(domid);
    if (r->t)
        n += txn_dom_pending(r->t, domid);
    return n;
}

/* Make the transaction's copy of a node ready to change. */
static int tx_change(struct req *r, struct view *v)
{
    return txn_materialize(r->t, v->t, v->g);
}

static int set_data(struct req *r, struct view *v, const void *data,
                    unsigned int len)
{
    int err;

    if (conn_is_unprivileged(r->c) &&
        NODE_ACC_SIZE(v->perms->num, len, view_childlen(v)) >= quota.node_size)
        return -ENOSPC;
    if (!r->t) {
        perms_freeze(&v->g->perms, v->g->gen);
        return node_set_data(v->g, data, len);
    }
    err = tx_change(r, v);
    if (err)
        return err;
    char *d = NULL;
    if (len) {
        d = malloc(len);
        if (!d)
            return -ENOMEM;
        memcpy(d, data, len);
    }
    free(v->t->data);
    v->t->data = d;
    v->t->datalen = len;
    perms_freeze(&v->t->perms, v->t->gen);
    v->t->gen = ++store_generation;
    return 0;
}

/* Create path and its missing ancestors; the first existing one is pv. */
static int create_node(struct req *r, const char *path, const void *data,
                       unsigned int datalen)
{
    size_t len = strlen(path), plen = len;
    /* Where each missing level ends: at most one per two bytes of path. */
    size_t ends[XENSTORE_PAYLOAD_MAX / 2 + 32];
    struct xs_permissions *pp = NULL;
    struct perms perms;
    struct view pv;
    unsigned int levels = 0, i;
    bool unpriv = conn_is_unprivileged(r->c);
    int err;

    /* Find the nearest existing ancestor, remembering the missing ones. */
    do {
        if (levels == sizeof(ends) / sizeof(ends[0]))
            return -EINVAL;
        ends[levels++] = plen;
        plen = parent_len(path, plen);
        err = view_read(r, path, plen, &pv);
        if (err && err != -ENOENT)
            return err;
    } while (err);

    if (unpriv) {
        if (nodes_pending(r, r->c->id) + levels > quota.nodes)
            return -ENOSPC;
        const char *base = path + ends[levels - 1];
        while (base > path && base[-1] != '/')
            base--;
        if (NODE_ACC_SIZE(pv.perms->num, pv.datalen,
                          view_childlen(&pv) +
                              (path + ends[levels - 1] - base) + 1) >=
            quota.node_size)
            return -ENOSPC;
        for (i = 0; i < levels; i++) {
            unsigned int dl = i == 0 ? datalen : 0;
            unsigned int cl = 0;
            if (i > 0) {
                const char *b = path + ends[i - 1];
                while (b > path && b[-1] != '/')
                    b--;
                cl = path + ends[i - 1] - b + 1;
            }
            if (NODE_ACC_SIZE(pv.perms->num, dl, cl) >= quota.node_size)
                return -ENOSPC;
        }
    }

    /* Children inherit the parent's permissions; domains own theirs. */
    pp = malloc(pv.perms->num * sizeof(*pp));
    if (!pp)
        return -ENOMEM;
    memcpy(pp, pv.perms->p, pv.perms->num * sizeof(*pp));
    perms.num = pv.perms->num;
    perms.p = pp;
    if (unpriv)
        pp[0].id = r->c->id;
    perms_freeze(&perms, pv.gen);

    if (!r->t) {
        struct node *parent = pv.g;
        for (i = levels; i-- > 0;) {
            parent = node_create(parent, path, ends[i], i ? NULL : data,
                                 i ? 0 : datalen, &perms);
            if (!parent) {
                err = -ENOMEM;
                goto out;
            }
        }
        err = 0;
        goto out;
    }

    /* In a transaction: the new nodes and the parent's list are its own. */
    struct tnode *parent = pv.t;
    err = txn_own_children(r->t, parent, pv.g);
    if (err)
        goto out;
    for (i = levels; i-- > 0;) {
        const char *b = path + ends[i];
        struct tnode *tn;
        while (b > path && b[-1] != '/')
            b--;
        tn =
            txn_node(r->t, path, ends[i], path_hash(path, ends[i]), true, &err);
        if (!tn)
            goto out;
        err = txn_materialize(r->t, tn, NULL);
        if (err)
            goto out;
        txn_node_created(r->t, tn);
        tn->exists = true;
        free(tn->data);
        tn->data = NULL;
        tn->datalen = 0;
        if (i == 0 && datalen) {
            tn->data = malloc(datalen);
            if (!tn->data) {
                err = -ENOMEM;
                goto out;
            }
            memcpy(tn->data, data, datalen);
            tn->datalen = datalen;
        }
        perms_free(&tn->perms);
        err = perms_dup(&tn->perms, &perms);
        if (err)
            goto out;
        tn->gen = ++store_generation;
        err = txn_own_children(r->t, tn, NULL);
        if (err)
            goto out;
        err = txn_child_add(parent, b, path + ends[i] - b);
        if (!err)
            err = txn_dom_delta(r->t, perms.p[0].id, 1);
        if (err)
            goto out;
        parent->gen = ++store_generation;
        parent = tn;
    }
    err = 0;
out:
    free(pp);
    return err;
}

int store_write(struct req *r, const char *path, const void *data,
                unsigned int len, bool mkdir_only)
{
    struct view v;
    int err = view_get(r, path, XS_PERM_WRITE, &v);

    if (!err) {
        if (mkdir_only)
            return 0;
        err = set_data(r, &v, data, len);
    } else if (err == -ENOENT) {
        err = create_node(r, path, data, len);
    }
    if (!err)
        fire_watches(r->c, path, false, NULL);
    return err;
}

struct rm_ctx {
    struct req *r;
    const char *top;
};

static void rm_fire(struct node *n, void *arg)
{
    struct rm_ctx *ctx = arg;
    fire_watches_now(n->path, strcmp(n->path, ctx->top) != 0, NULL);
}

/* Delete a subtree inside a transaction, children first. */
static int tx_rm(struct req *r, const char *path, size_t len, bool top)
{
    struct view v;
    const char *kids;
    unsigned int klen, off = 0;
    char *copy = NULL;
    int err;

    err = view_read(r, path, len, &v);
    if (err)
        return err == -ENOENT ? 0 : err;
    err = view_children(r, &v, &kids, &klen);
    if (err)
        return err;
    if (klen) {
        copy = malloc(klen);
        if (!copy)
            return -ENOMEM;
        memcpy(copy, kids, klen);
    }
    while (off < klen) {
        char child[XENSTORE_PAYLOAD_MAX + 64];
        size_t cl = strlen(copy + off);
        if (len + 1 + cl >= sizeof(child)) {
            err = -EINVAL;
            goto out;
        }
        memcpy(child, path, len);
        child[len] = '/';
        memcpy(child + len + 1, copy + off, cl);
        child[len + 1 + cl] = 0;
        err = tx_rm(r, child, len + 1 + cl, false);
        if (err)
            goto out;
        off += cl + 1;
    }
    /* Re-read: the recursion may have grown the transaction's table. */
    err = view_read(r, path, len, &v);
    if (err)
        goto out;
    err = tx_change(r, &v);
    if (!err)
        err = txn_dom_delta(r->t, v.t->perms.p[0].id, -1);
    if (err)
        goto out;
    v.t->exists = false;
    v.t->own_children = true;
    v.t->childlen = 0;
    v.t->gen = ++store_generation;
    {
        char name[XENSTORE_PAYLOAD_MAX + 64];
        memcpy(name, path, len);
        name[len] = 0;
        txn_queue_event(r->t, name, !top);
    }
out:
    free(copy);
    return err;
}

int store_rm(struct req *r, const char *path)
{
    struct view v, pv;
    size_t len = strlen(path);
    int err = view_get(r, path, XS_PERM_WRITE, &v);

    if (err == -ENOENT) {
        /* Removing what is not there is fine if the parent is. */
        err = view_read(r, path, parent_len(path, len), &pv);
        return err;
    }
    if (err)
        return err;
    if (len == 1)
        return -EINVAL;
    if (!r->t) {
        struct rm_ctx ctx = {.r = r, .top = path};
        node_delete(v.g, rm_fire, &ctx);
        return 0;
    }
    err = view_read(r, path, parent_len(path, len), &pv);
    if (err)
        return err;
    err = txn_own_children(r->t, pv.t, pv.g);
    if (err)
        return err;
    err = tx_rm(r, path, len, true);
    if (err)
        return err;
    err = view_read(r, path, parent_len(path, len), &pv);
    if (err)
        return err;
    {
        const char *b = path + len;
        while (b[-1] != '/')
            b--;
        txn_child_del(pv.t, b, path + len - b);
        pv.t->gen = ++store_generation;
    }
    return 0;
}

int store_set_perms(struct req *r, const char *path, const struct perms *p)
{
    struct view v;
    struct perms old = {0}, np = {0};
    int err = view_get(r, path, XS_PERM_WRITE | XS_PERM_OWNER, &v);

    if (err)
        return err;
    /* Domains may not give their nodes away. */
    if (conn_is_unprivileged(r->c) && p->p[0].id != v.perms->p[0].id)
        return -EPERM;
    if (conn_is_unprivileged(r->c) &&
        NODE_ACC_SIZE(p->num, v.datalen, view_childlen(&v)) >= quota.node_size)
        return -ENOSPC;
    err = perms_dup(&old, v.perms);
    if (err)
        return err;
    if (!r->t) {
        err = node_set_perms(v.g, p);
    } else {
        err = tx_change(r, &v);
        if (!err)
            err = perms_dup(&np, p);
        if (!err)
            err = txn_dom_delta(r->t, v.t->perms.p[0].id, -1);
        if (!err)
            err = txn_dom_delta(r->t, np.p[0].id, 1);
        if (!err) {
            perms_free(&v.t->perms);
            v.t->perms = np;
            np.p = NULL;
            v.t->gen = ++store_generation;
        }
    }
    if (!err)
        fire_watches(r->c, path, false, &old);
    perms_free(&np);
    perms_free(&old);
    return err;
}
