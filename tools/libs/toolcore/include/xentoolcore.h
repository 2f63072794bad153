/*
 * xentoolcore.h - what every Xen tools library shares.
 *
 * Each library (libxencall, libxenevtchn, libxengnttab,
 * libxenforeignmemory, ...) registers its open handles here, so that one
 * call can restrict all of them at once: a device model does this before
 * dropping its privileges.
 */
#ifndef XENTOOLCORE_H
#define XENTOOLCORE_H

#include <stdint.h>
#include <xen/xen.h>

/*
 * Restrict every Xen library handle this process holds now, so that it
 * can no longer affect any domain but @domid. On Xenon every privcmd
 * connection behind those handles is restricted by the hypervisor core,
 * irreversibly: any later operation naming another domain fails with
 * EPERM. Handles opened afterwards are not restricted.
 *
 * Returns 0, or -1 with errno set if some handle could not be
 * restricted (for example, because it was already restricted to another
 * domain). Calling it again with the same domid succeeds.
 *
 * Thread safe. A handle being closed by another thread while this runs is
 * either restricted or gone once both calls have returned.
 */
int xentoolcore_restrict_all(domid_t domid);

#endif /* XENTOOLCORE_H */
