/*
 * JSON of libxl's types (yajl), with Xen 4.17's names: every type T has
 * libxl_T_gen_json(); libxl_T_to_json()/_from_json() are in libxl.h's
 * generated part.
 */
#ifndef LIBXL_JSON_H
#define LIBXL_JSON_H

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "libxl_basetypes.h"

yajl_gen_status libxl__uint64_gen_json(yajl_gen hand, uint64_t val);
yajl_gen_status libxl_defbool_gen_json(yajl_gen hand, libxl_defbool *p);
yajl_gen_status libxl_uuid_gen_json(yajl_gen hand, libxl_uuid *p);
yajl_gen_status libxl_mac_gen_json(yajl_gen hand, libxl_mac *p);
yajl_gen_status libxl_bitmap_gen_json(yajl_gen hand, libxl_bitmap *p);
yajl_gen_status libxl_cpuid_policy_list_gen_json(yajl_gen hand,
                                                 libxl_cpuid_policy_list *p);
yajl_gen_status libxl_string_list_gen_json(yajl_gen hand, libxl_string_list *p);
yajl_gen_status libxl_key_value_list_gen_json(yajl_gen hand,
                                              libxl_key_value_list *p);
yajl_gen_status libxl_hwcap_gen_json(yajl_gen hand, libxl_hwcap *p);
yajl_gen_status libxl_ms_vm_genid_gen_json(yajl_gen hand, libxl_ms_vm_genid *p);

#include <_libxl_types_json.h> /* generated */
#ifndef LIBXL__TYPES_JSON_H
#error "_libxl_types_json.h is not ours: generate it first (see idl.mk)"
#endif

typedef size_t libxl_yajl_length;

/* A generator that writes what libxl writes: 4-space indented JSON. */
static inline yajl_gen libxl_yajl_gen_alloc(const yajl_alloc_funcs *allocFuncs)
{
    yajl_gen g = yajl_gen_alloc(allocFuncs);

    if (g)
        yajl_gen_config(g, yajl_gen_beautify, 1);
    return g;
}

#endif
