/*
 * Transactions as copy-on-write overlays. A transaction records every
 * node it touches with the node's live generation at that moment, and
 * keeps its own copy of the nodes it changes. Reads of untouched state
 * see the live store. Commit fails with EAGAIN if any recorded
 * generation moved, else replays the changes on the live store and fires
 * the queued watches in order of first access, as Xen does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"

struct txn *txn_start(struct conn *c)
{
    struct txn *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->hsize = 16;
    t->htab = calloc(t->hsize, sizeof(*t->htab));
    if (!t->htab) {
        free(t);
        return NULL;
    }
    list_init(&t->accessed);
    list_init(&t->apply);
    t->c = c;
    /* Ids count up per connection, as in Xen; never 0 or one in use. */
    do {
        t->id = c->next_txid++;
    } while (t->id == 0 || txn_find(c, t->id));
    list_add_tail(&t->link, &c->txns);
    c->ntxns++;
    return t;
}

struct txn *txn_find(struct conn *c, uint32_t id)
{
    struct txn *t;

    list_for_each(t, &c->txns, struct txn, link)
    {
        if (t->id == id)
            return t;
    }
    return NULL;
}

static void tnode_free(struct tnode *tn)
{
    free(tn->data);
    free(tn->children);
    perms_free(&tn->perms);
    perms_free(&tn->old_perms);
    free(tn);
}

void txn_free(struct txn *t)
{
    struct tnode *tn, *n;

    list_for_each_safe(tn, n, &t->accessed, struct tnode, access)
    {
        tnode_free(tn);
    }
    list_del(&t->link);
    t->c->ntxns--;
    if (t->c->cur_txn == t)
        t->c->cur_txn = NULL;
    free(t->htab);
    free(t->dom_delta);
    free(t);
}

static void txn_grow(struct txn *t)
{
    unsigned int nsize = t->hsize * 2;
    struct tnode **nt = calloc(nsize, sizeof(*nt));

    if (!nt)
        return;
    for (unsigned int i = 0; i < t->hsize; i++) {
        struct tnode *tn = t->htab[i], *next;
        for (; tn; tn = next) {
            next = tn->hnext;
            tn->hnext = nt[tn->hash & (nsize - 1)];
            nt[tn->hash & (nsize - 1)] = tn;
        }
    }
    free(t->htab);
    t->htab = nt;
    t->hsize = nsize;
}

struct tnode *txn_node(struct txn *t, const char *path, size_t len,
                       uint32_t hash, bool create, int *err)
{
    struct tnode *tn;
    struct node *g;

    for (tn = t->htab[hash & (t->hsize - 1)]; tn; tn = tn->hnext)
        if (tn->hash == hash && tn->pathlen == len &&
            !memcmp(tn->path, path, len))
            return tn;
    if (!create) {
        *err = -ENOENT;
        return NULL;
    }
    if (conn_is_unprivileged(t->c) && t->count >= quota.tx_nodes) {
        *err = -ENOSPC;
        return NULL;
    }
    tn = calloc(1, sizeof(*tn) + len + 1);
    if (!tn) {
        *err = -ENOMEM;
        return NULL;
    }
    memcpy(tn->path, path, len);
    tn->pathlen = len;
    tn->hash = hash;
    list_init(&tn->apply);
    g = node_lookup(path, len, hash);
    if (g) {
        if (perms_dup(&tn->old_perms, &g->perms)) {
            free(tn);
            *err = -ENOMEM;
            return NULL;
        }
        tn->base_gen = g->gen;
        tn->exists = true;
    }
    if (t->count >= t->hsize)
        txn_grow(t);
    tn->hnext = t->htab[hash & (t->hsize - 1)];
    t->htab[hash & (t->hsize - 1)] = tn;
    t->count++;
    list_add_tail(&tn->access, &t->accessed);
    return tn;
}

/* Take a private copy of the node's state (g: the live node, or NULL). */
int txn_materialize(struct txn *t, struct tnode *tn, struct node *g)
{
    if (tn->changed)
        return 0;
    if (g) {
        if (g->datalen) {
            tn->data = malloc(g->datalen);
            if (!tn->data)
                return -ENOMEM;
            memcpy(tn->data, g->data, g->datalen);
        }
        tn->datalen = g->datalen;
        if (perms_dup(&tn->perms, &g->perms)) {
            free(tn->data);
            tn->data = NULL;
            return -ENOMEM;
        }
    }
    tn->exists = g != NULL;
    tn->changed = true;
    tn->gen = ++store_generation;
    list_add_tail(&tn->apply, &t->apply);
    return 0;
}

/* A node comes (back) into existence: replay it after what is before. */
void txn_node_created(struct txn *t, struct tnode *tn)
{
    if (tn->base_gen)
        tn->recreated = true;
    list_del(&tn->apply);
    list_add_tail(&tn->apply, &t->apply);
}

int txn_own_children(struct txn *t, struct tnode *tn, struct node *g)
{
    const char *dir;

    (void)t;
    if (tn->own_children)
        return 0;
    if (g && g->childlen) {
        dir = node_dir(g);
        if (!dir)
            return -ENOMEM;
        tn->children = malloc(g->childlen);
        if (!tn->children)
            return -ENOMEM;
        memcpy(tn->children, dir, g->childlen);
        tn->childlen = tn->childcap = g->childlen;
    }
    tn->own_children = true;
    return 0;
}

int txn_child_add(struct tnode *tn, const char *name, size_t len)
{
    if (tn->childlen + len + 1 > tn->childcap) {
        unsigned int ncap = (tn->childlen + len + 1) * 2;
        char *nc = realloc(tn->children, ncap);
        if (!nc)
            return -ENOMEM;
        tn->children = nc;
        tn->childcap = ncap;
    }
    memcpy(tn->children + tn->childlen, name, len);
    tn->children[tn->childlen + len] = 0;
    tn->childlen += len + 1;
    return 0;
}

void txn_child_del(struct tnode *tn, const char *name, size_t len)
{
    unsigned int off = 0;

    while (off < tn->childlen) {
        size_t l = strlen(tn->children + off);
        if (l == len && !memcmp(tn->children + off, name, len)) {
            memmove(tn->children + off, tn->children + off + l + 1,
                    tn->childlen - off - l - 1);
            tn->childlen -= l + 1;
            return;
        }
        off += l + 1;
    }
}

void txn_queue_event(struct txn *t, const char *path, bool exact)
{
    size_t len = strlen(path);
    int err;
    struct tnode *tn =
        txn_node(t, path, len, path_hash(path, len), false, &err);

    if (!tn)
        return;
    if (!tn->fire) {
        tn->fire = true;
        tn->fire_exact = exact;
    } else if (!exact) {
        tn->fire_exact = false;
    }
}

int txn_dom_delta(struct txn *t, unsigned int domid, int delta)
{
    for (unsigned int i = 0; i < t->ndom_delta; i++) {
        if (t->dom_delta[2 * i] == domid) {
            t->dom_delta[2 * i + 1] += delta;
            return 0;
        }
    }
    unsigned int *nd =
        realloc(t->dom_delta, (t->ndom_delta + 1) * 2 * sizeof(*nd));
    if (!nd)
        return -ENOMEM;
    t->dom_delta = nd;
    nd[2 * t->ndom_delta] = domid;
    nd[2 * t->ndom_delta + 1] = delta;
    t->ndom_delta++;
    return 0;
}

int txn_dom_pending(struct txn *t, unsigned int domid)
{
    for (unsigned int i = 0; i < t->ndom_delta; i++)
        if (t->dom_delta[2 * i] == domid)
            return (int)t->dom_delta[2 * i + 1];
    return 0;
}

static size_t parent_len(const char *path, size_t len)
{
    while (len > 1 && path[len - 1] != '/')
        len--;
    return len > 1 ? len - 1 : 1;
}

static bool txn_conflicts(struct txn *t)
{
    struct tnode *tn;

    list_for_each(tn, &t->accessed, struct tnode, access)
    {
        struct node *g = node_lookup(tn->path, tn->pathlen, tn->hash);
        if ((g ? g->gen : 0) != tn->base_gen)
            return true;
    }
    return false;
}

/* Replay the transaction's changes on the live store. */
static int txn_apply(struct txn *t)
{
    struct tnode *tn;
    int err = 0;

    /* Removals first: whole live subtrees go with their top. */
    list_for_each(tn, &t->apply, struct tnode, apply)
    {
        if (tn->exists && !tn->recreated)
            continue;
        struct node *g = node_lookup(tn->path, tn->pathlen, tn->hash);
        if (g)
            node_delete(g, NULL, NULL);
    }
    /* Then creations and changes, in the order they happened. */
    list_for_each(tn, &t->apply, struct tnode, apply)
    {
        struct node *g;
        if (!tn->exists)
            continue;
        g = node_lookup(tn->path, tn->pathlen, tn->hash);
        if (!g) {
            size_t pl = parent_len(tn->path, tn->pathlen);
            struct node *p = node_lookup(tn->path, pl, path_hash(tn->path, pl));
            if (!p || !node_create(p, tn->path, tn->pathlen, tn->data,
                                   tn->datalen, &tn->perms))
                err = -ENOMEM;
            continue;
        }
        if (g->datalen != tn->datalen ||
            (tn->datalen && memcmp(g->data, tn->data, tn->datalen)) ||
            !perms_equal(&g->perms, &tn->perms)) {
            if (node_set_data(g, tn->data, tn->datalen) ||
                node_set_perms(g, &tn->perms))
                err = -ENOMEM;
        } else {
            g->gen = ++store_generation;
        }
    }
    return err;
}

int txn_commit(struct txn *t)
{
    struct tnode *tn;
    int err;

    if (txn_conflicts(t))
        return -EAGAIN;
    err = txn_apply(t);
    if (err)
        xsd_log("transaction %u of connection %u: commit incomplete", t->id,
                t->c->id);
    list_for_each(tn, &t->accessed, struct tnode, access)
    {
        if (tn->fire) {
            char path[XENSTORE_PAYLOAD_MAX + 64];
            memcpy(path, tn->path, tn->pathlen + 1);
            fire_watches_now(path, tn->fire_exact,
                             tn->old_perms.num ? &tn->old_perms : NULL);
        }
    }
    return err;
}
