/*
 * xencall.h - make hypercalls as domain 0.
 *
 * On Xenon a handle is a connection to the hypervisor core's privcmd
 * socket ($XEN_RUN_DIR/privcmd). Arguments that point to memory must
 * point into hypercall buffers of the same handle (xencall_alloc_buffer,
 * xencall_alloc_buffer_pages), and so must guest handles nested in
 * them: the core reads and writes those buffers directly. Any other
 * pointer makes the hypercall fail with EFAULT.
 *
 * Functions that return int or long give -1 with errno set on failure;
 * functions that return pointers give NULL with errno set.
 */
#ifndef XENCALL_H
#define XENCALL_H

#include <stddef.h>
#include <stdint.h>

/* Logging is not used by this library; NULL is fine. */
struct xentoollog_logger;

typedef struct xencall_handle xencall_handle;

/*
 * The caller promises never to use the handle from two threads at once
 * (nor from a signal handler), so the buffer allocator need not lock.
 */
#define XENCALL_OPENFLAG_NON_REENTRANT (1U << 0)

/* Open a handle: NULL with errno if the core cannot be reached. */
xencall_handle *xencall_open(struct xentoollog_logger *logger,
                             unsigned open_flags);

/*
 * Close a handle (NULL is fine) and release its buffers; any pointer
 * into them dangles afterwards. 0, or -1 with errno.
 */
int xencall_close(xencall_handle *xcall);

/* The handle's file descriptor, to poll or to close on exec. */
int xencall_fd(xencall_handle *xcall);

/*
 * Hypercall @op with 0 to 5 arguments. Returns the hypercall's result
 * when it is not negative, else -1 with errno set to its negation.
 */
int xencall0(xencall_handle *xcall, unsigned int op);
int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1);
int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2);
int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3);
int xencall4(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3, uint64_t arg4);
int xencall5(xencall_handle *xcall, unsigned int op, uint64_t arg1,
             uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5);

/* Like xencall2 for hypercalls whose result does not fit in an int. */
long xencall2L(xencall_handle *xcall, unsigned int op, uint64_t arg1,
               uint64_t arg2);

/*
 * Hypercall buffers. Pages are page-aligned and zeroed; free them with
 * the same count. xencall_alloc_buffer gives zeroed memory of any size,
 * freed with xencall_free_buffer. Freeing NULL does nothing.
 */
void *xencall_alloc_buffer_pages(xencall_handle *xcall, size_t nr_pages);
void xencall_free_buffer_pages(xencall_handle *xcall, void *p, size_t nr_pages);
void *xencall_alloc_buffer(xencall_handle *xcall, size_t size);
void xencall_free_buffer(xencall_handle *xcall, void *p);

/*
 * Whether the hypervisor can use the buffers without them faulting: 1
 * here, since the core maps the arena itself.
 */
int xencall_buffers_never_fault(xencall_handle *xcall);

#endif
