/*
 * The platform's reset ports: the fast reset bit of system control port
 * A (0x92, bit 0; bit 1 is the A20 gate, kept but always on) and the PIIX
 * reset control register at 0xcf9 (the FADT's reset register: writing 6
 * resets). Only byte accesses are theirs; 0xcf8-0xcff stays PCI's.
 */
#ifndef ASM_HVM_RESET_H
#define ASM_HVM_RESET_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define SYSCTL_PORT_A 0x92
#define SYSCTL_FAST_RESET 0x01
#define SYSCTL_A20 0x02
#define RST_CNT_PORT 0xcf9
#define RST_CNT_SYS_RST 0x02
#define RST_CNT_RST_CPU 0x04
#define RST_CNT_FULL_RST 0x08

struct vreset {
    pthread_mutex_t lock;
    uint8_t port92, rst_cnt;
    void (*reset)(void *opaque); /* called without the lock */
    void *opaque;
};

void vreset_init(struct vreset *r, void (*reset)(void *opaque), void *opaque);
void vreset_destroy(struct vreset *r);
int vreset_io_access(struct vreset *r, uint16_t port, unsigned int size,
                     bool write, uint64_t *val);

#endif
