/*
 * xentoolcore_internal.h - how the Xen tools libraries register their
 * handles with libxentoolcore. Not for applications.
 *
 * A library embeds a struct xentoolcore__active_handle in each open
 * handle, sets restrict_callback, registers it once the handle works and
 * deregisters it before tearing the handle down. xentoolcore_restrict_all
 * calls every registered callback, under a lock that registration and
 * deregistration also take, so a callback never sees a closed handle.
 *
 * The layout (a callback pointer followed by two list links that
 * libxentoolcore owns) matches Xen's, so libraries built against Xen's
 * libxentoolcore register correctly with this one too.
 */
#ifndef XENTOOLCORE_INTERNAL_H
#define XENTOOLCORE_INTERNAL_H

#include <stddef.h>

#include "xentoolcore.h"

typedef struct xentoolcore__active_handle xentoolcore__active_handle;

/* Restrict the handle to @domid: 0, or -1 with errno set. */
typedef int xentoolcore__restrict_callback(xentoolcore__active_handle *ah,
                                           domid_t domid);

struct xentoolcore__active_handle {
    xentoolcore__restrict_callback *restrict_callback;
    /* Owned by libxentoolcore while registered. */
    xentoolcore__active_handle *next;
    xentoolcore__active_handle **pprev;
};

void xentoolcore__register_active_handle(xentoolcore__active_handle *ah);
void xentoolcore__deregister_active_handle(xentoolcore__active_handle *ah);

/*
 * Make @fd useless by putting /dev/null in its place (the fd number stays
 * valid, so the owner may still close it). For handles that must not
 * survive a restriction at all. 0, or -1 with errno set.
 */
int xentoolcore__restrict_by_dup2_null(int fd);

/* The structure that contains the member @ptr points to. */
#define XENTOOLCORE__CONTAINER_OF(ptr, type, member)                           \
    ((type *)((char *)(ptr)-offsetof(type, member)))

#endif /* XENTOOLCORE_INTERNAL_H */
