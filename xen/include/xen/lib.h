/* Small helpers shared by the whole hypervisor core. */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a) (((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define container_of(ptr, type, member)                                        \
    ((type *)((char *)(ptr) - offsetof(type, member)))

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Log levels, as Xen's loglvl= names them. */
enum loglvl {
    LOG_ERR = 0,
    LOG_WARNING,
    LOG_INFO,
    LOG_DEBUG,
};

/* Print to the hypervisor console ring (and stderr if console_to_stderr). */
void printk(enum loglvl lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A message a guest can trigger at will: rate limited so that a hostile
 * guest cannot flood the console.
 */
void gprintk(enum loglvl lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fatal error in xen itself (never used for guest-triggered conditions). */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
