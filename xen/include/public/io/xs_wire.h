/* SPDX-License-Identifier: MIT */
/*
 * Xenstore wire protocol: message header, message types and the shared
 * ring page used by guests.  All integers are little-endian u32.
 */
#ifndef __XEN_PUBLIC_IO_XS_WIRE_H__
#define __XEN_PUBLIC_IO_XS_WIRE_H__

#include <stdint.h>

enum xsd_sockmsg_type
{
    XS_CONTROL,                 /*  0 */
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY,               /*  1 */
    XS_READ,                    /*  2 */
    XS_GET_PERMS,               /*  3 */
    XS_WATCH,                   /*  4 */
    XS_UNWATCH,                 /*  5 */
    XS_TRANSACTION_START,       /*  6 */
    XS_TRANSACTION_END,         /*  7 */
    XS_INTRODUCE,               /*  8 */
    XS_RELEASE,                 /*  9 */
    XS_GET_DOMAIN_PATH,         /* 10 */
    XS_WRITE,                   /* 11 */
    XS_MKDIR,                   /* 12 */
    XS_RM,                      /* 13 */
    XS_SET_PERMS,               /* 14 */
    XS_WATCH_EVENT,             /* 15 */
    XS_ERROR,                   /* 16 */
    XS_IS_DOMAIN_INTRODUCED,    /* 17 */
    XS_RESUME,                  /* 18 */
    XS_SET_TARGET,              /* 19 */
    /* 20 was XS_RESTRICT, removed; never reuse */
    XS_RESET_WATCHES = XS_SET_TARGET + 2, /* 21 */
    XS_DIRECTORY_PART,          /* 22 */

    XS_TYPE_COUNT,              /* number of valid types (23) */

    XS_INVALID = 0xffff         /* never a valid type */
};

/* Legacy write-mode strings. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * Errors are sent as XS_ERROR with the errno name as payload ("ENOENT\0").
 * The conventional table order is EINVAL, EACCES, EEXIST, EISDIR, ENOENT,
 * ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN,
 * E2BIG, EPERM.  (The table itself is not provided here.)
 */
struct xsd_errors
{
    int errnum;
    const char *errstring;
};

/* Message header; len bytes of payload follow. */
struct xsd_sockmsg
{
    uint32_t type;              /* xsd_sockmsg_type */
    uint32_t req_id;            /* request id, echoed in the reply */
    uint32_t tx_id;             /* transaction id, 0 = none */
    uint32_t len;               /* payload bytes */
};

/* XS_WATCH_EVENT payload: "path\0token\0". */
enum xs_watch_type
{
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

/* Shared ring page between a guest and xenstored. */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];   /* guest -> xenstored */
    char rsp[XENSTORE_RING_SIZE];   /* xenstored -> guest */
    XENSTORE_RING_IDX req_cons;     /* xenstored advances */
    XENSTORE_RING_IDX req_prod;     /* guest advances */
    XENSTORE_RING_IDX rsp_cons;     /* guest advances */
    XENSTORE_RING_IDX rsp_prod;     /* xenstored advances */
    uint32_t server_features;       /* xenstored sets: XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;            /* XENSTORE_CONNECTED / XENSTORE_RECONNECT */
    uint32_t error;                 /* xenstored sets: XENSTORE_ERROR_* */
};

/* Limits. */
#define XENSTORE_PAYLOAD_MAX  4096  /* max payload bytes per message */
#define XENSTORE_ABS_PATH_MAX 3072  /* max absolute path length */
#define XENSTORE_REL_PATH_MAX 2048  /* max relative path length */

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* connection field supported */
#define XENSTORE_SERVER_FEATURE_ERROR        2 /* error field supported */

/* connection values. */
#define XENSTORE_CONNECTED 0    /* steady state */
#define XENSTORE_RECONNECT 1    /* guest asks for a ring reset */

/* error values. */
#define XENSTORE_ERROR_NONE    0  /* no error */
#define XENSTORE_ERROR_COMM    1  /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2  /* invalid ring index */
#define XENSTORE_ERROR_PROTO   3  /* protocol violation (e.g. payload too long) */

#endif /* __XEN_PUBLIC_IO_XS_WIRE_H__ */
