/*
 * libxl's hand-written base types and the defaults the IDL refers to,
 * with Xen 4.17's names and layouts.
 *
 * Include order for libxl.h (the public API):
 *     #include "libxl_basetypes.h"    this file; brings libxl_uuid.h
 *     #include "_libxl_types.h"       generated from libxl_types.idl
 * and, for JSON, libxl_json.h (which includes "_libxl_types_json.h").
 * _libxl_types.h includes this file itself, so either order compiles.
 *
 * Defined here, so not again in libxl.h: libxl_ctx (the typedef; struct
 * libxl__ctx is libxl_internal.h's), LIBXL_MEMKB_DEFAULT,
 * LIBXL_TIMER_MODE_DEFAULT, LIBXL_MAX_GRANT_DEFAULT, LIBXL_INVALID_GFN,
 * LIBXL_DOMAIN_SCHED_PARAM_*_DEFAULT, LIBXL_SCHED_PARAM_VCPU_INDEX_DEFAULT,
 * LIBXL_MAC_FMT/FMTLEN/BYTES and the bitmap helpers of Xen's libxl_utils.h
 * (libxl_bitmap_alloc ... libxl_for_each_set_bit).  libxl_cpu_bitmap_alloc
 * and libxl_node_bitmap_alloc need the host's sizes: they are libxl's.
 */
#ifndef LIBXL_BASETYPES_H
#define LIBXL_BASETYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libxl_uuid.h"

/* Defaults the IDL's init values name. */
#define LIBXL_MEMKB_DEFAULT ~0ULL
#define LIBXL_TIMER_MODE_DEFAULT -1
#define LIBXL_MAX_GRANT_DEFAULT (~(uint32_t)0)
#define LIBXL_INVALID_GFN (~(uint64_t)0)
#define LIBXL_DOMAIN_SCHED_PARAM_WEIGHT_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_CAP_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_PERIOD_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_SLICE_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_LATENCY_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_EXTRATIME_DEFAULT -1
#define LIBXL_DOMAIN_SCHED_PARAM_BUDGET_DEFAULT -1
#define LIBXL_SCHED_PARAM_VCPU_INDEX_DEFAULT -1

typedef uint32_t libxl_domid;
typedef int libxl_devid;
typedef uint64_t libxl_ev_user;

/*
 * A boolean that remembers whether anyone set it: 0 is "default" (what
 * a zeroed struct holds), > 0 true, < 0 false.
 */
typedef struct {
    int val;
} libxl_defbool;

void libxl_defbool_set(libxl_defbool *db, bool b);
void libxl_defbool_unset(libxl_defbool *db);
/* Sets db only while it is still the default. */
void libxl_defbool_setdefault(libxl_defbool *db, bool b);
bool libxl_defbool_is_default(libxl_defbool db);
/* db must have been set (asserts otherwise). */
bool libxl_defbool_val(libxl_defbool db);
/* "<default>", "True" or "False". */
const char *libxl_defbool_to_string(libxl_defbool b);

typedef uint8_t libxl_mac[6];
#define LIBXL_MAC_FMT "%02hhx:%02hhx:%02hhx:%02hhx:%02hhx:%02hhx"
#define LIBXL_MAC_FMTLEN ((2 * 6) + 5) /* 6 hex pairs and 5 colons */
#define LIBXL_MAC_BYTES(mac)                                                   \
    (mac)[0], (mac)[1], (mac)[2], (mac)[3], (mac)[4], (mac)[5]
void libxl_mac_copy(libxl_ctx *ctx, libxl_mac *dst, const libxl_mac *src);

/* NULL-terminated array of strings. */
typedef char **libxl_string_list;
void libxl_string_list_dispose(libxl_string_list *sl);
int libxl_string_list_length(const libxl_string_list *sl);
void libxl_string_list_copy(libxl_ctx *ctx, libxl_string_list *dst,
                            const libxl_string_list *src);

/* key, value, key, value, ..., NULL; a value may be NULL. */
typedef char **libxl_key_value_list;
void libxl_key_value_list_dispose(libxl_key_value_list *kvl);
int libxl_key_value_list_length(const libxl_key_value_list *kvl);
void libxl_key_value_list_copy(libxl_ctx *ctx, libxl_key_value_list *dst,
                               const libxl_key_value_list *src);

typedef uint32_t libxl_hwcap[8];
void libxl_hwcap_copy(libxl_ctx *ctx, libxl_hwcap *dst, const libxl_hwcap *src);

#define LIBXL_MS_VM_GENID_LEN 16
typedef struct {
    uint8_t bytes[LIBXL_MS_VM_GENID_LEN];
} libxl_ms_vm_genid;
bool libxl_ms_vm_genid_is_zero(const libxl_ms_vm_genid *id);
void libxl_ms_vm_genid_copy(libxl_ctx *ctx, libxl_ms_vm_genid *dst,
                            const libxl_ms_vm_genid *src);

typedef struct {
    uint32_t size; /* bytes in map */
    uint8_t *map;
} libxl_bitmap;
void libxl_bitmap_init(libxl_bitmap *map);
void libxl_bitmap_dispose(libxl_bitmap *map);
/* 0 or ERROR_NOMEM/ERROR_INVAL; n_bits 0 allocates nothing. */
int libxl_bitmap_alloc(libxl_ctx *ctx, libxl_bitmap *bitmap, int n_bits);
/* dptr gets its own copy of sptr's map. */
void libxl_bitmap_copy_alloc(libxl_ctx *ctx, libxl_bitmap *dptr,
                             const libxl_bitmap *sptr);
/* Copies into dptr's existing map, as many bytes as both have. */
void libxl_bitmap_copy(libxl_ctx *ctx, libxl_bitmap *dptr,
                       const libxl_bitmap *sptr);
int libxl_bitmap_is_full(const libxl_bitmap *bitmap);
int libxl_bitmap_is_empty(const libxl_bitmap *bitmap);
int libxl_bitmap_test(const libxl_bitmap *bitmap, int bit);
void libxl_bitmap_set(libxl_bitmap *bitmap, int bit);
void libxl_bitmap_reset(libxl_bitmap *bitmap, int bit);
int libxl_bitmap_count_set(const libxl_bitmap *bitmap);
/* The result is as long as the longer input. */
int libxl_bitmap_or(libxl_ctx *ctx, libxl_bitmap *or_map,
                    const libxl_bitmap *map1, const libxl_bitmap *map2);
/* The result is as long as the shorter input. */
int libxl_bitmap_and(libxl_ctx *ctx, libxl_bitmap *and_map,
                     const libxl_bitmap *map1, const libxl_bitmap *map2);
void libxl_bitmap_set_any(libxl_bitmap *bitmap);
void libxl_bitmap_set_none(libxl_bitmap *bitmap);
/* Equal in the first nr_bits bits (all of ba's when nr_bits <= 0). */
int libxl_bitmap_equal(const libxl_bitmap *ba, const libxl_bitmap *bb,
                       int nr_bits);
#define libxl_for_each_bit(var, map)                                           \
    for (var = 0; var < (int)(map).size * 8; var++)
#define libxl_for_each_set_bit(v, m)                                           \
    for (v = 0; v < (int)(m).size * 8; v++)                                    \
        if (libxl_bitmap_test(&(m), v))

/*
 * CPUID/MSR policy (cpuid= in xl.cfg).  Xenon cannot build one yet, so
 * a policy list is always NULL: these handle that, and a saved config
 * that carries a policy fails to load rather than losing it.
 */
struct libxl__cpu_policy;
typedef struct libxl__cpu_policy *libxl_cpuid_policy_list;
void libxl_cpuid_dispose(libxl_cpuid_policy_list *cpuid_list);
int libxl_cpuid_policy_list_length(const libxl_cpuid_policy_list *l);
void libxl_cpuid_policy_list_copy(libxl_ctx *ctx, libxl_cpuid_policy_list *dst,
                                  const libxl_cpuid_policy_list *src);

/* Each enum's names; the last entry has s == NULL. */
typedef struct {
    const char *s;
    int v;
} libxl_enum_string_table;

/* libxl's event queue link (a tail-queue entry). */
struct libxl_event;
typedef struct {
    struct libxl_event *tqe_next;
    struct libxl_event **tqe_prev;
} libxl_ev_link;

#endif
