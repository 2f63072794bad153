/*
 * xengnttab.h - map pages that other domains grant, into this process.
 *
 * A handle maps grant references (a domain id and a ref) and copies to
 * and from granted pages. Functions returning int give -1 with errno set
 * on failure; those returning pointers give NULL with errno set.
 *
 * The xengntshr_* half (granting this process's pages to domains) is not
 * provided on Xenon: xengntshr_open fails with ENOSYS.
 */
#ifndef XENGNTTAB_H
#define XENGNTTAB_H

#include <stdint.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>

/* Logging is not used by this library; NULL is fine. */
struct xentoollog_logger;

typedef struct xengntdev_handle xengnttab_handle;

/*
 * Open a handle. A process that forks may only close the handle in the
 * child; the parent's mappings stay untouched.
 */
xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
                                 unsigned open_flags);

/* Close the handle (NULL is fine), unmapping everything it mapped. */
int xengnttab_close(xengnttab_handle *xgt);

/* The handle's file descriptor; nothing is ever readable on it. */
int xengnttab_fd(xengnttab_handle *xgt);

/*
 * Map one granted page of @domid. @prot is PROT_READ, or
 * PROT_READ | PROT_WRITE for a writable grant.
 */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
                              uint32_t ref, int prot);

/* Map @count grants, ref i of domain domids[i], contiguously. */
void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
                               uint32_t *domids, uint32_t *refs, int prot);

/* Map @count grants of one domain contiguously. */
void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
                                      uint32_t domid, uint32_t *refs, int prot);

/*
 * Map one grant and arrange that unmapping it clears the byte at
 * @notify_offset (a writable mapping; -1 for none). Xenon cannot yet
 * send an event on unmap: a @notify_port other than -1 fails with
 * EOPNOTSUPP. The byte is cleared by xengnttab_unmap and
 * xengnttab_close, not when the process dies.
 */
void *xengnttab_map_grant_ref_notify(xengnttab_handle *xgt, uint32_t domid,
                                     uint32_t ref, int prot,
                                     uint32_t notify_offset,
                                     evtchn_port_t notify_port);

/*
 * Unmap a whole mapping: @start_address and @count exactly as one of the
 * map calls returned and was given (else EINVAL).
 */
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count);

/*
 * Limit how many grants the handle may map at once. Call it first,
 * before mapping anything.
 */
int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants);

/*
 * A grant copy: each side is a grant (with the GNTCOPY_source_gref or
 * GNTCOPY_dest_gref flag) or a pointer into this process. A grant side
 * must not cross the end of its page (offset + len <= 4096); at least
 * one side must be a grant. status receives a GNTST_* code.
 */
struct xengnttab_grant_copy_segment {
    union xengnttab_copy_ptr {
        void *virt;
        struct {
            uint32_t ref;
            uint16_t offset;
            uint16_t domid;
        } foreign;
    } source, dest;
    uint16_t len;
    uint16_t flags; /* GNTCOPY_* */
    int16_t status; /* OUT: GNTST_* */
};
typedef struct xengnttab_grant_copy_segment xengnttab_grant_copy_segment_t;

/*
 * Copy @count segments. Returns 0 once each segment has its status, or
 * -1 with errno (EINVAL for a malformed segment, before any copying).
 * count == 0 succeeds: callers use it to probe for support.
 */
int xengnttab_grant_copy(xengnttab_handle *xgt, uint32_t count,
                         xengnttab_grant_copy_segment_t *segs);

/* dma-buf sharing of grants: not supported (EOPNOTSUPP). */
#define GNTDEV_DMA_FLAG_WC (1 << 0)
#define GNTDEV_DMA_FLAG_COHERENT (1 << 1)

int xengnttab_dmabuf_exp_from_refs(xengnttab_handle *xgt, uint32_t domid,
                                   uint32_t flags, uint32_t count,
                                   const uint32_t *refs, uint32_t *fd);
int xengnttab_dmabuf_exp_wait_released(xengnttab_handle *xgt, uint32_t fd,
                                       uint32_t wait_to_ms);
int xengnttab_dmabuf_imp_to_refs(xengnttab_handle *xgt, uint32_t domid,
                                 uint32_t fd, uint32_t count, uint32_t *refs);
int xengnttab_dmabuf_imp_release(xengnttab_handle *xgt, uint32_t fd);

/* Granting pages: not supported (ENOSYS), kept for binary callers. */
typedef struct xengntdev_handle xengntshr_handle;

xengntshr_handle *xengntshr_open(struct xentoollog_logger *logger,
                                 unsigned open_flags);
int xengntshr_close(xengntshr_handle *xgs);
int xengntshr_fd(xengntshr_handle *xgs);
void *xengntshr_share_pages(xengntshr_handle *xgs, uint32_t domid, int count,
                            uint32_t *refs, int writable);
void *xengntshr_share_page_notify(xengntshr_handle *xgs, uint32_t domid,
                                  uint32_t *ref, int writable,
                                  uint32_t notify_offset,
                                  evtchn_port_t notify_port);
int xengntshr_unshare(xengntshr_handle *xgs, void *start_address,
                      uint32_t count);

#endif
