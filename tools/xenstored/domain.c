/*
 * Domains as xenstored knows them: introduced ones (with a ring
 * connection) and ones named in permissions or owning nodes. A domain is
 * "known" from the moment it is referenced while it exists; permission
 * entries for a domain count only if it was known when the node was last
 * written, so a later domain reusing the id inherits nothing (as Xen).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"
#include "ring.h"

#define DOM_HASH 256
static struct domain *dhash[DOM_HASH];

bool keep_orphans;

struct domain *domain_get(unsigned int domid, bool create)
{
    struct domain **b = &dhash[domid % DOM_HASH], *d;

    for (d = *b; d; d = d->hnext)
        if (d->domid == domid)
            return d;
    if (!create)
        return NULL;
    d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->domid = domid;
    d->target_of = ~0u;
    d->hnext = *b;
    *b = d;
    return d;
}

static void domain_put(struct domain *d)
{
    struct domain **pp = &dhash[d->domid % DOM_HASH];

    if (d->introduced || d->known || d->nbentry)
        return;
    while (*pp != d)
        pp = &(*pp)->hnext;
    *pp = d->hnext;
    free(d);
}

/* Does the domain exist? Without a hypervisor: dom0 and introduced ones. */
bool domain_exists(unsigned int domid)
{
    struct domain *d = domain_get(domid, false);

    if (domid == 0 || (d && (d->introduced || d->known)))
        return true;
    return ring_domain_state(domid) != DOM_GONE;
}

void domain_make_known(struct domain *d)
{
    if (!d->known) {
        d->known = true;
        d->gen = store_generation;
    }
}

void domain_nbentry_add(unsigned int domid, int delta)
{
    struct domain *d = domain_get(domid, delta > 0);

    if (!d)
        return;
    if (delta < 0 && d->nbentry < (unsigned int)-delta)
        d->nbentry = 0;
    else
        d->nbentry += delta;
    if (!d->nbentry)
        domain_put(d);
}

unsigned int domain_nbentry(unsigned int domid)
{
    struct domain *d = domain_get(domid, false);
    return d ? d->nbentry : 0;
}

int domain_introduce(unsigned int domid, unsigned long gfn, unsigned int port)
{
    struct domain *d = domain_get(domid, true);
    int err;

    if (!d)
        return -ENOMEM;
    if (d->introduced) {
        /* Xen uses a repeated INTRODUCE to rebind the event channel. */
        return ring_rebind(d, port);
    }
    err = ring_attach(d, gfn, port);
    if (err) {
        domain_put(d);
        return err;
    }
    d->introduced = true;
    d->shutdown = false;
    domain_make_known(d);
    fire_watches_now("@introduceDomain", true, NULL);
    return 0;
}

static void rm_fire(struct node *n, void *arg)
{
    const struct node *top = arg;
    fire_watches_now(n->path, n != top, NULL);
}

/* Delete (or with --keep-orphans give to dom0) what the domain owns. */
static void domain_tree_remove(unsigned int domid)
{
    struct node *root, *n, **found = NULL;
    unsigned int nfound = 0, cap = 0;
    size_t rl = 1;

    if (!domain_nbentry(domid))
        return;
    root = node_lookup("/", rl, path_hash("/", rl));
    /* Pre-order walk; collect the tops of owned subtrees. */
    n = root;
    while (n) {
        bool owned = n->perms.p[0].id == domid;
        /* The root always stays: it goes to dom0 instead. */
        if (owned && (keep_orphans || n == root)) {
            struct perms p;
            if (!perms_dup(&p, &n->perms)) {
                p.p[0].id = 0;
                node_set_perms(n, &p);
                perms_free(&p);
            }
            owned = false;
        }
        if (owned) {
            if (nfound == cap) {
                cap = cap ? cap * 2 : 16;
                struct node **nf = realloc(found, cap * sizeof(*nf));
                if (!nf)
                    break;
                found = nf;
            }
            found[nfound++] = n;
        } else if (!list_empty(&n->children)) {
            n = list_entry(n->children.next, struct node, sibling);
            continue;
        }
        /* Next: a sibling, or the sibling of the nearest ancestor. */
        while (n && n != root && n->sibling.next == &n->parent->children)
            n = n->parent;
        if (!n || n == root)
            break;
        n = list_entry(n->sibling.next, struct node, sibling);
    }
    for (unsigned int i = 0; i < nfound; i++)
        node_delete(found[i], rm_fire, found[i]);
    free(found);
}

void domain_release(struct domain *d, bool fire)
{
    unsigned int domid = d->domid;

    domain_tree_remove(domid);
    ring_detach(d);
    d->introduced = false;
    d->known = false;
    d->shutdown = false;
    d->nwatches = d->ntransactions = 0;
    domain_put(d);
    /* Domains acting for this one lose that right. */
    for (unsigned int i = 0; i < DOM_HASH; i++)
        for (struct domain *x = dhash[i]; x; x = x->hnext)
            if (x->target_of == domid)
                x->target_of = ~0u;
    if (fire)
        fire_watches_now("@releaseDomain", true, NULL);
}

/*
 * The hypervisor says some domain changed state: report shut down ones
 * with @releaseDomain and forget the ones that are gone, as Xen does.
 */
void domains_check_hypervisor(void)
{
    bool notify = false;

again:
    for (unsigned int i = 0; i < DOM_HASH; i++) {
        for (struct domain *d = dhash[i]; d; d = d->hnext) {
            if (!d->introduced)
                continue;
            enum dom_state st = ring_domain_state(d->domid);
            if (st == DOM_SHUTDOWN && !d->shutdown) {
                d->shutdown = true;
                notify = true;
            }
            if (st == DOM_GONE || st == DOM_DYING) {
                domain_release(d, true);
                notify = false;
                goto again;
            }
        }
    }
    if (notify)
        fire_watches_now("@releaseDomain", true, NULL);
}
