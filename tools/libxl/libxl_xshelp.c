/*
 * xenstore helpers over the context's handle (ctx->xsh, which the
 * caller has opened with libxl__need_xs).
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "libxl_internal.h"

int libxl__path(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, LIBXL__PATH_MAX, fmt, ap);
    va_end(ap);
    return n < 0 || n >= LIBXL__PATH_MAX ? ERROR_INVAL : 0;
}

char *libxl__xs_read(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    unsigned int len;
    char *v = xs_read(ctx->xsh, t, path, &len);
    char *s;

    if (!v)
        return NULL;
    /* libxenstore terminates values, but a value may hold a NUL. */
    s = strndup(v, len);
    free(v);
    if (!s)
        errno = ENOMEM;
    return s;
}

int libxl__xs_printf(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                     const char *fmt, ...)
{
    char *v;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&v, fmt, ap);
    va_end(ap);
    if (n < 0) {
        LOG(ERROR, "out of memory writing %s", path);
        return ERROR_NOMEM;
    }
    if (!xs_write(ctx->xsh, t, path, v, n)) {
        LOGE(ERROR, "writing %s = %s", path, v);
        free(v);
        return ERROR_FAIL;
    }
    free(v);
    return 0;
}

int libxl__xs_mknod(libxl_ctx *ctx, xs_transaction_t t, const char *path,
                    struct xs_permissions *perms, unsigned int num_perms)
{
    if (!xs_write(ctx->xsh, t, path, "", 0) ||
        !xs_set_permissions(ctx->xsh, t, path, perms, num_perms)) {
        LOGE(ERROR, "creating %s", path);
        return ERROR_FAIL;
    }
    return 0;
}

int libxl__xs_writev(libxl_ctx *ctx, xs_transaction_t t, const char *dir,
                     char *const *kvs)
{
    char path[LIBXL__PATH_MAX];

    for (; kvs && kvs[0]; kvs += 2) {
        const char *v = kvs[1] ? kvs[1] : "";

        if (libxl__path(path, "%s/%s", dir, kvs[0])) {
            LOG(ERROR, "path %s/%s is too long", dir, kvs[0]);
            return ERROR_INVAL;
        }
        if (!xs_write(ctx->xsh, t, path, v, strlen(v))) {
            LOGE(ERROR, "writing %s = %s", path, v);
            return ERROR_FAIL;
        }
    }
    return 0;
}

int libxl__xs_rm(libxl_ctx *ctx, xs_transaction_t t, const char *path)
{
    if (!xs_rm(ctx->xsh, t, path) && errno != ENOENT) {
        LOGE(ERROR, "removing %s", path);
        return ERROR_FAIL;
    }
    return 0;
}

/*
 * End a transaction: 0 when committed (or aborted on request),
 * ERROR_NOT_READY when it must be retried (EAGAIN), else ERROR_FAIL.
 */
static int transaction_end(libxl_ctx *ctx, xs_transaction_t t, bool abort)
{
    if (xs_transaction_end(ctx->xsh, t, abort))
        return 0;
    if (!abort && errno == EAGAIN)
        return ERROR_NOT_READY;
    if (abort)
        return 0;
    LOGE(ERROR, "committing a xenstore transaction");
    return ERROR_FAIL;
}

int libxl__xs_transact(libxl_ctx *ctx, uint32_t domid, libxl__xs_txn_fn *fn,
                       void *arg)
{
    xs_transaction_t t;
    int rc;

    do {
        t = xs_transaction_start(ctx->xsh);
        if (!t) {
            LOGED(ERROR, domid, "starting a xenstore transaction");
            return ERROR_FAIL;
        }
        rc = fn(ctx, domid, t, arg);
        if (rc) {
            transaction_end(ctx, t, true);
            return rc;
        }
        rc = transaction_end(ctx, t, false);
    } while (rc == ERROR_NOT_READY);
    return rc;
}
