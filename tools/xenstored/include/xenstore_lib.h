/*
 * xenstore_lib.h - definitions shared by libxenstore's users and
 * xenstored: node permissions and the daemon's paths. Names and values
 * are Xen's (libxenstore.so.4).
 */
#ifndef XENSTORE_LIB_H
#define XENSTORE_LIB_H

#include <stddef.h>
#include <stdbool.h>
#include <limits.h>
#include <errno.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

/*
 * One entry of a node's permission list. The first entry names the
 * owner and gives the access of every domain not listed after it.
 */
struct xs_permissions {
    unsigned int id;    /* domain id */
    unsigned int perms; /* XS_PERM_* bits */
};

enum xs_perm_type {
    XS_PERM_NONE = 0x00,
    XS_PERM_READ = 0x01,
    XS_PERM_WRITE = 0x02,
    /* Used inside xenstored only. */
    XS_PERM_ENOENT_OK = 0x04,
    XS_PERM_OWNER = 0x08,
    XS_PERM_IGNORE = 0x10, /* entry names a domain that is gone */
};

/* Room for an unsigned value of type x in decimal, with sign and NUL. */
#define MAX_STRLEN(x) ((sizeof(x) * CHAR_BIT + CHAR_BIT - 1) / 10 * 3 + 2)

/*
 * Where the daemon lives: $XENSTORED_RUNDIR (default /var/run/xenstored)
 * and its socket $XENSTORED_PATH (default <rundir>/socket).
 */
const char *xs_daemon_rundir(void);
const char *xs_daemon_socket(void);
const char *xs_daemon_socket_ro(void); /* the same socket */

/* Write all of data to fd, retrying short writes. */
bool xs_write_all(int fd, const void *data, unsigned int len);

/*
 * Parse num permission strings ("r5\0w0\0"..., letter n/r/w/b then the
 * domid) into perms. False with errno EINVAL on a malformed string.
 */
bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
                         const char *strings);

#endif /* XENSTORE_LIB_H */
