/*
 * libxl_internal.h - what libxenlight's source files share (not
 * installed). Internal names have the libxl__ prefix and hidden
 * visibility; exported functions are marked XENTOOLS_EXPORT.
 */
#ifndef LIBXL_INTERNAL_H
#define LIBXL_INTERNAL_H

/* Inside libxl the old-API macros must not rename our definitions. */
#define LIBXL_EXTERNAL_CALLERS_ONLY

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <xenctrl.h>
#include <xenstore.h>

#include "export.h"
#include "libxl.h"
#include "libxl_utils.h"

/* Xen's constants. */
#define LIBXL_MAXMEM_CONSTANT 1024 /* KiB over max_memkb for the hypervisor */
#define LIBXL_XENCONSOLE_LIMIT_STR "1048576"
#define LIBXL_XENCONSOLE_PROTOCOL "vt100"
#define LIBXL_DEFAULT_EVENT_CHANNELS 1023
#define LIBXL_DEFAULT_MEMKB (32 * 1024)
#define LIBXL_JSON_USERDATA "libxl-json"
#define LIBXL_XEN_LIB_DIR "/var/lib/xen"
#define LIBXL_XEN_LOG_DIR "/var/log/xen"
#ifndef LIBXL_XENCONSOLE_DEFAULT
#define LIBXL_XENCONSOLE_DEFAULT "/usr/lib/xen/bin/xenconsole"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE_TO_MEMKB(pages) ((uint64_t)(pages) * (XC_PAGE_SIZE / 1024))

/* Room for any xenstore path libxl builds ("/local/domain/N/..."). */
#define LIBXL__PATH_MAX 256

/* ---- The context ---- */

struct libxl__evgen_domain_death;

struct libxl__ctx {
    xentoollog_logger *lg;
    xentoollog_logger *own_lg; /* made by ctx_alloc when given none */
    libxl_ctx *next;           /* in the list of live contexts */
    /* Recursive: event callbacks may call back into libxl. */
    pthread_mutex_t lock;

    /* Opened on first use (libxl__need_xc / libxl__need_xs). */
    xc_interface *xch;
    struct xs_handle *xsh;

    libxl_version_info version_info;
    bool have_version_info;

    /* Events that have happened, oldest first, for event_check/wait. */
    libxl_event *events_head, **events_tail;
    const libxl_event_hooks *event_hooks;
    void *event_hooks_user;

    /* Domain death generators, and the @releaseDomain watch behind them. */
    struct libxl__evgen_domain_death *deaths;
    bool watching;
    bool xs_lost; /* the xenstore connection died (logged once) */
    int watch_fd;

    /* The application's event loop hooks, if it registered them. */
    const libxl_osevent_hooks *osevent_hooks;
    void *osevent_user;
    void *osevent_fd_reg; /* the application's registration of watch_fd */
    bool osevent_fd_registered;
};

/*
 * Connect to the hypervisor / xenstored if not yet done: 0, or
 * ERROR_FAIL with a message saying which is not running and where it
 * was looked for.
 */
int libxl__need_xc(libxl_ctx *ctx);
int libxl__need_xs(libxl_ctx *ctx);
/* The host's xc_physinfo, connecting first: 0 or ERROR_FAIL (logged). */
int libxl__physinfo(libxl_ctx *ctx, xc_physinfo_t *info);

/* ---- Logging ---- */

/*
 * "file:line:function: [Domain N:]message" through the context's
 * logger, with @errnoval's text when it is >= 0.
 */
void libxl__log(libxl_ctx *ctx, xentoollog_level level, int errnoval,
                const char *file, int line, const char *func, uint32_t domid,
                const char *fmt, ...) __attribute__((format(printf, 8, 9)));

#define LIBXL__LOG(ctx, l, e, d, ...)                                          \
    libxl__log((ctx), XTL_##l, (e), __FILE__, __LINE__, __func__, (d),         \
               __VA_ARGS__)
/* Every user of these has its libxl_ctx in a variable named ctx. */
#define LOG(l, ...) LIBXL__LOG(ctx, l, -1, INVALID_DOMID, __VA_ARGS__)
#define LOGD(l, d, ...) LIBXL__LOG(ctx, l, -1, (d), __VA_ARGS__)
#define LOGE(l, ...) LIBXL__LOG(ctx, l, errno, INVALID_DOMID, __VA_ARGS__)
#define LOGED(l, d, ...) LIBXL__LOG(ctx, l, errno, (d), __VA_ARGS__)
#define LOGEV(l, e, ...) LIBXL__LOG(ctx, l, (e), INVALID_DOMID, __VA_ARGS__)
#define LOGEVD(l, e, d, ...) LIBXL__LOG(ctx, l, (e), (d), __VA_ARGS__)

/* ---- xenstore (libxl_xshelp.c) ---- */

/* snprintf into a LIBXL__PATH_MAX buffer: 0, or ERROR_INVAL if too long. */
int libxl__path(char *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The value at @path, malloc'd and NUL-terminated; NULL with errno. */
char *libxl__xs_read(libxl_ctx *ctx, xs_transaction_t t, const char *path);
/* Write a formatted value: 0 or ERROR_FAIL (logged). */
int libxl__xs_printf(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* An empty node with @perms: 0 or ERROR_FAIL (logged). */
int libxl__xs_mknod(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                    struct xs_permissions *perms, unsigned int num_perms);
/* Write @kvs (key, value, ..., NULL; keys relative to @dir). */
int libxl__xs_writev(libxl_ctx *ctx, xs_transaction_t t, const char *dir,
                     char *const *kvs);
/* Remove @path and below; a missing node is not an error. */
int libxl__xs_rm(libxl_ctx *ctx, xs_transaction_t t, const char *path);
/* One try of a transaction's body: 0 to commit, else an error to abort. */
typedef int libxl__xs_txn_fn(libxl_ctx *ctx, uint32_t domid,
                             xs_transaction_t t, void *arg);
/*
 * Run @fn in a transaction of its own, from the start again while
 * xenstored reports a conflict: @fn's error, or the commit's result.
 */
int libxl__xs_transact(libxl_ctx *ctx, uint32_t domid, libxl__xs_txn_fn *fn,
                       void *arg);

/* ---- Domains (libxl_domain.c) ---- */

/* 0, ERROR_DOMAIN_NOTFOUND, or ERROR_FAIL (logged). Needs ctx->xch. */
int libxl__domain_getinfo(libxl_ctx *ctx, uint32_t domid,
                          xc_domaininfo_t *info);
/*
 * Rename @domid to @new_name in transaction @t (or its own if
 * XBT_NULL): ERROR_INVAL if another domain has the name or @old_name
 * (when given) is not the current one.
 */
int libxl__domain_rename(libxl_ctx *ctx, uint32_t domid, const char *old_name,
                         const char *new_name, xs_transaction_t t);
/* cpu/N/availability of vCPUs 0 to @max - 1: "online" where set in @map. */
int libxl__vcpus_set_availability(libxl_ctx *ctx, uint32_t domid,
                                  xs_transaction_t t, const libxl_bitmap *map,
                                  unsigned int max);
/* /vm/UUID of a domain (malloc'd) from /local/domain/N/vm; NULL if none. */
char *libxl__vm_path(libxl_ctx *ctx, xs_transaction_t t, uint32_t domid);
/*
 * Release every resource of @domid the toolstack holds: the domain
 * itself (if it still exists), its xenstore trees and userdata.
 */
int libxl__destroy_domain(libxl_ctx *ctx, uint32_t domid);
/* Fill @config's unset fields as domain creation would. */
int libxl__domain_config_setdefault(libxl_ctx *ctx, libxl_domain_config *config,
                                    uint32_t domid);

/* ---- Userdata (libxl_utils.c) ---- */

/* Remove every userdata file of @domid (any uuid, any userid). */
void libxl__userdata_destroyall(libxl_ctx *ctx, uint32_t domid);
/* $XEN_LIB_DIR or the default. */
const char *libxl__xen_lib_dir(void);

/* ---- Events (libxl_event.c) ---- */

/* A new event of @type about @domid, zeroed but for the header. */
libxl_event *libxl__event_new(libxl_ctx *ctx, libxl_event_type type,
                              uint32_t domid, libxl_ev_user for_user);
/* Queue @ev for event_check/wait, or give it to the hooks. */
void libxl__event_occurred(libxl_ctx *ctx, libxl_event *ev);
/*
 * Report an operation's result as @ao_how asks: NULL returns @rc;
 * otherwise the callback runs (or an OPERATION_COMPLETE event is
 * queued) and 0 is returned.
 */
int libxl__ao_complete(libxl_ctx *ctx, const libxl_asyncop_how *ao_how,
                       uint32_t domid, int rc);
/* Report progress @ev as @how asks (NULL: dropped). */
void libxl__aop_occurred(libxl_ctx *ctx, const libxl_asyncprogress_how *how,
                         libxl_event *ev);
/* Forget every generator and queued event (context teardown). */
void libxl__events_dispose(libxl_ctx *ctx);

/* ---- Locking ---- */

static inline void libxl__ctx_lock(libxl_ctx *ctx)
{
    pthread_mutex_lock(&ctx->lock);
}

static inline void libxl__ctx_unlock(libxl_ctx *ctx)
{
    pthread_mutex_unlock(&ctx->lock);
}

#endif /* LIBXL_INTERNAL_H */
