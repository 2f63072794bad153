/*
 * xenconsoled: the console backend (DESIGN 2). For each domain with a
 * PV console it maps the ring (struct xencons_interface), binds the
 * console event channel, and gives the domain a pty whose name it writes
 * to /local/domain/N/console/tty; it can log guest and hypervisor output.
 *
 *   main.c  options, daemon start-up, signals
 *   io.c    domains, xenstore watches, the poll loop, hypervisor log
 *   ring.c  the ring <-> buffer copies (no I/O: unit tested on the host)
 *   log.c   log files and their timestamps
 */
#ifndef XENCONSOLED_H
#define XENCONSOLED_H

#include <stdbool.h>
#include <stddef.h>
#include <syslog.h>

#include <xen/io/console.h>

/* ---- Options (main.c) ---- */

extern bool log_guest, log_hv;           /* --log */
extern bool log_time_guest, log_time_hv; /* --timestamp */
extern bool discard_overflowed_data;     /* --overflow-data (default) */
extern bool replace_escape;              /* --replace-escape */
extern const char *log_dir;              /* --log-dir */

/* syslog priorities; LOG_DEBUG only with --verbose. */
void dolog(int priority, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- The poll loop (io.c) ---- */

/* Open the xenstore, xen and event channel handles; false on failure. */
bool xen_setup(void);
/*
 * Serve until SIGTERM or SIGINT (signal_fd reads them; SIGHUP reopens
 * the logs), then let go of every domain. False if it stopped because
 * xen or xenstored went away.
 */
bool handle_io(int signal_fd);

/* ---- Buffered guest output (ring.c) ---- */

/*
 * Guest output waiting for the pty: data[consumed..size). With a
 * max_capacity (the console's "limit" node) the buffer is bounded:
 * either by discarding the middle of what overflows or, with
 * --overflow-data=keep, by leaving the rest in the guest's ring.
 */
struct buffer {
    char *data;
    size_t consumed;
    size_t size;
    size_t capacity;
    size_t max_capacity;
};

static inline bool buffer_empty(const struct buffer *b)
{
    return b->consumed == b->size;
}

/*
 * Move what the guest produced (out[]) to the buffer and advance
 * out_cons. Returns the bytes moved, -EIO if the indices are impossible
 * (more than the ring holds: the ring is left alone, as Xen does), or
 * -ENOMEM.
 */
int buffer_take_ring(struct buffer *b, struct xencons_interface *intf);
/* Discard mode: cut the buffer back to max_capacity, dropping the middle. */
void buffer_discard_overflow(struct buffer *b);
/* n bytes of the buffer were written out. */
void buffer_advance(struct buffer *b, size_t n);
void buffer_dispose(struct buffer *b);

/* Room for input in the guest's in[] ring; 0 if its indices are impossible. */
size_t ring_in_room(const struct xencons_interface *intf);
/* Append len <= ring_in_room() bytes of input and advance in_prod. */
void ring_in_put(struct xencons_interface *intf, const char *data, size_t len);

/* ---- Log files (log.c) ---- */

/*
 * Open (append, create) log_dir/NAME; "Logfile Opened" starts it when
 * timestamped. -1 on failure (logged).
 */
int log_open(const char *name, bool timestamp, bool *need_ts);
/*
 * Write all of data to a log: with timestamp, "[YYYY-MM-DD hh:mm:ss] "
 * starts each line (need_ts carries "at a line start" between calls) and
 * the '\r's after a newline are dropped; with --replace-escape ESC is
 * written as '.'. 0, or -1 with errno.
 */
int log_write(int fd, const char *data, size_t len, bool timestamp,
              bool *need_ts);

#endif /* XENCONSOLED_H */
