/*
 * xenstore.h - client library of the xenstore protocol (libxenstore.so.4,
 * symbol version VERS_4.0). Function names, arguments and behaviour are
 * Xen's, so programs written for Xen's libxenstore build unchanged.
 *
 * A handle is one connection to xenstored: its Unix socket
 * ($XENSTORED_PATH, else $XENSTORED_RUNDIR/socket, else
 * /var/run/xenstored/socket) or, failing that, the xenbus device.
 * Handles are thread-safe: requests from several threads are serialised,
 * and watch events are queued while another thread waits for a reply.
 *
 * Functions returning pointers give NULL, and bool functions false, with
 * errno set on failure. Returned memory is one malloc'd block: free() it.
 */
#ifndef XENSTORE_H
#define XENSTORE_H

#include <xenstore_lib.h>

#define XBT_NULL 0

/* Accepted for compatibility and ignored, as in Xen. */
#define XS_OPEN_READONLY (1UL << 0)
#define XS_OPEN_SOCKETONLY (1UL << 1)

/*
 * After xs_unwatch returns, drop queued and future events of that watch
 * (matched by token and by path being the watched path or below it).
 */
#define XS_UNWATCH_FILTER (1UL << 2)

struct xs_handle;
typedef uint32_t xs_transaction_t;

/* Connect to xenstored; flags: XS_UNWATCH_FILTER. */
struct xs_handle *xs_open(unsigned long flags);
/* Close the connection (NULL is fine). */
void xs_close(struct xs_handle *xsh);

/* Old names for xs_open(0) and xs_close. */
struct xs_handle *xs_daemon_open(void);
struct xs_handle *xs_domain_open(void);
struct xs_handle *xs_daemon_open_readonly(void);
void xs_daemon_close(struct xs_handle *);

/* In a child after fork(): drop the handle without touching the daemon. */
void xs_daemon_destroy_postfork(struct xs_handle *);

/*
 * The children of path: an array of *num strings in one allocation.
 * Listings over one message are fetched in parts transparently.
 */
char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
                    unsigned int *num);

/* The value of path, NUL-terminated; *len (if not NULL) excludes the NUL. */
void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path,
              unsigned int *len);

/* Set path's value, creating it and missing parents. */
bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
              const void *data, unsigned int len);

/* Create path (no error if it exists). */
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);

/* Remove path and everything below it. */
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);

/* Always false: XS_RESTRICT is gone from the protocol. */
bool xs_restrict(struct xs_handle *h, unsigned domid);

/* path's permission list (*num entries; the first is the owner's). */
struct xs_permissions *xs_get_permissions(struct xs_handle *h,
                                          xs_transaction_t t, const char *path,
                                          unsigned int *num);

/* Replace path's permission list; only its owner or a privileged domain. */
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t,
                        const char *path, struct xs_permissions *perms,
                        unsigned int num_perms);

/*
 * Watch path and everything below it. One event fires at once; then one
 * per change. Events carry the changed path and the token.
 */
bool xs_watch(struct xs_handle *h, const char *path, const char *token);

/* An fd that is readable while watch events are queued. */
int xs_fileno(struct xs_handle *h);

/*
 * The next queued event without waiting: ret[XS_WATCH_PATH] and
 * ret[XS_WATCH_TOKEN]; NULL with errno EAGAIN when there is none.
 */
char **xs_check_watch(struct xs_handle *h);

/* The next event, waiting for one; *num is set to 2. */
char **xs_read_watch(struct xs_handle *h, unsigned int *num);

/* Remove a watch. */
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);

/* Start a transaction; 0 (XBT_NULL) on failure. */
xs_transaction_t xs_transaction_start(struct xs_handle *h);

/*
 * Commit (abort = false) or discard a transaction. Fails with EAGAIN if
 * anything it read or wrote changed meanwhile: run it again.
 */
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

/* Toolstack: tell xenstored about a domain's ring page and event channel. */
bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
                         unsigned long mfn, unsigned int eventchn);

/* Let domain domid act with domain target's rights on its nodes. */
bool xs_set_target(struct xs_handle *h, unsigned int domid,
                   unsigned int target);

/* Clear the domain's shutdown state in xenstored. */
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);

/* Forget a domain: close its connection, fire @releaseDomain. */
bool xs_release_domain(struct xs_handle *h, unsigned int domid);

/* "/local/domain/<domid>" (malloc'd). */
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);

/* Is child equal to parent or below it? (String comparison only.) */
bool xs_path_is_subpath(const char *parent, const char *child);

/* Has domid been introduced? */
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);

/* Send a XS_CONTROL command; returns the daemon's answer (malloc'd). */
char *xs_control_command(struct xs_handle *h, const char *cmd, void *data,
                         unsigned int len);
/* Old name of xs_control_command. */
char *xs_debug_command(struct xs_handle *h, const char *cmd, void *data,
                       unsigned int len);

/*
 * The event channel of a domain's suspend protocol, from
 * /local/domain/<domid>/device/suspend/event-channel; -1 if none.
 */
int xs_suspend_evtchn_port(int domid);

#endif /* XENSTORE_H */
