/*
 * libxl_uuid: a domain's UUID as 16 big-endian bytes, as Xen 4.17's
 * libxl has it.  Public header; libxl_basetypes.h includes it.
 */
#ifndef LIBXL_UUID_H
#define LIBXL_UUID_H

#include <stdint.h>

typedef struct libxl__ctx libxl_ctx;

#define LIBXL_UUID_FMT                                                         \
    "%02hhx%02hhx%02hhx%02hhx-%02hhx%02hhx-%02hhx%02hhx-%02hhx%02hhx-"         \
    "%02hhx%02hhx%02hhx%02hhx%02hhx%02hhx"
#define LIBXL_UUID_FMTLEN ((2 * 16) + 4) /* 16 hex pairs and 4 dashes */
#define LIBXL__UUID_BYTES(uuid)                                                \
    uuid[0], uuid[1], uuid[2], uuid[3], uuid[4], uuid[5], uuid[6], uuid[7],    \
        uuid[8], uuid[9], uuid[10], uuid[11], uuid[12], uuid[13], uuid[14],    \
        uuid[15]
#define LIBXL_UUID_BYTES(arg) LIBXL__UUID_BYTES((arg).uuid)

typedef struct {
    unsigned char uuid[16]; /* big-endian, as printed */
} libxl_uuid;

int libxl_uuid_is_nil(const libxl_uuid *uuid);
void libxl_uuid_generate(libxl_uuid *uuid);
/* 0, or ERROR_INVAL when in is not a UUID. */
int libxl_uuid_from_string(libxl_uuid *uuid, const char *in);
/* ctx_opt may be NULL. */
void libxl_uuid_copy(libxl_ctx *ctx_opt, libxl_uuid *dst,
                     const libxl_uuid *src);
void libxl_uuid_clear(libxl_uuid *uuid);
/* memcmp()-like: 0 when equal. */
int libxl_uuid_compare(const libxl_uuid *uuid1, const libxl_uuid *uuid2);
const uint8_t *libxl_uuid_bytearray_const(const libxl_uuid *uuid);
uint8_t *libxl_uuid_bytearray(libxl_uuid *uuid);

#endif
