/*
 * A virtual clock in place of xen/common/timer.c for device model tests:
 * NOW() returns vclock_now, and timers fire only inside vclock_advance(),
 * in expiry order, on the caller's thread, with the clock set to each
 * timer's expiry as it fires. Include it in exactly one file of a test.
 */
#ifndef VCLOCK_H
#define VCLOCK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <xen/timer.h>

#define VCLOCK_MAX_TIMERS 64

static uint64_t vclock_now = 1000000000ULL;
static struct timer *vclock_timers[VCLOCK_MAX_TIMERS];

uint64_t NOW(void)
{
    return vclock_now;
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data)
{
    t->function = fn;
    t->data = data;
    t->heap_idx = 0;
    t->killed = false;
    t->expires = 0;
}

static int vclock_slot(struct timer *t)
{
    for (int i = 0; i < VCLOCK_MAX_TIMERS; i++)
        if (vclock_timers[i] == t)
            return i;
    return -1;
}

void stop_timer(struct timer *t)
{
    int i = vclock_slot(t);

    if (i >= 0)
        vclock_timers[i] = NULL;
    t->heap_idx = 0;
}

void set_timer(struct timer *t, uint64_t expires)
{
    int i;

    if (t->killed)
        return;
    stop_timer(t);
    i = vclock_slot(NULL);
    if (i < 0) {
        printf("FAIL vclock: too many timers\n");
        exit(1);
    }
    t->expires = expires;
    t->heap_idx = i + 1;
    vclock_timers[i] = t;
}

void kill_timer(struct timer *t)
{
    stop_timer(t);
    t->killed = true;
}

bool timer_is_active(const struct timer *t)
{
    return t->heap_idx != 0;
}

/* Move the clock forward by ns, firing every timer that falls due. */
static inline void vclock_advance(uint64_t ns)
{
    uint64_t end = vclock_now + ns;

    for (unsigned long fired = 0;; fired++) {
        /* A timer that keeps re-arming in the past is a bug, not a hang. */
        if (fired > 10000000) {
            printf("FAIL vclock: timer storm at %llu ns\n",
                   (unsigned long long)vclock_now);
            exit(1);
        }
        struct timer *next = NULL;

        for (int i = 0; i < VCLOCK_MAX_TIMERS; i++) {
            struct timer *t = vclock_timers[i];

            if (t && t->expires <= end && (!next || t->expires < next->expires))
                next = t;
        }
        if (!next)
            break;
        if (next->expires > vclock_now)
            vclock_now = next->expires;
        stop_timer(next);
        next->function(next->data);
    }
    vclock_now = end;
}

/* Deterministic noise for the random-access rounds. */
static inline uint64_t rnd(void)
{
    static uint64_t x = 0x9e3779b97f4a7c15ULL;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

/*
 * A random-access round: 200000 calls of @access with two fresh noise
 * words (where and how, what), the clock moving up to @max_step ns
 * every 32 of them.
 */
static inline void vclock_random_round(void (*access)(uint64_t r, uint64_t v),
                                       uint64_t max_step)
{
    for (int i = 0; i < 200000; i++) {
        uint64_t r = rnd();

        access(r, rnd());
        if (!(i % 32))
            vclock_advance(rnd() % max_step);
    }
}

#endif
