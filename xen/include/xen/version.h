/* The Xen release this core reports to guests and tools. */
#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#define XEN_VERSION 4
#define XEN_SUBVERSION 12
#define XEN_EXTRAVERSION ".0-xenon"

#endif
