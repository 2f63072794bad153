/*
 * The parts of libxengnttab that Xenon does not provide: granting this
 * process's pages (xengntshr_*) and dma-buf export/import. They exist
 * so that binaries linked against Xen's library load, and fail cleanly.
 */
#include <errno.h>
#include <stddef.h>

#include "export.h"
#include "xengnttab.h"

XENTOOLS_EXPORT
xengntshr_handle *xengntshr_open(struct xentoollog_logger *logger,
                                 unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    errno = ENOSYS;
    return NULL;
}

XENTOOLS_EXPORT
int xengntshr_close(xengntshr_handle *xgs)
{
    (void)xgs;
    return 0;
}

XENTOOLS_EXPORT
int xengntshr_fd(xengntshr_handle *xgs)
{
    (void)xgs;
    errno = EBADF;
    return -1;
}

XENTOOLS_EXPORT
void *xengntshr_share_pages(xengntshr_handle *xgs, uint32_t domid, int count,
                            uint32_t *refs, int writable)
{
    (void)xgs, (void)domid, (void)count, (void)refs, (void)writable;
    errno = ENOSYS;
    return NULL;
}

XENTOOLS_EXPORT
void *xengntshr_share_page_notify(xengntshr_handle *xgs, uint32_t domid,
                                  uint32_t *ref, int writable,
                                  uint32_t notify_offset,
                                  evtchn_port_t notify_port)
{
    (void)xgs, (void)domid, (void)ref, (void)writable;
    (void)notify_offset, (void)notify_port;
    errno = ENOSYS;
    return NULL;
}

XENTOOLS_EXPORT
int xengntshr_unshare(xengntshr_handle *xgs, void *start_address,
                      uint32_t count)
{
    (void)xgs, (void)start_address, (void)count;
    errno = ENOSYS;
    return -1;
}

XENTOOLS_EXPORT
int xengnttab_dmabuf_exp_from_refs(xengnttab_handle *xgt, uint32_t domid,
                                   uint32_t flags, uint32_t count,
                                   const uint32_t *refs, uint32_t *fd)
{
    (void)xgt, (void)domid, (void)flags, (void)count, (void)refs, (void)fd;
    errno = EOPNOTSUPP;
    return -1;
}

XENTOOLS_EXPORT
int xengnttab_dmabuf_exp_wait_released(xengnttab_handle *xgt, uint32_t fd,
                                       uint32_t wait_to_ms)
{
    (void)xgt, (void)fd, (void)wait_to_ms;
    errno = EOPNOTSUPP;
    return -1;
}

XENTOOLS_EXPORT
int xengnttab_dmabuf_imp_to_refs(xengnttab_handle *xgt, uint32_t domid,
                                 uint32_t fd, uint32_t count, uint32_t *refs)
{
    (void)xgt, (void)domid, (void)fd, (void)count, (void)refs;
    errno = EOPNOTSUPP;
    return -1;
}

XENTOOLS_EXPORT
int xengnttab_dmabuf_imp_release(xengnttab_handle *xgt, uint32_t fd)
{
    (void)xgt, (void)fd;
    errno = EOPNOTSUPP;
    return -1;
}
