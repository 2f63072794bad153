/* SPDX-License-Identifier: MIT */
/*
 * Interface version selection for the Xenon public headers.
 *
 * __XEN_LATEST_INTERFACE_VERSION__ is the Xen release whose guest ABI these
 * headers describe (4.14 encoding 0x00040e00, the value Xen 4.17 ships).
 * A consumer may define __XEN_INTERFACE_VERSION__ before including any
 * public header; if it does not, the latest version is used.  These headers
 * never change a layout based on the version: see the rule in xen.h.
 */
#ifndef __XEN_PUBLIC_XEN_COMPAT_H__
#define __XEN_PUBLIC_XEN_COMPAT_H__

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#endif

#if __XEN_INTERFACE_VERSION__ > __XEN_LATEST_INTERFACE_VERSION__
#error "__XEN_INTERFACE_VERSION__ is newer than these headers support"
#endif

#endif /* __XEN_PUBLIC_XEN_COMPAT_H__ */
