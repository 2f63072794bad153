/*
 * The console ring's two directions. The guest owns out_prod and
 * in_cons and may write anything there at any time: each index is read
 * once, checked, and every access to the data is masked, so a hostile
 * guest can stall its own console but never make us read or write
 * outside the page.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xenconsoled.h"

#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

int buffer_take_ring(struct buffer *b, struct xencons_interface *intf)
{
    XENCONS_RING_IDX cons = READ_ONCE(intf->out_cons);
    XENCONS_RING_IDX prod = READ_ONCE(intf->out_prod);
    XENCONS_RING_IDX size = prod - cons;

    /* The data behind prod, not before it. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (size == 0)
        return 0;
    if (size > sizeof(intf->out))
        return -EIO;
    if (b->capacity - b->size < size) {
        size_t want = b->size + size + 1024;
        char *p = realloc(b->data, want);

        if (!p)
            return -ENOMEM;
        b->data = p;
        b->capacity = want;
    }
    while (cons != prod) {
        b->data[b->size++] = intf->out[MASK_XENCONS_IDX(cons, intf->out)];
        cons++;
    }
    /* Done reading before the guest may reuse the space. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    WRITE_ONCE(intf->out_cons, cons);
    return size;
}

void buffer_discard_overflow(struct buffer *b)
{
    size_t max = b->max_capacity;

    /* A quarter of slack: a slow reader must not cost a copy each time. */
    if (!max || b->size <= 5 * max / 4)
        return;
    if (b->consumed > max / 4) {
        /* The start was written out: drop it. */
        memmove(b->data, b->data + b->consumed, b->size - b->consumed);
        b->size -= b->consumed;
        b->consumed = 0;
    }
    if (b->size > max) {
        /* Keep the oldest unread and the newest data; lose the middle. */
        size_t over = b->size - max;
        char *keep_end = b->data + max;
        char *p;

        memmove(keep_end - over, keep_end, over);
        b->size = max;
        if (b->consumed > max - over)
            b->consumed = max - over;
        p = realloc(b->data, max);
        if (p) {
            b->data = p;
            b->capacity = max;
        }
    }
}

void buffer_advance(struct buffer *b, size_t n)
{
    b->consumed += n;
    if (b->consumed < b->size)
        return;
    b->consumed = b->size = 0;
    /* Give back what a burst made us take beyond the limit. */
    if (b->max_capacity && b->capacity > b->max_capacity) {
        char *p = realloc(b->data, b->max_capacity);

        if (p) {
            b->data = p;
            b->capacity = b->max_capacity;
        }
    }
}

void buffer_dispose(struct buffer *b)
{
    free(b->data);
    b->data = NULL;
    b->consumed = b->size = b->capacity = 0;
}

size_t ring_in_room(const struct xencons_interface *intf)
{
    XENCONS_RING_IDX cons = READ_ONCE(intf->in_cons);
    XENCONS_RING_IDX prod = READ_ONCE(intf->in_prod);
    XENCONS_RING_IDX used = prod - cons;

    if (used > sizeof(intf->in))
        return 0;
    return sizeof(intf->in) - used;
}

void ring_in_put(struct xencons_interface *intf, const char *data, size_t len)
{
    XENCONS_RING_IDX prod = READ_ONCE(intf->in_prod);

    for (size_t i = 0; i < len; i++, prod++)
        intf->in[MASK_XENCONS_IDX(prod, intf->in)] = data[i];
    /* The data before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    WRITE_ONCE(intf->in_prod, prod);
}
