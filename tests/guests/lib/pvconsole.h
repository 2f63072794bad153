/*
 * The domain's PV console ring (lib/pvconsole.c): the ring page and port
 * the toolstack's builder gave it (HVM_PARAM_CONSOLE_PFN/CONSOLE_EVTCHN),
 * served by xenconsoled. The port stays masked: waits use SCHEDOP_poll.
 */
#ifndef GUEST_PVCONSOLE_H
#define GUEST_PVCONSOLE_H

#include "guest.h"

#include <public/io/console.h>

/* Find the ring and port; 0 or -errno. */
int pvcons_init(void);
/* The ring itself, for tests that misbehave on purpose. */
volatile struct xencons_interface *pvcons_ring(void);
void pvcons_notify(void);
/* Wait up to timeout_ns for the port to fire (then clear it). */
void pvcons_wait(uint64_t timeout_ns);
/* Write all of s to out[], waiting for room. */
void pvcons_write(const char *s, size_t len);
void pvcons_puts(const char *s);
/* The next input byte, or -1 if none came within timeout_ns. */
int pvcons_getc(uint64_t timeout_ns);

#endif /* GUEST_PVCONSOLE_H */
