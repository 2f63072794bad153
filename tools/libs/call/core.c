/*
 * libxencall: hypercalls as domain 0 over the privcmd socket.
 *
 * HELLO gives each connection an arena memfd; the handle maps it once and
 * sends its address with every hypercall, so the core can translate
 * pointers into it (privcmd.h). Buffers are carved from it by arena.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "export.h"
#include "privcmd_client.h"
#include "xencall.h"
#include "xentoolcore_internal.h"

struct xencall_handle {
    struct privcmd_conn conn;
    struct xencall_arena arena;
    void *arena_map;
    size_t arena_size;
    xentoolcore__active_handle tc_ah;
};

/* xencall_alloc_buffer's record of the size, just below the buffer. */
struct buffer_header {
    uint64_t size; /* bytes, header included */
    uint64_t magic;
};
#define BUFFER_MAGIC 0x7865636c6c627566ULL

static int restrict_cb(xentoolcore__active_handle *ah, domid_t domid)
{
    xencall_handle *xcall =
        XENTOOLCORE__CONTAINER_OF(ah, xencall_handle, tc_ah);

    return privcmd_conn__restrict(&xcall->conn, domid);
}

XENTOOLS_EXPORT
xencall_handle *xencall_open(struct xentoollog_logger *logger,
                             unsigned open_flags)
{
    struct privcmd_hello_reply reply;
    xencall_handle *xcall;
    int memfd = -1, saved;

    (void)logger;
    (void)open_flags;
    xcall = calloc(1, sizeof(*xcall));
    if (!xcall)
        return NULL;
    xcall->conn.sock = -1;
    xcall->arena_map = MAP_FAILED;

    if (privcmd_conn__open(&xcall->conn, PRIVCMD_ROLE_HYPERCALL, 1, &reply,
                           sizeof(reply), &memfd) < 0)
        goto fail;
    errno = EPROTO;
    if (memfd < 0 || !reply.arena_size || reply.arena_size > (1ULL << 32))
        goto fail;
    xcall->arena_size = reply.arena_size;
    xcall->arena_map = mmap(NULL, xcall->arena_size, PROT_READ | PROT_WRITE,
                            MAP_SHARED, memfd, 0);
    if (xcall->arena_map == MAP_FAILED)
        goto fail;
    if (xencall__arena_init(&xcall->arena, xcall->arena_map,
                            xcall->arena_size) < 0)
        goto fail;
    close(memfd);

    xcall->tc_ah.restrict_callback = restrict_cb;
    xentoolcore__register_active_handle(&xcall->tc_ah);
    return xcall;

fail:
    saved = errno;
    if (memfd >= 0)
        close(memfd);
    if (xcall->arena_map != MAP_FAILED)
        munmap(xcall->arena_map, xcall->arena_size);
    privcmd_conn__close(&xcall->conn);
    free(xcall);
    errno = saved;
    return NULL;
}

XENTOOLS_EXPORT
int xencall_close(xencall_handle *xcall)
{
    if (!xcall)
        return 0;
    xentoolcore__deregister_active_handle(&xcall->tc_ah);
    xencall__arena_dispose(&xcall->arena);
    munmap(xcall->arena_map, xcall->arena_size);
    privcmd_conn__close(&xcall->conn);
    free(xcall);
    return 0;
}

XENTOOLS_EXPORT
int xencall_fd(xencall_handle *xcall)
{
    return xcall->conn.sock;
}

static long hypercall(xencall_handle *xcall, unsigned int op, uint64_t a1,
                      uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    struct privcmd_hypercall req = {
        .op = op,
        .arg = {a1, a2, a3, a4, a5},
        .arena_base = (uintptr_t)xcall->arena_map,
    };

    return privcmd_conn__call(&xcall->conn, PRIVCMD_HYPERCALL, &req,
                              sizeof(req), NULL, 0, NULL, NULL);
}

XENTOOLS_EXPORT
int xencall0(xencall_handle *xcall, unsigned int op)
{
    return hypercall(xcall, op, 0, 0, 0, 0, 0);
}

XENTOOLS_EXPORT
int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1)
{
    return hypercall(xcall, op, arg1, 0, 0, 0, 0);
}

XENTOOLS_EXPORT
int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2)
{
    return hypercall(xcall, op, arg1, arg2, 0, 0, 0);
}

XENTOOLS_EXPORT
long xencall2L(xencall_handle *xcall, unsigned int op, uint64_t arg1,
               uint64_t arg2)
{
    return hypercall(xcall, op, arg1, arg2, 0, 0, 0);
}

XENTOOLS_EXPORT
int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3)
{
    return hypercall(xcall, op, arg1, arg2, arg3, 0, 0);
}

XENTOOLS_EXPORT
int xencall4(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3, uint64_t arg4)
{
    return hypercall(xcall, op, arg1, arg2, arg3, arg4, 0);
}

XENTOOLS_EXPORT
int xencall5(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
    return hypercall(xcall, op, arg1, arg2, arg3, arg4, arg5);
}

XENTOOLS_EXPORT
void *xencall_alloc_buffer_pages(xencall_handle *xcall, size_t nr_pages)
{
    if (!nr_pages || nr_pages > xcall->arena_size / XENCALL_PAGE_SIZE) {
        errno = nr_pages ? ENOMEM : EINVAL;
        return NULL;
    }
    return xencall__arena_alloc(&xcall->arena, nr_pages * XENCALL_PAGE_SIZE,
                                XENCALL_PAGE_SIZE);
}

XENTOOLS_EXPORT
void xencall_free_buffer_pages(xencall_handle *xcall, void *p, size_t nr_pages)
{
    int saved = errno;

    if (p && nr_pages && nr_pages <= xcall->arena_size / XENCALL_PAGE_SIZE)
        xencall__arena_free(&xcall->arena, p, nr_pages * XENCALL_PAGE_SIZE);
    errno = saved;
}

XENTOOLS_EXPORT
void *xencall_alloc_buffer(xencall_handle *xcall, size_t size)
{
    struct buffer_header *hdr;

    if (size > xcall->arena_size) {
        errno = ENOMEM;
        return NULL;
    }
    size += sizeof(*hdr);
    hdr = xencall__arena_alloc(&xcall->arena, size, sizeof(*hdr));
    if (!hdr)
        return NULL;
    hdr->size = size;
    hdr->magic = BUFFER_MAGIC;
    return hdr + 1;
}

XENTOOLS_EXPORT
void xencall_free_buffer(xencall_handle *xcall, void *p)
{
    struct buffer_header *hdr = (struct buffer_header *)p - 1;
    int saved = errno;

    if (!p || !xencall__arena_contains(&xcall->arena, hdr, sizeof(*hdr)) ||
        hdr->magic != BUFFER_MAGIC || hdr->size > xcall->arena_size)
        goto out;
    hdr->magic = 0;
    if (xencall__arena_free(&xcall->arena, hdr, hdr->size) < 0)
        hdr->magic = BUFFER_MAGIC;
out:
    errno = saved;
}

XENTOOLS_EXPORT
int xencall_buffers_never_fault(xencall_handle *xcall)
{
    (void)xcall;
    return 1;
}
