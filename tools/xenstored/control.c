/*
 * XS_CONTROL: the commands of `xenstore-control` (check, log, print,
 * quota, quota-soft, help), with Xen's argument rules and output format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xenstored.h"

int quota_set_by_name(const char *name, const char *val);

static int ctl_check(struct req *r, const char **args, unsigned int n)
{
    (void)args;
    if (n)
        return -EINVAL;
    reply_ok(r);
    return 0;
}

static int ctl_log(struct req *r, const char **args, unsigned int n)
{
    if (n != 1)
        return -EINVAL;
    if (!strcmp(args[0], "on"))
        verbose = true;
    else if (!strcmp(args[0], "off"))
        verbose = false;
    else
        return -EINVAL;
    reply_ok(r);
    return 0;
}

static int ctl_print(struct req *r, const char **args, unsigned int n)
{
    if (n != 1)
        return -EINVAL;
    xsd_log("control: %s", args[0]);
    reply_ok(r);
    return 0;
}

/* Memory of the nodes a domain owns, counted as Xen does. */
static unsigned int nodes_memory(unsigned int domid)
{
    struct node *root = node_lookup("/", 1, path_hash("/", 1)), *n = root;
    unsigned int mem = 0;

    while (n) {
        if (n->perms.p[0].id == domid)
            mem += NODE_ACC_SIZE(n->perms.num, n->datalen, n->childlen) +
                   n->pathlen;
        if (!list_empty(&n->children)) {
            n = list_entry(n->children.next, struct node, sibling);
            continue;
        }
        while (n != root && n->sibling.next == &n->parent->children)
            n = n->parent;
        if (n == root)
            break;
        n = list_entry(n->sibling.next, struct node, sibling);
    }
    return mem;
}

static int ctl_quota(struct req *r, const char **args, unsigned int n)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    int len;

    if (n == 0) {
        len = snprintf(
            buf, sizeof(buf),
            "Quota settings:\n"
            "nodes            : %8u Nodes per domain\n"
            "watches          : %8u Watches per domain\n"
            "transactions     : %8u Transactions per domain\n"
            "outstanding      : %8u Outstanding requests per domain\n"
            "transaction-nodes: %8u Max. number of accessed nodes per "
            "transaction\n"
            "memory           : %8u Total Xenstore memory per domain "
            "(error level)\n"
            "node-size        : %8u Max. size of a node\n"
            "path-max         : %8u Max. length of a node path\n"
            "permissions      : %8u Max. number of permissions per node\n",
            quota.nodes, quota.watches, quota.transactions, quota.outstanding,
            quota.tx_nodes, quota.memory, quota.node_size, quota.path_max,
            quota.perms);
    } else if (n == 3 && !strcmp(args[0], "set")) {
        if (quota_set_by_name(args[1], args[2]))
            return -EINVAL;
        reply_ok(r);
        return 0;
    } else if (n == 1) {
        unsigned int domid;
        char *end;
        struct domain *d;
        struct conn *c = NULL;

        domid = strtoul(args[0], &end, 10);
        if (*end || !args[0][0])
            return -EINVAL;
        d = domain_get(domid, false);
        if (domid && (!d || !d->introduced))
            return -ENOENT;
        if (d)
            c = d->conn;
        unsigned int mem = nodes_memory(domid);
        if (c) {
            struct watch *w;
            list_for_each(w, &c->watches, struct watch, link)
            {
                mem += strlen(w->path) + strlen(w->token);
            }
        }
        len = snprintf(buf, sizeof(buf),
                       "Domain %u:\n"
                       "nodes           : %8u\n"
                       "watches         : %8u\n"
                       "transactions    : %8u\n"
                       "outstanding     : %8u\n"
                       "memory          : %8u\n",
                       domid, domain_nbentry(domid), d ? d->nwatches : 0,
                       c ? c->ntxns : 0, c ? c->outstanding : 0, mem);
    } else {
        return -EINVAL;
    }
    reply(r, XS_CONTROL, buf, len + 1);
    return 0;
}

static int ctl_quota_soft(struct req *r, const char **args, unsigned int n)
{
    static const char text[] =
        "Quota settings:\n"
        "memory           :  2097152 Total Xenstore memory per domain "
        "(warning level)\n";

    (void)args;
    if (n == 3 && !strcmp(args[0], "set")) {
        reply_ok(r); /* warnings only in Xen; nothing to enforce */
        return 0;
    }
    if (n)
        return -EINVAL;
    reply(r, XS_CONTROL, text, sizeof(text));
    return 0;
}

static int ctl_help(struct req *r, const char **args, unsigned int n);

static const struct {
    const char *name;
    const char *usage;
    int (*fn)(struct req *r, const char **args, unsigned int n);
} cmds[] = {
    {"check", "", ctl_check},
    {"log", "on|off", ctl_log},
    {"print", "<string>", ctl_print},
    {"quota", "[set <name> <val>|<domid>]", ctl_quota},
    {"quota-soft", "[set <name> <val>]", ctl_quota_soft},
    {"help", "", ctl_help},
};

static int ctl_help(struct req *r, const char **args, unsigned int n)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    int len = 0;

    (void)args;
    if (n)
        return -EINVAL;
    for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        len += snprintf(buf + len, sizeof(buf) - len, "%s\t%s\n", cmds[i].name,
                        cmds[i].usage);
    reply(r, XS_CONTROL, buf, len + 1);
    return 0;
}

int do_control(struct req *r)
{
    const char *vec[8];
    unsigned int n = get_strings(r->body, r->hdr.len, vec, 8);

    if (n < 1 || n > 8)
        return -EINVAL;
    for (unsigned int i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(cmds[i].name, vec[0]))
            return cmds[i].fn(r, vec + 1, n - 1);
    return -EINVAL;
}
