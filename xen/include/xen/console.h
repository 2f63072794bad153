/*
 * The hypervisor console: a ring of log lines (read by `xl dmesg`
 * through sysctl readconsole later), fed by printk and by guests'
 * console_io writes, optionally copied to stderr.
 */
#ifndef XEN_CONSOLE_H
#define XEN_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct domain;

/* Append guest output, line-buffered per domain and prefixed "(dN) ". */
void console_guest_write(struct domain *d, const char *buf, size_t len);
/* Flush a domain's partial line (on destroy). */
void console_guest_flush(struct domain *d);

/*
 * Copy out the ring from *index (bytes since start-up), advancing it;
 * returns bytes copied. Bytes that fell off the ring are skipped.
 */
size_t console_ring_read(uint64_t *index, char *buf, size_t len);
void console_ring_clear(void);
/*
 * An eventfd that becomes readable when the ring grows: the main loop
 * raises domain 0's VIRQ_CON_RING for it, outside every caller's locks.
 */
int console_ring_eventfd(void);

#endif
