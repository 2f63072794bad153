/* SPDX-License-Identifier: MIT */
/*
 * HVM save records: the format of XEN_DOMCTL_gethvmcontext /
 * sethvmcontext (and of the HVM part of a migration stream).
 *
 * Tools-only interface. A context is a sequence of records, each a
 * hvm_save_descriptor followed by `length` bytes of the type named by
 * `typecode`; `instance` says which vCPU (or device) it is for. It starts
 * with a HEADER record and ends with an END record (length 0).
 *
 * Each record type is declared with DECLARE_HVM_SAVE_TYPE(NAME, code,
 * type); HVM_SAVE_TYPE(NAME), HVM_SAVE_LENGTH(NAME) and
 * HVM_SAVE_CODE(NAME) give its C type, size and typecode. The numbers
 * and layouts are Xen 4.17's: never change them.
 */
#ifndef __XEN_PUBLIC_HVM_SAVE_H__
#define __XEN_PUBLIC_HVM_SAVE_H__

#include <stdint.h>

struct hvm_save_descriptor {
    uint16_t typecode;          /* which record type follows */
    uint16_t instance;          /* vCPU (or device) number */
    uint32_t length;            /* bytes that follow this descriptor */
};

#define DECLARE_HVM_SAVE_TYPE(_x, _code, _type)                               \
    typedef _type hvm_save_type_##_x;                                         \
    enum { hvm_save_code_##_x = (_code) }

#define HVM_SAVE_TYPE(_x) hvm_save_type_##_x
#define HVM_SAVE_LENGTH(_x) (sizeof(HVM_SAVE_TYPE(_x)))
#define HVM_SAVE_CODE(_x) ((uint16_t)hvm_save_code_##_x)

/* The last record of a context. */
struct hvm_save_end {
    uint8_t none[0];
};
DECLARE_HVM_SAVE_TYPE(END, 0, struct hvm_save_end);

#if defined(__i386__) || defined(__x86_64__)
#include "../arch-x86/hvm/save.h"
#else
#error "hvm/save.h: x86 only"
#endif

#endif /* __XEN_PUBLIC_HVM_SAVE_H__ */
