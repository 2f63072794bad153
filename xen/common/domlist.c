/* The list of domains and lookups by domid (see xen/sched.h). */
#include <public/xen.h>
#include <xen/lib.h>
#include <xen/sched.h>

pthread_mutex_t domlist_lock = PTHREAD_MUTEX_INITIALIZER;
struct domain *domain_list;

void get_domain(struct domain *d)
{
    atomic_fetch_add(&d->refcnt, 1);
}

struct domain *get_domain_by_id(domid_t id)
{
    struct domain *d;

    pthread_mutex_lock(&domlist_lock);
    for (d = domain_list; d; d = d->next_in_list)
        if (d->domain_id == id) {
            get_domain(d);
            break;
        }
    pthread_mutex_unlock(&domlist_lock);
    return d;
}

struct domain *get_domain_by_any_id(struct domain *cd, domid_t id)
{
    if (id == DOMID_SELF) {
        get_domain(cd);
        return cd;
    }
    return get_domain_by_id(id);
}

int get_target_domain(struct domain *cd, domid_t id, struct domain **d)
{
    *d = get_domain_by_any_id(cd, id);
    if (!*d)
        return -ESRCH;
    if (!domain_may_target(cd, *d)) {
        put_domain(*d);
        *d = NULL;
        return -EPERM;
    }
    return 0;
}
