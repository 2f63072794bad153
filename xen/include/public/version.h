/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_xen_version(cmd, arg): version and build information.
 */
#ifndef __XEN_PUBLIC_VERSION_H__
#define __XEN_PUBLIC_VERSION_H__

#include "xen.h"

/* arg == NULL; returns (major << 16) | minor. */
#define XENVER_version      0

/* arg == xen_extraversion_t. */
#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* arg == xen_compile_info_t. */
#define XENVER_compile_info 2
struct xen_compile_info {
    char compiler[64];          /* OUT */
    char compile_by[16];        /* OUT */
    char compile_domain[32];    /* OUT */
    char compile_date[32];      /* OUT */
};
typedef struct xen_compile_info xen_compile_info_t;

/* arg == xen_capabilities_info_t, e.g. "xen-3.0-x86_64 hvm-3.0-x86_64". */
#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* arg == xen_changeset_info_t. */
#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* arg == xen_platform_parameters_t. */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
    xen_ulong_t virt_start;     /* OUT: start of the hypervisor hole (PV) */
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/* arg == xen_feature_info_t; see features.h. */
#define XENVER_get_features 6
struct xen_feature_info {
    unsigned int submap_idx;    /* IN: which 32-bit word of features */
    uint32_t     submap;        /* OUT: that word, bits = XENFEAT_* */
};
typedef struct xen_feature_info xen_feature_info_t;

/* arg == NULL; returns the page size in bytes. */
#define XENVER_pagesize 7

/* arg == xen_domain_handle_t; the domain's UUID. */
#define XENVER_guest_handle 8

/* arg == xen_commandline_t; the hypervisor command line. */
#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

/* arg == xen_build_id_t; returns the id length or -errno. */
#define XENVER_build_id 10
struct xen_build_id {
    uint32_t      len;                      /* IN: size of buf */
    unsigned char buf[XEN_FLEX_ARRAY_DIM];  /* OUT: build id bytes */
};
typedef struct xen_build_id xen_build_id_t;

#endif /* __XEN_PUBLIC_VERSION_H__ */
