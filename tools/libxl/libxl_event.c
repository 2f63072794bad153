/*
 * Events: the queue, domain death generators over xenstore's
 * @releaseDomain watch, and the ways an application polls for them.
 *
 * Everything happens inside libxl calls: libxl_event_check/wait,
 * libxl_osevent_afterpoll and libxl_osevent_occurred_fd read the watch
 * and look at the watched domains, and the events that result go to
 * the hooks or the queue. The queue is linked through each event's own
 * link field, so queueing never allocates.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "libxl_internal.h"

#define DEATH_WATCH_TOKEN "libxl/domain-death"

struct libxl__evgen_domain_death {
    uint32_t domid;
    libxl_ev_user user;
    bool shutdown_reported, death_reported;
    struct libxl__evgen_domain_death *next;
};

/* ---- The queue ---- */

libxl_event *libxl__event_new(libxl_ctx *ctx, libxl_event_type type,
                              uint32_t domid, libxl_ev_user for_user)
{
    libxl_event *ev = malloc(sizeof(*ev));

    if (!ev) {
        LOGD(CRITICAL, domid, "out of memory: a %s event is lost",
             libxl_event_type_to_string(type));
        if (ctx->event_hooks && ctx->event_hooks->disaster)
            ctx->event_hooks->disaster(ctx->event_hooks_user, type,
                                       "out of memory for an event", ENOMEM);
        return NULL;
    }
    libxl_event_init(ev);
    ev->type = type;
    ev->domid = domid;
    ev->for_user = for_user;
    return ev;
}

void libxl__event_occurred(libxl_ctx *ctx, libxl_event *ev)
{
    const libxl_event_hooks *hooks = ctx->event_hooks;

    if (hooks && (hooks->event_occurs_mask & (1ULL << ev->type))) {
        /* The callback owns the event now and may call into libxl. */
        hooks->event_occurs(ctx->event_hooks_user, ev);
        return;
    }
    ev->link.tqe_next = NULL;
    *ctx->events_tail = ev;
    ctx->events_tail = &ev->link.tqe_next;
}

XENTOOLS_EXPORT void libxl_event_free(libxl_ctx *ctx, libxl_event *event)
{
    (void)ctx;
    if (!event)
        return;
    libxl_event_dispose(event);
    free(event);
}

XENTOOLS_EXPORT void
libxl_event_register_callbacks(libxl_ctx *ctx, const libxl_event_hooks *hooks,
                               void *user)
{
    libxl__ctx_lock(ctx);
    ctx->event_hooks = hooks;
    ctx->event_hooks_user = user;
    libxl__ctx_unlock(ctx);
}

int libxl__ao_complete(libxl_ctx *ctx, const libxl_asyncop_how *ao_how,
                       uint32_t domid, int rc)
{
    libxl_event *ev;

    if (!ao_how)
        return rc;
    if (ao_how->callback) {
        ao_how->callback(ctx, rc, ao_how->u.for_callback);
        return 0;
    }
    ev = libxl__event_new(ctx, LIBXL_EVENT_TYPE_OPERATION_COMPLETE, domid,
                          ao_how->u.for_event);
    if (!ev)
        return ERROR_NOMEM;
    ev->u.operation_complete.rc = rc;
    libxl__ctx_lock(ctx);
    libxl__event_occurred(ctx, ev);
    libxl__ctx_unlock(ctx);
    return 0;
}

void libxl__aop_occurred(libxl_ctx *ctx, const libxl_asyncprogress_how *how,
                         libxl_event *ev)
{
    if (!how) {
        libxl_event_free(ctx, ev);
        return;
    }
    ev->for_user = how->for_event;
    if (how->callback) {
        how->callback(ctx, ev, how->for_callback);
        return;
    }
    libxl__ctx_lock(ctx);
    libxl__event_occurred(ctx, ev);
    libxl__ctx_unlock(ctx);
}

/* ---- Domain death ---- */

/* Look at every watched domain and report what changed. Locked. */
static void check_domains(libxl_ctx *ctx)
{
    for (struct libxl__evgen_domain_death *e = ctx->deaths; e; e = e->next) {
        xc_domaininfo_t info;
        libxl_event *ev;
        int rc;

        if (e->death_reported)
            continue;
        rc = libxl__domain_getinfo(ctx, e->domid, &info);
        if (rc && rc != ERROR_DOMAIN_NOTFOUND)
            continue; /* logged; try again at the next watch event */
        if (rc == ERROR_DOMAIN_NOTFOUND || (info.flags & XEN_DOMINF_dying)) {
            ev = libxl__event_new(ctx, LIBXL_EVENT_TYPE_DOMAIN_DEATH, e->domid,
                                  e->user);
            if (!ev)
                continue;
            if (!rc)
                memcpy(ev->domuuid.uuid, info.handle, sizeof(info.handle));
            e->death_reported = true;
            libxl__event_occurred(ctx, ev);
        } else if ((info.flags & XEN_DOMINF_shutdown) &&
                   !e->shutdown_reported) {
            ev = libxl__event_new(ctx, LIBXL_EVENT_TYPE_DOMAIN_SHUTDOWN,
                                  e->domid, e->user);
            if (!ev)
                continue;
            memcpy(ev->domuuid.uuid, info.handle, sizeof(info.handle));
            ev->u.domain_shutdown.shutdown_reason =
                (info.flags >> XEN_DOMINF_shutdownshift) &
                XEN_DOMINF_shutdownmask;
            e->shutdown_reported = true;
            libxl__event_occurred(ctx, ev);
        }
    }
}

/* Read what the watch has delivered; look at the domains if any. Locked. */
/* Locked. ERROR_FAIL once the xenstore connection is gone. */
static int process_watch(libxl_ctx *ctx)
{
    bool fired = false;
    char **ev;

    if (!ctx->watching)
        return 0;
    while ((ev = xs_check_watch(ctx->xsh))) {
        fired |= !strcmp(ev[XS_WATCH_TOKEN], DEATH_WATCH_TOKEN);
        free(ev);
    }
    if (errno != EAGAIN) {
        if (!ctx->xs_lost)
            LOGE(ERROR, "lost the connection to xenstored");
        ctx->xs_lost = true;
        return ERROR_FAIL;
    }
    if (fired)
        check_domains(ctx);
    return 0;
}

/* Set up the @releaseDomain watch, once per context. Locked. */
static int start_watching(libxl_ctx *ctx)
{
    int fd;

    if (ctx->watching)
        return 0;
    if (!xs_watch(ctx->xsh, "@releaseDomain", DEATH_WATCH_TOKEN)) {
        LOGE(ERROR, "watching @releaseDomain");
        return ERROR_FAIL;
    }
    fd = xs_fileno(ctx->xsh);
    if (fd < 0) {
        LOGE(ERROR, "getting the xenstore watch descriptor");
        xs_unwatch(ctx->xsh, "@releaseDomain", DEATH_WATCH_TOKEN);
        return ERROR_FAIL;
    }
    if (ctx->osevent_hooks) {
        if (ctx->osevent_hooks->fd_register(
                ctx->osevent_user, fd, &ctx->osevent_fd_reg, POLLIN, ctx)) {
            LOG(ERROR, "the application refused to watch fd %d", fd);
            xs_unwatch(ctx->xsh, "@releaseDomain", DEATH_WATCH_TOKEN);
            return ERROR_OSEVENT_REG_FAIL;
        }
        ctx->osevent_fd_registered = true;
    }
    ctx->watch_fd = fd;
    ctx->watching = true;
    return 0;
}

XENTOOLS_EXPORT int
libxl_evenable_domain_death(libxl_ctx *ctx, uint32_t domid, libxl_ev_user user,
                            libxl_evgen_domain_death **evgen_out)
{
    struct libxl__evgen_domain_death *e;
    int rc;

    *evgen_out = NULL;
    rc = libxl__need_xc(ctx) ?: libxl__need_xs(ctx);
    if (rc)
        return rc;
    e = calloc(1, sizeof(*e));
    if (!e)
        return ERROR_NOMEM;
    e->domid = domid;
    e->user = user;
    libxl__ctx_lock(ctx);
    rc = start_watching(ctx);
    if (rc) {
        libxl__ctx_unlock(ctx);
        free(e);
        return rc;
    }
    e->next = ctx->deaths;
    ctx->deaths = e;
    /* Report what is already so (a domain already dead or shut down). */
    check_domains(ctx);
    libxl__ctx_unlock(ctx);
    *evgen_out = e;
    return 0;
}

XENTOOLS_EXPORT void libxl_evdisable_domain_death(libxl_ctx *ctx,
                                                  libxl_evgen_domain_death *e)
{
    if (!e)
        return;
    libxl__ctx_lock(ctx);
    for (struct libxl__evgen_domain_death **p = &ctx->deaths; *p;
         p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            break;
        }
    }
    libxl__ctx_unlock(ctx);
    free(e);
}

void libxl__events_dispose(libxl_ctx *ctx)
{
    while (ctx->deaths) {
        struct libxl__evgen_domain_death *e = ctx->deaths;

        ctx->deaths = e->next;
        free(e);
    }
    while (ctx->events_head) {
        libxl_event *ev = ctx->events_head;

        ctx->events_head = ev->link.tqe_next;
        libxl_event_free(ctx, ev);
    }
    ctx->events_tail = &ctx->events_head;
    if (ctx->watching) {
        if (ctx->osevent_fd_registered)
            ctx->osevent_hooks->fd_deregister(ctx->osevent_user, ctx->watch_fd,
                                              ctx->osevent_fd_reg);
        xs_unwatch(ctx->xsh, "@releaseDomain", DEATH_WATCH_TOKEN);
        ctx->watching = false;
    }
}

/* ---- Taking events ---- */

/* Whether a generator may still report something. Locked. */
static bool may_report(libxl_ctx *ctx)
{
    for (struct libxl__evgen_domain_death *e = ctx->deaths; e; e = e->next)
        if (!e->death_reported)
            return true;
    return false;
}

XENTOOLS_EXPORT int libxl_event_check(libxl_ctx *ctx, libxl_event **event_r,
                                      uint64_t typemask,
                                      libxl_event_predicate *pred,
                                      void *pred_user)
{
    int rc = ERROR_NOT_READY;
    int lost;

    libxl__ctx_lock(ctx);
    lost = process_watch(ctx);
    for (libxl_event **p = &ctx->events_head; *p; p = &(*p)->link.tqe_next) {
        libxl_event *ev = *p;

        if (!(typemask & (1ULL << ev->type)) || (pred && !pred(ev, pred_user)))
            continue;
        *p = ev->link.tqe_next;
        if (ctx->events_tail == &ev->link.tqe_next)
            ctx->events_tail = p;
        *event_r = ev;
        rc = 0;
        break;
    }
    libxl__ctx_unlock(ctx);
    /* Queued events first; then nothing more can ever come. */
    return rc == ERROR_NOT_READY && lost ? lost : rc;
}

XENTOOLS_EXPORT int libxl_event_wait(libxl_ctx *ctx, libxl_event **event_r,
                                     uint64_t typemask,
                                     libxl_event_predicate *pred,
                                     void *pred_user)
{
    for (;;) {
        struct pollfd pfd = {.events = POLLIN};
        int rc = libxl_event_check(ctx, event_r, typemask, pred, pred_user);

        if (rc != ERROR_NOT_READY)
            return rc;
        libxl__ctx_lock(ctx);
        pfd.fd = ctx->watching && may_report(ctx) ? ctx->watch_fd : -1;
        libxl__ctx_unlock(ctx);
        if (pfd.fd < 0) {
            /* Nothing could ever come: waiting would hang. */
            LOG(ERROR, "waiting for an event, but no enabled event "
                       "generator of this context can report one");
            return ERROR_INVAL;
        }
        if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
            LOGE(ERROR, "poll");
            return ERROR_FAIL;
        }
    }
}

/* ---- Poll loops ---- */

XENTOOLS_EXPORT int libxl_osevent_beforepoll(libxl_ctx *ctx, int *nfds_io,
                                             struct pollfd *fds,
                                             int *timeout_upd,
                                             struct timeval now)
{
    int room = *nfds_io, rc = 0;

    (void)timeout_upd, (void)now; /* libxl has no deadlines */
    libxl__ctx_lock(ctx);
    *nfds_io = ctx->watching ? 1 : 0;
    if (ctx->watching) {
        if (room < 1) {
            rc = ERROR_BUFFERFULL;
        } else {
            fds[0].fd = ctx->watch_fd;
            fds[0].events = POLLIN;
            fds[0].revents = 0;
        }
    }
    libxl__ctx_unlock(ctx);
    return rc;
}

XENTOOLS_EXPORT void libxl_osevent_afterpoll(libxl_ctx *ctx, int nfds,
                                             const struct pollfd *fds,
                                             struct timeval now)
{
    (void)now;
    libxl__ctx_lock(ctx);
    for (int i = 0; i < nfds; i++)
        if (ctx->watching && fds[i].fd == ctx->watch_fd && fds[i].revents)
            process_watch(ctx);
    libxl__ctx_unlock(ctx);
}

XENTOOLS_EXPORT void
libxl_osevent_register_hooks(libxl_ctx *ctx, const libxl_osevent_hooks *hooks,
                             void *user)
{
    libxl__ctx_lock(ctx);
    if (ctx->watching)
        LOG(ERROR, "osevent hooks must be registered before any event "
                   "generator is enabled: ignored");
    else {
        ctx->osevent_hooks = hooks;
        ctx->osevent_user = user;
    }
    libxl__ctx_unlock(ctx);
}

XENTOOLS_EXPORT void libxl_osevent_occurred_fd(libxl_ctx *ctx, void *for_libxl,
                                               int fd, short events,
                                               short revents)
{
    (void)events;
    if (for_libxl != ctx || !revents)
        return;
    libxl__ctx_lock(ctx);
    if (ctx->watching && fd == ctx->watch_fd)
        process_watch(ctx);
    libxl__ctx_unlock(ctx);
}

XENTOOLS_EXPORT void libxl_osevent_occurred_timeout(libxl_ctx *ctx,
                                                    void *for_libxl)
{
    /* libxl registers no timeouts, so there is none to act on. */
    (void)ctx, (void)for_libxl;
}
