/*
 * What the generated _libxl_types.c and the hand-written base types share
 * inside libxenlight: the JSON tree, the base types' parsers and default
 * checks, and allocation.  Not installed.
 */
#ifndef LIBXL_TYPES_INTERNAL_H
#define LIBXL_TYPES_INTERNAL_H

#include <_libxl_types.h> /* generated */
#ifndef LIBXL__TYPES_H
#error "_libxl_types.h is not ours: generate it first (see idl.mk)"
#endif
#include "libxl_json.h"

/*
 * Allocation that cannot fail: libxl's documented policy (Xen's libxl.h)
 * is that running out of memory prints a message and exits with 255.
 * Used only where Xen's API has no way to return an error (_copy).
 */
void *libxl__types_calloc(size_t nmemb, size_t size);
char *libxl__types_strdup(const char *s); /* NULL stays NULL */

/* ---- The parsed JSON tree ---- */

typedef enum {
    JSON_NULL = (1 << 0),
    JSON_BOOL = (1 << 1),
    JSON_INTEGER = (1 << 2), /* fits a long long */
    JSON_DOUBLE = (1 << 3),
    JSON_NUMBER = (1 << 4), /* an integer too big for a long long */
    JSON_STRING = (1 << 5),
    JSON_MAP = (1 << 6),
    JSON_ARRAY = (1 << 7),
} libxl__json_node_type;

typedef struct libxl__json_object libxl__json_object;

/* Nesting deeper than this is refused as hostile. */
#define LIBXL__JSON_MAX_DEPTH 64

/* 0, ERROR_FAIL (not JSON, or too deep) or ERROR_NOMEM. */
int libxl__json_parse(const char *s, libxl__json_object **out);
void libxl__json_object_free(libxl__json_object *o);

libxl__json_node_type libxl__json_object_type(const libxl__json_object *o);
bool libxl__json_object_is_map(const libxl__json_object *o);
/* The value of key's first occurrence; NULL if o is not a map. */
const libxl__json_object *libxl__json_map_get(const char *key,
                                              const libxl__json_object *o);
/* -1 if o is not an array. */
int libxl__json_array_len(const libxl__json_object *o);
const libxl__json_object *libxl__json_array_get(const libxl__json_object *o,
                                                int i);
/* NULL unless o is a string. */
const char *libxl__json_object_get_string(const libxl__json_object *o);

/* ---- Generation helpers ---- */

yajl_gen_status libxl__yajl_gen_asciiz(yajl_gen hand, const char *str);
/* An enum's name, or null for a value the enum does not have. */
yajl_gen_status libxl__yajl_gen_enum(yajl_gen hand, const char *str);
yajl_gen_status libxl__string_gen_json(yajl_gen hand, const char *p);
/* The generated text (malloc'd) if s is ok, else NULL; frees hand. */
char *libxl__yajl_gen_finish(yajl_gen hand, yajl_gen_status s);

const char *libxl__enum_to_string(const libxl_enum_string_table *t, int v);
/* Case-insensitive; 0 or ERROR_FAIL. */
int libxl__enum_from_string(const libxl_enum_string_table *t, const char *s,
                            int *v);

/* ---- Parsers of the base types: 0 or an ERROR_* code ---- */

int libxl__int_parse_json(const libxl__json_object *o, int *p);
int libxl__bool_parse_json(const libxl__json_object *o, bool *p);
int libxl__uint8_parse_json(const libxl__json_object *o, uint8_t *p);
int libxl__uint16_parse_json(const libxl__json_object *o, uint16_t *p);
int libxl__uint32_parse_json(const libxl__json_object *o, uint32_t *p);
int libxl__uint64_parse_json(const libxl__json_object *o, uint64_t *p);
int libxl__string_parse_json(const libxl__json_object *o, char **p);
int libxl__defbool_parse_json(const libxl__json_object *o, libxl_defbool *p);
int libxl__uuid_parse_json(const libxl__json_object *o, libxl_uuid *p);
int libxl__mac_parse_json(const libxl__json_object *o, libxl_mac *p);
int libxl__bitmap_parse_json(const libxl__json_object *o, libxl_bitmap *p);
int libxl__cpuid_policy_list_parse_json(const libxl__json_object *o,
                                        libxl_cpuid_policy_list *p);
int libxl__string_list_parse_json(const libxl__json_object *o,
                                  libxl_string_list *p);
int libxl__key_value_list_parse_json(const libxl__json_object *o,
                                     libxl_key_value_list *p);
int libxl__hwcap_parse_json(const libxl__json_object *o, libxl_hwcap *p);
int libxl__ms_vm_genid_parse_json(const libxl__json_object *o,
                                  libxl_ms_vm_genid *p);

/* Bitmaps from JSON may not name a bit beyond this (hostile input). */
#define LIBXL__BITMAP_JSON_MAX_BITS (1 << 20)

/* ---- Default checks and comparisons the generated code uses ---- */

bool libxl__defbool_is_default(const libxl_defbool *db);
bool libxl__defbool_equal(const libxl_defbool *a, const libxl_defbool *b);
bool libxl__mac_is_default(const libxl_mac *mac);
bool libxl__string_list_is_empty(const libxl_string_list *sl);
bool libxl__string_list_equal(const libxl_string_list *a,
                              const libxl_string_list *b);
bool libxl__key_value_list_is_empty(const libxl_key_value_list *kvl);
bool libxl__hwcap_is_default(const libxl_hwcap *hwcap);
bool libxl__cpuid_policy_is_empty(const libxl_cpuid_policy_list *pl);
bool libxl__string_equal(const char *a, const char *b); /* NULL-safe */

#endif
