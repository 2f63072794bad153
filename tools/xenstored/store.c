/*
 * The node store: a tree whose nodes also sit in one hash table keyed by
 * full path. Children keep creation order, as Xen lists them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"

uint64_t store_generation;

static struct node **htab;
static unsigned int hsize; /* power of two */
static unsigned int nnodes;

/* FNV-1a: cheap and good enough for path strings. */
uint32_t path_hash(const char *path, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)path[i];
        h *= 16777619u;
    }
    return h;
}

struct node *node_lookup(const char *path, size_t len, uint32_t hash)
{
    for (struct node *n = htab[hash & (hsize - 1)]; n; n = n->hnext)
        if (n->hash == hash && n->pathlen == len && !memcmp(n->path, path, len))
            return n;
    return NULL;
}

static void hash_grow(void)
{
    unsigned int nsize = hsize * 2;
    struct node **nt = calloc(nsize, sizeof(*nt));

    if (!nt)
        return; /* keep the longer chains */
    for (unsigned int i = 0; i < hsize; i++) {
        struct node *n = htab[i], *next;
        for (; n; n = next) {
            next = n->hnext;
            n->hnext = nt[n->hash & (nsize - 1)];
            nt[n->hash & (nsize - 1)] = n;
        }
    }
    free(htab);
    htab = nt;
    hsize = nsize;
}

static void hash_del(struct node *n)
{
    struct node **pp = &htab[n->hash & (hsize - 1)];

    while (*pp != n)
        pp = &(*pp)->hnext;
    *pp = n->hnext;
}

int perms_dup(struct perms *dst, const struct perms *src)
{
    struct xs_permissions *p = malloc(src->num * sizeof(*p));

    if (!p)
        return -ENOMEM;
    memcpy(p, src->p, src->num * sizeof(*p));
    dst->p = p;
    dst->num = src->num;
    return 0;
}

void perms_free(struct perms *p)
{
    free(p->p);
    p->p = NULL;
    p->num = 0;
}

bool perms_equal(const struct perms *a, const struct perms *b)
{
    return a->num == b->num && !memcmp(a->p, b->p, a->num * sizeof(*a->p));
}

static void dir_changed(struct node *n)
{
    free(n->dircache);
    n->dircache = NULL;
    n->gen = ++store_generation;
}

struct node *node_create(struct node *parent, const char *path, size_t len,
                         const void *data, unsigned int datalen,
                         const struct perms *perms)
{
    struct node *n = calloc(1, sizeof(*n) + len + 1);

    if (!n)
        return NULL;
    if (perms_dup(&n->perms, perms))
        goto fail;
    if (datalen) {
        n->data = malloc(datalen);
        if (!n->data)
            goto fail;
        memcpy(n->data, data, datalen);
    }
    n->datalen = datalen;
    memcpy(n->path, path, len);
    n->pathlen = len;
    n->hash = path_hash(path, len);
    list_init(&n->children);
    list_init(&n->sibling);
    n->gen = ++store_generation;

    if (nnodes >= hsize)
        hash_grow();
    n->hnext = htab[n->hash & (hsize - 1)];
    htab[n->hash & (hsize - 1)] = n;
    nnodes++;

    n->parent = parent;
    if (parent) {
        list_add_tail(&n->sibling, &parent->children);
        parent->nchildren++;
        parent->childlen += strlen(node_basename(n)) + 1;
        dir_changed(parent);
    }
    domain_nbentry_add(n->perms.p[0].id, 1);
    return n;

fail:
    free(n->perms.p);
    free(n);
    return NULL;
}

int node_set_data(struct node *n, const void *data, unsigned int datalen)
{
    char *d = NULL;

    if (datalen) {
        d = malloc(datalen);
        if (!d)
            return -ENOMEM;
        memcpy(d, data, datalen);
    }
    free(n->data);
    n->data = d;
    n->datalen = datalen;
    n->gen = ++store_generation;
    return 0;
}

int node_set_perms(struct node *n, const struct perms *perms)
{
    struct perms np;

    if (perms_dup(&np, perms))
        return -ENOMEM;
    domain_nbentry_add(n->perms.p[0].id, -1);
    domain_nbentry_add(np.p[0].id, 1);
    perms_free(&n->perms);
    n->perms = np;
    n->gen = ++store_generation;
    return 0;
}

static void node_free(struct node *n)
{
    domain_nbentry_add(n->perms.p[0].id, -1);
    hash_del(n);
    nnodes--;
    free(n->data);
    free(n->dircache);
    perms_free(&n->perms);
    free(n);
}

void node_delete(struct node *n, void (*cb)(struct node *, void *), void *arg)
{
    struct node *top = n, *parent = n->parent;
    unsigned int toplen = strlen(node_basename(n)) + 1;

    /* Post-order walk without recursion: go down to a leaf, free it. */
    while (1) {
        while (!list_empty(&n->children))
            n = list_entry(n->children.next, struct node, sibling);
        struct node *up = n->parent;
        if (cb)
            cb(n, arg);
        list_del(&n->sibling);
        if (n == top) {
            node_free(n);
            break;
        }
        up->nchildren--;
        up->childlen -= strlen(node_basename(n)) + 1;
        node_free(n);
        n = up;
    }
    if (parent) {
        parent->nchildren--;
        parent->childlen -= toplen;
        dir_changed(parent);
    }
}

const char *node_dir(struct node *n)
{
    struct node *c;
    char *p;

    if (n->dircache || !n->childlen)
        return n->dircache ? n->dircache : "";
    n->dircache = malloc(n->childlen);
    if (!n->dircache)
        return NULL;
    p = n->dircache;
    list_for_each(c, &n->children, struct node, sibling)
    {
        const char *b = node_basename(c);
        size_t l = strlen(b) + 1;
        memcpy(p, b, l);
        p += l;
    }
    return n->dircache;
}

unsigned int store_count(void)
{
    return nnodes;
}

int store_init(void)
{
    static struct xs_permissions p0 = {.id = 0, .perms = XS_PERM_NONE};
    struct perms perms = {.num = 1, .p = &p0};
    struct node *root, *tool;

    hsize = 1024;
    htab = calloc(hsize, sizeof(*htab));
    if (!htab)
        return -ENOMEM;
    /* What Xen's xenstored creates at start-up. */
    root = node_create(NULL, "/", 1, NULL, 0, &perms);
    tool = root ? node_create(root, "/tool", 5, NULL, 0, &perms) : NULL;
    if (!tool || !node_create(tool, "/tool/xenstored", 15, NULL, 0, &perms))
        return -ENOMEM;
    return 0;
}
