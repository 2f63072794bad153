/*
 * The timer thread: ordering, re-arming, stopping, killing and waiting
 * for the timers due.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <xen/lib.h>
#include <xen/timer.h>

#include "unit.h"

/* timer.c panics only on allocation failure. */
void panic(const char *fmt, ...)
{
    printf("FAIL panic: %s\n", fmt);
    _exit(1);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int order[8], nr_fired;
static void record(void *data)
{
    pthread_mutex_lock(&lock);
    if (nr_fired < 8)
        order[nr_fired] = (int)(intptr_t)data;
    nr_fired++;
    pthread_mutex_unlock(&lock);
}

/* Takes its time, so a waiter that does not wait would see nothing. */
static void slow_record(void *data)
{
    usleep(20000);
    record(data);
}

static struct timer periodic;
static int periodic_count;
static void rearm(void *data)
{
    (void)data;
    periodic_count++;
    set_timer(&periodic, NOW() + MICROSECS(100));
}

static int fired(void)
{
    pthread_mutex_lock(&lock);
    int n = nr_fired;
    pthread_mutex_unlock(&lock);
    return n;
}

int main(void)
{
    struct timer t[5];
    uint64_t now;

    EXPECT(timer_subsys_init() == 0);
    now = NOW();
    /* Armed out of order; fire in expiry order. */
    for (int i = 0; i < 5; i++)
        init_timer(&t[i], record, (void *)(intptr_t)i);
    set_timer(&t[3], now + MILLISECS(40));
    set_timer(&t[1], now + MILLISECS(20));
    set_timer(&t[4], now + MILLISECS(50));
    set_timer(&t[0], now + MILLISECS(10));
    set_timer(&t[2], now + MILLISECS(30));
    /* Re-arming moves a timer; stopping removes it. */
    set_timer(&t[4], now + MILLISECS(5));
    stop_timer(&t[2]);
    EXPECT(!timer_is_active(&t[2]) && timer_is_active(&t[3]));
    while (fired() < 4 && NOW() - now < SECONDS(5))
        usleep(1000);
    usleep(20000);
    EXPECT(nr_fired == 4);
    EXPECT(order[0] == 4 && order[1] == 0 && order[2] == 1 && order[3] == 3);

    /* A time in the past fires at once. */
    set_timer(&t[2], 1);
    while (fired() < 5 && NOW() - now < SECONDS(5))
        usleep(1000);
    EXPECT(nr_fired == 5 && order[4] == 2);

    /* timer_wait_due() returns once the due callbacks have finished. */
    init_timer(&t[0], slow_record, (void *)(intptr_t)6);
    set_timer(&t[0], NOW());
    timer_wait_due(NOW());
    EXPECT(fired() == 6 && order[5] == 6);

    /* A self-re-arming timer stops for good once killed. */
    init_timer(&periodic, rearm, NULL);
    set_timer(&periodic, NOW());
    while (periodic_count < 10 && NOW() - now < SECONDS(5))
        usleep(1000);
    kill_timer(&periodic);
    int count = periodic_count;
    usleep(5000);
    EXPECT(periodic_count == count && !timer_is_active(&periodic));

    UNIT_DONE("timer");
}
