/*
 * libxentoolcore: the list of every open Xen library handle of this
 * process, and xentoolcore_restrict_all over it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "export.h"
#include "xentoolcore_internal.h"

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static xentoolcore__active_handle *handles;

XENTOOLS_EXPORT
void xentoolcore__register_active_handle(xentoolcore__active_handle *ah)
{
    pthread_mutex_lock(&handles_lock);
    ah->next = handles;
    ah->pprev = &handles;
    if (handles)
        handles->pprev = &ah->next;
    handles = ah;
    pthread_mutex_unlock(&handles_lock);
}

XENTOOLS_EXPORT
void xentoolcore__deregister_active_handle(xentoolcore__active_handle *ah)
{
    pthread_mutex_lock(&handles_lock);
    if (ah->pprev) {
        *ah->pprev = ah->next;
        if (ah->next)
            ah->next->pprev = ah->pprev;
        ah->next = NULL;
        ah->pprev = NULL;
    }
    pthread_mutex_unlock(&handles_lock);
}

XENTOOLS_EXPORT
int xentoolcore_restrict_all(domid_t domid)
{
    xentoolcore__active_handle *ah;
    int rc = 0;

    pthread_mutex_lock(&handles_lock);
    for (ah = handles; ah; ah = ah->next) {
        rc = ah->restrict_callback(ah, domid);
        if (rc)
            break;
    }
    pthread_mutex_unlock(&handles_lock);
    return rc ? -1 : 0;
}

XENTOOLS_EXPORT
int xentoolcore__restrict_by_dup2_null(int fd)
{
    int nullfd = -1, rc = -1, fdflags, saved;

    fdflags = fcntl(fd, F_GETFD);
    if (fdflags < 0)
        goto out;
    nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nullfd < 0)
        goto out;
    /* The fd keeps its close-on-exec flag, which plain dup2 would drop. */
    if (dup3(nullfd, fd, fdflags & FD_CLOEXEC ? O_CLOEXEC : 0) < 0)
        goto out;
    rc = 0;
out:
    saved = errno;
    if (nullfd >= 0)
        close(nullfd);
    errno = saved;
    return rc;
}
