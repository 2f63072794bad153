/* Internal helpers shared by libxenstore and xenstored (xs_lib.c). */
#ifndef XS_LIB_INTERNAL_H
#define XS_LIB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <xenstore_lib.h>

/* Marks the library's exported functions (built -fvisibility=hidden). */
#define XS_EXPORT __attribute__((visibility("default")))

bool xs__perm_to_string(const struct xs_permissions *perm, char *buf,
                        size_t len);
unsigned int xs__count_strings(const char *strings, unsigned int len);
/* XS_ERROR payloads: Xen's names, EINVAL for anything unknown. */
const char *xs__errno_name(int err);
int xs__errno_from_name(const char *name);

#endif
