/*
 * libxencall's hypercall-buffer arena (tools/libs/call/arena.c) on plain
 * memory: alignment, zeroing, first fit, exhaustion, bad frees, and a
 * random run checked against a model.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "unit.h"

#define ARENA_PAGES 16
#define ARENA_SIZE (ARENA_PAGES * XENCALL_PAGE_SIZE)

static uint8_t memory[ARENA_SIZE] __attribute__((aligned(4096)));
static uint8_t outside[64];

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

static void test_basics(void)
{
    struct xencall_arena a;
    uint8_t *p, *q, *pages[ARENA_PAGES];
    int i;

    EXPECT(xencall__arena_init(&a, memory, 100) < 0 && errno == EINVAL);
    EXPECT(xencall__arena_init(&a, NULL, ARENA_SIZE) < 0);
    EXPECT(xencall__arena_init(&a, memory, ARENA_SIZE) == 0);

    /* Small buffers: granule-aligned, zeroed, lowest first. */
    memset(memory, 0xaa, sizeof(memory));
    p = xencall__arena_alloc(&a, 10, 16);
    q = xencall__arena_alloc(&a, 100, 16);
    EXPECT(p == memory);
    EXPECT(q == memory + XENCALL_ARENA_GRANULE);
    EXPECT(all_bytes(p, XENCALL_ARENA_GRANULE, 0));
    EXPECT(all_bytes(q, 2 * XENCALL_ARENA_GRANULE, 0));
    EXPECT(xencall__arena_contains(&a, q, 100));
    EXPECT(!xencall__arena_contains(&a, memory + ARENA_SIZE - 8, 16));
    EXPECT(!xencall__arena_contains(&a, outside, 1));

    /* A page goes to the first page boundary with room. */
    pages[0] = xencall__arena_alloc(&a, XENCALL_PAGE_SIZE, XENCALL_PAGE_SIZE);
    EXPECT(pages[0] == memory + XENCALL_PAGE_SIZE);
    EXPECT(all_bytes(pages[0], XENCALL_PAGE_SIZE, 0));

    /* The gap below it is still used for small buffers. */
    EXPECT(xencall__arena_alloc(&a, 64, 64) ==
           memory + 3 * XENCALL_ARENA_GRANULE);

    /* Bad frees change nothing. */
    EXPECT(xencall__arena_free(&a, memory + 5 * 64, 64) < 0);
    EXPECT(xencall__arena_free(&a, p + 1, 10) < 0);
    EXPECT(xencall__arena_free(&a, memory + ARENA_SIZE, 64) < 0);
    EXPECT(xencall__arena_free(&a, q, 4 * 64) < 0); /* beyond q */
    EXPECT(xencall__arena_free(&a, p, 10) == 0);
    EXPECT(xencall__arena_free(&a, p, 10) < 0);  /* double free */
    EXPECT(xencall__arena_alloc(&a, 1, 1) == p); /* reused */

    /* Bad requests. */
    EXPECT(!xencall__arena_alloc(&a, 0, 16) && errno == EINVAL);
    EXPECT(!xencall__arena_alloc(&a, 64, 3) && errno == EINVAL);
    EXPECT(!xencall__arena_alloc(&a, 64, 8192) && errno == EINVAL);
    EXPECT(!xencall__arena_alloc(&a, ARENA_SIZE + 1, 64) && errno == ENOMEM);

    /* Exhaustion: 14 more pages fit (page 0 is partly used). */
    for (i = 1; i < ARENA_PAGES - 1; i++) {
        pages[i] =
            xencall__arena_alloc(&a, XENCALL_PAGE_SIZE, XENCALL_PAGE_SIZE);
        EXPECT(pages[i] == memory + (i + 1) * XENCALL_PAGE_SIZE);
    }
    EXPECT(!xencall__arena_alloc(&a, XENCALL_PAGE_SIZE, XENCALL_PAGE_SIZE) &&
           errno == ENOMEM);
    /* Page 0 still has room for small buffers, not for a page. */
    EXPECT(xencall__arena_alloc(&a, 2048, 64) != NULL);
    EXPECT(xencall__arena_free(&a, pages[5], XENCALL_PAGE_SIZE) == 0);
    EXPECT(xencall__arena_alloc(&a, 2 * XENCALL_PAGE_SIZE, 64) == NULL);
    EXPECT(xencall__arena_alloc(&a, XENCALL_PAGE_SIZE, XENCALL_PAGE_SIZE) ==
           pages[5]);
    xencall__arena_dispose(&a);
}

/* Random allocations and frees against a byte-ownership model. */
static void test_random(void)
{
    enum { N = 64 };
    static int16_t owner[ARENA_SIZE / XENCALL_ARENA_GRANULE];
    struct {
        uint8_t *p;
        size_t bytes;
    } live[N] = {{0}};
    struct xencall_arena a;
    int step, bad = 0;

    EXPECT(xencall__arena_init(&a, memory, ARENA_SIZE) == 0);
    memset(owner, -1, sizeof(owner));
    srand(12345);
    for (step = 0; step < 20000 && !bad; step++) {
        int k = rand() % N;

        if (live[k].p) {
            size_t g = (live[k].p - memory) / XENCALL_ARENA_GRANULE, i;
            size_t n = (live[k].bytes + 63) / 64;

            for (i = g; i < g + n; i++) {
                bad |= owner[i] != k;
                owner[i] = -1;
            }
            bad |= xencall__arena_free(&a, live[k].p, live[k].bytes) != 0;
            live[k].p = NULL;
        } else {
            size_t bytes = rand() % 3 ? 1 + rand() % 600
                                      : XENCALL_PAGE_SIZE * (1 + rand() % 2);
            size_t align = bytes >= XENCALL_PAGE_SIZE ? XENCALL_PAGE_SIZE : 16;
            uint8_t *p = xencall__arena_alloc(&a, bytes, align);
            size_t g, i, n = (bytes + 63) / 64;

            if (!p)
                continue;
            bad |= (uintptr_t)p % align != 0;
            bad |= !xencall__arena_contains(&a, p, bytes);
            bad |= !all_bytes(p, bytes, 0);
            memset(p, 0x5a, bytes);
            g = (p - memory) / XENCALL_ARENA_GRANULE;
            for (i = g; i < g + n; i++) {
                bad |= owner[i] != -1;
                owner[i] = k;
            }
            live[k].p = p;
            live[k].bytes = bytes;
        }
    }
    EXPECT(!bad);
    xencall__arena_dispose(&a);
}

int main(void)
{
    test_basics();
    test_random();
    UNIT_DONE("test-xencall-arena");
}
