/* The hypercall-buffer arena allocator (see arena.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define BITS_PER_WORD (8 * sizeof(unsigned long))

static int test_bit(const unsigned long *map, size_t i)
{
    return (map[i / BITS_PER_WORD] >> (i % BITS_PER_WORD)) & 1;
}

static void set_bits(unsigned long *map, size_t first, size_t n, int value)
{
    size_t i;

    for (i = first; i < first + n; i++) {
        unsigned long bit = 1UL << (i % BITS_PER_WORD);

        if (value)
            map[i / BITS_PER_WORD] |= bit;
        else
            map[i / BITS_PER_WORD] &= ~bit;
    }
}

/* The first free granule at or after @i, or a->granules. */
static size_t next_free(const struct xencall_arena *a, size_t i)
{
    while (i < a->granules) {
        if (i % BITS_PER_WORD == 0 && a->used[i / BITS_PER_WORD] == ~0UL) {
            i += BITS_PER_WORD;
            continue;
        }
        if (!test_bit(a->used, i))
            return i;
        i++;
    }
    return a->granules;
}

int xencall__arena_init(struct xencall_arena *a, void *base, size_t size)
{
    size_t words;

    if (!base || !size || size % XENCALL_PAGE_SIZE) {
        errno = EINVAL;
        return -1;
    }
    a->base = base;
    a->size = size;
    a->granules = size / XENCALL_ARENA_GRANULE;
    a->hint = 0;
    words = (a->granules + BITS_PER_WORD - 1) / BITS_PER_WORD;
    a->used = calloc(words, sizeof(*a->used));
    if (!a->used)
        return -1;
    pthread_mutex_init(&a->lock, NULL);
    return 0;
}

void xencall__arena_dispose(struct xencall_arena *a)
{
    free(a->used);
    a->used = NULL;
    a->base = NULL;
    a->size = a->granules = 0;
}

void *xencall__arena_alloc(struct xencall_arena *a, size_t bytes, size_t align)
{
    size_t n, step, start, i;
    void *p = NULL;

    if (!bytes || !align || (align & (align - 1)) ||
        align > XENCALL_PAGE_SIZE) {
        errno = EINVAL;
        return NULL;
    }
    errno = ENOMEM;
    if (bytes > a->size)
        return NULL;
    n = (bytes + XENCALL_ARENA_GRANULE - 1) / XENCALL_ARENA_GRANULE;
    step = align > XENCALL_ARENA_GRANULE ? align / XENCALL_ARENA_GRANULE : 1;

    pthread_mutex_lock(&a->lock);
    start = next_free(a, a->hint);
    for (;;) {
        start = (start + step - 1) / step * step;
        if (start + n > a->granules)
            break;
        for (i = start; i < start + n && !test_bit(a->used, i); i++)
            ;
        if (i == start + n) {
            set_bits(a->used, start, n, 1);
            if (start == a->hint)
                a->hint = next_free(a, start + n);
            p = a->base + start * XENCALL_ARENA_GRANULE;
            break;
        }
        start = next_free(a, i + 1);
    }
    pthread_mutex_unlock(&a->lock);

    if (p)
        memset(p, 0, n * XENCALL_ARENA_GRANULE);
    return p;
}

int xencall__arena_free(struct xencall_arena *a, void *p, size_t bytes)
{
    size_t off, first, n, i;
    int rc = -1;

    if (!bytes || !xencall__arena_contains(a, p, bytes))
        return -1;
    off = (uint8_t *)p - a->base;
    if (off % XENCALL_ARENA_GRANULE)
        return -1;
    first = off / XENCALL_ARENA_GRANULE;
    n = (bytes + XENCALL_ARENA_GRANULE - 1) / XENCALL_ARENA_GRANULE;

    pthread_mutex_lock(&a->lock);
    for (i = first; i < first + n; i++)
        if (!test_bit(a->used, i))
            goto out;
    set_bits(a->used, first, n, 0);
    if (first < a->hint)
        a->hint = first;
    rc = 0;
out:
    pthread_mutex_unlock(&a->lock);
    return rc;
}

int xencall__arena_contains(const struct xencall_arena *a, const void *p,
                            size_t len)
{
    uintptr_t b = (uintptr_t)a->base, q = (uintptr_t)p;

    return a->base && q >= b && len <= a->size && q - b <= a->size - len;
}
