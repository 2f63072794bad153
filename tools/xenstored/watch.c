/*
 * Watches, indexed by path: a change to a node looks up the watches on
 * the node and on each of its ancestors (one hash per prefix, computed in
 * one pass) instead of scanning every watch of every connection.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"

static struct watch **whash;
static unsigned int whsize, nwatches;
static uint64_t watch_seq;

/* Who may see @introduceDomain / @releaseDomain (SET_PERMS changes it). */
static struct perms special_perms[2];
static uint64_t special_gen[2];

static const char *const special_names[2] = {"@introduceDomain",
                                             "@releaseDomain"};

struct perms *special_node_perms(const char *path)
{
    for (int i = 0; i < 2; i++)
        if (!strcmp(path, special_names[i]))
            return &special_perms[i];
    return NULL;
}

int watch_init(void)
{
    static const struct xs_permissions dom0 = {0, XS_PERM_NONE};
    const struct perms p = {1, (struct xs_permissions *)&dom0};

    for (int i = 0; i < 2; i++)
        if (perms_dup(&special_perms[i], &p))
            return -ENOMEM;
    return 0;
}

void special_set_perms(struct perms *sp, struct perms *p)
{
    perms_free(sp);
    *sp = *p;
    p->p = NULL;
    p->num = 0;
    special_gen[sp - special_perms] = ++store_generation;
}

static void whash_insert(struct watch *w)
{
    struct watch **b;

    if (!whash || nwatches >= whsize) {
        unsigned int nsize = whsize ? whsize * 2 : 256;
        struct watch **nt = calloc(nsize, sizeof(*nt));
        if (nt) {
            for (unsigned int i = 0; i < whsize; i++) {
                struct watch *x = whash[i], *next;
                for (; x; x = next) {
                    next = x->hnext;
                    x->hnext = nt[x->hash & (nsize - 1)];
                    nt[x->hash & (nsize - 1)] = x;
                }
            }
            free(whash);
            whash = nt;
            whsize = nsize;
        }
    }
    b = &whash[w->hash & (whsize - 1)];
    w->hnext = *b;
    *b = w;
    nwatches++;
}

static void whash_remove(struct watch *w)
{
    struct watch **pp = &whash[w->hash & (whsize - 1)];

    while (*pp != w)
        pp = &(*pp)->hnext;
    *pp = w->hnext;
    nwatches--;
}

static void watch_free(struct watch *w)
{
    whash_remove(w);
    list_del(&w->link);
    if (w->c->dom && w->c->dom->nwatches)
        w->c->dom->nwatches--;
    free(w->token);
    free(w);
}

int watch_add(struct conn *c, const char *path, const char *token,
              bool relative, struct watch **out)
{
    size_t len = strlen(path);
    struct watch *w;

    list_for_each(w, &c->watches, struct watch, link)
    {
        if (!strcmp(w->path, path) && !strcmp(w->token, token))
            return -EEXIST;
    }
    /* As in Xen, a domain may go one over the quota. */
    if (conn_is_unprivileged(c) && c->dom && c->dom->nwatches > quota.watches)
        return -E2BIG;
    w = calloc(1, sizeof(*w) + len + 1);
    if (!w)
        return -ENOMEM;
    w->token = strdup(token);
    if (!w->token) {
        free(w);
        return -ENOMEM;
    }
    memcpy(w->path, path, len + 1);
    w->c = c;
    w->seq = ++watch_seq;
    w->hash = path_hash(path, len);
    if (relative) {
        /* Events drop "/local/domain/<id>" and the '/' after it. */
        const char *s = strchr(path + 14, '/');
        w->prefix_len = s ? (size_t)(s - path) : len;
    }
    whash_insert(w);
    list_add_tail(&w->link, &c->watches);
    if (c->dom)
        c->dom->nwatches++;
    *out = w;
    return 0;
}

int watch_del(struct conn *c, const char *path, const char *token)
{
    struct watch *w;

    list_for_each(w, &c->watches, struct watch, link)
    {
        if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
            watch_free(w);
            return 0;
        }
    }
    return -ENOENT;
}

void watch_del_all(struct conn *c)
{
    struct watch *w, *n;

    list_for_each_safe(w, n, &c->watches, struct watch, link)
    {
        watch_free(w);
    }
}

static bool event_pending(struct conn *c, const char *path, size_t plen,
                          const char *token, size_t tlen)
{
    const size_t hl = sizeof(struct xsd_sockmsg);
    struct outbuf *o;

    list_for_each(o, &c->out, struct outbuf, link)
    {
        const struct xsd_sockmsg *h = (const void *)o->data;
        if (!o->off && !o->is_reply && h->type == XS_WATCH_EVENT &&
            o->len == hl + plen + tlen && !memcmp(o->data + hl, path, plen) &&
            !memcmp(o->data + hl + plen, token, tlen))
            return true;
    }
    return false;
}

static void send_event(struct watch *w, const char *path)
{
    size_t plen, tlen = strlen(w->token) + 1;

    if (w->prefix_len) {
        path += w->prefix_len;
        if (*path == '/')
            path++;
    }
    plen = strlen(path) + 1;
    /* Xen does not send events that do not fit one message. */
    if (plen + tlen > XENSTORE_PAYLOAD_MAX)
        return;
    /* Nor one identical to an event still waiting to go out. */
    if (path[0] != '@' && event_pending(w->c, path, plen, w->token, tlen))
        return;
    send_msg(w->c, XS_WATCH_EVENT, 0, 0, path, plen, w->token, tlen, false);
}

void watch_send_initial(struct watch *w)
{
    send_event(w, w->path);
}

/* The node or its parent must be readable (old: permissions before). */
static bool watch_permitted(struct conn *c, const char *path,
                            const struct perms *old)
{
    size_t len = strlen(path);
    struct node *n;

    if (old && (perm_for_conn(c, old) & XS_PERM_READ))
        return true;
    n = node_lookup(path, len, path_hash(path, len));
    if (!n)
        return false;
    if (perm_for_conn(c, &n->perms) & XS_PERM_READ)
        return true;
    return n->parent && (perm_for_conn(c, &n->parent->perms) & XS_PERM_READ);
}

static struct watch **matches;
static unsigned int nmatch, matchcap;

static void collect(const char *path, size_t len, uint32_t hash)
{
    for (struct watch *w = whash[hash & (whsize - 1)]; w; w = w->hnext) {
        if (w->hash != hash || strlen(w->path) != len ||
            memcmp(w->path, path, len) || w->c->dead)
            continue;
        if (nmatch == matchcap) {
            unsigned int ncap = matchcap ? matchcap * 2 : 64;
            struct watch **nm = realloc(matches, ncap * sizeof(*nm));
            if (!nm)
                return;
            matches = nm;
            matchcap = ncap;
        }
        matches[nmatch++] = w;
    }
}

void fire_watches_now(const char *path, bool exact, const struct perms *old)
{
    size_t len = strlen(path);

    if (!nwatches)
        return;
    nmatch = 0;
    if (exact || path[0] == '@') {
        collect(path, len, path_hash(path, len));
    } else {
        /* Every prefix that ends at a '/' (or the end) is an ancestor. */
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < len; i++) {
            if (path[i] == '/' && i > 0)
                collect(path, i, h);
            h ^= (unsigned char)path[i];
            h *= 16777619u;
            if (i == 0)
                collect(path, 1, h); /* "/" */
        }
        if (len > 1)
            collect(path, len, h);
    }
    /* Each connection sees its events in the order its watches were set. */
    for (unsigned int i = 1; i < nmatch; i++) {
        struct watch *w = matches[i];
        unsigned int j = i;
        for (; j > 0 && matches[j - 1]->seq > w->seq; j--)
            matches[j] = matches[j - 1];
        matches[j] = w;
    }
    for (unsigned int i = 0; i < nmatch; i++) {
        struct watch *w = matches[i];
        if (path[0] == '@') {
            const struct perms *sp = special_node_perms(path);
            if (conn_is_unprivileged(w->c) &&
                (!sp || !(perm_for_conn_gen(w->c, sp,
                                            special_gen[sp - special_perms]) &
                          XS_PERM_READ)))
                continue;
        } else if (!watch_permitted(w->c, path, old)) {
            continue;
        }
        send_event(w, path);
    }
}

void fire_watches(struct conn *from, const char *path, bool exact,
                  const struct perms *old)
{
    if (from && from->cur_txn) {
        txn_queue_event(from->cur_txn, path, exact);
        return;
    }
    fire_watches_now(path, exact, old);
}
