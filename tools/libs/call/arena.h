/*
 * The hypercall-buffer arena of a libxencall handle: the memfd xen gave
 * at HELLO, mapped once, carved into buffers by a first-fit allocator
 * over 64-byte granules. Hidden; tests/unit/test-xencall-arena.c tests
 * it on plain memory.
 */
#ifndef XENCALL_ARENA_H
#define XENCALL_ARENA_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define XENCALL_ARENA_GRANULE 64
#define XENCALL_PAGE_SIZE 4096

struct xencall_arena {
    uint8_t *base;
    size_t size; /* bytes, a multiple of the page size */
    size_t granules;
    unsigned long *used; /* one bit per granule */
    size_t hint;         /* no free granule below this one */
    pthread_mutex_t lock;
};

/* Manage [base, base + size). 0, or -1 with errno (EINVAL, ENOMEM). */
int xencall__arena_init(struct xencall_arena *a, void *base, size_t size);
void xencall__arena_dispose(struct xencall_arena *a);

/*
 * @bytes of zeroed memory aligned to @align (a power of two, at most a
 * page): the lowest free fit. NULL with errno ENOMEM when none fits.
 */
void *xencall__arena_alloc(struct xencall_arena *a, size_t bytes, size_t align);

/*
 * Give back what an alloc of @bytes returned at @p. Returns 0, or -1 if
 * that range is not (wholly) allocated arena memory, in which case
 * nothing changes.
 */
int xencall__arena_free(struct xencall_arena *a, void *p, size_t bytes);

/* Whether [p, p + len) lies inside the arena. */
int xencall__arena_contains(const struct xencall_arena *a, const void *p,
                            size_t len);

#endif
