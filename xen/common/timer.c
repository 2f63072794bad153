/*
 * Software timers: a binary min-heap of expiry times served by one thread.
 * Callbacks run on that thread with the heap unlocked, so they may set
 * timers (including their own) and take other locks.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#include <xen/lib.h>
#include <xen/timer.h>

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cond;
static pthread_cond_t timer_done_cond;
static struct timer **heap;
static unsigned int heap_len, heap_cap;
static struct timer *running; /* callback in progress */
static uint64_t fired_upto;   /* every timer due by then has run */

uint64_t NOW(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void heap_set(unsigned int i, struct timer *t)
{
    heap[i] = t;
    t->heap_idx = i + 1;
}

static void sift_up(unsigned int i)
{
    struct timer *t = heap[i];

    while (i > 0) {
        unsigned int parent = (i - 1) / 2;

        if (heap[parent]->expires <= t->expires)
            break;
        heap_set(i, heap[parent]);
        i = parent;
    }
    heap_set(i, t);
}

static void sift_down(unsigned int i)
{
    struct timer *t = heap[i];

    for (;;) {
        unsigned int c = 2 * i + 1;

        if (c >= heap_len)
            break;
        if (c + 1 < heap_len && heap[c + 1]->expires < heap[c]->expires)
            c++;
        if (t->expires <= heap[c]->expires)
            break;
        heap_set(i, heap[c]);
        i = c;
    }
    heap_set(i, t);
}

static void heap_remove(struct timer *t)
{
    unsigned int i = t->heap_idx - 1;
    struct timer *last = heap[--heap_len];

    t->heap_idx = 0;
    if (last == t)
        return;
    heap_set(i, last);
    sift_up(i);
    sift_down(last->heap_idx - 1);
}

static void *timer_thread(void *arg)
{
    (void)arg;
    /* Linux lets a timed wait end up to 50 us late by default: too late. */
    prctl(PR_SET_TIMERSLACK, 1UL);
    pthread_mutex_lock(&timer_lock);
    for (;;) {
        if (!heap_len) {
            fired_upto = NOW();
            pthread_cond_broadcast(&timer_done_cond);
            pthread_cond_wait(&timer_cond, &timer_lock);
            continue;
        }
        struct timer *t = heap[0];
        uint64_t now = NOW();

        if (t->expires > now) {
            fired_upto = now;
            pthread_cond_broadcast(&timer_done_cond);
            struct timespec ts = {
                .tv_sec = t->expires / 1000000000ULL,
                .tv_nsec = t->expires % 1000000000ULL,
            };
            pthread_cond_timedwait(&timer_cond, &timer_lock, &ts);
            continue;
        }
        heap_remove(t);
        running = t;
        pthread_mutex_unlock(&timer_lock);
        t->function(t->data);
        pthread_mutex_lock(&timer_lock);
        running = NULL;
        pthread_cond_broadcast(&timer_done_cond);
    }
    return NULL;
}

void init_timer(struct timer *t, void (*fn)(void *data), void *data)
{
    t->expires = 0;
    t->function = fn;
    t->data = data;
    t->heap_idx = 0;
    t->killed = false;
}

void set_timer(struct timer *t, uint64_t expires)
{
    pthread_mutex_lock(&timer_lock);
    if (t->heap_idx)
        heap_remove(t);
    /* A callback re-arming itself while being killed must not win. */
    if (t->killed) {
        pthread_mutex_unlock(&timer_lock);
        return;
    }
    if (heap_len == heap_cap) {
        unsigned int cap = heap_cap ? heap_cap * 2 : 64;
        struct timer **n = realloc(heap, cap * sizeof(*n));

        if (!n)
            panic("out of memory for timers");
        heap = n;
        heap_cap = cap;
    }
    t->expires = expires;
    heap_set(heap_len++, t);
    sift_up(heap_len - 1);
    if (heap[0] == t)
        pthread_cond_signal(&timer_cond);
    pthread_mutex_unlock(&timer_lock);
}

void stop_timer(struct timer *t)
{
    pthread_mutex_lock(&timer_lock);
    if (t->heap_idx)
        heap_remove(t);
    pthread_mutex_unlock(&timer_lock);
}

void kill_timer(struct timer *t)
{
    pthread_mutex_lock(&timer_lock);
    t->killed = true;
    if (t->heap_idx)
        heap_remove(t);
    while (running == t)
        pthread_cond_wait(&timer_done_cond, &timer_lock);
    pthread_mutex_unlock(&timer_lock);
}

void timer_wait_due(uint64_t now)
{
    pthread_mutex_lock(&timer_lock);
    while (fired_upto < now &&
           (running || (heap_len && heap[0]->expires <= now))) {
        /* It may still be asleep, due to wake a little late. */
        pthread_cond_signal(&timer_cond);
        pthread_cond_wait(&timer_done_cond, &timer_lock);
    }
    pthread_mutex_unlock(&timer_lock);
}

bool timer_is_active(const struct timer *t)
{
    return t->heap_idx != 0;
}

int timer_subsys_init(void)
{
    pthread_condattr_t attr;
    pthread_t tid;

    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&timer_cond, &attr);
    pthread_cond_init(&timer_done_cond, NULL);
    pthread_condattr_destroy(&attr);
    return -pthread_create(&tid, NULL, timer_thread, NULL);
}
