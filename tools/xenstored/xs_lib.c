/*
 * Helpers shared by libxenstore and xenstored: where the daemon lives,
 * permission strings, error names, writing everything.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore_lib.h>
#include "xs_lib.h"

XS_EXPORT const char *xs_daemon_rundir(void)
{
    const char *s = getenv("XENSTORED_RUNDIR");
    return s ? s : "/var/run/xenstored";
}

XS_EXPORT const char *xs_daemon_socket(void)
{
    static __thread char buf[PATH_MAX];
    const char *s = getenv("XENSTORED_PATH");

    if (s)
        return s;
    if (snprintf(buf, sizeof(buf), "%s/socket", xs_daemon_rundir()) >=
        (int)sizeof(buf))
        return NULL;
    return buf;
}

XS_EXPORT const char *xs_daemon_socket_ro(void)
{
    return xs_daemon_socket();
}

XS_EXPORT bool xs_write_all(int fd, const void *data, unsigned int len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data = (const char *)data + n;
        len -= n;
    }
    return true;
}

XS_EXPORT bool xs_strings_to_perms(struct xs_permissions *perms,
                                   unsigned int num, const char *strings)
{
    const char *p = strings;

    for (unsigned int i = 0; i < num; i++) {
        char *end;
        switch (*p) {
        case 'r':
            perms[i].perms = XS_PERM_READ;
            break;
        case 'w':
            perms[i].perms = XS_PERM_WRITE;
            break;
        case 'b':
            perms[i].perms = XS_PERM_READ | XS_PERM_WRITE;
            break;
        case 'n':
            perms[i].perms = XS_PERM_NONE;
            break;
        default:
            errno = EINVAL;
            return false;
        }
        p++;
        perms[i].id = strtol(p, &end, 0);
        if (*end || !*p) {
            errno = EINVAL;
            return false;
        }
        p = end + 1;
    }
    return true;
}

/* "r5" etc.; the internal bits (XS_PERM_IGNORE, OWNER) are not shown. */
bool xs__perm_to_string(const struct xs_permissions *perm, char *buf,
                        size_t len)
{
    char c;

    switch (perm->perms & ~(XS_PERM_IGNORE | XS_PERM_OWNER)) {
    case XS_PERM_WRITE:
        c = 'w';
        break;
    case XS_PERM_READ:
        c = 'r';
        break;
    case XS_PERM_READ | XS_PERM_WRITE:
        c = 'b';
        break;
    case XS_PERM_NONE:
        c = 'n';
        break;
    default:
        errno = EINVAL;
        return false;
    }
    /* Xen prints the id signed: a domid of -1 reads back as "-1". */
    return snprintf(buf, len, "%c%i", c, (int)perm->id) < (int)len;
}

unsigned int xs__count_strings(const char *strings, unsigned int len)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < len; i++)
        n += strings[i] == 0;
    return n;
}

static const struct {
    int err;
    const char *name;
} errnames[] = {
    {EINVAL, "EINVAL"}, {EACCES, "EACCES"},   {EEXIST, "EEXIST"},
    {EISDIR, "EISDIR"}, {ENOENT, "ENOENT"},   {ENOMEM, "ENOMEM"},
    {ENOSPC, "ENOSPC"}, {EIO, "EIO"},         {ENOTEMPTY, "ENOTEMPTY"},
    {ENOSYS, "ENOSYS"}, {EROFS, "EROFS"},     {EBUSY, "EBUSY"},
    {EAGAIN, "EAGAIN"}, {EISCONN, "EISCONN"}, {E2BIG, "E2BIG"},
    {EPERM, "EPERM"},
};

const char *xs__errno_name(int err)
{
    for (unsigned int i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (errnames[i].err == err)
            return errnames[i].name;
    return "EINVAL";
}

int xs__errno_from_name(const char *name)
{
    for (unsigned int i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
        if (!strcmp(errnames[i].name, name))
            return errnames[i].err;
    return EINVAL;
}
