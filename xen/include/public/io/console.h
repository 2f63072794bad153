/* SPDX-License-Identifier: MIT */
/*
 * PV console ring page (one 4 KiB page, 3088 bytes used).  Indices are
 * free-running; mask them with MASK_XENCONS_IDX.  The producer updates
 * *_prod after writing data, the consumer *_cons after reading, then
 * each side notifies through the console event channel.
 */
#ifndef __XEN_PUBLIC_IO_CONSOLE_H__
#define __XEN_PUBLIC_IO_CONSOLE_H__

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];              /* backend -> guest data */
    char out[2048];             /* guest -> backend data */
    XENCONS_RING_IDX in_cons;   /* guest advances */
    XENCONS_RING_IDX in_prod;   /* backend advances */
    XENCONS_RING_IDX out_cons;  /* backend advances */
    XENCONS_RING_IDX out_prod;  /* guest advances */
};

#endif /* __XEN_PUBLIC_IO_CONSOLE_H__ */
