/* One-shot software timers run by the core's timer thread. */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
    uint64_t expires;           /* system time (ns) */
    void (*function)(void *data);
    void *data;
    unsigned int heap_idx;      /* position in the heap + 1; 0 = inactive */
    bool killed;                /* kill_timer() ran: never fires again */
};

/* System time: nanoseconds of CLOCK_MONOTONIC, what guests see as pvclock. */
uint64_t NOW(void);

#define MILLISECS(ms) ((uint64_t)(ms) * 1000000ULL)
#define MICROSECS(us) ((uint64_t)(us) * 1000ULL)
#define SECONDS(s) ((uint64_t)(s) * 1000000000ULL)

void init_timer(struct timer *t, void (*fn)(void *data), void *data);
/* (Re)arm; a time in the past fires at once. */
void set_timer(struct timer *t, uint64_t expires);
void stop_timer(struct timer *t);
/* Stop and wait until a callback running on the timer thread has finished. */
void kill_timer(struct timer *t);
bool timer_is_active(const struct timer *t);
/*
 * Wait until every timer due by now has run: a pCPU about to choose what
 * runs next calls it, as Xen's TIMER_SOFTIRQ runs before SCHEDULE_SOFTIRQ,
 * so a vCPU whose timeout has passed takes part in the choice. Call with
 * no lock held that a timer callback may take.
 */
void timer_wait_due(uint64_t now);

int timer_subsys_init(void);

#endif
