/*
 * libxl_event.h - libxenlight's events (included by libxl.h).
 *
 * libxl reports what happens to domains as libxl_event objects: a
 * program enables a generator (libxl_evenable_domain_death), then takes
 * the events with libxl_event_wait / libxl_event_check, or has them
 * delivered to callbacks (libxl_event_register_callbacks).
 *
 * libxl watches xenstore (@releaseDomain) for them. A program with its
 * own poll loop either asks for libxl's file descriptors around each
 * poll (libxl_osevent_beforepoll / afterpoll) or registers hooks that
 * libxl calls when its descriptors change (libxl_osevent_register_hooks)
 * and reports activity with libxl_osevent_occurred_fd.
 */
#ifndef LIBXL_EVENT_H
#define LIBXL_EVENT_H

#include <libxl.h>
#include <poll.h>
#include <sys/time.h>

/* ---- Taking events ---- */

#define LIBXL_EVENTMASK_ALL (~(unsigned long)0)

/* Whether the application wants @event (must not fail). */
typedef int libxl_event_predicate(const libxl_event *, void *user);

/*
 * An event that has happened, of a type in @typemask (bit 1 << type)
 * and accepted by @predicate (NULL: any), in *@event_r: free it with
 * libxl_event_free. ERROR_NOT_READY if there is none.
 */
int libxl_event_check(libxl_ctx *ctx, libxl_event **event_r, uint64_t typemask,
                      libxl_event_predicate *predicate,
                      void *predicate_user) LIBXL_EXTERNAL_CALLERS_ONLY;

/* The same, blocking until there is one. */
int libxl_event_wait(libxl_ctx *ctx, libxl_event **event_r, uint64_t typemask,
                     libxl_event_predicate *predicate,
                     void *predicate_user) LIBXL_EXTERNAL_CALLERS_ONLY;

void libxl_event_free(libxl_ctx *ctx, libxl_event *event);

typedef struct libxl_event_hooks {
    uint64_t event_occurs_mask;
    /* Gets the events of the types in the mask; owns (frees) them. */
    void (*event_occurs)(void *user,
#ifndef LIBXL_HAVE_NONCONST_EVENT_OCCURS_EVENT_ARG
                         const
#endif
                         libxl_event *event);
    /*
     * Events of @type (0: any) may have been lost (out of memory, a
     * broken xenstored). May be NULL: then such a failure is logged at
     * XTL_CRITICAL and the events stay lost. libxl must not be called
     * from here.
     */
    void (*disaster)(void *user, libxl_event_type type, const char *msg,
                     int errnoval);
} libxl_event_hooks;

/*
 * From now on, events of the types in hooks->event_occurs_mask go to
 * hooks->event_occurs instead of the queue. @hooks must stay valid.
 */
void libxl_event_register_callbacks(libxl_ctx *ctx,
                                    const libxl_event_hooks *hooks, void *user);

/* ---- Event generators ---- */

typedef struct libxl__evgen_domain_death libxl_evgen_domain_death;

/*
 * Generate a DOMAIN_SHUTDOWN event (with the reason) when @domid shuts
 * down and a DOMAIN_DEATH event when it is gone (a domain destroyed
 * without shutting down gives only DEATH), each once, with @user in
 * the event's for_user. A domain that does not exist gives DEATH at
 * once.
 */
int libxl_evenable_domain_death(libxl_ctx *ctx, uint32_t domid, libxl_ev_user,
                                libxl_evgen_domain_death **evgen_out);
/* Stop it (events already queued stay); NULL is fine. */
void libxl_evdisable_domain_death(libxl_ctx *ctx, libxl_evgen_domain_death *);

/* ---- Integrating with a poll loop, on request ---- */

struct pollfd;

/*
 * Add libxl's descriptors to @fds (room for *@nfds_io entries; on
 * return *@nfds_io is how many libxl needs: ERROR_BUFFERFULL if that is
 * more than there was room for) and lower *@timeout_upd (ms, -1: none)
 * to libxl's next deadline.
 */
int libxl_osevent_beforepoll(libxl_ctx *ctx, int *nfds_io, struct pollfd *fds,
                             int *timeout_upd,
                             struct timeval now) LIBXL_EXTERNAL_CALLERS_ONLY;

/* After poll: let libxl handle what is ready among @fds. */
void libxl_osevent_afterpoll(libxl_ctx *ctx, int nfds, const struct pollfd *fds,
                             struct timeval now) LIBXL_EXTERNAL_CALLERS_ONLY;

/* ---- Integrating with an event loop, by hooks ---- */

typedef struct libxl_osevent_hooks {
    /* Watch @fd for @events; keep what identifies it in *..._out. */
    int (*fd_register)(void *user, int fd, void **for_app_registration_out,
                       short events, void *for_libxl);
    int (*fd_modify)(void *user, int fd, void **for_app_registration_update,
                     short events);
    void (*fd_deregister)(void *user, int fd, void *for_app_registration);
    /* Call libxl_osevent_occurred_timeout at @abs. */
    int (*timeout_register)(void *user, void **for_app_registration_out,
                            struct timeval abs, void *for_libxl);
    int (*timeout_modify)(void *user, void **for_app_registration_update,
                          struct timeval abs);
    void (*timeout_deregister)(void *user, void *for_app_registration);
} libxl_osevent_hooks;

/*
 * Use @hooks from now on (before any event generator is enabled):
 * libxl registers each descriptor it needs and the application calls
 * libxl_osevent_occurred_fd when one is ready.
 */
void libxl_osevent_register_hooks(libxl_ctx *ctx,
                                  const libxl_osevent_hooks *hooks, void *user);

void libxl_osevent_occurred_fd(libxl_ctx *ctx, void *for_libxl, int fd,
                               short events,
                               short revents) LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_osevent_occurred_timeout(libxl_ctx *ctx, void *for_libxl)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/* ---- Child processes ---- */

/*
 * Who reaps children (SIGCHLD). libxl on Xenon starts no child
 * processes of its own (the console client replaces the caller by
 * exec), so it never reaps: the modes are accepted for compatibility
 * and libxl_childproc_reaped always answers ERROR_UNKNOWN_CHILD.
 */
typedef enum {
    libxl_sigchld_owner_libxl,
    libxl_sigchld_owner_mainloop,
    libxl_sigchld_owner_libxl_always,
    libxl_sigchld_owner_libxl_always_selective_reap,
} libxl_sigchld_owner;

typedef struct {
    libxl_sigchld_owner chldowner;
    pid_t (*fork_replacement)(void *user);
    int (*reaped_callback)(pid_t, int status, void *user);
} libxl_childproc_hooks;

void libxl_childproc_setmode(libxl_ctx *ctx, const libxl_childproc_hooks *hooks,
                             void *user);
int libxl_childproc_reaped(libxl_ctx *ctx, pid_t,
                           int status) LIBXL_EXTERNAL_CALLERS_ONLY;
void libxl_childproc_sigchld_occurred(libxl_ctx *ctx)
    LIBXL_EXTERNAL_CALLERS_ONLY;

/*
 * In a child after fork() that will go on using libxl without exec:
 * call this first. Every existing context becomes invalid (not to be
 * used, not even freed); the child makes a new one. The connections
 * are dropped without disturbing the parent's.
 */
void libxl_postfork_child_noexec(libxl_ctx *ctx);

#endif /* LIBXL_EVENT_H */
