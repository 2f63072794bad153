/*
 * Access to guest memory by guest-virtual address, as hypercall arguments
 * give it: the address is translated by walking the vCPU's page tables in
 * its current paging mode, page by page. Any unmapped or unpopulated page
 * gives -EFAULT; lengths are never trusted beyond the bytes copied.
 */
#ifndef XEN_GUEST_ACCESS_H
#define XEN_GUEST_ACCESS_H

#include <stddef.h>
#include <stdint.h>

struct vcpu;

int copy_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/* Translate one guest-virtual address to guest-physical (0 or -EFAULT). */
int guest_va_to_gpa(struct vcpu *v, uint64_t gva, int write, uint64_t *gpa);

#define copy_from_guest_obj(v, obj, gva) copy_from_guest(v, obj, gva, sizeof(*(obj)))
#define copy_to_guest_obj(v, gva, obj) copy_to_guest(v, gva, obj, sizeof(*(obj)))

#endif
