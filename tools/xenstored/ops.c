/*
 * The request handlers, one per xenstore message type, with Xen's
 * argument checks and error codes (verified against Xen 4.17's C
 * xenstored on the wire, see tests/integration/xenstore-wire.sh).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"
#include "ring.h"
#include "xs_lib.h"

/* Number of NUL-terminated strings (trailing bytes without NUL ignored). */
unsigned int count_strings(const char *buf, unsigned int len)
{
    return xs__count_strings(buf, len);
}

unsigned int get_strings(const char *buf, unsigned int len, const char **vec,
                         unsigned int num)
{
    unsigned int n = 0, off = 0;

    while (off < len) {
        const char *nul = memchr(buf + off, 0, len - off);
        if (!nul)
            break;
        if (n < num)
            vec[n] = buf + off;
        n++;
        off = nul - buf + 1;
    }
    return n;
}

void reply(struct req *r, uint32_t type, const void *data, unsigned int len)
{
    if (len > XENSTORE_PAYLOAD_MAX) {
        reply_error(r, E2BIG);
        return;
    }
    send_msg(r->c, type, r->hdr.req_id, r->hdr.tx_id, data, len, NULL, 0, true);
}

void reply_ok(struct req *r)
{
    reply(r, r->hdr.type, "OK", 3);
}

void reply_error(struct req *r, int err)
{
    const char *name = xs__errno_name(err);
    send_msg(r->c, XS_ERROR, r->hdr.req_id, r->hdr.tx_id, name,
             strlen(name) + 1, NULL, 0, true);
}

/* The body must be exactly one string. */
static const char *onearg(struct req *r)
{
    if (!r->hdr.len || strlen(r->body) + 1 != r->hdr.len)
        return NULL;
    return r->body;
}

/* Canonical path of the single argument, or an error. */
static int path_arg(struct req *r, char *out)
{
    const char *arg = onearg(r);
    bool rel;

    if (!arg)
        return -EINVAL;
    return canonicalize(r->c, arg, out, &rel);
}

typedef char pathbuf[XENSTORE_PAYLOAD_MAX + 64];

static int do_read(struct req *r)
{
    pathbuf path;
    struct view v;
    int err = path_arg(r, path);

    if (!err)
        err = view_get(r, path, XS_PERM_READ, &v);
    if (err)
        return err;
    reply(r, XS_READ, v.data, v.datalen);
    return 0;
}

static int do_directory(struct req *r)
{
    pathbuf path;
    struct view v;
    const char *kids;
    unsigned int klen;
    int err = path_arg(r, path);

    if (!err)
        err = view_get(r, path, XS_PERM_READ, &v);
    if (!err)
        err = view_children(r, &v, &kids, &klen);
    if (err)
        return err;
    reply(r, XS_DIRECTORY, kids, klen);
    return 0;
}

/* One chunk of a listing too big for DIRECTORY: "gen\0" then names. */
static int do_directory_part(struct req *r)
{
    const char *vec[2];
    pathbuf path;
    char buf[XENSTORE_PAYLOAD_MAX], gen[24];
    struct view v;
    const char *kids;
    unsigned int klen, off, len = 0, genlen, maxlen;
    bool rel;
    int err;

    if (get_strings(r->body, r->hdr.len, vec, 2) != 2)
        return -EINVAL;
    canonicalize(r->c, vec[0], path, &rel);
    err = view_get(r, path, XS_PERM_READ, &v);
    if (!err)
        err = view_children(r, &v, &kids, &klen);
    if (err)
        return err;
    off = (unsigned int)atoi(vec[1]);
    genlen = snprintf(gen, sizeof(gen), "%" PRIx64, v.gen) + 1;
    memcpy(buf, gen, genlen);
    if (off >= klen) {
        buf[genlen] = 0;
        reply(r, XS_DIRECTORY_PART, buf, genlen + 1);
        return 0;
    }
    /* Whole names only, as many as fit, as Xen cuts them. */
    maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1;
    while (off + len < klen) {
        size_t l = strlen(kids + off + len);
        if (len + l >= maxlen)
            break;
        len += l + 1;
    }
    memcpy(buf + genlen, kids + off, len);
    if (off + len == klen)
        buf[genlen + len++] = 0;
    reply(r, XS_DIRECTORY_PART, buf, genlen + len);
    return 0;
}

static int do_get_perms(struct req *r)
{
    pathbuf path;
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    struct view v;
    int len, err = path_arg(r, path);

    if (!err)
        err = view_get(r, path, XS_PERM_READ, &v);
    if (err)
        return err;
    len = perms_format(v.perms, buf, sizeof(buf));
    if (len < 0)
        return len;
    reply(r, XS_GET_PERMS, buf, len);
    return 0;
}

static int do_write(struct req *r)
{
    pathbuf path;
    const char *vec[1];
    unsigned int off;
    bool rel;

    if (get_strings(r->body, r->hdr.len, vec, 1) < 1)
        return -EINVAL;
    off = strlen(vec[0]) + 1;
    canonicalize(r->c, vec[0], path, &rel);
    int err = store_write(r, path, r->body + off, r->hdr.len - off, false);
    if (!err)
        reply_ok(r);
    return err;
}

static int do_mkdir(struct req *r)
{
    pathbuf path;
    int err = path_arg(r, path);

    if (!err)
        err = store_write(r, path, NULL, 0, true);
    if (!err)
        reply_ok(r);
    return err;
}

static int do_rm(struct req *r)
{
    pathbuf path;
    int err = path_arg(r, path);

    if (!err)
        err = store_rm(r, path);
    if (!err)
        reply_ok(r);
    return err;
}

/* Entries naming unknown domains are kept but ignored, as in Xen. */
static int perms_check_domains(struct perms *p)
{
    for (unsigned int i = 0; i < p->num; i++) {
        unsigned int id = p->p[i].id;
        struct domain *d = domain_get(id, false);

        if (d && d->known)
            continue;
        /*
         * A domain that exists counts from now on, introduced or not: a
         * toolstack writes /local/domain/N before it introduces N.
         */
        if (domain_exists(id)) {
            d = d ? d : domain_get(id, true);
            if (!d)
                return -ENOMEM;
            domain_make_known(d);
        } else {
            p->p[i].perms |= XS_PERM_IGNORE;
        }
    }
    return (p->p[0].perms & XS_PERM_IGNORE) ? -ENOENT : 0;
}

static int do_set_perms(struct req *r)
{
    unsigned int n = count_strings(r->body, r->hdr.len);
    struct perms p = {0}, *sp;
    pathbuf path;
    bool rel;
    int err;

    if (n < 2)
        return -EINVAL;
    n--;
    if (conn_is_unprivileged(r->c) && n > quota.perms)
        return -ENOSPC;
    err = perms_parse(&p, r->body + strlen(r->body) + 1, n);
    if (!err)
        err = perms_check_domains(&p);
    if (err)
        goto out;
    if (r->body[0] == '@') {
        sp = special_node_perms(r->body);
        if (!sp) {
            err = -EINVAL;
        } else if ((perm_for_conn(r->c, sp) &
                    (XS_PERM_WRITE | XS_PERM_OWNER)) !=
                   (XS_PERM_WRITE | XS_PERM_OWNER)) {
            err = -EACCES;
        } else {
            special_set_perms(sp, &p);
        }
    } else {
        canonicalize(r->c, r->body, path, &rel);
        err = store_set_perms(r, path, &p);
    }
    if (!err)
        reply_ok(r);
out:
    perms_free(&p);
    return err;
}

static int do_watch(struct req *r)
{
    const char *vec[2];
    pathbuf path;
    struct watch *w;
    bool rel;
    int err;

    if (get_strings(r->body, r->hdr.len, vec, 2) != 2)
        return -EINVAL;
    if (vec[0][0] == '@') {
        rel = false;
        if (strlen(vec[0]) > XENSTORE_REL_PATH_MAX)
            return -EINVAL;
        strcpy(path, vec[0]);
    } else {
        canonicalize(r->c, vec[0], path, &rel);
        if (!valid_path(path, strlen(path), r->c))
            return -EINVAL;
    }
    err = watch_add(r->c, path, vec[1], rel, &w);
    if (err)
        return err;
    reply_ok(r);
    /* One event at once: simplifies clients and restarts. */
    watch_send_initial(w);
    return 0;
}

static int do_unwatch(struct req *r)
{
    const char *vec[2];
    pathbuf path;
    bool rel;

    if (get_strings(r->body, r->hdr.len, vec, 2) != 2)
        return -EINVAL;
    canonicalize(r->c, vec[0], path, &rel);
    int err = watch_del(r->c, path, vec[1]);
    if (!err)
        reply_ok(r);
    return err;
}

static int do_transaction_start(struct req *r)
{
    char buf[16];
    struct txn *t;

    if (r->t)
        return -EBUSY;
    /* As in Xen, a domain may go one over the quota. */
    if (conn_is_unprivileged(r->c) && r->c->ntxns > quota.transactions)
        return -ENOSPC;
    t = txn_start(r->c);
    if (!t)
        return -ENOMEM;
    reply(r, XS_TRANSACTION_START, buf,
          snprintf(buf, sizeof(buf), "%u", t->id) + 1);
    return 0;
}

static int do_transaction_end(struct req *r)
{
    const char *arg = onearg(r);
    struct txn *t = r->t;
    int err;

    if (!arg)
        return -EINVAL;
    if (!t)
        return -ENOENT;
    if (strcmp(arg, "T") && strcmp(arg, "F"))
        return -EINVAL;
    r->c->cur_txn = NULL;
    r->t = NULL;
    err = arg[0] == 'T' ? txn_commit(t) : 0;
    txn_free(t);
    if (!err)
        reply_ok(r);
    return err;
}

/* A domain id argument, with Xen's rules: 0 and garbage are invalid. */
static int domid_arg(struct req *r, unsigned int *domid)
{
    const char *arg = onearg(r);

    if (!arg)
        return -EINVAL;
    *domid = (unsigned int)atoi(arg);
    if (*domid == DOMID_SELF)
        *domid = r->c->id;
    return *domid ? 0 : -EINVAL;
}

/* The domain must be introduced: ENOENT if unknown, EINVAL if not. */
static int connected_domain(unsigned int domid, struct domain **out)
{
    struct domain *d = domain_get(domid, false);

    if (!d)
        return -ENOENT;
    if (!d->introduced)
        return -EINVAL;
    *out = d;
    return 0;
}

static int do_introduce(struct req *r)
{
    const char *vec[3];
    unsigned int domid;
    unsigned long gfn;
    int port, err;

    if (get_strings(r->body, r->hdr.len, vec, 3) < 3)
        return -EINVAL;
    domid = (unsigned int)atoi(vec[0]);
    gfn = strtoul(vec[1], NULL, 10);
    port = atoi(vec[2]);
    if (port <= 0)
        return -EINVAL;
    if (domid == 0) {
        reply_ok(r); /* domain 0 talks over the socket */
        return 0;
    }
    if (domid >= DOMID_FIRST_RESERVED)
        return -EINVAL;
    err = domain_introduce(domid, gfn, port);
    if (!err)
        reply_ok(r);
    return err;
}

static int do_release(struct req *r)
{
    struct domain *d;
    unsigned int domid;
    int err = domid_arg(r, &domid);

    if (!err)
        err = connected_domain(domid, &d);
    if (err)
        return err;
    domain_release(d, true);
    reply_ok(r);
    return 0;
}

static int do_resume(struct req *r)
{
    struct domain *d;
    unsigned int domid;
    int err = domid_arg(r, &domid);

    if (!err)
        err = connected_domain(domid, &d);
    if (err)
        return err;
    d->shutdown = false;
    reply_ok(r);
    return 0;
}

static int do_set_target(struct req *r)
{
    const char *vec[2];
    struct domain *d, *t;
    unsigned int domid, target;
    int err;

    if (get_strings(r->body, r->hdr.len, vec, 2) != 2)
        return -EINVAL;
    domid = (unsigned int)atoi(vec[0]);
    target = (unsigned int)atoi(vec[1]);
    if (domid == 0) {
        reply_ok(r); /* domain 0 has every right already */
        return 0;
    }
    err = connected_domain(domid, &d);
    if (!err && target != 0)
        err = connected_domain(target, &t);
    if (err)
        return err;
    d->target_of = target;
    reply_ok(r);
    return 0;
}

static int do_get_domain_path(struct req *r)
{
    const char *arg = onearg(r);
    char buf[32];
    unsigned int domid;

    if (!arg)
        return -EINVAL;
    domid = (unsigned int)atoi(arg);
    reply(r, XS_GET_DOMAIN_PATH, buf,
          snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1);
    return 0;
}

static int do_is_domain_introduced(struct req *r)
{
    const char *arg = onearg(r);
    struct domain *d;
    unsigned int domid;
    bool yes;

    if (!arg)
        return -EINVAL;
    domid = (unsigned int)atoi(arg);
    if (domid == DOMID_SELF || domid == 0) {
        yes = true;
    } else {
        d = domain_get(domid, false);
        yes = d && d->introduced;
    }
    reply(r, XS_IS_DOMAIN_INTRODUCED, yes ? "T" : "F", 2);
    return 0;
}

static int do_reset_watches(struct req *r)
{
    struct txn *t, *n;

    watch_del_all(r->c);
    list_for_each_safe(t, n, &r->c->txns, struct txn, link)
    {
        txn_free(t);
    }
    r->t = NULL;
    reply_ok(r);
    return 0;
}

#define F_NOTID 1u /* the transaction id is ignored */
#define F_PRIV 2u  /* privileged connections only */

static const struct {
    int (*fn)(struct req *r);
    unsigned int flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = {do_control, F_PRIV},
    [XS_DIRECTORY] = {do_directory, 0},
    [XS_READ] = {do_read, 0},
    [XS_GET_PERMS] = {do_get_perms, 0},
    [XS_WATCH] = {do_watch, F_NOTID},
    [XS_UNWATCH] = {do_unwatch, F_NOTID},
    [XS_TRANSACTION_START] = {do_transaction_start, 0},
    [XS_TRANSACTION_END] = {do_transaction_end, 0},
    [XS_INTRODUCE] = {do_introduce, F_PRIV | F_NOTID},
    [XS_RELEASE] = {do_release, F_PRIV | F_NOTID},
    [XS_GET_DOMAIN_PATH] = {do_get_domain_path, F_NOTID},
    [XS_WRITE] = {do_write, 0},
    [XS_MKDIR] = {do_mkdir, 0},
    [XS_RM] = {do_rm, 0},
    [XS_SET_PERMS] = {do_set_perms, 0},
    [XS_IS_DOMAIN_INTRODUCED] = {do_is_domain_introduced, F_PRIV | F_NOTID},
    [XS_RESUME] = {do_resume, F_PRIV | F_NOTID},
    [XS_SET_TARGET] = {do_set_target, F_PRIV | F_NOTID},
    [XS_RESET_WATCHES] = {do_reset_watches, F_NOTID},
    [XS_DIRECTORY_PART] = {do_directory_part, 0},
};

void process_request(struct conn *c, const struct xsd_sockmsg *hdr, char *body)
{
    struct req r = {.c = c, .hdr = *hdr, .body = body};
    int err;

    if (hdr->type >= XS_TYPE_COUNT || !handlers[hdr->type].fn) {
        reply_error(&r, ENOSYS);
        return;
    }
    if ((handlers[hdr->type].flags & F_PRIV) && conn_is_unprivileged(c)) {
        reply_error(&r, EACCES);
        return;
    }
    if (!(handlers[hdr->type].flags & F_NOTID) && hdr->tx_id) {
        r.t = txn_find(c, hdr->tx_id);
        if (!r.t) {
            reply_error(&r, ENOENT);
            return;
        }
    }
    c->cur_txn = r.t;
    err = handlers[hdr->type].fn(&r);
    c->cur_txn = NULL;
    if (err)
        reply_error(&r, -err);
}
